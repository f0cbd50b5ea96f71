"""Notebook 12 (tracking CX over time): its helpers (cxresearch.studies.tracking_12) against
hand computations, and the notebook run on a tracker with no change (it must claim none), on
the own-data fixture ``tests/data/own_tracker`` (raked to its ``population:``) and on the same
folder without ``population:`` (the weighting skipped, saying why)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nb_outputs import figures_in, generated_markdown, notebook_text

import cxresearch as cx
from cxresearch.cli.check import skipped
from cxresearch.cli.runner import run_notebooks
from cxresearch.core.validation import DataError
from cxresearch.simulate.tracker import simulate_tracker
from cxresearch.studies.tracking_12 import (
    bare_by_period,
    dashboard_check,
    dashboard_counts,
    naive_moves,
    nps_three_ways,
    rake_to_population,
    sample_vs_population,
    trend_band,
    truth_findings,
    wave_findings,
)

TRACKER = Path(__file__).parent / "data" / "own_tracker"
NB = "12_tracking_cx_over_time"


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    t = simulate_tracker(n_months=5, answers_per_month=800, seed=3)
    return t, cx.rake(t.data, t.margin_dict())


def test_rake_to_population_matches_text_categories_and_keeps_the_index() -> None:
    d = pd.DataFrame({"region": [1, 1, 2, 2, 2], "ch": ["a", "b", "a", "b", "b"]},
                     index=list("vwxyz"))
    r = rake_to_population(d, {"region": {"1": 50, "2": 50}, "ch": {"a": 50, "b": 50}})
    assert list(r.weights.index) == list("vwxyz")
    assert r.weights.groupby(d["region"]).sum().tolist() == pytest.approx([50, 50])
    with pytest.raises(DataError, match=r"variable\(s\) \['age'\] are not columns"):
        rake_to_population(d, {"age": {"old": 1.0}})


def test_nps_three_ways_are_the_metric_functions(small) -> None:  # type: ignore[no-untyped-def]
    t, r = small
    d = t.data
    out = nps_three_ways(d, "ltr", calibration=r, cluster="store_id", truth=20.0).set_index(
        "method")
    plain = cx.nps(d["ltr"], cluster=d["store_id"])
    fixed = cx.nps(d["ltr"], weights=r.weights, cluster=d["store_id"])
    cal = cx.nps(d["ltr"], calibration=r, cluster=d["store_id"])
    assert out["se"].tolist() == pytest.approx([plain.se, fixed.se, cal.se])
    assert out["estimate"].iloc[1] == pytest.approx(out["estimate"].iloc[2])
    assert (out["truth"] == 20.0).all() and out["covers"].dtype == bool
    shares = sample_vs_population(d, t.margin_dict(), r).set_index("category")
    assert shares.loc["web", "ratio"] > 1.5
    assert shares["weighted_share"].to_numpy() == pytest.approx(
        shares["population_share"].to_numpy())


def test_naive_moves_and_the_dashboard_check_by_hand(small) -> None:  # type: ignore[no-untyped-def]
    t, r = small
    d = t.data
    y = np.where(d["ltr"] >= 9, 100.0, np.where(d["ltr"] <= 6, -100.0, 0.0))
    hand = d.assign(y=y).pivot_table(index="region", columns="month", values="y")
    bare = bare_by_period(d, "ltr", "month", "region")
    assert bare.pivot(index="region", columns="period", values="nps").to_numpy() == (
        pytest.approx(hand.to_numpy()))
    moves = naive_moves(d, "ltr", "month", "region", threshold=5.0)
    assert moves["bare_change"].to_numpy() == pytest.approx(
        hand.diff(axis=1).iloc[:, 1:].to_numpy().ravel())
    assert moves["move"].sum() == int((hand.diff(axis=1).abs() >= 5).to_numpy().sum())
    waves = cx.compare_waves(d, "ltr", "month", by="region", cluster="store_id", calibration=r)
    check = dashboard_check(moves, waves, "region", truth=t.true_changes("region"))
    assert len(check) == len(moves) == 16
    assert check["real"].sum() == 1  # south, month 3 -> 4
    counts = dashboard_counts(check, threshold=5.0)
    assert counts["changes"].tolist() == [int(check["move"].sum()), int(check["holds"].sum())]
    assert (counts["real"] + counts["false_alarms"] == counts["changes"]).all()
    found = truth_findings(check, "region")
    assert not any(f.claims_effect for f in found)
    assert "real change" in found[0].text and "false alarm" in found[0].text


def test_wave_findings_claim_only_what_holds() -> None:
    w = pd.DataFrame({"region": ["a", "a", "b"], "contrast": ["change", "trend", "change"],
                      "time_from": [1, 1, 1], "time_to": [2, 2, 2], "change": [9.0, 1.0, 2.0],
                      "ci_low": [4.0, -1.0, np.nan], "ci_high": [14.0, 3.0, np.nan],
                      "p_adjusted": [0.01, 0.4, np.nan], "flag": ["", "", "suppressed"]})
    found = wave_findings(w, "region", period="month")
    assert [f.claims_effect for f in found] == [True, True, False]
    assert "**NPS, a, 1 → 2**: +9.0 points" in found[1].text
    assert "1 of 2 month-on-month changes by region were suppressed" in found[2].text
    none = wave_findings(w.assign(p_adjusted=[0.2, 0.4, np.nan]), "region")
    assert not any(f.claims_effect for f in none)


def test_trend_band_pivots_on_the_middle() -> None:
    t = pd.DataFrame({"g": ["x"], "contrast": ["trend"], "estimate_from": [0.0],
                      "estimate_to": [6.0], "change": [2.0], "ci_low": [1.0], "ci_high": [3.0],
                      "flag": [""]})
    b = trend_band(t, ["m1", "m2", "m3", "m4"], "g")
    assert b["fit"].tolist() == pytest.approx([0, 2, 4, 6])
    assert b["band_low"].tolist() == pytest.approx([-1.5, 1.5, 3.5, 4.5])
    assert b["band_high"].tolist() == pytest.approx([1.5, 2.5, 4.5, 7.5])


# ------------------------------------------------------------------- the notebook, run three ways


def _claims(path: Path) -> list[tuple[str, bool]]:
    nb = nbformat.read(path, as_version=4)
    return [(out["data"]["text/markdown"], bool(meta["claims_effect"]))
            for cell in nb.cells for out in cell.get("outputs", [])
            if (meta := out.get("metadata", {}).get("text/markdown", {}).get("cxresearch"))]


def _run(params: dict, out: Path) -> tuple[Path, str]:
    with figures_in(out):
        table = run_notebooks(["12"], params, out, progress=False, keep_going=True,
                              course=False)
    assert table["status"].tolist() == ["ok"], table["error"].tolist()
    path = out / f"{NB}.ipynb"
    return path, notebook_text(path, errors=True)


def test_with_no_change_the_notebook_claims_none(tmp_path: Path) -> None:
    path, _ = _run({"effect": 0.0}, tmp_path)
    claims = _claims(path)
    assert claims, "no generated conclusions"
    assert not [t for t, c in claims if c], [t for t, c in claims if c]
    md = generated_markdown(nbformat.read(path, as_version=4))
    assert "none of the 44 month-on-month changes of NPS by region" in md
    assert "0 false alarms among the 44 changes that are not real" in md
    assert (tmp_path / "figures" / f"{NB.split('_')[0]}_monthly_nps_trend.png").is_file()


def test_on_a_users_tracker_folder_it_rakes_and_labels_the_data(tmp_path: Path) -> None:
    path, text = _run({"data_dir": str(TRACKER)}, tmp_path / "own")
    assert "Traceback" not in text and "skipped" not in text
    assert "Raking on region, channel: converged" in text
    assert "(your data)" in text and "synthetic data)" not in text.split("## Exercises")[0]
    assert "month-on-month changes of NPS by region" in text
    assert "raked weights taken as fixed" in text and "the 24 store_id clusters" in text
    nb = nbformat.read(path, as_version=4)
    assert "Against the simulation's truth" not in generated_markdown(nb)


def test_without_population_the_weighting_is_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "nopop"
    shutil.copytree(TRACKER, folder, ignore=shutil.ignore_patterns("*.py", "population.csv"))
    inst = (folder / "instrument.yml").read_text().replace("population: population.csv\n", "")
    (folder / "instrument.yml").write_text(inst)
    _, text = _run({"data_dir": str(folder)}, tmp_path / "out")
    reason = ("the instrument declares no population (population: a CSV of the customer "
              "base's margins, with columns variable, category and count or share)")
    assert str(skipped("Weights to the customer base", [reason])) in text
    assert "Traceback" not in text and "month-on-month changes of NPS by region" in text
