"""``check`` predicts ``run`` for notebook 05's unit-level linkage (issue 22).

``tests/data/own_survey`` has about 8 employees per store x wave (EX means reliable enough to
correct); ``tests/data/own_survey_sparse`` is the same survey with 2-3 employees per store x
wave (made by its ``make_fixture.py``), EX mean reliability 0.107, below
:data:`cxresearch.linkage.units.RELIABILITY_FLOOR`. On each, ``check`` and an actual run of
notebook 05 (through the runner, ``-p data_dir=``) must agree: both run the linkage, or both
skip it with the same sentence and the run completes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nb_outputs import notebook_text

from cxresearch.cli.check import check_folder, needs, skipped
from cxresearch.cli.runner import run_notebooks
from cxresearch.linkage.units import RELIABILITY_FLOOR, linkage_precondition, load_linkage_study

DATA = Path(__file__).parent / "data"
NB05 = "05_linkage_ex_cx_outcomes"
REASON = ("the store_id × wave EX means are too noisy to correct: 2.5 employees per "
          "store_id × wave on average, reliability 0.107, below the floor of 0.2")


def _check_and_run(folder: Path, tmp_path: Path) -> tuple[str, str]:
    row = check_folder(folder).to_frame().set_index("notebook").loc[NB05]
    assert bool(row["can_run"])
    table = run_notebooks([NB05], {"data_dir": str(folder), "n_boot": 100}, tmp_path,
                          progress=False)
    assert table["status"].tolist() == ["ok"]
    return str(row["missing"]), notebook_text(tmp_path / f"{NB05}.ipynb")


def test_precondition_on_the_fixtures() -> None:
    assert RELIABILITY_FLOOR == 0.2
    assert linkage_precondition(load_linkage_study(DATA / "own_survey")) is None
    sparse = load_linkage_study(DATA / "own_survey_sparse")
    assert linkage_precondition(sparse) == REASON
    assert needs(sparse, "05:unit_means") == [REASON]
    assert linkage_precondition(load_linkage_study()) is None  # the bundled firm-year design


@pytest.mark.parametrize("folder", ["own_survey_sparse"])  # own_survey: in test_own_data
def test_check_and_run_agree_on_notebook_05(folder: str, tmp_path: Path) -> None:
    note, out = _check_and_run(DATA / folder, tmp_path)
    sentence = str(skipped("The unit-level EX–CX linkage", [REASON]))
    if folder == "own_survey":
        assert "unit-level linkage corrected for noisy means" not in note
        assert "too noisy" not in out and "ols_estimate" in out  # the linkage table is shown
        assert "EX and CX with the outcomes: skipped" not in out
    else:
        assert f"skips the unit-level linkage corrected for noisy means: {REASON}" in note
        assert sentence in out
        assert str(skipped("EX and CX with the outcomes", [REASON])) in out
        assert "ols_estimate" not in out  # no linkage table, nothing synthetic in its place
        assert "Traceback" not in out and "DataError" not in out
