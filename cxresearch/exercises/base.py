"""What an exercise is (:class:`Exercise`) and what checking an answer says (:class:`Feedback`).

Every reference answer is computed when asked for (:func:`solution`), from the package's own
estimators on seeded synthetic data, the bundled synthetic study or a closed form; the near
misses are the answers a student reaches by a typical slip (the promoter share for the NPS, a
single share's variance, the design effect forgotten), each computed the same way, so that
:func:`check` can say what was probably forgotten.

Kinds: ``"number"`` (right within ``tolerance``), ``"choice"`` (one of ``options``),
``"yes/no"`` and ``"label"`` (a name, compared without regard to case or spaces).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from cxresearch.core.results import Result

__all__ = ["KINDS", "Exercise", "Feedback"]

KINDS = ("number", "choice", "yes/no", "label")


@dataclass(frozen=True)
class Exercise:
    """One exercise: its question, kind, reference answer (a function) and near misses.

    ``near_misses`` maps a function computing a wrong answer to the message that explains it
    (the message is shown when the student's answer is that one).
    """

    id: str
    question: str
    kind: str
    answer: Callable[[], Any]
    explain: Callable[[Any], str]
    tolerance: float = 0.0
    options: tuple[str, ...] = ()
    near_misses: tuple[tuple[Callable[[], Any], str], ...] = ()
    predict: bool = False  # asks the student to change something and predict what happens

    @property
    def notebook(self) -> str:
        """The notebook the exercise belongs to (``"01"`` for ``"01.2"``)."""
        return self.id.split(".")[0]


@dataclass(frozen=True, eq=False)
class Feedback(Result):
    """What :func:`check` says about an answer: ``correct`` and a ``message`` in words."""

    id: str
    answer: Any
    correct: bool
    message: str = field(default="")

    def to_frame(self) -> pd.DataFrame:
        """One row: id, answer, correct, message."""
        return pd.DataFrame([{"id": self.id, "answer": self.answer, "correct": self.correct,
                              "message": self.message}])

    def summary(self) -> str:
        """The message, prefixed with the exercise id."""
        return f"{self.id}: {self.message}"

    def _repr_markdown_(self) -> str:
        lead, sep, rest = self.message.partition(":")
        return f"**{lead}:**{rest}" if sep else self.message
