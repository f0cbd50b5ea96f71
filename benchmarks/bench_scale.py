"""Counting at scale: DuckDB, Spark (local) and pandas on 1 to 100 million answers.

Generates (never commits) answers in Parquet -- ``--units`` units (stores, branches, agents)
over 12 months, an NPS answer (0..10, 1% missing) and a survey weight on a binary grid (so that
every sum is exact and the engines can be compared bit for bit) -- as files of one million rows,
and counts the first 1M, 3M, 10M, ... of them per unit with
``aggregate_responses(files, by="unit", score="nps", weights="w", scale=(0, 10))`` (about
120,000 count rows; ``--by month`` counts per month and unit instead, 1.4 million count rows,
which adds the cost of returning and sorting them) on each engine, each size and engine in a
fresh process:

- ``duckdb``: the default engine, streaming the files;
- ``spark``: a local Spark session (``local[--spark-cores]``, ``--spark-memory`` heap); the
  session start is timed on its own, then the count twice: the first also warms the JVM
  (class loading, JIT), the second is the one a running session gives and the one reported;
- ``pandas``: the files read into memory, then counted (skipped when the answers would not fit:
  ``--pandas-max-rows``, by default what ~40% of the available memory holds at ~120 bytes per
  answer).

For each it reports the wall time of the count and the peak resident memory (Linux VmHWM; for
Spark the Python process plus the JVM, each at its own peak), and checks that every engine's
counts are identical to DuckDB's. Finally the NPS over all answers, with its standard error
clustered by unit, is estimated from the largest size's counts
(:func:`cxresearch.metrics.scores.summarise_counts`), which costs the same at any number of answers.

Usage::

    .venv/bin/python benchmarks/bench_scale.py                       # 1M, 3M, 10M (a few minutes)
    .venv/bin/python benchmarks/bench_scale.py --max-rows 100000000  # up to 100M (the README)
    .venv/bin/python benchmarks/bench_scale.py --engines duckdb --sizes 1e6,1e8

The files go to a temporary directory, deleted afterwards (``--workdir`` and ``--keep`` to
reuse them: parts already there are not generated again).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PART_ROWS = 1_000_000
BY = {"unit": dict(by="unit"), "month": dict(by="month", cluster="unit")}

_CHILD = r"""
import json, os, sys, time
engine, source, out, cores, memory = sys.argv[1:6]
import duckdb, pandas as pd, pyarrow  # noqa: F401 - imports are not part of the measurement
from cxresearch.metrics.scores import aggregate_responses


def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024  # MB
    except OSError:
        pass
    return 0.0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(p) for p in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in children(k)]


result = {"engine": engine}
handle = engine
if engine == "spark":
    from cxresearch.metrics.engines import local_spark
    t0 = time.perf_counter()
    handle = local_spark(cores=int(cores), memory=memory)
    result["start_seconds"] = time.perf_counter() - t0
try:  # reset this process's peak-RSS mark (Linux), so its peak is the count's own
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
except OSError:
    pass
result["base_mb"] = status("self", "VmRSS:")
kw = json.loads(sys.argv[6])
kw["scale"] = tuple(kw["scale"])
t0 = time.perf_counter()
counts = aggregate_responses(source, engine=handle, **kw)
result["seconds"] = result["first_seconds"] = time.perf_counter() - t0
if engine == "spark":  # the first query also warms the JVM (class loading, JIT): count again
    t0 = time.perf_counter()
    counts = aggregate_responses(source, engine=handle, **kw)
    result["seconds"] = time.perf_counter() - t0
result["python_peak_mb"] = status("self", "VmHWM:")
result["jvm_peak_mb"] = sum(status(p, "VmHWM:") for p in children(os.getpid()))
result["peak_mb"] = result["python_peak_mb"] + result["jvm_peak_mb"]
result["rows_out"] = int(len(counts))
result["answers"] = int(counts["n"].sum())
counts.to_parquet(out)
if engine == "spark":
    handle.stop()
