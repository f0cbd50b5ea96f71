"""Tests for cxresearch.simulate.metrics: the simulations of how noisy a CX metric is.

Each simulation is checked against an exact or closed-form reference: the trinomial
distribution enumerated with scipy's multinomial pmf (coverage, the gap between two identical
groups), the Wald and adjusted-Wald half-widths (Rocks 2016) and the estimators of
cxresearch.metrics.scores on the same counts.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from cxresearch.metrics import scores as m
from cxresearch.simulate import metrics as sm

# --------------------------------------------------------------------------------------------
# Simulations of notebook 01, each against an exact or closed-form reference
# --------------------------------------------------------------------------------------------


def _trinomial_outcomes(n: int, p: float, d: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (P, D) outcome of n answers and its exact probability (scipy's multinomial pmf)."""
    prom, detr = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = prom + detr <= n
    prom, detr = prom[keep], detr[keep]
    x = np.column_stack([prom, n - prom - detr, detr])
    prob = stats.multinomial.pmf(x, n, [p, 1 - p - d, d])
    return prom, detr, prob


def _exact_coverage(method: str, n: int, p: float, d: float) -> float:
    prom, detr, prob = _trinomial_outcomes(n, p, d)
    _, _, lo, hi = m.nps_interval_arrays(prom, detr, n, method=method)
    truth = 100 * (p - d)
    return float(prob[(lo <= truth) & (truth <= hi)].sum())


def test_repeated_nps_samples_match_counts_and_the_sampling_distribution() -> None:
    s = sm.repeated_nps_samples(0.45, 0.25, n=100, periods=12, seed=5)
    assert list(s["period"]) == list(range(1, 13))
    assert (s[["promoters", "passives", "detractors"]].sum(axis=1) == 100).all()
    for row in s.itertuples():  # each row is nps_from_counts on that period's counts
        r = m.nps_from_counts(row.promoters, row.passives, row.detractors)
        assert (row.estimate, row.ci_low, row.ci_high) == (r.estimate, r.ci_low, r.ci_high)
        assert row.covers == (r.ci_low <= 20 <= r.ci_high)
    assert s.equals(sm.repeated_nps_samples(0.45, 0.25, n=100, periods=12, seed=5))
    # many periods: mean and SD of the bare score match the trinomial closed form
    big = sm.repeated_nps_samples(0.45, 0.25, n=100, periods=20_000, seed=6)
    sd = 100 * math.sqrt((0.45 + 0.25 - 0.2**2) / 100)  # Rocks (2016)
    assert big["estimate"].mean() == pytest.approx(20, abs=4 * sd / math.sqrt(20_000))
    assert big["estimate"].std() == pytest.approx(sd, rel=0.02)
    assert big["covers"].mean() == pytest.approx(_exact_coverage("adjusted_wald", 100, .45, .25),
                                                 abs=4 * math.sqrt(0.05 * 0.95 / 20_000))
    with pytest.raises(ValueError, match="'promoters' and 'detractors'"):
        sm.repeated_nps_samples(0.8, 0.3)
    with pytest.raises(ValueError, match="argument 'periods'"):
        sm.repeated_nps_samples(0.4, 0.2, periods=0)


