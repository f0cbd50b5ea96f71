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
# # 05 · Linkage: does employee experience go with customer experience, and CX with outcomes?
#
# The service-profit chain (Heskett et al. 1994) says that engaged employees who work in a
# customer-centric culture make satisfied customers, who stay, spend and refer others, and cost
# less to serve. Schneider et al. (2003) tested the direction over 8 years in 35 companies and
# found that for some attitudes **performance came first**: successful firms made employees
# happier, more than the reverse. This notebook asks five questions of units (firms, or one
# company's stores, branches or teams) surveyed over periods:
#
# 1. May individual survey answers be averaged to units and periods at all?
#    ([ICC](../docs/glossary.md#icc), [rwg](../docs/glossary.md#rwg))
# 2. How strongly does employee experience (EX) go with customer experience (CX) in the same
#    unit and period, once noisy survey means are dealt with?
# 3. Which comes first: EX(t) → CX(t+1), CX(t) → EX(t+1), or revenue growth(t) → EX(t+1)?
#    (This needs a firm-year panel with revenue growth; on one company's units it becomes: do
#    EX and CX go with the units' outcomes?)
# 4. And within a firm, once its stable level is set aside: does a rise in one come before a
#    rise in another? (The firm-year panel again.)
# 5. Is the link from EX to the outcomes carried by CX
#    ([mediation](../docs/glossary.md#mediation))?
#
# Every design here is observational: its estimates are **associations**, and the conclusions
# say so. Questions 2–5 are asked of the data in families of tests: each question's estimates
# form one family, [Holm](../docs/glossary.md#holm-adjustment)-adjusted, and the families split
# the 5% error rate, so that the chance of *any* false alarm among the tests of questions 2–5
# stays at 5% (the public-data analogues of section 7 are separate families, each Holm-adjusted
# on its own). The sentences under the tables are written from those numbers.
#
# Section 0 describes the data first and says which data these are. Where the data are
# simulated (the bundled **synthetic** study) the true values are known, and each estimate is
# shown beside its true value; on your own exports (`-p data_dir=...`) no truth is known or
# shown, and the conclusions follow your data. Public data do not link employee and customer
# surveys; three public data sets (all **fictional or artificial**) show individual-level
# analogues at the end, by default with the bundled study only.
#
# **One company's units.** A folder whose `instrument.yml` names another unit (stores, branches,
# teams: `unit: store_id`, `time: wave`) runs the same questions with that unit: the employees'
# scales (reverse-keyed items recoded) and the customers' metrics (weighted when the instrument
# declares a `weight`) are checked for aggregation and averaged to unit × period, and EX → CX →
# outcomes is estimated between units, with the outcomes taken from the folder's `outcomes`
# table (every numeric column) and standard errors
# [clustered](../docs/glossary.md#clustered-standard-errors) by unit. Sections that need the
# firm-year design (a CX executive in post, revenue growth, the
# [cross-lagged panel](../docs/glossary.md#cross-lagged-panel), the SEM) say that they were
# skipped and why; `python -m cxresearch check FOLDER` tells in advance.

# %% [markdown]
# **After this notebook you can**
#
# - check whether survey answers may be averaged to unit × period means, and correct a linkage
#   for the noise of those means;
# - read a cross-lagged panel as associations ordered in time, and tell a pooled cross-lag
#   (firms compared with each other) from a within-firm one
#   ([RI-CLPM](../docs/glossary.md#ri-clpm));
# - say which of a family of paths hold after a Holm adjustment, and how far each estimate is
#   from the truth when the data are simulated;
# - estimate the service-profit chain as mediation, and say what a between-firm indirect effect
#   cannot show.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 05 -p seed=1 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
instrument = None  # None: the instrument.yml in data_dir if present, else the bundled instrument
seed = 0  # seed of the simulations and bootstraps below
n_boot = 500
public_data = None  # None: the public analogues of section 7 with the bundled study only
min_n = 10  # smallest group or unit × period cell shown in the tables of section 0
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import cxresearch as cx
from cxresearch import (
    CULTURE_ITEMS, ENGAGEMENT_ITEMS, FIGSIZE, about_synthetic, adjusted_supported,
    aggregation_checks, Conclusions, count_sentence, criterion_sentence, cross_lagged_panel,
    DataError, effect_sentence, findings_from_adjusted_table, firm_means, holm_family,
    level_sentence, linkage_model, linkage_panel, load_linkage_study, logit_associations,
    mean_reliability, multilevel_model, outcome_columns, reverse_items, ri_clpm, save_figure,
    Finding, sem_service_profit_chain, unit_linkage, unit_panel, use_style,
)
from cxresearch.cli.check import needs, skipped
from cxresearch.io.readers import TABLE_SPECS
from cxresearch.simulate import true_chain_effects, true_cross_lagged_paths, true_linkage_effects
from cxresearch.simulate.linkage import simulate_ri_clpm_panel
from cxresearch.studies import own_data_02_05 as own
from cxresearch.studies.own_data import reading_note
from cxresearch.studies.linkage_05 import (
    cross_lagged_paths,
    event_rate_by_group,
    event_rate_difference,
    mean_reliability_over_periods,
    mediation_by_outcome,
    mistaken_path,
    nested_wave,
    paths_side_by_side,
    plot_unit_means,
    respondent_ex_cx,
    stack_panel_models,
    true_within_paths,
    truth_findings,
    truth_summary,
    truth_verdicts,
    unit_means_alt_text,
)

use_style()
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
study = load_linkage_study(data_dir, instrument, on_invalid=on_invalid)  # bundled: 300 firms
if needs(study, "05:linkage"):
    raise DataError(str(skipped("Notebook 05", needs(study, "05:linkage"))))
inst, unit, time = study.instrument, study.unit, study.time
firm_missing = needs(study, "05:firm_panel")  # empty: the bundled firm-year design
firm_design = not firm_missing
# empty, or why the unit means are too noisy for the unit-level linkage (section 4)
unit_missing = [] if firm_design else needs(study, "05:unit_means")
keys = [unit, *([time] if time else [])]
outcomes = [] if firm_design else outcome_columns(study.outcomes, keys)
label = "synthetic" if synthetic else "user data"
data_kind = "synthetic" if synthetic else "user"  # the label every generated result carries
kind_words = "synthetic data" if synthetic else "your data"  # the same label, in headings


def synthetic_note(text):
    """A sentence true only of the bundled synthetic study (empty on user data), with its
    data kind in the output's metadata."""
    return Finding(about_synthetic(text, synthetic).text, False, "synthetic-only", data_kind)


truth = study.truth if synthetic else {}
show_public = synthetic if public_data is None else bool(public_data)
# families of tests that share the 5% error rate: EX–CX link, order (firms) or outcomes
# (units), order within firms (firms only), chain
n_questions = 4 if firm_design else 3 if outcomes else 1
holm_words = (f"Holm (the 5% error rate split over {n_questions} questions)" if n_questions > 1
              else "Holm")
cell = "firm-year" if firm_design else " × ".join(keys)  # what answers are averaged to
if firm_design:
    print(f"{len(study.firms)} firms, {len(study.firm_years)} firm-years, "
          f"{len(study.employees)} employee and {len(study.customers)} customer answers "
          f"({label})")
else:
    print(f"{study.customers[unit].nunique()} units ({unit})"
          + (f" × {study.customers[time].nunique()} periods ({time})" if time else "")
          + f", {len(study.employees)} employee and {len(study.customers)} customer answers ("
          f"{label}); outcomes: {', '.join(outcomes) or 'none'}")
if not synthetic:
    print(reading_note(study))

