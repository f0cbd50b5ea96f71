"""Firm-year panels of survey means: errors in variables, the linkage model, cross-lagged paths.

A firm-year EX or CX score is the mean of a few dozen answers, so it measures the firm's true
level with sampling error, and every regression on such means is attenuated. This module builds
the panel and corrects for that error:

- :func:`linkage_panel` -- the firm-year panel of EX and CX scores with the sampling variance of
  each mean (``ev_ex``, ``ev_cx``), from the employee and customer answers;
- :func:`mean_reliability`, :func:`true_score_z` -- reliability of the means and scores in
  true-score SD units; :func:`firm_means` -- unit means over all periods (for between-firm
  models), optionally z-scored or in log-percent;
- :func:`eiv_regression` -- method-of-moments errors-in-variables regression with fixed effects
  and clustered standard errors (Fuller 1987), an :class:`EIVResult`;
- :func:`linkage_model` -- the service-profit chain's first link, CX(t) on EX(t) and EX(t-1),
  within firms;
- :func:`cross_lagged_panel` -- which comes first? Every variable at t+1 on all at t (the design
  of Schneider, Hanges, Smith & Salvaggio 2003, *J. Applied Psychology* 88(5)), a
  :class:`CrossLaggedResult`;
- :func:`add_lags` -- lagged columns, pairing consecutive periods only.

All of these are correlational designs. A linkage coefficient is an association net of the
controls named; the cross-lagged panel orders effects in time but does not remove time-varying
confounders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.contract import CULTURE_ITEMS, ENGAGEMENT_ITEMS, ITEM_RANGES, REVERSE_KEYED
from cxresearch.core.inference import t_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.multilevel import group_scores
from cxresearch.linkage.regression import (
    is_numeric_column,
    log_percent,
    standardize,
    treatment_dummies,
)

__all__ = [
    "CrossLaggedResult",
    "EIVResult",
    "add_lags",
    "cross_lagged_panel",
    "eiv_regression",
    "firm_means",
    "linkage_model",
    "linkage_panel",
    "mean_reliability",
    "true_score_z",
]

#: the study's reverse-keyed items as ``{item: lo + hi}`` (recoded ``lo + hi - x``)
_REVERSE_TOTALS: dict[str, int] = {c: ITEM_RANGES[c][0] + ITEM_RANGES[c][1] for c in REVERSE_KEYED}


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


def _t_intervals(frame: pd.DataFrame, n_clusters: pd.Series, level: float) -> pd.DataFrame:
    """``estimate +- t_{(1 + level) / 2, G - 1} se`` per row, G the row's clusters."""
    lvl = check_level(level)
    t = np.array([t_crit(lvl, float(g) - 1) for g in n_clusters])
    out = frame.copy()
    out["ci_low"] = out["estimate"] - t * out["se"]
    out["ci_high"] = out["estimate"] + t * out["se"]
    out["level"] = lvl
    return out


@dataclass(frozen=True, eq=False)
class EIVResult(Result):
    """Errors-in-variables regressions (:func:`eiv_regression`, :func:`linkage_model`,
    :func:`cxresearch.linkage.units.unit_linkage`).

    Parameters
    ----------
    estimates : DataFrame
        One row per reported term: ``term, estimate, se, ci_low, ci_high, p_value,
        ols_estimate, reliability, n_obs, n_clusters``, with t intervals at ``level`` on
        ``n_clusters - 1`` degrees of freedom; several equations carry a first column
        ``outcome`` naming each row's dependent column.
    outcome : str
        The dependent column (several: joined by ", ").
    level : float
        Confidence level of the intervals in ``estimates``.

    Returns
    -------
    EIVResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200)})
    >>> d["y"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> fit = eiv_regression(d, "y", ["x"])
    >>> fit.conf_int(0.9)[["ci_low", "ci_high"]].round(2).values.tolist()
    [[0.31, 0.56]]
    """

    estimates: pd.DataFrame
    outcome: str
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per term: [outcome,] term, estimate, se, ci_low, ci_high, p_value,
        ols_estimate, reliability, n_obs, n_clusters."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """t intervals at ``level``: [outcome,] term, estimate, se, ci_low, ci_high, level."""
        keys = [c for c in ("outcome", "term") if c in self.estimates]
        return _t_intervals(self.estimates[[*keys, "estimate", "se"]],
                            self.estimates["n_clusters"], level)

    def summary(self) -> str:
        """A line for the sample, then one per term with its interval, OLS and reliability."""
        e = self.estimates
        n_obs = int(e["n_obs"].iloc[0]) if len(e) else 0
        n_cl = int(e["n_clusters"].iloc[0]) if len(e) else 0
        lines = [f"Errors-in-variables regression of {self.outcome} (n={n_obs}, {n_cl} "
                 f"clusters; {100 * self.level:g}% CIs)"]
        for r in e.itertuples():
            name = f"{r.outcome} ~ {r.term}" if "outcome" in e else r.term
            lines.append(f"  {name}: {r.estimate:.4f} [{r.ci_low:.4f}, {r.ci_high:.4f}] "
                         f"(OLS {r.ols_estimate:.4f}, reliability {r.reliability:.3f})")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class CrossLaggedResult(Result):
    """Cross-lagged panel regressions (:func:`cross_lagged_panel`).

    Parameters
    ----------
    paths : DataFrame
        One row per path: ``from, to, lag, estimate, se, ci_low, ci_high, p_value,
        ols_estimate, n_obs, n_units, method`` (autoregressive paths ``from == to``,
        contemporaneous ones ``lag = 0``), with t intervals at ``level`` on ``n_units - 1``
        degrees of freedom.
    variables : tuple of str
        The series of the panel.
    level : float
        Confidence level of the intervals in ``paths``.

    Returns
    -------
    CrossLaggedResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_var_panel
    >>> p = simulate_var_panel(n_units=150, n_periods=6, coefs={("x", "y"): 0.3}, seed=5)
    >>> res = cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    >>> ci = res.conf_int(0.9).set_index(["from", "to"])
    >>> ci.loc[("x", "y"), ["ci_low", "ci_high"]].round(2).tolist()
    [0.24, 0.36]
    """

    paths: pd.DataFrame
    variables: tuple[str, ...]
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per path: from, to, lag, estimate, se, ci_low, ci_high, p_value,
        ols_estimate, n_obs, n_units, method."""
        return self.paths.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """t intervals at ``level``: from, to, lag, estimate, se, ci_low, ci_high, level."""
        return _t_intervals(self.paths[["from", "to", "lag", "estimate", "se"]],
                            self.paths["n_units"], level)

    def summary(self) -> str:
        """A line for the design, then one per path with its interval."""
        p = self.paths
        method = str(p["method"].iloc[0]) if len(p) else ""
        lines = [f"Cross-lagged panel of {', '.join(self.variables)} ({method}; "
                 f"{100 * self.level:g}% CIs)"]
        for r in p.itertuples(index=False):
            src, dst = r[0], r[1]
            lag = "t" if r.lag == 0 else "t-1"
            lines.append(f"  {src}({lag}) -> {dst}(t): {r.estimate:.4f} "
                         f"[{r.ci_low:.4f}, {r.ci_high:.4f}]")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# the panel and its reliability
