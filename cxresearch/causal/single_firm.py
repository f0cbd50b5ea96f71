"""Single-firm designs: "we appointed a CCO in 2023, did it work?" for one firm's series.

- :func:`interrupted_time_series` -- segmented regression of the firm's own monthly series on
  a level and a slope change at the appointment, with Newey-West (HAC) standard errors for
  autocorrelated months, optional month-of-year seasonality, and a placebo appointment in the
  pre-period;
- :func:`synthetic_control` -- a convex combination of firms that did not appoint (donors)
  that tracks the firm before the appointment (Abadie, Diamond & Hainmueller 2010), with
  placebo-in-space inference (each donor in turn treated as if it had appointed) and an
  interval for a constant effect by test inversion (Firpo & Possebom 2018).

An interrupted time series assumes the pre-period trend would have continued: a market-wide
drift after the appointment is read as an effect. A synthetic control removes shocks common
to the firm and its donors, which is why it needs donors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.inference import z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    require_columns,
    require_numeric,
)

__all__ = [
    "InterruptedTimeSeriesResult",
    "SyntheticControlResult",
    "interrupted_time_series",
    "synthetic_control",
]


@dataclass(frozen=True)
class InterruptedTimeSeriesResult(Result):
    """Segmented regression of one series: the average effect after the appointment.

    Made by :func:`interrupted_time_series`.

    Parameters
    ----------
    estimate, se : float
        Average post-period gap between the series and its extrapolated pre-trend, HAC SE.
    ci_low, ci_high : float
        Its normal interval at ``level``.
    level : float
        Confidence level.
    coefficients : DataFrame
        ``term, estimate, se`` of the segmented regression.
    placebo_estimate, placebo_se : float
        The effect of a fake appointment in the middle of the pre-period.
    n_pre, n_post : int
        Periods before and after the appointment.
    maxlags : int
        HAC lags.
    placebo_p, placebo_rho : float
        Bootstrap p-value of the placebo and the AR(1) coefficient of its null.
    n_boot : int
        Simulated null series of the placebo's p-value (0: normal approximation).

    Returns
    -------
    InterruptedTimeSeriesResult
        ``to_frame()``, ``summary()``, ``conf_int(level)``, ``placebo_p_value``.

    Examples
    --------
    >>> t = np.arange(48)
    >>> y = 10 + 0.1 * t + 2.0 * (t >= 30) + np.sin(t)
    >>> r = interrupted_time_series(pd.DataFrame({"m": t, "cx": y}), "cx", "m", 30, n_boot=0)
    >>> r.to_frame()["term"].tolist()
    ['average effect after appointment', 'placebo (pre-period)']
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    coefficients: pd.DataFrame
    placebo_estimate: float
    placebo_se: float
    n_pre: int
    n_post: int
    maxlags: int
    placebo_p: float = float("nan")
    placebo_rho: float = float("nan")
    n_boot: int = 0

    @property
    def placebo_p_value(self) -> float:
        """Two-sided p-value of the placebo (pre-period) effect.

        Calibrated by a parametric AR(1) bootstrap of the pre-period (see
        :func:`interrupted_time_series`); with ``n_boot=0``, the normal approximation to the HAC
        t-statistic, which rejects far too often on short series.
        """
        if np.isfinite(self.placebo_p):
            return float(self.placebo_p)
        from scipy import stats

        return float(2 * stats.norm.sf(abs(self.placebo_estimate / self.placebo_se)))

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``estimate, se, ci_low, ci_high, level`` at ``level``."""
        lvl = check_level(level)
        z = z_crit(lvl)
        return pd.DataFrame([{"estimate": self.estimate, "se": self.se,
                              "ci_low": self.estimate - z * self.se,
                              "ci_high": self.estimate + z * self.se, "level": lvl}])

    def to_frame(self) -> pd.DataFrame:
        """Rows ``effect`` (average after) and ``placebo`` (fake appointment in the pre-period)."""
        z = z_crit(self.level)
        rows = [("average effect after appointment", self.estimate, self.se),
                ("placebo (pre-period)", self.placebo_estimate, self.placebo_se)]
        return pd.DataFrame([{"term": t, "estimate": e, "se": s, "ci_low": e - z * s,
                              "ci_high": e + z * s, "level": self.level} for t, e, s in rows])

    def summary(self) -> str:
        """One line with the effect, its interval and the placebo."""
        return (f"interrupted time series: average effect {self.estimate:.3f} "
                f"[{100 * self.level:g}% CI {self.ci_low:.3f}, {self.ci_high:.3f}] "
                f"(HAC SE, {self.maxlags} lags; {self.n_pre} months before, {self.n_post} after); "
                f"placebo {self.placebo_estimate:.3f}, p = {self.placebo_p_value:.3f}")


def _segmented(y: np.ndarray, t: np.ndarray, start: float, season: np.ndarray | None,
               maxlags: int) -> tuple[float, float, pd.DataFrame]:
    import statsmodels.api as sm

    post = (t >= start).astype(float)
    since = np.where(post > 0, t - start, 0.0)
    cols = {"const": np.ones_like(t), "trend": t - t.min(), "level_change": post,
            "slope_change": since}
    if season is not None:
        dummies = pd.get_dummies(season, prefix="season", drop_first=True, dtype=float)
        for c in dummies:
            cols[str(c)] = dummies[c].to_numpy()
    x = pd.DataFrame(cols)
    fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
    g = np.zeros(x.shape[1])
    g[2] = 1.0
    g[3] = float(since[post > 0].mean())
    est = float(g @ fit.params.to_numpy())
    se = float(np.sqrt(g @ fit.cov_params().to_numpy() @ g))
    coefs = pd.DataFrame({"term": x.columns, "estimate": fit.params.to_numpy(),
                          "se": fit.bse.to_numpy()})
    return est, se, coefs


def _placebo_design(t: np.ndarray, start: float, season: np.ndarray | None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix of the segmented regression and the contrast ``g`` of its average gap."""
    post = (t >= start).astype(float)
    since = np.where(post > 0, t - start, 0.0)
    cols = [np.ones_like(t), t - t.min(), post, since]
    if season is not None:
        dummies = pd.get_dummies(season, prefix="season", drop_first=True, dtype=float)
        cols += [dummies[c].to_numpy() for c in dummies]
    g = np.zeros(len(cols))
    g[2] = 1.0
    g[3] = float(since[post > 0].mean())
    return np.column_stack(cols), g


