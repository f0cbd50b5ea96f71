"""Scale construction and checking: reliability, item analysis, factor models, invariance.

- Reliability: Cronbach's alpha (Cronbach 1951, *Psychometrika* 16(3)) with Feldt's (1965,
  *Psychometrika* 30(3)) F-based interval; McDonald's omega (McDonald 1999, *Test Theory*) from a
  one-factor ML model; item-total correlations and alpha-if-item-deleted; reverse keying
  is :func:`cxresearch.core.contract.reverse_items`.
- Exploratory factor analysis through ``statsmodels.multivariate.factor.Factor`` (ML or principal
  axis, with its rotations) and Horn's (1965, *Psychometrika* 30(2)) parallel analysis.
- Confirmatory factor analysis through semopy (CFI, TLI, RMSEA from ``semopy.calc_stats``; SRMR
  computed here from the observed and implied covariances, Bentler 1995 / Hu & Bentler 1999).
- Composite reliability (Werts, Linn & Joreskog 1974), AVE (Fornell & Larcker 1981, *J.
  Marketing Research* 18(1)) and HTMT (Henseler, Ringle & Sarstedt 2015, *J. Academy of
  Marketing Science* 43(1)).
- Modification indices of a CFA (score tests of each parameter fixed at zero, Sörbom 1989,
  *Psychometrika* 54(3)), with expected parameter changes; checked against lavaan's published
  Holzinger-Swineford output.
- Measurement invariance across groups (configural, metric, scalar, and partial scalar with
  chosen intercepts free; Meredith 1993, *Psychometrika* 58(4); Vandenberg & Lance 2000; Byrne,
  Shavelson & Muthén 1989) by multi-group ML estimated here with analytic gradients (semopy has
  no equality constraints across groups); checked against lavaan's published
  Holzinger-Swineford output.

Why not factor_analyzer: 0.5.1 fails on scikit-learn >= 1.8 (``force_all_finite`` renamed) and
its CFA fails on pandas 3 (read-only arrays); statsmodels and semopy cover the same ground.

Every estimator returns a result with ``to_frame()`` (tidy) and ``summary()`` (a string);
those with intervals also have ``conf_int(level=...)`` (``ci_low``/``ci_high``). Optimiser
tolerances are set explicitly so that printed digits do not depend on the CPU: factor ML
(statsmodels BFGS) ``gtol = 1e-8``; CFA (semopy SLSQP) ``ftol = 1e-12``; multi-group
invariance (scipy L-BFGS-B) ``ftol = 1e-15``, ``gtol = 1e-8``.

>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> f = rng.standard_normal(500)
>>> items = pd.DataFrame({f"q{i}": 0.7 * f + 0.7 * rng.standard_normal(500) for i in range(4)})
>>> round(cronbach_alpha(items).alpha, 3)
0.8
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    first_rows,
    require_columns,
    require_frame,
)

__all__ = [
    "AlphaResult",
    "CfaResult",
    "EfaResult",
    "InvarianceResult",
    "OmegaResult",
    "average_variance_extracted",
    "cfa",
    "composite_reliability",
    "cronbach_alpha",
    "efa",
    "htmt",
    "item_analysis",
    "mcdonald_omega",
    "measurement_invariance",
    "modification_indices",
    "parallel_analysis",
    "srmr",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _items_frame(
    items: pd.DataFrame, missing: Literal["raise", "listwise"] = "listwise", min_items: int = 2
) -> pd.DataFrame:
    """The item columns as a complete numeric frame (listwise deletion or an error)."""
    require_frame(items)
    if missing not in ("raise", "listwise"):
        raise DataError(f"argument 'missing' must be 'raise' or 'listwise', got {missing!r}")
    if items.shape[1] < min_items:
        raise DataError(f"need at least {min_items} item columns, got {items.shape[1]}")
    for c in items.columns:
        if not pd.api.types.is_numeric_dtype(items[c]) or pd.api.types.is_bool_dtype(items[c]):
            bad = pd.to_numeric(items[c], errors="coerce").isna() & items[c].notna()
            rows = first_rows(bad, items.index)
            raise DataError(f"column {c!r} must be numeric, got dtype {items[c].dtype}"
                            + (f"; non-numeric values at rows {rows}" if rows else ""))
    na = items.isna().any(axis=1)
    if na.any():
        if missing == "raise":
            raise DataError(
                f"{int(na.sum())} row(s) with missing items at rows {first_rows(na, items.index)}"
            )
        items = items.loc[~na]
    const = [c for c in items.columns if items[c].nunique() < 2]
    if const:
        raise DataError(f"column(s) {const} are constant")
    if len(items) < 3:
        raise DataError(f"need at least 3 complete rows, got {len(items)}")
    return items


def _alpha_from_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return float(k / (k - 1) * (1 - np.trace(c) / c.sum()))


# --------------------------------------------------------------------------------------------
# reliability
# --------------------------------------------------------------------------------------------
def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    from scipy import stats

    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = float(1 - (1 - alpha) * stats.f.isf((1 - level) / 2, df1, df2))
    hi = float(1 - (1 - alpha) * stats.f.isf(1 - (1 - level) / 2, df1, df2))
    return lo, hi


@dataclass(frozen=True)
class AlphaResult(Result):
    """Cronbach's alpha with its Feldt interval (``ci_low``/``ci_high`` NaN when level=None).

    ``n`` complete rows of ``k`` items were used; ``n_dropped`` rows had a missing item.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(300)
    >>> x = pd.DataFrame({f"q{i}": 0.7 * f + 0.7 * rng.standard_normal(300) for i in range(4)})
    >>> print(cronbach_alpha(x).summary())
    Cronbach's alpha = 0.827, 95% CI [0.793, 0.857] (k = 4 items, n = 300)
    """

    alpha: float
    ci_low: float
    ci_high: float
    level: float | None
    n: int
    k: int
    n_dropped: int = 0

    def summary(self) -> str:
        """One line: alpha, its interval, k and n."""
        ci = ""
        if self.level is not None:
            ci = f", {self.level:.0%} CI [{self.ci_low:.3f}, {self.ci_high:.3f}]"
        return f"Cronbach's alpha = {self.alpha:.3f}{ci} (k = {self.k} items, n = {self.n})"

    def to_frame(self) -> pd.DataFrame:
        """One row: ``alpha``, ``ci_low``, ``ci_high``, ``level``, ``n``, ``k``, ``n_dropped``."""
        return pd.DataFrame([self.__dict__])

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Feldt's (1965) interval at ``level``, one row with ``estimate``, ``ci_low``,
        ``ci_high``."""
        lo, hi = _feldt(self.alpha, self.n, self.k, check_level(level))
        return pd.DataFrame([{"estimate": self.alpha, "ci_low": lo, "ci_high": hi}])


