"""Tests for notebook 01's tables and reporting checks in cxresearch.studies.measuring_01.

References: statsmodels (Wilson intervals, Holm's correction), the unpooled z test of two
proportions worked with numpy/scipy, the messages the metrics of cxresearch.metrics.scores raise,
and
the pandas engine of cxresearch.metrics.scores.aggregate_responses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _surveys import survey
from scipy import stats

from cxresearch.metrics import scores as m
from cxresearch.studies import measuring_01 as s01

_survey = survey  # the shared generator (tests/_surveys.py)


# --------------------------------------------------------------------------------------------
# Tables of notebook 01, each against an exact or closed-form reference
# --------------------------------------------------------------------------------------------


def test_top_box_intervals_at_assumed_n_equal_statsmodels_wilson() -> None:
    from statsmodels.stats.proportion import proportion_confint

    rates = pd.Series({"g1": 81.0, "g2": 70.0, "g3": 96.0, "g0": 81.0}, name="prf_rate")
    out = s01.top_box_intervals_at_assumed_n(rates, assumed_n=(100, 1000))
    assert len(out) == 8
    first = out[out["assumed_n"] == 100]
    assert first["group"].tolist() == ["g2", "g0", "g1", "g3"]  # ranked by rate, ties by label
    assert first["rank"].tolist() == [0, 1, 2, 3]
    for row in out.itertuples():
        lo, hi = proportion_confint(rates[row.group] * row.assumed_n / 100, row.assumed_n,
                                    method="wilson")
        assert (row.ci_low, row.ci_high) == (pytest.approx(100 * lo), pytest.approx(100 * hi))
        assert row.estimate == pytest.approx(rates[row.group])
    with pytest.raises(ValueError, match=r"argument 'prf_rate': 1 missing or non-percentage"):
        s01.top_box_intervals_at_assumed_n(pd.Series({"a": 50.0, "b": 120.0}, name="prf_rate"))
    with pytest.raises(ValueError, match="duplicated group label"):
        s01.top_box_intervals_at_assumed_n(pd.Series([50.0, 60.0], index=["a", "a"]))


def test_top_box_pairwise_at_assumed_n_counts_unpooled_z_tests_and_holm() -> None:
    from statsmodels.stats.multitest import multipletests

    rates = {f"g{i}": r for i, r in enumerate([70, 74, 78, 80, 83, 86, 90, 95])}
    out = s01.top_box_pairwise_at_assumed_n(rates, assumed_n=(100, 1000)).set_index("assumed_n")
    for n in (100, 1000):
        p = np.array(list(rates.values())) / 100
        i, j = np.triu_indices(len(p), k=1)
        z = (p[i] - p[j]) / np.sqrt(p[i] * (1 - p[i]) / n + p[j] * (1 - p[j]) / n)
        pv = 2 * stats.norm.sf(np.abs(z))
        assert out.loc[n, "pairs"] == len(pv) == 28 and out.loc[n, "groups"] == 8
        assert out.loc[n, "significant_unadjusted"] == int((pv < 0.05).sum())
        assert out.loc[n, "significant_holm"] == int(multipletests(pv, method="holm")[0].sum())
    assert out.loc[1000, "significant_holm"] > out.loc[100, "significant_holm"]


def test_suppression_summary_and_examples_count_small_cells() -> None:
    df = _survey(seed=2)
    cells = m.by_segment(df, ["region", "channel"], min_n=30)
    sizes = df.dropna(subset=["nps"]).groupby(["region", "channel"]).size()
    summ = s01.suppression_summary(cells).iloc[0]
    assert summ["cells"] == len(sizes) and summ["suppressed"] == int((sizes < 30).sum())
    assert summ["shown"] == int((sizes >= 30).sum()) and summ["empty"] == 0
    assert summ["answers"] == int(sizes.sum())
    assert summ["answers_in_suppressed"] == int(sizes[sizes < 30].sum())
    ex = s01.suppressed_and_shown(cells, k=2)
    n_sup = min(2, int((sizes < 30).sum()))
    assert ex["suppressed"].tolist() == [True] * n_sup + [False] * 2
    assert ex[ex["suppressed"]]["estimate"].isna().all()
    with pytest.raises(ValueError, match="column"):
        s01.suppression_summary(pd.DataFrame({"n": [1]}))


def test_input_errors_report_the_messages_the_metrics_raise() -> None:
    cases = {"out of scale": [9, 10, 11, 7], "fraction": [9, 8.5, 10],
             "text": [9, 10, "ten", 7], "missing": [9, None, 10], "fine": [9, 10]}
    out = s01.input_errors(cases, name="likely_to_recommend").set_index("case")
    for key in ("out of scale", "fraction", "text"):
        with pytest.raises(ValueError) as err:
            m.nps(pd.Series(cases[key], name="likely_to_recommend"))
        assert not out.loc[key, "ok"] and out.loc[key, "message"] == str(err.value)
        assert "'likely_to_recommend'" in out.loc[key, "message"]
    assert out.loc["missing", "ok"] and "dropped 1 missing" in out.loc["missing", "message"]
    assert out.loc["fine", "ok"] and out.loc["fine", "message"] == ""
    csat = s01.input_errors([[1, 5, 6]], metric="csat", name="csat")
    assert "outside 1..5" in csat.loc[0, "message"]
    with pytest.raises(ValueError, match="argument 'metric'"):
        s01.input_errors([[1]], metric="median")


def test_check_engines_counts_agree_and_leave_the_frame_untouched() -> None:
    df = _survey(seed=5)
    before = df.copy()
    chk = s01.check_engines(df, ["region", "channel"], "nps", scale=(0, 10))
    pd.testing.assert_frame_equal(df, before)
    assert chk.identical and "identical: True" in chk.summary()
    ref = m.aggregate_responses(df, ["region", "channel"], "nps", scale=(0, 10), engine="pandas")
    pd.testing.assert_frame_equal(chk.to_frame(), ref)
    assert chk.to_frame()["n"].sum() == len(df)
    with pytest.raises(ValueError, match="not found"):
        s01.check_engines(df, "shop", "nps")


# --------------------------------------------------------------------------------------------
# One vocabulary: method, data (the old keywords are gone)
# --------------------------------------------------------------------------------------------


def test_suppression_helpers_take_data() -> None:
    df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 5, "nps": [9, 10, 5, 8] * 10 + [10] * 5})
    cells = m.by_segment(df, "g")
    assert s01.suppression_summary(data=cells).equals(s01.suppression_summary(cells))
    assert s01.suppressed_and_shown(data=cells, k=1).equals(s01.suppressed_and_shown(cells, k=1))
    with pytest.raises(TypeError):
        s01.suppressed_and_shown(segments=cells, k=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match=r"argument 'data': column\(s\) \['suppressed', "):
        s01.suppression_summary(df.assign(n=1))


# --------------------------------------------------------------------------------------------
# owner_at_answer: the owner in force when the answer was given
# --------------------------------------------------------------------------------------------

_FIRMS = pd.DataFrame({"firm_id": ["A", "B", "C"], "cx_owner": ["cx_leader", "coo", "cx_leader"],
                       "cx_leader_year": [2022, None, 2019]})
_YEARS = pd.DataFrame({"firm_id": ["A", "A", "B", "C"], "year": [2020, 2023, 2020, 2020],
                       "has_cx_leader": [0, 1, 0, 1]})


def test_owner_at_answer_from_firm_years_or_appointment_year() -> None:
    answers = pd.DataFrame({"firm_id": ["A", "A", "B", "C"], "year": [2020, 2023, 2020, 2020]},
                           index=[10, 11, 12, 13])
    expected = ["pre_leader", "cx_leader", "coo", "cx_leader"]
    for years in (_YEARS, None):
        out = s01.owner_at_answer(answers, _FIRMS, years)
        assert out["cx_owner_then"].tolist() == expected
        assert out["cx_owner_end"].tolist() == ["cx_leader", "cx_leader", "coo", "cx_leader"]
        assert list(out.columns) == ["firm_id", "year", "cx_owner_end", "cx_owner_then",
                                     "owner_label"]
        assert out.index.equals(answers.index)


def test_owner_at_answer_keeps_the_answers_own_status_columns() -> None:
    """Answers that already carry has_cx_leader and cx_leader_year (e.g. joined from the
    firm-years table) used to raise KeyError: the lookup's columns collided with theirs. The
    firm_years table decides; the answers' own columns come back unchanged."""
    answers = pd.DataFrame({"firm_id": ["A", "A", "B", "C"], "year": [2020, 2023, 2020, 2020],
                            "has_cx_leader": [9, 9, 9, 9], "cx_leader_year": [1, 1, 1, 1]})
    before = answers.copy()
    out = s01.owner_at_answer(answers, _FIRMS, _YEARS)
    assert out["cx_owner_then"].tolist() == ["pre_leader", "cx_leader", "coo", "cx_leader"]
    assert out[["has_cx_leader", "cx_leader_year"]].equals(before[["has_cx_leader",
                                                                   "cx_leader_year"]])
    assert answers.equals(before)  # the caller's frame is not modified
    # without firm_years the firms table's appointment year decides, not the answers' column
    no_years = s01.owner_at_answer(answers, _FIRMS)
    assert no_years["cx_owner_then"].tolist() == ["pre_leader", "cx_leader", "coo", "cx_leader"]


