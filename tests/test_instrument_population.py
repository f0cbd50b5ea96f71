"""An instrument's ``population:`` (a CSV of the customer base's margins, issue 24): parsed and
validated with the file, key, column and line named; read by ``read_population``; and what
``check`` says notebook 12 does with it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cxresearch.cli.check import check_folder, needs
from cxresearch.io.instrument import Instrument, InstrumentError, read_population
from cxresearch.io.readers import load_study

DATA = Path(__file__).parent / "data"
TRACKER = DATA / "own_tracker"
BASE = {"unit": "store_id", "time": "month", "metrics": {"nps": {"column": "ltr",
                                                                  "range": [0, 10]}}}


def _csv(tmp_path: Path, text: str, name: str = "population.csv") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_counts_and_shares_are_read() -> None:
    margins = read_population(TRACKER / "population.csv")
    assert list(margins) == ["region", "channel"]
    assert sum(margins["channel"].values()) == pytest.approx(1.0)
    assert margins["region"]["south"] == pytest.approx(0.25)


def test_counts_with_spaces_and_text_categories(tmp_path: Path) -> None:
    p = _csv(tmp_path, "variable, category, count\nregion, NA, 30\nregion, 2, 70\n"
                       "channel, web, 40\nchannel, phone, 60\n")
    assert read_population(p) == {"region": {"NA": 30.0, "2": 70.0},
                                  "channel": {"web": 40.0, "phone": 60.0}}


@pytest.mark.parametrize(("text", "message"), [
    ("variable,category\nregion,a\n", "no column 'count' or 'share'"),
    ("variable,category,count,share\nregion,a,1,1\n", "both 'count' and 'share'"),
    ("category,count\na,1\n", "no column(s) ['variable']"),
    ("variable,category,count\n", "a header but no rows"),
    ("variable,category,count\nregion,a,10\nregion,,5\n", "column 'category': missing at line 3"),
    ("variable,category,count\nregion,a,ten\nregion,b,5\n",
     "column 'count': not a number ('ten') at line 2"),
    ("variable,category,count\nregion,a,0\nregion,b,5\n", "must be positive at line 2"),
    ("variable,category,share\nregion,a,1.5\nregion,b,-0.5\n", "shares above 1 at line 2"),
    ("variable,category,count\nregion,a,1\nregion,a,2\n",
     "variable 'region', category 'a' is listed more than once (lines 2, 3)"),
    ("variable,category,share\nregion,a,0.5\nregion,b,0.4\n",
     "the shares of variable 'region' sum to 0.9, not 1 (lines 2, 3)"),
    ("variable,category,count\nregion,a,50\nregion,b,50\nchannel,web,90\n",
     "add up to region 100, channel 90"),
])
def test_bad_files_name_the_column_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InstrumentError) as err:
        read_population(_csv(tmp_path, text))
    assert str(err.value).startswith("population.csv: ")
    assert message in str(err.value)


def test_the_instrument_parses_population_and_resolves_it(tmp_path: Path) -> None:
    inst = Instrument.from_dict({**BASE, "population": "margins/pop.csv"})
    assert inst.population == "margins/pop.csv"
    assert inst.to_dict()["population"] == "margins/pop.csv"
    assert "population margins/pop.csv" in inst.summary()
    (tmp_path / "instrument.yml").write_text(inst.to_yaml())
    read = Instrument.read(tmp_path / "instrument.yml")
    assert read == inst
    assert read.population_path() == tmp_path.resolve() / "margins" / "pop.csv"
    with pytest.raises(InstrumentError, match="population: no such file"):
        read.population_margins()
    assert Instrument.from_dict(BASE).population_margins() is None


@pytest.mark.parametrize(("value", "message"), [
    (3, "population: must be the path of a CSV file of margins"),
    ("margins.xlsx", "population: 'margins.xlsx' must be a .csv file"),
])
def test_a_bad_population_key_leaves_out_only_the_weighting(value: object,
                                                            message: str) -> None:
    with pytest.raises(InstrumentError, match=message):
        Instrument.from_dict({**BASE, "population": value}, source="instrument.yml")
    inst = Instrument.from_dict({**BASE, "population": value}, source="instrument.yml",
                                strict=False)
    assert inst.population is None and inst.metrics["nps"].column == "ltr"
    assert message in inst.problem("population")


def test_check_says_12_runs_and_rakes_on_the_tracker_folder() -> None:
    row = check_folder(TRACKER).to_frame().set_index("notebook").loc["12_tracking_cx_over_time"]
    assert bool(row["can_run"]) and row["missing"] == ""
    assert "NPS = ltr by month (6 periods)" in row["uses"]
    assert "clusters store_id" in row["uses"] and "raked to the margins of population.csv" in (
        row["uses"])


def test_check_names_why_the_weighting_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    shutil.copytree(TRACKER, folder, ignore=shutil.ignore_patterns("*.py"))
    text = (folder / "population.csv").read_text().replace("channel,chat,0.07\n", "")
    (folder / "population.csv").write_text(text.replace("channel,web,0.3525",
                                                        "channel,web,0.4225"))
    study = load_study(folder, tables=["customers"])
    assert needs(study, "12:tracking") == []
    (reason,) = needs(study, "12:raking")
    assert "cannot be raked" in reason and "category 'chat' is in the data" in reason
    row = check_folder(folder).to_frame().set_index("notebook").loc["12_tracking_cx_over_time"]
    assert bool(row["can_run"]) and reason in row["missing"]
    # no population at all: the reason says what to add
    inst = (folder / "instrument.yml").read_text().replace("population: population.csv\n", "")
    (folder / "instrument.yml").write_text(inst)
    (reason,) = needs(load_study(folder, tables=["customers"]), "12:raking")
    assert reason.startswith("the instrument declares no population")


def test_check_says_12_needs_a_period() -> None:
    row = check_folder(DATA / "customers_only").to_frame().set_index("notebook").loc[
        "12_tracking_cx_over_time"]
    assert not row["can_run"] and "no period column 'year'" in row["missing"]
