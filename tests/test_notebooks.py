"""Notebook records: paired scripts in sync, clean metadata, python3 kernelspec, parameters cell."""

from __future__ import annotations

import json

import nbformat
import pytest

from cxresearch.cli.notebooks import (
    KERNELSPEC,
    check_pairs,
    clean_notebook,
    list_notebooks,
    sync_pairs,
    write_notebook,
)
from cxresearch.core import paths

NOTEBOOKS = list_notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


def test_every_notebook_is_paired_and_in_sync():
    table = check_pairs()
    bad = table[table["status"] != "in sync"]
    assert bad.empty, "out of sync (run `python -m cxresearch sync`):\n" + bad.to_string()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_is_clean_and_executed(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["metadata"]["kernelspec"] == KERNELSPEC
    assert set(raw["metadata"]) == {"kernelspec", "jupytext"}, "volatile notebook metadata"
    code = [c for c in raw["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert code, "a notebook without code"
    assert all(c["execution_count"] for c in code), "commit notebooks executed (nbval compares)"
    for cell in raw["cells"]:
        assert not {"papermill", "execution"} & set(cell["metadata"]), cell["metadata"]
    tagged = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert raw["cells"][0]["cell_type"] == "markdown"
    assert "".join(raw["cells"][0]["source"]).startswith("# "), "start with a title"


def test_cleaning_is_idempotent_and_drops_volatile_metadata(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"papermill": {"start_time": "2026-01-01"}, "language_info": {"x": 1}})
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.metadata["papermill"] = {"duration": 0.1}
    cell.metadata["execution"] = {"iopub.status.busy": "2026"}
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    clean_notebook(nb)
    assert set(nb.metadata) == {"kernelspec", "jupytext"}
    assert nb.cells[0].metadata == {"tags": ["parameters"]}
    target = tmp_path / "00_x.ipynb"
    write_notebook(nb, target)
    first = target.read_bytes()
    write_notebook(nbformat.read(target, as_version=4), target)
    assert target.read_bytes() == first


def test_sync_creates_notebook_from_script_and_reports_drift(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "07_demo.py").write_text(
        '# %% [markdown]\n# # Demo\n\n# %% tags=["parameters"]\nn = 3\n\n# %%\nn * 2\n'
    )
    table = sync_pairs("scripts", directory=tmp_path)
    assert table["status"].tolist() == ["in sync"]
    nb = nbformat.read(tmp_path / "07_demo.ipynb", as_version=4)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code"]
    (scripts / "07_demo.py").write_text("# %% [markdown]\n# # Demo\n\n# %%\nn = 4\n")
    drift = check_pairs(tmp_path)
    assert drift["status"].tolist() == ["differs"] and "cell 1" in drift["detail"].iloc[0]


def test_figures_in_manifest_exist_with_data_and_alt_text():
    manifest_path = paths.FIGURES_DIR / "manifest.json"
    if not manifest_path.exists():
        pytest.skip("no figures committed yet")
    manifest = json.loads(manifest_path.read_text())
    for name, entry in manifest.items():
        for file in entry["files"].values():
            assert (paths.FIGURES_DIR / file).is_file(), f"{name}: {file} missing"
        assert entry["alt_text"].strip() and entry["caption"].strip()
        assert (paths.NOTEBOOKS_DIR / f"{entry['source']}.ipynb").is_file(), entry["source"]


def test_clean_notebook_merges_stream_chunks() -> None:
    """A print that arrives in two chunks (timing) is saved as one output, as in one chunk."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a: True"),
                    nbformat.v4.new_output("stream", name="stdout", text="\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="b\n")]
    nb.cells = [cell]
    outs = clean_notebook(nb).cells[0].outputs
    assert [(o["name"], o["text"]) for o in outs] == [("stdout", "a: True\n"),
                                                       ("stderr", "warn\n"), ("stdout", "b\n")]
