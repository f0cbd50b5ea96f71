"""Benchmark: exact Shapley/LMG from the correlation matrix vs a naive loop of regressions.

Run: ``.venv/bin/python benchmarks/bench_drivers.py``. The naive reference fits OLS (numpy
``lstsq`` with an intercept) on every one of the 2^p driver subsets and applies the Shapley
formula; both must agree to 1e-10.
"""

from __future__ import annotations

import itertools
import time
from math import factorial

import numpy as np
import pandas as pd

from cxresearch.linkage.drivers import shapley_importance


def naive_shapley(frame: pd.DataFrame, outcome: str, drivers: list[str]) -> np.ndarray:
    y = frame[outcome].to_numpy(float)
    x = frame[drivers].to_numpy(float)
    n, p = x.shape
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = {0: 0.0}
    for k in range(1, p + 1):
        for s in itertools.combinations(range(p), k):
            design = np.column_stack([np.ones(n), x[:, s]])
            resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
            r2[sum(1 << j for j in s)] = 1 - float(resid @ resid) / tss
    phi = np.zeros(p)
    for j in range(p):
        for mask, val in r2.items():
            if mask & (1 << j):
                continue
            size = mask.bit_count()
            w = factorial(size) * factorial(p - size - 1) / factorial(p)
            phi[j] += w * (r2[mask | (1 << j)] - val)
    return phi


def main() -> None:
    rng = np.random.default_rng(0)
    n = 1000
    header = ("drivers", "exact (s)", "naive loop (s)", "speed-up", "max |diff|")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (7, 10, 15, 9, 11))))
    for p in (5, 10, 12, 15):
        cov = np.full((p, p), 0.3) + 0.7 * np.eye(p)
        x = rng.multivariate_normal(np.zeros(p), cov, size=n)
        frame = pd.DataFrame(x, columns=[f"d{i}" for i in range(p)])
        frame["y"] = x @ np.linspace(0.6, 0.05, p) + rng.standard_normal(n)
        drivers = [f"d{i}" for i in range(p)]
        t0 = time.perf_counter()
        fast = shapley_importance(frame, "y", drivers).estimates["weight"].to_numpy()
        t1 = time.perf_counter()
        slow = naive_shapley(frame, "y", drivers)
        t2 = time.perf_counter()
        print(f"{p:>7} {t1 - t0:>10.3f} {t2 - t1:>15.3f} {(t2 - t1) / (t1 - t0):>8.0f}x "
              f"{np.max(np.abs(fast - slow)):>11.1e}")


if __name__ == "__main__":
    main()