def cronbach_alpha(
    data: pd.DataFrame,
    level: float | None = 0.95,
    missing: Literal["raise", "listwise"] = "listwise",
) -> AlphaResult:
    """Cronbach's (1951) alpha, ``k/(k-1) * (1 - sum(s_i^2) / s_total^2)``, with Feldt's CI.

    Feldt (1965): ``1 - (1 - alpha) * F_{1-a/2}`` .. ``1 - (1 - alpha) * F_{a/2}`` with F on
    ``(n - 1, (n - 1)(k - 1))`` degrees of freedom (as pingouin and psych compute it).

    Parameters
    ----------
    data : DataFrame
        One column per item (numeric), one row per respondent.
    level : float or None
        Confidence level of the interval; None for no interval.
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped (counted in ``n_dropped``) or raise.

    Returns
    -------
    AlphaResult

    References
    ----------
    Cronbach, L. J. (1951). *Psychometrika* 16(3), 297-334. Feldt, L. S. (1965).
    *Psychometrika* 30(3), 357-370. Checked against pingouin's ``cronbach_alpha``.

    Examples
    --------
    >>> import pingouin as pg
    >>> data = pg.read_dataset("cronbach_wide_missing").dropna()
    >>> res = cronbach_alpha(data)
    >>> round(res.alpha, 4), res.n, res.k
    (0.8017, 9, 11)
    >>> [round(float(v), 3) for v in res.conf_int(level=0.9).iloc[0]]  # pingouin: .592, .934
    [0.802, 0.592, 0.934]
    """
    if level is not None:
        level = check_level(level)
    n_all = len(data) if isinstance(data, pd.DataFrame) else 0
    x = _items_frame(data, missing)
    c = np.cov(x.to_numpy(float), rowvar=False)
    alpha = _alpha_from_cov(c)
    n, k = x.shape
    lo = hi = float("nan")
    if level is not None:
        lo, hi = _feldt(alpha, n, k, level)
    return AlphaResult(alpha, lo, hi, level, n, k, n_all - n)


@dataclass(frozen=True)
class OmegaResult(Result):
    """McDonald's omega total from a one-factor model on the item correlations (no interval).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(300)
    >>> x = pd.DataFrame({f"q{i}": 0.7 * f + 0.7 * rng.standard_normal(300) for i in range(4)})
    >>> print(mcdonald_omega(x).summary())
    McDonald's omega = 0.828 (k = 4, n = 300)
    """

    omega: float
    loadings: pd.Series
    uniqueness: pd.Series
    n: int

    def summary(self) -> str:
        """One line: omega, k and n."""
        return f"McDonald's omega = {self.omega:.3f} (k = {len(self.loadings)}, n = {self.n})"

    def to_frame(self) -> pd.DataFrame:
        """Per item: the standardized one-factor ``loading`` and ``uniqueness``."""
        return pd.DataFrame({"loading": self.loadings, "uniqueness": self.uniqueness})


def mcdonald_omega(
    data: pd.DataFrame, missing: Literal["raise", "listwise"] = "listwise"
) -> OmegaResult:
    """McDonald's (1999) omega total: ``(sum l)^2 / ((sum l)^2 + sum psi)``.

    ``l`` and ``psi`` are the standardized loadings and uniquenesses of a one-factor maximum-
    likelihood model (statsmodels ``Factor(method="ml")``), so omega is the reliability of the
    unit-weighted sum of standardized items.

    Parameters
    ----------
    data : DataFrame
        One column per item (at least three), one row per respondent.
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.

    Returns
    -------
    OmegaResult

    References
    ----------
    McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Erlbaum. Checked against the
    one-factor CFA of semopy (tests).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.standard_normal(4000)
    >>> lam = np.array([0.9, 0.8, 0.6, 0.4])
    >>> x = pd.DataFrame(f[:, None] * lam + rng.standard_normal((4000, 4)) * np.sqrt(1 - lam**2))
    >>> true = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    >>> bool(abs(mcdonald_omega(x).omega - true) < 0.01)
    True
    """
    x = _items_frame(data, missing, min_items=3)
    res = _factor_fit(x, 1, "ml")
    lam = np.abs(np.asarray(res.loadings)[:, 0])
    psi = np.asarray(res.uniqueness)
    omega = float(lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum()))
    return OmegaResult(
        omega,
        pd.Series(lam, index=x.columns, name="loading"),
        pd.Series(psi, index=x.columns, name="uniqueness"),
        len(x),
    )


def item_analysis(
    data: pd.DataFrame, missing: Literal["raise", "listwise"] = "listwise"
) -> pd.DataFrame:
    """Per item: mean, sd, item-total r, corrected item-total r and alpha if deleted.

    The corrected item-total correlation ``r_drop`` correlates the item with the sum of the
    *other* items (psych's ``r.drop``); ``alpha_if_deleted`` is Cronbach's alpha of the other
    items. A corrected correlation near zero or negative flags an item that does not belong or
    is reverse-keyed.

    Parameters
    ----------
    data : DataFrame
        One column per item (at least three).
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.

    Returns
    -------
    DataFrame
        Indexed by ``item``: ``mean``, ``sd``, ``r_total``, ``r_drop``, ``alpha_if_deleted``.

    References
    ----------
    Revelle, W., R package psych, ``alpha()``; checked against pingouin.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(300)
    >>> d = pd.DataFrame({"a": f + rng.standard_normal(300), "b": f + rng.standard_normal(300),
    ...                   "c": f + rng.standard_normal(300), "noise": rng.standard_normal(300)})
    >>> ia = item_analysis(d)
    >>> ia["r_drop"].idxmin(), bool(ia.loc["noise", "alpha_if_deleted"] > cronbach_alpha(d).alpha)
    ('noise', True)
    """
    x = _items_frame(data, missing, min_items=3)
    arr = x.to_numpy(float)
    total = arr.sum(axis=1)
    c = np.cov(arr, rowvar=False)
    rows = []
    for j, name in enumerate(x.columns):
        rest = total - arr[:, j]
        keep = [i for i in range(arr.shape[1]) if i != j]
        rows.append(
            {
                "item": name,
                "mean": arr[:, j].mean(),
                "sd": arr[:, j].std(ddof=1),
                "r_total": np.corrcoef(arr[:, j], total)[0, 1],
                "r_drop": np.corrcoef(arr[:, j], rest)[0, 1],
                "alpha_if_deleted": _alpha_from_cov(c[np.ix_(keep, keep)]),
            }
        )
    return pd.DataFrame(rows).set_index("item")


def _std_loadings(loadings: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    lam = np.asarray(loadings, float)
    if lam.ndim != 1 or lam.size < 1 or np.any(np.abs(lam) > 1):
        raise DataError("argument 'loadings' must be a 1-d sequence of standardized loadings "
                        "in [-1, 1]")  # fmt: skip
    return lam


def composite_reliability(loadings: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Composite reliability ``rho_C = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))``.

    Parameters
    ----------
    loadings : sequence of float
        Standardized loadings of one factor's items.

    Returns
    -------
    float

    References
    ----------
    Werts, Linn & Joreskog (1974), *Educational and Psychological Measurement* 34(1); Fornell &
    Larcker (1981), *J. Marketing Research* 18(1).

    Examples
    --------
    >>> round(composite_reliability([0.7, 0.7, 0.7]), 4)
    0.7424
    """
    lam = _std_loadings(loadings)
    return float(lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()))


def average_variance_extracted(loadings: Sequence[float] | np.ndarray | pd.Series) -> float:
    """Average variance extracted, ``mean(l^2)`` of standardized loadings.

    Parameters
    ----------
    loadings : sequence of float
        Standardized loadings of one factor's items.

    Returns
    -------
    float

    References
    ----------
    Fornell, C. & Larcker, D. F. (1981). *J. Marketing Research* 18(1), 39-50.

    Examples
    --------
    >>> round(average_variance_extracted([0.8, 0.6]), 2)
    0.5
    """
    return float(np.mean(_std_loadings(loadings) ** 2))


def htmt(data: pd.DataFrame, blocks: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Heterotrait-monotrait ratio of correlations between blocks of items.

    ``HTMT_ij = mean|r(x_i, x_j)| / sqrt(mean r(within i) * mean r(within j))`` over the
    heterotrait item pairs and the off-diagonal monotrait pairs. Values above 0.85-0.90 signal
    a lack of discriminant validity. Incomplete rows are dropped.

    Parameters
    ----------
    data : DataFrame
        Respondents x items.
    blocks : mapping
        Construct -> its item columns (at least two each).

    Returns
    -------
    DataFrame
        Constructs x constructs, ones on the diagonal.

    References
    ----------
    Henseler, Ringle & Sarstedt (2015), *J. Academy of Marketing Science* 43(1), 115-135.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = rng.multivariate_normal([0, 0], [[1, .5], [.5, 1]], size=20000)
    >>> d = pd.DataFrame({f"{b}{i}": 0.8 * f[:, k] + 0.6 * rng.standard_normal(20000)
    ...                   for k, b in enumerate("ab") for i in range(3)})
    >>> round(float(htmt(d, {"A": ["a0", "a1", "a2"], "B": ["b0", "b1", "b2"]}).loc["A", "B"]), 2)
    0.5
    """
    names = list(blocks)
    cols = [c for b in names for c in blocks[b]]
    require_columns(data, cols)
    short = [b for b in names if len(blocks[b]) < 2]
    if short:
        raise DataError(f"HTMT needs at least two items per block; {short} have fewer")
    x = _items_frame(data[cols], "listwise")
    r = np.corrcoef(x.to_numpy(float), rowvar=False)
    pos = {c: i for i, c in enumerate(cols)}
    mono = {}
    for b in names:
        ix = [pos[c] for c in blocks[b]]
        sub = r[np.ix_(ix, ix)]
        mono[b] = sub[np.triu_indices(len(ix), 1)].mean()
    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            het = np.abs(r[np.ix_([pos[c] for c in blocks[a]], [pos[c] for c in blocks[b]])])
            val = het.mean() / np.sqrt(mono[a] * mono[b])
            out.loc[a, b] = out.loc[b, a] = val
    return out


