"""``python -m cxresearch report DATA_DIR [NOTEBOOK ...] [-o OUT]``: a report site of a run.

:func:`make_report` runs what ``check`` allows on a user's folder
(:func:`cxresearch.cli.check.check_folder`: the notebooks that can run; notebooks named on the
command line narrow that set; 09 and 10 read other files and run only when named) through the
runner (:func:`cxresearch.cli.runner.run_notebooks`, going on past a failure) into ``OUT``
(default ``runs/<folder name>/``), then builds a static site in ``OUT/_site/``
(:func:`cxresearch.report.run_site.build_run_site`) and reads it for personal data
(:func:`cxresearch.report.run_site.scan_site`): e-mail addresses and phone numbers, and the
respondent ids and personal columns' values of the folder's own files. With ``--zip`` the site
is also packed into ``OUT/<folder name>_report.zip``; with ``--no-run`` the site is rebuilt
from the notebooks already executed in ``OUT``.

What the run did is kept in ``OUT/report.json`` (per notebook: status, skipped sections, error,
time), so that ``--no-run`` shows the same statuses.

The command's options and help are in :mod:`cxresearch.cli.main`
(``python -m cxresearch report --help``).

Example
-------
>>> from cxresearch.cli.main import build_parser
>>> args = build_parser().parse_args(["report", "exports", "01", "--zip"])
>>> args.data_dir.name, args.notebooks, args.zip, args.run
('exports', ['01'], True, True)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.core import paths
from cxresearch.core.results import Result

__all__ = ["Report", "command", "make_report"]

_RECORD = "report.json"


@dataclass(frozen=True, eq=False)
class Report(Result):
    """What :func:`make_report` did: the run, the site, the personal-data scan, the zip.

    Parameters
    ----------
    output_dir : pathlib.Path
        The run's folder.
    site : pathlib.Path
        The site's ``index.html``.
    runs : pandas.DataFrame
        One row per notebook: ``notebook``, ``status`` (``"ok"``, ``"failed"``,
        ``"not run"``), ``skipped``, ``error``, ``reason``, ``uses``, ``seconds``, ``path``.
    scan : cxresearch.report.run_site.PersonalDataScan
        What the scan of the site found.
    zip_path : pathlib.Path or None
        The zip, when one was written.

    Examples
    --------
    >>> from cxresearch.report.run_site import PersonalDataScan
    >>> r = Report(Path("out"), Path("out/_site/index.html"),
    ...            pd.DataFrame({"notebook": ["01_measuring_cx"], "status": ["ok"],
    ...                          "skipped": [0], "error": [""], "reason": [""],
    ...                          "seconds": [2.0]}),
    ...            PersonalDataScan("out/_site", 5, pd.DataFrame(columns=["file", "kind",
    ...                                                                 "excerpt"])))
    >>> r.exit_status
    0
    """

    output_dir: Path
    site: Path
    runs: pd.DataFrame
    scan: Any
    zip_path: Path | None = None

    @property
    def exit_status(self) -> int:
        """1 when a notebook failed or the site holds personal data, else 0."""
        failed = bool((self.runs["status"] == "failed").any()) if len(self.runs) else False
        return 1 if failed or not self.scan.ok(phones=False) else 0

    def to_frame(self) -> pd.DataFrame:
        """The run: one row per notebook."""
        return self.runs.copy()

    def summary(self) -> str:
        """The table and the lines the command prints at the end."""
        header = ("notebook", "status", "time")
        rows = []
        for r in self.runs.to_dict("records"):
            status = str(r.get("status"))
            if status == "ok":
                n = int(r.get("skipped") or 0)
                text = f"ran with {n} skipped section{'s' if n != 1 else ''}" if n else "ran"
            elif status == "failed":
                text = str(r.get("error") or "failed")
            else:
                text = "not run: " + str(r.get("reason") or "")
            seconds = r.get("seconds")
            time = (f"{float(seconds):.1f} s" if seconds is not None and pd.notna(seconds)
                    else "")
            rows.append((str(r["notebook"]), text if len(text) <= 110 else text[:109] + "…",
                         time))
        widths = [max(len(x[i]) for x in [header, *rows]) for i in range(2)]
        lines = ["  ".join([a.ljust(widths[0]), b.ljust(widths[1]), c]).rstrip()
                 for a, b, c in [header, *rows]]
        n_ok = int((self.runs["status"] == "ok").sum())
        n_failed = int((self.runs["status"] == "failed").sum())
        n_not = len(self.runs) - n_ok - n_failed
        lines += ["", f"{n_ok} ran, {n_failed} failed, {n_not} not run.",
                  f"site: {_shown(self.site)}"]
        if self.zip_path is not None:
            lines.append(f"zip:  {_shown(self.zip_path)}")
        if self.scan.ok():
            lines.append(f"personal data: none found in the site ({self.scan.files} files "
                         "read).")
        else:
            lines.append("personal data: " + self.scan.summary())
            if not self.scan.ok(phones=False):
                lines.append("Do not share this site: personal data reached it. No zip was "
                             "written.")
            else:
                lines.append("(only phone-like numbers: check the excerpts above; a range "
                             "of numbers can look like a phone number)")
        return "\n".join(lines)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Checked:
    """What ``check`` said about the folder (fresh, or as the run recorded it)."""

    tables: pd.DataFrame
    instrument: str
    problems: list[str]
    notebooks: pd.DataFrame  # notebook, can_run, uses, missing

    def to_json(self) -> dict[str, Any]:
        books = [{**r, "can_run": None if pd.isna(r["can_run"]) else bool(r["can_run"])}
                 for r in self.notebooks.to_dict("records")]
        return {"tables": self.tables.to_dict("records"), "instrument": self.instrument,
                "problems": list(self.problems), "notebooks": books}


def _read_record(out: Path) -> dict[str, Any]:
    path = out / _RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}


def _check(data: Path, instrument: str | Path | None, out: Path, run: bool,
           say: Callable[[str], None], on_invalid: str = "raise") -> _Checked:
    """``check_folder`` on the folder; with ``--no-run``, what the run recorded, when it did."""
    from cxresearch.cli.check import check_folder

    saved = _read_record(out).get("check") if not run else None
    if saved and _read_record(out).get("data") == data.resolve().name:
        say(f"report: using the check of {data} recorded by the run ({_RECORD})")
        return _Checked(pd.DataFrame(saved["tables"], columns=[
            "table", "file", "rows", "columns", "personal_data", "problem"]),
            str(saved["instrument"]), list(saved["problems"]),
            pd.DataFrame(saved["notebooks"], columns=["notebook", "can_run", "uses", "missing"]))
    say(f"report: checking {data} (as `python -m cxresearch check` does)")
    c = check_folder(data, instrument=instrument, on_invalid=on_invalid)
    return _Checked(c.tables, c.instrument, list(c.problems), c.to_frame())


def _plan(checked: _Checked, names: Sequence[str] | None
          ) -> tuple[list[str], list[dict[str, Any]]]:
    """(stems to run, one row per notebook shown in the report) from check's verdicts."""
    from cxresearch.cli.runner import resolve_notebooks

    verdicts = {str(r["notebook"]): r for r in checked.notebooks.to_dict("records")}
    named = [p.stem for p in resolve_notebooks(list(names))] if names else None
    stems = named if named is not None else [p.stem for p in resolve_notebooks(None)]
    to_run: list[str] = []
    rows: list[dict[str, Any]] = []
    for stem in dict.fromkeys(stems):
        verdict = verdicts.get(stem)
        can = None if verdict is None or verdict["can_run"] is None or pd.isna(
            verdict["can_run"]) else bool(
            verdict["can_run"])
        row = {"notebook": stem, "status": "not run", "skipped": 0, "error": "",
               "reason": "", "uses": "", "seconds": None, "path": ""}
        if can is True or (can is None and named is not None):
            to_run.append(stem)
            row["uses"] = str(verdict.get("uses") or "") if verdict else ""
        elif can is False:
            row["reason"] = "check says it cannot: " + str(verdict["missing"])
        elif verdict is None:
            row["reason"] = "check does not know this notebook; name it to run it"
        else:
            row["reason"] = (str(verdict.get("uses") or "it reads other files")
                             + "; name it on the command line to run it")
        rows.append(row)
    return to_run, rows


