"""The claims ledger: one source, shown identically in the README."""

from __future__ import annotations

import re

from cxresearch.core import paths
from cxresearch.report.claims import LEDGER, ledger, ledger_markdown

QUESTIONS = [
    "everyone's job", "CEO, COO, CMO or a CXO", "(EX) drive customer experience",
    "CX-leading firms win", "say/do gap", "metrics", "job titles", "self-selected poll",
]


def test_readme_shows_the_ledger_verbatim() -> None:
    text = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- claims-ledger:start -->\n(.*?)<!-- claims-ledger:end -->", text, re.S)
    assert m, "README has no claims-ledger block"
    assert m.group(1) == ledger_markdown(), "README's ledger differs: paste ledger_markdown()"


def test_ledger_covers_the_questions_with_an_evidence_kind() -> None:
    questions = " ".join(c.question for c in LEDGER)
    for q in QUESTIONS:
        assert q in questions, q
    kinds = {"synthetic, known truth", "real", "fictional", "artificial", "published literature",
             "not yet examined"}
    for c in LEDGER:
        assert any(k in c.evidence for k in kinds), c.evidence
        assert c.safe_to_say and c.not_safe_to_say
        assert "|" not in "".join((c.question, c.where, c.safe_to_say, c.not_safe_to_say))
    assert ledger().shape == (len(LEDGER), 5)
