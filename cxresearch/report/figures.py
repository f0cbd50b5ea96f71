"""The house figure style and :func:`save_figure`, the one way figures leave a notebook.

Every published figure is written as ``figures/NAME.png`` (for articles and the web),
``figures/NAME.svg`` (for editing), ``figures/NAME.pdf`` (for print: vector, fonts embedded as
TrueType, laid out at exactly the figure's column width, 3.5 or 7.2 in), ``figures/NAME.csv`` (the
data plotted, so a reader can check or redraw it) and an entry in ``figures/manifest.json``
(caption, alt text, source notebook, the files, and the facts that
:mod:`cxresearch.report.figure_checks` checks: axis labels, legend overlaps, category labels).
Output is
byte-for-byte reproducible: PNG, SVG and PDF carry no dates or software versions, SVG and PDF
coordinates are rounded to 1/1000 pt, SVG element ids come from a fixed hash salt, CSVs use fixed
line endings and float format, and the manifest is written with sorted keys.

The palette is Okabe & Ito's (2008) colour-blind-safe set, "Color Universal Design"
(https://jfly.uni-koeln.de/color/), which stays distinguishable under the common colour-vision
deficiencies and in greyscale when paired with the line styles below.

Example
-------
>>> import tempfile, pandas as pd, matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> use_style()
>>> data = pd.DataFrame({"segment": ["A", "B"], "nps": [12.0, 30.0]})
>>> fig, ax = plt.subplots(figsize=FIGSIZE["single"])
>>> _ = ax.bar(data["segment"], data["nps"])
>>> with tempfile.TemporaryDirectory() as d:
...     saved = save_figure(fig, "demo", data=data, caption="NPS by segment (synthetic).",
...                         alt_text="Bar chart: segment B scores higher than A.",
...                         source="doctest", directory=d)
...     sorted(p.name for p in saved.files)
['demo.csv', 'demo.pdf', 'demo.png', 'demo.svg']
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxresearch.core import paths
from cxresearch.core.results import Result
from cxresearch.report.manifest import load_manifest, write_text_atomic

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "EVIDENCE",
    "FIGSIZE",
    "OKABE_ITO",
    "SavedFigure",
    "save_figure",
    "use_style",
]

#: Okabe-Ito colour-blind-safe palette (black last: used for reference lines).
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Figure sizes in inches: a journal single column (~89 mm), double column (~183 mm), and web.
FIGSIZE: dict[str, tuple[float, float]] = {
    "single": (3.5, 2.6),
    "double": (7.2, 3.6),
    "web": (8.0, 4.5),
}

#: the kinds of data a figure can show (its badge in the gallery; see cxresearch.report.site)
EVIDENCE: tuple[str, ...] = ("synthetic", "real", "fictional", "user")

_DPI = 200
_SVG_HASH_SALT = "cxresearch"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def use_style(context: str = "notebook") -> None:
    """Apply the house style: seaborn ``whitegrid``, Okabe-Ito colours, deterministic output.

    Parameters
    ----------
    context : str, default "notebook"
        A seaborn context (``"paper"``, ``"notebook"``, ``"talk"``).

    Returns
    -------
    None
        Changes matplotlib's ``rcParams`` for the session.

    Examples
    --------
    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["svg.hashsalt"]
    'cxresearch'
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(context=context, style="whitegrid", palette=list(OKABE_ITO))
    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": _DPI,
            "savefig.bbox": "tight",
            "font.family": "DejaVu Sans",
            "axes.titleweight": "bold",
            "axes.titlesize": "medium",
            "axes.labelsize": "medium",
            "legend.frameon": False,
            "svg.hashsalt": _SVG_HASH_SALT,
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
        }
    )


