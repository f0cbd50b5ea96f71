"""The notebooks as a course (issue 23): every lesson opens with learning goals and ends with
exercises whose questions are the bank's, whose answer cell calls ``cx.exercises.check`` and
whose solution is a folded cell that computes the answer and passes the check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxresearch import exercises
from cxresearch.core import paths

LESSONS = sorted(p for p in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")
                 if not p.name.startswith("00_"))
CORE = ("01", "02", "04", "05")  # 06 is split into 06 and 11: together they are core
GOALS = "**After this notebook you can**"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _outputs(cell: dict) -> str:
    out = []
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        out.append("".join(data.get("text/markdown", data.get("text/plain", o.get("text", "")))))
    return "\n".join(out)


def test_there_are_lessons_01_to_11() -> None:
    numbers = {p.name[:2] for p in LESSONS}
    assert {f"{i:02d}" for i in range(1, 12)} <= numbers, sorted(numbers)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_opens_with_three_to_five_learning_goals(path: Path) -> None:
    cells = _cells(path)
    goal = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
            and _text(c).lstrip().startswith(GOALS)]
    assert len(goal) == 1, f"{path.name}: one Markdown cell starting {GOALS!r}"
    first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    assert goal[0] <= first_code + 1, f"{path.name}: the goals come before the analysis"
    bullets = [ln for ln in _text(cells[goal[0]]).splitlines() if ln.startswith("- ")]
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} goals"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_ends_with_its_exercises_checked_and_solutions_folded(path: Path) -> None:
    nb = path.name[:2]
    cells = _cells(path)
    heads = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
             and _text(c).lstrip().startswith("## Exercises")]
    assert len(heads) == 1, f"{path.name}: one '## Exercises' section"
    conclusion = max(i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                     and "What this shows" in _text(c))
    assert heads[0] > conclusion, f"{path.name}: the exercises come after the conclusion"
    bank = exercises.catalog().set_index("id")
    ids = [i for i in bank.index if i.split(".")[0] == nb]
    assert len(ids) >= (3 if nb in CORE else 2), f"{path.name}: {len(ids)} exercises"
    assert bank.loc[ids, "predict"].any(), f"{path.name}: no change-and-predict exercise"
    section = cells[heads[0]:]
    for ex in ids:
        q = [i for i, c in enumerate(section) if c["cell_type"] == "markdown"
             and _text(c).startswith(f"**Exercise {ex}.**")]
        assert len(q) == 1, f"{path.name}: exercise {ex} is not in the Exercises section"
        asked = " ".join(_text(section[q[0]]).split()).removeprefix(f"**Exercise {ex}.** ")
        assert asked == " ".join(bank.loc[ex, "question"].split()), (
            f"{path.name}: exercise {ex}'s question differs from the bank's")
        answer, solution = section[q[0] + 1], section[q[0] + 2]
        assert answer["cell_type"] == "code" and re.search(
            rf'cx\.exercises\.check\("{re.escape(ex)}", None\)', _text(answer)), ex
        meta = solution.get("metadata", {})
        assert solution["cell_type"] == "code" and "solution" in meta.get("tags", []), ex
        assert meta.get("jupyter", {}).get("source_hidden") is True, f"{ex}: not folded"
        assert f'cx.exercises.check("{ex}"' in _text(solution), ex
        assert "exercises.solution(" not in _text(solution), f"{ex}: compute the answer"
        assert "Right:" in _outputs(solution), f"{path.name}: {ex}'s solution does not pass"


def test_core_lessons_06_and_11_have_four_exercises_between_them() -> None:
    counts = exercises.catalog().groupby("notebook").size()
    assert counts.get("06", 0) + counts.get("11", 0) >= 4
    assert (counts.reindex([f"{i:02d}" for i in range(1, 12)]).fillna(0) >= 2).all(), counts
