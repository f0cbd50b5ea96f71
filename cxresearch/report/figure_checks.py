"""Checks of a figure meant for print: labelled axes, legends clear of the data, words not codes.

:func:`save_figure <cxresearch.report.figures.save_figure>` calls :func:`inspect_figure` on every
figure it writes and stores the result (the *facts*) in the figure's manifest entry under
``"checks"``; :func:`problems` turns the facts into sentences a writer can act on, and
``tests/test_figure_checks.py`` asserts that every figure in ``figures/manifest.json`` has none.
The facts are recorded at save time because the checks need the live matplotlib figure (text
extents, legend placement), which a PNG no longer has.

The rules
---------
1. **Every axis that shows a numeric scale has a label** naming the quantity (and its unit):
   its own axis label, or the figure's ``supxlabel``/``supylabel``. A title does not count (a
   reader of a cropped panel or a screen reader meets the axis first). An axis whose tick
   labels are words (categories) is labelled by them; an axis that shows no tick labels (a
   shared axis inside a grid of panels) needs none. Colour bars count as axes.
2. **No legend covers plotted data**: the box of the legend's entries (without its padding when
   the legend has no frame) must not intersect any point marker, line segment, error bar, bar
   or text label drawn in data coordinates, in the layout of the web files (PNG/SVG) or of the
   print PDF. Reference lines that span the whole axes (``axhline``/``axvline``) and filled
   areas are not counted.
3. **Category labels are words, not codes**: tick labels that are words, legend entries and
   text labels must not be identifiers such as ``cx_leader`` or ``culture_4`` (``snake_case``),
   codes of the study's vocabulary that have a reader's word (``coo`` is shown as ``COO``,
   ``everyone`` as ``everyone's job``: :data:`cxresearch.core.contract.OWNER_LABELS`), or acronyms
   in
   lower case (``nps``, ``ceo``).
   ECSI-style item codes (``PERQ6``, ``CUSL2``) are codes too: show the item's wording.
4. **Print sizes**: the figure is one journal column (3.5 in) or two (7.2 in) wide
   (:data:`cxresearch.report.figures.FIGSIZE`), and in the PDF, laid out at that size, nothing
   spills
   over the page.
5. **Titles in words**: an abbreviation of the trade (``DR``, ``FE``, ``TWFE``, ``LMG``,
   ``EFA``, ``SD per SD``) in a title or an axis label comes with its words (``doubly robust
   (DR)``); the figure's title does not run into a panel's title or axes.
6. **Nothing shown twice**: a panel whose intervals or bars are all indistinguishable (equal to
   1% of the axis span) shows one, or a case where they differ.
7. **Alt text is short**: at most :data:`ALT_TEXT_MAX` characters (the details go in the
   caption); checked on the manifest entry.

Example
-------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(3.5, 2.6))
>>> _ = ax.barh(["cx_leader", "coo"], [0.4, -0.1])
>>> for line in problems(inspect_figure(fig)):
...     print(line)
axes 1: the x axis shows numbers but has no label
axes 1: category label 'cx_leader' is a code (snake_case identifier); use the reader's words
axes 1: category label 'coo' is a code (readers see 'COO'); use the reader's words
>>> plt.close(fig)
"""

from __future__ import annotations

import argparse
import fnmatch
import itertools
import math
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.transforms import Bbox

__all__ = [
    "ALT_TEXT_MAX",
    "JARGON",
    "PRINT_WIDTHS_IN",
    "inspect_figure",
    "jargon",
    "main",
    "problems",
    "raw_code",
]

#: journal widths in inches: single column (~89 mm) and double column (~183 mm)
PRINT_WIDTHS_IN: tuple[float, ...] = (3.5, 7.2)

