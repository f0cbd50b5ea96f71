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
# # 09 · Who should drive CX? Coding open answers with honest uncertainty
#
# A practitioner asked her network who should drive customer experience. More than 110 open
# answers came back and they were "all over the map": the CEO, the COO, the CMO, a chief
# customer officer, "everyone", and "it depends on the person, not the title". Reading such a
# poll well is a measurement problem in three parts:
#
# 1. **turning open text into categories reliably**: a coding frame with definitions and
#    decision rules, two coders, and chance-corrected agreement
#    ([Cohen's kappa](../docs/glossary.md#kappa),
#    [Krippendorff's alpha](../docs/glossary.md#krippendorff-alpha));
# 2. **honest uncertainty on the shares**: seven shares from about 110 answers, with intervals
#    that hold for all seven at once;
# 3. **what a self-selected poll cannot say**: the intervals describe the people who chose to
#    answer, not CX professionals at large; a simulation shows how far self-selection can move
#    the shares.
#
# The answers here are **synthetic**: about 110 made-up answers written by a documented,
# seeded generator (`cxresearch.simulate.poll`), not the real poll and no real person's words.
# The logic lives in `cxresearch.text.coding`, tested against scikit-learn, statsmodels, the
# `krippendorff` package and published worked examples. To run the notebook on your own poll
# export, see the parameters cell.

# %% [markdown]
# **After this notebook you can**
#
# - write a coding frame with decision rules, and measure two coders' reliability with Cohen's
#   kappa and Krippendorff's alpha, each with an interval
# - say why percent agreement flatters, and predict what one dominant code does to kappa
# - put simultaneous intervals on a set of shares, and say how many answers a sharper picture
#   needs
# - say what a self-selected poll cannot tell you, and why more answers do not cure it

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 09 -p data_dir=poll.csv).
data_dir = None  # None: a synthetic poll made on the fly (seeded); a CSV or folder: your export
seed = 0  # seed of the synthetic poll, the bootstrap and the simulation
n_boot = 2000  # bootstrap and simulation replications
level = 0.95  # confidence level of every interval (simultaneous for the shares)
n_answers = 110  # answers in the synthetic poll (ignored with data_dir)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import cxresearch as cx
from cxresearch import (
    FIGSIZE, about_synthetic, Conclusions, Finding, level_sentence, save_figure, use_style,
)
from cxresearch.simulate.poll import (
    DEFAULT_SCENARIOS, DEFAULT_SHARES, simulate_poll, simulate_self_selection,
)

use_style()
synthetic = data_dir is None
poll = simulate_poll(n=n_answers, seed=seed) if synthetic else cx.read_coded_answers(data_dir)
source_label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the poll's results rest on
poll_name = "the synthetic poll" if synthetic else "your poll"
frame = cx.WHO_DRIVES_CX
coders = [c for c in ("coder_1", "coder_2") if c in poll and poll[c].notna().any()]
print(f"{len(poll)} answers ({source_label}), coded by {len(coders)} coder(s)")

# %% [markdown]
# ## The coding frame
#
# Categories have to be defined, with decision rules for the borderline answers, *before*
# anyone codes, or two coders will each invent their own. The frame follows the answers the
# practitioner reported, plus "Other"; the examples are made up.
#
# A CSV export of your own poll needs a column `answer` and a column `coder_1` with these codes
# (the keys below, or the labels in any case); `coder_2` (a second coder, possibly for a subset
# of answers), `adjudicated` (the agreed code where the coders differ) and `answer_id` are
# optional.

# %%
frame.to_frame().set_index("code")

# %% [markdown]
# ## The answers
#
# The first answers and the two coders' codes (**synthetic** unless `data_dir` is set).

# %%
poll[["answer_id", "answer", *coders]].head(8)

