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
# # Start here: what cxresearch examines, and how to rerun it
#
# **cxresearch** is a set of numbered research notebooks backed by a small, tested Python
# package (`cxresearch/`). Together they examine who should own customer experience (CX),
# whether a customer-centric culture pays off, and how CX is measured, with every number
# reproducible from a fresh clone.
#
# ## The questions
#
# 1. **Is customer experience everyone's job, or a dedicated leader's?** Firms differ in who owns
#    CX: a dedicated leader (a CXO or CCO), the CEO, COO or CMO, or nobody in particular
#    ("everyone's job"). Do outcomes differ by ownership model, and do they change after a firm
#    appoints a CX leader? (notebooks 06 and 11)
# 2. **Does employee experience drive customer experience?** The service-profit chain
#    (Heskett et al. 1994) says engaged employees make satisfied customers, who make revenue.
#    Schneider et al. (2003) found that for some attitudes performance comes first. (notebook 05)
# 3. **Do CX-leading firms win on revenue, cost to serve and engagement?** *CX-leading firms*
#    are firms that do better on CX than their peers; that is not the same as *firms with a CX
#    executive* (question 1), and the notebooks keep the two apart. Notebook 05 §6 treats
#    firm-level CX as a continuous predictor of outcomes (associations between firms, synthetic
#    data). A separate question: how large is the gap between saying CX is a priority and
#    funding it? (notebook 06)
# 4. **How is CX measured, and how sure can we be?** NPS, CSAT and CES with honest intervals
#    (01), how reliable and how distinct the culture and engagement scales are (02),
#    satisfaction-index models (03) and key-driver analysis (04).
#
# ## How the notebooks are organised
#
# | notebook | what it does | data |
# |---|---|---|
# | `00_start_here` | this overview and a worked example | illustrative counts |
# | `01_measuring_cx` | NPS, CSAT, CES, top-box with intervals; sample sizes | CMS patient experience (real), synthetic responses |
# | `02_culture_and_engagement_scales` | reliability, factor models, invariance, and what failure looks like | synthetic employee survey; IBM HR items (fictional, by IBM) |
# | `03_satisfaction_index_model` | an ECSI/ACSI-style PLS path model | synthetic survey with known paths |
# | `04_key_drivers` | relative weights and Shapley/LMG with intervals, against betas and correlations | synthetic survey; mtcars as a check |
# | `05_linkage_ex_cx_outcomes` | employee experience → customer experience → outcomes | synthetic study; fictional (IBM HR, IBM telco) and artificial (MLC++ churn) public data |
# | `06_who_owns_cx` | ownership models, "doing both", the say/do gap | synthetic study |
# | `07_the_data` | the synthetic study, the real data sets, reading your own exports | synthetic study; package data |
# | `08_which_metric` | which metric predicts churn, spend, referrals and growth; what the NPS cut costs; the metrics–culture loop | synthetic study and simulations; AER lake visitors (real, limited) |
# | `09_coding_open_answers` | who should drive CX? coding open answers, agreement, shares with simultaneous intervals | synthetic poll |
# | `10_cx_job_titles` | do CX-titled postings mention the customer? a validated content-analysis protocol | synthetic postings |
# | `11_appointing_a_cx_leader` | what changes after a CX leader is appointed: the event study, its threats, one firm's appointment, power | synthetic study |
# | `12_tracking_cx_over_time` | did NPS really change this month, and where? raking to the customer base, month-on-month changes with intervals, Holm and small cells, a trend with its band | synthetic monthly tracker |
#
# Every notebook keeps its logic in the package (`cxresearch/`, unit-tested against published
# values and simulations with a known answer); the notebooks tell the story. **Synthetic** data
# are labelled as such wherever they appear: no public data link firms' CX ownership, culture
# and outcomes, so the studies use a simulation whose true effects are known, beside real data
# wherever real data exist.
#
# ## Where to go next
#
# - **Students**: the learning path on the report site (`make site`, then *Learning path*)
#   orders the notebooks for a course, starting with 07 (the data); each notebook opens with
#   its learning goals and ends with exercises whose answers `cx.exercises.check` marks. The
#   README's *For students* section says how to work on a copy without touching the project.
#   Terms are explained in the [glossary](../docs/glossary.md).
# - **Writers**: the *claims ledger* (README, and the site's *Claims* page) says, for each
#   question, where it is examined, with what evidence and what may safely be said; the site's
#   gallery has every figure with caption, alt text and data.
# - **Analysts**: the next section, and `python -m cxresearch check DATA_DIR`.

# ## Rerunning a study on your own data
#
# Every notebook starts with a `parameters` cell. To rerun all studies on your own survey
# exports (CSV, Excel or SPSS), put them in a folder and run
#
# ```
# python -m cxresearch run -p data_dir=path/to/exports
# ```
#
# Your files are validated first (wrong scales, text in numeric columns, duplicate respondent
# IDs and missing columns are reported by column and row); they are never modified. The executed
# notebooks and their figures go to `runs/`, so the committed record is not overwritten.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 00 -p promoters=120 ...).
# An illustrative example (made-up counts, not a published study): the counts of promoters
# (9-10), passives (7-8) and detractors (0-6) in one survey, and in a small survey whose answers
# are almost all promoters, where the interval methods differ.
promoters = 291
passives = 476
detractors = 395
small_counts = (28, 2, 0)  # promoters, passives, detractors of the small survey
level = 0.95

