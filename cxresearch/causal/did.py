"""Difference in differences with staggered adoption: did outcomes change after a CX leader?

Firms appoint a CX leader in different years. The estimators, each a function here:

- :func:`event_study` -- group-time average treatment effects with not-yet-treated (or
  never-treated) comparison firms, aggregated by event time (Callaway & Sant'Anna 2021), which
  staggered appointment dates do not bias; an :class:`EventStudyResult` with a pre-trend test
  (:class:`PretrendTest`) and the post-period average (:class:`EffectEstimate`);
  with covariates (``method="reg"``, ``"ipw"``, ``"dr"``: Sant'Anna & Zhao 2020) and
  ``anticipation`` periods;
- :func:`placebo_test` -- fake appointment dates before the real ones;
- :func:`event_study_by` -- the effect within levels of a firm trait and their difference
  (leader x culture, "doing both");
- :func:`twfe_static` -- the conventional two-way fixed-effects estimate, for comparison only
  (biased with staggered timing and growing effects; Goodman-Bacon 2021);
- :func:`naive_comparison` -- treated against untreated firm-years (biased by selection);
- :func:`leader_cohorts` -- each firm's first treated year from the study's firm table.

The power of the event study is simulated by
:func:`cxresearch.causal.power.event_study_power_curve`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
)

__all__ = [
    "EffectEstimate",
    "EventStudyByResult",
    "EventStudyResult",
    "PretrendTest",
    "event_study",
    "event_study_by",
    "leader_cohorts",
    "naive_comparison",
    "placebo_test",
    "twfe_static",
]


# --------------------------------------------------------------------------------------------
# small results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectEstimate(Result):
    """One effect with a normal (Wald) interval ``estimate +- z se`` at ``level``.

    What :func:`twfe_static`, :func:`naive_comparison`, :func:`placebo_test` and
    :meth:`EventStudyResult.overall` return.

    Parameters
    ----------
    estimate, se : float
        The effect and its standard error.
    ci_low, ci_high : float
        The normal interval at ``level``.
    level : float
        Confidence level of the interval.
    method : str
        The estimator that produced it.
    n_event_times : int, optional
        Event times averaged (a post-period average only).

    Returns
    -------
    EffectEstimate
        ``to_frame()``, ``summary()``, ``conf_int(level)`` and the ``p_value`` property.

    Examples
    --------
    >>> r = EffectEstimate.wald(1.0, 0.5, method="demo")
    >>> round(r.ci_low, 3), round(r.p_value, 4)
    (0.02, 0.0455)
    >>> r.conf_int(0.9)[["ci_low", "ci_high"]].round(3).values.tolist()
    [[0.178, 1.822]]
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float = 0.95
    method: str = ""
    n_event_times: int | None = None

    @classmethod
    def wald(cls, estimate: float, se: float, level: float = 0.95, **kwargs: Any
             ) -> EffectEstimate:
        """The estimate with its normal interval at ``level``."""
        z = z_crit(level)
        return cls(float(estimate), float(se), float(estimate - z * se),
                   float(estimate + z * se), float(level), **kwargs)

    @property
    def p_value(self) -> float:
        """Two-sided normal p-value of ``estimate / se``."""
        from scipy import stats

        if not self.se > 0:
            return float("nan")
        return float(2 * stats.norm.sf(abs(self.estimate / self.se)))

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """One row ``estimate, se, ci_low, ci_high, level`` at ``level``."""
        r = EffectEstimate.wald(self.estimate, self.se, check_level(level))
        return pd.DataFrame([{"estimate": r.estimate, "se": r.se, "ci_low": r.ci_low,
                              "ci_high": r.ci_high, "level": r.level}])

    def to_frame(self) -> pd.DataFrame:
        """One row: ``method, estimate, se, ci_low, ci_high, p_value, level`` (and
        ``n_event_times`` for a post-period average)."""
        row: dict[str, Any] = {"method": self.method, "estimate": self.estimate, "se": self.se,
                               "ci_low": self.ci_low, "ci_high": self.ci_high,
                               "p_value": self.p_value, "level": self.level}
        if self.n_event_times is not None:
            row["n_event_times"] = self.n_event_times
        return pd.DataFrame([row])

    def summary(self) -> str:
        """``method: estimate [ci_low, ci_high] (SE se)``."""
        name = f"{self.method}: " if self.method else ""
        return (f"{name}{self.estimate:.4f} [{100 * self.level:g}% CI {self.ci_low:.4f}, "
                f"{self.ci_high:.4f}] (SE {self.se:.4f})")


@dataclass(frozen=True)
class PretrendTest(Result):
    """Joint Wald test that every pre-period event-time estimate is zero.

    What :meth:`EventStudyResult.pretrend_test` returns.

    Parameters
    ----------
    chi2 : float
        The Wald statistic.
    df : int
        Its degrees of freedom (the number of pre-period event times).
    p_value : float
        The chi-squared p-value.

    Returns
    -------
    PretrendTest
        ``to_frame()`` and ``summary()``.

    References
    ----------
    Roth, J. (2022). Pretest with caution: event-study estimates after testing for parallel
    trends. *American Economic Review: Insights* 4(3), 305-322.

    Examples
    --------
    >>> PretrendTest(chi2=1.5, df=2, p_value=0.472).summary()
    'pre-trend chi2(2) = 1.50, p = 0.472'
    """

    chi2: float
    df: int
    p_value: float

    def to_frame(self) -> pd.DataFrame:
        """One row ``chi2, df, p_value``."""
        return pd.DataFrame([{"chi2": self.chi2, "df": self.df, "p_value": self.p_value}])

    def summary(self) -> str:
        """``pre-trend chi2(df) = ..., p = ...``."""
        return f"pre-trend chi2({self.df}) = {self.chi2:.2f}, p = {self.p_value:.3f}"


