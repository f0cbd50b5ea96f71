"""Generated sentences: the interval decides the wording; a null study claims nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.report import conclusions as cc
from cxresearch.simulate.null import EFFECT_FIELDS, null_study_params
from cxresearch.simulate.study import simulate_study


@pytest.mark.parametrize(
    ("est", "lo", "hi", "claims", "word"),
    [(0.5, 0.1, 0.9, True, "positive"), (-0.5, -0.9, -0.1, True, "negative"),
     (0.1, -0.2, 0.4, False, "no clear"), (0.0, 0.0, 0.0, False, "no clear")],
)
def test_interval_decides_the_wording(est, lo, hi, claims, word) -> None:
    f = cc.effect_sentence("x", est, lo, hi)
    assert f.claims_effect is claims
    assert word in f.text
    assert ("effect" in f.text) is False  # associations unless the design is causal


def test_causal_word_only_when_asked_and_ratio_null() -> None:
    assert "positive effect" in cc.effect_sentence("x", 1, 0.5, 1.5, design="causal").text
    odds = cc.effect_sentence("OR", 0.8, 0.7, 0.95, null=1.0, negative="lower")
    assert odds.claims_effect and "lower association" in odds.text
    assert not cc.effect_sentence("OR", 0.9, 0.7, 1.1, null=1.0).claims_effect


def test_nan_estimate_claims_nothing() -> None:
    f = cc.effect_sentence("x", np.nan, np.nan, np.nan)
    assert not f.claims_effect and "could not be estimated" in f.text


def test_markdown_carries_the_claim_flag() -> None:
    _, meta = cc.effect_sentence("x", 1, 0.5, 1.5)._repr_markdown_()
    assert meta == {"cxresearch": {"claims_effect": True, "kind": "result", "data_kind": ""}}
    both = cc.Conclusions((cc.effect_sentence("a", 1, 0.5, 1.5),
                           cc.effect_sentence("b", 0, -1, 1)), heading="What the data show")
    assert both.claims_effect and both.text.startswith("**What the data show**")
    assert cc.about_synthetic("s", synthetic=False).text == ""
    assert cc.about_synthetic("s", synthetic=True).text.startswith("*About the bundled synthetic")


def test_every_sentence_says_what_data_it_rests_on() -> None:
    found = cc.Conclusions((cc.effect_sentence("CX leader − everyone's job", 8.6, 4.0, 13.2),
                            cc.count_sentence(1, 15, "owner contrasts")),
                           heading="What the data show", data_kind="synthetic")
    text, meta = found._repr_markdown_()
    assert text.startswith("**What the data show (synthetic data)**")
    assert "- **CX leader − everyone's job** (synthetic data): 8.6" in text
    assert all(f.data_kind == "synthetic" for f in found.findings)
    assert meta["cxresearch"]["data_kind"] == "synthetic"
    # labelled once, whatever the order of labelling
    twice = found.findings[0].labelled("synthetic")
    assert twice.text.count("(synthetic data)") == 1
    user = cc.Conclusions((cc.effect_sentence("x", 1, 0.5, 1.5),), data_kind="user")
    assert "**x** (your data):" in user.text
    with pytest.raises(ValueError, match="data_kind must be one of"):
        cc.Conclusions((), data_kind="simulated")


def test_a_difference_stated_as_a_level_claims_an_effect() -> None:
    assert not cc.level_sentence("NPS", 12.0, 10.0, 14.0).claims_effect
    assert cc.level_sentence("mean − NPS", 1.2, 0.4, 2.0, difference=True).claims_effect
    assert not cc.level_sentence("mean − NPS", 1.2, -0.4, 2.0, difference=True).claims_effect


def test_count_sentence_and_table() -> None:
    assert cc.count_sentence(1, 12, "contrasts").text.count(" is ") == 1
    t = pd.DataFrame({"term": ["a"], "estimate": [1.0], "ci_low": [0.2], "ci_high": [2.0]})
    assert cc.findings_from_table(t, "term")[0].claims_effect
    assert cc.truth_sentence("a", 1, 0.5, 1.5, 2.0).text.count("misses") == 1


def test_null_study_has_every_effect_zero_and_keeps_the_rest() -> None:
    p = null_study_params(n_firms=30, n_years=4)
    assert all(getattr(p, f) == 0.0 for f in EFFECT_FIELDS)
    s = simulate_study(p, seed=3)
    truth = {k: v for k, v in s.truth.items() if "effect" in k or k.startswith(("ex_", "cx_"))}
    assert all(v == 0.0 for v in truth.values()), truth
    assert s.truth["icc_employees"] > 0  # firms still differ


# ------------------------------------------------------------------ notebooks on a null study

#: notebooks whose conclusions are generated from the data (each rerun on the null study)
NULL_NOTEBOOKS = ["01", "05", "06", "11"]


def _claims(nb_path) -> list[tuple[str, bool]]:
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("text/markdown", {}).get("cxresearch")
            if meta is not None:
                found.append((out["data"]["text/markdown"], bool(meta["claims_effect"])))
    return found


def test_notebooks_on_a_null_study_claim_no_effect(tmp_path) -> None:
    """Every effect zero: every generated conclusion must say so (and some must be generated)."""
    from cxresearch.cli.data_build import build
    from cxresearch.cli.runner import run_notebooks

    data = tmp_path / "null_study"
    build(data, seed=11, params=null_study_params(n_firms=200, n_years=6))
    out = tmp_path / "runs"
    # smaller simulations than the record's (the lessons' draws; the data are the null study's)
    run_notebooks(NULL_NOTEBOOKS, parameters={"data_dir": str(data), "n_sim": 500,
                                              "n_boot": 200, "power_boot": 500,
                                              "threat_units": 200, "threat_years": 8},
                  output_dir=out, progress=False)
    for nb in sorted(out.glob("*.ipynb")):
        claims = _claims(nb)
        assert claims, f"{nb.name}: no generated conclusion found"
        wrong = [text for text, claims_effect in claims if claims_effect]
        assert not wrong, f"{nb.name} claims an effect on a null study:\n" + "\n".join(wrong)


def test_a_supported_difference_is_worded_with_its_direction_and_size() -> None:
    pairs = pd.DataFrame({"a": ["web", "phone", "web"], "b": ["in-store", "in-store", "phone"],
                          "difference": [-29.0, -3.0, 2.0], "ci_low": [-39.8, -9.0, -4.0],
                          "ci_high": [-18.2, 3.0, 8.0], "p_holm": [0.0001, 0.6, 0.7],
                          "significant": [True, False, False]})
    found = cc.difference_findings(pairs, "NPS", estimates={"web": 11.9, "in-store": 40.9},
                                   unit="NPS points", note="An association.")
    assert [f.text for f in found] == [
        "**in-store vs web (NPS)**: 40.9 vs 11.9, +29.0 NPS points (95% CI 18.2 to 39.8; "
        "Holm-adjusted p < 0.001). An association."]
    assert found[0].claims_effect
    assert cc.difference_findings(pairs[pairs["significant"] == False], "NPS") == ()  # noqa: E712
