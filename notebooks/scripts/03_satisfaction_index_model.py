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
# # 03 · A satisfaction-index model (ECSI/ACSI) with PLS path modelling
#
# National satisfaction indices (the ACSI in the US, the ECSI in Europe) model satisfaction as
# the centre of a chain: arrows from image and expectations to perceived quality and value, from
# these to satisfaction, and from satisfaction to complaints and loyalty (arrows the model
# assumes, not effects it shows). They are estimated with
# [PLS path modelling](../docs/glossary.md#pls-sem) and reported as 0–100 index scores. This
# notebook describes an ECSI survey, fits the model and checks what plain PLS and PLSc give;
# the first output says which survey it is. With the bundled data it
# is a **synthetic** customer survey whose true paths are known, so each estimate is checked
# against the truth. (The estimator is unit-tested against seminr's published output on the
# real ECSI mobile-phone data of Tenenhaus et al. 2005, to six decimals.)
#
# **On your own data.** The ECSI model has fixed
# [construct](../docs/glossary.md#latent-variable) blocks (image, expectation, quality,
# value, satisfaction, complaints, loyalty), so it runs on a folder holding `ecsi_survey.csv`
# with the ECSI item names (`IMAG1` ... `CUSL3`, 1–10); the unit, period and segments of the
# folder's `instrument.yml` are used when that table has those columns. A folder without one
# (for instance a survey with its own `instrument.yml` and drivers, which notebook 04
# analyses) gets a sentence in each section saying why it is skipped, and nothing from the
# synthetic survey in its place.

# %% [markdown]
# **After this notebook you can**
#
# - fit a satisfaction-index model (ECSI/ACSI) and say which of its arrows are assumptions
#   rather than effects it shows;
# - explain why plain PLS pulls paths between constructs measured with error towards zero,
#   and what consistent PLS (PLSc) corrects;
# - read a path's bootstrap interval with p-values adjusted for the twelve tests
#   ([Holm](../docs/glossary.md#holm-adjustment)), and predict how the interval changes with
#   the sample size;
# - check the measurement model by the reflective criteria (loadings,
#   [alpha](../docs/glossary.md#alpha), composite reliability, [AVE](../docs/glossary.md#ave))
#   and predict what a dropped indicator does;
# - turn construct scores into 0–100 index scores the ACSI way, and say when two indices can be
#   compared.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 03 -p n_respondents=500 ...).
data_dir = None  # None: the synthetic survey; a folder with ecsi_survey.csv (ECSI item names)
instrument = None  # None: the folder's instrument.yml (its unit, time and segments), if any
seed = 0
n_respondents = 1000
n_bootstrap = 300
min_n = 10  # smallest group shown in the tables by unit, period and segment

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import cxresearch as cx
from cxresearch.cli.check import skipped
from cxresearch import (
    FIGSIZE, Conclusions, Finding, adjusted_supported, coef_plot, count_sentence, find_table,
    findings_from_adjusted_table, save_figure, use_style,
)
from cxresearch.io.instrument import find_instrument
from cxresearch.io.readers import as_instrument
from cxresearch.simulate import simulate_ecsi_survey
from cxresearch.studies import csi_03 as c03
from cxresearch.studies import own_data_02_05 as own

use_style()
synthetic = data_dir is None
data_kind = "synthetic" if synthetic else "user"  # the label every generated result carries
source_label = "synthetic" if synthetic else "your data"
block_items = [item for block in cx.ECSI_BLOCKS.values() for item in block]
# why the sections cannot run on this folder (empty: they can)
missing = [] if synthetic or find_table(data_dir, "ecsi_survey") is not None else [
    "the folder has no ecsi_survey table with the ECSI items (IMAG1 ... CUSL3, answered 1–10) "
    "that the model's fixed construct blocks need"]
runs = not missing
if synthetic:
    survey = simulate_ecsi_survey(n=n_respondents, seed=seed)
    items, truth = survey.data, survey.paths
elif runs:
    items, truth = cx.read_ecsi_survey(data_dir), None
else:
    items, truth = None, None
inst = None if synthetic or not runs else as_instrument(
    instrument or find_instrument(data_dir), strict=False)  # only its unit, time, segments
unit = inst.unit if inst is not None and inst.unit in items.columns else None
time = own.period_of(inst, "customers", items) if inst is not None else None
segments = [s for s in inst.segments if s in items.columns] if inst is not None else []
if runs:
    complete = items.dropna(subset=block_items)  # PLS needs every item answered
    print(f"{len(items):,} respondents, {len(block_items)} items on 1-10 ({source_label})"
          + (f", from {items[unit].nunique()} units ({unit})" if unit else ""))
