"""Benchmark cxresearch.metrics.waves.compare_waves on 10 million answers from Parquet.

Run as a script (about a minute, most of it writing the data; writes only to a temporary
directory)::

    .venv/bin/python benchmarks/bench_waves.py               # 10,000,000 answers
    .venv/bin/python benchmarks/bench_waves.py --n 1000000   # a smaller run

The data: a seeded tracker of ``--n`` answers over 24 months in 50 segments (10 regions x
5 channels), nested in 500 stores (50 per region, so every store answers in 5 segments and
24 months), with design weights; one Parquet file. The call, timed in a fresh subprocess::

    compare_waves(path, "nps", "month", by=["region", "channel"], weights="w",
                  cluster="store", trend=True)

counts the answers in DuckDB (``aggregate_responses``: by segment, month, store and score),
then computes every change (50 segments x 23 consecutive pairs) and trend with its clustered
SE from the counts. Printed: wall time, peak resident memory above the process's RSS before
the call (Linux VmHWM, reset through /proc/self/clear_refs), the number of rows returned, and
the targets (under 5 s and under 1 GB for 10M answers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import json, sys, time, resource
sys.path.insert(0, sys.argv[2])
import cxresearch.metrics.scores, duckdb, scipy.stats  # imports are not part of the timing
from cxresearch.metrics.waves import compare_waves

def vm(key):
    try:
        for line in open("/proc/self/status"):
            if line.startswith(key):
                return float(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")

try:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
base = vm("VmRSS:")
t0 = time.perf_counter()
out = compare_waves(sys.argv[1], "nps", "month", by=["region", "channel"], weights="w",
                    cluster="store", trend=True)
seconds = time.perf_counter() - t0
peak = vm("VmHWM:")
if peak != peak:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
pick = (out["region"] == "r00") & (out["channel"] == "web") & (out["contrast"] == "trend")
print(json.dumps({"seconds": seconds, "peak_mb": peak - base, "rows": len(out),
                  "tested": int(out["flag"].eq("").sum()),
                  "trend": float(out.loc[pick, "change"].iloc[0]),
                  "trend_se": float(out.loc[pick, "se"].iloc[0])}))
"""


def make_data(n: int, seed: int, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    chunk = 2_000_000
    writer = None
    store_effect = rng.normal(0.0, 0.8, 500)
    channels = np.array(["web", "phone", "app", "chat", "store"])
    for start in range(0, n, chunk):
        k = min(chunk, n - start)
        store = rng.integers(0, 500, k)
        region = store // 50
        month = rng.integers(1, 25, k)
        ch = rng.integers(0, 5, k)
        lift = 0.03 * (month - 1) * (region == 0)  # a real trend in one region
        nps = np.clip(np.round(7 + store_effect[store] + lift + rng.normal(0, 2, k)), 0, 10)
        table = pa.table({
            "region": pa.array(np.char.add("r", np.char.zfill(region.astype(str), 2))),
            "channel": pa.array(channels[ch]),
            "store": pa.array(store.astype(np.int32)),
            "month": pa.array(month.astype(np.int16)),
            "nps": pa.array(nps.astype(np.int8)),
            "w": pa.array(np.round(np.exp(rng.normal(0, 0.3, k)), 4)),
        })
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    assert writer is not None
    writer.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000_000, help="answers (default 10,000,000)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tracker.parquet"
        t0 = time.perf_counter()
        make_data(args.n, args.seed, path)
        made = time.perf_counter() - t0
        res = subprocess.run([sys.executable, "-c", CHILD, str(path), str(ROOT)],
                             capture_output=True, text=True, check=False)
        if res.returncode != 0:
            print(res.stderr[-2000:])
            raise SystemExit(1)
        r = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"compare_waves on {args.n:,} answers, 24 months x 50 segments, 500 stores "
          f"(Parquet written in {made:.1f} s, not timed)")
    print(f"   wall time            : {r['seconds']:7.2f} s   (target < 5 s: "
          f"{'met' if r['seconds'] < 5 else 'MISSED'})")
    print(f"   peak memory above RSS: {r['peak_mb']:7.0f} MB  (target < 1 GB: "
          f"{'met' if r['peak_mb'] < 1024 else 'MISSED'})")
    print(f"   rows returned        : {r['rows']:,} ({r['tested']:,} tested); trend of r00/web "
          f"(the region with a real rise): {r['trend']:.3f} NPS points per month "
          f"(SE {r['trend_se']:.3f})")


if __name__ == "__main__":
    main()
