"""Notebook 07 ("The data") on whatever folder it is given: what the tables hold, how complete
and how reliable the answers are, and one figure of them.

On the bundled **synthetic** study the notebook also shows what only a simulation has (the
coefficients that generated it, the latent answer key); on a user's folder it describes that
folder with the table rules of ``python -m cxresearch check`` (each table read alone, validated
against the instrument, personal data dropped first) and skips the rest with a reason.

- :func:`readable_tables` -- which of the tables ``check`` found can be read here (with the
  run's ``on_invalid``), and why the others cannot;
- :func:`check_text` -- ``check``'s report without the folder's absolute path;
- :func:`column_guide` -- what each column of the tables read is for (the instrument's role,
  the answer range, the export's question wording, the share answered);
- :func:`item_missingness` -- the share of missing answers of every scale item, metric and
  driver the instrument declares;
- :func:`cell_reliability` and :func:`reliability_sentences` -- ICC(1) and ICC(2) of each
  scale and metric with the answers grouped by the instrument's unit (and each table's
  period), and which cell means are too noisy to compare;
- :func:`data_figure` and :func:`draw_data_figure` -- the figure of the data: the unit x period
  means of the first scale against those of the first metric; with customers only the
  distribution of the first metric's answers; with employees only that of the first scale's
  scores; caption and alt text generated from the plotted numbers;
- :func:`data_findings` -- the closing sentences, generated from the tables above.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError

__all__ = [
    "ICC2_RELIABLE",
    "CellReliability",
    "DataFigure",
    "Readable",
    "cell_reliability",
    "check_text",
    "column_guide",
    "data_figure",
    "data_findings",
    "draw_data_figure",
    "item_missingness",
    "readable_tables",
    "reliability_sentences",
    "unit_words",
]

#: ICC(2) below this marks cell means as unreliable (the customary cut-off, Bliese 2000)
ICC2_RELIABLE = 0.70
#: the order in which ``check`` lists a folder's tables
_TABLE_ORDER = ("customers", "employees", "firms", "firm_years", "units", "outcomes")
_VALUE_PROBLEM = re.compile(r"outside|non-integer|text in a numeric|non-numeric|malformed")


def _num(x: float) -> str:
    return f"{float(x):g}"


def _range(rng: Sequence[float] | None) -> str:
    return f"{_num(rng[0])}–{_num(rng[1])}" if rng is not None else ""


# --------------------------------------------------------------------------- reading the folder


@dataclass(frozen=True)
class Readable:
    """The tables of a folder that can be read in this run, and why the others cannot.

    ``tables``: the names to pass to :func:`cxresearch.io.readers.load_study`; ``status``: one
    row per table ``check`` found (table, file, read, note).
    """

    tables: tuple[str, ...]
    status: pd.DataFrame
    not_read: dict[str, str] = field(default_factory=dict)

    def sentences(self) -> list[str]:
        """One sentence per table that is not read, or read only with rows set aside."""
        out = []
        for r in self.status.itertuples():
            if r.note:
                out.append(f"{r.table} ({r.file}): {r.note}")
        return out


def readable_tables(tables: pd.DataFrame, data_dir: str | Path,
                    instrument: Any = None, on_invalid: str = "raise") -> Readable:
    """Which of the tables ``check`` found can be read in this run.

    ``check`` (:func:`cxresearch.cli.check.check_folder`) reads each table alone, as a notebook
    needing only that table would. A table it read is read here too; a table it could not read
    (``check`` run with ``on_invalid="raise"``) is tried again with ``on_invalid="set_aside"``
    when the run asks for it (rows with out-of-range or malformed answers set aside, the rest
    read); otherwise its problem is kept, with the hint to rerun with
    ``on_invalid="set_aside"`` when the problem is an answer's value (unless the problem
    already gives it).

    Parameters
    ----------
    tables : DataFrame
        ``check_folder(...).tables``: table, file, rows, columns, personal_data, problem.
    data_dir : str or Path
        The folder.
    instrument : Instrument, str or Path, optional
        As given to ``check`` (default the folder's own ``instrument.yml``).
    on_invalid : {"raise", "set_aside"}
        The run's choice (the notebook's parameter).

    Returns
    -------
    Readable

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> folder = paths.TESTS_DIR / "data" / "own_qualtrics"
    >>> t = pd.DataFrame({"table": ["customers", "units"], "file": ["customers.csv", "units.csv"],
    ...                   "problem": ["column 'Q1': 1 value(s) outside 0..10", ""]})
    >>> r = readable_tables(t, folder)
    >>> r.tables, r.status["read"].tolist()
    (('units',), ['no', 'yes'])
    >>> print(textwrap.fill(r.sentences()[0], 90))
    customers (customers.csv): not read: column 'Q1': 1 value(s) outside 0..10. Rerun with -p
    on_invalid=set_aside to set those rows aside and read the rest.
    >>> readable_tables(t, folder, on_invalid="set_aside").tables
    ('customers', 'units')
    """
    from cxresearch.io.readers import load_study

    if on_invalid not in ("raise", "set_aside"):
        raise DataError(f"argument 'on_invalid': {on_invalid!r} is not one of "
                        "['raise', 'set_aside']")
    rows, ok, not_read = [], [], {}
    for r in tables.itertuples():
        table, problem = str(r.table), str(r.problem or "")
        note = ""
        if not problem:
            ok.append(table)
        elif on_invalid == "set_aside":
            try:
                s = load_study(data_dir, tables=[table], instrument=instrument, strict=False,
                               on_invalid="set_aside")
            except (DataError, FileNotFoundError) as exc:
                not_read[table] = str(exc)
                note = f"not read: {exc}"
            else:
                ok.append(table)
                n = int(s.reports.get(table, {}).get("set_aside", 0) or 0)
                note = (f"read with on_invalid='set_aside' ({n:,} row{'s' if n != 1 else ''} "
                        "set aside; check reads with 'raise' and stops at them)")
        else:
            not_read[table] = problem
            note = f"not read: {problem}"
            if _VALUE_PROBLEM.search(problem) and "on_invalid=set_aside" not in problem:
                note += (". Rerun with -p on_invalid=set_aside to set those rows aside and read "
                         "the rest")
        rows.append({"table": table, "file": str(r.file), "read": "yes" if table in ok else "no",
                     "note": note.rstrip(".") + "." if note else ""})
    order = {t: i for i, t in enumerate(_TABLE_ORDER)}
    ordered = tuple(sorted(ok, key=lambda t: order.get(t, len(order))))
    status = pd.DataFrame(rows, columns=["table", "file", "read", "note"])
    return Readable(ordered, status, not_read)


def check_text(summary: str, directory: str | Path) -> str:
    """``check``'s report (:meth:`cxresearch.cli.check.FolderCheck.summary`) with the folder
    named by its name, not its absolute path.

    >>> check_text("Checking /home/me/exports (nothing is run)\\ntables:", "/home/me/exports")
    'Checking exports (nothing is run)\\ntables:'
    """
    return summary.replace(str(directory), Path(directory).name)


# --------------------------------------------------------------------------- the columns


def _wording(data: pd.DataFrame | None, column: str, known: Mapping[str, str] | None = None
             ) -> str:
    labels = dict(getattr(data, "attrs", {}).get("labels") or {}) if data is not None else {}
    text = str(labels.get(column, "") or "").strip()
    return text or str((known or {}).get(column, "") or "").strip()


def _roles(instrument: Any) -> dict[str, list[str]]:
    """column -> its roles in the instrument, in words."""
    out: dict[str, list[str]] = {}
    frame = instrument.to_frame()
    for r in frame.itertuples():
        if r.role == "unit":
            text = "unit (answers are nested in it)"
        elif r.role == "time":
            text = "period" if r.name == "time" else f"period of the {r.name}"
        elif r.role == "weight":
            text = "survey weight"
        elif r.role == "item":
            text = f"item of scale {r.name}" + (" (reverse-keyed)" if r.reverse else "")
        elif r.role == "metric":
            text = f"metric {str(r.name).upper()}"
        elif r.role == "outcome":
            text = "outcome of the key drivers"
        elif r.role == "driver":
            text = "key driver"
        else:
            text = str(r.role)
        out.setdefault(str(r.column), [])
        if text not in out[str(r.column)]:
            out[str(r.column)].append(text)
    return out


def column_guide(study: Any) -> pd.DataFrame:
    """What each column of the tables read is for.

    Parameters
    ----------
    study : LoadedStudy
        What :func:`cxresearch.io.readers.load_study` returned.

    Returns
    -------
    DataFrame
        One row per column of each table read: ``table``, ``column``, ``role`` (its roles in
        the instrument: unit, period, weight, scale item, metric, key driver, segment;
        ``respondent id``; empty for a column the instrument does not name), ``range`` (the
        declared answer range), ``question`` (the export's wording, ``df.attrs["labels"]``)
        and ``answered`` (share of rows with a value).

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> from cxresearch.io.readers import load_study
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"],
    ...                strict=False)
    >>> g = column_guide(s).set_index(["table", "column"])
    >>> g.loc[("customers", "ltr"), ["role", "range"]].tolist()
    ['metric NPS', '0–10']
    >>> g.loc[("customers", "sat"), "role"]
    'metric CSAT; outcome of the key drivers'
    >>> g.loc[("units", "store_id"), "role"], g.loc[("units", "region"), "role"]
    ('unit (answers are nested in it)', 'segment')
    """
    inst = study.instrument
    roles = _roles(inst) if inst is not None else {}
    ranges = inst.item_ranges() if inst is not None else {}
    rows = []
    for table, frame in study.tables().items():
        for col in frame.columns:
            role = "; ".join(roles.get(col, [])) or ("respondent id" if col == "respondent_id"
                                                     else "")
            rows.append({"table": table, "column": col, "role": role,
                         "range": _range(ranges.get(col)),
                         "question": _wording(frame, col),
                         "answered": round(float(frame[col].notna().mean()), 3)
                         if len(frame) else np.nan})
    return pd.DataFrame(rows, columns=["table", "column", "role", "range", "question",
                                       "answered"])


def item_missingness(study: Any) -> pd.DataFrame:
    """The share of missing answers of each scale item, metric and driver of the instrument.

    Parameters
    ----------
    study : LoadedStudy
        The study read.

    Returns
    -------
    DataFrame
        One row per answer column present, in the instrument's order: ``table``, ``set`` (the
        scale, the metric, or ``drivers``), ``column``, ``question`` (the export's wording),
        ``label`` (the column, with its metric's name), ``answers`` (rows with a value) and
        ``share_missing``.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> from cxresearch.io.readers import load_study
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"],
    ...                strict=False)
    >>> m = item_missingness(s).set_index("column")
    >>> str(m.loc["effort", "set"]), int(m.loc["effort", "answers"])
    ('ces', 1002)
    >>> round(float(m.loc["effort", "share_missing"]), 3)
    0.416
    """
    inst = study.instrument
    rows = []
    if inst is None:
        return pd.DataFrame(columns=["table", "set", "column", "label", "question", "answers",
                                     "share_missing"])
    sets: list[tuple[str, str, str]] = []
    for name, scale in inst.scales.items():
        sets += [("employees", name, it) for it in scale.items]
    sets += [("customers", name, m.column) for name, m in inst.metrics.items()]
    if inst.drivers is not None:
        sets += [("customers", "drivers", it) for it in inst.drivers.items]
    seen = set()
    for table, name, col in sets:
        frame = getattr(study, table, None)
        if frame is None or col not in frame.columns or (table, col) in seen:
            continue
        seen.add((table, col))
        answered = int(frame[col].notna().sum())
        rows.append({"table": table, "set": name, "column": col,
                     "label": col if name not in inst.metrics or col.lower() == name
                     else f"{name.upper()} ({col})",
                     "question": _wording(frame, col), "answers": answered,
                     "share_missing": 1 - answered / len(frame) if len(frame) else np.nan})
    return pd.DataFrame(rows, columns=["table", "set", "column", "label", "question",
                                       "answers", "share_missing"])


# --------------------------------------------------------------------------- reliability


def unit_words(unit: str, time: str | None = None) -> str:
    """The unit (and period) in words: ``store_id`` -> ``store``; ``firm_id, year`` ->
    ``firm × year``.

    >>> unit_words("store_id", "wave"), unit_words("team"), unit_words("firm_id", "year")
    ('store × wave', 'team', 'firm × year')
    """
    name = re.sub(r"[_ ]?(id|ID|code|no)$", "", str(unit)).replace("_", " ").strip() or unit
    return name + (f" × {str(time).replace('_', ' ')}" if time else "")


@dataclass(frozen=True)
class CellReliability:
    """ICC(1)/ICC(2) of each scale and metric by unit (x period), or why there are none.

    ``table``: one row per scale or metric (``source``, ``item_set``, ``cells``, ``n_groups``,
    ``mean_group_size``, ``icc1``, ``icc2``, ``reliable``); ``reasons``: a sentence per table
    of answers that could not be grouped.
    """

    table: pd.DataFrame
    reasons: tuple[str, ...] = ()


def cell_reliability(study: Any, *, level: float = 0.95) -> CellReliability:
    """How much of each scale's and metric's variance lies between the instrument's unit x
    period cells, and how reliable the cell means are.

    :func:`cxresearch.linkage.units.aggregation_checks` (which calls
    :func:`cxresearch.linkage.multilevel.aggregation_indices`: reverse-keyed items recoded, the
    number of answer options from each declared range) on the employees' scales and the
    customers' metrics, each table grouped by the instrument's unit and its own period column
    (``time``, or the table's own when ``time:`` is given table by table; none: by unit alone).
    ICC(1) is the share of an answer's variance that lies between cells; ICC(2) the reliability
    of a cell's mean; a mean with ICC(2) below :data:`ICC2_RELIABLE` is marked unreliable
    (Bliese 2000).

    Parameters
    ----------
    study : LoadedStudy
        The study read.
    level : float
        Confidence level of the ICC(1) intervals.

    Returns
    -------
    CellReliability

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> from cxresearch.io.readers import load_study
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"],
    ...                strict=False)
    >>> r = cell_reliability(s)
    >>> r.table[["item_set", "cells", "n_groups"]].values.tolist()[0]
    ['nps', 'store × wave', 90]
    >>> r.reasons
    ()
    >>> only = load_study(paths.TESTS_DIR / "data" / "customers_only", strict=False,
    ...                   tables=["customers"])
    >>> print(textwrap.fill(cell_reliability(only).reasons[0], 90))
    the customers have no unit column 'firm_id' (the instrument's unit), so their answers
    cannot be grouped; without an instrument.yml the bundled study's unit is assumed: declare
    yours (unit: store_id, team, ...)
    """
    from cxresearch.linkage.units import aggregation_checks

    inst = study.instrument
    cols = ["source", "item_set", "cells", "n_groups", "mean_group_size", "icc1", "icc2",
            "reliable"]
    frames, reasons = [], []
    if inst is None:
        return CellReliability(pd.DataFrame(columns=cols), ("the study has no instrument",))
    for table in ("employees", "customers"):
        frame = getattr(study, table, None)
        if frame is None:
            continue
        if inst.unit not in frame.columns:
            reasons.append(f"the {table} have no unit column {inst.unit!r} (the instrument's "
                           "unit), so their answers cannot be grouped"
                           + ("; without an instrument.yml the bundled study's unit is "
                              "assumed: declare yours (unit: store_id, team, ...)"
                              if getattr(study, "instrument_default", False) else ""))
            continue
        time = inst.time_of(table)
        time = time if time is not None and time in frame.columns else None
        keys = [inst.unit, *([time] if time else [])]
        try:
            out = aggregation_checks(frame if table == "employees" else None,
                                     frame if table == "customers" else None, inst, keys,
                                     level=level)
        except DataError as exc:
            reasons.append(f"the {table}' answers cannot be grouped ({exc})")
            continue
        frames.append(out.assign(cells=unit_words(inst.unit, time)))
    if not frames:
        return CellReliability(pd.DataFrame(columns=cols), tuple(reasons))
    table = pd.concat(frames, ignore_index=True)
    table["reliable"] = table["icc2"] >= ICC2_RELIABLE
    return CellReliability(table[cols].reset_index(drop=True), tuple(reasons))


def reliability_sentences(table: pd.DataFrame, *, floor: float | None = None) -> list[str]:
    """ICC(1) and ICC(2) in words: how much variance lies between cells, and which cell means
    are unreliable.

    Parameters
    ----------
    table : DataFrame
        ``CellReliability.table``.
    floor : float, optional
        A reliability below which means are too noisy even to correct for their error
        (notebook 05's :data:`cxresearch.linkage.units.RELIABILITY_FLOOR`).

    Returns
    -------
    list of str

    Examples
    --------
    >>> t = pd.DataFrame({"item_set": ["culture", "nps"], "cells": ["store × wave"] * 2,
    ...                   "icc1": [0.12, 0.02], "icc2": [0.75, 0.15],
    ...                   "mean_group_size": [22.0, 19.0]})
    >>> for s in reliability_sentences(t, floor=0.2):
    ...     print(textwrap.fill(s, 90))
    Between store × wave cells lies 12.0% of the variance of culture and 2.0% of nps (ICC(1));
    the rest is the variation between answers in the same cell.
    The store × wave means of culture are reliable (ICC(2) 0.75, 22.0 answers per cell on
    average).
    The store × wave means of nps are unreliable (ICC(2) 0.15, 19.0 answers per cell on
    average): below 0.70 a mean mixes the cell's level with noise, which weakens any
    correlation between such means; nps is below 0.2, too noisy even to correct.
    """
    out = []
    for cells, t in table.groupby("cells", sort=False):
        shares = [(f"{r.icc1:.1%}" if r.icc1 >= 0 else f"none (estimate {r.icc1:.1%})")
                  + f" of {'the variance of ' if i == 0 else ''}{r.item_set}"
                  for i, r in enumerate(t.itertuples())]
        out.append(f"Between {cells} cells lies " + _and(shares)
                   + " (ICC(1)); the rest is the variation between answers in the same cell.")
        good = t[t["icc2"] >= ICC2_RELIABLE]
        bad = t[~(t["icc2"] >= ICC2_RELIABLE)]

        def listed(part: pd.DataFrame) -> str:
            return _and([str(r.item_set) for r in part.itertuples()]) + " are"

        def detail(part: pd.DataFrame) -> str:
            if len(part) == 1:
                r = part.iloc[0]
                return (f"ICC(2) {r['icc2']:.2f}, {r['mean_group_size']:.1f} answers per cell "
                        "on average")
            return "ICC(2) " + ", ".join(f"{r.item_set} {r.icc2:.2f}" for r in part.itertuples())

        if len(good):
            out.append(f"The {cells} means of {listed(good)} reliable ({detail(good)}).")
        if len(bad):
            text = (f"The {cells} means of {listed(bad)} unreliable ({detail(bad)}): below "
                    f"{ICC2_RELIABLE:.2f} a mean mixes the cell's level with noise, which "
                    "weakens any correlation between such means")
            if floor is not None:
                worst = bad[~(bad["icc2"] >= floor)]
                if len(worst):
                    text += (f"; {_and(list(worst['item_set']))} "
                             f"{'is' if len(worst) == 1 else 'are'} below {floor:g}, too noisy "
                             "even to correct")
            out.append(text + ".")
    return out


def _and(parts: Sequence[str]) -> str:
    parts = [str(p) for p in parts]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------- the figure


@dataclass(frozen=True)
class DataFigure:
    """The figure of a study's data, ready to draw (:func:`draw_data_figure`) and save.

    ``kind``: ``"cell_means"``, ``"answers"``, ``"scores"``, or ``""`` with ``reason`` when
    the data have nothing to plot; ``name`` the figure's file stem.
    """

    kind: str
    name: str = ""
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    x: str = ""
    y: str = ""
    x_label: str = ""
    y_label: str = ""
    title: str = ""
    caption: str = ""
    alt_text: str = ""
    r: float = float("nan")
    reason: str = ""
    sentence: str = ""
    instead: str = ""


def _short(data_label: str) -> str:
    return "synthetic" if data_label == "synthetic data" else data_label


def _wrap(text: str, width: int = 52) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _metric_label(frame: pd.DataFrame, name: str, metric: Any,
                  known: Mapping[str, str] | None, prefix: str) -> tuple[str, str]:
    """(axis label, question in words) of a metric."""
    wording = _wording(frame, metric.column, known)
    rng = _range(metric.range)
    if wording:
        return _wrap(f"{prefix} “{wording}” ({rng})"), f"“{wording}”"
    return f"{prefix} {name.upper()} ({metric.column}, {rng})", f"{name.upper()} ({metric.column})"


def _weighted_mean(frame: pd.DataFrame, keys: list[str], col: str, weight: str | None
                   ) -> pd.DataFrame:
    d = frame[[*keys, col, *([weight] if weight else [])]].dropna(subset=[col])
    d = d.assign(_x=d[col].astype(float),
                 _w=d[weight].astype(float) if weight else 1.0)
    d = d.assign(_wx=d["_x"] * d["_w"])
    g = d.groupby(keys, sort=True, observed=True)
    return pd.DataFrame({"mean": g["_wx"].sum() / g["_w"].sum(), "n": g.size()}).reset_index()


def _cell_means(study: Any, known: Mapping[str, str] | None, data_label: str
                ) -> DataFigure | str:
    from cxresearch.linkage.units import align_periods
    from cxresearch.studies.own_data_02_05 import respondent_scores

    inst = study.instrument
    emp, cus = study.employees, study.customers
    scale_name = next((n for n, s in inst.scales.items()
                       if any(it in emp.columns for it in s.items)), None)
    metric_name = next((n for n, m in inst.metrics.items() if m.column in cus.columns), None)
    if scale_name is None or metric_name is None:
        return "the data have no scale of the instrument in the employees or no metric in the "\
               "customers"
    unit = inst.unit
    if unit not in emp.columns or unit not in cus.columns:
        return f"the employees and customers do not both have the unit column {unit!r}"
    scale, metric = inst.scales[scale_name], inst.metrics[metric_name]
    t_emp, t_cus = inst.time_of("employees"), inst.time_of("customers")
    time = None
    if t_emp in emp.columns and t_cus in cus.columns:
        try:
            al = align_periods({"customers": cus, "employees": emp}, inst)
        except DataError:
            al = None
        if al is not None and al.time is not None:
            emp, cus, time = al.tables["employees"], al.tables["customers"], al.time
    keys = [unit, *([time] if time else [])]
    items = [it for it in scale.items if it in emp.columns]
    scored = emp[keys].join(respondent_scores(emp, {"score": items}, inst.reverse_map()))
    ex = _weighted_mean(scored, keys, "score", None).rename(
        columns={"mean": scale_name, "n": "n_employees"})
    weight = inst.weight if inst.weight and inst.weight in cus.columns else None
    cx = _weighted_mean(cus, keys, metric.column, weight).rename(
        columns={"mean": metric_name, "n": "n_customers"})
    data = ex.merge(cx, on=keys, how="inner").dropna(subset=[scale_name, metric_name])
    if len(data) < 3:
        return (f"fewer than 3 {unit_words(unit, time)} cells have both employees' and "
                "customers' answers")
    data = data.round(4)
    r = float(data[[metric_name, scale_name]].astype(float).corr().iloc[0, 1])
    cells = unit_words(unit, time)
    x_label, question = _metric_label(cus, metric_name, metric, known, "Mean answer to")
    y_label = f"{scale_name.capitalize()} score ({_range(scale.range)})"
    w_words = f", weighted by {weight}" if weight else ""
    direction = ("higher" if r > 0 else "lower") if np.isfinite(r) else "no clearer"
    caption = (f"Each point is one {cells} cell ({data_label}): the mean {scale_name} score of "
               f"its employees (mean of {len(items)} items on {_range(scale.range)}, "
               f"reverse-keyed items rescored) against its customers' mean answer to "
               f"{question}{w_words}; {len(data):,} cells, median "
               f"{data['n_employees'].median():g} employees and "
               f"{data['n_customers'].median():g} customers per cell; "
               f"correlation {r:.2f}. The spread around the trend includes survey noise.")
    alt = (f"A cloud of {len(data):,} points, one per {cells} cell ({data_label}): cells whose "
           f"customers give a higher mean {metric_name.upper()} answer have {direction} "
           f"{scale_name} scores, with wide scatter (r = {r:.2f}).")
    return DataFigure(
        "cell_means", "07_unit_period_means", data, metric_name, scale_name, x_label, y_label,
        f"{cells.capitalize()} means ({_short(data_label)}), r = {r:.2f}", caption,
        alt[:300], r,
        sentence=(f"{cells} means of {scale_name} against the mean {metric_name.upper()} answer "
                 f"({len(data):,} cells): correlation {r:.2f}"))


def _answers(study: Any, known: Mapping[str, str] | None, data_label: str
             ) -> DataFigure | str:
    inst = study.instrument
    cus = study.customers
    names = [n for n, m in inst.metrics.items() if m.column in cus.columns]
    if not names:
        return "the customers have none of the instrument's metrics"
    name = "nps" if "nps" in names else names[0]
    metric = inst.metrics[name]
    x = cus[metric.column].dropna().astype(float)
    lo, hi = metric.range
    points = np.arange(lo, hi + 1)
    counts = x.value_counts().reindex(points, fill_value=0)
    data = pd.DataFrame({"answer": points.astype(int), "answers": counts.to_numpy().astype(int)})
    data["share_pct"] = (100 * data["answers"] / data["answers"].sum()).round(2)
    x_label, question = _metric_label(cus, name, metric, known, "Answer to")
    n = int(data["answers"].sum())
    top = data.loc[data["answers"].idxmax()]
    extra = ""
    if name == "nps" and (lo, hi) == (0, 10):
        promoters = float((x >= 9).mean())
        detractors = float((x <= 6).mean())
        extra = (f"; promoters (9–10) {promoters:.1%}, detractors (0–6) {detractors:.1%}, NPS "
                 f"{100 * (promoters - detractors):.1f} (unweighted)")
    caption = (f"Share of the {n:,} answers to {question} at each point of "
               f"{_range(metric.range)} ({data_label}){extra}.")
    alt = (f"Bars, one per answer from {_num(lo)} to {_num(hi)} ({data_label}, {n:,} answers): "
           f"the most common answer is {int(top['answer'])}, given by {top['share_pct']:.1f}%"
           f"{extra.replace('; ', ', ', 1) if extra else ''}.")
    return DataFigure(
        "answers", "07_answer_distribution", data, "answer", "share_pct", x_label,
        "Share of answers (%)", f"{name.upper()} answers ({_short(data_label)})", caption,
        alt[:300],
        sentence=f"answers to {question}: {n:,}{extra}")


def _scores(study: Any, data_label: str) -> DataFigure | str:
    from cxresearch.studies.own_data_02_05 import respondent_scores

    inst = study.instrument
    emp = study.employees
    name = next((n for n, s in inst.scales.items() if any(it in emp.columns for it in s.items)),
                None)
    if name is None:
        return "the employees have none of the instrument's scale items"
    scale = inst.scales[name]
    items = [it for it in scale.items if it in emp.columns]
    score = respondent_scores(emp, {name: items}, inst.reverse_map())[name].dropna()
    step = 1 / len(items)
    lo, hi = scale.range
    edges = np.arange(lo - step / 2, hi + step, step)
    counts, edges = np.histogram(score.to_numpy(), bins=edges)
    data = pd.DataFrame({"score": ((edges[:-1] + edges[1:]) / 2).round(4),
                         "employees": counts.astype(int)})
    data = data[data["employees"] > 0].reset_index(drop=True)
    x_label = f"{name.capitalize()} score ({_range(scale.range)}, mean of {len(items)} items)"
    caption = (f"Distribution of the {name} score of {len(score):,} employees ({data_label}): "
               f"the mean of {len(items)} items on {_range(scale.range)}, reverse-keyed items "
               f"rescored, for those who answered at least half of them; mean "
               f"{score.mean():.2f}, median {score.median():.2f}.")
    alt = (f"Bars of {len(score):,} employees' {name} scores on {_range(scale.range)} "
           f"({data_label}): mean {score.mean():.2f}, middle half from "
           f"{score.quantile(0.25):.2f} to {score.quantile(0.75):.2f}.")
    return DataFigure(
        "scores", "07_score_distribution", data, "score", "employees", x_label, "Employees",
        f"{name.capitalize()} scores ({_short(data_label)})", caption, alt[:300],
        sentence=f"{name} scores of {len(score):,} employees: mean {score.mean():.2f}")


def data_figure(study: Any, *, data_label: str = "your data",
                known: Mapping[str, str] | None = None) -> DataFigure:
    """The figure of a study's data, chosen by what the tables hold.

    - employees and customers, both with the unit: the unit x period means of the
      instrument's first scale (reverse-keyed items rescored, a respondent scored when at
      least half of the items are answered) against the unit x period mean answer to its first
      metric (weighted by the instrument's weight when the customers have it), periods linked
      as :func:`cxresearch.linkage.units.align_periods` links them;
    - otherwise customers: the distribution of the answers to the NPS metric (else the first
      metric), with the shares of promoters and detractors for a 0-10 NPS;
    - otherwise employees: the distribution of the first scale's scores;
    - otherwise nothing (``kind == ""``), with the reason.

    Axis labels and captions use the export's question wording (``df.attrs["labels"]``), else
    ``known`` wording, else the column's name.

    Parameters
    ----------
    study : LoadedStudy
        The study read.
    data_label : str
        What the data are, in the caption and title ("your data", "synthetic data").
    known : mapping, optional
        Column -> question wording known without the export (the bundled study's).

    Returns
    -------
    DataFigure

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> from cxresearch.io.readers import load_study
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", strict=False,
    ...                tables=["customers", "employees"])
    >>> f = data_figure(s)
    >>> f.kind, f.name, len(f.data), f.x, f.y, round(f.r, 3)
    ('cell_means', '07_unit_period_means', 90, 'nps', 'culture', 0.305)
    >>> only = load_study(paths.TESTS_DIR / "data" / "customers_only", tables=["customers"],
    ...                   strict=False)
    >>> a = data_figure(only)
    >>> a.kind, int(a.data["answers"].sum()), a.x_label
    ('answers', 1715, 'Answer to NPS (nps, 0–10)')
    >>> print(textwrap.fill(a.instead, 90))
    the unit × period means of a scale against those of a metric need both employees and
    customers, but the data have no employees table read
    >>> print(textwrap.fill(a.caption, 90))
    Share of the 1,715 answers to NPS (nps) at each point of 0–10 (your data); promoters
    (9–10) 32.7%, detractors (0–6) 30.4%, NPS 2.3 (unweighted).
    """
    inst = study.instrument
    if inst is None:
        return DataFigure("", reason="the study has no instrument")
    why = []
    if study.employees is not None and study.customers is not None:
        out = _cell_means(study, known, data_label)
        if isinstance(out, DataFigure):
            return out
        why.append(out)
    else:
        absent = "customers" if study.customers is None else "employees"
        why.append(f"the data have no {absent} table read")
    instead = ("the unit × period means of a scale against those of a metric need both "
               f"employees and customers, but {why[0]}")
    if study.customers is not None:
        out = _answers(study, known, data_label)
        if isinstance(out, DataFigure):
            return dataclasses.replace(out, instead=instead)
        why.append(out)
    if study.employees is not None:
        out = _scores(study, data_label)
        if isinstance(out, DataFigure):
            return dataclasses.replace(out, instead=instead)
        why.append(out)
    if study.employees is None and study.customers is None:
        why = ["the data have no table of answers (customers or employees)"]
    return DataFigure("", reason="; ".join(why))


def draw_data_figure(figure: DataFigure, ax: Any) -> None:
    """Draw :func:`data_figure`'s plan on ``ax`` (points, or bars), labelled and titled."""
    d = figure.data
    if figure.kind == "cell_means":
        ax.scatter(d[figure.x], d[figure.y], s=8 if len(d) > 500 else 14,
                   alpha=0.35 if len(d) > 500 else 0.7)
    elif figure.kind in ("answers", "scores"):
        width = 0.8 if figure.kind == "answers" else float(
            np.diff(d["score"]).min() * 0.9) if len(d) > 1 else 0.2
        ax.bar(d[figure.x], d[figure.y], width=width)
        if figure.kind == "answers":
            ax.set_xticks(d[figure.x].tolist())
    else:
        raise DataError(f"draw_data_figure: nothing to draw ({figure.reason})")
    ax.set_xlabel(figure.x_label)
    ax.set_ylabel(_wrap(figure.y_label, 34))
    ax.set_title(figure.title)


# --------------------------------------------------------------------------- closing


def data_findings(*, study: Any, reliability: CellReliability | None,
                  missing: pd.DataFrame | None, figure: DataFigure | None,
                  readable: Readable | None = None, synthetic: bool = False) -> tuple[Any, ...]:
    """The closing sentences of notebook 07, generated from its tables.

    Parameters
    ----------
    study : LoadedStudy
        The study read.
    reliability : CellReliability, optional
        :func:`cell_reliability`'s result.
    missing : DataFrame, optional
        :func:`item_missingness`'s table.
    figure : DataFigure, optional
        :func:`data_figure`'s plan (its ``sentence``).
    readable : Readable, optional
        On a user's folder: the tables read and those that could not be.
    synthetic : bool
        The bundled synthetic study (adds what only its design explains: the customer effort
        question asked only after a service contact).

    Returns
    -------
    tuple of Finding
        Levels and checks (``claims_effect`` False: they describe the data).

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> from cxresearch.io.readers import load_study
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"],
    ...                strict=False)
    >>> f = data_findings(study=s, reliability=cell_reliability(s),
    ...                   missing=item_missingness(s), figure=None)
    >>> print(textwrap.fill(f[0].text, 90))
    **tables read**: customers 1,715 rows, units 30 rows; personal-data columns dropped when
    read: email, phone.
    >>> any(x.claims_effect for x in f)
    False
    """
    from cxresearch.report.conclusions import Finding

    out = []
    tables = study.tables()
    parts = [f"{name} {len(frame):,} rows" for name, frame in tables.items()]
    dropped = [d["column"] for r in study.reports.values() for d in r.get("dropped_pii", [])]
    excluded = sum(int(r.get("excluded_incomplete", 0) or 0) for r in study.reports.values())
    aside = sum(int(r.get("set_aside", 0) or 0) for r in study.reports.values())
    text = "**tables read**: " + ", ".join(parts)
    if not synthetic:
        extra = []
        if excluded:
            extra.append(f"{excluded:,} unfinished or preview responses excluded")
        if aside:
            extra.append(f"{aside:,} rows set aside for out-of-range or malformed answers")
        if dropped:
            extra.append("personal-data columns dropped when read: " + ", ".join(dropped))
        if readable is not None and readable.not_read:
            extra.append("not read: " + ", ".join(readable.not_read) + " (the reason is above)")
        text += ("; " + "; ".join(extra)) if extra else ""
    out.append(Finding(text + ".", False, kind="level"))
    if reliability is not None and len(reliability.table):
        t = reliability.table.set_index("item_set")
        cells = _and(list(dict.fromkeys(reliability.table["cells"])))
        low = list(t.index[~t["reliable"].astype(bool)])
        text = (f"**reliability of the {cells} means, ICC(2)**: "
                + (f"from {t['icc2'].min():.2f} ({t['icc2'].idxmin()}) to {t['icc2'].max():.2f} "
                   f"({t['icc2'].idxmax()})" if len(t) > 1 else
                   f"{t['icc2'].iloc[0]:.2f} ({t.index[0]})"))
        text += (f"; below {ICC2_RELIABLE:.2f}, so unreliable as means: {_and(low)}" if low
                 else f"; all at least {ICC2_RELIABLE:.2f}")
        out.append(Finding(text + ".", False, kind="check"))
    elif reliability is not None and reliability.reasons:
        out.append(Finding("**reliability of means by unit**: not computed, because "
                           + "; ".join(reliability.reasons) + ".", False, kind="check"))
    if missing is not None and len(missing):
        m = missing.set_index("label")["share_missing"].astype(float)
        if m.max() == m.min():
            text = (f"**missing answers**: {m.max():.1%} of the answers to "
                    + (_and(list(m.index)) if len(m) <= 3 else f"each of the {len(m)} items"))
        else:
            text = (f"**missing answers**: from {m.min():.1%} ({m.idxmin()}) to {m.max():.1%} "
                    f"({m.idxmax()}) of the answers per item")
        ces = study.instrument.metrics.get("ces") if study.instrument is not None else None
        if synthetic and ces is not None and m.idxmax() in (ces.column, f"CES ({ces.column})"):
            text += (", counting customers never asked the customer effort score (only those "
                     "who contacted service are)")
        out.append(Finding(text + ".", False, kind="level"))
    if figure is not None and figure.kind and figure.sentence:
        text = figure.sentence
        if figure.kind == "cell_means":
            text += " (a description of these cells, not a tested association; notebook 05 " \
                    "tests the link)"
        head, _, rest = text.partition(":")
        out.append(Finding(f"**{head}**:{rest}." if rest else f"**{head}**.", False,
                           kind="level"))
    return tuple(out)