# --------------------------------------------------------------------------------------------


def add_lags(
    data: pd.DataFrame, unit: str, time: str, columns: Sequence[str], suffix: str = "_lag"
) -> pd.DataFrame:
    """Return a copy sorted by unit and time with ``<col>_lag`` = the value one period earlier.

    Only consecutive periods are paired: if period t-1 is missing for a unit, the lag is NA.

    Parameters
    ----------
    data : DataFrame
        A long panel, one row per unit and period (integer periods).
    unit, time : str
        The unit and period columns.
    columns : sequence of str
        Columns to lag.
    suffix : str
        Appended to each lagged column's name.

    Returns
    -------
    DataFrame
        A sorted copy with the lagged columns added.

    Examples
    --------
    >>> p = pd.DataFrame({"u": ["a", "a", "a", "b"], "t": [1, 2, 4, 1], "x": [1.0, 2.0, 3.0, 4.0]})
    >>> add_lags(p, "u", "t", ["x"])["x_lag"].tolist()
    [nan, 1.0, nan, nan]
    """
    require_columns(data, [unit, time, *columns])
    df = data.sort_values([unit, time]).reset_index(drop=True)
    prev = df.groupby(unit, sort=False)[[time, *columns]].shift(1)
    consecutive = (df[time] - prev[time]) == 1
    for c in columns:
        df[f"{c}{suffix}"] = prev[c].where(consecutive)
    return df


