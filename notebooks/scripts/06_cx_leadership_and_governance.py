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
# # 06 · CX leadership and governance: who should own customer experience?
#
# "Customer experience is everyone's job" against "CX needs a dedicated, accountable leader":
# practitioners are split, and so is the choice of owner (CEO, COO, CMO or a CXO/CCO). This
# notebook turns the debate into questions with an estimate, an uncertainty and a stated
# limitation each:
#
# 1. Do outcomes differ by **ownership model** in force at the time, once industry, size and
#    year are held equal?
# 2. Do outcomes **change after a firm appoints a CX leader**? Firms appoint in different years
#    (staggered adoption), so the notebook uses an event study that compares each appointing
#    firm with firms that have not (yet) appointed, before and after, and asks how large a
#    violation of parallel trends would overturn what it finds.
# 3. What **threatens** that event study: firms that appoint after a slump, effects that start
#    before the appointment, firms whose traits drive both the appointment and the trend,
#    effects that differ between firms? One simulated panel per threat shows which estimator
#    recovers the known truth, and which checks raise the alarm.
# 4. **"Doing both"**: does a dedicated CX leader pay off more where employees are empowered?
# 5. How large is the **say/do gap** (stated priority against resourcing), and does it matter?
# 6. **One firm's appointment**: "we appointed a CCO; did it work?", from one firm's monthly
#    series (interrupted time series, synthetic control).
#
# Finally: how many firms and years would a study need?
#
# Words: a **CX leader** here is a dedicated CX executive (a CXO or CCO) in post; a firm "with a
# CX leader" is a firm with a CX executive. Practitioner writing also calls firms that *lead on
# CX* "CX leaders"; this notebook calls those **CX-leading firms** and never mixes the two.
#
# Only the event study (and, for one firm, its single-firm cousins) earns the word *effect*,
# under its stated assumptions (parallel trends, no anticipation); comparisons between firms
# are associations. Several families of tests are asked of the study's data (ownership
# contrasts, event-study effects, pre-trend tests, the leader × empowerment differences, say/do
# coefficients; the closing summary counts them): each is Holm-adjusted, and the families split
# the 5% error rate, so that the chance of *any* false alarm among them stays at 5%. The
# sentences under the tables are written from those numbers. The bundled data are a **synthetic** study (300 firms, 8 years)
# with known effects, shown beside the estimates; no public data record firms' CX ownership.
# Rerun with `-p data_dir=...` on your own exports, the notebook shows no truth (none is
# known) and its conclusions follow your data. Sections 3 and 7 are simulations whatever the
# data, and section 6 is one simulated firm unless you point `firm_series` at your own.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 06 -p seed=1 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
seed = 0  # seed of the simulations below
threat_units = 400  # firms in each simulated threat panel (section 3)
threat_years = 10  # years in each simulated threat panel
firm_series = None  # a CSV of one firm's months: month, cx, revenue (+ firm for donor firms)
appointed = None  # with firm_series: the first month with the leader (a number or "2023-04")
focal_firm = None  # with a firm column: the firm that appointed (default: the first listed)
power_boot = 4000  # simulated studies per design in the power curve (section 7)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from cxresearch import (
    FIGSIZE, about_synthetic, adjusted_supported, coef_plot, Conclusions, count_sentence,
    effect_sentence, event_study_power_curve, Finding, findings_from_adjusted_table,
    firm_means, holm_family, human_label, level_sentence, linkage_panel, load_study,
    ownership_effects, save_figure, truth_sentence, use_style,
)
from cxresearch.simulate import true_event_study_effects, true_event_time_path, true_owner_effects
from cxresearch.simulate.threats import simulate_firm_series
from cxresearch.studies.leadership_06 import (
    ESTIMATOR_WORDS,
    HOLDS_UP_COVERAGE,
    TEST_FAMILIES,
    adapted_design_findings,
    doing_both_table,
    empowerment_by_firm,
    event_studies,
    event_study_table,
    family_table,
    leadership_panel,
    owner_status_panel,
    ownership_alt_text,
    ownership_contrasts,
    power_band_table,
    power_reach_sentence,
    prepare_firm_series,
    read_causal_validation,
    say_do_effects_by_outcome,
    say_do_gap_shares,
    say_do_gap_summary,
    sensitivity_findings,
    sensitivity_table,
    sensitivity_wide,
    single_firm_counterfactuals,
    single_firm_findings,
    single_firm_table,
    threat_findings,
    threat_scenarios,
    truth_tally,
    undetected_effects_finding,
    validation_findings,
    validation_table,
    with_robustness,
    within_unit_sd,
)
from cxresearch.studies.measuring_01 import owner_timing_summary

use_style()
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
study = load_study(data_dir)  # bundled: simulate_study(StudyParams(), seed=0), 300 firms
label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the generated sentences rest on
truth = study.truth if synthetic else {}
n_questions = len(TEST_FAMILIES)  # families of tests that share the 5% error rate
holm_words = f"Holm (the 5% error rate split over {n_questions} families of tests)"
validation = read_causal_validation()  # 200-replication results of scripts/validate_causal.py
# CX and EX in true-score SD units (survey means rescaled by their SD net of sampling noise),
# contacts and cost in log-percent, and each firm's first year with a leader (firms that had
# one before the panel are always treated and left out of the event study); then each
# firm-year labelled with the owner in force that year
panel = owner_status_panel(
    leadership_panel(linkage_panel(study.firm_years, study.employees, study.customers),
                     study.firms), study.firms)
panel["year_label"] = panel["year"].astype(str)  # year effects as dummies
print(f"{panel['firm_id'].nunique()} firms, {len(panel)} firm-years ({label})")

# %% [markdown]
# The firms table records who owns CX at the **end** of the panel. A firm that appointed its CX
# leader in the sixth year had no leader in the first five, so each firm-year is labelled with
# the owner **in force that year**; years before a later appointment are "CX leader not yet
# appointed" (who owned CX then is not recorded, so they are credited to no owner):

# %%
owner_timing_summary(panel).rename(columns={"answers": "firm-years"}).assign(
    cx_owner_end=lambda d: d["cx_owner_end"].map(human_label),
    cx_owner_then=lambda d: d["cx_owner_then"].map(human_label),
).rename(columns={"cx_owner_end": "owner at the end of the panel",
                  "cx_owner_then": "owner in force that year",
                  "share_of_end_owner": "share of the end owner's firm-years"}).round(3)