#: acronyms a reader expects in capitals
_ACRONYMS = frozenset(
    {"ceo", "coo", "cmo", "cxo", "cfo", "cio", "cco", "nps", "csat", "ces", "cx", "ex", "hr"}
)
_SNAKE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
#: an item code of a questionnaire (PERQ6, CUSL2, IMAG3)
_ITEM_CODE = re.compile(r"\b[A-Z]{3,5}[0-9]{1,2}\b")
#: abbreviations of the trade, and the words that must stand beside them in a title
JARGON: dict[str, str] = {
    "DR": "doubly robust",
    "FE": "fixed effect",
    "TWFE": "two-way fixed effect",
    "LMG": "shapley",
    "EFA": "factor",
    "SD per SD": "standard deviation",
    "ITS": "interrupted time series",
}
#: the longest alt text a figure may have (characters); details belong in the caption
ALT_TEXT_MAX = 300
#: two intervals or bars closer than this share of the axis span look the same
_SAME = 0.01
_NUMBER = re.compile(r"[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%?")
#: a legend may touch data by less than this many pixels (anti-aliasing, rounding)
_TOLERANCE_PX = 0.5


def _vocabulary() -> dict[str, str]:
    from cxresearch.core.contract import OWNER_LABELS

    return {code: label for code, label in OWNER_LABELS.items() if code != label}


def raw_code(text: str) -> str | None:
    """Why ``text`` reads as a code rather than words, or None when it reads as words.

    Parameters
    ----------
    text : str
        A category label, legend entry or annotation.

    Returns
    -------
    str or None
        The reason (a snake_case identifier, a lower-case acronym, ...), or None.

    Examples
    --------
    >>> raw_code("cx_leader"), raw_code("coo"), raw_code("COO"), raw_code("mean nps")
    ('snake_case identifier', "readers see 'COO'", None, "lower-case acronym 'nps'")
    >>> raw_code("Satisfaction → Loyalty") is None and raw_code("top-2-box") is None
    True
    """
    text = text.strip()
    if not text:
        return None
    if _SNAKE.fullmatch(text):
        return "snake_case identifier"
    vocabulary = _vocabulary()
    if text in vocabulary:
        return f"readers see {vocabulary[text]!r}"
    for token in re.findall(r"[A-Za-z]+", text):
        if token in _ACRONYMS:
            return f"lower-case acronym {token!r}"
    code = _ITEM_CODE.search(text)
    if code:
        return f"item code {code.group(0)!r}; show the item's wording"
    return None


def jargon(text: str) -> list[str]:
    """Abbreviations of the trade in ``text`` that stand without their words.

    Parameters
    ----------
    text : str
        A title or an axis label.

    Returns
    -------
    list of str
        The abbreviations (keys of :data:`JARGON`) whose words are not in ``text``.

    Examples
    --------
    >>> jargon("Event study (DR) by firm FE"), jargon("doubly robust (DR) event study")
    (['DR', 'FE'], [])
    """
    found = []
    for short, words in JARGON.items():
        if re.search(rf"(?<![A-Za-z]){re.escape(short)}(?![A-Za-z])", text) and \
                words not in text.lower():
            found.append(short)
    return found


def _is_number(text: str) -> bool:
    """Tick text that shows a value: ``1,000``, ``−0.5``, ``45%``, ``$\\mathdefault{10^{2}}$``."""
    text = text.replace("\u2212", "-").replace("$", "").strip()
    text = re.sub(r"\\mathdefault\{(.*)\}", r"\1", text)
    text = re.sub(r"[{}^]", "", text).replace("\\times", "").replace("\\cdot", "")
    return bool(text) and bool(_NUMBER.fullmatch(text) or re.fullmatch(r"[\d.\-+]+", text))


def _tick_texts(axis: Any) -> list[str]:
    texts = []
    for tick in axis.get_major_ticks():
        if not tick.get_visible():
            continue
        for label in (tick.label1, tick.label2):
            if label.get_visible() and label.get_text().strip():
                texts.append(label.get_text().strip())
    return texts


