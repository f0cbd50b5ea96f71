"""cxresearch.text.postings and cxresearch.simulate.postings: the protocol's keyword dictionary, the
classifier, its validation and the corrected share, checked against scikit-learn, statsmodels and
seeded simulations with a known truth; read_postings against a corpus of bad files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_score, recall_score
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from cxresearch.core.validation import DataError
from cxresearch.simulate.postings import simulate_postings
from cxresearch.text import postings as P

DATA = Path(__file__).parent / "data" / "postings"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    data = simulate_postings(seed=0)
    return P.classify_postings(data.join(P.keyword_codes(data)), seed=0)


# --------------------------------------------------------------------------------------------
# Titles and the keyword dictionary
# --------------------------------------------------------------------------------------------


def test_titles():
    titles = ["Customer Experience Manager", "Head of CX", "Chief Experience Officer",
              "Patient Experience Lead", "Operations Manager", "Excel expert", "Cxense admin"]
    assert P.is_cx_title(titles).tolist() == [True, True, True, True, False, False, False]
    assert P.title_family(titles).tolist()[3:5] == ["CX title", "other title"]


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("CX Lead", "Reduce churn among small-business customers.", True),
    ("CX Lead", "Map customer journeys and close the loop.", True),
    ("Customer Experience Manager", "As our Customer Experience Manager you own reporting.",
     False),
    ("Head of CX", "You will join the Customer Experience team of twelve people.", False),
    ("Head of CX", "Lead the CX team and its budget.", False),
    ("Analyst", "Spend time with account holders to learn what frustrates them.", False),
    ("Analyst", "Improve the customer experience in our stores.", True),
])
def test_keyword_codes_protocol_cases(title, text, expected):
    d = pd.DataFrame({"title": [title], "description": [text]})
    assert bool(P.keyword_codes(d)["keyword_mention"].iloc[0]) is expected


def test_keyword_codes_title_exclusion_and_counts():
    d = pd.DataFrame({"title": ["Customer Experience Manager"],
                      "description": ["As our Customer Experience Manager, cut complaints "
                                      "from customers and run a survey."]})
    with_title = P.keyword_codes(d, exclude_title=False)
    without = P.keyword_codes(d)
    assert with_title.loc[0, "customers"] == 2 and without.loc[0, "customers"] == 1
    assert without.loc[0, "customer outcomes"] == 1 and without.loc[0, "CX methods"] == 1
    assert d["description"].iloc[0].startswith("As our")  # input not modified
    assert list(P.keyword_dictionary()["part"]) == list(P.KEYWORDS)


# --------------------------------------------------------------------------------------------
# Reading a user's postings
# --------------------------------------------------------------------------------------------


def test_read_postings_csv_jsonl_and_folder():
    csv = P.read_postings(DATA / "postings.csv")
    assert list(csv.columns) == ["posting_id", "title", "description", "title_family",
                                 "mentions_customer"]
    assert len(csv) == 60 and int(csv["mentions_customer"].notna().sum()) == 40
    jsonl = P.read_postings(DATA / "postings.jsonl")
    pd.testing.assert_frame_equal(jsonl, csv.head(10), check_dtype=False)
    with pytest.raises(DataError, match="exactly one"):
        P.read_postings(DATA)  # both postings.csv and postings.jsonl: ambiguous
    assert csv.attrs["source"] == "postings.csv"


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "message"), [
    ("p.csv", "title,text\nCX Lead,x\n",
     r"p\.csv: column\(s\) \['description'\] not found; available: \['title', 'text'\]"),
    ("p.csv", "title,description\nCX Lead,Reduce churn.\nAnalyst,  \nCX,\n",
     r"p\.csv: column 'description': 2 empty value\(s\) at rows \[1, 2\]"),
    ("p.csv", "title,description,mentions_customer\nA,x,1\nB,y,maybe\nC,z,\nD,w,2\n",
     r"p\.csv: column 'mentions_customer': 2 value\(s\) not 1/0, true/false or yes/no at rows "
     r"\[1, 3\]: \['maybe', '2'\]"),
    ("p.csv", "posting_id,title,description\n7,A,x\n8,B,y\n7,C,z\n",
     r"p\.csv: column 'posting_id': duplicate ids at rows \[0, 2\]"),
    ("p.csv", "", r"p\.csv: the file is empty"),
    ("p.csv", "title,description\n", r"p\.csv: no postings"),
    ("p.jsonl", '{"title": "A", "description": "x"}\n{"title": "B", "description": \n',
     r"p\.jsonl: line 2 is not valid JSON"),
    ("p.jsonl", '{"title": "A", "description": "x"}\n[1, 2]\n',
     r"p\.jsonl: line 2 is not a JSON object"),
    ("p.jsonl", '{"title": 3, "description": "x"}\n',
     r"p\.jsonl: column 'title': 1 value\(s\) are not text at rows \[0\]"),
    ("p.txt", "title,description\nA,x\n", r"unsupported file type '\.txt'"),
])
def test_read_postings_errors_name_file_column_rows(tmp_path, name, text, message):
    path = _write(tmp_path, name, text)
    with pytest.raises(DataError, match=message):
        P.read_postings(path)


def test_read_postings_more_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        P.read_postings(tmp_path / "nothing.csv")
    (tmp_path / "x.csv").write_bytes("title,description\nCaf\xe9,x\n".encode("latin-1"))
    with pytest.raises(DataError, match="not valid UTF-8"):
        P.read_postings(tmp_path / "x.csv")
    path = _write(tmp_path, "r.csv", "Job,Text,Code\nCX Lead,Reduce churn.,yes\n")
    data = P.read_postings(path, columns={"Job": "title", "Text": "description",
                                          "Code": "mentions_customer"})
    assert data["mentions_customer"].tolist() == [1]
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "scraped.jsonl").write_text(json.dumps({"title": "A", "description": "x"}))
    assert len(P.read_postings(folder)) == 1


# --------------------------------------------------------------------------------------------
# Classifier and validation
# --------------------------------------------------------------------------------------------


def test_classifier_out_of_fold_and_settled(corpus):
    coded = corpus["mentions_customer"].notna()
    assert (corpus.loc[coded, "prediction"] == "out-of-fold").all()
    assert (corpus.loc[~coded, "prediction"] == "trained on all hand codes").all()
    assert corpus["probability"].between(0, 1).all()
    # the same optimum from another solver: predictions do not depend on the optimiser
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    other = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        LogisticRegression(C=10.0, solver="lbfgs", tol=1e-12, max_iter=10_000))
    again = P.classify_postings(corpus.drop(columns=["probability", "predicted_mentions",
                                                     "prediction"]), seed=0, pipeline=other)
    np.testing.assert_allclose(again["probability"], corpus["probability"], atol=1e-6)
    assert (again["predicted_mentions"] == corpus["predicted_mentions"]).all()


def test_classifier_needs_hand_codes():
    data = simulate_postings(seed=1, n=100, n_hand_coded=6)
    with pytest.raises(DataError, match="at least 5 hand-coded postings in each class"):
        P.classify_postings(data)


def test_validation_table_matches_sklearn_and_statsmodels(corpus):
    table = P.validation_table(corpus).set_index(["method", "measure"])
    coded = corpus[corpus["mentions_customer"].notna()]
    truth = coded["mentions_customer"].astype(int)
    for method, col in (("keyword dictionary", "keyword_mention"),
                        ("classifier (out-of-fold)", "predicted_mentions")):
        pred = coded[col].astype(int)
        row = table.loc[(method, "precision")]
        assert row["estimate"] == pytest.approx(precision_score(truth, pred, pos_label=0))
        lo, hi = proportion_confint(row["numerator"], row["denominator"], method="wilson")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), abs=1e-12)
        assert table.loc[(method, "recall"), "estimate"] == pytest.approx(
            recall_score(truth, pred, pos_label=0))
        assert table.loc[(method, "specificity"), "estimate"] == pytest.approx(
            recall_score(truth, pred, pos_label=1))
    # on the synthetic corpus the classifier beats the dictionary, whose traps cost recall
    assert (table.loc[("classifier (out-of-fold)", "recall"), "estimate"]
            > table.loc[("keyword dictionary", "recall"), "estimate"] + 0.2)


# --------------------------------------------------------------------------------------------
# The share that never mentions the customer
# --------------------------------------------------------------------------------------------


def test_share_intervals_against_statsmodels(corpus):
    share = P.share_never_mentions(corpus, n_boot=500).set_index(["group", "method"])
    coded = corpus[corpus["mentions_customer"].notna()]
    x = {g: int((c["mentions_customer"] == 0).sum()) for g, c in coded.groupby("title_family")}
    n = coded["title_family"].value_counts()
    row = share.loc[("CX title", "hand codes")]
    lo, hi = proportion_confint(x["CX title"], n["CX title"], method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), abs=1e-12)
    diff = share.loc[("CX title minus other title", "hand codes")]
    ref = confint_proportions_2indep(x["CX title"], n["CX title"], x["other title"],
                                     n["other title"], method="newcomb", compare="diff")
    assert (diff["ci_low"], diff["ci_high"]) == pytest.approx(ref, abs=1e-10)


def test_rogan_gladen_recovers_truth_where_the_dictionary_does_not():
    """Seeded simulation with a known truth: the corrected classifier share is close to the
    true share of the corpus; the raw dictionary share is far below it."""
    data = simulate_postings(seed=5, n=3000, n_hand_coded=600)
    data = P.classify_postings(data.join(P.keyword_codes(data)), seed=5)
    share = P.share_never_mentions(data, n_boot=500, seed=5).set_index(["group", "method"])
    truth = (data.groupby("title_family")["true_mentions_customer"]
             .apply(lambda s: float((s == 0).mean())))
    for g in ("CX title", "other title"):
        corrected = share.loc[(g, "classifier, corrected")]
        assert corrected["estimate"] == pytest.approx(truth[g], abs=0.04)
        assert corrected["ci_low"] <= truth[g] <= corrected["ci_high"]
        assert share.loc[(g, "keyword dictionary (raw)"), "estimate"] < truth[g] - 0.1


def test_perfect_classifier_needs_no_correction():
    data = simulate_postings(seed=2, n=400, n_hand_coded=400)
    data["predicted_mentions"] = data["mentions_customer"].astype(int)
    share = P.share_never_mentions(data, n_boot=200).set_index(["group", "method"])
    for g in ("CX title", "other title"):
        assert share.loc[(g, "classifier, corrected"), "estimate"] == pytest.approx(
            share.loc[(g, "hand codes"), "estimate"])


def test_share_without_hand_codes_uses_the_dictionary_only():
    data = P.read_postings(DATA / "postings.csv")
    data["mentions_customer"] = pd.array([pd.NA] * len(data), dtype="Int64")
    data = data.join(P.keyword_codes(data))
    share = P.share_never_mentions(data, n_boot=100)
    assert set(share["method"]) == {"keyword dictionary (raw)"}


def test_simulated_corpus_is_seeded_and_synthetic():
    a, b = (simulate_postings(seed=4, n=200, n_hand_coded=50) for _ in range(2))
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["synthetic"] is True
    big = simulate_postings(seed=9, n=8000, n_hand_coded=0)
    none = big.groupby("title_family")["true_mentions_customer"].apply(lambda s: (s == 0).mean())
    assert none["CX title"] == pytest.approx(0.35, abs=0.02)
    assert none["other title"] == pytest.approx(0.55, abs=0.02)
    hand = simulate_postings(seed=9, n=3000, n_hand_coded=3000)
    agree = (hand["mentions_customer"] == hand["true_mentions_customer"]).mean()
    assert agree == pytest.approx(0.97, abs=0.01)
