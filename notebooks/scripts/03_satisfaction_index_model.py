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
# assumes, not effects it shows). They are estimated with PLS path modelling and reported as
# 0–100 index scores. This notebook fits the model to a **synthetic** customer survey whose
# true paths are known and checks what plain PLS and PLSc recover. (The estimator is
# unit-tested against seminr's published output on the real ECSI mobile-phone data of
# Tenenhaus et al. 2005, to six decimals.)
#
# **On your own data.** The ECSI model has fixed construct blocks (image, expectation, quality,
# value, satisfaction, complaints, loyalty), so it runs on a folder holding `ecsi_survey.csv`
# with the ECSI item names (`IMAG1` ... `CUSL3`, 1–10). A folder without one (for instance a
# survey with its own `instrument.yml` and drivers, which notebook 04 analyses) gets a sentence
# saying so, and the method is shown on the synthetic survey.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 03 -p n_respondents=500 ...).
data_dir = None  # None: the synthetic survey; a folder with ecsi_survey.csv (ECSI item names)
instrument = None  # not used here: the ECSI blocks are fixed (01, 02 and 04 use it)
seed = 0
n_respondents = 1000
n_bootstrap = 300

# %%
import matplotlib.pyplot as plt
import pandas as pd

import cxresearch as cx
from cxresearch.cli.check import skipped
from cxresearch import (
    FIGSIZE, Conclusions, Finding, adjusted_supported, coef_plot, count_sentence, find_table,
    findings_from_adjusted_table, save_figure, use_style,
)
from cxresearch.simulate import simulate_ecsi_survey
from cxresearch.studies import csi_03 as c03

use_style()
if data_dir is not None and find_table(data_dir, "ecsi_survey") is not None:
    items, truth = cx.read_ecsi_survey(data_dir), None
else:
    survey = simulate_ecsi_survey(n=n_respondents, seed=seed)
    items, truth = survey.data, survey.paths
    if data_dir is not None:
        print(skipped("The ECSI model on your data", [
            "the folder has no ecsi_survey table with the ECSI item names (IMAG1 ... CUSL3), "
            "and the model's construct blocks are fixed; it is shown on the synthetic survey "
            "instead"]))
synthetic = truth is not None
data_kind = "synthetic" if synthetic else "user"
print(f"{len(items):,} respondents, {items.shape[1]} items on 1-10 "
      f"({'synthetic' if synthetic else 'user data'})")

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
fit = cx.fit_pls(items, cx.ECSI_BLOCKS, cx.ECSI_PATHS, n_boot=n_bootstrap, seed=seed,
                  scale_range=(1, 10))
plsc = cx.fit_pls(items, cx.ECSI_BLOCKS, cx.ECSI_PATHS, n_boot=n_bootstrap, seed=seed,
                  scale_range=(1, 10), consistent=True)
paths = c03.path_table(fit.paths, plsc.paths, truth)
paths.drop(columns=["source", "target", "pls_se", "n_family"]).set_index("path").round(3)

# %% [markdown]
# Explained variance of each endogenous construct:

# %%
fit.r2.to_frame().T.round(3)

# %%
fig, ax = plt.subplots(figsize=FIGSIZE["double"])
plotted = c03.long_paths(paths.iloc[::-1])
coef_plot(plotted, label="path", by="method", ax=ax,
          truth="truth" if synthetic else None,
          xlabel="standardized path coefficient (95% bootstrap interval)",
          title=("ECSI path coefficients (synthetic survey)" if synthetic
                 else "ECSI path coefficients"),
          legend={"loc": "upper center", "bbox_to_anchor": (0.5, -0.2), "ncol": 3})
save_figure(
    fig, "03_ecsi_paths",
    data=plotted[["method", "source", "target", "estimate", "ci_low", "ci_high"]
                 + (["truth"] if synthetic else [])].round(4),
    caption=("Path coefficients of the ECSI model, PLSc (consistent PLS) and plain PLS, each "
             "with its 95% percentile bootstrap interval"
             + (", and the true values of the synthetic survey (x). Plain PLS attenuates paths "
                "between constructs measured with error." if synthetic
                else ", in the user's ECSI survey.")),
    alt_text=c03.alt_text(paths),
    source="03_satisfaction_index_model",
)
plt.show()

# %% [markdown]
# ## Measurement quality
#
# Loadings above about .7, alpha and composite reliability above .7 and AVE above .5 are the
# usual reflective criteria, each checked below from the numbers. The outer loadings (plain PLS,
# which overstates them; PLSc beside it) come first.

# %%
outer = fit.loadings[["construct", "item", "loading"]].assign(plsc=plsc.loadings["loading"])
if synthetic:
    outer = outer.merge(survey.loadings.rename(columns={"loading": "truth"}),
                        on=["construct", "item"])
outer.set_index("item").round(3)

# %%
fit.reliability().round(3)

# %%
Conclusions(c03.reliability_checks(fit.reliability(), fit.loadings),
            heading="Measurement criteria", data_kind=data_kind)

# %% [markdown]
# ## Index scores on 0–100, the ACSI way
#
# Each respondent's construct score is a weighted mean of the raw items with the PLS weights
# unstandardized and normalised to sum to one, mapped so that 1 → 0 and 10 → 100. The index is
# the mean score.

# %%
fit.index().to_frame().T.round(1)

# %%
Finding("**Index levels**: " + (
    "they follow the item means the synthetic survey assumes (top-heavy, value lower than "
    "quality, modelled on the real ECSI survey of a mobile operator's customers, Tenenhaus "
    "et al. 2005, which are "
    "not shown here); the paths above do not depend on them." if synthetic else
    "point means without intervals here; compare them over time only with the same items, "
    "scale and weights."), False, kind="level").labelled(data_kind)

# %% [markdown]
# ## Direct and indirect paths to loyalty (under the model's assumed arrows)
#
# How much of each construct's association with loyalty runs through the others in the model
# (the indirect part); the arrows are assumptions, so these are not effects:

# %%
fit.effects().query("target == 'Loyalty'").set_index("source").round(3)

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The closing summary, generated from the estimates: first, on the bundled synthetic survey,
# what missed and what hit the simulation's truth; then each path (PLSc, Holm-adjusted for the
# twelve tests; PLS arrows are assumptions of the model, so these are associations given the
# model, not effects).

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
)

# %% [markdown]
# - Plain PLS shrinks strong paths towards zero (its composites include measurement error);
#   PLSc removes most of that bias, which is why it is the headline estimate here.
# - Index scores on 0–100 make constructs comparable over time, but only with the same items,
#   scale and weights.
# - It does **not** show causation: the arrows are assumptions, and PLS fits them as stated.
#   The synthetic survey is built from the ECSI model itself, so the fit is flattering: its
#   ratings are top-heavy like real ones, but normal before rounding and with no missing
#   answers, which real surveys rarely are.
