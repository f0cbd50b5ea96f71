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
# # 06 · Who owns CX? Outcomes by ownership model
#
# "Customer experience is everyone's job" against "CX needs a dedicated, accountable leader":
# practitioners are split, and so is the choice of owner (CEO, COO, CMO or a CXO/CCO). Boards
# ask which model works, and the evidence offered is usually a comparison of firms. This
# notebook asks one question of such a comparison: **how do outcomes differ between firms by
# who owns CX**, and what can a comparison like that say? It matters because firms *choose*
# their owner: the firms that appoint a CX leader differ from the others before the leader
# does anything, so every difference here is an **association**, not the owner's doing.
# Notebook [11](11_appointing_a_cx_leader.ipynb) asks the other question, what *appointing* a
# CX leader changes, with a design that earns the word *effect* under stated assumptions.
#
# Three parts: (1) outcomes by the ownership model in force at the time; (2) "doing both":
# does a CX leader go with more where employees are empowered to act (everyone's job *and* a
# leader)?; (3) the say/do gap between the priority firms state and the budget they give CX.
#
# Words: a **CX leader** is a dedicated CX executive (a CXO or CCO) in post. Practitioner
# writing also calls firms that *lead on CX* "CX leaders"; this notebook calls those
# **CX-leading firms** and never mixes the two. The bundled data are a **synthetic** study
# (300 firms, 8 years) with known effects, shown beside the estimates; no public data record
# firms' CX ownership. Rerun with `-p data_dir=...` on your own exports (tables `firms`,
# `firm_years`, `employees`, `customers`): the notebook then shows no truth (none is known)
# and its conclusions follow your data.

# %% [markdown]
# **After this notebook you can**
#
# - label each firm-year with the CX owner in force that year, not the owner at the end of
#   the panel, and show what the shortcut does to a contrast;
# - compare outcomes across ownership models with firm-clustered intervals and Holm-adjusted
#   contrasts, and say why they are associations, not effects;
# - test whether a CX leader's effect differs between empowered and less empowered firms
#   (effect modification), and read a wide interval as "not detected", not "no difference";
# - measure a say/do gap against the right baseline, and explain why a difference score
#   misleads as a regressor.

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 06 -p data_dir=...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import cxresearch as cx
from cxresearch import (
    FIGSIZE, about_synthetic, adjusted_supported, coef_plot, Conclusions, count_sentence,
    Finding, findings_from_adjusted_table, firm_means, holm_family, human_label, level_sentence,
    linkage_panel, load_study, ownership_effects, save_figure, truth_sentence, use_style,
)
from cxresearch.simulate import true_event_study_effects, true_owner_effects
from cxresearch.studies.leadership_06 import (
    OWNERSHIP_FAMILIES,
    doing_both_table,
    empowerment_by_firm,
    family_table,
    leadership_panel,
    owner_status_panel,
    ownership_alt_text,
    ownership_contrasts,
    read_causal_validation,
    say_do_effects_by_outcome,
    say_do_gap_shares,
    say_do_gap_summary,
    truth_tally,
)
from cxresearch.studies.measuring_01 import owner_timing_summary

use_style()
synthetic = data_dir is None  # the truth is known only for the bundled synthetic study
study = load_study(data_dir)  # bundled: simulate_study(StudyParams(), seed=0), 300 firms
label = "synthetic" if synthetic else "user data"
kind = "synthetic" if synthetic else "user"  # what the generated sentences rest on
truth = study.truth if synthetic else {}
n_questions = len(OWNERSHIP_FAMILIES)  # families of tests that share the 5% error rate
holm_words = f"Holm (the 5% error rate split over {n_questions} families of tests)"
# CX and EX in true-score SD units (survey means rescaled by their SD net of sampling noise),
# contacts in log-percent, each firm's first year with a leader; then each firm-year labelled
# with the owner in force that year
panel = owner_status_panel(
    leadership_panel(linkage_panel(study.firm_years, study.employees, study.customers),
                     study.firms), study.firms)
