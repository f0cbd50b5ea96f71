"""The random-intercept cross-lagged panel model (RI-CLPM): within-unit paths, between-unit levels.

A pooled cross-lagged panel (:func:`cxresearch.linkage.panel.cross_lagged_panel`) regresses
each series at t+1 on all at t across units. When units differ *stably* (a firm whose staff are
always happier and whose customers are always more satisfied), those level differences load
onto the lagged paths: EX(t) predicts CX(t+1) because both are high in the same firms every
year, not because a firm's EX rising is followed by its CX rising. Hamaker, Kuiper & Grasman
(2015, *Psychological Methods* 20(1), 102-116) separate the two: each observed series is an
occasion mean, plus a stable **random intercept** per unit, plus **within-unit** deviations
that follow a VAR(1) with cross-lags. The cross-lags are then within-unit paths.

- :func:`ri_clpm` -- fits the model by maximum likelihood as a structural equation model
  (semopy), a :class:`RiClpmResult` with one row per path and the random intercepts'
  variances and correlations.

What it does not do: it removes *stable* differences between units, not time-varying
confounders (a new CEO who lifts EX and CX in the same year), and it orders associations in
time; it does not make them effects.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxresearch.core.inference import z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_frame,
    require_numeric,
)
from cxresearch.linkage.mediation import sem_fit

__all__ = ["RiClpmResult", "ri_clpm"]

#: the kinds of rows in :meth:`RiClpmResult.to_frame`, in display order
_KINDS = ("autoregression", "cross-lag", "contemporaneous", "intercept variance",
          "intercept correlation")


@dataclass(frozen=True, eq=False)
class RiClpmResult(Result):
    """A random-intercept cross-lagged panel model (:func:`ri_clpm`).

    Parameters
    ----------
    paths : DataFrame
        One row per estimate: ``kind, from, to, lag, estimate, se, ci_low, ci_high,
        p_value``. ``kind`` is ``autoregression`` (``from == to``), ``cross-lag``,
        ``contemporaneous`` (``lag = 0``), ``intercept variance`` (the variance of a unit's
        stable level of ``from``; no p-value: a variance is tested on the boundary) or
        ``intercept correlation`` (between the stable levels of ``from`` and ``to``; Fisher-z
        interval). ``lag`` is missing for the intercept rows. Normal (Wald) intervals at
        ``level``.
    variables : tuple of str
        The series.
    n_units, n_periods : int
        Units used (complete over every period) and periods.
    n_dropped : int
        Units left out because a period or a value was missing.
    fit : dict
        ``chi2, df, p_value, cfi, rmsea`` of the model against the saturated one.
    stable_share : dict
        ``{variable: share}``: the random intercept's variance over the variable's average
        (true-score) variance across periods, the part of its differences that is stable.
    within_reliability : dict
        ``{variable: reliability}``: of a unit's deviation from its stable level, the share
        that is true score rather than measurement error (averaged over periods; 1 for series
        without ``error_variance``). Low values mean the within paths rest on the correction.
    standardized : bool
        Estimates in SD units of each series' true score over all rows (True) or raw units.
    level : float
        Confidence level of the intervals in ``paths``.

    Returns
    -------
    RiClpmResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> from cxresearch.simulate.linkage import simulate_ri_clpm_panel
    >>> p = simulate_ri_clpm_panel(n_units=300, n_periods=5, coefs={("x", "y"): 0.2},
    ...                            intercept_corr=0.6, seed=2)
    >>> res = ri_clpm(p, "unit", "time", ["x", "y"], standardize_vars=False)
    >>> ci = res.conf_int(0.9).query("kind == 'cross-lag'").set_index(["from", "to"])
    >>> ci.loc[("x", "y"), ["ci_low", "ci_high"]].round(2).tolist()
    [0.15, 0.28]
    """

    paths: pd.DataFrame
    variables: tuple[str, ...]
    n_units: int
    n_periods: int
    n_dropped: int = 0
    fit: dict[str, float] = field(default_factory=dict)
    stable_share: dict[str, float] = field(default_factory=dict)
    within_reliability: dict[str, float] = field(default_factory=dict)
    standardized: bool = True
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per estimate: kind, from, to, lag, estimate, se, ci_low, ci_high,
        p_value."""
        return self.paths.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Intervals at ``level``: kind, from, to, lag, estimate, se, ci_low, ci_high, level
        (Wald; Fisher z for the intercept correlations)."""
        lvl = check_level(level)
        out = self.paths[["kind", "from", "to", "lag", "estimate", "se"]].copy()
        lo, hi = _intervals(out["kind"].to_numpy(), out["estimate"].to_numpy(float),
                            out["se"].to_numpy(float), lvl)
        out["ci_low"], out["ci_high"], out["level"] = lo, hi, lvl
        return out

    def summary(self) -> str:
        """A line for the design and the fit, then one per path and the intercepts."""
        f = self.fit
        units = "SD units" if self.standardized else "raw units"
        lines = [f"Random-intercept cross-lagged panel of {', '.join(self.variables)} "
                 f"({self.n_units} units x {self.n_periods} periods"
                 + (f", {self.n_dropped} incomplete units left out" if self.n_dropped else "")
                 + f"; ML, {units}; chi2({f.get('df', float('nan')):.0f}) = "
                 f"{f.get('chi2', float('nan')):.2f}, CFI {f.get('cfi', float('nan')):.3f}, "
                 f"RMSEA {f.get('rmsea', float('nan')):.3f}; {100 * self.level:g}% CIs)"]
        for r in self.paths.itertuples(index=False):
            src, dst = r[1], r[2]
            if r.kind in ("autoregression", "cross-lag", "contemporaneous"):
                lag = "t" if r.kind == "contemporaneous" else "t-1"
                name = f"within {src}({lag}) -> {dst}(t)"
            elif r.kind == "intercept variance":
                name = f"variance of the stable level of {src}"
            else:
                name = f"correlation of the stable levels of {src} and {dst}"
            lines.append(f"  {name}: {r.estimate:.4f} [{r.ci_low:.4f}, {r.ci_high:.4f}]")
        if self.stable_share:
            lines.append("  stable share of the variance: " + ", ".join(
                f"{v} {s:.2f}" for v, s in self.stable_share.items()))
        noisy = {v: r for v, r in self.within_reliability.items() if r < 1}
        if noisy:
            lines.append("  reliability of the within-unit deviations: " + ", ".join(
                f"{v} {r:.2f}" for v, r in noisy.items()))
        return "\n".join(lines)


def _intervals(kinds: np.ndarray, est: np.ndarray, se: np.ndarray,
               level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wald intervals; Fisher-z intervals for correlations (they stay inside (-1, 1))."""
    z = z_crit(level)
    lo, hi = est - z * se, est + z * se
    corr = kinds == "intercept correlation"
    if corr.any():
        r = np.clip(est[corr], -0.999999, 0.999999)
        zr, se_z = np.arctanh(r), se[corr] / (1 - r**2)
        lo[corr], hi[corr] = np.tanh(zr - z * se_z), np.tanh(zr + z * se_z)
    return lo, hi


