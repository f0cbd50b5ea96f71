"""Build and verify ``data/processed/``: the bundled **synthetic** CX study.

``build()`` simulates the study (:func:`cxresearch.simulate.study.simulate_study`) with a fixed
seed and writes, byte-for-byte reproducibly:

- ``firms``, ``firm_years`` as Parquet and CSV; ``employees``, ``customers`` as Parquet;
- ``latent.parquet`` -- the answer key (firm-year EX and CX), which a real study never has;
- ``truth.json`` (the structural coefficients) and ``params.json`` (the parameters and seed);
- ``instrument.yml`` -- the study's instrument (:meth:`cxresearch.io.instrument.Instrument.bundled`:
  unit, time, scales, metrics, segments), the file a user's own survey replaces;
- ``datapackage.json`` -- a Frictionless Data Package descriptor: each column's type, unit,
  allowed values, meaning and, for survey answers, the question's wording (from
  :data:`cxresearch.io.readers.TABLE_SPECS`);
- ``SHA256SUMS`` -- ``sha256sum``-compatible checksums of every other file.

``verify()`` recomputes the checksums and returns a list of problems (empty when all match).
Parquet is written by pyarrow with zstd compression and no timestamps, so two builds with the
same seed and library versions give identical bytes.

>>> import tempfile
>>> from cxresearch.simulate.study import StudyParams
>>> d = Path(tempfile.mkdtemp())
>>> files = build(d, seed=1, params=StudyParams(n_firms=10, n_years=3))
>>> sorted(p.name for p in files)[:3]
['SHA256SUMS', 'customers.parquet', 'datapackage.json']
>>> "instrument.yml" in [p.name for p in files]
True
>>> verify(d)
[]
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd

from cxresearch.core.validation import DataError
from cxresearch.simulate.study import StudyParams

__all__ = ["CHECKSUMS", "DEFAULT_SEED", "INSTRUMENT_HEADER", "build", "datapackage", "verify"]

DEFAULT_SEED = 0
CHECKSUMS = "SHA256SUMS"
_CSV_TABLES = ("firms", "firm_years")
_PRIMARY_KEYS = {
    "firms": ["firm_id"],
    "firm_years": ["firm_id", "year"],
    "employees": ["respondent_id"],
    "customers": ["respondent_id"],
}
_DESCRIPTIONS = {
    "firms": "One row per firm: industry, size, CX ownership, stated priority and budget.",
    "firm_years": "Panel of firm outcomes by year.",
    "employees": "Employee survey: customer-centric culture and engagement items (Likert 1-5).",
    "customers": "Customer survey: NPS, CSAT, CES, tenure, spend, churn and referrals.",
}
#: the comment at the top of ``data/processed/instrument.yml``
INSTRUMENT_HEADER = (
    "SYNTHETIC: the instrument of the bundled simulated CX study (not a real survey).\n"
    "Written by `python -m cxresearch data build` from cxresearch.core.contract. Your own survey\n"
    "gets its own instrument.yml next to its data: see README.md, 'Rerunning on your own data'."
)
_LATENT_FIELDS = [
    ("firm_id", "string", "Firm identifier."),
    ("year", "integer", "Year."),
    ("ex", "number", "Latent employee experience (SD units)."),
    ("cx", "number", "Latent customer experience (SD units)."),
    ("ex_lag", "number", "Latent EX in the previous year."),
    ("cx_lag", "number", "Latent CX in the previous year."),
    ("revenue_growth_lag", "number", "Revenue growth in the previous year (percent)."),
    ("baseline_growth", "number", "Firm's latent baseline revenue growth (percent)."),
    ("firm_ex_effect", "number", "Firm's stable EX level."),
    ("firm_cx_effect", "number", "Firm's stable CX level."),
    ("cx_commitment", "number", "Firm's latent commitment to CX (SD units; the 'do')."),
    ("sponsor", "string", "Executive sponsor of CX besides any dedicated leader."),
    ("leader_appointed_in_panel", "integer", "1 if a CX leader was appointed in the panel."),
]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def _write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def datapackage(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of the processed data (a plain dict).

    >>> dp = datapackage()
    >>> [r["name"] for r in dp["resources"]][:3]
    ['firms', 'firms_csv', 'firm_years']
    >>> dp["resources"][0]["schema"]["primaryKey"]
    ['firm_id']
    """
    from cxresearch.io.readers import TABLE_SPECS

    resources: list[dict[str, Any]] = []
    for name in ("firms", "firm_years", "employees", "customers"):
        schema: dict[str, Any] = {
            "fields": [spec.to_field() for spec in TABLE_SPECS[name]],
            "primaryKey": _PRIMARY_KEYS[name],
            "missingValues": [""],
        }
        if name != "firms":
            schema["foreignKeys"] = [
                {"fields": "firm_id", "reference": {"resource": "firms", "fields": "firm_id"}}
            ]
        formats = ["parquet", "csv"] if name in _CSV_TABLES else ["parquet"]
        for fmt in formats:
            resources.append(
                {
                    "name": name if fmt == "parquet" else f"{name}_csv",
                    "path": f"{name}.{fmt}",
                    "format": fmt,
                    "description": "SYNTHETIC. " + _DESCRIPTIONS[name],
                    "schema": schema,
                }
            )
    resources.append(
        {
            "name": "latent",
            "path": "latent.parquet",
            "format": "parquet",
            "description": "SYNTHETIC answer key: the latent firm-year constructs that "
            "generated the data. A real study never has this table.",
            "schema": {
                "fields": [
                    {"name": n, "type": t, "description": d} for n, t, d in _LATENT_FIELDS
                ],
                "primaryKey": ["firm_id", "year"],
            },
        }
    )
    for name, desc in (
        ("truth", "Structural coefficients used by the simulation (name -> value)."),
        ("params", "StudyParams and seed used by the simulation."),
    ):
        resources.append(
            {"name": name, "path": f"{name}.json", "format": "json", "description": desc}
        )
    resources.append(
        {
            "name": "instrument",
            "path": "instrument.yml",
            "format": "yaml",
            "mediatype": "application/yaml",
            "description": "SYNTHETIC study's instrument (cxresearch.instrument format): "
            "answers nested in firm_id and year; the culture and engagement scales (culture_4 "
            "reverse-keyed), the NPS, CSAT and CES metrics with their answer ranges, and the "
            "segments industry, size_band and cx_owner (columns of firms).",
        }
    )
    return {
        "name": "cxresearch-synthetic-cx-study",
        "title": "Synthetic CX benchmark study (simulated; not real firms)",
        "description": (
            "Simulated by cxresearch.simulate.study.simulate_study with seed "
            f"{seed}; the data-generating process is documented in docs/simulation.md. "
            "All data are synthetic."
        ),
        "licenses": [{"name": "MIT", "title": "MIT License"}],
        "resources": resources,
    }


