"""cxresearch.measurement.validity: DeLong AUC against R's pROC and scikit-learn, predictive
validity,
the efficiency of NPS against the mean (analytic vs simulated), said vs done, integrity checks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from cxresearch.core import paths
from cxresearch.core.validation import DataError
from cxresearch.measurement import validity as v
from cxresearch.metrics.scores import csat, nps
from cxresearch.simulate.gaming import GamingParams, simulate_gaming
from cxresearch.simulate.referrals import KPL_2007, ReferralParams, simulate_referrals

REF_DIR = paths.TESTS_DIR / "data" / "validity"

# ---- R's pROC reference values -------------------------------------------------------------
# Computed by scripts/r/proc_reference.R (R 4.2.2, pROC 1.18.0, packageVersion("pROC") ==
# '1.18.0') on tests/data/validity/auc_data.csv (n = 300, 110 positives; ties in every score),
# every ROC curve with levels = c(0, 1), direction = "<". Pinned here so the test needs no R;
# tests/data/validity/proc_values.csv holds the same numbers as R wrote them.
PROC_AUC = {  # score: (auc, var(roc, method = "delong"), ci.auc delong low, high)
    "continuous": (0.62208133971291868, 0.0011692455159089403, 0.55506187611729263,
                   0.68910080330854473),
    "answer": (0.66540669856459334, 0.0010427926841542526, 0.60211495222512446,
               0.72869844490406199),
    "category": (0.64564593301435413, 0.00098817473543226075, 0.58403398162654829,
                 0.70725788440215975),
}
PROC_PAIRED = {  # (a, b): (AUC a - AUC b, cov(roc_a, roc_b), conf.int low, high, Z, p-value)
    ("continuous", "answer"): (-0.043325358851674656, 0.00054341542702769391,
                               -0.10907060723078943, 0.02241988952744034, -1.2915936141406501,
                               0.19649791668931446),
    ("answer", "category"): (0.019760765550239201, 0.00096921568706481785,
                             0.00090676310904721016, 0.038614767991431195, 2.054226358897195,
                             0.039953788352101498),
}
TOL = 1e-10


@pytest.fixture(scope="module")
def ref_data() -> pd.DataFrame:
    return pd.read_csv(REF_DIR / "auc_data.csv")


def test_pinned_values_are_the_ones_r_wrote() -> None:
    r = pd.read_csv(REF_DIR / "proc_values.csv").fillna({"score_b": ""})
    assert set(r["proc_version"]) == {"1.18.0"}
    for row in r.itertuples():
        if row.kind == "auc":
            want = (row.estimate, row.variance, row.ci_low, row.ci_high)
            assert PROC_AUC[row.score_a] == pytest.approx(want, rel=1e-15)
        else:
            want = (row.estimate, row.variance, row.ci_low, row.ci_high, row.statistic,
                    row.p_value)
            assert PROC_PAIRED[(row.score_a, row.score_b)] == pytest.approx(want, rel=1e-15)


@pytest.mark.parametrize("score", list(PROC_AUC))
def test_roc_auc_matches_proc_delong(ref_data: pd.DataFrame, score: str) -> None:
    auc, var, lo, hi = PROC_AUC[score]
    r = v.roc_auc(ref_data["y"], ref_data[score])
    assert r.estimate == pytest.approx(auc, abs=TOL)
    assert r.se**2 == pytest.approx(var, abs=TOL)
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi), abs=TOL)
    assert r.n_pos == 110 and r.n_neg == 190 and r.method == "delong"


@pytest.mark.parametrize("pair", list(PROC_PAIRED))
def test_compare_auc_matches_proc_roc_test(ref_data: pd.DataFrame, pair) -> None:
    diff, cov, lo, hi, z, p = PROC_PAIRED[pair]
    c = v.compare_auc(ref_data["y"], ref_data[pair[0]], ref_data[pair[1]])
    assert c.estimate == pytest.approx(diff, abs=TOL)
    assert (c.ci_low, c.ci_high) == pytest.approx((lo, hi), abs=TOL)
    assert c.statistic == pytest.approx(z, abs=1e-9)
    assert c.p_value == pytest.approx(p, abs=TOL)
    _, covariance = v.auc_covariance(ref_data["y"], ref_data[list(pair)])
    assert covariance[0, 1] == pytest.approx(cov, abs=TOL)


@pytest.mark.parametrize("seed", range(6))
def test_roc_auc_matches_sklearn_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 50 + 40 * seed
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    continuous = rng.normal(size=n) + 0.7 * y
    tied = np.round(continuous)  # many ties
    answer = np.clip(np.round(7 + 2 * continuous), 0, 10)  # a 0-10 scale
    for s in (continuous, tied, answer, np.zeros(n)):
        assert v.roc_auc(y, s).estimate == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    # a higher score means a positive is more likely; reversing the score mirrors the AUC
    assert v.roc_auc(y, -answer).estimate == pytest.approx(1 - roc_auc_score(y, answer))


def test_ties_count_one_half() -> None:
    r = v.roc_auc([0, 1, 0, 1], [1, 1, 1, 1])
    assert r.estimate == 0.5 and r.se == 0.0


def test_conf_int_frame_and_summary(ref_data: pd.DataFrame) -> None:
    r = v.roc_auc(ref_data["y"], ref_data["answer"], level=0.9)
    assert tuple(r.conf_int(0.9).iloc[0, 1:]) == pytest.approx((r.ci_low, r.ci_high))
    lo95, hi95 = r.conf_int().iloc[0, 1:]
    assert (lo95, hi95) == pytest.approx(PROC_AUC["answer"][2:], abs=TOL)
    assert list(r.to_frame().columns)[:4] == ["estimate", "se", "ci_low", "ci_high"]
    assert r.summary().startswith("AUC = 0.665 (90% CI")
    c = v.compare_auc(ref_data["y"], ref_data["answer"], ref_data["category"])
    assert isinstance(c.summary(), str) and c.to_frame()["p_value"].iloc[0] == c.p_value
    assert -1 < c.correlation < 1


def test_paired_test_is_antisymmetric_and_zero_for_identical_scores(ref_data) -> None:
    ab = v.compare_auc(ref_data["y"], ref_data["continuous"], ref_data["answer"])
    ba = v.compare_auc(ref_data["y"], ref_data["answer"], ref_data["continuous"])
    assert ab.estimate == pytest.approx(-ba.estimate) and ab.p_value == pytest.approx(ba.p_value)
    same = v.compare_auc(ref_data["y"], ref_data["answer"], ref_data["answer"])
    assert same.estimate == 0 and same.p_value == 1.0


# ---- clustered DeLong (Obuchowski 1997) ---------------------------------------------------

def test_singleton_clusters_give_delong_exactly(ref_data: pd.DataFrame) -> None:
    plain = v.auc_covariance(ref_data["y"], ref_data[["continuous", "answer", "category"]])[1]
    single = v.auc_covariance(ref_data["y"], ref_data[["continuous", "answer", "category"]],
                              cluster=np.arange(len(ref_data)))[1]
    np.testing.assert_allclose(single, plain, rtol=1e-12, atol=1e-15)


def test_cluster_labels_do_not_matter(ref_data: pd.DataFrame) -> None:
    cl = np.arange(len(ref_data)) % 30
    a = v.roc_auc(ref_data["y"], ref_data["answer"], cluster=cl)
    b = v.roc_auc(ref_data["y"], ref_data["answer"], cluster=[f"firm{(c * 7) % 30}" for c in cl])
    assert a.se == pytest.approx(b.se, rel=1e-12) and a.n_clusters == 30
    assert a.method == "obuchowski"


def _clustered_sample(rng: np.random.Generator, n_clusters: int = 40, size: int = 25):
    u = np.repeat(rng.normal(0, 1, n_clusters), size)  # shared by score and outcome
    score = u + rng.normal(0, 1, u.size)
    y = (rng.random(u.size) < 1 / (1 + np.exp(-(-1 + 1.2 * u)))).astype(int)
    return y, score, np.repeat(np.arange(n_clusters), size)


def test_clustered_interval_covers_and_the_plain_one_does_not() -> None:
    """Seeded coverage check: strong clustering, truth from a very large sample."""
    rng = np.random.default_rng(11)
    y_big, s_big, _ = _clustered_sample(rng, n_clusters=200_000, size=1)
    truth = roc_auc_score(y_big, s_big)
    reps, hit_cl, hit_plain = 300, 0, 0
    for _ in range(reps):
        y, s, cl = _clustered_sample(rng)
        c = v.roc_auc(y, s, cluster=cl)
        p = v.roc_auc(y, s)
        hit_cl += c.ci_low <= truth <= c.ci_high
        hit_plain += p.ci_low <= truth <= p.ci_high
    assert 0.91 <= hit_cl / reps <= 0.98
    assert hit_plain / reps < 0.85


def test_clustered_se_agrees_with_a_cluster_bootstrap() -> None:
    rng = np.random.default_rng(5)
    y, s, cl = _clustered_sample(rng, n_clusters=60, size=20)
    se = v.roc_auc(y, s, cluster=cl).se
    from scipy.stats import rankdata

    members = [np.flatnonzero(cl == k) for k in range(60)]
    boot = []
    for _ in range(600):
        idx = np.concatenate([members[k] for k in rng.integers(0, 60, 60)])
        yy, ss = y[idx], s[idx]
        m = int(yy.sum())
        if 0 < m < len(idx):  # the Mann-Whitney form of the AUC
            boot.append((rankdata(ss)[yy == 1].sum() - m * (m + 1) / 2) / (m * (len(idx) - m)))
    assert np.std(boot, ddof=1) == pytest.approx(se, rel=0.15)


# ---- bad input ---------------------------------------------------------------------------

def test_bad_input_names_argument_and_rows() -> None:
    y = pd.Series([0, 1, 0, 1], index=[10, 11, 12, 13])
    with pytest.raises(DataError, match=r"'score': 1 missing value\(s\) at rows \[12\]"):
        v.roc_auc(y, pd.Series([0.1, 0.2, np.nan, 0.4], index=y.index))
    with pytest.raises(DataError, match=r"'y_true': 1 value\(s\) other than 0/1 at rows \[13\]"):
        v.roc_auc(pd.Series([0, 1, 0, 2], index=y.index), [1, 2, 3, 4])
    with pytest.raises(DataError, match="needs both outcomes"):
        v.roc_auc([1, 1, 1], [1, 2, 3])
    with pytest.raises(DataError, match="differ"):
        v.roc_auc([0, 1, 0], [1, 2])
    with pytest.raises(DataError, match="'cluster'"):
        v.roc_auc([0, 1, 0, 1], [1, 2, 3, 4], cluster=["a", None, "b", "b"])
    with pytest.raises(DataError, match="non-numeric"):
        v.roc_auc([0, 1, 0, 1], [1, "x", 3, 4])


# ---- predictive validity -----------------------------------------------------------------

@pytest.fixture(scope="module")
def nested() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n_firms, size = 80, 40
    firm = np.repeat(np.arange(n_firms), size)
    latent = 0.4 * rng.normal(size=n_firms)[firm] + rng.normal(size=firm.size)
    return pd.DataFrame({
        "firm": firm,
        "good": latent + 0.5 * rng.normal(size=firm.size),
        "weak": latent + 2.0 * rng.normal(size=firm.size),
        "noise": rng.normal(size=firm.size),
        "churned": (rng.random(firm.size) < 1 / (1 + np.exp(1.5 + latent))).astype(int),
        "spend": latent + rng.normal(size=firm.size),
    })


def test_auc_validity_equals_roc_auc_per_predictor(nested: pd.DataFrame) -> None:
    res = v.predictive_validity(nested, ["good", "weak"], "churned", direction=-1,
                                cluster="firm")
    for p in ("good", "weak"):
        one = v.roc_auc(nested["churned"], -nested[p], cluster=nested["firm"])
        row = res.scores.set_index("predictor").loc[p]
        assert row["estimate"] == pytest.approx(one.estimate)
        assert row["se"] == pytest.approx(one.se)
    c = v.compare_auc(nested["churned"], -nested["weak"], -nested["good"], cluster=nested["firm"])
    comp = res.comparisons.set_index("predictor").loc["weak"]
    assert comp["estimate"] == pytest.approx(c.estimate) and comp["p_value"] == pytest.approx(
        c.p_value)
    assert comp["estimate"] < 0 and comp["p_holm"] < 0.05
    assert {"diff", "diff_ci_low", "diff_p_holm"} <= set(res.to_frame().columns)
    assert "good" in res.summary()


def test_r2_out_of_sample_recovers_the_truth(nested: pd.DataFrame) -> None:
    res = v.predictive_validity(nested, ["good", "noise"], "spend", measure="r2",
                                cluster="firm", n_boot=400, seed=2)
    s = res.scores.set_index("predictor")
    # spend = latent + e; good = latent + 0.5 e': population R^2 = cov^2 / (var x var y)
    var_l = 0.16 + 1
    truth = var_l**2 / ((var_l + 0.25) * (var_l + 1))
    assert s.loc["good", "ci_low"] <= truth <= s.loc["good", "ci_high"]
    assert s.loc["noise", "estimate"] < 0.005  # nothing to predict: about zero, often below
    assert s.loc["noise", "ci_low"] < 0 < s.loc["good", "ci_low"]
    assert res.comparisons["estimate"].iloc[0] < 0


def test_folds_keep_whole_clusters() -> None:
    codes = np.repeat(np.arange(12), 5)
    folds = v._folds(codes, 4, np.random.default_rng(0))
    assert all(len(set(folds[codes == k])) == 1 for k in range(12))
    assert sorted(np.bincount(folds)) == [15, 15, 15, 15]
    with pytest.raises(DataError, match="n_folds"):
        v._folds(np.arange(3), 5, np.random.default_rng(0))


def test_validity_input_errors(nested: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="reference"):
        v.predictive_validity(nested, ["good"], "churned", reference="weak")
    with pytest.raises(DataError, match="measure"):
        v.predictive_validity(nested, ["good"], "churned", measure="mse")
    with pytest.raises(DataError, match=r"\['nope'\] not found"):
        v.predictive_validity(nested, ["nope"], "churned")


def test_metric_scores_and_firm_year_metrics_match_the_metrics_module() -> None:
    rng = np.random.default_rng(8)
    n = 600
    d = pd.DataFrame({"firm_id": rng.choice(["a", "b", "c"], n), "year": 2020,
                      "nps": rng.integers(0, 11, n).astype(float),
                      "csat": rng.integers(1, 6, n).astype(float),
                      "ces": rng.integers(1, 8, n).astype(float)})
    d.loc[rng.random(n) < 0.3, "ces"] = np.nan
    s = v.metric_scores(d)
    assert len(s) == d["ces"].notna().sum()
    assert s["nps"].mean() == pytest.approx(nps(d.loc[s.index, "nps"]).estimate)
    z = (d.loc[s.index, ["nps", "csat", "ces"]] - d.loc[s.index, ["nps", "csat", "ces"]].mean())
    expected = (z / d.loc[s.index, ["nps", "csat", "ces"]].std()).mean(axis=1)
    np.testing.assert_allclose(s["index"], expected)
    fy = v.firm_year_metrics(d).set_index("firm_id")
    for firm, grp in d.groupby("firm_id"):
        assert fy.loc[firm, "nps"] == pytest.approx(nps(grp["nps"]).estimate)
        assert fy.loc[firm, "csat"] == pytest.approx(csat(grp["csat"]).estimate)
        assert fy.loc[firm, "ces"] == pytest.approx(grp["ces"].mean())
        assert fy.loc[firm, "n"] == len(grp)
    bad = d.assign(nps=d["nps"].where(d.index != 4, 11.0))
    with pytest.raises(DataError, match=r"column 'nps': 1 value\(s\) outside 0..10"):
        v.metric_scores(bad)


def test_relative_log_spend_centres_within_groups() -> None:
    d = pd.DataFrame({"firm_id": ["a", "a", "b"], "year": 1, "annual_spend": [1.0, 4.0, 9.0]})
    out = v.relative_log_spend(d)
    assert out.groupby(d["firm_id"]).sum().abs().max() < 1e-12
    with pytest.raises(DataError, match="not > 0"):
        v.relative_log_spend(d.assign(annual_spend=[1.0, 0.0, 2.0]))


# ---- the efficiency of NPS against the mean -----------------------------------------------

STUDY_LIKE = np.array([0, 1, 4, 13, 38, 77, 128, 167, 185, 163, 224]) / 1000


def test_nps_variance_is_the_trinomial_one() -> None:
    e = v.efficiency_ratio(STUDY_LIKE, v.shift_answers(STUDY_LIKE, 0.2)).table.set_index(
        "scoring")
    p, d = STUDY_LIKE[9:].sum(), STUDY_LIKE[:7].sum()
    assert e.loc["nps", "var_before"] == pytest.approx(1e4 * (p + d - (p - d) ** 2))
    assert e.loc["top2", "var_before"] == pytest.approx(1e4 * p * (1 - p))
    k = np.arange(11)
    assert e.loc["mean", "var_before"] == pytest.approx(STUDY_LIKE @ k**2 - (STUDY_LIKE @ k) ** 2)


def test_sample_sizes_match_statsmodels_power() -> None:
    from statsmodels.stats.power import NormalIndPower

    before = STUDY_LIKE
    e = v.efficiency_ratio(before, v.shift_answers(before, 0.25))
    for row in e.table.itertuples():
        es = row.delta / math.sqrt((row.var_before + row.var_after) / 2)
        n = NormalIndPower().solve_power(effect_size=es, alpha=0.05, power=0.8, ratio=1.0)
        assert abs(row.n_per_group - n) <= 1.0
    assert e.ratio == pytest.approx(e.table.set_index("scoring").loc["nps",
                                                                     "relative_efficiency"])


def test_shift_answers_is_the_ordered_probit_shift() -> None:
    assert np.allclose(v.shift_answers(STUDY_LIKE, 0.0), STUDY_LIKE)
    rng = np.random.default_rng(4)
    from scipy.stats import norm

    tau = norm.ppf(np.cumsum(STUDY_LIKE)[:-1])
    draws = np.searchsorted(tau, rng.normal(0.3, 1, 400_000))
    empirical = np.bincount(draws, minlength=11) / draws.size
    np.testing.assert_allclose(v.shift_answers(STUDY_LIKE, 0.3), empirical, atol=3e-3)
    up = v.shift_answers(STUDY_LIKE, 0.3)
    assert up @ np.arange(11) > STUDY_LIKE @ np.arange(11)


@pytest.mark.parametrize(("probs", "shift"), [
    (STUDY_LIKE, 0.2),
    (np.full(11, 1 / 11), 0.1),
    (np.array([5, 5, 8, 10, 12, 15, 15, 12, 8, 6, 4]) / 100, -0.3),
])
def test_efficiency_ratio_analytic_equals_simulated(probs, shift) -> None:
    """Coverage-style: the simulated ratio is within Monte-Carlo error of the analytic one."""
    s = v.efficiency_simulation(probs, v.shift_answers(probs, shift), n=300, n_boot=6000, seed=9)
    assert abs(s.simulated - s.analytic) <= 3 * s.mc_se
    assert s.within_mc_error
    assert (s.power["simulated_power"] - 0.8).abs().max() < 0.03


def test_efficiency_mc_se_is_calibrated() -> None:
    """The delta-method Monte-Carlo SE matches the spread of the ratio over seeds."""
    after = v.shift_answers(STUDY_LIKE, 0.2)
    runs = [v.efficiency_simulation(STUDY_LIKE, after, n=200, n_boot=1500, seed=s)
            for s in range(40)]
    sims = np.array([r.simulated for r in runs])
    mc = np.mean([r.mc_se for r in runs])
    assert 0.7 < sims.std(ddof=1) / mc < 1.4
    z = (sims - runs[0].analytic) / np.array([r.mc_se for r in runs])
    assert np.mean(np.abs(z) <= 1.96) >= 0.85


def test_efficiency_input_errors() -> None:
    with pytest.raises(DataError, match="11 probabilities"):
        v.efficiency_ratio([0.5, 0.5], STUDY_LIKE)
    with pytest.raises(DataError, match="sum to 1"):
        v.efficiency_ratio(STUDY_LIKE * 2, STUDY_LIKE)
    with pytest.raises(DataError, match="power"):
        v.efficiency_ratio(STUDY_LIKE, STUDY_LIKE, power=1.5)


# ---- said versus done --------------------------------------------------------------------

def test_kpl_parameters_reproduce_the_published_shares() -> None:
    fs = KPL_2007[("financial services", "of_all")]
    assert fs.p_intend * fs.follow_through + (1 - fs.p_intend) * fs.refer_without_intent == (
        pytest.approx(0.33))
    tel = KPL_2007[("telecom", "of_intenders")]
    assert (tel.p_intend, tel.follow_through, tel.conversion) == (0.81, 0.30, 0.12)
    d = simulate_referrals(200_000, fs, seed=2)
    t = v.said_vs_done(d, n_boot=50).set_index("quantity")["estimate"]
    assert t["said they would (%)"] == pytest.approx(68, abs=0.5)
    assert t["did (%)"] == pytest.approx(33, abs=0.5)
    conv = d["new_customers"].sum() / d["n_referrals"].sum()
    assert conv == pytest.approx(0.14, abs=0.01)
    with pytest.raises(DataError):
        ReferralParams(p_intend=1.5)


def test_said_vs_done_by_hand() -> None:
    d = pd.DataFrame({"intends": [1, 1, 1, 1, 0, 0], "referred": [1, 0, 0, 0, 1, 0],
                      "new_customers": [2, 0, 0, 0, 1, 0]})
    t = v.said_vs_done(d, n_boot=100).set_index("quantity")
    assert t.loc["said they would (%)", "estimate"] == pytest.approx(200 / 3)
    assert t.loc["did, among those who said (%)", "estimate"] == 25
    assert t.loc["said / did", "estimate"] == 2
    assert t.loc["new customers per 100 who said", "estimate"] == 50
    assert (t["ci_low"] <= t["estimate"]).all() and (t["estimate"] <= t["ci_high"]).all()
    assert len(v.said_vs_done(d, converted=None, n_boot=10)) == 5


# ---- integrity checks --------------------------------------------------------------------

def test_integrity_table_by_hand() -> None:
    d = pd.DataFrame({"g": ["a"] * 5, "answer": [10, 9, 3, np.nan, np.nan],
                      "invited": [1, 1, 1, 1, 0], "responded": [1, 1, 1, 0, 0],
                      "churned": [0, 0, 1, 1, 1]})
    row = v.integrity_table(d, "g").iloc[0]
    assert row["invite_rate"] == 80 and row["response_rate"] == 75
    assert row["nps"] == pytest.approx(100 / 3) and row["tens_among_promoters"] == 50
    assert row["behaviour_all"] == 60 and row["selection_gap"] == pytest.approx(100 / 3 - 60)
    with pytest.raises(DataError, match="respondent"):
        v.integrity_table(d.assign(answer=[10, np.nan, 3, np.nan, np.nan]), "g")


@pytest.fixture(scope="module")
def gamed():
    return simulate_gaming(seed=4)


def test_diagnostic_changes_point_estimates_are_the_pooled_did(gamed) -> None:
    c = gamed.customers
    out = v.diagnostic_changes(c, by="culture", reference="control", cluster="firm_id",
                               post="post", n_boot=200, seed=1)
    t = v.integrity_table(c, ["culture", "post"]).set_index(["culture", "post"])
    for k in ("nps", "invite_rate", "selection_gap", "behaviour_all", "tens_among_promoters"):
        want = (t.loc[("bonus", 1), k] - t.loc[("bonus", 0), k]) - (
            t.loc[("control", 1), k] - t.loc[("control", 0), k])
        got = out.set_index(["culture", "diagnostic"]).loc[("bonus", k), "estimate"]
        assert got == pytest.approx(want)
    b = out.set_index(["culture", "diagnostic"])
    assert b.loc[("bonus", "nps"), "ci_low"] > 20  # the gamed metric jumps
    assert b.loc[("bonus", "tens_among_promoters"), "ci_low"] > 0  # a spike at 10
    assert b.loc[("bonus", "selection_gap"), "ci_high"] < 0  # respondents churn less
    assert b.loc[("bonus", "behaviour_all"), "ci_low"] < 0 < b.loc[("bonus", "behaviour_all"),
                                                                   "ci_high"]


def test_diagnostic_changes_p_values_agree_with_the_intervals(gamed) -> None:
    out = v.diagnostic_changes(gamed.customers, by="culture", reference="control",
                               cluster="firm_id", post="post", n_boot=400, seed=3)
    assert out["p_value"].between(0, 1).all() and (out["se"] > 0).all()
    excludes = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    # the percentile interval excludes zero exactly when fewer than 2.5% of draws cross it
    assert ((out["p_value"] < 0.05 + 2 / 401) | ~excludes).all()
    assert ((out["p_value"] >= 0.05 - 2 / 401) | excludes).all()


def test_diagnostic_changes_find_nothing_without_gaming() -> None:
    honest = simulate_gaming(GamingParams(n_firms=90, customers_per_firm=120), seed=4,
                             cherry_pick=0.0, suppress_failures=0.0, coached_share=0.0)
    out = v.diagnostic_changes(honest.customers, by="culture", reference="control",
                               cluster="firm_id", post="post", n_boot=300, seed=2)
    bonus = out[out["culture"] == "bonus"]
    covered = (bonus["ci_low"] <= 0) & (bonus["ci_high"] >= 0)
    assert covered.sum() >= 4  # five checks at 95%: at most one false alarm expected by chance


def test_diagnostic_changes_input_errors(gamed) -> None:
    c = gamed.customers
    with pytest.raises(DataError, match="reference"):
        v.diagnostic_changes(c, by="culture", reference="none", cluster="firm_id", post="post")
    with pytest.raises(DataError, match="diagnostics"):
        v.diagnostic_changes(c, by="culture", reference="control", cluster="firm_id",
                             post="post", diagnostics=("bogus",))
    mixed = c.assign(culture=np.where(c.index % 2 == 0, "bonus", "control"))
    with pytest.raises(DataError, match="constant within"):
        v.diagnostic_changes(mixed, by="culture", reference="control", cluster="firm_id",
                             post="post")