# %% [markdown]
# ## 0. The data first: answers, units, periods, and the unit × period means
#
# What the tables hold before any model: answers, units and periods in each table; each
# employee's EX and each customer's CX score (defined as the panel of section 2 defines them)
# over all answers, by unit, by period and by segment, with intervals that treat the units as
# clusters for periods and segments (a unit's own interval treats its answers as independent;
# customers weighted when the instrument names a weight); the outcomes by period; and the unit
# × period means the linkage rests on. A group or cell with fewer than `min_n` answers is
# hidden here, its n kept and counted in the sentence under the table; the models below still
# use every cell, each with its sampling variance.

# %%
emp_answers, cus_answers = study.answers("employees"), study.answers("customers")
emp_time = own.period_of(inst, "employees", emp_answers)
cus_time = own.period_of(inst, "customers", cus_answers)
out_table = study.firm_years if firm_design else study.outcomes
described = ["revenue_growth", "cost_to_serve"] if firm_design else outcomes
ex_items = (list(CULTURE_ITEMS + ENGAGEMENT_ITEMS) if firm_design else
            [c for sc in inst.scales.values() for c in sc.items if c in study.employees.columns])
metric_cols = {n: m.column for n, m in inst.metrics.items()
               if m.column in study.customers.columns}
weight = (inst.weight if not firm_design and inst.weight in study.customers.columns
          else None)
# the questions' wording: the export's (df.attrs["labels"]), the bundled study's, else the code
metric_words = own.item_wording(study.customers, list(metric_cols.values()), known={
    spec.name: spec.question for spec in TABLE_SPECS["customers"] if spec.question}
    if synthetic else None)
display(Markdown(
    ("**These data: the bundled synthetic study** (simulated with known effects, "
     "`data/processed`)" if synthetic else
     f"**These data: your tables** (folder `{Path(data_dir).name}`)")
    + f": {study.customers[unit].nunique()} {'firms' if firm_design else f'units ({unit})'}"
    + (f" × {study.customers[time].nunique()} periods ({time})" if time else "")
    + f", {len(study.employees):,} employee and {len(study.customers):,} customer answers. "
    + "EX: " + "; ".join(f"{n} ({len(sc.items)} items on {sc.range[0]:g}–{sc.range[1]:g}"
                         + (f", {', '.join(sc.reverse)} reverse-keyed" if sc.reverse else "")
                         + ")" for n, sc in inst.scales.items()
                         if any(c in ex_items for c in sc.items))
    + ". CX: " + "; ".join(f"{n.upper()} ({c}" + (f": “{metric_words[c]}”"
                                                   if metric_words[c] != c else "") + ")"
                           for n, c in metric_cols.items())
    + (f", weighted by {weight}" if weight else "")
    + ". Outcomes: " + (", ".join(described) if described else "none") + "."))
if getattr(study, "period_alignment", None):
    print(f"Periods: {study.period_alignment}.")
out_name = "firm_years" if firm_design else "outcomes"
own.design_counts({"employees": study.employees, "customers": study.customers,
                   **({out_name: out_table} if out_table is not None else {})}, unit,
                  {"employees": emp_time, "customers": cus_time,
                   out_name: time if out_table is not None and time in out_table else None})

# %% [markdown]
# EX and CX over all answers, with intervals that treat the units as clusters:

# %%
emp_scored, cus_scored = respondent_ex_cx(emp_answers, cus_answers, inst,
                                          firm_design=firm_design, ex_items=ex_items)
ex_score, cx_score = {"EX": ("mean", "EX", None)}, {"CX": ("mean", "CX", None)}
pd.concat([own.overall_table(emp_scored, ex_score, cluster=unit),
           own.overall_table(cus_scored, cx_score, cluster=unit, weights=weight)],
          ignore_index=True).set_index("score").round(3)

# %% [markdown]
# By unit, over all periods (each unit's answers treated as independent):

# %%
by_unit = pd.concat([own.score_table(emp_scored, ex_score, unit, min_n=min_n),
                     own.score_table(cus_scored, cx_score, unit, weights=weight,
                                     min_n=min_n)], ignore_index=True)
unit_word = "firms" if firm_design else f"units ({unit})"
shown, rows_note = own.first_rows(own.wide_by(by_unit, unit).round(3), unit_word)
display(shown)
print(rows_note)
print(own.hidden_sentence(by_unit, unit, min_n=min_n))

# %% [markdown]
# By period and by segment, with intervals that treat the units as clusters, then the
# outcomes by period (one value per unit, units treated as independent):

# %%
by_period = {}
for frame, score, key, w in ((emp_scored, ex_score, emp_time, None),
                             (cus_scored, cx_score, cus_time, weight)):
    if key is not None:
        by_period.setdefault(key, []).append(
            own.score_table(frame, score, key, cluster=unit, weights=w, min_n=min_n))
for key, parts in by_period.items():
    t = pd.concat(parts, ignore_index=True)
    display(t.drop(columns=["suppressed", "note"]).round(3).set_index([key, "score"]))
    print(own.hidden_sentence(t, key, min_n=min_n))
if not by_period:
    print(skipped("EX and CX by period", ["the instrument declares no time"
                                          if not inst.time else "the answers have no period "
                                          f"column {inst.time!r}"]))
segments = [s for s in inst.segments if s != "cx_owner"]  # cx_owner: the owner at the end of
# the panel, not when the answer was given (notebook 01 labels each answer with its owner)
for seg in segments:
    parts = [own.score_table(frame, score, seg, cluster=unit, weights=w, min_n=min_n)
             for frame, score, w in ((emp_scored, ex_score, None),
                                     (cus_scored, cx_score, weight)) if seg in frame.columns]
    if parts:
        t = pd.concat(parts, ignore_index=True)
        display(t.drop(columns=["suppressed", "note"]).round(3).set_index([seg, "score"]))
        print(own.hidden_sentence(t, seg, min_n=min_n))
if not any(seg in f.columns for seg in segments for f in (emp_scored, cus_scored)):
    print(skipped("EX and CX by segment", ["the instrument declares no segments"
                                           if not segments else
                                           "the answers (and their units) have none of the "
                                           f"instrument's segments {segments}"]))
if described and time and time in out_table:
    t = own.score_table(out_table, {o: ("mean", o, None) for o in described}, time,
                        min_n=min_n)
    display(t.drop(columns=["suppressed", "note"]).round(3).set_index([time, "score"]))
    print(own.hidden_sentence(t, time, min_n=min_n, noun="units"))

# %% [markdown]
# The unit × period means the linkage rests on (the panel of section 2): EX and CX hidden
# where they rest on fewer than `min_n` answers, the outcomes as given.

# %%
if firm_design:
    panel = linkage_panel(study.firm_years, study.employees, study.customers)
else:
    panel = unit_panel(study.employees, study.customers, inst, study.outcomes)
cells = own.cell_means(panel, keys, {"ex": "EX", "cx": "CX"},
                       [o for o in described if o in panel], min_n=min_n)
shown, rows_note = own.first_rows(cells.round(3), f"{cell} cells")
display(shown)
print(rows_note)
print(own.cells_sentence(cells, keys, ["EX", "CX"], min_n=min_n,
                         nouns={"EX": "employees", "CX": "customers"}))

# %% [markdown]
# Each unit's EX and CX means over all periods, side by side: the raw material of the linkage,
# before any correction for noisy means.

