"""CX metrics with honest uncertainty: NPS, CSAT, CES, top-box and mean scores.

Every estimator here depends only on **sufficient statistics**: the (weighted) number of answers
at each scale point, plus the sum of squared weights for Kish's effective sample size. The
counting can therefore be done by any engine (pandas, DuckDB over Parquet/CSV files larger than
memory, a SQL warehouse, a published table) and the estimators consume the counts:

- from responses: :func:`nps`, :func:`csat`, :func:`ces`, :func:`top_box`, :func:`mean_score`;
- from counts: :func:`nps_from_counts`, :func:`top_box_from_counts` (``csat_from_counts``),
  :func:`mean_from_counts`;
- by segment: :func:`aggregate_responses` (DuckDB, Spark or pandas: one SQL statement in
  :mod:`cxresearch.metrics.engines`, the same counts on each) then :func:`summarise_counts`, or
  :func:`by_segment` in one call, with small cells suppressed and flagged;
- comparisons: :func:`compare` (two groups or periods), :func:`compare_many` and
  :func:`compare_segments` (many segments, Holm-adjusted p-values);
- planning: :func:`sample_size_for` and :func:`sample_size_table`.

Two groups of helpers live in the module of their role:

- :mod:`cxresearch.simulate.metrics` -- how noisy a metric is (seeded simulations with a known
  truth): :func:`repeated_nps_samples` (one unchanging population sampled period after
  period), :func:`nps_interval_widths` (the "±" by n), :func:`nps_coverage_simulation` (do the
  intervals hold their level?), :func:`nps_false_alarm_simulation` (identical groups that look
  different; :class:`FalseAlarmSimulation`);
- :mod:`cxresearch.studies.measuring_01` -- notebook 01's tables and reporting checks:
  :func:`top_box_intervals_at_assumed_n` and :func:`top_box_pairwise_at_assumed_n` (published
  percentages without n), :func:`suppression_summary`, :func:`suppressed_and_shown`,
  :func:`input_errors` and :func:`check_engines` (DuckDB and pandas give identical counts;
  :class:`EngineCheck`).

Definitions (question wording)
------------------------------
- **NPS** (Reichheld 2003, "The one number you need to grow", Harvard Business Review 81(12)):
  "How likely is it that you would recommend [company] to a friend or colleague?" on 0..10.
  Promoters answer 9-10, passives 7-8, detractors 0-6; NPS = 100 (p - d), from -100 to 100.
- **CSAT**: "Overall, how satisfied were you with [interaction]?" on 1..5 (very dissatisfied ..
  very satisfied); reported as the percentage in the top two boxes (4-5).
- **CES** (Dixon, Freeman & Toman 2010, "Stop trying to delight your customers", HBR 88(7);
  CES 2.0 wording): "[Company] made it easy for me to handle my issue", 1..7 strongly disagree ..
  strongly agree; reported as a mean (or the percentage agreeing, 5-7).

Uncertainty
-----------
- NPS, Wald: Var(p - d) = [p + d - (p - d)^2] / n, the trinomial variance of a score that is +1,
  0 or -1 (Rocks 2016, "Interval estimation for the 'Net Promoter Score'", The American
  Statistician 70(4):365-372, arXiv:1601.07235).
- NPS, adjusted Wald (default): add 3/4 to promoters, 3/4 to detractors and 3 to n, then use the
  Wald formula (Rocks 2016; Lewis & Sauro, MeasuringU 2021); close to nominal coverage from
  n = 30.
- Proportions: Wilson (1927, JASA 22:209-212) score interval (default), Wald, Agresti & Coull
  (1998, The American Statistician 52:119-126).
- Means: Student t with n_eff - 1 degrees of freedom.
- Any metric: a count-based multinomial percentile bootstrap that draws counts, never rows
  (Efron & Tibshirani 1993, ch. 13), so it costs the same for 100 or 100 million answers.
- Survey weights: the weighted shares with Kish's (1965, *Survey Sampling*) effective sample size
  n_eff = (sum w)^2 / sum w^2 in place of n in every variance (design effect n / n_eff).
- Clustered answers (``cluster=``: customers nested in firms, stores or agents): the
  with-replacement Taylor-linearisation variance of the (weighted) ratio mean with t on
  clusters - 1 degrees of freedom (Wolter 2007, *Introduction to Variance Estimation*; Lumley
  2010, *Complex Surveys*), the numbers of R's survey package (``svydesign(ids = ~cluster,
  weights = ~w)`` with ``svymean``, ``svyby`` and ``svycontrast``; pinned in the tests), with the
  design effect and n_eff = n / deff; or a cluster bootstrap. Segments are domains of one design
  (:func:`by_segment`, :func:`compare_segments`); :func:`compare` uses the covariance when two
  results share clusters.

Argument names (one vocabulary across the package)
--------------------------------------------------
``level`` is the confidence level (0.95); ``method`` the interval or estimation method;
``n_boot`` the number of bootstrap or simulation replications and ``seed`` the only source of
randomness (an int, default 0 so that a rerun gives the same numbers, or None for fresh
entropy); ``data`` a frame of answers (:func:`by_segment`, :func:`compare_segments`,
:func:`check_engines`); ``by`` the reporting segments. :func:`aggregate_responses` keeps
``source`` because it also takes Parquet/CSV paths, directories, tables, DuckDB relations and
Spark DataFrames, not only a frame.
Intervals are always ``ci_low`` and ``ci_high``; every result has ``conf_int(level=)``.

Example
-------
>>> r = nps_from_counts(291, 476, 395, method="wald")
>>> round(r.estimate, 2), round(r.ci_high - r.estimate, 2)
(-8.95, 4.39)
>>> print(r.summary())
NPS = -8.95 (95% CI -13.33 to -4.56; Wald; n = 1,162)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.inference import (
    agresti_coull_interval,
    cluster_variance,
    holm,
    kish_n_eff,
    linearised_mean,
    t_crit,
    wilson_interval,
    z_crit,
)
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    as_list,
    check_level,
    check_method,
    check_positive_int,
    rows_repr,
)

__all__ = [
    "Comparison",
    "MetricResult",
    "aggregate_responses",
    "by_segment",
    "ces",
    "compare",
    "compare_many",
    "compare_segments",
    "csat",
    "csat_from_counts",
    "mean_from_counts",
    "mean_score",
    "nps",
    "nps_from_counts",
    "nps_interval_arrays",
    "sample_size_for",
    "sample_size_table",
    "summarise_counts",
    "top_box",
    "top_box_from_counts",
]

NPS_SCALE: tuple[int, int] = (0, 10)
NPS_METHODS = ("adjusted_wald", "wald", "score", "bootstrap")
PROPORTION_METHODS = ("wilson", "wald", "agresti_coull", "bootstrap")
MEAN_METHODS = ("t", "bootstrap")
METRICS = ("nps", "csat", "ces", "top_box", "mean")
_UNITS = {
    "nps": "points (-100..100)",
    "csat": "% in top box",
    "top_box": "% in top box",
    "ces": "scale points (mean)",
    "mean": "scale points (mean)",
}
_LABELS = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "top_box": "Top-box", "mean": "Mean"}
_METHOD_NAMES = {
    "wald": "Wald",
    "adjusted_wald": "adjusted Wald",
    "score": "score (Tango)",
    "bootstrap": "multinomial bootstrap",
    "wilson": "Wilson",
    "agresti_coull": "Agresti-Coull",
    "t": "t",
    "taylor": "Taylor linearisation, t",
    "cluster_bootstrap": "cluster bootstrap",
}
CLUSTER_METHODS = ("taylor", "cluster_bootstrap")



# --------------------------------------------------------------------------------------------
# Result objects
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricResult(Result):
    """One metric with its uncertainty.

    ``estimate``, ``se``, ``ci_low`` and ``ci_high`` are on the reporting scale: NPS in points
    (-100..100), top-box and CSAT in percent, means in scale points. ``se`` is the standard error
    the interval method uses (adjusted for ``adjusted_wald``, the bootstrap standard deviation for
    ``bootstrap``). ``n`` is the number of valid answers, ``n_eff`` Kish's effective sample size
    (equal to ``n`` without weights) and ``counts`` the (weighted) counts the estimate depends on.
    ``flag`` is ``""`` for an ordinary result, ``"empty"`` when there were no valid answers (all
    numbers NaN) and ``"suppressed"`` for a small cell hidden by :func:`by_segment`.

    With ``cluster=`` (methods ``"taylor"`` and ``"cluster_bootstrap"``): ``design_effect`` is
    the variance of the clustered (and weighted) estimate over that of a simple random sample
    with replacement of the same ``n`` answers (R survey's ``svymean(..., deff = "replace")``),
    ``n_eff`` is ``n / design_effect``, ``n_clusters`` the number of clusters with valid answers,
    ``df`` = ``n_clusters - 1`` for ``"taylor"``, and ``cluster_totals`` holds, per cluster of the
    design, the number of valid answers (``n``) and the summed linearised scores (``z``, on the
    reporting scale) that :func:`compare` needs for the covariance of two results sharing
    clusters. Without clusters ``design_effect`` is NaN, ``n_clusters`` 0 and
    ``cluster_totals`` None. ``draws`` holds the bootstrap statistics of the bootstrap methods
    (None otherwise), so that :meth:`conf_int` can give the interval at another level.
    ``calibration`` names the weighting whose variance the SE accounts for (``"raking"``,
    ``"poststratification"``, ``"linear"``, ``"logit"``; computed with ``calibration=``, see
    :func:`nps`), ``""`` otherwise; a calibrated result without ``cluster=`` counts every
    answer as its own cluster.

    Examples
    --------
    >>> r = nps_from_counts(60, 25, 15, method="wald")
    >>> r.metric, round(r.estimate, 1), r.n
    ('nps', 45.0, 100)
    >>> r.conf_int(0.9)[["ci_low", "ci_high"]].round(2).values.tolist()
    [[32.83, 57.17]]
    """

    metric: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    n_eff: float
    level: float = 0.95
    method: str = ""
    counts: Mapping[str, float] = field(default_factory=dict, hash=False)
    n_missing: int = 0
    weighted: bool = False
    df: float = math.nan
    flag: str = ""
    label: str = ""
    design_effect: float = math.nan
    n_clusters: int = 0
    cluster_totals: pd.DataFrame | None = field(default=None, hash=False, compare=False,
                                                repr=False)
    draws: np.ndarray | None = field(default=None, hash=False, compare=False, repr=False)
    calibration: str = ""

    @property
    def unit(self) -> str:
        """The unit of ``estimate``, ``se`` and the interval."""
        return _UNITS.get(self.metric, "")

    @property
    def margin(self) -> float:
        """Half the interval width (the "± margin" of a dashboard)."""
        return (self.ci_high - self.ci_low) / 2

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``estimate, se, ci_low, ci_high, level, method``: the interval of the same
        method at ``level`` (the stored interval when ``level`` is the result's own).

        Closed-form methods are recomputed from the counts (NPS and proportions), the standard
        error and df (t, Taylor); the bootstrap methods take the percentiles of the same draws.

        >>> r = nps_from_counts(291, 476, 395, method="wald")
        >>> row = r.conf_int(0.9)
        >>> round(float(row["ci_low"].iloc[0]), 2), round(float(row["ci_high"].iloc[0]), 2)
        (-12.63, -5.27)
        """
        lvl = check_level(level)
        lo, hi = self.ci_low, self.ci_high
        if lvl != self.level and not self.flag:
            lo, hi = self._interval_at(lvl)
        return pd.DataFrame([{"estimate": self.estimate, "se": self.se, "ci_low": lo,
                              "ci_high": hi, "level": lvl, "method": self.method}])

    def _interval_at(self, level: float) -> tuple[float, float]:
        method, c = self.method, self.counts
        if method in ("bootstrap", "cluster_bootstrap"):
            if self.draws is None or len(self.draws) < 2:
                return math.nan, math.nan
            _, lo, hi = _bootstrap_quantiles(self.draws, level)
            return lo, hi
        if method in ("t", "taylor"):
            if not self.df >= 1:
                return math.nan, math.nan
            q = t_crit(level, self.df)
            lo, hi = self.estimate - q * self.se, self.estimate + q * self.se
            if method == "taylor" and self.metric != "mean" and (
                    self.metric != "ces" or "top_box" in c):
                bounds = (-100.0, 100.0) if self.metric == "nps" else (0.0, 100.0)
                lo, hi = max(bounds[0], lo), min(bounds[1], hi)
            return lo, hi
        if self.metric == "nps":
            total = c["promoters"] + c["passives"] + c["detractors"]
            _, _, low, high = nps_interval_arrays(c["promoters"], c["detractors"], total,
                                                  self.n_eff, method=method,  # type: ignore
                                                  level=level)
            return float(low), float(high)
        total = c["top_box"] + c["other"]
        _, low, high = _proportion_interval(c["top_box"], total, self.n_eff, method, level)
        return 100 * low, 100 * high

    def summary(self) -> str:
        """One line: the estimate, its interval, the method and n."""
        name = _LABELS.get(self.metric, self.metric)
        if self.label and self.label not in ("scores", name.lower()):
            name = f"{name} [{self.label}]"
        if self.flag == "empty":
            return f"{name}: no valid answers (n = 0)"
        if self.flag == "suppressed":
            return f"{name}: suppressed (n = {self.n:,} below the minimum cell size)"
        pct = "%" if self.metric in ("csat", "top_box") else ""
        neff = f", n_eff = {self.n_eff:,.1f}" if self.weighted or self.n_clusters else ""
        if self.n_clusters:
            own = (self.calibration and self.cluster_totals is not None
                   and isinstance(self.cluster_totals.index, pd.RangeIndex)
                   and len(self.cluster_totals) >= self.n)  # calibrated, no cluster= given
            psu = "every answer its own cluster" if own else f"{self.n_clusters:,} clusters"
            neff = f", {psu}, deff = {self.design_effect:.2f}{neff}"
        if self.calibration:
            neff += f"; calibrated ({self.calibration})"
        return (
            f"{name} = {self.estimate:.2f}{pct} ({self.level:.0%} CI {self.ci_low:.2f} to "
            f"{self.ci_high:.2f}; {_METHOD_NAMES.get(self.method, self.method)}; "
            f"n = {self.n:,}{neff})"
        )

    def to_frame(self) -> pd.DataFrame:
        """A one-row tidy frame (counts as extra columns; with clusters, then design_effect,
        n_clusters and df)."""
        row: dict[str, Any] = {
            "metric": self.metric,
            "label": self.label,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "level": self.level,
            "method": self.method,
            "n": self.n,
            "n_eff": self.n_eff,
            "n_missing": self.n_missing,
            "weighted": self.weighted,
            "flag": self.flag,
        }
        row.update({f"count_{k}": v for k, v in self.counts.items()})
        if self.n_clusters:  # only then, so frames of unclustered results keep their columns
            row.update({"design_effect": self.design_effect, "n_clusters": self.n_clusters,
                        "df": self.df})
        return pd.DataFrame([row])


@dataclass(frozen=True)
class Comparison(Result):
    """The difference ``a - b`` between two independent results.

    ``estimate`` is the difference on the metric's reporting scale, with its ``se``, interval,
    test ``statistic`` (z, or Welch t when both results are means) and two-sided ``p_value``.

    Examples
    --------
    >>> c = compare(nps_from_counts(60, 25, 15, method="wald"),
    ...             nps_from_counts(45, 30, 25, method="wald"))
    >>> round(c.estimate, 1), c.method
    (25.0, 'z (unpooled)')
    """

    metric: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    level: float
    method: str
    n_a: int
    n_b: int
    df: float = math.nan
    label_a: str = "a"
    label_b: str = "b"

    @property
    def n(self) -> int:
        """Total number of answers in the two groups."""
        return self.n_a + self.n_b

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``difference, se, ci_low, ci_high, level, method`` at ``level`` (the stored
        interval when ``level`` is the comparison's own): the same centre and SE, with the t
        quantile on ``df`` degrees of freedom when the test is a t test, else the normal one.

        >>> c = compare(nps_from_counts(60, 25, 15, method="wald"),
        ...             nps_from_counts(45, 30, 25, method="wald"))
        >>> round(float(c.conf_int(0.99)["ci_low"].iloc[0]), 2)
        -3.3
        """
        lvl = check_level(level)
        q = t_crit(lvl, self.df) if np.isfinite(self.df) else z_crit(lvl)
        centre = (self.ci_low + self.ci_high) / 2  # the adjusted-Wald centre where one is used
        lo, hi = ((self.ci_low, self.ci_high) if lvl == self.level
                  else (centre - q * self.se, centre + q * self.se))
        return pd.DataFrame([{"difference": self.estimate, "se": self.se, "ci_low": lo,
                              "ci_high": hi, "level": lvl, "method": self.method}])

    def summary(self) -> str:
        """One line: the difference, its interval and p-value."""
        name = _LABELS.get(self.metric, self.metric)
        return (
            f"{name} difference {self.label_a} - {self.label_b} = {self.estimate:.2f} "
            f"({self.level:.0%} CI {self.ci_low:.2f} to {self.ci_high:.2f}; "
            f"p = {self.p_value:.3g}; {self.method})"
        )

    def to_frame(self) -> pd.DataFrame:
        """A one-row tidy frame."""
        return pd.DataFrame(
            [
                {
                    "metric": self.metric,
                    "a": self.label_a,
                    "b": self.label_b,
                    "difference": self.estimate,
                    "se": self.se,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "statistic": self.statistic,
                    "p_value": self.p_value,
                    "level": self.level,
                    "method": self.method,
                    "n_a": self.n_a,
                    "n_b": self.n_b,
                }
            ]
        )


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def _check_scale(scale: Any, arg: str = "scale") -> tuple[float, float]:
    try:
        lo, hi = scale
    except (TypeError, ValueError):
        raise ValueError(f"argument '{arg}' must be a (min, max) pair, got {scale!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"argument '{arg}' must satisfy min < max, got {scale!r}")
    return lo, hi


def _clean(
    scores: Any,
    weights: Any = None,
    *,
    scale: tuple[float, float] | None,
    integer: bool,
    name: str | None = None,
) -> tuple[np.ndarray, np.ndarray | None, int, str]:
    """Validate scores (and weights); return values, weights, number of missing, column name."""
    values, w, n_missing, col, _ = _cleanrows_repr(scores, weights, scale=scale, integer=integer,
                                               name=name)
    return values, w, n_missing, col


def _cleanrows_repr(
    scores: Any,
    weights: Any = None,
    *,
    scale: tuple[float, float] | None,
    integer: bool,
    name: str | None = None,
) -> tuple[np.ndarray, np.ndarray | None, int, str, np.ndarray]:
    """As :func:`_clean`, plus the mask of the dropped (missing) answers among all rows."""
    if isinstance(scores, pd.DataFrame):
        raise ValueError(
            "argument 'scores' is a DataFrame; pass one column, e.g. df['nps'] "
            "(or use by_segment for several segments)"
        )
    # Every check below is a vectorised pass over the values (no Python-level loop). A numeric
    # numpy array is used as it is (a pandas Series around it would cost a copy).
    if isinstance(scores, pd.Series):
        s: pd.Series | None = scores
        raw: Any = scores
        col = name or (str(scores.name) if scores.name is not None else "scores")
    elif isinstance(scores, np.ndarray) and scores.dtype.kind in "biuf" and scores.ndim == 1:
        s, raw, col = None, scores, name or "scores"
    else:  # lists and other sequences: keep each element's own type (True is not 1)
        s = pd.Series(np.asarray(scores, dtype=object))
        raw, col = s, name or "scores"
    n_all = len(raw)

    def labels() -> pd.Index:  # row labels, built only for an error message
        return s.index if s is not None else pd.RangeIndex(n_all)

    dtype = raw.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise ValueError(f"column '{col}': scores are True/False, expected numbers")
    exact_int = False
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        values = np.asarray(raw, dtype=float)
        exact_int = dtype.kind in "iu"  # plain integers: no NaN, inf or fractions possible
        missing = np.zeros(n_all, dtype=bool) if exact_int else np.isnan(values)
    elif pd.api.types.is_numeric_dtype(dtype):  # nullable extension dtypes (Int64, Float64)
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
    else:
        assert s is not None
        missing = s.isna().to_numpy()
        values = _object_values(s, col, missing)
    if not exact_int:
        infinite = np.isinf(values)
        if infinite.any():
            raise ValueError(
                f"column '{col}': {int(infinite.sum())} infinite value(s) at rows "
                f"{rows_repr(labels(), infinite)}"
            )
    w = None
    if weights is not None:
        wser = weights if isinstance(weights, pd.Series) else pd.Series(np.asarray(weights))
        wname = str(wser.name) if isinstance(weights, pd.Series) and wser.name else "weights"
        if len(wser) != n_all:
            raise ValueError(
                f"argument '{wname}': {len(wser)} weight(s) for {n_all} score(s) in '{col}'"
            )
        try:
            w = pd.to_numeric(wser, errors="raise").to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise ValueError(f"argument '{wname}': weights must be numbers") from None
        bad_w = (~np.isfinite(w) | (w < 0)) & ~missing
        if bad_w.any():
            raise ValueError(
                f"argument '{wname}': {int(bad_w.sum())} missing, infinite or negative weight(s) "
                f"at rows {rows_repr(labels(), bad_w)}"
            )
    n_missing = 0 if exact_int else int(np.count_nonzero(missing))
    if n_missing:
        warnings.warn(
            f"column '{col}': dropped {n_missing} missing value(s) of {n_all}",
            UserWarning,
            stacklevel=_caller_stacklevel(),
        )
        keep = ~missing
        values = values[keep]
        if w is not None:
            w = w[keep]

    def index() -> pd.Index:  # row labels of the kept values, built only for an error message
        return labels()[~missing] if n_missing else labels()

    if scale is not None and len(values):
        lo, hi = scale
        # two reductions decide; the mask (for the message) is built only when something is out
        if values.min() < lo or values.max() > hi:
            outside = (values < lo) | (values > hi)
            raise ValueError(
                f"column '{col}': {int(outside.sum())} value(s) outside {lo:g}..{hi:g} at rows "
                f"{rows_repr(index(), outside)}"
            )
    if integer and not exact_int:
        frac = values != np.round(values)
        if frac.any():
            raise ValueError(
                f"column '{col}': {int(frac.sum())} non-integer value(s) on an integer scale at "
                f"rows {rows_repr(index(), frac)}"
            )
    return values, w, n_missing, col, missing


# pandas' inferred types of an object column that hold only numbers (no bool, no text)
_NUMERIC_INFERRED = frozenset({"integer", "floating", "mixed-integer-float", "decimal", "empty"})


def _object_values(s: pd.Series, col: str, missing: np.ndarray) -> np.ndarray:
    """Float values of an object-dtype column; text and True/False raise naming the rows.

    ``pd.api.types.infer_dtype`` classifies the column in one C-level pass; only a column that
    is not purely numeric is inspected element by element (to find the offending rows).
    """
    if pd.api.types.infer_dtype(s, skipna=True) in _NUMERIC_INFERRED:
        return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    obj = s.to_numpy(dtype=object)
    is_bool = np.fromiter((isinstance(v, bool | np.bool_) for v in obj), dtype=bool,
                          count=len(obj))
    num = pd.to_numeric(s.where(~is_bool), errors="coerce")
    text = (num.isna().to_numpy() & ~missing) | is_bool
    if text.any():
        examples = list(s[text].iloc[:3])
        raise ValueError(
            f"column '{col}': {int(text.sum())} non-numeric value(s) at rows "
            f"{rows_repr(s.index, text)} (e.g. {examples!r})"
        )
    return num.to_numpy(dtype=float, na_value=np.nan)


def _caller_stacklevel() -> int:
    """``stacklevel`` for ``warnings.warn`` that points at the first frame outside this module.

    Public functions call each other, so a fixed level would blame a line of the package instead
    of the caller's.
    """
    import sys

    inside = (__name__,)
    frame = sys._getframe(1)  # the function calling warnings.warn: level 1
    level = 1
    while frame is not None and frame.f_globals.get("__name__") in inside:
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _check_count(value: Any, arg: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"argument '{arg}' must be a number, got {value!r}") from None
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"argument '{arg}' must be a finite count >= 0, got {value!r}")
    return v


def _empty(metric: str, level: float, method: str, n_missing: int, label: str,
           counts: Mapping[str, float] | None = None, weighted: bool = False) -> MetricResult:
    nan = math.nan
    return MetricResult(metric, nan, nan, nan, nan, 0, 0.0, level, method,
                        dict(counts or {}), n_missing, weighted, nan, "empty", label)


# --------------------------------------------------------------------------------------------
# Clustered answers: Taylor linearisation (as R's survey package) and the cluster bootstrap
# --------------------------------------------------------------------------------------------


def _factorize(values: Any) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..C-1 and the unique ids (sorted when sortable); missing ids get code -1."""
    try:
        codes, ids = pd.factorize(values, sort=True)
    except TypeError:  # ids of mixed types that cannot be ordered
        codes, ids = pd.factorize(values, sort=False)
    return np.asarray(codes, dtype=np.intp), pd.Index(ids)


def _cluster_codes(cluster: Any, scores: Any, n_all: int, col: str) -> tuple[np.ndarray, pd.Index]:
    """The cluster code of every row (missing answers included) and the cluster ids.

    Every cluster given counts in the design, also one whose answers are all missing, as in R's
    survey package (``na.rm = TRUE`` keeps the design's clusters).
    """
    if isinstance(cluster, str):
        raise ValueError(
            f"argument 'cluster': {cluster!r} is a column name but the scores are not a frame; "
            f"pass the cluster ids themselves, e.g. df[{cluster!r}] (by_segment and "
            "compare_segments take column names)"
        )
    if isinstance(cluster, pd.DataFrame):
        raise ValueError("argument 'cluster' is a DataFrame; pass one column of cluster ids")
    if isinstance(cluster, pd.Series):
        ids_given = cluster
        what = f"column '{cluster.name}'" if cluster.name is not None else "argument 'cluster'"
    else:
        arr = cluster if isinstance(cluster, np.ndarray) else np.asarray(cluster, dtype=object)
        if arr.ndim != 1:
            raise ValueError(f"argument 'cluster' must be one-dimensional, got shape {arr.shape}")
        ids_given = pd.Series(arr)
        what = "argument 'cluster'"
    if len(ids_given) != n_all:
        raise ValueError(f"{what}: {len(ids_given)} cluster id(s) for {n_all} score(s) in "
                         f"'{col}'")
    codes, ids = _factorize(ids_given)
    bad = codes < 0
    if bad.any():
        labels = scores.index if isinstance(scores, pd.Series) else pd.RangeIndex(n_all)
        raise ValueError(f"{what}: {int(bad.sum())} missing cluster id(s) at rows "
                         f"{rows_repr(labels, bad)}")
    if len(ids) < 2:
        raise ValueError(f"{what}: {len(ids)} cluster(s); a clustered standard error needs at "
                         "least 2 (clusters - 1 degrees of freedom)")
    return codes, ids


def _resolve_method(method: str | None, cluster: Any, default: str) -> str:
    """The method to use: ``default`` without clusters, ``"taylor"`` with them."""
    if cluster is None:
        if method in CLUSTER_METHODS:
            raise ValueError(f"argument 'method': {method!r} needs cluster= (the cluster id of "
                             "every answer)")
        return default if method is None else method
    if method is None:
        return "taylor"
    if method not in CLUSTER_METHODS:
        raise ValueError(f"argument 'method': {method!r} treats the answers as independent; "
                         f"with cluster= use one of {CLUSTER_METHODS}")
    return method


def _scored(metric: str, values: np.ndarray, scale: tuple[float, float] | None,
            k: int | None) -> tuple[np.ndarray, tuple[float, float] | None]:
    """Each answer on the reporting scale (the y whose mean is the metric) and its bounds."""
    if metric == "nps":
        return np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0)), (-100.0, 100.0)
    if k is not None:
        if scale is None:
            raise ValueError(f"argument 'scale' is needed for metric {metric!r}")
        return 100.0 * (values >= scale[1] - k + 1), (0.0, 100.0)
    return values.astype(float), None


