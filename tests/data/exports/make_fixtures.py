"""Write the synthetic survey-platform exports in this folder (see README.md).

Run from the repository root: ``.venv/bin/python tests/data/exports/make_fixtures.py``. The
answers, names, e-mail addresses (example.com/.org/.net), phone numbers (fictional ranges) and
IP addresses (documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)
are made up; the layouts follow what each platform writes, rebuilt by hand from its
documentation, not copied from a vendor file.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

NPS_Q = "How likely are you to recommend Northwind Outfitters to a friend or colleague?"
SAT_Q = "Overall, how satisfied are you with your most recent visit?"
CES_Q = "Northwind Outfitters made it easy for me to handle my issue."
WHY_Q = "What is the main reason for your score?"

# ten customers: (last, first, e-mail, ip, lat, lon, nps, csat, ces, text, store, region)
PEOPLE = [
    ("Okafor", "Ada", "ada.okafor@example.com", "192.0.2.11", "52.5200", "13.4050", 9, 5, 6,
     "Friendly staff, quick checkout", "S01", "North"),
    ("Lindqvist", "Sven", "sven.lindqvist@example.org", "198.51.100.23", "59.3293", "18.0686",
     10, 5, 7, "Found exactly what I needed.", "S01", "North"),
    ("Moreau", "Claire", "claire.moreau@example.net", "2001:db8::2a", "48.8566", "2.3522", 6,
     3, 4, "Queue was long;\nonly one till open", "S02", "South"),
    ("Tanaka", "Yui", "yui.tanaka@example.com", "203.0.113.5", "35.6762", "139.6503", 8, 4, 5,
     "Good, but the fitting rooms were closed", "S02", "South"),
    ("Silva", "Rafael", "rafael.silva@example.org", "192.0.2.77", "-23.5505", "-46.6333", 3, 2,
     2, "Item out of stock again. Please call me on +44 20 7946 0018", "S03", "East"),
    ("Novak", "Petra", "petra.novak@example.com", "198.51.100.140", "50.0755", "14.4378", 10, 5,
     7, "", "S03", "East"),
    ("Brennan", "Liam", "liam.brennan@example.net", "203.0.113.200", "53.3498", "-6.2603", 7, 4,
     5, "Fine", "S04", "West"),
    ("Haddad", "Rania", "rania.haddad@example.org", "192.0.2.190", "33.8938", "35.5018", 9, 4,
     6, "Helpful advice on sizes", "S04", "West"),
    ("", "", "", "198.51.100.9", "40.4168", "-3.7038", 5, 2, 3,
     "Returns desk ignored me; write to me at r.guest@example.com", "S01", "North"),
    ("Mensah", "Kofi", "kofi.mensah@example.com", "203.0.113.61", "5.6037", "-0.1870", 8, 4,
     None, "", "S02", "South"),
]


def _qualtrics_rows() -> list[list[str]]:
    meta = [
        ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "America/Denver"}),
        ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "America/Denver"}),
        ("Status", "Response Type", {"ImportId": "status"}),
        ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
        ("Progress", "Progress", {"ImportId": "progress"}),
        ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
        ("Finished", "Finished", {"ImportId": "finished"}),
        ("RecordedDate", "Recorded Date",
         {"ImportId": "recordedDate", "timeZone": "America/Denver"}),
        ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
        ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
        ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
        ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
        ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
        ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
        ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
        ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
        ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
        ("Q1", NPS_Q, {"ImportId": "QID1"}),
        ("Q2", SAT_Q, {"ImportId": "QID2"}),
        ("Q3", CES_Q, {"ImportId": "QID3"}),
        ("Q4_TEXT", WHY_Q, {"ImportId": "QID4_TEXT"}),
        ("store_id", "store_id", {"ImportId": "store_id"}),
        ("region", "region", {"ImportId": "region"}),
    ]
    rows = [[m[0] for m in meta], [m[1] for m in meta],
            [json.dumps(m[2], separators=(",", ":")) for m in meta]]
    for i, (last, first, mail, ip, lat, lon, nps, csat, ces, text, store, region) in enumerate(
        PEOPLE
    ):
        partial = ces is None
        start = f"2024-03-{4 + i:02d} 09:{10 + i:02d}:33"
        end = f"2024-03-{4 + i:02d} 09:{14 + i:02d}:02"
        rows.append([
            start, end, "0", ip, "60" if partial else "100", str(200 + 17 * i),
            "0" if partial else "1", end, f"R_{i + 1:02d}aXbYcZdWeVfU",
            last, first, mail, f"CRM-{4211 + i:06d}" if mail else "", lat, lon,
            "email" if mail else "anonymous", "EN", str(nps), str(csat),
            "" if ces is None else str(ces), text, store, region,
        ])
    return rows


def write_qualtrics() -> None:
    rows = _qualtrics_rows()
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "qualtrics_customers.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
    (HERE / "qualtrics_customers.tsv").write_bytes(buf.getvalue().encode("utf-16"))


#: qualtrics_hygiene.csv: 20 responses; (kind, nps, csat, ces) where kind is "ok", "unfinished"
#: (Finished 0, Progress < 100), "preview" (Status "Survey Preview", channel "preview") or
#: "bad" (a finished response with an out-of-range answer)
HYGIENE = [
    ("ok", 9, 5, 6), ("ok", 10, 4, 7), ("unfinished", 7, None, None), ("ok", 6, 3, 4),
    ("bad", 11, 4, 5), ("ok", 8, 4, 5), ("ok", 3, 2, 2), ("preview", 12, 5, 7),
    ("ok", 10, 5, 7), ("unfinished", None, None, None), ("ok", 7, 4, 5), ("ok", 9, 4, 6),
    ("bad", 5, 2, 9), ("ok", 8, 4, 5), ("unfinished", 4, 2, None), ("ok", 10, 5, 6),
    ("ok", 2, 1, 1), ("ok", 9, 5, 6), ("ok", 6, 3, 4), ("ok", 8, 4, 5),
]


def write_qualtrics_hygiene() -> None:
    """A Qualtrics export with 3 unfinished responses, 1 survey preview and 2 finished
    responses holding an out-of-range answer (Q1 = 11 on 0-10, Q3 = 9 on 1-7)."""
    rows = _qualtrics_rows()[:3]
    stores = ["S01", "S02", "S03", "S04"]
    regions = {"S01": "North", "S02": "South", "S03": "East", "S04": "West"}
    for i, (kind, nps, csat, ces) in enumerate(HYGIENE):
        unfinished, preview = kind == "unfinished", kind == "preview"
        answered = sum(v is not None for v in (nps, csat, ces))
        progress = "100" if not unfinished else str(10 + 25 * answered)
        start = f"2024-04-{1 + i:02d} 10:{10 + i:02d}:05"
        end = f"2024-04-{1 + i:02d} 10:{14 + i:02d}:41"
        store = stores[i % 4]
        rows.append([
            start, end, "Survey Preview" if preview else "IP Address",
            f"203.0.113.{20 + i}", progress, str(150 + 11 * i), "False" if unfinished else "True",
            end, f"R_h{i + 1:02d}QpLmNoRsTuVw", f"Fictional{i + 1:02d}", "Testperson",
            f"person{i + 1:02d}@example.com", f"CRM-{5100 + i:06d}", "51.5072", "-0.1276",
            "preview" if preview else "anonymous", "EN",
            *["" if v is None else str(v) for v in (nps, csat, ces)],
            "" if i % 3 else f"Visit number {i + 1} was fine", store, regions[store],
        ])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "qualtrics_hygiene.csv").write_bytes(buf.getvalue().encode("utf-8-sig"))


def write_qualtrics_legacy() -> None:
    ids = ["V1", "V2", "V3", "V4", "V5", "V6", "V7", "V8", "V9", "V10", "Q1", "Q2", "Q3", "Q4",
           "LocationLatitude", "LocationLongitude", "LocationAccuracy"]
    second = ["ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
              "IPAddress", "Status", "StartDate", "EndDate", "Finished", NPS_Q, SAT_Q, CES_Q,
              WHY_Q, "LocationLatitude", "LocationLongitude", "LocationAccuracy"]
    rows = [ids, second]
    for i, (last, first, mail, ip, lat, lon, nps, csat, ces, text, _s, _r) in enumerate(PEOPLE):
        name = f"{last}, {first}" if last else ""
        rows.append([
            f"R_{i + 1:02d}legacyQxYz", "Default Response Set", name, "", mail, ip, "0",
            f"2015-03-{4 + i:02d} 09:{10 + i:02d}:33", f"2015-03-{4 + i:02d} 09:{14 + i:02d}:02",
            "0" if ces is None else "1", str(nps), str(csat), "" if ces is None else str(ces),
            text, lat, lon, "-1",
        ])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "qualtrics_legacy.csv").write_bytes(buf.getvalue().encode("utf-8"))


def write_qualtrics_sav() -> None:
    import pandas as pd
    import pyreadstat

    rows = _qualtrics_rows()
    ids = rows[0]
    labels = rows[1]
    frame = pd.DataFrame(rows[3:], columns=ids)
    names = [c.replace(" (in seconds)", "__in_seconds_") for c in ids]
    frame.columns = names
    out = pd.DataFrame()
    for col in names:
        s = frame[col]
        if col in ("StartDate", "EndDate", "RecordedDate"):
            out[col] = pd.to_datetime(s)
        elif col in ("Status", "Progress", "Duration__in_seconds_", "Finished", "Q1", "Q2",
                     "Q3", "LocationLatitude", "LocationLongitude"):
            out[col] = pd.to_numeric(s.replace("", None)).astype("float64")
        else:
            out[col] = s.astype(object)
    value_labels = {
        "Status": {0.0: "IP Address", 1.0: "Survey Preview"},
        "Finished": {0.0: "False", 1.0: "True"},
        "Q1": {0.0: "0 - Not at all likely", 10.0: "10 - Extremely likely",
               **{float(k): str(k) for k in range(1, 10)}},
        "Q2": {1.0: "Extremely dissatisfied", 2.0: "Somewhat dissatisfied",
               3.0: "Neither satisfied nor dissatisfied", 4.0: "Somewhat satisfied",
               5.0: "Extremely satisfied"},
        "Q3": {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Somewhat disagree",
               4.0: "Neither agree nor disagree", 5.0: "Somewhat agree", 6.0: "Agree",
               7.0: "Strongly agree"},
    }
    pyreadstat.write_sav(out, str(HERE / "qualtrics_customers.sav"),
                         column_labels=dict(zip(names, labels)),
                         variable_value_labels=value_labels)


SM_NPS = "How likely is it that you would recommend Northwind Outfitters to a friend or colleague?"
SM_SAT = "Overall, how satisfied or dissatisfied are you with our store?"
SM_CES = "How easy was it to get your issue resolved?"
SM_USED = "Which of the following did you use during your visit?"
SM_STORE = "Which store did you visit?"
SM_BETTER = "What could we do better?"
SAT_WORDS = {5: "Very satisfied", 4: "Somewhat satisfied",
             3: "Neither satisfied nor dissatisfied", 2: "Somewhat dissatisfied",
             1: "Very dissatisfied"}
STORES = {"S01": "North Street", "S02": "Harbour Mall", "S03": "Station Road", "S04": "Other"}


def _surveymonkey_rows() -> list[list[object]]:
    top = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
           "Email Address", "First Name", "Last Name", "Custom Data 1", SM_NPS, SM_SAT, SM_CES,
           SM_USED, "", "", SM_STORE, "", SM_BETTER]
    sub = ["", "", "", "", "", "", "", "", "", "Response", "Response", "Response",
           "Online chat", "Phone", "In-store staff", "Response", "Other (please specify)",
           "Open-Ended Response"]
    rows: list[list[object]] = [top, sub]
    for i, (last, first, mail, ip, _la, _lo, nps, csat, ces, text, store, _r) in enumerate(
        PEOPLE
    ):
        nps_text = {0: "0 - Not at all likely", 10: "10 - Extremely likely"}.get(nps, nps)
        ces_text = {1: "1 - Very difficult", 7: "7 - Very easy"}.get(ces, ces) if ces else ""
        rows.append([
            114002345001 + i, 431876543, f"03/{4 + i:02d}/2024 09:{10 + i:02d}:33 AM",
            f"03/{4 + i:02d}/2024 09:{14 + i:02d}:02 AM", ip, mail if i % 2 == 0 else "",
            first if i % 2 == 0 else "", last if i % 2 == 0 else "", store, nps_text,
            SAT_WORDS[csat], ces_text,
            "Online chat" if i % 3 == 0 else "", "Phone" if i % 4 == 1 else "",
            "In-store staff" if i % 2 == 0 else "",
            STORES[store] if store != "S04" else "", "Airport kiosk" if store == "S04" else "",
            text,
        ])
    return rows


def write_surveymonkey() -> None:
    rows = _surveymonkey_rows()
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(
        [["" if v is None else str(v) for v in r] for r in rows])
    (HERE / "surveymonkey_customers.csv").write_bytes(buf.getvalue().encode("utf-8"))
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet"
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    wb.properties.created = wb.properties.modified = datetime.datetime(2024, 3, 14, 12, 0)
    wb.save(HERE / "surveymonkey_customers.xlsx")


def write_google_forms() -> None:
    header = ["Timestamp", "Email Address", NPS_Q, "How satisfied were you with your visit?",
              "How easy was it to get help? (1 = very difficult, 7 = very easy)", SM_STORE,
              "Anything else you'd like to tell us?",
              "How can we reach you if you'd like a reply? (optional)"]
    reach = ["+44 20 7946 0321", "sven.l@example.org", "(555) 010-4477", "", "r.silva@example.net",
             "+1 202-555-0143", "", "rania.h@example.com", "0151 23456789", ""]
    rows = [header]
    for i, (_l, _f, mail, _ip, _la, _lo, nps, csat, ces, text, store, _r) in enumerate(PEOPLE):
        rows.append([
            f"2024/03/{4 + i:02d} {9 + i % 3}:{10 + i:02d}:33 AM GMT+1", mail,
            str(nps), str(csat), "" if ces is None else str(ces),
            STORES[store] if store != "S04" else "Airport kiosk", text, reach[i],
        ])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "google_forms_customers.csv").write_bytes(buf.getvalue().encode("utf-8"))


def write_plain() -> None:
    header = ["respondent_id", "store_id", "store_name", "region", "channel", "wave", "w", "ltr",
              "sat", "effort", "d1", "d2", "d3", "d4", "comment", "customer_email", "contact"]
    rows = [header]
    phones = ["+1 202-555-0143", "(555) 010-9876", "+44 20 7946 0018", "0151 23456789",
              "+1 202-555-0178", "(555) 010-1234", "+44 20 7946 0999", "0151 98765432",
              "+1 202-555-0111", "(555) 010-5555"]
    channels = ["store", "web", "phone", "store", "web"]
    for i, (_l, _f, mail, _ip, _la, _lo, nps, csat, ces, text, store, region) in enumerate(
        PEOPLE
    ):
        d = [min(5, max(1, csat + (i + k) % 3 - 1)) for k in range(4)]
        rows.append([
            str(10000001 + i), store, STORES[store], region, channels[i % 5], str(1 + i % 2),
            f"{0.8 + 0.05 * i:.2f}", str(nps), str(csat), "" if ces is None else str(ces),
            *map(str, d), text, mail, phones[i],
        ])
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (HERE / "plain_customers.csv").write_bytes(buf.getvalue().encode("utf-8"))


def main() -> None:
    write_qualtrics()
    write_qualtrics_hygiene()
    write_qualtrics_legacy()
    write_qualtrics_sav()
    write_surveymonkey()
    write_google_forms()
    write_plain()


if __name__ == "__main__":
    main()
