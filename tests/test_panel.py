"""Tests for cxresearch.linkage.panel: cross-lagged panels and errors-in-variables regression
against
statsmodels and linearmodels, the same estimator on error-free series, and seeded simulations with
a known truth (bias and 95% CI coverage), including the simulated CX study.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch import simulate as sim
from cxresearch.linkage import panel as pn
from cxresearch.linkage import regression as rg


def test_cross_lagged_pooled_recovers_known_lags_with_coverage() -> None:
    truth = {("x", "y"): 0.25, ("y", "x"): 0.0}
    hits = {k: [] for k in truth}
    for seed in range(60):
        p = sim.simulate_var_panel(n_units=80, n_periods=6, coefs=truth, seed=seed)
        out = pn.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
        out = out.to_frame().set_index(["from", "to"])
        for k, v in truth.items():
            hits[k].append(out.loc[k, "ci_low"] < v < out.loc[k, "ci_high"])
    for k in truth:
        assert 0.85 <= np.mean(hits[k]) <= 1.0, k


def test_unit_effects_bias_pooled_but_fixed_effects_on_long_panel_recover() -> None:
    p = sim.simulate_var_panel(
        n_units=300, n_periods=25, coefs={("x", "y"): 0.2}, unit_sd=1.0, seed=3
    )
    pooled = pn.cross_lagged_panel(p, "unit", "time", ["x", "y"],
                                   standardize_vars=False).to_frame()
    fe = pn.cross_lagged_panel(
        p, "unit", "time", ["x", "y"], standardize_vars=False, fixed_effects=True
    ).to_frame()
    ar_pooled = pooled.set_index(["from", "to"]).loc[("y", "y"), "estimate"]
    fe = fe.set_index(["from", "to"])
    assert ar_pooled > 0.6  # stable unit differences masquerade as persistence (truth .4)
    # Nickell bias of the AR term is about -(1 + rho) / (T - 1) = -0.06 at T = 25
    assert fe.loc[("y", "y"), "estimate"] == pytest.approx(0.4 - 1.4 / 24, abs=0.04)
    assert fe.loc[("x", "y"), "estimate"] == pytest.approx(0.2, abs=0.05)


def test_cross_lagged_respects_gaps_and_rejects_duplicates() -> None:
    p = sim.simulate_var_panel(n_units=30, n_periods=5, seed=1)
    gap = p[p["time"] != 2]
    out = pn.cross_lagged_panel(gap, "unit", "time", ["x", "y"]).to_frame()
    # pairs (0,1) and (3,4) remain: 2 per unit
    assert out["n_obs"].iloc[0] == 2 * 30
    with pytest.raises(ValueError, match="duplicates"):
        pn.cross_lagged_panel(pd.concat([p, p.iloc[:1]]), "unit", "time", ["x", "y"])


def test_eiv_without_error_is_ols_and_fe_matches_linearmodels() -> None:
    import statsmodels.api as sm
    from linearmodels.panel import PanelOLS

    p = sim.simulate_var_panel(n_units=60, n_periods=6, coefs={("x", "y"): 0.3}, unit_sd=1.0,
                              seed=2)
    out = pn.eiv_regression(p, "y", ["x"], unit="unit").to_frame().set_index("term")
    ols = sm.OLS(p["y"], sm.add_constant(p[["x"]])).fit()
    assert out.loc["x", "estimate"] == pytest.approx(ols.params["x"], rel=1e-10)
    fe = pn.eiv_regression(p, "y", ["x"], unit="unit", time="time", fixed_effects=True,
                           time_effects=True).to_frame().set_index("term")
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
        fit = pn.eiv_regression(d, "y", ["x", "z"], {"x": "ev"})
        row = fit.to_frame().set_index("term").loc["x"]
        hits.append(row.ci_low < 0.5 < row.ci_high)
        ests.append(row.estimate)
        ols.append(row.ols_estimate)
    assert 0.90 <= np.mean(hits) <= 0.99
    assert abs(np.mean(ests) - 0.5) < 3 * np.std(ests) / np.sqrt(len(ests))
    assert np.mean(ols) < 0.45  # OLS is attenuated


def test_eiv_rejects_error_variance_larger_than_signal() -> None:
    d = pd.DataFrame({"x": np.arange(10.0), "y": np.arange(10.0), "ev": 100.0})
    with pytest.raises(ValueError, match="not positive definite"):
        pn.eiv_regression(d, "y", ["x"], {"x": "ev"})
    with pytest.raises(ValueError, match="not the outcome or a predictor"):
        pn.eiv_regression(d, "y", ["x"], {"w": "ev"})


def test_eiv_fixed_effects_on_noisy_panel_matches_same_estimator_on_true_values() -> None:
    # Reference: the identical fixed-effects cross-lagged estimator applied to the error-free
    # series. With unit FE the demeaning correlates the errors of a unit's rows, and a firm-year
    # mean enters both as an outcome and as the next row's lag; the correction must handle both.
    rng = np.random.default_rng(44)
    p = sim.simulate_var_panel(n_units=600, n_periods=8, coefs={("x", "y"): 0.3}, unit_sd=0.7,
                              seed=44)
    true = pn.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False,
                                 fixed_effects=True).to_frame().set_index(["from", "to"])
    noisy = p.copy()
    for v in ("x", "y"):
        noisy[f"ev_{v}"] = 0.4 / rng.integers(1, 4, len(p))
        noisy[v] = p[v] + rng.normal(0, np.sqrt(noisy[f"ev_{v}"]))
    est = pn.cross_lagged_panel(noisy, "unit", "time", ["x", "y"], standardize_vars=False,
                                fixed_effects=True,
                                error_variance={"x": "ev_x", "y": "ev_y"})
    est = est.to_frame().set_index(["from", "to"])
    for key in [("x", "y"), ("y", "y"), ("x", "x")]:
        assert abs(est.loc[key, "estimate"] - true.loc[key, "estimate"]) < 3 * est.loc[key, "se"]
    # the uncorrected estimate of a persistence term is attenuated well beyond its SE
    gap = true.loc[("y", "y"), "estimate"] - est.loc[("y", "y"), "ols_estimate"]
    assert gap > 2 * est.loc[("y", "y"), "se"]


def test_linkage_model_on_simulated_study_recovers_ex_to_cx() -> None:
    from cxresearch.simulate import StudyParams, simulate_study

    s = simulate_study(StudyParams(n_firms=400, n_years=8), seed=3)
    panel = pn.linkage_panel(s.firm_years, s.employees, s.customers)
    assert {"ex", "cx", "ev_ex", "ev_cx", "n_ex", "n_cx"} <= set(panel.columns)
    assert len(panel) == len(s.firm_years)
    out = pn.linkage_model(panel).to_frame().set_index("term")
    target = s.truth["ex_to_cx"] * s.truth["sd_ex_latent"] / s.truth["sd_cx_latent"]
    row = out.loc["ex"]
    assert abs(row.estimate - target) < 3 * row.se
    assert row.ols_estimate < 0.6 * target  # noisy means attenuate the naive estimate
    # the reliability estimate agrees with the answer key's (true scores are in s.latent)
    merged = panel.merge(s.latent[["firm_id", "year"]].assign(ex_true=s.latent["ex"]))
    true_rel = np.corrcoef(merged["ex"], merged["ex_true"])[0, 1] ** 2
    est_rel = 1 - panel["ev_ex"].mean() / panel["ex"].var()
    assert est_rel == pytest.approx(true_rel, abs=0.08)


def test_mean_reliability_and_true_score_z_recover_simulated_true_scores() -> None:
    rng = np.random.default_rng(11)
    n, ev = 4000, 0.5
    true = rng.normal(0.0, 1.0, n)
    p = pd.DataFrame({"x": true + rng.normal(0.0, np.sqrt(ev), n), "ev": ev})
    # classical test theory: reliability = var(true) / (var(true) + ev) = 1 / 1.5
    assert pn.mean_reliability(p, "x", "ev") == pytest.approx(1 / 1.5, abs=0.02)
    z = pn.true_score_z(p, "x", "ev")
    # a one-SD difference in the true score is one unit of z: slope of z on true is ~1
    assert np.polyfit(true, z, 1)[0] == pytest.approx(1.0, abs=0.04)
    assert z.mean() == pytest.approx(0.0, abs=1e-12)
    # closed form: z * sqrt(var - ev) + mean reproduces x
    back = z * np.sqrt(p["x"].var() - ev) + p["x"].mean()
    np.testing.assert_allclose(back, p["x"])
    with pytest.raises(ValueError, match="no true-score variance"):
        pn.true_score_z(p.assign(ev=5.0), "x", "ev")


def test_level_of_the_cross_lagged_and_linkage_intervals() -> None:
    p = sim.simulate_var_panel(n_units=80, n_periods=6, coefs={("x", "y"): 0.3}, seed=4)
    res95 = pn.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    r95 = res95.to_frame()
    r90 = pn.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False,
                                level=0.90).to_frame()
    t = stats.t.ppf(0.95, r90["n_units"].iloc[0] - 1)
    np.testing.assert_allclose(r90["ci_high"], r90["estimate"] + t * r90["se"], rtol=1e-12)
    np.testing.assert_allclose(r90["estimate"], r95["estimate"])
    # conf_int(level=) recomputes the fitted intervals on each row's clusters - 1 df
    ci90 = res95.conf_int(0.90)
    np.testing.assert_allclose(ci90[["ci_low", "ci_high"]], r90[["ci_low", "ci_high"]],
                               rtol=1e-12)
    assert list(ci90[["from", "to", "lag"]].itertuples(index=False)) == list(
        r95[["from", "to", "lag"]].itertuples(index=False))
    assert "95% CIs" in res95.summary() and "x(t-1) -> y(t)" in res95.summary()
    fit = pn.linkage_model(p, "y", "x", unit="unit", time="time", controls=(), level=0.5,
                           standardize_vars=False)
    lm = fit.to_frame()
    assert (lm["ci_high"] - lm["ci_low"] < 2 * lm["se"]).all()  # 50% intervals are narrow
    np.testing.assert_allclose(fit.conf_int(0.5)[["ci_low", "ci_high"]],
                               lm[["ci_low", "ci_high"]], rtol=1e-12)
    assert "50% CIs" in fit.summary() and str(fit) == fit.summary()
    from cxresearch.core.results import check_result_class
    assert check_result_class(pn.EIVResult) == check_result_class(pn.CrossLaggedResult) == []


def test_linkage_panel_recodes_the_contracts_reverse_keyed_items_by_default() -> None:
    from cxresearch.core.contract import REVERSE_KEYED, reverse_items

    emp = pd.DataFrame({"firm_id": ["A"] * 3 + ["B"] * 3, "year": 2020,
                        "culture_4": [1, 2, 5, 4, 4, 3], "culture_1": [3, 4, 5, 1, 2, 2]})
    cus = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "year": 2020, "nps": [9, 10, 2, 6]})
    fy = pd.DataFrame({"firm_id": ["A", "B"], "year": [2020, 2020]})
    assert REVERSE_KEYED == ("culture_4",)
    out = pn.linkage_panel(fy, emp, cus, ex_items=["culture_4", "culture_1"], cx_items=["nps"])
    manual = reverse_items(emp)[["culture_4", "culture_1"]].mean(axis=1).groupby(
        emp["firm_id"]).mean()
    np.testing.assert_allclose(out["ex"], manual.to_numpy())


def test_log_percent_and_firm_means_match_numpy_and_pandas() -> None:
    rng = np.random.default_rng(3)
    p = pd.DataFrame({"firm_id": np.repeat(["c", "a", "b"], 4), "ex": rng.normal(size=12),
                      "cost": rng.uniform(1, 2, 12)})
    out = pn.firm_means(p, ["ex", "cost"], standardized=["ex"], log_pct={"cost_pct": "cost"})
    assert out.index.tolist() == ["a", "b", "c"]
    for f in ["a", "b", "c"]:
        assert out.loc[f, "ex"] == pytest.approx(p.loc[p["firm_id"] == f, "ex"].mean())
    np.testing.assert_allclose(out["ex_z"], stats.zscore(out["ex"], ddof=1))
    np.testing.assert_allclose(out["cost_pct"], 100 * np.log(out["cost"]))
    with pytest.raises(ValueError, match="non-positive"):
        rg.log_percent(pd.Series([1.0, 0.0], name="cost"))
    with pytest.raises(ValueError, match="must also be listed"):
        pn.firm_means(p, ["ex"], standardized=["cost"])
