"""A monthly CX tracker with a known truth: stores in regions, channels, and one real change.

"Did our NPS really go up this month, in which segments, or is it noise?" To show how the
answer is found, and how often a dashboard gets it wrong, :func:`simulate_tracker` makes the
**synthetic** answers of a relationship tracker whose truth is known:

- a **population** of customers in regions (``north``, ``south``, ``east``, ``west``) and
  channels (``web``, ``phone``, ``store``, ``chat``), served by stores nested in the regions;
  its counts by region and by channel are the margins an analyst would know (``.margins``,
  tidy: ``variable``, ``category``, ``count``, the format of an instrument's
  ``population:`` file);
- each customer cell (store x channel) has its own shares of promoters and detractors: a
  logistic model of a channel effect (web customers are happier than phone customers), a region
  effect and a store effect (the stores are fixed, so the truth is the finite population's);
- one **real change**: from ``change_month`` on, every cell of ``change_region`` moves
  ``effect / 200`` of its customers from detractor to promoter, so that region's true NPS rises
  by exactly ``effect`` points and every other region stays where it was; nothing else
  changes over the months;
- a **sample** that is not a fair one: each month ``answers_per_month`` answers are drawn
  with a chance proportional to the cell's population times a region factor and a channel
  factor (web answers ``web_factor`` times as likely as phone answers), so unweighted results
  over-represent web. Because the distortion is one factor per region and per channel, raking
  the sample to the two margins recovers the population's cells exactly (Deming & Stephan
  1940), and a huge sample, raked, recovers ``.truth``.

The answer key, ``.truth``, is tidy: one row per month and group (``variable`` ``"all"``,
``"region"`` or ``"channel"``; ``category``), with the true NPS, its change from the
previous month and the population count.

References
----------
Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known. *Annals of Mathematical Statistics* 11,
427-444.
Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).

Examples
--------
>>> t = simulate_tracker(n_months=3, answers_per_month=600, change_month=2, seed=1)
>>> t.data.shape[0], sorted(t.data["month"].unique().tolist())
(1800, [1, 2, 3])
>>> t.margins.groupby("variable")["count"].sum().tolist()
[200000.0, 200000.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError

__all__ = ["TRACKER_CHANNELS", "TRACKER_REGIONS", "Tracker", "simulate_tracker"]

#: region -> (population share, sampling factor, effect on the latent score)
TRACKER_REGIONS: dict[str, tuple[float, float, float]] = {
    "north": (0.30, 1.3, 0.10),
    "south": (0.25, 0.8, -0.15),
    "east": (0.25, 1.0, 0.00),
    "west": (0.20, 0.9, 0.05),
}
#: channel -> (population share, sampling factor relative to phone, effect on the latent score)
TRACKER_CHANNELS: dict[str, tuple[float, float, float]] = {
    "web": (0.35, 1.0, 0.45),  # the sampling factor of web is ``web_factor``
    "phone": (0.30, 1.0, -0.35),
    "store": (0.28, 0.9, 0.10),
    "chat": (0.07, 0.5, -0.10),
}
#: the latent model: P(detractor) = F(-0.5 - mu), P(promoter) = 1 - F(1.0 - mu), F logistic
_CUTS = (-0.5, 1.0)


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Tracker(Result):
    """A simulated monthly tracker: the answers, the known margins and the answer key.

    ``data``: one row per answer (``respondent_id``, ``month``, ``store_id``, ``region``,
    ``channel``, ``ltr`` 0-10); ``margins``: the population counts by region and by channel
    (``variable``, ``category``, ``count``); ``truth``: the true NPS per month and group
    (``month``, ``variable``, ``category``, ``nps``, ``change``, ``population``); ``params``:
    the arguments of :func:`simulate_tracker`. Everything is **synthetic**.
    """

    data: pd.DataFrame = field(repr=False)
    margins: pd.DataFrame = field(repr=False)
    truth: pd.DataFrame = field(repr=False)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def change_region(self) -> str:
        """The region whose NPS really changes."""
        return str(self.params["change_region"])

    @property
    def change_month(self) -> int:
        """The first month of the changed NPS."""
        return int(self.params["change_month"])

    @property
    def effect(self) -> float:
        """The true change of the region's NPS, in points."""
        return float(self.params["effect"])

    def margin_dict(self) -> dict[str, dict[str, float]]:
        """The margins as :func:`~cxresearch.metrics.weighting.rake` takes them."""
        return {v: dict(zip(g["category"], g["count"].astype(float)))
                for v, g in self.margins.groupby("variable", sort=False)}

    def true_change(self, variable: str = "all", category: str = "all") -> pd.Series:
        """The true month-on-month change of a group's NPS, indexed by the month it ends."""
        t = self.truth
        sel = t[(t["variable"] == variable) & (t["category"] == category)]
        if sel.empty:
            raise DataError(f"no group {variable}={category!r} in the truth; variables "
                            f"{sorted(t['variable'].unique())}")
        return sel.set_index("month")["change"]

    def true_nps(self, variable: str = "region") -> pd.DataFrame:
        """The true NPS per group of ``variable`` and month: columns ``variable``'s name
        (e.g. ``region``), ``period`` and ``nps`` (``"all"``: one group, ``all``)."""
        t = self.truth[self.truth["variable"] == variable]
        return pd.DataFrame({variable: t["category"].to_numpy(), "period": t["month"].to_numpy(),
                             "nps": t["nps"].to_numpy()})

    def true_changes(self, variable: str = "region") -> pd.DataFrame:
        """The true month-on-month changes per group of ``variable``: columns ``variable``'s
        name, ``time_to`` (the month the change ends) and ``true_change`` (first month left
        out), the keys of :func:`~cxresearch.metrics.waves.compare_waves` rows.

        >>> t = simulate_tracker(n_months=4, answers_per_month=200)
        >>> c = t.true_changes("region")
        >>> c[c["true_change"] != 0][["region", "time_to", "true_change"]].values.tolist()
        [['south', 4, 20.0]]
        """
        t = self.truth[(self.truth["variable"] == variable) & self.truth["change"].notna()]
        change = t["change"].to_numpy()
        return pd.DataFrame({variable: t["category"].to_numpy(),
                             "time_to": t["month"].to_numpy(),
                             "true_change": np.where(np.abs(change) < 1e-9, 0.0,
                                                     change.round(9))})

    def to_frame(self) -> pd.DataFrame:
        """The answers (one row each)."""
        return self.data.copy()

    def summary(self) -> str:
        """What was simulated, in words."""
        d = self.data
        web = float((d["channel"] == "web").mean())
        pop = self.margins.set_index(["variable", "category"])["count"]
        web_pop = float(pop[("channel", "web")] / pop.xs("channel").sum())
        return (f"Synthetic tracker: {len(d):,} answers over {d['month'].nunique()} months from "
                f"{d['store_id'].nunique()} stores in {d['region'].nunique()} regions; web is "
                f"{web:.0%} of the answers and {web_pop:.0%} of the customers; the true NPS of "
                f"{self.change_region} changes by {self.effect:+g} points from month "
                f"{self.change_month}, nothing else changes.")


