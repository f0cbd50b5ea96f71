"""Reading and validating survey exports (CSV, Excel, SPSS ``.sav``) and study directories.

One table specification per *kind* (``customers``, ``employees``, ``firms``, ``firm_years``)
is the single source of truth for the bundled study's column names, types, units, allowed values,
meanings and question wording: it drives the pandera schemas here and the data dictionary
(``datapackage.json``) written by :mod:`cxresearch.cli.data_build`.

A user's own survey is described by an ``instrument.yml`` (:mod:`cxresearch.io.instrument`): its
nesting unit, time, weight, scales, metrics, drivers and segments. :func:`read_survey` and
:func:`load_study` check the data against it, so a user's item names, counts and answer ranges
flow through without renaming; the contract's checks then apply only to the contract's columns
the instrument does not declare. Without an instrument the contract's names are expected
(:func:`default_instrument`).

Survey platforms' exports (Qualtrics CSV/TSV with three or two header rows and SPSS ``.sav``,
SurveyMonkey's two-row header, Google Forms, plain tables) are recognised by
:func:`cxresearch.io.exports.read_export`; the question text is kept in ``df.attrs["labels"]``.
Personal data (names, e-mail addresses, phone numbers, postal and IP addresses, geolocation)
are found by column name and by value (:mod:`cxresearch.io.pii`) and dropped before anything
else sees the table, with the reason in ``df.attrs["read_report"]["dropped_pii"]``, unless
``keep_pii=`` says otherwise.

Data hygiene, with a record in the read report: a platform's unfinished and preview responses
(Qualtrics ``Finished``/``Progress``, ``Status``/``DistributionChannel``;
:func:`cxresearch.io.exports.incomplete_rows`) are excluded and counted
(``excluded_incomplete``) unless ``keep_incomplete=True``; with ``on_invalid="set_aside"`` rows
holding malformed or out-of-range answers are left out instead of raising, counted by column and
rule, and listed by the platform's response id by :func:`write_set_aside`.

Rules (docs/DEVELOPING.md): inputs are never modified; bad input raises
:class:`SurveyValidationError` (a :class:`cxresearch.core.validation.DataError`, so a
``ValueError``)
whose message names the column, the rule and the first offending rows, e.g.
``column 'nps': 2 value(s) outside 0..10 at rows [1, 4]``.
Rows are 0-based data rows; for CSV and Excel files the message also gives the line (spreadsheet
row) number, counting the header rows.

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "c.csv").write_text("ID,Recommend,Email\\nr1,9,a@b.org\\nr2,6,c@d.org\\n")
>>> df = read_survey(d / "c.csv", kind="customers", columns={"ID": "respondent_id",
...                                                         "Recommend": "nps"})
>>> df.columns.tolist(), df["nps"].tolist()
(['respondent_id', 'nps'], [9, 6])
>>> [(f["column"], f["reason"]) for f in df.attrs["read_report"]["dropped_pii"]]
[('Email', 'email')]
>>> _ = (d / "bad.csv").write_text("respondent_id,nps\\nr1,9\\nr2,11\\n")
>>> read_survey(d / "bad.csv", kind="customers")
Traceback (most recent call last):
...
cxresearch.io.readers.SurveyValidationError: bad.csv (customers): column 'nps': 1 value(s)
    outside 0..10 at rows [1] (file lines [3]); first values: [11]
"""

from __future__ import annotations

import contextlib
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxresearch.core.contract import (
    CULTURE_ITEMS,
    ENGAGEMENT_ITEMS,
    INDUSTRIES,
    ITEM_RANGES,
    OWNERS,
    REVERSE_KEYED,
    SIZE_BANDS,
)
from cxresearch.core.validation import DataError
from cxresearch.io.study import Study

if TYPE_CHECKING:
    from cxresearch.io.instrument import Instrument

__all__ = [
    "KINDS",
    "STUDY_TABLES",
    "TABLE_SPECS",
    "TABLE_SUFFIXES",
    "ColumnSpec",
    "LoadedStudy",
    "SurveyValidationError",
    "data_dictionary",
    "default_instrument",
    "find_table",
    "load_study",
    "read_survey",
    "schema",
    "study_overview",
    "write_set_aside",
]

KINDS: tuple[str, ...] = ("customers", "employees", "firms", "firm_years")
#: the tables of a study folder: the contract's four, and the two of a one-company design whose
#: unit is not a firm (``units``: one row per store, branch or team; ``outcomes``: one row per
#: unit and period), keyed by the instrument's ``unit`` (and ``time``)
STUDY_TABLES: tuple[str, ...] = (*KINDS, "units", "outcomes")
_MAX_ROWS_SHOWN = 5


class SurveyValidationError(DataError):
    """Bad survey input; ``problems`` lists one message per column and rule.

    A :class:`cxresearch.core.validation.DataError` (and so a ``ValueError``).

    Parameters
    ----------
    message : str
        The whole message (every problem, joined).
    problems : list of str, optional
        One message per column and rule (default: ``[message]``).

    Examples
    --------
    >>> e = SurveyValidationError("t: two problems", ["column 'a': ...", "column 'b': ..."])
    >>> isinstance(e, ValueError), len(e.problems)
    (True, 2)
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems) if problems else [message]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table kind: type, unit, allowed values and meaning.

    Parameters
    ----------
    name : str
        The column's name in the contract.
    type : {"string", "integer", "number"}
        Its type after conversion.
    description : str
        What it means.
    unit : str, optional
        Its unit.
    minimum, maximum : float, optional
        The allowed range.
    enum : tuple of str, optional
        The allowed values.
    required : bool
        Required in any user export of this kind.
    nullable : bool
        Missing values allowed (nullable integers become ``Int64``).
    unique : bool
        Values are unique (an id).
    question : str, optional
        The question's wording, for answers to a survey question.

    Examples
    --------
    >>> spec = {s.name: s for s in TABLE_SPECS["customers"]}["nps"]
    >>> spec.type, spec.minimum, spec.maximum
    ('integer', 0, 10)
    >>> spec.to_field()["constraints"]["maximum"]
    10
    """

    name: str
    type: str  # "string" | "integer" | "number"
    description: str
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    enum: tuple[str, ...] | None = None
    required: bool = False  # required in any user export of this kind
    nullable: bool = False  # missing values allowed (nullable integers become Int64)
    unique: bool = False
    question: str | None = None  # the question's wording, for answers to a survey question

    def to_field(self) -> dict[str, Any]:
        """A Frictionless Table Schema field descriptor."""
        field: dict[str, Any] = {"name": self.name, "type": self.type}
        field["description"] = self.description
        if self.unit:
            field["unit"] = self.unit
        cons: dict[str, Any] = {}
        if not self.nullable:
            cons["required"] = True
        if self.unique:
            cons["unique"] = True
        if self.minimum is not None:
            cons["minimum"] = int(self.minimum) if self.type == "integer" else self.minimum
        if self.maximum is not None:
            cons["maximum"] = int(self.maximum) if self.type == "integer" else self.maximum
        if self.enum is not None:
            cons["enum"] = list(self.enum)
        if cons:
            field["constraints"] = cons
        if self.question:
            field["question"] = self.question
        return field


#: the wording of the employee survey's items (paraphrased, not copyrighted instruments)
_ITEM_TEXT: dict[str, str] = {
    "culture_1": "Customers' needs come first in the decisions we make",
    "culture_2": "I know how my work affects our customers",
    "culture_3": "We act on what customers tell us",
    "culture_4": "Internal rules get in the way of serving customers well",
    "culture_5": "Leaders here talk about customers regularly",
    "culture_6": "I am empowered to fix a customer's problem on the spot",
    "engagement_1": "I am proud to work here",
    "engagement_2": "I would recommend this company as a place to work",
    "engagement_3": "I rarely think about leaving",
    "engagement_4": "My work gives me a sense of accomplishment",
    "engagement_5": "I have what I need to do my job well",
}


def _likert(name: str) -> ColumnSpec:
    lo, hi = ITEM_RANGES[name]
    rev = f" REVERSE-KEYED: score as {lo + hi} - value." if name in REVERSE_KEYED else ""
    return ColumnSpec(
        name, "integer", f"Likert {lo}-{hi} ({lo} = strongly disagree): '{_ITEM_TEXT[name]}'.{rev}",
        unit="scale point", minimum=lo, maximum=hi, nullable=True, question=_ITEM_TEXT[name],
    )  # fmt: skip

#: the wording of the customer survey's single questions (the synthetic study's; a user's
#: export keeps its own wording in ``df.attrs["labels"]``)
_QUESTION_TEXT: dict[str, str] = {
    "nps": "How likely is it that you would recommend the company to a friend or colleague?",
    "csat": "Overall, how satisfied are you with the company?",
    "ces": "The company made it easy for me to handle my issue.",
}

