"""Bring your own survey (issue 12): notebooks 01-05 on a folder with its own instrument.

``tests/data/own_survey/`` is a synthetic one-company survey whose items are not the bundled
study's (other names, counts and ranges; stores as the unit; see its README.md), with made-up
personal data in its files; ``tests/data/customers_only/`` holds only ``customers.csv``. The
notebooks run through the runner as a user would (``-p data_dir=``), with small simulation
sizes. Checked: the runs succeed, the inputs' sha256 are unchanged, no personal column name or
value reaches an executed notebook or a figure file, and the outputs use the user's items
(notebook 05: stores as the unit of the linkage study, its outcomes, the firm-year sections
skipped with a sentence).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from nb_outputs import figures_in, lesson_cells

from cxresearch.cli.check import needs
from cxresearch.cli.runner import run_notebooks
from cxresearch.io.instrument import Instrument
from cxresearch.io.readers import load_study

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
#: small sizes so that the four notebooks run in well under a minute
FAST = {"n_sim": 200, "parallel_iterations": 10, "n_bootstrap": 20, "n_respondents": 300,
        "n_boot": 100}
#: the personal data in the fixture: column names, and pieces of their values
PII_NAMES = ("email", "phone", "full_name")
PII_VALUES = ("@example.com", "202-555-", "Okafor", "Lindqvist", "Tanaka")


def _sha256(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}


def _texts(out: Path) -> dict[str, str]:
    """Every text an output holds: notebook outputs (sources excluded), figure data and SVGs."""
    texts = {}
    for nb_path in out.glob("*.ipynb"):
        nb = json.loads(nb_path.read_text())
        parts = []
        for cell in lesson_cells(nb):
            for o in cell.get("outputs", []):
                parts.append("".join(o.get("text", "")))
                for key, value in o.get("data", {}).items():
                    if key.startswith("text/"):
                        parts.append("".join(value))
        texts[nb_path.name] = "\n".join(parts)
    for path in (out / "figures").glob("*"):
        if path.suffix in (".csv", ".svg", ".json"):
            texts[f"figures/{path.name}"] = path.read_text(errors="replace")
    return texts

@pytest.fixture(scope="module")
def own_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    out = tmp_path_factory.mktemp("own_run")
    before = _sha256(OWN)
    with figures_in(out):
        # 01 on this folder runs in test_report_command.py (its report), not again here
        result = run_notebooks(["02", "03", "04", "05"],
                               parameters={"data_dir": str(OWN),
                                           **{k: v for k, v in FAST.items() if k != "n_sim"}},
                               output_dir=out,
                               progress=False)
    # 03 needs an ECSI survey, which the folder has not: check says so, and run follows it
    assert result["status"].tolist() == ["ok", "not run", "ok", "ok"]
    assert "ecsi_survey" in result["error"].iloc[1]
    assert _sha256(OWN) == before, "the input files changed"
    return out, _texts(out)


def test_inputs_unchanged_and_no_personal_data_in_any_output(
        own_run: tuple[Path, dict[str, str]]) -> None:
    _, texts = own_run
    assert any(name.startswith("figures/") for name in texts)  # figures were written there
    for name, text in texts.items():
        for word in PII_VALUES:  # the personal data themselves: nowhere
            assert word not in text, (name, word)
        # the columns' names: nowhere either, except as an ordinary value in a table row of a
        # synthetic demo that does not read data_dir (notebook 01's at-scale table has a
        # 'phone' channel: "1   phone   1.88 ...")
        rows_left = re.sub(r"^\s*\d+\s+phone\s+-?\d.*$|<td>phone</td>", "", text,
                           flags=re.M)
        # ... and in the reading note, which says which personal-data columns were dropped
        rows_left = re.sub(r"personal data dropped before anything else saw them:\s*[^.]*\.",
                           "", rows_left)
        for word in PII_NAMES:
            assert word not in rows_left, (name, word)


def test_the_outputs_use_the_instruments_items(own_run: tuple[Path, dict[str, str]]) -> None:
    _, texts = own_run
    nb02 = texts["02_culture_and_engagement_scales.ipynb"]
    assert "e12" in nb02 and "c3" in nb02 and "htmt_vs_engagement" in nb02
    assert "synthetic" not in texts["figures/02_efa_loadings.csv"].lower()
    assert "03_satisfaction_index_model.ipynb" not in texts  # not run: no ECSI survey
    nb04 = texts["04_key_drivers.ipynb"]
    assert "8 drivers" in nb04 and "d8" in nb04 and "user data" in nb04


def test_notebook_05_links_the_stores_ex_cx_and_outcomes(
        own_run: tuple[Path, dict[str, str]]) -> None:
    _, texts = own_run
    nb05 = texts["05_linkage_ex_cx_outcomes.ipynb"]
    assert "30 units (store_id) × 3 periods (wave)" in nb05
    assert "outcomes: sales_growth, staff_turnover" in nb05
    for item_set in ("culture", "engagement", "nps", "csat", "ces"):  # aggregation checks
        assert f"ICC(1), {item_set}" in nb05
    assert "the reliability of a store_id × wave mean" in nb05
    assert "clustered by store_id" in nb05 and "n_clusters" in nb05
    assert "sales_growth per SD of CX, given EX" in nb05
    assert "staff_turnover per SD of EX, given CX" in nb05
    assert "mediation between units" in nb05
    assert ("Which comes first (the cross-lagged panel of EX, CX and revenue growth): skipped, "
            "because the data have no firm_years table") in nb05
    assert "The latent-variable model (SEM) of EX, CX and revenue growth: skipped" in nb05
    assert "true value" not in nb05 and "simulation" not in nb05  # no truth on user data
    assert "firm_id" not in nb05


def _markdown(out: Path, name: str) -> str:
    """The static Markdown cells of an executed notebook."""
    nb = json.loads((out / name).read_text())
    return "\n".join("".join(c["source"]) for c in lesson_cells(nb)
                     if c["cell_type"] == "markdown")


def _data_kinds(out: Path, name: str) -> set[str]:
    """The data kinds the generated results of an executed notebook carry (their metadata)."""
    nb = json.loads((out / name).read_text())
    kinds: set[str] = set()
    for cell in lesson_cells(nb):
        for o in cell.get("outputs", []):
            meta = o.get("metadata", {})
            info = meta.get("text/markdown", meta).get("cxresearch", {})
            kinds |= {k for k in str(info.get("data_kind", "")).split(",") if k}
    return kinds


def test_02_03_05_describe_the_users_data_first(own_run: tuple[Path, dict[str, str]]) -> None:
    """Issue 22: the user's tables first (counts, by unit, period and segment, what is hidden),
    a figure of the user's data labelled as theirs, and nothing written about the bundled
    study."""
    out, texts = own_run
    manifest = json.loads((out / "figures" / "manifest.json").read_text())
    nb02 = texts["02_culture_and_engagement_scales.ipynb"]
    assert "These data: your employees table" in nb02
    assert "`c3` (culture, answered 1–7) is scored as 8 − `c3`" in nb02
    assert "By store_id, culture and engagement: all 30 groups shown" in nb02
    assert "By wave, culture and engagement" in nb02 and "By region" in nb02
    assert "**culture (mean on 1–7)** (your data):" in nb02
    nb05 = texts["05_linkage_ex_cx_outcomes.ipynb"]
    assert "These data: your tables" in nb05
    assert re.search(r"By store_id × wave: EX hidden in \d+ of 90 cells \(fewer than 10 "
                     r"employees each", nb05)
    assert "By wave, sales_growth and staff_turnover" in nb05
    for name in ("02_item_means", "05_unit_means"):
        entry = manifest[name]
        assert entry["evidence"] == ["user"], name
        assert "your data" in entry["caption"] and "synthetic" not in entry["caption"].lower()
        assert len(entry["alt_text"]) <= 300
    # no paragraph about the bundled study, in the outputs or the static text
    bundled = {"02_culture_and_engagement_scales.ipynb": ("culture_4", "6 − culture_4",
                                                          "two-factor"),
               "05_linkage_ex_cx_outcomes.ipynb": ("culture_4", "11 culture and engagement",
                                                   "20 tests", "300 firms", "firm-year mean",
                                                   "revenue growth and cost to serve")}
    for name, phrases in bundled.items():
        text = texts[name] + _markdown(out, name)
        for phrase in phrases:
            assert phrase not in text, (name, phrase)
        assert _data_kinds(out, name) == {"user"}, name


def test_03_without_an_ecsi_survey_shows_nothing_synthetic(tmp_path: Path) -> None:
    """Run anyway (check says it cannot), 03 says in each section why it is skipped, and shows
    nothing from the synthetic survey in its place."""
    out = tmp_path / "out"
    with figures_in(out):
        result = run_notebooks(["03"], parameters={"data_dir": str(OWN)}, output_dir=out,
                               progress=False, only_runnable=False)
    assert result["status"].tolist() == ["ok"] and result["skipped"].tolist() == [6]
    nb03 = _texts(out)["03_satisfaction_index_model.ipynb"]
    assert "The ECSI model fit: skipped, because the folder has no ecsi_survey table" in nb03
    assert "The closing summary: skipped" in nb03
    assert _data_kinds(out, "03_satisfaction_index_model.ipynb") == set()
    assert not list((out / "figures").glob("03_*")) if (out / "figures").exists() else True
    assert "Image → Expectation" not in nb03 and "truth" not in nb03


def test_03_on_a_users_ecsi_survey(tmp_path: Path) -> None:
    """An ecsi_survey table with the instrument's unit, time and a segment: described by
    store, wave and region, its figure labelled with the items' wording, no truth."""
    import numpy as np

    from cxresearch.simulate import simulate_ecsi_survey

    folder = tmp_path / "ecsi"
    folder.mkdir()
    data = simulate_ecsi_survey(n=300, seed=3).data
    rng = np.random.default_rng(1)
    data.insert(0, "store_id", [f"S{i:02d}" for i in rng.integers(1, 13, len(data))])
    data.insert(1, "wave", rng.integers(1, 3, len(data)))
    data.insert(2, "region", np.where(rng.random(len(data)) < 0.97, "North", "South"))
    data.loc[rng.choice(len(data), 12, replace=False), "PERQ3"] = np.nan
    data.to_csv(folder / "ecsi_survey.csv", index=False)
    (folder / "instrument.yml").write_text(
        "unit: store_id\ntime: wave\nmetrics:\n  csat: {column: CUSA1, range: [1, 10]}\n"
        "segments: [region]\n")
    out = tmp_path / "out"
    with figures_in(out):
        result = run_notebooks(["03"], parameters={"data_dir": str(folder), "n_bootstrap": 20},
                               output_dir=out, progress=False)
    assert result["status"].tolist() == ["ok"]
    text = _texts(out)["03_satisfaction_index_model.ipynb"]
    assert "These data: your ECSI survey" in text
    assert "288 respondents answered every item" in text
    assert "By store_id, Image, Expectation" in text and "By wave" in text
    assert re.search(r"By region, .*: 1 of 2 groups shown; 1 hidden because it has fewer "
                     r"than 10 answers", text)
    assert "would recommend it to a friend" in text  # the items' wording
    assert "truth" not in text and "synthetic" not in text
    assert _data_kinds(out, "03_satisfaction_index_model.ipynb") == {"user"}
    manifest = json.loads((out / "figures" / "manifest.json").read_text())
    assert {n: e["evidence"] for n, e in manifest.items()} == {
        "03_item_means": ["user"], "03_ecsi_paths": ["user"]}


