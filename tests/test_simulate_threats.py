"""Tests for cxresearch.simulate.threats: each scenario produces the threat it names."""

from __future__ import annotations

import numpy as np
import pytest

from cxresearch.simulate.threats import SCENARIOS, simulate_firm_series, simulate_threat_panel


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_is_a_balanced_panel_with_a_truth(scenario: str) -> None:
    p, truth = simulate_threat_panel(scenario, n_units=200, n_periods=8, seed=1)
    assert len(p) == 200 * 8
    assert set(p.columns) >= {"unit", "time", "y", "first_treated", "treated", "x"}
    tr = truth.set_index("event_time")["att"]
    if scenario != "anticipation":
        assert (tr.loc[tr.index < 0] == 0).all()
    assert tr.loc[0] > 0
    again, _ = simulate_threat_panel(scenario, n_units=200, n_periods=8, seed=1)
    assert again.equals(p)


def test_slump_scenario_has_a_dip_before_the_appointment() -> None:
    p, _ = simulate_threat_panel("slump", n_units=4000, effect=0.0, effect_growth=0.0,
                                 seed=2)
    ft = p["first_treated"].astype("Float64").astype(float)
    e = p["time"] - ft
    # detrended outcome: subtract each period's mean among never-treated firms
    p = p.assign(r=p["y"] - p.groupby("time")["y"].transform("mean"))
    dip = p.loc[e == -1, "r"].mean() - p.loc[e == -3, "r"].mean()
    assert dip < -0.3


def test_confounding_and_heterogeneous_selection_go_through_the_covariates() -> None:
    p, _ = simulate_threat_panel("confounding", n_units=4000, seed=3)
    firms = p.groupby("unit").first()
    ever = firms["first_treated"].notna()
    assert firms.loc[ever, "x"].mean() - firms.loc[~ever, "x"].mean() > 0.3
    p, _ = simulate_threat_panel("heterogeneous", n_units=4000, seed=3)
    firms = p.groupby("unit").first()
    ever = firms["first_treated"].notna()
    assert firms.loc[ever, "firm_type"].mean() > firms.loc[~ever, "firm_type"].mean() + 0.1


def test_culture_truth_by_group() -> None:
    _, truth = simulate_threat_panel("culture", n_units=500, effect=1.0, effect_growth=0.0,
                                     strength=1.0, seed=0)
    row = truth.set_index("event_time").loc[0]
    assert row["att_culture0"] == pytest.approx(0.5)
    assert row["att_culture1"] == pytest.approx(1.5)


def test_firm_series_effect_and_errors() -> None:
    s, truth = simulate_firm_series(n_months=48, appoint_month=30, effect=3.0, n_donors=8,
                                    seed=1)
    assert sorted(s["firm"].unique())[:2] == ["D01", "D02"]
    assert (truth.loc[truth["month"] < 30, "effect_cx"] == 0).all()
    assert np.allclose(truth.loc[truth["month"] >= 30, "effect_cx"], 3.0)
    with pytest.raises(ValueError, match="appoint_month"):
        simulate_firm_series(n_months=10, appoint_month=12)
    with pytest.raises(ValueError, match="scenario"):
        simulate_threat_panel("other")