def linkage_panel(
    firm_years: pd.DataFrame,
    employees: pd.DataFrame,
    customers: pd.DataFrame,
    ex_items: Sequence[str] = CULTURE_ITEMS + ENGAGEMENT_ITEMS,
    cx_items: Sequence[str] = ("nps", "csat", "ces"),
    reverse_keyed: Mapping[str, int] | None = None,
    unit: str = "firm_id",
    time: str = "year",
    team: str | None = "team_id",
) -> pd.DataFrame:
    """Firm-year panel of employee (EX) and customer (CX) experience scores plus outcomes.

    - EX: each employee's mean of ``ex_items`` (reverse-keyed items recoded ``lo + hi - x`` with
      ``reverse_keyed = {item: lo + hi}``; default: the study's
      :data:`~cxresearch.core.contract.REVERSE_KEYED` items, ``{"culture_4": 6}``), averaged per
      firm-year;
    - CX: each customer's mean of the z-scored ``cx_items`` (answered ones; z over all
      respondents, so that 0-10, 1-5 and 1-7 scales weigh equally), averaged per firm-year.

    Columns ``n_ex, ev_ex, n_cx, ev_cx`` give the respondents and the sampling variance of each
    mean (see :func:`group_scores`; with ``team`` present in ``employees`` the EX variance
    includes the design effect of sampling whole teams), which :func:`eiv_regression` and
    :func:`cross_lagged_panel` use to correct for unreliable firm-year means. The result is
    ``firm_years`` (left join, sorted by unit and time) with these columns added.

    Parameters
    ----------
    firm_years : DataFrame
        One row per unit and period (outcomes, controls).
    employees, customers : DataFrame
        One row per respondent, with ``unit``, ``time`` and the item columns.
    ex_items, cx_items : sequence of str
        Items of the EX and CX scores (default: the study's culture and engagement items;
        NPS, CSAT and CES).
    reverse_keyed : mapping, optional
        ``{item: lo + hi}`` for reverse-keyed EX items; ``{}`` for none.
    unit, time : str
        Key columns shared by the three frames.
    team : str, optional
        Column of teams in ``employees`` (ignored when absent) for the design effect.

    Returns
    -------
    DataFrame
        ``firm_years`` with ``ex, n_ex, ev_ex, cx, n_cx, ev_cx`` added.

    References
    ----------
    Heskett, J. L., Jones, T. O., Loveman, G. W., Sasser, W. E. & Schlesinger, L. A. (1994).
    Putting the service-profit chain to work. *Harvard Business Review* 72(2), 164-174.
    Kish, L. (1965). *Survey Sampling*. Wiley (the design effect).

    Examples
    --------
    >>> fy = pd.DataFrame({"firm_id": ["F1", "F2"], "year": [2020, 2020], "revenue": [1.0, 2.0]})
    >>> emp = pd.DataFrame({"firm_id": ["F1", "F1", "F2", "F2"], "year": [2020] * 4,
    ...                     "q": [4, 5, 2, 3]})
    >>> cus = pd.DataFrame({"firm_id": ["F1", "F1", "F2", "F2"], "year": [2020] * 4,
    ...                     "nps": [9, 10, 3, 6]})
    >>> linkage_panel(fy, emp, cus, ex_items=["q"], cx_items=["nps"], reverse_keyed={})[
    ...     ["firm_id", "ex", "cx"]].round(3)
      firm_id   ex     cx
    0      F1  4.5  0.791
    1      F2  2.5 -0.791
    """
    ex_items, cx_items = list(ex_items), list(cx_items)
    rev = dict(_REVERSE_TOTALS) if reverse_keyed is None else dict(reverse_keyed)
    team = team if team is not None and team in employees.columns else None
    require_columns(employees, [unit, time, *ex_items], "employees")
    require_columns(customers, [unit, time, *cx_items], "customers")
    require_columns(firm_years, [unit, time], "firm_years")
    emp = employees[[unit, time, *ex_items] + ([team] if team else [])].copy()
    for item, total in rev.items():
        if item in emp.columns:
            emp[item] = total - emp[item]
    cus = customers[[unit, time, *cx_items]].copy()
    require_numeric(cus, cx_items, "customers")
    for c in cx_items:
        cus[c] = standardize(cus[c].astype(float))
    ex = group_scores(emp, [unit, time], {"ex": ex_items}, subgroup=team)
    cx = group_scores(cus, [unit, time], {"cx": cx_items})
    out = firm_years.merge(ex, on=[unit, time], how="left").merge(cx, on=[unit, time], how="left")
    return out.sort_values([unit, time]).reset_index(drop=True)