def _axis_facts(axis: Any, label: str) -> dict[str, Any]:
    texts = list(dict.fromkeys(_tick_texts(axis)))
    if not axis.get_visible() or not texts:
        kind = "none"
    elif all(_is_number(t) for t in texts):
        kind = "numeric"
    else:
        kind = "categorical"
    facts: dict[str, Any] = {"label": label.strip(), "ticks": kind}
    if kind == "categorical":
        facts["categories"] = texts
    return facts


def _renderer(fig: Figure) -> Any:
    fig.draw_without_rendering()
    return fig._get_renderer()


def _legend_box(legend: Legend, renderer: Any) -> Bbox:
    box = legend.get_window_extent(renderer)
    if legend.get_frame_on():
        return box
    pad = legend.borderpad * legend.prop.get_size_in_points() * legend.figure.dpi / 72.0
    return box.padded(-pad)


def _segment_hits(p: tuple[float, float], q: tuple[float, float], box: Bbox, grow: float) -> bool:
    """Liang-Barsky: does the segment p-q pass through ``box`` grown by ``grow`` pixels?"""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    lo, hi = 0.0, 1.0
    for num, den in (
        (x0 - (box.x0 - grow), -dx),
        ((box.x1 + grow) - x0, dx),
        (y0 - (box.y0 - grow), -dy),
        ((box.y1 + grow) - y0, dy),
    ):
        if den == 0:
            if num < 0:
                return False
            continue
        t = num / den
        if den < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo > hi:
            return False
    return True


def _shrunk(box: Bbox) -> Bbox:
    return box.padded(-_TOLERANCE_PX)


def _is_data(artist: Any, ax: Axes) -> bool:
    transform = artist.get_transform()
    return all(transform.contains_branch_seperately(ax.transData))


def _name(artist: Any, kind: str) -> str:
    label = str(artist.get_label() or "")
    return f"{kind} {label!r}" if label and not label.startswith("_") else kind


def _covered(ax: Axes, box: Bbox, renderer: Any) -> list[tuple[str, list[tuple[float, float]]]]:
    """Data drawn in ``ax`` under ``box``: (description, display points) per artist."""
    import numpy as np
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    clip = ax.bbox
    inner = _shrunk(box)
    found: list[tuple[str, list[tuple[float, float]]]] = []
    px_per_pt = ax.figure.dpi / 72.0

    def inside(x: float, y: float) -> bool:
        return clip.x0 - 1 <= x <= clip.x1 + 1 and clip.y0 - 1 <= y <= clip.y1 + 1

    for line in ax.lines:
        if not (line.get_visible() and isinstance(line, Line2D) and _is_data(line, ax)):
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        hits: list[tuple[float, float]] = []
        marker = line.get_marker()
        if marker not in (None, "None", "none", "", " "):
            r = line.get_markersize() * px_per_pt / 2.0
            hits += [(x, y) for x, y in xy if inside(x, y)
                     and _segment_hits((x, y), (x, y), inner, r)]
        if line.get_linestyle() not in ("None", "none", "", " "):
            w = line.get_linewidth() * px_per_pt / 2.0
            for a, b in itertools.pairwise(xy):
                if _segment_hits(tuple(a), tuple(b), inner, w) and (inside(*a) or inside(*b)):
                    hits.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
        if hits:
            drawn = line.get_linestyle() not in ("None", "none", "", " ") and len(xy) > 1
            found.append((_name(line, "line" if drawn else "points"), hits))
    for coll in ax.collections:
        if not coll.get_visible():
            continue
        hits = []
        if isinstance(coll, LineCollection) and _is_data(coll, ax):
            w = float(np.max(coll.get_linewidths(), initial=1.0)) * px_per_pt / 2.0
            for seg in coll.get_segments():
                pts = coll.get_transform().transform(np.asarray(seg, dtype=float))
                for a, b in itertools.pairwise(pts):
                    if _segment_hits(tuple(a), tuple(b), inner, w) and (inside(*a)
                                                                        or inside(*b)):
                        hits.append(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2))
            kind = "error bar"
        elif isinstance(coll, PathCollection):
            offsets = np.asarray(coll.get_offsets(), dtype=float)
            if offsets.size == 0:
                continue
            pts = coll.get_offset_transform().transform(offsets)
            sizes = coll.get_sizes()
            for i, (x, y) in enumerate(pts):
                size = float(sizes[i % len(sizes)]) if len(sizes) else 36.0
                r = math.sqrt(size) * px_per_pt / 2.0
                if np.isfinite([x, y]).all() and inside(x, y) and _segment_hits(
                        (x, y), (x, y), inner, r):
                    hits.append((float(x), float(y)))
            kind = "points"
        else:
            continue
        if hits:
            found.append((_name(coll, kind), hits))
    for patch in ax.patches:
        if not (patch.get_visible() and isinstance(patch, Rectangle) and _is_data(patch, ax)):
            continue
        ext = patch.get_window_extent(renderer)
        if ext.width <= 0 or ext.height <= 0:
            continue
        x0, x1 = max(ext.x0, inner.x0, clip.x0), min(ext.x1, inner.x1, clip.x1)
        y0, y1 = max(ext.y0, inner.y0, clip.y0), min(ext.y1, inner.y1, clip.y1)
        if x1 > x0 and y1 > y0:
            found.append((_name(patch, "bar"), [((x0 + x1) / 2, (y0 + y1) / 2)]))
    for text in ax.texts:
        if not (text.get_visible() and text.get_text().strip()):
            continue
        ext = text.get_window_extent(renderer)
        if ext.x1 > inner.x0 and ext.x0 < inner.x1 and ext.y1 > inner.y0 and ext.y0 < inner.y1:
            found.append((f"text label {text.get_text().strip()!r}",
                          [((ext.x0 + ext.x1) / 2, (ext.y0 + ext.y1) / 2)]))
    return found