# %% [markdown]
# ## 1. Outcomes by ownership model in force at the time
#
# Every firm-year: customer experience (SD units), revenue growth (percentage points) and
# service contacts per customer (log-percent), by who owned CX that year, against
# "everyone's job", adjusted for industry, size and year (OLS). Firm-years of one firm are not
# independent, so standard errors are clustered by firm (t on firms − 1 degrees of freedom).
# Each owner group against the reference on each outcome is one comparison; together they are
# the first family: Holm-adjusted (`p_holm`, with the 5% split over the notebook's families of
# tests, counted in the closing summary). On the bundled study the true values are the
# simulated structural effects of each owner (none is defined for the years before an
# appointment).

# %%
outcomes = {"cx_sd": "CX (SD)", "revenue_growth": "revenue growth (pp)",
            "contacts_log_pct": "contacts (log-%)"}
controls = ["industry", "size_band", "year_label"]
contrasts = holm_family(
    ownership_contrasts(panel, outcomes, controls=controls, owner="cx_owner_then",
                        cluster="firm_id", true_values=true_owner_effects(truth)),
    n_families=n_questions)
contrast_cols = ["outcome", "owner_label", "estimate", "ci_low", "ci_high", "p_value", "p_holm",
                 "n"] + (["true_value"] if synthetic else [])
contrasts[contrast_cols].rename(columns={"owner_label": "owner (vs everyone's job)",
                                         "n": "firm-years"}).round(3)

# %%
own_cx = ownership_effects(panel, "cx_sd", owner="cx_owner_then", controls=controls,
                           cluster="firm_id")
order = ["everyone", "cmo", "coo", "ceo", "pre_leader", "cx_leader"]
adj = own_cx.adjusted_means.set_index("owner")
adj = adj.loc[[o for o in order if o in adj.index]].reset_index()
adj.insert(1, "owner_label", adj["owner"].map(human_label))
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.errorbar(adj["adjusted_mean"], np.arange(len(adj)),
            xerr=[adj["adjusted_mean"] - adj["ci_low"], adj["ci_high"] - adj["adjusted_mean"]],
            fmt="o", capsize=3)
ax.set_yticks(np.arange(len(adj)), adj["owner_label"])
ax.axvline(0, color="grey", linewidth=0.8)
ax.set_xlabel("customer experience, adjusted mean (SD)")
ax.set_ylabel("CX owner that year")
ax.set_title(f"CX by ownership model ({label})")
save_figure(
    fig, "06_ownership_adjusted_means", data=adj,
    caption=(f"Customer experience by who owned CX that year, adjusted for industry, size and "
             f"year, with 95% intervals clustered by firm ({label} data, {len(panel)} "
             f"firm-years of {panel['firm_id'].nunique()} firms). Firms chose their ownership "
             "model; differences are adjusted associations, not effects. Which owners differ "
             "is read from the Holm-adjusted contrasts against everyone's job, not from the "
             "order of the points."),
    alt_text=ownership_alt_text(contrasts, len(adj), outcomes["cx_sd"]),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %% [markdown]
# What the contrasts show after the adjustment. Shown one by one: the contrasts of a CX
# leader in post and of the years before an appointment, and any other whose unadjusted
# interval excludes zero (a result that a table without adjustment would invite a reader to
# believe).

# %%
held_own = contrasts[adjusted_supported(contrasts)]
shown_own = contrasts[contrasts["owner"].isin(["cx_leader", "pre_leader"])
                      | (contrasts["ci_low"] > 0) | (contrasts["ci_high"] < 0)]
rest = len(contrasts) - len(shown_own)
Conclusions(
    (count_sentence(len(held_own), len(contrasts), "ownership contrasts",
                    adjustment=holm_words),)
    + findings_from_adjusted_table(
        shown_own, "outcome", subjects=[f"{r.owner_label} vs everyone's job, {r.outcome}"
                                        for r in shown_own.itertuples()],
        noun="difference")
    + tuple(about_synthetic(truth_sentence(f"{r.owner_label} vs everyone's job, {r.outcome}",
                                           r.estimate, r.ci_low, r.ci_high, r.true_value).text,
                            synthetic)
            for r in shown_own.itertuples() if synthetic and np.isfinite(r.true_value)),
    heading="What these data show about ownership models (associations)",
    data_kind=kind,
    notes=((f"The other {rest} contrasts have unadjusted intervals that include zero. " if rest
            else "") + "A difference between firm-years with a CX leader in post and "
           "'everyone's job' mixes what the leader does with the kind of firm that appoints "
           "one; a difference in the years *before* an appointment cannot be the leader's "
           "doing, and says that appointing firms differ anyway.",),
)

# %%
true_own = true_owner_effects(truth) if synthetic else pd.DataFrame(
    columns=["outcome", "owner", "true_value"])
other_cx = true_own[(true_own["outcome"] == "cx_sd")
                    & true_own["owner"].isin(["ceo", "coo", "cmo"])]
about_synthetic(
    "firms more committed to CX, and firms that already grow faster, are more likely to "
    "appoint a CX leader, so the leader's contrast can exceed the structural effect the "
    "simulation gives the leader (compare the true values above); the CEO, COO and CMO have "
    f"structural effects of {other_cx['true_value'].abs().max() if len(other_cx) else 0:.2f} "
    "SD of CX or less.", synthetic)

# %% [markdown]
# ## 2. What changes after a CX leader is appointed? An event study
#
# Firms appointed a leader in different years. Two-way fixed effects regressions are biased in
# this staggered setting when effects grow over time (they use already-treated firms as
# controls). The event study here estimates each cohort's effect at each year against firms
# **not yet** treated, relative to the year before appointment (event time −1), and averages
# cohorts (Callaway & Sant'Anna 2021); standard errors come from firm-level influence
# functions (clustered by firm). Years before appointment test for pre-trends. Firms that had
# a leader before the panel starts are left out (always treated). Under parallel trends and no
# anticipation, the post-appointment average is the **effect of appointing** a CX leader.
#
# Besides CX, growth and contacts: cost to serve, and employee experience (does EX change after
# a firm appoints a CX executive?). Each outcome is one comparison (the second family), and
# their pre-trend tests are the third.

# %%
es_outcomes = outcomes | {"cost_log_pct": "cost to serve (log-%)",
                          "ex_sd": "employee experience (SD)"}
es_out = event_studies(panel, es_outcomes, "firm_id", "year", "first_treated", window=(-3, 3))
true_es = true_event_study_effects(truth)
summary = holm_family(event_study_table(es_out, labels=es_outcomes, true_values=true_es),
                      n_families=n_questions)
summary["pretrend_p_holm"] = holm_family(
    summary[["outcome", "pretrend_p"]].rename(columns={"pretrend_p": "p_value"}),
    n_families=n_questions)["p_holm"]
summary_cols = ["outcome", "estimate", "ci_low", "ci_high", "p_value", "p_holm", "pretrend_p",
                "pretrend_p_holm"] + (["true_value"] if synthetic else [])
summary[summary_cols].round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], layout="constrained")
es_ylabels = {"revenue_growth": "change (pp)", "contacts_log_pct": "change (log-%)"}
plotted = []
for ax, y in zip(axes, ["revenue_growth", "contacts_log_pct"]):
    est = es_out[y].to_frame()
    ax.errorbar(est["event_time"], est["estimate"],
                yerr=[est["estimate"] - est["ci_low"], est["ci_high"] - est["estimate"]],
                fmt="o", capsize=3, label="event study (95% CI)")
    if synthetic:  # the truth is known only for the simulation
        tr = true_event_time_path(truth, y, est["event_time"])
        ax.plot(est["event_time"], tr, "x--", color="black", label="true effect (simulation)")
        est = est.assign(true_value=tr)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(-0.5, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("years since appointing a CX leader")
    ax.set_ylabel(es_ylabels[y])
    ax.set_title(f"{outcomes[y]}, {label}")
    plotted.append(est.assign(outcome=outcomes[y]))
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2,
           fontsize="small")
