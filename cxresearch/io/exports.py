"""Survey-platform exports: recognise the platform, drop its extra header rows, keep the questions.

A survey platform does not export a plain table. :func:`read_export` recognises five layouts and
returns the answers as one table (one header row of column names, one row per respondent), the
question text of each column (``labels``) and the answer labels of coded answers
(``value_labels``):

============== ============================================ ====================================
source         layout                                       column names
============== ============================================ ====================================
qualtrics      CSV/TSV with three header rows: column ids,  the column ids (``Q1``,
               question text, ``{"ImportId": "QID1"}``;     ``ResponseId``); the legacy
               or the legacy two rows (``V1, V2, ...,       ``V1..V10`` meta columns get the
               Q1`` then ``ResponseID, ..., question``);    names of the second row
               SPSS ``.sav`` with variable and value labels (``ResponseID``, ``IPAddress``)
surveymonkey   CSV/XLSX with two header rows: question      ``question`` for a single answer
               text (blank over the further columns of one  (sub-answer ``Response``), else
               question) and sub-answer (``Response``,      ``question - sub-answer``
               ``Open-Ended Response``, option names)
google_forms   CSV with ``Timestamp`` first and the         the question text
               question text as headers
plain          one header row                               as in the file
============== ============================================ ====================================

``source="auto"`` (the default) tells them apart by their signatures, in this order: a third
row of ``{"ImportId": ...}`` cells or Qualtrics' fields (``ResponseId`` with ``StartDate``,
``Progress``...) in the first row; SurveyMonkey's ``Respondent ID``/``Collector ID`` or a
second row of sub-answers under blank continuation cells; ``Timestamp`` as the first column;
otherwise plain. A plain file whose first data row is text over columns of numbers is refused
as an unrecognised second header row instead of being read as answers.

Text encodings: a byte-order mark decides (UTF-8, UTF-16 LE/BE -- Qualtrics TSV exports are
UTF-16); without one, UTF-8 (a file that does not decode is refused with the line of the first
bad byte; pass ``encoding="cp1252"`` for a Windows export). The delimiter is a tab for
``.tsv`` and a comma for ``.csv``; other text files get the more frequent one of the first line.

Numbers. After the header rows are removed, a column becomes numeric (``Int64`` if every value
is whole, else ``float64``) when every non-empty value is

- a plain number (``7``, ``-1``, ``0.5``; not ``+49...``, not ``007`` -- a leading ``+`` or
  zero marks a code or a phone number, which stay text), or
- a *labelled number*: a number, then ``-``, ``–``, ``:``, ``=``, ``)`` or ``.`` and a
  label that starts with a letter (``"10 - Extremely likely"``, ``"1 = Very dissatisfied"``,
  ``"3) Neutral"``), as SurveyMonkey and Google Forms write the end points of a scale. The
  number is kept and the label recorded in ``value_labels`` (``{10: "Extremely likely"}``).

Anything else stays text: ``"Very satisfied"`` is not guessed. Give such answers numbers with
``value_map={"column, id or question": {"Very satisfied": 5, ...}}``; a value the map does not
cover is an error naming the column and rows. SPSS files keep their numeric codes as data and
their labels in ``value_labels``.

Errors are :class:`cxresearch.core.validation.DataError` naming the file, the line or row and the
column: an unrecognised header, a ragged row, a header cell without a name, a value that a
``value_map`` does not cover. The input file is never modified.

Example
-------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "q.csv").write_text(
...     'ResponseId,StartDate,Q1\\n'
...     'Response ID,Start Date,How likely are you to recommend us?\\n'
...     '"{""ImportId"":""_recordId""}","{""ImportId"":""startDate""}","{""ImportId"":""QID1""}"\\n'
...     'R_1,2024-03-04 09:12:33,9\\nR_2,2024-03-04 10:01:02,6\\n')
>>> e = read_export(d / "q.csv")
>>> e.source, e.header_rows_dropped, e.data["Q1"].tolist()
('qualtrics', 2, [9, 6])
>>> e.labels["Q1"], e.ids["Q1"]
('How likely are you to recommend us?', 'QID1')
>>> apply_columns(e, {"How likely are you to recommend us?": "nps"}).data.columns.tolist()
['ResponseId', 'StartDate', 'nps']
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import difflib
import io as _io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, require_frame

__all__ = [
    "INCOMPLETE_RULES",
    "SOURCES",
    "Export",
    "apply_columns",
    "incomplete_rows",
    "read_export",
]

#: the platforms :func:`read_export` knows (``source=`` also takes ``"auto"``)
SOURCES: tuple[str, ...] = ("qualtrics", "surveymonkey", "google_forms", "plain")
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_SPSS_SUFFIXES = (".sav", ".zsav")

#: Qualtrics' embedded fields (column ids, normalised: lower case, letters and digits only)
_QUALTRICS_FIELDS: frozenset[str] = frozenset({
    "startdate", "enddate", "status", "ipaddress", "progress", "durationinseconds", "finished",
    "recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail",
    "externalreference", "externaldatareference", "locationlatitude", "locationlongitude",
    "distributionchannel", "userlanguage", "responseset",
})
#: what Qualtrics writes in the question-text row over a field whose label differs from its id
_QUALTRICS_FIELD_LABELS: frozenset[str] = frozenset({"responsetype", "externaldatareference"})
#: SurveyMonkey's respondent fields (normalised)
_SURVEYMONKEY_FIELDS: frozenset[str] = frozenset({
    "respondentid", "collectorid", "startdate", "enddate", "ipaddress", "emailaddress",
    "firstname", "lastname",
})
_SURVEYMONKEY_GENERIC = ("Response", "Open-Ended Response")
#: the first column of a Google Forms export, in the languages Forms writes it
_GOOGLE_TIMESTAMP: frozenset[str] = frozenset(
    {"timestamp", "zeitstempel", "marcatemporal", "horodateur", "tijdstempel",
     "informazionecronologica", "carimbodedatahora"}
)

_NUMBER = re.compile(r"^-?(?:0|[1-9]\d*)(?:\.\d+)?$|^-?0?\.\d+$")
_LABELLED = re.compile(
    r"^(-?(?:0|[1-9]\d*)(?:\.\d+)?)\s*(?:-|–|—|:|=|\)|\.(?=\s))\s*([^\W\d_].*)$"
)


def _norm(text: Any) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def _squash(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


@dataclass(frozen=True, eq=False)
class Export(Result):
    """A survey export as one table, with its questions and answer labels.

    Parameters
    ----------
    data : DataFrame
        One row per respondent, one header row of column names; numbers converted (see the
        module docstring), empty cells missing. ``data.attrs["labels"]`` holds ``labels``.
    labels : dict
        Column -> question text (or SPSS variable label).
    source : str
        One of :data:`SOURCES`.
    value_labels : dict
        Column -> {code: answer label}, from SPSS value labels or labelled numbers.
    header_rows_dropped : int
        Header rows removed besides the row of column names (Qualtrics 2, legacy 1,
        SurveyMonkey 1, else 0).
    file : str
        The file's name, for messages.
    ids : dict
        Column -> the platform's id for it (Qualtrics ``ImportId`` such as ``QID1``, or the
        legacy ``V``-number), where the platform has one.
    line_offset : int or None
        Add to a 0-based row to get its line in the file (``None`` when rows span several
        lines or the file is not text or a spreadsheet).
    lines : tuple of int
        The file line (spreadsheet row) each data row starts on, for text and spreadsheet
        files; empty otherwise.

    Examples
    --------
    >>> e = Export(pd.DataFrame({"Q1": [9, 6]}), {"Q1": "How likely are you to recommend us?"},
    ...            "qualtrics", header_rows_dropped=2, file="q.csv")
    >>> e.summary().split(", ")[:2]
    ['q.csv: qualtrics export', '2 rows x 1 columns']
    """

    data: pd.DataFrame
    labels: dict[str, str]
    source: str
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    header_rows_dropped: int = 0
    file: str = ""
    ids: dict[str, str] = field(default_factory=dict)
    line_offset: int | None = None
    lines: tuple[int, ...] = ()

    def summary(self) -> str:
        """One line: file, platform, rows, columns and header rows dropped."""
        return (
            f"{self.file}: {self.source} export, {self.data.shape[0]} rows x "
            f"{self.data.shape[1]} columns, {self.header_rows_dropped} extra header row(s) "
            f"dropped, {len(self.labels)} question label(s)"
        )

    def to_frame(self) -> pd.DataFrame:
        """A data dictionary: column, id, label, type, missing count, value labels."""
        rows = []
        for col in self.data.columns:
            vl = self.value_labels.get(col, {})
            rows.append(
                {
                    "column": col,
                    "id": self.ids.get(col, ""),
                    "label": self.labels.get(col, ""),
                    "type": str(self.data[col].dtype),
                    "missing": int(self.data[col].isna().sum()),
                    "value_labels": "; ".join(f"{k} = {v}" for k, v in vl.items()),
                }
            )
        return pd.DataFrame(
            rows, columns=["column", "id", "label", "type", "missing", "value_labels"]
        )


# -- reading cells ------------------------------------------------------------------------------


def _encoding(raw: bytes, encoding: str | None) -> str:
    if encoding is not None:
        return "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") \
            else encoding
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in raw[:200]:
        return "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
    return "utf-8"


def _parse_delimited(text: str, suffix: str, name: str) -> tuple[list[list[str]], list[int]]:
    """The records of delimited text and the line each starts on (blank rows skipped)."""
    first = text.split("\n", 1)[0]
    if suffix == ".tsv":
        delim = "\t" if "\t" in first or "," not in first else ","
    elif suffix == ".csv":
        delim = "," if "," in first or "\t" not in first else "\t"
    else:
        delim = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[str]] = []
    lines: list[int] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not rec or not "".join(rec).strip():
                continue
            rows.append(rec)
            lines.append(start)
    except csv.Error as exc:
        raise DataError(f"{name}: line {reader.line_num}: not readable as CSV ({exc})") from None
    return rows, lines


def _decode_problem(p: Path, raw: bytes, enc: str, exc: UnicodeDecodeError) -> str:
    """Where the first undecodable byte is: line, data row and column."""
    line = raw.count(b"\n", 0, exc.start) + 1
    where = f"line {line}"
    try:
        rows, lines = _parse_delimited(raw.decode(enc, errors="replace"), p.suffix.lower(),
                                       p.name)
    except (DataError, LookupError):
        rows, lines = [], []
    starts = [i for i, ln in enumerate(lines) if ln <= line]
    if rows and starts:
        i = starts[-1]
        n_header = _detect_rows(rows[:5])[1]
        where += f" (row {i - n_header})" if i >= n_header else f" (header row {i + 1})"
        j = next((k for k, c in enumerate(rows[i]) if "\ufffd" in c), None)
        if j is not None:
            col = rows[0][j].strip() if j < len(rows[0]) else ""
            where += f", in column '{col}'" if col else f", in column {j + 1}"
    return (
        f"{p.name}: not valid {enc}: byte 0x{raw[exc.start]:02x} at {where}; re-save the file "
        "as UTF-8 or pass encoding='cp1252' (or 'latin-1')"
    )


def _text_rows(p: Path, encoding: str | None) -> tuple[list[list[str]], list[int]]:
    """The records of a delimited text file and the line each starts on (blank rows skipped)."""
    raw = p.read_bytes()
    enc = _encoding(raw, encoding)
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        raise DataError(_decode_problem(p, raw, enc, exc)) from None
    except LookupError:
        raise DataError(f"argument 'encoding': unknown encoding {encoding!r}") from None
    return _parse_delimited(text, p.suffix.lower(), p.name)


def _cell_text(v: Any) -> str:
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.isoformat(sep=" ")
    return str(v)


def _excel_rows(p: Path, sheet_name: str | int) -> tuple[list[list[str]], list[int]]:
    try:
        raw = pd.read_excel(p, sheet_name=sheet_name, header=None, dtype=object)
    except ValueError as exc:  # e.g. a missing sheet
        raise DataError(f"{p.name}: {exc}") from None
    rows: list[list[str]] = []
    lines: list[int] = []
    for i, rec in enumerate(raw.itertuples(index=False)):
        cells = [_cell_text(v) for v in rec]
        if all(not c.strip() for c in cells):
            continue
        rows.append(cells)
        lines.append(i + 1)
    # drop trailing columns that are empty everywhere (a spreadsheet's used range)
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or not r[width - 1].strip() for r in rows):
        width -= 1
    return [r[:width] for r in rows], lines


# -- recognising the platform -------------------------------------------------------------------


def _importid_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    hits = 0
    for c in cells:
        if c.startswith("{"):
            try:
                obj = json.loads(c)
            except ValueError:
                continue
            hits += isinstance(obj, dict) and "ImportId" in obj
    return bool(cells) and hits * 2 > len(cells)


def _qualtrics_header(rows: list[list[str]]) -> tuple[int, bool] | None:
    """(header rows, legacy?) if the rows start like a Qualtrics export, else None."""
    r0 = rows[0]
    r1 = rows[1] if len(rows) > 1 else None
    if len(rows) > 2 and _importid_row(rows[2]):
        return 3, False
    ids = [_norm(c) for c in r0]
    legacy = [j for j, c in enumerate(r0) if re.fullmatch(r"V\d+", c.strip())]
    if legacy and r1 is not None and any(
        j < len(r1) and _norm(r1[j]) == "responseid" for j in legacy
    ):
        return 2, True
    meta = [j for j, c in enumerate(ids) if c in _QUALTRICS_FIELDS]
    if "responseid" in ids and len(meta) >= 2:
        if r1 is not None:
            same = sum(
                j < len(r1) and _norm(r1[j]) in {ids[j], *_QUALTRICS_FIELD_LABELS} for j in meta
            )
            if same * 2 >= len(meta):
                return 2, False
        return 1, False
    return None


def _surveymonkey_header(rows: list[list[str]]) -> bool:
    if len(rows) < 2:
        return False
    r0, r1 = rows[0], rows[1]
    ids = [_norm(c) for c in r0]
    generic = any(c.strip() in _SURVEYMONKEY_GENERIC for c in r1)
    blanks = any(not c.strip() for c in r0)
    sm_fields = "respondentid" in ids
    if generic and (sm_fields or blanks):
        return True
    if sm_fields and "collectorid" in ids:
        meta = [j for j, c in enumerate(ids) if c in _SURVEYMONKEY_FIELDS or c.startswith(
            "customdata")]
        return all(j >= len(r1) or not r1[j].strip() for j in meta)
    return False


def _google_header(rows: list[list[str]]) -> bool:
    return bool(rows) and bool(rows[0]) and _norm(rows[0][0]) in _GOOGLE_TIMESTAMP


def _detect_rows(rows: list[list[str]]) -> tuple[str, int, bool]:
    """(source, header rows, legacy) from the first rows of an export."""
    q = _qualtrics_header(rows)
    if q is not None:
        return "qualtrics", q[0], q[1]
    if _surveymonkey_header(rows):
        return "surveymonkey", 2, False
    if _google_header(rows):
        return "google_forms", 1, False
    return "plain", 1, False


def _second_header(rows: list[list[str]]) -> list[str]:
    """Columns whose first data row is text while every row below is a number."""
    if len(rows) < 4:
        return []
    header, first, below = rows[0], rows[1], rows[2:502]
    numeric, texty = [], []
    for j, cell in enumerate(header):
        name = cell.strip() or f"column {j + 1}"
        vals = [r[j].strip() for r in below if j < len(r) and r[j].strip()]
        if len(vals) < 2 or not all(_NUMBER.match(v) for v in vals):
            continue
        numeric.append(name)
        cell = first[j].strip() if j < len(first) else ""
        if cell and not _NUMBER.match(cell) and not _LABELLED.match(cell):
            texty.append(name)
    return texty if texty and len(texty) * 2 >= len(numeric) else []


def _check_source(source: str) -> str:
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, got {type(source).__name__}")
    if source not in (*SOURCES, "auto"):
        raise DataError(f"argument 'source': {source!r} is not one of {['auto', *SOURCES]}")
    return source


def _rows_of(path: Path, encoding: str | None, sheet_name: str | int
             ) -> tuple[list[list[str]], list[int]]:
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES:
        return _excel_rows(path, sheet_name)
    return _text_rows(path, encoding)


def _detect_source(
    path_or_data: str | Path | pd.DataFrame,
    *,
    encoding: str | None = None,
    sheet_name: str | int = 0,
) -> str:
    """Which platform made an export: ``qualtrics``, ``surveymonkey``, ``google_forms``, ``plain``.

    ``path_or_data`` is a file (CSV/TSV/TXT, Excel, SPSS ``.sav``) or a DataFrame: either read
    with ``header=None`` (the header rows are its first rows) or with its column names as the
    first header row. The rules are in the module docstring.

    >>> import pandas as pd
    >>> _detect_source(pd.DataFrame({"Timestamp": ["3/4/2024 9:12:33"], "Rate us": ["9"]}))
    'google_forms'
    >>> _detect_source(pd.DataFrame([["Respondent ID", "Collector ID", "Rate us"],
    ...                             ["", "", "Response"], ["1", "2", "9"]]))
    'surveymonkey'
    """
    if isinstance(path_or_data, pd.DataFrame):
        data = require_frame(path_or_data)
        body = [[_cell_text(v) for v in r] for r in data.head(5).itertuples(index=False)]
        if list(data.columns) == list(range(data.shape[1])):  # read with header=None
            rows = body
        else:
            rows = [[_cell_text(c) for c in data.columns], *body]
        return _detect_rows(rows)[0] if rows else "plain"
    p = Path(path_or_data)
    if not p.is_file():
        raise FileNotFoundError(f"argument 'path_or_data': no such file {str(p)!r}")
    if p.suffix.lower() in _SPSS_SUFFIXES:
        import pyreadstat

        _, meta = pyreadstat.read_sav(str(p), metadataonly=True)
        return _spss_source(list(meta.column_names))
    if p.suffix.lower() == ".parquet":
        return "plain"
    rows, _ = _rows_of(p, encoding, sheet_name)
    return _detect_rows(rows[:5])[0] if rows else "plain"


def _spss_source(names: list[str]) -> str:
    ids = [_norm(c) for c in names]
    meta = [c for c in ids if c in _QUALTRICS_FIELDS]
    return "qualtrics" if "responseid" in ids and len(meta) >= 2 else "plain"


# -- column names -------------------------------------------------------------------------------


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0) + 1
        seen[n] = k
        out.append(n if k == 1 else f"{n} ({k})")
    return out


def _header(
    rows: list[list[str]], source: str, n_header: int, legacy: bool
) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Column names, labels and platform ids from the header rows."""
    r0 = [c.strip() for c in rows[0]]
    width = len(r0)

    def cell(r: int, j: int) -> str:
        return rows[r][j].strip() if j < len(rows[r]) else ""

    names: list[str] = []
    labels: dict[str, str] = {}
    ids: dict[str, str] = {}
    if source == "qualtrics":
        for j in range(width):
            label = cell(1, j) if n_header >= 2 else ""
            if legacy and re.fullmatch(r"V\d+", r0[j]) and label:
                name = label  # V1 -> ResponseID, V6 -> IPAddress
                ids[name] = r0[j]
            else:
                name = r0[j]
            names.append(name)
            if label and label != name:
                labels[name] = label
            if n_header >= 3:
                try:
                    obj = json.loads(cell(2, j))
                except ValueError:
                    obj = None
                if isinstance(obj, dict) and "ImportId" in obj and obj["ImportId"] != name:
                    ids[name] = str(obj["ImportId"])
    elif source == "surveymonkey":
        question = ""
        for j in range(width):
            top, sub = r0[j], cell(1, j)
            if top:
                question = top
            if top and sub in ("", *_SURVEYMONKEY_GENERIC):
                name = top
            elif question:
                name = f"{question} - {sub}" if sub else question
            else:
                name = sub
            names.append(name)
        names = _dedupe(names)
        # the answer columns (those with a sub-answer) carry question text; the respondent
        # fields (Respondent ID, IP Address, Custom Data 1...) do not
        labels = {n: n for j, n in enumerate(names) if cell(1, j)}
    elif source == "google_forms":
        names = _dedupe(r0)
        labels = {n: n for n in names[1:] if n and _norm(n) not in ("emailaddress", "score")}
    else:
        names = list(r0)
    return names, labels, ids


