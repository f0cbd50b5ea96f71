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
# notebook turns the debate into four questions with an estimate, an uncertainty and a stated
# limitation each:
#
# 1. Do outcomes differ by **ownership model** in force at the time, once industry, size and
#    year are held equal?
# 2. Do outcomes **change after a firm appoints a CX leader**? Firms appoint in different years
#    (staggered adoption), so the notebook uses an event study that compares each appointing
#    firm with firms that have not (yet) appointed, before and after.
# 3. What if the firms that appoint a leader were **already growing faster**? A deliberately
#    confounded simulation shows what each design recovers.
# 4. How large is the **say/do gap** (stated priority against resourcing), and does it matter?
#
# Finally: how many firms and years would a study need?
#
# Words: a **CX leader** here is a dedicated CX executive (a CXO or CCO) in post; a firm "with a
# CX leader" is a firm with a CX executive. Practitioner writing also calls firms that *lead on
# CX* "CX leaders"; this notebook calls those **CX-leading firms** and never mixes the two.
#
# Only the event study earns the word *effect*, under its stated assumptions (parallel trends,
# no anticipation); comparisons between firms are associations. Four families of tests are
# asked of the data (ownership contrasts, event-study effects, pre-trend tests, say/do
# coefficients): each is Holm-adjusted, and the four split the 5% error rate, so that the
# chance of *any* false alarm in the notebook stays at 5%. The sentences under the tables are
# written from those numbers. The bundled data are a **synthetic** study (300 firms, 8 years) with known
# effects, shown beside the estimates; no public data record firms' CX ownership. Rerun with
# `-p data_dir=...` on your own exports, the notebook shows no truth (none is known) and its
# conclusions follow your data.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 06 -p seed=1 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
seed = 0  # seed of the simulations and bootstraps below
n_firms_scenario = 1500  # firms in each of the random / confounded appointment scenarios
strong_selection = 2.0  # log-odds of appointing per SD of a firm's baseline growth
power_sims = 100

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from cxresearch.conclusions import (
    Conclusions,
    about_synthetic,
    adjusted_supported,
    count_sentence,
    findings_from_adjusted_table,
    holm_family,
    level_sentence,
    power_sentence,
    truth_sentence,
)
from cxresearch.contract import human_label
from cxresearch.figures import FIGSIZE, save_figure, use_style
from cxresearch.io import load_study
from cxresearch.ownership import ownership_effects
from cxresearch.panel import firm_means, linkage_panel
from cxresearch.simulate import true_event_study_effects, true_event_time_path, true_owner_effects
from cxresearch.studies.leadership_06 import (
    confounding_scenarios,
    effect_for_power,
    event_studies,
    event_study_power_by_outcome,
    event_study_table,
    leadership_panel,
    owner_status_panel,
    ownership_contrasts,
    say_do_effects_by_outcome,
    say_do_gap_shares,
    say_do_gap_summary,
    within_unit_sd,
)
from cxresearch.studies.measuring_01 import owner_timing_summary

