"""``check`` predicts ``run`` on every own-data fixture and on folders made to fail (issue 22).

For each folder, ``check_folder`` gives a verdict per notebook and ``run_notebooks`` (as
``python -m cxresearch run -p data_dir=...`` calls it) runs the selected notebooks. They must
agree: a notebook ``check`` passes runs to the end (it may skip sections, saying why); a
notebook ``check`` rejects is not run, and its row gives ``check``'s reason. No notebook fails.

The folders: the committed fixtures (``customers_only``, ``own_qualtrics`` with and without
``on_invalid="set_aside"``, ``own_survey_quarterly``; ``own_survey`` and ``own_survey_sparse``
are run in ``test_own_data.py`` and ``test_check_run_agree.py``) and folders made here from
``own_survey`` to fail one precondition each: a typo in the instrument's drivers, perfectly
collinear drivers, fewer than three units. Each runs only the notebooks its precondition
concerns, with small simulation sizes, so the test stays fast.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from nb_outputs import figures_in, notebook_text

from cxresearch.cli.check import check_folder
from cxresearch.cli.runner import notebook_parameters, resolve_notebooks, run_notebooks

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
NPS_WORDING = "How likely are you to recommend Northwind Outfitters to a friend or colleague?"
FAST = {"n_sim": 200, "n_boot": 100, "n_bootstrap": 20, "n_respondents": 300}

def _fast(notebooks: list[str]) -> dict:
    """The small sizes the selected notebooks declare (the runner refuses unknown ones)."""
    known = set().union(*(notebook_parameters(p) for p in resolve_notebooks(notebooks)))
    return {k: v for k, v in FAST.items() if k in known}


def _copy_own(tmp: Path) -> Path:
    folder = tmp / "own"
    shutil.copytree(OWN, folder, ignore=shutil.ignore_patterns("*.py", "README.md"))
    return folder


def _typo(tmp: Path) -> Path:
    folder = _copy_own(tmp)
    shutil.copy(DATA / "instruments" / "drivers_typo.yml", folder / "instrument.yml")
    return folder


def _collinear(tmp: Path) -> Path:
    folder = _copy_own(tmp)
    cust = pd.read_csv(folder / "customers.csv")
    cust["d2"] = cust["d1"]  # a driver that copies another
    cust.to_csv(folder / "customers.csv", index=False)
    return folder


def _two_units(tmp: Path) -> Path:
    folder = _copy_own(tmp)
    for table in ("customers", "employees", "outcomes", "units"):
        frame = pd.read_csv(folder / f"{table}.csv")
        frame[frame["store_id"].isin(["S01", "S02"])].to_csv(folder / f"{table}.csv",
                                                             index=False, quoting=csv.QUOTE_MINIMAL)
    return folder


#: (id, folder maker, extra parameters, notebooks to run, expected {notebook: ran?}, reason of
#: the first notebook not run)
CASES = [
    ("customers_only", lambda t: DATA / "customers_only", {}, ["01", "03", "04", "05"],
     {"01": True, "03": False, "04": False, "05": False}, "an ecsi_survey table"),
    ("qualtrics_raise", lambda t: DATA / "own_qualtrics", {}, ["01", "04", "05"],
     {"01": False, "04": False, "05": False}, "the customers table, which cannot be read"),
    ("qualtrics_set_aside", lambda t: DATA / "own_qualtrics", {"on_invalid": "set_aside"},
     ["04", "05"], {"04": True, "05": True}, ""),
    ("quarterly", lambda t: DATA / "own_survey_quarterly", {}, ["05"], {"05": True}, ""),
    ("drivers_typo", _typo, {}, ["04"], {"04": False},
     "the instrument's drivers cannot be used"),
    ("collinear_drivers", _collinear, {}, ["04"], {"04": False}, "perfectly collinear"),
    ("two_units", _two_units, {}, ["05"], {"05": False}, "fewer than 3 units"),
]


@pytest.mark.parametrize(("case", "make", "extra", "notebooks", "expected", "reason"), CASES,
                         ids=[c[0] for c in CASES])
def test_check_and_run_agree(case: str, make, extra: dict, notebooks: list[str],
                             expected: dict[str, bool], reason: str, tmp_path: Path) -> None:
    folder = make(tmp_path)
    verdicts = check_folder(folder, on_invalid=extra.get("on_invalid", "raise")).to_frame()
    verdicts = verdicts.set_index("notebook")
    stems = {n: resolve_notebooks([n])[0].stem for n in notebooks}
    predicted = {n: bool(verdicts.loc[stems[n], "can_run"]) for n in notebooks}
    assert predicted == expected, verdicts
    out = tmp_path / "out"
    with figures_in(out):
        table = run_notebooks(notebooks, {"data_dir": str(folder), **_fast(notebooks), **extra},
                              out, progress=False, keep_going=True).set_index("notebook")
    for n in notebooks:
        row = table.loc[f"{stems[n]}.ipynb"]
        if predicted[n]:
            assert row["status"] == "ok", (n, row["error"])
            text = notebook_text(out / f"{stems[n]}.ipynb")
            assert "Traceback" not in text
        else:
            assert row["status"] == "not run", (n, row["status"], row["error"])
            why = verdicts.loc[stems[n], "missing"]
            assert row["error"] == f"not run: check says it needs {why}"
    first_no = next((n for n in notebooks if not predicted[n]), None)
    if first_no is not None:
        assert reason in verdicts.loc[stems[first_no], "missing"]
    if extra.get("on_invalid") == "set_aside":  # listed once, by response id; counted in each
        listed = pd.read_csv(out / "set_aside_customers.csv")
        assert listed["response_id"].str.startswith("R_").all() and len(listed) == 3
        assert set(listed["column"]) == {"Q1", "Q3", "Q4_2"}
        for n in notebooks:
            text = notebook_text(out / f"{stems[n]}.ipynb")
            assert "3 rows set aside" in text
            assert "42 unfinished or preview responses excluded" in text
            assert "R_0" not in text  # the ids are in the file, not in the notebooks
        # 05 describes the data first in the export's own words, and says nothing bundled
        text = notebook_text(out / "05_linkage_ex_cx_outcomes.ipynb")
        assert f"NPS (Q1: “{NPS_WORDING}”)" in text
        assert "culture_4" not in text and "300 firms" not in text
        entry = json.loads((out / "figures" / "manifest.json").read_text())["05_unit_means"]
        assert NPS_WORDING in entry["caption"] and entry["evidence"] == ["user"]
        assert len(entry["alt_text"]) <= 300 and "your data" in entry["alt_text"]
    if case == "drivers_typo":  # the drivers' problem stops 04 only (01, 02, 05 run on these
        # data exactly as on own_survey, which test_own_data runs)
        assert verdicts.loc[["01_measuring_cx", "02_culture_and_engagement_scales",
                             "05_linkage_ex_cx_outcomes"], "can_run"].all()
    if case == "customers_only":  # 01 without units: independent answers, sections skipped
        text = notebook_text(out / "01_measuring_cx.ipynb")
        assert "1,715 customer responses (user data)" in text
        assert "answers are treated as independent" in text
        assert "NPS by CX owner: skipped" in text and "Small cells: skipped" in text
        assert "pairwise differences in NPS between region segments" in text

