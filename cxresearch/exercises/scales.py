"""Exercises of notebook 02, scales: reliability and what a reversed item does to it."""

from __future__ import annotations

from functools import cache

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

@cache
def _culture_alpha(reverse: bool) -> float:
    from cxresearch.core.contract import CULTURE_ITEMS, reverse_items
    from cxresearch.io.readers import load_study
    from cxresearch.measurement.psychometrics import cronbach_alpha

    employees = load_study(None, tables=["employees"]).employees
    items = list(CULTURE_ITEMS)
    data = reverse_items(employees) if reverse else employees
    return round(float(cronbach_alpha(data[items]).alpha), 3)


EXERCISES: tuple[Exercise, ...] = (
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
)
