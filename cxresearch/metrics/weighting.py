"""Weights to the customer base: raking, post-stratification and calibration.

Survey respondents are never a fair sample of the customers: web answers outnumber phone
answers, one region answers more than another. Weighting moves the (design) weights ``d_i`` to
calibrated weights ``w_i = g_i d_i`` whose weighted counts hit known population margins or
totals (Deville & Särndal 1992):

- :func:`rake` -- iterative proportional fitting to the margins of several variables
  (Deming & Stephan 1940), as R's ``survey::rake``; with ``bounds=`` the bounded raking
  calibration of ``survey::calibrate(..., calfun = "raking", bounds = )``;
- :func:`poststratify` -- one factor per cell of a cross-classification, as
  ``survey::postStratify``;
- :func:`calibrate` -- linear (GREG), raking or logit calibration to totals of categorical
  and numeric variables, with bounds on the weight ratio ``g``, as ``survey::calibrate``.

Each returns a :class:`WeightingResult` with the weights, whether the fit converged, Kish's
design effect and effective n, and what it achieved against the targets. The result also
carries what the metrics of :mod:`cxresearch.metrics.scores` need to give **calibration-aware
intervals** (``nps(..., calibration=result)``): calibration removes the part of the sampling
variance that the calibration variables explain, so treating the calibrated weights as fixed
overstates the standard error. The linearised scores are replaced by their residuals on the
calibration variables before they are summed per cluster (Deville & Särndal 1992; Lumley 2010,
ch. 7), exactly as R's ``survey`` computes them (``svyrecvar`` with ``postStrata``):

- post-stratification: ``e_i = x_i - w_i * sum_{cell}(d u) / sum_{cell} d`` with
  ``u_i = x_i / w_i``;
- raking by :func:`rake` without bounds: ten backfitting sweeps over the margins,
  ``u <- u - mean_{category}(u)`` (unweighted category means), as ``survey::rake`` designs;
- calibration (and bounded raking): ``e = w * (u - X b)`` with ``b`` the ``d``-weighted least
  squares coefficient of ``u`` on the calibration matrix ``X`` (``qr.resid`` in R).

References
----------
Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
table when the expected marginal totals are known. *Annals of Mathematical Statistics* 11,
427-444.
Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. *Journal of
the American Statistical Association* 87, 376-382.
Deville, J.-C., Särndal, C.-E. & Sautory, O. (1993). Generalized raking procedures in survey
sampling. *Journal of the American Statistical Association* 88, 1013-1020.
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 7. Wiley.

Examples
--------
>>> data = pd.DataFrame({"channel": ["web"] * 6 + ["phone"] * 2, "nps": [10, 9, 7, 3, 9, 8, 6, 10]})
>>> r = rake(data, {"channel": {"web": 0.5, "phone": 0.5}})
>>> r.weights.round(3).tolist()
[0.667, 0.667, 0.667, 0.667, 0.667, 0.667, 2.0, 2.0]
>>> from cxresearch.metrics.scores import nps
>>> calibrated = nps(data["nps"], calibration=r)  # raked weights, calibration-aware SE
>>> round(calibrated.estimate, 2), round(calibrated.se, 2)
(16.67, 41.15)
>>> fixed = nps(data["nps"], weights=r.weights, cluster=range(8))  # weights taken as fixed
>>> round(fixed.se, 2)
41.79
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.inference import kish_design_effect, kish_n_eff
from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, require_columns, require_frame, rows_repr

__all__ = ["WeightingResult", "calibrate", "poststratify", "rake"]

#: calibration distances of :func:`calibrate` (``calfun`` in R's survey)
CALIBRATION_METHODS = ("linear", "raking", "logit")
#: backfitting sweeps of the raking variance (R survey's ``svyrecvar``:
#: ``for (iterations in 1:10)``)
RAKING_VARIANCE_SWEEPS = 10
#: R survey's ``grake`` rescales the starting weights when every population total is more than
#: this many times its sample total (``SOMETHRESHOLD``); the bounds then apply after rescaling
_RESCALE_THRESHOLD = 20.0
#: a margin whose targets are all <= 1 is read as shares; they must sum to 1 within this
_SHARE_TOL = 1e-6


# --------------------------------------------------------------------------------------------
# How the calibration enters the variance (private; used by cxresearch.metrics.scores)
# --------------------------------------------------------------------------------------------


class _Basis:
    """Maps linearised scores ``x`` (one per row of the calibrated data, zero where a row has no
    answer) to their calibration residuals."""

    def residuals(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class _RakingBasis(_Basis):
    """R survey's raking variance: backfitting sweeps of unweighted category means of x / w."""

    def __init__(self, codes: list[np.ndarray], weights: np.ndarray,
                 sweeps: int = RAKING_VARIANCE_SWEEPS) -> None:
        self.codes = codes
        self.sizes = [int(c.max()) + 1 for c in codes]
        self.counts = [np.bincount(c, minlength=k).astype(float)
                       for c, k in zip(codes, self.sizes)]
        self.weights = weights
        self.sweeps = sweeps

    def residuals(self, x: np.ndarray) -> np.ndarray:
        u = x / self.weights
        for _ in range(self.sweeps):
            for c, k, m in zip(self.codes, self.sizes, self.counts):
                u = u - (np.bincount(c, weights=u, minlength=k) / m)[c]
        return u * self.weights


