"""Notebook 07's exercises against independent computations: the customers table read with
pandas alone, ICC(1) from a hand one-way ANOVA, and the interval-shrink formula against a
simulation of clustered answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch import exercises
from cxresearch.core import paths
from cxresearch.exercises.the_data import interval_shrink


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return pd.read_parquet(paths.PROCESSED_DIR / "customers.parquet")


def test_answers_per_firm_year_from_the_raw_table(customers: pd.DataFrame) -> None:
    cells = customers.groupby(["firm_id", "year"]).size()
    assert exercises.solution("07.1") == pytest.approx(cells.mean(), abs=0.05)
    per_firm = len(customers) / customers["firm_id"].nunique()
    fb = exercises.check("07.1", round(per_firm, 1))
    assert not fb.correct and "per firm over all the years" in fb.message


def test_share_missing_of_ces_from_the_raw_table(customers: pd.DataFrame) -> None:
    share = float(customers["ces"].isna().mean())
    assert exercises.solution("07.2") == pytest.approx(share, abs=0.001)
    assert exercises.check("07.2", round(share, 2)).correct
    assert "percentage" in exercises.check("07.2", round(100 * share, 1)).message
    assert "did answer" in exercises.check("07.2", round(1 - share, 3)).message


def _icc1(frame: pd.DataFrame, col: str) -> tuple[float, float]:
    """ICC(1) of ``col`` by firm x year from the one-way ANOVA mean squares (Bliese 2000),
    with k0 the group size adjusted for unequal groups; and the mean group size."""
    d = frame[["firm_id", "year", col]].dropna()
    g = d.groupby(["firm_id", "year"])[col]
    n_j, mean_j = g.size(), g.mean()
    n, j = len(d), len(n_j)
    grand = d[col].mean()
    msb = float((n_j * (mean_j - grand) ** 2).sum() / (j - 1))
    msw = float(((d[col] - g.transform("mean")) ** 2).sum() / (n - j))
    k0 = (n - (n_j ** 2).sum() / n) / (j - 1)
    return (msb - msw) / (msb + (k0 - 1) * msw), float(n_j.mean())


def test_the_prediction_against_a_hand_anova(customers: pd.DataFrame) -> None:
    icc, m = _icc1(customers, "nps")
    f = np.sqrt((icc + (1 - icc) / m) / (icc + (1 - icc) / (10 * m)))
    assert 1 < f < 2  # far from sqrt(10): the between-firm variance stays
    assert exercises.solution("07.3") == "less than 2 times narrower"
    assert f"{f:.2f} times narrower" in exercises.check("07.3", exercises.solution("07.3")
                                                        ).message
    assert "independent" in exercises.check("07.3", "about 3.2 times narrower").message
    assert "square root" in exercises.check("07.3", "about 10 times narrower").message


def test_interval_shrink_against_simulated_clusters() -> None:
    """Cluster means of m and of 10 m answers (ICC 0.06): the ratio of their SDs."""
    rng = np.random.default_rng(0)
    icc, m, k = 0.06, 20, 4000
    between = rng.normal(scale=np.sqrt(icc), size=k)
    sds = []
    for size in (m, 10 * m):
        within = rng.normal(scale=np.sqrt(1 - icc), size=(k, size)).mean(axis=1)
        sds.append((between + within).std())
    assert sds[0] / sds[1] == pytest.approx(interval_shrink(icc, m), rel=0.04)
    assert interval_shrink(0.0, m) == pytest.approx(np.sqrt(10))
    with pytest.raises(ValueError):
        interval_shrink(1.0, m)
