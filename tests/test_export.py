"""``python -m cxresearch figures --export DIR``: chosen figures and a CREDITS.txt for an editor."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cxresearch.cli import main as cli
from cxresearch.report.figures import FIGSIZE, save_figure, use_style
from cxresearch.report.site import export_figures


@pytest.fixture(autouse=True)
def _print_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests need save_figure's print PDF (the session drafts it: conftest.py)."""
    monkeypatch.delenv("CXRESEARCH_FIGURE_DRAFT", raising=False)


@pytest.fixture
def figures_dir(tmp_path, monkeypatch):
    """Two figures saved the usual way, in their own folder (CXRESEARCH_FIGURES_DIR)."""
    use_style()
    out = tmp_path / "figures"
    specs = {
        "01_demo_scores": ("Synthetic data: NPS by segment.", "Two bars: B above A."),
        "05_demo_churn": ("Churn by calls in the MLC++ data (artificial data).",
                          "Churn rises with calls."),
    }
    for name, (caption, alt) in specs.items():
        fig, ax = plt.subplots(figsize=FIGSIZE["single"])
        ax.bar(["A", "B"], [1.0, 2.0])
        ax.set_ylabel("NPS (−100 to 100)")
        save_figure(fig, name, data=pd.DataFrame({"segment": ["A", "B"], "nps": [1.0, 2.0]}),
                    caption=caption, alt_text=alt, source="03_satisfaction_index_model",
                    directory=out)
        plt.close(fig)
    monkeypatch.setenv("CXRESEARCH_FIGURES_DIR", str(out))
    return out


def test_export_copies_every_format_and_writes_credits(figures_dir, tmp_path):
    dest = tmp_path / "for-editor"
    result = export_figures(dest, figures_dir=figures_dir)
    assert result.figures == ("01_demo_scores", "05_demo_churn") and result.missing == ()
    assert sorted(p.name for p in dest.iterdir()) == [
        "01_demo_scores.csv", "01_demo_scores.pdf", "01_demo_scores.png", "01_demo_scores.svg",
        "05_demo_churn.csv", "05_demo_churn.pdf", "05_demo_churn.png", "05_demo_churn.svg",
        "CREDITS.txt",
    ]
    for p in result.files[:-1]:
        assert p.read_bytes() == (figures_dir / p.name).read_bytes()
    credits = (dest / "CREDITS.txt").read_text()
    for text in ("Synthetic data: NPS by segment.", "Two bars: B above A.",
                 "notebooks/03_satisfaction_index_model.ipynb", "Data:       synthetic",
                 "Data:       fictional", "01_demo_scores.csv (2 rows; columns segment, nps)",
                 "Cite as:", "[figure 05_demo_churn]", "MIT"):
        assert text in credits, text


def test_export_chooses_by_name_and_format_and_is_reproducible(figures_dir, tmp_path):
    a = export_figures(tmp_path / "a", formats=["pdf", "csv"], names="05_*",
                       figures_dir=figures_dir)
    export_figures(tmp_path / "b", formats=["pdf", "csv"], names="05_*",
                   figures_dir=figures_dir)
    assert [p.name for p in a.files] == ["05_demo_churn.pdf", "05_demo_churn.csv", "CREDITS.txt"]
    assert (tmp_path / "a" / "CREDITS.txt").read_bytes() == (
        tmp_path / "b" / "CREDITS.txt").read_bytes()
    assert "01_demo_scores" not in (tmp_path / "a" / "CREDITS.txt").read_text()


def test_cli_export(figures_dir, tmp_path, capsys):
    dest = tmp_path / "out"
    assert cli.main(["figures", "--export", str(dest), "--format", "png,pdf",
                     "--name", "01_*"]) == 0
    out = capsys.readouterr().out
    assert "01_demo_scores.png" in out and "CREDITS.txt" in out
    assert "exported 1 figure(s), 3 file(s)" in out
    assert sorted(p.name for p in dest.iterdir()) == [
        "01_demo_scores.pdf", "01_demo_scores.png", "CREDITS.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "png,tiff"], "'tiff'"),
        (["--name", "99_*"], "no figure"),
    ],
)
def test_cli_export_refuses_bad_choices(figures_dir, tmp_path, capsys, args, message):
    assert cli.main(["figures", "--export", str(tmp_path / "x"), *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_export_reports_a_missing_file(figures_dir, tmp_path, capsys):
    (figures_dir / "05_demo_churn.pdf").unlink()  # a figure saved before PDFs existed
    assert cli.main(["figures", "--export", str(tmp_path / "x"), "--format", "pdf"]) == 1
    assert "missing: 05_demo_churn.pdf" in capsys.readouterr().err
    assert (tmp_path / "x" / "01_demo_scores.pdf").is_file()


def test_cli_lists_figures_by_pattern(figures_dir, capsys):
    assert cli.main(["figures", "--name", "05_*"]) == 0
    out = capsys.readouterr().out
    assert "05_demo_churn" in out and "01_demo_scores" not in out
