"""The learning path (``cxresearch.report.course``) and its page on the site (issue 23)."""

from __future__ import annotations

import re

import pytest

from cxresearch.core import paths
from cxresearch.exercises import catalog
from cxresearch.report.course import (
    LESSONS,
    Lesson,
    course_markdown,
    learning_goals,
    learning_path,
    path_problems,
)

NOTEBOOKS = sorted(nb.stem for nb in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_the_order_is_the_courses():
    assert [lesson.number for lesson in LESSONS] == [
        "07", "00", "01", "02", "03", "04", "05", "08", "12", "06", "11", "09", "10"]


def test_every_notebook_is_on_the_path_exactly_once():
    order = [lesson.stem for lesson in LESSONS]
    assert sorted(order) == NOTEBOOKS, path_problems()
    assert len(order) == len(set(order))


def test_prerequisites_come_earlier():
    seen: set[str] = set()
    for lesson in LESSONS:
        assert set(lesson.prerequisites) <= seen, lesson.stem
        seen.add(lesson.stem)
    assert not [p for p in path_problems() if "prerequisite" in p]


def test_path_problems_names_each_fault():
    a = Lesson("01_a", "A", ("02_b", "09_z"), 10, "a.")
    b = Lesson("02_b", "B", (), 10, "b.")
    problems = path_problems(["01_a", "02_b", "03_c"], [a, b, b])
    assert "03_c is not on the learning path" in problems
    assert "02_b is on the learning path 2 times" in problems
    assert "01_a: its prerequisite 02_b comes later on the path" in problems
    assert "01_a: its prerequisite 09_z is not on the path" in problems
    assert path_problems(["02_b"], [b, a]) == [
        "01_a is on the learning path but notebooks/01_a.ipynb does not exist",
        "01_a: its prerequisite 09_z is not on the path"]


def test_every_lesson_has_a_time_and_a_line():
    for lesson in LESSONS:
        assert 10 <= lesson.minutes <= 120, lesson.stem
        assert lesson.teaches.endswith(".") and len(lesson.teaches) < 240, lesson.stem


def test_the_table_counts_the_exercises_of_the_bank():
    table = learning_path()
    counts = catalog().groupby("notebook").size()
    for row in table.itertuples():
        assert row.exercises == int(counts.get(row.number, 0)), row.notebook
        assert row.total_minutes == row.minutes + 5 * row.exercises
    assert table["exists"].tolist() == [
        (paths.NOTEBOOKS_DIR / f"{stem}.ipynb").is_file() for stem in table["notebook"]]


def test_the_page_has_a_row_per_lesson_and_links_only_existing_notebooks():
    page = course_markdown()
    rows = [line for line in page.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == len(LESSONS)
    for lesson, row in zip(LESSONS, rows):
        assert f"{lesson.number} · {lesson.title}" in row
    for stem in re.findall(r"\]\(notebooks/([\w\-]+)\.ipynb\)", page):
        assert (paths.NOTEBOOKS_DIR / f"{stem}.ipynb").is_file(), stem
    assert "[glossary](glossary.md)" in page


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_goals_read_from_the_notebook_are_on_the_page(stem):
    goals = learning_goals(paths.NOTEBOOKS_DIR / f"{stem}.ipynb")
    if not goals:
        pytest.skip(f"{stem} has no learning goals yet")
    assert 3 <= len(goals) <= 5, goals
    page = course_markdown()
    for goal in goals:
        assert f"- {goal.replace('](../docs/glossary.md', '](glossary.md')}" in page
