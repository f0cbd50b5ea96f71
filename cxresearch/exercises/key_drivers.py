"""Exercises of notebook 04, key drivers: Shapley (LMG) shares against regression betas, and
what more collinearity does to each (04.4, a prediction)."""

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


#: the two correlations of d1 and d2 that exercise 04.4 compares, and its resamples
_R_LOW, _R_HIGH, _N_BOOT = 0.5, 0.95, 200


@cache
def _widths(r: float) -> tuple[float, float]:
    """Widths of d1's 95% bootstrap intervals (beta, Shapley share in percent of R^2) in
    ``collinear_drivers(r=r, seed=0)``, 200 resamples with seed 0."""
    from cxresearch.linkage.drivers import beta_shapley_stability
    from cxresearch.simulate.failures import collinear_drivers

    case = collinear_drivers(r=r, seed=0)
    t = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=_N_BOOT, seed=0).table
    return (float(t.loc["d1", "beta_ci_high"] - t.loc["d1", "beta_ci_low"]),
            float(t.loc["d1", "shapley_ci_high"] - t.loc["d1", "shapley_ci_low"]))


def _wider() -> str:
    (b_lo, s_lo), (b_hi, s_hi) = _widths(_R_LOW), _widths(_R_HIGH)
    beta, share = b_hi > b_lo, s_hi > s_lo
    return {(True, False): "the beta's", (False, True): "the Shapley share's",
            (True, True): "both", (False, False): "neither"}[(beta, share)]


def _explain_wider(answer: str) -> str:
    (b_lo, s_lo), (b_hi, s_hi) = _widths(_R_LOW), _widths(_R_HIGH)
    return (f"{answer}: from r = {_R_LOW:g} to r = {_R_HIGH:g} the width of d1's beta interval "
            f"goes from {b_lo:.2f} to {b_hi:.2f}, that of its Shapley share from {s_lo:.1f} to "
            f"{s_hi:.1f} points. A beta keeps only what a driver does not share with the "
            "others, which for near-twins is little and noisy; Shapley splits their common "
            "variance between them in every resample, so the shares stay steady (and close to "
            "each other) while the betas swing.")


def _same_order() -> str:
    return "yes" if list(_shares().rank(ascending=False)) == list(
        _betas().abs().rank(ascending=False)) else "no"


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "04.1",
        "On the synthetic ECSI survey (simulate_ecsi_survey(n=1000, seed=0) from "
        "cxresearch.simulate; satisfaction = mean of CUSA1-CUSA3; drivers: the PERQ, PERV and "
        "IMAG items), which driver has the largest Shapley (LMG) share of the explained "
        "variance? Give its code.",
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
    Exercise(
        "04.4",
        f"Predict: in collinear_drivers(seed=0) (from cxresearch.simulate.failures; synthetic), "
        f"d1 and d2 have the same true coefficient. Raise their correlation from r = {_R_LOW:g} "
        f"to r = {_R_HIGH:g} (the notebook's collinear_r). Across {_N_BOOT} bootstrap "
        "resamples (seed 0), which 95% interval of d1 gets wider: that of its standardized "
        "beta, that of its Shapley share (percent of R^2), both, or neither?",
        "choice", _wider, _explain_wider,
        options=("the beta's", "the Shapley share's", "both", "neither"),
        near_misses=(
            (lambda: "both", "only the beta's interval widens; Shapley splits the variance the "
                             "two drivers share between them in every resample, so d1's share "
                             "gets steadier, not less steady."),
            (lambda: "the Shapley share's", "it is the other way round: the beta keeps only "
                                            "d1's unique part, which shrinks and gets noisy as "
                                            "d2 becomes its twin; the Shapley share steadies."),
            (lambda: "neither", "the beta's interval widens: with near-twins, a beta rests on "
                                "the little that is not shared, which is mostly noise."),
        ),
        predict=True,
    ),
)
