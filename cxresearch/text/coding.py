"""Coding open answers into categories: inter-coder agreement, shares with simultaneous
intervals, sample sizes, and a coding frame for "who should drive CX?".

Three measurement problems meet when open text is turned into numbers:

1. **Are the codes reliable?** Two coders code the same answers; chance-corrected agreement is
   :func:`cohen_kappa` (two coders) or :func:`krippendorff_alpha` (any number of coders, missing
   codes, nominal to ratio data).
2. **How uncertain are the shares?** Seven shares from 110 answers are seven estimates read
   together, so their intervals must hold *simultaneously*: :func:`multinomial_ci`
   (Sison & Glaz 1995; Goodman 1965; Quesenberry & Hurst 1964).
3. **How many answers are needed?** :func:`sample_size_share` for one share or, with
   ``method="thompson"``, for every share of a multinomial at once (Thompson 1987).

:data:`WHO_DRIVES_CX` is the coding frame of notebook 09 (definitions, decision rules and
illustrative, made-up examples); :func:`read_coded_answers` reads a user's poll export and
:func:`resolve_codes` turns two coders' codes into final codes, recording how each was reached.

Vocabulary (``cxresearch.core.validation``): ``level`` is the confidence level, ``method`` the
interval
method, ``seed`` and ``n_boot`` the bootstrap's; the *level of measurement* of Krippendorff's
alpha is ``measurement=`` (``level`` is taken). Intervals are ``ci_low`` / ``ci_high``.

Checked against (``tests/test_coding.py``): scikit-learn's ``cohen_kappa_score`` and
statsmodels' ``cohens_kappa`` (interval); the ``krippendorff`` package 0.9.0 and the worked
examples of Krippendorff (2011); statsmodels' ``multinomial_proportions_confint`` and the
published intervals of Sison & Glaz (1995, example 1); Thompson's (1987) n = 510.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from cxresearch.core.inference import z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    first_rows,
)

__all__ = [
    "WHO_DRIVES_CX",
    "AgreementResult",
    "Code",
    "CodingFrame",
    "agreement_table",
    "code_shares",
    "cohen_kappa",
    "krippendorff_2011_example",
    "krippendorff_alpha",
    "multinomial_ci",
    "read_coded_answers",
    "reference_checks",
    "resolve_codes",
    "sample_size_share",
    "sample_size_shares_table",
]

MULTINOMIAL_METHODS: tuple[str, ...] = ("sison_glaz", "goodman", "quesenberry_hurst", "wilson")
_METHOD_NAMES = {
    "sison_glaz": "Sison-Glaz (simultaneous)",
    "goodman": "Goodman (simultaneous)",
    "quesenberry_hurst": "Quesenberry-Hurst (simultaneous)",
    "wilson": "Wilson (one share at a time, not simultaneous)",
    "asymptotic": "asymptotic (Fleiss, Cohen & Everitt 1969)",
    "bootstrap": "bootstrap over units, percentile",
}
_MEASUREMENTS = ("nominal", "ordinal", "interval", "ratio")


def _is_missing(values: np.ndarray) -> np.ndarray:
    return np.asarray(pd.isna(pd.Series(values, dtype=object)), dtype=bool)


# --------------------------------------------------------------------------------------------
# Result object
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementResult(Result):
    """A chance-corrected agreement coefficient with its interval.

    ``statistic`` is ``"cohen_kappa"`` or ``"krippendorff_alpha"``; ``measurement`` the weights
    of kappa (``"none"``, ``"linear"``, ``"quadratic"``) or alpha's level of measurement.
    ``n_units`` counts the units that entered the coefficient (pairs for kappa; units with at
    least two codes for alpha), ``n_values`` the codes in them, ``n_missing`` the units left
    out for missing codes. ``se`` is the asymptotic standard error (kappa) or the bootstrap
    standard deviation; ``replicates`` holds the bootstrap values (empty for asymptotic
    intervals) so that :meth:`conf_int` can give another level.

    Examples
    --------
    >>> r = cohen_kappa(["a", "a", "b", "b", "a", "b"], ["a", "a", "b", "a", "a", "b"])
    >>> r.statistic, round(r.estimate, 3)
    ('cohen_kappa', 0.667)
    >>> list(r.conf_int(0.9).columns)
    ['estimate', 'ci_low', 'ci_high']
    """

    statistic: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    method: str
    measurement: str
    n_units: int
    n_coders: int
    n_values: int
    n_missing: int = 0
    n_boot: int = 0
    observed_agreement: float = math.nan
    replicates: np.ndarray = field(default_factory=lambda: np.empty(0), hash=False,
                                   compare=False, repr=False)

    @property
    def name(self) -> str:
        """The coefficient's name in words."""
        return {"cohen_kappa": "Cohen's kappa",
                "krippendorff_alpha": "Krippendorff's alpha"}.get(self.statistic, self.statistic)

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``estimate, ci_low, ci_high``: the interval of the same method at ``level``
        (percentiles of the same replicates for the bootstrap)."""
        lo, hi = self._interval(check_level(level))
        return pd.DataFrame([{"estimate": self.estimate, "ci_low": lo, "ci_high": hi}])

    def _interval(self, level: float) -> tuple[float, float]:
        if self.method == "bootstrap":
            reps = self.replicates[np.isfinite(self.replicates)]
            lo, hi = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2])
            return float(lo), float(hi)
        z = z_crit(level)
        return (float(max(self.estimate - z * self.se, -1.0)),
                float(min(self.estimate + z * self.se, 1.0)))

    def summary(self) -> str:
        """One line: the coefficient, its interval, the method and the counts."""
        weights = "" if self.measurement in ("none", "") else f", {self.measurement}"
        return (f"{self.name}{weights} = {self.estimate:.3f} ({self.level:.0%} CI "
                f"{self.ci_low:.3f} to {self.ci_high:.3f}; {_METHOD_NAMES[self.method]}; "
                f"{self.n_units:,} units, {self.n_coders} coders)")

    def to_frame(self) -> pd.DataFrame:
        """A one-row tidy frame."""
        return pd.DataFrame([{
            "statistic": self.statistic, "measurement": self.measurement,
            "estimate": self.estimate, "se": self.se, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "level": self.level, "method": self.method,
            "observed_agreement": self.observed_agreement, "n_units": self.n_units,
            "n_coders": self.n_coders, "n_values": self.n_values, "n_missing": self.n_missing,
            "n_boot": self.n_boot,
        }])


# --------------------------------------------------------------------------------------------
# Cohen's kappa
# --------------------------------------------------------------------------------------------


def _ordered_categories(values: np.ndarray, labels: Sequence[Any] | None, what: str) -> list[Any]:
    present = pd.unique(pd.Series(values, dtype=object))
    if labels is not None:
        labels = list(labels)
        unknown = [v for v in present if v not in set(labels)]
        if unknown:
            raise DataError(f"{what}: code(s) {unknown[:5]} not in labels {labels}")
        return labels
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def _kappa_from_table(table: np.ndarray, disagreement: np.ndarray) -> tuple[float, float, float]:
    """(kappa, asymptotic variance, observed agreement) of a k x k table (Fleiss, Cohen &
    Everitt 1969), with agreement weights w = 1 - disagreement / max(disagreement)."""
    n = table.sum()
    p = table / n
    row, col = p.sum(axis=1), p.sum(axis=0)
    dmax = disagreement.max()
    w = 1.0 - (disagreement / dmax if dmax > 0 else disagreement)
    p_o = float((w * p).sum())
    p_e = float((w * np.outer(row, col)).sum())
    if p_e >= 1:
        return math.nan, math.nan, p_o
    kappa = (p_o - p_e) / (1 - p_e)
    w_row = w @ col  # w-bar_i. = sum_j p_.j w_ij
    w_col = row @ w  # w-bar_.j = sum_i p_i. w_ij
    inner = (w - (w_row[:, None] + w_col[None, :]) * (1 - kappa)) ** 2
    var = ((p * inner).sum() - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    return float(kappa), float(max(var, 0.0)), p_o


def cohen_kappa(
    a: Sequence[Any] | pd.Series | np.ndarray,
    b: Sequence[Any] | pd.Series | np.ndarray,
    *,
    weights: Literal["linear", "quadratic"] | None = None,
    labels: Sequence[Any] | None = None,
    level: float = 0.95,
    method: Literal["asymptotic", "bootstrap"] = "asymptotic",
    n_boot: int = 2000,
    seed: int | None = 0,
) -> AgreementResult:
    r"""Cohen's kappa for two coders, with a confidence interval.

    .. math::

        \kappa = \frac{p_o - p_e}{1 - p_e}, \qquad
        p_o = \sum_{ij} w_{ij} p_{ij}, \quad p_e = \sum_{ij} w_{ij} p_{i\cdot} p_{\cdot j}

    with agreement weights :math:`w_{ij} = 1` on the diagonal and 0 elsewhere (Cohen 1960), or
    :math:`1 - |i - j| / (k - 1)` (``"linear"``) or :math:`1 - (i - j)^2 / (k - 1)^2`
    (``"quadratic"``; Cohen 1968) for ordered codes. The asymptotic variance is that of Fleiss,
    Cohen & Everitt (1969, *Psychological Bulletin* 72, 323-327):

    .. math::

        \widehat{\operatorname{var}}(\kappa) = \frac{\sum_{ij} p_{ij}
        [w_{ij} - (\bar w_{i\cdot} + \bar w_{\cdot j})(1 - \kappa)]^2
        - [\kappa - p_e (1 - \kappa)]^2}{n (1 - p_e)^2}

    and the interval :math:`\kappa \pm z\,\mathrm{SE}` (clipped to [-1, 1]). ``method=
    "bootstrap"`` resamples the coded units instead (percentile interval).

    Parameters
    ----------
    a, b : sequence
        The two coders' codes for the same units, in the same order (any hashable codes;
        ``None``/NaN marks a missing code and the pair is left out and counted).
    weights : {None, "linear", "quadratic"}
        Weighted kappa for ordered codes (order: ``labels``, or the sorted codes).
    labels : sequence, optional
        All possible codes, in order.
    level : float
        Confidence level.
    method : {"asymptotic", "bootstrap"}
        Interval method.
    n_boot, seed : int
        Bootstrap replications and seed (``method="bootstrap"`` only).

    Returns
    -------
    AgreementResult

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement* 20, 37-46. Cohen, J. (1968). Weighted kappa. *Psychological
    Bulletin* 70, 213-220. Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample
    standard errors of kappa and weighted kappa. *Psychological Bulletin* 72, 323-327.

    Examples
    --------
    Fifty units coded yes/no, 20 agreed yes, 15 agreed no, 15 disagreements (p_o = 0.7,
    p_e = 0.5, kappa = 0.4):

    >>> a = ["yes"] * 25 + ["no"] * 25
    >>> b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    >>> r = cohen_kappa(a, b)
    >>> round(r.estimate, 4), round(r.ci_low, 4), round(r.ci_high, 4)
    (0.4, 0.1511, 0.6489)
    """
    check_level(level)
    if method not in ("asymptotic", "bootstrap"):
        raise DataError(f"method must be 'asymptotic' or 'bootstrap', got {method!r}")
    if weights not in (None, "linear", "quadratic"):
        raise DataError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    x = np.asarray(pd.Series(a, dtype=object) if not isinstance(a, pd.Series) else a,
                   dtype=object)
    y = np.asarray(pd.Series(b, dtype=object) if not isinstance(b, pd.Series) else b,
                   dtype=object)
    if x.ndim != 1 or y.ndim != 1:
        raise DataError("a and b must be one-dimensional sequences of codes")
    if len(x) != len(y):
        raise DataError(f"a and b must code the same units: lengths {len(x)} and {len(y)}")
    keep = ~(_is_missing(x) | _is_missing(y))
    n_missing = int((~keep).sum())
    x, y = x[keep], y[keep]
    if len(x) < 2:
        raise DataError(f"cohen_kappa needs at least 2 units coded by both coders, got {len(x)}")
    cats = _ordered_categories(np.concatenate([x, y]), labels, "cohen_kappa")
    pos = {c: i for i, c in enumerate(cats)}
    xi = np.array([pos[v] for v in x])
    yi = np.array([pos[v] for v in y])
    k = len(cats)
    idx = np.arange(k)
    if weights is None:
        dis = 1.0 - np.eye(k)
    elif weights == "linear":
        dis = np.abs(idx[:, None] - idx[None, :]).astype(float)
    else:
        dis = ((idx[:, None] - idx[None, :]) ** 2).astype(float)
    table = np.zeros((k, k))
    np.add.at(table, (xi, yi), 1.0)
    kappa, var, _ = _kappa_from_table(table, dis)
    se = math.sqrt(var) if math.isfinite(var) else math.nan
    reps = np.empty(0)
    if method == "bootstrap":
        n_boot = check_n_boot(n_boot)
        rng = np.random.default_rng(check_seed(seed))
        n = len(xi)
        draws = rng.integers(0, n, size=(n_boot, n))
        cell = xi * k + yi
        tables = np.zeros((n_boot, k * k))
        np.add.at(tables, (np.repeat(np.arange(n_boot), n), cell[draws].ravel()), 1.0)
        tables = tables.reshape(n_boot, k, k) / n
        dmax = dis.max()
        w = 1.0 - dis / dmax
        p_o_b = np.einsum("ij,bij->b", w, tables)
        p_e_b = np.einsum("ij,bi,bj->b", w, tables.sum(axis=2), tables.sum(axis=1))
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = np.where(p_e_b < 1, (p_o_b - p_e_b) / (1 - p_e_b), np.nan)
        se = float(np.nanstd(reps, ddof=1))
    result = AgreementResult(
        statistic="cohen_kappa", estimate=kappa, se=se, ci_low=math.nan, ci_high=math.nan,
        level=level, method=method, measurement=weights or "none", n_units=len(xi),
        n_coders=2, n_values=2 * len(xi), n_missing=n_missing,
        n_boot=n_boot if method == "bootstrap" else 0, observed_agreement=float(np.mean(
            xi == yi)), replicates=reps,
    )
    lo, hi = result._interval(check_level(level)) if math.isfinite(kappa) else (math.nan, math.nan)
    return _replace(result, ci_low=lo, ci_high=hi)


def _replace(result: AgreementResult, **changes: Any) -> AgreementResult:
    from dataclasses import replace

    return replace(result, **changes)


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------------


def krippendorff_2011_example() -> pd.DataFrame:
    """The reliability data of Krippendorff (2011, section D): 4 coders x 12 units, codes 1-5,
    NaN for a missing code. Published alphas: nominal .743, ordinal .815, interval .849,
    ratio .797.

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Coders as rows, units as columns.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania.

    Examples
    --------
    >>> krippendorff_2011_example().shape
    (4, 12)
    """
    nan = np.nan
    return pd.DataFrame(
        [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]],
        index=pd.Index(["A", "B", "C", "D"], name="coder"),
        columns=pd.RangeIndex(1, 13, name="unit"),
    )


def _alpha_from_coincidences(o: np.ndarray, values: np.ndarray | None,
                             measurement: str) -> np.ndarray:
    """Alpha for a stack of coincidence matrices ``o`` (..., C, C)."""
    n_c = o.sum(axis=-1)  # (..., C)
    n = n_c.sum(axis=-1)  # (...)
    c = o.shape[-1]
    if measurement == "nominal":
        delta = np.broadcast_to(1.0 - np.eye(c), o.shape)
    elif measurement == "interval":
        delta = np.broadcast_to((values[:, None] - values[None, :]) ** 2, o.shape)
    elif measurement == "ratio":
        s = values[:, None] + values[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(s != 0, (values[:, None] - values[None, :]) / s, 0.0)
        delta = np.broadcast_to(r ** 2, o.shape)
    else:  # ordinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2
        cum = np.cumsum(n_c, axis=-1)
        lo_idx = np.minimum.outer(np.arange(c), np.arange(c))
        hi_idx = np.maximum.outer(np.arange(c), np.arange(c))
        before = np.where(lo_idx > 0, np.take(cum, lo_idx - 1, axis=-1), 0.0)
        between = np.take(cum, hi_idx, axis=-1) - before
        delta = (between - (n_c[..., :, None] + n_c[..., None, :]) / 2) ** 2
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1.0 - (n - 1) * observed / expected, np.nan)


def krippendorff_alpha(
    reliability_data: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    *,
    measurement: Literal["nominal", "ordinal", "interval", "ratio"] = "nominal",
    categories: Sequence[Any] | None = None,
    level: float = 0.95,
    method: Literal["bootstrap"] = "bootstrap",
    n_boot: int = 2000,
    seed: int | None = 0,
) -> AgreementResult:
    r"""Krippendorff's alpha for any number of coders, missing codes and levels of measurement.

    From the coincidence matrix :math:`o_{ck} = \sum_u \frac{1}{m_u - 1}
    \#\{(i, j), i \ne j: \text{coders } i, j \text{ gave } c, k \text{ to unit } u\}` over the
    units with :math:`m_u \ge 2` codes, with :math:`n_c = \sum_k o_{ck}` and
    :math:`n = \sum_c n_c`:

    .. math::

        \alpha = 1 - \frac{D_o}{D_e}
               = 1 - (n - 1) \frac{\sum_{c,k} o_{ck}\,\delta^2_{ck}}
                                  {\sum_{c,k} n_c n_k\,\delta^2_{ck}}

    with :math:`\delta^2_{ck}` = 1 if c ≠ k (nominal), :math:`(c - k)^2` (interval),
    :math:`((c - k)/(c + k))^2` (ratio), or :math:`(\sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2`
    (ordinal). Source: Krippendorff (2011), "Computing Krippendorff's alpha-reliability",
    and *Content Analysis* (2004, ch. 11). The interval resamples units with replacement
    (percentile bootstrap; Zapf, Castell, Morawietz & Karch 2016, *BMC Medical Research
    Methodology* 16:93); replicates with no variation (alpha undefined) are dropped.

    Parameters
    ----------
    reliability_data : DataFrame or 2-D array
        Rows are coders, columns are units; NaN (or None) marks a missing code. Codes may be
        text for ``"nominal"`` (and for ``"ordinal"`` with ``categories`` giving the order).
    measurement : {"nominal", "ordinal", "interval", "ratio"}
        The level of measurement of the codes (the ``level_of_measurement`` of other
        packages; here ``level`` is the confidence level).
    categories : sequence, optional
        All possible codes in order (needed to order text codes for ``"ordinal"``).
    level : float
        Confidence level.
    method : {"bootstrap"}
        Interval method.
    n_boot, seed : int
        Bootstrap replications and seed.

    Returns
    -------
    AgreementResult

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania. Krippendorff, K. (2004). *Content Analysis: An
    Introduction to Its Methodology*, 2nd ed., Sage. Zapf, A., Castell, S., Morawietz, L. &
    Karch, A. (2016). Measuring inter-rater reliability for nominal data. *BMC Medical
    Research Methodology* 16, 93.

    Examples
    --------
    Krippendorff's (2011) example with 4 coders, 12 units and missing codes:

    >>> data = krippendorff_2011_example()
    >>> round(krippendorff_alpha(data, n_boot=200).estimate, 3)
    0.743
    >>> round(krippendorff_alpha(data, measurement="interval", n_boot=200).estimate, 3)
    0.849
    """
    check_level(level)
    if measurement not in _MEASUREMENTS:
        raise DataError(f"measurement must be one of {list(_MEASUREMENTS)}, got {measurement!r}")
    if method != "bootstrap":
        raise DataError(f"method must be 'bootstrap', got {method!r}")
    n_boot = check_n_boot(n_boot)
    frame = (reliability_data if isinstance(reliability_data, pd.DataFrame)
             else pd.DataFrame(np.asarray(reliability_data, dtype=object)))
    if frame.ndim != 2 or frame.shape[0] < 2:
        raise DataError("reliability_data needs at least 2 rows (coders) and units as columns, "
                        f"got shape {frame.shape}")
    raw = frame.to_numpy(dtype=object)
    missing = np.asarray(pd.isna(frame), dtype=bool)
    present = raw[~missing]
    if categories is not None:
        cats = list(categories)
        unknown = sorted({str(v) for v in present if v not in set(cats)})
        if unknown:
            raise DataError(f"reliability_data: code(s) {unknown[:5]} not in categories")
    else:
        uniq = pd.unique(pd.Series(present, dtype=object))
        try:
            cats = sorted(uniq)
        except TypeError:
            cats = sorted(uniq, key=str)
    values: np.ndarray | None = None
    if measurement in ("interval", "ratio") or (measurement == "ordinal" and categories is None):
        try:
            values = np.array([float(c) for c in cats])
        except (TypeError, ValueError):
            bad = [c for c in cats if not isinstance(c, numbers.Real)]
            raise DataError(f"reliability_data: {measurement} codes must be numbers; got "
                            f"{bad[:5]} (give text codes an order with categories= for "
                            f"ordinal data)") from None
        order = np.argsort(values, kind="stable")
        cats = [cats[i] for i in order]
        values = values[order]
    if measurement == "ratio" and values is not None and (values < 0).any():
        raise DataError("reliability_data: ratio codes must be >= 0")
    pos = {c: i for i, c in enumerate(cats)}
    n_cat = len(cats)
    counts = np.zeros((raw.shape[1], n_cat))  # units x categories
    for i, j in zip(*np.nonzero(~missing), strict=True):
        counts[j, pos[raw[i, j]]] += 1
    m_u = counts.sum(axis=1)
    pairable = m_u >= 2
    counts, m_u = counts[pairable], m_u[pairable]
    n_units = int(pairable.sum())
    if n_units == 0:
        raise DataError("reliability_data: no unit has codes from two or more coders")
    inv = 1.0 / (m_u - 1)
    # per-unit coincidences: (N_u N_u' - diag N_u) / (m_u - 1), as a (units, C*C) matrix
    per_unit = (np.einsum("u,uc,uk->uck", inv, counts, counts)
                - np.einsum("u,uc,ck->uck", inv, counts, np.eye(n_cat))).reshape(n_units, -1)
    o = per_unit.sum(axis=0).reshape(n_cat, n_cat)
    estimate = float(_alpha_from_coincidences(o, values, measurement))
    rng = np.random.default_rng(check_seed(seed))
    weights = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot)
    o_boot = (weights @ per_unit).reshape(n_boot, n_cat, n_cat)
    reps = _alpha_from_coincidences(o_boot, values, measurement)
    finite = np.isfinite(reps)
    result = AgreementResult(
        statistic="krippendorff_alpha", estimate=estimate,
        se=float(np.std(reps[finite], ddof=1)) if finite.sum() > 1 else math.nan,
        ci_low=math.nan, ci_high=math.nan, level=level, method="bootstrap",
        measurement=measurement, n_units=n_units, n_coders=int(raw.shape[0]),
        n_values=int(m_u.sum()), n_missing=int(raw.shape[1] - n_units),
        n_boot=int(finite.sum()), observed_agreement=float(np.trace(o) / o.sum()),
        replicates=reps,
    )
    lo, hi = result._interval(check_level(level)) if finite.any() else (math.nan, math.nan)
    return _replace(result, ci_low=lo, ci_high=hi)


# --------------------------------------------------------------------------------------------
# Shares with simultaneous intervals
# --------------------------------------------------------------------------------------------


def _score_bounds(x: np.ndarray, n: np.ndarray | float, a: float) -> tuple[np.ndarray, np.ndarray]:
    """Quesenberry-Hurst / Goodman / Wilson form: (a + 2x -+ sqrt(a(a + 4x(n - x)/n))) /
    (2(n + a)); broadcasts over arrays of counts."""
    root = np.sqrt(a * (a + 4 * x * (n - x) / n))
    return (a + 2 * x - root) / (2 * (n + a)), (a + 2 * x + root) / (2 * (n + a))


def _truncated_poisson_moments(lam: np.ndarray, c: int, n: int) -> tuple[np.ndarray, ...]:
    """For X_i ~ Poisson(lam_i) truncated to [max(lam_i - c, 0), min(lam_i + c, n)] (lam_i the
    observed counts): P(X_i in the box), the mean and central moments 2-4, by direct sums over
    the support (all categories at once)."""
    offsets = np.arange(-c, c + 1, dtype=float)
    support = lam[:, None] + offsets[None, :]
    inside = (support >= 0) & (support <= n)
    k = np.where(inside, support, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logpmf = k * np.log(np.where(lam > 0, lam, 1.0))[:, None] - lam[:, None] - gammaln(k + 1)
    pmf = np.where(inside, np.exp(logpmf), 0.0)
    zero = lam == 0  # Poisson(0) sits at 0
    pmf[zero] = np.where(support[zero] == 0, 1.0, 0.0)
    prob = pmf.sum(axis=1)
    q = pmf / prob[:, None]
    mean = (q * k).sum(axis=1)
    d = np.where(inside, k - mean[:, None], 0.0)
    return (prob, mean, (q * d**2).sum(axis=1), (q * d**3).sum(axis=1),
            (q * d**4).sum(axis=1))


def _sison_glaz_nu(x: np.ndarray, n: int, c: int) -> float:
    """Sison & Glaz's (1995) approximation of P(x_i - c <= X_i <= x_i + c for all i) under
    Multinomial(n, x/n): Poisson(x_i) truncated to the box, the sum's density at n by an
    Edgeworth expansion, times n! / (n^n e^-n)."""
    prob, mean, m2, m3, m4 = _truncated_poisson_moments(x, c, n)
    s2 = m2.sum()
    g1 = m3.sum() / s2**1.5
    g2 = (m4.sum() - 3 * (m2**2).sum()) / s2**2
    z = (n - mean.sum()) / math.sqrt(s2)
    h3, h4, h6 = z**3 - 3 * z, z**4 - 6 * z**2 + 3, z**6 - 15 * z**4 + 45 * z**2 - 15
    f = (math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
         * (1 + g1 * h3 / 6 + g2 * h4 / 24 + g1**2 * h6 / 72) / math.sqrt(s2))
    log_scale = float(gammaln(n + 1) - n * math.log(n) + n)  # log(n! / (n^n e^-n))
    with np.errstate(divide="ignore"):
        return float(np.exp(np.log(prob).sum() + log_scale) * f)


def _sison_glaz(x: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    n = int(x.sum())
    c, nu_c = 0, 0.0  # the degenerate box c = 0 has coverage 0 (as R's MultinomialCI)
    nu_next = _sison_glaz_nu(x, n, 1) if n > 1 else 1.0
    while not (nu_c <= level < nu_next):
        if c > n:  # pragma: no cover - nu reaches 1 at c >= n
            raise DataError("multinomial_ci: no Sison-Glaz solution for these counts")
        c += 1
        nu_c = nu_next
        nu_next = _sison_glaz_nu(x, n, c + 1) if c + 1 < n else 1.0
    gamma = (level - nu_c) / (nu_next - nu_c)
    p = x / n
    return np.maximum(p - c / n, 0.0), np.minimum(p + (c + 2 * gamma) / n, 1.0)


def _counts_series(counts: Any) -> pd.Series:
    if isinstance(counts, pd.Series):
        s = counts.copy()
    elif isinstance(counts, Mapping):
        s = pd.Series(dict(counts))
    else:
        s = pd.Series(np.asarray(counts))
    if s.ndim != 1 or len(s) < 2:
        raise DataError(f"counts: need at least 2 categories, got {len(s)}")
    values = pd.to_numeric(s, errors="coerce")
    bad = values.isna() | (values < 0) | (values != np.round(values))
    if bad.any():
        raise DataError(f"counts: category(ies) {list(s.index[bad.to_numpy()][:5])} must have "
                        f"whole, non-negative counts; got {list(s[bad].iloc[:5])}")
    if values.sum() <= 0:
        raise DataError("counts: all counts are zero")
    return values.astype(float)


def multinomial_ci(
    counts: pd.Series | Mapping[Any, float] | Sequence[float] | np.ndarray,
    method: Literal["sison_glaz", "goodman", "quesenberry_hurst", "wilson"] = "sison_glaz",
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Intervals for the shares of k categories that hold *simultaneously* at ``level``.

    With counts :math:`x_i`, :math:`n = \sum x_i` and :math:`\hat p_i = x_i / n`:

    - ``"sison_glaz"`` (Sison & Glaz 1995, *JASA* 90, 366-369): the box
      :math:`[\hat p_i - c/n,\ \hat p_i + (c + 2\gamma)/n]` with the smallest integer c
      whose coverage :math:`\nu(c) \le` level :math:`< \nu(c+1)`, :math:`\nu` approximated from
      truncated Poisson moments and an Edgeworth expansion, and :math:`\gamma =
      (\text{level} - \nu(c)) / (\nu(c+1) - \nu(c))`. Good with many small categories.
    - ``"goodman"`` (Goodman 1965, *Technometrics* 7, 247-254): score intervals with
      :math:`A = \chi^2_{1}(1 - \alpha/k)` (Bonferroni over the k shares),
      :math:`[A + 2x_i \mp \sqrt{A(A + 4 x_i (n - x_i)/n)}] / [2(n + A)]`.
    - ``"quesenberry_hurst"`` (Quesenberry & Hurst 1964, *Technometrics* 6, 191-195): the same
      form with :math:`A = \chi^2_{k-1}(1 - \alpha)` (conservative).
    - ``"wilson"``: each share's own Wilson interval, :math:`A = z^2` -- **not simultaneous**,
      shown to compare.

    Parameters
    ----------
    counts : Series, mapping or sequence
        Counts per category (the index or keys name the categories).
    method : str
        One of the methods above.
    level : float
        Simultaneous confidence level.

    Returns
    -------
    DataFrame
        One row per category: ``category``, ``count``, ``n``, ``estimate`` (share, 0-1),
        ``ci_low``, ``ci_high``, ``level``, ``method``, ``simultaneous``.

    References
    ----------
    Sison, C. P. & Glaz, J. (1995). Simultaneous confidence intervals and sample size
    determination for multinomial proportions. *JASA* 90, 366-369. Goodman, L. A. (1965). On
    simultaneous confidence intervals for multinomial proportions. *Technometrics* 7, 247-254.
    Quesenberry, C. P. & Hurst, D. C. (1964). Large sample simultaneous confidence intervals
    for multinomial proportions. *Technometrics* 6, 191-195. Wilson, E. B. (1927). *JASA* 22,
    209-212.

    Examples
    --------
    Sison & Glaz's (1995) first example (n = 467 in 7 categories):

    >>> t = multinomial_ci([56, 72, 73, 59, 62, 87, 58], method="goodman")
    >>> t[["ci_low", "ci_high"]].iloc[0].round(3).tolist()
    [0.085, 0.166]
    >>> t = multinomial_ci([56, 72, 73, 59, 62, 87, 58], method="sison_glaz")
    >>> t[["ci_low", "ci_high"]].iloc[0].round(4).tolist()
    [0.0792, 0.1643]
    """
    level = check_level(level)
    if method not in MULTINOMIAL_METHODS:
        raise DataError(f"method must be one of {list(MULTINOMIAL_METHODS)}, got {method!r}")
    s = _counts_series(counts)
    x = s.to_numpy()
    n = x.sum()
    k = len(x)
    if method == "sison_glaz":
        lo, hi = _sison_glaz(x, level)
    else:
        alpha = 1 - level
        a = {"goodman": stats.chi2.ppf(1 - alpha / k, 1),
             "quesenberry_hurst": stats.chi2.ppf(1 - alpha, k - 1),
             "wilson": stats.chi2.ppf(1 - alpha, 1)}[method]
        lo, hi = _score_bounds(x, n, float(a))
    return pd.DataFrame({
        "category": s.index.to_list(),
        "count": x.astype(int),
        "n": int(n),
        "estimate": x / n,
        "ci_low": np.clip(lo, 0.0, 1.0),
        "ci_high": np.clip(hi, 0.0, 1.0),
        "level": level,
        "method": method,
        "simultaneous": method != "wilson",
    })


