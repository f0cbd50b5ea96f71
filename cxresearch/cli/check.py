"""Can each notebook run on a data folder, and if not, what is missing? Nothing is run.

``python -m cxresearch check DATA_DIR [--instrument PATH]`` calls :func:`check_folder`: it reads
and validates the folder's tables as the notebooks would (:func:`cxresearch.io.readers.load_study`,
personal data dropped, nothing written), then says for each notebook whether it can run, what
it will use (metrics, scales, drivers, segments, the unit it clusters by) and, if it cannot, what
is missing: tables, columns or instrument sections.

The same rules decide, inside the notebooks, which sections run: :func:`needs` lists what a
section lacks (empty when it can run) and :func:`skipped` turns that into the sentence the
notebook shows instead of the section, e.g. ``NPS by CX owner: skipped, because the data have no
firms table with cx_owner and cx_leader_year (who owns CX, and since when).``

A problem in the instrument is reported once. One that makes it unusable (not YAML, a bad
``unit``, ``time`` or ``weight``, an unknown key) stops every notebook that reads the study
tables; one confined to a section (``drivers``, ``segments``, a scale, a metric) leaves that
section out (:meth:`cxresearch.io.instrument.Instrument.read` with ``strict=False``) and stops
only what uses it: drivers stop 04, scales 02 and 05, metrics 01 and 05, segments the sections
by segment.

Example
-------
>>> from cxresearch.core import paths
>>> c = check_folder(paths.TESTS_DIR / "data" / "customers_only")
>>> bool(c.to_frame().set_index("notebook").loc["01_measuring_cx", "can_run"])
True
>>> bool(c.to_frame().set_index("notebook").loc["02_culture_and_engagement_scales", "can_run"])
False
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError

if TYPE_CHECKING:
    from cxresearch.io.instrument import Instrument
    from cxresearch.io.readers import LoadedStudy

__all__ = [
    "FIRM_PANEL_COLUMNS",
    "NOTEBOOK_TABLES",
    "SECTIONS",
    "FolderCheck",
    "Skipped",
    "check_folder",
    "driver_source",
    "needs",
    "skipped",
]

#: what :func:`needs` can be asked about: notebook section -> what it is
SECTIONS: dict[str, str] = {
    "01:metrics": "the customer metrics",
    "01:owners": "NPS by CX owner",
    "01:segments": "NPS by segment",
    "01:cells": "small cells by unit and period",
    "02:scales": "the scales",
    "02:invariance": "measurement invariance",
    "04:drivers": "key drivers",
    "05:linkage": "the unit-level EX-CX linkage",
    "05:unit_means": "the unit-level linkage corrected for noisy means",
    "05:outcomes": "EX and CX with the units' outcomes",
    "05:firm_panel": "the firm-year panel (cross-lagged paths, CX executives, the SEM)",
    "12:tracking": "NPS over time (wave-over-wave change and trend)",
    "12:raking": "weights to the customer base (raking to the population's margins)",
}

#: the bundled firm-year design that notebook 05's firm sections need: table -> columns
FIRM_PANEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "firm_years": ("firm_id", "year", "revenue_growth", "cost_to_serve", "has_cx_leader"),
    "firms": ("firm_id", "industry", "size_band"),
}

#: the tables each notebook reads from a data folder (``units``/``outcomes``: the design's
#: tables, ``firms``/``firm_years`` in the bundled study); ``strict``: every column of the
#: bundled study's tables, under the contract's names
NOTEBOOK_TABLES: dict[str, dict[str, Any]] = {
    "00_start_here": {"tables": (), "note": "needs no data"},
    "01_measuring_cx": {"tables": ("customers",)},
    "02_culture_and_engagement_scales": {"tables": ("employees",)},
    "03_satisfaction_index_model": {"tables": (), "note": "an ECSI survey"},
    "04_key_drivers": {"tables": (), "note": "drivers"},
    "05_linkage_ex_cx_outcomes": {"tables": ("employees", "customers")},
    "06_who_owns_cx": {"tables": ("firms", "firm_years", "employees", "customers"),
                       "strict": True},
    "07_the_data": {"tables": (), "note": "any folder with at least one readable study table"},
    "08_which_metric": {"tables": ("firms", "firm_years", "customers"), "strict": True},
    "09_coding_open_answers": {"tables": None,
                               "note": "reads a poll export (-p data_dir=poll.csv), not the "
                                       "study tables: not checked here"},
    "10_cx_job_titles": {"tables": None,
                         "note": "reads job postings (-p data_dir=postings.csv), not the study "
                                 "tables: not checked here"},
    "11_appointing_a_cx_leader": {"tables": ("firms", "firm_years", "employees", "customers"),
                                  "strict": True},
    "12_tracking_cx_over_time": {"tables": ("customers",)},
}

_OWNER_COLUMNS = ("cx_owner", "cx_leader_year")


@dataclass(frozen=True)
class Skipped:
    """A notebook section that did not run, and why; shown as one sentence.

    >>> skipped("NPS by CX owner", ["the data have no firms table"])
    NPS by CX owner: skipped, because the data have no firms table.
    """

    section: str
    reason: str

    def __str__(self) -> str:
        return f"{self.section}: skipped, because {self.reason}."

    def __repr__(self) -> str:
        return str(self)


def skipped(section: str, missing: Sequence[str]) -> Skipped:
    """The sentence a notebook shows instead of a section that cannot run (see :func:`needs`).

    >>> print(skipped("Key drivers", ["no drivers in the instrument", "no ecsi_survey"]))
    Key drivers: skipped, because no drivers in the instrument and no ecsi_survey.
    """
    parts = [str(m) for m in missing] or ["it has nothing to work on"]
    reason = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return Skipped(section, reason)


def _broken(inst: Instrument, section: str) -> list[str]:
    """The instrument's problem with a section it left out, as a reason (empty: usable)."""
    text = inst.problem(section)
    return [f"the instrument's {section} cannot be used ({text})"] if text else []


