"""The synthetic ECSI survey reproduces its generating structure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.csi import ECSI_BLOCKS, ECSI_PATHS
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