@dataclass(frozen=True)
class SavedFigure(Result):
    """What :func:`save_figure` wrote.

    Parameters
    ----------
    name : str
        The figure's name (the files' stem).
    files : tuple of pathlib.Path
        The PNG, SVG, PDF and CSV files.
    manifest_entry : dict
        The figure's entry in ``manifest.json``.

    Examples
    --------
    >>> from pathlib import Path
    >>> s = SavedFigure("01_demo", (Path("01_demo.png"), Path("01_demo.csv")), {})
    >>> s.summary()
    '01_demo: 01_demo.png, 01_demo.csv'
    >>> s.to_frame()["format"].tolist()
    ['png', 'csv']
    """

    name: str
    files: tuple[Path, ...]
    manifest_entry: dict[str, Any]

    def summary(self) -> str:
        """One line naming the figure and its files (file names only, no directories)."""
        return f"{self.name}: " + ", ".join(p.name for p in self.files)

    def to_frame(self) -> pd.DataFrame:
        """One row per file written: ``figure``, ``file`` (name only) and ``format``."""
        return pd.DataFrame({"figure": self.name, "file": [p.name for p in self.files],
                             "format": [p.suffix.lstrip(".") for p in self.files]},
                            columns=["figure", "file", "format"])


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialise manifest updates across processes (parallel notebook runs)."""
    lock_path = directory / ".manifest.lock"
    with open(lock_path, "a+") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: best effort
            pass
        yield


_SVG_NUMBER = re.compile(r"(?<![\w.#-])-?\d+\.\d+")
_SVG_ID = re.compile(r'\bid="([A-Za-z])([0-9a-f]{8,})"')
#: decimals kept in SVG coordinates (1/1000 pt; matplotlib writes 6)
SVG_DECIMALS = 3


def _round_number(match: re.Match[str]) -> str:
    return _round_number_text(float(match.group(0)))


def _round_number_text(value: float) -> str:
    text = f"{round(value, SVG_DECIMALS):.{SVG_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def canonical_svg(text: str) -> str:
    """Make matplotlib's SVG independent of the last bits of floating-point arithmetic.

    matplotlib writes coordinates with 6 decimals, so a layout value such as 143.0590625 comes
    out as ``143.059063`` on one CPU and ``143.059062`` on another (a BLAS kernel that fuses a
    multiply-add differs in the last bit). Coordinates are rounded to :data:`SVG_DECIMALS`
    decimals (invisible at any zoom a reader uses), and the hashed element ids, which hash
    those coordinates, are renumbered in order of appearance. The PNG is unaffected.

    >>> canonical_svg('<path id="pa1b2c3d4e5" d="M 143.059063 22.5 L -0.0001 1.25"/>'
    ...               '<use xlink:href="#pa1b2c3d4e5"/>')
    '<path id="p0000" d="M 143.059 22.5 L 0 1.25"/><use xlink:href="#p0000"/>'
    """
    start = text.find("<svg")  # leave the XML declaration (version="1.0") alone
    head, body = (text[:start], text[start:]) if start > 0 else ("", text)
    text = head + _SVG_NUMBER.sub(_round_number, body)
    names: dict[str, str] = {}
    for m in _SVG_ID.finditer(text):
        old = m.group(1) + m.group(2)
        names.setdefault(old, f"{m.group(1)}{len(names):04d}")
    if names:
        pattern = re.compile("|".join(re.escape(k) for k in sorted(names, key=len,
                                                                      reverse=True)))
        text = pattern.sub(lambda m: names[m.group(0)], text)
    return text


_PDF_NUMBER = re.compile(rb"-?\d+\.\d+")


def _round_pdf_number(match: re.Match[bytes]) -> bytes:
    return _round_number_text(float(match.group(0))).encode("ascii")


@contextlib.contextmanager
def _pdf_coordinates_rounded() -> Iterator[None]:
    """Have matplotlib's PDF writer round every coordinate to :data:`SVG_DECIMALS` decimals.

    The PDF backend writes path coordinates with 6 decimals and other numbers with 10, so, as
    with the SVG (:func:`canonical_svg`), the last bit of the layout arithmetic would reach the
    file. Rounding while the file is written keeps its stream lengths and cross-reference
    offsets right, which rewriting the finished file would not.
    """
    import numpy as np
    from matplotlib.backends import backend_pdf

    original_repr = backend_pdf.pdfRepr
    original_ops = backend_pdf.PdfFile.pathOperations

    def pdf_repr(obj: Any) -> bytes:
        if isinstance(obj, float | np.floating) and np.isfinite(obj):
            return _round_number_text(float(obj)).encode("ascii")
        return original_repr(obj)

    def path_operations(*args: Any, **kwargs: Any) -> list[Any]:
        ops = original_ops(*args, **kwargs)
        return [backend_pdf.Verbatim(_PDF_NUMBER.sub(_round_pdf_number, op._x))
                if isinstance(op, backend_pdf.Verbatim) else op for op in ops]

    backend_pdf.pdfRepr = pdf_repr
    backend_pdf.PdfFile.pathOperations = staticmethod(path_operations)
    try:
        yield
    finally:
        backend_pdf.pdfRepr = original_repr
        backend_pdf.PdfFile.pathOperations = staticmethod(original_ops)


@contextlib.contextmanager
def _print_layout(fig: Figure, engine: str = "constrained") -> Iterator[None]:
    """Lay ``fig`` out at exactly its own size, then put it back as it was.

    The PNG and SVG are cropped to their content (``savefig.bbox = "tight"``), so their width is
    whatever the labels need; a print editor needs the column width. Inside this context the
    figure is laid out by ``engine`` (``"constrained"``, or ``"tight"`` for figures whose colour
    bar constrained layout cannot place) to fit its ``figsize`` (3.5 or 7.2 in wide), with
    titles and axis labels wrapped at the page edge rather than running over it; afterwards
    every axes, colour bar, figure title and subplot parameter is back where it was, so the
    notebook shows the same image.
    """
    previous = fig.get_layout_engine()
    positions = [(ax, ax.get_position(original=True).frozen(),
                  ax.get_position(original=False).frozen()) for ax in fig.axes]
    titles = [(t, t.get_position()) for t in (getattr(fig, a, None) for a in
                                              ("_suptitle", "_supxlabel", "_supylabel"))
              if t is not None]
    params = {k: getattr(fig.subplotpars, k)
              for k in ("left", "right", "bottom", "top", "wspace", "hspace")}
    originals: dict[Any, str] = {}
    try:
        with warnings.catch_warnings():
            # "layout not applied": reported by figure_checks as an overflow
            warnings.simplefilter("ignore")
            _fit_texts(fig, originals, laid_out=False)
            fig._layout_engine = None
            fig.set_layout_engine(engine)
            for _ in range(3):
                if not _fit_texts(fig, originals, laid_out=True):
                    break
            yield
    finally:
        fig._layout_engine = previous  # exactly the engine it had (None included)
        fig.subplotpars.update(**params)
        for ax, original, active in positions:
            ax._set_position(original, which="original")
            ax._set_position(active, which="active")
        for text, xy in titles:
            text.set_position(xy)
        for text, original in originals.items():
            text.set_text(original)
        fig.stale = True


def _fit_texts(fig: Figure, originals: dict[Any, str], *, laid_out: bool) -> bool:
    """Wrap titles and axis labels onto more lines so that they fit the page.

    Before layout (``laid_out=False``) a text wider than its cell is wrapped to the cell: the
    panel's slot in its grid (the whole width for a single panel, half for one of two side by
    side) or the figure for figure-level titles. After a layout pass a centred text that still
    runs over an edge is wrapped to twice its distance from the nearer edge. Original strings
    go into ``originals`` for :func:`_print_layout` to put back. Returns whether any changed.
    """
    import textwrap

    if laid_out:
        fig.draw_without_rendering()
    renderer = fig._get_renderer()
    width = fig.bbox.width
    margin = 6.0 * fig.dpi / 72.0
    height = fig.bbox.height
    # (text, room in its cell, vertical: runs along the y axis)
    cells: list[tuple[Any, float, bool]] = [
        (t, width, False) for t in (getattr(fig, "_suptitle", None),
                                    getattr(fig, "_supxlabel", None)) if t is not None
    ]
    for ax in fig.axes:
        spec = ax.get_subplotspec() if hasattr(ax, "get_subplotspec") else None
        box = spec.get_position(fig) if spec is not None else None
        cell_w = box.width * width if box is not None else width
        cell_h = box.height * height if box is not None else height
        cells += [(ax.title, cell_w, False), (ax.xaxis.label, cell_w, False),
                  (ax.yaxis.label, cell_h, True)]
    changed = False
    for text, cell, vertical in cells:
        content = text.get_text()
        if not content.strip() or not text.get_visible():
            continue
        ext = text.get_window_extent(renderer)
        lo, hi, size, edge = ((ext.y0, ext.y1, ext.height, height) if vertical
                              else (ext.x0, ext.x1, ext.width, width))
        if laid_out:
            if lo >= 0 and hi <= edge:
                continue
            centre = (lo + hi) / 2
            room = 2 * min(centre, edge - centre) - margin
        else:
            if size <= cell - margin:
                continue
            room = cell - margin
        longest = max(len(line) for line in content.splitlines())
        chars = max(12, int(longest * room / max(size, 1.0)))
        refilled = textwrap.fill(" ".join(content.split()), width=chars)
        if refilled != content:
            originals.setdefault(text, content)
            text.set_text(refilled)
            changed = True
    return changed


#: ``CXRESEARCH_FIGURE_DRAFT=1`` (set by the test-suite for the notebooks it executes): the
#: print PDF, three quarters of :func:`save_figure`'s time, is replaced by a stub and its
#: print-layout checks are left out; every other file is written as usual. Never set it for a
#: published run: ``python -m cxresearch run`` without ``-p`` refuses to start with it.
DRAFT_ENV = "CXRESEARCH_FIGURE_DRAFT"
_DRAFT_PDF = b"%PDF-1.4\n% cxresearch draft: the print PDF is not made in a test run\n%%EOF\n"


def _save_print_pdf(fig: Figure) -> tuple[bytes, dict[str, Any]]:
    """The print PDF's bytes and the checks measured in the print layout."""
    import matplotlib as mpl

    from cxresearch.report import figure_checks

    failure: Exception | None = None
    for engine in ("constrained", "tight"):
        buffer = io.BytesIO()
        try:
            with (
                mpl.rc_context({"pdf.fonttype": 42, "savefig.bbox": "standard"}),
                _print_layout(fig, engine),
            ):
                with _pdf_coordinates_rounded():
                    fig.savefig(buffer, format="pdf",
                                metadata={"CreationDate": None, "Producer": None,
                                          "Creator": None})
                facts = figure_checks.measure_print_layout(fig)
        except (ArithmeticError, ValueError) as exc:  # constrained layout cannot place it
            failure = exc
            continue
        facts["layout"] = engine
        return buffer.getvalue(), facts
    raise RuntimeError(f"no layout engine could lay the figure out for print: {failure}")