print("RESULT " + json.dumps(result))
"""


def _parse_sizes(text: str) -> list[int]:
    return [int(float(x)) for x in text.split(",") if x.strip()]


def _make_part(path: Path, index: int, units: int, seed: int) -> None:
    """One million answers: unit, month, NPS (nullable int8, 1% missing), weight (k/8)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng([seed, index])
    n = PART_ROWS
    unit = rng.integers(0, units, n).astype(np.int32)
    month = rng.integers(1, 13, n).astype(np.int8)
    # each unit has its own promoter / detractor mix (Gumbel-max draw from shifted logits)
    shift = np.random.default_rng(seed).normal(0, 0.6, units)
    base = np.log(np.array([0.04] * 7 + [0.12, 0.14, 0.2, 0.26]))
    logits = base[None, :] + shift[unit, None] * np.linspace(-1, 1, 11)[None, :]
    nps = np.argmax(logits + rng.gumbel(size=(n, 11)), axis=1).astype(np.int8)
    missing = rng.random(n) < 0.01
    w = rng.integers(2, 33, n) / 8.0  # 0.25 .. 4, exact in binary: sums do not depend on order
    table = pa.table({"unit": unit, "month": month,
                      "nps": pa.array(nps, mask=missing, type=pa.int8()), "w": w})
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, row_group_size=250_000)
    tmp.rename(path)


def _prepare(workdir: Path, sizes: list[int], units: int, seed: int) -> dict[int, str]:
    """The parts (generated once) and, per size, a directory of links to its first parts."""
    parts = workdir / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    n_parts = max(sizes) // PART_ROWS
    t0 = time.perf_counter()
    made = 0
    for i in range(n_parts):
        p = parts / f"part-{i:05d}.parquet"
        if not p.exists():
            _make_part(p, i, units, seed)
            made += 1
    if made:
        size_mb = sum(f.stat().st_size for f in parts.glob("*.parquet")) / 2**20
        print(f"generated {made} file(s) of {PART_ROWS:,} answers in "
              f"{time.perf_counter() - t0:.0f} s ({size_mb:,.0f} MB of Parquet in all)")
    globs = {}
    for n in sizes:
        d = workdir / f"n{n}"
        d.mkdir(exist_ok=True)
        for i in range(n // PART_ROWS):
            link = d / f"part-{i:05d}.parquet"
            if not link.exists():
                link.symlink_to(parts / link.name)
        globs[n] = str(d / "part-*.parquet")
    return globs


def _run(engine: str, source: str, out: Path, args: argparse.Namespace) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-c", _CHILD, engine, source, str(out), str(args.spark_cores),
           args.spark_memory, json.dumps(_count_args(args.by))]
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("RESULT ")]
    if res.returncode != 0 or not lines:
        tail = (res.stderr or res.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"{engine} failed:\n" + "\n".join(tail))
    return json.loads(lines[-1][7:])


def _count_args(by: str) -> dict:
    return dict(score="nps", weights="w", scale=(0, 10), **BY[by])


