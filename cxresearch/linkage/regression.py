"""Single-level regressions with honest standard errors, and the variable transforms they use.

- :func:`linkage_regression` -- OLS with cluster-robust (or heteroskedasticity-robust) standard
  errors, a :class:`RegressionResult`;
- :func:`logit_associations` -- odds ratios of a 0/1 outcome (attrition, churn) per SD of each
  predictor, an :class:`OddsRatioResult`;
- :func:`standardize`, :func:`log_percent` -- z-scores and ``100 ln(x)``.

The design-matrix helpers at the bottom (:func:`treatment_dummies`, :func:`is_numeric_column`,
:func:`formula_columns`) are shared by the other estimator modules
(:mod:`cxresearch.linkage.multilevel`, :mod:`cxresearch.linkage.mediation`,
:mod:`cxresearch.linkage.panel`), so that every design matrix of the package is built one way;
critical values come from the kernel, :mod:`cxresearch.core.inference`.

Vocabulary (:mod:`cxresearch.core.validation`): ``level`` is the confidence level of every interval
(``ci_low`` / ``ci_high``), ``data`` the input frame, ``outcome`` the dependent column,
``cluster`` the column that observations are nested in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.inference import t_crit, z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_numeric,
)

__all__ = [
    "OddsRatioResult",
    "RegressionResult",
    "formula_columns",
    "is_numeric_column",
    "linkage_regression",
    "log_percent",
    "logit_associations",
    "standardize",
    "treatment_dummies",
]


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RegressionResult(Result):
    """An OLS fit with robust or cluster-robust standard errors (:func:`linkage_regression`).

    Parameters
    ----------
    estimates : DataFrame
        ``term, estimate, se, t, p_value, ci_low, ci_high, n_obs, n_clusters``, one row per
        coefficient, with t intervals at ``level`` on ``dof`` degrees of freedom.
    formula : str
        The patsy formula fitted.
    dof : float
        Degrees of freedom of the t intervals (clusters - 1, or the residual df).
    cluster : str, optional
        The cluster column (None: heteroskedasticity-robust SEs).
    level : float
        Confidence level of the intervals in ``estimates``.

    Returns
    -------
    RegressionResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200), "g": np.repeat(np.arange(20), 10)})
    >>> d["y"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> fit = linkage_regression(d, "y ~ x", cluster="g")
    >>> fit.conf_int(0.9).set_index("term").loc["x", ["ci_low", "ci_high"]].round(2).tolist()
    [0.31, 0.56]
    """

    estimates: pd.DataFrame
    formula: str
    dof: float
    cluster: str | None = None
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per coefficient: term, estimate, se, t, p_value, ci_low, ci_high, n_obs,
        n_clusters."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """t intervals at ``level``: term, estimate, se, ci_low, ci_high, level."""
        lvl = check_level(level)
        t = t_crit(lvl, self.dof)
        out = self.estimates[["term", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - t * out["se"]
        out["ci_high"] = out["estimate"] + t * out["se"]
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """A line for the fit, then one per coefficient with its interval and p-value."""
        e = self.estimates
        n_obs = int(e["n_obs"].iloc[0]) if len(e) else 0
        se = (f"SEs clustered by {self.cluster!r} ({int(e['n_clusters'].iloc[0])} clusters)"
              if self.cluster and len(e) else "robust SEs")
        lines = [f"OLS {self.formula} (n={n_obs}; {se}; {100 * self.level:g}% CIs)"]
        for r in e.itertuples():
            lines.append(f"  {r.term}: {r.estimate:.4f} [{r.ci_low:.4f}, {r.ci_high:.4f}] "
                         f"p={r.p_value:.3g}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class OddsRatioResult(Result):
    """Odds ratios of a 0/1 outcome from a logistic regression (:func:`logit_associations`).

    Parameters
    ----------
    estimates : DataFrame
        ``term, odds_ratio, ci_low, ci_high, p_value, coef, se, n_obs, n_events``, one row per
        predictor, with Wald intervals ``exp(coef +- z se)`` at ``level``.
    outcome : str
        The 0/1 column.
    level : float
        Confidence level of the intervals in ``estimates``.

    Returns
    -------
    OddsRatioResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=4000)})
    >>> d["y"] = (rng.random(4000) < 1 / (1 + np.exp(-(-1 + 0.5 * d["x"])))).astype(int)
    >>> fit = logit_associations(d, "y", ["x"])
    >>> fit.conf_int(0.9)[["odds_ratio", "ci_low", "ci_high"]].round(2).values.tolist()
    [[1.66, 1.56, 1.77]]
    """

    estimates: pd.DataFrame
    outcome: str
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per predictor: term, odds_ratio, ci_low, ci_high, p_value, coef, se, n_obs,
        n_events."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals of the odds ratios at ``level``: term, odds_ratio, ci_low, ci_high,
        level."""
        lvl = check_level(level)
        z = z_crit(lvl)
        e = self.estimates
        out = e[["term", "odds_ratio"]].copy()
        out["ci_low"] = np.exp(e["coef"] - z * e["se"])
        out["ci_high"] = np.exp(e["coef"] + z * e["se"])
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """A line for the sample, then one per predictor with its odds ratio and interval."""
        e = self.estimates
        n_obs = int(e["n_obs"].iloc[0]) if len(e) else 0
        n_events = int(e["n_events"].iloc[0]) if len(e) else 0
        lines = [f"Logistic regression of {self.outcome} (n={n_obs}, {n_events} events; "
                 f"{100 * self.level:g}% CIs)"]
        for r in e.itertuples():
            lines.append(f"  {r.term}: odds ratio {r.odds_ratio:.3f} [{r.ci_low:.3f}, "
                         f"{r.ci_high:.3f}] p={r.p_value:.3g}")
        return "\n".join(lines)


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
) -> RegressionResult:
    """OLS with cluster-robust (or heteroskedasticity-robust) standard errors.

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
    RegressionResult
        ``to_frame()``: ``term, estimate, se, t, p_value, ci_low, ci_high, n_obs,
        n_clusters``; ``conf_int(level=)``, ``summary()``.

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
    >>> out = linkage_regression(d, "y ~ x", cluster="g").to_frame()
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
    data = data.dropna(subset=formula_columns(formula, data) + cols)
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
    t_mult = t_crit(level, dof)
    out = pd.DataFrame(
        {
            "term": fit.params.index,
            "estimate": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
        }
    )
    out["t"] = out["estimate"] / out["se"]
    out["p_value"] = 2 * stats.t.sf(np.abs(out["t"]), dof)
    out["ci_low"] = out["estimate"] - t_mult * out["se"]
    out["ci_high"] = out["estimate"] + t_mult * out["se"]
    out["n_obs"] = n
    out["n_clusters"] = n_clusters
    return RegressionResult(estimates=out, formula=formula, dof=float(dof), cluster=cluster,
                            level=level)


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
) -> OddsRatioResult:
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
    OddsRatioResult
        ``to_frame()``: ``term, odds_ratio, ci_low, ci_high, p_value, coef, se, n_obs,
        n_events``; ``conf_int(level=)``, ``summary()``.

    References
    ----------
    Hosmer, D. W., Lemeshow, S. & Sturdivant, R. X. (2013). *Applied Logistic Regression*,
    3rd ed. Wiley.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=4000)})
    >>> d["y"] = (rng.random(4000) < 1 / (1 + np.exp(-(-1 + 0.5 * d["x"])))).astype(int)
    >>> logit_associations(d, "y", ["x"]).to_frame()["odds_ratio"].round(2).tolist()
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
        if is_numeric_column(d[c]):
            blocks.append(d[[c]].astype(float))
        else:
            blocks.append(treatment_dummies(d[c], c).set_index(d.index))
    design = sm.add_constant(pd.concat(blocks, axis=1), has_constant="add")
    fit = sm.Logit(d[outcome].astype(float), design).fit(disp=0)
    z = z_crit(level)
    out = pd.DataFrame({"term": predictors})
    out["coef"] = fit.params[predictors].to_numpy()
    out["se"] = fit.bse[predictors].to_numpy()
    out["odds_ratio"] = np.exp(out["coef"])
    out["ci_low"] = np.exp(out["coef"] - z * out["se"])
    out["ci_high"] = np.exp(out["coef"] + z * out["se"])
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["coef"] / out["se"]))
    out["n_obs"] = len(d)
    out["n_events"] = int(d[outcome].sum())
    out = out[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "coef", "se", "n_obs",
               "n_events"]]
    return OddsRatioResult(estimates=out, outcome=outcome, level=level)


# --------------------------------------------------------------------------------------------
# design-matrix helpers (shared by the other estimator modules)
# --------------------------------------------------------------------------------------------


def treatment_dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    """Treatment (drop-first) dummies of a categorical column, as floats.

    One 0/1 column ``<prefix>_<level>`` per level but the first (in sorted order of the levels
    as strings), the coding patsy's ``C(x)`` uses, so that categorical controls enter every
    design matrix of the package one way.

    Parameters
    ----------
    values : Series
        The categorical column (any dtype; levels are compared as strings).
    prefix : str
        Prefix of the dummy columns' names.

    Returns
    -------
    DataFrame
        One float column per level but the first, same index as ``values``.

    Examples
    --------
    >>> treatment_dummies(pd.Series(["a", "b", "c", "b"]), "g")
       g_b  g_c
    0  0.0  0.0
    1  1.0  0.0
    2  0.0  1.0
    3  1.0  0.0
    """
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def is_numeric_column(values: pd.Series) -> bool:
    """Numeric and not boolean: the column enters a design matrix linearly, not as dummies.

    Parameters
    ----------
    values : Series
        A column.

    Returns
    -------
    bool
        True for an int or float column, False for text, categories and booleans.

    Examples
    --------
    >>> is_numeric_column(pd.Series([1, 2])), is_numeric_column(pd.Series([True, False]))
    (True, False)
    """
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def formula_columns(formula: str, data: pd.DataFrame) -> list[str]:
    """The columns of ``data`` a patsy formula uses: identifiers and ``Q("...")`` names.

    Used to drop incomplete rows on exactly the model's columns before a formula is fitted.

    Parameters
    ----------
    formula : str
        A patsy formula.
    data : DataFrame
        The frame the formula refers to.

    Returns
    -------
    list of str
        The columns of ``data`` named in ``formula``, in the order of ``data``.

    Examples
    --------
    >>> formula_columns('y ~ x + C(g) + Q("a b")', pd.DataFrame(columns=["y", "x", "g", "a b",
    ...                                                                   "z"]))
    ['y', 'x', 'g', 'a b']
    """
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula))
    tokens |= set(re.findall(r"""Q\(\s*["'](.+?)["']\s*\)""", formula))
    return [c for c in data.columns if c in tokens]