panel["year_label"] = panel["year"].astype(str)  # year effects as dummies
print(f"{panel['firm_id'].nunique()} firms, {len(panel)} firm-years ({label})")

# %% [markdown]
# The firms table records who owns CX at the **end** of the panel. A firm that appointed its CX
# leader in the sixth year had no leader in the first five, so each firm-year is labelled with
# the owner **in force that year**; years before a later appointment are "CX leader not yet
# appointed" (who owned CX then is not recorded, so they are credited to no owner):

# %%
owner_timing_summary(panel).rename(columns={"answers": "firm-years"}).assign(
    cx_owner_end=lambda d: d["cx_owner_end"].map(human_label),
    cx_owner_then=lambda d: d["cx_owner_then"].map(human_label),
).rename(columns={"cx_owner_end": "owner at the end of the panel",
                  "cx_owner_then": "owner in force that year",
                  "share_of_end_owner": "share of the end owner's firm-years"}).round(3)

# %% [markdown]
# ## 1. Outcomes by ownership model in force at the time
#
# Every firm-year: customer experience (SD units), revenue growth (percentage points) and
# service contacts per customer (log-percent), by who owned CX that year, against
# "everyone's job", adjusted for industry, size and year (OLS). Firm-years of one firm are not
# independent, so standard errors are [clustered by firm](../docs/glossary.md#clustered-standard-errors)
# (t on firms − 1 degrees of freedom). Each owner group against the reference on each outcome
# is one comparison; together they are the first family of tests, adjusted by
# [Holm](../docs/glossary.md#holm-adjustment) (`p_holm`): this notebook asks three families
# (this one, "doing both" and say/do) and they split the 5% error rate, so that the chance of
# *any* false alarm among them stays at 5%. On the bundled study the true values are the
# simulated structural effects of each owner (none is defined for the years before an
# appointment).

# %%
outcomes = {"cx_sd": "CX (SD)", "revenue_growth": "revenue growth (pp)",
            "contacts_log_pct": "contacts (log-%)"}
controls = ["industry", "size_band", "year_label"]
contrasts = holm_family(
    ownership_contrasts(panel, outcomes, controls=controls, owner="cx_owner_then",
                        cluster="firm_id", true_values=true_owner_effects(truth)),
    n_families=n_questions)
contrast_cols = ["outcome", "owner_label", "estimate", "ci_low", "ci_high", "p_value", "p_holm",
                 "n"] + (["true_value"] if synthetic else [])
contrasts[contrast_cols].rename(columns={"owner_label": "owner (vs everyone's job)",
                                         "n": "firm-years"}).round(3)

# %%
own_cx = ownership_effects(panel, "cx_sd", owner="cx_owner_then", controls=controls,
                           cluster="firm_id")
order = ["everyone", "cmo", "coo", "ceo", "pre_leader", "cx_leader"]
adj = own_cx.adjusted_means.set_index("owner")
adj = adj.loc[[o for o in order if o in adj.index]].reset_index()
adj.insert(1, "owner_label", adj["owner"].map(human_label))
fig, ax = plt.subplots(figsize=FIGSIZE["single"])
ax.errorbar(adj["adjusted_mean"], np.arange(len(adj)),
            xerr=[adj["adjusted_mean"] - adj["ci_low"], adj["ci_high"] - adj["adjusted_mean"]],
            fmt="o", capsize=3)
