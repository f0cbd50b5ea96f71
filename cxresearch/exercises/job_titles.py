"""Exercises of notebook 10, CX job titles: a keyword dictionary validated against hand codes
(recall), the share it reports corrected for its errors (Rogan & Gladen 1978), and what
company slogans do to a raw keyword count.

Every answer is computed on the notebook's **synthetic** corpus
(:func:`cxresearch.simulate.postings.simulate_postings`, ``n=1200, n_hand_coded=300,
seed=0``) with :func:`cxresearch.text.postings.keyword_codes` and
:func:`cxresearch.text.postings.validation_table`; the positive class is *never mentions the
customer*, as in the notebook.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]

_BLURB_TRAP = 0.6  # 10.3: share of postings opening with a slogan about the company's customers


@cache
def _postings(p_blurb_trap: float | None = None) -> pd.DataFrame:
    from cxresearch.simulate.postings import simulate_postings
    from cxresearch.text.postings import keyword_codes

    extra = {} if p_blurb_trap is None else {"p_blurb_trap": p_blurb_trap}
    p = simulate_postings(n=1200, n_hand_coded=300, seed=0, **extra)
    return p.join(keyword_codes(p))


@cache
def _dictionary() -> pd.Series:
    """The keyword dictionary's precision, recall, specificity... against the hand codes."""
    from cxresearch.text.postings import validation_table

    v = validation_table(_postings(), methods={"keyword dictionary": "keyword_mention"})
    return v.set_index("measure")["estimate"]


def _raw_share(p_blurb_trap: float | None = None) -> float:
    """Share of CX-titled postings with no keyword hit (the raw dictionary's 'never mentions')."""
    p = _postings(p_blurb_trap)
    cx = p[p["title_family"] == "CX title"]
    return float((~cx["keyword_mention"].astype(bool)).mean())


def _corrected(sens: str = "recall", spec: str = "specificity") -> float:
    """Rogan-Gladen: (a + Sp - 1) / (Se + Sp - 1), with the dictionary's measures."""
    e, a = _dictionary(), _raw_share()
    return round(float((a + e[spec] - 1) / (e[sens] + e[spec] - 1)), 3)


def _slogans() -> str:
    before, after = _raw_share(), _raw_share(_BLURB_TRAP)
    return "down" if after < before else ("up" if after > before else "the same")


def _true_share(p_blurb_trap: float | None = None) -> float:
    p = _postings(p_blurb_trap)
    return float((p.loc[p["title_family"] == "CX title", "true_mentions_customer"] == 0).mean())


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "10.1",
        "On the hand-coded postings of the notebook's synthetic corpus, what is the keyword "
        "dictionary's recall for the class 'never mentions the customer': of the postings the "
        "hand coder says never mention the customer, what share does the dictionary find? "
        "Three decimals.",
        "number", lambda: round(float(_dictionary()["recall"]), 3),
        lambda a: f"recall = {a:.3f}: the dictionary misses {1 - a:.0%} of the postings that "
                  "never mention the customer, because a slogan, the title or an internal "
                  "'client' duty gives them a keyword hit. Its precision is "
                  f"{_dictionary()['precision']:.3f}: of what it flags, that share is right "
                  "(synthetic corpus).",
        tolerance=0.002,
        near_misses=(
            (lambda: round(float(_dictionary()["precision"]), 3),
             "that is the precision (of the postings the dictionary flags, the share the hand "
             "coder agrees with); recall divides by the postings the hand coder says never "
             "mention the customer."),
            (lambda: round(float(_dictionary()["specificity"]), 3),
             "that is the specificity, the recall of the other class (postings that do mention "
             "the customer); the positive class here is 'never mentions'."),
            (lambda: round(1 - float(_dictionary()["recall"]), 3),
             "that is the share the dictionary misses (1 - recall)."),
        ),
    ),
    Exercise(
        "10.2",
        "The raw keyword dictionary says a share a of the CX-titled postings never mention the "
        "customer (the share table). Correct it for the dictionary's errors with its recall "
        "(sensitivity, Se) and specificity (Sp) from the validation table: "
        "p = (a + Sp − 1) / (Se + Sp − 1) (Rogan & Gladen 1978). What is p? Three decimals.",
        "number", _corrected,
        lambda a: f"p = {a:.3f}: a = {_raw_share():.3f}, Se = {_dictionary()['recall']:.3f}, "
                  f"Sp = {_dictionary()['specificity']:.3f}. The dictionary finds only "
                  f"{_dictionary()['recall']:.0%} of the postings that never mention the "
                  f"customer, so the raw share is {'too low' if _raw_share() < a else 'high'}"
                  ". The correction assumes Se and Sp are the same for CX and other titles; "
                  "the notebook's corrected classifier uses each family's own "
                  f"(generator's true share: {_true_share():.3f}; synthetic corpus).",
        tolerance=0.003,
        near_misses=(
            (lambda: round(_raw_share(), 3),
             "that is the raw share a, uncorrected: it counts every keyword hit, slogans "
             "included, as a mention of the customer."),
            (lambda: round(_raw_share() / float(_dictionary()["recall"]), 3),
             "that divides by the recall only (a / Se), which ignores the postings the "
             "dictionary flags wrongly: use (a + Sp - 1) / (Se + Sp - 1)."),
            (lambda: _corrected(spec="precision"),
             "that uses the precision in place of the specificity; Sp is the share of the "
             "postings that do mention the customer which the dictionary leaves alone."),
        ),
    ),
    Exercise(
        "10.3",
        "Predict: twice as many postings open with a slogan about the company's customers "
        "(`simulate_postings(n=1200, n_hand_coded=300, seed=0, p_blurb_trap=0.6)`; the true "
        "share of postings that never mention the customer is unchanged). Does the raw keyword "
        "dictionary's share of CX-titled postings that never mention the customer go up, down "
        "or stay the same?",
        "choice", _slogans,
        lambda a: f"{a}: from {_raw_share():.3f} to {_raw_share(_BLURB_TRAP):.3f}, while the "
                  f"generator's true share is {_true_share(_BLURB_TRAP):.3f}. Every slogan "
                  "about 'our customers' is a keyword hit, so the dictionary counts more "
                  "postings as mentioning the customer; a raw keyword count is biased low, and "
                  "more boilerplate biases it further (synthetic corpus).",
        options=("up", "down", "the same"),
        near_misses=((lambda: "the same",
                      "the jobs are the same, but the dictionary counts words, not meanings: "
                      "a slogan's 'customers' is a hit, though the protocol does not count "
                      "it."),),
        predict=True,
    ),
)