# %%
unit_means = own.wide_by(by_unit, unit, stats=("estimate",)).droplevel(1, axis=1).reset_index()
hidden_units = int(unit_means[["EX", "CX"]].isna().any(axis=1).sum())
data_label = "synthetic data" if synthetic else "your data"
period_word = f"{time}s" if time else "answers"
if hidden_units < len(unit_means):
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    plot_unit_means(
        unit_means, unit, ax=ax,
        xlabel=("EX, mean answer (1–5)" if firm_design else "EX, mean item z-score"),
        ylabel="CX, mean z-score",
        title=(f"EX and CX by {'firm' if firm_design else unit} "
               f"({'synthetic' if synthetic else 'your data'})"))
    save_figure(
        fig, "05_unit_means",
        data=unit_means,
        caption=(f"Each {'firm' if firm_design else 'unit'}'s mean EX and CX over all "
                 f"{period_word} ({data_label}): EX is each employee's mean of the "
                 + " and ".join(n for n, sc in inst.scales.items()
                                if any(c in ex_items for c in sc.items))
                 + (" items (1–5, reverse-keyed items recoded)" if firm_design else
                    " items, each z-scored (reverse-keyed items recoded)")
                 + "; CX each customer's mean of the z-scored answers to "
                 + ", ".join(f"{n.upper()} ({c}" + (f": “{metric_words[c]}”"
                                                     if metric_words[c] != c else "") + ")"
                             for n, c in metric_cols.items())
                 + (f", weighted by {weight}" if weight else "")
                 + f". Means resting on fewer than {min_n} answers are left out; the dashed line "
                 "is a least-squares fit for reading only, not corrected for noisy means."),
        alt_text=unit_means_alt_text(unit_means, units=unit_word, periods=period_word,
                                     data_label=data_label, hidden=hidden_units, min_n=min_n),
        source="05_linkage_ex_cx_outcomes", evidence=data_kind,
    )
    plt.show()
else:
    print(skipped("The figure of the units' EX and CX means", [
        f"every {'firm' if firm_design else 'unit'}'s EX or CX mean rests on fewer than "
        f"{min_n} answers"]))

# %% [markdown]
# ## 1. May answers be averaged to units and periods?
#
# A unit's score for a period (EX or CX) is the mean of a limited number of answers (how many,
# for these data, section 0 shows). Averaging is justified when units and periods differ more than
# chance (ICC(1) > 0 with a significant F test), when the mean is reliable (ICC(2), ideally
# ≥ .70) and when members agree (rwg(j) ≥ .70; James, Demaree & Wolf 1984). Reverse-keyed items
# are recoded first (below, for these data); each scale and metric is checked on its own answer
# range.

# %%
display(Markdown(own.reverse_text(inst.scales)))
agg = aggregation_checks(study.employees, study.customers, inst, keys)
agg[["item_set", "n_groups", "mean_group_size", "icc1", "icc1_ci_low", "icc1_ci_high", "icc2",
     "rwg_j", "supported", "note"]].round(3)

# %%
Conclusions(
    tuple(level_sentence(f"ICC(1), {r.item_set}", r.icc1, r.icc1_ci_low, r.icc1_ci_high,
                         digits=3) for r in agg.itertuples())
    + (criterion_sentence(f"ICC(2), the reliability of a {cell} mean",
                          dict(zip(agg["item_set"], agg["icc2"])), 0.70, criterion="criterion"),
       criterion_sentence(f"rwg(j), agreement within a {cell}",
                          dict(zip(agg["item_set"], agg["rwg_j"])), 0.70, criterion="criterion")),
    heading="What the aggregation checks show",
    data_kind=data_kind,
)

# %% [markdown]
# An ICC(1) above zero says units and periods differ; an ICC(2) below .70 says their means
# are noisy; an rwg(j) below .70 says individuals in one unit and period disagree widely, as
# single 0–10 items usually do. Noisy means **attenuate** every unit-level correlation, so the
# models below correct for the known sampling error of each mean.

# %% [markdown]
# ## 2. The panel of unit × period means
#
# `ev_*` is the sampling variance of each unit × period mean; the reliability of the means is
# 1 − mean(ev)/variance. How EX and CX are scored for these data (the panel itself is the last
# table of section 0):

# %%
display(Markdown(
    f"EX is each employee's mean over the {len(ex_items)} "
    + " and ".join(n for n, sc in inst.scales.items() if any(c in ex_items for c in sc.items))
    + (" items as answered (reverse-keyed items recoded), with a design effect in `ev_ex` for "
       "employees answering in teams" if firm_design else
       " items, each z-scored first so that items on different ranges weigh alike "
       "(reverse-keyed items recoded)")
    + "; CX is each customer's mean of the z-scored "
    + ", ".join(n.upper() for n in metric_cols) + " answers"
    + (f", weighted by {weight} (its variance then uses Kish's effective n)" if weight else "")
    + "."))
reliability = pd.DataFrame({
    "score": ["EX (employees)", "CX (customers)"],
    f"respondents per {cell}": [panel["n_ex"].mean(), panel["n_cx"].mean()],
    "reliability of the mean": [mean_reliability(panel, "ex", "ev_ex"),
                                mean_reliability(panel, "cx", "ev_cx")],
})
reliability.round(3)

# %% [markdown]
# ## 3. Individual customers nested in units (multilevel model)
#
# Do customers of units with a better EX score rate their experience higher? Customers of the
# same unit share it, so their answers are not independent; a random intercept per unit
# (a [multilevel model](../docs/glossary.md#multilevel-model), MixedLM) absorbs it. One survey period (the last) keeps it quick. The coefficient is the
# difference in a customer's answer to the NPS question (the first metric where there is no
# NPS), in standard deviations (SD), for a unit × period EX mean one SD higher; its verdict
# comes with the estimates of section 4, in one family.

# %%
answered = [n for n, m in inst.metrics.items() if m.column in study.customers.columns]
nps_col = inst.metrics["nps" if "nps" in answered else answered[0]].column  # else the first
time_key = time or "_period"  # one period when the instrument declares no time
answers = study.customers if time else study.customers.assign(_period=1)
units_word = "firms" if firm_design else f"units ({unit})"
last = panel[time].max() if time else 1
wave = nested_wave(answers, panel if time else panel.assign(_period=1), last, outcome=nps_col,
                   predictor="ex", unit=unit, time=time_key)
mixed = multilevel_model(wave, f"{nps_col}_z ~ ex_z", cluster=unit)
print(f"{mixed.n_obs} customers in {mixed.n_groups} {units_word}; share of NPS variance "
      f"between {'firms' if firm_design else 'units'} (given EX): {mixed.icc:.3f}")
mixed.to_frame().round(3)

# %% [markdown]
# The share of the answers' variance between units bounds what any unit-level score can tell
# about one customer's answer; that is why linkage studies work with unit-level means.

# %% [markdown]
# ## 4. EX and CX in the same unit and period
#
# The models correct for the noisy survey means (errors in variables) and cluster the standard
# errors by unit. A coefficient is the change in CX, in SDs of its noise-free (true-score)
# value, for one SD more of noise-free EX. The uncorrected OLS column shows how much the noise
# alone would hide. The model for these data:

# %%
display(Markdown(
    "CX(t) on EX(t) and EX(t−1), whether the firm has a CX executive in post "
    "(`has_cx_leader`), firm fixed effects (each firm against itself) and year effects."
    if firm_design else
    "CX on EX, and each outcome on EX and CX together (CX → outcome given EX, and EX → outcome "
    "given CX)" + (f", with {time} effects" if time else "") + f", clustered by {unit}. EX "
    "and CX are in true-score SD, the outcomes in their own units. Stable differences between "
    "units are not removed (a few periods are too few for that)."))
if firm_design:
    link = linkage_model(panel).to_frame().merge(true_linkage_effects(truth), on="term",
                                                 how="left")
    link_cols = ["term", "estimate", "ci_low", "ci_high", "p_value", "ols_estimate",
                 "reliability"]
    display(link[link_cols + (["true_value"] if synthetic else [])].round(3))
