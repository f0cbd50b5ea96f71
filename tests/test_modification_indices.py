"""Modification indices (score tests, Sörbom 1989), parameters freed beyond a CFA, and partial
scalar invariance: each checked against published output, a refit, or an equivalent model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cxresearch as cx
from cxresearch.measurement import psychometrics as ps
from cxresearch.simulate import failures as fl

HS_MODEL = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
            "speed": ["x7", "x8", "x9"]}


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    from semopy.examples import holzinger39

    return holzinger39.get_data()


def _two_factors(cross: float, n: int = 3000, seed: int = 1) -> tuple[pd.DataFrame, dict]:
    """Continuous normal items, two factors (r = 0.3); b1 loads ``cross`` on factor a too."""
    rng = np.random.default_rng(seed)
    f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], size=n)
    cols = {}
    for k, name in enumerate("ab"):
        for i in range(1, 5):
            cols[f"{name}{i}"] = 0.7 * f[:, k] + rng.normal(scale=0.7, size=n)
    cols["b1"] = cols["b1"] + cross * f[:, 0]
    return pd.DataFrame(cols), {"a": ["a1", "a2", "a3", "a4"], "b": ["b1", "b2", "b3", "b4"]}


def test_modification_indices_match_lavaan_holzinger_swineford(hs: pd.DataFrame) -> None:
    # lavaan tutorial, modindices(fit, sort = TRUE) on cfa(HS.model, HolzingerSwineford1939):
    # lhs op rhs mi epc sepc.all
    published = [("visual", "=~", "x9", 36.411, 0.577, 0.515),
                 ("x7", "~~", "x8", 34.145, 0.536, 0.859),
                 ("visual", "=~", "x7", 18.631, -0.422, -0.349),
                 ("x8", "~~", "x9", 14.946, -0.423, -0.805),
                 ("textual", "=~", "x3", 9.151, -0.272, -0.238)]
    mi = ps.modification_indices(hs, HS_MODEL)
    got = [(r.lhs, r.op, r.rhs, round(r.mi, 3), round(r.epc, 3), round(r.sepc_all, 3))
           for r in mi.head(5).itertuples()]
    assert got == published
    # the cross-loadings lavaan lists (mi[mi$op == "=~", ]): visual =~ x4 ... textual =~ x2
    by = mi.set_index(["lhs", "op", "rhs"])["mi"]
    assert by[("visual", "=~", "x4")] == pytest.approx(1.211, abs=5e-4)
    assert by[("visual", "=~", "x5")] == pytest.approx(7.441, abs=5e-4)
    assert by[("textual", "=~", "x1")] == pytest.approx(8.903, abs=5e-4)
    assert by[("textual", "=~", "x2")] == pytest.approx(0.017, abs=5e-4)
    # one row per parameter fixed at zero: 3 x 6 cross-loadings and 36 error covariances
    assert len(mi) == 18 + 36 and mi["mi"].is_monotonic_decreasing
    # p-value of chi2 with 1 df, in closed form: erfc(sqrt(MI / 2))
    from scipy.special import erfc

    assert np.allclose(mi["p_value"], erfc(np.sqrt(mi["mi"] / 2)), rtol=1e-9, atol=1e-15)


def test_a_small_omission_mi_predicts_the_chi2_drop_of_the_refit() -> None:
    # The MI is the score (Lagrange multiplier) statistic of freeing one parameter, the chi2
    # drop of the refit the likelihood-ratio statistic of the same hypothesis. They are
    # asymptotically equivalent and differ by terms of higher order in the omitted parameter;
    # for a cross-loading of 0.1 (about 6 standard errors, n = 3,000) that is a few per cent:
    # the tolerance, 5% of the MI, is twice the difference seen with other seeds (1-3%).
    data, model = _two_factors(cross=0.1)
    mi = ps.modification_indices(data, model)
    top = mi.iloc[0]
    assert (top["lhs"], top["op"], top["rhs"]) == ("a", "=~", "b1")
    base = ps.cfa(data, model)
    freed = ps.cfa(data, model, free=["a =~ b1"])
    drop = base.fit["chi2"] - freed.fit["chi2"]
    assert top["mi"] == pytest.approx(drop, rel=0.05)
    # the EPC predicts the refitted estimate (the same order of approximation; 10%)
    estimate = freed.loadings.iloc[-1]
    assert (estimate["factor"], estimate["item"]) == ("a", "b1")
    assert top["epc"] == pytest.approx(estimate["estimate"], rel=0.10)
    # without the omission, no MI stands out (chi2 with 1 df, below its 99.9th percentile)
    clean, _ = _two_factors(cross=0.0)
    assert ps.modification_indices(clean, model)["mi"].max() < 10.83


def test_the_failure_cases_mi_point_to_their_cause() -> None:
    errors = fl.misfit_scale(kind="correlated_errors", seed=0)
    mi = ps.modification_indices(errors.data, errors.model)
    top = mi.iloc[0]
    assert f"{top['lhs']} {top['op']} {top['rhs']}" == "a3 ~~ a4"
    drop = (ps.cfa(errors.data, errors.model).fit["chi2"]
            - ps.cfa(errors.data, errors.model, free=["a3 ~~ a4"]).fit["chi2"])
    assert top["mi"] == pytest.approx(drop, rel=0.01)
    # a large omission (a cross-loading of 0.6): the MI still points to it, but overstates
    # the drop -- a local approximation far from where it is exact
    cross = fl.misfit_scale(kind="cross_loading", seed=0)
    mi = ps.modification_indices(cross.data, cross.model)
    assert tuple(mi.iloc[0][["lhs", "op", "rhs"]]) == ("a", "=~", "b1")
    drop = (ps.cfa(cross.data, cross.model).fit["chi2"]
            - ps.cfa(cross.data, cross.model, free=["a =~ b1"]).fit["chi2"])
    assert mi.iloc[0]["mi"] > drop > 0.5 * mi.iloc[0]["mi"]


def test_freed_parameters_leave_the_list_and_the_degrees_of_freedom(hs: pd.DataFrame) -> None:
    free = ["visual =~ x9", "x7 ~~ x2"]
    base = ps.cfa(hs, HS_MODEL)
    freed = ps.cfa(hs, HS_MODEL, free=free)
    assert int(base.fit["df"]) - int(freed.fit["df"]) == 2
    # the cross-loading is listed after the model's own; reliability uses own items only
    assert freed.loadings[["factor", "item"]].iloc[-1].tolist() == ["visual", "x9"]
    assert len(freed.loadings) == 10 and list(freed.reliability.index) == list(HS_MODEL)
    mi = ps.modification_indices(hs, HS_MODEL, free=free)
    listed = set(zip(mi["lhs"], mi["op"], mi["rhs"], strict=True))
    assert ("visual", "=~", "x9") not in listed and ("x2", "~~", "x7") not in listed
    assert len(mi) == 18 + 36 - 2 and (mi["mi"] >= 0).all()
    # freeing the largest MI's parameter (textual =~ x3) lowers chi2 by about the MI: 8.75
    # against a refitted drop of 9.27 (6%), the local approximation of a moderate omission
    top = " ".join(mi.iloc[0][["lhs", "op", "rhs"]])
    drop = freed.fit["chi2"] - ps.cfa(hs, HS_MODEL, free=[*free, top]).fit["chi2"]
    assert top == "textual =~ x3" and mi.iloc[0]["mi"] == pytest.approx(drop, rel=0.10)


def test_a_saturated_model_has_no_parameter_left_to_free(hs: pd.DataFrame) -> None:
    # one factor of three items: df = 0, the model reproduces every covariance, and any error
    # covariance added would be unidentified -- its information is spanned by the free
    # parameters, so its MI is NaN rather than a number
    # (6 variances and covariances, 6 parameters: 2 loadings, 1 factor variance, 3 errors)
    mi = ps.modification_indices(hs, {"visual": ["x1", "x2", "x3"]})
    assert len(mi) == 3 and mi["mi"].isna().all() and mi["epc"].isna().all()


@pytest.mark.parametrize("spec", ["visual =~ x1", "speed =~ nope", "x1 ~~ x1", "x1 ~ x2",
                                  "visual ~~ textual"])
def test_bad_free_parameters_are_refused(hs: pd.DataFrame, spec: str) -> None:
    with pytest.raises(cx.DataError, match="argument 'free'"):
        ps.cfa(hs, HS_MODEL, free=[spec])
    with pytest.raises(cx.DataError, match="argument 'free'"):
        ps.modification_indices(hs, HS_MODEL, free="x1 ~~ x2")  # a string, not a list


def test_partial_scalar_invariance_frees_chosen_intercepts(hs: pd.DataFrame) -> None:
    full = ps.measurement_invariance(hs, HS_MODEL, "school").to_frame()
    # every intercept free but the markers: the scalar model is the metric model again
    # (lavaan: 124.044 on 54 df)
    others = [i for items in HS_MODEL.values() for i in items[1:]]
    same = ps.measurement_invariance(hs, HS_MODEL, "school", free_intercepts=others)
    t = same.to_frame()
    assert t.loc["scalar", "chi2"] == pytest.approx(124.044, abs=1e-3)
    assert t.loc["scalar", "df"] == full.loc["metric", "df"]
    assert same.free_intercepts == tuple(others) and "intercepts of x2" in same.summary()
    # one intercept free: one df fewer than full scalar invariance, chi2 in between
    one = ps.measurement_invariance(hs, HS_MODEL, "school", free_intercepts=["x3"]).to_frame()
    assert one.loc["scalar", "df"] == full.loc["scalar", "df"] - 1
    assert full.loc["metric", "chi2"] < one.loc["scalar", "chi2"] < full.loc["scalar", "chi2"]
    assert one.loc["scalar", "converged"]
    # configural and metric do not change
    pd.testing.assert_frame_equal(one.loc[["configural", "metric"], ["chi2", "df"]],
                                  full.loc[["configural", "metric"], ["chi2", "df"]])


def test_partial_invariance_locates_the_item_that_works_differently() -> None:
    case = fl.noninvariant_item(seed=0)
    drops = {}
    full = ps.measurement_invariance(case.data, case.model, "group").to_frame()
    for item in case.model["x"]:
        t = ps.measurement_invariance(case.data, case.model, "group",
                                      free_intercepts=[item]).to_frame()
        drops[item] = full.loc["scalar", "chi2"] - t.loc["scalar", "chi2"]
    assert max(drops, key=drops.get) == case.truth["item"]


def test_partial_invariance_refuses_what_cannot_be_identified(hs: pd.DataFrame) -> None:
    with pytest.raises(cx.DataError, match="every intercept of"):
        ps.measurement_invariance(hs, HS_MODEL, "school", free_intercepts=["x1", "x2", "x3"])
    with pytest.raises(cx.DataError, match="not items of the model"):
        ps.measurement_invariance(hs, HS_MODEL, "school", free_intercepts=["x10"])