class _CellBasis(_Basis):
    """Post-stratification: the residual from the d-weighted mean of x / w within each cell."""

    def __init__(self, codes: np.ndarray, old: np.ndarray, new: np.ndarray) -> None:
        self.codes, self.old, self.new = codes, old, new
        self.k = int(codes.max()) + 1
        self.old_sum = np.bincount(codes, weights=old, minlength=self.k)

    def residuals(self, x: np.ndarray) -> np.ndarray:
        means = np.bincount(self.codes, weights=x * self.old / self.new,
                            minlength=self.k) / self.old_sum
        return x - means[self.codes] * self.new


class _GregBasis(_Basis):
    """Calibration: the residual of x / (g sqrt d) on X sqrt d (R: ``qr.resid``), times g sqrt d."""

    def __init__(self, X: np.ndarray, d: np.ndarray, g: np.ndarray) -> None:
        sd = np.sqrt(d)
        u, s, _ = np.linalg.svd(X * sd[:, None], full_matrices=False)
        keep = s > s[0] * 1e-10 if len(s) else np.zeros(0, bool)
        self.q = u[:, keep]
        self.scale = g * sd

    def residuals(self, x: np.ndarray) -> np.ndarray:
        b = x / self.scale
        return (b - self.q @ (self.q.T @ b)) * self.scale


# --------------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightingResult(Result):
    """Calibrated weights with how they were reached and what they achieved.

    ``weights`` is a Series aligned to ``data.index`` (the caller's frame is never modified);
    ``method`` is ``"raking"`` (:func:`rake`), ``"poststratification"`` or the calibration
    distance of :func:`calibrate` (``"linear"``, ``"raking"``, ``"logit"``, with ``kind``
    telling which function made it). ``converged`` and ``iterations`` describe the fit (one
    iteration for a closed form); ``design_effect`` is Kish's ``n sum w^2 / (sum w)^2`` and
    ``n_eff = (sum w)^2 / sum w^2`` (Kish 1965). ``targets`` holds, per margin (or total) and
    category, the population target and what the weights achieve (``to_frame()``).

    Pass the result as ``calibration=`` to :func:`~cxresearch.metrics.scores.nps` and the other
    metrics for intervals that account for the calibration.

    Examples
    --------
    >>> data = pd.DataFrame({"channel": ["web"] * 6 + ["phone"] * 2})
    >>> r = rake(data, {"channel": {"web": 500, "phone": 500}})
    >>> r.converged, round(r.design_effect, 3), round(r.n_eff, 2)
    (True, 1.333, 6.0)
    >>> r.to_frame()[["margin", "category", "target", "achieved"]]
        margin category  target  achieved
    0  channel      web   500.0     500.0
    1  channel    phone   500.0     500.0
    """

    method: str
    kind: str
    weights: pd.Series = field(hash=False, compare=False)
    converged: bool
    iterations: int
    design_effect: float
    n_eff: float
    targets: pd.DataFrame = field(hash=False, compare=False, repr=False)
    bounds: tuple[float, float] | None = None
    tol: float = 1e-10
    basis: _Basis | None = field(default=None, hash=False, compare=False, repr=False)

    @property
    def n(self) -> int:
        """Number of rows weighted."""
        return len(self.weights)

    def to_frame(self) -> pd.DataFrame:
        """Per margin (or total) and category: ``target``, ``achieved``, ``difference`` and
        ``relative`` (difference / target)."""
        return self.targets.copy()

    def _worst(self) -> pd.Series:
        t = self.targets
        rel = (t["achieved"] - t["target"]).abs() / t["target"].abs().clip(lower=1.0)
        return t.loc[rel.idxmax()]

    def summary(self) -> str:
        """In words: what was done, whether it converged (and, if not, which margin is how far
        off its target), the spread of the weights and Kish's design effect."""
        what = {"rake": "Raking", "poststratify": "Post-stratification",
                "calibrate": f"Calibration ({self.method})"}.get(self.kind, self.kind)
        margins = ", ".join(dict.fromkeys(self.targets["margin"].astype(str)))
        w = self.weights.to_numpy()
        spread = (f"weights from {w.min():,.4g} to {w.max():,.4g}; Kish design effect "
                  f"{self.design_effect:.3f} (n_eff = {self.n_eff:,.1f} of {self.n:,})")
        bounds = (f", ratio bounds {self.bounds[0]:g} to {self.bounds[1]:g}"
                  if self.bounds is not None else "")
        if self.converged:
            it = "iteration" if self.iterations == 1 else "iterations"
            return (f"{what} on {margins}{bounds}: converged in {self.iterations} {it}; "
                    f"{spread}.")
        worst = self._worst()
        cat = f" category {worst['category']!r}" if str(worst["category"]) != "" else ""
        off = worst["achieved"] - worst["target"]
        rel = off / worst["target"] if worst["target"] else math.nan
        it = "iteration" if self.iterations == 1 else "iterations"
        why = ("the bounds may be too tight for these targets (widen them), or "
               if self.bounds is not None else "")
        return (f"{what} on {margins}{bounds}: did NOT converge after {self.iterations} {it}. "
                f"Furthest off: margin {worst['margin']!r}{cat}, achieved "
                f"{worst['achieved']:,.6g} against a target of {worst['target']:,.6g} "
                f"({rel:+.2%}). {why[:1].upper() + why[1:] if why else ''}"
                f"{'the' if why else 'The'} margins may be inconsistent with each other or "
                f"with the sample (a combination of categories no answer has); raise max_iter "
                f"or merge sparse categories. {spread}.")


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _start_weights(data: pd.DataFrame, weight: str | None) -> np.ndarray:
    """The starting (design) weights: ones, or a column of positive finite numbers."""
    if weight is None:
        return np.ones(len(data))
    if not isinstance(weight, str):
        raise TypeError(f"argument 'weight' must be a column name, got {type(weight).__name__}")
    require_columns(data, [weight])
    s = data[weight]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise DataError(f"column {weight!r} (weight) is not numeric ({s.dtype})")
    w = s.to_numpy(dtype=float)
    bad = ~np.isfinite(w)
    if bad.any():
        raise DataError(f"column {weight!r} (weight): {int(bad.sum())} missing or infinite "
                        f"weight(s) at rows {rows_repr(data.index, bad)}")
    bad = w <= 0
    if bad.any():
        raise DataError(f"column {weight!r} (weight): {int(bad.sum())} weight(s) <= 0 at rows "
                        f"{rows_repr(data.index, bad)}; starting weights must be positive")
    return w


