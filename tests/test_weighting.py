"""cxresearch.metrics.weighting: rake, poststratify and calibrate against R's survey package.

Reference: tests/data/calibration_reference/ (answers.csv, margins.csv, cells.csv; weights.csv
holds R's calibrated weights at 17 significant digits), made by
scripts/r/calibration_reference.R (rerun: ``Rscript scripts/r/calibration_reference.R``) in
R 4.2.2 with survey 4.1.1 (packageVersion("survey")). The R calls:

    des <- svydesign(ids = ~store, weights = ~w, data = d)
    rake(des, list(~region, ~channel, ~age), <margins>,
         control = list(maxit = 1000, epsilon = 1e-14))                       # "raked"
    postStratify(des, ~region + channel, <cells>)                             # "poststratified"
    calibrate(des, ~region + channel + age + tenure, <totals>, calfun = "linear")   # "linear"
    calibrate(des, ~region + channel + age + tenure, <totals>, calfun = c("linear", "raking",
              "logit"), bounds = c(0.75, 1.6), epsilon = 1e-13, maxit = 500)   # "*_bounded"
    calibrate(des, ~region + channel + age, <totals>, calfun = "raking",
              bounds = c(0.75, 1.6), epsilon = 1e-13, maxit = 500)            # "rake_bounded"
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.metrics.weighting import WeightingResult, calibrate, poststratify, rake

REF = Path(__file__).parent / "data" / "calibration_reference"
BOUNDS = (0.75, 1.6)
TENURE_TOTAL = 62000.0

# R 4.2.2, survey 4.1.1: weights(design)[c(1, 2, 500, 1216)] of each design (weights.csv has all)
R_WEIGHTS_PINNED = {
    "raked": (5.54466087598525, 20.851721826497375, 19.893491837974604, 4.3582177861809388),
    "poststratified": (5.4205355833249893, 21.293476610098914, 16.025123050758999,
                       4.3227764223797545),
    "linear": (5.5171848803093999, 19.948697629603423, 19.834442589171701, 4.3469987304928273),
    "linear_bounded": (5.6918945362263615, 21.045776989135419, 18.996479999999998,
                       4.1495925429981675),
    "raking_bounded": (5.8425373210442411, 21.236799999999999, 18.996479999999998,
                       4.1044059012013827),
    "logit_bounded": (5.8152848551190113, 20.623904389296758, 18.895045193913482,
                      3.9967427442835062),
    "rake_bounded": (5.8710306780593555, 21.236799999999999, 18.996479999999998,
                     4.1322838851024617),
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "answers.csv")


@pytest.fixture(scope="module")
def margins() -> dict[str, dict[str, float]]:
    mg = pd.read_csv(REF / "margins.csv")
    return {m: dict(zip(g["category"], g["count"].astype(float)))
            for m, g in mg.groupby("margin", sort=False)}


@pytest.fixture(scope="module")
def r_weights() -> pd.DataFrame:
    return pd.read_csv(REF / "weights.csv")


def weightings(data: pd.DataFrame, margins: dict) -> dict[str, WeightingResult]:
    totals = {**margins, "tenure": TENURE_TOTAL}
    cells = pd.read_csv(REF / "cells.csv")
    return {
        "raked": rake(data, margins, weight="w"),
        "poststratified": poststratify(data, cells, weight="w"),
        "linear": calibrate(data, totals, weight="w"),
        "linear_bounded": calibrate(data, totals, weight="w", bounds=BOUNDS),
        "raking_bounded": calibrate(data, totals, weight="w", method="raking", bounds=BOUNDS),
        "logit_bounded": calibrate(data, totals, weight="w", method="logit", bounds=BOUNDS),
        "rake_bounded": rake(data, margins, weight="w", bounds=BOUNDS),
    }


@pytest.fixture(scope="module")
def results(data: pd.DataFrame, margins: dict) -> dict[str, WeightingResult]:
    return weightings(data, margins)


def test_weights_match_r_survey(results: dict, r_weights: pd.DataFrame) -> None:
    for name, res in results.items():
        assert res.converged, name
        ours = res.weights.to_numpy()
        np.testing.assert_allclose(ours, r_weights[name].to_numpy(), rtol=1e-8, atol=0,
                                   err_msg=name)
        np.testing.assert_allclose(ours[[0, 1, 499, 1215]], R_WEIGHTS_PINNED[name], rtol=1e-8,
                                   err_msg=name)


def test_bounds_hold_and_bind(data: pd.DataFrame, results: dict) -> None:
    res = results
    for name in ("linear_bounded", "raking_bounded", "logit_bounded", "rake_bounded"):
        g = res[name].weights.to_numpy() / data["w"].to_numpy()
        assert g.min() >= BOUNDS[0] - 1e-12 and g.max() <= BOUNDS[1] + 1e-12, name
    g = res["raking_bounded"].weights / data["w"]
    assert (np.isclose(g, BOUNDS[1]) | np.isclose(g, BOUNDS[0])).sum() > 100  # bounds bind


def test_achieved_margins_hit_the_targets(results: dict) -> None:
    for name, res in results.items():
        f = res.to_frame()
        assert list(f.columns) == ["margin", "category", "target", "achieved", "difference",
                                   "relative"]
        np.testing.assert_allclose(f["achieved"], f["target"], rtol=1e-9, err_msg=name)
    f = results["linear"].to_frame()
    assert f.loc[f["margin"] == "tenure", "category"].tolist() == [""]


def test_kish_design_effect(data: pd.DataFrame, margins: dict) -> None:
    res = rake(data, margins, weight="w")
    w = res.weights.to_numpy()
    assert res.n_eff == pytest.approx(w.sum() ** 2 / (w @ w), rel=1e-12)
    assert res.design_effect == pytest.approx(len(w) * (w @ w) / w.sum() ** 2, rel=1e-12)
    assert "Kish design effect" in res.summary() and "converged in" in res.summary()


def test_weights_follow_the_index_and_data_is_not_modified(data: pd.DataFrame,
                                                           margins: dict) -> None:
    shuffled = data.sample(frac=1.0, random_state=3)
    shuffled.index = [f"r{i}" for i in shuffled.index]
    before = shuffled.copy()
    res = rake(shuffled, margins, weight="w")
    pd.testing.assert_frame_equal(shuffled, before)
    assert res.weights.index.equals(shuffled.index)
    base = rake(data, margins, weight="w").weights
    np.testing.assert_allclose(res.weights.to_numpy(),
                               base.to_numpy()[[int(i[1:]) for i in shuffled.index]], rtol=1e-9)
    calibrate(shuffled, {**margins, "tenure": TENURE_TOTAL}, weight="w", bounds=BOUNDS)
    poststratify(shuffled, {"region": margins["region"]}, weight="w")
    pd.testing.assert_frame_equal(shuffled, before)


def test_result_does_not_move_when_the_start_is_rescaled(data: pd.DataFrame,
                                                         margins: dict) -> None:
    # the raked weights depend on the starting weights only up to a constant factor
    scaled = data.assign(w=data["w"] * 37.5)
    a = rake(data, margins, weight="w").weights
    b = rake(scaled, margins, weight="w").weights
    np.testing.assert_allclose(a, b, rtol=1e-9)
    # linear calibration with an intercept too (bounds on g = w / d would move with d)
    c = calibrate(data, {**margins, "tenure": TENURE_TOTAL}, weight="w").weights
    d = calibrate(data.assign(w=data["w"] * 1.7), {**margins, "tenure": TENURE_TOTAL},
                  weight="w").weights
    np.testing.assert_allclose(c, d, rtol=1e-9)
    # a perturbed start converges to the same bounded raking weights as R's
    e = rake(data, margins, weight="w", bounds=BOUNDS, tol=1e-13).weights
    f = rake(data, margins, weight="w", bounds=BOUNDS).weights
    np.testing.assert_allclose(e, f, rtol=1e-9)


def test_shares_scale_to_the_sum_of_the_starting_weights(data: pd.DataFrame) -> None:
    res = rake(data, {"channel": {"web": 0.4, "phone": 0.35, "app": 0.25},
                      "region": {"north": 0.3, "south": 0.25, "east": 0.225, "west": 0.225}},
               weight="w")
    assert res.weights.sum() == pytest.approx(data["w"].sum(), rel=1e-12)
    shares = res.weights.groupby(data["channel"]).sum() / res.weights.sum()
    assert shares["web"] == pytest.approx(0.4, abs=1e-9)
    # shares beside counts: scaled to the counts' total
    mixed = rake(data, {"channel": {"web": 4800, "phone": 4200, "app": 3000},
                        "region": {"north": 0.3, "south": 0.25, "east": 0.225, "west": 0.225}})
    assert mixed.weights.sum() == pytest.approx(12000, rel=1e-12)
    # unweighted start
    assert rake(data, {"channel": {"web": 0.4, "phone": 0.35, "app": 0.25}}).weights.sum() == (
        pytest.approx(len(data)))


def test_poststratify_forms_agree(data: pd.DataFrame) -> None:
    cells = pd.read_csv(REF / "cells.csv")
    a = poststratify(data, cells, weight="w").weights
    spec = {(r.region, r.channel): r.count for r in cells.itertuples()}
    b = poststratify(data, {("region", "channel"): spec}, weight="w").weights
    np.testing.assert_allclose(a, b, rtol=1e-14)
    one = poststratify(data, {"channel": {"web": 0.4, "phone": 0.35, "app": 0.25}})
    assert one.to_frame()["achieved"].round(6).tolist() == [486.4, 425.6, 304.0]


def test_non_convergence_is_explained(data: pd.DataFrame, margins: dict) -> None:
    with pytest.warns(RuntimeWarning, match="did NOT converge"):
        res = rake(data, margins, weight="w", max_iter=1)
    assert not res.converged and res.iterations == 1
    text = res.summary()
    assert "did NOT converge after 1 iteration." in text
    assert "margin 'region'" in text or "margin 'channel'" in text
    assert "%" in text and "against a target of" in text
    # infeasible bounds: the ratio cannot reach the margins
    with pytest.warns(RuntimeWarning, match="did NOT converge"):
        tight = calibrate(data, margins, weight="w", method="raking", bounds=(0.99, 1.01),
                          max_iter=20)
    assert not tight.converged and "bounds" in tight.summary()


def test_errors_name_the_margin_and_category(data: pd.DataFrame, margins: dict) -> None:
    bad = {**margins, "channel": {"web": 4800, "phone": 7200}}
    with pytest.raises(DataError, match=r"margin 'channel': category 'app' is in the data"):
        rake(data, bad)
    bad = {**margins, "channel": {**margins["channel"], "kiosk": 10.0}}
    with pytest.raises(DataError, match=r"margin 'channel': category 'kiosk' has a population "
                                        r"target \(10\) but no answers"):
        rake(data, {"channel": bad["channel"]})
    with pytest.raises(DataError, match=r"margin 'channel': the shares sum to 0.9, not 1"):
        rake(data, {"channel": {"web": 0.4, "phone": 0.3, "app": 0.2}})
    with pytest.raises(DataError, match="describe different populations"):
        rake(data, {**margins, "channel": {"web": 4800, "phone": 4200, "app": 2000}})
    with pytest.raises(DataError, match=r"category 'web': target -1 must be a positive"):
        rake(data, {"channel": {"web": -1, "phone": 4200, "app": 3000}})
    with pytest.raises(DataError, match=r"column\(s\) \['colour'\] not found"):
        rake(data, {"colour": {"red": 1.0}})
    with pytest.raises(DataError, match=r"cell 'region x channel': category \('north', "
                                        r"'app'\) has a population target"):
        sub = data[~((data["region"] == "north") & (data["channel"] == "app"))]
        poststratify(sub, pd.read_csv(REF / "cells.csv"))
    with pytest.raises(DataError, match="logit calibration needs finite bounds"):
        calibrate(data, margins, method="logit")
    with pytest.raises(DataError, match="low < 1 < high"):
        rake(data, margins, bounds=(1.2, 2.0))
    with pytest.raises(DataError, match="'method': 'exponential'"):
        calibrate(data, margins, method="exponential")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"column 'w' \(weight\): 1 weight\(s\) <= 0 at rows \[3\]"):
        rake(data.assign(w=np.where(data.index == 3, 0.0, data["w"])), margins, weight="w")
    with pytest.raises(DataError, match=r"column 'region': 1 missing value\(s\) at rows \[5\]"):
        rake(data.assign(region=data["region"].where(data.index != 5)), margins)
    with pytest.raises(DataError, match=r"column 'channel' is not numeric"):
        calibrate(data, {"channel": 100.0})
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        rake([1, 2], margins)  # type: ignore[arg-type]


def test_categorical_columns_and_integer_categories() -> None:
    df = pd.DataFrame({"seg": pd.Categorical(["a", "b", "a", "c", "a", "b"]),
                       "year": [2024, 2025, 2024, 2025, 2025, 2024]})
    res = rake(df, {"seg": {"a": 0.5, "b": 0.3, "c": 0.2}, "year": {2024: 0.5, 2025: 0.5}})
    assert res.converged
    got = res.weights.groupby(df["seg"], observed=True).sum() / res.weights.sum()
    np.testing.assert_allclose(got.to_numpy(), [0.5, 0.3, 0.2], atol=1e-9)
    with pytest.raises(DataError, match="category 2024 is in the data"):
        rake(df, {"year": {"2024": 0.5, "2025": 0.5}})


def test_raking_a_million_rows_is_vectorised() -> None:
    # the speed claim itself is timed in benchmarks/bench_rake.py; here: the cross-table route
    # gives the row-level IPF answer
    rng = np.random.default_rng(0)
    n = 5_000
    df = pd.DataFrame({"a": rng.choice(list("pqrs"), n, p=[0.4, 0.3, 0.2, 0.1]),
                       "b": rng.choice(list("xyz"), n), "c": rng.integers(0, 5, n),
                       "w": rng.uniform(0.5, 2.0, n)})
    m = {"a": {k: 0.25 for k in "pqrs"}, "b": {"x": 0.5, "y": 0.3, "z": 0.2},
         "c": {k: 0.2 for k in range(5)}}
    res = rake(df, m, weight="w")
    w = df["w"].to_numpy().copy()
    total = w.sum()
    for _ in range(60):  # plain row-level IPF
        for col, t in m.items():
            s = pd.Series(w).groupby(df[col].to_numpy()).sum()
            w *= df[col].map({k: v * total / s[k] for k, v in t.items()}).to_numpy()
    np.testing.assert_allclose(res.weights.to_numpy(), w, rtol=1e-8)


def test_no_warning_when_converged(data: pd.DataFrame, margins: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        weightings(data, margins)
