"""The exercises of notebook 11 (appointing a CX leader): each reference answer against an
independent computation, and the near misses say what was probably forgotten."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import exercises
from cxresearch.simulate.threats import simulate_firm_series, simulate_threat_panel


def test_11_1_the_naive_comparison_overstates_under_confounding() -> None:
    """statsmodels: firm-years with a leader against the others, year dummies, SEs by firm."""
    import statsmodels.formula.api as smf

    panel, truth = simulate_threat_panel("confounding", n_units=400, n_periods=10, seed=0)
    target = truth.set_index("event_time").loc[[0, 1, 2, 3], "att"].mean()
    fit = smf.ols("y ~ treated + C(time)", data=panel).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(panel["unit"])[0]})
    assert fit.conf_int().loc["treated", 0] > target  # the whole interval above the truth
    assert exercises.solution("11.1") == "overstates"
    assert "year effects" in exercises.check("11.1", "gets it right").message
    assert not exercises.check("11.1", "understates").correct


def test_11_2_four_times_the_firms_half_the_width() -> None:
    """Closed form sqrt(200 / 800) = 0.5, and the same ratio on panels of another seed."""
    from cxresearch.causal.did import event_study

    assert np.sqrt(200 / 800) == pytest.approx(0.5)
    widths = {}
    for n in (200, 800):
        p, _ = simulate_threat_panel("parallel", n_units=n, n_periods=10, seed=5)
        ov = event_study(p, "y", "unit", "time", "first_treated", window=(-3, 3)).overall()
        widths[n] = ov.ci_high - ov.ci_low
    assert widths[800] / widths[200] == pytest.approx(0.5, abs=0.1)
    assert exercises.solution("11.2") == "about half as wide"
    assert "square root" in exercises.check("11.2", "about a quarter as wide").message


def test_11_3_the_interrupted_time_series_overstates() -> None:
    """numpy least squares of the segmented regression (Wagner et al. 2002): the average gap
    after the appointment is b2 + b3 * mean(months since), minus the simulated effect."""
    series, truth = simulate_firm_series(n_months=60, appoint_month=40, effect=2.0,
                                         n_donors=20, seed=0)
    own = series[series["firm"] == "firm"].sort_values("month")
    t = own["month"].to_numpy(dtype=float)
    post = (t >= 40).astype(float)
    since = np.where(post > 0, t - 40, 0.0)
    x = np.column_stack([np.ones_like(t), t - t.min(), post, since])
    b = np.linalg.lstsq(x, own["cx"].to_numpy(dtype=float), rcond=None)[0]
    its = b[2] + b[3] * since[post > 0].mean()
    effect = truth.loc[truth["month"] >= 40, "effect_cx"].mean()
    assert exercises.solution("11.3") == pytest.approx(its - effect, abs=0.006)
    assert exercises.check("11.3", round(its - effect, 3)).correct
    assert "estimate itself" in exercises.check("11.3", round(its, 2)).message
    assert "sign is reversed" in exercises.check("11.3", round(effect - its, 2)).message