def save_figure(
    fig: Figure,
    name: str,
    *,
    data: pd.DataFrame,
    caption: str,
    alt_text: str,
    source: str,
    directory: str | Path | None = None,
    evidence: str | tuple[str, ...] | list[str] | None = None,
) -> SavedFigure:
    """Write ``NAME.png``, ``NAME.svg``, ``NAME.pdf``, ``NAME.csv`` and a manifest entry,
    reproducibly.

    The PDF is laid out at exactly the figure's size (its ``figsize`` width should be one of
    :data:`cxresearch.report.figure_checks.PRINT_WIDTHS_IN`), with TrueType fonts embedded
    (``pdf.fonttype`` 42). The facts that :mod:`cxresearch.report.figure_checks` checks are measured
    on the live figure, in the web and in the print layout, and stored under ``"checks"``.

    Parameters
    ----------
    fig
        A matplotlib figure.
    name
        File stem, letters, digits, ``_`` and ``-`` only; by convention it starts with the number
        of the notebook that makes it (``"01_nps_interval_width"``).
    data
        The data plotted (a tidy frame); written as CSV beside the image.
    caption
        One or two sentences for print; say "synthetic" when the data are simulated.
    alt_text
        What the figure shows, for readers who cannot see it (what is compared, the main pattern).
    source
        The notebook (or script) that made the figure, e.g. ``"01_measuring_cx"``.
    directory
        Output directory; default :func:`cxresearch.core.paths.figure_output_dir`:
        ``$CXRESEARCH_FIGURES_DIR`` (``figures/`` under ``python -m cxresearch run`` without
        ``-p``), else the scratch folder ``runs/scratch/figures/``.
    evidence
        What kind of data the figure shows, one or more of :data:`EVIDENCE` (``"synthetic"``,
        ``"real"``, ``"fictional"``, or ``"user"``: the analyst's own data in a run with
        ``data_dir``); stored as the manifest's ``evidence`` field. When it is
        left out the gallery reads it from the caption's words
        (:func:`cxresearch.report.site.evidence_of`).

    Returns
    -------
    SavedFigure
        The files written and the manifest entry.

    Raises
    ------
    ValueError
        If the name has unsafe characters, ``data`` is not a non-empty DataFrame, or the caption
        or alt text is empty.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.pyplot as plt
    >>> use_style()
    >>> fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    >>> _ = ax.bar(["A", "B"], [12.5, 30.0])
    >>> _ = ax.set(xlabel="Segment", ylabel="NPS", title="NPS by segment (synthetic)")
    >>> saved = save_figure(fig, "00_demo", data=pd.DataFrame({"segment": ["A", "B"],
    ...                     "nps": [12.5, 30.0]}), caption="NPS by segment (synthetic data).",
    ...                     alt_text="Two bars; B is higher.", source="demo",
    ...                     directory=tempfile.mkdtemp())
    >>> plt.close(fig)
    >>> saved.summary()
    '00_demo: 00_demo.png, 00_demo.svg, 00_demo.pdf, 00_demo.csv'
    """
    if not _NAME_RE.match(name):
        raise ValueError(
            f"argument 'name': {name!r} must use letters, digits, '_' or '-' only "
            "(it becomes a file name)"
        )
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValueError(f"argument 'data' for figure {name!r} must be a non-empty DataFrame")
    for label, text in (("caption", caption), ("alt_text", alt_text), ("source", source)):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"argument {label!r} for figure {name!r} must be a non-empty string")
    kinds: list[str] | None = None
    if evidence is not None:
        kinds = [evidence] if isinstance(evidence, str) else list(evidence)
        unknown = [k for k in kinds if k not in EVIDENCE]
        if not kinds or unknown:
            raise ValueError(
                f"argument 'evidence' for figure {name!r}: {unknown or kinds!r} must be one or "
                f"more of {list(EVIDENCE)}"
            )

    import matplotlib as mpl

    from cxresearch.report import figure_checks

    out = Path(directory) if directory is not None else paths.figure_output_dir()
    out.mkdir(parents=True, exist_ok=True)
    png, svg, pdf, csv = (out / f"{name}.{ext}" for ext in ("png", "svg", "pdf", "csv"))

    with mpl.rc_context({"svg.hashsalt": _SVG_HASH_SALT, "svg.fonttype": "path"}):
        fig.savefig(png, format="png", dpi=_DPI, metadata={"Software": None})
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    write_text_atomic(svg, canonical_svg(buffer.getvalue()))

    if os.environ.get(DRAFT_ENV) == "1":  # a test session: no print layout, a stub PDF
        pdf_bytes, print_facts = _DRAFT_PDF, None
    else:
        pdf_bytes, print_facts = _save_print_pdf(fig)
    tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pdf_bytes)
    os.replace(tmp, pdf)
    checks = figure_checks.inspect_figure(fig, print_layout=print_facts)

    frame = data.reset_index(drop=not _has_named_index(data))
    write_text_atomic(csv, frame.to_csv(index=False, lineterminator="\n", float_format="%.6g"))

    entry: dict[str, Any] = {
        "caption": caption.strip(),
        "alt_text": alt_text.strip(),
        "source": source.strip(),
        "files": {"png": png.name, "svg": svg.name, "pdf": pdf.name, "data": csv.name},
        "data_columns": [str(c) for c in frame.columns],
        "data_rows": len(frame),
        "checks": checks,
    }
    if kinds is not None:
        entry["evidence"] = kinds
    with _locked(out):
        manifest = load_manifest(out)
        manifest[name] = entry
        write_text_atomic(
            out / "manifest.json",
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
    return SavedFigure(name=name, files=(png, svg, pdf, csv), manifest_entry=entry)


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(level is not None for level in frame.index.names)
