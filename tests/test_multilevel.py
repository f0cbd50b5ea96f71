"""Tests for cxresearch.linkage.multilevel (aggregation indices, group scores, MixedLM), each
against an
independent reference.

References: statsmodels MixedLM (ICC(1) equals the REML variance ratio on balanced data), scipy's
one-way ANOVA, pingouin's ICC(1) interval, hand-worked rwg(j), and seeded simulations with a
known ICC.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import simulate as sim
from cxresearch.core import contract
from cxresearch.linkage import multilevel as ml


def _continuous_nested(n_groups: int, size: int, icc: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_groups), size)
    y = rng.normal(0, np.sqrt(icc), n_groups)[g] + rng.normal(0, np.sqrt(1 - icc), len(g))
    return pd.DataFrame({"group": g, "y": y})


def test_icc1_equals_mixedlm_reml_ratio_on_balanced_data() -> None:
    import statsmodels.formula.api as smf

    d = _continuous_nested(40, 12, 0.25, seed=11)
    out = ml.aggregation_indices(d, "group", ["y"], scale_points=5, warn=False)
    fit = smf.mixedlm("y ~ 1", d, groups=d["group"]).fit(reml=True, method="bfgs")
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    assert out["icc1"].iloc[0] == pytest.approx(tau2 / (tau2 + sigma2), abs=1e-4)
    # ICC(2) is the reliability of a mean of k members: Spearman-Brown of ICC(1) (balanced).
    k, icc1 = 12, out["icc1"].iloc[0]
    assert out["icc2"].iloc[0] == pytest.approx(k * icc1 / (1 + (k - 1) * icc1), rel=1e-10)


def test_f_statistic_matches_scipy_oneway_on_unbalanced_groups() -> None:
    rng = np.random.default_rng(3)
    sizes = rng.integers(3, 20, 25)
    d = sim.simulate_nested(n_groups=25, group_size=sizes, icc=0.2, n_items=3, seed=3)
    d["score"] = d[["item_1", "item_2", "item_3"]].mean(axis=1)
    out = ml.aggregation_indices(d, "group", ["item_1", "item_2", "item_3"], warn=False)
    f_ref, p_ref = stats.f_oneway(*[grp["score"].to_numpy() for _, grp in d.groupby("group")])
    assert out["f_stat"].iloc[0] == pytest.approx(f_ref, rel=1e-10)
    assert out["p_value"].iloc[0] == pytest.approx(p_ref, rel=1e-8)
    # k0 for unequal groups (Bliese 2000): (N - sum n^2 / N) / (J - 1)
    n = sizes.sum()
    assert out["mean_group_size"].iloc[0] == pytest.approx((n - (sizes**2).sum() / n) / 24)


def test_rwg_j_hand_worked_values() -> None:
    # Group A: item variances 1/3 and 1/3 -> s2 = 1/3, s2_EU = (25 - 1)/12 = 2, ratio 1/6,
    # rwg(2) = 2 (5/6) / (2 (5/6) + 1/6) = 10/11.  Group B: variance 16/3 > 2 -> truncated to 0.
    # Group C: perfect agreement -> 1.
    d = pd.DataFrame(
        {
            "group": ["A"] * 4 + ["B"] * 4 + ["C"] * 4,
            "q1": [4, 4, 5, 5, 1, 5, 1, 5, 3, 3, 3, 3],
            "q2": [4, 5, 4, 5, 1, 5, 1, 5, 2, 2, 2, 2],
        }
    )
    rwg = ml._rwg_j(d, ["q1", "q2"], "group", 5)
    assert rwg.loc["A"] == pytest.approx(10 / 11)
    assert rwg.loc["B"] == 0.0
    assert rwg.loc["C"] == 1.0
    out = ml.aggregation_indices(d, "group", {"pair": ["q1", "q2"]}, warn=False)
    assert out["rwg_j"].iloc[0] == pytest.approx(10 / 11)  # median of (0, 10/11, 1)


def test_icc1_recovers_simulated_truth_without_bias() -> None:
    ests = []
    for seed in range(40):
        d = _continuous_nested(60, 10, 0.15, seed=seed)
        ests.append(ml.aggregation_indices(d, "group", ["y"], warn=False)["icc1"].iloc[0])
    ests = np.asarray(ests)
    mc_se = ests.std(ddof=1) / np.sqrt(len(ests))
    assert abs(ests.mean() - 0.15) < 3 * mc_se + 0.005


def test_aggregation_warning_when_no_group_variance() -> None:
    d = sim.simulate_nested(n_groups=30, group_size=10, icc=0.0, n_items=4, seed=5)
    items = ["item_1", "item_2", "item_3", "item_4"]
    with pytest.warns(ml.AggregationWarning, match="not supported"):
        out = ml.aggregation_indices(d, "group", {"culture": items})
    assert not bool(out["supported"].iloc[0])
    assert "between-group" in out["note"].iloc[0]
    supported = ml.aggregation_indices(
        sim.simulate_nested(n_groups=30, group_size=20, icc=0.4, n_items=4, seed=5), "group", items
    )
    assert bool(supported["supported"].iloc[0])


def test_aggregation_errors_name_the_column() -> None:
    d = sim.simulate_nested(n_groups=5, group_size=4, n_items=2, seed=0)
    with pytest.raises(ValueError, match="item_9"):
        ml.aggregation_indices(d, "group", ["item_1", "item_9"])
    d.loc[[2, 7], "group"] = None
    with pytest.raises(ValueError, match=r"'group': missing group ids at rows \[2, 7\]"):
        ml.aggregation_indices(d, "group", ["item_1"])


def test_icc1_interval_matches_pingouin_icc1_on_balanced_ratings() -> None:
    # pingouin's ICC1 (one-way random, single rater) is the same model: groups = targets,
    # members = raters; its F-based interval (McGraw & Wong 1996) must match ours.
    import pingouin as pg

    d = _continuous_nested(30, 5, 0.3, seed=6)
    d["rater"] = np.tile(np.arange(5), 30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin 0.7 uses a deprecated pandas keyword
        ref = pg.intraclass_corr(d, targets="group", raters="rater", ratings="y")
    ref = ref.set_index("Type")
    ours = ml.aggregation_indices(d, "group", ["y"], warn=False).iloc[0]
    assert ours["icc1"] == pytest.approx(ref.loc["ICC(1,1)", "ICC"], abs=1e-10)
    lo, hi = ref.loc["ICC(1,1)", "CI95"]
    assert ours["icc1_ci_low"] == pytest.approx(lo, abs=0.006)  # pingouin rounds to 2 dp
    assert ours["icc1_ci_high"] == pytest.approx(hi, abs=0.006)
    assert ours["icc2"] == pytest.approx(ref.loc["ICC(1,k)", "ICC"], abs=1e-10)


def test_group_scores_match_manual_groupby_and_leave_input_untouched() -> None:
    d = sim.simulate_nested(n_groups=8, group_size=6, n_items=3, seed=4).astype({"item_1": float})
    d.loc[[0, 5, 9], "item_1"] = np.nan
    before = d.copy()
    out = ml.group_scores(d, "group", {"s": ["item_1", "item_2", "item_3"]})
    manual = d[["item_1", "item_2", "item_3"]].mean(axis=1).groupby(d["group"]).mean()
    np.testing.assert_allclose(out["s"].to_numpy(), manual.to_numpy())
    assert out["n_s"].sum() == len(d)
    pd.testing.assert_frame_equal(d, before)


def test_add_group_key_and_reverse_items_match_manual_recoding() -> None:
    d = pd.DataFrame({"firm_id": ["F1", "F1", "F2"], "year": [2020, 2021, 2020],
                      "culture_4": [1, 4, 5], "culture_1": [2, 3, 4]})
    before = d.copy()
    keyed = ml.add_group_key(d, ["firm_id", "year"], name="firm_year")
    assert keyed["firm_year"].tolist() == [f"{f}|{y}" for f, y in zip(d["firm_id"], d["year"])]
    rev = contract.reverse_items(d, {"culture_4": (1, 5)})
    assert rev["culture_4"].tolist() == [5, 2, 1]  # 6 - x by hand
    assert rev["culture_1"].tolist() == d["culture_1"].tolist()
    # recoding is an involution
    pd.testing.assert_frame_equal(contract.reverse_items(rev, {"culture_4": (1, 5)}), d)
    pd.testing.assert_frame_equal(d, before)  # input untouched
    with pytest.raises(ValueError, match=r"'culture_4': 1 value\(s\) outside 1..4 at rows \[2\]"):
        contract.reverse_items(d, {"culture_4": (1, 4)})
    with pytest.raises(ValueError, match="nope"):
        ml.add_group_key(d, ["firm_id", "nope"])


def test_multilevel_model_recovers_known_slope_and_icc() -> None:
    rng = np.random.default_rng(8)
    n_g, size = 80, 12
    g = np.repeat(np.arange(n_g), size)
    x = rng.normal(size=n_g * size)
    y = 0.4 * x + rng.normal(0, 0.6, n_g)[g] + rng.normal(0, 1.0, len(g))
    d = pd.DataFrame({"firm": g, "x": x, "y": y})
    fit = ml.multilevel_model(d, "y ~ x", cluster="firm")
    row = fit.fixed.set_index("term").loc["x"]
    assert row.ci_low < 0.4 < row.ci_high
    assert fit.icc == pytest.approx(0.36 / 1.36, abs=0.08)
    assert "ICC" in fit.summary()


def test_no_warnings_from_core_calls() -> None:
    d = sim.simulate_nested(n_groups=30, group_size=20, icc=0.3, n_items=4, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ml.aggregation_indices(d, "group", ["item_1", "item_2", "item_3", "item_4"])
        ml.multilevel_model(d, "item_1 ~ 1", cluster="group")


def test_multilevel_model_drops_only_rows_missing_in_the_model_columns() -> None:
    """Regression test: a column the formula does not use (CES, missing by design for most
    customers) used to drop rows; now only the formula's variables and the cluster count."""
    rng = np.random.default_rng(3)
    n_g, size = 40, 10
    g = np.repeat(np.arange(n_g), size)
    x = rng.normal(size=n_g * size)
    d = pd.DataFrame({"firm": g, "x": x,
                      "y": 0.3 * x + rng.normal(0, 0.5, n_g)[g] + rng.normal(size=len(g))})
    d["ces"] = np.where(rng.random(len(d)) < 0.7, np.nan, 4.0)  # unused, mostly missing
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is dropped, so nothing is said
        fit = ml.multilevel_model(d, "y ~ x", cluster="firm")
    assert fit.n_obs == len(d)
    ref = ml.multilevel_model(d.drop(columns="ces"), "y ~ x", cluster="firm")
    pd.testing.assert_frame_equal(fit.to_frame(), ref.to_frame())
    # a missing value in a model column (or the cluster) does drop its row, with a warning
    d.loc[[1, 5], "x"] = np.nan
    d.loc[7, "firm"] = np.nan
    with pytest.warns(UserWarning, match=r"dropped 3 row\(s\)"):
        fit = ml.multilevel_model(d, "y ~ x", cluster="firm")
    assert fit.n_obs == len(d) - 3