def _hac_t(x: np.ndarray, g: np.ndarray, y: np.ndarray, maxlags: int) -> np.ndarray:
    """HAC (Bartlett, ``maxlags``) t-statistics of ``g'beta`` for each column of ``y``.

    The same statistic as statsmodels' ``OLS(...).fit(cov_type="HAC")`` (no small-sample
    correction), for many series at once: with ``h = (X'X)^-1 g`` and ``u_t = (h'x_t) e_t``,
    ``var = sum_t u_t^2 + 2 sum_l (1 - l/(L+1)) sum_t u_t u_{t-l}``.
    """
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ (x.T @ y)
    e = y - x @ beta
    h = xtx_inv @ g
    u = (x @ h)[:, None] * e
    var = (u * u).sum(axis=0)
    for lag in range(1, maxlags + 1):
        var += 2 * (1 - lag / (maxlags + 1)) * (u[lag:] * u[:-lag]).sum(axis=0)
    return (g @ beta) / np.sqrt(var)


def _placebo_bootstrap(y: np.ndarray, t: np.ndarray, mid: float, season: np.ndarray | None,
                       maxlags: int, n_boot: int, seed: int) -> tuple[float, float]:
    """p-value of the placebo's HAC t-statistic against its distribution under an AR(1) null.

    The null is the pre-period's own straight line (and seasons) with AR(1) errors whose
    coefficient is the residuals' lag-1 autocorrelation, corrected for its small-sample bias
    (Kendall 1954: ``E[rho_hat] ~ rho - (1 + 3 rho) / n``) and kept in [0, 0.95]. The t-statistic
    does not depend on the line's level, slope or the errors' scale, so only ``rho`` matters.
    """
    x, g = _placebo_design(t, mid, season)
    x_null = np.delete(x, [2, 3], axis=1)  # the line (and seasons), without the fake break
    resid = y - x_null @ np.linalg.lstsq(x_null, y, rcond=None)[0]
    n = len(y)
    r = float(resid[1:] @ resid[:-1] / (resid @ resid)) if resid @ resid > 0 else 0.0
    rho = float(np.clip(r + (1 + 3 * r) / n, 0.0, 0.95))
    t_obs = _hac_t(x, g, y[:, None], maxlags)[0]
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, n_boot))
    e = np.empty_like(z)
    e[0] = z[0] / np.sqrt(1 - rho**2)
    for i in range(1, n):
        e[i] = rho * e[i - 1] + z[i]
    t_sim = _hac_t(x, g, e, maxlags)
    return float((1 + np.sum(np.abs(t_sim) >= abs(t_obs))) / (n_boot + 1)), rho


