"""What a notebook read from the analyst's folder, said once at its top (notebooks 01, 02, 04, 05).

:func:`reading_note` turns the read reports of :func:`cxresearch.io.readers.load_study` into
sentences: for each table, the rows used, the unfinished or preview responses excluded, the
personal-data columns dropped, and the rows set aside by ``on_invalid="set_aside"``. The rows
set aside are written once per table to ``set_aside_<table>.csv`` in the run's folder
(:func:`cxresearch.core.paths.run_dir`: ``OUT`` of ``python -m cxresearch run -o OUT``), listed
by the platform's response id, column, value and reason
(:func:`cxresearch.io.readers.write_set_aside`); so every notebook that used the table counts
them, and the analyst can look them up.

Example
-------
>>> from cxresearch.core import paths
>>> from cxresearch.io.readers import load_study
>>> study = load_study(paths.TESTS_DIR / "data" / "own_survey", tables=["customers"])
>>> print(reading_note(study, write=False))
units (units.csv): 30 rows used.
customers (customers.csv): 1,715 rows used; personal data dropped before anything else saw them:
email, phone.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from cxresearch.core import paths

__all__ = ["reading_note", "set_aside_file"]


def set_aside_file(table: str, directory: str | Path | None = None) -> Path:
    """Where the rows of ``table`` set aside in this run are listed.

    >>> set_aside_file("customers", "out").as_posix()
    'out/set_aside_customers.csv'
    """
    return Path(directory if directory is not None else paths.run_dir()) / (
        f"set_aside_{table}.csv")


def _location(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def reading_note(study: Any, *, write: bool = True, directory: str | Path | None = None,
                 width: int = 100) -> str:
    """One paragraph per table read: rows used, excluded, dropped and set aside.

    Parameters
    ----------
    study : LoadedStudy
        What :func:`cxresearch.io.readers.load_study` returned.
    write : bool
        Write the rows set aside to :func:`set_aside_file` (only when some were).
    directory : str or Path, optional
        The run's folder (default :func:`cxresearch.core.paths.run_dir`).
    width : int
        Line width of the text.

    Returns
    -------
    str
        The paragraphs, wrapped.
    """
    from cxresearch.io.readers import write_set_aside

    out = []
    for table, report in study.reports.items():
        if not report:
            continue
        parts = [f"{int(report.get('rows', 0)):,} rows used"]
        excluded = int(report.get("excluded_incomplete", 0) or 0)
        if excluded:
            inc = report.get("incomplete", {})
            parts.append(f"{excluded:,} unfinished or preview responses excluded ("
                         f"{inc.get('rule', 'the platform marks them')}; keep them with "
                         "keep_incomplete=True)")
        dropped = [d["column"] for d in report.get("dropped_pii", [])]
        if dropped:
            parts.append("personal data dropped before anything else saw them: "
                         + ", ".join(dropped))
        redacted = [d["column"] for d in report.get("redacted_pii", [])]
        if redacted:
            parts.append("personal data redacted inside " + ", ".join(redacted))
        n_aside = int(report.get("set_aside", 0) or 0)
        if n_aside:
            where = set_aside_file(table, directory)
            if write:
                write_set_aside(report, where)
            reasons = "; ".join(
                f"{r['column']} {r['rule']}, {r['rows']} row{'s' if r['rows'] != 1 else ''}"
                if isinstance(r, dict) else str(r)
                for r in report.get("set_aside_reasons", [])[:4])
            parts.append(f"{n_aside:,} rows set aside (out of range or malformed"
                         + (f": {reasons}" if reasons else "") + "), listed by response id in "
                         f"{_location(where)}")
        text = f"{table} ({report.get('source', table)}): " + "; ".join(parts) + "."
        out.append(textwrap.fill(text, width))
    return "\n".join(out)
