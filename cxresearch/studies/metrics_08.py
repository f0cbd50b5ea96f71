"""Notebook 08 (which metric?): its multiplicity-adjusted families, truth checks and checklist.

- :func:`gaming_family` -- the integrity diagnostics of the simulated gaming panel as one
  Holm-adjusted family, with a sentence per diagnostic;
- :func:`gaming_truth_checks` -- whether those sentences match the simulation's answer key;
- :func:`threshold_family` -- a comparison of two scorings at several outcome thresholds,
  Holm-adjusted across the thresholds;
- :func:`said_did_arithmetic` -- said / did from the published Kumar et al. (2007) figures;
- :func:`governance_checklist` -- the checklist, worded as what the simulations show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cxresearch.report.conclusions import (
    Finding,
    adjusted_effect_sentence,
    holm_family,
)

__all__ = ["gaming_family", "gaming_truth_checks", "governance_checklist",
           "said_did_arithmetic", "threshold_family"]

#: the diagnostics notebook 08 reports, in order
GAMING_DIAGNOSTICS = ("nps", "behaviour_all", "tens_among_promoters", "invite_rate",
                      "selection_gap")


def gaming_family(changes: pd.DataFrame, labels: Mapping[str, str], *, by: str = "culture",
                  cultures: Sequence[str] = ("bonus", "learning"),
                  diagnostics: Sequence[str] = GAMING_DIAGNOSTICS,
                  level: float = 0.95) -> tuple[pd.DataFrame, tuple[Finding, ...]]:
    """The difference-in-differences diagnostics as one Holm-adjusted family.

    Parameters
    ----------
    changes : pandas.DataFrame
        From :func:`cxresearch.measurement.validity.diagnostic_changes` (with ``p_value``).
    labels : mapping
        Group value -> its name in a sentence.
    by, cultures, diagnostics
        The group column, and the cultures and diagnostics in the family (in order).
    level : float
        Confidence level; the family's error rate is ``1 - level``.

    Returns
    -------
    (pandas.DataFrame, tuple of Finding)
        The family with ``p_holm`` and ``n_family``, and one sentence per row.

    Notes
    -----
    A bootstrap p-value is at least ``2 / (n_boot + 1)``, so with ``m`` tests nothing can pass
    Holm's first step unless ``n_boot > 2 m / (1 - level)`` (400 for ten tests at 95%).

    Examples
    --------
    >>> t = pd.DataFrame({"culture": ["bonus", "bonus"], "diagnostic": ["nps", "invite_rate"],
    ...                   "label": ["NPS", "invited (%)"], "estimate": [30.0, -1.0],
    ...                   "ci_low": [25.0, -2.0], "ci_high": [35.0, -0.1],
    ...                   "p_value": [0.001, 0.04]})
    >>> fam, found = gaming_family(t, {"bonus": "bonus"}, cultures=("bonus",),
    ...                            diagnostics=("nps", "invite_rate"))
    >>> fam["p_holm"].round(3).tolist(), [f.claims_effect for f in found]
    ([0.002, 0.04], [True, True])
    """
    keyed = changes.set_index([by, "diagnostic"])
    rows = keyed.loc[[(g, d) for g in cultures for d in diagnostics]].reset_index()
    fam = holm_family(rows)
    found = tuple(
        adjusted_effect_sentence(f"{labels[r[by]]}: {r['label']}", r["estimate"], r["ci_low"],
                                 r["ci_high"], r["p_holm"], n_family=int(r["n_family"]),
                                 design="causal", digits=1, level=level)
        for _, r in fam.iterrows())
    return fam, found


def gaming_truth_checks(family: pd.DataFrame, truth: Mapping[str, float], labels: Mapping[str,
                        str], *, by: str = "culture", level: float = 0.95) -> tuple[Finding, ...]:
    """Whether the adjusted churn results match the simulation's answer key.

    The answer key gives each group's true change of customers' satisfaction (SD). Churn of
    all customers should change only where satisfaction changed: no change where the truth is
    0, lower churn where it rose. Each sentence says *matches* or *misses*.

    Parameters
    ----------
    family : pandas.DataFrame
        From :func:`gaming_family`.
    truth : mapping
        Group -> true change of mean satisfaction (SD), e.g. ``GamingStudy.truth``.
    labels : mapping
        Group -> its name.
    by : str
        The group column.
    level : float
        Confidence level (the adjusted tests use ``1 - level``).

    Returns
    -------
    tuple of Finding
        ``kind="truth"``, one per group with a churn row.

    Examples
    --------
    >>> fam = pd.DataFrame({"culture": ["bonus"], "diagnostic": ["behaviour_all"],
    ...                     "estimate": [0.2], "ci_low": [-0.5], "ci_high": [0.9],
    ...                     "p_holm": [0.6]})
    >>> print(gaming_truth_checks(fam, {"bonus": 0.0}, {"bonus": "Bonus"})[0].text)
    *Against the answer key:* Bonus: true change in satisfaction 0.00 SD, so churn should not
    change; the adjusted test finds no clear change: matches the truth.
    """
    out = []
    churn = family[family["diagnostic"] == "behaviour_all"].set_index(by)
    for g, r in churn.iterrows():
        true = float(truth[g])
        found = r["p_holm"] < 1 - level and (r["ci_low"] > 0 or r["ci_high"] < 0)
        said = ("finds no clear change" if not found else
                f"finds churn {'lower' if r['estimate'] < 0 else 'higher'}")
        if abs(true) < 1e-12:
            expected, hit = "churn should not change", not found
        else:
            expected = f"churn should be {'lower' if true > 0 else 'higher'}"
            hit = found and (r["estimate"] < 0) == (true > 0)
        out.append(Finding(
            f"*Against the answer key:* {labels[g]}: true change in satisfaction {true:.2f} SD, "
            f"so {expected}; the adjusted test {said}: "
            f"{'matches the truth' if hit else 'MISSES the truth'}.", False, kind="truth"))
    return tuple(out)


def threshold_family(results: Mapping[Any, Any], predictor: str, *,
                     subject: str = "AUC, {label} − reference ({k}+)",
                     level: float = 0.95) -> tuple[pd.DataFrame, tuple[Finding, ...]]:
    """One paired comparison at several outcome thresholds, Holm-adjusted across thresholds.

    Parameters
    ----------
    results : mapping
        Threshold -> :class:`cxresearch.measurement.validity.Validity` (same reference).
    predictor : str
        The compared predictor (a row of each result's ``comparisons``).
    subject : str
        Sentence subject, formatted with ``label`` (the predictor's label) and ``k``.
    level : float
        Confidence level.

    Returns
    -------
    (pandas.DataFrame, tuple of Finding)
        One row per threshold with ``p_holm`` across thresholds, and a sentence per row.
    """
    rows = []
    for k, r in results.items():
        c = r.comparisons.set_index("predictor").loc[predictor]
        rows.append({"threshold": k, "label": c["label"], "estimate": c["estimate"],
                     "ci_low": c["ci_low"], "ci_high": c["ci_high"], "p_value": c["p_value"]})
    fam = holm_family(pd.DataFrame(rows))
    found = tuple(
        adjusted_effect_sentence(subject.format(label=r["label"].split(" (")[0],
                                                k=r["threshold"]),
                                 r["estimate"], r["ci_low"], r["ci_high"], r["p_holm"],
                                 n_family=int(r["n_family"]), digits=3, level=level,
                                 noun="difference")
        for _, r in fam.iterrows())
    return fam, found


def said_did_arithmetic(params: Mapping[tuple[str, str], Any]) -> pd.DataFrame:
    """Said / did and new customers per 100 who said, by arithmetic on the simulator's inputs.

    ``did`` = P(said) · P(refer | said) + P(not said) · P(refer | not said); new customers per
    100 who said = 100 · P(refer | said) · (1 + extra referrals) · conversion.

    Parameters
    ----------
    params : mapping
        (industry, reading) -> :class:`cxresearch.simulate.referrals.ReferralParams`.

    Returns
    -------
    pandas.DataFrame
        One row per industry and reading: ``said``, ``did`` (shares), ``ratio``,
        ``new_per_100_said``.

    Examples
    --------
    >>> from cxresearch.simulate.referrals import KPL_2007
    >>> t = said_did_arithmetic(KPL_2007).set_index(["industry", "reading"])
    >>> round(float(t.loc[("telecom", "of_all"), "ratio"]), 2)
    2.7
    """
    rows = []
    for (industry, reading), p in params.items():
        did = p.p_intend * p.follow_through + (1 - p.p_intend) * p.refer_without_intent
        rows.append({"industry": industry, "reading": reading, "said": p.p_intend, "did": did,
                     "ratio": p.p_intend / did,
                     "new_per_100_said": 100 * p.follow_through * (1 + p.extra_referrals)
                     * p.conversion})
    return pd.DataFrame(rows)


def governance_checklist(nps_cost: tuple[float, float], *, mean_beats_nps: bool,
                         synthetic: bool = True, bonus_score_only: bool = True) -> str:
    """The metric-governance checklist as Markdown, worded as what the simulations show.

    Parameters
    ----------
    nps_cost : (float, float)
        The smallest and largest ratio of answers NPS needs to the mean's (§6).
    mean_beats_nps : bool
        Whether the mean of the 0–10 answer beat NPS on every customer outcome (§2–§3).
    synthetic : bool, default True
        Whether §2–§3 ran on the bundled synthetic study (else on the analyst's data).
    bonus_score_only : bool, default True
        Whether, in the simulated gaming panel, the bonus moved the reported NPS (adjusted
        test) and not churn.

    Returns
    -------
    str

    Examples
    --------
    >>> "1.2 to 1.7 times" in governance_checklist((1.16, 1.74), mean_beats_nps=True)
    True
    >>> "on your data it did not" in governance_checklist((1.2, 1.5), mean_beats_nps=False,
    ...                                                     synthetic=False)
    True
    """
    lo, hi = nps_cost
    if synthetic:
        ranking = (f"in the synthetic study it {'beat' if mean_beats_nps else 'did not beat'} "
                   "NPS on every customer outcome, and the simulation was built so that it "
                   "could (the ranking is an assumption, §3)")
    else:
        ranking = (f"on your data it {'beat' if mean_beats_nps else 'did not beat'} NPS on "
                   "every customer outcome (§2–§3)")
    bonus = ("a bonus moved the score and not churn" if bonus_score_only else
             "the adjusted tests did not show a bonus moving the score without churn")
    return "\n".join([
        "**A metric-governance checklist: what the synthetic simulations show under their "
        "assumptions, and what to test on your own data**",
        "",
        "1. **Validate against behaviour before you target.** Link survey answers to "
        "retention, spend and referral records and test each candidate metric out of sample "
        "(§2–§4 show how; Morgan & Rego 2006; de Haan, Verhoef & Wiesel 2015). The metric that "
        "predicts best differed by industry in de Haan et al.; re-test it.",
        "2. **Report the mean of the 0–10 answer beside NPS.** The mean uses the same answers "
        f"more efficiently: NPS needed {lo:.1f} to {hi:.1f} times as many answers to detect "
        "the same change in the answer distributions of §6 (Cohen 1983; MacCallum et al. "
        "2002). Whether it *predicts* your customers' behaviour better must be tested on your "
        f"data: {ranking}.",
        "3. **Put intervals on every score and every change, clustered by firm or team** "
        "(notebook 01; Rocks 2016).",
        "4. **Be wary of paying on the score alone.** A number that decides bonuses invites "
        "corruption of the number (Campbell 1979; Strathern 1997; Reichheld & Markey 2011); in "
        f"the synthetic panel (§8, behaviours assumed) {bonus}.",
        "5. **Keep sampling out of the hands of the people rated.** Invite a random sample from "
        "the customer records, log every invitation and exclusion, and audit invitation and "
        "response rates by team (§8).",
        "6. **Watch the shape of the answers.** A rising share of 10s among the 9–10 answers, "
        "or a hollowed-out 7–8, *can* signal coaching (§8, synthetic); a real shift in "
        "experience can change the shape too.",
        "7. **Compare respondents with the customer base.** If respondents churn or complain "
        "less than all customers, the survey *may* be selecting happy customers (§8, "
        "synthetic); response bias without gaming does the same. Check invitations and "
        "sampling.",
        "8. **Track behaviour next to the metric.** A score that rises while churn and "
        "referrals do not is a *warning sign* of a gamed score, not proof: behaviour can lag a "
        "real gain. Check invitations and sampling. A score that lags behind improving "
        "behaviour may come from a culture that has started to listen, because unhappy "
        "customers now answer (§8, synthetic; Edmondson 1999).",
        "9. **Do not treat intention as behaviour.** Measure referrals directly (Kumar, "
        "Petersen & Leone 2007; §7).",
    ])
