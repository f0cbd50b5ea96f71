"""Exercises of notebook 01, measuring CX: NPS and its interval, the design effect of answers
nested in firms."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

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
)
