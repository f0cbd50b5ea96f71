"""The report site: badges, figure sections, the gallery page, and the built site in a browser.

The first tests need only the package. The tests of the built ``_site/`` run under
``make test-site`` (which builds the site and sets ``CXRESEARCH_SITE_TESTS=1``): a static check
of every internal link and image on every page, then a headless Chromium (the system's
``chromium`` and ``chromedriver``, driven by Selenium, never a downloaded browser) that opens the
pages and fails on a broken image, an ``img`` without a non-empty ``alt``, a broken internal link
or a JavaScript console error, and saves screenshots of the index, a notebook page and the
gallery in ``_site_screenshots/``.
"""

from __future__ import annotations

import functools
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
    _annotated_notebook,
    citation,
    evidence_of,
    figure_sections,
    gallery_markdown,
)

MANIFEST = load_manifest(paths.FIGURES_DIR)
SITE = paths.PROJECT_ROOT / "_site"
SHOTS = paths.PROJECT_ROOT / "_site_screenshots"
CHROMIUM = Path(os.environ.get("CXRESEARCH_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CXRESEARCH_CHROMEDRIVER", "/usr/bin/chromedriver"))
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


def test_gallery_card_has_everything_a_writer_needs():
    entry = {
        "caption": "Synthetic data: paths & <intervals>.",
        "alt_text": 'Dot plot of "twelve" paths.',
        "source": "03_satisfaction_index_model",
        "files": {"png": "x.png", "svg": "x.svg", "pdf": "x.pdf", "data": "x.csv"},
    }
    sec = FigureSection("03_x", "03_satisfaction_index_model", "Satisfaction index",
                        "ECSI paths", 7)
    page = gallery_markdown({"03_x": entry}, {"03_x": sec}, version=("0.1.0", "abc", "2026"))
    assert 'alt="Dot plot of &quot;twelve&quot; paths."' in page
    assert "paths &amp; &lt;intervals&gt;" in page
    assert 'cx-badge-synthetic">synthetic<' in page
    assert 'href="notebooks/03_satisfaction_index_model.html#figure-03_x"' in page
    for f, label in (("x.png", "PNG"), ("x.svg", "SVG"), ("x.pdf", "PDF"),
                     ("x.csv", "CSV (data)")):
        assert f'<a href="figures/{f}" download>{label}</a>' in page
    assert "Suggested citation:" in page and "[figure 03_x]" in page
    assert 'section "ECSI paths"' in citation("03_x", entry, sec, version=("0.1.0", "", "2026"))


def test_notebook_copy_gets_anchors_and_alt_text():
    nb_path = paths.NOTEBOOKS_DIR / "03_satisfaction_index_model.ipynb"
    nb = json.loads(_annotated_notebook(nb_path, MANIFEST))
    anchors = [c for c in nb["cells"] if "cx-figure-anchor" in "".join(c["source"])]
    assert len(anchors) == 1 and 'id="figure-03_ecsi_paths"' in anchors[0]["source"]
    figure_cells = [c for c in nb["cells"] if "mystnb" in c.get("metadata", {})]
    assert figure_cells[0]["metadata"]["mystnb"]["image"]["alt"] == MANIFEST["03_ecsi_paths"][
        "alt_text"]
    original = json.loads(nb_path.read_text())
    assert len(nb["cells"]) == len(original["cells"]) + 1  # the notebook itself is untouched


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
def test_gallery_shows_every_figure_with_alt_caption_badge_and_downloads():
    page = _parse(SITE / "gallery.html")
    alts = {Path(str(i.get("src"))).name: i.get("alt") for i in page.imgs}
    text = (SITE / "gallery.html").read_text()
    for name, entry in MANIFEST.items():
        assert alts.get(entry["files"]["png"]) == entry["alt_text"], name
        for file in entry["files"].values():
            assert ("a", f"figures/{file}") in page.refs, (name, file)
            assert (SITE / "figures" / file).is_file(), (name, file)
        assert f"figure-{name}" in text and f"[figure {name}]" in text, name
    assert text.count('class="cx-badge cx-badge-') >= len(MANIFEST)


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
    pages = ["index.html", "gallery.html", "claims.html", "api.html",
             "api/cxresearch.report.figures.html", "search.html", "genindex.html"]
    pages += [f"notebooks/{nb.stem}.html"
              for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))]
    problems = []
    n_imgs = 0
    for page in pages:
        found = _visit(browser, urljoin(site_url, page))
        n_imgs += found["nImgs"]
        for key, what in (("broken", "broken image"), ("noAlt", "img without alt"),
                          ("badLinks", "broken internal link"), ("console", "console error")):
            problems += [f"{page}: {what}: {x}" for x in found[key]]
    assert not problems, "\n".join(problems)
    assert n_imgs >= len(MANIFEST) * 2  # the gallery and the notebook pages show them all

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir()
    shots = {
        "index.png": "index.html",
        "notebook-03_satisfaction_index_model.png":
            "notebooks/03_satisfaction_index_model.html#figure-03_ecsi_paths",
        "gallery.png": "gallery.html",
    }
    for file, page in shots.items():
        browser.get(urljoin(site_url, page))
        time.sleep(0.5)
        assert browser.save_screenshot(str(SHOTS / file)), file
        assert (SHOTS / file).stat().st_size > 10_000, file
    assert not [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
