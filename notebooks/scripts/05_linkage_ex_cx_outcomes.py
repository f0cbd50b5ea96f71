# ---
# jupyter:
#   jupytext:
#     formats: ipynb,scripts//py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · Linkage: does employee experience drive customer experience, and CX the outcomes?
#
# The service-profit chain (Heskett et al. 1994) says that engaged employees who work in a
# customer-centric culture make satisfied customers, who stay, spend and refer others, and cost
# less to serve. Schneider et al. (2003) tested the direction over 8 years in 35 companies and
# found that for some attitudes **performance came first**: successful firms made employees
# happier, more than the reverse. This notebook asks four questions:
#
# 1. May individual survey answers be averaged to firms at all? (ICC, rwg)
# 2. How strongly does employee experience (EX) go with customer experience (CX) in the same
#    firm-year, once stable firm differences and noisy survey means are dealt with?
# 3. Which comes first: EX(t) → CX(t+1), CX(t) → EX(t+1), or revenue growth(t) → EX(t+1)?
# 4. Does CX carry EX on to revenue growth and cost to serve (mediation)?
#
# The data are a **synthetic** study (300 firms, 8 years, employee and customer surveys) whose
# true effects are known, so every estimate is shown beside its true value. Real public data do
# not link firms' employee and customer surveys; at the end, three real data sets show the
# individual-level analogues (IBM HR attrition, two churn data sets).

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 05 -p seed=1 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
seed = 0  # seed of the simulations and bootstraps below
n_boot = 500

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cxresearch import datasets as ds
from cxresearch.contract import CULTURE_ITEMS, ENGAGEMENT_ITEMS, reverse_items
from cxresearch.figures import FIGSIZE, save_figure, use_style
from cxresearch.io import load_study
from cxresearch.mediation import sem_service_profit_chain
from cxresearch.multilevel import add_group_key, aggregation_indices, multilevel_model
from cxresearch.panel import (cross_lagged_panel, firm_means, linkage_model, linkage_panel,
                              mean_reliability)
from cxresearch.regression import logit_associations
from cxresearch.simulate import true_chain_effects, true_cross_lagged_paths, true_linkage_effects
from cxresearch.studies.linkage_05 import event_rate_by_group, mediation_by_outcome, nested_wave

use_style()
synthetic = data_dir is None
study = load_study(data_dir)  # bundled: simulate_study(StudyParams(), seed=0), 300 firms
label = "synthetic" if synthetic else "user data"
truth = study.truth
print(f"{len(study.firms)} firms, {len(study.firm_years)} firm-years, {len(study.employees)} "
      f"employee and {len(study.customers)} customer answers ({label})")

# %% [markdown]
# ## 1. May answers be averaged to firm-years?
#
# A firm-year "EX score" is the mean of 10–20 employees' answers. Averaging is justified when
# firm-years differ more than chance (ICC(1) > 0 with a significant F test), when the mean is
# reliable (ICC(2), ideally ≥ .70) and when members agree (rwg(j) ≥ .70; James, Demaree & Wolf
# 1984). `culture_4` is reverse-keyed and recoded first.

# %%
emp = add_group_key(reverse_items(study.employees), ["firm_id", "year"], name="firm_year")
cus = add_group_key(study.customers, ["firm_id", "year"], name="firm_year")
culture, engagement = list(CULTURE_ITEMS), list(ENGAGEMENT_ITEMS)
agg = pd.concat([
    aggregation_indices(emp, "firm_year", {"culture": culture, "engagement": engagement},
                        warn=False),
    aggregation_indices(cus, "firm_year", {"nps": ["nps"], "csat": ["csat"], "ces": ["ces"]},
                        scale_points={"nps": 11, "csat": 5, "ces": 7}, warn=False),
], ignore_index=True)
agg[["item_set", "n_groups", "mean_group_size", "icc1", "icc1_ci_low", "icc1_ci_high", "icc2",
     "rwg_j", "supported", "note"]].round(3)