def test_load_study_on_the_own_survey_exposes_the_unit_design() -> None:
    s = load_study(OWN)
    assert (s.unit, s.time) == ("store_id", "wave")
    assert s.firms is None and s.firm_years is None
    assert s.units["store_id"].is_unique and len(s.outcomes) == 90
    assert {"email", "phone"}.isdisjoint(s.customers.columns)
    assert "full_name" not in s.employees.columns
    assert [d["column"] for d in s.reports["customers"]["dropped_pii"]] == ["email", "phone"]
    assert s.answers("employees")["region"].notna().all()  # joined from units.csv
    assert str(s.customers["ltr"].dtype) == "Int64" and s.customers["w"].dtype == float


def test_a_broken_instrument_or_unit_stops_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    shutil.copytree(OWN, folder)
    (folder / "instrument.yml").write_text(
        (OWN / "instrument.yml").read_text().replace("range: [0, 10]", "range: [1, 10]"))
    # a broken metric is left out and recorded: the notebooks that need it say why (issue 22)
    s = load_study(folder)
    assert "metrics.nps.range: [1, 10]: NPS is defined on" in needs(s, "01:metrics")[0]
    with pytest.raises(ValueError, match=r"metrics\.nps\.range: \[1, 10\]"):
        Instrument.read(folder / "instrument.yml")
    shutil.copy(OWN / "instrument.yml", folder / "instrument.yml")
    units = (folder / "units.csv").read_text().splitlines()
    (folder / "units.csv").write_text("\n".join(units[:-1]) + "\n")  # drop the last store
    with pytest.raises(ValueError, match=r"customers: column 'store_id': \d+ value\(s\) not in "
                                         r"units"):
        load_study(folder)


def test_check_and_the_run_of_05_agree_on_the_own_survey(
        own_run: tuple[Path, dict[str, str]]) -> None:
    """EX means reliable enough to correct: check reports no skip and 05 shows the linkage."""
    from cxresearch.cli.check import check_folder

    note = check_folder(OWN).to_frame().set_index("notebook").loc[
        "05_linkage_ex_cx_outcomes", "missing"]
    assert "unit-level linkage corrected for noisy means" not in note
    out = own_run[1]["05_linkage_ex_cx_outcomes.ipynb"]
    assert "too noisy" not in out and "ols_estimate" in out  # the linkage table is shown
    assert "EX and CX with the outcomes: skipped" not in out
