"""Project-wide pytest set-up (unit tests, doctests and nbval notebooks in one run).

Notebooks executed by nbval would write figures; point them at a scratch directory so a test run
never modifies the committed ``figures/`` (``make run`` is what regenerates the record). The kernel
that nbval starts inherits this environment.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import matplotlib

matplotlib.use("Agg")

_SCRATCH: list[str] = []


def pytest_configure(config) -> None:
    if "CXRESEARCH_FIGURES_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="cxresearch-test-figures-")
        _SCRATCH.append(scratch)
        os.environ["CXRESEARCH_FIGURES_DIR"] = scratch
    # debugpy's notice about frozen modules is written to kernel stderr on Python 3.11
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_unconfigure(config) -> None:
    for scratch in _SCRATCH:
        shutil.rmtree(scratch, ignore_errors=True)
        if os.environ.get("CXRESEARCH_FIGURES_DIR") == scratch:
            del os.environ["CXRESEARCH_FIGURES_DIR"]


def pytest_collection_modifyitems(session, config, items) -> None:
    """``CXRESEARCH_TEST_ORDER=reverse`` (set by ``scripts/portable.py``) runs the test files in
    reverse order, and the tests inside a unit-test file in reverse too; a notebook's cells keep
    their order, since each depends on the ones before it."""
    if os.environ.get("CXRESEARCH_TEST_ORDER") != "reverse":
        return
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(str(item.path), []).append(item)
    ordered = []
    for path in reversed(list(files)):
        group = files[path]
        ordered.extend(group if path.endswith(".ipynb") else reversed(group))
    items[:] = ordered
