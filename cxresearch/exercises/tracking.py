"""Exercises of notebook 12, tracking CX over time: the design effect of raking weights, how
many changes hold when nothing changes, and the standard error of weights taken as fixed."""

from __future__ import annotations

from functools import cache
from typing import Any

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

#: the simulated tracker of the exercises (notebook 12's defaults)
_SEED = 0
#: the change a dashboard without intervals calls a move (notebook 12's default)
_MOVE = 5.0


@cache
def _tracker(effect: float = 20.0) -> Any:
    from cxresearch.simulate.tracker import simulate_tracker

    return simulate_tracker(effect=effect, seed=_SEED)


@cache
def _raked(effect: float = 20.0) -> Any:
    from cxresearch.metrics.weighting import rake

    t = _tracker(effect)
    return rake(t.data, t.margin_dict())


def _kish() -> float:
    return round(float(_raked().design_effect), 2)


def _one_over_kish() -> float:
    r = _raked()
    return round(float(r.n_eff / r.n), 2)


def _n_eff() -> float:
    return round(float(_raked().n_eff), 2)


@cache
def _clustered_deff() -> float:
    from cxresearch.metrics.scores import nps

    t = _tracker()
    r = nps(t.data["ltr"], calibration=_raked(), cluster=t.data["store_id"])
    return round(float(r.design_effect), 2)


@cache
def _null_waves() -> Any:
    from cxresearch.metrics.waves import compare_waves

    t = _tracker(0.0)
    return compare_waves(t.data, "ltr", "month", by="region", cluster="store_id",
                         calibration=_raked(0.0))


def _null_held() -> int:
    w = _null_waves()
    return int((w["flag"].eq("") & (w["p_adjusted"] < 0.05)).sum())


def _null_unadjusted() -> int:
    w = _null_waves()
    return int((w["flag"].eq("") & (w["p_value"] < 0.05)).sum())


@cache
def _null_moves() -> int:
    import numpy as np

    d = _tracker(0.0).data
    y = np.where(d["ltr"] >= 9, 100.0, np.where(d["ltr"] <= 6, -100.0, 0.0))
    bare = d.assign(y=y).groupby(["region", "month"])["y"].mean().unstack("month")
    return int((bare.diff(axis=1).abs() >= _MOVE).sum().sum())


@cache
def _ses() -> tuple[float, float]:
    """SE of the NPS of all answers: raked weights taken as fixed, and calibration-aware."""
    from cxresearch.metrics.scores import nps

    t, r = _tracker(), _raked()
    fixed = nps(t.data["ltr"], weights=r.weights, cluster=t.data["store_id"])
    cal = nps(t.data["ltr"], calibration=r, cluster=t.data["store_id"])
    return float(fixed.se), float(cal.se)


def _larger() -> str:
    fixed, cal = _ses()
    if abs(fixed - cal) < 1e-9:
        return "the same"
    return "taken as fixed" if fixed > cal else "calibration-aware"


_TRACKER = ("the synthetic tracker of notebook 12 (simulate_tracker(seed=0) from "
            "cxresearch.simulate.tracker)")

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "12.1",
        f"Rake {_TRACKER} to its population margins: cx.rake(t.data, t.margin_dict()). What "
        "is Kish's design effect of the raked weights? Two decimals.",
        "number", _kish,
        lambda a: (f"{a:.2f}: n sum w^2 / (sum w)^2 = n / n_eff = {_raked().n:,} / "
                   f"{_raked().n_eff:,.0f}. The {_raked().n:,} answers are worth "
                   f"{_raked().n_eff:,.0f} equally "
                   "weighted ones: the price of correcting for the over-represented web "
                   "answers. It is the weights' part only; the stores add their own."),
        tolerance=0.01,
        near_misses=(
            (_one_over_kish, "that is n_eff / n, the inverse: the design effect is n / n_eff, "
                             "at least 1."),
            (_n_eff, "that is the effective sample size; the design effect is n / n_eff."),
            (_clustered_deff, "that is the design effect of the NPS with the stores as "
                              "clusters too; Kish's design effect is the weights' alone."),
        ),
    ),
    Exercise(
        "12.2",
        f"Predict: rerun {_TRACKER} with no real change, simulate_tracker(effect=0, seed=0), "
        "rake it and compare the months by region with the stores as clusters and Holm "
        "(cx.compare_waves(t.data, 'ltr', 'month', by='region', cluster='store_id', "
        "calibration=raked)). How many of the month-on-month changes by region hold at the 5% "
        "level?",
        "number", _null_held,
        lambda a: (f"{a:.0f}: nothing changes, and the Holm adjustment keeps the chance of any "
                   "false alarm among the region changes at 5%. A dashboard of bare scores "
                   f"would still have shown {_null_moves()} moves of {_MOVE:g} points or more, "
                   f"and {_null_unadjusted()} changes have an unadjusted p below 0.05."),
        near_misses=(
            (_null_moves, f"that is how many moves of {_MOVE:g} points or more a dashboard of "
                          "bare scores shows; they are noise here, and the question asks which "
                          "changes hold after Holm."),
            (_null_unadjusted, "that counts the changes with an unadjusted p below 0.05; "
                               "with many changes tested some fall below it by chance, which "
                               "is what Holm's adjustment is for."),
        ),
        predict=True,
    ),
    Exercise(
        "12.3",
        f"On {_TRACKER}, raked and with the stores as clusters: is the standard error of the "
        "NPS of all answers larger when the raked weights are taken as fixed design weights "
        "(cx.nps(..., weights=raked.weights, cluster=...)) or when it is calibration-aware "
        "(cx.nps(..., calibration=raked, cluster=...))?",
        "choice", _larger,
        lambda a: (f"{a}: {_ses()[0]:.3f} taken as fixed against {_ses()[1]:.3f} "
                   "calibration-aware. The margins are known, so the part of the variance "
                   "they explain is not sampling error; weights taken as fixed count it, and "
                   "overstate the standard error."),
        options=("taken as fixed", "calibration-aware", "the same"),
        near_misses=(
            (lambda: "the same", "the point estimates are the same; the standard errors are "
                                 "not, because calibration removes the variance the margins "
                                 "explain."),
        ),
    ),
)