def _wide(data: pd.DataFrame, unit: str, time: str, columns: list[str],
          periods: np.ndarray) -> tuple[pd.DataFrame, int]:
    """Units x (column, period) wide frame of the units complete in every period."""
    wide = data.pivot(index=unit, columns=time, values=columns)
    wide = wide.reindex(columns=pd.MultiIndex.from_product([columns, periods]))
    complete = wide.notna().all(axis=1)
    return wide[complete], int((~complete).sum())


def _description(k: int, n_t: int, contemporaneous: dict[int, list[int]],
                 error_var: dict[tuple[int, int], float]) -> str:
    """The semopy (lavaan-style) syntax of the RI-CLPM for ``k`` series over ``n_t`` periods.

    Observed ``y{j}_{t}``; random intercepts ``RI{j}`` (loadings 1); within factors
    ``W{j}_{t}`` (loading 1, the observed residual fixed at the known error variance or 0);
    lags ``b_{i}_{j}`` and contemporaneous paths ``c_{i}_{j}`` equal over time; innovation
    (co)variances free in each period, except between a contemporaneous path's ends; the first
    period's within covariances free; intercepts uncorrelated with the first period's within
    factors (Hamaker et al. 2015, fig. 2).
    """
    lines = []
    for j in range(k):
        lines.append(f"RI{j} =~ " + " + ".join(f"1*y{j}_{t}" for t in range(n_t)))
        for t in range(n_t):
            lines.append(f"W{j}_{t} =~ 1*y{j}_{t}")
            fixed = np.format_float_positional(error_var.get((j, t), 0.0), trim="0")
            lines.append(f"y{j}_{t} ~~ {fixed}*y{j}_{t}")
    directed = {(i, j) for j, srcs in contemporaneous.items() for i in srcs}
    for t in range(1, n_t):
        for j in range(k):
            terms = [f"b_{i}_{j}*W{i}_{t - 1}" for i in range(k)]
            terms += [f"c_{i}_{j}*W{i}_{t}" for i in contemporaneous.get(j, [])]
            lines.append(f"W{j}_{t} ~ " + " + ".join(terms))
    for t in range(n_t):
        for j in range(k):
            lines.append(f"W{j}_{t} ~~ W{j}_{t}")
            for i in range(j + 1, k):
                if t == 0 or ((i, j) not in directed and (j, i) not in directed):
                    lines.append(f"W{j}_{t} ~~ W{i}_{t}")
    for j in range(k):
        for i in range(j, k):
            lines.append(f"RI{j} ~~ phi_{j}_{i}*RI{i}")
        for i in range(k):
            lines.append(f"RI{j} ~~ 0*W{i}_0")
    return "\n".join(lines)


