"""Notebook 03's path table: PLSc leads, twelve tests are Holm-adjusted, misses come first."""

from __future__ import annotations

import pandas as pd

from cxresearch.studies import csi_03 as c03


def _paths():
    base = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"],
                         "estimate": [0.38, 0.02, 0.14], "se": [0.03, 0.03, 0.03],
                         "ci_low": [0.33, -0.04, 0.09], "ci_high": [0.43, 0.08, 0.20]})
    plsc = base.assign(estimate=[0.49, 0.03, 0.11], ci_low=[0.43, -0.04, 0.05],
                       ci_high=[0.56, 0.10, 0.17], se=[0.035, 0.035, 0.03])
    truth = pd.DataFrame({"source": ["a", "b", "c"], "target": ["b", "c", "d"],
                          "estimate": [0.50, 0.05, 0.07]})
    return c03.path_table(base, plsc, truth)


def test_path_table_is_plsc_first_with_holm() -> None:
    t = _paths()
    assert t["estimate"].tolist() == [0.49, 0.03, 0.11]
    assert t["pls"].tolist() == [0.38, 0.02, 0.14]
    assert (t["p_holm"] >= t["p_value"]).all() and (t["n_family"] == 3).all()


def test_recovery_leads_with_the_misses() -> None:
    f = c03.recovery_findings(_paths())
    assert f[0].text.startswith("**Plain PLS missed the truth**: its 95% intervals cover only 1 "
                                "of 3")
    assert "a → b 0.38 vs 0.50 (24% below)" in f[0].text
    assert "c → d 0.14 vs 0.07 (100% above)" in f[0].text
    assert "cover 3 of 3" in f[1].text
    assert any("not distinguished from zero" in x.text and "b → c" in x.text for x in f)
    assert not any(x.claims_effect for x in f)


def test_alt_text_is_computed_and_short() -> None:
    text = c03.alt_text(_paths())
    assert "at 24% below the truth" in text and "slightly" not in text
    assert len(text) < 300
