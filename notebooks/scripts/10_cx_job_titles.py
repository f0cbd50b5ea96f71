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
# # 10 · Are CX job titles inflated? A content-analysis protocol for job postings
#
# A practitioner claim: job postings with a customer-experience title often never mention the
# customer; the title inflates while the job stays the same. Testing it is a content analysis,
# and its hard parts are measurement:
#
# 1. **What counts** as mentioning the customer, written down before coding (a protocol);
# 2. **coding at scale**: a keyword dictionary and a simple text classifier (TF-IDF and
#    logistic regression), each **validated against hand codes** with precision and recall;
# 3. **the share** of CX-titled postings that never mention the customer, with intervals that
#    carry the classifier's own errors, compared with postings under other titles.
#
# The postings here are **synthetic**: a labelled corpus written by a documented, seeded
# generator (`cxresearch.simulate.postings`) from template sentences and made-up companies. Its
# numbers illustrate the method and say nothing about real job postings. The logic lives in
# `cxresearch.text.postings`; `read_postings` reads your own scraped postings (see the parameters).

# %% [markdown]
# **After this notebook you can**
#
# - write a content-analysis protocol that says what counts before anyone codes
# - validate a keyword dictionary and a classifier against hand codes with precision, recall,
#   specificity and Cohen's [kappa](../docs/glossary.md#kappa), for the class the claim is about
# - correct a share for a coder's errors (Rogan & Gladen) and say why a raw keyword count is
#   biased and its interval too narrow
# - say what a cross-section of postings cannot establish about job titles

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 10 -p data_dir=postings.csv).
data_dir = None  # None: a synthetic corpus made on the fly (seeded); a CSV/JSONL or folder: yours
seed = 0  # seed of the synthetic corpus, the cross-validation folds and the bootstrap
n_boot = 2000  # bootstrap replications
level = 0.95  # confidence level of every interval
n_postings = 1200  # postings in the synthetic corpus (ignored with data_dir)
n_hand_coded = 300  # of which hand coded, a random subset (ignored with data_dir)
n_splits = 5  # cross-validation folds for the classifier's validation

# %%
import textwrap

import matplotlib.pyplot as plt
import numpy as np

import cxresearch as cx
from cxresearch import (
    FIGSIZE, about_synthetic, Conclusions, effect_sentence, level_sentence, save_figure,
    use_style,
)
from cxresearch.simulate.postings import simulate_postings

use_style()
synthetic = data_dir is None
postings = (simulate_postings(n=n_postings, n_hand_coded=n_hand_coded, seed=seed) if synthetic
            else cx.read_postings(data_dir))
source_label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the postings' results rest on
corpus_name = "the synthetic corpus" if synthetic else "your postings"
print(f"{len(postings):,} postings ({source_label}), "
      f"{int(postings['mentions_customer'].notna().sum())} hand coded")
postings.groupby("title_family").agg(postings=("posting_id", "size"),
                                     hand_coded=("mentions_customer", "count"))

# %% [markdown]
# ## The protocol: what counts as mentioning the customer
#
# The unit is a posting's description; the question is whether **the job** is about customers.
# It counts when the duties or requirements refer to:
#
# | part | counts | example (made up) |
# |---|---|---|
# | customers | the people the job serves: customers, clients, patients, guests, account holders, "the people who buy from us" | "Interview clients to understand what they need from us." |
# | customer outcomes | satisfaction, loyalty, churn, complaints, NPS/CSAT/CES, customer lifetime value | "Reduce churn among small-business customers." |
# | CX methods | journey mapping, voice of the customer, personas, customer research or feedback, closing the loop, service design | "Map customer journeys and find the pain points." |
#
# It does **not** count when the word is only in the company's self-description ("customers
# are at the heart of everything we do"), in the job title or the CX team's name ("as our
# Customer Experience Manager", "join the CX team"), or not about customers ("client-server",
# an *employee* survey, staff retention). A posting that mentions none of the three **never
# mentions the customer**. Hand coders read the whole description and apply these rules; in
# your own file the hand code is the column `mentions_customer` (1, 0, or empty).
#
# A title is a **CX title** when it names customer (client, patient, guest) experience, CX or
# an experience officer; every other title is the comparison group.