def _counts_of(metric: str, values: np.ndarray, sw: np.ndarray, sw2: np.ndarray,
               scale: tuple[float, float] | None, k: int | None) -> dict[str, float]:
    """The same ``counts`` an unclustered result carries (weighted totals, or mean and sd)."""
    if metric == "nps":
        P, D = float(sw[values >= 9].sum()), float(sw[values <= 6].sum())
        return {"promoters": P, "passives": float(sw.sum()) - P - D, "detractors": D}
    if k is not None:
        assert scale is not None
        x = float(sw[values >= scale[1] - k + 1].sum())
        return {"top_box": x, "other": float(sw.sum()) - x}
    sum_w = float(sw.sum())
    if sum_w <= 0:
        return {"mean": math.nan, "sd": math.nan}
    mean = float(sw @ values) / sum_w
    m = kish_n_eff(sum_w, float(sw2.sum()))
    pvar = max(float(sw @ (values * values)) / sum_w - mean * mean, 0.0)
    return {"mean": mean, "sd": math.sqrt(pvar * m / (m - 1)) if m > 1 else math.nan}


def _cluster_bootstrap_stats(sw_c: np.ndarray, swy_c: np.ndarray, n_boot: int,
                             seed: int | None) -> np.ndarray:
    """``n_boot`` ratio estimates sum(w y) / sum(w), each over C clusters drawn with
    replacement from the C clusters of the design (NaN when a draw has no answers)."""
    n_c = len(sw_c)
    rng = np.random.default_rng(seed)
    out = np.empty(n_boot)
    pvals = np.full(n_c, 1.0 / n_c)
    step = max(1, 2_000_000 // n_c)  # bounded memory: at most ~2 million draws at a time
    for start in range(0, n_boot, step):
        k = min(step, n_boot - start)
        times = rng.multinomial(n_c, pvals, size=k).astype(float)  # how often each is drawn
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:start + k] = (times @ swy_c) / (times @ sw_c)
    return out