ax.set_yticks(np.arange(len(adj)), adj["owner_label"])
ax.axvline(0, color="grey", linewidth=0.8)
ax.set_xlabel("customer experience, adjusted mean (SD)")
ax.set_ylabel("CX owner that year")
ax.set_title(f"CX by ownership model ({label})")
save_figure(
    fig, "06_ownership_adjusted_means", data=adj,
    caption=(f"Customer experience by who owned CX that year, adjusted for industry, size and "
             f"year, with 95% intervals clustered by firm ({label} data, {len(panel)} "
             f"firm-years of {panel['firm_id'].nunique()} firms). Firms chose their ownership "
             "model; differences are adjusted associations, not effects. Which owners differ "
             "is read from the Holm-adjusted contrasts against everyone's job, not from the "
             "order of the points."),
    alt_text=ownership_alt_text(contrasts, len(adj), outcomes["cx_sd"]),
    source="06_who_owns_cx",
)
plt.show()

# %% [markdown]
# What the contrasts show after the adjustment. Shown one by one: the contrasts of a CX
# leader in post and of the years before an appointment, and any other whose unadjusted
# interval excludes zero (a result that a table without adjustment would invite a reader to
# believe).

# %%
held_own = contrasts[adjusted_supported(contrasts)]
shown_own = contrasts[contrasts["owner"].isin(["cx_leader", "pre_leader"])
                      | (contrasts["ci_low"] > 0) | (contrasts["ci_high"] < 0)]
rest = len(contrasts) - len(shown_own)
true_own = true_owner_effects(truth) if synthetic else pd.DataFrame(
    columns=["outcome", "owner", "true_value"])
other_cx = true_own[(true_own["outcome"] == "cx_sd")
                    & true_own["owner"].isin(["ceo", "coo", "cmo"])]
Conclusions(
    (count_sentence(len(held_own), len(contrasts), "ownership contrasts",
                    adjustment=holm_words),)
    + findings_from_adjusted_table(
        shown_own, "outcome", subjects=[f"{r.owner_label} vs everyone's job, {r.outcome}"
                                        for r in shown_own.itertuples()],
        noun="difference")
    + tuple(about_synthetic(truth_sentence(f"{r.owner_label} vs everyone's job, {r.outcome}",
                                           r.estimate, r.ci_low, r.ci_high, r.true_value).text,
                            synthetic)
            for r in shown_own.itertuples() if synthetic and np.isfinite(r.true_value))
    + (about_synthetic(
        "firms more committed to CX, and firms that already grow faster, are more likely to "
        "appoint a CX leader, so the leader's contrast can exceed the structural effect the "
        "simulation gives the leader (compare the true values above); the CEO, COO and CMO "
        "have structural effects of "
        f"{other_cx['true_value'].abs().max() if len(other_cx) else 0:.2f} SD of CX or less.",
        synthetic),),
    heading="What these data show about ownership models (associations)",
    data_kind=kind,
    notes=((f"The other {rest} contrasts have unadjusted intervals that include zero. " if rest
            else "") + "A difference between firm-years with a CX leader in post and "
           "'everyone's job' mixes what the leader does with the kind of firm that appoints "
           "one; a difference in the years *before* an appointment cannot be the leader's "
           "doing, and says that appointing firms differ anyway.",),
)

# %%
# the shortcut: every year credited to the owner at the end of the panel
end_owner = ownership_contrasts(panel, outcomes, controls=controls, owner="cx_owner_end",
                                cluster="firm_id")
then_row = contrasts[(contrasts["owner"] == "cx_leader")
                     & (contrasts["variable"] == "contacts_log_pct")].iloc[0]
end_row = end_owner[(end_owner["owner"] == "cx_leader")
                    & (end_owner["variable"] == "contacts_log_pct")].iloc[0]
n_pre = int((panel["cx_owner_then"] == "pre_leader").sum())
display(Markdown(
    "**Common mistake: crediting the owner at the end of the panel to every year.** Read that "
    f"way, the {n_pre} firm-years before an appointment count as years with a CX leader, and "
    f"the leader's contrast on {outcomes['contacts_log_pct']} moves from "
    f"{then_row['estimate']:+.2f} (owner in force, 95% CI {then_row['ci_low']:.2f} to "
    f"{then_row['ci_high']:.2f}) to {end_row['estimate']:+.2f} (owner at the end, "
    f"{end_row['ci_low']:.2f} to {end_row['ci_high']:.2f}) on these {label} data: the "
    "leader is credited with years the leader was not there. Label each observation with the "
    "owner in force when it was measured (`owner_status_panel`), and keep the years before an "
    "appointment as their own group."))

