"""Notebook 08's helpers: the adjusted gaming family, truth checks, thresholds, checklist."""

import pandas as pd
import pytest

from cxresearch.measurement.validity import diagnostic_changes
from cxresearch.simulate.gaming import CULTURE_LABELS, GamingParams, simulate_gaming
from cxresearch.simulate.referrals import KPL_2007
from cxresearch.studies import metrics_08 as m


@pytest.fixture(scope="module")
def family():
    panel = simulate_gaming(GamingParams(n_firms=60, customers_per_firm=100), seed=4)
    changes = diagnostic_changes(panel.customers, by="culture", reference="control",
                                 cluster="firm_id", post="post", n_boot=1000, seed=1)
    return panel, *m.gaming_family(changes, CULTURE_LABELS)


def test_gaming_family_is_one_holm_family(family) -> None:
    _, fam, found = family
    assert len(fam) == len(found) == 10
    assert (fam["n_family"] == 10).all()
    assert (fam["p_holm"] >= fam["p_value"]).all()
    by = fam.set_index(["culture", "diagnostic"])
    assert by.loc[("bonus", "nps"), "p_holm"] < 0.05  # the gamed score jumps
    # no sentence claims more than its adjusted test allows
    for (_, r), f in zip(fam.iterrows(), found):
        assert not f.claims_effect or r["p_holm"] < 0.05


def test_truth_checks_say_match_or_miss(family) -> None:
    panel, fam, _ = family
    checks = m.gaming_truth_checks(fam, panel.truth, CULTURE_LABELS)
    assert len(checks) == 2 and all(c.kind == "truth" and not c.claims_effect for c in checks)
    assert all(("matches the truth" in c.text) != ("MISSES" in c.text) for c in checks)
    fake = pd.DataFrame({"culture": ["bonus"], "diagnostic": ["behaviour_all"],
                         "estimate": [-2.0], "ci_low": [-3.0], "ci_high": [-1.0],
                         "p_holm": [0.001]})
    assert "MISSES" in m.gaming_truth_checks(fake, {"bonus": 0.0}, CULTURE_LABELS)[0].text


def test_said_did_arithmetic_uses_the_published_shares() -> None:
    t = m.said_did_arithmetic(KPL_2007).set_index(["industry", "reading"])
    assert t.loc[("financial services", "of_all"), "did"] == pytest.approx(0.33)
    assert t.loc[("telecom", "of_all"), "ratio"] == pytest.approx(0.81 / 0.30)
    assert (t["ratio"] > 1).all()


def test_checklist_wording_follows_the_evidence() -> None:
    text = m.governance_checklist((1.16, 1.74), mean_beats_nps=True)
    assert "1.2 to 1.7 times" in text and "can* signal coaching" in text
    assert "is a gamed score" not in text and "more predictive" not in text
    user = m.governance_checklist((1.1, 1.3), mean_beats_nps=False, synthetic=False,
                                  bonus_score_only=False)
    assert "on your data it did not beat" in user
