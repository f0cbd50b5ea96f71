"""Notebook 04 rerun with another seed: every quadrant label in its text is the table's.

The notebook is executed with ``seed=7`` into a temporary folder; the quadrant table it prints
is read back, and every generated Markdown output, the map's alt text and caption in the run's
figure manifest must give each driver the label the table gives it (and use no advice words).
"""

from __future__ import annotations

import json
import os
import re

import pandas as pd
import pytest

from cxresearch.cli.runner import run_notebooks
from cxresearch.linkage.drivers import QUADRANT_ORDER
from cxresearch.studies.key_drivers_04 import ECSI_WORDING

SEED = 7
ADVICE = ("concentrate here", "possible overkill", "low priority", "keep up the good work",
          "pays first", "should pay")
_LABELS = "|".join(re.escape(q) for q in QUADRANT_ORDER)
# "<label>: name, name, ..." up to the end of the list (a period, semicolon or line end)
_LIST = re.compile(rf"({_LABELS})\*?\*?(?: \([a-z ]+ data\))?: ([^.;\n]+)", re.I)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, dict[str, str]]:
    out = tmp_path_factory.mktemp("run04")
    old = os.environ.get("CXRESEARCH_FIGURES_DIR")  # the session points figures elsewhere
    os.environ["CXRESEARCH_FIGURES_DIR"] = str(out / "figures")
    try:
        result = run_notebooks(["04"], parameters={"seed": SEED, "n_bootstrap": 100},
                               output_dir=out, progress=False, course=False)
    finally:
        if old is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
        else:
            os.environ["CXRESEARCH_FIGURES_DIR"] = old
    assert result["status"].tolist() == ["ok"]
    nb = json.loads((out / "04_key_drivers.ipynb").read_text(encoding="utf-8"))
    manifest = json.loads((out / "figures" / "manifest.json").read_text(encoding="utf-8"))
    # the table behind the printed one (which shows the wording, not the codes)
    data = pd.read_csv(out / "figures" / "04_importance_performance.csv")
    return nb, manifest, dict(zip(data["driver"], data["quadrant"], strict=True))


def _outputs(nb: dict, mime: str) -> list[str]:
    return ["".join(o["data"][mime]) for c in nb["cells"] if c["cell_type"] == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


def _code(name: str) -> str:
    """An item named in text (its wording, 'wording (CODE)' or the code) -> its code."""
    name = name.strip()
    m = re.search(r"\((\w+)\)$", name)
    if m:
        return m.group(1)
    by_wording = {w: c for c, w in ECSI_WORDING.items()}
    return by_wording.get(name, name)


def _labels_in(text: str) -> list[tuple[str, str]]:
    """(label, code) for every driver listed after a quadrant label in ``text``."""
    pairs = [(label.lower(), _code(n)) for label, names in _LIST.findall(text)
             for n in names.split(", ")]
    # the summary's "combine a high share of explained variance with a lower rating (a, b)"
    for names in re.findall(r"high share of explained variance with a lower rating \(([^)]+)\)",
                            text):
        pairs += [(QUADRANT_ORDER[0], _code(n)) for n in names.split(", ")]
    return pairs


def test_every_label_in_text_is_the_tables(run: tuple[dict, dict, dict[str, str]]) -> None:
    nb, manifest, table = run
    assert set(table) == set(ECSI_WORDING)
    figure = manifest["04_importance_performance"]
    texts = {"markdown": "\n".join(_outputs(nb, "text/markdown")),
             "alt text": figure["alt_text"], "caption": figure["caption"]}
    for where, text in texts.items():
        pairs = _labels_in(text)
        assert pairs, f"no quadrant labels in the {where}"
        for label, code in pairs:
            assert code in table, (where, code)
            assert table[code] == label, f"{where}: {code} is {label!r}, the table says " \
                                         f"{table[code]!r}"
    # the quadrant list names every driver once
    listed = [code for _, code in _labels_in(texts["markdown"].split("What the ")[0])]
    assert sorted(listed) == sorted(table)
    assert len(figure["alt_text"]) <= 300


def test_no_advice_and_no_item_codes_in_figures(run: tuple[dict, dict, dict[str, str]]
                                                ) -> None:
    nb, manifest, _ = run
    sources = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for text in (sources, *_outputs(nb, "text/markdown")):
        assert not any(w in text.lower() for w in ADVICE), text
    for name in ("04_importance_performance", "04_driver_importance"):
        fig = manifest[name]
        assert not any(w in fig["alt_text"].lower() for w in ADVICE)
        axes = fig["checks"]["axes"][0]
        shown = [fig["alt_text"], fig["caption"], axes["title"], *axes["texts"],
                 *axes["y"].get("categories", [])]
        assert not re.search(r"\b[A-Z]{4}\d\b", " ".join(shown)), name
