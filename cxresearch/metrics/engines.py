"""Counting answers where the data lives: one SQL statement for DuckDB and for Spark.

Every metric of :mod:`cxresearch.metrics.scores` depends only on **counts per key and scale point**:
the number of answers ``n``, the sum of weights ``sum_w`` and the sum of squared weights
``sum_w2`` for each combination of the reporting segments, the cluster, the period and the
answer. This module writes that counting once:

- :func:`count_sql` is the one statement, ``GROUP BY`` the keys and the scale point with
  ``COUNT(*)``, ``SUM(w)``, ``SUM(w * w)``, and ``COUNT(w)`` and ``MIN(w)``, which show missing,
  infinite or negative weights without a test on every row (and, for a text column, a tally of
  values that are not numbers). DuckDB and Spark SQL run the same text; the two dialects differ
  only in the identifier quote (``"`` or a backtick) and in the name of the regular-expression
  match used on text columns (``regexp_full_match`` or ``regexp_like``).
- The same counting in pandas, for a file read into memory (the reference of the tests).
- One validation of what comes back, so that a value outside the scale, a fraction on an integer
  scale, text, an infinite value or a bad weight gives the **same message on every engine**: it
  names the column, the number of offending answers and up to three of the offending values
  (sorted). A file has no row labels that every engine can see, so rows are named only for a
  DataFrame (:func:`cxresearch.metrics.scores.aggregate_responses` then reports them on every
  engine).

:func:`cxresearch.metrics.scores.aggregate_responses` is the entry point (``engine="duckdb"``, the
default, ``"spark"`` or ``"pandas"``, or a DuckDB connection or a Spark session, including a
Spark Connect or Databricks session). :func:`local_spark` starts a small local Spark session
(tests, benchmarks, notebooks) and :func:`spark_unavailable_reason` says why Spark cannot run
here (no pyspark, no Java), for a clear skip.

Why one SQL statement and not ibis: the statement is about ten lines that both engines parse
as they are, and the tests run it on both; ibis would add a dependency tree (sqlglot, parsy,
atpublic, rich, toolz) and, in ibis 12, hold pyspark below 4.1. The statement is also what a
user can paste into another SQL engine (Trino, BigQuery, Snowflake) with its own quotes.
"""

from __future__ import annotations

import contextlib
import glob as _glob
import math
import re
import shutil
import subprocess
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError

__all__ = [
    "ENGINES",
    "NUMBER_PATTERN",
    "count_answers",
    "count_sql",
    "local_spark",
    "spark_unavailable_reason",
]

#: the engine names :func:`cxresearch.metrics.scores.aggregate_responses` accepts as text
ENGINES = ("duckdb", "spark", "pandas")

#: A number written as text (after trimming spaces): decimal or exponent notation, inf,
#: infinity or nan (any case). Written without backslashes or flags so that DuckDB (RE2),
#: Spark (Java) and Python read it alike. Text that does not match is "non-numeric" on every
#: engine (e.g. ``"ten"``, ``""``, ``"0x10"``, ``"1_000"``, ``"1d"``), although each engine's
#: own cast would accept some of those.
NUMBER_PATTERN = (
    "^[+-]?(([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?"
    "|[iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])$"
)

_DIALECTS = {
    # identifier quote, full-match regex function
    "duckdb": ('"', "regexp_full_match({x}, '{p}')"),
    "spark": ("`", "regexp_like({x}, '{p}')"),
}
_PARQUET = (".parquet", ".parq", ".pq")
_CSV = (".csv", ".csv.gz", ".tsv", ".txt")
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_SPARK_PANDAS_WARNING = "PySpark does not yet fully support pandas"
_MAX_EXAMPLES = 3


# --------------------------------------------------------------------------------------------
# The one statement
# --------------------------------------------------------------------------------------------


def _quoter(dialect: str) -> Callable[[str], str]:
    if dialect not in _DIALECTS:
        raise ValueError(f"argument 'dialect' must be one of {tuple(_DIALECTS)}, got {dialect!r}")
    q = _DIALECTS[dialect][0]
    return lambda name: q + str(name).replace(q, q + q) + q


