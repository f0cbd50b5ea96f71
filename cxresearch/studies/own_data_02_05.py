"""Notebooks 02, 03 and 05 on whatever data they are given: the data described first.

Before any model, each of these notebooks shows what its table holds: how many answers, units,
periods and segments; each score by unit, by period and by segment with design-based
intervals (a period or a segment is a domain of the design clustered by the unit, as in
:func:`cxresearch.metrics.scores.by_segment`; a unit's own answers are treated as
independent); and groups with fewer than ``min_n`` answers hidden, with a sentence that says
how many groups and answers that hides, and why. The words come from the data: the question
wording of the export (``df.attrs["labels"]``, kept by :mod:`cxresearch.io.readers`), else a
known wording (the bundled study's items, the ECSI questionnaire), else the column's name;
the reverse-keyed items and their ranges from the instrument.

- :func:`item_wording` -- code -> question wording (or the code);
- :func:`period_of` -- a table's period column (the instrument's ``time``, per table);
- :func:`reverse_text` -- how the instrument's reverse-keyed items are scored, in words;
- :func:`respondent_scores` -- each respondent's scale scores (mean of the items answered);
- :func:`design_counts` -- answers, units, periods and answers per unit and per cell;
- :func:`score_table` -- scores by a unit, period or segment, small groups hidden;
- :func:`wide_by` -- the same table with one row per group and one column block per score;
- :func:`hidden_sentence` -- what the hiding hides, in words;
- :func:`cell_means` and :func:`cells_sentence` -- the unit x period means, each hidden
  below ``min_n`` answers, and what that hides;
- :func:`item_means` -- each item's mean with an interval clustered by the unit;
- :func:`plot_item_means` and :func:`item_means_alt_text` -- the figure of the items;
- :func:`first_rows` -- a long table cut to its first rows, with the sentence saying so;
- :func:`overall_table` -- each score over all answers, clustered by the unit;
- :func:`level_findings` -- one generated sentence per score: its level and its range over
  the groups shown.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MAX_ROWS",
    "cell_means",
    "design_counts",
    "first_rows",
    "hidden_sentence",
    "item_means",
    "item_means_alt_text",
    "item_wording",
    "period_of",
    "plot_item_means",
    "respondent_scores",
    "reverse_text",
    "score_table",
    "wide_by",
]

#: a table with more rows than this is shown by its first rows (:func:`first_rows`)
MAX_ROWS = 40
_STATS = ["estimate", "ci_low", "ci_high", "n"]


def _num(x: float) -> str:
    return f"{float(x):g}"


def item_wording(data: pd.DataFrame | None, items: Sequence[str],
                 known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Code -> question wording: the export's (``data.attrs["labels"]``), else ``known``,
    else the code itself.

    Parameters
    ----------
    data : DataFrame or None
        The table as read (its ``attrs["labels"]`` hold the platform's question text).
    items : sequence of str
        The columns.
    known : mapping, optional
        Wordings known without the export (the bundled study's, the ECSI questionnaire's).

    Returns
    -------
    dict
        One entry per item, in order.

    Examples
    --------
    >>> df = pd.DataFrame({"Q1": [1], "q2": [2]})
    >>> df.attrs["labels"] = {"Q1": "The store was clean"}
    >>> item_wording(df, ["Q1", "q2", "q3"], known={"q3": "Staff were friendly"})
    {'Q1': 'The store was clean', 'q2': 'q2', 'q3': 'Staff were friendly'}
    """
    labels = dict(getattr(data, "attrs", {}).get("labels") or {}) if data is not None else {}
    known = dict(known or {})
    out = {}
    for item in items:
        text = str(labels.get(item, "") or "").strip() or str(known.get(item, "") or "").strip()
        out[str(item)] = text or str(item)
    return out


def period_of(instrument: Any, table: str, data: pd.DataFrame | None = None) -> str | None:
    """The period column of ``table`` (the instrument's ``time``, or that table's own when
    ``time:`` is given table by table), or None when the table has no such column.

    Examples
    --------
    >>> from cxresearch.io.instrument import Instrument
    >>> period_of(Instrument.bundled(), "employees", pd.DataFrame({"year": [1]}))
    'year'
    >>> period_of(Instrument.bundled(), "employees", pd.DataFrame({"wave": [1]})) is None
    True
    """
    time_of = getattr(instrument, "time_of", None)
    col = time_of(table) if callable(time_of) else getattr(instrument, "time", None)
    if col is None or (data is not None and col not in data.columns):
        return None
    return str(col)