def _fit_indices(x: np.ndarray, sigma: np.ndarray, n_free: int) -> dict[str, float]:
    """chi2, df, p, CFI and RMSEA of an ML covariance fit, as lavaan computes them.

    ``chi2 = N F_ML``, ``F_ML = ln|Sigma| + tr(S Sigma^-1) - ln|S| - p`` (S with divisor N);
    the baseline model has only variances; ``CFI = 1 - max(chi2 - df, 0) / max(chi2_b - df_b,
    chi2 - df, 0)``; ``RMSEA = sqrt(max(chi2 - df, 0) / (N df))``.
    """
    from scipy import stats

    n, p = x.shape
    s = np.cov(x, rowvar=False, bias=True)
    _, logdet_s = np.linalg.slogdet(s)
    _, logdet_sigma = np.linalg.slogdet(sigma)
    chi2 = n * (logdet_sigma + np.trace(s @ np.linalg.inv(sigma)) - logdet_s - p)
    chi2_b = n * (np.log(np.diag(s)).sum() - logdet_s)
    moments = p * (p + 1) // 2
    df, df_b = moments - n_free, moments - p
    excess, excess_b = max(chi2 - df, 0.0), max(chi2_b - df_b, 0.0)
    cfi = 1.0 - excess / max(excess_b, excess) if max(excess_b, excess) > 0 else 1.0
    return {"chi2": float(chi2), "df": float(df),
            "p_value": float(stats.chi2.sf(chi2, df)) if df > 0 else float("nan"),
            "cfi": float(cfi),
            "rmsea": float(np.sqrt(excess / (n * df))) if df > 0 else float("nan")}