def test_levels_and_conf_int_of_the_multilevel_results() -> None:
    d = _continuous_nested(30, 8, 0.3, seed=2)
    d["x"] = np.random.default_rng(2).normal(size=len(d))
    fit = ml.multilevel_model(d, "y ~ x", cluster="group")
    fit90 = ml.multilevel_model(d, "y ~ x", cluster="group", level=0.90)
    z = stats.norm.ppf(0.95)
    f = fit90.to_frame()
    np.testing.assert_allclose(f["ci_low"], f["estimate"] - z * f["se"], rtol=1e-12)
    np.testing.assert_allclose(fit.conf_int(0.90)[["ci_low", "ci_high"]],
                               f[["ci_low", "ci_high"]], rtol=1e-12)
    assert "90% CI" in fit90.summary() and "95% CI" in fit.summary()
    # ICC(1) interval at another level: the F quantiles at (1 + level) / 2
    wide = ml.aggregation_indices(d, "group", ["y"], level=0.99, warn=False).iloc[0]
    narrow = ml.aggregation_indices(d, "group", ["y"], level=0.80, warn=False).iloc[0]
    assert wide["icc1"] == narrow["icc1"]
    assert wide["icc1_ci_low"] < narrow["icc1_ci_low"] < narrow["icc1_ci_high"] < (
        wide["icc1_ci_high"])


