"""Exercises of notebook 11, what appointing a CX leader does: a confounder against the naive
comparison, more firms against the event study's interval, one firm's interrupted time series
against the known truth."""

from __future__ import annotations

from functools import cache

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

#: the simulated threat panels of notebook 11 §2 (the notebook's defaults, seed 0)
_UNITS, _YEARS, _SEED = 400, 10, 0
#: the firms of the two event studies of exercise 11.2
_FEW, _MANY = 200, 800
#: the simulated firm of notebook 11 §3
_FIRM = {"n_months": 60, "appoint_month": 40, "effect": 2.0, "n_donors": 20, "seed": 0}


@cache
def _naive_under_confounding() -> tuple[float, float, float, float]:
    """The naive comparison on the confounding panel: estimate, ci_low, ci_high, and the true
    average effect over event times 0..3."""
    from cxresearch.causal.did import naive_comparison
    from cxresearch.simulate.threats import simulate_threat_panel

    panel, truth = simulate_threat_panel("confounding", n_units=_UNITS, n_periods=_YEARS,
                                         seed=_SEED)
    target = float(truth.set_index("event_time").loc[[0, 1, 2, 3], "att"].mean())
    r = naive_comparison(panel, "y", "treated", "unit", "time")
    return float(r.estimate), float(r.ci_low), float(r.ci_high), target


def _naive_verdict() -> str:
    _, lo, hi, target = _naive_under_confounding()
    return "overstates" if lo > target else "understates" if hi < target else "gets it right"


@cache
def _width(n_units: int) -> float:
    """Width of the event study's 95% interval (average over event times 0..3) on a simulated
    panel with parallel trends and ``n_units`` firms."""
    from cxresearch.causal.did import event_study
    from cxresearch.simulate.threats import simulate_threat_panel

    panel, _ = simulate_threat_panel("parallel", n_units=n_units, n_periods=_YEARS, seed=_SEED)
    ov = event_study(panel, "y", "unit", "time", "first_treated", window=(-3, 3)).overall()
    return float(ov.ci_high - ov.ci_low)


_WIDTH_OPTIONS = {"about half as wide": 0.5, "about a quarter as wide": 0.25,
                  "about the same": 1.0, "wider": 2.0}


def _width_verdict() -> str:
    ratio = _width(_MANY) / _width(_FEW)
    return min(_WIDTH_OPTIONS, key=lambda k: abs(_WIDTH_OPTIONS[k] - ratio))


@cache
def _its_and_truth() -> tuple[float, float]:
    """The interrupted time series' estimate for the simulated firm's CX, and the true average
    effect after the appointment."""
    from cxresearch.causal.single_firm import interrupted_time_series
    from cxresearch.simulate.threats import simulate_firm_series

    series, truth = simulate_firm_series(**_FIRM)
    start = _FIRM["appoint_month"]
    its = interrupted_time_series(series[series["firm"] == "firm"], "cx", "month", start,
                                  n_boot=0)
    return float(its.estimate), float(truth.loc[truth["month"] >= start, "effect_cx"].mean())


@cache
def _synthetic_control_error() -> float:
    """The synthetic control's estimate for the same firm minus the true effect (a slip of
    11.3: the other row of the table)."""
    from cxresearch.causal.single_firm import synthetic_control
    from cxresearch.simulate.threats import simulate_firm_series

    series, _ = simulate_firm_series(**_FIRM)
    sc = synthetic_control(series, "cx", "firm", "month", "firm", _FIRM["appoint_month"])
    return round(float(sc.estimate) - _its_and_truth()[1], 2)


def _its_excess() -> float:
    its, effect = _its_and_truth()
    return round(its - effect, 2)


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "11.1",
        "Predict: firms that appoint a CX leader were already improving: a firm trait raises "
        "both the chance of appointing and the outcome's trend (the 'confounding' panel of "
        "section 2: simulate_threat_panel('confounding', n_units=400, n_periods=10, seed=0) "
        "from cxresearch.simulate.threats). Does the naive comparison (firm-years with a "
        "leader against those without, with year effects) overstate, understate or get right "
        "the effect of appointing?",
        "choice", _naive_verdict,
        lambda a: (f"{a}: it estimates {_naive_under_confounding()[0]:.2f} (95% CI "
                   f"{_naive_under_confounding()[1]:.2f} to {_naive_under_confounding()[2]:.2f}) "
                   f"against a true effect of {_naive_under_confounding()[3]:.2f}. The firms "
                   "that appoint were already on a steeper path, and the comparison credits "
                   "the leader with it; year effects remove only what all firms share in a "
                   "year."),
        options=("overstates", "understates", "gets it right"),
        near_misses=(
            (lambda: "gets it right", "year effects remove what all firms share in a year, "
                                      "not the faster trend of the firms that appoint."),
            (lambda: "understates", "the trait raises the trend of the firms that appoint, "
                                    "so their later years look better than the others' for a "
                                    "reason other than the leader."),
        ),
        predict=True,
    ),
    Exercise(
        "11.2",
        f"Predict: an event study of {_FEW} firms over {_YEARS} years "
        f"(simulate_threat_panel('parallel', n_units={_FEW}, n_periods={_YEARS}, seed=0) "
        "from cxresearch.simulate.threats) gives a 95% interval for the average effect over event "
        f"times 0-3. With {_MANY} firms instead, same design, how wide will that interval "
        "be?",
        "choice", _width_verdict,
        lambda a: (f"{a}: {_width(_MANY):.3f} against {_width(_FEW):.3f} (ratio "
                   f"{_width(_MANY) / _width(_FEW):.2f}). The standard error falls with the "
                   "square root of the number of firms: four times the firms, half the width, "
                   "and more power for the same effect (section 4)."),
        options=tuple(_WIDTH_OPTIONS),
        near_misses=(
            (lambda: "about a quarter as wide", "the standard error shrinks with the square "
                                                "root of the number of firms, not in "
                                                "proportion to it."),
            (lambda: "about the same", "the firms are the independent units here: more firms, "
                                       "more information."),
        ),
        predict=True,
    ),
    Exercise(
        "11.3",
        "For the simulated firm of section 3 (simulate_firm_series(n_months=60, "
        "appoint_month=40, effect=2.0, n_donors=20, seed=0) from cxresearch.simulate.threats), "
        "by how many CX "
        "points does the interrupted time series' estimate of the effect exceed the true "
        "average effect after the appointment? Two decimals (negative if it falls short).",
        "number", _its_excess,
        lambda a: (f"{a:+.2f}: the interrupted time series estimates "
                   f"{_its_and_truth()[0]:.2f} against a true effect of "
                   f"{_its_and_truth()[1]:.2f}. Its counterfactual is the firm's own months "
                   "before, extended: a market-wide drift after the appointment is read as the "
                   "leader's doing. A synthetic control, whose donor firms share the drift, "
                   "is not misled by it (though with 20 donors its interval is wide; section "
                   "3's table)."),
        tolerance=0.02,
        near_misses=(
            (lambda: round(_its_and_truth()[0], 2), "that is the estimate itself; subtract "
                                                    "the true effect."),
            (lambda: round(_its_and_truth()[1] - _its_and_truth()[0], 2),
             "the sign is reversed: the estimate minus the true effect."),
            (_synthetic_control_error, "that is the synthetic control's error; the question "
                                       "asks about the interrupted time series."),
        ),
    ),
)
