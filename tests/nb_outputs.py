"""Shared by the tests that execute notebooks on other data: what an executed notebook shows
(its text, the tables it printed, its generated Markdown), and where its figures go."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd


def lesson_cells(nb: dict) -> list[dict]:
    """The cells before the notebook's course material (``## What failure looks like``,
    ``## Exercises``, after its conclusion): those use seeded simulations and the bundled
    synthetic study whatever data the notebook read, so what a run on other data shows is
    checked up to them (a report of the analyst's data leaves them out)."""
    from cxresearch.report.run_site import COURSE_HEADINGS

    cells = nb["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).lstrip().startswith(
                COURSE_HEADINGS):
            return cells[:i]
    return cells


def notebook_text(path: Path, *, errors: bool = False) -> str:
    """Every text output of an executed notebook up to its exercises (streams and ``text/*``
    data; sources excluded), and with ``errors`` the tracebacks too."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    parts = []
    for cell in lesson_cells(nb):
        for o in cell.get("outputs", []):
            parts.append("".join(o.get("text", "")))
            parts.extend("".join(v) for k, v in o.get("data", {}).items()
                         if k.startswith("text/"))
            if errors and o.get("output_type") == "error":
                parts.append("\n".join(o.get("traceback", [])))
    return "\n".join(parts)


@contextmanager
def figures_in(out: Path) -> Iterator[None]:
    """Figures of the run go to ``out/figures`` (the test session points them elsewhere)."""
    old = os.environ.get("CXRESEARCH_FIGURES_DIR")
    os.environ["CXRESEARCH_FIGURES_DIR"] = str(out / "figures")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
        else:
            os.environ["CXRESEARCH_FIGURES_DIR"] = old


class _Tables(HTMLParser):
    """Every <table> of an HTML string as a list of rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def printed_tables(nb: dict) -> list[pd.DataFrame]:
    """The HTML tables an executed notebook printed, header row as columns (index column
    dropped), cells as text."""
    out = []
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            html = "".join(o.get("data", {}).get("text/html", []))
            if "<table" not in html:
                continue
            parser = _Tables()
            parser.feed(html)
            for rows in parser.tables:
                head = rows[0]
                body = [r for r in rows[1:] if len(r) == len(head) and any(r[1:])]
                out.append(pd.DataFrame([r[1:] for r in body], columns=head[1:]))
    return out


def table_with(nb: dict, *columns: str) -> pd.DataFrame:
    """The first printed table that has all ``columns``."""
    for f in printed_tables(nb):
        if set(columns) <= set(f.columns):
            return f
    raise AssertionError(f"no printed table with columns {columns}")


def generated_markdown(nb: dict) -> str:
    """Every Markdown output of the code cells (the generated sentences), joined."""
    return "\n".join("".join(o["data"]["text/markdown"]) for c in nb["cells"]
                     if c["cell_type"] == "code" for o in c.get("outputs", [])
                     if "text/markdown" in o.get("data", {}))


_WORDS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six",
                                      "seven", "eight", "nine", "ten"])}


def families_agree(nb: dict, families: tuple[str, ...]) -> None:
    """The family table lists ``families``; the closing sentence counts them and their held
    tests as the table does, and every "N families" in the prose and outputs is that number."""
    table = table_with(nb, "family", "tests", "held after Holm")
    assert table["family"].tolist() == list(families)
    text = generated_markdown(nb)
    assert f"**{len(table)} families of tests**" in text
    for r in table.itertuples(index=False):
        assert f"{r[0]}: {r[2]} of {r[1]} held" in text
    prose = "\n".join("".join(c["source"]) for c in nb["cells"]) + text
    for word in re.findall(r"\b(\w+)\*?\*? famil(?:y|ies)\b", prose):
        word = word.lower()
        if word.isdigit() or word in _WORDS:
            assert int(_WORDS.get(word, word)) == len(table), word
