"""The simulated monthly tracker (cxresearch.simulate.tracker): its truth is what a huge sample,
raked to the margins, recovers; the sample over-represents web; the change is where it is said
to be and nowhere else."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.simulate.tracker import TRACKER_CHANNELS, TRACKER_REGIONS, simulate_tracker


def _ipf(data: pd.DataFrame, margins: dict[str, dict[str, float]], sweeps: int = 50
         ) -> np.ndarray:
    """Raking by hand (Deming & Stephan 1940): scale each margin's categories in turn."""
    w = np.ones(len(data))
    coded = []
    for col, targets in margins.items():
        cats = list(targets)
        codes = pd.Categorical(data[col], categories=cats).codes
        coded.append((codes, np.array([targets[c] for c in cats])))
    for _ in range(sweeps):
        for codes, target in coded:
            achieved = np.bincount(codes, weights=w, minlength=len(target))
            w = w * (target / achieved)[codes]
    return w


def _nps(y: pd.Series, w: np.ndarray | None = None) -> float:
    v = np.where(y >= 9, 100.0, np.where(y <= 6, -100.0, 0.0))
    w = np.ones(len(v)) if w is None else w
    return float(np.sum(w * v) / np.sum(w))


@pytest.fixture(scope="module")
def huge():  # type: ignore[no-untyped-def]
    return simulate_tracker(n_months=4, answers_per_month=150_000, change_month=3, seed=2)


def test_a_huge_raked_sample_recovers_the_truth(huge) -> None:  # type: ignore[no-untyped-def]
    d = huge.data
    w = _ipf(d, huge.margin_dict())
    truth = huge.truth.set_index(["variable", "category", "month"])["nps"]
    for m in range(1, 5):
        sel = (d["month"] == m).to_numpy()
        assert _nps(d.loc[sel, "ltr"], w[sel]) == pytest.approx(truth[("all", "all", m)], abs=1.0)
        for r in TRACKER_REGIONS:
            s = sel & (d["region"] == r).to_numpy()
            assert _nps(d.loc[s, "ltr"], w[s]) == pytest.approx(truth[("region", r, m)], abs=2.0)
    # the real change, recovered: south's NPS rises by the effect from month 3, the others not
    south = (d["region"] == "south").to_numpy()
    before = (d["month"] <= 2).to_numpy()
    after = ~before
    rise = _nps(d.loc[south & after, "ltr"], w[south & after]) - _nps(
        d.loc[south & before, "ltr"], w[south & before])
    assert rise == pytest.approx(huge.effect, abs=2.0)
    north = (d["region"] == "north").to_numpy()
    assert abs(_nps(d.loc[north & after, "ltr"], w[north & after]) - _nps(
        d.loc[north & before, "ltr"], w[north & before])) < 1.5


def test_the_sample_over_represents_web_and_the_bare_nps_is_biased(huge) -> None:  # type: ignore[no-untyped-def]
    d = huge.data
    pop = huge.margins.set_index(["variable", "category"])["count"]
    web_pop = pop[("channel", "web")] / pop.xs("channel").sum()
    assert (d["channel"] == "web").mean() > 1.6 * web_pop
    assert web_pop == pytest.approx(TRACKER_CHANNELS["web"][0], abs=0.01)
    true_mean = huge.truth.query("variable == 'all'")["nps"].mean()
    assert _nps(d["ltr"]) - true_mean > 4  # unweighted: too many happy web customers
    assert abs(_nps(d["ltr"], _ipf(d, huge.margin_dict())) - true_mean) < 1.0


def test_margins_truth_and_changes_are_consistent() -> None:
    t = simulate_tracker(n_months=5, answers_per_month=400, effect=15.0, change_region="west",
                         change_month=2, seed=1)
    assert t.margins.groupby("variable")["count"].sum().tolist() == pytest.approx([200_000] * 2)
    assert list(t.margins.columns) == ["variable", "category", "count"]
    ch = t.true_changes("region")
    real = ch[ch["true_change"] != 0]
    assert real[["region", "time_to"]].values.tolist() == [["west", 2]]
    assert real["true_change"].iloc[0] == pytest.approx(15.0)
    share = t.truth.query("variable == 'region' and category == 'west' and month == 1")[
        "population"].iloc[0] / 200_000
    assert t.true_change().loc[2] == pytest.approx(15.0 * share)  # all customers: diluted
    # the region truth is the population-weighted mean of the channel truths, per month
    reg = t.truth[t.truth["variable"] == "region"]
    mix = (reg["nps"] * reg["population"]).groupby(reg["month"]).sum() / 200_000
    assert mix.to_numpy() == pytest.approx(t.true_nps("all")["nps"].to_numpy())
    assert set(t.data.columns) == {"respondent_id", "month", "store_id", "region", "channel",
                                   "ltr"}
    assert t.data["ltr"].between(0, 10).all() and t.data["store_id"].nunique() == 40
    assert "synthetic" in t.summary().lower() or "Synthetic" in t.summary()


def test_no_effect_no_change_and_seeds_reproduce() -> None:
    t = simulate_tracker(n_months=4, answers_per_month=300, effect=0.0)
    assert (t.true_changes("region")["true_change"] == 0).all()
    assert (t.true_changes("channel")["true_change"] == 0).all()
    pd.testing.assert_frame_equal(t.data, simulate_tracker(n_months=4, answers_per_month=300,
                                                           effect=0.0).data)
    assert not t.data.equals(simulate_tracker(n_months=4, answers_per_month=300, seed=1).data)
    down = simulate_tracker(n_months=4, answers_per_month=300, effect=-10.0)
    assert down.true_changes("region").query("true_change != 0")["true_change"].tolist() == [
        pytest.approx(-10.0)]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"change_region": "middle"}, "change_region"),
    ({"change_month": 1}, "change_month"),
    ({"n_months": 3, "change_month": 4}, "change_month"),
    ({"effect": 60.0}, "more than the detractors"),
    ({"answers_per_month": 0}, "answers_per_month"),
    ({"web_factor": 0.0}, "web_factor"),
])
def test_bad_arguments_are_named(kwargs: dict, match: str) -> None:
    with pytest.raises(DataError, match=match):
        simulate_tracker(**kwargs)
