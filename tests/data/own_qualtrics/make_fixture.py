"""Write ``own_qualtrics/``: the synthetic one-company survey as a retailer's Qualtrics export.

Run from the repository root: ``.venv/bin/python tests/data/own_qualtrics/make_fixture.py``.
Everything is **synthetic**: the stores, waves and answers of
:func:`cxresearch.simulate.own_survey.simulate_own_survey` (seed 0, as ``../own_survey/``), with
the customers written as Qualtrics writes an export (three header rows: column ids, the question
wording, import ids), its metadata columns and made-up personal data (``example.com``
addresses, invented names, documentation IP addresses), plus what real exports hold:

- 40 unfinished responses (``Finished`` False, ``Progress`` below 100) and 2 survey previews,
  which the readers exclude by default;
- 3 finished responses with an out-of-range answer (``Q1`` = 11 on 0-10, ``Q3`` = 9 on 1-7,
  ``Q4_2`` = 6 on 1-5), which stop a run unless ``on_invalid="set_aside"``.

The employees, units and outcomes are the plain tables of ``../own_survey/``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from cxresearch.io.instrument import Instrument
from cxresearch.simulate.own_survey import simulate_own_survey

HERE = Path(__file__).resolve().parent
SEED = 0

WORDING = {
    "Q1": "How likely are you to recommend Northwind Outfitters to a friend or colleague?",
    "Q2": "Overall, how satisfied are you with your most recent visit?",
    "Q3": "Northwind Outfitters made it easy for me to handle my issue.",
    "Q4_1": "How would you rate... - Staff friendliness",
    "Q4_2": "How would you rate... - Staff knowledge",
    "Q4_3": "How would you rate... - Waiting time",
    "Q4_4": "How would you rate... - Store tidiness",
    "Q4_5": "How would you rate... - Product availability",
    "Q4_6": "How would you rate... - Prices",
    "Q4_7": "How would you rate... - Checkout",
    "Q4_8": "How would you rate... - Returns and exchanges",
    "Q5_TEXT": "What is the main reason for your score?",
}
META = [("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
        ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
        ("Progress", "Progress", "progress"), ("Duration (in seconds)", "Duration (in seconds)",
                                               "duration"),
        ("Finished", "Finished", "finished"), ("RecordedDate", "Recorded Date", "recordedDate"),
        ("ResponseId", "Response ID", "_recordId"),
        ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
        ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
        ("RecipientEmail", "Recipient Email", "recipientEmail"),
        ("DistributionChannel", "Distribution Channel", "distributionChannel"),
        ("UserLanguage", "User Language", "userLanguage")]
EMBEDDED = ["store_id", "wave", "channel", "w"]
HEADER = (
    "SYNTHETIC: the instrument of the simulated retailer's Qualtrics export in this folder\n"
    "(cxresearch.simulate.own_survey, seed 0; see make_fixture.py). Q1-Q5 are the export's\n"
    "question ids; the readers keep their wording."
)
REASONS = ["Friendly staff", "Long queue at the till", "Could not find my size", "", "",
           "Quick and easy", "Prices went up", ""]


def _import_id(qid: str) -> str:
    return '{"ImportId":"' + qid + '"}'


def main() -> None:
    survey = simulate_own_survey(seed=SEED)
    rng = np.random.default_rng(SEED)
    cust = survey.customers.reset_index(drop=True)
    drivers = [f"d{i}" for i in range(1, 9)]
    ids = [m[0] for m in META] + list(WORDING) + EMBEDDED
    rows = [ids, [m[1] for m in META] + list(WORDING.values()) + EMBEDDED,
            [_import_id(m[2]) for m in META] + [_import_id("QID" + q[1:].replace("_TEXT", "_TEXT"))
                                                for q in WORDING] + [_import_id(e)
                                                                     for e in EMBEDDED]]
    n = len(cust)
    unfinished = set(rng.choice(n, 40, replace=False).tolist())
    previews = set(rng.choice(sorted(set(range(n)) - unfinished), 2, replace=False).tolist())
    rest = sorted(set(range(n)) - unfinished - previews)
    bad = dict(zip(rng.choice(rest, 3, replace=False).tolist(),
                   [("Q1", 11), ("Q3", 9), ("Q4_2", 6)], strict=True))

    def cell(v: object) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    for i, r in cust.iterrows():
        answers = {"Q1": r["ltr"], "Q2": r["sat"], "Q3": r["effort"],
                   **{f"Q4_{k + 1}": r[d] for k, d in enumerate(drivers)},
                   "Q5_TEXT": REASONS[i % len(REASONS)]}
        progress, finished = "100", "True"
        if i in unfinished:  # stopped after the first questions
            for q in [*list(answers)[3:]]:
                answers[q] = None
            progress, finished = "27", "False"
        if i in bad:
            q, v = bad[i]
            answers[q] = v
        day = 1 + i % 28
        start = f"2024-{3 + int(r['wave']):02d}-{day:02d} {9 + i % 9:02d}:{i % 60:02d}:05"
        rows.append([
            start, start, "Survey Preview" if i in previews else "IP Address",
            f"198.51.100.{i % 250}", progress, str(120 + i % 300), finished, start,
            f"R_{i + 1:05d}xQpLmNoRs", f"Lastname{i + 1:05d}", "Fictional",
            f"shopper{i + 1:05d}@example.com", "preview" if i in previews else "email", "EN",
            *[cell(answers[q]) for q in WORDING],
            r["store_id"], cell(r["wave"]), r["channel"], f"{r['w']:.3f}",
        ])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "customers.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))
    for name in ("employees", "units", "outcomes"):
        frame = survey.tables()[name]
        (HERE / f"{name}.csv").write_bytes(
            frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    inst = survey.instrument().to_dict()
    inst["weight"] = "w"
    inst["metrics"] = {"nps": {"column": "Q1", "range": [0, 10]},
                       "csat": {"column": "Q2", "range": [1, 5]},
                       "ces": {"column": "Q3", "range": [1, 7]}}
    inst["drivers"] = {"outcome": "Q2", "items": [f"Q4_{k}" for k in range(1, 9)],
                       "range": [1, 5]}
    (HERE / "instrument.yml").write_bytes(
        Instrument.from_dict(inst).to_yaml(HEADER).encode("utf-8"))


if __name__ == "__main__":
    main()
