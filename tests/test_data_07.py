"""Notebook 07 ("The data") on a user's folder: the helpers of cxresearch.studies.data_07, and
one run of the notebook on tests/data/own_survey (issue 22, item 6)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from nb_outputs import notebook_text

from cxresearch.core.validation import DataError
from cxresearch.io.readers import load_study
from cxresearch.studies import data_07 as d07

matplotlib.use("Agg")

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
QUALTRICS = DATA / "own_qualtrics"


@pytest.fixture(scope="module")
def own():
    return load_study(OWN, tables=["customers", "employees", "units", "outcomes"], strict=False)


@pytest.fixture(scope="module")
def qualtrics():
    return load_study(QUALTRICS, tables=["customers", "employees", "units", "outcomes"],
                      strict=False, on_invalid="set_aside")


def _check_frame(**problems: str) -> pd.DataFrame:
    tables = ["customers", "employees", "units", "outcomes"]
    return pd.DataFrame({"table": tables, "file": [f"{t}.csv" for t in tables],
                         "problem": [problems.get(t, "") for t in tables]})


# ------------------------------------------------------------------------ reading the folder


def test_readable_tables_follow_check_and_on_invalid() -> None:
    problem = "customers.csv (customers): column 'Q1': 1 value(s) outside 0..10 at rows [425]"
    frame = _check_frame(customers=problem)
    strict = d07.readable_tables(frame, QUALTRICS)
    assert strict.tables == ("employees", "units", "outcomes")
    assert strict.not_read == {"customers": problem}
    assert "Rerun with -p on_invalid=set_aside" in strict.sentences()[0]
    aside = d07.readable_tables(frame, QUALTRICS, on_invalid="set_aside")
    assert aside.tables == ("customers", "employees", "units", "outcomes")
    assert aside.status["read"].tolist() == ["yes"] * 4
    assert "3 rows set aside" in aside.sentences()[0]
    # a problem that is not an answer's value gets no set-aside hint, and stays unread
    broken = d07.readable_tables(_check_frame(units="units.csv: missing column 'store_id'"),
                                 QUALTRICS)
    assert "units" not in broken.tables and "on_invalid" not in broken.sentences()[0]
    # the hint is not repeated when check's problem already gives it
    hinted = d07.readable_tables(_check_frame(customers=problem + "; to leave such rows out "
                                              "and list them, run with -p on_invalid=set_aside"),
                                 QUALTRICS)
    assert hinted.sentences()[0].count("on_invalid=set_aside") == 1
    with pytest.raises(DataError, match="on_invalid"):
        d07.readable_tables(frame, QUALTRICS, on_invalid="drop")


def test_check_text_names_the_folder_not_its_path() -> None:
    text = d07.check_text(f"Checking {OWN} (nothing is run)\n  customers.csv", OWN)
    assert str(OWN.parent) not in text and text.startswith("Checking own_survey ")


# ------------------------------------------------------------------------ columns, missingness


def test_column_guide_roles_wording_and_no_personal_data(qualtrics) -> None:
    guide = d07.column_guide(qualtrics).set_index(["table", "column"])
    assert guide.loc[("customers", "Q1"), "role"] == "metric NPS"
    assert guide.loc[("customers", "Q1"), "question"].startswith("How likely are you to recommend")
    assert guide.loc[("customers", "Q4_3"), "role"] == "key driver"
    assert guide.loc[("employees", "c3"), "role"] == "item of scale culture (reverse-keyed)"
    assert guide.loc[("employees", "c3"), "range"] == "1–7"
    columns = set(guide.index.get_level_values("column"))
    assert not columns & {"RecipientEmail", "RecipientLastName", "IPAddress", "full_name"}
    ces = qualtrics.customers["Q3"]
    assert guide.loc[("customers", "Q3"), "answered"] == round(float(ces.notna().mean()), 3)


def test_item_missingness_against_pandas(own) -> None:
    m = d07.item_missingness(own).set_index("column")
    inst = own.instrument
    expected = [*[it for s in inst.scales.values() for it in s.items],
                *[x.column for x in inst.metrics.values()], *inst.drivers.items]
    assert list(m.index) == expected
    for col in ("c3", "e7", "effort", "d1"):
        frame = own.employees if col in own.employees.columns else own.customers
        assert m.loc[col, "share_missing"] == pytest.approx(frame[col].isna().mean())
        assert m.loc[col, "answers"] == frame[col].notna().sum()
    assert m.loc["effort", "label"] == "CES (effort)" and m.loc["c3", "label"] == "c3"


# ------------------------------------------------------------------------ reliability


def _icc(values: pd.Series, groups: pd.Series) -> tuple[float, float]:
    """One-way ANOVA ICC(1) and ICC(2) (Bliese 2000), written out independently."""
    d = pd.DataFrame({"y": values.astype(float), "g": groups}).dropna()
    n_total, k = len(d), d["g"].nunique()
    sizes = d.groupby("g")["y"].size()
    means = d.groupby("g")["y"].mean()
    grand = d["y"].mean()
    msb = float((sizes * (means - grand) ** 2).sum() / (k - 1))
    msw = float(((d["y"] - d["g"].map(means)) ** 2).sum() / (n_total - k))
    k0 = (n_total - (sizes**2).sum() / n_total) / (k - 1)
    return (msb - msw) / (msb + (k0 - 1) * msw), (msb - msw) / msb


def test_cell_reliability_matches_a_hand_anova(own) -> None:
    rel = d07.cell_reliability(own)
    table = rel.table.set_index("item_set")
    assert list(table.index) == ["culture", "engagement", "nps", "csat", "ces"]
    assert set(table["cells"]) == {"store × wave"} and rel.reasons == ()
    cell = own.customers["store_id"] + "|" + own.customers["wave"].astype(str)
    icc1, icc2 = _icc(own.customers["ltr"], cell)
    assert table.loc["nps", "icc1"] == pytest.approx(icc1, abs=1e-10)
    assert table.loc["nps", "icc2"] == pytest.approx(icc2, abs=1e-10)
    # culture: the reverse-keyed c3 rescored 1 + 7 - x before the respondent's mean
    emp = own.employees
    items = emp[["c1", "c2", "c3", "c4"]].astype(float)
    items["c3"] = 8 - items["c3"]
    score = items.mean(axis=1).where(items.notna().mean(axis=1) >= 0.5)
    icc1, icc2 = _icc(score, emp["store_id"] + "|" + emp["wave"].astype(str))
    assert table.loc["culture", "icc1"] == pytest.approx(icc1, abs=1e-10)
    assert table.loc["culture", "icc2"] == pytest.approx(icc2, abs=1e-10)
    assert table["reliable"].tolist() == (table["icc2"] >= d07.ICC2_RELIABLE).tolist()


def test_reliability_sentences_say_which_means_are_unreliable(own) -> None:
    table = d07.cell_reliability(own).table
    text = " ".join(d07.reliability_sentences(table, floor=0.2))
    unreliable = table.loc[table["icc2"] < 0.7, "item_set"].tolist()
    assert "unreliable" in text and all(name in text for name in unreliable)
    assert "none (estimate" in text  # a negative ICC(1) is not called a share of the variance
    assert "too noisy even to correct" in text


def test_unit_words() -> None:
    assert d07.unit_words("branch_code", "month") == "branch × month"


# ------------------------------------------------------------------------ the figure


def test_cell_means_figure_against_pandas(own) -> None:
    fig = d07.data_figure(own)
    assert fig.kind == "cell_means" and fig.name == "07_unit_period_means"
    cell = fig.data.set_index(["store_id", "wave"]).loc[("S01", 1)]
    cus = own.customers.query("store_id == 'S01' and wave == 1")
    assert cell["nps"] == pytest.approx(np.average(cus["ltr"], weights=cus["w"]), abs=1e-4)
    emp = own.employees.query("store_id == 'S01' and wave == 1")
    items = emp[["c1", "c2", "c3", "c4"]].astype(float)
    items["c3"] = 8 - items["c3"]
    assert cell["culture"] == pytest.approx(items.mean(axis=1).mean(), abs=1e-4)
    r = fig.data[["nps", "culture"]].corr().iloc[0, 1]
    assert fig.r == pytest.approx(r)
    assert "your data" in fig.caption and f"r = {r:.2f}" in fig.alt_text
    assert len(fig.alt_text) <= 300


def test_the_figure_uses_the_exports_wording(qualtrics) -> None:
    fig = d07.data_figure(qualtrics)
    assert "How likely are you to recommend Northwind Outfitters" in fig.x_label.replace("\n", " ")
    assert "Q1" not in fig.alt_text


def test_without_customers_the_figure_shows_the_scale_scores() -> None:
    study = load_study(QUALTRICS, tables=["employees", "units", "outcomes"], strict=False)
    fig = d07.data_figure(study)
    assert fig.kind == "scores" and int(fig.data["employees"].sum()) == 713
    assert "no customers table" in fig.instead
    import matplotlib.pyplot as plt

    f, ax = plt.subplots()
    d07.draw_data_figure(fig, ax)
    assert ax.get_xlabel().startswith("Culture score (1–7")
    plt.close(f)
    with pytest.raises(DataError, match="nothing to draw"):
        d07.draw_data_figure(d07.DataFigure("", reason="no answers"), ax)


def test_nothing_to_plot_says_why() -> None:
    study = load_study(OWN, tables=["outcomes"], strict=False)
    fig = d07.data_figure(study)
    assert fig.kind == "" and "no table of answers" in fig.reason


# ------------------------------------------------------------------------ closing sentences


def test_findings_count_what_reading_left_out(qualtrics) -> None:
    findings = d07.data_findings(
        study=qualtrics, reliability=d07.cell_reliability(qualtrics),
        missing=d07.item_missingness(qualtrics), figure=d07.data_figure(qualtrics))
    text = " ".join(f.text for f in findings)
    assert "42 unfinished or preview responses excluded" in text
    assert "3 rows set aside" in text and "RecipientEmail" in text
    assert "CES (Q3)" in text and "customer effort score" not in text  # bundled-only note
    assert not any(f.claims_effect for f in findings)
    assert "firm" not in text.lower()


# ------------------------------------------------------------------------ the notebook


def test_notebook_07_runs_on_own_survey(tmp_path: Path, monkeypatch) -> None:
    from cxresearch.cli.check import skipped
    from cxresearch.cli.runner import run_notebooks

    # the test session points figures to a scratch folder; this run's go under its output
    monkeypatch.setenv("CXRESEARCH_FIGURES_DIR", str(tmp_path / "figures"))

    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in OWN.iterdir()}
    table = run_notebooks(["07"], {"data_dir": str(OWN)}, tmp_path, progress=False,
                          only_runnable=False)
    assert table["status"].tolist() == ["ok"], table["error"].tolist()
    assert int(table["skipped"].iloc[0]) == 3
    out = notebook_text(tmp_path / "07_the_data.ipynb", errors=True)
    for section, reason in [
        ("The known coefficients", "these data were not simulated, so no coefficients that "
                                   "generated them are known"),
        ("Who owns CX and the say/do gap", "the units' table has no column(s) ['cx_owner', "
                                           "'stated_cx_priority', 'cx_budget_share']"),
        ("Survey means against the answer key", "these data were not simulated, so the latent "
                                                "values behind the answers are unknown"),
    ]:
        assert str(skipped(section, [reason])) in out
    for word in ("firm_id", "CX leader", "truth", "SYNTHETIC study"):
        assert word not in out, word
    for personal in ("@example.com", "202-555-"):
        assert personal not in out, personal
    assert "Traceback" not in out
    assert "What the data look like (your data)" in out
    assert "Store × wave means of culture against the mean NPS answer (90 cells)" in out
    manifest = json.loads((tmp_path / "figures" / "manifest.json").read_text())
    assert manifest["07_unit_period_means"]["evidence"] == ["user"]
    assert "firm" not in manifest["07_unit_period_means"]["caption"].lower()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in OWN.iterdir()}
    assert after == before