def test_nps_interval_widths_follow_the_closed_forms() -> None:
    z = stats.norm.ppf(0.975)
    mixes = {"typical": (0.4, 0.2), "polarised": (0.45, 0.45), "strong": (0.7, 0.05)}
    ns = (30, 100, 400, 1000)
    wald = sm.nps_interval_widths(mixes, ns, method="wald")
    adj = sm.nps_interval_widths(mixes, ns)
    assert list(wald["mix"]) == [k for k in mixes for _ in ns] and list(wald["n"]) == list(ns) * 3
    for (name, (p, d)), n in [(kv, n) for kv in mixes.items() for n in ns]:
        row_w = wald[(wald["mix"] == name) & (wald["n"] == n)].iloc[0]
        row_a = adj[(adj["mix"] == name) & (adj["n"] == n)].iloc[0]
        assert row_w["half_width"] == pytest.approx(100 * z * math.sqrt((p + d - (p - d) ** 2) / n))
        pa, da = (p * n + 0.75) / (n + 3), (d * n + 0.75) / (n + 3)
        assert row_a["half_width"] == pytest.approx(
            100 * z * math.sqrt((pa + da - (pa - da) ** 2) / (n + 3)))
        assert row_a["nps"] == pytest.approx(100 * (p - d))
    # Wald width falls exactly with 1 / sqrt(n): four times the answers, half the width
    w = wald.set_index(["mix", "n"])["half_width"]
    assert w[("typical", 100)] / w[("typical", 400)] == pytest.approx(2.0)
    unnamed = sm.nps_interval_widths([(0.4, 0.2)], (100,))
    assert unnamed["mix"].tolist() == ["40% / 20%"]
    with pytest.raises(ValueError, match="argument 'method'"):
        sm.nps_interval_widths(mixes, method="bootstrap")


def test_nps_coverage_simulation_matches_exact_coverage_and_wald_undercovers() -> None:
    n_boot = 4000
    mixes = {"polarised": (0.45, 0.45), "strong": (0.8, 0.1)}
    cov = sm.nps_coverage_simulation((30, 1000), mixes, ("wald", "adjusted_wald", "score"),
                                    n_boot=n_boot, seed=11)
    assert len(cov) == 2 * 2 * 3
    assert set(cov.columns) >= {"n", "mix", "method", "coverage", "mc_se", "true_nps"}
    small = cov[cov["n"] == 30].set_index(["mix", "method"])["coverage"]
    for (name, method), c in small.items():  # exact trinomial enumeration at n = 30
        exact = _exact_coverage(method, 30, *mixes[name])
        assert abs(c - exact) <= 4 * math.sqrt(exact * (1 - exact) / n_boot)
    # plain Wald under-covers at n = 30; adjusted Wald does not
    assert small.xs("wald", level="method").mean() < 0.935
    assert small.xs("adjusted_wald", level="method").mean() > 0.94
    # at n = 1,000 every method is nominal within Monte Carlo error (+ 0.5 point of
    # discreteness)
    large = cov[cov["n"] == 1000]
    assert (np.abs(large["coverage"] - 0.95) <= 4 * math.sqrt(0.95 * 0.05 / n_boot) + 0.005).all()
    assert cov.equals(sm.nps_coverage_simulation((30, 1000), mixes, n_boot=n_boot, seed=11))


def test_false_alarm_simulation_holds_its_level_and_matches_exact_gap_distribution() -> None:
    n_boot = 4000
    sim = sm.nps_false_alarm_simulation(0.45, 0.25, n=100, n_boot=n_boot, seed=12)
    assert sim.n_boot == n_boot and len(sim.to_frame()) == n_boot
    # the test's promise: ~5% false alarms, within Monte Carlo error
    assert abs(sim.false_alarm_rate - 0.05) <= 4 * math.sqrt(0.05 * 0.95 / n_boot) + 0.005
    assert sim.mc_se == pytest.approx(math.sqrt(sim.false_alarm_rate
                                                * (1 - sim.false_alarm_rate) / n_boot))
    # exact P(|gap| >= 10) from the trinomial distribution of P - D, convolved with itself
    prom, detr, prob = _trinomial_outcomes(100, 0.45, 0.25)
    pmf_k = np.bincount(prom - detr + 100, weights=prob, minlength=201)  # k = P - D = NPS
    pmf_gap = np.convolve(pmf_k, pmf_k[::-1])  # index i -> gap i - 200
    gaps = np.arange(len(pmf_gap)) - 200
    exact = float(pmf_gap[np.abs(gaps) >= 10].sum())
    assert abs(sim.share_with_gap(10) - exact) <= 4 * math.sqrt(exact * (1 - exact) / n_boot)
    # each p-value equals compare() on the two results, for both methods
    for meth in ("adjusted_wald", "wald"):
        s = sm.nps_false_alarm_simulation(0.45, 0.25, n=60, n_boot=40, method=meth, seed=13)
        for row in s.pairs.itertuples():
            a = m.nps_from_counts(row.promoters_a, row.passives_a, row.detractors_a, method=meth)
            b = m.nps_from_counts(row.promoters_b, row.passives_b, row.detractors_b, method=meth)
            assert row.p_value == pytest.approx(m.compare(a, b).p_value, rel=1e-9, abs=1e-12)
            assert row.gap == pytest.approx(a.estimate - b.estimate)
    a, b, diff = sim.example_pair(10, 15, labels=("team A", "team B"))
    assert 10 <= abs(diff.estimate) <= 15 and a.label == "team A"
    assert diff.estimate == pytest.approx(a.estimate - b.estimate)
    assert "declared different" in sim.summary()
    with pytest.raises(ValueError, match="no simulated pair"):
        sim.example_pair(150, 200)


