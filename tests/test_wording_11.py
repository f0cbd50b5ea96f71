"""Notebook 11 rerun with another seed: its generated words agree with its printed tables.

The notebook is executed with ``seed=7`` (and a small power simulation) into a temporary
folder. The tables it prints are read back from their HTML, and the generated Markdown must
agree with them: the number of families of tests, each single-firm design's verdict ("covers"
or "misses" the truth, "tells" the effect from zero or not), each threat's adapted estimator
("covers"/"misses" in this draw, "holds up" only with the stated coverage), and a closing
summary that lists the effects the study misses and the fragile ones.
"""

from __future__ import annotations

import json
import re

import pytest
from nb_outputs import families_agree, generated_markdown, table_with

from cxresearch.cli.runner import run_notebooks
from cxresearch.studies.leadership_06 import APPOINTING_FAMILIES, HOLDS_UP_COVERAGE

SEED = 7
_NUM = r"(-?\d+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def nb(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("run11")
    result = run_notebooks(["11"], parameters={"seed": SEED, "power_boot": 200,
                                               "threat_units": 200, "threat_years": 8},
                           output_dir=out, progress=False, course=False)
    assert result["status"].tolist() == ["ok"]
    return json.loads((out / "11_appointing_a_cx_leader.ipynb").read_text(encoding="utf-8"))


def test_the_number_of_families_is_the_tables(nb: dict) -> None:
    families_agree(nb, APPOINTING_FAMILIES)


def test_single_firm_verdicts_follow_interval_and_truth(nb: dict) -> None:
    table = table_with(nb, "design", "ci_low", "ci_high", "true_value")
    text = generated_markdown(nb)
    for r in table.itertuples(index=False):
        lo, hi, truth = float(r.ci_low), float(r.ci_high), float(r.true_value)
        m = re.search(rf"\*\*simulated firm, {re.escape(r.design)}, {re.escape(r.outcome)}\*\*"
                      rf"[^:]*: {_NUM}; the interval \({_NUM} to {_NUM}\) (covers|misses) the "
                      rf"true value, {_NUM}, (and tells|but cannot tell|and cannot tell)", text)
        assert m, (r.design, r.outcome)
        assert abs(float(m.group(2)) - lo) < 0.006 and abs(float(m.group(3)) - hi) < 0.006
        assert abs(float(m.group(5)) - truth) < 0.006
        assert (m.group(4) == "covers") == (lo <= truth <= hi)
        assert (m.group(6) == "and tells") == (lo > 0 or hi < 0)
    for design, g in table.groupby("design"):
        lo, hi = g["ci_low"].astype(float), g["ci_high"].astype(float)
        n_detect = int(((lo > 0) | (hi < 0)).sum())
        m = re.search(rf"\*\*{re.escape(design)}, over \d+ simulated firms\*\*[^:]*: its "
                      rf"intervals (hold up|do not hold up) \(coverage {_NUM}%.*?tells (\d+) of "
                      rf"(\d+) from zero", text)
        assert m, design
        assert (m.group(1) == "hold up") == (float(m.group(2)) / 100 >= HOLDS_UP_COVERAGE)
        assert int(m.group(3)) == n_detect and int(m.group(4)) == len(g)


def test_threat_verdicts_follow_interval_truth_and_coverage(nb: dict) -> None:
    table = table_with(nb, "scenario", "estimator", "ci_low", "ci_high", "truth")
    text = generated_markdown(nb)
    found = re.findall(rf"\*\*(.+?), (.+?) \(the estimator adapted to it\)\*\*[^:]*: in this draw "
                       rf"the interval \({_NUM} to {_NUM}\) (covers|misses) the true value, "
                       rf"{_NUM}; over \d+ simulated panels its intervals cover the truth "
                       rf"{_NUM}% of the time \(bias [^)]+\): it (holds up|does not hold up)",
                       text)
    assert len(found) == table["scenario"].nunique()
    for threat, est, lo, hi, verb, truth, cov, verdict in found:
        lo, hi, truth = float(lo), float(hi), float(truth)
        assert (verb == "covers") == (lo <= truth <= hi), threat
        assert (verdict == "holds up") == (float(cov) / 100 >= HOLDS_UP_COVERAGE), threat
        rows = table[(table["estimator"] == est)
                     & (table["ci_low"].astype(float).sub(lo).abs() < 0.006)
                     & (table["ci_high"].astype(float).sub(hi).abs() < 0.006)]
        assert len(rows) == 1, (threat, est)
        assert (rows["covers truth"].iloc[0] == "yes") == (verb == "covers")


def test_summary_lists_misses_and_warnings(nb: dict) -> None:
    text = generated_markdown(nb)
    summary = text[text.index("What these data show, what they miss, and the warnings"):]
    es = table_with(nb, "outcome", "p_holm", "pretrend_p", "true_value")
    missed = es[(es["true_value"].astype(float) != 0) & (es["p_holm"].astype(float) >= 0.05)]
    if len(missed):
        assert f"{len(missed)} ({', '.join(missed['outcome'])})" in summary
        assert "not detected" in summary
    fragile = re.findall(r"^- \*\*([^*]+)\*\*[^:\n]*: fragile:", text[:text.index(
        "What these data show, what they miss")], flags=re.M)
    for outcome in fragile:
        assert re.search(rf"on {re.escape(outcome)}, under the event study's assumptions\*\*"
                         r"[^\n]*Robustness to non-parallel trends: fragile", summary), outcome


def test_the_mistake_boxes_cite_the_tables(nb: dict) -> None:
    """The pre-trend box counts the pre-trend tests as the event-study table does, and the
    two-way FE box is shown."""
    text = generated_markdown(nb)
    es = table_with(nb, "outcome", "p_holm", "pretrend_p", "true_value")
    quiet = int((es["pretrend_p_holm"].astype(float) >= 0.05).sum())
    assert f"Above, {quiet} of {len(es)} joint pre-trend tests find nothing" in text
    assert "Common mistake: one regression with firm and year effects" in text
