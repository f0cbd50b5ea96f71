"""Tests for cxresearch.io.instrument: the instrument.yml format, its validation, data checks."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxresearch.core import paths
from cxresearch.core.contract import (
    CULTURE_ITEMS,
    ENGAGEMENT_ITEMS,
    ITEM_RANGES,
    REVERSE_KEYED,
    reverse_items,
)
from cxresearch.core.validation import DataError
from cxresearch.io.exports import read_export
from cxresearch.io.instrument import (
    Drivers,
    Instrument,
    InstrumentDataError,
    InstrumentError,
    Metric,
    Scale,
    find_instrument,
    validate_data,
)

HERE = Path(__file__).parent / "data"
INSTRUMENTS = HERE / "instruments"
EXPORTS = HERE / "exports"


# -- the file ------------------------------------------------------------------------------------


def test_the_issue_example_reads() -> None:
    inst = Instrument.read(INSTRUMENTS / "issue_example.yml")
    assert (inst.unit, inst.time, inst.weight) == ("store_id", "wave", "w")
    assert inst.scales["culture"] == Scale(("c1", "c2", "c3", "c4"), (1, 7), ("c3",))
    assert inst.scales["engagement"].items[-1] == "e12"
    assert inst.metrics == {"nps": Metric("ltr", (0, 10)), "csat": Metric("sat", (1, 5)),
                            "ces": Metric("effort", (1, 7))}
    assert inst.drivers == Drivers("sat", tuple(f"d{k}" for k in range(1, 9)))
    assert inst.segments == ("region", "channel")
    assert inst.source == "issue_example.yml"
    assert inst.reverse_map() == {"c3": (1, 7)}
    assert inst.metric_columns() == {"nps": "ltr", "csat": "sat", "ces": "effort"}
    assert inst.item_ranges()["e1"] == (1, 5) and inst.item_ranges()["ltr"] == (0, 10)
    assert "d1" not in inst.item_ranges()  # drivers without a range
    assert inst.scale_items("culture") == ("c1", "c2", "c3", "c4")
    with pytest.raises(DataError, match="'loyalty' is not a scale"):
        inst.scale_items("loyalty")


def test_columns_by_table() -> None:
    inst = Instrument.read(INSTRUMENTS / "issue_example.yml")
    assert inst.columns("customers") == (
        "store_id", "wave", "w", "ltr", "sat", "effort", "d1", "d2", "d3", "d4", "d5", "d6",
        "d7", "d8", "region", "channel")
    assert inst.columns("employees") == ("store_id", "wave", "c1", "c2", "c3", "c4",
                                         *(f"e{k}" for k in range(1, 13)))
    assert set(inst.columns()) == set(inst.columns("customers")) | set(
        inst.columns("employees"))
    with pytest.raises(DataError, match="argument 'table'"):
        inst.columns("firms")


def test_round_trip_through_yaml() -> None:
    for f in ("issue_example.yml", "plain_customers.yml"):
        inst = Instrument.read(INSTRUMENTS / f)
        assert inst.to_dict() == yaml.safe_load((INSTRUMENTS / f).read_text())
        assert Instrument.from_dict(yaml.safe_load(inst.to_yaml())) == inst
    text = Instrument.bundled().to_yaml(header="first line\n\nthird")
    assert text.startswith("# first line\n#\n# third\nunit: firm_id\n")


def test_bundled_instrument_matches_the_contract() -> None:
    b = Instrument.bundled()
    assert (b.unit, b.time, b.weight, b.drivers) == ("firm_id", "year", None, None)
    assert b.scale_items("culture") == CULTURE_ITEMS
    assert b.scale_items("engagement") == ENGAGEMENT_ITEMS
    assert b.reverse_map() == {c: ITEM_RANGES[c] for c in REVERSE_KEYED}
    assert {c: r for c, r in b.item_ranges().items()} == ITEM_RANGES
    assert b.metric_columns() == {"nps": "nps", "csat": "csat", "ces": "ces"}
    assert b.segments == ("industry", "size_band", "cx_owner")
    assert "bundled instrument" in b.summary()
    frame = b.to_frame()
    assert frame.columns.tolist() == ["role", "name", "column", "low", "high", "reverse", "key"]
    assert frame.loc[frame["column"] == "culture_4", "reverse"].item()


@pytest.mark.skipif(not (paths.processed_dir() / "customers.parquet").is_file(),
                    reason="data/processed not built")
def test_bundled_instrument_fits_the_bundled_data() -> None:
    d = paths.processed_dir()
    firms = pd.read_parquet(d / "firms.parquet")
    b = Instrument.bundled()
    for table in ("customers", "employees"):
        data = pd.read_parquet(d / f"{table}.parquet")
        assert validate_data(b, data, file=f"{table}.parquet", table=table, units=firms) == []
    # segments live in the units' table: without it they are missing from customers
    customers = pd.read_parquet(d / "customers.parquet", columns=["firm_id", "year", "nps",
                                                                  "csat", "ces"])
    problems = validate_data(b, customers, errors="return")
    assert problems == [f"column {s!r} (segments) not found; columns: "
                        "['firm_id', 'year', 'nps', 'csat', 'ces']"
                        for s in ("industry", "size_band", "cx_owner")]


BAD = {
    "bad_unknown_key.yml":
        "bad_unknown_key.yml: unknown key 'scale'; did you mean 'scales'? (allowed: [unit, "
        "time, weight, scales, metrics, drivers, segments, population])",
    "bad_item_in_two_scales.yml":
        "bad_item_in_two_scales.yml: scales.engagement.items: 'c2' is also an item of scale "
        "'culture'; an item belongs to one scale",
    "bad_inverted_range.yml":
        "bad_inverted_range.yml: scales.culture.range: [7, 1] is inverted; give [low, high] "
        "with low < high, e.g. [1, 7]",
    "bad_reverse_not_in_scale.yml":
        "bad_reverse_not_in_scale.yml: scales.culture.reverse: 'c9' is not one of the "
        "scale's items [c1, c2, c3, c4]",
    "bad_nonnumeric_range.yml":
        "bad_nonnumeric_range.yml: metrics.csat.range: must be two numbers [low, high], e.g. "
        "[1, 5], got ['low', 'high']",
    "bad_metric_name.yml":
        "bad_metric_name.yml: metrics.loyalty: unknown metric 'loyalty'; an instrument "
        "declares the single-question metrics [nps, csat, ces]",
    "bad_nps_range.yml":
        "bad_nps_range.yml: metrics.nps.range: [1, 10]: NPS is defined on [0, 10]",
    "bad_duplicate_item.yml":
        "bad_duplicate_item.yml: scales.culture.items: 'c2' listed more than once",
    "bad_types.yml":
        "bad_types.yml: unit: must be a column name (text), got list ['store_id']; "
        "scales.culture.items: must be a list of column names, e.g. [c1, c2], got str "
        "'c1, c2, c3'; segments: must be a list of column names",
    "bad_unquoted_number.yml":
        "bad_unquoted_number.yml: drivers.items[0]: must be a column name (text), got 1 (int); "
        "quote it in the file: \"1\"",
    "bad_missing_unit.yml": "bad_missing_unit.yml: unit: is required (a column name)",
    "bad_role_clash.yml":
        "bad_role_clash.yml: metrics.csat.column: 'c2' is an item of scale 'culture'; a "
        "single-question metric is not a scale item; weight: 'c1' is also an item of scale "
        "'culture'",
    "bad_syntax.yml":
        "bad_syntax.yml: not valid YAML: line 3, column 42: expected ',' or ']', but got '}'",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_instruments_are_refused_with_file_and_key(name: str) -> None:
    with pytest.raises(InstrumentError) as info:
        Instrument.read(INSTRUMENTS / name)
    assert str(info.value).startswith(BAD[name])
    assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InstrumentError) as info:
        Instrument.read(INSTRUMENTS / "bad_several.yml")
    assert [p.split(":")[0] for p in info.value.problems] == [
        "scales.culture.range", "scales.culture.reverse", "scales.engagement.items",
        "metrics.loyalty"]


@pytest.mark.parametrize(
    ("d", "message"),
    [
        (None, "the file must be a mapping of keys [unit, time, weight, scales, metrics, "
               "drivers, segments, population], got nothing"),
        (["unit"], "got list"),
        ({"unit": "s"}, "declares nothing to analyse"),
        ({"unit": "s", "scales": ["c1"]}, "scales: must be a mapping of scale names"),
        ({"unit": "s", "scales": {"c": {"items": ["a"], "range": [1, 5], "rev": ["a"]}}},
         "scales.c: unknown key 'rev'; did you mean 'reverse'?"),
        ({"unit": "s", "scales": {"c": {"items": [], "range": [1, 5]}}},
         "scales.c.items: needs at least 1 column(s), got 0"),
        ({"unit": "s", "scales": {"c": {"items": ["a"], "range": [3, 3]}}},
         "scales.c.range: [3, 3] is empty"),
        ({"unit": "s", "scales": {"c": {"items": ["a"], "range": [1, True]}}},
         "scales.c.range: must be two numbers"),
        ({"unit": "s", "scales": {"c": {"items": ["a"]}}}, "scales.c.range: is required"),
        ({"unit": "s", "scales": {"my scale": {"items": ["a"], "range": [1, 5]}}},
         "scales.my scale: a scale's name must be a word"),
        ({"unit": "s", "metrics": {"csat": {"column": "x", "range": [1, 5]},
                                   "ces": {"column": "x", "range": [1, 7]}}},
         "metrics.ces.column: 'x' is also the column of metric 'csat'"),
        ({"unit": "s", "metrics": {"npss": {"column": "x", "range": [0, 10]}}},
         "did you mean 'nps'?"),
        ({"unit": "s", "drivers": {"outcome": "y", "items": ["y", "a"]}},
         "drivers.items: 'y' is the outcome"),
        ({"unit": "s", "drivers": {"outcome": "y", "items": ["a"]}},
         "drivers.items: needs at least 2 column(s)"),
        ({"unit": "s", "drivers": {"outcome": "y", "items": ["a", "b"], "range": [5, 1]}},
         "drivers.range: [5, 1] is inverted"),
        ({"unit": "s", "time": "s", "metrics": {"csat": {"column": "x", "range": [1, 5]}}},
         "time: 's' is also unit"),
        ({"unit": "s", "segments": ["r", "r"],
          "metrics": {"csat": {"column": "x", "range": [1, 5]}}},
         "segments: 'r' listed more than once"),
        ({"unit": "s", "segments": ["x"],
          "metrics": {"csat": {"column": "x", "range": [1, 5]}}},
         "segments[0]: 'x' is also the column of metric 'csat'"),
        ({"unit": "s", "weight": True, "metrics": {"csat": {"column": "x", "range": [1, 5]}}},
         "weight: must be a column name (text), got True (bool)"),
    ],
)
def test_from_dict_rules(d: object, message: str) -> None:
    with pytest.raises(InstrumentError) as info:
        Instrument.from_dict(d, source="instrument.yml")  # type: ignore[arg-type]
    assert str(info.value).startswith("instrument.yml: ")
    assert message in str(info.value)


def test_reading_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Instrument.read(tmp_path / "instrument.yml")
    (tmp_path / "instrument.yml").write_text("")
    with pytest.raises(InstrumentError, match=r"instrument\.yml: the file must be a mapping"):
        Instrument.read(tmp_path / "instrument.yml")
    assert find_instrument(tmp_path) == tmp_path / "instrument.yml"
    (tmp_path / "instrument.yml").unlink()
    (tmp_path / "instrument.yaml").write_text("unit: u\nmetrics: {ces: {column: e, range: "
                                              "[1, 7]}}\n")
    assert Instrument.read(find_instrument(tmp_path)).metrics["ces"].column == "e"


# -- data against the instrument -------------------------------------------------------------


def test_plain_export_fits_its_instrument() -> None:
    inst = Instrument.read(INSTRUMENTS / "plain_customers.yml")
    data = read_export(EXPORTS / "plain_customers.csv").data
    assert validate_data(inst, data, file="plain_customers.csv") == []
    # the same as text, as a CSV reads with dtype=str
    text = pd.read_csv(EXPORTS / "plain_customers.csv", dtype=str)
    assert validate_data(inst, text, file="plain_customers.csv", line_offset=2) == []


def test_data_problems_name_file_column_key_and_rows() -> None:
    inst = Instrument.read(INSTRUMENTS / "plain_customers.yml")
    data = pd.read_csv(EXPORTS / "plain_customers.csv", dtype=str)
    bad = data.rename(columns={"sat": "satisfaction", "region": "Region"}).assign(
        ltr=["9", "11", "6", "8", "3", "10", "7", "ten", "5", "8"],
        effort=["6", "7", "4", "0", "2", "7", "5", "6", "9", None],
        store_id=["S01", None, "S02", "S02", "S03", "S03", "S04", "S04", "", "S02"],
        w=["0.8", "-1", "0.9", "1", "1", "1", "1", "1", "1", "1"],
        d2=["4", "5", "2", "5", "6", "5", "4", "4", "2", "4"],
    )
    with pytest.raises(InstrumentDataError) as info:
        validate_data(inst, bad, file="customers.csv", line_offset=2)
    assert str(info.value).startswith("customers.csv (customers): ")
    assert info.value.problems == [
        "column 'store_id' (unit): 2 missing value(s) at rows [1, 8] (file lines [3, 10]); "
        "every answer needs its unit",
        "column 'w' (weight): 1 value(s) negative at rows [1] (file lines [3]); first values: "
        "[-1]",
        "column 'ltr' (metrics.nps.column): text in a numeric column: 1 value(s) at rows [7] "
        "(file lines [9]); first values: ['ten']",
        "column 'sat' (metrics.csat.column) not found; close matches: ['satisfaction']",
        "column 'effort' (metrics.ces.column): 2 value(s) outside 1..7 at rows [3, 8] "
        "(file lines [5, 10]); first values: [0, 9]",
        "column 'd2' (drivers.items): 1 value(s) outside 1..5 at rows [4] (file lines [6]); "
        "first values: [6]",
        "column 'region' (segments) not found; close matches: ['Region']",
    ]
    # without line_offset: rows only
    assert validate_data(inst, bad, errors="return") == [
        re.sub(r" \(file lines \[[^\]]*\]\)", "", p) for p in info.value.problems
    ]


def test_employee_scales_and_units_table() -> None:
    inst = Instrument.read(INSTRUMENTS / "issue_example.yml")
    items = [f"c{k}" for k in range(1, 5)] + [f"e{k}" for k in range(1, 13)]
    emp = pd.DataFrame({"store_id": ["S1", "S2"], "wave": [1, 1],
                        **{c: [1, 5] for c in items}})
    # weight and segments are optional in the employee table
    assert validate_data(inst, emp, file="employees.csv", table="employees") == []
    bad = emp.assign(c1=[0, 5], e12=[1, 6])
    assert validate_data(inst, bad, table="employees", errors="return") == [
        "column 'c1' (scales.culture.items): 1 value(s) outside 1..7 at rows [0]; first "
        "values: [0]",
        "column 'e12' (scales.engagement.items): 1 value(s) outside 1..5 at rows [1]; first "
        "values: [6]",
    ]
    # reverse-keyed items recode with the instrument's ranges
    assert reverse_items(emp, inst.reverse_map())["c3"].tolist() == [7, 3]
    # segments may live in a table of the units
    cust = pd.DataFrame({"store_id": ["S1"], "wave": [1], "w": [1.0], "ltr": [9], "sat": [5],
                         "effort": [7], **{f"d{k}": [3] for k in range(1, 9)}})
    units = pd.DataFrame({"store_id": ["S1"], "region": ["N"], "channel": ["web"]})
    assert validate_data(inst, cust, units=units) == []
    with pytest.raises(InstrumentDataError, match="column 'region' \\(segments\\) not found or "
                                                  "the units' table"):
        validate_data(inst, cust, units=units.drop(columns="region"))


def test_validate_data_arguments() -> None:
    inst = Instrument.bundled()
    with pytest.raises(TypeError, match="Instrument"):
        validate_data({"unit": "x"}, pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="DataFrame"):
        validate_data(inst, [1, 2])  # type: ignore[arg-type]
    with pytest.raises(DataError, match="argument 'errors'"):
        validate_data(inst, pd.DataFrame(), errors="ignore")
    with pytest.raises(DataError, match="argument 'table'"):
        validate_data(inst, pd.DataFrame(), table="firms")
    data = pd.DataFrame({"nps": ["9", "x"]})
    before = data.copy()
    validate_data(inst, data, errors="return")
    pd.testing.assert_frame_equal(data, before)
