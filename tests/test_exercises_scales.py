"""Notebook 02's exercises: each reference answer against an independent computation, and the
near misses say what was probably done instead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import exercises
from cxresearch.simulate import failures as fl


def _alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha from its definition: k/(k-1) (1 - sum of item variances / variance of
    the sum)."""
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))


@pytest.fixture(scope="module")
def culture() -> pd.DataFrame:
    from cxresearch.io.readers import load_study

    employees = load_study(None, tables=["employees"]).employees
    cols = [f"culture_{i}" for i in range(1, 7)]
    return employees[cols].dropna().astype(float)


def test_02_1_and_02_2_alpha_with_and_without_reverse_scoring(culture: pd.DataFrame) -> None:
    # reverse-scored by hand on the 1-5 scale (6 - answer), alpha from its definition
    rescored = culture.assign(culture_4=6 - culture["culture_4"])
    right, slip = _alpha(rescored), _alpha(culture)
    assert exercises.solution("02.1") == pytest.approx(right, abs=0.0005)
    assert exercises.solution("02.2") == ("down" if slip < right else "up") == "down"
    fb = exercises.check("02.1", round(slip, 3))
    assert not fb.correct and "reverse-scored" in fb.message


def test_02_3_the_largest_mi_is_the_chi2_drop_of_the_refit() -> None:
    # independent route: refit in semopy directly (not through cx.cfa) with and without the
    # error covariance the generator built in; the score test (MI) and the likelihood-ratio
    # drop agree closely for this omission (0.2% here; 1% allowed)
    import semopy

    case = fl.misfit_scale(kind="correlated_errors", seed=0)
    desc = "a =~ a1 + a2 + a3 + a4\nb =~ b1 + b2 + b3 + b4"
    chi2 = {}
    for label, extra in (("as specified", ""), ("freed", "\na3 ~~ a4")):
        m = semopy.Model(desc + extra)
        m.fit(case.data.astype(float), obj="MLW", solver="SLSQP",
              options={"ftol": 1e-12, "maxiter": 100_000})
        chi2[label] = float(semopy.calc_stats(m).iloc[0]["chi2"])
    drop = chi2["as specified"] - chi2["freed"]
    assert exercises.solution("02.3") == pytest.approx(drop, rel=0.01)
    fb = exercises.check("02.3", round(chi2["as specified"], 1))
    assert not fb.correct and "model's chi2" in fb.message
    fb = exercises.check("02.3", round(drop, 1))
    assert not fb.correct and "refitted" in fb.message
    assert "a3 ~~ a4" in exercises.check("02.3", exercises.solution("02.3")).message


def test_02_4_cfi_without_the_cross_loading_item_from_its_definition() -> None:
    # CFI = 1 - max(chi2 - df, 0) / max(chi2_0 - df_0, chi2 - df), with the independence
    # model's chi2_0 = N (sum log s_ii - log|S|) computed here from the covariance matrix
    import semopy

    case = fl.misfit_scale(kind="cross_loading", seed=0)
    x = case.data[["a1", "a2", "a3", "a4", "b2", "b3", "b4"]].astype(float)
    m = semopy.Model("a =~ a1 + a2 + a3 + a4\nb =~ b2 + b3 + b4")
    m.fit(x, obj="MLW", solver="SLSQP", options={"ftol": 1e-12, "maxiter": 100_000})
    stats = semopy.calc_stats(m).iloc[0]
    s = np.cov(x.to_numpy(), rowvar=False, bias=True)
    p = s.shape[0]
    chi2_0 = len(x) * (np.log(np.diag(s)).sum() - np.linalg.slogdet(s)[1])
    df_0 = p * (p - 1) / 2
    chi2, df = float(stats["chi2"]), float(stats["DoF"])
    cfi = 1 - max(chi2 - df, 0) / max(chi2_0 - df_0, chi2 - df)
    assert exercises.solution("02.4") == ("yes" if cfi >= 0.95 else "no") == "yes"
    assert not exercises.check("02.4", "no").correct


def test_the_02_exercises_are_three_to_four_with_a_prediction() -> None:
    cat = exercises.catalog().query("notebook == '02'")
    assert 3 <= len(cat) <= 4 and cat["predict"].any()
    assert list(cat["id"]) == ["02.1", "02.2", "02.3", "02.4"]
