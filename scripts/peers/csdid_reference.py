"""Reference group-time ATTs from ``csdid`` (the Python port of R's ``did``) for tests/test_did.py.

Run in a side environment that has the peers (``pip install ".[peers]"`` or
``pip install csdid``), not the project's::

    python scripts/peers/csdid_reference.py

Reads ``tests/data/causal/confounding_panel.csv`` (written by cxresearch's
``simulate_threat_panel("confounding", n_units=500, n_periods=8, seed=17)``; first_treated 0 =
never) and prints ATT(g, t) and its analytic SE for ``est_method`` "dr", "reg" and "ipw" with
covariate ``x``, not-yet-treated controls and a universal base period, plus versions.
"""

from __future__ import annotations

import warnings
from importlib.metadata import version
from pathlib import Path

import pandas as pd
from csdid.att_gt import ATTgt

HERE = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    data = pd.read_csv(HERE / "tests/data/causal/confounding_panel.csv")
    print(f"csdid {version('csdid')}, drdid {version('drdid')}, pandas {pd.__version__}")
    for est in ("dr", "reg", "ipw"):
        att = ATTgt(yname="y", tname="time", idname="unit", gname="first_treated", data=data,
                    control_group=["notyettreated"], xformla="y ~ x", panel=True)
        att.fit(est_method=est, base_period="universal", bstrap=False)
        res = pd.DataFrame(att.results)
        print(f"--- est_method={est}")
        with pd.option_context("display.max_rows", 200, "display.width", 200,
                               "display.float_format", "{:.10f}".format):
            print(res[["group", "year", "att", "se"]].to_string())
