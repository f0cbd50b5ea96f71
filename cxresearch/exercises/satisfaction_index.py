"""Exercises of notebook 03, the satisfaction-index model: PLSc against plain PLS, what a
smaller sample does to a path's interval, and what a dropped indicator does to plain PLS."""

from __future__ import annotations

from functools import cache

import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

#: the survey of notebook 03 (its default parameters) and the smaller sample of 03.2
N, SEED, N_SMALL, N_BOOT = 1000, 0, 250, 100
#: the path of 03.2 and 03.3, and the indicator dropped in 03.3
PATH, DROPPED = ("Satisfaction", "Loyalty"), "CUSA1"


@cache
def _survey() -> tuple[pd.DataFrame, pd.DataFrame]:
    from cxresearch.simulate.ecsi import simulate_ecsi_survey

    survey = simulate_ecsi_survey(n=N, seed=SEED)
    return survey.data, survey.paths


def _path(paths: pd.DataFrame, source: str, target: str, column: str = "estimate") -> float:
    row = paths[(paths["source"] == source) & (paths["target"] == target)]
    return float(row[column].iloc[0])


@cache
def _fit(consistent: bool, n: int | None = None, n_boot: int = 0,
         drop: str | None = None) -> pd.DataFrame:
    """The paths of the ECSI model on the survey (its first ``n`` respondents; ``drop``: an
    indicator left out of its block)."""
    from cxresearch.measurement.csi import ECSI_BLOCKS, ECSI_PATHS, fit_pls

    data = _survey()[0] if n is None else _survey()[0].iloc[:n]
    blocks = {k: [i for i in v if i != drop] for k, v in ECSI_BLOCKS.items()}
    return fit_pls(data, blocks, ECSI_PATHS, n_boot=n_boot, seed=SEED, scale_range=(1, 10),
                   consistent=consistent).paths


def _image_expectation(consistent: bool) -> float:
    return round(_path(_fit(consistent), "Image", "Expectation"), 3)


def _width(n: int | None) -> float:
    p = _fit(True, n, N_BOOT)
    return _path(p, *PATH, "ci_high") - _path(p, *PATH, "ci_low")


def _distance(drop: str | None) -> float:
    """How far plain PLS's Satisfaction -> Loyalty path is from the truth."""
    return abs(_path(_fit(False, drop=drop), *PATH) - _path(_survey()[1], *PATH))


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "03.1",
        "On notebook 03's synthetic ECSI survey (cx.simulate.simulate_ecsi_survey(n=1000, "
        "seed=0)), what is the PLSc path from Image to Expectation (cx.fit_pls with "
        "consistent=True, scale_range=(1, 10))? Two decimals.",
        "number", lambda: _image_expectation(True),
        lambda a: f"{a:.3f}: plain PLS gives {_image_expectation(False):.3f}, pulled towards "
                  "zero by the measurement error in both composites; PLSc divides it by the "
                  "square root of the two constructs' reliabilities (rho_A), which brings it "
                  f"close to the simulation's true "
                  f"{_path(_survey()[1], 'Image', 'Expectation'):.2f}.",
        tolerance=0.006,
        near_misses=(
            (lambda: _image_expectation(False),
             "that is plain PLS (consistent=False): its composites carry measurement error, "
             "which attenuates the path; PLSc corrects for it."),
            (lambda: round(_path(_survey()[1], "Image", "Expectation"), 2),
             "that is the simulation's true value (survey.paths); the question asks for the "
             "estimate from this sample."),
        ),
    ),
    Exercise(
        "03.2",
        "Predict: fit the same model on the first 250 respondents of the survey instead of all "
        "1,000. Is the 95% bootstrap interval of the PLSc path from Satisfaction to Loyalty "
        "narrower, wider or the same?",
        "choice", lambda: "wider" if _width(N_SMALL) > _width(None) else "narrower",
        lambda a: f"{a}: {_width(None):.3f} wide with {N:,} respondents, {_width(N_SMALL):.3f} "
                  f"with {N_SMALL} ({N_BOOT} bootstrap resamples each). A standard error "
                  "shrinks like 1/sqrt(n), so a quarter of the sample roughly doubles the "
                  "width.",
        options=("narrower", "wider", "the same"),
        near_misses=((lambda: "the same",
                      "the number of bootstrap resamples is the same, but each resample is "
                      "drawn from fewer respondents, so the estimates vary more between "
                      "them."),),
        predict=True,
    ),
    Exercise(
        "03.3",
        "Predict: drop the indicator CUSA1 from the Satisfaction block and refit plain PLS "
        "(consistent=False). Does its Satisfaction → Loyalty path move closer to the "
        "simulation's true value, or further from it?",
        "choice", lambda: "further" if _distance(DROPPED) > _distance(None) else "closer",
        lambda a: f"{a}: plain PLS puts the path at {_path(_fit(False), *PATH):.3f} with all "
                  f"three items and {_path(_fit(False, drop=DROPPED), *PATH):.3f} without "
                  f"{DROPPED} (true {_path(_survey()[1], *PATH):.2f}). A composite of fewer "
                  "items is less reliable, so plain PLS attenuates the path more; PLSc "
                  "corrects for the reliability and stays close to the truth "
                  f"({_path(_fit(True, drop=DROPPED), *PATH):.3f}).",
        options=("closer", "further", "unchanged"),
        predict=True,
    ),
)
