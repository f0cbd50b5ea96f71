"""Notebook 04's exercises and its collinear case against independent computations: Shapley
shares by brute force over every subset's least-squares R^2, betas from statsmodels, and the
bootstrap redone by hand on the same resamples."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from cxresearch import exercises
from cxresearch.linkage.drivers import beta_shapley_stability, bootstrap_betas
from cxresearch.simulate.ecsi import simulate_ecsi_survey
from cxresearch.simulate.failures import collinear_drivers
from cxresearch.studies.key_drivers_04 import collinear_findings


def _r2(x: np.ndarray, y: np.ndarray) -> float:
    if x.shape[1] == 0:
        return 0.0
    x1 = np.column_stack([np.ones(len(y)), x])
    resid = y - x1 @ np.linalg.lstsq(x1, y, rcond=None)[0]
    return float(1 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


def _shapley(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """LMG by brute force: R^2 of every subset by least squares (the normal equations of the
    centred data: R^2 = c_S' G_SS^-1 c_S / y'y), Shapley weights."""
    p = x.shape[1]
    xc, yc = x - x.mean(axis=0), y - y.mean()
    gram, cross, tss = xc.T @ xc, xc.T @ yc, yc @ yc

    def r2_of(s: tuple[int, ...]) -> float:
        idx = list(s)
        return float(cross[idx] @ np.linalg.solve(gram[np.ix_(idx, idx)], cross[idx]) / tss
                     ) if idx else 0.0

    r2 = {s: r2_of(s) for k in range(p + 1) for s in combinations(range(p), k)}
    out = np.zeros(p)
    for j in range(p):
        for s, v in r2.items():
            if j in s:
                continue
            w = factorial(len(s)) * factorial(p - len(s) - 1) / factorial(p)
            out[j] += w * (r2[tuple(sorted((*s, j)))] - v)
    return out


def _std_betas(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    return sm.OLS((y - y.mean()) / y.std(), sm.add_constant(z)).fit().params[1:]


@pytest.fixture(scope="module")
def ecsi() -> tuple[np.ndarray, np.ndarray, list[str]]:
    items = simulate_ecsi_survey(n=1000, seed=0).data
    drivers = [c for c in items if c.startswith(("PERQ", "PERV", "IMAG"))]
    y = items[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1).to_numpy(float)
    return items[drivers].to_numpy(float), y, drivers


def test_04_1_and_04_2_against_brute_force_shapley_and_statsmodels(ecsi) -> None:
    x, y, drivers = ecsi
    shares = pd.Series(_shapley(x, y), index=drivers)  # 2^14 least-squares fits
    assert shares.sum() == pytest.approx(_r2(x, y))
    assert exercises.solution("04.1") == shares.idxmax()
    betas = pd.Series(np.abs(_std_betas(x, y)), index=drivers)
    same = list(shares.rank(ascending=False)) == list(betas.rank(ascending=False))
    assert exercises.solution("04.2") == ("yes" if same else "no")
    if betas.idxmax() != shares.idxmax():
        assert "largest regression beta" in exercises.check("04.1", betas.idxmax()).message


def _by_hand(r: float, n_boot: int = 200) -> tuple[float, float]:
    """Widths of d1's 95% intervals (beta, Shapley percent of R^2), resampled by hand."""
    data = collinear_drivers(r=r, seed=0).data
    x, y = data[["d1", "d2", "d3", "d4"]].to_numpy(), data["y"].to_numpy()
    rng = np.random.default_rng(0)
    betas, shares = [], []
    for _ in range(n_boot):
        i = rng.integers(0, len(y), len(y))
        betas.append(_std_betas(x[i], y[i])[0])
        s = _shapley(x[i], y[i])
        shares.append(100 * s[0] / s.sum())
    width = [float(np.diff(np.quantile(v, [0.025, 0.975]))[0]) for v in (betas, shares)]
    return width[0], width[1]


def test_04_4_against_a_bootstrap_by_hand() -> None:
    (b_lo, s_lo), (b_hi, s_hi) = _by_hand(0.5), _by_hand(0.95)
    expected = {(True, False): "the beta's", (False, True): "the Shapley share's",
                (True, True): "both", (False, False): "neither"}[(b_hi > b_lo, s_hi > s_lo)]
    assert exercises.solution("04.4") == expected == "the beta's"
    message = exercises.check("04.4", expected).message
    assert f"from {b_lo:.2f} to {b_hi:.2f}" in message
    assert f"from {s_lo:.1f} to {s_hi:.1f}" in message
    assert "steadier" in exercises.check("04.4", "both").message
    assert "other way round" in exercises.check("04.4", "the Shapley share's").message
    assert exercises.catalog().set_index("id").loc["04.4", "predict"]


def test_bootstrap_betas_use_the_resamples_of_shapley_importance() -> None:
    case = collinear_drivers(seed=0)
    drivers = case.model["y"]
    x, y = case.data[drivers].to_numpy(), case.data["y"].to_numpy()
    draws = bootstrap_betas(case.data, "y", drivers, n_boot=20, seed=3)
    rng = np.random.default_rng(3)
    for b in range(20):
        i = rng.integers(0, len(y), len(y))
        np.testing.assert_allclose(draws[b], _std_betas(x[i], y[i]), atol=1e-10)
    s = beta_shapley_stability(case.data, "y", drivers, n_boot=20, seed=3)
    rng = np.random.default_rng(3)
    first = rng.integers(0, len(y), len(y))
    expected = 100 * _shapley(x[first], y[first]) / _shapley(x[first], y[first]).sum()
    np.testing.assert_allclose(s.shapley._measure_draws("rescaled")[0], expected, atol=1e-8)
    with pytest.raises(Exception, match="complete rows"):
        bootstrap_betas(case.data.assign(d1=case.data["d1"].where(case.data.index > 0)), "y",
                        drivers)


def test_the_collinear_case_fails_as_its_truth_says() -> None:
    case = collinear_drivers(seed=0)
    s = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=200, seed=0)
    t = s.table
    # the tied drivers: rank intervals overlap, their betas move far more than their shares
    assert t.loc["d1", "rank_ci_low"] <= t.loc["d2", "rank_ci_high"]
    assert t.loc["d2", "rank_ci_low"] <= t.loc["d1", "rank_ci_high"]
    assert (t.loc[["d1", "d2"], "beta_spread"] > 3 * t.loc[["d1", "d2"], "shapley_spread"]).all()
    flips = (np.sign(s.betas[:, 0]) != np.sign(t.loc["d1", "beta"])).mean()
    assert t.loc["d1", "opposite_sign"] == pytest.approx(flips) and flips > 0
    texts = [f.text for f in collinear_findings(s, case.truth)]
    assert "which overlap" in texts[0] and "not distinguishable after Holm" in texts[0]
    assert f"{t.loc['d1', 'beta']:.2f}" in texts[1] and f"{flips:.1%}" in texts[1]
    if t.loc["d1", "rank_beta"] > t.loc["d3", "rank_beta"]:  # d3's true coefficient is smaller
        assert "behind d3" in texts[1]
    r2 = (case.data[["y", "d1", "d2"]].corr().loc[["d1", "d2"], "y"] ** 2).sum()
    assert f"add up to {r2:.2f}, more than" in texts[3]
    assert not any(f.claims_effect for f in collinear_findings(s, case.truth))
