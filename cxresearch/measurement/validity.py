"""Which CX metric? Predictive validity, the cost of cutting a scale, and metric integrity.

Whether NPS, CSAT or CES *measure what matters* is a question about behaviour: does a metric
predict churn, spend, referrals and growth, and does it predict them better than the plain mean
of the same answers? This module holds the tested pieces of notebook ``08_which_metric``.

- **AUC with DeLong intervals.** :func:`roc_auc` and the paired test :func:`compare_auc`
  (DeLong, DeLong & Clarke-Pearson 1988, *Biometrics* 44(3):837-845), computed with the fast
  midrank algorithm of Sun & Xu (2014, *IEEE Signal Processing Letters* 21(11):1389-1393) in
  O(n log n). With ``cluster=`` (customers nested in firms) the variance is Obuchowski's (1997,
  *Biometrics* 53(2):567-578) cluster extension of DeLong's. :func:`auc_covariance` gives the
  whole covariance matrix of several correlated AUCs. Pinned against R's pROC 1.18.0 and
  checked against scikit-learn's ``roc_auc_score`` (``tests/test_validity.py``).
- **Predictive validity.** :func:`metric_scores` turns the answers into the customer-level score
  behind each metric (NPS, the mean of the 0-10 answer, top-2-box, CSAT, CES and a multi-item
  index); :func:`predictive_validity` scores each as a predictor of an outcome out of sample,
  with firm-clustered intervals and paired comparisons against a reference metric;
  :func:`firm_year_metrics` aggregates the metrics to firm-years for firm-level outcomes.
- **What the cut costs.** :func:`efficiency_ratio` is the analytic relative efficiency of NPS
  against the mean of the same 0-10 answers for a given shift of the answer distribution
  (:func:`shift_answers`), with the sample size each needs; :func:`efficiency_simulation`
  checks it by simulation.
- **Said versus done.** :func:`said_vs_done` compares a stated intention (e.g. "likely to
  recommend") with the behaviour it claims to measure (actual referrals).
- **Metric integrity.** :func:`integrity_table` and :func:`diagnostic_changes` are the
  analyst's checks for a gamed metric: the shape of the answer distribution (a spike at 10),
  invitation and response patterns, and the gap between the metric and behaviour.

Vocabulary as everywhere in the package: ``level`` (0.95), ``method``, ``seed`` (int or None,
default 0), ``n_boot``, ``data``, ``outcome``, ``cluster``, ``by``; intervals are
``ci_low``/``ci_high``. Bad input raises :class:`cxresearch.core.validation.DataError` naming the
argument or column and the first offending rows.

Example
-------
>>> r = roc_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
>>> round(r.estimate, 4), round(r.se, 4)
(0.8889, 0.1571)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.inference import holm, z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    first_rows,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = [
    "ANSWER_SCORES",
    "SCORE_LABELS",
    "AucComparison",
    "AucResult",
    "Efficiency",
    "EfficiencySimulation",
    "Validity",
    "auc_covariance",
    "compare_auc",
    "diagnostic_changes",
    "efficiency_ratio",
    "efficiency_simulation",
    "firm_year_metrics",
    "integrity_table",
    "metric_scores",
    "predictive_validity",
    "relative_log_spend",
    "roc_auc",
    "said_vs_done",
    "shift_answers",
]


# ---- input checks ------------------------------------------------------------------------

def _vector(x: Any, arg: str) -> tuple[np.ndarray, pd.Index]:
    """A 1-D array and the labels used to name offending rows (a Series keeps its index)."""
    if isinstance(x, pd.DataFrame):
        raise TypeError(f"argument {arg!r} must be one-dimensional, got a DataFrame")
    index = x.index if isinstance(x, pd.Series) else None
    values = np.asarray(x.to_numpy(dtype=object) if isinstance(x, pd.Series) else x,
                        dtype=object)
    if values.ndim != 1:
        raise DataError(f"argument {arg!r} must be one-dimensional, got shape {values.shape}")
    return values, (index if index is not None else pd.RangeIndex(len(values)))


def _numeric(x: Any, arg: str) -> tuple[np.ndarray, pd.Index]:
    values, index = _vector(x, arg)
    missing = pd.isna(values)
    if missing.any():
        raise DataError(f"argument {arg!r}: {int(missing.sum())} missing value(s) at rows "
                        f"{first_rows(missing, index)}; drop or impute them first")
    num = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(num)
    if bad.any():
        raise DataError(f"argument {arg!r}: {int(bad.sum())} non-numeric or infinite value(s) "
                        f"at rows {first_rows(bad, index)}")
    return num, index


def _binary(y: Any, arg: str = "y_true") -> tuple[np.ndarray, pd.Index]:
    num, index = _numeric(y, arg)
    bad = ~np.isin(num, (0.0, 1.0))
    if bad.any():
        raise DataError(f"argument {arg!r}: {int(bad.sum())} value(s) other than 0/1 at rows "
                        f"{first_rows(bad, index)}")
    pos = num == 1
    if pos.all() or not pos.any():
        raise DataError(f"argument {arg!r}: needs both outcomes (0 and 1), got only "
                        f"{int(num[0])}")
    return pos, index


def _same_length(n: int, x: np.ndarray, arg: str) -> None:
    if len(x) != n:
        raise DataError(f"argument {arg!r}: length {len(x)} differs from y_true's {n}")


def _cluster_codes(cluster: Any, n: int) -> np.ndarray | None:
    if cluster is None:
        return None
    values, index = _vector(cluster, "cluster")
    _same_length(n, values, "cluster")
    missing = pd.isna(values)
    if missing.any():
        raise DataError(f"argument 'cluster': {int(missing.sum())} missing value(s) at rows "
                        f"{first_rows(missing, index)}")
    codes, _ = pd.factorize(pd.Series(values), sort=True)
    return codes.astype(np.int64)


# ---- DeLong ------------------------------------------------------------------------------

def _placements(pos: np.ndarray, scores: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUCs and DeLong's structural components from midranks (Sun & Xu 2014).

    For k scores (columns), with m positives X and n negatives Y and T_Z the midrank of an
    observation among all m + n, T_X among the positives, T_Y among the negatives:
    V10(X_i) = (T_Z(X_i) - T_X(X_i)) / n, the share of negatives below X_i (ties count 1/2);
    V01(Y_j) = 1 - (T_Z(Y_j) - T_Y(Y_j)) / m, the share of positives above Y_j;
    AUC = mean V10 = mean V01.
    """
    from scipy.stats import rankdata

    m, n = int(pos.sum()), int((~pos).sum())
    tz = rankdata(scores, axis=0)
    tx = rankdata(scores[pos], axis=0)
    ty = rankdata(scores[~pos], axis=0)
    v10 = (tz[pos] - tx) / n
    v01 = 1.0 - (tz[~pos] - ty) / m
    aucs = v10.mean(axis=0)
    return aucs, v10, v01


def _delong_cov(pos: np.ndarray, scores: np.ndarray, codes: np.ndarray | None
                ) -> tuple[np.ndarray, np.ndarray, int | None]:
    aucs, v10, v01 = _placements(pos, scores)
    m, n = v10.shape[0], v01.shape[0]
    if codes is None:
        s10 = np.atleast_2d(np.cov(v10, rowvar=False, ddof=1)) if m > 1 else np.zeros((1, 1))
        s01 = np.atleast_2d(np.cov(v01, rowvar=False, ddof=1)) if n > 1 else np.zeros((1, 1))
        return aucs, s10 / m + s01 / n, None
    # Obuchowski (1997): per-cluster sums of the placements, centred by m_i theta / n_i theta.
    k = scores.shape[1]
    n_cl = int(codes.max()) + 1
    c_pos, c_neg = codes[pos], codes[~pos]
    m_i = np.bincount(c_pos, minlength=n_cl).astype(float)
    n_i = np.bincount(c_neg, minlength=n_cl).astype(float)
    a = np.column_stack([np.bincount(c_pos, weights=v10[:, j], minlength=n_cl)
                         for j in range(k)]) - m_i[:, None] * aucs
    b = np.column_stack([np.bincount(c_neg, weights=v01[:, j], minlength=n_cl)
                         for j in range(k)]) - n_i[:, None] * aucs
    i10, i01 = int((m_i > 0).sum()), int((n_i > 0).sum())
    i_all = int(((m_i + n_i) > 0).sum())
    if min(i10, i01, i_all) < 2:
        raise DataError("argument 'cluster': the clustered variance needs at least two clusters "
                        "with positives and two with negatives")
    s10 = i10 / ((i10 - 1) * m) * (a.T @ a)
    s01 = i01 / ((i01 - 1) * n) * (b.T @ b)
    s11 = i_all / (i_all - 1) * (a.T @ b)
    cov = s10 / m + s01 / n + (s11 + s11.T) / (m * n)
    return aucs, cov, i_all


