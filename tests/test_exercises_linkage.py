"""Exercises of notebook 05 (cxresearch.exercises.linkage): each solution against an independent
computation, and the near misses' messages.

The independent routes: the within-unit cross-lag from the Gaussian likelihood of the RI-CLPM
written out directly and maximised with scipy (not semopy); the pooled cross-lag from
statsmodels OLS with standard errors clustered by firm (not the package's EIV regression)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from cxresearch import exercises
from cxresearch.simulate.linkage import simulate_ri_clpm_panel


@cache
def _panel(corr: float) -> pd.DataFrame:
    return simulate_ri_clpm_panel(n_units=300, n_periods=5, variables=("ex", "growth"),
                                  coefs={("growth", "ex"): 0.2}, intercept_corr=corr, seed=5)


def _pooled_ols(corr: float) -> tuple[float, float, float]:
    """growth(t+1) on ex(t), growth(t) and year dummies, OLS clustered by firm: (b, lo, hi)."""
    import statsmodels.formula.api as smf

    p = _panel(corr).sort_values(["unit", "time"])
    p["ex_lag"] = p.groupby("unit")["ex"].shift()
    p["growth_lag"] = p.groupby("unit")["growth"].shift()
    d = p.dropna()
    fit = smf.ols("growth ~ ex_lag + growth_lag + C(time)", d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["unit"])[0]})
    b = float(fit.params["ex_lag"])
    lo, hi = (float(v) for v in fit.conf_int().loc["ex_lag"])
    return b, lo, hi


def _ml_within(corr: float) -> dict[str, float]:
    """The RI-CLPM of (ex, growth) by a direct Gaussian likelihood: B and the intercepts'
    correlation."""
    from scipy.optimize import minimize

    p = _panel(corr)
    wide = p.pivot(index="unit", columns="time", values=["ex", "growth"])
    times = sorted(p["time"].unique())
    x = np.column_stack([wide[(v, t)] for t in times for v in ("ex", "growth")])
    s, k, n_t = np.cov(x, rowvar=False, bias=True), 2, len(times)

    def chol(v: np.ndarray) -> np.ndarray:
        low = np.zeros((k, k))
        low[np.tril_indices(k)] = v
        return low @ low.T

    def implied(theta: np.ndarray) -> np.ndarray:
        b, phi, rest = theta[:4].reshape(2, 2), chol(theta[4:7]), theta[7:]
        c = [[None] * n_t for _ in range(n_t)]
        c[0][0] = chol(rest[:3])
        for t in range(1, n_t):
            c[t][t] = b @ c[t - 1][t - 1] @ b.T + chol(rest[3 * t:3 * t + 3])
            for u in range(t):
                c[t][u] = b @ c[t - 1][u]
                c[u][t] = c[t][u].T
        return np.block(c) + np.tile(phi, (n_t, n_t))

    def objective(theta: np.ndarray) -> float:
        sigma = implied(theta)
        sign, logdet = np.linalg.slogdet(sigma)
        return np.inf if sign <= 0 else logdet + np.trace(np.linalg.solve(sigma, s))

    start = np.r_[0.3, 0.0, 0.0, 0.3, 1.0, 0.0, 1.0, np.tile([1.0, 0.0, 1.0], n_t)]
    th = minimize(objective, start, method="BFGS", options={"gtol": 1e-9, "maxiter": 5000}).x
    phi = chol(th[4:7])
    return {"ex->growth": th[2], "growth->ex": th[1],
            "r": phi[0, 1] / np.sqrt(phi[0, 0] * phi[1, 1])}


def test_solutions_against_independent_computations() -> None:
    ml = _ml_within(0.6)
    assert exercises.solution("05.1") == pytest.approx(ml["ex->growth"], abs=0.002)
    _, lo, hi = _pooled_ols(0.6)
    assert exercises.solution("05.2") == ("yes" if lo > 0 or hi < 0 else "no")
    assert exercises.solution("05.3") == pytest.approx(ml["r"], abs=0.002)
    # at the stronger trait: the pooled OLS interval excludes zero, the within cross-lag is
    # still near zero (its ML estimate within 0.1 of it)
    _, lo9, hi9 = _pooled_ols(0.9)
    ml9 = _ml_within(0.9)
    pooled_moves = lo9 > 0 or hi9 < 0
    assert pooled_moves and abs(ml9["ex->growth"]) < 0.1
    assert exercises.solution("05.4") == "only the pooled one"


def test_near_misses_say_what_was_slipped() -> None:
    from cxresearch.exercises import linkage as ex05

    pooled = exercises.check("05.1", ex05._pooled_ex_growth())
    assert not pooled.correct and "pooled cross-lagged panel" in pooled.message
    reverse = exercises.check("05.1", round(_ml_within(0.6)["growth->ex"], 2))
    assert not reverse.correct and "other direction" in reverse.message
    raw = exercises.check("05.3", round(float(_panel(0.6)[["ex", "growth"]].corr().iloc[0, 1]),
                                        2))
    assert not raw.correct and "over all firm-years" in raw.message
    set_value = exercises.check("05.3", 0.6)
    assert not set_value.correct and "the simulation sets" in set_value.message
    both = exercises.check("05.4", "both")
    assert not both.correct and "random intercepts" in both.message
    assert "pushes its cross-lag" in exercises.check("05.4", "neither").message


def test_the_bank_has_three_to_four_exercises_for_05_with_a_prediction() -> None:
    cat = exercises.catalog().query("notebook == '05'")
    assert 3 <= len(cat) <= 4 and cat["predict"].any()
    assert set(cat["kind"]) == {"number", "yes/no", "choice"}
