"""Tests for cxresearch.linkage.mediation: statsmodels' Mediation (ACME), seeded bootstrap
coverage, and
lavaan 0.6.14 for the latent chain.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import simulate as sim
from cxresearch.linkage import mediation as md


def _chain(n: int, a: float, b: float, c: float, rng: np.random.Generator) -> pd.DataFrame:
    ex = rng.normal(size=n)
    cx = a * ex + rng.normal(size=n)
    y = b * cx + c * ex + rng.normal(size=n)
    return pd.DataFrame({"ex": ex, "cx": cx, "y": y})


def test_mediation_matches_statsmodels_acme_and_decomposes() -> None:
    import statsmodels.api as sm
    from statsmodels.stats.mediation import Mediation

    d = _chain(400, 0.5, 0.4, 0.2, np.random.default_rng(5))
    res = md.mediation(d, "ex", "cx", "y", n_boot=300, seed=1)
    e = res.to_frame().set_index("effect")["estimate"]
    assert e["total"] == pytest.approx(e["direct"] + e["indirect"], abs=1e-10)
    out_model = sm.OLS(d["y"], sm.add_constant(d[["ex", "cx"]]))
    med_model = sm.OLS(d["cx"], sm.add_constant(d[["ex"]]))
    # the reference's own draws, seeded (without rng= statsmodels draws fresh entropy, and its
    # upper bound moved from 0.28 to 0.32 between runs)
    sm_res = Mediation(out_model, med_model, "ex", "cx").fit(n_rep=400, rng=0).summary()
    acme = float(sm_res.loc["ACME (average)", "Estimate"])
    assert res.indirect == pytest.approx(acme, abs=0.03)
    lo, hi = sm_res.loc["ACME (average)", ["Lower CI bound", "Upper CI bound"]]
    row = res.to_frame().set_index("effect").loc["indirect"]
    assert row.ci_low == pytest.approx(lo, abs=0.05)
    assert row.ci_high == pytest.approx(hi, abs=0.05)


def test_mediation_bootstrap_coverage_quick() -> None:
    rng = np.random.default_rng(17)
    hits, ests = [], []
    for r in range(120):
        d = _chain(150, 0.4, 0.4, 0.1, rng)
        res = md.mediation(d, "ex", "cx", "y", n_boot=200, seed=r)
        row = res.to_frame().set_index("effect").loc["indirect"]
        hits.append(row.ci_low < 0.16 < row.ci_high)
        ests.append(row.estimate)
    assert 0.88 <= np.mean(hits) <= 0.99  # 120 draws: allow Monte-Carlo error around .95
    assert abs(np.mean(ests) - 0.16) < 3 * np.std(ests) / np.sqrt(len(ests))


def test_cluster_bootstrap_wider_than_iid_when_clusters_share_shocks() -> None:
    rng = np.random.default_rng(4)
    n_g, size = 40, 6
    g = np.repeat(np.arange(n_g), size)
    ex = rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    cx = 0.5 * ex + rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    y = 0.5 * cx + rng.normal(size=n_g)[g] + 0.3 * rng.normal(size=len(g))
    d = pd.DataFrame({"firm": g, "ex": ex, "cx": cx, "y": y})
    iid = md.mediation(d, "ex", "cx", "y", n_boot=300, seed=0).to_frame().set_index("effect")
    clu = md.mediation(d, "ex", "cx", "y", cluster="firm", n_boot=300, seed=0)
    assert clu.to_frame().set_index("effect").loc["indirect", "se"] > iid.loc["indirect", "se"]
    assert "cluster bootstrap" in clu.summary()


def test_mediation_categorical_covariates_equal_manual_dummies() -> None:
    rng = np.random.default_rng(14)
    d = _chain(300, 0.5, 0.4, 0.0, rng)
    d["industry"] = rng.choice(["retail", "banking", "telecom"], 300)
    d["y"] = d["y"] + 1.0 * (d["industry"] == "banking")
    cat = md.mediation(d, "ex", "cx", "y", covariates=["industry"], n_boot=50, seed=0)
    dummies = pd.get_dummies(d["industry"], drop_first=True, dtype=float)
    manual = md.mediation(pd.concat([d, dummies], axis=1), "ex", "cx", "y",
                          covariates=list(dummies.columns), n_boot=50, seed=0)
    pd.testing.assert_frame_equal(cat.to_frame(), manual.to_frame())


def test_sem_chain_recovers_paths_in_latent_data() -> None:
    d = sim.simulate_latent_chain(n=600, seed=9)
    out = md.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    out = out.to_frame().set_index("path")
    for path, true in [("a", 0.5), ("b", 0.4), ("direct", 0.1), ("indirect", 0.2)]:
        assert out.loc[path, "ci_low"] < true < out.loc[path, "ci_high"], path
    # the scale-score mediation is attenuated by item noise; the latent model is not
    d["ex_score"] = d[["e0", "e1", "e2"]].mean(axis=1)
    d["cx_score"] = d[["c0", "c1", "c2"]].mean(axis=1)
    naive = md.mediation(d, "ex_score", "cx_score", "y", n_boot=50, seed=0)
    assert abs(out.loc["b", "estimate"] - 0.4) < abs(
        naive.to_frame().set_index("effect").loc["b", "estimate"] - 0.4
    )


# lavaan 0.6.14 on R 4.2.2 (scripts/r/sem_chain_reference.R) on
# simulate_latent_chain(n=600, seed=9), the same data as the old rng=9:
# parameterEstimates() and standardizedSolution() of the same model, ML, expected information.
_LAVAAN_RAW = {
    "a": (0.513954333550788, 0.0425796246131741),
    "b": (0.404157917824761, 0.0651497898647415),
    "direct": (0.0534346691699178, 0.0556727312720316),
    "indirect": (0.207718713304899, 0.0365534030588639),
}


_LAVAAN_STD = {
    "a": (0.585174443921328, 0.034601668893841),
    "b": (0.350856234573794, 0.0533530252935709),
    "direct": (0.0528155796385693, 0.0549648377236197),
    "indirect": (0.205312101963051, 0.0345244598717288),
}


@pytest.mark.parametrize("standardized", [False, True])
def test_sem_chain_matches_lavaan(standardized: bool) -> None:
    d = sim.simulate_latent_chain(n=600, seed=9)
    out = md.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                      standardized=standardized).to_frame().set_index("path")
    ref = _LAVAAN_STD if standardized else _LAVAAN_RAW
    for path, (est, se) in ref.items():
        assert out.loc[path, "estimate"] == pytest.approx(est, abs=2e-6), path
        assert out.loc[path, "se"] == pytest.approx(se, rel=1e-4), path
    assert out["cfi"].iloc[0] == pytest.approx(0.995, abs=5e-4)
    assert out["rmsea"].iloc[0] == pytest.approx(0.035, abs=5e-4)


def test_sem_chain_is_scale_free_and_settled() -> None:
    """Rescaling a column (pp vs fraction, 1-5 vs 0-100) changes nothing standardized, and the
    raw-unit paths change exactly by the ratio of scales: the fit is settled, not stopped early."""
    d = sim.simulate_latent_chain(n=600, seed=9)
    base = md.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                       standardized=True).to_frame().set_index("path")
    d2 = d.assign(y=d["y"] * 100.0, e0=d["e0"] * 0.01 + 3.0)
    other = md.sem_service_profit_chain(d2, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y",
                                        standardized=True).to_frame().set_index("path")
    np.testing.assert_allclose(other[["estimate", "se"]], base[["estimate", "se"]], atol=1e-7)
    raw = md.sem_service_profit_chain(d2, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    ref = _LAVAAN_RAW["b"][0] * 100.0
    assert raw.to_frame().set_index("path").loc["b", "estimate"] == pytest.approx(ref, rel=1e-5)


def test_sem_chain_level_and_errors() -> None:
    d = sim.simulate_latent_chain(n=300, seed=1)
    wide = md.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=0.99)
    narrow = md.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=0.90)
    assert "99% CIs" in wide.summary() and "raw units" in wide.summary()
    np.testing.assert_allclose(wide.conf_int(0.90)[["ci_low", "ci_high"]],
                               narrow.to_frame()[["ci_low", "ci_high"]], rtol=1e-12)
    wide, narrow = wide.to_frame(), narrow.to_frame()
    assert (wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]).all()
    with pytest.raises(ValueError, match="do not vary"):
        md.sem_service_profit_chain(d.assign(y=1.0), ["e0", "e1"], ["c0", "c1"], "y")
    with pytest.raises(ValueError, match="level"):
        md.sem_service_profit_chain(d, ["e0", "e1"], ["c0", "c1"], "y", level=95)


def test_conf_int_recomputes_the_percentile_interval_at_another_level() -> None:
    d = _chain(200, 0.5, 0.4, 0.1, np.random.default_rng(8))
    r95 = md.mediation(d, "ex", "cx", "y", n_boot=200, seed=3)
    r80 = md.mediation(d, "ex", "cx", "y", n_boot=200, seed=3, level=0.80)
    f80 = r80.to_frame().set_index("effect")
    ci = r95.conf_int(0.80).set_index("effect")
    for eff in ("a", "b", "direct", "total", "indirect"):
        assert ci.loc[eff, "ci_low"] == pytest.approx(f80.loc[eff, "ci_low"], rel=1e-12)
        assert ci.loc[eff, "ci_high"] == pytest.approx(f80.loc[eff, "ci_high"], rel=1e-12)
    # the percentile interval by hand from the draws
    lo, hi = np.quantile(r95.boot_indirect, [0.1, 0.9])
    assert (ci.loc["indirect", "ci_low"], ci.loc["indirect", "ci_high"]) == pytest.approx((lo, hi))
    default = r95.conf_int().set_index("effect")
    assert default.loc["indirect", "ci_low"] == r95.to_frame().set_index("effect").loc[
        "indirect", "ci_low"]
    assert "80% CI" in r80.summary() and "95% CI" in r95.summary()
