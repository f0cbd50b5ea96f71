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
# # 11 · Appointing a CX leader: what changes, and how would we know?
#
# "We appointed a Chief Customer Officer; did it work?" Boards ask it, consultancies answer it,
# and the usual evidence is a before/after comparison or a comparison with firms that have no
# such leader. Both mislead: firms appoint a leader when something is already moving (a slump,
# a new strategy, a growth spurt), so the change after an appointment mixes the leader's doing
# with what would have happened anyway. This notebook asks one question, **what does
# appointing a CX leader change**, with designs that earn the word *effect* under stated
# assumptions, and shows what breaks them:
#
# 1. an event study that compares each appointing firm, before and after, with firms that have
#    not (yet) appointed, and asks how large a violation of its key assumption would overturn
#    it;
# 2. the threats to it (a slump before appointing, anticipation, confounding, effects that
#    differ between firms), one simulated panel each, against the known truth;
# 3. one firm's appointment, from that firm's monthly series;
# 4. how many firms a study needs to see a plausible effect.
#
# Notebook [06](06_who_owns_cx.ipynb) compares firms by who owns CX (associations); this one
# follows firms through an appointment. A **CX leader** here is a dedicated CX executive (a CXO
# or CCO) in post, never a firm that leads on CX. The bundled data are a **synthetic** study
# (300 firms, 8 years) with known effects, shown beside the estimates; rerun with
# `-p data_dir=...` on your own exports and the notebook shows no truth (none is known) and its
# conclusions follow your data. Sections 2 and 4 are simulations whatever the data, and
# section 3 is one simulated firm unless you point `firm_series` at your own.