def _columns(study: LoadedStudy, table: str) -> set[str]:
    frame = getattr(study, table, None)
    if frame is None:
        return set()
    return set(study.answers(table).columns) if table in ("customers", "employees") else set(
        frame.columns)


def needs(study: LoadedStudy, section: str) -> list[str]:
    """What ``study`` lacks for a notebook section (:data:`SECTIONS`); empty when it can run.

    >>> from cxresearch.io.readers import load_study
    >>> needs(load_study(tables=["customers"]), "01:owners")
    []
    >>> needs(load_study(tables=["customers"]), "04:drivers")
    ['the instrument declares no drivers (drivers: {outcome, items})']

    A section the instrument left out because of a problem (``strict=False``) is the reason for
    every section that uses it:

    >>> from cxresearch.core import paths
    >>> s = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"],
    ...                instrument=paths.TESTS_DIR / "data" / "instruments" / "drivers_typo.yml")
    >>> needs(s, "01:metrics"), needs(s, "04:drivers")  # doctest: +NORMALIZE_WHITESPACE
    ([], ["the instrument's drivers cannot be used (drivers_typo.yml: drivers.items: 'd2'
    listed more than once)"])
    """
    if section not in SECTIONS:
        raise DataError(f"argument 'section': {section!r} is not one of {list(SECTIONS)}")
    inst = study.instrument
    assert inst is not None
    nb, part = section.split(":")
    broken = {"01:metrics": _broken(inst, "metrics"), "01:segments": _broken(inst, "segments"),
              "02:scales": _broken(inst, "scales"), "04:drivers": _broken(inst, "drivers"),
              "05:linkage": _broken(inst, "scales") + _broken(inst, "metrics")}.get(section)
    if broken:
        return broken
    if nb == "12":
        return _needs_12(study, part)
    if nb == "01" or part == "drivers":
        if study.customers is None:
            return ["the data have no customers table"]
        cust = _columns(study, "customers")
    if section == "01:metrics":
        nps = inst.metrics.get("nps")
        if nps is None:
            return ["the instrument declares no NPS metric (metrics: nps: {column, range})"]
        return [] if nps.column in cust else [f"the customers have no NPS column {nps.column!r}"]
    if section == "01:owners":
        if study.firms is None:
            return ["the data have no firms table with cx_owner and cx_leader_year (who owns "
                    "CX, and since when)"]
        out = [f"firms have no {c!r} column" for c in _OWNER_COLUMNS
               if c not in study.firms.columns]
        out += [f"the customers have no {c!r} column" for c in ("firm_id", "year")
                if c not in cust]
        return out
    if section == "01:segments":
        if not inst.segments:
            return ["the instrument declares no segments"]
        owners = [s for s in study.available_segments() if s != "cx_owner"]
        return [] if owners else ["the data have none of the instrument's segments "
                                  f"{list(inst.segments)} (other than cx_owner)"]
    if section == "01:cells":
        return [] if study.unit in cust else [
            f"the customers have no unit column {study.unit!r} (the instrument's unit)"]
    if nb == "02":
        if study.employees is None:
            return ["the data have no employees table"]
        if not inst.scales:
            return ["the instrument declares no scales (scales: {name: {items, range}})"]
        emp = _columns(study, "employees")
        if section == "02:scales":
            short = [n for n, s in inst.scales.items() if len(s.items) < 3]
            out = [f"scale {n!r} has fewer than 3 items" for n in short]
            absent = [it for s in inst.scales.values() for it in s.items if it not in emp]
            if absent:
                out.append(f"the employees have no item column(s) {absent}")
            return out
        groups = [c for c in ("cx_owner", *inst.segments) if c in emp]
        return [] if groups else _broken(inst, "segments") or [
            "the employees (and their units) have no grouping column (cx_owner or a segment "
            f"of {list(inst.segments)})"]
    if nb == "05":
        return _needs_05(study, part)
    # 04:drivers
    d = inst.drivers
    if d is None:
        return ["the instrument declares no drivers (drivers: {outcome, items})"]
    absent = [c for c in (d.outcome, *d.items) if c not in cust]
    if absent:
        return [f"the customers have no column(s) {absent} (drivers)"]
    from cxresearch.linkage.drivers import importance_precondition

    try:
        reason = importance_precondition(study.answers("customers"), d.outcome, list(d.items))
    except DataError as exc:  # e.g. a driver column that is not numeric
        reason = str(exc)
    return [reason] if reason else []


