"""Tests for cxresearch.linkage, each against an independent reference.

References used: closed forms worked by hand (rwg(j), cluster sandwich), statsmodels MixedLM
(ICC(1) equals the REML variance ratio on balanced data), scipy's one-way ANOVA, statsmodels'
Mediation (ACME), and seeded simulations with a known truth (bias and 95% CI coverage).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import linkage as lk


def _continuous_nested(n_groups: int, size: int, icc: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_groups), size)
    y = rng.normal(0, np.sqrt(icc), n_groups)[g] + rng.normal(0, np.sqrt(1 - icc), len(g))
    return pd.DataFrame({"group": g, "y": y})


# ------------------------------------------------------------------ aggregation indices


def test_icc1_equals_mixedlm_reml_ratio_on_balanced_data() -> None:
    import statsmodels.formula.api as smf

    d = _continuous_nested(40, 12, 0.25, seed=11)
    out = lk.aggregation_indices(d, "group", ["y"], scale_points=5, warn=False)
    fit = smf.mixedlm("y ~ 1", d, groups=d["group"]).fit(reml=True, method="bfgs")
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    assert out["icc1"].iloc[0] == pytest.approx(tau2 / (tau2 + sigma2), abs=1e-4)
    # ICC(2) is the reliability of a mean of k members: Spearman-Brown of ICC(1) (balanced).
    k, icc1 = 12, out["icc1"].iloc[0]
    assert out["icc2"].iloc[0] == pytest.approx(k * icc1 / (1 + (k - 1) * icc1), rel=1e-10)


def test_f_statistic_matches_scipy_oneway_on_unbalanced_groups() -> None:
    rng = np.random.default_rng(3)
    sizes = rng.integers(3, 20, 25)
    d = lk.simulate_nested(n_groups=25, group_size=sizes, icc=0.2, n_items=3, seed=3)
    d["score"] = d[["item_1", "item_2", "item_3"]].mean(axis=1)
    out = lk.aggregation_indices(d, "group", ["item_1", "item_2", "item_3"], warn=False)
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
    rwg = lk._rwg_j(d, ["q1", "q2"], "group", 5)
    assert rwg.loc["A"] == pytest.approx(10 / 11)
    assert rwg.loc["B"] == 0.0
    assert rwg.loc["C"] == 1.0
    out = lk.aggregation_indices(d, "group", {"pair": ["q1", "q2"]}, warn=False)
    assert out["rwg_j"].iloc[0] == pytest.approx(10 / 11)  # median of (0, 10/11, 1)


def test_icc1_recovers_simulated_truth_without_bias() -> None:
    ests = []
    for seed in range(40):
        d = _continuous_nested(60, 10, 0.15, seed=seed)
        ests.append(lk.aggregation_indices(d, "group", ["y"], warn=False)["icc1"].iloc[0])
    ests = np.asarray(ests)
    mc_se = ests.std(ddof=1) / np.sqrt(len(ests))
    assert abs(ests.mean() - 0.15) < 3 * mc_se + 0.005


def test_aggregation_warning_when_no_group_variance() -> None:
    d = lk.simulate_nested(n_groups=30, group_size=10, icc=0.0, n_items=4, seed=5)
    items = ["item_1", "item_2", "item_3", "item_4"]
    with pytest.warns(lk.AggregationWarning, match="not supported"):
        out = lk.aggregation_indices(d, "group", {"culture": items})
    assert not bool(out["supported"].iloc[0])
    assert "between-group" in out["note"].iloc[0]
    supported = lk.aggregation_indices(
        lk.simulate_nested(n_groups=30, group_size=20, icc=0.4, n_items=4, seed=5), "group", items
    )
    assert bool(supported["supported"].iloc[0])


def test_aggregation_errors_name_the_column() -> None:
    d = lk.simulate_nested(n_groups=5, group_size=4, n_items=2, seed=0)
    with pytest.raises(ValueError, match="item_9"):
        lk.aggregation_indices(d, "group", ["item_1", "item_9"])
    d.loc[[2, 7], "group"] = None
    with pytest.raises(ValueError, match=r"'group': missing group ids at rows \[2, 7\]"):
        lk.aggregation_indices(d, "group", ["item_1"])


def test_group_scores_match_manual_groupby_and_leave_input_untouched() -> None:
    d = lk.simulate_nested(n_groups=8, group_size=6, n_items=3, seed=4).astype({"item_1": float})
    d.loc[[0, 5, 9], "item_1"] = np.nan
    before = d.copy()
    out = lk.group_scores(d, "group", {"s": ["item_1", "item_2", "item_3"]})
    manual = d[["item_1", "item_2", "item_3"]].mean(axis=1).groupby(d["group"]).mean()
    np.testing.assert_allclose(out["s"].to_numpy(), manual.to_numpy())
    assert out["n_s"].sum() == len(d)
    pd.testing.assert_frame_equal(d, before)


# ------------------------------------------------------------------ regressions


def test_multilevel_model_recovers_known_slope_and_icc() -> None:
    rng = np.random.default_rng(8)
    n_g, size = 80, 12
    g = np.repeat(np.arange(n_g), size)
    x = rng.normal(size=n_g * size)
    y = 0.4 * x + rng.normal(0, 0.6, n_g)[g] + rng.normal(0, 1.0, len(g))
    d = pd.DataFrame({"firm": g, "x": x, "y": y})
    fit = lk.multilevel_model(d, "y ~ x", group="firm")
    row = fit.fixed.set_index("term").loc["x"]
    assert row.ci_low < 0.4 < row.ci_high
    assert fit.icc == pytest.approx(0.36 / 1.36, abs=0.08)
    assert "ICC" in fit.summary()


def test_cluster_se_equals_hand_computed_sandwich() -> None:
    rng = np.random.default_rng(2)
    n_g, size = 15, 8
    g = np.repeat(np.arange(n_g), size)
    x = rng.normal(size=n_g * size) + rng.normal(size=n_g)[g]
    y = 1.0 + 0.3 * x + rng.normal(size=n_g)[g] + rng.normal(size=len(g))
    d = pd.DataFrame({"g": g, "x": x, "y": y})
    out = lk.linkage_regression(d, "y ~ x", cluster="g").set_index("term")
    xm = np.column_stack([np.ones(len(y)), x])
    beta = np.linalg.solve(xm.T @ xm, xm.T @ y)
    e = y - xm @ beta
    bread = np.linalg.inv(xm.T @ xm)
    meat = sum(np.outer(xm[g == k].T @ e[g == k], xm[g == k].T @ e[g == k]) for k in range(n_g))
    n, k = len(y), 2
    v = n_g / (n_g - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    assert out.loc["x", "estimate"] == pytest.approx(beta[1])
    assert out.loc["x", "se"] == pytest.approx(np.sqrt(v[1, 1]), rel=1e-8)
    assert out.loc["x", "n_clusters"] == n_g


def test_cluster_robust_interval_coverage() -> None:
    rng = np.random.default_rng(21)
    hits = []
    for _ in range(200):
        n_g, size = 40, 5
        g = np.repeat(np.arange(n_g), size)
        x = rng.normal(size=n_g)[g] + 0.5 * rng.normal(size=len(g))
        y = 0.3 * x + rng.normal(size=n_g)[g] + rng.normal(size=len(g))
        out = lk.linkage_regression(pd.DataFrame({"g": g, "x": x, "y": y}), "y ~ x", cluster="g")
        row = out.set_index("term").loc["x"]
        hits.append(row.ci_low < 0.3 < row.ci_high)
    assert 0.90 <= np.mean(hits) <= 0.99


# ------------------------------------------------------------------ mediation


def _chain(n: int, a: float, b: float, c: float, rng: np.random.Generator) -> pd.DataFrame:
    ex = rng.normal(size=n)
    cx = a * ex + rng.normal(size=n)
    y = b * cx + c * ex + rng.normal(size=n)
    return pd.DataFrame({"ex": ex, "cx": cx, "y": y})


def test_mediation_matches_statsmodels_acme_and_decomposes() -> None:
    import statsmodels.api as sm
    from statsmodels.stats.mediation import Mediation

    d = _chain(400, 0.5, 0.4, 0.2, np.random.default_rng(5))
    res = lk.mediation(d, "ex", "cx", "y", n_boot=300, seed=1)
    e = res.to_frame().set_index("effect")["estimate"]
    assert e["total"] == pytest.approx(e["direct"] + e["indirect"], abs=1e-10)
    out_model = sm.OLS(d["y"], sm.add_constant(d[["ex", "cx"]]))
    med_model = sm.OLS(d["cx"], sm.add_constant(d[["ex"]]))
    np.random.seed(0)  # noqa: NPY002 -- statsmodels Mediation draws from the global state
    sm_res = Mediation(out_model, med_model, "ex", "cx").fit(n_rep=400).summary()
    acme = float(sm_res.loc["ACME (average)", "Estimate"])
    assert res.indirect == pytest.approx(acme, abs=0.03)
    lo, hi = sm_res.loc["ACME (average)", ["Lower CI bound", "Upper CI bound"]]
    row = res.to_frame().set_index("effect").loc["indirect"]
    assert row.ci_low == pytest.approx(lo, abs=0.05)
    assert row.ci_high == pytest.approx(hi, abs=0.05)


def test_mediation_bootstrap_coverage_quick() -> None:
    rng = np.random.default_rng(17)
    hits, ests = [], []
    for r in range(120):
        d = _chain(150, 0.4, 0.4, 0.1, rng)
        res = lk.mediation(d, "ex", "cx", "y", n_boot=200, seed=r)
        row = res.to_frame().set_index("effect").loc["indirect"]
        hits.append(row.ci_low < 0.16 < row.ci_high)
        ests.append(row.estimate)
    assert 0.88 <= np.mean(hits) <= 0.99  # 120 draws: allow Monte-Carlo error around .95
    assert abs(np.mean(ests) - 0.16) < 3 * np.std(ests) / np.sqrt(len(ests))


def test_cluster_bootstrap_wider_than_iid_when_clusters_share_shocks() -> None:
    rng = np.random.default_rng(4)
    n_g, size = 40, 6
    g = np.repeat(np.arange(n_g), size)
    ex = rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    cx = 0.5 * ex + rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    y = 0.5 * cx + rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    d = pd.DataFrame({"firm": g, "ex": ex, "cx": cx, "y": y})
    iid = lk.mediation(d, "ex", "cx", "y", n_boot=300, seed=0).to_frame().set_index("effect")
    clu = lk.mediation(d, "ex", "cx", "y", cluster="firm", n_boot=300, seed=0)
    assert clu.to_frame().set_index("effect").loc["indirect", "se"] > iid.loc["indirect", "se"]
    assert "cluster bootstrap" in clu.summary()


def test_sem_chain_recovers_paths_in_latent_data() -> None:
    d = lk.simulate_latent_chain(n=600, rng=9)
    out = lk.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    out = out.set_index("path")
    for path, true in [("a", 0.5), ("b", 0.4), ("direct", 0.1), ("indirect", 0.2)]:
        assert out.loc[path, "ci_low"] < true < out.loc[path, "ci_high"], path
    # the scale-score mediation is attenuated by item noise; the latent model is not
    d["ex_score"] = d[["e0", "e1", "e2"]].mean(axis=1)
    d["cx_score"] = d[["c0", "c1", "c2"]].mean(axis=1)
    naive = lk.mediation(d, "ex_score", "cx_score", "y", n_boot=50, seed=0)
    assert abs(out.loc["b", "estimate"] - 0.4) < abs(
        naive.to_frame().set_index("effect").loc["b", "estimate"] - 0.4
    )


# lavaan 0.6.14 on R 4.2.2 (scripts/r/sem_chain_reference.R) on simulate_latent_chain(n=600, rng=9):
# parameterEstimates() and standardizedSolution() of the same model, ML, expected information.
_LAVAAN_RAW = {
    "a": (0.513954333550788, 0.0425796246131741),
    "b": (0.404157917824761, 0.0651497898647415),
    "direct": (0.0534346691699178, 0.0556727312720316),
    "indirect": (0.207718713304899, 0.0365534030588639),
}
_LAVAAN_STD = {
    "a": (0.585174443921328, 0.034601668893841),
    "b": (0.350856234573794, 0.0533530252935709),
    "direct": (0.0528155796385693, 0.0549648377236197),
    "indirect": (0.205312101963051, 0.0345244598717288),
}


@pytest.mark.parametrize("standardized", [False, True])
def test_sem_chain_matches_lavaan(standardized: bool) -> None:
    d = lk.simulate_latent_chain(n=600, rng=9)
    out = lk.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                      standardized=standardized).set_index("path")
    ref = _LAVAAN_STD if standardized else _LAVAAN_RAW
    for path, (est, se) in ref.items():
        assert out.loc[path, "estimate"] == pytest.approx(est, abs=2e-6), path
        assert out.loc[path, "se"] == pytest.approx(se, rel=1e-4), path
    assert out["cfi"].iloc[0] == pytest.approx(0.995, abs=5e-4)
    assert out["rmsea"].iloc[0] == pytest.approx(0.035, abs=5e-4)


def test_sem_chain_is_scale_free_and_settled() -> None:
    """Rescaling a column (pp vs fraction, 1-5 vs 0-100) changes nothing standardized, and the
    raw-unit paths change exactly by the ratio of scales: the fit is settled, not stopped early."""
    d = lk.simulate_latent_chain(n=600, rng=9)
    base = lk.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                       standardized=True).set_index("path")
    d2 = d.assign(y=d["y"] * 100.0, e0=d["e0"] * 0.01 + 3.0)
    other = lk.sem_service_profit_chain(d2, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                        standardized=True).set_index("path")
    np.testing.assert_allclose(other[["estimate", "se"]], base[["estimate", "se"]], atol=1e-7)
    raw = lk.sem_service_profit_chain(d2, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    ref = _LAVAAN_RAW["b"][0] * 100.0
    assert raw.set_index("path").loc["b", "estimate"] == pytest.approx(ref, rel=1e-5)


def test_sem_chain_level_and_errors() -> None:
    d = lk.simulate_latent_chain(n=300, rng=1)
    wide = lk.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=0.99)
    narrow = lk.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=0.90)
    assert (wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]).all()
    with pytest.raises(ValueError, match="do not vary"):
        lk.sem_service_profit_chain(d.assign(y=1.0), ["e0", "e1"], ["c0", "c1"], "y")
    with pytest.raises(ValueError, match="level"):
        lk.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=95)


# ------------------------------------------------------------------ cross-lagged panel


def test_cross_lagged_pooled_recovers_known_lags_with_coverage() -> None:
    truth = {("x", "y"): 0.25, ("y", "x"): 0.0}
    hits = {k: [] for k in truth}
    for seed in range(60):
        p = lk.simulate_var_panel(n_units=80, n_periods=6, coefs=truth, seed=seed)
        out = lk.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
        out = out.set_index(["from", "to"])
        for k, v in truth.items():
            hits[k].append(out.loc[k, "ci_low"] < v < out.loc[k, "ci_high"])
    for k in truth:
        assert 0.85 <= np.mean(hits[k]) <= 1.0, k


def test_unit_effects_bias_pooled_but_fixed_effects_on_long_panel_recover() -> None:
    p = lk.simulate_var_panel(
        n_units=300, n_periods=25, coefs={("x", "y"): 0.2}, unit_sd=1.0, seed=3
    )
    pooled = lk.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    fe = lk.cross_lagged_panel(
        p, "unit", "time", ["x", "y"], standardize_vars=False, fixed_effects=True
    )
    ar_pooled = pooled.set_index(["from", "to"]).loc[("y", "y"), "estimate"]
    fe = fe.set_index(["from", "to"])
    assert ar_pooled > 0.6  # stable unit differences masquerade as persistence (truth .4)
    # Nickell bias of the AR term is about -(1 + rho) / (T - 1) = -0.06 at T = 25
    assert fe.loc[("y", "y"), "estimate"] == pytest.approx(0.4 - 1.4 / 24, abs=0.04)
    assert fe.loc[("x", "y"), "estimate"] == pytest.approx(0.2, abs=0.05)


def test_cross_lagged_respects_gaps_and_rejects_duplicates() -> None:
    p = lk.simulate_var_panel(n_units=30, n_periods=5, seed=1)
    gap = p[p["time"] != 2]
    out = lk.cross_lagged_panel(gap, "unit", "time", ["x", "y"])
    # pairs (0,1) and (3,4) remain: 2 per unit
    assert out["n_obs"].iloc[0] == 2 * 30
    with pytest.raises(ValueError, match="duplicates"):
        lk.cross_lagged_panel(pd.concat([p, p.iloc[:1]]), "unit", "time", ["x", "y"])


def test_no_warnings_from_core_calls() -> None:
    d = lk.simulate_nested(n_groups=30, group_size=20, icc=0.3, n_items=4, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lk.aggregation_indices(d, "group", ["item_1", "item_2", "item_3", "item_4"])
        lk.multilevel_model(d, "item_1 ~ 1", group="group")


# ------------------------------------------------------------------ errors in variables


def test_eiv_without_error_is_ols_and_fe_matches_linearmodels() -> None:
    import statsmodels.api as sm
    from linearmodels.panel import PanelOLS

    p = lk.simulate_var_panel(n_units=60, n_periods=6, coefs={("x", "y"): 0.3}, unit_sd=1.0,
                              seed=2)
    out = lk.eiv_regression(p, "y", ["x"], unit="unit").set_index("term")
    ols = sm.OLS(p["y"], sm.add_constant(p[["x"]])).fit()
    assert out.loc["x", "estimate"] == pytest.approx(ols.params["x"], rel=1e-10)
    fe = lk.eiv_regression(p, "y", ["x"], unit="unit", time="time", fixed_effects=True,
                           time_effects=True).set_index("term")
    ref = PanelOLS(p.set_index(["unit", "time"])["y"], p.set_index(["unit", "time"])[["x"]],
                   entity_effects=True, time_effects=True).fit(cov_type="clustered",
                                                               cluster_entity=True)
    assert fe.loc["x", "estimate"] == pytest.approx(ref.params["x"], rel=1e-8)
    # linearmodels' clustered SE uses the same sandwich up to small-sample factors (< 10% here)
    assert fe.loc["x", "se"] == pytest.approx(ref.std_errors["x"], rel=0.1)


def test_eiv_removes_attenuation_with_heterogeneous_error_and_covers() -> None:
    rng = np.random.default_rng(30)
    hits, ests, ols = [], [], []
    for _ in range(150):
        n = 400
        true_x = rng.normal(size=n)
        z = rng.normal(size=n)
        ev = 0.6 / rng.integers(1, 6, n)  # group means of 1..5 respondents
        d = pd.DataFrame({"x": true_x + rng.normal(0, np.sqrt(ev)), "ev": ev, "z": z})
        d["y"] = 0.5 * true_x + 0.3 * z + rng.normal(size=n)
        row = lk.eiv_regression(d, "y", ["x", "z"], {"x": "ev"}).set_index("term").loc["x"]
        hits.append(row.ci_low < 0.5 < row.ci_high)
        ests.append(row.estimate)
        ols.append(row.ols_estimate)
    assert 0.90 <= np.mean(hits) <= 0.99
    assert abs(np.mean(ests) - 0.5) < 3 * np.std(ests) / np.sqrt(len(ests))
    assert np.mean(ols) < 0.45  # OLS is attenuated


def test_eiv_rejects_error_variance_larger_than_signal() -> None:
    d = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0), "ev": 100.0})
    with pytest.raises(ValueError, match="not positive definite"):
        lk.eiv_regression(d, "y", ["x"], {"x": "ev"})
    with pytest.raises(ValueError, match="not the outcome or a predictor"):
        lk.eiv_regression(d, "y", ["x"], {"w": "ev"})


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
    ours = lk.aggregation_indices(d, "group", ["y"], warn=False).iloc[0]
    assert ours["icc1"] == pytest.approx(ref.loc["ICC(1,1)", "ICC"], abs=1e-10)
    lo, hi = ref.loc["ICC(1,1)", "CI95"]
    assert ours["icc1_ci_low"] == pytest.approx(lo, abs=0.006)  # pingouin rounds to 2 dp
    assert ours["icc1_ci_high"] == pytest.approx(hi, abs=0.006)
    assert ours["icc2"] == pytest.approx(ref.loc["ICC(1,k)", "ICC"], abs=1e-10)


def test_eiv_fixed_effects_on_noisy_panel_matches_same_estimator_on_true_values() -> None:
    # Reference: the identical fixed-effects cross-lagged estimator applied to the error-free
    # series. With unit FE the demeaning correlates the errors of a unit's rows, and a firm-year
    # mean enters both as an outcome and as the next row's lag; the correction must handle both.
    rng = np.random.default_rng(44)
    p = lk.simulate_var_panel(n_units=600, n_periods=8, coefs={("x", "y"): 0.3}, unit_sd=0.7,
                              seed=44)
    true = lk.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False,
                                 fixed_effects=True).set_index(["from", "to"])
    noisy = p.copy()
    for v in ("x", "y"):
        noisy[f"ev_{v}"] = 0.4 / rng.integers(1, 4, len(p))
        noisy[v] = p[v] + rng.normal(0, np.sqrt(noisy[f"ev_{v}"]))
    est = lk.cross_lagged_panel(noisy, "unit", "time", ["x", "y"], standardize_vars=False,
                                fixed_effects=True,
                                error_variance={"x": "ev_x", "y": "ev_y"}).set_index(["from", "to"])
    for key in [("x", "y"), ("y", "y"), ("x", "x")]:
        assert abs(est.loc[key, "estimate"] - true.loc[key, "estimate"]) < 3 * est.loc[key, "se"]
    # the uncorrected estimate of a persistence term is attenuated well beyond its SE
    gap = true.loc[("y", "y"), "estimate"] - est.loc[("y", "y"), "ols_estimate"]
    assert gap > 2 * est.loc[("y", "y"), "se"]


# ------------------------------------------------------------------ study helpers


def test_logit_associations_match_statsmodels_and_recover_truth() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(13)
    n = 5000
    d = pd.DataFrame({"x": rng.normal(2, 3, n), "grp": rng.choice(["a", "b"], n)})
    eta = -1 + 0.2 * d["x"] + 0.5 * (d["grp"] == "b")
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    out = lk.logit_associations(d, "y", ["x"], controls=["grp"], per_sd=False).iloc[0]
    ref = sm.Logit(d["y"], sm.add_constant(
        pd.DataFrame({"x": d["x"], "b": (d["grp"] == "b").astype(float)}))).fit(disp=0)
    assert out["coef"] == pytest.approx(ref.params["x"], rel=1e-6)
    assert out["se"] == pytest.approx(ref.bse["x"], rel=1e-6)
    assert out["ci_low"] < np.exp(0.2) < out["ci_high"]
    with pytest.raises(ValueError, match="must be 0/1"):
        lk.logit_associations(d.assign(y=d["y"] * 2), "y", ["x"])


def test_mediation_categorical_covariates_equal_manual_dummies() -> None:
    rng = np.random.default_rng(14)
    d = _chain(300, 0.5, 0.4, 0.0, rng)
    d["industry"] = rng.choice(["retail", "banking", "telecom"], 300)
    d["y"] = d["y"] + 1.0 * (d["industry"] == "banking")
    cat = lk.mediation(d, "ex", "cx", "y", covariates=["industry"], n_boot=50, seed=0)
    dummies = pd.get_dummies(d["industry"], drop_first=True, dtype=float)
    manual = lk.mediation(pd.concat([d, dummies], axis=1), "ex", "cx", "y",
                          covariates=list(dummies.columns), n_boot=50, seed=0)
    pd.testing.assert_frame_equal(cat.to_frame(), manual.to_frame())


def test_linkage_model_on_simulated_study_recovers_ex_to_cx() -> None:
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=400, n_years=8), seed=3)
    panel = lk.linkage_panel(s.firm_years, s.employees, s.customers)
    assert {"ex", "cx", "ev_ex", "ev_cx", "n_ex", "n_cx"} <= set(panel.columns)
    assert len(panel) == len(s.firm_years)
    out = lk.linkage_model(panel).set_index("term")
    target = s.truth["ex_to_cx"] * s.truth["sd_ex_latent"] / s.truth["sd_cx_latent"]
    row = out.loc["ex"]
    assert abs(row.estimate - target) < 3 * row.se
    assert row.ols_estimate < 0.6 * target  # noisy means attenuate the naive estimate
    # the reliability estimate agrees with the answer key's (true scores are in s.latent)
    merged = panel.merge(s.latent[["firm_id", "year"]].assign(ex_true=s.latent["ex"]))
    true_rel = np.corrcoef(merged["ex"], merged["ex_true"])[0, 1] ** 2
    est_rel = 1 - panel["ev_ex"].mean() / panel["ex"].var()
    assert est_rel == pytest.approx(true_rel, abs=0.08)


# ------------------------------------------------ notebook helpers (preparing and translating)


def test_add_group_key_and_reverse_items_match_manual_recoding() -> None:
    d = pd.DataFrame({"firm_id": ["F1", "F1", "F2"], "year": [2020, 2021, 2020],
                      "culture_4": [1, 4, 5], "culture_1": [2, 3, 4]})
    before = d.copy()
    keyed = lk.add_group_key(d, ["firm_id", "year"], name="firm_year")
    assert keyed["firm_year"].tolist() == [f"{f}|{y}" for f, y in zip(d["firm_id"], d["year"])]
    rev = lk.reverse_items(d, {"culture_4": (1, 5)})
    assert rev["culture_4"].tolist() == [5, 2, 1]  # 6 - x by hand
    assert rev["culture_1"].tolist() == d["culture_1"].tolist()
    pd.testing.assert_frame_equal(lk.reverse_items(rev, {"culture_4": (1, 5)}), d)  # involution
    pd.testing.assert_frame_equal(d, before)  # input untouched
    with pytest.raises(ValueError, match=r"'culture_4': 1 value\(s\) outside 1..4 at rows \[2\]"):
        lk.reverse_items(d, {"culture_4": (1, 4)})
    with pytest.raises(ValueError, match="nope"):
        lk.add_group_key(d, ["firm_id", "nope"])


def test_mean_reliability_and_true_score_z_recover_simulated_true_scores() -> None:
    rng = np.random.default_rng(11)
    n, ev = 4000, 0.5
    true = rng.normal(0.0, 1.0, n)
    p = pd.DataFrame({"x": true + rng.normal(0.0, np.sqrt(ev), n), "ev": ev})
    # classical test theory: reliability = var(true) / (var(true) + ev) = 1 / 1.5
    assert lk.mean_reliability(p, "x", "ev") == pytest.approx(1 / 1.5, abs=0.02)
    z = lk.true_score_z(p, "x", "ev")
    # a one-SD difference in the true score is one unit of z: slope of z on true is ~1
    assert np.polyfit(true, z, 1)[0] == pytest.approx(1.0, abs=0.04)
    assert z.mean() == pytest.approx(0.0, abs=1e-12)
    # closed form: z * sqrt(var - ev) + mean reproduces x
    back = z * np.sqrt(p["x"].var() - ev) + p["x"].mean()
    np.testing.assert_allclose(back, p["x"])
    with pytest.raises(ValueError, match="no true-score variance"):
        lk.true_score_z(p.assign(ev=5.0), "x", "ev")


def test_log_percent_and_firm_means_match_numpy_and_pandas() -> None:
    rng = np.random.default_rng(3)
    p = pd.DataFrame({"firm_id": np.repeat(["c", "a", "b"], 4), "ex": rng.normal(size=12),
                      "cost": rng.uniform(1, 2, 12)})
    out = lk.firm_means(p, ["ex", "cost"], standardized=["ex"], log_pct={"cost_pct": "cost"})
    assert out.index.tolist() == ["a", "b", "c"]
    for f in ["a", "b", "c"]:
        assert out.loc[f, "ex"] == pytest.approx(p.loc[p["firm_id"] == f, "ex"].mean())
    np.testing.assert_allclose(out["ex_z"], stats.zscore(out["ex"], ddof=1))
    np.testing.assert_allclose(out["cost_pct"], 100 * np.log(out["cost"]))
    with pytest.raises(ValueError, match="non-positive"):
        lk.log_percent(pd.Series([1.0, 0.0], name="cost"))
    with pytest.raises(ValueError, match="must also be listed"):
        lk.firm_means(p, ["ex"], standardized=["cost"])


def test_mediation_by_outcome_equals_single_calls() -> None:
    rng = np.random.default_rng(4)
    d = pd.DataFrame({"x": rng.normal(size=150)})
    d["m"] = 0.5 * d["x"] + rng.normal(size=150)
    d["y1"] = 0.4 * d["m"] + rng.normal(size=150)
    d["y2"] = -0.3 * d["m"] + rng.normal(size=150)
    out = lk.mediation_by_outcome(d, "x", "m", ["y1", "y2"], n_boot=40, seed=1)
    for y in ["y1", "y2"]:
        single = lk.mediation(d, "x", "m", y, n_boot=40, seed=1).to_frame()
        got = out[out["outcome"] == y].drop(columns="outcome").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, single)


def test_event_rate_by_group_matches_statsmodels_wilson() -> None:
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(5)
    d = pd.DataFrame({"calls": rng.integers(0, 4, 500)})
    d["churn"] = (rng.uniform(size=500) < 0.1 + 0.1 * d["calls"]).astype(int)
    out = lk.event_rate_by_group(d, "churn", "calls").set_index("calls")
    for c, grp in d.groupby("calls"):
        x, n = int(grp["churn"].sum()), len(grp)
        lo, hi = proportion_confint(x, n, method="wilson")
        assert out.loc[c, "n"] == n
        assert out.loc[c, "rate_pct"] == pytest.approx(100 * x / n)
        assert (out.loc[c, "ci_low"], out.loc[c, "ci_high"]) == pytest.approx((100 * lo, 100 * hi))
    with pytest.raises(ValueError, match="not 0/1"):
        lk.event_rate_by_group(d.assign(churn=2), "churn", "calls")


def test_true_value_helpers_closed_forms() -> None:
    t = {"ex_to_cx": 0.4, "ex_lag_to_cx": 0.2, "cx_lag_to_ex": 0.1,
         "performance_lag_to_ex": 0.03, "leader_effect_cx": 0.25, "sd_ex_latent": 0.8,
         "sd_cx_latent": 1.6, "cx_to_revenue_growth": 2.0, "cx_to_cost_to_serve": -4.0}
    link = lk.true_linkage_effects(t).set_index("term")["true_value"]
    assert link.to_dict() == pytest.approx({"ex": 0.2, "ex_lag": 0.1, "has_cx_leader": 0.15625})
    assert lk.true_linkage_effects({})["true_value"].isna().all()
    paths = lk.true_cross_lagged_paths(t, sd_growth=4.0)
    assert paths["true_value"].tolist() == pytest.approx([0.1, 0.2, 0.15, 0.0])
    lat = pd.DataFrame({"firm_id": ["A", "A", "B", "B", "C", "C"],
                        "ex": [0.0, 2.0, 1.0, 3.0, 5.0, 5.0], "cx": [1.0, 1.0, 2.0, 4.0, 0.0, 0.0]})
    # by hand: firm means ex = 1, 2, 5 (SD sqrt(13/3)); cx = 1, 3, 0 (SD sqrt(7/3))
    sdx, sdc = np.sqrt(13 / 3), np.sqrt(7 / 3)
    chain = lk.true_chain_effects(t, lat).set_index(["outcome", "effect"])["true_value"]
    a = 0.6 * sdx / sdc
    assert chain["revenue_growth", "a"] == pytest.approx(a)
    assert chain["revenue_growth", "indirect"] == pytest.approx(a * 2.0 * sdc)
    assert chain["log_cost_pct", "b"] == pytest.approx(100 * np.log(0.96) * sdc)
    assert chain["log_cost_pct", "direct"] == 0.0


def test_true_values_are_recovered_by_the_estimators_on_a_simulated_study() -> None:
    """Seeded study with known truth: translated true values sit inside the estimates'
    ranges where the design identifies them (a wrong SD ratio would fall outside)."""
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=400, n_years=8), seed=3)
    panel = lk.linkage_panel(s.firm_years, s.employees, s.customers)
    link = lk.linkage_model(panel).merge(lk.true_linkage_effects(s.truth), on="term")
    for term in ["ex", "has_cx_leader"]:
        row = link.set_index("term").loc[term]
        assert abs(row["estimate"] - row["true_value"]) < 3 * row["se"], term
    # the truth table's keys match the estimator's rows (from, to, lag)
    clpm = lk.cross_lagged_panel(panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
                                 error_variance={"ex": "ev_ex", "cx": "ev_cx"},
                                 contemporaneous={"cx": ["ex"]}, controls=["has_cx_leader"])
    paths = lk.true_cross_lagged_paths(s.truth, panel["revenue_growth"].std(ddof=1))
    assert len(clpm.merge(paths, on=["from", "to", "lag"])) == 4
    # between firms, the EX -> CX -> cost chain (no reverse path in the simulation) is covered
    firm = lk.firm_means(panel, ["ex", "cx", "cost_to_serve"], standardized=["ex", "cx"],
                         log_pct={"log_cost_pct": "cost_to_serve"})
    med = lk.mediation_by_outcome(firm, "ex_z", "cx_z", ["log_cost_pct"], n_boot=200, seed=0)
    med = med.merge(lk.true_chain_effects(s.truth, s.latent), on=["outcome", "effect"])
    for effect in ["b", "indirect"]:
        row = med.set_index("effect").loc[effect]
        assert row["ci_low"] <= row["true_value"] <= row["ci_high"], effect


def test_nested_wave_matches_manual_merge_and_zscores() -> None:
    rng = np.random.default_rng(6)
    cus = pd.DataFrame({"firm_id": rng.choice(["A", "B", "C"], 60), "year": rng.integers(1, 3, 60),
                        "nps": rng.integers(0, 11, 60)})
    fy = pd.DataFrame({"firm_id": ["A", "B", "C"] * 2, "year": [1, 1, 1, 2, 2, 2],
                       "ex": rng.normal(size=6)})
    out = lk.nested_wave(cus, fy, 2, "nps", "ex")
    manual = cus[cus["year"] == 2].merge(fy, on=["firm_id", "year"])
    assert len(out) == len(manual)
    np.testing.assert_allclose(out["nps_z"], stats.zscore(manual["nps"], ddof=1))
    np.testing.assert_allclose(out["ex_z"], stats.zscore(manual["ex"], ddof=1))
    assert out["firm_id"].tolist() == manual["firm_id"].tolist()
    with pytest.raises(ValueError, match="no rows"):
        lk.nested_wave(cus, fy, 9, "nps", "ex")
