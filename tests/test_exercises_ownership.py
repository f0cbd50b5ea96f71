"""The exercises of notebook 06 (who owns CX): each reference answer against an independent
computation, and the near misses say what was probably forgotten."""

from __future__ import annotations

import numpy as np
import pytest

from cxresearch import exercises


def test_06_1_share_of_years_before_the_appointment() -> None:
    """Against the firms table's appointment year (not the panel's has_cx_leader flag)."""
    from cxresearch.io.readers import load_study

    s = load_study(None, tables=["firms", "firm_years"])
    leaders = s.firms[s.firms["cx_owner"] == "cx_leader"].set_index("firm_id")
    years = s.firm_years[s.firm_years["firm_id"].isin(leaders.index)]
    appointed = years["firm_id"].map(leaders["cx_leader_year"])
    # no year: appointed before the panel, so every year of the panel is after
    before = float((years["year"] < appointed).fillna(False).astype(bool).mean())
    assert exercises.solution("06.1") == pytest.approx(before, abs=0.005)
    assert exercises.check("06.1", round(before, 3)).correct
    assert "owner at the end of the panel" in exercises.check("06.1", 0).message
    assert "leader in post" in exercises.check("06.1", round(1 - before, 2)).message


def test_06_2_holm_count() -> None:
    from statsmodels.stats.multitest import multipletests

    p = [0.010, 0.015, 0.040, 0.200]
    assert exercises.solution("06.2") == int(multipletests(p, alpha=0.05, method="holm")[0].sum())
    assert exercises.solution("06.2") == 2
    assert "unadjusted" in exercises.check("06.2", 3).message
    assert "Bonferroni" in exercises.check("06.2", 1).message


def test_06_3_the_gap_takes_minus_do() -> None:
    """Closed form: with say and do standardised, correlation r and CX = b do + e, the slope of
    CX on say - do is b (r - 1) / (2 - 2 r) = -b / 2 < 0; a regression on a fresh draw agrees."""
    import statsmodels.api as sm

    b, r = 0.3, 0.3
    assert b * (r - 1) / (2 - 2 * r) == pytest.approx(-b / 2)
    rng = np.random.default_rng(123)
    say = rng.normal(size=5000)
    do = r * say + np.sqrt(1 - r**2) * rng.normal(size=5000)
    y = b * do + rng.normal(size=5000)
    fit = sm.OLS(y, sm.add_constant(say - do)).fit()
    assert fit.conf_int()[1, 1] < 0
    assert exercises.solution("06.3") == "negative"
    assert "minus do" in exercises.check("06.3", "about zero").message
    assert not exercises.check("06.3", "positive").correct