TABLE_SPECS: dict[str, tuple[ColumnSpec, ...]] = {
    "firms": (
        ColumnSpec("firm_id", "string", "Firm identifier, e.g. F0001.", required=True,
                   unique=True),
        ColumnSpec("industry", "string", "Industry.", enum=INDUSTRIES),
        ColumnSpec("size_band", "string", "Size band by employees.", enum=SIZE_BANDS),
        ColumnSpec("n_employees", "integer", "Number of employees.", unit="people", minimum=1),
        ColumnSpec("cx_owner", "string",
                   "Who owns CX at the end of the panel: a dedicated CX leader (CXO/CCO), the "
                   "CEO, COO or CMO, or nobody ('everyone's job').", enum=OWNERS),
        ColumnSpec("cx_leader_year", "integer",
                   "Year a dedicated CX leader was appointed; missing if never or before the "
                   "panel.", unit="year", minimum=1900, maximum=2100, nullable=True),
        ColumnSpec("stated_cx_priority", "integer",
                   "Stated priority of CX (1 = low, 5 = top priority): the 'say'.",
                   unit="scale point", minimum=1, maximum=5),
        ColumnSpec("cx_budget_share", "number",
                   "CX budget as a share of operating budget: the 'do'.", unit="percent",
                   minimum=0, maximum=100),
    ),
    "firm_years": (
        ColumnSpec("firm_id", "string", "Firm identifier.", required=True),
        ColumnSpec("year", "integer", "Calendar year.", unit="year", required=True,
                   minimum=1900, maximum=2100),
        ColumnSpec("has_cx_leader", "integer", "1 if a dedicated CX leader is in post.",
                   minimum=0, maximum=1),
        ColumnSpec("revenue", "number", "Revenue.", unit="USD million", minimum=0),
        ColumnSpec("revenue_growth", "number", "Revenue growth on the previous year.",
                   unit="percent", minimum=-100),
        ColumnSpec("cost_to_serve", "number", "Service cost per customer per year.",
                   unit="USD per customer", minimum=0),
        ColumnSpec("contacts_per_customer", "number",
                   "Service contacts (calls, chats, e-mails) per customer per year.",
                   unit="contacts per customer", minimum=0),
        ColumnSpec("employee_turnover", "number",
                   "Annual employee turnover (leavers / average headcount; can exceed 100).",
                   unit="percent", minimum=0),
        ColumnSpec("n_customers", "integer", "Number of customers.", unit="customers",
                   minimum=0),
    ),
    "employees": (
        ColumnSpec("respondent_id", "string", "Employee respondent identifier.",
                   required=True, unique=True),
        ColumnSpec("firm_id", "string", "Firm identifier."),
        ColumnSpec("team_id", "string", "Team identifier (nested in firm)."),
        ColumnSpec("year", "integer", "Survey year.", unit="year", minimum=1900, maximum=2100),
        *(_likert(item) for item in CULTURE_ITEMS + ENGAGEMENT_ITEMS),
    ),
    "customers": (
        ColumnSpec("respondent_id", "string", "Customer respondent identifier.",
                   required=True, unique=True),
        ColumnSpec("firm_id", "string", "Firm identifier."),
        ColumnSpec("year", "integer", "Survey year.", unit="year", minimum=1900, maximum=2100),
        ColumnSpec("nps", "integer",
                   "Likelihood to recommend, 0-10 (9-10 promoter, 0-6 detractor).",
                   unit="scale point", minimum=ITEM_RANGES["nps"][0],
                   maximum=ITEM_RANGES["nps"][1], nullable=True,
                   question=_QUESTION_TEXT["nps"]),
        ColumnSpec("csat", "integer", "Satisfaction, 1-5 (5 = very satisfied).",
                   unit="scale point", minimum=ITEM_RANGES["csat"][0],
                   maximum=ITEM_RANGES["csat"][1], nullable=True,
                   question=_QUESTION_TEXT["csat"]),
        ColumnSpec("ces", "integer",
                   "Customer effort, 1-7 agreement with 'The company made it easy for me to "
                   "handle my issue' (7 = very easy); asked only after a service contact.",
                   unit="scale point", minimum=ITEM_RANGES["ces"][0],
                   maximum=ITEM_RANGES["ces"][1], nullable=True,
                   question=_QUESTION_TEXT["ces"]),
        ColumnSpec("tenure_months", "integer", "Months as a customer.", unit="months",
                   minimum=0, nullable=True),
        ColumnSpec("annual_spend", "number", "Spend in the last 12 months.", unit="USD",
                   minimum=0, nullable=True),
        ColumnSpec("churned", "integer", "1 if the customer left within 12 months.",
                   minimum=0, maximum=1, nullable=True),
        ColumnSpec("referrals", "integer", "Customers referred in the last 12 months.",
                   unit="count", minimum=0, nullable=True),
    ),
}  # fmt: skip

# At least one of these must be present in a user's export of this kind.
_ONE_OF: dict[str, tuple[str, ...]] = {
    "customers": ("nps", "csat", "ces"),
    "employees": CULTURE_ITEMS + ENGAGEMENT_ITEMS,
}
_UNIQUE_TOGETHER: dict[str, list[str]] = {"firm_years": ["firm_id", "year"]}
#: platforms' respondent-id columns, recognised as ``respondent_id`` (Qualtrics' ``ResponseId``
#: and the legacy ``ResponseID``; SurveyMonkey's ``Respondent ID`` matches after lower-casing)
_PLATFORM_IDS: tuple[str, ...] = ("ResponseId", "ResponseID")
#: what ``on_invalid=`` takes
ON_INVALID: tuple[str, ...] = ("raise", "set_aside")


@contextlib.contextmanager
def _quiet_backends() -> Iterator[None]:
    """pandera imports optional backends (PySpark) when it first validates; an installed
    PySpark warns about the pandas version on import, which says nothing about our data."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*PySpark", category=FutureWarning)
        yield


def _pandera() -> Any:
    """``pandera.pandas``, imported quietly (see :func:`_quiet_backends`)."""
    with _quiet_backends():
        import pandera.pandas as pa
    return pa


def _specs(kind: str) -> tuple[ColumnSpec, ...]:
    if kind not in TABLE_SPECS:
        raise DataError(f"argument 'kind': {kind!r} is not one of {list(KINDS)}")
    return TABLE_SPECS[kind]


def schema(kind: str, strict: bool = False) -> Any:
    """The pandera ``DataFrameSchema`` for a table kind (value rules after type conversion).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    strict : bool, default False
        Make every contract column required (as :func:`load_study` does for a whole study).

    Returns
    -------
    pandera.DataFrameSchema

    Examples
    --------
    >>> schema("customers").columns["nps"].checks
    [<Check in_range: in_range(0, 10)>]
    """
    return _schema(kind, strict)


def _schema(kind: str, strict: bool, skip: frozenset[str] = frozenset()) -> Any:
    pa = _pandera()
    cols = {}
    for spec in _specs(kind):
        if spec.name in skip:
            continue
        checks = []
        if spec.minimum is not None and spec.maximum is not None:
            checks.append(pa.Check.in_range(spec.minimum, spec.maximum))
        elif spec.minimum is not None:
            checks.append(pa.Check.ge(spec.minimum))
        elif spec.maximum is not None:
            checks.append(pa.Check.le(spec.maximum))
        if spec.enum is not None:
            checks.append(pa.Check.isin(list(spec.enum)))
        cols[spec.name] = pa.Column(
            checks=checks,
            nullable=spec.nullable,
            unique=spec.unique,
            required=strict or spec.required,
        )
    return pa.DataFrameSchema(cols, unique=_UNIQUE_TOGETHER.get(kind), name=kind)


def _rows_text(rows: list[int], line_offset: int | None) -> str:
    shown = rows[:_MAX_ROWS_SHOWN]
    more = "..." if len(rows) > _MAX_ROWS_SHOWN else ""
    text = f"rows {shown}{more}".replace("]...", ", ...]")
    if line_offset is not None:
        text += f" (file lines {[r + line_offset for r in shown]})"
    return text


def _describe_range(spec: ColumnSpec) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        lo, hi = spec.minimum, spec.maximum
        if spec.type == "integer":
            lo, hi = int(lo), int(hi)
        return f"outside {lo}..{hi}"
    if spec.minimum is not None:
        return f"below the minimum {spec.minimum}"
    return f"above the maximum {spec.maximum}"


def _convert(
    df: pd.DataFrame, kind: str, line_offset: int | None, skip: frozenset[str] = frozenset()
) -> tuple[pd.DataFrame, list[str]]:
    """Convert contract columns to their types; report text in numbers and fractional ints."""
    out = df.copy()
    problems: list[str] = []
    for spec in _specs(kind):
        if spec.name not in out.columns or spec.name in skip:
            continue
        col = out[spec.name]
        if spec.type == "string":
            mask = col.notna()
            conv = col.astype("str")
            conv[~mask] = pd.NA
            out[spec.name] = conv.str.strip() if len(conv) else conv
            continue
        if pd.api.types.is_bool_dtype(col):
            col = col.astype("Int64")
        if pd.api.types.is_numeric_dtype(col):
            num = col.astype("float64")
            bad = pd.Series(False, index=col.index)
        else:
            text = col.astype("str").str.strip()
            text[col.isna()] = pd.NA
            text = text.replace({"": pd.NA})
            num = pd.to_numeric(text, errors="coerce").astype("float64")
            bad = text.notna() & num.isna()
        if bad.any():
            rows = [int(i) for i in np.flatnonzero(bad.to_numpy())]
            vals = [str(v) for v in col[bad].head(3).tolist()]
            problems.append(
                f"column '{spec.name}': text in a numeric column: {len(rows)} value(s) at "
                f"{_rows_text(rows, line_offset)}; first values: {vals}"
            )
            continue
        if spec.type == "integer":
            frac = num.notna() & (num != np.round(num))
            if frac.any():
                rows = [int(i) for i in np.flatnonzero(frac.to_numpy())]
                problems.append(
                    f"column '{spec.name}': {len(rows)} value(s) not whole numbers at "
                    f"{_rows_text(rows, line_offset)}; first values: "
                    f"{num[frac].head(3).tolist()}"
                )
                continue
            if spec.nullable or num.isna().any():
                out[spec.name] = pd.array(num.round(), dtype="Int64")
            else:
                out[spec.name] = num.astype("int64")
        else:
            out[spec.name] = num
    return out, problems


def _pandera_problems(
    df: pd.DataFrame, kind: str, strict: bool, line_offset: int | None,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    pa = _pandera()
    specs = {s.name: s for s in _specs(kind)}
    try:
        with _quiet_backends():
            _schema(kind, strict, skip).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        problems = []
        for (column, check), grp in fc.groupby(["column", "check"], sort=False, dropna=False):
            rows = sorted({int(i) for i in grp["index"].dropna()})
            vals = grp["failure_case"].head(3).tolist()
            spec = specs.get(str(column))
            check = str(check)
            if check == "column_in_dataframe":
                continue  # reported by the required-columns check
            if check.startswith(("in_range", "greater", "less")):
                rule = _describe_range(spec) if spec else check
                what = f"{len(rows)} value(s) {rule}"
            elif check.startswith("isin") and spec and spec.enum:
                what = f"{len(rows)} value(s) not in {list(spec.enum)}"
            elif check == "field_uniqueness":
                what = f"{len(rows)} duplicated value(s)"
            elif check == "not_nullable":
                what = f"{len(rows)} missing value(s) in a required column"
            elif "multiple_fields_uniqueness" in check or column is None or column is np.nan:
                cols = _UNIQUE_TOGETHER.get(kind, [])
                problems.append(
                    f"columns {cols}: {len(rows)} duplicated combination(s) at "
                    f"{_rows_text(rows, line_offset)}"
                )
                continue
            else:
                what = f"rule {check} failed for {len(rows)} value(s)"
            problems.append(
                f"column '{column}': {what} at {_rows_text(rows, line_offset)}; "
                f"first values: {vals}"
            )
        return problems
    return []


def _validate_table(
    data: pd.DataFrame,
    kind: str,
    *,
    strict: bool = False,
    name: str = "table",
    line_offset: int | None = None,
) -> pd.DataFrame:
    """Check and type a table of one kind; return a converted copy (the input is not modified).

    Rules: required columns present (``strict=True``: every contract column), numbers parse,
    integers are whole, values within range / allowed set, ids unique. All problems are
    collected and raised together as one :class:`SurveyValidationError`.

    Parameters
    ----------
    data : DataFrame
        The table as read (text or numbers).
    kind : str
        One of :data:`KINDS`.
    strict : bool
        Every contract column is required (as :func:`load_study` requires).
    name : str
        What to call the table in messages (e.g. its file name).
    line_offset : int, optional
        Added to 0-based rows to give file lines in messages (2 for a CSV with a header).

    Returns
    -------
    DataFrame
        A converted copy: integers as ``int64`` or nullable ``Int64``, numbers as float.

    >>> import pandas as pd
    >>> t = _validate_table(pd.DataFrame({"respondent_id": ["a", "b"], "csat": ["5", "4"]}),
    ...                    "customers")
    >>> t["csat"].tolist()
    [5, 4]
    >>> _validate_table(pd.DataFrame({"respondent_id": ["a", "a"], "csat": [5, 4]}),
    ...                "customers")
    Traceback (most recent call last):
    ...
    cxresearch.io.readers.SurveyValidationError: table (customers): column 'respondent_id':
        2 duplicated value(s) at rows [0, 1]; first values: ['a', 'a']
    """
    out, problems = _validate(data, kind, strict=strict, line_offset=line_offset)
    if problems:
        raise SurveyValidationError(f"{name} ({kind}): " + "; ".join(problems), problems)
    return out


def _validate(
    data: pd.DataFrame,
    kind: str,
    *,
    strict: bool,
    line_offset: int | None,
    skip: frozenset[str] = frozenset(),
    one_of: bool = True,
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`_validate_table`'s rules, returning (converted copy, problems).

    ``skip``: contract columns whose rules are left to an instrument (it declares them with its
    own range); ``one_of=False``: an instrument, not the contract, says which answers a table
    must hold.
    """
    specs = [s for s in _specs(kind) if s.name not in skip]
    present = set(data.columns)
    needed = [s.name for s in specs if strict or s.required]
    missing = [c for c in needed if c not in present]
    problems: list[str] = []
    if missing:
        problems.append(
            f"missing required column(s) {missing}; found {list(data.columns)}; map your names "
            "with columns={'your name': 'contract name'}"
        )
    names = _ONE_OF.get(kind) if one_of else None
    if names and not strict and not present.intersection(names):
        problems.append(
            f"none of the columns {list(names)} is present; found {list(data.columns)}"
        )
    if problems:
        return data, problems
    out, problems = _convert(data.reset_index(drop=True), kind, line_offset, skip)
    if not problems:
        problems = _pandera_problems(out, kind, strict, line_offset, skip)
    return out, problems