@dataclass(frozen=True)
class EventStudyByResult(Result):
    """The post-period average effect within each level of a firm trait, and their differences.

    Made by :func:`event_study_by`.

    Parameters
    ----------
    estimates : DataFrame
        ``by, estimate, se, ci_low, ci_high, p_value, n_units``: one row per level, then one
        ``"<level> - <first>"`` difference row for each later level.
    by : str
        The trait column.
    outcome : str
        The outcome column.
    level : float
        Confidence level of the intervals in ``estimates``.

    Returns
    -------
    EventStudyByResult
        ``to_frame()``, ``summary()``, ``conf_int(level)``.

    Examples
    --------
    >>> f = pd.DataFrame({"by": ["0", "1", "1 - 0"], "estimate": [1.0, 2.0, 1.0],
    ...                   "se": [0.5, 0.5, 0.7], "ci_low": np.nan, "ci_high": np.nan,
    ...                   "p_value": np.nan, "n_units": [10, 10, 20]})
    >>> EventStudyByResult(f, by="culture", outcome="y").conf_int()["ci_low"].round(3).tolist()
    [0.02, 1.02, -0.372]
    """

    estimates: pd.DataFrame
    by: str
    outcome: str
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """``by, estimate, se, ci_low, ci_high, p_value, n_units``."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``by, estimate, se, ci_low, ci_high, level``: normal intervals at ``level``."""
        lvl = check_level(level)
        z = z_crit(lvl)
        out = self.estimates[["by", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - z * out["se"]
        out["ci_high"] = out["estimate"] + z * out["se"]
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """One line per row: the effect on ``outcome`` within each level and the differences."""
        rows = [f"{r.by}: {r.estimate:.3f} [{100 * self.level:g}% CI {r.ci_low:.3f}, "
                f"{r.ci_high:.3f}]" for r in self.estimates.itertuples()]
        return f"event study of {self.outcome!r} by {self.by!r}: " + "; ".join(rows)


# --------------------------------------------------------------------------------------------
# event study with staggered adoption (Callaway & Sant'Anna 2021)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventStudyResult(Result):
    """Event-time ATTs from group-time comparisons; ``vcov`` covers the non-reference rows.

    ``estimates`` carries normal intervals at ``level``; :meth:`conf_int` recomputes them at
    another level from the estimates and their SEs. Made by :func:`event_study`.

    Parameters
    ----------
    estimates : DataFrame
        ``event_time, estimate, se, ci_low, ci_high, p_value, n_treated, n_cohorts,
        reference``.
    group_time : DataFrame
        The group-time cells (``cohort, time, event_time, att, se, n_treated, n_control``).
    vcov : DataFrame
        Covariance of the non-reference event-time estimates.
    outcome, control, se_method : str
        What was estimated, against which comparison units, with which SEs.
    n_units, n_cohorts, dropped_units : int
        Units used, cohorts, and units dropped for having no pre-period.
    influence : ndarray
        Per-unit influence functions of the event-time estimates.
    level : float
        Confidence level of the intervals in ``estimates``.
    method : str
        The estimation method.
    covariates : tuple of str
        Covariates of conditional parallel trends.
    anticipation : int
        Anticipation periods (the reference event time is ``-1 - anticipation``).

    Returns
    -------
    EventStudyResult
        ``to_frame()``, ``summary()``, ``conf_int(level)``, ``pretrend_test()``,
        ``overall()``.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    >>> es = event_study(p, "y", "unit", "time", "first_treated", window=(-2, 2))
    >>> es.reference, es.conf_int(0.9)["ci_low"].round(2).tolist()
    (-1, [-0.23, 0.0, 0.65, 1.15, 1.76])
    """

    estimates: pd.DataFrame
    group_time: pd.DataFrame
    vcov: pd.DataFrame
    outcome: str
    control: str
    n_units: int
    n_cohorts: int
    dropped_units: int
    se_method: str
    influence: np.ndarray = field(default_factory=lambda: np.empty((0, 0)), repr=False)
    level: float = 0.95
    method: str = "analytic"
    covariates: tuple[str, ...] = ()
    anticipation: int = 0

    @property
    def reference(self) -> int:
        """The reference event time, ``-1 - anticipation``."""
        return -1 - self.anticipation

    def to_frame(self) -> pd.DataFrame:
        """event_time, estimate, se, ci_low, ci_high, p_value, n_treated, n_cohorts, reference."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``event_time, estimate, se, ci_low, ci_high, level`` at ``level``."""
        lvl = check_level(level)
        z = z_crit(lvl)
        out = self.estimates[["event_time", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - z * out["se"]
        out["ci_high"] = out["estimate"] + z * out["se"]
        out["level"] = lvl
        return out

    def pretrend_test(self) -> PretrendTest:
        """Joint Wald test that every pre-period estimate (event time < reference) is zero.

        ``W = theta' V^-1 theta ~ chi2(k)`` under parallel pre-trends. A non-rejection is weak
        evidence: pre-trend tests have low power and conditioning on passing them distorts
        inference (Roth 2022, *AER: Insights* 4(3)).
        """
        from scipy import stats

        pre = [e for e in self.vcov.index if e < self.reference]
        if not pre:
            return PretrendTest(chi2=np.nan, df=0, p_value=np.nan)
        theta = self.estimates.set_index("event_time").loc[pre, "estimate"].to_numpy()
        v = self.vcov.loc[pre, pre].to_numpy()
        w = float(theta @ np.linalg.pinv(v) @ theta)
        return PretrendTest(chi2=w, df=len(pre), p_value=float(stats.chi2.sf(w, len(pre))))

    def overall(self, level: float | None = None) -> EffectEstimate:
        """Average of the post-appointment event-time estimates (event time >= 0), with its SE.

        This is Callaway & Sant'Anna's "dynamic" summary over the window: each event time
        weighs the same. The interval is normal, at ``level`` (default: the fitted level).
        """
        post = [e for e in self.vcov.index if e >= 0]
        if not post:
            raise DataError(
                f"event study of {self.outcome!r}: no post-treatment event time has both treated "
                "and comparison units, so there is no post-period average"
            )
        theta = self.estimates.set_index("event_time").loc[post, "estimate"].to_numpy()
        g = np.full(len(post), 1.0 / len(post))
        est = float(g @ theta)
        se = float(np.sqrt(g @ self.vcov.loc[post, post].to_numpy() @ g))
        lvl = self.level if level is None else check_level(level)
        return EffectEstimate.wald(est, se, lvl, method="event study",
                                   n_event_times=len(post))

    def summary(self) -> str:
        """One line: sample, post-period average with its interval, pre-trend test."""
        pt = self.pretrend_test()
        ov = self.overall()
        return (
            f"event study of {self.outcome!r}: {self.n_units} units, {self.n_cohorts} cohorts, "
            f"{self.control} controls, {self.se_method} SEs; post average {ov.estimate:.3f} "
            f"[{ov.ci_low:.3f}, {ov.ci_high:.3f}]; pre-trend chi2({pt.df}) = "
            f"{pt.chi2:.2f}, p = {pt.p_value:.3f}"
        )


def _prepare_panel(
    panel: pd.DataFrame, outcome: str, unit: str, time: str, first_treated: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    require_columns(panel, [outcome, unit, time, first_treated])
    if not pd.api.types.is_numeric_dtype(panel[time]):
        raise DataError(f"column {time!r} must be numeric (integer periods)")
    if not pd.api.types.is_numeric_dtype(panel[outcome]):
        raise DataError(f"column {outcome!r} must be numeric")
    t_vals = panel[time].to_numpy(dtype=float)
    if np.any(~np.isfinite(t_vals)) or np.any(t_vals != np.round(t_vals)):
        bad = np.flatnonzero(~np.isfinite(t_vals) | (t_vals != np.round(t_vals)))[:5]
        raise DataError(f"column {time!r}: non-integer or missing periods at rows {list(bad)}")
    dup = panel.duplicated([unit, time])
    if dup.any():
        rows = list(panel.index[dup.to_numpy()][:5])
        raise DataError(f"columns ({unit!r}, {time!r}) must identify rows; duplicates at {rows}")
    ft = pd.to_numeric(panel[first_treated], errors="coerce").astype(float)
    bad_ft = panel[first_treated].notna().to_numpy() & ft.isna().to_numpy()
    if bad_ft.any():
        rows = list(panel.index[bad_ft][:5])
        raise DataError(f"column {first_treated!r}: non-numeric values at rows {rows}")
    ft = ft.fillna(np.inf)  # missing = never treated
    per_unit = pd.DataFrame({"u": panel[unit].to_numpy(), "g": ft.to_numpy()}).groupby(
        "u", sort=True
    )["g"]
    if (per_unit.nunique(dropna=False) > 1).any():
        bad_units = list(per_unit.nunique()[per_unit.nunique() > 1].index[:5])
        raise DataError(f"column {first_treated!r} varies within unit(s) {bad_units}")
    wide = panel.pivot(index=unit, columns=time, values=outcome).sort_index()
    times = wide.columns.to_numpy(dtype=float)
    y = wide.to_numpy(dtype=float)
    g = per_unit.first().reindex(wide.index).to_numpy(dtype=float)
    return y, g, times, wide.index.to_numpy(), np.isfinite(y)


def _covariate_array(data: pd.DataFrame, covariates: list[str], unit: str, time: str,
                     units: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Covariates as units x periods x covariates (NaN where a unit-period is absent)."""
    require_columns(data, covariates)
    for c in covariates:
        if not pd.api.types.is_numeric_dtype(data[c]):
            raise DataError(f"covariate column {c!r} must be numeric, got {data[c].dtype}")
    out = np.full((len(units), len(times), len(covariates)), np.nan)
    for k, c in enumerate(covariates):
        wide = data.pivot(index=unit, columns=time, values=c).reindex(index=units,
                                                                      columns=times)
        out[:, :, k] = wide.to_numpy(dtype=float)
    return out


def _check_cell_covariates(x: np.ndarray, cells: list[dict], covariates: list[str],
                           units: np.ndarray, times: np.ndarray) -> None:
    for cell in cells:
        idx = cell["treated"] | cell["control"]
        bad = idx & ~np.all(np.isfinite(x[:, cell["jb"], :]), axis=1)
        if bad.any():
            raise DataError(f"covariates {covariates}: missing values at base period "
                            f"{times[cell['jb']]:g} for unit(s) {list(units[bad][:5])}")


def _group_time_cells(
    y: np.ndarray,
    g: np.ndarray,
    times: np.ndarray,
    window: tuple[int, int],
    control: str,
    anticipation: int = 0,
) -> list[dict]:
    """Index sets for every (cohort, period) cell inside the window (universal base
    g - 1 - anticipation; not-yet-treated controls untreated until max(t, base) + anticipation)."""
    col = {t: j for j, t in enumerate(times)}
    obs = np.isfinite(y)
    cells = []
    ref = -1 - anticipation
    cohorts = sorted(c for c in np.unique(g[np.isfinite(g)]) if c + ref in col)
    for c in cohorts:
        base = c + ref
        for e in range(window[0], window[1] + 1):
            t = c + e
            if t not in col or e == ref:
                continue
            jt, jb = col[t], col[base]
            both = obs[:, jt] & obs[:, jb]
            treated = both & (g == c)
            if control == "not_yet_treated":
                ctrl = both & (g > max(t, base) + anticipation) & (g != c)
            else:
                ctrl = both & ~np.isfinite(g)
            if treated.sum() == 0 or ctrl.sum() == 0:
                continue
            cells.append(
                {"cohort": c, "time": t, "event_time": e, "jt": jt, "jb": jb, "treated": treated,
                 "control": ctrl}
            )
    return cells


def _aggregate(
    y: np.ndarray, cells: list[dict], w: np.ndarray, event_times: list[int],
    x: np.ndarray | None = None, estimator: str = "analytic",
) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Event-time ATTs (cohort-size weighted) and per-unit influence functions.

    ``w`` are unit weights (1 for the estimate, multinomial counts for the bootstrap). With
    covariates ``x`` (units x periods x covariates, taken at each cell's base period) the cell
    ATT is the outcome-regression, IPW or doubly robust DiD of :func:`_cell_att_cov`.
    """
    if x is not None:
        return _aggregate_cov(y, cells, event_times, x, estimator)
    n_units = y.shape[0]
    att_e = np.zeros(len(event_times))
    psi_e = np.zeros((n_units, len(event_times)))
    mass = np.zeros(len(event_times))
    rows = []
    pos = {e: k for k, e in enumerate(event_times)}
    for cell in cells:
        d = np.nan_to_num(y[:, cell["jt"]] - y[:, cell["jb"]])
        wt = w * cell["treated"]
        wc = w * cell["control"]
        nt, nc = wt.sum(), wc.sum()
        if nt == 0 or nc == 0:
            continue
        mt, mc = (wt @ d) / nt, (wc @ d) / nc
        att = mt - mc
        psi = wt * (d - mt) / nt - wc * (d - mc) / nc
        k = pos[cell["event_time"]]
        att_e[k] += nt * att
        psi_e[:, k] += nt * psi
        mass[k] += nt
        rows.append(
            {"cohort": cell["cohort"], "time": cell["time"], "event_time": cell["event_time"],
             "att": att, "se": float(np.sqrt(np.sum(psi**2))), "n_treated": nt,
             "n_control": nc}
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        att_e = att_e / mass
        psi_e = psi_e / mass
    return att_e, psi_e, rows



def _logit_fit(xm: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Logit propensity fitted by Newton-Raphson to a step below 1e-12 (max 100 steps)."""
    beta = np.zeros(xm.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-(xm @ beta)))
        h = (xm * (p * (1 - p))[:, None]).T @ xm
        step = np.linalg.solve(h, xm.T @ (d - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    return beta


def _cell_att_cov(dy: np.ndarray, d: np.ndarray, xm: np.ndarray, estimator: str
                  ) -> tuple[float, np.ndarray]:
    """Covariate-adjusted DiD of one cell and its influence function (per unit, mean zero).

    ``dy`` = Y_t - Y_base, ``d`` = 1 for the cohort, 0 for the comparison units, ``xm`` the
    covariates with an intercept. Sant'Anna & Zhao (2020): ``"reg"`` the outcome-regression
    DiD (Heckman, Ichimura & Todd 1997), ``"ipw"`` the normalised (Hajek) IPW DiD (Abadie
    2005), ``"dr"`` the doubly robust DiD (their eq. 3.1, "traditional" estimator of
    ``DRDID::drdid_panel``). Returns the ATT and ``IF_i`` so that ``Var(ATT) = sum IF_i^2 / n^2``.
    """
    n = len(dy)
    ctrl = d == 0
    beta_o = np.linalg.lstsq(xm[ctrl], dy[ctrl], rcond=None)[0]
    out = xm @ beta_o
    xpx_inv = np.linalg.inv((xm[ctrl]).T @ xm[ctrl] / n)
    lin_ols = ((1 - d) * (dy - out))[:, None] * xm @ xpx_inv
    if estimator == "reg":
        mean_d = d.mean()
        eta_t = np.mean(d * dy) / mean_d
        eta_c = np.mean(d * out) / mean_d
        inf_t = (d * dy - d * eta_t) / mean_d
        m1 = np.mean(d[:, None] * xm, axis=0)
        inf_c = (d * out - d * eta_c + lin_ols @ m1) / mean_d
        return float(eta_t - eta_c), inf_t - inf_c
    beta_p = _logit_fit(xm, d)
    ps = np.minimum(1 / (1 + np.exp(-(xm @ beta_p))), 1 - 1e-6)
    hess = np.linalg.inv((xm * (ps * (1 - ps))[:, None]).T @ xm) * n
    lin_ps = ((d - ps)[:, None] * xm) @ hess
    w_t = d
    w_c = ps * (1 - d) / (1 - ps)
    if estimator == "ipw":
        eta_t = np.mean(w_t * dy) / w_t.mean()
        eta_c = np.mean(w_c * dy) / w_c.mean()
        inf_t = (w_t * dy - w_t * eta_t) / w_t.mean()
        m2 = np.mean((w_c * (dy - eta_c))[:, None] * xm, axis=0)
        inf_c = (w_c * dy - w_c * eta_c + lin_ps @ m2) / w_c.mean()
        return float(eta_t - eta_c), inf_t - inf_c
    r = dy - out
    eta_t = np.mean(w_t * r) / w_t.mean()
    eta_c = np.mean(w_c * r) / w_c.mean()
    m1 = np.mean(w_t[:, None] * xm, axis=0)
    inf_t = (w_t * r - w_t * eta_t - lin_ols @ m1) / w_t.mean()
    m2 = np.mean((w_c * (r - eta_c))[:, None] * xm, axis=0)
    m3 = np.mean(w_c[:, None] * xm, axis=0)
    inf_c = (w_c * r - w_c * eta_c + lin_ps @ m2 - lin_ols @ m3) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c


def _aggregate_cov(
    y: np.ndarray, cells: list[dict], event_times: list[int], x: np.ndarray, estimator: str
) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """:func:`_aggregate` with covariate-adjusted cells (analytic influence functions)."""
    n_units = y.shape[0]
    att_e = np.zeros(len(event_times))
    psi_e = np.zeros((n_units, len(event_times)))
    mass = np.zeros(len(event_times))
    rows = []
    pos = {e: k for k, e in enumerate(event_times)}
    for cell in cells:
        idx = np.flatnonzero(cell["treated"] | cell["control"])
        dy = y[idx, cell["jt"]] - y[idx, cell["jb"]]
        dd = cell["treated"][idx].astype(float)
        xm = np.column_stack([np.ones(len(idx)), x[idx, cell["jb"], :]])
        if np.linalg.matrix_rank(xm[dd == 0]) < xm.shape[1]:
            raise DataError(
                f"covariates are constant or collinear among the comparison units of cohort "
                f"{cell['cohort']:g}, period {cell['time']:g}; drop or combine them")
        att, inf = _cell_att_cov(dy, dd, xm, estimator)
        psi = np.zeros(n_units)
        psi[idx] = inf / len(idx)
        nt = float(dd.sum())
        k = pos[cell["event_time"]]
        att_e[k] += nt * att
        psi_e[:, k] += nt * psi
        mass[k] += nt
        rows.append(
            {"cohort": cell["cohort"], "time": cell["time"], "event_time": cell["event_time"],
             "att": att, "se": float(np.sqrt(np.sum(psi**2))), "n_treated": nt,
             "n_control": float(len(idx) - nt)}
        )
    att_e = att_e / mass
    psi_e = psi_e / mass
    return att_e, psi_e, rows


_METHODS = ("analytic", "bootstrap", "reg", "ipw", "dr")


def event_study(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    window: tuple[int, int] = (-3, 3),
    control: str = "not_yet_treated",
    covariates: Sequence[str] | None = None,
    method: str = "analytic",
    anticipation: int = 0,
    cluster: str | None = None,
    n_boot: int = 499,
    seed: int | None = 0,
    level: float = 0.95,
) -> EventStudyResult:
    """Event study of a staggered treatment (e.g. appointing a CX leader), robust to timing.

    For every cohort g (units first treated in period g) and period t, the group-time average
    treatment effect on the treated is a difference in differences against the base period g-1
    (Callaway & Sant'Anna 2021, eq. 2.6, with a universal base period):

        ATT(g, t) = E[Y_t - Y_{g-1} | G = g] - E[Y_t - Y_{g-1} | C_{g,t}]

    where the comparison set C is the units not yet treated by max(t, g-1) (``control =
    "not_yet_treated"``, never-treated units included) or the never-treated only. Only units
    observed in both t and g-1 enter a cell, so unbalanced panels are fine. Event-time
    estimates average the cells with t - g = e, weighting cohorts by their number of treated
    units: ``ATT(e) = sum_g n_g ATT(g, g+e) / sum_g n_g``. Because already-treated units are never
    used as controls, heterogeneous and dynamic effects do not contaminate the estimates as they
    do in two-way fixed effects (Goodman-Bacon 2021; Sun & Abraham 2021).

    Standard errors come from the per-unit influence functions of the cell means, summed within
    clusters (units by default, so serial correlation within a unit is allowed), with a G/(G-1)
    correction; cohort weights are treated as fixed. ``method="bootstrap"`` resamples clusters
    instead. Event time -1 is the reference row (estimate 0, se 0). Pre-period rows (e < -1)
    test parallel trends: see :meth:`EventStudyResult.pretrend_test`.

    Parameters
    ----------
    data : DataFrame
        Long panel, one row per unit and period; periods are integers.
    outcome : str
        The outcome column (numeric).
    unit, time : str
        Unit and period columns.
    first_treated : str
        The period in which the unit is first treated; missing (NA) = never treated. Units
        treated in or before the first period are dropped (no pre-period).
    window : (int, int)
        Event times reported, ``lo <= -1 <= hi``.
    control : {"not_yet_treated", "never_treated"}
        The comparison units.
    covariates : sequence of str, optional
        Numeric covariates for conditional parallel trends, taken at each cell's base period
        (use time-invariant traits, or pre-treatment values); need ``method`` "reg", "ipw" or
        "dr".
    method : {"analytic", "bootstrap", "reg", "ipw", "dr"}
        ``"analytic"`` (default): unconditional DiD with influence-function SEs;
        ``"bootstrap"``: the same estimates with a cluster bootstrap;
        with ``covariates``: ``"reg"`` outcome-regression DiD (Heckman, Ichimura & Todd 1997),
        ``"ipw"`` normalised inverse-probability-weighted DiD (Abadie 2005) or ``"dr"`` doubly
        robust DiD (Sant'Anna & Zhao 2020, consistent if either the propensity score or the
        outcome regression is right), each with analytic influence-function SEs that include
        the estimation of the nuisance models. Without covariates all five give the same
        estimates.
    anticipation : int
        Periods before the official appointment in which the effect may already start
        (Callaway & Sant'Anna 2021, Assumption 3): the base period becomes
        ``g - 1 - anticipation`` (the reference row ``-1 - anticipation``), comparison units
        must be untreated until ``max(t, base) + anticipation``, and event times between the
        reference and 0 estimate the anticipation effects.
    cluster : str, optional
        A column constant within unit to cluster the SEs by (default: the unit).
    n_boot : int
        Bootstrap replications (``method="bootstrap"``).
    seed : int or None
        Seed of the bootstrap.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    EventStudyResult
        ``to_frame()``: ``event_time, estimate, se, ci_low, ci_high, p_value, n_treated,
        n_cohorts, reference``; ``pretrend_test()``, ``overall()`` (the post-period average),
        ``conf_int(level)``, the group-time cells and the covariance of the estimates.

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    periods. *J. Econometrics* 225(2), 200-230.
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *J. Econometrics* 225(2), 254-277.
    Sun, L. & Abraham, S. (2021). Estimating dynamic treatment effects in event studies with
    heterogeneous treatment effects. *J. Econometrics* 225(2), 175-199.
    Roth, J. (2022). Pretest with caution: event-study estimates after testing for parallel
    trends. *American Economic Review: Insights* 4(3), 305-322.
    Sant'Anna, P. H. C. & Zhao, J. (2020). Doubly robust difference-in-differences estimators.
    *J. Econometrics* 219(1), 101-122.
    Abadie, A. (2005). Semiparametric difference-in-differences estimators. *Review of
    Economic Studies* 72(1), 1-19.
    Heckman, J., Ichimura, H. & Todd, P. (1997). Matching as an econometric evaluation
    estimator. *Review of Economic Studies* 64(4), 605-654.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, truth = simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    >>> es = event_study(p, "y", "unit", "time", "first_treated", window=(-2, 2))
    >>> es.to_frame()[["event_time", "estimate"]].round(1).to_dict("list")
    {'event_time': [-2, -1, 0, 1, 2], 'estimate': [-0.0, 0.0, 0.8, 1.3, 2.0]}
    >>> truth.set_index("event_time").loc[[0, 1, 2], "att"].round(1).tolist()
    [1.0, 1.5, 2.0]
    >>> round(es.overall().estimate, 2), round(es.pretrend_test().p_value, 2)
    (1.38, 0.66)

    Conditional parallel trends: a firm trait ``x`` drives both appointment and the trend.

    >>> from cxresearch.simulate.threats import simulate_threat_panel
    >>> p, truth = simulate_threat_panel("confounding", n_units=600, seed=2)
    >>> dr = event_study(p, "y", "unit", "time", "first_treated", covariates=["x"],
    ...                  method="dr")
    >>> plain = event_study(p, "y", "unit", "time", "first_treated")
    >>> round(dr.overall().estimate, 1), round(plain.overall().estimate, 1)
    (1.3, 1.8)
    """
    from scipy import stats

    level = check_level(level)
    if control not in {"not_yet_treated", "never_treated"}:
        raise DataError(f"control must be 'not_yet_treated' or 'never_treated', got {control!r}")
    lo, hi = int(window[0]), int(window[1])
    if not lo <= -1 <= hi or lo >= hi:
        raise DataError(f"window must contain -1 and have lo < hi, got {window}")
    if method not in _METHODS:
        raise DataError(f"method must be one of {_METHODS}, got {method!r}")
    if isinstance(anticipation, bool) or not isinstance(anticipation, (int, np.integer)) \
            or anticipation < 0:
        raise DataError(f"anticipation must be an int >= 0, got {anticipation!r}")
    anticipation = int(anticipation)
    if not lo <= -1 - anticipation:
        raise DataError(f"window must contain the reference period {-1 - anticipation} "
                        f"(anticipation={anticipation}), got {window}")
    covariates = list(covariates) if covariates is not None else []
    if covariates and method in ("analytic", "bootstrap"):
        raise DataError(f"covariates {covariates} need method='reg', 'ipw' or 'dr' "
                        f"(got method={method!r})")
    if method == "bootstrap":
        n_boot = check_n_boot(n_boot, minimum=2)
        seed = check_seed(seed)
    y, g, times, units, _ = _prepare_panel(data, outcome, unit, time, first_treated)
    x = _covariate_array(data, covariates, unit, time, units, times) if covariates else None
    # Units treated in or before the first observed period have no pre-period: they are neither
    # treated units with a base period nor valid controls.
    always = np.isfinite(g) & (g <= np.nanmin(times) + anticipation)
    keep = ~always
    y, g, units = y[keep], g[keep], units[keep]
    if x is not None:
        x = x[keep]
    cells = _group_time_cells(y, g, times, (lo, hi), control, anticipation)
    if x is not None:
        _check_cell_covariates(x, cells, covariates, units, times)
    if not cells:
        raise DataError(
            "event_study: no (cohort, period) cell has both treated and comparison units "
            f"with the base period observed; cohorts: {sorted(set(g[np.isfinite(g)]))[:10]}"
        )
    event_times = sorted({c["event_time"] for c in cells})
    ones = np.ones(len(g))
    estimator = method if covariates else "analytic"
    att_e, psi_e, rows = _aggregate(y, cells, ones, event_times, x, estimator)
    if cluster is None:
        cl_codes = np.arange(len(g))
    else:
        require_columns(data, [cluster])
        per_unit = data.groupby(unit, sort=True)[cluster]
        if (per_unit.nunique() > 1).any():
            raise DataError(f"column {cluster!r} must be constant within {unit!r}")
        cl_codes = pd.factorize(per_unit.first().reindex(units))[0]
    n_cl = int(cl_codes.max() + 1)
    if method != "bootstrap":  # analytic influence functions (also for reg / ipw / dr)
        psi_c = np.zeros((n_cl, len(event_times)))
        np.add.at(psi_c, cl_codes, psi_e)
        vcov = psi_c.T @ psi_c * (n_cl / (n_cl - 1))
    else:
        rng = np.random.default_rng(seed)
        draws = np.empty((n_boot, len(event_times)))
        for r in range(n_boot):
            counts = np.bincount(rng.integers(0, n_cl, n_cl), minlength=n_cl).astype(float)
            draws[r] = _aggregate(y, cells, counts[cl_codes], event_times)[0]
        vcov = np.cov(draws, rowvar=False, ddof=1).reshape(len(event_times), len(event_times))
    se_e = np.sqrt(np.diag(vcov))
    gt = pd.DataFrame(rows)
    n_treated = gt.groupby("event_time")["n_treated"].sum()
    n_coh = gt.groupby("event_time")["cohort"].nunique()
    z = z_crit(level)
    est = pd.DataFrame(
        {
            "event_time": event_times,
            "estimate": att_e,
            "se": se_e,
        }
    )
    est["ci_low"] = est["estimate"] - z * est["se"]
    est["ci_high"] = est["estimate"] + z * est["se"]
    est["p_value"] = 2 * stats.norm.sf(np.abs(est["estimate"] / est["se"]))
    est["n_treated"] = est["event_time"].map(n_treated).astype(int)
    est["n_cohorts"] = est["event_time"].map(n_coh).astype(int)
    est["reference"] = False
    ref = pd.DataFrame(
        {"event_time": [-1 - anticipation], "estimate": [0.0], "se": [0.0], "ci_low": [0.0],
         "ci_high": [0.0],
         "p_value": [np.nan], "n_treated": [int(np.isfinite(g).sum())],
         "n_cohorts": [len(np.unique(g[np.isfinite(g)]))], "reference": [True]}
    )
    est = pd.concat([est, ref], ignore_index=True).sort_values("event_time").reset_index(drop=True)
    return EventStudyResult(
        estimates=est,
        group_time=gt,
        vcov=pd.DataFrame(vcov, index=event_times, columns=event_times),
        outcome=outcome,
        control=control,
        n_units=len(g),
        n_cohorts=len(np.unique(g[np.isfinite(g)])),
        dropped_units=int(always.sum()),
        se_method=method if cluster is None else f"{method}, clustered by {cluster}",
        influence=psi_e,
        level=level,
        method=method if covariates else ("analytic" if method in ("reg", "ipw", "dr")
                                          else method),
        covariates=tuple(covariates),
        anticipation=anticipation,
    )


def placebo_test(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    shift: int = 2,
    control: str = "not_yet_treated",
    covariates: Sequence[str] | None = None,
    method: str = "analytic",
    level: float = 0.95,
) -> EffectEstimate:
    """Placebo test with fake appointment dates ``shift`` periods before the real ones.

    Only the periods before each firm's real appointment are kept (never-treated firms keep
    all), every appointment is moved ``shift`` periods earlier, and :func:`event_study` runs
    on that panel with window ``(-2, shift - 1)``. Its post-period average estimates the
    "effect" of an appointment that had not happened yet: under parallel trends it is zero,
    and an interval that excludes zero flags a pre-existing divergence (a slump before the
    appointment, anticipation, a trend).

    Parameters
    ----------
    data, outcome, unit, time, first_treated : as in :func:`event_study`
    shift : int
        How many periods earlier the fake appointments are (>= 1).
    control, covariates, method : as in :func:`event_study`
    level : float
        Confidence level of the interval.

    Returns
    -------
    EffectEstimate
        The placebo effect (method ``"placebo, appointment moved k periods earlier"``).

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). *J. Econometrics* 225(2), 200-230.
    Roth, J., Sant'Anna, P. H. C., Bilinski, A. & Poe, J. (2023). What's trending in
    difference-in-differences? *J. Econometrics* 235(2), 2218-2244.

    Examples
    --------
    >>> from cxresearch.simulate.threats import simulate_threat_panel
    >>> p, _ = simulate_threat_panel("parallel", n_units=800, n_periods=10, seed=0)
    >>> pl = placebo_test(p, "y", "unit", "time", "first_treated", shift=2)
    >>> bool(pl.ci_low < 0 < pl.ci_high)
    True
    """
    level = check_level(level)
    if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or shift < 1:
        raise DataError(f"shift must be an int >= 1, got {shift!r}")
    require_columns(data, [outcome, unit, time, first_treated])
    ft = pd.to_numeric(data[first_treated], errors="coerce").astype(float)
    before = ft.isna() | (data[time].to_numpy(dtype=float) < ft)
    work = data.loc[before.to_numpy()].copy()
    fake = pd.to_numeric(work[first_treated], errors="coerce").astype(float) - shift
    work[first_treated] = fake
    res = event_study(work, outcome, unit, time, first_treated, window=(-2, int(shift) - 1),
                      control=control, covariates=covariates, method=method, level=level)
    ov = res.overall()
    return EffectEstimate.wald(ov.estimate, ov.se, level,
                               method=f"placebo, appointment moved {shift} periods earlier",
                               n_event_times=ov.n_event_times)


def event_study_by(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    by: str,
    *,
    window: tuple[int, int] = (-3, 3),
    control: str = "not_yet_treated",
    covariates: Sequence[str] | None = None,
    method: str = "analytic",
    anticipation: int = 0,
    level: float = 0.95,
) -> EventStudyByResult:
    """Effect of the appointment within each level of a firm trait, and their difference.

    "Doing both": does a dedicated CX leader pay off more where employees are empowered? Split
    the firms by ``by`` (constant within firm, e.g. ``culture`` 0/1), run :func:`event_study`
    within each group (treated firms compared with comparison firms of the same group), and
    contrast the post-period averages. The groups are disjoint sets of firms, so the difference
    ``ATT(b2) - ATT(b1)`` has variance ``se1^2 + se2^2``; it estimates the leader x trait
    interaction (effect modification, not the causal effect of the trait itself, which is
    not randomised).

    Parameters
    ----------
    data, outcome, unit, time, first_treated : as in :func:`event_study`
    by : str
        A firm-level column with two or more levels.
    window, control, covariates, method, anticipation : as in :func:`event_study`
    level : float
        Confidence level of the intervals.

    Returns
    -------
    EventStudyByResult
        ``to_frame()``: ``by, estimate, se, ci_low, ci_high, p_value, n_units``, one row per
        level, then one ``"<last> - <first>"`` difference row for each later level against the
        first.

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). *J. Econometrics* 225(2), 200-230.
    VanderWeele, T. J. (2009). On the distinction between interaction and effect
    modification. *Epidemiology* 20(6), 863-871.

    Examples
    --------
    >>> from cxresearch.simulate.threats import simulate_threat_panel
    >>> p, truth = simulate_threat_panel("culture", n_units=1000, seed=0)
    >>> out = event_study_by(p, "y", "unit", "time", "first_treated", by="culture").to_frame()
    >>> out["by"].tolist()
    ['0', '1', '1 - 0']
    >>> round(float(out["estimate"].iloc[2]), 1)
    1.4
    """
    from scipy import stats

    level = check_level(level)
    require_columns(data, [by, unit])
    per_unit = data.groupby(unit, sort=True)[by]
    if (per_unit.nunique(dropna=False) > 1).any():
        bad = list(per_unit.nunique()[per_unit.nunique() > 1].index[:5])
        raise DataError(f"column {by!r} must be constant within {unit!r}; varies in {bad}")
    levels = sorted(data[by].dropna().unique())
    if len(levels) < 2:
        raise DataError(f"column {by!r} needs at least two levels, got {levels}")
    z = z_crit(level)
    recs = []
    for lv in levels:
        sub = data[data[by] == lv]
        res = event_study(sub, outcome, unit, time, first_treated, window=window,
                          control=control, covariates=covariates, method=method,
                          anticipation=anticipation, level=level)
        ov = res.overall()
        recs.append({"by": str(lv), "estimate": ov.estimate, "se": ov.se,
                     "n_units": res.n_units})
    for r in recs[1:]:
        recs.append({"by": f"{r['by']} - {recs[0]['by']}",
                     "estimate": r["estimate"] - recs[0]["estimate"],
                     "se": float(np.hypot(r["se"], recs[0]["se"])),
                     "n_units": r["n_units"] + recs[0]["n_units"]})
    out = pd.DataFrame(recs)
    out["ci_low"] = out["estimate"] - z * out["se"]
    out["ci_high"] = out["estimate"] + z * out["se"]
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["estimate"] / out["se"]))
    return EventStudyByResult(
        out[["by", "estimate", "se", "ci_low", "ci_high", "p_value", "n_units"]],
        by=by, outcome=outcome, level=level)


def leader_cohorts(
    data: pd.DataFrame,
    first_year: int,
    unit: str = "firm_id",
    leader_year: str = "cx_leader_year",
    owner: str = "cx_owner",
    leader_value: str = "cx_leader",
) -> pd.Series:
    """Year each firm was first treated (appointed a CX leader), for :func:`event_study`.

    In the study's ``firms`` table ``cx_leader_year`` is missing both for firms that never
    appointed a leader and for firms that already had one before the panel. The second group
    is always treated: it must not serve as a "never treated" comparison (its effect may still
    be evolving), so it gets ``first_year`` and :func:`event_study` drops it.

    Parameters
    ----------
    data : DataFrame
        One row per firm.
    first_year : int
        The panel's first period.
    unit : str
        The firm id column.
    leader_year : str
        Year of appointment (missing: never, or before the panel).
    owner : str
        Column of CX ownership models (:data:`cxresearch.core.contract.OWNERS`).
    leader_value : str
        The value of ``owner`` that means a dedicated CX leader.

    Returns
    -------
    Series
        Nullable Int64 ``first_treated`` indexed by ``unit`` (NA = never treated).

    Examples
    --------
    >>> f = pd.DataFrame({"firm_id": ["A", "B", "C"], "cx_leader_year": [2022, None, None],
    ...                   "cx_owner": ["cx_leader", "cx_leader", "ceo"]})
    >>> leader_cohorts(f, first_year=2019).tolist()
    [2022, 2019, <NA>]
    """
    require_columns(data, [unit, leader_year, owner])
    year = pd.to_numeric(data[leader_year], errors="coerce").astype("Float64")
    before = year.isna() & (data[owner] == leader_value)
    out = year.mask(before, float(first_year)).round().astype("Int64")
    return pd.Series(out.array, index=pd.Index(data[unit].to_numpy(), name=unit),
                     name="first_treated")


def twfe_static(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    level: float = 0.95,
) -> EffectEstimate:
    """Static two-way fixed effects: ``y_it = a_i + l_t + beta D_it + e_it``, SEs by unit.

    The conventional estimator, for comparison only. With staggered timing and effects that grow
    or differ across cohorts, beta is a weighted average of comparisons that include
    already-treated units as controls, some with negative weights, so it can be far from any
    average effect (Goodman-Bacon 2021; de Chaisemartin & D'Haultfoeuille 2020). Fitted with
    ``linearmodels.PanelOLS``, SEs clustered by unit, normal interval at ``level``.

    Parameters
    ----------
    data : DataFrame
        Long panel.
    outcome, unit, time, first_treated : str
        As in :func:`event_study`; ``D_it = 1[t >= first_treated]``.
    level : float
        Confidence level of the interval.

    Returns
    -------
    EffectEstimate
        ``estimate, se, ci_low, ci_high``.

    References
    ----------
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *J. Econometrics* 225(2), 254-277.
    de Chaisemartin, C. & D'Haultfoeuille, X. (2020). Two-way fixed effects estimators with
    heterogeneous treatment effects. *American Economic Review* 110(9), 2964-2996.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    >>> round(twfe_static(p, "y", "unit", "time", "first_treated").estimate, 1)
    1.3
    """
    from linearmodels.panel import PanelOLS

    level = check_level(level)
    require_columns(data, [outcome, unit, time, first_treated])
    ft = pd.to_numeric(data[first_treated], errors="coerce").astype(float).fillna(np.inf)
    d = pd.DataFrame(
        {
            unit: data[unit].to_numpy(),
            time: data[time].to_numpy(),
            "y": data[outcome].to_numpy(dtype=float),
            "treated": (data[time].to_numpy(dtype=float) >= ft.to_numpy()).astype(float),
        }
    ).set_index([unit, time])
    res = PanelOLS(d["y"], d[["treated"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    est, se = float(res.params["treated"]), float(res.std_errors["treated"])
    return EffectEstimate.wald(est, se, level, method="two-way FE")


def naive_comparison(
    data: pd.DataFrame,
    outcome: str,
    treatment: str,
    unit: str,
    time: str | None = None,
    controls: Sequence[str] = (),
    *,
    level: float = 0.95,
) -> EffectEstimate:
    """Naive contrast: outcome in treated firm-years minus untreated firm-years (pooled OLS).

    ``y_it = a + beta D_it (+ year effects + controls) + e_it`` with SEs clustered by unit (Liang
    & Zeger 1986) and a normal interval at ``level``. It is what a cross-sectional benchmark
    report computes ("CX-led firms grow faster"). If firms that appoint a leader were already
    different (faster growing), beta mixes that selection with any effect of the leader; the
    event study compares each firm with itself before and after.

    Parameters
    ----------
    data : DataFrame
        Long panel.
    outcome : str
        The outcome column.
    treatment : str
        The 0/1 treatment column (e.g. ``has_cx_leader``).
    unit : str
        The unit column (clusters of the SEs).
    time : str, optional
        Period column: adds period effects.
    controls : sequence of str
        Further regressors.
    level : float
        Confidence level of the interval.

    Returns
    -------
    EffectEstimate
        ``estimate, se, ci_low, ci_high``.

    References
    ----------
    Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. *Biometrika* 73(1), 13-22.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, selection=1.0, seed=1)
    >>> p["d"] = (p["time"] >= p["first_treated"].fillna(99)).astype(int)
    >>> round(naive_comparison(p, "y", "d", "unit", "time").estimate, 1)
    2.5
    """
    import statsmodels.formula.api as smf

    level = check_level(level)
    controls = list(controls)
    cols = [outcome, treatment, unit, *controls] + ([time] if time else [])
    require_columns(data, cols)
    work = data[cols].dropna().copy()
    work.columns = [f"v{i}_" for i in range(len(cols))]
    names = dict(zip(cols, work.columns))
    rhs = [names[treatment], *[names[c] for c in controls]]
    if time:
        rhs.append(f"C({names[time]})")
    fit = smf.ols(f"{names[outcome]} ~ " + " + ".join(rhs), work).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(work[names[unit]])[0]}
    )
    est, se = float(fit.params[names[treatment]]), float(fit.bse[names[treatment]])
    return EffectEstimate.wald(est, se, level, method="naive comparison")