def _needs_12(study: LoadedStudy, part: str) -> list[str]:
    """Notebook 12: NPS by period (``tracking``), and the raking to the population's margins
    (``raking``), which needs ``population:`` in the instrument and margins that fit the
    answers."""
    inst = study.instrument
    assert inst is not None
    if study.customers is None:
        return ["the data have no customers table"]
    cust = _columns(study, "customers")
    if part == "tracking":
        out = _broken(inst, "metrics")
        nps = inst.metrics.get("nps")
        if not out and nps is None:
            out.append("the instrument declares no NPS metric (metrics: nps: {column, range})")
        elif not out and nps.column not in cust:
            out.append(f"the customers have no NPS column {nps.column!r}")
        time = study.time
        if time is None:
            out.append("the instrument declares no period column (time: month)")
        elif time not in cust:
            out.append(f"the customers have no period column {time!r} (the instrument's time)")
        elif study.customers[time].nunique() < 2:
            out.append(f"the customers' period column {time!r} has fewer than 2 periods")
        return out
    # raking
    if inst.population is None:
        if inst.problem("population"):
            return _broken(inst, "population")
        return ["the instrument declares no population (population: a CSV of the customer "
                "base's margins, with columns variable, category and count or share)"]
    from cxresearch.metrics.weighting import rake

    try:
        margins = inst.population_margins()
    except (DataError, FileNotFoundError) as exc:
        return [f"the population file cannot be used ({exc})"]
    assert margins is not None
    absent = [v for v in margins if v not in cust]
    if absent:
        return [f"the population's variable(s) {absent} are not columns of the customers"]
    data = study.answers("customers")
    frame = pd.DataFrame({v: data[v].astype(str) for v in margins}, index=data.index)
    weight = inst.weight if inst.weight in data.columns else None
    if weight:
        frame[weight] = data[weight]
    try:
        rake(frame, margins, weight=weight)
    except DataError as exc:
        return [f"the answers cannot be raked to the population ({exc})"]
    return []


def _needs_05(study: LoadedStudy, part: str) -> list[str]:
    inst = study.instrument
    assert inst is not None
    unit = study.unit

    def keys_of(table: str) -> list[str]:
        time = study.time_of(table)
        return [unit, *([time] if time else [])]

    keys = keys_of("outcomes")
    if part == "firm_panel":
        out = []
        for table, cols in FIRM_PANEL_COLUMNS.items():
            frame = getattr(study, table)
            if frame is None:
                what = ("per firm and year: revenue growth, cost to serve and whether a CX "
                        "executive is in post" if table == "firm_years" else
                        "per firm: industry and size band")
                out.append(f"the data have no {table} table ({what})")
            else:
                absent = [c for c in cols if c not in frame.columns]
                if absent:
                    out.append(f"{table} has no column(s) {absent}")
        return out
    if part == "unit_means":
        from cxresearch.linkage.units import linkage_precondition

        if _needs_05(study, "linkage"):
            return _needs_05(study, "linkage")
        reason = linkage_precondition(study)
        return [reason] if reason else []
    if part == "outcomes":
        from cxresearch.linkage.units import outcome_columns

        if study.outcomes is None:
            return [f"the data have no outcomes table (one row per {' and '.join(keys)})"]
        return [] if outcome_columns(study.outcomes, keys) else [
            "the outcomes table has no numeric outcome column"]
    out = []
    for table in ("employees", "customers"):
        if getattr(study, table) is None:
            out.append(f"the data have no {table} table")
    if out:
        return out
    emp, cust = _columns(study, "employees"), _columns(study, "customers")
    if not inst.scales:
        out.append("the instrument declares no scales (scales: {name: {items, range}})")
    elif not any(it in emp for s in inst.scales.values() for it in s.items):
        out.append("the employees have none of the scales' items")
    if not any(m.column in cust for m in inst.metrics.values()):
        out.append("the customers have none of the instrument's metrics' columns")
    for table, cols in (("employees", emp), ("customers", cust)):
        absent = [k for k in keys_of(table) if k not in cols]
        if absent:
            out.append(f"the {table} have no column(s) {absent} (the instrument's unit and "
                       "time)")
    if not out and study.customers[unit].nunique() < 3:
        out.append(f"fewer than 3 units ({unit}) to compare")
    return out


