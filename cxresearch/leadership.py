"""CX leadership: ownership models, the effect of appointing a CX leader, and the say/do gap.

Questions from the debate and the function that answers each:

- Is CX "everyone's job", or does an accountable owner (a dedicated CX leader, the CEO, COO or
  CMO) go with better outcomes? :func:`ownership_effects` -- outcome differences by ownership
  model with controls, robust standard errors and adjusted (standardized) means.
- Do outcomes change after a CX leader is appointed? :func:`event_study` -- group-time average
  treatment effects with not-yet-treated (or never-treated) comparison firms, aggregated by event
  time (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2)), which staggered appointment dates
  do not bias, unlike two-way fixed effects (:func:`twfe_static`; Goodman-Bacon 2021,
  *J. Econometrics* 225(2); Sun & Abraham 2021, same issue). A pre-trend test comes with it.
- What does the naive comparison say? :func:`naive_comparison` -- firm-years with a leader
  against those without; biased when firms that appoint leaders differ anyway (selection).
- How large is the say/do gap, and does it matter? :func:`say_do_index`, :func:`say_do_effects`.
- How big must a study be? :func:`power_curve` (generic, simulation-based) and
  :func:`event_study_power`.

Notebook helpers (several outcomes at once, and the simulation's answer key in each estimate's
units): :func:`leadership_panel`, :func:`ownership_contrasts`, :func:`event_studies`,
:func:`event_study_table`, :func:`confounding_scenarios`, :func:`say_do_gap_summary`,
:func:`say_do_effects_by_outcome`, :func:`within_unit_sd`, :func:`effect_for_power`,
:func:`event_study_power_by_outcome`, :func:`true_owner_effects`,
:func:`true_event_study_effects`, :func:`true_event_time_path`.

:func:`simulate_staggered_panel` makes a small staggered-adoption panel with a known,
heterogeneous effect for tests, validation and power analysis.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "EventStudyResult",
    "OwnershipResult",
    "confounding_scenarios",
    "effect_for_power",
    "event_studies",
    "event_study",
    "event_study_power",
    "event_study_power_by_outcome",
    "event_study_result",
    "event_study_table",
    "leader_cohorts",
    "leadership_panel",
    "naive_comparison",
    "ownership_contrasts",
    "ownership_effects",
    "power_curve",
    "say_do_effects",
    "say_do_effects_by_outcome",
    "say_do_gap_summary",
    "say_do_index",
    "simulate_staggered_panel",
    "true_event_study_effects",
    "true_event_time_path",
    "true_owner_effects",
    "twfe_static",
    "within_unit_sd",
]

_Z975 = 1.959963984540054


def _require_columns(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: column(s) {missing} not found; available: {list(data.columns)[:30]}"
        )


# --------------------------------------------------------------------------------------------
# ownership models
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnershipResult:
    """Outcome by CX ownership model: contrasts with the reference and adjusted means."""

    outcome: str
    reference: str
    contrasts: pd.DataFrame
    adjusted_means: pd.DataFrame
    n_obs: int
    n_clusters: int
    controls: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """Contrasts against the reference: owner, estimate, se, ci_low, ci_high, p_value."""
        return self.contrasts.copy()

    def summary(self) -> str:
        lines = [
            f"{self.outcome} by CX owner vs {self.reference!r} (n={self.n_obs}, "
            f"controls: {', '.join(self.controls) or 'none'})"
        ]
        for r in self.contrasts.itertuples():
            lines.append(
                f"  {r.owner}: {r.estimate:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}] "
                f"p={r.p_value:.3f}"
            )
        return "\n".join(lines)


def ownership_effects(
    data: pd.DataFrame,
    outcome: str,
    owner: str = "cx_owner",
    reference: str = "everyone",
    controls: Sequence[str] = ("industry", "size_band"),
    cluster: str | None = None,
    cov_type: str = "HC3",
) -> OwnershipResult:
    """Outcome differences by CX ownership model, adjusted for controls.

    OLS of ``outcome ~ C(owner, reference) + controls``; categorical controls (object or category
    dtype) enter as dummies, numeric ones linearly. Standard errors are HC3 (MacKinnon & White
    1985, *J. Econometrics* 29(3)) or, with ``cluster`` (firm ids when ``data`` has firm-years),
    cluster-robust (Liang & Zeger 1986). Adjusted means are predictive margins: every row is set
    to each ownership model in turn and the predictions averaged (Graubard & Korn 1999,
    *Biometrics* 55(2)); their SE is ``sqrt(g' V g)`` with g the mean design row.

    Ownership is chosen by firms, not assigned: a contrast is an adjusted association, and
    firms that choose a dedicated leader may differ in ways the controls miss.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"cx_owner": rng.choice(["everyone", "ceo", "cx_leader"], 300),
    ...                   "industry": rng.choice(["retail", "banking"], 300)})
    >>> d["nps"] = 10 + 5 * (d["cx_owner"] == "cx_leader") + rng.normal(0, 2, 300)
    >>> res = ownership_effects(d, "nps", controls=["industry"])
    >>> res.contrasts[["owner", "estimate"]].round(1).to_dict("records")
    [{'owner': 'ceo', 'estimate': 0.6}, {'owner': 'cx_leader', 'estimate': 5.2}]
    """
    import statsmodels.formula.api as smf
    from patsy import build_design_matrices
    from scipy import stats

    controls = tuple(controls)
    _require_columns(data, [outcome, owner, *controls] + ([cluster] if cluster else []))
    used = data[[outcome, owner, *controls] + ([cluster] if cluster else [])].dropna()
    levels = sorted(pd.unique(used[owner]).tolist())
    if reference not in levels:
        raise ValueError(f"column {owner!r}: reference level {reference!r} not in {levels}")
    rename = {outcome: "y_", owner: "owner_"}
    rename.update({c: f"c{i}_" for i, c in enumerate(controls)})
    work = used.rename(columns=rename)
    terms = [f"C(owner_, Treatment({reference!r}))"]
    for c in controls:
        col = rename[c]
        numeric = pd.api.types.is_numeric_dtype(work[col]) and not pd.api.types.is_bool_dtype(
            work[col]
        )
        terms.append(col if numeric else f"C({col})")
    model = smf.ols("y_ ~ " + " + ".join(terms), work)
    if cluster:
        codes = pd.factorize(work[cluster])[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes})
        n_clusters = int(codes.max() + 1)
        dof = n_clusters - 1
    else:
        fit = model.fit(cov_type=cov_type)
        n_clusters = len(work)
        dof = int(fit.df_resid)
    t_crit = stats.t.ppf(0.975, dof)
    recs = []
    for lvl in levels:
        if lvl == reference:
            continue
        name = f"C(owner_, Treatment({reference!r}))[T.{lvl}]"
        est, se = float(fit.params[name]), float(fit.bse[name])
        recs.append(
            {
                "owner": lvl,
                "estimate": est,
                "se": se,
                "ci_low": est - t_crit * se,
                "ci_high": est + t_crit * se,
                "p_value": float(2 * stats.t.sf(abs(est / se), dof)),
                "n": int((work["owner_"] == lvl).sum()),
            }
        )
    contrasts = pd.DataFrame(recs)
    # statsmodels >= 0.15 calls the patsy DesignInfo ``model_spec``; older versions ``design_info``
    design_info = getattr(model.data, "model_spec", None) or model.data.design_info
    vcov = np.asarray(fit.cov_params())
    beta = np.asarray(fit.params)
    means = []
    for lvl in levels:
        cf = work.copy()
        cf["owner_"] = lvl
        x = np.asarray(build_design_matrices([design_info], cf)[0])
        g = x.mean(axis=0)
        est = float(g @ beta)
        se = float(np.sqrt(g @ vcov @ g))
        means.append(
            {
                "owner": lvl,
                "adjusted_mean": est,
                "se": se,
                "ci_low": est - t_crit * se,
                "ci_high": est + t_crit * se,
                "raw_mean": float(work.loc[work["owner_"] == lvl, "y_"].mean()),
                "n": int((work["owner_"] == lvl).sum()),
            }
        )
    return OwnershipResult(
        outcome=outcome,
        reference=reference,
        contrasts=contrasts,
        adjusted_means=pd.DataFrame(means),
        n_obs=len(work),
        n_clusters=n_clusters,
        controls=controls,
    )


# --------------------------------------------------------------------------------------------
# event study with staggered adoption (Callaway & Sant'Anna 2021)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventStudyResult:
    """Event-time ATTs from group-time comparisons; ``vcov`` covers the non-reference rows."""

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

    def to_frame(self) -> pd.DataFrame:
        """event_time, estimate, se, ci_low, ci_high, p_value, n_treated, n_cohorts, reference."""
        return self.estimates.copy()

    def pretrend_test(self) -> dict[str, float]:
        """Joint Wald test that every pre-period estimate (event time < -1) is zero.

        ``W = theta' V^-1 theta ~ chi2(k)`` under parallel pre-trends. A non-rejection is weak
        evidence: pre-trend tests have low power and conditioning on passing them distorts
        inference (Roth 2022, *AER: Insights* 4(3)).
        """
        from scipy import stats

        pre = [e for e in self.vcov.index if e < -1]
        if not pre:
            return {"chi2": np.nan, "df": 0, "p_value": np.nan}
        theta = self.estimates.set_index("event_time").loc[pre, "estimate"].to_numpy()
        v = self.vcov.loc[pre, pre].to_numpy()
        w = float(theta @ np.linalg.pinv(v) @ theta)
        return {"chi2": w, "df": len(pre), "p_value": float(stats.chi2.sf(w, len(pre)))}

    def overall(self) -> dict[str, float]:
        """Average of the post-appointment event-time estimates (event time >= 0), with its SE.

        This is Callaway & Sant'Anna's "dynamic" summary over the window: each event time
        weighs the same.
        """
        post = [e for e in self.vcov.index if e >= 0]
        if not post:
            raise ValueError(
                f"event study of {self.outcome!r}: no post-treatment event time has both treated "
                "and comparison units, so there is no post-period average"
            )
        theta = self.estimates.set_index("event_time").loc[post, "estimate"].to_numpy()
        g = np.full(len(post), 1.0 / len(post))
        est = float(g @ theta)
        se = float(np.sqrt(g @ self.vcov.loc[post, post].to_numpy() @ g))
        return {
            "estimate": est,
            "se": se,
            "ci_low": est - _Z975 * se,
            "ci_high": est + _Z975 * se,
            "n_event_times": len(post),
        }

    def summary(self) -> str:
        pt = self.pretrend_test()
        ov = self.overall()
        return (
            f"event study of {self.outcome!r}: {self.n_units} units, {self.n_cohorts} cohorts, "
            f"{self.control} controls, {self.se_method} SEs; post average {ov['estimate']:.3f} "
            f"[{ov['ci_low']:.3f}, {ov['ci_high']:.3f}]; pre-trend chi2({pt['df']}) = "
            f"{pt['chi2']:.2f}, p = {pt['p_value']:.3f}"
        )


def _prepare_panel(
    panel: pd.DataFrame, outcome: str, unit: str, time: str, first_treated: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    _require_columns(panel, [outcome, unit, time, first_treated], "panel")
    if not pd.api.types.is_numeric_dtype(panel[time]):
        raise ValueError(f"column {time!r} must be numeric (integer periods)")
    if not pd.api.types.is_numeric_dtype(panel[outcome]):
        raise ValueError(f"column {outcome!r} must be numeric")
    t_vals = panel[time].to_numpy(dtype=float)
    if np.any(~np.isfinite(t_vals)) or np.any(t_vals != np.round(t_vals)):
        bad = np.flatnonzero(~np.isfinite(t_vals) | (t_vals != np.round(t_vals)))[:5]
        raise ValueError(f"column {time!r}: non-integer or missing periods at rows {list(bad)}")
    dup = panel.duplicated([unit, time])
    if dup.any():
        rows = list(panel.index[dup.to_numpy()][:5])
        raise ValueError(f"columns ({unit!r}, {time!r}) must identify rows; duplicates at {rows}")
    ft = pd.to_numeric(panel[first_treated], errors="coerce").astype(float)
    bad_ft = panel[first_treated].notna().to_numpy() & ft.isna().to_numpy()
    if bad_ft.any():
        rows = list(panel.index[bad_ft][:5])
        raise ValueError(f"column {first_treated!r}: non-numeric values at rows {rows}")
    ft = ft.fillna(np.inf)  # missing = never treated
    per_unit = pd.DataFrame({"u": panel[unit].to_numpy(), "g": ft.to_numpy()}).groupby(
        "u", sort=True
    )["g"]
    if (per_unit.nunique(dropna=False) > 1).any():
        bad_units = list(per_unit.nunique()[per_unit.nunique() > 1].index[:5])
        raise ValueError(f"column {first_treated!r} varies within unit(s) {bad_units}")
    wide = panel.pivot(index=unit, columns=time, values=outcome).sort_index()
    times = wide.columns.to_numpy(dtype=float)
    y = wide.to_numpy(dtype=float)
    g = per_unit.first().reindex(wide.index).to_numpy(dtype=float)
    return y, g, times, wide.index.to_numpy(), np.isfinite(y)


def _group_time_cells(
    y: np.ndarray,
    g: np.ndarray,
    times: np.ndarray,
    window: tuple[int, int],
    control: str,
) -> list[dict]:
    """Index sets for every (cohort, period) cell inside the window (universal base g-1)."""
    col = {t: j for j, t in enumerate(times)}
    obs = np.isfinite(y)
    cells = []
    cohorts = sorted(c for c in np.unique(g[np.isfinite(g)]) if c - 1 in col)
    for c in cohorts:
        base = c - 1
        for e in range(window[0], window[1] + 1):
            t = c + e
            if t not in col or e == -1:
                continue
            jt, jb = col[t], col[base]
            both = obs[:, jt] & obs[:, jb]
            treated = both & (g == c)
            if control == "not_yet_treated":
                ctrl = both & (g > max(t, base)) & (g != c)
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
    y: np.ndarray, cells: list[dict], w: np.ndarray, event_times: list[int]
) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Event-time ATTs (cohort-size weighted) and per-unit influence functions.

    ``w`` are unit weights (1 for the estimate, multinomial counts for the bootstrap).
    """
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


