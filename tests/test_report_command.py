"""``python -m cxresearch report DATA_DIR [NOTEBOOK ...] [-o OUT]`` (issue 22, item 5).

One real run (module-scoped): notebook 01 on ``tests/data/own_survey`` (a synthetic
one-company survey whose files carry made-up e-mail addresses, phone numbers, names and
respondent ids), then the site it builds is checked: its pages, every local link and image,
every image's alt text, the figures of the user's data apart from the synthetic and public
demonstrations, the findings page with each sentence's kind of data, and no personal value of
the fixture's raw files anywhere under ``_site``. The other tests rebuild the site from that
run (``--no-run``, ``--zip``) or replace the runner by a stub (a failing notebook, a notebook
that leaks an e-mail address, the choice of notebooks), so the whole file takes about 20 s.
"""

from __future__ import annotations

import contextlib
import html
import html.parser
import io
import itertools
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nbformat
import pandas as pd
import pytest

from cxresearch.cli import runner
from cxresearch.cli.check import Skipped
from cxresearch.cli.main import main
from cxresearch.report.manifest import load_manifest
from cxresearch.report.run_site import SKIP_MARKER, notebook_findings, scan_site, skip_notices
from cxresearch.report.site import evidence_of

OWN = Path(__file__).parent / "data" / "own_survey"
ONLY = Path(__file__).parent / "data" / "customers_only"  # customers.csv: ids, no other PII