def _category_at(ax: Axes, points: Iterable[tuple[float, float]]) -> list[str]:
    """The category rows (or columns) that covered points belong to, if the axis has words."""
    import numpy as np

    for axis, dim in ((ax.yaxis, 1), (ax.xaxis, 0)):
        ticks = [t for t in axis.get_major_ticks() if t.label1.get_visible()
                 and t.label1.get_text().strip()]
        texts = [t.label1.get_text().strip() for t in ticks]
        if not texts or all(_is_number(t) for t in texts):
            continue
        locs = axis.get_majorticklocs()[: len(ticks)]
        if dim == 1:
            disp = ax.transData.transform(np.column_stack([np.zeros(len(locs)), locs]))[:, 1]
        else:
            disp = ax.transData.transform(np.column_stack([locs, np.zeros(len(locs))]))[:, 0]
        rows = []
        for p in points:
            rows.append(texts[int(np.argmin(np.abs(disp - p[dim])))])
        return list(dict.fromkeys(rows))
    return []


def _axes_name(ax: Axes, index: int) -> str:
    title = " ".join(ax.get_title().split())  # one line, also when wrapped for print
    return f"axes {index + 1}" + (f" ({title!r})" if title else "")


def legend_overlaps(fig: Figure) -> list[dict[str, Any]]:
    """Every legend of ``fig`` (axes and figure legends) with what it covers, in the current
    layout: ``[{"legend": 'axes 1', "entries": [...], "covers": ["error bar in row 'X'", ...]}]``.
    """
    renderer = _renderer(fig)
    legends: list[tuple[str, Legend]] = []
    for i, ax in enumerate(fig.axes):
        if ax.get_legend() is not None and ax.get_legend().get_visible():
            legends.append((_axes_name(ax, i), ax.get_legend()))
    legends += [("figure", leg) for leg in fig.legends if leg.get_visible()]
    out = []
    for where, legend in legends:
        box = _legend_box(legend, renderer)
        covers: list[str] = []
        for j, ax in enumerate(fig.axes):
            if not ax.get_visible() or getattr(ax, "_colorbar", None) is not None:
                continue
            for what, pts in _covered(ax, box, renderer):
                rows = _category_at(ax, pts)
                place = (" in " + ", ".join(repr(r) for r in rows)) if rows else ""
                other = "" if where.startswith(f"axes {j + 1}") else f" of {_axes_name(ax, j)}"
                covers.append(f"{what}{other}{place}")
        out.append({
            "legend": where,
            "entries": [t.get_text() for t in legend.get_texts()],
            "covers": list(dict.fromkeys(covers)),
        })
    return out


