"""The house figure style and :func:`save_figure`, the one way figures leave a notebook.

Every published figure is written as ``figures/NAME.png`` (for articles and the web),
``figures/NAME.svg`` (for editing), ``figures/NAME.csv`` (the data plotted, so a reader can check
or redraw it) and an entry in ``figures/manifest.json`` (caption, alt text, source notebook, the
files). Output is byte-for-byte reproducible: PNG and SVG carry no dates or software versions,
SVG element ids come from a fixed hash salt, CSVs use fixed line endings and float format, and
the manifest is written with sorted keys.

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
['demo.csv', 'demo.png', 'demo.svg']
>>> plt.close(fig)
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxresearch import paths

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "FIGSIZE",
    "OKABE_ITO",
    "SavedFigure",
    "load_manifest",
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

_DPI = 200
_SVG_HASH_SALT = "cxresearch"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")


def use_style(context: str = "notebook") -> None:
    """Apply the house style: seaborn ``whitegrid``, Okabe-Ito colours, deterministic output.

    ``context`` is a seaborn context (``"paper"``, ``"notebook"``, ``"talk"``).

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
class SavedFigure:
    """What :func:`save_figure` wrote."""

    name: str
    files: tuple[Path, ...]
    manifest_entry: dict[str, Any]

    def summary(self) -> str:
        """One line naming the figure and its files (file names only, no directories)."""
        return f"{self.name}: " + ", ".join(p.name for p in self.files)


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


def load_manifest(directory: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Read ``manifest.json`` from ``directory`` (default: :func:`cxresearch.paths.figures_dir`).

    Returns an empty dict when there is no manifest yet.
    """
    directory = Path(directory) if directory is not None else paths.figures_dir()
    path = directory / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


_SVG_NUMBER = re.compile(r"(?<![\w.#-])-?\d+\.\d+")
_SVG_ID = re.compile(r'\bid="([A-Za-z])([0-9a-f]{8,})"')
#: decimals kept in SVG coordinates (1/1000 pt; matplotlib writes 6)
SVG_DECIMALS = 3


def _round_number(match: re.Match[str]) -> str:
    text = f"{round(float(match.group(0)), SVG_DECIMALS):.{SVG_DECIMALS}f}".rstrip("0")
    text = text.rstrip(".")
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


def save_figure(
    fig: Figure,
    name: str,
    *,
    data: pd.DataFrame,
    caption: str,
    alt_text: str,
    source: str,
    directory: str | Path | None = None,
) -> SavedFigure:
    """Write ``NAME.png``, ``NAME.svg``, ``NAME.csv`` and a manifest entry, reproducibly.

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
        Output directory; default :func:`cxresearch.paths.figures_dir` (``figures/`` unless
        ``$CXRESEARCH_FIGURES_DIR`` is set).

    Raises
    ------
    ValueError
        If the name has unsafe characters, ``data`` is not a non-empty DataFrame, or the caption
        or alt text is empty.
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

    import matplotlib as mpl

    out = Path(directory) if directory is not None else paths.figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    png, svg, csv = (out / f"{name}.{ext}" for ext in ("png", "svg", "csv"))

    with mpl.rc_context({"svg.hashsalt": _SVG_HASH_SALT, "svg.fonttype": "path"}):
        fig.savefig(png, format="png", dpi=_DPI, metadata={"Software": None})
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    _write_text_atomic(svg, canonical_svg(buffer.getvalue()))
    frame = data.reset_index(drop=not _has_named_index(data))
    _write_text_atomic(csv, frame.to_csv(index=False, lineterminator="\n", float_format="%.6g"))

    entry: dict[str, Any] = {
        "caption": caption.strip(),
        "alt_text": alt_text.strip(),
        "source": source.strip(),
        "files": {"png": png.name, "svg": svg.name, "data": csv.name},
        "data_columns": [str(c) for c in frame.columns],
        "data_rows": len(frame),
    }
    with _locked(out):
        manifest = load_manifest(out)
        manifest[name] = entry
        _write_text_atomic(
            out / "manifest.json",
            json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        )
    return SavedFigure(name=name, files=(png, svg, csv), manifest_entry=entry)


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(level is not None for level in frame.index.names)