#: names (lower case, letters and digits only) of the respondent-id columns platforms write
_ID_NAMES = frozenset({"respondentid", "responseid", "responseidentifier"})


def _raw_table(path: Path) -> pd.DataFrame:
    """A table as its file holds it, every cell as text (no validation, personal data kept)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        for encoding in ("utf-8-sig", "utf-16", "latin-1"):
            try:
                return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                                   sep="\t" if suffix == ".tsv" else None, engine="python")
            except (UnicodeError, pd.errors.ParserError):
                continue
        return pd.DataFrame()
    if suffix == ".xlsx":
        return pd.read_excel(path, dtype=str).fillna("")
    if suffix == ".parquet":
        return pd.read_parquet(path).astype(str)
    if suffix == ".sav":
        return pd.read_spss(path, convert_categoricals=False).astype(str)
    return pd.DataFrame()


def _personal_values(data_dir: Path) -> tuple[set[str], list[str]]:
    """What must never reach the site: the personal columns' values
    (:func:`cxresearch.io.pii.pii_columns`, by name and by value) and the respondent ids of the
    folder's tables, read as the files hold them; and notes on files that could not be read."""
    from cxresearch.io.pii import pii_columns
    from cxresearch.io.readers import STUDY_TABLES, find_table

    values: set[str] = set()
    notes: list[str] = []
    for table in STUDY_TABLES:
        path = find_table(data_dir, table)
        if path is None:
            continue
        try:
            raw = _raw_table(path)
            columns = [f.column for f in pii_columns(raw)]
        except Exception as exc:  # the scan for e-mail and phone patterns still runs
            notes.append(f"{path.name}: not read for the scan of known values ({exc})"[:300])
            continue
        for column in columns:
            values |= {str(v).strip() for v in raw[column]}
        ids = [c for c in raw.columns
               if "".join(ch for ch in str(c).lower() if ch.isalnum()) in _ID_NAMES]
        for column in ids[:1]:
            for v in raw[column].astype(str):
                v = v.strip()
                if len(v) >= 5 and " " not in v and (not v.isdigit() or len(v) >= 7):
                    values.add(v)
    return {v for v in values if len(v) >= 4 and v.lower() not in ("nan", "none")}, notes


