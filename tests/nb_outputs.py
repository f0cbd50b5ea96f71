"""Shared by the tests that execute notebooks on other data: what an executed notebook shows,
and where its figures go."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def notebook_text(path: Path, *, errors: bool = False) -> str:
    """Every text output of an executed notebook (streams and ``text/*`` data; sources
    excluded), and with ``errors`` the tracebacks too."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
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