# --------------------------------------------------------------------------------------------
# Sample size
# --------------------------------------------------------------------------------------------


def sample_size_share(
    margin: float,
    *,
    level: float = 0.95,
    proportion: float | None = None,
    method: Literal["wald", "thompson"] = "wald",
    k: int | None = None,
    deff: float = 1.0,
) -> int:
    r"""Answers needed to estimate a share to within ±``margin`` (a share: 0.05 = 5 points).

    - ``"wald"``: one share, :math:`n = z^2 p(1 - p)\,\text{deff} / d^2` (worst case
      p = 0.5 when ``proportion`` is not given).
    - ``"thompson"``: *every* share of a k-category multinomial within ±d at once
      (Thompson 1987, *The American Statistician* 41, 42-46):
      :math:`n = \max_{1 \le m \le k} z^2_{1 - \alpha/(2m)} \tfrac1m (1 - \tfrac1m) / d^2`,
      the worst case over all true shares (``k=None``: any number of categories).

    ``deff`` multiplies n for a clustered or weighted design (Kish 1965). The result is rounded
    up.

    Parameters
    ----------
    margin : float
        Half-width wanted, as a share (0.05 = 5 points).
    level : float, default 0.95
        Confidence level.
    proportion : float, optional
        Expected share (``'wald'`` only; default the worst case 0.5).
    method : {'wald', 'thompson'}, default 'wald'
        One share or all shares at once.
    k : int, optional
        Number of categories (``'thompson'``; default any).
    deff : float, default 1.0
        Design effect.

    Returns
    -------
    int
        Answers needed.

    References
    ----------
    Thompson, S. K. (1987). Sample size for estimating multinomial proportions. *The American
    Statistician* 41, 42-46. Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> sample_size_share(0.05), sample_size_share(0.05, proportion=0.2)
    (385, 246)
    >>> sample_size_share(0.05, method="thompson")  # Thompson (1987): 510 at 95%
    510
    """
    level = check_level(level)
    if not 0 < margin < 1:
        raise DataError(f"margin must be a share between 0 and 1 (0.05 for ±5 points), "
                        f"got {margin!r}")
    if not deff > 0:
        raise DataError(f"deff must be > 0, got {deff!r}")
    alpha = 1 - level
    if method == "wald":
        p = 0.5 if proportion is None else float(proportion)
        if not 0 <= p <= 1:
            raise DataError(f"proportion must be between 0 and 1, got {proportion!r}")
        n = z_crit(level) ** 2 * p * (1 - p) * deff / margin**2
    elif method == "thompson":
        if proportion is not None:
            raise DataError("proportion= is not used with method='thompson' (worst case)")
        if k is not None and k < 2:
            raise DataError(f"k must be >= 2 categories, got {k!r}")
        m = np.arange(1, (k if k is not None else 1000) + 1, dtype=float)
        z2 = stats.norm.ppf(1 - alpha / (2 * m)) ** 2
        n = float(np.max(z2 * (1 / m) * (1 - 1 / m))) * deff / margin**2
    else:
        raise DataError(f"method must be 'wald' or 'thompson', got {method!r}")
    return math.ceil(n - 1e-9)