def build(
    out_dir: Path | None = None, seed: int = DEFAULT_SEED, params: StudyParams | None = None
) -> list[Path]:
    """Simulate the study and write ``out_dir`` (default ``data/processed/``); return the files.

    Files that the build does not write (e.g. stale tables) are left alone but are reported by
    :func:`verify`. Raw inputs (``data/raw/``) are never touched.
    """
    from cxresearch.core import paths
    from cxresearch.simulate.study import simulate_study

    out = Path(out_dir) if out_dir is not None else paths.processed_dir()
    if out.resolve() == paths.RAW_DIR.resolve():
        raise DataError(f"argument 'out_dir': refusing to write into the raw inputs {out}")
    out.mkdir(parents=True, exist_ok=True)
    study = simulate_study(params, seed=seed)
    written: list[Path] = []
    for name, frame in study.tables().items():
        path = out / f"{name}.parquet"
        _write_parquet(frame, path)
        written.append(path)
        if name in _CSV_TABLES:
            path = out / f"{name}.csv"
            _write_text(path, frame.to_csv(index=False, lineterminator="\n"))
            written.append(path)
    assert study.latent is not None
    _write_parquet(study.latent, out / "latent.parquet")
    written.append(out / "latent.parquet")
    p = study.params if study.params is not None else StudyParams()
    files_json = {
        "truth.json": {k: round(float(v), 10) for k, v in study.truth.items()},
        "params.json": {"seed": seed, "synthetic": True, "params": p.to_dict()},
        "datapackage.json": datapackage(seed),
    }
    for fname, obj in files_json.items():
        _write_text(out / fname, json.dumps(obj, indent=2, sort_keys=False) + "\n")
        written.append(out / fname)
    from cxresearch.io.instrument import Instrument

    _write_text(out / "instrument.yml", Instrument.bundled().to_yaml(INSTRUMENT_HEADER))
    written.append(out / "instrument.yml")
    lines = [f"{_sha256(f)}  {f.name}" for f in sorted(written, key=lambda q: q.name)]
    _write_text(out / CHECKSUMS, "\n".join(lines) + "\n")
    written.append(out / CHECKSUMS)
    return sorted(written, key=lambda q: q.name)


def verify(out_dir: Path | None = None) -> list[str]:
    """Compare the files in ``out_dir`` with its ``SHA256SUMS``; return problems (empty: OK).

    A problem is a missing manifest, a missing or changed file, or a data file that the
    manifest does not list.
    """
    from cxresearch.core import paths

    out = Path(out_dir) if out_dir is not None else paths.processed_dir()
    manifest = out / CHECKSUMS
    if not manifest.is_file():
        return [f"no {CHECKSUMS} in {out.name}/: run `python -m cxresearch data build`"]
    problems: list[str] = []
    listed: set[str] = set()
    for n, line in enumerate(manifest.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2:
            problems.append(f"{CHECKSUMS} line {n}: not '<sha256>  <file>'")
            continue
        digest, name = parts[0], parts[1].strip().lstrip("*")
        listed.add(name)
        path = out / name
        if not path.is_file():
            problems.append(f"{name}: listed in {CHECKSUMS} but missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: sha256 differs from {CHECKSUMS} (file changed)")
    for path in sorted(out.iterdir()):
        hidden = path.name.startswith(".")
        if path.is_file() and path.name != CHECKSUMS and not hidden and path.name not in listed:
            problems.append(f"{path.name}: not listed in {CHECKSUMS}")
    return problems
