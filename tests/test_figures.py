"""The figure convention: files written, manifest entries, byte-identical reruns, clear errors."""

from __future__ import annotations

import hashlib
import json

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cxresearch.figures import FIGSIZE, OKABE_ITO, load_manifest, save_figure, use_style


def _draw() -> tuple[plt.Figure, pd.DataFrame]:
    use_style()
    data = pd.DataFrame({"segment": ["A", "B", "C"], "nps": [12.5, 30.0, -4.25]})
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.bar(data["segment"], data["nps"])
    ax.set_title("NPS by segment (synthetic)")
    return fig, data


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_save_figure_writes_png_svg_csv_and_manifest(tmp_path):
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
    assert names == ["manifest.json", "t_demo.csv", "t_demo.png", "t_demo.svg"]
    assert saved.summary() == "t_demo: t_demo.png, t_demo.svg, t_demo.csv"
    assert (tmp_path / "t_demo.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pd.read_csv(tmp_path / "t_demo.csv").equals(data)
    entry = load_manifest(tmp_path)["t_demo"]
    assert entry["caption"] == "A caption." and entry["alt_text"] == "Alt text."
    assert entry["source"] == "test" and entry["data_rows"] == 3
    assert entry["files"] == {"png": "t_demo.png", "svg": "t_demo.svg", "data": "t_demo.csv"}


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
    from cxresearch.figures import canonical_svg

    a = '<g id="m0123456789ab"><path d="M 143.059063 221.902125"/></g><use href="#m0123456789ab"/>'
    b = '<g id="mfedcba987654"><path d="M 143.059062 221.902125"/></g><use href="#mfedcba987654"/>'
    assert canonical_svg(a) == canonical_svg(b)
    assert "143.059 221.902" in canonical_svg(a)
    assert canonical_svg('font-size="10.5" version="1.1"') == 'font-size="10.5" version="1.1"'
    head = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<svg version="1.1">'
    assert canonical_svg(head) == head  # the XML declaration stays valid XML 1.0
