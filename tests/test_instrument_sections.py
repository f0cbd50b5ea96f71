"""A problem confined to one section of ``instrument.yml`` blocks only what uses it (issue 22).

``tests/data/instruments/drivers_typo.yml`` is ``tests/data/own_survey/instrument.yml`` with
``d2`` listed twice in ``drivers.items``. Read with ``strict=False`` (as ``load_study``,
``load_linkage_study`` and ``check`` read it) the drivers are left out and the problem is kept
in ``section_problems``; ``check`` reports it once, marks only notebook 04 as not runnable and
``needs(study, "04:drivers")`` gives it as the reason.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from cxresearch.cli.check import check_folder, driver_source, needs, skipped
from cxresearch.io.instrument import Instrument, InstrumentError
from cxresearch.io.readers import load_study
from cxresearch.linkage.units import load_linkage_study

DATA = Path(__file__).parent / "data"
OWN = DATA / "own_survey"
INSTRUMENTS = DATA / "instruments"
TYPO = INSTRUMENTS / "drivers_typo.yml"
MESSAGE = "drivers_typo.yml: drivers.items: 'd2' listed more than once"
REASON = f"the instrument's drivers cannot be used ({MESSAGE})"


def _spec(**changes: object) -> dict:
    spec = yaml.safe_load((OWN / "instrument.yml").read_text())
    spec.update(changes)
    return spec


# -- the instrument -----------------------------------------------------------------------------


def test_strict_reading_still_refuses_the_whole_file() -> None:
    with pytest.raises(InstrumentError) as info:
        Instrument.read(TYPO)
    assert str(info.value) == MESSAGE


def test_a_drivers_typo_leaves_the_rest_usable() -> None:
    inst = Instrument.read(TYPO, strict=False)
    assert inst.drivers is None
    assert inst.section_problems == {"drivers": ["drivers.items: 'd2' listed more than once"]}
    assert inst.problem("drivers") == MESSAGE and inst.problem("scales") is None
    own = Instrument.read(OWN / "instrument.yml")
    assert (inst.unit, inst.time, inst.weight, inst.scales, inst.metrics, inst.segments) == (
        own.unit, own.time, own.weight, own.scales, own.metrics, own.segments)
    assert "left out (problems): drivers" in inst.summary()
    # the file it writes back is the usable part, and reads back without problems
    again = Instrument.from_dict(yaml.safe_load(inst.to_yaml()))
    assert again == inst and again.section_problems == {} and "drivers" not in inst.to_dict()


@pytest.mark.parametrize(
    ("changes", "section", "problem", "kept"),
    [
        ({"drivers": {"outcome": "sat", "items": ["d1", "d2"], "range": ["low", "high"]}},
         "drivers", "drivers.range: must be two numbers [low, high]", "metrics"),
        ({"drivers": {"outcome": "sat"}}, "drivers",
         "drivers.items: is required (a list of column names)", "scales"),
        ({"drivers": {"outcome": "sat", "items": ["d1", "sat"]}}, "drivers",
         "drivers.items: 'sat' is the outcome", "segments"),
        ({"segments": ["region", "region"]}, "segments",
         "segments: 'region' listed more than once", "drivers"),
        ({"segments": ["region", "ltr"]}, "segments",
         "segments[1]: 'ltr' is also the column of metric 'nps'", "drivers"),
        ({"metrics": {"nps": {"column": "ltr", "range": [1, 10]},
                      "csat": {"column": "sat", "range": [1, 5]}}}, "metrics.nps",
         "metrics.nps.range: [1, 10]: NPS is defined on [0, 10]", "metrics.csat"),
        ({"scales": {"culture": {"items": ["c1", "c2"], "range": [1, 7], "reverse": ["c9"]},
                     "engagement": {"items": ["e1", "e2"], "range": [1, 5]}}},
         "scales.culture", "scales.culture.reverse: 'c9' is not one of the scale's items",
         "scales.engagement"),
    ],
)
def test_each_separable_section_is_left_out_alone(changes: dict, section: str, problem: str,
                                                  kept: str) -> None:
    spec = _spec(**changes)
    with pytest.raises(InstrumentError, match=re.escape(problem)):
        Instrument.from_dict(spec, source="instrument.yml")
    inst = Instrument.from_dict(spec, source="instrument.yml", strict=False)
    assert list(inst.section_problems) == [section]
    assert inst.problem(section.split(".")[0]).startswith(f"instrument.yml: {problem}")
    head, _, name = section.partition(".")
    if head == "drivers":
        assert inst.drivers is None
    elif head == "segments":
        assert inst.segments == ()
    else:
        assert name not in getattr(inst, head)
    keep_head, _, keep_name = kept.partition(".")
    if keep_name:
        assert keep_name in getattr(inst, keep_head)
    else:
        assert getattr(inst, keep_head)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": None}, "unit: is required"),
        ({"scale": {}}, "unknown key 'scale'; did you mean 'scales'?"),
        ({"weight": "c1"}, "weight: 'c1' is also an item of scale 'culture'"),
        ({"time": {"customer": "wave"}}, "time: unknown table 'customer'"),
    ],
)
def test_problems_outside_a_section_still_stop_everything(changes: dict, message: str) -> None:
    with pytest.raises(InstrumentError, match=message):
        Instrument.from_dict(_spec(**changes), strict=False)


def test_nothing_usable_left_raises_with_every_problem(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError) as info:
        Instrument.from_dict({"unit": "s", "drivers": {"outcome": "y", "items": ["a"]}},
                             source="i.yml", strict=False)
    assert info.value.problems == [
        "drivers.items: needs at least 2 column(s), got 1",
        "nothing to analyse is left: the scales, metrics and drivers above cannot be used"]
    (tmp_path / "instrument.yml").write_text("unit: s\nmetrics: [nps\n")
    with pytest.raises(InstrumentError, match="not valid YAML"):
        Instrument.read(tmp_path / "instrument.yml", strict=False)


# -- the notebooks and check ------------------------------------------------------------------


def test_check_reports_the_drivers_problem_once_and_stops_only_04() -> None:
    result = check_folder(OWN, instrument=TYPO)
    frame = result.to_frame().set_index("notebook")
    runs = frame["can_run"]
    assert runs.loc[["01_measuring_cx", "02_culture_and_engagement_scales",
                     "05_linkage_ex_cx_outcomes"]].all()
    assert not runs.loc["04_key_drivers"]
    assert frame.loc["04_key_drivers", "missing"] == REASON
    assert result.problems == [REASON] and not result.ok()
    text = result.summary()
    assert text.count("'d2' listed more than once") == 1
    assert f"problem: {REASON}" in text
    assert ("04_key_drivers NO missing: the instrument's drivers cannot be used (see the "
            "problem above)") in " ".join(text.split())
    assert "drivers" not in frame.loc["01_measuring_cx", "missing"]


def test_the_notebooks_path_reads_a_folder_whose_drivers_have_a_typo(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    shutil.copytree(OWN, folder)
    shutil.copyfile(TYPO, folder / "instrument.yml")
    # notebook 01 (and 02, 05) read the folder as before
    study = load_study(folder, tables=["customers"], instrument=None)
    assert needs(study, "01:metrics") == [] and study.instrument.drivers is None
    assert needs(study, "04:drivers") == [REASON.replace("drivers_typo.yml", "instrument.yml")]
    assert load_study(folder, tables=["employees"]).instrument.scales
    assert needs(load_linkage_study(folder), "05:linkage") == []
    # notebook 04 stops with the reason rather than analysing other data
    with pytest.raises(InstrumentError, match=re.escape(
            "Key drivers: the instrument's drivers cannot be used (instrument.yml: "
            "drivers.items: 'd2'")):
        driver_source(folder)
    assert str(skipped("Key drivers", needs(study, "04:drivers"))).startswith(
        "Key drivers: skipped, because the instrument's drivers cannot be used")


def test_a_broken_metric_stops_01_and_05_a_broken_segment_only_its_sections(
        tmp_path: Path) -> None:
    metric = tmp_path / "metric.yml"
    metric.write_text(yaml.safe_dump(_spec(metrics={
        "nps": {"column": "ltr", "range": [0, 10]}, "csat": {"column": "sat", "range": [5, 1]}})))
    study = load_study(OWN, tables=["customers", "employees"], instrument=metric)
    reason = ["the instrument's metrics cannot be used (metric.yml: metrics.csat.range: [5, 1] "
              "is inverted; give [low, high] with low < high, e.g. [1, 5])"]
    assert needs(study, "01:metrics") == reason and needs(study, "05:linkage") == reason
    assert needs(study, "02:scales") == [] and needs(study, "04:drivers") == []
    segments = tmp_path / "segments.yml"
    segments.write_text(yaml.safe_dump(_spec(segments=["region", "region"])))
    study = load_study(OWN, tables=["customers", "employees"], instrument=segments)
    assert needs(study, "01:metrics") == [] and needs(study, "02:scales") == []
    assert needs(study, "01:segments") == [
        "the instrument's segments cannot be used (segments.yml: segments: 'region' listed "
        "more than once)"]
    assert needs(study, "02:invariance") == needs(study, "01:segments")
