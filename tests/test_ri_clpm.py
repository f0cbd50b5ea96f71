"""Tests for cxresearch.linkage.ri_clpm: lavaan 0.6.14 reference values, an independent Gaussian
likelihood maximised with scipy, recovery of known within-unit paths where the pooled
cross-lagged panel is biased, a short coverage check, and clear errors on bad input.

The reference panel ``tests/data/ri_clpm/panel.csv`` (synthetic, 150 units x 4 periods) was
written once with::

    p = simulate_ri_clpm_panel(n_units=150, n_periods=4, coefs={("x", "y"): 0.25,
                               ("y", "x"): 0.05}, intercept_corr=0.5, seed=23)
    rng = np.random.default_rng(23)
    p["ev_x"] = np.round(rng.uniform(0.1, 0.3, len(p)), 4)
    p["x"] = np.round(p["x"] + rng.normal(size=len(p)) * np.sqrt(p["ev_x"]), 6)
    p["y"] = np.round(p["y"], 6)

and the lavaan values below come from ``Rscript scripts/r/ri_clpm_reference.R
tests/data/ri_clpm/panel.csv`` (R 4.2.2, lavaan 0.6.14, Debian r-cran-lavaan).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxresearch as cx
from cxresearch.core.paths import TESTS_DIR
from cxresearch.linkage.ri_clpm import RiClpmResult, ri_clpm
from cxresearch.simulate.linkage import simulate_ri_clpm_panel

PANEL = TESTS_DIR / "data" / "ri_clpm" / "panel.csv"

#: lavaan 0.6.14, model A (plain RI-CLPM): label -> (estimate, se)
LAVAAN_A = {
    "b_0_0": (0.523126153942521, 0.078469502870634),
    "b_1_0": (0.0418790253576249, 0.0691483753179879),
    "b_0_1": (0.191415821535638, 0.0653456553060058),
    "b_1_1": (0.318500745724305, 0.0760345878503118),
    "phi_0_0": (1.18622456127682, 0.280666786300019),
    "phi_1_1": (1.19130919050149, 0.227127881221989),
    "r_ri": (0.596990208640645, 0.111585199307284),
}
LAVAAN_A_CHI2 = 12.967
#: model B: x's error variance fixed at the period mean of ev_x, same-period x(t) -> y(t)
LAVAAN_B = {
    "b_0_0": (0.667310314701741, 0.0864758017787054),
    "b_1_0": (0.0388029558423764, 0.0680828602599955),
    "b_0_1": (0.238072876615659, 0.0728630227975953),
    "b_1_1": (0.3458203219584, 0.0769839455135336),
    "c_0_1": (-0.0121515050012402, 0.0659247400135253),
    "phi_0_0": (0.95982555369552, 0.38606317947109),
    "phi_1_1": (1.13174254164084, 0.241697184035305),
    "r_ri": (0.613711534249896, 0.145786856867441),
}
LAVAAN_B_CHI2 = 18.433

#: lavaan label -> (kind, from, to) in RiClpmResult.to_frame() (0 = x, 1 = y)
ROWS = {
    "b_0_0": ("autoregression", "x", "x"), "b_1_1": ("autoregression", "y", "y"),
    "b_1_0": ("cross-lag", "y", "x"), "b_0_1": ("cross-lag", "x", "y"),
    "c_0_1": ("contemporaneous", "x", "y"),
    "phi_0_0": ("intercept variance", "x", "x"), "phi_1_1": ("intercept variance", "y", "y"),
    "r_ri": ("intercept correlation", "x", "y"),
}


def _indexed(res: RiClpmResult) -> pd.DataFrame:
    return res.to_frame().set_index(["kind", "from", "to"])


@pytest.fixture(scope="module")
def reference_panel() -> pd.DataFrame:
    return pd.read_csv(PANEL)


@pytest.mark.parametrize("spec", ["A", "B"])
def test_matches_lavaan(reference_panel: pd.DataFrame, spec: str) -> None:
    kwargs = {} if spec == "A" else {"error_variance": {"x": "ev_x"},
                                     "contemporaneous": {"y": ["x"]}}
    ref, chi2 = (LAVAAN_A, LAVAAN_A_CHI2) if spec == "A" else (LAVAAN_B, LAVAAN_B_CHI2)
    res = ri_clpm(reference_panel, "unit", "time", ["x", "y"], standardize_vars=False,
                  **kwargs)
    out = _indexed(res)
    for label, (est, se) in ref.items():
        row = out.loc[ROWS[label]]
        assert row["estimate"] == pytest.approx(est, abs=2e-5), label
        assert row["se"] == pytest.approx(se, abs=2e-5), label
    assert res.fit["chi2"] == pytest.approx(chi2, abs=1e-3)
    assert (res.n_units, res.n_periods, res.n_dropped) == (150, 4, 0)


def _implied(theta: np.ndarray, k: int, n_t: int) -> np.ndarray:
    """The RI-CLPM's covariance of (x_t1, y_t1, x_t2, ...) written out directly."""
    def chol(v: np.ndarray) -> np.ndarray:
        low = np.zeros((k, k))
        low[np.tril_indices(k)] = v
        return low @ low.T

    m = k * (k + 1) // 2
    b = theta[:k * k].reshape(k, k)
    phi = chol(theta[k * k:k * k + m])
    rest = theta[k * k + m:]
    c = [[None] * n_t for _ in range(n_t)]
    c[0][0] = chol(rest[:m])
    for t in range(1, n_t):
        c[t][t] = b @ c[t - 1][t - 1] @ b.T + chol(rest[t * m:(t + 1) * m])
        for s in range(t):
            c[t][s] = b @ c[t - 1][s]
            c[s][t] = c[t][s].T
    return np.block(c) + np.tile(phi, (n_t, n_t))


