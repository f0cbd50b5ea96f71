"""The exercises of every notebook, in one bank: :func:`catalog`, :func:`check`, :func:`solution`.

Each notebook's exercises live in a module named after its topic (``measuring`` for 01,
``scales`` for 02, ...). Every reference answer is computed when asked for (:func:`solution`),
from the package's own estimators on seeded synthetic data, the bundled synthetic study or a
closed form; the near misses are the answers a student reaches by a typical slip (the promoter
share for the NPS, a single share's variance, the design effect forgotten), each computed the
same way, so that :func:`check` can say what was probably forgotten.

Kinds: ``"number"`` (right within ``tolerance``), ``"choice"`` (one of ``options``),
``"yes/no"`` and ``"label"`` (a name, compared without regard to case or spaces).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from cxresearch.core.validation import DataError
from cxresearch.exercises import (
    appointing_a_leader,
    coding,
    job_titles,
    key_drivers,
    linkage,
    measuring,
    ownership,
    satisfaction_index,
    scales,
    the_data,
    tracking,
    which_metric,
)
from cxresearch.exercises.base import KINDS, Exercise, Feedback

__all__ = ["EXERCISES", "Exercise", "Feedback", "catalog", "check", "solution"]

_TOPICS = (measuring, scales, satisfaction_index, key_drivers, linkage, ownership, the_data,
           which_metric, coding, job_titles, appointing_a_leader, tracking)
EXERCISES: tuple[Exercise, ...] = tuple(sorted(
    (e for topic in _TOPICS for e in topic.EXERCISES),
    key=lambda e: (e.notebook, int(e.id.split(".")[1]))))

_BY_ID: dict[str, Exercise] = {e.id: e for e in EXERCISES}


def _get(id: str) -> Exercise:
    if id not in _BY_ID:
        raise DataError(f"no exercise {id!r}; the exercises are {sorted(_BY_ID)}")
    return _BY_ID[id]


def catalog() -> pd.DataFrame:
    """Every exercise: one row each with ``id``, ``notebook``, ``question``, ``kind``.

    Returns
    -------
    pandas.DataFrame
        Also ``options`` (for a choice) and ``predict`` (True when the exercise asks the
        student to change something and predict what happens).

    Examples
    --------
    >>> from cxresearch import exercises
    >>> cat = exercises.catalog()
    >>> list(cat.columns[:4]), bool(cat.groupby("notebook").size().ge(2).all())
    (['id', 'notebook', 'question', 'kind'], True)
    """
    return pd.DataFrame([{"id": e.id, "notebook": e.notebook, "question": e.question,
                          "kind": e.kind, "options": ", ".join(e.options),
                          "predict": e.predict} for e in EXERCISES])


def solution(id: str) -> Any:
    """The reference answer of exercise ``id``, computed (never typed in).

    Parameters
    ----------
    id : str
        The exercise, e.g. ``"01.2"`` (:func:`catalog`).

    Returns
    -------
    float or str
        The answer: a number, an option, ``"yes"``/``"no"`` or a label.

    Examples
    --------
    >>> from cxresearch import exercises
    >>> exercises.solution("01.4")
    'narrower'
    """
    return _get(id).answer()


def _norm(text: Any) -> str:
    return " ".join(str(text).strip().lower().split())


def _matches(ex: Exercise, answer: Any, target: Any, tolerance: float) -> bool:
    if ex.kind == "number":
        try:
            return abs(float(answer) - float(target)) <= tolerance
        except (TypeError, ValueError):
            return False
    if ex.kind == "yes/no" and isinstance(answer, bool):
        answer = "yes" if answer else "no"
    return _norm(answer) == _norm(target)


def check(id: str, answer: Any = None) -> Feedback:
    """Is ``answer`` right? If not, what was probably forgotten.

    Parameters
    ----------
    id : str
        The exercise, e.g. ``"01.2"`` (:func:`catalog`).
    answer : float, str or bool
        A number (right within the exercise's tolerance), one of its options, ``"yes"``/``"no"``
        (or True/False) or a label.

    Returns
    -------
    Feedback
        ``correct`` and ``message``: the reasoning when right; for a near miss, what it is
        (the promoter share, the plain Wald, the design effect forgotten...); else a hint.

    Examples
    --------
    >>> from cxresearch import exercises
    >>> print(exercises.check("01.3", 3000).message[:60])
    Not quite: that treats the answers as independent: divide by
    """
    ex = _get(id)
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        what = {"number": "a number", "choice": "one of: " + ", ".join(ex.options),
                "yes/no": "yes or no", "label": "a name"}[ex.kind]
        return Feedback(id, answer, False, f"No answer yet: replace None with {what}.")
    if ex.kind == "choice" and _norm(answer) not in {_norm(o) for o in ex.options}:
        return Feedback(id, answer, False, f"Choose one of: {', '.join(ex.options)}.")
    if ex.kind == "yes/no" and not isinstance(answer, bool) and _norm(answer) not in ("yes",
                                                                                      "no"):
        return Feedback(id, answer, False, "Answer yes or no.")
    target = ex.answer()
    if _matches(ex, answer, target, ex.tolerance):
        return Feedback(id, answer, True, "Right: " + ex.explain(target))
    for wrong, message in ex.near_misses:
        if _matches(ex, answer, wrong(), max(ex.tolerance, 1e-9)):
            return Feedback(id, answer, False, "Not quite: " + message)
    hint = (f" (an answer within ±{ex.tolerance:g} counts)" if ex.kind == "number" else "")
    return Feedback(id, answer, False, "Not yet: look again at the notebook's section on this"
                                       + hint + ".")


def _check_bank(exercises: Sequence[Exercise]) -> None:
    ids = [e.id for e in exercises]
    if len(set(ids)) != len(ids) or any(e.kind not in KINDS for e in exercises):
        raise DataError("exercise ids must be unique and kinds one of " + ", ".join(KINDS))


_check_bank(EXERCISES)
