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


def test_every_ledger_row_cites_sections_that_exist_with_the_data_it_names() -> None:
    from cxresearch.report.claims import ledger_problems

    assert ledger_problems() == []


def test_the_ledger_check_catches_a_wrong_row() -> None:
    from cxresearch.report.claims import Claim, ledger_problems

    missing = Claim("q1", "06 §9 (no such section)", "synthetic, known truth", "s", "n")
    no_book = Claim("q2", "42 (no such notebook)", "synthetic, known truth", "s", "n")
    assert ledger_problems((missing, no_book)) == [
        "'q1': cites 06 §9, which notebook 06 does not have",
        "'q2': cites notebook 42, which does not exist",
    ]


def test_the_ledger_check_reads_the_data_kind_of_each_section(tmp_path) -> None:
    import json

    from cxresearch.report.claims import Claim, ledger_problems

    def md(kind: str) -> dict:
        return {"output_type": "display_data", "data": {"text/markdown": "x"},
                "metadata": {"cxresearch": {"claims_effect": False, "data_kind": kind}}}

    nb = {"cells": [
        {"cell_type": "markdown", "source": ["## 1. Real scores"], "metadata": {}},
        {"cell_type": "code", "source": ["x"], "outputs": [md("real")], "metadata": {}},
        {"cell_type": "markdown", "source": ["## 2. Simulated"], "metadata": {}},
        {"cell_type": "code", "source": ["y"], "outputs": [md("synthetic")], "metadata": {}},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "99_demo.ipynb").write_text(json.dumps(nb))
    right = Claim("q", "99 §1 (real scores)", "real (CMS)", "s", "n")
    wrong = Claim("q", "99 §1-2", "synthetic, known truth", "s", "n")
    assert ledger_problems((right,), tmp_path) == []
    assert ledger_problems((wrong,), tmp_path) == [
        "'q': 99 §1 shows results on real data, which the row's evidence "
        "('synthetic, known truth') does not name"]
