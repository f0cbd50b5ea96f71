"""The exercises of notebook 12 (tracking CX over time): each reference answer against an
independent computation, and the near misses say what was probably forgotten."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import exercises
from cxresearch.simulate.tracker import simulate_tracker


def _ipf(data: pd.DataFrame, margins: dict, sweeps: int = 60) -> np.ndarray:
    w = np.ones(len(data))
    coded = [(pd.Categorical(data[c], categories=list(t)).codes, np.array(list(t.values())))
             for c, t in margins.items()]
    for _ in range(sweeps):
        for codes, target in coded:
            w = w * (target / np.bincount(codes, weights=w, minlength=len(target)))[codes]
    return w


def test_12_1_kish_design_effect_by_hand() -> None:
    """Raking by hand, then Kish's n sum w^2 / (sum w)^2."""
    t = simulate_tracker(seed=0)
    w = _ipf(t.data, t.margin_dict())
    deff = len(w) * np.sum(w ** 2) / np.sum(w) ** 2
    assert exercises.solution("12.1") == pytest.approx(deff, abs=0.005)
    assert exercises.check("12.1", round(deff, 2)).correct
    assert "inverse" in exercises.check("12.1", round(1 / deff, 2)).message
    assert "effective sample size" in exercises.check(
        "12.1", round(np.sum(w) ** 2 / np.sum(w ** 2), 2)).message


def test_12_2_no_change_no_change_holds() -> None:
    """Another route: the raked weights taken as fixed (the counts path of compare_waves) and
    statsmodels' Holm; nothing holds either, while bare moves of 5 points abound."""
    from statsmodels.stats.multitest import multipletests

    import cxresearch as cx

    t = simulate_tracker(effect=0.0, seed=0)
    d = t.data.assign(w=_ipf(t.data, t.margin_dict()))
    w = cx.compare_waves(d, "ltr", "month", by="region", cluster="store_id", weights="w",
                         adjust="none")
    reject = multipletests(w["p_value"], alpha=0.05, method="holm")[0]
    assert exercises.solution("12.2") == int(reject.sum()) == 0
    y = np.where(d["ltr"] >= 9, 100.0, np.where(d["ltr"] <= 6, -100.0, 0.0))
    bare = d.assign(y=y).pivot_table(index="region", columns="month", values="y")
    moves = int((bare.diff(axis=1).abs() >= 5).to_numpy().sum())
    assert moves > 5
    assert "dashboard" in exercises.check("12.2", moves).message


def _se(d: pd.DataFrame, w: np.ndarray, project: bool) -> float:
    """Taylor SE of a weighted NPS with stores as PSUs; with ``project`` the scores are first
    replaced by their residuals on the raking margins (exact least squares, the limit of R
    survey's backfitting)."""
    y = np.where(d["ltr"] >= 9, 100.0, np.where(d["ltr"] <= 6, -100.0, 0.0))
    est = np.sum(w * y) / np.sum(w)
    z = w * (y - est) / np.sum(w)
    if project:
        X = pd.get_dummies(d[["region", "channel"]], drop_first=True).astype(float)
        X.insert(0, "one", 1.0)
        u = z / w
        u = u - X.to_numpy() @ np.linalg.lstsq(X.to_numpy(), u, rcond=None)[0]
        z = u * w
    zc = pd.Series(z).groupby(d["store_id"].to_numpy()).sum().to_numpy()
    c = len(zc)
    return float(np.sqrt(c / (c - 1) * np.sum((zc - zc.mean()) ** 2)))


def test_12_3_weights_taken_as_fixed_overstate_the_se() -> None:
    t = simulate_tracker(seed=0)
    w = _ipf(t.data, t.margin_dict())
    fixed, calibrated = _se(t.data, w, False), _se(t.data, w, True)
    from cxresearch.exercises.tracking import _ses

    assert _ses()[0] == pytest.approx(fixed, rel=1e-6)
    assert _ses()[1] == pytest.approx(calibrated, rel=0.01)
    assert fixed > calibrated
    assert exercises.solution("12.3") == "taken as fixed"
    assert "calibration removes" in exercises.check("12.3", "the same").message
    assert not exercises.check("12.3", "calibration-aware").correct