use_style()
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
study = load_study(data_dir)  # bundled: simulate_study(StudyParams(), seed=0), 300 firms
label = "synthetic" if synthetic else "user data"
truth = study.truth if synthetic else {}
n_questions = 4  # families of tests that share the 5% error rate (see the introduction)
holm_words = f"Holm (the 5% error rate split over {n_questions} questions)"
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
# Five owner groups against the reference on three outcomes are 15 comparisons, the first
# family: Holm-adjusted (`p_holm`, with the 5% split over the notebook's four families of
# tests). On the bundled study the true values are the simulated structural effects of each
# owner (none is defined for the years before an appointment).

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
hi, lo = adj.loc[adj["adjusted_mean"].idxmax()], adj.loc[adj["adjusted_mean"].idxmin()]
save_figure(
    fig, "06_ownership_adjusted_means", data=adj,
    caption=(f"Customer experience by who owned CX that year, adjusted for industry, size and "
             f"year, with 95% intervals clustered by firm ({label} data, {len(panel)} "
             f"firm-years of {panel['firm_id'].nunique()} firms). Firms chose their ownership "
             "model; differences are adjusted associations, not effects."),
    alt_text=(f"{len(adj)} horizontal error bars, one per owner that year: "
              + "; ".join(f"{r.owner_label} {r.adjusted_mean:+.2f} SD "
                          f"({r.ci_low:+.2f} to {r.ci_high:+.2f})" for r in adj.itertuples())
              + f". Highest: {hi['owner_label']}; lowest: {lo['owner_label']}."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %% [markdown]
# What the 15 contrasts show after the adjustment. Shown one by one: the contrasts of a CX
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
    heading=f"What these data show about ownership models ({label}; associations)",
    notes=((f"The other {rest} contrasts have unadjusted intervals that include zero. " if rest
            else "") + "A difference between firm-years with a CX leader in post and "
           "'everyone's job' mixes what the leader does with the kind of firm that appoints "
           "one; a difference in the years *before* an appointment cannot be the leader's "
           "doing, and says that appointing firms differ anyway.",),
)

# %%
about_synthetic(
    "firms more committed to CX, and firms that already grow faster, are more likely to "
    "appoint a CX leader, so the leader's contrast can exceed the structural effect the "
    "simulation gives the leader (compare the true values above); the CEO, COO and CMO have "
    "structural effects of 0.1 SD of CX or less.", synthetic)

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
# Besides CX, growth and contacts: cost to serve, and employee experience. (Practitioner
# writing says CX-leading firms rank among the best places to work; the question here is
# narrower: does EX change after a firm appoints a CX executive?) Five outcomes are five
# comparisons (the second family), and their five pre-trend tests the third.

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
    heading=f"What the event study shows ({label})",
    notes=("A pre-trend test that finds nothing is weak evidence for parallel trends: such "
           "tests have low power (Roth 2022). An effect the interval cannot tell from zero may "
           "still be there; section 5 asks how large a study would need to be to see it.",),
)

# %% [markdown]
# ## 3. A deliberately confounded simulation
#
# Two simulated versions of the bundled study, differing only in who appoints a leader:
# unrelated to the firm's baseline growth, or mostly firms whose baseline growth is already
# high (log-odds +2 per SD of baseline growth). In both, firms more committed to CX are
# somewhat more likely to appoint. Three estimators of the leader's effect on revenue growth:
# the naive comparison (firm-years with a leader against those without, year effects, SEs by
# firm), two-way fixed effects, and the event study (post-appointment average of event times
# 0–3). This section is a simulation whatever `data_dir` is, so its truth is known.

# %%
scen = confounding_scenarios(
    n_firms_scenario, {"appointment unrelated to growth": 0.0,
                       "appointment favours fast growers": strong_selection}, seed=seed)
scen.round(3)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
methods = ["naive comparison", "two-way FE", "event study"]
for i, (name, grp) in enumerate(scen.groupby("scenario", sort=False)):
    grp = grp.set_index("method").loc[methods]
    y = np.arange(len(methods)) + (i - 0.5) * 0.3
    ax.errorbar(grp["estimate"], y, xerr=[grp["estimate"] - grp["ci_low"],
                                          grp["ci_high"] - grp["estimate"]],
                fmt="o", capsize=3, label=name)
true_growth = float(scen["true_effect"].mean())
ax.axvline(true_growth, color="black", linestyle="--", linewidth=1,
           label=f"true effect in the simulation ({true_growth:.2f} pp)")
