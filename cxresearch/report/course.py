"""The learning path: the notebooks in the order a course takes them (issue 23).

One table, :data:`LESSONS`, says for each notebook its short title, the notebooks to take first,
the minutes it takes to read and run, and one line of what it teaches. :func:`learning_path`
adds the number of exercises (from :func:`cxresearch.exercises.catalog`) and the time with the
exercises; :func:`course_markdown` writes the site's learning-path page from it, with each
notebook's learning goals (the "After this notebook you can" cell at its top);
:func:`path_problems` lists what is wrong with the table against ``notebooks/`` (a notebook
missing or listed twice, a prerequisite that comes later), for the tests.

The order: the data first (07), then the short start (00), measurement (01--04), linkage (05),
which metric (08), tracking CX over time (12), ownership and what appointing a leader does (06,
11), and the two content analyses (09, 10).

>>> [lesson.stem[:2] for lesson in LESSONS]
['07', '00', '01', '02', '03', '04', '05', '08', '12', '06', '11', '09', '10']
>>> path_problems([lesson.stem for lesson in LESSONS])
[]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cxresearch.core import paths

__all__ = [
    "LESSONS",
    "MINUTES_PER_EXERCISE",
    "Lesson",
    "course_markdown",
    "learning_goals",
    "learning_path",
    "path_problems",
]

#: the time a student is given for one exercise, in minutes
MINUTES_PER_EXERCISE: int = 5


@dataclass(frozen=True)
class Lesson:
    """One notebook on the learning path.

    Parameters
    ----------
    stem : str
        The notebook's file name without ``.ipynb`` (``"01_measuring_cx"``).
    title : str
        A short title for the path.
    prerequisites : tuple of str
        Stems of the notebooks to take first; each comes earlier on the path.
    minutes : int
        Minutes to read the notebook and run its cells, without the exercises.
    teaches : str
        One line: what a student learns from it.

    Examples
    --------
    >>> Lesson("01_measuring_cx", "Measuring CX", ("00_start_here",), 60, "NPS.").number
    '01'
    """

    stem: str
    title: str
    prerequisites: tuple[str, ...]
    minutes: int
    teaches: str

    @property
    def number(self) -> str:
        """The notebook's two-digit number, as in the exercises' ids (``"01"``)."""
        return self.stem[:2]


#: the notebooks in course order (see the module docstring)
LESSONS: tuple[Lesson, ...] = (
    Lesson("07_the_data", "The data", (), 30,
           "what a survey folder holds (customers, employees, firms, periods), how messy the "
           "answers are, which public data sets are real, fictional or artificial, and how an "
           "export is read and checked."),
    Lesson("00_start_here", "Start here", ("07_the_data",), 15,
           "what the project examines, what its evidence can and cannot support, and a first "
           "NPS with an honest interval."),
    Lesson("01_measuring_cx", "Measuring CX: NPS, CSAT, CES", ("00_start_here",), 60,
           "scores with intervals that treat firms as clusters (the design effect), "
           "Holm-adjusted comparisons of segments, and how many answers a precise score needs."),
    Lesson("02_culture_and_engagement_scales", "Culture and engagement scales",
           ("01_measuring_cx",), 50,
           "whether a scale is reliable (alpha, omega) and valid (CFA fit, AVE, HTMT, "
           "invariance), and what misfit, non-invariance and an unreversed item look like."),
    Lesson("03_satisfaction_index_model", "A satisfaction-index model",
           ("02_culture_and_engagement_scales",), 35,
           "an ECSI/ACSI index as a PLS path model: measurement quality, paths with bootstrap "
           "intervals, index scores on 0-100, direct and indirect paths."),
    Lesson("04_key_drivers", "Key drivers", ("01_measuring_cx",), 35,
           "relative weights and Shapley against betas and correlations, and when collinear "
           "drivers' ranks cannot be told apart."),
    Lesson("05_linkage_ex_cx_outcomes", "Linkage: EX, CX and outcomes",
           ("01_measuring_cx", "02_culture_and_engagement_scales"), 55,
           "when answers may be averaged to units (ICC, rwg), multilevel models, the pooled "
           "against the random-intercept cross-lagged panel, and mediation: associations, not "
           "effects."),
    Lesson("08_which_metric", "Which metric?", ("01_measuring_cx", "05_linkage_ex_cx_outcomes"),
           55,
           "how NPS, the mean, top-2-box, CSAT, CES and an index predict churn, spend and "
           "growth (AUC), what the NPS cut costs, and how a bonus tied to a metric bends it."),
    Lesson("12_tracking_cx_over_time", "Tracking CX over time", ("01_measuring_cx",), 40,
           "raking answers to the customer base with calibration-aware intervals, the design "
           "effect of weights, and which month-on-month changes by segment hold (Holm, small "
           "cells, a trend with its band)."),
    Lesson("06_who_owns_cx", "Who owns CX?", ("05_linkage_ex_cx_outcomes",), 35,
           "how outcomes differ by who owns CX (a CX leader, the CEO, COO or CMO, everyone), "
           "and why a comparison across firms is an association, not an owner's effect."),
    Lesson("11_appointing_a_cx_leader", "What appointing a CX leader does",
           ("06_who_owns_cx",), 45,
           "an event study of appointments with its checks (parallel trends, M-bar, doubly "
           "robust estimates), synthetic control for one firm, and the power of such a study."),
    Lesson("09_coding_open_answers", "Coding open answers", ("01_measuring_cx",), 35,
           "a coding frame and two coders: agreement (kappa, Krippendorff's alpha), shares with "
           "simultaneous intervals, and what a self-selected poll cannot say."),
    Lesson("10_cx_job_titles", "CX job titles", ("09_coding_open_answers",), 30,
           "a content-analysis protocol for job postings: a keyword dictionary and a classifier "
           "validated against hand codes."),
)


def path_problems(stems: Iterable[str] | None = None,
                  path: Sequence[Lesson] = LESSONS) -> list[str]:
    """What is wrong with the learning path against the notebooks that exist.

    Parameters
    ----------
    stems : iterable of str, optional
        The notebooks' stems; default every ``NN_*.ipynb`` in ``notebooks/``.
    path : sequence of Lesson
        The path to check (default :data:`LESSONS`).

    Returns
    -------
    list of str
        One sentence per problem: a notebook not on the path, a notebook on it twice, a lesson
        without its notebook, a prerequisite that is not on the path or comes later. Empty when
        the path is sound.

    Examples
    --------
    >>> a = Lesson("01_a", "A", ("02_b",), 10, "a.")
    >>> b = Lesson("02_b", "B", (), 10, "b.")
    >>> path_problems(["01_a", "02_b", "03_c"], [a, b])  # doctest: +NORMALIZE_WHITESPACE
    ['03_c is not on the learning path',
     '01_a: its prerequisite 02_b comes later on the path']
    """
    if stems is None:
        stems = [nb.stem for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
    stems = list(stems)
    order = [lesson.stem for lesson in path]
    out = [f"{s} is not on the learning path" for s in stems if s not in order]
    out += [f"{s} is on the learning path {order.count(s)} times"
            for s in dict.fromkeys(order) if order.count(s) > 1]
    out += [f"{s} is on the learning path but notebooks/{s}.ipynb does not exist"
            for s in order if s not in stems]
    for i, lesson in enumerate(path):
        for pre in lesson.prerequisites:
            if pre not in order:
                out.append(f"{lesson.stem}: its prerequisite {pre} is not on the path")
            elif order.index(pre) >= i:
                out.append(f"{lesson.stem}: its prerequisite {pre} comes later on the path")
    return out


_GOALS_RE = re.compile(r"\*\*After this notebook you can\*\*")


def learning_goals(notebook: str | Path) -> list[str]:
    """The bullets of a notebook's "**After this notebook you can**" cell (empty if none).

    Parameters
    ----------
    notebook : str or pathlib.Path
        An ``.ipynb`` file.

    Returns
    -------
    list of str
        The goals, without their leading ``-``.

    Examples
    --------
    >>> import json, tempfile
    >>> cell = {"cell_type": "markdown", "metadata": {},
    ...         "source": "**After this notebook you can**\\n\\n- read an NPS\\n- say why"}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "01_x.ipynb"
    ...     _ = p.write_text(json.dumps({"cells": [cell]}))
    ...     learning_goals(p)
    ['read an NPS', 'say why']
    """
    path = Path(notebook)
    if not path.is_file():
        return []
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else str(src)
        if cell.get("cell_type") == "markdown" and _GOALS_RE.search(text):
            goals: list[str] = []
            for line in text.splitlines():
                if re.match(r"^\s*[-*]\s+", line):
                    goals.append(re.sub(r"^\s*[-*]\s+", "", line).strip())
                elif goals and line.startswith("  ") and line.strip():  # a wrapped bullet
                    goals[-1] += " " + line.strip()
            return goals
    return []


def _exercise_counts() -> dict[str, int]:
    from cxresearch.exercises import catalog

    return {str(k): int(v) for k, v in catalog().groupby("notebook").size().items()}


def learning_path(notebooks_dir: str | Path | None = None) -> pd.DataFrame:
    """The learning path as a table, one row per notebook in course order.

    Parameters
    ----------
    notebooks_dir : str or pathlib.Path, optional
        Where the notebooks are (default ``notebooks/``): says which exist.

    Returns
    -------
    pandas.DataFrame
        ``step`` (1, 2, ...), ``notebook`` (stem), ``number``, ``title``, ``prerequisites``
        (their numbers, comma-separated), ``minutes`` (reading and running), ``exercises``
        (from :func:`cxresearch.exercises.catalog`), ``total_minutes`` (with
        :data:`MINUTES_PER_EXERCISE` per exercise), ``teaches`` and ``exists``.

    Examples
    --------
    >>> t = learning_path()
    >>> t[["step", "number"]].head(3).to_dict("list")
    {'step': [1, 2, 3], 'number': ['07', '00', '01']}
    >>> bool((t["total_minutes"] == t["minutes"] + 5 * t["exercises"]).all())
    True
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS_DIR
    counts = _exercise_counts()
    rows = []
    for i, lesson in enumerate(LESSONS, start=1):
        n_ex = counts.get(lesson.number, 0)
        rows.append({
            "step": i, "notebook": lesson.stem, "number": lesson.number, "title": lesson.title,
            "prerequisites": ", ".join(p[:2] for p in lesson.prerequisites),
            "minutes": lesson.minutes, "exercises": n_ex,
            "total_minutes": lesson.minutes + MINUTES_PER_EXERCISE * n_ex,
            "teaches": lesson.teaches, "exists": (folder / f"{lesson.stem}.ipynb").is_file(),
        })
    return pd.DataFrame(rows)