# %% [markdown]
# ## Do two coders agree?
#
# Raw agreement flatters: two coders who guessed would still agree on the common categories.
# The cross-table shows where they part; kappa and alpha remove the agreement expected by
# chance. Usual readings: kappa of .61-.80 is "substantial" (Landis & Koch 1977); Krippendorff
# (2004) accepts alpha ≥ .800 and, for tentative conclusions only, ≥ .667.

# %%
two_coders = len(coders) == 2 and poll[coders].dropna().shape[0] >= 2
cx.agreement_table(poll) if two_coders else print("one coder only: no agreement to measure")

# %%
if two_coders:
    kappa = cx.cohen_kappa(poll["coder_1"], poll["coder_2"], level=level)
    alpha = cx.krippendorff_alpha(poll[coders].T, level=level, n_boot=n_boot, seed=seed)
    agreement = pd.concat([kappa.to_frame(), alpha.to_frame()], ignore_index=True)[
        ["statistic", "estimate", "ci_low", "ci_high", "method", "observed_agreement",
         "n_units"]].round(3)
else:
    agreement = ("With one coder, reliability is unknown: have a second person code a random "
                 "30 or more answers blind, then rerun.")
agreement

# %% [markdown]
# How much of the raw agreement would two coders reach by chance? Chance agreement p_e is the
# agreement of two coders who assign codes at random with the code frequencies these coders
# used: the sum over codes of the product of the two coders' shares.

# %%
from IPython.display import Markdown, display

if two_coders:
    both = poll[coders].dropna()
    p_o = float((both["coder_1"] == both["coder_2"]).mean())
    p_e = float((both["coder_1"].value_counts(normalize=True)
                 * both["coder_2"].value_counts(normalize=True)).sum())
    display(Markdown(
        "**Common mistake: percent agreement as reliability.** The two coders give the same "
        f"code to {p_o:.1%} of the answers ({kind} data), but two coders who assigned codes at "
        f"random with the same frequencies would agree on {p_e:.1%} by chance alone. Cohen's "
        f"kappa counts only the agreement beyond chance: (p_o − p_e) / (1 − p_e) = "
        f"{kappa.estimate:.3f}. When one code dominates, chance agreement is high and raw "
        "agreement looks good even for careless coders (exercise 09.3). Report kappa or "
        "alpha with its interval, and raw agreement only beside it."))
else:
    print("one coder only: no agreement, raw or chance-corrected")

# %% [markdown]
# ## Each function beside its reference
#
# The package's estimators give the same numbers as independent implementations and
# published worked examples (the unit tests check many more cases).

# %%
cx.reference_checks(poll).round(4)

# %% [markdown]
# ## How disagreements are resolved
#
# The two coders code independently; where they differ, they compare their codes with the
# frame's decision rules and an adjudicator (a third person, or the pair after discussion)
# records the final code in `adjudicated`. Every final code keeps how it was reached; an
# unadjudicated disagreement stays visible as "unresolved" rather than being guessed.

# %%
final = cx.resolve_codes(poll)
final["resolution"].value_counts().rename("answers").to_frame()

# %%
shown = ["answer", *coders, "code"]
final.loc[final["resolution"] != "agreed", shown].head(8)

# %% [markdown]
# ## The shares, with intervals that hold together
#
# Reading seven shares at once is seven estimates. One-at-a-time 95% intervals would all hold
# together far less often than 95% of the time; simultaneous intervals (Sison & Glaz 1995,
# good with small counts; Goodman 1965) are wider and honest about the whole picture.

# %%
shares = cx.code_shares(final, method="sison_glaz", level=level)
shares[["label", "count", "estimate", "ci_low", "ci_high"]].round(3)

# %% [markdown]
# How much wider are simultaneous intervals than one-at-a-time (Wilson) intervals? The median
# half-width per method, in percentage points:

