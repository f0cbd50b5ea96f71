"""Exercises of notebook 09, coding open answers: Cohen's kappa of two coders, the kappa
paradox (raw agreement that stays while kappa falls when one code dominates).

The answers are computed with :func:`cxresearch.text.coding.cohen_kappa` on the notebook's
**synthetic** poll (:func:`cxresearch.simulate.poll.simulate_poll`, ``n=110, seed=0``), on a
synthetic poll in which one view dominates, and on a closed-form two-code table.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

# 09.3: one view dominates (synthetic, illustrative shares)
_DOMINANT: dict[str, float] = {c: 0.85 if c == "everyone" else 0.025
                               for c in ("ceo", "coo", "cmo", "cxo", "everyone",
                                         "person_not_title", "other")}

# 09.2: two codes, 100 answers; (coder 1, coder 2) -> answers
_TABLE = {("everyone", "everyone"): 80, ("everyone", "other"): 5, ("other", "everyone"): 5,
          ("other", "other"): 10}


@cache
def _poll(dominant: bool = False) -> pd.DataFrame:
    from cxresearch.simulate.poll import simulate_poll

    if dominant:
        return simulate_poll(n=110, seed=0, shares=_DOMINANT)
    return simulate_poll(n=110, seed=0)


@cache
def _kappa(dominant: bool = False) -> Any:
    from cxresearch.text.coding import cohen_kappa

    poll = _poll(dominant)
    return cohen_kappa(poll["coder_1"], poll["coder_2"])


@cache
def _alpha() -> float:
    from cxresearch.text.coding import krippendorff_alpha

    return float(krippendorff_alpha(_poll()[["coder_1", "coder_2"]].T, n_boot=100).estimate)


def _table_codes() -> tuple[list[str], list[str]]:
    a = [c1 for (c1, _), n in _TABLE.items() for _ in range(n)]
    b = [c2 for (_, c2), n in _TABLE.items() for _ in range(n)]
    return a, b


@cache
def _table_kappa() -> Any:
    from cxresearch.text.coding import cohen_kappa

    return cohen_kappa(*_table_codes())


def _table_agreement() -> float:
    return sum(n for (c1, c2), n in _TABLE.items() if c1 == c2) / sum(_TABLE.values())


def _chance(k: Any) -> float:
    """Chance agreement p_e from kappa and the observed agreement: kappa = (p_o - p_e)/(1 - p_e)."""
    return (k.observed_agreement - k.estimate) / (1 - k.estimate)


def _direction() -> str:
    d = _kappa(True).estimate - _kappa(False).estimate
    return "down" if d < 0 else ("up" if d > 0 else "the same")


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "09.1",
        "What is Cohen's kappa of the two coders of the notebook's synthetic poll "
        "(`simulate_poll(n=110, seed=0)`)? Three decimals.",
        "number", lambda: round(float(_kappa().estimate), 3),
        lambda a: f"kappa = {a:.3f}: the coders agree on {_kappa().observed_agreement:.1%} of "
                  f"the answers, and {_chance(_kappa()):.1%} would be expected by chance from "
                  "how often each uses each code; kappa is the share of the agreement beyond "
                  "chance that they reach, (p_o - p_e) / (1 - p_e).",
        tolerance=0.0005,
        near_misses=(
            (lambda: round(float(_kappa().observed_agreement), 3),
             "that is the raw (percent) agreement, which counts the agreement two coders "
             "would reach by chance; kappa subtracts it: (p_o - p_e) / (1 - p_e)."),
            (lambda: round(_alpha(), 3),
             "that is Krippendorff's alpha; with two coders it is close to kappa, but its "
             "chance agreement pools the two coders' code frequencies, kappa's keeps them "
             "apart."),
        ),
    ),
    Exercise(
        "09.2",
        "Two coders code 100 answers as 'everyone' or 'other'. They agree on 90: 80 both "
        "'everyone' and 10 both 'other'; of the 10 disagreements, 5 are 'everyone' by the first "
        "coder and 'other' by the second, 5 the reverse. What is Cohen's kappa? Three decimals.",
        "number", lambda: round(float(_table_kappa().estimate), 3),
        lambda a: f"kappa = {a:.3f}: p_o = {_table_agreement():.2f}; each coder says "
                  "'everyone' 85 times in 100, so chance alone gives p_e = 0.85² + 0.15² = "
                  f"{_chance(_table_kappa()):.3f}, and kappa = (p_o - p_e) / (1 - p_e). With "
                  "one code this common, 90% raw agreement is far less agreement beyond "
                  "chance (the kappa paradox).",
        tolerance=0.002,
        near_misses=(
            (_table_agreement, "that is the raw agreement, 90 of 100; kappa removes the "
                               "agreement expected by chance."),
            (lambda: round((_table_agreement() - 0.5) / 0.5, 3),
             "that takes chance agreement as 1/2, as if both codes were equally common; here "
             "each coder says 'everyone' 85 times in 100, so p_e = 0.85² + 0.15²."),
            (lambda: round(_chance(_table_kappa()), 3),
             "that is the chance agreement p_e; kappa = (p_o - p_e) / (1 - p_e)."),
        ),
    ),
    Exercise(
        "09.3",
        "Predict: the same two coders, just as accurate, code a poll in which one view "
        "dominates: 85% of respondents say 'everyone', each of the six other views 2.5% "
        "(`simulate_poll(n=110, seed=0, shares=...)`). Compared with the notebook's poll, does "
        "Cohen's kappa go up, down or stay the same?",
        "choice", _direction,
        lambda a: f"{a}: kappa {_kappa().estimate:.3f} in the notebook's poll, "
                  f"{_kappa(True).estimate:.3f} with one dominant view, while raw agreement "
                  f"stays close ({_kappa().observed_agreement:.1%} and "
                  f"{_kappa(True).observed_agreement:.1%}). When most answers carry one code, "
                  "two coders agree by chance far more often (p_e "
                  f"{_chance(_kappa()):.2f} against {_chance(_kappa(True)):.2f}), so the same "
                  "accuracy is less agreement beyond chance (synthetic polls).",
        options=("up", "down", "the same"),
        near_misses=((lambda: "the same",
                      "raw agreement stays about the same, because the coders are as accurate "
                      "as before; kappa does not, because agreement by chance rises when one "
                      "code dominates."),),
        predict=True,
    ),
)
