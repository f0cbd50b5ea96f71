"""Reference Rambachan-Roth sensitivity intervals from ``honestdid`` for tests/test_sensitivity.py.

Run from the repository root in a side environment that has the peer (``pip install
honestdid==0.1.1``, the Python port of R's HonestDiD; it needs torch, cvxpy and sympy), with
the repository on the path so the event study comes from cxresearch itself::

    PYTHONPATH=. python scripts/peers/honestdid_reference.py

Fits ``cxresearch.causal.did.event_study`` (window -4..2, reference -1, analytic SEs) on
``simulate_threat_panel("confounding", n_units=400, n_periods=10, seed=17)`` (a panel whose
treated firms trend differently, so the pre-period coefficients are not zero), takes the
event-time estimates and covariance without the reference row (3 pre-, 3 post-periods), and
runs HonestDiD's defaults on three cases (``python ... first`` reruns one case):

- ``first``: theta = the effect at event time 0 (HonestDiD's default ``l_vec``);
- ``average``: theta = the average of the three post-period effects (smoothness only: the
  relative-magnitude grid takes HonestDiD about ten minutes per case);
- ``one_post``: the pre-periods and event time 0 only (smoothness only: honestdid 0.1.1's
  relative-magnitude test without nuisance parameters stops with "only 0-dimensional arrays
  can be converted to Python scalars" under numpy 2, ``float()`` of a 1 x 1 array).

For each: ``constructOriginalCS``; ``createSensitivityResults`` (``method`` default
``"FLCI"``) over M, with the FLCI weights and half-length of ``find_optimal_flci``; and
``createSensitivityResults_relativeMagnitudes`` (``method`` default ``"C-LF"``) over Mbar,
with the accept/reject string on HonestDiD's grid of theta and the least-favourable critical
value of each (s, sign) piece (HonestDiD simulates it from 1,000 draws). Writes
``tests/data/causal/honestdid_reference.json``.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import honestdid
import numpy as np
import pandas as pd
from honestdid import core

HERE = Path(__file__).resolve().parents[2]
OUT = HERE / "tests/data/causal/honestdid_reference.json"
M_GRID = [0.0, 0.01, 0.02, 0.05, 0.1]
MBAR_GRID = [0.0, 0.5, 1.0, 1.5, 2.0]

_lf_log: list[float] = []
_grids: list[pd.DataFrame] = []
_flci: list[dict] = []

_orig_lf = core._compute_least_favorable_cv
_orig_rm = core.computeConditionalCS_DeltaRM
_orig_flci = core.find_optimal_flci


def _lf(*args, **kwargs):
    out = _orig_lf(*args, **kwargs)
    _lf_log.append(float(out))
    return out


def _rm(*args, **kwargs):
    out = _orig_rm(*args, **kwargs)
    _grids.append(out)
    return out


def _fl(*args, **kwargs):
    out = _orig_flci(*args, **kwargs)
    _flci.append(out)
    return out


core._compute_least_favorable_cv = _lf
core.computeConditionalCS_DeltaRM = _rm
core.find_optimal_flci = _fl


def run_case(name: str, beta: np.ndarray, sigma: np.ndarray, num_pre: int, num_post: int,
             l_vec: np.ndarray, rm: bool = True) -> dict:
    t0 = time.time()
    orig = honestdid.constructOriginalCS(beta, sigma, num_pre, num_post, l_vec=l_vec)
    _flci.clear()
    sd = honestdid.createSensitivityResults(beta, sigma, num_pre, num_post, Mvec=M_GRID,
                                            l_vec=l_vec)
    flci = [{"optimal_vec": [float(x) for x in f["optimalVec"]],
             "half_length": float(f["optimalHalfLength"])} for f in _flci]
    out = {
        "num_pre": num_pre, "num_post": num_post, "l_vec": [float(x) for x in l_vec],
        "betahat": [float(x) for x in beta], "sigma": [[float(x) for x in r] for r in sigma],
        "original": {"lb": float(orig["lb"].iloc[0]), "ub": float(orig["ub"].iloc[0])},
        "smoothness": {"method": "FLCI", "m": M_GRID, "lb": sd["lb"].astype(float).tolist(),
                       "ub": sd["ub"].astype(float).tolist(), "flci": flci},
    }
    if rm:  # HonestDiD's C-LF solves an LP per grid point: minutes per case
        _grids.clear()
        _lf_log.clear()
        res = honestdid.createSensitivityResults_relativeMagnitudes(
            beta, sigma, num_pre, num_post, Mbarvec=MBAR_GRID, l_vec=l_vec)
        pieces = 2 * num_pre
        lf = [_lf_log[i * pieces:(i + 1) * pieces] for i in range(len(MBAR_GRID))]
        grids = [{"lb": float(g["grid"].iloc[0]), "ub": float(g["grid"].iloc[-1]),
                  "n": len(g), "accept": "".join(str(int(a)) for a in g["accept"])}
                 for g in _grids]
        out["relative_magnitude"] = {"method": "C-LF", "mbar": MBAR_GRID,
                                     "lb": res["lb"].astype(float).tolist(),
                                     "ub": res["ub"].astype(float).tolist(),
                                     "lf_cv": lf, "grid": grids}
    print(f"{name}: {time.time() - t0:.0f}s", file=sys.stderr)
    return out


def _document(cases: dict) -> dict:
    return {
        "source": "scripts/peers/honestdid_reference.py",
        "command": "PYTHONPATH=. python scripts/peers/honestdid_reference.py",
        "event_study": "cxresearch.causal.did.event_study(simulate_threat_panel('confounding', "
                       "n_units=400, n_periods=10, seed=17)[0], 'y', 'unit', 'time', "
                       "'first_treated', window=(-4, 2)); event times -4, -3, -2 | 0, 1, 2",
        "versions": {"honestdid": version("honestdid"), "numpy": np.__version__,
                     "scipy": version("scipy"), "cvxpy": version("cvxpy"),
                     "pandas": pd.__version__},
        "alpha": 0.05,
        "cases": dict(sorted(cases.items())),
    }


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    from cxresearch.causal.did import event_study
    from cxresearch.simulate.threats import simulate_threat_panel

    data = simulate_threat_panel("confounding", n_units=400, n_periods=10, seed=17)[0]
    r = event_study(data, "y", "unit", "time", "first_treated", window=(-4, 2))
    times = [e for e in r.vcov.index if e != r.reference]
    beta = r.estimates.set_index("event_time").loc[times, "estimate"].to_numpy()
    sigma = r.vcov.loc[times, times].to_numpy()
    specs = {
        "one_post": (beta[:4], sigma[:4, :4], 3, 1, np.array([1.0]), False),
        "average": (beta, sigma, 3, 3, np.full(3, 1 / 3), False),
        "first": (beta, sigma, 3, 3, np.array([1.0, 0.0, 0.0]), True),
    }
    # one case per run if named on the command line; results merge into the JSON
    names = sys.argv[1:] or list(specs)
    cases = json.loads(OUT.read_text())["cases"] if OUT.exists() else {}
    for name in names:
        cases[name] = run_case(name, *specs[name])
        OUT.write_text(json.dumps(_document(cases), indent=1) + "\n")
    print(f"wrote {OUT.relative_to(HERE)}")