def _hours(minutes: int) -> str:
    """``"1 h 05 min"`` or ``"45 min"``, with no-break spaces (a table cell keeps it on a line)."""
    h, m = divmod(int(minutes), 60)
    return (f"{h} h {m:02d} min" if h else f"{m} min").replace(" ", "\u00a0")


def course_markdown(notebooks_dir: str | Path | None = None, *,
                    notebook_prefix: str = "notebooks/",
                    glossary: str = "glossary.md") -> str:
    """The site's learning-path page (MyST markdown): the table, then each notebook's goals.

    A notebook on the path that does not exist (yet) is named without a link, so that the site
    builds; :func:`path_problems` (and the tests) report it.

    Parameters
    ----------
    notebooks_dir : str or pathlib.Path, optional
        Where the notebooks are (default ``notebooks/``).
    notebook_prefix : str
        The notebooks' folder relative to the page (``notebooks/`` on the site).
    glossary : str
        The glossary page relative to the page.

    Returns
    -------
    str

    Examples
    --------
    >>> page = course_markdown()
    >>> page.splitlines()[0]
    '# Learning path'
    >>> "[07 · The data](notebooks/07_the_data.ipynb)" in page
    True
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS_DIR
    table = learning_path(folder)
    exists = dict(zip(table["notebook"], table["exists"]))

    def link(stem: str, text: str) -> str:
        return f"[{text}]({notebook_prefix}{stem}.ipynb)" if exists.get(stem) else text

    n_ex = int(table["exercises"].sum())
    lines = [
        "# Learning path",
        "",
        f"The {len(table)} notebooks in the order a course takes them: the data first, then "
        "measurement (scores, scales, an index model, key drivers), linkage, which metric to "
        "use, tracking CX over time, who owns CX and what appointing a leader does, and two "
        "content analyses. The "
        "lessons' learning goals below come from the top of each notebook; the exercises are "
        "at a notebook's end, answered with `cx.exercises.check`, with each solution folded "
        f"under it (\"Solution\"): {n_ex} exercises in all.",
        "",
        f"*Time* is for reading a notebook and running its cells, plus about "
        f"{MINUTES_PER_EXERCISE} minutes per exercise: {_hours(int(table['total_minutes'].sum()))}"
        f" for the whole path. *Take first* names the notebooks a lesson builds on. Terms are "
        f"explained in the [glossary]({glossary}). To work on a copy of a notebook rather than "
        "the project's own, see \"For students\" in the README.",
        "",
        "| step | notebook | take first | time | exercises | what you learn |",
        "|---:|---|---|---:|---:|---|",
    ]
    for row in table.itertuples(index=False):
        pre = ", ".join(link(p, p[:2]) for p in next(
            lesson.prerequisites for lesson in LESSONS if lesson.stem == row.notebook)) or "–"
        lines.append(f"| {row.step} | {link(row.notebook, f'{row.number} · {row.title}')} | "
                     f"{pre} | {_hours(row.total_minutes)} | {row.exercises} | "
                     f"{row.teaches} |")
    lines += ["", "## The lessons, step by step", ""]
    for row in table.itertuples(index=False):
        lesson = next(lesson for lesson in LESSONS if lesson.stem == row.notebook)
        lines += [f"### {row.step}. {row.number} · {row.title}", ""]
        pre = ", ".join(link(p, p) for p in lesson.prerequisites) or "nothing"
        where = (link(row.notebook, f"the notebook {row.notebook}") if row.exists
                 else f"the notebook {row.notebook} (not yet in `notebooks/`)")
        lines += [f"Open {where}. Take first: {pre}. About {_hours(row.minutes)} to read and "
                  f"run, {row.exercises} exercise{'s' if row.exercises != 1 else ''} "
                  f"(about {_hours(row.total_minutes)} in all).", ""]
        lines += [f"What you learn: {row.teaches}", ""]
        goals = [g.replace("](../docs/glossary.md", f"]({glossary}")
                 for g in learning_goals(folder / f"{row.notebook}.ipynb")]
        if goals:
            lines += ["Its learning goals: after it you can", "", *[f"- {g}" for g in goals], ""]
    return "\n".join(lines)
