"""Tests for cxresearch.linkage.ownership: raw group means (adjusted means without controls), the
HC3 SE of
a group mean, scipy z-scores, and seeded simulations with known confounding and coefficients.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxresearch.linkage import ownership as ow


def test_adjusted_means_without_controls_equal_raw_means() -> None:
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"cx_owner": rng.choice(["everyone", "ceo", "cx_leader", "cmo"], 200)})
    d["y"] = rng.normal(size=200) + (d["cx_owner"] == "ceo")
    res = ow.ownership_effects(d, "y", controls=())
    means = d.groupby("cx_owner")["y"].mean()
    adj = res.adjusted_means.set_index("owner")
    np.testing.assert_allclose(adj["adjusted_mean"], means.loc[adj.index], rtol=1e-10)
    con = res.contrasts.set_index("owner")
    for owner in con.index:
        assert con.loc[owner, "estimate"] == pytest.approx(means[owner] - means["everyone"])
    # one categorical regressor: leverage 1/n_g, so the HC3 SE of a group mean is sd/sqrt(n-1)
    n_ceo = int((d["cx_owner"] == "ceo").sum())
    sd = d.loc[d["cx_owner"] == "ceo", "y"].std(ddof=1)
    assert adj.loc["ceo", "se"] == pytest.approx(sd / np.sqrt(n_ceo - 1), rel=1e-8)


def test_controls_remove_confounding_by_industry() -> None:
    rng = np.random.default_rng(6)
    n = 2000
    industry = rng.choice(["software", "retail"], n)
    p_leader = np.where(industry == "software", 0.7, 0.2)
    owner = np.where(rng.random(n) < p_leader, "cx_leader", "everyone")
    y = 0.2 * (owner == "cx_leader") + 2.0 * (industry == "software") + rng.normal(size=n)
    d = pd.DataFrame({"cx_owner": owner, "industry": industry, "y": y})
    raw = ow.ownership_effects(d, "y", controls=()).contrasts.set_index("owner")
    adj = ow.ownership_effects(d, "y", controls=["industry"]).contrasts.set_index("owner")
    assert raw.loc["cx_leader", "ci_low"] > 0.5
    assert adj.loc["cx_leader", "ci_low"] < 0.2 < adj.loc["cx_leader", "ci_high"]


def test_ownership_reference_must_exist() -> None:
    d = pd.DataFrame({"cx_owner": ["ceo", "cmo"] * 5, "y": np.arange(10.0)})
    with pytest.raises(ValueError, match="reference level 'everyone'"):
        ow.ownership_effects(d, "y", controls=())


def test_say_do_index_is_difference_of_z_scores() -> None:
    rng = np.random.default_rng(0)
    d = pd.DataFrame(
        {"stated_cx_priority": rng.integers(1, 6, 50), "cx_budget_share": rng.gamma(2, 1, 50)}
    )
    out = ow.say_do_index(d)
    z_say = stats.zscore(d["stated_cx_priority"], ddof=1)
    z_do = stats.zscore(d["cx_budget_share"], ddof=1)
    np.testing.assert_allclose(out["gap"], z_say - z_do)
    with pytest.raises(ValueError, match="no variation"):
        ow.say_do_index(d.assign(cx_budget_share=1.0))


def test_say_do_effects_recover_known_coefficients() -> None:
    rng = np.random.default_rng(12)
    n = 3000
    d = pd.DataFrame(
        {"stated_cx_priority": rng.integers(1, 6, n), "cx_budget_share": rng.gamma(2, 1, n)}
    )
    idx = ow.say_do_index(d)
    d["y"] = 0.1 * idx["say"] + 0.5 * idx["do"] + rng.normal(size=n)
    out = ow.say_do_effects(d, "y").set_index(["model", "term"])
    for term, true in [("say", 0.1), ("do", 0.5)]:
        row = out.loc[("say + do", term)]
        assert row.ci_low < true < row.ci_high


def test_level_and_conf_int_of_the_ownership_result() -> None:
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"cx_owner": rng.choice(["everyone", "ceo", "cx_leader"], 150)})
    d["y"] = rng.normal(size=150) + (d["cx_owner"] == "cx_leader")
    r95 = ow.ownership_effects(d, "y", controls=())
    r90 = ow.ownership_effects(d, "y", controls=(), level=0.90)
    t = stats.t.ppf(0.95, 150 - 3)
    c = r90.contrasts
    np.testing.assert_allclose(c["ci_high"], c["estimate"] + t * c["se"], rtol=1e-12)
    np.testing.assert_allclose(r95.conf_int(0.90)[["ci_low", "ci_high"]],
                               c[["ci_low", "ci_high"]], rtol=1e-12)
    np.testing.assert_allclose(r95.conf_int(0.90, which="adjusted_means")["ci_low"],
                               r90.adjusted_means["ci_low"], rtol=1e-12)
    assert isinstance(r95.summary(), str) and "95% CIs" in r95.summary()
    with pytest.raises(ValueError, match="which"):
        r95.conf_int(which="means")
    sd = ow.say_do_effects(d.assign(stated_cx_priority=rng.integers(1, 6, 150),
                                    cx_budget_share=rng.gamma(2, 1, 150)), "y", level=0.5)
    assert (sd["ci_high"] - sd["ci_low"] < 2 * sd["se"]).all()


def _clustered_null(rng: np.random.Generator, n_ref: int, n_other: int, years: int = 5
                    ) -> pd.DataFrame:
    """Firm-years of firms nested in two owner groups, firm effects, no owner effect."""
    firms = np.arange(n_ref + n_other)
    owner = np.where(firms < n_ref, "everyone", "ceo")
    d = pd.DataFrame({"firm_id": np.repeat(firms, years), "cx_owner": np.repeat(owner, years)})
    d["y"] = rng.normal(0, 1, len(firms))[d["firm_id"]] + rng.normal(0, 1, len(d))
    return d


def test_clustered_contrast_uses_the_smaller_groups_clusters() -> None:
    rng = np.random.default_rng(21)
    d = _clustered_null(rng, 8, 40)
    res = ow.ownership_effects(d, "y", controls=(), cluster="firm_id")
    row = res.contrasts.iloc[0]
    assert row["df"] == 7.0  # 8 reference firms - 1
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(abs(row["estimate"] / row["se"]), 7))
    half = stats.t.ppf(0.975, 7) * row["se"]
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(row["estimate"] - half),
                                               pytest.approx(row["estimate"] + half))
    ci = res.conf_int().iloc[0]
    assert (ci["ci_low"], ci["ci_high"]) == (pytest.approx(row["ci_low"]),
                                             pytest.approx(row["ci_high"]))
    # without cluster: residual df, no df column
    assert "df" not in ow.ownership_effects(d, "y", controls=()).contrasts


def test_clustered_contrast_with_a_small_group_keeps_its_false_alarm_rate() -> None:
    """Seeded null studies with 8 reference firms: t on all clusters - 1 over-rejects; t on the
    smaller group's clusters - 1 stays near the nominal 5%."""
    rng = np.random.default_rng(22)
    new = old = 0
    n_sim = 150
    for _ in range(n_sim):
        d = _clustered_null(rng, 8, 40)
        r = ow.ownership_effects(d, "y", controls=(), cluster="firm_id").contrasts.iloc[0]
        t = abs(r["estimate"] / r["se"])
        new += r["p_value"] < 0.05
        old += 2 * stats.t.sf(t, 48 - 1) < 0.05
    assert new <= old
    assert new / n_sim <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / n_sim)
