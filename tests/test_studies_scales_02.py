"""Notebook 02's verdicts and truth: each criterion passes or fails from its number."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxresearch.studies import scales_02 as s02


def _inputs(ave=(0.41, 0.44), r=0.78, htmt=0.78):
    rel = pd.DataFrame({"rho_c": [0.81, 0.80], "ave": list(ave)}, index=["culture", "engagement"])
    names = list(rel.index)
    m = pd.DataFrame([[1, htmt], [htmt, 1]], index=names, columns=names)
    fc = pd.DataFrame([[1, r], [r, 1]], index=names, columns=names)
    return rel, m, fc


def test_a_failed_criterion_is_reported_as_failed() -> None:
    table = s02.validity_table(*_inputs())
    verdict = table.groupby("criterion", sort=False)["passes"].all().to_dict()
    assert verdict == {"rho_c": True, "AVE": False, "HTMT": True, "Fornell–Larcker": False}
    texts = [f.text for f in s02.validity_findings(table)]
    assert "fails for culture (0.41) and engagement (0.44)" in texts[1]
    assert "so it fails" in texts[3]
    assert "only partly distinct" in texts[-1]
    summary = [f.text for f in s02.summary_findings(table, ["narrow factor."])]
    assert summary[1].startswith("**Criteria failed**: AVE culture 0.41 (needs > 0.50)")


def test_all_criteria_pass_when_the_numbers_do() -> None:
    table = s02.validity_table(*_inputs(ave=(0.6, 0.7), r=0.5, htmt=0.5))
    assert table["passes"].all()
    assert "distinct by both" in s02.validity_findings(table)[-1].text


def test_rounding_attenuation_matches_a_simulation() -> None:
    rng = np.random.default_rng(1)
    y = rng.normal(size=400_000)
    x = np.clip(np.rint(3.5 + y), 1, 5)
    assert abs(np.corrcoef(x, y)[0, 1] - s02.rounding_attenuation()) < 0.003


def test_truth_table_flags_a_systematic_shortfall() -> None:
    lt = pd.DataFrame({"factor": ["a"] * 6, "item": list("uvwxyz"),
                       "continuous": [0.7] * 6, "truth": [0.66] * 6})
    truth = s02.ScaleTruth(lt, pd.Series({"a": 0.44}), 0.8, ("x",), 1)
    est = pd.DataFrame({"item": list("uvwxyz"), "std_estimate": [0.64] * 6})
    tt = s02.truth_table(truth, reverse_found=["x"], n_retained=1, factor_corr=float("nan"),
                         std_loadings=est, ave=pd.Series({"a": 0.41}), invariance_holds=True)
    hit = tt.set_index("quantity")["hit"]
    assert hit["standardized loadings"] and hit["reverse-keyed items"]
    assert not hit["direction of the loading errors"]  # 6 of 6 below: sign test p = 0.031
    missed = s02.summary_findings(s02.validity_table(*_inputs()), [], tt)[-2].text
    assert missed.startswith("**Missed the simulation's truth**: direction of the loading")


def test_item_labels_use_the_wording() -> None:
    assert s02.item_labels(["engagement_1"]) == ["I am proud to work here"]