# %% [markdown]
# Employee scales pass all three checks, though the engagement means are noisy (ICC(2) < .70).
# Customers' single-item scores differ between firm-years (ICC(1) > 0) but individual customers
# disagree widely (rwg below .70 for NPS), as single 0–10 items always do: a firm-year NPS is
# a mean of very different opinions. Both facts matter below: noisy means **attenuate** every
# firm-level correlation, so the models correct for the known sampling error of each mean.

# %% [markdown]
# ## 2. The firm-year panel
#
# EX is each employee's mean over the 11 culture and engagement items; CX is each customer's
# mean of the z-scored NPS, CSAT and CES answers. `ev_*` is the sampling variance of each
# firm-year mean (with a design effect for employees answering in teams); the reliability
# is 1 − mean(ev)/variance.

# %%
panel = linkage_panel(study.firm_years, study.employees, study.customers)
reliability = pd.DataFrame({
    "score": ["EX (employees)", "CX (customers)"],
    "respondents per firm-year": [panel["n_ex"].mean(), panel["n_cx"].mean()],
    "reliability of the mean": [mean_reliability(panel, "ex", "ev_ex"),
                                mean_reliability(panel, "cx", "ev_cx")],
})
reliability.round(3)

# %% [markdown]
# ## 3. Individual customers nested in firms (multilevel model)
#
# Do customers of firms with a better EX score rate their experience higher? Customers of the
# same firm share that firm, so their answers are not independent; a random intercept per firm
# (MixedLM) absorbs it. One survey wave (the last year) keeps it quick. The coefficient is in
# SD of an individual's NPS per SD of the firm-year EX mean.

# %%
last = int(panel["year"].max())
wave = nested_wave(study.customers, panel, last, outcome="nps", predictor="ex")
mixed = multilevel_model(wave, "nps_z ~ ex_z", cluster="firm_id")
print(f"{mixed.n_obs} customers in {mixed.n_groups} firms; share of NPS variance between "
      f"firms (given EX): {mixed.icc:.3f}")
mixed.to_frame().round(3)

# %% [markdown]
# The effect on a single customer is small (most variation in NPS is between customers of the
# same firm), which is why linkage studies work with firm-level means.

# %% [markdown]
# ## 4. EX and CX in the same firm-year
#
# The model: CX(t) on EX(t) and EX(t−1), whether the firm has a CX leader, firm fixed effects
# (each firm against itself) and year effects, with the errors-in-variables correction for the
# noisy survey means. Coefficients are in true-score SD of CX per true-score SD of EX. The
# uncorrected OLS column shows how much the noise alone would hide.

# %%
link = linkage_model(panel).merge(true_linkage_effects(truth), on="term", how="left")
link[["term", "estimate", "ci_low", "ci_high", "ols_estimate", "reliability", "true_value"]].round(3)

# %% [markdown]
# The same-year link is recovered within its interval; without the correction (OLS) it would be
# about a third of its size, because within a firm most year-to-year movement in a 15-person
# survey mean is sampling noise. The lagged term is imprecise: separating EX this year from EX
# last year needs many more firm-years.

# %% [markdown]
# ## 5. Which comes first? A cross-lagged panel
#
# Each variable at t+1 on all three at t (EX, CX, revenue growth), with CX(t+1) also on EX(t+1)
# so the EX → CX lag is the direct one. Two versions: pooled (firms compared with each other)
# and with firm fixed effects (each firm with itself; biased by O(1/T) for the persistence
# terms, Nickell 1981). Both correct for noisy means and control for having a CX leader.