es_plot = pd.concat(plotted, ignore_index=True)[
    ["outcome", "event_time", "estimate", "se", "ci_low", "ci_high"]
    + (["true_value"] if synthetic else [])]
post = es_plot[es_plot["event_time"] >= 0].groupby("outcome", sort=False)["estimate"]
pre = es_plot[es_plot["event_time"] < -1].groupby("outcome", sort=False)["estimate"]
save_figure(
    fig, "06_event_study_leader", data=es_plot,
    caption=(f"Event-study estimates of appointing a CX leader on revenue growth and service "
             f"contacts per customer, by years since appointment (event time −1 is the "
             f"reference), with 95% intervals; not-yet-treated firms as controls ({label} data)."
             + (" Crosses: the simulated true effects." if synthetic else "")),
    alt_text=("Two panels of points with error bars by event time. "
              + " ".join(f"{o}: before appointment the estimates range from "
                         f"{pre.min()[o]:+.1f} to {pre.max()[o]:+.1f}; after it, from "
                         f"{post.min()[o]:+.1f} to {post.max()[o]:+.1f}."
                         for o in post.min().index)),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
pre_held = int((summary["pretrend_p_holm"] < 0.05).sum())
Conclusions(
    findings_from_adjusted_table(
        summary, "outcome", subjects=[f"effect of appointing a CX leader on {o}, event times "
                                      "0–3, under the event study's assumptions"
                                      for o in summary["outcome"]],
        design="causal")
    + (count_sentence(pre_held, len(summary), "joint pre-trend tests (pre-appointment "
                      "estimates all zero)", adjustment=holm_words),)
    + tuple(about_synthetic(truth_sentence(f"effect on {r.outcome}", r.estimate, r.ci_low,
                                           r.ci_high, r.true_value).text, synthetic)
            for r in summary.itertuples() if synthetic),
    heading="What the event study shows",
    data_kind=kind,
    notes=("A pre-trend test that finds nothing is weak evidence for parallel trends: such "
           "tests have low power (Roth 2022). An effect the interval cannot tell from zero may "
           "still be there; section 7 asks how large a study would need to be to see it.",),
)

# %% [markdown]
# ### How large a violation of parallel trends would overturn it?
#
# A pre-trend test that passes does not prove parallel trends, so the question is turned round
# (Rambachan & Roth 2023): how far may the trends of appointing and other firms drift apart
# *after* the appointment before the effect could be zero? The relative-magnitude restriction
# bounds each post-appointment change in that drift by **Mbar** times the largest change seen
# before the appointment: Mbar = 0 is exact parallel trends afterwards, Mbar = 1 allows drifts as
# large as the worst one in the pre-period. Each row is a robust 95% interval for the same
# average over event times 0–3 (`cxresearch.causal.sensitivity`, checked against the `honestdid`
# package); `original` is the ordinary interval.

# %%
sens = sensitivity_table(es_out, es_outcomes)
sensitivity_wide(sens)  # one row per outcome; sens is the tidy table

# %%
held_es = summary.loc[summary["p_holm"] < 0.05, "outcome"]
Conclusions(
    sensitivity_findings(sens, held=held_es),
    heading="How robust the event study's effects are to non-parallel trends",
    data_kind=kind,
    notes=("Robustness here is to drifts no larger (relative to the pre-period) than Mbar; "
           "a drift that appears only after the appointment and exceeds that is not ruled out. "
           "With two pre-appointment years to judge the drift from, the bound is itself "
           "estimated from little.",),
)

# %% [markdown]
# ## 3. Threats to the event study, one simulated panel each
#
# The event study's effect holds only under parallel trends and no anticipation, and real
# appointments break them in known ways; so each threat gets one **synthetic** staggered panel
# with a known effect (`cxresearch.simulate.threats`: 400 firms, 10 years, the same seed for
# every threat, an effect of 1 at the appointment growing by 0.25 a year, autocorrelated
# year-to-year noise):
#
# - **parallel trends**: the easy case, adopters differ only by a constant level;
# - **slump**: firms appoint a leader after a bad year, which then reverts to normal (an
#   Ashenfelter dip: the rebound looks like an effect);
# - **anticipation**: the effect starts a year before the official appointment (the search and
#   the announcement already change behaviour);
# - **confounding**: a firm trait (size, digital maturity) raises both the chance of appointing
#   and the outcome's trend, so trends are parallel only among firms alike in that trait;
# - **heterogeneous effects**: the effect is larger for one type of firm, which also appoints
#   more often;
# - **leader × culture**: the effect is three times as large in empowered firms.
#
# Each panel is analysed five ways: the naive comparison (firm-years with a leader against
# those without, year effects), static two-way fixed effects, the event study of section 2
# without covariates, the doubly robust event study with the firm traits as covariates
# (`method="dr"`: consistent if either the model of who appoints or the outcome model is
# right; Sant'Anna & Zhao 2020) and, where the threat starts before the appointment, the same
# with one year of anticipation allowed. Two checks come with the event study: the joint
# pre-trend test and a placebo test that moves every appointment two years earlier (its true
# effect is zero). The target is the average effect over event times 0–3. This section is a
# simulation whatever `data_dir` is, so its truth is known.

# %%
threats = threat_scenarios(n_units=threat_units, n_periods=threat_years, seed=seed)
threats.assign(covers_truth=threats["covers_truth"].map({True: "yes", False: "no"}),
               estimator=threats["estimator"].map(lambda e: ESTIMATOR_WORDS.get(e, e)))[
    ["scenario", "estimator", "estimate", "ci_low", "ci_high", "truth", "covers_truth",
     "check_p"]].rename(columns={"covers_truth": "covers truth",
                                 "check_p": "pre-trend / placebo p"}).round(3)

# %%
est_order = ["naive comparison", "two-way FE", "event study (no covariates)",
             "event study (dr, covariates)", "event study (dr, anticipation = 1)"]
est_words = ESTIMATOR_WORDS  # plain words for the legend
panel_titles = {"parallel": "parallel trends", "slump": "slump before appointing",
                "anticipation": "anticipation", "confounding": "confounding trait",
                "heterogeneous": "heterogeneous effects", "culture": "leader × culture"}
shown = threats[threats["estimator"].isin(est_order)]
errors = shown.assign(scenario=shown["scenario"].map(panel_titles),
                      estimator=shown["estimator"].map(est_words),
                      error=shown["estimate"] - shown["truth"],
                      error_low=shown["ci_low"] - shown["truth"],
                      error_high=shown["ci_high"] - shown["truth"])
fig, ax = plt.subplots(figsize=(7.2, 5.0), layout="constrained")
coef_plot(errors, "error", "error_low", "error_high", label="scenario", by="estimator",
          dodge=0.16, ax=ax, invert=True, reference_kw={"linestyle": "--"},
          xlabel="estimate minus the true effect (outcome units; 0 = right)",
          title="Effect of appointing a CX leader: one synthetic panel per threat")
fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3,
           fontsize="small")
