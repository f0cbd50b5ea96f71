"""The notebook runner and the command line."""

from __future__ import annotations

import json
import os
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
from cxresearch.core import paths


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
    # a refused call leaves the environment as it was (a later run must not write into "o")
    assert "CXRESEARCH_RUN_DIR" not in os.environ
    assert os.environ.get("CXRESEARCH_FIGURES_DIR", "") != str(tmp_path / "o" / "figures")


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


def _runs_snapshot(names):
    """Files under the project's runs/ named like ``names``, with their modification times."""
    from cxresearch.core import paths

    if not paths.RUNS_DIR.exists():
        return {}
    return {p: p.stat().st_mtime_ns for p in paths.RUNS_DIR.rglob("*") if p.name in names}


def test_run_keeps_going_past_a_failure_and_ends_with_a_summary(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    broken = _notebook(src, "91_kg_broken.ipynb",
                       ["n = 1", "total = n + 1", "raise KeyError('no column NPS')", "print(2)"])
    skips = _notebook(src, "92_kg_skips.ipynb", [
        "n = 1",
        "from cxresearch.cli.check import skipped\n"
        "print(skipped('Key drivers', ['the instrument declares no drivers']))",
        "skipped('Small cells', ['the customers have no unit column', 'one period'])",
        "print('3,000 answers')",
    ])
    plain = _notebook(src, "93_kg_plain.ipynb", ["n = 1", "print(n * 3)"])
    # the run copies the notebooks, as a user's run on their own folder would
    nbs = [tmp_path / p.name for p in (broken, skips, plain)]
    for original, copy in zip((broken, skips, plain), nbs, strict=True):
        copy.write_bytes(original.read_bytes())
    out = tmp_path / "OUT"
    names = {p.name for p in nbs}
    before = _runs_snapshot(names)

    code = main(["run", *map(str, nbs), "-p", "n=5", "-o", str(out), "--no-progress"])
    printed = capsys.readouterr()

    assert code == 1, "a failed notebook makes the exit status non-zero"
    lines = printed.out.splitlines()
    assert lines[0].split() == ["notebook", "status", "time", "output"]
    rows = {line.split()[0]: line for line in lines[1:4]}
    assert list(rows) == ["91_kg_broken.ipynb", "92_kg_skips.ipynb", "93_kg_plain.ipynb"]
    failed_copy = out / "failed" / "91_kg_broken.ipynb"
    assert "failed in cell 5 of 6 (In [4]): KeyError: 'no column NPS'" in rows[
        "91_kg_broken.ipynb"]
    assert rows["91_kg_broken.ipynb"].endswith(str(failed_copy.resolve()))
    assert "ran with 2 skipped sections" in rows["92_kg_skips.ipynb"]
    assert rows["92_kg_skips.ipynb"].endswith(str((out / "92_kg_skips.ipynb").resolve()))
    assert " ran " in rows["93_kg_plain.ipynb"] and "skipped" not in rows["93_kg_plain.ipynb"]
    assert lines[-1] == "3 notebooks: 2 ran (1 with skipped sections), 1 failed."
    # the failure's details go to stderr: the cell's first line and the partly executed copy
    assert "cell starts: raise KeyError('no column NPS')" in printed.err
    assert f"the partly executed notebook is in {failed_copy.resolve()}" in printed.err

    # the run went on: the notebooks after the failure ran with the parameter
    executed = nbformat.read(out / "93_kg_plain.ipynb", as_version=4)
    assert [o["text"] for c in executed.cells if c.cell_type == "code" for o in c.outputs] == [
        "15\n"]
    assert (out / "92_kg_skips.ipynb").exists()
    assert not (out / "91_kg_broken.ipynb").exists(), "only a successful run writes the target"
    partial = nbformat.read(failed_copy, as_version=4)
    ran = [c.get("execution_count") for c in partial.cells if c.cell_type == "code"]
    assert ran[-2:] == [4, None], "the copy stops at the failing cell (after the injected -p)"
    # nothing under the project's runs/: not the failed copy, not the executed notebooks
    assert _runs_snapshot(names) == before


def test_run_exit_status_zero_when_all_ran(tmp_path, capsys):
    path = _notebook(tmp_path, "94_kg_ok.ipynb", ["n = 1", "print(n)"])
    code = main(["run", str(path), "-o", str(tmp_path / "out"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[-1] == "1 notebook: 1 ran, 0 failed."


def test_library_keeps_raising_unless_told_to_keep_going(tmp_path):
    broken = _notebook(tmp_path, "90_kg_lib.ipynb", ["x = 1", "1 / 0"])
    out = tmp_path / "out"
    with pytest.raises(NotebookExecutionError) as info:
        run_notebooks([broken], output_dir=out, progress=False)
    assert info.value.saved_to == str((out / "failed" / "90_kg_lib.ipynb").resolve())
    table = run_notebooks([broken], output_dir=out, progress=False, keep_going=True)
    assert table[["status", "skipped"]].values.tolist() == [["failed", 0]]
    assert table["error"].tolist() == [
        "failed in cell 3 of 3 (In [2]): ZeroDivisionError: division by zero"]
    assert [e.ename for e in table.attrs["errors"]] == ["ZeroDivisionError"]


def test_skip_notices_are_the_ones_check_writes():
    from cxresearch.cli.check import skipped
    from cxresearch.cli.runner import count_skipped

    def nb(*outputs):
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = list(outputs)
        return nbformat.v4.new_notebook(cells=[cell])

    notice = str(skipped("NPS by CX owner", ["the data have no firms table"]))
    other = str(skipped("Small cells", ["the customers have no unit column 'store'"]))
    assert count_skipped(nb(nbformat.v4.new_output(
        "stream", name="stdout", text=f"{notice}\nother text\n{other}\n"))) == 2
    # one section with two tables shows its notice twice: one skipped section
    assert count_skipped(nb(
        nbformat.v4.new_output("stream", name="stdout", text=f"{notice}\n"),
        nbformat.v4.new_output("execute_result", execution_count=1,
                               data={"text/plain": notice}))) == 1
    # shown as a result with a rich form too: counted once
    assert count_skipped(nb(nbformat.v4.new_output(
        "display_data", data={"text/plain": notice, "text/html": f"<p>{notice}</p>"}))) == 1
    # a notebook that stops with a skip sentence failed; its error output is not a skip
    assert count_skipped(nb(nbformat.v4.new_output(
        "error", ename="DataError", evalue=notice, traceback=[]))) == 0
    assert count_skipped(nb(nbformat.v4.new_output(
        "stream", name="stdout", text="3,000 answers, none skipped\n"))) == 0


def test_only_the_published_run_writes_figures_dir(tmp_path, monkeypatch):
    """Without -p the kernel is pointed at figures/; the variable is restored afterwards."""
    monkeypatch.delenv("CXRESEARCH_FIGURES_DIR", raising=False)
    monkeypatch.delenv("CXRESEARCH_FIGURE_DRAFT", raising=False)
    path = _notebook(tmp_path, "94_where.ipynb", ["n = 1", "import os\n"
                     "print(os.environ.get('CXRESEARCH_FIGURES_DIR'))"])
    run_notebooks([path], progress=False)
    printed = json.loads(path.read_text())["cells"][-1]["outputs"][0]["text"]
    assert "".join(printed).strip() == str(paths.FIGURES_DIR)
    assert "CXRESEARCH_FIGURES_DIR" not in os.environ


def test_a_published_run_refuses_draft_figures(tmp_path, monkeypatch):
    """Draft figures (stub PDFs, for tests) never reach figures/."""
    monkeypatch.delenv("CXRESEARCH_FIGURES_DIR", raising=False)
    monkeypatch.setenv("CXRESEARCH_FIGURE_DRAFT", "1")
    path = _notebook(tmp_path, "93_draft.ipynb", ["n = 1", "print(n)"])
    with pytest.raises(ValueError, match="CXRESEARCH_FIGURE_DRAFT=1"):
        run_notebooks([path], progress=False)
    assert "CXRESEARCH_FIGURES_DIR" not in os.environ


def test_a_run_on_other_data_ends_before_the_course_material(tmp_path):
    """With data_dir the failure lessons and exercises (bundled data, whatever the run read)
    are left out of the executed copy; the notebook itself keeps them."""
    path = _notebook(tmp_path, "92_course.ipynb", ["data_dir = None", "print('analysis')"])
    nb = nbformat.read(path, as_version=4)
    nb.cells += [nbformat.v4.new_markdown_cell("## What this shows, and what it doesn't"),
                 nbformat.v4.new_markdown_cell("## Exercises\n\nAnswer each..."),
                 nbformat.v4.new_code_cell("print('solution')")]
    nbformat.write(nb, path)
    out = tmp_path / "out"
    run_notebooks([path], parameters={"data_dir": str(tmp_path)}, output_dir=out,
                  progress=False)
    ran = json.loads((out / path.name).read_text())
    sources = ["".join(c["source"]) for c in ran["cells"]]
    assert sources[-1].startswith("## What this shows") and "solution" not in str(ran)
    assert len(nbformat.read(path, as_version=4).cells) == len(nb.cells)  # input untouched


def test_course_false_leaves_the_course_material_out_of_any_run(tmp_path):
    path = _notebook(tmp_path, "91_course.ipynb", ["seed = 0", "print('analysis')"])
    nb = nbformat.read(path, as_version=4)
    nb.cells += [nbformat.v4.new_markdown_cell("## Exercises"),
                 nbformat.v4.new_code_cell("print('solution')")]
    nbformat.write(nb, path)
    out = tmp_path / "out"
    run_notebooks([path], parameters={"seed": 1}, output_dir=out, progress=False, course=False)
    assert "solution" not in (out / path.name).read_text()