# %%
clpm = pd.concat([
    cross_lagged_panel(panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
                       error_variance={"ex": "ev_ex", "cx": "ev_cx"},
                       contemporaneous={"cx": ["ex"]}, controls=["has_cx_leader"],
                       fixed_effects=fe).assign(model=name)
    for fe, name in [(False, "pooled"), (True, "firm FE")]
], ignore_index=True)
# true paths in SD per SD; growth has no latent SD in the answer key, so its observed SD
true_paths = true_cross_lagged_paths(truth, sd_growth=panel["revenue_growth"].std(ddof=1))
cl = clpm.merge(true_paths, on=["from", "to", "lag"])  # the four paths, in clpm's order
cl[["model", "path", "estimate", "ci_low", "ci_high", "true_value"]].round(3)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
order = true_paths["path"].tolist()
for i, (name, grp) in enumerate(cl.groupby("model", sort=False)):
    grp = grp.set_index("path").loc[order]
    y = np.arange(len(order)) + (i - 0.5) * 0.25
    ax.errorbar(grp["estimate"], y, xerr=[grp["estimate"] - grp["ci_low"],
                                          grp["ci_high"] - grp["estimate"]],
                fmt="o", capsize=3, label=name)
ax.scatter(cl.set_index("path").loc[order, "true_value"].groupby(level=0, sort=False).first(),
           np.arange(len(order)), marker="x", color="black", zorder=3, label="true value")
ax.axvline(0, color="grey", linewidth=0.8)
ax.set_yticks(np.arange(len(order)), order)
ax.invert_yaxis()
ax.set_xlabel("standardized cross-lagged coefficient (SD per SD)")
ax.set_title(f"Cross-lagged paths, {label} panel")
ax.legend(loc="lower right", fontsize="small")
save_figure(
    fig, "05_cross_lagged_paths", data=cl[["model", "path", "estimate", "ci_low", "ci_high",
                                           "true_value"]],
    caption=(f"Cross-lagged panel estimates with 95% intervals ({label} data, 300 firms × 8 "
             "years), pooled and with firm fixed effects, corrected for noisy survey means; "
             "crosses mark the true values of the simulation."),
    alt_text=("Dot-and-whisker chart of four paths in two models. Growth to later EX is "
              "positive in both, close to its true value; CX to later EX is small; EX to later "
              "growth is positive in the pooled model although its true value is zero, and "
              "near zero with firm fixed effects; the direct EX to later CX path is "
              "overestimated with firm fixed effects."),
    source="05_linkage_ex_cx_outcomes",
)
plt.show()

# %% [markdown]
# In this simulation, as in Schneider et al. (2003), **performance feeds back into employee
# attitudes**: revenue growth this year predicts EX next year, in both models. CX(t) →
# EX(t+1) is small and imprecise. The pooled model also "finds" EX(t) → growth(t+1), whose
# true value is zero: stable differences between firms (fast growers have happier staff,
# because growth feeds EX) masquerade as a lagged effect, and firm fixed effects remove it.
# Fixed effects pay elsewhere: with a lagged outcome and only 8 years the persistence terms are
# biased (Nickell 1981), and in the CX equation that bias leaks into the direct EX → CX lag,
# which comes out well above its true value. The structural model of section 4 (without
# lagged CX) is the better estimate of that path. Neither version removes a time-varying
# confounder (a new strategy that lifts both EX and CX).

# %% [markdown]
# ## 6. The service-profit chain as mediation: EX → CX → revenue growth and cost to serve
#
# Firm-level means over all years (about 120 employees and 300 customers per firm, so the
# means are reliable) standardized to SD units; a = EX → CX, b = CX → outcome given EX,
# indirect = a·b with a bootstrap interval (percentile, firms resampled). Industry and size are
# controls. The true values come from the simulation's answer key (the firms' true EX and CX).

# %%
firm = firm_means(panel, ["ex", "cx", "revenue_growth", "cost_to_serve"],
                  standardized=["ex", "cx"], log_pct={"log_cost_pct": "cost_to_serve"}
                  ).join(study.firms.set_index("firm_id")[["industry", "size_band"]])
med = mediation_by_outcome(firm, "ex_z", "cx_z", ["revenue_growth", "log_cost_pct"],
                           covariates=["industry", "size_band"], n_boot=n_boot, seed=seed)