def _executed_rows(out: Path, rows: list[dict[str, Any]], to_run: Sequence[str]) -> None:
    """``--no-run``: each notebook's status from what is in ``out`` (and its record)."""
    import nbformat

    from cxresearch.cli.runner import count_skipped

    record = {r["notebook"]: r for r in _read_record(out).get("runs", [])}
    for row in rows:
        stem = row["notebook"]
        if stem not in to_run:
            continue
        done, failed = out / f"{stem}.ipynb", out / "failed" / f"{stem}.ipynb"
        kept = record.get(stem, {})
        if failed.is_file() and (not done.is_file() or kept.get("status") == "failed"
                                 or failed.stat().st_mtime > done.stat().st_mtime):
            row.update(status="failed", path=str(failed),
                       error=kept.get("error") or "failed (its page shows where)")
        elif done.is_file():
            row.update(status="ok", path=str(done),
                       skipped=count_skipped(nbformat.read(done, as_version=4)))
        else:
            row.update(reason="not executed in this folder yet (run without --no-run)")
            continue
        row["seconds"] = kept.get("seconds")


def make_report(
    data_dir: str | Path,
    notebooks: Sequence[str] | None = None,
    *,
    output_dir: str | Path | None = None,
    instrument: str | Path | None = None,
    parameters: dict[str, Any] | None = None,
    run: bool = True,
    make_zip: bool = False,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
) -> Report:
    """Run what ``check`` allows on a folder and build the report site (the module docstring).

    Parameters
    ----------
    data_dir : str or Path
        The user's folder.
    notebooks : sequence of str, optional
        Notebooks to run (number prefix, stem, name); default every one ``check`` allows.
    output_dir : str or Path, optional
        The run's folder; default ``runs/<data_dir's name>``.
    instrument : str or Path, optional
        An ``instrument.yml`` instead of the folder's own.
    parameters : dict, optional
        Other notebook parameters (``data_dir`` and ``instrument`` are set here).
    run : bool, default True
        False: run nothing and build the site from the notebooks already in ``output_dir``.
    make_zip : bool, default False
        Also write ``output_dir/<name>_report.zip`` (not when personal data were found).
    progress : bool, default True
        Progress bars while the notebooks run.
    echo : callable, optional
        Where the progress lines go (default: print them).

    Returns
    -------
    Report
        ``exit_status`` is 1 when a notebook failed or personal data reached the site.

    Raises
    ------
    ValueError
        ``data_dir`` is not a folder, a notebook name matches none, a parameter is unknown,
        or (``run=False``) nothing has been executed in ``output_dir``.

    Examples
    --------
    >>> r = make_report("tests/data/own_survey", ["01"], output_dir=tmp)  # doctest: +SKIP
    >>> r.exit_status, r.site.name  # doctest: +SKIP
    (0, 'index.html')
    """
    from cxresearch.cli.runner import notebook_parameters, resolve_notebooks, run_notebooks
    from cxresearch.core.validation import DataError
    from cxresearch.report.run_site import build_run_site, scan_site, zip_site

    say = echo or (lambda line: print(line, flush=True))
    data = Path(data_dir)
    if not data.is_dir():
        raise DataError(f"argument 'data_dir': {str(data)!r} is not a directory")
    name = data.resolve().name
    out = Path(output_dir) if output_dir is not None else paths.RUNS_DIR / name
    if notebooks:
        resolve_notebooks(list(notebooks))  # a name that matches no notebook: before any work
    if not run and not out.is_dir():
        raise DataError(f"--no-run: {str(out)!r} does not exist; run without --no-run")
    check = _check(data, instrument, out, run, say,
                   on_invalid=str((parameters or {}).get("on_invalid", "raise")))
    to_run, rows = _plan(check, notebooks)
    if run:
        out.mkdir(parents=True, exist_ok=True)
        if to_run:
            accepted = set().union(*(notebook_parameters(p) for p in resolve_notebooks(to_run)))
            params = dict(parameters or {})
            if "data_dir" in accepted:
                params["data_dir"] = str(data.resolve())
            if instrument is not None and "instrument" in accepted:
                params["instrument"] = str(Path(instrument).resolve())
            say(f"report: running {len(to_run)} notebook{'s' if len(to_run) != 1 else ''} on "
                f"{name} ({', '.join(s[:2] for s in to_run)}); output in {_shown(out)}")
            figures_env = os.environ.get("CXRESEARCH_FIGURES_DIR")
            os.environ["CXRESEARCH_FIGURES_DIR"] = str((out / "figures").resolve())
            try:
                # check has decided already: the runner need not ask it again
                table = run_notebooks(to_run, parameters=params, output_dir=out,
                                      progress=progress, keep_going=True, only_runnable=False)
            finally:
                if figures_env is None:
                    os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
                else:
                    os.environ["CXRESEARCH_FIGURES_DIR"] = figures_env
            for error in table.attrs.get("errors", []):
                say(f"error: {error}")
            done = {Path(str(r["notebook"])).stem: r for r in table.to_dict("records")}
            for row in rows:
                result = done.get(row["notebook"])
                if result is None:
                    continue
                if result["status"] not in ("ok", "failed"):  # the runner did not run it
                    row["reason"] = str(result.get("error") or "").removeprefix("not run: ")
                    continue
                ok = result["status"] == "ok"
                path = (out / f"{row['notebook']}.ipynb" if ok
                        else out / "failed" / f"{row['notebook']}.ipynb")
                row.update(status=str(result["status"]), skipped=int(result["skipped"] or 0),
                           error=str(result["error"] or ""), seconds=float(result["seconds"]),
                           path=str(path) if path.is_file() else "")
        else:
            say("report: no notebook can run on this folder (see `python -m cxresearch check`)")
        record = {"data": name, "runs": [{k: r[k] for k in ("notebook", "status", "skipped",
                                                           "error", "seconds")} for r in rows],
                  "check": check.to_json()}
        (out / _RECORD).write_text(json.dumps(record, indent=1, default=str) + "\n",
                                   encoding="utf-8")
    else:
        _executed_rows(out, rows, to_run)
        if not any(r["path"] for r in rows):
            raise DataError(f"--no-run: no executed notebook of this run in {str(out)!r}; "
                            "run without --no-run")
    runs = pd.DataFrame(rows)
    say(f"report: building the site in {_shown(out / '_site')}")
    redact = {str(data.resolve()): name, str(out.resolve()): out.name,
              str(paths.PROJECT_ROOT): "cxresearch", str(Path.home()): "~"}
    index = build_run_site(out, data_name=name, runs=runs, tables=check.tables,
                           instrument=check.instrument, problems=check.problems,
                           redact={k: v for k, v in redact.items() if len(k) > 1})
    say("report: reading every file of the site for personal data")
    known, notes = _personal_values(data)
    for note in notes:
        say(f"report: {note}")
    scan = scan_site(index.parent, known)
    zipped = None
    if make_zip and scan.ok(phones=False):
        zipped = zip_site(index.parent, out / f"{name}_report.zip")
    return Report(out, index, runs, scan, zipped)


def command(args: argparse.Namespace) -> int:
    """Run ``python -m cxresearch report`` from parsed arguments; return the exit status.

    Parameters
    ----------
    args : argparse.Namespace
        From ``cxresearch.cli.main.build_parser()`` (the ``report`` command).

    Returns
    -------
    int
        0, 1 (a notebook failed or personal data reached the site) or 2 (bad usage).

    Examples
    --------
    >>> from cxresearch.cli.main import build_parser
    >>> command(build_parser().parse_args(["report", "no/such/folder"]))  # doctest: +SKIP
    2
    """
    from cxresearch.cli.runner import parse_parameters

    try:
        parameters = parse_parameters(args.parameter)
        result = make_report(args.data_dir, args.notebooks or None, output_dir=args.output_dir,
                             instrument=args.instrument, parameters=parameters, run=args.run,
                             make_zip=args.zip, progress=not args.no_progress)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stderr.flush()
    print(result.summary())
    return result.exit_status