def _targets(name: str, spec: Any, what: str = "margin") -> tuple[pd.Index, np.ndarray, bool]:
    """Categories, target values and whether they are shares, for one margin."""
    if isinstance(spec, pd.Series):
        spec = spec.to_dict()
    if not isinstance(spec, Mapping):
        raise TypeError(f"{what} {name!r} must map each category to its population count or "
                        f"share, got {type(spec).__name__}")
    if not spec:
        raise DataError(f"{what} {name!r} has no categories")
    cats = pd.Index(list(spec.keys()), tupleize_cols=False)
    vals = np.empty(len(spec))
    for i, (cat, v) in enumerate(spec.items()):
        try:
            vals[i] = float(v)
        except (TypeError, ValueError):
            raise DataError(f"{what} {name!r}, category {cat!r}: target {v!r} is not a "
                            "number") from None
        if not (np.isfinite(vals[i]) and vals[i] > 0):
            raise DataError(f"{what} {name!r}, category {cat!r}: target {v!r} must be a "
                            "positive population count or share (drop a category with no "
                            "population)")
    shares = bool(np.all(vals <= 1.0))
    if shares and abs(vals.sum() - 1.0) > _SHARE_TOL:
        raise DataError(f"{what} {name!r}: the shares sum to {vals.sum():.6g}, not 1 (give "
                        "shares that sum to 1, or population counts)")
    return cats, vals, shares


def _codes(data: pd.DataFrame, col: str, cats: pd.Index, vals: np.ndarray,
           what: str = "margin") -> np.ndarray:
    """The category code (position in ``cats``) of every row; errors name the margin and
    category that the data and the targets do not share."""
    s = data[col]
    miss = s.isna().to_numpy()
    if miss.any():
        raise DataError(f"column {col!r}: {int(miss.sum())} missing value(s) at rows "
                        f"{rows_repr(data.index, miss)}; every answer needs a category of each "
                        f"{what}")
    if isinstance(s.dtype, pd.CategoricalDtype):
        pos = cats.get_indexer(s.cat.categories)
        codes = pos[s.cat.codes.to_numpy()]
    else:
        raw, uniq = pd.factorize(s, sort=False)
        pos = cats.get_indexer(pd.Index(uniq, tupleize_cols=False))
        codes = pos[raw]
    bad = codes < 0
    if bad.any():
        first = s.to_numpy()[np.argmax(bad)]
        first = first.item() if isinstance(first, np.generic) else first
        n_first = int((s == first).sum())
        raise DataError(f"{what} {col!r}: category {first!r} is in the data ({n_first:,} "
                        f"answer(s), rows {rows_repr(data.index, bad & (s == first).to_numpy())})"
                        f" but has no population target; targets are given for "
                        f"{list(cats)}")
    counts = np.bincount(codes, minlength=len(cats))
    if (counts == 0).any():
        j = int(np.argmax(counts == 0))
        raise DataError(f"{what} {col!r}: category {cats[j]!r} has a population target "
                        f"({vals[j]:,.6g}) but no answers in the data (an empty cell); merge it "
                        "with a neighbouring category or drop it from the targets")
    return codes.astype(np.intp)


def _check_frame(data: Any) -> pd.DataFrame:
    return require_frame(data)


def _check_bounds(bounds: Any, method: str) -> tuple[float, float] | None:
    if bounds is None:
        if method == "logit":
            raise DataError("argument 'bounds': logit calibration needs finite bounds (low, "
                            "high) with low < 1 < high")
        return None
    try:
        low, high = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise DataError(f"argument 'bounds' must be a (low, high) pair, got {bounds!r}") from None
    if not low < 1.0 < high:
        raise DataError(f"argument 'bounds' = ({low:g}, {high:g}): the weight ratio g must be "
                        "allowed to stay at 1 (low < 1 < high)")
    if method == "logit" and not (np.isfinite(low) and np.isfinite(high)):
        raise DataError("argument 'bounds': logit calibration needs finite bounds")
    return low, high


