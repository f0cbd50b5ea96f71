"""Benchmark cxresearch.metrics.weighting.rake against R's survey::rake on the same data.

Run as a script (about half a minute with R; writes only to a temporary directory)::

    .venv/bin/python benchmarks/bench_rake.py              # 1,000,000 answers, 3 margins
    .venv/bin/python benchmarks/bench_rake.py --n 100000   # a smaller run
    .venv/bin/python benchmarks/bench_rake.py --no-r       # Python only

Prints, measured in this one run on the same seeded answers (region 4, channel 3, age group 5
categories; lognormal design weights; margins as population counts):

- ``rake(data, margins, weight="w")`` (best of 3), with text columns and with categorical
  columns: seconds and the target (under 1 s for 1M answers x 3 margins);
- R ``survey::rake(svydesign(ids = ~1, weights = ~w, data = d), list(~region, ~channel, ~age),
  <margins>, control = list(maxit = 100, epsilon = 1e-10))`` (``Rscript``, survey from Debian
  ``r-cran-survey``): seconds of ``rake()`` alone (``system.time``; reading the CSV and
  ``svydesign`` are not timed), and the ratio R / Python;
- the largest relative difference between the two sets of weights (R writes them back).

Both rake to convergence (R: the weighted cross-table moves by less than 1e-10 of the total
between sweeps; cxresearch: every margin within 1e-10 of its target); the fixed point is the
same. cxresearch rakes the weighted cross-table of the margins (one ``bincount`` over the rows,
then iterative proportional fitting on at most a few hundred cells, then one gather), R
post-stratifies the whole design once per margin and sweep.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

R_SCRIPT = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("character", "character", "character", "numeric"))
mg <- read.csv(args[2], colClasses = c("character", "character", "numeric"))
pop <- function(name) {
  m <- mg[mg$margin == name, ]
  out <- data.frame(m$category, m$count)
  names(out) <- c(name, "Freq")
  out
}
des <- svydesign(ids = ~1, weights = ~w, data = d)
t <- system.time(r <- rake(des, list(~region, ~channel, ~age),
                           list(pop("region"), pop("channel"), pop("age")),
                           control = list(maxit = 100, epsilon = 1e-10)))
writeLines(sprintf("%.17g", weights(r)), args[3])
cat(sprintf("SECONDS %.6f\nSURVEY %s\nR %s.%s\n", t[["elapsed"]],
            as.character(packageVersion("survey")), R.version$major, R.version$minor))
"""


def make_data(n: int, seed: int) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """Seeded answers over-representing one region, web and the young, with design weights."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({
        "region": rng.choice(["north", "south", "east", "west"], n, p=[0.4, 0.3, 0.2, 0.1]),
        "channel": rng.choice(["web", "phone", "app"], n, p=[0.6, 0.25, 0.15]),
        "age": rng.choice(["18-24", "25-34", "35-49", "50-64", "65+"], n,
                          p=[0.3, 0.3, 0.2, 0.12, 0.08]),
        "w": np.round(np.exp(rng.normal(0.0, 0.3, n)), 6),
    })
    total = 5_000_000.0
    margins = {
        "region": {"north": 0.3, "south": 0.3, "east": 0.2, "west": 0.2},
        "channel": {"web": 0.4, "phone": 0.35, "app": 0.25},
        "age": {"18-24": 0.15, "25-34": 0.2, "35-49": 0.25, "50-64": 0.22, "65+": 0.18},
    }
    return data, {m: {k: v * total for k, v in c.items()} for m, c in margins.items()}


def best_of(func, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="answers (default 1,000,000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-r", action="store_true", help="skip R's survey::rake")
    args = ap.parse_args(argv)

    from cxresearch.metrics.weighting import rake

    data, margins = make_data(args.n, args.seed)
    cats = data.astype({c: "category" for c in ("region", "channel", "age")})
    res = rake(data, margins, weight="w")
    t_text = best_of(lambda: rake(data, margins, weight="w"))
    t_cat = best_of(lambda: rake(cats, margins, weight="w"))
    print(f"raking {args.n:,} answers on 3 margins (4 x 3 x 5 categories), seed {args.seed}")
    print(f"{'':38} {'seconds':>9}")
    print(f"{'cxresearch rake, text columns':38} {t_text:9.3f}   converged in {res.iterations} "
          f"sweeps; Kish deff {res.design_effect:.3f}")
    print(f"{'cxresearch rake, categorical columns':38} {t_cat:9.3f}")
    target = "met" if t_text < 1.0 else "MISSED"
    print(f"target: under 1 s for 1M answers x 3 margins: {target}"
          + ("" if args.n == 1_000_000 else " (measured at another n)"))

    rscript = shutil.which("Rscript")
    if args.no_r or rscript is None:
        print("R survey::rake skipped" + ("" if args.no_r else " (no Rscript on PATH)"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        data.to_csv(t / "answers.csv", index=False)
        pd.DataFrame([(m, k, v) for m, c in margins.items() for k, v in c.items()],
                     columns=["margin", "category", "count"]).to_csv(t / "margins.csv",
                                                                     index=False)
        (t / "rake.R").write_text(R_SCRIPT)
        out = subprocess.run([rscript, str(t / "rake.R"), str(t / "answers.csv"),
                              str(t / "margins.csv"), str(t / "weights.txt")],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"R survey::rake failed: {out.stderr.strip()[-500:]}")
            return
        info = dict(line.split(" ", 1) for line in out.stdout.strip().splitlines())
        t_r = float(info["SECONDS"])
        w_r = np.loadtxt(t / "weights.txt")
    diff = float(np.max(np.abs(res.weights.to_numpy() / w_r - 1)))
    print(f"{'R survey::rake (R ' + info['R'] + ', survey ' + info['SURVEY'] + ')':38} "
          f"{t_r:9.3f}")
    print(f"ratio R / cxresearch (text columns): {t_r / t_text:,.0f}x")
    print(f"largest relative difference of the weights: {diff:.1e}")


if __name__ == "__main__":
    main()
