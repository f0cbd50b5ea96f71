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
from pathlib import Path

import pandas as pd

__all__ = ["EVIDENCE_KINDS", "LEDGER", "Claim", "citations", "evidence_kinds", "ledger",
           "ledger_markdown", "ledger_problems", "notebook_sections"]

#: words in a row's ``evidence`` and the data kind of results each allows
#: (:data:`cxresearch.report.conclusions.DATA_KINDS`)
EVIDENCE_KINDS: dict[str, str] = {
    "synthetic": "synthetic",
    "fictional": "fictional",
    "artificial": "fictional",
    "real": "real",
}


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
        "06 §1 (outcomes by ownership model), 11 §1 (event study), 11 §4 (power)",
        "synthetic, known truth",
        "With these methods, a study of a few hundred firms can compare ownership models "
        "honestly (firm-clustered intervals, owner status at the time of each answer, "
        "Holm-adjusted contrasts), but with low power for modest differences (11 §4). In the "
        "bundled simulation the differences are put in by assumption.",
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
        "al. 2003). In simulation the notebooks' methods recover a known EX → CX path, and "
        "show that between-firm mediation misses the simulated chain to revenue growth and "
        "finds a direct EX → growth association the simulation does not contain (reverse "
        "causation and selection).",
        "That this project shows EX causes CX, or that the fictional/artificial data "
        "'confirm' it.",
    ),
    Claim(
        "Do CX-leading firms win on revenue and cost to serve?",
        "05 §6 (between-firm CX with revenue growth and cost to serve)",
        "synthetic, known truth; published literature (Heskett et al. 1994)",
        "Between-firm associations of CX with growth are easily confounded (reverse causation, "
        "selection); in the simulation the chain from CX to growth is not recovered by "
        "between-firm mediation. Culture is not examined for CX-leading firms, and firms with "
        "a CX executive (06, 11) are a different question.",
        "Any size of revenue or cost advantage for CX-leading firms, and any causal claim from "
        "a between-firm comparison.",
    ),
    Claim(
        "Do firms with a CX executive improve after appointing one?",
        "11 §1 (staggered event study, Rambachan-Roth sensitivity), 11 §2 (threats: slump, "
        "anticipation, confounding, heterogeneous effects), 11 §3 (one firm's appointment)",
        "synthetic, known truth; 200-replication validation (scripts/validate_causal.py)",
        "A staggered event study (Callaway & Sant'Anna) has intervals that cover the simulated "
        "effects when selection works through stable firm differences, but in the bundled "
        "300-firm study most effects are not detected after multiplicity adjustment (low "
        "power, 11 §4) and the one that is does not survive modest departures from parallel "
        "trends (11 §1). With anticipation or observed time-varying confounders it fails "
        "unless the design is adapted; after a slump before the appointment no estimator here "
        "holds up (coverage at most 0.77 over 200 simulated panels, the anticipation design "
        "0.41), though the placebo and pre-trend tests raise the alarm (11 §2). For one firm, "
        "synthetic control with donor firms has near-nominal coverage over 200 simulations "
        "where a single series' interrupted time series does not, but can be too imprecise to "
        "detect a modest effect (11 §3).",
        "That appointing a CX leader raises CX or growth in real firms; an effect from an "
        "interrupted time series alone.",
    ),
    Claim(
        "Does a CX leader pay off more where employees are empowered (\"doing both\")?",
        "06 §2 (event study by baseline empowerment)",
        "synthetic, known truth (no difference put in)",
        "How to test it: the event study split by empowerment, and the difference between the "
        "two effects with its interval, Holm-adjusted.",
        "That leading companies do both, or that doing both pays: the bundled data cannot say.",
    ),
    Claim(
        "Is there a say/do gap (stated CX priority against CX budget)?",
        "06 §3 (say/do index)",
        "synthetic, known truth",
        "How to measure a gap between stated priority and budget, and that stated priority "
        "alone need not predict CX.",
        "How common the gap is in real firms.",
    ),
    Claim(
        "What do the metrics measure, and how precisely?",
        "01 (NPS, CSAT, CES, top-box intervals, clustering); 02 (culture and engagement scales); "
        "08 §1-7 (predictive validity for churn, spend, referrals, growth; the cost of the NPS "
        "cut; said vs done)",
        "real (CMS patient experience; AER RecreationDemand lake visitors, limited); synthetic, "
        "known truth; fictional (IBM HR items); published literature (Keiningham et al. 2007; "
        "Morgan & Rego 2006; de Haan, Verhoef & Wiesel 2015; Kumar, Petersen & Leone 2007)",
        "An NPS from a few hundred answers has a margin of several points; answers nested in "
        "firms need clustered intervals. NPS is a less efficient summary of the 0-10 answers "
        "than their mean (about 1.2 to 1.7 times as many answers for the same change for the "
        "distributions tried in 08 §6; top-2-box 1.4 to 4.7 times). Published studies find NPS "
        "no better than satisfaction at predicting growth (Keiningham et al. 2007; Morgan & "
        "Rego 2006), and most customers who say they will recommend do not (Kumar et al. "
        "2007).",
        "That NPS or any metric predicts behaviour or growth in real firms from this project's "
        "own evidence: the ranking in notebook 08 is put in by the simulation's measurement "
        "model, and the only real data found are small and concurrent.",
    ),
    Claim(
        "Do the metrics shape the culture? (bonuses tied to NPS)",
        "08 §8 (the metrics-culture loop: a bonus culture, a learning culture, integrity "
        "checks)",
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
        "Did our NPS really change this month, and in which segments?",
        "12 §1 (raking to the customer base), §3 (month-on-month changes by segment), §4 "
        "(trend), §5 (a chart without intervals)",
        "synthetic, known truth (a real change in one region from month 4); your own tracker "
        "with population margins",
        "How to tell a real change from noise: weight the answers to the customer base with "
        "calibration-aware intervals, compare consecutive months with the stores as clusters, "
        "Holm over all the segments' changes, suppress small cells. In the synthetic tracker a "
        "chart without intervals reports many 5-point moves of which only the real change holds.",
        "That any real firm's NPS moved: the tracker is simulated. A change that holds is an "
        "association in time, not its cause; raking corrects only for the margins it is given.",
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


def citations(where: str) -> list[tuple[str, int | None]]:
    """The notebook sections a ledger row cites: ``(notebook number, section or None)``.

    ``"11 §2-3"`` cites sections 2 and 3 of notebook 11; ``"01 (...)"`` the whole notebook.

    Parameters
    ----------
    where : str
        A row's ``where`` text.

    Returns
    -------
    list of tuple
        ``(notebook, section)`` pairs in order, without repeats.

    Examples
    --------
    >>> citations("05 §1-3 (linkage); 06 §2, 01 (metrics)")
    [('05', 1), ('05', 2), ('05', 3), ('06', 2), ('01', None)]
    """
    import re

    out: list[tuple[str, int | None]] = []
    for nb, first, last in re.findall(r"\b(\d\d)(?: §(\d+)(?:-(\d+))?)?", where):
        if not first:
            pairs: list[tuple[str, int | None]] = [(nb, None)]
        else:
            pairs = [(nb, k) for k in range(int(first), int(last or first) + 1)]
        out += [p for p in pairs if p not in out]
    return out


def evidence_kinds(evidence: str) -> set[str]:
    """The data kinds a row's ``evidence`` allows its cited sections' results to rest on.

    Parameters
    ----------
    evidence : str
        A row's ``evidence`` text.

    Returns
    -------
    set of str
        Keys of :data:`cxresearch.report.conclusions.DATA_KINDS` (``"synthetic"``, ...).

    Examples
    --------
    >>> sorted(evidence_kinds("synthetic, known truth; fictional (IBM HR) and artificial data"))
    ['fictional', 'synthetic']
    """
    import re

    return {kind for word, kind in EVIDENCE_KINDS.items()
            if re.search(rf"\b{word}\b", evidence, flags=re.IGNORECASE)}


def notebook_sections(notebook: str | Path) -> dict[int | None, set[str]]:
    """The numbered sections of an executed notebook and the data kinds their results rest on.

    A section starts at a Markdown heading ``## k. ...`` and ends at the next ``## `` heading;
    the key ``None`` stands for the whole notebook. The data kinds are those that the generated
    result blocks (:class:`~cxresearch.report.conclusions.Conclusions` and
    :class:`~cxresearch.report.conclusions.Finding` outputs) carry in their metadata.

    Parameters
    ----------
    notebook : str or pathlib.Path
        An executed ``.ipynb`` file.

    Returns
    -------
    dict
        Section number (or None) -> set of data kinds.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> secs = notebook_sections(paths.NOTEBOOKS_DIR / "11_appointing_a_cx_leader.ipynb")
    >>> sorted(k for k in secs if k is not None)
    [1, 2, 3, 4]
    """
    import json
    import re

    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    out: dict[int | None, set[str]] = {None: set()}
    current: int | None = None
    for cell in nb.get("cells", []):
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            m = re.search(r"^## (\d+)\.", source, flags=re.M)
            if m:
                current = int(m.group(1))
                out.setdefault(current, set())
            elif re.search(r"^## ", source, flags=re.M):
                current = None  # an unnumbered section (the summary) ends the numbered one
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("text/markdown", output.get("metadata", {}))
            info = meta.get("cxresearch", {}) if isinstance(meta, dict) else {}
            kinds = {k for k in str(info.get("data_kind", "")).split(",") if k}
            out[None] |= kinds
            if current is not None:
                out[current] |= kinds
    return out


def ledger_problems(rows: tuple[Claim, ...] | None = None,
                    notebooks_dir: str | Path | None = None) -> list[str]:
    """What is wrong with the ledger against the executed notebooks: an empty list when every
    row cites sections that exist and whose results rest on the kinds of data it names.

    Parameters
    ----------
    rows : tuple of Claim, optional
        The rows to check (default :data:`LEDGER`).
    notebooks_dir : str or pathlib.Path, optional
        Where the executed notebooks are (default ``notebooks/``).

    Returns
    -------
    list of str
        One message per problem: a cited notebook or section that does not exist, or a cited
        section whose results rest on a data kind the row's ``evidence`` does not name.

    Examples
    --------
    >>> ledger_problems()
    []
    >>> bad = Claim("q", "06 §9 (nothing)", "synthetic", "s", "n")
    >>> ledger_problems((bad,))
    ["'q': cites 06 §9, which notebook 06 does not have"]
    """
    from cxresearch.core import paths

    directory = Path(notebooks_dir) if notebooks_dir is not None else paths.NOTEBOOKS_DIR
    problems: list[str] = []
    cache: dict[str, dict[int | None, set[str]] | None] = {}
    for row in LEDGER if rows is None else rows:
        allowed = evidence_kinds(row.evidence)
        cited = citations(row.where)
        if not cited:
            problems.append(f"{row.question!r}: cites no notebook")
        for nb, section in cited:
            if nb not in cache:
                found = sorted(directory.glob(f"{nb}_*.ipynb"))
                cache[nb] = notebook_sections(found[0]) if found else None
            secs = cache[nb]
            where = f"{nb} §{section}" if section is not None else nb
            if secs is None:
                problems.append(f"{row.question!r}: cites notebook {nb}, which does not exist")
                continue
            if section not in secs:
                problems.append(f"{row.question!r}: cites {where}, which notebook {nb} does "
                                "not have")
                continue
            other = secs[section] - allowed - {"user"}
            if other:
                problems.append(f"{row.question!r}: {where} shows results on "
                                f"{', '.join(sorted(other))} data, which the row's evidence "
                                f"({row.evidence!r}) does not name")
    return problems