elif unit_missing:
    link = pd.DataFrame(columns=["outcome", "term", "estimate", "se", "ci_low", "ci_high",
                                 "p_value", "ols_estimate", "reliability", "n_obs",
                                 "n_clusters"])
    display(skipped("The unit-level EX–CX linkage", unit_missing))
else:
    link = unit_linkage(panel, outcomes, unit=unit, time=time).to_frame()
    display(link[["outcome", "term", "estimate", "se", "ci_low", "ci_high", "p_value",
                  "ols_estimate", "reliability", "n_obs", "n_clusters"]].round(3))

# %% [markdown]
# The estimates of the EX–CX link (sections 3 and 4) are the first family of tests.

# %%
if firm_design:
    link_terms = {"ex": "CX(t) per SD of EX(t), within firms",
                  "ex_lag": "CX(t) per SD of EX(t−1), within firms"}
    link_rows = link[link["term"].isin(list(link_terms))].assign(
        subject=lambda d: d["term"].map(link_terms))
    same_year = link.set_index("term").loc["ex"]
else:
    link_terms = {}
    link_rows = link[link["outcome"] == "cx"].assign(
        subject=f"CX per SD of EX, between {unit} × {time or 'period'} means"
                + (f" ({time} effects, clustered by {unit})" if time else ""))
    same_year = link_rows.iloc[0] if len(link_rows) else None
when = f"{last} wave" if firm_design else (f"{time} {last}" if time else "all answers")
link_family = holm_family(pd.concat([
    mixed.to_frame().query("term == 'ex_z'").assign(
        subject=f"a customer's NPS per SD of the {'firm' if firm_design else 'unit'}'s EX "
                f"(SD, {when})"),
    link_rows,
], ignore_index=True), n_families=n_questions)
link_truth = truth_verdicts(link_family) if synthetic else truth_verdicts(link.iloc[:0])
Conclusions(
    findings_from_adjusted_table(link_family, "subject")
    + truth_findings(link_truth),
    heading=f"What these data show about the EX–CX link (associations, {kind_words})",
    data_kind=data_kind,
    notes=((f"Within firms the firm-year EX means have a reliability of "
            f"{same_year['reliability']:.2f}: {1 - same_year['reliability']:.0%} of their "
            "year-to-year variation is sampling noise, which is why uncorrected OLS gives "
            f"{same_year['ols_estimate']:.2f} for the same-year term against "
            f"{same_year['estimate']:.2f} corrected.") if firm_design else
           (str(skipped("The unit-level EX–CX linkage", unit_missing))) if same_year is None else
           (f"The {cell} EX means have a reliability of {same_year['reliability']:.2f} (after "
            f"the period effects): {1 - same_year['reliability']:.0%} of their variation is "
            f"sampling noise, which is why uncorrected OLS gives "
            f"{same_year['ols_estimate']:.2f} against {same_year['estimate']:.2f} corrected."),),
)

# %% [markdown]
# ## 5. Which comes first? A cross-lagged panel
#
# Ordering associations in time needs a panel of several periods with an outcome beside the EX
# and CX means (the firm-year design: revenue growth, and whether a CX executive is in post).
# Ordering in time is not causation: a third factor that moves EX and CX together is not
# removed.

# %%
if firm_design:
    display(Markdown(
        "Each variable at t+1 on all three at t (EX, CX, revenue growth), with CX(t+1) also on "
        "EX(t+1) so the EX → CX lag is the direct one. Two versions: pooled (firms compared "
        "with each other) and with firm fixed effects (each firm with itself; biased by O(1/T) "
        "for the persistence terms, Nickell 1981). Both correct for noisy means and control "
        "for having a CX executive in post."))
cl_cols = ["model", "path", "estimate", "ci_low", "ci_high", "p_value"]
if firm_design:
    clpm = pd.concat([
        cross_lagged_panel(panel, "firm_id", "year", ["ex", "cx", "revenue_growth"],
                           error_variance={"ex": "ev_ex", "cx": "ev_cx"},
                           contemporaneous={"cx": ["ex"]}, controls=["has_cx_leader"],
                           fixed_effects=fe).to_frame().assign(model=name)
        for fe, name in [(False, "firms compared with each other (pooled)"),
                         (True, "each firm against itself (fixed effects)")]
    ], ignore_index=True)
    cl = cross_lagged_paths(clpm)  # the four cross paths, in display order within each model
    if synthetic:  # true paths in SD per SD; growth has no latent SD in the answer key: observed SD
        true_paths = true_cross_lagged_paths(truth, sd_growth=panel["revenue_growth"].std(ddof=1))
        cl = cl.merge(true_paths[["from", "to", "lag", "true_value"]], on=["from", "to", "lag"],
                      how="left")
cl[cl_cols + (["true_value"] if synthetic else [])].round(3) if firm_design else skipped(
    "Which comes first (the cross-lagged panel of EX, CX and revenue growth)", firm_missing)

# %%
if firm_design:
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    order = list(pd.unique(cl["path"]))
    for i, (name, grp) in enumerate(cl.groupby("model", sort=False)):
        grp = grp.set_index("path").loc[order]
        y = np.arange(len(order)) + (i - 0.5) * 0.25
        ax.errorbar(grp["estimate"], y, xerr=[grp["estimate"] - grp["ci_low"],
                                              grp["ci_high"] - grp["estimate"]],
                    fmt="o", capsize=3, label=name)
    if synthetic:
        ax.scatter(cl.groupby("path", sort=False)["true_value"].first().loc[order],
                   np.arange(len(order)), marker="x", color="black", zorder=3,
                   label="true value (simulation)")
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(np.arange(len(order)), order)
    ax.invert_yaxis()
    ax.set_xlabel("change in the later score (SD) for 1 SD more of the earlier one")
    ax.set_title(f"Cross-lagged paths, {label} panel")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize="small")
    excl = cl[(cl["ci_low"] > 0) | (cl["ci_high"] < 0)]
    short_model = {m: m.split("(")[1].rstrip(")") for m in cl["model"].unique()}
    save_figure(
        fig, "05_cross_lagged_paths", data=cl[cl_cols + (["true_value"] if synthetic else [])],
        caption=(f"Cross-lagged panel estimates with 95% intervals ({label} data, "
                 f"{panel['firm_id'].nunique()} firms × {panel['year'].nunique()} years): "
                 "firms compared with each other (pooled) and each firm against itself (firm "
                 "fixed effects), corrected for noisy survey means, in SDs of the later score "
                 "for 1 SD more of the earlier one; associations ordered in time, not effects"
                 + ("; crosses mark the true values of the simulation." if synthetic else ".")),
        alt_text=(f"Dot-and-whisker chart of {len(order)} paths in {cl['model'].nunique()} "
                  f"models; {len(excl)} of {len(cl)} unadjusted intervals exclude zero"
                  + (" (" + "; ".join(f"{r.path}, {short_model[r.model]}, {r.estimate:+.2f}"
                                      for r in excl.itertuples()) + ")" if len(excl) else "")
                  + ". Holm-adjusted verdicts in the text."),
        source="05_linkage_ex_cx_outcomes",
    )
    plt.show()

# %%
display(Markdown(
    "The eight cross paths (four in each model) are one family. In the pooled model a lagged "
    "association can come from stable differences between firms (firms that grow fast may "
    "also have happier staff); firm fixed effects remove those, but with a lagged outcome and "
    "few years their persistence terms are biased (Nickell 1981), and in the CX equation that "
    "bias can leak into the direct EX → CX lag." if firm_design else
    "On these units the question is replaced by the outcomes' equations of section 4: CX → "
    "each outcome given EX, and EX → each outcome given CX, one family."))