def firm_means(
    data: pd.DataFrame,
    columns: Sequence[str],
    unit: str = "firm_id",
    standardized: Sequence[str] = (),
    log_pct: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Unit-level means of panel columns over all periods, optionally z-scored or log-percent.

    One row per ``unit`` (sorted), the mean of each of ``columns`` over its rows. For each name
    in ``standardized`` a column ``<name>_z`` (:func:`~cxresearch.linkage.regression.standardize`
    of the
    unit means) is added; ``log_pct`` maps new column names to columns whose unit mean is turned
    into :func:`~cxresearch.linkage.regression.log_percent`. Averaging years makes firm means
    reliable
    (~8x the respondents of a firm-year mean) for between-firm models such as
    :func:`~cxresearch.linkage.mediation.mediation`.

    Parameters
    ----------
    data : DataFrame
        A long panel (or answers), several rows per unit.
    columns : sequence of str
        Numeric columns to average.
    unit : str
        The unit column (one output row each, sorted).
    standardized : sequence of str
        Columns (among ``columns``) whose unit means get a z-scored ``<name>_z`` too.
    log_pct : mapping, optional
        ``{new name: column}``: ``100 ln`` of a column's unit mean.

    Returns
    -------
    DataFrame
        Indexed by ``unit``: the means, then the ``_z`` and log-percent columns.

    Examples
    --------
    >>> p = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "ex": [1.0, 3.0, 4.0, 6.0],
    ...                   "cost": [1.0, 1.0, 2.0, 2.0]})
    >>> firm_means(p, ["ex", "cost"], standardized=["ex"],
    ...            log_pct={"cost_pct": "cost"}).round(3).to_dict("list")
    {'ex': [2.0, 5.0], 'cost': [1.0, 2.0], 'ex_z': [-0.707, 0.707], 'cost_pct': [0.0, 69.315]}
    """
    columns = list(columns)
    log_pct = dict(log_pct or {})
    missing = [c for c in [*standardized, *log_pct.values()] if c not in columns]
    if missing:
        raise DataError(f"firm_means: {missing} must also be listed in 'columns'")
    require_columns(data, [unit, *columns])
    require_numeric(data, columns)
    out = data.groupby(unit, sort=True)[columns].mean()
    for c in standardized:
        out[f"{c}_z"] = standardize(out[c])
    for new, c in log_pct.items():
        out[new] = log_percent(out[c])
    return out


def mean_reliability(data: pd.DataFrame, score: str, error_variance: str) -> float:
    """Reliability of group means: ``1 - mean(sampling variance) / variance of the means``.

    The share of the observed variance of the group means (e.g. firm-year EX scores) that is
    not sampling noise, i.e. the true-score variance over the observed variance (Lord & Novick
    1968; for group means the ICC(2) logic of Bliese 2000). ``error_variance`` holds each
    mean's sampling variance, as :func:`linkage_panel` returns in ``ev_ex`` / ``ev_cx``.

    Parameters
    ----------
    data : DataFrame
        One row per group mean.
    score : str
        The group means.
    error_variance : str
        The sampling variance of each mean.

    Returns
    -------
    float
        ``1 - mean(ev) / var(score)``.

    References
    ----------
    Lord, F. M. & Novick, M. R. (1968). *Statistical Theories of Mental Test Scores*.
    Addison-Wesley.
    Bliese, P. D. (2000), see :func:`cxresearch.linkage.multilevel.aggregation_indices`.

    Examples
    --------
    >>> p = pd.DataFrame({"ex": [1.0, 2.0, 3.0, 4.0], "ev_ex": [0.5, 0.5, 0.5, 0.5]})
    >>> round(mean_reliability(p, "ex", "ev_ex"), 4)
    0.7
    """
    require_columns(data, [score, error_variance])
    require_numeric(data, [score, error_variance])
    return float(1 - data[error_variance].mean() / data[score].var(ddof=1))


def true_score_z(data: pd.DataFrame, score: str, error_variance: str) -> pd.Series:
    """Group means in true-score SD units: ``(x - mean(x)) / sqrt(var(x) - mean(ev))``.

    Observed means have variance ``var(true) + mean(ev)`` (classical test theory), so dividing
    by the square root of the noise-free part expresses a difference in SD of the true score,
    the unit in which the simulation states its effects. Raises if the sampling variance
    exceeds the observed variance (no true-score variance left).

    Parameters
    ----------
    data : DataFrame
        One row per group mean.
    score : str
        The group means.
    error_variance : str
        The sampling variance of each mean.

    Returns
    -------
    Series
        The means in true-score SD units, named ``score``.

    References
    ----------
    Lord, F. M. & Novick, M. R. (1968). *Statistical Theories of Mental Test Scores*.
    Addison-Wesley.

    Examples
    --------
    >>> p = pd.DataFrame({"cx": [0.0, 1.0, 2.0, 3.0], "ev": [2 / 3] * 4})
    >>> true_score_z(p, "cx", "ev").round(4).tolist()
    [-1.5, -0.5, 0.5, 1.5]
    """
    require_columns(data, [score, error_variance])
    require_numeric(data, [score, error_variance])
    x = data[score].astype(float)
    signal = x.var(ddof=1) - data[error_variance].mean()
    if not signal > 0:
        raise DataError(
            f"true_score_z: mean of {error_variance!r} ({data[error_variance].mean():.4g}) is "
            f"not below the variance of {score!r} ({x.var(ddof=1):.4g}); no true-score variance"
        )
    return ((x - x.mean()) / np.sqrt(signal)).rename(score)



# --------------------------------------------------------------------------------------------
# errors in variables
# --------------------------------------------------------------------------------------------


def _leverage(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal basis of the column space of z (rank-revealing SVD) and the leverages."""
    if z.shape[1] == 0:
        return np.zeros((z.shape[0], 0)), np.zeros(z.shape[0])
    u, sv, _ = np.linalg.svd(z, full_matrices=False)
    keep = sv > sv.max() * max(z.shape) * np.finfo(float).eps
    u = u[:, keep]
    return u, np.sum(u**2, axis=1)


def _error_moments(
    ids: list[np.ndarray],
    evs: list[np.ndarray],
    has_error: list[bool],
    clusters: np.ndarray,
    unit_codes: np.ndarray | None,
    unit_sizes: np.ndarray | None,
    basis: np.ndarray,
    n_clusters: int,
) -> np.ndarray:
    """Per-cluster E[U' M U] (n_clusters x k x k) for measurement errors tied to ids.

    ``U[:, j] = A_j e`` where row i of predictor j carries the error of measurement ``ids[j][i]``
    (variance ``evs[j][i]``), and ``M = I - P_units - B B'`` is the annihilator of the partialled
    effects. A measurement that appears in several rows or predictors (a firm-year mean used
    both as x(t) and as the lag of x(t+1)) then gets its exact cross terms.
    """
    k = len(ids)
    out = np.zeros((n_clusters, k, k))
    n = len(clusters)
    # per predictor: frame of (id, row) for rows that carry error
    per = []
    for j in range(k):
        if not has_error[j]:
            per.append(None)
            continue
        per.append(pd.DataFrame({"id": ids[j], "row": np.arange(n), "ev": evs[j]}))
    for j in range(k):
        if per[j] is None:
            continue
        for m in range(j, k):
            if per[m] is None:
                continue
            pair = per[j].merge(per[m][["id", "row"]], on="id", suffixes=("", "_m"))
            if pair.empty:
                continue
            ri, rm = pair["row"].to_numpy(), pair["row_m"].to_numpy()
            ev = pair["ev"].to_numpy()
            w = (ri == rm).astype(float)
            if unit_codes is not None:
                same_unit = unit_codes[ri] == unit_codes[rm]
                w = w - same_unit / unit_sizes[unit_codes[ri]]
            if basis.shape[1]:
                w = w - np.sum(basis[ri] * basis[rm], axis=1)
            contrib = np.bincount(clusters[ri], weights=ev * w, minlength=n_clusters)
            out[:, j, m] += contrib
            if m != j:
                out[:, m, j] += contrib
    return out


