"""Validation of the causal designs of issue 17 on the threats in cxresearch.simulate.threats.

For each scenario (parallel trends, slump before the appointment = Ashenfelter dip,
anticipation, time-varying confounding, heterogeneous effects by firm type, leader x culture)
and >= 200 seeded replications, every estimator targets the average effect of appointing a CX
leader over event times 0..3 (the truth of the simulated firms), and the table reports bias,
RMSE, mean SE against the SD of the estimates, and the 95% interval coverage with its
Monte-Carlo SE. Estimators: the naive comparison (pooled OLS with year effects), static TWFE,
the event study (unconditional; with covariates ``x, firm_type, culture`` by outcome
regression "reg" and doubly robust "dr"), and, where it is the fix, the event study with one
period of anticipation; in the culture scenario also the leader x culture difference
(:func:`cxresearch.causal.did.event_study_by`). The single-firm designs are validated by
``--only single`` (interrupted time series, synthetic control) when
:mod:`cxresearch.causal.single_firm` exists.

Usage::

    .venv/bin/python scripts/validate_causal.py [--reps 200] [--workers 2] [--only panel|single]

Writes ``scripts/results/validate_causal.csv`` and ``.md`` and prints the table.
"""

from __future__ import annotations

import argparse
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

Z = 1.959963984540054
COVS = ["x", "firm_type", "culture"]
SCENARIOS = ("parallel", "slump", "anticipation", "confounding", "heterogeneous", "culture")


def panel_rep(args: tuple[str, int]) -> list[dict]:
    from cxresearch.causal import did
    from cxresearch.simulate.threats import simulate_threat_panel

    scenario, seed = args
    warnings.simplefilter("ignore")
    p, truth = simulate_threat_panel(scenario, n_units=400, n_periods=10, seed=1000 + seed)
    tr = truth.set_index("event_time")
    target = float(tr.loc[[0, 1, 2, 3], "att"].mean())
    out = []

    def rec(name: str, est: float, se: float, truth_: float = target,
            estimand: str = "ATT, e = 0..3") -> None:
        out.append({"scenario": scenario, "estimator": name, "estimand": estimand,
                    "truth": truth_, "estimate": est, "se": se})

    r = did.naive_comparison(p, "y", "treated", "unit", "time")
    rec("naive comparison", r.estimate, r.se)
    r = did.twfe_static(p, "y", "unit", "time", "first_treated")
    rec("TWFE (static)", r.estimate, r.se)
    r = did.event_study(p, "y", "unit", "time", "first_treated").overall()
    rec("event study (no covariates)", r.estimate, r.se)
    for m in ("reg", "dr"):
        r = did.event_study(p, "y", "unit", "time", "first_treated", covariates=COVS,
                            method=m).overall()
        rec(f"event study ({m}, covariates)", r.estimate, r.se)
    if scenario in ("anticipation", "slump"):
        r = did.event_study(p, "y", "unit", "time", "first_treated", window=(-4, 3),
                            covariates=COVS, method="dr", anticipation=1).overall()
        rec("event study (dr, anticipation = 1)", r.estimate, r.se)
    pl = did.placebo_test(p, "y", "unit", "time", "first_treated", shift=2)
    rec("placebo test (shift 2)", pl.estimate, pl.se, 0.0, "placebo effect = 0")
    if scenario == "culture":
        by = did.event_study_by(p, "y", "unit", "time", "first_treated", by="culture").to_frame()
        diff = float(tr.loc[[0, 1, 2, 3], "att_culture1"].mean()
                     - tr.loc[[0, 1, 2, 3], "att_culture0"].mean())
        row = by.iloc[-1]
        rec("event study by culture (difference)", row.estimate, row.se, diff,
            "leader x culture")
    return out


def single_rep(seed: int) -> list[dict]:
    from cxresearch.causal import single_firm
    from cxresearch.simulate.threats import simulate_firm_series

    warnings.simplefilter("ignore")
    s, truth = simulate_firm_series(n_months=60, appoint_month=40, effect=2.0,
                                    effect_growth=0.0, n_donors=20, seed=5000 + seed)
    target = float(truth.loc[truth["month"] >= 40, "effect_cx"].mean())
    firm = s[s["firm"] == "firm"]
    its = single_firm.interrupted_time_series(firm, "cx", "month", 40)
    sc = single_firm.synthetic_control(s, "cx", "firm", "month", "firm", 40)
    out = [{"scenario": "single firm", "estimator": "interrupted time series (HAC)",
            "estimand": "mean effect after", "truth": target, "estimate": its.estimate,
            "se": its.se, "ci_low": its.ci_low, "ci_high": its.ci_high},
           {"scenario": "single firm", "estimator": "synthetic control (placebo-in-space)",
            "estimand": "mean effect after", "truth": target, "estimate": sc.estimate,
            "se": np.nan, "ci_low": sc.ci_low, "ci_high": sc.ci_high,
            "p_value": sc.p_value}]
    return out


def summarise(recs: pd.DataFrame) -> pd.DataFrame:
    if "ci_low" not in recs:
        recs["ci_low"] = np.nan
        recs["ci_high"] = np.nan
    lo = recs["ci_low"].fillna(recs["estimate"] - Z * recs["se"])
    hi = recs["ci_high"].fillna(recs["estimate"] + Z * recs["se"])
    recs = recs.assign(cover=(lo <= recs["truth"]) & (recs["truth"] <= hi),
                       err=recs["estimate"] - recs["truth"])
    g = recs.groupby(["scenario", "estimator", "estimand"], sort=False)
    out = g.agg(reps=("err", "size"), truth=("truth", "mean"), mean_estimate=("estimate", "mean"),
                bias=("err", "mean"), rmse=("err", lambda e: float(np.sqrt(np.mean(e**2)))),
                mean_se=("se", "mean"), sd_estimate=("estimate", "std"),
                coverage=("cover", "mean")).reset_index()
    out["coverage_mc_se"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / out["reps"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=["panel", "single"], default=None)
    ap.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    a = ap.parse_args()
    recs: list[dict] = []
    with ProcessPoolExecutor(a.workers) as ex:
        if a.only in (None, "panel"):
            for s in a.scenarios:
                for chunk in ex.map(panel_rep, [(s, r) for r in range(a.reps)], chunksize=4):
                    recs.extend(chunk)
                with pd.option_context("display.width", 250, "display.max_columns", 20):
                    print(summarise(pd.DataFrame([r for r in recs if r["scenario"] == s]))
                          .round(3).to_string(index=False), flush=True)
        if a.only in (None, "single"):
            try:
                import cxresearch.causal.single_firm  # noqa: F401
            except ImportError:
                print("cxresearch.causal.single_firm not available: single-firm designs skipped")
            else:
                for chunk in ex.map(single_rep, range(a.reps), chunksize=8):
                    recs.extend(chunk)
    table = summarise(pd.DataFrame(recs))
    res = Path(__file__).parent / "results"
    res.mkdir(exist_ok=True)
    suffix = "" if a.only is None else f"_{a.only}"
    table.to_csv(res / f"validate_causal{suffix}.csv", index=False, float_format="%.4f")
    md = table.round(3).to_markdown(index=False) if _has_tabulate() else table.round(3).to_string()
    (res / f"validate_causal{suffix}.md").write_text(md + "\n")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(table.round(3).to_string(index=False))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