# %% [markdown]
# ## 2. "Doing both": does a CX leader go with more where employees are empowered?
#
# Practitioners say a CX leader achieves little unless front-line employees are empowered to
# act: CX is everyone's job *and* needs a leader. Then the effect of appointing a leader should
# be larger in empowered firms. Firms are split by their **baseline empowerment**: the firm
# mean of "I am empowered to fix a customer's problem on the spot" (`culture_6`, 1–5) in the
# panel's first year, before any appointment made during the panel, above the median
# ("empowered") or not. Within each half, an [event study](../docs/glossary.md#event-study)
# compares appointing firms, before and after, with firms of the same half that have not (yet)
# appointed (notebook [11](11_appointing_a_cx_leader.ipynb) explains the design and its
# threats); the difference of the two post-appointment averages estimates the leader ×
# empowerment interaction, and the halves are disjoint sets of firms, so the variances add.
# It is *effect modification*: empowered firms differ in other ways too, so it does not say
# that empowering employees would raise a leader's effect. Each outcome (CX and revenue
# growth) gives one difference; together they are the second family of tests.
#
# The split rests on one item answered by a firm's surveyed employees in a single year, so
# some firms land in the wrong half; misclassification of this kind pulls the difference
# between the halves towards zero.

# %%
empower = empowerment_by_firm(study.employees, "culture_6")
both_outcomes = {y: outcomes[y] for y in ["cx_sd", "revenue_growth"]}
group_words = {"0": "less empowered", "1": "empowered",
               "1 - 0": "difference (empowered − less)"}
both = doing_both_table(panel.merge(empower[["firm_id", "empowered"]], on="firm_id"),
                        both_outcomes, "firm_id", "year", "first_treated", "empowered",
                        window=(-3, 3), group_labels=group_words)
# the simulation gives every appointing firm the same effect: the true difference is 0
true_by_var = true_event_study_effects(truth).set_index("outcome")["true_value"]
both["true_value"] = np.where(both["is_difference"], 0.0,
                              both["variable"].map(true_by_var)) if synthetic else np.nan
both_family = holm_family(both[both["is_difference"]], n_families=n_questions)
both["p_holm"] = both_family["p_holm"]
print(f"{int((empower['empowered'] == 1).sum())} empowered and "
      f"{int((empower['empowered'] == 0).sum())} less empowered firms; median baseline "
      f"empowerment {empower['empowerment'].median():.2f} of 5 ({label})")
both[["outcome", "group", "estimate", "ci_low", "ci_high", "p_value", "p_holm", "n_units"]
     + (["true_value"] if synthetic else [])].rename(columns={"n_units": "firms"}).round(3)

# %%
both_words = {"cx_sd": ("CX (SD units)", "effect on CX (SD)"),
              "revenue_growth": ("revenue growth (pp)", "effect on growth (pp)")}
fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], layout="constrained")
for ax, (var, g) in zip(axes, both.groupby("variable", sort=False)):
    coef_plot(g, label="group", ax=ax, invert=True, ci_label="estimate (95% CI)",
              truth="true_value" if synthetic else None, truth_label="true value (simulation)",
              xlabel=both_words[var][1], title=both_words[var][0])
axes[1].set_yticklabels([])
fig.suptitle(f"Effect of appointing a CX leader by baseline empowerment ({label} data)",
             fontsize="medium")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2,
           fontsize="small")
