"""Absolute project paths, so that notebooks and scripts never depend on the working directory.

Nothing here prints or touches the file system at import time.

Two environment variables redirect generated output (the test-suite and parameterised runs use
them so that the committed record is never overwritten by a run on other data):

- ``CXRESEARCH_FIGURES_DIR`` -- where :func:`cxresearch.report.figures.save_figure` writes
  (and where the published figures are read from); when it is unset, figures are *read* from
  ``figures/`` but *written* to the scratch folder ``runs/scratch/figures/``
  (:func:`figure_output_dir`), so that a notebook executed with plain papermill or in
  JupyterLab never overwrites the committed record: only ``python -m cxresearch run`` without
  ``-p`` (``make run``) points it at ``figures/``;
- ``CXRESEARCH_PROCESSED_DIR`` -- where ``python -m cxresearch data build`` writes by default.

Example
-------
>>> from cxresearch.core import paths
>>> paths.PROJECT_ROOT.joinpath("pyproject.toml").is_file()
True
>>> paths.NOTEBOOKS_DIR.name
'notebooks'
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parents[1]
PROJECT_ROOT: Path = PACKAGE_DIR.parent
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
SCRIPTS_DIR: Path = NOTEBOOKS_DIR / "scripts"
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
TESTS_DIR: Path = PROJECT_ROOT / "tests"
RUNS_DIR: Path = PROJECT_ROOT / "runs"
#: where figures go when nobody said where (a notebook copy executed in JupyterLab)
SCRATCH_FIGURES_DIR: Path = RUNS_DIR / "scratch" / "figures"
#: ``../shared`` beside the project: reference data for the tests only (a clone lacks it)
_SHARED_DIR: Path = PROJECT_ROOT.parent / "shared"

__all__ = [
    "DATA_DIR",
    "FIGURES_DIR",
    "NOTEBOOKS_DIR",
    "PACKAGE_DIR",
    "PROCESSED_DIR",
    "PROJECT_ROOT",
    "RAW_DIR",
    "RUNS_DIR",
    "SCRATCH_FIGURES_DIR",
    "SCRIPTS_DIR",
    "TESTS_DIR",
    "figure_output_dir",
    "figures_dir",
    "processed_dir",
    "run_dir",
]


def _from_environment(variable: str, default: Path) -> Path:
    """The directory ``$variable`` names (made absolute), else ``default``."""
    override = os.environ.get(variable)
    return Path(override).resolve() if override else default


def figures_dir() -> Path:
    """Directory that figures are written to: ``$CXRESEARCH_FIGURES_DIR`` or ``figures/``.

    Returns
    -------
    pathlib.Path
        The absolute directory (not created).

    Examples
    --------
    >>> import os
    >>> "CXRESEARCH_FIGURES_DIR" in os.environ or figures_dir() == FIGURES_DIR
    True
    """
    return _from_environment("CXRESEARCH_FIGURES_DIR", FIGURES_DIR)


def figure_output_dir() -> Path:
    """Where :func:`~cxresearch.report.figures.save_figure` writes when not told otherwise.

    ``$CXRESEARCH_FIGURES_DIR`` when set (``python -m cxresearch run`` sets it to ``figures/``
    without ``-p`` and to ``runs/figures/`` with it; the tests set a temporary folder), else the
    scratch folder ``runs/scratch/figures/``: a student's copy of a notebook, executed with
    papermill or in JupyterLab, never writes into the project's ``figures/``.

    Returns
    -------
    pathlib.Path
        The absolute directory (not created).

    Examples
    --------
    >>> import os
    >>> "CXRESEARCH_FIGURES_DIR" in os.environ or figure_output_dir() == SCRATCH_FIGURES_DIR
    True
    """
    return _from_environment("CXRESEARCH_FIGURES_DIR", SCRATCH_FIGURES_DIR)


def run_dir() -> Path:
    """Where a run on other data writes its records: ``$CXRESEARCH_RUN_DIR`` or ``runs/``.

    ``python -m cxresearch run -p data_dir=... -o OUT`` sets it to ``OUT`` while the notebooks
    run, so a file a notebook writes about the run (the answers set aside) lands beside the
    executed notebooks, never in the project.

    Returns
    -------
    pathlib.Path
        The absolute directory (not created).

    Examples
    --------
    >>> import os
    >>> "CXRESEARCH_RUN_DIR" in os.environ or run_dir() == RUNS_DIR
    True
    """
    return _from_environment("CXRESEARCH_RUN_DIR", RUNS_DIR)


def processed_dir() -> Path:
    """Directory of processed data: ``$CXRESEARCH_PROCESSED_DIR`` or ``data/processed/``.

    Returns
    -------
    pathlib.Path
        The absolute directory (not created).

    Examples
    --------
    >>> import os
    >>> "CXRESEARCH_PROCESSED_DIR" in os.environ or processed_dir() == PROCESSED_DIR
    True
    """
    return _from_environment("CXRESEARCH_PROCESSED_DIR", PROCESSED_DIR)
