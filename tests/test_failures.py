"""What failure looks like (issue 23): each seeded generator makes its method fail, for the
reason its truth gives, and the method passes when the cause is removed."""

from __future__ import annotations

import numpy as np
import pytest

import cxresearch as cx
from cxresearch.simulate import failures as fl

#: the fit criteria notebook 02 states (Hu & Bentler 1999): CFI >= 0.95 and RMSEA <= 0.06
CFI_MIN, RMSEA_MAX = 0.95, 0.06


@pytest.mark.parametrize("kind", ["cross_loading", "correlated_errors"])
def test_a_misspecified_scale_fails_the_fit_criteria(kind: str) -> None:
    case = fl.misfit_scale(kind=kind, seed=0)
    fit = cx.cfa(case.data, case.model).fit
    assert fit["cfi"] < CFI_MIN and fit["rmsea"] > RMSEA_MAX, fit
    # the cause, added to the model, repairs it: the cross-loading item left out of factor b
    if kind == "cross_loading":
        repaired = {"a": case.model["a"], "b": [i for i in case.model["b"] if i != "b1"]}
        ok = cx.cfa(case.data, repaired).fit
        assert ok["cfi"] >= CFI_MIN and ok["rmsea"] <= RMSEA_MAX, ok
    assert case.truth["kind"] == kind and "synthetic" in case.description


def test_a_group_where_one_item_works_differently_fails_scalar_invariance() -> None:
    case = fl.noninvariant_item(seed=0)
    table = cx.measurement_invariance(case.data, case.model, by="group").to_frame()
    assert table.loc["metric", "delta_p"] > 0.05  # loadings equal across the groups
    assert table.loc["scalar", "delta_p"] < 0.001 and table.loc["scalar", "delta_cfi"] < -0.01
    # without the shift, scalar invariance holds
    same = fl.noninvariant_item(shift=0.0, seed=0)
    ok = cx.measurement_invariance(same.data, same.model, by="group").to_frame()
    assert ok.loc["scalar", "delta_p"] > 0.05
    # the item is located: its mean gap between the groups is the largest
    gaps = case.data.groupby("group")[case.model["x"]].mean().diff().iloc[-1]
    assert gaps.idxmax() == case.truth["item"]


def test_a_reversed_item_left_unreversed_lowers_alpha_and_correlates_negatively() -> None:
    case = fl.unreversed_item(seed=0)
    item = case.truth["item"]
    rest = case.data.drop(columns=item).mean(axis=1)
    assert np.corrcoef(case.data[item], rest)[0, 1] < -0.3
    fixed = case.data.assign(**{item: 6 - case.data[item]})
    assert cx.cronbach_alpha(fixed).alpha > cx.cronbach_alpha(case.data).alpha + 0.3


def test_collinear_drivers_with_equal_effects_have_ranks_that_cannot_be_told_apart() -> None:
    case = fl.collinear_drivers(seed=0)
    assert case.data[["d1", "d2"]].corr().iloc[0, 1] == pytest.approx(0.95, abs=0.02)
    imp = cx.relative_weights(case.data, "y", case.model["y"], n_boot=200, seed=0)
    ranks = imp.rank_intervals()
    d1, d2 = ranks.loc["d1"], ranks.loc["d2"]
    assert d1["rank_ci_low"] <= d2["rank_ci_high"] and d2["rank_ci_low"] <= d1["rank_ci_high"]
    assert ranks.loc["d3", "rank_ci_low"] == ranks.loc["d3", "rank_ci_high"] == 3  # d3 is not


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(cx.DataError, match="kind"):
        fl.misfit_scale(kind="other")
    with pytest.raises(cx.DataError, match="strictly between"):
        fl.collinear_drivers(r=1.0)