def reverse_text(scales: Mapping[str, Any]) -> str:
    """How the instrument's reverse-keyed items are scored, in words (Markdown).

    Parameters
    ----------
    scales : mapping
        Scale name -> an object with ``items``, ``range`` and ``reverse``
        (:class:`cxresearch.io.instrument.Scale`).

    Returns
    -------
    str

    Examples
    --------
    >>> from cxresearch.io.instrument import Scale
    >>> print(reverse_text({"culture": Scale(("c1", "c2", "c3"), (1, 7), ("c3",))}))
    Reverse-keyed items are rescored before any score is computed: `c3` (culture, answered
    1–7) is scored as 8 − `c3`, so that a high answer means the same on every item.
    >>> print(reverse_text({"engagement": Scale(("e1", "e2", "e3"), (1, 5))}))
    The instrument declares no reverse-keyed items: every item is scored as answered.
    """
    parts = [f"`{item}` ({name}, answered {_num(s.range[0])}–{_num(s.range[1])}) is scored as "
             f"{_num(s.range[0] + s.range[1])} − `{item}`"
             for name, s in scales.items() for item in s.reverse]
    if not parts:
        return "The instrument declares no reverse-keyed items: every item is scored as answered."
    joined = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
    return ("Reverse-keyed items are rescored before any score is computed: " + joined
            + ", so that a high answer means the same on every item.")


def respondent_scores(
    data: pd.DataFrame,
    sets: Mapping[str, Sequence[str]],
    reverse: Mapping[str, Any] | None = None,
    *,
    min_answered: float = 0.5,
    standardize: bool = False,
) -> pd.DataFrame:
    """Each respondent's score on each item set: the mean of the items answered, when at
    least ``min_answered`` of them are (else missing), as
    :func:`cxresearch.linkage.multilevel.group_scores` scores a respondent.

    Parameters
    ----------
    data : DataFrame
        One row per respondent (not modified).
    sets : mapping
        Score name -> item columns.
    reverse : mapping, optional
        ``{item: (lo, hi)}`` (:meth:`cxresearch.io.instrument.Instrument.reverse_map`) or
        ``{item: lo + hi}``: reverse-keyed items, scored ``lo + hi - answer``.
    min_answered : float, default 0.5
        Share of a set's items a respondent must answer.
    standardize : bool, default False
        z-score each item over all respondents first (items on different ranges weigh alike).

    Returns
    -------
    DataFrame
        One column per set, on ``data``'s index.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [5, 1, None], "b": [4, 2, None], "r": [1, 5, 3]})
    >>> respondent_scores(d, {"s": ["a", "b", "r"]}, reverse={"r": 6})["s"].round(3).tolist()
    [4.667, 1.333, nan]
    >>> respondent_scores(d, {"s": ["a", "b", "r"]}, min_answered=0.3)["s"].tolist()[2]
    3.0
    >>> respondent_scores(d, {"s": ["r"]}, reverse={"r": (1, 5)})["s"].tolist()
    [5.0, 1.0, 3.0]
    """
    reverse = dict(reverse or {})
    out = pd.DataFrame(index=data.index)
    for name, items in sets.items():
        block = data[list(items)].astype(float)
        for item, total in reverse.items():
            if item in block.columns:
                total = float(sum(total)) if isinstance(total, (tuple, list)) else float(total)
                block[item] = total - block[item]
        if standardize:
            block = (block - block.mean()) / block.std(ddof=1)
        answered = block.notna().mean(axis=1)
        out[name] = block.mean(axis=1).where(answered >= min_answered)
    return out


