"""Calibration-aware intervals of cxresearch.metrics.scores against R's survey package.

``nps``, ``csat``, ``ces``, ``top_box``, ``mean_score``, ``by_segment``, ``compare_segments`` and
``compare`` with ``calibration=`` (the result of rake, poststratify or calibrate). Reference
values: scripts/r/calibration_reference.R (rerun: ``Rscript scripts/r/calibration_reference.R``)
on tests/data/calibration_reference/answers.csv, R 4.2.2 with survey 4.1.1. Per design (see
tests/test_weighting.py for the calibration calls; "raked_srs" is the raked design without
clusters, ``svydesign(ids = ~1, weights = ~w)``), with y in nps100 = 100 (nps >= 9) - 100
(nps <= 6), top2 = 100 (csat >= 4) and ces:

    svymean(~y, design, na.rm = TRUE)                              # "all"
    svyby(~nps100, ~channel, design, svymean)                      # "channel=..."
    svyglm(nps100 ~ relevel(channel, "phone"), design)             # "channel:web-phone"
    svymean(~nps100, svydesign(ids = ~store, weights = ~wr))       # "raked_weights_fixed"
                         (wr = the raked weights taken as fixed design weights)
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.metrics.scores import (
    by_segment,
    ces,
    compare,
    compare_segments,
    csat,
    mean_score,
    nps,
    top_box,
)
from cxresearch.metrics.weighting import WeightingResult, calibrate, poststratify, rake

REF = Path(__file__).parent / "data" / "calibration_reference"
BOUNDS = (0.75, 1.6)

# (design, y, domain): (estimate, SE) from R 4.2.2, survey 4.1.1 (r_values.csv)
R_VALUES = {
    ("raked", "nps100", "all"): (-1.3530823242858989, 4.4766693004386306),
    ("raked", "top2", "all"): (57.099996998914868, 2.4863780628620136),
    ("raked", "ces", "all"): (4.9623234647277856, 0.078394765253342991),
    ("raked", "nps100", "channel=web"): (8.4989727766321668, 4.9067167453556086),
    ("raked", "nps100", "channel=phone"): (-9.8038368014315829, 4.9784860702802698),
    ("raked", "nps100", "channel=app"): (-5.2853142177508499, 7.436872095491335),
    ("raked", "nps100", "channel:web-phone"): (18.302809578063702, 5.1199976329553687),
    ("raked_srs", "nps100", "all"): (-1.3530823242858989, 2.4807058944303999),
    ("raked_srs", "top2", "all"): (57.099996998914868, 1.5743023876945468),
    ("raked_srs", "ces", "all"): (4.9623234647277856, 0.038954988291162923),
    ("raked_srs", "nps100", "channel=web"): (8.4989727766321668, 3.2600218668294643),
    ("raked_srs", "nps100", "channel=phone"): (-9.8038368014315829, 4.5104115446117179),
    ("raked_srs", "nps100", "channel=app"): (-5.2853142177508499, 5.7377262265094302),
    ("raked_srs", "nps100", "channel:web-phone"): (18.302809578063702, 5.5954422177787482),
    ("poststratified", "nps100", "all"): (-0.15733392773817073, 4.5251022999379487),
    ("poststratified", "top2", "all"): (57.128264840494481, 2.4405876700060638),
    ("poststratified", "ces", "all"): (4.9621119924185155, 0.078499979293740016),
    ("poststratified", "nps100", "channel=web"): (9.5506977677605782, 4.7621810994270106),
    ("poststratified", "nps100", "channel=phone"): (-9.1599407024605632, 4.9426325284934771),
    ("poststratified", "nps100", "channel=app"): (-3.5525206773087601, 7.6472973726400681),
    ("poststratified", "nps100", "channel:web-phone"): (18.710638470221159, 5.074222386877671),
    ("linear", "nps100", "all"): (-1.117499980095277, 4.4176249537261052),
    ("linear", "top2", "all"): (57.209100041856971, 2.4598010553157654),
    ("linear", "ces", "all"): (4.9618649373326065, 0.07816180373576008),
    ("linear", "nps100", "channel=web"): (8.7291582975993247, 4.7864677520022729),
    ("linear", "nps100", "channel=phone"): (-9.7519347422754716, 4.9962339534751594),
    ("linear", "nps100", "channel=app"): (-4.7839445573543671, 7.4095045757310425),
    ("linear", "nps100", "channel:web-phone"): (18.481093039874814, 5.0528502838341458),
    ("linear_bounded", "nps100", "all"): (-1.1078522986262993, 4.4526793012042303),
    ("linear_bounded", "top2", "all"): (57.303102245577861, 2.4662779834973798),
    ("linear_bounded", "ces", "all"): (4.9625584325609875, 0.078304043072870047),
    ("linear_bounded", "nps100", "channel=web"): (8.6976380828347715, 4.7964102187921096),
    ("linear_bounded", "nps100", "channel=phone"): (-10.047388894509824, 4.9618315926005767),
    ("linear_bounded", "nps100", "channel=app"): (-4.2812856747270773, 7.5293756131513119),
    ("linear_bounded", "nps100", "channel:web-phone"): (18.745026977344601, 4.9849289892758426),
    ("raking_bounded", "nps100", "all"): (-1.0311134296710767, 4.4503514942019171),
    ("raking_bounded", "top2", "all"): (57.309306102133611, 2.4636167009627541),
    ("raking_bounded", "ces", "all"): (4.9618230580618761, 0.078395666313225032),
    ("raking_bounded", "nps100", "channel=web"): (8.7784158867461919, 4.7955263664733616),
    ("raking_bounded", "nps100", "channel=phone"): (-10.011236165587233, 4.9620628492484329),
    ("raking_bounded", "nps100", "channel=app"): (-4.1541885056569008, 7.5180093621594182),
    ("raking_bounded", "nps100", "channel:web-phone"): (18.78965205233342, 4.9846924981753311),
    ("logit_bounded", "nps100", "all"): (-1.0343985149760777, 4.4464478445836351),
    ("logit_bounded", "top2", "all"): (57.247291953808954, 2.4616530459784354),
    ("logit_bounded", "ces", "all"): (4.9608248771945886, 0.078159895936644186),
    ("logit_bounded", "nps100", "channel=web"): (8.7967103857203917, 4.7964467256308945),
    ("logit_bounded", "nps100", "channel=phone"): (-10.091117728069277, 4.9648564007164779),
    ("logit_bounded", "nps100", "channel=app"): (-4.0847658577599502, 7.5136259961264535),
    ("logit_bounded", "nps100", "channel:web-phone"): (18.887828113789677, 4.9937774158629766),
    ("rake_bounded", "nps100", "all"): (-1.3840943540058435, 4.489117301366595),
    ("rake_bounded", "top2", "all"): (57.330794690999397, 2.4735041450251609),
    ("rake_bounded", "ces", "all"): (4.9622199271757319, 0.078340420601900787),
    ("rake_bounded", "nps100", "channel=web"): (8.420315026193931, 4.8514591620179743),
    ("rake_bounded", "nps100", "channel=phone"): (-10.315462846534009, 4.908919650438893),
    ("rake_bounded", "nps100", "channel=app"): (-4.5672334727855661, 7.5289111455022564),
    ("rake_bounded", "nps100", "channel:web-phone"): (18.73577787272793, 4.9196723110149128),
    ("raked_weights_fixed", "nps100", "all"): (-1.3530823242858989, 4.6467011535743206),
}
DESIGNS = ["raked", "raked_srs", "poststratified", "linear", "linear_bounded", "raking_bounded",
           "logit_bounded", "rake_bounded"]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "answers.csv")


@pytest.fixture(scope="module")
def cals(data: pd.DataFrame) -> dict[str, WeightingResult]:
    mg = pd.read_csv(REF / "margins.csv")
    margins = {m: dict(zip(g["category"], g["count"].astype(float)))
               for m, g in mg.groupby("margin", sort=False)}
    totals = {**margins, "tenure": 62000.0}
    raked = rake(data, margins, weight="w")
    return {
        "raked": raked,
        "raked_srs": raked,
        "poststratified": poststratify(data, pd.read_csv(REF / "cells.csv"), weight="w"),
        "linear": calibrate(data, totals, weight="w"),
        "linear_bounded": calibrate(data, totals, weight="w", bounds=BOUNDS),
        "raking_bounded": calibrate(data, totals, weight="w", method="raking", bounds=BOUNDS),
        "logit_bounded": calibrate(data, totals, weight="w", method="logit", bounds=BOUNDS),
        "rake_bounded": rake(data, margins, weight="w", bounds=BOUNDS),
    }


def _cluster(data: pd.DataFrame, design: str) -> pd.Series | None:
    return None if design == "raked_srs" else data["store"]


def _check(result, key: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    est, se = R_VALUES[key]
    assert result.estimate == pytest.approx(est, rel=1e-6, abs=1e-8), key
    assert result.se == pytest.approx(se, rel=1e-6), key


@pytest.mark.parametrize("design", DESIGNS)
def test_calibrated_means_match_svymean(data: pd.DataFrame, cals: dict, design: str) -> None:
    cal, cl = cals[design], _cluster(data, design)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the missing CSAT answers are dropped
        _check(nps(data["nps"], cluster=cl, calibration=cal), (design, "nps100", "all"))
        _check(csat(data["csat"], cluster=cl, calibration=cal), (design, "top2", "all"))
        _check(top_box(data["csat"], scale=(1, 5), k=2, cluster=cl, calibration=cal),
               (design, "top2", "all"))
        _check(ces(data["ces"], cluster=cl, calibration=cal), (design, "ces", "all"))
        _check(mean_score(data["ces"], scale=(1, 7), cluster=cl, calibration=cal),
               (design, "ces", "all"))


@pytest.mark.parametrize("design", DESIGNS)
def test_calibrated_domains_and_contrast_match_r(data: pd.DataFrame, cals: dict,
                                                 design: str) -> None:
    cl = None if design == "raked_srs" else "store"
    out = by_segment(data, "channel", "nps", cluster=cl, calibration=cals[design])
    for row in out.itertuples():
        est, se = R_VALUES[(design, "nps100", f"channel={row.channel}")]
        assert row.estimate == pytest.approx(est, rel=1e-6, abs=1e-8)
        assert row.se == pytest.approx(se, rel=1e-6)
    pairs = compare_segments(data, "channel", "nps", cluster=cl, calibration=cals[design])
    wp = pairs[(pairs["a"] == "phone") & (pairs["b"] == "web")].iloc[0]
    est, se = R_VALUES[(design, "nps100", "channel:web-phone")]
    assert -wp["difference"] == pytest.approx(est, rel=1e-6)
    assert wp["se"] == pytest.approx(se, rel=1e-6)


def test_raked_nps_headline_and_fixed_weights(data: pd.DataFrame, cals: dict) -> None:
    # the pin: svymean on the rake()d clustered design, to 1e-6
    r = nps(data["nps"], cluster=data["store"], calibration=cals["raked"])
    assert abs(r.estimate - -1.3530823242858989) < 1e-6
    assert abs(r.se - 4.4766693004386306) < 1e-6
    assert r.method == "taylor" and r.calibration == "raking" and r.df == 39
    assert "calibrated (raking)" in r.summary()
    # the raked weights taken as fixed: R's plain svymean, a larger SE
    fixed = nps(data["nps"], weights=cals["raked"].weights, cluster=data["store"])
    _check(fixed, ("raked_weights_fixed", "nps100", "all"))
    assert fixed.se > r.se
    ci = r.conf_int(0.9)
    assert ci["ci_low"].iloc[0] < r.estimate < ci["ci_high"].iloc[0]


def test_compare_two_domains_of_one_calibrated_design(data: pd.DataFrame, cals: dict) -> None:
    # a domain: the other answers blanked (missing answers stay in the design, as R's subset)
    cal = cals["raked"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        web, phone = (nps(data["nps"].where(data["channel"] == ch), cluster=data["store"],
                          calibration=cal) for ch in ("web", "phone"))
    _check(web, ("raked", "nps100", "channel=web"))
    c = compare(web, phone)
    est, se = R_VALUES[("raked", "nps100", "channel:web-phone")]
    assert c.estimate == pytest.approx(est, rel=1e-6) and c.se == pytest.approx(se, rel=1e-6)
    assert "calibrated" in c.method
    # without clusters every answer is its own cluster; the domains share none, and the
    # calibration still ties them together (R's svyglm contrast, not sqrt(se_a^2 + se_b^2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        web, phone = (nps(data["nps"].where(data["channel"] == ch), calibration=cal)
                      for ch in ("web", "phone"))
    c = compare(web, phone)
    assert c.se == pytest.approx(R_VALUES[("raked_srs", "nps100", "channel:web-phone")][1],
                                 rel=1e-6)
    assert c.se != pytest.approx(np.hypot(web.se, phone.se), rel=1e-3)


def test_weights_argument_must_be_the_calibrated_weights(data: pd.DataFrame,
                                                         cals: dict) -> None:
    cal = cals["raked"]
    same = nps(data["nps"], weights=cal.weights, calibration=cal)
    assert same.se == pytest.approx(R_VALUES[("raked_srs", "nps100", "all")][1], rel=1e-6)
    with pytest.raises(DataError, match="differ from the calibrated weights"):
        nps(data["nps"], weights=data["w"], calibration=cal)
    with pytest.raises(DataError, match="1,216 calibrated weight"):
        nps(data["nps"].iloc[:100], calibration=cal)
    with pytest.raises(DataError, match="index differs"):
        nps(data["nps"].set_axis(data.index + 1), calibration=cal)
    with pytest.raises(DataError, match="calibration-aware Taylor"):
        nps(data["nps"], method="wald", calibration=cal)
    with pytest.raises(TypeError, match="result of rake, poststratify or calibrate"):
        nps(data["nps"], calibration=data["w"])
    with pytest.raises(DataError, match="must be the DataFrame"):
        by_segment(str(REF / "answers.csv"), "channel", calibration=cal)


def test_by_segment_with_calibration_keeps_its_columns(data: pd.DataFrame, cals: dict) -> None:
    out = by_segment(data, "region", "nps", cluster="store", calibration=cals["raked"],
                     min_n=300)
    assert {"design_effect", "n_clusters", "suppressed", "flag"} <= set(out.columns)
    assert out["method"].eq("taylor").all()
    assert out["n"].sum() == len(data)
    small = out[out["n"] < 300]
    assert small["suppressed"].all() and small["estimate"].isna().all()
