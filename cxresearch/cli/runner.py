"""Execute the project's notebooks with papermill, in order, reproducibly.

``python -m cxresearch run`` (no arguments) executes every ``notebooks/NN_*.ipynb`` in place, in
name order, and cleans volatile metadata so a rerun on the same data leaves ``git status`` empty.

Runs with parameters (``-p data_dir=PATH``) are runs on *other* data: they must not overwrite the
committed record. Unless an output directory is given, the executed notebooks go to ``runs/`` and
their figures to ``runs/figures/`` (``$CXRESEARCH_FIGURES_DIR``).

A notebook is executed into a temporary file first; only a successful run replaces the target.
A failure raises :class:`NotebookExecutionError`, which names the notebook, the cell (its index
and ``In [n]`` number), the first line of its source and the error; the partially executed
notebook is kept in ``runs/failed/`` for inspection.

Example
-------
>>> parse_parameters(["data_dir=/data/export", "seed=7", "alpha=0.1", "label=Q3 wave"])
{'data_dir': '/data/export', 'seed': 7, 'alpha': 0.1, 'label': 'Q3 wave'}
"""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.cli.notebooks import list_notebooks, write_notebook
from cxresearch.core import paths

__all__ = [
    "NotebookExecutionError",
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

    def __str__(self) -> str:
        # cell_index is 0-based (nbformat); people count cells from 1, as Jupyter shows them
        if self.cell_index is not None:
            of = f" of {self.n_cells}" if self.n_cells else ""
            where = f"cell {self.cell_index + 1}{of} (In [{self.exec_count}])"
        else:
            where = "before any cell ran"
        lines = [
            f"notebook {self.notebook} failed in {where}: {self.ename}: {self.evalue}",
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


def run_notebooks(
    notebooks: Sequence[str | Path] | None = None,
    parameters: dict[str, Any] | None = None,
    output_dir: str | Path | None = None,
    *,
    progress: bool = True,
    kernel_name: str = "python3",
    start_timeout: int = 120,
) -> pd.DataFrame:
    """Execute notebooks in order; return one row per notebook (``notebook``, ``output``,
    ``seconds``, ``status``). Stops at the first failure with :class:`NotebookExecutionError`.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    from tqdm.auto import tqdm

    targets = resolve_notebooks([str(n) for n in notebooks] if notebooks else None)
    if not targets:
        raise ValueError(f"no notebooks found in {_display_name(paths.NOTEBOOKS_DIR)}")
    parameters = _absolute_paths(dict(parameters or {}))
    out_dir: Path | None = Path(output_dir).resolve() if output_dir is not None else None
    env_backup = os.environ.get("CXRESEARCH_FIGURES_DIR")
    if parameters and out_dir is None:
        out_dir = paths.RUNS_DIR
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        if env_backup is None:
            os.environ["CXRESEARCH_FIGURES_DIR"] = str(out_dir / "figures")

    accepted = {path: notebook_parameters(path) for path in targets}
    if parameters:
        known = set().union(*accepted.values())
        unknown = sorted(set(parameters) - known)
        if unknown:
            raise ValueError(
                f"parameter(s) {unknown} are not in the `parameters` cell of any selected "
                f"notebook; known: {sorted(known)}"
            )

    rows = []
    bar = tqdm(targets, desc="notebooks", unit="nb", disable=not progress)
    try:
        for nb_path in bar:
            bar.set_postfix_str(nb_path.stem)
            target = (out_dir / nb_path.name) if out_dir is not None else nb_path
            started = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="cxresearch-run-") as tmp:
                scratch = Path(tmp) / nb_path.name
                try:
                    nb = pm.execute_notebook(
                        str(nb_path),
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
                    raise _execution_error(nb_path, scratch, exc) from None
                except Exception as exc:  # kernel died, bad parameters, missing kernel ...
                    raise NotebookExecutionError(
                        _display_name(nb_path), None, None, "", type(exc).__name__, str(exc)
                    ) from exc
                write_notebook(nb, target)
            rows.append(
                {
                    "notebook": nb_path.name,
                    "output": _display_name(target),
                    "seconds": round(time.perf_counter() - started, 1),
                    "status": "ok",
                }
            )
    finally:
        bar.close()
        if env_backup is None:
            os.environ.pop("CXRESEARCH_FIGURES_DIR", None)
    return pd.DataFrame(rows, columns=["notebook", "output", "seconds", "status"])


def _execution_error(nb_path: Path, scratch: Path, exc: Any) -> NotebookExecutionError:
    import nbformat

    saved_to = None
    cell_index = None
    n_cells = None
    if scratch.exists():
        failed_dir = paths.RUNS_DIR / "failed"
        failed_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scratch, failed_dir / nb_path.name)
        saved_to = _display_name(failed_dir / nb_path.name)
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