def _ragged(file: str, rows: list[list[str]], lines: list[int], n_header: int, width: int
            ) -> list[list[str]]:
    out = []
    for i, row in enumerate(rows):
        if len(row) > width and not any(c.strip() for c in row[width:]):
            row = row[:width]
        if len(row) != width:
            where = (f"header row {i + 1}" if i < n_header
                     else f"row {i - n_header}")
            raise DataError(
                f"{file}: line {lines[i]} has {len(row)} fields but the header has {width} "
                f"({where}); check for an unquoted delimiter or a missing quote in an answer"
            )
        out.append(row)
    return out


# -- numbers ------------------------------------------------------------------------------------


def _numeric_column(values: pd.Series) -> tuple[pd.Series | None, dict[Any, str]]:
    """The column as numbers and the labels seen, or (None, {}) if it is text."""
    text = values.dropna().astype(str).str.strip()
    if text.empty:
        return None, {}
    plain = text.str.fullmatch(_NUMBER.pattern)
    labels: dict[Any, str] = {}
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    if not plain.all():
        parts = text[~plain].str.extract(_LABELLED.pattern)
        if parts[0].isna().any():
            return None, {}
        nums = parts[0].astype("float64")
        out[nums.index] = nums.to_numpy()
        for x, label in zip(nums.tolist(), parts[1].str.strip().tolist()):
            labels.setdefault(int(x) if float(x).is_integer() else x, label)
    if plain.any():
        out[plain[plain].index] = text[plain].astype("float64").to_numpy()
    return _tidy_number(out), dict(sorted(labels.items()))