# %%
methods = ["wilson", "goodman", "sison_glaz"]
compare = pd.concat([cx.code_shares(final, method=m, level=level) for m in methods])
compare["half_width"] = 100 * (compare["ci_high"] - compare["ci_low"]) / 2
compare.groupby("method", sort=False)[["half_width"]].median().round(1).T

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
order = shares.sort_values("estimate")
y = np.arange(len(order))
wilson = compare[compare["method"] == "wilson"].set_index("category").loc[order["category"]]
ax.errorbar(100 * order["estimate"], y + 0.15, fmt="o", capsize=3,
            xerr=[100 * (order["estimate"] - order["ci_low"]),
                  100 * (order["ci_high"] - order["estimate"])],
            label=f"simultaneous {level:.0%} (Sison-Glaz)")
ax.errorbar(100 * wilson["estimate"], y - 0.15, fmt="s", markersize=3, capsize=2,
            elinewidth=0.8, xerr=[100 * (wilson["estimate"] - wilson["ci_low"]),
                                  100 * (wilson["ci_high"] - wilson["estimate"])],
            label=f"one at a time {level:.0%} (Wilson)")
ax.set_yticks(y, labels=order["label"])
ax.set_xlim(0, None)
ax.set_xlabel("share of answers (%)")
ax.set_title(f"Who should drive CX? {len(final)} answers ({source_label})")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize="small")


def shares_alt_text(order, k):
    """Alt text from the numbers: which shares the simultaneous intervals cannot separate."""
    top = order.iloc[-1]
    rest = order.iloc[:-1]
    tied = rest[rest["ci_high"] >= top["ci_low"]]
    below = order[order["ci_high"] < 1 / k]["label"].tolist()
    return (f"Dot plot of {len(order)} shares with simultaneous and one-at-a-time intervals. "
            f"The largest point estimate is '{top['label']}' ({100 * top['estimate']:.0f}%); "
            + (f"{len(tied)} of the other {len(rest)} simultaneous intervals overlap its "
               "interval, so no largest share is established" if len(tied) else
               "its simultaneous interval overlaps no other")
            + (f"; credibly below an equal split: {', '.join(below)}." if below else "."))


save_figure(
    fig, "09_poll_shares",
    data=compare[["method", "category", "label", "count", "n", "estimate", "ci_low", "ci_high"]],
    caption=(f"{'Synthetic' if synthetic else 'User'} data: shares of {len(final)} coded open "
             f"answers to 'who should drive customer experience?', with simultaneous "
             f"Sison-Glaz {level:.0%} intervals and, below each, the narrower one-at-a-time "
             "Wilson intervals. The intervals describe the people who answered, not a "
             "population."),
    alt_text=shares_alt_text(order, len(order)),
    source="09_coding_open_answers",
)
plt.show()

# %% [markdown]
# ## How many answers would a tighter picture need?
#
# For one share, ±5 points needs 385 answers; for *every* share within ±5 points at once,
# Thompson's (1987) worst case needs 510, whatever the number of categories.

# %%
cx.sample_size_shares_table(k=len(shares), level=level)

# %% [markdown]
# ## What a self-selected poll cannot say
#
# The poll reached the practitioner's network, and people chose whether to answer. The
# intervals above count only sampling error among *those* people. If people of one view answer
# more readily (CX leaders keen to argue for a chief customer officer, say), the poll estimates
# the respondents' shares, which differ from the population's by an amount no interval shows.
# The simulation takes illustrative **synthetic** population shares, lets views answer at
# different rates, and draws `n_boot` polls of 110 and of 1,000 answers.

# %%
selection = simulate_self_selection(DEFAULT_SHARES, n=(110, 1000), n_boot=n_boot, level=level,
                                    seed=seed)
selection.pivot_table(index="scenario", columns="n", values="all_covered", sort=False).round(3)

# %% [markdown]
# The table gives the share of simulated polls whose simultaneous intervals cover *every*
# population share. Without self-selection it is about 95% (Goodman intervals, used here for
# speed, run a little below nominal with small counts); with it, coverage collapses, and more
# answers make it worse: the intervals shrink around the wrong values. Where each scenario
# moves the shares:

