"""Notebook 03's exercises: each reference answer against an independent computation, and the
near misses say what was probably done instead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxresearch as cx
from cxresearch import exercises
from cxresearch.simulate import simulate_ecsi_survey


@pytest.fixture(scope="module")
def survey():  # type: ignore[no-untyped-def]
    return simulate_ecsi_survey(n=1000, seed=0)


def _path(paths: pd.DataFrame, source: str, target: str) -> float:
    return float(paths.loc[(paths["source"] == source) & (paths["target"] == target),
                           "estimate"].iloc[0])


def test_03_1_plsc_is_plain_pls_disattenuated(survey) -> None:  # type: ignore[no-untyped-def]
    # Expectation has one predictor, Image: its plain-PLS path is the correlation of the two
    # composites, and PLSc divides it by sqrt(rho_A(Image) rho_A(Expectation)) (Dijkstra &
    # Henseler 2015) -- computed here from the plain fit's reliabilities
    plain = cx.fit_pls(survey.data, cx.ECSI_BLOCKS, cx.ECSI_PATHS, scale_range=(1, 10))
    rho_a = plain.reliability()["rho_a"]
    corrected = (_path(plain.paths, "Image", "Expectation")
                 / np.sqrt(rho_a["Image"] * rho_a["Expectation"]))
    assert exercises.solution("03.1") == pytest.approx(corrected, abs=0.002)
    fb = exercises.check("03.1", round(_path(plain.paths, "Image", "Expectation"), 2))
    assert not fb.correct and "plain PLS" in fb.message
    fb = exercises.check("03.1", _path(survey.paths, "Image", "Expectation"))
    assert not fb.correct and "true value" in fb.message


def test_03_2_a_quarter_of_the_sample_widens_the_interval(survey) -> None:  # type: ignore[no-untyped-def]
    # independent route: the Fisher-z interval of the correlation of the two constructs' item
    # means widens as 1 / sqrt(n - 3); same direction as the bootstrap of the PLSc path
    sat = survey.data[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1)
    loy = survey.data[["CUSL1", "CUSL2", "CUSL3"]].mean(axis=1)

    def width(n: int) -> float:
        z = np.arctanh(np.corrcoef(sat.iloc[:n], loy.iloc[:n])[0, 1])
        half = 1.959964 / np.sqrt(n - 3)
        return float(np.tanh(z + half) - np.tanh(z - half))

    assert width(250) > 1.5 * width(1000)
    assert exercises.solution("03.2") == "wider"
    fb = exercises.check("03.2", "the same")
    assert not fb.correct and "fewer respondents" in fb.message


def test_03_3_a_dropped_indicator_attenuates_plain_pls(survey) -> None:  # type: ignore[no-untyped-def]
    # independent route: with CUSA1 dropped, the unit-weighted satisfaction composite is less
    # reliable (alpha by its definition) and correlates less with loyalty; the true path is
    # above both plain-PLS estimates, so lower means further from it
    def alpha(items: pd.DataFrame) -> float:
        k = items.shape[1]
        return k / (k - 1) * (1 - items.var().sum() / items.sum(axis=1).var())

    data = survey.data
    loy = data[["CUSL1", "CUSL2", "CUSL3"]].mean(axis=1)
    full, short = data[["CUSA1", "CUSA2", "CUSA3"]], data[["CUSA2", "CUSA3"]]
    assert alpha(short) < alpha(full)
    assert np.corrcoef(short.mean(axis=1), loy)[0, 1] < np.corrcoef(full.mean(axis=1), loy)[0, 1]
    true = _path(survey.paths, "Satisfaction", "Loyalty")
    blocks = {k: [i for i in v if i != "CUSA1"] for k, v in cx.ECSI_BLOCKS.items()}
    plain = {label: _path(cx.fit_pls(data, b, cx.ECSI_PATHS, scale_range=(1, 10)).paths,
                          "Satisfaction", "Loyalty")
             for label, b in (("all", cx.ECSI_BLOCKS), ("short", blocks))}
    assert plain["short"] < plain["all"] < true
    assert exercises.solution("03.3") == "further"
    assert not exercises.check("03.3", "closer").correct


def test_the_03_exercises_include_a_prediction() -> None:
    cat = exercises.catalog().query("notebook == '03'")
    assert len(cat) >= 2 and cat["predict"].any()
