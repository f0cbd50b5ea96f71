"""Write the synthetic tracker fixture of this folder: ``customers.csv``, ``population.csv``
and ``instrument.yml``.

Run from the repository root: ``.venv/bin/python tests/data/own_tracker/make_fixture.py``.
Everything is **synthetic**, simulated by
:func:`cxresearch.simulate.tracker.simulate_tracker` (6 months of 300 answers from 24 stores in
4 regions, web over-represented, south's NPS 20 points higher from the fourth month; seed 5),
with the months written as ``2025-01`` .. ``2025-06`` and the population's margins as shares.
Used by ``tests/test_tracking_12.py``, which runs notebook 12 on this folder with
``-p data_dir=``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxresearch.simulate.tracker import simulate_tracker

HERE = Path(__file__).resolve().parent
SEED = 5

INSTRUMENT = """\
# SYNTHETIC: the instrument of the simulated monthly tracker in this folder
# (cxresearch.simulate.tracker, seed 5): stores in regions, answers by channel, a 0-10
# recommend question, and the customer base's margins for weighting.
unit: store_id
time: month
metrics:
  nps: {column: ltr, range: [0, 10]}
segments: [region, channel]
population: population.csv
"""


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def main() -> None:
    t = simulate_tracker(n_months=6, answers_per_month=300, stores_per_region=6, effect=20.0,
                         change_month=4, seed=SEED)
    data = t.data.copy()
    data["month"] = data["month"].map(lambda m: f"2025-{m:02d}")
    _write(data[["respondent_id", "store_id", "month", "region", "channel", "ltr"]],
           HERE / "customers.csv")
    shares = []
    for var, g in t.margins.groupby("variable", sort=False):
        share = (g["count"] / g["count"].sum()).round(4).to_numpy().copy()
        share[-1] = round(1.0 - share[:-1].sum(), 4)  # the shares sum to 1 exactly
        shares.append(pd.DataFrame({"variable": var, "category": g["category"],
                                    "share": share}))
    _write(pd.concat(shares, ignore_index=True), HERE / "population.csv")
    (HERE / "instrument.yml").write_bytes(INSTRUMENT.encode("utf-8"))


if __name__ == "__main__":
    main()
