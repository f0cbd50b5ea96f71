"""A static report site for one run on a user's data: ``python -m cxresearch report``.

:func:`build_run_site` turns the notebooks executed on a user's folder (by
``python -m cxresearch report DATA_DIR``, see :mod:`cxresearch.cli.report`) and the figures they
saved into plain HTML in ``OUT/_site/``: no server, no JavaScript, no network, so it works from
``file://``, from a file share and from a zip (:func:`zip_site`). Pages:

- ``index.html``: the data (folder, tables with their rows, columns and the personal-data
  columns dropped, the instrument), what kind of data each part rests on (*your data* against the
  synthetic and public demonstrations), and the run (each notebook: ran, ran with N skipped
  sections, failed, or not run and why, with links);
- ``notebooks/NN_topic.html``: one page per executed notebook, with its text, tables, figures
  and generated sentences; the code is folded (one click shows it), since a reader wants the
  results;
- ``gallery.html``: the run's figures with captions, alt text and PNG/SVG/PDF/CSV downloads, in
  three groups never mixed: figures from *your data*, demonstrations on **synthetic** data, and
  demonstrations on public (real or fictional) data sets;
- ``findings.html``, "What these data can and cannot say": the sentences the notebooks built from
  the results (:mod:`cxresearch.report.conclusions`; each output carries
  ``{"cxresearch": {"data_kind", "claims_effect", ...}}`` in its metadata), by notebook, those
  about your data apart from the demonstrations (:func:`notebook_findings`); the sections that
  were skipped and why (:func:`skip_notices`); the notebooks that did not run; and what the
  designs can and cannot support (:mod:`cxresearch.report.claims`).

No raw data table is copied: the pages hold only what the notebooks display. :func:`scan_site`
then reads every file of the site for e-mail addresses and phone numbers
(:func:`cxresearch.io.pii.redact_text`'s detectors) and for any value the caller knows to be
personal (the respondent ids and the dropped columns' values).

Example
-------
>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> runs = pd.DataFrame({"notebook": ["01_measuring_cx"], "status": ["not run"],
...                      "reason": ["the data have no customers table"]})
>>> index = build_run_site(out, data_name="exports", runs=runs)
>>> sorted(p.name for p in index.parent.iterdir())
['findings.html', 'gallery.html', 'index.html', 'notebooks', 'style.css']
>>> scan_site(index.parent).ok()
True
"""

from __future__ import annotations

import base64
import functools
import html
import html.parser
import json
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.core.results import Result
from cxresearch.report.manifest import load_manifest

__all__ = [
    "COURSE_HEADINGS",
    "SKIP_MARKER",
    "PersonalDataScan",
    "build_run_site",
    "notebook_findings",
    "scan_site",
    "skip_notices",
    "zip_site",
]

#: the words of every skip notice (``cxresearch.cli.check.skipped``: "X: skipped, because ...")
SKIP_MARKER = ": skipped, because "

#: what a finding rests on -> (badge class, label) (the keys of ``conclusions.DATA_KINDS``)
_KIND_LABEL: dict[str, str] = {
    "user": "your data",
    "synthetic": "synthetic data",
    "real": "public data (real)",
    "fictional": "fictional data",
    "": "kind of data not stated",
}
_LABEL_RE = re.compile(r"\((your|synthetic|real|fictional) data\)")
_LABEL_KIND = {"your": "user", "synthetic": "synthetic", "real": "real", "fictional": "fictional"}
#: the headings of a notebook's course material after its conclusion (issue 23): lessons on
#: simulated data and exercises on the bundled study; a report of the analyst's data ends
#: before the first of them
COURSE_HEADINGS: tuple[str, ...] = ("## What failure looks like", "## Exercises")
_SAVE_RE = re.compile(r"save_figure\(\s*\w+\s*,\s*[\"']([A-Za-z0-9][A-Za-z0-9_\-]*)[\"']")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.MULTILINE)
#: figure badges (``cxresearch.report.site.evidence_of``) -> the gallery's group
_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("user", "From your data",
     "Figures drawn from the tables in your folder."),
    ("synthetic", "Demonstrations on synthetic data",
     "Simulated or calculated by this project from stated assumptions, to show what a method "
     "does. They say nothing about your data."),
    ("public", "Demonstrations on public data sets",
     "Real or fictional data sets that ship with the packages the project uses (named in each "
     "caption). They say nothing about your data."),
)
_GROUP_BADGE = {"user": "your data", "synthetic": "synthetic data", "public": "public data"}
_DOWNLOADS = (("png", "PNG"), ("svg", "SVG"), ("pdf", "PDF"), ("data", "CSV"))

