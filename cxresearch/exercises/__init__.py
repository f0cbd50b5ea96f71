"""Exercises with checked answers, for students (issue 23): one source for notebooks, site, tests.

``catalog()`` lists the exercises (``id`` such as ``"01.2"``, ``notebook``, ``question``,
``kind``); ``check(id, answer)`` says whether an answer is right and, for a near miss, what was
probably forgotten (the design effect, the sign, the other share); ``solution(id)`` gives the
reference answer, **computed** from the package's own functions on seeded synthetic data or a
closed form, never typed in. Answers are numbers (with a stated tolerance), a label, yes/no, or
one of a few options.

Example
-------
>>> from cxresearch import exercises
>>> fb = exercises.check("01.1", 20)
>>> fb.correct, fb.message
(True, 'Right: NPS = 45% promoters - 25% detractors = 20.')
>>> exercises.check("01.1", 45).message.split(":")[0]
'Not quite'
"""

from __future__ import annotations

from cxresearch.exercises.bank import EXERCISES, Exercise, Feedback, catalog, check, solution

__all__ = ["EXERCISES", "Exercise", "Feedback", "catalog", "check", "solution"]
