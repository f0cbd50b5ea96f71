"""Benchmark: simulate 1M customers in 1,000 firms over 5 years (targets: < 5 s, < 2 GB).

Run: ``.venv/bin/python benchmarks/bench_simulate.py`` (prints one line per repetition and the
best time; peak memory is the process's maximum resident set size, measured in a fresh
subprocess per repetition so that repetitions do not share a high-water mark).
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, time
t0 = time.perf_counter()
from cxresearch.simulate.study import StudyParams, simulate_study
params = StudyParams(n_firms=1000, n_years=5, customers_per_firm_year=200.0)
t1 = time.perf_counter()
s = simulate_study(params, seed=0)
t2 = time.perf_counter()
print(json.dumps({
    "seconds": t2 - t1,
    "import_seconds": t1 - t0,
    "customers": int(s.customers.shape[0]),
    "employees": int(s.employees.shape[0]),
    "firm_years": int(s.firm_years.shape[0]),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main(repeats: int = 3) -> dict[str, float]:
    """Run the benchmark ``repeats`` times; return the best time and the largest peak RSS."""
    runs = []
    for i in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", CHILD], check=True, capture_output=True, text=True
        ).stdout
        run = json.loads(out.strip().splitlines()[-1])
        runs.append(run)
        print(
            f"run {i + 1}: {run['customers']:,} customers, {run['employees']:,} employees, "
            f"{run['firm_years']:,} firm-years: {run['seconds']:.2f} s, "
            f"peak RSS {run['peak_rss_mb']:.0f} MB"
        )
    best = min(r["seconds"] for r in runs)
    peak = max(r["peak_rss_mb"] for r in runs)
    print(f"best {best:.2f} s (target < 5 s); peak RSS {peak:.0f} MB (target < 2048 MB)")
    return {"best_seconds": best, "peak_rss_mb": peak}


if __name__ == "__main__":
    main()