def _as_number(expr: str, text: bool, dialect: str) -> str:
    """``expr`` as a DOUBLE, NULL for missing, NaN and (for text) anything not a number."""
    if text:
        match = _DIALECTS[dialect][1].format(x=f"trim({expr})", p=NUMBER_PATTERN)
        value = f"TRY_CAST(trim({expr}) AS DOUBLE)"
        return (f"CASE WHEN {match} THEN CASE WHEN isnan({value}) THEN NULL ELSE {value} END "
                "END")
    value = f"CAST({expr} AS DOUBLE)"
    return f"CASE WHEN isnan({value}) THEN NULL ELSE {value} END"


def _not_number(expr: str, dialect: str) -> str:
    """True for a present text value that is not a number (the "non-numeric" answers)."""
    match = _DIALECTS[dialect][1].format(x=f"trim({expr})", p=NUMBER_PATTERN)
    return f"{expr} IS NOT NULL AND NOT {match}"


def _parsed(expr: str, text: bool, dialect: str) -> str:
    """A number column as it is (grouped on its own type); text parsed to a DOUBLE (NULL when
    it is not a number)."""
    if not text:
        return expr
    match = _DIALECTS[dialect][1].format(x=f"trim({expr})", p=NUMBER_PATTERN)
    return f"CASE WHEN {match} THEN TRY_CAST(trim({expr}) AS DOUBLE) END"


def count_sql(
    table: str,
    by: str | Sequence[str] | None,
    score: str,
    weights: str | None = None,
    *,
    dialect: Literal["duckdb", "spark"] = "duckdb",
    text_score: bool = False,
    text_weights: bool = False,
) -> str:
    """The counting behind every metric, as one SQL statement.

    Groups the answers in ``table`` by the ``by`` columns (segments, cluster, period, in any
    number) and the answer on ``score``, and returns per group ``cx_score`` (the answer; NULL,
    or NaN, for a missing one), ``cx_n`` (answers) and, with ``weights``, ``cx_sum_w`` and
    ``cx_sum_w2`` (sum of weights and of squared weights), ``cx_n_w`` (weights present) and
    ``cx_min_w`` (the smallest weight): a missing, NaN, infinite or negative weight shows as
    ``cx_n_w < cx_n``, a sum that is not finite or a negative minimum, without a test on every
    row. A text column (``text_score=True``, ``text_weights=True``) is parsed
    (:data:`NUMBER_PATTERN`; anything else is NULL) and ``cx_text`` counts its present values
    that are not numbers. The same text runs on DuckDB and on Spark SQL; only the identifier
    quote and the regular-expression function change with ``dialect``.

    Parameters
    ----------
    table : str
        The table or view to read (inserted as it is).
    by : str, list of str or None
        Key columns.
    score : str
        The answer column.
    weights : str, optional
        The weight column.
    dialect : {"duckdb", "spark"}
    text_score, text_weights : bool
        Whether the score (weight) column holds text that has to be parsed.

    Returns
    -------
    str

    Examples
    --------
    >>> print(count_sql("answers", ["store", "month"], "nps", "w"))
    SELECT "store", "month", cx_score, COUNT(*) AS cx_n, SUM(cx_w) AS cx_sum_w, SUM(cx_w * cx_w) AS cx_sum_w2, COUNT(cx_w) AS cx_n_w, MIN(cx_w) AS cx_min_w
    FROM (SELECT "store", "month", "nps" AS cx_score, "w" AS cx_w
          FROM answers) AS cx_t
    GROUP BY "store", "month", cx_score
    >>> "`month`" in count_sql("answers", ["store", "month"], "nps", "w", dialect="spark")
    True
    """  # noqa: E501
    q = _quoter(dialect)
    keys = [q(c) for c in ([by] if isinstance(by, str) else list(by or []))]
    inner = [*keys, f"{_parsed(q(score), text_score, dialect)} AS cx_score"]
    outer = [*keys, "cx_score", "COUNT(*) AS cx_n"]
    if weights is not None:
        inner.append(f"{_parsed(q(weights), text_weights, dialect)} AS cx_w")
        outer += ["SUM(cx_w) AS cx_sum_w", "SUM(cx_w * cx_w) AS cx_sum_w2",
                  "COUNT(cx_w) AS cx_n_w", "MIN(cx_w) AS cx_min_w"]
    if text_score:
        inner.append(f"CASE WHEN {_not_number(q(score), dialect)} THEN 1 ELSE 0 END AS cx_text")
        outer.append("SUM(cx_text) AS cx_text")
    return (f"SELECT {', '.join(outer)}\n"
            f"FROM (SELECT {', '.join(inner)}\n      FROM {table}) AS cx_t\n"
            f"GROUP BY {', '.join([*keys, 'cx_score'])}")