# --------------------------------------------------------------------------------------------
# Beyond one machine: synthetic transactional answers and the at-scale table
# --------------------------------------------------------------------------------------------


def test_transactional_answers_follow_their_ordered_logit() -> None:
    """Without unit effects the app channel's answers have the base shares (25% detractors,
    45% promoters); a shift moves the whole distribution by the logistic cdf."""
    a = s01._transactional_answers(200_000, 50, unit_sd=0.0, seed=3)
    assert a["nps"].dtype == np.int8 and a["nps"].between(0, 10).all()
    shares = a.groupby("channel")["channel"].size() / len(a)
    assert np.allclose(shares.to_numpy(), [0.5, 0.3, 0.2], atol=0.005)
    app = a.loc[a["channel"] == "app", "nps"]
    assert abs((app >= 9).mean() - 0.45) < 0.006 and abs((app <= 6).mean() - 0.25) < 0.006
    centre = a.loc[a["channel"] == "contact centre", "nps"]
    logit = np.log(0.25 / 0.75)  # cut between 6 and 7
    expected = 1 / (1 + np.exp(-(logit + 0.4)))  # P(latent - 0.4 <= cut)
    assert abs((centre <= 6).mean() - expected) < 0.008
    assert a.equals(s01._transactional_answers(200_000, 50, unit_sd=0.0, seed=3))
    with pytest.raises(ValueError, match="unit_sd"):
        s01._transactional_answers(10, 2, unit_sd=-1.0)


def test_at_scale_demo_equals_by_segment_on_the_answers_in_memory() -> None:
    demo = s01.at_scale_demo(n_answers=20_000, n_units=80, n_files=3, seed=5)
    answers = s01._transactional_answers(20_000, 80, seed=5)
    ref = m.by_segment(answers, "channel", "nps", "nps", cluster="unit")
    cols = ["channel", "estimate", "ci_low", "ci_high", "n", "n_clusters", "design_effect"]
    pd.testing.assert_frame_equal(demo.to_frame()[cols], ref[cols], rtol=1e-12)
    assert demo.n_answers == 20_000 and demo.n_units == 80 and demo.n_files == 3
    assert "20,000 synthetic answers from 80 units in 3 Parquet files" in demo.summary()