n_miss = shown.groupby("scenario", sort=False)["covers_truth"].apply(lambda c: int((~c).sum()))
save_figure(
    fig, "06_threats_by_scenario", data=errors,
    caption=(f"Synthetic data: one simulated staggered panel per threat ({threat_units} firms, "
             f"{threat_years} years, seed {seed}), the effect of appointing a CX leader "
             "(average over event times 0 to 3) estimated five ways, shown as the estimate "
             "minus the simulation's true effect with its 95% interval; an interval that does "
             "not cross the dashed zero line misses the truth."),
    alt_text=(f"Estimate minus the true effect for up to {len(est_order)} estimators under "
              f"{shown['scenario'].nunique()} simulated threats; {int(n_miss.sum())} of "
              f"{len(shown)} intervals miss the truth ("
              + ", ".join(f"{panel_titles[sc]} {n}" for sc, n in n_miss.items() if n)
              + "). Numbers in the CSV."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
Conclusions(
    threat_findings(threats) + adapted_design_findings(threats, validation),
    heading=("How each estimator does under each threat (one synthetic draw per threat; "
             "verdicts from the 200-replication validation below)"),
    data_kind="synthetic",
    notes=("Intervals that miss the truth, by threat: "
           + ", ".join(f"{panel_titles[sc]} {n} of {int((shown['scenario'] == sc).sum())}"
                       for sc, n in n_miss.items())
           + ". One draw can miss by chance (a 95% interval misses one time in twenty), and "
           "can cover by luck; the 200-replication validation below says which misses are the "
           f"design's fault. A design *holds up* when its intervals cover the truth in at least "
           f"{HOLDS_UP_COVERAGE:.0%} of the replications.",),
)

# %% [markdown]
# **Over 200 replications** (from the validation script, `scripts/validate_causal.py --reps 200
# --workers 2`, results in `scripts/results/validate_causal.md`; the same panels, 400 firms and
# 10 years, seeds 1000–1199). Each cell is the bias of the estimator (its average error
# against the truth, outcome units) and, in brackets, the share of the 200 studies whose 95%
# interval covers the truth (0.95 is right). The last column is the share of studies in which
# the placebo test does *not* raise the alarm (0.95 under parallel trends; low is good where
# there is a threat to find):

# %%
validation_table(validation)

# %%
by_culture = validation[validation["estimand"] == "leader x culture"].iloc[0]
placebo = validation[validation["estimand"] == "placebo effect = 0"].set_index("scenario")
Conclusions(
    validation_findings(validation),
    heading=(f"Which estimator holds up under each threat (coverage of at least "
             f"{HOLDS_UP_COVERAGE:.0%} over {int(validation['reps'].iloc[0])} simulated panels)"),
    data_kind="synthetic",
    notes=(f"In the culture scenario the difference between empowered and other firms "
           f"(`event_study_by`, section 4's design) has bias {by_culture['bias']:+.2f} and "
           f"coverage {by_culture['coverage']:.3f} against a true difference of "
           f"{by_culture['truth']:.3f}. The placebo test raises the alarm in "
           + ", ".join(f"{1 - placebo.loc[sc, 'coverage']:.0%} of the {sc} panels"
                       for sc in ["slump", "anticipation", "confounding"])
           + f" (and in {1 - placebo.loc['parallel', 'coverage']:.0%} of the panels with "
           "parallel trends, a false alarm). Allowing a year of anticipation moves the base "
           "year before a slump and removes most of the bias, but not enough for its "
           "intervals to hold up.",),
)

# %% [markdown]
# ## 4. "Doing both": does a CX leader pay off more where employees are empowered?
#
# Practitioners say a CX leader achieves little unless front-line employees are empowered to
# act, so the effect of appointing one should be larger in empowered firms. Firms are split by
# their **baseline empowerment**: the firm mean of "I am empowered to fix a customer's problem
# on the spot" (`culture_6`, 1–5) in the panel's first year, before any appointment made
# during the panel, above the median ("empowered") or not. The event study of section 2 runs
# within each half (appointing firms compared with not-yet-appointing firms of the same half),
# and the difference of the two post-appointment averages estimates the leader × empowerment
# interaction; the halves are disjoint sets of firms, so the variances add. It is *effect
# modification*: empowered firms differ in other ways too, so it does not say that empowering
# employees would raise a leader's effect. Each outcome (CX and revenue growth) gives one
# difference; together they are the fourth family of tests.
#
# The split rests on one item answered by a firm's surveyed employees in a single year, so
# some firms land in the wrong half; misclassification of this kind pulls the difference
# between the halves towards zero.

# %%
empower = empowerment_by_firm(study.employees, "culture_6")
both_outcomes = {y: outcomes[y] for y in ["cx_sd", "revenue_growth"]}
group_words = {"0": "less empowered", "1": "empowered",
               "1 - 0": "difference (empowered − less)"}
both = doing_both_table(panel.merge(empower[["firm_id", "empowered"]], on="firm_id"),
                        both_outcomes, "firm_id", "year", "first_treated", "empowered",
                        window=(-3, 3), group_labels=group_words)
# the simulation gives every appointing firm the same effect: the true difference is 0
true_by_var = true_es.set_index("outcome")["true_value"]
both["true_value"] = np.where(both["is_difference"], 0.0,
                              both["variable"].map(true_by_var)) if synthetic else np.nan
both_family = holm_family(both[both["is_difference"]], n_families=n_questions)
both["p_holm"] = both_family["p_holm"]
print(f"{int((empower['empowered'] == 1).sum())} empowered and "
      f"{int((empower['empowered'] == 0).sum())} less empowered firms; median baseline "
      f"empowerment {empower['empowerment'].median():.2f} of 5 ({label})")
both[["outcome", "group", "estimate", "ci_low", "ci_high", "p_value", "p_holm", "n_units"]
     + (["true_value"] if synthetic else [])].rename(columns={"n_units": "firms"}).round(3)

# %%
both_words = {"cx_sd": ("CX (SD units)", "effect on CX (SD)"),
              "revenue_growth": ("revenue growth (pp)", "effect on growth (pp)")}
fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], layout="constrained")
for ax, (var, g) in zip(axes, both.groupby("variable", sort=False)):
    coef_plot(g, label="group", ax=ax, invert=True, ci_label="estimate (95% CI)",
              truth="true_value" if synthetic else None, truth_label="true value (simulation)",
              xlabel=both_words[var][1], title=both_words[var][0])
