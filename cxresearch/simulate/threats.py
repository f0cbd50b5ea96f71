"""Realistic threats to a study of "did appointing a CX leader work?" (all data **synthetic**).

:func:`simulate_threat_panel` draws a staggered-adoption firm panel with a known effect under
one of the threats a CX researcher meets, chosen by ``scenario``:

- ``"parallel"`` -- the easy case: adopters differ only by a constant level;
- ``"slump"`` -- firms appoint a leader after a CX or revenue slump (a negative transitory
  shock), which then reverts to the mean: an Ashenfelter (1978) dip that difference in
  differences against the year before the appointment reads as an effect;
- ``"anticipation"`` -- the effect starts ``lead`` periods before the official appointment (the
  search and the announcement already change behaviour);
- ``"confounding"`` -- an observed firm trait ``x`` (size, digital maturity) raises both the
  chance of appointing a leader and the outcome's trend, so parallel trends hold only
  conditionally on ``x`` (a time-varying confounder);
- ``"heterogeneous"`` -- the effect is larger for one firm type (``firm_type = 1``), which
  also appoints more often;
- ``"culture"`` -- "doing both": the leader's effect is larger where employees are empowered
  (``culture`` = 1), the leader x culture interaction of the practitioner claim.

:func:`simulate_firm_series` draws one firm's monthly CX and revenue series with a known
appointment month, plus donor firms that never appoint (for synthetic control).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, check_seed

__all__ = ["SCENARIOS", "simulate_firm_series", "simulate_threat_panel"]

#: the scenarios of :func:`simulate_threat_panel`
SCENARIOS = ("parallel", "slump", "anticipation", "confounding", "heterogeneous", "culture")


def simulate_threat_panel(
    scenario: str = "parallel",
    n_units: int = 400,
    n_periods: int = 10,
    effect: float = 1.0,
    effect_growth: float = 0.25,
    noise_sd: float = 1.0,
    rho: float = 0.5,
    never_share: float = 0.3,
    strength: float = 1.0,
    lead: int = 1,
    seed: int | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A staggered appointment panel with a known effect under one threat to identification.

    The untreated outcome is ``y0_it = a_i + l_t + b x_i t + u_it`` with AR(1) transitory
    noise ``u_it = rho u_i,t-1 + e_it`` (stationary, SD ``noise_sd``); the effect of the leader
    ``e = t - g`` periods after the appointment in period g is
    ``tau_i(e) = (effect + effect_growth e) m_i`` for e >= 0, with a firm multiplier m_i
    (1 except in ``"heterogeneous"`` and ``"culture"``). Appointment periods are drawn in
    2 .. n_periods - 3 (so every cohort has at least two pre-periods); a share ``never_share``
    (before selection) never appoints.

    - ``"slump"``: a firm appoints in the first period after its transitory noise falls below
      ``-strength * noise_sd / 2`` (from period 2 on); the dip then reverts at rate ``rho``.
    - ``"anticipation"``: ``tau_i(e) = effect / 2`` for ``-lead <= e < 0``.
    - ``"confounding"``: ``x_i ~ N(0, 1)`` raises the odds of ever appointing by
      ``exp(strength x_i)`` and adds a trend ``0.3 * strength * x_i * t``.
    - ``"heterogeneous"``: ``firm_type ~ Bernoulli(0.4)`` doubles the effect
      (``m_i = 0.5 + firm_type * 1.25``) and raises the odds of appointing by ``exp(strength)``.
    - ``"culture"``: ``culture ~ Bernoulli(0.5)``; ``m_i = 1 + strength * (culture - 0.5)``
      (``strength = 1``: the effect is three times as large in empowered firms).

    Parameters
    ----------
    scenario : str
        One of :data:`SCENARIOS`.
    n_units, n_periods : int
        Panel size (periods 0 .. n_periods - 1).
    effect, effect_growth : float
        The effect at appointment and its growth per period since.
    noise_sd : float
        SD of the stationary transitory noise.
    rho : float
        AR(1) coefficient of the transitory noise.
    never_share : float
        Probability that a firm never appoints (before any selection).
    strength : float
        Strength of the threat (slump depth, confounding, type or culture gradient).
    lead : int
        Periods of anticipation (``"anticipation"`` only).
    seed : int or None
        Seed of the draws.

    Returns
    -------
    tuple of DataFrame
        ``(panel, truth)``: panel columns ``unit, time, y, first_treated`` (nullable Int64,
        NA = never), ``treated`` (0/1 in force), and the covariates ``x, firm_type, culture``;
        ``truth`` has ``event_time, att`` (the average effect over firms of the cohorts the
        event study can use at that event time, its estimand) and ``att_culture0``,
        ``att_culture1`` (the same by culture).

    References
    ----------
    Ashenfelter, O. (1978). Estimating the effect of training programs on earnings. *Review of
    Economics and Statistics* 60(1), 47-57.
    Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    periods. *J. Econometrics* 225(2), 200-230.

    Examples
    --------
    >>> p, truth = simulate_threat_panel("confounding", n_units=50, n_periods=8, seed=1)
    >>> p.shape, sorted(p.columns)[:4]
    ((400, 8), ['culture', 'firm_type', 'first_treated', 'time'])
    >>> round(float(truth.set_index("event_time").loc[0, "att"]), 2)
    1.0
    """
    if scenario not in SCENARIOS:
        raise DataError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
    if n_periods < 6:
        raise DataError(f"n_periods must be >= 6, got {n_periods}")
    if not -1 < rho < 1:
        raise DataError(f"rho must be in (-1, 1), got {rho}")
    rng = np.random.default_rng(check_seed(seed))
    n, big_t = int(n_units), int(n_periods)
    t = np.arange(big_t)
    cohorts = np.arange(2, big_t - 2)
    x = rng.normal(size=n)
    firm_type = (rng.random(n) < 0.4).astype(int)
    culture = (rng.random(n) < 0.5).astype(int)
    a = rng.normal(size=n)
    lam = np.cumsum(rng.normal(0.2, 0.3, big_t))
    e = rng.normal(size=(n, big_t)) * noise_sd * np.sqrt(1 - rho**2)
    u = np.empty((n, big_t))
    u[:, 0] = rng.normal(size=n) * noise_sd
    for j in range(1, big_t):
        u[:, j] = rho * u[:, j - 1] + e[:, j]
    # who ever appoints, and when
    logit_never = np.log(never_share / (1 - never_share)) if 0 < never_share < 1 else 0.0
    if scenario == "confounding":
        p_never = 1 / (1 + np.exp(-(logit_never - strength * x)))
    elif scenario == "heterogeneous":
        p_never = 1 / (1 + np.exp(-(logit_never - strength * firm_type)))
    else:
        p_never = np.full(n, never_share)
    never = rng.random(n) < p_never
    g = np.where(never, np.inf, rng.choice(cohorts, n).astype(float))
    if scenario == "slump":
        thresh = -strength * noise_sd / 2
        g = np.full(n, np.inf)
        for c in cohorts:  # first period after a slump, among firms not yet appointed
            hit = ~np.isfinite(g) & ~never & (u[:, c - 1] < thresh)
            g[hit] = c
        late = ~never & ~np.isfinite(g)  # never slumped: appoint at random
        g[late] = rng.choice(cohorts, int(late.sum()))
    mult = np.ones(n)
    if scenario == "heterogeneous":
        mult = 0.5 + 1.25 * firm_type
    elif scenario == "culture":
        mult = 1 + strength * (culture - 0.5)
    ev = t[None, :] - g[:, None]
    ev_f = np.where(np.isfinite(ev), ev, -99.0)
    tau = np.where(ev_f >= 0, (effect + effect_growth * ev_f) * mult[:, None], 0.0)
    if scenario == "anticipation":
        tau = np.where((ev_f < 0) & (ev_f >= -lead), effect / 2 * mult[:, None], tau)
    trend = 0.3 * strength * x[:, None] * t[None, :] if scenario == "confounding" else 0.0
    y = a[:, None] + lam[None, :] + trend + u + tau
    fin = np.isfinite(g)
    first = pd.array(np.where(fin, g, -1).astype(int), dtype="Int64")
    first[~fin] = pd.NA
    panel = pd.DataFrame(
        {
            "unit": np.repeat([f"F{i + 1:04d}" for i in range(n)], big_t),
            "time": np.tile(t, n),
            "y": y.ravel(),
            "first_treated": np.repeat(first, big_t),
            "treated": (ev_f >= 0).astype(int).ravel(),
            "x": np.repeat(x, big_t),
            "firm_type": np.repeat(firm_type, big_t),
            "culture": np.repeat(culture, big_t),
        }
    )
    recs = []
    for k in range(-(big_t - 1), big_t):
        ok = fin & (g + k >= 0) & (g + k < big_t) & (g - 1 >= 0)
        if not ok.any():
            continue
        col = (g[ok] + k).astype(int)
        vals = tau[np.flatnonzero(ok), col]
        rec = {"event_time": k, "att": float(vals.mean())}
        for cval in (0, 1):
            sel = culture[ok] == cval
            rec[f"att_culture{cval}"] = float(vals[sel].mean()) if sel.any() else np.nan
        recs.append(rec)
    return panel, pd.DataFrame(recs)