def _cluster_estimate(
    metric: str, sw_c: np.ndarray, swy_c: np.ndarray, n_c: np.ndarray, sum_wy2: float,
    ids: pd.Index, *, method: str, level: float, n_boot: int, seed: int | None,
    bounds: tuple[float, float] | None, counts: Mapping[str, float], label: str,
    n_missing: int, weighted: bool,
    linearised: tuple[float, np.ndarray, float] | None = None, calibration: str = "",
) -> MetricResult:
    """The (weighted) mean of y over one domain of a one-stage cluster sample, with its SE.

    Inputs are per cluster of the whole design (zeros for clusters without answers in the
    domain): sum of weights ``sw_c``, of weighted scores ``swy_c``, answers ``n_c``; and the
    domain's sum of w y^2. See :func:`nps` for the formulas. ``linearised`` (estimate,
    per-cluster scores, variance) replaces the plain linearisation (the calibrated one).
    """
    check_level(level)
    n = round(float(n_c.sum()))
    sum_w = float(sw_c.sum())
    if n == 0 or sum_w <= 0:
        return _empty(metric, level, method, n_missing, label, counts, weighted)
    # z: linearised scores, summed per cluster
    est, z, var = linearised_mean(sw_c, swy_c) if linearised is None else linearised
    n_clusters = int(np.count_nonzero(n_c))
    # variance of the mean of n answers drawn with replacement (R: svyvar(y) / n)
    v_srs = (max(sum_wy2 - est * est * sum_w, 0.0) / (sum_w * (n - 1)) if n > 1 else math.nan)
    stats = None
    if method == "taylor":
        se = math.sqrt(var)
        df = float(n_clusters - 1)
        if df >= 1:
            q = t_crit(level, df)
            lo, hi = est - q * se, est + q * se
        else:
            lo = hi = math.nan
    elif method == "cluster_bootstrap":
        n_boot = check_positive_int(n_boot, "n_boot")
        stats = _cluster_bootstrap_stats(sw_c, swy_c, n_boot, seed)
        stats = stats[np.isfinite(stats)]
        se, lo, hi = (_bootstrap_quantiles(stats, level) if len(stats) > 1
                      else (math.nan, math.nan, math.nan))
        var = se * se
        df = math.nan
    else:
        raise ValueError(f"argument 'method': {method!r} is not one of {CLUSTER_METHODS}")
    if bounds is not None and np.isfinite(lo):
        lo, hi = max(bounds[0], lo), min(bounds[1], hi)
    deff = var / v_srs if v_srs > 0 else math.nan
    n_eff = n / deff if deff > 0 else math.nan
    totals = pd.DataFrame({"n": n_c.astype(np.int64), "z": z}, index=ids)
    return MetricResult(metric, est, se, lo, hi, n, n_eff, level, method, dict(counts),
                        n_missing, weighted, df, "", label, deff, n_clusters, totals, stats,
                        calibration)


def _clustered_from_answers(
    metric: str, values: np.ndarray, w: np.ndarray | None, codes: np.ndarray, ids: pd.Index, *,
    scale: tuple[float, float] | None, k: int | None, method: str, level: float, n_boot: int,
    seed: int | None, label: str, n_missing: int,
) -> MetricResult:
    """A clustered result from validated answers and their cluster codes."""
    n_design = len(ids)
    ww = np.ones(len(values)) if w is None else w
    y, bounds = _scored(metric, values, scale, k)
    sw_c = np.bincount(codes, weights=ww, minlength=n_design)
    swy_c = np.bincount(codes, weights=ww * y, minlength=n_design)
    n_c = np.bincount(codes, minlength=n_design).astype(float)
    counts = _counts_of(metric, values, ww, ww * ww, scale, k)
    return _cluster_estimate(metric, sw_c, swy_c, n_c, float(ww @ (y * y)), ids, method=method,
                             level=level, n_boot=n_boot, seed=seed, bounds=bounds,
                             counts=counts, label=label, n_missing=n_missing,
                             weighted=w is not None)


# --------------------------------------------------------------------------------------------
# Calibrated weights (rake, poststratify, calibrate): calibration-aware linearisation
# --------------------------------------------------------------------------------------------


def _calibration_weights(calibration: Any, scores: Any, weights: Any, col: str) -> np.ndarray:
    """The calibrated weights for ``scores`` (matched by position), checked against the data
    that was weighted and against ``weights`` when both are given."""
    from cxresearch.metrics.weighting import WeightingResult

    if not isinstance(calibration, WeightingResult):
        raise TypeError("argument 'calibration' must be the result of rake, poststratify or "
                        f"calibrate, got {type(calibration).__name__}")
    cw = calibration.weights
    n_all = len(scores)
    if n_all != len(cw):
        raise DataError(f"argument 'calibration': {len(cw):,} calibrated weight(s) for "
                        f"{n_all:,} score(s) in '{col}'; pass the column of the data that was "
                        "weighted (a segment is a domain: use by_segment)")
    if isinstance(scores, pd.Series) and not scores.index.equals(cw.index):
        raise DataError(f"column '{col}': its index differs from that of the data that was "
                        "weighted; pass the column of the same frame")
    out = cw.to_numpy(dtype=float)
    if weights is not None:
        given = pd.to_numeric(pd.Series(np.asarray(weights)), errors="coerce").to_numpy(float)
        if len(given) != n_all:
            raise DataError(f"argument 'weights': {len(given)} weight(s) for {n_all} score(s) "
                            f"in '{col}'")
        off = ~np.isclose(given, out, rtol=1e-9, atol=0.0)
        if off.any():
            raise DataError(f"argument 'weights': {int(off.sum())} weight(s) differ from the "
                            f"calibrated weights at rows {rows_repr(cw.index, off)}; leave "
                            "weights=None to use calibration.weights")
    return out


def _calibrated_method(method: str | None) -> str:
    if method not in (None, "taylor"):
        raise DataError(f"argument 'method': {method!r}; with calibration= the interval is the "
                        "calibration-aware Taylor linearisation ('taylor')")
    return "taylor"


def _calibrated_estimate(
    metric: str, values: np.ndarray, w: np.ndarray, valid: np.ndarray, codes: np.ndarray,
    ids: pd.Index, calibration: Any, *, scale: tuple[float, float] | None, k: int | None,
    level: float, label: str, n_missing: int,
) -> MetricResult:
    """One domain (the rows ``valid``) of a calibrated design: the linearised scores of all rows
    (zero outside the domain) are replaced by their calibration residuals, then summed per
    cluster over every cluster of the design."""
    n_all = len(valid)
    n_design = len(ids)
    counts = _counts_of(metric, values, w, w * w, scale, k)
    y, bounds = _scored(metric, values, scale, k)
    sum_w = float(w.sum())
    if len(values) == 0 or sum_w <= 0:
        return _empty(metric, level, "taylor", n_missing, label, counts, True)
    est = float(w @ y) / sum_w
    x = np.zeros(n_all)
    x[valid] = w * (y - est) / sum_w
    resid = calibration.basis.residuals(x)
    z = np.bincount(codes, weights=resid, minlength=n_design)
    cv = codes[valid]
    return _cluster_estimate(
        metric, np.bincount(cv, weights=w, minlength=n_design),
        np.bincount(cv, weights=w * y, minlength=n_design),
        np.bincount(cv, minlength=n_design).astype(float), float(w @ (y * y)), ids,
        method="taylor", level=level, n_boot=1, seed=0, bounds=bounds, counts=counts,
        label=label, n_missing=n_missing, weighted=True,
        linearised=(est, z, cluster_variance(z)), calibration=calibration.method)


def _calibrated_from_scores(
    metric: str, scores: Any, weights: Any, cluster: Any, calibration: Any, *,
    scale: tuple[float, float] | None, k: int | None, integer: bool, method: str | None,
    level: float, name: str | None,
) -> MetricResult:
    """A metric of all answers with the calibration-aware Taylor SE."""
    _calibrated_method(method)
    col = name or (str(scores.name) if isinstance(scores, pd.Series) and scores.name is not None
                   else "scores")
    cw = _calibration_weights(calibration, scores, weights, col)
    values, w, n_missing, col, missing = _cleanrows_repr(scores, cw, scale=scale,
                                                         integer=integer, name=name)
    n_all = len(missing)
    if cluster is not None:
        codes, ids = _cluster_codes(cluster, scores, n_all, col)
    else:
        codes, ids = np.arange(n_all), pd.RangeIndex(n_all)
    assert w is not None
    return _calibrated_estimate(metric, values, w, ~missing, codes, ids, calibration,
                                scale=scale, k=k, level=level, label=col, n_missing=n_missing)


# --------------------------------------------------------------------------------------------
# NPS
# --------------------------------------------------------------------------------------------