# %% [markdown]
# ## A worked example: an NPS with an honest interval
#
# The Net Promoter Score is the percentage of promoters minus the percentage of detractors, so it
# runs from −100 to 100. A bare NPS hides how uncertain it is; the package reports it with a
# confidence interval. Here the Wald interval uses the trinomial variance
# $[p + d - (p - d)^2]/n$, and the adjusted Wald interval adds ¾ of a promoter, ¾ of a detractor
# and 3 answers before applying it (Rocks 2016), which covers better in small samples. The counts
# are illustrative (made up for this example). With many answers the two methods agree; in a
# small survey near the top of the scale they do not.

# %%
import pandas as pd

from cxresearch import nps_from_counts

examples = {"example": (promoters, passives, detractors), "small survey": small_counts}
table = pd.concat(
    [
        nps_from_counts(*counts, method=method, level=level).to_frame()
        .assign(sample=sample, method=method)
        for sample, counts in examples.items()
        for method in ("wald", "adjusted_wald")
    ],
    ignore_index=True,
)[["sample", "method", "estimate", "se", "ci_low", "ci_high", "n"]]
table.round(2)

# %% [markdown]
# ### The intervals, drawn
#
# One bar per survey where the two methods agree to half a point, otherwise one per method.

# %%
import matplotlib.pyplot as plt

from cxresearch import FIGSIZE, save_figure, use_style

use_style()
method_labels = {"wald": "Wald", "adjusted_wald": "adjusted Wald"}
bounds = table.set_index(["sample", "method"])[["ci_low", "ci_high"]]
# one bar per sample where the two methods agree to 0.5 points, otherwise one per method
agree = {s: bool((bounds.loc[(s, "wald")] - bounds.loc[(s, "adjusted_wald")]).abs().max() < 0.5)
         for s in examples}
shown = table[[not (agree[s] and m == "wald") for s, m in zip(table["sample"], table["method"])]]
labels = [f"{n:,} answers, " + ("both methods" if agree[s] else method_labels[m])
          for s, m, n in zip(shown["sample"], shown["method"], shown["n"])]
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.errorbar(x=shown["estimate"], y=labels, fmt="o", capsize=4,
            xerr=[shown["estimate"] - shown["ci_low"], shown["ci_high"] - shown["estimate"]])
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlim(-105, 105)
ax.set_xlabel("Net Promoter Score (−100 to 100)")
ax.set_ylabel("")
ax.set_title(f"Two illustrative NPS, {level:.0%} CI")
ax.set_ylim(-0.6, len(shown) - 0.4)
small = table[table["sample"] == "small survey"].set_index("method")
big = table[table["sample"] == "example"].set_index("method")
saved = save_figure(
    fig,
    "00_worked_example_nps_interval",
    data=table,
    caption=(
        f"Net Promoter Score from illustrative (made-up) counts: {promoters} promoters, "
        f"{passives} passives and {detractors} detractors, and a small survey of "
        f"{int(small['n'].iloc[0])} answers ({small_counts[0]} promoters, {small_counts[1]} "
        f"passives, {small_counts[2]} detractors), with Wald and adjusted-Wald {level:.0%} "
        "intervals; where the two agree to half a point one bar is shown."
    ),
    alt_text=(
        f"Error bars: {int(big['n'].iloc[0]):,} answers give NPS "
        f"{big.loc['adjusted_wald', 'estimate']:.0f} "
        f"({big.loc['adjusted_wald', 'ci_low']:.0f} to {big.loc['adjusted_wald', 'ci_high']:.0f}"
        f"{', both methods' if agree['example'] else ', adjusted Wald'}); "
        f"{int(small['n'].iloc[0])} answers give {small.loc['wald', 'estimate']:.0f}, Wald "
        f"{small.loc['wald', 'ci_low']:.0f} to {small.loc['wald', 'ci_high']:.0f}, adjusted Wald "
        f"{small.loc['adjusted_wald', 'ci_low']:.0f} to {small.loc['adjusted_wald', 'ci_high']:.0f}."
    ),
    source="00_start_here",
)
plt.show()

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The sentences below are written from the numbers above, so they stay true when the notebook
# is rerun with other counts (`-p promoters=... -p passives=... -p detractors=...`).

# %%
from cxresearch import Conclusions, Finding, level_sentence

# the counts are made up unless they were passed as parameters (then they are the user's)
data_kind = ("fictional" if ((promoters, passives, detractors), small_counts)
             == ((291, 476, 395), (28, 2, 0)) else "user")
adj, sw, sa = big.loc["adjusted_wald"], small.loc["wald"], small.loc["adjusted_wald"]
Conclusions(
    (level_sentence(f"NPS of {int(adj['n']):,} answers (adjusted Wald)", adj["estimate"],
                    adj["ci_low"], adj["ci_high"], level=level),
     Finding(f"**NPS of {int(sa['n'])} answers**: {sa['estimate']:.1f}; the Wald interval runs "
             f"from {sw['ci_low']:.1f} to {sw['ci_high']:.1f}"
             + (", cut off at the top of the scale" if sw["ci_high"] >= 100 else "")
             + f", the adjusted Wald interval from {sa['ci_low']:.1f} to {sa['ci_high']:.1f}"
             + (f" ({(sa['ci_high'] - sa['ci_low']) / (sw['ci_high'] - sw['ci_low']):.1f} "
                "times as wide): with few answers the method matters."
                if not agree["small survey"] else ": here the two methods agree."),
             False, kind="level")),
    heading="What the illustrative counts show", data_kind=data_kind,
)

# %% [markdown]
# The interval is the honest size of what one sample can tell: a score is credibly above or
# below zero only when its interval excludes zero. It does **not** say why customers answered
# as they did, whether the score will move, or how it compares with another segment: comparing
# two scores needs the interval of their difference (notebook 01). The remaining notebooks take
# the questions above one at a time; the claims ledger says what each can support.
