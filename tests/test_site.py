"""The report site: badges, figure sections, the gallery page, and the built site in a browser.

The first tests need only the package. The tests of the built ``_site/`` run under
``make test-site`` (which builds the site and sets ``CXRESEARCH_SITE_TESTS=1``): a static check
of every internal link and image on every page, then a headless Chromium (the system's
``chromium`` and ``chromedriver``, driven by Selenium, never a downloaded browser) that opens the
pages and fails on a broken image, an ``img`` without a non-empty ``alt``, a broken internal link
or a JavaScript console error, filters the gallery (by kind, notebook and search, from the
address too, over ``file://`` as from a file share) and opens a figure's page, and saves
screenshots of the index, a notebook page, the gallery, the gallery filtered to real data
(``gallery_real.png``) and a figure's page (``figure_page.png``) in ``_site_screenshots/``.
It also opens a notebook page with exercises, checks that each solution is folded under
"Solution" until clicked, and saves the exercises folded and unfolded
(``solution_folded.png``, ``solution_unfolded.png``), and screenshots the learning path and the
glossary (``learning_path.png``, ``glossary.png``).

The gallery tests derive every name and count from ``figures/manifest.json``: figures come and
go as the notebooks change.
"""

from __future__ import annotations

import functools
import html
import html.parser
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from cxresearch.core import paths
from cxresearch.report.figures import EVIDENCE
from cxresearch.report.manifest import load_manifest
from cxresearch.report.site import (
    FigureSection,
    _all_sections,
    _annotated_notebook,
    _figure_title,
    citation,
    evidence_of,
    figure_page_markdown,
    figure_sections,
    gallery_markdown,
    prepare_sources,
)

MANIFEST = load_manifest(paths.FIGURES_DIR)
SITE = paths.PROJECT_ROOT / "_site"
SHOTS = paths.PROJECT_ROOT / "_site_screenshots"
CHROMIUM = Path(os.environ.get("CXRESEARCH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CXRESEARCH_CHROMEDRIVER", "/usr/bin/chromedriver"))


def _solution_cells(stem: str) -> int:
    """How many exercise solutions (code cells tagged ``solution``) a notebook has."""
    nb = json.loads((paths.NOTEBOOKS_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))
    return sum(c.get("cell_type") == "code" and "solution" in c.get("metadata", {}).get("tags", [])
               for c in nb.get("cells", []))


#: notebooks with exercise solutions; 01_measuring_cx first (the page the screenshots show)
WITH_SOLUTIONS = sorted((nb.stem for nb in paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")
                         if _solution_cells(nb.stem)),
                        key=lambda stem: (stem != "01_measuring_cx", stem))
built_site = pytest.mark.skipif(
    os.environ.get("CXRESEARCH_SITE_TESTS") != "1",
    reason="tests of the built site run under `make test-site` (CXRESEARCH_SITE_TESTS=1)",
)


@built_site
def test_the_site_and_its_api_reference_build_without_warnings() -> None:
    log = paths.PROJECT_ROOT / "build" / "site" / "warnings.log"
    assert log.is_file(), "build the site first (make site)"
    assert log.read_text(encoding="utf-8").strip() == ""
    api = SITE / "api"
    assert (api / "cxresearch.metrics.scores.html").is_file()
    assert (api / "cxresearch.core.results.html").is_file()


# -- the badge rule, sections, gallery ------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "badges"),
    [
        ({"caption": "Synthetic data: monthly NPS."}, ("synthetic",)),
        ({"caption": "Simulation-based power of the event study."}, ("synthetic",)),
        ({"caption": "Half-width ... (closed form)."}, ("synthetic",)),
        ({"caption": "NPS from 291 promoters (a worked example)."}, ("fictional",)),
        ({"caption": "Churn in the MLC++ data (artificial data)."}, ("fictional",)),
        ({"caption": "MLC++ churn (artificial data, not real customers)."}, ("fictional",)),
        ({"caption": "NPS from illustrative (made-up) counts."}, ("fictional",)),
        ({"caption": "Real data (CMS CAHPS for MIPS, via tidyr): ratings."}, ("real",)),
        ({"caption": "Synthetic data beside IBM's fictional HR sample."},
         ("synthetic", "fictional")),
        ({"caption": "Synthetic data.", "evidence": ["real"]}, ("real",)),
        ({"caption": "Scores by segment."}, ()),
    ],
)
def test_badge_rule(entry, badges):
    assert evidence_of(entry) == badges


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_published_figure_has_a_badge_and_a_section(name):
    entry = MANIFEST[name]
    badges = evidence_of(entry)
    assert badges and set(badges) <= set(EVIDENCE), f"{name}: caption names no kind of data"
    sections = figure_sections(paths.NOTEBOOKS_DIR / f"{entry['source']}.ipynb")
    assert name in sections, f"{name}: no save_figure call for it in {entry['source']}"
    assert sections[name].section


