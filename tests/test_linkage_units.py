"""Tests for notebook 05 on one company's units (issue 12): cxresearch.linkage.units
load_linkage_study, aggregation_checks, unit_panel, outcome_columns and unit_linkage.

References: aggregation_indices on hand-recoded items (the bundled firm-years and the own
survey's reverse-keyed c3), pandas/numpy group means, statsmodels OLS with cluster-robust SEs
(no error variances: the EIV fit is OLS), and the synthetic one-company survey
(cxresearch.simulate.own_survey) whose true store-level effects are known.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.cli.check import needs
from cxresearch.core.contract import CULTURE_ITEMS, ENGAGEMENT_ITEMS, reverse_items
from cxresearch.linkage import units
from cxresearch.linkage.multilevel import add_group_key, aggregation_indices
from cxresearch.simulate.own_survey import OwnSurveyParams, simulate_own_survey

OWN = Path(__file__).parent / "data" / "own_survey"


@pytest.fixture(scope="module")
def own() -> object:
    return simulate_own_survey()


@pytest.fixture(scope="module")
def bundled() -> object:
    return units.load_linkage_study()


def test_load_linkage_study_reads_the_units_design_and_the_bundled_one(bundled) -> None:
    s = units.load_linkage_study(OWN)
    assert (s.unit, s.time) == ("store_id", "wave")
    assert s.firm_years is None and len(s.outcomes) == 90
    assert "email" not in s.customers.columns and "full_name" not in s.employees.columns
    assert needs(s, "05:linkage") == [] and needs(s, "05:outcomes") == []
    assert "no firm_years table" in needs(s, "05:firm_panel")[0]
    b = bundled
    assert b.unit == "firm_id" and needs(b, "05:firm_panel") == []


def test_a_folder_without_outcomes_still_loads(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    shutil.copytree(OWN, folder)
    (folder / "outcomes.csv").unlink()
    s = units.load_linkage_study(folder)
    assert s.outcomes is None and needs(s, "05:linkage") == []
    assert "no outcomes table" in needs(s, "05:outcomes")[0]


def test_aggregation_checks_equal_the_bundled_notebooks_hand_coded_call(bundled) -> None:
    s = bundled
    out = units.aggregation_checks(s.employees, s.customers, s.instrument, ["firm_id", "year"])
    emp = add_group_key(reverse_items(s.employees), ["firm_id", "year"], name="fy")
    cus = add_group_key(s.customers, ["firm_id", "year"], name="fy")
    ref = pd.concat([
        aggregation_indices(emp, "fy", {"culture": list(CULTURE_ITEMS),
                                        "engagement": list(ENGAGEMENT_ITEMS)}, warn=False),
        aggregation_indices(cus, "fy", {"nps": ["nps"], "csat": ["csat"], "ces": ["ces"]},
                            scale_points={"nps": 11, "csat": 5, "ces": 7}, warn=False),
    ], ignore_index=True)
    pd.testing.assert_frame_equal(out.drop(columns="source"), ref)


def test_aggregation_checks_recode_the_instruments_reverse_item(own) -> None:
    inst = own.instrument()
    out = units.aggregation_checks(own.employees, None, inst).set_index("item_set")
    emp = own.employees.assign(c3=8 - own.employees["c3"])
    emp = add_group_key(emp, ["store_id", "wave"], name="k")
    ref = aggregation_indices(emp, "k", {"culture": ["c1", "c2", "c3", "c4"]},
                              scale_points=7, warn=False).iloc[0]
    assert out.loc["culture", "icc1"] == pytest.approx(ref["icc1"], rel=1e-12)
    assert out.loc["culture", "rwg_j"] == pytest.approx(ref["rwg_j"], rel=1e-12)
    # not recoding c3 (written against the construct) would lower the scale's ICC(1)
    raw = aggregation_indices(add_group_key(own.employees, ["store_id", "wave"], name="k"),
                              "k", {"culture": ["c1", "c2", "c3", "c4"]}, scale_points=7,
                              warn=False)
    assert out.loc["culture", "icc1"] > raw["icc1"].iloc[0]
    assert out.loc["culture", "icc1"] > 0.1  # the simulation's store share is 0.30


def test_unit_panel_matches_hand_computed_means(own) -> None:
    inst = own.instrument()
    p = units.unit_panel(own.employees, own.customers, inst, own.outcomes)
    emp = own.employees.assign(c3=8 - own.employees["c3"])
    items = [*(f"c{k}" for k in range(1, 5)), *(f"e{k}" for k in range(1, 13))]
    z = emp[items].astype(float)
    z = (z - z.mean()) / z.std(ddof=1)
    ex = z.mean(axis=1).groupby([emp["store_id"], emp["wave"]]).mean()
    cus = own.customers
    cz = cus[["ltr", "sat", "effort"]].astype(float)
    cz = (cz - cz.mean()) / cz.std(ddof=1)
    score = cz.mean(axis=1)
    cx = {k: np.average(score[g.index], weights=g["w"])
          for k, g in cus.groupby(["store_id", "wave"])}
    p = p.set_index(["store_id", "wave"])
    np.testing.assert_allclose(p["ex"], ex.reindex(p.index), rtol=1e-12)
    np.testing.assert_allclose(p["cx"], pd.Series(cx).reindex(p.index), rtol=1e-12)
    assert p["sales_growth"].equals(own.outcomes.set_index(["store_id", "wave"])[
        "sales_growth"].reindex(p.index))
    unweighted = units.unit_panel(own.employees, own.customers, inst, weight="")
    assert "n_eff_cx" not in unweighted and not np.allclose(unweighted["cx"], p["cx"].values)
    # the unit means track the simulation's latent store-wave EX
    lat = own.latent.set_index(["store_id", "wave"]).reindex(p.index)
    assert np.corrcoef(p["ex"], lat["ex"])[0, 1] > 0.5


def test_outcome_columns_keep_numeric_varying_non_key_columns(own) -> None:
    assert units.outcome_columns(own.outcomes, ["store_id", "wave"]) == ["sales_growth",
                                                                       "staff_turnover"]
    assert units.outcome_columns(None, ["store_id"]) == []


def test_unit_linkage_without_error_variances_is_clustered_ols() -> None:
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    n_u, n_t = 40, 3
    d = pd.DataFrame({"u": np.repeat(np.arange(n_u), n_t), "t": np.tile(np.arange(n_t), n_u)})
    d["ex"] = rng.normal(size=len(d)) + np.repeat(rng.normal(size=n_u), n_t)
    d["cx"] = 0.5 * d["ex"] + rng.normal(size=len(d)) + 0.2 * d["t"]
    d["y"] = 1.5 * d["cx"] + rng.normal(size=len(d))
    res = units.unit_linkage(d, ["y"], unit="u", time="t", error_variance={})
    out = res.to_frame()
    # conf_int(level=) keeps each row's equation and recomputes the t interval on G - 1 df
    ci = res.conf_int(res.level)
    assert ci[["outcome", "term"]].values.tolist() == out[["outcome", "term"]].values.tolist()
    np.testing.assert_allclose(ci[["ci_low", "ci_high"]], out[["ci_low", "ci_high"]],
                               rtol=1e-12)
    assert "y ~ cx" in res.summary()
    z = d.assign(ex=(d["ex"] - d["ex"].mean()) / d["ex"].std(),
                 cx=(d["cx"] - d["cx"].mean()) / d["cx"].std())
    n = len(z)
    for outcome, formula, k in (("cx", "cx ~ ex + C(t)", 4), ("y", "y ~ ex + cx + C(t)", 5)):
        fit = smf.ols(formula, z).fit(cov_type="cluster", cov_kwds={"groups": z["u"]})
        rows = out[out["outcome"] == outcome].set_index("term")
        for term in rows.index:
            assert rows.loc[term, "estimate"] == pytest.approx(fit.params[term], rel=1e-9)
            # statsmodels adds the (N-1)/(N-K) factor to G/(G-1)
            assert rows.loc[term, "se"] * np.sqrt((n - 1) / (n - k)) == pytest.approx(
                fit.bse[term], rel=1e-9)
        assert (rows["n_clusters"] == n_u).all()


def test_unit_linkage_recovers_the_simulated_store_effects() -> None:
    """The own-survey simulator's truth: EX -> CX 0.4 (latent units), CX -> sales growth
    1.5 pp per latent unit, EX -> staff turnover -0.15 log-points per latent unit, no EX ->
    sales path and no CX -> turnover path."""
    sim = simulate_own_survey(OwnSurveyParams(n_stores=400), seed=0)
    p = units.unit_panel(sim.employees, sim.customers, sim.instrument(), sim.outcomes)
    out = units.unit_linkage(p, ["sales_growth", "staff_turnover"], unit="store_id",
                             time="wave").to_frame().set_index(["outcome", "term"])
    lat = sim.latent
    sd_ex, sd_cx = lat["ex"].std(), lat["cx"].std()
    truth = {("cx", "ex"): 0.4 * sd_ex / sd_cx,  # true-score SD per SD
             ("sales_growth", "cx"): 1.5 * sd_cx,  # pp per SD of CX
             ("sales_growth", "ex"): 0.0,
             ("staff_turnover", "ex"): 30 * -0.15 * sd_ex,  # % per SD of EX (linearised)
             ("staff_turnover", "cx"): 0.0}
    for key, value in truth.items():
        r = out.loc[key]
        assert r["ci_low"] < value < r["ci_high"], (key, value, r["estimate"])
    # uncorrected OLS is attenuated towards zero
    assert abs(out.loc[("cx", "ex"), "ols_estimate"]) < 0.7 * out.loc[("cx", "ex"), "estimate"]
    assert (out["n_clusters"] == 400).all()


def test_unit_linkage_refuses_means_that_are_all_noise() -> None:
    d = pd.DataFrame({"u": range(6), "ex": [1.0, 2, 3, 4, 5, 6], "ev_ex": 100.0,
                      "cx": [1.0, 3, 2, 5, 4, 6]})
    with pytest.raises(ValueError, match=r"'ex'.*no true-score variance"):
        units.unit_linkage(d, unit="u")
