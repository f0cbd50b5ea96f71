"""The figure manifest: ``figures/manifest.json``, one entry per published figure.

:func:`~cxresearch.report.figures.save_figure` writes an entry (files, caption, alt text,
source notebook, evidence); the figure checks, the site's gallery and ``figures --export`` read
it. Kept apart so that the readers need not import the writer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cxresearch.core import paths

__all__ = ["load_manifest", "write_text_atomic"]


def load_manifest(directory: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Read ``manifest.json`` from ``directory``.

    Parameters
    ----------
    directory : str or pathlib.Path, optional
        The figures directory; default :func:`cxresearch.core.paths.figures_dir`.

    Returns
    -------
    dict
        ``{figure name: entry}``; empty when there is no manifest yet.

    Examples
    --------
    >>> import tempfile
    >>> load_manifest(tempfile.mkdtemp())
    {}
    """
    directory = Path(directory) if directory is not None else paths.figures_dir()
    path = directory / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def write_text_atomic(path: Path, text: str) -> None:
    r"""Write ``text`` to ``path`` through a temporary file and :func:`os.replace`.

    A reader never sees half a file (parallel notebook runs write the manifest).

    Parameters
    ----------
    path : pathlib.Path
        The file to write (its directory must exist).
    text : str
        The content, written as UTF-8 with ``\n`` line ends.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "manifest.json"
    >>> write_text_atomic(p, "{}")
    >>> p.read_text()
    '{}'
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
