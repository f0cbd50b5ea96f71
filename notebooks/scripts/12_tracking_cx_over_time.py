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
# # 12 · Tracking CX over time: weights to the customer base, and which changes are real
#
# Most CX analysts' weekly question is this one: **did our NPS really go up this month, in which
# segments, or is it noise?** Answering it takes two things a bare dashboard lacks. First,
# weights: the people who answer a survey are never a fair sample of the customers (web answers
# outnumber phone answers), so the answers are weighted back to the customer base. Second,
# honest uncertainty about change: the answers nest in stores that answer every month, many
# segments are compared at once, and some cells are too small to read.
#
# The data are a **synthetic** monthly tracker with a known truth
# (`cxresearch.simulate.tracker`): stores in four regions, answers by channel, a sample that
# over-represents web, and one **real** change (the NPS of one region rises from a given month;
# nothing else changes). Every result below can be checked against that truth. Rerun with
# `-p effect=0` and nothing changes at all: the notebook must then claim no change.
#
# **On your own data** (`-p data_dir=FOLDER`): a `customers` table with a 0-10 recommend
# column, a period column (the instrument's `time`, e.g. `month`) and segment columns, described
# by an `instrument.yml`. Its `population:` key names a CSV of your customer base's margins
# (columns `variable`, `category`, and `count` or `share`); without it, the weighting is skipped
# and says why. `python -m cxresearch check FOLDER` tells in advance.

# %% [markdown]
# **After this notebook you can**
#
# - weight survey answers to known customer margins by raking, and say what the weights do to
#   an NPS and to its interval;
# - read Kish's design effect and the effective n of a weighted, clustered tracker;
# - test month-on-month changes by segment with intervals that respect the stores, a Holm
#   adjustment and suppressed small cells;
# - draw a trend line with its band, and explain why a chart without intervals sends analysts
#   after noise.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 12 -p effect=0 ...).
data_dir = None  # None: the synthetic tracker; a folder: your own customers' answers
instrument = None  # None: the instrument.yml in data_dir if present
on_invalid = "raise"  # "set_aside": rows with out-of-range answers are listed and left out
seed = 0  # seed of the simulated tracker
n_months = 12  # months of the simulated tracker
answers_per_month = 2000  # answers per month
stores_per_region = 10  # stores in each of the four regions (the clusters)
effect = 20.0  # the true change of one region's NPS from change_month, in points (0: none)
change_month = 4  # the first month of the change
level = 0.95  # confidence level of every interval
min_n = 30  # fewest answers in a period for a change to be tested
adjust = "holm"  # multiplicity adjustment over the changes: holm, bh or none
move_threshold = 5.0  # the change (NPS points) a dashboard without intervals calls a move

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import cxresearch as cx
from cxresearch import Conclusions, DataError, Finding, load_study, save_figure, use_style
from cxresearch.cli.check import needs, skipped
from cxresearch.simulate.tracker import simulate_tracker
from cxresearch.studies.tracking_12 import (
    bare_by_period,
    dashboard_check,
    dashboard_counts,
    naive_moves,
    nps_three_ways,
    plot_tracker,
    rake_to_population,
    sample_vs_population,
    tracker_alt_text,
    trend_band,
    truth_findings,
    wave_findings,
)

use_style()
warnings.simplefilter("ignore", UserWarning)  # missing answers are dropped and counted
synthetic = data_dir is None  # the truth is known only for the simulated tracker
data_kind = "synthetic" if synthetic else "user"  # the label of every generated sentence
data_label = "synthetic data" if synthetic else "your data"
if synthetic:
    tracker = simulate_tracker(n_months=n_months, answers_per_month=answers_per_month,
                               stores_per_region=stores_per_region, effect=effect,
                               change_month=change_month, seed=seed)
    answers = tracker.data
    score, time, unit, weight = "ltr", "month", "store_id", None
    segments = ["region", "channel"]
    margins, raking_missing = tracker.margin_dict(), []
    print(tracker.summary())