def _tidy_number(s: pd.Series) -> pd.Series:
    present = s.dropna()
    if len(present) and (present == np.round(present)).all() and present.abs().max() < 2**53:
        return s.round().astype("Int64")
    return s


def _first_rows(mask: pd.Series, k: int = 5) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask.to_numpy())[:k]]


def _map_values(file: str, col: str, values: pd.Series, mapping: Mapping[Any, Any],
                line_offset: int | None) -> pd.Series:
    if not isinstance(mapping, Mapping):
        raise TypeError(f"value_map[{col!r}] must be a mapping {{answer text: number}}, got "
                        f"{type(mapping).__name__}")
    table = {_squash(k): v for k, v in mapping.items()}
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    bad = pd.Series(False, index=values.index)
    for idx, v in values.dropna().items():
        s = str(v).strip()
        if _squash(s) in table:
            out[idx] = float(table[_squash(s)])
        elif _NUMBER.match(s):
            out[idx] = float(s)
        else:
            bad[idx] = True
    if bad.any():
        rows = _first_rows(bad)
        lines = f" (file lines {[r + line_offset for r in rows]})" if line_offset else ""
        vals = sorted({str(values[i]) for i in values.index[bad]})[:5]
        raise DataError(
            f"{file}: column {col!r}: {int(bad.sum())} value(s) not in value_map at rows "
            f"{rows}{lines}: {vals}; the map has {list(mapping)[:10]}"
        )
    return _tidy_number(out)