def test_aggregation_warning_points_at_the_caller() -> None:
    d = sim.simulate_nested(n_groups=30, group_size=10, icc=0.0, n_items=2, seed=5)
    with pytest.warns(ml.AggregationWarning) as rec:
        ml.aggregation_indices(d, "group", ["item_1", "item_2"])
    assert rec[0].filename == __file__


# ------------------------------------------------------------------ weighted group scores


def test_weighted_group_scores_match_numpy_and_kish_closed_form() -> None:
    rng = np.random.default_rng(5)
    d = pd.DataFrame({"g": np.repeat(["a", "b", "c"], 6), "q1": rng.integers(1, 6, 18),
                      "q2": rng.integers(1, 6, 18).astype(float),
                      "w": rng.uniform(0.5, 2.0, 18)})
    d.loc[4, "q2"] = np.nan  # a skipped item: that respondent's score is the answered one
    before = d.copy()
    out = ml.group_scores(d, "g", {"s": ["q1", "q2"]}, weight="w").set_index("g")
    pd.testing.assert_frame_equal(d, before)
    score = d[["q1", "q2"]].mean(axis=1)
    means = {g: np.average(score[d["g"] == g], weights=d.loc[d["g"] == g, "w"])
             for g in "abc"}
    dev2 = sum(((score[d["g"] == g] - means[g]) ** 2).sum() for g in "abc")
    msw = dev2 / (18 - 3)
    for g in "abc":
        w = d.loc[d["g"] == g, "w"]
        n_eff = w.sum() ** 2 / (w**2).sum()
        assert out.loc[g, "s"] == pytest.approx(means[g], rel=1e-12)
        assert out.loc[g, "n_eff_s"] == pytest.approx(n_eff, rel=1e-12)
        assert out.loc[g, "ev_s"] == pytest.approx(msw / n_eff, rel=1e-12)
        assert out.loc[g, "n_s"] == 6


