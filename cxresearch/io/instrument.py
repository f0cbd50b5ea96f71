"""Your own instrument: the structure of a survey, declared once in ``instrument.yml``.

The notebooks need to know what a survey measures and how its answers are nested; the bundled
study says so in :mod:`cxresearch.core.contract`, a user's survey in an ``instrument.yml`` next to
its
data (or ``-p instrument=PATH``). The public format::

    unit: store_id            # what answers are nested in: firm, store, branch, team
    time: wave                # optional: the period column of every table, or one per table
    weight: w                 # optional survey weight column
    scales:                   # multi-item scales (02, 05)
      culture:    {items: [c1, c2, c3, c4], range: [1, 7], reverse: [c3]}
      engagement: {items: [e1, e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12], range: [1, 5]}
    metrics:                  # single-question customer metrics (01)
      nps:  {column: ltr, range: [0, 10]}
      csat: {column: sat, range: [1, 5]}
      ces:  {column: effort, range: [1, 7]}
    drivers:                  # key-driver analysis (04)
      outcome: sat
      items: [d1, d2, d3, d4, d5, d6, d7, d8]
    segments: [region, channel]
    population: population.csv  # optional: the customer base's margins, for weighting (12)

Rules for the file (each broken rule is an :class:`InstrumentError` naming the file and the key
path, e.g. ``instrument.yml: scales.culture.reverse: 'c9' is not one of the scale's items [c1,
c2, c3, c4]``; every problem in the file is reported at once):

- only the keys above; ``unit`` is required, and at least one of ``scales``, ``metrics``,
  ``drivers``;
- column names are text (quote names YAML would read as numbers or yes/no: ``"1"``,
  ``"no"``);
- ``time`` is one column for every table (``time: wave``), or a mapping from the tables
  :data:`TIME_TABLES` to each one's period column (``time: {customers: month, employees:
  quarter, outcomes: month}``; a table left out has no period); see "Periods that differ by
  table" below;
- a scale has ``items`` (one or more, no repeats), ``range: [low, high]`` (two numbers,
  low < high) and optionally ``reverse`` (items of that scale, scored ``low + high - x``); an
  item belongs to one scale;
- ``metrics`` are named ``nps``, ``csat`` or ``ces`` -- the three single-question metrics
  notebook 01 computes -- each with a ``column`` and a ``range``; NPS is defined on 0..10,
  so its range must be ``[0, 10]``; two metrics cannot share a column, and a metric's column
  is not a scale item;
- ``drivers`` has an ``outcome`` column and two or more ``items`` (not the outcome), and an
  optional ``range`` of the items (for importance-performance maps). The outcome may be a
  metric's column (``outcome: sat``) and the items may be scale items;
- ``unit``, ``time``, ``weight`` and ``segments`` are distinct columns, none of them an item,
  a metric's column or a driver (the tables' period columns may share a name);
- ``population`` is the path of a CSV file (relative to the instrument file's folder) of the
  customer base's margins, read by :func:`read_population`: columns ``variable`` (a column of
  the customers, e.g. ``region``), ``category`` (one of its values) and ``count`` (customers)
  or ``share`` (of the customers; each variable's shares sum to 1). Notebook 12 rakes the
  answers to these margins; a problem with it leaves out only the weighting.

A problem confined to one section -- ``drivers``, ``segments``, ``population``, one scale
(``scales.culture``) or one metric (``metrics.csat``) -- need not stop everything. Read with
``strict=False`` (as :func:`cxresearch.io.readers.load_study`,
:func:`cxresearch.linkage.units.load_linkage_study` and ``python -m cxresearch check`` read a
folder's file) the section is left out and its
problems are kept in ``Instrument.section_problems`` (:meth:`Instrument.problem`); only the
notebooks and sections that use it stop, with the problem as the reason (a drivers typo stops
notebook 04, not 01, 02 or 05). A file that is not YAML, a problem with ``unit``, ``time`` or
``weight``, an unknown key, or nothing usable left always raise.

Periods that differ by table
----------------------------
Each table is read and checked with its own period column (:meth:`Instrument.time_of`);
``Instrument.time`` and ``LoadedStudy.time`` are the customers' period. Where tables are joined
by unit and period (notebook 05: :func:`cxresearch.linkage.units.load_linkage_study`,
``unit_panel``, ``aggregation_checks``) they are linked at the coarsest period among them
(:func:`cxresearch.linkage.units.align_periods`):

1. a period column's kind is read from its values: dates (``2024-01-15``, or a date column)
   are days, ``2024-01`` months, ``2024Q1`` (or ``2024-Q1``) quarters, ``2024`` (or a whole
   number from 1000 to 9999) years; anything else (wave numbers 1, 2, 3; ``spring``) is a
   label;
2. tables with the same period column holding the same kind are joined on its values as they
   are (the single ``time: wave`` form);
3. otherwise the link is at the coarsest kind among the tables, in the column of the first
   table (customers, employees, outcomes) that holds it; every finer period is mapped to the
   period containing it (``2024-02`` -> ``2024Q1`` -> ``2024``, pandas ``Period.asfreq``),
   written as pandas writes it (``2024Q1``);
4. a table without a period makes the link by unit alone (every period pooled);
5. labels cannot be mapped: a table holding a column named like the linking column (besides
   its own period) is linked by that column, so a table of labels is linked once it carries
   the coarser period itself (e.g. a ``quarter`` column added to the customers); without one,
   the linkage stops with a :class:`~cxresearch.core.validation.DataError` naming the tables,
   their period columns and this fix;
6. EX and CX are averaged per unit and linking period, and the outcomes' numeric columns are
   averaged per unit and linking period when their own periods are finer (three monthly
   figures give the quarter's mean).

:func:`validate_data` then checks a table against the instrument: every column it names is there
(or a close match is suggested), answers are numbers within their ranges, the unit is never
missing and weights are not negative.

Example
-------
>>> inst = Instrument.from_dict({
...     "unit": "store_id",
...     "scales": {"culture": {"items": ["c1", "c2", "c3"], "range": [1, 7], "reverse": ["c3"]}},
...     "metrics": {"nps": {"column": "ltr", "range": [0, 10]}},
... })
>>> inst.reverse_map(), inst.columns("customers")
({'c3': (1, 7)}, ('store_id', 'ltr'))
>>> Instrument.from_dict({"unit": "store_id", "scales": {"culture": {
...     "items": ["c1", "c2"], "range": [1, 7], "reverse": ["c9"]}}}, source="instrument.yml")
Traceback (most recent call last):
...
cxresearch.io.instrument.InstrumentError: instrument.yml: scales.culture.reverse: 'c9' is not one
    of the scale's items [c1, c2]
"""

from __future__ import annotations

import difflib
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, require_frame

__all__ = [
    "INSTRUMENT_FILES",
    "METRICS",
    "TIME_TABLES",
    "Drivers",
    "Instrument",
    "InstrumentDataError",
    "InstrumentError",
    "Metric",
    "Scale",
    "find_instrument",
    "read_population",
    "validate_data",
]