def simulate_tracker(
    *,
    n_months: int = 12,
    answers_per_month: int = 2000,
    stores_per_region: int = 10,
    effect: float = 20.0,
    change_region: str = "south",
    change_month: int = 4,
    web_factor: float = 3.0,
    store_sd: float = 0.35,
    population: int = 200_000,
    seed: int | None = 0,
) -> Tracker:
    """Simulate a monthly NPS tracker with a known truth (see the module docstring).

    Cell (store s in region r, channel c): latent mean mu = 0.55 + region effect + channel
    effect + store effect (normal, SD ``store_sd``, drawn once); P(detractor) = F(-0.5 - mu),
    P(promoter) = 1 - F(1 - mu), F logistic. From ``change_month`` on, in ``change_region``,
    ``effect / 200`` of the cell moves from detractor to promoter, so the region's NPS rises by
    ``effect``. Each month the answers are a multinomial draw over the cells with chances
    proportional to population x region factor x channel factor (:data:`TRACKER_REGIONS`,
    :data:`TRACKER_CHANNELS`; web ``web_factor``). A promoter answers 9 or 10, a passive 7 or
    8, a detractor 0-6 (more often 5 or 6).

    Parameters
    ----------
    n_months : int, default 12
        Months surveyed (1, 2, ...).
    answers_per_month : int, default 2000
        Answers per month.
    stores_per_region : int, default 10
        Stores in each of the four regions (the clusters).
    effect : float, default 20.0
        The true change of ``change_region``'s NPS, in points (0: nothing changes).
    change_region : str, default "south"
        The region that changes (one of :data:`TRACKER_REGIONS`).
    change_month : int, default 4
        The first month of the change (2 .. n_months).
    web_factor : float, default 3.0
        How many times as likely a web customer is to answer as a phone customer.
    store_sd : float, default 0.35
        SD of the stores' effects on the latent score (how alike a store's customers are).
    population : int, default 200000
        Customers in the population (the margins' total).
    seed : int or None, default 0
        Seed of the simulation.

    Returns
    -------
    Tracker
        ``.data``, ``.margins``, ``.truth`` (tidy frames) and ``.params``.

    Examples
    --------
    >>> t = simulate_tracker(n_months=4, answers_per_month=500, effect=20.0)
    >>> south, north = t.true_change("region", "south"), t.true_change("region", "north")
    >>> float(south.loc[4]), float(north.loc[4])
    (20.0, 0.0)
    >>> bool((t.data["channel"] == "web").mean() > 0.5)  # web is 35% of the customers
    True
    """
    for name, value, low in (("n_months", n_months, 2), ("answers_per_month",
                                                          answers_per_month, 1),
                             ("stores_per_region", stores_per_region, 1),
                             ("population", population, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise DataError(f"argument {name!r} must be an integer >= {low}, got {value!r}")
    if change_region not in TRACKER_REGIONS:
        raise DataError(f"argument 'change_region': {change_region!r} is not one of "
                        f"{list(TRACKER_REGIONS)}")
    if not (isinstance(change_month, int | np.integer) and 2 <= change_month <= n_months):
        raise DataError(f"argument 'change_month' must be a month from 2 to {n_months}, got "
                        f"{change_month!r}")
    if not (np.isfinite(web_factor) and web_factor > 0):
        raise DataError(f"argument 'web_factor' must be positive, got {web_factor!r}")
    rng = np.random.default_rng(seed)
    regions, channels = list(TRACKER_REGIONS), list(TRACKER_CHANNELS)
    # the population's cells: store x channel
    ch_share = np.array([TRACKER_CHANNELS[c][0] for c in channels])
    tilt = {"north": (0.04, -0.02, -0.02, 0.0), "south": (-0.05, 0.04, 0.01, 0.0),
            "east": (0.02, -0.03, 0.01, 0.0), "west": (-0.01, 0.01, 0.0, 0.0)}
    rows = []
    for r in regions:
        shares = ch_share + np.array(tilt[r])
        for k in range(stores_per_region):
            store = f"{r[0].upper()}{k + 1:02d}"
            store_eff = rng.normal(0.0, store_sd)
            for c, share in zip(channels, shares):
                rows.append({"store_id": store, "region": r, "channel": c,
                             "population": population * TRACKER_REGIONS[r][0] * share
                             / stores_per_region,
                             "mu": 0.55 + TRACKER_REGIONS[r][2] + TRACKER_CHANNELS[c][2]
                             + store_eff})
    cells = pd.DataFrame(rows)
    p_det = _logistic(_CUTS[0] - cells["mu"].to_numpy())
    p_pro = 1.0 - _logistic(_CUTS[1] - cells["mu"].to_numpy())
    moved = abs(effect) / 200.0
    source = p_det if effect >= 0 else p_pro
    changed = (cells["region"] == change_region).to_numpy()
    if moved > 0 and (source[changed] < moved).any():
        raise DataError(f"argument 'effect': {effect:g} points is more than the "
                        f"{'detractors' if effect >= 0 else 'promoters'} of {change_region} "
                        "can give; choose a smaller effect")
    months = np.arange(1, n_months + 1)
    factor = np.array([TRACKER_REGIONS[r][1] for r in cells["region"]]) * np.array(
        [web_factor if c == "web" else TRACKER_CHANNELS[c][1] for c in cells["channel"]])
    chance = cells["population"].to_numpy() * factor
    chance = chance / chance.sum()
    # probabilities per month and cell
    step = np.sign(effect) * moved
    pd_m = np.repeat(p_det[None, :], n_months, 0)
    pp_m = np.repeat(p_pro[None, :], n_months, 0)
    after = months >= change_month
    pd_m[np.ix_(after, changed)] -= step
    pp_m[np.ix_(after, changed)] += step
    # the sample
    counts = rng.multinomial(answers_per_month, chance, size=n_months)  # months x cells
    month_idx = np.repeat(np.repeat(np.arange(n_months), len(cells)), counts.ravel())
    cell_idx = np.repeat(np.tile(np.arange(len(cells)), n_months), counts.ravel())
    u = rng.random(len(cell_idx))
    det = u < pd_m[month_idx, cell_idx]
    pro = u >= 1.0 - pp_m[month_idx, cell_idx]
    score = np.where(pro, rng.choice([9, 10], len(u), p=[0.45, 0.55]),
                     np.where(det, rng.choice(np.arange(7), len(u),
                                              p=[0.04, 0.04, 0.06, 0.1, 0.14, 0.26, 0.36]),
                              rng.choice([7, 8], len(u), p=[0.45, 0.55])))
    order = np.lexsort((cell_idx, month_idx))
    data = pd.DataFrame({
        "respondent_id": [f"T{i + 1:06d}" for i in range(len(u))],
        "month": months[month_idx[order]],
        "store_id": cells["store_id"].to_numpy()[cell_idx[order]],
        "region": cells["region"].to_numpy()[cell_idx[order]],
        "channel": cells["channel"].to_numpy()[cell_idx[order]],
        "ltr": score[order].astype(np.int64),
    })
    # the margins the analyst knows
    margins = pd.concat([
        cells.groupby(col, sort=False)["population"].sum().rename_axis("category")
        .reset_index().assign(variable=col) for col in ("region", "channel")],
        ignore_index=True).rename(columns={"population": "count"})
    margins["count"] = margins["count"].round(6)
    margins = margins[["variable", "category", "count"]]
    # the answer key
    pop = cells["population"].to_numpy()
    truth_rows = []
    groups = [("all", "all", np.ones(len(cells), bool))]
    groups += [("region", r, (cells["region"] == r).to_numpy()) for r in regions]
    groups += [("channel", c, (cells["channel"] == c).to_numpy()) for c in channels]
    for var, cat, mask in groups:
        w = pop[mask]
        nps = 100.0 * ((pp_m[:, mask] - pd_m[:, mask]) @ w) / w.sum()
        for m, v in zip(months, nps):
            truth_rows.append({"month": int(m), "variable": var, "category": cat,
                               "nps": float(v), "population": float(w.sum())})
    truth = pd.DataFrame(truth_rows)
    truth["change"] = truth.groupby(["variable", "category"], sort=False)["nps"].diff()
    truth = truth[["month", "variable", "category", "nps", "change", "population"]]
    params = {"n_months": n_months, "answers_per_month": answers_per_month,
              "stores_per_region": stores_per_region, "effect": float(effect),
              "change_region": change_region, "change_month": int(change_month),
              "web_factor": float(web_factor), "store_sd": float(store_sd),
              "population": population, "seed": seed}
    return Tracker(data, margins, truth, params)
