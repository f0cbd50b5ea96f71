"""How noisy is a CX metric? Seeded simulations (and their closed-form table) with a known truth.

Each function starts from a population whose promoter and detractor shares are given, so the
true NPS is known, and shows what the estimators of :mod:`cxresearch.metrics.scores` make of samples
drawn from it:

- :func:`repeated_nps_samples` -- one unchanging population sampled period after period (all
  movement of the bare score is noise);
- :func:`nps_interval_widths` -- the "±" of an NPS interval by mix and n, in closed form at the
  expected counts (the table the simulations scatter around);
- :func:`nps_coverage_simulation` -- do the intervals hold their level? (Rocks 2016);
- :func:`nps_cluster_coverage_simulation` -- answers nested in firms: the interval that treats
  them as independent against the clustered one, by the design (firms x answers per firm);
- :func:`nps_false_alarm_simulation` and :class:`FalseAlarmSimulation` -- pairs of identical
  groups that look different, and how often :func:`cxresearch.metrics.scores.compare` calls them
  different.

Every name here is still importable from :mod:`cxresearch.metrics.scores` (re-exported lazily there,
so that module does not import this one). Randomness: ``seed`` (default 0) feeds
``numpy.random.default_rng``.

>>> round(float(repeated_nps_samples(0.45, 0.25, periods=3, seed=0)["true_nps"].iloc[0]), 1)
20.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import check_level, check_positive_int
from cxresearch.metrics.scores import (
    Comparison,
    MetricResult,
    compare,
    nps_from_counts,
    nps_interval_arrays,
)

__all__ = [
    "FalseAlarmSimulation",
    "clustered_nps_answers",
    "nps_cluster_coverage_simulation",
    "nps_coverage_simulation",
    "nps_false_alarm_simulation",
    "nps_interval_widths",
    "repeated_nps_samples",
]

_VECTOR_NPS_METHODS = ("wald", "adjusted_wald", "score")


def _check_shares(promoters: float, detractors: float) -> tuple[float, float, float]:
    """(promoter, passive, detractor) shares; raises unless both are in 0..1 and p + d <= 1."""
    try:
        p, d = float(promoters), float(detractors)
    except (TypeError, ValueError):
        raise ValueError(
            f"arguments 'promoters' and 'detractors' must be numbers, got {promoters!r} and "
            f"{detractors!r}"
        ) from None
    if not (0 <= p <= 1 and 0 <= d <= 1 and p + d <= 1 + 1e-12):
        raise ValueError(
            f"arguments 'promoters' and 'detractors' must be shares in 0..1 summing to at most "
            f"1, got {p!r} and {d!r}"
        )
    return p, max(0.0, 1 - p - d), d


def _check_vector_method(method: str, arg: str = "method") -> str:
    if method not in _VECTOR_NPS_METHODS:
        raise ValueError(f"argument '{arg}': {method!r} is not one of {_VECTOR_NPS_METHODS}")
    return method


def _mixes(mixes: Mapping[str, tuple[float, float]] | Sequence[tuple[float, float]]
           ) -> dict[str, tuple[float, float]]:
    """Named (promoters, detractors) mixes; unnamed ones are labelled like ``"40% / 20%"``."""
    items = (mixes.items() if isinstance(mixes, Mapping)
             else [(f"{p:.0%} / {d:.0%}", (p, d)) for p, d in mixes])
    out: dict[str, tuple[float, float]] = {}
    for name, pair in items:
        try:
            p, d = pair
        except (TypeError, ValueError):
            raise ValueError(
                f"argument 'mixes': {name!r} must be a (promoters, detractors) pair, got {pair!r}"
            ) from None
        sp, _, sd = _check_shares(p, d)
        out[str(name)] = (sp, sd)
    if not out:
        raise ValueError("argument 'mixes' is empty")
    return out


def repeated_nps_samples(
    promoters: float,
    detractors: float,
    n: int = 100,
    periods: int = 12,
    *,
    method: Literal["adjusted_wald", "wald", "score"] = "adjusted_wald",
    level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """NPS of ``periods`` independent samples of ``n`` answers from one unchanging population.

    Each period draws (P, O, D) ~ Multinomial(n; p, 1 - p - d, d) with the true shares
    ``promoters`` = p and ``detractors`` = d, so the true NPS is 100 (p - d) in every period and
    all movement of the bare score is sampling noise. Intervals as in
    :func:`nps_interval_arrays` (the same numbers as :func:`nps_from_counts`). Columns: period
    (1..periods), promoters, passives, detractors (counts), n, estimate, ci_low, ci_high,
    true_nps and covers (the interval contains the true NPS).

    >>> s = repeated_nps_samples(0.45, 0.25, n=100, periods=12, seed=0)
    >>> s.shape, float(s["true_nps"].iloc[0]), bool((s["n"] == 100).all())
    ((12, 10), 20.0, True)
    >>> [int(x) for x in s["estimate"].head(4)]
    [18, 42, 19, 14]
    """
    p, o, d = _check_shares(promoters, detractors)
    n = check_positive_int(n, "n")
    periods = check_positive_int(periods, "periods")
    _check_vector_method(method)
    draws = np.random.default_rng(seed).multinomial(n, [p, o, d], size=periods)
    est, _, lo, hi = nps_interval_arrays(draws[:, 0], draws[:, 2], n, method=method, level=level)
    truth = 100 * (p - d)
    return pd.DataFrame({
        "period": np.arange(1, periods + 1),
        "promoters": draws[:, 0], "passives": draws[:, 1], "detractors": draws[:, 2],
        "n": n, "estimate": est, "ci_low": lo, "ci_high": hi, "true_nps": truth,
        "covers": (lo <= truth) & (truth <= hi),
    })


def nps_interval_widths(
    mixes: Mapping[str, tuple[float, float]] | Sequence[tuple[float, float]],
    n_values: Sequence[int] = (30, 50, 100, 200, 300, 500, 1000, 2000),
    *,
    method: Literal["adjusted_wald", "wald", "score"] = "adjusted_wald",
    level: float = 0.95,
) -> pd.DataFrame:
    """Half-width (the "±") of an NPS interval for each mix of shares and sample size.

    A closed form, not a simulation: the interval of :func:`nps_interval_arrays` at the expected
    counts P = p n and D = d n. For Wald the half-width is z sqrt([p + d - (p - d)^2] / n)
    (Rocks 2016); adjusted Wald uses the shares and n shifted by 3/4, 3/4 and 3. ``mixes`` maps
    a name to (promoters, detractors) shares, or is a list of such pairs. Columns: mix,
    promoters, detractors, nps, n, half_width (in NPS points), one row per mix and n in the
    order given.

    >>> w = nps_interval_widths({"worst": (0.5, 0.5)}, n_values=(100, 400), method="wald")
    >>> [round(float(x), 2) for x in w["half_width"]]
    [19.6, 9.8]
    """
    named = _mixes(mixes)
    _check_vector_method(method, "method")
    ns = [check_positive_int(n, "n_values") for n in n_values]
    rows = []
    for name, (p, d) in named.items():
        n_arr = np.asarray(ns, dtype=float)
        _, _, lo, hi = nps_interval_arrays(p * n_arr, d * n_arr, n_arr, method=method,
                                           level=level)
        rows.append(pd.DataFrame({"mix": name, "promoters": p, "detractors": d,
                                  "nps": 100 * (p - d), "n": ns, "half_width": (hi - lo) / 2}))
    return pd.concat(rows, ignore_index=True)


def nps_coverage_simulation(
    n_values: Sequence[int] = (30, 100, 1000),
    mixes: Mapping[str, tuple[float, float]] | Sequence[tuple[float, float]] = (
        (0.4, 0.2), (0.7, 0.05), (0.45, 0.45), (0.8, 0.1)),
    methods: Sequence[str] = ("wald", "adjusted_wald", "score"),
    *,
    n_boot: int = 4000,
    level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Simulated coverage of NPS intervals: how often they contain the true NPS.

    For every n and mix of (promoters, detractors) shares, ``n_boot`` samples
    (P, O, D) ~ Multinomial(n; p, 1 - p - d, d) are drawn once and every method's interval
    (:func:`nps_interval_arrays`) is computed on the same draws. Coverage is the share of
    intervals containing 100 (p - d); its Monte Carlo standard error is
    sqrt(c (1 - c) / n_boot). A good method has coverage close to ``level``: plain Wald falls
    short at small n, adjusted Wald and the score interval do not (Rocks 2016, The American
    Statistician 70(4):365-372). Tidy output, one row per n, mix and method: n, mix, promoters,
    detractors, true_nps, method, coverage, mc_se, n_sim (the number of simulated samples,
    ``n_boot``; the column keeps its name so existing readers of the frame are unaffected).

    >>> c = nps_coverage_simulation((30,), [(0.45, 0.45)], ("wald", "adjusted_wald"),
    ...                             n_boot=2000, seed=1)
    >>> c[["method", "coverage"]].round(2).values.tolist()
    [['wald', 0.93], ['adjusted_wald', 0.95]]
    """
    named = _mixes(mixes)
    for meth in methods:
        _check_vector_method(meth, "methods")
    n_boot = check_positive_int(n_boot, "n_boot")
    ns = [check_positive_int(n, "n_values") for n in n_values]
    rng = np.random.default_rng(seed)
    rows = []
    for n in ns:
        for name, (p, d) in named.items():
            draws = rng.multinomial(n, [p, max(0.0, 1 - p - d), d], size=n_boot)
            truth = 100 * (p - d)
            for meth in methods:
                _, _, lo, hi = nps_interval_arrays(draws[:, 0], draws[:, 2], n, method=meth,
                                                   level=level)
                cov = float(np.mean((lo <= truth) & (truth <= hi)))
                rows.append({"n": n, "mix": name, "promoters": p, "detractors": d,
                             "true_nps": truth, "method": meth, "coverage": cov,
                             "mc_se": math.sqrt(cov * (1 - cov) / n_boot), "n_sim": n_boot})
    return pd.DataFrame(rows)