# %% [markdown]
# **After this notebook you can**
#
# - estimate the effect of appointing a CX leader with a staggered event study, and say which
#   assumptions (parallel trends, no anticipation) the word *effect* rests on;
# - ask how large a violation of parallel trends would overturn an effect (Rambachan–Roth
#   sensitivity), instead of reading a passed pre-trend test as proof;
# - recognise the threats (a slump before appointing, anticipation, confounding) and say which
#   estimator or check catches each, and why static two-way fixed effects mislead here;
# - judge one firm's appointment with an interrupted time series and a synthetic control, and
#   say what each assumes;
# - read a simulated power curve and predict how more firms change an interval.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 11 -p seed=1 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
seed = 0  # seed of the simulations below
threat_units = 400  # firms in each simulated threat panel (section 2)
threat_years = 10  # years in each simulated threat panel
firm_series = None  # a CSV of one firm's months: month, cx, revenue (+ firm for donor firms)
appointed = None  # with firm_series: the first month with the leader (a number or "2023-04")
focal_firm = None  # with a firm column: the firm that appointed (default: the first listed)
power_boot = 4000  # simulated studies per design in the power curve (section 4)

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import cxresearch as cx
from cxresearch import (
    FIGSIZE, about_synthetic, adjusted_supported, coef_plot, Conclusions, count_sentence,
    effect_sentence, event_study_power_curve, Finding, findings_from_adjusted_table,
    holm_family, linkage_panel, load_study, save_figure, truth_sentence, use_style,
)
from cxresearch.simulate import true_event_study_effects, true_event_time_path
from cxresearch.simulate.threats import simulate_firm_series, simulate_threat_panel
from cxresearch.studies.leadership_06 import (
    APPOINTING_FAMILIES,
    ESTIMATOR_WORDS,
    HOLDS_UP_COVERAGE,
    adapted_design_findings,
    event_studies,
    event_study_table,
    family_table,
    leadership_panel,
    power_band_table,
    power_reach_sentence,
    prepare_firm_series,
    read_causal_validation,
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

use_style()
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
study = load_study(data_dir)  # bundled: simulate_study(StudyParams(), seed=0), 300 firms
label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the generated sentences rest on
truth = study.truth if synthetic else {}
n_questions = len(APPOINTING_FAMILIES)  # families of tests that share the 5% error rate
holm_words = f"Holm (the 5% error rate split over {n_questions} families of tests)"
validation = read_causal_validation()  # 200-replication results of scripts/validate_causal.py
# CX and EX in true-score SD units (survey means rescaled by their SD net of sampling noise),
# contacts and cost in log-percent, and each firm's first year with a leader (firms that had
# one before the panel are always treated and left out of the event study)
panel = leadership_panel(linkage_panel(study.firm_years, study.employees, study.customers),
                         study.firms)
n_cohort = panel.groupby("firm_id")["first_treated"].first()
print(f"{panel['firm_id'].nunique()} firms, {len(panel)} firm-years ({label}); "
      f"{int((n_cohort > panel['year'].min()).sum())} appoint a CX leader during the panel")

# %% [markdown]
# ## 1. What changes after a CX leader is appointed? An event study
#
# Firms appointed a leader in different years (staggered adoption). The
# [event study](../docs/glossary.md#event-study) here estimates each cohort's effect at each
# year against firms **not yet** treated, relative to the year before appointment (event time
# −1), and averages cohorts (Callaway & Sant'Anna 2021); standard errors come from firm-level
# influence functions ([clustered by firm](../docs/glossary.md#clustered-standard-errors)).
# Years before appointment test for pre-trends. Firms that had a leader before the panel starts
# are left out (always treated). Under [parallel trends](../docs/glossary.md#parallel-trends)
# (without the appointment, appointing firms would have moved like the others) and no
# anticipation, the post-appointment average over event times 0–3 is the **effect of
# appointing** a CX leader.
#
# Outcomes: CX, revenue growth, service contacts, cost to serve, and employee experience (does
# EX change after a firm appoints a CX executive?). Each outcome is one comparison, the first
# family of tests; their pre-trend tests are the second. Both are adjusted by
# [Holm](../docs/glossary.md#holm-adjustment), and the two families split the 5% error rate.

# %%
es_outcomes = {"cx_sd": "CX (SD)", "revenue_growth": "revenue growth (pp)",
               "contacts_log_pct": "contacts (log-%)", "cost_log_pct": "cost to serve (log-%)",
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
display(summary[summary_cols].round(3))

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
    ax.set_title(f"{es_outcomes[y]}, {label}")
    plotted.append(est.assign(outcome=es_outcomes[y]))
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2,
           fontsize="small")
es_plot = pd.concat(plotted, ignore_index=True)[
    ["outcome", "event_time", "estimate", "se", "ci_low", "ci_high"]
    + (["true_value"] if synthetic else [])]
post = es_plot[es_plot["event_time"] >= 0].groupby("outcome", sort=False)["estimate"]
pre = es_plot[es_plot["event_time"] < -1].groupby("outcome", sort=False)["estimate"]
save_figure(
    fig, "11_event_study_leader", data=es_plot,
    caption=(f"Event-study estimates of appointing a CX leader on revenue growth and service "
             f"contacts per customer, by years since appointment (event time −1 is the "
             f"reference), with 95% intervals; not-yet-treated firms as controls ({label} data)."
             + (" Crosses: the simulated true effects." if synthetic else "")),
    alt_text=("Two panels of points with error bars by event time. "
              + " ".join(f"{o}: before appointment the estimates range from "
                         f"{pre.min()[o]:+.1f} to {pre.max()[o]:+.1f}; after it, from "
                         f"{post.min()[o]:+.1f} to {post.max()[o]:+.1f}."
                         for o in post.min().index)),
    source="11_appointing_a_cx_leader",
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
    notes=("An effect the interval cannot tell from zero may still be there; section 4 asks "
           "how large a study would need to be to see it. Why the event study and not one "
           "regression with firm and year effects: section 2.",),
)

# %% [markdown]
# ### How large a violation of parallel trends would overturn it?
#
# A pre-trend test that passes does not prove parallel trends, so the question is turned round
# (Rambachan & Roth 2023): how far may the trends of appointing and other firms drift apart
# *after* the appointment before the effect could be zero? The relative-magnitude restriction
# bounds each post-appointment change in that drift by [Mbar](../docs/glossary.md#mbar) times
# the largest change seen before the appointment: Mbar = 0 is exact parallel trends afterwards,
# Mbar = 1 allows drifts as large as the worst one in the pre-period. Each row is a robust 95%
# interval for the same average over event times 0–3 (`cxresearch.causal.sensitivity`, checked
# against the `honestdid` package); `original` is the ordinary interval.

# %%
sens = sensitivity_table(es_out, es_outcomes)
display(sensitivity_wide(sens))  # one row per outcome; sens is the tidy table
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

# %%
robust = sens[(sens["method"] == "relative_magnitude") & (sens["m"] == 0.5)
              & sens["outcome"].isin(held_es)]
fragile = robust[(robust["ci_low"] <= 0) & (robust["ci_high"] >= 0)]
display(Markdown(
    "**Common mistake: reading a passed pre-trend test as proof of parallel trends.** Above, "
    f"{len(summary) - pre_held} of {len(summary)} joint pre-trend tests find nothing after "
    "Holm adjustment, and it is tempting to write \"the trends were parallel, so the effect "
    "is causal\". But a pre-trend test has little power (Roth 2022): it finds nothing in a few "
    "noisy pre-appointment years even when the trends differ. "
    + (f"Yet of the {len(held_es)} effect{'s' if len(held_es) > 1 else ''} that held "
       f"({', '.join(held_es)}), {len(fragile)} "
       f"{'loses its' if len(fragile) == 1 else 'lose their'} clear sign if the trends may "
       "drift after the appointment by half the largest drift seen before it (Mbar = 0.5). "
       if len(held_es) else "")
    + "Report how large a drift the effect survives (the table above), not the pre-trend "
      "p-value alone; and when a pre-trend *is* found, do not explain it away: it says the "
      "comparison firms are not a valid counterfactual."))

# %% [markdown]
# ## 2. Threats to the event study, one simulated panel each
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
# those without, year effects), static two-way fixed effects (one regression with firm and
# year effects and a leader dummy), the event study of section 1 without covariates, the
# doubly robust event study with the firm traits as covariates
# (`method="dr"`, [DR](../docs/glossary.md#dr): consistent if either the model of who
# appoints or the outcome model is right; Sant'Anna & Zhao 2020) and, where the threat starts
# before the appointment, the same with one year of anticipation allowed. Two checks come with
# the event study: the joint pre-trend test and a placebo test that moves every appointment
# two years earlier (its true effect is zero). The target is the average effect over event
# times 0–3.

# %%
threats = threat_scenarios(n_units=threat_units, n_periods=threat_years, seed=seed)
display(threats.assign(covers_truth=threats["covers_truth"].map({True: "yes", False: "no"}),
                       estimator=threats["estimator"].map(lambda e: ESTIMATOR_WORDS.get(e, e)))[
    ["scenario", "estimator", "estimate", "ci_low", "ci_high", "truth", "covers_truth",
     "check_p"]].rename(columns={"covers_truth": "covers truth",
                                 "check_p": "pre-trend / placebo p"}).round(3))

est_order = ["naive comparison", "two-way FE", "event study (no covariates)",
             "event study (dr, covariates)", "event study (dr, anticipation = 1)"]
panel_titles = {"parallel": "parallel trends", "slump": "slump before appointing",
                "anticipation": "anticipation", "confounding": "confounding trait",
                "heterogeneous": "heterogeneous effects", "culture": "leader × culture"}
shown = threats[threats["estimator"].isin(est_order)]
errors = shown.assign(scenario=shown["scenario"].map(panel_titles),
                      estimator=shown["estimator"].map(ESTIMATOR_WORDS),
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
    fig, "11_threats_by_scenario", data=errors,
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
    source="11_appointing_a_cx_leader",
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
display(validation_table(validation))
by_culture = validation[validation["estimand"] == "leader x culture"].iloc[0]
placebo = validation[validation["estimand"] == "placebo effect = 0"].set_index("scenario")
Conclusions(
    validation_findings(validation),
    heading=(f"Which estimator holds up under each threat (coverage of at least "
             f"{HOLDS_UP_COVERAGE:.0%} over {int(validation['reps'].iloc[0])} simulated panels)"),
    data_kind="synthetic",
    notes=(f"In the culture scenario the difference between empowered and other firms "
           f"(`event_study_by`, the design of notebook 06 §2) has bias {by_culture['bias']:+.2f} "
           f"and coverage {by_culture['coverage']:.3f} against a true difference of "
           f"{by_culture['truth']:.3f}. The placebo test raises the alarm in "
           + ", ".join(f"{1 - placebo.loc[sc, 'coverage']:.0%} of the {sc} panels"
                       for sc in ["slump", "anticipation", "confounding"])
           + f" (and in {1 - placebo.loc['parallel', 'coverage']:.0%} of the panels with "
           "parallel trends, a false alarm). Allowing a year of anticipation moves the base "
           "year before a slump and removes most of the bias, but not enough for its "
           "intervals to hold up.",),
)

# %%
att = validation[validation["estimand"] == "ATT, e = 0..3"].set_index(["scenario", "estimator"])
twfe, es_row = att.loc[("parallel", "two-way FE")], att.loc[("parallel",
                                                             "event study (no covariates)")]
display(Markdown(
    "**Common mistake: one regression with firm and year effects (static two-way fixed "
    "effects) under staggered adoption.** It looks like the textbook difference-in-differences, "
    "but when firms appoint in different years and the effect grows after the appointment, it "
    "uses firms that appointed earlier as controls for later ones, and their growing effect "
    "is subtracted. Even with parallel trends, over "
    f"{int(twfe['reps'])} simulated panels its bias is {twfe['bias']:+.2f} on a truth of "
    f"{twfe['truth']:.2f} and its intervals cover the truth {twfe['coverage']:.0%} of the time, "
    f"against {es_row['coverage']:.0%} for the event study (bias {es_row['bias']:+.2f}). "
    "Compare each cohort only with firms not yet treated (`cx.event_study`), and show the "
    "effect by years since the appointment."))

# %% [markdown]
# ## 3. One firm's appointment: interrupted time series and synthetic control
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
# - **[Synthetic control](../docs/glossary.md#synthetic-control)** (Abadie, Diamond &
#   Hainmueller 2010): a weighted mix of donor firms that tracks the firm before the
#   appointment; market-wide changes hit both. Inference: each donor in turn is treated as if
#   it had appointed (placebo in space); the interval collects the constant effects that test
#   does not reject (it needs at least 20 donors for 95%). Its check is the pre-period fit
#   ([RMSPE](../docs/glossary.md#rmspe), in outcome units).
#
# In the table, `p_value` is the interrupted time series' normal test and the synthetic
# control's placebo-in-space rank; `ITS placebo p` is the pre-period placebo. How often each
# design's interval covers the truth comes from replications (`scripts/validate_causal.py
# --only single --reps 200`; 60 months, appointment in month 40, a true effect of 2 CX points,
# 20 donors); the single draw says whether it was precise enough to see the effect.

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
display(one_firm.drop(columns=[] if not own_series else ["true_value"]).rename(
    columns={"check_p": "ITS placebo p", "pre_rmspe": "pre-period fit (RMSPE)"}).round(3))

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
    fig, "11_single_firm_synthetic_control", data=line,
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
    source="11_appointing_a_cx_leader",
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
    "series at the 5% level; calibrated, about 5% (`tests/test_single_firm.py`). The "
    "interrupted time series reads market-wide drifts after the appointment as an effect: use "
    "it only where nothing else changed in the market, and prefer a synthetic control whenever "
    "comparable firms' series exist, bearing in mind that with 20 donors its interval can be "
    "too wide to tell a modest effect from zero.",)
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
# ## 4. How big must a study be? Power you can trust
#
# A study too small to see a plausible effect reports "no clear effect", so
# [power](../docs/glossary.md#power) is worth knowing before the data are collected.
# `event_study_power_curve` simulates `power_boot` staggered-adoption studies per design and
# applies exactly the event study of section 1 (window −3..3, not-yet-appointing firms as
# controls, its analytic standard error): year-to-year noise that carries over (AR(1),
# ρ = 0.5), 60% of firms never appointing, and an **assumed** effect of 0.15 times the
# year-to-year noise SD at the appointment that grows by 0.05 of it a year (converted below
# into SD of CX on these data). It is not the bundled study's effect: it is a modest effect a
# study should be able to see. Every point comes with its Monte-Carlo band (Wilson 95% interval
# over the simulated studies), so a reader can see how much of a curve is simulation error.
# The studies are **synthetic** whatever `data_dir` is.

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
display(power_band_table(power))

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
    fig, "11_power_curves", data=power,
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
    source="11_appointing_a_cx_leader",
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
           f"{power['mc_high'].sub(power['mc_low']).max():.3f} wide ({power_boot:,} simulated "
           "studies per point), so the digits shown are the design's, not the simulation's.",),
)

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The families of tests (Holm within each family, the 5% error rate split between the
# families), how many of their tests hold after the adjustment, and what that leaves:

# %%
pretrend_family = summary[["outcome", "pretrend_p_holm"]].rename(
    columns={"pretrend_p_holm": "p_holm"})
families = dict(zip(APPOINTING_FAMILIES, [summary, pretrend_family], strict=True))
display(family_table(families))
es_held = summary[adjusted_supported(summary)]
grid = power[(power["n_years"] - panel["year"].nunique()).abs()
             == (power["n_years"] - panel["year"].nunique()).abs().min()]
at_size = grid.loc[(grid["n_firms"] - panel["firm_id"].nunique()).abs().idxmin()]
Conclusions(
    (Finding(f"**{len(families)} families of tests** share the 5% error rate: "
             + "; ".join(f"{name}: {held} of {n} held" for name, n, held in
                         family_table(families).itertuples(index=False)) + ".", False,
             kind="check"),)
    + with_robustness(
        findings_from_adjusted_table(
            es_held, "outcome",
            subjects=[f"effect of appointing a CX leader on {o}, under the event study's "
                      "assumptions" for o in es_held["outcome"]],
            n_family=len(summary), design="causal"),
        es_held["outcome"], sensitivity_findings(sens, held=held_es))
    + ((undetected_effects_finding(summary, at_size["power"], int(at_size["n_firms"]),
                                   effect_sd, power_section=4),
        truth_tally("event-study effects", summary, list(summary["outcome"])))
       if synthetic else ())
    + tuple(f.labelled("synthetic") for f in validation_findings(validation)
            if "no estimator" in f.text)
    + (tuple(f.labelled("synthetic") for f in single_firm_findings(one_firm, validation,
                                                                   subject=firm_label)
             if "simulated firms" in f.text) if not own_series else ())
    + (about_synthetic(
        "all magnitudes are assumptions documented in `docs/simulation.md`; the notebook "
        "shows what each design recovers when the truth is known, not what real CX "
        "executives achieve.", synthetic),),
    heading="What these data show, what they miss, and the warnings",
    data_kind=kind,
)

# %% [markdown]
# What no result above can show, whatever the data:
#
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
# - **One firm**: an interrupted time series assumes the months before would have gone on in a
#   straight line; a synthetic control assumes the donors were untouched by the appointment and
#   keep tracking the firm; with one firm nothing averages out a coincidence.
# - Whether a leader pays off more where employees are empowered, and how firms with each owner
#   compare, are notebook 06's questions. Firms with a CX executive are not CX-leading firms:
#   nothing here measures whether a firm leads on CX.

# %% [markdown]
# ## Exercises
#
# Answer each in the cell under it: replace `None` with your answer and run the cell.
# The solution is folded under it (in JupyterLab click the collapsed cell; on the site,
# "Solution").
#
# The exercises use the bundled **synthetic** study, seeded simulations or numbers given in
# the question, whatever data the notebook read above; a report of your own data leaves
# them out.

# %% [markdown]
# **Exercise 11.1.** Predict: firms that appoint a CX leader were already improving: a firm
# trait raises both the chance of appointing and the outcome's trend (the 'confounding' panel
# of section 2: simulate_threat_panel('confounding', n_units=400, n_periods=10, seed=0) from
# cxresearch.simulate.threats). Does the naive comparison (firm-years with a leader against
# those without, with year effects) overstate, understate or get right the effect of
# appointing?

# %%
cx.exercises.check("11.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: in section 2's table, the naive comparison under confounding against the truth
# (year effects remove what all firms share, not the faster trend of the firms that appoint)
naive = threats[(threats["scenario"] == "confounding")
                & (threats["estimator"] == "naive comparison")].iloc[0]
answer = ("overstates" if naive["ci_low"] > naive["truth"]
          else "understates" if naive["ci_high"] < naive["truth"] else "gets it right")
cx.exercises.check("11.1", answer)

# %% [markdown]
# **Exercise 11.2.** Predict: an event study of 200 firms over 10 years
# (simulate_threat_panel('parallel', n_units=200, n_periods=10, seed=0) from
# cxresearch.simulate.threats) gives a 95% interval for the average effect over event times
# 0-3. With 800 firms instead, same design, how wide will that interval be?

# %%
cx.exercises.check("11.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: run both studies; the standard error falls with the square root of the firms
width = {}
for n in (200, 800):
    p, _ = simulate_threat_panel("parallel", n_units=n, n_periods=10, seed=0)
    ov = cx.event_study(p, "y", "unit", "time", "first_treated", window=(-3, 3)).overall()
    width[n] = ov.ci_high - ov.ci_low
ratio = width[800] / width[200]
print(f"width with 200 firms {width[200]:.3f}, with 800 firms {width[800]:.3f}: ratio "
      f"{ratio:.2f}")
answer = "about half as wide" if abs(ratio - 0.5) < abs(ratio - 0.25) else "about a quarter as wide"
cx.exercises.check("11.2", answer)

# %% [markdown]
# **Exercise 11.3.** For the simulated firm of section 3 (simulate_firm_series(n_months=60,
# appoint_month=40, effect=2.0, n_donors=20, seed=0) from cxresearch.simulate.threats), by how
# many CX points does the interrupted time series' estimate of the effect exceed the true
# average effect after the appointment? Two decimals (negative if it falls short).

# %%
cx.exercises.check("11.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the interrupted time series' estimate (section 3's table) minus the true average
# effect after the appointment
its_cx = one_firm[(one_firm["design"] == "interrupted time series")
                  & (one_firm["outcome"] == firm_outcomes["cx"])].iloc[0]
answer = round(float(its_cx["estimate"] - its_cx["true_value"]), 2)
cx.exercises.check("11.3", answer)
