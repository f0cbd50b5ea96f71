"""Full simulation validation of the linkage and leadership estimators.

The estimators live in :mod:`cxresearch.linkage.multilevel`, :mod:`cxresearch.linkage.regression`,
:mod:`cxresearch.linkage.mediation`, :mod:`cxresearch.linkage.panel`, :mod:`cxresearch.causal.did`
and
:mod:`cxresearch.linkage.ownership` (re-exported by the ``cxresearch.linkage`` and
``cxresearch.leadership`` facades).

Every estimator is run on >= 200 seeded replications of a data-generating process with a known
truth; the table reports, per estimand, the true value, the mean estimate, the bias, the bias
in units of the mean standard error, the ratio of the mean SE to the SD of the estimates, and
the 95% interval coverage (with its Monte-Carlo SE). Two families of DGP are used:

- small generators whose assumptions each estimator shares (``simulate_nested``,
  ``simulate_latent_chain``, ``simulate_var_panel``, ``simulate_staggered_panel`` from
  :mod:`cxresearch.simulate`, and inline ones below);
- the project's simulated CX study (``cxresearch.simulate.simulate_study``, synthetic), where
  the estimands are the structural coefficients in ``Study.truth``; and a confounded version
  (``selection_on_growth=2``) where the naive leader comparison is biased.

Usage::

    .venv/bin/python scripts/validate_study.py [--reps 200] [--workers 2] [--only generic|study]

Takes about 5 minutes on 2 cores with the defaults. Prints a table and writes nothing.

Known limitation shown by the table: the cross-lagged panel with firm fixed effects carries
the O(1/T) Nickell (1981) bias of a lagged outcome with unit effects (8 years here), which is
visible in the CX(t) -> EX(t+1) row; the structural ``linkage_model`` has no lagged outcome.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

Record = dict[str, float | str]


def _rec(estimator: str, estimand: str, truth: float, est: float, se: float,
         lo: float | None = None, hi: float | None = None) -> Record:
    lo = est - 1.959963984540054 * se if lo is None else lo
    hi = est + 1.959963984540054 * se if hi is None else hi
    return {"estimator": estimator, "estimand": estimand, "truth": truth, "estimate": est,
            "se": se, "ci_low": lo, "ci_high": hi}


# ----------------------------------------------------------------------------- generic DGPs


def generic_rep(seed: int) -> list[Record]:
    from cxresearch import simulate as sim
    from cxresearch.causal import did
    from cxresearch.linkage import mediation, multilevel, ownership, panel, regression

    rng = np.random.default_rng(10_000 + seed)
    out: list[Record] = []

    # 1. ICC(1) with its F-based interval: 50 groups of 10, ICC .15
    g = np.repeat(np.arange(50), 10)
    y = rng.normal(0, np.sqrt(0.15), 50)[g] + rng.normal(0, np.sqrt(0.85), len(g))
    r = multilevel.aggregation_indices(pd.DataFrame({"g": g, "y": y}), "g", ["y"],
                                       warn=False).iloc[0]
    out.append(_rec("aggregation_indices", "ICC(1) = .15", 0.15, r.icc1, np.nan,
                    r.icc1_ci_low, r.icc1_ci_high))

    # 2. cluster-robust OLS: 40 clusters of 5, regressor and errors clustered
    g = np.repeat(np.arange(40), 5)
    x = rng.normal(size=40)[g] + 0.5 * rng.normal(size=len(g))
    y = 0.3 * x + rng.normal(size=40)[g] + rng.normal(size=len(g))
    r = regression.linkage_regression(pd.DataFrame({"g": g, "x": x, "y": y}), "y ~ x", cluster="g")
    r = r.to_frame().set_index("term").loc["x"]
    out.append(_rec("linkage_regression (cluster)", "slope = .3", 0.3, r.estimate, r.se,
                    r.ci_low, r.ci_high))

    # 3. MixedLM random-intercept slope: 60 firms x 10 employees
    g = np.repeat(np.arange(60), 10)
    x = rng.normal(size=len(g))
    y = 0.4 * x + rng.normal(0, 0.6, 60)[g] + rng.normal(size=len(g))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = multilevel.multilevel_model(pd.DataFrame({"g": g, "x": x, "y": y}), "y ~ x",
                                        cluster="g")
    r = m.fixed.set_index("term").loc["x"]
    out.append(_rec("multilevel_model", "slope = .4", 0.4, r.estimate, r.se, r.ci_low,
                    r.ci_high))

    # 4. mediation, iid percentile bootstrap: a = b = .4, n = 200
    ex = rng.normal(size=200)
    cx = 0.4 * ex + rng.normal(size=200)
    yy = 0.4 * cx + 0.1 * ex + rng.normal(size=200)
    d = pd.DataFrame({"ex": ex, "cx": cx, "y": yy})
    r = mediation.mediation(d, "ex", "cx", "y", n_boot=500, seed=seed).to_frame()
    r = r.set_index("effect")
    out.append(_rec("mediation (bootstrap)", "a*b = .16", 0.16, r.loc["indirect", "estimate"],
                    r.loc["indirect", "se"], r.loc["indirect", "ci_low"],
                    r.loc["indirect", "ci_high"]))

    # 5. mediation, cluster bootstrap: 50 firms x 6 years, firm-level shocks
    g = np.repeat(np.arange(50), 6)
    ex = rng.normal(size=50)[g] + 0.5 * rng.normal(size=len(g))
    cx = 0.5 * ex + rng.normal(0, 0.7, 50)[g] + 0.5 * rng.normal(size=len(g))
    yy = 0.4 * cx + rng.normal(0, 0.7, 50)[g] + 0.5 * rng.normal(size=len(g))
    d = pd.DataFrame({"g": g, "ex": ex, "cx": cx, "y": yy})
    r = mediation.mediation(d, "ex", "cx", "y", cluster="g", n_boot=500, seed=seed)
    r = r.to_frame().set_index("effect").loc["indirect"]
    out.append(_rec("mediation (cluster bootstrap)", "a*b = .20", 0.2, r.estimate, r.se,
                    r.ci_low, r.ci_high))

    # 6. SEM chain with latent EX and CX, 3 indicators each, n = 400
    d = sim.simulate_latent_chain(n=400, seed=50_000 + seed)
    r = mediation.sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    r = r.to_frame().set_index("path")
    for path, truth in [("b", 0.4), ("indirect", 0.2)]:
        out.append(_rec("sem_service_profit_chain", f"{path} = {truth}", truth,
                        r.loc[path, "estimate"], r.loc[path, "se"], r.loc[path, "ci_low"],
                        r.loc[path, "ci_high"]))

    # 7. errors-in-variables regression: group means of 1..5 respondents
    n = 400
    tx = rng.normal(size=n)
    ev = 0.6 / rng.integers(1, 6, n)
    d = pd.DataFrame({"x": tx + rng.normal(0, np.sqrt(ev)), "ev": ev})
    d["y"] = 0.5 * tx + rng.normal(size=n)
    r = panel.eiv_regression(d, "y", ["x"], {"x": "ev"}).to_frame().iloc[0]
    out.append(_rec("eiv_regression", "slope = .5", 0.5, r.estimate, r.se, r.ci_low,
                    r.ci_high))
    out.append(_rec("OLS on noisy means (reference)", "slope = .5", 0.5, r.ols_estimate,
                    np.nan, np.nan, np.nan))

    # 8. cross-lagged panel (pooled), 100 units x 6 periods, x -> y .25, y -> x 0
    p = sim.simulate_var_panel(n_units=100, n_periods=6, coefs={("x", "y"): 0.25},
                               seed=20_000 + seed)
    r = panel.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    r = r.to_frame().set_index(["from", "to"])
    for key, truth in [(("x", "y"), 0.25), (("y", "x"), 0.0)]:
        row = r.loc[key]
        out.append(_rec("cross_lagged_panel", f"{key[0]}->{key[1]} = {truth}", truth,
                        row.estimate, row.se, row.ci_low, row.ci_high))

    # 9. same, observed with sampling error (known ev) and corrected
    p = sim.simulate_var_panel(n_units=150, n_periods=6, coefs={("x", "y"): 0.25},
                               seed=30_000 + seed)
    for v in ("x", "y"):
        p[f"ev_{v}"] = 0.5 / rng.integers(2, 6, len(p))
        p[v] = p[v] + rng.normal(0, np.sqrt(p[f"ev_{v}"]))
    r = panel.cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False,
                                 error_variance={"x": "ev_x", "y": "ev_y"})
    r = r.to_frame().set_index(["from", "to"])
    for key, truth in [(("x", "y"), 0.25), (("y", "y"), 0.4)]:
        row = r.loc[key]
        out.append(_rec("cross_lagged_panel (EIV)", f"{key[0]}->{key[1]} = {truth}", truth,
                        row.estimate, row.se, row.ci_low, row.ci_high))

    # 10. event study, staggered adoption with dynamic and cohort-specific effects
    p, truth = sim.simulate_staggered_panel(
        n_units=200, n_periods=8, effect=0.5, effect_growth=0.3, cohort_gradient=0.2,
        seed=40_000 + seed,
    )
    res = did.event_study(p, "y", "unit", "time", "first_treated", window=(-3, 3))
    est = res.to_frame().set_index("event_time")
    tr = truth.set_index("event_time")["att"]
    for e in (-3, -2, 0, 1, 2, 3):
        row = est.loc[e]
        out.append(_rec("event_study (not-yet-treated)", f"ATT(e={e:+d})", float(tr.loc[e]),
                        row.estimate, row.se, row.ci_low, row.ci_high))
    ov = res.overall()
    out.append(_rec("event_study (not-yet-treated)", "mean ATT(e=0..3)",
                    float(tr.loc[[0, 1, 2, 3]].mean()), ov.estimate, ov.se))
    ft = p["first_treated"].astype("Float64").fillna(np.inf).astype(float)
    ev_t = p["time"] - ft
    target = float((0.5 + 0.3 * ev_t[ev_t >= 0] + 0.2 * (ft[ev_t >= 0] - 3.5)).mean())
    tw = did.twfe_static(p, "y", "unit", "time", "first_treated")
    out.append(_rec("twfe_static (reference)", "ATT over treated unit-years", target,
                    tw.estimate, tw.se))

    # 11. ownership contrasts with confounding by industry
    n = 500
    ind = rng.choice(["software", "retail", "banking"], n)
    p_lead = np.select([ind == "software", ind == "retail"], [0.6, 0.2], 0.35)
    u = rng.random(n)
    owner = np.where(u < p_lead, "cx_leader", np.where(u < p_lead + 0.3, "ceo", "everyone"))
    y = (0.3 * (owner == "cx_leader") + 0.1 * (owner == "ceo")
         + np.select([ind == "software", ind == "retail"], [1.0, -0.5], 0.0)
         + rng.normal(size=n))
    r = ownership.ownership_effects(pd.DataFrame({"cx_owner": owner, "industry": ind, "y": y}),
                                    "y", controls=["industry"]).contrasts.set_index("owner")
    for o, truth in [("cx_leader", 0.3), ("ceo", 0.1)]:
        out.append(_rec("ownership_effects", f"{o} vs everyone = {truth}", truth,
                        r.loc[o, "estimate"], r.loc[o, "se"], r.loc[o, "ci_low"],
                        r.loc[o, "ci_high"]))

    # 12. say/do: only doing matters
    n = 400
    d = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, n),
                      "cx_budget_share": rng.gamma(2.0, 1.0, n)})
    idx = ownership.say_do_index(d)
    d["y"] = 0.4 * idx["do"] + rng.normal(size=n)
    r = ownership.say_do_effects(d, "y").set_index(["model", "term"])
    for term, truth in [("say", 0.0), ("do", 0.4)]:
        row = r.loc[("say + do", term)]
        out.append(_rec("say_do_effects", f"{term} = {truth}", truth, row.estimate, row.se,
                        row.ci_low, row.ci_high))
    return out


# ----------------------------------------------------------------------------- the CX study


def study_rep(seed: int) -> list[Record]:
    from cxresearch import simulate as sim
    from cxresearch.causal import did
    from cxresearch.linkage.panel import cross_lagged_panel, linkage_model, linkage_panel
    from cxresearch.simulate import StudyParams, simulate_study
    from cxresearch.studies import leadership_06

    out: list[Record] = []
    s = simulate_study(seed=seed)
    t = s.truth
    panel = linkage_panel(s.firm_years, s.employees, s.customers)
    # true values in each estimate's units: the helpers the notebooks use
    lm = linkage_model(panel).to_frame().merge(sim.true_linkage_effects(t),
                                               on="term").set_index("term")
    for term, name in [("ex", "ex_to_cx (SD/SD)"), ("ex_lag", "ex_lag_to_cx (SD/SD)"),
                       ("has_cx_leader", "leader_effect_cx (SD)")]:
        row = lm.loc[term]
        out.append(_rec("linkage_model (FE, EIV) [study]", name, row.true_value,
                        row.estimate, row.se, row.ci_low, row.ci_high))
    clpm = cross_lagged_panel(
        panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
        error_variance={"ex": "ev_ex", "cx": "ev_cx"}, contemporaneous={"cx": ["ex"]},
        fixed_effects=True, controls=["has_cx_leader"],
    ).to_frame()
    paths = clpm.merge(sim.true_cross_lagged_paths(t, float(panel["revenue_growth"].std(ddof=1))),
                       on=["from", "to", "lag"]).set_index("path")
    for path, name in [("CX(t) → EX(t+1)", "cx_lag_to_ex (SD/SD)"),
                       ("growth(t) → EX(t+1)", "performance_lag_to_ex (SD/SD)")]:
        row = paths.loc[path]
        out.append(_rec("cross_lagged_panel (FE, EIV) [study]", name, row.true_value,
                        row.estimate, row.se, row.ci_low, row.ci_high))

    first = int(s.firm_years["year"].min())
    lp = leadership_06.leadership_panel(panel, s.firms)
    true_es = sim.true_event_study_effects(t).set_index("outcome")["true_value"]
    es = leadership_06.event_studies(lp, ["revenue_growth", "contacts_log_pct", "cx_sd"],
                                     "firm_id", "year", "first_treated")
    for y, name in [("revenue_growth", "leader -> revenue growth, pp (e=0..3)"),
                    ("contacts_log_pct", "leader -> contacts, log-% (all post years)"),
                    ("cx_sd", "leader -> CX, true-score SD (e=0..3)")]:
        ov = es[y].overall()
        out.append(_rec("event_study [study]", name, float(true_es[y]), ov.estimate, ov.se))

    # confounded scenario: adopters were already growing faster
    s2 = simulate_study(StudyParams(selection_on_growth=2.0), seed=seed)
    t2 = s2.truth
    fy2 = s2.firm_years.merge(did.leader_cohorts(s2.firms, first).reset_index(), on="firm_id")
    target2 = float(sim.true_event_study_effects(t2).set_index("outcome").loc[
        "revenue_growth", "true_value"])
    ov = did.event_study(fy2, "revenue_growth", "firm_id", "year", "first_treated").overall()
    out.append(_rec("event_study [confounded study]", "leader -> revenue growth, pp",
                    target2, ov.estimate, ov.se))
    nv = did.naive_comparison(fy2, "revenue_growth", "has_cx_leader", "firm_id", "year")
    out.append(_rec("naive_comparison [confounded study]", "leader -> revenue growth, pp",
                    float(t2["leader_total_effect_revenue_growth"]), nv.estimate, nv.se,
                    nv.ci_low, nv.ci_high))
    return out


# ----------------------------------------------------------------------------- summary


def summarise(records: list[Record]) -> pd.DataFrame:
    df = pd.DataFrame(records)
    covered = (df["ci_low"] < df["truth"]) & (df["truth"] < df["ci_high"])
    df["covered"] = covered.astype(float).where(df["ci_low"].notna())
    df["error"] = df["estimate"] - df["truth"]
    g = df.groupby(["estimator", "estimand"], sort=False)
    out = pd.DataFrame(
        {
            "reps": g.size(),
            "truth": g["truth"].mean(),
            "mean_est": g["estimate"].mean(),
            "bias": g["error"].mean(),
            "mean_se": g["se"].mean(),
            "sd_est": g["estimate"].std(ddof=1),
            "coverage": g["covered"].mean(),
        }
    )
    out["bias_over_se"] = out["bias"] / out["mean_se"]
    out["se_over_sd"] = out["mean_se"] / out["sd_est"]
    out["cov_mc_se"] = np.sqrt(out["coverage"] * (1 - out["coverage"]) / out["reps"])
    cols = ["reps", "truth", "mean_est", "bias", "bias_over_se", "mean_se", "sd_est",
            "se_over_sd", "coverage", "cov_mc_se"]
    return out[cols].reset_index()


def run(fn: Callable[[int], list[Record]], reps: int, workers: int) -> list[Record]:
    records: list[Record] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                for recs in pool.map(fn, range(reps), chunksize=4):
                    records.extend(recs)
        else:
            for r in range(reps):
                records.extend(fn(r))
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=["generic", "study"], default=None)
    args = ap.parse_args()
    records: list[Record] = []
    if args.only in (None, "generic"):
        records += run(generic_rep, args.reps, args.workers)
    if args.only in (None, "study"):
        records += run(study_rep, args.reps, args.workers)
    table = summarise(records)
    with pd.option_context("display.width", 250, "display.max_columns", 20,
                           "display.max_colwidth", 48):
        print(table.round(3).to_string(index=False))
    ok = table.dropna(subset=["coverage"])
    ok = ok[~ok["estimator"].str.contains("reference|naive")]
    print(f"\ncoverage within [0.90, 0.99] for {ok['coverage'].between(0.90, 0.99).sum()} of "
          f"{len(ok)} estimands; |bias| < 0.5 SE for "
          f"{(ok['bias_over_se'].abs() < 0.5).sum()} of {len(ok)}")


if __name__ == "__main__":
    main()
