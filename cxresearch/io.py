"""Reading and validating survey exports (CSV, Excel, SPSS ``.sav``) and study directories.

One table specification per *kind* (``customers``, ``employees``, ``firms``, ``firm_years``)
is the single source of truth for column names, types, units, allowed values and meanings: it
drives the pandera schemas here and the data dictionary (``datapackage.json``) written by
:mod:`cxresearch.data_build`.

The study's vocabulary (items, answer ranges, reverse keys, industries, owners) comes from
:mod:`cxresearch.contract`; the file formats a study table may have, and the order in which they
are looked for, from :func:`find_table`.

Rules (docs/DEVELOPING.md): inputs are never modified; bad input raises
:class:`SurveyValidationError` (a :class:`cxresearch._checks.DataError`, so a ``ValueError``)
whose message names the column, the rule and the first offending rows, e.g.
``column 'nps': 2 value(s) outside 0..10 at rows [1, 4]``.
Rows are 0-based data rows; for CSV and Excel files the message also gives the line (spreadsheet
row) number, counting the header. PII-looking columns (names, e-mails, phone numbers, postal
addresses) are dropped, with a report in ``df.attrs["read_report"]``, unless ``keep_pii=True``.

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "c.csv").write_text("ID,Recommend,Email\\nr1,9,a@b.org\\nr2,6,c@d.org\\n")
>>> df = read_survey(d / "c.csv", kind="customers", columns={"ID": "respondent_id",
...                                                         "Recommend": "nps"})
>>> df.columns.tolist(), df["nps"].tolist()
(['respondent_id', 'nps'], [9, 6])
>>> df.attrs["read_report"]["dropped_pii"]
['Email']
>>> _ = (d / "bad.csv").write_text("respondent_id,nps\\nr1,9\\nr2,11\\n")
>>> read_survey(d / "bad.csv", kind="customers")
Traceback (most recent call last):
...
cxresearch.io.SurveyValidationError: bad.csv (customers): column 'nps': 1 value(s)
    outside 0..10 at rows [1] (file lines [3]); first values: [11]
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxresearch import _checks
from cxresearch._checks import DataError
from cxresearch.contract import (
    CULTURE_ITEMS,
    ENGAGEMENT_ITEMS,
    INDUSTRIES,
    ITEM_RANGES,
    OWNERS,
    REVERSE_KEYED,
    SIZE_BANDS,
)

if TYPE_CHECKING:
    from cxresearch.simulate.study import Study

__all__ = [
    "KINDS",
    "TABLE_SPECS",
    "TABLE_SUFFIXES",
    "ColumnSpec",
    "SurveyValidationError",
    "data_dictionary",
    "find_table",
    "load_study",
    "read_survey",
    "schema",
    "study_overview",
    "validate_table",
]

KINDS: tuple[str, ...] = ("customers", "employees", "firms", "firm_years")
_MAX_ROWS_SHOWN = 5


class SurveyValidationError(DataError):
    """Bad survey input; ``problems`` lists one message per column and rule.

    A :class:`cxresearch._checks.DataError` (and so a ``ValueError``).
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems) if problems else [message]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table kind: type, unit, allowed values and meaning."""

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
        unit="scale point", minimum=lo, maximum=hi, nullable=True,
    )  # fmt: skip

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
                   maximum=ITEM_RANGES["nps"][1], nullable=True),
        ColumnSpec("csat", "integer", "Satisfaction, 1-5 (5 = very satisfied).",
                   unit="scale point", minimum=ITEM_RANGES["csat"][0],
                   maximum=ITEM_RANGES["csat"][1], nullable=True),
        ColumnSpec("ces", "integer",
                   "Customer effort, 1-7 agreement with 'The company made it easy for me to "
                   "handle my issue' (7 = very easy); asked only after a service contact.",
                   unit="scale point", minimum=ITEM_RANGES["ces"][0],
                   maximum=ITEM_RANGES["ces"][1], nullable=True),
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
# Columns whose values are never missing in the study contract (load_study is strict).
_PII_NAME = re.compile(
    r"(^|_)(first_?name|last_?name|full_?name|surname|name|e_?mail|email_address|phone|"
    r"telephone|tel|mobile|cell|address|street|postcode|zip|zip_?code|ssn|"
    r"social_security|date_of_birth|dob|ip_address)($|_)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,}$")


def _specs(kind: str) -> tuple[ColumnSpec, ...]:
    if kind not in TABLE_SPECS:
        raise DataError(f"argument 'kind': {kind!r} is not one of {list(KINDS)}")
    return TABLE_SPECS[kind]


def schema(kind: str, strict: bool = False) -> Any:
    """The pandera ``DataFrameSchema`` for a table kind (value rules after type conversion).

    ``strict=True`` makes every contract column required (as :func:`load_study` does).

    >>> schema("customers").columns["nps"].checks
    [<Check in_range: in_range(0, 10)>]
    """
    import pandera.pandas as pa

    cols = {}
    for spec in _specs(kind):
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
    df: pd.DataFrame, kind: str, line_offset: int | None
) -> tuple[pd.DataFrame, list[str]]:
    """Convert contract columns to their types; report text in numbers and fractional ints."""
    out = df.copy()
    problems: list[str] = []
    for spec in _specs(kind):
        if spec.name not in out.columns:
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
    df: pd.DataFrame, kind: str, strict: bool, line_offset: int | None
) -> list[str]:
    import pandera.pandas as pa

    specs = {s.name: s for s in _specs(kind)}
    try:
        schema(kind, strict=strict).validate(df, lazy=True)
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


@_checks.renamed(df="data", source="name")
def validate_table(
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
    >>> t = validate_table(pd.DataFrame({"respondent_id": ["a", "b"], "csat": ["5", "4"]}),
    ...                    "customers")
    >>> t["csat"].tolist()
    [5, 4]
    >>> validate_table(pd.DataFrame({"respondent_id": ["a", "a"], "csat": [5, 4]}),
    ...                "customers")
    Traceback (most recent call last):
    ...
    cxresearch.io.SurveyValidationError: table (customers): column 'respondent_id':
        2 duplicated value(s) at rows [0, 1]; first values: ['a', 'a']
    """
    specs = _specs(kind)
    present = set(data.columns)
    needed = [s.name for s in specs if strict or s.required]
    missing = [c for c in needed if c not in present]
    problems: list[str] = []
    if missing:
        problems.append(
            f"missing required column(s) {missing}; found {list(data.columns)}; map your names "
            "with columns={'your name': 'contract name'}"
        )
    one_of = _ONE_OF.get(kind)
    if one_of and not strict and not present.intersection(one_of):
        problems.append(
            f"none of the columns {list(one_of)} is present; found {list(data.columns)}"
        )
    if problems:
        raise SurveyValidationError(f"{name} ({kind}): " + "; ".join(problems), problems)
    out, problems = _convert(data.reset_index(drop=True), kind, line_offset)
    if not problems:
        problems = _pandera_problems(out, kind, strict, line_offset)
    if problems:
        raise SurveyValidationError(f"{name} ({kind}): " + "; ".join(problems), problems)
    return out


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


