"""Make ``tests/data/own_survey_quarterly/``: ``tests/data/own_survey/`` with periods that
differ by table -- customers surveyed monthly, employees quarterly, outcomes monthly -- declared
by ``time: {customers: month, employees: quarter, outcomes: month}``. Everything is
**synthetic**. Run from the repository root:
``.venv/bin/python tests/data/own_survey_quarterly/make_fixture.py``.

Wave w of ``own_survey`` becomes quarter ``2024Qw``: each customer answer gets one of the
quarter's three months (seeded draw), each employee answer the quarter; each store's wave
outcome becomes three monthly figures ``o + d``, ``o - d`` and ``o`` (d seeded, rounded as the
column is), whose quarterly mean is the wave's figure. So linking at quarters must give
exactly ``own_survey``'s store x wave panel (``tests/test_instrument_time.py``).
"""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cxresearch.io.instrument import Instrument

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "own_survey"
SEED = 22
HEADER = (
    "SYNTHETIC: tests/data/own_survey with periods that differ by table (make_fixture.py here):\n"
    "customers answer monthly, employees quarterly, the stores' outcomes are monthly."
)


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SOURCE / name, dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, name: str) -> None:
    (HERE / name).write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def main() -> None:
    rng = np.random.default_rng(SEED)
    shutil.copyfile(SOURCE / "units.csv", HERE / "units.csv")
    cus = _read("customers.csv")
    wave = cus["wave"].astype(int).to_numpy()
    month = 3 * (wave - 1) + rng.integers(1, 4, size=len(cus))
    cus.insert(cus.columns.get_loc("wave"), "month", [f"2024-{m:02d}" for m in month])
    _write(cus.drop(columns="wave"), "customers.csv")
    emp = _read("employees.csv")
    emp.insert(emp.columns.get_loc("wave"), "quarter", "2024Q" + emp["wave"])
    _write(emp.drop(columns="wave"), "employees.csv")
    out = _read("outcomes.csv")
    rows = []
    for r in out.itertuples(index=False):
        w = int(r.wave)
        d_sales = round(float(rng.normal(0, 1.0)), 2)
        d_turn = round(float(rng.normal(0, 2.0)), 1)
        for k, sign in enumerate((1, -1, 0), start=1):
            rows.append({"store_id": r.store_id, "month": f"2024-{3 * (w - 1) + k:02d}",
                         "sales_growth": f"{float(r.sales_growth) + sign * d_sales:.2f}",
                         "staff_turnover": f"{float(r.staff_turnover) + sign * d_turn:.1f}"})
    _write(pd.DataFrame(rows), "outcomes.csv")
    spec = yaml.safe_load((SOURCE / "instrument.yml").read_text(encoding="utf-8"))
    spec["time"] = {"customers": "month", "employees": "quarter", "outcomes": "month"}
    text = Instrument.from_dict(spec, source="instrument.yml").to_yaml(HEADER)
    (HERE / "instrument.yml").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
