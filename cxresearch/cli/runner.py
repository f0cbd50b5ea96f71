"""Execute the project's notebooks with papermill, in order, reproducibly.

``python -m cxresearch run`` (no arguments) executes every ``notebooks/NN_*.ipynb`` in place, in
name order, and cleans volatile metadata so a rerun on the same data leaves ``git status`` empty.
It is the only way figures are written into ``figures/``: a notebook executed any other way
(papermill, JupyterLab) writes them to ``runs/scratch/figures/``
(:func:`cxresearch.core.paths.figure_output_dir`).

Runs with parameters (``-p data_dir=PATH``) are runs on *other* data: they must not overwrite the
committed record. A run with ``data_dir`` ends each notebook at its conclusion: the course
material after it (the failure lessons and the exercises, which use the bundled synthetic study
and simulations whatever the data) is left out. Unless an output directory is given, the
executed notebooks go to ``runs/`` and their figures to ``runs/figures/``
(``$CXRESEARCH_FIGURES_DIR``).

A notebook is executed into a temporary file first; only a successful run replaces the target.
A failure raises :class:`NotebookExecutionError`, which names the notebook, the cell (its index
and ``In [n]`` number), the first line of its source and the error; the partially executed
notebook is kept for inspection in ``OUTPUT_DIR/failed/`` when an output directory is given, else
in ``runs/failed/``. With ``keep_going=True`` (what ``python -m cxresearch run`` uses) a failure is
recorded and the next notebook runs; :func:`format_summary` turns the returned table into the
summary the command prints: notebook, ran / ran with N skipped sections / failed (cell and error),
time, and where the output is. Skipped sections are counted from the executed notebook's outputs:
the skip notices of :func:`cxresearch.cli.check.skipped` (:func:`count_skipped`).

Example
-------
>>> parse_parameters(["data_dir=/data/export", "seed=7", "alpha=0.1", "label=Q3 wave"])
{'data_dir': '/data/export', 'seed': 7, 'alpha': 0.1, 'label': 'Q3 wave'}
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.cli.notebooks import list_notebooks, write_notebook
from cxresearch.core import paths

__all__ = [
    "NotebookExecutionError",
    "count_skipped",
    "format_summary",
    "notebook_parameters",
    "parse_parameters",
    "resolve_notebooks",
    "run_notebooks",
]


@dataclass
class NotebookExecutionError(RuntimeError):
    """A notebook failed: which one, in which cell, with what error."""

    notebook: str
    cell_index: int | None
    exec_count: int | None
    source_line: str
    ename: str
    evalue: str
    saved_to: str | None = None
    n_cells: int | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # copy and pickle by fields (Exception's default rebuilds from ``args``, empty here)
        return (type(self), tuple(getattr(self, f.name) for f in fields(self)))

    @property
    def where(self) -> str:
        """The failing cell as Jupyter shows it, e.g. ``cell 4 of 4 (In [3])``."""
        # cell_index is 0-based (nbformat); people count cells from 1, as Jupyter shows them
        if self.cell_index is not None:
            of = f" of {self.n_cells}" if self.n_cells else ""
            return f"cell {self.cell_index + 1}{of} (In [{self.exec_count}])"
        if self.exec_count is not None:
            return f"In [{self.exec_count}]"
        return "before any cell ran"

    def one_line(self) -> str:
        """Cell and error in one line, for a summary table.

        >>> NotebookExecutionError("96_b.ipynb", 2, 2, "1 / 0", "ZeroDivisionError",
        ...                        "division by zero", n_cells=3).one_line()
        'failed in cell 3 of 3 (In [2]): ZeroDivisionError: division by zero'
        """
        lines = str(self.evalue).strip().splitlines()
        first = lines[0] if lines else ""
        first = first if len(first) <= 120 else first[:119].rstrip() + "…"
        error = f"{self.ename}: {first}" if first else self.ename
        return f"failed in {self.where}: {error}"

    def __str__(self) -> str:
        lines = [
            f"notebook {self.notebook} failed in {self.where}: {self.ename}: {self.evalue}",
        ]
        if self.source_line:
            lines.append(f"  cell starts: {self.source_line}")
        if self.saved_to:
            lines.append(f"  the partly executed notebook is in {self.saved_to}")
        return "\n".join(lines)


def parse_parameters(items: Sequence[str] | None) -> dict[str, Any]:
    """Parse ``name=value`` strings; values are Python literals when they parse as one.

    >>> parse_parameters(["n=100", "flag=True", "name=plain text", "empty="])
    {'n': 100, 'flag': True, 'name': 'plain text', 'empty': ''}
    """
    result: dict[str, Any] = {}
    for item in items or []:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise ValueError(
                f"parameter {item!r} is not of the form name=value (name a Python identifier)"
            )
        try:
            value: Any = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            value = raw
        result[name] = value
    return result


def resolve_notebooks(names: Sequence[str] | None = None) -> list[Path]:
    """Map names to notebook paths: a path, a file name, a stem, or a number prefix (``"03"``).

    With no names, every notebook in ``notebooks/`` in order.

    >>> [p.name for p in resolve_notebooks(["00"])]
    ['00_start_here.ipynb']
    """
    available = list_notebooks()
    if not names:
        return available
    chosen: list[Path] = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix == ".ipynb" and candidate.exists():
            chosen.append(candidate.resolve())
            continue
        matches = [
            p
            for p in available
            if name in {p.name, p.stem}
            or p.name.startswith(f"{name}_")
            or p.stem == Path(name).stem
        ]
        if len(matches) != 1:
            listing = ", ".join(p.stem for p in available) or "none"
            problem = "matches no notebook" if not matches else "is ambiguous"
            raise ValueError(f"notebook {name!r} {problem}; available: {listing}")
        chosen.append(matches[0])
    return chosen


def notebook_parameters(path: str | Path) -> set[str]:
    """Names assigned in a notebook's cell tagged ``parameters`` (papermill's inspection).

    >>> sorted(notebook_parameters(resolve_notebooks(["00"])[0]))
    ['detractors', 'level', 'passives', 'promoters', 'small_counts']
    """
    import papermill as pm

    return set(pm.inspect_notebook(str(path)))


def _display_name(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


def _location(path: Path) -> str:
    """Where a written file is: relative to the project when inside it, else its full path."""
    try:
        return path.resolve().relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path.resolve())


def _skip_marker() -> str:
    """The words every skip notice of :func:`cxresearch.cli.check.skipped` contains."""
    from cxresearch.cli.check import Skipped

    text = str(Skipped("\x00", "\x01"))
    return text[text.index("\x00") + 1 : text.index("\x01")]


def count_skipped(nb: Any) -> int:
    """How many sections an executed notebook skipped: its distinct skip notices.

    The notices are the sentences of :func:`cxresearch.cli.check.skipped`, printed or displayed
    as a cell's result (its plain-text form); the same notice shown again (a section with two
    tables) counts once. Error outputs are not counted: a notebook that stops with a skip
    sentence failed, it did not skip.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    int
        The number of skipped sections.

    Examples
    --------
    >>> import nbformat
    >>> from cxresearch.cli.check import skipped
    >>> cell = nbformat.v4.new_code_cell("...")
    >>> cell.outputs = [
    ...     nbformat.v4.new_output("stream", name="stdout",
    ...                            text=f"{skipped('Drivers', ['no drivers'])}\\n"),
    ...     nbformat.v4.new_output("execute_result", execution_count=1,
    ...                            data={"text/plain": repr(skipped("Cells", ["no unit"]))}),
    ...     nbformat.v4.new_output("execute_result", execution_count=2,
    ...                            data={"text/plain": repr(skipped("Cells", ["no unit"]))}),
    ...     nbformat.v4.new_output("stream", name="stdout", text="3,000 answers\\n")]
    >>> count_skipped(nbformat.v4.new_notebook(cells=[cell]))
    2
    """
    pattern = re.compile(r"^.*" + re.escape(_skip_marker()) + r".*$", re.MULTILINE)
    found: set[str] = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream":
                text = output.get("text", "")
            elif output.get("output_type") in ("execute_result", "display_data"):
                data = output.get("data", {})
                text = data.get("text/plain") or data.get("text/markdown") or ""
            else:
                continue
            if isinstance(text, list):
                text = "".join(text)
            found.update(line.strip() for line in pattern.findall(text))
    return len(found)


def _duration(seconds: float) -> str:
    """
    >>> _duration(3.14), _duration(125.0)
    ('3.1 s', '2 min 05 s')
    """
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


#: the widest status shown in the summary table (the full error is printed above it)
STATUS_WIDTH = 100


def _shorten(text: str, width: int = STATUS_WIDTH) -> str:
    """
    >>> _shorten("x" * 120, 10)
    'xxxxxxxxx…'
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def format_summary(table: pd.DataFrame) -> str:
    """The summary ``python -m cxresearch run`` prints after the last notebook.

    One line per notebook: its name, ``ran``, ``ran with N skipped sections``, ``failed in
    cell ... : error`` or ``not run: ...`` (why ``check`` says it cannot run; one line each,
    at most :data:`STATUS_WIDTH` characters), the time it took and where its output is (for a failed
    notebook, its partly executed copy), then a count.

    Parameters
    ----------
    table : pandas.DataFrame
        What :func:`run_notebooks` returns.

    Returns
    -------
    str
        The table as plain text.

    Examples
    --------
    >>> t = pd.DataFrame({"notebook": ["01_a.ipynb", "02_b.ipynb", "03_c.ipynb"],
    ...                   "output": ["out/01_a.ipynb", "out/failed/02_b.ipynb", "out/03_c.ipynb"],
    ...                   "seconds": [2.0, 1.5, 3.0], "status": ["ok", "failed", "ok"],
    ...                   "skipped": [0, 0, 2],
    ...                   "error": ["", "failed in cell 3 of 9 (In [2]): KeyError: 'x'", ""]})
    >>> print(format_summary(t))
    notebook    status                                          time   output
    01_a.ipynb  ran                                             2.0 s  out/01_a.ipynb
    02_b.ipynb  failed in cell 3 of 9 (In [2]): KeyError: 'x'  1.5 s  out/failed/02_b.ipynb
    03_c.ipynb  ran with 2 skipped sections                     3.0 s  out/03_c.ipynb
    <BLANKLINE>
    3 notebooks: 2 ran (1 with skipped sections), 1 failed.
    """
    header = ("notebook", "status", "time", "output")
    rows = []
    for row in table.itertuples(index=False):
        skipped = int(getattr(row, "skipped", 0) or 0)
        if row.status != "ok":
            status = _shorten(str(getattr(row, "error", "") or row.status))
        elif skipped:
            status = f"ran with {skipped} skipped section{'s' if skipped != 1 else ''}"
        else:
            status = "ran"
        rows.append((str(row.notebook), status, _duration(float(row.seconds)), str(row.output)))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r[:3], widths, strict=True)) + "  " + r[3]
        for r in [header, *rows]
    ]
    n_failed = int((table["status"] == "failed").sum())
    n_not_run = int((table["status"] == "not run").sum())
    n_ran = int((table["status"] == "ok").sum())
    with_skips = int(((table["status"] == "ok") & (table.get("skipped", 0) > 0)).sum())
    plural = "s" if len(table) != 1 else ""
    count = f"{len(table)} notebook{plural}: {n_ran} ran"
    if with_skips:
        count += f" ({with_skips} with skipped sections)"
    count += f", {n_failed} failed"
    count += f", {n_not_run} not run (check says they cannot)." if n_not_run else "."
    return "\n".join([*lines, "", count])


