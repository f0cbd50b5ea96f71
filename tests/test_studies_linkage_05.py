"""Tests for cxresearch.studies.linkage_05 (notebook 05's tables) against numpy, pandas and
statsmodels, and the answer keys against the estimators on a seeded simulated study.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import simulate as sim
from cxresearch.linkage import mediation as md
from cxresearch.linkage import panel as pn
from cxresearch.studies import linkage_05 as s05


def test_mediation_by_outcome_equals_single_calls() -> None:
    rng = np.random.default_rng(4)
    d = pd.DataFrame({"x": rng.normal(size=150)})
    d["m"] = 0.5 * d["x"] + rng.normal(size=150)
    d["y1"] = 0.4 * d["m"] + rng.normal(size=150)
    d["y2"] = -0.3 * d["m"] + rng.normal(size=150)
    out = s05.mediation_by_outcome(d, "x", "m", ["y1", "y2"], n_boot=40, seed=1)
    for y in ["y1", "y2"]:
        single = md.mediation(d, "x", "m", y, n_boot=40, seed=1).to_frame()
        got = out[out["outcome"] == y].drop(columns="outcome").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, single)


def test_event_rate_by_group_matches_statsmodels_wilson() -> None:
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(5)
    d = pd.DataFrame({"calls": rng.integers(0, 4, 500)})
    d["churn"] = (rng.uniform(size=500) < 0.1 + 0.1 * d["calls"]).astype(int)
    out = s05.event_rate_by_group(d, "churn", "calls").set_index("calls")
    for c, grp in d.groupby("calls"):
        x, n = int(grp["churn"].sum()), len(grp)
        lo, hi = proportion_confint(x, n, method="wilson")
        assert out.loc[c, "n"] == n
        assert out.loc[c, "rate_pct"] == pytest.approx(100 * x / n)
        assert (out.loc[c, "ci_low"], out.loc[c, "ci_high"]) == pytest.approx((100 * lo, 100 * hi))
    with pytest.raises(ValueError, match="not 0/1"):
        s05.event_rate_by_group(d.assign(churn=2), "churn", "calls")


def test_nested_wave_matches_manual_merge_and_zscores() -> None:
    rng = np.random.default_rng(6)
    cus = pd.DataFrame({"firm_id": rng.choice(["A", "B", "C"], 60), "year": rng.integers(1, 3, 60),
                        "nps": rng.integers(0, 11, 60)})
    fy = pd.DataFrame({"firm_id": ["A", "B", "C"] * 2, "year": [1, 1, 1, 2, 2, 2],
                       "ex": rng.normal(size=6)})
    out = s05.nested_wave(cus, fy, 2, "nps", "ex")
    manual = cus[cus["year"] == 2].merge(fy, on=["firm_id", "year"])
    assert len(out) == len(manual)
    np.testing.assert_allclose(out["nps_z"], stats.zscore(manual["nps"], ddof=1))
    np.testing.assert_allclose(out["ex_z"], stats.zscore(manual["ex"], ddof=1))
    assert out["firm_id"].tolist() == manual["firm_id"].tolist()
    with pytest.raises(ValueError, match="no rows"):
        s05.nested_wave(cus, fy, 9, "nps", "ex")


def test_true_values_are_recovered_by_the_estimators_on_a_simulated_study() -> None:
    """Seeded study with known truth: translated true values sit inside the estimates'
    ranges where the design identifies them (a wrong SD ratio would fall outside)."""
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=400, n_years=8), seed=3)
    panel = pn.linkage_panel(s.firm_years, s.employees, s.customers)
    link = pn.linkage_model(panel).to_frame().merge(sim.true_linkage_effects(s.truth),
                                                    on="term")
    for term in ["ex", "has_cx_leader"]:
        row = link.set_index("term").loc[term]
        assert abs(row["estimate"] - row["true_value"]) < 3 * row["se"], term
    # the truth table's keys match the estimator's rows (from, to, lag)
    clpm = pn.cross_lagged_panel(panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
                                 error_variance={"ex": "ev_ex", "cx": "ev_cx"},
                                 contemporaneous={"cx": ["ex"]},
                                 controls=["has_cx_leader"]).to_frame()
    paths = sim.true_cross_lagged_paths(s.truth, panel["revenue_growth"].std(ddof=1))
    assert len(clpm.merge(paths, on=["from", "to", "lag"])) == 4
    # between firms, the EX -> CX -> cost chain (no reverse path in the simulation) is covered
    firm = pn.firm_means(panel, ["ex", "cx", "cost_to_serve"], standardized=["ex", "cx"],
                         log_pct={"log_cost_pct": "cost_to_serve"})
    med = s05.mediation_by_outcome(firm, "ex_z", "cx_z", ["log_cost_pct"], n_boot=200, seed=0)
    med = med.merge(sim.true_chain_effects(s.truth, s.latent), on=["outcome", "effect"])
    for effect in ["b", "indirect"]:
        row = med.set_index("effect").loc[effect]
        assert row["ci_low"] <= row["true_value"] <= row["ci_high"], effect


def test_event_rate_by_group_keywords_and_level() -> None:
    d = pd.DataFrame({"calls": [0, 0, 0, 1, 1, 1, 1, 1], "churn": [0, 1, 0, 1, 1, 1, 0, 1]})
    new = s05.event_rate_by_group(d, "churn", "calls")
    pd.testing.assert_frame_equal(s05.event_rate_by_group(d, outcome="churn", by="calls"), new)
    with pytest.raises(TypeError):
        s05.event_rate_by_group(d, event="churn", group="calls")  # type: ignore[call-arg]
    narrow = s05.event_rate_by_group(d, "churn", "calls", level=0.5)
    assert ((narrow["ci_high"] - narrow["ci_low"]) < (new["ci_high"] - new["ci_low"])).all()


def test_event_rate_difference_is_the_unpooled_wald_difference() -> None:
    rng = np.random.default_rng(12)
    d = pd.DataFrame({"calls": rng.integers(0, 7, 800)})
    d["churn"] = (rng.uniform(size=800) < np.where(d["calls"] >= 4, 0.45, 0.11)).astype(int)
    r = s05.event_rate_difference(d, "churn", "calls", 4).iloc[0]
    hi, lo = d.loc[d["calls"] >= 4, "churn"], d.loc[d["calls"] < 4, "churn"]
    p1, p2 = hi.mean(), lo.mean()
    se = np.sqrt(p1 * (1 - p1) / len(hi) + p2 * (1 - p2) / len(lo))
    assert r["estimate"] == pytest.approx(100 * (p1 - p2))
    assert r["se"] == pytest.approx(100 * se)
    assert r["ci_low"] == pytest.approx(100 * (p1 - p2 - stats.norm.ppf(0.975) * se))
    assert (r["n_high"], r["n_low"]) == (len(hi), len(lo))
    with pytest.raises(ValueError, match="one side empty"):
        s05.event_rate_difference(d, "churn", "calls", 99)


def test_cross_lagged_paths_select_label_and_order_the_cross_paths() -> None:
    s = sim.simulate_study(sim.StudyParams(n_firms=60, n_years=5), seed=1)
    panel = pn.linkage_panel(s.firm_years, s.employees, s.customers)
    clpm = pd.concat([
        pn.cross_lagged_panel(panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
                              error_variance={"ex": "ev_ex", "cx": "ev_cx"},
                              contemporaneous={"cx": ["ex"]},
                              fixed_effects=fe).to_frame().assign(model=m)
        for fe, m in [(False, "pooled"), (True, "firm FE")]], ignore_index=True)
    out = s05.cross_lagged_paths(clpm)
    labels = sim.true_cross_lagged_paths(s.truth, sd_growth=1.0)["path"].tolist()
    assert out["path"].tolist() == [label for *_, label in s05._CROSS_LAGGED_PATHS] * 2
    assert set(out["path"]) == set(labels)
    assert out["model"].tolist() == ["pooled"] * 4 + ["firm FE"] * 4
    row = out[(out["path"] == "growth(t) → EX(t+1)") & (out["model"] == "pooled")]
    ref = clpm[(clpm["from"] == "revenue_growth") & (clpm["to"] == "ex") & (clpm["lag"] == 1)
               & (clpm["model"] == "pooled")]
    assert row["estimate"].item() == pytest.approx(ref["estimate"].item())


def test_truth_verdicts_name_hits_and_misses() -> None:
    from cxresearch.studies.linkage_05 import truth_findings, truth_summary, truth_verdicts

    fam = pd.DataFrame({
        "subject": ["recovered", "false positive", "not detected", "biased", "true zero",
                    "excludes", "no truth"],
        "estimate": [0.33, 1.14, 0.07, 0.90, 0.01, 0.58, 0.2],
        "ci_low": [0.15, 0.57, -0.26, 0.30, -0.1, 0.505, 0.1],
        "ci_high": [0.51, 1.80, 0.36, 1.50, 0.1, 0.66, 0.3],
        "p_holm": [0.003, 0.004, 1.0, 0.001, 0.9, 0.001, 0.01],
        "true_value": [0.34, 0.0, 0.30, 0.40, 0.0, 0.50, float("nan")],
    })
    v = truth_verdicts(fam)
    assert v["subject"].tolist() == fam["subject"].tolist()[:-1]  # no truth: left out
    assert v["verdict"].tolist() == [
        "recovered", "false positive", "not detected", "biased", "correctly not detected",
        "detected, but the interval excludes the truth"]
    assert v["hit"].tolist() == [True, False, False, False, True, False]
    texts = [f.text for f in truth_summary(v)]
    assert "2 of 6" in texts[0] and "4 miss it" in texts[0]
    # every miss is listed with its true value
    assert ("**false positive** misses the truth (false positive): 1.14 (95% CI 0.57 to 1.80) "
            "against a true value of 0.00.") in texts
    assert any(t.startswith("**not detected**") and "true value of 0.30" in t for t in texts)
    assert any("2.2 times the truth" in t for t in texts)
    # coverage alone is not recovery: a covered but biased estimate says so
    sentences = {f.text.split("**")[1]: f.text for f in truth_findings(v, {"biased": "why"})}
    assert "2.2 times larger than the truth (why)." in sentences["biased"]
    assert "times" not in sentences["recovered"]
    assert truth_summary(truth_verdicts(fam.drop(columns="true_value"))) == ()


def test_mean_reliability_over_periods_is_that_of_the_unit_means() -> None:
    from cxresearch.linkage.panel import mean_reliability
    from cxresearch.studies.linkage_05 import mean_reliability_over_periods

    rng = np.random.default_rng(1)
    d = pd.DataFrame({"firm_id": np.repeat(np.arange(40), 4), "ex": rng.normal(size=160),
                      "ev_ex": rng.uniform(0.01, 0.05, size=160)})
    means = d.groupby("firm_id").agg(ex=("ex", "mean"), ev_ex=("ev_ex", "sum"))
    means["ev_ex"] /= 16
    assert mean_reliability_over_periods(d, "ex", "ev_ex") == pytest.approx(
        mean_reliability(means, "ex", "ev_ex"))
