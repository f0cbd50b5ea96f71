"""Sentences for families of estimates (cxresearch.report.conclusions, the multiplicity-adjusted
part):
Holm p-values against statsmodels, the adjusted test deciding the wording, and the family-wise
false-alarm rate of the generated claims on seeded null families.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from cxresearch.report import conclusions as cc


def test_holm_family_matches_statsmodels_and_fills_wald_p_values() -> None:
    rng = np.random.default_rng(3)
    t = pd.DataFrame({"estimate": rng.normal(0, 1, 9), "se": rng.uniform(0.3, 1.0, 9)})
    t["p_value"] = 2 * stats.norm.sf(np.abs(t["estimate"] / t["se"]))
    t.loc[[2, 5], "p_value"] = np.nan  # e.g. bootstrap rows without a p-value: Wald from se
    out = cc.holm_family(t)
    wald = 2 * stats.norm.sf(np.abs(t["estimate"] / t["se"]))
    np.testing.assert_allclose(out["p_value"], wald)
    np.testing.assert_allclose(out["p_holm"], multipletests(wald, method="holm")[1])
    assert (out["n_family"] == 9).all()
    assert t["p_value"].isna().sum() == 2  # the caller's frame is not modified


def test_holm_family_by_group_and_rows_without_p_stay_out() -> None:
    t = pd.DataFrame({"fam": ["a", "a", "b", "b", "b"],
                      "p_value": [0.01, 0.04, 0.01, 0.02, np.nan]})
    out = cc.holm_family(t, by="fam")
    np.testing.assert_allclose(out["p_holm"].iloc[:2],
                               multipletests([0.01, 0.04], method="holm")[1])
    np.testing.assert_allclose(out["p_holm"].iloc[2:4],
                               multipletests([0.01, 0.02], method="holm")[1])
    assert np.isnan(out["p_holm"].iloc[4])
    assert out["n_family"].tolist() == [2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    ("lo", "hi", "p_adj", "claims", "phrase"),
    [(0.2, 0.9, 0.01, True, "the data show a positive association"),
     (0.2, 0.9, 0.20, False, "The unadjusted interval excludes zero, but after"),
     (-0.2, 0.9, 0.20, False, "they allow anything from -0.20 to 0.90"),
     (-0.2, 0.9, 0.01, False, "no clear association")],  # test and interval disagree: no claim
)
def test_adjusted_test_and_interval_decide_the_wording(lo, hi, p_adj, claims, phrase) -> None:
    f = cc.adjusted_effect_sentence("x", 0.5, lo, hi, p_adj, n_family=6)
    assert f.claims_effect is claims
    assert phrase in f.text
    assert "Holm adjustment for 6 comparisons" in f.text


def test_adjusted_sentence_words_effects_ratios_and_missing_values() -> None:
    causal = cc.adjusted_effect_sentence("x", -1.0, -1.5, -0.5, 0.001, n_family=1,
                                         design="causal")
    assert "a negative effect" in causal.text and "1 comparison " in causal.text
    ratio = cc.adjusted_effect_sentence("OR", 0.7, 0.6, 0.8, 0.001, n_family=3, null=1.0,
                                        noun="association with leaving")
    assert ratio.claims_effect and "negative association with leaving" in ratio.text
    miss = cc.adjusted_effect_sentence("x", np.nan, np.nan, np.nan, np.nan, n_family=3)
    assert not miss.claims_effect and "could not be estimated" in miss.text


def test_findings_from_adjusted_table_and_supported_rows_agree() -> None:
    t = cc.holm_family(pd.DataFrame({
        "term": list("abcd"), "estimate": [1.0, 0.4, 0.2, -0.8], "se": [0.2, 0.18, 0.2, 0.3]}))
    z = 1.959963984540054
    t["ci_low"], t["ci_high"] = t["estimate"] - z * t["se"], t["estimate"] + z * t["se"]
    found = cc.findings_from_adjusted_table(t, "term")
    assert [f.claims_effect for f in found] == cc.adjusted_supported(t).tolist()
    # a subset keeps the family size of the whole table
    sub = cc.findings_from_adjusted_table(t.iloc[[0]], "term")
    assert "for 4 comparisons" in sub[0].text
    assert "for 9 comparisons" in cc.findings_from_adjusted_table(t.iloc[[0]], "term",
                                                                  n_family=9)[0].text


def test_claims_on_null_families_keep_the_family_wise_rate() -> None:
    """15 null estimates per family, 2,000 seeded families: the share of families with any
    generated claim is about 5% (Holm), against about 54% without adjustment. (Which rows claim
    is :func:`adjusted_supported`, checked against the sentences' flags above.)"""
    rng = np.random.default_rng(11)
    n_fam, m, z = 2000, 15, 1.959963984540054
    est = rng.normal(0.0, 1.0, n_fam * m)
    t = pd.DataFrame({"family": np.repeat(np.arange(n_fam), m), "estimate": est, "se": 1.0,
                      "ci_low": est - z, "ci_high": est + z})
    t = cc.holm_family(t, by="family")
    assert (t["n_family"] == m).all()
    adjusted = cc.adjusted_supported(t).groupby(t["family"]).any().mean()
    raw = ((t["ci_low"] > 0) | (t["ci_high"] < 0)).groupby(t["family"]).any().mean()
    se = np.sqrt(0.05 * 0.95 / n_fam)
    assert adjusted <= 0.05 + 3 * se
    assert raw > 0.45
    # the sentences of one family agree with the vectorised count
    one = t[t["family"] == int(np.argmax(cc.adjusted_supported(t).groupby(t["family"]).any()))]
    flags = [f.claims_effect for f in cc.findings_from_adjusted_table(one, "family")]
    assert flags == cc.adjusted_supported(one).tolist()


def test_criterion_and_power_sentences_claim_nothing() -> None:
    one = cc.criterion_sentence("rwg", 0.72, 0.70)
    assert "meets the 0.70 criterion" in one.text and not one.claims_effect
    many = cc.criterion_sentence("ICC(2)", {"a": 0.5, "b": 0.8}, 0.70)
    assert "met by b (0.80); not by a (0.50)" in many.text
    assert "met by none" in cc.criterion_sentence("ICC(2)", {"a": 0.5}, 0.70).text
    p = cc.power_sentence("x", [1000, 100, 300], [0.95, 0.2, 0.81])
    assert "reached with 300 firms (power 0.81); with 100, 0.20" in p.text
    assert not p.claims_effect and p.kind == "power"
    assert "not reached with up to 1,000" in cc.power_sentence("x", [100, 1000],
                                                               [0.1, 0.3]).text


def test_families_sharing_the_error_rate_keep_the_study_wise_rate() -> None:
    """Three questions (families of 3, 8 and 9 null estimates) per seeded study, 2,000 studies:
    with ``n_families=3`` the share of studies with any claim stays at about 5%; Holm within
    each family alone lets it rise to about 14%."""
    rng = np.random.default_rng(5)
    n_study, sizes = 2000, [3, 8, 9]
    rows = [(s, f, e) for s in range(n_study) for f, m in enumerate(sizes)
            for e in rng.normal(0.0, 1.0, m)]
    t = pd.DataFrame(rows, columns=["study", "family", "estimate"]).assign(se=1.0)
    t["ci_low"], t["ci_high"] = t["estimate"] - 1.959963984540054, t["estimate"] + 1.96
    split = cc.holm_family(t, by=["study", "family"], n_families=3)
    alone = cc.holm_family(t, by=["study", "family"])
    any_split = cc.adjusted_supported(split).groupby(t["study"]).any().mean()
    any_alone = cc.adjusted_supported(alone).groupby(t["study"]).any().mean()
    assert any_split <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / n_study)
    assert any_alone > 0.10
    np.testing.assert_allclose(split["p_holm"], np.minimum(1, 3 * alone["p_holm"]))
    f = cc.findings_from_adjusted_table(split.iloc[:3], "family")[0]
    assert "the 5% error rate split over 3 questions" in f.text
    with pytest.raises(ValueError, match="n_families"):
        cc.holm_family(t, n_families=0)