if study.latent is not None and synthetic:
    med = med.merge(true_chain_effects(truth, study.latent), on=["outcome", "effect"],
                    how="left")
med[med["effect"].isin(["a", "b", "indirect", "direct", "total"])].round(3)

# %% [markdown]
# **Cost to serve** (log-percent) is the chain working as described: firms with better EX have
# better CX, and through it serve customers more cheaply; the indirect effect is close to its
# true value and the direct path near zero, as simulated. **Revenue growth** is the cautionary
# case: EX predicts growth strongly between firms, but almost entirely "directly", not
# through CX, and the b path is far below its true value. In the simulation EX has no direct
# effect on growth at all; the association runs the other way (growth raises next year's EX,
# section 5), and fast-growing firms are also more likely to appoint a CX leader (notebook 06).
# Between-firm mediation cannot tell a chain from reverse causation or confounding; the "a"
# path, too, would absorb anything that raises both EX and CX.

# %% [markdown]
# ### The same chain as a latent-variable model (SEM)
#
# A structural equation model measures EX by its 11 item means and CX by its 3, so item noise
# does not attenuate the paths. Why this specification: it is the smallest model that separates
# the chain (EX → CX → growth) from the direct EX → growth path with both factors measured by
# several items, and its structural part is just identified, so the paths are the latent
# regressions themselves. How it is fitted: by maximum likelihood (semopy) on z-scored firm
# means, with each factor scaled by its first item and a tolerance tight enough (1e-12) that
# every printed digit is the optimum, not the point where the optimiser happened to stop. The
# table shows the completely standardized paths with their own (delta-method) standard errors,
# as lavaan's `standardizedSolution()` gives them; the tests check both against lavaan.

# %%
items = (firm_means(emp, culture + engagement)
         .join(firm_means(cus, ["nps", "csat", "ces"]))
         .join(firm[["revenue_growth"]]))
sem = sem_service_profit_chain(items, culture + engagement, ["nps", "csat", "ces"],
                               "revenue_growth", standardized=True)
sem[["path", "estimate", "se", "ci_low", "ci_high", "cfi", "rmsea"]].round(3)

# %% [markdown]
# The SEM tells the same story in standardized units: a strong EX → CX path, and a CX → growth
# path lost in the same reverse causation. It adds a check of the measurement model (CFI,
# RMSEA) and removes item noise, but rests on the same between-firm comparison, with the same
# confounding.

# %% [markdown]
# ## 7. Real-data analogues (individual level)
#
# No public data link employee surveys, customer surveys and firm results, but three public
# data sets show the individual-level links the chain rests on. All three are cross-sectional
# and observational.
#
# **Employee experience and attrition** (IBM HR analytics, 1,470 employees, fictional data
# created by IBM): odds ratios of leaving per SD of each satisfaction item (1–4), adjusted for
# age, income and overtime.

# %%
hr = ds.ibm_hr_attrition()
hr["over_time"] = hr["over_time"].astype(str)
sat_items = ["environment_satisfaction", "job_satisfaction", "relationship_satisfaction",
             "job_involvement", "work_life_balance"]
hr_or = logit_associations(hr.astype({c: float for c in sat_items}), "attrition", sat_items,
                           controls=["age", "monthly_income", "over_time"])
hr_or[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "n_obs", "n_events"]].round(3)

# %% [markdown]
# Every satisfaction item goes with lower attrition (odds ratios below 1; for relationship
# satisfaction the interval reaches 1), the individual-level counterpart of the EX → turnover
# link (Harter et al. 2002 report a true-score unit-level
# correlation of −.30 between engagement and turnover).
#
# **Service contacts and churn** (MLC++ telecom churn, 5,000 customers, artificial data):
# churn rate by the number of calls to customer service, with Wilson intervals.