def ri_clpm(
    data: pd.DataFrame,
    unit: str,
    time: str,
    variables: Sequence[str],
    *,
    error_variance: Mapping[str, str] | None = None,
    contemporaneous: Mapping[str, Sequence[str]] | None = None,
    standardize_vars: bool = True,
    level: float = 0.95,
) -> RiClpmResult:
    r"""Random-intercept cross-lagged panel model (Hamaker, Kuiper & Grasman 2015), fitted by ML.

    For unit i, series v and period t the model is

    .. math::

        x_{v,it} = \mu_{v,t} + \kappa_{v,i} + w_{v,it}, \qquad
        w_{it} = B\, w_{i,t-1} + C\, w_{it} + \varepsilon_{it}\ (t \ge 2)

    - ``mu_{v,t}``: the occasion (grand) means, free in every period (time effects);
    - ``kappa_{v,i}``: the **random intercepts**, each unit's stable level of each series,
      with a free covariance matrix across series (``intercept variance`` and ``intercept
      correlation`` rows) and uncorrelated with the first period's deviations;
    - ``w_{it}``: the **within-unit** deviations, a VAR(1) with autoregressions (diagonal of
      ``B``) and cross-lags (off-diagonal) **equal over time** (the usual stationary version,
      well posed on short panels); ``C`` holds the optional contemporaneous paths
      (``contemporaneous={"cx": ["ex"]}``: ex(t) -> cx(t), as in
      :func:`~cxresearch.linkage.panel.cross_lagged_panel`); the innovations
      ``epsilon_{it}`` have free (co)variances in each period (none between the two ends of a
      contemporaneous path), the first period's deviations a free covariance matrix.

    With ``error_variance`` (``{variable: column}`` of each row's sampling variance, the
    ``ev_*`` columns of :func:`~cxresearch.linkage.panel.linkage_panel`), the observed score
    is the true score plus measurement error whose variance is fixed, in each period, at the
    mean of that column; the within paths are then between true scores, not attenuated by the
    noise of the survey means. Without it the observed residual variance is 0, as in Hamaker
    et al. (2015).

    Fitting: the data are put in wide form (units complete in every period only; the others
    are counted in ``n_dropped``), each series is scaled to SD units of its true score over all
    rows (``var - mean error variance``, as :func:`cross_lagged_panel` does), and the model is
    fitted by maximum likelihood on the covariance matrix (divisor N, as lavaan) with semopy's
    SLSQP at ``ftol = SEM_FTOL`` (:func:`cxresearch.linkage.mediation.sem_fit`); an unconverged
    fit raises. Standard errors come from the expected information (as lavaan's default), the
    intercept correlations' by the delta method. ML is scale-equivariant, so
    ``standardize_vars=False`` returns the same fit in raw units (paths ``b * sd_to /
    sd_from``). Checked against lavaan 0.6 in the tests.

    The cross-lags are **within-unit** associations ordered in time. Stable differences between
    units are in the random intercepts and no longer bias them, but time-varying confounders
    (anything that moves two series within a unit) are not removed, and an association is
    not an effect.

    Parameters
    ----------
    data : DataFrame
        A long panel, one row per unit and period.
    unit, time : str
        Unit and period columns; periods numeric and equally spaced (one lag = one step).
    variables : sequence of str
        At least two numeric series.
    error_variance : mapping, optional
        ``{variable: sampling-variance column}`` for series measured with known error.
    contemporaneous : mapping, optional
        ``{target: [variables at the same t]}``: directed same-period within paths.
    standardize_vars : bool
        Estimates in true-score SD units (True) or the series' own units (False).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    RiClpmResult
        ``to_frame()``: ``kind, from, to, lag, estimate, se, ci_low, ci_high, p_value`` for the
        autoregressions, cross-lags, contemporaneous paths and the random intercepts'
        variances and correlations; ``fit`` (chi2, df, CFI, RMSEA), ``stable_share``,
        ``within_reliability``; ``conf_int(level=)``, ``summary()``.

    Raises
    ------
    DataError
        Missing or non-numeric columns, duplicated unit-period rows (named), fewer than 2
        variables or 3 periods, unequally spaced periods, a series that does not vary, or too
        few complete units.

    References
    ----------
    Hamaker, E. L., Kuiper, R. M. & Grasman, R. P. P. P. (2015). A critique of the cross-lagged
    panel model. *Psychological Methods* 20(1), 102-116.
    Mulder, J. D. & Hamaker, E. L. (2021). Three extensions of the random intercept
    cross-lagged panel model. *Structural Equation Modeling* 28(4), 638-648.

    Examples
    --------
    >>> from cxresearch.simulate.linkage import simulate_ri_clpm_panel
    >>> p = simulate_ri_clpm_panel(n_units=400, n_periods=5, coefs={("x", "y"): 0.2},
    ...                            intercept_corr=0.6, seed=1)
    >>> out = ri_clpm(p, "unit", "time", ["x", "y"], standardize_vars=False).to_frame()
    >>> round(float(out.set_index(["kind", "from", "to"]).loc[("cross-lag", "x", "y"),
    ...                                                        "estimate"]), 1)
    0.2
    """
    from scipy import stats
    from threadpoolctl import threadpool_limits

    require_frame(data)
    variables = list(variables)
    level = check_level(level)
    ev_map = dict(error_variance or {})
    contemp = {k: list(v) for k, v in (contemporaneous or {}).items()}
    if len(variables) < 2 or len(set(variables)) != len(variables):
        raise DataError(f"ri_clpm: give at least two distinct variables, got {variables}")
    unknown = [v for v in [*ev_map, *contemp, *(s for v in contemp.values() for s in v)]
               if v not in variables]
    if unknown:
        raise DataError(f"ri_clpm: {sorted(set(unknown))} in error_variance or contemporaneous "
                        f"are not among the variables {variables}")
    for tgt, srcs in contemp.items():
        for s in srcs:
            if s == tgt or tgt in contemp.get(s, []):
                raise DataError(f"ri_clpm: contemporaneous paths {s!r} -> {tgt!r} would form a "
                                "loop; same-period paths must run one way")
    require_columns(data, [unit, time, *variables, *ev_map.values()])
    require_numeric(data, [time, *variables, *ev_map.values()])
    dup = data.duplicated([unit, time])
    if dup.any():
        raise DataError(f"columns ({unit!r}, {time!r}) must identify rows; duplicates at rows "
                        f"{first_rows(dup, data.index)}")
    periods = np.sort(data[time].dropna().unique())
    if len(periods) < 3:
        raise DataError(f"ri_clpm: column {time!r} has {len(periods)} periods; the random "
                        "intercepts need at least 3")
    steps = np.diff(periods)
    if not np.allclose(steps, steps[0]):
        raise DataError(f"ri_clpm: the periods in column {time!r} ({periods.tolist()}) are not "
                        "equally spaced; one lag must be one step")
    cols = list(dict.fromkeys([*variables, *ev_map.values()]))
    wide, n_dropped = _wide(data, unit, time, cols, periods)
    k, n_t, n = len(variables), len(periods), len(wide)
    if n <= k * n_t:
        raise DataError(f"ri_clpm: {n} units are complete in every period of {variables} "
                        f"({n_dropped} are not); the model needs more than {k * n_t}")
    # true-score SD of each series over all used rows (as cross_lagged_panel scales them)
    scale, shift, err = {}, {}, {}
    for j, v in enumerate(variables):
        vals = wide[v].to_numpy(float)
        mean_ev = float(wide[ev_map[v]].to_numpy(float).mean()) if v in ev_map else 0.0
        var_true = float(vals.var(ddof=1)) - mean_ev
        if not var_true > 0:
            raise DataError(f"ri_clpm: column {v!r} does not vary"
                            + (" beyond its error variance" if v in ev_map else ""))
        scale[v], shift[v] = np.sqrt(var_true), float(vals.mean())
        if v in ev_map:
            for t, per in enumerate(periods):
                err[(j, t)] = float(wide[(ev_map[v], per)].mean()) / var_true
    obs = pd.DataFrame({f"y{j}_{t}": (wide[(v, per)].to_numpy(float) - shift[v]) / scale[v]
                        for j, v in enumerate(variables) for t, per in enumerate(periods)})
    idx = {v: j for j, v in enumerate(variables)}
    contemp_idx = {idx[t]: [idx[s] for s in srcs] for t, srcs in contemp.items()}
    # one BLAS thread: the matrices are small, and threads fighting over busy cores made the fit
    # ten times slower (and its last digits depend on the thread count)
    with threadpool_limits(limits=1, user_api="blas"):
        model = sem_fit(obs, _description(k, n_t, contemp_idx, err), name="ri_clpm")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, fim_inv = model.calc_fim(inverse=True)
    active = [name for name, p in model.parameters.items() if p.active]
    theta = np.asarray(model.param_vals, dtype=float)
    vcov = np.asarray(fim_inv, dtype=float)

    def value(name: str) -> tuple[float, float, int]:
        i = active.index(name)
        return float(theta[i]), float(np.sqrt(max(vcov[i, i], 0.0))), i

    recs = []
    for j, v in enumerate(variables):  # the equation of v: its autoregression, then cross-lags
        for i, w in [(j, v)] + [(i, w) for i, w in enumerate(variables) if i != j]:
            est, se, _ = value(f"b_{i}_{j}")
            recs.append({"kind": "autoregression" if i == j else "cross-lag", "from": w,
                         "to": v, "lag": 1, "estimate": est, "se": se})
        for i in contemp_idx.get(j, []):
            est, se, _ = value(f"c_{i}_{j}")
            recs.append({"kind": "contemporaneous", "from": variables[i], "to": v, "lag": 0,
                         "estimate": est, "se": se})
    for j, v in enumerate(variables):
        est, se, _ = value(f"phi_{j}_{j}")
        recs.append({"kind": "intercept variance", "from": v, "to": v, "lag": pd.NA,
                     "estimate": est, "se": se})
    for j in range(k):
        for i in range(j + 1, k):
            (a, _, ia), (b, _, ib), (c, _, ic) = (value(f"phi_{j}_{j}"), value(f"phi_{i}_{i}"),
                                                  value(f"phi_{j}_{i}"))
            r = c / np.sqrt(a * b)
            grad = np.zeros(theta.size)
            grad[ic], grad[ia], grad[ib] = 1 / np.sqrt(a * b), -r / (2 * a), -r / (2 * b)
            recs.append({"kind": "intercept correlation", "from": variables[j],
                         "to": variables[i], "lag": pd.NA, "estimate": r,
                         "se": float(np.sqrt(max(grad @ vcov @ grad, 0.0)))})
    paths = pd.DataFrame(recs)
    if not standardize_vars:  # back to each series' own units (ML is scale-equivariant)
        s_from, s_to = paths["from"].map(scale), paths["to"].map(scale)
        factor = np.where(paths["kind"] == "intercept correlation", 1.0,
                          np.where(paths["kind"] == "intercept variance", s_to * s_from,
                                   s_to / s_from))
        paths["estimate"] *= factor
        paths["se"] *= factor
    paths["lag"] = paths["lag"].astype("Int64")
    paths["ci_low"], paths["ci_high"] = _intervals(
        paths["kind"].to_numpy(), paths["estimate"].to_numpy(float),
        paths["se"].to_numpy(float), level)
    zval = paths["estimate"] / paths["se"]
    paths["p_value"] = np.where(
        (paths["kind"] != "intercept variance") & (paths["se"] > 0),
        2 * stats.norm.sf(np.abs(zval.to_numpy(float))), np.nan)
    # stable share: Var(RI_v) / average model-implied true-score variance of v over periods
    sigma, _ = model.calc_sigma()
    names = list(model.vars["observed"])
    share, within_rel = {}, {}
    for j, v in enumerate(variables):
        errs = np.array([err.get((j, t), 0.0) for t in range(n_t)])
        true_var = np.array([sigma[names.index(f"y{j}_{t}"), names.index(f"y{j}_{t}")]
                             for t in range(n_t)]) - errs
        phi = value(f"phi_{j}_{j}")[0]
        share[v] = phi / float(true_var.mean())
        within_rel[v] = float((true_var - phi).mean() / (true_var - phi + errs).mean())
    fit = _fit_indices(obs[names].to_numpy(float), np.asarray(sigma, float), len(active))
    order = {kind: i for i, kind in enumerate(_KINDS)}
    paths = paths.sort_values("kind", key=lambda s: s.map(order), kind="stable")
    paths = paths[["kind", "from", "to", "lag", "estimate", "se", "ci_low", "ci_high",
                   "p_value"]].reset_index(drop=True)
    return RiClpmResult(paths=paths, variables=tuple(variables), n_units=n, n_periods=n_t,
                        n_dropped=n_dropped, fit=fit, stable_share=share,
                        within_reliability=within_rel, standardized=standardize_vars, level=level)