n_both_held = int(adjusted_supported(both_family).sum())
save_figure(
    fig, "06_doing_both_by_empowerment", data=both,
    caption=(f"Event-study effect of appointing a CX leader (average of event times 0 to 3) "
             f"in firms with above-median and other baseline employee empowerment, and their "
             f"difference, with 95% intervals ({label} data)."
             + (" Crosses: the simulated true values (the same effect in both groups)."
                if synthetic else "")),
    alt_text=("Two panels, CX and revenue growth: the leader's effect in empowered and less "
              "empowered firms, and their difference. "
              + (f"{n_both_held} of {len(both_family)} differences" if n_both_held else
                 f"Neither of the {len(both_family)} differences")
              + " is distinguishable from zero after Holm adjustment"
              + ("; true difference 0." if synthetic else ".")),
    source="06_who_owns_cx",
)
plt.show()

# %%
validation = read_causal_validation()  # 200-replication results of scripts/validate_causal.py
by_culture = validation[validation["estimand"] == "leader x culture"].iloc[0]
Conclusions(
    findings_from_adjusted_table(
        both_family, "outcome", noun="difference",
        subjects=[f"leader's effect on {o}, empowered minus less empowered firms"
                  for o in both_family["outcome"]])
    + tuple(about_synthetic(truth_sentence(f"difference in the leader's effect on {r.outcome}",
                                           r.estimate, r.ci_low, r.ci_high,
                                           r.true_value).text, synthetic)
            for r in both[both["is_difference"]].itertuples() if synthetic),
    heading="Does a leader's effect differ where employees are empowered?",
    data_kind=kind,
    notes=("Each half holds about half of the appointing firms, so these intervals are wide: "
           "a difference the data cannot tell from zero may still be there. Over "
           f"{int(by_culture['reps'])} simulated panels (`scripts/validate_causal.py`; "
           "400 firms × 10 years) the design recovers a large difference "
           f"({by_culture['truth']:.2f}, about three times the effect; coverage "
           f"{by_culture['coverage']:.1%}); a modest difference would need far more firms "
           f"than these {panel['firm_id'].nunique()}.",),
)

# %% [markdown]
# ## 3. The say/do gap
#
# A "say/do gap" is the idea that firms call CX their top priority (stated priority 4–5 of 5)
# but fund it modestly; the shares below test whether these data show such a gap. Half
# of *all* firms fund CX below the median by construction, so the share among top-priority
# firms means something only against the other firms, and against 50% (the share if saying
# and funding were unrelated). Then: does saying matter once doing is known? Firm-level
# average CX and growth on "say" and "do" (z-scored stated priority and CX budget share), and
# on their difference (the gap), adjusted for industry and size; the say and do coefficients
# are the third family of tests.

# %%
firms = study.firms.set_index("firm_id")
gap_shares = say_do_gap_shares(firms, top=4)
display(say_do_gap_summary(firms, top=4).round(3))
gap_shares.round(1)

# %%
firm_out = firm_means(panel, ["cx_sd", "revenue_growth"]).join(
    firms[["stated_cx_priority", "cx_budget_share", "industry", "size_band"]])
say_do = say_do_effects_by_outcome(
    firm_out, {y: outcomes[y] for y in ["cx_sd", "revenue_growth"]},
    controls=["industry", "size_band"], say_effect={"cx_sd": truth.get("say_do_effect", np.nan)})
say_do_family = holm_family(say_do[say_do["model"] == "say + do"], n_families=n_questions)
say_do.loc[say_do_family.index, "p_holm"] = say_do_family["p_holm"]
# the gap rows are shown for the difference-score trap (see the note), not tested
say_do_shown = say_do[["outcome", "model", "term", "estimate", "ci_low", "ci_high", "p_value",
                       "p_holm"] + (["true_value"] if synthetic else [])].round(3).astype(
    {"p_value": object, "p_holm": object})
say_do_shown.loc[say_do_shown["model"] == "gap", ["p_value", "p_holm"]] = "not tested"
say_do_shown