# %%
shift = selection[selection["n"] == 110].pivot_table(index="category", columns="scenario",
                                                     values="shift", sort=False)
(100 * shift.rename(index=frame.labels)).round(1)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
s110 = selection[selection["n"] == 110]
cats = list(DEFAULT_SHARES)
y = np.arange(len(cats))
ax.scatter(100 * np.array([DEFAULT_SHARES[c] for c in cats]), y, color="black", marker="|",
           s=200, label="population (assumed)", zorder=3)
scenarios = [s for s in s110["scenario"].unique() if s != "no self-selection"]
for i, (name, marker) in enumerate(zip(scenarios, "os^", strict=False)):
    part = s110[s110["scenario"] == name].set_index("category").loc[cats]
    ax.scatter(100 * part["respondent_share"], y + 0.18 * (i - 1), s=18, marker=marker,
               label=name)
ax.set_yticks(y, labels=[frame.labels[c] for c in cats])
ax.invert_yaxis()
ax.set_xlabel("share (%)")
ax.set_title("Synthetic: what self-selection does to a poll's shares")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=1, fontsize="small")
worst = s110.loc[s110["shift"].abs().idxmax()]
save_figure(
    fig, "09_self_selection",
    data=selection,
    caption=("Synthetic simulation: assumed population shares of views on who should drive CX "
             "(black ticks) and the shares among respondents when people of one view answer "
             "at a different rate (dots, three illustrative scenarios). A poll estimates the "
             "dots, not the ticks, and its intervals do not show the gap."),
    alt_text=(f"Dot plot, synthetic: assumed population shares (ticks) and respondents' shares "
              "under three self-selection scenarios (dots). Largest gap: "
              f"'{frame.labels[worst['category']]}', {100 * worst['population_share']:.0f}% "
              f"against {100 * worst['respondent_share']:.0f}%."),
    source="09_coding_open_answers",
)
plt.show()

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The sentences below are generated from the numbers above, so they stay true when the
# notebook is rerun on another poll.

# %%
k = len(shares)
equal = f"an equal split ({100 / k:.1f}%)"
findings = [level_sentence(f"Share coded '{r['label']}' in {poll_name} (%, simultaneous "
                           "interval)",
                           100 * r["estimate"], 100 * r["ci_low"], 100 * r["ci_high"],
                           reference=100 / k, reference_name=equal, level=level)
            for _, r in shares.sort_values("estimate", ascending=False).iterrows()]
if two_coders:
    findings.append(level_sentence("Krippendorff's alpha of the two coders", alpha.estimate,
                                   alpha.ci_low, alpha.ci_high, reference=0.667,
                                   reference_name="0.667 (Krippendorff's floor for tentative "
                                   "conclusions)", level=level, digits=2))
tilted = selection[selection["scenario"] != "no self-selection"].groupby("n")["all_covered"]
rate_ratio = max(max(v, 1 / v) for rates in DEFAULT_SCENARIOS.values() for v in rates.values())
largest_shift = 100 * selection.loc[selection["n"] == 110, "shift"].abs().max()
findings.append(Finding(
    f"In the self-selection simulation, when one view answers up to {rate_ratio:.0f} times as "
    f"often (or as rarely) as the others, a share moves by up to {largest_shift:.0f} points, "
    f"and the intervals of a poll of 110 cover every population share in at most "
    f"{100 * tilted.max()[110]:.0f}% of draws, of a poll of 1,000 in at most "
    f"{100 * tilted.max()[1000]:.0f}% (nominal: {level:.0%}): more answers do not cure "
    "self-selection.", False, kind="simulation").labelled("synthetic"))
