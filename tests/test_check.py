"""Tests for cxresearch.cli.check and ``python -m cxresearch check``: per notebook, can it run?

The expected verdicts are read off the fixtures: ``tests/data/own_survey/`` (a one-company survey
with its own instrument, see its README.md), ``tests/data/customers_only/`` (only customers.csv)
and the bundled ``data/processed/``.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.cli.check import check_folder, driver_source, needs, skipped
from cxresearch.cli.main import main
from cxresearch.core import paths
from cxresearch.io.readers import load_study

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
ONLY = DATA / "customers_only"


def _digests(d: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(d.iterdir())}


def _verdicts(d: Path, **kw: object) -> pd.Series:
    frame = check_folder(d, **kw).to_frame().set_index("notebook")
    return frame["can_run"]


def test_own_survey_folder_runs_01_to_05_and_not_the_firm_notebooks() -> None:
    before = _digests(OWN)
    result = check_folder(OWN)
    frame = result.to_frame().set_index("notebook")
    assert frame.loc[["01_measuring_cx", "02_culture_and_engagement_scales", "04_key_drivers",
                      "05_linkage_ex_cx_outcomes"], "can_run"].all()
    assert not frame.loc["03_satisfaction_index_model", "can_run"]  # no ECSI survey (issue 22)
    assert "an ecsi_survey table" in frame.loc["03_satisfaction_index_model", "missing"]
    uses05 = frame.loc["05_linkage_ex_cx_outcomes", "uses"]
    assert "units store_id by wave" in uses05 and "reverse c3" in uses05
    assert "weighted by w" in uses05 and "outcomes sales_growth, staff_turnover" in uses05
    assert "skips the firm-year panel" in frame.loc["05_linkage_ex_cx_outcomes", "missing"]
    for firm_nb in ("06_who_owns_cx", "11_appointing_a_cx_leader"):
        assert not frame.loc[firm_nb, "can_run"]
        assert "firms" in frame.loc[firm_nb, "missing"]
    assert pd.isna(frame.loc["09_coding_open_answers", "can_run"])
    uses01 = frame.loc["01_measuring_cx", "uses"]
    assert "nps = ltr" in uses01 and "clusters store_id" in uses01 and "weight w" in uses01
    assert "skips NPS by CX owner" in frame.loc["01_measuring_cx", "missing"]
    assert "culture (4 items, 1-7, reverse c3)" in frame.loc[
        "02_culture_and_engagement_scales", "uses"]
    assert "drivers of sat: d1" in frame.loc["04_key_drivers", "uses"]
    assert result.ok()
    text = result.summary()
    assert "personal data dropped: email (email), phone (phone)" in text
    assert "full_name (person_name)" in text
    assert _digests(OWN) == before  # nothing written, nothing changed


def test_customers_only_folder_runs_01_and_says_what_02_lacks() -> None:
    result = check_folder(ONLY)
    frame = result.to_frame().set_index("notebook")
    assert frame.loc["01_measuring_cx", "can_run"]
    assert "no clusters" in frame.loc["01_measuring_cx", "uses"]
    assert "segments region, channel" in frame.loc["01_measuring_cx", "uses"]
    assert not frame.loc["02_culture_and_engagement_scales", "can_run"]
    assert "employees" in frame.loc["02_culture_and_engagement_scales", "missing"]
    assert not frame.loc["05_linkage_ex_cx_outcomes", "can_run"]
    assert "employees" in frame.loc["05_linkage_ex_cx_outcomes", "missing"]
    assert "default instrument" in result.instrument


def test_bundled_data_every_notebook_can_run() -> None:
    verdicts = _verdicts(paths.PROCESSED_DIR)
    # 03 and 04 use their own synthetic surveys when run without data_dir; as a folder, the
    # bundled study has no ECSI survey and its instrument declares no drivers (issue 22)
    assert not verdicts.loc["03_satisfaction_index_model"]
    assert not verdicts.loc["04_key_drivers"]
    assert verdicts.drop(["03_satisfaction_index_model", "04_key_drivers"]).dropna().all(), (
        verdicts)


def test_bad_table_and_bad_instrument_are_problems(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(OWN, folder)
    text = (folder / "customers.csv").read_text().splitlines()
    head = text[0].split(",")
    row = text[1].split(",")
    row[head.index("ltr")] = "11"
    text[1] = ",".join(row)
    (folder / "customers.csv").write_text("\n".join(text) + "\n")
    result = check_folder(folder)
    frame = result.to_frame().set_index("notebook")
    assert not result.ok()
    assert not frame.loc["01_measuring_cx", "can_run"]
    assert frame.loc["01_measuring_cx", "missing"] == (
        "the customers table, which cannot be read (see tables above)")  # listed once
    problem = result.tables.set_index("table").loc["customers", "problem"]
    assert "-p on_invalid=set_aside" in problem
    assert "column 'ltr' (metrics.nps.column): 1 value(s) outside 0..10" in problem
    assert "column 'ltr' (metrics.nps.column): 1 value(s) outside 0..10" not in frame.loc[
        "01_measuring_cx", "missing"]
    assert frame.loc["02_culture_and_engagement_scales", "can_run"]  # employees are fine
    # as the notebooks would with -p on_invalid=set_aside: the row is set aside, 01 can run
    aside = check_folder(folder, on_invalid="set_aside").to_frame().set_index("notebook")
    assert aside.loc["01_measuring_cx", "can_run"], aside.loc["01_measuring_cx", "missing"]
    bad = tmp_path / "bad.yml"
    bad.write_text("unit: store_id\nscales:\n  culture: {items: [c1, c2], range: [7, 1]}\n")
    result = check_folder(OWN, instrument=bad)
    assert not result.ok() and "range: [7, 1] is inverted" in result.problems[0]
    assert not result.to_frame().set_index("notebook").loc["01_measuring_cx", "can_run"]


def test_cli_check_prints_and_sets_the_exit_status(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    assert main(["check", str(ONLY)]) == 0
    out = capsys.readouterr().out
    assert "01_measuring_cx" in out and "NO    missing: table(s) employees" in out
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    assert "is not a directory" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "what is missing" in capsys.readouterr().out


def test_needs_and_skipped_sentences() -> None:
    own = load_study(OWN, tables=["customers", "employees"])
    assert needs(own, "01:metrics") == [] and needs(own, "04:drivers") == []
    assert needs(own, "02:invariance") == []  # region comes from the units' table
    missing = needs(own, "01:owners")
    assert missing and "no firms table" in missing[0]
    assert str(skipped("NPS by CX owner", missing)).startswith(
        "NPS by CX owner: skipped, because the data have no firms table")
    with pytest.raises(ValueError, match="argument 'section'"):
        needs(own, "01:nothing")
    assert needs(own, "05:linkage") == []
    assert needs(own, "05:unit_means") == []  # EX and CX means reliable enough to correct
    assert needs(own, "05:outcomes")[0].startswith("the data have no outcomes table")
    assert "no firm_years table" in str(skipped("Cross-lagged panel",
                                                needs(own, "05:firm_panel")))
    no_emp = load_study(OWN, tables=["customers"])
    assert needs(no_emp, "05:linkage") == ["the data have no employees table"]
    assert driver_source(OWN).kind == "instrument"
    assert driver_source(ONLY).kind == "synthetic"
    assert "no ecsi_survey" in driver_source(ONLY).reason