# --------------------------------------------------------------------------------------------
# One vocabulary: method, n_boot
# --------------------------------------------------------------------------------------------


def test_new_keywords_emit_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim = sm.nps_false_alarm_simulation(0.4, 0.2, n_boot=20, method="wald", seed=0)
        sim.summary()
        sim.example_pair(0, 200)
        sm.nps_coverage_simulation((30,), [(0.4, 0.2)], ("wald",), n_boot=20, seed=1)


def test_clustered_answers_keep_the_true_nps_and_make_firms_alike():
    """Marginal shares are the stated ones whatever the ICC; the latent ICC shows in the
    between-firm variance of the firm NPSs (a one-way ANOVA estimate, statsmodels-free)."""
    from cxresearch.simulate.metrics import clustered_nps_answers

    d = clustered_nps_answers(400, 100, 0.2, 0.45, 0.25, seed=3)
    y = 100 * (d["recommend"].ge(9).astype(float) - d["recommend"].le(6).astype(float))
    assert y.mean() == pytest.approx(20, abs=2.5)
    firm_means = y.groupby(d["firm_id"]).mean()
    # between-firm variance beyond what 100 independent answers per firm would give
    between = firm_means.var(ddof=1) - y.groupby(d["firm_id"]).var(ddof=1).mean() / 100
    assert between > 0.05 * y.var()
    flat = clustered_nps_answers(400, 100, 0.0, seed=3)
    yf = 100 * (flat["recommend"].ge(9).astype(float) - flat["recommend"].le(6).astype(float))
    fm = yf.groupby(flat["firm_id"]).mean()
    assert fm.var(ddof=1) == pytest.approx(yf.var() / 100, rel=0.25)  # no clustering


def test_cluster_coverage_independent_intervals_fall_short_clustered_hold():
    """Kish's design effect: with 100 answers per firm the naive interval covers far less than
    95%; the clustered (Taylor) one is within Monte Carlo error of 95%; with 10 per firm the
    gap shrinks. Half-width ratio ~ sqrt(design effect)."""
    from cxresearch.simulate.metrics import nps_cluster_coverage_simulation

    deep = nps_cluster_coverage_simulation(30, 100, 0.05, n_boot=300, seed=4).set_index("method")
    wide = nps_cluster_coverage_simulation(300, 10, 0.05, n_boot=300, seed=4).set_index("method")
    assert deep.loc["answers independent", "coverage"] < 0.8
    assert abs(deep.loc["firms as clusters", "coverage"] - 0.95) < 3.5 * 0.0126
    assert wide.loc["answers independent", "coverage"] > deep.loc["answers independent",
                                                                  "coverage"] + 0.15
    ratio = deep.loc["firms as clusters", "half_width"] / deep.loc["answers independent",
                                                                   "half_width"]
    assert ratio == pytest.approx(np.sqrt(deep.loc["firms as clusters", "design_effect"]),
                                  rel=0.1)
