"""Tests for cxresearch.io.pii: personal data by name tokens and by value, and dropping it."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.io.exports import read_export
from cxresearch.io.pii import (
    PiiFinding,
    _findings_frame,
    drop_pii,
    name_tokens,
    pii_columns,
    redact_text,
)

EXPORTS = Path(__file__).parent / "data" / "exports"
BAD = Path(__file__).parent / "data" / "bad_inputs"


def _found(data: pd.DataFrame, **kw) -> dict[str, tuple[str, str]]:
    return {f.column: (f.reason, f.action) for f in pii_columns(data, **kw)}


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("IPAddress", ["ip", "address"]),
        ("RecipientEmail", ["recipient", "email"]),
        ("RecipientFirstName", ["recipient", "first", "name"]),
        ("LocationLatitude", ["location", "latitude"]),
        ("Location Latitude", ["location", "latitude"]),
        ("e-mail", ["email"]),
        ("E-Mail Address", ["email", "address"]),
        ("first_name", ["first", "name"]),
        ("last-name", ["last", "name"]),
        ("customer.phone", ["customer", "phone"]),
        ("Duration (in seconds)", ["duration", "in", "seconds"]),
        ("IPv6Address", ["ipv6", "address"]),
        ("ResponseId", ["response", "id"]),
        ("Q4_TEXT", ["q", "4", "text"]),
        ("HTTPStatusCode", ["http", "status", "code"]),
    ],
)
def test_name_tokens_split_every_casing(name: str, tokens: list[str]) -> None:
    assert name_tokens(name) == tokens


QUALTRICS_PII = {
    "IPAddress": "ip_address",
    "RecipientLastName": "person_name",
    "RecipientFirstName": "person_name",
    "RecipientEmail": "email",
    "LocationLatitude": "geolocation",
    "LocationLongitude": "geolocation",
}


def test_qualtrics_default_personal_columns_are_found_by_name() -> None:
    # names only, numeric values: the rule must not need the values
    data = pd.DataFrame({c: [1.5, 2.5] for c in QUALTRICS_PII})
    found = pii_columns(data)
    assert {f.column: f.reason for f in found} == QUALTRICS_PII
    assert all(f.evidence.startswith("name token") for f in found)
    assert all(f.action == "drop" for f in found)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Email Address", "email"), ("email", "email"), ("E-mail", "email"),
        ("recipientemail", "email"), ("EmailAddress", "email"), ("mail_address", "email"),
        ("IP Address", "ip_address"), ("ip", "ip_address"), ("ipv4", "ip_address"),
        ("First Name", "person_name"), ("Last Name", "person_name"), ("Name", "person_name"),
        ("Full Name", "person_name"), ("surname", "person_name"), ("customer_name", "person_name"),
        ("RespondentName", "person_name"), ("username", "person_name"),
        ("Phone", "phone"), ("telephone", "phone"), ("mobile", "phone"), ("cell", "phone"),
        ("tel_no", "phone"), ("fax", "phone"), ("mobile_number", "phone"),
        ("address", "postal_address"), ("Street", "postal_address"), ("zip", "postal_address"),
        ("ZipCode", "postal_address"), ("Postal Code", "postal_address"),
        ("postcode", "postal_address"), ("Home Address", "postal_address"),
        ("ssn", "national_id"), ("social_security_number", "national_id"),
        ("DOB", "birth_date"), ("date_of_birth", "birth_date"), ("BirthDate", "birth_date"),
        ("Location Latitude", "geolocation"), ("lat", "geolocation"), ("lng", "geolocation"),
        ("geo_lon", "geolocation"), ("location_coordinates", "geolocation"),
        ("Phone number (optional, if you'd like a call back)", "phone"),
        ("What is your name?", "person_name"),
        ("What is your e-mail address?", "email"),
    ],
)
def test_personal_names(name: str, reason: str) -> None:
    found = pii_columns(pd.DataFrame({name: [1, 2]}))
    assert [(f.column, f.reason) for f in found] == [(name, reason)]


#: analysis columns that must survive (numbers and text values that are not personal)
NOT_PERSONAL = {
    "store_name": ["North Street", "Harbour Mall"],
    "product_name": ["Boots", "Jacket"],
    "company_name": ["Northwind", "Contoso"],
    "region": ["North", "South"],
    "channel": ["web", "store"],
    "store_location": ["Berlin", "Paris"],
    "nps": [9, 6],
    "csat": [5, 4],
    "respondent_id": ["10000001", "10000002"],  # an integer id as text: not a phone number
    "customer_id": [10000001, 10000002],
    "ResponseId": ["R_01aXbYcZdWeVfU", "R_02aXbYcZdWeVfU"],
    "Duration (in seconds)": [200, 217],
    "Progress": [100, 60],
    "Finished": [1, 0],
    "StartDate": ["2024-03-04 09:10:33", "2024-03-05 09:11:33"],
    "EndDate": ["2024-03-04", "2024-03-05"],
    "ExternalReference": ["CRM-004211", "CRM-004212"],
    "DistributionChannel": ["email", "anonymous"],
    "UserLanguage": ["EN", "DE"],
    "LocationAccuracy": [-1, -1],
    "birth_year": [1980, 1991],
    "mobile_app_usage": [3, 4],
    "cell_size": [30, 45],
    "user_id": ["u1", "u2"],
    "cx_owner": ["ceo", "cx_leader"],
    "Which of the following did you use during your visit? - Phone": ["Phone", None],
    "Did we address your issue today?": ["Yes", "No"],
    "Custom Data 1": ["S01", "S02"],
    "multi_select": ["1,3", "2,4"],
    "spend": ["1234.56", "99.90"],
    "order_no": ["12345678", "87654321"],
    "version": ["1.2.3", "1.10.0"],
    "Timestamp": ["3/4/2024 9:12:33", "2024/03/04 9:12:33 AM GMT+1"],
    "tenure_months": ["12", "003"],
}


def test_analysis_columns_are_not_personal() -> None:
    data = pd.DataFrame(NOT_PERSONAL)
    assert pii_columns(data) == []
    assert pii_columns(data, check_values=False) == []


def test_values_email_phone_ip_and_coordinates() -> None:
    data = pd.DataFrame({
        "contact": ["ann@example.org", "bo@example.com", "cy@example.net", None],
        "reach": ["+1 202-555-0143", "(555) 010-9876", "+44 20 7946 0018", "0151 23456789"],
        "src": ["192.0.2.1", "198.51.100.7", "2001:db8::2a", "203.0.113.9"],
        "where": ["52.52, 13.405", "48.8566,2.3522", "(40.71, -74.00)", "-23.55;-46.63"],
    })
    found = {f.column: f for f in pii_columns(data)}
    assert {c: f.reason for c, f in found.items()} == {
        "contact": "email", "reach": "phone", "src": "ip_address", "where": "geolocation"}
    assert found["contact"].evidence == "values look like e-mail addresses (3 of 3)"
    assert found["reach"].evidence == "values look like phone numbers (4 of 4)"
    assert found["src"].evidence == "values look like IP addresses (4 of 4)"


def test_value_rules_need_a_majority_and_text() -> None:
    # numeric columns are never value-checked: a column of 10-digit numbers is not phones
    assert pii_columns(pd.DataFrame({"x": [4915112345, 4915112346]})) == []
    # numeric latitude/longitude under a neutral name: recognised by name only
    assert pii_columns(pd.DataFrame({"v1": [52.52, 48.85], "v2": [13.40, 2.35]})) == []
    # one e-mail among open-text answers: the column stays, the address is redacted
    data = pd.DataFrame({"comment": ["great", "fine", "slow", "mail me: jo@example.org"]})
    (f,) = pii_columns(data)
    assert (f.reason, f.action) == ("email", "redact")
    assert f.evidence == "text contains e-mail addresses (1 of 4)"
    # phone rules: 8-15 digits, punctuation or +; not dates, decimals, plain integers
    no = pd.DataFrame({"a": ["2024-05-01", "2024-05-02"], "b": ["3.14159265", "2.71828182"],
                       "c": ["555-0100", "555-0199"], "d": ["1234567890123456", "1" * 16]})
    assert pii_columns(no) == []


def test_sample_limits_the_values_checked() -> None:
    data = pd.DataFrame({"v": ["a", "b", "c@example.org", "d@example.org", "e@example.org"]})
    assert _found(data) == {"v": ("email", "drop")}
    assert _found(data, sample=2) == {}
    with pytest.raises(TypeError, match="sample"):
        pii_columns(data, sample="10")  # type: ignore[arg-type]


def test_drop_pii_returns_a_copy_and_keeps_what_is_asked() -> None:
    data = pd.DataFrame({"Name": ["Jo", "Al"], "Phone": ["+1 202-555-0143", None],
                         "comment": ["call +44 20 7946 0018", "ok"], "nps": [9, 6]})
    before = data.copy()
    out, found = drop_pii(data, keep=["Phone"])
    pd.testing.assert_frame_equal(data, before)  # input untouched
    assert out.columns.tolist() == ["Phone", "comment", "nps"]
    assert out["comment"].tolist() == ["call [phone]", "ok"]
    assert [(f.column, f.action) for f in found] == [("Name", "drop"), ("comment", "redact")]
    assert _findings_frame(found).columns.tolist() == ["column", "reason", "evidence", "action"]
    assert found[0].to_dict() == {"column": "Name", "reason": "person_name",
                                  "evidence": "name token 'name' on its own", "action": "drop"}
    assert "dropped" in found[0].summary() and "redacted" in found[1].summary()
    with pytest.raises(TypeError, match="DataFrame"):
        drop_pii([1, 2])  # type: ignore[arg-type]


def test_redact_text() -> None:
    assert redact_text("Mail jo@example.org or ring (555) 010-9876.") == \
        "Mail [e-mail] or ring [phone]."
    assert redact_text("Visited 2024-03-04 at 09:12:33, order 12345678") == \
        "Visited 2024-03-04 at 09:12:33, order 12345678"
    assert redact_text(None) is None and redact_text(5) == 5


def test_the_io_bad_input_corpus_file() -> None:
    data = pd.read_csv(BAD / "with_pii.csv", dtype=str)
    assert _found(data) == {"Full Name": ("person_name", "drop"), "contact": ("email", "drop"),
                            "Phone": ("phone", "drop")}


def test_pii_finding_is_frozen() -> None:
    f = PiiFinding("a", "email", "name token 'email'")
    with pytest.raises(AttributeError):
        f.column = "b"  # type: ignore[misc]


_PERSONAL_VALUE = re.compile(
    r"@example\.(com|org|net)|192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:db8|7946 0|555-01|"
    r"555\) 010|0151 |Okafor|Lindqvist|Moreau|Tanaka|Haddad|Mensah|Brennan|Novak"
)


@pytest.mark.parametrize("name", ["qualtrics_customers.csv", "qualtrics_customers.tsv",
                                  "qualtrics_legacy.csv", "qualtrics_customers.sav",
                                  "surveymonkey_customers.csv", "surveymonkey_customers.xlsx",
                                  "google_forms_customers.csv", "plain_customers.csv"])
def test_nothing_personal_survives_in_any_fixture(name: str) -> None:
    clean, found = drop_pii(read_export(EXPORTS / name).data)
    assert found
    cells = clean.astype("string").fillna("").to_numpy().ravel().tolist()
    leaks = [c for c in cells if _PERSONAL_VALUE.search(c)]
    assert leaks == []
    # coordinates are gone too
    assert not [c for c in clean.columns if "atitude" in str(c) or "ongitude" in str(c)]


def test_qualtrics_export_findings() -> None:
    found = pii_columns(read_export(EXPORTS / "qualtrics_customers.csv").data)
    assert [(f.column, f.reason, f.evidence, f.action) for f in found] == [
        ("IPAddress", "ip_address", "name token 'ip'", "drop"),
        ("RecipientLastName", "person_name", "name tokens 'last' + 'name'", "drop"),
        ("RecipientFirstName", "person_name", "name tokens 'first' + 'name'", "drop"),
        ("RecipientEmail", "email", "name token 'email'", "drop"),
        ("LocationLatitude", "geolocation", "name token 'latitude'", "drop"),
        ("LocationLongitude", "geolocation", "name token 'longitude'", "drop"),
        ("Q4_TEXT", "email",
         "text contains e-mail addresses (1 of 8) and phone numbers (1 of 8)", "redact"),
    ]