def event_study_result(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    window: tuple[int, int] = (-3, 3),
    control: str = "not_yet_treated",
    cluster: str | None = None,
    se: str = "analytic",
    n_boot: int = 499,
    seed: int | None = 0,
) -> EventStudyResult:
    """Event study of a staggered treatment (e.g. appointing a CX leader), as a full result.

    See :func:`event_study` for the method; this returns an :class:`EventStudyResult` with the
    group-time cells, the covariance of the event-time estimates, a pre-trend test and the
    post-period average.
    """
    if control not in {"not_yet_treated", "never_treated"}:
        raise ValueError(f"control must be 'not_yet_treated' or 'never_treated', got {control!r}")
    lo, hi = int(window[0]), int(window[1])
    if not lo <= -1 <= hi or lo >= hi:
        raise ValueError(f"window must contain -1 and have lo < hi, got {window}")
    if se not in {"analytic", "bootstrap"}:
        raise ValueError(f"se must be 'analytic' or 'bootstrap', got {se!r}")
    y, g, times, units, _ = _prepare_panel(panel, outcome, unit, time, first_treated)
    # Units treated in or before the first observed period have no pre-period: they are neither
    # treated units with a base period nor valid controls.
    always = np.isfinite(g) & (g <= np.nanmin(times))
    keep = ~always
    y, g, units = y[keep], g[keep], units[keep]
    cells = _group_time_cells(y, g, times, (lo, hi), control)
    if not cells:
        raise ValueError(
            "event_study: no (cohort, period) cell has both treated and comparison units "
            f"with the base period observed; cohorts: {sorted(set(g[np.isfinite(g)]))[:10]}"
        )
    event_times = sorted({c["event_time"] for c in cells})
    ones = np.ones(len(g))
    att_e, psi_e, rows = _aggregate(y, cells, ones, event_times)
    if cluster is None:
        cl_codes = np.arange(len(g))
    else:
        _require_columns(panel, [cluster], "panel")
        per_unit = panel.groupby(unit, sort=True)[cluster]
        if (per_unit.nunique() > 1).any():
            raise ValueError(f"column {cluster!r} must be constant within {unit!r}")
        cl_codes = pd.factorize(per_unit.first().reindex(units))[0]
    n_cl = int(cl_codes.max() + 1)
    if se == "analytic":
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
    from scipy import stats

    est = pd.DataFrame(
        {
            "event_time": event_times,
            "estimate": att_e,
            "se": se_e,
        }
    )
    est["ci_low"] = est["estimate"] - _Z975 * est["se"]
    est["ci_high"] = est["estimate"] + _Z975 * est["se"]
    est["p_value"] = 2 * stats.norm.sf(np.abs(est["estimate"] / est["se"]))
    est["n_treated"] = est["event_time"].map(n_treated).astype(int)
    est["n_cohorts"] = est["event_time"].map(n_coh).astype(int)
    est["reference"] = False
    ref = pd.DataFrame(
        {"event_time": [-1], "estimate": [0.0], "se": [0.0], "ci_low": [0.0], "ci_high": [0.0],
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
        se_method=se if cluster is None else f"{se}, clustered by {cluster}",
        influence=psi_e,
    )


def event_study(
    panel: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    window: tuple[int, int] = (-3, 3),
    control: str = "not_yet_treated",
    cluster: str | None = None,
    se: str = "analytic",
    n_boot: int = 499,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Event-study estimates of a staggered treatment, robust to staggered timing.

    For every cohort g (units first treated in period g) and period t, the group-time average
    treatment effect on the treated is a difference in differences against the base period g-1
    (Callaway & Sant'Anna 2021, *J. Econometrics* 225(2), eq. 2.6, with a universal base period):

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
    correction; cohort weights are treated as fixed. ``se="bootstrap"`` resamples clusters
    instead. Event time -1 is the reference row (estimate 0, se 0). Pre-period rows (e < -1)
    test parallel trends: see :meth:`EventStudyResult.pretrend_test`.

    Parameters
    ----------
    panel : long panel, one row per unit and period; periods are integers.
    first_treated : the period in which the unit is first treated; missing (NA) = never treated.
        Units treated in or before the first period are dropped (no pre-period).

    Returns
    -------
    A tidy frame: ``event_time, estimate, se, ci_low, ci_high, p_value, n_treated, n_cohorts,
    reference``.

    Example
    -------
    >>> p, truth = simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    >>> es = event_study(p, "y", "unit", "time", "first_treated", window=(-2, 2))
    >>> es[["event_time", "estimate"]].round(1).to_dict("list")
    {'event_time': [-2, -1, 0, 1, 2], 'estimate': [-0.0, 0.0, 0.8, 1.3, 2.0]}
    >>> truth.set_index("event_time").loc[[0, 1, 2], "att"].round(1).tolist()
    [1.0, 1.5, 2.0]
    """
    return event_study_result(
        panel, outcome, unit, time, first_treated, window=window, control=control,
        cluster=cluster, se=se, n_boot=n_boot, seed=seed,
    ).to_frame()


def leader_cohorts(
    firms: pd.DataFrame,
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
    be evolving), so it gets ``first_year`` and :func:`event_study` drops it. Returns a
    nullable Int64 series indexed by ``unit`` (NA = never treated).

    >>> f = pd.DataFrame({"firm_id": ["A", "B", "C"], "cx_leader_year": [2022, None, None],
    ...                   "cx_owner": ["cx_leader", "cx_leader", "ceo"]})
    >>> leader_cohorts(f, first_year=2019).tolist()
    [2022, 2019, <NA>]
    """
    _require_columns(firms, [unit, leader_year, owner], "firms")
    year = pd.to_numeric(firms[leader_year], errors="coerce").astype("Float64")
    before = year.isna() & (firms[owner] == leader_value)
    out = year.mask(before, float(first_year)).round().astype("Int64")
    return pd.Series(out.array, index=pd.Index(firms[unit].to_numpy(), name=unit),
                     name="first_treated")


def twfe_static(
    panel: pd.DataFrame, outcome: str, unit: str, time: str, first_treated: str
) -> dict[str, float]:
    """Static two-way fixed effects: ``y_it = a_i + l_t + beta D_it + e_it``, SEs by unit.

    The conventional estimator, for comparison only. With staggered timing and effects that grow
    or differ across cohorts, beta is a weighted average of comparisons that include
    already-treated units as controls, some with negative weights, so it can be far from any
    average effect (Goodman-Bacon 2021, *J. Econometrics* 225(2); de Chaisemartin &
    D'Haultfoeuille 2020, *AER* 110(9)).

    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    >>> round(twfe_static(p, "y", "unit", "time", "first_treated")["estimate"], 1)
    1.3
    """
    from linearmodels.panel import PanelOLS

    _require_columns(panel, [outcome, unit, time, first_treated], "panel")
    ft = pd.to_numeric(panel[first_treated], errors="coerce").astype(float).fillna(np.inf)
    d = pd.DataFrame(
        {
            unit: panel[unit].to_numpy(),
            time: panel[time].to_numpy(),
            "y": panel[outcome].to_numpy(dtype=float),
            "treated": (panel[time].to_numpy(dtype=float) >= ft.to_numpy()).astype(float),
        }
    ).set_index([unit, time])
    res = PanelOLS(d["y"], d[["treated"]], entity_effects=True, time_effects=True).fit(
        cov_type="clustered", cluster_entity=True
    )
    est, se = float(res.params["treated"]), float(res.std_errors["treated"])
    return {"estimate": est, "se": se, "ci_low": est - _Z975 * se, "ci_high": est + _Z975 * se}


def naive_comparison(
    panel: pd.DataFrame,
    outcome: str,
    treatment: str,
    unit: str,
    time: str | None = None,
    controls: Sequence[str] = (),
) -> dict[str, float]:
    """Naive contrast: outcome in treated firm-years minus untreated firm-years (pooled OLS).

    ``y_it = a + beta D_it (+ year effects + controls) + e_it`` with SEs clustered by unit. It is
    what a cross-sectional benchmark report computes ("CX-led firms grow faster"). If firms that
    appoint a leader were already different (faster growing), beta mixes that selection with any
    effect of the leader; the event study compares each firm with itself before and after.

    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, selection=1.0, seed=1)
    >>> p["d"] = (p["time"] >= p["first_treated"].fillna(99)).astype(int)
    >>> round(naive_comparison(p, "y", "d", "unit", "time")["estimate"], 1)
    2.5
    """
    import statsmodels.formula.api as smf

    controls = list(controls)
    cols = [outcome, treatment, unit, *controls] + ([time] if time else [])
    _require_columns(panel, cols, "panel")
    work = panel[cols].dropna().copy()
    work.columns = [f"v{i}_" for i in range(len(cols))]
    names = dict(zip(cols, work.columns))
    rhs = [names[treatment], *[names[c] for c in controls]]
    if time:
        rhs.append(f"C({names[time]})")
    fit = smf.ols(f"{names[outcome]} ~ " + " + ".join(rhs), work).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(work[names[unit]])[0]}
    )
    est, se = float(fit.params[names[treatment]]), float(fit.bse[names[treatment]])
    return {"estimate": est, "se": se, "ci_low": est - _Z975 * se, "ci_high": est + _Z975 * se}


def simulate_staggered_panel(
    n_units: int = 200,
    n_periods: int = 8,
    cohorts: Sequence[int] | None = None,
    never_share: float = 0.3,
    effect: float = 1.0,
    effect_growth: float = 0.5,
    cohort_gradient: float = 0.0,
    selection: float = 0.0,
    noise_sd: float = 1.0,
    unbalanced_share: float = 0.0,
    seed: int | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A staggered-adoption panel with a known, heterogeneous effect.

    ``y_it = a_i + l_t + tau_{g,e} 1[e >= 0] + e_it`` with e = t - g, where
    ``tau_{g,e} = effect + effect_growth * e + cohort_gradient * (g - mean cohort)`` (effects that
    grow with time since treatment are the case in which two-way fixed effects fails). Units are
    never treated with probability ``never_share`` and otherwise adopt in one of ``cohorts``
    (default: periods 2 .. n_periods - 2). ``selection`` > 0 makes adopters' unit effect a_i
    larger by ``selection`` (they "were already doing better"): it biases level comparisons but
    not differences in differences. ``unbalanced_share`` drops that share of unit-periods at random.

    Returns ``(panel, truth)``: panel columns ``unit, time, y, first_treated`` (nullable Int64,
    NA = never), and the true event-time ATT (cohort-size weighted over the realised units,
    the estimand of :func:`event_study`).

    >>> p, truth = simulate_staggered_panel(n_units=10, n_periods=5, seed=0)
    >>> p.shape, list(truth.columns)
    ((50, 4), ['event_time', 'att'])
    """
    rng = np.random.default_rng(seed)
    cohorts = list(cohorts) if cohorts is not None else list(range(2, max(n_periods - 1, 3)))
    never = rng.random(n_units) < never_share
    g = np.where(never, np.inf, rng.choice(cohorts, n_units).astype(float))
    a = rng.normal(0.0, 1.0, n_units) + selection * np.isfinite(g)
    lam = np.cumsum(rng.normal(0.2, 0.3, n_periods))
    t = np.arange(n_periods)
    e = t[None, :] - g[:, None]
    g_mean = float(np.mean(cohorts))
    g_dev = np.where(np.isfinite(g), g - g_mean, 0.0)
    e_fin = np.where(np.isfinite(e), e, 0.0)
    tau = effect + effect_growth * e_fin + cohort_gradient * g_dev[:, None]
    tau = np.where(e >= 0, tau, 0.0)
    y = a[:, None] + lam[None, :] + tau + rng.normal(0.0, noise_sd, (n_units, n_periods))
    panel = pd.DataFrame(
        {
            "unit": np.repeat([f"U{i + 1:04d}" for i in range(n_units)], n_periods),
            "time": np.tile(t, n_units),
            "y": y.ravel(),
            "first_treated": pd.array(
                np.repeat(np.where(np.isfinite(g), g, -1), n_periods).astype(int), dtype="Int64"
            ),
        }
    )
    panel.loc[panel["first_treated"] == -1, "first_treated"] = pd.NA
    if unbalanced_share > 0:
        panel = panel[rng.random(len(panel)) >= unbalanced_share].reset_index(drop=True)
    fin = np.isfinite(g)
    recs = []
    for ev in range(-(n_periods - 1), n_periods):
        num, den = 0.0, 0
        for c in np.unique(g[fin]):
            if 0 <= c + ev < n_periods and c - 1 >= 0:
                n_c = int((g == c).sum())
                true_c = 0.0
                if ev >= 0:
                    true_c = effect + effect_growth * ev + cohort_gradient * (c - g_mean)
                num += n_c * true_c
                den += n_c
        if den:
            recs.append({"event_time": ev, "att": num / den})
    return panel, pd.DataFrame(recs)


# --------------------------------------------------------------------------------------------
# say/do gap
# --------------------------------------------------------------------------------------------


def say_do_index(
    data: pd.DataFrame,
    say: str | Sequence[str] = "stated_cx_priority",
    do: str | Sequence[str] = "cx_budget_share",
) -> pd.DataFrame:
    """Say/do gap: standardized stated priority minus standardized resourcing.

    ``say = mean_k z(say_k)``, ``do = mean_k z(do_k)`` (z over the rows given), ``gap = say - do``
    in SD units: positive when a firm says more than it funds. Inputs may be one column or
    several (e.g. budget share and whether CX has an accountable owner, 0/1). The index is
    relative to the sample (a gap of 0 means "as much doing as saying, for this sample"), not an
    absolute standard. Motivation: the survey claim that 75% of firms call CX their top priority
    while many fund it poorly (project literature notes; secondary source).

    Returns the input index with columns ``say, do, gap``.

    >>> d = pd.DataFrame({"stated_cx_priority": [5, 4, 2], "cx_budget_share": [1.0, 3.0, 2.0]})
    >>> say_do_index(d).round(2).to_dict("list")
    {'say': [0.87, 0.22, -1.09], 'do': [-1.0, 1.0, 0.0], 'gap': [1.87, -0.78, -1.09]}
    """
    say_cols = [say] if isinstance(say, str) else list(say)
    do_cols = [do] if isinstance(do, str) else list(do)
    _require_columns(data, [*say_cols, *do_cols])

    def zmean(cols: list[str]) -> pd.Series:
        zs = []
        for c in cols:
            if not pd.api.types.is_numeric_dtype(data[c]):
                raise ValueError(f"column {c!r} must be numeric, got dtype {data[c].dtype}")
            v = data[c].astype(float)
            sd = v.std(ddof=1)
            if not np.isfinite(sd) or sd == 0:
                raise ValueError(f"column {c!r}: no variation (SD = {sd}), cannot standardize")
            zs.append((v - v.mean()) / sd)
        return pd.concat(zs, axis=1).mean(axis=1)

    s, d = zmean(say_cols), zmean(do_cols)
    return pd.DataFrame({"say": s, "do": d, "gap": s - d}, index=data.index)


def say_do_effects(
    data: pd.DataFrame,
    outcome: str,
    say: str | Sequence[str] = "stated_cx_priority",
    do: str | Sequence[str] = "cx_budget_share",
    controls: Sequence[str] = (),
    cluster: str | None = None,
) -> pd.DataFrame:
    """Does the say/do gap matter? Outcome regressed on the gap, and on say and do separately.

    Two OLS models with HC3 (or cluster-robust) SEs: ``y ~ gap + controls`` and
    ``y ~ say + do + controls``. The second is the informative one: if only doing matters,
    ``say`` is ~0 and ``do`` positive, and the gap coefficient is negative only because it is
    ``-do`` in disguise (Edwards 2001, *Organizational Research Methods* 4(3), on the pitfalls of
    difference scores). Returns rows ``model, term, estimate, se, ci_low, ci_high, p_value``.

    >>> rng = np.random.default_rng(2)
    >>> d = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 400),
    ...                   "cx_budget_share": rng.gamma(2.0, 1.0, 400)})
    >>> d["growth"] = 0.8 * say_do_index(d)["do"] + rng.normal(size=400)
    >>> out = say_do_effects(d, "growth")
    >>> out.set_index("term").loc[["say", "do"], "estimate"].round(1).tolist()
    [0.0, 0.8]
    """
    from cxresearch.linkage import linkage_regression

    idx = say_do_index(data, say, do)
    controls = list(controls)
    _require_columns(data, [outcome, *controls] + ([cluster] if cluster else []))
    work = pd.concat([idx, data[[outcome, *controls] + ([cluster] if cluster else [])]], axis=1)
    work = work.rename(columns={outcome: "y_"})
    ctl = {c: f"c{i}_" for i, c in enumerate(controls)}
    work = work.rename(columns=ctl)
    ctl_terms = [
        v if pd.api.types.is_numeric_dtype(work[v]) else f"C({v})" for v in ctl.values()
    ]
    out = []
    for model, rhs in [("gap", ["gap"]), ("say + do", ["say", "do"])]:
        formula = "y_ ~ " + " + ".join(rhs + ctl_terms)
        res = linkage_regression(work, formula, cluster=cluster)
        res = res[res["term"].isin(rhs)].copy()
        res.insert(0, "model", model)
        out.append(res)
    cols = ["model", "term", "estimate", "se", "ci_low", "ci_high", "p_value", "n_obs"]
    return pd.concat(out, ignore_index=True)[cols]


# --------------------------------------------------------------------------------------------
# power
# --------------------------------------------------------------------------------------------


def power_curve(
    simulate: Callable[[Mapping[str, int], np.random.Generator], pd.DataFrame],
    estimate: Callable[[pd.DataFrame], tuple[float, float]],
    grid: Iterable[Mapping[str, int]],
    n_sims: int = 200,
    alpha: float = 0.05,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Simulation-based power: the share of simulated studies in which the effect is detected.

    For each design in ``grid`` (e.g. ``{"n_firms": 50, "n_years": 6}``), ``n_sims`` data sets are
    drawn with ``simulate(design, rng)`` and ``estimate(data) -> (estimate, se)`` is applied; the
    effect counts as detected when ``|estimate / se| > z_{1 - alpha/2}``. Power is the detection
    rate, with its Monte-Carlo SE ``sqrt(p (1 - p) / n_sims)`` (Arnold, Hogan, Colford & Hubbard
    2011, *BMC Medical Research Methodology* 11:94, on simulation-based power). Failed fits
    count as non-detections and are reported.

    >>> def sim(design, rng):
    ...     x = rng.normal(size=design["n"])
    ...     return pd.DataFrame({"x": x, "y": 0.3 * x + rng.normal(size=design["n"])})
    >>> def est(d):
    ...     b = np.polyfit(d["x"], d["y"], 1)[0]
    ...     return b, 1 / np.sqrt(len(d))
    >>> power_curve(sim, est, [{"n": 20}, {"n": 200}], n_sims=100, seed=1)["power"].tolist()
    [0.23, 0.99]
    """
    from scipy import stats

    z = stats.norm.ppf(1 - alpha / 2)
    rng = np.random.default_rng(seed)
    recs = []
    for design in grid:
        hits, fails, ests = 0, 0, []
        for _ in range(n_sims):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    est, se = estimate(simulate(design, rng))
            except (ValueError, np.linalg.LinAlgError):
                fails += 1
                continue
            if np.isfinite(est) and np.isfinite(se) and se > 0:
                ests.append(est)
                hits += abs(est / se) > z
            else:
                fails += 1
        p = hits / n_sims
        recs.append(
            {
                **dict(design),
                "power": p,
                "mc_se": float(np.sqrt(p * (1 - p) / n_sims)),
                "mean_estimate": float(np.mean(ests)) if ests else np.nan,
                "n_sims": n_sims,
                "n_failed": fails,
            }
        )
    return pd.DataFrame(recs)