def test_equal_weights_give_the_unweighted_scores() -> None:
    d = sim.simulate_nested(n_groups=12, group_size=7, icc=0.3, n_items=3, seed=4)
    items = {"s": ["item_1", "item_2", "item_3"]}
    plain = ml.group_scores(d, "group", items)
    weighted = ml.group_scores(d.assign(w=2.5), "group", items, weight="w")
    pd.testing.assert_frame_equal(plain, weighted.drop(columns="n_eff_s"))
    assert (weighted["n_eff_s"] == weighted["n_s"]).all()


def test_weighted_sampling_variance_matches_a_simulation() -> None:
    """ev = MSW / n_eff is the variance of the weighted mean over repeated samples."""
    rng = np.random.default_rng(8)
    w = rng.uniform(0.3, 3.0, 25)  # the same weights in every sample
    sigma = 1.5
    reps = 4000
    y = rng.normal(2.0, sigma, (reps, 25))
    mc_var = np.average(y, axis=1, weights=w).var(ddof=1)
    d = pd.DataFrame({"g": np.repeat(np.arange(200), 25), "y": y[:200].ravel(),
                      "w": np.tile(w, 200)})
    ev = ml.group_scores(d, "g", {"y": ["y"]}, weight="w")["ev_y"]
    assert ev.mean() == pytest.approx(mc_var, rel=0.06)
    assert ev.mean() == pytest.approx(sigma**2 * (w**2).sum() / w.sum() ** 2, rel=0.06)


def test_negative_or_text_weights_are_refused() -> None:
    d = pd.DataFrame({"g": ["a", "a"], "q": [1, 2], "w": [1.0, -1.0]})
    with pytest.raises(ValueError, match=r"column 'w': 1 negative weight\(s\) at rows \[1\]"):
        ml.group_scores(d, "g", ["q"], weight="w")
    with pytest.raises(ValueError, match="'w'"):
        ml.group_scores(d.assign(w=["x", "y"]), "g", ["q"], weight="w")
