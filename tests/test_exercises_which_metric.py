"""Notebook 08's exercises against independent computations: scikit-learn's AUC, and DeLong's
and Obuchowski's (clustered) variances written out here from the papers' formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm, rankdata
from sklearn.metrics import roc_auc_score

from cxresearch import exercises
from cxresearch.io.readers import load_study


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return load_study(None, tables=["customers"]).customers


@pytest.fixture(scope="module")
def complete(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers of §1: those who answered the 0-10, CSAT and CES questions."""
    return customers.dropna(subset=["nps", "csat", "ces"])


def _nps(answer: pd.Series) -> np.ndarray:
    a = answer.to_numpy(dtype=float)
    return np.where(a >= 9, 100.0, np.where(a <= 6, -100.0, 0.0))


def _auc_var(y: np.ndarray, score: np.ndarray, cluster: np.ndarray | None = None
             ) -> tuple[float, float]:
    """AUC and its variance: DeLong et al. (1988) from placement values, or Obuchowski (1997)
    with clusters: var = S10/M + S01/N + 2 S11/(M N), S from cluster sums of placements."""
    y = np.asarray(y, dtype=bool)
    s = np.asarray(score, dtype=float)
    m, n = int(y.sum()), int((~y).sum())
    r_all = rankdata(s)
    v10 = (r_all[y] - rankdata(s[y])) / n  # negatives below each positive (ties half)
    v01 = 1 - (r_all[~y] - rankdata(s[~y])) / m  # positives above each negative (ties half)
    auc = float(v10.mean())
    if cluster is None:
        return auc, float(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    c = np.asarray(cluster)
    ids = np.unique(c)
    k = len(ids)
    sum10 = pd.Series(v10).groupby(c[y]).sum().reindex(ids, fill_value=0.0).to_numpy()
    sum01 = pd.Series(v01).groupby(c[~y]).sum().reindex(ids, fill_value=0.0).to_numpy()
    m_i = pd.Series(c[y]).value_counts().reindex(ids, fill_value=0).to_numpy()
    n_i = pd.Series(c[~y]).value_counts().reindex(ids, fill_value=0).to_numpy()
    d10, d01 = sum10 - m_i * auc, sum01 - n_i * auc
    s10 = k / ((k - 1) * m) * (d10 ** 2).sum()
    s01 = k / ((k - 1) * n) * (d01 ** 2).sum()
    s11 = k / (k - 1) * (d10 * d01).sum()
    return auc, float(s10 / m + s01 / n + 2 * s11 / (m * n))


def test_08_1_auc_matches_scikit_learn(complete: pd.DataFrame) -> None:
    auc = roc_auc_score(complete["churned"], -complete["nps"].astype(float))
    assert exercises.solution("08.1") == pytest.approx(auc, abs=5e-4)
    assert exercises.check("08.1", round(auc, 3)).correct
    wrong_way = roc_auc_score(complete["churned"], complete["nps"].astype(float))
    assert "1 - AUC" in exercises.check("08.1", round(wrong_way, 3)).message
    nps = roc_auc_score(complete["churned"], -_nps(complete["nps"]))
    assert "AUC of NPS" in exercises.check("08.1", round(nps, 3)).message


def test_08_2_more_customers_narrow_the_clustered_interval(customers: pd.DataFrame,
                                                          complete: pd.DataFrame) -> None:
    answered = customers[customers["nps"].notna()]
    z = norm.ppf(0.975)
    widths = {}
    for name, d in (("everyone", answered), ("complete", complete)):
        _, var = _auc_var(d["churned"].to_numpy(), -d["nps"].to_numpy(dtype=float),
                          d["firm_id"].to_numpy())
        widths[name] = 2 * z * np.sqrt(var)
    expected = "narrower" if widths["everyone"] < widths["complete"] else "wider"
    assert exercises.solution("08.2") == expected == "narrower"
    assert "firms are the same" in exercises.check("08.2", "the same").message
    assert not exercises.check("08.2", "wider").correct


def test_08_3_effective_sample_size_from_the_two_variances(complete: pd.DataFrame) -> None:
    y, s = complete["churned"].to_numpy(), -_nps(complete["nps"])
    _, plain = _auc_var(y, s)
    _, clustered = _auc_var(y, s, complete["firm_id"].to_numpy())
    n_eff = len(complete) / (clustered / plain)
    assert exercises.solution("08.3") == pytest.approx(n_eff, abs=50)
    assert exercises.check("08.3", n_eff).correct
    assert "independent" in exercises.check("08.3", len(complete)).message
    assert "multiplies" in exercises.check("08.3", len(complete) * clustered / plain).message
    assert "square it" in exercises.check(
        "08.3", len(complete) / np.sqrt(clustered / plain)).message


def test_08_exercises_are_in_the_catalog() -> None:
    cat = exercises.catalog().set_index("id")
    assert {"08.1", "08.2", "08.3"} <= set(cat.index)
    assert cat.loc["08.2", "predict"] and cat.loc["08.2", "kind"] == "choice"
