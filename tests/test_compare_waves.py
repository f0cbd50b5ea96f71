"""cxresearch.metrics.waves.compare_waves against R's survey package.

Reference: scripts/r/waves_reference.R (rerun: ``Rscript scripts/r/waves_reference.R``) on
tests/data/calibration_reference/answers.csv (40 stores in 4 regions, months 1..3, every store
answering every month), R 4.2.2 with survey 4.1.1. Per design ("weighted":
``svydesign(ids = ~store, weights = ~w)``; "srs": ``svydesign(ids = ~1, weights = ~w)``;
"raked": ``rake()`` of "weighted" on region, channel and age) and segment (all answers, or
``subset(design, region == r)``), with nps100 = 100 (nps >= 9) - 100 (nps <= 6):

    fit <- svyglm(nps100 ~ factor(month), dz)
    svycontrast(fit, c(0, 1, 0))                     # "2-1"
    svycontrast(fit, c(0, -1, 1))                    # "3-2"
    coef(svyglm(nps100 ~ month, dz))["month"]        # "trend", the slope per month
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.inference import benjamini_hochberg, holm
from cxresearch.core.validation import DataError
from cxresearch.metrics.scores import by_segment
from cxresearch.metrics.waves import compare_waves
from cxresearch.metrics.weighting import rake

REF = Path(__file__).parent / "data" / "calibration_reference"

# (design, segment, contrast): (estimate, SE), R 4.2.2, survey 4.1.1 (wave_values.csv)
R_WAVES = {
    ("weighted", "all", "2-1"): (-0.98509865212605086, 4.6500543082656014),
    ("weighted", "all", "3-2"): (-5.2653042996554262, 6.0866824804499213),
    ("weighted", "all", "trend"): (-3.1136991446515676, 3.3851348887934996),
    ("weighted", "north", "2-1"): (11.480163376629429, 9.9277909288983501),
    ("weighted", "north", "3-2"): (14.921369364538402, 9.3445251034717991),
    ("weighted", "north", "trend"): (13.178117378102376, 5.3493785444516408),
    ("weighted", "south", "2-1"): (-13.537398726203319, 7.345810461064767),
    ("weighted", "south", "3-2"): (-11.939110657155334, 14.494212273489657),
    ("weighted", "south", "trend"): (-12.732442570601819, 5.7966148439420868),
    ("weighted", "east", "2-1"): (-6.9085325499828976, 8.0778569666905629),
    ("weighted", "east", "3-2"): (-7.2243342195597879, 9.4569457788285938),
    ("weighted", "east", "trend"): (-7.062255841668108, 6.5630345023328536),
    ("weighted", "west", "2-1"): (4.1564041013394686, 8.1129441913917049),
    ("weighted", "west", "3-2"): (-11.101976333758291, 10.836008400834556),
    ("weighted", "west", "trend"): (-3.5314488760857783, 5.7498666458198127),
    ("srs", "all", "2-1"): (-0.98509865212605086, 5.8632836946398106),
    ("srs", "all", "3-2"): (-5.2653042996554262, 6.0704675383266995),
    ("srs", "all", "trend"): (-3.1136991446515676, 2.9823820384884541),
    ("srs", "north", "2-1"): (11.480163376629429, 11.785485680989943),
    ("srs", "north", "3-2"): (14.921369364538402, 11.661609862811241),
    ("srs", "north", "trend"): (13.178117378102376, 5.9179537458384734),
    ("srs", "south", "2-1"): (-13.537398726203319, 12.436453800210156),
    ("srs", "south", "3-2"): (-11.939110657155334, 12.42357955648324),
    ("srs", "south", "trend"): (-12.732442570601819, 5.875289160181393),
    ("srs", "east", "2-1"): (-6.9085325499828976, 10.742450505566296),
    ("srs", "east", "3-2"): (-7.2243342195597879, 12.277669281087309),
    ("srs", "east", "trend"): (-7.062255841668108, 5.7957892982448298),
    ("srs", "west", "2-1"): (4.1564041013394686, 12.090847459390879),
    ("srs", "west", "3-2"): (-11.101976333758291, 11.684461494640228),
    ("srs", "west", "trend"): (-3.5314488760857783, 6.0275970566981529),
    ("raked", "all", "2-1"): (1.1352231099385133, 4.5128033650854169),
    ("raked", "all", "3-2"): (-3.4301104230209605, 5.8852830126298876),
    ("raked", "all", "trend"): (-1.1404910748929087, 3.0741065782788093),
    ("raked", "north", "2-1"): (14.666120030606889, 10.098555258371954),
    ("raked", "north", "3-2"): (15.363549600417853, 10.119045632261727),
    ("raked", "north", "trend"): (15.011157950998641, 5.2270430504423855),
    ("raked", "south", "2-1"): (-14.284834147195735, 7.0821871301855506),
    ("raked", "south", "3-2"): (-10.79060198496791, 13.50242154043713),
    ("raked", "south", "trend"): (-12.523277876701581, 6.4946434035465321),
    ("raked", "east", "2-1"): (-4.2120837381950675, 7.5060353343140394),
    ("raked", "east", "3-2"): (-8.3049402020492842, 8.3556727468005043),
    ("raked", "east", "trend"): (-6.1954718581122865, 6.2811199193036806),
    ("raked", "west", "2-1"): (4.5592652270025127, 8.1280626947346928),
    ("raked", "west", "3-2"): (-9.3002840923136372, 10.239743372972468),
    ("raked", "west", "trend"): (-2.4879221424362861, 5.872028588657968),
}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "answers.csv")


@pytest.fixture(scope="module")
def raked(data: pd.DataFrame):  # type: ignore[no-untyped-def]
    mg = pd.read_csv(REF / "margins.csv")
    margins = {m: dict(zip(g["category"], g["count"].astype(float)))
               for m, g in mg.groupby("margin", sort=False)}
    return rake(data, margins, weight="w", tol=1e-13)


def _designs(raked) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    return {"weighted": {"weights": "w", "cluster": "store"},
            "srs": {"weights": "w"},
            "raked": {"cluster": "store", "calibration": raked}}


@pytest.mark.parametrize("design", ["weighted", "srs", "raked"])
@pytest.mark.parametrize("by", [None, "region"])
def test_changes_and_trend_match_svyglm(data: pd.DataFrame, raked,  # type: ignore[no-untyped-def]
                                        design: str, by: str | None) -> None:
    out = compare_waves(data, "nps", "month", by=by, trend=True, min_n=0,
                        **_designs(raked)[design])
    assert len(out) == (1 if by is None else 4) * 3
    for row in out.itertuples():
        seg = row.region if by else "all"
        con = "trend" if row.contrast == "trend" else f"{row.time_to}-{row.time_from}"
        est, se = R_WAVES[(design, seg, con)]
        assert row.change == pytest.approx(est, rel=1e-6, abs=1e-8), (design, seg, con)
        assert row.se == pytest.approx(se, rel=1e-6), (design, seg, con)
        assert row.ci_low < row.change < row.ci_high and row.flag == ""


def test_shared_clusters_carry_the_covariance(data: pd.DataFrame) -> None:
    # the same stores answer both months: the change's SE is not sqrt(se_a^2 + se_b^2)
    out = compare_waves(data, "nps", "month", weights="w", cluster="store")
    seg = by_segment(data, "month", "nps", weights="w", cluster="store")
    se = seg.set_index("month")["se"]
    naive = float(np.hypot(se[1], se[2]))
    assert out.loc[0, "se"] == pytest.approx(R_WAVES[("weighted", "all", "2-1")][1], rel=1e-9)
    assert out.loc[0, "se"] < naive  # positively correlated months
    assert out.loc[0, "estimate_from"] == pytest.approx(seg.set_index("month")["estimate"][1])
    assert out.loc[0, "df"] == 39


def test_columns_adjustment_and_suppression(data: pd.DataFrame) -> None:
    out = compare_waves(data, "nps", "month", by="region", weights="w", cluster="store",
                        min_n=100)
    assert list(out.columns) == ["region", "time_from", "time_to", "estimate_from",
                                 "estimate_to", "change", "se", "ci_low", "ci_high", "p_value",
                                 "p_adjusted", "n_from", "n_to", "df", "flag"]
    small = (out["n_from"] < 100) | (out["n_to"] < 100)
    assert small.any() and (~small).any()
    assert out.loc[small, "flag"].eq("suppressed").all()
    assert out.loc[small, ["change", "se", "p_value", "p_adjusted"]].isna().all().all()
    tested = out[~small]
    np.testing.assert_allclose(tested["p_adjusted"], holm(tested["p_value"].to_numpy()))
    bh = compare_waves(data, "nps", "month", by="region", weights="w", cluster="store",
                       min_n=100, adjust="bh")
    np.testing.assert_allclose(bh.loc[~small, "p_adjusted"],
                               benjamini_hochberg(tested["p_value"].to_numpy()))
    none = compare_waves(data, "nps", "month", by="region", weights="w", cluster="store",
                         adjust="none")
    np.testing.assert_allclose(none["p_adjusted"], none["p_value"])


def test_other_metrics_and_a_real_change() -> None:
    rng = np.random.default_rng(11)
    store = np.repeat(np.arange(30), 90)
    month = np.tile(np.repeat([1, 2, 3], 30), 30)
    u = rng.normal(0, 0.6, 30)[store]
    csat = np.clip(np.round(3.5 + u + 0.8 * (month == 3) + rng.normal(0, 0.8, len(store))), 1, 5)
    data = pd.DataFrame({"store": store, "month": month, "csat": csat})
    out = compare_waves(data, "csat", "month", metric="csat", cluster="store", trend=True)
    change = out[out["contrast"] == "change"].set_index("time_to")
    assert change.loc[3, "p_adjusted"] < 0.001 and change.loc[2, "p_adjusted"] > 0.01
    top = data["csat"] >= 4
    assert change.loc[2, "estimate_from"] == pytest.approx(100 * top[month == 1].mean())
    mean = compare_waves(data, "csat", "month", metric="mean", cluster="store")
    assert mean.loc[1, "change"] == pytest.approx(csat[month == 3].mean() - csat[month == 2].mean())


def test_errors(data: pd.DataFrame, raked) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="'adjust'"):
        compare_waves(data, "nps", "month", adjust="bonferroni")
    with pytest.raises(DataError, match="'metric'"):
        compare_waves(data, "nps", "month", metric="nss")
    with pytest.raises(DataError, match=r"column\(s\) \['when'\] not found"):
        compare_waves(data, "nps", "when")
    with pytest.raises(DataError, match="differ from the calibrated weights"):
        compare_waves(data, "nps", "month", weights="w", calibration=raked)
    with pytest.raises(DataError, match="missing period"):
        compare_waves(data.assign(month=data["month"].where(data.index != 2)), "nps", "month")
    with pytest.raises(ValueError, match="outside"):
        compare_waves(data.assign(nps=data["nps"] + 1), "nps", "month")


def test_counted_in_duckdb_from_parquet(data: pd.DataFrame, tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    path = tmp_path / "answers.parquet"
    data.to_parquet(path)
    out = compare_waves(str(path), "nps", "month", by="region", weights="w", cluster="store",
                        trend=True, min_n=0)
    ref = compare_waves(data, "nps", "month", by="region", weights="w", cluster="store",
                        trend=True, min_n=0)
    pd.testing.assert_frame_equal(out, ref, check_dtype=False, rtol=1e-12)


def test_calibrated_without_clusters_agrees_with_compare(data: pd.DataFrame, raked) -> None:  # type: ignore[no-untyped-def]
    import warnings

    from cxresearch.metrics.scores import compare, nps

    out = compare_waves(data, "nps", "month", calibration=raked)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        m = {t: nps(data["nps"].where(data["month"] == t), calibration=raked) for t in (1, 2)}
    c = compare(m[2], m[1])
    assert out.loc[0, "change"] == pytest.approx(c.estimate, rel=1e-12)
    assert out.loc[0, "se"] == pytest.approx(c.se, rel=1e-10)
    assert out.loc[0, "estimate_from"] == pytest.approx(m[1].estimate, rel=1e-12)