def _convert_numbers(data: pd.DataFrame, value_labels: dict[str, dict[Any, str]]
                     ) -> pd.DataFrame:
    """Columns of plain or labelled numbers as numbers; their labels into ``value_labels``."""
    out = data.copy()
    for col in data.columns:
        num, labels = _numeric_column(data[col])
        if num is not None:
            out[col] = num
            if labels:
                value_labels[col] = labels
    return out


# -- columns ------------------------------------------------------------------------------------


def _match_key(export: Export, key: str) -> list[str]:
    """Columns that ``key`` names: a column name, a platform id or a question text."""
    cols = [str(c) for c in export.data.columns]
    if key in cols:
        return [key]
    by_id = [c for c in cols if export.ids.get(c) == key]
    if by_id:
        return by_id
    k = _squash(key)
    return [c for c in cols if _squash(export.labels.get(c, "")) == k or _squash(c) == k]


def _close(export: Export, key: str) -> list[str]:
    pool = [str(c) for c in export.data.columns] + list(export.labels.values()) + list(
        export.ids.values())
    return difflib.get_close_matches(key, list(dict.fromkeys(pool)), n=3, cutoff=0.6)


def _unmatched(export: Export, keys: list[str], what: str) -> str:
    close = {k: _close(export, k) for k in keys}
    close = {k: v for k, v in close.items() if v}
    return (
        f"{export.file}: argument {what!r} names column(s) {keys} that are not in the file (as "
        "a column name, column id or question text)"
        + (f"; close matches: {close}" if close else "")
        + f"; found {[str(c) for c in export.data.columns][:30]}"
    )


