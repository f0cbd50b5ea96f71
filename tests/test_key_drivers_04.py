"""Notebook 04's helpers: question wording from an export, and listwise or pairwise deletion.

References: hand counts of the answers each choice keeps, and the question text written into a
Qualtrics-layout export read back through ``load_study``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.io.readers import load_study
from cxresearch.linkage.drivers import missing_report
from cxresearch.studies.key_drivers_04 import (
    LISTWISE_LOSS_LIMIT,
    agreement_finding,
    missing_choice,
    question_wording,
)

STEM = "How would you rate the store on each of the following?"
SUBS = ["Speed of service", "Staff friendliness", "Prices"]
SAT_Q = "Overall, how satisfied are you with your most recent visit?"


def _ratings(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal(np.zeros(3), np.full((3, 3), 0.4) + 0.6 * np.eye(3), size=n)
    y = x @ np.array([0.5, 0.3, 0.2]) + rng.standard_normal(n)
    frame = pd.DataFrame(np.clip(np.rint(3 + x), 1, 5), columns=["a", "b", "c"])
    return frame.assign(y=np.clip(np.rint(3 + y), 1, 5))


def _qualtrics_folder(folder: Path, n: int = 60, seed: int = 0) -> None:
    """A Qualtrics CSV (ids, question text, ImportIds) with three driver questions of a matrix
    and the outcome, and its instrument.yml (synthetic)."""
    data = _ratings(n, seed)
    names = ["ResponseId", "Finished", "Progress", "Q2", "Q4_1", "Q4_2", "Q4_3", "store_id"]
    labels = ["Response ID", "Finished", "Progress", SAT_Q,
              *(f"{STEM} - {s}" for s in SUBS), "store_id"]
    ids = [json.dumps({"ImportId": i}) for i in
           ["_recordId", "finished", "progress", "QID2", "QID4_1", "QID4_2", "QID4_3",
            "store_id"]]
    with open(folder / "customers.csv", "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerows([names, labels, ids])
        for i, row in data.iterrows():
            cells = [str(int(v)) for v in row[["y", "a", "b", "c"]]]
            if i % 4 == 1:
                cells[2] = ""  # Q4_1 skipped by every fourth respondent
            w.writerow([f"R_{i:04d}", "1", "100", *cells, f"S{i % 3 + 1}"])
    (folder / "instrument.yml").write_text(
        "unit: store_id\ndrivers:\n  outcome: Q2\n  items: [Q4_1, Q4_2, Q4_3]\n"
        "  range: [1, 5]\n")


def test_question_wording_from_an_export_read_by_load_study(tmp_path: Path) -> None:
    _qualtrics_folder(tmp_path)
    study = load_study(tmp_path, tables=["customers"])
    labels = study.customers.attrs["labels"]
    words = question_wording(["Q4_1", "Q4_2", "Q4_3"], labels)
    assert words == dict(zip(["Q4_1", "Q4_2", "Q4_3"], SUBS))  # the matrix's sub-questions
    assert question_wording(["Q2"], labels, limit=80) == {"Q2": SAT_Q}
    short = question_wording(["Q2"], labels)["Q2"]
    assert len(short) <= 40 and short.endswith("…") and SAT_Q.startswith(short[:-1])
    # the choice on these data: every fourth answer lacks Q4_1, so listwise loses 25%
    d = study.instrument.drivers
    choice, report, finding = missing_choice(study.customers, d.outcome, list(d.items))
    assert choice == "pairwise" and report["used"].tolist() == [False, True]
    assert "45 of 60 answers (75.0%)" in finding.text and "leave out 15 (25.0%)" in finding.text


def test_question_wording_falls_back_to_codes() -> None:
    assert question_wording(["d1", "d2"]) == {"d1": "d1", "d2": "d2"}
    assert question_wording(["d1"], {"d1": "  "}) == {"d1": "d1"}
    same = {"x": "Rate us - Speed", "y": "Rate them - Speed"}  # the same short wording twice
    assert question_wording(["x", "y"], same) == {"x": "Speed (x)", "y": "Speed (y)"}


def test_missing_choice_follows_the_limit() -> None:
    full = _ratings(200, 1)
    # no gaps
    choice, _, finding = missing_choice(full, "y", ["a", "b", "c"])
    assert choice == "listwise"
    assert "all 200 answers have the outcome and all 3 drivers" in finding.text
    # 10 of 200 answers (5%) lack a driver: listwise
    few = full.copy()
    few.loc[few.index[:10], "a"] = np.nan
    choice, report, finding = missing_choice(few, "y", ["a", "b", "c"])
    assert choice == "listwise" and report.loc["listwise", "used"]
    assert ("190 of 200 answers (95.0%) have the outcome and all 3 drivers: listwise deletion "
            "would leave out 10 (5.0%), not more than 10%, so the analysis uses listwise "
            "deletion (pairwise-complete correlations would rest on 190 to 200 answers "
            "each).") in finding.text
    # exactly at the limit (20 of 200) still listwise; one more answer lost: pairwise
    edge = full.copy()
    edge.loc[edge.index[:20], "b"] = np.nan
    assert missing_choice(edge, "y", ["a", "b", "c"])[0] == "listwise"
    edge.loc[edge.index[20], "c"] = np.nan
    choice, report, finding = missing_choice(edge, "y", ["a", "b", "c"])
    assert choice == "pairwise" and LISTWISE_LOSS_LIMIT == 0.10
    ref = missing_report(edge, "y", ["a", "b", "c"])
    pd.testing.assert_frame_equal(report.drop(columns="used"), ref)
    assert (f"({ref.loc['pairwise', 'n_min']} to {ref.loc['pairwise', 'n_max']} answers)"
            in finding.text)
    assert "leave out 21 (10.5%), more than 10%" in finding.text


def test_missing_choice_falls_back_to_listwise_when_pairwise_cannot_be_used() -> None:
    rng = np.random.default_rng(0)
    z = rng.standard_normal((3, 20))
    e = 0.2 * rng.standard_normal((3, 20))
    nan = np.full(20, np.nan)
    data = pd.DataFrame({"y": np.r_[z[0], z[1], nan, z[0][:10]],
                         "a": np.r_[z[0] + e[0], nan, z[2], z[0][:10]],
                         "b": np.r_[nan, z[1] + e[1], -z[2] + e[2], z[1][:10]]})
    choice, report, finding = missing_choice(data, "y", ["a", "b"])
    assert choice == "listwise" and report["used"].tolist() == [True, False]
    assert "not positive definite" in finding.text and "rests on 10 answers" in finding.text


def test_agreement_finding_names_the_largest_gap() -> None:
    a = pd.Series([50.0, 30.0, 20.0], index=["x", "y", "z"])
    b = pd.Series([40.0, 45.0, 15.0], index=["x", "y", "z"])
    text = agreement_finding(a, b).text
    assert "differ by at most 15.0 percentage points (y: 30.0% and 45.0%)" in text
    assert "relative weights rank x first, Shapley/LMG y" in text
    with pytest.raises(KeyError):
        agreement_finding(a, b.drop("z"))
