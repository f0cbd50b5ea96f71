"""cxresearch.text.coding against independent implementations and published worked examples.

References, and how they enter the tests:

- Cohen's kappa: scikit-learn ``cohen_kappa_score`` (called live; scikit-learn is installed as
  a dependency of pingouin) and statsmodels ``inter_rater.cohens_kappa`` for the asymptotic
  interval (Fleiss, Cohen & Everitt 1969), called live.
- Krippendorff's alpha: the ``krippendorff`` package **0.9.0** (``krippendorff.alpha``),
  computed once and pinned below as literals, so the tests do not need the package; and the
  worked examples of Krippendorff (2011), "Computing Krippendorff's alpha-reliability"
  (Annenberg School for Communication, University of Pennsylvania), pinned to the published
  three decimals.
- Simultaneous multinomial intervals: statsmodels ``multinomial_proportions_confint`` (called
  live), and Sison & Glaz (1995, JASA 90:366-369) example 1: the Goodman intervals as printed
  in the paper (three decimals) and the Sison-Glaz intervals computed with R's MultinomialCI
  (as transcribed in statsmodels' test results).
- Sample size: Thompson (1987, The American Statistician 41:42-46), n = 510 for every share
  within ±0.05 at 95%.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.proportion import multinomial_proportions_confint

from cxresearch.core.validation import DataError
from cxresearch.simulate.poll import (
    DEFAULT_SHARES,
    respondent_shares,
    simulate_poll,
    simulate_self_selection,
)
from cxresearch.text import coding
from cxresearch.text.coding import (
    WHO_DRIVES_CX,
    agreement_table,
    code_shares,
    cohen_kappa,
    krippendorff_2011_example,
    krippendorff_alpha,
    multinomial_ci,
    read_coded_answers,
    resolve_codes,
    sample_size_share,
    sample_size_shares_table,
)

nan = np.nan

# 3 coders x 40 units, codes 1-5, about 15% missing (made with numpy's default_rng(20240514)).
RANDOM_3X40 = np.array([
    [5, 4, 1, 2, 1, 2, 3, 3, 4, 4, 5, 5, nan, nan, 1, 4, 2, 3, 3, 2, 2, 1, 4, 4, 4, 5, 5, nan,
     nan, 5, nan, 4, 5, 3, 2, 1, 1, 1, 5, 3],
    [5, 5, 4, 2, 1, nan, 2, 3, 3, 4, 5, 3, 1, 2, 1, 4, 2, 1, nan, 1, 2, 5, 4, nan, 4, 5, 5, nan,
     1, 5, nan, 3, 5, 4, nan, nan, 1, 1, 5, 3],
    [5, 4, 4, 2, 5, 2, 2, 3, 3, 4, 5, 4, 2, 5, 4, 4, 2, 3, 3, 1, 2, nan, nan, 4, 4, 5, 5, 5, 1,
     nan, 3, 1, 2, 4, 5, 2, 3, 1, 5, 3],
])
# krippendorff 0.9.0: krippendorff.alpha(RANDOM_3X40, level_of_measurement=...)
KRIPPENDORFF_090_RANDOM = {"nominal": 0.5409758408337281, "ordinal": 0.538450129476562,
                           "interval": 0.5313091269483737, "ratio": 0.48235090665762415}
# krippendorff 0.9.0 on Krippendorff's (2011) 4 x 12 example
KRIPPENDORFF_090_EXAMPLE = {"nominal": 0.743421052631579, "ordinal": 0.8153875037548814,
                            "interval": 0.8491071428571428, "ratio": 0.7974027747116121}
# Krippendorff (2011), published values
KRIPPENDORFF_2011_PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849,
                               "ratio": 0.797}


# --------------------------------------------------------------------------------------------
# Cohen's kappa
# --------------------------------------------------------------------------------------------


def _two_coders(seed: int, n: int = 200, k: int = 5, agree: float = 0.6):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, k, n)
    b = np.where(rng.random(n) < agree, a, rng.integers(0, k, n))
    return a, b


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kappa_matches_sklearn_and_statsmodels_interval(weights, seed):
    a, b = _two_coders(seed)
    ours = cohen_kappa(a, b, weights=weights)
    assert ours.estimate == pytest.approx(cohen_kappa_score(a, b, weights=weights), abs=1e-12)
    table = pd.crosstab(a, b).to_numpy()
    ref = sm_cohens_kappa(table, wt=weights) if weights else sm_cohens_kappa(table)
    assert ours.se == pytest.approx(ref.std_kappa, rel=1e-10)
    assert ours.ci_low == pytest.approx(ref.kappa_low, abs=1e-10)
    assert ours.ci_high == pytest.approx(ref.kappa_upp, abs=1e-10)


def test_kappa_closed_form_worked_example():
    # 50 units: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> p_o = .7, p_e = .5, kappa = .4
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    r = cohen_kappa(a, b)
    assert r.estimate == pytest.approx(0.4, abs=1e-12)
    assert r.observed_agreement == pytest.approx(0.7)
    assert r.n_units == 50 and r.n_coders == 2


def test_kappa_text_codes_missing_and_labels():
    a = ["ceo", "cmo", None, "ceo", "everyone", "ceo"]
    b = ["ceo", "ceo", "ceo", np.nan, "everyone", "ceo"]
    r = cohen_kappa(a, b)
    assert r.n_missing == 2 and r.n_units == 4
    assert r.estimate == pytest.approx(cohen_kappa_score(["ceo", "cmo", "everyone", "ceo"],
                                                         ["ceo", "ceo", "everyone", "ceo"]))


def test_kappa_bootstrap_interval_close_to_asymptotic_and_seeded():
    a, b = _two_coders(7, n=400)
    asym = cohen_kappa(a, b)
    boot = cohen_kappa(a, b, method="bootstrap", n_boot=2000, seed=3)
    assert boot.estimate == asym.estimate
    assert boot.se == pytest.approx(asym.se, rel=0.1)
    assert boot.ci_low == pytest.approx(asym.ci_low, abs=0.02)
    assert boot.ci_high == pytest.approx(asym.ci_high, abs=0.02)
    again = cohen_kappa(a, b, method="bootstrap", n_boot=2000, seed=3)
    assert (again.ci_low, again.ci_high) == (boot.ci_low, boot.ci_high)


def test_kappa_conf_int_other_level_and_frame():
    a, b = _two_coders(4)
    r = cohen_kappa(a, b)
    lo90, hi90 = r.conf_int(0.90).iloc[0, 1:]
    assert r.ci_low < lo90 < r.estimate < hi90 < r.ci_high
    frame = r.to_frame()
    assert list(frame[["ci_low", "ci_high"]].iloc[0]) == [r.ci_low, r.ci_high]
    assert "Cohen's kappa" in r.summary()


def test_kappa_bad_input():
    with pytest.raises(DataError, match="lengths 3 and 2"):
        cohen_kappa([1, 2, 3], [1, 2])
    with pytest.raises(DataError, match="method"):
        cohen_kappa([1, 2], [1, 2], method="exact")
    with pytest.raises(DataError, match="not in labels"):
        cohen_kappa([1, 2], [1, 3], labels=[1, 2])
    with pytest.raises(DataError, match="at least 2 units"):
        cohen_kappa([1, None], [1, 2])


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measurement", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_published_2011_example(measurement):
    data = krippendorff_2011_example()
    r = krippendorff_alpha(data, measurement=measurement, n_boot=200)
    assert round(r.estimate, 3) == KRIPPENDORFF_2011_PUBLISHED[measurement]
    assert r.estimate == pytest.approx(KRIPPENDORFF_090_EXAMPLE[measurement], abs=1e-12)
    assert r.n_units == 11 and r.n_coders == 4 and r.n_missing == 1


@pytest.mark.parametrize("measurement", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_matches_krippendorff_package_with_missing_codes(measurement):
    r = krippendorff_alpha(RANDOM_3X40, measurement=measurement, n_boot=200)
    assert r.estimate == pytest.approx(KRIPPENDORFF_090_RANDOM[measurement], abs=1e-12)


def test_alpha_published_two_coder_examples():
    # Krippendorff (2011), A: binary data, two observers -> alpha = .095
    binary = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    r = krippendorff_alpha(binary, n_boot=100)
    assert round(r.estimate, 3) == 0.095
    assert r.estimate == pytest.approx(0.09523809523809534, abs=1e-12)  # krippendorff 0.9.0
    # Krippendorff (2011), C: nominal data, two observers (text codes) -> alpha = .692
    a = list("aabbdcccedda")
    b = list("babbbccceddd")
    r = krippendorff_alpha([a, b], n_boot=100)
    assert round(r.estimate, 3) == 0.692
    assert r.estimate == pytest.approx(0.6919642857142858, abs=1e-12)  # krippendorff 0.9.0


def test_alpha_text_codes_and_ordinal_order():
    letters = np.where(np.isnan(RANDOM_3X40), None,
                       np.array(list("xabcde"), dtype=object)[np.nan_to_num(RANDOM_3X40)
                                                               .astype(int)])
    nominal = krippendorff_alpha(letters, n_boot=50)
    assert nominal.estimate == pytest.approx(KRIPPENDORFF_090_RANDOM["nominal"], abs=1e-12)
    ordinal = krippendorff_alpha(letters, measurement="ordinal", categories=list("abcde"),
                                 n_boot=50)
    assert ordinal.estimate == pytest.approx(KRIPPENDORFF_090_RANDOM["ordinal"], abs=1e-12)
    with pytest.raises(DataError, match="must be numbers"):
        krippendorff_alpha(letters, measurement="interval")


def test_alpha_two_coders_nominal_close_to_kappa():
    # with two coders and no missing codes, nominal alpha ~ Scott's pi ~ kappa for large n
    a, b = _two_coders(11, n=500)
    alpha = krippendorff_alpha([a, b], n_boot=200).estimate
    assert alpha == pytest.approx(cohen_kappa(a, b).estimate, abs=0.01)


def test_alpha_bootstrap_interval_coverage_in_simulation():
    """Seeded simulation with a known alpha: the unit bootstrap covers it about 95% of the time."""
    rng = np.random.default_rng(5)
    # big population of units: estimate the true alpha from 40,000 units
    def draw(n):
        t = rng.integers(0, 4, n)
        return np.array([np.where(rng.random(n) < 0.7, t, rng.integers(0, 4, n))
                         for _ in range(2)])
    truth = krippendorff_alpha(draw(40_000), n_boot=10).estimate
    covered = [(r.ci_low <= truth <= r.ci_high) for r in
               (krippendorff_alpha(draw(120), n_boot=400, seed=s) for s in range(150))]
    assert 0.88 <= np.mean(covered) <= 0.99


def test_alpha_bad_input():
    with pytest.raises(DataError, match="measurement"):
        krippendorff_alpha(RANDOM_3X40, measurement="metric")
    with pytest.raises(DataError, match="no unit has codes"):
        krippendorff_alpha([[1, nan], [nan, 2]])
    with pytest.raises(DataError, match="at least 2 rows"):
        krippendorff_alpha([[1, 2, 3]])


# --------------------------------------------------------------------------------------------
# Simultaneous intervals for shares
# --------------------------------------------------------------------------------------------

SISON_GLAZ_EXAMPLE_1 = [56, 72, 73, 59, 62, 87, 58]
# Sison & Glaz (1995), example 1: Goodman intervals as printed (3 decimals)
GOODMAN_PUBLISHED = [[.085, .166], [.115, .204], [.116, .207], [.091, .173], [.096, .181],
                     [.143, .239], [.089, .171]]
# Sison-Glaz intervals from R MultinomialCI (4 decimals)
SISON_GLAZ_R = [[.07922912, .1643361], [.11349036, .1985973], [.11563169, .2007386],
                [.08565310, .1707601], [.09207709, .1771840], [.14561028, .2307172],
                [.08351178, .1686187]]


def test_multinomial_published_sison_glaz_example():
    g = multinomial_ci(SISON_GLAZ_EXAMPLE_1, method="goodman")
    np.testing.assert_allclose(g[["ci_low", "ci_high"]].to_numpy(), GOODMAN_PUBLISHED,
                               atol=5e-4 + 1e-12)
    s = multinomial_ci(SISON_GLAZ_EXAMPLE_1, method="sison_glaz")
    np.testing.assert_allclose(s[["ci_low", "ci_high"]].to_numpy(), SISON_GLAZ_R, atol=1e-4)


@pytest.mark.parametrize("counts", [
    SISON_GLAZ_EXAMPLE_1,
    [25, 7, 6, 19, 24, 14, 15],  # a poll of 110
    [5] * 50,
    [1] * 10 + [12] * 10 + [5] * 10 + [3] * 10 + [4] * 10,
    [56, 0, 73, 59, 62, 87, 58],
    [6, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    [1, 1, 0, 0, 0, 0, 0],
    [400, 30, 12, 3],
])
def test_multinomial_matches_statsmodels(counts):
    _check_against_statsmodels(counts, 0.95)


@pytest.mark.parametrize("counts", [SISON_GLAZ_EXAMPLE_1, [25, 7, 6, 19, 24, 14, 15]])
@pytest.mark.parametrize("level", [0.80, 0.90, 0.99])
def test_multinomial_matches_statsmodels_at_other_levels(counts, level):
    _check_against_statsmodels(counts, level)


def _check_against_statsmodels(counts, level):
    for ours, theirs in (("sison_glaz", "sison-glaz"), ("goodman", "goodman")):
        got = multinomial_ci(counts, method=ours, level=level)[["ci_low", "ci_high"]]
        ref = multinomial_proportions_confint(counts, alpha=1 - level, method=theirs)
        np.testing.assert_allclose(got.to_numpy(), np.clip(ref, 0, 1), atol=1e-9)


def test_multinomial_wilson_and_quesenberry_hurst_closed_forms():
    from statsmodels.stats.proportion import proportion_confint

    counts = [25, 7, 6, 19, 24, 14, 15]
    w = multinomial_ci(counts, method="wilson")
    lo, hi = proportion_confint(np.array(counts), 110, alpha=0.05, method="wilson")
    np.testing.assert_allclose(w["ci_low"], lo, atol=1e-12)
    np.testing.assert_allclose(w["ci_high"], hi, atol=1e-12)
    assert not w["simultaneous"].any()
    qh = multinomial_ci(counts, method="quesenberry_hurst")
    g = multinomial_ci(counts, method="goodman")
    # with 7 categories chi2_6(.95) = 12.59 > chi2_1(1 - .05/7) = 7.24: QH is wider
    assert ((qh["ci_high"] - qh["ci_low"]) > (g["ci_high"] - g["ci_low"])).all()
    assert ((g["ci_high"] - g["ci_low"]) > (w["ci_high"] - w["ci_low"])).all()


def test_multinomial_simultaneous_coverage_in_simulation():
    """Seeded simulation: all seven Sison-Glaz intervals cover the true shares together in
    about 95% of polls of 110 (and the one-at-a-time Wilson intervals much less often)."""
    rng = np.random.default_rng(2)
    p = np.array(list(DEFAULT_SHARES.values()))
    draws = rng.multinomial(110, p, size=200)
    sg = np.mean([((t := multinomial_ci(c, method="sison_glaz"))["ci_low"] <= p).all()
                  and (p <= t["ci_high"]).all() for c in draws])
    wi = np.mean([((t := multinomial_ci(c, method="wilson"))["ci_low"] <= p).all()
                  and (p <= t["ci_high"]).all() for c in draws])
    assert 0.90 <= sg <= 0.99
    assert wi < 0.85


def test_multinomial_labels_and_bad_input():
    t = multinomial_ci(pd.Series({"CEO": 3, "CMO": 1}), method="goodman")
    assert t["category"].tolist() == ["CEO", "CMO"] and t["n"].tolist() == [4, 4]
    with pytest.raises(DataError, match="'CMO'"):
        multinomial_ci({"CEO": 3, "CMO": -1})
    with pytest.raises(DataError, match="whole"):
        multinomial_ci([1.5, 2])
    with pytest.raises(DataError, match="at least 2"):
        multinomial_ci([4])
    with pytest.raises(DataError, match="method"):
        multinomial_ci([1, 2], method="sison-glaz")
    with pytest.raises(DataError, match="all counts are zero"):
        multinomial_ci([0, 0])


# --------------------------------------------------------------------------------------------
# Sample size
# --------------------------------------------------------------------------------------------


def test_sample_size_thompson_published_and_single_share():
    assert sample_size_share(0.05, method="thompson") == 510  # Thompson (1987)
    assert sample_size_share(0.05, method="thompson", k=7) == 510
    assert sample_size_share(0.05) == 385  # 1.96^2 / 4 / .05^2 = 384.1
    from cxresearch.metrics.scores import sample_size_for

    assert sample_size_share(0.05) == sample_size_for("csat", margin=5)
    assert sample_size_share(0.05, deff=2) == 769
    # Thompson's d^2 n for alpha = .05 is 1.27359 (m = 3)
    assert sample_size_share(0.01, method="thompson") == math.ceil(1.27359 / 0.0001 - 0.5)
    table = sample_size_shares_table((0.1, 0.05), k=7)
    assert table.iloc[:, 1:].to_numpy().tolist() == [[97, 128], [385, 510]]


def test_sample_size_bad_input():
    with pytest.raises(DataError, match=r"0\.05 for"):
        sample_size_share(5)
    with pytest.raises(DataError, match="worst case"):
        sample_size_share(0.05, method="thompson", proportion=0.2)


# --------------------------------------------------------------------------------------------
# Frame, reading a poll export, resolving codes, shares
# --------------------------------------------------------------------------------------------


def test_frame_has_the_issue_categories_with_definitions():
    frame = WHO_DRIVES_CX.to_frame()
    assert WHO_DRIVES_CX.keys == ["ceo", "coo", "cmo", "cxo", "everyone", "person_not_title",
                                  "other"]
    assert frame["definition"].str.len().min() > 30
    assert frame["examples (made up)"].str.len().min() > 10


def test_read_coded_answers_accepts_labels_and_reports_problems(tmp_path):
    f = tmp_path / "export.csv"
    f.write_text("Response,Code A,Code B\nThe CEO,CEO,ceo\nAll of us, Everyone ,\n"
                 "Depends,The person not the title,other\n")
    with pytest.raises(DataError, match=r"export.csv: column\(s\) \['answer', 'coder_1'\]"):
        read_coded_answers(f)
    cols = {"Response": "answer", "Code A": "coder_1", "Code B": "coder_2"}
    with pytest.raises(DataError, match=r"column 'coder_1': 1 code\(s\) not in the coding "
                                        r"frame at rows \[2\]"):
        read_coded_answers(f, columns=cols)
    f.write_text("Response,Code A,Code B\nThe CEO,CEO,ceo\nAll of us, Everyone ,\n"
                 "Depends,The person, not the title,other\n")
    with pytest.raises(DataError, match="could not parse"):
        read_coded_answers(f, columns=cols)
    f.write_text('Response,Code A,Code B\nThe CEO,CEO,ceo\nAll of us, Everyone ,\n'
                 'Depends,"The person, not the title",other\n,,\n')
    with pytest.raises(DataError, match=r"column 'coder_1': 1 answer\(s\) without a code at "
                                        r"rows \[3\]"):
        read_coded_answers(f, columns=cols)
    f.write_text('Response,Code A,Code B\nThe CEO,CEO,ceo\nAll of us, Everyone ,\n'
                 'Depends,"The person, not the title",other\n')
    data = read_coded_answers(f, columns=cols)
    assert data["coder_1"].tolist() == ["ceo", "everyone", "person_not_title"]
    assert data["coder_2"].iloc[1] is np.nan or pd.isna(data["coder_2"].iloc[1])
    assert f.read_text().startswith("Response")  # the file is not modified


def test_read_coded_answers_folder_rules(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_coded_answers(tmp_path / "missing.csv")
    (tmp_path / "a.csv").write_text("answer,coder_1\nx,ceo\n")
    (tmp_path / "b.csv").write_text("answer,coder_1\nx,ceo\n")
    with pytest.raises(DataError, match="exactly one CSV"):
        read_coded_answers(tmp_path)
    (tmp_path / "poll.csv").write_text("answer,coder_1,answer_id\nx,ceo,1\ny,cmo,1\n")
    with pytest.raises(DataError, match=r"duplicate ids at rows \[0, 1\]"):
        read_coded_answers(tmp_path)


def test_resolve_codes_and_agreement_table():
    poll = simulate_poll(seed=0)
    resolved = resolve_codes(poll)
    agreed = poll["coder_1"] == poll["coder_2"]
    assert (resolved.loc[agreed, "resolution"] == "agreed").all()
    assert (resolved.loc[~agreed, "code"] == poll.loc[~agreed, "adjudicated"]).all()
    table = agreement_table(poll)
    assert table.shape == (7, 7) and int(table.to_numpy().sum()) == len(poll)
    assert int(np.trace(table.to_numpy())) == int(agreed.sum())
    no_adj = resolve_codes(poll.drop(columns="adjudicated"))
    assert (no_adj["code"] == "unresolved").sum() == (~agreed).sum()
    shares = code_shares(no_adj, method="goodman")
    assert shares["category"].iloc[-1] == "unresolved"
    assert shares["count"].sum() == len(poll)


def test_code_shares_sum_and_labels():
    poll = resolve_codes(simulate_poll(seed=0))
    shares = code_shares(poll)
    assert shares["estimate"].sum() == pytest.approx(1.0)
    assert shares["label"].tolist()[:3] == ["CEO", "COO", "CMO"]
    assert ((shares["ci_low"] <= shares["estimate"]) & (shares["estimate"] <= shares["ci_high"])
            ).all()


# --------------------------------------------------------------------------------------------
# The synthetic poll and self-selection
# --------------------------------------------------------------------------------------------


def test_simulated_poll_is_seeded_synthetic_and_reliable_enough():
    a, b = simulate_poll(seed=3), simulate_poll(seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["synthetic"] is True
    assert set(a["coder_1"]) <= set(WHO_DRIVES_CX.keys)
    kappa = cohen_kappa(a["coder_1"], a["coder_2"]).estimate
    assert 0.55 < kappa < 0.95
    big = simulate_poll(seed=1, n=20_000)
    shares = big["true_code"].value_counts(normalize=True)
    for key, share in DEFAULT_SHARES.items():
        assert shares[key] == pytest.approx(share, abs=0.01)


def test_self_selection_closed_form_and_coverage():
    q = respondent_shares(DEFAULT_SHARES, {"cxo": 2.0})
    assert q["cxo"] == pytest.approx(0.34 / 1.17)
    t = simulate_self_selection(n=(110, 1000), n_boot=1000, seed=1)
    none = t[t["scenario"] == "no self-selection"]
    assert none["shift"].abs().max() == 0
    assert (none.groupby("n")["all_covered"].first() > 0.9).all()
    tilted = t[t["scenario"] == "CX-officer advocates answer 2x as often"]
    cover = tilted.groupby("n")["all_covered"].first()
    assert cover[1000] < cover[110] < 0.8  # more answers make the wrong target surer
    mean = tilted.set_index(["n", "category"])["mean_poll_share"]
    assert mean[(1000, "cxo")] == pytest.approx(q["cxo"], abs=0.01)


def test_module_examples_use_the_vocabulary():
    import inspect

    for fn in (coding.cohen_kappa, coding.krippendorff_alpha, coding.multinomial_ci,
               coding.sample_size_share):
        params = inspect.signature(fn).parameters
        assert "level" in params and params["level"].default == 0.95
        assert "ci" not in params and "alpha" not in params
