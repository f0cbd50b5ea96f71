"""Notebook 10's exercises against independent computations: scikit-learn's recall, precision
and confusion matrix on the hand codes, the Rogan-Gladen closed form, and the slogans counted
in the postings' text."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix, precision_score, recall_score

from cxresearch import exercises
from cxresearch.simulate.postings import simulate_postings
from cxresearch.text.postings import keyword_codes

_SLOGANS = ("customers are at the heart", "serves more than a million customers",
            "the trust our clients place")


def _corpus(**overrides: float) -> pd.DataFrame:
    p = simulate_postings(n=1200, n_hand_coded=300, seed=0, **overrides)
    return p.join(keyword_codes(p))


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _corpus()


@pytest.fixture(scope="module")
def measures(corpus: pd.DataFrame) -> dict[str, float]:
    coded = corpus[corpus["mentions_customer"].notna()]
    truth_none = (coded["mentions_customer"].astype(int) == 0).astype(int)
    pred_none = (~coded["keyword_mention"].astype(bool)).astype(int)
    tn, fp, _, _ = confusion_matrix(truth_none, pred_none, labels=[0, 1]).ravel()
    return {"recall": recall_score(truth_none, pred_none),
            "precision": precision_score(truth_none, pred_none),
            "specificity": tn / (tn + fp)}


def _raw(corpus: pd.DataFrame) -> float:
    cx = corpus[corpus["title_family"] == "CX title"]
    return float((cx["keyword_mention"].astype(int) == 0).mean())


def test_10_1_recall_matches_scikit_learn(measures: dict[str, float]) -> None:
    assert exercises.solution("10.1") == pytest.approx(measures["recall"], abs=5e-4)
    assert "precision" in exercises.check("10.1", round(measures["precision"], 3)).message
    assert "specificity" in exercises.check("10.1", round(measures["specificity"], 3)).message
    assert "misses" in exercises.check("10.1", round(1 - measures["recall"], 3)).message


def test_10_2_rogan_gladen_closed_form(corpus: pd.DataFrame,
                                      measures: dict[str, float]) -> None:
    a, se, sp = _raw(corpus), measures["recall"], measures["specificity"]
    p = (a + sp - 1) / (se + sp - 1)
    assert exercises.solution("10.2") == pytest.approx(p, abs=5e-4)
    assert exercises.check("10.2", p).correct
    assert "uncorrected" in exercises.check("10.2", round(a, 3)).message
    assert "recall only" in exercises.check("10.2", round(a / se, 3)).message
    pr = measures["precision"]
    wrong = (a + pr - 1) / (se + pr - 1)
    assert "precision in place" in exercises.check("10.2", round(wrong, 3)).message


def test_10_3_more_slogans_lower_the_raw_share(corpus: pd.DataFrame) -> None:
    more = _corpus(p_blurb_trap=0.6)

    def slogans(d: pd.DataFrame) -> int:
        return int(d["description"].str.contains("|".join(_SLOGANS)).sum())

    assert slogans(more) > slogans(corpus)
    # the truth is drawn as before, only the keyword count moves
    assert (more["true_mentions_customer"] == corpus["true_mentions_customer"]).all()
    assert _raw(more) < _raw(corpus)
    assert exercises.solution("10.3") == "down"
    assert "counts words" in exercises.check("10.3", "the same").message
    assert exercises.catalog().set_index("id").loc["10.3", "predict"]