def _examples_sql(table: str, score: str, dialect: str) -> str:
    """The first few distinct non-numeric values of a text column (for the error message)."""
    q = _quoter(dialect)
    return (f"SELECT DISTINCT {q(score)} AS cx_x FROM {table} "
            f"WHERE {_not_number(q(score), dialect)} ORDER BY cx_x LIMIT {_MAX_EXAMPLES}")


def _bad_weights_sql(table: str, score: str, weights: str, dialect: str, text_score: bool,
                     text_weights: bool) -> str:
    """The number of answers with a score and a missing, NaN, infinite or negative weight
    (run only when the counts show that there are some)."""
    q = _quoter(dialect)
    s, w = _as_number(q(score), text_score, dialect), _as_number(q(weights), text_weights,
                                                                 dialect)
    return (f"SELECT COUNT(*) FROM {table} WHERE ({s}) IS NOT NULL AND (({w}) IS NULL OR "
            f"({w}) < 0 OR ({w}) = CAST('Infinity' AS DOUBLE))")


# --------------------------------------------------------------------------------------------
# Column types: the same decision on every engine
# --------------------------------------------------------------------------------------------

_DUCKDB_NUMBERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                   "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "NULL"}
_SPARK_NUMBERS = {"tinyint", "smallint", "int", "bigint", "float", "double", "void", "byte",
                  "short", "integer", "long"}


def _kind_duckdb(type_name: str) -> str:
    t = type_name.upper()
    if t in _DUCKDB_NUMBERS or t.startswith("DECIMAL"):
        return "number"
    if t == "BOOLEAN":
        return "bool"
    if t == "VARCHAR" or t.startswith("VARCHAR("):
        return "text"
    return type_name


def _kind_spark(type_name: str) -> str:
    t = type_name.lower()
    if t in _SPARK_NUMBERS or t.startswith("decimal"):
        return "number"
    if t == "boolean":
        return "bool"
    if t == "string" or t.startswith(("varchar", "char")):
        return "text"
    return type_name


def _kind_pandas(s: pd.Series) -> str:
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_string_dtype(dtype) or dtype is np.dtype(object):
        return "text"
    return str(dtype)


def _check_kinds(kinds: dict[str, str], score: str, weights: str | None) -> None:
    k = kinds[score]
    if k == "bool":
        raise DataError(f"column '{score}': scores are True/False, expected numbers")
    if k not in ("number", "text"):
        raise DataError(f"column '{score}': type {k} is not a number")
    if weights is not None and kinds[weights] not in ("number", "text"):
        raise DataError(f"argument '{weights}': weights must be numbers, got type "
                        f"{kinds[weights]}")


def _require(columns: Sequence[str], needed: Sequence[str]) -> None:
    for c in needed:
        if c not in columns:
            raise DataError(f"column {c!r} not found; columns are {list(columns)}")


# --------------------------------------------------------------------------------------------
# One validation and one tidy frame, whatever engine counted
# --------------------------------------------------------------------------------------------


