"""Validate cxresearch.simulate.study over many seeds: bias and 95% CI coverage.

Three checks, each against the known truth:

1. structural equations fitted by OLS on the answer key (latent EX/CX): bias and coverage of
   ex_to_cx, ex_lag_to_cx, cx_lag_to_ex, leader_effect_cx, cx_to_revenue_growth;
2. from the surveys alone (simple DGP, Spearman's correction with ANOVA reliabilities):
   ex_to_cx (standardised) and cx_to_revenue_growth;
3. selection: naive leader vs non-leader difference in revenue growth vs a two-way fixed-effects
   estimate, against leader_total_effect_revenue_growth, with selection_on_growth = 2.

Run: ``.venv/bin/python scripts/validate_simulation.py [n_seeds]`` (about 2-3 minutes for 100).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from cxresearch.core.contract import CULTURE_ITEMS
from cxresearch.simulate.study import StudyParams, simulate_study


def _rel(df: pd.DataFrame, col: str) -> tuple[pd.Series, float]:
    g = df.dropna(subset=[col]).groupby(["firm_id", "year"])[col]
    means, n, var = g.mean(), g.size(), g.var(ddof=1)
    msw = float(((n - 1) * var).sum() / (n.sum() - len(n)))
    return means, float(1 - msw * np.mean(1 / n) / means.var(ddof=1))


def main(n_seeds: int = 100) -> pd.DataFrame:
    rows = []
    simple = StudyParams(cx_lag_to_ex=0.0, performance_lag_to_ex=0.0, ex_lag_to_cx=0.0,
                         leader_effect_cx=0.0, leader_effect_ex=0.0,
                         leader_effect_revenue_growth=0.0)  # fmt: skip
    for seed in range(n_seeds):
        s = simulate_study(seed=seed)
        d = s.latent.merge(s.firm_years, on=["firm_id", "year"])
        for o in ("ceo", "coo", "cmo"):
            d[o] = (d["sponsor"] == o).astype(float)
        d["ex_dev_lag"] = d["ex_lag"] - d["firm_ex_effect"]
        d["growth_lag_c"] = d["revenue_growth_lag"] - s.params.growth_mean
        cx = smf.ols("cx ~ ex + ex_lag + has_cx_leader + ceo + coo + cmo + cx_commitment"
                     " + firm_cx_effect", d).fit()  # fmt: skip
        ex = smf.ols("ex ~ ex_dev_lag + cx_lag + growth_lag_c + has_cx_leader"
                     " + firm_ex_effect", d).fit()  # fmt: skip
        g = smf.ols("revenue_growth ~ cx + has_cx_leader + baseline_growth + C(year)", d).fit()
        for name, fit, term in [
            ("ex_to_cx", cx, "ex"), ("ex_lag_to_cx", cx, "ex_lag"),
            ("leader_effect_cx", cx, "has_cx_leader"), ("cx_lag_to_ex", ex, "cx_lag"),
            ("performance_lag_to_ex", ex, "growth_lag_c"),
            ("cx_to_revenue_growth", g, "cx"),
        ]:  # fmt: skip
            lo, hi = fit.conf_int().loc[term]
            rows.append(("latent", name, seed, fit.params[term], s.truth[name], lo, hi))

        # observed surveys, simple DGP
        so = simulate_study(simple, seed=seed)
        e = so.employees.copy()
        e["culture_4"] = 6 - e["culture_4"]
        e["ex_obs"] = e[list(CULTURE_ITEMS)].astype(float).mean(axis=1)
        c = so.customers.copy()
        z = {v: (c[v] - c[v].mean()) / c[v].std() for v in ("nps", "csat")}
        c["cx_obs"] = pd.concat(z, axis=1).astype(float).mean(axis=1)
        exm, rx = _rel(e, "ex_obs")
        cxm, ry = _rel(c, "cx_obs")
        o = pd.concat([exm, cxm], axis=1).reset_index().merge(so.firm_years)
        o["exz"] = (o["ex_obs"] - o["ex_obs"].mean()) / o["ex_obs"].std()
        o["cxz"] = (o["cx_obs"] - o["cx_obs"].mean()) / o["cx_obs"].std()
        grp = {"groups": pd.factorize(o["firm_id"])[0]}
        m = smf.ols("cxz ~ exz", o).fit(cov_type="cluster", cov_kwds=grp)
        f = np.sqrt(rx * ry)
        target = so.truth["ex_to_cx"] * so.truth["sd_ex_latent"] / so.truth["sd_cx_latent"]
        lo, hi = m.conf_int().loc["exz"] / f
        rows.append(("observed", "ex_to_cx (std)", seed, m.params["exz"] / f, target, lo, hi))
        rows.append(("observed-naive", "ex_to_cx (std)", seed, m.params["exz"], target,
                     *m.conf_int().loc["exz"]))  # fmt: skip
        m = smf.ols("revenue_growth ~ cxz + C(year)", o).fit(cov_type="cluster", cov_kwds=grp)
        sc = so.truth["sd_cx_latent"] * np.sqrt(ry)
        lo, hi = m.conf_int().loc["cxz"] / sc
        rows.append(("observed", "cx_to_revenue_growth", seed, m.params["cxz"] / sc,
                     so.truth["cx_to_revenue_growth"], lo, hi))  # fmt: skip

        # selection
        ss = simulate_study(StudyParams(selection_on_growth=2.0), seed=seed)
        fy = ss.firm_years
        naive = fy.groupby("has_cx_leader")["revenue_growth"].mean().diff().iloc[-1]
        tw = smf.ols("revenue_growth ~ has_cx_leader + C(firm_id) + C(year)", fy).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(fy["firm_id"])[0]}
        )
        truth = ss.truth["leader_total_effect_revenue_growth"]
        lo, hi = tw.conf_int().loc["has_cx_leader"]
        rows.append(("twfe", "leader_total_effect_revenue_growth", seed,
                     tw.params["has_cx_leader"], truth, lo, hi))  # fmt: skip
        rows.append(("naive", "leader_total_effect_revenue_growth", seed, naive, truth,
                     np.nan, np.nan))  # fmt: skip
    res = pd.DataFrame(rows, columns=["fit", "coef", "seed", "estimate", "truth", "lo", "hi"])
    res["covered"] = (res["lo"] <= res["truth"]) & (res["truth"] <= res["hi"])
    out = res.groupby(["fit", "coef"], sort=False).agg(
        truth=("truth", "mean"), mean_estimate=("estimate", "mean"),
        bias=("estimate", lambda x: 0.0), coverage=("covered", "mean"), n=("seed", "size"),
    )  # fmt: skip
    out["bias"] = out["mean_estimate"] - out["truth"]
    out.loc[out.index.get_level_values("fit") == "naive", "coverage"] = np.nan
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    table = main(n)
    print(table.round(3).to_string())
