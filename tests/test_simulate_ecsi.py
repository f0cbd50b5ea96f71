"""The synthetic ECSI survey reproduces its generating structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.measurement.csi import ECSI_BLOCKS, ECSI_PATHS
from cxresearch.simulate import EcsiParams, simulate_ecsi_survey


def test_shape_names_and_scale() -> None:
    s = simulate_ecsi_survey(n=300, seed=0)
    assert s.data.shape == (300, 24)
    assert {k: tuple(v) for k, v in s.blocks.items()} == dict(ECSI_BLOCKS)
    assert s.path_list() == list(ECSI_PATHS)
    assert s.data.min().min() >= 1 and s.data.max().max() <= 10
    assert all(pd.api.types.is_integer_dtype(t) for t in s.data.dtypes)
    assert "synthetic" in s.summary()


def test_seeded() -> None:
    a = simulate_ecsi_survey(n=100, seed=3).data
    b = simulate_ecsi_survey(n=100, seed=3).data
    c = simulate_ecsi_survey(n=100, seed=4).data
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_latent_moments_match_closed_form() -> None:
    # Population correlations from the recursive path equations (Wright's path tracing)
    s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=100_000, seed=1)
    truth = s.latent_correlations()
    np.testing.assert_allclose(s.latent.corr(), truth, atol=0.012)
    np.testing.assert_allclose(s.latent.std(), 1, atol=0.01)
    # path tracing by hand: cor(Image, Quality) = b(I->E) * b(E->Q)
    assert truth.loc["Image", "Quality"] == pytest.approx(0.50 * 0.55)
    # OLS of each endogenous construct on its parents recovers the coefficients
    for target in ["Satisfaction", "Loyalty"]:
        parents = [a for a, b in s.path_list() if b == target]
        coef = np.linalg.lstsq(s.latent[parents], s.latent[target], rcond=None)[0]
        true = s.paths.query("target == @target")["estimate"].to_numpy()
        np.testing.assert_allclose(coef, true, atol=0.01)


def test_item_loadings() -> None:
    s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=100_000, seed=2)
    for row in s.loadings.itertuples():
        r = np.corrcoef(s.data[row.item], s.latent[row.construct])[0, 1]
        assert r == pytest.approx(row.loading, abs=0.01), row.item


def test_bad_params() -> None:
    with pytest.raises(ValueError, match="cycle"):
        simulate_ecsi_survey(EcsiParams(paths=(("Image", "Value", 0.3), ("Value", "Image", 0.3))))
    with pytest.raises(ValueError, match="R\\^2"):
        simulate_ecsi_survey(EcsiParams(paths=(("Image", "Value", 1.2),)))
    with pytest.raises(ValueError, match="loadings"):
        EcsiParams(loadings={"Image": (1.3,)}, paths=())
    with pytest.raises(ValueError, match="no entry in loadings"):
        EcsiParams(paths=(("Image", "Brand", 0.3),))


def _expected_rating_mean(mu: float, sd: float, k: int) -> float:
    """Closed form: E[clip(round(mu + sd * Z), 1, k)] for Z ~ N(0, 1)."""
    from scipy.stats import norm

    points = np.arange(1, k + 1)
    lo = np.where(points == 1, -np.inf, points - 0.5)
    hi = np.where(points == k, np.inf, points + 0.5)
    prob = norm.cdf((hi - mu) / sd) - norm.cdf((lo - mu) / sd)
    return float(points @ prob)


def test_item_means_follow_parameters() -> None:
    params = EcsiParams()
    n = 20_000
    s = simulate_ecsi_survey(params, n=n, seed=5)
    locations = params.item_locations()
    assert list(locations.index) == list(s.data.columns)
    for item, mu in locations.items():
        expected = _expected_rating_mean(mu, params.item_sd, 10)
        se = s.data[item].std() / np.sqrt(n)
        assert abs(s.data[item].mean() - expected) < 4 * se, item
    # the defaults are varied and top-heavy: quality spans > 1.5 points, value below quality,
    # image above value, every location in the upper half of the scale but price tolerance
    perq = locations.filter(like="PERQ")
    assert perq.max() - perq.min() > 1.5
    assert locations.filter(like="PERV").mean() < perq.mean()
    assert locations.filter(like="IMAG").mean() > locations.filter(like="PERV").mean()
    assert (locations.drop("CUSL2") > 5.5).all()
    # item_means={} restores one common location for every item
    flat = simulate_ecsi_survey(EcsiParams(item_means={}, item_mean=7.0), n=n, seed=5).data
    expected = _expected_rating_mean(7.0, 1.6, 10)
    assert (flat.mean() - expected).abs().max() < 4 * flat.std().max() / np.sqrt(n)
    # a partial mapping overrides only the items it names
    one = EcsiParams(item_means={"PERQ2": 3.0}).item_locations()
    assert one["PERQ2"] == 3.0 and one["PERQ1"] == 7.5


def test_locations_leave_structure_unchanged() -> None:
    from cxresearch.measurement.csi import fit_pls

    n = 8000
    varied = simulate_ecsi_survey(n=n, seed=7)
    flat = simulate_ecsi_survey(EcsiParams(item_means={}), n=n, seed=7)
    # same truth and the same latent draws: locations touch the ratings only
    pd.testing.assert_frame_equal(varied.latent, flat.latent)
    pd.testing.assert_frame_equal(varied.paths, flat.paths)
    pd.testing.assert_frame_equal(varied.loadings, flat.loadings)
    # rated items still correlate with their construct close to the true loading
    for row in varied.loadings.itertuples():
        r = np.corrcoef(varied.data[row.item], varied.latent[row.construct])[0, 1]
        assert r == pytest.approx(row.loading, abs=0.05), row.item
    # PLSc recovers the true paths from the varied ratings as well as from the flat ones
    est = {}
    for name, s in (("varied", varied), ("flat", flat)):
        fit = fit_pls(s.data, s.blocks, s.path_list(), consistent=True)
        merged = fit.paths.merge(s.paths, on=["source", "target"], suffixes=("", "_true"))
        est[name] = merged["estimate"].to_numpy()
        np.testing.assert_allclose(merged["estimate"], merged["estimate_true"], atol=0.05)
    np.testing.assert_allclose(est["varied"], est["flat"], atol=0.02)


def test_bad_item_means() -> None:
    with pytest.raises(ValueError, match="PERQ9"):
        EcsiParams(item_means={"PERQ9": 7.0})
    with pytest.raises(ValueError, match=r"outside 1\.\.10"):
        EcsiParams(item_means={"PERQ1": 11.0})
    with pytest.raises(ValueError, match="item_sd"):
        EcsiParams(item_sd=0)


def test_seed_checked_and_none_gives_fresh_draws() -> None:
    with pytest.raises(ValueError, match="seed"):
        simulate_ecsi_survey(n=10, seed=-1)
    a = simulate_ecsi_survey(n=50, seed=None).data
    b = simulate_ecsi_survey(n=50, seed=None).data
    assert not a.equals(b)