else:
    study = load_study(data_dir, tables=["customers"], instrument=instrument,
                       on_invalid=on_invalid)
    if needs(study, "12:tracking"):
        raise DataError(str(skipped("Notebook 12", needs(study, "12:tracking"))))
    inst = study.instrument
    answers = study.answers("customers")
    score, time = inst.metrics["nps"].column, study.time
    unit = study.unit if study.unit in answers.columns else None
    weight = inst.weight if inst.weight in answers.columns else None
    segments = [s for s in study.available_segments() if s != "cx_owner"]
    raking_missing = needs(study, "12:raking")
    margins = None if raking_missing else inst.population_margins()
    print(f"Your data: {len(answers):,} answers, NPS from {score!r} by {time!r} "
          f"({answers[time].nunique()} periods)"
          + (f", nested in {answers[unit].nunique()} units ({unit})" if unit else
             ", no unit column (answers treated as independent)")
          + (f", segments {segments}" if segments else "") + ".")
by = segments[0] if segments else None  # the segment whose changes are tested
periods = list(pd.Index(pd.unique(answers[time])).sort_values())

# %% [markdown]
# ## 1. Weights to the customer base
#
# The answers are weighted so that, by region and by channel, they add up to the customer base:
# [raking](../docs/glossary.md#raking) (iterative proportional fitting) multiplies the weights of
# each category in turn by *target / achieved* until every margin fits. First, who answered
# against who the customers are (a ratio above 1: over-represented), and what the weights
# achieve:

# %%
if margins is not None:
    raked = rake_to_population(answers, margins, weight=weight)
    print(raked.summary())
    display(sample_vs_population(answers, margins, raked).round(3))
else:
    raked = None
    print(skipped("Weights to the customer base", raking_missing))

# %% [markdown]
# What do the weights do to the [NPS](../docs/glossary.md#nps) of all answers and to its
# interval? Three ways: unweighted; with the raked weights taken as fixed design weights; and
# calibration-aware, where the standard error uses the residuals of the answers on the raking
# margins, as R's `survey` package does for a raked design
# ([calibration](../docs/glossary.md#calibration)). All three treat the stores as clusters
# ([clustered standard errors](../docs/glossary.md#clustered-standard-errors)). On the synthetic
# tracker the last column is the true NPS, averaged over the months.

# %%
true_all = float(tracker.true_nps("all")["nps"].mean()) if synthetic else None
three = nps_three_ways(answers, score, calibration=raked, cluster=unit, weight=weight,
                       truth=true_all, level=level) if raked is not None else None
three.round(2) if three is not None else skipped("The NPS three ways", raking_missing)

# %%
if three is not None:
    un, fixed, cal = (three.iloc[i] for i in range(3))
    gap = (f" The truth is {true_all:.1f}: the unweighted NPS is {un['estimate'] - true_all:+.1f} "
           f"points off and its interval {'covers' if un['covers'] else 'misses'} it; the raked "
           f"NPS is {cal['estimate'] - true_all:+.1f} off and its interval "
           f"{'covers' if cal['covers'] else 'misses'} it." if synthetic else "")
    display(Markdown(
        f"**Common mistake: weights taken as fixed.** Raking moves the NPS from "
        f"{un['estimate']:.1f} to {cal['estimate']:.1f} ({data_label}).{gap} Taking the raked "
        f"weights as if they were fixed design weights gives a standard error of "
        f"{fixed['se']:.2f} against {cal['se']:.2f} calibration-aware "
        f"({fixed['se'] / cal['se'] - 1:+.0%}): the margins are known, so the part of the "
        "variance they explain is not sampling error. Pass the raking result as "
        "`calibration=` (`cx.nps`, `cx.by_segment`, `cx.compare_waves`) rather than its "
        "weights as `weights=`; and never report the unweighted NPS of a sample that is not a "
        "fair one."))