def _resolve(export: Export, key: Any, what: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"{what}: keys must be str (a column, id or question text), got "
                        f"{type(key).__name__}")
    found = _match_key(export, key)
    if not found:
        raise DataError(_unmatched(export, [key], what))
    if len(found) > 1:
        raise DataError(
            f"{export.file}: argument {what!r}: the question text {key!r} belongs to "
            f"{len(found)} columns {found}; map each by its column id instead"
        )
    return found[0]


def apply_columns(export: Export, columns: Mapping[str, str]) -> Export:
    """The export with columns renamed: ``{question text, column id or name: our name}``.

    Keys are matched as a column name first, then as a platform id (``QID1``, ``V6``), then as
    question text (ignoring case and runs of white space). A key that matches nothing is an
    error listing close matches; a question text shared by several columns (a matrix) must be
    mapped by id. Labels, ids and value labels follow their columns.

    Parameters
    ----------
    export : Export
        The export (not modified).
    columns : mapping of str to str
        ``{column name, platform id or question text: our name}``.

    Returns
    -------
    Export
        A new export with the columns renamed.

    Examples
    --------
    >>> import pandas as pd
    >>> e = Export(pd.DataFrame({"Q1": [9]}), {"Q1": "How likely are you to recommend us?"},
    ...            "qualtrics", file="q.csv")
    >>> apply_columns(e, {"How likely are you to recommend us?": "nps"}).labels
    {'nps': 'How likely are you to recommend us?'}
    >>> apply_columns(e, {"How likely are you to recomend us": "nps"})
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: q.csv: argument 'columns' names column(s) ['How likely are
        you to recomend us'] that are not in the file (as a column name, column id or question
        text); close matches: {'How likely are you to recomend us': ['How likely are you to
        recommend us?']}; found ['Q1']
    """
    if not isinstance(export, Export):
        raise TypeError(f"export must be an Export, got {type(export).__name__}")
    if not isinstance(columns, Mapping):
        raise TypeError(f"columns must be a mapping, got {type(columns).__name__}")
    missing = [k for k in columns if isinstance(k, str) and not _match_key(export, k)]
    if missing:
        raise DataError(_unmatched(export, missing, "columns"))
    rename: dict[str, str] = {}
    for key, new in columns.items():
        if not isinstance(new, str) or not new:
            raise TypeError(f"columns[{key!r}] must be a non-empty str, got {new!r}")
        col = _resolve(export, key, "columns")
        if col in rename and rename[col] != new:
            raise DataError(
                f"{export.file}: argument 'columns': column {col!r} is mapped to both "
                f"{rename[col]!r} and {new!r}"
            )
        rename[col] = new
    final = [rename.get(str(c), str(c)) for c in export.data.columns]
    dup = sorted({n for n in final if final.count(n) > 1})
    if dup:
        raise DataError(
            f"{export.file}: argument 'columns': the mapping gives several columns the name(s) "
            f"{dup}"
        )
    data = export.data.rename(columns=rename)
    labels = {rename.get(k, k): v for k, v in export.labels.items()}
    data.attrs = {**export.data.attrs, "labels": labels}
    return replace(
        export,
        data=data,
        labels=labels,
        value_labels={rename.get(k, k): v for k, v in export.value_labels.items()},
        ids={rename.get(k, k): v for k, v in export.ids.items()},
    )