if firm_design:
    cl_family = holm_family(cl.assign(subject=cl["path"] + ", " + cl["model"]
                                      + " (standardized)"), n_families=n_questions)
    cl_truth = truth_verdicts(cl_family) if synthetic else truth_verdicts(cl_family.iloc[:0])
    nickell = {s: "Nickell bias of fixed effects with few years" for s in cl_family["subject"]
               if "fixed effects" in s}
    second = Conclusions(
        findings_from_adjusted_table(cl_family, "subject")
        + truth_findings(cl_truth, nickell),
        heading=f"What these data show about the order in time (associations, {kind_words})",
        data_kind=data_kind,
    )
elif outcomes and not unit_missing:
    other = {"ex": "CX", "cx": "EX"}
    out_rows = link[link["outcome"] != "cx"]
    cl_family = holm_family(out_rows.assign(subject=[
        f"{o} per SD of {t.upper()}, given {other[t]} ({o}'s units, {time or 'period'} "
        f"effects, clustered by {unit})" if time else f"{o} per SD of {t.upper()}, given "
        f"{other[t]} ({o}'s units)" for o, t in zip(out_rows["outcome"], out_rows["term"])]),
        n_families=n_questions)
    second = Conclusions(findings_from_adjusted_table(cl_family, "subject"),
                        heading="What these data show about EX, CX and the outcomes "
                                f"(associations, {kind_words})", data_kind=data_kind)
else:
    cl_family = link.iloc[:0].assign(subject=[])
    second = skipped("EX and CX with the outcomes",
                     unit_missing if outcomes else needs(study, "05:outcomes"))
second

# %%
synthetic_note(
    "the simulation feeds performance back into employee attitudes (growth(t) → EX(t+1) has "
    "a positive true value, as in Schneider et al. 2003) and gives EX no path to growth (its "
    "true value is zero), so any EX(t) → growth(t+1) association in the pooled model is "
    "stable firm differences masquerading as a lagged effect. Compare each row above with its "
    "true value.")

# %% [markdown]
# ### Pooled cross-lagged panel against the random-intercept one
#
# The pooled model compares firms with each other, so a firm that is *always* ahead on EX and on
# growth (a stable trait: good management, a strong brand) makes EX(t) and growth(t+1) go
# together even if, within the firm, a rise in EX is never followed by a rise in growth. The
# random-intercept cross-lagged panel model
# ([RI-CLPM](../docs/glossary.md#ri-clpm); Hamaker, Kuiper & Grasman 2015) gives each firm its
# own stable level of each series (a random intercept) and relates only each year's deviations
# from those levels: its cross-lags are **within-firm** paths (question 4). It is fitted by
# maximum likelihood as a structural equation model, with the lagged paths equal over the
# years.
#
# So that the table compares like with like, both models get the same specification: EX, CX and
# revenue growth at t+1 on all three at t, CX(t+1) also on EX(t+1) and growth(t+1) on CX(t+1)
# (so each lag is the direct one), year effects, and the same correction for the noise of the
# EX and CX means. Neither controls for a CX executive in post, so the pooled column differs a
# little from section 5's.

# %%
panel_vars = ["ex", "cx", "revenue_growth"]
if firm_design:
    same_year = {"cx": ["ex"], "revenue_growth": ["cx"]}
    noisy_means = {"ex": "ev_ex", "cx": "ev_cx"}
    ri = ri_clpm(panel, unit, time, panel_vars, error_variance=noisy_means,
                 contemporaneous=same_year)
    pooled_same = cross_lagged_panel(panel, unit, time, panel_vars, error_variance=noisy_means,
                                     contemporaneous=same_year)
    compared = stack_panel_models({"pooled": pooled_same.to_frame(), "RI-CLPM": ri.to_frame()})
    within_truth = (true_within_paths(truth, sd_growth=panel["revenue_growth"].std(ddof=1))
                    if synthetic else None)
    if synthetic:
        compared = compared.merge(within_truth, on=["from", "to", "lag"], how="left")
    side = paths_side_by_side(compared, within_truth)
side.round(3) if firm_design else skipped(
    "The pooled and the random-intercept cross-lagged panels", firm_missing)

# %% [markdown]
# What the random intercepts hold: each series' stable level, its variance (in SD² of the
# series' true score) and how the stable levels go together.

# %%
if firm_design:
    intercepts = ri.to_frame()[ri.to_frame()["kind"].str.startswith("intercept")]
    display(intercepts.drop(columns=["lag"]).reset_index(drop=True).round(3))
    names = {"ex": "EX", "cx": "CX", "revenue_growth": "revenue growth"}
    corr = intercepts[intercepts["kind"] == "intercept correlation"].set_index(["from", "to"])
    display(Markdown(
        f"The RI-CLPM fits these {label} data with χ²({ri.fit['df']:.0f}) = "
        f"{ri.fit['chi2']:.1f}, CFI {ri.fit['cfi']:.3f} and RMSEA {ri.fit['rmsea']:.3f}. The "
        "firms' stable levels hold "
        + ", ".join(f"{share:.0%} of {names[v]}'s true-score variance" if k == 0 else
                    f"{share:.0%} of {names[v]}'s"
                    for k, (v, share) in enumerate(ri.stable_share.items()))
        + ". The stable levels of "
        + ", those of ".join(f"{names[a]} and {names[b]} correlate {r.estimate:.2f} (95% CI "
                             f"{r.ci_low:.2f} to {r.ci_high:.2f})"
                             for (a, b), r in corr.iterrows())
        + ". Within a firm, the year-to-year deviation of a firm-year mean is only "
        + " and ".join(f"{ri.within_reliability[v]:.0%} true score for {names[v]}"
                       for v in noisy_means)
        + " (the rest is sampling noise), so the within-firm paths lean on the correction for "
        "noisy means and are less precise than the pooled ones."))

# %% [markdown]
# The RI-CLPM's four within-firm cross-lags answer question 4 and are one family,
# Holm-adjusted with the 5% error rate split over the questions as for the others. The
# persistence and same-year paths are shown for comparison, not tested.

# %%
if firm_design:
    ri_family = holm_family(
        compared[(compared["model"] == "RI-CLPM") & compared["cross"]].assign(
            subject=lambda d: d["path"] + ", within firms (RI-CLPM, standardized)"),
        n_families=n_questions)
    ri_truth = truth_verdicts(ri_family) if synthetic else truth_verdicts(ri_family.iloc[:0])
    within = Conclusions(
        findings_from_adjusted_table(ri_family, "subject") + truth_findings(ri_truth),
        heading=f"What these data show about the order in time within firms (associations, "
                f"{kind_words})",
        data_kind=data_kind,
        notes=("The random intercepts remove differences between firms that stay the same "
               "over the years; they do not remove anything that changes within a firm and "
               "moves two series together (a new leader, a restructuring, a bad year for the "
               "whole sector that hits some firms harder): such time-varying confounders "
               "remain, and a within-firm lag is still an association, not an effect.",),
    )
else:
    ri_family = link.iloc[:0].assign(subject=[])
    within = skipped("Which comes first within firms (the random-intercept cross-lagged panel)",
                     firm_missing)
within