# --------------------------------------------------------------------------------------------
# exploratory factor analysis
# --------------------------------------------------------------------------------------------
#: statsmodels Factor ML: BFGS stops when the largest gradient component is below this (its
#: default is 1e-7; 1e-8 settles the loadings to about 1e-8 on the study's data)
FACTOR_ML_GTOL = 1e-8


def _factor_fit(x: pd.DataFrame, n_factors: int, method: str):  # type: ignore[no-untyped-def]
    """statsmodels ``Factor`` fit. ML: BFGS with ``gtol`` :data:`FACTOR_ML_GTOL` (statsmodels
    ignores ``tol`` for ML); principal axis: iterations until the communalities change by less
    than 1e-10."""
    from statsmodels.multivariate.factor import Factor
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    model = Factor(x.to_numpy(float), n_factor=n_factors, method=method,
                   endog_names=list(x.columns))  # fmt: skip
    if method != "ml":
        return model.fit(maxiter=500, tol=1e-10)
    # statsmodels draws the EM starting values at random: fix them, so that the same data
    # always give the same loadings (byte-for-byte reruns of the notebooks)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        res = model.fit(maxiter=500, rng=np.random.default_rng(0),
                        opt={"gtol": FACTOR_ML_GTOL})  # fmt: skip
    opt = model.mle_retvals
    # BFGS can stop with "precision loss" just short of gtol: accept a gradient that small
    if not opt.success and np.max(np.abs(opt.jac)) > 100 * FACTOR_ML_GTOL:
        warnings.warn(f"factor ML did not converge ({opt.message}; largest gradient "
                      f"{np.max(np.abs(opt.jac)):.2g})", RuntimeWarning, stacklevel=3)  # fmt: skip
    return res


@dataclass(frozen=True)
class EfaResult(Result):
    """Exploratory factor analysis: (rotated) loadings, communalities, factor correlations.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(300)
    >>> x = pd.DataFrame({f"q{i}": 0.7 * f + 0.7 * rng.standard_normal(300) for i in range(4)})
    >>> efa(x, 1).loadings.round(2)["F1"].tolist()
    [0.76, 0.75, 0.74, 0.7]
    """

    loadings: pd.DataFrame
    communality: pd.Series
    uniqueness: pd.Series
    factor_corr: pd.DataFrame
    eigenvalues: pd.Series
    method: str
    rotation: str | None
    n: int

    def loadings_table(self, cut: float = 0.3) -> pd.DataFrame:
        """Loadings rounded to 2 decimals with those below ``cut`` blanked, plus ``h2``
        (communality): the usual way to show an EFA."""
        shown = self.loadings.round(2).astype(object).where(self.loadings.abs() >= cut, "")
        return shown.assign(h2=self.communality.round(2))

    def summary(self) -> str:
        """A few lines: the model, the variance each factor explains, factor correlations."""
        k = self.loadings.shape[1]
        ss = (self.loadings**2).sum()
        rot = f"{self.rotation} rotation" if self.rotation and k > 1 else "unrotated"
        lines = [f"EFA ({self.method}, {rot}): {k} factor(s) from {self.loadings.shape[0]} "
                 f"items, n = {self.n}",
                 "sum of squared loadings: " + ", ".join(f"{f} {v:.2f}" for f, v in ss.items())]
        pairs = [f"{a}-{b} {self.factor_corr.loc[a, b]:.2f}"
                 for i, a in enumerate(self.loadings.columns)
                 for b in self.loadings.columns[i + 1:]]  # fmt: skip
        if pairs:
            lines.append("factor correlations: " + ", ".join(pairs))
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """Per item: the loadings on each factor, ``communality`` and ``uniqueness``."""
        return self.loadings.assign(communality=self.communality, uniqueness=self.uniqueness)


def efa(
    data: pd.DataFrame,
    n_factors: int,
    rotation: str | None = "oblimin",
    method: Literal["ml", "pa"] = "ml",
    missing: Literal["raise", "listwise"] = "listwise",
) -> EfaResult:
    """Exploratory factor analysis (statsmodels ``Factor``; ML or principal axis).

    Factors are ordered by explained variance and signed so that each factor's loadings sum to
    a positive number. With an oblique rotation the loadings are the pattern matrix
    ``L = A (T')^-1`` and the factor correlations ``Phi = T'T``; communalities are
    ``diag(L Phi L')``.

    Parameters
    ----------
    data : DataFrame
        One column per item (at least three).
    n_factors : int
        Number of factors, 1 .. items - 1 (:func:`parallel_analysis` suggests one).
    rotation : str or None
        Any of statsmodels' rotations (``varimax``, ``quartimax``, ``oblimin``, ``promax``...)
        or None; ``factor_corr`` is the identity for orthogonal rotations.
    method : {"ml", "pa"}
        Maximum likelihood or principal axis factoring.
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.

    Returns
    -------
    EfaResult

    References
    ----------
    Jennrich (2002), *Psychometrika* 67(1) (oblimin); Hendrickson & White (1964), *British J.
    Statistical Psychology* 17(1) (promax). Communalities checked against scikit-learn.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal((1000, 2))
    >>> d = pd.DataFrame({f"x{i}": 0.8 * f[:, i // 3] + 0.6 * rng.standard_normal(1000)
    ...                   for i in range(6)})
    >>> res = efa(d, 2, rotation="varimax")
    >>> top = res.loadings.abs().idxmax(axis=1).tolist()
    >>> top in (["F1"] * 3 + ["F2"] * 3, ["F2"] * 3 + ["F1"] * 3)
    True
    """
    x = _items_frame(data, missing, min_items=3)
    if not 1 <= n_factors < x.shape[1]:
        raise ValueError(f"n_factors must be between 1 and {x.shape[1] - 1}, got {n_factors}")
    res = _factor_fit(x, n_factors, method)
    phi = np.eye(n_factors)
    if rotation is not None and n_factors > 1:
        res.rotate(rotation)
        if getattr(res, "rotation_matrix", None) is not None:
            t = np.asarray(res.rotation_matrix)
            if rotation in ("oblimin", "promax", "biquartimin", "quartimin"):
                phi = t.T @ t  # statsmodels: L = A (T')^-1, Phi = T'T
    load = np.asarray(res.loadings)
    # order by sum of squared loadings, fix sign
    ss = (load**2).sum(axis=0)
    order = np.argsort(-ss)
    load = load[:, order]
    phi = phi[np.ix_(order, order)]
    signs = np.sign(load.sum(axis=0))
    signs[signs == 0] = 1
    load = load * signs
    phi = phi * np.outer(signs, signs)
    names = [f"F{i + 1}" for i in range(n_factors)]
    loadings = pd.DataFrame(load, index=x.columns, columns=names)
    # communality with correlated factors: diag(L Phi L')
    comm = pd.Series(np.einsum("ij,jk,ik->i", load, phi, load), index=x.columns)
    eig = np.linalg.eigvalsh(np.corrcoef(x.to_numpy(float), rowvar=False))[::-1]
    return EfaResult(
        loadings=loadings,
        communality=comm.rename("communality"),
        uniqueness=pd.Series(np.asarray(res.uniqueness), index=x.columns, name="uniqueness"),
        factor_corr=pd.DataFrame(phi, index=names, columns=names),
        eigenvalues=pd.Series(eig, index=pd.RangeIndex(1, len(eig) + 1), name="eigenvalue"),
        method=method,
        rotation=rotation,
        n=len(x),
    )


