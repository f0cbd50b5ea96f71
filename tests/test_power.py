"""Tests for cxresearch.causal.power: the vectorised estimator is the event study's, the direct
draws
of sufficient statistics match firm-level simulation, and the curves are monotone within their
Monte-Carlo error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.causal import did, power
from cxresearch.core.results import check_result_class


def _panel(rng: np.random.Generator, n: int, big_t: int, effect: float, growth: float,
           rho: float, never: float) -> tuple[np.ndarray, np.ndarray]:
    cohorts = np.arange(2, big_t - 1)
    g = np.where(rng.random(n) < never, np.inf, rng.choice(cohorts, n).astype(float))
    u = np.empty((n, big_t))
    u[:, 0] = rng.standard_normal(n)
    for j in range(1, big_t):
        u[:, j] = rho * u[:, j - 1] + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    ev = np.arange(big_t)[None, :] - g[:, None]
    return u + np.where(ev >= 0, effect + growth * np.where(ev >= 0, ev, 0), 0.0), g


@pytest.mark.parametrize(("control", "window"), [("not_yet_treated", (-3, 3)),
                                                 ("never_treated", (-2, 2))])
def test_vectorised_estimator_equals_event_study(control: str, window: tuple[int, int]) -> None:
    rng = np.random.default_rng(1)
    y, g = _panel(rng, 250, 8, 0.3, 0.1, 0.5, 0.3)
    gc = np.append(np.unique(g[np.isfinite(g)]), np.inf)
    est, se = power._overall_from_stats(*power._stats_from_panel(y, g, gc), gc, window, control)
    n, big_t = y.shape
    p = pd.DataFrame({"unit": np.repeat(np.arange(n), big_t), "time": np.tile(np.arange(big_t), n),
                      "y": y.ravel(), "ft": np.repeat(np.where(np.isfinite(g), g, np.nan), big_t)})
    ov = did.event_study(p, "y", "unit", "time", "ft", window=window, control=control).overall()
    assert est[0] == pytest.approx(ov.estimate, abs=1e-10)
    assert se[0] == pytest.approx(ov.se, abs=1e-10)


def test_direct_draws_match_firm_level_simulation() -> None:
    rng = np.random.default_rng(2)
    reps, n, big_t = 400, 120, 6
    ests, hits = [], 0
    gc = np.append(np.arange(2, big_t - 1).astype(float), np.inf)
    for _ in range(reps):
        y, g = _panel(rng, n, big_t, 0.25, 0.1, 0.6, 0.3)
        est, se = power._overall_from_stats(*power._stats_from_panel(y, g, gc), gc, (-3, 3),
                                            "not_yet_treated")
        ests.append(est[0])
        hits += abs(est[0] / se[0]) > 1.959963984540054
    fast = power.event_study_power_curve(0.25, n_firms=[n], n_years=[big_t], rho=0.6,
                                         effect_growth=0.1, n_boot=4000, seed=3).to_frame().iloc[0]
    p_slow = hits / reps
    assert abs(fast["power"] - p_slow) < 3.5 * np.sqrt(p_slow * (1 - p_slow) / reps)
    assert abs(fast["mean_estimate"] - np.mean(ests)) < 4 * np.std(ests) / np.sqrt(reps)
    # the SE is calibrated against the spread of the estimates, autocorrelated noise included
    assert fast["mean_se"] == pytest.approx(np.std(ests), rel=0.12)


def test_power_curves_monotone_within_mc_error_and_null_size() -> None:
    res = power.event_study_power_curve(0.15, n_firms=[100, 300, 1000, 3000], n_years=[5, 8],
                                        rho=0.5, effect_growth=0.05)
    assert check_result_class(power.PowerCurveResult) == [] and "3,000 firms" in res.summary()
    out = res.to_frame()
    band = res.conf_int()  # at 0.95, the Monte-Carlo band itself
    assert band["ci_low"].tolist() == out["mc_low"].tolist()
    assert band["ci_high"].tolist() == out["mc_high"].tolist()
    for _, grp in out.groupby("n_years"):
        pw = grp.sort_values("n_firms")["power"].to_numpy()
        assert np.all(np.diff(pw) > -2 * grp["mc_se"].max())
    assert (out["mc_low"] <= out["power"]).all() and (out["power"] <= out["mc_high"]).all()
    assert (out["n_boot"] == 4000).all() and (out["n_failed"] == 0).all()
    null = power.event_study_power_curve(0.0, n_firms=[200], n_years=[8], n_boot=4000,
                                         seed=1).to_frame()
    assert abs(null["power"].iloc[0] - 0.05) < 0.015  # the test holds its size


def test_power_curve_errors() -> None:
    with pytest.raises(ValueError, match="rho"):
        power.event_study_power_curve(0.1, rho=1.0)
    with pytest.raises(ValueError, match="control"):
        power.event_study_power_curve(0.1, control="all")
    with pytest.raises(ValueError, match="n_firms"):
        power.event_study_power_curve(0.1, n_firms=[2])