def _tango_d(p: np.ndarray, d: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Constrained MLE of the detractor share given p - d = delta (Tango 1998, in shares)."""
    b = -p - d + (2 - p + d) * delta
    c = -d * delta * (1 - delta)
    return (np.sqrt(np.maximum(b * b - 8 * c, 0.0)) - b) / 4


def _score_z(p: np.ndarray, d: np.ndarray, m: np.ndarray, delta: np.ndarray) -> np.ndarray:
    dt = _tango_d(p, d, delta)
    var = np.maximum(2 * dt + delta * (1 - delta), 1e-300) / m
    return (p - d - delta) / np.sqrt(var)


def _score_interval(p: np.ndarray, d: np.ndarray, m: np.ndarray, z: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Invert the score test by vectorised bisection (the statistic falls as delta rises)."""
    est = p - d
    a, b = np.full_like(est, -1.0), est.copy()  # lower limit: z(delta) = +z
    for _ in range(60):
        mid = (a + b) / 2
        above = _score_z(p, d, m, mid) > z
        a, b = np.where(above, mid, a), np.where(above, b, mid)
    low = (a + b) / 2
    a, b = est.copy(), np.ones_like(est)  # upper limit: z(delta) = -z
    for _ in range(60):
        mid = (a + b) / 2
        below = _score_z(p, d, m, mid) < -z
        a, b = np.where(below, a, mid), np.where(below, mid, b)
    return low, (a + b) / 2


def nps_interval_arrays(
    promoters: Any,
    detractors: Any,
    total: Any,
    n_eff: Any = None,
    *,
    method: Literal["wald", "adjusted_wald", "score"] = "adjusted_wald",
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised NPS intervals for arrays of counts: returns (estimate, se, low, high) in points.

    Wald: (p - d) ± z sqrt([p + d - (p - d)^2] / n). Adjusted Wald (Rocks 2016; Lewis & Sauro
    2021): p~ = (P + 3/4)/(n + 3), d~ = (D + 3/4)/(n + 3), interval (p~ - d~) ± z
    sqrt([p~ + d~ - (p~ - d~)^2] / (n + 3)). Score (Rocks 2016's iterative score interval, the
    Tango 1998 interval for a paired difference, Statistics in Medicine 17:891-908): all delta
    with |p - d - delta| / sqrt([2 d~ + delta (1 - delta)] / n) <= z, d~ the detractor share
    maximising the likelihood under p - d = delta. With weights, P, D and n are weighted totals
    and n_eff (Kish) replaces n, the shares staying the weighted shares. Limits are clipped to
    [-100, 100]. The estimate is always the plain 100 (p - d); ``se`` is the Wald one for
    ``"score"``.

    Parameters
    ----------
    promoters, detractors : array-like
        (Weighted) counts of promoters (9-10) and detractors (0-6).
    total : array-like
        (Weighted) number of answers.
    n_eff : array-like, optional
        Effective sample sizes (Kish); default ``total``.
    method : {'adjusted_wald', 'wald', 'score'}, default 'adjusted_wald'
        Interval method.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of numpy.ndarray
        ``(estimate, se, low, high)`` in NPS points.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*
    70(4), 365-372.
    Tango, T. (1998). Equivalence test and confidence interval for the difference in proportions for
    the paired-sample design. *Statistics in Medicine* 17, 891-908.

    Examples
    --------
    >>> est, se, lo, hi = nps_interval_arrays([291, 50], [395, 10], [1162, 100], method="wald")
    >>> [round(float(x), 2) for x in est], [round(float(x), 2) for x in hi - est]
    ([-8.95, 40.0], [4.39, 13.0])
    """
    P = np.asarray(promoters, dtype=float)
    D = np.asarray(detractors, dtype=float)
    T = np.asarray(total, dtype=float)
    m = T if n_eff is None else np.asarray(n_eff, dtype=float)
    z = z_crit(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = P / T
        d = D / T
        est = p - d
        if method in ("wald", "score"):
            centre = est
            var = (p + d - (p - d) ** 2) / m
        elif method == "adjusted_wald":
            pa = (p * m + 0.75) / (m + 3)
            da = (d * m + 0.75) / (m + 3)
            centre = pa - da
            var = (pa + da - (pa - da) ** 2) / (m + 3)
        else:
            raise ValueError(
                f"argument 'method': {method!r} is not 'wald', 'adjusted_wald' or 'score'"
            )
        se = np.sqrt(np.maximum(var, 0.0))
        if method == "score":
            pb, db, mb, _ = np.broadcast_arrays(p, d, m, est)
            lo, hi = _score_interval(pb.astype(float), db.astype(float), mb.astype(float), z)
        else:
            lo, hi = centre - z * se, centre + z * se
        lo, hi = np.clip(lo, -1.0, 1.0), np.clip(hi, -1.0, 1.0)
    return 100 * est, 100 * se, 100 * lo, 100 * hi


def _bootstrap_quantiles(stats: np.ndarray, level: float) -> tuple[float, float, float]:
    alpha = 1 - level
    lo, hi = np.quantile(stats, [alpha / 2, 1 - alpha / 2])
    return float(np.std(stats, ddof=1)), float(lo), float(hi)


def _boot_size(n_eff: float) -> int:
    return max(1, round(n_eff))


def nps_from_counts(
    promoters: float,
    passives: float,
    detractors: float,
    *,
    n_eff: float | None = None,
    n: int | None = None,
    method: Literal["adjusted_wald", "wald", "score", "bootstrap"] = "adjusted_wald",
    level: float = 0.95,
    n_boot: int = 10_000,
    seed: int | None = 0,
    label: str = "nps",
    n_missing: int = 0,
) -> MetricResult:
    """NPS from the counts of promoters (9-10), passives (7-8) and detractors (0-6).

    NPS = 100 (P - D) / (P + O + D). For weighted data pass the weighted totals and ``n_eff``
    (Kish's effective n, (sum w)^2 / sum w^2) and ``n`` (the raw number of answers). Interval
    methods: ``"adjusted_wald"`` (default; Rocks 2016, Lewis & Sauro 2021), ``"wald"`` (trinomial
    variance [p + d - (p - d)^2]/n), ``"score"`` (Rocks' iterative score interval; see
    :func:`nps_interval_arrays`) and ``"bootstrap"`` (multinomial draws of counts, percentile
    interval; with weights it draws round(n_eff) answers from the weighted shares).

    Parameters
    ----------
    promoters, passives, detractors : float
        (Weighted) counts of answers 9-10, 7-8 and 0-6.
    n_eff : float, optional
        Kish's effective sample size of weighted counts.
    n : int, optional
        Raw number of answers (default: the rounded total).
    method : {'adjusted_wald', 'wald', 'score', 'bootstrap'}, default 'adjusted_wald'
        Interval method.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    label : str, default 'nps'
        Label of the result.
    n_missing : int, default 0
        Missing answers dropped before counting (reported only).

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*
    70(4), 365-372.
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> r = nps_from_counts(291, 476, 395)          # n = 1,162 (Lewis & Sauro's example data)
    >>> round(r.estimate, 2), round(r.ci_low, 2), round(r.ci_high, 2)
    (-8.95, -13.32, -4.56)
    >>> b = nps_from_counts(291, 476, 395, method="bootstrap", seed=1)
    >>> round(b.ci_low), round(b.ci_high)
    (-13, -5)
    """
    P = _check_count(promoters, "promoters")
    O_ = _check_count(passives, "passives")
    D = _check_count(detractors, "detractors")
    check_method(method, NPS_METHODS, "nps")
    total = P + O_ + D
    counts = {"promoters": P, "passives": O_, "detractors": D}
    weighted = n_eff is not None
    n_raw = round(total) if n is None else int(n)
    m = total if n_eff is None else _check_count(n_eff, "n_eff")
    if total == 0 or m == 0:
        return _empty("nps", level, method, n_missing, label, counts, weighted)
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        size = _boot_size(m)
        draws = rng.multinomial(size, [P / total, O_ / total, D / total], size=n_boot)
        stats = 100 * (draws[:, 0] - draws[:, 2]) / size
        se, lo, hi = _bootstrap_quantiles(stats, level)
        est = 100 * (P - D) / total
    else:
        stats = None
        e, s, low, high = nps_interval_arrays(P, D, total, m, method=method, level=level)
        est, se, lo, hi = float(e), float(s), float(low), float(high)
    return MetricResult("nps", est, se, lo, hi, n_raw, float(m), level, method, counts,
                        n_missing, weighted, math.nan, "", label, draws=stats)


def nps(
    scores: Any,
    weights: Any = None,
    method: Literal["adjusted_wald", "wald", "score", "bootstrap", "taylor",
                    "cluster_bootstrap"] | None = None,
    level: float = 0.95,
    *,
    cluster: Any = None,
    calibration: Any = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    name: str | None = None,
) -> MetricResult:
    """Net Promoter Score (-100..100) of 0..10 answers, with an interval.

    NPS = 100 (share of 9-10 minus share of 0-6); Reichheld (2003). Missing answers are dropped
    with a warning; text, values outside 0..10 and fractions raise ``ValueError`` naming the
    column and rows. ``method`` defaults to ``"adjusted_wald"``; see :func:`nps_from_counts` for
    the interval methods and weights.

    **Clustered answers** (``cluster=``: the id of the firm, store, agent... each answer belongs
    to, same length as ``scores`` and matched by position, like ``weights``). Customers of one
    firm share its CX, so their answers are correlated and the independent-answer intervals
    above are too narrow. With ``cluster`` the
    estimate is still the (weighted) NPS, the mean of y_i = 100 (promoter), -100 (detractor),
    0 (passive): est = sum(w y) / sum(w). Its variance is the with-replacement ("ultimate
    cluster") Taylor-linearisation estimator of a ratio (Wolter 2007, *Introduction to Variance
    Estimation*, 2nd ed., ch. 6; Lumley 2010, *Complex Surveys*, ch. 2-3): linearised scores
    z_i = w_i (y_i - est) / sum(w), summed per cluster z_c, and

        Var(est) = C / (C - 1) * sum_c (z_c - mean(z_c))^2,

    C the number of clusters (also those whose answers are all missing). The interval is
    est ± t_{df} SE with df = (clusters with answers) - 1, clipped to -100..100. These are the
    numbers of R's survey package, ``svymean(~y, svydesign(ids = ~cluster, weights = ~w),
    deff = "replace")`` and ``confint(..., df = degf(design))`` (pinned in the tests).
    ``design_effect`` = Var(est) / Var_SRS with Var_SRS = sum w (y - est)^2 / (sum(w) (n - 1)),
    the variance of a mean of n answers drawn with replacement (R's ``deff = "replace"``; R's
    ``deff = TRUE`` multiplies Var_SRS by the fpc (N - n)/N with N = sum(w)), so it includes
    the effect of unequal weights; ``n_eff = n / design_effect``. ``method="cluster_bootstrap"``
    instead resamples the C clusters with replacement ``n_boot`` times (seeded by ``seed``) and
    takes the percentile interval (Davison & Hinkley 1997, *Bootstrap Methods*, sec. 3.8; it is
    slightly narrow with few clusters, by about (C - 1)/C in variance).

    **Calibrated weights** (``calibration=``: the result of
    :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or ``calibrate`` on the frame
    the scores come from). The estimate uses the
    calibrated weights w; its variance accounts for the calibration, which removes the part
    of the sampling variance the calibration variables explain (Deville & Särndal 1992; Lumley
    2010, ch. 7): the linearised scores x_i = w_i (y_i - est) / sum(w) of every row of the
    calibrated data (0 for rows without an answer, which stay in the design as a domain) are
    replaced by their calibration residuals e_i, summed per cluster (each answer its own
    cluster without ``cluster=``), Var = C/(C - 1) sum_c (e_c - mean e_c)^2, t on clusters - 1
    df. The residuals are R survey's (``svyrecvar``): post-stratification e_i = x_i - w_i
    sum_h(d x / w) / sum_h d in the cell h; raking by ``rake`` ten backfitting sweeps
    u <- u - mean_{category}(u) over the margins, u = x / w; calibration (and bounded raking)
    e = w (u - X b) with b the d-weighted least-squares fit of u on the calibration matrix X.
    These are ``svymean`` on the ``rake()``d, ``postStratify()``d or ``calibrate()``d design
    (pinned in the tests). Treating the calibrated weights as fixed overstates the SE.

    Parameters
    ----------
    scores : array-like or pandas.Series
        Answers on 0..10.
    weights : array-like, optional
        Survey weights, one per answer.
    method : str, optional
        Interval method: ``'adjusted_wald'`` (default), ``'wald'``, ``'score'``, ``'bootstrap'``;
        with ``cluster`` ``'taylor'`` (default) or ``'cluster_bootstrap'``.
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every answer (same length as ``scores``, matched by position); switches to the
        clustered methods.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on the frame ``scores`` comes from (matched by position): its weights are
        used (``weights``, if given, must equal them) and the SE is the calibration-aware
        Taylor linearisation (see :func:`nps`), ``method="taylor"``.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    name : str, optional
        Column name used in messages and as the result's label (default: the Series' name).

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review* 81(12).
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*
    70(4), 365-372.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. *Journal
    of the American Statistical Association* 87, 376-382.

    Examples
    --------
    >>> r = nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10, 5, 8])
    >>> r.counts["promoters"], r.counts["detractors"], round(r.estimate, 1)
    (6.0, 3.0, 25.0)
    >>> firm = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
    >>> c = nps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10, 5, 8], cluster=firm)
    >>> round(c.estimate, 1), round(c.se, 2), c.df, round(c.design_effect, 2)
    (25.0, 28.87, 2.0, 1.33)
    >>> nps([10, 11])
    Traceback (most recent call last):
    ValueError: column 'scores': 1 value(s) outside 0..10 at rows [1]
    """
    if calibration is not None:
        return _calibrated_from_scores("nps", scores, weights, cluster, calibration,
                                       scale=NPS_SCALE, k=None, integer=True, method=method,
                                       level=level, name=name)
    method = _resolve_method(method, cluster, "adjusted_wald")
    values, w, n_missing, col, missing = _cleanrows_repr(scores, weights, scale=NPS_SCALE,
                                                     integer=True, name=name)
    if cluster is not None:
        codes, ids = _cluster_codes(cluster, scores, len(missing), col)
        return _clustered_from_answers("nps", values, w, codes[~missing], ids, scale=NPS_SCALE,
                                       k=None, method=method, level=level, n_boot=n_boot,
                                       seed=seed, label=col, n_missing=n_missing)
    if w is None:
        P, D = float(np.count_nonzero(values >= 9)), float(np.count_nonzero(values <= 6))
        O_ = len(values) - P - D
        n_eff = None
    else:
        P, O_, D = (float(w[values >= 9].sum()), float(w[(values >= 7) & (values <= 8)].sum()),
                    float(w[values <= 6].sum()))
        n_eff = kish_n_eff(float(w.sum()), float((w * w).sum()))
    return nps_from_counts(P, O_, D, n_eff=n_eff, n=len(values), method=method, level=level,
                           n_boot=n_boot, seed=seed, label=col, n_missing=n_missing)


# --------------------------------------------------------------------------------------------
# Proportions (top box, CSAT)
# --------------------------------------------------------------------------------------------


def _proportion_interval(x: float, total: float, m: float, method: str, level: float
                         ) -> tuple[float, float, float]:
    """(se, low, high) as proportions for share ``x / total`` with (effective) size ``m``."""
    p = x / total
    se = math.sqrt(max(p * (1 - p), 0.0) / m)
    if method == "wald":
        z = z_crit(level)
        return se, max(0.0, p - z * se), min(1.0, p + z * se)
    if method == "wilson":
        return se, *wilson_interval(x, total, level, n_eff=m)
    if method == "agresti_coull":
        return se, *agresti_coull_interval(x, total, level, n_eff=m)
    raise ValueError(f"argument 'method': {method!r} is not a proportion method")


def top_box_from_counts(
    successes: float,
    n: float,
    *,
    n_eff: float | None = None,
    n_raw: int | None = None,
    method: Literal["wilson", "wald", "agresti_coull", "bootstrap"] = "wilson",
    level: float = 0.95,
    n_boot: int = 10_000,
    seed: int | None = 0,
    metric: str = "top_box",
    label: str = "",
    n_missing: int = 0,
) -> MetricResult:
    """Percentage of answers in the top box(es), from counts: 100 x / n, with an interval.

    Wilson (1927): (p + z^2/2n ± z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n); equals statsmodels'
    ``proportion_confint(method="wilson")``. With weights pass weighted ``successes`` and ``n`` and
    Kish's ``n_eff``; ``n_raw`` is the raw number of answers.

    Parameters
    ----------
    successes : float
        (Weighted) number of answers in the top box(es).
    n : float
        (Weighted) number of answers.
    n_eff : float, optional
        Kish's effective sample size of weighted counts.
    n_raw : int, optional
        Raw number of answers (default: the rounded ``n``).
    method : {'wilson', 'wald', 'agresti_coull', 'bootstrap'}, default 'wilson'
        Interval method.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    metric : str, default 'top_box'
        Metric name of the result (``'csat'``, ``'ces'``).
    label : str, default ''
        Label of the result.
    n_missing : int, default 0
        Missing answers dropped before counting (reported only).

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association* 22, 209-212.
    Agresti, A. & Coull, B. A. (1998). Approximate is better than "exact" for interval estimation of
    binomial proportions. *The American Statistician* 52, 119-126.
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> r = top_box_from_counts(81, 100)
    >>> round(r.estimate, 1), round(r.ci_low, 2), round(r.ci_high, 2)
    (81.0, 72.22, 87.49)
    """
    x = _check_count(successes, "successes")
    total = _check_count(n, "n")
    if x > total:
        raise ValueError(f"argument 'successes' ({successes}) exceeds argument 'n' ({n})")
    check_method(method, PROPORTION_METHODS, metric)
    counts = {"top_box": x, "other": total - x}
    weighted = n_eff is not None
    m = total if n_eff is None else _check_count(n_eff, "n_eff")
    nr = round(total) if n_raw is None else int(n_raw)
    if total == 0 or m == 0:
        return _empty(metric, level, method, n_missing, label, counts, weighted)
    p = x / total
    if method == "bootstrap":
        rng = np.random.default_rng(seed)
        size = _boot_size(m)
        stats = 100 * rng.binomial(size, p, size=n_boot) / size
        se, lo, hi = _bootstrap_quantiles(stats, level)
    else:
        stats = None
        se, lo, hi = _proportion_interval(x, total, m, method, level)
        se, lo, hi = 100 * se, 100 * lo, 100 * hi
    return MetricResult(metric, 100 * p, se, lo, hi, nr, float(m), level, method, counts,
                        n_missing, weighted, math.nan, "", label, draws=stats)


def csat_from_counts(
    satisfied: float,
    n: float,
    *,
    method: Literal["wilson", "wald", "agresti_coull", "bootstrap"] = "wilson",
    **kwargs: Any,
) -> MetricResult:
    """CSAT (% satisfied, e.g. 4-5 on 1..5) from counts; see :func:`top_box_from_counts`.

    Parameters
    ----------
    satisfied : float
        (Weighted) number of satisfied answers (e.g. 4-5 on 1..5).
    n : float
        (Weighted) number of answers.
    method : {'wilson', 'wald', 'agresti_coull', 'bootstrap'}, default 'wilson'
        Interval method.
    **kwargs
        Passed to :func:`top_box_from_counts`.

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association* 22, 209-212.

    Examples
    --------
    >>> round(csat_from_counts(170, 200).estimate, 1)
    85.0
    """
    kwargs.setdefault("metric", "csat")
    return top_box_from_counts(satisfied, n, method=method, **kwargs)


def top_box(
    scores: Any,
    scale: tuple[int, int] = (1, 5),
    k: int = 2,
    weights: Any = None,
    method: Literal["wilson", "wald", "agresti_coull", "bootstrap", "taylor",
                    "cluster_bootstrap"] | None = None,
    level: float = 0.95,
    *,
    cluster: Any = None,
    calibration: Any = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    name: str | None = None,
    metric: str = "top_box",
) -> MetricResult:
    """Percentage of answers in the top ``k`` points of an integer ``scale``.

    Top-k box = 100 * #(score >= max - k + 1) / n, with a Wilson interval by default
    (``method=None``). With ``cluster=`` (cluster id per answer) the interval is the clustered
    one of :func:`nps` (``"taylor"``, t on clusters - 1 df, or ``"cluster_bootstrap"``), the
    answers scored y = 100 (top box) or 0: est = sum(w y) / sum(w), z_i = w_i (y_i - est) /
    sum(w), Var = C/(C - 1) sum_c (z_c - mean z_c)^2 (Wolter 2007; Lumley 2010; R survey's
    ``svymean``), limits clipped to 0..100.

    Parameters
    ----------
    scores : array-like or pandas.Series
        Answers on the integer ``scale``.
    scale : (int, int), default (1, 5)
        Lowest and highest scale point.
    k : int, default 2
        Number of top boxes.
    weights : array-like, optional
        Survey weights, one per answer.
    method : str, optional
        Interval method: ``'wilson'`` (default), ``'wald'``, ``'agresti_coull'``, ``'bootstrap'``;
        with ``cluster`` ``'taylor'`` (default) or ``'cluster_bootstrap'``.
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every answer (same length as ``scores``, matched by position); switches to the
        clustered methods.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on the frame ``scores`` comes from (matched by position): its weights are
        used (``weights``, if given, must equal them) and the SE is the calibration-aware
        Taylor linearisation (see :func:`nps`), ``method="taylor"``.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    name : str, optional
        Column name used in messages and as the result's label (default: the Series' name).
    metric : str, default 'top_box'
        Metric name of the result.

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association* 22, 209-212.
    Agresti, A. & Coull, B. A. (1998). Approximate is better than "exact" for interval estimation of
    binomial proportions. *The American Statistician* 52, 119-126.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> r = top_box([5, 4, 4, 3, 2, 5, 1, 4], scale=(1, 5), k=2)
    >>> round(r.estimate, 1), r.n
    (62.5, 8)
    >>> c = top_box([5, 4, 4, 3, 2, 5, 1, 4], cluster=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> round(c.se, 2), c.n_clusters, round(c.design_effect, 2)
    (12.5, 4, 0.47)
    """
    lo, hi = _check_scale(scale)
    if not (isinstance(k, int | np.integer) and 1 <= k <= hi - lo):
        raise ValueError(f"argument 'k' must be an integer from 1 to {int(hi - lo)}, got {k!r}")
    if calibration is not None:
        return _calibrated_from_scores(metric, scores, weights, cluster, calibration,
                                       scale=(lo, hi), k=int(k), integer=True, method=method,
                                       level=level, name=name)
    method = _resolve_method(method, cluster, "wilson")
    values, w, n_missing, col, missing = _cleanrows_repr(scores, weights, scale=(lo, hi),
                                                     integer=True, name=name)
    if cluster is not None:
        codes, ids = _cluster_codes(cluster, scores, len(missing), col)
        return _clustered_from_answers(metric, values, w, codes[~missing], ids, scale=(lo, hi),
                                       k=int(k), method=method, level=level, n_boot=n_boot,
                                       seed=seed, label=col, n_missing=n_missing)
    top = values >= hi - k + 1
    if w is None:
        x, total, n_eff = float(top.sum()), float(len(values)), None
    else:
        x, total = float(w[top].sum()), float(w.sum())
        n_eff = kish_n_eff(total, float((w * w).sum()))
    return top_box_from_counts(x, total, n_eff=n_eff, n_raw=len(values), method=method,
                               level=level, n_boot=n_boot, seed=seed, metric=metric, label=col,
                               n_missing=n_missing)


def csat(
    scores: Any,
    scale: tuple[int, int] = (1, 5),
    top_box: int = 2,
    weights: Any = None,
    method: Literal["wilson", "wald", "agresti_coull", "bootstrap", "taylor",
                    "cluster_bootstrap"] | None = None,
    level: float = 0.95,
    *,
    cluster: Any = None,
    calibration: Any = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    name: str | None = None,
) -> MetricResult:
    """CSAT: percentage satisfied (the top ``top_box`` points of ``scale``, 4-5 on 1..5).

    Wilson interval by default; with ``cluster=`` the clustered interval of :func:`top_box`.

    Parameters
    ----------
    scores : array-like or pandas.Series
        Answers on the integer ``scale``.
    scale : (int, int), default (1, 5)
        Lowest and highest scale point.
    top_box : int, default 2
        Number of top boxes counted as satisfied.
    weights : array-like, optional
        Survey weights, one per answer.
    method : str, optional
        Interval method: ``'wilson'`` (default), ``'wald'``, ``'agresti_coull'``, ``'bootstrap'``;
        with ``cluster`` ``'taylor'`` (default) or ``'cluster_bootstrap'``.
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every answer (same length as ``scores``, matched by position); switches to the
        clustered methods.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on the frame ``scores`` comes from (matched by position): its weights are
        used (``weights``, if given, must equal them) and the SE is the calibration-aware
        Taylor linearisation (see :func:`nps`), ``method="taylor"``.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    name : str, optional
        Column name used in messages and as the result's label (default: the Series' name).

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    *Journal of the American Statistical Association* 22, 209-212.
    Agresti, A. & Coull, B. A. (1998). Approximate is better than "exact" for interval estimation of
    binomial proportions. *The American Statistician* 52, 119-126.

    Examples
    --------
    >>> r = csat([5, 4, 3, 5, 2, 4, 4, 5, 1, 5])
    >>> round(r.estimate), round(r.ci_low, 1), round(r.ci_high, 1)
    (70, 39.7, 89.2)
    """
    return globals()["top_box"](scores, scale=scale, k=top_box, weights=weights, method=method,
                                level=level, cluster=cluster, calibration=calibration,
                                n_boot=n_boot, seed=seed, name=name, metric="csat")


# --------------------------------------------------------------------------------------------
# Means (CES, any scale)
# --------------------------------------------------------------------------------------------


def _mean_result(
    sum_w: float, sum_wx: float, sum_wx2: float, sum_w2: float, n: int, *, metric: str,
    method: str, level: float, label: str, n_missing: int, weighted: bool,
    hist: tuple[np.ndarray, np.ndarray] | None = None, n_boot: int = 10_000,
    seed: int | None = 0,
) -> MetricResult:
    check_method(method, MEAN_METHODS, metric)
    if n == 0 or sum_w == 0:
        return _empty(metric, level, method, n_missing, label, weighted=weighted)
    m = kish_n_eff(sum_w, sum_w2) if weighted else float(n)
    mean = sum_wx / sum_w
    # weighted population variance, rescaled by m / (m - 1) (equals s^2 without weights)
    pvar = max(sum_wx2 / sum_w - mean * mean, 0.0)
    var = pvar * m / (m - 1) if m > 1 else math.nan
    sd = math.sqrt(var) if m > 1 else math.nan
    counts = {"mean": mean, "sd": sd}
    stats = None
    if method == "t":
        df = m - 1
        se = sd / math.sqrt(m) if m > 1 else math.nan
        if m > 1:
            q = t_crit(level, df)
            lo, hi = mean - q * se, mean + q * se
        else:
            lo = hi = math.nan
    else:
        if hist is None:
            raise ValueError("argument 'method': the bootstrap needs the answers or their counts")
        values, wsum = hist
        rng = np.random.default_rng(seed)
        size = _boot_size(m)
        draws = rng.multinomial(size, wsum / wsum.sum(), size=n_boot)
        stats = draws @ values / size
        se, lo, hi = _bootstrap_quantiles(stats, level)
        df = math.nan
    return MetricResult(metric, mean, se, lo, hi, int(n), float(m), level, method, counts,
                        n_missing, weighted, df if method == "t" else math.nan, "", label,
                        draws=stats)


def mean_score(
    scores: Any,
    scale: tuple[float, float] | None = None,
    weights: Any = None,
    method: Literal["t", "bootstrap", "taylor", "cluster_bootstrap"] | None = None,
    level: float = 0.95,
    *,
    cluster: Any = None,
    calibration: Any = None,
    integer: bool | None = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    name: str | None = None,
    metric: str = "mean",
) -> MetricResult:
    """Mean score with a t interval: mean ± t_{n-1} s / sqrt(n) (n_eff with weights).

    ``scale`` (min, max) is checked when given; ``integer`` (default: True when a scale is given)
    rejects fractions. Weighted: the weighted mean, the weighted variance times n_eff/(n_eff - 1)
    and n_eff - 1 degrees of freedom (Kish 1965). ``method`` defaults to ``"t"``.
    With ``cluster=`` (cluster id per answer) the SE is the Taylor-linearised one of :func:`nps`
    with y the score itself: z_i = w_i (y_i - mean) / sum(w), Var = C/(C - 1)
    sum_c (z_c - mean z_c)^2 (Wolter 2007; Lumley 2010; R survey's ``svymean``), t on clusters
    - 1 df; or ``method="cluster_bootstrap"``.

    Parameters
    ----------
    scores : array-like or pandas.Series
        Answers.
    scale : (float, float), optional
        Allowed range, checked when given.
    weights : array-like, optional
        Survey weights, one per answer.
    method : {'t', 'bootstrap', 'taylor', 'cluster_bootstrap'}, optional
        Interval method; default ``'t'``, ``'taylor'`` with ``cluster``.
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every answer (same length as ``scores``, matched by position); switches to the
        clustered methods.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on the frame ``scores`` comes from (matched by position): its weights are
        used (``weights``, if given, must equal them) and the SE is the calibration-aware
        Taylor linearisation (see :func:`nps`), ``method="taylor"``.
    integer : bool, optional
        Reject fractions (default: True when ``scale`` is given).
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    name : str, optional
        Column name used in messages and as the result's label (default: the Series' name).
    metric : str, default 'mean'
        Metric name of the result.

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> r = mean_score([6, 5, 7, 4, 6, 7, 3, 6], scale=(1, 7))
    >>> round(r.estimate, 3), round(r.ci_low, 3), round(r.ci_high, 3)
    (5.5, 4.318, 6.682)
    >>> c = mean_score([6, 5, 7, 4, 6, 7, 3, 6], scale=(1, 7), cluster=[1, 1, 2, 2, 3, 3, 4, 4])
    >>> round(c.se, 3), c.df
    (0.408, 3.0)
    """
    rng_scale = _check_scale(scale) if scale is not None else None
    as_int = (scale is not None) if integer is None else integer
    if calibration is not None:
        return _calibrated_from_scores(metric, scores, weights, cluster, calibration,
                                       scale=rng_scale, k=None, integer=as_int, method=method,
                                       level=level, name=name)
    method = _resolve_method(method, cluster, "t")
    values, w, n_missing, col, missing = _cleanrows_repr(scores, weights, scale=rng_scale,
                                                     integer=as_int, name=name)
    if cluster is not None:
        codes, ids = _cluster_codes(cluster, scores, len(missing), col)
        return _clustered_from_answers(metric, values, w, codes[~missing], ids, scale=rng_scale,
                                       k=None, method=method, level=level, n_boot=n_boot,
                                       seed=seed, label=col, n_missing=n_missing)
    weighted = w is not None
    ww = np.ones_like(values) if w is None else w
    hist = None
    if method == "bootstrap":
        uniq, inv = np.unique(values, return_inverse=True)
        hist = (uniq, np.bincount(inv, weights=ww, minlength=len(uniq)))
    return _mean_result(float(ww.sum()), float(ww @ values), float(ww @ (values * values)),
                        float(ww @ ww), len(values), metric=metric, method=method, level=level,
                        label=col, n_missing=n_missing, weighted=weighted, hist=hist,
                        n_boot=n_boot, seed=seed)


def ces(
    scores: Any,
    scale: tuple[int, int] = (1, 7),
    top_box: int | None = None,
    weights: Any = None,
    method: str | None = None,
    level: float = 0.95,
    *,
    cluster: Any = None,
    calibration: Any = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    name: str | None = None,
) -> MetricResult:
    """Customer Effort Score: the mean of 1..7 agreement with "[Company] made it easy for me to
    handle my issue" (Dixon et al. 2010, CES 2.0), or with ``top_box=3`` the % agreeing (5-7).

    ``method`` defaults to ``"t"`` for the mean and ``"wilson"`` for a top-box CES, and to
    ``"taylor"`` with ``cluster=`` (see :func:`mean_score` and :func:`top_box`).

    Parameters
    ----------
    scores : array-like or pandas.Series
        Answers on 1..7.
    scale : (int, int), default (1, 7)
        Lowest and highest scale point.
    top_box : int, optional
        Report the % in the top ``top_box`` points instead of the mean.
    weights : array-like, optional
        Survey weights, one per answer.
    method : str, optional
        Interval method (see :func:`mean_score` and :func:`top_box`).
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every answer (same length as ``scores``, matched by position); switches to the
        clustered methods.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on the frame ``scores`` comes from (matched by position): its weights are
        used (``weights``, if given, must equal them) and the SE is the calibration-aware
        Taylor linearisation (see :func:`nps`), ``method="taylor"``.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    name : str, optional
        Column name used in messages and as the result's label (default: the Series' name).

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers. *Harvard
    Business Review* 88(7).

    Examples
    --------
    >>> round(ces([7, 6, 5, 6, 2, 7, 4, 6]).estimate, 3)
    5.375
    >>> round(ces([7, 6, 5, 6, 2, 7, 4, 6], top_box=3).estimate, 1)
    75.0
    """
    if top_box is None:
        return mean_score(scores, scale=scale, weights=weights, method=method, level=level,
                          cluster=cluster, calibration=calibration, integer=True,
                          n_boot=n_boot, seed=seed, name=name, metric="ces")
    return globals()["top_box"](scores, scale=scale, k=top_box, weights=weights, method=method,
                                level=level, cluster=cluster, calibration=calibration,
                                n_boot=n_boot, seed=seed, name=name, metric="ces")


def mean_from_counts(
    counts: Mapping[float, float] | pd.Series,
    *,
    sum_w2: float | None = None,
    n_raw: int | None = None,
    method: Literal["t", "bootstrap"] = "t",
    level: float = 0.95,
    n_boot: int = 10_000,
    seed: int | None = 0,
    metric: str = "mean",
    label: str = "",
) -> MetricResult:
    """Mean score from a histogram ``{scale point: (weighted) count}``.

    Pass ``sum_w2`` (the sum of squared weights) when the counts are weighted totals.

    Parameters
    ----------
    counts : mapping or pandas.Series
        ``{scale point: (weighted) count}``.
    sum_w2 : float, optional
        Sum of squared weights, when the counts are weighted totals.
    n_raw : int, optional
        Raw number of answers (default: the rounded total).
    method : {'t', 'bootstrap'}, default 't'
        Interval method.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    metric : str, default 'mean'
        Metric name of the result.
    label : str, default ''
        Label of the result.

    Returns
    -------
    MetricResult
        The estimate on the reporting scale with its ``se``, ``ci_low``, ``ci_high``, ``n`` and
        ``n_eff``.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> r = mean_from_counts({1: 2, 4: 3, 7: 5})
    >>> round(r.estimate, 2), r.n
    (4.9, 10)
    """
    ser = pd.Series(counts, dtype=float)
    if (ser < 0).any() or not np.isfinite(ser.to_numpy()).all():
        raise ValueError("argument 'counts': counts must be finite and >= 0")
    values = ser.index.to_numpy(dtype=float)
    c = ser.to_numpy()
    weighted = sum_w2 is not None
    s2 = float(c.sum()) if sum_w2 is None else float(sum_w2)
    n = round(float(c.sum())) if n_raw is None else int(n_raw)
    return _mean_result(float(c.sum()), float(c @ values), float(c @ values**2), s2, n,
                        metric=metric, method=method, level=level, label=label, n_missing=0,
                        weighted=weighted, hist=(values, c), n_boot=n_boot, seed=seed)


def _mean_from_moments(mean: float, sd: float, n: int, *, level: float = 0.95,
                      metric: str = "mean", label: str = "") -> MetricResult:
    """Mean with a t interval from a published mean, standard deviation and n.

    >>> r = _mean_from_moments(5.2, 1.4, 50)
    >>> round(r.ci_low, 3), round(r.ci_high, 3)
    (4.802, 5.598)
    """
    n = int(_check_count(n, "n"))
    sd = _check_count(sd, "sd")
    if n < 1:
        return _empty(metric, level, "t", 0, label)
    s2 = sd * sd * (n - 1) / n
    return _mean_result(float(n), mean * n, n * (s2 + mean * mean), float(n), n, metric=metric,
                        method="t", level=level, label=label, n_missing=0, weighted=False)


# --------------------------------------------------------------------------------------------
# Comparisons
# --------------------------------------------------------------------------------------------


def compare(a: MetricResult, b: MetricResult, level: float = 0.95) -> Comparison:
    """Difference ``a - b`` between two independent groups or periods.

    diff = est_a - est_b, SE = sqrt(se_a^2 + se_b^2) (unpooled); a z test, or Welch's t test
    with Welch-Satterthwaite df when both are t-interval means (Welch 1947, Biometrika
    34:28-35). For two adjusted-Wald NPS results the test and interval use the difference of the
    adjusted NPSs, 100 [(p~_a - d~_a) - (p~_b - d~_b)], with the adjusted variances (Lewis &
    Sauro 2021), which keeps the false-alarm rate near 5% from n = 30; ``estimate`` stays the
    plain difference. Proportions use the unpooled Wald test.

    **Clustered results** (computed with ``cluster=``, which travels in the results as
    ``cluster_totals``, so this function needs no cluster argument):

    - clusters nested in the groups (no cluster has answers in both, e.g. firms compared by who
      owns their CX): the groups are independent, SE = sqrt(se_a^2 + se_b^2) and the t test
      and interval use df = min(clusters_a, clusters_b) - 1, the smaller group's clusters
      (conservative; a Welch-type df would lie between that and the sum);
    - clusters shared by the groups (segments that cross firms, e.g. web vs phone answers
      from the same firms, or two periods of the same firms): the estimates are correlated.
      The difference is linearised like one estimate (domain estimation; Lumley 2010, sec.
      2.4): d_c = z_{a,c} - z_{b,c} per cluster of the union of both designs,
      Var = C/(C - 1) sum_c (d_c - mean d)^2, df = (clusters with answers in a or b) - 1. This
      equals R's ``svycontrast(svyby(~y, ~segment, design, svymean, covmat = TRUE),
      c(1, -1))`` when both results come from one design (:func:`compare_segments`); for
      cluster-bootstrap results the covariance is also the linearised one;
    - one clustered result against an unclustered one (e.g. a published benchmark): SE =
      sqrt(se_a^2 + se_b^2), df = the clustered result's clusters - 1;
    - two domains of one calibrated design (both computed with the same ``calibration=``, e.g.
      by :func:`by_segment`): calibration ties every domain to every other, so the difference
      is always linearised from the calibration residuals, d_c = z_{a,c} - z_{b,c} over all
      clusters (or answers) of the design, as R's ``svyglm(y ~ segment, design)`` on the
      calibrated design.

    Parameters
    ----------
    a, b : MetricResult
        Two results of the same metric.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    Comparison
        The difference ``a - b`` with its ``se``, interval, test statistic and p-value.

    References
    ----------
    Welch, B. L. (1947). The generalization of 'Student's' problem when several different population
    variances are involved. *Biometrika* 34, 28-35.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> a = nps_from_counts(60, 25, 15, method="wald")
    >>> c = compare(a, nps_from_counts(45, 30, 25, method="wald"))
    >>> round(c.estimate, 1), round(c.p_value, 4)
    (25.0, 0.0229)
    """
    if a.metric != b.metric:
        raise ValueError(f"cannot compare metric {a.metric!r} with {b.metric!r}")
    if a.flag or b.flag:
        raise ValueError(
            f"cannot compare: result a is {a.flag or 'ok'!r}, result b is {b.flag or 'ok'!r}"
        )
    if a.cluster_totals is not None or b.cluster_totals is not None:
        return _compare_clustered(a, b, level)
    from scipy import stats

    diff = a.estimate - b.estimate
    se = math.hypot(a.se, b.se)
    centre = diff
    if a.metric == "nps" and a.method == "adjusted_wald" and b.method == "adjusted_wald":
        # Lewis & Sauro (2021): test the difference of the adjusted NPSs with their variances
        centre = _adjusted_nps(a) - _adjusted_nps(b)
    both_t = a.method == "t" and b.method == "t" and np.isfinite(a.df) and np.isfinite(b.df)
    if both_t:
        df = se**4 / (a.se**4 / a.df + b.se**4 / b.df)
        q = t_crit(level, df)
        method = "Welch t"
    else:
        df = math.nan
        q = z_crit(level)
        method = "z (unpooled)" if centre == diff else "z (adjusted Wald)"
    if se > 0:
        stat = centre / se
        p = float(2 * (stats.t.sf(abs(stat), df) if both_t else stats.norm.sf(abs(stat))))
    else:
        stat = math.nan
        p = 1.0 if diff == 0 else 0.0
    return Comparison(a.metric, diff, se, centre - q * se, centre + q * se, stat, p, level,
                      method, a.n, b.n, df, a.label or "a", b.label or "b")


def _compare_clustered(a: MetricResult, b: MetricResult, level: float) -> Comparison:
    """:func:`compare` when at least one result was computed with clusters."""
    from scipy import stats

    check_level(level)
    diff = a.estimate - b.estimate
    ta, tb = a.cluster_totals, b.cluster_totals
    shared = 0
    calibrated = bool(a.calibration and b.calibration and ta is not None and tb is not None
                      and ta.index.equals(tb.index))
    if ta is not None and tb is not None:
        union = ta.index.append(tb.index).unique()
        na = ta["n"].reindex(union, fill_value=0).to_numpy()
        nb = tb["n"].reindex(union, fill_value=0).to_numpy()
        shared = int(np.count_nonzero((na > 0) & (nb > 0)))
    if shared or calibrated:
        d = (ta["z"].reindex(union, fill_value=0.0).to_numpy()
             - tb["z"].reindex(union, fill_value=0.0).to_numpy())
        se = math.sqrt(cluster_variance(d))
        df = float(np.count_nonzero((na > 0) | (nb > 0)) - 1)
        method = (f"t (calibrated: {a.calibration}; linearised covariance)" if calibrated
                  else f"t (clusters shared by both: {shared}; linearised covariance)")
    else:
        se = math.hypot(a.se, b.se)
        ks = [r.n_clusters for r in (a, b) if r.cluster_totals is not None]
        df = float(min(ks) - 1)
        method = ("t (independent clusters)" if len(ks) == 2
                  else f"t (clusters in {'a' if ta is not None else 'b'} only)")
    q = t_crit(level, df) if df >= 1 else math.nan
    if se > 0 and df >= 1:
        stat = diff / se
        p = float(2 * stats.t.sf(abs(stat), df))
    else:
        stat = math.nan
        p = (1.0 if diff == 0 else 0.0) if se == 0 else math.nan
    return Comparison(a.metric, diff, se, diff - q * se, diff + q * se, stat, p, level, method,
                      a.n, b.n, df, a.label or "a", b.label or "b")


def _adjusted_nps(r: MetricResult) -> float:
    """The adjusted-Wald centre 100 (p~ - d~) of an NPS result, from its counts and n_eff."""
    total = r.counts["promoters"] + r.counts["passives"] + r.counts["detractors"]
    p, d, m = r.counts["promoters"] / total, r.counts["detractors"] / total, r.n_eff
    return 100 * ((p * m + 0.75) - (d * m + 0.75)) / (m + 3)


def compare_many(
    results: Mapping[Any, MetricResult],
    reference: Any = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """All pairwise differences (or each segment against ``reference``) with Holm p-values.

    Flagged (empty or suppressed) results are left out. Columns: a, b, difference, se, ci_low,
    ci_high, p_value, p_holm, significant (p_holm < 1 - level). The intervals are unadjusted.

    Parameters
    ----------
    results : mapping
        Segment -> :class:`MetricResult`.
    reference : hashable, optional
        Compare every segment with this one instead of all pairs.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per pair.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
    of Statistics* 6, 65-70.

    Examples
    --------
    >>> res = {k: nps_from_counts(*c, method="wald") for k, c in
    ...        {"A": (50, 30, 20), "B": (40, 30, 30), "C": (42, 30, 28)}.items()}
    >>> compare_many(res, reference="A")[["a", "b"]].values.tolist()
    [['B', 'A'], ['C', 'A']]
    """
    usable = {k: r for k, r in results.items() if not r.flag}
    if reference is not None:
        if reference not in usable:
            raise ValueError(f"argument 'reference': {reference!r} is not a usable segment")
        pairs = [(k, reference) for k in usable if k != reference]
    else:
        pairs = list(combinations(usable, 2))
    rows = []
    for ka, kb in pairs:
        c = compare(usable[ka], usable[kb], level=level)
        rows.append({"a": ka, "b": kb, "difference": c.estimate, "se": c.se,
                     "ci_low": c.ci_low, "ci_high": c.ci_high, "p_value": c.p_value})
    frame = pd.DataFrame(rows, columns=["a", "b", "difference", "se", "ci_low", "ci_high",
                                        "p_value"])
    frame["p_holm"] = holm(frame["p_value"].to_numpy())
    frame["significant"] = frame["p_holm"] < 1 - level
    return frame


# --------------------------------------------------------------------------------------------
# Counting (pandas or DuckDB) and segments
# --------------------------------------------------------------------------------------------

_COUNT_COLUMNS = ["score", "n", "sum_w", "sum_w2"]


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _aggregate_pandas(df: pd.DataFrame, by: list[str], score: str, weights: str | None,
                      scale: tuple[float, float] | None, integer: bool) -> pd.DataFrame:
    for c in [*by, score, *([weights] if weights else [])]:
        if c not in df.columns:
            raise ValueError(f"column {c!r} not found; columns are {list(df.columns)}")
    # validate (raises with column and rows); missing scores are kept as their own row
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _clean(df[score], df[weights] if weights else None, scale=scale, integer=integer,
               name=score)
    values = pd.to_numeric(df[score], errors="coerce").astype("float64")
    work = pd.DataFrame({**{c: df[c] for c in by}, "score": values})
    keys = [*by, "score"]
    if weights:
        work["w"] = pd.to_numeric(df[weights]).astype("float64")
        work["w2"] = work["w"] * work["w"]
        g = work.groupby(keys, dropna=False, sort=True, observed=True)
        out = g.agg(n=("w", "size"), sum_w=("w", "sum"), sum_w2=("w2", "sum")).reset_index()
        out["n"] = out["n"].astype("int64")
    else:  # exact integers, so both engines agree bit for bit
        out = work.groupby(keys, dropna=False, sort=True, observed=True).size()
        out = out.rename("n").reset_index()
        out["n"] = out["n"].astype("int64")
        out["sum_w"] = out["n"].astype("float64")
        out["sum_w2"] = out["n"].astype("float64")
    return out.sort_values([*by, "score"], na_position="last", kind="stable",
                           ignore_index=True)


def aggregate_responses(
    source: Any,
    by: str | Sequence[str] | None = None,
    score: str = "score",
    weights: str | None = None,
    *,
    scale: tuple[float, float] | None = None,
    integer: bool | None = None,
    cluster: str | None = None,
    engine: Any = None,
) -> pd.DataFrame:
    """Count answers per segment and scale point: the sufficient statistics of every metric.

    ``source`` is a DataFrame, a path or glob to Parquet or CSV files, a directory of Parquet
    files (a data-lake table, also ``s3://...``), a table name known to the engine, a DuckDB
    relation or a Spark DataFrame. ``engine`` says where the counting runs:

    - ``"duckdb"`` (the default; a Spark DataFrame defaults to its own session) or a DuckDB
      connection: inside DuckDB, streaming, so files larger than memory work;
    - ``"spark"`` (the active Spark session, else a new one from the builder: local, or the
      Spark Connect URL in ``SPARK_REMOTE``) or a Spark session, including a Spark Connect or
      Databricks session: on the cluster, next to the data; only the counts come back;
    - ``"pandas"``: in memory (a DataFrame, or a file read with pandas).

    DuckDB and Spark run the same SQL statement (:func:`cxresearch.metrics.engines.count_sql`) and
    pandas
    the same counting, so every engine returns the same frame: the ``by`` columns (then
    ``cluster``), ``score`` (NaN for missing answers), ``n`` (answers), ``sum_w`` and ``sum_w2``
    (sum of weights and of squared weights; both equal ``n`` without weights), sorted by the keys
    and score. Put a period column (month, quarter) in ``by`` to count per period; give
    ``cluster`` (or add the cluster column to ``by``) to pass the counts to
    :func:`summarise_counts` with ``cluster=``.

    Scores outside ``scale``, fractions on an integer scale, text, infinite values, and missing,
    infinite or negative weights raise ``DataError`` (a ``ValueError``) with the same message on
    every engine: the column, the number of answers and, for a DataFrame, the first rows, for a
    file or table up to three of the offending values.

    Parameters
    ----------
    source : DataFrame, path, glob, table name, DuckDB relation or Spark DataFrame
        The answers.
    by : str or sequence of str, optional
        Segment columns.
    score : str, default 'score'
        Column of answers.
    weights : str, optional
        Column of survey weights.
    scale : (float, float), optional
        Allowed range of the answers.
    integer : bool, optional
        Reject fractions (default: True when ``scale`` is given).
    cluster : str, optional
        Column of cluster ids, counted as the last key.
    engine : str, DuckDB connection or Spark session, optional
        Where the counting runs.

    Returns
    -------
    pandas.DataFrame
        The keys, ``score``, ``n``, ``sum_w`` and ``sum_w2``.

    Examples
    --------
    >>> df = pd.DataFrame({"region": ["N", "N", "S", "S", "S"], "nps": [10, 6, 9, 9, 7]})
    >>> aggregate_responses(df, by="region", score="nps", scale=(0, 10))
      region  score  n  sum_w  sum_w2
    0      N    6.0  1    1.0     1.0
    1      N   10.0  1    1.0     1.0
    2      S    7.0  1    1.0     1.0
    3      S    9.0  2    2.0     2.0
    """
    by_cols = as_list(by)
    if cluster is not None:
        if not isinstance(cluster, str):
            raise ValueError(f"argument 'cluster' must be a column name, got "
                             f"{type(cluster).__name__}")
        if cluster in by_cols:
            raise ValueError(f"column {cluster!r} is both a segment (by) and the cluster")
        by_cols = [*by_cols, cluster]
    as_int = (scale is not None) if integer is None else integer
    if scale is not None:
        scale = _check_scale(scale)
    if isinstance(source, pd.DataFrame):
        for c in [*by_cols, score, *([weights] if weights else [])]:
            if c not in source.columns:
                raise ValueError(f"column {c!r} not found; columns are {list(source.columns)}")
        if isinstance(engine, str) and engine == "pandas":
            return _aggregate_pandas(source, by_cols, score, weights, scale, as_int)
        # a frame has row labels: validate here, so every engine names the same rows
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            _clean(source[score], source[weights] if weights else None, scale=scale,
                   integer=as_int, name=score)
    from cxresearch.metrics.engines import count_answers

    return count_answers(source, by_cols, score, weights, engine=engine, scale=scale,
                          integer=as_int)


def _metric_from_hist(
    values: np.ndarray, n: np.ndarray, sum_w: np.ndarray, sum_w2: np.ndarray, *,
    metric: str, scale: tuple[float, float] | None, top_box: int | None, method: str | None,
    level: float, weighted: bool, n_missing: int, label: str, n_boot: int, seed: int | None,
) -> MetricResult:
    n_tot = int(n.sum())
    sw, sw2 = float(sum_w.sum()), float(sum_w2.sum())
    n_eff = kish_n_eff(sw, sw2) if weighted else None
    if metric == "nps":
        P = float(sum_w[values >= 9].sum())
        D = float(sum_w[values <= 6].sum())
        return nps_from_counts(P, sw - P - D, D, n_eff=n_eff, n=n_tot,
                               method=method or "adjusted_wald", level=level, n_boot=n_boot,
                               seed=seed, label=label, n_missing=n_missing)
    if metric in ("csat", "top_box") or (metric == "ces" and top_box is not None):
        if scale is None:
            raise ValueError(f"argument 'scale' is needed for metric {metric!r}")
        k = top_box if top_box is not None else 2
        x = float(sum_w[values >= scale[1] - k + 1].sum())
        return top_box_from_counts(x, sw, n_eff=n_eff, n_raw=n_tot, method=method or "wilson",
                                   level=level, n_boot=n_boot, seed=seed, metric=metric,
                                   label=label, n_missing=n_missing)
    if metric in ("ces", "mean"):
        return _mean_result(sw, float(sum_w @ values), float(sum_w @ values**2), sw2, n_tot,
                            metric=metric, method=method or "t", level=level, label=label,
                            n_missing=n_missing, weighted=weighted, hist=(values, sum_w),
                            n_boot=n_boot, seed=seed)
    raise ValueError(f"argument 'metric' must be one of {METRICS}, got {metric!r}")


_DEFAULT_SCALES: dict[str, tuple[float, float] | None] = {
    "nps": NPS_SCALE, "csat": (1, 5), "top_box": (1, 5), "ces": (1, 7), "mean": None,
}


def _segment_results(
    counts: pd.DataFrame, by: list[str], *, metric: str, scale: tuple[float, float] | None,
    top_box: int | None, method: str | None, level: float, weighted: bool | None, n_boot: int,
    seed: int | None, label: str,
) -> dict[Any, MetricResult]:
    missing = [c for c in [*by, *_COUNT_COLUMNS] if c not in counts.columns]
    if missing:
        raise ValueError(f"argument 'counts': column(s) {missing} missing (see "
                         "aggregate_responses)")
    is_weighted = (bool((counts["sum_w"] != counts["n"]).any() or
                        (counts["sum_w2"] != counts["n"]).any())
                   if weighted is None else weighted)
    rng = np.random.default_rng(seed)
    groups = counts.groupby(by, dropna=False, sort=True, observed=False) if by else [((), counts)]
    out: dict[Any, MetricResult] = {}
    for key, g in groups:
        k = key if not (isinstance(key, tuple) and len(key) == 1) else key[0]
        valid = g[g["score"].notna()]
        n_missing = int(g.loc[g["score"].isna(), "n"].sum())
        out[k] = _metric_from_hist(
            valid["score"].to_numpy(float), valid["n"].to_numpy(), valid["sum_w"].to_numpy(float),
            valid["sum_w2"].to_numpy(float), metric=metric, scale=scale, top_box=top_box,
            method=method, level=level, weighted=is_weighted, n_missing=n_missing, label=label,
            n_boot=n_boot, seed=int(rng.integers(2**32)) if method == "bootstrap" else None,
        )
    return out


def _segment_method(method: str | None, cluster: str | None) -> str | None:
    """Validate ``method`` against ``cluster`` for the segment functions (None: the default)."""
    if cluster is None:
        if method in CLUSTER_METHODS:
            raise ValueError(f"argument 'method': {method!r} needs cluster= (the column of "
                             "cluster ids)")
        return method
    return _resolve_method(method, cluster, "taylor")


def _top_k(metric: str, top_box: int | None) -> int | None:
    """Top boxes counted for a proportion metric; None for a mean."""
    if metric in ("csat", "top_box"):
        return 2 if top_box is None else top_box
    return top_box if metric == "ces" else None


def _segment_results_clustered(
    counts: pd.DataFrame, by: list[str], cluster: str, *, metric: str,
    scale: tuple[float, float] | None, top_box: int | None, method: str, level: float,
    weighted: bool | None, n_boot: int, seed: int | None, label: str,
) -> dict[Any, MetricResult]:
    """Each segment as a domain of one clustered design (R: ``svyby``), from counts by segment,
    cluster and score: every domain's variance sums over all clusters of the design."""
    missing = [c for c in [*by, cluster, *_COUNT_COLUMNS] if c not in counts.columns]
    if missing:
        raise ValueError(f"argument 'counts': column(s) {missing} missing (count by the "
                         "segments and the cluster with aggregate_responses)")
    if cluster in by:
        raise ValueError(f"column {cluster!r} is both a segment (by) and the cluster; a segment "
                         "of one cluster has no clustered standard error")
    counts = counts.reset_index(drop=True)
    codes, ids = _factorize(counts[cluster])
    if (codes < 0).any():
        n_bad = int(counts.loc[codes < 0, "n"].sum())
        raise ValueError(f"column '{cluster}': {n_bad} answer(s) with a missing cluster id")
    if len(ids) < 2:
        raise ValueError(f"column '{cluster}': {len(ids)} cluster(s); a clustered standard error "
                         "needs at least 2 (clusters - 1 degrees of freedom)")
    is_weighted = (bool((counts["sum_w"] != counts["n"]).any() or
                        (counts["sum_w2"] != counts["n"]).any())
                   if weighted is None else weighted)
    k = _top_k(metric, top_box)
    score = counts["score"].to_numpy(float)
    valid = ~np.isnan(score)
    y, bounds = _scored(metric, np.where(valid, score, 0.0), scale, k)
    nn = counts["n"].to_numpy(float)
    sw = counts["sum_w"].to_numpy(float)
    sw2 = counts["sum_w2"].to_numpy(float)
    n_design = len(ids)
    groups = (counts.groupby(by, dropna=False, sort=True, observed=False) if by
              else [((), counts)])
    out: dict[Any, MetricResult] = {}
    for key, g in groups:
        key_ = key if not (isinstance(key, tuple) and len(key) == 1) else key[0]
        pos = g.index.to_numpy()
        ok = pos[valid[pos]]
        c = codes[ok]
        out[key_] = _cluster_estimate(
            metric, np.bincount(c, weights=sw[ok], minlength=n_design),
            np.bincount(c, weights=sw[ok] * y[ok], minlength=n_design),
            np.bincount(c, weights=nn[ok], minlength=n_design), float(sw[ok] @ (y[ok] ** 2)),
            ids, method=method, level=level, n_boot=n_boot, seed=seed, bounds=bounds,
            counts=_counts_of(metric, score[ok], sw[ok], sw2[ok], scale, k), label=label,
            n_missing=int(nn[pos[~valid[pos]]].sum()), weighted=is_weighted)
    return out


def _segment_results_calibrated(
    data: Any, by: list[str], col: str, cluster: str | None, calibration: Any,
    weights: str | None, *, metric: str, scale: tuple[float, float] | None,
    top_box: int | None, method: str | None, level: float,
) -> dict[Any, MetricResult]:
    """Each segment as a domain of one calibrated design, from the rows (R: ``svyby`` on a
    raked, post-stratified or calibrated design)."""
    _calibrated_method(method)
    if not isinstance(data, pd.DataFrame):
        raise DataError("argument 'data': with calibration= the answers must be the DataFrame "
                        "that was weighted (the calibration residuals need its rows)")
    missing_cols = [c for c in [*by, col, *([weights] if weights else [])] if c not in data]
    if missing_cols:
        raise DataError(f"column(s) {missing_cols} not found; columns are {list(data.columns)}")
    k = _top_k(metric, top_box)
    integer = scale is not None and metric != "mean"
    cw = _calibration_weights(calibration, data[col], data[weights] if weights else None, col)
    values, _, _, col, missing = _cleanrows_repr(data[col], cw, scale=scale, integer=integer,
                                                 name=col)
    n_all = len(missing)
    vals = np.full(n_all, np.nan)
    vals[~missing] = values
    if cluster is not None:
        codes, ids = _cluster_codes(data[cluster], data[col], n_all, col)
    else:
        codes, ids = np.arange(n_all), pd.RangeIndex(n_all)
    keys = data[by].reset_index(drop=True)
    groups = (keys.groupby(by, dropna=False, sort=True, observed=False) if by
              else [((), keys)])
    out: dict[Any, MetricResult] = {}
    for key, g in groups:
        key_ = key if not (isinstance(key, tuple) and len(key) == 1) else key[0]
        dom = np.zeros(n_all, dtype=bool)
        dom[g.index.to_numpy()] = True
        ok = dom & ~missing
        out[key_] = _calibrated_estimate(
            metric, vals[ok], cw[ok], ok, codes, ids, calibration, scale=scale, k=k,
            level=level, label=col, n_missing=int(np.count_nonzero(dom & missing)))
    return out


def _check_cluster_column(data: Any, cluster: str | None, by: list[str]) -> None:
    """The cluster column: a name, not a segment; in a frame present, without missing ids."""
    if cluster is None:
        return
    if not isinstance(cluster, str):
        raise ValueError(f"argument 'cluster' must be a column name, got {type(cluster).__name__}")
    if cluster in by:
        raise ValueError(f"column {cluster!r} is both a segment (by) and the cluster; a segment "
                         "of one cluster has no clustered standard error")
    if not isinstance(data, pd.DataFrame):
        return
    if cluster not in data.columns:
        raise ValueError(f"column {cluster!r} (cluster) not found; columns are "
                         f"{list(data.columns)}")
    bad = data[cluster].isna().to_numpy()
    if bad.any():
        raise ValueError(f"column '{cluster}': {int(bad.sum())} missing cluster id(s) at rows "
                         f"{rows_repr(data.index, bad)}")


def summarise_counts(
    counts: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    metric: str = "nps",
    *,
    min_n: int = 30,
    scale: tuple[float, float] | None = None,
    top_box: int | None = None,
    method: str | None = None,
    level: float = 0.95,
    weighted: bool | None = None,
    cluster: str | None = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """One row per segment from :func:`aggregate_responses` counts, small cells suppressed.

    A segment with fewer than ``min_n`` valid answers keeps its ``n`` but its estimate, interval
    and counts are set to NaN, with ``suppressed = True`` and a ``note``; segments with no valid
    answers are flagged ``"empty"``. ``weighted`` defaults to "any sum_w differs from n".
    ``cluster`` names a column of the counts holding cluster ids (count with
    ``aggregate_responses(source, by=[*by, cluster], ...)``, e.g. in DuckDB): each segment is
    then a domain of the clustered design, as in :func:`by_segment`.

    Parameters
    ----------
    counts : pandas.DataFrame
        Counts from :func:`aggregate_responses`.
    by : str or sequence of str, optional
        Segment columns.
    metric : {'nps', 'csat', 'ces', 'top_box', 'mean'}, default 'nps'
        The metric.
    min_n : int, default 30
        Smallest cell shown.
    scale : (float, float), optional
        Scale of the answers (default: the metric's).
    top_box : int, optional
        Top boxes counted (top-box metrics).
    method : str, optional
        Interval method (default: the metric's).
    level : float, default 0.95
        Confidence level.
    weighted : bool, optional
        Treat the counts as weighted (default: any ``sum_w`` differs from ``n``).
    cluster : str, optional
        Column of the counts holding cluster ids.
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.

    Returns
    -------
    pandas.DataFrame
        One row per segment.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 5, "nps": [9, 10, 5, 8] * 10 + [10] * 5})
    >>> out = summarise_counts(aggregate_responses(df, "g", "nps", scale=(0, 10)), "g")
    >>> out[["g", "estimate", "n", "suppressed"]]
       g  estimate   n  suppressed
    0  a      25.0  40       False
    1  b       NaN   5        True
    """
    by_cols = as_list(by)
    if metric not in METRICS:
        raise ValueError(f"argument 'metric' must be one of {METRICS}, got {metric!r}")
    sc = _check_scale(scale) if scale is not None else _DEFAULT_SCALES[metric]
    method = _segment_method(method, cluster)
    if cluster is not None:
        results = _segment_results_clustered(
            counts, by_cols, cluster, metric=metric, scale=sc, top_box=top_box,
            method=method or "taylor", level=level, weighted=weighted, n_boot=n_boot, seed=seed,
            label=metric)
        return _results_frame(results, by_cols, min_n, clustered=True)
    results = _segment_results(counts, by_cols, metric=metric, scale=sc, top_box=top_box,
                               method=method, level=level, weighted=weighted, n_boot=n_boot,
                               seed=seed, label=metric)
    return _results_frame(results, by_cols, min_n)


def _results_frame(results: Mapping[Any, MetricResult], by: list[str], min_n: int,
                   clustered: bool = False) -> pd.DataFrame:
    rows = []
    for key, r in results.items():
        keys = key if isinstance(key, tuple) else (key,)
        row: dict[str, Any] = dict(zip(by, keys)) if by else {}
        small = r.flag == "" and r.n < min_n
        hide = small or r.flag == "empty"
        row.update({
            "metric": r.metric,
            "estimate": math.nan if hide else r.estimate,
            "se": math.nan if hide else r.se,
            "ci_low": math.nan if hide else r.ci_low,
            "ci_high": math.nan if hide else r.ci_high,
            "n": r.n,
            "n_eff": math.nan if hide else r.n_eff,
            **({"design_effect": math.nan if hide else r.design_effect,
                "n_clusters": r.n_clusters} if clustered else {}),
            "n_missing": r.n_missing,
            "method": r.method,
            "suppressed": small,
            "flag": "suppressed" if small else r.flag,
            "note": (f"n = {r.n} < min_n = {min_n}" if small else
                     "no valid answers" if r.flag == "empty" else ""),
        })
        prefix = "" if r.metric in ("mean", "ces") and "sd" in r.counts else "count_"
        row.update({f"{prefix}{k}": (math.nan if hide else v) for k, v in r.counts.items()
                    if prefix or k == "sd"})
        rows.append(row)
    return pd.DataFrame(rows)


def by_segment(
    data: Any,
    by: str | Sequence[str],
    metric: str = "nps",
    score: str | None = None,
    *,
    weights: str | None = None,
    min_n: int = 30,
    scale: tuple[float, float] | None = None,
    top_box: int | None = None,
    method: str | None = None,
    level: float = 0.95,
    cluster: str | None = None,
    calibration: Any = None,
    n_boot: int = 10_000,
    seed: int | None = 0,
    engine: Any = None,
) -> pd.DataFrame:
    """A metric per segment: one tidy row per segment, cells under ``min_n`` suppressed.

    ``data`` is a DataFrame (counted with pandas by default) or anything
    :func:`aggregate_responses` reads: a Parquet/CSV path, glob or directory, a table name, a
    DuckDB relation (counted in DuckDB by default) or a Spark DataFrame (counted by its Spark
    session); ``engine`` is passed on (``"duckdb"``, ``"spark"``, ``"pandas"``, a DuckDB
    connection or a Spark session). ``score`` defaults to the metric's name. Columns: the ``by``
    keys, metric, estimate, se, ci_low, ci_high, n, n_eff, n_missing, method, suppressed, flag,
    note and the counts. Categorical segments with no answers appear as ``"empty"`` rows.

    ``cluster`` names the column the answers are nested in (firm, store, agent). Each segment
    is then estimated as a *domain* of one clustered design (Lumley 2010, sec. 2.4; R's
    ``svyby(~y, ~segment, design, svymean)``): its linearised scores are summed per cluster
    over **all** C clusters of the data (zero where the segment has no answers), Var =
    C/(C - 1) sum_c (z_c - mean z_c)^2 as in :func:`nps`, and the t interval uses the
    segment's own clusters - 1 df (R: ``degf(subset(design, segment == s))``). ``method`` is
    then ``"taylor"`` (default) or ``"cluster_bootstrap"`` (every segment from the same
    resampled clusters). Two more columns follow ``n_eff`` (then ``n / design_effect``):
    ``design_effect`` and ``n_clusters``.

    Parameters
    ----------
    data : DataFrame or anything :func:`aggregate_responses` reads
        The answers.
    by : str or sequence of str
        Segment columns.
    metric : {'nps', 'csat', 'ces', 'top_box', 'mean'}, default 'nps'
        The metric.
    score : str, optional
        Column of answers (default: the metric's name).
    weights : str, optional
        Column of survey weights.
    min_n : int, default 30
        Smallest cell shown.
    scale : (float, float), optional
        Scale of the answers (default: the metric's).
    top_box : int, optional
        Top boxes counted (top-box metrics).
    method : str, optional
        Interval method (default: the metric's).
    level : float, default 0.95
        Confidence level.
    cluster : str, optional
        Column of cluster ids.
    calibration : WeightingResult, optional
        The result of :func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or
        ``calibrate`` on ``data`` (which must then be that DataFrame): each segment is a domain
        of the calibrated design, with its weights (``weights``, if given, must name a column
        equal to them) and the calibration-aware SE (``method="taylor"``; see :func:`nps`).
    n_boot : int, default 10000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws; None for fresh entropy.
    engine : str, DuckDB connection or Spark session, optional
        Where the counting runs.

    Returns
    -------
    pandas.DataFrame
        One row per segment.

    References
    ----------
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["x"] * 50 + ["y"] * 60,
    ...                    "nps": [10, 9, 7, 3, 10] * 10 + [8, 6, 9] * 20})
    >>> by_segment(df, "team")[["team", "estimate", "ci_low", "ci_high", "n"]].round(1)
      team  estimate  ci_low  ci_high   n
    0    x      40.0    16.2     59.3  50
    1    y       0.0   -20.0     20.0  60

    Twelve stores whose customers differ (answers correlated within a store): the clustered
    SE is larger than the independent-answer one (7.1 and 7.2 here), the design effect > 2.

    >>> rng = np.random.default_rng(1)
    >>> lift = np.repeat(rng.normal(0, 1.5, 12), 20)  # store effects, 20 answers per store
    >>> shop = pd.DataFrame({"team": np.tile(["x", "y"], 120), "store": np.repeat(range(12), 20),
    ...                      "nps": np.clip(np.round(7.5 + lift + rng.normal(0, 2, 240)), 0, 10)})
    >>> by_segment(shop, "team", cluster="store")[["team", "estimate", "se", "design_effect",
    ...                                          "n_clusters"]].round(1)
      team  estimate    se  design_effect  n_clusters
    0    x      -1.7  10.9            2.3          12
    1    y       7.5  11.4            2.4          12
    """
    by_cols = as_list(by)
    col = score or metric
    sc = _check_scale(scale) if scale is not None else _DEFAULT_SCALES.get(metric)
    if metric not in METRICS:
        raise ValueError(f"argument 'metric' must be one of {METRICS}, got {metric!r}")
    _check_cluster_column(data, cluster, by_cols)
    if calibration is not None:
        results = _segment_results_calibrated(
            data, by_cols, col, cluster, calibration, weights, metric=metric, scale=sc,
            top_box=top_box, method=method, level=level)
        return _results_frame(results, by_cols, min_n, clustered=True)
    method = _segment_method(method, cluster)
    eng = engine if engine is not None else ("pandas" if isinstance(data, pd.DataFrame)
                                             else None)
    keys = [*by_cols, cluster] if cluster is not None else by_cols
    counts = aggregate_responses(data, keys, col, weights, scale=sc,
                                 integer=sc is not None and metric != "mean", engine=eng)
    if isinstance(data, pd.DataFrame):  # keep categorical levels with no answers as empty rows
        for c in by_cols:
            if isinstance(data[c].dtype, pd.CategoricalDtype):
                counts[c] = pd.Categorical(counts[c], categories=data[c].cat.categories)
    if cluster is not None:
        results = _segment_results_clustered(
            counts, by_cols, cluster, metric=metric, scale=sc, top_box=top_box,
            method=method or "taylor", level=level, weighted=weights is not None,
            n_boot=n_boot, seed=seed, label=col)
        return _results_frame(results, by_cols, min_n, clustered=True)
    results = _segment_results(counts, by_cols, metric=metric, scale=sc, top_box=top_box,
                               method=method, level=level, weighted=weights is not None,
                               n_boot=n_boot, seed=seed, label=col)
    return _results_frame(results, by_cols, min_n)


def compare_segments(
    data: Any,
    by: str | Sequence[str],
    metric: str = "nps",
    score: str | None = None,
    *,
    reference: Any = None,
    weights: str | None = None,
    min_n: int = 30,
    scale: tuple[float, float] | None = None,
    top_box: int | None = None,
    method: str | None = None,
    level: float = 0.95,
    cluster: str | None = None,
    calibration: Any = None,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Pairwise (or against ``reference``) segment differences with Holm-adjusted p-values.

    Segments under ``min_n`` are not compared (they are suppressed, as in :func:`by_segment`).
    With ``cluster`` (a column name) every segment is a domain of one clustered design (see
    :func:`by_segment`) and each pair is compared by :func:`compare`: segments sharing clusters
    with the linearised covariance (R: ``svycontrast`` on ``svyby(..., covmat = TRUE)``),
    segments whose clusters are nested in them as independent groups with t on the smaller
    cluster count - 1 df. ``n_boot`` and ``seed`` are used by the bootstrap methods only.

    Parameters
    ----------
    data : DataFrame or anything :func:`aggregate_responses` reads
        The answers.
    by : str or sequence of str
        Segment columns.
    metric : {'nps', 'csat', 'ces', 'top_box', 'mean'}, default 'nps'
        The metric.
    score : str, optional
        Column of answers (default: the metric's name).
    reference : hashable, optional
        Compare every segment with this one instead of all pairs.
    weights : str, optional
        Column of survey weights.
    min_n : int, default 30
        Smallest cell compared.
    scale : (float, float), optional
        Scale of the answers (default: the metric's).
    top_box : int, optional
        Top boxes counted (top-box metrics).
    method : str, optional
        Interval method (default: the metric's).
    level : float, default 0.95
        Confidence level.
    cluster : str, optional
        Column of cluster ids.
    calibration : WeightingResult, optional
        The weighting of ``data`` (see :func:`by_segment`); pairs are then compared with the
        calibration-aware linearised covariance (see :func:`compare`).
    n_boot : int, default 2000
        Bootstrap replications (bootstrap methods only).
    seed : int or None, default 0
        Seed of the bootstrap draws.

    Returns
    -------
    pandas.DataFrame
        One row per pair, as :func:`compare_many`.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
    of Statistics* 6, 65-70.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["x"] * 50 + ["y"] * 60,
    ...                    "nps": [10, 9, 7, 3, 10] * 10 + [8, 6, 9] * 20})
    >>> out = compare_segments(df, "team", method="wald")
    >>> round(float(out.loc[0, "difference"]), 1), bool(out.loc[0, "significant"])
    (40.0, True)
    """
    by_cols = as_list(by)
    col = score or metric
    sc = _check_scale(scale) if scale is not None else _DEFAULT_SCALES.get(metric)
    if metric not in METRICS:
        raise ValueError(f"argument 'metric' must be one of {METRICS}, got {metric!r}")
    _check_cluster_column(data, cluster, by_cols)
    if calibration is not None:
        results = _segment_results_calibrated(
            data, by_cols, col, cluster, calibration, weights, metric=metric, scale=sc,
            top_box=top_box, method=method, level=level)
        usable = {k: r for k, r in results.items() if not r.flag and r.n >= min_n}
        return compare_many(usable, reference=reference, level=level)
    method = _segment_method(method, cluster)
    eng = "pandas" if isinstance(data, pd.DataFrame) else None
    keys = [*by_cols, cluster] if cluster is not None else by_cols
    counts = aggregate_responses(data, keys, col, weights, scale=sc,
                                 integer=sc is not None and metric != "mean", engine=eng)
    if cluster is not None:
        results = _segment_results_clustered(
            counts, by_cols, cluster, metric=metric, scale=sc, top_box=top_box,
            method=method or "taylor", level=level, weighted=weights is not None,
            n_boot=n_boot, seed=seed, label=col)
    else:
        results = _segment_results(counts, by_cols, metric=metric, scale=sc, top_box=top_box,
                                   method=method, level=level, weighted=weights is not None,
                                   n_boot=n_boot, seed=seed, label=col)
    usable = {k: r for k, r in results.items() if not r.flag and r.n >= min_n}
    return compare_many(usable, reference=reference, level=level)


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def sample_size_for(
    metric: str = "nps",
    margin: float = 5.0,
    level: float = 0.95,
    *,
    promoters: float | None = None,
    detractors: float | None = None,
    proportion: float | None = None,
    sd: float | None = None,
    scale: tuple[float, float] | None = None,
    deff: float = 1.0,
) -> int:
    """Answers needed for a ±``margin`` (Wald half-width) interval.

    n = deff z^2 V / margin^2 with V = p + d - (p - d)^2 for NPS (margin in points / 100; worst
    case p = d = 0.5 gives V = 1), V = p(1 - p) for a top-box % (worst case 0.5), and V = sd^2
    for a mean (default: the largest possible sd on ``scale``, (max - min)/2). ``deff`` is the
    design effect of weighting (n / n_eff; Kish 1965).

    Parameters
    ----------
    metric : {'nps', 'csat', 'top_box', 'ces', 'mean'}, default 'nps'
        The metric.
    margin : float, default 5.0
        Half-width wanted, in the metric's reporting units.
    level : float, default 0.95
        Confidence level.
    promoters, detractors : float, optional
        Expected NPS shares (default: the worst case).
    proportion : float, optional
        Expected top-box share (default 0.5).
    sd : float, optional
        Expected standard deviation of a mean.
    scale : (float, float), optional
        Scale of a mean, for the largest possible sd.
    deff : float, default 1.0
        Design effect.

    Returns
    -------
    int
        Answers needed.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> sample_size_for("nps", margin=5), sample_size_for("nps", 5, promoters=.4, detractors=.2)
    (1537, 861)
    >>> sample_size_for("csat", margin=5)
    385
    """
    if not margin > 0:
        raise ValueError(f"argument 'margin' must be > 0, got {margin!r}")
    if not deff >= 1 and not deff > 0:
        raise ValueError(f"argument 'deff' must be > 0, got {deff!r}")
    z = z_crit(level)
    if metric == "nps":
        p = 0.5 if promoters is None else float(promoters)
        d = 0.5 if detractors is None else float(detractors)
        if promoters is None and detractors is not None:
            p = 1 - d if d >= 0.5 else 0.5
        if detractors is None and promoters is not None:
            d = 1 - p if p >= 0.5 else 0.5
        if not (0 <= p <= 1 and 0 <= d <= 1 and p + d <= 1 + 1e-12):
            raise ValueError("arguments 'promoters' and 'detractors' must be shares summing <= 1")
        var, m = p + d - (p - d) ** 2, margin / 100
    elif metric in ("csat", "top_box") or (metric == "ces" and proportion is not None):
        p = 0.5 if proportion is None else float(proportion)
        if not 0 <= p <= 1:
            raise ValueError(f"argument 'proportion' must be in 0..1, got {proportion!r}")
        var, m = p * (1 - p), margin / 100
    elif metric in ("ces", "mean"):
        if sd is None:
            lo, hi = _check_scale(scale if scale is not None else (1, 7))
            sd = (hi - lo) / 2
        var, m = float(sd) ** 2, margin
    else:
        raise ValueError(f"argument 'metric' must be one of {METRICS}, got {metric!r}")
    return max(1, math.ceil(deff * z * z * var / (m * m) - 1e-9))


def sample_size_table(
    margins: Sequence[float] = (10, 7.5, 5, 3, 2, 1),
    scenarios: Mapping[str, tuple[float, float]] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """NPS sample sizes for several margins (rows) and promoter/detractor scenarios (columns).

    Parameters
    ----------
    margins : sequence of float
        Margins in NPS points.
    scenarios : mapping, optional
        Name -> (promoter share, detractor share).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Answers needed, one row per margin and one column per scenario.

    Examples
    --------
    >>> sample_size_table(margins=(10, 5)).to_numpy().tolist()
    [[385, 216, 126, 216], [1537, 861, 504, 861]]
    """
    scenarios = scenarios or {
        "worst case (50% / 50%)": (0.5, 0.5),
        "typical (40% / 20%)": (0.4, 0.2),
        "strong (70% / 5%)": (0.7, 0.05),
        "weak (20% / 40%)": (0.2, 0.4),
    }
    data = {
        name: [sample_size_for("nps", m, level, promoters=p, detractors=d) for m in margins]
        for name, (p, d) in scenarios.items()
    }
    out = pd.DataFrame(data, index=pd.Index([float(m) for m in margins],
                                            name="margin (NPS points)"))
    return out
