"""Write the synthetic own-instrument fixtures: ``own_survey/`` and ``../customers_only/``.

Run from the repository root: ``.venv/bin/python tests/data/own_survey/make_fixture.py``.
Everything is **synthetic**, simulated by :func:`cxresearch.simulate.own_survey.simulate_own_survey`
with seed 0 (see its docstring for the model and ``README.md`` here for the files). The personal
data in ``customers.csv`` and ``employees.csv`` are made up (``example.com`` addresses, the
fictional 555-01xx range, invented names); they are there because real exports carry such
columns, and the notebooks must never show them.
"""

from __future__ import annotations

from pathlib import Path

from cxresearch.simulate.own_survey import simulate_own_survey

HERE = Path(__file__).resolve().parent
CUSTOMERS_ONLY = HERE.parent / "customers_only"
SEED = 0

HEADER = (
    "SYNTHETIC: the instrument of the simulated one-company survey in this folder\n"
    "(cxresearch.simulate.own_survey, seed 0). Stores of one company, surveyed in waves,\n"
    "with the survey's own item names, counts and answer ranges."
)


def _write(frame, path: Path) -> None:
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def main() -> None:
    survey = simulate_own_survey(seed=SEED)
    for name, frame in survey.tables().items():
        _write(frame, HERE / f"{name}.csv")
    (HERE / "instrument.yml").write_bytes(survey.instrument().to_yaml(HEADER).encode("utf-8"))
    # a folder with only customers.csv: a respondent id, a 0-10 recommend column (under the
    # contract's name, so no instrument.yml is needed) and two segment columns
    only = survey.customers.merge(survey.units[["store_id", "region"]], on="store_id")
    only = only[["respondent_id", "ltr", "region", "channel"]].rename(columns={"ltr": "nps"})
    CUSTOMERS_ONLY.mkdir(exist_ok=True)
    _write(only, CUSTOMERS_ONLY / "customers.csv")


if __name__ == "__main__":
    main()
