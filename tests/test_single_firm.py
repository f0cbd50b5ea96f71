"""Tests for cxresearch.causal.single_firm: synthetic control against pysyncon, ITS against a closed
form and its HAC variance against statsmodels, and both on series with a known effect."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch.causal.single_firm import interrupted_time_series, synthetic_control
from cxresearch.simulate.threats import simulate_firm_series

#: pysyncon 1.7.0, Synth().fit(X0, X1, Z0, Z1, custom_V = monthly variance across units) on
#: tests/data/causal/firm_series.csv (scripts/peers/pysyncon_reference.py, output in
#: scripts/peers/pysyncon_reference.out); pysyncon's SLSQP stops at its default tolerance,
#: so its weights agree to ~5e-5 along the flat direction of the loss, the gap to 1e-6.
PYSYNCON_W = {"D01": 0.071495, "D02": 0.454088, "D08": 0.237225, "D12": 0.132682,
              "D14": 0.055938, "D17": 0.048572}
PYSYNCON_GAP = 1.9261425082
PYSYNCON_PRE_RMSPE = 0.6809690151


def test_synthetic_control_matches_pysyncon() -> None:
    s = pd.read_csv(Path(__file__).parent / "data/causal/firm_series.csv")
    r = synthetic_control(s, "cx", "firm", "month", "firm", 40)
    w = r.weights
    for k, v in PYSYNCON_W.items():
        assert w[k] == pytest.approx(v, abs=1e-4)
    assert w.drop(list(PYSYNCON_W)).max() < 1e-6
    assert r.estimate == pytest.approx(PYSYNCON_GAP, abs=1e-6)
    assert r.pre_rmspe == pytest.approx(PYSYNCON_PRE_RMSPE, abs=1e-7)
    assert w.sum() == pytest.approx(1.0)
    assert len(r.placebos) == 20 and 0 < r.p_value <= 1
    assert r.ci_low < 2.0 < r.ci_high  # the true effect
    assert "synthetic control" in r.summary()
    lo90 = r.conf_int(level=0.9)
    assert lo90["ci_low"].iloc[0] >= r.ci_low


def test_interrupted_time_series_closed_form_and_hac() -> None:
    import statsmodels.api as sm

    rng = np.random.default_rng(0)
    t = np.arange(60.0)
    y = 5 + 0.05 * t + 1.5 * (t >= 40) + 0.1 * np.maximum(t - 40, 0) * (t >= 40) \
        + rng.normal(size=60)
    r = interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 40, maxlags=3)
    x = np.column_stack([np.ones(60), t, t >= 40, np.where(t >= 40, t - 40, 0)])
    fit = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": 3})
    g = np.array([0, 0, 1, np.mean(np.arange(20))])
    assert r.estimate == pytest.approx(g @ fit.params, rel=1e-10)
    assert r.se == pytest.approx(np.sqrt(g @ fit.cov_params() @ g), rel=1e-10)
    assert r.to_frame()["term"].tolist()[0].startswith("average effect")


def test_its_recovers_an_effect_and_placebo_is_quiet_without_common_shocks() -> None:
    hits, placebo_flags = [], []
    for seed in range(60):
        rng = np.random.default_rng(seed)
        t = np.arange(72.0)
        u = np.zeros(72)
        for j in range(1, 72):
            u[j] = 0.4 * u[j - 1] + rng.normal()
        y = 50 + 0.02 * t + 2.0 * (t >= 48) + u
        r = interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 48)
        hits.append(r.ci_low < 2.0 < r.ci_high)
        placebo_flags.append(r.placebo_p_value < 0.05)
    assert np.mean(hits) >= 0.8
    # HAC SEs on ~48 months over-reject somewhat (Newey-West size distortion in short series)
    assert np.mean(placebo_flags) <= 0.3


def test_single_firm_input_errors() -> None:
    s, _ = simulate_firm_series(n_months=30, appoint_month=20, n_donors=4, seed=0)
    with pytest.raises(ValueError, match="treated unit"):
        synthetic_control(s, "cx", "firm", "month", "nobody", 20)
    with pytest.raises(ValueError, match="duplicates"):
        synthetic_control(pd.concat([s, s.iloc[:1]]), "cx", "firm", "month", "firm", 20)
    firm = s[s["firm"] == "firm"]
    with pytest.raises(ValueError, match="periods before"):
        interrupted_time_series(firm, "cx", "month", 3)


def test_its_placebo_is_calibrated_by_its_ar1_bootstrap() -> None:
    """The pre-period placebo under no bend: the normal reading of its HAC t-statistic flags
    about 15% of 48-month straight lines (notebook 11 says so); the AR(1) parametric bootstrap
    brings it to about 5%, with independent and with autocorrelated months."""
    t = np.arange(60)

    def series(rng: np.random.Generator, rho: float) -> pd.DataFrame:
        z = rng.normal(size=60)
        u = np.empty(60)
        u[0] = z[0] / np.sqrt(1 - rho**2)
        for j in range(1, 60):
            u[j] = rho * u[j - 1] + z[j]
        return pd.DataFrame({"m": t, "y": 0.05 * t + u})

    rng = np.random.default_rng(0)
    normal, boot = [], []
    for i in range(200):
        r = interrupted_time_series(series(rng, 0.0), "y", "m", 48, seed=i)
        normal.append(2 * stats.norm.sf(abs(r.placebo_estimate / r.placebo_se)) < 0.05)
        boot.append(r.placebo_p_value < 0.05)
    assert 0.09 <= np.mean(normal) <= 0.22  # the distortion the bootstrap repairs
    assert 0.015 <= np.mean(boot) <= 0.085  # 5% within Monte-Carlo error (SE 0.015)
    rng = np.random.default_rng(1)
    boot_ar = [interrupted_time_series(series(rng, 0.5), "y", "m", 48, seed=i).placebo_p_value
               < 0.05 for i in range(200)]
    assert np.mean(boot_ar) <= 0.095


def test_its_placebo_statistic_is_statsmodels_hac_t_and_n_boot_zero_is_normal() -> None:
    from cxresearch.causal.single_firm import _hac_t, _placebo_design

    rng = np.random.default_rng(3)
    t = np.arange(48.0)
    y = 2 + 0.1 * t + rng.normal(size=48)
    r = interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 40, maxlags=2)
    x, g = _placebo_design(t[:40], t[20], None)
    assert _hac_t(x, g, y[:40, None], 2)[0] == pytest.approx(
        r.placebo_estimate / r.placebo_se, rel=1e-10)
    assert 0 < r.placebo_p_value <= 1 and r.n_boot == 2000 and 0 <= r.placebo_rho <= 0.95
    again = interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 40, maxlags=2)
    assert again.placebo_p_value == r.placebo_p_value  # seeded
    plain = interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 40, maxlags=2,
                                    n_boot=0)
    assert plain.placebo_p_value == pytest.approx(
        2 * stats.norm.sf(abs(r.placebo_estimate / r.placebo_se)))
    with pytest.raises(ValueError, match="n_boot"):
        interrupted_time_series(pd.DataFrame({"m": t, "y": y}), "y", "m", 40, n_boot=-1)
