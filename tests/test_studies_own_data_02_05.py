"""The data described first (notebooks 02, 03, 05): the tables show the scores the models use,
hide small groups and say so, and take the export's question wording."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.linkage.units import load_linkage_study, unit_panel
from cxresearch.metrics.scores import mean_score
from cxresearch.studies import own_data_02_05 as own
from cxresearch.studies.linkage_05 import respondent_ex_cx

OWN = Path(__file__).parent / "data" / "own_survey"


def test_respondent_scores_give_the_panels_unit_by_period_means() -> None:
    """EX and CX scored per answer, averaged per unit and period, are the panel's ex and cx."""
    study = load_linkage_study(OWN)
    inst = study.instrument
    panel = unit_panel(study.employees, study.customers, inst, study.outcomes)
    emp, cus = respondent_ex_cx(study.employees, study.customers, inst, firm_design=False)
    keys = [study.unit, study.time]
    ex = own.score_table(emp, {"EX": ("mean", "EX", None)}, keys, min_n=0)
    cx = own.score_table(cus, {"CX": ("mean", "CX", None)}, keys, weights=inst.weight,
                         min_n=0)
    merged = panel.merge(ex[[*keys, "estimate", "n"]].rename(columns={"estimate": "ex_0",
                                                                       "n": "n_ex_0"}),
                         on=keys).merge(cx[[*keys, "estimate", "n"]].rename(
                             columns={"estimate": "cx_0", "n": "n_cx_0"}), on=keys)
    assert len(merged) == len(panel) == 90
    np.testing.assert_allclose(merged["ex_0"], merged["ex"], atol=1e-12)
    np.testing.assert_allclose(merged["cx_0"], merged["cx"], atol=1e-12)
    assert (merged["n_ex_0"] == merged["n_ex"]).all()
    assert (merged["n_cx_0"] == merged["n_cx"]).all()


def test_a_periods_interval_is_clustered_by_the_unit_and_a_units_is_not() -> None:
    rng = np.random.default_rng(4)
    d = pd.DataFrame({"store": np.repeat([f"s{i}" for i in range(12)], 20),
                      "wave": np.tile([1, 2], 120)})
    d["x"] = np.clip(np.rint(3 + np.repeat(rng.normal(0, 0.8, 12), 20)
                             + rng.normal(0, 1, 240)), 1, 5)
    scores = {"x": ("mean", "x", (1, 5))}
    by_wave = own.score_table(d, scores, "wave", cluster="store")
    first = d[d["wave"] == 1]
    ref = mean_score(d["x"].where(d["wave"] == 1).dropna(), scale=(1, 5), integer=False)
    assert by_wave["estimate"].iloc[0] == pytest.approx(ref.estimate)
    assert by_wave["design_effect"].iloc[0] > 1.5  # stores make answers alike
    assert len(first) == int(by_wave["n"].iloc[0])
    by_store = own.score_table(d, scores, "store", cluster="store")  # a unit: not clustered
    assert "design_effect" not in by_store.columns


def test_small_groups_are_hidden_and_counted() -> None:
    d = pd.DataFrame({"g": ["a"] * 12 + ["b"] * 4 + ["c"] * 3, "x": [3.0] * 19})
    t = own.score_table(d, {"x": ("mean", "x", (1, 5))}, "g", min_n=10)
    assert t["suppressed"].tolist() == [False, True, True]
    assert t["n"].tolist() == [12, 4, 3]
    sentence = own.hidden_sentence(t, "g", min_n=10)
    assert "1 of 3 groups shown; 2 hidden because they have fewer than 10 answers (7 answers" \
        in sentence and sentence.endswith(": b, c.")


def test_wording_comes_from_the_export_then_the_known_wording() -> None:
    d = pd.DataFrame({"Q1": [1], "Q2": [2]})
    d.attrs["labels"] = {"Q1": "The store was clean", "Q2": " "}
    assert own.item_wording(d, ["Q1", "Q2"], known={"Q2": "Staff helped"}) == {
        "Q1": "The store was clean", "Q2": "Staff helped"}
    assert own.item_wording(None, ["Q3"]) == {"Q3": "Q3"}


def test_the_item_figure_passes_the_figure_checks() -> None:
    import matplotlib.pyplot as plt

    from cxresearch.report.figure_checks import inspect_figure, problems
    from cxresearch.report.figures import use_style

    use_style()
    t = pd.DataFrame({"block": ["a", "a", "b"], "item": ["x1", "x2", "y1"],
                      "wording": ["Easy to reach", "Kept its promise", "Would come back"],
                      "reverse": [False, True, False], "lo": [1, 1, 1], "hi": [5, 5, 7],
                      "estimate": [3.5, 3.52, 5.0], "ci_low": [3.45, 3.47, 4.8],
                      "ci_high": [3.55, 3.57, 5.2], "n": [100, 100, 90], "n_missing": [0, 0, 10]})
    fig = own.plot_item_means(t, title="Items (synthetic)", xlabel="mean answer")
    assert problems(inspect_figure(fig)) == []
    assert fig.get_size_inches()[0] == pytest.approx(7.2)
    plt.close(fig)
    assert len(own.item_means_alt_text(t, data_label="your data")) <= 300


def test_the_same_holds_for_the_bundled_firm_year_panel() -> None:
    from cxresearch.core.contract import CULTURE_ITEMS, ENGAGEMENT_ITEMS
    from cxresearch.linkage.panel import linkage_panel

    study = load_linkage_study()
    panel = linkage_panel(study.firm_years, study.employees, study.customers)
    emp, cus = respondent_ex_cx(study.employees, study.customers, study.instrument,
                                firm_design=True,
                                ex_items=list(CULTURE_ITEMS + ENGAGEMENT_ITEMS))
    keys = ["firm_id", "year"]
    ex = own.score_table(emp, {"EX": ("mean", "EX", None)}, keys, min_n=0)
    cx = own.score_table(cus, {"CX": ("mean", "CX", None)}, keys, min_n=0)
    merged = panel.merge(ex[[*keys, "estimate"]].rename(columns={"estimate": "ex_0"}),
                         on=keys).merge(
        cx[[*keys, "estimate"]].rename(columns={"estimate": "cx_0"}), on=keys)
    assert len(merged) == len(panel)
    np.testing.assert_allclose(merged["ex_0"], merged["ex"], atol=1e-12)
    np.testing.assert_allclose(merged["cx_0"], merged["cx"], atol=1e-12)