class _Cards(html.parser.HTMLParser):
    """The gallery's cards: attributes of each ``article.cx-card``, its image and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict] = {}
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "article" and "cx-card" in a.get("class", "").split():
            self._current = {**a, "imgs": [], "links": []}
            self.cards[a["data-name"]] = self._current
        elif self._current is not None and tag == "img":
            self._current["imgs"].append(a)
        elif self._current is not None and tag == "a":
            self._current["links"].append(a.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._current = None


def _cards(page: str) -> dict[str, dict]:
    parser = _Cards()
    parser.feed(page)
    return parser.cards


def _searchable(name: str, entry: dict) -> str:
    return " ".join(" ".join([name, _figure_title(name, entry), entry.get("caption", ""),
                              entry.get("alt_text", "")]).lower().split())


def test_gallery_grid_has_one_card_per_figure_with_kind_and_notebook():
    manifest = load_manifest(paths.FIGURES_DIR)  # read again: other work may rewrite figures/
    page = gallery_markdown(manifest, _all_sections(paths.NOTEBOOKS_DIR),
                            version=("0.1.0", "", "2026"))
    cards = _cards(page)
    assert sorted(cards) == sorted(manifest)
    for name, entry in manifest.items():
        card = cards[name]
        assert card["data-kind"].split() == list(evidence_of(entry)), name
        assert card["data-notebook"] == entry["source"], name
        assert card["data-search"] == _searchable(name, entry), name
        assert [i["alt"] for i in card["imgs"]] == [entry["alt_text"]], name
        assert f"figures/{name}.html" in card["links"], name
        assert any(h.startswith(f"notebooks/{entry['source']}.html") for h in card["links"])
    # the filter controls: every kind, every notebook, a search box; the script; the toctree
    for kind in ("synthetic", "fictional", "real"):
        assert f'data-kind="{kind}" aria-pressed="false"' in page
    for source in {e["source"] for e in manifest.values()}:
        assert f'<option value="{source}">' in page
    assert 'id="cx-filter-search" name="search" type="search"' in page
    assert '<script src="_static/cxresearch-gallery.js"></script>' in page
    toctree = page.split("```{toctree}")[1]
    assert [line for line in toctree.splitlines() if line.startswith("figures/")] == [
        f"figures/{n}" for n in sorted(manifest)]


def test_gallery_card_escapes_text_and_uses_the_thumbnail():
    entry = {
        "caption": "Synthetic data: paths & <intervals>.",
        "alt_text": 'Dot plot of "twelve" paths.',
        "source": "03_satisfaction_index_model",
        "files": {"png": "x.png", "svg": "x.svg", "pdf": "x.pdf", "data": "x.csv"},
    }
    sec = FigureSection("03_x", "03_satisfaction_index_model", "Satisfaction index",
                        "ECSI paths", 7)
    page = gallery_markdown({"03_x": entry}, {"03_x": sec}, version=("0.1.0", "abc", "2026"),
                            thumbnails={"03_x": "thumbs/x.png"})
    assert 'alt="Dot plot of &quot;twelve&quot; paths."' in page
    assert "paths &amp; &lt;intervals&gt;" in page
    assert 'src="figures/thumbs/x.png"' in page
    assert 'cx-badge-synthetic">synthetic<' in page
    assert 'data-kind="synthetic" data-notebook="03_satisfaction_index_model"' in page
    assert 'href="notebooks/03_satisfaction_index_model.html#figure-03_x"' in page
    assert "Satisfaction index § ECSI paths" in page
    assert "commit abc" in page


def test_figure_page_has_everything_a_writer_needs():
    entry = {
        "caption": "Synthetic data: paths & <intervals>.",
        "alt_text": 'Dot plot of "twelve" paths.',
        "source": "03_satisfaction_index_model",
        "files": {"png": "x.png", "svg": "x.svg", "pdf": "x.pdf", "data": "x.csv"},
        "checks": {"size_in": [7.2, 3.0]}, "data_rows": 12, "data_columns": ["path", "est"],
    }
    sec = FigureSection("03_x", "03_satisfaction_index_model", "Satisfaction index",
                        "ECSI paths", 7)
    page = figure_page_markdown("03_x", entry, sec, version=("0.1.0", "abc", "2026"))
    assert page.startswith("# Paths \\& \\<intervals\\>\n")  # escaped for MyST
    assert '<img class="cx-figure-img" src="x.png" alt="Dot plot of &quot;twelve&quot; paths.">'\
        in page
    assert '<p class="cx-alt-text">Dot plot of &quot;twelve&quot; paths.</p>' in page
    assert "paths &amp; &lt;intervals&gt;" in page  # the caption
    for f, label in (("x.png", "PNG"), ("x.svg", "SVG"), ("x.pdf", "PDF"), ("x.csv", "CSV")):
        assert f'<a class="cx-download" href="{f}" download><strong>{label}</strong>' in page
    assert "two journal columns (7.2 in)" in page and "12 rows; columns path, est" in page
    assert 'href="../notebooks/03_satisfaction_index_model.html#figure-03_x"' in page
    assert 'href="../gallery.html?notebook=03_satisfaction_index_model"' in page
    assert 'href="../gallery.html?kind=synthetic"' in page
    assert "## Suggested citation" in page and "[figure 03_x]" in page
    assert 'section "ECSI paths"' in citation("03_x", entry, sec, version=("0.1.0", "", "2026"))


def test_prepare_sources_writes_a_page_and_a_thumbnail_per_figure(tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image

    figs = tmp_path / "figures"
    figs.mkdir()
    Image.new("RGBA", (1600, 900), (255, 255, 255, 0)).save(figs / "01_big.png")
    Image.new("RGB", (200, 100), (0, 0, 0)).save(figs / "01_small.png")
    (figs / "01_big.csv").write_text("a\n1\n")
    manifest = {
        name: {"caption": "Real data: x.", "alt_text": "A plot.", "source": "01_nb",
               "files": {"png": f"{name}.png", **({"data": "01_big.csv"} if big else {})}}
        for name, big in (("01_big", True), ("01_small", False))
    }
    (figs / "manifest.json").write_text(json.dumps(manifest))
    src = prepare_sources(tmp_path / "build", figures_dir=figs, notebooks_dir=tmp_path)
    for name in manifest:
        page = (src / "figures" / f"{name}.md").read_text()
        assert "## Downloads" in page and f"[figure {name}]" in page
        assert (src / "_extra" / "figures" / "thumbs" / f"{name}.png").is_file()
    with Image.open(src / "_extra" / "figures" / "thumbs" / "01_big.png") as thumb:
        assert thumb.width <= 640 and thumb.height <= 400
    assert (src / "_extra" / "figures" / "thumbs" / "01_small.png").read_bytes() == (
        figs / "01_small.png").read_bytes()  # small enough already
    gallery = (src / "gallery.md").read_text()
    assert 'src="figures/thumbs/01_big.png"' in gallery and "figures/01_small" in gallery
    # a figure that goes away takes its page and thumbnail with it
    del manifest["01_small"]
    (figs / "manifest.json").write_text(json.dumps(manifest))
    prepare_sources(tmp_path / "build", figures_dir=figs, notebooks_dir=tmp_path)
    assert not (src / "figures" / "01_small.md").exists()
    assert not (src / "_extra" / "figures" / "thumbs" / "01_small.png").exists()


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_every_figure_page_has_its_downloads_and_citation(name):
    entry = MANIFEST[name]
    sec = figure_sections(paths.NOTEBOOKS_DIR / f"{entry['source']}.ipynb").get(name)
    page = figure_page_markdown(name, entry, sec, version=("0.1.0", "", "2026"))
    for file in entry["files"].values():
        assert f'<a class="cx-download" href="{file}" download>' in page, file
    assert f'alt="{html.escape(entry["alt_text"])}"' in page
    assert f"[figure {name}]" in page and "## Suggested citation" in page
    assert f"../notebooks/{entry['source']}.html#figure-{name}" in page


def test_notebook_copy_gets_anchors_and_alt_text():
    nb_path = paths.NOTEBOOKS_DIR / "03_satisfaction_index_model.ipynb"
    nb = json.loads(_annotated_notebook(nb_path, MANIFEST))
    anchors = [c for c in nb["cells"] if "cx-figure-anchor" in "".join(c["source"])]
    assert ['id="figure-03_item_means"' in anchors[0]["source"],
            'id="figure-03_ecsi_paths"' in anchors[1]["source"]] == [True, True]
    figure_cells = [c for c in nb["cells"] if "image" in c.get("metadata", {}).get("mystnb", {})]
    alts = {c["metadata"]["mystnb"]["image"]["alt"] for c in figure_cells}
    assert {MANIFEST["03_item_means"]["alt_text"], MANIFEST["03_ecsi_paths"]["alt_text"]} <= alts
    assert all("hide-input" in c["metadata"]["tags"] for c in figure_cells)  # folded dressing
    original = json.loads(nb_path.read_text())
    assert len(nb["cells"]) == len(original["cells"]) + 2  # the notebook itself is untouched
    assert not any("hide-input" in c.get("metadata", {}).get("tags", [])
                   for c in original["cells"])


def _exercise_notebook(tmp_path: Path) -> Path:
    """A small notebook in the conventions' shape: a question, the answer cell, the solution."""
    def code(source, tags=(), hidden=False, output="Right: 20."):
        meta = {"tags": list(tags)} if tags else {}
        if hidden:
            meta["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
        return {"cell_type": "code", "execution_count": 1, "metadata": meta, "source": source,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": output}]}

    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# 01 · X\n\nThe "
         "[NPS](../docs/glossary.md#nps)."},
        {"cell_type": "markdown", "metadata": {}, "source": "**Exercise 01.1.** What is it?"},
        code('cx.exercises.check("01.1", None)', output="No answer yet."),
        code('answer = 20\ncx.exercises.check("01.1", answer)', tags=["solution"], hidden=True),
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "01_x.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_solution_cells_are_folded_under_solution(tmp_path):
    path = _exercise_notebook(tmp_path)
    nb = json.loads(_annotated_notebook(path, {}))
    _question, answer, solution = nb["cells"][1:]
    assert solution["metadata"]["tags"] == ["solution", "hide-cell"]  # input and output folded
    assert solution["metadata"]["mystnb"] == {"code_prompt_show": "Solution",
                                              "code_prompt_hide": "Hide the solution"}
    assert solution["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert "hide-cell" not in answer["metadata"].get("tags", [])  # the student's cell stays open
    assert nb["cells"][0]["source"] == "# 01 · X\n\nThe [NPS](../glossary.md#nps)."
    assert "hide-cell" not in path.read_text()  # the notebook itself is untouched


@pytest.mark.parametrize("stem", WITH_SOLUTIONS or ["(none yet)"])
def test_every_solution_of_a_real_notebook_is_folded(stem):
    if stem == "(none yet)":
        pytest.skip("no notebook has exercise solutions yet")
    nb = json.loads(_annotated_notebook(paths.NOTEBOOKS_DIR / f"{stem}.ipynb", MANIFEST))
    folded = [c for c in nb["cells"] if "hide-cell" in c.get("metadata", {}).get("tags", [])]
    assert len(folded) == _solution_cells(stem) > 0
    assert all(c["metadata"]["mystnb"]["code_prompt_show"] == "Solution" for c in folded)
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "../docs/glossary.md" not in markdown


# -- the built site: static checks ---------------------------------------------------------


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.imgs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(str(a[key]))
        if tag == "img":
            self.imgs.append(a)
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script", "source"):
                self.refs.append((tag, str(a[key])))


@functools.cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _internal(ref: str) -> bool:
    return ref.startswith("#") or not (urlsplit(ref).scheme or ref.startswith("//"))


@built_site
def test_site_has_the_pages_the_issue_asks_for():
    assert (SITE / "index.html").is_file(), "run `make site` first"
    for page in ("gallery.html", "claims.html", "api.html"):
        assert (SITE / page).is_file(), page
    for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        assert (SITE / "notebooks" / f"{nb.stem}.html").is_file(), nb.stem
    assert (SITE / "api" / "cxresearch.report.figures.html").is_file()
    claims = (SITE / "claims.html").read_text()
    assert "What a writer may safely say" in claims or "what a writer may safely say" in claims


@built_site
def test_site_has_the_learning_path_and_the_glossary():
    for page in ("learning-path.html", "glossary.html"):
        assert (SITE / page).is_file(), page
        assert ("a", page) in _parse(SITE / "index.html").refs, f"index does not link {page}"
    ids = _parse(SITE / "glossary.html").ids
    for anchor in ("icc", "design-effect", "htmt", "ave", "dr", "rmspe", "mbar", "auc", "kappa"):
        assert anchor in ids, anchor
    path = (SITE / "learning-path.html").read_text()
    assert 'href="notebooks/07_the_data.html"' in path
    assert path.index("07 · The data") < path.index("00 · Start here") < path.index(
        "01 · Measuring CX")


class _Solutions(html.parser.HTMLParser):
    """The ``<details>`` inside each ``div.tag_solution`` cell: open or not, and its summary."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self._depth = 0  # divs open inside the current solution cell
        self._summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div" and "tag_solution" in a.get("class", "").split():
            self._depth = 1
            self.found.append({"details": None, "summary": ""})
        elif self._depth and tag == "div":
            self._depth += 1
        elif self._depth and tag == "details" and self.found[-1]["details"] is None:
            self.found[-1]["details"] = {"open": "open" in a}
        elif self._depth and tag == "summary":
            self._summary = True
        elif self._summary and tag == "p":  # "Solution" shows folded, "Hide the solution" open
            self._summary = "collapsed" if "collapsed" in a.get("class", "").split() else True

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
        elif tag == "summary":
            self._summary = False

    def handle_data(self, data: str) -> None:
        if self._summary == "collapsed" and data.strip():
            self.found[-1]["summary"] += data.strip()


@built_site
@pytest.mark.parametrize("stem", WITH_SOLUTIONS or ["(none yet)"])
def test_each_solution_is_a_closed_details_whose_summary_is_solution(stem):
    if stem == "(none yet)":
        pytest.skip("no notebook has exercise solutions yet")
    parser = _Solutions()
    parser.feed((SITE / "notebooks" / f"{stem}.html").read_text(encoding="utf-8"))
    assert len(parser.found) == _solution_cells(stem), "the site is older: make site"
    for sol in parser.found:
        assert sol["details"] == {"open": False}  # folded by default
        assert sol["summary"] == "Solution"


@built_site
def test_gallery_and_figure_pages_show_every_figure_with_alt_badge_downloads_citation():
    manifest = load_manifest(paths.FIGURES_DIR)
    gallery = (SITE / "gallery.html").read_text()
    cards = _cards(gallery)
    assert sorted(cards) == sorted(manifest), "the site is older than figures/: make site"
    for name, entry in manifest.items():
        assert [i["alt"] for i in cards[name]["imgs"]] == [entry["alt_text"]], name
        assert cards[name]["data-kind"].split() == list(evidence_of(entry)), name
        fig_page = SITE / "figures" / f"{name}.html"
        assert fig_page.is_file(), name
        page = _parse(fig_page)
        assert entry["alt_text"] in [i.get("alt") for i in page.imgs], name
        for file in entry["files"].values():
            assert ("a", file) in page.refs, (name, file)
            assert (SITE / "figures" / file).is_file(), (name, file)
        text = fig_page.read_text()
        assert f"[figure {name}]" in text and f"#figure-{name}" in text, name
        assert f'cx-alt-text">{html.escape(entry["alt_text"])}<' in text  # shown as text too


@built_site
def test_every_internal_link_and_image_resolves():
    broken = []
    pages = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)  # templates
    for page_path in pages:
        page = _parse(page_path)
        for img in page.imgs:
            if not str(img.get("alt") or "").strip():
                broken.append(f"{page_path.relative_to(SITE)}: img {img.get('src')} has no alt")
        for tag, ref in page.refs:
            if not _internal(ref):
                continue
            parts = urlsplit(ref)
            target = page_path if not parts.path else (
                page_path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page_path.relative_to(SITE)}: {tag} {ref} -> missing file")
            elif parts.fragment and target.suffix == ".html" and unquote(
                    parts.fragment) not in _parse(target).ids:
                broken.append(f"{page_path.relative_to(SITE)}: {tag} {ref} -> no such anchor")
    assert not broken, f"{len(broken)} broken:\n" + "\n".join(broken[:40])


# -- the built site in a real browser -------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url():
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    for exe in (CHROMIUM, CHROMEDRIVER):
        assert exe.is_file(), (f"{exe} missing: install Debian's chromium and chromium-driver "
                               "(.ci/run does: apt-get install -y chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver
    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,1600", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--lang=en-GB"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


_PAGE_PROBLEMS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
const broken = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);
const noAlt = imgs.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src);
const here = location.origin;
const links = Array.from(new Set(Array.from(document.querySelectorAll('a[href]'))
  .map(a => a.href.split('#')[0]).filter(h => h.startsWith(here))));
Promise.all(links.map(h => fetch(h, {method: 'HEAD'}).then(r => r.ok ? null : h + ' ' + r.status,
                                                            e => h + ' ' + e)))
  .then(rs => done({broken, noAlt, badLinks: rs.filter(Boolean), nImgs: imgs.length,
                    nLinks: links.length}));
"""


def _visit(driver, url: str) -> dict:
    driver.get(url)
    deadline = time.monotonic() + 20
    while driver.execute_script("return document.readyState") != "complete":
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not finish loading")
        time.sleep(0.05)
    time.sleep(0.2)  # MathJax and the theme's scripts run after load
    driver.set_script_timeout(30)
    found = driver.execute_async_script(_PAGE_PROBLEMS)
    found["console"] = [e["message"] for e in driver.get_log("browser")
                        if e.get("level") == "SEVERE"]
    return found


@built_site
def test_site_in_a_real_browser(browser, site_url):
    pages = ["index.html", "gallery.html", "claims.html", "api.html", "learning-path.html",
             "glossary.html", "api/cxresearch.report.figures.html", "search.html",
             "genindex.html"]
    pages += [f"notebooks/{nb.stem}.html"
              for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
    pages += [f"figures/{name}.html" for name in sorted(MANIFEST)]
    problems = []
    n_imgs = 0
    for page in pages:
        found = _visit(browser, urljoin(site_url, page))
        n_imgs += found["nImgs"]
        for key, what in (("broken", "broken image"), ("noAlt", "img without alt"),
                          ("badLinks", "broken internal link"), ("console", "console error")):
            problems += [f"{page}: {what}: {x}" for x in found[key]]
    assert not problems, "\n".join(problems)
    assert n_imgs >= len(MANIFEST) * 3  # the gallery, the figure and notebook pages show them

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir()
    shots = {
        "index.png": "index.html",
        "notebook-03_satisfaction_index_model.png":
            "notebooks/03_satisfaction_index_model.html#figure-03_ecsi_paths",
        "gallery.png": "gallery.html",
        "learning_path.png": "learning-path.html",
        "glossary.png": "glossary.html#design-effect",
    }
    for file, page in shots.items():
        browser.get(urljoin(site_url, page))
        time.sleep(0.5)
        assert browser.save_screenshot(str(SHOTS / file)), file
        assert (SHOTS / file).stat().st_size > 10_000, file
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


# -- an exercise's solution, folded until clicked ------------------------------------------

_SOLUTION_STATE = """
const cell = arguments[0];
const details = cell.querySelector('details');
const input = cell.querySelector('.cell_input');
const output = cell.querySelector('.cell_output');
const shown = el => !!el && el.checkVisibility() && el.getBoundingClientRect().height > 0;
const summary = details.querySelector('summary');
const label = Array.from(summary.querySelectorAll('p'))
  .filter(p => getComputedStyle(p).display !== 'none').map(p => p.textContent.trim());
return {open: details.open, input: shown(input), output: shown(output), label: label};
"""


@built_site
def test_a_solution_is_folded_until_clicked(browser, site_url):
    """On a notebook page with exercises (01 when it has them), every solution is folded under
    "Solution"; a click on the first shows its code and its "Right: ..." output, and a second
    click folds it again. Screenshots: ``solution_folded.png`` and ``solution_unfolded.png``."""
    from selenium.webdriver.common.by import By

    if not WITH_SOLUTIONS:
        pytest.skip("no notebook has exercise solutions yet")
    stem = WITH_SOLUTIONS[0]
    _load(browser, urljoin(site_url, f"notebooks/{stem}.html"))
    cells = browser.find_elements(By.CSS_SELECTOR, "div.tag_solution")
    assert len(cells) == _solution_cells(stem)
    for cell in cells:
        state = browser.execute_script(_SOLUTION_STATE, cell)
        assert state == {"open": False, "input": False, "output": False, "label": ["Solution"]}
    first = cells[0]
    # the exercises' heading at the top of the window, below the theme's fixed header
    browser.execute_script(
        "const h = document.getElementById('exercises') || arguments[0];"
        "h.scrollIntoView({block: 'start'}); window.scrollBy(0, -90);", first)
    time.sleep(0.4)
    SHOTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SHOTS / "solution_folded.png"))

    first.find_element(By.CSS_SELECTOR, "details > summary").click()
    time.sleep(0.4)
    state = browser.execute_script(_SOLUTION_STATE, first)
    assert state == {"open": True, "input": True, "output": True,
                     "label": ["Hide the solution"]}
    assert "Right" in first.find_element(By.CSS_SELECTOR, ".cell_output").text
    assert "cx.exercises.check" in first.find_element(By.CSS_SELECTOR, ".cell_input").text
    for other in cells[1:]:  # the others stay folded
        assert not browser.execute_script(_SOLUTION_STATE, other)["open"]
    assert browser.save_screenshot(str(SHOTS / "solution_unfolded.png"))
    for file in ("solution_folded.png", "solution_unfolded.png"):
        assert (SHOTS / file).stat().st_size > 10_000, file

    first.find_element(By.CSS_SELECTOR, "details > summary").click()
    time.sleep(0.2)
    assert browser.execute_script(_SOLUTION_STATE, first)["open"] is False
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


# -- the gallery's filters and a figure's page, in the browser ------------------------------

_VISIBLE_CARDS = """
return Array.from(document.querySelectorAll('#cx-gallery .cx-card'))
  .filter(c => c.offsetParent !== null).map(c => c.getAttribute('data-name'));
"""

_VISIBLE_IMAGES_LOADED = """
return Array.from(document.querySelectorAll('#cx-gallery .cx-card'))
  .filter(c => c.offsetParent !== null)
  .every(c => Array.from(c.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0));
"""


def _load(driver, url: str) -> None:
    driver.get(url)
    deadline = time.monotonic() + 20
    while driver.execute_script("return document.readyState") != "complete":
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not finish loading")
        time.sleep(0.05)
    time.sleep(0.3)


def _kinds(kind: str) -> set[str]:
    return {n for n, e in MANIFEST.items() if kind in evidence_of(e)}


@built_site
def test_gallery_filters_to_real_data_from_the_address(browser, site_url):
    real = _kinds("real")
    assert real, "no figure shows real data"
    SHOTS.mkdir(exist_ok=True)
    for address in ("gallery.html?kind=real", "gallery.html#kind=real"):
        _load(browser, urljoin(site_url, address))
        assert set(browser.execute_script(_VISIBLE_CARDS)) == real, address
        assert browser.execute_script(_VISIBLE_IMAGES_LOADED), address
        pressed = browser.execute_script(
            "return document.querySelector('.cx-kind-button[aria-pressed=true]').dataset.kind")
        assert pressed == "real", address
        status = browser.execute_script("return document.getElementById('cx-gallery-status')"
                                        ".textContent")
        assert status.startswith(f"{len(real)} of {len(MANIFEST)} figures"), status
    _load(browser, urljoin(site_url, "gallery.html?kind=real"))
    time.sleep(0.3)
    assert browser.save_screenshot(str(SHOTS / "gallery_real.png"))
    assert (SHOTS / "gallery_real.png").stat().st_size > 10_000
    # from a file share: file://, no server
    _load(browser, (SITE / "gallery.html").resolve().as_uri() + "?kind=real")
    assert set(browser.execute_script(_VISIBLE_CARDS)) == real
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


@built_site
def test_gallery_buttons_notebook_and_search_narrow_the_grid(browser, site_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _load(browser, urljoin(site_url, "gallery.html"))
    assert set(browser.execute_script(_VISIBLE_CARDS)) == set(MANIFEST)
    browser.find_element(By.CSS_SELECTOR, '.cx-kind-button[data-kind="synthetic"]').click()
    assert set(browser.execute_script(_VISIBLE_CARDS)) == _kinds("synthetic")
    assert "kind=synthetic" in browser.current_url  # a link to this view
    browser.find_element(By.CSS_SELECTOR, '.cx-kind-button[data-kind=""]').click()

    source = sorted({e["source"] for e in MANIFEST.values()})[0]
    Select(browser.find_element(By.ID, "cx-filter-notebook")).select_by_value(source)
    assert set(browser.execute_script(_VISIBLE_CARDS)) == {
        n for n, e in MANIFEST.items() if e["source"] == source}
    assert f"notebook={source}" in browser.current_url
    browser.find_element(By.ID, "cx-filter-clear").click()
    assert set(browser.execute_script(_VISIBLE_CARDS)) == set(MANIFEST)

    # search: a word of one caption that not every figure has
    name = sorted(MANIFEST)[0]
    words = [w for w in _searchable(name, MANIFEST[name]).split() if w.isalpha() and len(w) > 4]
    word = next(w for w in words
                if 0 < sum(w in _searchable(n, e) for n, e in MANIFEST.items()) < len(MANIFEST))
    box = browser.find_element(By.ID, "cx-filter-search")
    box.send_keys(word)
    time.sleep(0.2)
    shown = set(browser.execute_script(_VISIBLE_CARDS))
    assert name in shown and 0 < len(shown) < len(MANIFEST)
    assert shown == {n for n, e in MANIFEST.items() if word in _searchable(n, e)}
    assert f"search={word}" in browser.current_url
    box.send_keys(" zzzz-no-such-word")
    time.sleep(0.2)
    assert browser.execute_script(_VISIBLE_CARDS) == []
    assert browser.find_element(By.ID, "cx-gallery-empty").is_displayed()
    # the address restores the search
    _load(browser, urljoin(site_url, f"gallery.html?search={word}"))
    assert set(browser.execute_script(_VISIBLE_CARDS)) == shown
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


@built_site
def test_a_figure_page_shows_the_figure_downloads_and_citation(browser, site_url):
    from selenium.webdriver.common.by import By

    name = sorted(_kinds("real") or MANIFEST)[0]
    entry = MANIFEST[name]
    _load(browser, urljoin(site_url, "gallery.html?kind=real"))
    browser.find_element(By.CSS_SELECTOR, f'#card-{name} .cx-card-title a').click()
    _load(browser, browser.current_url)
    assert browser.current_url.endswith(f"figures/{name}.html")
    img = browser.find_element(By.CSS_SELECTOR, "figure.cx-figure-page img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                  img) > 0
    assert img.get_attribute("alt") == entry["alt_text"]
    downloads = {a.get_attribute("href").rsplit("/", 1)[-1]
                 for a in browser.find_elements(By.CSS_SELECTOR, "a.cx-download")}
    assert downloads == set(entry["files"].values())
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all(Array.from(document.querySelectorAll('a.cx-download'))"
        ".map(a => fetch(a.href, {method: 'HEAD'}).then(r => r.status)))"
        ".then(done, e => done(String(e)));")
    assert status == [200] * len(downloads)
    text = browser.find_element(By.TAG_NAME, "main").text
    assert f"[figure {name}]" in text and entry["alt_text"] in text
    assert browser.find_element(By.CSS_SELECTOR, ".cx-figure-meta .cx-badge").is_displayed()
    SHOTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1366, min(max(int(height), 1600), 3200))  # the whole page
    time.sleep(0.3)
    try:
        assert browser.save_screenshot(str(SHOTS / "figure_page.png"))
    finally:
        browser.set_window_size(1366, 1600)
    assert (SHOTS / "figure_page.png").stat().st_size > 10_000
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]


# -- the report site of a run on a user's data (python -m cxresearch report) ----------------


@pytest.fixture(scope="module")
def report_site(tmp_path_factory):
    """``python -m cxresearch report tests/data/own_survey 01``: the site of a run on a user's
    folder (notebook 01, small simulation sizes), in a scratch directory."""
    from cxresearch.cli.main import main

    out = tmp_path_factory.mktemp("report") / "own_survey"
    status = main(["report", str(paths.TESTS_DIR / "data" / "own_survey"), "01", "-o", str(out),
                   "-p", "n_sim=200", "--no-progress"])
    assert status == 0
    return out / "_site"


_IMAGES = """
const imgs = Array.from(document.images);
return {broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
        noAlt: imgs.filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src),
        nImgs: imgs.length};
"""


@built_site
def test_report_site_in_a_real_browser(browser, report_site):
    """Served over http (every internal link answers) and opened from ``file://``, as from a
    file share or an unpacked zip: every page loads without a JavaScript error, every image
    loads (``naturalWidth > 0``) and has alt text; screenshots of the summary and the gallery
    go to ``_site_screenshots/report_index.png`` and ``report_gallery.png``."""
    from selenium.webdriver.common.by import By

    pages = ["index.html", "findings.html", "gallery.html", "notebooks/01_measuring_cx.html"]
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(report_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    problems, n_imgs = [], {}
    try:
        for page in pages:
            found = _visit(browser, f"http://127.0.0.1:{server.server_address[1]}/{page}")
            for key, what in (("broken", "broken image"), ("noAlt", "img without alt"),
                              ("badLinks", "broken internal link"),
                              ("console", "console error")):
                problems += [f"http {page}: {what}: {x}" for x in found[key]]
    finally:
        server.shutdown()
        server.server_close()
    for page in pages:  # from the file system: no fetch there (browsers refuse it on file://)
        _load(browser, (report_site / page).as_uri())
        found = browser.execute_script(_IMAGES)
        found["console"] = [e["message"] for e in browser.get_log("browser")
                            if e.get("level") == "SEVERE"]
        n_imgs[page] = found["nImgs"]
        for key, what in (("broken", "broken image"), ("noAlt", "img without alt"),
                          ("console", "console error")):
            problems += [f"file {page}: {what}: {x}" for x in found[key]]
    assert not problems, "\n".join(problems)
    figures = len(list((report_site / "figures").glob("*.png")))
    assert figures >= 1 and n_imgs["gallery.html"] == figures
    assert n_imgs["notebooks/01_measuring_cx.html"] >= 1

    SHOTS.mkdir(exist_ok=True)
    for file, page in (("report_index.png", "index.html"), ("report_gallery.png", "gallery.html")):
        _load(browser, (report_site / page).as_uri())
        if page == "gallery.html":  # every group: the user's figures and the demonstrations
            groups = [e.get_attribute("id") for e in
                      browser.find_elements(By.CSS_SELECTOR, "section.cx-group")]
            assert groups == ["group-user", "group-synthetic", "group-public"]
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(1366, min(max(int(height), 1600), 4000))
            time.sleep(0.3)
        try:
            assert browser.save_screenshot(str(SHOTS / file)), file
        finally:
            browser.set_window_size(1366, 1600)
        assert (SHOTS / file).stat().st_size > 10_000, file
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
