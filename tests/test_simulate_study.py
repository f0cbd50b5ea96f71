"""Tests for cxresearch.simulate.study: structure, determinism and recovery of the known truth.

The references are independent of the simulator: statsmodels OLS fits of the structural
equations, Spearman's (1904) correction for attenuation with reliabilities estimated from the
survey data by one-way ANOVA, and a two-way fixed-effects regression for the leader effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from cxresearch.core.contract import CULTURE_ITEMS, ENGAGEMENT_ITEMS, OWNERS
from cxresearch.io.study import Study
from cxresearch.simulate import StudyParams, simulate_study

SMALL = StudyParams(n_firms=60, n_years=5, employees_per_firm_year=8, customers_per_firm_year=12)


@pytest.fixture(scope="module")
def study() -> Study:
    return simulate_study(seed=11)


def test_same_seed_identical_other_seed_differs() -> None:
    a = simulate_study(SMALL, seed=5)
    b = simulate_study(SMALL, seed=5)
    c = simulate_study(SMALL, seed=6)
    for name, frame in a.tables().items():
        pd.testing.assert_frame_equal(frame, b.tables()[name])
        other = c.tables()[name]
        assert list(other.columns) == list(frame.columns)
        assert other.dtypes.astype(str).tolist() == frame.dtypes.astype(str).tolist()
    assert a.truth == b.truth
    assert not a.customers["nps"].equals(c.customers["nps"])


def test_tables_sorted_ids_padded_and_contract_columns(study: Study) -> None:
    for name, key in [
        ("firms", ["firm_id"]),
        ("firm_years", ["firm_id", "year"]),
        ("employees", ["respondent_id"]),
        ("customers", ["respondent_id"]),
    ]:
        frame = study.tables()[name]
        assert frame[key].equals(frame.sort_values(key).reset_index(drop=True)[key]), name
        assert not frame.duplicated(key).any(), name
    assert study.firms["firm_id"].str.fullmatch(r"F\d{4}").all()
    assert study.employees["respondent_id"].str.fullmatch(r"E\d{7}").all()
    assert study.customers["respondent_id"].str.fullmatch(r"C\d{8}").all()
    assert "baseline_growth" not in study.firms.columns
    assert set(study.firms["cx_owner"]) <= set(OWNERS)
    assert study.firms["cx_leader_year"].dtype == "Int64"
    assert list(study.employees.columns[4:]) == [*CULTURE_ITEMS, *ENGAGEMENT_ITEMS]
    for col in [*CULTURE_ITEMS, *ENGAGEMENT_ITEMS]:
        vals = study.employees[col].dropna()
        assert vals.between(1, 5).all()
    assert study.employees[list(CULTURE_ITEMS)].isna().any().all()  # some missing answers
    c = study.customers
    assert c["nps"].dropna().between(0, 10).all()
    assert c["csat"].dropna().between(1, 5).all()
    assert c["ces"].dropna().between(1, 7).all()
    assert set(c["churned"].unique()) <= {0, 1}
    # 40 customers and 15 employees per firm-year on average (non-response included)
    per_fy = c.groupby(["firm_id", "year"]).size().mean()
    assert 30 < per_fy < 50
    for key in [
        "ex_to_cx", "ex_lag_to_cx", "cx_lag_to_ex", "performance_lag_to_ex",
        "cx_to_revenue_growth", "cx_to_cost_to_serve", "cx_to_contacts", "leader_effect_cx",
        "leader_effect_revenue_growth", "leader_effect_contacts", "owner_effect_ceo",
        "owner_effect_coo", "owner_effect_cmo", "owner_effect_cx_leader",
        "selection_on_growth", "icc_employees", "icc_customers", "say_do_effect",
    ]:  # fmt: skip
        assert isinstance(study.truth[key], float), key


def test_ownership_is_consistent_with_leader_years(study: Study) -> None:
    f = study.firms.set_index("firm_id")
    fy = study.firm_years
    ever = fy.groupby("firm_id")["has_cx_leader"].max()
    first = fy[fy["has_cx_leader"] == 1].groupby("firm_id")["year"].min()
    assert ((f["cx_owner"] == "cx_leader") == (ever == 1)).all()
    appointed = f["cx_leader_year"].dropna()
    assert (first.loc[appointed.index] == appointed.astype(int)).all()
    # leaders in place before the panel have <NA> and a leader in every year
    before = f.index[(f["cx_owner"] == "cx_leader") & f["cx_leader_year"].isna()]
    assert (fy[fy["firm_id"].isin(before)]["has_cx_leader"] == 1).all()
    # has_cx_leader never switches off
    assert (fy.groupby("firm_id")["has_cx_leader"].diff().dropna() >= 0).all()


def test_structural_equations_recovered_from_the_answer_key(study: Study) -> None:
    """OLS on the latent firm-year constructs recovers every structural slope (99% CIs)."""
    d = study.latent.merge(study.firm_years, on=["firm_id", "year"]).merge(
        study.firms[["firm_id", "industry"]], on="firm_id"
    )
    for o in ("ceo", "coo", "cmo"):
        d[o] = (d["sponsor"] == o).astype(float)
    d["ex_dev_lag"] = d["ex_lag"] - d["firm_ex_effect"]
    d["growth_lag_c"] = d["revenue_growth_lag"] - study.params.growth_mean
    fits = {
        "cx": smf.ols(
            "cx ~ ex + ex_lag + has_cx_leader + ceo + coo + cmo + cx_commitment + firm_cx_effect",
            d,
        ).fit(),
        "ex": smf.ols(
            "ex ~ ex_dev_lag + cx_lag + growth_lag_c + has_cx_leader + firm_ex_effect", d
        ).fit(),
        "g": smf.ols("revenue_growth ~ cx + has_cx_leader + baseline_growth + C(year)", d).fit(),
    }
    t = study.truth
    checks = [
        ("cx", "ex", t["ex_to_cx"]),
        ("cx", "ex_lag", t["ex_lag_to_cx"]),
        ("cx", "has_cx_leader", t["leader_effect_cx"]),
        ("cx", "ceo", t["owner_effect_ceo"]),
        ("cx", "coo", t["owner_effect_coo"]),
        ("cx", "cmo", t["owner_effect_cmo"]),
        ("ex", "ex_dev_lag", t["rho_ex"]),
        ("ex", "cx_lag", t["cx_lag_to_ex"]),
        ("ex", "growth_lag_c", t["performance_lag_to_ex"]),
        ("g", "cx", t["cx_to_revenue_growth"]),
        ("g", "has_cx_leader", t["leader_effect_revenue_growth"]),
    ]
    for eq, term, true in checks:
        lo, hi = fits[eq].conf_int(alpha=0.01).loc[term]
        assert lo <= true <= hi, (eq, term, true, lo, hi)
    # log-linear outcomes: percent effects per SD of CX
    m = smf.ols("np.log(contacts_per_customer) ~ cx + has_cx_leader + C(industry)", d).fit()
    lo, hi = 100 * np.expm1(m.conf_int(alpha=0.01).loc["cx"])
    assert lo <= t["cx_to_contacts"] <= hi
    m = smf.ols("np.log(cost_to_serve) ~ cx + C(industry)", d).fit()
    lo, hi = 100 * np.expm1(m.conf_int(alpha=0.01).loc["cx"])
    assert lo <= t["cx_to_cost_to_serve"] <= hi
    m = smf.ols("np.log(employee_turnover) ~ ex + C(industry)", d).fit()
    lo, hi = 100 * np.expm1(m.conf_int(alpha=0.01).loc["ex"])
    assert lo <= t["ex_to_turnover"] <= hi


def _firm_year_reliability(df: pd.DataFrame, col: str) -> tuple[pd.Series, float]:
    """Firm-year means and their reliability tau^2 / Var(means) from one-way ANOVA."""
    g = df.dropna(subset=[col]).groupby(["firm_id", "year"])[col]
    means, n, var = g.mean(), g.size(), g.var(ddof=1)
    msw = float(((n - 1) * var).sum() / (n.sum() - len(n)))
    tau2 = float(means.var(ddof=1) - msw * np.mean(1 / n))
    return means, tau2 / float(means.var(ddof=1))


def test_observed_surveys_recover_ex_to_cx_and_cx_to_growth() -> None:
    """From the survey items alone (no answer key), with Spearman's correction.

    A simple DGP (no reverse paths, lags or leaders) makes the single-regressor correction
    exact up to the discretisation of Likert answers, which attenuates slightly (~3%).
    """
    p = StudyParams(
        n_firms=1500,
        cx_lag_to_ex=0.0,
        performance_lag_to_ex=0.0,
        ex_lag_to_cx=0.0,
        leader_effect_cx=0.0,
        leader_effect_ex=0.0,
        leader_effect_revenue_growth=0.0,
    )
    s = simulate_study(p, seed=0)
    e = s.employees.copy()
    e["culture_4"] = 6 - e["culture_4"]
    e["ex_obs"] = e[list(CULTURE_ITEMS)].astype(float).mean(axis=1)
    c = s.customers.copy()
    z = {v: (c[v] - c[v].mean()) / c[v].std() for v in ("nps", "csat")}
    c["cx_obs"] = pd.concat(z, axis=1).astype(float).mean(axis=1)
    ex_m, rel_x = _firm_year_reliability(e, "ex_obs")
    cx_m, rel_y = _firm_year_reliability(c, "cx_obs")
    assert 0.5 < rel_x < 0.8 and 0.5 < rel_y < 0.8  # realistic, not textbook-clean
    d = pd.concat([ex_m, cx_m], axis=1).reset_index().merge(s.firm_years, on=["firm_id", "year"])
    d["exz"] = (d["ex_obs"] - d["ex_obs"].mean()) / d["ex_obs"].std()
    d["cxz"] = (d["cx_obs"] - d["cx_obs"].mean()) / d["cx_obs"].std()
    groups = {"groups": pd.factorize(d["firm_id"])[0]}
    naive = smf.ols("cxz ~ exz", d).fit(cov_type="cluster", cov_kwds=groups)
    target = s.truth["ex_to_cx"] * s.truth["sd_ex_latent"] / s.truth["sd_cx_latent"]
    assert naive.conf_int().loc["exz", 1] < target  # uncorrected: attenuated
    lo, hi = naive.conf_int().loc["exz"] / np.sqrt(rel_x * rel_y)
    assert lo <= target <= hi
    g = smf.ols("revenue_growth ~ cxz + C(year)", d).fit(cov_type="cluster", cov_kwds=groups)
    scale = s.truth["sd_cx_latent"] * np.sqrt(rel_y)
    lo, hi = g.conf_int().loc["cxz"] / scale
    assert lo <= s.truth["cx_to_revenue_growth"] <= hi


@pytest.mark.parametrize("selection", [0.0, 2.5])
def test_selection_biases_naive_comparison_not_within_firm(selection: float) -> None:
    p = StudyParams(selection_on_growth=selection, selection_on_commitment=0.0)
    s = simulate_study(p, seed=21)
    gap = s.truth["selection_gap_growth_pp"]
    d = s.firm_years
    naive = d.groupby("has_cx_leader")["revenue_growth"].mean().diff().iloc[-1]
    twfe = smf.ols("cx ~ has_cx_leader + C(firm_id) + C(year)", d.merge(s.latent)).fit()
    lo, hi = twfe.conf_int(alpha=0.01).loc["has_cx_leader"]
    assert lo <= s.truth["leader_total_effect_cx"] <= hi
    if selection == 0.0:
        assert abs(gap) < 1.5
    else:
        assert gap > 3.0  # appointers were growing ~1 SD faster already
        assert naive > s.truth["leader_total_effect_revenue_growth"] + 1.5


def test_invalid_params_raise_naming_the_field() -> None:
    with pytest.raises(ValueError, match="n_firms"):
        simulate_study(StudyParams(n_firms=1))
    with pytest.raises(ValueError, match="icc_employees"):
        simulate_study(StudyParams(icc_employees=0.99))


def test_summary_to_frame_and_params_dict(study: Study) -> None:
    frame = study.to_frame()
    assert list(frame.columns) == ["name", "value"]
    assert frame.set_index("name").loc["ex_to_cx", "value"] == study.params.ex_to_cx
    assert "customers:" in study.summary()
    assert study.params.to_dict()["industry_probs"] == list(study.params.industry_probs)


def test_vocabulary_comes_from_the_contract() -> None:
    from cxresearch.simulate import study as st

    for name in ("INDUSTRIES", "SIZE_BANDS", "OWNERS", "CULTURE_ITEMS", "ENGAGEMENT_ITEMS",
                 "REVERSE_KEYED"):  # fmt: skip
        assert name not in st.__all__, name  # one home: cxresearch.core.contract
    with pytest.raises(TypeError, match="seed"):
        simulate_study(SMALL, seed=1.5)  # type: ignore[arg-type]