def _mem_available_mb() -> float:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-rows", type=float, default=10_000_000,
                    help="largest size (default 1e7; 1e8 for the README table)")
    ap.add_argument("--sizes", type=str, default=None,
                    help="comma-separated sizes, multiples of 1e6 (default: 1e6, 3e6, 1e7, 3e7, "
                         "1e8 up to --max-rows)")
    ap.add_argument("--units", type=int, default=10_000, help="units (clusters), default 10,000")
    ap.add_argument("--by", choices=sorted(BY), default="unit",
                    help="count per unit (default) or per month and unit")
    ap.add_argument("--engines", type=str, default="duckdb,spark,pandas",
                    help="comma-separated engines (default duckdb,spark,pandas)")
    ap.add_argument("--spark-cores", type=int, default=2, help="local[N] (default 2)")
    ap.add_argument("--spark-memory", type=str, default="1g", help="Spark driver heap (1g)")
    ap.add_argument("--pandas-max-rows", type=float, default=None,
                    help="largest size pandas is run on (default: what ~40%% of the available "
                         "memory holds at ~120 bytes per answer)")
    ap.add_argument("--workdir", type=str, default=None,
                    help="where the Parquet files go (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the files of --workdir")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--json", type=str, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    max_rows = int(args.max_rows)
    sizes = (_parse_sizes(args.sizes) if args.sizes else
             [n for n in (1_000_000, 3_000_000, 10_000_000, 30_000_000, 100_000_000)
              if n <= max_rows])
    if not sizes or any(n % PART_ROWS for n in sizes):
        ap.error("sizes must be positive multiples of 1,000,000")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    avail = _mem_available_mb()
    pandas_max = (int(args.pandas_max_rows) if args.pandas_max_rows is not None
                  else int(0.4 * avail * 2**20 / 120))
    sys.path.insert(0, str(ROOT))
    import duckdb
    import pandas as pd

    if "spark" in engines:
        from cxresearch.metrics.engines import spark_unavailable_reason

        reason = spark_unavailable_reason()
        if reason:
            print(f"Spark skipped: {reason}")
            engines.remove("spark")
    spark_version = ""
    if "spark" in engines:
        import pyspark

        spark_version = f", pyspark {pyspark.__version__}"
    load = os.getloadavg()
    print(f"Python {sys.version.split()[0]}, duckdb {duckdb.__version__}, pandas "
          f"{pd.__version__}{spark_version}; {os.cpu_count()} CPU(s), "
          f"{avail / 1024:.1f} GB available, load average {load[0]:.1f}")
    call = ", ".join(f"{k}={v!r}" for k, v in _count_args(args.by).items())
    print(f"count: aggregate_responses(files, {call}) over {args.units:,} units x 12 months")

    own = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="cx-scale-"))
    results: list[dict] = []
    try:
        globs = _prepare(workdir, sizes, args.units, args.seed)
        header = (f"{'answers':>12} | {'engine':<7} | {'count (s)':>9} | {'peak RSS (MB)':>13} | "
                  f"{'answers/s':>10} | identical to DuckDB")
        print("\n" + header + "\n" + "-" * len(header))
        for n in sizes:
            frames = {}
            for engine in engines:
                if engine == "pandas" and n > pandas_max:
                    need = n * 120 / 2**20
                    print(f"{n:>12,} | {engine:<7} | {'skipped':>9} | (needs ~{need:,.0f} MB; "
                          f"--pandas-max-rows {pandas_max:,})")
                    continue
                out = workdir / f"counts-{engine}-{n}.parquet"
                try:
                    r = _run(engine, globs[n], out, args)
                except RuntimeError as err:  # e.g. killed for lack of memory: say so, go on
                    print(f"{n:>12,} | {engine:<7} | {'failed':>9} | {err}", flush=True)
                    continue
                frames[engine] = pd.read_parquet(out)
                same = ""
                if engine != "duckdb" and "duckdb" in frames:
                    try:
                        pd.testing.assert_frame_equal(frames[engine], frames["duckdb"],
                                                      check_exact=True, check_dtype=False)
                        same = "yes"
                    except AssertionError:
                        same = "NO"
                r.update(rows=n, identical=same)
                results.append(r)
                extra = (f" (session start {r['start_seconds']:.1f} s, first count "
                         f"{r['first_seconds']:.1f} s; JVM {r['jvm_peak_mb']:,.0f} MB)"
                         if engine == "spark" else "")
                print(f"{n:>12,} | {engine:<7} | {r['seconds']:9.2f} | {r['peak_mb']:13,.0f} | "
                      f"{n / r['seconds']:10.2e} | {same or '-'}{extra}", flush=True)
                assert r["answers"] == n, (engine, r["answers"], n)
        if "duckdb" in frames:
            from cxresearch.metrics.scores import summarise_counts

            counts = frames["duckdb"]
            t0 = time.perf_counter()
            nps = summarise_counts(counts, None, "nps", cluster="unit").iloc[0]
            secs = time.perf_counter() - t0
            print(f"\nNPS of all {sizes[-1]:,} answers, SE clustered by unit, from the "
                  f"{len(counts):,} count rows: {secs:.2f} s (NPS {nps['estimate']:.2f}, SE "
                  f"{nps['se']:.3f}, design effect {nps['design_effect']:.1f}, "
                  f"{nps['n_clusters']:,} clusters)")
        if len(sizes) > 1:
            print("\nscaling (time ratio per 10x more answers, smallest to largest size):")
            for engine in engines:
                rs = [r for r in results if r["engine"] == engine]
                if len(rs) > 1:
                    a, b = rs[0], rs[-1]
                    k = np.log10(b["rows"] / a["rows"])
                    print(f"   {engine:<7}: {(b['seconds'] / a['seconds']) ** (1 / k):.1f}x per "
                          f"10x rows ({a['rows']:,} -> {b['rows']:,})")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2))
    finally:
        if own and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif own:
            print(f"files kept in {workdir}")


if __name__ == "__main__":
    main()
