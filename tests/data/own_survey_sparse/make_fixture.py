"""Make ``tests/data/own_survey_sparse/``: ``tests/data/own_survey/`` with 2-3 employees per
store and wave (seeded subsample), so that the store x wave EX means are too noisy for the
unit-level linkage of notebook 05. Run from the repository root:
``.venv/bin/python tests/data/own_survey_sparse/make_fixture.py``.
"""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
SOURCE = HERE.parent / "own_survey"

rng = np.random.default_rng(22)
for name in ("customers.csv", "outcomes.csv", "units.csv", "instrument.yml"):
    shutil.copyfile(SOURCE / name, HERE / name)
emp = pd.read_csv(SOURCE / "employees.csv", dtype=str, keep_default_na=False)
keep = []
for _, grp in emp.groupby(["store_id", "wave"], sort=False):
    k = min(len(grp), int(rng.integers(2, 4)))
    keep.extend(sorted(rng.choice(grp.index.to_numpy(), size=k, replace=False)))
emp.loc[sorted(keep)].to_csv(HERE / "employees.csv", index=False)