def _pii_columns(df: pd.DataFrame) -> list[str]:
    found = []
    for col in df.columns:
        name = str(col).strip()
        if _PII_NAME.search(name.replace(" ", "_").replace("-", "_")):
            found.append(col)
            continue
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        vals = s.dropna().astype(str).str.strip().head(50)
        if len(vals) and (vals.str.match(_EMAIL).mean() > 0.5 or (
            vals.str.match(_PHONE).mean() > 0.5 and vals.str.count(r"\d").min() >= 7
            and vals.str.contains(r"[\s()+-]").mean() > 0.5
        )):  # fmt: skip
            found.append(col)
    return found


def read_survey(
    path: str | Path,
    kind: str,
    columns: dict[str, str] | None = None,
    *,
    sheet_name: str | int = 0,
    header: int | list[int] = 0,
    skiprows: int | list[int] | None = None,
    encoding: str = "utf-8",
    keep_pii: bool | list[str] = False,
) -> pd.DataFrame:
    """Read a survey export (CSV/TSV, Excel, SPSS ``.sav``, Parquet) as a validated table.

    Parameters
    ----------
    path : file to read; never modified.
    kind : one of ``customers``, ``employees``, ``firms``, ``firm_years``.
    columns : mapping from the export's column names to the contract's (see
        ``data/processed/datapackage.json``), e.g. ``{"Q1 Recommend": "nps"}``. Column names
        are also matched after stripping and lower-casing.
    sheet_name, header, skiprows : for Excel (``header=[0, 1]`` for a two-row header) and CSV.
    encoding : CSV text encoding; a file that does not decode is rejected with the line and
        column of the first bad byte.
    keep_pii : ``True`` or a list of columns to keep although they look like personal data.

    Returns a new DataFrame with contract columns typed (nullable ``Int64`` for answers that may
    be missing) and other columns kept as read; ``df.attrs["read_report"]`` records the source,
    renamed and dropped PII columns. Raises :class:`SurveyValidationError` listing every problem.
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"argument 'path': no such file {str(p)!r}")
    _specs(kind)
    if p.stat().st_size == 0:
        need = [s.name for s in _specs(kind) if s.required]
        raise SurveyValidationError(
            f"{p.name}: the file is empty (0 bytes); a {kind} export needs a header row with at "
            f"least {need} and one data row"
        )
    suffix = p.suffix.lower()
    line_offset: int | None = 2
    if suffix in (".csv", ".tsv", ".txt"):
        df = _read_csv(p, encoding, skiprows)
        if skiprows is not None:
            line_offset = None
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        df = _read_excel(p, sheet_name, header, skiprows)
        line_offset = (len(header) if isinstance(header, list) else header + 1) + 1
        if skiprows is not None:
            line_offset = None
    elif suffix in (".sav", ".zsav"):
        import pyreadstat

        try:
            df, _meta = pyreadstat.read_sav(str(p), apply_value_formats=False)
        except Exception as exc:  # pyreadstat raises its own error types
            raise SurveyValidationError(f"{p.name}: not a readable SPSS file ({exc})") from None
        line_offset = None
    elif suffix == ".parquet":
        df = pd.read_parquet(p)
        line_offset = None
    else:
        raise SurveyValidationError(
            f"{p.name}: unsupported file type {suffix!r}; use .csv, .tsv, .xlsx, .sav or .parquet"
        )
    if df.shape[1] == 0 or (df.shape[0] == 0 and not len(df.columns)):
        raise SurveyValidationError(f"{p.name}: the file is empty (no columns)")
    if df.shape[0] == 0:
        raise SurveyValidationError(f"{p.name}: the file has a header but no data rows")

    # column mapping
    renamed: dict[str, str] = {}
    if columns:
        absent = [c for c in columns if c not in df.columns]
        if absent:
            raise SurveyValidationError(
                f"{p.name} ({kind}): argument 'columns' names column(s) {absent} that are not "
                f"in the file; found {[str(c) for c in df.columns]}"
            )
        renamed.update(columns)
    contract = {s.name for s in _specs(kind)}
    for col in df.columns:
        norm = re.sub(r"\s+", "_", str(col).strip().lower())
        if col not in renamed and col not in contract and norm in contract:
            renamed[col] = norm
    df = df.rename(columns=renamed)

    # personal data
    keep = set(keep_pii) if isinstance(keep_pii, list) else set()
    pii = [] if keep_pii is True else [
        c for c in _pii_columns(df) if c not in contract and c not in keep
    ]  # fmt: skip
    if pii:
        df = df.drop(columns=pii)

    if suffix in (".xlsx", ".xlsm", ".xls"):
        second = _looks_like_second_header(df, kind)
        if second:
            raise SurveyValidationError(
                f"{p.name} ({kind}): row 0 (spreadsheet row {line_offset}) looks like a second "
                f"header row: it holds {second} in column(s) {[str(c) for c in df.columns]}; "
                "pass header=[0, 1] for a two-row header (the lower row names the columns) or "
                "skiprows=[1] to drop a row of descriptions",
                [f"column '{c}': text in a numeric column at rows [0]" for c in second],
            )
    out = validate_table(df, kind, name=f"{p.name}", line_offset=line_offset)
    out.attrs["read_report"] = {
        "source": p.name,
        "kind": kind,
        "rows": int(out.shape[0]),
        "renamed": {str(k): v for k, v in renamed.items()},
        "dropped_pii": [str(c) for c in pii],
    }
    return out


def data_dictionary(kind: str | None = None) -> pd.DataFrame:
    """The contract's columns as a tidy frame: table, column, type, unit, allowed, meaning.

    >>> d = data_dictionary("customers")
    >>> d.loc[d["column"] == "nps", "allowed"].item()
    '0..10'
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
                }
            )
    return pd.DataFrame(rows)