# -- reading ------------------------------------------------------------------------------------


def _read_spss(p: Path, source: str) -> Export:
    import pyreadstat

    try:
        raw, meta = pyreadstat.read_sav(str(p), apply_value_formats=False)
    except Exception as exc:  # pyreadstat raises its own error types
        raise DataError(f"{p.name}: not a readable SPSS file ({exc})") from None
    data = raw.copy()
    for col in data.columns:
        s = data[col]
        if pd.api.types.is_float_dtype(s):
            data[col] = _tidy_number(s)
        elif pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            data[col] = s.where(s.astype(str).str.strip() != "", None)
    labels = {str(k): str(v) for k, v in meta.column_names_to_labels.items() if v and v != k}
    value_labels = {
        str(col): {(int(k) if float(k).is_integer() else k): str(v) for k, v in vl.items()}
        for col, vl in meta.variable_value_labels.items()
    }
    src = _spss_source(list(data.columns)) if source == "auto" else source
    data.attrs["labels"] = labels
    return Export(data, labels, src, value_labels, 0, p.name, {}, None)


def read_export(
    path: str | Path,
    *,
    source: str = "auto",
    encoding: str | None = None,
    sheet_name: str | int = 0,
    columns: Mapping[str, str] | None = None,
    value_map: Mapping[str, Mapping[Any, Any]] | None = None,
) -> Export:
    """Read a survey platform's export as one table with its questions and answer labels.

    Parameters
    ----------
    path : str or Path
        A CSV/TSV/TXT, Excel, SPSS ``.sav`` or Parquet file; never modified.
    source : str
        ``"auto"`` (recognise the platform) or one of :data:`SOURCES`. An explicit platform
        whose header the file does not have is an error (``"qualtrics"`` needs Qualtrics'
        fields or ``ImportId`` row, ``"surveymonkey"`` a sub-answer row).
    encoding : str, optional
        The text encoding; by default the byte-order mark decides, else UTF-8.
    sheet_name : str or int
        The Excel sheet.
    columns : mapping, optional
        ``{question text, column id or name: our name}``, applied by :func:`apply_columns`.
    value_map : mapping, optional
        ``{column, column id or question text: {answer text: number}}`` for answers exported
        as text (matched ignoring case and runs of white space).

    Returns
    -------
    Export
        ``data`` (numbers converted, see the module docstring), ``labels``, ``source``,
        ``value_labels``, ``header_rows_dropped``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.csv").write_text(
    ...     'Timestamp,How likely are you to recommend us?,How satisfied are you?\\n'
    ...     '2024/03/04 9:12:33 AM GMT,10 - Extremely likely,Very satisfied\\n'
    ...     '2024/03/04 9:30:01 AM GMT,7,Satisfied\\n')
    >>> e = read_export(d / "g.csv", value_map={"How satisfied are you?": {
    ...     "Very satisfied": 5, "Satisfied": 4}})
    >>> e.source, e.data.iloc[:, 1].tolist(), e.data.iloc[:, 2].tolist()
    ('google_forms', [10, 7], [5, 4])
    >>> e.value_labels["How likely are you to recommend us?"]
    {10: 'Extremely likely'}
    """
    p = Path(path)
    _check_source(source)
    if not p.is_file():
        raise FileNotFoundError(f"argument 'path': no such file {str(p)!r}")
    if p.stat().st_size == 0:
        raise DataError(f"{p.name}: the file is empty (0 bytes)")
    suffix = p.suffix.lower()
    if suffix in _SPSS_SUFFIXES:
        export = _read_spss(p, source)
    elif suffix == ".parquet":
        data = pd.read_parquet(p)
        export = Export(data, {}, "plain" if source == "auto" else source, {}, 0, p.name)
    else:
        export = _read_rows_export(p, source, encoding, sheet_name)
    if value_map:
        if not isinstance(value_map, Mapping):
            raise TypeError(f"value_map must be a mapping, got {type(value_map).__name__}")
        maps = {_resolve(export, k, "value_map"): v for k, v in value_map.items()}
        vlabels = dict(export.value_labels)
        data = export.data.copy()
        for col, mapping in maps.items():
            data[col] = _map_values(p.name, col, export.data[col].astype("object").where(
                export.data[col].notna(), None), mapping, export.line_offset)
            vlabels[col] = {(int(v) if float(v).is_integer() else v): str(k)
                            for k, v in mapping.items()}
        data.attrs = dict(export.data.attrs)
        export = replace(export, data=data, value_labels=vlabels)
    if columns:
        export = apply_columns(export, columns)
    return export