def eiv_regression(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    error_variance: Mapping[str, str] | None = None,
    controls: Sequence[str] = (),
    unit: str | None = None,
    time: str | None = None,
    fixed_effects: bool = False,
    time_effects: bool = False,
    cluster: str | None = None,
    standardize_vars: bool = False,
    error_id: Mapping[str, str] | None = None,
    *,
    level: float = 0.95,
) -> EIVResult:
    """Linear regression that corrects for noisy predictors (errors in variables), clustered SEs.

    Group means of survey answers measure the group's true level with error: the mean of n
    respondents has sampling variance ``ev = MSW / n`` (see
    :func:`cxresearch.linkage.multilevel.group_scores`). OLS on such means is biased towards zero
    by the
    reliability ratio. The method-of-moments correction (Fuller 1987, sec. 2.2; Buonaccorsi
    2010, ch. 5) subtracts the expected error moments from the moment matrix:

        beta = (X~'X~ - E[U'MU])^-1 X~'y~

    where ``~`` marks residuals after partialling out the error-free controls, unit and time
    effects (Frisch-Waugh-Lovell; M is that annihilator) and U holds the measurement errors.
    Errors of different measurements are independent (true for means of different
    respondents). By default each row's error is its own measurement; ``error_id`` maps a
    predictor to a column naming its measurement (e.g. ``"F0001|2020"``) so that a firm-year
    mean that enters twice, as x(t) in one row and as x(t-1) in the next, gets its exact
    covariance terms. This matters with unit fixed effects, where demeaning correlates the
    errors of all of a unit's rows. If the outcome has both an ``error_variance`` and an
    ``error_id``, errors it shares with a predictor (x(t) as this row's outcome and as the next
    row's lagged predictor) are removed from X~'y~ too. Without ``error_variance`` this is OLS.

    Standard errors: the sandwich of the estimating equation ``sum_c [X~_c'(y~_c - X~_c beta) +
    E[U_c'MU_c] beta] = 0`` clustered by ``cluster`` (default ``unit``), with a G/(G-1)
    factor, and t intervals on G - 1 df. The estimated error variances are treated as known.

    ``standardize_vars`` rescales the outcome and the non-binary predictors by their
    *true-score* SDs, sqrt(Var(obs) - mean(ev)), so coefficients are in true SD per true SD (and
    true SD of the outcome per unit of a 0/1 predictor).

    Parameters
    ----------
    data : DataFrame
        One row per observation (firm-year); incomplete rows are dropped.
    outcome : str
        The dependent column.
    predictors : sequence of str
        Regressors whose coefficients are reported (with or without measurement error).
    error_variance : mapping, optional
        ``{column: column of its sampling variance}`` for predictors and/or the outcome.
    controls : sequence of str
        Error-free controls (partialled out, not reported); categorical ones as dummies.
    unit, time : str, optional
        Unit and period columns (for fixed effects, time effects and default clustering).
    fixed_effects, time_effects : bool
        Unit fixed effects (within estimator) and period dummies.
    cluster : str, optional
        Cluster column of the sandwich (default ``unit``; each row its own cluster without it).
    standardize_vars : bool
        Coefficients in true-score SD units.
    error_id : mapping, optional
        ``{variable: column naming its measurement}`` for measurements shared across rows.
    level : float
        Confidence level of the t intervals.

    Returns
    -------
    EIVResult
        ``to_frame()``: ``term, estimate, se, ci_low, ci_high, p_value, ols_estimate,
        reliability, n_obs, n_clusters`` (reliability: of each predictor after partialling, 1
        where error-free); ``conf_int(level=)``, ``summary()``.

    References
    ----------
    Fuller, W. A. (1987). *Measurement Error Models*. Wiley, sec. 2.2.
    Buonaccorsi, J. P. (2010). *Measurement Error: Models, Methods, and Applications*. Chapman &
    Hall/CRC, ch. 5.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> true_x = rng.normal(size=2000)
    >>> ev = np.full(2000, 0.5)
    >>> d = pd.DataFrame({"x": true_x + rng.normal(0, np.sqrt(ev)), "ev_x": ev})
    >>> d["y"] = 0.4 * true_x + rng.normal(size=2000)
    >>> out = eiv_regression(d, "y", ["x"], error_variance={"x": "ev_x"}).to_frame()
    >>> out[["estimate", "ols_estimate", "reliability"]].round(2).iloc[0].tolist()
    [0.39, 0.25, 0.66]
    """
    from scipy import stats

    level = check_level(level)
    predictors = list(predictors)
    controls = list(controls)
    ev_map = dict(error_variance or {})
    id_map = dict(error_id or {})
    unknown = [k for k in ev_map if k not in (*predictors, outcome)]
    if unknown:
        raise DataError(f"error_variance: {unknown} are not the outcome or a predictor")
    bad_ids = [k for k in id_map if k not in ev_map]
    if bad_ids:
        raise DataError(f"error_id: {bad_ids} have no error_variance column")
    if fixed_effects and unit is None:
        raise DataError("fixed_effects=True needs unit=")
    if time_effects and time is None:
        raise DataError("time_effects=True needs time=")
    cl = cluster or unit
    extra = [c for c in (unit, time, cluster) if c]
    cols = list(
        dict.fromkeys(
            [outcome, *predictors, *ev_map.values(), *id_map.values(), *controls, *extra]
        )
    )
    require_columns(data, cols)
    require_numeric(data, [outcome, *predictors, *ev_map.values()])
    d = data[cols].dropna().reset_index(drop=True)
    n = len(d)
    if n <= len(predictors) + len(controls) + 2:
        raise DataError(f"eiv_regression: only {n} complete rows")
    neg = [v for v in ev_map.values() if (d[v] < 0).any()]
    if neg:
        raise DataError(f"error variance column(s) {neg} have negative values")
    y = d[outcome].to_numpy(float).copy()
    x = d[predictors].to_numpy(float).copy()
    ev = np.column_stack(
        [d[ev_map[p]].to_numpy(float) if p in ev_map else np.zeros(n) for p in predictors]
    )
    ev_y = d[ev_map[outcome]].to_numpy(float) if outcome in ev_map else np.zeros(n)
    if standardize_vars:
        var_y = y.var(ddof=1) - ev_y.mean()
        var_x = x.var(axis=0, ddof=1) - ev.mean(axis=0)
        if var_y <= 0 or np.any(var_x <= 0):
            raise DataError("standardize_vars: error variance exceeds observed variance")
        # binary (0/1) predictors such as "has a CX leader" stay in their natural units
        binary = np.array([np.isin(np.unique(col), [0.0, 1.0]).all() for col in x.T])
        var_x = np.where(binary, 1.0, var_x)
        y = y / np.sqrt(var_y)
        x = x / np.sqrt(var_x)
        ev = ev / var_x
        ev_y = ev_y / var_y
    blocks = [np.ones((n, 1))]
    for c in controls:
        if is_numeric_column(d[c]):
            blocks.append(d[[c]].to_numpy(float))
        else:
            blocks.append(treatment_dummies(d[c], c).to_numpy())
    if time_effects:
        blocks.append(treatment_dummies(d[time], "t").to_numpy())
    z = np.hstack(blocks)
    unit_codes = unit_sizes = None
    if fixed_effects:
        unit_codes = pd.factorize(d[unit])[0]
        unit_sizes = np.bincount(unit_codes).astype(float)

        def demean(a: np.ndarray) -> np.ndarray:
            a2 = a.reshape(n, -1)
            sums = np.zeros((len(unit_sizes), a2.shape[1]))
            np.add.at(sums, unit_codes, a2)
            return (a2 - (sums / unit_sizes[:, None])[unit_codes]).reshape(a.shape)

        y, x, z = demean(y), demean(x), demean(z[:, 1:])
    basis, _ = _leverage(z)
    y_t = y - basis @ (basis.T @ y)
    x_t = x - basis @ (basis.T @ x)
    cl_codes = pd.factorize(d[cl])[0] if cl is not None else np.arange(n)
    n_cl = int(cl_codes.max() + 1)
    # measurement ids (default: every row and variable its own measurement); the outcome is
    # the last column so that errors it shares with a predictor (x(t) as the outcome of one
    # row and as the lagged predictor of the next) are removed from X'y as well
    names = [*predictors, outcome]
    ids = [
        d[id_map[v]].astype(str).to_numpy()
        if v in id_map
        else np.char.add(f"{v}|", np.arange(n).astype(str))
        for v in names
    ]
    k = len(predictors)
    err_full = _error_moments(
        ids, [*(ev[:, j] for j in range(k)), ev_y],
        [*(p in ev_map for p in predictors), outcome in ev_map and outcome in id_map],
        cl_codes, unit_codes, unit_sizes, basis, n_cl,
    )
    err_c, err_xy_c = err_full[:, :k, :k], err_full[:, :k, k]
    err, err_xy = err_c.sum(axis=0), err_xy_c.sum(axis=0)
    a = x_t.T @ x_t - err
    if np.linalg.eigvalsh(a).min() <= 0:
        raise DataError(
            "eiv_regression: the error variances are as large as the residual variance of the "
            "predictors; the corrected moment matrix is not positive definite"
        )
    beta = np.linalg.solve(a, x_t.T @ y_t - err_xy)
    ols = np.linalg.lstsq(x_t, y_t, rcond=None)[0]
    resid = y_t - x_t @ beta
    g = np.zeros((n_cl, len(predictors)))
    np.add.at(g, cl_codes, x_t * resid[:, None])
    g += err_c @ beta - err_xy_c
    a_inv = np.linalg.inv(a)
    vcov = a_inv @ (g.T @ g) @ a_inv * n_cl / (n_cl - 1)
    se = np.sqrt(np.diag(vcov))
    t_mult = t_crit(level, n_cl - 1)
    rel = 1.0 - np.diag(err) / np.sum(x_t**2, axis=0)
    estimates = pd.DataFrame(
        {
            "term": predictors,
            "estimate": beta,
            "se": se,
            "ci_low": beta - t_mult * se,
            "ci_high": beta + t_mult * se,
            "p_value": 2 * stats.t.sf(np.abs(beta / se), n_cl - 1),
            "ols_estimate": ols,
            "reliability": rel,
            "n_obs": n,
            "n_clusters": n_cl,
        }
    )
    return EIVResult(estimates=estimates, outcome=outcome, level=level)