axes[1].set_yticklabels([])
fig.suptitle(f"Effect of appointing a CX leader by baseline empowerment ({label} data)",
             fontsize="medium")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2,
           fontsize="small")
n_both_held = int(adjusted_supported(both_family).sum())
save_figure(
    fig, "06_doing_both_by_empowerment", data=both,
    caption=(f"Event-study effect of appointing a CX leader (average of event times 0 to 3) "
             f"in firms with above-median and other baseline employee empowerment, and their "
             f"difference, with 95% intervals ({label} data)."
             + (" Crosses: the simulated true values (the same effect in both groups)."
                if synthetic else "")),
    alt_text=("Two panels, CX and revenue growth: the leader's effect in empowered and less "
              "empowered firms, and their difference. "
              + (f"{n_both_held} of {len(both_family)} differences" if n_both_held else
                 f"Neither of the {len(both_family)} differences")
              + " is distinguishable from zero after Holm adjustment"
              + ("; true difference 0." if synthetic else ".")),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
Conclusions(
    findings_from_adjusted_table(
        both_family, "outcome", noun="difference",
        subjects=[f"leader's effect on {o}, empowered minus less empowered firms"
                  for o in both_family["outcome"]])
    + tuple(about_synthetic(truth_sentence(f"difference in the leader's effect on {r.outcome}",
                                           r.estimate, r.ci_low, r.ci_high,
                                           r.true_value).text, synthetic)
            for r in both[both["is_difference"]].itertuples() if synthetic),
    heading="Does a leader's effect differ where employees are empowered?",
    data_kind=kind,
    notes=("Each half holds about half of the appointing firms, so these intervals are wide: "
           "a difference the data cannot tell from zero may still be there. The validation "
           f"above shows the design recovers a large difference ({by_culture['truth']:.2f}, "
           f"about three times the effect, in 400 firms × 10 years; coverage "
           f"{by_culture['coverage']:.1%}); a modest difference would need far more firms "
           f"than these {panel['firm_id'].nunique()}.",),
)

# %% [markdown]
# ## 5. The say/do gap
#
# A "say/do gap" is the idea that firms call CX their top priority (stated priority 4–5 of 5)
# but fund it modestly; the shares below test whether these data show such a gap. Half
# of *all* firms fund CX below the median by construction, so the share among top-priority
# firms means something only against the other firms, and against 50% (the share if saying
# and funding were unrelated). Then: does saying matter once doing is known? Firm-level
# average CX and growth on "say" and "do" (z-scored stated priority and CX budget share) and
# on their difference (the gap), adjusted for industry and size.

# %%
firms = study.firms.set_index("firm_id")
gap_shares = say_do_gap_shares(firms, top=4)
display(say_do_gap_summary(firms, top=4).round(3))
gap_shares.round(1)

# %%
firm_out = firm_means(panel, ["cx_sd", "revenue_growth"]).join(
    firms[["stated_cx_priority", "cx_budget_share", "industry", "size_band"]])
say_do = say_do_effects_by_outcome(
    firm_out, {y: outcomes[y] for y in ["cx_sd", "revenue_growth"]},
    controls=["industry", "size_band"], say_effect={"cx_sd": truth.get("say_do_effect", np.nan)})
say_do_family = holm_family(say_do[say_do["model"] == "say + do"], n_families=n_questions)
say_do.loc[say_do_family.index, "p_holm"] = say_do_family["p_holm"]
# the gap rows are shown for the difference-score trap (see the note), not tested
say_do_shown = say_do[["outcome", "model", "term", "estimate", "ci_low", "ci_high", "p_value",
                       "p_holm"] + (["true_value"] if synthetic else [])].round(3).astype(
    {"p_value": object, "p_holm": object})
say_do_shown.loc[say_do_shown["model"] == "gap", ["p_value", "p_holm"]] = "not tested"
say_do_shown

# %%
top, others = gap_shares.iloc[0], gap_shares.iloc[1]
say_do_words = {"say": "stated priority", "do": "CX budget share"}
Conclusions(
    (level_sentence(f"firms calling CX a top priority whose CX budget is below the median "
                    f"(% of {int(top['n'])})", top["share_pct"], top["ci_low"], top["ci_high"],
                    reference=50.0, reference_name="50%"),
     level_sentence(f"the other firms whose CX budget is below the median (% of "
                    f"{int(others['n'])})", others["share_pct"], others["ci_low"],
                    others["ci_high"], reference=50.0, reference_name="50%"),
     Finding(f"**say/do gap**: top-priority firms are "
             f"{'less' if top['share_pct'] < others['share_pct'] else 'more'} often below the "
             f"median CX budget than the other firms ({top['share_pct']:.1f}% against "
             f"{others['share_pct']:.1f}%)"
             + (", the opposite of a say/do gap." if top["share_pct"] < others["share_pct"]
                else "."), False, kind="level"))
    + findings_from_adjusted_table(
        say_do_family, "term",
        subjects=[f"{o}, per SD of {say_do_words[t]} (given the other)"
                  for o, t in zip(say_do_family["outcome"], say_do_family["term"])])
    + tuple(about_synthetic(truth_sentence(f"{r.outcome}, per SD of stated priority",
                                           r.estimate, r.ci_low, r.ci_high, r.true_value).text,
                            synthetic)
            for r in say_do_family.itertuples() if synthetic and np.isfinite(r.true_value)),
    heading="What these data show about saying and doing (associations)",
    data_kind=kind,
    notes=("The gap is say minus do, so its coefficient mixes the two, the usual trap of "
           "difference scores (Edwards 2001): read say and do separately. The gap rows are "
           "therefore not tested and not in the Holm family.",),
)

# %% [markdown]
# ## 6. One firm's appointment: interrupted time series and synthetic control
#
# A firm asking "we appointed a CCO; did it work?" has one series, not a panel of appointing
# firms, so it needs designs for one treated unit. Point the parameters at your own months
# (`firm_series`: a CSV with columns `month` (numbers or dates such as `2023-04`), `cx`,
# `revenue`, and optionally `firm`, whose other firms, which never appointed a leader, serve
# as donors; `appointed`: the first month with the leader in post). Without them, the section
# uses a **synthetic** firm with a known effect: 60 months, appointment in month 40, +2 CX
# points from then on (and +1 on the revenue index), plus 20 donor firms that never appoint;
# all share market-wide drifts and a seasonal cycle (`simulate_firm_series`).
#
# - **Interrupted time series** (segmented regression; Wagner et al. 2002): the firm's own
#   series before the appointment, extended, is the counterfactual; the effect is the average
#   gap after it, with Newey–West (HAC) errors for autocorrelated months. Its check: a placebo
#   appointment in the middle of the pre-period, its p-value calibrated by simulating the
#   pre-period's line with autocorrelated noise. It reads any market-wide change after the
#   appointment as the leader's doing.
# - **Synthetic control** (Abadie, Diamond & Hainmueller 2010): a weighted mix of donor firms
#   that tracks the firm before the appointment; market-wide changes hit both. Inference:
#   each donor in turn is treated as if it had appointed (placebo in space); the interval
#   collects the constant effects that test does not reject (it needs at least 20 donors for
#   95%). Its check is the pre-period fit (RMSPE, in outcome units).
#
# In the table, `p_value` is the interrupted time series' normal test and the synthetic
# control's placebo-in-space rank; `ITS placebo p` is the pre-period placebo.

# %%
own_series = firm_series is not None
if own_series:
    series, start, focal = prepare_firm_series(pd.read_csv(firm_series), appointed,
                                               focal=focal_firm)
    firm_truth: dict[str, float] = {}
else:
    sim_series, sim_truth = simulate_firm_series(n_months=60, appoint_month=40, effect=2.0,
                                                 n_donors=20, seed=seed)
    series, start, focal = prepare_firm_series(sim_series.drop(columns="treated"), 40,
                                               focal="firm")
    after = sim_truth[sim_truth["month"] >= start]
    firm_truth = {"cx": float(after["effect_cx"].mean()),
                  "revenue": float(after["effect_revenue"].mean())}
firm_label = "your firm" if own_series else "simulated firm"
firm_outcomes = {"cx": "CX score (points)", "revenue": "revenue (index)"}
own_months = series.loc[series["firm"] == focal, "month"]
print(f"{firm_label}: {int((own_months < start).sum())} months before the appointment, "
      f"{int((own_months >= start).sum())} after; "
      f"{series.loc[series['firm'] != focal, 'firm'].nunique()} donor firms")
one_firm = single_firm_table(series, start, firm_outcomes, focal=focal, true_values=firm_truth)
# p_value: the ITS's normal test, the synthetic control's placebo-in-space rank
one_firm.drop(columns=[] if not own_series else ["true_value"]).rename(
    columns={"check_p": "ITS placebo p", "pre_rmspe": "pre-period fit (RMSPE)"}).round(3)

# %%
# rounded to 1e-6 points before drawing: the synthetic control's weights are only determined
# to ~1e-11 along a flat direction, and last-bit differences would move anti-aliased pixels
line = single_firm_counterfactuals(series, start, "cx", focal=focal).round(6)
fig, ax = plt.subplots(figsize=FIGSIZE["double"], layout="constrained")
ax.plot(line["months_since"], line["observed"], color="black", label="observed")
if "synthetic_control" in line:  # with at least two donor firms
    ax.plot(line["months_since"], line["synthetic_control"], color="#0072B2",
            label="synthetic control")
ax.plot(line["months_since"], line["its_pre_trend"], color="#D55E00", linestyle="--",
        label="pre-trend extended (ITS)")
ax.axvline(-0.5, color="grey", linestyle=":", linewidth=1)
ax.set_xlabel("months since the appointment")
ax.set_ylabel("CX score (points)")
ax.set_title("One firm's appointment: observed CX against two counterfactuals"
             + ("" if own_series else " (synthetic)"))
fig.legend(loc="outside lower center", ncol=3, fontsize="small")
post_line = line[line["months_since"] >= 0]
save_figure(
    fig, "06_single_firm_synthetic_control", data=line,
    caption=(f"Monthly CX of one firm ({firm_label}"
             + ("" if own_series else ": synthetic data with a true effect of "
                f"{firm_truth['cx']:.1f} points from the appointment") + ") against its "
             "synthetic control (donor firms weighted to track it before the appointment) and "
             "against its own pre-appointment trend extended (the interrupted time series' "
             "counterfactual); dotted line: the appointment."),
    alt_text=(f"Line chart of CX by month since the appointment, {len(line)} months. After the "
              f"appointment the observed series averages {post_line['observed'].mean():.1f}"
              + (f", the synthetic control {post_line['synthetic_control'].mean():.1f}"
                 if "synthetic_control" in line else "")
              + f" and the extended pre-trend {post_line['its_pre_trend'].mean():.1f} points."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
its_rows = one_firm[one_firm["design"] == "interrupted time series"]
placebo_notes = tuple(
    f"The interrupted time series' placebo (a fake appointment mid-way through the months "
    f"before) for {r.outcome}: p = {r.check_p:.3f}; "
    + ("the months before may not follow one straight line, so look at the plot before "
       "trusting their extension." if r.check_p < 0.05
       else "no sign that the months before bend.")
    for r in its_rows.itertuples()) + (
    "The placebo's p-value comes from 2,000 simulated versions of the months before (their "
    "straight line with autocorrelated noise), not from the normal curve: read that way, a "
    "fake break estimated from a few dozen months flags about 15% of perfectly straight "
    "series at the 5% level; calibrated, about 5% (`tests/test_single_firm.py`).",)
Conclusions(
    single_firm_findings(one_firm, validation, subject=firm_label)
    if not own_series else
    tuple(effect_sentence(f"{r.design}, {r.outcome}: average change after the appointment, "
                          "under the design's assumptions", r.estimate, r.ci_low, r.ci_high,
                          design="causal")
          for r in one_firm.itertuples()),
    heading=(f"What one firm's series shows ({firm_label}"
             + ("" if own_series else ": synthetic data with a known effect") + ")"),
    data_kind="user" if own_series else "synthetic",
    notes=placebo_notes + (
        () if series["firm"].nunique() >= 3 else
        ("Without donor firms only the interrupted time series is possible: any change in the "
         "market after the appointment is read as the leader's doing.",)),
)

# %% [markdown]
# The replications above (`scripts/validate_causal.py --only single --reps 200`; 60 months,
# appointment in month 40, a true effect of 2 CX points, 20 donors) say how often each design's
# interval covers the truth; the single draw says whether it was precise enough to see the
# effect. The interrupted time series reads market-wide drifts after the appointment as an
# effect; use it only where nothing else changed in the market, and prefer a synthetic control
# whenever comparable firms' series exist, bearing in mind that with 20 donors its interval
# can be too wide to tell a modest effect from zero.

# %% [markdown]
# ## 7. How big must a study be? Power you can trust
#
# A study too small to see a plausible effect reports "no clear effect", so power is worth
# knowing before the data are collected. `event_study_power_curve` simulates `power_boot`
# staggered-adoption studies per design and applies exactly the event study of section 2
# (window −3..3, not-yet-appointing firms as controls, its analytic standard error):
# year-to-year noise that carries over (AR(1), ρ = 0.5), 60% of firms never appointing, and an
# **assumed** effect of 0.15 times the year-to-year noise SD at the appointment that grows by
# 0.05 of it a year (converted below into SD of CX on these data). It is not the bundled
# study's effect: it is a modest effect a study should be able to see. Every point comes with
# its Monte-Carlo band (Wilson 95% interval over the simulated studies), so a reader can see
# how much of a curve is simulation error. The studies are **synthetic** whatever `data_dir` is.

# %%
power_design = {"effect": 0.15, "effect_growth": 0.05, "rho": 0.5, "never_share": 0.6}
power = event_study_power_curve(power_design["effect"], n_firms=[100, 300, 1000, 3000],
                                n_years=[5, 8], rho=power_design["rho"],
                                effect_growth=power_design["effect_growth"],
                                never_share=power_design["never_share"], window=(-3, 3),
                                n_boot=power_boot, seed=seed).to_frame()
noise_cx = within_unit_sd(panel, "cx_sd", "firm_id", "year")
effect_sd = power_design["effect"] * noise_cx  # the assumed effect in SD of CX
print(f"On these data ({label}) the year-to-year noise of CX within a firm is "
      f"{noise_cx:.2f} SD of CX, so an effect of {power_design['effect']} times that noise is "
      f"{effect_sd:.3f} SD of CX.")
power_band_table(power)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"], layout="constrained")
for (years, g), colour, mark in zip(power.groupby("n_years", sort=False),
                                    ["#E69F00", "#0072B2"], ["s--", "o-"]):
    ax.fill_between(g["n_firms"], g["mc_low"], g["mc_high"], color=colour, alpha=0.3,
                    linewidth=0)
    ax.plot(g["n_firms"], g["power"], mark, color=colour,
            label=f"{years} years of panel")
ax.axhline(0.8, color="black", linewidth=0.8, linestyle=":", label="80% power")
ax.set_xscale("log")
ax.set_xticks([100, 300, 1000, 3000], ["100", "300", "1,000", "3,000"])
ax.set_ylim(0, 1.02)
ax.set_xlabel("firms in the study")
ax.set_ylabel("power (share of studies detecting it)")
ax.set_title(f"Simulated power for an assumed effect of {effect_sd:.2f} SD of CX")
fig.legend(loc="outside lower center", ncol=3, fontsize="small")
save_figure(
    fig, "06_power_curves", data=power,
    caption=(f"Power of the event study (5% test of the average effect over event times 0 to "
             f"3) by number of firms and years of panel, {power_boot:,} simulated synthetic "
             f"studies per point, with Monte-Carlo 95% bands (shaded): an assumed effect of "
             f"{power_design['effect']} of the year-to-year noise ({effect_sd:.2f} SD of CX), "
             f"growing by {power_design['effect_growth']} of it a year, year-to-year noise "
             f"carrying over with coefficient {power_design['rho']}, "
             f"{power_design['never_share']:.0%} of firms never appointing. The dotted line "
             "marks 80% power."),
    alt_text=("Two rising curves of power against firms on a log axis, with narrow bands: "
              + "; ".join(f"{y} years: " + ", ".join(
                  f"{p:.2f} at {n:,}" for n, p in zip(g["n_firms"], g["power"]))
                  for y, g in power.groupby("n_years", sort=False)) + "."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
Conclusions(
    tuple(power_reach_sentence(f"assumed effect of {effect_sd:.2f} SD of CX growing by "
                               f"{power_design['effect_growth'] * noise_cx:.2f} SD a year, "
                               f"{y} years of panel", g["n_firms"], g["power"])
          for y, g in power.groupby("n_years", sort=False)),
    heading="How many firms the event study needs (simulated studies)",
    data_kind="synthetic",
    notes=(f"Monte-Carlo error: the widest band is "
           f"{power['mc_high'].sub(power['mc_low']).max():.3f} wide ({power_boot:,} simulated studies per point), so the digits shown are "
           "the design's, not the simulation's.",),
)

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The families of tests (Holm within each family, the 5% error rate split between the
# families), and how many of their tests hold after the adjustment, from the tables above:

# %%
pretrend_family = summary[["outcome", "pretrend_p_holm"]].rename(
    columns={"pretrend_p_holm": "p_holm"})
families = dict(zip(TEST_FAMILIES, [contrasts, summary, pretrend_family, both_family,
                                    say_do_family], strict=True))
family_table(families)

# %%
es_held = summary[adjusted_supported(summary)]
grid = power[(power["n_years"] - panel["year"].nunique()).abs()
             == (power["n_years"] - panel["year"].nunique()).abs().min()]
at_size = grid.loc[(grid["n_firms"] - panel["firm_id"].nunique()).abs().idxmin()]
truth_checks = (
    truth_tally("ownership contrasts", contrasts,
                [f"{r.owner_label} vs everyone's job, {r.outcome}"
                 for r in contrasts.itertuples()]),
    truth_tally("event-study effects", summary, list(summary["outcome"])),
    truth_tally("leader × empowerment differences", both_family, list(both_family["outcome"])),
) if synthetic else ()
Conclusions(
    (Finding(f"**{len(families)} families of tests** share the 5% error rate: "
             + "; ".join(f"{name}: {held} of {n} held" for name, n, held in
                         family_table(families).itertuples(index=False)) + ".", False,
             kind="check"),)
    + findings_from_adjusted_table(held_own, "outcome", noun="difference",
                                   subjects=[f"{r.owner_label} vs everyone's job, {r.outcome}"
                                             for r in held_own.itertuples()])
    + with_robustness(
        findings_from_adjusted_table(
            es_held, "outcome",
            subjects=[f"effect of appointing a CX leader on {o}, under the event study's "
                      "assumptions" for o in es_held["outcome"]],
            n_family=len(summary), design="causal"),
        es_held["outcome"], sensitivity_findings(sens, held=held_es))
    + findings_from_adjusted_table(
        both_family[adjusted_supported(both_family)], "outcome", noun="difference",
        subjects=[f"leader's effect on {o}, empowered minus less empowered firms"
                  for o in both_family.loc[adjusted_supported(both_family), "outcome"]],
        n_family=len(both_family))
    + findings_from_adjusted_table(
        say_do_family[adjusted_supported(say_do_family)], "term",
        subjects=[f"{o}, per SD of {say_do_words[t]}" for o, t in zip(
            say_do_family.loc[adjusted_supported(say_do_family), "outcome"],
            say_do_family.loc[adjusted_supported(say_do_family), "term"])],
        n_family=len(say_do_family))
    + ((undetected_effects_finding(summary, at_size["power"], int(at_size["n_firms"]),
                                   effect_sd),) if synthetic else ())
    + truth_checks
    + tuple(f.labelled("synthetic") for f in validation_findings(validation)
            if "no estimator" in f.text)
    + (tuple(f.labelled("synthetic") for f in single_firm_findings(one_firm, validation,
                                                                   subject=firm_label)
             if "simulated firms" in f.text) if not own_series else ()),
    heading="What these data show, what they miss, and the warnings",
    data_kind=kind,
)

# %% [markdown]
# What no result above can show, whatever the data:
#
# - **Ownership models** are chosen by firms: a contrast between them mixes the owner's doing
#   with the kind of firm that chooses that owner, however many controls are added. A firm's
#   owner must be the one in force when the outcome was measured, not the one at the end.
# - **Appointing a leader**: the event study compares each appointing firm with itself and with
#   firms that appoint later; its effect holds only under parallel trends and no anticipation.
#   It cannot remove selection on *expected changes*; the pre-trend test is a partial check,
#   with low power (Roth 2022). An effect too small for the study's size shows as "no clear
#   effect", not as no effect: the power curves say what size would see it.
# - **Threats**: the simulations show what each design recovers when the threat is known. In
#   real data it is not: covariates fix confounding only by traits that are measured, allowing
#   anticipation helps only if its length is right, and after a slump before the appointment
#   the event study overstates the effect and no estimator here holds up over the
#   replications; the placebo and pre-trend tests are the evidence, and they can miss.
# - **Doing both**: a difference between empowered and other firms is effect modification;
#   empowered firms differ in other ways, so it does not say what empowering employees would
#   change.
# - **One firm**: an interrupted time series assumes the months before would have gone on in a
#   straight line; a synthetic control assumes the donors were untouched by the appointment and
#   keep tracking the firm; with one firm nothing averages out a coincidence.
# - **Say/do**: the gap index is a useful description but a poor regressor; say and do must be
#   read separately.
# - Firms with a CX executive are not the same as CX-leading firms: nothing here measures
#   whether a firm leads on CX, only who owns it.

# %%
about_synthetic(
    "all magnitudes are assumptions documented in `docs/simulation.md`; the notebook shows "
    "what each design recovers when the truth is known, not what real CX executives achieve.",
    synthetic)
