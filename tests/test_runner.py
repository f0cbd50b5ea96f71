"""The notebook runner and the command line."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from cxresearch.cli.main import build_parser, main
from cxresearch.cli.runner import (
    NotebookExecutionError,
    parse_parameters,
    resolve_notebooks,
    run_notebooks,
)


def test_parse_parameters_literals_and_strings():
    assert parse_parameters(["a=1", "b=[1, 2]", "c=x y", "d=None"]) == {
        "a": 1,
        "b": [1, 2],
        "c": "x y",
        "d": None,
    }


@pytest.mark.parametrize("bad", ["novalue", "=3", "1x=2"])
def test_parse_parameters_rejects_malformed(bad):
    with pytest.raises(ValueError, match="name=value"):
        parse_parameters([bad])


def test_resolve_notebooks_by_prefix_and_unknown_name():
    assert resolve_notebooks(["00"])[0].name == "00_start_here.ipynb"
    with pytest.raises(ValueError, match="matches no notebook; available: 00_start_here"):
        resolve_notebooks(["no_such_study"])


def _notebook(tmp_path, name, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# Title")]
    for i, source in enumerate(cells):
        cell = nbformat.v4.new_code_cell(source)
        if i == 0:
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_runner_executes_with_parameters_into_output_dir(tmp_path):
    path = _notebook(tmp_path, "98_ok.ipynb", ["n = 1", "print(n * 2)"])
    out = tmp_path / "out"
    table = run_notebooks([path], parameters={"n": 21}, output_dir=out, progress=False)
    assert table["status"].tolist() == ["ok"]
    executed = nbformat.read(out / "98_ok.ipynb", as_version=4)
    assert set(executed.metadata) == {"kernelspec", "jupytext"}
    printed = [o["text"] for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert printed == ["42\n"]
    assert nbformat.read(path, as_version=4).cells[2].outputs == [], "input left untouched"


def test_broken_notebook_names_notebook_and_cell(tmp_path):
    path = _notebook(tmp_path, "99_broken.ipynb", ["x = 1", "y = x + 1", "1 / 0"])
    before = path.read_bytes()
    with pytest.raises(NotebookExecutionError) as info:
        run_notebooks([path], progress=False)
    err = info.value
    assert err.notebook.endswith("99_broken.ipynb")
    assert err.exec_count == 3 and err.cell_index == 3 and err.ename == "ZeroDivisionError"
    message = str(err)
    assert "99_broken.ipynb failed in cell 4 of 4 (In [3]): ZeroDivisionError" in message
    assert "cell starts: 1 / 0" in message
    assert path.read_bytes() == before, "a failed run must not overwrite the notebook"


def test_help_explains_every_command(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for command in ("run", "sync", "clean", "data", "figures", "list"):
        assert f"    {command}" in text
    for command in ("run", "sync", "clean", "data", "figures", "list"):
        assert build_parser().parse_args([command] + (["build"] if command == "data" else []))


def test_module_entry_point_runs():
    done = subprocess.run(
        [sys.executable, "-m", "cxresearch", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "0.2.0"


def test_unknown_parameter_is_refused_before_running(tmp_path):
    path = _notebook(tmp_path, "97_p.ipynb", ["n = 1", "print(n)"])
    with pytest.raises(
        ValueError, match=r"parameter\(s\) \['dta_dir'\] are not in the `parameters`"
    ):
        run_notebooks(
            [path], parameters={"dta_dir": "x"}, output_dir=tmp_path / "o", progress=False
        )


def test_each_notebook_gets_only_its_own_parameters(tmp_path):
    a = _notebook(tmp_path, "95_a.ipynb", ["n = 1", "print(n)"])
    b = _notebook(tmp_path, "96_b.ipynb", ["m = 1", "print(m)"])
    out = tmp_path / "out"
    run_notebooks([a, b], parameters={"n": 5, "m": 7}, output_dir=out, progress=False)
    printed = [
        [
            o["text"]
            for c in nbformat.read(out / p.name, as_version=4).cells
            if c.cell_type == "code"
            for o in c.outputs
        ]
        for p in (a, b)
    ]
    assert printed == [["5\n"], ["7\n"]]