ax.axvline(0, color="grey", linewidth=0.8)
ax.set_yticks(np.arange(len(methods)), methods)
ax.invert_yaxis()
ax.set_xlabel("estimated effect of a CX leader on revenue growth (pp)")
ax.set_title("Simulation: naive comparison vs event study when leaders go to growing firms")
ax.legend(loc="center right", fontsize="small")
covers = scen["ci_low"].le(scen["true_effect"]) & scen["ci_high"].ge(scen["true_effect"])
save_figure(
    fig, "06_confounded_naive_vs_event_study", data=scen,
    caption=(f"Synthetic data ({n_firms_scenario} firms per scenario): estimated effect of "
             "appointing a CX leader on revenue growth when appointment is unrelated to "
             "growth and when fast-growing firms are more likely to appoint, by three "
             f"designs, with 95% intervals; dashed: the simulation's true effect "
             f"({true_growth:.2f} pp)."),
    alt_text=("Dot-and-whisker chart with three methods and two scenarios: "
              + "; ".join(f"{r.method}, {r.scenario}: {r.estimate:.2f} pp "
                          f"({r.ci_low:.2f} to {r.ci_high:.2f}), "
                          f"{'covers' if c else 'misses'} the true {r.true_effect:.2f}"
                          for r, c in zip(scen.itertuples(), covers)) + "."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
Conclusions(
    tuple(truth_sentence(f"{r.method}, {r.scenario}: estimate {r.estimate:.2f} pp, "
                         f"{abs(r.estimate - r.true_effect):.2f} "
                         f"{'above' if r.estimate > r.true_effect else 'below'} the truth",
                         r.estimate, r.ci_low, r.ci_high, r.true_effect)
          for r in scen.itertuples()),
    heading="Each design against the simulation's truth",
    notes=(f"When appointment favours fast growers, the appointers start "
           f"{scen['growth_gap_of_appointers'].iloc[-1]:.1f} pp ahead in baseline growth "
           f"(against {scen['growth_gap_of_appointers'].iloc[0]:.1f} pp otherwise).",),
)

# %% [markdown]
# A comparison between firms credits the leader with the appointers' head start; comparing
# each firm with its own past and with firms that appoint later removes *stable* differences
# in growth. Removing a bias is not the same as being close to the truth in one sample: the
# event study's intervals are wide, and one run can land far from the true value on either
# side, as the sentences above say for these runs. Two-way fixed effects removes stable
# differences too, but would be biased if effects grew over time (the unit tests show it).
# What no design fixes: firms that appoint a leader *because* they expect a change in trend
# (a new strategy, a turnaround); a pre-trend test can only reveal it when it starts before
# the appointment.

# %% [markdown]
# ## 4. The say/do gap
#
# Many firms call CX their top priority (stated priority 4–5 of 5) but fund it modestly. Half
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
say_do.loc[say_do_family.index, "p_holm"] = say_do_family["p_holm"]  # the gap rows: none
say_do[["outcome", "model", "term", "estimate", "ci_low", "ci_high", "p_value", "p_holm"]
       + (["true_value"] if synthetic else [])].round(3)

# %%
top, others = gap_shares.iloc[0], gap_shares.iloc[1]
say_do_words = {"say": "stated priority", "do": "CX budget share"}
Conclusions(
    (level_sentence(f"firms calling CX a top priority whose CX budget is below the median "
                    f"(% of {int(top['n'])})", top["share_pct"], top["ci_low"], top["ci_high"],
                    reference=50.0, reference_name="50%"),
     level_sentence(f"the other firms whose CX budget is below the median (% of "
                    f"{int(others['n'])})", others["share_pct"], others["ci_low"],
                    others["ci_high"], reference=50.0, reference_name="50%"))
    + findings_from_adjusted_table(
        say_do_family, "term",
        subjects=[f"{o}, per SD of {say_do_words[t]} (given the other)"
                  for o, t in zip(say_do_family["outcome"], say_do_family["term"])])
    + tuple(about_synthetic(truth_sentence(f"{r.outcome}, per SD of stated priority",
                                           r.estimate, r.ci_low, r.ci_high, r.true_value).text,
                            synthetic)
            for r in say_do_family.itertuples() if synthetic and np.isfinite(r.true_value)),
    heading=f"What these data show about saying and doing ({label}; associations)",
    notes=("The gap is say minus do, so its coefficient mixes the two, the usual trap of "
           "difference scores (Edwards 2001): read say and do separately.",),
)

# %% [markdown]
# ## 5. How big must a study be? Simulation-based power
#
# How often would a study detect the effect of appointing a leader on revenue growth and on
# CX, given how noisy these outcomes are from year to year within a firm? Each point is the
# share of simulated staggered-adoption studies (with 60% of firms never appointing) whose
# event-study average is significant at 5%. The effect is the simulated true one on the
# bundled study and this study's own estimate (section 2) on your data; the noise is the SD
# left after removing firm and year means, what an event study faces.

# %%
true_effect = true_es.set_index("outcome")["true_value"]
power_inputs = pd.DataFrame([
    {"outcome": outcomes[y], "effect": effect_for_power(true_effect[y], es_out[y]),
     "noise_sd": within_unit_sd(panel, y, "firm_id", "year")}
    for y in ["revenue_growth", "cx_sd"]
])
power = event_study_power_by_outcome(power_inputs, n_firms=[100, 300, 1000, 3000],
                                     n_years=[5, 8], never_share=0.6, n_boot=power_sims,
                                     seed=seed)
power_inputs.round(3)

# %%
power.pivot_table(index=["outcome", "n_years"], columns="n_firms", values="power").round(2)

# %%
effect_source = "the simulated true effect" if synthetic else "this study's estimate"
effects_text = ", ".join(f"{r.outcome} {r.effect:.2f}" for r in power_inputs.itertuples())
fig, ax = plt.subplots(figsize=FIGSIZE["double"], layout="constrained")
for (outcome, years), grp in power.groupby(["outcome", "n_years"], sort=False):
    ax.plot(grp["n_firms"], grp["power"], "o-" if years == 8 else "s--",
            label=f"{outcome}, {years} years")
ax.axhline(0.8, color="black", linewidth=0.8, linestyle=":")
ax.set_xscale("log")
ax.set_xticks([100, 300, 1000, 3000], ["100", "300", "1,000", "3,000"])
ax.set_ylim(0, 1.02)
ax.set_xlabel("firms in the study")
ax.set_ylabel("power (share detecting it)")
ax.set_title("Simulated power to detect the effect of appointing a CX leader")
fig.legend(loc="outside lower center", ncol=2, fontsize="small")
save_figure(
    fig, "06_power_curves", data=power,
    caption=(f"Simulation-based power of the event study to detect an effect of appointing a "
             f"CX leader of the size of {effect_source} ({effects_text}), by number of firms "
             f"and years of panel, {power_sims} simulated studies per point (synthetic "
             f"studies; noise from the {label} data). The dotted line marks 80% power."),
    alt_text=("Four curves of power against firms on a log axis: "
              + "; ".join(f"{o}, {y} years: " + ", ".join(
                  f"{p:.2f} at {n:,}" for n, p in zip(g["n_firms"], g["power"]))
                  for (o, y), g in power.groupby(["outcome", "n_years"], sort=False)) + "."),
    source="06_cx_leadership_and_governance",
)
plt.show()

# %%
Conclusions(
    tuple(power_sentence(f"{o}, effect {power_inputs.set_index('outcome').loc[o, 'effect']:.2f}"
                         f", {y} years", g["n_firms"], g["power"])
          for (o, y), g in power.groupby(["outcome", "n_years"], sort=False)),
    heading=f"How many firms the event study needs (effect: {effect_source})",
)

# %% [markdown]
# ## What this shows, and what it doesn't
#
# How many estimates of each family hold after the adjustment (Holm within each family, the 5%
# error rate split over the four), from the tables above:

# %%
families = {"ownership contrasts (associations)": (contrasts, "association"),
            "event-study effects of appointing a CX leader": (summary, "causal"),
            "say and do coefficients (associations)": (say_do_family, "association")}
Conclusions(
    tuple(count_sentence(int(adjusted_supported(fam).sum()), len(fam), name,
                         adjustment=holm_words)
          for name, (fam, _) in families.items())
    + findings_from_adjusted_table(held_own, "outcome", noun="difference",
                                   subjects=[f"{r.owner_label} vs everyone's job, {r.outcome}"
                                             for r in held_own.itertuples()])
    + findings_from_adjusted_table(
        summary[adjusted_supported(summary)], "outcome",
        subjects=[f"effect of appointing a CX leader on {o}, under the event study's "
                  "assumptions" for o in summary.loc[adjusted_supported(summary), "outcome"]],
        n_family=len(summary), design="causal")
    + findings_from_adjusted_table(
        say_do_family[adjusted_supported(say_do_family)], "term",
        subjects=[f"{o}, per SD of {say_do_words[t]}" for o, t in zip(
            say_do_family.loc[adjusted_supported(say_do_family), "outcome"],
            say_do_family.loc[adjusted_supported(say_do_family), "term"])]),
    heading=f"What these data show ({label})",
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
# - **Say/do**: the gap index is a useful description but a poor regressor; say and do must be
#   read separately.
# - Firms with a CX executive are not the same as CX-leading firms: nothing here measures
#   whether a firm leads on CX, only who owns it.

# %%
about_synthetic(
    "all magnitudes are assumptions documented in `docs/simulation.md`; the notebook shows "
    "what each design recovers when the truth is known, not what real CX executives achieve.",
    synthetic)