def _read_rows_export(p: Path, source: str, encoding: str | None, sheet_name: str | int
                      ) -> Export:
    if p.suffix.lower() not in (*_TEXT_SUFFIXES, *_EXCEL_SUFFIXES):
        raise DataError(
            f"{p.name}: unsupported file type {p.suffix!r}; use .csv, .tsv, .txt, .xlsx, .sav "
            "or .parquet"
        )
    rows, lines = _rows_of(p, encoding, sheet_name)
    if not rows:
        raise DataError(f"{p.name}: the file is empty (no header row)")
    detected, n_header, legacy = _detect_rows(rows[:5])
    if source == "auto":
        source = detected
        if source == "plain":
            texty = _second_header(rows)
            if texty:
                excel = p.suffix.lower() in _EXCEL_SUFFIXES
                where = f"{'spreadsheet row' if excel else 'line'} {lines[1]}"
                raise DataError(
                    f"{p.name}: unrecognised header: {where} (row 0) holds text in column(s) "
                    f"{texty} where every later row holds numbers, so it looks like a second "
                    "header row, but the file is not a Qualtrics, SurveyMonkey or Google Forms "
                    "export; remove the row (read_survey: header=[0, 1] for a two-row header "
                    "whose lower row names the columns, skiprows=[1] for a row of "
                    f"descriptions), or pass source= one of {list(SOURCES[:-1])} if it is one"
                )
    elif source == "qualtrics":
        if detected != "qualtrics":
            raise DataError(
                f"{p.name}: source='qualtrics', but the header is not a Qualtrics export's: "
                f"line {lines[0]} has none of Qualtrics' fields (ResponseId, StartDate, "
                "Progress, ...) and the third row no {\"ImportId\": ...} cells; found columns "
                f"{[c.strip() for c in rows[0]][:12]}"
            )
    elif source == "surveymonkey":
        if not _surveymonkey_header(rows):
            second = rows[1][:6] if len(rows) > 1 else []
            raise DataError(
                f"{p.name}: source='surveymonkey', but the second header row (line "
                f"{lines[1] if len(lines) > 1 else 2}) is not a row of sub-answers "
                f"('Response', 'Open-Ended Response' or option names): found {second}"
            )
        n_header, legacy = 2, False
    else:  # google_forms or plain given explicitly: one header row
        n_header, legacy = 1, False
    if len(rows) <= n_header:
        raise DataError(f"{p.name}: the file has {len(rows)} header row(s) but no data rows")
    width = len(rows[0])
    rows = _ragged(p.name, rows, lines, n_header, width)
    names, labels, ids = _header(rows, source, n_header, legacy)
    data_rows = rows[n_header:]
    data_lines = lines[n_header:]
    empty = [j for j, n in enumerate(names) if not n]
    drop = [j for j in empty if all(not r[j].strip() for r in data_rows)]
    if len(empty) > len(drop):
        j = next(j for j in empty if j not in drop)
        raise DataError(
            f"{p.name}: column {j + 1} has no name in the header (line {lines[0]}) but holds "
            "answers; give it a name in the file's header"
        )
    keep = [j for j in range(width) if j not in drop]
    names = [names[j] for j in keep]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"{p.name}: column name(s) {dup} appear more than once in the header "
                        f"(line {lines[0]}); each column needs its own name")
    body = data_rows if len(keep) == width else [[r[j] for j in keep] for r in data_rows]
    frame = pd.DataFrame(body, columns=names, dtype="object")
    for col in frame.columns:
        s = frame[col].str.strip()
        frame[col] = s.where(s != "", None)
    first = data_lines[0]
    offset = first if all(ln == first + i for i, ln in enumerate(data_lines)) else None
    value_labels: dict[str, dict[Any, str]] = {}
    data = _convert_numbers(frame, value_labels)
    data.attrs["labels"] = labels
    return Export(data, labels, source, value_labels, n_header - 1, p.name, ids, offset,
                  tuple(data_lines))


