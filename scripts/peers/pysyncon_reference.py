"""Reference synthetic-control weights and gaps from ``pysyncon`` for tests/test_single_firm.py.

Run in a side environment with the peers (``pip install ".[peers]"``)::

    python scripts/peers/pysyncon_reference.py

Reads ``tests/data/causal/firm_series.csv`` (cxresearch's ``simulate_firm_series(n_months=60,
appoint_month=40, effect=2.0, n_donors=20, seed=17)``) and fits ``pysyncon.Synth`` with the
treated firm's pre-period CX path as the predictors (months 0..39) and a diagonal V equal to
each month's variance across units, which undoes pysyncon's row scaling so the loss is the
plain pre-period sum of squares that ``cxresearch.causal.single_firm.synthetic_control`` minimises.
Prints the donor weights and the mean post-period gap, and versions.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
from pysyncon import Synth

HERE = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    s = pd.read_csv(HERE / "tests/data/causal/firm_series.csv")
    wide = s.pivot(index="month", columns="firm", values="cx").sort_index()
    pre = wide.index < 40
    donors = [c for c in wide.columns if c != "firm"]
    x0, x1 = wide.loc[pre, donors], wide.loc[pre, "firm"]
    z0, z1 = wide[donors], wide["firm"]
    v = pd.concat([x0, x1], axis=1).std(axis=1).to_numpy() ** 2
    synth = Synth()
    synth.fit(X0=x0, X1=x1, Z0=z0, Z1=z1, custom_V=v)
    w = pd.Series(synth.W, index=donors)
    gap = z1 - z0 @ w
    print(f"pysyncon {version('pysyncon')}, numpy {np.__version__}, pandas {pd.__version__}")
    print("weights:")
    print(w.round(10).to_string())
    print(f"mean post gap: {gap[~pre].mean():.10f}")
    print(f"pre-period RMSPE: {np.sqrt((gap[pre] ** 2).mean()):.10f}")