#: the file names :func:`find_instrument` looks for in a data folder
INSTRUMENT_FILES: tuple[str, ...] = ("instrument.yml", "instrument.yaml")
#: the metric names an instrument may declare, with the range each requires (None: any)
METRICS: dict[str, tuple[float, float] | None] = {"nps": (0, 10), "csat": None, "ces": None}
_TOP_KEYS: tuple[str, ...] = ("unit", "time", "weight", "scales", "metrics", "drivers",
                              "segments", "population")
_TABLES: tuple[str | None, ...] = ("customers", "employees", None)
#: the tables ``time:`` may name one by one (``time: {customers: month, employees: quarter}``)
TIME_TABLES: tuple[str, ...] = ("customers", "employees", "outcomes")
_MAX_ROWS_SHOWN = 5


class InstrumentError(DataError):
    """A bad instrument file: the message names the file and the key path of each problem.

    Parameters
    ----------
    message : str
        The whole message.
    problems : sequence of str, optional
        The problems one by one (``"scales.culture.range: [7, 1] is inverted ..."``); default
        ``[message]``.

    Examples
    --------
    >>> try:
    ...     Instrument.from_dict({"time": "year"})
    ... except InstrumentError as e:
    ...     print(len(e.problems) >= 1, isinstance(e, ValueError))
    True True
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems) if problems else [message]


class InstrumentDataError(DataError):
    """Data that do not fit the instrument; ``problems`` lists one message per column and rule.

    Parameters
    ----------
    message : str
        The whole message.
    problems : sequence of str, optional
        One message per column and rule; default ``[message]``.

    Examples
    --------
    >>> e = InstrumentDataError("data: 1 problem", ["column 'sat': ..."])
    >>> e.problems, isinstance(e, ValueError)
    (["column 'sat': ..."], True)
    """

    def __init__(self, message: str, problems: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems) if problems else [message]


def _flow(items: Sequence[Any]) -> str:
    """``[c1, c2]``: a list as YAML would show it."""
    return "[" + ", ".join(str(i) for i in items) + "]"


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


@dataclass(frozen=True)
class Scale:
    """A multi-item scale: its items, their answer range and the reverse-keyed items.

    Parameters
    ----------
    items : tuple of str
        The item columns.
    range : tuple of float
        The answer range (low, high).
    reverse : tuple of str
        The reverse-keyed items.

    Examples
    --------
    >>> Instrument.bundled().scales["culture"].reverse
    ('culture_4',)
    """

    items: tuple[str, ...]
    range: tuple[float, float]
    reverse: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    """A single-question metric: the column holding it and its answer range.

    Parameters
    ----------
    column : str
        The column.
    range : tuple of float
        The answer range (low, high).

    Examples
    --------
    >>> Instrument.bundled().metrics["nps"]
    Metric(column='nps', range=(0, 10))
    """

    column: str
    range: tuple[float, float]


@dataclass(frozen=True)
class Drivers:
    """Key-driver analysis: the outcome column and the driver items (optional item range).

    Parameters
    ----------
    outcome : str
        The outcome column.
    items : tuple of str
        The driver items.
    range : tuple of float, optional
        The items' answer range.

    Examples
    --------
    >>> Drivers("overall", ("price", "speed")).items
    ('price', 'speed')
    """

    outcome: str
    items: tuple[str, ...]
    range: tuple[float, float] | None = None


# -- parsing with every problem collected ----------------------------------------------------


class _Parser:
    def __init__(self) -> None:
        #: (section, problem): section None for a problem that makes the file unusable, else
        #: the part of the file it is confined to (see :data:`SECTIONS`)
        self.found: list[tuple[str | None, str]] = []
        self.section: str | None = None

    @property
    def problems(self) -> list[str]:
        return [text for _, text in self.found]

    def fatal(self, msg: str) -> None:
        self.found.append((None, msg))

    def fail(self, path: str, msg: str) -> None:
        self.found.append((self.section, f"{path}: {msg}"))

    def column(self, value: Any, path: str, required: bool = True) -> str | None:
        if value is None:
            if required:
                self.fail(path, "is required (a column name)")
            return None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, bool | numbers.Number):
            self.fail(path, f"must be a column name (text), got {value!r} "
                            f"({type(value).__name__}); quote it in the file: \"{value}\"")
        else:
            self.fail(path, f"must be a column name (text), got {type(value).__name__} "
                            f"{value!r}")
        return None

    def columns(self, value: Any, path: str, minimum: int = 1) -> tuple[str, ...]:
        if value is None:
            self.fail(path, "is required (a list of column names)")
            return ()
        if isinstance(value, str) or not isinstance(value, list):
            self.fail(path, f"must be a list of column names, e.g. [c1, c2], got "
                            f"{type(value).__name__} {value!r}")
            return ()
        out = []
        for k, v in enumerate(value):
            name = self.column(v, f"{path}[{k}]")
            if name is not None:
                out.append(name)
        dup = sorted({c for c in out if out.count(c) > 1})
        if dup:
            self.fail(path, f"{', '.join(repr(c) for c in dup)} listed more than once")
        if len(value) < minimum:
            self.fail(path, f"needs at least {minimum} column(s), got {len(value)}")
        return tuple(dict.fromkeys(out))

    def range(self, value: Any, path: str) -> tuple[float, float] | None:
        if value is None:
            self.fail(path, "is required: [low, high], e.g. [1, 5]")
            return None
        ok = (isinstance(value, list | tuple) and len(value) == 2
              and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value))
        if not ok:
            self.fail(path, f"must be two numbers [low, high], e.g. [1, 5], got {value!r}")
            return None
        lo, hi = (_num(v) for v in value)
        if not (np.isfinite(lo) and np.isfinite(hi)):
            self.fail(path, f"must be two finite numbers, got {_flow(value)}")
            return None
        if lo >= hi:
            self.fail(path, f"{_flow(value)} is inverted; give [low, high] with low < high, "
                            f"e.g. {_flow([hi, lo])}"
                      if lo > hi else f"{_flow(value)} is empty; low must be below high")
            return None
        return lo, hi

    def mapping(self, value: Any, path: str, keys: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, f"must be a mapping with keys {_flow(keys)}, got "
                            f"{type(value).__name__} {value!r}")
            return None
        for k in value:
            if k not in keys:
                close = difflib.get_close_matches(str(k), list(keys), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.fail(path, f"unknown key {k!r}{hint} (allowed: {_flow(keys)})")
        return dict(value)


def _section_of(path: str) -> str | None:
    """The section a key path belongs to (``scales.culture``, ``drivers``), None for the rest."""
    head, _, rest = path.partition(".")
    head = head.split("[")[0]
    if head in ("drivers", "segments", "population"):
        return head
    if head in ("scales", "metrics"):
        return f"{head}.{rest.split('.')[0]}" if rest else head
    return None


def _parse_time(p: _Parser, value: Any) -> tuple[str | None, dict[str, str]]:
    """``time: wave`` (every table) or ``time: {customers: month, employees: quarter}``."""
    if not isinstance(value, Mapping):
        return p.column(value, "time", required=False), {}
    by_table: dict[str, str] = {}
    for table, col in value.items():
        if table not in TIME_TABLES:
            close = difflib.get_close_matches(str(table), list(TIME_TABLES), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.fail("time", f"unknown table {table!r}{hint} (a period column per table: "
                           f"{_flow(TIME_TABLES)})")
            continue
        name = p.column(col, f"time.{table}")
        if name is not None:
            by_table[table] = name
    if not value:
        p.fail("time", "an empty mapping: give each table's period column, e.g. {customers: "
                       "month, employees: quarter}, or one column for every table (time: wave)")
    return by_table.get("customers"), by_table


def _parse(d: Any) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    """The instrument's fields with every broken section left out, and every problem found as
    ``(section, text)`` (section None: the file cannot be used)."""
    p = _Parser()
    if not isinstance(d, Mapping):
        what = "nothing" if d is None else type(d).__name__
        p.fatal(f"the file must be a mapping of keys {_flow(_TOP_KEYS)}, got {what}")
        return {}, p.found
    for k in d:
        if k not in _TOP_KEYS:
            close = difflib.get_close_matches(str(k), list(_TOP_KEYS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.fatal(f"unknown key {k!r}{hint} (allowed: {_flow(_TOP_KEYS)})")
    time, time_by_table = _parse_time(p, d.get("time"))
    out: dict[str, Any] = {
        "unit": p.column(d.get("unit"), "unit"),
        "time": time,
        "time_by_table": time_by_table,
        "weight": p.column(d.get("weight"), "weight", required=False),
    }
    # scales
    scales: dict[str, Scale] = {}
    raw_scales = d.get("scales") or {}
    if not isinstance(raw_scales, Mapping):
        p.section = "scales"
        p.fail("scales", f"must be a mapping of scale names to {{items, range, reverse}}, got "
                         f"{type(raw_scales).__name__}")
        raw_scales = {}
    owner: dict[str, str] = {}
    for name, spec in raw_scales.items():
        path = f"scales.{name}"
        p.section = path
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            p.fail(path, "a scale's name must be a word (letters, digits, _)")
            continue
        m = p.mapping(spec, path, ("items", "range", "reverse"))
        if m is None:
            continue
        items = p.columns(m.get("items"), f"{path}.items")
        rng = p.range(m.get("range"), f"{path}.range")
        reverse: tuple[str, ...] = ()
        if m.get("reverse") is not None:
            reverse = p.columns(m.get("reverse"), f"{path}.reverse", minimum=0)
            for r in reverse:
                if items and r not in items:
                    p.fail(f"{path}.reverse", f"{r!r} is not one of the scale's items "
                                              f"{_flow(items)}")
        for it in items:
            if it in owner:
                p.fail(f"{path}.items", f"{it!r} is also an item of scale {owner[it]!r}; an "
                                        "item belongs to one scale")
            else:
                owner[it] = name
        if items and rng is not None:
            scales[name] = Scale(items, rng, tuple(r for r in reverse if r in items))
    # metrics
    metrics: dict[str, Metric] = {}
    raw_metrics = d.get("metrics") or {}
    if not isinstance(raw_metrics, Mapping):
        p.section = "metrics"
        p.fail("metrics", f"must be a mapping of metric names ({_flow(METRICS)}) to "
                          f"{{column, range}}, got {type(raw_metrics).__name__}")
        raw_metrics = {}
    metric_of: dict[str, str] = {}
    for name, spec in raw_metrics.items():
        path = f"metrics.{name}"
        p.section = path
        if name not in METRICS:
            close = difflib.get_close_matches(str(name), list(METRICS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.fail(path, f"unknown metric {name!r}{hint}; an instrument declares the "
                         f"single-question metrics {_flow(METRICS)} (other questions need no "
                         "declaration: they are columns of the data)")
            continue
        m = p.mapping(spec, path, ("column", "range"))
        if m is None:
            continue
        col = p.column(m.get("column"), f"{path}.column")
        rng = p.range(m.get("range"), f"{path}.range")
        need = METRICS[name]
        if rng is not None and need is not None and tuple(rng) != need:
            p.fail(f"{path}.range", f"{_flow(rng)}: {name.upper()} is defined on "
                                    f"{_flow([_num(v) for v in need])} (0-6 detractors, 9-10 "
                                    "promoters); recode the answers to 0..10 first")
            rng = None
        if col is not None:
            if col in metric_of:
                p.fail(f"{path}.column", f"{col!r} is also the column of metric "
                                         f"{metric_of[col]!r}")
            metric_of[col] = name
            if col in owner:
                p.fail(f"{path}.column", f"{col!r} is an item of scale {owner[col]!r}; a "
                                         "single-question metric is not a scale item")
        if col is not None and rng is not None:
            metrics[name] = Metric(col, rng)
    # drivers
    p.section = "drivers"
    drivers = None
    if d.get("drivers") is not None:
        m = p.mapping(d["drivers"], "drivers", ("outcome", "items", "range"))
        if m is not None:
            outcome = p.column(m.get("outcome"), "drivers.outcome")
            items = p.columns(m.get("items"), "drivers.items", minimum=2)
            rng = p.range(m["range"], "drivers.range") if m.get("range") is not None else None
            if outcome is not None and outcome in items:
                p.fail("drivers.items", f"{outcome!r} is the outcome; a driver cannot explain "
                                        "itself")
            if outcome is not None and len(items) >= 2:
                drivers = Drivers(outcome, items, rng)
    # segments
    p.section = "segments"
    segments: tuple[str, ...] = ()
    if d.get("segments") is not None:
        segments = p.columns(d.get("segments"), "segments", minimum=0)
    # population: a CSV of the customer base's margins (read when used: read_population)
    p.section = "population"
    population = None
    raw_pop = d.get("population")
    if raw_pop is not None:
        if isinstance(raw_pop, str) and raw_pop.strip():
            population = raw_pop.strip()
            if not population.lower().endswith(".csv"):
                p.fail("population", f"{population!r} must be a .csv file of margins (columns "
                                     "variable, category, and count or share)")
                population = None
        else:
            p.fail("population", f"must be the path of a CSV file of margins (columns variable, "
                                 f"category, and count or share), got {type(raw_pop).__name__} "
                                 f"{raw_pop!r}")
    # roles
    answer_cols = {**{it: f"an item of scale {s!r}" for it, s in owner.items()},
                   **{c: f"the column of metric {n!r}" for c, n in metric_of.items()}}
    if drivers is not None:
        answer_cols.setdefault(drivers.outcome, "the drivers' outcome")
        for it in drivers.items:
            answer_cols.setdefault(it, "a driver")
    design = [("unit", out["unit"])] if out["unit"] is not None else []
    design += ([(f"time.{t}", c) for t, c in time_by_table.items()] if time_by_table
               else [("time", time)] if time is not None else [])
    design += [("weight", out["weight"])] if out["weight"] is not None else []
    design += [(f"segments[{i}]", s) for i, s in enumerate(segments)]
    seen: dict[str, str] = {}
    for path, col in design:
        p.section = "segments" if path.startswith("segments") else None
        if col in seen:
            if not (path.startswith("time") and seen[col].startswith("time")):
                p.fail(path, f"{col!r} is also {seen[col]}")
        elif col in answer_cols:
            p.fail(path, f"{col!r} is also {answer_cols[col]}")
        seen.setdefault(col, path.split("[")[0] if path.startswith("segments") else path)
    # a broken section is left out (its problems say why)
    broken = {s for s, _ in p.found if s is not None}
    out["scales"] = {n: s for n, s in scales.items()
                     if "scales" not in broken and f"scales.{n}" not in broken}
    out["metrics"] = {n: m for n, m in metrics.items()
                      if "metrics" not in broken and f"metrics.{n}" not in broken}
    out["drivers"] = None if "drivers" in broken else drivers
    out["segments"] = () if "segments" in broken else segments
    out["population"] = None if "population" in broken else population
    if not p.found and not (scales or metrics or drivers):
        p.fatal("declares nothing to analyse: give at least one of scales, metrics or drivers")
    return out, p.found


# -- the instrument ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument(Result):
    """The structure of a survey: nesting unit, time, weight, scales, metrics, drivers, segments.

    Build it with :meth:`read` (a YAML file), :meth:`from_dict` or :meth:`bundled`; each
    validates (see the module docstring) and raises :class:`InstrumentError`; with
    ``strict=False`` a problem confined to one section leaves that section out and is kept in
    ``section_problems`` instead.

    Parameters
    ----------
    unit : str
        The column answers are nested in (``firm_id``, ``store_id``).
    time : str, optional
        The period column: of every table (``time: wave``), or of the customers when
        ``time_by_table`` is given (``time_by_table["customers"]``).
    weight : str, optional
        The survey-weight column.
    scales : dict of str to Scale
        Multi-item scales by name.
    metrics : dict of str to Metric
        Single-question metrics by name (``nps``, ``csat``, ``ces``).
    drivers : Drivers, optional
        The key-driver analysis.
    segments : tuple of str
        Reporting segments.
    source : str
        Where the instrument came from, for messages.
    time_by_table : dict of str to str
        Each table's period column (``{"customers": "month", "employees": "quarter"}``) when
        the file gives ``time:`` table by table (:data:`TIME_TABLES`); empty when one ``time``
        holds for every table. A table left out has no period. See :meth:`time_of`.
    section_problems : dict of str to list of str
        The sections left out because of a problem confined to them (``"drivers"``,
        ``"segments"``, ``"scales.culture"``, ``"metrics.csat"``), with the problems; empty
        unless read with ``strict=False``. See :meth:`problem`.
    population : str, optional
        The CSV of the customer base's margins, as the file gives it (relative to the
        instrument's folder; :meth:`population_path`, :meth:`population_margins`).
    base_dir : str, optional
        The folder of the instrument file (set by :meth:`read`): where ``population`` is found.

    Examples
    --------
    >>> inst = Instrument.from_dict({"unit": "store_id", "time": "wave",
    ...                              "metrics": {"nps": {"column": "ltr", "range": [0, 10]}}})
    >>> inst.unit, inst.metric_columns(), inst.time_of("employees")
    ('store_id', {'nps': 'ltr'}, 'wave')
    >>> monthly = Instrument.from_dict({"unit": "store_id", "time": {
    ...     "customers": "month", "employees": "quarter"},
    ...     "metrics": {"nps": {"column": "ltr", "range": [0, 10]}}})
    >>> monthly.time, monthly.time_of("employees"), monthly.time_of("outcomes")
    ('month', 'quarter', None)
    """

    unit: str
    time: str | None = None
    weight: str | None = None
    scales: dict[str, Scale] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    drivers: Drivers | None = None
    segments: tuple[str, ...] = ()
    source: str = field(default="instrument", compare=False)
    time_by_table: dict[str, str] = field(default_factory=dict)
    section_problems: dict[str, list[str]] = field(default_factory=dict, compare=False)
    population: str | None = None
    base_dir: str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        unknown = [t for t in self.time_by_table if t not in TIME_TABLES]
        if unknown:
            raise DataError(f"argument 'time_by_table': unknown table(s) {unknown}; use "
                            f"{list(TIME_TABLES)}")
        if self.time_by_table and self.time != self.time_by_table.get("customers"):
            raise DataError(f"argument 'time': {self.time!r} must be the customers' period "
                            f"time_by_table['customers'] "
                            f"({self.time_by_table.get('customers')!r})")

    # construction ------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "instrument", *,
                  strict: bool = True) -> Instrument:
        """Validate a parsed instrument (the YAML's mapping) and build it.

        ``source`` names it in messages (the file name). Every problem is reported at once.

        Parameters
        ----------
        d : mapping
            The file's keys (see the module docstring).
        source : str
            The file name, for messages.
        strict : bool, default True
            Raise on any problem. ``False``: a problem confined to one section (``drivers``,
            ``segments``, one scale, one metric) leaves that section out and is kept in
            ``section_problems``; problems elsewhere (``unit``, ``time``, ``weight``, unknown
            keys), or nothing usable left to analyse, still raise.

        Returns
        -------
        Instrument

        Raises
        ------
        InstrumentError
            Naming the file and the key path of every problem.

        Examples
        --------
        >>> Instrument.from_dict({"unit": "team", "scales": {"culture": {
        ...     "items": ["c1", "c2"], "range": [7, 1]}}}, source="instrument.yml")
        Traceback (most recent call last):
        ...
        cxresearch.io.instrument.InstrumentError: instrument.yml: scales.culture.range: [7, 1] is
            inverted; give [low, high] with low < high, e.g. [1, 7]
        >>> inst = Instrument.from_dict({"unit": "team", "metrics": {
        ...     "csat": {"column": "sat", "range": [1, 5]}},
        ...     "drivers": {"outcome": "sat"}}, source="instrument.yml", strict=False)
        >>> inst.drivers is None, inst.problem("drivers")
        (True, 'instrument.yml: drivers.items: is required (a list of column names)')
        """
        parsed, found = _parse(d)
        problems = [text for _, text in found]
        if found and (strict or any(section is None for section, _ in found)):
            raise InstrumentError(f"{source}: " + "; ".join(problems), problems)
        if found and not (parsed["scales"] or parsed["metrics"] or parsed["drivers"]):
            problems.append("nothing to analyse is left: the scales, metrics and drivers above "
                            "cannot be used")
            raise InstrumentError(f"{source}: " + "; ".join(problems), problems)
        broken: dict[str, list[str]] = {}
        for section, text in found:
            assert section is not None
            broken.setdefault(section, []).append(text)
        return cls(source=source, section_problems=broken, **parsed)

    @classmethod
    def read(cls, path: str | Path, *, strict: bool = True) -> Instrument:
        """Read and validate an ``instrument.yml`` (YAML, read with ``yaml.safe_load``).

        Parameters
        ----------
        path : str or pathlib.Path
            The file.
        strict : bool, default True
            As in :meth:`from_dict`: ``False`` leaves a broken ``drivers``, ``segments``,
            scale or metric out and records why in ``section_problems`` (what
            :func:`cxresearch.io.readers.load_study` and ``python -m cxresearch check`` do, so
            that a typo in one section blocks only the notebooks that use it). A file that is
            not YAML, a bad ``unit``/``time``/``weight`` or an unknown key always raise.

        Returns
        -------
        Instrument

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "instrument.yml"
        >>> _ = p.write_text("unit: store_id\\nmetrics:\\n  csat: {column: sat, range: [1, 5]}\\n"
        ...                  "drivers: {outcome: sat, items: [d1, d1]}\\n")
        >>> Instrument.read(p).metrics["csat"]
        Traceback (most recent call last):
        ...
        cxresearch.io.instrument.InstrumentError: instrument.yml: drivers.items: 'd1' listed more
            than once
        >>> inst = Instrument.read(p, strict=False)
        >>> inst.metrics["csat"], list(inst.section_problems)
        (Metric(column='sat', range=(1, 5)), ['drivers'])
        """
        import yaml

        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"argument 'path': no such instrument file {str(p)!r}")
        try:
            d = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InstrumentError(f"{p.name}: not valid YAML: {where}{problem}") from None
        except UnicodeDecodeError as exc:
            raise InstrumentError(f"{p.name}: not UTF-8 text ({exc.reason})") from None
        import dataclasses

        inst = cls.from_dict(d, source=p.name, strict=strict)
        return dataclasses.replace(inst, base_dir=str(p.resolve().parent))

    @classmethod
    def bundled(cls) -> Instrument:
        """The bundled synthetic study's instrument, from :mod:`cxresearch.core.contract`.

        Answers are nested in firms (``firm_id``) and years (``year``); the employee survey
        has the culture (reverse-keyed ``culture_4``) and engagement scales, the customer
        survey NPS, CSAT and CES; segments are the firms' industry, size band and CX owner
        (columns of ``firms``, the unit's table). No driver items: notebook 04 runs its
        key-driver analysis on the ECSI data, which have their own items.

        >>> b = Instrument.bundled()
        >>> b.scale_items("culture")[:2], b.reverse_map(), b.metrics["nps"].range
        (('culture_1', 'culture_2'), {'culture_4': (1, 5)}, (0, 10))
        """
        from cxresearch.core.contract import (
            CULTURE_ITEMS,
            ENGAGEMENT_ITEMS,
            ITEM_RANGES,
            REVERSE_KEYED,
        )

        def scale(items: tuple[str, ...]) -> dict[str, Any]:
            return {"items": list(items), "range": list(ITEM_RANGES[items[0]]),
                    "reverse": [c for c in REVERSE_KEYED if c in items]}

        return cls.from_dict(
            {
                "unit": "firm_id",
                "time": "year",
                "scales": {"culture": scale(CULTURE_ITEMS),
                           "engagement": scale(ENGAGEMENT_ITEMS)},
                "metrics": {m: {"column": m, "range": list(ITEM_RANGES[m])}
                            for m in ("nps", "csat", "ces")},
                "segments": ["industry", "size_band", "cx_owner"],
            },
            source="bundled instrument",
        )

    def is_bundled_design(self) -> bool:
        """True when this instrument describes the bundled study's design.

        The same unit, time, scales and metrics as :meth:`bundled` (answers nested in firms and
        years, the culture and engagement items, NPS, CSAT and CES): the contract then checks
        those columns, as it always has.

        Returns
        -------
        bool

        Examples
        --------
        >>> Instrument.bundled().is_bundled_design()
        True
        """
        b = Instrument.bundled()
        return (self.unit, self.time, self.time_by_table, self.scales, self.metrics) == (
            b.unit, b.time, b.time_by_table, b.scales, b.metrics)

    # views -------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The instrument in the file's format (a plain dict; optional keys left out, and the
        sections left out by ``strict=False`` too).

        Returns
        -------
        dict
            ``time`` is a column name, or a mapping ``{table: column}`` when the periods differ
            by table.

        Examples
        --------
        >>> Instrument.from_dict({"unit": "team", "time": {"customers": "month",
        ...     "employees": "quarter"}, "metrics": {"ces": {"column": "effort",
        ...     "range": [1, 7]}}}).to_dict()["time"]
        {'customers': 'month', 'employees': 'quarter'}
        """
        d: dict[str, Any] = {"unit": self.unit}
        if self.time_by_table:
            d["time"] = dict(self.time_by_table)
        elif self.time is not None:
            d["time"] = self.time
        if self.weight is not None:
            d["weight"] = self.weight
        if self.scales:
            d["scales"] = {}
            for name, s in self.scales.items():
                spec: dict[str, Any] = {"items": list(s.items),
                                        "range": [_num(v) for v in s.range]}
                if s.reverse:
                    spec["reverse"] = list(s.reverse)
                d["scales"][name] = spec
        if self.metrics:
            d["metrics"] = {n: {"column": m.column, "range": [_num(v) for v in m.range]}
                            for n, m in self.metrics.items()}
        if self.drivers is not None:
            d["drivers"] = {"outcome": self.drivers.outcome, "items": list(self.drivers.items)}
            if self.drivers.range is not None:
                d["drivers"]["range"] = [_num(v) for v in self.drivers.range]
        if self.segments:
            d["segments"] = list(self.segments)
        if self.population is not None:
            d["population"] = self.population
        return d

    def to_yaml(self, header: str | None = None) -> str:
        """The instrument as ``instrument.yml`` text (reads back to an equal instrument).

        >>> print(Instrument.from_dict({"unit": "team", "metrics": {
        ...     "ces": {"column": "effort", "range": [1, 7]}}}).to_yaml().strip())
        unit: team
        metrics:
          ces:
            column: effort
            range: [1, 7]
        """
        import yaml

        text = yaml.safe_dump(self.to_dict(), sort_keys=False, default_flow_style=None,
                              allow_unicode=True, width=100)
        if header:
            text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) \
                + text
        return text

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per column the instrument names (role, name, column, low, high,
        reverse, key path)."""
        rows = [{"role": role, "name": name, "column": col, "low": rng[0] if rng else np.nan,
                 "high": rng[1] if rng else np.nan, "reverse": rev, "key": key}
                for role, name, col, rng, rev, key in self._roles()]
        return pd.DataFrame(rows, columns=["role", "name", "column", "low", "high", "reverse",
                                           "key"])

    def summary(self) -> str:
        """One line: unit, time, scales, metrics, drivers, segments."""
        parts = [f"unit {self.unit}"]
        if self.time_by_table:
            parts.append("time " + ", ".join(f"{t} {c}" for t, c in self.time_by_table.items()))
        elif self.time:
            parts.append(f"time {self.time}")
        if self.weight:
            parts.append(f"weight {self.weight}")
        parts += [f"scale {n} ({len(s.items)} items, {_num(s.range[0])}..{_num(s.range[1])}"
                  + (f", reverse {_flow(s.reverse)}" if s.reverse else "") + ")"
                  for n, s in self.scales.items()]
        parts += [f"{n} = {m.column} ({_num(m.range[0])}..{_num(m.range[1])})"
                  for n, m in self.metrics.items()]
        if self.drivers:
            parts.append(f"drivers of {self.drivers.outcome}: {len(self.drivers.items)} items")
        if self.segments:
            parts.append(f"segments {_flow(self.segments)}")
        if self.population:
            parts.append(f"population {self.population}")
        if self.section_problems:
            parts.append(f"left out (problems): {', '.join(self.section_problems)}")
        return f"{self.source}: " + "; ".join(parts)

    def _roles(self) -> list[tuple[str, str, str, tuple[float, float] | None, bool, str]]:
        """(role, name, column, range, reverse?, key path) for every column named."""
        out: list[tuple[str, str, str, tuple[float, float] | None, bool, str]] = [
            ("unit", "unit", self.unit, None, False, "unit")]
        if self.time_by_table:  # name: the table whose period the column is
            out += [("time", t, c, None, False, f"time.{t}")
                    for t, c in self.time_by_table.items()]
        elif self.time:
            out.append(("time", "time", self.time, None, False, "time"))
        if self.weight:
            out.append(("weight", "weight", self.weight, None, False, "weight"))
        for n, s in self.scales.items():
            out += [("item", n, it, s.range, it in s.reverse, f"scales.{n}.items")
                    for it in s.items]
        for n, m in self.metrics.items():
            out.append(("metric", n, m.column, m.range, False, f"metrics.{n}.column"))
        if self.drivers:
            out.append(("outcome", "drivers", self.drivers.outcome, None, False,
                        "drivers.outcome"))
            out += [("driver", "drivers", it, self.drivers.range, False, "drivers.items")
                    for it in self.drivers.items]
        out += [("segment", "segments", s, None, False, "segments") for s in self.segments]
        return out

    def scale_items(self, name: str) -> tuple[str, ...]:
        """The items of scale ``name``.

        >>> Instrument.bundled().scale_items("engagement")[-1]
        'engagement_5'
        """
        if name not in self.scales:
            raise DataError(f"argument 'name': {name!r} is not a scale of the instrument; "
                            f"scales: {list(self.scales)}")
        return self.scales[name].items

    def reverse_map(self) -> dict[str, tuple[float, float]]:
        """``{item: (low, high)}`` of every reverse-keyed item, for
        :func:`cxresearch.core.contract.reverse_items`.

        >>> import pandas as pd
        >>> from cxresearch.core.contract import reverse_items
        >>> mapping = Instrument.bundled().reverse_map()
        >>> reverse_items(pd.DataFrame({"culture_4": [1, 5]}), mapping)["culture_4"].tolist()
        [5, 1]
        """
        return {it: s.range for s in self.scales.values() for it in s.reverse}

    def item_ranges(self) -> dict[str, tuple[float, float]]:
        """``{column: (low, high)}`` of every answer with a declared range (scale items,
        metrics' columns, driver items when ``drivers.range`` is given).

        >>> Instrument.bundled().item_ranges()["ces"]
        (1, 7)
        """
        return {col: rng for _, _, col, rng, _, _ in self._roles() if rng is not None}

    def metric_columns(self) -> dict[str, str]:
        """``{metric name: column}``: the file's column for each of the contract's metrics.

        >>> Instrument.from_dict({"unit": "store_id", "metrics": {
        ...     "nps": {"column": "ltr", "range": [0, 10]}}}).metric_columns()
        {'nps': 'ltr'}
        """
        return {n: m.column for n, m in self.metrics.items()}

    def columns(self, table: str | None = None) -> tuple[str, ...]:
        """The columns a table must have, in the instrument's order.

        ``table="customers"``: unit, time, weight, metrics' columns, drivers and segments;
        ``"employees"``: unit, time and scale items (weight and segments are checked only if
        present); ``None`` (one survey holding everything): every column named.

        >>> Instrument.bundled().columns("employees")[:4]
        ('firm_id', 'year', 'culture_1', 'culture_2')
        """
        roles = _table_roles(table)
        return tuple(dict.fromkeys(col for role, name, col, _, _, _ in self._roles()
                                   if role in roles and _applies(role, name, table)))

    def time_of(self, table: str | None = "customers") -> str | None:
        """The period column of a table: ``time`` for every table (``time: wave``), or the
        table's own (``time: {customers: month, employees: quarter}``; None for a table left
        out).

        Parameters
        ----------
        table : {"customers", "employees", "outcomes", None}
            The table; None for one survey holding everything (the customers' period).

        Returns
        -------
        str or None

        Examples
        --------
        >>> Instrument.bundled().time_of("employees")
        'year'
        """
        if table is not None and table not in TIME_TABLES:
            raise DataError(f"argument 'table': {table!r} is not one of "
                            f"{[*TIME_TABLES, None]}")
        if not self.time_by_table or table is None:
            return self.time
        return self.time_by_table.get(table)

    def population_path(self) -> Path | None:
        """The file of the customer base's margins (``population:``), resolved against the
        instrument file's folder; None when the instrument gives none.

        >>> inst = Instrument.from_dict({"unit": "store", "population": "pop.csv",
        ...     "metrics": {"nps": {"column": "ltr", "range": [0, 10]}}})
        >>> inst.population_path().name
        'pop.csv'
        """
        if self.population is None:
            return None
        path = Path(self.population)
        if not path.is_absolute() and self.base_dir is not None:
            path = Path(self.base_dir) / path
        return path

    def population_margins(self) -> dict[str, dict[str, float]] | None:
        """The customer base's margins (:func:`read_population` of :meth:`population_path`),
        as :func:`cxresearch.metrics.weighting.rake` takes them; None without ``population:``.

        Raises
        ------
        InstrumentError
            When the file is missing or malformed, naming the file, column and row.
        """
        path = self.population_path()
        if path is None:
            return None
        if not path.is_file():
            raise InstrumentError(f"{self.source}: population: no such file {str(path)!r} "
                                  "(the path is relative to the instrument file's folder)")
        return read_population(path)

    def problem(self, section: str) -> str | None:
        """Why a section was left out (``strict=False``), in one sentence naming the file and
        the key paths; None when it is usable.

        Parameters
        ----------
        section : str
            ``"drivers"``, ``"segments"``, ``"scales"`` or ``"metrics"`` (every scale or
            metric), or one of them (``"scales.culture"``, ``"metrics.csat"``).

        Returns
        -------
        str or None

        Examples
        --------
        >>> inst = Instrument.from_dict({"unit": "team", "segments": ["r", "r"], "metrics": {
        ...     "nps": {"column": "ltr", "range": [0, 10]}}}, source="i.yml", strict=False)
        >>> inst.problem("segments"), inst.problem("metrics")
        ("i.yml: segments: 'r' listed more than once", None)
        """
        texts = [t for s, found in self.section_problems.items()
                 if s == section or s.startswith(f"{section}.") for t in found]
        return f"{self.source}: " + "; ".join(texts) if texts else None


def _csv_lines(rows: Any) -> str:
    """``line 3`` / ``lines 2, 3``: rows of a CSV (0-based, after the header) as file lines."""
    lines = [int(r) + 2 for r in rows]
    shown = ", ".join(map(str, lines[:_MAX_ROWS_SHOWN])) + (", ..." if len(lines) >
                                                            _MAX_ROWS_SHOWN else "")
    return f"line{'s' if len(lines) > 1 else ''} {shown}"


def read_population(path: str | Path) -> dict[str, dict[str, float]]:
    """Read a CSV of the customer base's margins (an instrument's ``population:`` file).

    The file has one row per variable and category: columns ``variable`` (a column of the
    customers, e.g. ``region``), ``category`` (one of its values, read as text) and either
    ``count`` (customers in the category) or ``share`` (their share; each variable's shares sum
    to 1). Every variable's counts must add up to the same total (the customer base). Each
    problem is an :class:`InstrumentError` naming the file, the column and the CSV line.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    dict
        ``{variable: {category: count or share}}``, the ``margins`` of
        :func:`cxresearch.metrics.weighting.rake`.

    Raises
    ------
    InstrumentError
        A missing column, a missing, non-numeric or non-positive value, a repeated category,
        shares that do not sum to 1 or counts whose totals differ by variable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "population.csv"
    >>> _ = p.write_text("variable,category,share\\nregion,north,0.6\\nregion,south,0.4\\n"
    ...                  "channel,web,0.3\\nchannel,phone,0.7\\n")
    >>> read_population(p)
    {'region': {'north': 0.6, 'south': 0.4}, 'channel': {'web': 0.3, 'phone': 0.7}}
    >>> _ = p.write_text("variable,category,share\\nregion,north,0.6\\nregion,south,0.3\\n")
    >>> read_population(p)
    Traceback (most recent call last):
    ...
    cxresearch.io.instrument.InstrumentError: population.csv: column 'share': the shares of
        variable 'region' sum to 0.9, not 1 (lines 2, 3)
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise FileNotFoundError(f"argument 'path': no such population file {str(p)!r}")
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InstrumentError(f"{name}: not a readable CSV file ({exc})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    value_cols = [c for c in ("count", "share") if c in raw.columns]
    missing = [c for c in ("variable", "category") if c not in raw.columns]
    if missing or len(value_cols) != 1:
        need = (f"no column(s) {missing}" if missing else
                "both 'count' and 'share' (give one)" if value_cols else
                "no column 'count' or 'share'")
        raise InstrumentError(f"{name}: {need}; a population file has the columns variable, "
                              f"category and count (or share); found {list(raw.columns)}")
    if raw.empty:
        raise InstrumentError(f"{name}: the file has a header but no rows")
    col = value_cols[0]
    problems = []
    for c in ("variable", "category", col):
        blank = raw[c].str.strip().eq("").to_numpy()
        if blank.any():
            problems.append(f"column {c!r}: missing at {_csv_lines(np.flatnonzero(blank))}")
    values = pd.to_numeric(raw[col].str.strip(), errors="coerce")
    bad = (values.isna() & raw[col].str.strip().ne("")).to_numpy()
    if bad.any():
        first = raw[col].to_numpy()[np.argmax(bad)]
        problems.append(f"column {col!r}: not a number ({first!r}) at "
                        f"{_csv_lines(np.flatnonzero(bad))}")
    neg = (values.notna() & ~(np.isfinite(values) & (values > 0))).to_numpy()
    if neg.any():
        problems.append(f"column {col!r}: {'counts' if col == 'count' else 'shares'} must be "
                        f"positive at {_csv_lines(np.flatnonzero(neg))} (leave out a "
                        "category with no customers)")
    if col == "share":
        big = (values > 1).to_numpy()
        if big.any():
            problems.append(f"column 'share': shares above 1 at "
                            f"{_csv_lines(np.flatnonzero(big))} (give counts in a "
                            "'count' column)")
    if problems:
        raise InstrumentError(f"{name}: " + "; ".join(problems), problems)
    frame = pd.DataFrame({"variable": raw["variable"].str.strip(),
                          "category": raw["category"].str.strip(), "value": values})
    dup = frame.duplicated(["variable", "category"], keep=False).to_numpy()
    if dup.any():
        first = frame.loc[np.argmax(dup)]
        raise InstrumentError(f"{name}: variable {first['variable']!r}, category "
                              f"{first['category']!r} is listed more than once "
                              f"({_csv_lines(np.flatnonzero(dup))})")
    out: dict[str, dict[str, float]] = {}
    totals = {}
    for var, g in frame.groupby("variable", sort=False):
        rows = list(g.index)
        total = float(g["value"].sum())
        if col == "share" and abs(total - 1.0) > 1e-6:
            raise InstrumentError(f"{name}: column 'share': the shares of variable {var!r} sum "
                                  f"to {total:.6g}, not 1 ({_csv_lines(rows)})")
        totals[var] = total
        out[str(var)] = dict(zip(g["category"], g["value"].astype(float)))
    if col == "count" and len(totals) > 1:
        lo, hi = min(totals.values()), max(totals.values())
        if hi - lo > 1e-6 * hi:
            listed = ", ".join(f"{v} {t:,.6g}" for v, t in totals.items())
            raise InstrumentError(f"{name}: column 'count': each variable's counts must add up "
                                  f"to the same customer base, but they add up to {listed}")
    return out


def _applies(role: str, name: str, table: str | None) -> bool:
    """Whether a role of :meth:`Instrument._roles` belongs to ``table``: a per-table period
    (``time.employees``) only to its table (the customers' and employees' to one survey)."""
    if role != "time" or name == "time":
        return True
    return name == table or (table is None and name != "outcomes")


def _table_roles(table: str | None) -> set[str]:
    if table not in _TABLES:
        raise DataError(f"argument 'table': {table!r} is not one of {list(_TABLES)}")
    if table == "customers":
        return {"unit", "time", "weight", "metric", "outcome", "driver", "segment"}
    if table == "employees":
        return {"unit", "time", "item"}
    return {"unit", "time", "weight", "item", "metric", "outcome", "driver", "segment"}


def find_instrument(directory: str | Path) -> Path | None:
    """The instrument file of a data folder (``instrument.yml`` or ``.yaml``), or None.

    Parameters
    ----------
    directory : str or pathlib.Path
        The data folder.

    Returns
    -------
    pathlib.Path or None

    Examples
    --------
    >>> import tempfile
    >>> find_instrument(tempfile.mkdtemp()) is None
    True
    """
    d = Path(directory)
    for name in INSTRUMENT_FILES:
        if (d / name).is_file():
            return d / name
    return None


# -- data against the instrument ---------------------------------------------------------------


def _rows_text(rows: list[int], line_offset: int | None) -> str:
    shown = rows[:_MAX_ROWS_SHOWN]
    more = ", ...]" if len(rows) > _MAX_ROWS_SHOWN else "]"
    text = f"rows [{', '.join(map(str, shown))}{more}"
    if line_offset is not None:
        text += f" (file lines {[r + line_offset for r in shown]})"
    return text


def _close_matches(name: str, pool: Sequence[str]) -> list[str]:
    """Columns like ``name``: similar spelling (difflib), or one name inside the other."""
    low = {c.lower(): c for c in pool}
    found = [low[c] for c in difflib.get_close_matches(name.lower(), list(low), n=3,
                                                       cutoff=0.6)]
    n = name.lower()
    found += [c for c in pool if len(c) >= 3 and len(n) >= 3 and (c.lower() in n or
                                                                   n in c.lower())]
    return list(dict.fromkeys(found))[:3]


def _as_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers, mask of non-empty values that are not numbers)."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    text = s.astype("string").str.strip()
    text = text.mask(text == "")
    num = pd.to_numeric(text, errors="coerce").astype("float64")
    return num, (text.notna() & num.isna()).fillna(False).astype(bool)


def validate_data(
    instrument: Instrument,
    data: pd.DataFrame,
    *,
    file: str = "customers.csv",
    table: str | None = "customers",
    units: pd.DataFrame | None = None,
    line_offset: int | None = None,
    errors: str = "raise",
) -> list[str]:
    """Check a table against the instrument: columns present, answers numeric and in range.

    Parameters
    ----------
    instrument : Instrument
    data : DataFrame
        The table as read (text or numbers); not modified.
    file : str
        The table's file name, for messages.
    table : {"customers", "employees", None}
        Which columns are required (see :meth:`Instrument.columns`); None for one survey that
        holds everything.
    units : DataFrame, optional
        A table of the units (e.g. ``firms``) where segment columns may live instead.
    line_offset : int, optional
        Added to 0-based rows to give file lines in messages (2 for a CSV with one header).
    errors : {"raise", "return"}
        Raise :class:`InstrumentDataError` listing every problem, or return the problems.

    Returns
    -------
    list of str
        The problems (empty when the data fit).

    Rules: every column the instrument names for ``table`` is present (an absent one is
    reported with the key that names it and the closest columns of the data); scale items,
    metrics' columns and ranged driver items are numbers within their range; the outcome and
    unranged drivers are numbers; the unit is never missing; weights are numbers >= 0.

    Examples
    --------
    >>> import pandas as pd
    >>> inst = Instrument.from_dict({"unit": "store_id", "metrics": {
    ...     "csat": {"column": "satisfaction", "range": [1, 5]}}})
    >>> d = pd.DataFrame({"store_id": ["S1", "S1", "S2"], "sat": [5, 9, 4]})
    >>> validate_data(inst, d, errors="return")
    ["column 'satisfaction' (metrics.csat.column) not found; close matches: ['sat']"]
    >>> inst = Instrument.from_dict({"unit": "store_id", "metrics": {
    ...     "csat": {"column": "sat", "range": [1, 5]}}})
    >>> validate_data(inst, d, line_offset=2)
    Traceback (most recent call last):
    ...
    cxresearch.io.instrument.InstrumentDataError: customers.csv (customers): column 'sat'
        (metrics.csat.column): 1 value(s) outside 1..5 at rows [1] (file lines [3]); first
        values: [9]
    """
    if not isinstance(instrument, Instrument):
        raise TypeError(f"instrument must be an Instrument, got {type(instrument).__name__}")
    require_frame(data)
    if units is not None:
        require_frame(units, "units")
    if errors not in ("raise", "return"):
        raise DataError(f"argument 'errors': {errors!r} is not one of ['raise', 'return']")
    roles = _table_roles(table)
    optional = {"weight", "segment"} if table == "employees" else set()
    problems: list[str] = []
    checked: set[str] = set()
    for role, name, col, rng, _rev, key in instrument._roles():
        if col in checked or (role not in roles and role not in optional) or not _applies(
                role, name, table):
            continue
        checked.add(col)
        if col not in data.columns:
            if role in optional:
                continue
            if role == "segment" and units is not None and col in units.columns:
                continue
            pool = [str(c) for c in data.columns]
            if role == "segment" and units is not None:
                pool += [str(c) for c in units.columns]
            close = _close_matches(col, pool)
            where = " or the units' table" if role == "segment" and units is not None else ""
            problems.append(f"column {col!r} ({key}) not found{where}; " + (
                f"close matches: {close}" if close else f"columns: {pool[:20]}"))
            continue
        s = data[col]
        label = f"column {col!r} ({key})"
        if role == "unit":
            miss = s.isna() | (s.astype("string").str.strip() == "").fillna(False)
            if miss.any():
                rows = [int(i) for i in np.flatnonzero(miss.to_numpy())]
                problems.append(f"{label}: {len(rows)} missing value(s) at "
                                f"{_rows_text(rows, line_offset)}; every answer needs its unit")
            continue
        if role not in ("item", "metric", "driver", "outcome", "weight"):
            continue
        num, text = _as_numbers(s)
        if text.any():
            rows = [int(i) for i in np.flatnonzero(text.to_numpy())]
            vals = [str(v) for v in s[text.to_numpy()].head(3).tolist()]
            problems.append(f"{label}: text in a numeric column: {len(rows)} value(s) at "
                            f"{_rows_text(rows, line_offset)}; first values: {vals}")
            continue
        if role == "weight":
            lo, hi = 0.0, np.inf
        elif rng is None:
            continue
        else:
            lo, hi = rng
        bad = (num.notna() & ((num < lo) | (num > hi))).to_numpy()
        if bad.any():
            rows = [int(i) for i in np.flatnonzero(bad)]
            vals = [_num(v) for v in num[bad].head(3).tolist()]
            rule = "negative" if role == "weight" else f"outside {_num(lo)}..{_num(hi)}"
            problems.append(f"{label}: {len(rows)} value(s) {rule} at "
                            f"{_rows_text(rows, line_offset)}; first values: {vals}")
    if problems and errors == "raise":
        where = f"{file} ({table})" if table else file
        raise InstrumentDataError(f"{where}: " + "; ".join(problems), problems)
    return problems