def _check_iter(max_iter: Any, tol: Any) -> tuple[int, float]:
    if isinstance(max_iter, bool) or not isinstance(max_iter, int | np.integer) or max_iter < 1:
        raise DataError(f"argument 'max_iter' must be an integer >= 1, got {max_iter!r}")
    try:
        t = float(tol)
    except (TypeError, ValueError):
        raise DataError(f"argument 'tol' must be a positive number, got {tol!r}") from None
    if not (t > 0 and np.isfinite(t)):
        raise DataError(f"argument 'tol' must be a positive number, got {tol!r}")
    return int(max_iter), t


def _margin_set(data: pd.DataFrame, margins: Any, d: np.ndarray, what: str = "margin"
                ) -> tuple[list[str], list[pd.Index], list[np.ndarray], list[np.ndarray], float]:
    """Columns, categories, row codes and count targets of categorical margins (shares scaled
    to the population size: the count margins' common total, else the sum of ``d``)."""
    if not isinstance(margins, Mapping):
        raise TypeError(f"argument 'margins' must map each column to {{category: count or "
                        f"share}}, got {type(margins).__name__}")
    if not margins:
        raise DataError("argument 'margins' is empty")
    cols = list(margins)
    require_columns(data, [str(c) for c in cols])
    parsed = [(c, *_targets(str(c), margins[c], what)) for c in cols]
    count_totals = {c: float(v.sum()) for c, _, v, share in parsed if not share}
    if count_totals:
        first, total = next(iter(count_totals.items()))
        for c, t in count_totals.items():
            if abs(t - total) > 1e-6 * total:
                raise DataError(f"{what}s {first!r} and {c!r} describe different populations: "
                                f"their counts sum to {total:,.6g} and {t:,.6g}; give counts of "
                                "one population, or shares")
    else:
        total = float(d.sum())
    cats_l, codes_l, tgt_l = [], [], []
    for c, cats, vals, share in parsed:
        tgt = vals * total if share else vals
        cats_l.append(cats)
        codes_l.append(_codes(data, c, cats, tgt, what))
        tgt_l.append(tgt)
    return cols, cats_l, codes_l, tgt_l, total


def _targets_frame(cols: Sequence[Any], cats: Sequence[pd.Index], codes: Sequence[np.ndarray],
                   targets: Sequence[np.ndarray], w: np.ndarray) -> pd.DataFrame:
    rows = []
    for c, ct, cd, tg in zip(cols, cats, codes, targets):
        ach = np.bincount(cd, weights=w, minlength=len(ct))
        for cat, t, a in zip(ct, tg, ach):
            rows.append({"margin": c, "category": cat, "target": float(t), "achieved": float(a)})
    return _finish_targets(rows)


def _finish_targets(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["margin", "category", "target", "achieved"])
    out["difference"] = out["achieved"] - out["target"]
    out["relative"] = out["difference"] / out["target"].abs().where(out["target"] != 0)
    return out


def _result(method: str, kind: str, data: pd.DataFrame, w: np.ndarray, converged: bool,
            iterations: int, targets: pd.DataFrame, bounds: tuple[float, float] | None,
            tol: float, basis: _Basis) -> WeightingResult:
    sw, sw2 = float(w.sum()), float(w @ w)
    res = WeightingResult(method, kind, pd.Series(w, index=data.index, name="weight"),
                          converged, iterations, kish_design_effect(len(w), sw, sw2),
                          kish_n_eff(sw, sw2), targets, bounds, tol, basis)
    if not converged:
        warnings.warn(res.summary(), RuntimeWarning, stacklevel=3)
    return res


# --------------------------------------------------------------------------------------------
# Raking
# --------------------------------------------------------------------------------------------


