"""Exercises of notebook 05, linkage of employee and customer experience with outcomes: the
pooled cross-lagged panel against the random-intercept one (RI-CLPM) on a synthetic panel whose
firms differ stably, where the truth is known."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

#: the exercises' panel: 300 firms x 5 years; within firms growth(t) lifts EX(t+1) by 0.2 and
#: EX has no path to growth; a stable firm trait makes the firms' levels correlate 0.6
_DESIGN: dict[str, Any] = {"n_units": 300, "n_periods": 5, "variables": ("ex", "growth"),
                           "coefs": {("growth", "ex"): 0.2}, "seed": 5}
_CORR, _STRONG = 0.6, 0.9
_CODE = ("`p = simulate_ri_clpm_panel(n_units=300, n_periods=5, variables=('ex', 'growth'), "
         "coefs={('growth', 'ex'): 0.2}, intercept_corr=0.6, seed=5)` (from "
         "`cxresearch.simulate.linkage`)")
_OPTIONS = ("only the pooled one", "only the RI-CLPM one", "both", "neither")


@cache
def _panel(corr: float) -> pd.DataFrame:
    from cxresearch.simulate.linkage import simulate_ri_clpm_panel

    return simulate_ri_clpm_panel(intercept_corr=corr, **_DESIGN)


@cache
def _pooled(corr: float) -> pd.DataFrame:
    from cxresearch.linkage.panel import cross_lagged_panel

    out = cross_lagged_panel(_panel(corr), "unit", "time", ["ex", "growth"],
                             standardize_vars=False).to_frame()
    return out.set_index(["from", "to"])


@cache
def _ri(corr: float) -> pd.DataFrame:
    from cxresearch.linkage.ri_clpm import ri_clpm

    out = ri_clpm(_panel(corr), "unit", "time", ["ex", "growth"],
                  standardize_vars=False).to_frame()
    return out.set_index(["kind", "from", "to"])


def _ri_ex_growth(corr: float = _CORR) -> float:
    return round(float(_ri(corr).loc[("cross-lag", "ex", "growth"), "estimate"]), 3)


def _pooled_ex_growth(corr: float = _CORR) -> float:
    return round(float(_pooled(corr).loc[("ex", "growth"), "estimate"]), 3)


def _excludes_zero(row: pd.Series) -> bool:
    return bool(row["ci_low"] > 0 or row["ci_high"] < 0)


def _pooled_excludes(corr: float = _CORR) -> bool:
    return _excludes_zero(_pooled(corr).loc[("ex", "growth")])


def _ri_excludes(corr: float = _CORR) -> bool:
    return _excludes_zero(_ri(corr).loc[("cross-lag", "ex", "growth")])


def _ri_corr() -> float:
    return round(float(_ri(_CORR).loc[("intercept correlation", "ex", "growth"),
                                      "estimate"]), 3)


def _observed_corr() -> float:
    return round(float(_panel(_CORR)["ex"].corr(_panel(_CORR)["growth"])), 3)


def _which_excludes(corr: float) -> str:
    pooled, ri = _pooled_excludes(corr), _ri_excludes(corr)
    return {(True, False): _OPTIONS[0], (False, True): _OPTIONS[1], (True, True): _OPTIONS[2],
            (False, False): _OPTIONS[3]}[(pooled, ri)]


def _interval(row: pd.Series) -> str:
    return f"{row['estimate']:.2f} (95% CI {row['ci_low']:.2f} to {row['ci_high']:.2f})"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "05.1",
        "A synthetic panel of 300 firms over 5 years: within firms, growth(t) lifts EX(t+1) by "
        "0.2 and EX has no path to growth; a stable firm trait lifts both, so the firms' stable "
        f"levels correlate 0.6: {_CODE}. Fit `cx.ri_clpm(p, 'unit', 'time', ['ex', 'growth'], "
        "standardize_vars=False)`. What is its within-firm EX(t) → growth(t+1) cross-lag? Two "
        "decimals.",
        "number", _ri_ex_growth,
        lambda a: f"{a:.3f}: the random intercepts take the firms' stable levels out, so the "
                  "cross-lag relates a firm's deviation from its own level this year to its "
                  "deviation next year; within firms EX has no path to growth in this panel, "
                  "and the estimate is close to 0.",
        tolerance=0.01,
        near_misses=(
            (_pooled_ex_growth, "that is the pooled cross-lagged panel's estimate "
                                "(cx.cross_lagged_panel), which compares firms with each other: "
                                "the stable trait that lifts EX and growth together loads onto "
                                "it. The RI-CLPM's row has kind 'cross-lag', from 'ex', to "
                                "'growth'."),
            (lambda: round(float(_ri(_CORR).loc[("cross-lag", "growth", "ex"), "estimate"]), 3),
             "that is the other direction, growth(t) → EX(t+1) (from 'growth' to 'ex')."),
        ),
    ),
    Exercise(
        "05.2",
        "On the same panel, fit the pooled cross-lagged panel, `cx.cross_lagged_panel(p, "
        "'unit', 'time', ['ex', 'growth'], standardize_vars=False)`. Does its 95% interval for "
        "EX(t) → growth(t+1) exclude zero, although within firms EX has no path to growth? "
        "(yes/no)",
        "yes/no", lambda: "yes" if _pooled_excludes() else "no",
        lambda a: (f"{a}: pooled, EX(t) → growth(t+1) is "
                   f"{_interval(_pooled(_CORR).loc[('ex', 'growth')])}; within firms (RI-CLPM) "
                   f"{_interval(_ri(_CORR).loc[('cross-lag', 'ex', 'growth')])}. "
                   + ("Firms whose EX is high every year also grow fast every year, and the "
                      "pooled model reads that stable difference as a lagged path."
                      if a == "yes" else "Here the stable trait did not show up in it.")),
    ),
    Exercise(
        "05.3",
        "On the same panel, how strongly do the firms' stable levels of EX and growth correlate, "
        "by the RI-CLPM (its 'intercept correlation' row)? The simulation sets 0.6. Two "
        "decimals.",
        "number", _ri_corr,
        lambda a: f"{a:.3f}: the estimate of the correlation of the random intercepts, the "
                  "stable firm trait; the firms' year-to-year deviations are not in it.",
        tolerance=0.01,
        near_misses=(
            (_observed_corr, "that is the correlation of EX and growth over all firm-years, "
                             "which mixes the stable levels (correlated) with the within-firm "
                             "deviations (hardly correlated in the same year), so it is "
                             "smaller."),
            (lambda: _CORR, "that is the value the simulation sets; the question asks for "
                            "the RI-CLPM's estimate from this sample of 300 firms."),
        ),
    ),
    Exercise(
        "05.4",
        "Predict: simulate the same panel with a stronger stable firm trait (intercept_corr=0.9 "
        "instead of 0.6) and fit both models again. Which 95% interval for EX(t) → growth(t+1) "
        "excludes zero: only the pooled one, only the RI-CLPM one, both, or neither?",
        "choice", lambda: _which_excludes(_STRONG),
        lambda a: (f"{a}: pooled, EX(t) → growth(t+1) moves from "
                   f"{_pooled_ex_growth(_CORR):.2f} to "
                   f"{_interval(_pooled(_STRONG).loc[('ex', 'growth')])}, while the RI-CLPM's "
                   f"stays near 0, from {_ri_ex_growth(_CORR):.2f} to "
                   f"{_interval(_ri(_STRONG).loc[('cross-lag', 'ex', 'growth')])}: the "
                   "stronger the stable trait, the more it biases the pooled cross-lag, and the "
                   "random intercepts absorb it."),
        options=_OPTIONS,
        near_misses=(
            (lambda: _OPTIONS[2], "the RI-CLPM's within-firm cross-lag does not depend on how "
                                  "strongly the stable levels correlate: they are in the "
                                  "random intercepts, not in the lagged paths."),
            (lambda: _OPTIONS[3], "the pooled model compares firms with each other, so a "
                                  "stronger stable trait shared by EX and growth pushes its "
                                  "cross-lag further from zero."),
        ),
        predict=True,
    ),
)