# %% [markdown]
# ## 2. The design effect and the effective n
#
# Unequal weights cost precision: Kish's [design effect](../docs/glossary.md#design-effect) of
# the weights, $n \sum w^2 / (\sum w)^2$, says how many times larger the variance is than with
# equal weights, and the [effective sample size](../docs/glossary.md#effective-sample-size)
# $n_{eff} = (\sum w)^2 / \sum w^2$ how many equally weighted answers they are worth. The
# stores add their own design effect (customers of one store are alike), shown beside it.

# %%
if raked is not None:
    overall = cx.nps(answers[score], calibration=raked,
                     cluster=answers[unit] if unit else range(len(answers)), level=level)
    design = pd.DataFrame([
        {"source": "the weights (Kish)", "n": raked.n, "design_effect": raked.design_effect,
         "n_eff": raked.n_eff},
        {"source": "weights, calibration and " + (f"clusters ({unit})" if unit else
                                                    "independent answers"),
         "n": overall.n, "design_effect": overall.design_effect, "n_eff": overall.n_eff}])
    display(design.round(2))
    design_finding = Finding(
        f"**Design effect**: the raking weights alone have a Kish design effect of "
        f"{raked.design_effect:.2f}, so the {raked.n:,} answers are worth {raked.n_eff:,.0f} "
        f"equally weighted ones; with the calibration and "
        + (f"the {answers[unit].nunique()} {unit} clusters" if unit else "independent answers")
        + f" the NPS's design effect is {overall.design_effect:.2f} (effective n "
          f"{overall.n_eff:,.0f}).", False, kind="check").labelled(data_kind)
    display(design_finding)
else:
    design_finding = None
    print(skipped("The design effect of the weights", raking_missing))

# %% [markdown]
# ## 3. Which month-on-month changes are real?
#
# `cx.compare_waves` compares every pair of consecutive months in each segment. The same stores
# answer every month, so the two months' estimates are correlated; the standard error of the
# change uses that covariance (R `survey`'s `svyglm(y ~ factor(month))` on the raked, clustered
# design). Every change is tested, a [Holm adjustment](../docs/glossary.md#holm-adjustment) over
# all of them (the changes and the trends) keeps the chance of any false alarm at `1 - level`,
# and a change whose months have fewer than `min_n` answers is suppressed, not tested. The
# `trend` rows are each segment's linear trend (`change`: the change per month).

# %%
wave_args = dict(cluster=unit, level=level, adjust=adjust, min_n=min_n)
if raked is not None:
    wave_args["calibration"] = raked
else:
    wave_args["weights"] = weight
waves = cx.compare_waves(answers, score, time, by=by, trend=True, **wave_args)
shown = [*([by] if by else []), "contrast", "time_from", "time_to", "estimate_from",
         "estimate_to", "change", "ci_low", "ci_high", "p_adjusted", "n_from", "n_to", "flag"]
with pd.option_context("display.max_rows", 80):
    display(waves[shown].round(1).assign(p_adjusted=waves["p_adjusted"].round(3)))

# %%
wave_conclusions = Conclusions(
    wave_findings(waves, by, level=level, period=time,
                  adjust={"holm": "Holm", "bh": "Benjamini-Hochberg"}.get(adjust, "no")),
    heading="Which changes hold", data_kind=data_kind)
wave_conclusions

# %% [markdown]
# Segments crossed with each other make small cells. By the first two segments, every change
# whose months have fewer than `min_n` answers is suppressed (its estimates hidden, not
# tested), whatever its size:

# %%
if len(segments) >= 2:
    cells = cx.compare_waves(answers, score, time, by=segments[:2], **wave_args)
    display(cells.assign(suppressed=cells["flag"].eq("suppressed"))
            .groupby(segments[1])
            .agg(changes=("flag", "size"), suppressed=("suppressed", "sum"),
                 smallest_n=("n_from", "min")))
else:
    print(skipped("Small cells by two segments", ["the data have fewer than two segments"]))