def sample_size_shares_table(
    margins: Sequence[float] = (0.10, 0.075, 0.05, 0.03),
    *,
    k: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Answers needed for one share and for all shares at once, for several margins.

    Parameters
    ----------
    margins : sequence of float
        Half-widths, as shares.
    k : int, optional
        Number of categories (default any).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per margin: one share and all shares at once.

    References
    ----------
    Thompson, S. K. (1987). Sample size for estimating multinomial proportions. *The American
    Statistician* 41, 42-46.

    Examples
    --------
    >>> sample_size_shares_table((0.10, 0.05), k=7)["all shares at once (Thompson)"].tolist()
    [128, 510]
    """
    return pd.DataFrame({
        "margin (± points)": [round(100 * d, 1) for d in margins],
        "one share (worst case)": [sample_size_share(d, level=level) for d in margins],
        "all shares at once (Thompson)": [sample_size_share(d, level=level, method="thompson",
                                                            k=k) for d in margins],
    })


# --------------------------------------------------------------------------------------------
# Each function beside its reference
# --------------------------------------------------------------------------------------------


def reference_checks(data: pd.DataFrame | None = None,
                     coders: Sequence[str] = ("coder_1", "coder_2")) -> pd.DataFrame:
    """Each function of this module beside an independent reference, on published examples
    (and, with ``data`` holding two coders' codes, on those codes).

    References: scikit-learn ``cohen_kappa_score`` and statsmodels ``cohens_kappa`` (called
    here); Krippendorff (2011) and the ``krippendorff`` package 0.9.0 (values pinned; the
    package is not a dependency); statsmodels ``multinomial_proportions_confint`` (called
    here), Sison & Glaz (1995) and R's MultinomialCI (pinned); Thompson (1987).

    Returns one row per check: ``function``, ``example``, ``quantity``, ``ours``,
    ``reference``, ``source``.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Two coders' codes to check as well.
    coders : sequence of two str, default ('coder_1', 'coder_2')
        The coders' columns.

    Returns
    -------
    pandas.DataFrame
        One row per check.

    Examples
    --------
    >>> t = reference_checks()
    >>> bool((t["ours"] - t["reference"]).abs().max() < 5e-4)
    True
    """
    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import cohens_kappa as sm_kappa
    from statsmodels.stats.proportion import multinomial_proportions_confint

    rows: list[dict[str, Any]] = []

    def add(function: str, example: str, quantity: str, ours: float, ref: float,
            source: str) -> None:
        rows.append({"function": function, "example": example, "quantity": quantity,
                     "ours": float(ours), "reference": float(ref), "source": source})

    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    k = cohen_kappa(a, b)
    ref = sm_kappa(pd.crosstab(pd.Series(a), pd.Series(b)).to_numpy())
    ex = "50 units, yes/no (p_o = .7, p_e = .5)"
    add("cohen_kappa", ex, "kappa", k.estimate, cohen_kappa_score(a, b),
        "scikit-learn cohen_kappa_score")
    add("cohen_kappa", ex, "ci_low", k.ci_low, ref.kappa_low, "statsmodels cohens_kappa")
    add("cohen_kappa", ex, "ci_high", k.ci_high, ref.kappa_upp, "statsmodels cohens_kappa")
    if data is not None and all(c in data.columns for c in coders):
        both = data[list(coders)].dropna()
        if len(both) >= 2:
            k = cohen_kappa(both.iloc[:, 0], both.iloc[:, 1])
            add("cohen_kappa", f"these data ({len(both)} answers)", "kappa", k.estimate,
                cohen_kappa_score(both.iloc[:, 0].astype(str), both.iloc[:, 1].astype(str)),
                "scikit-learn cohen_kappa_score")
    example = krippendorff_2011_example()
    published = {"nominal": (0.743, 0.743421052631579), "interval": (0.849, 0.8491071428571428)}
    for measurement, (paper, package) in published.items():
        alpha = krippendorff_alpha(example, measurement=measurement, n_boot=2).estimate
        add("krippendorff_alpha", "Krippendorff (2011): 4 coders x 12 units, missing codes",
            f"alpha, {measurement}", alpha, paper, "Krippendorff (2011), published")
        add("krippendorff_alpha", "Krippendorff (2011): 4 coders x 12 units, missing codes",
            f"alpha, {measurement}", alpha, package, "krippendorff 0.9.0 (pinned)")
    counts = [56, 72, 73, 59, 62, 87, 58]
    ex = "Sison & Glaz (1995) example 1, first category"
    for method, sm_name, published_ci, source in (
            ("sison_glaz", "sison-glaz", (0.07922912, 0.1643361), "R MultinomialCI (pinned)"),
            ("goodman", "goodman", (0.085, 0.166), "Sison & Glaz (1995), printed")):
        ours = multinomial_ci(counts, method=method)  # type: ignore[arg-type]
        theirs = multinomial_proportions_confint(counts, 0.05, method=sm_name)
        for j, q in enumerate(("ci_low", "ci_high")):
            add("multinomial_ci", ex, f"{method} {q}", ours[q].iloc[0], theirs[0, j],
                "statsmodels multinomial_proportions_confint")
            add("multinomial_ci", ex, f"{method} {q}", ours[q].iloc[0], published_ci[j], source)
    add("sample_size_share", "every share within ±5 points, 95%", "n",
        sample_size_share(0.05, method="thompson"), 510, "Thompson (1987)")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# The coding frame for "who should drive CX?"
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    """One category of a coding frame: key, label in words, definition, decision rule and
    made-up examples.

    Examples
    --------
    >>> WHO_DRIVES_CX.codes[0].key, WHO_DRIVES_CX.codes[0].label
    ('ceo', 'CEO')
    """

    key: str
    label: str
    definition: str
    rule: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class CodingFrame(Result):
    """An ordered set of codes; ``question`` is the open question they code.

    Examples
    --------
    >>> WHO_DRIVES_CX.keys[:3]
    ['ceo', 'coo', 'cmo']
    >>> WHO_DRIVES_CX.normalise(pd.Series(["CEO", " everyone "]), "coder_1").tolist()
    ['ceo', 'everyone']
    """

    question: str
    codes: tuple[Code, ...]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.codes]

    @property
    def labels(self) -> dict[str, str]:
        """Key -> label in words."""
        return {c.key: c.label for c in self.codes}

    def to_frame(self) -> pd.DataFrame:
        """One row per code: key, label, definition, rule, examples."""
        return pd.DataFrame([{"code": c.key, "label": c.label, "definition": c.definition,
                              "decision rule": c.rule, "examples (made up)": " | ".join(
                                  c.examples)} for c in self.codes])

    def summary(self) -> str:
        """One line: the question and its codes."""
        return f"{self.question}: {len(self.codes)} codes ({', '.join(self.keys)})"

    def normalise(self, values: pd.Series, column: str, where: str = "data") -> pd.Series:
        """Map keys or labels (any case, stray spaces) to keys; NaN stays NaN; anything else
        raises :class:`DataError` naming the column and rows."""
        lookup = {}
        for c in self.codes:
            lookup[c.key.lower()] = c.key
            lookup[c.label.lower()] = c.key
        text = values.astype("string").str.strip().str.lower()
        mapped = text.map(lookup)
        bad = text.notna() & (text != "") & mapped.isna()
        if bad.any():
            rows = first_rows(bad, values.index)
            shown = list(values[bad.to_numpy()].iloc[:5])
            raise DataError(f"{where}: column {column!r}: {int(bad.sum())} code(s) not in the "
                            f"coding frame at rows {rows}: {shown}; allowed: {self.keys}")
        return mapped.astype(object).where(mapped.notna(), np.nan)


WHO_DRIVES_CX = CodingFrame(
    question="Who should drive customer experience?",
    codes=(
        Code("ceo", "CEO",
             "The chief executive (or 'the top', 'the boss of the company') should drive CX.",
             "Code the CEO when the answer names the chief executive as the driver, even if it "
             "adds that others take part.",
             ("The CEO. If it doesn't come from the top it won't stick.",
              "Whoever runs the company: priorities and budgets are set there.")),
        Code("coo", "COO",
             "The chief operating officer or head of operations should drive CX.",
             "Code the COO when operations, delivery or the COO is named as the driver.",
             ("The COO, because operations is where the experience is delivered.",)),
        Code("cmo", "CMO",
             "The chief marketing officer or the marketing function should drive CX.",
             "Code the CMO when marketing or the brand owner is named as the driver.",
             ("Marketing owns the brand promise, so the CMO.",)),
        Code("cxo", "Chief customer / experience officer",
             "A dedicated CX executive: chief customer officer, chief experience officer or a "
             "head of CX with a seat at the top table.",
             "Code here when a dedicated customer or experience executive is named, whatever "
             "the exact title.",
             ("A chief customer officer who reports to the CEO.",
              "A dedicated CX leader with real authority across functions.")),
        Code("everyone", "Everyone",
             "CX is a shared responsibility of all staff or all functions; no single owner.",
             "Code 'everyone' when the answer spreads ownership across the whole organisation; "
             "if it names a leader first and adds 'but everyone', code the leader.",
             ("Everyone. Every employee touches the customer somehow.",
              "All of us, it can't sit in one department.")),
        Code("person_not_title", "The person, not the title",
             "Who drives CX depends on the individual's passion, influence or skill, not on "
             "the role or title.",
             "Code here when the answer says the individual matters more than the role; "
             "'it depends on the company' (stage, size, industry) is Other.",
             ("The individual matters more than the job title.",
              "Whoever has the passion and the clout, whatever their role.")),
        Code("other", "Other",
             "Any other owner (sales, product, service, the board, customers themselves), "
             "several roles named equally, 'it depends' on the company, or no answer to the "
             "question.",
             "Code 'other' when no category above fits, or two or more roles are named as "
             "equal co-owners.",
             ("The head of customer service.", "It depends on the industry and the stage.")),
    ),
)


# --------------------------------------------------------------------------------------------
# Reading a poll export and resolving two coders' codes
# --------------------------------------------------------------------------------------------


def _find_poll_file(path: Path) -> Path:
    if path.is_dir():
        preferred = path / "poll.csv"
        if preferred.is_file():
            return preferred
        csvs = sorted(path.glob("*.csv"))
        if len(csvs) != 1:
            raise DataError(f"{path.name}: expected poll.csv or exactly one CSV file in the "
                            f"folder, found {[p.name for p in csvs]}")
        return csvs[0]
    if not path.is_file():
        raise DataError(f"{path}: no such file or folder")
    return path


def read_coded_answers(
    path: str | Path,
    *,
    coding_frame: CodingFrame = WHO_DRIVES_CX,
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a poll export: one row per answer, its text and one or two coders' codes.

    The CSV (UTF-8) needs the columns ``answer`` and ``coder_1``; ``coder_2`` (a second
    coder, possibly for a subset of answers), ``adjudicated`` (the agreed code where the coders
    differed) and ``answer_id`` are optional. ``columns`` renames the file's columns to these
    names, e.g. ``{"Response": "answer", "Code A": "coder_1"}``. Codes are the frame's keys or
    labels, in any case. ``path`` may be a folder holding ``poll.csv`` (or a single CSV).

    Returns a new frame with ``answer_id``, ``answer`` and the code columns (codes as keys).
    Problems raise :class:`DataError` naming the file, the column and the first rows.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV file or a folder holding ``poll.csv``.
    coding_frame : CodingFrame, default WHO_DRIVES_CX
        The codes (keys, labels in words).
    columns : mapping, optional
        Renames the file's columns to the names above.

    Returns
    -------
    pandas.DataFrame
        ``answer_id``, ``answer`` and the code columns (keys).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "poll.csv").write_text("answer,coder_1,coder_2\\nThe CEO,CEO,ceo\\n"
    ...                                 "All of us,everyone,Everyone\\n")
    >>> read_coded_answers(d)[["coder_1", "coder_2"]].to_numpy().tolist()
    [['ceo', 'ceo'], ['everyone', 'everyone']]
    >>> _ = (d / "poll.csv").write_text("answer,coder_1\\nThe CEO,boss\\n")
    >>> read_coded_answers(d)
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: poll.csv: column 'coder_1': 1 code(s) not in the coding
        frame at rows [0]: ['boss']; allowed: [...]
    """
    file = _find_poll_file(Path(path))
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=True, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{file.name}: not valid UTF-8; re-save the file as UTF-8") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{file.name}: the file is empty (no header row)") from None
    except pd.errors.ParserError as exc:
        raise DataError(f"{file.name}: could not parse the CSV ({str(exc).strip()})") from None
    data = raw.rename(columns=dict(columns or {}))
    data.columns = [str(c).strip() for c in data.columns]
    missing = [c for c in ("answer", "coder_1") if c not in data.columns]
    if missing:
        raise DataError(f"{file.name}: column(s) {missing} not found; available: "
                        f"{list(data.columns)[:30]} (rename with columns=)")
    if data.empty:
        raise DataError(f"{file.name}: no answers (only a header row)")
    out = pd.DataFrame(index=pd.RangeIndex(len(data)))
    ids = data["answer_id"] if "answer_id" in data.columns else pd.Series(
        [f"a{i + 1:03d}" for i in range(len(data))])
    dup = ids.duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataError(f"{file.name}: column 'answer_id': duplicate ids at rows "
                        f"{first_rows(dup, out.index)}")
    out["answer_id"] = ids.to_numpy()
    out["answer"] = data["answer"].fillna("").to_numpy()
    for col in ("coder_1", "coder_2", "adjudicated"):
        if col in data.columns:
            out[col] = coding_frame.normalise(data[col].reset_index(drop=True), col, file.name)
    empty = out["coder_1"].isna().to_numpy()
    if empty.any():
        raise DataError(f"{file.name}: column 'coder_1': {int(empty.sum())} answer(s) without a "
                        f"code at rows {first_rows(empty, out.index)}; every answer needs a "
                        "first code")
    out.attrs["source"] = file.name
    return out


def resolve_codes(
    data: pd.DataFrame,
    coders: Sequence[str] = ("coder_1", "coder_2"),
    adjudicator: str = "adjudicated",
) -> pd.DataFrame:
    """Final codes from two coders: agreed codes stand, disagreements go to the adjudicator.

    Adds ``code`` and ``resolution`` to a copy of ``data``: ``"agreed"`` (both coders gave the
    code), ``"adjudicated"`` (they differed and the ``adjudicator`` column decided),
    ``"single coder"`` (only one coder coded the answer) or ``"unresolved"`` (they differed and
    there is no adjudicated code: ``code`` is ``"unresolved"``, kept visible rather than
    guessed).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer.
    coders : sequence of two str, default ('coder_1', 'coder_2')
        The coders' columns.
    adjudicator : str, default 'adjudicated'
        The column of agreed codes where the coders differed.

    Returns
    -------
    pandas.DataFrame
        A copy of ``data`` with ``code`` and ``resolution``.

    Examples
    --------
    >>> d = pd.DataFrame({"coder_1": ["ceo", "ceo", "cmo"], "coder_2": ["ceo", "coo", None],
    ...                   "adjudicated": [None, "coo", None]})
    >>> resolve_codes(d)[["code", "resolution"]].to_numpy().tolist()
    [['ceo', 'agreed'], ['coo', 'adjudicated'], ['cmo', 'single coder']]
    """
    present = [c for c in coders if c in data.columns]
    if not present:
        raise DataError(f"data: none of the coder columns {list(coders)} found")
    out = data.copy()
    first = out[present[0]]
    second = out[present[1]] if len(present) > 1 else pd.Series(np.nan, index=out.index)
    adj = out[adjudicator] if adjudicator in out.columns else pd.Series(np.nan, index=out.index)
    both = first.notna() & second.notna()
    agree = both & (first == second)
    differ = both & (first != second)
    code = first.where(first.notna(), second).astype(object)
    resolution = pd.Series("single coder", index=out.index, dtype=object)
    resolution[agree] = "agreed"
    decided = differ & adj.notna()
    code[decided] = adj[decided]
    resolution[decided] = "adjudicated"
    open_ = differ & adj.isna()
    code[open_] = "unresolved"
    resolution[open_] = "unresolved"
    none = first.isna() & second.isna()
    if none.any():
        raise DataError(f"data: columns {present}: no code at rows {first_rows(none, out.index)}")
    out["code"] = code
    out["resolution"] = resolution
    return out


def agreement_table(
    data: pd.DataFrame,
    coders: Sequence[str] = ("coder_1", "coder_2"),
    coding_frame: CodingFrame = WHO_DRIVES_CX,
) -> pd.DataFrame:
    """Cross-table of two coders' codes (rows: first coder, columns: second), labels in words,
    every code of the frame shown, answers coded by both only.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer.
    coders : sequence of two str, default ('coder_1', 'coder_2')
        The coders' columns.
    coding_frame : CodingFrame, default WHO_DRIVES_CX
        The codes (keys, labels in words).

    Returns
    -------
    pandas.DataFrame
        Counts, first coder's labels as rows, second coder's as columns.

    Examples
    --------
    >>> d = pd.DataFrame({"coder_1": ["ceo", "ceo"], "coder_2": ["ceo", "coo"]})
    >>> int(agreement_table(d).loc["CEO", "COO"])
    1
    """
    a, b = coders
    both = data[[a, b]].dropna()
    labels = coding_frame.labels
    cats = pd.CategoricalDtype(coding_frame.keys)
    table = pd.crosstab(both[a].astype(cats), both[b].astype(cats), dropna=False)
    table.index = [labels[k] for k in table.index]
    table.columns = [labels[k] for k in table.columns]
    table.index.name, table.columns.name = f"{a} \u2193", f"{b} \u2192"
    return table


def code_shares(
    data: pd.DataFrame,
    column: str = "code",
    *,
    coding_frame: CodingFrame = WHO_DRIVES_CX,
    method: Literal["sison_glaz", "goodman", "quesenberry_hurst", "wilson"] = "sison_glaz",
    level: float = 0.95,
) -> pd.DataFrame:
    """Shares of each code (every code of the frame, zeros included, and ``"unresolved"`` if
    any) with :func:`multinomial_ci`; ``label`` gives the code in words.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer.
    column : str, default 'code'
        The column of final codes.
    coding_frame : CodingFrame, default WHO_DRIVES_CX
        The codes (keys, labels in words).
    method : {'sison_glaz', 'goodman', 'quesenberry_hurst', 'wilson'}, default 'sison_glaz'
        Interval method (see :func:`multinomial_ci`).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per code: counts, shares and intervals.

    References
    ----------
    Sison, C. P. & Glaz, J. (1995). Simultaneous confidence intervals and sample size determination
    for multinomial proportions. *Journal of the American Statistical Association* 90, 366-369.

    Examples
    --------
    >>> d = pd.DataFrame({"code": ["ceo"] * 6 + ["everyone"] * 4})
    >>> code_shares(d, method="goodman").set_index("category")["count"].tolist()
    [6, 0, 0, 0, 4, 0, 0]
    """
    if column not in data.columns:
        raise DataError(f"data: column {column!r} not found; available: {list(data.columns)}")
    keys = coding_frame.keys + (["unresolved"] if (data[column] == "unresolved").any() else [])
    unknown = ~data[column].isin(keys)
    if unknown.any():
        raise DataError(f"data: column {column!r}: codes not in the frame at rows "
                        f"{first_rows(unknown, data.index)}: "
                        f"{list(data.loc[unknown, column].iloc[:5])}")
    counts = data[column].value_counts().reindex(keys, fill_value=0)
    table = multinomial_ci(counts, method=method, level=level)
    labels = {**coding_frame.labels, "unresolved": "Unresolved (coders differ)"}
    table.insert(1, "label", [labels[k] for k in table["category"]])
    return table