else:
    print(f"No ECSI survey here: {missing[0]}. Each section below that needs it says that it "
          "is skipped; nothing from the synthetic survey is shown in its place.")

# %% [markdown]
# ## The data first: respondents, items and constructs
#
# What the survey holds before any model: respondents and missing answers, each item's mean
# with its interval (treating the instrument's unit as clusters when the table has that
# column), and each construct's score (the mean of its items, before the model weights them)
# by unit, period and segment where the table has those columns, groups with fewer than
# `min_n` answers hidden and counted. Items are labelled with the question's wording (the
# export's, else a short wording of the ECSI questionnaire).

# %%
if runs:
    display(Markdown(
        ("**These data: the bundled synthetic ECSI survey** (simulated from the ECSI model "
         f"with known paths, seed {seed})" if synthetic else
         f"**These data: your ECSI survey** (folder `{Path(data_dir).name}`)")
        + f": {len(items):,} respondents, {len(block_items)} items in "
        f"{len(cx.ECSI_BLOCKS)} constructs; {int(items[block_items].isna().sum().sum()):,} "
        f"answers missing; {len(complete):,} respondents answered every item and are the ones "
        "the model uses (PLS needs complete rows)"
        + (f"; unit {unit}" if unit else "; no unit column (answers treated as independent)")
        + (f"; period {time}" if time else "")
        + (f"; segments {', '.join(segments)}" if segments else "") + "."))
    if unit or time:
        display(own.design_counts({"ecsi_survey": items}, unit, {"ecsi_survey": time}))
else:
    print(skipped("The data", missing))

# %%
if runs:
    wording = own.item_wording(items, block_items, known=c03.ECSI_ITEM_WORDING)
    item_table = own.item_means(items, cx.ECSI_BLOCKS, {b: (1, 10) for b in cx.ECSI_BLOCKS},
                                wording, cluster=unit)
    display(item_table.drop(columns=["reverse", "lo", "hi"]).set_index(["block", "item"])
            .round(2))
    fig = own.plot_item_means(
        item_table, title=f"ECSI survey items, mean answer ({source_label})",
        xlabel="mean answer (1–10), with 95% interval"
               + (f" (clustered by {unit})" if unit else ""))
    save_figure(
        fig, "03_item_means", data=item_table.round(4),
        caption=(f"Mean answer to each of the {len(block_items)} items of the ECSI survey "
                 f"({'synthetic data' if synthetic else 'your data'}, {len(items):,} "
                 "respondents), by construct, with 95% intervals"
                 + (f" that treat the units ({unit}) as clusters" if unit else
                    " that treat the answers as independent") + "; one panel per construct, "
                 "its axis spanning the items' intervals; items in short wording."),
        alt_text=own.item_means_alt_text(item_table, data_label=("synthetic data" if synthetic
                                                                else "your data")),
        source="03_satisfaction_index_model", evidence=data_kind,
    )
    plt.show()

# %%
groupings = [c for c in (unit, time, *segments) if c]
if runs and groupings:
    construct_scores = items.join(own.respondent_scores(items, cx.ECSI_BLOCKS).add_prefix(
        "score_"))
    scores = {b: ("mean", f"score_{b}", (1, 10)) for b in cx.ECSI_BLOCKS}
    for key in groupings:
        t = own.score_table(construct_scores, scores, key, cluster=unit, min_n=min_n)
        if key == unit:  # many units: the construct means side by side, intervals left out
            wide = t.pivot_table(index=key, columns="score", values="estimate", sort=False,
                                 dropna=False)[list(cx.ECSI_BLOCKS)]
            wide.insert(0, "n", t.groupby(key, sort=False)["n"].max())
            wide.columns.name = None
            shown, rows_note = own.first_rows(wide.round(2), f"units ({unit})")
            display(shown)
            print(rows_note + " Intervals by unit are left out here (one per construct and "
                  "unit); the tables by period and segment below have theirs.")
        else:
            display(t.drop(columns=["suppressed", "note"]).round(2).set_index([key, "score"]))
        print(own.hidden_sentence(t, key, min_n=min_n))
elif runs:
    print(skipped("Construct scores by unit, period and segment", [
        ("the synthetic ECSI survey has" if synthetic else "the ecsi_survey table has")
        + " no unit, period or segment column"
        + ("" if synthetic else " of the instrument" if inst is not None
           else " (and the folder has no instrument.yml naming them)")]))

