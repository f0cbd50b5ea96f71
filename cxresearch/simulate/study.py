"""A simulated CX benchmark study with a known truth (all data it makes are **synthetic**).

No public microdata link firms' CX ownership, culture and outcomes, so this module generates a
panel of firms whose data-generating process (DGP) encodes the claims under debate, with
magnitudes taken from published linkage research where such figures exist and marked
*assumption* where they do not. The full description, with a path diagram, is in
``docs/simulation.md``; the summary below is the authoritative short form.

Path diagram (firm-year level, latent constructs in capitals)::

    baseline growth g_i ──(selection)──> appoint a CX leader L_it (step from appointment year)
          │                                     │          │            │
          v                                     v          v            v
    revenue growth_it <── CX_it <── EX_it      CX_it    growth_it   contacts_it
          │               │   ^       ^
          │               │   └─ EX_i,t-1 (lag)
          │               └──────────> EX_i,t+1 (reverse, cx_lag_to_ex)
          └──────────────────────────> EX_i,t+1 (performance_lag_to_ex; Schneider et al. 2003)
    CX_it ──> contacts per customer, cost to serve;  EX_it ──> employee turnover
    EX_it ──> employees' culture/engagement items (ICC, item noise, non-response, missing answers)
    CX_it ──> customers' NPS, CSAT, CES, tenure, spend, churn, referrals

Structural equations (latents EX and CX have panel SD close to 1; ``truth`` reports the
realised SDs as ``sd_ex_latent`` and ``sd_cx_latent``)::

    EX_it = a_i + rho_ex (EX_i,t-1 - a_i) + cx_lag_to_ex CX_i,t-1
            + performance_lag_to_ex (growth_i,t-1 - growth_mean) + leader_effect_ex L_it + e_it
    CX_it = c_i + ex_to_cx EX_it + ex_lag_to_cx EX_i,t-1 + leader_effect_cx L_it
            + owner_effect[sponsor_i] + commitment_effect_cx k_i + u_it
    growth_it = g_i + m_t + cx_to_revenue_growth CX_it + leader_effect_revenue_growth L_it + v_it
    log contacts_it = log b_ind + log(1 + cx_to_contacts/100) CX_it
                      + log(1 + leader_effect_contacts/100) L_it + w_it
    log cost_to_serve_it = log s_ind + log(1 + cx_to_cost_to_serve/100) CX_it + z_it
    log turnover_it = log r_ind + log(1 + ex_to_turnover/100) EX_it + q_it
    P(appoint a leader during the panel) = logistic(logit(p_appoint)
            + selection_on_growth * std(g_i) + selection_on_commitment * k_i)

Five burn-in years precede the panel so that the lags start from their stationary law.
``truth`` holds every structural coefficient plus *total* effects of appointing a leader
(``leader_total_effect_*``): the average over appointed firms' post-appointment years of
observed minus counterfactual outcome (the same shocks, no appointment), which is what an event
study with firm and year fixed effects should recover; the ``leader_effect_*`` keys are the
direct structural steps.

Survey measurement. Employee ``theta = sqrt(icc_employees) EX_it + sqrt(team_share) t_team +
sqrt(1 - icc_employees - team_share) e``; item ``x = clip(round(3.5 + lambda theta +
sqrt(1 - lambda^2) eps), 1, 5)``. Items (paraphrased, not copyrighted instruments):

- ``culture_1`` "Customers' needs come first in the decisions we make";
- ``culture_2`` "I know how my work affects our customers";
- ``culture_3`` "We act on what customers tell us";
- ``culture_4`` **reverse-keyed**: "Internal rules get in the way of serving customers well"
  (score it as ``6 - culture_4``);
- ``culture_5`` "Leaders here talk about customers regularly";
- ``culture_6`` "I am empowered to fix a customer's problem on the spot";
- ``engagement_1..5`` "I am proud to work here", "I would recommend this company as a place to
  work", "I rarely think about leaving", "My work gives me a sense of accomplishment", "I have
  what I need to do my job well".

Employees respond with a probability that rises with their own ``theta`` (disengaged staff
answer less: non-response bias) and skip items at random (2%) and more when disengaged.
Customers: ``phi = sqrt(icc_customers) CX_it + sqrt(1 - icc_customers) e``; NPS 0-10 ("How
likely are you to recommend ..."), CSAT 1-5, CES 1-7 (Gartner's CES 2.0 agreement wording,
"The company made it easy for me to handle my issue": 7 = very easy; asked only of customers who
contacted service, so it is missing by design for the others), tenure, spend, churn and
referrals all depend on ``phi``; extreme customers respond more often than lukewarm ones.

Sources for magnitudes: Harter, Schmidt & Hayes (2002, J. Applied Psychology 87(2)) unit-level
true-score correlations (engagement with customer loyalty .33, turnover -.30); the Sears
service-profit chain (Rucci, Kirn & Quinn 1998, HBR; Heskett et al. 1994, HBR); Zhao &
Chamberlain (2019, Glassdoor); Schneider, Hanges, Smith & Salvaggio (2003, J. Applied Psychology
88(5)); see ``docs/simulation.md`` (with full references) and each field of :class:`StudyParams`.

Example
-------
>>> from cxresearch.simulate.study import StudyParams, simulate_study
>>> s = simulate_study(StudyParams(n_firms=40, n_years=4), seed=1)
>>> s.firms.shape[0], sorted(s.firm_years["year"].unique().tolist())
(40, [2019, 2020, 2021, 2022])
>>> round(s.truth["ex_to_cx"], 2)
0.3
>>> list(s.employees.columns[:4])
['respondent_id', 'firm_id', 'team_id', 'year']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from cxresearch.core.contract import (
    CULTURE_ITEMS,
    ENGAGEMENT_ITEMS,
    INDUSTRIES,
    ITEM_RANGES,
    REVERSE_KEYED,
    SIZE_BANDS,
)
from cxresearch.core.validation import DataError, check_seed
from cxresearch.io.study import Study

__all__ = ["StudyParams", "simulate_study"]

# The study's vocabulary (INDUSTRIES, SIZE_BANDS, OWNERS, CULTURE_ITEMS, ENGAGEMENT_ITEMS,
# REVERSE_KEYED) is defined once, in cxresearch.core.contract.

# Industry baselines (illustrative orders of magnitude, assumption): contacts per customer per
# year, cost to serve per customer (currency units per year), annual employee turnover (%),
# annual spend per customer, mean baseline growth offset (pp).
_IND_CONTACTS = np.array([1.2, 2.0, 2.6, 1.5, 2.2, 0.8])
_IND_COST = np.array([18.0, 45.0, 60.0, 120.0, 80.0, 12.0])
_IND_TURNOVER = np.array([45.0, 15.0, 20.0, 13.0, 19.0, 60.0])
_IND_SPEND = np.array([600.0, 1200.0, 900.0, 3000.0, 1500.0, 400.0])
_IND_GROWTH = np.array([0.0, -0.5, -1.0, 3.0, 1.0, 0.5])
_SIZE_REVENUE = np.array([20.0, 200.0, 2000.0])  # USD millions, median per size band
_SIZE_EMPLOYEES = np.array([80.0, 800.0, 8000.0])  # median employees per size band
_BURN_IN = 5


@dataclass(frozen=True)
class StudyParams:
    """Parameters of the simulated CX study; every magnitude names its source.

    ``SD`` means one standard deviation of the firm-year latent construct (employee experience
    EX or customer experience CX), whose panel SD is close to 1. ``pp`` means percentage points
    of annual revenue growth.

    >>> p = StudyParams(selection_on_growth=0.0)
    >>> p.selection_on_growth, p.n_firms
    (0.0, 300)
    """

    # --- design -----------------------------------------------------------------------------
    n_firms: int = 300
    n_years: int = 8
    start_year: int = 2019
    employees_per_firm_year: float = 15.0  # mean responding employees per firm-year
    customers_per_firm_year: float = 40.0  # mean responding customers per firm-year
    industry_probs: tuple[float, ...] = (0.22, 0.16, 0.12, 0.18, 0.14, 0.18)
    size_probs: tuple[float, float, float] = (0.5, 0.35, 0.15)

    # --- employee experience (EX) dynamics ------------------------------------------------
    sd_firm_ex: float = 0.7  # between-firm share of EX variance ~0.5 (assumption)
    rho_ex: float = 0.5  # year-to-year persistence of EX deviations (assumption)
    sd_ex_shock: float = 0.55  # chosen so that the panel SD of EX is close to 1
    # Reverse path CX(t) -> EX(t+1): Schneider et al. (2003) found attitudes follow performance
    # more than they lead it; kept smaller than ex_to_cx (assumption on size).
    cx_lag_to_ex: float = 0.10
    # Revenue growth(t) -> EX(t+1), SD of EX per pp of growth: Schneider et al. (2003, J. Appl.
    # Psych. 88(5)) -- financial performance predicted later job satisfaction. 0.02/pp means a
    # 5 pp (about 1 SD) better year lifts next year's EX by 0.1 SD (assumption on size).
    performance_lag_to_ex: float = 0.02
    growth_mean: float = 4.0  # centre of annual revenue growth, pp (assumption)

    # --- customer experience (CX) ---------------------------------------------------------
    sd_firm_cx: float = 0.5  # stable firm differences in CX (assumption)
    sd_cx_shock: float = 0.6  # firm-year CX noise, so that the panel SD of CX is close to 1
    # EX(t) -> CX(t): Harter, Schmidt & Hayes (2002) true-score r(engagement, customer
    # loyalty) = .33 at business-unit level; Zhao & Chamberlain (2019): +1 Glassdoor star ->
    # +1.3 ACSI points. Standardised slope 0.30.
    ex_to_cx: float = 0.30
    # EX(t-1) -> CX(t): the service-profit chain is lagged (Heskett et al. 1994; Rucci, Kirn &
    # Quinn 1998 used next-quarter links at Sears). Size is an assumption.
    ex_lag_to_cx: float = 0.10
    # Firm commitment k_i (latent; cx_budget_share is its noisy indicator) -> CX, SD per SD.
    commitment_effect_cx: float = 0.20  # assumption
    # Say/do gap: effect of *stated* CX priority on CX given commitment: none by construction.
    say_effect_cx: float = 0.0
    # Correlation of stated priority with real commitment (weak: 75% of firms say CX is their
    # top priority -- literature.md, "Claims" -- but many fund it poorly).
    say_do_link: float = 0.35
    stated_priority_probs: tuple[float, ...] = (0.04, 0.07, 0.14, 0.35, 0.40)

    # --- leadership -------------------------------------------------------------------------
    p_leader_before: float = 0.12  # firms with a dedicated CX leader before the panel
    p_appoint: float = 0.30  # baseline probability of appointing one during the panel
    # Selection: log-odds of appointing per SD of latent baseline growth. Positive: growing
    # firms appoint; negative: struggling firms do; 0: random appointment. (Assumption; the
    # issue's point is that selection is not random.)
    selection_on_growth: float = 0.8
    selection_on_commitment: float = 0.5  # log-odds per SD of commitment (assumption)
    first_appointment_offset: int = 2  # earliest appointment: 2 years into the panel
    # Sponsors when no dedicated leader owns CX ("everyone's job" is the reference); the
    # practitioner poll in literature.md was "all over the map", so effects are small.
    sponsor_probs: tuple[float, float, float, float] = (0.30, 0.20, 0.20, 0.30)  # ceo coo cmo all
    owner_effect_ceo: float = 0.10  # SD of CX vs "everyone" (assumption)
    owner_effect_coo: float = 0.05  # assumption
    owner_effect_cmo: float = 0.0  # assumption
    leader_effect_cx: float = 0.25  # direct step in CX from appointment year on (assumption)
    leader_effect_ex: float = 0.05  # "CX leaders rank among the best places to work" (claim)
    leader_effect_revenue_growth: float = 0.3  # direct pp step, beyond the CX path (assumption)
    leader_effect_contacts: float = -5.0  # % change in contacts per customer (assumption)

    # --- outcomes ---------------------------------------------------------------------------
    sd_baseline_growth: float = 4.0  # SD of firms' latent baseline growth, pp (assumption)
    sd_macro_growth: float = 2.0  # common year shocks, pp (assumption)
    sd_growth_shock: float = 5.0  # firm-year growth noise, pp (assumption)
    # CX -> revenue growth: Sears (Rucci et al. 1998): +1.3 units of customer impression ->
    # +0.5 pp revenue growth (secondary source); with ~1 SD ~ 1.3-2.6 units, about 0.5-1 pp.
    cx_to_revenue_growth: float = 0.8
    cx_to_contacts: float = -8.0  # % per SD of CX: "fewer service inquiries" (claim; assumption)
    cx_to_cost_to_serve: float = -5.0  # % per SD of CX (claim; assumption)
    # EX -> turnover, % per SD: Harter et al. (2002) true-score r(engagement, turnover) = -.30.
    ex_to_turnover: float = -15.0

    # --- measurement ------------------------------------------------------------------------
    # ICCs of the person-level latent within firm-years: climate/engagement ICC(1) typically
    # .10-.20 (e.g. Harter et al. 2002 unit-level analyses); customer ICCs are lower.
    icc_employees: float = 0.15
    team_share: float = 0.05  # extra variance shared within teams (assumption)
    icc_customers: float = 0.08
    culture_loadings: tuple[float, ...] = (0.75, 0.70, 0.80, 0.55, 0.70, 0.65)
    engagement_loadings: tuple[float, ...] = (0.80, 0.75, 0.65, 0.75, 0.60)
    engagement_culture_r: float = 0.8  # person-level correlation of the two factors
    employee_response_rate: float = 0.65
    employee_response_slope: float = 0.4  # log-odds per SD of theta (non-response bias)
    customer_response_rate: float = 0.25
    customer_response_slope: float = 0.3  # log-odds per |phi| (extremes respond more)
    p_item_missing: float = 0.02
    p_answer_missing_customers: float = 0.03

    def to_dict(self) -> dict[str, object]:
        """All parameters as a plain dict (tuples become lists), e.g. for JSON.

        >>> StudyParams().to_dict()["ex_to_cx"]
        0.3
        """
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width))


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def _mean_response(log_odds: Callable[[np.ndarray], np.ndarray]) -> float:
    """E[logistic(log_odds(Z))] for Z ~ N(0, 1), by Gauss-Hermite quadrature."""
    z, w = np.polynomial.hermite_e.hermegauss(40)
    return float(np.sum(w * _logistic(log_odds(z))) / np.sum(w))


def _likert(latent: np.ndarray, lo: int, hi: int, centre: float, scale: float) -> np.ndarray:
    return np.clip(np.rint(centre + scale * latent), lo, hi).astype(np.int64)


def _check_params(p: StudyParams) -> None:
    checks = {
        "n_firms": p.n_firms >= 2,
        "n_years": p.n_years >= 2,
        "employees_per_firm_year": p.employees_per_firm_year > 0,
        "customers_per_firm_year": p.customers_per_firm_year > 0,
        "industry_probs": len(p.industry_probs) == len(INDUSTRIES),
        "size_probs": len(p.size_probs) == len(SIZE_BANDS),
        "icc_employees": p.icc_employees >= 0 and p.icc_employees + p.team_share < 1,
        "icc_customers": 0 <= p.icc_customers < 1,
        "p_appoint": 0 < p.p_appoint < 1,
        "p_leader_before": 0 <= p.p_leader_before < 1,
        "culture_loadings": len(p.culture_loadings) == len(CULTURE_ITEMS),
        "engagement_loadings": len(p.engagement_loadings) == len(ENGAGEMENT_ITEMS),
        "stated_priority_probs": len(p.stated_priority_probs) == 5,
    }
    bad = [k for k, ok in checks.items() if not ok]
    if bad:
        raise DataError(f"StudyParams: invalid value(s) for {bad}")


def _panel(
    p: StudyParams,
    fixed: dict[str, np.ndarray],
    shocks: dict[str, np.ndarray],
    leader: np.ndarray,
) -> dict[str, np.ndarray]:
    """Run the firm-year structural equations over burn-in + panel years (vectorised over firms).

    ``leader`` is (n_firms, n_total) 0/1. Returns arrays of shape (n_firms, n_total).
    """
    n, tt = leader.shape
    ex = np.empty((n, tt))
    cx = np.empty((n, tt))
    growth = np.empty((n, tt))
    a, c, g, k = fixed["a"], fixed["c"], fixed["g"], fixed["k"]
    owner = fixed["sponsor_effect"]
    ex_prev = a + shocks["ex0"]
    cx_prev = c + p.ex_to_cx * ex_prev
    growth_prev = np.full(n, p.growth_mean)
    for t in range(tt):
        lt = leader[:, t]
        ex_t = (
            a
            + p.rho_ex * (ex_prev - a)
            + p.cx_lag_to_ex * cx_prev
            + p.performance_lag_to_ex * (growth_prev - p.growth_mean)
            + p.leader_effect_ex * lt
            + shocks["ex"][:, t]
        )
        cx_t = (
            c
            + p.ex_to_cx * ex_t
            + p.ex_lag_to_cx * ex_prev
            + p.leader_effect_cx * lt
            + owner
            + p.commitment_effect_cx * k
            + p.say_effect_cx * fixed["say_centred"]
            + shocks["cx"][:, t]
        )
        g_t = (
            g
            + shocks["macro"][t]
            + p.cx_to_revenue_growth * cx_t
            + p.leader_effect_revenue_growth * lt
            + shocks["growth"][:, t]
        )
        ex[:, t], cx[:, t], growth[:, t] = ex_t, cx_t, g_t
        ex_prev, cx_prev, growth_prev = ex_t, cx_t, g_t
    ind = fixed["industry"]
    log_contacts = (
        np.log(_IND_CONTACTS[ind])[:, None]
        + np.log1p(p.cx_to_contacts / 100) * cx
        + np.log1p(p.leader_effect_contacts / 100) * leader
        + shocks["contacts"]
    )
    log_cost = (
        np.log(_IND_COST[ind])[:, None]
        + np.log1p(p.cx_to_cost_to_serve / 100) * cx
        + shocks["cost"]
    )
    log_turnover = (
        np.log(_IND_TURNOVER[ind])[:, None]
        + np.log1p(p.ex_to_turnover / 100) * ex
        + shocks["turnover"]
    )
    return {
        "ex": ex,
        "cx": cx,
        "growth": growth,
        "contacts": np.exp(log_contacts),
        "cost": np.exp(log_cost),
        "turnover": np.exp(log_turnover),
    }


def simulate_study(params: StudyParams | None = None, seed: int | None = 0) -> Study:
    """Simulate a **synthetic** CX benchmark study (firms, firm-years, employees, customers).

    The data-generating process is described in the module docstring and ``docs/simulation.md``.
    Tables are sorted by their ids; ids are zero-padded strings (``F0001``, ``E0000001``,
    ``C00000001``). ``truth`` holds every structural coefficient and the realised total effects
    of appointing a CX leader; ``latent`` holds the answer key (firm-year EX and CX).

    Parameters
    ----------
    params : StudyParams, optional
        Defaults to ``StudyParams()``.
    seed : int or None
        Seed for ``numpy.random.default_rng``; the same seed gives identical tables (None:
        fresh entropy).

    Returns
    -------
    Study
        ``firms``, ``firm_years``, ``employees``, ``customers``, ``truth``, ``params`` and the
        answer key ``latent``.

    References
    ----------
    Harter, Schmidt & Hayes (2002), *J. Applied Psychology* 87(2); Heskett et al. (1994),
    *Harvard Business Review*; Rucci, Kirn & Quinn (1998), *Harvard Business Review*;
    Schneider, Hanges, Smith & Salvaggio (2003), *J. Applied Psychology* 88(5); see
    ``docs/simulation.md``.

    Examples
    --------
    >>> s = simulate_study(StudyParams(n_firms=30, n_years=3), seed=7)
    >>> s.firms.columns.tolist()[:4]
    ['firm_id', 'industry', 'size_band', 'n_employees']
    >>> bool(s.customers["nps"].dropna().between(0, 10).all())
    True
    """
    p = params if params is not None else StudyParams()
    _check_params(p)
    rng = np.random.default_rng(check_seed(seed))
    n, ny = p.n_firms, p.n_years
    tt = _BURN_IN + ny
    years = p.start_year + np.arange(ny)

    # ---- firms -------------------------------------------------------------------------
    industry = rng.choice(
        len(INDUSTRIES), size=n, p=np.asarray(p.industry_probs) / sum(p.industry_probs)
    )
    size = rng.choice(3, size=n, p=np.asarray(p.size_probs) / sum(p.size_probs))
    n_employees = np.maximum(
        5, np.rint(_SIZE_EMPLOYEES[size] * np.exp(rng.normal(0, 0.5, n)))
    ).astype(np.int64)
    g = p.growth_mean + _IND_GROWTH[industry] + rng.normal(0, p.sd_baseline_growth, n)
    g_std = (g - g.mean()) / g.std() if n > 1 and g.std() > 0 else np.zeros(n)
    a = rng.normal(0, p.sd_firm_ex, n)
    c = rng.normal(0, p.sd_firm_cx, n)
    k = rng.normal(0, 1, n)  # latent commitment to CX
    say_latent = p.say_do_link * k + np.sqrt(max(1 - p.say_do_link**2, 0.0)) * rng.normal(0, 1, n)
    from scipy.stats import norm

    cuts = norm.ppf(np.cumsum(p.stated_priority_probs)[:-1] / sum(p.stated_priority_probs))
    stated = 1 + np.searchsorted(cuts, say_latent)
    budget = np.round(1.2 * np.exp(0.5 * k + rng.normal(0, 0.2, n)), 2)
    sponsor = rng.choice(4, size=n, p=np.asarray(p.sponsor_probs) / sum(p.sponsor_probs))
    sponsor_eff = np.array([p.owner_effect_ceo, p.owner_effect_coo, p.owner_effect_cmo, 0.0])
    before = rng.random(n) < p.p_leader_before
    p_app = _logistic(
        _logit(p.p_appoint) + p.selection_on_growth * g_std + p.selection_on_commitment * k
    )
    appoint = (~before) & (rng.random(n) < p_app)
    first = min(p.first_appointment_offset, ny - 1)
    app_t = rng.integers(first, ny, size=n)  # panel year index of appointment
    appoint_year = np.where(appoint, years[0] + app_t, -1)

    leader = np.zeros((n, tt))
    leader[before, :] = 1.0
    t_index = np.arange(tt)[None, :] - _BURN_IN
    leader[appoint] = (t_index >= app_t[appoint, None]).astype(float)

    # ---- firm-year structural process (actual and no-appointment counterfactual) ----------
    shocks = {
        "ex0": rng.normal(0, p.sd_ex_shock / np.sqrt(1 - p.rho_ex**2), n),
        "ex": rng.normal(0, p.sd_ex_shock, (n, tt)),
        "cx": rng.normal(0, p.sd_cx_shock, (n, tt)),
        "macro": rng.normal(0, p.sd_macro_growth, tt),
        "growth": rng.normal(0, p.sd_growth_shock, (n, tt)),
        "contacts": rng.normal(0, 0.10, (n, tt)),
        "cost": rng.normal(0, 0.08, (n, tt)),
        "turnover": rng.normal(0, 0.15, (n, tt)),
    }
    fixed = {
        "a": a,
        "c": c,
        "g": g,
        "k": k,
        "industry": industry,
        "sponsor_effect": sponsor_eff[sponsor],
        "say_centred": stated - 4.0,
    }
    act = _panel(p, fixed, shocks, leader)
    leader_cf = leader.copy()
    leader_cf[appoint] = 0.0
    cf = _panel(p, fixed, shocks, leader_cf)
    sl = slice(_BURN_IN, tt)
    ex, cx, growth = act["ex"][:, sl], act["cx"][:, sl], act["growth"][:, sl]
    has_leader = leader[:, sl].astype(np.int64)

    # revenue: USD millions, compounding the simulated growth from a size-band level
    rev0 = _SIZE_REVENUE[size] * np.exp(rng.normal(0, 0.5, n))
    revenue = rev0[:, None] * np.cumprod(1 + growth / 100, axis=1)
    spend_level = _IND_SPEND[industry] * np.exp(rng.normal(0, 0.2, n))
    n_customers = np.maximum(1, np.rint(revenue * 1e6 / spend_level[:, None])).astype(np.int64)

    owner_names = np.array(["ceo", "coo", "cmo", "everyone"])[sponsor]
    cx_owner = np.where(before | appoint, "cx_leader", owner_names)
    firm_ids = _ids("F", n, max(4, len(str(n))))

    firms = pd.DataFrame(
        {
            "firm_id": firm_ids,
            "industry": np.array(INDUSTRIES)[industry],
            "size_band": np.array(SIZE_BANDS)[size],
            "n_employees": n_employees,
            "cx_owner": cx_owner,
            "cx_leader_year": pd.array(np.where(appoint, appoint_year, 0), dtype="Int64"),
            "stated_cx_priority": stated.astype(np.int64),
            "cx_budget_share": budget,
        }
    )
    firms.loc[~appoint, "cx_leader_year"] = pd.NA

    fy_firm = np.repeat(np.arange(n), ny)
    fy_year = np.tile(years, n)
    firm_years = pd.DataFrame(
        {
            "firm_id": firm_ids[fy_firm],
            "year": fy_year.astype(np.int64),
            "has_cx_leader": has_leader.ravel(),
            "revenue": np.round(revenue.ravel(), 3),
            "revenue_growth": np.round(growth.ravel(), 3),
            "cost_to_serve": np.round(act["cost"][:, sl].ravel(), 2),
            "contacts_per_customer": np.round(act["contacts"][:, sl].ravel(), 3),
            "employee_turnover": np.round(act["turnover"][:, sl].ravel(), 2),
            "n_customers": n_customers.ravel(),
        }
    )

    # ---- employees -------------------------------------------------------------------------
    n_teams = np.clip(np.rint(np.log2(n_employees / 10)), 2, 8).astype(np.int64)
    team_offset = np.concatenate([[0], np.cumsum(n_teams)[:-1]])
    team_eff = rng.normal(0, 1, int(n_teams.sum()))
    rr = p.employee_response_rate
    e_rate = _mean_response(lambda z: _logit(rr) + p.employee_response_slope * z)
    invited = rng.poisson(p.employees_per_firm_year / e_rate, n * ny)
    invited = np.minimum(invited, n_employees[fy_firm])
    e_fy = np.repeat(np.arange(n * ny), invited)
    e_firm = fy_firm[e_fy]
    e_team_local = rng.integers(0, n_teams[e_firm])
    e_team = team_offset[e_firm] + e_team_local
    resid = np.sqrt(1 - p.icc_employees - p.team_share)
    theta = (
        np.sqrt(p.icc_employees) * ex.ravel()[e_fy]
        + np.sqrt(p.team_share) * team_eff[e_team]
        + resid * rng.normal(0, 1, e_fy.size)
    )
    responds = rng.random(e_fy.size) < _logistic(_logit(rr) + p.employee_response_slope * theta)
    e_fy, e_firm, e_team_local, theta = (
        e_fy[responds],
        e_firm[responds],
        e_team_local[responds],
        theta[responds],
    )
    ne = e_fy.size
    r_ec = p.engagement_culture_r
    theta_eng = r_ec * theta + np.sqrt(1 - r_ec**2) * rng.normal(0, 1, ne)
    emp = {
        "respondent_id": _ids("E", ne, max(7, len(str(ne)))),
        "firm_id": firm_ids[e_firm],
        "team_id": np.char.add(
            np.char.add(firm_ids[e_firm], "-T"), np.char.zfill((e_team_local + 1).astype(str), 2)
        ),
        "year": fy_year[e_fy].astype(np.int64),
    }
    p_miss = p.p_item_missing + 0.03 * (theta < -1.0)
    for items, loads, lat in (
        (CULTURE_ITEMS, p.culture_loadings, theta),
        (ENGAGEMENT_ITEMS, p.engagement_loadings, theta_eng),
    ):
        for item, lam in zip(items, loads):
            ystar = lam * lat + np.sqrt(1 - lam**2) * rng.normal(0, 1, ne)
            lo, hi = ITEM_RANGES[item]
            x = _likert(ystar, lo, hi, 3.5, 1.0)
            if item in REVERSE_KEYED:
                x = lo + hi - x
            col = pd.array(x, dtype="Int64")
            col[rng.random(ne) < p_miss] = pd.NA
            emp[item] = col
    employees = pd.DataFrame(emp)

    # ---- customers -------------------------------------------------------------------------
    crr = p.customer_response_rate
    c_rate = _mean_response(lambda z: _logit(crr) + p.customer_response_slope * np.abs(z))
    c_inv = rng.poisson(p.customers_per_firm_year / c_rate, n * ny)
    c_fy = np.repeat(np.arange(n * ny), c_inv)
    phi = np.sqrt(p.icc_customers) * cx.ravel()[c_fy] + np.sqrt(1 - p.icc_customers) * rng.normal(
        0, 1, c_fy.size
    )
    keep = rng.random(c_fy.size) < _logistic(_logit(crr) + p.customer_response_slope * np.abs(phi))
    c_fy, phi = c_fy[keep], phi[keep]
    nc = c_fy.size
    c_firm = fy_firm[c_fy]

    def noisy(loading: float) -> np.ndarray:
        return loading * phi + np.sqrt(1 - loading**2) * rng.normal(0, 1, nc)

    nps = pd.array(_likert(noisy(0.85), *ITEM_RANGES["nps"], 7.8, 2.0), dtype="Int64")
    csat = pd.array(_likert(noisy(0.80), *ITEM_RANGES["csat"], 3.9, 0.9), dtype="Int64")
    ces = pd.array(_likert(noisy(0.60), *ITEM_RANGES["ces"], 5.0, 1.4), dtype="Int64")
    contacted = rng.random(nc) < 1 - np.exp(-0.5 * act["contacts"][:, sl].ravel()[c_fy])
    ces[~contacted] = pd.NA
    nps[rng.random(nc) < p.p_answer_missing_customers] = pd.NA
    csat[rng.random(nc) < p.p_answer_missing_customers] = pd.NA
    tenure = np.clip(np.rint(np.exp(np.log(30) + 0.25 * phi + rng.normal(0, 0.8, nc))), 1, 480)
    spend = np.round(spend_level[c_firm] * np.exp(0.15 * phi + rng.normal(0, 0.6, nc)), 2)
    churned = rng.random(nc) < _logistic(_logit(0.15) - 0.6 * phi)
    referrals = rng.poisson(np.exp(np.log(0.4) + 0.5 * phi))
    customers = pd.DataFrame(
        {
            "respondent_id": _ids("C", nc, max(8, len(str(nc)))),
            "firm_id": firm_ids[c_firm],
            "year": fy_year[c_fy].astype(np.int64),
            "nps": nps,
            "csat": csat,
            "ces": ces,
            "tenure_months": pd.array(tenure.astype(np.int64), dtype="Int64"),
            "annual_spend": spend,
            "churned": pd.array(churned.astype(np.int64), dtype="Int64"),
            "referrals": pd.array(referrals.astype(np.int64), dtype="Int64"),
        }
    )

    # ---- answer key and truth ----------------------------------------------------------------
    latent = pd.DataFrame(
        {
            "firm_id": firm_ids[fy_firm],
            "year": fy_year.astype(np.int64),
            "ex": ex.ravel(),
            "cx": cx.ravel(),
            "ex_lag": act["ex"][:, _BURN_IN - 1 : tt - 1].ravel(),
            "cx_lag": act["cx"][:, _BURN_IN - 1 : tt - 1].ravel(),
            "revenue_growth_lag": act["growth"][:, _BURN_IN - 1 : tt - 1].ravel(),
            "baseline_growth": g[fy_firm],
            "firm_ex_effect": a[fy_firm],
            "firm_cx_effect": c[fy_firm],
            "cx_commitment": k[fy_firm],
            "sponsor": np.array(["ceo", "coo", "cmo", "everyone"])[sponsor][fy_firm],
            "leader_appointed_in_panel": appoint[fy_firm].astype(np.int64),
        }
    )
    truth: dict[str, float] = {
        "ex_to_cx": p.ex_to_cx,
        "ex_lag_to_cx": p.ex_lag_to_cx,
        "cx_lag_to_ex": p.cx_lag_to_ex,
        "performance_lag_to_ex": p.performance_lag_to_ex,
        "rho_ex": p.rho_ex,
        "cx_to_revenue_growth": p.cx_to_revenue_growth,
        "cx_to_cost_to_serve": p.cx_to_cost_to_serve,
        "cx_to_contacts": p.cx_to_contacts,
        "ex_to_turnover": p.ex_to_turnover,
        "leader_effect_cx": p.leader_effect_cx,
        "leader_effect_ex": p.leader_effect_ex,
        "leader_effect_revenue_growth": p.leader_effect_revenue_growth,
        "leader_effect_contacts": p.leader_effect_contacts,
        "owner_effect_ceo": p.owner_effect_ceo,
        "owner_effect_coo": p.owner_effect_coo,
        "owner_effect_cmo": p.owner_effect_cmo,
        "owner_effect_cx_leader": p.leader_effect_cx,
        "commitment_effect_cx": p.commitment_effect_cx,
        "say_do_effect": p.say_effect_cx,
        "say_do_link": p.say_do_link,
        "selection_on_growth": p.selection_on_growth,
        "selection_on_commitment": p.selection_on_commitment,
        "icc_employees": p.icc_employees,
        "team_share_employees": p.team_share,
        "icc_customers": p.icc_customers,
        "sd_ex_latent": float(ex.std()),
        "sd_cx_latent": float(cx.std()),
    }
    never = ~(before | appoint)
    truth["selection_gap_growth_pp"] = (
        float(g[appoint].mean() - g[never].mean()) if appoint.any() and never.any() else 0.0
    )
    post = (leader[:, sl] == 1) & appoint[:, None]
    if post.any():
        diffs = {
            "cx": act["cx"] - cf["cx"],
            "ex": act["ex"] - cf["ex"],
            "revenue_growth": act["growth"] - cf["growth"],
            "contacts": 100 * (act["contacts"] / cf["contacts"] - 1),
            "cost_to_serve": 100 * (act["cost"] / cf["cost"] - 1),
        }
        event_time = np.arange(ny)[None, :] - app_t[:, None]
        for name, d in diffs.items():
            truth[f"leader_total_effect_{name}"] = float(d[:, sl][post].mean())
        for e in range(ny - first):
            mask = post & (event_time == e)
            if mask.any():
                for name in ("cx", "revenue_growth"):
                    truth[f"leader_total_effect_{name}_e{e}"] = float(
                        diffs[name][:, sl][mask].mean()
                    )
    truth["n_leaders_appointed_in_panel"] = float(appoint.sum())
    truth["n_leaders_before_panel"] = float(before.sum())
    return Study(
        firms=firms,
        firm_years=firm_years,
        employees=employees,
        customers=customers,
        truth=truth,
        params=p,
        latent=latent,
    )