_CSS = """\
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
  --user: #0072B2; --synthetic: #b35900; --real: #007a5a; --fictional: #a0468a; --none: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
header.cx-top { background: var(--soft); border-bottom: 1px solid var(--line); }
header.cx-top nav, main { max-width: 72rem; margin: 0 auto; padding: 0.6rem 1.2rem; }
header.cx-top a { margin-right: 1.2rem; color: var(--ink); font-weight: 600;
  text-decoration: none; }
header.cx-top a:hover, header.cx-top a[aria-current] { text-decoration: underline; }
main { padding-bottom: 3rem; }
h1 { font-size: 1.7rem; margin: 1.2rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 0.4rem; }
a { color: #0b5cad; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.92rem; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.55rem; text-align: left;
  vertical-align: top; }
th { background: var(--soft); }
.cx-scroll { overflow-x: auto; max-width: 100%; }
.cx-note { background: #eef6fc; border-left: 4px solid var(--user); padding: 0.6rem 0.9rem;
  margin: 1rem 0; }
.cx-warn { background: #fff4e5; border-left: 4px solid var(--synthetic); padding: 0.6rem 0.9rem;
  margin: 1rem 0; }
.cx-badge { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0 0.45rem;
  border-radius: 0.6rem; color: #fff; background: var(--none); margin-right: 0.4rem;
  white-space: nowrap; vertical-align: middle; }
.cx-badge-user { background: var(--user); }
.cx-badge-synthetic { background: var(--synthetic); }
.cx-badge-real, .cx-badge-public { background: var(--real); }
.cx-badge-fictional { background: var(--fictional); }
.cx-badge-claim { background: #fff; color: var(--ink); border: 1px solid var(--ink); }
.cx-status-failed { color: #b00020; font-weight: 600; }
.cx-status-notrun { color: var(--muted); }
ul.cx-findings { padding-left: 1.2rem; }
ul.cx-findings > li { margin: 0.5rem 0; }
ul.cx-findings p { display: inline; margin: 0; }
.cx-cell-md { margin: 0.4rem 0; }
details.cx-code { margin: 0.3rem 0; }
details.cx-code > summary { color: var(--muted); font-size: 0.8rem; cursor: pointer; }
pre { background: var(--soft); border: 1px solid var(--line); padding: 0.5rem 0.7rem;
  overflow-x: auto; font-size: 0.85rem; line-height: 1.35; }
.cx-output { margin: 0.4rem 0 0.8rem; }
.cx-output img, figure img { max-width: 100%; height: auto; }
.cx-finding { border-left: 4px solid var(--none); padding: 0.1rem 0.8rem; margin: 0.6rem 0; }
.cx-finding-user { border-color: var(--user); }
.cx-finding-synthetic { border-color: var(--synthetic); }
.cx-finding-real { border-color: var(--real); }
.cx-finding-fictional { border-color: var(--fictional); }
.cx-skipped { background: #fff4e5; border-left: 4px solid var(--synthetic);
  padding: 0.4rem 0.8rem; }
.cx-error { background: #fdecee; border-color: #b00020; }
.cx-gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr));
  gap: 1.2rem; }
figure.cx-fig { margin: 0; border: 1px solid var(--line); border-radius: 0.4rem;
  padding: 0.7rem; background: #fff; }
figure.cx-fig figcaption { font-size: 0.88rem; }
.cx-alt { color: var(--muted); font-size: 0.82rem; }
.cx-downloads a { margin-right: 0.7rem; font-size: 0.88rem; }
.cx-toc { columns: 2; column-gap: 2.5rem; font-size: 0.92rem; }
.cx-toc li { break-inside: avoid; }
td.cx-time { white-space: nowrap; }
footer { color: var(--muted); font-size: 0.82rem; margin-top: 3rem; }
@media (max-width: 40rem) { .cx-toc { columns: 1; } }
@media print { header.cx-top, details.cx-code { display: none; } }
"""


# -- reading the executed notebooks ---------------------------------------------------------


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _meta(output: Mapping[str, Any]) -> dict[str, Any] | None:
    """The ``cxresearch`` metadata of an output (IPython keeps it under the MIME type)."""
    md = output.get("metadata") or {}
    if isinstance(md.get("cxresearch"), dict):
        return md["cxresearch"]
    for value in md.values():
        if isinstance(value, dict) and isinstance(value.get("cxresearch"), dict):
            return value["cxresearch"]
    return None


def _split_conclusions(text: str) -> tuple[str, list[str], list[str]]:
    """(heading, bullets, note paragraphs) of a :class:`Conclusions` text."""
    lines = text.splitlines()
    heading = ""
    if lines and lines[0].strip().startswith("**") and lines[0].strip().endswith("**"):
        heading = lines[0].strip()[2:-2]
        lines = lines[1:]
    bullets: list[list[str]] = []
    notes: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if line.startswith("- "):
            current = [line[2:].strip()]
            bullets.append(current)
        elif not line.strip():
            current = None
        elif current is not None and line.startswith(" "):
            current.append(line.strip())
        else:
            if current is None or current is not (notes[-1] if notes else None):
                current = []
                notes.append(current)
            current.append(line.strip())
    return heading, [" ".join(b) for b in bullets], [" ".join(n) for n in notes if n]


def _kind_of(text: str, default: str) -> str:
    m = _LABEL_RE.search(text)
    return _LABEL_KIND[m.group(1)] if m else default


def notebook_findings(nb: Any) -> pd.DataFrame:
    """The generated sentences an executed notebook shows, one row per sentence.

    Every output whose metadata carries ``{"cxresearch": {...}}``
    (:class:`cxresearch.report.conclusions.Finding` and ``Conclusions``) is read; a
    ``Conclusions`` list is split into its sentences, each with the data kind of its label
    (``(your data)``, ``(synthetic data)``...) and, when the same sentence was shown on its own,
    that output's ``claims_effect``. A sentence shown twice (a finding, then the notebook's
    closing list) is kept once; empty sentences are left out. Notes under a list are kept with
    ``kind == "note"``.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        An executed notebook.

    Returns
    -------
    pandas.DataFrame
        ``text`` (Markdown), ``data_kind`` (``"user"``, ``"synthetic"``, ``"real"``,
        ``"fictional"`` or ``""``), ``claims_effect`` (True, False or None when a list claims
        one and this sentence was not shown alone), ``kind`` and ``cell`` (its index).

    Examples
    --------
    >>> import nbformat
    >>> from cxresearch.report.conclusions import Conclusions, Finding
    >>> found = Conclusions((Finding("**NPS**: 12.", False, kind="level"),
    ...                      Finding("**Paths**: recovered.", True)), data_kind="user")
    >>> text, md = found._repr_markdown_()
    >>> cell = nbformat.v4.new_code_cell("show(found)")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": text},
    ...                                        metadata={"text/markdown": md})]
    >>> notebook_findings(nbformat.v4.new_notebook(cells=[cell]))[["data_kind", "text"]]
      data_kind                                  text
    0      user             **NPS** (your data): 12.
    1      user  **Paths** (your data): recovered.
    """
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def add(text: str, data_kind: str, claims: bool | None, kind: str, cell: int) -> None:
        key = " ".join(text.split())
        if not key:
            return
        if key in seen:
            row = rows[seen[key]]
            if row["claims_effect"] is None and claims is not None:
                row["claims_effect"] = claims
            return
        seen[key] = len(rows)
        rows.append({"text": text.strip(), "data_kind": data_kind, "claims_effect": claims,
                     "kind": kind, "cell": cell})

    singles: dict[str, bool] = {}
    collected: list[tuple[int, dict[str, Any], str]] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "markdown" and _text(cell.get("source")).lstrip().startswith(
                COURSE_HEADINGS):
            break  # the course material after the conclusion states no finding of these data
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            meta = _meta(output)
            if meta is None:
                continue
            text = _text((output.get("data") or {}).get("text/markdown", ""))
            collected.append((index, meta, text))
            if meta.get("kind") != "conclusions":
                singles[" ".join(text.split())] = bool(meta.get("claims_effect"))
    for index, meta, text in collected:
        declared = str(meta.get("data_kind") or "")
        if meta.get("kind") != "conclusions":
            kind = declared if declared in _KIND_LABEL else _kind_of(text, "")
            add(text, kind, bool(meta.get("claims_effect")), str(meta.get("kind", "result")),
                index)
            continue
        single_kind = declared if declared in _KIND_LABEL else ""
        _, bullets, notes = _split_conclusions(text)
        for bullet in bullets:
            claims = singles.get(" ".join(bullet.split()))
            if claims is None and not meta.get("claims_effect"):
                claims = False
            add(bullet, _kind_of(bullet, single_kind), claims, "result", index)
        kinds = [k for k in declared.split(",") if k]
        for note in notes:
            add(note, "user" if "user" in kinds else _kind_of(note, single_kind), False,
                "note", index)
    return pd.DataFrame(rows, columns=["text", "data_kind", "claims_effect", "kind", "cell"])


