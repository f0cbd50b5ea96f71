"""One company's own units (stores, branches, teams): loading, aggregation checks, the unit
panel and unit-level linkage of EX, CX and outcomes.

- :func:`load_linkage_study` -- the bundled firm design, or a folder's own units described by
  its instrument;
- :func:`aggregation_checks` -- ICC(1), ICC(2) and rwg(j) of the instrument's scales and
  metrics, per unit and period;
- :func:`unit_panel` -- the unit x period panel of EX and CX means (survey weights for the
  customers' answers), their sampling variances and the outcomes;
- :func:`outcome_columns` -- the numeric outcome columns of an outcomes table;
- :func:`unit_linkage` -- unit-level EX -> CX -> outcomes, corrected for noisy means, with
  standard errors clustered by unit;
- :func:`linkage_precondition` -- why :func:`unit_linkage` cannot run on a study's units (means
  too noisy to correct), or None; shared by notebook 05 and ``python -m cxresearch check``.

Everything here is an association: unit-level linkage cannot tell a chain from reverse
causation or confounding.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.panel import EIVResult, eiv_regression
from cxresearch.linkage.regression import standardize

if TYPE_CHECKING:
    from cxresearch.io.instrument import Instrument
    from cxresearch.io.readers import LoadedStudy

__all__ = ["PERIOD_KINDS", "RELIABILITY_FLOOR", "PeriodAlignment", "aggregation_checks",
           "align_periods", "linkage_precondition", "load_linkage_study", "outcome_columns",
           "period_kind", "unit_linkage", "unit_panel"]

#: the lowest reliability (1 - mean(ev) / var) of the unit x period EX and CX means that
#: :func:`unit_linkage` accepts: below it more than four fifths of the means' variation is
#: sampling noise, and the errors-in-variables correction would scale the estimates up more
#: than fivefold on a noise-dominated moment matrix
RELIABILITY_FLOOR = 0.2


# --------------------------------------------------------------------------------------------
# periods that differ by table: linking at the coarsest
# --------------------------------------------------------------------------------------------

#: the kinds of period a period column can hold, finest first (:func:`period_kind`); each is
#: mapped to any coarser one by the period containing it
PERIOD_KINDS: tuple[str, ...] = ("day", "month", "quarter", "year")
_FREQ = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}
_PLURAL = {"day": "days", "month": "months", "quarter": "quarters", "year": "years", None: "labels"}
_EXAMPLE = {"day": "2024-01-15", "month": "2024-01", "quarter": "2024Q1", "year": "2024"}
_PATTERNS = (("year", r"\d{4}"), ("quarter", r"\d{4}\s*-?\s*[Qq][1-4]"),
             ("month", r"\d{4}-(?:0[1-9]|1[0-2])"), ("day", r"\d{4}-\d{2}-\d{2}"))
#: the tables joined by unit and period, in the order that names the linking column
_LINK_TABLES = ("customers", "employees", "outcomes")


def period_kind(values: pd.Series) -> str | None:
    """The kind of period a column holds, read from its values: ``"day"``, ``"month"``,
    ``"quarter"``, ``"year"`` (:data:`PERIOD_KINDS`) or None for labels.

    Dates (a date column, or text ``2024-01-15``) are days; ``2024-01`` months; ``2024Q1``
    (also ``2024-Q1``, ``2024 q1``) quarters; ``2024`` (text, or whole numbers from 1000 to
    9999) years. Anything else -- wave numbers 1, 2, 3, ``"spring"`` -- is a label, which
    cannot be mapped to another period. Every value present must be of the same kind; missing
    values are ignored.

    Parameters
    ----------
    values : Series
        A period column.

    Returns
    -------
    str or None

    Examples
    --------
    >>> [period_kind(pd.Series(v)) for v in (["2024-01", "2024-02"], ["2024Q1"], [2023, 2024],
    ...                                      [1, 2, 3], pd.to_datetime(["2024-05-02"]))]
    ['month', 'quarter', 'year', None, 'day']
    """
    s = values.dropna()
    if s.empty or pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_datetime64_any_dtype(s):
        return "day"
    if pd.api.types.is_numeric_dtype(s):
        x = s.astype("float64")
        return "year" if bool(((x == np.round(x)) & (x >= 1000) & (x <= 9999)).all()) else None
    text = s.astype("string").str.strip()
    for kind, pattern in _PATTERNS:
        if bool(text.str.fullmatch(pattern).all()):
            if kind == "day" and pd.to_datetime(text, format="%Y-%m-%d",
                                                errors="coerce").isna().any():
                return None
            return kind
    return None


def _as_periods(values: pd.Series, kind: str, target: str) -> pd.Series:
    """``values`` (periods of ``kind``) as the ``target`` periods containing them, written as
    pandas writes them (``2024Q1``, ``2024-01``, ``2024``); missing stays missing."""
    out = pd.Series(None, index=values.index, dtype=object)
    s = values.dropna()
    if s.empty:
        return out
    if pd.api.types.is_datetime64_any_dtype(s):
        periods = pd.PeriodIndex(s.dt.to_period("D"))
    else:
        if pd.api.types.is_numeric_dtype(s):
            text = s.astype("float64").round().astype("int64").astype(str)
        else:
            text = s.astype("string").str.strip()
        if kind == "quarter":
            text = text.str.replace(r"[\s-]", "", regex=True).str.upper()
        periods = pd.PeriodIndex(list(text), freq=_FREQ[kind])
    out.loc[s.index] = periods.asfreq(_FREQ[target]).astype(str).to_numpy()
    return out


def _examples(values: pd.Series) -> str:
    shown = list(dict.fromkeys(str(v) for v in values.dropna().tolist()))[:3]
    return ", ".join(shown) if shown else "no values"


@dataclass(frozen=True, eq=False)
class PeriodAlignment(Result):
    """Tables linked at their coarsest period (:func:`align_periods`).

    Parameters
    ----------
    time : str or None
        The linking period column, present in every table of ``tables`` (None: the tables are
        linked by unit alone).
    tables : dict of str to DataFrame
        The tables (copies where a column was added; the outcomes averaged per unit and
        linking period when their own periods were finer).
    steps : DataFrame
        One row per table: ``table``, ``column`` (its own period column), ``kind`` (its kind of
        period, ``labels`` or ``none``), ``how`` (what was done).

    Examples
    --------
    >>> PeriodAlignment("wave", {}, pd.DataFrame(columns=["table", "column", "kind", "how"])
    ...                 ).summary()
    'linked by wave'
    """

    time: str | None
    tables: dict[str, pd.DataFrame]
    steps: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per table: table, column, kind, how."""
        return self.steps.copy()

    @property
    def changed(self) -> bool:
        """True when a table was given another period or averaged."""
        return bool((self.steps["how"] != "as it is").any())

    def summary(self) -> str:
        """The rule as applied, in one line."""
        head = f"linked by {self.time}" if self.time else "linked by unit alone"
        done = [f"{r.table}' {r.column} ({r.kind}) {r.how}" for r in self.steps.itertuples()
                if r.how != "as it is"]
        return head + (": " + "; ".join(done) if done else "")