@dataclass(frozen=True)
class DriverSource:
    """Where notebook 04 takes its drivers from: ``"instrument"`` (the customers' table and the
    instrument's drivers), ``"ecsi"`` (the folder's ECSI survey) or ``"synthetic"`` (the
    synthetic ECSI survey), and the sentence saying why."""

    kind: str
    reason: str
    missing: str = ""

    def __str__(self) -> str:
        return self.reason


def _ecsi_file(directory: Path) -> Path | None:
    from cxresearch.io.readers import find_table

    return find_table(directory, "ecsi_survey")


def driver_source(data_dir: str | Path | None, instrument: Instrument | str | Path | None = None
                  ) -> DriverSource:
    """Notebook 04's data: the instrument's drivers, else an ECSI survey, else the synthetic one.

    The instrument is read with ``strict=False``; when its ``drivers`` section has a problem
    (an item listed twice, a range that is not two numbers, no items) notebook 04 cannot run
    on the folder, and an :class:`~cxresearch.io.instrument.InstrumentError` says why (the
    analysis is not quietly shown on other data).

    >>> driver_source(None).kind
    'synthetic'
    >>> from cxresearch.core import paths
    >>> driver_source(paths.TESTS_DIR / "data" / "own_survey").kind
    'instrument'
    """
    from cxresearch.io.instrument import Instrument, InstrumentError, find_instrument
    from cxresearch.io.readers import find_table

    if data_dir is None:
        return DriverSource("synthetic", "the bundled synthetic ECSI survey")
    directory = Path(data_dir)
    if instrument is not None:
        inst = instrument if isinstance(instrument, Instrument) else Instrument.read(
            instrument, strict=False)
    else:
        found = find_instrument(directory)
        inst = Instrument.read(found, strict=False) if found is not None else None
    if inst is not None and _broken(inst, "drivers"):
        raise InstrumentError(f"Key drivers: {_broken(inst, 'drivers')[0]}")
    if inst is not None and inst.drivers is not None and find_table(directory, "customers"):
        return DriverSource("instrument", f"the drivers of {inst.drivers.outcome!r} declared "
                                          f"in {inst.source}")
    if _ecsi_file(directory) is not None:
        return DriverSource("ecsi", "the folder's ECSI survey (ecsi_survey)")
    why = ("the instrument declares no drivers" if inst is not None
           else "the folder has no instrument.yml declaring drivers")
    missing = f"{why}, and there is no ecsi_survey table"
    return DriverSource(
        "synthetic",
        f"this folder has no drivers to analyse ({missing}); the method is shown only on the "
        "bundled synthetic survey (run 04 without data_dir)",
        missing,
    )