#: parameters that name a file or folder: made absolute against the caller's working directory,
#: because the notebooks run with the notebooks/ folder as their working directory
PATH_PARAMETERS = ("data_dir", "instrument")


def _absolute_paths(parameters: dict[str, Any]) -> dict[str, Any]:
    """``-p data_dir=exports`` means ``exports`` as seen from where the command was typed.

    >>> import os
    >>> _absolute_paths({"data_dir": "x", "seed": 1})["data_dir"] == os.path.abspath("x")
    True
    """
    out = dict(parameters)
    for name in PATH_PARAMETERS:
        value = out.get(name)
        if isinstance(value, str | os.PathLike) and not Path(value).is_absolute():
            out[name] = str(Path(value).resolve())
    return out


def _without_course(nb_path: Path, tmp: Path) -> Path:
    """A copy of the notebook that ends before its course material (the failure lessons and the
    exercises after its conclusion, :data:`cxresearch.report.run_site.COURSE_HEADINGS`): they
    use the bundled synthetic study and simulations whatever the data, so a run on other data
    (``data_dir``) leaves them out. The notebook itself when it has none."""
    from cxresearch.report.run_site import COURSE_HEADINGS

    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb.get("cells", [])):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown" and source.lstrip().startswith(COURSE_HEADINGS):
            nb["cells"] = nb["cells"][:i]
            copy = tmp / f"input_{nb_path.name}"
            copy.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
            return copy
    return nb_path