def _finer(kind: str | None, than: str) -> bool:
    """True when periods of ``kind`` map to ``than`` (the same kind or a finer one)."""
    return kind is not None and PERIOD_KINDS.index(kind) <= PERIOD_KINDS.index(than)


def _linking_period(unit: str, present: Mapping[str, pd.DataFrame],
                    cols: Mapping[str, str | None], kinds: Mapping[str, str | None]
                    ) -> tuple[str, str | None]:
    """The linking column and its kind (None: labels) when the tables' periods differ, or a
    DataError naming the tables, their period columns and the fix."""
    labelled = [t for t in present if kinds[t] is None]
    calendar = [t for t in present if kinds[t] is not None]
    coarsest = (max((kinds[t] for t in calendar), key=lambda k: PERIOD_KINDS.index(str(k)))
                if calendar else None)
    first = next((cols[t] for t in calendar if kinds[t] == coarsest), None)
    if not labelled:
        assert first is not None
        return first, coarsest
    names = list(dict.fromkeys(str(cols[t]) for t in labelled))
    if len(names) == 1 and all(names[0] in present[t].columns and cols[t] != names[0]
                               for t in calendar):
        return names[0], None  # the calendar tables carry the labels themselves
    if first is not None and coarsest is not None and all(
            first in present[t].columns and _finer(period_kind(present[t][first]), coarsest)
            for t in labelled):
        return first, coarsest  # the labelled tables carry the coarsest period themselves
    said = "; ".join(f"the {t}' periods {cols[t]!r} are {_PLURAL[kinds[t]]} (e.g. "
                     f"{_examples(present[t][str(cols[t])])})" for t in present)
    fixes = []
    if first is not None and coarsest is not None:
        fixes += [f"add a column {first!r} to the {t} with the {coarsest} of each row (e.g. "
                  f"{_EXAMPLE[coarsest]})" for t in labelled]
    elif len(names) > 1:
        fixes.append(f"add a column {names[0]!r} to the {', '.join(labelled[1:])} with the "
                     f"{labelled[0]}' {names[0]} of each row")
    fixes.append(f"give the {' and '.join(labelled)}' periods as dates, months "
                 f"({_EXAMPLE['month']}), quarters ({_EXAMPLE['quarter']}) or years "
                 f"({_EXAMPLE['year']}), which are mapped to the coarsest")
    raise DataError(f"cannot link the tables by {unit} and period: {said}; labels cannot be "
                    "mapped to another period. To fix it, " + ", or ".join(fixes) + ".")


