"""Tests for the tables of the issue-17 sections of notebooks 11 and 06 (threats scenario by
scenario, "doing both", one firm's appointment, power bands in
:mod:`cxresearch.studies.leadership_06`): each equals the direct calls of the estimators it
stacks, on small seeded synthetic data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.causal import did
from cxresearch.simulate.threats import simulate_firm_series, simulate_threat_panel
from cxresearch.studies import leadership_06 as s06

# ------------------------------------------------------------------ notebooks 06 and 11, issue 17
# Tables of these sections (cxresearch.studies.leadership_06): each equals the direct calls
# of the estimators it stacks, on small seeded synthetic data.



def test_threat_scenarios_equal_direct_calls_and_the_truth() -> None:
    out = s06.threat_scenarios(["parallel", "anticipation"], n_units=150, n_periods=8, seed=3)
    p, truth = simulate_threat_panel("anticipation", n_units=150, n_periods=8, seed=3)
    rows = out[out["scenario"] == "anticipation"].set_index("estimator")
    target = truth.set_index("event_time").loc[[0, 1, 2, 3], "att"].mean()
    assert rows.loc["naive comparison", "truth"] == pytest.approx(target)
    assert rows.loc["placebo test (appointment 2 years early)", "truth"] == 0.0
    args = ("y", "unit", "time", "first_treated")
    direct = {
        "naive comparison": did.naive_comparison(p, "y", "treated", "unit", "time"),
        "two-way FE": did.twfe_static(p, *args),
        "event study (no covariates)": did.event_study(p, *args).overall(),
        "event study (dr, covariates)": did.event_study(
            p, *args, covariates=["x", "firm_type", "culture"], method="dr").overall(),
        "event study (dr, anticipation = 1)": did.event_study(
            p, *args, window=(-4, 3), covariates=["x", "firm_type", "culture"], method="dr",
            anticipation=1).overall(),
        "placebo test (appointment 2 years early)": did.placebo_test(p, *args, shift=2),
    }
    assert list(rows.index) == list(direct)
    for name, r in direct.items():
        assert rows.loc[name, "estimate"] == pytest.approx(r.estimate, rel=1e-10), name
        assert rows.loc[name, "ci_high"] == pytest.approx(r.ci_high, rel=1e-10), name
    es = did.event_study(p, *args)
    assert rows.loc["event study (no covariates)", "check_p"] == pytest.approx(
        es.pretrend_test().p_value)
    assert np.isnan(rows.loc["two-way FE", "check_p"])
    cov = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    assert (out["covers_truth"] == cov).all()
    # anticipation = 1 only where the threat starts before the appointment
    assert "event study (dr, anticipation = 1)" not in set(
        out.loc[out["scenario"] == "parallel", "estimator"])
    with pytest.raises(ValueError, match="unknown scenario"):
        s06.threat_scenarios(["nope"])


def test_threat_findings_name_what_covers_and_what_flags_and_claim_nothing() -> None:
    t = pd.DataFrame({
        "scenario": ["a"] * 4 + ["b"] * 3,
        "threat": ["threat A"] * 4 + ["threat B"] * 3,
        "estimator": ["naive comparison", "two-way FE", "event study (no covariates)",
                      "placebo test (appointment 2 years early)"] * 1
        + ["naive comparison", "event study (no covariates)",
           "placebo test (appointment 2 years early)"],
        "truth": [1.5, 1.5, 1.5, 0.0, 2.0, 2.0, 0.0],
        "covers_truth": [False, False, True, False, True, True, True],
        "check_p": [np.nan, np.nan, 0.0001, 0.01, np.nan, 0.3, 0.2],
    })
    a, b = s06.threat_findings(t)
    assert not a.claims_effect and not b.claims_effect and a.kind == "truth"
    assert a.text.startswith("**threat A** (true effect 1.50): the interval of the event study")
    assert "those of the naive comparison and the static fixed effects miss it" in a.text
    assert "The placebo test (p = 0.010) and the event study's pre-trend test (p < 0.001) " \
           "flag the threat." in a.text
    assert "intervals of the naive comparison and the event study cover it" \
        in b.text and "Neither the placebo test" in b.text


def test_empowerment_is_the_baseline_firm_mean_split_at_the_median() -> None:
    rng = np.random.default_rng(0)
    e = pd.DataFrame({"firm_id": np.repeat([f"F{i}" for i in range(9)], 20),
                      "year": np.tile(np.repeat([2020, 2021], 10), 9),
                      "culture_6": rng.integers(1, 6, 180)})
    out = s06.empowerment_by_firm(e).set_index("firm_id")
    base = e[e["year"] == 2020].groupby("firm_id")["culture_6"].mean()
    np.testing.assert_allclose(out["empowerment"], base)
    assert (out["empowered"].astype(int) == (base > base.median()).astype(int)).all()
    later = s06.empowerment_by_firm(e, year=2021).set_index("firm_id")["empowerment"]
    np.testing.assert_allclose(later, e[e["year"] == 2021].groupby("firm_id")["culture_6"].mean())


def test_doing_both_table_stacks_event_study_by() -> None:
    p, truth = simulate_threat_panel("culture", n_units=600, n_periods=10, seed=4)
    p["y2"] = 3 * p["y"]
    out = s06.doing_both_table(p, {"y": "Y", "y2": "Y2"}, "unit", "time", "first_treated",
                               "culture", group_labels={"1 - 0": "difference"})
    direct = did.event_study_by(p, "y", "unit", "time", "first_treated", by="culture").to_frame()
    got = out[out["variable"] == "y"].reset_index(drop=True)
    np.testing.assert_allclose(got["estimate"], direct["estimate"])
    assert got["group"].tolist() == ["0", "1", "difference"]
    diff = out[out["is_difference"]].set_index("variable")
    assert diff.loc["y2", "estimate"] == pytest.approx(3 * diff.loc["y", "estimate"])
    tr = truth.set_index("event_time").loc[[0, 1, 2, 3]]
    true_diff = (tr["att_culture1"] - tr["att_culture0"]).mean()
    assert diff.loc["y", "ci_low"] < true_diff < diff.loc["y", "ci_high"]


def test_month_index_and_prepare_firm_series() -> None:
    assert s06._month_index(pd.Series(["2023-12", "2024-01"])).diff().iloc[1] == 1
    with pytest.raises(ValueError, match="whole months"):
        s06._month_index(pd.Series([0.5, 1.0]))
    with pytest.raises(ValueError, match="neither whole numbers nor dates"):
        s06._month_index(pd.Series(["2023-01", "soon"]))
    d = pd.DataFrame({"firm": ["B", "B", "A", "A"], "month": [1, 0, 0, 1],
                      "cx": [1.0, 2.0, 3.0, 4.0], "revenue": [1.0, 1.0, 1.0, 1.0]})
    s, start, focal = s06.prepare_firm_series(d, 1)
    assert (focal, start) == ("B", 1)
    assert s[["firm", "month"]].values.tolist() == [["A", 0], ["A", 1], ["B", 0], ["B", 1]]
    with pytest.raises(ValueError, match="appointed"):
        s06.prepare_firm_series(d, None)
    with pytest.raises(ValueError, match="focal firm"):
        s06.prepare_firm_series(d, 1, focal="Z")
    with pytest.raises(ValueError, match="'cx'"):
        s06.prepare_firm_series(d.assign(cx=[1.0, None, 2.0, 3.0]), 1)


def test_single_firm_table_equals_the_designs() -> None:
    from cxresearch.causal.single_firm import interrupted_time_series, synthetic_control

    s, _ = simulate_firm_series(n_months=48, appoint_month=36, n_donors=20, seed=1)
    out = s06.single_firm_table(s, 36, {"cx": "CX", "revenue": "revenue"},
                                true_values={"cx": 2.0})
    assert out["design"].tolist() == ["interrupted time series", "synthetic control"] * 2
    its = interrupted_time_series(s[s["firm"] == "firm"], "cx", "month", 36)
    sc = synthetic_control(s, "cx", "firm", "month", "firm", 36)
    cx = out[out["outcome"] == "CX"].set_index("design")
    assert cx.loc["interrupted time series", "estimate"] == pytest.approx(its.estimate)
    assert cx.loc["interrupted time series", "check_p"] == pytest.approx(its.placebo_p_value)
    assert cx.loc["synthetic control", "estimate"] == pytest.approx(sc.estimate)
    assert cx.loc["synthetic control", "p_value"] == pytest.approx(sc.p_value)
    assert (cx["true_value"] == 2.0).all()
    assert out.loc[out["outcome"] == "revenue", "true_value"].isna().all()
    alone = s06.single_firm_table(s[s["firm"] == "firm"], 36, {"cx": "CX"})
    assert alone["design"].tolist() == ["interrupted time series"]


def test_power_band_table_reads_the_curve() -> None:
    from cxresearch.causal.power import event_study_power_curve

    pw = event_study_power_curve(0.3, n_firms=[50, 200], n_years=[6], n_boot=200).to_frame()
    tab = s06.power_band_table(pw)
    assert list(tab.columns) == [50, 200] and list(tab.index) == [6]
    r = pw.iloc[1]
    assert tab.loc[6, 200] == f"{r.power:.3f} [{r.mc_low:.3f}, {r.mc_high:.3f}]"


def test_single_firm_counterfactuals_on_a_noise_free_series() -> None:
    from cxresearch.causal.single_firm import synthetic_control

    t = np.arange(48)
    y = 10 + 0.1 * t + 2.0 * (t >= 36) + 0.3 * np.sin(t)  # a wiggle keeps the HAC fit regular
    own = pd.DataFrame({"firm": "firm", "month": t, "cx": y})
    cf = s06.single_firm_counterfactuals(own, 36)
    assert list(cf.columns) == ["month", "months_since", "observed", "its_pre_trend"]
    np.testing.assert_allclose(cf["observed"], y)
    # the extended pre-trend is the line without the step (up to the wiggle's projection)
    np.testing.assert_allclose(cf["its_pre_trend"], 10 + 0.1 * t, atol=0.05)
    s, _ = simulate_firm_series(n_months=48, appoint_month=36, n_donors=20, seed=2)
    cf = s06.single_firm_counterfactuals(s, 36)
    sc = synthetic_control(s, "cx", "firm", "month", "firm", 36)
    np.testing.assert_allclose(cf["synthetic_control"], sc.gaps["synthetic"], atol=1e-8)
    assert (cf["months_since"] == cf["month"] - 36).all()


def test_sensitivity_table_original_row_is_the_overall_interval_and_widens_with_mbar() -> None:
    from cxresearch.simulate import simulate_staggered_panel
    from cxresearch.studies.leadership_06 import (
        event_studies,
        sensitivity_findings,
        sensitivity_table,
    )

    p, _ = simulate_staggered_panel(n_units=300, n_periods=8, effect=1.0, seed=3)
    p["noise"] = np.random.default_rng(3).normal(size=len(p))
    res = event_studies(p, ["y", "noise"], "unit", "time", "first_treated")
    t = sensitivity_table(res, {"y": "outcome y", "noise": "pure noise"})
    for y, label in [("y", "outcome y"), ("noise", "pure noise")]:
        g = t[t["outcome"] == label]
        ov = res[y].overall()
        orig = g[g["method"] == "original"].iloc[0]
        # the original interval is the event study's own average over event times 0..3
        assert orig["ci_low"] == pytest.approx(ov.ci_low, abs=1e-9)
        assert orig["ci_high"] == pytest.approx(ov.ci_high, abs=1e-9)
        rm = g[g["method"] == "relative_magnitude"].sort_values("m")
        assert (np.diff(rm["ci_low"]) <= 1e-9).all() and (np.diff(rm["ci_high"]) >= -1e-9).all()
    f = sensitivity_findings(t, held=["outcome y"])
    assert f[0].claims_effect and "outcome y" in f[0].text
    assert not f[1].claims_effect and "nothing for a violation" in f[1].text