def event_study_power(
    effect: float,
    n_firms: Sequence[int] = (25, 50, 100, 200),
    n_years: Sequence[int] = (5, 8),
    noise_sd: float = 1.0,
    never_share: float = 0.3,
    effect_growth: float = 0.0,
    n_sims: int = 100,
    alpha: float = 0.05,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Power of the event study's post-period average to detect a leader effect of ``effect``.

    Each simulated study is :func:`simulate_staggered_panel` with the given effect (in outcome
    units; ``noise_sd`` sets the firm-year noise in the same units), analysed with
    :func:`event_study_result` (window -2..2) and its :meth:`EventStudyResult.overall`. Set
    ``effect`` and ``noise_sd`` from the study at hand: e.g. the simulated leader effect on
    revenue growth and the residual SD of revenue growth.

    >>> out = event_study_power(effect=0.5, n_firms=[40, 160], n_years=[6], n_sims=20, seed=0)
    >>> out[["n_firms", "n_years", "power"]].to_dict("records")
    [{'n_firms': 40, 'n_years': 6, 'power': 0.3}, {'n_firms': 160, 'n_years': 6, 'power': 0.85}]
    """

    if not (np.isfinite(effect) and np.isfinite(noise_sd) and noise_sd > 0):
        raise ValueError(
            f"event_study_power: effect ({effect}) and noise_sd ({noise_sd}) must be finite, "
            "noise_sd > 0"
        )

    def sim(design: Mapping[str, int], rng: np.random.Generator) -> pd.DataFrame:
        return simulate_staggered_panel(
            n_units=design["n_firms"],
            n_periods=design["n_years"],
            never_share=never_share,
            effect=effect,
            effect_growth=effect_growth,
            noise_sd=noise_sd,
            seed=int(rng.integers(0, 2**31 - 1)),
        )[0]

    def est(p: pd.DataFrame) -> tuple[float, float]:
        ov = event_study_result(p, "y", "unit", "time", "first_treated", window=(-2, 2)).overall()
        return ov["estimate"], ov["se"]

    grid = [{"n_firms": int(f), "n_years": int(t)} for t in n_years for f in n_firms]
    return power_curve(sim, est, grid, n_sims=n_sims, alpha=alpha, seed=seed)


# --------------------------------------------------------------------------------------------
# the study panel for leadership questions, and the simulation's answer key in its units
# --------------------------------------------------------------------------------------------

_OWNERS = ("ceo", "coo", "cmo", "cx_leader")


def leadership_panel(
    panel: pd.DataFrame,
    firms: pd.DataFrame,
    unit: str = "firm_id",
    time: str = "year",
) -> pd.DataFrame:
    """Firm-year panel for the leadership questions: outcomes in effect units plus cohorts.

    ``panel`` is :func:`cxresearch.linkage.linkage_panel` output (``ex, ev_ex, cx, ev_cx`` and
    the outcomes); ``firms`` the firm table (``cx_owner``, ``cx_leader_year``, industry...).
    Adds ``cx_sd`` and ``ex_sd`` (:func:`cxresearch.linkage.true_score_z`: SD of the true
    score), ``contacts_log_pct`` and ``cost_log_pct`` (:func:`cxresearch.linkage.log_percent`
    of contacts per customer and cost to serve) and ``first_treated``
    (:func:`leader_cohorts` with the panel's first year). Rows of firms missing from ``firms``
    are dropped (inner join), as are none otherwise; the inputs are not modified.

    >>> from cxresearch.simulate import StudyParams, simulate_study
    >>> from cxresearch.linkage import linkage_panel
    >>> s = simulate_study(StudyParams(n_firms=40, n_years=4), seed=0)
    >>> p = leadership_panel(linkage_panel(s.firm_years, s.employees, s.customers), s.firms)
    >>> round(float(p["cx_sd"].mean()), 6), len(p) == len(s.firm_years)
    (0.0, True)
    """
    from cxresearch.linkage import log_percent, true_score_z

    _require_columns(panel, [unit, time, "cx", "ev_cx", "ex", "ev_ex", "contacts_per_customer",
                             "cost_to_serve"], "panel")
    out = panel.merge(firms, on=unit)
    out["cx_sd"] = true_score_z(out, "cx", "ev_cx")
    out["contacts_log_pct"] = log_percent(out["contacts_per_customer"])
    out["ex_sd"] = true_score_z(out, "ex", "ev_ex")
    out["cost_log_pct"] = log_percent(out["cost_to_serve"])
    first_year = int(out[time].min())
    return out.merge(leader_cohorts(firms, first_year, unit=unit).reset_index(), on=unit)


def true_owner_effects(truth: Mapping[str, float]) -> pd.DataFrame:
    """Simulated effects of each CX owner against "everyone", in the units of the contrasts.

    From :func:`cxresearch.simulate.simulate_study`'s ``truth`` (CX in raw latent units,
    ``sd_cx = sd_cx_latent``; ``c_g = cx_to_revenue_growth`` pp per unit of CX;
    ``c_k = cx_to_contacts`` % per unit of CX; ``L = 100 ln(1 + p / 100)`` turns a percent
    change into log-percent):

    - ``cx_sd``: ``owner_effect_o / sd_cx`` (for the leader ``owner_effect_cx_leader`` =
      ``leader_effect_cx``);
    - ``revenue_growth``: ``owner_effect_o * c_g``; for the leader
      ``leader_effect_cx * c_g + leader_effect_revenue_growth`` (its direct effect);
    - ``contacts_log_pct``: ``L(c_k) * owner_effect_o``; for the leader
      ``L(c_k) * leader_effect_cx + L(leader_effect_contacts)``.

    Structural effects only (no selection). Missing keys give NaN. Returns ``outcome, owner,
    true_value``.

    >>> t = {"owner_effect_ceo": 0.1, "owner_effect_coo": 0.0, "owner_effect_cmo": 0.0,
    ...      "leader_effect_cx": 0.2, "sd_cx_latent": 0.5, "cx_to_revenue_growth": 2.0,
    ...      "leader_effect_revenue_growth": 0.1, "cx_to_contacts": 0.0,
    ...      "leader_effect_contacts": 0.0}
    >>> out = true_owner_effects(t).set_index(["outcome", "owner"])["true_value"].round(4)
    >>> float(out["cx_sd", "cx_leader"]), float(out["revenue_growth", "cx_leader"])
    (0.4, 0.5)
    """
    g = truth.get
    sd_cx, c_g = g("sd_cx_latent", np.nan), g("cx_to_revenue_growth", np.nan)
    c_k = 100 * np.log1p(g("cx_to_contacts", np.nan) / 100)
    rows = []
    for o in _OWNERS:
        eff = g("leader_effect_cx", np.nan) if o == "cx_leader" else g(f"owner_effect_{o}", np.nan)
        growth = eff * c_g + (g("leader_effect_revenue_growth", np.nan) if o == "cx_leader"
                              else 0.0)
        contacts = c_k * eff + (100 * np.log1p(g("leader_effect_contacts", np.nan) / 100)
                                if o == "cx_leader" else 0.0)
        rows += [
            {"outcome": "cx_sd", "owner": o, "true_value": eff / sd_cx},
            {"outcome": "revenue_growth", "owner": o, "true_value": growth},
            {"outcome": "contacts_log_pct", "owner": o, "true_value": contacts},
        ]
    return pd.DataFrame(rows)


def true_event_study_effects(truth: Mapping[str, float]) -> pd.DataFrame:
    """Simulated average effect of appointing a CX leader, in the event study's units.

    The simulation records the leader's total effect (structural plus knock-on, actual minus
    counterfactual) averaged over appointed firms' post-appointment years
    (``leader_total_effect_*``), and by event time for CX and revenue growth (``..._e{e}``).
    Matching :meth:`EventStudyResult.overall` (the unweighted mean of event times 0..3):

    - ``revenue_growth``: mean of ``leader_total_effect_revenue_growth_e{0..3}`` (pp);
    - ``cx_sd``: mean of ``leader_total_effect_cx_e{0..3}`` / ``sd_cx_latent``;
    - ``contacts_log_pct``, ``cost_log_pct``: ``100 ln(1 + p / 100)`` of the percent effects;
    - ``ex_sd``: ``leader_total_effect_ex / sd_ex_latent``.

    Missing keys give NaN. Returns ``outcome, true_value``.

    >>> t = {f"leader_total_effect_revenue_growth_e{e}": 0.4 + 0.1 * e for e in range(4)}
    >>> out = true_event_study_effects(t).set_index("outcome")["true_value"]
    >>> round(float(out["revenue_growth"]), 4), bool(np.isnan(out["cx_sd"]))
    (0.55, True)
    """
    g = truth.get

    def pct(key: str) -> float:
        return float(100 * np.log1p(g(key, np.nan) / 100))

    vals = {
        "revenue_growth": float(np.mean([g(f"leader_total_effect_revenue_growth_e{e}", np.nan)
                                         for e in range(4)])),
        "cx_sd": float(np.mean([g(f"leader_total_effect_cx_e{e}", np.nan) for e in range(4)])
                       / g("sd_cx_latent", np.nan)),
        "contacts_log_pct": pct("leader_total_effect_contacts"),
        "cost_log_pct": pct("leader_total_effect_cost_to_serve"),
        "ex_sd": g("leader_total_effect_ex", np.nan) / g("sd_ex_latent", np.nan),
    }
    return pd.DataFrame({"outcome": list(vals), "true_value": list(vals.values())})


def true_event_time_path(
    truth: Mapping[str, float], outcome: str, event_times: Iterable[int]
) -> list[float]:
    """True effect at each event time: 0 before appointment, the simulated effect after.

    Revenue growth has a per-event-time truth (``leader_total_effect_revenue_growth_e{e}``);
    other outcomes use their post-period average from :func:`true_event_study_effects` at
    every ``e >= 0``.

    >>> true_event_time_path({"leader_total_effect_revenue_growth_e0": 0.5,
    ...                       "leader_total_effect_revenue_growth_e1": 0.7},
    ...                      "revenue_growth", [-1, 0, 1])
    [0.0, 0.5, 0.7]
    """
    if outcome == "revenue_growth":
        return [float(truth.get(f"leader_total_effect_revenue_growth_e{e}", np.nan))
                if e >= 0 else 0.0 for e in event_times]
    avg = true_event_study_effects(truth).set_index("outcome")["true_value"]
    if outcome not in avg.index:
        raise ValueError(f"true_event_time_path: unknown outcome {outcome!r}; "
                         f"one of {list(avg.index)}")
    return [float(avg[outcome]) if e >= 0 else 0.0 for e in event_times]


# --------------------------------------------------------------------------------------------
# several outcomes at once
# --------------------------------------------------------------------------------------------


def ownership_contrasts(
    data: pd.DataFrame,
    outcomes: Mapping[str, str],
    controls: Sequence[str] = (),
    true_values: pd.DataFrame | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`ownership_effects` contrasts for several outcomes, stacked, with true values.

    ``outcomes`` maps each outcome column to a display label (column ``outcome``; the column
    name goes in ``variable``). ``true_values`` (e.g. :func:`true_owner_effects`, columns
    ``outcome, owner, true_value`` keyed by column name) adds ``true_value`` (NaN where none).
    Other keyword arguments go to :func:`ownership_effects`.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"cx_owner": np.repeat(["everyone", "ceo"], 50)})
    >>> d["y"] = np.where(d["cx_owner"] == "ceo", 1.0, 0.0) + rng.normal(size=100)
    >>> out = ownership_contrasts(d, {"y": "outcome y"})
    >>> out[["outcome", "owner"]].values.tolist(), round(float(out["estimate"].iloc[0]), 2)
    ([['outcome y', 'ceo']], 0.9)
    """
    frames = [
        ownership_effects(data, y, controls=list(controls), **kwargs)  # type: ignore[arg-type]
        .contrasts.assign(outcome=label, variable=y)
        for y, label in outcomes.items()
    ]
    out = pd.concat(frames, ignore_index=True)
    if true_values is not None:
        tv = true_values.rename(columns={"outcome": "variable"})[["variable", "owner",
                                                                   "true_value"]]
        out = out.merge(tv, on=["variable", "owner"], how="left")
    return out


