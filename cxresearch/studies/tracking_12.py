"""Helpers for notebook 12 (tracking CX over time): weights to the customer base, the NPS three
ways, what a dashboard without intervals would flag, and the figure.

- :func:`rake_to_population` -- rake the answers to the margins of an instrument's
  ``population:`` file (categories matched as text, as the CSV gives them);
- :func:`nps_three_ways` -- the NPS unweighted, with the raked weights taken as fixed, and
  calibration-aware (R ``survey``'s raked design), beside the truth when it is known;
- :func:`naive_moves` and :func:`dashboard_check` -- the month-on-month "moves" a dashboard
  of bare scores would report (a change of at least ``threshold`` points) against the changes
  that hold after Holm, and (synthetic data) against the truth;
- :func:`wave_findings` and :func:`truth_findings` -- the generated sentences;
- :func:`trend_band` and :func:`plot_tracker` -- the monthly NPS with intervals and the trend
  line with its band, one panel per segment; :func:`tracker_alt_text` says what it shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, require_columns
from cxresearch.metrics.scores import nps
from cxresearch.metrics.weighting import WeightingResult, rake
from cxresearch.report.conclusions import Finding, count_sentence, format_p

__all__ = [
    "bare_by_period",
    "dashboard_check",
    "dashboard_counts",
    "naive_moves",
    "nps_three_ways",
    "plot_tracker",
    "rake_to_population",
    "sample_vs_population",
    "tracker_alt_text",
    "trend_band",
    "truth_findings",
    "wave_findings",
]


def rake_to_population(data: pd.DataFrame, margins: Mapping[str, Mapping[Any, float]], *,
                       weight: str | None = None) -> WeightingResult:
    """Rake ``data`` to population margins whose categories are text (a CSV's).

    Each margin's column is compared as text (``1`` in the data matches ``"1"`` in the file);
    the weights keep ``data``'s index, so the result is the ``calibration=`` of ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        The answers.
    margins : mapping
        ``{column: {category: count or share}}`` (:func:`cxresearch.io.instrument.read_population`).
    weight : str, optional
        Column of starting (design) weights.

    Returns
    -------
    WeightingResult

    Raises
    ------
    DataError
        A margin that is not a column of ``data`` (naming it), or what
        :func:`~cxresearch.metrics.weighting.rake` raises (a category without a target, a
        target without answers).

    Examples
    --------
    >>> d = pd.DataFrame({"region": [1, 1, 1, 2]}, index=[10, 11, 12, 13])
    >>> rake_to_population(d, {"region": {"1": 0.5, "2": 0.5}}).weights.round(3).tolist()
    [0.667, 0.667, 0.667, 2.0]
    """
    absent = [str(v) for v in margins if v not in data.columns]
    if absent:
        raise DataError(f"the population's variable(s) {absent} are not columns of the answers "
                        f"(columns: {[str(c) for c in data.columns][:30]})")
    frame = data[[*margins, *([weight] if weight else [])]].copy()
    for v in margins:
        frame[v] = frame[v].astype(str)
    text = {v: {str(k): float(x) for k, x in m.items()} for v, m in margins.items()}
    return rake(frame, text, weight=weight)


def sample_vs_population(data: pd.DataFrame, margins: Mapping[str, Mapping[Any, float]],
                         calibration: WeightingResult | None = None) -> pd.DataFrame:
    """Who answered against who the customers are: each margin's share among the answers, in
    the population and (with ``calibration``) among the weighted answers.

    Parameters
    ----------
    data : pandas.DataFrame
        The answers.
    margins : mapping
        ``{column: {category: count or share}}``.
    calibration : WeightingResult, optional
        The raking of ``data``.

    Returns
    -------
    pandas.DataFrame
        ``variable``, ``category``, ``answers`` (count), ``sample_share``,
        ``population_share``, ``ratio`` (sample / population) and ``weighted_share``.

    Examples
    --------
    >>> d = pd.DataFrame({"ch": ["web", "web", "web", "phone"]})
    >>> sample_vs_population(d, {"ch": {"web": 0.5, "phone": 0.5}})[["category", "ratio"]]
      category  ratio
    0      web    1.5
    1    phone    0.5
    """
    rows = []
    w = calibration.weights if calibration is not None else None
    for var, targets in margins.items():
        col = data[var].astype(str)
        total = float(sum(targets.values()))
        for cat, value in targets.items():
            mask = (col == str(cat)).to_numpy()
            row = {"variable": var, "category": str(cat), "answers": int(mask.sum()),
                   "sample_share": float(mask.mean()),
                   "population_share": float(value) / total}
            row["ratio"] = row["sample_share"] / row["population_share"]
            if w is not None:
                row["weighted_share"] = float(w[mask].sum() / w.sum())
            rows.append(row)
    return pd.DataFrame(rows)


def nps_three_ways(data: pd.DataFrame, score: str, *, calibration: WeightingResult,
                   cluster: str | None = None, weight: str | None = None,
                   truth: float | None = None, level: float = 0.95) -> pd.DataFrame:
    """The NPS of all answers three ways: unweighted (or design-weighted), with the raked
    weights taken as fixed, and calibration-aware.

    All three use the Taylor-linearised SE with ``cluster`` as PSUs (every answer its own PSU
    without one). "Taken as fixed" treats the raked weights as design weights; "calibration-
    aware" replaces the linearised scores by their residuals on the raking margins, as R's
    ``svymean`` on a ``rake()``d design does (:func:`~cxresearch.metrics.scores.nps`).

    Parameters
    ----------
    data : pandas.DataFrame
        The answers that were raked.
    score : str
        Column of 0-10 answers.
    calibration : WeightingResult
        The raking of ``data``.
    cluster : str, optional
        Column the answers nest in (store).
    weight : str, optional
        Column of design weights (the first row is then design-weighted).
    truth : float, optional
        The true NPS (synthetic data): adds ``truth`` and ``covers``.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per ``method``: ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``half_width``
        (and ``truth``, ``covers``).

    Examples
    --------
    >>> d = pd.DataFrame({"ch": ["web"] * 6 + ["phone"] * 2,
    ...                   "ltr": [10, 9, 7, 3, 9, 8, 6, 10]})
    >>> r = rake(d, {"ch": {"web": 0.5, "phone": 0.5}})
    >>> nps_three_ways(d, "ltr", calibration=r)[["method", "estimate"]].round(2)
                                method  estimate
    0                       unweighted     25.00
    1     raked weights taken as fixed     16.67
    2  raked, calibration-aware (R survey)     16.67
    """
    require_columns(data, [c for c in (score, cluster, weight) if c])
    ids = data[cluster].to_numpy() if cluster else np.arange(len(data))
    y = data[score]
    rows = [
        ("unweighted" if weight is None else f"design weights ({weight}) only",
         nps(y, weights=data[weight] if weight else None, cluster=ids, level=level)),
        ("raked weights taken as fixed",
         nps(y, weights=calibration.weights, cluster=ids, level=level)),
        ("raked, calibration-aware (R survey)",
         nps(y, calibration=calibration, cluster=ids, level=level)),
    ]
    out = pd.DataFrame([{"method": m, "estimate": float(r.estimate), "se": float(r.se),
                         "ci_low": float(r.ci_low), "ci_high": float(r.ci_high)}
                        for m, r in rows])
    out["half_width"] = (out["ci_high"] - out["ci_low"]) / 2
    if truth is not None:
        out["truth"] = float(truth)
        out["covers"] = (out["ci_low"] <= truth) & (truth <= out["ci_high"])
    return out


def _nps_values(scores: pd.Series) -> np.ndarray:
    v = pd.to_numeric(scores, errors="coerce").to_numpy(float)
    return np.where(np.isnan(v), np.nan, np.where(v >= 9, 100.0, np.where(v <= 6, -100.0, 0.0)))


def bare_by_period(data: pd.DataFrame, score: str, time: str, by: str | None = None, *,
                   weights: Any = None) -> pd.DataFrame:
    """The bare NPS of each segment and period, as a dashboard shows it (no interval).

    Parameters
    ----------
    data : pandas.DataFrame
        The answers.
    score : str
        Column of 0-10 answers.
    time : str
        Column of the period.
    by : str, optional
        Segment column.
    weights : array-like, optional
        Weights aligned with ``data`` (default: none).

    Returns
    -------
    pandas.DataFrame
        (``by``), ``period``, ``nps``, ``n``.

    Examples
    --------
    >>> d = pd.DataFrame({"m": [1, 1, 2], "ltr": [10, 6, 10]})
    >>> bare_by_period(d, "ltr", "m")[["period", "nps"]].values.tolist()
    [[1.0, 0.0], [2.0, 100.0]]
    """
    require_columns(data, [c for c in (score, time, by) if c])
    w = np.ones(len(data)) if weights is None else np.asarray(weights, dtype=float)
    y = _nps_values(data[score])
    ok = ~np.isnan(y)
    frame = pd.DataFrame({"seg": data[by].to_numpy() if by else "all",
                          "period": data[time].to_numpy(),
                          "wy": np.where(ok, w * np.nan_to_num(y), 0.0),
                          "w": np.where(ok, w, 0.0), "n": ok.astype(int)})
    sums = frame.groupby(["seg", "period"], sort=True)[["wy", "w", "n"]].sum().reset_index()
    out = pd.DataFrame({**({by: sums["seg"]} if by else {}), "period": sums["period"],
                        "nps": sums["wy"] / sums["w"], "n": sums["n"]})
    return out


def naive_moves(data: pd.DataFrame, score: str, time: str, by: str | None = None, *,
                weights: Any = None, threshold: float = 5.0) -> pd.DataFrame:
    """The month-on-month changes of the bare NPS a dashboard shows, and which it calls moves.

    Per segment (``by``; all answers without) and consecutive pair of periods, the bare
    (weighted) NPS of each period and their difference; ``move`` is ``|change| >= threshold``,
    the rule of a chart without intervals ("up 5 points in the south").

    Parameters
    ----------
    data : pandas.DataFrame
        The answers.
    score : str
        Column of 0-10 answers.
    time : str
        Column of the period.
    by : str, optional
        Segment column.
    weights : array-like, optional
        Weights aligned with ``data`` (default: none, as most dashboards).
    threshold : float, default 5.0
        The change, in NPS points, a dashboard reports as a move.

    Returns
    -------
    pandas.DataFrame
        (``by``), ``time_from``, ``time_to``, ``bare_from``, ``bare_to``, ``bare_change``,
        ``move``.

    Examples
    --------
    >>> d = pd.DataFrame({"m": [1, 1, 2, 2], "ltr": [10, 6, 10, 10]})
    >>> naive_moves(d, "ltr", "m")[["time_from", "time_to", "bare_change", "move"]]
       time_from  time_to  bare_change  move
    0          1        2        100.0  True
    """
    bare = bare_by_period(data, score, time, by, weights=weights)
    bare["seg"] = bare[by] if by else "all"
    est = bare.pivot(index="seg", columns="period", values="nps")
    periods = list(est.columns)
    rows = []
    for seg, r in est.iterrows():
        for a, b in itertools.pairwise(periods):
            ch = r[b] - r[a]
            rows.append({**({by: seg} if by else {}), "time_from": a, "time_to": b,
                         "bare_from": r[a], "bare_to": r[b], "bare_change": ch,
                         "move": bool(abs(ch) >= threshold) if np.isfinite(ch) else False})
    return pd.DataFrame(rows)


def dashboard_check(moves: pd.DataFrame, waves: pd.DataFrame, by: str | None = None, *,
                    level: float = 0.95, truth: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each month-on-month change: did a dashboard call it a move, does it hold after the
    multiplicity adjustment, and (synthetic data) is it real?

    Parameters
    ----------
    moves : pandas.DataFrame
        :func:`naive_moves`.
    waves : pandas.DataFrame
        :func:`~cxresearch.metrics.waves.compare_waves` on the same segments (change rows).
    by : str, optional
        The segment column of both.
    level : float, default 0.95
        A change holds when ``p_adjusted < 1 - level`` (and it was tested).
    truth : pandas.DataFrame, optional
        The true change per row: columns (``by``), ``time_to`` and ``true_change``.

    Returns
    -------
    pandas.DataFrame
        ``moves`` with ``change``, ``ci_low``, ``ci_high``, ``p_adjusted``, ``flag``,
        ``holds`` (and ``true_change``, ``real``).

    Examples
    --------
    >>> m = pd.DataFrame({"time_from": [1], "time_to": [2], "bare_change": [6.0],
    ...                   "move": [True]})
    >>> w = pd.DataFrame({"time_from": [1], "time_to": [2], "change": [6.0], "ci_low": [-1.0],
    ...                   "ci_high": [13.0], "p_adjusted": [0.09], "flag": [""]})
    >>> dashboard_check(m, w)[["move", "holds"]].to_dict("records")
    [{'move': True, 'holds': False}]
    """
    keys = [*([by] if by else []), "time_from", "time_to"]
    if "contrast" in waves.columns:
        waves = waves[waves["contrast"] == "change"]
    cols = [*keys, "change", "ci_low", "ci_high", "p_adjusted", "flag"]
    out = moves.merge(waves[cols], on=keys, how="left", validate="one_to_one")
    out["holds"] = out["flag"].eq("") & (out["p_adjusted"] < 1 - level)
    if truth is not None:
        out = out.merge(truth[[*([by] if by else []), "time_to", "true_change"]],
                        on=[*([by] if by else []), "time_to"], how="left")
        out["real"] = out["true_change"].abs() > 1e-9
    return out


def dashboard_counts(check: pd.DataFrame, *, threshold: float) -> pd.DataFrame:
    """How many changes a bare dashboard calls moves against how many hold, and (with the
    truth) how many of each are real.

    Parameters
    ----------
    check : pandas.DataFrame
        :func:`dashboard_check`.
    threshold : float
        The dashboard's rule, for the row label.

    Returns
    -------
    pandas.DataFrame
        Rows ``reading``: the dashboard's moves, the changes that hold; columns ``changes``
        (flagged), ``of`` (compared), and with the truth ``real`` and ``false_alarms``.

    Examples
    --------
    >>> c = pd.DataFrame({"move": [True, True, False], "holds": [True, False, False],
    ...                   "real": [True, False, False]})
    >>> dashboard_counts(c, threshold=5)[["changes", "real", "false_alarms"]].values.tolist()
    [[2, 1, 1], [1, 1, 0]]
    """
    rows = []
    for label, mask in ((f"a dashboard's moves (|change| ≥ {threshold:g} points, no interval)",
                         check["move"]),
                        ("changes that hold (design-based interval, Holm)", check["holds"])):
        mask = mask.fillna(False).astype(bool)
        row: dict[str, Any] = {"reading": label, "changes": int(mask.sum()), "of": len(check)}
        if "real" in check.columns:
            row["real"] = int((mask & check["real"]).sum())
            row["false_alarms"] = int((mask & ~check["real"]).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _segment_label(row: Any, by: str | None) -> str:
    return str(getattr(row, by)) if by else "all customers"


def wave_findings(waves: pd.DataFrame, by: str | None, *, level: float = 0.95,
                  what: str = "NPS", adjust: str = "Holm", period: str = "period"
                  ) -> tuple[Finding, ...]:
    """The sentences of a :func:`~cxresearch.metrics.waves.compare_waves` table.

    A count of the changes that hold after the adjustment (claims when any does), one sentence
    per change that holds (size, interval, adjusted p), one per trend that holds, and the
    number of suppressed rows (never a claim).

    Parameters
    ----------
    waves : pandas.DataFrame
        The table (with or without trend rows).
    by : str, optional
        Its segment column.
    level : float, default 0.95
        Confidence level; a change holds when ``p_adjusted < 1 - level``.
    what : str, default "NPS"
        The metric's name.
    adjust : str, default "Holm"
        The adjustment's name, for the wording.
    period : str, default "period"
        What one period is (``"month"``), for the trend's wording.

    Returns
    -------
    tuple of Finding

    Examples
    --------
    >>> w = pd.DataFrame({"time_from": [1, 2], "time_to": [2, 3], "change": [1.0, 9.0],
    ...                   "ci_low": [-4.0, 4.0], "ci_high": [6.0, 14.0],
    ...                   "p_adjusted": [0.7, 0.01], "flag": ["", ""]})
    >>> [f.claims_effect for f in wave_findings(w, None)]
    [True, True]
    """
    alpha = 1 - level
    changes = waves[waves["contrast"] == "change"] if "contrast" in waves.columns else waves
    tested = changes[changes["flag"].eq("") & changes["p_adjusted"].notna()]
    held = tested[tested["p_adjusted"] < alpha]
    seg = f" by {by}" if by else ""
    found = [count_sentence(len(held), len(tested), f"{period}-on-{period} changes of {what}{seg}",
                            adjustment=adjust, level=level,
                            n_family=int(waves["p_adjusted"].notna().sum()))]
    for r in held.itertuples():
        found.append(Finding(
            f"**{what}, {_segment_label(r, by)}, {r.time_from} → {r.time_to}**: "
            f"{r.change:+.1f} points ({level:.0%} CI {r.ci_low:+.1f} to {r.ci_high:+.1f}; "
            f"{adjust}-adjusted p {format_p(r.p_adjusted)}): the change holds.", True))
    if "contrast" in waves.columns:
        trends = waves[(waves["contrast"] == "trend") & waves["flag"].eq("")]
        for r in trends[trends["p_adjusted"] < alpha].itertuples():
            found.append(Finding(
                f"**Trend of {what}, {_segment_label(r, by)}**: {r.change:+.2f} points per "
                f"{period} ({level:.0%} CI {r.ci_low:+.2f} to {r.ci_high:+.2f}; "
                f"{adjust}-adjusted p {format_p(r.p_adjusted)}) from {r.time_from} to "
                f"{r.time_to}.", True))
    n_sup = int(changes["flag"].eq("suppressed").sum())
    if n_sup:
        found.append(Finding(f"{n_sup} of {len(changes)} {period}-on-{period} changes{seg} were "
                             "suppressed (too few answers in a period), not tested.", False,
                             kind="check"))
    return tuple(found)


def truth_findings(check: pd.DataFrame, by: str | None, *, level: float = 0.95
                   ) -> tuple[Finding, ...]:
    """Synthetic data only: which real changes were found, and the false alarms among the
    others, for the tested changes and for a dashboard's moves.

    Parameters
    ----------
    check : pandas.DataFrame
        :func:`dashboard_check` with the truth (``true_change``, ``real``).
    by : str, optional
        The segment column.
    level : float, default 0.95
        Confidence level (for the wording).

    Returns
    -------
    tuple of Finding
        Never claims an effect (``kind="truth"``).

    Examples
    --------
    >>> c = pd.DataFrame({"time_from": [1, 2], "time_to": [2, 3], "true_change": [0.0, 20.0],
    ...                   "real": [False, True], "holds": [False, True], "move": [True, True],
    ...                   "change": [3.0, 22.0]})
    >>> print(truth_findings(c, None)[0].text)  # doctest: +NORMALIZE_WHITESPACE
    **Against the simulation's truth**: 1 of 1 real change found (all customers, 2 → 3, true
    +20.0, estimated +22.0); 0 false alarms among the 1 changes that are not real.
    """
    real = check[check["real"]]
    found = real[real["holds"]]
    missed = real[~real["holds"]]
    n_other = int((~check["real"]).sum())
    false = int((check["holds"] & ~check["real"]).sum())
    parts = "; ".join(f"{_segment_label(r, by)}, {r.time_from} → {r.time_to}, true "
                      f"{r.true_change:+.1f}, estimated {r.change:+.1f}"
                      for r in found.itertuples())
    miss = "; ".join(f"{_segment_label(r, by)}, {r.time_from} → {r.time_to}, true "
                     f"{r.true_change:+.1f}" for r in missed.itertuples())
    text = ("**Against the simulation's truth**: "
            + (f"{len(found)} of {len(real)} real change{'s' if len(real) != 1 else ''} found"
               + (f" ({parts})" if parts else "") + (f", missed: {miss}" if miss else "")
               if len(real) else "there is no real change")
            + f"; {false} false alarm{'s' if false != 1 else ''} among the {n_other} changes that "
              "are not real.")
    naive_false = int((check["move"] & ~check["real"]).sum())
    naive_real = int((check["move"] & check["real"]).sum())
    dash = (f"**A dashboard without intervals**: it reports {int(check['move'].sum())} moves, "
            f"{naive_real} of them real and {naive_false} false alarms.")
    return (Finding(text, False, kind="truth"), Finding(dash, False, kind="truth"))


def trend_band(trends: pd.DataFrame, periods: Sequence[Any], by: str | None = None
               ) -> pd.DataFrame:
    """The trend line and its band at every period, from the trend rows of
    :func:`~cxresearch.metrics.waves.compare_waves`.

    The line runs from ``estimate_from`` (first period) to ``estimate_to`` (last). The band is
    spanned by the two lines whose slopes are the ends of the slope's interval, pivoting on
    the line's middle: it shows which trends the data allow (not the interval of each month).

    Parameters
    ----------
    trends : pandas.DataFrame
        Rows with ``contrast == "trend"`` (or all rows when there is no ``contrast``).
    periods : sequence
        The periods in order.
    by : str, optional
        The segment column.

    Returns
    -------
    pandas.DataFrame
        (``by``), ``period``, ``position``, ``fit``, ``band_low``, ``band_high``.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate_from": [10.0], "estimate_to": [14.0], "change": [2.0],
    ...                   "ci_low": [0.0], "ci_high": [4.0], "flag": [""]})
    >>> trend_band(t, [1, 2, 3])[["fit", "band_low", "band_high"]].values.tolist()
    [[10.0, 8.0, 12.0], [12.0, 12.0, 12.0], [14.0, 12.0, 16.0]]
    """
    if "contrast" in trends.columns:
        trends = trends[trends["contrast"] == "trend"]
    pos = np.arange(len(periods), dtype=float)
    mid = (len(periods) - 1) / 2
    rows = []
    for r in trends.itertuples():
        if r.flag != "" or not np.isfinite(r.change):
            continue
        centre = r.estimate_from + r.change * mid
        a = centre + r.ci_low * (pos - mid)
        b = centre + r.ci_high * (pos - mid)
        for k, p in enumerate(periods):
            rows.append({**({by: getattr(r, by)} if by else {}), "period": p,
                         "position": int(pos[k]), "fit": centre + r.change * (pos[k] - mid),
                         "band_low": min(a[k], b[k]), "band_high": max(a[k], b[k])})
    return pd.DataFrame(rows)


def plot_tracker(monthly: pd.DataFrame, band: pd.DataFrame, time: str, by: str | None = None,
                 *, truth: pd.DataFrame | None = None, bare: pd.DataFrame | None = None,
                 axes: Any = None) -> Any:
    """Monthly NPS with intervals, the trend line and its band, one panel per segment.

    Parameters
    ----------
    monthly : pandas.DataFrame
        :func:`~cxresearch.metrics.scores.by_segment` by ``[by, time]`` (or ``time``).
    band : pandas.DataFrame
        :func:`trend_band`.
    time : str
        The period column.
    by : str, optional
        The segment column (one panel each).
    truth : pandas.DataFrame, optional
        The true NPS per (``by``), ``period``: column ``nps`` (dashed line).
    bare : pandas.DataFrame, optional
        The bare NPS per (``by``), ``period``: column ``nps`` (grey crosses, what a dashboard
        shows).
    axes : sequence of matplotlib Axes, optional
        One per segment (default: a new figure).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    segs = list(dict.fromkeys(monthly[by])) if by else [None]
    if axes is None:
        _, axes = plt.subplots(1, len(segs), figsize=(7.2, 2.8), sharey=True, squeeze=False,
                               layout="constrained")
        axes = axes[0]
    periods = list(pd.Index(pd.unique(monthly[time])).sort_values())
    pos = {p: i for i, p in enumerate(periods)}
    for ax, seg in zip(axes, segs):
        m = monthly if seg is None else monthly[monthly[by] == seg]
        m = m[~m["suppressed"]] if "suppressed" in m.columns else m
        x = m[time].map(pos).to_numpy(float)
        ax.errorbar(x, m["estimate"], yerr=[m["estimate"] - m["ci_low"],
                                            m["ci_high"] - m["estimate"]],
                    fmt="o", markersize=3, elinewidth=0.8, color="C0", label="NPS (raked)")
        b = band if seg is None or band.empty else band[band[by] == seg]
        if len(b):
            ax.fill_between(b["position"], b["band_low"], b["band_high"], color="C1", alpha=0.2,
                            linewidth=0)
            ax.plot(b["position"], b["fit"], color="C1", linewidth=1.2, label="trend")
        if bare is not None:
            bb = bare if seg is None else bare[bare[by] == seg]
            ax.plot(bb["period"].map(pos), bb["nps"], "x", color="0.5", markersize=3,
                    label="bare NPS")
        if truth is not None:
            tt = truth if seg is None else truth[truth[by] == seg]
            ax.plot(tt["period"].map(pos), tt["nps"], "--", color="k", linewidth=0.8,
                    drawstyle="steps-mid", label="true NPS")
        ax.set_title("all" if seg is None else str(seg), fontsize="medium")
        step = max(1, len(periods) // 4)
        ax.set_xticks(range(0, len(periods), step),
                      [str(periods[i]) for i in range(0, len(periods), step)])
        ax.set_xlabel(time)
    axes[0].set_ylabel("NPS")
    fig = axes[0].figure
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels),
               fontsize="x-small")
    return fig


def tracker_alt_text(monthly: pd.DataFrame, trends: pd.DataFrame, time: str,
                     by: str | None = None, *, data_label: str, level: float = 0.95,
                     truth: bool = False) -> str:
    """The figure's alt text, from the numbers it shows.

    Parameters
    ----------
    monthly : pandas.DataFrame
        As given to :func:`plot_tracker`.
    trends : pandas.DataFrame
        The trend rows.
    time : str
        The period column.
    by : str, optional
        The segment column.
    data_label : str
        ``"synthetic data"`` or ``"your data"``.
    level : float, default 0.95
        Confidence level.
    truth : bool, default False
        Whether the true NPS is drawn.

    Returns
    -------
    str

    Examples
    --------
    >>> m = pd.DataFrame({"month": [1, 2], "estimate": [10.0, 20.0], "suppressed": False})
    >>> t = pd.DataFrame({"contrast": ["trend"], "change": [10.0], "flag": [""]})
    >>> tracker_alt_text(m, t, "month", data_label="synthetic data")[:60]
    'One panel (synthetic data): monthly NPS over 2 periods, dots'
    """
    shown = monthly[~monthly["suppressed"]] if "suppressed" in monthly.columns else monthly
    n_panels = shown[by].nunique() if by else 1
    tr = trends[trends["contrast"] == "trend"] if "contrast" in trends.columns else trends
    tr = tr[tr["flag"].eq("") & tr["change"].notna()]
    tr = tr.reindex(tr["change"].abs().sort_values(ascending=False).index)
    slopes = ", ".join((f"{getattr(r, by)} {r.change:+.1f}" if by else f"{r.change:+.1f}")
                       for r in tr.head(4).itertuples())
    more = " (the largest four)" if len(tr) > 4 else ""
    panels = f"{n_panels} panels, one per {by}" if by else "One panel"
    return (f"{panels} ({data_label}): monthly NPS over {shown[time].nunique()} periods, dots "
            f"{shown['estimate'].min():.0f} to {shown['estimate'].max():.0f} with "
            f"{level:.0%} bars, crosses the bare NPS, a trend line with a band; trend per "
            f"period{more}: {slopes}" + ("; dashed: the true NPS." if truth else "."))
