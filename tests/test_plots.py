"""The shared plots: coef_plot draws exactly what the hand-written matplotlib calls draw.

Reference: the figures are rendered to PNG and SVG bytes (the settings of
cxresearch.report.figures.save_figure) and compared with the same figure drawn by hand with
ax.errorbar / ax.scatter / ax.axvline, the code the notebooks used before coef_plot existed.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from cxresearch.report.figures import FIGSIZE, use_style
from cxresearch.report.plots import coef_plot


def _bytes(fig) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    out = []
    with mpl.rc_context({"svg.hashsalt": "cxresearch", "svg.fonttype": "path"}):
        for fmt, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=100, metadata=meta)
            out.append(buf.getvalue())
    plt.close(fig)
    return out[0], out[1]


@pytest.fixture
def paths() -> pd.DataFrame:
    return pd.DataFrame({
        "path": ["A → B", "B → C", "A → C", "C → D"],
        "estimate": [0.5, 0.3, 0.1, -0.2], "ci_low": [0.4, 0.2, -0.05, -0.3],
        "ci_high": [0.6, 0.4, 0.25, -0.1], "plsc": [0.55, 0.33, 0.1, -0.22],
        "truth": [0.55, 0.35, 0.1, -0.2],
    })  # fmt: skip


def test_coef_plot_equals_the_hand_drawn_path_plot(paths: pd.DataFrame) -> None:
    use_style()
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    ax.errorbar(paths["estimate"], paths["path"],
                xerr=[paths["estimate"] - paths["ci_low"], paths["ci_high"] - paths["estimate"]],
                fmt="o", capsize=3, label="PLS")
    ax.scatter(paths["plsc"], paths["path"], marker="s", label="PLSc", zorder=3)
    ax.scatter(paths["truth"], paths["path"], marker="x", color="black", label="truth", zorder=4)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("coefficient")
    ax.set_title("paths")
    ax.legend(loc="lower right")
    by_hand = _bytes(fig)

    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    out = coef_plot(paths, label="path", ax=ax, ci_label="PLS", truth="truth",
                    points={"plsc": {"marker": "s", "label": "PLSc", "zorder": 3}},
                    xlabel="coefficient", title="paths", legend="lower right")
    assert out == (fig, ax)
    assert _bytes(fig) == by_hand


def test_coef_plot_side_by_side_series_and_a_true_value_line(paths: pd.DataFrame) -> None:
    use_style()
    two = pd.concat([paths.assign(model="pooled"),
                     paths.assign(model="FE", estimate=paths["estimate"] + 0.05)])
    order = list(paths["path"])
    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    for i, (name, grp) in enumerate(two.groupby("model", sort=False)):
        y = np.arange(len(order)) + (i - 0.5) * 0.25
        ax.errorbar(grp["estimate"], y, xerr=[grp["estimate"] - grp["ci_low"],
                                              grp["ci_high"] - grp["estimate"]],
                    fmt="o", capsize=3, label=name)
    ax.axvline(0.3, color="black", linestyle="--", linewidth=1, label="truth")
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(np.arange(len(order)), order)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize="small")
    by_hand = _bytes(fig)

    fig, ax = plt.subplots(figsize=FIGSIZE["double"])
    coef_plot(two, label="path", by="model", ax=ax, truth=0.3, reference_kw={"color": "grey"},
              invert=True, legend={"loc": "lower right", "fontsize": "small"})
    assert _bytes(fig) == by_hand


def test_coef_plot_vertical_with_numeric_labels_and_a_truth_line() -> None:
    use_style()
    es = pd.DataFrame({"event_time": [-2, -1, 0, 1], "estimate": [0.1, 0.0, 0.5, 0.7],
                       "ci_low": [-0.2, -0.1, 0.2, 0.3], "ci_high": [0.4, 0.1, 0.8, 1.1],
                       "true_value": [0.0, 0.0, 0.5, 0.6]})  # fmt: skip
    fig, ax = plt.subplots()
    ax.errorbar(es["event_time"], es["estimate"],
                yerr=[es["estimate"] - es["ci_low"], es["ci_high"] - es["estimate"]],
                fmt="o", capsize=3, label="estimate")
    ax.plot(es["event_time"], es["true_value"], "x--", color="black", label="true effect")
    ax.axhline(0, color="grey", linewidth=0.8)
    by_hand = _bytes(fig)

    fig, ax = plt.subplots()
    coef_plot(es, label="event_time", ax=ax, vertical=True, ci_label="estimate",
              truth="true_value", truth_label="true effect", truth_kw={"linestyle": "--"},
              reference_kw={"color": "grey"})
    assert _bytes(fig) == by_hand


def test_coef_plot_checks_its_input(paths: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"column\(s\) \['nope'\] not found"):
        coef_plot(paths, label="nope")
    with pytest.raises(ValueError, match="'estimate' must be numeric"):
        coef_plot(paths.assign(estimate="x"), label="path")
    with pytest.raises(ValueError, match="no rows"):
        coef_plot(paths.iloc[:0], label="path")
    with pytest.raises(TypeError, match="DataFrame"):
        coef_plot([1, 2, 3])  # type: ignore[arg-type]


def test_importance_performance_marks_unclear_drivers_with_open_circles() -> None:
    from cxresearch.linkage.drivers import UNCLEAR
    from cxresearch.report.plots import plot_importance_performance

    m = pd.DataFrame({"importance": [30.0, 10.0, 20.0], "performance": [40.0, 80.0, 60.0],
                      "ci_low": [25.0, 5.0, 10.0], "ci_high": [35.0, 15.0, 30.0],
                      "quadrant": ["high share, lower rating", "low share, higher rating",
                                   UNCLEAR]},
                     index=["price for the quality", "speed", "range"])
    fig, ax = plot_importance_performance(m)
    try:
        assert [t.get_text() for t in ax.texts] == list(m.index)  # wording as given
        filled, hollow = ax.collections[-2:]
        assert len(filled.get_offsets()) == 2 and len(hollow.get_offsets()) == 1
        assert ax.get_legend().get_texts()[0].get_text() == "interval crosses the line"
        plain, _ = plot_importance_performance(m.drop(columns="quadrant"))
        assert plain.axes[0].get_legend() is None
        plt.close(plain)
    finally:
        plt.close(fig)