# %% [markdown]
# ## 4. The trend with its band
#
# Each segment's NPS by month (raked, with intervals), its straight trend line, and the band of
# trend lines whose slopes lie in the slope's interval. The grey crosses are the bare
# unweighted NPS a dashboard would plot; on the synthetic tracker the dashed line is the truth.

# %%
by_time = [*([by] if by else []), time]
monthly = cx.by_segment(answers, by_time, "nps", score, cluster=unit, min_n=min_n, level=level,
                        **({"calibration": raked} if raked is not None else
                           {"weights": weight}))
band = trend_band(waves, periods, by)
bare = bare_by_period(answers, score, time, by)
truth_lines = tracker.true_nps(by) if synthetic else None
fig = plot_tracker(monthly, band, time, by, truth=truth_lines, bare=bare)
trends = waves[waves["contrast"] == "trend"]
save_figure(
    fig, "12_monthly_nps_trend", data=monthly.drop(columns=["note"], errors="ignore"),
    caption=(f"Monthly NPS {'by ' + by if by else ''} ({data_label}"
             + (", a simulated tracker" if synthetic else "") + "), "
             + ("raked to the customer base" if raked is not None else "not raked")
             + f", with {level:.0%} intervals"
             + (f" treating {unit} as clusters" if unit else "")
             + "; the line is the linear trend, the band the trends whose slope lies in its "
               "interval; grey crosses the bare unweighted NPS"
             + (f"; dashed, the true NPS (a real change of {effect:+g} points in "
                f"{tracker.change_region} from month {tracker.change_month})" if synthetic
                else "") + "."),
    alt_text=tracker_alt_text(monthly, trends, time, by, data_label=data_label, level=level,
                              truth=synthetic),
    source="12_tracking_cx_over_time", evidence="synthetic" if synthetic else "user",
)
plt.show()

# %% [markdown]
# ## 5. What a chart without intervals would have made analysts do
#
# A dashboard of bare monthly scores reports a "move" whenever a segment's NPS changes by
# `move_threshold` points or more. Below, how many such moves it would have reported, against
# how many changes hold with the design-based intervals and Holm, and (synthetic tracker) how
# many of each are real.

# %%
moves = naive_moves(answers, score, time, by, threshold=move_threshold)
check = dashboard_check(moves, waves, by, level=level,
                        truth=tracker.true_changes(by) if synthetic and by else None)
counts = dashboard_counts(check, threshold=move_threshold)
counts

# %%
naive_row, held_row = counts.iloc[0], counts.iloc[1]
false_part = (f", {naive_row['false_alarms']} of them false alarms (the truth changes in "
              f"{int(check['real'].sum())} of the {len(check)})" if "real" in counts else "")
display(Markdown(
    f"**Common mistake: reading every move of a bare chart.** A dashboard without intervals "
    f"would have reported {naive_row['changes']} moves of {move_threshold:g} points or more "
    f"among {naive_row['of']} {time}-on-{time} changes ({data_label}){false_part}; each would "
    f"have sent someone to explain it. With intervals that respect the stores and a Holm "
    f"adjustment, {held_row['changes']} {'holds' if held_row['changes'] == 1 else 'hold'}"
    + (f" ({held_row['false_alarms']} false alarms)" if "real" in counts else "")
    + ". Test a change before explaining it, and show the interval on the chart."))

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The findings below are generated from the tables above, each labelled with the data it rests
# on; on the synthetic tracker they are checked against the truth (which region's real change
# was found, and the false alarms among the other changes).

# %%
level_findings = []
if three is not None:
    level_findings.append(Finding(
        f"**NPS of all answers**: {cal['estimate']:.1f} raked ({level:.0%} CI "
        f"{cal['ci_low']:.1f} to {cal['ci_high']:.1f}), against {un['estimate']:.1f} unweighted."
        + (f" The true NPS is {true_all:.1f}." if synthetic else ""), False, kind="level"))