def test_matches_an_independent_gaussian_likelihood(reference_panel: pd.DataFrame) -> None:
    """The same model as a plain multivariate normal likelihood, maximised with scipy."""
    from scipy.optimize import minimize

    wide = reference_panel.pivot(index="unit", columns="time", values=["x", "y"])
    x = np.column_stack([wide[(v, t)] for t in sorted(reference_panel["time"].unique())
                         for v in ("x", "y")])
    k, n_t = 2, 4
    s = np.cov(x, rowvar=False, bias=True)

    def objective(theta: np.ndarray) -> float:
        sigma = _implied(theta, k, n_t)
        sign, logdet = np.linalg.slogdet(sigma)
        return np.inf if sign <= 0 else logdet + np.trace(np.linalg.solve(sigma, s))

    start = np.concatenate([[0.3, 0.0, 0.0, 0.3], [1.0, 0.0, 1.0],
                            np.tile([1.0, 0.0, 1.0], n_t)])
    fit = minimize(objective, start, method="BFGS", options={"gtol": 1e-9, "maxiter": 5000})
    b = fit.x[:4].reshape(2, 2)  # row = to, column = from
    out = _indexed(ri_clpm(reference_panel, "unit", "time", ["x", "y"],
                           standardize_vars=False))["estimate"]
    assert out[("autoregression", "x", "x")] == pytest.approx(b[0, 0], abs=1e-4)
    assert out[("cross-lag", "x", "y")] == pytest.approx(b[1, 0], abs=1e-4)
    assert out[("cross-lag", "y", "x")] == pytest.approx(b[0, 1], abs=1e-4)
    assert out[("autoregression", "y", "y")] == pytest.approx(b[1, 1], abs=1e-4)
    phi = _implied(fit.x, k, n_t) - _implied(np.r_[fit.x[:4], np.zeros(3), fit.x[7:]], k, n_t)
    assert out[("intercept variance", "y", "y")] == pytest.approx(phi[1, 1], abs=1e-4)


def test_recovers_within_paths_where_the_pooled_panel_is_biased() -> None:
    """Stable levels correlated 0.7 across x and y, no within path y -> x: the pooled panel
    finds one, the RI-CLPM does not, and recovers x -> y."""
    p = simulate_ri_clpm_panel(n_units=400, n_periods=5, coefs={("x", "y"): 0.2},
                               intercept_sd=1.2, intercept_corr=0.7, seed=11)
    ri = _indexed(ri_clpm(p, "unit", "time", ["x", "y"], standardize_vars=False))
    pooled = cx.cross_lagged_panel(p, "unit", "time", ["x", "y"],
                                   standardize_vars=False).to_frame().set_index(["from", "to"])
    xy, yx = ri.loc[("cross-lag", "x", "y")], ri.loc[("cross-lag", "y", "x")]
    assert xy["ci_low"] < 0.2 < xy["ci_high"] and abs(xy["estimate"] - 0.2) < 0.06
    assert yx["ci_low"] < 0 < yx["ci_high"]
    assert pooled.loc[("y", "x"), "ci_low"] > 0  # the stable trait read as a lagged path
    assert pooled.loc[("x", "x"), "estimate"] > ri.loc[("autoregression", "x", "x"),
                                                       "estimate"] + 0.15
    r = ri.loc[("intercept correlation", "x", "y")]
    assert r["ci_low"] < 0.7 < r["ci_high"]