def _main(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    out = tmp_path_factory.mktemp("report") / "own"
    status, printed = _main("report", str(OWN), "01", "-o", str(out), "-p", "n_sim=200",
                            "--no-progress")
    return out, status, printed


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.imgs: list[dict[str, str | None]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "img":
            self.imgs.append(a)
        for key in ("href", "src"):
            if a.get(key):
                self.refs.append(str(a[key]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _section(page: str, start_id: str, end_id: str | None) -> str:
    start = page.index(f'id="{start_id}"')
    return page[start:page.index(f'id="{end_id}"', start)] if end_id else page[start:]


# -- the real run -------------------------------------------------------------------------


def test_the_run_builds_the_site_and_says_so(run: tuple[Path, int, str]) -> None:
    out, status, printed = run
    assert status == 0, printed
    site = out / "_site"
    for page in ("index.html", "findings.html", "gallery.html", "style.css",
                 "notebooks/01_measuring_cx.html"):
        assert (site / page).is_file(), page
    assert "report: running 1 notebook on own_survey (01)" in printed
    assert "01_measuring_cx  ran" in printed and "site: " in printed
    assert "personal data: none found in the site" in printed
    index = (site / "index.html").read_text()
    assert "Report on your data: own_survey" in index
    assert "customers.csv" in index and "1,715" in index and "email (email), phone (phone)" in index
    assert "full_name (person_name)" in index  # the personal-data columns dropped, by name
    assert "instrument.yml: unit store_id" in index
    assert re.search(r'href="notebooks/01_measuring_cx.html">01 ', index)
    assert re.search(r'<td class="">ran( with \d+ skipped sections?)?</td>', index)
    assert "your data" in index and "synthetic data" in index  # the data kinds said plainly
    record = json.loads((out / "report.json").read_text())
    assert [r["notebook"] for r in record["runs"]] == ["01_measuring_cx"]
    page = (site / "notebooks" / "01_measuring_cx.html").read_text()
    assert "What this shows" in page and "Exercise 01.1" not in page  # course material left out


def test_every_local_link_and_image_resolves_and_every_image_has_alt(
        run: tuple[Path, int, str]) -> None:
    site = run[0] / "_site"
    problems = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 4
    for path in pages:
        page = _parse(path)
        problems += [f"{path.name}: img {i.get('src')} has no alt" for i in page.imgs
                     if not str(i.get("alt") or "").strip()]
        for ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("//"):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                problems.append(f"{path.name}: {ref} -> missing")
            elif parts.fragment and target.suffix == ".html" and unquote(
                    parts.fragment) not in _parse(target).ids:
                problems.append(f"{path.name}: {ref} -> no such anchor")
    assert not problems, "\n".join(problems)
    nb = nbformat.read(run[0] / "01_measuring_cx.ipynb", as_version=4)
    shown = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert shown >= 1
    assert len(_parse(site / "notebooks" / "01_measuring_cx.html").imgs) == shown


def test_the_gallery_keeps_synthetic_figures_apart(run: tuple[Path, int, str]) -> None:
    out = run[0]
    manifest = {n: e for n, e in load_manifest(out / "figures").items()
                if e.get("source") == "01_measuring_cx"}
    gallery = (out / "_site" / "gallery.html").read_text()
    groups = {g: set(re.findall(r'<figure class="cx-fig" id="fig-([^"]+)"',
                                _section(gallery, f"group-{g}", nxt)))
              for g, nxt in (("user", "group-synthetic"), ("synthetic", "group-public"),
                             ("public", None))}
    assert set().union(*groups.values()) == set(manifest)
    assert groups["synthetic"], "notebook 01 shows synthetic demonstrations"
    for name in groups["synthetic"]:
        assert "synthetic" in evidence_of(manifest[name]), name
    for name in groups["user"] | groups["public"]:
        assert "synthetic" not in evidence_of(manifest[name]), name
    for name in groups["public"]:
        assert set(evidence_of(manifest[name])) & {"real", "fictional"}, name
    for name, entry in manifest.items():  # caption, alt text, the downloads
        block = gallery[gallery.index(f'id="fig-{name}"'):]
        block = block[:block.index("</figure>")]
        assert f'alt="{html.escape(entry["alt_text"])}"' in block, name
        assert html.escape(entry["caption"]) in block, name
        for key, file in entry["files"].items():
            assert f'href="figures/{file}" download' in block, (name, key)


def test_the_findings_page_says_what_rests_on_which_data(run: tuple[Path, int, str]) -> None:
    out = run[0]
    page = (out / "_site" / "findings.html").read_text()
    mine = _section(page, "your-data", "cannot")
    cannot = _section(page, "cannot", "designs")
    designs = _section(page, "designs", "demonstrations")
    demos = _section(page, "demonstrations", None)
    assert mine.count("cx-badge-user") >= 3 and "NPS [ltr]" in mine
    assert "cx-badge-synthetic" not in mine and "cx-badge-real" not in mine
    assert "cx-badge-synthetic" in demos and "cx-badge-user" not in demos
    assert "NPS by CX owner: skipped, because the data have no firms table" in cannot
    assert "What do the metrics measure" in designs  # the claims ledger's row for 01
    nb = nbformat.read(out / "01_measuring_cx.ipynb", as_version=4)
    found = notebook_findings(nb)
    user = found[(found["data_kind"] == "user") & (found["kind"] != "note")]
    assert len(user) >= 3
    assert mine.count("<li>") == len(user)
    assert set(found["data_kind"]) >= {"user", "synthetic"}
    assert skip_notices(nb) and all(SKIP_MARKER in s for s in skip_notices(nb))


def _fixture_personal_values() -> tuple[set[str], set[str]]:
    """(one-word values, two-word values) of the fixture's personal columns and ids."""
    customers = pd.read_csv(OWN / "customers.csv", dtype=str)
    employees = pd.read_csv(OWN / "employees.csv", dtype=str)
    values = {*customers["email"], *customers["phone"], *customers["respondent_id"],
              *employees["full_name"], *employees["respondent_id"]}
    values = {v.strip() for v in values if isinstance(v, str) and v.strip()}
    return {v for v in values if " " not in v}, {v for v in values if " " in v}


def _words(text: str) -> tuple[set[str], set[str]]:
    words = re.findall(r"[\w@.+'-]+", text)
    return set(words), {f"{a} {b}" for a, b in itertools.pairwise(words)}


def test_no_personal_data_of_the_raw_files_reaches_any_file_of_the_site(
        run: tuple[Path, int, str]) -> None:
    site = run[0] / "_site"
    one, two = _fixture_personal_values()
    assert len(one) > 2000 and len(two) > 300  # ids, e-mails; names, phone numbers
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        text = html.unescape(path.read_bytes().decode("utf-8", errors="replace"))
        words, pairs = _words(text)
        assert not words & one, (path.name, sorted(words & one)[:5])
        assert not pairs & two, (path.name, sorted(pairs & two)[:5])
        for piece in ("@example.", "202-555-", "Okafor", "Lindqvist", "Tanaka"):
            assert piece not in text, (path.name, piece)
    assert scan_site(site, one | two).ok()


# -- rebuilding the site, the zip ---------------------------------------------------------


def test_no_run_rebuilds_the_site_and_zip_holds_it(run: tuple[Path, int, str]) -> None:
    out = run[0]
    status, printed = _main("report", str(OWN), "01", "-o", str(out), "--no-run", "--zip")
    assert status == 0, printed
    assert "report: running" not in printed
    assert "using the check of" in printed  # the check the run recorded, not a new one
    zipped = out / "own_survey_report.zip"
    assert zipped.is_file() and "zip:  " in printed
    site = out / "_site"
    expected = sorted(f"own_survey_report/{p.relative_to(site).as_posix()}"
                      for p in site.rglob("*") if p.is_file())
    with zipfile.ZipFile(zipped) as zf:
        assert sorted(zf.namelist()) == expected
        assert "Report on your data: own_survey" in zf.read(
            "own_survey_report/index.html").decode()
    # the statuses come from the run's record
    assert "ran with" in (site / "index.html").read_text()


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    status, printed = _main("report", str(tmp_path / "missing"))
    assert status == 2 and "is not a directory" in printed
    status, printed = _main("report", str(OWN), "99", "-o", str(tmp_path / "o"))
    assert status == 2 and "matches no notebook" in printed
    status, printed = _main("report", str(OWN), "-o", str(tmp_path / "none"), "--no-run")
    assert status == 2 and "run without --no-run" in printed
    with pytest.raises(SystemExit) as stop:
        _main("report", "--help")
    assert stop.value.code == 0


def test_the_help_explains_the_site(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = capsys.readouterr().out
    for words in ("OUT/_site/index.html", "gallery.html", "findings.html", "--no-run", "--zip",
                  "Exit status", "09 and 10", "personal", "runs/<DATA_DIR's name>/"):
        assert words in text, words


# -- with the runner replaced: what runs, a failure, a leak ----------------------------------


def _stub(monkeypatch: pytest.MonkeyPatch, write: Any) -> list[list[str]]:
    """Replace the runner: ``write(stem, out)`` makes the executed copy; returns the calls."""
    calls: list[list[str]] = []

    def fake(notebooks: Any, parameters: Any = None, output_dir: Any = None, **_: Any
             ) -> pd.DataFrame:
        stems = [p.stem for p in runner.resolve_notebooks(list(notebooks))]
        calls.append(stems)
        rows = [write(stem, Path(output_dir)) for stem in stems]
        table = pd.DataFrame(rows)
        table.attrs["errors"] = []
        return table

    monkeypatch.setattr(runner, "run_notebooks", fake)
    return calls


def _notebook(text: str) -> Any:
    cell = nbformat.v4.new_code_cell("print(x)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A title"), cell])


def test_check_decides_what_runs_and_09_10_only_when_named(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def ok(stem: str, out: Path) -> dict[str, Any]:
        nbformat.write(_notebook(f"{stem} ran\n"), out / f"{stem}.ipynb")
        return {"notebook": f"{stem}.ipynb", "status": "ok", "skipped": 0, "error": "",
                "seconds": 0.1, "output": ""}

    calls = _stub(monkeypatch, ok)
    status, printed = _main("report", str(OWN), "-o", str(tmp_path / "all"), "--no-progress")
    assert status == 0, printed
    verdicts = json.loads((tmp_path / "all" / "report.json").read_text())["check"]["notebooks"]
    assert calls[0] == [v["notebook"] for v in verdicts if v["can_run"] is True]
    assert {"00", "01", "02", "05", "07"} <= {s[:2] for s in calls[0]}  # the store survey's
    assert not {"03", "06", "08", "09", "10", "11"} & {s[:2] for s in calls[0]}
    index = (tmp_path / "all" / "_site" / "index.html").read_text()
    assert "not run: check says it cannot: table(s) firms, firm_years" in index
    assert "name it on the command line to run it" in index  # 09 and 10
    _main("report", str(ONLY), "09", "06", "-o", str(tmp_path / "named"), "--no-progress")
    assert calls[1] == ["09_coding_open_answers"]  # named: 09 runs, 06 still cannot


def test_a_failed_notebook_gives_exit_1_and_a_site(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    def fail(stem: str, out: Path) -> dict[str, Any]:
        (out / "failed").mkdir(parents=True, exist_ok=True)
        nbformat.write(_notebook("half way\n"), out / "failed" / f"{stem}.ipynb")
        return {"notebook": f"{stem}.ipynb", "status": "failed", "skipped": 0, "seconds": 0.1,
                "error": "failed in cell 2 of 2 (In [1]): KeyError: 'ltr'", "output": ""}

    _stub(monkeypatch, fail)
    status, printed = _main("report", str(ONLY), "01", "-o", str(tmp_path), "--no-progress")
    assert status == 1
    assert "failed in cell 2 of 2 (In [1]): KeyError: 'ltr'" in printed
    site = tmp_path / "_site"
    assert "KeyError: &#x27;ltr&#x27;" in (site / "index.html").read_text()
    assert (site / "notebooks" / "01_measuring_cx.html").is_file()


def test_personal_data_in_an_output_stop_the_zip(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    def leak(stem: str, out: Path) -> dict[str, Any]:
        nbformat.write(_notebook("top customer: C00001 (customer00001@example.com)\n"),
                       out / f"{stem}.ipynb")
        return {"notebook": f"{stem}.ipynb", "status": "ok", "skipped": 0, "error": "",
                "seconds": 0.1, "output": ""}

    _stub(monkeypatch, leak)
    status, printed = _main("report", str(ONLY), "01", "-o", str(tmp_path), "--zip",
                            "--no-progress")
    assert status == 1
    assert "Do not share this site" in printed and "e-mail" in printed
    assert "known value" in printed and "C00001" not in printed  # masked in the listing
    assert not (tmp_path / "customers_only_report.zip").exists()


def test_the_skip_marker_is_checks_sentence() -> None:
    assert SKIP_MARKER in str(Skipped("Key drivers", "no drivers"))


def test_scan_site_reads_text_not_markup_or_drawings(tmp_path: Path) -> None:
    (tmp_path / "a.svg").write_text('<svg><path d="M 12.345 67.890 L 98.765 43.210"/>'
                                    "<text>NPS 12</text></svg>")
    (tmp_path / "b.html").write_text('<p style="margin: 0">ok</p><img src="x.png" alt="Call '
                                     '+1 202-555-0199">')
    shutil.copy(tmp_path / "b.html", tmp_path / "c.png")  # binary files are not read
    scan = scan_site(tmp_path)
    assert scan.files == 2
    assert scan.to_frame()[["file", "kind"]].values.tolist() == [["b.html", "phone"]]
    assert not scan.ok() and scan.ok(phones=False)


def test_notebook_01_describes_the_store_survey_first(run: tuple[Path, int, str]) -> None:
    """01 on own_survey (run once, here, for its report): the instrument's items, the stores as
    clusters, the breakdowns by unit, period and segment, and no personal data."""
    from nb_outputs import notebook_text

    out, _, _ = run
    text = notebook_text(out / "01_measuring_cx.ipynb")
    assert "NPS [ltr]" in text and "CSAT [sat]" in text and "CES [effort]" in text
    assert "from 30 units (store_id)" in text
    assert "NPS by CX owner: skipped, because the data have no firms table" in text
    assert "NPS by store_id: 30 of 30 shown" in text and "NPS by wave: 3 of 3 shown" in text
    assert "NPS by region" in text and "NPS by channel" in text  # region from units.csv
    assert "89 hidden because they have fewer than 30 answers" in text  # store x wave cells
    for word in ("@example.com", "202-555-", "Okafor", "Lindqvist", "Tanaka"):
        assert word not in text