def _fmt(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"


def _scores(raw: pd.DataFrame) -> np.ndarray:
    """The grouped answers as floats (NaN for missing), whatever type the engine returned."""
    col = raw["cx_score"]
    if col.dtype == object:  # e.g. Decimal values
        col = pd.to_numeric(col)
    return col.to_numpy(dtype=float, na_value=np.nan)


def _validate(raw: pd.DataFrame, score: str, weights: str | None,
              scale: tuple[float, float] | None, integer: bool,
              text_examples: Callable[[], list[Any]],
              bad_weights: Callable[[], int]) -> None:
    """Raise :class:`DataError` for unusable answers, in the order of the in-memory checks
    (text, infinite, weights, outside the scale, fractions on an integer scale)."""
    n = raw["cx_n"].to_numpy(np.int64)
    v = _scores(raw)
    if "cx_text" in raw:
        k = int(raw["cx_text"].sum())
        if k:
            raise DataError(f"column '{score}': {k} non-numeric value(s) "
                            f"(e.g. {text_examples()!r})")
    present = ~np.isnan(v)

    def fail(mask: np.ndarray, what: str) -> None:
        k = int(n[mask].sum())
        if k:
            ex = np.unique(v[mask])[:_MAX_EXAMPLES].tolist()
            raise DataError(f"column '{score}': {k} {what} (e.g. {_fmt(ex)})")

    fail(present & np.isinf(v), "infinite value(s)")
    if weights is not None:
        n_w = raw["cx_n_w"].to_numpy(np.int64)
        min_w = raw["cx_min_w"].to_numpy(dtype=float, na_value=np.nan)
        sum_w = raw["cx_sum_w"].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            suspect = present & ((n_w < n) | (min_w < 0) | ~np.isfinite(sum_w))
        if suspect.any():
            k = bad_weights()
            if k:
                raise DataError(f"argument '{weights}': {k} missing, infinite or negative "
                                "weight(s)")
    finite = present & np.isfinite(v)
    if scale is not None:
        lo, hi = scale
        fail(finite & ((v < lo) | (v > hi)), f"value(s) outside {lo:g}..{hi:g}")
    if integer:
        fail(finite & (v != np.round(v)), "non-integer value(s) on an integer scale")


def _finish(raw: pd.DataFrame, keys: list[str], weighted: bool) -> pd.DataFrame:
    """The frame :func:`cxresearch.metrics.scores.aggregate_responses` returns."""
    out = raw[keys].copy() if keys else pd.DataFrame(index=raw.index)
    for c in keys:  # NULL keys as NaN (as pandas gives them), ordered last
        if out[c].dtype == object and out[c].isna().any():
            out[c] = out[c].where(out[c].notna(), np.nan)
    out["score"] = _scores(raw)
    out["n"] = raw["cx_n"].to_numpy(np.int64)
    if weighted:
        out["sum_w"] = raw["cx_sum_w"].to_numpy(dtype=float, na_value=np.nan)
        out["sum_w2"] = raw["cx_sum_w2"].to_numpy(dtype=float, na_value=np.nan)
    else:  # exact integers, so every engine agrees bit for bit
        out["sum_w"] = out["n"].astype("float64")
        out["sum_w2"] = out["n"].astype("float64")
    cols = [*keys, "score"]
    if out.duplicated(cols).any():  # NULL and NaN answers (or two decimals of one double)
        out = out.groupby(cols, dropna=False, sort=False, observed=True, as_index=False).sum()
    return out.sort_values([*keys, "score"], na_position="last", kind="stable",
                           ignore_index=True)


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------


def _source_kind(source: Any) -> tuple[str, str]:
    """("parquet" | "csv" | "table", text) for a path or a table name."""
    path = str(source)
    lower = path.lower()
    if lower.endswith(_PARQUET):
        return "parquet", path
    if lower.endswith(_CSV):
        return "csv", path
    if isinstance(source, Path) or "/" in path or "\\" in path:
        local = Path(path)
        if local.is_file() or (local.suffix and "://" not in path and not local.is_dir()):
            raise ValueError(f"argument 'source': {path!r} is not a .parquet or .csv path")
        return "parquet", path  # a directory (or a URL) of Parquet files, e.g. a data lake table
    if _TABLE_NAME.fullmatch(path):
        return "table", path
    raise ValueError(f"argument 'source': {path!r} is not a .parquet or .csv path, a directory "
                     "of Parquet files or a table name")


def _is_instance_of(obj: Any, module_prefix: str, names: set[str]) -> bool:
    """Duck-typed ``isinstance`` that does not import the library (pyspark, duckdb)."""
    return any(k.__module__.startswith(module_prefix) and k.__name__ in names
               for k in type(obj).__mro__)


def _is_spark_session(obj: Any) -> bool:
    return _is_instance_of(obj, "pyspark.sql", {"SparkSession"})


def _is_spark_frame(obj: Any) -> bool:
    return _is_instance_of(obj, "pyspark.sql", {"DataFrame"})  # not pandas-on-Spark


def _parquet_files(path: str) -> str | list[str]:
    """A local directory of Parquet files or a glob, for pandas (pyarrow reads directories)."""
    if any(ch in path for ch in "*?[") and "://" not in path:
        files = sorted(_glob.glob(path))
        if not files:
            raise FileNotFoundError(f"argument 'source': no file matches {path!r}")
        return files
    return path


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------


def _resolve_engine(engine: Any, source: Any) -> tuple[str, Any]:
    """("duckdb" | "spark" | "pandas", connection or session or None)."""
    if engine is None:
        if _is_spark_frame(source):
            return "spark", source.sparkSession
        return "duckdb", None
    if isinstance(engine, str):
        name = engine.lower()
        if name not in ENGINES:
            raise ValueError(f"argument 'engine' must be one of {ENGINES}, a DuckDB connection "
                             f"or a Spark session, got {engine!r}")
        if name == "spark":
            return "spark", source.sparkSession if _is_spark_frame(source) else _spark()
        return name, None
    import duckdb

    if isinstance(engine, duckdb.DuckDBPyConnection):
        return "duckdb", engine
    if _is_spark_session(engine):
        return "spark", engine
    raise TypeError("argument 'engine' must be 'duckdb', 'spark', 'pandas', a DuckDB connection "
                    f"or a Spark session, got {type(engine).__name__}")


def count_answers(
    source: Any, keys: list[str], score: str, weights: str | None, *, engine: Any,
    scale: tuple[float, float] | None, integer: bool,
) -> pd.DataFrame:
    """Counts of ``source`` by ``keys`` and score on the chosen engine, validated and tidy.

    The engine step of :func:`cxresearch.metrics.scores.aggregate_responses` (which checks the
    arguments and, for a frame, names the offending rows first): one SQL statement
    (:func:`count_sql`) on DuckDB or Spark, or the same counting in pandas.

    Parameters
    ----------
    source : DataFrame, path, table name, DuckDB relation or Spark DataFrame
        What to count.
    keys : list of str
        The segment (and cluster) columns.
    score : str
        The column of answers.
    weights : str or None
        The column of survey weights.
    engine : str, DuckDB connection, Spark session or None
        ``"duckdb"``, ``"spark"``, ``"pandas"``, a connection or session, or None (the
        default for ``source``).
    scale : (float, float) or None
        Allowed range of the answers.
    integer : bool
        Reject fractions.

    Returns
    -------
    pandas.DataFrame
        The ``keys``, ``score``, ``n``, ``sum_w`` and ``sum_w2``, sorted by the keys and score.

    Examples
    --------
    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "nps": [10, 9, 3]})
    >>> count_answers(df, ["g"], "nps", None, engine="pandas", scale=(0, 10), integer=True)
       g  score  n  sum_w  sum_w2
    0  a    9.0  1    1.0     1.0
    1  a   10.0  1    1.0     1.0
    2  b    3.0  1    1.0     1.0
    """
    name, handle = _resolve_engine(engine, source)
    needed = list(dict.fromkeys([*keys, score, *([weights] if weights else [])]))
    run = {"duckdb": _count_duckdb, "spark": _count_spark, "pandas": _count_pandas}[name]
    raw = run(source, handle, keys, score, weights, needed, scale, integer)
    return _finish(raw, keys, weights is not None)


def _count_duckdb(source: Any, con: Any, keys: list[str], score: str, weights: str | None,
                  needed: list[str], scale: tuple[float, float] | None,
                  integer: bool) -> pd.DataFrame:
    import duckdb

    if _is_spark_frame(source):
        raise ValueError("argument 'source' is a Spark DataFrame; count it with engine='spark' "
                         "(or leave engine unset)")
    own = con is None and not isinstance(source, duckdb.DuckDBPyRelation)
    if own:
        con = duckdb.connect()
    try:
        if isinstance(source, duckdb.DuckDBPyRelation):
            rel = source  # queried lazily on its own connection
        elif isinstance(source, pd.DataFrame):
            rel = con.from_df(source)
        elif isinstance(source, str | Path):
            kind, path = _source_kind(source)
            if kind == "table":
                rel = con.table(path)
            elif kind == "csv":
                rel = con.read_csv(path)
            else:
                rel = con.read_parquet(f"{path.rstrip('/')}/**/*.parquet"
                                       if Path(path).is_dir() else path)
        else:
            raise ValueError("argument 'source' must be a DataFrame, a Parquet/CSV path or glob, "
                             "a directory of Parquet files, a table name or a DuckDB relation, "
                             f"got {type(source).__name__}")
        _require(rel.columns, needed)
        kinds = {c: _kind_duckdb(str(t)) for c, t in zip(rel.columns, rel.types)}
        _check_kinds(kinds, score, weights)
        text_s, text_w = kinds[score] == "text", weights is not None and kinds[weights] == "text"
        raw = rel.query("cx_src", count_sql("cx_src", keys, score, weights, dialect="duckdb",
                                            text_score=text_s, text_weights=text_w)).df()
        _validate(raw, score, weights, scale, integer, lambda: [
            r[0] for r in rel.query("cx_src", _examples_sql("cx_src", score, "duckdb")).fetchall()],
            lambda: int(rel.query("cx_src", _bad_weights_sql(
                "cx_src", score, str(weights), "duckdb", text_s, text_w)).fetchall()[0][0]))
        return raw
    finally:
        if own:
            con.close()


def _spark() -> Any:
    """The active Spark session, or a new one from the builder (local, or ``SPARK_REMOTE``),
    started as quietly as :func:`local_spark` (the JVM's console output is discarded)."""
    reason = spark_unavailable_reason(check_java=False)
    if reason:
        raise RuntimeError(f"engine='spark': {reason}")
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        reason = spark_unavailable_reason()
        if reason:
            raise RuntimeError(f"engine='spark': {reason}")
        with warnings.catch_warnings(), _jvm_console(None):  # quiet, as local_spark
            warnings.filterwarnings("ignore", message=_SPARK_PANDAS_WARNING,
                                    category=FutureWarning)
            session = SparkSession.builder.appName("cxresearch").getOrCreate()
    return session


def _spark_frame(spark: Any, source: Any, needed: list[str]) -> Any:
    if _is_spark_frame(source):
        return source
    if isinstance(source, pd.DataFrame):
        import pyarrow as pa

        _require(source.columns, needed)
        return spark.createDataFrame(pa.Table.from_pandas(source[needed], preserve_index=False))
    if isinstance(source, str | Path):
        kind, path = _source_kind(source)
        if kind == "table":
            return spark.table(path)
        if kind == "csv":
            return spark.read.csv(path, header=True, inferSchema=True,
                                  sep="\t" if path.lower().endswith(".tsv") else ",")
        return spark.read.parquet(path)
    raise ValueError("argument 'source' must be a Spark DataFrame, a DataFrame, a Parquet/CSV "
                     "path or glob, a directory of Parquet files or a table name, got "
                     f"{type(source).__name__}")


def _count_spark(source: Any, spark: Any, keys: list[str], score: str, weights: str | None,
                 needed: list[str], scale: tuple[float, float] | None,
                 integer: bool) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_SPARK_PANDAS_WARNING, category=FutureWarning)
        frame = _spark_frame(spark, source, needed)
        _require(frame.columns, needed)
        kinds = {f.name: _kind_spark(f.dataType.simpleString()) for f in frame.schema.fields}
        _check_kinds(kinds, score, weights)
        text_s, text_w = kinds[score] == "text", weights is not None and kinds[weights] == "text"
        view = f"cx_src_{uuid.uuid4().hex}"
        frame.createOrReplaceTempView(view)
        try:
            result = spark.sql(count_sql(view, keys, score, weights, dialect="spark",
                                         text_score=text_s, text_weights=text_w))
            raw = _spark_to_pandas(result)
            _validate(raw, score, weights, scale, integer, lambda: [
                r[0] for r in spark.sql(_examples_sql(view, score, "spark")).collect()],
                lambda: int(spark.sql(_bad_weights_sql(view, score, str(weights), "spark",
                                                       text_s, text_w)).collect()[0][0]))
        finally:
            spark.catalog.dropTempView(view)
    return raw


