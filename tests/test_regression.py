"""Tests for cxresearch.linkage.regression: the cluster sandwich by hand, its coverage,
statsmodels' Logit,
and the transforms against numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch.linkage import regression as rg


def test_cluster_se_equals_hand_computed_sandwich() -> None:
    rng = np.random.default_rng(2)
    n_g, size = 15, 8
    g = np.repeat(np.arange(n_g), size)
    x = rng.normal(size=n_g * size) + rng.normal(size=n_g)[g]
    y = 1.0 + 0.3 * x + rng.normal(size=n_g)[g] + rng.normal(size=len(g))
    d = pd.DataFrame({"g": g, "x": x, "y": y})
    out = rg.linkage_regression(d, "y ~ x", cluster="g").to_frame().set_index("term")
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
        out = rg.linkage_regression(pd.DataFrame({"g": g, "x": x, "y": y}), "y ~ x", cluster="g")
        row = out.to_frame().set_index("term").loc["x"]
        hits.append(row.ci_low < 0.3 < row.ci_high)
    assert 0.90 <= np.mean(hits) <= 0.99


def test_logit_associations_match_statsmodels_and_recover_truth() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(13)
    n = 5000
    d = pd.DataFrame({"x": rng.normal(2, 3, n), "grp": rng.choice(["a", "b"], n)})
    eta = -1 + 0.2 * d["x"] + 0.5 * (d["grp"] == "b")
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    out = rg.logit_associations(d, "y", ["x"], controls=["grp"], per_sd=False).to_frame().iloc[0]
    ref = sm.Logit(d["y"], sm.add_constant(
        pd.DataFrame({"x": d["x"], "b": (d["grp"] == "b").astype(float)}))).fit(disp=0)
    assert out["coef"] == pytest.approx(ref.params["x"], rel=1e-6)
    assert out["se"] == pytest.approx(ref.bse["x"], rel=1e-6)
    assert out["ci_low"] < np.exp(0.2) < out["ci_high"]
    with pytest.raises(ValueError, match="must be 0/1"):
        rg.logit_associations(d.assign(y=d["y"] * 2), "y", ["x"])


def test_level_sets_the_t_and_normal_intervals() -> None:
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"x": rng.normal(size=300), "g": np.repeat(np.arange(30), 10)})
    d["y"] = 0.2 * d["x"] + rng.normal(size=300)
    d["e"] = (rng.random(300) < 1 / (1 + np.exp(-d["x"]))).astype(int)
    fit90 = rg.linkage_regression(d, "y ~ x", cluster="g", level=0.90)
    r = fit90.to_frame().set_index("term").loc["x"]
    t = stats.t.ppf(0.95, 29)
    assert r.ci_high == pytest.approx(r.estimate + t * r.se, rel=1e-12)
    # conf_int(level=) recomputes the same t interval from another fit's estimates and SEs
    fit = rg.linkage_regression(d, "y ~ x", cluster="g")
    np.testing.assert_allclose(fit.conf_int(0.90)[["ci_low", "ci_high"]],
                               fit90.to_frame()[["ci_low", "ci_high"]], rtol=1e-12)
    assert "clustered by 'g' (30 clusters)" in fit.summary()
    or80 = rg.logit_associations(d, "e", ["x"], level=0.80)
    lo = or80.to_frame().iloc[0]
    z = stats.norm.ppf(0.9)
    assert lo["ci_low"] == pytest.approx(np.exp(lo["coef"] - z * lo["se"]), rel=1e-12)
    ors = rg.logit_associations(d, "e", ["x"])
    np.testing.assert_allclose(ors.conf_int(0.80)[["ci_low", "ci_high"]],
                               or80.to_frame()[["ci_low", "ci_high"]], rtol=1e-12)
    assert "80% CIs" in or80.summary() and "odds ratio" in ors.summary()
    from cxresearch.core.results import check_result_class
    assert check_result_class(rg.RegressionResult) == check_result_class(
        rg.OddsRatioResult) == []
    with pytest.raises(ValueError, match="level"):
        rg.linkage_regression(d, "y ~ x", level=1.5)


def test_rows_missing_outside_the_formula_are_kept() -> None:
    rng = np.random.default_rng(2)
    d = pd.DataFrame({"x": rng.normal(size=100), "other": np.nan})
    d["y"] = d["x"] + rng.normal(size=100)
    out = rg.linkage_regression(d, "y ~ x").to_frame()
    assert out["n_obs"].iloc[0] == 100
    cols = pd.DataFrame(columns=["y", "x", "g", "a b", "z"])
    assert rg.formula_columns('y ~ np.log(x) + C(g) + Q("a b")', cols) == ["y", "x", "g", "a b"]


def test_standardize_and_log_percent_closed_forms() -> None:
    s = pd.Series([2.0, 4.0, np.nan, 9.0], name="v")
    np.testing.assert_allclose(rg.standardize(s).dropna(), stats.zscore([2.0, 4.0, 9.0], ddof=1))
    np.testing.assert_allclose(rg.log_percent(pd.Series([1.0, np.e])), [0.0, 100.0])
    with pytest.raises(ValueError, match="'v': cannot standardize"):
        rg.standardize(pd.Series([1.0, 1.0], name="v"))
    with pytest.raises(ValueError, match="non-positive"):
        rg.log_percent(pd.Series([1.0, -1.0], name="cost"))
