"""Project paths are absolute and independent of the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cxresearch.core import paths


def test_paths_are_absolute_and_inside_the_project():
    for name in ("DATA_DIR", "RAW_DIR", "PROCESSED_DIR", "NOTEBOOKS_DIR", "FIGURES_DIR"):
        value = getattr(paths, name)
        assert value.is_absolute()
        assert paths.PROJECT_ROOT in value.parents
    assert (paths.PROJECT_ROOT / "pyproject.toml").is_file()


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("CXRESEARCH_FIGURES_DIR", str(tmp_path / "f"))
    monkeypatch.setenv("CXRESEARCH_PROCESSED_DIR", str(tmp_path / "p"))
    assert paths.figures_dir() == (tmp_path / "f").resolve()
    assert paths.processed_dir() == (tmp_path / "p").resolve()
    monkeypatch.delenv("CXRESEARCH_FIGURES_DIR")
    assert paths.figures_dir() == paths.FIGURES_DIR


def test_figures_of_a_notebook_run_outside_cxresearch_run_go_to_scratch(monkeypatch):
    """A student's copy executed in JupyterLab or with papermill never writes figures/."""
    monkeypatch.delenv("CXRESEARCH_FIGURES_DIR", raising=False)
    assert paths.figure_output_dir() == paths.SCRATCH_FIGURES_DIR
    assert paths.figures_dir() == paths.FIGURES_DIR  # the published figures are still read there
    name = "zz_scratch_probe"
    code = ("import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt; "
            "import pandas as pd; from cxresearch.report.figures import save_figure; "
            "fig, ax = plt.subplots(); ax.plot([0, 1]); "
            f"s = save_figure(fig, {name!r}, data=pd.DataFrame({{'x': [0, 1]}}), caption='c.', "
            "alt_text='a.', source='probe'); print(s.files[0])")
    env = {k: v for k, v in os.environ.items() if k != "CXRESEARCH_FIGURES_DIR"}
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.PROJECT_ROOT, env=env,
                          capture_output=True, text=True, check=True)
    try:
        written = Path(done.stdout.strip())
        assert written.parent == paths.SCRATCH_FIGURES_DIR and written.is_file()
        assert not (paths.FIGURES_DIR / f"{name}.png").exists()
    finally:
        for f in paths.SCRATCH_FIGURES_DIR.glob(f"{name}.*"):
            f.unlink()


def test_import_prints_nothing_from_another_directory(tmp_path):
    code = "import cxresearch, cxresearch.core.paths as p; assert p.PROJECT_ROOT.is_absolute()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout == "" and done.stderr == ""


def test_package_and_notebooks_never_read_the_shared_reference_data():
    """../shared is for tests only: a user's clone does not have it."""
    sources = [*paths.PACKAGE_DIR.rglob("*.py"), *paths.SCRIPTS_DIR.glob("*.py")]
    offenders = [
        p.name
        for p in sources
        if p.name not in ("paths.py", "__init__.py")  # __init__: the face's table of names
        and ("SHARED_DIR" in p.read_text() or "../shared" in p.read_text())
    ]
    assert offenders == []