# %%
postings.groupby(["title_family", "title"]).size().rename("postings").to_frame().head(16)

# %% [markdown]
# ## The keyword dictionary
#
# A dictionary is transparent and cheap, but it counts words, not meanings: it cannot tell a
# customer duty from a company slogan. The posting's own title and CX team names are removed
# before matching, as the protocol asks.

# %%
cx.keyword_dictionary()

# %%
postings = postings.join(cx.keyword_codes(postings))
parts = [*cx.KEYWORDS, "keyword_mention"]
(postings.groupby("title_family")[parts].agg(lambda s: (s > 0).mean())).round(3)

# %% [markdown]
# One CX-titled posting that the hand coder coded as **never** mentioning the customer and the
# dictionary as mentioning it (a **synthetic** posting, unless `data_dir` is set):

# %%
disagree = postings[(postings["title_family"] == "CX title") & (postings["mentions_customer"] == 0)
                    & postings["keyword_mention"]]
if len(disagree):
    example = disagree.iloc[0]
    print(f"{example['title']} (hand code: {example['mentions_customer']}, keyword hits: "
          f"{ {p: int(example[p]) for p in cx.KEYWORDS} })\n")
    print(textwrap.fill(example["description"], 96))
else:
    print("No such posting: none is hand coded 'never mentions' with a keyword hit.")

# %% [markdown]
# ## A classifier trained on the hand codes
#
# A classifier learns from the hand codes which words and word pairs go with a customer-facing
# job, including phrasings no dictionary lists. TF-IDF weights (words and word pairs) feed an
# L2-penalised logistic regression. Each hand-coded posting is predicted by a model that never
# saw it (stratified `n_splits`-fold cross-validation), so its errors are honest; the other
# postings are predicted by a model trained on all hand codes.

# %%
coded = postings["mentions_customer"].dropna().astype(int)
can_classify = coded.nunique() == 2 and coded.value_counts().min() >= n_splits
if can_classify:
    postings = cx.classify_postings(postings, n_splits=n_splits, seed=seed)
    print(postings.groupby("prediction")["predicted_mentions"].agg(["size", "mean"]).round(3))
else:
    print(f"Too few hand codes to train and validate a classifier ({len(coded)}); hand code a "
          f"random sample of at least {10 * n_splits} postings with both kinds of posting.")

# %% [markdown]
# ## Validation against the hand codes
#
# The positive class is the claim's category, **never mentions the customer**. Precision: of
# the postings a method flags, how many truly never mention the customer. Recall: of those
# that never do, how many the method finds. Specificity: of those that do mention the customer,
# how many it leaves alone. Each has a Wilson interval; Cohen's kappa measures agreement with
# the hand coder beyond chance.
#
# Two assumptions stand behind every number below. (1) The hand codes are treated as the
# truth, but they come from **one hand coder** of unknown reliability: precision, recall and
# kappa measure agreement with that coder, not accuracy (a second coder and
# `cxresearch.text.coding` measure the coder's reliability). (2) The corrected share (next
# section, Rogan & Gladen 1978) assumes the classifier's sensitivity and specificity are **the
# same in both title families**. And the corpus is built from a few dozen template sentences,
# which flatters any classifier; on real postings the validation has to be redone on a fresh
# random hand-coded sample.

# %%
validation = cx.validation_table(postings, level=level) if len(coded) else None
validation.round(3) if validation is not None else "no hand codes: nothing to validate against"

