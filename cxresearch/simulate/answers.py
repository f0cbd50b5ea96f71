"""The simulated study's answer key, translated into the units of each estimate.

:func:`cxresearch.simulate.simulate_study` records its structural coefficients in
``Study.truth`` in raw latent units. The estimators report in other units (true-score SD per
SD, log-percent, event-time averages), so each function here turns ``truth`` into the true
value of one estimator's rows, ready to merge beside the estimates:

- :func:`true_linkage_effects` -- :func:`cxresearch.linkage.panel.linkage_model` terms;
- :func:`true_cross_lagged_paths` -- :func:`cxresearch.linkage.panel.cross_lagged_panel` paths;
- :func:`true_chain_effects` -- :func:`cxresearch.linkage.mediation.mediation` effects on
  firm means;
- :func:`true_owner_effects` -- :func:`cxresearch.linkage.ownership.ownership_effects` contrasts;
- :func:`true_event_study_effects`, :func:`true_event_time_path` --
  :func:`cxresearch.causal.did.event_study` post-period averages and event-time paths.

A missing key gives NaN (user data have no truth).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, require_columns

__all__ = [
    "true_chain_effects",
    "true_cross_lagged_paths",
    "true_event_study_effects",
    "true_event_time_path",
    "true_linkage_effects",
    "true_owner_effects",
]

#: the owners contrasted with "everyone" (the order of :func:`true_owner_effects`' rows)
_OWNERS = ("ceo", "coo", "cmo", "cx_leader")


def true_linkage_effects(truth: Mapping[str, float]) -> pd.DataFrame:
    """True values of :func:`~cxresearch.linkage.panel.linkage_model` terms, in true-score SD units.

    CX per SD of EX for ``ex`` and ``ex_lag``; SD of CX for the 0/1 ``has_cx_leader``.

    From :func:`cxresearch.simulate.simulate_study`'s ``truth`` (raw latent units):
    ``ex = ex_to_cx * sd_ex / sd_cx``, ``ex_lag = ex_lag_to_cx * sd_ex / sd_cx`` and
    ``has_cx_leader = leader_effect_cx / sd_cx`` (a 0/1 regressor: SD of CX only). Missing keys
    give NaN (user data have no truth). Returns columns ``term, true_value``.

    >>> t = {"ex_to_cx": 0.5, "ex_lag_to_cx": 0.1, "leader_effect_cx": 0.3,
    ...      "sd_ex_latent": 1.2, "sd_cx_latent": 1.5}
    >>> true_linkage_effects(t)["true_value"].round(4).tolist()
    [0.4, 0.08, 0.2]
    """
    sd_ex, sd_cx = truth.get("sd_ex_latent", np.nan), truth.get("sd_cx_latent", np.nan)
    return pd.DataFrame({
        "term": ["ex", "ex_lag", "has_cx_leader"],
        "true_value": [truth.get("ex_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("ex_lag_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("leader_effect_cx", np.nan) / sd_cx],
    })


def true_cross_lagged_paths(truth: Mapping[str, float], sd_growth: float) -> pd.DataFrame:
    """True standardized cross-lagged paths among EX, CX and revenue growth (lag 1).

    A raw path ``b`` from X to Y is ``b * sd_X / sd_Y`` in SD per SD. EX and CX use the
    simulation's latent SDs (``sd_ex_latent``, ``sd_cx_latent``); revenue growth has no latent
    SD in ``truth``, so its observed SD ``sd_growth`` is given. Growth(t) -> EX(t+1) is
    ``performance_lag_to_ex``; EX(t) -> growth(t+1) is zero by construction (the simulation
    has no direct EX -> growth path). Missing keys give NaN. Returns ``from, to, lag, path,
    true_value`` in a fixed display order, to merge on ``from, to, lag`` with
    :func:`cxresearch.linkage.panel.cross_lagged_panel`.

    >>> t = {"ex_lag_to_cx": 0.1, "cx_lag_to_ex": 0.05, "performance_lag_to_ex": 0.02,
    ...      "sd_ex_latent": 1.0, "sd_cx_latent": 2.0}
    >>> true_cross_lagged_paths(t, sd_growth=5.0)["true_value"].round(4).tolist()
    [0.05, 0.1, 0.1, 0.0]
    """
    sd_ex, sd_cx = truth.get("sd_ex_latent", np.nan), truth.get("sd_cx_latent", np.nan)
    return pd.DataFrame({
        "from": ["ex", "cx", "revenue_growth", "ex"],
        "to": ["cx", "ex", "ex", "revenue_growth"],
        "lag": [1, 1, 1, 1],
        "path": ["EX(t) → CX(t+1), direct", "CX(t) → EX(t+1)", "growth(t) → EX(t+1)",
                 "EX(t) → growth(t+1)"],
        "true_value": [truth.get("ex_lag_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("cx_lag_to_ex", np.nan) * sd_cx / sd_ex,
                       truth.get("performance_lag_to_ex", np.nan) * sd_growth / sd_ex,
                       0.0],
    })


def true_chain_effects(
    truth: Mapping[str, float],
    latent: pd.DataFrame,
    unit: str = "firm_id",
) -> pd.DataFrame:
    """True mediation effects of firm-mean EX -> CX -> outcome, in the units of the notebook.

    Firm means of the simulation's latent EX and CX (``latent``, one row per firm-year) give
    between-firm SDs ``sdx``, ``sdc``. EX and CX are z-scored, so
    ``a = (ex_to_cx + ex_lag_to_cx) * sdx / sdc`` (the long-run EX effect on CX),
    ``b`` = the outcome per SD of firm CX: ``cx_to_revenue_growth * sdc`` for revenue growth
    (pp) and ``100 * ln(1 + cx_to_cost_to_serve / 100) * sdc`` for cost to serve in
    log-percent (``log_cost_pct``); ``indirect = total = a * b`` and ``direct = 0`` (no EX ->
    outcome path except through CX in the simulation). Returns ``outcome, effect, true_value``.

    >>> lat = pd.DataFrame({"firm_id": ["A", "B"], "ex": [0.0, 1.0], "cx": [0.0, 2.0]})
    >>> t = {"ex_to_cx": 0.5, "ex_lag_to_cx": 0.0, "cx_to_revenue_growth": 1.0,
    ...      "cx_to_cost_to_serve": -5.0}
    >>> out = true_chain_effects(t, lat)
    >>> out.loc[out["outcome"] == "revenue_growth", "true_value"].round(4).tolist()
    [0.25, 1.4142, 0.3536, 0.0, 0.3536]
    """
    require_columns(latent, [unit, "ex", "cx"], "latent")
    lat = latent.groupby(unit).agg(ex=("ex", "mean"), cx=("cx", "mean"))
    sdx, sdc = lat["ex"].std(), lat["cx"].std()
    a = (truth["ex_to_cx"] + truth["ex_lag_to_cx"]) * sdx / sdc
    b = {"revenue_growth": truth["cx_to_revenue_growth"] * sdc,
         "log_cost_pct": 100 * np.log1p(truth["cx_to_cost_to_serve"] / 100) * sdc}
    rows = [
        {"outcome": o, "effect": e, "true_value": v}
        for o, bo in b.items()
        for e, v in [("a", a), ("b", bo), ("indirect", a * bo), ("direct", 0.0),
                     ("total", a * bo)]
    ]
    return pd.DataFrame(rows)


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
    Matching :meth:`cxresearch.causal.did.EventStudyResult.overall` (the unweighted mean of event
    times 0..3):

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
        raise DataError(f"true_event_time_path: unknown outcome {outcome!r}; "
                        f"one of {list(avg.index)}")
    return [float(avg[outcome]) if e >= 0 else 0.0 for e in event_times]