def _spark_to_pandas(result: Any) -> pd.DataFrame:
    """A Spark result as pandas, converted by DuckDB so that column types match its results."""
    import duckdb

    if hasattr(result, "toArrow"):  # pyspark >= 4.0, classic and Spark Connect
        table = result.toArrow()
    else:  # pragma: no cover - older pyspark
        import pyarrow as pa

        table = pa.Table.from_pandas(result.toPandas(), preserve_index=False)
    con = duckdb.connect()
    try:
        return con.from_arrow(table).df()
    finally:
        con.close()


def _read_frame(source: Any, needed: list[str]) -> pd.DataFrame:
    """A file (Parquet or CSV, a glob or a directory of Parquet files) read by pandas."""
    if isinstance(source, pd.DataFrame):
        _require(source.columns, needed)
        return source
    if not isinstance(source, str | Path):
        raise ValueError("argument 'engine': 'pandas' needs a DataFrame or a Parquet/CSV path, "
                         f"got {type(source).__name__}")
    kind, path = _source_kind(source)
    if kind == "table":
        raise ValueError(f"argument 'engine': 'pandas' cannot read the table {path!r}; give a "
                         "path or use engine='duckdb' or 'spark'")
    if kind == "csv":
        files = _parquet_files(path)
        frames = [pd.read_csv(f, sep="\t" if str(f).lower().endswith(".tsv") else ",",
                              keep_default_na=False, na_values=[""])
                  for f in (files if isinstance(files, list) else [files])]
        data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        _require(data.columns, needed)
        return data[needed]
    import pyarrow.parquet as pq

    schema_names = pq.ParquetDataset(_parquet_files(path)).schema.names
    _require(schema_names, needed)
    return pd.read_parquet(_parquet_files(path), columns=needed)


