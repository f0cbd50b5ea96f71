"""Project-wide pytest set-up (unit tests, doctests and nbval notebooks in one run).

Notebooks executed by nbval would write figures; point them at a scratch directory so a test run
never modifies the committed ``figures/`` (``make run`` is what regenerates the record). The kernel
that nbval starts inherits this environment.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

_SCRATCH: list[str] = []


def pytest_configure(config) -> None:
    if "CXRESEARCH_FIGURES_DIR" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="cxresearch-test-figures-")
        _SCRATCH.append(scratch)
        os.environ["CXRESEARCH_FIGURES_DIR"] = scratch
    # the notebooks the tests execute (nbval, papermill) skip the print PDF: a quarter of a
    # minute on 2 workers; the unit tests of save_figure and export unset it (tests/test_figures.py)
    if "CXRESEARCH_FIGURE_DRAFT" not in os.environ:
        os.environ["CXRESEARCH_FIGURE_DRAFT"] = "1"
        _SCRATCH.append("draft")
    # debugpy's notice about frozen modules is written to kernel stderr on Python 3.11
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def pytest_unconfigure(config) -> None:
    if "draft" in _SCRATCH:
        _SCRATCH.remove("draft")
        os.environ.pop("CXRESEARCH_FIGURE_DRAFT", None)
    for scratch in _SCRATCH:
        shutil.rmtree(scratch, ignore_errors=True)
        if os.environ.get("CXRESEARCH_FIGURES_DIR") == scratch:
            del os.environ["CXRESEARCH_FIGURES_DIR"]


#: the slowest test files (seconds on 2 cores, ``pytest --durations``): handed out first, so that
#: the two workers of ``make test`` (``--dist loadscope``: one file per worker at a time) finish
#: together instead of one waiting on a long file at the end
SLOW_FILES: dict[str, float] = {
    "test_own_data.py": 50, "test_check_predicts_run.py": 45, "test_conclusions.py": 50,
    "11_appointing_a_cx_leader.ipynb": 20, "test_engines.py": 25,
    "test_report_command.py": 25, "test_wording_11.py": 20, "test_wording_04.py": 16,
    "03_satisfaction_index_model.ipynb": 15, "04_key_drivers.ipynb": 14,
    "05_linkage_ex_cx_outcomes.ipynb": 12, "08_which_metric.ipynb": 12,
    "02_culture_and_engagement_scales.ipynb": 10, "06_who_owns_cx.ipynb": 10,
    "test_check_run_agree.py": 8,
    "test_data_07.py": 8, "test_tracking_12.py": 20, "test_ri_clpm.py": 10,
    "01_measuring_cx.ipynb": 12, "12_tracking_cx_over_time.ipynb": 8,
}


def pytest_collection_modifyitems(session, config, items) -> None:
    """The slowest files first (:data:`SLOW_FILES`), each file's tests in their order.

    ``CXRESEARCH_TEST_ORDER=reverse`` (set by ``scripts/portable.py``) runs the test files in
    reverse order instead, and the tests inside a unit-test file in reverse too; a notebook's
    cells keep their order, since each depends on the ones before it."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(str(item.path), []).append(item)
    if os.environ.get("CXRESEARCH_TEST_ORDER") != "reverse":
        order = sorted(files, key=lambda path: -SLOW_FILES.get(Path(path).name, 0.0))
        items[:] = [item for path in order for item in files[path]]
        return
    ordered = []
    for path in reversed(list(files)):
        group = files[path]
        ordered.extend(group if path.endswith(".ipynb") else reversed(group))
    items[:] = ordered
