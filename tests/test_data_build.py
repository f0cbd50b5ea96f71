"""Tests for cxresearch.cli.data_build: byte-identical rebuilds, the manifest and the dictionary.

The checksums are checked against hashlib directly and the descriptor against the Frictionless
Table Schema rules it claims to follow (field types, primary keys present in the fields).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.cli.data_build import CHECKSUMS, build, datapackage, verify
from cxresearch.core import paths
from cxresearch.simulate.study import StudyParams

SMALL = StudyParams(n_firms=15, n_years=3, employees_per_firm_year=5, customers_per_firm_year=8)


def _hashes(d: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(d.iterdir())}


def test_same_seed_identical_bytes_other_seed_same_structure(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    files = build(a, seed=3, params=SMALL)
    build(b, seed=3, params=SMALL)
    build(c, seed=4, params=SMALL)
    assert _hashes(a) == _hashes(b)
    names = [f.name for f in files]
    assert {"firms.parquet", "firms.csv", "customers.parquet", "truth.json", CHECKSUMS} <= set(
        names
    )
    ha, hc = _hashes(a), _hashes(c)
    assert ha.keys() == hc.keys()
    assert ha["customers.parquet"] != hc["customers.parquet"]
    fa, fc = pd.read_parquet(a / "customers.parquet"), pd.read_parquet(c / "customers.parquet")
    assert fa.dtypes.astype(str).tolist() == fc.dtypes.astype(str).tolist()


def test_manifest_matches_hashlib_and_verify_detects_changes(tmp_path: Path) -> None:
    build(tmp_path, seed=1, params=SMALL)
    lines = (tmp_path / CHECKSUMS).read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    hashes = _hashes(tmp_path)
    hashes.pop(CHECKSUMS)
    assert listed == hashes
    assert verify(tmp_path) == []
    with (tmp_path / "firms.csv").open("a") as fh:
        fh.write("\n")
    (tmp_path / "truth.json").unlink()
    (tmp_path / "stray.csv").write_text("x\n")
    problems = verify(tmp_path)
    assert any("firms.csv" in p and "differs" in p for p in problems)
    assert any("truth.json" in p and "missing" in p for p in problems)
    assert any("stray.csv" in p and "not listed" in p for p in problems)
    (tmp_path / CHECKSUMS).unlink()
    assert "no SHA256SUMS" in verify(tmp_path)[0]


def test_build_refuses_raw_dir() -> None:
    with pytest.raises(ValueError, match="raw"):
        build(paths.RAW_DIR, params=SMALL)


@pytest.mark.skipif(
    not (paths.PROCESSED_DIR / CHECKSUMS).is_file(), reason="bundled data not built"
)
def test_bundled_processed_data_verifies_and_is_small() -> None:
    assert verify(paths.PROCESSED_DIR) == []
    size = sum(f.stat().st_size for f in paths.PROCESSED_DIR.iterdir())
    assert size < 8 * 1024**2


def test_datapackage_descriptor_is_consistent(tmp_path: Path) -> None:
    build(tmp_path, seed=2, params=SMALL)
    dp = json.loads((tmp_path / "datapackage.json").read_text())
    assert dp == json.loads(json.dumps(datapackage(2)))
    assert "synthetic" in dp["description"].lower()
    frictionless_types = {"string", "integer", "number"}
    for res in dp["resources"]:
        assert (tmp_path / res["path"]).is_file(), res["path"]
        if res["format"] not in ("parquet", "csv"):
            continue
        fields = res["schema"]["fields"]
        assert {f["type"] for f in fields} <= frictionless_types
        names = [f["name"] for f in fields]
        assert set(res["schema"]["primaryKey"]) <= set(names)
        frame = (
            pd.read_parquet(tmp_path / res["path"])
            if res["format"] == "parquet"
            else pd.read_csv(tmp_path / res["path"])
        )
        assert frame.columns.tolist() == names
        for f in fields:
            cons = f.get("constraints", {})
            col = frame[f["name"]]
            if "enum" in cons:
                assert set(col.dropna()) <= set(cons["enum"]), f["name"]
            if "minimum" in cons:
                assert (col.dropna() >= cons["minimum"]).all(), f["name"]
            if "maximum" in cons:
                assert (col.dropna() <= cons["maximum"]).all(), f["name"]
            if cons.get("required"):
                assert col.notna().all(), f["name"]


@pytest.mark.skipif(
    not (paths.PROCESSED_DIR / CHECKSUMS).is_file(), reason="bundled data not built"
)
def test_bundled_data_is_what_the_current_code_builds(tmp_path: Path) -> None:
    """Guards against stale data: rebuild with the default seed and compare with the bundle."""
    build(tmp_path)
    for name in ("firms.csv", "firm_years.csv", "truth.json", "params.json", "instrument.yml",
                 "datapackage.json", CHECKSUMS):
        assert (tmp_path / name).read_bytes() == (paths.PROCESSED_DIR / name).read_bytes(), name
    for name in ("employees", "customers", "latent"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / f"{name}.parquet"),
            pd.read_parquet(paths.PROCESSED_DIR / f"{name}.parquet"),
        )


def test_instrument_and_question_text_are_written(tmp_path: Path) -> None:
    from cxresearch.io.instrument import Instrument
    from cxresearch.io.readers import load_study

    build(tmp_path, seed=2, params=SMALL)
    text = (tmp_path / "instrument.yml").read_text()
    assert text.startswith("# SYNTHETIC")
    inst = Instrument.read(tmp_path / "instrument.yml")
    assert inst == Instrument.bundled()  # the contract's instrument, read back from the file
    dp = json.loads((tmp_path / "datapackage.json").read_text())
    res = {r["name"]: r for r in dp["resources"]}
    assert res["instrument"]["path"] == "instrument.yml"
    assert "SYNTHETIC" in res["instrument"]["description"]
    fields = {f["name"]: f for f in res["customers"]["schema"]["fields"]}
    assert fields["nps"]["question"].startswith("How likely is it that you would recommend")
    emp = {f["name"]: f for f in res["employees"]["schema"]["fields"]}
    assert emp["culture_4"]["question"] == (
        "Internal rules get in the way of serving customers well")
    assert "question" not in fields["respondent_id"]
    # the built folder loads with its own instrument, checked against the data
    study = load_study(tmp_path)
    assert study.instrument == inst and not study.instrument_default
    assert study.units is study.firms and study.outcomes is study.firm_years
