"""Project paths are absolute and independent of the working directory."""

from __future__ import annotations

import subprocess
import sys

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
