"""The exercises: each question, its kind, how its answer is computed, and its near misses.

Every reference answer is computed when asked for (:func:`solution`), from the package's own
estimators on seeded synthetic data, the bundled synthetic study or a closed form; the near
misses are the answers a student reaches by a typical slip (the promoter share for the NPS, a
single share's variance, the design effect forgotten), each computed the same way, so that
:func:`check` can say what was probably forgotten.

Kinds: ``"number"`` (right within ``tolerance``), ``"choice"`` (one of ``options``),
``"yes/no"`` and ``"label"`` (a name, compared without regard to case or spaces).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError

__all__ = ["EXERCISES", "Exercise", "Feedback", "catalog", "check", "solution"]

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
        return ("**Right.** " if self.correct else "**Not yet.** ") + self.message


# ------------------------------------------------------------------------------ 01: metrics
_P, _Q, _D = 45, 30, 25  # promoters, passives, detractors of 100 answers


@cache
def _nps(method: str = "adjusted_wald") -> Any:
    from cxresearch.metrics.scores import nps_from_counts

    return nps_from_counts(_P, _Q, _D, method=method)


def _half_width(method: str) -> float:
    r = _nps(method)
    return round(float(r.ci_high - r.ci_low) / 2, 2)


def _single_share_half_width() -> float:
    """The half-width a single proportion's variance would give (the slip of 01.2)."""
    from cxresearch.core.inference import z_crit

    p = _P / 100
    return round(float(z_crit(0.95) * np.sqrt(p * (1 - p) / 100) * 100), 2)


def _n_eff(firms: int, per_firm: int, icc: float = 0.05) -> float:
    """Effective sample size of ``firms`` x ``per_firm`` answers: n / (1 + (m - 1) ICC)."""
    return firms * per_firm / (1 + (per_firm - 1) * icc)


# ------------------------------------------------------------------------ 02: scales
@cache
def _culture_alpha(reverse: bool) -> float:
    from cxresearch.core.contract import CULTURE_ITEMS, reverse_items
    from cxresearch.io.readers import load_study
    from cxresearch.measurement.psychometrics import cronbach_alpha

    employees = load_study(None, tables=["employees"]).employees
    items = list(CULTURE_ITEMS)
    data = reverse_items(employees) if reverse else employees
    return round(float(cronbach_alpha(data[items]).alpha), 3)


# ------------------------------------------------------------------------ 04: key drivers
@cache
def _ecsi() -> tuple[pd.DataFrame, list[str]]:
    from cxresearch.simulate.ecsi import simulate_ecsi_survey

    items = simulate_ecsi_survey(n=1000, seed=0).data
    drivers = [c for c in items if c.startswith(("PERQ", "PERV", "IMAG"))]
    survey = items[drivers].assign(satisfaction=items[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1))
    return survey.astype(float), drivers


@cache
def _shares() -> pd.Series:
    from cxresearch.linkage.drivers import shapley_from_corr

    survey, drivers = _ecsi()
    c = survey[[*drivers, "satisfaction"]].corr().to_numpy()
    return pd.Series(shapley_from_corr(c[:-1, :-1], c[:-1, -1]), index=drivers)


@cache
def _betas() -> pd.Series:
    survey, drivers = _ecsi()
    z = (survey - survey.mean()) / survey.std()
    x = np.column_stack([np.ones(len(z)), z[drivers].to_numpy()])
    beta = np.linalg.lstsq(x, z["satisfaction"].to_numpy(), rcond=None)[0][1:]
    return pd.Series(beta, index=drivers)


