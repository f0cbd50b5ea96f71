"""Exercises of notebook 04, key drivers: Shapley (LMG) shares against regression betas."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

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