def _parse_pandas(s: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
    """Values as floats (NaN for missing and for text) and the mask of text that is no number."""
    if _kind_pandas(s) == "number":
        return s.to_numpy(dtype=float, na_value=np.nan), None
    t = s.astype("string").str.strip(" ")
    ok = t.str.fullmatch(NUMBER_PATTERN).fillna(False).to_numpy(bool)
    values = pd.to_numeric(t.where(ok), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return values, s.notna().to_numpy() & ~ok


def _count_pandas(source: Any, _: Any, keys: list[str], score: str, weights: str | None,
                  needed: list[str], scale: tuple[float, float] | None,
                  integer: bool) -> pd.DataFrame:
    """:func:`count_sql` in pandas, for a file read into memory."""
    data = _read_frame(source, needed)
    kinds = {c: _kind_pandas(data[c]) for c in needed}
    _check_kinds(kinds, score, weights)
    v, text = _parse_pandas(data[score])
    work = pd.DataFrame({**{c: data[c] for c in keys}, "cx_score": v})
    agg: dict[str, tuple[str, str]] = {"cx_n": ("cx_score", "size")}
    bad_w = np.zeros(len(v), dtype=bool)
    if weights is not None:
        w, _ = _parse_pandas(data[weights])
        work["cx_w"] = w
        work["cx_w2"] = w * w
        bad_w = ~np.isnan(v) & (np.isnan(w) | (w < 0) | (w == math.inf))
        agg.update(cx_sum_w=("cx_w", "sum"), cx_sum_w2=("cx_w2", "sum"),
                   cx_n_w=("cx_w", "count"), cx_min_w=("cx_w", "min"))
    if text is not None:
        work["cx_text"] = text.astype(np.int64)
        agg["cx_text"] = ("cx_text", "sum")
    raw = work.groupby([*keys, "cx_score"], dropna=False, sort=False, observed=True).agg(**agg)
    raw = raw.reset_index()
    _validate(raw, score, weights, scale, integer,
              lambda: sorted(set(data.loc[text, score]))[:_MAX_EXAMPLES]
              if text is not None else [],
              lambda: int(bad_w.sum()))
    return raw


# --------------------------------------------------------------------------------------------
# Spark here: a local session and whether one can run
# --------------------------------------------------------------------------------------------


def spark_unavailable_reason(check_java: bool = True) -> str | None:
    """Why a local Spark session cannot start here, or None when it can.

    Spark needs the ``pyspark`` package (``pip install 'cxresearch[spark]'``) and, for a local
    session, a Java runtime (17 or newer): ``java`` on the ``PATH`` or under ``JAVA_HOME``
    (Debian/Ubuntu: ``apt-get install openjdk-17-jre-headless``). A Spark Connect or Databricks
    session needs no local Java.

    Parameters
    ----------
    check_java : bool, default True
        Also look for a Java runtime (a local session needs one).

    Returns
    -------
    str or None
        The reason, or None when a local session can start.

    Examples
    --------
    >>> spark_unavailable_reason() is None or "Java" in spark_unavailable_reason() \\
    ...     or "pyspark" in spark_unavailable_reason()
    True
    """
    import importlib.util
    import os

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'cxresearch[spark]')"
    if not check_java:
        return None
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        return ("no Java runtime for a local Spark session (java is not on the PATH and "
                "JAVA_HOME is not set); install one, e.g. apt-get install openjdk-17-jre-headless")
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.SubprocessError) as err:
        return f"the Java runtime {java} does not run: {err}"
    if done.returncode != 0:
        return f"the Java runtime {java} does not run: {done.stderr.strip()[:200]}"
    return None


