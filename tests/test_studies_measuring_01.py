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


# --------------------------------------------------------------------------------------------
# Notebook 01's generated sentences: headline metrics with the design, owners, verdicts
# --------------------------------------------------------------------------------------------


def test_overall_metrics_use_the_clusters_and_show_the_independent_width() -> None:
    df = _survey(seed=7)
    df["store"] = np.repeat(np.arange(30), 100)
    spec = {"nps": ("nps", (0, 10)), "csat": ("csat", (1, 5))}
    t = s01.overall_metrics(df, spec, cluster="store").set_index("metric")
    with pytest.warns(UserWarning):
        clustered = m.nps(df["nps"], cluster=df["store"])
        plain = m.nps(df["nps"])
    row = t.loc["NPS"]
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(clustered.ci_low),
                                               pytest.approx(clustered.ci_high))
    assert row["design_effect"] == pytest.approx(clustered.design_effect)
    assert row["half_width_independent"] == pytest.approx((plain.ci_high - plain.ci_low) / 2)
    assert row["n_clusters"] == 30 and row["n_missing"] == 25
    free = s01.overall_metrics(df, spec)
    assert free["design_effect"].isna().all()
    assert (free["half_width"] == free["half_width_independent"]).all()
    with_units = s01.overall_findings(t.reset_index(), unit_name="stores")
    assert "30 stores, treated as clusters: design effect" in with_units[0].text
    assert not any(f.claims_effect for f in with_units)
    assert "treated as independent" in s01.overall_findings(free, unit_name=None)[0].text
    with pytest.raises(ValueError, match="unknown metric"):
        s01.overall_metrics(df, {"nps2": ("nps", (0, 10))})


def _owner_tables(significant: list[bool]) -> tuple[pd.DataFrame, pd.DataFrame]:
    by = pd.DataFrame({"owner_label": ["CMO", "CX leader", "everyone's job"],
                       "estimate": [6.6, 17.3, 8.7]})
    pairs = pd.DataFrame({"a": ["CMO", "CMO", "CX leader"],
                          "b": ["CX leader", "everyone's job", "everyone's job"],
                          "difference": [-10.7, -2.1, 8.6], "ci_low": [-17.6, -9.3, 4.0],
                          "ci_high": [-3.7, 5.2, 13.2], "p_holm": [0.06, 1.0, 0.006],
                          "significant": significant})
    return by, pairs


def test_owner_alt_text_names_only_the_holm_supported_differences() -> None:
    by, pairs = _owner_tables([False, False, True])
    text = s01.owner_alt_text(by, pairs)
    assert "only CX leader vs everyone's job (8.6 points, 95% CI 4.0 to 13.2) differs" in text
    assert "highest" not in text and "lowest" not in text and len(text) < 300
    flipped = s01.owner_alt_text(by, pairs.assign(significant=[True, False, False]))
    assert "CX leader vs CMO (10.7 points, 95% CI 3.7 to 17.6)" in flipped
    none = s01.owner_alt_text(by, pairs.assign(significant=False))
    assert "no two owners differ; their order is not established" in none


def test_owner_truth_check_compares_signs_with_the_structural_effects() -> None:
    truth = {"owner_effect_ceo": 0.1, "owner_effect_coo": 0.05, "owner_effect_cmo": 0.0,
             "leader_effect_cx": 0.25, "sd_cx_latent": 0.5}
    _, pairs = _owner_tables([False, True, True])
    extra = pd.DataFrame({"a": ["CX leader", "CEO"], "b": ["CX leader not yet appointed", "CMO"],
                          "difference": [4.0, -3.0], "ci_low": [0.6, -5.0],
                          "ci_high": [8.0, -1.0], "p_holm": [0.3, 0.01],
                          "significant": [False, True]})
    out = s01.owner_truth_check(pd.concat([pairs, extra], ignore_index=True), truth)
    verdicts = dict(zip(out["a"] + " vs " + out["b"], out["verdict"]))
    assert verdicts == {"CMO vs CX leader": "not detected",
                        "CMO vs everyone's job": "false alarm",
                        "CX leader vs everyone's job": "detected",
                        "CEO vs CMO": "wrong sign"}  # pre-leader: no known truth, left out
    assert out.set_index("a").loc["CX leader", "true_sd"] == pytest.approx(0.5)


def test_coverage_verdicts_and_width_sentence() -> None:
    cov = pd.DataFrame({"n": [30] * 4 + [1000] * 4,
                        "method": ["wald", "wald", "score", "score"] * 2,
                        "coverage": [0.92, 0.93, 0.95, 0.94, 0.95, 0.951, 0.949, 0.95]})
    v = s01.coverage_verdicts(cov).set_index(["n", "method"])
    assert v.loc[(30, "wald"), "falls_short"] and not v.loc[(30, "score"), "falls_short"]
    assert v.loc[(30, "wald"), "coverage"] == pytest.approx(0.925)
    assert not v.loc[1000, "falls_short"].any()
    w = pd.DataFrame({"mix": ["a", "b"] * 2, "n": [100, 100, 1000, 1000],
                      "half_width": [11.3, 18.2, 3.6, 5.9]})
    assert s01.width_sentence(w).startswith("At n = 100 an NPS is known to about ±11 to ±18")


def test_check_engines_counts_by_cluster_too() -> None:
    df = _survey(seed=5).dropna(subset=["nps"])
    df["store"] = np.arange(len(df)) % 20
    check = s01.check_engines(df, "region", "nps", scale=(0, 10), cluster="store")
    assert check.identical and "store" in check.to_frame().columns
    table = m.summarise_counts(check.to_frame(), "region", "nps", cluster="store")
    assert table["design_effect"].notna().any()