# %%
if firm_design:
    pooled_rows = compared[compared["model"] == "pooled"].set_index("path")
    ri_rows = compared[compared["model"] == "RI-CLPM"].set_index("path")
    shown_path = mistaken_path(compared)
    persist = [p for p in ri_rows.index if "persistence" in p][:2]

    def pair(path):
        a, b = pooled_rows.loc[path], ri_rows.loc[path]
        return (f"{a.estimate:.2f} (95% CI {a.ci_low:.2f} to {a.ci_high:.2f}) pooled against "
                f"{b.estimate:.2f} ({b.ci_low:.2f} to {b.ci_high:.2f}) within firms"
                + (f", and the simulation's within-firm value is {b.true_value:.2f}"
                   if synthetic else ""))

    display(Markdown(
        "**Common mistake: reading a pooled cross-lag as a within-firm effect.** The pooled "
        "model compares firms with each other, so stable differences between them load onto "
        f"its lagged paths. Here {shown_path} is {pair(shown_path)}. The persistence terms "
        "show the same mix: " + "; ".join(f"{p.split(',')[0]} is {pair(p)}" for p in persist)
        + f" ({label} data). A pooled cross-lag says that firms high on one score tend to be "
        "high on the other a year later, not that a firm that raises one will see the other "
        "rise: for that, read the within-firm paths of the RI-CLPM (or a fixed-effects model, "
        "with its own bias on few years), and say which model a number comes from."))

# %% [markdown]
# ## 6. The service-profit chain as mediation: EX → CX → outcomes
#
# Each unit's means over all periods (how many answers each rests on, and how reliable the
# means are, is printed below), standardized to SD units; a = EX → CX, b = CX → outcome given
# EX, indirect = a·b with a bootstrap interval (percentile, units resampled). The tests below
# use the bootstrap SE (a normal test). The outcomes and controls for these data:

# %%
if firm_design or outcomes:
    display(Markdown(
        "Firm means over all years; outcomes revenue growth (pp) and cost to serve (log-%); "
        "industry and size band are controls"
        + ("; the true values come from the simulation's answer key (the firms' true EX and "
           "CX)." if synthetic else ".") if firm_design else
        f"Means of each {unit} over all " + (f"{time}s" if time else "answers")
        + f"; outcomes {', '.join(outcomes)}, each in its own units; no controls."))
if firm_design:
    firm = firm_means(panel, ["ex", "cx", "revenue_growth", "cost_to_serve"],
                      standardized=["ex", "cx"], log_pct={"log_cost_pct": "cost_to_serve"}
                      ).join(study.firms.set_index("firm_id")[["industry", "size_band"]])
    med = mediation_by_outcome(firm, "ex_z", "cx_z", ["revenue_growth", "log_cost_pct"],
                               covariates=["industry", "size_band"], n_boot=n_boot, seed=seed)
    if study.latent is not None and synthetic:
        med = med.merge(true_chain_effects(truth, study.latent), on=["outcome", "effect"],
                        how="left")
elif outcomes:
    firm = firm_means(panel, ["ex", "cx", *outcomes], unit=unit, standardized=["ex", "cx"])
    med = mediation_by_outcome(firm, "ex_z", "cx_z", outcomes, n_boot=n_boot, seed=seed)
if firm_design or outcomes:
    per_unit = panel.groupby(unit)[["n_ex", "n_cx"]].sum().mean()
    print(f"Answers per {'firm' if firm_design else 'unit'} over all periods (mean): "
          f"{per_unit['n_ex']:.0f} employees, {per_unit['n_cx']:.0f} customers; reliability "
          f"of the {'firm' if firm_design else 'unit'} means: EX "
          f"{mean_reliability_over_periods(panel, 'ex', 'ev_ex', unit):.3f}, CX "
          f"{mean_reliability_over_periods(panel, 'cx', 'ev_cx', unit):.3f}")
shown = ["a", "b", "indirect", "direct", "total"]
med[med["effect"].isin(shown)].round(3) if firm_design or outcomes else skipped(
    "The chain EX → CX → outcomes", needs(study, "05:outcomes"))

# %% [markdown]
# ### The same chain as a latent-variable model (SEM)
#
# A structural equation model measures EX and CX as
# [latent variables](../docs/glossary.md#latent-variable) by their item means, so item noise
# does not attenuate the paths; it needs the firm-year design (many firms, revenue growth).

# %%
if firm_design:
    display(Markdown(
        "EX is measured by its 11 item means and CX by its 3. Why this specification: it is "
        "the smallest model that separates the chain (EX → CX → growth) from the direct EX → "
        "growth path with both factors measured by several items, and its structural part is "
        "just identified, so the paths are the latent regressions themselves. How it is "
        "fitted: by maximum likelihood (semopy) on z-scored firm means, with each factor scaled "
        "by its first item and a tolerance tight enough (1e-12) that every printed digit is the "
        "optimum, not the point where the optimiser happened to stop. The table shows the "
        "completely standardized paths with their own (delta-method) standard errors, as "
        "lavaan's `standardizedSolution()` gives them; the tests check both against lavaan."
        + (" The SEM paths are compared with the mediation's true values, with growth put in "
           "SD units by its observed SD between firms (the answer key has no latent SD of "
           "growth), and the direct path with its true value of zero." if synthetic else "")))
    culture, engagement = list(CULTURE_ITEMS), list(ENGAGEMENT_ITEMS)
    items = (firm_means(reverse_items(study.employees), culture + engagement)
             .join(firm_means(study.customers, ["nps", "csat", "ces"]))
             .join(firm[["revenue_growth"]]))
    sem = sem_service_profit_chain(items, culture + engagement, ["nps", "csat", "ces"],
                                   "revenue_growth", standardized=True).to_frame()
sem[["path", "estimate", "se", "ci_low", "ci_high", "p_value", "cfi", "rmsea"]].round(
    3) if firm_design else skipped("The latent-variable model (SEM) of EX, CX and revenue growth",
                                   firm_missing)

# %% [markdown]
# The chain's paths are one family (a, shared by the outcomes, is shown once), with the SEM's
# where it runs. Between units, a path is an association: it cannot tell a chain from reverse
# causation (outcomes lifting EX) or from anything that raises EX and CX together.

# %%
outcome_words = ({"revenue_growth": "revenue growth (pp)",
                  "log_cost_pct": "cost to serve (log-%)"} if firm_design else
                 {o: f"{o} (its units)" for o in outcomes})
effect_words = {"a": "EX → CX (standardized)", "indirect": "EX → CX → {o}, indirect (a·b)",
                "direct": "EX → {o}, direct (given CX)"}
if firm_design or outcomes:
    first = "revenue_growth" if firm_design else outcomes[0]
    chain_rows = med[(med["effect"].isin(["indirect", "direct"]))
                     | ((med["effect"] == "a") & (med["outcome"] == first))]
    chain_rows = chain_rows.assign(
        subject=[f"mediation{'' if firm_design else ' between units'}, "
                 f"{effect_words[e].format(o=outcome_words[o])}"
                 for e, o in zip(chain_rows["effect"], chain_rows["outcome"])])
    sem_words = {"a": "EX → CX", "b": "CX → growth given EX", "direct": "EX → growth, direct",
                 "indirect": "EX → CX → growth, indirect"}
    if synthetic and "true_value" in med:  # SEM truths: the mediation's, growth in its SD
        med_truth = med[med["outcome"] == "revenue_growth"].set_index("effect")["true_value"]
        sd_growth = firm["revenue_growth"].std(ddof=1)
        sem_truth = {"a": med_truth["a"], "b": med_truth["b"] / sd_growth, "direct": 0.0,
                     "indirect": med_truth["indirect"] / sd_growth}
    else:
        sem_truth = {}
    chain_family = holm_family(pd.concat([
        chain_rows,
        *([sem.assign(subject=[f"SEM, {sem_words.get(p, p)} (standardized)"
                               for p in sem["path"]],
                      **({"true_value": sem["path"].map(sem_truth)} if sem_truth else {}))]
          if firm_design else []),
    ], ignore_index=True), n_families=n_questions)
    chain_truth = (truth_verdicts(chain_family) if synthetic
                   else truth_verdicts(chain_family.iloc[:0]))
    chain = Conclusions(
        findings_from_adjusted_table(chain_family, "subject")
        + truth_findings(chain_truth),
        data_kind=data_kind,
        heading="What these data show about the chain (between-"
                + ("firm" if firm_design else "unit") + f" associations, {kind_words})",
    )
