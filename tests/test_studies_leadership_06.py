"""Tests for cxresearch.studies.leadership_06 (the tables and scenarios of notebooks 06 and 11):
each stacked wrapper equals the single calls, descriptive figures equal manual counts and
two-way FE residuals, and the scenarios reproduce direct calls on the same seeded study.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import simulate as sim
from cxresearch.causal import did
from cxresearch.linkage import ownership as ow
from cxresearch.studies import leadership_06 as s06


@pytest.fixture(scope="module")
def small_study():  # type: ignore[no-untyped-def]
    from cxresearch.linkage.panel import linkage_panel
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=200, n_years=8), seed=2)
    return s, s06.leadership_panel(linkage_panel(s.firm_years, s.employees, s.customers), s.firms)


def test_leadership_panel_matches_manual_construction(small_study) -> None:  # type: ignore[no-untyped-def]
    from cxresearch.linkage.panel import linkage_panel

    s, panel = small_study
    base = linkage_panel(s.firm_years, s.employees, s.customers).merge(s.firms, on="firm_id")
    sd = np.sqrt(base["cx"].var() - base["ev_cx"].mean())
    np.testing.assert_allclose(panel["cx_sd"], (base["cx"] - base["cx"].mean()) / sd)
    np.testing.assert_allclose(panel["cost_log_pct"], 100 * np.log(base["cost_to_serve"]))
    cohorts = did.leader_cohorts(s.firms, int(base["year"].min()))
    got = panel.groupby("firm_id")["first_treated"].first()
    pd.testing.assert_series_equal(got, cohorts.loc[got.index], check_names=False)
    assert len(panel) == len(s.firm_years)


def test_several_outcome_wrappers_equal_single_calls(small_study) -> None:  # type: ignore[no-untyped-def]
    s, panel = small_study
    last = panel[panel["year"] == panel["year"].max()]
    outs = {"cx_sd": "CX", "revenue_growth": "growth"}
    con = s06.ownership_contrasts(last, outs, controls=["industry"],
                                 true_values=sim.true_owner_effects(s.truth))
    for y, label in outs.items():
        single = ow.ownership_effects(last, y, controls=["industry"]).contrasts
        got = con[con["variable"] == y]
        np.testing.assert_allclose(got["estimate"], single["estimate"])
        assert (got["outcome"] == label).all()
    row = con[(con["variable"] == "cx_sd") & (con["owner"] == "ceo")]
    assert row["true_value"].item() == pytest.approx(
        s.truth["owner_effect_ceo"] / s.truth["sd_cx_latent"])
    res = s06.event_studies(panel, outs, "firm_id", "year", "first_treated")
    tab = s06.event_study_table(res, outs, sim.true_event_study_effects(s.truth))
    for y, label in outs.items():
        single = did.event_study(panel, y, "firm_id", "year", "first_treated").overall()
        r = tab.set_index("outcome").loc[label]
        assert r["estimate"] == pytest.approx(single.estimate)
    firm = pd.DataFrame({"cx_sd": panel.groupby("firm_id")["cx_sd"].mean()}).join(
        s.firms.set_index("firm_id")[["stated_cx_priority", "cx_budget_share"]])
    sd = s06.say_do_effects_by_outcome(firm, {"cx_sd": "CX"}, say_effect={"cx_sd": 0.0})
    single = ow.say_do_effects(firm, "cx_sd")
    np.testing.assert_allclose(sd["estimate"], single["estimate"])
    assert sd.loc[sd["term"] == "say", "true_value"].eq(0.0).all()
    assert sd.loc[sd["term"] != "say", "true_value"].isna().all()


def test_say_do_gap_summary_matches_manual_counts() -> None:
    rng = np.random.default_rng(8)
    f = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 200),
                      "cx_budget_share": rng.gamma(2.0, 1.0, 200)})
    out = s06.say_do_gap_summary(f)["value"].tolist()
    top = [p >= 4 for p in f["stated_cx_priority"]]
    med = float(np.median(f["cx_budget_share"]))
    low = [b < med for b in f["cx_budget_share"]]
    assert out[0] == pytest.approx(sum(top) / 200)
    assert out[1] == pytest.approx(sum(t and lo for t, lo in zip(top, low)) / sum(top))
    assert out[2] == pytest.approx(stats.pearsonr(f["stated_cx_priority"],
                                                  f["cx_budget_share"])[0])
    with pytest.raises(ValueError, match="no firm"):
        s06.say_do_gap_summary(f.assign(stated_cx_priority=1))


def test_within_unit_sd_equals_two_way_fixed_effects_residual_sd() -> None:
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(9)
    n, t = 30, 6
    p = pd.DataFrame({"firm_id": np.repeat(np.arange(n), t), "year": np.tile(np.arange(t), n)})
    p["y"] = (rng.normal(size=n)[p["firm_id"]] + rng.normal(size=t)[p["year"]]
              + rng.normal(0, 0.7, n * t))
    resid = smf.ols("y ~ C(firm_id) + C(year)", p).fit().resid
    assert s06.within_unit_sd(p, "y") == pytest.approx(float(resid.std(ddof=1)))


def test_confounding_scenarios_reproduce_direct_calls_and_selection_bias() -> None:
    from cxresearch.simulate import StudyParams, simulate_study

    scen = s06._confounding_scenarios(600, {"random": 0.0, "growers": 2.0}, seed=4)
    assert scen.groupby("scenario", sort=False).size().tolist() == [3, 3]
    # reference: the same estimators called by hand on the same seeded study
    s = simulate_study(StudyParams(n_firms=600, selection_on_growth=2.0), seed=4)
    fy = s.firm_years.merge(
        did.leader_cohorts(s.firms, int(s.firm_years["year"].min())).reset_index(), on="firm_id")
    naive = did.naive_comparison(fy, "revenue_growth", "has_cx_leader", "firm_id", "year")
    got = scen.set_index(["scenario", "method"])
    assert got.loc[("growers", "naive comparison"), "estimate"] == pytest.approx(
        naive.estimate)
    target = np.mean([s.truth[f"leader_total_effect_revenue_growth_e{e}"] for e in range(4)])
    assert got.loc[("growers", "event study"), "true_effect"] == pytest.approx(target)
    # known truth: naive is biased up under selection on growth; the event study covers
    assert got.loc[("growers", "naive comparison"), "ci_low"] > target
    for sc in ["random", "growers"]:
        es = got.loc[(sc, "event study")]
        assert es["ci_low"] <= es["true_effect"] <= es["ci_high"]
    assert scen["pretrend_p"].notna().sum() == 2


def test_old_keywords_of_the_notebook_helpers_are_gone() -> None:
    p = pd.DataFrame({"firm_id": [1, 1, 2, 2], "year": [1, 2, 1, 2], "y": [0.0, 2.0, 1.0, 1.0]})
    assert s06.within_unit_sd(data=p, outcome="y") == s06.within_unit_sd(p, "y")
    with pytest.raises(TypeError):
        s06.within_unit_sd(panel=p, y="y")  # type: ignore[call-arg]
    f = pd.DataFrame({"stated_cx_priority": [5, 5, 4, 2], "cx_budget_share": [1, 3, 2, 4]})
    with pytest.raises(TypeError):
        s06.say_do_gap_summary(firms=f)  # type: ignore[call-arg]


# ------------------------------------------------ owner in force each year, Holm, say/do shares


def test_owner_status_panel_uses_the_status_of_each_year(small_study) -> None:  # type: ignore[no-untyped-def]
    from cxresearch.studies.measuring_01 import owner_at_answer

    s, panel = small_study
    out = s06.owner_status_panel(panel, s.firms)
    assert len(out) == len(panel) and (out.index == panel.index).all()
    assert out["has_cx_leader"].tolist() == panel["has_cx_leader"].tolist()
    in_post = out["has_cx_leader"].eq(1)
    assert (out.loc[in_post, "cx_owner_then"] == "cx_leader").all()
    pre = out["cx_owner_end"].eq("cx_leader") & ~in_post
    assert pre.any() and (out.loc[pre, "cx_owner_then"] == "pre_leader").all()
    assert (out.loc[pre, "owner_label"] == "CX leader not yet appointed").all()
    rest = ~in_post & ~pre
    assert (out.loc[rest, "cx_owner_then"] == out.loc[rest, "cx_owner_end"]).all()
    # the same as measuring_01's labelling of the firm-years from the firm_years table
    ref = owner_at_answer(panel[["firm_id", "year"]], s.firms, s.firm_years)
    assert out["cx_owner_then"].tolist() == ref["cx_owner_then"].tolist()


def test_ownership_contrasts_holm_cluster_and_labels(small_study) -> None:  # type: ignore[no-untyped-def]
    from statsmodels.stats.multitest import multipletests

    s, panel = small_study
    status = s06.owner_status_panel(panel, s.firms)
    outs = {"cx_sd": "CX", "revenue_growth": "growth"}
    con = s06.ownership_contrasts(status, outs, controls=["industry"], owner="cx_owner_then",
                                  cluster="firm_id")
    np.testing.assert_allclose(con["p_holm"], multipletests(con["p_value"], method="holm")[1])
    assert (con["n_family"] == len(con)).all() and len(con) == 2 * 5
    assert set(con["owner_label"]) == {"CX leader", "CX leader not yet appointed", "CEO",
                                       "COO", "CMO"}
    single = ow.ownership_effects(status, "cx_sd", owner="cx_owner_then", controls=["industry"],
                                  cluster="firm_id").contrasts
    got = con[con["variable"] == "cx_sd"].reset_index(drop=True)
    np.testing.assert_allclose(got["se"], single["se"])
    # firm-clustered SEs are wider than HC3 ones that treat firm-years as independent
    hc3 = ow.ownership_effects(status, "cx_sd", owner="cx_owner_then", controls=["industry"])
    assert (single["se"].to_numpy() > hc3.contrasts["se"].to_numpy()).all()


def test_event_study_table_p_values_and_holm(small_study) -> None:  # type: ignore[no-untyped-def]
    from statsmodels.stats.multitest import multipletests

    _, panel = small_study
    outs = {"cx_sd": "CX", "revenue_growth": "growth", "contacts_log_pct": "contacts"}
    res = s06.event_studies(panel, outs, "firm_id", "year", "first_treated")
    tab = s06.event_study_table(res, outs)
    for y, label in outs.items():
        ov = res[y].overall()
        r = tab.set_index("outcome").loc[label]
        assert r["p_value"] == pytest.approx(2 * stats.norm.sf(abs(ov.estimate / ov.se)))
    np.testing.assert_allclose(tab["p_holm"], multipletests(tab["p_value"], method="holm")[1])
    np.testing.assert_allclose(tab["pretrend_p_holm"],
                               multipletests(tab["pretrend_p"], method="holm")[1])


def test_say_do_holm_over_say_and_do_rows_only(small_study) -> None:  # type: ignore[no-untyped-def]
    from statsmodels.stats.multitest import multipletests

    s, panel = small_study
    firm = pd.DataFrame({"cx_sd": panel.groupby("firm_id")["cx_sd"].mean(),
                         "revenue_growth": panel.groupby("firm_id")["revenue_growth"].mean()}
                        ).join(s.firms.set_index("firm_id")[["stated_cx_priority",
                                                             "cx_budget_share"]])
    out = s06.say_do_effects_by_outcome(firm, {"cx_sd": "CX", "revenue_growth": "growth"})
    fam = out["model"] == "say + do"
    assert out.loc[~fam, "p_holm"].isna().all()
    np.testing.assert_allclose(out.loc[fam, "p_holm"],
                               multipletests(out.loc[fam, "p_value"], method="holm")[1])
    assert (out["n_family"] == 4).all()


def test_say_do_gap_shares_against_counts_and_wilson() -> None:
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(8)
    f = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 200),
                      "cx_budget_share": rng.gamma(2.0, 1.0, 200)})
    out = s06.say_do_gap_shares(f).set_index("group")
    top = f["stated_cx_priority"] >= 4
    low = f["cx_budget_share"] < f["cx_budget_share"].median()
    for name, mask in [("top priority", top), ("others", ~top)]:
        k, n = int((mask & low).sum()), int(mask.sum())
        lo, hi = proportion_confint(k, n, method="wilson")
        r = out.loc[name]
        assert (r["n"], r["below_median"]) == (n, k)
        assert r["share_pct"] == pytest.approx(100 * k / n)
        assert (r["ci_low"], r["ci_high"]) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
    # saying and funding unrelated (independent draws): about half of either group is below
    assert abs(out.loc["top priority", "share_pct"] - 50) < 15


# --- wording built from the numbers (issue 26) ---------------------------------------------


def test_validation_report_is_read_whole() -> None:
    v = s06.read_causal_validation()
    threats = v[v["estimand"] == "ATT, e = 0..3"]
    assert set(threats["scenario"]) == {"parallel", "slump", "anticipation", "confounding",
                                        "heterogeneous", "culture"}
    assert (v["reps"] == 200).all()
    single = v[v["scenario"] == "single firm"].set_index("estimator")["coverage"]
    assert single.loc["synthetic control (placebo-in-space)"] == pytest.approx(0.975)
    # every estimator the notebook shows has plain words
    assert set(threats["estimator"]) <= set(s06.ESTIMATOR_WORDS)


def test_holds_up_follows_coverage_not_one_draw() -> None:
    v = s06.read_causal_validation()
    t = pd.DataFrame({"scenario": ["slump", "parallel"], "threat": ["slump", "parallel"],
                      "estimator": ["event study (dr, anticipation = 1)",
                                    "event study (no covariates)"],
                      "estimate": [1.3, 1.9], "ci_low": [1.1, 1.7], "ci_high": [1.4, 2.1],
                      "truth": [1.375, 1.375]})
    slump, parallel = (f.text for f in s06.adapted_design_findings(t, v))
    assert "covers the true value" in slump and "it does not hold up" in slump
    assert "misses the true value" in parallel and "it holds up" in parallel
    assert any("no estimator here holds up" in f.text and "slump" in f.text
               for f in s06.validation_findings(v))


def test_single_firm_words_follow_interval() -> None:
    t = pd.DataFrame({"outcome": ["CX", "CX"], "design": ["synthetic control",
                                                          "interrupted time series"],
                      "estimate": [0.8, 3.5], "ci_low": [-1.1, 2.5], "ci_high": [2.7, 4.5],
                      "p_value": [0.14, 0.001], "true_value": [2.0, 2.0]})
    sc, its, sc_v, its_v = (f.text for f in s06.single_firm_findings(
        t, s06.read_causal_validation()))
    assert "covers the true value, 2.00, but cannot tell the effect from zero" in sc
    assert "misses the true value, 2.00, and tells the estimate from zero" in its
    assert "do not hold up" in its_v
    assert "hold up (coverage 97.5%" in sc_v and "too imprecise" in sc_v


def test_alt_text_ranks_only_what_holm_supports() -> None:
    c = pd.DataFrame({"outcome": ["CX"] * 3, "owner_label": ["CX leader", "CMO", "CEO"],
                      "estimate": [0.45, -0.3, 0.1], "p_holm": [0.03, 1.0, 0.9]})
    text = s06.ownership_alt_text(c, 6, "CX")
    assert "only CX leader vs everyone's job differs" in text
    assert "highest" not in text.lower() and "CMO" not in text and len(text) < 300
    none = s06.ownership_alt_text(c.assign(p_holm=1.0), 6, "CX")
    assert "no owner differs" in none


def test_summary_pieces_name_misses() -> None:
    summary = pd.DataFrame({"outcome": ["CX", "contacts"], "p_holm": [0.6, 0.001],
                            "true_value": [0.31, -7.6], "ci_low": [0.02, -8.0],
                            "ci_high": [0.45, -3.0]})
    f = s06.undetected_effects_finding(summary, 0.53, 300, 0.13)
    assert "1 (CX) is not detected" in f.text and not f.claims_effect
    assert "(section 4)" in f.text  # notebook 11's power section, unless told otherwise
    assert "(section 7)" in s06.undetected_effects_finding(summary, 0.53, 300, 0.13,
                                                          power_section=7).text
    tally = s06.truth_tally("effects", summary.assign(true_value=[0.31, 0.0]), ["CX", "contacts"])
    assert "1 of 2" in tally.text and "missed: contacts (true 0.00)" in tally.text
    fam = s06.family_table({"a": pd.DataFrame({"p_holm": [0.01, 0.2]}),
                            "b": pd.DataFrame({"p_holm": [0.5]})})
    assert fam["held after Holm"].tolist() == [1, 0] and fam["tests"].tolist() == [2, 1]
    assert len(s06.OWNERSHIP_FAMILIES) == 3 and len(s06.APPOINTING_FAMILIES) == 2
    assert not set(s06.OWNERSHIP_FAMILIES) & set(s06.APPOINTING_FAMILIES)