def clustered_nps_answers(n_firms: int, answers_per_firm: int, icc: float,
                          promoters: float = 0.45, detractors: float = 0.25, *,
                          seed: int | None = 0) -> pd.DataFrame:
    """0-10 recommend answers nested in firms, with a known NPS and a known latent ICC.

    Each answer has a latent propensity ``u_firm + e`` with ``u ~ N(0, icc)`` shared by the
    firm's customers and ``e ~ N(0, 1 - icc)``; it is a promoter (10) above the
    ``1 - promoters`` quantile of N(0, 1), a detractor (3) below the ``detractors`` quantile,
    else a passive (8). Marginally the latent is N(0, 1), so across firms the true NPS is
    ``100 (promoters - detractors)`` whatever the ICC; the ICC (on the latent scale) only makes
    customers of one firm alike.

    Returns
    -------
    pandas.DataFrame
        ``firm_id``, ``recommend`` (0-10), one row per answer.

    Examples
    --------
    >>> d = clustered_nps_answers(200, 50, 0.1, seed=1)
    >>> len(d), d["firm_id"].nunique(), round(float(d["recommend"].ge(9).mean()), 2)
    (10000, 200, 0.44)
    """
    from scipy.stats import norm

    n_firms = check_positive_int(n_firms, "n_firms")
    answers_per_firm = check_positive_int(answers_per_firm, "answers_per_firm")
    if not 0 <= icc < 1:
        raise ValueError(f"argument 'icc': {icc!r} must be in [0, 1)")
    p, _, d = _check_shares(promoters, detractors)
    rng = np.random.default_rng(seed)
    firm = np.repeat(np.arange(n_firms), answers_per_firm)
    latent = (rng.normal(0, math.sqrt(icc), n_firms)[firm]
              + rng.normal(0, math.sqrt(1 - icc), firm.size))
    answer = np.where(latent > norm.ppf(1 - p), 10, np.where(latent < norm.ppf(d), 3, 8))
    return pd.DataFrame({"firm_id": firm, "recommend": answer})


