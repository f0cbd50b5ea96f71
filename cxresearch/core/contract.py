"""The study's vocabulary, defined once: items, scales, reverse keys, industries, CX owners.

Everything that names a column or a category of the bundled CX benchmark study reads it from
here: the simulator (:mod:`cxresearch.simulate.study`), the reader and its schemas
(:mod:`cxresearch.io.readers`), the estimators' defaults and the notebooks' labels.

Two meanings of "CX leader" are kept apart. ``cx_leader`` as a value of ``cx_owner`` means a
**firm with a dedicated CX executive** (a CXO or CCO); it says nothing about whether the firm
*leads on CX*. Firms that do better on CX than their peers are called **CX-leading firms** in
the text, and no column of the study is named after them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from cxresearch.core.validation import DataError, first_rows, require_columns, require_numeric

__all__ = [
    "CULTURE_ITEMS",
    "ENGAGEMENT_ITEMS",
    "INDUSTRIES",
    "ITEM_RANGES",
    "OWNERS",
    "OWNER_LABELS",
    "REVERSE_KEYED",
    "SIZE_BANDS",
    "human_label",
    "reverse_items",
]

INDUSTRIES: tuple[str, ...] = (
    "retail",
    "banking",
    "telecom",
    "software",
    "healthcare",
    "hospitality",
)
SIZE_BANDS: tuple[str, ...] = ("small", "medium", "large")
#: who owns CX: a dedicated CX executive, the CEO, COO or CMO, or nobody in particular
OWNERS: tuple[str, ...] = ("cx_leader", "ceo", "coo", "cmo", "everyone")
#: the words a reader sees for each code (figures, tables meant for people)
OWNER_LABELS: dict[str, str] = {
    "cx_leader": "CX leader",
    "ceo": "CEO",
    "coo": "COO",
    "cmo": "CMO",
    "everyone": "everyone's job",
    "pre_leader": "CX leader not yet appointed",
}
CULTURE_ITEMS: tuple[str, ...] = tuple(f"culture_{k}" for k in range(1, 7))
ENGAGEMENT_ITEMS: tuple[str, ...] = tuple(f"engagement_{k}" for k in range(1, 6))
#: items worded against the construct: score them as ``lo + hi - x``
REVERSE_KEYED: tuple[str, ...] = ("culture_4",)
#: the answer range of each survey item of the bundled instrument
ITEM_RANGES: dict[str, tuple[int, int]] = {
    **{c: (1, 5) for c in CULTURE_ITEMS + ENGAGEMENT_ITEMS},
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
}


def human_label(code: str) -> str:
    """The reader's word for a category code (``"cx_leader"`` -> ``"CX leader"``).

    Parameters
    ----------
    code : str
        A category code of the study (an owner, industry, ...).

    Returns
    -------
    str
        Its label from :data:`OWNER_LABELS`, or ``code`` itself when it has none.

    Examples
    --------
    >>> human_label("everyone"), human_label("retail")
    ("everyone's job", 'retail')
    """
    return OWNER_LABELS.get(code, code)


def reverse_items(
    data: pd.DataFrame,
    items: Sequence[str] | Mapping[str, tuple[float, float]] | None = None,
    scale_min: float | None = None,
    scale_max: float | None = None,
) -> pd.DataFrame:
    """A copy of ``data`` with reverse-keyed items recoded ``x' = lo + hi - x``.

    On a 1-5 scale 5 becomes 1 and 2 becomes 4; recoding is its own inverse. Values outside
    ``lo..hi`` raise :class:`~cxresearch.core.validation.DataError` naming the column and rows.

    Parameters
    ----------
    data : pandas.DataFrame
        The answers (not modified).
    items : mapping, sequence of str or None
        A mapping ``{item: (lo, hi)}``, or a list of items with one range given by
        ``scale_min`` / ``scale_max``, or None: the study's :data:`REVERSE_KEYED` items with
        their :data:`ITEM_RANGES` (those present in ``data``).
    scale_min, scale_max : float, optional
        The range of a list of ``items``.

    Returns
    -------
    pandas.DataFrame
        A copy with the reverse-keyed items recoded; other columns unchanged.

    Examples
    --------
    >>> d = pd.DataFrame({"culture_4": [1, 2, 5], "culture_1": [3, 3, 3]})
    >>> reverse_items(d)["culture_4"].tolist()
    [5, 4, 1]
    >>> reverse_items(d, {"culture_4": (1, 5)})["culture_4"].tolist()
    [5, 4, 1]
    >>> reverse_items(d, ["culture_4"], 1, 5)["culture_4"].tolist()
    [5, 4, 1]
    """
    if items is None:
        ranges = {c: ITEM_RANGES[c] for c in REVERSE_KEYED if c in data.columns}
    elif isinstance(items, Mapping):
        ranges = {str(k): (v[0], v[1]) for k, v in items.items()}
    else:
        cols = [items] if isinstance(items, str) else list(items)
        if scale_min is None or scale_max is None:
            raise TypeError("reverse_items: give scale_min and scale_max with a list of items, "
                            "or a mapping {item: (lo, hi)}")
        ranges = {c: (scale_min, scale_max) for c in cols}
    require_columns(data, list(ranges))
    out = data.copy()
    for item, (lo, hi) in ranges.items():
        if lo >= hi:
            raise DataError(f"reverse_items: range of {item!r} is inverted ({lo}..{hi})")
        require_numeric(data, [item])
        v = data[item]
        bad = v.notna() & ((v < lo) | (v > hi))
        if bad.any():
            raise DataError(
                f"column {item!r}: {int(bad.sum())} value(s) outside {lo}..{hi} at rows "
                f"{first_rows(bad, data.index)}"
            )
        out[item] = lo + hi - v
    return out
