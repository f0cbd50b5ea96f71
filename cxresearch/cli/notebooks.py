"""Notebook housekeeping: clean volatile metadata, keep `.ipynb` and `py:percent` pairs in sync.

Committed notebooks keep their outputs (they are the tested record) but drop what changes from
run to run, the way nbdev's ``clean`` does: papermill's timestamps and durations, per-cell
execution metadata, ``language_info`` (it carries the patch version of Python) and jupytext's
version stamp. What stays in the notebook metadata is ``kernelspec`` (always ``python3``) and
``jupytext.formats``.

Each notebook ``notebooks/NN_topic.ipynb`` is paired with ``notebooks/scripts/NN_topic.py`` in
jupytext's ``py:percent`` format, for review in diffs; :func:`check_pairs` reports pairs whose
cells differ.

Example
-------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook()
>>> nb.metadata["papermill"] = {"duration": 1.5}
>>> sorted(clean_notebook(nb).metadata)
['jupytext', 'kernelspec']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from cxresearch.core import paths

__all__ = [
    "JUPYTEXT_FORMATS",
    "KERNELSPEC",
    "check_pairs",
    "clean_notebook",
    "list_notebooks",
    "script_for",
    "sync_pairs",
    "write_notebook",
]

KERNELSPEC: dict[str, str] = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": "python3",
}
JUPYTEXT_FORMATS = "ipynb,scripts//py:percent"
_VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def list_notebooks(directory: str | Path | None = None) -> list[Path]:
    """The project's notebooks ``NN_*.ipynb`` in run order (sorted by name).

    >>> [p.name for p in list_notebooks()][:1]
    ['00_start_here.ipynb']
    """
    directory = Path(directory) if directory is not None else paths.NOTEBOOKS_DIR
    return sorted(p for p in directory.glob("[0-9][0-9]_*.ipynb") if p.is_file())


def script_for(notebook: str | Path) -> Path:
    """The paired ``py:percent`` script of a notebook.

    >>> script_for("notebooks/01_measuring_cx.ipynb").as_posix()
    'notebooks/scripts/01_measuring_cx.py'
    """
    notebook = Path(notebook)
    return notebook.parent / "scripts" / f"{notebook.stem}.py"


def _coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Consecutive ``stream`` outputs of the same name (stdout, stderr) merged into one.

    How a kernel chunks printed text depends on timing (a ``print`` can arrive as its text and
    its newline in two messages on a busy machine), so the chunks are merged, as Jupyter's own
    ``coalesce_streams`` does, to make the saved notebook the same on every run.
    """
    merged: list[Any] = []
    for output in outputs:
        prev = merged[-1] if merged else None
        if (prev is not None and output.get("output_type") == "stream"
                and prev.get("output_type") == "stream" and prev.get("name") == output.get("name")):
            text = [prev["text"], output["text"]]
            prev["text"] = "".join("".join(t) if isinstance(t, list) else t for t in text)
        else:
            merged.append(output)
    return merged


def clean_notebook(nb: Any) -> Any:
    """Drop volatile metadata in place and return the notebook (see the module docstring)."""
    jupytext_meta = {"formats": JUPYTEXT_FORMATS}
    nb.metadata = nbformat.from_dict({"jupytext": jupytext_meta, "kernelspec": dict(KERNELSPEC)})
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"  # deterministic ids: no random churn in diffs
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell["outputs"] = _coalesce_streams(cell.get("outputs", []))
            for output in cell["outputs"]:
                output.get("metadata", {}).pop("papermill", None)
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def write_notebook(nb: Any, path: str | Path) -> None:
    """Write a cleaned notebook with stable formatting (1-space indent, trailing newline)."""
    path = Path(path)
    clean_notebook(nb)
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(path)


def _cells(nb: Any) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells if c.source.strip()]


def check_pairs(directory: str | Path | None = None) -> pd.DataFrame:
    """Compare every notebook with its paired script; one row per notebook or orphan script.

    Columns: ``notebook``, ``script``, ``status`` (``"in sync"``, ``"differs"``,
    ``"missing script"`` or ``"missing notebook"``) and ``detail`` (the first differing cell).
    """
    import jupytext

    directory = Path(directory) if directory is not None else paths.NOTEBOOKS_DIR
    rows = []
    notebooks = list_notebooks(directory)
    for nb_path in notebooks:
        script = script_for(nb_path)
        if not script.exists():
            rows.append((nb_path.name, script.name, "missing script", ""))
            continue
        a, b = _cells(jupytext.read(nb_path)), _cells(jupytext.read(script))
        if a == b:
            rows.append((nb_path.name, script.name, "in sync", ""))
            continue
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), None)
        detail = (
            f"cell {first}: notebook {a[first][1][:60]!r} vs script {b[first][1][:60]!r}"
            if first is not None
            else f"{len(a)} cells in the notebook, {len(b)} in the script"
        )
        rows.append((nb_path.name, script.name, "differs", detail))
    known = {script_for(p).name for p in notebooks}
    for script in sorted((directory / "scripts").glob("[0-9][0-9]_*.py")):
        if script.name not in known:
            rows.append((f"{script.stem}.ipynb", script.name, "missing notebook", ""))
    return pd.DataFrame(rows, columns=["notebook", "script", "status", "detail"])


def sync_pairs(direction: str = "scripts", directory: str | Path | None = None) -> pd.DataFrame:
    """Bring pairs in line: ``direction="scripts"`` updates notebooks from scripts (keeping the
    outputs of unchanged cells; new notebooks are created), ``"notebooks"`` rewrites the scripts.

    Returns :func:`check_pairs` afterwards.
    """
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    if direction not in {"scripts", "notebooks"}:
        raise ValueError(f"argument 'direction': {direction!r} is not 'scripts' or 'notebooks'")
    directory = Path(directory) if directory is not None else paths.NOTEBOOKS_DIR
    if direction == "scripts":
        for script in sorted((directory / "scripts").glob("[0-9][0-9]_*.py")):
            nb_path = directory / f"{script.stem}.ipynb"
            nb = jupytext.read(script)
            if nb_path.exists():
                old = jupytext.read(nb_path)
                if _cells(old) == _cells(nb):
                    continue
                nb = combine_inputs_with_outputs(nb, old, fmt="py:percent")
            write_notebook(nb, nb_path)
    else:
        for nb_path in list_notebooks(directory):
            nb = clean_notebook(jupytext.read(nb_path))
            text = jupytext.writes(nb, fmt="py:percent")
            script = script_for(nb_path)
            script.parent.mkdir(exist_ok=True)
            if not script.exists() or script.read_text(encoding="utf-8") != text:
                script.write_text(text, encoding="utf-8", newline="\n")
    return check_pairs(directory)