# %%
mlc = ds.mlc_churn()
mlc["calls"] = mlc["number_customer_service_calls"].clip(upper=5)
rates = event_rate_by_group(mlc, "churn", "calls").rename(
    columns={"n": "customers", "rate_pct": "churn_pct"})
rates.round(1)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.errorbar(rates["calls"], rates["churn_pct"],
            yerr=[rates["churn_pct"] - rates["ci_low"], rates["ci_high"] - rates["churn_pct"]],
            fmt="o-", capsize=3)
ax.set_xticks(rates["calls"], [str(c) if c < 5 else "5+" for c in rates["calls"]])
ax.set_xlabel("calls to customer service")
ax.set_ylabel("churned (%)")
ax.set_title("Service calls and churn (MLC++ data)")
save_figure(
    fig, "05_service_calls_churn", data=rates,
    caption=("Churn rate by number of customer-service calls, with 95% Wilson intervals, in "
             "the MLC++ telecom churn data (5,000 customers, artificial data distributed with "
             "R's modeldata)."),
    alt_text=(f"Line with error bars: churn stays near {rates['churn_pct'].iloc[:4].min():.0f}–"
              f"{rates['churn_pct'].iloc[:4].max():.0f}% for 0 to 3 calls, then jumps to about "
              f"{rates['churn_pct'].iloc[4]:.0f}% at 4 calls and "
              f"{rates['churn_pct'].iloc[5]:.0f}% at 5 or more."),
    source="05_linkage_ex_cx_outcomes",
)
plt.show()

# %% [markdown]
# Churn is flat up to three calls and jumps from the fourth: repeated contact is a marker of an
# unresolved problem, which is why "fewer service inquiries" is both a cost and a loyalty
# outcome. Calls are a symptom here, not a cause: the data cannot say whether fixing issues
# on the first call would keep these customers.
#
# **Tenure, charges and churn** (IBM telco churn, 7,043 customers, IBM sample data): odds
# ratios per SD, adjusted for contract type.

# %%
telco = ds.telco_churn()
tel_or = logit_associations(telco, "churn", ["tenure", "monthly_charges"],
                            controls=["contract"])
tel_or[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "n_obs", "n_events"]].round(3)

# %% [markdown]
# Longer-tenured customers churn less and higher monthly charges go with more churn, even
# within the same contract type: the "customers who stay longer" part of the CX-revenue claim.

# %% [markdown]
# ## What this shows, and what it doesn't
#
# - **Aggregation.** Employee culture and engagement means are justified at the firm-year
#   level; single-item customer scores differ between firms but individual customers disagree
#   widely. Firm-year means of 15 employees or 40 customers are noisy (reliability about .6–.7,
#   far less within a firm), and uncorrected noise makes linkage effects look two to three
#   times smaller than they are. The errors-in-variables correction recovers the simulated
#   EX → CX link; it needs the sampling variance of each mean, which any survey export can
#   supply.
# - **Direction.** In the cross-lagged panel, growth feeds employee attitudes (as Schneider et
#   al. 2003 found) while the lagged EX → CX path is small and hard to pin down with 300
#   firms over 8 years. A cross-lagged panel orders effects in time; it does not rule out a
#   third factor that moves EX and CX together. Pooled, it confuses stable firm differences
#   with lagged effects; with firm fixed effects and few years its persistence terms, and
#   the paths estimated beside them, are biased (Nickell 1981).
# - **The chain.** Between firms, the indirect effect EX → CX → cost to serve is recovered; the
#   one to revenue growth is not, because growth also drives EX and who appoints CX leaders.
#   Between-firm mediation is correlational: the causal reading needs no unmeasured
#   confounding and no reverse causation on each link, which a survey cannot guarantee.
# - **Real data** confirm the individual-level building blocks (satisfied employees stay; calls
#   to service and short tenure go with churn) and nothing more: they are cross-sections with no
#   firm-level outcomes. The simulation's magnitudes are assumptions calibrated to published
#   linkage research (Harter et al. 2002; the Sears model in Rucci et al. 1998), not findings.