# %%
if validation is not None:
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    measures = list(dict.fromkeys(validation["measure"]))
    y = np.arange(len(measures))
    for i, (method, part) in enumerate(validation.groupby("method", sort=False)):
        part = part.set_index("measure").loc[measures]
        ax.errorbar(part["estimate"], y + 0.15 * (1 - 2 * i), fmt="os"[i], capsize=3,
                    xerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
                    label=method)
    ax.set_yticks(y, labels=measures)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"agreement with the hand codes ({level:.0%} CI)")
    ax.set_title(f"Finding postings that never mention the customer ({source_label})")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize="small")
    est = validation.set_index(["method", "measure"])["estimate"]
    save_figure(
        fig, "10_classifier_validation", data=validation,
        caption=(f"{'Synthetic' if synthetic else 'User'} data: precision, recall, specificity, "
                 "accuracy and Cohen's kappa of the keyword dictionary and the classifier "
                 "(out-of-fold) against the hand codes, for the class 'never mentions the "
                 f"customer', with Wilson (kappa: asymptotic) {level:.0%} intervals."),
        alt_text=("Dot plot with error bars: five measures, one marker per method. "
                  + "; ".join(f"The {m}: precision {est[m, 'precision']:.2f}, recall "
                              f"{est[m, 'recall']:.2f}, accuracy {est[m, 'accuracy']:.2f}"
                              for m in dict.fromkeys(validation["method"])) + "."),
        source="10_cx_job_titles",
    )
    plt.show()

# %% [markdown]
# ## The share of CX-titled postings that never mention the customer
#
# Three estimates, by title family: the hand codes alone (a random sample, so unbiased but
# small); the raw dictionary over all postings (narrow intervals, but they ignore the
# dictionary's errors); and the classifier over all postings corrected for its measured
# sensitivity and specificity (Rogan & Gladen 1978), with a bootstrap interval that resamples
# the hand codes too. The last rows give the difference between the families. The intervals
# treat postings as independent; postings from one employer share boilerplate (slogans,
# standard paragraphs), so with real scraped postings the bootstrap should resample employers,
# and the intervals would be wider.

# %%
share = cx.share_never_mentions(postings, level=level, n_boot=n_boot, seed=seed)
share.round(3)

# %%
from IPython.display import Markdown, display

by_method = share.set_index(["group", "method"])
if ("CX title", "keyword dictionary (raw)") in by_method.index:
    raw_row = by_method.loc[("CX title", "keyword dictionary (raw)")]
    better = [(said, by_method.loc[("CX title", m)])
              for m, said in (("hand codes", "the hand codes give"),
                              ("classifier, corrected", "the classifier corrected for its errors "
                                                        "gives"))
              if ("CX title", m) in by_method.index]
    display(Markdown(
        "**Common mistake: a raw keyword count as the share.** Counting the CX-titled postings "
        f"with no keyword hit gives {raw_row['estimate']:.1%} ({level:.0%} CI "
        f"{raw_row['ci_low']:.1%} to {raw_row['ci_high']:.1%}; {kind} data)"
        + "".join(f"; {said} {r['estimate']:.1%} ({r['ci_low']:.1%} to {r['ci_high']:.1%})"
                  for said, r in better)
        + ". The raw interval counts only sampling error. Every slogan, job title or internal "
        "'client' duty that the dictionary takes for a mention of the customer pushes the "
        "share down, and no interval shows it. Validate the dictionary against hand codes and "
        "correct the share for its errors, or report the hand codes."))

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
groups = share[~share["group"].str.contains(" minus ")]
methods = list(dict.fromkeys(groups["method"]))
labels = list(dict.fromkeys(groups["group"]))
y = np.arange(len(labels))
for i, (method, marker) in enumerate(zip(methods, "o^s", strict=False)):
    part = groups[groups["method"] == method].set_index("group").reindex(labels)
    ax.errorbar(100 * part["estimate"], y + 0.2 * (i - 1), fmt=marker, capsize=3,
                xerr=[100 * (part["estimate"] - part["ci_low"]),
                      100 * (part["ci_high"] - part["estimate"])], label=method)