def nps_cluster_coverage_simulation(
    n_firms: int = 30,
    answers_per_firm: int = 100,
    icc: float = 0.05,
    promoters: float = 0.45,
    detractors: float = 0.25,
    *,
    n_boot: int = 400,
    level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Intervals for answers nested in firms: independent-answer against clustered, by design.

    ``n_boot`` studies of ``n_firms`` x ``answers_per_firm`` answers are drawn from
    :func:`clustered_nps_answers` (new firms each time, so the truth is the NPS of the
    population of firms, ``100 (promoters - detractors)``). Each is analysed twice with
    :func:`cxresearch.metrics.scores.nps`: as if the answers were independent (adjusted Wald)
    and with the firms as clusters (Taylor linearisation, ``cluster=``). The independent-answer
    interval ignores the design effect ``deff ~ 1 + (m - 1) ICC_y`` (Kish 1965, ch. 5; m answers
    per firm, ``ICC_y`` the ICC of the -100/0/100 scores, smaller than the latent ``icc``), so
    its coverage falls as the answers per firm grow; the clustered one holds its level when
    there are enough firms.

    Returns
    -------
    pandas.DataFrame
        One row per method (``"answers independent"``, ``"firms as clusters"``): n_firms,
        answers_per_firm, icc, true_nps, half_width (mean over the studies), coverage, mc_se
        (``sqrt(c (1 - c) / n_boot)``), design_effect (mean of the clustered estimate) and
        n_sim (the number of simulated studies, ``n_boot``).

    Examples
    --------
    >>> t = nps_cluster_coverage_simulation(20, 50, 0.1, n_boot=100, seed=2)
    >>> t.set_index("method")["coverage"].round(2).to_dict()
    {'answers independent': 0.65, 'firms as clusters': 0.97}
    """
    import warnings

    from cxresearch.metrics.scores import nps

    n_boot = check_positive_int(n_boot, "n_boot")
    check_level(level)
    truth = 100 * (promoters - detractors)
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, 2**32 - 1, n_boot)
    found: dict[str, list[tuple[float, bool]]] = {"answers independent": [],
                                                  "firms as clusters": []}
    deffs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for s in seeds:
            d = clustered_nps_answers(n_firms, answers_per_firm, icc, promoters, detractors,
                                      seed=int(s))
            for name, cluster in (("answers independent", None),
                                  ("firms as clusters", d["firm_id"])):
                r = nps(d["recommend"], cluster=cluster, level=level)
                found[name].append(((float(r.ci_high) - float(r.ci_low)) / 2,
                                    bool(r.ci_low <= truth <= r.ci_high)))
                if cluster is not None:
                    deffs.append(float(r.design_effect))
    rows = []
    for name, res in found.items():
        half = np.array([h for h, _ in res])
        cov = float(np.mean([c for _, c in res]))
        rows.append({"method": name, "n_firms": n_firms, "answers_per_firm": answers_per_firm,
                     "icc": icc, "true_nps": truth, "half_width": float(half.mean()),
                     "coverage": cov, "mc_se": math.sqrt(cov * (1 - cov) / n_boot),
                     "design_effect": float(np.mean(deffs)), "n_sim": n_boot})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class FalseAlarmSimulation(Result):
    """Pairs of NPS samples drawn from the *same* population, compared with a test.

    ``pairs`` has one row per simulated pair: the counts of both samples (promoters_a, ...,
    detractors_b), their NPSs (nps_a, nps_b), the gap nps_a - nps_b, the p-value of
    :func:`compare` and ``significant`` (p < 1 - level). Every "significant" pair is a false
    alarm, so :attr:`false_alarm_rate` should be close to 1 - level. ``method`` is the NPS
    interval method whose standard errors the test uses.
    """

    pairs: pd.DataFrame = field(hash=False)
    promoters: float
    detractors: float
    n: int
    level: float
    method: str

    @property
    def n_boot(self) -> int:
        """Number of simulated pairs."""
        return len(self.pairs)

    @property
    def false_alarm_rate(self) -> float:
        """Share of pairs declared different at the 1 - level significance level."""
        return float(self.pairs["significant"].mean())

    @property
    def mc_se(self) -> float:
        """Monte Carlo standard error of :attr:`false_alarm_rate`."""
        r = self.false_alarm_rate
        return math.sqrt(r * (1 - r) / self.n_boot)

    def share_with_gap(self, gap: float = 10.0) -> float:
        """Share of pairs whose bare NPSs differ by ``gap`` points or more (either direction)."""
        return float((self.pairs["gap"].abs() >= gap - 1e-9).mean())

    def example_pair(
        self, min_gap: float = 10.0, max_gap: float = 15.0, labels: tuple[str, str] = ("a", "b")
    ) -> tuple[MetricResult, MetricResult, Comparison]:
        """The first pair with min_gap <= |gap| <= max_gap: both results and their comparison."""
        gap = self.pairs["gap"].abs()
        hit = np.flatnonzero(((gap >= min_gap - 1e-9) & (gap <= max_gap + 1e-9)).to_numpy())
        if len(hit) == 0:
            raise ValueError(
                f"no simulated pair has a gap between {min_gap:g} and {max_gap:g} points"
            )
        row = self.pairs.iloc[int(hit[0])]
        a, b = (
            nps_from_counts(row[f"promoters_{s}"], row[f"passives_{s}"], row[f"detractors_{s}"],
                            method=self.method,  # type: ignore[arg-type]
                            level=self.level, label=lab)
            for s, lab in zip("ab", labels)
        )
        return a, b, compare(a, b, level=self.level)

    def summary(self, gap: float = 10.0) -> str:
        """Two facts: how often identical groups differ by ``gap``+ points, and the test's rate."""
        return (
            f"{self.share_with_gap(gap):.0%} of {self.n_boot:,} pairs of identical groups "
            f"(n = {self.n:,} each) differ by {gap:g}+ NPS points; "
            f"{self.false_alarm_rate:.1%} are declared different at the "
            f"{1 - self.level:.0%} level (false alarms; nominal {1 - self.level:.0%})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The simulated pairs, one row each."""
        return self.pairs.copy()


def nps_false_alarm_simulation(
    promoters: float,
    detractors: float,
    n: int = 100,
    n_boot: int = 4000,
    *,
    method: Literal["adjusted_wald", "wald", "score"] = "adjusted_wald",
    level: float = 0.95,
    seed: int | None = 0,
) -> FalseAlarmSimulation:
    """Simulate ``n_boot`` pairs of groups of ``n`` answers from the same NPS population.

    Both groups draw (P, O, D) ~ Multinomial(n; p, 1 - p - d, d) (all ``a`` samples first, then
    all ``b``), so every difference is noise. The p-value is that of :func:`compare`, computed
    vectorised: z = (c_a - c_b) / sqrt(se_a^2 + se_b^2), p = 2 (1 - Phi(|z|)), with c the
    adjusted NPS 100 (p~ - d~) for adjusted Wald (Lewis & Sauro 2021) and the plain NPS
    otherwise, and se the method's standard error from :func:`nps_interval_arrays`.

    >>> sim = nps_false_alarm_simulation(0.45, 0.25, n=100, n_boot=2000, seed=2)
    >>> round(sim.false_alarm_rate, 2), round(sim.share_with_gap(10), 2)
    (0.05, 0.4)
    """
    from scipy.stats import norm

    p, o, d = _check_shares(promoters, detractors)
    n = check_positive_int(n, "n")
    n_boot = check_positive_int(n_boot, "n_boot")
    _check_vector_method(method)
    check_level(level)
    rng = np.random.default_rng(seed)
    a = rng.multinomial(n, [p, o, d], size=n_boot)
    b = rng.multinomial(n, [p, o, d], size=n_boot)
    ea, sa, _, _ = nps_interval_arrays(a[:, 0], a[:, 2], n, method=method, level=level)
    eb, sb, _, _ = nps_interval_arrays(b[:, 0], b[:, 2], n, method=method, level=level)
    if method == "adjusted_wald":
        centre = 100 * (a[:, 0] - a[:, 2] - b[:, 0] + b[:, 2]) / (n + 3)
    else:
        centre = ea - eb
    se = np.hypot(sa, sb)
    with np.errstate(invalid="ignore", divide="ignore"):
        pv = np.where(se > 0, 2 * norm.sf(np.abs(centre) / se),
                      np.where(ea == eb, 1.0, 0.0))
    pairs = pd.DataFrame({
        "pair": np.arange(n_boot),
        "promoters_a": a[:, 0], "passives_a": a[:, 1], "detractors_a": a[:, 2],
        "promoters_b": b[:, 0], "passives_b": b[:, 1], "detractors_b": b[:, 2],
        "nps_a": ea, "nps_b": eb, "gap": ea - eb, "p_value": pv,
        "significant": pv < 1 - level,
    })
    return FalseAlarmSimulation(pairs, p, d, n, level, method)
