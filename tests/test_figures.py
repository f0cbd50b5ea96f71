"""The figure convention: files written, manifest entries, byte-identical reruns, clear errors."""

from __future__ import annotations

import hashlib
import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cxresearch.report.figures import FIGSIZE, OKABE_ITO, save_figure, use_style
from cxresearch.report.manifest import load_manifest


@pytest.fixture(autouse=True)
def _print_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests need save_figure's print PDF (the session drafts it: conftest.py)."""
    monkeypatch.delenv("CXRESEARCH_FIGURE_DRAFT", raising=False)


def _draw() -> tuple[plt.Figure, pd.DataFrame]:
    use_style()
    data = pd.DataFrame({"segment": ["A", "B", "C"], "nps": [12.5, 30.0, -4.25]})
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.bar(data["segment"], data["nps"])
    ax.set_title("NPS by segment (synthetic)")
    return fig, data


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_save_figure_writes_png_svg_pdf_csv_and_manifest(tmp_path):
    fig, data = _draw()
    saved = save_figure(
        fig,
        "t_demo",
        data=data,
        caption="A caption.",
        alt_text="Alt text.",
        source="test",
        directory=tmp_path,
    )
    plt.close(fig)
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert names == ["manifest.json", "t_demo.csv", "t_demo.pdf", "t_demo.png", "t_demo.svg"]
    assert saved.summary() == "t_demo: t_demo.png, t_demo.svg, t_demo.pdf, t_demo.csv"
    assert (tmp_path / "t_demo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pd.read_csv(tmp_path / "t_demo.csv").equals(data)
    entry = load_manifest(tmp_path)["t_demo"]
    assert entry["caption"] == "A caption." and entry["alt_text"] == "Alt text."
    assert entry["source"] == "test" and entry["data_rows"] == 3
    assert entry["files"] == {"png": "t_demo.png", "svg": "t_demo.svg", "pdf": "t_demo.pdf",
                              "data": "t_demo.csv"}
    assert entry["checks"]["size_in"] == [3.5, 2.6] and "evidence" not in entry


def test_same_input_gives_identical_bytes(tmp_path):
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        fig, data = _draw()
        save_figure(fig, "t_same", data=data, caption="c", alt_text="a", source="s", directory=out)
        plt.close(fig)
        digests.append({p.name: _digest(p) for p in sorted(out.iterdir()) if p.suffix != ".lock"})
    assert digests[0] == digests[1]
    svg = (tmp_path / "a" / "t_same.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in (tmp_path / "a" / "t_same.png").read_bytes()[:400]


def test_manifest_keeps_other_entries_sorted(tmp_path):
    for name in ("t_b", "t_a"):
        fig, data = _draw()
        save_figure(
            fig, name, data=data, caption=name, alt_text="x", source="s", directory=tmp_path
        )
        plt.close(fig)
    text = (tmp_path / "manifest.json").read_text()
    assert list(json.loads(text)) == ["t_a", "t_b"]
    assert text.endswith("\n")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "../escape"}, "argument 'name'"),
        ({"data": pd.DataFrame()}, "argument 'data'"),
        ({"caption": " "}, "argument 'caption'"),
        ({"alt_text": ""}, "argument 'alt_text'"),
    ],
)
def test_bad_arguments_name_the_argument(tmp_path, kwargs, message):
    fig, data = _draw()
    args = {"name": "t_ok", "data": data, "caption": "c", "alt_text": "a", "source": "s"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        save_figure(fig, args.pop("name"), directory=tmp_path, **args)
    plt.close(fig)


def test_style_uses_colour_blind_safe_palette():
    use_style()
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    cycle = [to_hex(c).upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[:3] == [c.upper() for c in OKABE_ITO[:3]]
    assert set(FIGSIZE) == {"single", "double", "web"}


def test_svg_is_independent_of_the_last_bits() -> None:
    """A coordinate that differs in the last bit between CPUs (143.0590625 written as
    143.059063 or 143.059062) gives the same SVG; hashed ids are renumbered consistently."""
    from cxresearch.report.figures import canonical_svg

    a = '<g id="m0123456789ab"><path d="M 143.059063 221.902125"/></g><use href="#m0123456789ab"/>'
    b = '<g id="mfedcba987654"><path d="M 143.059062 221.902125"/></g><use href="#mfedcba987654"/>'
    assert canonical_svg(a) == canonical_svg(b)
    assert "143.059 221.902" in canonical_svg(a)
    assert canonical_svg('font-size="10.5" version="1.1"') == 'font-size="10.5" version="1.1"'
    head = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg version="1.1">'
    assert canonical_svg(head) == head  # the XML declaration stays valid XML 1.0


def _pdf_streams(pdf: bytes) -> list[bytes]:
    import re
    import zlib

    return [zlib.decompress(m.group(1)) for m in
            re.finditer(rb"/FlateDecode >>\nstream\n(.*?)\nendstream", pdf, re.S)]


def test_pdf_is_print_ready_and_reproducible(tmp_path):
    """Page exactly one column wide, TrueType fonts embedded, no dates or producer, every
    coordinate rounded to 1/1000 pt, identical bytes on a rerun."""
    import re

    pdfs = []
    for run in ("a", "b"):
        fig, data = _draw()
        fig.axes[0].set_ylabel("NPS (−100 to 100)")
        save_figure(fig, "t_pdf", data=data, caption="c", alt_text="a", source="s",
                    directory=tmp_path / run)
        plt.close(fig)
        pdfs.append((tmp_path / run / "t_pdf.pdf").read_bytes())
    assert pdfs[0] == pdfs[1]
    pdf = pdfs[0]
    assert pdf.startswith(b"%PDF-") and b"/MediaBox [ 0 0 252 187.2 ]" in pdf  # 3.5 x 2.6 in
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf
    assert b"CreationDate" not in pdf and b"Producer" not in pdf and b"matplotlib" not in pdf
    for stream in _pdf_streams(pdf):
        if stream.startswith((b"\x00", b"true")):  # font programs
            continue
        long = re.findall(rb"(?<![\w.])-?\d+\.\d{4,}", stream)
        assert not long, long[:5]


def test_pdf_leaves_the_figure_as_it_was(tmp_path):
    """The print layout (constrained, exact width, wrapped titles) is undone afterwards: the
    notebook shows the same image, and the PNG saved after equals the PNG saved before."""
    import io

    use_style()
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], sharey=True)
    for ax in axes:
        ax.plot([1, 2, 3], [3, 1, 2], label="a line")
        ax.set_title("a title long enough to be wrapped onto two lines in the print PDF")
    axes[0].set_ylabel("y (units)")
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.15))
    fig.colorbar(axes[0].collections[0] if axes[0].collections else
                 plt.cm.ScalarMappable(), ax=axes[1], label="scale")
    fig.suptitle("Synthetic: a figure title")
    before = io.BytesIO()
    fig.savefig(before, format="png")
    save_figure(fig, "t_undo", data=pd.DataFrame({"a": [1]}), caption="c", alt_text="a",
                source="s", directory=tmp_path)
    after = io.BytesIO()
    fig.savefig(after, format="png")
    plt.close(fig)
    assert before.getvalue() == after.getvalue()
    assert fig.get_layout_engine() is None


def test_evidence_is_recorded_and_checked(tmp_path):
    fig, data = _draw()
    save_figure(fig, "t_real", data=data, caption="c", alt_text="a", source="s",
                directory=tmp_path, evidence="real")
    assert load_manifest(tmp_path)["t_real"]["evidence"] == ["real"]
    with pytest.raises(ValueError, match="argument 'evidence'"):
        save_figure(fig, "t_bad", data=data, caption="c", alt_text="a", source="s",
                    directory=tmp_path, evidence="made up")
    plt.close(fig)
