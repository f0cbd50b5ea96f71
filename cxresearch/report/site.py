"""The report site: the executed notebooks, the claims ledger, the API reference and a figure
gallery, built with Sphinx + MyST-NB into ``_site/`` (``make site``).

Nothing is executed: MyST-NB renders the outputs stored in ``notebooks/*.ipynb``
(``nb_execution_mode = "off"``). :func:`build_site` assembles the Sphinx sources in
``build/site/src`` from

- ``docs/site/`` (``conf.py``, the home page, the API page and its template);
- a copy of each notebook in which the cell that saved a figure gets an anchor
  (``#figure-NAME``) and its image output gets the manifest's alt text and caption, each
  exercise's solution is folded under "Solution", and glossary links point at the site's
  glossary page;
- ``claims.md``, from :func:`cxresearch.report.claims.ledger_markdown`;
- ``glossary.md``, from ``docs/glossary.md`` (:func:`glossary_markdown`), which the notebooks
  link to at the first use of a term;
- ``learning-path.md``, the notebooks in course order with prerequisites, time and exercises
  (:func:`cxresearch.report.course.course_markdown`);
- ``gallery.md`` (:func:`gallery_markdown`): a grid of thumbnails, one card per figure in
  ``figures/manifest.json``, filtered by kind of data, by notebook and by a search over the
  captions and alt texts (``docs/site/_static/cxresearch-gallery.js``; the filter is in the
  address: ``gallery.html?kind=real``);
- ``figures/NAME.md`` (:func:`figure_page_markdown`): one page per figure, with its caption,
  alt text, badges, downloads, the notebook section that made it and a suggested citation;
- the figure files themselves, copied to ``_site/figures/`` so their addresses are stable, and
  a thumbnail of each PNG in ``_site/figures/thumbs/``.

Files are rewritten only when their content changes, so a second build is incremental.

The evidence badge
------------------
Each figure gets one or more badges, from :func:`evidence_of`:

1. the manifest's ``evidence`` field, when the notebook gave one
   (``save_figure(..., evidence="real")``);
2. otherwise the caption's words, all that match, in this order:
   **synthetic** -- "synthetic", "simulat…", "closed form" (made by this project from
   assumptions, never observed);
   **fictional** -- "fictional", "artificial", "worked example", "made-up" (realistic data made
   up by a vendor, a textbook or an example);
   **real** -- "real" (observations of real organisations or people).

A caption that matches none gets no badge, and ``tests/test_site.py`` fails on it: every
published figure has to say what kind of data it shows.

>>> evidence_of({"caption": "Synthetic data: NPS by month."})
('synthetic',)
>>> evidence_of({"caption": "Real data (CMS CAHPS): ratings.", "evidence": ["real"]})
('real',)
>>> evidence_of({"caption": "Churn in the MLC++ data (artificial data)."})
('fictional',)
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import shutil
import string
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.core import paths
from cxresearch.core.results import Result
from cxresearch.report.manifest import load_manifest, write_text_atomic

__all__ = [
    "BADGE_WORDS",
    "EXPORT_FORMATS",
    "ExportResult",
    "FigureSection",
    "build_site",
    "citation",
    "evidence_of",
    "export_figures",
    "figure_page_markdown",
    "figure_sections",
    "gallery_markdown",
    "glossary_markdown",
    "main",
    "prepare_sources",
]

SITE_DIR: Path = paths.PROJECT_ROOT / "_site"
SOURCE_DIR: Path = paths.PROJECT_ROOT / "docs" / "site"
BUILD_DIR: Path = paths.PROJECT_ROOT / "build" / "site"
#: the glossary (one heading per term), readable on GitHub and in JupyterLab; the site's copy is
#: ``glossary.md`` at the root of the Sphinx sources
GLOSSARY: Path = paths.PROJECT_ROOT / "docs" / "glossary.md"

#: caption words for each badge, tried in this order (see the module docstring)
BADGE_WORDS: dict[str, tuple[str, ...]] = {
    "synthetic": (r"\bsynthetic\b", r"\bsimulat", r"\bclosed form\b"),
    "fictional": (r"\bfictional\b", r"\bartificial\b", r"\bworked example\b",
                  r"\bmade[- ]up\b"),
    "real": (r"(?<!not )(?<!no )\breal\b",),  # "not real customers" is no claim of real data
    "user": (r"\byour data\b",),  # a run on the analyst's own folder (-p data_dir=)
}

#: what each badge means, for the gallery's legend and the export's CREDITS.txt
BADGE_MEANING: dict[str, str] = {
    "synthetic": "simulated or calculated by this project from stated assumptions (seeded, "
    "with a known truth); it shows what a method does, not what real firms do",
    "fictional": "realistic data made up by a vendor, a textbook or a worked example; not "
    "observations of real organisations",
    "real": "observations of real organisations or people, from a published source named in "
    "the caption",
    "user": "the analyst's own survey data, read from their folder (a run with data_dir)",
}

_SAVE_RE = re.compile(r"save_figure\(\s*\w+\s*,\s*[\"']([A-Za-z0-9][A-Za-z0-9_\-]*)[\"']")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)


def evidence_of(entry: dict[str, Any]) -> tuple[str, ...]:
    """The badges of one manifest entry: its ``evidence`` field, else its caption's words.

    Parameters
    ----------
    entry : dict
        A figure's manifest entry.

    Returns
    -------
    tuple of str
        Kinds of :data:`BADGE_WORDS` (``"synthetic"``, ``"real"``, ``"fictional"``), possibly
        empty.

    Examples
    --------
    >>> evidence_of({"caption": "x", "evidence": "real"})
    ('real',)
    >>> evidence_of({"caption": "NPS by segment (synthetic data)."})
    ('synthetic',)
    """
    given = entry.get("evidence")
    if given:
        return (given,) if isinstance(given, str) else tuple(given)
    caption = str(entry.get("caption", "")).lower()
    return tuple(
        kind for kind, words in BADGE_WORDS.items()
        if any(re.search(w, caption) for w in words)
    )


@dataclass(frozen=True)
class FigureSection:
    """Where a figure is made: its notebook, the section heading above the cell, the anchor.

    Parameters
    ----------
    figure : str
        The figure's name.
    notebook : str
        The notebook's stem (``"03_satisfaction_index_model"``).
    notebook_title : str
        The notebook's title (its first level-1 heading).
    section : str
        The heading of the section whose cell saved the figure.
    cell_index : int
        The position of that cell in the notebook.

    Examples
    --------
    >>> FigureSection("03_x", "03_nb", "Title", "Paths", 7).href
    'notebooks/03_nb.html#figure-03_x'
    """

    figure: str
    notebook: str
    notebook_title: str
    section: str
    cell_index: int

    @property
    def anchor(self) -> str:
        return f"figure-{self.figure}"

    @property
    def href(self) -> str:
        """Link from the site's root to the cell that saved the figure."""
        return f"notebooks/{self.notebook}.html#{self.anchor}"


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def figure_sections(notebook: str | Path) -> dict[str, FigureSection]:
    """Figures saved by a notebook, each with the heading of the section whose cell saved it.

    Parameters
    ----------
    notebook : str or pathlib.Path
        An ``.ipynb`` file.

    Returns
    -------
    dict of str to FigureSection
        By figure name, in the order the notebook saves them.

    Examples
    --------
    >>> secs = figure_sections(paths.NOTEBOOKS_DIR / "03_satisfaction_index_model.ipynb")
    >>> secs["03_ecsi_paths"].href
    'notebooks/03_satisfaction_index_model.html#figure-03_ecsi_paths'
    """
    path = Path(notebook)
    nb = json.loads(path.read_text(encoding="utf-8"))
    title, section = path.stem, ""
    out: dict[str, FigureSection] = {}
    for i, cell in enumerate(nb.get("cells", [])):
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            for hashes, heading in _HEADING_RE.findall(text):
                if len(hashes) == 1 and title == path.stem:
                    title = heading
                else:
                    section = heading
        elif cell.get("cell_type") == "code":
            for name in _SAVE_RE.findall(text):
                out.setdefault(name, FigureSection(name, path.stem, title, section or title, i))
    return out


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=paths.PROJECT_ROOT, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _version() -> tuple[str, str, str]:
    """(package version, short commit or '', year of the commit or of the licence)."""
    from cxresearch import __version__

    commit = _git("rev-parse", "--short", "HEAD")
    year = _git("log", "-1", "--format=%cd", "--date=format:%Y")
    if not year:
        match = re.search(r"Copyright \(c\) (\d{4})",
                          (paths.PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8"))
        year = match.group(1) if match else "n.d."
    return __version__, commit, year


_DATA_PREFIX_RE = re.compile(r"^\w+ data(?: \([^)]*\))?:\s+(?=\S{2})")


def _figure_title(name: str, entry: dict[str, Any], width: int = 80) -> str:
    """The title of the figure's one titled panel, else its caption's first sentence up to a
    semicolon, without a leading "Real data (source):" (the badge says it), shortened to about
    ``width`` characters: a panel title of a multi-panel figure is not the figure's title."""
    checks = entry.get("checks") or {}
    titles = [str(ax["title"]) for ax in checks.get("axes", [])
              if ax.get("title") and ax.get("role") == "plot"]
    if len(titles) == 1:
        return titles[0]
    first = str(entry.get("caption", name)).split(". ")[0].split("; ")[0].rstrip(".").strip()
    first = _DATA_PREFIX_RE.sub("", first)
    first = first[:1].upper() + first[1:] if first else name
    if len(first) <= width:
        return first
    short = first[:width].rsplit(" ", 1)[0]
    if short.count("(") > short.count(")"):  # no half a parenthesis
        short = short[:short.rfind("(")]
    return short.rstrip(",;:( ") + "…"


def citation(name: str, entry: dict[str, Any], section: FigureSection | None = None,
             *, version: tuple[str, str, str] | None = None) -> str:
    """A suggested citation for one figure (plain text).

    Parameters
    ----------
    name : str
        The figure's name.
    entry : dict
        Its manifest entry.
    section : FigureSection, optional
        Where it is made (the section is named when it is not the notebook's title).
    version : tuple of str, optional
        (package version, short commit or "", year); default read from the package and git.

    Returns
    -------
    str

    Examples
    --------
    >>> print(citation("03_x", {"caption": "Paths. More.", "source": "03_nb"},
    ...                version=("0.1.0", "abc1234", "2026")))
    The cxresearch authors (2026). Paths [figure 03_x]. cxresearch: research notebooks on
    customer experience, notebook 03_nb, version 0.1.0 (commit abc1234). MIT licence.
    """
    ver, commit, year = version or _version()
    where = f"notebook {entry.get('source', '?')}"
    if section is not None and section.section and section.section != section.notebook_title:
        where += f', section "{section.section}"'
    release = f"version {ver}" + (f" (commit {commit})" if commit else "")
    return (f"The cxresearch authors ({year}). {_figure_title(name, entry)} [figure {name}]. "
            f"cxresearch: research notebooks on customer experience, {where}, {release}. "
            "MIT licence.")


def _all_sections(notebooks_dir: Path) -> dict[str, FigureSection]:
    out: dict[str, FigureSection] = {}
    for nb in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        out.update(figure_sections(nb))
    return out


def _md_escape(text: str) -> str:
    """Backslash-escape every ASCII punctuation character (CommonMark), for a MyST heading."""
    return "".join(f"\\{c}" if c in string.punctuation else c for c in text)


def _badges_html(badges: Sequence[str], *, link_to: str | None = None) -> str:
    esc = html.escape
    if link_to is None:
        return "".join(f'<span class="cx-badge cx-badge-{esc(b)}">{esc(b)}</span>'
                       for b in badges)
    return "".join(f'<a class="cx-badge cx-badge-{esc(b)}" href="{esc(link_to)}?kind={esc(b)}" '
                   f'title="all {esc(b)} figures">{esc(b)}</a>' for b in badges)


def _made_in(entry: dict[str, Any], sec: FigureSection | None) -> tuple[str, str]:
    """(label, href from the site's root) of the notebook section that made a figure."""
    if sec is None:
        source = str(entry.get("source", "?"))
        return source, f"notebooks/{source}.html"
    label = sec.notebook_title
    if sec.section and sec.section != sec.notebook_title:
        label += f" § {sec.section}"
    return label, sec.href


def _notebook_titles(manifest: dict[str, dict[str, Any]],
                     sections: dict[str, FigureSection]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, entry in manifest.items():
        source = str(entry.get("source", "?"))
        sec = sections.get(name)
        out.setdefault(source, sec.notebook_title if sec is not None else source)
    return dict(sorted(out.items()))


def gallery_markdown(manifest: dict[str, dict[str, Any]],
                     sections: dict[str, FigureSection],
                     *, version: tuple[str, str, str] | None = None,
                     thumbnails: dict[str, str] | None = None) -> str:
    """The gallery page: a filterable grid of thumbnails, one card per figure (MyST markdown).

    Each card (``<article class="cx-card">``) carries ``data-kind`` (its badges from
    :func:`evidence_of`, space-separated), ``data-notebook`` (the source notebook's stem) and
    ``data-search`` (name, title, caption and alt text, lower case), which
    ``_static/cxresearch-gallery.js`` filters on; the filters are read from and written to the
    address (``gallery.html?kind=real&notebook=01_measuring_cx&search=nps``, or the same after
    ``#``), so a link or a screenshot can show a filtered view. A card shows the thumbnail
    (its ``alt`` is the manifest's alt text), the badges, the title, the caption and the
    notebook section that made the figure; the thumbnail and the title link to the figure's
    own page (:func:`figure_page_markdown`, ``figures/NAME.html``), which has the downloads
    and the citation. A hidden toctree lists those pages. Without JavaScript every card shows.

    Parameters
    ----------
    manifest : dict
        The figure manifest (:func:`cxresearch.report.manifest.load_manifest`).
    sections : dict of str to FigureSection
        Where each figure is made (:func:`figure_sections`).
    version : tuple of str, optional
        As in :func:`citation`; named under the grid.
    thumbnails : dict of str to str, optional
        Each figure's thumbnail, relative to ``figures/``; default its PNG.

    Returns
    -------
    str
        The page's MyST markdown.

    Examples
    --------
    >>> page = gallery_markdown({}, {}, version=("0.2.0", "", "2026"))
    >>> page.splitlines()[0], 'id="cx-gallery"' in page
    ('# Figure gallery', True)
    """
    version = version or _version()
    thumbnails = thumbnails or {}
    esc = html.escape
    names = sorted(manifest)
    kinds = {name: evidence_of(manifest[name]) for name in names}
    notebooks = _notebook_titles(manifest, sections)
    n_kind = {k: sum(k in kinds[n] for n in names) for k in BADGE_WORDS}
    n_nb = {nb: sum(str(manifest[n].get("source", "?")) == nb for n in names) for nb in notebooks}
    lines = [
        "# Figure gallery",
        "",
        "Every published figure, by the kind of data it shows and the notebook that made it. "
        "Choose a kind or a notebook, or search the captions and alt texts; the address keeps "
        "the filter, so a link shows the same view. Each thumbnail opens the figure's page: "
        "the figure, its caption and alt text, PNG/SVG/PDF/CSV downloads, the notebook section "
        "that made it and a suggested citation. PDFs are laid out at one (3.5 in) or two "
        "(7.2 in) journal columns with fonts embedded. To hand a set to an editor with a "
        "`CREDITS.txt`: `python -m cxresearch figures --export DIR`.",
        "",
        "```{raw} html",
        '<dl class="cx-badge-legend">',
        *[f'<dt><span class="cx-badge cx-badge-{k}">{k}</span></dt><dd>{esc(v)}</dd>'
          for k, v in BADGE_MEANING.items() if n_kind.get(k)],
        "</dl>",
        '<form id="cx-gallery-controls" class="cx-gallery-controls" role="search" '
        'aria-label="Filter the figures" hidden>',
        '<div class="cx-filter cx-filter-kind" role="group" aria-label="Kind of data">'
        '<span class="cx-filter-label">Data</span>',
        f'<button type="button" class="cx-kind-button" data-kind="" aria-pressed="true">'
        f'all <span class="cx-count">{len(names)}</span></button>',
        *[f'<button type="button" class="cx-kind-button cx-kind-{k}" data-kind="{k}" '
          f'aria-pressed="false">{k} <span class="cx-count">{n_kind[k]}</span></button>'
          for k in BADGE_WORDS if n_kind[k]],
        "</div>",
        '<div class="cx-filter cx-filter-notebook">'
        '<label for="cx-filter-notebook" class="cx-filter-label">Notebook</label>',
        '<select id="cx-filter-notebook" name="notebook">',
        f'<option value="">all notebooks ({len(names)})</option>',
        *[f'<option value="{esc(nb)}">{esc(nb[:2])}: {esc(title)} ({n_nb[nb]})</option>'
          for nb, title in notebooks.items()],
        "</select></div>",
        '<div class="cx-filter cx-filter-search">'
        '<label for="cx-filter-search" class="cx-filter-label">Search</label>',
        '<input id="cx-filter-search" name="search" type="search" autocomplete="off" '
        'placeholder="words in captions or alt text">',
        "</div>",
        '<button type="reset" id="cx-filter-clear" class="cx-filter-clear">Clear</button>',
        "</form>",
        f'<p id="cx-gallery-status" class="cx-gallery-status" aria-live="polite">'
        f"{len(names)} figures</p>",
        '<div id="cx-gallery" class="cx-gallery-grid">',
    ]
    for name in names:
        entry = manifest[name]
        files = entry.get("files", {})
        title = _figure_title(name, entry)
        label, href = _made_in(entry, sections.get(name))
        searchable = " ".join([name, title, str(entry.get("caption", "")),
                               str(entry.get("alt_text", ""))]).lower()
        page = f"figures/{esc(name)}.html"
        thumb = thumbnails.get(name) or files.get("png")
        lines.append(
            f'<article class="cx-card" id="card-{esc(name)}" data-name="{esc(name)}" '
            f'data-kind="{esc(" ".join(kinds[name]))}" '
            f'data-notebook="{esc(str(entry.get("source", "?")))}" '
            f'data-search="{esc(" ".join(searchable.split()))}">')
        if thumb:
            lines.append(f'<a class="cx-card-thumb" href="{page}" tabindex="-1">'
                         f'<img src="figures/{esc(thumb)}" '
                         f'alt="{esc(str(entry.get("alt_text", name)))}"></a>')
        lines += [
            '<div class="cx-card-body">',
            f'<p class="cx-badges">{_badges_html(kinds[name])}'
            f'<code class="cx-card-name">{esc(name)}</code></p>',
            f'<h2 class="cx-card-title"><a href="{page}">{esc(title)}</a></h2>',
            f'<p class="cx-card-caption">{esc(str(entry.get("caption", "")))}</p>',
            f'<p class="cx-card-source">Made in <a href="{esc(href)}">{esc(label)}</a></p>',
            "</div></article>",
        ]
    ver, commit, _ = version
    lines += [
        "</div>",
        '<p id="cx-gallery-empty" class="cx-gallery-empty" hidden>No figure matches: '
        '<a href="gallery.html">show all</a>.</p>',
        f'<p class="cx-gallery-version">Figures of cxresearch {esc(ver)}'
        + (f" (commit {esc(commit)})" if commit else "") + ".</p>",
        '<script src="_static/cxresearch-gallery.js"></script>',
        "```",
        "",
        "```{toctree}",
        ":hidden:",
        "",
        *[f"figures/{name}" for name in names],
        "```",
        "",
    ]
    return "\n".join(lines)


def _column_note(entry: dict[str, Any]) -> str:
    width = (entry.get("checks") or {}).get("size_in", [None])[0]
    if width is None:
        return "vector, fonts embedded"
    columns = "one journal column" if float(width) <= 3.6 else "two journal columns"
    return f"vector, fonts embedded, {columns} ({float(width):g} in)"


def figure_page_markdown(name: str, entry: dict[str, Any],
                         section: FigureSection | None = None,
                         *, version: tuple[str, str, str] | None = None) -> str:
    """One figure's page (``figures/NAME.md``, MyST markdown): everything a writer needs.

    The figure (its ``alt`` the manifest's alt text), its badge(s) linking to the gallery
    filtered to that kind, its caption, the alt text shown as text, downloads (PNG, SVG, PDF,
    CSV), the notebook section that made it (a link to the cell) with a link to that
    notebook's other figures, what the kind of data means, and a suggested citation
    (:func:`citation`). Links are relative to ``figures/``, where the files are.

    Parameters
    ----------
    name : str
        The figure's name.
    entry : dict
        Its manifest entry.
    section : FigureSection, optional
        Where it is made (:func:`figure_sections`); default a link to the notebook's top.
    version : tuple of str, optional
        As in :func:`citation`.

    Returns
    -------
    str
        The page's MyST markdown.

    Examples
    --------
    >>> entry = {"caption": "Synthetic data: paths.", "alt_text": "Dots.",
    ...          "source": "03_nb", "files": {"png": "03_x.png", "data": "03_x.csv"}}
    >>> page = figure_page_markdown("03_x", entry, version=("0.1.0", "", "2026"))
    >>> page.splitlines()[0]  # the badge says "synthetic"
    '# Paths'
    >>> '<a class="cx-download" href="03_x.csv" download>' in page
    True
    """
    version = version or _version()
    esc = html.escape
    files = entry.get("files", {})
    badges = evidence_of(entry)
    title = _figure_title(name, entry)
    label, href = _made_in(entry, section)
    source = str(entry.get("source", "?"))
    alt = str(entry.get("alt_text", ""))
    lines = [f"# {_md_escape(title)}", "", "```{raw} html",
             f'<p class="cx-figure-meta">{_badges_html(badges, link_to="../gallery.html")}'
             f'<code>{esc(name)}</code> · <a href="../gallery.html">all figures</a></p>',
             '<figure class="cx-figure-page">']
    if "png" in files:
        lines.append(f'<a href="{esc(files["png"])}"><img class="cx-figure-img" '
                     f'src="{esc(files["png"])}" alt="{esc(alt)}"></a>')
    lines += [f'<figcaption class="cx-caption">{esc(str(entry.get("caption", "")))}'
              "</figcaption>", "</figure>", "```", "",
              "## Alt text", "", "```{raw} html",
              f'<p class="cx-alt-text">{esc(alt)}</p>', "```", ""]
    what = {
        "png": ("PNG", "web image"),
        "svg": ("SVG", "vector, for the web"),
        "pdf": ("PDF", _column_note(entry)),
        "data": ("CSV", f"the plotted data: {entry.get('data_rows', '?')} rows; columns "
                        + ", ".join(map(str, entry.get("data_columns", [])))),
    }
    downloads = [
        f'<li><a class="cx-download" href="{esc(files[key])}" download>'
        f'<strong>{fmt}</strong> <span class="cx-download-file">{esc(files[key])}</span></a> '
        f'<span class="cx-download-note">{esc(note)}</span></li>'
        for key, (fmt, note) in what.items() if key in files]
    lines += ["## Downloads", "", "```{raw} html", '<ul class="cx-downloads">', *downloads,
              "</ul>", "```", "",
              "## Where it is made", "", "```{raw} html",
              f'<p class="cx-source">The cell that saves it: <a href="../{esc(href)}">'
              f"{esc(label)}</a>. Other figures from that notebook: "
              f'<a href="../gallery.html?notebook={esc(source)}">{esc(source)}</a>.</p>',
              "```", "",
              "## Kind of data", "", "```{raw} html",
              '<dl class="cx-badge-legend">',
              *[f'<dt>{_badges_html((b,), link_to="../gallery.html")}</dt>'
                f"<dd>{esc(BADGE_MEANING.get(b, b))}</dd>" for b in badges],
              *([] if badges else ["<dd>Not stated.</dd>"]),
              "</dl>", "```", "",
              "## Suggested citation", "", "```{raw} html",
              '<blockquote class="cx-citation">'
              f"{esc(citation(name, entry, section, version=version))}</blockquote>",
              "```", ""]
    return "\n".join(lines)


def _thumbnail(png: bytes, box: tuple[int, int] = (640, 400)) -> bytes | None:
    """A smaller PNG for the gallery's grid (Pillow, which matplotlib needs); None if it fails."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            img.load()
            if img.width <= box[0] and img.height <= box[1]:
                return png
            small = img.convert("RGBA")
        small.thumbnail(box, Image.Resampling.LANCZOS)
        white = Image.new("RGBA", small.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, small).convert("RGB")
        out = io.BytesIO()  # 128 colours: a third of the bytes, no visible change at this size
        flat.quantize(colors=128, dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
        return out.getvalue()
    except Exception:  # a thumbnail is a nicety: the gallery falls back to the full PNG
        return None


def claims_markdown() -> str:
    """The claims page: the ledger of :mod:`cxresearch.report.claims` with its reading guide."""
    from cxresearch.report.claims import ledger_markdown

    return "\n".join([
        "# The claims ledger: what a writer may say",
        "",
        "Every question the project examines, where, with what kind of evidence, and what may "
        "safely be said. *Synthetic, known truth* is the bundled simulation: it shows whether a "
        "method recovers an effect put in by assumption, never whether the effect exists in "
        "real firms. *CX-leading firms* (firms that do better on CX) and *firms with a CX "
        "executive* (`cx_owner == \"cx_leader\"`) are different things. The table is "
        "`cxresearch.report.claims.ledger_markdown()`, the same as in the README and notebook 00.",
        "",
        ledger_markdown().strip(),
        "",
    ])


def _write_if_changed(path: Path, data: bytes | str) -> bool:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return True


#: where a notebook's glossary links point (``../docs/glossary.md#icc``), and where the glossary
#: page is from a notebook page in the Sphinx sources (``src/notebooks/`` to ``src/glossary.md``)
_GLOSSARY_LINK_RE = re.compile(r"\]\(\.\./docs/glossary\.md(#[^)\s]*)?\)")
_SOLUTION_PROMPTS = {"code_prompt_show": "Solution", "code_prompt_hide": "Hide the solution"}


def _is_solution(cell: dict[str, Any]) -> bool:
    """A code cell holding an exercise's solution: tagged ``solution`` (the conventions also
    set ``jupyter.source_hidden``, which folds it in JupyterLab)."""
    return (cell.get("cell_type") == "code"
            and "solution" in cell.get("metadata", {}).get("tags", []))


def _site_links(text: str) -> str:
    """A notebook's Markdown with its glossary links pointed at the site's glossary page.

    >>> _site_links("the [ICC](../docs/glossary.md#icc) and [terms](../docs/glossary.md)")
    'the [ICC](../glossary.md#icc) and [terms](../glossary.md)'
    """
    return _GLOSSARY_LINK_RE.sub(lambda m: f"](../glossary.md{m.group(1) or ''})", text)


_NOTEBOOK_LINK_RE = re.compile(r"\[([^\]]+)\]\(\.\./notebooks/([\w\-]+)\.ipynb(#[^)\s]*)?\)")


def glossary_markdown(glossary: Path = GLOSSARY, notebooks_dir: Path | None = None) -> str:
    """The glossary page for the site, from ``docs/glossary.md`` (readable on GitHub too).

    Its links to notebooks (``../notebooks/01_measuring_cx.ipynb``) are pointed at the notebook
    pages in the Sphinx sources (``notebooks/01_measuring_cx.ipynb``, the page being at the
    sources' root); a link to a notebook that does not exist keeps only its text, so that the
    site builds while a notebook is renamed (``tests/test_glossary.py`` fails on it).

    Parameters
    ----------
    glossary : pathlib.Path
        The glossary's source (default ``docs/glossary.md``).
    notebooks_dir : pathlib.Path, optional
        Where the notebooks are (default ``notebooks/``).

    Returns
    -------
    str
        MyST markdown; empty when there is no glossary.

    Examples
    --------
    >>> page = glossary_markdown()
    >>> page.startswith("# Glossary"), "(notebooks/01_measuring_cx.ipynb)" in page
    (True, True)
    """
    if not glossary.is_file():
        return ""
    folder = notebooks_dir or paths.NOTEBOOKS_DIR

    def repoint(m: re.Match[str]) -> str:
        text, stem, anchor = m.group(1), m.group(2), m.group(3) or ""
        if not (folder / f"{stem}.ipynb").is_file():
            return text
        return f"[{text}](notebooks/{stem}.ipynb{anchor})"

    return _NOTEBOOK_LINK_RE.sub(repoint, glossary.read_text(encoding="utf-8"))


def _annotated_notebook(path: Path, manifest: dict[str, dict[str, Any]]) -> str:
    """The notebook with an anchor before each figure cell and alt text on its image.

    The input of a figure cell (the one that calls ``save_figure``: label maps, caption and
    alt-text strings, the drawing) is folded (MyST-NB's ``hide-input`` tag), so that a notebook
    page reads as narrative, analysis and figure; a reader opens it with one click.

    An exercise's solution cell (tag ``solution``) is folded whole, input and output, under a
    ``<details>`` whose summary reads "Solution" (MyST-NB's ``hide-cell`` tag with the cell's
    own ``code_prompt_show``). Links to the glossary (``../docs/glossary.md#icc``) are pointed
    at the site's glossary page (``../glossary.md#icc``).
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown" and "glossary.md" in _source(cell):
            cell = {**cell, "source": _site_links(_source(cell))}
        if _is_solution(cell):
            meta = cell.get("metadata", {})
            tags = list(dict.fromkeys([*meta.get("tags", []), "hide-cell"]))
            cell = {**cell, "metadata": {**meta, "tags": tags,
                                         "mystnb": {**meta.get("mystnb", {}),
                                                    **_SOLUTION_PROMPTS}}}
        names = _SAVE_RE.findall(_source(cell)) if cell.get("cell_type") == "code" else []
        if names:
            anchors = "".join(f'<span id="figure-{n}" class="cx-figure-anchor"></span>'
                              for n in names)
            cells.append({"cell_type": "markdown", "id": f"cx-anchor-{len(cells)}",
                          "metadata": {}, "source": anchors})
            entry = manifest.get(names[0])
            alt = entry["alt_text"] if entry else f"Figure {names[0]} from {path.stem}."
            cell = dict(cell)
            tags = list(dict.fromkeys([*cell.get("metadata", {}).get("tags", []), "hide-input"]))
            cell["metadata"] = {**cell.get("metadata", {}), "tags": tags,
                                "mystnb": {**cell.get("metadata", {}).get("mystnb", {}),
                                           "image": {"alt": alt}}}
        elif cell.get("cell_type") == "code" and any(
                "image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            cell = dict(cell)
            cell["metadata"] = {**cell.get("metadata", {}),
                                "mystnb": {**cell.get("metadata", {}).get("mystnb", {}),
                                           "image": {"alt": f"Figure from {path.stem}."}}}
        cells.append(cell)
    nb["cells"] = cells
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def _mathjax_file() -> Path | None:
    """MathJax 3 (``tex-svg.js``, one self-contained file) from ``sphinx-mathjax-offline``."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax" / "tex-svg.js"
    return path if path.is_file() else None


def prepare_sources(build_dir: Path = BUILD_DIR, *, figures_dir: Path | None = None,
                    notebooks_dir: Path | None = None,
                    source_dir: Path = SOURCE_DIR) -> Path:
    """Assemble the Sphinx source tree in ``build_dir/src``.

    Copies the site's sources, the executed notebooks (figure cells anchored), the claims and
    gallery pages, a page per figure, the figures' files and their thumbnails; files no longer
    made are removed.

    Parameters
    ----------
    build_dir : pathlib.Path
        The build folder (default ``build/site``).
    figures_dir : pathlib.Path, optional
        Where the figures and their manifest are (default
        :func:`cxresearch.core.paths.figures_dir`).
    notebooks_dir : pathlib.Path, optional
        Where the notebooks are (default ``notebooks/``).
    source_dir : pathlib.Path
        The site's own sources (``conf.py``, ``index.md``, styles).

    Returns
    -------
    pathlib.Path
        ``build_dir/src``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> src = prepare_sources(d, figures_dir=d, notebooks_dir=d)
    >>> src == d / "src", (src / "gallery.md").is_file(), (src / "claims.md").is_file()
    (True, True, True)
    """

    figures_dir = figures_dir or paths.figures_dir()
    notebooks_dir = notebooks_dir or paths.NOTEBOOKS_DIR
    src = build_dir / "src"
    # the API pages are generated by autosummary on every build: stale ones (a module that
    # moved) would otherwise stay and give duplicate targets
    shutil.rmtree(src / "api", ignore_errors=True)
    manifest = load_manifest(figures_dir)
    keep: set[Path] = set()

    def put(rel: str, data: bytes | str) -> None:
        target = src / rel
        _write_if_changed(target, data)
        keep.add(target)

    for f in sorted(source_dir.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            put(str(f.relative_to(source_dir)), f.read_bytes())
    for nb in sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb")):
        put(f"notebooks/{nb.name}", _annotated_notebook(nb, manifest))
    put("claims.md", claims_markdown())
    glossary = glossary_markdown(notebooks_dir=notebooks_dir)
    if glossary:
        put("glossary.md", glossary)
    from cxresearch.report.course import course_markdown

    put("learning-path.md", course_markdown(notebooks_dir))
    sections = _all_sections(notebooks_dir)
    version = _version()
    thumbnails: dict[str, str] = {}
    for name, entry in manifest.items():
        for file in entry.get("files", {}).values():
            if (figures_dir / file).is_file():
                put(f"_extra/figures/{file}", (figures_dir / file).read_bytes())
        png = entry.get("files", {}).get("png")
        if png and (figures_dir / png).is_file():
            small = _thumbnail((figures_dir / png).read_bytes())
            if small is not None:
                thumbnails[name] = f"thumbs/{png}"
                put(f"_extra/figures/thumbs/{png}", small)
        put(f"figures/{name}.md",
            figure_page_markdown(name, entry, sections.get(name), version=version))
    put("gallery.md", gallery_markdown(manifest, sections, version=version,
                                       thumbnails=thumbnails))
    mathjax = _mathjax_file()
    if mathjax is not None:
        put("_static/mathjax/tex-svg.js", mathjax.read_bytes())
    for f in list(src.rglob("*")):  # files of figures or notebooks that no longer exist
        if f.is_file() and f not in keep and "api" not in f.relative_to(src).parts[:1]:
            f.unlink()
    return src


def build_site(out_dir: Path = SITE_DIR, *, build_dir: Path = BUILD_DIR, jobs: str = "auto",
               figures_dir: Path | None = None, quiet: bool = True) -> Path:
    """Build the site into ``out_dir`` (``_site/``) from the executed notebooks.

    Parameters
    ----------
    out_dir : pathlib.Path
        The output folder (default ``_site/``).
    build_dir : pathlib.Path
        The build folder for sources and doctrees (default ``build/site``).
    jobs : str, default "auto"
        Parallel Sphinx workers.
    figures_dir : pathlib.Path, optional
        As in :func:`prepare_sources`.
    quiet : bool, default True
        Run Sphinx with ``-q``.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``. Raises ``RuntimeError`` if Sphinx fails.

    Examples
    --------
    >>> index = build_site()  # doctest: +SKIP
    >>> index.name  # doctest: +SKIP
    'index.html'
    """
    from sphinx.cmd.build import build_main

    def pages(src: Path) -> set[str]:
        return {str(p.relative_to(src)) for p in (*(src / "notebooks").glob("*.ipynb"),
                                                   *(src / "figures").glob("*.md"))}

    before = pages(build_dir / "src")
    src = prepare_sources(build_dir, figures_dir=figures_dir)
    args = ["-b", "html", "-j", jobs, "-d", str(build_dir / "doctrees"),
            "-w", str(build_dir / "warnings.log"), str(src), str(out_dir)]
    if before and before != pages(src):
        # a notebook or a figure added, renamed or split: the pages' navigation lists them,
        # and an incremental build would rewrite only the changed pages
        args.insert(0, "-E")
    if quiet:
        args.insert(0, "-q")
    status = build_main(args)
    if status != 0:
        raise RuntimeError(f"sphinx-build failed (exit {status}); see {build_dir}/warnings.log")
    _remove_stale_pages(src, out_dir)
    return out_dir / "index.html"


def _remove_stale_pages(src: Path, out_dir: Path) -> list[Path]:
    """Delete the pages of notebooks and figures whose source is gone (a notebook renamed or
    split): Sphinx's incremental build leaves their old HTML behind, with dead links."""
    removed = []
    for folder, suffix in (("notebooks", ".ipynb"), ("figures", ".md")):
        for page in sorted((out_dir / folder).glob("*.html")):
            if not (src / folder / f"{page.stem}{suffix}").is_file():
                page.unlink()
                removed.append(page)
    return removed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cxresearch.report.site [--out DIR]``: build the report site (``_site/``).

    Parameters
    ----------
    argv : sequence of str, optional
        The command-line arguments (default ``sys.argv[1:]``): ``--out``, ``--clean``, ``-j``.

    Returns
    -------
    int
        The exit status: 0 when the site was built, 1 when Sphinx failed.

    Examples
    --------
    >>> main(["--out", "_site"])  # doctest: +SKIP
    0
    """
    parser = argparse.ArgumentParser(prog="python -m cxresearch.report.site",
                                     description=(main.__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SITE_DIR, help="output folder (_site/)")
    parser.add_argument("--clean", action="store_true", help="rebuild everything")
    parser.add_argument("-j", "--jobs", default="auto", help="parallel Sphinx workers")
    args = parser.parse_args(argv)
    if args.clean:
        shutil.rmtree(BUILD_DIR, ignore_errors=True)
        shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    try:
        index = build_site(args.out, jobs=args.jobs)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    warnings_log = BUILD_DIR / "warnings.log"
    n_warn = sum(1 for line in warnings_log.read_text(encoding="utf-8").splitlines()
                 if "WARNING" in line or "ERROR" in line) if warnings_log.exists() else 0
    shown = index.relative_to(paths.PROJECT_ROOT) if index.is_relative_to(
        paths.PROJECT_ROOT) else index
    print(f"site built in {time.perf_counter() - started:.1f} s: {shown} "
          f"({n_warn} Sphinx warning(s), listed in build/site/warnings.log)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


# ------------------------------------------------------------------ figures --export

#: export formats and the manifest's ``files`` key of each
EXPORT_FORMATS: dict[str, str] = {"png": "png", "svg": "svg", "pdf": "pdf", "csv": "data"}


@dataclass(frozen=True)
class ExportResult(Result):
    """What :func:`export_figures` copied, and what it could not find.

    Parameters
    ----------
    directory : pathlib.Path
        Where the files went.
    figures : tuple of str
        The figures chosen.
    files : tuple of pathlib.Path
        The files copied.
    missing : tuple of str
        ``name.format`` of each file the manifest or the folder lacked.

    Examples
    --------
    >>> r = ExportResult(Path("out"), ("03_x",), (Path("out/03_x.csv"),), ())
    >>> r.summary(), r.to_frame()["format"].tolist()
    ('exported 1 figure(s), 1 file(s) to out', ['csv'])
    """

    directory: Path
    figures: tuple[str, ...]
    files: tuple[Path, ...]
    missing: tuple[str, ...]

    def summary(self) -> str:
        """One line: how many figures and files went where."""
        text = (f"exported {len(self.figures)} figure(s), {len(self.files)} file(s) "
                f"to {self.directory}")
        return text + (f"; missing: {', '.join(self.missing)}" if self.missing else "")

    def to_frame(self) -> pd.DataFrame:
        """One row per file copied: ``file`` (name only) and ``format``."""
        return pd.DataFrame({"file": [p.name for p in self.files],
                             "format": [p.suffix.lstrip(".") for p in self.files]},
                            columns=["file", "format"])


def _wrap(label: str, text: str, width: int = 92) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=f"  {label:<12}",
                         subsequent_indent=" " * 14) or [f"  {label}"]


def export_figures(
    directory: str | Path,
    *,
    formats: Sequence[str] = ("png", "svg", "pdf", "csv"),
    names: str | Sequence[str] = "*",
    figures_dir: str | Path | None = None,
) -> ExportResult:
    """Copy chosen figures to ``directory`` with a ``CREDITS.txt`` for an editor.

    ``formats`` are any of :data:`EXPORT_FORMATS`; ``names`` one or more name patterns
    (``fnmatch``: ``"06_*"``; a comma-separated string works too). ``CREDITS.txt`` holds, per
    figure, its files, caption, alt text, source notebook and section, what kind of data it
    shows and where they come from, the plotted data's shape, and a suggested citation. Nothing
    in it depends on the date, so the same export gives the same bytes.

    Parameters
    ----------
    directory : str or pathlib.Path
        Where to copy the files (created if needed).
    formats : sequence of str
        Any of :data:`EXPORT_FORMATS`.
    names : str or sequence of str
        One or more figure-name patterns (``fnmatch``: ``"06_*"``; a comma-separated string
        works too).
    figures_dir : str or pathlib.Path, optional
        Where the figures and their manifest are (default
        :func:`cxresearch.core.paths.figures_dir`).

    Returns
    -------
    ExportResult

    Raises
    ------
    ValueError
        For an unknown format or when no figure matches ``names``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     result = export_figures(d, formats=["csv"], names="03_ecsi_*",
    ...                             figures_dir=paths.FIGURES_DIR)
    ...     sorted(p.name for p in Path(d).iterdir())
    ['03_ecsi_paths.csv', 'CREDITS.txt']
    """
    import fnmatch
    import shutil


    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown or not formats:
        raise ValueError(f"argument 'formats': {unknown or formats!r}; choose from "
                         f"{', '.join(EXPORT_FORMATS)}")
    patterns = ([p.strip() for p in names.split(",")] if isinstance(names, str)
                else [str(p).strip() for p in names])
    source_dir = Path(figures_dir) if figures_dir is not None else paths.figures_dir()
    manifest = load_manifest(source_dir)
    chosen = sorted(n for n in manifest if any(fnmatch.fnmatch(n, p) for p in patterns if p))
    if not chosen:
        raise ValueError(f"argument 'names': no figure in {source_dir / 'manifest.json'} "
                         f"matches {', '.join(patterns)!r} ({len(manifest)} figures; list "
                         "them with: python -m cxresearch figures)")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    version = _version()
    sections: dict[str, FigureSection] = {}
    for source in sorted({manifest[n].get("source", "") for n in chosen}):
        nb = paths.NOTEBOOKS_DIR / f"{source}.ipynb"
        if nb.is_file():
            sections.update(figure_sections(nb))

    copied: list[Path] = []
    missing: list[str] = []
    lines = [
        f"Figures from cxresearch (research notebooks on customer experience), version "
        f"{version[0]}" + (f", commit {version[1]}" if version[1] else "") + ".",
        "Licence: MIT (the cxresearch authors). Each figure's data are in its CSV file.",
        "PDF: vector, fonts embedded, laid out at one (3.5 in) or two (7.2 in) journal columns.",
        "Kinds of data:",
        *[f"  {k}: {v}." for k, v in BADGE_MEANING.items()],
        "",
    ]
    for name in chosen:
        entry = manifest[name]
        files = entry.get("files", {})
        these = []
        for fmt in formats:
            file = files.get(EXPORT_FORMATS[fmt])
            if file is None or not (source_dir / file).is_file():
                missing.append(f"{name}.{fmt}")
                continue
            shutil.copyfile(source_dir / file, out / file)
            copied.append(out / file)
            these.append(file)
        sec = sections.get(name)
        where = f"notebooks/{entry.get('source', '?')}.ipynb"
        if sec is not None and sec.section and sec.section != sec.notebook_title:
            where += f', section "{sec.section}"'
        kinds = evidence_of(entry)
        data = (f"{', '.join(kinds) or 'not stated'}. Plotted data: {files.get('data', '?')} "
                f"({entry.get('data_rows', '?')} rows; columns "
                f"{', '.join(entry.get('data_columns', []))}). Sources and licences of the "
                "data sets: data/README.md; the simulation: docs/simulation.md.")
        lines += [
            name,
            *_wrap("Files:", ", ".join(these) or "(none of the chosen formats)"),
            *_wrap("Caption:", entry.get("caption", "")),
            *_wrap("Alt text:", entry.get("alt_text", "")),
            *_wrap("Source:", where),
            *_wrap("Data:", data),
            *_wrap("Cite as:", citation(name, entry, sec, version=version)),
            "",
        ]
    credits = out / "CREDITS.txt"
    write_text_atomic(credits, "\n".join(lines))
    return ExportResult(out, tuple(chosen), (*copied, credits), tuple(missing))
