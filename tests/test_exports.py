"""Tests for cxresearch.io.exports: platform detection and normalisation of survey exports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.io.exports import (
    INCOMPLETE_RULES,
    SOURCES,
    Export,
    _detect_source,
    apply_columns,
    incomplete_rows,
    read_export,
)

EXPORTS = Path(__file__).parent / "data" / "exports"

NPS_Q = "How likely are you to recommend Northwind Outfitters to a friend or colleague?"
SAT_Q = "Overall, how satisfied are you with your most recent visit?"
SM_NPS = "How likely is it that you would recommend Northwind Outfitters to a friend or colleague?"
SM_SAT = "Overall, how satisfied or dissatisfied are you with our store?"
SM_CES = "How easy was it to get your issue resolved?"
SM_USED = "Which of the following did you use during your visit?"
SAT_WORDS = {"Very satisfied": 5, "Somewhat satisfied": 4,
             "Neither satisfied nor dissatisfied": 3, "Somewhat dissatisfied": 2,
             "Very dissatisfied": 1}
#: the answers every fixture holds (ten made-up customers)
NPS = [9, 10, 6, 8, 3, 10, 7, 9, 5, 8]
CSAT = [5, 5, 3, 4, 2, 5, 4, 4, 2, 4]
CES = [6, 7, 4, 5, 2, 7, 5, 6, 3, None]


def _list(s: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in s.tolist()]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# -- each fixture --------------------------------------------------------------------------------


EXPECTED = {
    # file: (source, rows, columns, header rows dropped)
    "qualtrics_customers.csv": ("qualtrics", 10, 23, 2),
    "qualtrics_customers.tsv": ("qualtrics", 10, 23, 2),
    "qualtrics_hygiene.csv": ("qualtrics", 20, 23, 2),
    "qualtrics_legacy.csv": ("qualtrics", 10, 17, 1),
    "qualtrics_customers.sav": ("qualtrics", 10, 23, 0),
    "surveymonkey_customers.csv": ("surveymonkey", 10, 18, 1),
    "surveymonkey_customers.xlsx": ("surveymonkey", 10, 18, 1),
    "google_forms_customers.csv": ("google_forms", 10, 8, 0),
    "plain_customers.csv": ("plain", 10, 17, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_is_recognised(name: str) -> None:
    source, rows, cols, dropped = EXPECTED[name]
    assert _detect_source(EXPORTS / name) == source
    e = read_export(EXPORTS / name)
    assert (e.source, e.data.shape, e.header_rows_dropped) == (source, (rows, cols), dropped)
    assert e.file == name
    assert e.data.attrs["labels"] == e.labels
    assert name in e.summary() and source in e.summary()
    assert e.to_frame().shape == (cols, 6)


def test_qualtrics_csv_three_header_rows() -> None:
    e = read_export(EXPORTS / "qualtrics_customers.csv")
    d = e.data
    assert d.columns[:3].tolist() == ["StartDate", "EndDate", "Status"]
    # the issue: the extra header rows are gone, so the answers are numbers
    assert str(d["Q1"].dtype) == "Int64"
    assert (_list(d["Q1"]), _list(d["Q2"]), _list(d["Q3"])) == (NPS, CSAT, CES)
    assert e.labels["Q1"] == NPS_Q and e.labels["Q2"] == SAT_Q
    assert e.labels["Status"] == "Response Type"
    assert "store_id" not in e.labels  # its label is its name
    assert e.ids["Q1"] == "QID1" and e.ids["ResponseId"] == "_recordId"
    assert d["ResponseId"].iloc[0] == "R_01aXbYcZdWeVfU"
    assert d["Q4_TEXT"].iloc[2] == "Queue was long;\nonly one till open"  # multi-line cell
    assert e.line_offset is None  # rows span several lines after the multi-line answer
    assert pd.isna(d["Q4_TEXT"].iloc[5]) and pd.isna(d["Q3"].iloc[9])
    assert d["LocationLatitude"].iloc[0] == pytest.approx(52.52)


def test_qualtrics_tsv_utf16_equals_the_csv() -> None:
    assert (EXPORTS / "qualtrics_customers.tsv").read_bytes()[:2] == b"\xff\xfe"
    csv_e = read_export(EXPORTS / "qualtrics_customers.csv")
    tsv_e = read_export(EXPORTS / "qualtrics_customers.tsv")
    pd.testing.assert_frame_equal(csv_e.data, tsv_e.data)
    assert csv_e.labels == tsv_e.labels and csv_e.ids == tsv_e.ids


def test_qualtrics_legacy_two_rows() -> None:
    e = read_export(EXPORTS / "qualtrics_legacy.csv")
    assert e.data.columns[:6].tolist() == ["ResponseID", "ResponseSet", "Name",
                                           "ExternalDataReference", "EmailAddress", "IPAddress"]
    assert e.ids["ResponseID"] == "V1" and e.ids["IPAddress"] == "V6"
    assert e.labels["Q1"] == NPS_Q
    assert (_list(e.data["Q1"]), _list(e.data["Q3"])) == (NPS, CES)
    assert e.line_offset is None


def test_qualtrics_sav_keeps_codes_and_value_labels() -> None:
    e = read_export(EXPORTS / "qualtrics_customers.sav")
    assert (_list(e.data["Q1"]), _list(e.data["Q2"]), _list(e.data["Q3"])) == (NPS, CSAT, CES)
    assert str(e.data["Q2"].dtype) == "Int64"
    assert e.labels["Q1"] == NPS_Q
    assert e.value_labels["Q2"][5] == "Extremely satisfied"
    assert e.value_labels["Q1"][0] == "0 - Not at all likely"
    assert e.value_labels["Finished"] == {0: "False", 1: "True"}
    assert pd.isna(e.data["Q4_TEXT"].iloc[5])  # SPSS's empty string is missing


def test_surveymonkey_two_row_header_is_flattened() -> None:
    e = read_export(EXPORTS / "surveymonkey_customers.csv")
    cols = e.data.columns.tolist()
    assert cols[:9] == ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
                        "Email Address", "First Name", "Last Name", "Custom Data 1"]
    assert cols[9:] == [
        SM_NPS, SM_SAT, SM_CES, f"{SM_USED} - Online chat", f"{SM_USED} - Phone",
        f"{SM_USED} - In-store staff", "Which store did you visit?",
        "Which store did you visit? - Other (please specify)", "What could we do better?",
    ]
    assert "Respondent ID" not in e.labels and e.labels[SM_NPS] == SM_NPS
    # labelled end points: the leading number is the answer, the label is kept
    assert _list(e.data[SM_NPS]) == NPS
    assert e.value_labels[SM_NPS] == {10: "Extremely likely"}
    assert _list(e.data[SM_CES]) == CES and e.value_labels[SM_CES] == {7: "Very easy"}
    # answer words stay text until a value_map says what they are worth
    assert e.data[SM_SAT].iloc[0] == "Very satisfied"
    mapped = read_export(EXPORTS / "surveymonkey_customers.csv", value_map={SM_SAT: SAT_WORDS})
    assert _list(mapped.data[SM_SAT]) == CSAT
    assert mapped.value_labels[SM_SAT][5] == "Very satisfied"


def test_surveymonkey_xlsx_equals_the_csv() -> None:
    a = read_export(EXPORTS / "surveymonkey_customers.csv")
    b = read_export(EXPORTS / "surveymonkey_customers.xlsx")
    pd.testing.assert_frame_equal(a.data, b.data)
    assert a.labels == b.labels and a.value_labels == b.value_labels
    assert b.line_offset == 3  # spreadsheet rows: two header rows, then row 0 on row 3


def test_google_forms() -> None:
    e = read_export(EXPORTS / "google_forms_customers.csv")
    assert e.data.columns[:2].tolist() == ["Timestamp", "Email Address"]
    assert _list(e.data[NPS_Q]) == NPS
    assert NPS_Q in e.labels and "Timestamp" not in e.labels and "Email Address" not in e.labels
    assert e.line_offset is None  # a multi-line answer


def test_plain() -> None:
    e = read_export(EXPORTS / "plain_customers.csv")
    assert e.labels == {} and e.ids == {}
    assert _list(e.data["ltr"]) == NPS and _list(e.data["effort"]) == CES
    assert e.data["w"].dtype == "float64" and e.data["store_id"].iloc[0] == "S01"


# -- numbers -------------------------------------------------------------------------------------


def test_number_rules(tmp_path: Path) -> None:
    p = _write(tmp_path, "n.csv", (
        "a,b,c,d,e,f,g\n"
        "1,0 - Not at all likely,3 - 4 times a week,007,+4915112345678,1 = Poor,0.5\n"
        "2,10 - Extremely likely,1 - 2 times a week,012,+4915112345679,3) Neutral,-1.25\n"
        ",5,Never,,,5. Excellent,\n"))
    d = read_export(p)
    assert _list(d.data["a"]) == [1, 2, None] and str(d.data["a"].dtype) == "Int64"
    assert _list(d.data["b"]) == [0, 10, 5]
    assert d.value_labels["b"] == {0: "Not at all likely", 10: "Extremely likely"}
    assert d.data["c"].tolist() == ["3 - 4 times a week", "1 - 2 times a week", "Never"]
    assert _list(d.data["d"]) == ["007", "012", None]  # leading zeros: a code, kept as text
    assert d.data["e"].iloc[0] == "+4915112345678"  # a leading +: kept as text
    assert _list(d.data["f"]) == [1, 3, 5] and d.value_labels["f"][5] == "Excellent"
    assert _list(d.data["g"]) == [0.5, -1.25, None] and d.data["g"].dtype == "float64"


def test_value_map_errors(tmp_path: Path) -> None:
    p = _write(tmp_path, "s.csv", "id,sat\nr1,Very satisfied\nr2,Meh\nr3,4\nr4,meh\n")
    e = read_export(p, value_map={"sat": {"very  SATISFIED": 5, "Meh": 3}})
    assert _list(e.data["sat"]) == [5, 3, 4, 3]
    with pytest.raises(DataError, match=r"s\.csv: column 'sat': 2 value\(s\) not in "
                                        r"value_map at rows \[1, 3\] \(file lines \[3, 5\]\): "
                                        r"\['Meh', 'meh'\]"):
        read_export(p, value_map={"sat": {"Very satisfied": 5}})
    with pytest.raises(DataError, match=r"'value_map' names column\(s\) \['satisfaction'\] "
                                        r"that are not in the file .*found \['id', 'sat'\]"):
        read_export(p, value_map={"satisfaction": {"Meh": 3}})


# -- columns= ------------------------------------------------------------------------------------


def test_columns_by_question_text_id_or_name() -> None:
    mapping = {NPS_Q: "nps", "QID2": "csat", "Q3": "ces", "ResponseId": "respondent_id"}
    e = read_export(EXPORTS / "qualtrics_customers.csv", columns=mapping)
    assert {"nps", "csat", "ces", "respondent_id"} <= set(e.data.columns)
    assert not {"Q1", "Q2", "Q3"} & set(e.data.columns)
    assert e.labels["nps"] == NPS_Q and e.ids["csat"] == "QID2"
    assert e.data.attrs["labels"]["nps"] == NPS_Q
    # question text matched ignoring case and runs of white space
    e2 = apply_columns(read_export(EXPORTS / "qualtrics_customers.csv"),
                       {"  how likely are you to recommend northwind outfitters to a friend or "
                        "COLLEAGUE?": "nps"})
    assert "nps" in e2.data.columns
    sm = read_export(EXPORTS / "surveymonkey_customers.csv",
                     columns={SM_NPS: "nps", "Custom Data 1": "store_id"})
    assert {"nps", "store_id"} <= set(sm.data.columns)


def test_columns_errors() -> None:
    e = read_export(EXPORTS / "qualtrics_customers.csv")
    with pytest.raises(DataError, match=r"argument 'columns' names column\(s\) \['How likely "
                                        r"are you to recomend Northwind'\] that are not in the "
                                        r"file .*close matches: \{'How likely are you to "
                                        r"recomend Northwind': \['How likely are you to "
                                        r"recommend Northwind"):
        apply_columns(e, {"How likely are you to recomend Northwind": "nps"})
    with pytest.raises(DataError, match="several columns the name"):
        apply_columns(e, {"Q1": "nps", "Q2": "nps"})
    with pytest.raises(DataError, match="mapped to both"):
        apply_columns(e, {"Q1": "nps", "QID1": "ltr"})
    with pytest.raises(DataError, match="several columns the name"):
        apply_columns(e, {"Q1": "Q2"})
    dup = Export(pd.DataFrame({"a": [1], "b": [2]}), {"a": "Rate us", "b": "Rate us"},
                 "qualtrics", file="m.csv")
    with pytest.raises(DataError, match=r"belongs to 2 columns \['a', 'b'\]; map each by its "
                                        "column id"):
        apply_columns(dup, {"Rate us": "nps"})
    with pytest.raises(TypeError):
        apply_columns(e, ["Q1"])  # type: ignore[arg-type]


# -- detection -----------------------------------------------------------------------------------


def test_detect_source_on_frames() -> None:
    assert _detect_source(pd.DataFrame({"ResponseId": ["R_1"], "StartDate": ["2024"],
                                       "Q1": ["9"]})) == "qualtrics"
    raw = pd.read_csv(EXPORTS / "surveymonkey_customers.csv", header=None, dtype=str,
                      keep_default_na=False)
    assert _detect_source(raw) == "surveymonkey"
    assert _detect_source(pd.DataFrame({"id": ["r1"], "nps": [9]})) == "plain"
    assert set(SOURCES) == {"qualtrics", "surveymonkey", "google_forms", "plain"}


def test_qualtrics_with_extra_rows_removed_by_hand(tmp_path: Path) -> None:
    lines = (EXPORTS / "qualtrics_customers.csv").read_text(encoding="utf-8-sig").splitlines()
    p = _write(tmp_path, "edited.csv", "\n".join([lines[0], *lines[3:]]) + "\n")
    e = read_export(p)
    assert (e.source, e.header_rows_dropped, e.labels) == ("qualtrics", 0, {})
    assert _list(e.data["Q1"]) == NPS


def test_explicit_source(tmp_path: Path) -> None:
    p = EXPORTS / "plain_customers.csv"
    assert read_export(p, source="google_forms").source == "google_forms"
    with pytest.raises(DataError, match="source='qualtrics', but the header is not a "
                                        "Qualtrics export's"):
        read_export(p, source="qualtrics")
    with pytest.raises(DataError, match=r"source='surveymonkey', but the second header row "
                                        r"\(line 2\) is not a row of sub-answers"):
        read_export(p, source="surveymonkey")
    with pytest.raises(DataError, match="argument 'source': 'spss' is not one of"):
        read_export(p, source="spss")
    # an explicit 'plain' reads a second header row as data, as asked
    two = _write(tmp_path, "two.csv", "id,nps\nID,Recommend\nr1,9\nr2,7\nr3,8\n")
    assert read_export(two, source="plain").data["nps"].tolist() == ["Recommend", "9", "7", "8"]


# -- errors --------------------------------------------------------------------------------------


def test_unrecognised_second_header(tmp_path: Path) -> None:
    p = _write(tmp_path, "two.csv", "id,nps,csat\nID,Recommend (0-10),Satisfaction\n"
                                    "r1,9,5\nr2,7,4\nr3,8,5\n")
    with pytest.raises(DataError, match=r"two\.csv: unrecognised header: line 2 \(row 0\) holds "
                                        r"text in column\(s\) \['nps', 'csat'\]"):
        read_export(p)


def test_ragged_row_names_line_and_row(tmp_path: Path) -> None:
    p = _write(tmp_path, "r.csv", "id,nps\nr1,9\nr2,7,oops\n")
    with pytest.raises(DataError, match=r"r\.csv: line 3 has 3 fields but the header has 2 "
                                        r"\(row 1\)"):
        read_export(p)
    q = _write(tmp_path, "q.csv", "ResponseId,StartDate,Q1\nResponse ID,Start Date\nR_1,x,9\n")
    with pytest.raises(DataError, match=r"line 2 has 2 fields but the header has 3 \(header "
                                        r"row 2\)"):
        read_export(q)
    # trailing empty fields are not ragged
    ok = _write(tmp_path, "ok.csv", "id,nps\nr1,9,,\nr2,7\n")
    assert read_export(ok).data.shape == (2, 2)


def test_encodings(tmp_path: Path) -> None:
    text = "id,comment\nr1,très bien\n"
    bad = _write(tmp_path, "latin.csv", text, "latin-1")
    with pytest.raises(DataError, match=r"latin\.csv: not valid utf-8: byte 0xe8 at line 2 "
                                        r"\(row 0\), in column 'comment'; re-save"):
        read_export(bad)
    # rows are counted after the platform's header rows
    lines = (EXPORTS / "qualtrics_customers.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    lines[4] = lines[4].replace("Found exactly", "Trouvé exactement, très")
    q = _write(tmp_path, "q.csv", "\r\n".join(lines), "cp1252")
    with pytest.raises(DataError, match=r"byte 0xe9 at line 5 \(row 1\), in column 'Q4_TEXT'"):
        read_export(q)
    assert read_export(bad, encoding="cp1252").data["comment"].iloc[0] == "très bien"
    for enc in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le"):
        p = _write(tmp_path, f"{enc}.csv", text, enc)
        assert read_export(p).data.columns.tolist() == ["id", "comment"], enc
        assert read_export(p).data["comment"].iloc[0] == "très bien", enc


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="column 2 has no name in the header"):
        read_export(_write(tmp_path, "a.csv", "id,,nps\nr1,x,9\n"))
    assert read_export(_write(tmp_path, "b.csv", "id,nps,\nr1,9,\n")).data.shape == (1, 2)
    with pytest.raises(DataError, match=r"column name\(s\) \['nps'\] appear more than once"):
        read_export(_write(tmp_path, "c.csv", "id,nps,nps\nr1,9,8\n"))
    with pytest.raises(DataError, match=r"e\.csv: the file is empty \(0 bytes\)"):
        read_export(_write(tmp_path, "e.csv", ""))
    with pytest.raises(DataError, match="no data rows"):
        read_export(_write(tmp_path, "h.csv", "id,nps\n"))
    with pytest.raises(DataError, match=r"unsupported file type '\.json'"):
        read_export(_write(tmp_path, "x.json", "{}"))
    with pytest.raises(FileNotFoundError):
        read_export(tmp_path / "nope.csv")


def test_input_files_are_never_modified() -> None:
    files = sorted(p for p in EXPORTS.iterdir() if p.suffix not in (".py", ".md"))
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    for p in files:
        read_export(p, columns={"store_id": "unit"} if "qualtrics_customers" in p.name else None)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert before == after


def test_export_is_frozen() -> None:
    e = read_export(EXPORTS / "plain_customers.csv")
    with pytest.raises(AttributeError):
        e.source = "qualtrics"  # type: ignore[misc]


# -- unfinished and preview responses, file lines (issue 22) -----------------------------------


def testincomplete_rows_of_the_hygiene_fixture() -> None:
    e = read_export(EXPORTS / "qualtrics_hygiene.csv")
    unfinished, preview, rule = incomplete_rows(e.data, e.source)
    ids = e.data["ResponseId"]
    # make_fixtures.HYGIENE: responses 3, 10, 15 unfinished (Finished False, Progress < 100);
    # 8 a preview (Status "Survey Preview", DistributionChannel "preview")
    assert ids[unfinished].str[3:5].tolist() == ["03", "10", "15"]
    assert ids[preview].str[3:5].tolist() == ["08"]
    assert rule == INCOMPLETE_RULES["qualtrics"]
    assert e.lines == tuple(range(4, 24))  # one line per response after three header lines


def testincomplete_rows_in_every_qualtrics_layout_and_none_elsewhere() -> None:
    # the Mensah response (the 10th) stopped at Progress 60 / Finished 0 in every layout
    for name in ("qualtrics_customers.csv", "qualtrics_customers.sav", "qualtrics_legacy.csv"):
        e = read_export(EXPORTS / name)
        unfinished, preview, _ = incomplete_rows(e.data, e.source)
        assert unfinished.nonzero()[0].tolist() == [9] and not preview.any(), name
    e = read_export(EXPORTS / "qualtrics_customers.csv")
    assert e.line_offset is None and e.lines[2:4] == (6, 8)  # a two-line answer on line 6
    sm = read_export(EXPORTS / "surveymonkey_customers.csv")
    unfinished, preview, rule = incomplete_rows(sm.data, sm.source)
    assert not unfinished.any() and not preview.any() and "SurveyMonkey" in rule
    frame = pd.DataFrame({"Finished": [True, False, None], "Progress": [100, 100, None],
                          "Status": [0, 1, 0], "DistributionChannel": ["anonymous", "email",
                                                                       "Preview"]})
    unfinished, preview, _ = incomplete_rows(frame, "qualtrics")
    assert unfinished.tolist() == [False, True, False]
    assert preview.tolist() == [False, True, True]
    assert not incomplete_rows(frame, "plain")[0].any()
