"""Notebook 02's "What failure looks like": the fit table's verdicts, the sentences built from
the numbers, and the per-item scan that locates an item working differently."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import cxresearch as cx
from cxresearch.simulate import failures as fl
from cxresearch.studies import scales_02 as s02


def _fit(cfi: float, rmsea: float, chi2: float = 30.0, df: int = 19) -> SimpleNamespace:
    return SimpleNamespace(fit=pd.Series({"chi2": chi2, "df": df, "cfi": cfi, "rmsea": rmsea,
                                          "srmr": 0.03}))


@pytest.mark.parametrize(("cfi", "rmsea", "verdict"), [
    (0.95, 0.06, "meets both"),   # the criteria are inclusive
    (0.949, 0.02, "rejected"),
    (0.99, 0.061, "rejected"),
])
def test_fit_table_applies_the_stated_criteria(cfi: float, rmsea: float, verdict: str) -> None:
    table = s02.fit_table({"m": _fit(cfi, rmsea)})
    assert table.loc["m", "verdict"] == verdict
    assert table.loc["m", "cfi_ok"] == (cfi >= s02.CFI_MIN)


def test_the_misfit_sentence_follows_the_numbers() -> None:
    case = fl.misfit_scale(kind="cross_loading", seed=0)
    spec = cx.cfa(case.data, case.model)
    mi = cx.modification_indices(case.data, case.model)
    top = " ".join(mi.iloc[0][["lhs", "op", "rhs"]])
    table = s02.fit_table({"as specified": spec,
                           "freed": cx.cfa(case.data, case.model, free=[top])})
    text = s02.misfit_finding(table, mi, case.truth, "freed").text
    assert f"CFI {spec.fit['cfi']:.3f}" in text and "rejected (CFI below 0.95 and RMSEA" in text
    assert f"`{top}`" in text and "meets both criteria" in text
    # a model that fits is not called rejected
    ok = s02.fit_table({"as specified": _fit(0.97, 0.03), "freed": _fit(0.99, 0.01)})
    assert "meets both criteria." in s02.misfit_finding(ok, mi, case.truth, "freed").text
    assert "rejected" not in s02.misfit_finding(ok, mi, case.truth, "freed").text


def test_the_intercept_scan_locates_the_shifted_item_and_only_it() -> None:
    case = fl.noninvariant_item(seed=0)
    scan = s02.intercept_scan(case.data, case.model, "group")
    assert scan.index[0] == case.truth["item"] and scan["holds"].tolist() == [True] + [False] * 4
    assert (scan["drop_df"] == 1).all() and (scan["delta_df"] == 3).all()
    # with no shift, no item stands out and freeing any one keeps the scalar step passing
    same = fl.noninvariant_item(shift=0.0, seed=0)
    flat = s02.intercept_scan(same.data, same.model, "group")
    assert flat["holds"].all() and flat["drop"].max() < 10.83  # chi2(1), p = .001
    table = cx.measurement_invariance(case.data, case.model, by="group").to_frame()
    text = s02.invariance_failure_finding(table, scan, case.truth).text
    assert "metric holds" in text and "scalar fails" in text and "the item is located" in text
    assert "the only item whose release makes the scalar step pass" in text


def test_the_invariance_sentence_says_when_the_scan_points_elsewhere() -> None:
    tab = pd.DataFrame({"delta_chi2": [float("nan"), 2.0, 40.0], "delta_df": [None, 4, 4],
                        "delta_p": [float("nan"), 0.7, 0.0002],
                        "delta_cfi": [float("nan"), 0.0, -0.02]},
                       index=["configural", "metric", "scalar"])
    scan = pd.DataFrame({"drop": [30.0, 5.0], "delta_cfi": [-0.012, -0.019],
                         "holds": [False, False]}, index=["x1", "x2"])
    text = s02.invariance_failure_finding(tab, scan, {"item": "x2", "shift": 0.5}).text
    assert "does not make the scalar step pass" in text and "points elsewhere" in text
