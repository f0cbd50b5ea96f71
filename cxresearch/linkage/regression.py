"""Single-level regressions with honest standard errors, and the variable transforms they use.

- :func:`linkage_regression` -- OLS with cluster-robust (or heteroskedasticity-robust) standard
  errors, as a tidy frame;
- :func:`logit_associations` -- odds ratios of a 0/1 outcome (attrition, churn) per SD of each
  predictor;
- :func:`standardize`, :func:`log_percent` -- z-scores and ``100 ln(x)``.

The private helpers at the bottom (critical values and percentile tails at a confidence
``level``, dummy coding, the columns a formula uses) are shared by the other estimator modules
(:mod:`cxresearch.linkage.multilevel`, :mod:`cxresearch.linkage.mediation`,
:mod:`cxresearch.linkage.panel`,
:mod:`cxresearch.linkage.ownership`, :mod:`cxresearch.causal.did`), so that every interval in the
package is
computed one way.

Vocabulary (:mod:`cxresearch.core.validation`): ``level`` is the confidence level of every interval
(``ci_low`` / ``ci_high``), ``data`` the input frame, ``outcome`` the dependent column,
``cluster`` the column that observations are nested in.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_numeric,
)

__all__ = ["linkage_regression", "log_percent", "logit_associations", "standardize"]


# --------------------------------------------------------------------------------------------
# transforms
# --------------------------------------------------------------------------------------------


def standardize(values: pd.Series) -> pd.Series:
    """z-score a series with the sample SD (ddof=1), ignoring missing values.

    ``z = (x - mean(x)) / sd(x)``; raises :class:`~cxresearch.core.validation.DataError` when the
    SD is
    zero or undefined.

    Parameters
    ----------
    values : Series
        Numeric values.

    Returns
    -------
    Series
        The z-scores, same index and name.

    Examples
    --------
    >>> standardize(pd.Series([1.0, 2.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    sd = values.std(ddof=1)
    if not np.isfinite(sd) or sd == 0:
        raise DataError(f"column {values.name!r}: cannot standardize, SD is {sd}")
    return (values - values.mean()) / sd


def log_percent(values: pd.Series) -> pd.Series:
    """``100 * ln(x)``: differences are (log-)percent differences, for positive outcomes.

    A difference of ``d`` in log-percent is a ratio of ``exp(d / 100)``; for small ``d`` it is
    about ``d`` percent (e.g. cost to serve, contacts per customer). Log points are symmetric
    and additive, unlike percent changes (Törnqvist, Vartia & Vartia 1985, *The American
    Statistician* 39(1)). Non-positive values raise.

    Parameters
    ----------
    values : Series
        Positive numbers.

    Returns
    -------
    Series
        ``100 ln(x)``.

    References
    ----------
    Törnqvist, L., Vartia, P. & Vartia, Y. O. (1985). How should relative changes be measured?
    *The American Statistician* 39(1), 43-46.

    Examples
    --------
    >>> round(float(log_percent(pd.Series([1.0, 1.05])).diff().iloc[1]), 4)
    4.879
    """
    v = pd.to_numeric(values, errors="raise").astype(float)
    bad = v.notna() & (v <= 0)
    if bad.any():
        raise DataError(
            f"column {values.name!r}: {int(bad.sum())} non-positive value(s) at rows "
            f"{first_rows(bad, values.index)}; log-percent needs x > 0"
        )
    return 100 * np.log(v)


# --------------------------------------------------------------------------------------------
# OLS with cluster-robust standard errors
# --------------------------------------------------------------------------------------------


def linkage_regression(
    data: pd.DataFrame,
    formula: str,
    cluster: str | None = None,
    cov_type: str = "HC3",
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """OLS with cluster-robust (or heteroskedasticity-robust) standard errors, as a tidy frame.

    With ``cluster`` the sandwich is ``V = c (X'X)^-1 [sum_g X_g' e_g e_g' X_g] (X'X)^-1`` with
    ``c = G/(G-1) * (N-1)/(N-K)`` (Liang & Zeger 1986; Cameron & Miller 2015), and intervals use
    t with G - 1 degrees of freedom. Without it, ``cov_type`` (HC3 by default; MacKinnon & White
    1985) is used with t on the residual degrees of freedom. Few clusters (< 30-40) make
    cluster-robust SEs too small; the ``n_clusters`` column is there to check. Rows with a
    missing value in a column the formula uses (or in ``cluster``) are dropped first.

    Parameters
    ----------
    data : DataFrame
        One row per observation.
    formula : str
        A patsy formula, e.g. ``"y ~ x + C(industry)"``.
    cluster : str, optional
        The column that observations are nested in (firm ids); None for HC standard errors.
    cov_type : str
        statsmodels covariance type when ``cluster`` is None.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``term, estimate, se, t, p_value, ci_low, ci_high, n_obs, n_clusters``.

    References
    ----------
    Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. *Biometrika* 73(1), 13-22.
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372.
    MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix
    estimators with improved finite sample properties. *J. Econometrics* 29(3), 305-325.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200), "g": np.repeat(np.arange(20), 10)})
    >>> d["y"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> out = linkage_regression(d, "y ~ x", cluster="g")
    >>> round(float(out.loc[out.term == "x", "estimate"].iloc[0]), 2)
    0.43
    """
    import statsmodels.formula.api as smf
    from scipy import stats

    level = check_level(level)
    cols = [cluster] if cluster else []
    require_columns(data, cols)
    # Drop incomplete rows *before* patsy sees the data, so that categorical levels present only
    # in dropped rows (e.g. the first year when a lag is used) do not make the design singular.
    data = data.dropna(subset=_formula_columns(formula, data) + cols)
    model = smf.ols(formula, data)
    used_index = model.data.row_labels
    n = len(used_index)
    if cluster:
        groups = data.loc[used_index, cluster]
        if groups.isna().any():
            rows = first_rows(groups.isna(), groups.index)
            raise DataError(f"column {cluster!r}: missing cluster ids at rows {rows}")
        codes = pd.factorize(groups)[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes, "use_correction": True})
        n_clusters = int(codes.max() + 1)
        dof = n_clusters - 1
    else:
        fit = model.fit(cov_type=cov_type)
        n_clusters = n
        dof = int(fit.df_resid)
    t_crit = _t_crit(level, dof)
    out = pd.DataFrame(
        {
            "term": fit.params.index,
            "estimate": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
        }
    )
    out["t"] = out["estimate"] / out["se"]
    out["p_value"] = 2 * stats.t.sf(np.abs(out["t"]), dof)
    out["ci_low"] = out["estimate"] - t_crit * out["se"]
    out["ci_high"] = out["estimate"] + t_crit * out["se"]
    out["n_obs"] = n
    out["n_clusters"] = n_clusters
    return out


# --------------------------------------------------------------------------------------------
# logistic regression: odds ratios per SD
# --------------------------------------------------------------------------------------------


def logit_associations(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    controls: Sequence[str] = (),
    per_sd: bool = True,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Odds ratios of a 0/1 outcome (attrition, churn) for each predictor, with Wald intervals.

    A logistic regression ``logit P(y = 1) = a + sum_k b_k x_k + controls`` (statsmodels
    ``Logit``, Newton-Raphson; categorical controls as dummies). With ``per_sd`` numeric
    predictors are z-scored first, so odds ratios are per SD and comparable across predictors.
    Wald intervals ``exp(b +- z se)`` with ``z`` the normal quantile at ``level`` (Hosmer,
    Lemeshow & Sturdivant 2013, ch. 1-2). The real-data analogue of the linkage question: are
    employees who rate their experience higher less likely to leave, are customers who call
    service more often more likely to churn? A cross-sectional association, not an effect.

    Parameters
    ----------
    data : DataFrame
        One row per person.
    outcome : str
        A 0/1 column.
    predictors : sequence of str
        Numeric columns whose odds ratios are reported.
    controls : sequence of str
        Adjustment columns (numeric linearly, others as dummies); not reported.
    per_sd : bool
        z-score the predictors first (odds ratio per SD).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``term, odds_ratio, ci_low, ci_high, p_value, coef, se, n_obs, n_events``.

    References
    ----------
    Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). *Applied Logistic Regression*,
    3rd ed. Wiley.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=4000)})
    >>> d["y"] = (rng.random(4000) < 1 / (1 + np.exp(-(-1 + 0.5 * d["x"])))).astype(int)
    >>> logit_associations(d, "y", ["x"])["odds_ratio"].round(2).tolist()
    [1.66]
    """
    import statsmodels.api as sm
    from scipy import stats

    level = check_level(level)
    predictors, controls = list(predictors), list(controls)
    require_columns(data, [outcome, *predictors, *controls])
    require_numeric(data, [outcome, *predictors])
    d = data[[outcome, *predictors, *controls]].dropna()
    bad = ~d[outcome].isin([0, 1])
    if bad.any():
        raise DataError(
            f"column {outcome!r} must be 0/1; other values at rows {first_rows(bad, d.index)}"
        )
    x = d[predictors].astype(float)
    if per_sd:
        x = (x - x.mean()) / x.std(ddof=1)
    blocks = [x]
    for c in controls:
        if _is_numeric(d[c]):
            blocks.append(d[[c]].astype(float))
        else:
            blocks.append(_dummies(d[c], c).set_index(d.index))
    design = sm.add_constant(pd.concat(blocks, axis=1), has_constant="add")
    fit = sm.Logit(d[outcome].astype(float), design).fit(disp=0)
    z = _z_crit(level)
    out = pd.DataFrame({"term": predictors})
    out["coef"] = fit.params[predictors].to_numpy()
    out["se"] = fit.bse[predictors].to_numpy()
    out["odds_ratio"] = np.exp(out["coef"])
    out["ci_low"] = np.exp(out["coef"] - z * out["se"])
    out["ci_high"] = np.exp(out["coef"] + z * out["se"])
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["coef"] / out["se"]))
    out["n_obs"] = len(d)
    out["n_events"] = int(d[outcome].sum())
    return out[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "coef", "se", "n_obs",
                "n_events"]]


# --------------------------------------------------------------------------------------------
# shared private helpers (used by the other estimator modules)
# --------------------------------------------------------------------------------------------


def _upper(level: float) -> float:
    """Upper tail probability of a two-sided interval: 0.975 (exactly) for level 0.95."""
    return 0.5 + check_level(level) / 2


def _z_crit(level: float) -> float:
    """Normal critical value ``z_{(1 + level) / 2}`` (1.959963984540054 for 0.95)."""
    from scipy import stats

    return float(stats.norm.ppf(_upper(level)))


def _t_crit(level: float, dof: float) -> float:
    """Student t critical value ``t_{(1 + level) / 2, dof}``."""
    from scipy import stats

    return float(stats.t.ppf(_upper(level), dof))


def _tails(level: float) -> tuple[float, float]:
    """Quantiles of a percentile interval: ``((1 - level) / 2, (1 + level) / 2)``.

    The lower tail is rounded to 12 decimals so that 0.95 gives exactly (0.025, 0.975), the
    literal quantiles the bootstrap intervals have always used.
    """
    up = _upper(level)
    return round(0.5 - level / 2, 12), up


def _dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    """Treatment (drop-first) dummies of a categorical column, as floats."""
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def _is_numeric(values: pd.Series) -> bool:
    """Numeric and not boolean: enters a design matrix linearly, not as dummies."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _formula_columns(formula: str, data: pd.DataFrame) -> list[str]:
    """The columns of ``data`` a patsy formula uses: identifiers and ``Q("...")`` names.

    >>> _formula_columns('y ~ x + C(g) + Q("a b")', pd.DataFrame(columns=["y", "x", "g", "a b",
    ...                                                                    "z"]))
    ['y', 'x', 'g', 'a b']
    """
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula))
    tokens |= set(re.findall(r"""Q\(\s*["'](.+?)["']\s*\)""", formula))
    return [c for c in data.columns if c in tokens]


def _alpha_as_level(func: Callable[..., Any]) -> Callable[..., Any]:
    """Accept the old significance level ``alpha`` for one release as ``level = 1 - alpha``.

    Like :func:`cxresearch.core.validation.renamed`, with the value translated as well as the name;
    listed in the wrapper's ``__deprecated_keywords__`` with the others.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "alpha" in kwargs:
            if "level" in kwargs:
                raise TypeError(f"{func.__name__}() got both 'alpha' (deprecated) and 'level'")
            warnings.warn(
                f"{func.__name__}(): the keyword 'alpha' is deprecated and will be removed in "
                "the next release; use 'level' (the confidence level, level = 1 - alpha)",
                DeprecationWarning,
                stacklevel=2,
            )
            kwargs["level"] = 1 - kwargs.pop("alpha")
        return func(*args, **kwargs)

    wrapper.__deprecated_keywords__ = {  # type: ignore[attr-defined]
        **getattr(func, "__deprecated_keywords__", {}),
        "alpha": "level",
    }
    return wrapper
