"""Tests for cxresearch.causal.did, each against an independent reference.

References: closed-form difference in differences and its variance (one cohort), and seeded
simulations with a known, heterogeneous staggered effect (bias and 95% CI
coverage), including the case in which static two-way fixed effects is biased.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import simulate as sim
from cxresearch.causal import did
from cxresearch.core.results import check_result_class


def _true_overall_att(panel: pd.DataFrame, effect: float, growth: float) -> float:
    """Average effect over all treated unit-periods: what static TWFE is meant to estimate."""
    ft = panel["first_treated"].astype("Float64").fillna(np.inf).astype(float)
    e = panel["time"] - ft
    post = e >= 0
    return float((effect + growth * e[post]).mean())


def test_event_study_equals_closed_form_did_with_one_cohort() -> None:
    rng = np.random.default_rng(0)
    n, t = 60, 4
    g = np.where(np.arange(n) < 25, 2, -1)
    y = rng.normal(size=(n, t)) + np.where((g[:, None] == 2) & (np.arange(t) >= 2), 1.5, 0)
    panel = pd.DataFrame(
        {
            "firm": np.repeat(np.arange(n), t),
            "year": np.tile(np.arange(t), n),
            "y": y.ravel(),
            "first": pd.array(np.repeat(g, t), dtype="Int64"),
        }
    )
    panel.loc[panel["first"] == -1, "first"] = pd.NA
    es = did.event_study(panel, "y", "firm", "year", "first", window=(-2, 1)).to_frame()
    treated = g == 2
    for e in (-2, 0, 1):
        d = y[:, 2 + e] - y[:, 1]
        dt, dc = d[treated], d[~treated]
        diff_in_diff = dt.mean() - dc.mean()
        var = (dt.var(ddof=0) / len(dt) + dc.var(ddof=0) / len(dc)) * n / (n - 1)
        row = es.set_index("event_time").loc[e]
        assert row.estimate == pytest.approx(diff_in_diff, abs=1e-12)
        assert row.se == pytest.approx(np.sqrt(var), rel=1e-10)
    ref = es.set_index("event_time").loc[-1]
    assert ref.estimate == 0.0 and bool(ref.reference)
    assert list(es.columns[:5]) == ["event_time", "estimate", "se", "ci_low", "ci_high"]


def test_staggered_heterogeneous_effects_event_study_unbiased_twfe_biased() -> None:
    panel, truth = sim.simulate_staggered_panel(
        n_units=3000, n_periods=8, effect=1.0, effect_growth=0.6, cohort_gradient=0.3, seed=4
    )
    res = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-3, 3))
    est = res.to_frame().set_index("event_time")
    tr = truth.set_index("event_time")["att"]
    for e in (-3, -2, 0, 1, 2, 3):
        assert abs(est.loc[e, "estimate"] - tr.loc[e]) < 3 * est.loc[e, "se"], e
    twfe = did.twfe_static(panel, "y", "unit", "time", "first_treated")
    target = _true_overall_att(panel, 1.0, 0.6)
    assert abs(twfe.estimate - target) > 8 * twfe.se  # far off: forbidden comparisons
    assert twfe.estimate < target


def test_event_study_coverage_and_bias_over_seeded_replications() -> None:
    hits = {e: [] for e in (-2, 0, 2)}
    errs = {e: [] for e in (-2, 0, 2)}
    pre_rejections = []
    for seed in range(200):
        panel, truth = sim.simulate_staggered_panel(
            n_units=120, n_periods=7, effect=0.5, effect_growth=0.3, cohort_gradient=0.2,
            seed=seed,
        )
        res = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2))
        est = res.to_frame().set_index("event_time")
        tr = truth.set_index("event_time")["att"]
        for e in hits:
            hits[e].append(est.loc[e, "ci_low"] < tr.loc[e] < est.loc[e, "ci_high"])
            errs[e].append((est.loc[e, "estimate"] - tr.loc[e]) / est.loc[e, "se"])
        pre_rejections.append(res.pretrend_test().p_value < 0.05)
    for e in hits:
        assert 0.90 <= np.mean(hits[e]) <= 0.99, (e, np.mean(hits[e]))
        assert abs(np.mean(errs[e])) < 0.25, e  # bias small against its SE
    assert np.mean(pre_rejections) <= 0.10


def test_bootstrap_se_agrees_with_influence_function_se() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=400, n_periods=6, seed=2)
    a = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2)).to_frame()
    b = did.event_study(
        panel, "y", "unit", "time", "first_treated", window=(-2, 2), method="bootstrap",
        n_boot=300, seed=1,
    ).to_frame()
    pd.testing.assert_series_equal(a["estimate"], b["estimate"])
    nonref = ~a["reference"]
    ratio = b.loc[nonref, "se"].to_numpy() / a.loc[nonref, "se"].to_numpy()
    assert np.all(np.abs(ratio - 1) < 0.2)


def test_pretrend_test_detects_differential_trend() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=600, n_periods=8, effect=0.0, seed=7)
    ft = panel["first_treated"].astype("Float64").fillna(0).astype(float)
    panel["y"] = panel["y"] + 0.3 * panel["time"] * (ft > 0)  # adopters on a steeper trend
    res = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-3, 2),
                          control="never_treated")
    assert res.pretrend_test().p_value < 0.001
    assert "pre-trend" in res.summary()


def test_unbalanced_panel_and_never_treated_controls() -> None:
    panel, truth = sim.simulate_staggered_panel(
        n_units=1500, n_periods=8, unbalanced_share=0.2, seed=9
    )
    tr = truth.set_index("event_time")["att"]
    for control in ("not_yet_treated", "never_treated"):
        es = did.event_study(panel, "y", "unit", "time", "first_treated", control=control)
        es = es.to_frame().set_index("event_time")
        for e in (0, 1, 2):
            # truth is for the full panel; random dropping leaves the estimand unchanged
            assert abs(es.loc[e, "estimate"] - tr.loc[e]) < 3.5 * es.loc[e, "se"]


def test_event_study_input_errors() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=20, n_periods=5, seed=0)
    with pytest.raises(ValueError, match="window"):
        did.event_study(panel, "y", "unit", "time", "first_treated", window=(0, 3))
    bad = panel.copy()
    bad.loc[0, "first_treated"] = 3
    bad.loc[1, "first_treated"] = 4
    with pytest.raises(ValueError, match="varies within unit"):
        did.event_study(bad, "y", "unit", "time", "first_treated")
    with pytest.raises(ValueError, match="duplicates"):
        did.event_study(pd.concat([panel, panel.iloc[:1]]), "y", "unit", "time", "first_treated")
    with pytest.raises(ValueError, match="control"):
        did.event_study(panel, "y", "unit", "time", "first_treated", control="all")


def test_selection_biases_naive_comparison_not_event_study() -> None:
    panel, _ = sim.simulate_staggered_panel(
        n_units=800, n_periods=8, effect=0.5, effect_growth=0.0, selection=2.0, seed=3
    )
    ft = panel["first_treated"].astype("Float64").fillna(np.inf).astype(float)
    panel["leader"] = (panel["time"] >= ft).astype(int)
    naive = did.naive_comparison(panel, "y", "leader", "unit", "time")
    assert naive.ci_low > 0.5  # selection (adopters were ahead by 2) inflates it
    res = did.event_study(panel, "y", "unit", "time", "first_treated")
    ov = res.overall()
    assert abs(ov.estimate - 0.5) < 3 * ov.se
    assert abs(naive.estimate - 0.5) > 10 * naive.se


def test_event_study_on_simulated_study_matches_truth_and_naive_is_biased() -> None:
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=800, n_years=8, selection_on_growth=2.0), seed=5)
    cohorts = did.leader_cohorts(s.firms, first_year=int(s.firm_years["year"].min()))
    assert cohorts.notna().sum() == s.truth["n_leaders_appointed_in_panel"] + s.truth[
        "n_leaders_before_panel"]
    fy = s.firm_years.merge(cohorts.reset_index(), on="firm_id")
    fy["contacts_log_pct"] = 100 * np.log(fy["contacts_per_customer"])
    res = did.event_study(fy, "contacts_log_pct", "firm_id", "year", "first_treated")
    assert res.dropped_units == s.truth["n_leaders_before_panel"]
    target = 100 * np.log1p(s.truth["leader_total_effect_contacts"] / 100)
    ov = res.overall()
    assert abs(ov.estimate - target) < 3 * ov.se
    growth = did.event_study(fy, "revenue_growth", "firm_id", "year", "first_treated")
    g_target = np.mean([s.truth[f"leader_total_effect_revenue_growth_e{e}"] for e in range(4)])
    assert abs(growth.overall().estimate - g_target) < 3 * growth.overall().se
    naive = did.naive_comparison(fy, "revenue_growth", "has_cx_leader", "firm_id", "year")
    assert naive.ci_low > g_target + 1.0  # selection on growth inflates the naive contrast


def test_overall_fails_clearly_without_post_periods() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=60, n_periods=6, seed=0)
    res = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, -1))
    with pytest.raises(ValueError, match="no post-treatment event time"):
        res.overall()


# ------------------------------------------------------------------ the results protocol


def test_level_gives_the_normal_interval_and_conf_int_recomputes_it() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=200, n_periods=6, seed=3)
    r95 = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2))
    r90 = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2),
                          level=0.90)
    f95, f90 = r95.to_frame(), r90.to_frame()
    pd.testing.assert_series_equal(f95["estimate"], f90["estimate"])
    z90 = stats.norm.ppf(0.95)
    np.testing.assert_allclose(f90["ci_high"], f90["estimate"] + z90 * f90["se"], rtol=1e-12)
    assert ((f90["ci_high"] - f90["ci_low"]) <= (f95["ci_high"] - f95["ci_low"])).all()
    # conf_int at another level equals refitting at that level
    np.testing.assert_allclose(r95.conf_int(0.90)[["ci_low", "ci_high"]],
                               f90[["ci_low", "ci_high"]], rtol=1e-12)
    assert r95.conf_int()["level"].eq(0.95).all()
    ov90 = r95.overall(level=0.90)
    assert ov90.estimate == r90.overall().estimate
    assert ov90.ci_high == pytest.approx(r90.overall().ci_high, rel=1e-12)
    assert ov90.conf_int(0.95)["ci_high"].item() == pytest.approx(r95.overall().ci_high)
    with pytest.raises(ValueError, match="level"):
        did.event_study(panel, "y", "unit", "time", "first_treated", level=95)


def test_small_results_are_frozen_dataclasses_that_follow_the_results_protocol() -> None:
    from cxresearch.core.results import Result

    for cls in (did.EffectEstimate, did.PretrendTest, did.EventStudyResult):
        assert check_result_class(cls) == [], cls
    panel, _ = sim.simulate_staggered_panel(n_units=150, n_periods=6, seed=4)
    panel["d"] = (panel["time"] >= panel["first_treated"].fillna(99)).astype(int)
    res = did.event_study(panel, "y", "unit", "time", "first_treated")
    assert isinstance(res, Result)
    for r in (did.twfe_static(panel, "y", "unit", "time", "first_treated"),
              did.naive_comparison(panel, "y", "d", "unit", "time"), res.overall()):
        assert isinstance(r, did.EffectEstimate)
        assert r.ci_low == pytest.approx(r.estimate - stats.norm.ppf(0.975) * r.se)
        assert isinstance(r.summary(), str) and r.method in r.summary()
        assert list(r.to_frame().columns[:4]) == ["method", "estimate", "se", "ci_low"]
        assert r.conf_int()[["ci_low", "ci_high"]].values.tolist() == [[r.ci_low, r.ci_high]]
        with pytest.raises(TypeError):
            r["estimate"]  # type: ignore[index]
        with pytest.raises(AttributeError):
            r.estimate = 0.0  # type: ignore[misc]
    assert res.overall().n_event_times == 4
    assert res.overall().to_frame()["n_event_times"].item() == 4
    pt = res.pretrend_test()
    assert isinstance(pt, did.PretrendTest)
    assert pt.to_frame().columns.tolist() == ["chi2", "df", "p_value"]
    assert "pre-trend chi2(2)" in pt.summary()
    assert isinstance(res.summary(), str)


def test_old_names_and_keywords_are_gone() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=120, n_periods=6, seed=5)
    assert not hasattr(did, "event_study_result")
    with pytest.raises(TypeError):
        did.event_study(panel=panel, outcome="y", unit="unit", time="time",
                        first_treated="first_treated")
    with pytest.raises(TypeError):
        did.event_study(panel, "y", "unit", "time", "first_treated", (-2, 2))  # keyword-only
    assert not hasattr(did, "event_study_power") and not hasattr(did, "power_curve")


# ------------------------------------------------------------------ issue 17: covariates, DR


#: csdid 0.4.3 (drdid 1.1.7), ATTgt(..., control_group=["notyettreated"], xformla="y ~ x")
#: .fit(est_method=..., base_period="universal", bstrap=False) on
#: tests/data/causal/confounding_panel.csv; scripts/peers/csdid_reference.py prints them
#: (full output in scripts/peers/csdid_reference.out). (cohort, time): (att, analytic se)
CSDID_GT = {
    "dr": {(2, 3): (1.2840835221, 0.1513595036), (3, 5): (1.7596515294, 0.1813599822),
           (4, 1): (-0.0921136041, 0.1545149067), (5, 7): (1.4940050402, 0.2067610494)},
    "reg": {(2, 3): (1.3001480865, 0.1507461611), (3, 5): (1.7792540881, 0.1804149821),
            (4, 1): (-0.1268574790, 0.1548089623), (5, 7): (1.5329239972, 0.2044914201)},
    "ipw": {(2, 3): (1.2681718842, 0.1506227437), (3, 5): (1.8151741256, 0.1890014791),
            (4, 1): (-0.0471590686, 0.1558961681), (5, 7): (1.5709055377, 0.2119129797)},
}


def _confounding_panel() -> pd.DataFrame:
    from pathlib import Path

    d = pd.read_csv(Path(__file__).parent / "data/causal/confounding_panel.csv")
    d["first_treated"] = d["first_treated"].replace(0, np.nan)  # csdid's 0 = never treated
    return d


@pytest.mark.parametrize("method", ["dr", "reg", "ipw"])
def test_covariate_adjusted_group_time_atts_match_csdid(method: str) -> None:
    d = _confounding_panel()
    res = did.event_study(d, "y", "unit", "time", "first_treated", window=(-7, 7),
                          covariates=["x"], method=method)
    gt = res.group_time.set_index(["cohort", "time"])
    for (c, t), (att, se) in CSDID_GT[method].items():
        assert gt.loc[(c, t), "att"] == pytest.approx(att, abs=1e-8)
        assert gt.loc[(c, t), "se"] == pytest.approx(se, rel=1e-7)
    assert res.method == method and res.covariates == ("x",)


def test_default_method_is_unchanged_and_covariate_free_methods_agree() -> None:
    panel, _ = sim.simulate_staggered_panel(n_units=300, n_periods=8, seed=1)
    base = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2))
    # the pinned doctest numbers of the default estimator
    assert base.to_frame()["estimate"].round(1).tolist() == [-0.0, 0.0, 0.8, 1.3, 2.0]
    assert round(base.overall().estimate, 2) == 1.38
    panel["one"] = 1.0
    panel["z"] = np.random.default_rng(0).normal(size=len(panel))
    panel["z"] = panel.groupby("unit")["z"].transform("first")
    for m in ("reg", "ipw", "dr"):
        with pytest.raises(ValueError, match="collinear"):
            did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2),
                            covariates=["one"], method=m)
    with pytest.raises(ValueError, match="need method"):
        did.event_study(panel, "y", "unit", "time", "first_treated", covariates=["z"])
    # an irrelevant covariate moves the estimate by little against its SE
    reg = did.event_study(panel, "y", "unit", "time", "first_treated", window=(-2, 2),
                          covariates=["z"], method="reg").overall()
    assert abs(reg.estimate - base.overall().estimate) < 0.5 * reg.se


def test_dr_removes_time_varying_confounding_that_biases_plain_did() -> None:
    from cxresearch.simulate.threats import simulate_threat_panel

    p, truth = simulate_threat_panel("confounding", n_units=3000, n_periods=8, seed=3)
    tr = truth.set_index("event_time")["att"].loc[[0, 1, 2, 3]].mean()
    plain = did.event_study(p, "y", "unit", "time", "first_treated").overall()
    for m in ("dr", "reg", "ipw"):
        ov = did.event_study(p, "y", "unit", "time", "first_treated", covariates=["x"],
                             method=m).overall()
        assert abs(ov.estimate - tr) < 3 * ov.se, m
    assert plain.estimate - tr > 5 * plain.se


def test_anticipation_shifts_the_base_period_and_removes_the_bias() -> None:
    from cxresearch.simulate.threats import simulate_threat_panel

    p, truth = simulate_threat_panel("anticipation", n_units=3000, n_periods=10, lead=1,
                                     seed=4)
    tr = truth.set_index("event_time")["att"]
    naive = did.event_study(p, "y", "unit", "time", "first_treated").to_frame()
    ant = did.event_study(p, "y", "unit", "time", "first_treated", anticipation=1)
    est = ant.to_frame().set_index("event_time")
    assert ant.reference == -2 and bool(est.loc[-2, "reference"])
    for e in (-1, 0, 1, 2):  # e = -1 estimates the anticipation effect (truth 0.5)
        assert abs(est.loc[e, "estimate"] - tr.loc[e]) < 3.5 * est.loc[e, "se"], e
    naive0 = naive.set_index("event_time").loc[0]
    assert tr.loc[0] - naive0.estimate > 5 * naive0.se  # base period already treated
    assert ant.pretrend_test().df == 1  # only e = -3 is a pre-period now
    with pytest.raises(ValueError, match="reference period"):
        did.event_study(p, "y", "unit", "time", "first_treated", window=(-1, 2),
                        anticipation=1)


def test_placebo_test_flags_a_slump_and_passes_under_parallel_trends() -> None:
    from cxresearch.simulate.threats import simulate_threat_panel

    ok, _ = simulate_threat_panel("parallel", n_units=1500, seed=5)
    pl = did.placebo_test(ok, "y", "unit", "time", "first_treated", shift=2)
    assert pl.ci_low < 0 < pl.ci_high
    assert "placebo" in pl.summary()
    dip, _ = simulate_threat_panel("slump", n_units=1500, strength=1.5, seed=5)
    pl = did.placebo_test(dip, "y", "unit", "time", "first_treated", shift=2)
    assert pl.ci_high < 0  # the slump before appointment shows as a fake negative effect
    with pytest.raises(ValueError, match="shift"):
        did.placebo_test(ok, "y", "unit", "time", "first_treated", shift=0)


def test_event_study_by_recovers_the_leader_by_culture_interaction() -> None:
    from cxresearch.simulate.threats import simulate_threat_panel

    p, truth = simulate_threat_panel("culture", n_units=3000, seed=6)
    tr = truth.set_index("event_time").loc[[0, 1, 2, 3]]
    res = did.event_study_by(p, "y", "unit", "time", "first_treated", by="culture")
    assert check_result_class(did.EventStudyByResult) == [] and "culture" in res.summary()
    out = res.to_frame().set_index("by")
    np.testing.assert_allclose(res.conf_int()[["ci_low", "ci_high"]], out[["ci_low", "ci_high"]],
                               rtol=1e-12)
    for lv, col in (("0", "att_culture0"), ("1", "att_culture1")):
        assert abs(out.loc[lv, "estimate"] - tr[col].mean()) < 3 * out.loc[lv, "se"]
    diff = tr["att_culture1"].mean() - tr["att_culture0"].mean()
    assert abs(out.loc["1 - 0", "estimate"] - diff) < 3 * out.loc["1 - 0", "se"]
    assert out.loc["1 - 0", "ci_low"] > 0
    p.loc[p.index[0], "culture"] = 1 - p.loc[p.index[0], "culture"]
    with pytest.raises(ValueError, match="constant within"):
        did.event_study_by(p, "y", "unit", "time", "first_treated", by="culture")


def test_covariate_methods_use_their_own_influence_functions_for_event_time_ses() -> None:
    d = _confounding_panel()
    res = did.event_study(d, "y", "unit", "time", "first_treated", window=(-3, 3),
                          covariates=["x"], method="dr")
    psi = res.influence
    n = psi.shape[0]
    v = psi.T @ psi * n / (n - 1)
    np.testing.assert_allclose(res.vcov.to_numpy(), v, rtol=1e-12)
    # with one cohort at an event time, the event-time SE is that cell's csdid SE (x G/(G-1))
    gt = res.group_time.set_index(["cohort", "time"])
    assert gt.loc[(2, 3), "se"] == pytest.approx(CSDID_GT["dr"][(2, 3)][1], rel=1e-7)