def _decode_error(raw: bytes, exc: UnicodeDecodeError, encoding: str, name: str) -> str:
    line_no = raw.count(b"\n", 0, exc.start) + 1
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    header = raw.split(b"\n", 1)[0].decode("ascii", errors="replace").strip().split(",")
    field_no = raw.count(b",", line_start, exc.start)
    col = header[field_no] if field_no < len(header) else f"field {field_no + 1}"
    where = f"line {line_no}" + (f" (row {line_no - 2})" if line_no >= 2 else " (header)")
    return (
        f"{name}: not valid {encoding}: byte 0x{raw[exc.start]:02x} at {where}, in column "
        f"'{col}'; re-save the file as UTF-8 or pass encoding='latin-1' (or 'cp1252')"
    )


def _read_csv(path: Path, encoding: str, skiprows: Any) -> pd.DataFrame:
    import io as _io

    raw = path.read_bytes()
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        raise SurveyValidationError(_decode_error(raw, exc, encoding, path.name)) from None
    if not text.strip():
        raise SurveyValidationError(f"{path.name}: the file is empty (no header row, no data)")
    sep = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        return pd.read_csv(
            _io.StringIO(text), dtype=str, sep=sep, skiprows=skiprows, skipinitialspace=True
        )
    except pd.errors.EmptyDataError:
        raise SurveyValidationError(f"{path.name}: the file is empty (no header row)") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            msg = (
                f"{path.name}: line {m.group(2)} has {m.group(3)} fields but the header has "
                f"{m.group(1)} (row {int(m.group(2)) - 2}); check for unquoted commas"
            )
        else:
            msg = f"{path.name}: could not parse the CSV ({str(exc).strip()})"
        raise SurveyValidationError(msg) from None


def _read_excel(path: Path, sheet_name: Any, header: Any, skiprows: Any) -> pd.DataFrame:
    try:
        df = pd.read_excel(path, sheet_name=sheet_name, header=header, skiprows=skiprows,
                           dtype=object)  # fmt: skip
    except ValueError as exc:  # e.g. a missing sheet
        raise SurveyValidationError(f"{path.name}: {exc}") from None
    if isinstance(df.columns, pd.MultiIndex):  # header=[0, 1]: keep the most specific label
        names = []
        for levels in df.columns:
            labels = [str(x) for x in levels if not str(x).startswith("Unnamed:")]
            names.append(labels[-1] if labels else str(levels[-1]))
        df.columns = names
    return df