def run_notebooks(
    notebooks: Sequence[str | Path] | None = None,
    parameters: dict[str, Any] | None = None,
    output_dir: str | Path | None = None,
    *,
    progress: bool = True,
    kernel_name: str = "python3",
    start_timeout: int = 120,
    keep_going: bool = False,
    only_runnable: bool = True,
    course: bool | None = None,
) -> pd.DataFrame:
    """Execute notebooks in order; return one row per notebook.

    Parameters
    ----------
    notebooks : sequence of str or Path, optional
        Paths, names, stems or number prefixes (:func:`resolve_notebooks`); default: all.
    parameters : dict, optional
        Values for the notebooks' ``parameters`` cells; each notebook gets the ones it declares.
        With parameters and no ``output_dir`` the executed copies go to ``runs/``.
    output_dir : str or Path, optional
        Where executed notebooks go (figures in ``figures/`` and partly executed copies of
        failed notebooks in ``failed/`` under it). Default: in place, or ``runs/``.
    progress : bool
        Show progress bars.
    kernel_name, start_timeout
        Passed to papermill.
    keep_going : bool
        False (default): stop at the first failure with :class:`NotebookExecutionError`.
        True: record the failure in the table and run the next notebook.
    only_runnable : bool
        True (default): when ``parameters`` has a ``data_dir`` that is a folder, ask
        :func:`cxresearch.cli.check.check_folder` first and do not execute a notebook it says
        cannot run on that folder; its row says ``not run`` and why (``check`` predicts ``run``).
        Notebooks that read other files (09 a poll export, 10 job postings) run only when named.
        False: execute every selected notebook.
    course : bool, optional
        Execute the course material after a notebook's conclusion (the failure lessons and
        the exercises, which use the bundled study and simulations whatever the data)? Default:
        yes, unless ``parameters`` has a ``data_dir`` (a run on other data leaves it out).

    Returns
    -------
    pandas.DataFrame
        ``notebook``, ``output`` (the executed copy, or the failed copy), ``seconds``,
        ``status`` (``"ok"``, ``"failed"`` or ``"not run"``), ``skipped`` (skip notices shown,
        :func:`count_skipped`) and ``error`` (:meth:`NotebookExecutionError.one_line`, empty
        when it ran; for ``"not run"``, the reason ``check`` gives); ``attrs["errors"]``
        holds the :class:`NotebookExecutionError` objects.
        :func:`format_summary` prints it.

    Examples
    --------
    >>> table = run_notebooks(["00"], output_dir=tmp, progress=False)  # doctest: +SKIP
    >>> table[["notebook", "status", "skipped"]]  # doctest: +SKIP
                 notebook status  skipped
    0  00_start_here.ipynb     ok        0
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from tqdm.auto import tqdm

    targets = resolve_notebooks([str(n) for n in notebooks] if notebooks else None)
    if not targets:
        raise ValueError(f"no notebooks found in {_display_name(paths.NOTEBOOKS_DIR)}")
    parameters = _absolute_paths(dict(parameters or {}))
    out_dir: Path | None = Path(output_dir).resolve() if output_dir is not None else None

    accepted = {path: notebook_parameters(path) for path in targets}
    if parameters:
        known = set().union(*accepted.values())
        unknown = sorted(set(parameters) - known)
        if unknown:
            raise ValueError(
                f"parameter(s) {unknown} are not in the `parameters` cell of any selected "
                f"notebook; known: {sorted(known)}"
            )

    blocked = _blocked(targets, parameters, named=bool(notebooks)) if only_runnable else {}

    # set only once the call is valid: a refused call leaves the environment as it was
    env_backup = os.environ.get("CXRESEARCH_FIGURES_DIR")
    run_backup = os.environ.get("CXRESEARCH_RUN_DIR")
    if parameters and out_dir is None:
        out_dir = paths.RUNS_DIR
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        if env_backup is None:
            os.environ["CXRESEARCH_FIGURES_DIR"] = str(out_dir / "figures")
        if run_backup is None:
            os.environ["CXRESEARCH_RUN_DIR"] = str(out_dir)
    elif env_backup is None:  # the published run: the only one that writes figures/
        os.environ["CXRESEARCH_FIGURES_DIR"] = str(paths.FIGURES_DIR)
    if os.environ.get("CXRESEARCH_FIGURE_DRAFT") == "1" and Path(
            os.environ.get("CXRESEARCH_FIGURES_DIR", "")) == paths.FIGURES_DIR:
        if env_backup is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
        raise ValueError("CXRESEARCH_FIGURE_DRAFT=1 (draft figures, for tests) would write stub "
                         "PDFs into figures/: unset it for a published run")


    # partly executed copies of failed notebooks: under the output directory when there is one
    failed_dir = (out_dir if out_dir is not None else paths.RUNS_DIR) / "failed"
    rows: list[dict[str, Any]] = []
    errors: list[NotebookExecutionError] = []
    bar = tqdm(targets, desc="notebooks", unit="nb", disable=not progress)
    try:
        for nb_path in bar:
            bar.set_postfix_str(nb_path.stem)
            if nb_path in blocked:
                rows.append({"notebook": nb_path.name, "output": "", "seconds": 0.0,
                             "status": "not run", "skipped": 0, "error": blocked[nb_path]})
                continue
            target = (out_dir / nb_path.name) if out_dir is not None else nb_path
            started = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="cxresearch-run-") as tmp:
                scratch = Path(tmp) / nb_path.name
                keep_course = (parameters.get("data_dir") is None) if course is None else course
                source = nb_path if keep_course else _without_course(nb_path, Path(tmp))
                try:
                    nb = pm.execute_notebook(
                        str(source),
                        str(scratch),
                        # each notebook gets only the parameters it declares
                        parameters={k: v for k, v in parameters.items() if k in accepted[nb_path]}
                        or None,
                        kernel_name=kernel_name,
                        cwd=str(nb_path.parent),
                        progress_bar={"leave": False, "desc": nb_path.stem} if progress else False,
                        log_output=False,
                        request_save_on_cell_execute=False,
                        start_timeout=start_timeout,
                        # quiet the kernel's own start-up and shutdown notices (cell errors surface)
                        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    )
                except PapermillExecutionError as exc:
                    failure = _execution_error(nb_path, scratch, exc, failed_dir)
                    cause: BaseException | None = None
                except Exception as exc:  # kernel died, bad parameters, missing kernel ...
                    failure = NotebookExecutionError(
                        _display_name(nb_path), None, None, "", type(exc).__name__, str(exc)
                    )
                    cause = exc
                else:
                    failure = None
                    skipped = count_skipped(nb)
                    write_notebook(nb, target)
            seconds = round(time.perf_counter() - started, 1)
            if failure is not None:
                if not keep_going:
                    raise failure from cause
                errors.append(failure)
                failed_copy = failed_dir / nb_path.name
                rows.append(
                    {
                        "notebook": nb_path.name,
                        "output": failure.saved_to or "",
                        "seconds": seconds,
                        "status": "failed",
                        "skipped": count_skipped(_read(failed_copy)) if failure.saved_to else 0,
                        "error": failure.one_line(),
                    }
                )
                continue
            rows.append(
                {
                    "notebook": nb_path.name,
                    "output": _location(target),
                    "seconds": seconds,
                    "status": "ok",
                    "skipped": skipped,
                    "error": "",
                }
            )
    finally:
        bar.close()
        if env_backup is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
        if run_backup is None:
            os.environ.pop("CXRESEARCH_RUN_DIR", None)
    table = pd.DataFrame(rows, columns=["notebook", "output", "seconds", "status", "skipped",
                                        "error"])
    table.attrs["errors"] = errors
    return table


def _blocked(targets: Sequence[Path], parameters: dict[str, Any], *, named: bool
             ) -> dict[Path, str]:
    """The notebooks ``check`` says cannot run on ``parameters["data_dir"]``, with the reason."""
    data_dir = parameters.get("data_dir")
    if not isinstance(data_dir, str | os.PathLike) or not Path(data_dir).is_dir():
        return {}
    from cxresearch.cli.check import check_folder
    from cxresearch.core.validation import DataError

    try:
        verdicts = check_folder(data_dir, parameters.get("instrument"),
                                on_invalid=parameters.get("on_invalid", "raise")).to_frame()
    except (DataError, FileNotFoundError) as exc:
        return {p: f"not run: {exc}" for p in targets}
    verdicts = verdicts.set_index("notebook")
    out: dict[Path, str] = {}
    for path in targets:
        if path.stem not in verdicts.index:
            continue
        row = verdicts.loc[path.stem]
        if pd.isna(row["can_run"]):
            if not named:
                out[path] = (f"not run: it {row['uses'].split(' (')[0]}; name it to run it "
                             f"(run {path.stem.split('_')[0]} -p data_dir=...)")
        elif not bool(row["can_run"]):
            out[path] = f"not run: check says it needs {row['missing']}"
    return out


def _read(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def _execution_error(
    nb_path: Path, scratch: Path, exc: Any, failed_dir: Path
) -> NotebookExecutionError:
    import nbformat

    saved_to = None
    cell_index = None
    n_cells = None
    if scratch.exists():
        failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scratch, failed_dir / nb_path.name)
        saved_to = _location(failed_dir / nb_path.name)
        # papermill inserts an error-marker cell at the top; find the failing cell by its count
        nb = nbformat.read(scratch, as_version=4)
        cells = [
            c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])
        ]
        n_cells = len(cells)
        for index, cell in enumerate(cells):
            if cell.cell_type == "code" and cell.get("execution_count") == exc.exec_count:
                cell_index = index
                break
    first_line = next((ln for ln in str(exc.source).splitlines() if ln.strip()), "")
    return NotebookExecutionError(
        notebook=_display_name(nb_path),
        cell_index=cell_index,
        exec_count=exc.exec_count,
        source_line=first_line[:120],
        ename=str(exc.ename),
        evalue=str(exc.evalue).splitlines()[0][:500] if str(exc.evalue) else "",
        saved_to=saved_to,
        n_cells=n_cells,
    )