# %% [markdown]
# ## The model
#
# Seven constructs, each measured by 1–7 items (reflective, mode A), and twelve paths.

# %%
pd.DataFrame({"items": [", ".join(v) for v in cx.ECSI_BLOCKS.values()]},
             index=pd.Index(list(cx.ECSI_BLOCKS), name="construct"))

# %% [markdown]
# ## Fit with bootstrap intervals
#
# Path-weighting scheme, standardized items; percentile intervals from resampling respondents.
# Plain PLS attenuates paths when items carry measurement error; PLSc (consistent PLS) corrects
# that, so PLSc with its bootstrap interval is the headline estimate (`estimate`, `ci_low`,
# `ci_high`) and plain PLS (`pls`...) the comparison. The twelve path tests are one family:
# `p_holm` is the bootstrap (Wald) p-value, Holm-adjusted for the twelve.

# %%
if runs:
    fit = cx.fit_pls(complete, cx.ECSI_BLOCKS, cx.ECSI_PATHS, n_boot=n_bootstrap, seed=seed,
                     scale_range=(1, 10))
    plsc = cx.fit_pls(complete, cx.ECSI_BLOCKS, cx.ECSI_PATHS, n_boot=n_bootstrap, seed=seed,
                      scale_range=(1, 10), consistent=True)
    paths = c03.path_table(fit.paths, plsc.paths, truth)
    display(paths.drop(columns=["source", "target", "pls_se", "n_family"]).set_index("path")
            .round(3))
else:
    print(skipped("The ECSI model fit", missing))

# %% [markdown]
# Explained variance of each endogenous construct:

# %%
fit.r2.to_frame().T.round(3) if runs else None

# %%
if runs:
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    plotted = c03.long_paths(paths.iloc[::-1])
    coef_plot(plotted, label="path", by="method", ax=ax,
              truth="truth" if synthetic else None,
              xlabel="standardized path coefficient (95% bootstrap interval)",
              title=("ECSI path coefficients (synthetic survey)" if synthetic
                     else "ECSI path coefficients (your data)"),
              legend={"loc": "upper center", "bbox_to_anchor": (0.5, -0.2), "ncol": 3})
    save_figure(
        fig, "03_ecsi_paths",
        data=plotted[["method", "source", "target", "estimate", "ci_low", "ci_high"]
                     + (["truth"] if synthetic else [])].round(4),
        caption=("Path coefficients of the ECSI model, PLSc (consistent PLS) and plain PLS, "
                 "each with its 95% percentile bootstrap interval"
                 + (", and the true values of the synthetic survey (x). Plain PLS attenuates "
                    "paths between constructs measured with error." if synthetic
                    else ", in your ECSI survey.")),
        alt_text=c03.alt_text(paths),
        source="03_satisfaction_index_model", evidence=data_kind,
    )
    plt.show()

# %% [markdown]
# ## Measurement quality
#
# Loadings above about .7, alpha and composite reliability above .7 and AVE above .5 are the
# usual reflective criteria, each checked below from the numbers. The outer loadings (plain PLS,
# which overstates them; PLSc beside it) come first.

# %%
if runs:
    outer = fit.loadings[["construct", "item", "loading"]].assign(
        plsc=plsc.loadings["loading"])
    if synthetic:
        outer = outer.merge(survey.loadings.rename(columns={"loading": "truth"}),
                            on=["construct", "item"])
    display(outer.set_index("item").round(3))
else:
    print(skipped("Measurement quality", missing))

# %%
fit.reliability().round(3) if runs else None

# %%
Conclusions(c03.reliability_checks(fit.reliability(), fit.loadings),
            heading="Measurement criteria", data_kind=data_kind) if runs else None

# %% [markdown]
# ## Index scores on 0–100, the ACSI way
#
# Each respondent's construct score is a weighted mean of the raw items with the PLS weights
# unstandardized and normalised to sum to one, mapped so that 1 → 0 and 10 → 100. The index is
# the mean score.

# %%
fit.index().to_frame().T.round(1) if runs else skipped("Index scores", missing)

# %%
Finding("**Index levels**: " + (
    "they follow the item means the synthetic survey assumes (top-heavy, value lower than "
    "quality, modelled on the real ECSI survey of a mobile operator's customers, Tenenhaus "
    "et al. 2005, which are "
    "not shown here); the paths above do not depend on them." if synthetic else
    "point means without intervals here; compare them over time only with the same items, "
    "scale and weights."), False, kind="level").labelled(data_kind) if runs else None