ax.set_yticks(y, labels=labels)
ax.invert_yaxis()
ax.set_xlim(0, 100)
ax.set_xlabel(f"postings that never mention the customer (%, {level:.0%} CI)")
ax.set_title(f"Never mentions the customer, by title ({source_label})")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize="small")
cx_share = groups[groups["group"] == "CX title"].set_index("method")["estimate"]
save_figure(
    fig, "10_share_no_customer", data=share,
    caption=(f"{'Synthetic' if synthetic else 'User'} data: share of job postings whose "
             "description never mentions the customer, by title family, from the hand codes, "
             "the raw keyword dictionary and the classifier corrected for its errors, with "
             f"{level:.0%} intervals."),
    alt_text=("Horizontal dot plot with error bars, one row per title family and one marker per "
              "method, from 0 to 100%. For CX titles: "
              + "; ".join(f"{k} {100 * v:.0f}%" for k, v in cx_share.items()) + "."),
    source="10_cx_job_titles",
)
plt.show()

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The sentences below are generated from the numbers above, so they stay true when the
# notebook is rerun on other postings.

# %%
usable = share[(share["group"] == "CX title") & share["estimate"].notna()]["method"]
best_method = next((m for m in ("classifier, corrected", "hand codes",
                                "keyword dictionary (raw)") if m in set(usable)),
                   "keyword dictionary (raw)")
rows = share[share["method"] == best_method].set_index("group")
findings = [level_sentence(f"In {corpus_name}, CX-titled postings that never mention the "
                           f"customer (%, {best_method})", 100 * rows.loc["CX title", "estimate"],
                           100 * rows.loc["CX title", "ci_low"],
                           100 * rows.loc["CX title", "ci_high"], reference=50,
                           reference_name="half", level=level)] if "CX title" in rows.index else []
diff = rows[rows.index.str.contains(" minus ")]
findings += [effect_sentence(f"In {corpus_name}, never mentioning the customer, {g} "
                             f"(percentage points, {best_method})", 100 * r["estimate"], 100 * r["ci_low"],
                             100 * r["ci_high"], level=level, digits=1)
             for g, r in diff.iterrows()]
if validation is not None:
    kappas = validation[validation["measure"] == "Cohen's kappa"]
    findings += [level_sentence(f"Cohen's kappa, {r['method']} against the hand codes",
                                r["estimate"], r["ci_low"], r["ci_high"], reference=0.6,
                                reference_name="0.6 (substantial agreement)", level=level,
                                digits=2) for _, r in kappas.iterrows()]
if synthetic:
    truth = postings.groupby("title_family")["true_mentions_customer"].apply(
        lambda s: float((s == 0).mean()))["CX title"]
    cx_row = rows.loc["CX title"]
    raw = share.set_index(["group", "method"]).loc[("CX title", "keyword dictionary (raw)")]
    covers = "covers" if cx_row["ci_low"] <= truth <= cx_row["ci_high"] else "MISSES"
    raw_covers = "covers" if raw["ci_low"] <= truth <= raw["ci_high"] else "MISSES"
    findings.append(about_synthetic(
        f"the generator's true share of CX-titled postings that never mention the customer is "
        f"{100 * truth:.1f}%; the {best_method} interval ({100 * cx_row['ci_low']:.1f} to "
        f"{100 * cx_row['ci_high']:.1f}) {covers} it, while the raw dictionary says "
        f"{100 * raw['estimate']:.1f}% ({100 * raw['ci_low']:.1f} to "
        f"{100 * raw['ci_high']:.1f}), an interval that {raw_covers} it.", synthetic))
Conclusions(tuple(findings), heading=f"Job postings ({len(postings):,})", data_kind=kind)

