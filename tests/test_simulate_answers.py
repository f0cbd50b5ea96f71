"""Tests for cxresearch.simulate.answers: the answer keys against closed forms worked by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import simulate as sim


def test_true_value_helpers_closed_forms() -> None:
    t = {"ex_to_cx": 0.4, "ex_lag_to_cx": 0.2, "cx_lag_to_ex": 0.1,
         "performance_lag_to_ex": 0.03, "leader_effect_cx": 0.25, "sd_ex_latent": 0.8,
         "sd_cx_latent": 1.6, "cx_to_revenue_growth": 2.0, "cx_to_cost_to_serve": -4.0}
    link = sim.true_linkage_effects(t).set_index("term")["true_value"]
    assert link.to_dict() == pytest.approx({"ex": 0.2, "ex_lag": 0.1, "has_cx_leader": 0.15625})
    assert sim.true_linkage_effects({})["true_value"].isna().all()
    paths = sim.true_cross_lagged_paths(t, sd_growth=4.0)
    assert paths["true_value"].tolist() == pytest.approx([0.1, 0.2, 0.15, 0.0])
    lat = pd.DataFrame({"firm_id": ["A", "A", "B", "B", "C", "C"],
                        "ex": [0.0, 2.0, 1.0, 3.0, 5.0, 5.0], "cx": [1.0, 1.0, 2.0, 4.0, 0.0, 0.0]})
    # by hand: firm means ex = 1, 2, 5 (SD sqrt(13/3)); cx = 1, 3, 0 (SD sqrt(7/3))
    sdx, sdc = np.sqrt(13 / 3), np.sqrt(7 / 3)
    chain = sim.true_chain_effects(t, lat).set_index(["outcome", "effect"])["true_value"]
    a = 0.6 * sdx / sdc
    assert chain["revenue_growth", "a"] == pytest.approx(a)
    assert chain["revenue_growth", "indirect"] == pytest.approx(a * 2.0 * sdc)
    assert chain["log_cost_pct", "b"] == pytest.approx(100 * np.log(0.96) * sdc)
    assert chain["log_cost_pct", "direct"] == 0.0


def test_true_owner_and_event_study_effects_closed_forms() -> None:
    t = {"owner_effect_ceo": 0.1, "owner_effect_coo": 0.05, "owner_effect_cmo": 0.0,
         "leader_effect_cx": 0.2, "sd_cx_latent": 0.5, "sd_ex_latent": 0.8,
         "cx_to_revenue_growth": 2.0, "leader_effect_revenue_growth": 0.3,
         "cx_to_contacts": -10.0, "leader_effect_contacts": -2.0,
         "leader_total_effect_contacts": -6.0, "leader_total_effect_cost_to_serve": -1.0,
         "leader_total_effect_ex": 0.08}
    t |= {f"leader_total_effect_cx_e{e}": 0.1 * (e + 1) for e in range(4)}
    t |= {f"leader_total_effect_revenue_growth_e{e}": 0.5 for e in range(4)}
    own = sim.true_owner_effects(t).set_index(["outcome", "owner"])["true_value"]
    assert own["cx_sd", "coo"] == pytest.approx(0.1)
    assert own["revenue_growth", "ceo"] == pytest.approx(0.2)
    assert own["revenue_growth", "cx_leader"] == pytest.approx(0.2 * 2.0 + 0.3)
    assert own["contacts_log_pct", "cx_leader"] == pytest.approx(
        100 * np.log(0.9) * 0.2 + 100 * np.log(0.98))
    es = sim.true_event_study_effects(t).set_index("outcome")["true_value"]
    assert es["cx_sd"] == pytest.approx(0.25 / 0.5)
    assert es["contacts_log_pct"] == pytest.approx(100 * np.log(0.94))
    assert es["ex_sd"] == pytest.approx(0.1)
    assert sim.true_event_time_path(t, "cx_sd", [-2, -1, 0, 3]) == pytest.approx(
        [0, 0, 0.5, 0.5])
    with pytest.raises(ValueError, match="unknown outcome"):
        sim.true_event_time_path(t, "nope", [0])
    assert sim.true_owner_effects({})["true_value"].isna().all()