def _joint_cells(codes: list[np.ndarray], sizes: list[int]
                 ) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each row's cell of the cross-classification of the margins, and each cell's category
    on every margin (only the cells seen when the full table would be large)."""
    n = len(codes[0])
    full = math.prod(sizes)
    if full < 2**62:
        joint = codes[0].astype(np.int64)
        for c, k in zip(codes[1:], sizes[1:]):
            joint = joint * k + c
        if full <= max(4 * n, 1 << 16):
            cells = np.arange(full, dtype=np.int64)
            return joint, list(np.unravel_index(cells, sizes))
        uniq, inv = np.unique(joint, return_inverse=True)
        return inv.reshape(-1), list(np.unravel_index(uniq, sizes))
    stacked = np.column_stack(codes)
    uniq, inv = np.unique(stacked, axis=0, return_inverse=True)
    return inv.reshape(-1), [uniq[:, j] for j in range(len(codes))]


def _ipf(codes: list[np.ndarray], sizes: list[int], targets: list[np.ndarray], d: np.ndarray,
         max_iter: int, tol: float) -> tuple[np.ndarray, bool, int]:
    """Iterative proportional fitting on the weighted cross-table of the margins (every row of
    a cell gets the same factor), then back to the rows."""
    cell, cell_cats = _joint_cells(codes, sizes)
    base = np.bincount(cell, weights=d, minlength=len(cell_cats[0]))
    W = base.copy()
    converged, it = False, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        for cc, k, t in zip(cell_cats, sizes, targets):
            tot = np.bincount(cc, weights=W, minlength=k)
            W = W * (t / tot)[cc]
        err = max(float(np.max(np.abs(np.bincount(cc, weights=W, minlength=k) - t) / t))
                  for cc, k, t in zip(cell_cats, sizes, targets))
        if err < tol:
            converged = True
            break
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = np.where(base > 0, W / base, 1.0)
    return d * factor[cell], converged, it


def rake(
    data: pd.DataFrame,
    margins: Mapping[str, Mapping[Any, float]],
    *,
    weight: str | None = None,
    bounds: tuple[float, float] | None = None,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> WeightingResult:
    """Rake the weights to population margins (iterative proportional fitting).

    Each sweep multiplies the weights of every category of each margin in turn by
    ``target / achieved`` (Deming & Stephan 1940), until every category of every margin is
    within ``tol`` (relative) of its target after a full sweep. The fixed point is the raking
    calibration of Deville & Särndal (1992): ``w_i = d_i exp(x_i' lambda)`` with ``x_i`` the
    category indicators, the weights of R's ``survey::rake``. It runs on the weighted
    cross-table of the margins (one ``bincount`` over the rows), so a million rows rake in a
    fraction of a second.

    With ``bounds=(low, high)`` the ratio ``g = w / d`` is kept within the bounds, by Newton
    iterations on the bounded raking distance, exactly as ``survey::calibrate(design,
    ~a + b + c, totals, calfun = "raking", bounds = c(low, high))`` (:func:`calibrate`).

    Intervals from the raked weights: pass the result as ``calibration=`` to the metrics
    (:func:`~cxresearch.metrics.scores.nps`, ...). Without bounds their standard errors are
    those of ``svymean`` on a ``rake()``d design (ten backfitting sweeps of the linearised
    scores over the margins, as R); with bounds those of the calibrated design.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer; not modified.
    margins : mapping
        ``{column: {category: population count or share}}``. A margin whose targets are all
        <= 1 is read as shares (they must sum to 1) and scaled to the population size: the
        common total of the count margins, else the sum of the starting weights. Count margins
        must sum to the same total.
    weight : str, optional
        Column of starting (design) weights, positive; default 1 for every row.
    bounds : (float, float), optional
        Limits ``low < 1 < high`` on the weight ratio ``g = w / d``, as ``survey::calibrate``.
    max_iter : int, default 100
        Most sweeps (Newton steps with ``bounds``).
    tol : float, default 1e-10
        Convergence: the largest relative distance of an achieved margin from its target
        (with ``bounds``: ``|misfit| / (1 + |target|)``, as ``survey::grake``).

    Returns
    -------
    WeightingResult
        ``.weights`` aligned to ``data.index``, ``.converged``, ``.iterations``,
        ``.design_effect``, ``.n_eff``; ``to_frame()`` the achieved against the target margins;
        ``summary()`` says which margin is how far off when it did not converge (a
        ``RuntimeWarning`` says the same).

    References
    ----------
    Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled frequency
    table when the expected marginal totals are known. *Annals of Mathematical Statistics* 11,
    427-444.
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. *Journal
    of the American Statistical Association* 87, 376-382.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 7. Wiley.

    Examples
    --------
    >>> data = pd.DataFrame({"channel": ["web", "web", "web", "phone", "phone", "web"],
    ...                      "region": ["n", "s", "n", "s", "n", "s"]})
    >>> r = rake(data, {"channel": {"web": 0.5, "phone": 0.5},
    ...                 "region": {"n": 0.6, "s": 0.4}})
    >>> r.converged, r.weights.round(3).tolist()
    (True, [0.9, 0.6, 0.9, 1.2, 1.8, 0.6])
    >>> rake(data, {"channel": {"web": 0.5, "app": 0.5}})
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: margin 'channel': category 'phone' is in the data
    (2 answer(s), rows [3, 4]) but has no population target; ...
    """
    data = _check_frame(data)
    max_iter, tol = _check_iter(max_iter, tol)
    d = _start_weights(data, weight)
    cols, cats, codes, targets, total = _margin_set(data, margins, d)
    if bounds is not None:
        b = _check_bounds(bounds, "raking")
        X, T, _ = _margin_matrix(cats, codes, targets, total)
        g, converged, it = _solve_calibration(X, d, T, "raking", b, max_iter, tol)
        w = d * g
        return _result("raking", "rake", data, w, converged, it,
                       _targets_frame(cols, cats, codes, targets, w), b, tol,
                       _GregBasis(X, d, g))
    sizes = [len(c) for c in cats]
    w, converged, it = _ipf(codes, sizes, targets, d, max_iter, tol)
    return _result("raking", "rake", data, w, converged, it,
                   _targets_frame(cols, cats, codes, targets, w), None, tol,
                   _RakingBasis(codes, w))


# --------------------------------------------------------------------------------------------
# Post-stratification
# --------------------------------------------------------------------------------------------


def _cells_spec(cells: Any) -> tuple[list[str], dict[tuple[Any, ...], float]]:
    """The cell columns and ``{cell tuple: target}`` from any accepted form of ``cells``."""
    if isinstance(cells, pd.DataFrame):
        value = [c for c in ("count", "share") if c in cells.columns]
        if len(value) != 1:
            raise DataError("argument 'cells': a frame of cells needs one column 'count' or "
                            f"'share' beside the cell columns; columns are {list(cells.columns)}")
        cols = [c for c in cells.columns if c != value[0]]
        if not cols:
            raise DataError("argument 'cells': no cell columns beside the counts")
        keys = list(cells[cols].itertuples(index=False, name=None))
        if len(set(keys)) != len(keys):
            raise DataError(f"argument 'cells': a cell of {cols} is listed twice")
        return cols, dict(zip(keys, cells[value[0]].tolist()))
    if not isinstance(cells, Mapping) or len(cells) != 1:
        raise TypeError("argument 'cells' must be {column: {category: count or share}}, "
                        "{(column, column, ...): {(category, category, ...): count or share}} "
                        "or a DataFrame of cells with a 'count' or 'share' column")
    key, spec = next(iter(cells.items()))
    if isinstance(key, tuple):
        if not isinstance(spec, Mapping):
            raise TypeError(f"cells {key!r} must map each cell to its count or share")
        for cell in spec:
            if not isinstance(cell, tuple) or len(cell) != len(key):
                raise DataError(f"cells {key!r}: cell {cell!r} is not a tuple of {len(key)} "
                                "categories")
        return list(key), {tuple(c): v for c, v in spec.items()}
    if not isinstance(spec, Mapping):
        raise TypeError(f"cells {key!r} must map each category to its count or share")
    return [key], {(c,): v for c, v in spec.items()}


def poststratify(
    data: pd.DataFrame,
    cells: Any,
    *,
    weight: str | None = None,
) -> WeightingResult:
    """Post-stratify the weights: every answer of a cell gets the cell's population count over
    its weighted sample count.

    ``w_i = d_i N_h / sum_{j in h} d_j`` for the cell ``h`` of answer ``i`` (Holt & Smith
    1979), the weights of R's ``survey::postStratify``. The metrics' ``calibration=`` then
    use the post-stratified variance (residuals from the cell means; Lumley 2010, sec. 7.3).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer; not modified.
    cells : mapping or DataFrame
        ``{column: {category: count or share}}`` for the cells of one column,
        ``{(col_a, col_b): {(cat_a, cat_b): count or share, ...}}`` for a cross-classification,
        or a frame with the cell columns and one column ``count`` or ``share``. Shares (all
        <= 1) must sum to 1 and are scaled to the sum of the starting weights. Every cell in
        the data needs a target and every target cell answers.
    weight : str, optional
        Column of starting (design) weights; default 1 for every row.

    Returns
    -------
    WeightingResult
        ``to_frame()`` has one row per cell (``margin`` the cell columns joined by ``" x "``,
        ``category`` the cell's categories joined the same way).

    References
    ----------
    Holt, D. & Smith, T. M. F. (1979). Post stratification. *Journal of the Royal Statistical
    Society A* 142, 33-46.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 7. Wiley.

    Examples
    --------
    >>> data = pd.DataFrame({"channel": ["web", "web", "web", "phone"]})
    >>> r = poststratify(data, {"channel": {"web": 600, "phone": 400}})
    >>> r.weights.tolist(), r.iterations
    ([200.0, 200.0, 200.0, 400.0], 1)
    >>> poststratify(data, {"channel": {"web": 600, "phone": 300, "app": 100}})
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: cell 'channel': category 'app' has a population
    target (100) but no answers in the data (an empty cell); ...
    """
    data = _check_frame(data)
    d = _start_weights(data, weight)
    cols, spec = _cells_spec(cells)
    require_columns(data, cols)
    label = " x ".join(map(str, cols))
    if len(cols) == 1:
        cats, vals, share = _targets(label, {k[0]: v for k, v in spec.items()}, "cell")
        tgt = vals * float(d.sum()) if share else vals
        codes = _codes(data, cols[0], cats, tgt, "cell")
        cat_labels = [str(c) for c in cats]
    else:
        cats, vals, share = _targets(label, spec, "cell")
        tgt = vals * float(d.sum()) if share else vals
        sub = data[cols]
        miss = sub.isna().any(axis=1).to_numpy()
        if miss.any():
            raise DataError(f"columns {cols}: {int(miss.sum())} row(s) with a missing category "
                            f"at rows {rows_repr(data.index, miss)}")
        mi = pd.MultiIndex.from_frame(sub)
        codes = pd.Index(list(cats), tupleize_cols=True).get_indexer(mi)
        bad = codes < 0
        if bad.any():
            first = mi[int(np.argmax(bad))]
            raise DataError(f"cell {label!r}: category {first!r} is in the data "
                            f"({int(bad.sum()):,} answer(s) without a target, rows "
                            f"{rows_repr(data.index, bad)}) but has no population target")
        counts = np.bincount(codes, minlength=len(cats))
        if (counts == 0).any():
            j = int(np.argmax(counts == 0))
            raise DataError(f"cell {label!r}: category {cats[j]!r} has a population target "
                            f"({tgt[j]:,.6g}) but no answers in the data (an empty cell); merge "
                            "it with a neighbouring cell")
        codes = codes.astype(np.intp)
        cat_labels = [" x ".join(map(str, c)) for c in cats]
    sample = np.bincount(codes, weights=d, minlength=len(tgt))
    w = d * (tgt / sample)[codes]
    ach = np.bincount(codes, weights=w, minlength=len(tgt))
    frame = _finish_targets([{"margin": label, "category": c, "target": float(t),
                              "achieved": float(a)} for c, t, a in zip(cat_labels, tgt, ach)])
    return _result("poststratification", "poststratify", data, w, True, 1, frame, None, 0.0,
                   _CellBasis(codes, d, w))


# --------------------------------------------------------------------------------------------
# Calibration (linear, raking, logit; bounds)
# --------------------------------------------------------------------------------------------


def _margin_matrix(cats: list[pd.Index], codes: list[np.ndarray], targets: list[np.ndarray],
                   total: float) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Intercept and the indicators of every category but the first of each margin (R's
    ``model.matrix(~a + b)``), with their population totals."""
    n = len(codes[0])
    cols = [np.ones(n)]
    T = [total]
    names = ["(total)"]
    for ct, cd, tg in zip(cats, codes, targets):
        for j in range(1, len(ct)):
            cols.append((cd == j).astype(float))
            T.append(float(tg[j]))
            names.append(str(ct[j]))
    return np.column_stack(cols), np.asarray(T), names


def _calfun(method: str, bounds: tuple[float, float] | None
            ) -> tuple[Any, Any]:
    """``g(u)`` and ``g'(u)`` of the calibration distance (R survey's ``cal.linear``,
    ``cal.raking``, ``cal.logit``), with the bounds."""
    low, high = bounds if bounds is not None else (-math.inf, math.inf)
    if method == "linear":
        def g(u: np.ndarray) -> np.ndarray:
            return np.clip(1.0 + u, low, high)

        def dg(u: np.ndarray) -> np.ndarray:
            return ((1.0 + u > low) & (1.0 + u < high)).astype(float)
    elif method == "raking":
        def g(u: np.ndarray) -> np.ndarray:
            return np.clip(np.exp(u), low, high)

        def dg(u: np.ndarray) -> np.ndarray:
            e = np.exp(u)
            return np.where((e > low) & (e < high), e, 0.0)
    else:  # logit (Deville & Särndal 1992, case 6): low < g < high, g(0) = 1
        a = (high - low) / ((high - 1.0) * (1.0 - low))

        def g(u: np.ndarray) -> np.ndarray:
            e = np.exp(np.clip(a * u, -700, 700))
            return (low * (high - 1.0) + high * (1.0 - low) * e) / (high - 1.0 + (1.0 - low) * e)

        def dg(u: np.ndarray) -> np.ndarray:
            e = np.exp(np.clip(a * u, -700, 700))
            den = high - 1.0 + (1.0 - low) * e
            return (high - low) * (high - 1.0) * (1.0 - low) * a * e / (den * den)
    return g, dg


def _solve_calibration(X: np.ndarray, d: np.ndarray, T: np.ndarray, method: str,
                       bounds: tuple[float, float] | None, max_iter: int, tol: float
                       ) -> tuple[np.ndarray, bool, int]:
    """Newton's method for ``sum_i d_i g(x_i' eta) x_i = T`` (R survey's ``grake``), from
    ``eta = 0``; a generalised inverse for the Jacobian and step halving when a step leaves
    the domain. Returns the ratios ``g``, whether ``max |misfit| / (1 + |T|) < tol`` and the
    iterations."""
    sample = X.T @ d
    scales = T / np.where(sample != 0, sample, np.nan)
    dd = d
    scale = 1.0
    if np.all(np.isfinite(scales)) and scales.min() > _RESCALE_THRESHOLD:
        scale = float(scales.mean())  # R: the starting weights are rescaled first
        dd = d * scale
    gfun, dgfun = _calfun(method, bounds)
    eta = np.zeros(X.shape[1])
    u = np.zeros(len(d))
    g = gfun(u)
    converged, it = False, 0
    while True:
        misfit = T - X.T @ (dd * g)
        if np.all(np.abs(misfit) / (1.0 + np.abs(T)) < tol):
            converged = True
            break
        if it >= max_iter:
            break
        it += 1
        J = (X * (dd * dgfun(u))[:, None]).T @ X
        step = np.linalg.pinv(J, rcond=256 * np.finfo(float).eps) @ misfit
        new = eta + step
        u_new = X @ new
        g_new = gfun(u_new)
        halvings = 0
        while not np.all(np.isfinite(g_new)) and halvings < 50:
            step = step / 2
            new = eta + step
            u_new = X @ new
            g_new = gfun(u_new)
            halvings += 1
        eta, u, g = new, u_new, g_new
    return g * scale, converged, max(it, 1)


def calibrate(
    data: pd.DataFrame,
    totals: Mapping[str, Any],
    *,
    method: Literal["linear", "raking", "logit"] = "linear",
    bounds: tuple[float, float] | None = None,
    weight: str | None = None,
    max_iter: int = 50,
    tol: float = 1e-10,
) -> WeightingResult:
    """Calibrate the weights to population totals of categorical and numeric variables.

    Finds ``w_i = d_i g(x_i' eta)`` with ``sum_i w_i x_i = T`` (Deville & Särndal 1992), ``x_i``
    an intercept, the indicators of every category but the first of each categorical column
    and the numeric columns, ``T`` their population totals; ``g`` is the calibration distance
    (``method``): ``"linear"`` ``g = 1 + u`` (GREG; closed form without bounds), ``"raking"``
    ``g = exp(u)``, ``"logit"`` ``g = (L (U - 1) + U (1 - L) e^{A u}) / (U - 1 + (1 - L)
    e^{A u})`` with ``A = (U - L) / ((U - 1)(1 - L))`` (needs bounds). ``bounds=(L, U)`` keeps
    ``L <= g <= U``. Solved by Newton's method from ``eta = 0``, as R's
    ``survey::calibrate(design, formula, population, calfun = method, bounds = c(L, U))``
    (with R's rescaling of the starting weights when every total is over 20 times its sample
    total).

    The metrics' ``calibration=`` then use the calibrated variance: residuals of the
    linearised scores on ``x`` (``d``-weighted least squares), times the calibrated weights
    (Deville & Särndal 1992; R's ``qr.resid`` in ``svyrecvar``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer; not modified.
    totals : mapping
        ``{column: {category: count or share}}`` for a categorical column (shares, all <= 1,
        sum to 1 and are scaled to the count margins' total, else to the sum of the starting
        weights) and ``{column: total}`` for a numeric column. With categorical columns the
        population size (their common total) is calibrated too; without, only the numeric
        totals.
    method : {'linear', 'raking', 'logit'}, default 'linear'
        The calibration distance.
    bounds : (float, float), optional
        ``(low, high)`` with ``low < 1 < high``: limits on the weight ratio ``g = w / d``;
        required by ``'logit'``.
    weight : str, optional
        Column of starting (design) weights; default 1 for every row.
    max_iter : int, default 50
        Most Newton steps.
    tol : float, default 1e-10
        Convergence: ``max |T - sum w x| / (1 + |T|) < tol`` (R's ``epsilon``).

    Returns
    -------
    WeightingResult
        ``method`` the distance; ``to_frame()`` the achieved against the target totals (numeric
        totals with an empty ``category``).

    References
    ----------
    Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey sampling. *Journal
    of the American Statistical Association* 87, 376-382.
    Deville, J.-C., Särndal, C.-E. & Sautory, O. (1993). Generalized raking procedures in survey
    sampling. *Journal of the American Statistical Association* 88, 1013-1020.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 7. Wiley.

    Examples
    --------
    >>> data = pd.DataFrame({"channel": ["web", "web", "web", "phone", "phone"],
    ...                      "tenure": [1.0, 2.0, 4.0, 3.0, 5.0]})
    >>> r = calibrate(data, {"channel": {"web": 50, "phone": 50}, "tenure": 320})
    >>> r.weights.round(3).tolist()
    [16.0, 16.5, 17.5, 24.5, 25.5]
    >>> r.to_frame()[["margin", "category", "target", "achieved"]].round(6)
        margin category  target  achieved
    0  channel      web    50.0      50.0
    1  channel    phone    50.0      50.0
    2   tenure            320.0     320.0
    """
    data = _check_frame(data)
    if method not in CALIBRATION_METHODS:
        raise DataError(f"argument 'method': {method!r} is not a calibration distance; use one "
                        f"of {CALIBRATION_METHODS}")
    b = _check_bounds(bounds, method)
    max_iter, tol = _check_iter(max_iter, tol)
    d = _start_weights(data, weight)
    if not isinstance(totals, Mapping) or not totals:
        raise TypeError("argument 'totals' must map each column to {category: count or share} "
                        "or to a numeric total")
    require_columns(data, [str(c) for c in totals])
    cat_cols = {c: v for c, v in totals.items() if isinstance(v, Mapping | pd.Series)}
    num_cols = {c: v for c, v in totals.items() if c not in cat_cols}
    X_parts, T_parts = [], []
    frame_rows: list[tuple[str, Any, float, np.ndarray]] = []
    if cat_cols:
        cols, cats, codes, targets, total = _margin_set(data, cat_cols, d, "margin")
        Xc, Tc, _ = _margin_matrix(cats, codes, targets, total)
        X_parts.append(Xc)
        T_parts.append(Tc)
        for c, ct, cd, tg in zip(cols, cats, codes, targets):
            for j, cat in enumerate(ct):
                frame_rows.append((c, cat, float(tg[j]), cd == j))
    for c, v in num_cols.items():
        try:
            t = float(v)
        except (TypeError, ValueError):
            raise DataError(f"totals {c!r}: {v!r} is neither a number (the population total of "
                            "a numeric column) nor {category: count}") from None
        if not np.isfinite(t):
            raise DataError(f"totals {c!r}: the population total {v!r} is not finite")
        s = data[c]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise DataError(f"column {c!r} is not numeric ({s.dtype}) but its total is a "
                            "number; give {category: count} for a categorical column")
        x = s.to_numpy(dtype=float)
        bad = ~np.isfinite(x)
        if bad.any():
            raise DataError(f"column {c!r}: {int(bad.sum())} missing value(s) at rows "
                            f"{rows_repr(data.index, bad)}; every answer needs a value of each "
                            "calibration variable")
        X_parts.append(x[:, None])
        T_parts.append(np.array([t]))
        frame_rows.append((c, "", t, x))
    X = np.hstack(X_parts)
    T = np.concatenate(T_parts)
    g, converged, it = _solve_calibration(X, d, T, method, b, max_iter, tol)
    w = d * g
    rows = [{"margin": c, "category": cat, "target": t,
             "achieved": float(w[m].sum()) if m.dtype == bool else float(w @ m)}
            for c, cat, t, m in frame_rows]
    return _result(method, "calibrate", data, w, converged, it, _finish_targets(rows), b, tol,
                   _GregBasis(X, d, g))
