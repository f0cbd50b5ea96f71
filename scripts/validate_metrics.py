"""Validate the interval methods of cxresearch.metrics.scores by simulation (seeded, about 30 s).

    .venv/bin/python scripts/validate_metrics.py

Coverage of nominal 95% intervals, each cell from ``reps`` samples of known truth:

1. NPS: Wald, adjusted Wald, score (Rocks 2016) over n = 30..2,000 and 15 promoter/detractor
   mixes; the count-based bootstrap on a smaller grid (it costs n_boot draws per sample).
2. Top-box proportions: Wald, Wilson, Agresti-Coull over n = 30..1,000 and p = 0.05..0.95.
3. Means on a 1..7 scale (t interval) for a symmetric, a skewed and a polarised distribution.
4. Weighted NPS with design weights (two strata, over-sampled 3:1), Kish's n_eff.

Prints one table per part: mean, minimum and maximum coverage per method and n.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxresearch.metrics import scores as m
from cxresearch.simulate.metrics import nps_coverage_simulation

SHARES = [(p, d) for p in (0.05, 0.2, 0.35, 0.5, 0.7, 0.9) for d in (0.05, 0.2, 0.35, 0.5)
          if p + d <= 0.95]


def _summarise(rows: list[dict], by: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    if not df.duplicated(by).any():  # one cell per method and n: show the coverage itself
        return df.pivot(index=by[1], columns=by[0], values="coverage").round(3)
    return df.groupby(by)["coverage"].agg(["mean", "min", "max"]).unstack(0).round(3)


def nps_coverage(rng: np.random.Generator, reps: int) -> pd.DataFrame:
    cov = nps_coverage_simulation((30, 50, 100, 300, 1000, 2000), SHARES,
                                  ("wald", "adjusted_wald", "score"), n_boot=reps,
                                  seed=int(rng.integers(2**32)))
    return _summarise(cov[["method", "n", "coverage"]].to_dict("records"), ["method", "n"])


def nps_bootstrap_coverage(rng: np.random.Generator, reps: int) -> pd.DataFrame:
    rows = []
    for n in (30, 100, 300):
        for p, d in [(0.4, 0.2), (0.7, 0.05), (0.45, 0.45), (0.2, 0.5)]:
            hits = 0
            for i in range(reps):
                c = rng.multinomial(n, [p, 1 - p - d, d])
                r = m.nps_from_counts(*c, method="bootstrap", n_boot=2000, seed=i)
                hits += r.ci_low <= 100 * (p - d) <= r.ci_high
            rows.append({"method": "bootstrap", "n": n, "coverage": hits / reps})
    return _summarise(rows, ["method", "n"])


def proportion_coverage(rng: np.random.Generator, reps: int) -> pd.DataFrame:
    rows = []
    for n in (30, 100, 300, 1000):
        for p in (0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95):
            xs = rng.binomial(n, p, size=reps)
            for method in ("wald", "wilson", "agresti_coull"):
                cov = np.mean([
                    (r := m.top_box_from_counts(int(x), n, method=method)).ci_low <= 100 * p
                    <= r.ci_high
                    for x in xs
                ])
                rows.append({"method": method, "n": n, "coverage": cov})
    return _summarise(rows, ["method", "n"])


def mean_coverage(rng: np.random.Generator, reps: int) -> pd.DataFrame:
    dists = {
        "symmetric": [0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05],
        "skewed": [0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3],
        "polarised": [0.35, 0.05, 0.05, 0.05, 0.05, 0.05, 0.4],
    }
    values = np.arange(1, 8)
    rows = []
    for n in (10, 30, 100):
        for name, probs in dists.items():
            truth = float(values @ np.array(probs))
            counts = rng.multinomial(n, probs, size=reps)
            hits = 0
            for c in counts:
                r = m.mean_from_counts(dict(zip(values, c)))
                hits += r.ci_low <= truth <= r.ci_high
            rows.append({"method": f"t ({name})", "n": n, "coverage": hits / reps})
    return _summarise(rows, ["method", "n"])


def weighted_coverage(rng: np.random.Generator, reps: int) -> pd.DataFrame:
    rows = []
    probs_a, probs_b = np.array([0.55, 0.30, 0.15]), np.array([0.35, 0.35, 0.30])
    truth = 100 * (0.5 * (probs_a[0] - probs_a[2]) + 0.5 * (probs_b[0] - probs_b[2]))
    for n_a in (25, 50, 100, 300):
        n_b = 3 * n_a
        ca, cb = rng.multinomial(n_a, probs_a, size=reps), rng.multinomial(n_b, probs_b, size=reps)
        wa, wb = 1 / n_a, 1 / n_b
        P, D = ca[:, 0] * wa + cb[:, 0] * wb, ca[:, 2] * wa + cb[:, 2] * wb
        total = n_a * wa + n_b * wb
        for label, neff in (("Kish n_eff", total**2 / (n_a * wa**2 + n_b * wb**2)),
                            ("raw n (ignores weights)", float(n_a + n_b))):
            _, _, lo, hi = m.nps_interval_arrays(P, D, total, np.full(reps, neff))
            rows.append({"method": f"adjusted Wald, {label}", "n": n_a + n_b,
                         "coverage": np.mean((lo <= truth) & (truth <= hi))})
    return _summarise(rows, ["method", "n"])


def main() -> None:
    rng = np.random.default_rng(20261123)
    pd.set_option("display.width", 160)
    print("1. NPS interval coverage (nominal 0.95), 10,000 samples per cell, "
          f"{len(SHARES)} promoter/detractor mixes")
    print(nps_coverage(rng, 10_000).to_string())
    print("\n   count-based bootstrap (2,000 resamples), 400 samples per cell, 4 mixes")
    print(nps_bootstrap_coverage(rng, 400).to_string())
    print("\n2. Top-box proportion coverage, 2,000 samples per cell, 7 proportions")
    print(proportion_coverage(rng, 2000).to_string())
    print("\n3. Mean (t) coverage on a 1..7 scale, 2,000 samples per cell")
    print(mean_coverage(rng, 2000).to_string())
    print("\n4. Weighted NPS (stratum B over-sampled 3:1, design weights), 10,000 samples")
    print(weighted_coverage(rng, 10_000).to_string())


if __name__ == "__main__":
    main()
