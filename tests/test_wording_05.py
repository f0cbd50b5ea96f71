"""Notebook 05 on a Qualtrics export: the data described first in the export's own words.

``tests/data/own_qualtrics`` holds the synthetic store survey as a Qualtrics export (question
wording in the header rows, unfinished responses, three out-of-range answers). Notebook 05 runs
on it with ``-p on_invalid=set_aside``: its first section and its figure of the stores' EX and CX
quote the questions' wording, the figure is marked as the user's data, and nothing about the
bundled study is said.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cxresearch.cli.runner import run_notebooks

FOLDER = Path(__file__).parent / "data" / "own_qualtrics"
NB05 = "05_linkage_ex_cx_outcomes"
NPS_WORDING = "How likely are you to recommend Northwind Outfitters to a friend or colleague?"


def test_05_quotes_the_exports_wording(tmp_path: Path) -> None:
    old = os.environ.get("CXRESEARCH_FIGURES_DIR")  # the session points figures elsewhere
    os.environ["CXRESEARCH_FIGURES_DIR"] = str(tmp_path / "figures")
    try:
        table = run_notebooks([NB05], {"data_dir": str(FOLDER), "n_boot": 50,
                                       "on_invalid": "set_aside"}, tmp_path, progress=False)
    finally:
        if old is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
        else:
            os.environ["CXRESEARCH_FIGURES_DIR"] = old
    assert table["status"].tolist() == ["ok"]
    nb = json.loads((tmp_path / f"{NB05}.ipynb").read_text())
    outputs = "\n".join("".join(o.get("text", "")) + "".join(
        "".join(v) for k, v in o.get("data", {}).items() if k.startswith("text/"))
        for c in nb["cells"] for o in c.get("outputs", []))
    assert f"NPS (Q1: “{NPS_WORDING}”)" in outputs
    assert "3 rows set aside" in outputs  # the reading note counts them
    entry = json.loads((tmp_path / "figures" / "manifest.json").read_text())["05_unit_means"]
    assert NPS_WORDING in entry["caption"] and entry["evidence"] == ["user"]
    assert len(entry["alt_text"]) <= 300 and "your data" in entry["alt_text"]
    assert "culture_4" not in outputs and "300 firms" not in outputs