# %% [markdown]
# **What the method can establish.** With a written protocol, a random hand-coded sample and
# automatic coders validated against it, the share of postings whose description never
# mentions the customer can be estimated with an interval that includes the coder's errors,
# and compared between CX titles and other titles. On the **synthetic** corpus the validation
# table shows why a raw keyword count is not enough: company slogans and internal "client",
# "survey" or "feedback" duties make it flag postings as customer-facing that are not, so its
# share of postings that never mention the customer is biased low, and its narrow interval
# hides that. Whether a dictionary errs that way on real postings is what the validation on
# your own hand codes measures.
#
# **What it cannot establish.**
#
# - *That titles are inflated.* Inflation is a change over time (the title grew, the job did
#   not) or a gap between the title and the work actually done. A cross-section of postings
#   shows what the postings say, not what the jobs are; tracking the same employers' postings
#   over years, or comparing postings with the work of the people hired, is the study that
#   could.
# - *What the job involves.* A description can omit the customer while the work is all about
#   customers, and the reverse; postings are recruitment copy.
# - *Anything about postings in general* from a scraped set: which sites, searches and dates
#   were scraped decides which postings are in it, as self-selection decides a poll's
#   respondents (notebook 09). Report the scraping frame with the share.
# - *How well the classifier would do on real postings*, nor how reliable one hand coder is:
#   see the two assumptions stated with the validation table.

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
# **Exercise 10.1.** On the hand-coded postings of the notebook's synthetic corpus, what is the keyword dictionary's recall for the class 'never mentions the customer': of the postings the hand coder says never mention the customer, what share does the dictionary find? Three decimals.

# %%
cx.exercises.check("10.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the recall row of the validation table (recomputed on the default synthetic corpus).
default_corpus = simulate_postings(n=1200, n_hand_coded=300, seed=0)
default_corpus = default_corpus.join(cx.keyword_codes(default_corpus))
dictionary = cx.validation_table(default_corpus, level=level).set_index("measure")["estimate"]
answer = round(float(dictionary["recall"]), 3)
cx.exercises.check("10.1", answer)

# %% [markdown]
# **Exercise 10.2.** The raw keyword dictionary says a share a of the CX-titled postings never mention the customer (the share table). Correct it for the dictionary's errors with its recall (sensitivity, Se) and specificity (Sp) from the validation table: p = (a + Sp − 1) / (Se + Sp − 1) (Rogan & Gladen 1978). What is p? Three decimals.

# %%
cx.exercises.check("10.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: a from the CX-titled postings without a keyword hit, Se and Sp from the validation.
cx_titled = default_corpus[default_corpus["title_family"] == "CX title"]
a = float((~cx_titled["keyword_mention"].astype(bool)).mean())
se, sp = dictionary["recall"], dictionary["specificity"]
answer = round(float((a + sp - 1) / (se + sp - 1)), 3)
cx.exercises.check("10.2", answer)

# %% [markdown]
# **Exercise 10.3.** Predict: twice as many postings open with a slogan about the company's customers (`simulate_postings(n=1200, n_hand_coded=300, seed=0, p_blurb_trap=0.6)`; the true share of postings that never mention the customer is unchanged). Does the raw keyword dictionary's share of CX-titled postings that never mention the customer go up, down or stay the same?

# %%
cx.exercises.check("10.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: generate the corpus with more slogans and count again.
sloganed = simulate_postings(n=1200, n_hand_coded=300, seed=0, p_blurb_trap=0.6)
sloganed = sloganed.join(cx.keyword_codes(sloganed))
raw_share = {name: float((~d.loc[d["title_family"] == "CX title", "keyword_mention"]
                          .astype(bool)).mean())
             for name, d in (("as generated", default_corpus), ("more slogans", sloganed))}
print({name: round(v, 3) for name, v in raw_share.items()})
answer = "down" if raw_share["more slogans"] < raw_share["as generated"] else "up"
cx.exercises.check("10.3", answer)
