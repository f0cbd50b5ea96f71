"""Periods that differ by table (issue 22): ``time: {customers: month, employees: quarter}``.

The reference is ``tests/data/own_survey_quarterly/`` (synthetic, see its README.md):
``tests/data/own_survey/`` re-dated so that customers answer monthly, employees quarterly and
the outcomes are monthly, with wave w -> quarter 2024Qw and each wave outcome spread over three
months whose mean is the wave's figure. Linked at quarters by the documented rule, its store x
quarter panel must be exactly ``own_survey``'s store x wave panel.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from cxresearch.cli.check import check_folder, needs
from cxresearch.core.validation import DataError
from cxresearch.io.instrument import TIME_TABLES, Instrument, InstrumentError
from cxresearch.io.readers import SurveyValidationError, load_study
from cxresearch.linkage.units import (
    PERIOD_KINDS,
    aggregation_checks,
    align_periods,
    linkage_precondition,
    load_linkage_study,
    period_kind,
    unit_panel,
)

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
QUARTERLY = DATA / "own_survey_quarterly"
METRIC = {"csat": {"column": "sat", "range": [1, 5]}}
PER_TABLE = {"customers": "month", "employees": "quarter", "outcomes": "month"}


def _inst(time: object, unit: str = "store_id") -> Instrument:
    return Instrument.from_dict({"unit": unit, "time": time, "metrics": METRIC},
                                source="instrument.yml")


# -- the file -----------------------------------------------------------------------------------


def test_per_table_time_is_read_and_round_trips() -> None:
    inst = Instrument.read(QUARTERLY / "instrument.yml")
    assert inst.time_by_table == PER_TABLE and tuple(PER_TABLE) == TIME_TABLES
    assert inst.time == "month"  # study.time stays the customers' period
    assert [inst.time_of(t) for t in (*TIME_TABLES, None)] == ["month", "quarter", "month",
                                                               "month"]
    assert inst.to_dict()["time"] == PER_TABLE
    assert Instrument.from_dict(yaml.safe_load(inst.to_yaml())) == inst
    assert "time customers month, employees quarter, outcomes month" in inst.summary()
    # each table is checked for its own period column, and only for it
    assert "month" in inst.columns("customers") and "quarter" not in inst.columns("customers")
    assert "quarter" in inst.columns("employees") and "month" not in inst.columns("employees")
    roles = inst.to_frame().query("role == 'time'")
    assert roles[["name", "column", "key"]].values.tolist() == [
        ["customers", "month", "time.customers"], ["employees", "quarter", "time.employees"],
        ["outcomes", "month", "time.outcomes"]]
    # a table left out has no period
    partial = _inst({"employees": "quarter"})
    assert (partial.time, partial.time_of("employees"), partial.time_of("outcomes")) == (
        None, "quarter", None)
    assert partial.to_dict()["time"] == {"employees": "quarter"}
    with pytest.raises(DataError, match="argument 'table'"):
        inst.time_of("units")


def test_the_single_time_form_is_unchanged() -> None:
    inst = Instrument.read(OWN / "instrument.yml")
    assert inst.time == "wave" and inst.time_by_table == {}
    assert {inst.time_of(t) for t in TIME_TABLES} == {"wave"}
    assert inst.to_dict()["time"] == "wave"
    assert "time: wave\n" in inst.to_yaml()
    assert Instrument.bundled().is_bundled_design()
    assert not _inst({"customers": "year", "employees": "year"}, unit="firm_id") \
        .is_bundled_design()


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ({"customer": "month"}, "time: unknown table 'customer'; did you mean 'customers'? "
                                "(a period column per table: [customers, employees, outcomes])"),
        ({}, "time: an empty mapping: give each table's period column"),
        ({"employees": 2024}, "time.employees: must be a column name (text), got 2024 (int)"),
        ({"customers": "store_id"}, "time.customers: 'store_id' is also unit"),
        ({"customers": "sat"}, "time.customers: 'sat' is also the column of metric 'csat'"),
    ],
)
def test_bad_time_mappings_are_refused(time: object, message: str) -> None:
    with pytest.raises(InstrumentError) as info:
        _inst(time)
    assert str(info.value).startswith("instrument.yml: ") and message in str(info.value)
    with pytest.raises(InstrumentError):  # time is not a section: always refused
        Instrument.from_dict({"unit": "store_id", "time": time, "metrics": METRIC},
                             strict=False)


def test_two_tables_may_share_a_period_column() -> None:
    inst = _inst({"customers": "wave", "employees": "wave"})
    assert inst.time_of("employees") == "wave"
    with pytest.raises(DataError, match="must be the customers' period"):
        Instrument(unit="s", time="wave", time_by_table={"customers": "month"})
    with pytest.raises(DataError, match="unknown table"):
        Instrument(unit="s", time_by_table={"units": "month"})


# -- reading the folder ---------------------------------------------------------------------------


def test_the_quarterly_folder_reads_each_table_with_its_period() -> None:
    s = load_study(QUARTERLY)
    assert (s.time, s.time_of("employees"), s.time_of("outcomes")) == ("month", "quarter",
                                                                       "month")
    assert s.customers["month"].iloc[0] == "2024-03" and "wave" not in s.customers
    assert s.employees["quarter"].iloc[0] == "2024Q1"
    assert s.outcomes.shape == (270, 4)  # one row per store and month
    assert s.outcomes[["store_id", "month"]].duplicated().sum() == 0
    # the old single form still reads the original folder as before
    own = load_study(OWN)
    assert own.time == own.time_of("outcomes") == "wave" and own.outcomes.shape == (90, 4)


def test_an_employees_table_without_its_period_names_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(QUARTERLY, folder)
    emp = pd.read_csv(folder / "employees.csv", dtype=str)
    emp.rename(columns={"quarter": "qtr"}).to_csv(folder / "employees.csv", index=False)
    with pytest.raises(SurveyValidationError, match=r"column 'quarter' \(time\.employees\) not "
                                                    r"found; close matches: \['qtr'\]"):
        load_study(folder, tables=["employees"])
    assert load_study(folder, tables=["customers"]).time == "month"  # customers are fine


# -- the alignment rule ---------------------------------------------------------------------------


def test_period_kinds_are_read_from_the_values() -> None:
    assert PERIOD_KINDS == ("day", "month", "quarter", "year")
    cases = {
        "day": [pd.Series(["2024-01-15", None]), pd.Series(pd.to_datetime(["2024-02-29"]))],
        "month": [pd.Series(["2024-01", "2024-12"])],
        "quarter": [pd.Series(["2024Q1", "2024-Q2", "2024 q3"]),
                    pd.Series(pd.period_range("2024Q1", periods=2, freq="Q"))],
        "year": [pd.Series([2023, 2024]), pd.Series(["2024"]), pd.Series([2023.0, None])],
        None: [pd.Series([1, 2, 3]), pd.Series(["W1", "W2"]), pd.Series(["2024-13"]),
               pd.Series(["2024-02-30"]), pd.Series(["2024-01", "2024Q1"]),
               pd.Series([None, None]), pd.Series([True, False]), pd.Series([2024.5])],
    }
    for kind, series in cases.items():
        for s in series:
            assert period_kind(s) == kind, (kind, s.tolist())


def test_linkage_aggregates_months_to_quarters() -> None:
    q = load_linkage_study(QUARTERLY)
    o = load_linkage_study(OWN)
    assert q.time == q.instrument.time == "quarter" and q.instrument.time_by_table == {}
    assert q.period_alignment == (
        "linked by quarter: customers' month (months) mapped to quarters; outcomes' month "
        "(months) mapped to quarters, averaged per store_id and quarter")
    assert o.period_alignment == "" and o.time == "wave"  # one period: nothing to align
    # customers: each month mapped to the quarter containing it
    months = q.customers["month"].str[-2:].astype(int)
    assert (q.customers["quarter"] == "2024Q" + ((months - 1) // 3 + 1).astype(str)).all()
    # the panel at quarters is own_survey's panel at waves (wave w = 2024Qw), to the last digit
    pq = unit_panel(q.employees, q.customers, q.instrument, q.outcomes)
    po = unit_panel(o.employees, o.customers, o.instrument, o.outcomes)
    po = po.assign(quarter="2024Q" + po["wave"].astype(str)).drop(columns="wave")
    assert list(pq.columns) == list(po.columns[:1]) + ["quarter"] + [
        c for c in po.columns[1:] if c != "quarter"]
    pd.testing.assert_frame_equal(pq, po[pq.columns], check_dtype=False, rtol=1e-12, atol=1e-9)
    # the outcomes: three monthly figures averaged to their quarter
    raw = load_study(QUARTERLY).outcomes
    first = raw[(raw["store_id"] == "S01") & raw["month"].isin(["2024-01", "2024-02",
                                                                "2024-03"])]
    assert pq.loc[0, "sales_growth"] == pytest.approx(first["sales_growth"].mean(), abs=1e-12)
    # unit_panel applies the same rule to the tables as read (the per-table instrument)
    s = load_study(QUARTERLY)
    pd.testing.assert_frame_equal(unit_panel(s.employees, s.customers, s.instrument,
                                             s.outcomes), pq)
    # the aggregation checks group by the coarser of the two tables' periods
    agg = aggregation_checks(s.employees, s.customers, s.instrument)
    ref = aggregation_checks(o.employees, o.customers, o.instrument)
    pd.testing.assert_frame_equal(agg, ref)
    assert linkage_precondition(q) is None and needs(q, "05:linkage") == []
    assert needs(s, "05:linkage") == []  # each table checked for its own period column


def test_the_rule_maps_to_the_coarsest_and_names_its_steps() -> None:
    inst = _inst({"customers": "month", "employees": "year", "outcomes": "quarter"})
    cus = pd.DataFrame({"store_id": ["a", "a", "b"], "month": ["2023-12", "2024-02", "2024-11"],
                        "sat": [4, 5, 3]})
    emp = pd.DataFrame({"store_id": ["a", "b"], "year": [2024, 2024]})
    out = pd.DataFrame({"store_id": ["a", "a", "b"], "quarter": ["2024Q1", "2024-Q2", "2024Q4"],
                        "growth": [1.0, 3.0, 5.0], "note": ["x", "y", "z"]})
    al = align_periods({"customers": cus, "employees": emp, "outcomes": out}, inst)
    assert al.time == "year" and al.changed
    assert al.tables["customers"]["year"].tolist() == ["2023", "2024", "2024"]
    assert al.tables["employees"]["year"].tolist() == ["2024", "2024"]
    assert al.tables["outcomes"].to_dict("list") == {
        "store_id": ["a", "b"], "year": ["2024", "2024"], "growth": [2.0, 5.0]}
    assert al.to_frame()["how"].tolist() == [
        "mapped to years", "as it is", "mapped to years, averaged per store_id and year"]
    assert "month" in cus and "year" not in cus  # the inputs are not modified
    # one column and one kind in every table: joined as they are (the single form)
    same = align_periods({"customers": cus, "outcomes": out.rename(columns={"quarter": "month"})
                          .assign(month=["2024-01", "2024-02", "2024-03"])},
                         _inst("month"))
    assert same.time == "month" and not same.changed
    assert same.tables["customers"] is cus
    # a table without a period: linked by unit alone, the outcomes averaged per unit
    pooled = align_periods({"customers": cus, "employees": emp, "outcomes": out},
                           _inst({"customers": "month", "outcomes": "quarter"}))
    assert pooled.time is None
    assert pooled.tables["outcomes"].to_dict("list") == {"store_id": ["a", "b"],
                                                         "growth": [2.0, 5.0]}
    assert pooled.tables["customers"] is cus
    assert pooled.summary() == (
        "linked by unit alone: customers' month (months) pooled over periods; outcomes' "
        "quarter (quarters) averaged per store_id")


def test_labels_that_cannot_be_mapped_give_a_clear_error_and_the_fix_works() -> None:
    inst = _inst({"customers": "month", "employees": "quarter"})
    cus = pd.DataFrame({"store_id": ["a", "a"], "month": [1, 4], "sat": [4, 5]})
    emp = pd.DataFrame({"store_id": ["a", "a"], "quarter": ["2024Q1", "2024Q2"]})
    with pytest.raises(DataError) as info:
        align_periods({"customers": cus, "employees": emp}, inst)
    assert str(info.value) == (
        "cannot link the tables by store_id and period: the customers' periods 'month' are "
        "labels (e.g. 1, 4); the employees' periods 'quarter' are quarters (e.g. 2024Q1, "
        "2024Q2); labels cannot be mapped to another period. To fix it, add a column 'quarter' "
        "to the customers with the quarter of each row (e.g. 2024Q1), or give the customers' "
        "periods as dates, months (2024-01), quarters (2024Q1) or years (2024), which are "
        "mapped to the coarsest.")
    # the fix: the customers carry the quarter themselves
    fixed = align_periods({"customers": cus.assign(quarter=["2024-Q1", "2024Q2"]),
                           "employees": emp}, inst)
    assert fixed.tables["customers"]["quarter"].tolist() == ["2024Q1", "2024Q2"]
    assert fixed.to_frame()["how"].tolist() == ["linked by its own column 'quarter'",
                                                "as it is"]
    # labels in one table, the other carrying them too: linked by the labels as they are
    waves = align_periods({"customers": cus.assign(month=["2024-01", "2024-04"], wave=[1, 2]),
                           "employees": emp.rename(columns={"quarter": "wave"})
                           .assign(wave=[1, 2])},
                          _inst({"customers": "month", "employees": "wave"}))
    assert waves.time == "wave" and waves.tables["customers"]["wave"].tolist() == [1, 2]
    assert waves.to_frame()["how"].tolist() == ["linked by its own column 'wave'", "as it is"]
    # labels under two names cannot be told apart
    with pytest.raises(DataError, match="add a column 'month' to the employees"):
        align_periods({"customers": cus, "employees": emp.assign(quarter=[1, 2])}, inst)
    with pytest.raises(DataError, match=r"argument 'tables': unknown table\(s\) \['units'\]"):
        align_periods({"units": cus}, inst)


def test_a_bad_mapping_in_a_folder_stops_only_the_linkage(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(QUARTERLY, folder)
    cus = pd.read_csv(folder / "customers.csv", dtype=str)
    cus["month"] = cus["month"].str[-2:].astype(int).astype(str)  # 1..9: labels
    cus.to_csv(folder / "customers.csv", index=False)
    with pytest.raises(DataError, match=r"the customers' periods 'month' are labels .* add a "
                                        r"column 'quarter' to the customers"):
        load_linkage_study(folder)
    frame = check_folder(folder).to_frame().set_index("notebook")
    assert frame.loc["01_measuring_cx", "can_run"]
    assert not frame.loc["05_linkage_ex_cx_outcomes", "can_run"]
    assert "cannot link the tables by store_id and period" in frame.loc[
        "05_linkage_ex_cx_outcomes", "missing"]


# -- no time ------------------------------------------------------------------------------------


def _without_time(folder: Path, time: object = None) -> None:
    spec = yaml.safe_load((folder / "instrument.yml").read_text())
    if time is None:
        spec.pop("time")
    else:
        spec["time"] = time
    (folder / "instrument.yml").write_text(Instrument.from_dict(spec).to_yaml())


def test_no_time_accepts_outcomes_with_one_row_per_unit(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(OWN, folder)
    _without_time(folder)
    with pytest.raises(SurveyValidationError, match=r"one row per unit, as the instrument "
                                                    r"gives the outcomes no period"):
        load_study(folder)  # outcomes per store and wave, but no period declared
    out = pd.read_csv(folder / "outcomes.csv")
    out[out["wave"] == 3].drop(columns="wave").to_csv(folder / "outcomes.csv", index=False)
    s = load_linkage_study(folder)
    assert s.time is None and s.outcomes.shape == (30, 3)
    assert needs(s, "05:outcomes") == [] and needs(s, "05:linkage") == []
    # per-table periods without the outcomes: EX and CX pooled per store, as the outcomes
    _without_time(folder, {"customers": "wave", "employees": "wave"})
    s = load_linkage_study(folder)
    assert s.time is None and s.period_alignment.startswith("linked by unit alone")
    panel = unit_panel(s.employees, s.customers, s.instrument, s.outcomes)
    assert panel.shape[0] == 30 and "sales_growth" in panel


def test_dates_in_a_parquet_table_are_days_mapped_to_quarters(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(QUARTERLY, folder)
    cus = pd.read_csv(folder / "customers.csv", dtype={"month": str})
    cus["visited"] = pd.to_datetime(cus.pop("month") + "-15")
    cus.to_parquet(folder / "customers.parquet")
    (folder / "customers.csv").unlink()
    spec = yaml.safe_load((folder / "instrument.yml").read_text())
    spec["time"]["customers"] = "visited"
    (folder / "instrument.yml").write_text(Instrument.from_dict(spec).to_yaml())
    s = load_study(folder, tables=["customers"])
    assert pd.api.types.is_datetime64_any_dtype(s.customers["visited"])  # kept as dates
    linked = load_linkage_study(folder)
    assert linked.period_alignment.startswith(
        "linked by quarter: customers' visited (days) mapped to quarters")
    ref = load_linkage_study(QUARTERLY)
    pd.testing.assert_series_equal(linked.customers["quarter"], ref.customers["quarter"])