def auc_covariance(y_true: Any, scores: Any, *, cluster: Any = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """AUCs of several scores of the same units and their DeLong covariance matrix.

    DeLong, DeLong & Clarke-Pearson (1988): with the structural components V10 (one per
    positive) and V01 (one per negative) of each score (see the module docstring of the midrank
    computation, Sun & Xu 2014), S10 and S01 their sample covariance matrices across scores,
    m positives and n negatives,

        Cov(AUC) = S10 / m + S01 / n.

    With ``cluster`` (Obuchowski 1997): per cluster i with m_i positives and n_i negatives, the
    centred sums A_i = sum_j V10(X_ij) - m_i AUC and B_i = sum_j V01(Y_ij) - n_i AUC, I10 and I01
    the numbers of clusters with positives and with negatives, I all clusters, and

        S10 = I10 / ((I10 - 1) m) sum_i A_i A_i',   S01 = I01 / ((I01 - 1) n) sum_i B_i B_i',
        S11 = I / (I - 1) sum_i A_i B_i',
        Cov(AUC) = S10 / m + S01 / n + (S11 + S11') / (m n).

    With one observation per cluster this is exactly DeLong's covariance.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome (1 = positive).
    scores : array-like or DataFrame
        One score (a vector of n values) or several (n rows, k columns); a higher score
        means a positive is more likely.
    cluster : array-like, optional
        The cluster (e.g. firm) of each unit.

    Returns
    -------
    (aucs, cov) : numpy arrays of shape (k,) and (k, k)

    References
    ----------
    DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two or
    more correlated receiver operating characteristic curves. *Biometrics* 44, 837-845.
    Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data. *Biometrics* 53,
    567-578.

    Examples
    --------
    >>> aucs, cov = auc_covariance([0, 0, 1, 1, 0, 1], [[0.1, 1], [0.4, 0], [0.35, 1],
    ...                                                 [0.8, 1], [0.2, 0], [0.9, 1]])
    >>> [round(float(a), 4) for a in aucs], round(float(cov[0, 1]), 4)
    ([0.8889, 0.8333], -0.0093)
    """
    pos, _ = _binary(y_true)
    mat = _score_matrix(scores, len(pos))
    aucs, cov, _ = _delong_cov(pos, mat, _cluster_codes(cluster, len(pos)))
    return aucs, cov


def _score_matrix(scores: Any, n: int, arg: str = "scores") -> np.ndarray:
    if isinstance(scores, pd.DataFrame):
        cols = [_numeric(scores[c], f"{arg}[{c!r}]")[0] for c in scores.columns]
        mat = np.column_stack(cols) if cols else np.empty((n, 0))
    else:
        arr = np.asarray(scores, dtype=object)
        if arr.ndim == 1:
            mat = _numeric(scores, arg)[0][:, None]
        elif arr.ndim == 2:
            mat = np.column_stack([_numeric(arr[:, j], f"{arg}[:, {j}]")[0]
                                   for j in range(arr.shape[1])])
        else:
            raise DataError(f"argument {arg!r}: expected 1 or 2 dimensions, got {arr.ndim}")
    if mat.shape[0] != n:
        raise DataError(f"argument {arg!r}: {mat.shape[0]} rows differ from y_true's {n}")
    if mat.shape[1] == 0:
        raise DataError(f"argument {arg!r}: no score given")
    return mat


@dataclass(frozen=True)
class AucResult(Result):
    """The area under the ROC curve with its DeLong standard error and interval.

    ``method`` is ``"delong"`` (units independent) or ``"obuchowski"`` (DeLong's variance for
    clustered units); ``n_clusters`` is None without clusters.

    Examples
    --------
    >>> r = roc_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    >>> r.conf_int(0.9).round(4).values.tolist()
    [[0.8889, 0.6305, 1.0]]
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n_pos: int
    n_neg: int
    level: float = 0.95
    method: str = "delong"
    n_clusters: int | None = None

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``estimate, ci_low, ci_high``: estimate ± z se at ``level``, clipped to
        [0, 1] as pROC's ``ci.auc(method = "delong")``."""
        z = z_crit(level)
        return pd.DataFrame([{"estimate": self.estimate,
                              "ci_low": max(0.0, self.estimate - z * self.se),
                              "ci_high": min(1.0, self.estimate + z * self.se)}])

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        return pd.DataFrame([{"estimate": self.estimate, "se": self.se, "ci_low": self.ci_low,
                              "ci_high": self.ci_high, "level": self.level,
                              "method": self.method, "n_pos": self.n_pos,
                              "n_neg": self.n_neg, "n_clusters": self.n_clusters}])

    def summary(self) -> str:
        """One line: the AUC, its interval, the method and the counts."""
        cl = f", {self.n_clusters:,} clusters" if self.n_clusters else ""
        return (f"AUC = {self.estimate:.3f} ({self.level:.0%} CI {self.ci_low:.3f} to "
                f"{self.ci_high:.3f}; {_METHOD_NAMES[self.method]}; {self.n_pos:,} positives, "
                f"{self.n_neg:,} negatives{cl})")


_METHOD_NAMES = {"delong": "DeLong", "obuchowski": "DeLong, clustered (Obuchowski 1997)"}


@dataclass(frozen=True)
class AucComparison(Result):
    """The paired difference AUC(a) - AUC(b) of two scores of the same units (DeLong's test).

    ``statistic`` is z = estimate / se and ``p_value`` two-sided; ``correlation`` is the
    correlation of the two AUC estimates.

    Examples
    --------
    >>> c = compare_auc([0, 0, 1, 1, 0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.3, 0.6],
    ...                 [1, 0, 1, 1, 0, 1, 1, 0])
    >>> list(c.conf_int().columns)
    ['estimate', 'ci_low', 'ci_high']
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    statistic: float
    p_value: float
    auc_a: float
    auc_b: float
    correlation: float
    n_pos: int
    n_neg: int
    level: float = 0.95
    method: str = "delong"
    n_clusters: int | None = None

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``estimate, ci_low, ci_high``: estimate ± z se at ``level``."""
        z = z_crit(level)
        return pd.DataFrame([{"estimate": self.estimate, "ci_low": self.estimate - z * self.se,
                              "ci_high": self.estimate + z * self.se}])

    def to_frame(self) -> pd.DataFrame:
        """One tidy row."""
        return pd.DataFrame([{
            "estimate": self.estimate, "se": self.se, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "statistic": self.statistic, "p_value": self.p_value,
            "auc_a": self.auc_a, "auc_b": self.auc_b, "correlation": self.correlation,
            "level": self.level, "method": self.method, "n_pos": self.n_pos,
            "n_neg": self.n_neg, "n_clusters": self.n_clusters}])

    def summary(self) -> str:
        """One line: the difference, its interval, z and p."""
        return (f"AUC difference = {self.estimate:.3f} ({self.auc_a:.3f} - {self.auc_b:.3f}; "
                f"{self.level:.0%} CI {self.ci_low:.3f} to {self.ci_high:.3f}; "
                f"z = {self.statistic:.2f}, p = {self.p_value:.4f}; "
                f"{_METHOD_NAMES[self.method]})")


def roc_auc(y_true: Any, score: Any, level: float = 0.95, *, cluster: Any = None
            ) -> AucResult:
    """Area under the ROC curve with a DeLong interval.

    AUC = P(score of a random positive > score of a random negative) + 1/2 P(tie), the
    Mann-Whitney statistic; a higher score means a positive is more likely, as in
    scikit-learn's ``roc_auc_score``. Its variance is DeLong, DeLong & Clarke-Pearson's (1988,
    *Biometrics* 44(3):837-845), computed from midranks in O(n log n) (Sun & Xu 2014, *IEEE
    Signal Processing Letters* 21(11):1389-1393); with ``cluster`` Obuchowski's (1997,
    *Biometrics* 53(2):567-578) clustered version (see :func:`auc_covariance`). The interval is
    AUC ± z se, clipped to [0, 1], as R's pROC ``ci.auc(method = "delong")``.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome.
    score : array-like
        The score (same length).
    level : float
        Confidence level.
    cluster : array-like, optional
        The cluster of each unit (customers nested in firms): the variance then allows for
        correlation within clusters.

    Returns
    -------
    AucResult

    References
    ----------
    DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two or
    more correlated receiver operating characteristic curves. *Biometrics* 44, 837-845.
    Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data. *Biometrics* 53,
    567-578.

    Examples
    --------
    >>> r = roc_auc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.8889, 0.5809, 1.0)
    """
    pos, _ = _binary(y_true)
    s = _score_matrix(score, len(pos), "score")
    if s.shape[1] != 1:
        raise DataError("argument 'score': one score expected; use compare_auc or "
                        "auc_covariance for several")
    codes = _cluster_codes(cluster, len(pos))
    aucs, cov, n_cl = _delong_cov(pos, s, codes)
    est, se = float(aucs[0]), math.sqrt(max(float(cov[0, 0]), 0.0))
    z = z_crit(level)
    return AucResult(est, se, max(0.0, est - z * se), min(1.0, est + z * se), int(pos.sum()),
                     int((~pos).sum()), float(level),
                     "delong" if codes is None else "obuchowski", n_cl)


def compare_auc(y_true: Any, score_a: Any, score_b: Any, level: float = 0.95, *,
                cluster: Any = None) -> AucComparison:
    """DeLong's paired test of two correlated AUCs (two scores of the same units).

    estimate = AUC(a) - AUC(b), se = sqrt(Var a + Var b - 2 Cov(a, b)) from the DeLong
    covariance (DeLong, DeLong & Clarke-Pearson 1988; Obuchowski 1997 with ``cluster``; see
    :func:`auc_covariance`), z = estimate / se, two-sided p = 2 (1 - Phi(|z|)), and the interval
    estimate ± z_(1 - alpha/2) se; the numbers of R's pROC ``roc.test(roc1, roc2,
    method = "delong", paired = TRUE)``.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome.
    score_a, score_b : array-like
        Two scores of the same units.
    level : float, default 0.95
        Confidence level.
    cluster : array-like, optional
        Cluster id of every unit (Obuchowski's variance).

    Returns
    -------
    AucComparison
        The difference with its ``se``, interval, z and p-value.

    References
    ----------
    DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two or
    more correlated receiver operating characteristic curves. *Biometrics* 44, 837-845.
    Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data. *Biometrics* 53,
    567-578.

    Examples
    --------
    >>> y = [0, 0, 1, 1, 0, 1, 0, 1]
    >>> c = compare_auc(y, [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.3, 0.6],
    ...                 [1, 0, 1, 1, 0, 1, 1, 0])
    >>> round(c.estimate, 4), round(c.statistic, 3), round(c.p_value, 3)
    (0.3125, 1.277, 0.202)
    """
    pos, _ = _binary(y_true)
    a = _score_matrix(score_a, len(pos), "score_a")
    b = _score_matrix(score_b, len(pos), "score_b")
    if a.shape[1] != 1 or b.shape[1] != 1:
        raise DataError("arguments 'score_a' and 'score_b' must each be one score")
    codes = _cluster_codes(cluster, len(pos))
    aucs, cov, n_cl = _delong_cov(pos, np.column_stack([a[:, 0], b[:, 0]]), codes)
    return _comparison(aucs, cov, 0, 1, pos, level, codes is not None, n_cl)


def _comparison(aucs: np.ndarray, cov: np.ndarray, i: int, j: int, pos: np.ndarray,
                level: float, clustered: bool, n_cl: int | None) -> AucComparison:
    from scipy.stats import norm

    diff = float(aucs[i] - aucs[j])
    var = float(cov[i, i] + cov[j, j] - 2 * cov[i, j])
    se = math.sqrt(max(var, 0.0))
    if se > 0:
        stat = diff / se
        p = float(2 * norm.sf(abs(stat)))
    else:
        stat, p = (0.0, 1.0) if diff == 0 else (math.copysign(math.inf, diff), 0.0)
    z = z_crit(level)
    denom = math.sqrt(max(cov[i, i] * cov[j, j], 0.0))
    corr = float(cov[i, j] / denom) if denom > 0 else math.nan
    return AucComparison(diff, se, diff - z * se, diff + z * se, float(stat), p,
                         float(aucs[i]), float(aucs[j]), corr, int(pos.sum()),
                         int((~pos).sum()), float(level),
                         "obuchowski" if clustered else "delong", n_cl)


# ---- the metrics as customer-level scores ------------------------------------------------

#: Human labels of the customer-level scores made by :func:`metric_scores`.
SCORE_LABELS: dict[str, str] = {
    "nps": "NPS (promoter +100, passive 0, detractor −100)",
    "ltr_mean": "mean of the 0–10 answer",
    "top2": "top-2-box of the 0–10 answer (9–10)",
    "csat": "CSAT (% answering 4–5 of 5)",
    "ces": "CES (mean of the 1–7 answer)",
    "index": "satisfaction index (mean of the z-scored answers)",
}


def metric_scores(data: pd.DataFrame, *, nps: str = "nps", csat: str = "csat",
                  ces: str = "ces", complete: bool = True) -> pd.DataFrame:
    """The customer-level score behind each metric: each metric is the mean of its score.

    - ``nps``: 100 if the 0-10 answer is 9-10, -100 if 0-6, else 0 (its mean is the NPS;
      Reichheld 2003);
    - ``ltr_mean``: the 0-10 answer itself (its mean is the mean likelihood to recommend);
    - ``top2``: 100 if the 0-10 answer is 9-10 (its mean is the top-2-box %, the promoter share);
    - ``csat``: 100 if the 1-5 satisfaction answer is 4-5 (its mean is CSAT as usually
      reported, and as :func:`cxresearch.metrics.scores.csat` computes it);
    - ``ces``: the 1-7 effort answer (7 = very easy; its mean is the CES);
    - ``index``: a multi-item satisfaction index, the mean of the answers' z-scores
      (z = (x - mean) / sd over the rows given; with ``complete=False`` the mean of the items a
      customer answered). The standardisation uses no outcome, so it leaks nothing into an
      out-of-sample test.

    Parameters
    ----------
    data : DataFrame
        Customer answers with the three columns.
    nps, csat, ces : str
        Column names of the 0-10, 1-5 and 1-7 answers.
    complete : bool
        True (default): keep only customers who answered all three, so that every metric is
        scored on the same customers (CES is asked only of customers who contacted service in
        the bundled study). False: keep every row; scores of unanswered items are NaN.

    Returns
    -------
    DataFrame
        The six score columns (named as in :data:`SCORE_LABELS`), indexed like ``data``.

    Examples
    --------
    >>> d = pd.DataFrame({"nps": [10, 8, 3], "csat": [5, 4, 2], "ces": [7, 5, 2]})
    >>> metric_scores(d)[["nps", "top2", "csat"]].to_numpy().tolist()
    [[100.0, 100.0, 100.0], [0.0, 0.0, 100.0], [-100.0, 0.0, 0.0]]
    """
    require_frame(data)
    require_columns(data, [nps, csat, ces])
    require_numeric(data, [nps, csat, ces])
    for col, (lo, hi) in ((nps, (0, 10)), (csat, (1, 5)), (ces, (1, 7))):
        v = data[col].astype("Float64")
        bad = (v.notna() & ((v < lo) | (v > hi) | (v != v.round()))).to_numpy(dtype=bool)
        if bad.any():
            raise DataError(f"column {col!r}: {int(bad.sum())} value(s) outside {lo}..{hi} or "
                            f"not whole at rows {first_rows(bad, data.index)}")
    items = data[[nps, csat, ces]].astype("Float64").astype(float)
    if complete:
        items = items.dropna()
    x, s, e = items[nps], items[csat], items[ces]
    out = pd.DataFrame(index=items.index)
    out["nps"] = np.where(x >= 9, 100.0, np.where(x <= 6, -100.0, 0.0))
    out["ltr_mean"] = x
    out["top2"] = np.where(x >= 9, 100.0, 0.0)
    out["csat"] = np.where(s >= 4, 100.0, 0.0)
    out["ces"] = e
    for col, src in (("nps", x), ("top2", x), ("csat", s)):
        out.loc[src.isna(), col] = np.nan
    z = (items - items.mean()) / items.std(ddof=1)
    out["index"] = z.mean(axis=1, skipna=True)
    return out


def relative_log_spend(data: pd.DataFrame, spend: str = "annual_spend",
                       by: Sequence[str] = ("firm_id", "year")) -> pd.Series:
    """log(spend) minus its mean within each ``by`` group (a firm-year by default).

    Spend levels differ by industry and firm (prices, products); the question a customer-level
    metric can answer is whether *more satisfied customers of the same firm* spend more. Spend
    must be positive.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer.
    spend : str, default 'annual_spend'
        Column of (positive) spend.
    by : sequence of str, default ('firm_id', 'year')
        The groups.

    Returns
    -------
    pandas.Series
        One value per row of ``data``.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["a", "a", "b", "b"], "year": 1,
    ...                   "annual_spend": [100.0, 400.0, 10.0, 10.0]})
    >>> [round(v, 4) for v in relative_log_spend(d)]
    [-0.6931, 0.6931, 0.0, 0.0]
    """
    require_columns(data, [spend, *by])
    require_numeric(data, [spend])
    bad = ~(data[spend].astype(float) > 0).to_numpy()
    if bad.any():
        raise DataError(f"column {spend!r}: {int(bad.sum())} value(s) not > 0 (or missing) at "
                        f"rows {first_rows(bad, data.index)}")
    logs = np.log(data[spend].astype(float))
    return (logs - logs.groupby([data[b] for b in by]).transform("mean")).rename(
        f"relative_log_{spend}")


def firm_year_metrics(data: pd.DataFrame, by: Sequence[str] = ("firm_id", "year"), *,
                      nps: str = "nps", csat: str = "csat", ces: str = "ces") -> pd.DataFrame:
    """The six metrics of :func:`metric_scores` aggregated to ``by`` groups (firm-years).

    Each metric is the mean of its customer-level score over the customers who answered that
    item (as a dashboard would report it): NPS in points, the mean 0-10 answer, the top-2-box
    and CSAT in %, the CES mean and the index (the mean of each customer's available z-scores).
    ``n`` is the number of customers in the group.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer.
    by : sequence of str, default ('firm_id', 'year')
        The groups.
    nps, csat, ces : str
        Columns of the 0-10, CSAT and CES answers.

    Returns
    -------
    pandas.DataFrame
        One row per group: the metrics and ``n``.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["a", "a", "b"], "year": 1, "nps": [10, 3, 9],
    ...                   "csat": [5, 2, 4], "ces": [7, None, 6]})
    >>> firm_year_metrics(d)[["firm_id", "nps", "ltr_mean", "n"]].to_numpy().tolist()
    [['a', 0.0, 6.5, 2], ['b', 100.0, 9.0, 1]]
    """
    require_columns(data, [*by, nps, csat, ces])
    scores = metric_scores(data, nps=nps, csat=csat, ces=ces, complete=False)
    keys = data.loc[scores.index, list(by)]
    frame = pd.concat([keys, scores], axis=1)
    out = frame.groupby(list(by), sort=True).agg(
        **{c: (c, "mean") for c in SCORE_LABELS}, n=("nps", "size"))
    return out.reset_index()


# ---- predictive validity -----------------------------------------------------------------

@dataclass(frozen=True)
class Validity(Result):
    """Out-of-sample predictive validity of several metrics for one outcome.

    ``scores`` has one row per predictor (``predictor, label, measure, estimate, se, ci_low,
    ci_high, n, n_clusters``); ``comparisons`` one row per predictor other than the reference:
    the paired difference predictor - reference with ``se, ci_low, ci_high, statistic,
    p_value`` and the Holm-adjusted ``p_holm``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=200)
    >>> d = pd.DataFrame({"good": x + rng.normal(size=200), "weak": x + 3 * rng.normal(size=200),
    ...                   "y": (x + rng.normal(size=200) > 1).astype(int)})
    >>> v = predictive_validity(d, ["good", "weak"], "y")
    >>> v.scores["predictor"].tolist(), len(v.comparisons)
    (['good', 'weak'], 1)
    """

    outcome: str
    measure: str
    reference: str
    scores: pd.DataFrame = field(hash=False)
    comparisons: pd.DataFrame = field(hash=False)
    level: float = 0.95
    method: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The scores with the paired difference from the reference beside each."""
        diff = self.comparisons.rename(columns={
            "estimate": "diff", "ci_low": "diff_ci_low", "ci_high": "diff_ci_high",
            "p_value": "diff_p", "p_holm": "diff_p_holm"})[
            ["predictor", "diff", "diff_ci_low", "diff_ci_high", "diff_p", "diff_p_holm"]]
        return self.scores.merge(diff, on="predictor", how="left").assign(outcome=self.outcome)

    def summary(self) -> str:
        """One line per predictor."""
        lines = [f"{self.measure} for {self.outcome} ({self.method}; {self.level:.0%} CI):"]
        for r in self.scores.itertuples():
            lines.append(f"  {r.label}: {r.estimate:.3f} ({r.ci_low:.3f} to {r.ci_high:.3f})")
        return "\n".join(lines)


def _folds(codes: np.ndarray, n_folds: int, rng: np.random.Generator) -> np.ndarray:
    n_cl = int(codes.max()) + 1
    if n_cl < n_folds:
        raise DataError(f"argument 'n_folds': {n_folds} folds need at least as many clusters, "
                        f"got {n_cl}")
    fold_of_cluster = np.empty(n_cl, dtype=np.int64)
    fold_of_cluster[rng.permutation(n_cl)] = np.arange(n_cl) % n_folds
    return fold_of_cluster[codes]


def _oos_predictions(x: np.ndarray, y: np.ndarray, folds: np.ndarray, n_folds: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold OLS predictions of y from each column of x, and the training-mean baseline."""
    pred = np.empty_like(x)
    base = np.empty(len(y))
    for f in range(n_folds):
        test, train = folds == f, folds != f
        ybar = y[train].mean()
        base[test] = ybar
        for j in range(x.shape[1]):
            xt = x[train, j]
            xbar = xt.mean()
            sxx = float(((xt - xbar) ** 2).sum())
            slope = float(((xt - xbar) * (y[train] - ybar)).sum() / sxx) if sxx > 0 else 0.0
            pred[test, j] = ybar + slope * (x[test, j] - xbar)
    return pred, base


def _cluster_bootstrap_r2(sse: np.ndarray, sst: np.ndarray, n_boot: int,
                          rng: np.random.Generator) -> np.ndarray:
    """R^2 = 1 - SSE / SST over clusters resampled with replacement (per-cluster sums given)."""
    n_cl = len(sst)
    out = np.empty((n_boot, sse.shape[1]))
    chunk = max(1, 2_000_000 // max(n_cl, 1))
    probs = np.full(n_cl, 1.0 / n_cl)
    for start in range(0, n_boot, chunk):
        w = rng.multinomial(n_cl, probs, size=min(chunk, n_boot - start)).astype(float)
        out[start:start + len(w)] = 1.0 - (w @ sse) / (w @ sst)[:, None]
    return out


def predictive_validity(
    data: pd.DataFrame,
    predictors: Sequence[str],
    outcome: str,
    *,
    measure: Literal["auc", "r2"] = "auc",
    direction: Literal[1, -1] = 1,
    cluster: str | None = None,
    reference: str | None = None,
    labels: Mapping[str, str] | None = None,
    n_folds: int = 5,
    n_boot: int = 2000,
    seed: int | None = 0,
    level: float = 0.95,
) -> Validity:
    """How well each predictor predicts ``outcome`` out of sample, with intervals and paired
    comparisons against ``reference``.

    ``measure="auc"`` (binary outcome, e.g. churn): the AUC of ``direction * predictor`` (the
    direction is fixed in advance, e.g. -1 because more satisfied customers should churn
    *less*; nothing is estimated from the outcome, so the AUC is out of sample by
    construction) with DeLong intervals (:func:`roc_auc`; Obuchowski's clustered variance when
    ``cluster`` is given), and DeLong paired tests against the reference
    (:func:`compare_auc`).

    ``measure="r2"`` (continuous or count outcome): grouped K-fold cross-validation, the folds
    made of whole clusters (so that no firm is in both the training and the test part): an
    OLS line of the outcome on each predictor is fitted on the training folds and predicts the
    test fold. The out-of-sample R^2 (Campbell & Thompson 2008, *Review of Financial Studies*
    21(4):1509-1531) is

        R2_oos = 1 - sum (y - yhat)^2 / sum (y - ybar_train)^2,

    negative when the predictor does worse than the training mean. Intervals: percentile
    cluster bootstrap (clusters resampled with replacement, ``n_boot`` times) of the pooled
    out-of-fold errors; paired differences use the same resamples. The bootstrap keeps the
    fitted lines fixed (with two parameters per line and thousands of training rows, their
    sampling error is negligible next to the test-set error). Without ``cluster`` rows are the
    resampled units.

    Paired comparisons get two-sided p-values (normal approximation with the DeLong or
    bootstrap SE) and Holm-adjusted ones (``p_holm``, Holm 1979).

    Parameters
    ----------
    data : DataFrame
        One row per unit with the predictors, the outcome and the cluster column; rows with a
        missing value in any of them are dropped (give complete data to keep the comparison
        paired on the same units).
    predictors : sequence of str
        Columns to score.
    outcome : str
        The column to predict (0/1 for ``"auc"``).
    measure : {"auc", "r2"}
    direction : {1, -1}
        For ``"auc"``: 1 if a higher predictor means a positive is more likely, -1 if less.
    cluster : str, optional
        The column units are nested in (firms).
    reference : str, optional
        The predictor the others are compared with (default: the first).
    labels : mapping, optional
        Human labels of the predictors (default :data:`SCORE_LABELS` where known).
    n_folds, n_boot, seed, level
        Folds of the cross-validation (``"r2"``), bootstrap replications (``"r2"``), seed of
        the fold assignment and the bootstrap, confidence level.

    Returns
    -------
    Validity

    References
    ----------
    DeLong, E. R., DeLong, D. M. & Clarke-Pearson, D. L. (1988). Comparing the areas under two or
    more correlated receiver operating characteristic curves. *Biometrics* 44, 837-845.
    Obuchowski, N. A. (1997). Nonparametric analysis of clustered ROC curve data. *Biometrics* 53,
    567-578.
    Campbell, J. Y. & Thompson, S. B. (2008). Predicting excess stock returns out of sample. *Review
    of Financial Studies* 21(4), 1509-1531.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
    of Statistics* 6, 65-70.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=400)
    >>> d = pd.DataFrame({"good": x + rng.normal(size=400), "weak": x + 3 * rng.normal(size=400),
    ...                   "y": (x + rng.normal(size=400) > 1).astype(int),
    ...                   "firm": np.repeat(np.arange(40), 10)})
    >>> v = predictive_validity(d, ["good", "weak"], "y", cluster="firm")
    >>> v.scores["estimate"].round(3).tolist(), round(float(v.comparisons["p_value"][0]), 4)
    ([0.712, 0.573], 0.0155)
    """

    require_frame(data)
    preds = list(predictors)
    if not preds:
        raise DataError("argument 'predictors': no predictor given")
    cols = [*preds, outcome] + ([cluster] if cluster else [])
    require_columns(data, cols)
    require_numeric(data, [*preds, outcome])
    if measure not in ("auc", "r2"):
        raise DataError(f"argument 'measure': {measure!r} is not 'auc' or 'r2'")
    if direction not in (1, -1):
        raise DataError(f"argument 'direction': must be 1 or -1, got {direction!r}")
    ref = preds[0] if reference is None else reference
    if ref not in preds:
        raise DataError(f"argument 'reference': {ref!r} is not one of the predictors {preds}")
    check_level(level)
    seed = check_seed(seed)
    lab = {**SCORE_LABELS, **(labels or {})}
    d = data[cols].dropna()
    if len(d) < 2:
        raise DataError("data: fewer than two complete rows")
    x = d[preds].astype(float).to_numpy()
    y = d[outcome].astype(float).to_numpy()
    codes = (pd.factorize(d[cluster], sort=True)[0].astype(np.int64) if cluster
             else np.arange(len(d), dtype=np.int64))
    n_cl = int(codes.max()) + 1
    z = z_crit(level)
    rows, comps = [], []
    ir = preds.index(ref)
    if measure == "auc":
        pos, _ = _binary(pd.Series(y, index=d.index), outcome)
        aucs, cov, _ = _delong_cov(pos, direction * x, codes if cluster else None)
        method = "DeLong, clustered (Obuchowski 1997)" if cluster else "DeLong"
        for j, p in enumerate(preds):
            se = math.sqrt(max(cov[j, j], 0.0))
            rows.append({"predictor": p, "label": lab.get(p, p), "measure": "AUC",
                         "estimate": float(aucs[j]), "se": se,
                         "ci_low": max(0.0, aucs[j] - z * se),
                         "ci_high": min(1.0, aucs[j] + z * se)})
        for j, p in enumerate(preds):
            if j == ir:
                continue
            c = _comparison(aucs, cov, j, ir, pos, level, bool(cluster), None)
            comps.append({"predictor": p, "label": lab.get(p, p), "estimate": c.estimate,
                          "se": c.se, "ci_low": c.ci_low, "ci_high": c.ci_high,
                          "statistic": c.statistic, "p_value": c.p_value})
    else:
        from scipy.stats import norm

        n_boot = check_n_boot(n_boot, minimum=2)
        rng = np.random.default_rng(seed)
        folds = _folds(codes, n_folds, rng)
        pred, base = _oos_predictions(x, y, folds, n_folds)
        sse = np.column_stack([np.bincount(codes, weights=(y - pred[:, j]) ** 2,
                                           minlength=n_cl) for j in range(len(preds))])
        sst = np.bincount(codes, weights=(y - base) ** 2, minlength=n_cl)
        r2 = 1.0 - sse.sum(axis=0) / sst.sum()
        boot = _cluster_bootstrap_r2(sse, sst, n_boot, rng)
        a = 1 - level
        method = (f"{n_folds}-fold cross-validation by {'cluster' if cluster else 'row'}, "
                  f"{'cluster ' if cluster else ''}bootstrap")
        for j, p in enumerate(preds):
            lo, hi = np.quantile(boot[:, j], [a / 2, 1 - a / 2])
            rows.append({"predictor": p, "label": lab.get(p, p), "measure": "R² (out of sample)",
                         "estimate": float(r2[j]), "se": float(boot[:, j].std(ddof=1)),
                         "ci_low": float(lo), "ci_high": float(hi)})
        for j, p in enumerate(preds):
            if j == ir:
                continue
            diff = boot[:, j] - boot[:, ir]
            est = float(r2[j] - r2[ir])
            se = float(diff.std(ddof=1))
            lo, hi = np.quantile(diff, [a / 2, 1 - a / 2])
            stat = est / se if se > 0 else (0.0 if est == 0 else math.copysign(math.inf, est))
            comps.append({"predictor": p, "label": lab.get(p, p), "estimate": est, "se": se,
                          "ci_low": float(lo), "ci_high": float(hi), "statistic": float(stat),
                          "p_value": float(2 * norm.sf(abs(stat)))})
    scores = pd.DataFrame(rows).assign(n=len(d), n_clusters=n_cl if cluster else np.nan)
    comparisons = pd.DataFrame(comps, columns=["predictor", "label", "estimate", "se",
                                               "ci_low", "ci_high", "statistic", "p_value"])
    comparisons["p_holm"] = holm(comparisons["p_value"].to_numpy()) if len(comps) else []
    return Validity(outcome, scores["measure"].iloc[0], ref, scores, comparisons, float(level),
                    method)


# ---- what the cut costs ------------------------------------------------------------------

#: The score of each 0-10 answer under three ways of reporting the same question.
ANSWER_SCORES: dict[str, np.ndarray] = {
    "nps": np.array([-100.0] * 7 + [0.0] * 2 + [100.0] * 2),
    "mean": np.arange(11, dtype=float),
    "top2": np.array([0.0] * 9 + [100.0] * 2),
}

_EFF_LABELS = {"nps": "NPS", "mean": "mean of the 0–10 answer", "top2": "top-2-box (9–10)"}


def _probs(p: Any, arg: str) -> np.ndarray:
    a = np.asarray(p, dtype=float)
    if a.shape != (11,):
        raise DataError(f"argument {arg!r}: 11 probabilities (answers 0..10) expected, got "
                        f"shape {a.shape}")
    if not np.all(np.isfinite(a)) or (a < 0).any() or abs(a.sum() - 1) > 1e-8:
        raise DataError(f"argument {arg!r}: probabilities must be >= 0 and sum to 1 (sum "
                        f"{a.sum():.6g})")
    return a / a.sum()


def shift_answers(probs: Any, shift: float) -> np.ndarray:
    """The 0-10 answer distribution after a shift of ``shift`` SD of the latent satisfaction.

    The ordered-probit (cumulative-link) model (McCullagh 1980, *JRSS B* 42(2):109-142): answers
    are a latent N(mu, 1) cut at thresholds tau_0 < ... < tau_9, chosen so that the model
    reproduces ``probs`` exactly (tau_k = Phi^-1(P(answer <= k))); moving the latent mean by
    ``shift`` gives P(answer = k) = Phi(tau_k - shift) - Phi(tau_(k-1) - shift). A shift moves
    every customer a little: a change of experience, not a re-labelling of answers.

    Parameters
    ----------
    probs : array-like of 11 float
        Answer distribution over 0..10.
    shift : float
        Shift of the latent mean, in latent SD.

    Returns
    -------
    numpy.ndarray
        The shifted distribution.

    References
    ----------
    McCullagh, P. (1980). Regression models for ordinal data. *Journal of the Royal Statistical
    Society B* 42(2), 109-142.

    Examples
    --------
    >>> p = shift_answers(np.full(11, 1 / 11), 0.2)
    >>> round(float(p[10]), 4), round(float(p.sum()), 6)
    (0.1282, 1.0)
    """
    from scipy.stats import norm

    p = _probs(probs, "probs")
    cum = np.clip(np.cumsum(p)[:-1], 0.0, 1.0)
    tau = norm.ppf(cum)
    upper = np.append(norm.cdf(tau - shift), 1.0)
    lower = np.insert(norm.cdf(tau - shift), 0, 0.0)
    out = np.clip(upper - lower, 0.0, 1.0)
    return out / out.sum()


@dataclass(frozen=True)
class Efficiency(Result):
    """Analytic efficiency of three ways of scoring the same 0-10 answers (see
    :func:`efficiency_ratio`); ``table`` has one row per scoring.

    Examples
    --------
    >>> before = np.array([2, 1, 1, 2, 3, 6, 8, 15, 22, 18, 22]) / 100
    >>> e = efficiency_ratio(before, shift_answers(before, 0.2))
    >>> e.table["scoring"].tolist()
    ['nps', 'mean', 'top2']
    """

    table: pd.DataFrame = field(hash=False)
    ratio: float
    level: float
    power: float

    def to_frame(self) -> pd.DataFrame:
        """The table."""
        return self.table.copy()

    def summary(self) -> str:
        """One line: how many times as many answers NPS needs as the mean."""
        n = self.table.set_index("scoring")["n_per_group"]
        return (f"NPS needs {self.ratio:.2f} times as many answers as the mean of the same "
                f"0-10 answers to detect this change ({n['nps']:,} vs {n['mean']:,} per group "
                f"at {self.power:.0%} power, {1 - self.level:.0%} two-sided)")


def efficiency_ratio(before: Any, after: Any, *, level: float = 0.95, power: float = 0.8
                     ) -> Efficiency:
    """Relative efficiency of NPS against the mean of the same 0-10 answers, for one change.

    Each way of reporting the 0-10 answer is the mean of a per-answer score s(k) (NPS: -100 for
    0-6, 0 for 7-8, 100 for 9-10; mean: k; top-2-box: 100 for 9-10). For answer distributions
    pi_0 (``before``) and pi_1 (``after``), its change and per-answer variances are

        Delta_s = sum_k s(k) (pi_1k - pi_0k),   V_s,j = sum_k s(k)^2 pi_jk - (sum_k s(k) pi_jk)^2.

    For NPS V_s,j = 100^2 [p_j + d_j - (p_j - d_j)^2], the trinomial variance (Rocks 2016, *The
    American Statistician* 70(4):365-372). Detecting the change with a two-sided z test of two
    independent samples of n answers each needs

        n_s = (z_(1 - alpha/2) + z_power)^2 (V_s,0 + V_s,1) / Delta_s^2

    answers per group (e.g. Chow, Shao & Wang 2008, *Sample Size Calculations in Clinical
    Research*, ch. 4), and the relative efficiency of the mean over NPS is the ratio of the
    squared standardised effects, equivalently of the sample sizes:

        RE = [Delta_mean^2 / (V_mean,0 + V_mean,1)] / [Delta_NPS^2 / (V_NPS,0 + V_NPS,1)]
           = n_NPS / n_mean.

    RE > 1 means NPS needs RE times as many answers as the mean of the same answers: the
    information thrown away by cutting 11 points into three groups (Cohen 1983, *Applied
    Psychological Measurement* 7(3):249-253; MacCallum, Zhang, Preacher & Rucker 2002,
    *Psychological Methods* 7(1):19-40). It depends on the distributions; :func:`shift_answers`
    makes ``after`` from ``before`` for a given shift.

    Returns
    -------
    Efficiency
        ``ratio`` (RE of the mean over NPS) and ``table``: per scoring (``nps``, ``mean``,
        ``top2``) the values before and after, ``delta``, ``var_before``, ``var_after``,
        ``effect_size`` (Delta / sqrt((V_0 + V_1) / 2)), ``n_per_group`` and
        ``relative_efficiency`` (n of that scoring / n of the mean).

    Parameters
    ----------
    before, after : array-like of 11 float
        Answer distributions over 0..10.
    level : float, default 0.95
        Confidence level.
    power : float, default 0.8
        Power of the two-sample z test for the sample sizes.

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*
    70(4), 365-372.
    Cohen, J. (1983). The cost of dichotomization. *Applied Psychological Measurement* 7(3),
    249-253.

    Examples
    --------
    >>> before = np.array([2, 1, 1, 2, 3, 6, 8, 15, 22, 18, 22]) / 100
    >>> e = efficiency_ratio(before, shift_answers(before, 0.2))
    >>> round(e.ratio, 3)
    1.085
    """
    from scipy.stats import norm

    level = check_level(level)
    if not 0 < power < 1:
        raise DataError(f"argument 'power' must be between 0 and 1, got {power!r}")
    p0, p1 = _probs(before, "before"), _probs(after, "after")
    k = (z_crit(level) + norm.ppf(power)) ** 2
    rows = []
    for name, s in ANSWER_SCORES.items():
        m0, m1 = float(s @ p0), float(s @ p1)
        v0, v1 = float(s**2 @ p0 - m0**2), float(s**2 @ p1 - m1**2)
        delta = m1 - m0
        n = math.ceil(k * (v0 + v1) / delta**2 - 1e-9) if delta != 0 else math.inf
        rows.append({"scoring": name, "label": _EFF_LABELS[name], "before": m0, "after": m1,
                     "delta": delta, "var_before": v0, "var_after": v1,
                     "effect_size": delta / math.sqrt((v0 + v1) / 2) if v0 + v1 > 0 else math.nan,
                     "n_per_group": n, "_exact_n": k * (v0 + v1) / delta**2 if delta else math.inf})
    t = pd.DataFrame(rows)
    exact = t.set_index("scoring")["_exact_n"]
    t["relative_efficiency"] = t["_exact_n"] / exact["mean"]
    ratio = float(exact["nps"] / exact["mean"])
    return Efficiency(t.drop(columns="_exact_n"), ratio, level, float(power))


@dataclass(frozen=True)
class EfficiencySimulation(Result):
    """The efficiency ratio by simulation beside the analytic one (see
    :func:`efficiency_simulation`).

    Examples
    --------
    >>> before = np.array([2, 1, 1, 2, 3, 6, 8, 15, 22, 18, 22]) / 100
    >>> s = efficiency_simulation(before, shift_answers(before, 0.2), n_boot=500, seed=1)
    >>> type(s.within_mc_error).__name__
    'bool'
    """

    analytic: float
    simulated: float
    mc_se: float
    n: int
    n_boot: int
    power: pd.DataFrame = field(hash=False)

    @property
    def within_mc_error(self) -> bool:
        """|simulated - analytic| <= 3 Monte-Carlo SE."""
        return abs(self.simulated - self.analytic) <= 3 * self.mc_se

    def to_frame(self) -> pd.DataFrame:
        """One row: analytic, simulated, its Monte-Carlo SE and interval (± 1.96 MC SE)."""
        return pd.DataFrame([{"analytic": self.analytic, "simulated": self.simulated,
                              "mc_se": self.mc_se, "ci_low": self.simulated - 1.96 * self.mc_se,
                              "ci_high": self.simulated + 1.96 * self.mc_se, "n": self.n,
                              "n_boot": self.n_boot}])

    def summary(self) -> str:
        """One line."""
        return (f"efficiency ratio (NPS vs mean): analytic {self.analytic:.3f}, simulated "
                f"{self.simulated:.3f} (Monte-Carlo SE {self.mc_se:.3f}; {self.n_boot:,} "
                f"pairs of samples of {self.n:,})")


def efficiency_simulation(before: Any, after: Any, *, n: int = 500, n_boot: int = 4000,
                          level: float = 0.95, power: float = 0.8, seed: int | None = 0
                          ) -> EfficiencySimulation:
    """Check :func:`efficiency_ratio` by simulation.

    ``n_boot`` times, draw n answers from ``before`` and n from ``after`` (multinomial counts)
    and compute the difference of the NPS and of the mean. With v_s the variance of the
    simulated differences across replications and the true changes Delta_s,

        RE_sim = (Delta_mean / Delta_NPS)^2 v_NPS / v_mean,

    whose Monte-Carlo SE is the delta-method one with the simulated fourth moments:
    Var(log RE_sim) ~ Var(a_r^2 / v_NPS - b_r^2 / v_mean) / R for the centred differences a_r
    (NPS) and b_r (mean). The analytic ratio should lie within about 2-3 Monte-Carlo SE.

    It also checks the sample sizes: ``power`` holds the simulated power of the two-sample z
    test at each scoring's analytic ``n_per_group`` (it should be close to ``power``).

    Parameters
    ----------
    before, after : array-like of 11 float
        Answer distributions over 0..10.
    n : int, default 500
        Answers per group and replication.
    n_boot : int, default 4000
        Replications.
    level : float, default 0.95
        Confidence level.
    power : float, default 0.8
        Power of the two-sample z test for the sample sizes.
    seed : int or None, default 0
        Seed of the draws.

    Returns
    -------
    EfficiencySimulation
        The simulated ratio, its Monte-Carlo SE and the simulated power.

    Examples
    --------
    >>> before = np.array([2, 1, 1, 2, 3, 6, 8, 15, 22, 18, 22]) / 100
    >>> s = efficiency_simulation(before, shift_answers(before, 0.2), n_boot=2000, seed=1)
    >>> s.within_mc_error
    True
    """

    n_boot = check_n_boot(n_boot, minimum=10)
    if not isinstance(n, int | np.integer) or n < 2:
        raise DataError(f"argument 'n': an integer >= 2 expected, got {n!r}")
    rng = np.random.default_rng(check_seed(seed))
    eff = efficiency_ratio(before, after, level=level, power=power)
    p0, p1 = _probs(before, "before"), _probs(after, "after")
    s_nps, s_mean = ANSWER_SCORES["nps"], ANSWER_SCORES["mean"]
    c0 = rng.multinomial(n, p0, size=n_boot)
    c1 = rng.multinomial(n, p1, size=n_boot)
    a = (c1 - c0) @ s_nps / n
    b = (c1 - c0) @ s_mean / n
    tab = eff.table.set_index("scoring")
    d_nps, d_mean = tab.loc["nps", "delta"], tab.loc["mean", "delta"]
    va, vb = a.var(ddof=1), b.var(ddof=1)
    sim = float((d_mean / d_nps) ** 2 * va / vb)
    ac, bc = a - a.mean(), b - b.mean()
    u = ac**2 / va - bc**2 / vb
    mc_se = float(sim * math.sqrt(u.var(ddof=1) / n_boot))
    z = z_crit(level)
    power_rows = []
    for name in ANSWER_SCORES:
        n_s = int(tab.loc[name, "n_per_group"])
        s = ANSWER_SCORES[name]
        x0 = rng.multinomial(n_s, p0, size=n_boot)
        x1 = rng.multinomial(n_s, p1, size=n_boot)
        m0, m1 = x0 @ s / n_s, x1 @ s / n_s
        v0 = (x0 @ s**2 / n_s - m0**2) * n_s / (n_s - 1)
        v1 = (x1 @ s**2 / n_s - m1**2) * n_s / (n_s - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = (m1 - m0) / np.sqrt((v0 + v1) / n_s)
        hit = np.abs(np.nan_to_num(stat)) > z
        power_rows.append({"scoring": name, "label": _EFF_LABELS[name], "n_per_group": n_s,
                           "target_power": power, "simulated_power": float(hit.mean()),
                           "mc_se": float(hit.std(ddof=1) / math.sqrt(n_boot))})
    return EfficiencySimulation(eff.ratio, sim, mc_se, int(n), n_boot, pd.DataFrame(power_rows))


# ---- said versus done --------------------------------------------------------------------

def said_vs_done(data: pd.DataFrame, *, said: str = "intends", done: str = "referred",
                 converted: str | None = "new_customers", level: float = 0.95,
                 n_boot: int = 2000, seed: int | None = 0) -> pd.DataFrame:
    """Stated intention against behaviour, with bootstrap intervals.

    Rows: the share who *said* they would (e.g. recommend), the share who *did*, the
    follow-through P(did | said), the share who did without saying P(did | not said), the
    overstatement factor said / did (how many times the stated share exceeds the behaviour),
    and, with ``converted`` (new customers won per customer), new customers per 100 customers
    and per 100 who said they would. Percentile bootstrap over customers (independent units in
    :func:`cxresearch.simulate.referrals.simulate_referrals`).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per customer.
    said : str, default 'intends'
        Column, 1 when the customer said they would.
    done : str, default 'referred'
        Column, 1 when the customer did.
    converted : str or None, default 'new_customers'
        Column of new customers won.
    level : float, default 0.95
        Confidence level.
    n_boot : int, default 2000
        Bootstrap resamples.
    seed : int or None, default 0
        Seed of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per quantity with ``estimate``, ``ci_low``, ``ci_high``.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

    Examples
    --------
    >>> d = pd.DataFrame({"intends": [1, 1, 1, 1, 0, 0], "referred": [1, 0, 0, 0, 1, 0],
    ...                   "new_customers": [1, 0, 0, 0, 0, 0]})
    >>> t = said_vs_done(d, n_boot=200)
    >>> float(t.set_index("quantity").loc["said / did", "estimate"])
    2.0
    """
    require_frame(data)
    cols = [said, done] + ([converted] if converted else [])
    require_columns(data, cols)
    require_numeric(data, cols)
    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=2)
    rng = np.random.default_rng(check_seed(seed))
    s = data[said].astype(float).to_numpy() > 0
    d = data[done].astype(float).to_numpy() > 0
    c = data[converted].astype(float).to_numpy() if converted else np.zeros(len(data))

    def mean(x: np.ndarray) -> float:
        return float(x.mean()) if len(x) else math.nan

    def stats(idx: np.ndarray | slice) -> np.ndarray:
        ss, dd, cc = s[idx], d[idx], c[idx]
        did = mean(dd)
        return np.array([100 * mean(ss), 100 * did, 100 * mean(dd[ss]), 100 * mean(dd[~ss]),
                         mean(ss) / did if did > 0 else math.nan, 100 * mean(cc),
                         100 * cc[ss].sum() / ss.sum() if ss.any() else math.nan])

    est = stats(slice(None))
    n = len(data)
    boot = np.array([stats(rng.integers(0, n, n)) for _ in range(n_boot)])
    a = 1 - level
    lo, hi = np.nanquantile(boot, a / 2, axis=0), np.nanquantile(boot, 1 - a / 2, axis=0)
    names = ["said they would (%)", "did (%)", "did, among those who said (%)",
             "did, among those who did not say (%)", "said / did",
             "new customers per 100 customers", "new customers per 100 who said"]
    t = pd.DataFrame({"quantity": names, "estimate": est, "ci_low": lo, "ci_high": hi})
    return t if converted else t.iloc[:5].reset_index(drop=True)


# ---- metric integrity --------------------------------------------------------------------

def integrity_table(data: pd.DataFrame, by: str | Sequence[str], *, answer: str = "answer",
                    invited: str = "invited", responded: str = "responded",
                    behaviour: str = "churned") -> pd.DataFrame:
    """The analyst's integrity checks of a survey metric, per ``by`` group.

    Per group of served customers (one row per customer, surveyed or not): ``n_served``,
    ``invite_rate`` (% invited), ``response_rate`` (% of invited who answered), the reported
    ``nps`` of the answers, ``share_10`` (% of answers that are 10) and ``tens_among_promoters``
    (% of the 9-10 answers that are 10: coaching "anything below a 10 is a fail" shows as a
    spike at 10, Reichheld & Markey 2011, *The Ultimate Question 2.0*), ``behaviour_all`` (% of
    all served customers with the behaviour, e.g. churned), ``behaviour_respondents`` (the same
    among respondents) and ``selection_gap`` (respondents minus all served: surveying only
    happy customers makes respondents churn less than the customer base).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per served customer.
    by : str or sequence of str
        The groups.
    answer : str, default 'answer'
        Column of the 0-10 answer (NaN when not answered).
    invited : str, default 'invited'
        Column, 1 when the customer was invited.
    responded : str, default 'responded'
        Column, 1 when the customer answered.
    behaviour : str, default 'churned'
        Column of the 0/1 behaviour.

    Returns
    -------
    pandas.DataFrame
        One row per group.

    References
    ----------
    Reichheld, F. F. & Markey, R. (2011). *The Ultimate Question 2.0*. Harvard Business Review
    Press.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a"] * 4, "answer": [10, 9, np.nan, np.nan],
    ...                   "invited": [1, 1, 1, 0], "responded": [1, 1, 0, 0],
    ...                   "churned": [0, 0, 1, 1]})
    >>> integrity_table(d, "g")[["nps", "tens_among_promoters", "selection_gap"]].iloc[0].tolist()
    [100.0, 50.0, -50.0]
    """
    keys = [by] if isinstance(by, str) else list(by)
    require_columns(data, [*keys, answer, invited, responded, behaviour])
    require_numeric(data, [answer, invited, responded, behaviour])
    d = data[[*keys, answer, invited, responded, behaviour]].copy()
    resp = d[responded].astype(float) > 0
    ans = d[answer].astype(float)
    bad = (resp & ans.isna()).to_numpy()
    if bad.any():
        raise DataError(f"column {answer!r}: {int(bad.sum())} respondent(s) without an answer "
                        f"at rows {first_rows(bad, d.index)}")
    d["_inv"] = d[invited].astype(float) > 0
    d["_resp"] = resp
    d["_ans"] = ans.where(resp)
    d["_beh"] = d[behaviour].astype(float)
    d["_nps"] = np.where(d["_ans"] >= 9, 100.0, np.where(d["_ans"] <= 6, -100.0, 0.0))
    d.loc[~resp, "_nps"] = np.nan
    d["_ten"] = np.where(resp, (d["_ans"] == 10) * 100.0, np.nan)
    d["_ten_p"] = np.where(resp & (d["_ans"] >= 9), (d["_ans"] == 10) * 100.0, np.nan)
    d["_beh_r"] = d["_beh"].where(resp)
    g = d.groupby(keys, sort=True)
    out = pd.DataFrame({
        "n_served": g.size(),
        "invite_rate": 100 * g["_inv"].mean(),
        "response_rate": 100 * g["_resp"].sum() / g["_inv"].sum().replace(0, np.nan),
        "n_answers": g["_resp"].sum(),
        "nps": g["_nps"].mean(),
        "share_10": g["_ten"].mean(),
        "tens_among_promoters": g["_ten_p"].mean(),
        "behaviour_all": 100 * g["_beh"].mean(),
        "behaviour_respondents": 100 * g["_beh_r"].mean(),
    })
    out["selection_gap"] = out["behaviour_respondents"] - out["behaviour_all"]
    return out.reset_index()


def diagnostic_changes(
    data: pd.DataFrame,
    *,
    by: str,
    reference: str,
    cluster: str,
    post: str,
    diagnostics: Sequence[str] = ("nps", "tens_among_promoters", "invite_rate",
                                  "selection_gap", "behaviour_all"),
    n_boot: int = 1000,
    seed: int | None = 0,
    level: float = 0.95,
    **columns: str,
) -> pd.DataFrame:
    """Difference-in-differences of each integrity diagnostic, with cluster-bootstrap intervals.

    ``data`` holds one row per served customer; ``by`` the firm's group (e.g. its culture),
    constant within ``cluster`` (firms); ``post`` is 1 after the group's policy started. For
    each group other than ``reference`` and each diagnostic of :func:`integrity_table`, the
    estimate is

        [D(group, post) - D(group, pre)] - [D(reference, post) - D(reference, pre)],

    the change beyond the reference group's. Percentile intervals resample firms with
    replacement within each group (``n_boot`` times): the firm is the unit that chose the
    policy. Extra keyword arguments (``answer=``, ``invited=``, ``responded=``,
    ``behaviour=``) name the columns as in :func:`integrity_table`.

    Returns a tidy frame: the ``by`` column, ``diagnostic``, ``label``, ``estimate``,
    ``ci_low``, ``ci_high``, ``se`` (the bootstrap standard deviation) and ``p_value`` (the
    two-sided bootstrap p-value of no change, ``2 (min(#draws <= 0, #draws >= 0) + 1) /
    (n_boot + 1)``, capped at 1), ready for a multiplicity adjustment over the family
    (:func:`cxresearch.report.conclusions.holm_family`).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per served customer.
    by : str
        Column of the firm's group (constant within ``cluster``).
    reference : str
        The reference group.
    cluster : str
        Column of firm ids, the resampled unit.
    post : str
        Column, 1 after the group's policy started.
    diagnostics : sequence of str
        Columns of :func:`integrity_table` to compare.
    n_boot : int, default 1000
        Cluster-bootstrap resamples.
    seed : int or None, default 0
        Seed of the bootstrap.
    level : float, default 0.95
        Confidence level.
    **columns : str
        Column names passed to :func:`integrity_table`.

    Returns
    -------
    pandas.DataFrame
        One row per group and diagnostic.

    References
    ----------
    Reichheld, F. F. & Markey, R. (2011). *The Ultimate Question 2.0*. Harvard Business Review
    Press.
    Davison, A. C. & Hinkley, D. V. (1997). *Bootstrap Methods and their Application*, sec. 3.8.
    Cambridge University Press.

    Examples
    --------
    >>> from cxresearch.simulate.gaming import GamingParams, simulate_gaming
    >>> c = simulate_gaming(GamingParams(n_firms=30, customers_per_firm=100), seed=4).customers
    >>> out = diagnostic_changes(c, by="culture", reference="control", cluster="firm_id",
    ...                          post="post", n_boot=100, seed=1)
    >>> round(float(out.set_index(["culture", "diagnostic"]).loc[("bonus", "nps"), "estimate"]), 1)
    32.3
    """
    require_columns(data, [by, cluster, post])
    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=2)
    rng = np.random.default_rng(check_seed(seed))
    cols = {"answer": "answer", "invited": "invited", "responded": "responded",
            "behaviour": "churned", **columns}
    require_columns(data, [cols[k] for k in ("answer", "invited", "responded", "behaviour")])
    groups = sorted(data[by].unique())
    if reference not in groups:
        raise DataError(f"argument 'reference': {reference!r} is not a value of column "
                        f"{by!r} ({groups})")
    diags = list(diagnostics)
    unknown = [k for k in diags if k not in _DIAGNOSTICS]
    if unknown:
        raise DataError(f"argument 'diagnostics': unknown {unknown}; use {list(_DIAGNOSTICS)}")
    per_group = data.groupby(cluster)[by].nunique()
    if (per_group > 1).any():
        bad = list(per_group.index[per_group > 1][:5])
        raise DataError(f"column {by!r}: must be constant within {cluster!r}; differs in "
                        f"{bad}")
    # Per firm and phase, the sums behind each ratio (customers pooled over firms).
    resp = (data[cols["responded"]].astype(float) > 0).to_numpy()
    ans = data[cols["answer"]].astype(float).to_numpy()
    beh = 100 * data[cols["behaviour"]].astype(float).to_numpy()
    promoter = resp & (ans >= 9)
    parts = np.column_stack([
        np.ones(len(data)),                                             # 0 served
        (data[cols["invited"]].astype(float) > 0).to_numpy(float),      # 1 invited
        resp.astype(float),                                             # 2 answers
        np.where(resp, np.where(ans >= 9, 100.0, np.where(ans <= 6, -100.0, 0.0)), 0.0),
        np.where(resp, (ans == 10) * 100.0, 0.0),                       # 4 tens
        promoter.astype(float),                                         # 5 promoters
        np.where(promoter, (ans == 10) * 100.0, 0.0),                   # 6 tens among 9-10
        beh,                                                            # 7 behaviour, all
        np.where(resp, beh, 0.0),                                       # 8 behaviour, answers
    ])
    firm_codes, firm_ids = pd.factorize(data[cluster], sort=True)
    is_post = (data[post].astype(float) > 0).to_numpy()
    n_f = len(firm_ids)
    sums = np.zeros((2, n_f, parts.shape[1]))
    for ph in (0, 1):
        m = is_post == bool(ph)
        for j in range(parts.shape[1]):
            sums[ph, :, j] = np.bincount(firm_codes[m], weights=parts[m, j], minlength=n_f)
    firm_group = data.groupby(cluster, sort=True)[by].first().reindex(firm_ids).to_numpy()

    def ratios(t: np.ndarray) -> dict[str, np.ndarray]:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = {"nps": t[..., 3] / t[..., 2], "share_10": t[..., 4] / t[..., 2],
                 "tens_among_promoters": t[..., 6] / t[..., 5],
                 "invite_rate": 100 * t[..., 1] / t[..., 0],
                 "response_rate": 100 * t[..., 2] / t[..., 1],
                 "behaviour_all": t[..., 7] / t[..., 0],
                 "behaviour_respondents": t[..., 8] / t[..., 2]}
        r["selection_gap"] = r["behaviour_respondents"] - r["behaviour_all"]
        return r

    def totals(weights: dict[Any, np.ndarray]) -> dict[Any, tuple[dict, dict]]:
        out = {}
        for g in groups:
            w = weights[g]  # (b, n_firms_in_g)
            sel = firm_group == g
            out[g] = (ratios(w @ sums[0, sel]), ratios(w @ sums[1, sel]))
        return out

    def did(tot: dict[Any, tuple[dict, dict]]) -> dict[Any, dict[str, np.ndarray]]:
        ref_pre, ref_post = tot[reference]
        return {g: {k: (tot[g][1][k] - tot[g][0][k]) - (ref_post[k] - ref_pre[k])
                    for k in diags} for g in groups if g != reference}

    point = did(totals({g: np.ones((1, int((firm_group == g).sum()))) for g in groups}))
    boot_w = {}
    for g in groups:
        k = int((firm_group == g).sum())
        boot_w[g] = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot).astype(float)
    draws = did(totals(boot_w))
    a = 1 - level
    rows = []
    for g in point:
        for k in diags:
            d = draws[g][k][np.isfinite(draws[g][k])]
            lo, hi = np.quantile(d, [a / 2, 1 - a / 2])
            # two-sided bootstrap p-value of "no change": the percentile interval at level
            # 1 - p just reaches zero (with the +1 correction, never exactly 0)
            tail = min(np.sum(d <= 0), np.sum(d >= 0))
            rows.append({by: g, "diagnostic": k, "label": _DIAGNOSTICS[k],
                         "estimate": float(point[g][k][0]), "ci_low": float(lo),
                         "ci_high": float(hi), "se": float(np.std(d, ddof=1)),
                         "p_value": float(min(1.0, 2 * (tail + 1) / (len(d) + 1)))})
    return pd.DataFrame(rows)


#: Human labels of the integrity diagnostics.
_DIAGNOSTICS = {
    "nps": "reported NPS (points)",
    "share_10": "answers that are 10 (%)",
    "tens_among_promoters": "10s among the 9–10 answers (%)",
    "invite_rate": "customers invited (%)",
    "response_rate": "invited who answered (%)",
    "behaviour_all": "churn, all customers (%)",
    "behaviour_respondents": "churn, respondents (%)",
    "selection_gap": "churn gap, respondents − all (points)",
}