@dataclass(frozen=True, eq=False)
class FolderCheck(Result):
    """What :func:`check_folder` found: the instrument, the tables, and each notebook's verdict.

    ``notebooks`` is tidy: ``notebook``, ``can_run`` (bool, or None when the notebook does not
    read the study tables), ``uses`` and ``missing``. ``problems``: what is wrong with the
    instrument (once per section) or the study as a whole; :meth:`summary` prints each once
    and points the notebooks it stops to it.
    """

    directory: str
    instrument: str
    tables: pd.DataFrame
    notebooks: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per notebook: notebook, can_run, uses, missing."""
        return self.notebooks.copy()

    def ok(self) -> bool:
        """True when the instrument and every table present are valid (a notebook may still
        lack a table it needs: see ``to_frame()``)."""
        return not self.problems and not (self.tables["problem"] != "").any()

    def summary(self) -> str:
        """The report ``python -m cxresearch check`` prints."""
        lines = [f"Checking {self.directory} (nothing is run, no file is written)",
                 f"instrument: {self.instrument}"]
        if len(self.tables):
            lines.append("tables:")
            for r in self.tables.itertuples():
                text = (f"  {r.file}: {r.rows:,} rows x {r.columns} columns"
                        if r.problem == "" else f"  {r.file}: NOT READ: {r.problem}")
                if getattr(r, "excluded", 0):
                    text += f"; {r.excluded:,} unfinished or preview responses excluded"
                if getattr(r, "set_aside", 0):
                    text += (f"; {r.set_aside:,} rows with out-of-range or malformed answers set "
                             "aside (the run lists them by response id)")
                if r.personal_data:
                    text += f"; personal data dropped: {r.personal_data}"
                lines.append(text)
        else:
            lines.append("tables: none found (customers, employees, firms, firm_years, units, "
                         "outcomes as .parquet, .csv, .xlsx or .sav)")
        lines += [f"problem: {p}" for p in self.problems]
        shown = [p for p in self.problems if p.startswith("the instrument")]

        def once(text: str) -> str:  # an instrument problem printed above is referred to
            for p in shown:
                short = re.split(r" \(|: ", p, maxsplit=1)[0]
                text = text.replace(p, f"{short} (see the problem above)")
            return text

        lines.append("")
        width = max(len(n) for n in self.notebooks["notebook"]) + 2
        wrap = textwrap.TextWrapper(width=100, initial_indent="",
                                    subsequent_indent=" " * (width + 6))
        for r in self.notebooks.itertuples():
            state = None if pd.isna(r.can_run) else bool(r.can_run)
            verdict = {True: "yes", False: "NO", None: "-"}[state]
            text = r.uses if state is not False else f"missing: {once(r.missing)}"
            if state is True and r.missing:
                text += f"; {once(r.missing)}"
            lines.append(wrap.fill(f"{r.notebook:<{width}}{verdict:<6}{text}"))
        runnable = int(self.notebooks["can_run"].eq(True).sum())
        checked = int(self.notebooks["can_run"].notna().sum())
        other = [n.split("_")[0] for n, c in zip(self.notebooks["notebook"],
                                                 self.notebooks["can_run"], strict=True)
                 if pd.isna(c)]
        lines += ["", f"{runnable} of {checked} notebooks can run on this folder"
                  + (f" ({' and '.join(other)} read other files)." if other else "."),
                  "The data are valid." if self.ok() else
                  "The data have problems (above): fix them before running the notebooks."]
        return "\n".join(lines)


#: added to a table's problem when rows could be set aside instead of stopping the read
SET_ASIDE_HINT = ("; to leave such rows out and list them, run with -p on_invalid=set_aside "
                  "(check --on-invalid set_aside)")


def _table_rows(directory: Path, inst: Instrument | None, on_invalid: str = "raise"
                ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read each table alone (as a notebook needing it would); return the rows and errors."""
    from cxresearch.io.readers import STUDY_TABLES, find_table, load_study

    rows, errors = [], {}
    for name in STUDY_TABLES:
        path = find_table(directory, name)
        if path is None:
            continue
        try:
            s = load_study(directory, tables=[name], instrument=inst, strict=False,
                           on_invalid=on_invalid)
            frame = {**s.tables(), "units": s.units, "outcomes": s.outcomes}[name]
            report = s.reports.get(name, {})
            pii = ", ".join(f"{d['column']} ({d['reason']})"
                            for d in report.get("dropped_pii", []))
            rows.append({"table": name, "file": path.name, "rows": int(frame.shape[0]),
                         "columns": int(frame.shape[1]), "personal_data": pii, "problem": "",
                         "excluded": int(report.get("excluded_incomplete", 0) or 0),
                         "set_aside": int(report.get("set_aside", 0) or 0)})
        except (DataError, FileNotFoundError) as exc:
            errors[name] = str(exc) + (SET_ASIDE_HINT if on_invalid == "raise" and re.search(
                r"outside|non-integer|text in a numeric|non-numeric", str(exc)) else "")
            rows.append({"table": name, "file": path.name, "rows": 0, "columns": 0,
                         "personal_data": "", "problem": errors[name], "excluded": 0,
                         "set_aside": 0})
    cols = ["table", "file", "rows", "columns", "personal_data", "problem", "excluded",
            "set_aside"]
    return pd.DataFrame(rows, columns=cols), errors


def _unreadable(table: str) -> str:
    """A notebook's reason when a table it needs cannot be read (the error is listed once)."""
    return f"the {table} table, which cannot be read (see tables above)"


def _join(items: Sequence[str]) -> str:
    return ", ".join(items)