def linkage_model(
    data: pd.DataFrame,
    outcome: str = "cx",
    exposure: str = "ex",
    unit: str = "firm_id",
    time: str = "year",
    lagged_exposure: bool = True,
    controls: Sequence[str] = ("has_cx_leader",),
    error_variance: Mapping[str, str] | None = None,
    fixed_effects: bool = True,
    time_effects: bool = True,
    standardize_vars: bool = True,
    *,
    level: float = 0.95,
) -> EIVResult:
    """Firm-year linkage: ``outcome(t) ~ exposure(t) [+ exposure(t-1)] + controls``.

    The structural equation of the service-profit chain's first link (Heskett et al. 1994):
    customer experience this year on employee experience this year and last year. With
    ``fixed_effects`` (the default) each firm is compared with itself, which removes stable
    firm differences (culture that is good *and* customers that are easy); year effects remove
    common shocks. Noisy survey means are corrected with :func:`eiv_regression`, using
    ``error_variance`` (default ``{"ex": "ev_ex", "cx": "ev_cx"}`` when those columns exist, as
    made by :func:`linkage_panel`); the same firm-year mean entering as x(t) and as x(t-1) is
    tracked so that the within-firm error covariances are exact.

    Parameters
    ----------
    data : DataFrame
        A firm-year panel as :func:`linkage_panel` makes.
    outcome, exposure : str
        CX and EX columns.
    unit, time : str
        Unit and period columns.
    lagged_exposure : bool
        Add ``exposure(t-1)`` (consecutive periods only).
    controls : sequence of str
        Further regressors, reported too (e.g. the 0/1 ``has_cx_leader``).
    error_variance : mapping, optional
        ``{column: sampling-variance column}``; default ``ev_<outcome>``, ``ev_<exposure>``
        when present.
    fixed_effects, time_effects : bool
        Firm fixed effects and year effects.
    standardize_vars : bool
        Coefficients in true-score SD units.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    EIVResult
        As :func:`eiv_regression`; the terms are ``exposure``, ``<exposure>_lag`` and the
        controls.

    References
    ----------
    Heskett, J. L. et al. (1994). Putting the service-profit chain to work. *Harvard Business
    Review* 72(2), 164-174.
    Fuller, W. A. (1987). *Measurement Error Models*. Wiley.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_var_panel
    >>> p = simulate_var_panel(n_units=200, n_periods=6, coefs={("x", "y"): 0.0}, seed=1)
    >>> p["y"] = p["y"] + 0.5 * p["x"]
    >>> out = linkage_model(p, "y", "x", unit="unit", time="time", controls=(),
    ...                     standardize_vars=False)
    >>> out.to_frame().set_index("term")["estimate"].round(1).tolist()
    [0.5, 0.0]
    """
    controls = list(controls)
    if error_variance is None:
        error_variance = {
            v: f"ev_{v}" for v in (outcome, exposure) if f"ev_{v}" in data.columns
        }
    ev_map = dict(error_variance)
    require_columns(data, [unit, time, outcome, exposure, *controls, *ev_map.values()])
    work = data.copy()
    work["_id_x"] = work[unit].astype(str) + "|" + work[time].astype(str)
    predictors = [exposure]
    evs: dict[str, str] = {}
    ids: dict[str, str] = {}
    if exposure in ev_map:
        evs[exposure] = ev_map[exposure]
        ids[exposure] = "_id_x"
    if outcome in ev_map:
        evs[outcome] = ev_map[outcome]
    if lagged_exposure:
        lag_cols = [exposure, "_id_x"] + ([ev_map[exposure]] if exposure in ev_map else [])
        work = add_lags(work, unit, time, lag_cols)
        predictors.append(f"{exposure}_lag")
        if exposure in ev_map:
            evs[f"{exposure}_lag"] = f"{ev_map[exposure]}_lag"
            ids[f"{exposure}_lag"] = "_id_x_lag"
    return eiv_regression(
        work,
        outcome,
        [*predictors, *controls],
        error_variance=evs,
        unit=unit,
        time=time,
        fixed_effects=fixed_effects,
        time_effects=time_effects,
        standardize_vars=standardize_vars,
        error_id=ids,
        level=level,
    )