def skip_notices(nb: Any) -> list[str]:
    """The sections an executed notebook skipped, each as its sentence, in order, once each.

    A skip notice is a line holding :data:`SKIP_MARKER` ("``X: skipped, because ...``", from
    ``cxresearch.cli.check.skipped``), printed or shown as a cell's plain-text result. Errors
    are not skip notices.

    Parameters
    ----------
    nb : nbformat.NotebookNode or dict
        An executed notebook.

    Returns
    -------
    list of str
        The sentences.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("...")
    >>> line = "Key drivers: skipped, because the instrument declares no drivers."
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=line + "\\n"),
    ...                 nbformat.v4.new_output("stream", name="stdout", text=line + "\\n")]
    >>> skip_notices(nbformat.v4.new_notebook(cells=[cell]))
    ['Key drivers: skipped, because the instrument declares no drivers.']
    """
    found: dict[str, None] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream":
                text = _text(output.get("text"))
            elif kind in ("execute_result", "display_data"):
                data = output.get("data") or {}
                text = _text(data.get("text/plain") or data.get("text/markdown") or "")
            else:
                continue
            for line in text.splitlines():
                if SKIP_MARKER in line:
                    found.setdefault(line.strip().strip("'\""), None)
    return list(found)


# -- rendering ------------------------------------------------------------------------------


@functools.cache
def _markdown_it() -> Any:
    from markdown_it import MarkdownIt  # jupytext's Markdown parser (a dependency of jupytext)

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", re.sub(r"<[^>]+>", "", text).lower()).strip("-") or "s"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


_A_OPEN = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def _external(ref: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE)) or ref.startswith("//")


def _fix_links(markup: str, resolve: Any, *, images: bool = True) -> str:
    """Local links go through ``resolve(ref) -> new ref or None``; an unresolvable link keeps
    its text without the link, and (``images``) an image from a file or the web, which the site
    does not have, becomes its alt text."""
    out: list[str] = []
    pos = 0
    for m in _A_OPEN.finditer(markup):
        out.append(markup[pos:m.start()])
        pos = m.end()
        href = _HREF.search(m.group(1))
        ref = html.unescape(href.group(2)) if href else None
        if ref is None or ref.startswith("#") or _external(ref):
            out.append(m.group(0))
            continue
        new = resolve(ref)
        if new is not None:
            out.append(m.group(0).replace(href.group(0), f'href="{html.escape(new)}"'))
            continue
        close = markup.find("</a>", pos)
        if close < 0:
            continue
        out.append(markup[pos:close])
        pos = close + len("</a>")
    out.append(markup[pos:])
    markup = "".join(out)

    def image(m: re.Match[str]) -> str:
        src = _SRC.search(m.group(0))
        ref = html.unescape(src.group(2)) if src else ""
        if ref.startswith("data:"):  # a remote image would need the network: its alt text
            return m.group(0)
        alt = _ALT.search(m.group(0))
        return f"<em>{alt.group(2)}</em>" if alt else ""

    return _IMG.sub(image, markup) if images else markup


def _scrub(text: str, redact: Sequence[tuple[str, str]]) -> str:
    for old, new in redact:
        if old:
            text = text.replace(old, new)
    return text


@dataclass
class _Page:
    """One notebook rendered: its HTML body, title, headings and the figures it saved."""

    stem: str
    title: str
    parts: list[str]
    toc: list[tuple[str, str]]
    figures: dict[str, tuple[str, str]]  # name -> (section, anchor)


def _badge(kind: str, label: str | None = None) -> str:
    css = kind if kind in ("user", "synthetic", "real", "fictional", "public") else "none"
    text = label or _KIND_LABEL.get(kind, kind)
    return f'<span class="cx-badge cx-badge-{css}">{html.escape(text)}</span>'


def _render_output(output: Mapping[str, Any], stem: str, index: int, k: int, alt: str,
                   img_dir: Path, redact: Sequence[tuple[str, str]]) -> str:
    esc = html.escape
    kind = output.get("output_type")
    if kind == "stream":
        text = _scrub(_ANSI_RE.sub("", _text(output.get("text"))), redact)
        if not text.strip():
            return ""
        if output.get("name") == "stderr":
            return ('<details class="cx-code"><summary>messages</summary>'
                    f"<pre>{esc(text)}</pre></details>")
        css = " cx-skipped" if SKIP_MARKER in text else ""
        return f'<pre class="cx-output cx-stream{css}">{esc(text.rstrip())}</pre>'
    if kind == "error":
        trace = "\n".join(_text(t) for t in output.get("traceback", [])) or (
            f"{output.get('ename', '')}: {output.get('evalue', '')}")
        trace = _scrub(_ANSI_RE.sub("", trace), redact)
        return f'<pre class="cx-output cx-error">{esc(trace)}</pre>'
    data = output.get("data") or {}
    for mime, suffix in (("image/png", "png"), ("image/jpeg", "jpg")):
        if mime in data:
            name = f"{stem}-{index:03d}-{k}.{suffix}"
            img_dir.mkdir(parents=True, exist_ok=True)
            (img_dir / name).write_bytes(base64.b64decode(_text(data[mime])))
            return f'<div class="cx-output"><img src="img/{name}" alt="{esc(alt)}"></div>'
    meta = _meta(output)
    if "text/markdown" in data and meta is not None:
        dk = str(meta.get("data_kind") or "")
        css = dk if dk in _KIND_LABEL else "mixed"
        body = _markdown_it().render(_scrub(_text(data["text/markdown"]), redact))
        return f'<div class="cx-output cx-finding cx-finding-{css}">{body}</div>'
    if "text/html" in data:
        body = _scrub(_text(data["text/html"]), redact)
        return f'<div class="cx-output cx-scroll">{body}</div>'
    if "text/markdown" in data:
        body = _markdown_it().render(_scrub(_text(data["text/markdown"]), redact))
        return f'<div class="cx-output">{body}</div>'
    if "text/plain" in data:
        text = _scrub(_ANSI_RE.sub("", _text(data["text/plain"])), redact)
        if SKIP_MARKER in text:  # a skip notice shown as a cell's result
            return f'<pre class="cx-output cx-skipped">{esc(text.strip(chr(39) + chr(34)))}</pre>'
        return f'<pre class="cx-output">{esc(text)}</pre>'
    return ""