def _uses_01(study: LoadedStudy) -> tuple[str, str]:
    inst = study.instrument
    assert inst is not None
    cust = _columns(study, "customers")
    metrics = [f"{n} = {m.column}" for n, m in inst.metrics.items() if m.column in cust]
    uses = ["metrics " + _join(metrics)]
    if inst.weight and inst.weight in cust:
        uses.append(f"weight {inst.weight}")
    uses.append(f"clusters {study.unit}" if study.unit in cust
                else "no clusters (answers treated as independent)")
    segs = [s for s in study.available_segments() if s != "cx_owner"]
    if segs:
        uses.append("segments " + _join(segs))
    skips = [k for k in ("01:owners", "01:segments", "01:cells") if needs(study, k)]
    notes = "; ".join(f"skips {SECTIONS[k]}: {_join(needs(study, k))}" for k in skips)
    return "; ".join(uses), notes


def _uses_12(study: LoadedStudy) -> dict[str, Any]:
    inst = study.instrument
    assert inst is not None and study.time is not None
    cust = _columns(study, "customers")
    uses = [f"NPS = {inst.metrics['nps'].column} by {study.time} "
            f"({study.customers[study.time].nunique()} periods)"]
    uses.append(f"clusters {study.unit}" if study.unit in cust
                else "no clusters (answers treated as independent)")
    segs = [s for s in study.available_segments() if s != "cx_owner"]
    if segs:
        uses.append("segments " + _join(segs))
    raking = needs(study, "12:raking")
    if not raking:
        uses.append(f"raked to the margins of {inst.population}")
    notes = f"skips {SECTIONS['12:raking']}: {_join(raking)}" if raking else ""
    return {"can_run": True, "uses": "; ".join(uses), "missing": notes}


def _uses_02(study: LoadedStudy) -> tuple[str, str]:
    inst = study.instrument
    assert inst is not None
    uses = "scales " + _join(f"{n} ({len(s.items)} items, {s.range[0]:g}-{s.range[1]:g}"
                              + (f", reverse {_join(s.reverse)}" if s.reverse else "") + ")"
                              for n, s in inst.scales.items())
    inv = needs(study, "02:invariance")
    emp = _columns(study, "employees")
    group = next((c for c in ("cx_owner", *inst.segments) if c in emp), None)
    note = f"skips measurement invariance: {_join(inv)}" if inv else f"invariance by {group}"
    if len(inst.scales) < 2:
        note += "; discriminant validity needs two scales: skipped"
    return uses, note


def check_folder(data_dir: str | Path, instrument: str | Path | None = None, *,
                 on_invalid: str = "raise") -> FolderCheck:
    """Validate a data folder and say, per notebook, whether it can run (nothing is run).

    The instrument is read with ``strict=False``: a problem confined to its drivers, segments,
    a scale or a metric is one entry of ``problems`` and stops only the notebooks (or
    sections) that use that part; a problem that makes it unusable stops every notebook that
    reads the study tables.

    Parameters
    ----------
    data_dir : str or Path
        The folder (as given to ``python -m cxresearch run -p data_dir=...``).
    instrument : str or Path, optional
        An ``instrument.yml`` (default: the folder's own, else the bundled study's names).
    on_invalid : {"raise", "set_aside"}
        As the notebooks' parameter: out-of-range or malformed answers make a table unreadable
        (default), or are set aside and the rest is checked.

    Returns
    -------
    FolderCheck
        ``to_frame()``: notebook, can_run, uses, missing; ``summary()``: the printed report.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> c = check_folder(paths.TESTS_DIR / "data" / "own_survey",
    ...                  paths.TESTS_DIR / "data" / "instruments" / "drivers_typo.yml")
    >>> c.to_frame().set_index("notebook")["can_run"].loc[["01_measuring_cx", "04_key_drivers"]
    ...                                                   ].tolist()
    [True, False]
    >>> len(c.problems), c.summary().count("'d2' listed more than once")
    (1, 1)
    """
    from cxresearch.io.instrument import Instrument, InstrumentError, find_instrument
    from cxresearch.io.readers import load_study

    directory = Path(data_dir)
    if not directory.is_dir():
        raise DataError(f"argument 'data_dir': {str(directory)!r} is not a directory")
    rows: list[dict[str, Any]] = []
    problems: list[str] = []  # stop every notebook that reads the study tables
    inst: Instrument | None = None
    try:
        if instrument is not None:
            inst = Instrument.read(instrument, strict=False)
        else:
            found = find_instrument(directory)
            inst = Instrument.read(found, strict=False) if found is not None else None
    except (InstrumentError, FileNotFoundError) as exc:
        problems.append(f"the instrument cannot be used: {exc}")
    sections = ([] if inst is None else  # stop only what uses them, reported once
                [r for s in dict.fromkeys(k.split(".")[0] for k in inst.section_problems)
                 for r in _broken(inst, s)])
    tables, errors = (_table_rows(directory, inst, on_invalid) if not problems else
                      (pd.DataFrame(columns=["table", "file", "rows", "columns",
                                             "personal_data", "problem", "excluded",
                                             "set_aside"]), {}))
    good = [t for t in tables["table"] if t not in errors] if len(tables) else []
    study = None
    if not problems:
        try:
            study = load_study(directory, tables=[t for t in good if t not in ("units",)]
                               or ["customers"], instrument=inst, strict=False,
                               on_invalid=on_invalid) if good else None
        except (DataError, FileNotFoundError) as exc:
            problems.append(str(exc))
    if study is not None:
        inst_text = study.instrument.summary() if study.instrument is not None else ""
    elif inst is not None:
        inst_text = inst.summary()
    else:
        inst_text = ("default (the bundled study's names; no instrument.yml)" if not problems
                     else "not usable")
    strict_cache: dict[tuple[str, ...], str] = {}
    for nb, spec in NOTEBOOK_TABLES.items():
        row = {"notebook": nb, "can_run": None, "uses": spec.get("note", ""), "missing": ""}
        if spec["tables"] is None:
            rows.append(row)
            continue
        if nb == "00_start_here":
            row["can_run"] = True
            rows.append(row)
            continue
        if problems and nb != "03_satisfaction_index_model":
            row.update(can_run=False, uses="", missing=problems[0])
            rows.append(row)
            continue
        if nb == "03_satisfaction_index_model":
            row.update(_check_03(directory))
        elif nb == "04_key_drivers":
            row.update(_check_04(directory, inst, study, errors))
        elif nb == "05_linkage_ex_cx_outcomes":
            row.update(_check_05(directory, inst, errors, on_invalid))
        elif nb == "07_the_data":
            row.update(_check_07(tables, errors))
        else:
            row.update(_check_tables(nb, spec, study, errors, directory, strict_cache,
                                     on_invalid))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["notebook", "can_run", "uses", "missing"])
    frame["can_run"] = frame["can_run"].astype("boolean")
    return FolderCheck(str(data_dir), inst_text, tables, frame, problems + sections)