def align_periods(tables: Mapping[str, pd.DataFrame | None], instrument: Instrument
                  ) -> PeriodAlignment:
    """Link tables whose periods differ (``time: {customers: month, employees: quarter}``) at
    the coarsest period among them.

    The rule (also in the README and :mod:`cxresearch.io.instrument`):

    1. each table's period column is the instrument's ``time`` (:meth:`Instrument.time_of
       <cxresearch.io.instrument.Instrument.time_of>`); its kind is read from its values
       (:func:`period_kind`): days, months, quarters, years, or labels;
    2. tables with the same period column holding the same kind are joined on its values as
       they are (the single ``time: wave`` form);
    3. otherwise they are linked by the coarsest kind among them, in the column of the first
       table (customers, employees, outcomes) that holds it; each finer period is mapped to the
       period containing it (``2024-02`` -> ``2024Q1`` -> ``2024``, pandas ``Period.asfreq``)
       and written into that column (``2024Q1``);
    4. a table with no period (left out of ``time:``) makes the link by unit alone: every
       period is pooled;
    5. labels (wave numbers 1, 2, 3) cannot be mapped: a table whose periods cannot be mapped
       to the linking period is linked by a column of its own named like the linking column
       (e.g. ``quarter`` added to the customers), used as it is; without one a
       :class:`~cxresearch.core.validation.DataError` names the tables, their period columns
       and this fix;
    6. the outcomes' numeric columns are averaged per unit and linking period when their own
       periods were finer (three monthly sales-growth figures give the quarter's mean).

    Parameters
    ----------
    tables : mapping of str to DataFrame or None
        ``customers``, ``employees`` and/or ``outcomes`` (None: absent).
    instrument : Instrument
        The unit and each table's period column.

    Returns
    -------
    PeriodAlignment
        ``time`` (the linking column), ``tables``, ``to_frame()`` (what was done to each).

    Examples
    --------
    >>> from cxresearch.io.instrument import Instrument
    >>> inst = Instrument.from_dict({"unit": "store", "time": {"customers": "month",
    ...     "employees": "quarter"}, "metrics": {"csat": {"column": "sat", "range": [1, 5]}}})
    >>> cus = pd.DataFrame({"store": ["a", "a"], "month": ["2024-02", "2024-04"], "sat": [4, 5]})
    >>> emp = pd.DataFrame({"store": ["a", "a"], "quarter": ["2024Q1", "2024Q2"]})
    >>> al = align_periods({"customers": cus, "employees": emp}, inst)
    >>> al.time, al.tables["customers"]["quarter"].tolist()
    ('quarter', ['2024Q1', '2024Q2'])
    >>> print(al.summary())
    linked by quarter: customers' month (months) mapped to quarters
    """
    unknown = [t for t in tables if t not in _LINK_TABLES]
    if unknown:
        raise DataError(f"argument 'tables': unknown table(s) {unknown}; use "
                        f"{list(_LINK_TABLES)}")
    unit = instrument.unit
    present = {t: tables[t] for t in _LINK_TABLES if tables.get(t) is not None}
    cols = {t: instrument.time_of(t) for t in present}
    for t, frame in present.items():
        require_columns(frame, [c for c in (unit, cols[t]) if c is not None], t)
    kinds = {t: period_kind(present[t][c]) if c is not None else None
             for t, c in cols.items()}
    word = {t: ("none" if cols[t] is None else _PLURAL[kinds[t]]) for t in present}
    out: dict[str, pd.DataFrame] = dict(present)
    how = dict.fromkeys(present, "as it is")

    def average(frame: pd.DataFrame, keys: list[str], own: str | None) -> pd.DataFrame:
        num = [c for c in frame.columns if c not in keys and c != own
               and pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
        return frame.groupby(keys, sort=True)[num].mean().reset_index()

    if not present:
        target: str | None = None
    elif any(c is None for c in cols.values()):
        target = None
        for t in present:
            if cols[t] is None:
                continue
            if t == "outcomes":
                out[t] = average(present[t], [unit], cols[t])
                how[t] = f"averaged per {unit}"
            else:
                how[t] = "pooled over periods"
    elif len(set(cols.values())) == 1 and len(set(kinds.values())) == 1:
        target = next(iter(cols.values()))
    else:
        target, target_kind = _linking_period(unit, present, cols, kinds)
        for t, frame in present.items():
            col, kind = cols[t], kinds[t]
            assert col is not None
            if col == target and kind == target_kind:
                if target_kind is not None:  # one spelling (2024-Q1 -> 2024Q1)
                    out[t] = frame.assign(**{target: _as_periods(frame[col], kind, kind)})
                continue
            own = col != target and target in frame.columns
            own_kind = period_kind(frame[target]) if own else None
            if own and (target_kind is None or _finer(own_kind, target_kind)):
                values = (frame[target] if target_kind is None or own_kind is None
                          else _as_periods(frame[target], own_kind, target_kind))
                how[t] = f"linked by its own column {target!r}"
            else:  # _linking_period made sure it maps
                assert target_kind is not None and kind is not None
                values = _as_periods(frame[col], kind, target_kind)
                how[t] = f"mapped to {_PLURAL[target_kind]}"
            new = frame.assign(**{target: values})
            if t == "outcomes":
                new = average(new, [unit, target], col)
                how[t] += f", averaged per {unit} and {target}"
            out[t] = new
    steps = pd.DataFrame({"table": list(present), "column": [cols[t] for t in present],
                          "kind": [word[t] for t in present], "how": [how[t] for t in present]},
                         columns=["table", "column", "kind", "how"])
    return PeriodAlignment(target, out, steps)


# --------------------------------------------------------------------------------------------
# one-company designs: stores, branches or teams as the unit
# --------------------------------------------------------------------------------------------


def load_linkage_study(
    data_dir: str | Path | None = None, instrument: Instrument | str | Path | None = None,
    *, on_invalid: str = "raise",
) -> LoadedStudy:
    """The study notebook 05 runs on: the bundled one, or a folder's own design.

    ``data_dir=None`` is the bundled **synthetic** study (all tables, strict). A folder needs
    ``customers`` and ``employees``; its units' table (``firms`` or ``units``) is read when
    present and its outcomes' table (``firm_years`` or ``outcomes``, one row per unit and
    period) when present, as :func:`cxresearch.io.readers.load_study` maps them from the
    instrument's
    ``unit``. Personal data are dropped; the files are not modified.

    When the tables' periods differ (``time: {customers: month, employees: quarter}``) they are
    linked at the coarsest (:func:`align_periods`): the study returned holds the customers,
    employees and outcomes with the linking period column added (the outcomes averaged per
    unit and linking period), its instrument has that one ``time`` for every table (so
    ``study.time`` is the linking period here), and ``study.period_alignment`` says what was
    done. A section the instrument leaves out (``strict=False``) is recorded, not raised.

    Parameters
    ----------
    data_dir : str or Path, optional
        A folder of exports; None for the bundled synthetic study.
    instrument : Instrument, str or Path, optional
        The instrument (or its ``instrument.yml``); default the folder's own, else the bundled
        one.
    on_invalid : {"raise", "set_aside"}
        Out-of-range or malformed answers stop the read (default) or are set aside
        (:func:`cxresearch.io.readers.load_study`).

    Returns
    -------
    LoadedStudy
        The tables read, the instrument's ``unit`` and, where present, ``outcomes``.

    Examples
    --------
    >>> s = load_linkage_study()
    >>> s.unit, s.outcomes is s.firm_years
    ('firm_id', True)
    >>> from cxresearch.core import paths
    >>> q = load_linkage_study(paths.TESTS_DIR / "data" / "own_survey_quarterly")
    >>> q.time, q.customers["quarter"].iloc[0], q.period_alignment.split(":")[0]
    ('quarter', '2024Q1', 'linked by quarter')
    """
    from cxresearch.io.instrument import Instrument, find_instrument
    from cxresearch.io.readers import as_instrument, find_table, load_study

    if data_dir is None:
        return load_study(None, instrument=instrument)
    directory = Path(data_dir)
    if instrument is not None:
        inst = as_instrument(instrument, strict=False)
    else:
        found = find_instrument(directory) if directory.is_dir() else None
        inst = Instrument.read(found, strict=False) if found is not None else None
    unit = (inst or Instrument.bundled()).unit
    tables = ["customers", "employees"]
    if find_table(directory, "outcomes") is not None or (
            unit == "firm_id" and find_table(directory, "firm_years") is not None):
        tables.append("outcomes")
    return _linked(load_study(directory, tables=tables, instrument=inst, on_invalid=on_invalid))


def _linked(study: LoadedStudy) -> LoadedStudy:
    """The study with its tables linked at one period (:func:`align_periods`)."""
    inst = study.instrument
    if inst is None:
        return study
    al = align_periods({"customers": study.customers, "employees": study.employees,
                        "outcomes": study.outcomes}, inst)
    if not inst.time_by_table and al.time == inst.time and not al.changed:
        return study
    outcomes = al.tables.get("outcomes", study.outcomes)
    return dataclasses.replace(
        study, customers=al.tables.get("customers", study.customers),
        employees=al.tables.get("employees", study.employees),
        outcomes=outcomes,
        firm_years=outcomes if study.firm_years is study.outcomes else study.firm_years,
        instrument=dataclasses.replace(inst, time=al.time, time_by_table={}),
        period_alignment=al.summary())


def _keys(unit: str, time: str | None) -> list[str]:
    return [unit, *([time] if time else [])]


def _scale_sets(instrument: Instrument, employees: pd.DataFrame) -> dict[str, list[str]]:
    return {n: [c for c in s.items if c in employees.columns]
            for n, s in instrument.scales.items()
            if any(c in employees.columns for c in s.items)}


def _metric_sets(instrument: Instrument, customers: pd.DataFrame) -> dict[str, str]:
    return {n: m.column for n, m in instrument.metrics.items() if m.column in customers.columns}


def _recoded(employees: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    from cxresearch.core.contract import reverse_items

    rev = {c: r for c, r in instrument.reverse_map().items() if c in employees.columns}
    return reverse_items(employees, rev) if rev else employees.copy()


def _points(rng: tuple[float, float]) -> int:
    return int(np.rint(rng[1] - rng[0])) + 1


def aggregation_checks(
    employees: pd.DataFrame | None,
    customers: pd.DataFrame | None,
    instrument: Instrument,
    keys: Sequence[str] | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """ICC(1), ICC(2) and rwg(j) of each scale (employees) and metric (customers) of an
    instrument, with answers grouped by unit and period.

    :func:`cxresearch.linkage.multilevel.aggregation_indices` on the employees' scales
    (reverse-keyed
    items recoded ``lo + hi - x`` first, as declared in the instrument) and on each customer
    metric as a one-item set; the number of answer options of each set is ``hi - lo + 1`` of
    its declared range (rwg's uniform null). ``keys`` default to the instrument's unit and
    time (the coarser of the two tables' periods when they differ, :func:`align_periods`). A
    missing table contributes no rows.

    Parameters
    ----------
    employees, customers : DataFrame or None
        One row per answer, with the key columns and the items (None: no such table).
    instrument : Instrument
        Unit, time, scales (with reverse keys and ranges) and metrics.
    keys : sequence of str, optional
        The grouping columns (default the instrument's unit and time).
    level : float
        Confidence level of the ICC(1) intervals.

    Returns
    -------
    DataFrame
        The stacked rows of :func:`~cxresearch.linkage.multilevel.aggregation_indices`
        (``item_set`` named after the scale or metric) with a ``source`` column
        (``employees`` / ``customers``).

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In Klein &
    Kozlowski (eds.), *Multilevel Theory, Research, and Methods in Organizations*, 349-381.
    James, L. R., Demaree, R. G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *J. Applied Psychology* 69(1), 85-98.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> out = aggregation_checks(s.employees, s.customers, s.instrument())
    >>> out["item_set"].tolist(), int(out["n_groups"].iloc[0])
    (['culture', 'engagement', 'nps', 'csat', 'ces'], 90)
    """
    from cxresearch.linkage.multilevel import add_group_key, aggregation_indices

    level = check_level(level)
    if keys is None:
        al = align_periods({"customers": customers, "employees": employees}, instrument)
        employees, customers = al.tables.get("employees"), al.tables.get("customers")
        keys = _keys(instrument.unit, al.time)
    keys = list(keys)
    frames = []
    if employees is not None:
        sets = _scale_sets(instrument, employees)
        if sets:
            emp = add_group_key(_recoded(employees, instrument), keys, name="_cell")
            points = {n: _points(instrument.scales[n].range) for n in sets}
            frames.append(aggregation_indices(
                emp, "_cell", sets, scale_points=points, warn=False, level=level
            ).assign(source="employees"))
    if customers is not None:
        metrics = _metric_sets(instrument, customers)
        if metrics:
            cus = add_group_key(customers, keys, name="_cell")
            points = {n: _points(instrument.metrics[n].range) for n in metrics}
            frames.append(aggregation_indices(
                cus.astype({c: float for c in metrics.values()}), "_cell",
                {n: [c] for n, c in metrics.items()}, scale_points=points, warn=False,
                level=level).assign(source="customers"))
    if not frames:
        raise DataError("aggregation_checks: neither employees' scales nor customers' metrics "
                        "of the instrument are in the data")
    return pd.concat(frames, ignore_index=True)


def unit_panel(
    employees: pd.DataFrame,
    customers: pd.DataFrame,
    instrument: Instrument,
    outcomes: pd.DataFrame | None = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """The unit x period panel of employee (EX) and customer (CX) experience, with outcomes.

    - EX: each employee's mean of the instrument's scale items, each item recoded if
      reverse-keyed and z-scored over all employees (so that items on 1-7 and 1-5 weigh
      equally), averaged per unit and period;
    - CX: each customer's mean of the z-scored metric columns answered (NPS, CSAT, CES, ...),
      averaged per unit and period, weighted by ``weight`` (default: the instrument's
      ``weight`` when the customers have it; Kish's effective size for the sampling variance,
      see :func:`cxresearch.linkage.multilevel.group_scores`).

    ``n_ex, ev_ex, n_cx, ev_cx`` are the respondents and the sampling variance of each mean
    (``n_eff_cx`` with weights), as :func:`cxresearch.linkage.panel.linkage_panel` gives them for
    firm-years. With ``outcomes`` (one row per unit and period) its columns are joined (left
    join on the units and periods that have answers). Sorted by unit and period. When the
    tables' periods differ (``time: {customers: month, employees: quarter}``) the panel is by
    unit and the coarsest period among them (:func:`align_periods`), in that table's period
    column.

    Parameters
    ----------
    employees, customers : DataFrame
        One row per answer, with the instrument's unit (and time) and items.
    instrument : Instrument
        Unit, time, weight, scales (with reverse keys) and metrics.
    outcomes : DataFrame, optional
        One row per unit and period.
    weight : str, optional
        The customers' weight column (default the instrument's; ``""`` for none).

    Returns
    -------
    DataFrame
        ``unit[, time], ex, n_ex, ev_ex, cx, n_cx, ev_cx[, n_eff_cx]`` and the outcomes.

    References
    ----------
    Harter, J. K., Schmidt, F. L. & Hayes, T. L. (2002). Business-unit-level relationship
    between employee satisfaction, employee engagement, and business outcomes. *J. Applied
    Psychology* 87(2), 268-279.
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> p = unit_panel(s.employees, s.customers, s.instrument(), s.outcomes)
    >>> p.shape[0], [c for c in p.columns if c.startswith("n_")]
    (90, ['n_ex', 'n_cx', 'n_eff_cx'])
    """
    from cxresearch.linkage.multilevel import group_scores

    unit = instrument.unit
    al = align_periods({"customers": customers, "employees": employees, "outcomes": outcomes},
                       instrument)
    customers, employees = al.tables["customers"], al.tables["employees"]
    outcomes = al.tables.get("outcomes")
    time = al.time
    keys = _keys(unit, time)
    sets = _scale_sets(instrument, employees)
    metrics = _metric_sets(instrument, customers)
    if not sets:
        raise DataError(f"unit_panel: the employees have none of the instrument's scale items "
                        f"{[c for s in instrument.scales.values() for c in s.items]}")
    if not metrics:
        raise DataError("unit_panel: the customers have none of the instrument's metric "
                        f"columns {list(instrument.metric_columns().values())}")
    require_columns(employees, keys, "employees")
    require_columns(customers, keys, "customers")
    if weight is None:
        weight = instrument.weight if instrument.weight in customers.columns else ""
    ex_items = [c for cols in sets.values() for c in cols]
    emp = _recoded(employees, instrument)[[*keys, *ex_items]].copy()
    for c in ex_items:
        emp[c] = standardize(emp[c].astype(float))
    cx_items = list(dict.fromkeys(metrics.values()))
    cus = customers[[*keys, *cx_items] + ([weight] if weight else [])].copy()
    for c in cx_items:
        cus[c] = standardize(cus[c].astype(float))
    ex = group_scores(emp, keys, {"ex": ex_items})
    cx = group_scores(cus, keys, {"cx": cx_items}, weight=weight or None)
    out = ex.merge(cx, on=keys, how="outer")
    if outcomes is not None:
        require_columns(outcomes, keys, "outcomes")
        out = out.merge(outcomes, on=keys, how="left", suffixes=("", "_outcomes"))
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def outcome_columns(data: pd.DataFrame | None, keys: Sequence[str]) -> list[str]:
    """The numeric columns of an outcomes table other than its keys (in table order), with
    at least two distinct values.

    Parameters
    ----------
    data : DataFrame or None
        An outcomes table (None: no table).
    keys : sequence of str
        Its key columns (unit, period), left out.

    Returns
    -------
    list of str
        The outcome columns (empty without a table).

    Examples
    --------
    >>> o = pd.DataFrame({"store_id": ["S1", "S2"], "wave": [1, 1], "sales_growth": [1.0, 2.5],
    ...                   "note": ["a", "b"], "flat": [3, 3]})
    >>> outcome_columns(o, ["store_id", "wave"])
    ['sales_growth']
    """
    if data is None:
        return []
    return [str(c) for c in data.columns if c not in keys
            and pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
            and data[c].nunique(dropna=True) > 1]


def _true_z(data: pd.DataFrame, score: str, ev: str | None) -> tuple[pd.Series, pd.Series | None]:
    x = data[score].astype(float)
    if ev is None:
        return standardize(x), None
    e = data[ev].astype(float)
    signal = x.var(ddof=1) - e.mean()
    if not signal > 0:
        raise DataError(f"unit_linkage: the sampling variance of {score!r} ({e.mean():.4g}) is "
                        f"not below the variance of its means ({x.var(ddof=1):.4g}): the unit "
                        "means carry no true-score variance")
    return (x - x.mean()) / np.sqrt(signal), e / signal


def unit_linkage(
    data: pd.DataFrame,
    outcomes: Sequence[str] = (),
    unit: str = "unit",
    time: str | None = None,
    exposure: str = "ex",
    mediator: str = "cx",
    error_variance: Mapping[str, str] | None = None,
    *,
    level: float = 0.95,
) -> EIVResult:
    """Unit-level EX -> CX -> outcomes, corrected for noisy survey means, clustered by unit.

    Two kinds of equation on a unit x period panel (:func:`unit_panel`):

    - ``mediator ~ exposure`` (CX on EX; the chain's first link, *a*);
    - for each outcome ``y``: ``y ~ exposure + mediator`` (CX -> y given EX, *b*, and EX -> y
      given CX, the direct path).

    EX and CX enter in **true-score SD** units: ``(x - mean) / sqrt(var(x) - mean(ev))``,
    their sampling variances scaled alike, and the attenuation that noisy unit means cause is
    undone by :func:`cxresearch.linkage.panel.eiv_regression` (method of moments, Fuller 1987). The
    outcomes stay in their own units (e.g. percentage points per SD of CX). With repeated
    periods (``time`` with more than one value) period effects are partialled out and the
    standard errors are clustered by ``unit`` (t on G - 1 df); with one period every unit is
    its own cluster. These are associations: unit differences that move EX, CX and the
    outcomes together are not removed.

    Parameters
    ----------
    data : DataFrame
        One row per unit and period with ``exposure``, ``mediator``, their sampling variances
        and the outcome columns.
    outcomes : sequence of str
        Outcome columns (none: only the EX -> CX equation).
    unit, time : str
        Unit and period columns (``time`` may be None).
    exposure, mediator : str
        The EX and CX columns.
    error_variance : mapping, optional
        ``{column: sampling-variance column}``; default ``ev_<exposure>``, ``ev_<mediator>``
        when present.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    EIVResult
        ``to_frame()``: ``outcome, term, estimate, se, ci_low, ci_high, p_value, ols_estimate,
        reliability, n_obs, n_clusters`` (``outcome`` is the equation's dependent column);
        ``conf_int(level=)``, ``summary()``.

    References
    ----------
    Fuller, W. A. (1987). *Measurement Error Models*. Wiley, sec. 2.2.
    Harter, J. K., Schmidt, F. L. & Hayes, T. L. (2002). *J. Applied Psychology* 87(2).
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> p = unit_panel(s.employees, s.customers, s.instrument(), s.outcomes)
    >>> out = unit_linkage(p, ["sales_growth"], unit="store_id", time="wave").to_frame()
    >>> out[["outcome", "term"]].values.tolist()
    [['cx', 'ex'], ['sales_growth', 'ex'], ['sales_growth', 'cx']]
    """
    level = check_level(level)
    outcomes = list(outcomes)
    if error_variance is None:
        error_variance = {v: f"ev_{v}" for v in (exposure, mediator)
                          if f"ev_{v}" in data.columns}
    ev_map = dict(error_variance)
    keys = _keys(unit, time)
    require_columns(data, [*keys, exposure, mediator, *outcomes, *ev_map.values()])
    require_numeric(data, [exposure, mediator, *outcomes])
    work = data[list(dict.fromkeys([*keys, exposure, mediator, *outcomes,
                                    *ev_map.values()]))].copy()
    work = work.dropna(subset=[exposure, mediator]).reset_index(drop=True)
    evs: dict[str, str] = {}
    for v in (exposure, mediator):
        z, e = _true_z(work, v, ev_map.get(v))
        work[v] = z
        if e is not None:
            work[f"_ev_{v}"] = e
            evs[v] = f"_ev_{v}"
    periods = work[time].nunique() if time else 1
    common = {"unit": unit, "time": time if periods > 1 else None,
              "time_effects": periods > 1, "cluster": unit, "level": level}
    frames = [eiv_regression(work, mediator, [exposure], error_variance=evs, **common)
              .to_frame().assign(outcome=mediator)]
    for y in outcomes:
        frames.append(eiv_regression(work, y, [exposure, mediator], error_variance=evs,
                                     **common).to_frame().assign(outcome=y))
    out = pd.concat(frames, ignore_index=True)
    return EIVResult(estimates=out[["outcome", *[c for c in out.columns if c != "outcome"]]],
                     outcome=", ".join([mediator, *outcomes]), level=level)


def linkage_precondition(study: LoadedStudy, data: pd.DataFrame | None = None) -> str | None:
    """Why the unit-level linkage (:func:`unit_linkage`) cannot run on a study's units, or None.

    The unit x period EX and CX means of :func:`unit_panel` must each have a reliability
    (:func:`cxresearch.linkage.panel.mean_reliability`) of at least :data:`RELIABILITY_FLOOR`,
    and :func:`unit_linkage` on them (with the outcomes' columns) must not fail, e.g. on a
    corrected moment matrix that is not positive definite. Notebook 05 skips its unit-level
    linkage with this reason, and ``python -m cxresearch check`` reports the same one. The
    bundled firm-year design (``study.unit == "firm_id"`` with ``firm_years``) and studies
    without employees or customers give None (other checks apply to them).

    Parameters
    ----------
    study : LoadedStudy
        As :func:`load_linkage_study` returns it.
    data : DataFrame, optional
        Its :func:`unit_panel` (computed when not given).

    Returns
    -------
    str or None
        The reason in words (for :func:`cxresearch.cli.check.skipped`), None when it can run.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> linkage_precondition(load_linkage_study(paths.TESTS_DIR / "data" / "own_survey")) is None
    True
    >>> print(linkage_precondition(
    ...     load_linkage_study(paths.TESTS_DIR / "data" / "own_survey_sparse")))
    ... # doctest: +NORMALIZE_WHITESPACE
    the store_id × wave EX means are too noisy to correct: 2.5 employees per store_id × wave on
    average, reliability 0.107, below the floor of 0.2
    """
    from cxresearch.linkage.panel import mean_reliability

    inst = study.instrument
    if inst is None or study.employees is None or study.customers is None:
        return None
    if study.firm_years is not None and study.firms is not None and study.unit == "firm_id":
        return None
    unit, time = study.unit, study.time
    keys = _keys(unit, time)
    cell = " × ".join(keys)
    panel = data
    if panel is None:
        try:
            panel = unit_panel(study.employees, study.customers, inst, study.outcomes)
        except DataError as exc:
            return f"the {cell} means cannot be formed ({exc})"
    low = {}
    for score, who in (("ex", "employees"), ("cx", "customers")):
        rel = mean_reliability(panel, score, f"ev_{score}")
        if not rel >= RELIABILITY_FLOOR:
            low[score.upper()] = (f"{panel[f'n_{score}'].mean():.1f} {who} per {cell} on "
                                  f"average, reliability {rel:.3f}")
    if low:
        return (f"the {cell} {' and '.join(low)} means are too noisy to correct: "
                + "; ".join(low.values()) + f", below the floor of {RELIABILITY_FLOOR}")
    try:
        unit_linkage(panel, outcome_columns(study.outcomes, keys), unit=unit, time=time)
    except DataError as exc:
        return f"the {cell} means are too noisy to correct ({exc})"
    return None
