"""The statistics kernel (cxresearch.core.inference) against statsmodels and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from cxresearch.core import inference as inf
from cxresearch.core.validation import DataError


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
@pytest.mark.parametrize(("x", "n"), [(0, 10), (1, 10), (8, 10), (81, 100), (50, 50), (3, 1162)])
def test_wilson_and_agresti_coull_match_statsmodels(x: int, n: int, level: float) -> None:
    for ours, method in ((inf.wilson_interval, "wilson"),
                         (inf.agresti_coull_interval, "agresti_coull")):
        lo, hi = proportion_confint(x, n, alpha=1 - level, method=method)
        assert ours(x, n, level) == pytest.approx((max(0.0, lo), min(1.0, hi)), abs=1e-12)


def test_binomial_intervals_with_n_eff_and_empty() -> None:
    # weighted shares with Kish's n_eff: the unweighted formula at size n_eff
    lo, hi = inf.wilson_interval(30.0, 60.0, n_eff=40.0)
    assert (lo, hi) == pytest.approx(proportion_confint(20, 40, method="wilson"))
    assert all(math.isnan(v) for v in inf.wilson_interval(0, 0))
    assert all(math.isnan(v) for v in inf.agresti_coull_interval(0, 0))
    with pytest.raises(DataError, match="level"):
        inf.wilson_interval(1, 2, level=95)


def test_holm_and_benjamini_hochberg_match_multipletests() -> None:
    rng = np.random.default_rng(3)
    for m in (1, 2, 5, 40):
        p = rng.uniform(0, 0.2, m) ** 2
        assert inf.holm(p) == pytest.approx(multipletests(p, method="holm")[1])
        assert inf.benjamini_hochberg(p) == pytest.approx(multipletests(p, method="fdr_bh")[1])
    ties = [0.01, 0.01, 0.04, 0.5, 0.04]
    assert inf.holm(ties) == pytest.approx(multipletests(ties, method="holm")[1])
    assert inf.benjamini_hochberg(ties) == pytest.approx(multipletests(ties, method="fdr_bh")[1])
    assert len(inf.holm([])) == 0 and len(inf.benjamini_hochberg([])) == 0


def test_kish() -> None:
    w = np.array([1.0, 2.0, 2.0, 5.0])
    assert inf.kish_n_eff(w.sum(), (w**2).sum()) == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert inf.kish_n_eff(4.0, 4.0) == 4.0  # equal weights: n
    assert inf.kish_n_eff(0.0, 0.0) == 0.0
    assert inf.kish_design_effect(4, w.sum(), (w**2).sum()) == pytest.approx(
        4 * (w**2).sum() / w.sum() ** 2)
    assert math.isnan(inf.kish_design_effect(4, 0.0, 0.0))


def test_linearised_mean_equals_the_ultimate_cluster_formula() -> None:
    rng = np.random.default_rng(7)
    cluster = rng.integers(0, 8, 200)
    w = rng.uniform(0.5, 2.0, 200)
    y = rng.normal(3, 1, 200)
    sw = np.bincount(cluster, weights=w, minlength=8)
    swy = np.bincount(cluster, weights=w * y, minlength=8)
    est, z, var = inf.linearised_mean(sw, swy)
    assert est == pytest.approx(np.sum(w * y) / np.sum(w))
    # z_c = sum over cluster c of w_i (y_i - est) / sum(w)
    zc = np.bincount(cluster, weights=w * (y - est), minlength=8) / w.sum()
    assert z == pytest.approx(zc)
    assert var == pytest.approx(8 / 7 * np.sum((zc - zc.mean()) ** 2))
    assert inf.cluster_variance(z) == var
    # one answer per cluster, equal weights: the variance of a mean with n - 1 in the denominator
    yy = rng.normal(size=30)
    _, _, v = inf.linearised_mean(np.ones(30), yy)
    assert v == pytest.approx(np.var(yy, ddof=1) / 30)


def test_critical_values() -> None:
    assert inf.z_crit(0.95) == stats.norm.ppf(0.975)
    assert inf.t_crit(0.9, 7) == stats.t.ppf(0.95, 7)