def _check_07(tables: pd.DataFrame, errors: dict[str, str]) -> dict[str, Any]:
    """07 describes any folder with a readable study table (its bundled-only sections skip)."""
    names = list(tables["table"]) if len(tables) else []
    readable = [t for t in names if t not in errors]
    if not readable:
        return {"can_run": False, "uses": "", "missing": (
            "a study table that can be read (" + _join(f"{_unreadable(t)}" for t in errors) + ")"
            if errors else "a study table (customers, employees, firms, firm_years, units or "
                           "outcomes, each .parquet, .csv, .xlsx or .sav)")}
    unread = [t for t in names if t in errors]
    return {"can_run": True, "uses": "describes the tables " + _join(readable),
            "missing": ("leaves out " + _join(unread) + " (cannot be read; see tables above)")
            if unread else ""}


def _check_03(directory: Path) -> dict[str, Any]:
    from cxresearch.measurement.csi import read_ecsi_survey

    if _ecsi_file(directory) is None:
        return {"can_run": False, "uses": "",
                "missing": "an ecsi_survey table with the ECSI items (IMAG1..CUSL3): the "
                           "ECSI model has fixed construct blocks"}
    try:
        read_ecsi_survey(directory)
    except (DataError, FileNotFoundError) as exc:
        return {"can_run": False, "uses": "", "missing": str(exc)}
    return {"can_run": True, "uses": "your ECSI survey (ecsi_survey)", "missing": ""}


def _check_04(directory: Path, inst: Instrument | None, study: LoadedStudy | None,
              errors: dict[str, str]) -> dict[str, Any]:
    if inst is not None and _broken(inst, "drivers"):
        return {"can_run": False, "uses": "", "missing": _broken(inst, "drivers")[0]}
    source = driver_source(directory, inst)
    if source.kind == "instrument":
        if "customers" in errors:
            return {"can_run": False, "uses": "", "missing": _unreadable("customers")}
        assert study is not None and inst is not None and inst.drivers is not None
        missing = needs(study, "04:drivers")
        if missing:
            return {"can_run": False, "uses": "", "missing": _join(missing)}
        d = inst.drivers
        rng = (f" on {d.range[0]:g}-{d.range[1]:g}" if d.range else
               "; no drivers.range: the importance-performance map is skipped")
        return {"can_run": True, "uses": f"drivers of {d.outcome}: {_join(d.items)}{rng}",
                "missing": ""}
    if source.kind == "ecsi":
        out = _check_03(directory)
        if out["can_run"]:
            out["uses"] = "the ECSI survey's attributes (PERQ, PERV, IMAG) as drivers"
        return out
    return {"can_run": False, "uses": "", "missing": source.missing}


