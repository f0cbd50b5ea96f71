"""Exercises of notebook 08, which metric: a metric's AUC for churn, its direction, how the
interval depends on how many customers answered, and what customers nested in firms are worth.

Every answer is computed from the bundled **synthetic** study (``load_study(None)``): the
customers who answered the 0-10, CSAT and CES questions, scored as in the notebook's §1
(:func:`cxresearch.measurement.validity.metric_scores`), with DeLong's AUC
(:func:`cxresearch.measurement.validity.roc_auc`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]


@cache
def _customers() -> pd.DataFrame:
    from cxresearch.io.readers import load_study

    return load_study(None, tables=["customers"]).customers


@cache
def _scored() -> pd.DataFrame:
    """The notebook's ``data``: firm, churn and the six customer-level scores (complete cases)."""
    from cxresearch.measurement.validity import metric_scores

    customers = _customers()
    scores = metric_scores(customers)
    return customers.loc[scores.index, ["firm_id", "churned"]].join(scores)


@cache
def _auc(score: str, *, everyone: bool = False, clustered: bool = True) -> Any:
    """AUC of a score for churn, lower score = more churn; ``everyone``: every customer who
    answered the 0-10 question (the raw answer), not only those who answered all three."""
    from cxresearch.measurement.validity import roc_auc

    if everyone:
        c = _customers()
        d = c.loc[c["nps"].notna(), ["firm_id", "churned"]].assign(ltr_mean=c["nps"])
    else:
        d = _scored()
    return roc_auc(d["churned"], -d[score], cluster=d["firm_id"] if clustered else None)


def _width(r: Any) -> float:
    return float(r.ci_high - r.ci_low)


def _n(r: Any) -> int:
    return int(r.n_pos + r.n_neg)


def _interval_change() -> str:
    sub, every = _width(_auc("ltr_mean")), _width(_auc("ltr_mean", everyone=True))
    return "narrower" if every < sub else ("wider" if every > sub else "the same")


def _design_effect() -> float:
    """Design effect of NPS's AUC for churn: (clustered SE / plain SE) squared."""
    return float((_auc("nps").se / _auc("nps", clustered=False).se) ** 2)


def _n_eff() -> float:
    return round(len(_scored()) / _design_effect(), -2)


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "08.1",
        "On the bundled synthetic study (the customers of §1, who answered all three "
        "questions), what is the AUC of the mean of the 0–10 answer for churn, where a lower "
        "answer should mean a customer more likely to churn? Three decimals.",
        "number", lambda: round(float(_auc("ltr_mean").estimate), 3),
        lambda a: f"AUC = {a:.3f}: a customer who churned answered lower than one who stayed in "
                  f"{a:.1%} of pairs (ties count half). NPS, the same answers cut into three "
                  f"groups, reaches {_auc('nps').estimate:.3f} (synthetic data).",
        tolerance=0.002,
        near_misses=(
            (lambda: round(1 - float(_auc("ltr_mean").estimate), 3),
             "that is 1 - AUC, the answer scored the wrong way round (a higher answer taken to "
             "mean churn): negate the score (or use direction=-1) so that the AUC is the "
             "chance that a churner scored lower than a stayer."),
            (lambda: round(float(_auc("nps").estimate), 3),
             "that is the AUC of NPS (promoter +100, passive 0, detractor -100); the question "
             "asks for the 0–10 answer itself, before it is cut into three groups."),
        ),
    ),
    Exercise(
        "08.2",
        "Predict: §2 scores the mean of the 0–10 answer only on customers who also answered "
        "CES (asked only of customers who contacted service). Score it for churn on every "
        "customer who answered the 0–10 question instead: more customers, the same firms. Is "
        "its firm-clustered 95% AUC interval wider, narrower or the same?",
        "choice", _interval_change,
        lambda a: f"{a}: {_width(_auc('ltr_mean', everyone=True)):.4f} wide on "
                  f"{_n(_auc('ltr_mean', everyone=True)):,} customers against "
                  f"{_width(_auc('ltr_mean')):.4f} on {len(_scored()):,} (synthetic data). "
                  "The clustered variance counts firms, but each firm now brings more "
                  "customers, and here customers of one firm are not so alike that extra "
                  "answers add nothing. A metric answered by fewer customers has the wider "
                  "interval.",
        options=("wider", "narrower", "the same"),
        near_misses=((lambda: "the same",
                      "the firms are the same, but each brings more customers; only if "
                      "customers of one firm were all alike would extra answers add nothing."),
                     (lambda: "wider",
                      "more customers means more information: the interval narrows (roughly "
                      "with the square root of the number of customers when, as here, they "
                      "are only a little alike within a firm).")),
        predict=True,
    ),
    Exercise(
        "08.3",
        "Customers of one firm are alike, so the customers of §2 are worth fewer independent "
        "ones. For NPS's AUC for churn, the design effect is (clustered SE / plain SE)², from "
        "the two standard errors §2 prints. How many independent customers are the customers "
        "of §2 worth (the effective sample size)? To the nearest hundred.",
        "number", _n_eff,
        lambda a: f"about {a:,.0f}: n = {len(_scored()):,} customers divided by the design "
                  f"effect {_design_effect():.3f}. The clustered interval is as wide as the "
                  "plain one would be on this many independent customers.",
        tolerance=500.0,
        near_misses=(
            (lambda: float(len(_scored())), "that treats the customers as independent: divide "
                                            "by the design effect."),
            (lambda: round(len(_scored()) * _design_effect(), -2),
             "that multiplies by the design effect: clustering makes the customers worth "
             "fewer independent ones, so divide."),
            (lambda: round(len(_scored()) / _design_effect() ** 0.5, -2),
             "that divides by the ratio of the standard errors; the design effect is a ratio "
             "of variances, so square it first."),
        ),
    ),
)