def design_counts(
    tables: Mapping[str, pd.DataFrame],
    unit: str | None,
    periods: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Answers, units and periods of each table, and how many answers a unit and a unit x
    period cell hold (median, smallest, largest).

    Parameters
    ----------
    tables : mapping
        Table name -> one row per answer (or per unit and period).
    unit : str or None
        The column answers are nested in (absent from a table: that table's unit columns are
        missing).
    periods : mapping, optional
        Table name -> its period column (or None).

    Returns
    -------
    DataFrame
        One row per table: ``rows``, ``units``, ``periods``, ``per_unit_median``,
        ``per_unit_min``, ``per_unit_max``, ``per_cell_median``, ``per_cell_min`` (a column
        that no table has, such as the periods of tables without a period column, left out).

    Examples
    --------
    >>> t = pd.DataFrame({"store": ["a", "a", "a", "b"], "wave": [1, 1, 2, 1]})
    >>> c = design_counts({"employees": t}, "store", {"employees": "wave"})
    >>> c[["rows", "units", "periods", "per_unit_min", "per_unit_max", "per_cell_min"]]
               rows  units  periods  per_unit_min  per_unit_max  per_cell_min
    table
    employees     4      2        2             1             3             1
    """
    periods = dict(periods or {})
    rows = []
    for name, frame in tables.items():
        time = periods.get(name)
        has_unit = unit is not None and unit in frame.columns
        has_time = time is not None and time in frame.columns
        row: dict[str, Any] = {"table": name, "rows": len(frame),
                               "units": frame[unit].nunique() if has_unit else pd.NA,
                               "periods": frame[time].nunique() if has_time else pd.NA}
        per_unit = frame.groupby(unit, observed=True).size() if has_unit else None
        per_cell = frame.groupby([unit, time], observed=True).size() if (
            has_unit and has_time) else None
        row.update({
            "per_unit_median": float(per_unit.median()) if per_unit is not None else np.nan,
            "per_unit_min": int(per_unit.min()) if per_unit is not None else pd.NA,
            "per_unit_max": int(per_unit.max()) if per_unit is not None else pd.NA,
            "per_cell_median": float(per_cell.median()) if per_cell is not None else np.nan,
            "per_cell_min": int(per_cell.min()) if per_cell is not None else pd.NA,
        })
        rows.append(row)
    out = pd.DataFrame(rows).set_index("table")
    return out.dropna(axis=1, how="all")  # no unit or no period: those columns left out


def score_table(
    data: pd.DataFrame,
    scores: Mapping[str, tuple[str, str, tuple[float, float] | None]],
    by: str | Sequence[str],
    *,
    cluster: str | None = None,
    weights: str | None = None,
    min_n: int = 10,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each score by ``by`` (a unit, a period, a segment), with groups under ``min_n`` answers
    hidden (:func:`cxresearch.metrics.scores.by_segment`).

    A period or segment is a domain of the design clustered by ``cluster``; when ``by`` is the
    cluster column itself a unit's answers are treated as independent (a unit cannot be
    clustered within itself).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    scores : mapping
        Label -> ``(metric, column, scale)``: ``metric`` one of ``"mean"``, ``"nps"``,
        ``"csat"``, ``"ces"``, ``"top_box"``; ``scale`` the answer range (None for a mean of
        z-scores or an outcome).
    by : str or sequence of str
        The grouping column(s).
    cluster, weights : str, optional
        The unit column and the weight column.
    min_n : int, default 10
        Smallest group shown.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    DataFrame
        ``by``, ``score``, ``estimate``, ``ci_low``, ``ci_high``, ``n``, ``design_effect``
        (with ``cluster``), ``suppressed`` and ``note``.

    Examples
    --------
    >>> d = pd.DataFrame({"g": ["a"] * 12 + ["b"] * 3, "x": [4, 5, 3] * 4 + [1, 2, 3]})
    >>> t = score_table(d, {"x": ("mean", "x", (1, 5))}, "g")
    >>> t[["g", "estimate", "n", "suppressed"]].values.tolist()
    [['a', 4.0, 12, False], ['b', nan, 3, True]]
    """
    from cxresearch.metrics.scores import by_segment

    keys = [by] if isinstance(by, str) else list(by)
    clus = None if cluster is None or cluster in keys or cluster not in data.columns else cluster
    parts = []
    for label, (metric, column, scale) in scores.items():
        frame = data[data[column].notna()] if metric == "mean" else data
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # missing answers: counted in n_missing
            t = by_segment(frame, keys, metric, column, weights=weights, min_n=min_n,
                           scale=scale, cluster=clus, level=level)
        t = t[t["flag"].ne("empty")]
        cols = [*keys, "estimate", "ci_low", "ci_high", "n"]
        cols += ["design_effect"] if clus else []
        parts.append(t[[*cols, "suppressed", "note"]].assign(score=label))
    out = pd.concat(parts, ignore_index=True)
    first = [*keys, "score"]
    return out[first + [c for c in out.columns if c not in first]]


def wide_by(table: pd.DataFrame, by: str | Sequence[str],
            stats: Sequence[str] = ("estimate", "ci_low", "ci_high", "n")) -> pd.DataFrame:
    """:func:`score_table` with one row per group and one block of columns per score.

    Examples
    --------
    >>> t = pd.DataFrame({"g": ["a", "a"], "score": ["x", "y"], "estimate": [1.0, 2.0],
    ...                   "ci_low": [0.5, 1.5], "ci_high": [1.5, 2.5], "n": [10, 12]})
    >>> wide_by(t, "g").columns.tolist()[:2]
    [('x', 'estimate'), ('x', 'ci_low')]
    """
    keys = [by] if isinstance(by, str) else list(by)
    order = list(dict.fromkeys(table["score"]))
    w = table.pivot_table(index=keys, columns="score", values=list(stats), aggfunc="first",
                          dropna=False, sort=False)
    w = w.swaplevel(0, 1, axis=1)
    w = w.reindex(columns=pd.MultiIndex.from_product([order, list(stats)]))
    w.columns.names = [None, None]
    return w


def hidden_sentence(table: pd.DataFrame, by: str | Sequence[str], *, min_n: int,
                    noun: str = "answers") -> str:
    """What hiding small groups hides in a :func:`score_table`, in words: per score, how many
    groups are shown and hidden, how many answers the hidden ones hold, and why.

    Examples
    --------
    >>> t = pd.DataFrame({"store": ["a", "b", "a", "b"], "score": ["x", "x", "y", "y"],
    ...                   "n": [40, 5, 40, 5], "suppressed": [False, True, False, True]})
    >>> print(hidden_sentence(t, "store", min_n=10))
    By store, x and y: 1 of 2 groups shown; 1 hidden because it has fewer than 10 answers (5
    answers, still counted in every other table): b.
    >>> print(hidden_sentence(t.assign(suppressed=False), "store", min_n=10))
    By store, x and y: all 2 groups shown (none has fewer than 10 answers).
    """
    keys = [by] if isinstance(by, str) else list(by)
    name = " × ".join(keys)
    groups: dict[tuple, list[str]] = {}
    for score, t in table.groupby("score", sort=False):
        sup = t["suppressed"].astype(bool)
        hidden = t[sup]
        ids = tuple(hidden[keys].astype(str).agg(" × ".join, axis=1)) if len(hidden) else ()
        key = (len(t), ids, int(hidden["n"].sum()))
        groups.setdefault(key, []).append(str(score))
    out = []
    for (total, ids, answers), names in groups.items():
        scores = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        head = f"By {name}, {scores}: "
        if not ids:
            out.append(head + f"all {total} groups shown (none has fewer than {min_n} {noun}).")
            continue
        listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
        verb = "it has" if len(ids) == 1 else "they have"
        out.append(head + f"{total - len(ids)} of {total} groups shown; {len(ids)} hidden "
                   f"because {verb} fewer than {min_n} {noun} ({answers:,} {noun}, still "
                   f"counted in every other table): {listed}.")
    return " ".join(out)


def cell_means(data: pd.DataFrame, keys: Sequence[str], scores: Mapping[str, str],
               outcomes: Sequence[str] = (), *, min_n: int = 10) -> pd.DataFrame:
    """The unit x period means of a linkage panel, each score hidden where it rests on fewer
    than ``min_n`` answers (its n kept), then the outcomes.

    Parameters
    ----------
    data : DataFrame
        One row per unit and period with ``<score>`` and ``n_<score>`` columns
        (:func:`cxresearch.linkage.units.unit_panel`,
        :func:`cxresearch.linkage.panel.linkage_panel`).
    keys : sequence of str
        The unit (and period) columns.
    scores : mapping
        Column -> label (``{"ex": "EX", "cx": "CX"}``).
    outcomes : sequence of str
        Outcome columns shown as they are.
    min_n : int, default 10
        Smallest number of answers behind a mean shown.

    Returns
    -------
    DataFrame
        ``keys``, then per score its mean (NaN when hidden) and ``n``, then the outcomes, and
        ``hidden`` (which scores are hidden in that cell).

    Examples
    --------
    >>> p = pd.DataFrame({"s": ["a", "b"], "ex": [0.2, -0.1], "n_ex": [12, 4],
    ...                   "cx": [0.1, 0.3], "n_cx": [20, 25], "growth": [1.5, 2.0]})
    >>> cell_means(p, ["s"], {"ex": "EX", "cx": "CX"}, ["growth"])["EX"].tolist()
    [0.2, nan]
    """
    out = data[list(keys)].copy()
    hidden = pd.Series("", index=data.index)
    for col, label in scores.items():
        small = data[f"n_{col}"].fillna(0) < min_n
        out[label] = data[col].astype(float).where(~small)
        out[f"n {label}"] = data[f"n_{col}"].fillna(0).astype(int)
        hidden = hidden.where(~small, hidden + np.where(hidden == "", "", ", ") + label)
    for col in outcomes:
        out[col] = data[col]
    out["hidden"] = hidden
    return out


def cells_sentence(cells: pd.DataFrame, keys: Sequence[str], scores: Sequence[str], *,
                   min_n: int, nouns: Mapping[str, str]) -> str:
    """What :func:`cell_means` hides, in words.

    Examples
    --------
    >>> c = pd.DataFrame({"s": ["a", "b"], "EX": [0.2, None], "n EX": [12, 4],
    ...                   "CX": [0.1, 0.3], "n CX": [20, 25]})
    >>> print(cells_sentence(c, ["s"], ["EX", "CX"], min_n=10,
    ...                      nouns={"EX": "employees", "CX": "customers"}))
    By s: EX hidden in 1 of 2 cells (fewer than 10 employees each; 4 employees in them); CX
    shown in all 2 cells.
    """
    name = " × ".join(keys)
    parts = []
    for label in scores:
        hid = cells[label].isna() & (cells[f"n {label}"] > 0)
        if hid.any():
            held = int(cells.loc[hid, f"n {label}"].sum())
            parts.append(f"{label} hidden in {int(hid.sum())} of {len(cells)} cells (fewer than "
                         f"{min_n} {nouns[label]} each; {held:,} {nouns[label]} in them)")
        else:
            parts.append(f"{label} shown in all {len(cells)} cells")
    return f"By {name}: " + "; ".join(parts) + "."


__all__ += ["cells_sentence"]


def first_rows(table: pd.DataFrame, what: str, k: int = 10,
               limit: int = MAX_ROWS) -> tuple[pd.DataFrame, str]:
    """The table itself when it has at most ``limit`` rows, else its first ``k`` rows; and the
    sentence saying which.

    Examples
    --------
    >>> t, s = first_rows(pd.DataFrame({"x": range(50)}), "stores")
    >>> len(t), s
    (10, 'The first 10 of 50 stores (in order); the rest are in the same table, not shown.')
    >>> first_rows(pd.DataFrame({"x": range(5)}), "stores")[1]
    'All 5 stores.'
    """
    if len(table) <= limit:
        return table, f"All {len(table)} {what}."
    return table.head(k), (f"The first {k} of {len(table)} {what} (in order); the rest are in "
                           "the same table, not shown.")


def item_means(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    ranges: Mapping[str, tuple[float, float]],
    wording: Mapping[str, str],
    *,
    cluster: str | None = None,
    reverse: Sequence[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Each item's mean as answered, with an interval clustered by the unit
    (:func:`cxresearch.metrics.scores.mean_score`; independent answers without a unit).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    blocks : mapping
        Scale or construct -> its items.
    ranges : mapping
        Scale or construct -> its answer range.
    wording : mapping
        Item -> its wording (:func:`item_wording`).
    cluster : str, optional
        The unit column.
    reverse : sequence of str
        Reverse-keyed items (marked, not rescored: the means are of the answers as given).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    DataFrame
        ``block``, ``item``, ``wording``, ``reverse``, ``lo``, ``hi``, ``estimate``,
        ``ci_low``, ``ci_high``, ``n``, ``n_missing``.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [4, 5, 3, 4], "b": [1, 2, None, 2], "u": [1, 1, 2, 2]})
    >>> t = item_means(d, {"s": ["a", "b"]}, {"s": (1, 5)}, {"a": "A", "b": "B"}, cluster="u")
    >>> t[["item", "estimate", "n", "n_missing"]].values.tolist()
    [['a', 4.0, 4, 0], ['b', 1.6666666666666667, 3, 1]]
    """
    from cxresearch.metrics.scores import mean_score

    rows = []
    clus = cluster if cluster is not None and cluster in data.columns else None
    for block, items in blocks.items():
        lo, hi = ranges[block]
        for item in items:
            col = data[item]
            keep = col.notna()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                r = mean_score(col[keep].astype(float), scale=(lo, hi), integer=False,
                               cluster=data.loc[keep, clus].to_numpy() if clus else None,
                               level=level, name=item)
            rows.append({"block": block, "item": item, "wording": wording.get(item, item),
                         "reverse": item in reverse, "lo": lo, "hi": hi,
                         "estimate": r.estimate, "ci_low": r.ci_low, "ci_high": r.ci_high,
                         "n": int(keep.sum()), "n_missing": int((~keep).sum())})
    return pd.DataFrame(rows)


def plot_item_means(table: pd.DataFrame, *, title: str, xlabel: str, width: float = 7.2,
                    wrap: int = 56) -> Any:
    """A dot plot of :func:`item_means`: one panel per block (scale or construct), items
    labelled with their wording (reverse-keyed ones marked).

    Each panel's axis spans its items' intervals (at least a tenth of the answer range, and
    never beyond it), so that items that differ can be seen to differ; the panel's title gives
    the answer range. Returns the figure.
    """
    import textwrap

    import matplotlib.pyplot as plt

    blocks = list(dict.fromkeys(table["block"]))
    sizes = [int((table["block"] == b).sum()) for b in blocks]
    height = 0.22 * sum(sizes) + 0.42 * len(blocks) + 1.0
    fig, axes = plt.subplots(len(blocks), 1, figsize=(width, height), squeeze=False,
                             gridspec_kw={"height_ratios": [s + 1.2 for s in sizes]},
                             layout="constrained")
    for ax, block in zip(axes[:, 0], blocks, strict=True):
        t = table[table["block"] == block].reset_index(drop=True)
        y = np.arange(len(t))[::-1]
        ax.errorbar(t["estimate"], y, xerr=[t["estimate"] - t["ci_low"],
                                            t["ci_high"] - t["estimate"]],
                    fmt="o", color="0.2", ecolor="0.5", capsize=2, markersize=4)
        labels = [textwrap.shorten(str(w), wrap, placeholder="…")
                  + (" (reverse-keyed)" if r else "") for w, r in zip(t["wording"], t["reverse"],
                                                                    strict=True)]
        ax.set_yticks(y, labels, fontsize=7)
        lo, hi = float(t["lo"].iloc[0]), float(t["hi"].iloc[0])
        a, b = float(t["ci_low"].min()), float(t["ci_high"].max())
        half = max(b - a, 0.1 * (hi - lo)) * 0.6
        mid = (a + b) / 2
        ax.set_xlim(max(lo, mid - half), min(hi, mid + half))
        ax.tick_params(axis="x", labelsize=7)
        ax.set_ylim(-0.7, len(t) - 0.3)
        ax.set_title(f"{block} (answered {_num(lo)}–{_num(hi)})", fontsize=8, loc="left")
    fig.supxlabel(xlabel, fontsize=8)
    fig.suptitle(title, fontsize=9)
    return fig


def item_means_alt_text(table: pd.DataFrame, *, data_label: str, level: float = 0.95) -> str:
    """Alt text of :func:`plot_item_means`, from the table (at most 300 characters).

    Examples
    --------
    >>> t = pd.DataFrame({"block": ["s", "s"], "item": ["a", "b"], "wording": ["A", "B"],
    ...                   "lo": [1, 1], "hi": [5, 5], "estimate": [4.0, 2.5],
    ...                   "ci_low": [3.8, 2.2], "ci_high": [4.2, 2.8]})
    >>> print(item_means_alt_text(t, data_label="your data"))
    Dots with 95% intervals, 2 item means (your data): s 2.5 to 4.0 on 1–5, lowest “B”.
    """
    parts = []
    for block, t in table.groupby("block", sort=False):
        lo = t.loc[t["estimate"].idxmin()]
        rng = (f"{t['estimate'].min():.1f} to {t['estimate'].max():.1f}" if len(t) > 1
               else f"{t['estimate'].iloc[0]:.1f}")
        parts.append((f"{block} {rng} on {_num(lo['lo'])}–{_num(lo['hi'])}", str(lo["wording"])))
    head = f"Dots with {level:.0%} intervals, {len(table)} item means ({data_label}): "
    full = head + "; ".join(f"{p}, lowest “{w}”" if len(parts) <= 2 else p for p, w in parts)
    if len(full) <= 300:
        return full + "."
    short = head + "; ".join(p for p, _ in parts)
    return (short if len(short) <= 299 else short[:296] + "…") + "."



def overall_table(data: pd.DataFrame, scores: Mapping[str, tuple[str, str, Any]], *,
                  cluster: str | None = None, weights: str | None = None,
                  level: float = 0.95) -> pd.DataFrame:
    """Each score over all answers (:func:`score_table` with one group), its interval
    clustered by the unit, with the design effect and the number of units.

    Examples
    --------
    >>> d = pd.DataFrame({"u": [1, 1, 2, 2, 3, 3], "x": [4, 5, 2, 3, 4, 4]})
    >>> t = overall_table(d, {"x": ("mean", "x", (1, 5))}, cluster="u")
    >>> t[["score", "estimate", "n", "n_clusters"]].values.tolist()
    [['x', 3.6666666666666665, 6, 3]]
    """
    keep = "overall"
    while keep in data.columns:
        keep = "_" + keep
    t = score_table(data.assign(**{keep: "all answers"}), scores, keep, cluster=cluster,
                    weights=weights, min_n=0, level=level)
    if cluster is not None and cluster in data.columns:
        t["n_clusters"] = int(data[cluster].nunique())
    return t.drop(columns=[keep, "suppressed", "note"])


def level_findings(overall: pd.DataFrame, by: Mapping[str, pd.DataFrame],
                   ranges: Mapping[str, Any] | None = None, *, level: float = 0.95,
                   digits: int = 2, units: str = "units") -> tuple[Any, ...]:
    """One sentence per score: its level over all answers with its interval, then, for each
    grouping, the lowest and highest group shown (levels, not tested differences).

    Parameters
    ----------
    overall : DataFrame
        :func:`overall_table`.
    by : mapping
        Grouping column -> its :func:`score_table`.
    ranges : mapping, optional
        Score -> its answer range, named in the sentence.
    level : float, default 0.95
        The intervals' level.
    digits : int, default 2
        Decimals shown.
    units : str, default "units"
        What the clusters are, in words (``"firms"``, ``"units (store_id)"``).

    Returns
    -------
    tuple of Finding
        ``kind="level"``; none claims an effect.

    Examples
    --------
    >>> o = pd.DataFrame({"score": ["x"], "estimate": [3.5], "ci_low": [3.2], "ci_high": [3.8],
    ...                   "n": [200], "design_effect": [2.5], "n_clusters": [20]})
    >>> g = pd.DataFrame({"wave": [1, 2, 3], "score": ["x"] * 3, "estimate": [3.4, 3.7, None],
    ...                   "n": [70, 80, 5], "suppressed": [False, False, True]})
    >>> print(level_findings(o, {"wave": g}, {"x": (1, 5)})[0].text)
    ... # doctest: +NORMALIZE_WHITESPACE
    **x (mean on 1–5)**: 3.50 (95% CI 3.20 to 3.80; 200 answers, 20 units as clusters, design
    effect 2.5); by wave from 3.40 (1) to 3.70 (2), 2 groups shown (levels, not tested
    differences).
    """
    from cxresearch.report.conclusions import Finding

    ranges = dict(ranges or {})
    out = []
    for r in overall.itertuples():
        rng = ranges.get(r.score)
        subject = f"{r.score} (mean on {_num(rng[0])}–{_num(rng[1])})" if rng else str(r.score)
        design = (f", {int(r.n_clusters)} {units} as clusters, design effect "
                  f"{r.design_effect:.1f}" if "n_clusters" in overall.columns
                  and pd.notna(getattr(r, "design_effect", np.nan)) else "")
        text = (f"**{subject}**: {r.estimate:.{digits}f} ({level:.0%} CI {r.ci_low:.{digits}f} "
                f"to {r.ci_high:.{digits}f}; {int(r.n):,} answers{design})")
        spans = []
        for key, t in by.items():
            shown = t[(t["score"] == r.score) & ~t["suppressed"].astype(bool)
                      & t["estimate"].notna()]
            if len(shown) < 2:
                continue
            lo, hi = shown.loc[shown["estimate"].idxmin()], shown.loc[shown["estimate"].idxmax()]
            spans.append(f"by {key} from {lo['estimate']:.{digits}f} ({lo[key]}) to "
                         f"{hi['estimate']:.{digits}f} ({hi[key]}), {len(shown)} groups shown")
        if spans:
            text += "; " + "; ".join(spans) + " (levels, not tested differences)"
        out.append(Finding(text + ".", False, kind="level"))
    return tuple(out)


__all__ += ["level_findings", "overall_table"]