def _check_tables(nb: str, spec: dict[str, Any], study: LoadedStudy | None,
                  errors: dict[str, str], directory: Path,
                  cache: dict[tuple[str, ...], str], on_invalid: str = "raise"
                  ) -> dict[str, Any]:
    from cxresearch.io.readers import find_table, load_study

    tables = list(spec["tables"])
    broken = [_unreadable(t) for t in tables if t in errors]
    if broken:
        return {"can_run": False, "uses": "", "missing": _join(broken)}
    absent = [t for t in tables if find_table(directory, t) is None]
    if absent:
        return {"can_run": False, "uses": "",
                "missing": "table(s) " + _join(absent) + " (each .parquet, .csv, .xlsx or .sav)"}
    assert study is not None
    if spec.get("strict"):
        inst = study.instrument
        if not study.instrument_default and inst is not None and not inst.is_bundled_design():
            return {"can_run": False, "uses": "",
                    "missing": "the bundled study's design (answers nested in firm_id and year, "
                               "its culture/engagement items and nps/csat/ces): the instrument "
                               "declares its own"}
        key = tuple(tables)
        if key not in cache:
            try:
                load_study(directory, tables=tables, strict=True, on_invalid=on_invalid,
                           instrument=None if study.instrument_default else inst)
                cache[key] = ""
            except DataError as exc:
                cache[key] = str(exc)
        if cache[key]:
            return {"can_run": False, "uses": "", "missing": cache[key]}
        return {"can_run": True, "uses": "the bundled study's tables and columns: "
                                         + _join(tables), "missing": ""}
    if nb == "12_tracking_cx_over_time":
        missing = needs(study, "12:tracking")
        if missing:
            return {"can_run": False, "uses": "", "missing": _join(missing)}
        return _uses_12(study)
    if nb == "01_measuring_cx":
        missing = needs(study, "01:metrics")
        if missing:
            return {"can_run": False, "uses": "", "missing": _join(missing)}
        uses, notes = _uses_01(study)
        return {"can_run": True, "uses": uses, "missing": notes}
    missing = needs(study, "02:scales")
    if missing:
        return {"can_run": False, "uses": "", "missing": _join(missing)}
    uses, notes = _uses_02(study)
    return {"can_run": True, "uses": uses, "missing": notes}


def _check_05(directory: Path, inst: Instrument | None, errors: dict[str, str],
              on_invalid: str = "raise") -> dict[str, Any]:
    from cxresearch.io.readers import find_table
    from cxresearch.linkage.units import load_linkage_study, outcome_columns

    broken = [_unreadable(t) for t in ("employees", "customers") if t in errors]
    if broken:
        return {"can_run": False, "uses": "", "missing": _join(broken)}
    absent = [t for t in ("customers", "employees") if find_table(directory, t) is None]
    if absent:
        return {"can_run": False, "uses": "",
                "missing": "table(s) " + _join(absent) + " (each .parquet, .csv, .xlsx or .sav)"}
    try:
        study = load_linkage_study(directory, inst, on_invalid=on_invalid)
    except (DataError, FileNotFoundError) as exc:
        return {"can_run": False, "uses": "", "missing": str(exc)}
    missing = needs(study, "05:linkage")
    if missing:
        return {"can_run": False, "uses": "", "missing": _join(missing)}
    si = study.instrument
    assert si is not None
    if not needs(study, "05:firm_panel"):
        return {"can_run": True, "uses": "the firm-year panel (firms, firm_years, employees, "
                                          "customers)", "missing": ""}
    keys = [study.unit, *([study.time] if study.time else [])]
    cust = _columns(study, "customers")
    linked = (f" ({study.period_alignment.split(': ', 1)[-1]})" if study.period_alignment
              else "")
    uses = [f"units {study.unit}" + (f" by {study.time}" if study.time else "") + linked,
            "EX from " + _join(f"{n} ({len(s.items)} items"
                               + (f", reverse {_join(s.reverse)}" if s.reverse else "") + ")"
                               for n, s in si.scales.items()),
            "CX from " + _join(f"{n} = {m.column}" for n, m in si.metrics.items()
                               if m.column in cust)
            + (f", weighted by {si.weight}" if si.weight and si.weight in cust else "")]
    outs = outcome_columns(study.outcomes, keys)
    if outs:
        uses.append("outcomes " + _join(outs))
    notes = [f"skips {SECTIONS[k]}: {_join(needs(study, k))}"
             for k in ("05:unit_means", "05:outcomes", "05:firm_panel") if needs(study, k)]
    return {"can_run": True, "uses": "; ".join(uses), "missing": "; ".join(notes)}
