"""A **synthetic**, labelled corpus of job postings, with and without a CX title.

Every posting is assembled from template sentences written for this project (no real posting,
company or person); every table carries ``attrs["synthetic"] = True``.

The generator (:func:`simulate_postings`), step by step:

1. **Title.** With probability ``p_cx_title`` a CX title ("Customer Experience Manager",
   "Head of CX", ...), otherwise a comparison title from jobs of similar seniority
   ("Operations Manager", "Project Manager", ...).
2. **Truth.** Whether the description mentions the customer in the sense of the coding
   protocol (:mod:`cxresearch.text.postings`): it *never* does with probability
   ``p_no_customer[family]`` (an illustrative assumption: 0.35 for CX titles, 0.55 for the
   others), independently of everything else.
3. **Description.** A company blurb, three to five generic duties, one or two requirements and
   a closing line. A posting that mentions the customer gets one to three customer sentences;
   each is *implicit* (no dictionary keyword: "the people who buy from us") with probability
   ``p_implicit``. Sentences that contain a dictionary keyword but do not count under the
   protocol are mixed into every posting: a blurb about the company's customers
   (``p_blurb_trap``), an internal "client"/"survey"/"feedback"/"retention" duty
   (``p_duty_trap``) and, for CX titles, the job title or the CX department's name
   (``p_title_echo``).
4. **Hand codes.** A random ``n_hand_coded`` postings are hand coded; the hand coder follows
   the protocol but errs with probability ``hand_error`` (a human coder is not perfect).

Columns: ``posting_id``, ``title``, ``description``, ``title_family``, ``mentions_customer``
(the hand code: 1, 0, or missing when not hand coded) and the generator's truth
``true_mentions_customer``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, check_seed

__all__ = ["PostingsParams", "simulate_postings"]

CX_TITLES: tuple[str, ...] = (
    "Customer Experience Manager", "Director of Customer Experience", "CX Analyst",
    "Head of CX", "Chief Experience Officer", "Customer Experience Specialist",
    "VP, Customer Experience", "CX Program Manager", "Customer Experience Lead",
    "Senior CX Strategist",
)
OTHER_TITLES: tuple[str, ...] = (
    "Operations Manager", "Project Manager", "Business Analyst", "Program Manager",
    "Process Improvement Lead", "Strategy Manager",
)

_COMPANIES = ("Northwind Group", "Bluefield Services", "Harbor & Finch", "Meridian Retail",
              "Oakline Health", "Cobalt Telecom", "Larkspur Insurance", "Tessera Travel")
_BLURBS = (
    "{company} is a growing business with offices in three countries.",
    "Join {company}, a team of 400 people building the future of our sector.",
    "{company} was founded in 2009 and has grown every year since.",
    "At {company} we value curiosity, ownership and honest feedback between colleagues.",
)
_BLURB_TRAPS = (
    "At {company}, customers are at the heart of everything we do.",
    "{company} serves more than a million customers across Europe.",
    "We are proud of the trust our clients place in {company}.",
)
_DUTIES = (
    "Own the weekly reporting pack for the leadership team.",
    "Manage a portfolio of cross-functional projects from kick-off to delivery.",
    "Build and maintain dashboards in Power BI.",
    "Coordinate budgets and resource plans with finance.",
    "Run steering-committee meetings and track actions to closure.",
    "Drive process improvement across the operations teams.",
    "Write business cases and present them to senior stakeholders.",
    "Manage vendor contracts and service-level agreements.",
    "Lead a team of four analysts.",
    "Document processes and maintain the governance framework.",
    "Support the roll-out of the new CRM platform.",
    "Prepare the quarterly business review.",
    "Align priorities across IT, finance and HR.",
    "Track KPIs and escalate risks to the programme board.",
)
_DUTY_TRAPS = (
    "Maintain client-server integrations with the data platform.",
    "Run the annual employee engagement survey and report the results.",
    "Give structured feedback to project teams after each release.",
    "Improve staff retention in the shared-services centre.",
)
_TITLE_ECHO = (
    "As our {title}, you will report to the Chief Operating Officer.",
    "You will join the Customer Experience team of twelve people.",
    "The {title} role is new in our organisation.",
)
_CUSTOMER_EXPLICIT = (
    "Analyse customer feedback and turn it into improvement plans.",
    "Own the Net Promoter Score programme and close the loop with detractors.",
    "Map customer journeys and find the pain points that drive complaints.",
    "Reduce churn among small-business customers.",
    "Interview clients to understand what they need from us.",
    "Lead the voice-of-the-customer programme across channels.",
    "Improve satisfaction scores for patients in our clinics.",
    "Work with the contact centre to cut repeat calls from customers.",
    "Design service improvements with guests in mind.",
    "Build personas from customer research and share them with product teams.",
)
_CUSTOMER_IMPLICIT = (
    "Make it easier for the people who buy from us to get help when something goes wrong.",
    "Spend time with account holders to learn what frustrates them.",
    "Make every visit to our stores simpler for the families who shop with us.",
    "Understand why people stop using our app and what would bring them back.",
    "Represent the people we serve in every product decision.",
)
_REQUIREMENTS = (
    "Five or more years in a similar role.", "Strong Excel and PowerPoint skills.",
    "Excellent stakeholder management.", "A degree in business or a related field.",
    "Experience with agile ways of working.", "Fluent written and spoken English.",
)
_CLOSING = (
    "We are an equal opportunity employer.", "Hybrid working: two days a week in the office.",
    "Competitive salary and 28 days of annual leave.",
    "Apply with your CV by the end of the month.",
)


@dataclass(frozen=True)
class PostingsParams:
    """Settings of the synthetic corpus (all probabilities are illustrative assumptions)."""

    n: int = 1200
    n_hand_coded: int = 300
    p_cx_title: float = 0.6
    p_no_customer: Mapping[str, float] = field(
        default_factory=lambda: {"CX title": 0.35, "other title": 0.55})
    p_implicit: float = 0.25
    p_blurb_trap: float = 0.3
    p_duty_trap: float = 0.3
    p_title_echo: float = 0.6
    hand_error: float = 0.03


def simulate_postings(params: PostingsParams | None = None, *, seed: int | None = 0,
                      **overrides: object) -> pd.DataFrame:
    """A synthetic corpus of job postings with a hand-coded random subset.

    See the module docstring for the generator; keyword ``overrides`` replace fields of
    ``params`` (e.g. ``n=500``).

    Examples
    --------
    >>> p = simulate_postings(seed=0)
    >>> len(p), int(p["mentions_customer"].notna().sum()), p.attrs["synthetic"]
    (1200, 300, True)
    >>> sorted(p["title_family"].unique())
    ['CX title', 'other title']
    """
    p = params or PostingsParams()
    if overrides:
        p = PostingsParams(**{**asdict(p), **overrides})
    if p.n < 1 or not 0 <= p.n_hand_coded <= p.n:
        raise DataError(f"n must be >= 1 and 0 <= n_hand_coded <= n, got n={p.n}, "
                        f"n_hand_coded={p.n_hand_coded}")
    rng = np.random.default_rng(check_seed(seed))

    def pick(options: tuple[str, ...]) -> str:
        return options[rng.integers(len(options))]

    rows = []
    for i in range(p.n):
        cx = rng.random() < p.p_cx_title
        family = "CX title" if cx else "other title"
        title = pick(CX_TITLES if cx else OTHER_TITLES)
        company = pick(_COMPANIES)
        mentions = not (rng.random() < p.p_no_customer[family])
        blurb = pick(_BLURB_TRAPS if rng.random() < p.p_blurb_trap else _BLURBS)
        duties = list(rng.choice(_DUTIES, size=int(rng.integers(3, 6)), replace=False))
        if rng.random() < p.p_duty_trap:
            duties.append(pick(_DUTY_TRAPS))
        if mentions:
            for _ in range(int(rng.integers(1, 4))):
                duties.append(pick(_CUSTOMER_IMPLICIT if rng.random() < p.p_implicit
                                   else _CUSTOMER_EXPLICIT))
        order = rng.permutation(len(duties))
        duties = [duties[j] for j in order]
        intro = [pick(_TITLE_ECHO)] if cx and rng.random() < p.p_title_echo else []
        reqs = list(rng.choice(_REQUIREMENTS, size=int(rng.integers(1, 3)), replace=False))
        text = " ".join([blurb, *intro, *dict.fromkeys(duties), *reqs, pick(_CLOSING)])
        rows.append({"posting_id": f"p{i + 1:04d}", "title": title,
                     "description": text.format(company=company, title=title),
                     "title_family": family, "true_mentions_customer": int(mentions)})
    out = pd.DataFrame(rows)
    coded = np.zeros(p.n, dtype=bool)
    coded[rng.choice(p.n, size=p.n_hand_coded, replace=False)] = True
    flip = rng.random(p.n) < p.hand_error
    hand = np.where(flip, 1 - out["true_mentions_customer"], out["true_mentions_customer"])
    out.insert(4, "mentions_customer", pd.array(np.where(coded, hand, 0), dtype="Int64"))
    out.loc[~coded, "mentions_customer"] = pd.NA
    out.attrs.update({"synthetic": True, "params": asdict(p)})
    return out
