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
#    appoints a CX leader? (notebook 06)
# 2. **Does employee experience drive customer experience?** The service-profit chain
#    (Heskett et al. 1994) says engaged employees make satisfied customers, who make revenue.
#    Schneider et al. (2003) found that for some attitudes performance comes first. (notebook 05)
# 3. **Do CX-leading firms win on revenue, cost to serve and engagement?** *CX-leading firms*
#    are firms that do better on CX than their peers; that is not the same as *firms with a CX
#    executive* (question 1), and the notebooks keep the two apart. And how large is the gap
#    between saying CX is a priority and funding it? (notebooks 05 and 06)
# 4. **How is CX measured, and how sure can we be?** NPS, CSAT and CES with honest intervals
#    (01), reliable culture and engagement scales (02), satisfaction-index models (03) and
#    key-driver analysis (04).
#
# ## How the notebooks are organised
#
# | notebook | what it does | data |
# |---|---|---|
# | `00_start_here` | this overview and a worked example | a published worked example |
# | `01_measuring_cx` | NPS, CSAT, CES, top-box with intervals; sample sizes | CMS patient experience (real), synthetic responses |
# | `02_culture_and_engagement_scales` | reliability, factor models, invariance | synthetic employee survey; IBM HR items (fictional, by IBM) |
# | `03_satisfaction_index_model` | an ECSI/ACSI-style PLS path model | synthetic survey with known paths |
# | `04_key_drivers` | relative weights and Shapley/LMG with intervals | synthetic survey; mtcars as a check |
# | `05_linkage_ex_cx_outcomes` | employee experience → customer experience → outcomes | synthetic study; IBM HR, churn data |
# | `06_cx_leadership_and_governance` | ownership models, appointing a CX leader, the say/do gap | synthetic study |
# | `07_the_data` | the synthetic study, the real data sets, reading your own exports | synthetic study; package data |
# | `08_which_metric` | which metric predicts churn, spend, referrals and growth; what the NPS cut costs; the metrics–culture loop | synthetic study and simulations; AER lake visitors (real, limited) |
# | `09_coding_open_answers` | who should drive CX? coding open answers, agreement, shares with simultaneous intervals | synthetic poll |
# | `10_cx_job_titles` | do CX-titled postings mention the customer? a validated content-analysis protocol | synthetic postings |
#
# Every notebook keeps its logic in the package (`cxresearch/`, unit-tested against published
# values and simulations with a known answer); the notebooks tell the story. **Synthetic** data
# are labelled as such wherever they appear: no public data link firms' CX ownership, culture
# and outcomes, so the studies use a simulation whose true effects are known, beside real data
# wherever real data exist.
#
# ## The claims ledger: what the project can and cannot tell a writer
#
# Each question, where it is examined, with what kind of evidence, and what may safely be said.
# *Synthetic, known truth* means the bundled simulation: it shows whether a method recovers an
# effect that was put in by assumption, never whether that effect exists in real firms.

# %%
from IPython.display import Markdown

from cxresearch import ledger_markdown

Markdown(ledger_markdown())

# %% [markdown]
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
# A worked example: the counts of promoters (9-10), passives (7-8) and detractors (0-6)
# among 1,162 survey answers.
promoters = 291
passives = 476
detractors = 395
level = 0.95

# %% [markdown]
# ## A worked example: an NPS with an honest interval
#
# The Net Promoter Score is the percentage of promoters minus the percentage of detractors, so it
# runs from −100 to 100. A bare NPS hides how uncertain it is; the package reports it with a
# confidence interval. Here the Wald interval uses the trinomial variance
# $[p + d - (p - d)^2]/n$, and the adjusted Wald interval adds ¾ of a promoter, ¾ of a detractor
# and 3 answers before applying it (Rocks 2016), which covers better in small samples.

# %%
import pandas as pd

from cxresearch import nps_from_counts

table = pd.concat(
    [
        nps_from_counts(promoters, passives, detractors, method=method, level=level)
        .to_frame()
        .assign(method=method)
        for method in ("wald", "adjusted_wald")
    ],
    ignore_index=True,
)[["method", "estimate", "se", "ci_low", "ci_high", "n"]]
table.round(2)

# %% [markdown]
# ## The figure convention
#
# Every figure the project publishes goes through `cxresearch.report.figures.save_figure`, which writes
# a PNG and an SVG, the plotted data as CSV, and an entry with caption and alt text in
# `figures/manifest.json`. Rerunning gives identical files.

# %%
import matplotlib.pyplot as plt

from cxresearch import FIGSIZE, save_figure, use_style

use_style()
method_labels = {"wald": "Wald", "adjusted_wald": "adjusted Wald"}
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.errorbar(
    x=table["estimate"],
    y=table["method"].map(method_labels),
    xerr=[table["estimate"] - table["ci_low"], table["ci_high"] - table["estimate"]],
    fmt="o",
    capsize=4,
)
ax.axvline(0, color="black", linewidth=0.8)
ax.set_xlabel("Net Promoter Score (−100 to 100)")
ax.set_ylabel("")
ax.set_title(f"NPS of {promoters + passives + detractors:,} answers, {level:.0%} CI")
ax.set_ylim(-0.6, 1.6)
saved = save_figure(
    fig,
    "00_worked_example_nps_interval",
    data=table,
    caption=(
        f"Net Promoter Score from {promoters} promoters, {passives} passives and {detractors} "
        f"detractors (a worked example), with Wald and adjusted-Wald {level:.0%} intervals."
    ),
    alt_text=(
        f"Two points with horizontal error bars, one per interval method, both near an NPS of "
        f"{table['estimate'].iloc[0]:.0f} and spanning about {table['ci_low'].min():.0f} to "
        f"{table['ci_high'].max():.0f}; the vertical zero line lies "
        + ("outside both intervals."
           if ((table["ci_low"] > 0) | (table["ci_high"] < 0)).all() else "inside the intervals.")
    ),
    source="00_start_here",
)
plt.show()

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The sentence below is written from the numbers above, so it stays true when the notebook is
# rerun with other counts (`-p promoters=... -p passives=... -p detractors=...`).

# %%
from cxresearch import level_sentence

adj = table.set_index("method").loc["adjusted_wald"]
level_sentence(f"NPS of {int(adj['n']):,} answers (adjusted Wald)", adj["estimate"],
               adj["ci_low"], adj["ci_high"], level=level)

# %% [markdown]
# The interval is the honest size of what one sample can tell: a score is credibly above or
# below zero only when its interval excludes zero. It does **not** say why customers answered
# as they did, whether the score will move, or how it compares with another segment: comparing
# two scores needs the interval of their difference (notebook 01). The remaining notebooks take
# the questions above one at a time; the claims ledger says what each can support.
