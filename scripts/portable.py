"""Same outputs on every machine: rerun the tests, or the whole study, under perturbed numerics.

A number that a notebook prints, or that a figure's CSV holds, must be stable to its printed
precision on any CPU, BLAS kernel and thread count. A fit that stops wherever the optimiser
happens to be on this machine shows up as soon as the floating-point details change, so this
script changes them on purpose, on any machine, and reruns everything:

``simd-baseline``
    numpy's SIMD dispatch switched down to its baseline (``NPY_DISABLE_CPU_FEATURES`` set to every
    target numpy dispatches to on this machine, read from numpy itself, because the names change
    between numpy versions and a name numpy does not know is ignored with only a warning) and
    OpenBLAS forced onto an old generic kernel (``OPENBLAS_CORETYPE=Prescott`` on x86-64,
    ``ARMV8`` on arm64), two BLAS threads, two pytest-xdist workers.
``one-thread``
    another OpenBLAS kernel (``Nehalem`` / ``CORTEXA57``), one BLAS/OpenMP thread, pytest without
    xdist workers, test files in reverse order and another ``PYTHONHASHSEED``: results must not
    depend on the number of workers, the order of the tests or the order of a set.

The script sets every variable itself (some machines already set ``OPENBLAS_CORETYPE``).

Usage::

    python scripts/portable.py test            # every notebook (nbval), the estimators' tests
                                               # and doctests (not I/O, CLI or site: NOT_NUMERIC)
    python scripts/portable.py run             # data build + every notebook in place, then
                                               # `git status --porcelain` must be empty
    python scripts/portable.py show            # the environments and the BLAS kernel each gets
    python scripts/portable.py test --env one-thread -- -x tests/test_linkage.py

``make test-portable`` runs ``test``; ``make run-portable`` runs ``run``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

#: variables that this script owns: cleared from the inherited environment, then set per run
OWNED = (
    "NPY_DISABLE_CPU_FEATURES",
    "NPY_ENABLE_CPU_FEATURES",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "PYTHONHASHSEED",
    "CXRESEARCH_TEST_ORDER",
)


#: what the perturbed passes leave out: tests of reading, writing, the command line, the site
#: and the layout, whose results do not depend on floating-point details. Every notebook (nbval
#: compares each printed number), every estimator's test against its pinned reference and the
#: package's doctests (but those of io/, cli/ and report/) still run under each perturbation.
NOT_NUMERIC: tuple[str, ...] = (
    "tests/test_api_contract.py", "tests/test_check.py", "tests/test_claims.py",
    "tests/test_conclusions.py", "tests/test_data_build.py", "tests/test_datasets.py",
    "tests/test_engines.py", "tests/test_export.py", "tests/test_exports.py",
    "tests/test_face.py", "tests/test_figure_checks.py", "tests/test_figures.py",
    "tests/test_instrument.py", "tests/test_io.py", "tests/test_layout.py",
    "tests/test_notebooks.py", "tests/test_own_data.py", "tests/test_paths.py",
    "tests/test_pii.py", "tests/test_runner.py", "tests/test_site.py",
    # runs of the notebooks on the analyst's folders, the report and the instrument's sections
    # (what runs and what is said, not how the numbers come out: nbval covers those)
    "tests/test_check_predicts_run.py", "tests/test_check_run_agree.py",
    "tests/test_report_command.py", "tests/test_instrument_sections.py", "tests/test_data_07.py",
    # the words of 04, 06 and 11 against their own tables (04 and 11 under another seed)
    "tests/test_wording_04.py", "tests/test_wording_06.py", "tests/test_wording_11.py",
    "cxresearch/cli", "cxresearch/io", "cxresearch/report",
)
NUMERIC_ONLY: list[str] = [f"--ignore={path}" for path in NOT_NUMERIC]


@dataclass(frozen=True)
class Perturbation:
    name: str
    env: dict[str, str]
    pytest_args: list[str] = field(default_factory=list)
    why: str = ""


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in OWNED}
    env.setdefault("PYTHONPATH", str(ROOT))  # this checkout's package, even from another clone
    return env


def dispatched_simd() -> list[str]:
    """The SIMD targets numpy dispatches to on this machine (beyond its compiled baseline)."""
    code = (
        "try:\n import numpy._core._multiarray_umath as m\n"
        "except ImportError:\n import numpy.core._multiarray_umath as m\n"
        "print(' '.join(t for t in m.__cpu_dispatch__ if m.__cpu_features__.get(t)))"
    )
    out = subprocess.run([PY, "-c", code], env=_clean_env(), capture_output=True, text=True,
                         check=True)
    return out.stdout.split()


def perturbations() -> list[Perturbation]:
    arm = platform.machine().lower() in ("aarch64", "arm64")
    old_kernel, other_kernel = ("ARMV8", "CORTEXA57") if arm else ("Prescott", "Nehalem")
    simd = dispatched_simd()
    a = {"OPENBLAS_CORETYPE": old_kernel, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    if simd:
        a["NPY_DISABLE_CPU_FEATURES"] = " ".join(simd)
    return [
        Perturbation("simd-baseline", a, ["-n", "2", "--dist", "loadscope"],
                     "numpy SIMD at its baseline, an old generic BLAS kernel, 2 threads, 2 workers",
                     ),
        Perturbation(
            "one-thread",
            {"OPENBLAS_CORETYPE": other_kernel, "OPENBLAS_NUM_THREADS": "1",
             "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "4242",
             "CXRESEARCH_TEST_ORDER": "reverse"},
            ["-p", "no:xdist"],
            "another BLAS kernel, 1 thread, no xdist workers, files in reverse order",
        ),
    ]


def _blas(env: dict[str, str]) -> str:
    code = (
        "import json, numpy, threadpoolctl\n"
        "info = [i for i in threadpoolctl.threadpool_info() if i.get('user_api') == 'blas']\n"
        "print(json.dumps([{k: i.get(k) for k in ('internal_api', 'architecture', 'num_threads')}"
        " for i in info]))"
    )
    out = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        return f"(could not query: {out.stderr.strip().splitlines()[-1:]})"
    if out.stderr.strip():  # e.g. numpy refusing a feature name: would leak into notebooks
        raise SystemExit(f"numpy printed a warning under this environment: {out.stderr.strip()}")
    libs = json.loads(out.stdout)
    return ", ".join(f"{i['internal_api']} {i['architecture']} x{i['num_threads']}" for i in libs)


def _env_for(p: Perturbation) -> dict[str, str]:
    env = _clean_env()
    env.update(p.env)
    return env


def _header(p: Perturbation, env: dict[str, str]) -> None:
    shown = " ".join(f"{k}={v!r}" for k, v in p.env.items())
    print(f"==> [{p.name}] {p.why}\n    {shown}\n    BLAS: {_blas(env)}", flush=True)


def cmd_show(selected: list[Perturbation]) -> int:
    for p in selected:
        _header(p, _env_for(p))
    return 0


def cmd_test(selected: list[Perturbation], extra: list[str]) -> int:
    failed = []
    for p in selected:
        env = _env_for(p)
        _header(p, env)
        args = extra or ["--nbval", *NUMERIC_ONLY]
        t0 = time.perf_counter()
        rc = subprocess.run([PY, "-m", "pytest", "-q", *p.pytest_args, *args], cwd=ROOT,
                            env=env).returncode
        print(f"==> [{p.name}] pytest exit {rc} in {time.perf_counter() - t0:.0f} s", flush=True)
        if rc != 0:
            failed.append(p.name)
    if failed:
        print(f"portable: FAILED under {failed}: a printed number depends on the machine. "
              "Settle the fit (see docs/DEVELOPING.md, 'Optimiser-backed outputs'); do not "
              "widen tests/nbval_sanitize.cfg.")
        return 1
    print(f"portable: green under {[p.name for p in selected]}")
    return 0


def _status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


def cmd_run(selected: list[Perturbation]) -> int:
    if _status():
        print("portable run: the work tree is not clean; commit or stash first, so that any "
              "change afterwards is the perturbation's doing:\n" + _status())
        return 2
    for p in selected:
        env = _env_for(p)
        env.pop("CXRESEARCH_FIGURES_DIR", None)
        _header(p, env)
        t0 = time.perf_counter()
        for step in (["data", "build"], ["run", "--no-progress"]):
            rc = subprocess.run([PY, "-m", "cxresearch", *step], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL).returncode
            if rc != 0:
                print(f"==> [{p.name}] `cxresearch {' '.join(step)}` failed (exit {rc})")
                return 1
        changed = _status()
        print(f"==> [{p.name}] make run in {time.perf_counter() - t0:.0f} s; "
              f"git status --porcelain: {'empty' if not changed else ''}", flush=True)
        if changed:
            print(changed + "portable run: outputs changed under this environment "
                  "(`git diff` shows which; `git checkout -- .` restores the record)")
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python scripts/portable.py",
        description="Rerun the tests (or the whole study) under perturbed numerics: numpy SIMD "
        "switched down, other OpenBLAS kernels, one thread, other worker counts and test order. "
        "Everything printed must stay the same.",
        epilog="Arguments after `--` go to pytest instead of the default `--nbval` (everything).",
    )
    ap.add_argument("command", choices=["test", "run", "show"],
                    help="test: pytest (unit, doctests, notebooks under nbval); run: data build + "
                    "every notebook in place, then git status must be empty; show: the settings")
    ap.add_argument("--env", action="append", metavar="NAME",
                    help="only this environment (repeatable): simd-baseline, one-thread")
    ap.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    all_p = perturbations()
    names = [p.name for p in all_p]
    for n in ns.env or []:
        if n not in names:
            ap.error(f"unknown environment {n!r}; choose from {names}")
    selected = [p for p in all_p if not ns.env or p.name in ns.env]
    if ns.command == "show":
        return cmd_show(selected)
    if ns.command == "run":
        return cmd_run(selected)
    return cmd_test(selected, ns.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