def cross_lagged_panel(
    data: pd.DataFrame,
    unit: str,
    time: str,
    variables: Sequence[str],
    controls: Sequence[str] = (),
    fixed_effects: bool = False,
    time_effects: bool = True,
    standardize_vars: bool = True,
    error_variance: Mapping[str, str] | None = None,
    contemporaneous: Mapping[str, Sequence[str]] | None = None,
    *,
    level: float = 0.95,
) -> CrossLaggedResult:
    """Cross-lagged panel regressions: every variable at t+1 on all variables at t.

    For each variable ``v`` the model is ``v(t+1) = alpha_t + sum_w beta_{w->v} w(t) + controls
    + e`` (a panel VAR(1); Schneider, Hanges, Smith & Salvaggio 2003, *J. Applied Psychology*
    88(5), used this logic on 35 firms over 8 years). ``beta_{x->y}`` against ``beta_{y->x}``
    asks which comes first. Standard errors are clustered by unit; time effects absorb common
    shocks. ``contemporaneous={"cx": ["ex"]}`` adds ex(t+1) to the cx equation, so that the
    cross-lag is the *direct* lagged effect rather than the total one (which also runs through
    the persistence of ex).

    ``fixed_effects=True`` adds unit fixed effects (within estimator), which removes stable
    differences between firms but, with a lagged dependent variable, is biased by O(1/T)
    (Nickell 1981, *Econometrica* 49(6)): the autoregressive term by about -(1 + rho)/(T - 1),
    and cross-lags when regressors are persistent. With short panels (T < 10) report both and
    read the difference as a sensitivity check. Without unit effects, a stable firm trait that
    drives both series inflates the autoregressive terms.

    ``error_variance`` maps variables to columns holding the sampling variance of each
    firm-year mean (``ev_*`` from :func:`linkage_panel`); the regressions then correct for the
    attenuation that noisy survey means cause (:func:`eiv_regression`). Variables are scaled to
    (true-score) SD units first when ``standardize_vars``. Only consecutive periods are paired.

    Parameters
    ----------
    data : DataFrame
        A long panel, one row per unit and period.
    unit, time : str
        Unit and (integer) period columns.
    variables : sequence of str
        At least two series; each is regressed on the lags of all.
    controls : sequence of str
        Error-free controls in every equation.
    fixed_effects, time_effects : bool
        Unit fixed effects and period effects.
    standardize_vars : bool
        Scale every variable to (true-score) SD units first.
    error_variance : mapping, optional
        ``{variable: sampling-variance column}``.
    contemporaneous : mapping, optional
        ``{target: [variables at t+1]}`` added to the target's equation.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    CrossLaggedResult
        ``to_frame()``: one row per path, ``from, to, lag, estimate, se, ci_low, ci_high,
        p_value, ols_estimate, n_obs, n_units, method`` (autoregressive paths included,
        ``from == to``; contemporaneous paths are marked ``lag = 0``); ``conf_int(level=)``,
        ``summary()``.

    References
    ----------
    Schneider, B., Hanges, P. J., Smith, D. B. & Salvaggio, A. N. (2003). Which comes first:
    employee attitudes or organizational financial and market performance? *J. Applied
    Psychology* 88(5), 836-851.
    Nickell, S. (1981). Biases in dynamic models with fixed effects. *Econometrica* 49(6),
    1417-1426.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_var_panel

    >>> p = simulate_var_panel(n_units=150, n_periods=6, coefs={("x", "y"): 0.3}, seed=5)
    >>> out = cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    >>> round(float(out.to_frame().set_index(["from", "to"]).loc[("x", "y"), "estimate"]), 1)
    0.3
    """
    variables = list(variables)
    controls = list(controls)
    ev_map = dict(error_variance or {})
    contemporaneous = {k: list(v) for k, v in (contemporaneous or {}).items()}
    if len(variables) < 2:
        raise DataError("cross_lagged_panel: give at least two variables")
    require_columns(data, [unit, time, *variables, *controls, *ev_map.values()])
    require_numeric(data, [time, *variables, *ev_map.values()])
    dup = data.duplicated([unit, time])
    if dup.any():
        raise DataError(
            f"columns ({unit!r}, {time!r}) must identify rows; duplicates at rows "
            f"{first_rows(dup, data.index)}"
        )
    work = data[list(dict.fromkeys([unit, time, *variables, *controls, *ev_map.values()]))]
    work = work.copy()
    if standardize_vars:
        for v in variables:
            mean_ev = float(work[ev_map[v]].mean()) if v in ev_map else 0.0
            var_true = float(work[v].var(ddof=1)) - mean_ev
            if not var_true > 0:
                raise DataError(f"column {v!r}: error variance exceeds observed variance")
            work[v] = (work[v] - work[v].mean()) / np.sqrt(var_true)
            if v in ev_map:
                work[ev_map[v]] = work[ev_map[v]] / var_true
    # measurement ids: the error of v's firm-year mean is shared by v(t) in one row and by
    # v_lag in the next row, and by nothing else
    mid = work[unit].astype(str) + "|" + work[time].astype(str)
    for v in ev_map:
        work[f"_id_{v}"] = v + "|" + mid
    lag_cols = [*variables, *[ev_map[v] for v in variables if v in ev_map]]
    lag_cols += [f"_id_{v}" for v in ev_map]
    df = add_lags(work, unit, time, lag_cols)
    lagged_ev = {f"{v}_lag": f"{ev_map[v]}_lag" for v in variables if v in ev_map}
    method = ("unit FE" if fixed_effects else "pooled") + (", time effects" if time_effects else "")
    if ev_map:
        method += ", errors-in-variables"
    recs = []
    for target in variables:
        current = contemporaneous.get(target, [])
        regressors = [f"{v}_lag" for v in variables] + current
        evs = dict(lagged_ev)
        evs.update({c: ev_map[c] for c in current if c in ev_map})
        ids = {r: f"_id_{r}" if not r.endswith("_lag") else f"_id_{r[:-4]}_lag" for r in evs}
        if target in ev_map:
            evs[target] = ev_map[target]
            ids[target] = f"_id_{target}"
        res = eiv_regression(
            df,
            target,
            regressors,
            error_variance=evs,
            controls=controls,
            unit=unit,
            time=time,
            fixed_effects=fixed_effects,
            time_effects=time_effects,
            error_id=ids,
            level=level,
        ).estimates.set_index("term")
        for reg in regressors:
            row = res.loc[reg]
            recs.append(
                {
                    "from": reg.removesuffix("_lag"),
                    "to": target,
                    "lag": 1 if reg.endswith("_lag") else 0,
                    "estimate": row.estimate,
                    "se": row.se,
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "p_value": row.p_value,
                    "ols_estimate": row.ols_estimate,
                    "n_obs": int(row.n_obs),
                    "n_units": int(row.n_clusters),
                    "method": method,
                }
            )
    return CrossLaggedResult(paths=pd.DataFrame(recs), variables=tuple(variables), level=level)