def _overflow_in(fig: Figure) -> float:
    """How far (inches) the drawn content spills over the figure's edges in this layout."""
    renderer = _renderer(fig)
    tight = fig.get_tightbbox(renderer)  # inches
    w, h = fig.get_size_inches()
    spill = max(0.0, -tight.x0, -tight.y0, tight.x1 - w, tight.y1 - h)
    return round(float(spill), 2)


def inspect_figure(fig: Figure, *, print_layout: dict[str, Any] | None = None) -> dict[str, Any]:
    """The facts the checks need, as a JSON-ready dict (recorded in the manifest).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The live figure.
    print_layout : dict, optional
        What :func:`cxresearch.report.figures.save_figure` measured in the print layout (legend
        overlaps and overflow at the exact column width); it is stored as given.

    Returns
    -------
    dict
        ``size_in``, ``axes`` (title, tick kind, labels and categories of each axis),
        ``figure_labels``, ``legends`` and, when given, ``print``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(3.5, 2.5))
    >>> _ = ax.plot([0, 1], [2, 3])
    >>> facts = inspect_figure(fig)
    >>> plt.close(fig)
    >>> facts["size_in"], facts["axes"][0]["y"]["ticks"]
    ([3.5, 2.5], 'numeric')
    """
    renderer = _renderer(fig)
    del renderer
    axes = []
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        axes.append({
            "index": i + 1,
            "role": "colorbar" if getattr(ax, "_colorbar", None) is not None else "plot",
            "title": " ".join(ax.get_title().split()),
            "x": _axis_facts(ax.xaxis, ax.get_xlabel()),
            "y": _axis_facts(ax.yaxis, ax.get_ylabel()),
            "texts": [t.get_text().strip() for t in ax.texts if t.get_visible()
                      and t.get_text().strip() and not _is_number(t.get_text())],
        })
    sup = {}
    suptitle = getattr(fig, "_suptitle", None)
    sup_text = (" ".join(suptitle.get_text().split())
                if suptitle is not None and suptitle.get_visible() else "")
    for key, attr in (("x", "_supxlabel"), ("y", "_supylabel")):
        text = getattr(fig, attr, None)
        sup[key] = text.get_text().strip() if text is not None and text.get_visible() else ""
    w, h = fig.get_size_inches()
    facts: dict[str, Any] = {
        "size_in": [round(float(w), 2), round(float(h), 2)],
        "axes": axes,
        "figure_labels": sup,
        "legends": legend_overlaps(fig),
        "suptitle": sup_text,
        "suptitle_collides": _suptitle_collisions(fig),
        "same": _indistinguishable(fig),
    }
    if print_layout is not None:
        facts["print"] = print_layout
    return facts


def _suptitle_collisions(fig: Figure) -> list[str]:
    """The panels whose title or axes the figure's title runs into, in the current layout."""
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is None or not suptitle.get_visible() or not suptitle.get_text().strip():
        return []
    renderer = _renderer(fig)
    box = _shrunk(suptitle.get_window_extent(renderer))
    hits = []
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        parts = [ax.bbox]
        if ax.title.get_visible() and ax.get_title().strip():
            parts.append(ax.title.get_window_extent(renderer))
        if any(box.overlaps(_shrunk(part)) for part in parts):
            hits.append(_axes_name(ax, i))
    return hits