def event_studies(
    panel: pd.DataFrame,
    outcomes: Iterable[str],
    unit: str,
    time: str,
    first_treated: str,
    window: tuple[int, int] = (-3, 3),
    **kwargs: object,
) -> dict[str, EventStudyResult]:
    """:func:`event_study_result` for each outcome column, in order (a dict by outcome).

    >>> p, _ = simulate_staggered_panel(n_units=100, n_periods=6, seed=0)
    >>> p["y2"] = 2 * p["y"]
    >>> res = event_studies(p, ["y", "y2"], "unit", "time", "first_treated")
    >>> round(res["y2"].overall()["estimate"] / res["y"].overall()["estimate"], 6)
    2.0
    """
    return {
        y: event_study_result(panel, y, unit, time, first_treated, window=window,
                              **kwargs)  # type: ignore[arg-type]
        for y in outcomes
    }


def event_study_table(
    results: Mapping[str, EventStudyResult],
    labels: Mapping[str, str] | None = None,
    true_values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per outcome: the post-period average (:meth:`EventStudyResult.overall`), the
    pre-trend test's p-value and, if given, the true value (columns ``outcome, true_value`` as
    :func:`true_event_study_effects` returns, keyed by outcome column).

    Columns: ``outcome`` (label), ``estimate, se, ci_low, ci_high, pretrend_p, true_value``.

    >>> p, _ = simulate_staggered_panel(n_units=200, n_periods=6, effect=1.0,
    ...                                 effect_growth=0.0, seed=0)
    >>> tab = event_study_table(event_studies(p, ["y"], "unit", "time", "first_treated"))
    >>> list(tab.columns)
    ['outcome', 'estimate', 'se', 'ci_low', 'ci_high', 'pretrend_p', 'true_value']
    """
    labels = dict(labels or {})
    tv = ({} if true_values is None
          else dict(zip(true_values["outcome"], true_values["true_value"])))
    return pd.DataFrame([
        {"outcome": labels.get(y, y),
         **{k: v for k, v in r.overall().items() if k != "n_event_times"},
         "pretrend_p": r.pretrend_test()["p_value"], "true_value": tv.get(y, np.nan)}
        for y, r in results.items()
    ])


def confounding_scenarios(
    n_firms: int,
    selections: Mapping[str, float],
    seed: int = 0,
    outcome: str = "revenue_growth",
) -> pd.DataFrame:
    """Naive comparison, two-way FE and event study on studies that differ only in selection.

    For each scenario ``name -> s`` the study :func:`cxresearch.simulate.simulate_study`
    (``StudyParams(n_firms=n_firms, selection_on_growth=s)``, same ``seed``) is analysed for
    the leader's effect on ``outcome`` with :func:`naive_comparison` (leader firm-years vs
    others, year effects, SEs by firm), :func:`twfe_static` and :func:`event_study_result`
    (post-period average of event times 0..3). ``true_effect`` is the simulated mean total
    effect over event times 0..3; ``growth_gap_of_appointers`` the appointers' baseline growth
    head start (pp); ``pretrend_p`` (event study rows only) the pre-trend test.
    Only ``revenue_growth`` and ``cx`` have per-event-time truths.

    >>> out = confounding_scenarios(150, {"random": 0.0}, seed=0)
    >>> out["method"].tolist()
    ['naive comparison', 'two-way FE', 'event study']
    """
    from cxresearch.simulate.study import StudyParams, simulate_study

    if outcome not in ("revenue_growth", "cx"):
        raise ValueError(f"confounding_scenarios: outcome must be 'revenue_growth' or 'cx', "
                         f"got {outcome!r}")
    rows: list[dict[str, object]] = []
    for scenario, sel in selections.items():
        s = simulate_study(StudyParams(n_firms=n_firms, selection_on_growth=sel), seed=seed)
        fy = s.firm_years.merge(
            leader_cohorts(s.firms, int(s.firm_years["year"].min())).reset_index(),
            on="firm_id")
        target = float(np.mean([s.truth[f"leader_total_effect_{outcome}_e{e}"]
                                for e in range(4)]))
        naive = naive_comparison(fy, outcome, "has_cx_leader", "firm_id", "year")
        twfe = twfe_static(fy, outcome, "firm_id", "year", "first_treated")
        es = event_study_result(fy, outcome, "firm_id", "year", "first_treated")
        for method, r in [("naive comparison", naive), ("two-way FE", twfe),
                          ("event study", es.overall())]:
            rows.append({"scenario": scenario, "method": method, "estimate": r["estimate"],
                         "ci_low": r["ci_low"], "ci_high": r["ci_high"], "true_effect": target,
                         "growth_gap_of_appointers": s.truth["selection_gap_growth_pp"]})
        rows[-1]["pretrend_p"] = es.pretrend_test()["p_value"]
    return pd.DataFrame(rows)


def say_do_gap_summary(
    firms: pd.DataFrame,
    say: str = "stated_cx_priority",
    do: str = "cx_budget_share",
    top: float = 4,
) -> pd.DataFrame:
    """How common is the say/do gap? Three descriptive figures, as a ``measure, value`` frame.

    - share of firms with stated priority ``>= top`` (e.g. 4-5 of 5);
    - among those, the share with ``do`` below the median of all firms;
    - Pearson correlation of ``say`` and ``do``.

    >>> f = pd.DataFrame({"stated_cx_priority": [5, 5, 4, 2], "cx_budget_share": [1, 3, 2, 4]})
    >>> say_do_gap_summary(f)["value"].round(4).tolist()
    [0.75, 0.6667, -0.7303]
    """
    _require_columns(firms, [say, do], "firms")
    is_top = firms[say] >= top
    if not is_top.any():
        raise ValueError(f"say_do_gap_summary: no firm has {say!r} >= {top}")
    low = firms[do] < firms[do].median()
    return pd.DataFrame({
        "measure": [f"firms calling CX a top priority ({top:g}-5 of 5)",
                    "... of which with a below-median CX budget",
                    "correlation of stated priority and budget share"],
        "value": [float(is_top.mean()), float((is_top & low).sum() / is_top.sum()),
                  float(np.corrcoef(firms[say], firms[do])[0, 1])],
    })


def say_do_effects_by_outcome(
    data: pd.DataFrame,
    outcomes: Mapping[str, str],
    controls: Sequence[str] = (),
    say_effect: Mapping[str, float] | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`say_do_effects` for several outcomes, stacked, with the true "say" effect.

    ``outcomes`` maps outcome columns to labels (column ``outcome``). ``say_effect`` maps an
    outcome column to the true coefficient of ``say`` (the simulation's ``say_do_effect`` for
    CX); ``true_value`` is that on the ``say`` rows of that outcome, NaN elsewhere.

    >>> rng = np.random.default_rng(2)
    >>> d = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 300),
    ...                   "cx_budget_share": rng.gamma(2.0, 1.0, 300)})
    >>> d["y"] = 0.5 * d["cx_budget_share"] + rng.normal(size=300)
    >>> out = say_do_effects_by_outcome(d, {"y": "Y"}, say_effect={"y": 0.0})
    >>> out.loc[out["term"] == "say", "true_value"].tolist()
    [0.0]
    """
    say_effect = dict(say_effect or {})
    frames = []
    for y, label in outcomes.items():
        f = say_do_effects(data, y, controls=list(controls), **kwargs)  # type: ignore[arg-type]
        f = f.assign(outcome=label,
                     true_value=np.where(f["term"] == "say", say_effect.get(y, np.nan), np.nan))
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def within_unit_sd(panel: pd.DataFrame, y: str, unit: str = "firm_id",
                   time: str = "year") -> float:
    """SD of ``y`` after removing unit means, then period means of the result.

    ``r_it = y_it - mean_i(y)``, ``r'_it = r_it - mean_t(r)``, SD (ddof 1) of ``r'``: the
    noise an event study faces once firm and year effects are removed (one pass of the
    two-way demeaning; exact for balanced panels).

    >>> p = pd.DataFrame({"firm_id": [1, 1, 2, 2], "year": [1, 2, 1, 2],
    ...                   "y": [0.0, 2.0, 1.0, 1.0]})
    >>> round(within_unit_sd(p, "y"), 4)
    0.5774
    """
    _require_columns(panel, [y, unit, time], "panel")
    r = panel[y] - panel.groupby(unit)[y].transform("mean")
    r = r - r.groupby(panel[time]).transform("mean")
    return float(r.std(ddof=1))


