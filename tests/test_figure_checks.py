"""Figure checks: every axis labelled, no legend over the data, words not codes, print sizes.

Two parts. The rules on small figures built here, one per kind of defect (the three of issue 15
among them: a legend over a row of a dot plot, panels whose y axis has no label, raw category
codes). Then one test per figure in ``figures/manifest.json``: the facts that ``save_figure``
recorded when the notebook drew it must show no problem, and its PDF must be one or two
columns wide.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxresearch.core import paths
from cxresearch.report.figure_checks import (
    ALT_TEXT_MAX,
    PRINT_WIDTHS_IN,
    check_manifest,
    inspect_figure,
    jargon,
    main,
    problems,
    raw_code,
)
from cxresearch.report.figures import FIGSIZE, save_figure, use_style
from cxresearch.report.manifest import load_manifest


@pytest.fixture(autouse=True)
def _print_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests need save_figure's print PDF (the session drafts it: conftest.py)."""
    monkeypatch.delenv("CXRESEARCH_FIGURE_DRAFT", raising=False)

MANIFEST = load_manifest(paths.FIGURES_DIR)


def _check(fig) -> list[str]:
    found = problems(inspect_figure(fig))
    plt.close(fig)
    return found


def _dot_plot(legend_loc: str | dict = "lower right") -> plt.Figure:
    """The shape of 03_ecsi_paths: rows of estimates with intervals, one legend."""
    use_style()
    rows = ["Image → Expectation", "Image → Loyalty", "Quality → Value",
            "Value → Satisfaction", "Satisfaction → Complaints", "Satisfaction → Loyalty",
            "Complaints → Loyalty"]
    est = np.array([0.38, 0.19, 0.47, 0.23, 0.49, 0.40, 0.14])
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    y = np.arange(len(rows))[::-1]
    ax.errorbar(est, y, xerr=0.05, fmt="o", capsize=3, label="PLS (95% CI)")
    ax.plot(est + 0.05, y, "x", color="black", label="truth")
    ax.set_yticks(y, rows)
    ax.set_xlabel("standardized path coefficient")
    kwargs = {"loc": legend_loc} if isinstance(legend_loc, str) else legend_loc
    ax.legend(**kwargs)
    return fig


def test_a_legend_over_a_row_of_data_is_named_with_the_row():
    found = _check(_dot_plot("lower right"))
    assert any(re.search(r"legend of axes 1 covers .*'(Satisfaction|Complaints) → Loyalty'", p)
               for p in found), found


def test_a_legend_below_the_axes_is_clear():
    fig = _dot_plot({"loc": "upper center", "bbox_to_anchor": (0.5, -0.2), "ncol": 2})
    assert _check(fig) == []


def test_reference_lines_under_a_legend_are_not_data():
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.plot([0, 1], [0, 0.2], label="estimate")
    ax.axhline(0.9, color="grey")
    ax.axvline(0.9, color="grey")
    ax.set_xlabel("x (units)")
    ax.set_ylabel("y (units)")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    assert _check(fig) == []


def test_bars_and_scatter_points_under_a_legend_are_found():
    use_style()
    fig, (a, b) = plt.subplots(1, 2, figsize=FIGSIZE["double"])
    a.bar(["small", "large"], [5, 10], label="firms")
    a.set_ylabel("firms (n)")
    a.legend(loc="upper right")
    b.scatter([0.9, 0.1], [0.9, 0.1], s=80, label="firm")
    b.set(xlim=(0, 1), ylim=(0, 1), xlabel="x (SD)", ylabel="y (SD)")
    b.legend(loc="upper right")
    found = _check(fig)
    assert any("legend of axes 1 covers bar" in p and "'large'" in p for p in found), found
    assert any("legend of axes 2 covers points" in p for p in found), found


def test_panels_without_a_y_label_are_flagged_each():
    """The shape of 11_event_study_leader: two panels, titles but no y-axis labels."""
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"])
    for ax, title in zip(axes, ["revenue growth (pp), synthetic", "contacts (log-%), synthetic"]):
        ax.errorbar([-2, -1, 0, 1], [0.1, 0, 0.5, 0.6], yerr=0.3, fmt="o")
        ax.set_xlabel("years since appointing a CX leader")
        ax.set_title(title)
    found = _check(fig)
    assert found == [
        "axes 1 ('revenue growth (pp), synthetic'): the y axis shows numbers but has no label",
        "axes 2 ('contacts (log-%), synthetic'): the y axis shows numbers but has no label",
    ]


def test_shared_axes_and_figure_labels_count_as_labels():
    use_style()
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], sharey=True)
    for ax in axes:
        ax.plot([1, 2], [3, 4])
    axes[0].set_ylabel("score (0-100)")
    fig.supxlabel("year")
    assert _check(fig) == []


def test_colour_bar_needs_a_label():
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    im = ax.imshow(np.arange(4.0).reshape(2, 2))
    ax.set_xticks([0, 1], ["factor 1", "factor 2"])
    ax.set_yticks([0, 1], ["culture 1", "culture 2"])
    fig.colorbar(im, ax=ax)
    found = _check(fig)
    assert found == ["axes 2: the y axis shows numbers but has no label"], found


