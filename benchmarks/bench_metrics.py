"""Benchmark cxresearch.metrics.scores: count-based bootstrap and DuckDB aggregation.

Run as a script (about 1-2 minutes; writes only to a temporary directory)::

    .venv/bin/python benchmarks/bench_metrics.py            # full size
    .venv/bin/python benchmarks/bench_metrics.py --quick    # 1M rows, for a smoke test
    .venv/bin/python benchmarks/bench_metrics.py --validation-only   # section 3 only, ~2 s

Prints ratios measured in this one run:

1. The count-based multinomial bootstrap of an NPS
(:func:`cxresearch.metrics.scores.nps_from_counts`,
   ``method="bootstrap"``) against ``scipy.stats.bootstrap`` resampling the 100,000 rows (percentile
   method, same number of resamples): speed-up, and whether the two intervals agree within the
   Monte Carlo error (estimated from repeated count-based runs with different seeds).
2. Counting 10 million responses in 1,000 segments with DuckDB straight from Parquet
   (:func:`cxresearch.metrics.scores.aggregate_responses`) against pandas (read the Parquet file,
   then
   the same function with ``engine="pandas"``, and a bare ``groupby().size()`` without input
   checks): wall time (best of 3) and peak resident memory above the process's RSS before the
   work (Linux VmHWM, reset through /proc/self/clear_refs), each in a fresh subprocess, and a
   check that the counts are identical.
3. Input validation is not the bottleneck: :func:`cxresearch.metrics.scores.nps` on 100,000 answers
   given as a numpy array and as a pandas Series (``method="bootstrap"``: validate, count, then
   the count-based bootstrap) against the bare count-based bootstrap on the same counts
   (:func:`cxresearch.metrics.scores.nps_from_counts`) and against the bare multinomial draw alone.
   Target: nps on the numpy array <= 3x the bare count-based bootstrap. For reference the run
   also times the per-element Python check the old validation did (``Series.map`` of an
   ``isinstance`` test over an object copy of the answers). Before the fix (commit 6b9c55f,
   2 CPUs, n_boot = 2,000) nps on the numpy array took 80 ms, 117x the bare bootstrap (0.68
   ms); on the Series 2.4 ms (3.5x).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _best(func, repeats: int = 15) -> float:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeats`` calls (seconds)."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def _validation_benchmark(n: int, n_boot: int, seed: int) -> dict[str, float]:
    import pandas as pd

    from cxresearch.metrics.scores import nps, nps_from_counts

    rng = np.random.default_rng(seed)
    scores = rng.choice(11, size=n, p=[0.04] * 7 + [0.12, 0.14, 0.2, 0.26])
    series = pd.Series(scores, name="nps")
    P, D = int((scores >= 9).sum()), int((scores <= 6).sum())
    O_ = n - P - D
    shares = [P / n, O_ / n, D / n]
    out = {
        "n": n, "n_boot": n_boot,
        "counts": _best(lambda: nps_from_counts(P, O_, D, method="bootstrap", n_boot=n_boot,
                                                seed=seed)),
        "draw": _best(lambda: np.random.default_rng(seed).multinomial(n, shares, size=n_boot)),
        "array": _best(lambda: nps(scores, method="bootstrap", n_boot=n_boot, seed=seed)),
        "series": _best(lambda: nps(series, method="bootstrap", n_boot=n_boot, seed=seed)),
        # what the old _clean spent on a numpy array: an object copy and a per-element map
        "old_map": _best(lambda: pd.Series(np.asarray(scores, dtype=object)).map(
            lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool), repeats=3),
    }
    a = nps(scores, method="bootstrap", n_boot=n_boot, seed=seed)
    b = nps_from_counts(P, O_, D, method="bootstrap", n_boot=n_boot, seed=seed)
    out["identical"] = float((a.estimate, a.se, a.ci_low, a.ci_high)
                             == (b.estimate, b.se, b.ci_low, b.ci_high))
    return out


def _print_validation(v: dict[str, float]) -> None:
    c = v["counts"]
    print(f"\n3. Validation overhead: nps(..., method='bootstrap') on {v['n']:,} answers, "
          f"{v['n_boot']:,} resamples (best of 15)")
    print(f"   bare multinomial draw           : {v['draw'] * 1e3:7.2f} ms")
    print(f"   bare count-based bootstrap      : {c * 1e3:7.2f} ms  (nps_from_counts)")
    print(f"   nps on a numpy array            : {v['array'] * 1e3:7.2f} ms  = "
          f"{v['array'] / c:4.1f}x the bare bootstrap, {v['array'] / v['draw']:4.1f}x the draw "
          f"(target <= 3x the bare bootstrap: {'met' if v['array'] <= 3 * c else 'MISSED'})")
    print(f"   nps on a pandas Series          : {v['series'] * 1e3:7.2f} ms  = "
          f"{v['series'] / c:4.1f}x the bare bootstrap, {v['series'] / v['draw']:4.1f}x the draw")
    print(f"   old per-element check alone     : {v['old_map'] * 1e3:7.2f} ms  "
          f"(before: nps on the array = this + the rest, ~{(v['old_map'] + v['array']) / c:.0f}x)")
    print(f"   same result as from the counts  : {bool(v['identical'])}")


def _bootstrap_benchmark(n: int, n_boot: int, seed: int) -> dict[str, float]:
    from scipy import stats

    from cxresearch.metrics.scores import nps_from_counts

    rng = np.random.default_rng(seed)
    scores = rng.choice(11, size=n, p=[0.04] * 7 + [0.12, 0.14, 0.2, 0.26])
    P, D = int((scores >= 9).sum()), int((scores <= 6).sum())
    O_ = n - P - D
    x = np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))

    # count-based: best of 5 (the timing is ~milliseconds)
    t_counts = []
    for i in range(5):
        t0 = time.perf_counter()
        r = nps_from_counts(P, O_, D, method="bootstrap", n_boot=n_boot, seed=seed + i)
        t_counts.append(time.perf_counter() - t0)
    t_count = min(t_counts)
    # Monte Carlo spread of the endpoints of one bootstrap run with n_boot draws
    reps = [nps_from_counts(P, O_, D, method="bootstrap", n_boot=n_boot, seed=1000 + i)
            for i in range(30)]
    sd_lo = float(np.std([q.ci_low for q in reps], ddof=1))
    sd_hi = float(np.std([q.ci_high for q in reps], ddof=1))

    t0 = time.perf_counter()
    row = stats.bootstrap((x,), np.mean, n_resamples=n_boot, method="percentile",
                          vectorized=True, batch=50, random_state=np.random.default_rng(seed))
    t_row = time.perf_counter() - t0
    lo_row, hi_row = float(row.confidence_interval.low), float(row.confidence_interval.high)
    # the two runs are independent: the SD of a difference is sqrt(2) x the single-run SD
    z_lo = (r.ci_low - lo_row) / (np.sqrt(2) * sd_lo)
    z_hi = (r.ci_high - hi_row) / (np.sqrt(2) * sd_hi)
    return {
        "n": n, "n_boot": n_boot, "nps": r.estimate,
        "count_seconds": t_count, "row_seconds": t_row, "speedup": t_row / t_count,
        "count_ci": (r.ci_low, r.ci_high), "row_ci": (lo_row, hi_row),
        "mc_sd": (sd_lo, sd_hi), "z": (float(z_lo), float(z_hi)),
    }


_CHILD = r"""
import json, resource, sys, time
import numpy as np, pandas as pd
from cxresearch.metrics.scores import aggregate_responses
mode, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
import duckdb, pyarrow  # noqa: F401 - import cost is not part of the measurement