def _same_order() -> str:
    return "yes" if list(_shares().rank(ascending=False)) == list(
        _betas().abs().rank(ascending=False)) else "no"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "01.1",
        f"Of 100 answers to the recommend question, {_P} are promoters (9-10), {_Q} passives "
        f"(7-8) and {_D} detractors (0-6). What is the NPS?",
        "number", lambda: round(float(_nps().estimate), 2),
        lambda a: f"NPS = {_P}% promoters - {_D}% detractors = {a:g}.",
        tolerance=0.5,
        near_misses=(
            (lambda: float(_P), "that is the share of promoters: NPS subtracts the share of "
                                "detractors from it."),
            (lambda: -float(_nps().estimate), "the sign is reversed: NPS is promoters minus "
                                              "detractors."),
            (lambda: float(_P + _Q), "passives count in neither share: NPS is promoters "
                                     "minus detractors."),
        ),
    ),
    Exercise(
        "01.2",
        "For the same 100 answers, what is the half-width (the ±) of the 95% adjusted-Wald "
        "interval of the NPS, in points? (cx.nps_from_counts)",
        "number", lambda: _half_width("adjusted_wald"),
        lambda a: f"±{a:g} points: NPS is a difference of two shares of the same answers, so "
                  "its variance per answer is p + d - (p - d)^2, and the adjusted Wald adds "
                  "3/4 of a promoter, 3/4 of a detractor and 3 answers before computing it.",
        tolerance=0.2,
        near_misses=(
            (lambda: _half_width("wald"), "that is the plain Wald interval; the adjusted Wald "
                                          "(the default) adds 3/4 promoter, 3/4 detractor and "
                                          "3 answers first."),
            (_single_share_half_width, "that is a single share's interval (p(1 - p)); NPS is a "
                                       "difference of two shares of the same answers, whose "
                                       "variance is p + d - (p - d)^2."),
        ),
    ),
    Exercise(
        "01.3",
        "3,000 answers come from 30 firms of 100 answers each, and answers within a firm are "
        "alike (ICC 0.05). How many independent answers are they worth (the effective n), to "
        "the nearest whole answer?",
        "number", lambda: round(_n_eff(30, 100), 1),
        lambda a: f"about {a:,.0f}: the design effect is 1 + (m - 1) ICC = 1 + 99 x 0.05 = "
                  "5.95, and n_eff = n / design effect.",
        tolerance=2.0,
        near_misses=(
            (lambda: 3000.0, "that treats the answers as independent: divide by the design "
                             "effect 1 + (m - 1) ICC."),
            (lambda: 30.0, "that counts only the firms; each firm's 100 answers add "
                           "information, just less than 100 independent ones would."),
        ),
    ),
    Exercise(
        "01.4",
        "Predict: keep the 3,000 answers and the ICC of 0.05, but spread them over 300 firms of "
        "10 answers. Is the interval of the NPS narrower, wider or the same?",
        "choice",
        lambda: ("narrower" if _n_eff(300, 10) > _n_eff(30, 100) else "wider"),
        lambda a: f"{a}: the design effect falls to 1 + 9 x 0.05 = 1.45, so the same answers are "
                  f"worth about {_n_eff(300, 10):,.0f} independent ones instead of "
                  f"{_n_eff(30, 100):,.0f}. More clusters buy more precision than more answers "
                  "per cluster.",
        options=("narrower", "wider", "the same"),
        near_misses=((lambda: "the same", "the number of answers is the same, but not the "
                                          "design effect, which grows with the answers per "
                                          "firm."),),
        predict=True,
    ),
    Exercise(
        "02.1",
        "Cronbach's alpha of the bundled study's six culture items, with culture_4 "
        "reverse-scored (cx.reverse_items, then cx.cronbach_alpha)? Three decimals.",
        "number", lambda: _culture_alpha(True),
        lambda a: f"alpha = {a:.3f} on the synthetic study's culture items.",
        tolerance=0.002,
        near_misses=((lambda: _culture_alpha(False), "that is alpha with culture_4 left as "
                                                     "answered: it correlates negatively with "
                                                     "the others until it is reverse-scored."),),
    ),
    Exercise(
        "02.2",
        "Predict: forget to reverse-score culture_4. Does alpha go up, down or stay the same?",
        "choice",
        lambda: "down" if _culture_alpha(False) < _culture_alpha(True) else "up",
        lambda a: f"{a}: from {_culture_alpha(True):.3f} to {_culture_alpha(False):.3f}; an "
                  "item that runs against the others lowers the covariances alpha is built "
                  "from.",
        options=("up", "down", "the same"),
        predict=True,
    ),
    Exercise(
        "04.1",
        "On the synthetic ECSI survey (cx.simulate_ecsi_survey(n=1000, seed=0); satisfaction = "
        "mean of CUSA1-CUSA3; drivers: the PERQ, PERV and IMAG items), which driver has the "
        "largest Shapley (LMG) share of the explained variance? Give its code.",
        "label", lambda: str(_shares().idxmax()),
        lambda a: f"{a}: its Shapley share is {_shares().max():.3f} of the R^2 of "
                  f"{_shares().sum():.3f} ({_shares().max() / _shares().sum():.0%} of what the "
                  "drivers explain together).",
        near_misses=((lambda: str(_betas().abs().idxmax()), "that is the largest regression "
                                                            "beta; with correlated drivers the "
                                                            "betas share out the variance "
                                                            "differently from Shapley."),),
    ),
    Exercise(
        "04.2",
        "On the same survey, do the absolute regression betas rank all the drivers in the same "
        "order as their Shapley shares? (yes/no)",
        "yes/no", _same_order,
        lambda a: (f"{a}: " + ("correlated drivers share variance, and a beta gives each only "
                               "its unique part, so the two orders differ." if a == "no" else
                               "here the two orders agree.")),
    ),
    Exercise(
        "04.3",
        "What do the Shapley shares of all the drivers add up to, on the same survey? Three "
        "decimals.",
        "number", lambda: round(float(_shares().sum()), 3),
        lambda a: f"{a:.3f}: the R^2 of the regression on every driver (Shapley shares split "
                  "it exactly).",
        tolerance=0.002,
        near_misses=((lambda: 1.0, "they add up to the model's R^2, not to 1, unless they are "
                                   "rescaled to shares of it."),
                     (lambda: 100.0, "they add up to the model's R^2, not to 100%, unless they "
                                     "are rescaled.")),
    ),
)
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
    >>> exercises.catalog().groupby("notebook").size().to_dict()
    {'01': 4, '02': 2, '04': 3}
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


def check(id: str, answer: Any) -> Feedback:
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
