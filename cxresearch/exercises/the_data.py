"""Exercises of notebook 07, the data: the bundled synthetic study's design (answers per firm
and year, the share of answers missing) and what more answers per firm buy (07.3, a
prediction)."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES", "interval_shrink"]

#: how many times as many answers per firm and year exercise 07.3 supposes
_MORE = 10
_SHRINK_OPTIONS = ("about 10 times narrower", "about 3.2 times narrower",
                   "less than 2 times narrower")


def interval_shrink(icc: float, m: float, factor: float = _MORE) -> float:
    """How many times narrower the interval of a comparison of cluster means gets when each
    cluster has ``factor`` times as many answers and no cluster is added.

    A cluster mean of ``m`` answers has variance ``sigma^2 (ICC + (1 - ICC) / m)`` (the
    between-cluster part plus the within-cluster part divided by ``m``; equivalently
    ``sigma^2 DEFF / m`` with the design effect ``DEFF = 1 + (m - 1) ICC``, Kish 1965). With the
    number of clusters fixed, an interval's width scales with the square root of that variance,
    so the ratio is ``sqrt((ICC + (1 - ICC) / m) / (ICC + (1 - ICC) / (factor m)))``: at most
    ``sqrt(factor)`` (independent answers, ICC = 0), and bounded by
    ``sqrt(1 + (1 - ICC) / (m ICC))`` however many answers are added.

    Examples
    --------
    >>> round(interval_shrink(0.0, 40), 3)  # independent answers: sqrt(10)
    3.162
    >>> round(interval_shrink(0.06, 40), 2)
    1.16
    """
    if not 0 <= icc < 1 or m <= 0 or factor <= 0:
        raise ValueError("icc must lie in [0, 1), m and factor must be positive")
    return float(np.sqrt((icc + (1 - icc) / m) / (icc + (1 - icc) / (factor * m))))


@cache
def _study() -> Any:
    from cxresearch.io.readers import load_study

    return load_study(None, tables=["customers"])


@cache
def _cells() -> tuple[int, int, int]:
    """(customer rows, firms, firm x year cells) of the bundled synthetic study."""
    c = _study().customers
    return len(c), int(c["firm_id"].nunique()), int(c.groupby(["firm_id", "year"]).ngroups)


def _per_cell() -> float:
    rows, _, cells = _cells()
    return round(rows / cells, 1)


def _per_firm() -> float:
    rows, firms, _ = _cells()
    return round(rows / firms, 1)


def _missing(column: str) -> float:
    """Share of the customers' rows without an answer in ``column`` (notebook 07's
    missingness)."""
    return float(_study().customers[column].isna().mean())


def _ces_missing() -> float:
    return round(_missing("ces"), 3)


@cache
def _nps_icc() -> tuple[float, float]:
    """ICC(1) of the NPS answers by firm x year and the mean answers per cell (notebook 07)."""
    from cxresearch.linkage.units import aggregation_checks

    study = _study()
    t = aggregation_checks(None, study.customers, study.instrument, ["firm_id", "year"]
                           ).set_index("item_set")
    return float(t.loc["nps", "icc1"]), float(t.loc["nps", "mean_group_size"])


def _shrink() -> float:
    return interval_shrink(*_nps_icc(), _MORE)


def _shrink_option(f: float) -> str:
    """The option nearest to a shrink factor ``f`` (on a log scale)."""
    if f < 2:
        return _SHRINK_OPTIONS[2]
    return _SHRINK_OPTIONS[1] if f < np.sqrt(np.sqrt(_MORE) * _MORE) else _SHRINK_OPTIONS[0]


def _explain_shrink(answer: str) -> str:
    icc, m = _nps_icc()
    return (f"{answer}: with ICC(1) = {icc:.3f} and {m:.1f} NPS answers per firm × year cell, a "
            f"cell mean's variance is proportional to ICC + (1 - ICC)/m = "
            f"{icc + (1 - icc) / m:.4f}; with {_MORE} times the answers it would be "
            f"{icc + (1 - icc) / (_MORE * m):.4f}, so the interval gets only "
            f"{_shrink():.2f} times narrower. The part of the variance that lies between firms "
            "does not shrink with more answers per firm: only more firms (or years) shrink it.")


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "07.1",
        "In the bundled synthetic study's customers table, how many customer answers does one "
        "firm give in one year, on average (rows per firm × year cell)? One decimal.",
        "number", _per_cell,
        lambda a: f"{a:.1f}: {_cells()[0]:,} answers in {_cells()[2]:,} firm × year cells "
                  f"({_cells()[1]} firms).",
        tolerance=0.3,
        near_misses=(
            (_per_firm, "that is per firm over all the years: divide by the firm × year cells, "
                        "not by the firms."),
            (lambda: float(_cells()[0]), "that is all the answers: divide by the number of "
                                         "firm × year cells."),
        ),
    ),
    Exercise(
        "07.2",
        "In the same table, what share of the customers has no answer to the customer effort "
        "score (ces)? A share between 0 and 1, two decimals.",
        "number", _ces_missing,
        lambda a: f"{a:.2f}, far more than for the NPS ({float(_missing('nps')):.2f}): only "
                  "customers who contacted service are asked the customer effort score, so "
                  "most of the missing answers mean 'not asked', not 'refused'.",
        tolerance=0.006,
        near_misses=(
            (lambda: round(100 * _ces_missing(), 1), "that is a percentage: give the share "
                                                     "(between 0 and 1)."),
            (lambda: round(1 - _ces_missing(), 3), "that is the share that did answer."),
            (lambda: round(float(_missing("nps")), 3), "that is the share missing for the "
                                                         "NPS question, not for ces."),
        ),
    ),
    Exercise(
        "07.3",
        f"Predict: suppose every firm answered {_MORE} times as many customer surveys each "
        "year, but no more firms (or years) joined. How much narrower would the 95% interval "
        "of a comparison between firm × year NPS means get (say, firms with a CX leader "
        "against those without)? Use the NPS row of the ICC table: a cell mean's variance is "
        "proportional to ICC(1) + (1 - ICC(1))/m, for m answers per cell.",
        "choice", lambda: _shrink_option(_shrink()), _explain_shrink,
        options=_SHRINK_OPTIONS,
        near_misses=(
            (lambda: _SHRINK_OPTIONS[0], f"an interval shrinks with the square root of the "
                                         f"answers at best, so {_MORE} times the answers "
                                         f"could make it at most √{_MORE} times narrower; "
                                         "and answers in the same firm are alike."),
            (lambda: _SHRINK_OPTIONS[1], f"that is what {_MORE} times as many independent "
                                         "answers would give; answers in the same firm are "
                                         "alike (ICC(1) > 0), and the variance between firms "
                                         "does not shrink with more answers per firm."),
        ),
        predict=True,
    ),
)