def interrupted_time_series(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    start: float,
    *,
    season: str | None = None,
    maxlags: int | None = None,
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> InterruptedTimeSeriesResult:
    """Segmented regression of one firm's series around the appointment, with HAC SEs.

    ``y_t = b0 + b1 t + b2 D_t + b3 (t - start) D_t (+ season) + e_t`` with ``D_t = 1[t >=
    start]`` (Wagner et al. 2002). The reported effect is the average over the post-period of
    ``b2 + b3 (t - start)``, the gap between the series and its extrapolated pre-trend, with
    a Newey-West (1987) HAC standard error (Bartlett kernel, ``maxlags`` default
    ``floor(4 (n / 100)^(2/9))``). A placebo refits the model on the pre-period alone with a
    fake appointment at its midpoint; a clear placebo "effect" says the pre-period is not a
    straight line and the extrapolation is not to be trusted.

    The placebo's p-value is not read from the normal distribution: on a few dozen months the
    HAC t-statistic of a break estimated from half the pre-period is far from normal (about
    15% false alarms at the 5% level on 48 months of independent noise, more with
    autocorrelation). Instead the same statistic is computed on ``n_boot`` series simulated
    under the null (the pre-period's straight line with AR(1) errors, the coefficient
    estimated from the residuals and bias-corrected), and the p-value is the share at least
    as extreme (a parametric bootstrap; Davison & Hinkley 1997, ch. 4). ``n_boot=0`` gives the
    normal approximation.

    Parameters
    ----------
    data : DataFrame
        The firm's series, one row per period.
    outcome : str
        The outcome column (e.g. a monthly CX score or revenue).
    time : str
        Integer period column (e.g. months numbered 0, 1, ...).
    start : number
        First period with the leader in post.
    season : str, optional
        A column of season labels (e.g. calendar month) to add as fixed effects.
    maxlags : int, optional
        HAC lags.
    level : float
        Confidence level.
    n_boot : int
        Simulated null series for the placebo's p-value (0: normal approximation).
    seed : int
        Seed of those simulations.

    Returns
    -------
    InterruptedTimeSeriesResult
        ``estimate, se, ci_low, ci_high``, the coefficients, and the placebo effect.

    References
    ----------
    Wagner, A. K., Soumerai, S. B., Zhang, F. & Ross-Degnan, D. (2002). Segmented regression
    analysis of interrupted time series studies. *J. Clinical Pharmacy and Therapeutics*
    27(4), 299-309.
    Newey, W. K. & West, K. D. (1987). A simple, positive semi-definite, heteroskedasticity and
    autocorrelation consistent covariance matrix. *Econometrica* 55(3), 703-708.

    Examples
    --------
    >>> t = np.arange(48)
    >>> y = 10 + 0.1 * t + 2.0 * (t >= 30) + np.sin(t)
    >>> r = interrupted_time_series(pd.DataFrame({"m": t, "cx": y}), "cx", "m", 30)
    >>> round(r.estimate, 1)
    2.1
    """
    level = check_level(level)
    require_columns(data, [outcome, time] + ([season] if season else []))
    require_numeric(data, [outcome, time])
    d = data.sort_values(time)
    if d[[outcome, time]].isna().any().any():
        rows = list(d.index[d[[outcome, time]].isna().any(axis=1).to_numpy()][:5])
        raise DataError(f"columns {outcome!r}, {time!r}: missing values at rows {rows}")
    if d[time].duplicated().any():
        rows = list(d.index[d[time].duplicated().to_numpy()][:5])
        raise DataError(f"column {time!r}: duplicated periods at rows {rows}")
    t = d[time].to_numpy(dtype=float)
    y = d[outcome].to_numpy(dtype=float)
    n_pre, n_post = int((t < start).sum()), int((t >= start).sum())
    if n_pre < 6 or n_post < 1:
        raise DataError(f"interrupted_time_series: need >= 6 periods before {start} and >= 1 "
                        f"after, got {n_pre} and {n_post}")
    lags = int(np.floor(4 * (len(t) / 100) ** (2 / 9))) if maxlags is None else int(maxlags)
    s = d[season].to_numpy() if season else None
    est, se, coefs = _segmented(y, t, start, s, lags)
    pre = t < start
    mid = float(np.sort(t[pre])[n_pre // 2])
    s_pre = s[pre] if s is not None else None
    p_est, p_se, _ = _segmented(y[pre], t[pre], mid, s_pre, lags)
    n_boot = check_n_boot(n_boot, arg="n_boot", minimum=0)
    seed = check_seed(seed)
    p_boot, rho = (_placebo_bootstrap(y[pre], t[pre], mid, s_pre, lags, n_boot, seed)
                   if n_boot > 0 else (float("nan"), float("nan")))
    z = z_crit(level)
    return InterruptedTimeSeriesResult(est, se, est - z * se, est + z * se, level, coefs,
                                       p_est, p_se, n_pre, n_post, lags, p_boot, rho, n_boot)


@dataclass(frozen=True)
class SyntheticControlResult(Result):
    """Synthetic control of one treated unit with placebo-in-space inference.

    Made by :func:`synthetic_control`.

    Parameters
    ----------
    estimate : float
        Average post-period gap between the treated unit and its synthetic control.
    ci_low, ci_high : float
        Test-inversion interval for a constant effect at ``level``.
    p_value : float
        Placebo-in-space p-value (RMSPE ratios).
    level : float
        Confidence level.
    weights : Series
        Donor weights (non-negative, summing to one).
    gaps : DataFrame
        ``time, treated, synthetic, gap, post`` by period.
    placebos : DataFrame
        ``unit, pre_rmspe, post_gap, rmspe_ratio`` of each donor treated as if it had
        appointed.
    pre_rmspe : float
        The treated unit's pre-period RMSPE.

    Returns
    -------
    SyntheticControlResult
        ``to_frame()``, ``summary()``, ``conf_int(level)``.

    Examples
    --------
    >>> from cxresearch.simulate.threats import simulate_firm_series
    >>> s, _ = simulate_firm_series(n_months=48, appoint_month=36, effect=3.0, seed=0)
    >>> sc = synthetic_control(s, "cx", "firm", "month", "firm", 36)
    >>> sc.to_frame().columns.tolist()
    ['time', 'treated', 'synthetic', 'gap', 'post']
    """

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    level: float
    weights: pd.Series
    gaps: pd.DataFrame
    placebos: pd.DataFrame
    pre_rmspe: float

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """The test-inversion interval for a constant effect at ``level``."""
        lvl = check_level(level)
        lo, hi = _invert(self.gaps, self.placebos, self.pre_rmspe, lvl)
        return pd.DataFrame([{"estimate": self.estimate, "ci_low": lo, "ci_high": hi,
                              "level": lvl}])

    def to_frame(self) -> pd.DataFrame:
        """``time, treated, synthetic, gap, post`` by period."""
        return self.gaps.copy()

    def summary(self) -> str:
        """One line: average post-period gap, interval, placebo p-value, top donors."""
        top = ", ".join(f"{k} {v:.2f}" for k, v in self.weights.nlargest(3).items())
        return (f"synthetic control: average gap after {self.estimate:.3f} "
                f"[{100 * self.level:g}% CI {self.ci_low:.3f}, {self.ci_high:.3f}], "
                f"placebo-in-space p = {self.p_value:.3f} ({len(self.placebos)} donors); "
                f"pre-period RMSPE {self.pre_rmspe:.3f}; weights {top}")


def _simplex_weights(x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """argmin ||x1 - x0 w||^2 over the simplex (SLSQP to ftol 1e-14, from equal weights)."""
    from scipy.optimize import minimize

    k = x0.shape[1]
    scale = float(np.mean(x0**2)) or 1.0
    p = x0.T @ x0 / scale
    q = x0.T @ x1 / scale
    res = minimize(lambda w: 0.5 * w @ p @ w - q @ w, np.full(k, 1 / k),
                   jac=lambda w: p @ w - q, method="SLSQP", bounds=[(0, 1)] * k,
                   constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1,
                                 "jac": lambda w: np.ones_like(w)}],
                   options={"ftol": 1e-14, "maxiter": 2000})
    w = np.clip(res.x, 0, None)
    return w / w.sum()


def _invert(gaps: pd.DataFrame, placebos: pd.DataFrame, pre_rmspe: float, level: float
            ) -> tuple[float, float]:
    """Constant effects c not rejected by the placebo-in-space RMSPE-ratio test."""
    post = gaps.loc[gaps["post"], "gap"].to_numpy()
    ratios = np.sort(placebos["rmspe_ratio"].to_numpy())[::-1]
    alpha = 1 - level
    k_min = int(np.floor(alpha * (len(ratios) + 1) - 1)) + 1
    if k_min <= 0:
        return -np.inf, np.inf
    if k_min > len(ratios):
        return np.nan, np.nan
    bound = ratios[k_min - 1] * pre_rmspe
    half2 = bound**2 - post.var()
    if half2 < 0:
        return np.nan, np.nan
    return float(post.mean() - np.sqrt(half2)), float(post.mean() + np.sqrt(half2))


def synthetic_control(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated: str,
    start: float,
    *,
    level: float = 0.95,
) -> SyntheticControlResult:
    """Synthetic control for one firm's appointment, with placebo-in-space inference.

    Weights ``w >= 0, sum w = 1`` on the donors (every other unit) minimise the pre-period
    squared distance between the treated unit's outcome and the weighted donors' (the
    outcome-path version of Abadie, Diamond & Hainmueller 2010, V = identity). The effect is
    the average post-period gap. Inference: every donor in turn is treated as if it had
    appointed (the others as its donors), and the treated unit's ratio of post- to pre-period
    RMSPE is ranked among theirs: ``p = (1 + #{placebo ratio >= treated ratio}) / (J + 1)``.
    The interval collects the constant effects c for which the test on ``gap - c`` does not
    reject at ``1 - level`` (Firpo & Possebom 2018); with J donors it exists only when
    ``1 / (J + 1) < 1 - level`` (J >= 20 for 95%).

    Parameters
    ----------
    data : DataFrame
        Long panel of the treated unit and the donors, balanced.
    outcome, unit, time : str
        Columns.
    treated : str
        The treated unit's id.
    start : number
        First period with the leader in post.
    level : float
        Confidence level of the interval.

    Returns
    -------
    SyntheticControlResult
        ``estimate``, interval, ``p_value``, donor ``weights``, ``gaps`` by period and the
        ``placebos`` table.

    References
    ----------
    Abadie, A., Diamond, A. & Hainmueller, J. (2010). Synthetic control methods for comparative
    case studies. *JASA* 105(490), 493-505.
    Firpo, S. & Possebom, V. (2018). Synthetic control method: inference, sensitivity analysis
    and confidence sets. *J. Causal Inference* 6(2).

    Examples
    --------
    >>> from cxresearch.simulate.threats import simulate_firm_series
    >>> s, _ = simulate_firm_series(n_months=48, appoint_month=36, effect=3.0, seed=0)
    >>> sc = synthetic_control(s, "cx", "firm", "month", "firm", 36)
    >>> round(sc.estimate, 1), round(sc.p_value, 3)
    (2.5, 0.048)
    """
    level = check_level(level)
    require_columns(data, [outcome, unit, time])
    require_numeric(data, [outcome])
    if data.duplicated([unit, time]).any():
        rows = list(data.index[data.duplicated([unit, time]).to_numpy()][:5])
        raise DataError(f"columns ({unit!r}, {time!r}) must identify rows; duplicates at {rows}")
    wide = data.pivot(index=time, columns=unit, values=outcome).sort_index()
    if treated not in wide.columns:
        raise DataError(f"column {unit!r}: treated unit {treated!r} not found")
    if wide.isna().any().any():
        bad = list(wide.columns[wide.isna().any()][:5])
        raise DataError(f"synthetic_control needs a balanced panel; units {bad} have gaps")
    t = wide.index.to_numpy(dtype=float)
    pre = t < start
    if pre.sum() < 3 or (~pre).sum() < 1:
        raise DataError(f"synthetic_control: need >= 3 periods before {start} and >= 1 after")
    donors = [c for c in wide.columns if c != treated]
    if len(donors) < 2:
        raise DataError("synthetic_control needs at least two donor units")
    y = wide.to_numpy(dtype=float)
    cols = list(wide.columns)

    def fit(j: int, pool: list[int]) -> tuple[np.ndarray, np.ndarray]:
        w = _simplex_weights(y[pre][:, pool], y[pre, j])
        return w, y[:, j] - y[:, pool] @ w

    def ratio(gap: np.ndarray) -> tuple[float, float]:
        pre_r = float(np.sqrt(np.mean(gap[pre] ** 2)))
        return pre_r, float(np.sqrt(np.mean(gap[~pre] ** 2)) / pre_r)

    jt = cols.index(treated)
    jd = [cols.index(d) for d in donors]
    w, gap = fit(jt, jd)
    pre_r, r_t = ratio(gap)
    recs = []
    for j in jd:
        _, g = fit(j, [k for k in jd if k != j])
        pr, rr = ratio(g)
        recs.append({"unit": cols[j], "pre_rmspe": pr, "post_gap": float(g[~pre].mean()),
                     "rmspe_ratio": rr})
    placebos = pd.DataFrame(recs)
    p = (1 + int((placebos["rmspe_ratio"] >= r_t).sum())) / (len(jd) + 1)
    gaps = pd.DataFrame({"time": wide.index, "treated": y[:, jt], "synthetic": y[:, jt] - gap,
                         "gap": gap, "post": ~pre})
    lo, hi = _invert(gaps, placebos, pre_r, level)
    return SyntheticControlResult(
        estimate=float(gap[~pre].mean()), ci_low=lo, ci_high=hi, p_value=float(p),
        level=level, weights=pd.Series(w, index=pd.Index(donors, name=unit), name="weight"),
        gaps=gaps, placebos=placebos, pre_rmspe=pre_r)
