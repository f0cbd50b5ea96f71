"""``make lab``: JupyterLab for students, as root too, with options passed through (issue 23).

``make -n`` prints the commands without running them, so nothing is installed or started.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from cxresearch.core import paths

MAKEFILE = paths.PROJECT_ROOT / "Makefile"
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(*args: str) -> str:
    out = subprocess.run(["make", "--no-print-directory", "-n", *args],
                         cwd=paths.PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                         check=True)
    return out.stdout


def _lab_command(*args: str) -> str:
    lines = [line for line in _dry_run("lab", *args).splitlines() if "jupyter lab" in line]
    assert len(lines) == 1, lines
    return lines[0]


def test_make_lab_passes_options_through_and_allows_root_only_as_root():
    line = _lab_command("LAB_ARGS=--port=1 --no-browser")
    assert "--port=1 --no-browser" in line
    assert line.rstrip().endswith("notebooks/")
    if os.geteuid() == 0:
        assert "--allow-root" in line.split()
    else:
        assert "--allow-root" not in line.split()


def test_make_lab_opens_another_folder():
    assert _lab_command("LAB_DIR=/tmp/my-cx").rstrip().endswith("/tmp/my-cx")


def test_make_lab_installs_the_lab_extra_once_behind_a_stamp():
    text = MAKEFILE.read_text(encoding="utf-8")
    recipe = re.search(r"^lab:[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert recipe, "no lab target"
    assert "pip install" not in recipe.group(1)  # never reinstalled on every start
    assert re.search(r"^lab: \$\(LAB_STAMP\)", text, re.MULTILINE)
    stamp = re.search(r"^\$\(LAB_STAMP\):[^\n]*\n((?:\t[^\n]*\n)+)", text, re.MULTILINE)
    assert stamp and '".[dev,lab]"' in stamp.group(1) and "touch $(LAB_STAMP)" in stamp.group(1)


def test_make_help_describes_lab_with_its_options():
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=paths.PROJECT_ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    line = next(line for line in out.splitlines() if line.strip().startswith("make lab"))
    assert "--allow-root" in line and "LAB_ARGS" in line and "LAB_DIR" in line
