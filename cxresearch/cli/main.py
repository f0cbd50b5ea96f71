"""Command line: ``python -m cxresearch <command>`` (also installed as ``cxresearch``).

Run ``python -m cxresearch --help`` for the commands and ``python -m cxresearch COMMAND --help``
for each command's options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_parser", "main"]

_DESCRIPTION = """\
cxresearch: rerun the CX research notebooks, rebuild their data and check their records.

Typical use:
  python -m cxresearch run                      execute every notebook in order, in place
  python -m cxresearch run 03 05                execute notebooks 03 and 05 only
  python -m cxresearch run -p data_dir=exports/ rerun the studies on your own survey exports
                                                (results go to runs/, never over the record)
  python -m cxresearch data build               regenerate data/processed/ (seeded, synthetic)
  python -m cxresearch check exports/           can each notebook run on your folder? (runs nothing)
  python -m cxresearch report exports/          run what check allows and build a report site
                                                (runs/exports/_site/index.html; --zip to share it)
  python -m cxresearch sync                     update notebooks from their py:percent scripts
"""

_EPILOG = """\
Exit status: 0 on success, 1 when a notebook fails or a check finds a problem, 2 on bad usage.
Docs: README.md (overview, data, figures) and docs/DEVELOPING.md (conventions)."""


_REPORT_DESCRIPTION = """\
Run the notebooks that `check` allows on DATA_DIR, then build a report site of the results
that anyone can open in a browser, with no server and no network: OUT/_site/index.html.

  index.html      your data (each table's rows and columns, the personal-data columns
                  dropped, the instrument) and the run: each notebook ran, ran with N skipped
                  sections, failed (where and why), or was not run (and why)
  notebooks/      one page per executed notebook (the code folded, one click away)
  gallery.html    the figures with captions, alt text and PNG/SVG/PDF/CSV downloads: those
                  from your data apart from the demonstrations on synthetic or public data
  findings.html   what these data can and cannot say: the sentences about your data, the
                  sections skipped and why, what the designs can support, the demonstrations

Notebooks named on the command line narrow the set (a notebook check says cannot run is never
run); 09 and 10 read other files (a poll export, job postings) and run only when named.
No table of your data is copied into the site, and the finished site is read for e-mail
addresses, phone numbers and your files' respondent ids and personal values: a hit is
listed, no zip is written and the exit status is 1."""

_REPORT_EPILOG = """\
Exit status: 0 when every notebook that ran succeeded and the site is clean, 1 when a notebook
failed (the site is still built) or personal data were found in the site, 2 on bad usage.