def test_interval_coverage_quick() -> None:
    """A short coverage check of the 95% Wald intervals of a cross-lag and an autoregression
    (n = 150, T = 4; over 200 draws, outside the tests, they covered 94% and 92.5%)."""
    hits = []
    for seed in range(40):
        p = simulate_ri_clpm_panel(n_units=150, n_periods=4, coefs={("x", "y"): 0.2},
                                   intercept_corr=0.5, seed=100 + seed)
        out = _indexed(ri_clpm(p, "unit", "time", ["x", "y"], standardize_vars=False))
        hits.append([out.loc[key, "ci_low"] < truth < out.loc[key, "ci_high"] for key, truth
                     in ((("cross-lag", "x", "y"), 0.2), (("autoregression", "x", "x"), 0.4))])
    # 40 draws at a true 95%: fewer than 34 hits has a chance below 1%
    assert (np.mean(hits, axis=0) >= 0.85).all(), np.mean(hits, axis=0)


def test_standardized_and_raw_units_are_one_fit(reference_panel: pd.DataFrame) -> None:
    raw = _indexed(ri_clpm(reference_panel, "unit", "time", ["x", "y"],
                           standardize_vars=False))["estimate"]
    std = _indexed(ri_clpm(reference_panel, "unit", "time", ["x", "y"]))["estimate"]
    sd = reference_panel[["x", "y"]].std(ddof=1)
    assert std[("cross-lag", "x", "y")] == pytest.approx(
        raw[("cross-lag", "x", "y")] * sd["x"] / sd["y"], abs=1e-6)
    assert std[("intercept variance", "y", "y")] == pytest.approx(
        raw[("intercept variance", "y", "y")] / sd["y"] ** 2, abs=1e-6)
    assert std[("intercept correlation", "x", "y")] == pytest.approx(
        raw[("intercept correlation", "x", "y")], abs=1e-6)


def test_result_protocol_intervals_and_summary(reference_panel: pd.DataFrame) -> None:
    res = ri_clpm(reference_panel, "unit", "time", ["x", "y"],
                  error_variance={"x": "ev_x"})
    frame = res.to_frame()
    assert list(frame.columns) == ["kind", "from", "to", "lag", "estimate", "se", "ci_low",
                                   "ci_high", "p_value"]
    assert frame.loc[frame["kind"] == "intercept variance", "p_value"].isna().all()
    ci90 = res.conf_int(level=0.9).set_index(["kind", "from", "to"])
    row = ci90.loc[("cross-lag", "x", "y")]
    assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * 1.644854 * row["se"], rel=1e-5)
    corr = ci90.loc[("intercept correlation", "x", "y")]
    assert -1 < corr["ci_low"] < corr["estimate"] < corr["ci_high"] < 1  # Fisher z
    assert 0 < res.within_reliability["x"] < 1 and res.within_reliability["y"] == 1
    assert 0 < res.stable_share["x"] < 1
    text = res.summary()
    assert text.startswith("Random-intercept cross-lagged panel of x, y (150 units x 4")
    assert "within x(t-1) -> y(t)" in text and "reliability of the within-unit" in text
    assert cx.check_result_class(RiClpmResult) == []


def test_incomplete_units_are_left_out_and_counted(reference_panel: pd.DataFrame) -> None:
    gappy = reference_panel.drop(index=[1, 6]).copy()  # U0001 and U0002 lose a period
    gappy.loc[20, "y"] = np.nan  # U0006 loses a value
    res = ri_clpm(gappy, "unit", "time", ["x", "y"])
    assert (res.n_units, res.n_dropped) == (147, 3)
    assert "3 incomplete units left out" in res.summary()