# %%
top, others = gap_shares.iloc[0], gap_shares.iloc[1]
say_do_words = {"say": "stated priority", "do": "CX budget share"}
display(Conclusions(
    (level_sentence(f"firms calling CX a top priority whose CX budget is below the median "
                    f"(% of {int(top['n'])})", top["share_pct"], top["ci_low"], top["ci_high"],
                    reference=50.0, reference_name="50%"),
     level_sentence(f"the other firms whose CX budget is below the median (% of "
                    f"{int(others['n'])})", others["share_pct"], others["ci_low"],
                    others["ci_high"], reference=50.0, reference_name="50%"),
     Finding(f"**say/do gap**: top-priority firms are "
             f"{'less' if top['share_pct'] < others['share_pct'] else 'more'} often below the "
             f"median CX budget than the other firms ({top['share_pct']:.1f}% against "
             f"{others['share_pct']:.1f}%)"
             + (", the opposite of a say/do gap." if top["share_pct"] < others["share_pct"]
                else "."), False, kind="level"))
    + findings_from_adjusted_table(
        say_do_family, "term",
        subjects=[f"{o}, per SD of {say_do_words[t]} (given the other)"
                  for o, t in zip(say_do_family["outcome"], say_do_family["term"])])
    + tuple(about_synthetic(truth_sentence(f"{r.outcome}, per SD of stated priority",
                                           r.estimate, r.ci_low, r.ci_high, r.true_value).text,
                            synthetic)
            for r in say_do_family.itertuples() if synthetic and np.isfinite(r.true_value)),
    heading="What these data show about saying and doing (associations)",
    data_kind=kind,
    notes=("The gap rows are not tested and not in the Holm family: they re-express the same "
           "models (see the box below).",),
))
cx_terms = say_do[say_do["outcome"] == outcomes["cx_sd"]].set_index("term")
g, s, d = (cx_terms.loc[k] for k in ("gap", "say", "do"))
disguised = g["ci_high"] < 0 and d["ci_low"] > 0 and s["ci_low"] <= 0 <= s["ci_high"]
display(Markdown(
    "**Common mistake: regressing an outcome on a difference score.** The gap is say minus do, "
    "so its coefficient forces say and do to have equal and opposite effects (Edwards 2001). "
    f"On these {label} data the gap's coefficient on CX is {g['estimate']:+.2f} (95% CI "
    f"{g['ci_low']:.2f} to {g['ci_high']:.2f}); entered separately, say has "
    f"{s['estimate']:+.2f} ({s['ci_low']:.2f} to {s['ci_high']:.2f}) and do "
    f"{d['estimate']:+.2f} ({d['ci_low']:.2f} to {d['ci_high']:.2f}). "
    + ("Read alone, the gap says \"the larger the gap, the lower the CX\"; the separate "
       "coefficients say only that funding goes with CX: the gap is *do* in disguise. "
       if disguised else
       "The gap alone cannot say which of the two goes with CX. ")
    + "Put say and do in the model separately and read each; report the gap only as a "
      "description."))

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The families of tests (Holm within each family, the 5% error rate split between the
# families), how many of their tests hold after the adjustment, and what that leaves:

# %%
families = dict(zip(OWNERSHIP_FAMILIES, [contrasts, both_family, say_do_family], strict=True))
display(family_table(families))
truth_checks = (
    truth_tally("ownership contrasts", contrasts,
                [f"{r.owner_label} vs everyone's job, {r.outcome}"
                 for r in contrasts.itertuples()]),
    truth_tally("leader × empowerment differences", both_family, list(both_family["outcome"])),
) if synthetic else ()
Conclusions(
    (Finding(f"**{len(families)} families of tests** share the 5% error rate: "
             + "; ".join(f"{name}: {held} of {n} held" for name, n, held in
                         family_table(families).itertuples(index=False)) + ".", False,
             kind="check"),)
    + findings_from_adjusted_table(held_own, "outcome", noun="difference",
                                   subjects=[f"{r.owner_label} vs everyone's job, {r.outcome}"
                                             for r in held_own.itertuples()])
    + findings_from_adjusted_table(
        both_family[adjusted_supported(both_family)], "outcome", noun="difference",
        subjects=[f"leader's effect on {o}, empowered minus less empowered firms"
                  for o in both_family.loc[adjusted_supported(both_family), "outcome"]],
        n_family=len(both_family))
    + findings_from_adjusted_table(
        say_do_family[adjusted_supported(say_do_family)], "term",
        subjects=[f"{o}, per SD of {say_do_words[t]}" for o, t in zip(
            say_do_family.loc[adjusted_supported(say_do_family), "outcome"],
            say_do_family.loc[adjusted_supported(say_do_family), "term"])],
        n_family=len(say_do_family))
    + truth_checks
    + (about_synthetic(
        "all magnitudes are assumptions documented in `docs/simulation.md`; the notebook "
        "shows what each comparison recovers when the truth is known, not how real firms "
        "with each owner fare.", synthetic),),
    heading="What these data show, what they miss, and the warnings",
    data_kind=kind,
)

# %% [markdown]
# What no result above can show, whatever the data:
#
# - **Ownership models** are chosen by firms: a contrast between them mixes the owner's doing
#   with the kind of firm that chooses that owner, however many controls are added. A firm's
#   owner must be the one in force when the outcome was measured, not the one at the end.
#   What appointing a leader *changes* is notebook 11's question, with its own assumptions.
# - **Doing both**: a difference between empowered and other firms is effect modification;
#   empowered firms differ in other ways, so it does not say what empowering employees would
#   change. An interval that includes zero means "not detected" at this size, not "no
#   difference".
# - **Say/do**: the gap index is a useful description but a poor regressor; say and do must be
#   read separately.
# - Firms with a CX executive are not the same as CX-leading firms: nothing here measures
#   whether a firm leads on CX, only who owns it.

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
# **Exercise 06.1.** In the bundled synthetic study (cx.load_study(None)), take the firms whose
# CX owner at the end of the panel is a CX leader. What share of their firm-years come before
# the leader was appointed? A share between 0 and 1, two decimals.

# %%
cx.exercises.check("06.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: among the firms whose end owner is a CX leader, the share of firm-years before the
# appointment (owner in force: not yet appointed), from the table at the top
leader_years = panel[panel["cx_owner_end"] == "cx_leader"]
answer = round(float((leader_years["cx_owner_then"] == "pre_leader").mean()), 2)
cx.exercises.check("06.1", answer)

# %% [markdown]
# **Exercise 06.2.** Four contrasts, adjusted together as a family of tests, have p-values
# 0.010, 0.015, 0.040 and 0.200. How many are distinguishable from zero at the 5% level after
# Holm adjustment?

# %%
cx.exercises.check("06.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: Holm compares the k-th smallest p-value with 0.05 / (m - k + 1) and stops at the
# first that fails; cx.holm gives the adjusted p-values
answer = int((cx.holm(np.array([0.010, 0.015, 0.040, 0.200])) < 0.05).sum())
cx.exercises.check("06.2", answer)

# %% [markdown]
# **Exercise 06.3.** Predict: in simulated firms, CX rises with the CX budget share ('do') and
# not at all with the stated priority ('say'), and the two go together (correlation 0.3).
# Regress CX on the say/do gap (say minus do) alone: will the gap's coefficient be positive,
# negative or about zero?

# %%
cx.exercises.check("06.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: simulate it. gap = say - do, so with CX rising in do alone the gap's coefficient
# is about minus do's (section 3's table shows the same on the bundled study)
rng = np.random.default_rng(0)
say_z = rng.normal(size=2000)
do_z = 0.3 * say_z + np.sqrt(1 - 0.3**2) * rng.normal(size=2000)
cx_y = 0.3 * do_z + rng.normal(size=2000)
slope = np.polyfit(say_z - do_z, cx_y, 1)[0]
answer = "negative" if slope < 0 else "positive"
cx.exercises.check("06.3", answer)