Examples:
  python -m cxresearch report exports/                     all that check allows, into
                                                           runs/exports/
  python -m cxresearch report exports/ 01 05 -o q3/        notebooks 01 and 05 only, into q3/
  python -m cxresearch report exports/ -o q3/ --no-run --zip
                                                           rebuild q3/_site from the notebooks
                                                           already run there, and zip it"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and for documentation)."""
    parser = argparse.ArgumentParser(
        prog="python -m cxresearch",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="store_true", help="print the package version")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="execute notebooks with papermill (all, in order, by default)",
        description=(
            "Execute notebooks through papermill, in name order, with a progress bar. Without "
            "-p the notebooks are executed in place and cleaned of volatile metadata. With -p "
            "(other data or settings) the executed copies go to runs/ and figures to "
            "runs/figures/ unless --output-dir is given. A notebook that fails does not stop the "
            "run: its cell and error are named, its partly executed copy is kept in "
            "OUTPUT_DIR/failed/ (runs/failed/ without --output-dir), and the next notebook runs. "
            "The run ends with a table: each notebook, whether it ran (and how many sections it "
            "skipped, with the reasons in the notebook) or failed (cell and error), its time and "
            "where its output is. Exit status 1 when any notebook failed."
        ),
    )
    run.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="notebook path, name, stem or number prefix such as 03 (default: all)",
    )
    run.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter of the notebooks' `parameters` cell, e.g. -p data_dir=exports/ "
        "-p seed=7 (values parse as Python literals when they can); repeatable",
    )
    run.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=None,
        help="write executed notebooks (and figures) here instead of in place",
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bars")

    sync = sub.add_parser(
        "sync",
        help="keep notebooks and their py:percent scripts (notebooks/scripts/) paired",
        description="Update notebooks from their paired scripts (default) or the reverse, "
        "keeping the outputs of unchanged cells; --check only reports pairs out of sync.",
    )
    sync.add_argument(
        "--from",
        dest="direction",
        choices=["scripts", "notebooks"],
        default="scripts",
        help="which side is the source (default: scripts)",
    )
    sync.add_argument("--check", action="store_true", help="report only; exit 1 if out of sync")

    clean = sub.add_parser(
        "clean",
        help="strip volatile metadata from notebooks (outputs are kept)",
        description="Drop papermill timestamps, execution metadata and language_info, as "
        "nbdev's clean does, so a rerun leaves no diff.",
    )
    clean.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="default: all")

    data = sub.add_parser(
        "data",
        help="build or verify data/processed/ (the seeded synthetic study)",
        description="build: regenerate data/processed/ from the seeded simulation "
        "(identical bytes for the same seed), with its data dictionary and sha256 manifest. "
        "verify: check data/processed/ against its sha256 manifest.",
    )
    data.add_argument("action", choices=["build", "verify"])
    data.add_argument(
        "--seed",
        type=int,
        default=None,
        help="simulation seed (default: 0, the seed of the bundled data)",
    )
    data.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output directory (default: data/processed/ or $CXRESEARCH_PROCESSED_DIR)",
    )

    figures = sub.add_parser(
        "figures",
        help="list the published figures, or export chosen ones with a CREDITS.txt",
        description="List every figure in figures/manifest.json: name, source notebook, "
        "caption. With --export DIR, copy the chosen figures (--name, --format) to DIR with a "
        "CREDITS.txt holding their captions, alt texts, sources, data provenance and suggested "
        "citations, ready to hand to an editor. `make figures` reruns the notebooks that "
        "make them.",
    )
    figures.add_argument("--export", type=Path, default=None, metavar="DIR",
                         help="copy the chosen figures and a CREDITS.txt to DIR")
    figures.add_argument("--format", default="png,svg,pdf,csv", metavar="LIST",
                         help="with --export: comma-separated formats from png, svg, pdf, csv "
                         "(default: all four)")
    figures.add_argument("--name", default="*", metavar="PATTERN",
                         help="figure-name pattern(s), comma-separated, e.g. '03_*,11_event*' "
                         "(default: all)")
    sub.add_parser("list", help="list the notebooks in run order with their titles")

    check = sub.add_parser(
        "check",
        help="validate a data folder and say which notebooks can run on it (runs nothing)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Validate a data folder without running anything, and say for each notebook whether it can
run on it and, if not, what is missing (tables, columns, instrument sections).

The folder holds your tables as .parquet, .csv, .xlsx or .sav files, named
  customers   one row per customer answer (a respondent id, a 0-10 recommend column, ...)
  employees   one row per employee answer (scale items)
  firms, firm_years          the bundled study's design (answers nested in firms)
  units, outcomes            a one-company design: one row per store/branch/team, and one row
                             per unit and period (the instrument's unit and time)
and, optionally, an instrument.yml saying what the answers are nested in (unit, time), the
weight, the scales, metrics, drivers and segments. Survey platforms' exports (Qualtrics,
SurveyMonkey, Google Forms) are read as they are; personal data are dropped when read.

Prints the instrument, each table (rows, columns, personal data dropped) and one line per
notebook: yes (what it will use; sections it will skip) or NO (what is missing).""",
        epilog="""\
Exit status: 0 when the instrument and every table are valid (even if some notebooks lack a
table they need), 1 when a table or the instrument has a problem, 2 on bad usage.
Then: python -m cxresearch run 01 -p data_dir=DATA_DIR [-p instrument=PATH]""",
    )
    check.add_argument("data_dir", type=Path, metavar="DATA_DIR",
                       help="the folder with your tables (as given to -p data_dir=)")
    check.add_argument("--instrument", type=Path, default=None, metavar="PATH",
                       help="an instrument.yml to use instead of DATA_DIR/instrument.yml "
                       "(as -p instrument=PATH on `run`)")
    check.add_argument("--on-invalid", choices=("raise", "set_aside"), default="raise",
                       dest="on_invalid",
                       help="what the run will do with out-of-range or malformed answers: "
                       "raise (default: the table cannot be read) or set_aside (left out and "
                       "listed by response id; as -p on_invalid=set_aside on `run`)")
    report = sub.add_parser(
        "report",
        help="run what check allows on your folder and build a report site (OUT/_site)",
        description=_REPORT_DESCRIPTION,
        epilog=_REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("data_dir", type=Path, metavar="DATA_DIR",
                        help="the folder with your tables (as for `check` and -p data_dir=)")
    report.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                        help="run only these (number prefix such as 01, stem or name; "
                        "default: every notebook check says can run)")
    report.add_argument("-o", "--output-dir", type=Path, default=None, metavar="OUT",
                        help="where the executed notebooks, figures/ and _site/ go "
                        "(default: runs/<DATA_DIR's name>/)")
    report.add_argument("--instrument", type=Path, default=None, metavar="PATH",
                        help="an instrument.yml to use instead of DATA_DIR/instrument.yml")
    report.add_argument("-p", "--parameter", action="append", default=[],
                        metavar="NAME=VALUE",
                        help="another parameter for the notebooks, e.g. -p seed=7 (as on "
                        "`run`; data_dir and instrument are set for you); repeatable")
    report.add_argument("--no-run", dest="run", action="store_false",
                        help="run nothing: build the site from the notebooks already "
                        "executed in OUT")
    report.add_argument("--zip", action="store_true",
                        help="also write OUT/<DATA_DIR's name>_report.zip holding the site")
    report.add_argument("--no-progress", action="store_true", help="no progress bars")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    from cxresearch.cli.runner import format_summary, parse_parameters, run_notebooks

    try:
        parameters = parse_parameters(args.parameter)
        result = run_notebooks(
            args.notebooks or None,
            parameters=parameters,
            output_dir=args.output_dir,
            progress=not args.no_progress,
            keep_going=True,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # the details of each failure (the cell's first line, the partly executed copy), then the table
    for error in result.attrs.get("errors", []):
        print(f"error: {error}", file=sys.stderr)
    sys.stderr.flush()
    print(format_summary(result))
    return 1 if (result["status"] != "ok").any() else 0


def _cmd_sync(args: argparse.Namespace) -> int:
    from cxresearch.cli.notebooks import check_pairs, sync_pairs

    table = check_pairs() if args.check else sync_pairs(args.direction)
    print(table.to_string(index=False))
    return 0 if (table["status"] == "in sync").all() else 1


def _cmd_clean(args: argparse.Namespace) -> int:
    import nbformat

    from cxresearch.cli.notebooks import write_notebook
    from cxresearch.cli.runner import resolve_notebooks

    for path in resolve_notebooks(args.notebooks or None):
        write_notebook(nbformat.read(path, as_version=4), path)
        print(f"cleaned {path.name}")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from cxresearch.cli import data_build

    if args.action == "build":
        kwargs = {"out_dir": args.out}
        if args.seed is not None:
            kwargs["seed"] = args.seed
        written = data_build.build(**kwargs)
        for path in written:
            print(f"wrote {path.name}")
        return 0
    problems = data_build.verify(args.out)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if not problems:
        print("data/processed matches its sha256 manifest")
    return 1 if problems else 0


def _cmd_figures(args: argparse.Namespace) -> int:
    import fnmatch

    from cxresearch.report.manifest import load_manifest
    from cxresearch.report.site import export_figures

    manifest = load_manifest()
    if not manifest:
        print("no figures yet: run `make run` or `python -m cxresearch run`")
        return 0
    if args.export is not None:
        try:
            result = export_figures(args.export, formats=args.format.split(","),
                                    names=args.name)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        for path in result.files:
            print(path.name)
        print(result.summary(), file=sys.stderr if result.missing else sys.stdout)
        return 1 if result.missing else 0
    patterns = [p.strip() for p in args.name.split(",") if p.strip()]
    for name, entry in sorted(manifest.items()):
        if any(fnmatch.fnmatch(name, p) for p in patterns):
            print(f"{name}  [{entry.get('source', '?')}]\n    {entry.get('caption', '')}")
    return 0


def _cmd_list(_: argparse.Namespace) -> int:
    import nbformat

    from cxresearch.cli.notebooks import list_notebooks

    for path in list_notebooks():
        nb = nbformat.read(path, as_version=4)
        title = next(
            (
                line.lstrip("# ").strip()
                for cell in nb.cells
                if cell.cell_type == "markdown"
                for line in cell.source.splitlines()
                if line.startswith("# ")
            ),
            "",
        )
        print(f"{path.stem:<40} {title}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from cxresearch.cli.check import check_folder
    from cxresearch.core.validation import DataError

    try:
        result = check_folder(args.data_dir, instrument=args.instrument,
                              on_invalid=args.on_invalid)
    except (DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0 if result.ok() else 1


def _cmd_report(args: argparse.Namespace) -> int:
    from cxresearch.cli.report import command

    return command(args)


_COMMANDS = {
    "run": _cmd_run,
    "sync": _cmd_sync,
    "clean": _cmd_clean,
    "data": _cmd_data,
    "figures": _cmd_figures,
    "list": _cmd_list,
    "check": _cmd_check,
    "report": _cmd_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from cxresearch import __version__

        print(__version__)
        return 0
    if not args.command:
        parser.print_help()
        return 2
    return _COMMANDS[args.command](args)
