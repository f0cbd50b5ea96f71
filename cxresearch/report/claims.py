"""The claims ledger: every question the project examines, with what evidence, and what a writer
may safely say about it.

One source for the table shown in ``notebooks/00_start_here`` and in the README (a test keeps
the README's copy identical to :func:`ledger_markdown`).

Kinds of evidence:

- **synthetic, known truth** -- the bundled simulated study; it shows whether a *method*
  recovers an effect that was put in by assumption, never whether the effect exists;
- **real** -- data about real organisations or people (CMS patient-experience scores);
- **fictional / artificial** -- realistic data made up by a vendor or a textbook (IBM's HR and
  telco samples are fictional; the MLC++ churn data are artificial);
- **published literature** -- peer-reviewed findings cited in the notebooks;
- **not yet examined** -- a question the project names but has no notebook for yet.

Two meanings of "CX leader" are kept apart: *firms with a CX executive* (a dedicated CXO/CCO:
``cx_owner == "cx_leader"``) and *CX-leading firms* (firms that do better on CX than peers).

>>> t = ledger()
>>> list(t.columns)
['question', 'where', 'evidence', 'safe_to_say', 'not_safe_to_say']
>>> len(t) >= 8
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

__all__ = ["LEDGER", "Claim", "ledger", "ledger_markdown"]


@dataclass(frozen=True)
class Claim:
    """One row of the claims ledger: a question, its evidence, and what a writer may say.

    Parameters
    ----------
    question : str
        The question the project examines.
    where : str
        The notebooks and sections that examine it.
    evidence : str
        The kinds of evidence (see the module docstring).
    safe_to_say : str
        What the evidence supports.
    not_safe_to_say : str
        What it does not.

    Examples
    --------
    >>> LEDGER[0].evidence
    'synthetic, known truth'
    """
    question: str
    where: str
    evidence: str
    safe_to_say: str
    not_safe_to_say: str


LEDGER: tuple[Claim, ...] = (
    Claim(
        "Is CX everyone's job, or a dedicated leader's?",
        "06 §1 (outcomes by ownership model), 06 §2 (event study)",
        "synthetic, known truth",
        "With these methods, a study of a few hundred firms can compare ownership models "
        "honestly: firm-clustered intervals, owner status at the time of each answer, "
        "Holm-adjusted contrasts. In the bundled simulation the differences are put in by "
        "assumption.",
        "Anything about which model works better in real firms: no real data here link CX "
        "ownership to outcomes.",
    ),
    Claim(
        "Who should own CX: the CEO, COO, CMO or a CXO?",
        "06 §1 (ownership contrasts, Holm-adjusted)",
        "synthetic, known truth",
        "Ranking owners needs many comparisons; after multiplicity control few differences "
        "survive even in a simulation that has them.",
        "That any owner is best; a single unadjusted contrast (e.g. 'COO firms grow slower').",
    ),
    Claim(
        "Does employee experience (EX) drive customer experience (CX)?",
        "05 §1-6 (linkage, cross-lagged panel, mediation, SEM); 05 §7 (individual level)",
        "synthetic, known truth; fictional (IBM HR) and artificial (MLC++ churn) data; "
        "published literature (Harter, Schmidt & Hayes 2002; Schneider et al. 2003)",
        "Published meta-analyses find unit-level correlations near .3 between engagement and "
        "customer outcomes (Harter et al. 2002), and performance can come first (Schneider et "
        "al. 2003). The notebooks' methods recover a known EX → CX path in simulation.",
        "That this project shows EX causes CX, or that the fictional/artificial data "
        "'confirm' it.",
    ),
    Claim(
        "Do CX-leading firms win on revenue, costs and culture?",
        "05 §6 (mediation to revenue growth and cost to serve); 06 §2-3",
        "synthetic, known truth; published literature (Heskett et al. 1994)",
        "Between-firm associations of CX with growth are easily confounded (reverse causation, "
        "fast growers appointing leaders); the notebooks show how much a naive comparison can "
        "overstate.",
        "Any size of revenue or cost advantage for CX-leading firms, and any causal claim from "
        "a between-firm comparison.",
    ),
    Claim(
        "Do firms with a CX executive improve after appointing one?",
        "06 §2 (staggered event study, Rambachan-Roth sensitivity), 06 §3 (threats: slump, "
        "anticipation, confounding, heterogeneous effects), 06 §6 (one firm's appointment)",
        "synthetic, known truth; 200-replication validation (scripts/validate_causal.py)",
        "A staggered event study (Callaway & Sant'Anna) recovers the simulated effect when "
        "selection works through stable firm differences; after a slump, with anticipation or "
        "with confounders that change over time it fails unless the design is adapted "
        "(anticipation periods, doubly robust covariates), and its placebo and pre-trend tests "
        "raise the alarm (06 §3). For one firm, synthetic control with donor firms holds up "
        "where a single series' interrupted time series does not.",
        "That appointing a CX leader raises CX or growth in real firms; an effect from an "
        "interrupted time series alone.",
    ),
    Claim(
        "Does a CX leader pay off more where employees are empowered (\"doing both\")?",
        "06 §4 (event study by baseline empowerment)",
        "synthetic, known truth (no difference put in)",
        "How to test it: the event study split by empowerment, and the difference between the "
        "two effects with its interval, Holm-adjusted.",
        "That leading companies do both, or that doing both pays: the bundled data cannot say.",
    ),
    Claim(
        "Is there a say/do gap (stated CX priority against CX budget)?",
        "06 §5 (say/do index)",
        "synthetic, known truth",
        "How to measure a gap between stated priority and budget, and that stated priority "
        "alone need not predict CX.",
        "How common the gap is in real firms.",
    ),
    Claim(
        "What do the metrics measure, and how precisely?",
        "01 (NPS, CSAT, CES, top-box intervals, clustering); 02 (culture and engagement scales); "
        "08 (predictive validity for churn, spend, referrals, growth; the cost of the NPS cut; "
        "said vs done)",
        "real (CMS patient experience; AER RecreationDemand lake visitors, limited); synthetic, "
        "known truth; fictional (IBM HR items); published literature (Keiningham et al. 2007; "
        "Morgan & Rego 2006; de Haan, Verhoef & Wiesel 2015; Kumar, Petersen & Leone 2007)",
        "An NPS from a few hundred answers has a margin of several points; answers nested in "
        "firms need clustered intervals. NPS is a less efficient summary of the 0-10 answers "
        "than their mean (about 1.2 to 1.7 times as many answers for the same change, depending "
        "on where the answers lie). Published studies find NPS no better than satisfaction at "
        "predicting growth (Keiningham et al. 2007; Morgan & Rego 2006), and most customers who "
        "say they will recommend do not (Kumar et al. 2007).",
        "That NPS or any metric predicts behaviour or growth in real firms from this project's "
        "own evidence: the ranking in notebook 08 is put in by the simulation's measurement "
        "model, and the only real data found are small and concurrent.",
    ),
    Claim(
        "Do the metrics shape the culture? (bonuses tied to NPS)",
        "08 (the metrics-culture loop: a bonus culture, a learning culture, integrity checks)",
        "synthetic, known truth; published literature (Campbell 1979; Strathern 1997; "
        "Reichheld & Markey 2011)",
        "A score that decides pay can rise without any customer's experience changing, and an "
        "analyst can see it: a spike of 10s, fewer invitations, respondents who churn less than "
        "the customer base, a score that moves while behaviour does not.",
        "How often firms game NPS, or how large the effects are: the sizes of the simulated "
        "behaviours are assumptions.",
    ),
    Claim(
        "Are CX job titles inflated?",
        "10 (protocol, validation against hand codes, share that never mentions the customer)",
        "synthetic, known truth",
        "How to measure it: a written protocol for what counts as mentioning the customer, a "
        "random hand-coded sample, a keyword dictionary and a classifier validated against it "
        "(precision, recall, kappa), and a share corrected for the classifier's errors with an "
        "interval. In the synthetic corpus a raw keyword count understates the share of "
        "postings that never mention the customer.",
        "How often real CX-titled postings omit the customer, or that titles are inflated: no "
        "real postings are analysed here, and inflation is a change over time or a gap between "
        "title and work, which a cross-section of postings cannot show.",
    ),
    Claim(
        "Who should drive CX? (a self-selected poll)",
        "09 (agreement: kappa, alpha; shares with simultaneous intervals; self-selection)",
        "synthetic, known truth",
        "How to read such a poll: code the open answers with a written frame and two coders "
        "(kappa, alpha), give the shares simultaneous intervals (about ±10 points each at "
        "n = 110) and read them as describing the respondents. A simulation shows that a modest "
        "tilt in who answers moves shares by several points and that more answers do not fix it.",
        "Any share from the real poll (the answers here are synthetic); shares from a "
        "self-selected poll as if they described CX professionals at large; which owner is best.",
    ),
)


def ledger() -> pd.DataFrame:
    """The ledger as a tidy frame, one row per question.

    Returns
    -------
    pandas.DataFrame
        Columns ``question``, ``where``, ``evidence``, ``safe_to_say``, ``not_safe_to_say``.

    Examples
    --------
    >>> ledger().columns[-1], len(ledger()) == len(LEDGER)
    ('not_safe_to_say', True)
    """
    return pd.DataFrame([asdict(c) for c in LEDGER])


def ledger_markdown() -> str:
    """The ledger as a Markdown table (the README and notebook 00 show exactly this).

    Returns
    -------
    str
        A header row, a rule and one row per question.

    Examples
    --------
    >>> ledger_markdown().splitlines()[0]
    '| question | where | evidence | what a writer may safely say | what not |'
    """
    head = ("| question | where | evidence | what a writer may safely say | what not |\n"
            "|---|---|---|---|---|\n")
    rows = "".join(
        f"| {c.question} | {c.where} | {c.evidence} | {c.safe_to_say} | {c.not_safe_to_say} |\n"
        for c in LEDGER
    )
    return head + rows