def vm(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) / 1024  # MB
    return float("nan")


try:  # reset the peak-RSS high-water mark (Linux), so the peak is the work's own
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
base = vm("VmRSS:")
t0 = time.perf_counter()
if mode == "duckdb":
    counts = aggregate_responses(path, by="segment", score="nps", scale=(0, 10))
elif mode == "pandas":
    df = pd.read_parquet(path)
    counts = aggregate_responses(df, by="segment", score="nps", scale=(0, 10), engine="pandas")
else:  # a bare pandas groupby, no validation
    df = pd.read_parquet(path)
    counts = df.groupby(["segment", "nps"]).size().rename("n").reset_index()
    counts = counts.rename(columns={"nps": "score"})
    counts["score"] = counts["score"].astype(float)
seconds = time.perf_counter() - t0
peak = vm("VmHWM:")
if peak != peak:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
counts[["segment", "score", "n"]].to_parquet(out)
print(json.dumps({"seconds": seconds, "peak_mb": peak, "base_mb": base,
                  "rows": int(len(counts))}))
"""


def _make_parquet(path: Path, n: int, segments: int, seed: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    writer = None
    chunk = 1_000_000
    # segment-specific promoter / detractor shares, so counts differ between segments
    shift = rng.normal(0, 0.6, size=segments)
    base = np.log(np.array([0.04] * 7 + [0.12, 0.14, 0.2, 0.26]))
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        seg = rng.integers(0, segments, size=size).astype(np.int32)
        # Gumbel-max draw of a score per row from its segment's distribution
        logits = base[None, :] + shift[seg, None] * np.linspace(-1, 1, 11)[None, :]
        score = np.argmax(logits + rng.gumbel(size=(size, 11)), axis=1).astype(np.int8)
        table = pa.table({"segment": seg, "nps": score})
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()


def _run_child(mode: str, path: Path, out: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    res = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(out)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _aggregation_benchmark(
    n: int, segments: int, seed: int, repeats: int = 3
) -> dict[str, dict[str, float]]:
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="cx-bench-") as tmp:
        path = Path(tmp) / "responses.parquet"
        t0 = time.perf_counter()
        _make_parquet(path, n, segments, seed)
        make_s = time.perf_counter() - t0
        results = {}
        frames = {}
        for mode in ("duckdb", "pandas", "groupby"):
            out = Path(tmp) / f"counts_{mode}.parquet"
            runs = [_run_child(mode, path, out) for _ in range(repeats)]
            best = min(runs, key=lambda r: r["seconds"])
            best["peak_mb"] = max(r["peak_mb"] for r in runs)
            best["base_mb"] = min(r["base_mb"] for r in runs)
            results[mode] = best
            frames[mode] = pd.read_parquet(out)
        ident = all(
            frames[k].reset_index(drop=True).astype({"segment": "int64", "n": "int64"}).equals(
                frames["duckdb"].reset_index(drop=True).astype({"segment": "int64",
                                                                 "n": "int64"}))
            for k in ("pandas", "groupby")
        )
        results["meta"] = {"make_seconds": make_s, "identical": ident,
                           "file_mb": path.stat().st_size / 2**20}
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="1M rows instead of 10M")
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--validation-only", action="store_true",
                    help="run only section 3 (validation overhead), about 2 seconds")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import duckdb
    import pandas as pd
    import scipy

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {scipy.__version__}, duckdb {duckdb.__version__}, {os.cpu_count()} CPU(s)")
    if args.validation_only:
        _print_validation(_validation_benchmark(100_000, args.n_boot, args.seed))
        return

    b = _bootstrap_benchmark(100_000, args.n_boot, args.seed)
    print(f"\n1. NPS bootstrap on {b['n']:,} responses, {b['n_boot']:,} resamples "
          f"(NPS = {b['nps']:.2f})")
    print(f"   count-based multinomial : {b['count_seconds'] * 1e3:9.2f} ms  "
          f"CI {b['count_ci'][0]:.2f} to {b['count_ci'][1]:.2f}")
    print(f"   scipy.stats.bootstrap   : {b['row_seconds'] * 1e3:9.2f} ms  "
          f"CI {b['row_ci'][0]:.2f} to {b['row_ci'][1]:.2f}")
    print(f"   speed-up: {b['speedup']:,.0f}x  (target >= 100x)")
    print(f"   Monte Carlo SD of one run's endpoints: {b['mc_sd'][0]:.3f}, {b['mc_sd'][1]:.3f}; "
          f"difference in SD units: {b['z'][0]:+.2f}, {b['z'][1]:+.2f} "
          f"({'within' if max(map(abs, b['z'])) < 3 else 'OUTSIDE'} Monte Carlo error)")

    n = 1_000_000 if args.quick else 10_000_000
    a = _aggregation_benchmark(n, 1000, args.seed)
    meta = a.pop("meta")
    print(f"\n2. Counting {n:,} responses in 1,000 segments from Parquet "
          f"({meta['file_mb']:.0f} MB file); best time of 3 fresh processes, "
          f"largest peak")
    names = {"duckdb": "DuckDB aggregate_responses", "pandas": "pandas read + engine='pandas'",
             "groupby": "pandas read + bare groupby"}
    for mode, r in a.items():
        print(f"   {names[mode]:<31}: {r['seconds']:6.2f} s, peak RSS {r['peak_mb']:7.0f} MB "
              f"(+{r['peak_mb'] - r['base_mb']:.0f} MB over the RSS before)")
    d, p, g = a["duckdb"], a["pandas"], a["groupby"]
    print(f"   DuckDB vs pandas engine : {p['seconds'] / d['seconds']:.1f}x faster, "
          f"{(p['peak_mb'] - p['base_mb']) / max(d['peak_mb'] - d['base_mb'], 1):.1f}x less "
          f"added memory")
    print(f"   DuckDB vs bare groupby  : {g['seconds'] / d['seconds']:.1f}x faster, "
          f"{(g['peak_mb'] - g['base_mb']) / max(d['peak_mb'] - d['base_mb'], 1):.1f}x less "
          f"added memory")
    print(f"   identical counts from all three: {meta['identical']}")

    _print_validation(_validation_benchmark(100_000, args.n_boot, args.seed))


if __name__ == "__main__":
    main()
