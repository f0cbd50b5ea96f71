"""Reliability, factor models and invariance against pingouin, semopy, lavaan and closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.contract import reverse_items
from cxresearch.core.paths import _SHARED_DIR as SHARED_DIR
from cxresearch.measurement import psychometrics as ps

MOBI = SHARED_DIR / "reference-data" / "ecsi_mobi" / "mobi.csv"
needs_mobi = pytest.mark.skipif(not MOBI.is_file(), reason="../shared/reference-data absent")
HS_MODEL = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
            "speed": ["x7", "x8", "x9"]}  # fmt: skip


@pytest.fixture(scope="module")
def hs() -> pd.DataFrame:
    from semopy.examples import holzinger39

    return holzinger39.get_data()


def _congeneric(n: int, lam: np.ndarray, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    f = rng.standard_normal(n)
    x = f[:, None] * lam + rng.standard_normal((n, lam.size)) * np.sqrt(1 - lam**2)
    return pd.DataFrame(x, columns=[f"q{i}" for i in range(lam.size)])


def test_alpha_matches_pingouin_on_real_items() -> None:
    import pingouin as pg

    data = pg.read_dataset("cronbach_wide_missing").dropna()
    ours = ps.cronbach_alpha(data)
    ref_alpha, ref_ci = pg.cronbach_alpha(data)
    assert ours.alpha == pytest.approx(ref_alpha, abs=1e-12)
    assert [round(ours.ci_low, 3), round(ours.ci_high, 3)] == pytest.approx(list(ref_ci))


@needs_mobi
def test_alpha_and_omega_on_ecsi_items() -> None:
    import pingouin as pg
    import semopy

    mobi = pd.read_csv(MOBI, index_col=0)
    items = mobi[[f"PERQ{i}" for i in range(1, 8)]]
    ours = ps.cronbach_alpha(items, level=0.9)
    ref_alpha, ref_ci = pg.cronbach_alpha(items, ci=0.9)
    assert ours.alpha == pytest.approx(ref_alpha, abs=1e-12)
    assert [round(ours.ci_low, 3), round(ours.ci_high, 3)] == pytest.approx(list(ref_ci))
    # omega from statsmodels ML vs omega from semopy's one-factor CFA (standardized solution)
    z = (items - items.mean()) / items.std()
    m = semopy.Model("f =~ " + " + ".join(items.columns))
    m.fit(z)
    est = m.inspect(std_est=True)
    lam = est[(est["op"] == "~") & (est["rval"] == "f")]["Est. Std"].to_numpy(float)
    ref_omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert ps.mcdonald_omega(items).omega == pytest.approx(ref_omega, abs=2e-3)


def test_omega_equals_alpha_for_parallel_items_and_recovers_truth() -> None:
    lam = np.array([0.9, 0.75, 0.6, 0.45, 0.3])
    x = _congeneric(20000, lam, seed=5)
    true_omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    om = ps.mcdonald_omega(x)
    assert om.omega == pytest.approx(true_omega, abs=0.01)
    np.testing.assert_allclose(om.loadings, lam, atol=0.03)
    # alpha is a lower bound for congeneric items and equals omega for parallel items
    assert ps.cronbach_alpha(x).alpha < om.omega
    par = _congeneric(20000, np.full(5, 0.7), seed=6)
    assert ps.cronbach_alpha(par).alpha == pytest.approx(ps.mcdonald_omega(par).omega, abs=0.005)


def test_item_analysis_definitions_against_pingouin() -> None:
    import pingouin as pg

    x = _congeneric(300, np.array([0.8, 0.7, 0.6, 0.1]), seed=7)
    ia = ps.item_analysis(x)
    for item in x.columns:
        rest = x.drop(columns=item)
        assert ia.loc[item, "alpha_if_deleted"] == pytest.approx(pg.cronbach_alpha(rest)[0])
        assert ia.loc[item, "r_drop"] == pytest.approx(np.corrcoef(x[item], rest.sum(axis=1))[0, 1])
    assert ia["r_drop"].idxmin() == "q3"


def test_reverse_items() -> None:
    d = pd.DataFrame({"a": [1, 2, 5], "b": [3, 3, 3]})
    out = reverse_items(d, ["a"], 1, 5)
    assert out["a"].tolist() == [5, 4, 1] and d["a"].tolist() == [1, 2, 5]
    with pytest.raises(ValueError, match=r"column 'a': 1 value\(s\) outside 1..4 at rows \[2\]"):
        reverse_items(d, ["a"], 1, 4)


def test_cfa_matches_lavaan_holzinger_swineford(hs: pd.DataFrame) -> None:
    # lavaan tutorial (Rosseel 2012, JSS 48(2)), cfa(HS.model, data = HolzingerSwineford1939)
    res = ps.cfa(hs, HS_MODEL)
    assert res.fit["chi2"] == pytest.approx(85.306, abs=1e-3)
    assert res.fit["df"] == 24
    assert res.fit["cfi"] == pytest.approx(0.931, abs=5e-4)
    assert res.fit["tli"] == pytest.approx(0.896, abs=5e-4)
    assert res.fit["rmsea"] == pytest.approx(0.092, abs=5e-4)
    assert res.fit["srmr"] == pytest.approx(0.065, abs=5e-4)
    x2 = res.loadings.set_index("item").loc["x2"]
    assert x2["estimate"] == pytest.approx(0.554, abs=1e-3)  # lavaan: 0.554 (se 0.100)
    assert x2["std_estimate"] == pytest.approx(0.424, abs=1e-3)  # lavaan std.all 0.424
    assert res.factor_corr.loc["visual", "textual"] == pytest.approx(0.459, abs=1e-3)
    rel = res.reliability.loc["textual"]
    lam = res.loadings.query("factor == 'textual'")["std_estimate"]
    assert rel["ave"] == pytest.approx(float(np.mean(lam**2)))


def test_invariance_matches_lavaan_by_school(hs: pd.DataFrame) -> None:
    # lavaan tutorial, "Measurement invariance": configural 115.851 (48),
    # loadings 124.044 (54), intercepts 164.103 (60); diff tests p = .2244 and 4.4e-07.
    mi = ps.measurement_invariance(hs, HS_MODEL, "school").to_frame()
    assert mi["converged"].all()
    np.testing.assert_allclose(mi["chi2"], [115.851, 124.044, 164.103], atol=1e-3)
    assert mi["df"].tolist() == [48, 54, 60]
    assert mi.loc["metric", "delta_p"] == pytest.approx(0.2244, abs=1e-4)
    assert mi.loc["scalar", "delta_p"] == pytest.approx(4.435e-07, rel=1e-3)


def test_configural_equals_sum_of_single_group_fits(hs: pd.DataFrame) -> None:
    # Independent reference: semopy single-group ML fits (chi2 = n * F) add up to the
    # configural chi2.
    mi = ps.measurement_invariance(hs, HS_MODEL, "school", invariance=["configural"]).table
    total = sum(ps.cfa(g, HS_MODEL).fit["chi2"] for _, g in hs.groupby("school"))
    assert mi.loc["configural", "chi2"] == pytest.approx(total, abs=2e-3)


def test_invariance_detects_a_loading_difference() -> None:
    rng = np.random.default_rng(3)
    frames = []
    for g, lam4 in (("a", 0.8), ("b", 0.2)):
        f = rng.standard_normal(800)
        lam = np.array([0.8, 0.7, 0.7, lam4])
        x = f[:, None] * lam + rng.standard_normal((800, 4)) * 0.6
        frames.append(pd.DataFrame(x, columns=list("wxyz")).assign(grp=g))
    d = pd.concat(frames, ignore_index=True)
    mi = ps.measurement_invariance(d, {"f": list("wxyz")}, by="grp",
                                   invariance=["configural", "metric"]).table
    assert mi.loc["metric", "delta_p"] < 1e-6


def test_efa_recovers_structure_and_matches_sklearn_communalities() -> None:
    from sklearn.decomposition import FactorAnalysis

    rng = np.random.default_rng(8)
    n = 3000
    f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], size=n)
    lam = np.array([[0.8, 0], [0.7, 0], [0.6, 0], [0, 0.8], [0, 0.7], [0, 0.6]])
    x = f @ lam.T + rng.standard_normal((n, 6)) * np.sqrt(1 - (lam**2).sum(axis=1) - 0.0)
    d = pd.DataFrame(x, columns=[f"x{i}" for i in range(6)])
    res = ps.efa(d, 2, rotation="oblimin")
    top = res.loadings.abs().idxmax(axis=1)
    assert top.iloc[:3].nunique() == 1 and top.iloc[3:].nunique() == 1 and top.nunique() == 2
    est = res.loadings.to_numpy()
    if top.iloc[0] == "F2":
        est = est[:, ::-1]
    np.testing.assert_allclose(est, lam, atol=0.05)
    assert abs(res.factor_corr.iloc[0, 1]) == pytest.approx(0.3, abs=0.06)
    # unrotated ML communalities vs scikit-learn's ML factor analysis on standardized data
    un = ps.efa(d, 2, rotation=None)
    z = (d - d.mean()) / d.std(ddof=0)
    sk = FactorAnalysis(n_components=2, tol=1e-8, max_iter=5000).fit(z)
    np.testing.assert_allclose(un.communality, (sk.components_**2).sum(axis=0), atol=5e-3)


def test_parallel_analysis_on_holzinger(hs: pd.DataFrame) -> None:
    pa = ps.parallel_analysis(hs[[f"x{i}" for i in range(1, 10)]], n_boot=100, seed=1)
    assert int(pa["retain"].sum()) == 3  # the three-factor design
    np.testing.assert_allclose(pa["observed"].sum(), 9.0)


def test_composite_reliability_ave_and_htmt_closed_forms() -> None:
    assert ps.composite_reliability([0.7, 0.7, 0.7]) == pytest.approx(4.41 / (4.41 + 1.53))
    assert ps.average_variance_extracted([0.6, 0.8]) == pytest.approx(0.5)
    # tau-equivalent items: HTMT estimates the latent correlation (Henseler et al. 2015)
    rng = np.random.default_rng(9)
    f = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], size=40000)
    d = pd.DataFrame({f"{b}{i}": 0.7 * f[:, k] + 0.71 * rng.standard_normal(40000)
                      for k, b in enumerate("ab") for i in range(4)})  # fmt: skip
    h = ps.htmt(d, {"A": [f"a{i}" for i in range(4)], "B": [f"b{i}" for i in range(4)]})
    assert h.loc["A", "B"] == pytest.approx(0.4, abs=0.02)
    with pytest.raises(ValueError, match="at least two items"):
        ps.htmt(d, {"A": ["a0"], "B": ["b0", "b1"]})


def test_missing_and_bad_input() -> None:
    x = _congeneric(50, np.array([0.7, 0.7, 0.7]), seed=1)
    x.loc[[4, 9], "q1"] = np.nan
    res = ps.cronbach_alpha(x)
    assert res.n == 48 and res.n_dropped == 2
    with pytest.raises(ValueError, match=r"2 row\(s\) with missing items at rows \[4, 9\]"):
        ps.cronbach_alpha(x, missing="raise")
    with pytest.raises(ValueError, match="at least 2 item"):
        ps.cronbach_alpha(x[["q0"]])
    with pytest.raises(ValueError, match="constant"):
        ps.cronbach_alpha(x.assign(q2=1.0))
    with pytest.raises(ValueError, match="n_factors"):
        ps.efa(x.dropna(), 3)


def test_efa_is_deterministic_for_the_same_data():
    """statsmodels draws ML starting values at random; the package fixes them (reruns match)."""
    rng = np.random.default_rng(11)
    f = rng.normal(size=(400, 2))
    x = pd.DataFrame(
        f @ np.array([[0.8, 0.7, 0.6, 0, 0, 0], [0, 0, 0, 0.7, 0.6, 0.8]])
        + rng.normal(scale=0.6, size=(400, 6)),
        columns=[f"i{k}" for k in range(6)],
    )
    first = ps.efa(x, n_factors=2, rotation="oblimin").loadings
    for _ in range(3):
        pd.testing.assert_frame_equal(ps.efa(x, n_factors=2, rotation="oblimin").loadings, first,
                                      check_exact=True)


def test_results_protocol(hs: pd.DataFrame) -> None:
    x = _congeneric(400, np.array([0.8, 0.7, 0.6, 0.5]), seed=12)
    a = ps.cronbach_alpha(x)
    assert isinstance(a.summary(), str) and a.level == 0.95
    ci = a.conf_int()
    assert list(ci.columns) == ["estimate", "ci_low", "ci_high"]
    assert (ci["ci_low"].item(), ci["ci_high"].item()) == (a.ci_low, a.ci_high)
    # Feldt at another level, against pingouin
    import pingouin as pg

    ref = pg.cronbach_alpha(x, ci=0.8)[1]
    assert [round(v, 3) for v in a.conf_int(level=0.8).iloc[0, 1:]] == pytest.approx(list(ref))
    at80 = ps.cronbach_alpha(x, level=0.8)
    assert "level" in at80.to_frame().columns and "ci" not in at80.to_frame().columns
    efa = ps.efa(hs[[f"x{i}" for i in range(1, 10)]], 3)
    assert isinstance(efa.summary(), str) and "3 factor(s) from 9 items" in efa.summary()
    assert list(efa.loadings_table().columns) == ["F1", "F2", "F3", "h2"]
    assert isinstance(ps.mcdonald_omega(x).summary(), str)
    res = ps.cfa(hs, HS_MODEL)
    wald = res.conf_int(level=0.9).set_index("item").loc["x2"]
    assert wald["ci_low"] == pytest.approx(wald["estimate"] - 1.6448536 * wald["se"])
    assert res.conf_int()["ci_low"].isna().sum() == 3  # the marker items have no SE
    mi = ps.measurement_invariance(hs, HS_MODEL, by="school", invariance=["configural"])
    assert mi.by == "school" and len(mi.groups) == 2 and mi.table.index.name == "invariance"
    assert "configural: chi2(48) = 115.85" in mi.summary()


def test_cfa_fit_is_settled_to_the_tolerance(hs: pd.DataFrame) -> None:
    # A tight tolerance makes the solution independent of the start: perturbing the data's
    # order (a different floating-point summation) leaves chi2 and loadings unchanged to 1e-6.
    a = ps.cfa(hs, HS_MODEL)
    b = ps.cfa(hs.iloc[::-1], HS_MODEL)
    assert a.fit["chi2"] == pytest.approx(b.fit["chi2"], abs=1e-6)
    np.testing.assert_allclose(a.loadings["estimate"], b.loadings["estimate"], atol=1e-6)
    assert a.fit["chi2"] == pytest.approx(85.3055, abs=1e-4)  # lavaan: 85.306


def test_factor_ml_fits_are_settled_to_the_tolerance() -> None:
    # Rescaling the items changes every floating-point operation but not the correlations the
    # ML factor model fits: the loadings must agree far below their printed precision.
    rng = np.random.default_rng(13)
    f = rng.normal(size=(600, 2))
    x = pd.DataFrame(f @ np.array([[0.8, 0.7, 0.6, 0, 0, 0], [0, 0, 0, 0.7, 0.6, 0.8]])
                     + rng.normal(scale=0.6, size=(600, 6)), columns=[f"i{k}" for k in range(6)])
    scaled = x * 7.0 + 3.0
    a, b = ps.efa(x, 2, rotation="oblimin"), ps.efa(scaled, 2, rotation="oblimin")
    np.testing.assert_allclose(a.loadings, b.loadings, atol=1e-5)
    om_a, om_b = ps.mcdonald_omega(x.iloc[:, :3]), ps.mcdonald_omega(scaled.iloc[:, :3])
    assert om_a.omega == pytest.approx(om_b.omega, abs=1e-6)