def simulate_firm_series(
    n_months: int = 60,
    appoint_month: int = 36,
    effect: float = 2.0,
    effect_growth: float = 0.0,
    n_donors: int = 20,
    rho: float = 0.5,
    noise_sd: float = 1.0,
    seed: int | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One firm's monthly CX and revenue series with a known appointment, and donor firms.

    Every firm ``f`` has monthly ``cx_f,m = 50 + loadings_f' F_m + s_m + u_f,m`` with two common
    factors F (random walks: market-wide CX drift), a shared seasonal cycle ``s_m`` and AR(1)
    noise ``u`` (coefficient ``rho``, stationary SD ``noise_sd``). The treated firm ``"firm"``
    loads on the factors as a convex mix of the donors' loadings (so a synthetic control can
    reproduce it) and gains ``effect + effect_growth * (m - appoint_month)`` CX points from
    ``appoint_month`` on; revenue (index) follows CX with a 0.5 coefficient plus its own noise.

    Parameters
    ----------
    n_months : int
        Length of the series (months 0 .. n_months - 1).
    appoint_month : int
        The month the leader was appointed (first treated month).
    effect, effect_growth : float
        CX points gained at appointment and per month since.
    n_donors : int
        Firms that never appoint (donor pool).
    rho, noise_sd : float
        AR(1) coefficient and stationary SD of the firm noise.
    seed : int or None
        Seed of the draws.

    Returns
    -------
    tuple of DataFrame
        ``(series, truth)``: long ``firm, month, cx, revenue, treated`` (the treated firm is
        ``"firm"``, donors ``"D01"``...), and ``truth`` with ``month, effect_cx,
        effect_revenue`` for the treated firm.

    Examples
    --------
    >>> s, truth = simulate_firm_series(n_months=24, appoint_month=12, n_donors=5, seed=0)
    >>> s.shape, float(truth["effect_cx"].iloc[-1])
    ((144, 5), 2.0)
    """
    if not 3 <= appoint_month <= n_months - 1:
        raise DataError(f"appoint_month must be in 3 .. n_months - 1, got {appoint_month}")
    rng = np.random.default_rng(check_seed(seed))
    m = np.arange(n_months)
    factors = np.cumsum(rng.normal(0, 0.5, (2, n_months)), axis=1)
    season = 1.5 * np.sin(2 * np.pi * m / 12)
    load_d = rng.uniform(0.2, 2.0, (n_donors, 2))
    w = rng.dirichlet(np.ones(min(4, n_donors)))
    load_t = w @ load_d[: len(w)]
    loads = np.vstack([load_t, load_d])
    k = n_donors + 1
    u = np.empty((k, n_months))
    u[:, 0] = rng.normal(size=k) * noise_sd
    innov = rng.normal(size=(k, n_months)) * noise_sd * np.sqrt(1 - rho**2)
    for j in range(1, n_months):
        u[:, j] = rho * u[:, j - 1] + innov[:, j]
    cx = 50 + loads @ factors + season[None, :] + u
    eff = np.where(m >= appoint_month, effect + effect_growth * (m - appoint_month), 0.0)
    cx[0] += eff
    revenue = 100 + 0.5 * (cx - 50) + rng.normal(0, 0.5, (k, n_months))
    names = ["firm", *[f"D{i + 1:02d}" for i in range(n_donors)]]
    series = pd.DataFrame(
        {
            "firm": np.repeat(names, n_months),
            "month": np.tile(m, k),
            "cx": cx.ravel(),
            "revenue": revenue.ravel(),
            "treated": np.concatenate([(m >= appoint_month).astype(int),
                                       np.zeros(n_donors * n_months, dtype=int)]),
        }
    )
    truth = pd.DataFrame({"month": m, "effect_cx": eff, "effect_revenue": 0.5 * eff})
    return series, truth
