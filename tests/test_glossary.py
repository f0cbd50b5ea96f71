"""The glossary (``docs/glossary.md``): one heading per term, every notebook link resolves.

The notebooks link a term at its first use as ``../docs/glossary.md#<anchor>``; the anchor is
the GitHub/MyST slug of the term's heading (``### Design effect`` -> ``design-effect``), so the
link works on GitHub, in JupyterLab and on the site (where ``_annotated_notebook`` points it at
the site's glossary page).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cxresearch.core import paths
from cxresearch.report.site import GLOSSARY, _annotated_notebook, glossary_markdown

#: the anchors the notebooks may link to (the helpers' conventions for issue 23)
REQUIRED = (
    "icc", "rwg", "design-effect", "effective-sample-size", "clustered-standard-errors",
    "holm-adjustment", "nps", "csat", "ces", "adjusted-wald-interval", "alpha", "omega", "ave",
    "htmt", "cfa", "cfi", "rmsea", "srmr", "modification-index", "measurement-invariance",
    "reverse-scored-item", "pls-sem", "shapley", "relative-weights", "collinearity",
    "cross-lagged-panel", "ri-clpm", "mediation", "event-study", "parallel-trends", "dr",
    "rmspe", "synthetic-control", "mbar", "power", "mde", "auc", "kappa", "krippendorff-alpha",
    "latent-variable", "multilevel-model", "effect-size", "raking", "calibration",
)
_LINK_RE = re.compile(r"glossary\.md#([A-Za-z0-9_\-]+)")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)


def slug(heading: str) -> str:
    """GitHub's (and MyST's default) heading slug: lower case, punctuation but ``-`` and ``_``
    dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _text() -> str:
    return GLOSSARY.read_text(encoding="utf-8")


def _terms() -> dict[str, str]:
    """Each ``###`` term's slug and the text of its entry."""
    parts = re.split(r"^### (.+?)\s*$", _text(), flags=re.MULTILINE)
    return {slug(head): body.split("\n## ")[0].strip()
            for head, body in zip(parts[1::2], parts[2::2])}


def _links() -> list[tuple[str, str]]:
    found = []
    files = [*sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb")),
             *sorted(paths.SCRIPTS_DIR.glob("*.py"))]
    for f in files:
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".ipynb":  # the Markdown of the cells, not their outputs
            text = "\n".join("".join(c["source"]) if isinstance(c["source"], list)
                             else c["source"] for c in json.loads(text)["cells"])
        found += [(f.name, a) for a in _LINK_RE.findall(text)]
    return found


def test_slug_is_githubs():
    assert slug("Design effect") == "design-effect"
    assert slug("RI-CLPM") == "ri-clpm"
    assert slug("Krippendorff alpha") == "krippendorff-alpha"
    assert slug("Mbar") == "mbar"


def test_every_required_term_has_its_heading_once():
    slugs = [slug(h) for level, h in _HEADING_RE.findall(_text())]
    missing = [a for a in REQUIRED if a not in slugs]
    assert not missing, f"no heading with the slug of {missing}"
    doubled = sorted({s for s in slugs if slugs.count(s) > 1})
    assert not doubled, f"headings with the same slug (GitHub would append -1): {doubled}"
    assert sorted(_terms()) == sorted(REQUIRED)  # one ### entry per term, no other


@pytest.mark.parametrize("anchor", REQUIRED)
def test_each_entry_says_what_where_and_a_source(anchor):
    entry = _terms()[anchor]
    what = entry.split("Used in")[0]  # before "Used in [..]. Source: ..."
    sentences = re.findall(r"[.!?](?:\s|$)", re.sub(r"\$[^$]*\$|\([^)]*\)|e\.g\.", "", what))
    assert 2 <= len(sentences) <= 4, f"{anchor}: {len(sentences)} sentences before 'Used in'"
    assert re.search(r"\]\(\.\./notebooks/\d\d_\w+\.ipynb\)", entry), f"{anchor}: no notebook"
    assert "Source:" in entry, f"{anchor}: no source"


def test_every_notebook_link_to_the_glossary_has_its_heading():
    terms = _terms()
    bad = [f"{name}: #{a}" for name, a in _links() if a not in terms]
    assert not bad, "glossary links without a heading:\n" + "\n".join(bad)


def test_the_glossary_links_only_to_notebooks_that_exist():
    targets = re.findall(r"\]\((\.\./notebooks/[^)#\s]+)", _text())
    assert targets
    missing = sorted({t for t in targets if not (GLOSSARY.parent / t).is_file()})
    assert not missing, f"the glossary links to notebooks that do not exist: {missing}"


def test_the_sites_copies_point_at_the_sites_pages(tmp_path: Path):
    page = glossary_markdown()
    assert "](../notebooks/" not in page and "](notebooks/01_measuring_cx.ipynb)" in page
    # a notebook that does not exist (renamed): its link keeps only its text
    gl = tmp_path / "glossary.md"
    gl.write_text("### ICC\n\nUsed in [05](../notebooks/05_x.ipynb) and "
                  "[01](../notebooks/01_y.ipynb#a).\n")
    (tmp_path / "01_y.ipynb").write_text("{}")
    assert glossary_markdown(gl, tmp_path) == (
        "### ICC\n\nUsed in 05 and [01](notebooks/01_y.ipynb#a).\n")
    # in a notebook, ../docs/glossary.md#x becomes ../glossary.md#x (src/notebooks/ -> src/)
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source":
                     ["The [ICC](../docs/glossary.md#icc) and\n",
                      "[M̄](../docs/glossary.md#mbar)."]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "01_z.ipynb").write_text(json.dumps(nb))
    out = json.loads(_annotated_notebook(tmp_path / "01_z.ipynb", {}))
    assert out["cells"][0]["source"] == ("The [ICC](../glossary.md#icc) and\n"
                                         "[M̄](../glossary.md#mbar).")
