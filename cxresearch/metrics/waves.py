"""Wave-over-wave change of a CX metric, with honest uncertainty.

"Did our NPS really go up this month, in which segments, or is it noise?" :func:`compare_waves`
answers it with one row per segment and consecutive pair of periods: the two estimates, their
change with a design-based standard error, interval and test, multiplicity-adjusted p-values,
and small cells suppressed rather than tested; with ``trend=True`` also the linear slope per
period across all periods.

Every estimate is a (weighted) ratio mean of a scored answer (NPS: y = 100 / 0 / -100;
top-box: 100 / 0; a mean score: the score), and every period of a segment is a *domain* of
one design (Lumley 2010, sec. 2.4). Answers nest in clusters (stores, accounts) that answer in
both periods, which makes the two estimates correlated; the change is linearised like one
estimate, from the difference of the two domains' linearised scores summed per cluster over
all clusters of the data, so the covariance is in the SE. These are the numbers of R's
``survey`` package, ``svycontrast(svyglm(y ~ factor(time), design), ...)``, and for the trend
``svyglm(y ~ time, design)`` (pinned in the tests). With ``calibration=`` (the result of
:func:`~cxresearch.metrics.weighting.rake`, ``poststratify`` or ``calibrate``) the linearised
scores are first replaced by their calibration residuals, as R does on a calibrated design.

References
----------
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
of Statistics* 6, 65-70.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of the
Royal Statistical Society B* 57, 289-300.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.inference import benjamini_hochberg, cluster_variance, holm, t_crit
from cxresearch.core.validation import (
    DataError,
    as_list,
    check_level,
    require_columns,
    rows_repr,
)

__all__ = ["compare_waves"]

WAVE_METRICS = ("nps", "csat", "ces", "top_box", "mean")
ADJUSTMENTS = ("holm", "bh", "none")
_SCALES: dict[str, tuple[float, float] | None] = {
    "nps": (0, 10), "csat": (1, 5), "top_box": (1, 5), "ces": (1, 7), "mean": None,
}


def _score(metric: str, values: np.ndarray, scale: tuple[float, float] | None,
           top_box: int | None) -> np.ndarray:
    """Each answer on the reporting scale (NaN stays NaN)."""
    if metric == "nps":
        y = np.where(values >= 9, 100.0, np.where(values <= 6, -100.0, 0.0))
    elif metric in ("csat", "top_box") or (metric == "ces" and top_box is not None):
        k = top_box if top_box is not None else 2
        assert scale is not None
        y = 100.0 * (values >= scale[1] - k + 1)
    else:
        y = values.astype(float)
    return np.where(np.isnan(values), np.nan, y)


class _Design:
    """The PSUs of the design.

    ``kind`` is ``"cluster"`` (counts by cluster: per-cluster sums), ``"answers"`` (counts
    without clusters: every answer its own PSU, through sums of squares) or ``"rows"`` (the
    rows of a calibrated frame: influence vectors per row, residualised on the calibration,
    then summed per cluster)."""

    def __init__(self, kind: str, n_psu: int, codes: np.ndarray | None = None,
                 basis: Any = None, n_rows: int = 0) -> None:
        self.kind, self.n_psu, self.codes, self.basis = kind, n_psu, codes, basis
        self.n_rows = n_rows

    def variance(self, v: np.ndarray) -> float:
        """Variance of a linear statistic whose influence vector is ``v``."""
        if self.kind == "rows":
            if self.basis is not None:
                v = self.basis.residuals(v)
            assert self.codes is not None
            v = np.bincount(self.codes, weights=v, minlength=self.n_psu)
        return cluster_variance(v) if len(v) > 1 else math.nan


def _answers_variance(sq: float, n_psu: int) -> float:
    """Answers as PSUs: the influences sum to zero, Var = N/(N-1) sum x_i^2."""
    return n_psu / (n_psu - 1) * sq if n_psu > 1 else math.nan


def compare_waves(
    data: Any,
    score: str,
    time: str,
    *,
    metric: str = "nps",
    weights: str | None = None,
    cluster: str | None = None,
    calibration: Any = None,
    by: str | Sequence[str] | None = None,
    level: float = 0.95,
    adjust: str = "holm",
    min_n: int = 30,
    trend: bool = False,
    scale: tuple[float, float] | None = None,
    top_box: int | None = None,
    engine: Any = None,
) -> pd.DataFrame:
    """Change of a metric between consecutive periods, per segment, with design-based SEs.

    For segment s and consecutive periods a < b (in sorted order of ``time``), the estimates
    est_t = sum_{D_t} w y / sum_{D_t} w over the domain D_t of the segment's answers in period t,
    and change = est_b - est_a. Linearised scores z_{t,i} = w_i (y_i - est_t) / sum_{D_t} w
    (zero outside D_t), summed per cluster c over **all** C clusters of the data: d_c =
    z_{b,c} - z_{a,c}, Var(change) = C/(C - 1) sum_c (d_c - mean d)^2 (with ``calibration=``,
    the row scores are first replaced by their calibration residuals); without ``cluster``
    every answer is its own PSU. Clusters seen in both periods make the two estimates
    correlated and this variance carries their covariance: R's ``svycontrast(svyglm(y ~
    factor(time), design), ...)`` on ``subset(design, segment == s)``. The test is a t test on
    (clusters with answers in a or b) - 1 df, the interval change ± t se.

    ``trend=True`` adds per segment the weighted least-squares slope of y on the period's
    position p = 0, 1, ..., T - 1 (the change per period), b = sum w (p - p̄)(y - ȳ) / sum w
    (p - p̄)^2, with the linearised influence w_i (p_i - p̄)(y_i - a - b p_i) / sum w (p - p̄)^2,
    as ``svyglm(y ~ time, design)`` when the periods are 0, 1, 2, ... apart (R's slope per unit
    of a numeric time).

    Rows where either period has fewer than ``min_n`` answers are flagged ``"suppressed"``
    (estimates of the small period, change, SE, interval and p-values hidden) and not tested;
    ``p_adjusted`` adjusts the tested rows returned (``"holm"``, ``"bh"`` Benjamini-Hochberg,
    or ``"none"``).

    Without ``calibration`` the answers are first counted by segment, period, cluster and
    score with :func:`~cxresearch.metrics.scores.aggregate_responses` (pandas for a frame,
    DuckDB for files or relations, ``engine`` passed on), and everything after is computed from
    those counts. With ``calibration`` the rows are needed: ``data`` must be the frame that was
    weighted, and ``weights`` (if given) a column equal to the calibrated weights.

    Parameters
    ----------
    data : DataFrame or anything :func:`~cxresearch.metrics.scores.aggregate_responses` reads
        The answers, one row each.
    score : str
        Column of answers.
    time : str
        Column of the period (month, wave); its sorted unique values are the periods.
    metric : {'nps', 'csat', 'ces', 'top_box', 'mean'}, default 'nps'
        The metric (top-box metrics and ``ces`` with ``top_box`` in percent).
    weights : str, optional
        Column of survey weights (default: none, or the calibrated weights).
    cluster : str, optional
        Column of cluster ids (store, account) the answers nest in.
    calibration : WeightingResult, optional
        The weighting of ``data`` (rake, poststratify or calibrate) for calibration-aware SEs.
    by : str or sequence of str, optional
        Segment columns; one block of rows per segment (and one for all answers without).
    level : float, default 0.95
        Confidence level.
    adjust : {'holm', 'bh', 'none'}, default 'holm'
        Multiplicity adjustment over the tested rows returned.
    min_n : int, default 30
        Smallest number of answers in a period for a change to be tested.
    trend : bool, default False
        Also return the linear slope per period of every segment (rows with ``contrast`` =
        ``"trend"``; ``time_from``/``time_to`` the first and last period, ``estimate_from``/
        ``estimate_to`` the fitted line there, ``n_from``/``n_to`` the answers in them).
    scale : (float, float), optional
        Scale of the answers (default: the metric's).
    top_box : int, optional
        Top boxes counted (top-box metrics; CSAT default 2).
    engine : str, DuckDB connection or Spark session, optional
        Where the counting runs (without ``calibration``).

    Returns
    -------
    pandas.DataFrame
        One row per segment and consecutive pair of periods (then the trend rows): the ``by``
        columns, (``contrast`` with ``trend=True``), ``time_from``, ``time_to``,
        ``estimate_from``, ``estimate_to``, ``change``, ``se``, ``ci_low``, ``ci_high``,
        ``p_value``, ``p_adjusted``, ``n_from``, ``n_to``, ``df`` and ``flag`` (``""`` or
        ``"suppressed"``).

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, sec. 2.4 and ch. 5.
    Wiley.
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed. Springer.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6, 65-70.
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *Journal of the
    Royal Statistical Society B* 57, 289-300.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> store = np.repeat(np.arange(20), 60)
    >>> month = np.tile(np.repeat([1, 2, 3], 20), 20)
    >>> lift = np.where(month == 3, 1.5, 0.0)  # a real rise in month 3
    >>> nps = np.clip(np.round(7 + rng.normal(0, 1, 20)[store] + lift
    ...                        + rng.normal(0, 2, len(store))), 0, 10)
    >>> data = pd.DataFrame({"store": store, "month": month, "nps": nps})
    >>> out = compare_waves(data, "nps", "month", cluster="store")
    >>> out[["time_from", "time_to", "change", "se", "p_adjusted"]].round(3)
       time_from  time_to  change     se  p_adjusted
    0          1        2     8.5  5.526       0.141
    1          2        3    35.0  5.781       0.000
    """
    if metric not in WAVE_METRICS:
        raise DataError(f"argument 'metric' must be one of {WAVE_METRICS}, got {metric!r}")
    if adjust not in ADJUSTMENTS:
        raise DataError(f"argument 'adjust' must be one of {ADJUSTMENTS}, got {adjust!r}")
    check_level(level)
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 0:
        raise DataError(f"argument 'min_n' must be an integer >= 0, got {min_n!r}")
    by_cols = as_list(by)
    for name, arg in ((score, "score"), (time, "time")):
        if not isinstance(name, str):
            raise TypeError(f"argument '{arg}' must be a column name, got "
                            f"{type(name).__name__}")
    if time in by_cols or (cluster is not None and (cluster in by_cols or cluster == time)):
        raise DataError("the columns of time, cluster and by must differ")
    if scale is not None:
        lo, hi = (float(v) for v in scale)
        sc: tuple[float, float] | None = (lo, hi)
    else:
        sc = _SCALES[metric]
    if top_box is None and metric in ("csat", "top_box"):
        top_box = 2
    if calibration is not None:
        frame = _rows_frame(data, score, time, by_cols, cluster, weights, calibration, sc,
                            metric, engine)
    else:
        frame = _counts_frame(data, score, time, by_cols, cluster, weights, sc, metric, engine)
    counts, design = frame
    counts["y"] = _score(metric, counts["score"].to_numpy(float), sc, top_box)
    periods = pd.Index(pd.unique(counts[time])).sort_values()
    rows: list[dict[str, Any]] = []
    counted = None
    if design.kind != "rows":
        counted = _from_counts(counts, by_cols, time, periods, design, min_n, level, trend)
    groups = (counts.groupby(by_cols, dropna=False, sort=True, observed=True) if by_cols
              else [((), counts)]) if design.kind == "rows" else []
    for key, seg in groups:
        keys = key if isinstance(key, tuple) else (key,)
        lab = dict(zip(by_cols, keys))
        doms = [_domain(seg[seg[time] == p], design) for p in periods]
        for a, b in zip(range(len(periods) - 1), range(1, len(periods))):
            rows.append({**lab, "contrast": "change",
                         **_change(doms[a], doms[b], periods[a], periods[b], design, min_n,
                                   level)})
        if trend:
            rows.append({**lab, "contrast": "trend",
                         **_trend(seg, doms, periods, time, design, min_n, level)})
    cols = [*by_cols, "contrast", "time_from", "time_to", "estimate_from", "estimate_to",
            "change", "se", "ci_low", "ci_high", "p_value", "p_adjusted", "n_from", "n_to",
            "df", "flag"]
    out = pd.DataFrame(rows, columns=cols) if counted is None else counted[cols]
    tested = out["flag"].eq("") & out["p_value"].notna()
    p = out.loc[tested, "p_value"].to_numpy(float)
    adj = (holm(p) if adjust == "holm" else benjamini_hochberg(p) if adjust == "bh" else p)
    out["p_adjusted"] = np.nan
    out.loc[tested, "p_adjusted"] = adj
    if trend:
        out = out.sort_values([*by_cols, "contrast"], kind="stable").reset_index(drop=True)
    else:
        out = out.drop(columns="contrast")
    return out


# --------------------------------------------------------------------------------------------
# The two ways in: counts (any engine) or rows (calibrated weights)
# --------------------------------------------------------------------------------------------


def _counts_frame(data: Any, score: str, time: str, by: list[str], cluster: str | None,
                  weights: str | None, sc: tuple[float, float] | None, metric: str,
                  engine: Any) -> tuple[pd.DataFrame, _Design]:
    from cxresearch.metrics.scores import aggregate_responses

    if isinstance(data, pd.DataFrame):
        require_columns(data, [c for c in [score, time, *by, cluster, weights] if c])
        if cluster is not None:
            bad = data[cluster].isna().to_numpy()
            if bad.any():
                raise DataError(f"column '{cluster}': {int(bad.sum())} missing cluster id(s) "
                                f"at rows {rows_repr(data.index, bad)}")
        bad = data[time].isna().to_numpy()
        if bad.any():
            raise DataError(f"column '{time}': {int(bad.sum())} missing period(s) at rows "
                            f"{rows_repr(data.index, bad)}")
    eng = engine if engine is not None else ("pandas" if isinstance(data, pd.DataFrame)
                                             else None)
    keys = [*by, time, *([cluster] if cluster else [])]
    counts = aggregate_responses(data, keys, score, weights, scale=sc,
                                 integer=sc is not None and metric != "mean", engine=eng)
    counts = counts.reset_index(drop=True)
    if cluster is not None:
        codes, ids = pd.factorize(counts[cluster], sort=True)
        if (codes < 0).any():
            raise DataError(f"column '{cluster}': answers with a missing cluster id")
        if len(ids) < 2:
            raise DataError(f"column '{cluster}': {len(ids)} cluster(s); a clustered standard "
                            "error needs at least 2")
        counts["_psu"] = codes
        return counts, _Design("cluster", len(ids))
    return counts, _Design("answers", int(counts["n"].sum()))


def _rows_frame(data: Any, score: str, time: str, by: list[str], cluster: str | None,
                weights: str | None, calibration: Any, sc: tuple[float, float] | None,
                metric: str, engine: Any) -> tuple[pd.DataFrame, _Design]:
    from cxresearch.metrics.scores import aggregate_responses
    from cxresearch.metrics.weighting import WeightingResult

    if not isinstance(calibration, WeightingResult):
        raise TypeError("argument 'calibration' must be the result of rake, poststratify or "
                        f"calibrate, got {type(calibration).__name__}")
    if not isinstance(data, pd.DataFrame):
        raise DataError("argument 'data': with calibration= the answers must be the DataFrame "
                        "that was weighted (the calibration residuals need its rows)")
    require_columns(data, [c for c in [score, time, *by, cluster, weights] if c])
    cw = calibration.weights
    if len(data) != len(cw) or not data.index.equals(cw.index):
        raise DataError(f"argument 'calibration': it weighted {len(cw):,} rows with another "
                        f"index than data's {len(data):,}; pass the frame that was weighted")
    w = cw.to_numpy(float)
    if weights is not None:
        off = ~np.isclose(data[weights].to_numpy(float), w, rtol=1e-9, atol=0.0)
        if off.any():
            raise DataError(f"column '{weights}': {int(off.sum())} weight(s) differ from the "
                            f"calibrated weights at rows {rows_repr(data.index, off)}; leave "
                            "weights=None to use calibration.weights")
    # validation of the answers (range, integers, text) by the counting function
    aggregate_responses(data[[score]], [], score, None, scale=sc,
                        integer=sc is not None and metric != "mean", engine="pandas")
    bad = data[time].isna().to_numpy()
    if bad.any():
        raise DataError(f"column '{time}': {int(bad.sum())} missing period(s) at rows "
                        f"{rows_repr(data.index, bad)}")
    values = pd.to_numeric(data[score], errors="coerce").to_numpy(float)
    n_all = len(data)
    rows = data[[*by, time]].reset_index(drop=True)
    rows["score"] = values
    rows["n"] = 1.0
    rows["sum_w"] = w
    rows["sum_w2"] = w * w
    rows["_row"] = np.arange(n_all)
    if cluster is not None:
        codes, ids = pd.factorize(data[cluster], sort=True)
        if (codes < 0).any():
            bad = codes < 0
            raise DataError(f"column '{cluster}': {int(bad.sum())} missing cluster id(s) at "
                            f"rows {rows_repr(data.index, bad)}")
        rows["_psu"] = codes
        design = _Design("rows", len(ids), np.asarray(codes, dtype=np.intp), calibration.basis,
                         n_all)
    else:
        rows["_psu"] = np.arange(n_all)
        design = _Design("rows", n_all, np.arange(n_all), calibration.basis, n_all)
    return rows, design


# --------------------------------------------------------------------------------------------
# Domains, changes and trends
# --------------------------------------------------------------------------------------------


class _Domain:
    """One period of one segment of a calibrated frame: estimate, sums, its rows."""

    def __init__(self, part: pd.DataFrame, design: _Design) -> None:
        ok = part["score"].notna().to_numpy()
        g = part[ok]
        self.n = round(float(g["n"].sum()))
        self.sw = float(g["sum_w"].sum())
        y = g["y"].to_numpy(float)
        sw = g["sum_w"].to_numpy(float)
        self.swy = float(sw @ y)
        self.est = self.swy / self.sw if self.sw > 0 else math.nan
        self.part = g
        self.psus = set(g["_psu"].tolist()) if "_psu" in g.columns else set()
        self.design = design

    def influence(self, centre: float | None = None, factor: float = 1.0) -> np.ndarray:
        """Per row of the data: factor * w (y - centre) in the domain, zero elsewhere."""
        c = self.est if centre is None else centre
        g = self.part
        w = g["sum_w"].to_numpy(float)
        out = np.zeros(self.design.n_rows)
        out[g["_row"].to_numpy()] = factor * w * (g["y"].to_numpy(float) - c)
        return out


def _domain(part: pd.DataFrame, design: _Design) -> _Domain:
    return _Domain(part, design)


def _from_counts(counts: pd.DataFrame, by: list[str], time: str, periods: pd.Index,
                 design: _Design, min_n: int, level: float, trend: bool) -> pd.DataFrame:
    """Every change and trend from counts, vectorised over segments, periods and clusters:
    per (segment, period, cluster) sums of w and w y in dense arrays."""
    if by:
        grouped = counts.groupby(by, dropna=False, sort=True, observed=True)
        seg = grouped.ngroup().to_numpy()
        keys = [k if isinstance(k, tuple) else (k,) for k in grouped.size().index]
    else:
        seg = np.zeros(len(counts), dtype=np.intp)
        keys = [()]
    valid = counts["score"].notna().to_numpy()
    n_seg, n_per = len(keys), len(periods)
    t = periods.get_indexer(counts[time])
    y = np.where(valid, counts["y"].to_numpy(float), 0.0)
    sw = np.where(valid, counts["sum_w"].to_numpy(float), 0.0)
    nn = np.where(valid, counts["n"].to_numpy(float), 0.0)
    cell = seg * n_per + t
    size = n_seg * n_per

    def dom(v: np.ndarray) -> np.ndarray:
        return np.bincount(cell, weights=v, minlength=size).reshape(n_seg, n_per)

    SW, SWY, N = dom(sw), dom(sw * y), dom(nn)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = SWY / SW
    p = np.arange(n_per, dtype=float)
    clustered = design.kind == "cluster"
    if clustered:
        C = design.n_psu
        idx = cell * C + counts["_psu"].to_numpy()
        sw_c = np.bincount(idx, weights=sw, minlength=size * C).reshape(n_seg, n_per, C)
        swy_c = np.bincount(idx, weights=sw * y, minlength=size * C).reshape(n_seg, n_per, C)
        has = np.bincount(idx, weights=nn, minlength=size * C).reshape(n_seg, n_per, C) > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (swy_c - np.nan_to_num(est)[..., None] * sw_c) / SW[..., None]
        d = z[:, 1:] - z[:, :-1]
        var_change = C / (C - 1) * ((d - d.mean(axis=2, keepdims=True)) ** 2).sum(axis=2)
        df_change = (has[:, 1:] | has[:, :-1]).sum(axis=2) - 1.0
    else:
        sw2 = np.where(valid, counts["sum_w2"].to_numpy(float), 0.0)
        S2, S2Y, S2YY = dom(sw2), dom(sw2 * y), dom(sw2 * y * y)
        with np.errstate(invalid="ignore", divide="ignore"):
            Q = (S2YY - 2 * est * S2Y + est * est * S2) / (SW * SW)
        var_change = np.asarray(_answers_variance(1.0, design.n_psu)) * (Q[:, 1:] + Q[:, :-1])
        df_change = N[:, 1:] + N[:, :-1] - 1.0
    change_rows = _frame(
        by, keys, n_per - 1, "change", np.repeat(periods[:-1].to_numpy()[None, :], n_seg, 0),
        np.repeat(periods[1:].to_numpy()[None, :], n_seg, 0), est[:, :-1], est[:, 1:],
        est[:, 1:] - est[:, :-1], var_change, df_change, N[:, :-1], N[:, 1:],
        (N[:, :-1] < max(min_n, 1)) | (N[:, 1:] < max(min_n, 1)), min_n, level)
    if not trend:
        return change_rows
    SWs = SW.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pbar = (SW * p).sum(axis=1) / SWs
        ybar = SWY.sum(axis=1) / SWs
        dp = p[None, :] - pbar[:, None]
        sxx = (SW * dp * dp).sum(axis=1)
        slope = (dp * (SWY - ybar[:, None] * SW)).sum(axis=1) / sxx
        icpt = ybar - slope * pbar
        fit = icpt[:, None] + slope[:, None] * p[None, :]
        coef = dp / sxx[:, None]
        if clustered:
            x = (coef[..., None] * np.nan_to_num(swy_c - fit[..., None] * sw_c)).sum(axis=1)
            var_trend = C / (C - 1) * ((x - x.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
            df_trend = has.any(axis=1).sum(axis=1) - 1.0
        else:
            sq = np.nansum(coef * coef * (S2YY - 2 * fit * S2Y + fit * fit * S2), axis=1)
            var_trend = _answers_variance(1.0, design.n_psu) * sq
            df_trend = N.sum(axis=1) - 1.0
    col = np.ones((n_seg, 1))
    trend_rows = _frame(
        by, keys, 1, "trend", np.repeat(periods[:1].to_numpy()[None, :], n_seg, 0),
        np.repeat(periods[-1:].to_numpy()[None, :], n_seg, 0), icpt[:, None],
        (icpt + slope * (n_per - 1))[:, None], slope[:, None], var_trend[:, None],
        df_trend[:, None], N[:, :1], N[:, -1:],
        ((N > 0).sum(axis=1) < 2)[:, None] | (N.sum(axis=1) < min_n)[:, None], min_n, level,
        hide_ends=col.astype(bool))
    return pd.concat([change_rows, trend_rows], ignore_index=True)


def _frame(by: list[str], keys: list[tuple[Any, ...]], k: int, contrast: str,
           t_from: np.ndarray, t_to: np.ndarray, e_from: np.ndarray, e_to: np.ndarray,
           change: np.ndarray, var: np.ndarray, df: np.ndarray, n_from: np.ndarray,
           n_to: np.ndarray, suppressed: np.ndarray, min_n: int, level: float,
           hide_ends: np.ndarray | None = None) -> pd.DataFrame:
    """Rows (segment-major) from (segments x k) arrays; t tests vectorised."""
    from scipy import stats

    sup = suppressed.ravel()
    with np.errstate(invalid="ignore"):
        se = np.sqrt(var.ravel())
        dfv = df.ravel().astype(float)
        ok = ~sup & (dfv >= 1) & (se > 0)
        q = np.where(ok, stats.t.ppf(0.5 + level / 2, np.where(ok, dfv, 1.0)), np.nan)
        ch = change.ravel()
        pv = np.where(ok, 2 * stats.t.sf(np.abs(ch / np.where(ok, se, 1.0)),
                                         np.where(ok, dfv, 1.0)), np.nan)
    nf, nt = n_from.ravel().round().astype(np.int64), n_to.ravel().round().astype(np.int64)
    ef, et = e_from.ravel().astype(float), e_to.ravel().astype(float)
    if hide_ends is None:
        ef = np.where(nf < max(min_n, 1), np.nan, ef)
        et = np.where(nt < max(min_n, 1), np.nan, et)
    else:
        ef, et = np.where(sup, np.nan, ef), np.where(sup, np.nan, et)
    out: dict[str, Any] = {}
    for j, name in enumerate(by):
        out[name] = np.repeat(np.array([kk[j] for kk in keys], dtype=object), k)
    out.update({
        "contrast": contrast, "time_from": t_from.ravel(), "time_to": t_to.ravel(),
        "estimate_from": ef, "estimate_to": et,
        "change": np.where(sup, np.nan, ch), "se": np.where(sup, np.nan, se),
        "ci_low": np.where(sup, np.nan, ch - q * se), "ci_high": np.where(sup, np.nan, ch + q * se),
        "p_value": pv, "p_adjusted": np.nan, "n_from": nf, "n_to": nt,
        "df": np.where(sup, np.nan, dfv), "flag": np.where(sup, "suppressed", ""),
    })
    frame = pd.DataFrame(out)
    for name in by:  # keep the segment columns' own types
        frame[name] = frame[name].infer_objects()
    return frame


def _test(est: float, var: float, df: float, level: float) -> dict[str, float]:
    from scipy import stats

    se = math.sqrt(var) if var >= 0 else math.nan
    if not (df >= 1 and se > 0):
        return {"se": se, "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan}
    q = t_crit(level, df)
    return {"se": se, "ci_low": est - q * se, "ci_high": est + q * se,
            "p_value": float(2 * stats.t.sf(abs(est / se), df))}


def _hidden(row: dict[str, Any]) -> dict[str, Any]:
    row.update({"change": math.nan, "se": math.nan, "ci_low": math.nan, "ci_high": math.nan,
                "p_value": math.nan, "df": math.nan, "flag": "suppressed"})
    return row


def _change(a: _Domain, b: _Domain, ta: Any, tb: Any, design: _Design, min_n: int,
            level: float) -> dict[str, Any]:
    row: dict[str, Any] = {"time_from": ta, "time_to": tb, "estimate_from": a.est,
                           "estimate_to": b.est, "n_from": a.n, "n_to": b.n, "flag": ""}
    if a.n < min_n or b.n < min_n or a.n == 0 or b.n == 0:
        if a.n < min_n:
            row["estimate_from"] = math.nan
        if b.n < min_n:
            row["estimate_to"] = math.nan
        return _hidden(row)
    change = b.est - a.est
    var = design.variance(b.influence(factor=1 / b.sw) - a.influence(factor=1 / a.sw))
    df = float(len(a.psus | b.psus) - 1)
    return {**row, "change": change, "df": df, **_test(change, var, df, level)}


def _trend(seg: pd.DataFrame, doms: list[_Domain], periods: pd.Index, time: str,
           design: _Design, min_n: int, level: float) -> dict[str, Any]:
    first, last = doms[0], doms[-1]
    row: dict[str, Any] = {"time_from": periods[0], "time_to": periods[-1],
                           "estimate_from": math.nan, "estimate_to": math.nan,
                           "n_from": first.n, "n_to": last.n, "flag": ""}
    used = [(p, d) for p, d in enumerate(doms) if d.n > 0]
    n_total = sum(d.n for d in doms)
    if len(used) < 2 or n_total < min_n:
        return _hidden(row)
    sw = sum(d.sw for _, d in used)
    pbar = sum(p * d.sw for p, d in used) / sw
    ybar = sum(d.swy for _, d in used) / sw
    sxx = sum(d.sw * (p - pbar) ** 2 for p, d in used)
    sxy = sum((p - pbar) * (d.swy - ybar * d.sw) for p, d in used)
    slope = sxy / sxx
    icpt = ybar - slope * pbar
    fit = [icpt + slope * p for p, _ in used]
    v = sum(d.influence(centre=f, factor=(p - pbar) / sxx) for (p, d), f in zip(used, fit))
    var = design.variance(np.asarray(v, dtype=float))
    df = float(len(set().union(*(d.psus for _, d in used))) - 1)
    row.update({"estimate_from": icpt, "estimate_to": icpt + slope * (len(periods) - 1),
                "change": slope, "df": df, **_test(slope, var, df, level)})
    return row
