"""The same counts, and the same metrics, from DuckDB, Spark and pandas (issue 16).

DuckDB and Spark run one SQL statement (:func:`cxresearch.metrics.engines.count_sql`), pandas the
same
counting in memory; each test reads the same Parquet files with all three. Weights on a binary
grid (multiples of 1/8) make every sum exact, so the frames are compared bit for bit; weights
drawn from a continuous distribution agree to the last bits of summation order.

Each comparison is parametrized by engine. The Spark items share one local session (module
scope; 10-20 s to start on 2 cores) and skip, with the reason, only where Spark cannot run: no
pyspark, or no Java runtime (``.ci/run`` installs ``openjdk-17-jre-headless`` when ``java`` is
missing); the DuckDB and pandas items run everywhere.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cxresearch.metrics import engines
from cxresearch.metrics import scores as m
from cxresearch.metrics.engines import count_sql, local_spark, spark_unavailable_reason

SPARK_REASON = spark_unavailable_reason()
SPARK = pytest.param("spark", marks=pytest.mark.skipif(
    SPARK_REASON is not None, reason=f"Spark cannot run here: {SPARK_REASON}"))
ENGINES = ["duckdb", "pandas", SPARK]  # each engine reads the same Parquet file
OTHERS = ["pandas", SPARK]  # compared with DuckDB's counts of the same file


@pytest.fixture(scope="module")
def spark() -> Any:
    if SPARK_REASON:
        pytest.skip(f"Spark cannot run here: {SPARK_REASON}")
    session = local_spark(cores=2, jvm_options="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                          config={"spark.sql.codegen.wholeStage": "false"})
    yield session
    session.stop()


def _engine(name: str, request: pytest.FixtureRequest) -> Any:
    """The engine argument: a name, with the shared Spark session started for "spark"."""
    if name == "spark":
        request.getfixturevalue("spark")
    return name


def _answers(n: int = 4000, seed: int = 16) -> pd.DataFrame:
    """Answers in 40 firms, 3 channels (some missing) and 3 months; NPS with missing answers,
    CSAT, CES; weights on a binary grid (w) and continuous ones (wf)."""
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({
        "channel": rng.choice(["web", "phone", "shop"], n, p=[0.5, 0.3, 0.2]).astype(object),
        "firm": rng.integers(0, 40, n).astype(np.int32),
        "month": rng.choice(["2025-01", "2025-02", "2025-03"], n),
        "nps": rng.choice(11, n, p=[0.04] * 7 + [0.12, 0.14, 0.2, 0.26]).astype(float),
        "csat": rng.integers(1, 6, n).astype(np.int8),
        "ces": rng.integers(1, 8, n).astype(float),
        "w": rng.integers(2, 25, n) / 8,
        "wf": rng.uniform(0.4, 2.5, n),
    })
    data.loc[rng.choice(n, 60, replace=False), "nps"] = np.nan
    data.loc[rng.choice(n, 40, replace=False), "ces"] = np.nan
    data.loc[rng.choice(n, 30, replace=False), "channel"] = None
    return data


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("engines")
    data = _answers()
    one = root / "answers.parquet"
    data.to_parquet(one, index=False)
    parts = root / "lake"
    parts.mkdir()
    half = len(data) // 2
    data.iloc[:half].to_parquet(parts / "part-0.parquet", index=False)
    data.iloc[half:].to_parquet(parts / "part-1.parquet", index=False)
    csv = root / "answers.csv"
    data[["channel", "nps", "w"]].to_csv(csv, index=False)
    return {"data": data, "parquet": str(one), "dir": str(parts),
            "glob": str(parts / "part-*.parquet"), "csv": str(csv), "root": root}


# --------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------

CASES = {
    "nps by channel": dict(by="channel", score="nps", weights=None, scale=(0, 10)),
    "nps by channel, month and firm, weighted": dict(by=["channel", "month"], score="nps",
                                                     weights="w", scale=(0, 10),
                                                     cluster="firm"),
    "csat overall, weighted": dict(by=None, score="csat", weights="w", scale=(1, 5)),
    "ces by month and firm": dict(by="month", score="ces", weights=None, scale=(1, 7),
                                  cluster="firm"),
}


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("case", list(CASES))
def test_counts_are_identical_on_duckdb_spark_and_pandas(case: str, name: str,
                                                         files: dict[str, Any],
                                                         request: pytest.FixtureRequest) -> None:
    kw = CASES[case]
    # the in-memory reference: the pandas engine on the frame (validated by metrics._clean)
    ref = m.aggregate_responses(files["data"], engine="pandas", **kw)
    assert ref["n"].sum() == len(files["data"])
    assert ref["score"].isna().any() or kw["score"] == "csat"  # missing answers are counted
    got = m.aggregate_responses(files["parquet"], engine=_engine(name, request), **kw)
    pd.testing.assert_frame_equal(got, ref, check_exact=True, check_dtype=False)
    assert list(got.dtypes.astype(str))[-4:] == ["float64", "int64", "float64", "float64"]
    # from the same file as DuckDB: the same frame, dtypes included, missing keys sorted last
    duck = m.aggregate_responses(files["parquet"], **kw)
    pd.testing.assert_frame_equal(got, duck, check_exact=True)
    if "channel" in (kw["by"] or []):
        assert got["channel"].isna().sum() > 0 and pd.isna(got["channel"].iloc[-1])


@pytest.mark.parametrize("name", OTHERS)
def test_continuous_weights_agree_to_summation_order(name: str, files: dict[str, Any],
                                                     request: pytest.FixtureRequest) -> None:
    kw = dict(by="channel", score="nps", weights="wf", scale=(0, 10))
    a = m.aggregate_responses(files["parquet"], engine=_engine(name, request), **kw)
    b = m.aggregate_responses(files["parquet"], **kw)
    pd.testing.assert_frame_equal(a.drop(columns=["sum_w", "sum_w2"]),
                                  b.drop(columns=["sum_w", "sum_w2"]), check_exact=True)
    np.testing.assert_allclose(a[["sum_w", "sum_w2"]], b[["sum_w", "sum_w2"]], rtol=1e-13)


# --------------------------------------------------------------------------------------------
# Metrics from the counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENGINES)
def test_every_estimator_gives_the_same_results_from_each_engines_counts(
        name: str, files: dict[str, Any], request: pytest.FixtureRequest) -> None:
    data = files["data"]
    counts = m.aggregate_responses(files["parquet"], ["channel", "month"], "nps", "w",
                                   scale=(0, 10), cluster="firm", engine=_engine(name, request))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        # the reference: by_segment on the frame in memory (counted and estimated in pandas)
        ref_plain = m.by_segment(data, "channel", "nps", weights="w", min_n=1)
        ref_clustered = m.by_segment(data, "channel", "nps", weights="w", cluster="firm",
                                     min_n=1)
        ref_month = m.by_segment(data, ["channel", "month"], "nps", weights="w",
                                 cluster="firm", min_n=1, method="cluster_bootstrap",
                                 n_boot=200, seed=3)
    plain = m.summarise_counts(counts, "channel", "nps", min_n=1)
    clustered = m.summarise_counts(counts, "channel", "nps", min_n=1, cluster="firm")
    month = m.summarise_counts(counts, ["channel", "month"], "nps", min_n=1, cluster="firm",
                               method="cluster_bootstrap", n_boot=200, seed=3)
    for got, ref in ((plain, ref_plain), (clustered, ref_clustered), (month, ref_month)):
        pd.testing.assert_frame_equal(got, ref, check_exact=True, check_dtype=False)
    assert ref_clustered["design_effect"].notna().all()
    # other metrics from this engine's counts of another column, against DuckDB's and against
    # the direct functions
    ces = m.aggregate_responses(files["parquet"], "channel", "ces", "w", scale=(1, 7),
                                engine=name)
    duck = m.aggregate_responses(files["parquet"], "channel", "ces", "w", scale=(1, 7))
    for metric, kw in (("ces", {}), ("ces", {"top_box": 3}), ("mean", {"scale": (1, 7)})):
        pd.testing.assert_frame_equal(m.summarise_counts(ces, "channel", metric, **kw),
                                      m.summarise_counts(duck, "channel", metric, **kw),
                                      check_exact=True)
    web = data[data["channel"] == "web"].dropna(subset=["ces"])
    row = m.summarise_counts(ces, "channel", "ces").set_index("channel").loc["web"]
    assert row["estimate"] == pytest.approx(m.ces(web["ces"], weights=web["w"]).estimate,
                                            rel=1e-12)


@pytest.mark.skipif(SPARK_REASON is not None, reason=f"Spark cannot run here: {SPARK_REASON}")
def test_by_segment_runs_on_spark_end_to_end(files: dict[str, Any],
                                             request: pytest.FixtureRequest) -> None:
    spark = _engine("spark", request)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ref = m.by_segment(files["data"], "month", "csat", weights="w", cluster="firm")
    got = m.by_segment(files["dir"], "month", "csat", weights="w", cluster="firm",
                       engine=spark)
    pd.testing.assert_frame_equal(got, ref, check_exact=True, check_dtype=False)


# --------------------------------------------------------------------------------------------
# Bad input: rejected the same way everywhere
# --------------------------------------------------------------------------------------------

BAD = {
    # name: (column changes, arguments, message for a file on every engine)
    "outside the scale": ({"nps": {3: 12.0, 8: -1.0, 9: 12.0}}, {},
                          "column 'nps': 3 value(s) outside 0..10 (e.g. [-1, 12])"),
    "fraction": ({"nps": {5: 7.5}}, {},
                 "column 'nps': 1 non-integer value(s) on an integer scale (e.g. [7.5])"),
    "infinite": ({"nps": {6: np.inf}}, {}, "column 'nps': 1 infinite value(s) (e.g. [inf])"),
    "negative weight": ({"w": {2: -1.0}}, {"weights": "w"},
                        "argument 'w': 1 missing, infinite or negative weight(s)"),
    "missing weight": ({"w": {2: np.nan, 4: np.nan}}, {"weights": "w"},
                       "argument 'w': 2 missing, infinite or negative weight(s)"),
    "text": ({"nps": {1: "ten", 4: "", 6: "9"}}, {},
             "column 'nps': 2 non-numeric value(s) (e.g. ['', 'ten'])"),
    "true/false": ({"nps": "bool"}, {},
                   "column 'nps': scores are True/False, expected numbers"),
}


def _bad_frame(changes: dict[str, Any]) -> pd.DataFrame:
    data = pd.DataFrame({"channel": ["a", "b"] * 6, "nps": [9.0, 10, 3, 7, 8, 6] * 2,
                         "w": [1.0, 0.5, 2.0] * 4})
    data.loc[0, "nps"] = np.nan  # a missing answer is not an error
    for col, values in changes.items():
        if values == "bool":
            data[col] = data[col] > 7
            continue
        if any(isinstance(v, str) for v in values.values()):
            data[col] = data[col].map(lambda v: None if v != v else f"{v:g}").astype(object)
        for row, value in values.items():
            data.loc[row, col] = value
    return data


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize("case", list(BAD))
def test_bad_values_are_rejected_alike_on_every_engine(case: str, name: str, tmp_path: Path,
                                                       request: pytest.FixtureRequest) -> None:
    changes, kwargs, message = BAD[case]
    data = _bad_frame(changes)
    path = tmp_path / "bad.parquet"
    data.to_parquet(path, index=False)
    with pytest.raises(ValueError) as err:
        m.aggregate_responses(path, "channel", "nps", scale=(0, 10),
                              engine=_engine(name, request), **kwargs)
    assert str(err.value) == message
    # a DataFrame has row labels: every engine names the rows, with pandas' own message
    with pytest.raises(ValueError) as ref:
        m.aggregate_responses(data, "channel", "nps", scale=(0, 10), engine="pandas", **kwargs)
    with pytest.raises(ValueError) as err:
        m.aggregate_responses(data, "channel", "nps", scale=(0, 10), engine=name, **kwargs)
    assert str(err.value) == str(ref.value)
    assert "at rows [" in str(err.value) or case == "true/false"


@pytest.mark.parametrize("name", ENGINES)
def test_a_missing_column_is_named_on_every_engine(name: str, files: dict[str, Any],
                                                   request: pytest.FixtureRequest) -> None:
    with pytest.raises(ValueError, match="column 'region' not found"):
        m.aggregate_responses(files["parquet"], "region", "nps", engine=_engine(name, request))


# --------------------------------------------------------------------------------------------
# Sources and engine arguments
# --------------------------------------------------------------------------------------------


def test_paths_globs_directories_tables_and_frames(files: dict[str, Any]) -> None:
    import duckdb

    kw = dict(by="month", score="nps", weights="w", scale=(0, 10))
    ref = m.aggregate_responses(files["parquet"], **kw)
    got = {
        "duckdb glob": m.aggregate_responses(files["glob"], **kw),
        "duckdb directory": m.aggregate_responses(files["dir"], **kw),
        "pandas glob": m.aggregate_responses(files["glob"], engine="pandas", **kw),
        "pandas directory": m.aggregate_responses(files["dir"], engine="pandas", **kw),
    }
    con = duckdb.connect()
    try:
        con.execute(f"CREATE TABLE answers AS SELECT * FROM read_parquet('{files['parquet']}')")
        got["duckdb table"] = m.aggregate_responses("answers", engine=con, **kw)
        got["duckdb relation"] = m.aggregate_responses(con.table("answers"), **kw)
    finally:
        con.close()
    for what, frame in got.items():
        pd.testing.assert_frame_equal(frame, ref, check_exact=True, check_dtype=False, obj=what)


@pytest.mark.skipif(SPARK_REASON is not None, reason=f"Spark cannot run here: {SPARK_REASON}")
def test_spark_reads_paths_globs_directories_tables_and_frames(files: dict[str, Any],
                                                               spark: Any) -> None:
    kw = dict(by="month", score="nps", weights="w", scale=(0, 10))
    ref = m.aggregate_responses(files["parquet"], **kw)
    got = {
        "spark glob": m.aggregate_responses(files["glob"], engine=spark, **kw),
        "spark directory": m.aggregate_responses(files["dir"], engine="spark", **kw),
        "spark frame": m.aggregate_responses(spark.read.parquet(files["dir"]), **kw),
        "pandas frame on spark": m.aggregate_responses(files["data"], engine=spark, **kw),
    }
    spark.read.parquet(files["parquet"]).createOrReplaceTempView("cx_answers")
    try:
        got["spark table"] = m.aggregate_responses("cx_answers", engine=spark, **kw)
    finally:
        spark.catalog.dropTempView("cx_answers")
    for what, frame in got.items():
        pd.testing.assert_frame_equal(frame, ref, check_exact=True, check_dtype=False, obj=what)


@pytest.mark.parametrize("name", OTHERS)
def test_csv_is_read_by_each_engine_alike(name: str, files: dict[str, Any],
                                          request: pytest.FixtureRequest) -> None:
    # each engine's own CSV reader, and its own type inference: Spark reads "2025-01" as a
    # timestamp, DuckDB and pandas as text, so this CSV has no month column
    kw = dict(by="channel", score="nps", weights="w", scale=(0, 10))
    got = m.aggregate_responses(files["csv"], engine=_engine(name, request), **kw)
    duck = m.aggregate_responses(files["csv"], **kw)
    pd.testing.assert_frame_equal(got, duck, check_exact=True, check_dtype=False)
    pd.testing.assert_frame_equal(duck, m.aggregate_responses(files["parquet"], **kw),
                                  check_exact=True, check_dtype=False)


def test_engine_argument_is_checked(files: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="argument 'engine' must be one of"):
        m.aggregate_responses(files["parquet"], "month", "nps", engine="polars")
    with pytest.raises(TypeError, match="argument 'engine' must be"):
        m.aggregate_responses(files["parquet"], "month", "nps", engine=3)
    with pytest.raises(ValueError, match="'pandas' cannot read the table"):
        m.aggregate_responses("answers", "month", "nps", engine="pandas")
    with pytest.raises(ValueError, match=r"is not a \.parquet or \.csv path"):
        m.aggregate_responses(Path(files["root"]) / "answers.json", "month", "nps")
    with pytest.raises(ValueError, match="is both a segment"):
        m.aggregate_responses(files["parquet"], "firm", "nps", cluster="firm")


def test_spark_missing_is_reported_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    if importlib.util.find_spec("pyspark") is not None:
        reason = spark_unavailable_reason()
        assert reason is not None and "openjdk-17-jre-headless" in reason
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyspark" else real(name, *a))
    assert "pip install 'cxresearch[spark]'" in (spark_unavailable_reason() or "")
    with pytest.raises(RuntimeError, match="engine='spark': pyspark is not installed"):
        m.aggregate_responses(pd.DataFrame({"nps": [9]}), None, "nps", engine="spark")


def test_one_statement_for_duckdb_and_spark() -> None:
    for text in (False, True):
        duck = count_sql("t", ["channel", "month"], "nps", "w", text_score=text,
                         text_weights=text)
        spark = count_sql("t", ["channel", "month"], "nps", "w", dialect="spark",
                          text_score=text, text_weights=text)
        assert duck.replace('"', "`").replace("regexp_full_match", "regexp_like") == spark
    assert "GROUP BY \"channel\", \"month\", cx_score" in duck
    with pytest.raises(ValueError, match="argument 'dialect'"):
        count_sql("t", None, "nps", dialect="postgres")  # type: ignore[arg-type]
    assert engines.NUMBER_PATTERN.startswith("^") and "\\" not in engines.NUMBER_PATTERN


_QUIET_SCRIPT = """
import sys
import pandas as pd
from cxresearch.metrics.engines import local_spark
from cxresearch.metrics.scores import aggregate_responses
spark = local_spark(cores=1, jvm_options="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                    log=sys.argv[1] if len(sys.argv) > 1 else None)
answers = pd.DataFrame({"g": ["a", "a", "b", "b", "b"], "nps": [9, 10, 6, 7, 9]})
print(int(aggregate_responses(answers, "g", "nps", engine="spark")["n"].sum()))
spark.stop()
"""


@pytest.mark.skipif(SPARK_REASON is not None, reason=f"Spark cannot run here: {SPARK_REASON}")
def test_local_spark_starts_quietly(tmp_path: Path) -> None:
    """Nothing of the JVM reaches the process's stdout or stderr (in a notebook that would be
    output with timestamps), nor does pyspark's warning about pandas (warnings shown, ``-W
    default``): only what Python prints. With ``log=``, the JVM's start-up lines go to that
    file instead."""
    import subprocess
    import sys

    log = tmp_path / "spark.log"
    done = subprocess.run([sys.executable, "-W", "default", "-c", _QUIET_SCRIPT, str(log)],
                          capture_output=True, text=True, timeout=300, check=False,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "5\n"
    assert done.stderr == ""
    assert "log level" in log.read_text()  # Spark's banner went to the log file


# ------------------------------------------------- notebook 01's at-scale section, per engine


@pytest.fixture(scope="module")
def at_scale_duckdb() -> Any:
    from cxresearch.studies.measuring_01 import at_scale_demo

    return at_scale_demo(engine="duckdb")  # the notebook's defaults


@pytest.mark.parametrize("name", OTHERS)
def test_notebook_01_at_scale_table_is_the_same_on_every_engine(
        name: str, at_scale_duckdb: Any, request: pytest.FixtureRequest) -> None:
    """The table and the sentence notebook 01 prints, with the notebook's defaults (200,000
    answers in 500 units, 4 Parquet files), are identical, bit for bit, whichever engine
    counts: ``-p at_scale_engine=...`` cannot change the notebook's output."""
    from cxresearch.studies.measuring_01 import at_scale_demo

    other = at_scale_demo(engine=_engine(name, request))
    pd.testing.assert_frame_equal(other.to_frame(), at_scale_duckdb.to_frame(), check_exact=True)
    assert other.summary() == at_scale_duckdb.summary()
    assert name not in other.summary() and "duckdb" not in other.summary().lower()
    table = at_scale_duckdb.to_frame()
    assert table["channel"].tolist() == ["app", "contact centre", "store"]
    assert int(table["n"].sum()) == 200_000 and (table["n_clusters"] == 500).all()