def test_bad_input_is_named(reference_panel: pd.DataFrame) -> None:
    d = reference_panel
    with pytest.raises(cx.DataError, match="'nope'"):
        ri_clpm(d, "unit", "time", ["x", "nope"])
    with pytest.raises(cx.DataError, match=r"duplicates at rows \[600\]"):
        ri_clpm(pd.concat([d, d.iloc[:1]], ignore_index=True), "unit", "time", ["x", "y"])
    with pytest.raises(cx.DataError, match="at least 3"):
        ri_clpm(d[d["time"] < 2], "unit", "time", ["x", "y"])
    with pytest.raises(cx.DataError, match="not equally spaced"):
        ri_clpm(d[d["time"] != 2], "unit", "time", ["x", "y"])
    with pytest.raises(cx.DataError, match="at least two distinct"):
        ri_clpm(d, "unit", "time", ["x"])
    with pytest.raises(cx.DataError, match="loop"):
        ri_clpm(d, "unit", "time", ["x", "y"], contemporaneous={"y": ["x"], "x": ["y"]})
    with pytest.raises(cx.DataError, match="not among the variables"):
        ri_clpm(d, "unit", "time", ["x", "y"], error_variance={"z": "ev_x"})
    with pytest.raises(cx.DataError, match="column 'y' does not vary"):
        ri_clpm(d.assign(y=1.0), "unit", "time", ["x", "y"])
    with pytest.raises(cx.DataError, match="column 'x' must be numeric"):
        ri_clpm(d.assign(x="a"), "unit", "time", ["x", "y"])
    with pytest.raises(cx.DataError, match="units are complete"):
        ri_clpm(d[d["unit"] <= "U0005"], "unit", "time", ["x", "y"])


def test_generator_draws_the_stated_design() -> None:
    p = simulate_ri_clpm_panel(n_units=2000, n_periods=3, intercept_sd={"x": 1.0, "y": 0.5},
                               intercept_corr=0.8, autoregressive=0.0, seed=3)
    means = p.groupby("unit")[["x", "y"]].mean()  # kappa + mean of 3 unit-variance shocks
    assert means["x"].var() == pytest.approx(1.0 + 1 / 3, rel=0.1)
    assert means["y"].var() == pytest.approx(0.25 + 1 / 3, rel=0.1)
    assert means.cov().iloc[0, 1] == pytest.approx(0.8 * 0.5, abs=0.05)
    with pytest.raises(cx.DataError, match="not stationary"):
        simulate_ri_clpm_panel(autoregressive=1.0)
    with pytest.raises(cx.DataError, match="intercept_corr"):
        simulate_ri_clpm_panel(intercept_corr=1.0)


def test_notebook_helpers_put_the_models_side_by_side() -> None:
    from cxresearch.studies.linkage_05 import (
        paths_side_by_side,
        stack_panel_models,
        true_within_paths,
    )

    p = simulate_ri_clpm_panel(n_units=200, n_periods=4,
                               variables=("ex", "cx", "revenue_growth"),
                               coefs={("ex", "cx"): 0.2}, intercept_corr=0.5, seed=4)
    models = {
        "pooled": cx.cross_lagged_panel(p, "unit", "time", ["ex", "cx", "revenue_growth"],
                                        contemporaneous={"cx": ["ex"]}).to_frame(),
        "RI-CLPM": ri_clpm(p, "unit", "time", ["ex", "cx", "revenue_growth"],
                           contemporaneous={"cx": ["ex"]}).to_frame(),
    }
    stacked = stack_panel_models(models)
    assert stacked.groupby("model", sort=False).size().to_dict() == {"pooled": 8, "RI-CLPM": 8}
    assert stacked["cross"].sum() == 8  # four cross-lags in each model
    truth = true_within_paths({"ex_lag_to_cx": 0.2, "cx_lag_to_ex": 0.0,
                               "performance_lag_to_ex": 0.0, "rho_ex": 0.4, "ex_to_cx": 0.0,
                               "cx_to_revenue_growth": 0.0, "sd_ex_latent": 1.0,
                               "sd_cx_latent": 1.0}, sd_growth=1.0)
    side = paths_side_by_side(stacked, truth)
    assert side.index[0] == "EX(t) → CX(t+1), direct"
    assert side.loc["EX(t) → CX(t+1), direct", "true value"] == pytest.approx(0.2)
    ri_est = models["RI-CLPM"].set_index(["kind", "from", "to"]).loc[
        ("cross-lag", "ex", "cx"), "estimate"]
    assert side.loc["EX(t) → CX(t+1), direct", "RI-CLPM: estimate"] == pytest.approx(ri_est)
    assert "CX(t) → growth(t), same year" not in side.index  # not in these models