def _render_notebook(path: Path, stem: str, manifest: Mapping[str, Mapping[str, Any]],
                     pages: set[str], site: Path, redact: Sequence[tuple[str, str]],
                     saved: Sequence[str] = ()) -> _Page:
    """One notebook as HTML. ``saved``: the figures this run of it saved, in the order it saved
    them; a cell that calls ``save_figure`` with a computed name (``plan.name``) is given the
    next of them not named literally elsewhere, one per image it shows."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    esc = html.escape
    literal = {n for c in nb.get("cells", []) if c.get("cell_type") == "code"
               for n in _SAVE_RE.findall(_text(c.get("source")))}
    unclaimed = [n for n in saved if n not in literal]
    img_dir = site / "notebooks" / "img"
    used: set[str] = set()
    title, section = stem, ""
    toc: list[tuple[str, str]] = []
    figures: dict[str, tuple[str, str]] = {}
    parts: list[str] = []

    def resolve(ref: str) -> str | None:
        target, _, fragment = ref.partition("#")
        name = Path(target).stem if target.endswith(".ipynb") else ""
        if name in pages:
            return f"{name}.html" + (f"#{fragment}" if fragment else "")
        return None

    for index, cell in enumerate(nb.get("cells", [])):
        source = _text(cell.get("source"))
        tags = (cell.get("metadata") or {}).get("tags") or []
        if cell.get("cell_type") == "markdown":
            if source.lstrip().startswith(COURSE_HEADINGS):
                break  # course material on simulated and bundled data, not a finding
            if "papermill-error-cell-tag" in tags:
                continue
            body = _markdown_it().render(_scrub(source, redact))
            for hashes, heading in _HEADING_RE.findall(source):
                if len(hashes) == 1 and title == stem:
                    title = heading.strip()
                elif len(hashes) == 2:
                    section = heading.strip()

            def anchor(m: re.Match[str]) -> str:
                level, inner = m.group(1), m.group(2)
                slug = _slug(inner, used)
                if level == "2":
                    toc.append((slug, re.sub(r"<[^>]+>", "", inner)))
                return f'<h{level} id="{slug}">{inner}</h{level}>'

            body = re.sub(r"<h([1-6])>(.*?)</h\1>", anchor, body, flags=re.DOTALL)
            parts.append(f'<div class="cx-cell-md">{_fix_links(body, resolve)}</div>')
            continue
        if cell.get("cell_type") != "code":
            continue
        names = _SAVE_RE.findall(source)
        if not names and "save_figure(" in source and unclaimed:
            shown = sum(1 for o in cell.get("outputs", [])
                        if {"image/png", "image/jpeg"} & set(o.get("data") or {}))
            names, unclaimed = unclaimed[:max(shown, 1)], unclaimed[max(shown, 1):]
        for name in names:
            figures[name] = (section or title, f"figure-{name}")
            parts.append(f'<span id="figure-{esc(name)}"></span>')
        label = ("parameters of this run" if "injected-parameters" in tags else "code")
        if source.strip():
            parts.append(f'<details class="cx-code"><summary>{label}</summary>'
                         f"<pre><code>{esc(_scrub(source, redact))}</code></pre></details>")
        images = 0
        for k, output in enumerate(cell.get("outputs", [])):
            data = output.get("data") or {}
            alt = ""
            if "image/png" in data or "image/jpeg" in data:
                entry = manifest.get(names[images]) if images < len(names) else None
                alt = str((entry or {}).get("alt_text") or "") or (
                    f"Figure from {title}" + (f", section “{section}”" if section else "")
                    + " (no description given).")
                images += 1
            parts.append(_fix_links(_render_output(output, stem, index, k, alt, img_dir,
                                                   redact), resolve, images=False))
    return _Page(stem, title, [p for p in parts if p], toc, figures)


def _saved_by(stem: str, path: Path, manifest: Mapping[str, Mapping[str, Any]],
              figures_dir: Path, seconds: Any) -> list[str]:
    """The figures a notebook's run saved, in the order it saved them (their PNGs' times); when
    the run's duration is known, figures older than the run (an earlier run's) are left out."""
    since = None
    if seconds is not None and pd.notna(seconds):
        since = path.stat().st_mtime - float(seconds) - 2.0
    found = []
    for name, entry in manifest.items():
        png = figures_dir / str((entry.get("files") or {}).get("png", ""))
        if str(entry.get("source", "")) != stem or not png.is_file():
            continue
        mtime = png.stat().st_mtime
        if since is None or mtime >= since:
            found.append((png.stat().st_mtime_ns, name))
    return [name for _, name in sorted(found)]


def _page(title: str, body: str, *, depth: int = 0, current: str = "") -> str:
    up = "../" * depth
    nav = [("index.html", "Summary"), ("findings.html", "What these data can and cannot say"),
           ("gallery.html", "Figures")]
    links = " ".join(
        f'<a href="{up}{href}"' + (' aria-current="page"' if href == current else "")
        + f">{html.escape(text)}</a>" for href, text in nav)
    return ("<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            '<link rel="icon" href="data:,">\n'
            f'<link rel="stylesheet" href="{up}style.css">\n</head>\n<body>\n'
            f'<header class="cx-top"><nav aria-label="Report">{links}</nav></header>\n'
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")


def _status_text(row: Mapping[str, Any]) -> tuple[str, str]:
    """(text, css class) of a notebook's status in the run."""
    status = str(row.get("status", ""))
    if status == "ok":
        n = int(row.get("skipped") or 0)
        return (f"ran with {n} skipped section{'s' if n != 1 else ''}" if n else "ran"), ""
    if status == "failed":
        return (str(row.get("error") or "failed")), "cx-status-failed"
    reason = str(row.get("reason") or "")
    return ("not run" + (f": {reason}" if reason else "")), "cx-status-notrun"