def _indistinguishable(fig: Figure) -> list[str]:
    """Panels whose error bars (or bars) are two or more and all look the same."""
    import numpy as np
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Rectangle

    out = []
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        span = np.array([abs(x1 - x0) or 1.0, abs(y1 - y0) or 1.0])
        segments = [np.asarray(seg, dtype=float) for coll in ax.collections
                    if isinstance(coll, LineCollection) and coll.get_visible()
                    and _is_data(coll, ax) for seg in coll.get_segments() if len(seg) == 2]
        bars = [np.array([[p.get_x(), p.get_y()], [p.get_x() + p.get_width(),
                                                   p.get_y() + p.get_height()]])
                for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()
                and _is_data(p, ax) and (p.get_width() != 0 and p.get_height() != 0)]
        for kind, items in (("intervals", segments), ("bars", bars)):
            if len(items) < 2:
                continue
            # compare each item's extent along its long direction (the value), not its position
            dims = [int(np.argmax(np.abs(it[1] - it[0]) / span)) for it in items]
            if len(set(dims)) != 1:
                continue
            d = dims[0]
            ends = np.array([sorted(it[:, d]) for it in items]) / span[d]
            if np.all(np.ptp(ends, axis=0) < _SAME):
                out.append(f"{_axes_name(ax, i)}: {len(items)} {kind} look the same")
    return out


def measure_print_layout(fig: Figure) -> dict[str, Any]:
    """Legend overlaps and overflow of ``fig`` in its current (print) layout."""
    return {
        "legends": [{"legend": d["legend"], "covers": d["covers"]}
                    for d in legend_overlaps(fig)],
        "overflow_in": _overflow_in(fig),
    }


def problems(facts: dict[str, Any]) -> list[str]:
    """The rules applied to the facts of one figure: one sentence per problem, [] when clean.

    Parameters
    ----------
    facts : dict
        What :func:`inspect_figure` measured (a manifest entry's ``"checks"``).

    Returns
    -------
    list of str
        One sentence per problem.

    Examples
    --------
    >>> problems({"size_in": [3.5, 2.5], "axes": [{"index": 1, "title": "",
    ...           "x": {"ticks": "numeric", "label": "Year"},
    ...           "y": {"ticks": "numeric", "label": ""}}]})
    ['axes 1: the y axis shows numbers but has no label']
    """
    out: list[str] = []
    sup = facts.get("figure_labels", {})
    for ax in facts.get("axes", []):
        name = f"axes {ax['index']}" + (f" ({ax['title']!r})" if ax.get("title") else "")
        for dim in ("x", "y"):
            axis = ax[dim]
            if axis["ticks"] == "numeric" and not axis["label"] and not sup.get(dim):
                out.append(f"{name}: the {dim} axis shows numbers but has no label")
        labels = [*ax["x"].get("categories", []), *ax["y"].get("categories", []),
                  *ax.get("texts", [])]
        for text in dict.fromkeys(labels):
            reason = raw_code(text)
            if reason:
                out.append(f"{name}: category label {text!r} is a code ({reason}); "
                           "use the reader's words")
    for legend in facts.get("legends", []):
        for entry in legend.get("entries", []):
            reason = raw_code(entry)
            if reason:
                out.append(f"legend of {legend['legend']}: entry {entry!r} is a code "
                           f"({reason}); use the reader's words")
    layouts = [("", facts.get("legends", []))]
    if "print" in facts:
        layouts.append((" in the print PDF", facts["print"].get("legends", [])))
    seen: set[str] = set()
    for where, legends in layouts:
        for legend in legends:
            for what in legend.get("covers", []):
                key = f"{legend['legend']}|{what}"
                if key in seen:
                    continue
                seen.add(key)
                out.append(f"legend of {legend['legend']} covers {what}{where}")
    titled = [("figure title", facts.get("suptitle", ""))]
    for ax in facts.get("axes", []):
        titled += [(f"axes {ax['index']} title", ax.get("title", "")),
                   (f"axes {ax['index']} x label", ax["x"].get("label", "")),
                   (f"axes {ax['index']} y label", ax["y"].get("label", ""))]
    for where, text in titled:
        for short in jargon(text or ""):
            out.append(f"{where} {text!r} uses {short!r} without its words "
                       f"({JARGON[short]!r})")
    for panel in facts.get("suptitle_collides", []):
        out.append(f"the figure title runs into {panel}")
    for what in facts.get("same", []):
        out.append(f"{what}: show one, or a case where they differ")
    size = facts.get("size_in")
    if size and not any(abs(size[0] - w) < 0.01 for w in PRINT_WIDTHS_IN):
        out.append(f"figure is {size[0]} in wide; print widths are "
                   + " or ".join(f"{w} in" for w in PRINT_WIDTHS_IN))
    spill = facts.get("print", {}).get("overflow_in", 0.0)
    if spill > 0.02:
        out.append(f"in the print PDF the content spills {spill} in over the page edge")
    return out