# %% [markdown]
# ## Direct and indirect paths to loyalty (under the model's assumed arrows)
#
# How much of each construct's association with loyalty runs through the others in the model
# (the indirect part, as in [mediation](../docs/glossary.md#mediation)); the arrows are assumptions, so these
# are not effects:

# %%
fit.effects().query("target == 'Loyalty'").set_index("source").round(3) if runs else skipped(
    "Paths to loyalty", missing)

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The closing summary, generated from the estimates: first, where the survey is simulated, what
# missed and what hit the simulation's truth; then each path (PLSc, Holm-adjusted for the
# twelve tests; PLS arrows are assumptions of the model, so these are associations given the
# model, not effects); then what no result here can show.

# %%
Conclusions(
    (c03.recovery_findings(paths) if synthetic else ())
    + findings_from_adjusted_table(paths, "path")
    + (count_sentence(int(adjusted_supported(paths).sum()), len(paths), "paths (PLSc)"),),
    heading=("Closing summary: the synthetic ECSI survey" if synthetic
             else "Closing summary: your ECSI survey"),
    notes=("Explained variance (plain PLS): "
           + ", ".join(f"{k} R² = {v:.2f}" for k, v in fit.r2.items()) + ".",),
    data_kind=data_kind,
) if runs else skipped("The closing summary", missing)

# %%
Markdown("\n".join(f"- {line}" for line in c03.closing_notes(synthetic))) if runs else None

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
# **Exercise 03.1.** On notebook 03's synthetic ECSI survey
# (cx.simulate.simulate_ecsi_survey(n=1000, seed=0)), what is the PLSc path from Image to
# Expectation (cx.fit_pls with consistent=True, scale_range=(1, 10))? Two decimals.

# %%
cx.exercises.check("03.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: PLSc on the synthetic survey of 1,000 (seed 0), the Image → Expectation path
ecsi = simulate_ecsi_survey(n=1000, seed=0)


def ecsi_path(paths, source, target, column="estimate"):
    return float(paths.loc[(paths["source"] == source) & (paths["target"] == target),
                           column].iloc[0])


ecsi_plsc = cx.fit_pls(ecsi.data, cx.ECSI_BLOCKS, cx.ECSI_PATHS, scale_range=(1, 10),
                       consistent=True).paths
answer = round(ecsi_path(ecsi_plsc, "Image", "Expectation"), 2)
cx.exercises.check("03.1", answer)

# %% [markdown]
# **Exercise 03.2.** Predict: fit the same model on the first 250 respondents of the survey
# instead of all 1,000. Is the 95% bootstrap interval of the PLSc path from Satisfaction to
# Loyalty narrower, wider or the same?

# %%
cx.exercises.check("03.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the width of the PLSc bootstrap interval on all 1,000 and on the first 250
widths = {}
for n in (1000, 250):
    boot = cx.fit_pls(ecsi.data.iloc[:n], cx.ECSI_BLOCKS, cx.ECSI_PATHS, n_boot=100, seed=0,
                      scale_range=(1, 10), consistent=True).paths
    widths[n] = (ecsi_path(boot, "Satisfaction", "Loyalty", "ci_high")
                 - ecsi_path(boot, "Satisfaction", "Loyalty", "ci_low"))
answer = "wider" if widths[250] > widths[1000] else "narrower"
cx.exercises.check("03.2", answer)

# %% [markdown]
# **Exercise 03.3.** Predict: drop the indicator CUSA1 from the Satisfaction block and refit
# plain PLS (consistent=False). Does its Satisfaction → Loyalty path move closer to the
# simulation's true value, or further from it?

# %%
cx.exercises.check("03.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: plain PLS with and without CUSA1, each against the simulation's true path
true_path = ecsi_path(ecsi.paths, "Satisfaction", "Loyalty")
off = {}
for label, drop in (("all items", None), ("without CUSA1", "CUSA1")):
    blocks = {k: [i for i in v if i != drop] for k, v in cx.ECSI_BLOCKS.items()}
    plain = cx.fit_pls(ecsi.data, blocks, cx.ECSI_PATHS, scale_range=(1, 10)).paths
    off[label] = abs(ecsi_path(plain, "Satisfaction", "Loyalty") - true_path)
answer = "further" if off["without CUSA1"] > off["all items"] else "closer"
cx.exercises.check("03.3", answer)