def study_overview(study: Study) -> pd.DataFrame:
    """Rows, columns, firms, years and the share of missing cells of each table of a study.

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
    """The file holding table ``name`` in ``directory``: the first of ``NAME.parquet``,
    ``.csv``, ``.xlsx``, ``.sav`` that exists (:data:`TABLE_SUFFIXES`), or None.

    The one rule for finding a table (used by :func:`load_study` and
    :func:`cxresearch.csi.read_ecsi_survey`): Parquet first, because it keeps the types, then
    the formats survey tools export.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "firms.csv").write_text("firm_id\\nF1\\n")
    >>> find_table(d, "firms").name, find_table(d, "customers")
    ('firms.csv', None)
    """
    directory = Path(directory)
    for ext in TABLE_SUFFIXES:
        candidate = directory / f"{name}{ext}"
        if candidate.is_file():
            return candidate
    return None


def _empty_table(kind: str) -> pd.DataFrame:
    return pd.DataFrame({s.name: pd.Series(dtype="object") for s in _specs(kind)})


def load_study(
    data_dir: str | Path | None = None, tables: Sequence[str] | None = None
) -> Study:
    """Read and validate the study tables from a directory into a :class:`Study`.

    ``data_dir=None`` reads the bundled **synthetic** data in ``data/processed/`` (see
    ``data/README.md``). Each table is ``<name>.parquet``, ``.csv``, ``.xlsx`` or ``.sav`` (the
    last three through :func:`read_survey`, so exports from survey tools work as they are);
    ``truth.json`` (if present) becomes ``truth`` and ``latent.parquet`` the answer key.

    ``tables`` names the tables a study needs (default: all four). Tables not needed and not
    present come back as empty frames with the contract's columns, so a notebook about customer
    metrics runs on a folder holding only ``customers.csv`` and ``firms.csv``. Validation is
    strict: every contract column of a present table is required, and firm ids in the other
    tables must exist in ``firms`` when ``firms`` is given.

    >>> s = load_study()
    >>> s.firms["firm_id"].iloc[0], "ex_to_cx" in s.truth
    ('F0001', True)
    """
    from cxresearch import paths
    from cxresearch.simulate.study import Study

    needed = list(KINDS) if tables is None else list(tables)
    unknown_kinds = [t for t in needed if t not in KINDS]
    if unknown_kinds:
        raise DataError(f"argument 'tables': unknown table(s) {unknown_kinds}; use {list(KINDS)}")
    directory = Path(data_dir) if data_dir is not None else paths.processed_dir()
    if not directory.is_dir():
        raise SurveyValidationError(f"argument 'data_dir': {str(directory)!r} is not a directory")
    found = {name: find_table(directory, name) for name in KINDS}
    missing = [name for name in needed if found[name] is None]
    if missing:
        present = sorted(p.name for p in directory.iterdir() if p.is_file())
        raise SurveyValidationError(
            f"{directory.name}: missing table(s) "
            f"{[m + '.parquet|.csv|.xlsx|.sav' for m in missing]}; found files {present}; "
            f"this study needs {needed} (see data/processed/datapackage.json for their columns)"
        )
    tables_read: dict[str, pd.DataFrame] = {}
    for name, path in found.items():
        if path is None:
            tables_read[name] = _empty_table(name)
            continue
        if path.suffix == ".parquet":
            raw = pd.read_parquet(path)
            table = validate_table(raw, name, strict=True, name=path.name, line_offset=None)
        elif path.suffix == ".csv":
            raw = pd.read_csv(path, dtype=str)
            table = validate_table(raw, name, strict=True, name=path.name, line_offset=2)
        else:
            table = read_survey(path, name)
            table = validate_table(table, name, strict=True, name=path.name, line_offset=None)
        key = ["firm_id", "year"] if name == "firm_years" else (
            ["firm_id"] if name == "firms" else ["respondent_id"]
        )  # fmt: skip
        tables_read[name] = table.sort_values(key, kind="stable").reset_index(drop=True)
    tables = tables_read
    known = set(tables["firms"]["firm_id"])
    problems = []
    for name in ("firm_years", "employees", "customers"):
        if found["firms"] is None or found[name] is None:
            continue
        unknown = ~tables[name]["firm_id"].isin(known)
        if unknown.any():
            rows = [int(i) for i in np.flatnonzero(unknown.to_numpy())]
            problems.append(
                f"{name}: column 'firm_id': {len(rows)} value(s) not in firms at "
                f"{_rows_text(rows, None)}; first values: "
                f"{tables[name]['firm_id'][unknown].head(3).tolist()}"
            )
    if problems:
        raise SurveyValidationError("; ".join(problems), problems)
    truth_path = directory / "truth.json"
    truth = (
        {k: float(v) for k, v in json.loads(truth_path.read_text()).items()}
        if truth_path.is_file()
        else {}
    )
    latent_path = directory / "latent.parquet"
    latent = pd.read_parquet(latent_path) if latent_path.is_file() else None
    return Study(
        firms=tables["firms"],
        firm_years=tables["firm_years"],
        employees=tables["employees"],
        customers=tables["customers"],
        truth=truth,
        params=None,
        latent=latent,
    )
