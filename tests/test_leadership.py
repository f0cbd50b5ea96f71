"""Tests for the cxresearch.leadership facade.

The estimators and their reference tests moved to modules named after their method
(tests/test_did.py, test_ownership.py, test_simulate_answers.py,
test_studies_leadership_06.py). Here: every name that ``leadership`` exported is still there
and is the same object, results that were dicts still answer ``res["key"]``, old keywords give
the same numbers with a DeprecationWarning, and the facade does not import ``linkage``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cxresearch import leadership as ld

#: where each name that ``cxresearch.leadership`` exported lives now
LEADERSHIP_HOMES = {
    "cxresearch.did": ["EventStudyResult", "event_study", "event_study_power",
                       "event_study_result", "leader_cohorts", "naive_comparison", "power_curve",
                       "twfe_static"],
    "cxresearch.ownership": ["OwnershipResult", "ownership_effects", "say_do_effects",
                             "say_do_index"],
    "cxresearch.simulate.staggered": ["simulate_staggered_panel"],
    "cxresearch.simulate.answers": ["true_event_study_effects", "true_event_time_path",
                                    "true_owner_effects"],
    "cxresearch.studies.leadership_06": ["confounding_scenarios", "effect_for_power",
                                         "event_studies", "event_study_power_by_outcome",
                                         "event_study_table", "leadership_panel",
                                         "ownership_contrasts", "say_do_effects_by_outcome",
                                         "say_do_gap_summary", "within_unit_sd"],
}


def test_every_old_name_is_still_exported_and_is_the_moved_object() -> None:
    homes = {n: m for m, names in LEADERSHIP_HOMES.items() for n in names}
    assert sorted(homes) == sorted(ld.__all__)
    for name, module in homes.items():
        assert getattr(ld, name) is getattr(importlib.import_module(module), name), name


def test_leadership_does_not_import_linkage() -> None:
    code = "import sys, cxresearch.leadership; print('cxresearch.linkage' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_results_that_were_dicts_still_answer_item_access() -> None:
    p, _ = ld.simulate_staggered_panel(n_units=150, n_periods=6, seed=2)
    p["d"] = (p["time"] >= p["first_treated"].fillna(99)).astype(int)
    twfe = ld.twfe_static(p, "y", "unit", "time", "first_treated")
    naive = ld.naive_comparison(p, "y", "d", "unit", "time")
    res = ld.event_study(p, "y", "unit", "time", "first_treated")
    for r in (twfe, naive, res.overall()):
        assert r["estimate"] == r.estimate and r["ci_high"] == r.ci_high
        assert r["ci_low"] == pytest.approx(r["estimate"] - 1.959963984540054 * r["se"])
    assert set(dict(res.overall())) == {"estimate", "se", "ci_low", "ci_high", "n_event_times"}
    assert res.pretrend_test()["df"] == 2


def test_event_study_result_is_a_deprecated_alias_of_event_study() -> None:
    p, _ = ld.simulate_staggered_panel(n_units=100, n_periods=6, seed=0)
    with pytest.warns(DeprecationWarning, match="event_study_result"):
        old = ld.event_study_result(p, "y", "unit", "time", "first_treated", window=(-2, 2))
    new = ld.event_study(p, "y", "unit", "time", "first_treated", window=(-2, 2))
    assert isinstance(old, ld.EventStudyResult)
    pd.testing.assert_frame_equal(old.to_frame(), new.to_frame())


def test_old_keywords_through_the_facade_give_the_same_numbers() -> None:
    p, _ = ld.simulate_staggered_panel(n_units=120, n_periods=6, seed=1)
    with pytest.warns(DeprecationWarning, match="'panel' is deprecated"):
        old = ld.twfe_static(panel=p, outcome="y", unit="unit", time="time",
                             first_treated="first_treated")
    assert old == ld.twfe_static(p, "y", "unit", "time", "first_treated")
    with pytest.warns(DeprecationWarning) as rec:
        pw = ld.event_study_power(effect=0.5, n_firms=[30], n_years=[5], n_sims=4, alpha=0.1)
    assert {str(w.message).split("'")[1] for w in rec} == {"n_sims", "alpha"}
    pd.testing.assert_frame_equal(
        pw, ld.event_study_power(effect=0.5, n_firms=[30], n_years=[5], n_boot=4, level=0.9))
    f = pd.DataFrame({"firm_id": ["A", "B"], "cx_leader_year": [2022, None],
                      "cx_owner": ["cx_leader", "ceo"]})
    with pytest.warns(DeprecationWarning, match="'firms' is deprecated"):
        pd.testing.assert_series_equal(ld.leader_cohorts(firms=f, first_year=2019),
                                       ld.leader_cohorts(f, 2019))
    with pytest.warns(DeprecationWarning, match="'panel' is deprecated"):
        es = ld.event_studies(panel=p, outcomes=["y"], unit="unit", time="time",
                              first_treated="first_treated")
    assert np.isfinite(es["y"].overall().estimate)
