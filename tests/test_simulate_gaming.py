"""cxresearch.simulate.gaming: the metrics-culture loop, with documented parameters.

Each gaming behaviour is switched on alone and checked against what it should do, and the
answer key (true satisfaction, honest answers, behaviour) is checked to stay unchanged under
the bonus and to improve by the stated amount under the learning culture.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.core.validation import DataError
from cxresearch.simulate import gaming
from cxresearch.simulate.gaming import CULTURES, GamingParams, simulate_gaming

SMALL = GamingParams(n_firms=60, customers_per_firm=150)
NO_GAMING = {"cherry_pick": 0.0, "suppress_failures": 0.0, "coached_share": 0.0}


def _did(c: pd.DataFrame, column: str, culture: str = "bonus") -> float:
    m = c.groupby(["culture", "post"])[column].mean()
    return float((m[(culture, 1)] - m[(culture, 0)]) - (m[("control", 1)] - m[("control", 0)]))


def test_every_parameter_is_documented_with_its_source() -> None:
    doc = (gaming.__doc__ or "") + (GamingParams.__doc__ or "")
    source = Path(gaming.__file__).read_text(encoding="utf-8")
    for f in dataclasses.fields(GamingParams):
        assert f.name in doc or f"{f.name}: " in source, f.name
        line = next(line for line in source.splitlines()
                    if line.strip().startswith(f"{f.name}:"))
        if f.name not in ("n_firms", "n_periods", "start_period", "customers_per_firm"):
            assert "#" in line, f"{f.name}: no comment giving its source or 'assumption'"
    for ref in ("Campbell", "Strathern", "Reichheld & Markey", "Edmondson"):
        assert ref in doc


def test_reproducible_and_shaped() -> None:
    a = simulate_gaming(SMALL, seed=3).customers
    b = simulate_gaming(SMALL, seed=3).customers
    pd.testing.assert_frame_equal(a, b)
    assert not simulate_gaming(SMALL, seed=4).customers.equals(a)
    assert len(a) == 60 * 8 * 150
    assert a.groupby("firm_id")["culture"].nunique().max() == 1
    assert (a["culture"].value_counts() == 60 * 8 * 150 // 3).all()
    assert set(a["culture"]) == set(CULTURES)
    resp = a["responded"] == 1
    assert a.loc[resp, "answer"].notna().all() and a.loc[~resp, "answer"].isna().all()
    assert (a["responded"] <= a["invited"]).all() and (a["coached"] <= a["invited"]).all()
    assert a["answer"].dropna().between(0, 10).all()


def test_the_bonus_changes_the_metric_not_the_customers() -> None:
    c = simulate_gaming(seed=1).customers
    honest = c.assign(honest_nps=np.select([c["honest_answer"] >= 9, c["honest_answer"] <= 6],
                                           [100.0, -100.0], 0.0))
    assert abs(_did(c, "satisfaction")) < 0.05  # latent unchanged (sampling noise only)
    assert abs(_did(honest, "honest_nps")) < 4
    assert abs(_did(c, "churned")) < 0.015
    reported = c[c["responded"] == 1].assign(
        nps=lambda d: np.select([d["answer"] >= 9, d["answer"] <= 6], [100.0, -100.0], 0.0))
    assert _did(reported, "nps") > 25


def test_coaching_alone_empties_seven_to_nine() -> None:
    c = simulate_gaming(SMALL, seed=2, cherry_pick=0.0, suppress_failures=0.0,
                        coached_share=1.0, coached_to_ten=1.0).customers
    gamed = c[(c["culture"] == "bonus") & (c["post"] == 1) & (c["responded"] == 1)]
    assert not gamed["answer"].between(7, 9).any()
    assert (gamed.loc[gamed["honest_answer"].between(7, 10), "answer"] == 10).all()
    assert (gamed.loc[gamed["honest_answer"] <= 6, "answer"] == gamed.loc[
        gamed["honest_answer"] <= 6, "honest_answer"]).all()
    # and nothing else changes: invitations stay random
    assert abs(_did(c, "invited")) < 0.02


def test_cherry_picking_alone_invites_the_happy() -> None:
    c = simulate_gaming(SMALL, seed=3, suppress_failures=0.0, coached_share=0.0,
                        cherry_pick=1.5).customers
    bonus_post = c[(c["culture"] == "bonus") & (c["post"] == 1)]
    control = c[c["culture"] == "control"]
    gap_bonus = bonus_post.groupby("invited")["satisfaction"].mean().diff().iloc[-1]
    gap_control = control.groupby("invited")["satisfaction"].mean().diff().iloc[-1]
    assert gap_bonus > 0.5 and abs(gap_control) < 0.05
    assert (bonus_post["coached"] == 0).all()


def test_suppression_alone_hides_failures() -> None:
    c = simulate_gaming(SMALL, seed=4, cherry_pick=0.0, coached_share=0.0,
                        suppress_failures=1.0).customers
    bonus_post = c[(c["culture"] == "bonus") & (c["post"] == 1)]
    assert bonus_post.loc[bonus_post["failure"] == 1, "invited"].sum() == 0
    pre = c[(c["culture"] == "bonus") & (c["post"] == 0)]
    assert pre.loc[pre["failure"] == 1, "invited"].mean() == pytest.approx(0.5, abs=0.05)


def test_no_gaming_means_no_change() -> None:
    c = simulate_gaming(seed=5, **NO_GAMING).customers
    for col in ("invited", "responded", "churned"):
        assert abs(_did(c, col)) < 0.015, col
    assert (c["coached"] == 0).all()


def test_learning_raises_true_satisfaction_as_stated() -> None:
    g = simulate_gaming(seed=6)
    c = g.customers
    assert g.truth["learning"] == pytest.approx(0.06 * np.mean([1, 2, 3, 4]))
    assert _did(c, "satisfaction", "learning") == pytest.approx(g.truth["learning"], abs=0.04)
    assert _did(c, "churned", "learning") < 0  # behaviour improves
    unhappy = c[(c["invited"] == 1) & (c["satisfaction"] < 0)]
    rates = unhappy.groupby(["culture", "post"])["responded"].mean()
    assert rates[("learning", 1)] - rates[("learning", 0)] > 0.05  # detractors answer more
    assert (c.loc[c["culture"] == "learning", "coached"] == 0).all()


def test_overrides_and_validation() -> None:
    a = simulate_gaming(SMALL, seed=7, coached_share=0.0).customers
    b = simulate_gaming(dataclasses.replace(SMALL, coached_share=0.0), seed=7).customers
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(DataError, match="start_period"):
        GamingParams(start_period=1)
    with pytest.raises(DataError, match="coached_share"):
        GamingParams(coached_share=1.5)
    g = simulate_gaming(SMALL, seed=0)
    assert "synthetic" in g.summary() and len(g.to_frame()) == len(g.customers)