def check_manifest(
    manifest: dict[str, dict[str, Any]], pattern: str = "*"
) -> dict[str, list[str]]:
    """Problems of every figure in a manifest whose name matches ``pattern`` (``fnmatch``;
    several patterns separated by commas).

    A figure saved before the checks existed has no facts; that is reported as a problem
    (rerun its notebook). The alt text is checked here too (length, item codes).

    Parameters
    ----------
    manifest : dict
        Figure name -> manifest entry (``figures/manifest.json``).
    pattern : str, default "*"
        Which figures to check.

    Returns
    -------
    dict
        Figure name -> list of problems (empty when clean).

    Examples
    --------
    >>> check_manifest({"01_x": {"alt_text": "NPS by PERQ6.", "checks": {"axes": []}}})
    {'01_x': ["alt text: item code 'PERQ6'; use the item's wording"]}
    """
    out: dict[str, list[str]] = {}
    for name, entry in sorted(manifest.items()):
        if not any(fnmatch.fnmatch(name, p.strip()) for p in pattern.split(",") if p.strip()):
            continue
        facts = entry.get("checks")
        out[name] = (problems(facts) if facts is not None else
                     ["no checks recorded: saved before the figure checks existed; rerun "
                      f"notebook {entry.get('source', '?')}"])
        alt = str(entry.get("alt_text", ""))
        if len(alt) > ALT_TEXT_MAX:
            out[name].append(f"alt text has {len(alt)} characters (at most {ALT_TEXT_MAX}): "
                             "keep the takeaway, move the details to the caption")
        out[name] += [f"alt text: {reason}" for reason in _alt_codes(alt)]
    return out


def _alt_codes(alt: str) -> list[str]:
    codes = sorted(set(_ITEM_CODE.findall(alt)))
    return [f"item code {c!r}; use the item's wording" for c in codes]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cxresearch.report.figure_checks [DIR] [--name PATTERN]``: figure problems.

    Parameters
    ----------
    argv : sequence of str, optional
        The command-line arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 1 if any figure has a problem, else 0.

    Examples
    --------
    >>> import tempfile
    >>> main([tempfile.mkdtemp()])
    0 figure(s) checked, 0 with problems
    0
    """
    from cxresearch.report.manifest import load_manifest

    parser = argparse.ArgumentParser(prog="python -m cxresearch.report.figure_checks",
                                     description=(main.__doc__ or "").split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default=None,
                        help="folder holding manifest.json (default: figures/)")
    parser.add_argument("--name", default="*",
                        help="figure-name pattern(s), comma-separated (fnmatch), e.g. '03_*,06_*'")
    args = parser.parse_args(argv)
    report = check_manifest(load_manifest(args.directory), args.name)
    n_bad = 0
    for name, found in report.items():
        print(f"{name}: {'ok' if not found else f'{len(found)} problem(s)'}")
        for line in found:
            print(f"    - {line}")
        n_bad += bool(found)
    print(f"{len(report)} figure(s) checked, {n_bad} with problems")
    return 1 if n_bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