if synthetic:
    truth = pd.Series(DEFAULT_SHARES)
    covered = int(((shares.set_index("category")["ci_low"] <= truth)
                   & (truth <= shares.set_index("category")["ci_high"])).sum())
    findings.append(about_synthetic(
        f"the final codes match the generator's true codes for "
        f"{int((final['code'] == poll['true_code']).sum())} of {len(final)} answers, and the "
        f"simultaneous intervals cover the generator's shares for {covered} of {k} codes.",
        synthetic))
Conclusions(tuple(findings), heading=f"The poll ({len(final)} answers)", data_kind=kind)

# %% [markdown]
# **What the method can establish.** With a written frame, two blind coders and an
# adjudication rule, open answers become categories whose reliability is measured, not
# assumed; simultaneous intervals then say which shares of *this set of respondents* are
# distinguishable, and how many answers a sharper picture would need.
#
# **What it cannot establish.**
#
# - *Who CX professionals at large think should drive CX.* A poll of one person's network,
#   answered by those who chose to, has no sampling frame and no response rate; its intervals
#   cover sampling error among respondents only. The simulation (its size is in the sentence
#   above) shows that a difference in who answers moves shares by more than any interval
#   shows, and that more answers do not help.
# - *Who should drive CX.* A share of opinions is not evidence about which ownership model
#   works; that question needs outcomes (notebooks 06 and 11, on synthetic data, show the methods).
# - *What the answers meant.* Codes compress text; "everyone" may mean shared accountability to
#   one respondent and no accountability to another. The frame's decision rules make the
#   compression explicit and repeatable, not lossless.
# - On the **synthetic** poll, every number is illustrative: the shares, the coder errors and
#   the self-selection scenarios are assumptions written into the generator.

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
# **Exercise 09.1.** What is Cohen's kappa of the two coders of the notebook's synthetic poll (`simulate_poll(n=110, seed=0)`)? Three decimals.

# %%
cx.exercises.check("09.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: kappa as in the agreement table (recomputed on the default poll, whatever data_dir).
default_poll = simulate_poll(n=110, seed=0)
answer = round(cx.cohen_kappa(default_poll["coder_1"], default_poll["coder_2"]).estimate, 3)
cx.exercises.check("09.1", answer)

# %% [markdown]
# **Exercise 09.2.** Two coders code 100 answers as 'everyone' or 'other'. They agree on 90: 80 both 'everyone' and 10 both 'other'; of the 10 disagreements, 5 are 'everyone' by the first coder and 'other' by the second, 5 the reverse. What is Cohen's kappa? Three decimals.

# %%
cx.exercises.check("09.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: write out the 100 pairs of codes; p_o = 0.90, p_e = 0.85² + 0.15².
first = ["everyone"] * 85 + ["other"] * 15
second = ["everyone"] * 80 + ["other"] * 5 + ["everyone"] * 5 + ["other"] * 10
answer = round(cx.cohen_kappa(first, second).estimate, 3)
cx.exercises.check("09.2", answer)

# %% [markdown]
# **Exercise 09.3.** Predict: the same two coders, just as accurate, code a poll in which one view dominates: 85% of respondents say 'everyone', each of the six other views 2.5% (`simulate_poll(n=110, seed=0, shares=...)`). Compared with the notebook's poll, does Cohen's kappa go up, down or stay the same?

# %%
cx.exercises.check("09.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: simulate the poll with one dominant view and compare raw agreement and kappa.
dominant = simulate_poll(n=110, seed=0, shares={c: 0.85 if c == "everyone" else 0.025
                                                for c in DEFAULT_SHARES})
kappas = {name: cx.cohen_kappa(p["coder_1"], p["coder_2"], level=level)
          for name, p in (("notebook's poll", default_poll), ("one dominant view", dominant))}
for name, k in kappas.items():
    print(f"{name}: raw agreement {k.observed_agreement:.3f}, kappa {k.estimate:.3f}")
answer = ("down" if kappas["one dominant view"].estimate < kappas["notebook's poll"].estimate
          else "up")
cx.exercises.check("09.3", answer)