truth_check = truth_findings(check, by, level=level) if synthetic and by else ()
Conclusions(
    (*level_findings, *((design_finding,) if design_finding else ()),
     *wave_conclusions.findings, *truth_check),
    heading="What this notebook shows", data_kind=data_kind)

# %%
caveats = [
    "A change that holds says the NPS moved; it does not say why. A campaign, a new store "
    "format or a change in who answers are all candidates.",
    "Raking corrects for who answers only along the margins it is given: customers who do not "
    "answer differ in other ways too (a bias within each category of the margins stays).",
    "The trend line is a straight line: a step (a change that happened once) is spread over "
    "the whole period.",
]
if raked is None:
    caveats.insert(0, "The answers were not weighted to the customer base: "
                   + "; ".join(raking_missing) + ".")
if synthetic:
    caveats.append("The tracker is simulated: the stores, channels and the size of the change "
                   "are assumptions, chosen to show the method.")
Markdown("\n".join(f"- {c}" for c in caveats))

# %% [markdown]
# ## Exercises
#
# Answer each in the cell under it: replace `None` with your answer and run the cell. The
# solution is folded under it (in JupyterLab click the collapsed cell; on the site, "Solution").
# Exercise 12.2 asks you to predict: check your prediction by rerunning the notebook with
# `-p effect=0`.

# %% [markdown]
# **Exercise 12.1.** Rake the synthetic tracker of notebook 12 (simulate_tracker(seed=0) from
# cxresearch.simulate.tracker) to its population margins: cx.rake(t.data, t.margin_dict()). What
# is Kish's design effect of the raked weights? Two decimals.

# %%
cx.exercises.check("12.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: Kish's design effect n sum(w^2) / sum(w)^2 of the raked weights (section 2)
base = simulate_tracker(seed=0)
answer = round(cx.rake(base.data, base.margin_dict()).design_effect, 2)
cx.exercises.check("12.1", answer)

# %% [markdown]
# **Exercise 12.2.** Predict: rerun the synthetic tracker of notebook 12 (simulate_tracker(seed=0)
# from cxresearch.simulate.tracker) with no real change, simulate_tracker(effect=0, seed=0), rake
# it and compare the months by region with the stores as clusters and Holm
# (cx.compare_waves(t.data, 'ltr', 'month', by='region', cluster='store_id',
# calibration=raked)). How many of the month-on-month changes by region hold at the 5% level?

# %%
cx.exercises.check("12.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the tracker without its change, raked; count the changes that hold after Holm
null = simulate_tracker(effect=0, seed=0)
null_waves = cx.compare_waves(null.data, "ltr", "month", by="region", cluster="store_id",
                              calibration=cx.rake(null.data, null.margin_dict()))
answer = int((null_waves["flag"].eq("") & (null_waves["p_adjusted"] < 0.05)).sum())
cx.exercises.check("12.2", answer)

# %% [markdown]
# **Exercise 12.3.** On the synthetic tracker of notebook 12 (simulate_tracker(seed=0) from
# cxresearch.simulate.tracker), raked and with the stores as clusters: is the standard error of
# the NPS of all answers larger when the raked weights are taken as fixed design weights
# (cx.nps(..., weights=raked.weights, cluster=...)) or when it is calibration-aware
# (cx.nps(..., calibration=raked, cluster=...))?

# %%
cx.exercises.check("12.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the two standard errors of section 1's table, on the tracker of seed 0
base = simulate_tracker(seed=0)
base_raked = cx.rake(base.data, base.margin_dict())
se_fixed = cx.nps(base.data["ltr"], weights=base_raked.weights, cluster=base.data["store_id"]).se
se_cal = cx.nps(base.data["ltr"], calibration=base_raked, cluster=base.data["store_id"]).se
answer = "taken as fixed" if se_fixed > se_cal else "calibration-aware"
cx.exercises.check("12.3", answer)