def _looks_like_second_header(df: pd.DataFrame, kind: str) -> list[str]:
    if df.empty:
        return []
    numeric = [s.name for s in _specs(kind) if s.type != "string" and s.name in df.columns]
    first = df.iloc[0]
    texty = [
        c for c in numeric
        if isinstance(first[c], str) and pd.isna(pd.to_numeric(first[c], errors="coerce"))
    ]  # fmt: skip
    unnamed = [str(c) for c in df.columns if str(c).startswith("Unnamed:")]
    contract = {s.name for s in _specs(kind)}
    names_in_row = [
        str(v) for v in first.tolist()
        if isinstance(v, str) and re.sub(r"\s+", "_", v.strip().lower()) in contract
    ]  # fmt: skip
    if names_in_row:
        return names_in_row
    if (numeric and len(texty) >= max(1, len(numeric) // 2)) or (
        unnamed and len(unnamed) >= len(df.columns) // 2
    ):
        return texty or unnamed
    return []


def as_instrument(instrument: Any, strict: bool = True) -> Instrument | None:
    """An :class:`~cxresearch.io.instrument.Instrument` as given, or read from its path
    (``strict=False``: a section with a problem is left out and recorded, see
    :meth:`~cxresearch.io.instrument.Instrument.read`)."""
    from cxresearch.io.instrument import Instrument

    if instrument is None or isinstance(instrument, Instrument):
        return instrument
    if isinstance(instrument, str | Path):
        return Instrument.read(instrument, strict=strict)
    raise TypeError(
        "instrument must be an Instrument, the path of an instrument.yml or None, got "
        f"{type(instrument).__name__}"
    )


def _contract_design(inst: Instrument | None) -> bool:
    """True when ``inst`` describes the bundled study's answers (its scales and metrics, nested
    in firms and years): the contract then checks those columns, as it always has."""
    return inst is None or inst.is_bundled_design()


_NUMERIC_ROLES = frozenset({"item", "metric", "driver", "outcome", "weight"})


def _declared(inst: Instrument | None, kind: str, columns: Iterable[Any]) -> dict[str, str]:
    """``{column: role}`` of the columns the instrument declares for a table (weight and
    segments count where present)."""
    if inst is None or kind not in ("customers", "employees"):
        return {}
    present = {str(c) for c in columns}
    roles = inst.to_frame()
    wanted = set(inst.columns(kind))
    out: dict[str, str] = {}
    for role, col in zip(roles["role"], roles["column"], strict=True):
        if col in wanted or (col in present and role in ("weight", "segment")):
            out.setdefault(col, role)
    return out


def _contract_skip(inst: Instrument | None, kind: str, declared: dict[str, str]) -> frozenset[str]:
    """Contract columns the instrument declares differently (another range or role): their
    rules come from the instrument."""
    if inst is None or _contract_design(inst):
        return frozenset()
    specs = {s.name: s for s in _specs(kind)}
    ranges = inst.item_ranges()
    skip = set()
    for col, role in declared.items():
        spec = specs.get(col)
        if spec is None or spec.type == "string":
            continue
        rng = ranges.get(col)
        if role not in _NUMERIC_ROLES or rng is None or (spec.minimum, spec.maximum) != rng:
            skip.add(col)
    return frozenset(skip)


def _numbers(s: pd.Series, nullable: bool = True) -> pd.Series:
    """Numbers of a checked column: ``Int64`` when every value is whole (``int64`` when
    ``nullable=False`` and none is missing, as for a period), else float."""
    if pd.api.types.is_bool_dtype(s):
        s = s.astype("Int64")
    if pd.api.types.is_numeric_dtype(s):
        num = s.astype("float64")
    else:
        text = s.astype("string").str.strip()
        num = pd.to_numeric(text.mask(text == ""), errors="coerce").astype("float64")
    whole = num.dropna()
    if len(whole) and (whole == np.round(whole)).all():
        if not nullable and len(whole) == len(num):
            return num.round().astype("int64")
        return pd.array(num.round(), dtype="Int64")  # type: ignore[return-value]
    return num


def _type_declared(df: pd.DataFrame, kind: str, declared: dict[str, str],
                   skip: frozenset[str]) -> pd.DataFrame:
    """The instrument's answers as numbers, its unit as text, its time as numbers when every
    value is one (after the checks passed); columns the contract typed are left as they are."""
    contract = {s.name for s in _specs(kind)} - skip
    out = df.copy()
    for col, role in declared.items():
        if col not in out.columns or col in contract:
            continue
        if role in _NUMERIC_ROLES:
            out[col] = _numbers(out[col])
        elif role == "unit":
            out[col] = _id_text(out[col])
        elif role == "time" and not pd.api.types.is_datetime64_any_dtype(out[col]):
            num = pd.to_numeric(out[col], errors="coerce")
            if num.notna().sum() == out[col].notna().sum():
                out[col] = _numbers(out[col], nullable=False)
    return out


def _id_text(s: pd.Series) -> pd.Series:
    """Ids as text (``101``, not ``101.0``), missing kept missing."""
    if pd.api.types.is_float_dtype(s) and (s.dropna() == np.round(s.dropna())).all():
        s = s.astype("Int64")
    out = s.astype("string").str.strip()
    return out.astype("object").where(out.notna(), None)


def _check_table(
    df: pd.DataFrame,
    kind: str,
    inst: Instrument | None,
    *,
    name: str,
    line_offset: int | None,
    strict: bool = False,
    check_instrument: bool = True,
    units: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The contract's checks and, with an instrument, the instrument's; one error for all.

    The instrument (unless ``check_instrument=False``, as for the default instrument) checks
    the columns it declares; the contract checks its own columns except those the instrument
    declares with another range, and no longer asks for one of nps/csat/ces or of its items.
    """
    from cxresearch.io.instrument import validate_data

    declared = _declared(inst, kind, df.columns)
    skip = _contract_skip(inst, kind, declared)
    own = inst is not None and check_instrument and not _contract_design(inst)
    out, problems = _validate(df, kind, strict=strict and not own, line_offset=line_offset,
                              skip=skip, one_of=not (inst is not None and check_instrument))
    if inst is not None and check_instrument and kind in ("customers", "employees"):
        problems += validate_data(inst, df, file=name, table=kind, units=units,
                                  line_offset=line_offset, errors="return")
    if problems:
        raise SurveyValidationError(f"{name} ({kind}): " + "; ".join(problems), problems)
    if inst is not None:
        out = _type_declared(out, kind, declared, skip)
    return out


@dataclass
class _Raw:
    """A file as read, before the checks: data, question text, what was done to it."""

    data: pd.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    platform: str = "plain"
    header_rows_dropped: int = 0
    renamed: dict[str, str] = field(default_factory=dict)
    line_offset: int | None = None
    findings: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: the file line (spreadsheet row) of each data row, where known
    lines: list[int] | None = None
    #: what :func:`_exclude_incomplete` did (``None``: not applied)
    incomplete: dict[str, Any] | None = None
    #: where the platform's response id is (a column of ``data``), if any
    id_column: str | None = None
    #: what :func:`_check_or_set_aside` set aside
    set_aside: dict[str, Any] | None = None

    def rename(self, mapping: dict[Any, str]) -> None:
        if not mapping:
            return
        self.data = self.data.rename(columns=mapping)
        self.renamed.update({str(k): v for k, v in mapping.items()})
        self.labels = {mapping.get(k, k): v for k, v in self.labels.items()}
        self.value_labels = {mapping.get(k, k): v for k, v in self.value_labels.items()}


def _read_raw(
    p: Path,
    kind: str | None,
    columns: dict[str, str] | None,
    *,
    source: str,
    sheet_name: str | int,
    header: int | list[int],
    skiprows: int | list[int] | None,
    encoding: str | None,
    value_map: dict[str, dict[str, float]] | None,
) -> _Raw:
    """Read a file (a platform's export, a plain table, Parquet) and apply ``columns=``."""
    from cxresearch.io.exports import apply_columns, read_export

    what = f"{p.name} ({kind})" if kind else p.name
    if p.stat().st_size == 0:
        need = [s.name for s in _specs(kind) if s.required] if kind in KINDS else []
        raise SurveyValidationError(
            f"{p.name}: the file is empty (0 bytes); "
            + (f"a {kind} export needs a header row with at least {need} and one data row"
               if need else "it needs a header row and one data row")
        )
    suffix = p.suffix.lower()
    if header != 0 or skiprows is not None:  # the caller describes the header: plain pandas
        if suffix in (".csv", ".tsv", ".txt"):
            df = _read_csv(p, encoding or "utf-8", skiprows)
            offset = None if skiprows is not None else 2
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            df = _read_excel(p, sheet_name, header, skiprows)
            offset = None if skiprows is not None else (
                (len(header) if isinstance(header, list) else header + 1) + 1)
        else:
            raise SurveyValidationError(
                f"{p.name}: header= and skiprows= apply to CSV/TSV and Excel files only")
        raw = _Raw(df, line_offset=offset, notes=["manual header"],
                   lines=None if offset is None else [offset + i for i in range(len(df))])
        if columns:
            absent = [c for c in columns if c not in df.columns]
            if absent:
                raise SurveyValidationError(
                    f"{what}: argument 'columns' names column(s) {absent} that are not in the "
                    f"file; found {[str(c) for c in df.columns]}"
                )
            raw.rename(dict(columns))
        return raw
    try:
        export = read_export(p, source=source, encoding=encoding, sheet_name=sheet_name,
                             value_map=value_map)
        if columns:
            export = apply_columns(export, columns)
    except DataError as exc:
        msg = str(exc)
        if msg.startswith(f"{p.name}: "):
            msg = msg[len(p.name) + 2:]
        raise SurveyValidationError(f"{what}: {msg}") from None
    lines = list(export.lines) if len(export.lines) == len(export.data) else (
        None if export.line_offset is None
        else [export.line_offset + i for i in range(len(export.data))])
    return _Raw(export.data, dict(export.labels), dict(export.value_labels), export.source,
                export.header_rows_dropped, {str(k): v for k, v in (columns or {}).items()},
                export.line_offset, lines=lines)


def _tidy_raw(raw: _Raw, kind: str | None, inst: Instrument | None,
              keep_pii: bool | list[str]) -> None:
    """Contract names matched after lower-casing, platform respondent ids, personal data."""
    from cxresearch.io.pii import drop_pii

    df = raw.data
    contract = {s.name for s in _specs(kind)} if kind in KINDS else set()
    normalised: dict[Any, str] = {}
    for col in df.columns:
        norm = re.sub(r"\s+", "_", str(col).strip().lower())
        if col not in contract and norm in contract and norm not in df.columns:
            normalised[col] = norm
    raw.rename(normalised)
    if raw.platform == "surveymonkey" and any(
            norm == "respondent_id" and str(col).strip().lower() == "respondent id"
            for col, norm in normalised.items()):
        raw.id_column = "respondent_id"
    if raw.platform == "qualtrics" and raw.id_column is None:
        raw.id_column = next((c for c in (*_PLATFORM_IDS, "respondent_id")
                              if c in raw.data.columns and (c != "respondent_id" or any(
                                  k in _PLATFORM_IDS and v == c
                                  for k, v in raw.renamed.items()))), None)
    if kind in ("customers", "employees") and "respondent_id" not in raw.data.columns:
        ids = [c for c in _PLATFORM_IDS if c in raw.data.columns]
        if ids:
            raw.rename({ids[0]: "respondent_id"})
            if raw.platform == "qualtrics":
                raw.id_column = "respondent_id"
        elif raw.platform == "google_forms":
            width = len(str(len(raw.data)))
            made = [f"row{i:0{width}d}" for i in range(1, len(raw.data) + 1)]
            raw.data = raw.data.copy()
            raw.data.insert(0, "respondent_id", made)
            raw.notes.append("respondent_id made from the row order (a Google Forms export "
                             "has no respondent id)")
    if keep_pii is True:
        return
    keep = set(contract)
    if inst is not None:
        keep |= {str(c) for c in inst.to_frame()["column"]}
    if isinstance(keep_pii, list):
        keep |= {str(c) for c in keep_pii}
    raw.data, raw.findings = drop_pii(raw.data, keep=sorted(keep))
    gone = {f.column for f in raw.findings if f.action == "drop"}
    raw.labels = {k: v for k, v in raw.labels.items() if k not in gone}
    raw.value_labels = {k: v for k, v in raw.value_labels.items() if k not in gone}


class _LineMap:
    """The file line of each row kept, where a whole number ``line_offset`` no longer fits
    (rows were excluded): ``row + _LineMap(lines)`` is the file line of ``row``, so messages
    that add an offset to a row keep naming the right line."""

    def __init__(self, lines: Sequence[int]) -> None:
        self.lines = [int(x) for x in lines]

    def __radd__(self, row: int) -> int:
        return self.lines[int(row)]

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"_LineMap({self.lines[:3]}...)"


def _exclude_incomplete(raw: _Raw, keep_incomplete: bool) -> None:
    """Drop a platform export's unfinished and preview responses (unless ``keep_incomplete``)
    and record the count and the rule in ``raw.incomplete``."""
    from cxresearch.io.exports import incomplete_rows

    unfinished, preview, rule = incomplete_rows(raw.data, raw.platform)
    found = unfinished | preview
    n = int(found.sum())
    raw.incomplete = {"rule": rule, "found": n, "unfinished": int(unfinished.sum()),
                      "preview": int((preview & ~unfinished).sum()), "kept": bool(keep_incomplete),
                      "excluded": 0 if keep_incomplete else n}
    if n == 0:
        return
    if keep_incomplete:
        raw.notes.append(f"{n} unfinished or preview response(s) kept (keep_incomplete=True)")
        return
    keep = ~found
    raw.data = raw.data.loc[keep].reset_index(drop=True)
    if raw.lines is not None:
        raw.lines = [ln for ln, k in zip(raw.lines, keep, strict=True) if k]
        raw.line_offset = _LineMap(raw.lines)  # type: ignore[assignment]
    raw.notes.append(f"{n} unfinished or preview response(s) excluded ({rule}); rows count the "
                     "responses kept; read with keep_incomplete=True to keep them")


#: the roles whose columns :func:`cxresearch.io.instrument.validate_data` checks in each table
#: (the weight of an employees' table is checked when present)
_INSTRUMENT_ROLES: dict[str, frozenset[str]] = {
    "customers": frozenset({"unit", "time", "weight", "metric", "outcome", "driver", "segment"}),
    "employees": frozenset({"unit", "time", "item", "weight", "segment"}),
}


def _as_numbers(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(numbers, mask of non-empty values that are not numbers), as the instrument reads them."""
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    text = s.astype("string").str.strip()
    text = text.mask(text == "")
    num = pd.to_numeric(text, errors="coerce").astype("float64")
    return num, (text.notna() & num.isna()).fillna(False).astype(bool)


def _neutral(lo: float | None, hi: float | None) -> float:
    if lo is not None and np.isfinite(lo):
        return float(lo)
    if hi is not None and np.isfinite(hi):
        return float(hi)
    return 0.0


def _invalid_cells(df: pd.DataFrame, kind: str, inst: Instrument | None,
                   check_instrument: bool) -> list[tuple[int, str, Any, str, Any]]:
    """Cells with malformed or out-of-range answers: (row, column, value, rule, a valid
    stand-in), by the contract's rules and the instrument's (as :func:`_check_table` applies
    them)."""
    out: dict[tuple[int, str], tuple[int, str, Any, str, Any]] = {}

    def add(mask: Any, col: str, rule: str, stand_in: Any) -> None:
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            out.setdefault((int(i), col), (int(i), col, df[col].iloc[int(i)], rule, stand_in))

    data = df.reset_index(drop=True)
    declared = _declared(inst, kind, data.columns)
    skip = _contract_skip(inst, kind, declared)
    for spec in _specs(kind):
        col = spec.name
        if col not in data.columns or col in skip:
            continue
        s = data[col]
        if spec.type == "string":
            if spec.enum is not None:
                t = s.astype("string").str.strip()
                add((t.notna() & ~t.isin(list(spec.enum))).fillna(False), col,
                    f"not in {list(spec.enum)}", spec.enum[0])
            continue
        num, text = _as_numbers(s)
        stand_in = _neutral(spec.minimum, spec.maximum)
        add(text, col, "text in a numeric column", stand_in)
        if spec.type == "integer":
            add(num.notna() & (num != np.round(num)), col, "not a whole number", stand_in)
        lo = -np.inf if spec.minimum is None else spec.minimum
        hi = np.inf if spec.maximum is None else spec.maximum
        if spec.minimum is not None or spec.maximum is not None:
            add(num.notna() & ((num < lo) | (num > hi)), col, _describe_range(spec), stand_in)
    if inst is not None and check_instrument and kind in ("customers", "employees"):
        roles = _INSTRUMENT_ROLES[kind]
        frame = inst.to_frame()
        seen: set[str] = set()
        for role, col, low, high, key in zip(frame["role"], frame["column"], frame["low"],
                                             frame["high"], frame["key"], strict=True):
            if col in seen or role not in roles:
                continue
            seen.add(col)
            if col not in data.columns or role not in _NUMERIC_ROLES:
                continue
            num, text = _as_numbers(data[col])
            lo, hi = (0.0, np.inf) if role == "weight" else (
                (None, None) if pd.isna(low) else (float(low), float(high)))
            stand_in = _neutral(lo, hi)
            add(text, col, f"text in a numeric column ({key})", stand_in)
            if lo is not None and hi is not None:
                rule = "negative" if role == "weight" else (
                    f"outside {lo:g}..{hi:g}")
                add(num.notna() & ((num < lo) | (num > hi)), col, f"{rule} ({key})", stand_in)
    return sorted(out.values(), key=lambda c: (c[0], list(data.columns).index(c[1])))


def _response_ids(raw: _Raw | None, df: pd.DataFrame) -> list[str]:
    """The platform's response id of each row (Qualtrics ``ResponseId``, SurveyMonkey
    ``Respondent ID``), else ``"line N"`` (the file line), else ``"row N"``."""
    if raw is not None and raw.id_column is not None and raw.id_column in df.columns:
        ids = df[raw.id_column].reset_index(drop=True)
        return [str(v) if pd.notna(v) else f"row {i}" for i, v in enumerate(ids)]
    lines = raw.lines if raw is not None else None
    if lines is not None and len(lines) == len(df):
        return [f"line {ln}" for ln in lines]
    return [f"row {i}" for i in range(len(df))]


def _personal(df: pd.DataFrame, columns: Iterable[str], raw: _Raw | None) -> set[str]:
    """Of ``columns``, those that hold personal data (by name or value)."""
    from cxresearch.io.pii import pii_columns

    cols = [c for c in dict.fromkeys(columns) if c in df.columns]
    found = {f.column for f in (raw.findings if raw is not None else [])}
    if cols:
        found |= {f.column for f in pii_columns(df[cols])}
    return found


def _safe_value(value: Any) -> str:
    """A set-aside value as text, with e-mail addresses and phone numbers replaced."""
    from cxresearch.io.pii import redact_text

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = redact_text(str(value).strip())
    return text if len(text) <= 60 else text[:57] + "..."


def _check_or_set_aside(
    df: pd.DataFrame,
    kind: str,
    inst: Instrument | None,
    *,
    name: str,
    line_offset: Any,
    strict: bool = False,
    check_instrument: bool = True,
    units: pd.DataFrame | None = None,
    on_invalid: str = "raise",
    raw: _Raw | None = None,
) -> pd.DataFrame:
    """:func:`_check_table`; with ``on_invalid="set_aside"`` the rows with malformed or
    out-of-range answers are left out (recorded in ``raw.set_aside``) instead of raising.

    The set-aside cells get a valid stand-in while the rest is checked, so every other problem
    (a missing column, a duplicated id) is still raised with its own rows; then the rows go.
    """
    if on_invalid not in ON_INVALID:
        raise DataError(f"argument 'on_invalid': {on_invalid!r} is not one of {list(ON_INVALID)}")
    kwargs = {"name": name, "line_offset": line_offset, "strict": strict,
              "check_instrument": check_instrument, "units": units}
    if on_invalid == "raise":
        if raw is not None:
            raw.set_aside = {"on_invalid": "raise", "rows": 0, "reasons": [], "records": []}
        return _check_table(df, kind, inst, **kwargs)
    data = df.reset_index(drop=True)
    cells = _invalid_cells(data, kind, inst, check_instrument)
    fixed = data.copy()
    for col in dict.fromkeys(c[1] for c in cells):
        if pd.api.types.is_numeric_dtype(fixed[col]) or pd.api.types.is_bool_dtype(fixed[col]):
            fixed[col] = fixed[col].astype("float64") if not pd.api.types.is_bool_dtype(
                fixed[col]) else fixed[col].astype("object")
        else:
            fixed[col] = fixed[col].astype("object")
    for i, col, _v, _r, stand_in in cells:
        fixed.iloc[i, fixed.columns.get_loc(col)] = stand_in
    out = _check_table(fixed, kind, inst, **kwargs)
    rows = sorted({c[0] for c in cells})
    ids = _response_ids(raw, data)
    personal = _personal(data, [c[1] for c in cells], raw)
    records = [{"response_id": ids[i], "column": col,
                "value": "[personal data withheld]" if col in personal else _safe_value(v),
                "reason": rule} for i, col, v, rule, _s in cells]
    counts: dict[tuple[str, str], set[int]] = {}
    for i, col, _v, rule, _s in cells:
        counts.setdefault((col, rule), set()).add(i)
    reasons = [{"column": col, "rule": rule, "rows": len(r)} for (col, rule), r in counts.items()]
    if raw is not None:
        raw.set_aside = {"on_invalid": "set_aside", "rows": len(rows), "reasons": reasons,
                         "records": records}
        if rows:
            raw.notes.append(f"{len(rows)} row(s) with malformed or out-of-range answers set "
                             "aside (on_invalid='set_aside'; write_set_aside() lists them)")
            if raw.lines is not None and len(raw.lines) == len(data):
                gone = set(rows)
                raw.lines = [ln for i, ln in enumerate(raw.lines) if i not in gone]
    keep = np.ones(len(out), dtype=bool)
    keep[rows] = False
    kept = out.loc[keep].reset_index(drop=True)
    if inst is not None and rows:  # the instrument's answers typed as the kept rows are
        declared = _declared(inst, kind, kept.columns)
        skip = _contract_skip(inst, kind, declared)
        contract = {s.name for s in _specs(kind)} - skip
        for col, role in declared.items():
            if col in kept.columns and col not in contract and role in _NUMERIC_ROLES:
                kept[col] = _numbers(kept[col])
    return kept


def _no_rows_left(raw: _Raw, name: str) -> None:
    if raw.data.shape[0] == 0 and raw.incomplete and raw.incomplete["excluded"]:
        raise SurveyValidationError(
            f"{name}: all {raw.incomplete['excluded']} responses are unfinished or survey "
            f"previews ({raw.incomplete['rule']}); read with keep_incomplete=True to keep them")


def _report(p: Path, kind: str | None, raw: _Raw, out: pd.DataFrame) -> dict[str, Any]:
    return {
        "source": p.name,
        "platform": raw.platform,
        "kind": kind,
        "rows": int(out.shape[0]),
        "header_rows_dropped": raw.header_rows_dropped,
        "renamed": dict(raw.renamed),
        "dropped_pii": [{"column": f.column, "reason": f.reason, "evidence": f.evidence}
                        for f in raw.findings if f.action == "drop"],
        "redacted_pii": [{"column": f.column, "reason": f.reason, "evidence": f.evidence}
                         for f in raw.findings if f.action == "redact"],
        "notes": list(raw.notes),
        "excluded_incomplete": int((raw.incomplete or {}).get("excluded", 0)),
        "incomplete": dict(raw.incomplete) if raw.incomplete is not None else {
            "rule": "not applied", "found": 0, "unfinished": 0, "preview": 0, "kept": False,
            "excluded": 0},
        "on_invalid": (raw.set_aside or {}).get("on_invalid", "raise"),
        "set_aside": int((raw.set_aside or {}).get("rows", 0)),
        "set_aside_reasons": list((raw.set_aside or {}).get("reasons", [])),
        "set_aside_rows": list((raw.set_aside or {}).get("records", [])),
    }


def read_survey(
    path: str | Path,
    kind: str,
    columns: dict[str, str] | None = None,
    *,
    source: str = "auto",
    sheet_name: str | int = 0,
    header: int | list[int] = 0,
    skiprows: int | list[int] | None = None,
    encoding: str | None = None,
    keep_pii: bool | list[str] = False,
    value_map: dict[str, dict[str, float]] | None = None,
    instrument: Instrument | str | Path | None = None,
    keep_incomplete: bool = False,
    on_invalid: str = "raise",
) -> pd.DataFrame:
    """Read a survey export (a platform's CSV/TSV/Excel/SPSS export, a plain table, Parquet).

    Parameters
    ----------
    path : str or Path
        The file to read; never modified.
    kind : str
        One of ``customers``, ``employees``, ``firms``, ``firm_years``.
    columns : dict, optional
        Mapping to the names the analysis uses; keys are the export's column names, its column
        ids (Qualtrics ``QID1``) or its question text, e.g. ``{"How likely are you to
        recommend us?": "nps"}``. Contract names are also matched after stripping and
        lower-casing (``NPS`` -> ``nps``, ``Respondent ID`` -> ``respondent_id``).
    source : str
        ``"auto"`` (recognise the platform) or one of ``qualtrics``, ``surveymonkey``,
        ``google_forms``, ``plain`` (:mod:`cxresearch.io.exports`): the platform's extra header
        rows are removed and its question text kept in ``df.attrs["labels"]``.
    sheet_name : str or int
        The Excel sheet.
    header, skiprows : int or list, optional
        For a hand-made file whose header no platform wrote (``header=[0, 1]`` for a two-row
        header, ``skiprows=[1]`` for a row of descriptions); giving either reads the file as a
        plain table with pandas.
    encoding : str, optional
        The text encoding; by default a byte-order mark decides, else UTF-8. A file that does
        not decode is rejected with the line, row and column of the first bad byte.
    keep_pii : bool or list of str
        ``True``, or columns to keep although they look like personal data.
    value_map : dict, optional
        ``{column, id or question: {answer text: number}}`` for answers exported as text.
    instrument : Instrument, str or Path, optional
        An :class:`cxresearch.io.instrument.Instrument` or the path of an ``instrument.yml``: the
        table is checked against it (every column it declares for ``kind``, answers within
        their ranges) and its columns are kept under the file's names.
    keep_incomplete : bool, default False
        Keep a platform's unfinished and preview responses. By default they are excluded
        before anything else (Qualtrics: ``Finished`` False/0 or ``Progress`` < 100;
        ``Status`` "Survey Preview"/1 or ``DistributionChannel`` "preview"), and the read
        report counts them (``excluded_incomplete`` and ``incomplete``: the rule, how many were
        unfinished and previews, whether they were kept). SurveyMonkey, Google Forms and plain
        tables carry no such fields; nothing is excluded from them.
    on_invalid : {"raise", "set_aside"}
        ``"raise"`` (default): a malformed or out-of-range answer is an error. ``"set_aside"``:
        rows holding one (text in a numeric column, a fraction where a whole number belongs,
        a value outside its range or allowed set) are left out; the read report counts them
        (``set_aside``, ``set_aside_reasons``: column, rule, rows) and lists each cell in
        ``set_aside_rows`` (response id, column, value, reason), which
        :func:`write_set_aside` writes as a CSV. Other problems (a missing column, duplicated
        ids) are still raised.

    Returns
    -------
    DataFrame
        A new frame: contract columns typed (nullable ``Int64`` for answers that may be
        missing), the instrument's answers as numbers, other columns as read.
        ``df.attrs["labels"]`` maps columns to question text, ``df.attrs["value_labels"]`` to
        answer labels, and ``df.attrs["read_report"]`` records the file, platform, header rows
        dropped, renamed columns and the personal data dropped (``dropped_pii``) or redacted
        (``redacted_pii``), each ``{"column", "reason", "evidence"}``, the unfinished and
        preview responses excluded and the rows set aside (see above).

    Raises
    ------
    SurveyValidationError
        Listing every problem, each naming the column, the rule and the first rows.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> q = paths.TESTS_DIR / "data" / "exports" / "qualtrics_customers.csv"
    >>> df = read_survey(q, "customers", {"Q1": "nps", "Q2": "csat", "Q3": "ces"})
    >>> df.attrs["read_report"]["platform"], df["nps"].tolist()[:3]
    ('qualtrics', [9, 10, 6])
    >>> df.attrs["labels"]["nps"]
    'How likely are you to recommend Northwind Outfitters to a friend or colleague?'
    >>> [d["column"] for d in df.attrs["read_report"]["dropped_pii"]][:3]
    ['IPAddress', 'RecipientLastName', 'RecipientFirstName']
    >>> df.attrs["read_report"]["excluded_incomplete"], len(df)  # one response at Progress 60
    (1, 9)
    >>> len(read_survey(q, "customers", {"Q1": "nps"}, keep_incomplete=True))
    10
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"argument 'path': no such file {str(p)!r}")
    _specs(kind)
    inst = as_instrument(instrument)
    raw = _read_raw(p, kind, columns, source=source, sheet_name=sheet_name, header=header,
                    skiprows=skiprows, encoding=encoding, value_map=value_map)
    df = raw.data
    if df.shape[1] == 0 or (df.shape[0] == 0 and not len(df.columns)):
        raise SurveyValidationError(f"{p.name}: the file is empty (no columns)")
    if df.shape[0] == 0:
        raise SurveyValidationError(f"{p.name}: the file has a header but no data rows")
    _exclude_incomplete(raw, keep_incomplete)
    _no_rows_left(raw, p.name)
    _tidy_raw(raw, kind, inst, keep_pii)
    if "manual header" in raw.notes and p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        second = _looks_like_second_header(raw.data, kind)
        if second:
            raise SurveyValidationError(
                f"{p.name} ({kind}): row 0 (spreadsheet row {raw.line_offset}) looks like a "
                f"second header row: it holds {second} in column(s) "
                f"{[str(c) for c in raw.data.columns]}; pass header=[0, 1] for a two-row header "
                "(the lower row names the columns) or skiprows=[1] to drop a row of "
                "descriptions",
                [f"column '{c}': text in a numeric column at rows [0]" for c in second],
            )
    out = _check_or_set_aside(raw.data, kind, inst, name=p.name, line_offset=raw.line_offset,
                              on_invalid=on_invalid, raw=raw)
    out.attrs["labels"] = {k: v for k, v in raw.labels.items() if k in out.columns}
    out.attrs["value_labels"] = {k: v for k, v in raw.value_labels.items() if k in out.columns}
    out.attrs["read_report"] = _report(p, kind, raw, out)
    return out


#: the columns of :func:`write_set_aside`'s file (a study's file starts with ``table``)
SET_ASIDE_COLUMNS: tuple[str, ...] = ("response_id", "column", "value", "reason")


def write_set_aside(source: Any, path: str | Path) -> Path:
    """Write the rows set aside by ``on_invalid="set_aside"`` as a CSV, one line per cell.

    Each line gives the platform's response id (Qualtrics ``ResponseId``, SurveyMonkey
    ``Respondent ID``; else ``line N``, the file line), the column, the value and the reason.
    Nothing else is written: no other column of the row, and never the value of a column
    holding personal data (it reads ``[personal data withheld]``); e-mail addresses and phone
    numbers inside a value are replaced by ``[e-mail]``/``[phone]``.

    Parameters
    ----------
    source : DataFrame, dict or LoadedStudy
        A table read by :func:`read_survey` (its ``attrs["read_report"]``), a read report, or a
        study read by :func:`load_study` (every table's; the file then starts with a ``table``
        column).
    path : str or pathlib.Path
        The CSV to write (its folder is created); a file with only the header when nothing was
        set aside.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "c.csv").write_text("respondent_id,nps\\nr1,9\\nr2,11\\nr3,ten\\n")
    >>> df = read_survey(d / "c.csv", "customers", on_invalid="set_aside")
    >>> df["respondent_id"].tolist(), df.attrs["read_report"]["set_aside"]
    (['r1'], 2)
    >>> print(write_set_aside(df, d / "set_aside.csv").read_text().strip())
    response_id,column,value,reason
    line 3,nps,11,outside 0..10
    line 4,nps,ten,text in a numeric column
    """
    if isinstance(source, pd.DataFrame):
        reports: dict[str | None, Any] = {None: source.attrs.get("read_report")}
    elif isinstance(source, LoadedStudy):
        reports = dict(source.reports)
    elif isinstance(source, dict):
        reports = {None: source}
    else:
        raise TypeError("source must be a DataFrame read by read_survey, a read report or a "
                        f"LoadedStudy, got {type(source).__name__}")
    if any(not isinstance(r, dict) for r in reports.values()):
        raise DataError("argument 'source': no read report (read the table with read_survey "
                        "or load_study)")
    study = isinstance(source, LoadedStudy)
    cols = ["table", *SET_ASIDE_COLUMNS] if study else list(SET_ASIDE_COLUMNS)
    rows = [{"table": table, **{k: rec.get(k, "") for k in SET_ASIDE_COLUMNS}}
            for table, report in reports.items() for rec in report.get("set_aside_rows", [])]
    out = pd.DataFrame(rows, columns=["table", *SET_ASIDE_COLUMNS])[cols]
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(target, index=False)
    return target


def data_dictionary(kind: str | None = None) -> pd.DataFrame:
    """The contract's columns as a tidy frame.

    Parameters
    ----------
    kind : str, optional
        One of :data:`KINDS`; default every kind.

    Returns
    -------
    pandas.DataFrame
        One row per column: table, column, type, unit, allowed, missing_allowed, meaning, and
        the question's wording for survey answers.

    Examples
    --------
    >>> d = data_dictionary("customers")
    >>> d.loc[d["column"] == "nps", "allowed"].item()
    '0..10'
    >>> d.loc[d["column"] == "ces", "question"].item()
    'The company made it easy for me to handle my issue.'
    """
    rows = []
    for k in [kind] if kind is not None else list(KINDS):
        for spec in _specs(k):
            if spec.enum is not None:
                allowed = ", ".join(spec.enum)
            elif spec.minimum is not None or spec.maximum is not None:
                lo = "" if spec.minimum is None else f"{spec.minimum:g}"
                hi = "" if spec.maximum is None else f"{spec.maximum:g}"
                allowed = f"{lo}..{hi}"
            else:
                allowed = ""
            rows.append(
                {
                    "table": k,
                    "column": spec.name,
                    "type": spec.type,
                    "unit": spec.unit or "",
                    "allowed": allowed,
                    "missing_allowed": spec.nullable,
                    "meaning": spec.description,
                    "question": spec.question or "",
                }
            )
    return pd.DataFrame(rows)


def study_overview(study: Study) -> pd.DataFrame:
    """Rows, columns, firms, years and the share of missing cells of each table of a study.

    Parameters
    ----------
    study : Study
        A study (simulated, or read by :func:`load_study`).

    Returns
    -------
    pandas.DataFrame
        One row per table: table, rows, columns, firms, first_year, last_year, missing_share.

    Examples
    --------
    >>> from cxresearch.simulate.study import StudyParams, simulate_study
    >>> o = study_overview(simulate_study(StudyParams(n_firms=10, n_years=2), seed=0))
    >>> r = o.set_index("table").loc["firm_years"]
    >>> int(r["rows"]), int(r["firms"]), int(r["first_year"]), int(r["last_year"])
    (20, 10, 2019, 2020)
    """
    rows = []
    for name, frame in study.tables().items():
        years = frame["year"] if "year" in frame.columns else None
        rows.append(
            {
                "table": name,
                "rows": int(frame.shape[0]),
                "columns": int(frame.shape[1]),
                "firms": int(frame["firm_id"].nunique()) if "firm_id" in frame else 0,
                "first_year": int(years.min()) if years is not None and len(years) else pd.NA,
                "last_year": int(years.max()) if years is not None and len(years) else pd.NA,
                "missing_share": float(frame.isna().to_numpy().mean()) if frame.size else 0.0,
            }
        )
    out = pd.DataFrame(rows)
    out[["first_year", "last_year"]] = out[["first_year", "last_year"]].astype("Int64")
    return out


#: the file formats of a study table, in the order :func:`find_table` looks for them
TABLE_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".xlsx", ".sav")


def find_table(directory: str | Path, name: str) -> Path | None:
    r"""The file holding table ``name`` in ``directory``.

    The first of ``NAME.parquet``, ``.csv``, ``.xlsx``, ``.sav`` that exists
    (:data:`TABLE_SUFFIXES`). The one rule for finding a table (used by :func:`load_study` and
    :func:`cxresearch.measurement.csi.read_ecsi_survey`): Parquet first, because it keeps the
    types, then the formats survey tools export.

    Parameters
    ----------
    directory : str or pathlib.Path
        The study folder.
    name : str
        The table's name (``"firms"``, ``"customers"``, ...).

    Returns
    -------
    pathlib.Path or None
        The file, or None when there is none.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "firms.csv").write_text("firm_id\nF1\n")
    >>> find_table(d, "firms").name, find_table(d, "customers")
    ('firms.csv', None)
    """
    directory = Path(directory)
    for ext in TABLE_SUFFIXES:
        candidate = directory / f"{name}{ext}"
        if candidate.is_file():
            return candidate
    return None


def default_instrument(
    data: pd.DataFrame | None = None, units: pd.DataFrame | None = None
) -> Instrument:
    """The instrument of a folder without an ``instrument.yml``: the bundled study's names.

    Answers nested in ``firm_id`` and ``year``; the culture and engagement scales and the NPS,
    CSAT and CES metrics under their contract names (:mod:`cxresearch.core.contract`). Segments: the
    bundled ones (``industry``, ``size_band``, ``cx_owner``) found in ``data`` or ``units``,
    then every other text column of ``data`` (the customers) with 2 to 20 distinct values, such
    as ``region`` or ``channel``. Notebooks use what the data hold; write an ``instrument.yml``
    to say more (another unit, your own items, ranges, drivers, weights).

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The customers' answers, searched for segments.
    units : pandas.DataFrame, optional
        The units' table (``firms``), searched for the bundled segments.

    Returns
    -------
    Instrument

    Examples
    --------
    >>> d = pd.DataFrame({"respondent_id": ["a", "b", "c"], "nps": [9, 6, 10],
    ...                   "region": ["N", "S", "N"], "comment": ["ok", "slow", "great"]})
    >>> inst = default_instrument(d)
    >>> inst.unit, inst.metrics["nps"].column, inst.segments
    ('firm_id', 'nps', ('region',))
    """
    from cxresearch.io.instrument import Instrument

    spec = Instrument.bundled().to_dict()
    pools = [frame for frame in (data, units) if frame is not None]
    segments = [s for s in spec.get("segments", []) if any(s in f.columns for f in pools)]
    if data is not None:
        contract = {s.name for kind in KINDS for s in TABLE_SPECS[kind]}
        for col in data.columns:
            s = data[col]
            if str(col) in contract or str(col) in segments or not isinstance(col, str):
                continue
            if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
                continue
            k = s.nunique(dropna=True)
            if 2 <= k <= 20 and k <= max(2, len(s) // 2):
                segments.append(col)
    spec["segments"] = segments
    if not segments:
        spec.pop("segments")
    return Instrument.from_dict(
        spec, source="default instrument (the bundled study's names; no instrument.yml)")


def _check_keys(df: pd.DataFrame, name: str, role: str, keys: list[str],
                line_offset: int | None) -> pd.DataFrame:
    """A units or outcomes table: its keys present, never missing, unique together.

    An outcomes table without a period (the instrument gives the outcomes no ``time``) has
    one row per unit."""
    problems = []
    missing = [k for k in keys if k not in df.columns]
    if missing:
        what = "unit" if role == "units" or len(keys) == 1 else "unit and time"
        problems.append(f"missing key column(s) {missing} (the instrument's {what}); found "
                        f"{[str(c) for c in df.columns][:30]}")
    else:
        for k in keys:
            miss = df[k].isna().to_numpy()
            if miss.any():
                rows = [int(i) for i in np.flatnonzero(miss)]
                problems.append(f"column {k!r}: {len(rows)} missing value(s) at "
                                f"{_rows_text(rows, line_offset)}")
        dup = df.duplicated(subset=keys, keep=False).to_numpy()
        if not problems and dup.any():
            rows = [int(i) for i in np.flatnonzero(dup)]
            what = f"column {keys[0]!r}" if len(keys) == 1 else f"columns {keys}"
            per = ("unit" if role == "units" else "unit and period" if len(keys) > 1 else
                   "unit, as the instrument gives the outcomes no period (for outcomes by "
                   "period, name their period column in time:, e.g. time: {customers: month, "
                   "outcomes: month})")
            problems.append(f"{what}: {len(rows)} duplicated value(s) at "
                            f"{_rows_text(rows, line_offset)}; one row per {per}")
    if problems:
        raise SurveyValidationError(f"{name} ({role}): " + "; ".join(problems), problems)
    out = df.reset_index(drop=True).copy()
    out[keys[0]] = _id_text(out[keys[0]])
    if len(keys) > 1 and not pd.api.types.is_datetime64_any_dtype(out[keys[1]]):
        num = pd.to_numeric(out[keys[1]], errors="coerce")
        if num.notna().all():
            out[keys[1]] = _numbers(out[keys[1]], nullable=False)
    return out


@dataclass(frozen=True, eq=False)
class LoadedStudy(Study):
    """A study read from a folder: its tables, the instrument that describes them, and what
    reading did (platform, renamed columns, personal data dropped).

    A :class:`cxresearch.io.study.Study` (a table that was not asked for or is absent is None)
    with the study's design.

    Parameters
    ----------
    firms, firm_years, employees, customers, truth, params, latent
        As in :class:`cxresearch.io.study.Study`.
    instrument : Instrument, optional
        The :class:`cxresearch.io.instrument.Instrument` (the folder's ``instrument.yml``, the
        one given, or :func:`default_instrument`).
    units : pandas.DataFrame, optional
        One row per unit (``firms`` in the bundled study, ``units`` otherwise).
    outcomes : pandas.DataFrame, optional
        One row per unit and period (``firm_years``, or ``outcomes``).
    reports : dict
        The ``read_report`` of each table read.
    instrument_default : bool
        True when no instrument was given or found (:func:`default_instrument`).
    period_alignment : str
        How the tables were linked at one period when their periods differ
        (:func:`cxresearch.linkage.units.load_linkage_study`); empty otherwise.

    Notes
    -----
    ``unit`` / ``time`` are the columns answers are nested in (``firm_id`` / ``year`` in the
    bundled study; ``store_id`` / ``wave`` in a one-company design) -- what estimators take as
    ``cluster=`` and group by. When the instrument gives each table its own period
    (``time: {customers: month, employees: quarter}``), ``time`` is the customers' and
    :meth:`time_of` gives any table's.

    Examples
    --------
    >>> s = load_study(tables=["customers"])
    >>> s.unit, s.time, s.employees is None
    ('firm_id', 'year', True)
    """

    instrument: Instrument | None = None
    units: pd.DataFrame | None = None
    outcomes: pd.DataFrame | None = None
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    instrument_default: bool = False
    period_alignment: str = ""

    @property
    def unit(self) -> str:
        """The column answers are nested in (the instrument's ``unit``)."""
        return self.instrument.unit if self.instrument is not None else "firm_id"

    @property
    def time(self) -> str | None:
        """The customers' period column (the instrument's ``time``), or None."""
        return self.instrument.time if self.instrument is not None else "year"

    def time_of(self, table: str | None = "customers") -> str | None:
        """The period column of ``table`` (``customers``, ``employees``, ``outcomes``), or None.

        >>> load_study(tables=["customers"]).time_of("employees")
        'year'
        """
        if self.instrument is None:
            return "year"
        return self.instrument.time_of(table)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables read, by name (``units``/``outcomes`` only when they are not the
        ``firms``/``firm_years`` tables)."""
        out = {k: v for k, v in super().tables().items() if v is not None}
        if self.units is not None and self.units is not self.firms:
            out["units"] = self.units
        if self.outcomes is not None and self.outcomes is not self.firm_years:
            out["outcomes"] = self.outcomes
        return out

    def answers(self, table: str = "customers",
                columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The answers of ``table`` with columns of the units' table joined by the unit.

        ``columns`` (default: the instrument's segments that live in the units' table, such as
        a firm's industry or a store's region) are joined many-to-one; every answer is kept.
        A copy; the study's tables are not modified.

        >>> s = load_study(tables=["customers"])
        >>> s.answers("customers")[["firm_id", "industry", "cx_owner"]].shape[1]
        3
        """
        data = getattr(self, table, None) if table in ("customers", "employees") else None
        if data is None:
            raise DataError(f"argument 'table': the study has no {table!r} table of answers; "
                            f"tables: {list(self.tables())}")
        if self.units is None or self.unit not in data.columns:
            return data.copy()
        if columns is None:
            segs = self.instrument.segments if self.instrument is not None else ()
            columns = [s for s in segs if s in self.units.columns]
        absent = [c for c in columns if c not in self.units.columns]
        if absent:
            raise DataError(f"argument 'columns': {absent} not in the units' table; columns: "
                            f"{list(self.units.columns)}")
        cols = [c for c in dict.fromkeys(columns) if c not in data.columns and c != self.unit]
        if not cols:
            return data.copy()
        return data.merge(self.units[[self.unit, *cols]], on=self.unit, how="left",
                          validate="many_to_one")

    def available_segments(self, table: str = "customers") -> list[str]:
        """The instrument's segments found in ``table`` or the units' table.

        >>> load_study(tables=["customers"]).available_segments()
        ['industry', 'size_band', 'cx_owner']
        """
        if self.instrument is None:
            return []
        cols = set(self.answers(table).columns)
        return [s for s in self.instrument.segments if s in cols]

    def summary(self) -> str:
        """One line per table (rows x columns), the instrument, and personal data dropped."""
        lines = [f"{k}: {v.shape[0]} rows x {v.shape[1]} columns"
                 for k, v in self.tables().items()]
        if self.instrument is not None:
            lines.append(self.instrument.summary())
        dropped = sum(len(r.get("dropped_pii", [])) for r in self.reports.values())
        lines.append(f"personal data: {dropped} column(s) dropped")
        lines.append(f"truth: {len(self.truth)} coefficients")
        return "\n".join(lines)


def _read_table(
    path: Path, name: str, inst: Instrument | None, keep_incomplete: bool = False
) -> tuple[pd.DataFrame, _Raw]:
    """Read one table file of a study folder: a platform export or plain table, personal
    data dropped (Parquet too)."""
    kind = name if name in KINDS else None
    if path.suffix == ".parquet":
        raw = _Raw(pd.read_parquet(path))
    else:
        raw = _read_raw(path, kind, None, source="auto", sheet_name=0, header=0, skiprows=None,
                        encoding=None, value_map=None)
    if raw.data.shape[0] == 0:
        raise SurveyValidationError(f"{path.name}: the file has a header but no data rows")
    _exclude_incomplete(raw, keep_incomplete)
    _no_rows_left(raw, path.name)
    _tidy_raw(raw, kind, inst, keep_pii=False)
    return raw.data, raw


def load_study(
    data_dir: str | Path | None = None,
    tables: Sequence[str] | None = None,
    *,
    instrument: Instrument | str | Path | None = None,
    strict: bool | None = None,
    keep_incomplete: bool = False,
    on_invalid: str = "raise",
) -> LoadedStudy:
    """Read and validate the study tables of a folder, described by its instrument.

    ``data_dir=None`` reads the bundled **synthetic** data in ``data/processed/`` (see
    ``data/README.md``). Each table is ``<name>.parquet``, ``.csv``, ``.xlsx`` or ``.sav``
    (:func:`find_table`; a survey platform's export works as it is, see :func:`read_survey`).
    Personal data are dropped from every table before anything else sees it.

    The instrument (``instrument=``, else the folder's ``instrument.yml``, else
    :func:`default_instrument`) says what the answers are nested in (``unit``, ``time``) and
    which columns are scales, metrics, drivers and segments; the customers' and employees'
    tables are checked against it, each with its own period column when ``time:`` is given
    table by table. An ``instrument.yml`` is read with ``strict=False``: a problem confined to
    its drivers, segments, one scale or one metric leaves that section out (recorded in
    ``instrument.section_problems``, reported by :func:`cxresearch.cli.check.needs` for the
    sections that use it) instead of stopping every notebook. With the bundled unit
    ``firm_id`` the units' table is ``firms`` and the outcomes' table ``firm_years``; with
    another unit (stores, branches, teams of one company) they are ``units`` (one row per
    unit) and ``outcomes`` (one row per unit and period, or per unit when the instrument gives
    the outcomes no period), and ``firms``/``firm_years`` are not needed.

    ``tables`` names the tables a notebook needs (``"units"``/``"outcomes"`` stand for the
    design's tables); each must be present, or a :class:`SurveyValidationError` names the
    missing files and those found. The units' table is also read when present (segments such
    as a firm's industry live there); every other table comes back as None. Default: the
    whole study (customers, employees and the design's units and outcomes tables).

    ``strict`` (default: when ``tables`` is None) requires every contract column of the
    bundled study's tables, as notebooks that use them all do; it does not apply to an
    instrument with its own items.

    ``truth.json`` (if present) becomes ``truth`` and ``latent.parquet`` the answer key.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        The study folder; default the bundled synthetic data
        (:func:`cxresearch.core.paths.processed_dir`).
    tables : sequence of str, optional
        The tables needed (any of :data:`STUDY_TABLES`); default the whole study.
    instrument : Instrument, str or pathlib.Path, optional
        The instrument, or the path of an ``instrument.yml``.
    strict : bool, optional
        Require every contract column (default: when ``tables`` is None).
    keep_incomplete : bool, default False
        Keep a platform's unfinished and preview responses (see :func:`read_survey`); by
        default they are excluded and counted in each table's report (``reports``).
    on_invalid : {"raise", "set_aside"}
        What a malformed or out-of-range answer does (see :func:`read_survey`); set-aside
        rows are counted in ``reports`` and written by :func:`write_set_aside`.

    Returns
    -------
    LoadedStudy

    Raises
    ------
    SurveyValidationError
        For a missing table or a table that breaks its rules.

    Examples
    --------
    >>> s = load_study()
    >>> s.firms["firm_id"].iloc[0], "ex_to_cx" in s.truth, s.unit, s.units is s.firms
    ('F0001', True, 'firm_id', True)
    >>> only = load_study(tables=["customers"])
    >>> only.employees is None, only.firms is not None
    (True, True)
    """
    from cxresearch.core import paths
    from cxresearch.io.instrument import Instrument, find_instrument

    directory = Path(data_dir) if data_dir is not None else paths.processed_dir()
    if on_invalid not in ON_INVALID:
        raise DataError(f"argument 'on_invalid': {on_invalid!r} is not one of {list(ON_INVALID)}")
    if tables is not None and isinstance(tables, str):
        tables = [tables]
    asked = None if tables is None else list(tables)
    unknown_tables = [t for t in asked or [] if t not in STUDY_TABLES]
    if unknown_tables:
        raise DataError(f"argument 'tables': unknown table(s) {unknown_tables}; use "
                        f"{list(STUDY_TABLES)}")
    if not directory.is_dir():
        raise SurveyValidationError(f"argument 'data_dir': {str(directory)!r} is not a directory")
    if instrument is not None:
        inst: Instrument | None = as_instrument(instrument, strict=False)
    else:
        found_inst = find_instrument(directory)
        inst = Instrument.read(found_inst, strict=False) if found_inst is not None else None
    is_default = inst is None
    design = inst if inst is not None else Instrument.bundled()
    unit, time = design.unit, design.time_of("outcomes")
    files = {name: find_table(directory, name) for name in STUDY_TABLES}
    firm_design = unit == "firm_id"
    unit_table = "firms" if firm_design and files["units"] is None else "units"
    outcome_table = ("firm_years" if firm_design and time in ("year", None)
                     and files["outcomes"] is None else "outcomes")
    role = {"units": unit_table, "outcomes": outcome_table}
    if asked is None:
        needed = list(KINDS) if _contract_design(inst) else [
            "customers", "employees", unit_table, outcome_table]
    else:
        needed = list(dict.fromkeys(role.get(t, t) for t in asked))
    if strict is None:
        strict = asked is None
    missing = [name for name in needed if files[name] is None]
    if missing:
        present = sorted(p.name for p in directory.iterdir() if p.is_file())
        raise SurveyValidationError(
            f"{directory.name}: missing table(s) "
            f"{[m + '.parquet|.csv|.xlsx|.sav' for m in missing]}; found files {present}; "
            f"this study needs {needed} (see data/processed/datapackage.json for the bundled "
            "study's columns, and an instrument.yml for your own)"
        )
    to_read = [t for t in (unit_table, *needed) if files[t] is not None]
    to_read = list(dict.fromkeys(to_read))
    read: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for name in to_read:
        path = files[name]
        assert path is not None
        data, raw = _read_table(path, name, design, keep_incomplete)
        offset = raw.line_offset if path.suffix != ".parquet" else None
        if name in KINDS:
            table = _check_or_set_aside(
                data, name, None if is_default else inst, name=path.name, line_offset=offset,
                strict=strict, units=read.get(unit_table) if name != unit_table else None,
                on_invalid=on_invalid, raw=raw)
        else:
            keys = [unit] if name == "units" else [unit, *([time] if time else [])]
            table = _check_keys(data, path.name, name, keys, offset)
        key = {"firms": ["firm_id"], "firm_years": ["firm_id", "year"],
               "units": [unit], "outcomes": [unit, *([time] if time else [])]}.get(
                   name, ["respondent_id"])
        key = [k for k in key if k in table.columns]
        if key:
            table = table.sort_values(key, kind="stable")
        read[name] = table.reset_index(drop=True)
        reports[name] = _report(path, name, raw, read[name])
    units_frame = read.get(unit_table)
    if units_frame is not None and unit in units_frame.columns:
        known = set(units_frame[unit].dropna())
        for name in (outcome_table, "employees", "customers"):
            frame = read.get(name)
            if frame is None or name == unit_table or unit not in frame.columns:
                continue
            unknown_ids = ~frame[unit].isin(known) & frame[unit].notna()
            if unknown_ids.any():
                rows = [int(i) for i in np.flatnonzero(unknown_ids.to_numpy())]
                problems.append(
                    f"{name}: column '{unit}': {len(rows)} value(s) not in {unit_table} at "
                    f"{_rows_text(rows, None)}; first values: "
                    f"{frame[unit][unknown_ids].head(3).tolist()}"
                )
    if problems:
        raise SurveyValidationError("; ".join(problems), problems)
    if is_default:
        inst = default_instrument(read.get("customers"), units_frame)
    truth_path = directory / "truth.json"
    truth = (
        {k: float(v) for k, v in json.loads(truth_path.read_text()).items()}
        if truth_path.is_file()
        else {}
    )
    latent_path = directory / "latent.parquet"
    latent = pd.read_parquet(latent_path) if latent_path.is_file() else None
    return LoadedStudy(
        firms=read.get("firms"),  # type: ignore[arg-type]
        firm_years=read.get("firm_years"),  # type: ignore[arg-type]
        employees=read.get("employees"),  # type: ignore[arg-type]
        customers=read.get("customers"),  # type: ignore[arg-type]
        truth=truth,
        params=None,
        latent=latent,
        instrument=inst,
        units=units_frame,
        outcomes=read.get(outcome_table),
        reports=reports,
        instrument_default=is_default,
    )
