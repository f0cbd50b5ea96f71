"""A staggered-adoption panel with a known, heterogeneous effect (all data are **synthetic**).

:func:`simulate_staggered_panel` is the generator behind the event-study tests and the validation
script: units adopt a
treatment (appoint a CX leader) in different periods, effects grow with time since adoption and
may differ by cohort, and adopters may have been "doing better anyway" (selection).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxresearch.core.validation import check_seed

__all__ = ["simulate_staggered_panel"]


def simulate_staggered_panel(
    n_units: int = 200,
    n_periods: int = 8,
    cohorts: Sequence[int] | None = None,
    never_share: float = 0.3,
    effect: float = 1.0,
    effect_growth: float = 0.5,
    cohort_gradient: float = 0.0,
    selection: float = 0.0,
    noise_sd: float = 1.0,
    unbalanced_share: float = 0.0,
    seed: int | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A staggered-adoption panel with a known, heterogeneous effect.

    ``y_it = a_i + l_t + tau_{g,e} 1[e >= 0] + e_it`` with e = t - g, where
    ``tau_{g,e} = effect + effect_growth * e + cohort_gradient * (g - mean cohort)`` (effects that
    grow with time since treatment are the case in which two-way fixed effects fails). Units are
    never treated with probability ``never_share`` and otherwise adopt in one of ``cohorts``
    (default: periods 2 .. n_periods - 2). ``selection`` > 0 makes adopters' unit effect a_i
    larger by ``selection`` (they "were already doing better"): it biases level comparisons but
    not differences in differences. ``unbalanced_share`` drops that share of unit-periods at random.

    Parameters
    ----------
    n_units, n_periods : int
        Panel size (periods 0 .. n_periods - 1).
    cohorts : sequence of int, optional
        Adoption periods to draw from.
    never_share : float
        Probability that a unit never adopts.
    effect, effect_growth, cohort_gradient : float
        The effect at adoption, its growth per period since adoption, and its slope in the
        adoption period.
    selection : float
        Head start of adopters' unit effect (biases level comparisons only).
    noise_sd : float
        SD of the unit-period noise.
    unbalanced_share : float
        Share of unit-periods dropped at random.
    seed : int or None
        Seed of the draws.

    Returns
    -------
    tuple of DataFrame
        ``(panel, truth)``: panel columns ``unit, time, y, first_treated`` (nullable Int64,
        NA = never), and the true event-time ATT ``event_time, att`` (cohort-size weighted over
        the realised units, the estimand of :func:`cxresearch.causal.did.event_study`).

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-differences with multiple time
    periods. *J. Econometrics* 225(2), 200-230.
    Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment timing.
    *J. Econometrics* 225(2), 254-277.

    Examples
    --------
    >>> p, truth = simulate_staggered_panel(n_units=10, n_periods=5, seed=0)
    >>> p.shape, list(truth.columns)
    ((50, 4), ['event_time', 'att'])
    """
    rng = np.random.default_rng(check_seed(seed))
    cohorts = list(cohorts) if cohorts is not None else list(range(2, max(n_periods - 1, 3)))
    never = rng.random(n_units) < never_share
    g = np.where(never, np.inf, rng.choice(cohorts, n_units).astype(float))
    a = rng.normal(0.0, 1.0, n_units) + selection * np.isfinite(g)
    lam = np.cumsum(rng.normal(0.2, 0.3, n_periods))
    t = np.arange(n_periods)
    e = t[None, :] - g[:, None]
    g_mean = float(np.mean(cohorts))
    g_dev = np.where(np.isfinite(g), g - g_mean, 0.0)
    e_fin = np.where(np.isfinite(e), e, 0.0)
    tau = effect + effect_growth * e_fin + cohort_gradient * g_dev[:, None]
    tau = np.where(e >= 0, tau, 0.0)
    y = a[:, None] + lam[None, :] + tau + rng.normal(0.0, noise_sd, (n_units, n_periods))
    panel = pd.DataFrame(
        {
            "unit": np.repeat([f"U{i + 1:04d}" for i in range(n_units)], n_periods),
            "time": np.tile(t, n_units),
            "y": y.ravel(),
            "first_treated": pd.array(
                np.repeat(np.where(np.isfinite(g), g, -1), n_periods).astype(int), dtype="Int64"
            ),
        }
    )
    panel.loc[panel["first_treated"] == -1, "first_treated"] = pd.NA
    if unbalanced_share > 0:
        panel = panel[rng.random(len(panel)) >= unbalanced_share].reset_index(drop=True)
    fin = np.isfinite(g)
    recs = []
    for ev in range(-(n_periods - 1), n_periods):
        num, den = 0.0, 0
        for c in np.unique(g[fin]):
            if 0 <= c + ev < n_periods and c - 1 >= 0:
                n_c = int((g == c).sum())
                true_c = 0.0
                if ev >= 0:
                    true_c = effect + effect_growth * ev + cohort_gradient * (c - g_mean)
                num += n_c * true_c
                den += n_c
        if den:
            recs.append({"event_time": ev, "att": num / den})
    return panel, pd.DataFrame(recs)
