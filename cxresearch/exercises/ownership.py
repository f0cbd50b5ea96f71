"""Exercises of notebook 06, who owns CX: the owner in force at the time, Holm's step-down
adjustment, and the difference-score trap of the say/do gap."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

#: the p-values of exercise 06.2: four contrasts in one family
_P_VALUES = (0.010, 0.015, 0.040, 0.200)
_ALPHA = 0.05


@cache
def _leader_firm_years() -> pd.DataFrame:
    """The firm-years of the bundled study's firms whose owner at the end is a CX leader."""
    from cxresearch.io.readers import load_study

    s = load_study(None, tables=["firms", "firm_years"])
    leaders = s.firms.loc[s.firms["cx_owner"] == "cx_leader", "firm_id"]
    return s.firm_years[s.firm_years["firm_id"].isin(leaders)]


def _pre_share() -> float:
    """Share of those firm-years with no leader yet in post (owner in force: not appointed)."""
    years = _leader_firm_years()
    return round(float((years["has_cx_leader"] == 0).mean()), 2)


def _holm_count() -> int:
    from cxresearch.core.inference import holm

    return int((holm(np.array(_P_VALUES)) < _ALPHA).sum())


def _holm_steps() -> str:
    """Holm's comparisons in words, up to the first that fails."""
    m, steps = len(_P_VALUES), []
    for k, p in enumerate(sorted(_P_VALUES)):
        bar = _ALPHA / (m - k)
        steps.append(f"{p:.3f} {'<' if p < bar else '>'} {bar:.4f}")
        if p >= bar:
            break
    return "; ".join(steps)


def _unadjusted_count() -> int:
    return int(sum(p < _ALPHA for p in _P_VALUES))


def _bonferroni_count() -> int:
    return int(sum(p * len(_P_VALUES) < _ALPHA for p in _P_VALUES))


@cache
def _gap_fit() -> tuple[float, float, float, float]:
    """Gap coefficient (estimate, ci_low, ci_high) and do's coefficient on simulated firms
    whose CX rises with do (0.3 per SD) and not with say; say and do correlate 0.3."""
    from cxresearch.linkage.ownership import say_do_effects

    rng = np.random.default_rng(0)
    n = 2000
    say = rng.normal(size=n)
    do = 0.3 * say + np.sqrt(1 - 0.3**2) * rng.normal(size=n)
    firms = pd.DataFrame({"stated_cx_priority": say, "cx_budget_share": do})
    firms["cx"] = 0.3 * (do - do.mean()) / do.std(ddof=1) + rng.normal(size=n)
    out = say_do_effects(firms, "cx").set_index("term")
    gap = out.loc["gap"]
    return (float(gap["estimate"]), float(gap["ci_low"]), float(gap["ci_high"]),
            float(out.loc["do", "estimate"]))


def _gap_sign() -> str:
    _, lo, hi, _ = _gap_fit()
    return "negative" if hi < 0 else "positive" if lo > 0 else "about zero"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "06.1",
        "In the bundled synthetic study (cx.load_study(None)), take the firms whose CX owner "
        "at the end of the panel is a CX leader. What share of their firm-years come before "
        "the leader was appointed? A share between 0 and 1, two decimals.",
        "number", _pre_share,
        lambda a: f"{a:.2f}: those firm-years had no CX leader yet, so they must not be "
                  "credited to the leader; the notebook labels them 'CX leader not yet "
                  "appointed'.",
        tolerance=0.01,
        near_misses=(
            (lambda: 0.0, "that credits the owner at the end of the panel to every year; the "
                          "leaders were appointed during the panel, and the years before have "
                          "none (has_cx_leader = 0)."),
            (lambda: round(1 - _pre_share(), 2), "that is the share with the leader in post; "
                                                 "the question asks for the years before the "
                                                 "appointment."),
        ),
    ),
    Exercise(
        "06.2",
        "Four contrasts, adjusted together as a family of tests, have p-values 0.010, 0.015, "
        "0.040 and 0.200. How many are distinguishable from zero at the 5% level after Holm "
        "adjustment?",
        "number", _holm_count,
        lambda a: f"{a:g}: Holm compares the k-th smallest of m p-values with "
                  f"0.05/(m - k + 1) and stops at the first that fails ({_holm_steps()}).",
        near_misses=(
            (_unadjusted_count, "that counts the unadjusted p-values below 0.05; with four "
                                "chances of a false alarm, Holm raises the bar."),
            (_bonferroni_count, "that is Bonferroni's count (every p-value against 0.05/4); "
                                "Holm steps down, comparing the next p-value with 0.05/3."),
        ),
    ),
    Exercise(
        "06.3",
        "Predict: in simulated firms, CX rises with the CX budget share ('do') and not at all "
        "with the stated priority ('say'), and the two go together (correlation 0.3). "
        "Regress CX on the say/do gap (say minus do) alone: will the gap's coefficient be "
        "positive, negative or about zero?",
        "choice", _gap_sign,
        lambda a: f"{a}: the gap is say minus do, so its coefficient picks up minus do's "
                  f"({_gap_fit()[0]:+.2f} against do's {_gap_fit()[3]:+.2f} in a simulation "
                  "of 2,000 firms, cx.say_do_effects): 'the larger the gap, the lower the CX' "
                  "says only that doing matters. Read say and do separately.",
        options=("positive", "negative", "about zero"),
        near_misses=(
            (lambda: "about zero", "say has no effect, but the gap is not say: it is say "
                                   "minus do, and do has an effect."),
            (lambda: "positive", "the gap grows when do falls, and CX falls with do."),
        ),
        predict=True,
    ),
)