def _table_html(tables: pd.DataFrame | None) -> str:
    esc = html.escape
    if tables is None or not len(tables):
        return "<p>No tables were found in the folder.</p>"
    rows = []
    for r in tables.to_dict("records"):
        problem = str(r.get("problem") or "")
        cells = [esc(str(r.get("table", ""))), esc(str(r.get("file", "")))]
        if problem:
            cells += ['<td colspan="3" class="cx-status-failed">not read: ' + esc(problem)
                      + "</td>"]
            rows.append("<tr><td>" + "</td><td>".join(cells[:2]) + "</td>" + cells[2] + "</tr>")
            continue
        pii = str(r.get("personal_data") or "") or "none found"
        cells += [f"{int(r.get('rows', 0)):,}", str(int(r.get("columns", 0))), esc(pii)]
        rows.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
    return ('<div class="cx-scroll"><table><thead><tr><th>table</th><th>file</th><th>rows</th>'
            "<th>columns</th><th>personal-data columns dropped when read (never used)</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def _figure_group(entry: Mapping[str, Any]) -> str:
    from cxresearch.report.site import evidence_of

    badges = set(evidence_of(dict(entry)))
    if "synthetic" in badges:
        return "synthetic"
    if badges & {"real", "fictional"}:
        return "public"
    return "user"


def _gallery(manifest: Mapping[str, Mapping[str, Any]], figures_dir: Path | None, site: Path,
             sections: Mapping[str, tuple[str, str, str]]) -> tuple[str, dict[str, int]]:
    """The gallery's body, and the number of figures in each group."""
    from cxresearch.report.site import evidence_of

    esc = html.escape
    groups: dict[str, list[str]] = {g: [] for g, _, _ in _GROUPS}
    for name in sorted(manifest):
        if name in sections:
            groups[_figure_group(manifest[name])].append(name)
    out = ["<h1>Figures</h1>",
           '<p class="cx-note">The figures of this run, in three groups that are never mixed: '
           "those drawn from <strong>your data</strong>, and demonstrations of the methods on "
           "<strong>synthetic</strong> data or on public data sets, which say nothing about "
           "your data. Each figure has its caption, its alt text (a description for screen "
           "readers) and its files: PNG for slides and the web, SVG to edit, PDF for print "
           "and CSV with the plotted numbers.</p>"]
    counts = {g: len(names) for g, names in groups.items()}
    for group, heading, note in _GROUPS:
        names = groups[group]
        out.append(f'<section id="group-{group}" class="cx-group">'
                   f"<h2>{_badge(group, _GROUP_BADGE[group])} {esc(heading)} ({len(names)})"
                   f"</h2><p>{esc(note)}</p>")
        if not names:
            out.append("<p><em>None in this run.</em></p></section>")
            continue
        out.append('<div class="cx-gallery">')
        for name in names:
            entry = manifest[name]
            files = {k: v for k, v in (entry.get("files") or {}).items()
                     if figures_dir is not None and (figures_dir / str(v)).is_file()}
            for file in files.values():
                target = site / "figures" / str(file)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(figures_dir / str(file), target)  # type: ignore[operator]
            stem, section, anchor = sections[name]
            alt = str(entry.get("alt_text") or "") or f"Figure {name} (no description given)."
            badges = "".join(_badge(b) for b in evidence_of(dict(entry))) or _badge("user")
            img = (f'<a href="figures/{esc(files["png"])}"><img src="figures/{esc(files["png"])}" '
                   f'alt="{esc(alt)}"></a>' if "png" in files else "")
            downloads = " ".join(
                f'<a href="figures/{esc(files[key])}" download>{label}</a>'
                for key, label in _DOWNLOADS if key in files)
            out.append(
                f'<figure class="cx-fig" id="fig-{esc(name)}" data-group="{group}">{img}'
                f"<figcaption><p>{badges}<code>{esc(name)}</code></p>"
                f"<p>{esc(str(entry.get('caption', '')))}</p>"
                f'<p class="cx-alt"><strong>Alt text:</strong> {esc(alt)}</p>'
                f'<p class="cx-downloads">Download: {downloads}</p>'
                f'<p>Made in <a href="notebooks/{esc(stem)}.html#{esc(anchor)}">'
                f"{esc(stem[:2])} § {esc(section)}</a></p></figcaption></figure>")
        out.append("</div></section>")
    return "\n".join(out), counts


def _finding_item(row: Mapping[str, Any], redact: Sequence[tuple[str, str]]) -> str:
    text = _markdown_it().render(_scrub(str(row["text"]), redact)).strip()
    tags = _badge(str(row["data_kind"]))
    if row.get("claims_effect") is True:
        tags += ('<span class="cx-badge cx-badge-claim" title="the interval excludes no '
                 'difference: the sentence states a difference or an association">states a '
                 "difference or association</span>")
    return f"<li>{tags} {text}</li>"


def _ledger_rows(stems: Iterable[str]) -> list[Any]:
    from cxresearch.report.claims import LEDGER, citations

    numbers = {s[:2] for s in stems}
    return [c for c in LEDGER if {n for n, _ in citations(c.where)} & numbers]


def _findings_page(data_name: str, pages: Sequence[_Page], findings: Mapping[str, pd.DataFrame],
                   skips: Mapping[str, list[str]], runs: pd.DataFrame,
                   redact: Sequence[tuple[str, str]]) -> str:
    esc = html.escape
    titles = {p.stem: p.title for p in pages}

    def link(stem: str) -> str:
        return f'<a href="notebooks/{esc(stem)}.html">{esc(titles.get(stem, stem))}</a>'

    out = ["<h1>What these data can and cannot say</h1>",
           '<p class="cx-note">The sentences below were written by the notebooks from the '
           "computed results, not typed by hand. Each carries the kind of data it rests on: "
           f"{_badge('user')} is the folder <strong>{esc(data_name)}</strong>; "
           f"{_badge('synthetic')}, {_badge('real')} and {_badge('fictional')} are "
           "demonstrations of the methods on other data and say nothing about yours. A "
           "sentence marked “states a difference or association” found an interval that "
           "excludes no difference; an association is not an effect (see the last part).</p>",
           '<h2 id="your-data">What your data say</h2>']
    any_user = False
    for page in pages:
        frame = findings.get(page.stem)
        if frame is None:
            continue
        mine = frame[(frame["data_kind"] == "user") & (frame["kind"] != "note")]
        notes = frame[(frame["data_kind"] == "user") & (frame["kind"] == "note")]
        if not len(mine) and not len(notes):
            continue
        any_user = True
        out.append(f"<h3>{link(page.stem)}</h3>")
        out.append('<ul class="cx-findings">'
                   + "".join(_finding_item(r, redact) for r in mine.to_dict("records"))
                   + "</ul>")
        for note in notes["text"]:
            out.append(f'<div class="cx-cell-md">'
                       f"{_markdown_it().render(_scrub(str(note), redact))}</div>")
    if not any_user:
        out.append("<p>No sentence of this run is about your data: the notebooks that ran "
                   "show their methods on other data only (below).</p>")
    out.append('<h2 id="cannot">What your data could not answer</h2>')
    out.append("<p>Sections the notebooks skipped because the data lack what they need, and "
               "notebooks that did not run, each with the reason.</p>")
    listed = False
    for page in pages:
        if skips.get(page.stem):
            listed = True
            out.append(f"<h3>{link(page.stem)}</h3><ul>"
                       + "".join(f"<li>{esc(_scrub(s, redact))}</li>"
                                 for s in skips[page.stem]) + "</ul>")
    not_run = [r for r in runs.to_dict("records") if r.get("status") not in ("ok",)]
    if not_run:
        listed = True
        out.append("<h3>Notebooks that did not run, or failed</h3><ul>")
        for r in not_run:
            text, css = _status_text(r)
            out.append(f'<li><strong>{esc(str(r["notebook"]))}</strong>: '
                       f'<span class="{css}">{esc(_scrub(text, redact))}</span></li>')
        out.append("</ul>")
    if not listed:
        out.append("<p>Nothing was skipped.</p>")
    ledger = _ledger_rows(p.stem for p in pages)
    out.append('<h2 id="designs">What the methods can and cannot support</h2>')
    out.append("<p>The project's claims ledger: for each question these notebooks examine, what "
               "the design can support and what it cannot. It was written for the project's "
               "bundled studies; the limits of a design hold on your data too (for example, a "
               "survey of one period shows associations, never effects).</p>")
    if ledger:
        out.append('<div class="cx-scroll"><table><thead><tr><th>question</th>'
                   "<th>what may safely be said</th><th>what not</th></tr></thead><tbody>")
        for c in ledger:
            out.append(f"<tr><td>{esc(c.question)}<br><small>{esc(c.where)}</small></td>"
                       f"<td>{esc(c.safe_to_say)}</td><td>{esc(c.not_safe_to_say)}</td></tr>")
        out.append("</tbody></table></div>")
    else:
        out.append("<p>No row of the ledger concerns the notebooks of this run.</p>")
    out.append('<h2 id="demonstrations">Demonstrations on other data (not about your '
               "data)</h2><p>What the notebooks show on synthetic, real or fictional data "
               "to explain their methods.</p>")
    any_demo = False
    for page in pages:
        frame = findings.get(page.stem)
        if frame is None:
            continue
        demo = frame[(frame["data_kind"] != "user") & (frame["kind"] != "note")]
        if not len(demo):
            continue
        any_demo = True
        out.append(f"<h3>{link(page.stem)}</h3>")
        out.append('<ul class="cx-findings">'
                   + "".join(_finding_item(r, redact) for r in demo.to_dict("records"))
                   + "</ul>")
    if not any_demo:
        out.append("<p>None in this run.</p>")
    return "\n".join(out)


def _index_page(data_name: str, tables: pd.DataFrame | None, instrument: str,
                problems: Sequence[str], runs: pd.DataFrame, pages: Mapping[str, _Page],
                counts: Mapping[str, int], n_user: int,
                redact: Sequence[tuple[str, str]]) -> str:
    from cxresearch import __version__

    esc = html.escape
    ran = int((runs["status"] == "ok").sum()) if len(runs) else 0
    failed = int((runs["status"] == "failed").sum()) if len(runs) else 0
    out = [f"<h1>Report on your data: {esc(data_name)}</h1>",
           '<div class="cx-note"><p><strong>What these pages rest on.</strong> '
           f"{_badge('user')} means the tables in your folder <strong>{esc(data_name)}"
           "</strong> (listed below); only results marked so are about your data. The "
           "notebooks also explain their methods on other data, marked "
           f"{_badge('synthetic')} (simulated by the project, with a known true answer), "
           f"{_badge('real')} or {_badge('fictional')} (public data sets): those "
           "demonstrations say nothing about your data.</p>"
           f"<p>This run: {ran} notebook{'s' if ran != 1 else ''} ran"
           + (f", {failed} failed" if failed else "")
           + f"; {n_user} sentence{'s' if n_user != 1 else ''} about your data "
           f'(<a href="findings.html">what these data can and cannot say</a>); '
           f"{counts.get('user', 0)} figure{'s' if counts.get('user', 0) != 1 else ''} from "
           f"your data and {counts.get('synthetic', 0) + counts.get('public', 0)} "
           'demonstration figures (<a href="gallery.html">figures</a>).</p></div>']
    if failed:
        out.append('<p class="cx-warn">Some notebooks failed: their pages show where they '
                   "stopped and the error; the others are complete.</p>")
    out += ["<h2>Your data</h2>", _table_html(tables),
            "<p>Personal data (names, e-mail addresses, phone numbers...) are dropped when the "
            "tables are read; no page shows a row of your tables.</p>"]
    out.append(f"<h3>Instrument</h3><p>{esc(_scrub(instrument or 'not stated', redact))}</p>")
    if problems:
        out.append('<div class="cx-warn"><p>Problems with the data:</p><ul>'
                   + "".join(f"<li>{esc(_scrub(p, redact))}</li>" for p in problems)
                   + "</ul></div>")
    out.append("<h2>The run</h2>")
    rows = []
    for r in runs.to_dict("records"):
        stem = str(r["notebook"])
        page = pages.get(stem)
        name = (f'<a href="notebooks/{esc(stem)}.html">{esc(page.title)}</a>' if page
                else esc(stem))
        text, css = _status_text(r)
        seconds = r.get("seconds")
        time = f"{float(seconds):.1f} s" if seconds is not None and pd.notna(seconds) else ""
        uses = esc(_scrub(str(r.get("uses") or ""), redact))
        rows.append(f"<tr><td><code>{esc(stem[:2])}</code></td><td>{name}</td>"
                    f'<td class="{css}">{esc(_scrub(text, redact))}</td><td>{uses}</td>'
                    f'<td class="cx-time">{time}</td></tr>')
    out.append('<div class="cx-scroll"><table><thead><tr><th></th><th>notebook</th>'
               "<th>status</th><th>what it used</th><th>time</th></tr></thead><tbody>"
               + "".join(rows) + "</tbody></table></div>")
    out.append(f"<footer>Made by cxresearch {esc(__version__)} "
               "(<code>python -m cxresearch report</code>). Static pages: open "
               "<code>index.html</code> in any browser; no network is needed.</footer>")
    return "\n".join(out)


def _notebook_page(page: _Page, row: Mapping[str, Any], redact: Sequence[tuple[str, str]]
                   ) -> str:
    esc = html.escape
    text, css = _status_text(row)
    head = [f'<p class="cx-note">Status: <span class="{css}">{esc(_scrub(text, redact))}'
            "</span>. Results marked " + _badge("user") + " are about your data; "
            + _badge("synthetic") + ", " + _badge("real") + " and " + _badge("fictional")
            + " mark demonstrations on other data. The code of each step is folded: click "
            "“code” to see it.</p>"]
    if page.toc:
        head.append('<nav aria-label="Sections"><ul class="cx-toc">'
                    + "".join(f'<li><a href="#{esc(s)}">{t}</a></li>' for s, t in page.toc)
                    + "</ul></nav>")
    # after the notebook's title and introduction (its first cell), when it opens with a title
    first = 1 if page.parts and "<h1" in page.parts[0] else 0
    return "\n".join([*page.parts[:first], *head, *page.parts[first:]])


def build_run_site(
    out_dir: str | Path,
    *,
    data_name: str,
    runs: pd.DataFrame,
    tables: pd.DataFrame | None = None,
    instrument: str = "",
    problems: Sequence[str] = (),
    figures_dir: str | Path | None = None,
    site_dir: str | Path | None = None,
    redact: Mapping[str, str] | None = None,
) -> Path:
    """Build the report site of one run into ``out_dir/_site`` (see the module docstring).

    The site is rebuilt from scratch each time (the folder is emptied first). Only notebooks
    with an executed copy get a page, and only their figures enter the gallery (a figure of a
    notebook that failed is left out: it may come from an earlier run).

    Parameters
    ----------
    out_dir : str or Path
        The run's folder (``python -m cxresearch report -o``).
    data_name : str
        The name of the user's folder, shown as the data's name.
    runs : pandas.DataFrame
        One row per notebook: ``notebook`` (stem), ``status`` (``"ok"``, ``"failed"`` or
        ``"not run"``), and optionally ``skipped`` (sections), ``error`` (one line),
        ``reason`` (why not run), ``uses`` (what ``check`` says it uses), ``seconds`` and
        ``path`` (its executed copy; a failed notebook's partly executed one).
    tables : pandas.DataFrame, optional
        The folder's tables: ``table``, ``file``, ``rows``, ``columns``, ``personal_data``,
        ``problem`` (``cxresearch.cli.check.FolderCheck.tables``).
    instrument : str
        The instrument in one line.
    problems : sequence of str
        Problems with the data (shown on the index page).
    figures_dir : str or Path, optional
        The run's figures and their ``manifest.json``; default ``out_dir/figures``.
    site_dir : str or Path, optional
        Where the site goes; default ``out_dir/_site``.
    redact : mapping of str to str, optional
        Texts replaced wherever they appear in the pages (absolute paths by short names).

    Returns
    -------
    pathlib.Path
        The site's ``index.html``.

    Examples
    --------
    >>> import tempfile
    >>> runs = pd.DataFrame({"notebook": ["00_start_here"], "status": ["not run"],
    ...                      "reason": ["not selected"]})
    >>> index = build_run_site(tempfile.mkdtemp(), data_name="exports", runs=runs)
    >>> "Report on your data: exports" in index.read_text()
    True
    """
    out = Path(out_dir)
    site = Path(site_dir) if site_dir is not None else out / "_site"
    figures = Path(figures_dir) if figures_dir is not None else out / "figures"
    scrub = sorted((redact or {}).items(), key=lambda kv: -len(kv[0]))
    runs = runs.copy()
    for column, default in (("skipped", 0), ("error", ""), ("reason", ""), ("uses", ""),
                            ("seconds", None), ("path", "")):
        if column not in runs.columns:
            runs[column] = default
    if site.exists():
        shutil.rmtree(site)
    (site / "notebooks").mkdir(parents=True)
    (site / "style.css").write_text(_CSS, encoding="utf-8")
    manifest = load_manifest(figures) if figures.is_dir() else {}

    executed = {str(r["notebook"]): Path(str(r["path"])) for r in runs.to_dict("records")
                if r.get("path") and Path(str(r["path"])).is_file()}
    seconds = {str(r["notebook"]): r.get("seconds") for r in runs.to_dict("records")}
    stems = set(executed)
    pages: dict[str, _Page] = {}
    findings: dict[str, pd.DataFrame] = {}
    skips: dict[str, list[str]] = {}
    for stem, path in executed.items():
        page = _render_notebook(path, stem, manifest, stems, site, scrub,
                                _saved_by(stem, path, manifest, figures, seconds.get(stem)))
        pages[stem] = page
        nb = json.loads(path.read_text(encoding="utf-8"))
        findings[stem] = notebook_findings(nb)
        skips[stem] = skip_notices(nb)
    ok = {str(r["notebook"]) for r in runs.to_dict("records") if r.get("status") == "ok"}
    sections = {name: (stem, sec, anchor) for stem, page in pages.items() if stem in ok
                for name, (sec, anchor) in page.figures.items()
                if name in manifest and str(manifest[name].get("source", stem)) == stem}
    gallery, counts = _gallery(manifest, figures, site, sections)
    ordered = [pages[s] for s in sorted(pages)]
    n_user = sum(int(((f["data_kind"] == "user") & (f["kind"] != "note")).sum())
                 for f in findings.values())

    for r in runs.to_dict("records"):
        stem = str(r["notebook"])
        if stem in pages:
            (site / "notebooks" / f"{stem}.html").write_text(
                _page(f"{pages[stem].title} · {data_name}", _notebook_page(pages[stem], r, scrub),
                      depth=1), encoding="utf-8")
    (site / "gallery.html").write_text(
        _page(f"Figures · {data_name}", gallery, current="gallery.html"), encoding="utf-8")
    (site / "findings.html").write_text(
        _page(f"What these data can and cannot say · {data_name}",
              _findings_page(data_name, ordered, findings, skips, runs, scrub),
              current="findings.html"), encoding="utf-8")
    index = site / "index.html"
    index.write_text(
        _page(f"Report on your data: {data_name}",
              _index_page(data_name, tables, instrument, problems, runs, pages, counts, n_user,
                          scrub), current="index.html"), encoding="utf-8")
    return index


# -- checking and packing the site ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PersonalDataScan(Result):
    """What :func:`scan_site` found: one row per suspicious text.

    Parameters
    ----------
    directory : str
        The folder scanned.
    files : int
        How many files were read (images and PDFs are not text and are skipped).
    hits : pandas.DataFrame
        ``file``, ``kind`` (``"e-mail"``, ``"phone"`` or ``"known value"``) and ``excerpt``
        (the text around it, with the value masked).

    Examples
    --------
    >>> s = PersonalDataScan("site", 3, pd.DataFrame(columns=["file", "kind", "excerpt"]))
    >>> s.ok(), s.summary()
    (True, 'site: 3 files read, no e-mail address, phone number or known personal value found.')
    """

    directory: str
    files: int
    hits: pd.DataFrame

    def ok(self, *, phones: bool = True) -> bool:
        """True when nothing was found (``phones=False``: phone-like numbers are ignored)."""
        kinds = set(self.hits["kind"])
        return not (kinds - ({"phone"} if not phones else set()))

    def to_frame(self) -> pd.DataFrame:
        """One row per hit: file, kind, excerpt."""
        return self.hits.copy()

    def summary(self) -> str:
        """One line when clean, else one line per hit."""
        if not len(self.hits):
            return (f"{self.directory}: {self.files} files read, no e-mail address, phone "
                    "number or known personal value found.")
        lines = [f"{self.directory}: {len(self.hits)} possible personal data in "
                 f"{self.hits['file'].nunique()} of {self.files} files:"]
        lines += [f"  {r.file}: {r.kind}: {r.excerpt}" for r in self.hits.itertuples()]
        return "\n".join(lines)


class _Text(html.parser.HTMLParser):
    """The visible text of an HTML or SVG page, and its alt/title attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for key, value in attrs:
            if key in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data)


_TEXT_SUFFIXES = (".html", ".htm", ".svg", ".csv", ".json", ".txt", ".md", ".css", ".js")
_TOKEN_RE = re.compile(r"[\w@.+'%-]+")


def _tokens(text: str) -> set[str]:
    return {t.strip(".-'+") for t in _TOKEN_RE.findall(text)} - {""}


def _mask(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    hidden = text[start:end]
    shown = hidden[:2] + "…" + (hidden[-2:] if len(hidden) > 6 else "")
    return " ".join(f"{left}[{shown}]{right}".split())


def _hide(text: str, known: set[str]) -> str:
    """``text`` with every known value in it masked (an excerpt must not show one)."""
    for value in sorted((v for v in known if v in text), key=len, reverse=True):
        text = text.replace(value, value[:2] + "…")
    return text


def scan_site(site_dir: str | Path, known_values: Iterable[str] = ()) -> PersonalDataScan:
    """Read every text file of a folder for personal data.

    Two checks: e-mail addresses and phone numbers, by the detectors of
    :func:`cxresearch.io.pii.redact_text`, in the text a reader sees (an HTML or SVG page's text
    and its ``alt``/``title`` attributes, each CSV cell, JSON strings; not markup, styles or
    drawing coordinates); and each of ``known_values`` (for example the respondent ids and the
    dropped columns' values of the user's tables) anywhere in a file's text. PNG, PDF and
    other binary files are not read.

    Parameters
    ----------
    site_dir : str or Path
        The folder (``OUT/_site``).
    known_values : iterable of str
        Values that must not appear (compared as whole words; shorter than 4 characters are
        ignored).

    Returns
    -------
    PersonalDataScan
        ``ok()`` is True when nothing was found; ``summary()`` lists the hits, masked.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.html").write_text("<p>Write to jo@example.org about R_3kx9</p>")
    >>> scan = scan_site(d, known_values=["R_3kx9"])
    >>> scan.to_frame()["kind"].tolist()
    ['e-mail', 'known value']
    """
    import csv
    import io

    from cxresearch.io.pii import redact_text

    root = Path(site_dir)
    known = {str(v).strip() for v in known_values if len(str(v).strip()) >= 4}
    known_single = {v for v in known if _tokens(v) == {v}}
    known_multi = known - known_single
    hits: list[dict[str, str]] = []
    n_files = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() not in _TEXT_SUFFIXES:
            continue
        n_files += 1
        raw = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm", ".svg"):
            parser = _Text()
            parser.feed(raw)
            pieces = parser.parts
        elif suffix == ".csv":
            pieces = [cell for row in csv.reader(io.StringIO(raw)) for cell in row]
        elif suffix == ".json":
            pieces = [m for m in re.findall(r'"((?:[^"\\]|\\.)*)"', raw)]
        elif suffix in (".css", ".js"):
            pieces = []
        else:
            pieces = raw.splitlines()
        for piece in pieces:
            redacted = redact_text(piece)
            if redacted == piece:
                continue
            for kind, mark in (("e-mail", "[e-mail]"), ("phone", "[phone]")):
                if mark in redacted and mark not in piece:
                    hits.append({"file": rel, "kind": kind,
                                 "excerpt": _hide(" ".join(redacted.split())[:160], known)})
        text = html.unescape(raw)
        found = _tokens(text) & known_single
        found |= {v for v in known_multi if v in text}
        for value in sorted(found):
            start = text.find(value)
            if start >= 0:
                hits.append({"file": rel, "kind": "known value",
                             "excerpt": _hide(_mask(text, start, start + len(value)), known)})
    return PersonalDataScan(str(site_dir), n_files,
                            pd.DataFrame(hits, columns=["file", "kind", "excerpt"]))


def zip_site(site_dir: str | Path, zip_path: str | Path, *, root: str | None = None) -> Path:
    """Pack a site into one zip file (sorted entries, fixed dates: the same site, the same bytes).

    Parameters
    ----------
    site_dir : str or Path
        The folder to pack.
    zip_path : str or Path
        The zip file to write (replaced if it exists).
    root : str, optional
        The folder the files unpack into; default the zip's name without ``.zip``.

    Returns
    -------
    pathlib.Path
        ``zip_path``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "site").mkdir(), (d / "site" / "index.html").write_text("<p>hi</p>")
    >>> z = zip_site(d / "site", d / "demo_report.zip")
    >>> zipfile.ZipFile(z).namelist()
    ['demo_report/index.html']
    """
    site = Path(site_dir)
    target = Path(zip_path)
    top = root if root is not None else target.stem
    tmp = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(site).as_posix()}",
                                   date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)
    return target
