"""Tests for cxresearch.io.readers: the bad-input corpus, column mapping, PII, SPSS/Excel,
load_study.

References: the corpus files in tests/data/bad_inputs/ were written by hand (see its README.md);
expected rows and columns below are read off those files, not produced by the code under test.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.io.readers import (
    TABLE_SPECS,
    SurveyValidationError,
    _validate_table,
    data_dictionary,
    load_study,
    read_survey,
    study_overview,
    write_set_aside,
)
from cxresearch.simulate.study import StudyParams, simulate_study

BAD = Path(__file__).parent / "data" / "bad_inputs"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("name", "kwargs", "must_contain"),
    [
        ("wrong_scale.csv", {}, ["column 'csat'", "outside 1..5", "rows [1, 3]", "[3, 5]"]),
        ("text_in_numeric.csv", {}, ["column 'nps'", "text in a numeric column", "rows [1, 2]"]),
        ("duplicate_ids.csv", {}, ["column 'respondent_id'", "duplicated", "rows [0, 2]"]),
        ("missing_column.csv", {}, ["missing required column(s) ['respondent_id']",
                                    "found ['id_number', 'nps', 'csat']"]),
        ("latin1.csv", {}, ["not valid utf-8", "column 'comment'", "line 3 (row 1)"]),
        ("empty.csv", {}, ["empty", "respondent_id"]),
        ("header_only.csv", {}, ["no data rows"]),
        ("ragged.csv", {}, ["line 3 has 4 fields", "(row 1)"]),
        ("two_row_header.xlsx", {}, ["second header row", "header=[0, 1]", "spreadsheet row 2"]),
    ],
)  # fmt: skip
def test_bad_input_corpus_rejected_with_column_and_rows(
    name: str, kwargs: dict, must_contain: list[str]
) -> None:
    path = BAD / name
    before = _digest(path)
    with pytest.raises(SurveyValidationError) as info:
        read_survey(path, kind="customers", **kwargs)
    msg = str(info.value)
    for part in must_contain:
        assert part in msg, (part, msg)
    assert isinstance(info.value, ValueError)
    assert "Traceback" not in msg and "pandas" not in msg
    assert _digest(path) == before  # input never modified


def test_fixes_suggested_by_the_messages_work() -> None:
    df = read_survey(BAD / "two_row_header.xlsx", kind="customers", header=[0, 1])
    assert df["nps"].tolist() == [9, 6, 10]
    df = read_survey(BAD / "latin1.csv", kind="customers", encoding="latin-1")
    assert df["comment"].tolist() == ["fine", "très bien"]


def test_spss_with_column_mapping() -> None:
    mapping = {"RespID": "respondent_id", "Q1_Recommend": "nps", "Q2_Satisfied": "csat"}
    df = read_survey(BAD / "good_customers.sav", kind="customers", columns=mapping)
    assert df["respondent_id"].tolist() == ["r01", "r02", "r03"]
    assert df["nps"].dtype == "Int64" and df["nps"].tolist() == [9, 4, 8]
    assert df["csat"].isna().tolist() == [False, False, True]
    assert df.attrs["read_report"]["renamed"] == mapping
    with pytest.raises(SurveyValidationError, match=r"names column\(s\) \['Nope'\]"):
        read_survey(BAD / "good_customers.sav", kind="customers", columns={"Nope": "nps"})


def test_pii_dropped_with_report_unless_kept() -> None:
    df = read_survey(BAD / "with_pii.csv", kind="customers")
    assert df.columns.tolist() == ["respondent_id", "nps"]
    dropped = df.attrs["read_report"]["dropped_pii"]
    assert [d["column"] for d in dropped] == ["Full Name", "contact", "Phone"]
    assert [d["reason"] for d in dropped] == ["person_name", "email", "phone"]
    assert all(d["evidence"] for d in dropped)  # why: a name token or what the values look like
    kept = read_survey(BAD / "with_pii.csv", kind="customers", keep_pii=["contact"])
    assert "contact" in kept.columns and "Phone" not in kept.columns
    assert "Phone" in read_survey(BAD / "with_pii.csv", kind="customers", keep_pii=True)


def test_excel_and_csv_round_trip(tmp_path: Path) -> None:
    src = pd.DataFrame(
        {"Respondent ID": ["a", "b", "c"], "NPS": [10, 0, 7], "CES": [7, None, 1]}
    )
    src.to_excel(tmp_path / "x.xlsx", index=False)
    df = read_survey(tmp_path / "x.xlsx", kind="customers",
                     columns={"Respondent ID": "respondent_id"})  # fmt: skip
    assert df["nps"].tolist() == [10, 0, 7]  # "NPS" matched case-insensitively
    assert df["ces"].isna().tolist() == [False, True, False]
    (tmp_path / "x.csv").write_text("respondent_id,culture_1,engagement_2\ne1,5,\ne2,1,3\n")
    emp = read_survey(tmp_path / "x.csv", kind="employees")
    assert emp["engagement_2"].isna().tolist() == [True, False]
    with pytest.raises(SurveyValidationError, match=r"column 'culture_1'.*not whole"):
        _validate_table(pd.DataFrame({"respondent_id": ["a"], "culture_1": [2.5]}), "employees")
    with pytest.raises(ValueError, match="argument 'kind'"):
        read_survey(tmp_path / "x.csv", kind="staff")


def test_validate_table_does_not_modify_input_and_checks_enums() -> None:
    firms = pd.DataFrame({"firm_id": ["F1", "F2"], "cx_owner": ["ceo", "the board"]})
    copy = firms.copy()
    with pytest.raises(SurveyValidationError, match=r"column 'cx_owner'.*not in.*rows \[1\]"):
        _validate_table(firms, "firms")
    pd.testing.assert_frame_equal(firms, copy)
    fy = pd.DataFrame({"firm_id": ["F1", "F1"], "year": [2020, 2020]})
    with pytest.raises(SurveyValidationError, match=r"\['firm_id', 'year'\].*duplicated"):
        _validate_table(fy, "firm_years")


def test_load_study_round_trip_parquet_and_csv(tmp_path: Path) -> None:
    s = simulate_study(StudyParams(n_firms=12, n_years=3), seed=4)
    for name, frame in s.tables().items():
        if name in ("firms", "employees"):
            frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
        else:
            frame.to_csv(tmp_path / f"{name}.csv", index=False)
    loaded = load_study(tmp_path)
    for name, frame in s.tables().items():
        pd.testing.assert_frame_equal(loaded.tables()[name], frame)
    assert loaded.truth == {}


def test_load_study_missing_table_and_bad_reference(tmp_path: Path) -> None:
    s = simulate_study(StudyParams(n_firms=5, n_years=2), seed=4)
    s.firms.to_csv(tmp_path / "firms.csv", index=False)
    s.firm_years.to_csv(tmp_path / "firm_years.csv", index=False)
    with pytest.raises(SurveyValidationError) as info:
        load_study(tmp_path)
    msg = str(info.value)
    assert "missing table(s)" in msg and "employees" in msg and "customers" in msg
    assert "found files ['firm_years.csv', 'firms.csv']" in msg
    s.employees.to_csv(tmp_path / "employees.csv", index=False)
    cust = s.customers.copy()
    cust.loc[3, "firm_id"] = "F9999"
    cust.to_csv(tmp_path / "customers.csv", index=False)
    with pytest.raises(SurveyValidationError, match=r"customers: column 'firm_id'.*rows \[3\]"):
        load_study(tmp_path)
    cust = s.customers.drop(columns=["ces"])
    cust.to_csv(tmp_path / "customers.csv", index=False)
    with pytest.raises(SurveyValidationError, match=r"missing required column\(s\) \['ces'\]"):
        load_study(tmp_path)


def test_load_study_subset_of_tables_and_excel_export(tmp_path: Path) -> None:
    s = simulate_study(StudyParams(n_firms=6, n_years=2), seed=5)
    s.firms.to_csv(tmp_path / "firms.csv", index=False)
    s.customers.to_excel(tmp_path / "customers.xlsx", index=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(SurveyValidationError, match=r"this study needs \['customers', 'employees"):
        load_study(tmp_path)
    loaded = load_study(tmp_path, tables=["firms", "customers"])
    assert len(loaded.customers) == len(s.customers)
    pd.testing.assert_series_equal(
        loaded.customers["nps"].astype(float), s.customers["nps"].astype(float)
    )
    assert loaded.employees is None and loaded.firm_years is None  # not asked for: not read
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "inputs untouched"
    with pytest.raises(ValueError, match="argument 'tables': unknown table"):
        load_study(tmp_path, tables=["customer"])


def test_bundled_data_loads_with_truth() -> None:
    s = load_study()
    assert s.firms.shape[0] == 300
    assert s.truth["ex_to_cx"] == pytest.approx(0.3)
    assert s.latent is not None and {"ex", "cx"} <= set(s.latent.columns)


def test_specs_cover_the_simulation_columns() -> None:
    s = simulate_study(StudyParams(n_firms=5, n_years=2), seed=0)
    for name, frame in s.tables().items():
        assert [c.name for c in TABLE_SPECS[name]] == frame.columns.tolist()
    assert np.isfinite(s.firm_years["revenue"]).all()


def test_copy_of_corpus_is_unchanged_after_all_reads(tmp_path: Path) -> None:
    dst = tmp_path / "corpus"
    shutil.copytree(BAD, dst)
    for f in sorted(dst.iterdir()):
        if f.suffix in (".csv", ".xlsx", ".sav"):
            with contextlib.suppress(SurveyValidationError):
                read_survey(f, kind="customers")
    assert {f.name: _digest(f) for f in dst.iterdir()} == {
        f.name: _digest(f) for f in BAD.iterdir()
    }


def test_data_dictionary_and_overview() -> None:
    d = data_dictionary()
    assert set(d["table"]) == {"customers", "employees", "firms", "firm_years"}
    row = d[(d["table"] == "firms") & (d["column"] == "cx_owner")].iloc[0]
    assert row["allowed"] == "cx_leader, ceo, coo, cmo, everyone"
    assert d.loc[d["column"] == "culture_4", "meaning"].str.contains("REVERSE").all()
    s = simulate_study(StudyParams(n_firms=8, n_years=3), seed=1)
    o = study_overview(s).set_index("table")
    assert o.loc["firm_years", "rows"] == 24 and o.loc["firms", "firms"] == 8
    # missing share equals a direct count on the employees table
    emp = s.employees
    assert o.loc["employees", "missing_share"] == pytest.approx(
        emp.isna().sum().sum() / emp.size
    )


def test_one_error_type_one_vocabulary_one_file_rule(tmp_path: Path) -> None:
    from cxresearch.core import contract
    from cxresearch.core.validation import DataError
    from cxresearch.io.readers import TABLE_SUFFIXES, find_table

    assert issubclass(SurveyValidationError, DataError)
    # the specs are built from the contract: ranges, reverse keys, categories
    specs = {s.name: s for kind in TABLE_SPECS.values() for s in kind}
    for item, (lo, hi) in contract.ITEM_RANGES.items():
        assert (specs[item].minimum, specs[item].maximum) == (lo, hi), item
    assert "REVERSE-KEYED: score as 6 - value" in specs["culture_4"].description
    assert specs["industry"].enum == contract.INDUSTRIES
    assert specs["cx_owner"].enum == contract.OWNERS
    # the table's name starts the message
    frame = pd.DataFrame({"respondent_id": ["a"], "csat": [9]})
    with pytest.raises(SurveyValidationError, match=r"^export\.csv \(customers\)"):
        _validate_table(frame, "customers", name="export.csv")
    # one rule for finding a table: Parquet first, then CSV, Excel, SPSS
    assert TABLE_SUFFIXES == (".parquet", ".csv", ".xlsx", ".sav")
    assert find_table(tmp_path, "firms") is None
    (tmp_path / "firms.sav").write_bytes(b"")
    (tmp_path / "firms.csv").write_text("firm_id\n")
    assert find_table(tmp_path, "firms") == tmp_path / "firms.csv"
    (tmp_path / "firms.parquet").write_bytes(b"")
    assert find_table(str(tmp_path), "firms") == tmp_path / "firms.parquet"


# -- platform exports, personal data, instruments (issue 12) ---------------------------------

EXPORTS = Path(__file__).parent / "data" / "exports"
INSTRUMENTS = Path(__file__).parent / "data" / "instruments"
OWN = Path(__file__).parent / "data" / "own_survey"
NPS_Q = "How likely are you to recommend Northwind Outfitters to a friend or colleague?"
#: what the fixtures' README says each export carries (platform, extra header rows, personal
#: columns dropped), and a mapping a new user would write (by column id or question text)
PLATFORM_CASES = [
    ("qualtrics_customers.csv", "qualtrics", 2, {"Q1": "nps", "Q2": "csat", "Q3": "ces"},
     ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
      "LocationLatitude", "LocationLongitude"]),
    ("qualtrics_customers.tsv", "qualtrics", 2, {NPS_Q: "nps"},
     ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
      "LocationLatitude", "LocationLongitude"]),
    ("qualtrics_legacy.csv", "qualtrics", 1, {"Q1": "nps"},
     ["Name", "EmailAddress", "IPAddress", "LocationLatitude", "LocationLongitude"]),
    ("qualtrics_customers.sav", "qualtrics", 0, {"Q1": "nps", "Q2": "csat", "Q3": "ces"},
     ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
      "LocationLatitude", "LocationLongitude"]),
    ("surveymonkey_customers.csv", "surveymonkey", 1,
     {"How likely is it that you would recommend Northwind Outfitters to a friend or "
      "colleague?": "nps"},
     ["IP Address", "Email Address", "First Name", "Last Name"]),
    ("surveymonkey_customers.xlsx", "surveymonkey", 1,
     {"How likely is it that you would recommend Northwind Outfitters to a friend or "
      "colleague?": "nps"},
     ["IP Address", "Email Address", "First Name", "Last Name"]),
    ("google_forms_customers.csv", "google_forms", 0, {NPS_Q: "nps"},
     ["Email Address", "How can we reach you if you'd like a reply? (optional)"]),
    ("plain_customers.csv", "plain", 0, {"ltr": "nps"}, ["customer_email", "contact"]),
]


@pytest.mark.parametrize(("name", "platform", "extra_rows", "columns", "dropped"),
                         PLATFORM_CASES, ids=[c[0] for c in PLATFORM_CASES])
def test_platform_exports_read_with_their_report(
    name: str, platform: str, extra_rows: int, columns: dict, dropped: list[str]
) -> None:
    path = EXPORTS / name
    before = _digest(path)
    df = read_survey(path, "customers", columns)
    report = df.attrs["read_report"]
    assert (report["platform"], report["header_rows_dropped"]) == (platform, extra_rows)
    assert [d["column"] for d in report["dropped_pii"]] == dropped
    assert all(d["reason"] and d["evidence"] for d in report["dropped_pii"])
    assert df["nps"].dtype == "Int64" and df["nps"].between(0, 10).all()
    assert df["respondent_id"].is_unique  # ResponseId / Respondent ID / made from rows
    if platform != "plain":  # question text kept under the analysis' name
        assert "recommend" in df.attrs["labels"]["nps"]
    text = df.astype(str).to_string()
    for value in ("@example.", "192.0.2.", "Okafor", "+44 20 7946"):
        assert value not in text, value  # no personal value survives, free text included
    assert _digest(path) == before
    # the same file with an explicit source
    again = read_survey(path, "customers", columns, source=platform)
    pd.testing.assert_frame_equal(again, df)


def test_qualtrics_export_personal_data_dropped_and_free_text_redacted() -> None:
    df = read_survey(EXPORTS / "qualtrics_customers.csv", "customers",
                     {"Q1": "nps", "Q2": "csat", "Q3": "ces"})
    report = df.attrs["read_report"]
    reasons = {d["column"]: d["reason"] for d in report["dropped_pii"]}
    assert reasons == {"IPAddress": "ip_address", "RecipientLastName": "person_name",
                       "RecipientFirstName": "person_name", "RecipientEmail": "email",
                       "LocationLatitude": "geolocation", "LocationLongitude": "geolocation"}
    assert [d["column"] for d in report["redacted_pii"]] == ["Q4_TEXT"]
    assert df["Q4_TEXT"].str.contains(r"\[e-mail\]|\[phone\]").sum() == 2
    assert "ExternalReference" in df.columns  # a pseudonymous CRM key, kept
    with pytest.raises(SurveyValidationError, match="source='surveymonkey'"):
        read_survey(EXPORTS / "qualtrics_customers.csv", "customers", source="surveymonkey")
    kept = read_survey(EXPORTS / "qualtrics_customers.csv", "customers", {"Q1": "nps"},
                       keep_pii=["IPAddress"])
    assert "IPAddress" in kept.columns and "RecipientEmail" not in kept.columns


def test_google_forms_respondents_get_row_ids() -> None:
    df = read_survey(EXPORTS / "google_forms_customers.csv", "customers", {NPS_Q: "nps"})
    assert df["respondent_id"].tolist()[:3] == ["row01", "row02", "row03"]
    assert "Google Forms export has no respondent id" in df.attrs["read_report"]["notes"][0]


def test_read_survey_against_an_instrument_keeps_the_files_names() -> None:
    inst = INSTRUMENTS / "plain_customers.yml"
    df = read_survey(EXPORTS / "plain_customers.csv", "customers", instrument=inst)
    assert {"ltr", "sat", "effort", "d4", "store_id", "w"} <= set(df.columns)
    assert "nps" not in df.columns  # not renamed: the instrument says ltr is the NPS
    assert str(df["ltr"].dtype) == "Int64" and df["w"].dtype == float
    assert df["wave"].dtype == "int64"
    bad = INSTRUMENTS / "issue_example.yml"  # declares d5..d8, which the file lacks
    with pytest.raises(SurveyValidationError) as info:
        read_survey(EXPORTS / "plain_customers.csv", "customers", instrument=bad)
    assert "column 'd5' (drivers.items) not found" in str(info.value)
    from cxresearch.io.instrument import Instrument

    wrong = Instrument.from_dict({"unit": "store_id", "metrics": {
        "csat": {"column": "sat", "range": [1, 4]}}})
    with pytest.raises(SurveyValidationError, match=r"column 'sat' \(metrics\.csat\.column\): "
                                                   r"\d+ value\(s\) outside 1\.\.4"):
        read_survey(EXPORTS / "plain_customers.csv", "customers", instrument=wrong)


def test_an_instrument_range_overrides_the_contracts(tmp_path: Path) -> None:
    """A 7-point CSAT under the contract's name: the instrument's range wins."""
    (tmp_path / "c.csv").write_text("respondent_id,store_id,csat\na,S1,7\nb,S2,6\n")
    from cxresearch.io.instrument import Instrument

    inst = Instrument.from_dict({"unit": "store_id", "metrics": {
        "csat": {"column": "csat", "range": [1, 7]}}})
    assert read_survey(tmp_path / "c.csv", "customers", instrument=inst)["csat"].tolist() == [7, 6]
    with pytest.raises(SurveyValidationError, match=r"outside 1\.\.5"):
        read_survey(tmp_path / "c.csv", "customers")  # without it, the contract's 1-5


def test_load_study_instrument_sources_and_default(tmp_path: Path) -> None:
    from cxresearch.io.instrument import Instrument
    from cxresearch.io.readers import default_instrument

    folder = tmp_path / "own"
    shutil.copytree(OWN, folder)
    s = load_study(folder, tables=["customers"])
    assert s.instrument.source == "instrument.yml" and not s.instrument_default
    assert s.units is not None and s.employees is None and s.outcomes is None
    other = tmp_path / "other.yml"
    other.write_text("unit: store_id\nmetrics:\n  nps: {column: ltr, range: [0, 10]}\n"
                     "segments: [channel]\n")
    s = load_study(folder, tables=["customers"], instrument=other)  # -p instrument=PATH wins
    assert s.instrument.segments == ("channel",) and s.available_segments() == ["channel"]
    (folder / "instrument.yml").unlink()
    with pytest.raises(SurveyValidationError, match=r"units.csv \(units\): missing key "
                                                   r"column\(s\) \['firm_id'\]"):
        load_study(folder, tables=["customers"])  # no instrument.yml: the bundled unit firm_id
    (folder / "units.csv").unlink()
    with pytest.raises(SurveyValidationError, match="none of the columns"):
        load_study(folder, tables=["customers"])  # the default's names are not in the file
    only = load_study(Path(__file__).parent / "data" / "customers_only", tables=["customers"])
    assert only.instrument_default and only.instrument.segments == ("region", "channel")
    assert default_instrument().segments == () and default_instrument().unit == "firm_id"
    assert Instrument.bundled().scales == default_instrument().scales


def test_load_study_drops_personal_data_from_parquet_too(tmp_path: Path) -> None:
    s = simulate_study(StudyParams(n_firms=4, n_years=2), seed=1)
    cust = s.customers.assign(email=[f"c{k}@example.com" for k in range(len(s.customers))])
    cust.to_parquet(tmp_path / "customers.parquet", index=False)
    loaded = load_study(tmp_path, tables=["customers"])
    assert "email" not in loaded.customers.columns
    assert loaded.reports["customers"]["dropped_pii"][0]["reason"] == "email"
    pd.testing.assert_frame_equal(loaded.customers, s.customers)


def test_load_study_table_names_and_strictness(tmp_path: Path) -> None:
    s = simulate_study(StudyParams(n_firms=4, n_years=2), seed=2)
    s.firms.to_csv(tmp_path / "firms.csv", index=False)
    s.customers.drop(columns=["ces", "referrals"]).to_csv(tmp_path / "customers.csv",
                                                         index=False)
    loaded = load_study(tmp_path, tables=["customers", "units"])  # units: firms, here
    assert loaded.units is loaded.firms and "ces" not in loaded.customers.columns
    with pytest.raises(SurveyValidationError, match=r"missing required column\(s\) \['ces'"):
        load_study(tmp_path, tables=["customers"], strict=True)
    assert "firms: 4 rows" in loaded.summary()


# -- data hygiene: unfinished and preview responses, rows set aside (issue 22) ------------------

HYGIENE = EXPORTS / "qualtrics_hygiene.csv"
HYGIENE_MAP = {"Q1": "nps", "Q2": "csat", "Q3": "ces"}
#: the fixture's answer key (make_fixtures.HYGIENE): responses 3, 10 and 15 unfinished, 8 a
#: preview (with Q1 = 12), 5 (Q1 = 11, file line 8) and 13 (Q3 = 9, file line 16) out of range
UNFINISHED = ["R_h03QpLmNoRsTuVw", "R_h10QpLmNoRsTuVw", "R_h15QpLmNoRsTuVw"]
PREVIEW = ["R_h08QpLmNoRsTuVw"]
OUT_OF_RANGE = ["R_h05QpLmNoRsTuVw", "R_h13QpLmNoRsTuVw"]
_FIXTURE_PERSONAL = re.compile(r"@example\.|203\.0\.113\.|Fictional|Testperson|51\.5072")


def test_unfinished_and_preview_responses_are_excluded_and_counted() -> None:
    df = read_survey(HYGIENE, "customers", HYGIENE_MAP, on_invalid="set_aside")
    report = df.attrs["read_report"]
    assert (report["excluded_incomplete"], report["rows"], len(df)) == (4, 14, 14)
    assert {k: report["incomplete"][k] for k in ("found", "unfinished", "preview", "kept")} == {
        "found": 4, "unfinished": 3, "preview": 1, "kept": False}
    assert "Progress < 100" in report["incomplete"]["rule"]
    assert "Survey Preview" in report["incomplete"]["rule"]
    assert not set(df["respondent_id"]) & set(UNFINISHED + PREVIEW + OUT_OF_RANGE)
    assert any("keep_incomplete=True" in n for n in report["notes"])
    kept = read_survey(HYGIENE, "customers", HYGIENE_MAP, keep_incomplete=True,
                       on_invalid="set_aside")
    r2 = kept.attrs["read_report"]
    assert (r2["excluded_incomplete"], r2["incomplete"]["kept"], len(kept)) == (0, True, 17)
    assert set(UNFINISHED) <= set(kept["respondent_id"])  # the preview's Q1 = 12 is set aside
    assert r2["set_aside"] == 3 and PREVIEW[0] not in set(kept["respondent_id"])
    assert "4 unfinished or preview response(s) kept" in r2["notes"][0]


def test_errors_after_exclusion_still_name_the_file_lines() -> None:
    with pytest.raises(SurveyValidationError) as err:
        read_survey(HYGIENE, "customers", HYGIENE_MAP)  # on_invalid="raise" is the default
    msg = str(err.value)
    assert "column 'nps': 1 value(s) outside 0..10" in msg and "(file lines [8])" in msg
    assert "column 'ces': 1 value(s) outside 1..7" in msg and "(file lines [16])" in msg
    assert "12" not in msg.split("first values")[1]  # the excluded preview is not reported
    with pytest.raises(SurveyValidationError, match=r"2 value\(s\) outside 0..10 .*"
                                                    r"\(file lines \[8, 11\]\)"):
        read_survey(HYGIENE, "customers", HYGIENE_MAP, keep_incomplete=True)


def test_set_aside_rows_are_listed_by_response_id_without_personal_data(
        tmp_path: Path) -> None:
    df = read_survey(HYGIENE, "customers", HYGIENE_MAP, on_invalid="set_aside")
    report = df.attrs["read_report"]
    assert report["on_invalid"] == "set_aside" and report["set_aside"] == 2
    assert report["set_aside_reasons"] == [
        {"column": "nps", "rule": "outside 0..10", "rows": 1},
        {"column": "ces", "rule": "outside 1..7", "rows": 1}]
    path = write_set_aside(df, tmp_path / "out" / "set_aside.csv")
    text = path.read_text()
    assert text.splitlines() == [
        "response_id,column,value,reason",
        "R_h05QpLmNoRsTuVw,nps,11,outside 0..10",
        "R_h13QpLmNoRsTuVw,ces,9,outside 1..7",
    ]
    assert not _FIXTURE_PERSONAL.search(text)
    # nothing set aside: a file with the header only; the default report says "raise"
    clean = read_survey(EXPORTS / "qualtrics_customers.csv", "customers", {"Q1": "nps"})
    assert clean.attrs["read_report"]["on_invalid"] == "raise"
    assert write_set_aside(clean, tmp_path / "none.csv").read_text().strip() == (
        "response_id,column,value,reason")


def test_set_aside_malformed_values_file_lines_and_personal_columns(tmp_path: Path) -> None:
    inst = tmp_path / "instrument.yml"
    inst.write_text("unit: store_id\nmetrics:\n  nps: {column: ltr, range: [0, 10]}\n"
                    "  csat: {column: phone_rating, range: [1, 5]}\n")
    f = tmp_path / "c.csv"
    f.write_text("respondent_id,store_id,ltr,phone_rating\nr1,S1,9,4\nr2,S1,ten,4\n"
                 "r3,S2,7.5,9\nr4,S2,-1,5\nr5,S2,10,5\n")
    df = read_survey(f, "customers", instrument=inst, on_invalid="set_aside")
    assert df["respondent_id"].tolist() == ["r1", "r5"] and df["ltr"].dtype == "Int64"
    rows = pd.read_csv(write_set_aside(df, tmp_path / "s.csv"), dtype=str)
    assert rows.to_dict("records") == [
        {"response_id": "line 3", "column": "ltr", "value": "ten",
         "reason": "text in a numeric column (metrics.nps.column)"},
        {"response_id": "line 4", "column": "phone_rating",
         "value": "[personal data withheld]", "reason": "outside 1..5 (metrics.csat.column)"},
        {"response_id": "line 5", "column": "ltr", "value": "-1",
         "reason": "outside 0..10 (metrics.nps.column)"},
    ]
    # an answer that holds personal data is not written either
    f.write_text("respondent_id,store_id,ltr,phone_rating\nr1,S1,9,4\nr2,S1,call me on "
                 "a.b@example.org or +44 20 7946 0018,4\nr3,S2,8,4\n")
    df = read_survey(f, "customers", instrument=inst, on_invalid="set_aside")
    text = write_set_aside(df, tmp_path / "s2.csv").read_text()
    assert "line 3,ltr," in text and "example.org" not in text and "7946" not in text
    # other problems are raised as before, with their own rows
    f.write_text("respondent_id,store_id,ltr,phone_rating\nr1,S1,9,4\nr1,S1,11,4\n")
    with pytest.raises(SurveyValidationError, match=r"2 duplicated value\(s\) at rows \[0, 1\]"):
        read_survey(f, "customers", instrument=inst, on_invalid="set_aside")
    with pytest.raises(DataError, match="argument 'on_invalid'"):
        read_survey(f, "customers", instrument=inst, on_invalid="drop")


def test_load_study_passes_keep_incomplete_and_on_invalid_through(tmp_path: Path) -> None:
    shutil.copy(HYGIENE, tmp_path / "customers.csv")
    (tmp_path / "instrument.yml").write_text(
        "unit: store_id\nmetrics:\n  nps: {column: Q1, range: [0, 10]}\n"
        "  csat: {column: Q2, range: [1, 5]}\n  ces: {column: Q3, range: [1, 7]}\n"
        "segments: [region]\n")
    with pytest.raises(SurveyValidationError, match=r"file lines \[8\]"):
        load_study(tmp_path, tables=["customers"])
    s = load_study(tmp_path, tables=["customers"], on_invalid="set_aside")
    rep = s.reports["customers"]
    assert (len(s.customers), rep["excluded_incomplete"], rep["set_aside"]) == (14, 4, 2)
    kept = load_study(tmp_path, tables=["customers"], on_invalid="set_aside",
                      keep_incomplete=True)
    assert len(kept.customers) == 17 and kept.reports["customers"]["incomplete"]["kept"]
    out = pd.read_csv(write_set_aside(kept, tmp_path / "run" / "set_aside.csv"), dtype=str)
    assert out.columns.tolist() == ["table", "response_id", "column", "value", "reason"]
    assert out["response_id"].tolist() == [OUT_OF_RANGE[0], PREVIEW[0], OUT_OF_RANGE[1]]
    assert set(out["table"]) == {"customers"} and set(out["column"]) == {"Q1", "Q3"}
    with pytest.raises(DataError, match="argument 'on_invalid'"):
        load_study(tmp_path, tables=["customers"], on_invalid="skip")


def test_bundled_and_plain_reads_exclude_nothing() -> None:
    rep = load_study(tables=["customers"]).reports["customers"]
    assert (rep["excluded_incomplete"], rep["set_aside"], rep["on_invalid"]) == (0, 0, "raise")
    sm = read_survey(EXPORTS / "surveymonkey_customers.csv", "customers",
                     {"How likely is it that you would recommend Northwind Outfitters to a "
                      "friend or colleague?": "nps"})
    assert len(sm) == 10 and "SurveyMonkey" in sm.attrs["read_report"]["incomplete"]["rule"]