else:
    chain_family = link.iloc[:0].assign(subject=[])
    chain = skipped("The chain EX → CX → outcomes", needs(study, "05:outcomes"))
chain

# %%
synthetic_note(
    "in the simulation EX has no direct path to revenue growth, while growth raises next "
    "year's EX (section 5) and fast-growing firms are more likely to appoint a CX executive "
    "(notebook 11): a direct EX–growth association between firms is that reverse causation "
    "and selection, not a chain.")

# %% [markdown]
# ## 7. Public-data analogues (individual level; fictional and artificial data)
#
# No public data link employee surveys, customer surveys and firm results. Three public data
# sets show the individual-level links the chain rests on, but none is real: the IBM HR and
# IBM telco sets are **fictional** (made by IBM as samples), the MLC++ churn set is
# **artificial**. All three are cross-sections, and what they show is an association in
# made-up data, an illustration of the method, not evidence about real firms. They do not
# change with `data_dir`, so by default they are shown with the bundled study only
# (`-p public_data=True` shows them on your data too).
#
# **Employee experience and attrition** (IBM HR analytics, 1,470 employees, fictional data
# created by IBM): odds ratios of leaving per SD of each satisfaction item (1–4), adjusted for
# age, income and overtime.

# %%
if show_public:
    hr = cx.ibm_hr_attrition()
    hr["over_time"] = hr["over_time"].astype(str)
    sat_items = ["environment_satisfaction", "job_satisfaction", "relationship_satisfaction",
                 "job_involvement", "work_life_balance"]
    hr_or = logit_associations(hr.astype({c: float for c in sat_items}), "attrition",
                               sat_items, controls=["age", "monthly_income", "over_time"]
                               ).to_frame()
    display(hr_or[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "n_obs",
                   "n_events"]].round(3))
    hr_family = holm_family(hr_or.rename(columns={"odds_ratio": "estimate"}))
    display(Conclusions(
        findings_from_adjusted_table(
            hr_family, "term", subjects=[f"{t.replace('_', ' ')}, odds ratio of leaving per SD"
                                         for t in hr_family["term"]],
            null=1.0, noun="association with leaving"),
        heading="What the IBM HR sample shows (associations, fictional data)",
        data_kind="fictional",
        notes=("For comparison, Harter et al. (2002) report a true-score unit-level correlation "
               "of −.30 between engagement and turnover in real business units.",),
    ))
else:
    print("Public analogues not shown on user data (set public_data=True to show them).")

# %% [markdown]
# **Service contacts and churn** (MLC++ telecom churn, 5,000 customers, artificial data):
# churn rate by the number of calls to customer service, with Wilson intervals.

# %%
if show_public:
    mlc = cx.mlc_churn()
    mlc["calls"] = mlc["number_customer_service_calls"].clip(upper=5)
    rates = event_rate_by_group(mlc, "churn", "calls").rename(
        columns={"n": "customers", "rate_pct": "churn_pct"})
    display(rates.round(1))

    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.errorbar(rates["calls"], rates["churn_pct"],
                yerr=[rates["churn_pct"] - rates["ci_low"],
                      rates["ci_high"] - rates["churn_pct"]], fmt="o-", capsize=3)
    ax.set_xticks(rates["calls"], [str(c) if c < 5 else "5+" for c in rates["calls"]])
    ax.set_xlabel("calls to customer service")
    ax.set_ylabel("churned (%)")
    ax.set_title("Service calls and churn (MLC++, artificial data)")
    save_figure(
        fig, "05_service_calls_churn", data=rates,
        caption=("Churn rate by number of customer-service calls, with 95% Wilson intervals, "
                 "in the MLC++ telecom churn data (5,000 customers; artificial data "
                 "distributed with R's modeldata, not real customers)."),
        alt_text=("Line with error bars, churn by calls to customer service: "
                  + "; ".join(f"{'5+' if r.calls >= 5 else int(r.calls)} "
                              f"call{'' if r.calls == 1 else 's'} {r.churn_pct:.0f}%"
                              for r in rates.itertuples()) + "."),
        source="05_linkage_ex_cx_outcomes",
    )
    plt.show()
    calls = event_rate_difference(mlc, "churn", "calls", 4)
    c = calls.iloc[0]
    display(Conclusions(
        (effect_sentence(f"churn with 4+ service calls ({c['rate_high']:.1f}%) minus 0–3 calls "
                         f"({c['rate_low']:.1f}%), percentage points", c["estimate"],
                         c["ci_low"], c["ci_high"], digits=1, noun="difference"),),
        heading="What the artificial MLC++ churn set shows (an association, fictional data)",
        data_kind="fictional",
        notes=("Calls are a marker, not a cause: the data cannot say whether resolving issues "
               "on the first call would keep these customers.",),
    ))
else:
    print("Public analogues not shown on user data (set public_data=True to show them).")

# %% [markdown]
# **Tenure, charges and churn** (IBM telco churn, 7,043 customers, fictional IBM sample data):
# odds ratios per SD, adjusted for contract type.

# %%
if show_public:
    telco = cx.telco_churn()
    tel_or = logit_associations(telco, "churn", ["tenure", "monthly_charges"],
                                controls=["contract"]).to_frame()
    display(tel_or[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "n_obs",
                    "n_events"]].round(3))
    tel_family = holm_family(tel_or.rename(columns={"odds_ratio": "estimate"}))
    display(Conclusions(
        findings_from_adjusted_table(
            tel_family, "term", subjects=[f"{t.replace('_', ' ')}, odds ratio of churning per "
                                          "SD, within contract type" for t in tel_family["term"]],
            null=1.0, noun="association with churn"),
        heading="What the IBM telco sample shows (associations, fictional data)",
        data_kind="fictional",
    ))
else:
    print("Public analogues not shown on user data (set public_data=True to show them).")

# %% [markdown]
# ## What this shows, and what it doesn't
#
# How many estimates of each family hold after the adjustment (Holm within each question, the
# 5% error rate split over the questions asked), from the tables above:

# %%
families = {"estimates of the EX–CX link": link_family,
            ("cross-lagged paths" if firm_design else "links of EX and CX with the outcomes"):
                cl_family,
            "within-firm cross-lags (RI-CLPM)": ri_family,
            "service-profit chain paths": chain_family}
families = {name: fam for name, fam in families.items() if len(fam)}
held = {name: fam[adjusted_supported(fam)] for name, fam in families.items()}
truth_table = pd.concat([link_truth, *([cl_truth, ri_truth] if firm_design else []),
                         *([chain_truth] if firm_design or outcomes else [])],
                        ignore_index=True) if synthetic else link_truth.iloc[:0]
missed = truth_table[~truth_table["hit"].astype(bool)].set_index("subject")


def tagged(finding):
    """A held finding, tagged when the simulation's truth says it is wrong."""
    subject = finding.text[2:finding.text.find("**", 2)]
    if subject not in missed.index:
        return finding
    r = missed.loc[subject]
    return Finding(f"{finding.text} *In the simulation: {r['verdict']}, true value "
                   f"{r['true_value']:.2f}.*", finding.claims_effect, finding.kind)


not_pooled = agg.loc[agg["rwg_j"] < 0.70, "item_set"].tolist()
attenuation = [(r["subject"], r["ols_estimate"], r["estimate"])
               for _, r in link_rows.iterrows()]
