"""The exercises (issue 23): every solution passes ``check``, made-up wrong answers fail, and a
near miss says what was probably forgotten. The solutions are computed, so each is also
checked against an independent computation here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxresearch as cx
from cxresearch import exercises

IDS = list(exercises.catalog()["id"])


def test_the_catalog_is_tidy_and_each_notebook_has_at_least_two() -> None:
    cat = exercises.catalog()
    assert list(cat.columns[:4]) == ["id", "notebook", "question", "kind"]
    assert cat["id"].is_unique and set(cat["kind"]) <= {"number", "choice", "yes/no", "label"}
    counts = cat.groupby("notebook").size()
    assert (counts >= 2).all(), counts
    assert cat.groupby("notebook")["predict"].any().loc[["01", "02"]].all()  # change, predict


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_solution_passes_and_wrong_answers_fail(exercise_id: str) -> None:
    answer = exercises.solution(exercise_id)
    fb = exercises.check(exercise_id, answer)
    assert fb.correct and fb.message.startswith("Right"), fb.message
    kind = exercises.catalog().set_index("id").loc[exercise_id, "kind"]
    if kind == "number":
        wrong: object = float(answer) + 1000
    elif kind == "choice":
        wrong = "the same" if answer != "the same" else "wider"
    elif kind == "yes/no":
        wrong = "no" if answer == "yes" else "yes"
    else:
        wrong = "ZZZ9"
    assert not exercises.check(exercise_id, wrong).correct


def test_solutions_against_independent_computations() -> None:
    assert exercises.solution("01.1") == pytest.approx(45 - 25)
    # adjusted Wald (Rocks 2016): add 3/4 promoter, 3/4 detractor, 3 answers
    p, d, n = (45 + 0.75) / 103, (25 + 0.75) / 103, 103
    half = 1.959964 * np.sqrt((p + d - (p - d) ** 2) / n) * 100
    assert exercises.solution("01.2") == pytest.approx(half, abs=0.01)
    assert exercises.solution("01.3") == pytest.approx(3000 / (1 + 99 * 0.05), abs=0.1)
    # Shapley shares add up to the full regression's R^2 (statsmodels)
    import statsmodels.api as sm

    from cxresearch.simulate.ecsi import simulate_ecsi_survey

    items = simulate_ecsi_survey(n=1000, seed=0).data
    drivers = [c for c in items if c.startswith(("PERQ", "PERV", "IMAG"))]
    y = items[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1)
    r2 = sm.OLS(y, sm.add_constant(items[drivers].astype(float))).fit().rsquared
    assert exercises.solution("04.3") == pytest.approx(r2, abs=0.001)


def test_near_misses_say_what_was_forgotten() -> None:
    assert "share of promoters" in exercises.check("01.1", 45).message
    assert "sign is reversed" in exercises.check("01.1", -20).message
    assert "single share" in exercises.check("01.2", 9.75).message
    assert "independent" in exercises.check("01.3", 3000).message
    unreversed = exercises.check("02.1", 0.573)
    assert not unreversed.correct and "reverse-scored" in unreversed.message
    assert "R^2" in exercises.check("04.3", 1).message


def test_bad_input_gets_a_clear_message() -> None:
    with pytest.raises(cx.DataError, match=r"no exercise '99\.9'"):
        exercises.check("99.9", 1)
    assert exercises.check("01.4", "maybe").message == "Choose one of: narrower, wider, the same."
    assert exercises.check("04.2", "perhaps").message == "Answer yes or no."
    assert not exercises.check("01.1", "twenty").correct  # text for a number
    assert exercises.check("04.2", False).correct == (exercises.solution("04.2") == "no")


def test_feedback_is_a_result() -> None:
    fb = exercises.check("01.1", 20)
    assert isinstance(fb.to_frame(), pd.DataFrame) and fb.summary().startswith("01.1: Right")
    assert cx.exercises.check is exercises.check  # from the face