def parallel_analysis(
    data: pd.DataFrame,
    n_boot: int = 200,
    quantile: float = 0.95,
    seed: int | None = 0,
    missing: Literal["raise", "listwise"] = "listwise",
) -> pd.DataFrame:
    """Horn's (1965) parallel analysis on the correlation-matrix eigenvalues.

    Compares each observed eigenvalue with the ``quantile`` of the eigenvalues of ``n_boot``
    simulated data sets of independent normal variables of the same size; ``retain`` marks the
    leading run of factors that beat chance.

    Parameters
    ----------
    data : DataFrame
        One column per item.
    n_boot : int
        Number of simulated random data sets.
    quantile : float
        The quantile of the random eigenvalues to beat (Glorfeld 1995 uses the 95th
        percentile; Horn's original, the mean, is ``random_mean``).
    seed : int or None
        Seed of the simulated data (None: fresh entropy).
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.

    Returns
    -------
    DataFrame
        Indexed by ``factor`` (1..p): ``observed``, ``random_mean``, ``random_quantile``,
        ``retain``.

    References
    ----------
    Horn, J. L. (1965). *Psychometrika* 30(2), 179-185. Glorfeld, L. W. (1995). *Educational
    and Psychological Measurement* 55(3), 377-393.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal((500, 2))
    >>> d = pd.DataFrame({f"x{i}": 0.7 * f[:, i // 4] + 0.7 * rng.standard_normal(500)
    ...                   for i in range(8)})
    >>> int(parallel_analysis(d, n_boot=50)["retain"].sum())
    2
    """
    n_boot = check_n_boot(n_boot)
    seed = check_seed(seed)
    if not 0 < quantile < 1:
        raise DataError(f"argument 'quantile' must be between 0 and 1, got {quantile!r}")
    x = _items_frame(data, missing, min_items=2)
    n, p = x.shape
    obs = np.linalg.eigvalsh(np.corrcoef(x.to_numpy(float), rowvar=False))[::-1]
    rng = np.random.default_rng(seed)
    sims = np.empty((n_boot, p))
    for i in range(n_boot):
        z = rng.standard_normal((n, p))
        sims[i] = np.linalg.eigvalsh(np.corrcoef(z, rowvar=False))[::-1]
    thr = np.quantile(sims, quantile, axis=0)
    beat = obs > thr
    retain = np.cumprod(beat).astype(bool)
    return pd.DataFrame(
        {"observed": obs, "random_mean": sims.mean(axis=0), "random_quantile": thr,
         "retain": retain},
        index=pd.RangeIndex(1, p + 1, name="factor"),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# confirmatory factor analysis
# --------------------------------------------------------------------------------------------
def srmr(observed_cov: np.ndarray, implied_cov: np.ndarray) -> float:
    """Standardized root mean square residual (lavaan's ``srmr``).

    ``sqrt(mean over i <= j of ((s_ij - sigma_ij) / sqrt(s_ii s_jj))^2)``.

    Parameters
    ----------
    observed_cov, implied_cov : array
        The sample covariance matrix and the one implied by the model.

    Returns
    -------
    float

    References
    ----------
    Bentler, P. M. (1995). *EQS Structural Equations Program Manual*; Hu & Bentler (1999),
    *Structural Equation Modeling* 6(1).

    Examples
    --------
    >>> srmr(np.eye(2), np.eye(2))
    0.0
    >>> round(srmr(np.array([[1.0, 0.5], [0.5, 1.0]]), np.eye(2)), 4)
    0.2887
    """
    s = np.asarray(observed_cov, float)
    sig = np.asarray(implied_cov, float)
    d = np.sqrt(np.diag(s))
    res = (s - sig) / np.outer(d, d)
    iu = np.triu_indices(s.shape[0])
    return float(np.sqrt(np.mean(res[iu] ** 2)))


#: semopy's SLSQP stops when the fit function changes by less than this (its default, 1e-6,
#: leaves loadings unsettled in the 4th decimal)
CFA_FTOL = 1e-12


@dataclass(frozen=True)
class CfaResult(Result):
    """A fitted CFA: loadings (raw and standardized), factor correlations and fit indices.

    loadings: ``factor``, ``item``, ``estimate`` (raw), ``std_estimate`` (standardized), ``se``
    (of the raw loading; NaN for the marker item fixed at 1). fit: ``chi2``, ``df``,
    ``p_value``, ``cfi``, ``tli``, ``rmsea``, ``srmr``. reliability: ``rho_c`` and ``ave`` per
    factor.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> model = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...          "speed": ["x7", "x8", "x9"]}
    >>> res = cfa(hs, model)
    >>> [round(float(v), 3) for v in res.conf_int(0.9).iloc[1, 2:]]
    [0.554, 0.1, 0.39, 0.717]
    """

    loadings: pd.DataFrame
    factor_corr: pd.DataFrame
    fit: pd.Series
    reliability: pd.DataFrame
    n: int

    def summary(self) -> str:
        """One line: chi2 test and the fit indices."""
        f = self.fit
        return (
            f"chi2({int(f['df'])}) = {f['chi2']:.2f}, p = {f['p_value']:.3g}; CFI = "
            f"{f['cfi']:.3f}, TLI = {f['tli']:.3f}, RMSEA = {f['rmsea']:.3f}, "
            f"SRMR = {f['srmr']:.3f} (n = {self.n})"
        )

    def to_frame(self) -> pd.DataFrame:
        """The loadings, one row per item."""
        return self.loadings.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals ``estimate -/+ z se`` of the raw loadings (NaN for marker items)."""
        from scipy import stats

        z = stats.norm.isf((1 - check_level(level)) / 2)
        out = self.loadings[["factor", "item", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - z * out["se"]
        out["ci_high"] = out["estimate"] + z * out["se"]
        return out


def _model_desc(model: Mapping[str, Sequence[str]]) -> str:
    return "\n".join(f"{f} =~ {' + '.join(items)}" for f, items in model.items())


def _model_columns(data: pd.DataFrame, model: Mapping[str, Sequence[str]]) -> list[str]:
    cols = [c for items in model.values() for c in items]
    require_columns(data, cols)
    if len(set(cols)) != len(cols):
        raise DataError("argument 'model': an item is listed under more than one factor")
    return cols


def _free_params(model: Mapping[str, Sequence[str]], free: Sequence[str]
                 ) -> list[tuple[str, str, str]]:
    """Parse ``free`` (``"factor =~ item"`` or ``"item ~~ item"``) into (lhs, op, rhs)."""
    if isinstance(free, str):
        raise DataError("argument 'free' must be a list of parameters such as "
                        "['a =~ b1', 'a3 ~~ a4'], got a string")
    items = [c for v in model.values() for c in v]
    out: list[tuple[str, str, str]] = []
    for spec in free:
        parts = str(spec).split()
        ok = len(parts) == 3 and parts[1] in ("=~", "~~")
        if ok and parts[1] == "=~":
            ok = parts[0] in model and parts[2] in items and parts[2] not in model[parts[0]]
        elif ok:
            ok = parts[0] in items and parts[2] in items and parts[0] != parts[2]
            if ok and items.index(parts[0]) > items.index(parts[2]):
                parts = [parts[2], "~~", parts[0]]
        if not ok:
            raise DataError(f"argument 'free': {spec!r} is not a cross-loading 'factor =~ item' "
                            "(a factor of the model and an item of another factor) or an error "
                            "covariance 'item ~~ item' (two items of the model)")
        if tuple(parts) in out:
            raise DataError(f"argument 'free': {spec!r} is listed twice")
        out.append((parts[0], parts[1], parts[2]))
    return out


def _fit_cfa(x: pd.DataFrame, model: Mapping[str, Sequence[str]],
             free: Sequence[tuple[str, str, str]] = ()):  # type: ignore[no-untyped-def]
    """The semopy ML fit of the CFA (markers, free factor covariances) plus ``free``."""
    import semopy

    desc = _model_desc(model) + "".join(f"\n{a} {op} {b}" for a, op, b in free)
    m = semopy.Model(desc)
    res = m.fit(x, obj="MLW", solver="SLSQP", options={"ftol": CFA_FTOL, "maxiter": 100_000})
    if not res.success:
        raise RuntimeError(f"cfa: the ML fit did not converge ({res.message})")
    return m


def cfa(
    data: pd.DataFrame,
    model: Mapping[str, Sequence[str]],
    missing: Literal["raise", "listwise"] = "listwise",
    *,
    free: Sequence[str] = (),
) -> CfaResult:
    """Confirmatory factor analysis by maximum likelihood in semopy.

    Identification by marker variables (the first item of each factor has loading 1); factors
    covary freely. The fit function is semopy's ``MLW`` (Wishart ML), minimised by SLSQP with
    ``ftol`` :data:`CFA_FTOL`; a fit that does not converge raises ``RuntimeError``.

    Parameters
    ----------
    data : DataFrame
        Respondents x items (other columns are ignored).
    model : mapping
        Factor -> its items, e.g. ``{"culture": [...], "engagement": [...]}``.
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.
    free : sequence of str
        Parameters freed beyond the model, as :func:`modification_indices` names them: a
        cross-loading ``"factor =~ item"`` (an item of another factor) or an error covariance
        ``"item ~~ item"``. A freed cross-loading is listed in ``loadings`` after the model's
        own; reliability and AVE use each factor's own items only.

    Returns
    -------
    CfaResult
        Raw and standardized loadings with standard errors, factor correlations, the fit
        indices chi2, df, p, CFI, TLI, RMSEA (semopy ``calc_stats``) and SRMR (:func:`srmr`),
        and per factor composite reliability and AVE from the standardized loadings.

    References
    ----------
    Joreskog (1969), *Psychometrika* 34(2); Hu & Bentler (1999), *Structural Equation
    Modeling* 6(1). Reference output: lavaan's tutorial (Rosseel 2012, *J. Statistical
    Software* 48(2); Holzinger & Swineford 1939 data, three factors): chi2(24) = 85.306, CFI
    .931, TLI .896, RMSEA .092, SRMR .065.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> res = cfa(hs, {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...                "speed": ["x7", "x8", "x9"]})
    >>> round(float(res.fit["chi2"]), 3), int(res.fit["df"]), round(float(res.fit["cfi"]), 3)
    (85.306, 24, 0.931)

    Freeing the parameter with the largest modification index (lavaan's tutorial: 36.411):

    >>> freed = cfa(hs, {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...                  "speed": ["x7", "x8", "x9"]}, free=["visual =~ x9"])
    >>> int(freed.fit["df"]), round(float(res.fit["chi2"] - freed.fit["chi2"]), 1)
    (23, 32.9)
    """
    import semopy

    cols = _model_columns(data, model)
    extra = _free_params(model, free)
    x = _items_frame(data[cols], missing, min_items=3).astype(float)
    m = _fit_cfa(x, model, extra)
    stats = semopy.calc_stats(m).iloc[0]
    obs = list(m.vars["observed"])
    implied = m.calc_sigma()[0]
    s = np.cov(x[obs].to_numpy(float), rowvar=False, bias=True)
    est = m.inspect(std_est=True)
    rows = []
    cross = [(f, it) for f, op, it in extra if op == "=~"]
    for f, items in [*model.items(), *((f, [it]) for f, it in cross)]:
        for it in items:
            r = est[(est["lval"] == it) & (est["op"] == "~") & (est["rval"] == f)].iloc[0]
            se = pd.to_numeric(r["Std. Err"], errors="coerce")
            rows.append({"factor": f, "item": it, "estimate": float(r["Estimate"]),
                         "std_estimate": float(r["Est. Std"]), "se": se})  # fmt: skip
    loadings = pd.DataFrame(rows)
    factors = list(model)
    phi = np.eye(len(factors))
    for i, a in enumerate(factors):
        for j, b in enumerate(factors):
            if i == j:
                continue
            r = est[(est["op"] == "~~") & (((est["lval"] == a) & (est["rval"] == b))
                                          | ((est["lval"] == b) & (est["rval"] == a)))]  # fmt: skip
            if len(r):
                phi[i, j] = float(r["Est. Std"].iloc[0])
    fit = pd.Series(
        {
            "chi2": float(stats["chi2"]),
            "df": float(stats["DoF"]),
            "p_value": float(stats["chi2 p-value"]),
            "cfi": float(stats["CFI"]),
            "tli": float(stats["TLI"]),
            "rmsea": float(stats["RMSEA"]),
            "srmr": srmr(s, implied),
        },
        name="fit",
    )
    rel = pd.DataFrame(
        [
            {
                "factor": f,
                "rho_c": composite_reliability(g["std_estimate"]),
                "ave": average_variance_extracted(g["std_estimate"]),
            }
            for f, g in loadings.iloc[:len(cols)].groupby("factor", sort=False)
        ]
    ).set_index("factor")
    return CfaResult(loadings, pd.DataFrame(phi, index=factors, columns=factors), fit, rel, len(x))


#: a parameter counts as identifiable when freed if the part of its information that the free
#: parameters do not span, ``c_j``, is at least this share of its information ``I_jj``
IDENTIFIED_MIN = 1e-6


def modification_indices(
    data: pd.DataFrame,
    model: Mapping[str, Sequence[str]],
    missing: Literal["raise", "listwise"] = "listwise",
    *,
    free: Sequence[str] = (),
) -> pd.DataFrame:
    """Modification indices of the CFA of :func:`cfa`: what freeing each fixed parameter buys.

    For every parameter the model fixes at zero -- a cross-loading ``factor =~ item`` (an item
    on another factor) or an error covariance ``item ~~ item`` -- the score (Lagrange
    multiplier) test of Sörbom (1989): at the ML estimates of the model, with ``g_j = dF/dθ_j =
    tr[Σ⁻¹(Σ - S)Σ⁻¹ ∂Σ/∂θ_j]`` the gradient of the fit function ``F = log|Σ| + tr(SΣ⁻¹) -
    log|S| - p`` and ``I`` the expected information per respondent, ``I_jk = ½ tr(Σ⁻¹ ∂Σ/∂θ_j
    Σ⁻¹ ∂Σ/∂θ_k)``,

    ``MI_j = N g_j² / (4 c_j)``, ``c_j = I_jj - I_jF I_FF⁻¹ I_Fj`` (F: the free parameters),

    the expected drop in chi2 (1 df) if ``θ_j`` alone were freed; ``EPC_j = -g_j / (2 c_j)`` its
    expected value (Saris, Satorra & Sörbom 1987). Like chi2 (:func:`cfa`), it uses ``S`` with
    divisor N and the multiplier N (lavaan's default). Both are local approximations: when
    the omitted parameter is large, refitting with it freed can drop chi2 by less (or more)
    than the MI, and the EPC can overshoot the refitted estimate (a standardized EPC beyond 1).

    Parameters
    ----------
    data : DataFrame
        Respondents x items.
    model : mapping
        Factor -> its items (as in :func:`cfa`).
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.
    free : sequence of str
        Parameters already freed beyond the model (as in :func:`cfa`); they are not listed.

    Returns
    -------
    pandas.DataFrame
        One row per fixed parameter, largest MI first: ``lhs``, ``op`` (``=~`` or ``~~``),
        ``rhs``, ``mi``, ``p_value`` (chi2 with 1 df), ``epc`` (raw units) and ``sepc_all``
        (standardized by the model-implied SDs of factor and item, or by the two error SDs).
        NaN, listed last, where freeing the parameter would leave the model unidentified
        (``c_j`` below :data:`IDENTIFIED_MIN` times ``I_jj``); ``sepc_all`` of an error
        covariance is NaN where an error variance is estimated at zero (a Heywood case, whose
        MIs are suspect too).

    References
    ----------
    Sörbom, D. (1989). Model modification. *Psychometrika*, 54(3), 371-384. Saris, W. E.,
    Satorra, A., & Sörbom, D. (1987). The detection and correction of specification errors
    in structural equation models. *Sociological Methodology*, 17, 105-129. Reference output:
    lavaan's tutorial, ``modindices(fit, sort = TRUE)`` on Holzinger & Swineford (1939):
    visual =~ x9 36.411 (epc 0.577), x7 ~~ x8 34.145 (0.536), visual =~ x7 18.631 (-0.422).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> mi = modification_indices(hs, {"visual": ["x1", "x2", "x3"],
    ...                                "textual": ["x4", "x5", "x6"],
    ...                                "speed": ["x7", "x8", "x9"]})
    >>> mi.head(3).round(3).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['visual', '=~', 'x9', 36.411, 0.0, 0.577, 0.515],
     ['x7', '~~', 'x8', 34.145, 0.0, 0.536, 0.859],
     ['visual', '=~', 'x7', 18.631, 0.0, -0.422, -0.349]]
    """
    from scipy import stats

    cols = _model_columns(data, model)
    extra = _free_params(model, free)
    x = _items_frame(data[cols], missing, min_items=3).astype(float)
    m = _fit_cfa(x, model, extra)
    factors = list(model)
    p, k = len(cols), len(factors)
    row = {c: i for i, c in enumerate(cols)}
    col = {f: j for j, f in enumerate(factors)}
    lam, phi, theta = np.zeros((p, k)), np.zeros((k, k)), np.zeros((p, p))
    for a, op, b, v in m.inspect()[["lval", "op", "rval", "Estimate"]].itertuples(index=False):
        if op == "~":
            lam[row[a], col[b]] = float(v)
        elif a in col:
            phi[col[a], col[b]] = phi[col[b], col[a]] = float(v)
        else:
            theta[row[a], row[b]] = theta[row[b], row[a]] = float(v)
    sigma = lam @ phi @ lam.T + theta
    s = np.cov(x[cols].to_numpy(float), rowvar=False, bias=True)

    def d_lam(i: int, f: int) -> np.ndarray:  # dSigma / d lambda_if
        d = np.zeros((p, p))
        d[i] = (lam @ phi)[:, f]
        return d + d.T

    def d_sym(a: int, b: int, size: int) -> np.ndarray:
        e = np.zeros((size, size))
        e[a, b] = e[b, a] = 1.0
        return e

    loads = {(it, f) for f, items in model.items() for it in items[1:]}  # markers fixed at 1
    loads |= {(it, f) for f, op, it in extra if op == "=~"}
    covs = {(row[a], row[b]) for a, op, b in extra if op == "~~"}
    free_d = ([d_lam(row[it], col[f]) for it, f in sorted(loads)]
              + [lam @ d_sym(a, b, k) @ lam.T for a in range(k) for b in range(a + 1)]
              + [d_sym(i, i, p) for i in range(p)] + [d_sym(i, j, p) for i, j in sorted(covs)])
    cand, cand_d = [], []
    for f in factors:
        for it in cols:
            if it not in model[f] and (it, f) not in loads:
                cand.append((f, "=~", it))
                cand_d.append(d_lam(row[it], col[f]))
    for i in range(p):
        for j in range(i + 1, p):
            if (i, j) not in covs:
                cand.append((cols[i], "~~", cols[j]))
                cand_d.append(d_sym(i, j, p))
    w = np.linalg.inv(sigma)
    resid = w @ (sigma - s) @ w
    wf = np.array([(w @ d).ravel() for d in free_d])
    wft = np.array([(w @ d).T.ravel() for d in free_d])
    wc = np.array([(w @ d).ravel() for d in cand_d])
    wct = np.array([(w @ d).T.ravel() for d in cand_d])
    i_ff = 0.5 * wf @ wft.T
    i_cf = 0.5 * wc @ wft.T
    i_cc = 0.5 * np.einsum("ij,ij->i", wc, wct)
    g = np.array([np.sum(resid * d) for d in cand_d])
    c = i_cc - np.einsum("ij,ij->i", i_cf @ np.linalg.inv(i_ff), i_cf)
    n = len(x)
    # a parameter whose information the free ones span cannot be freed (not identified)
    c = np.where(c > IDENTIFIED_MIN * i_cc, c, np.nan)
    mi = n * g**2 / (4 * c)
    epc = -g / (2 * c)
    sd_item = np.sqrt(np.diag(sigma))
    err = np.diag(theta)
    scale = np.array([np.sqrt(phi[col[a], col[a]]) / sd_item[row[b]] if op == "=~" else
                      1 / np.sqrt(err[row[a]] * err[row[b]])
                      if min(err[row[a]], err[row[b]]) > 0 else np.nan  # a Heywood case
                      for a, op, b in cand])  # fmt: skip
    out = pd.DataFrame(cand, columns=["lhs", "op", "rhs"]).assign(
        mi=mi, p_value=stats.chi2.sf(mi, 1), epc=epc, sepc_all=epc * scale)
    return out.sort_values("mi", ascending=False, kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# measurement invariance: multi-group ML with analytic gradients
# --------------------------------------------------------------------------------------------
class _MultiGroupCfa:
    """Multi-group CFA with mean structure; marker-variable identification.

    Group g: ``Sigma_g = L_g Phi_g L_g' + Theta_g``, ``mu_g = tau_g + L_g kappa_g``. Fit function
    (lavaan, ``likelihood = "normal"``): ``F = sum_g n_g [log|Sigma_g| + tr(S_g Sigma_g^-1) -
    log|S_g| - p + (m_g - mu_g)' Sigma_g^-1 (m_g - mu_g)]``; chi2 = F at the minimum.
    """

    def __init__(self, groups: list[np.ndarray], pattern: np.ndarray, invariance: str,
                 free_tau: np.ndarray | None = None) -> None:
        self.invariance = invariance
        # intercepts left free in every group but the first (partial scalar invariance)
        self.free_tau = (np.zeros(pattern.shape[0], bool) if free_tau is None
                         else np.asarray(free_tau, bool))
        self.p, self.m = pattern.shape
        self.g = len(groups)
        self.n = np.array([len(x) for x in groups], float)
        self.s = [np.cov(x, rowvar=False, bias=True) for x in groups]
        self.mean = [x.mean(axis=0) for x in groups]
        self.logdet_s = [np.linalg.slogdet(s)[1] for s in self.s]
        # free loadings: pattern minus the first (marker) item of each factor
        free = pattern.astype(bool).copy()
        for f in range(self.m):
            free[np.flatnonzero(pattern[:, f])[0], f] = False
        self.marker = pattern.astype(bool) & ~free
        self.free_l = np.argwhere(free)
        self.tril = np.tril_indices(self.m)
        shared_l = invariance in ("metric", "scalar")
        shared_t = invariance == "scalar"
        # parameter layout
        self.slices: dict[tuple[str, int], slice] = {}
        pos = 0

        def add(name: str, g: int, size: int) -> None:
            nonlocal pos
            self.slices[(name, g)] = slice(pos, pos + size)
            pos += size

        for g in range(self.g):
            if g == 0 or not shared_l:
                add("lam", g, len(self.free_l))
            add("phi", g, len(self.tril[0]))
            add("theta", g, self.p)
            if g == 0 or not shared_t:
                add("tau", g, self.p)
            if shared_t and g > 0:
                add("kappa", g, self.m)
                if self.free_tau.any():
                    add("tau_free", g, int(self.free_tau.sum()))
        self.size = pos
        self.shared_l, self.shared_t = shared_l, shared_t

    def _key(self, name: str, g: int) -> tuple[str, int]:
        if name == "lam" and self.shared_l:
            return ("lam", 0)
        if name == "tau" and self.shared_t:
            return ("tau", 0)
        return (name, g)

    def start(self) -> np.ndarray:
        th = np.zeros(self.size)
        for g in range(self.g):
            th[self.slices[("phi", g)]] = np.where(
                self.tril[0] == self.tril[1],
                0.5 * np.array([self.s[g][np.flatnonzero(self.marker[:, f])[0]].max()
                                for f in self.tril[0]]), 0.0)  # fmt: skip
            th[self.slices[("theta", g)]] = 0.5 * np.diag(self.s[g])
            if ("tau", g) in self.slices:
                th[self.slices[("tau", g)]] = self.mean[g]
            if ("tau_free", g) in self.slices:
                th[self.slices[("tau_free", g)]] = self.mean[g][self.free_tau]
        for key, sl in self.slices.items():
            if key[0] == "lam":
                th[sl] = 1.0
        return th

    def unpack(self, th: np.ndarray, g: int) -> tuple[np.ndarray, ...]:
        lam = self.marker.astype(float)
        lam[self.free_l[:, 0], self.free_l[:, 1]] = th[self.slices[self._key("lam", g)]]
        phi = np.zeros((self.m, self.m))
        phi[self.tril] = th[self.slices[("phi", g)]]
        phi = phi + np.tril(phi, -1).T
        theta = th[self.slices[("theta", g)]]
        tau = th[self.slices[self._key("tau", g)]]
        if ("tau_free", g) in self.slices:
            tau = tau.copy()
            tau[self.free_tau] = th[self.slices[("tau_free", g)]]
        kappa = th[self.slices[("kappa", g)]] if ("kappa", g) in self.slices else np.zeros(self.m)
        return lam, phi, theta, tau, kappa

    def objective(self, th: np.ndarray) -> tuple[float, np.ndarray]:
        f = 0.0
        grad = np.zeros_like(th)
        for g in range(self.g):
            lam, phi, theta, tau, kappa = self.unpack(th, g)
            sigma = lam @ phi @ lam.T + np.diag(theta)
            sign, logdet = np.linalg.slogdet(sigma)
            if sign <= 0:
                return 1e10, np.zeros_like(th)
            inv = np.linalg.inv(sigma)
            d = self.mean[g] - (tau + lam @ kappa)
            fg = logdet + np.trace(self.s[g] @ inv) - self.logdet_s[g] - self.p + d @ inv @ d
            f += self.n[g] * fg
            # gradients
            gs = inv - inv @ (self.s[g] + np.outer(d, d)) @ inv  # dF/dSigma (symmetric form)
            gm = -2 * inv @ d  # dF/dmu
            g_lam = 2 * gs @ lam @ phi + np.outer(gm, kappa)
            g_phi = lam.T @ gs @ lam
            g_phi = 2 * g_phi - np.diag(np.diag(g_phi))
            w = self.n[g]
            fl = self.free_l
            grad[self.slices[self._key("lam", g)]] += w * g_lam[fl[:, 0], fl[:, 1]]
            grad[self.slices[("phi", g)]] += w * g_phi[self.tril]
            grad[self.slices[("theta", g)]] += w * np.diag(gs)
            if ("tau_free", g) in self.slices:
                grad[self.slices[self._key("tau", g)]] += w * np.where(self.free_tau, 0.0, gm)
                grad[self.slices[("tau_free", g)]] += w * gm[self.free_tau]
            else:
                grad[self.slices[self._key("tau", g)]] += w * gm
            if ("kappa", g) in self.slices:
                grad[self.slices[("kappa", g)]] += w * lam.T @ gm
        return float(f), grad

    def fit(self) -> tuple[float, int, bool]:
        from scipy.optimize import minimize

        res = minimize(self.objective, self.start(), jac=True, method="L-BFGS-B",
                       options={"ftol": INVARIANCE_FTOL, "gtol": INVARIANCE_GTOL,
                                "maxiter": 20000})  # fmt: skip
        k = self.g * self.p * (self.p + 3) / 2  # sample moments (covariances and means)
        df = int(k - self.size)
        ok = bool(np.max(np.abs(res.jac)) < 1e-3 * max(1.0, float(self.n.sum()) / 100))
        return float(res.fun), df, ok


@dataclass(frozen=True)
class InvarianceResult(Result):
    """Measurement invariance across groups: one row per level of invariance tested.

    table: indexed by ``invariance`` (``configural``, ``metric``, ``scalar``): ``chi2``,
    ``df``, ``p_value``, ``cfi``, ``rmsea``, ``converged`` and, against the previous row,
    ``delta_chi2``, ``delta_df``, ``delta_p``, ``delta_cfi``. by: the grouping column; groups:
    its values (the first is the reference for latent means); n: rows used.

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> model = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
    ...          "speed": ["x7", "x8", "x9"]}
    >>> mi = measurement_invariance(hs, model, by="school", invariance=["configural"])
    >>> mi.table.index.tolist(), mi.groups
    (['configural'], ('Pasteur', 'Grant-White'))
    """

    table: pd.DataFrame
    by: str
    groups: tuple[Any, ...]
    n: int
    free_intercepts: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The comparison table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """One line per level: chi2, CFI, RMSEA and the change from the previous level."""
        lines = [f"Measurement invariance across {self.by!r} ({len(self.groups)} groups, "
                 f"n = {self.n}"
                 + (f"; scalar step partial, intercepts of {', '.join(self.free_intercepts)} "
                    "free" if self.free_intercepts else "") + "):"]  # fmt: skip
        for name, r in self.table.iterrows():
            text = (f"  {name}: chi2({int(r['df'])}) = {r['chi2']:.2f}, CFI = {r['cfi']:.3f}, "
                    f"RMSEA = {r['rmsea']:.3f}")  # fmt: skip
            if pd.notna(r.get("delta_chi2", np.nan)):
                text += (f"; delta chi2({int(r['delta_df'])}) = {r['delta_chi2']:.2f}, "
                         f"p = {r['delta_p']:.3g}, delta CFI = {r['delta_cfi']:.3f}")
            if not r["converged"]:
                text += " (NOT converged)"
            lines.append(text)
        return "\n".join(lines)


#: L-BFGS-B tolerances of the multi-group fit (relative change of the fit function, largest
#: projected gradient component); a fit is flagged ``converged`` when the largest gradient
#: component is below 1e-3 * max(1, N / 100)
INVARIANCE_FTOL = 1e-15
INVARIANCE_GTOL = 1e-8
_INVARIANCE = ("configural", "metric", "scalar")


def measurement_invariance(
    data: pd.DataFrame,
    model: Mapping[str, Sequence[str]],
    by: str,
    invariance: Sequence[str] = _INVARIANCE,
    missing: Literal["raise", "listwise"] = "listwise",
    *,
    free_intercepts: Sequence[str] = (),
) -> InvarianceResult:
    """Measurement invariance of a CFA across the groups in column ``by``.

    Fits a multi-group ML CFA (mean structure, marker-variable identification, analytic
    gradients; semopy has no equality constraints across groups) at each level: configural
    (same pattern, everything free), metric (equal loadings), scalar (equal loadings and
    intercepts; latent means free in all but the first group). The fit function is lavaan's
    ``F = sum_g n_g [log|Sigma_g| + tr(S_g Sigma_g^-1) - log|S_g| - p + (m_g - mu_g)'
    Sigma_g^-1 (m_g - mu_g)]`` and chi2 its minimum (L-BFGS-B, tolerances
    :data:`INVARIANCE_FTOL`, :data:`INVARIANCE_GTOL`). CFI uses the independence model with
    free means and variances in each group; RMSEA follows lavaan's multi-group formula
    ``sqrt(G) * sqrt(max(chi2 - df, 0) / (df * N))``. A drop in CFI of more than .01 from one
    level to the next suggests non-invariance (Cheung & Rensvold 2002).

    Parameters
    ----------
    data : DataFrame
        Respondents x items, plus the grouping column.
    model : mapping
        Factor -> its items.
    by : str
        The column whose groups are compared (e.g. ``"cx_owner"``); no missing labels.
    invariance : sequence of str
        The levels to fit, in order: any of ``"configural"``, ``"metric"``, ``"scalar"``.
    missing : {"listwise", "raise"}
        Rows with a missing item are dropped or raise.
    free_intercepts : sequence of str
        Items whose intercepts the scalar step leaves free in every group (partial scalar
        invariance, Byrne, Shavelson & Muthén 1989): freeing one item at a time and watching
        chi2 drop locates an item that works differently. Each factor keeps at least one
        equal intercept; freeing all but the markers gives the metric model's fit.

    Returns
    -------
    InvarianceResult

    References
    ----------
    Meredith (1993), *Psychometrika* 58(4); Vandenberg & Lance (2000), *Organizational
    Research Methods* 3(1); Cheung & Rensvold (2002), *Structural Equation Modeling* 9(2);
    Byrne, Shavelson & Muthén (1989), *Psychological Bulletin* 105(3).
    Reference output: lavaan's tutorial on Holzinger-Swineford by school, chi2 115.851 (48),
    124.044 (54), 164.103 (60).

    Examples
    --------
    >>> from semopy.examples import holzinger39
    >>> hs = holzinger39.get_data()
    >>> mi = measurement_invariance(hs, {"visual": ["x1", "x2", "x3"],
    ...                                  "textual": ["x4", "x5", "x6"],
    ...                                  "speed": ["x7", "x8", "x9"]}, by="school")
    >>> [round(float(v), 3) for v in mi.table["chi2"]]
    [115.851, 124.044, 164.103]
    """
    from scipy import stats

    unknown = [v for v in invariance if v not in _INVARIANCE]
    if unknown or isinstance(invariance, str):
        raise DataError(f"argument 'invariance': unknown level(s) {unknown or invariance!r}; "
                        f"use a list of {list(_INVARIANCE)}")  # fmt: skip
    cols = _model_columns(data, model)
    require_columns(data, [by])
    frame = data[[*cols, by]]
    if frame[by].isna().any():
        raise DataError(f"column {by!r}: missing group labels at rows "
                        f"{first_rows(frame[by].isna(), frame.index)}")  # fmt: skip
    x = _items_frame(frame[cols], missing, min_items=3)
    labels = frame.loc[x.index, by]
    names = list(pd.unique(labels))
    if len(names) < 2:
        raise DataError(f"column {by!r} must have at least two groups, got {names}")
    groups = [x.loc[labels == g].to_numpy(float) for g in names]
    small = [g for g, arr in zip(names, groups) if len(arr) <= len(cols)]
    if small:
        raise DataError(f"column {by!r}: group(s) {small} have no more rows than items "
                        f"({len(cols)})")  # fmt: skip
    pattern = np.zeros((len(cols), len(model)))
    r = 0
    for f, items in enumerate(model.values()):
        pattern[r : r + len(items), f] = 1
        r += len(items)
    if isinstance(free_intercepts, str):
        free_intercepts = [free_intercepts]
    unknown_items = [c for c in free_intercepts if c not in cols]
    if unknown_items:
        raise DataError(f"argument 'free_intercepts': {unknown_items} are not items of the model")
    free_tau = np.isin(cols, list(free_intercepts))
    all_free = [f for f, items in model.items() if all(c in free_intercepts for c in items)]
    if all_free:
        raise DataError(f"argument 'free_intercepts' frees every intercept of {all_free}: keep at "
                        "least one equal across groups per factor (the latent mean needs it)")
    n_total = sum(len(a) for a in groups)
    p = len(cols)
    # independence (baseline) model chi2, per group: diagonal Sigma and free means
    base_chi2 = sum(
        len(a) * (np.sum(np.log(np.diag(np.cov(a, rowvar=False, bias=True))))
                  - np.linalg.slogdet(np.cov(a, rowvar=False, bias=True))[1])
        for a in groups
    )  # fmt: skip
    base_df = len(groups) * p * (p - 1) / 2
    rows = []
    prev = None
    for step in invariance:
        chi2, df, ok = _MultiGroupCfa(groups, pattern, step, free_tau).fit()
        cfi = 1 - max(chi2 - df, 0) / max(base_chi2 - base_df, chi2 - df, 1e-12)
        rmsea = np.sqrt(len(groups)) * np.sqrt(max(chi2 - df, 0) / (df * n_total))
        row = {"invariance": step, "chi2": chi2, "df": df, "p_value": stats.chi2.sf(chi2, df),
               "cfi": cfi, "rmsea": rmsea, "converged": ok}  # fmt: skip
        if prev is not None:
            dchi, ddf = chi2 - prev["chi2"], df - prev["df"]
            row.update(delta_chi2=dchi, delta_df=ddf, delta_p=stats.chi2.sf(dchi, ddf),
                       delta_cfi=cfi - prev["cfi"])  # fmt: skip
        rows.append(row)
        prev = row
    table = pd.DataFrame(rows).set_index("invariance")
    return InvarianceResult(table=table, by=by, groups=tuple(names), n=n_total,
                            free_intercepts=tuple(c for c in cols if c in free_intercepts))