ratios = [est / ols for _, ols, est in attenuation if ols]
checks = (
    Finding("**Aggregation**: by the notebook's own rwg(j) ≥ .70 criterion, "
            + (f"{', '.join(not_pooled)} do not support averaging to {cell} means; " if not_pooled
               else f"every item set supports averaging to {cell} means; ")
            + f"a {cell} mean rests on {reliability.iloc[0, 1]:.0f} employees or "
            f"{reliability.iloc[1, 1]:.0f} customers on average, and the EX and CX means rest "
            + ("on the errors-in-variables correction: uncorrected OLS gives "
               + "; ".join(f"{ols:.2f} against {est:.2f} corrected for {subject}"
                           for subject, ols, est in attenuation)
               + (f" ({min(ratios):.1f} to {max(ratios):.1f} times smaller)" if len(ratios) > 1
                  else f" ({ratios[0]:.1f} times smaller)" if ratios else "")
               + ", which shows how much depends on it." if attenuation else
               "on the errors-in-variables correction, which these means are too noisy for: "
               + "; ".join(unit_missing) + "."),
            False, kind="check"),
)
growth_chain = truth_table[truth_table["subject"].str.contains("revenue growth", na=False)]
chain_missed = (synthetic and len(growth_chain)
                and (growth_chain.loc[growth_chain["subject"].str.contains("indirect"), "verdict"]
                     == "not detected").any()
                and (growth_chain.loc[growth_chain["subject"].str.contains("direct \\(given"),
                                      "verdict"] == "false positive").any())
Conclusions(
    tuple(count_sentence(len(held[name]), len(fam), name, adjustment=holm_words)
          for name, fam in families.items())
    + tuple(tagged(f) for name in families
            for f in findings_from_adjusted_table(held[name], "subject"))
    + checks
    + truth_summary(truth_table)
    + ((Finding("**The chain to growth**: in the simulation the true chain EX → CX → revenue "
                "growth was not detected, and a direct EX → growth association that the "
                "simulation does not contain was (reverse causation and selection, section 6).",
                False, kind="truth"),) if chain_missed else ()),
    heading=f"What these data show (associations, not effects; {kind_words})",
    data_kind=data_kind,
)

# %%
display(Markdown("What no result above can show, whatever the data:\n\n" + "\n".join(
    f"- {line}" for line in (
        "**Aggregation.** A survey mean of a few dozen answers is noisy, and within a unit most "
        "of its movement from period to period can be noise, which makes uncorrected linkage "
        "coefficients too small (the size here is in the summary above). The "
        "errors-in-variables correction needs the sampling variance of each mean, which any "
        "survey export can supply.",
        "**Direction.** EX, CX and outcomes measured together cannot say which comes first. A "
        "cross-lagged panel orders associations in time but does not rule out a third factor "
        "that moves EX and CX together; pooled, it confuses stable differences between units "
        "with lagged paths, and with unit fixed effects and few periods its persistence terms, "
        "and the paths estimated beside them, are biased (Nickell 1981). The random-intercept "
        "model separates the stable differences from the within-unit paths, but a factor that "
        "changes within a unit and moves two series together still masquerades as a lag.",
        "**The chain.** Between-unit mediation is correlational: a causal reading needs no "
        "unmeasured confounding and no reverse causation on each link, which a survey cannot "
        "guarantee.",
        *(("**Public data.** The three public sets are fictional or artificial cross-sections "
           "without firm-level outcomes: they illustrate the individual-level links, they do "
           "not confirm them.",) if show_public else ())))))

# %%
synthetic_note(
    "its magnitudes are assumptions calibrated to published linkage research (Harter et al. "
    "2002; the Sears model in Rucci et al. 1998), not findings; the notebook shows what each "
    "design recovers when the truth is known.")


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
# **Exercise 05.1.** A synthetic panel of 300 firms over 5 years: within firms, growth(t) lifts EX(t+1) by 0.2 and EX has no path to growth; a stable firm trait lifts both, so the firms' stable levels correlate 0.6: `p = simulate_ri_clpm_panel(n_units=300, n_periods=5, variables=('ex', 'growth'), coefs={('growth', 'ex'): 0.2}, intercept_corr=0.6, seed=5)` (from `cxresearch.simulate.linkage`). Fit `cx.ri_clpm(p, 'unit', 'time', ['ex', 'growth'], standardize_vars=False)`. What is its within-firm EX(t) → growth(t+1) cross-lag? Two decimals.

# %%
cx.exercises.check("05.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: fit the RI-CLPM on the exercise's panel and read its within-firm EX → growth row
ex_panel = simulate_ri_clpm_panel(n_units=300, n_periods=5, variables=("ex", "growth"),
                                  coefs={("growth", "ex"): 0.2}, intercept_corr=0.6, seed=5)
ex_ri = cx.ri_clpm(ex_panel, "unit", "time", ["ex", "growth"],
                   standardize_vars=False).to_frame().set_index(["kind", "from", "to"])
answer = round(float(ex_ri.loc[("cross-lag", "ex", "growth"), "estimate"]), 2)
cx.exercises.check("05.1", answer)

# %% [markdown]
# **Exercise 05.2.** On the same panel, fit the pooled cross-lagged panel, `cx.cross_lagged_panel(p, 'unit', 'time', ['ex', 'growth'], standardize_vars=False)`. Does its 95% interval for EX(t) → growth(t+1) exclude zero, although within firms EX has no path to growth? (yes/no)

# %%
cx.exercises.check("05.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the pooled model's interval for EX(t) → growth(t+1), on the same panel
ex_pooled = cx.cross_lagged_panel(ex_panel, "unit", "time", ["ex", "growth"],
                                  standardize_vars=False).to_frame().set_index(["from", "to"])
ex_row = ex_pooled.loc[("ex", "growth")]
answer = "yes" if ex_row["ci_low"] > 0 or ex_row["ci_high"] < 0 else "no"
cx.exercises.check("05.2", answer)

# %% [markdown]
# **Exercise 05.3.** On the same panel, how strongly do the firms' stable levels of EX and growth correlate, by the RI-CLPM (its 'intercept correlation' row)? The simulation sets 0.6. Two decimals.

# %%
cx.exercises.check("05.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the RI-CLPM's correlation of the random intercepts (the stable firm trait)
answer = round(float(ex_ri.loc[("intercept correlation", "ex", "growth"), "estimate"]), 2)
cx.exercises.check("05.3", answer)

# %% [markdown]
# **Exercise 05.4.** Predict: simulate the same panel with a stronger stable firm trait (intercept_corr=0.9 instead of 0.6) and fit both models again. Which 95% interval for EX(t) → growth(t+1) excludes zero: only the pooled one, only the RI-CLPM one, both, or neither?

# %%
cx.exercises.check("05.4", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: refit both models with the stronger trait and see which interval leaves zero
ex_strong = simulate_ri_clpm_panel(n_units=300, n_periods=5, variables=("ex", "growth"),
                                   coefs={("growth", "ex"): 0.2}, intercept_corr=0.9, seed=5)
ex_rows = {
    "pooled": cx.cross_lagged_panel(ex_strong, "unit", "time", ["ex", "growth"],
                                    standardize_vars=False).to_frame().set_index(
        ["from", "to"]).loc[("ex", "growth")],
    "RI-CLPM": cx.ri_clpm(ex_strong, "unit", "time", ["ex", "growth"],
                          standardize_vars=False).to_frame().set_index(
        ["kind", "from", "to"]).loc[("cross-lag", "ex", "growth")],
}
ex_excludes = {m: bool(r["ci_low"] > 0 or r["ci_high"] < 0) for m, r in ex_rows.items()}
answer = {(True, False): "only the pooled one", (False, True): "only the RI-CLPM one",
          (True, True): "both", (False, False): "neither"}[
    (ex_excludes["pooled"], ex_excludes["RI-CLPM"])]
cx.exercises.check("05.4", answer)
