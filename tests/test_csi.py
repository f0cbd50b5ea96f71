"""PLS path models against seminr's output, closed forms and a simulated truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.paths import _SHARED_DIR as SHARED_DIR
from cxresearch.measurement import csi
from cxresearch.simulate.ecsi import EcsiParams, simulate_ecsi_survey

MOBI = SHARED_DIR / "reference-data" / "ecsi_mobi" / "mobi.csv"
needs_mobi = pytest.mark.skipif(not MOBI.is_file(), reason="../shared/reference-data absent")

# seminr output for the basic mobi model (path scheme, standardized data, Quality in mode B),
# from GoogleCloudPlatform/plspm-python tests/data/seminr-mobi-basic-{paths,outer-model}.csv
# (commit f53c5ba8528edf34ded4c40c6f275fcee4b8ab51); see ../shared/reference-data/ecsi_mobi.
SEMINR_PATHS = {
    ("Image", "Expectation"): 0.512876954138615,
    ("Expectation", "Loyalty"): 0.124534792831633,
    ("Quality", "Loyalty"): 0.405693671851465,
    ("Complaints", "Loyalty"): 0.176081956818542,
}
SEMINR_OUTER = {  # item: (weight, loading)
    "IMAG1": (0.289315133055235, 0.738146832100829),
    "IMAG2": (0.302049292567551, 0.628057636334134),
    "IMAG3": (0.239056557053925, 0.584994323749385),
    "IMAG4": (0.306197698970417, 0.755321624185593),
    "IMAG5": (0.307935309510133, 0.73266724244498),
    "CUEX1": (0.486195010983096, 0.750620088913199),
    "CUEX2": (0.561419220295048, 0.760693713932964),
    "CUEX3": (0.381323454524026, 0.545427204646342),
    "PERQ1": (0.407033650980277, 0.848331559563572),
    "PERQ2": (0.166397958325427, 0.613093727616285),
    "PERQ3": (0.38465728634974, 0.840292545241395),
    "PERQ4": (0.0740065406659367, 0.654863987061899),
    "PERQ5": (0.0521512126128109, 0.670785747101997),
    "PERQ6": (-0.0862475048715799, 0.610190554740549),
    "PERQ7": (0.247567714116287, 0.802363177633337),
    "CUSCO": (1.0, 1.0),
    "CUSL1": (0.455294149865501, 0.817374915589384),
    "CUSL2": (0.117887757261553, 0.205795369057261),
    "CUSL3": (0.658305669437138, 0.916889001865127),
}
BASIC = ["Image", "Expectation", "Quality", "Complaints", "Loyalty"]
#: the small model whose seminr output is the reference (Quality in mode B)
MOBI_BASIC_PATHS = (("Image", "Expectation"), ("Expectation", "Loyalty"), ("Quality", "Loyalty"),
                    ("Complaints", "Loyalty"))
MOBI_BASIC_MODES = {"Quality": "B"}


@pytest.fixture(scope="module")
def mobi() -> pd.DataFrame:
    return pd.read_csv(MOBI, index_col=0)


@needs_mobi
def test_matches_seminr_on_ecsi_mobi(mobi: pd.DataFrame) -> None:
    blocks = {c: csi.ECSI_BLOCKS[c] for c in BASIC}
    fit = csi.fit_pls(mobi, blocks, MOBI_BASIC_PATHS, modes=MOBI_BASIC_MODES)
    assert fit.converged
    got = {(r.source, r.target): r.estimate for r in fit.paths.itertuples()}
    for key, ref in SEMINR_PATHS.items():
        assert got[key] == pytest.approx(ref, abs=1e-6), key
    w = fit.weights.set_index("item")["weight"]
    lo = fit.loadings.set_index("item")["loading"]
    for item, (ref_w, ref_l) in SEMINR_OUTER.items():
        assert w[item] == pytest.approx(ref_w, abs=1e-6), item
        assert lo[item] == pytest.approx(ref_l, abs=1e-6), item


@needs_mobi
def test_full_ecsi_model_schemes_and_effects(mobi: pd.DataFrame) -> None:
    fits = {s: csi.fit_pls(mobi, csi.ECSI_BLOCKS, csi.ECSI_PATHS, scheme=s)
            for s in ("path", "centroid", "factorial")}  # fmt: skip
    for fit in fits.values():
        assert fit.converged
        assert set(fit.r2.index) == {"Expectation", "Quality", "Value", "Satisfaction",
                                     "Complaints", "Loyalty"}  # fmt: skip
    # R^2 of an endogenous construct equals the squared correlation with its OLS prediction
    fit = fits["path"]
    y = fit.scores("standardized")
    pred = [s for s, t in csi.ECSI_PATHS if t == "Satisfaction"]
    coef = np.linalg.lstsq(y[pred].to_numpy(), y["Satisfaction"].to_numpy(), rcond=None)[0]
    np.testing.assert_allclose(
        fit.paths.set_index("source").query("target == 'Satisfaction'").loc[pred, "estimate"],
        coef, atol=1e-10,
    )  # fmt: skip
    fitted = y[pred].to_numpy() @ coef
    assert fit.r2["Satisfaction"] == pytest.approx(
        np.corrcoef(fitted, y["Satisfaction"])[0, 1] ** 2, abs=1e-10
    )
    eff = fit.effects().set_index(["source", "target"])
    p = fit.paths.set_index(["source", "target"])["estimate"]
    # Complaints -> Loyalty has no indirect route; Satisfaction -> Loyalty goes via Complaints
    assert eff.loc[("Complaints", "Loyalty"), "indirect"] == pytest.approx(0, abs=1e-12)
    assert eff.loc[("Satisfaction", "Loyalty"), "total"] == pytest.approx(
        p[("Satisfaction", "Loyalty")]
        + p[("Satisfaction", "Complaints")] * p[("Complaints", "Loyalty")], abs=1e-12
    )  # fmt: skip


def _two_blocks(seed: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    rng = np.random.default_rng(seed)
    n = 400
    f = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], size=n)
    x = {f"a{i}": (0.5 + 0.1 * i) * f[:, 0] + rng.standard_normal(n) for i in range(4)}
    x |= {f"b{i}": (0.8 - 0.1 * i) * f[:, 1] + rng.standard_normal(n) for i in range(3)}
    return pd.DataFrame(x), {"A": [f"a{i}" for i in range(4)], "B": [f"b{i}" for i in range(3)]}


@pytest.mark.parametrize("scheme", ["path", "centroid", "factorial"])
def test_two_blocks_mode_a_is_first_singular_pair(scheme: str) -> None:
    # Closed form (Wold 1985; Tenenhaus et al. 2005, sec. 3): with two mode-A blocks, the outer
    # weights are the first singular vectors of the cross-correlation matrix X1'X2.
    data, blocks = _two_blocks(1)
    fit = csi.fit_pls(data, blocks, [("A", "B")], scheme=scheme)
    z = (data - data.mean()) / data.std()
    u, _sv, vt = np.linalg.svd(z[blocks["A"]].T.to_numpy() @ z[blocks["B"]].to_numpy())
    w = fit.weights.set_index("item")["weight"]
    for vec, items in ((u[:, 0], blocks["A"]), (vt[0], blocks["B"])):
        got = w[items].to_numpy()
        vec = vec * np.sign(vec.sum())
        np.testing.assert_allclose(got / np.linalg.norm(got), vec / np.linalg.norm(vec), atol=1e-8)


def test_two_blocks_mode_b_is_canonical_correlation() -> None:
    # Closed form: two mode-B blocks give the first canonical variates (Wold 1985); the path
    # coefficient is the first canonical correlation, sqrt of the top eigenvalue of
    # R11^-1 R12 R22^-1 R21.
    data, blocks = _two_blocks(2)
    fit = csi.fit_pls(data, blocks, [("A", "B")], modes={"A": "B", "B": "B"})
    r = data.corr().to_numpy()
    a, b = slice(0, 4), slice(4, 7)
    m = np.linalg.solve(r[a, a], r[a, b]) @ np.linalg.solve(r[b, b], r[b, a])
    canon = np.sqrt(np.max(np.linalg.eigvals(m).real))
    assert fit.paths["estimate"].iloc[0] == pytest.approx(canon, abs=1e-8)


def test_recovers_simulated_truth_with_plsc_and_plain_pls_attenuates() -> None:
    s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=20000, seed=11)
    plsc = csi.fit_pls(s.data, s.blocks, s.path_list(), consistent=True)
    merged = plsc.paths.merge(s.paths, on=["source", "target"], suffixes=("", "_true"))
    np.testing.assert_allclose(merged["estimate"], merged["estimate_true"], atol=0.03)
    lm = plsc.loadings.merge(s.loadings, on=["construct", "item"])
    np.testing.assert_allclose(lm["loading_x"], lm["loading_y"], atol=0.03)
    # plain PLS: the strongest paths are attenuated, loadings of weak items inflated
    pls = csi.fit_pls(s.data, s.blocks, s.path_list())
    big = merged["estimate_true"] >= 0.4
    plain = pls.paths.merge(s.paths, on=["source", "target"], suffixes=("", "_true"))
    assert (plain.loc[big, "estimate"] < plain.loc[big, "estimate_true"]).all()


def test_bootstrap_intervals_and_index_scores() -> None:
    s = simulate_ecsi_survey(n=250, seed=4)
    fit = csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, n_boot=60, seed=3,
                      scale_range=(1, 10))  # fmt: skip
    again = csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, n_boot=60, seed=3,
                        scale_range=(1, 10))  # fmt: skip
    pd.testing.assert_frame_equal(fit.paths, again.paths)
    cols = {"se", "ci_low", "ci_high"}
    assert cols <= set(fit.paths) and cols <= set(fit.loadings) and cols <= set(fit.weights)
    assert (fit.paths["ci_low"] <= fit.paths["ci_high"]).all()
    assert (fit.paths["se"] > 0).all()
    scores = fit.scores("0-100")
    # single-item construct: the ACSI rescaling is the linear map of the item to 0..100
    np.testing.assert_allclose(scores["Complaints"], 100 * (s.data["CUSCO"] - 1) / 9)
    assert scores.min().min() >= 0 and scores.max().max() <= 100
    # a 0-100 score is an affine map of a weighted item sum: perfectly correlated with the
    # standardized score when all weights are positive
    std = fit.scores("standardized")
    for c in csi.ECSI_BLOCKS:
        assert np.corrcoef(scores[c], std[c])[0, 1] == pytest.approx(1, abs=1e-10)
    assert fit.index().round(6).equals(scores.mean().rename("index").round(6))


def test_reliability_and_htmt_use_psychometrics() -> None:
    s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=3000, seed=2)
    fit = csi.fit_pls(s.data, s.blocks, s.path_list())
    rel = fit.reliability()
    assert (rel["rho_c"] >= rel["alpha"] - 1e-9).all()
    assert rel.loc["Complaints", "rho_c"] == 1
    h = fit.htmt()
    truth = s.latent_correlations()
    # HTMT tracks the true construct correlation (unequal loadings bias it a little)
    assert h.loc["Quality", "Satisfaction"] == pytest.approx(
        truth.loc["Quality", "Satisfaction"], abs=0.06
    )


def test_bad_input() -> None:
    s = simulate_ecsi_survey(n=50, seed=0)
    with pytest.raises(ValueError, match=r"column\(s\) \['CUSA1'\] not found"):
        csi.fit_pls(s.data.drop(columns="CUSA1"), csi.ECSI_BLOCKS, csi.ECSI_PATHS)
    bad = s.data.astype(float)
    bad.loc[[3, 7], "PERQ2"] = np.nan
    with pytest.raises(ValueError, match=r"'PERQ2': 2 missing value\(s\) at rows \[3, 7\]"):
        csi.fit_pls(bad, csi.ECSI_BLOCKS, csi.ECSI_PATHS)
    with pytest.raises(ValueError, match="cycle"):
        csi.fit_pls(s.data, csi.ECSI_BLOCKS, [*csi.ECSI_PATHS, ("Loyalty", "Image")])
    with pytest.raises(ValueError, match="modes"):
        csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, modes={"Image": "C"})
    with pytest.raises(ValueError, match="scheme"):
        csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, scheme="bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="appear in no path"):
        csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS[:3])


def test_read_ecsi_survey_checks_items_and_never_modifies(tmp_path) -> None:
    from cxresearch.simulate import simulate_ecsi_survey

    data = simulate_ecsi_survey(n=30, seed=2).data
    with pytest.raises(FileNotFoundError, match=r"no ecsi_survey\.parquet or ecsi_survey\.csv"):
        csi.read_ecsi_survey(tmp_path)
    path = tmp_path / "ecsi_survey.csv"
    data.to_csv(path, index=False)
    before = path.read_bytes()
    read = csi.read_ecsi_survey(tmp_path)
    np.testing.assert_array_equal(read[list(data.columns)].to_numpy(), data.to_numpy(float))
    assert path.read_bytes() == before
    bad = data.astype(object)
    bad.loc[4, "PERQ2"] = "very good"
    bad.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"column 'PERQ2': text in a numeric column at rows \[4\]"):
        csi.read_ecsi_survey(tmp_path)
    bad = data.copy()
    bad.loc[[2, 7], "CUSA1"] = 11
    bad.to_csv(path, index=False)
    with pytest.raises(
        ValueError, match=r"column 'CUSA1': 2 value\(s\) not integers in 1\.\.10 at rows \[2, 7\]"
    ):
        csi.read_ecsi_survey(tmp_path)
    data.drop(columns=["CUSCO"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"missing item column\(s\) \['CUSCO'\]"):
        csi.read_ecsi_survey(tmp_path)


def test_index_scores_reach_exactly_0_and_100_at_the_scale_ends() -> None:
    from cxresearch.simulate import simulate_ecsi_survey

    data = simulate_ecsi_survey(n=200, seed=3).data.astype(float)
    data.iloc[0] = 10.0  # a respondent rating everything at the top
    data.iloc[1] = 1.0  # and one at the bottom
    fit = csi.fit_pls(data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, scale_range=(1, 10))
    scores = fit.scores("0-100")
    np.testing.assert_allclose(scores.iloc[0], 100.0, atol=1e-9)
    np.testing.assert_allclose(scores.iloc[1], 0.0, atol=1e-9)
    assert scores.min().min() >= 0.0 and scores.max().max() <= 100.0


def test_results_protocol_intervals_at_any_level_and_old_keywords() -> None:
    s = simulate_ecsi_survey(n=200, seed=6)
    fit = csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, n_boot=40)  # seed=0 by default
    again = csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, n_boot=40)
    pd.testing.assert_frame_equal(fit.paths, again.paths)
    assert fit.n_boot == 40 and fit.level == 0.95
    text = fit.summary()
    assert isinstance(text, str) and "converged" in text and "Image -> Expectation" in text
    ci = fit.conf_int()
    np.testing.assert_allclose(ci["ci_low"], fit.paths["ci_low"])
    # reference: percentiles of the stored resamples computed directly
    np.testing.assert_allclose(fit.conf_int(level=0.5)["ci_high"],
                               np.quantile(fit._draws["paths"], 0.75, axis=0))
    r2 = fit.conf_int(which="r2")
    assert list(r2["construct"]) == list(fit.r2.index)
    assert (r2["ci_low"] < r2["ci_high"]).all()
    assert list(fit.conf_int(which="loadings").columns) == ["construct", "item", "loading",
                                                           "ci_low", "ci_high"]
    with pytest.raises(ValueError, match="n_boot"):
        csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS).conf_int()
    at90 = csi.fit_pls(s.data, csi.ECSI_BLOCKS, csi.ECSI_PATHS, n_boot=40, level=0.9)
    np.testing.assert_allclose(at90.paths["ci_low"], fit.conf_int(level=0.9)["ci_low"])


def test_read_ecsi_survey_finds_files_like_load_study(tmp_path) -> None:
    from cxresearch.io.readers import SurveyValidationError

    data = simulate_ecsi_survey(n=10, seed=2).data
    data.to_csv(tmp_path / "ecsi_survey.csv", index=False)
    (data + 0).to_parquet(tmp_path / "ecsi_survey.parquet")
    bad = data.copy()
    bad.loc[0, "IMAG1"] = 99
    bad.to_csv(tmp_path / "ecsi_survey.csv", index=False)
    # the Parquet file wins, as in load_study (io.find_table), so the bad CSV is not read
    assert csi.read_ecsi_survey(tmp_path).shape == (10, 24)
    (tmp_path / "ecsi_survey.parquet").unlink()
    with pytest.raises(SurveyValidationError, match=r"'IMAG1'.*at rows \[0\]"):
        csi.read_ecsi_survey(tmp_path)