def local_spark(cores: int = 2, memory: str = "1g", jvm_options: str = "",
                config: dict[str, str] | None = None, log: str | Path | None = None) -> Any:
    """A local Spark session (``local[cores]``) set up for counting answers on one machine.

    The Spark UI and the console progress bar are off, shuffles use ``2 x cores`` partitions
    (Spark's 200 are meant for clusters), times are UTC and the log shows errors only. An
    active session is returned as it is (its settings cannot change once it runs). For a
    cluster, build the session as the platform says (``SparkSession.builder.remote(url)``,
    ``DatabricksSession.builder.getOrCreate()``) and pass it as ``engine=``.

    The session is **quiet**: the JVM that pyspark starts inherits this process's standard
    output and error (file descriptors 1 and 2, below Python's ``sys.stdout``), and would
    print its start-up banner and timestamped warnings there, into a terminal or, through
    ipykernel, into a notebook's output (which then differs at every run). While the JVM
    starts, both descriptors point at ``log`` instead, so everything the JVM writes, then and
    later, goes there. By default ``log`` is a temporary file that is removed once the session
    runs (its last lines are quoted in the error when the JVM fails to start).

    Parameters
    ----------
    cores : int
        Worker threads of the local session.
    memory : str
        Driver heap (the local session's only JVM), e.g. ``"1g"``.
    jvm_options : str
        Extra options of that JVM. ``"-XX:TieredStopAtLevel=1"`` (the quick compiler only)
        about halves the start and the first query, which suits tests, and slows long jobs.
    config : dict, optional
        More Spark settings (they win over the ones above).
    log : str or Path, optional
        A file that keeps the JVM's console output (appended to), e.g. to read Spark's
        warnings; by default it is discarded.

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    >>> spark = local_spark(cores=2)  # doctest: +SKIP
    >>> aggregate_responses("answers/*.parquet", "store", "nps", engine=spark)  # doctest: +SKIP
    """
    import os

    reason = spark_unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    settings = {
        "spark.driver.memory": memory,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": str(2 * int(cores)),
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.extraJavaOptions": jvm_options,
        **(config or {}),
    }
    builder = SparkSession.builder.master(f"local[{int(cores)}]").appName("cxresearch")
    for key, value in settings.items():
        builder = builder.config(key, value)
    with warnings.catch_warnings(), _jvm_console(log):
        warnings.filterwarnings("ignore", message=_SPARK_PANDAS_WARNING, category=FutureWarning)
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextlib.contextmanager
def _jvm_console(log: str | Path | None) -> Iterator[None]:
    """Point file descriptors 1 and 2 at ``log`` (default: a temporary file) while the JVM
    starts, so that the child process inherits them; restore them afterwards.

    On a failure the last lines the JVM wrote are added to the error (as a note); the temporary
    file is removed (the JVM keeps writing to its open descriptor, which costs nothing once
    unlinked, and Spark then logs errors only).
    """
    import os
    import sys
    import tempfile

    for stream in (sys.stdout, sys.stderr):  # what Python buffered goes where it was meant to
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    if log is None:
        fd, path = tempfile.mkstemp(prefix="cxresearch-spark-", suffix=".log")
        os.close(fd)
    else:
        path = str(log)
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    saved: dict[int, int] = {}
    try:
        for number in (1, 2):
            with contextlib.suppress(OSError):  # closed (a daemon): nothing to redirect
                saved[number] = os.dup(number)
        for number in saved:
            os.dup2(target, number)
        try:
            yield
        finally:
            for number, old in saved.items():
                os.dup2(old, number)
                os.close(old)
    except Exception as err:
        tail = _tail(path)
        if tail:
            err.add_note(f"The JVM's last output:\n{tail}")
        raise
    finally:
        os.close(target)
        if log is None:
            with contextlib.suppress(OSError):  # Windows keeps a file open by the JVM
                os.unlink(path)


def _tail(path: str, lines: int = 20) -> str:
    """The last ``lines`` lines of a text file ("" if it cannot be read)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:]).rstrip()
    except OSError:
        return ""