# -- unfinished and preview responses ------------------------------------------------------------

#: the rule :func:`incomplete_rows` applies, by platform
INCOMPLETE_RULES: dict[str, str] = {
    "qualtrics": "Qualtrics: Finished is False/0 or Progress < 100 (unfinished); Status is "
                 "'Survey Preview'/1 or DistributionChannel is 'preview' (survey preview)",
    "surveymonkey": "none applied: a SurveyMonkey export has no completion or preview field "
                    "(choose 'complete responses' when exporting)",
    "google_forms": "none applied: Google Forms exports only submitted responses",
    "plain": "none applied: a plain table has no platform completion fields",
}


def _field(data: pd.DataFrame, name: str) -> pd.Series | None:
    """The column whose normalised name is ``name`` (``Finished``, ``finished``), or None."""
    for col in data.columns:
        if _norm(col) == name:
            return data[col]
    return None


def incomplete_rows(data: pd.DataFrame, source: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(unfinished, preview) masks over the rows of an export, and the rule applied.

    Qualtrics: ``Finished`` False/0 or ``Progress`` < 100 is unfinished; ``Status``
    ``"Survey Preview"`` (or its code 1) or ``DistributionChannel`` ``"preview"`` is a survey
    preview. A missing value marks nothing. Other platforms' exports carry no such fields
    (:data:`INCOMPLETE_RULES`). :func:`cxresearch.io.readers.read_survey` and ``load_study``
    exclude these rows unless ``keep_incomplete=True``.

    Parameters
    ----------
    data : DataFrame
        An export's table (:attr:`Export.data`), with the platform's field names.
    source : str
        The platform (:attr:`Export.source`).

    Returns
    -------
    unfinished : numpy.ndarray of bool
        Responses not finished.
    preview : numpy.ndarray of bool
        Survey previews (may overlap ``unfinished``).
    rule : str
        The rule applied, in words.

    Examples
    --------
    >>> d = pd.DataFrame({"Finished": [1, 0, 1, "False"], "Progress": [100, 40, 100, 90],
    ...                   "Status": ["IP Address", "IP Address", "Survey Preview", None]})
    >>> unfinished, preview, _ = incomplete_rows(d, "qualtrics")
    >>> unfinished.tolist(), preview.tolist()
    ([False, True, False, True], [False, False, True, False])
    """
    n = len(data)
    unfinished = np.zeros(n, dtype=bool)
    preview = np.zeros(n, dtype=bool)
    rule = INCOMPLETE_RULES.get(source, INCOMPLETE_RULES["plain"])
    if source != "qualtrics":
        return unfinished, preview, rule

    def text(s: pd.Series) -> pd.Series:
        return s.astype("string").str.strip().str.lower()

    def number(s: pd.Series) -> pd.Series:
        if pd.api.types.is_bool_dtype(s):
            return s.astype("float64")
        return pd.to_numeric(s.astype("string").str.strip(), errors="coerce").astype("float64")

    fin = _field(data, "finished")
    if fin is not None:
        t = text(fin)
        unfinished |= (t.isin(["false", "0", "0.0", "no"])).fillna(False).to_numpy(bool)
    prog = _field(data, "progress")
    if prog is not None:
        unfinished |= (number(prog) < 100).fillna(False).to_numpy(bool)
    status = _field(data, "status")
    if status is not None:
        t = text(status)
        preview |= (t.isin(["survey preview", "1", "1.0"])).fillna(False).to_numpy(bool)
    channel = _field(data, "distributionchannel")
    if channel is not None:
        preview |= (text(channel) == "preview").fillna(False).to_numpy(bool)
    return unfinished, preview, rule
