"""Long validations of the measurement modules (seeded simulations with a known truth).

Run: ``.venv/bin/python scripts/validate_measurement.py`` (about two minutes on one core).

1. Key drivers: bias and 95% bootstrap-interval coverage of relative weights and Shapley/LMG
   against their population values (computed from the population correlation matrix).
2. PLS-PM on the synthetic ECSI survey: bias of plain PLS and of PLSc against the true paths, and
   coverage of PLSc bootstrap intervals for the true paths.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxresearch.linkage import drivers as kd
from cxresearch.measurement.csi import fit_pls
from cxresearch.simulate.ecsi import EcsiParams, simulate_ecsi_survey


def drivers_coverage(reps: int = 200, n: int = 300, boot: int = 300) -> pd.DataFrame:
    p, rho = 4, 0.4
    cov = np.full((p, p), rho) + (1 - rho) * np.eye(p)
    beta = np.array([0.5, 0.3, 0.15, 0.0])
    rxy = cov @ beta / np.sqrt(beta @ cov @ beta + 1)
    truth = {"relative_weights": kd.relative_weights_from_corr(cov, rxy),
             "shapley": kd.shapley_from_corr(cov, rxy)}
    cols = [f"d{i + 1}" for i in range(p)]
    rows = []
    for method, fn in (("relative_weights", kd.relative_weights),
                       ("shapley", kd.shapley_importance)):
        est, hit = [], []
        for r in range(reps):
            rng = np.random.default_rng(10_000 + r)
            x = rng.multivariate_normal(np.zeros(p), cov, size=n)
            frame = pd.DataFrame(x, columns=cols).assign(y=x @ beta + rng.standard_normal(n))
            out = fn(frame, "y", cols, n_boot=boot, seed=r)
            est.append(out.estimates["weight"].to_numpy())
            ci = out.conf_int(measure="weight")
            hit.append(((ci["ci_low"] <= truth[method])
                        & (truth[method] <= ci["ci_high"])).to_numpy())
        est, hit = np.array(est), np.array(hit)
        for j, c in enumerate(cols):
            rows.append({"method": method, "driver": c, "truth": truth[method][j],
                         "mean_estimate": est[:, j].mean(), "coverage_95": hit[:, j].mean()})
    return pd.DataFrame(rows)


def pls_recovery(reps: int = 100, n: int = 500, boot: int = 200) -> pd.DataFrame:
    params = EcsiParams(scale_points=None)
    first = simulate_ecsi_survey(params, n=n, seed=0)
    truth = first.paths.set_index(["source", "target"])["estimate"]
    plain, plsc, hit = [], [], []
    for r in range(reps):
        s = simulate_ecsi_survey(params, n=n, seed=1000 + r)
        plain.append(fit_pls(s.data, s.blocks, s.path_list()).paths["estimate"].to_numpy())
        c = fit_pls(s.data, s.blocks, s.path_list(), consistent=True, n_boot=boot if r < 40
                    else 0, seed=r)
        plsc.append(c.paths["estimate"].to_numpy())
        if r < 40:
            hit.append(((c.paths["ci_low"] <= truth.to_numpy())
                        & (truth.to_numpy() <= c.paths["ci_high"])).to_numpy())
    out = truth.rename("truth").reset_index()
    out["pls_mean"] = np.mean(plain, axis=0)
    out["plsc_mean"] = np.mean(plsc, axis=0)
    out["plsc_coverage_95"] = np.mean(hit, axis=0)
    return out


def main() -> None:
    pd.set_option("display.width", 120)
    print("Key drivers: 200 replications, n = 300, 300 bootstrap resamples")
    print(drivers_coverage().round(3).to_string(index=False))
    print("\nPLS-PM on the synthetic ECSI survey (continuous items): 100 replications, n = 500;")
    print("PLSc bootstrap coverage from the first 40 replications (200 resamples each)")
    print(pls_recovery().round(3).to_string(index=False))


if __name__ == "__main__":
    main()