def event_study_power_by_outcome(
    inputs: pd.DataFrame,
    n_firms: Sequence[int] = (100, 300, 1000, 3000),
    n_years: Sequence[int] = (5, 8),
    never_share: float = 0.3,
    n_sims: int = 100,
    seed: int | None = 0,
) -> pd.DataFrame:
    """:func:`event_study_power` for each row of ``inputs`` (``outcome, effect, noise_sd``).

    Every outcome uses the same ``seed``, so each block equals one :func:`event_study_power`
    call. Returns its rows with an ``outcome`` column.

    >>> inp = pd.DataFrame({"outcome": ["a"], "effect": [0.5], "noise_sd": [1.0]})
    >>> event_study_power_by_outcome(inp, n_firms=[40], n_years=[6], n_sims=20)["power"].tolist()
    [0.3]
    """
    _require_columns(inputs, ["outcome", "effect", "noise_sd"], "inputs")
    return pd.concat([
        event_study_power(effect=float(r.effect), noise_sd=float(r.noise_sd),
                          never_share=never_share, n_firms=list(n_firms),
                          n_years=list(n_years), n_sims=n_sims, seed=seed).assign(
                              outcome=r.outcome)
        for r in inputs.itertuples()
    ], ignore_index=True)


def effect_for_power(true_value: float, result: EventStudyResult) -> float:
    """The effect size to power a study for: the true effect when known, else the estimate.

    On synthetic data the simulated effect (finite ``true_value``); on user data (NaN) this
    study's own post-period average, :meth:`EventStudyResult.overall`.

    >>> p, _ = simulate_staggered_panel(n_units=100, n_periods=6, seed=0)
    >>> r = event_study_result(p, "y", "unit", "time", "first_treated")
    >>> effect_for_power(0.5, r), effect_for_power(np.nan, r) == r.overall()["estimate"]
    (0.5, True)
    """
    if np.isfinite(true_value):
        return float(true_value)
    return float(result.overall()["estimate"])
