"""Notebook 09's exercises against independent computations: scikit-learn's Cohen's kappa, the
closed form of kappa on a 2 x 2 table, and Krippendorff's alpha written out from its
coincidence matrix (the ``krippendorff`` package is not installed in the project's venv)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from cxresearch import exercises
from cxresearch.simulate.poll import DEFAULT_SHARES, simulate_poll


def _alpha_nominal(a: pd.Series, b: pd.Series) -> float:
    """Krippendorff's alpha, nominal, two coders, no missing codes: each unit adds both ordered
    pairs to the coincidence matrix; alpha = 1 - (n - 1) sum_(c != k) o_ck /
    sum_(c != k) n_c n_k."""
    pairs = pd.concat([pd.DataFrame({"c": a, "k": b}), pd.DataFrame({"c": b, "k": a})])
    o = pd.crosstab(pairs["c"], pairs["k"])
    n_c = o.sum(axis=1).to_numpy(dtype=float)
    n = n_c.sum()
    off = 1 - np.eye(len(n_c))
    return float(1 - (n - 1) * (o.to_numpy() * off).sum() / (np.outer(n_c, n_c) * off).sum())


def test_09_1_kappa_matches_scikit_learn() -> None:
    poll = simulate_poll(n=110, seed=0)
    kappa = cohen_kappa_score(poll["coder_1"], poll["coder_2"])
    assert exercises.solution("09.1") == pytest.approx(kappa, abs=5e-4)
    raw = float((poll["coder_1"] == poll["coder_2"]).mean())
    assert "raw (percent) agreement" in exercises.check("09.1", round(raw, 3)).message
    alpha = _alpha_nominal(poll["coder_1"], poll["coder_2"])
    assert abs(alpha - kappa) > 5e-4  # far enough apart to tell
    assert "Krippendorff's alpha" in exercises.check("09.1", round(alpha, 3)).message


def test_09_2_kappa_paradox_closed_form() -> None:
    p_o = 0.90
    p_e = 0.85 ** 2 + 0.15 ** 2  # both coders say 'everyone' 85 times in 100
    kappa = (p_o - p_e) / (1 - p_e)
    assert exercises.solution("09.2") == pytest.approx(kappa, abs=5e-4)
    a = ["everyone"] * 85 + ["other"] * 15
    b = ["everyone"] * 80 + ["other"] * 5 + ["everyone"] * 5 + ["other"] * 10
    assert cohen_kappa_score(a, b) == pytest.approx(kappa)
    assert "raw agreement" in exercises.check("09.2", 0.9).message
    assert "1/2" in exercises.check("09.2", 0.8).message
    assert "chance agreement p_e" in exercises.check("09.2", round(p_e, 3)).message


def test_09_3_one_dominant_view_lowers_kappa_not_raw_agreement() -> None:
    shares = {c: 0.85 if c == "everyone" else 0.025 for c in DEFAULT_SHARES}
    even, dominant = simulate_poll(n=110, seed=0), simulate_poll(n=110, seed=0, shares=shares)
    k_even = cohen_kappa_score(even["coder_1"], even["coder_2"])
    k_dom = cohen_kappa_score(dominant["coder_1"], dominant["coder_2"])
    raw = [float((p["coder_1"] == p["coder_2"]).mean()) for p in (even, dominant)]
    assert k_dom < k_even - 0.1 and abs(raw[0] - raw[1]) < 0.05  # the kappa paradox
    assert exercises.solution("09.3") == "down"
    assert "raw agreement stays" in exercises.check("09.3", "the same").message
    assert not exercises.check("09.3", "up").correct
    assert exercises.catalog().set_index("id").loc["09.3", "predict"]