def test_raw_codes_are_flagged_in_ticks_and_legends():
    """The shape of 06_ownership_adjusted_means: owner codes as tick labels."""
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    owners = ["everyone", "cmo", "coo", "ceo", "cx_leader"]
    ax.errorbar([-0.2, -0.4, -0.1, -0.1, 0.4], range(5), xerr=0.2, fmt="o", label="nps_mean")
    ax.set_yticks(range(5), owners)
    ax.set_xlabel("customer experience, adjusted mean (SD)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3))
    found = _check(fig)
    for code in owners:
        assert any(f"category label {code!r} is a code" in p for p in found), (code, found)
    assert any("entry 'nps_mean' is a code" in p for p in found), found


def test_human_words_pass():
    for text in ("CX leader", "COO", "everyone's job", "Everyone", "mean 0–10", "top-2-box",
                 "Satisfaction → Loyalty", "hand codes", "2019", "CMS HCAHPS"):
        assert raw_code(text) is None, text
    for text in ("cx_leader", "culture_4", "coo", "pre_leader", "mean nps", "PERQ7"):
        assert raw_code(text) is not None, text


def test_print_width_is_a_column():
    use_style()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([1, 2], [1, 2])
    ax.set(xlabel="x (units)", ylabel="y (units)")
    assert _check(fig) == [
        f"figure is 5.0 in wide; print widths are {PRINT_WIDTHS_IN[0]} in or "
        f"{PRINT_WIDTHS_IN[1]} in"
    ]


def test_save_figure_records_the_checks_and_the_cli_reports_them(tmp_path, capsys):
    fig = _dot_plot("lower right")
    save_figure(fig, "t_paths", data=pd.DataFrame({"a": [1]}), caption="Synthetic.",
                alt_text="Dots.", source="test", directory=tmp_path)
    plt.close(fig)
    entry = load_manifest(tmp_path)["t_paths"]
    assert entry["checks"]["size_in"] == [7.2, 3.6]
    assert entry["checks"]["print"]["layout"] == "constrained"
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"t_paths: \d problem\(s\)", out) and "covers" in out


def test_a_figure_saved_before_the_checks_is_reported():
    report = check_manifest({"old": {"caption": "c", "source": "05_x"}})
    assert report == {"old": ["no checks recorded: saved before the figure checks existed; "
                              "rerun notebook 05_x"]}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_published_figure_passes_the_checks(name):
    entry = MANIFEST[name]
    found = check_manifest({name: entry})[name]
    assert found == [], f"{name} (notebook {entry['source']}):\n  " + "\n  ".join(found)


@pytest.mark.parametrize("name", sorted(n for n, e in MANIFEST.items() if "pdf" in e["files"]))
def test_published_pdf_is_one_or_two_columns_wide(name):
    pdf = (paths.FIGURES_DIR / MANIFEST[name]["files"]["pdf"]).read_bytes()
    box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
    assert box, name
    width_in = float(box.group(1)) / 72
    assert any(abs(width_in - w) < 0.01 for w in PRINT_WIDTHS_IN), (name, width_in)
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf, f"{name}: fonts not TrueType-embedded"


# -- the classes of issue 26: item codes, jargon, colliding titles, twins, long alt text ------


def test_item_codes_are_codes_in_ticks_and_alt_text():
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.barh(["PERQ6", "Network quality"], [0.3, 0.2])
    ax.set_xlabel("Share of explained variance")
    found = problems(inspect_figure(fig))
    plt.close(fig)
    assert found == ["axes 1: category label 'PERQ6' is a code (item code 'PERQ6'; show the "
                     "item's wording); use the reader's words"]
    assert check_manifest({"x": {"alt_text": "PERV1 ranks first.", "checks": {}}}) == {
        "x": ["alt text: item code 'PERV1'; use the item's wording"]}


def test_jargon_in_titles_needs_its_words():
    fig, ax = plt.subplots(figsize=FIGSIZE["single"])
    ax.plot([0, 1], [0, 1])
    ax.set_title("ES + covariates (DR), firm FE")
    ax.set_xlabel("Year")
    ax.set_ylabel("Effect, SD per SD")
    found = problems(inspect_figure(fig))
    plt.close(fig)
    assert any("uses 'DR' without its words" in p for p in found)
    assert any("uses 'FE' without its words" in p for p in found)
    assert any("y label 'Effect, SD per SD' uses 'SD per SD'" in p for p in found)
    assert jargon("Event study, doubly robust (DR)") == []


def test_a_figure_title_that_runs_into_a_panel_title_is_flagged():
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"])
    for ax in axes:
        ax.plot([0, 1], [0, 1])
        ax.set_title("A panel title")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    fig.suptitle("A figure title placed on top of the panels", y=0.9)
    found = problems(inspect_figure(fig))
    plt.close(fig)
    assert any(p.startswith("the figure title runs into axes 1") for p in found)
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE["double"], layout="constrained")
    for ax in axes:
        ax.plot([0, 1], [0, 1])
        ax.set_title("A panel title")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    fig.suptitle("A figure title above the panels")
    clear = problems(inspect_figure(fig))
    plt.close(fig)
    assert not any("runs into" in p for p in clear)


def test_intervals_that_all_look_the_same_are_flagged_and_different_ones_pass():
    def draw(lows, highs):
        fig, ax = plt.subplots(figsize=FIGSIZE["single"])
        mid = (np.array(lows) + np.array(highs)) / 2
        ax.errorbar(mid, ["Wald", "adjusted Wald"], xerr=[mid - lows, np.array(highs) - mid],
                    fmt="o")
        ax.set_xlabel("NPS")
        ax.set_xlim(-40, 10)
        found = problems(inspect_figure(fig))
        plt.close(fig)
        return found

    twins = draw([-13.34, -13.31], [-4.56, -4.55])
    assert twins == ["axes 1: 2 intervals look the same: show one, or a case where they differ"]
    assert draw([-30.0, -26.0], [2.0, 4.0]) == []


def test_long_alt_text_is_flagged():
    long = "x" * (ALT_TEXT_MAX + 1)
    assert check_manifest({"x": {"alt_text": long, "checks": {}}})["x"] == [
        f"alt text has {ALT_TEXT_MAX + 1} characters (at most {ALT_TEXT_MAX}): keep the "
        "takeaway, move the details to the caption"]
