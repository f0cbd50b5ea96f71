"""The house's layout: subpackages by role, imports one way, one face (docs/DEVELOPING.md).

Read from the source (``ast``), function-local imports included:

- no import circle between modules, and every import runs down the floors of :data:`FLOORS`
  (a subpackage imports only itself and the floors below it);
- nothing that reads a user's files (``cxresearch.io``) imports a simulator, and nothing but
  the notebook helpers themselves imports :mod:`cxresearch.studies`;
- no private name (``_name``) is imported from another module;
- ``import cxresearch`` loads no subpackage and no heavy dependency, and the face
  (``cxresearch._FACE``) is exactly the public names of the role subpackages, each reachable.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import cxresearch

ROOT = Path(cxresearch.__file__).resolve().parent

#: the floors of the house, bottom up: a module may import its own subpackage and lower floors
FLOORS: dict[str, int] = {
    "core": 0,
    "io": 1, "metrics": 1,
    "simulate": 2,
    "measurement": 3, "text": 3, "linkage": 3,
    "causal": 4,
    "report": 5, "exercises": 5,
    "studies": 6,
    "cli": 7,
    "__init__": 8, "__main__": 8,
}
HEAVY = ("semopy", "duckdb", "matplotlib", "sklearn", "pyspark", "statsmodels", "scipy")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 2:
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every cxresearch import in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "cxresearch"):
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("cxresearch")]
    return out


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for module, names in _imports(path):
            for n in names:  # `from cxresearch.io import readers` imports a module
                if f"{module}.{n}" in modules:
                    targets.add(f"{module}.{n}")
            if module in modules and not all(f"{module}.{n}" in modules for n in names or ["?"]):
                targets.add(module)
        graph[name] = targets - {name}
    return graph


def _floor(module: str) -> int:
    parts = module.split(".")
    return FLOORS[parts[1] if len(parts) > 1 else "__init__"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_every_module_lives_on_a_floor() -> None:
    unknown = {m for m in _graph() if ([*m.split("."), "__init__"])[1] not in FLOORS}
    assert not unknown, f"add these subpackages to FLOORS and docs/DEVELOPING.md: {unknown}"


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_check_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_imports_run_down_the_floors() -> None:
    up = sorted(f"{src} -> {dst}" for src, dsts in _graph().items() for dst in dsts
                if dst != "cxresearch" and _floor(dst) > _floor(src))
    assert up == [], "imports running back up:\n" + "\n".join(up)


def test_readers_never_import_simulators_and_only_studies_import_studies() -> None:
    graph = _graph()
    io_to_sim = {(s, d) for s, ds in graph.items() for d in ds
                 if s.startswith("cxresearch.io") and d.startswith("cxresearch.simulate")}
    assert not io_to_sim
    into_studies = {(s, d) for s, ds in graph.items() for d in ds
                    if d.startswith("cxresearch.studies")
                    and not s.startswith("cxresearch.studies")}
    assert not into_studies


def test_no_private_name_is_imported_from_another_module() -> None:
    private = []
    for path in ROOT.rglob("*.py"):
        for module, names in _imports(path):
            private += [f"{_module_name(path)}: from {module} import {n}" for n in names
                        if n.startswith("_") and not n.startswith("__")]
    assert private == []


def test_import_cxresearch_loads_no_subpackage_and_no_heavy_dependency() -> None:
    code = ("import sys, cxresearch; "
            "print(sorted(m for m in sys.modules if m.startswith('cxresearch.') "
            f"or m.split('.')[0] in {HEAVY!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]" and out.stderr == ""


def test_the_face_is_every_public_name_of_the_role_subpackages() -> None:
    sys.path.insert(0, str(ROOT.parent / "scripts"))
    try:
        make_face = importlib.import_module("make_face")
    finally:
        sys.path.pop(0)
    assert make_face.face() == cxresearch._FACE, "run: .venv/bin/python scripts/make_face.py"
    assert set(cxresearch.__all__) == {"__version__", *cxresearch._FACE}
    for example in ("nps", "cfa", "event_study", "read_survey", "save_figure"):
        assert example in cxresearch.__all__


@pytest.mark.parametrize("name", sorted(cxresearch._FACE))
def test_each_face_name_is_the_object_in_its_module(name: str) -> None:
    module = importlib.import_module(cxresearch._FACE[name])
    assert getattr(cxresearch, name) is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        cxresearch.no_such_name  # noqa: B018
    assert cxresearch.simulate.simulate_study is not None
