"""Small generators with a known truth for the linkage estimators (all data are **synthetic**).

- :func:`simulate_nested` -- Likert items of respondents nested in groups with a known ICC
  (for :func:`cxresearch.linkage.multilevel.aggregation_indices` and power analysis);
- :func:`simulate_latent_chain` -- indicators of a latent EX -> CX -> outcome chain with known
  paths (for :func:`cxresearch.linkage.mediation.sem_service_profit_chain`);
- :func:`simulate_var_panel` -- a panel VAR(1) with known cross-lags (for
  :func:`cxresearch.linkage.panel.cross_lagged_panel` and
  :func:`cxresearch.linkage.panel.linkage_model`);
- :func:`simulate_ri_clpm_panel` -- stable unit levels, correlated across series, plus a
  within-unit VAR(1) with known cross-lags (for :func:`cxresearch.linkage.ri_clpm.ri_clpm`).

Used by the tests and ``scripts/validate_study.py``. Every generator takes ``seed`` (int or
None, default 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, check_seed

__all__ = ["simulate_latent_chain", "simulate_nested", "simulate_ri_clpm_panel",
           "simulate_var_panel"]


def simulate_nested(
    n_groups: int = 50,
    group_size: int | Sequence[int] = 20,
    icc: float = 0.2,
    n_items: int = 4,
    loading: float = 0.8,
    scale_points: int = 5,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Likert items for respondents nested in groups, with a known ICC of the latent trait.

    The latent trait is ``u_j + e_ij`` with Var(u) = icc and Var(e) = 1 - icc; each item is
    ``loading * trait + sqrt(1 - loading^2) * noise``, cut into ``scale_points`` categories at
    equally spaced thresholds (-1.5..1.5 SD for 5 points). Used by the tests and power analysis.

    Parameters
    ----------
    n_groups : int
        Number of groups.
    group_size : int or sequence of int
        Respondents per group (one size, or one per group).
    icc : float
        ICC of the latent trait, in [0, 1).
    n_items : int
        Number of items.
    loading : float
        Standardized loading of each item on the trait.
    scale_points : int
        Answer categories of each item (1..scale_points).
    seed : int or None
        Seed of the draws.

    Returns
    -------
    DataFrame
        ``group, respondent, item_1 .. item_<n_items>``.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In Klein &
    Kozlowski (eds.), *Multilevel Theory, Research, and Methods in Organizations*, 349-381.

    Examples
    --------
    >>> simulate_nested(n_groups=2, group_size=2, n_items=2, seed=0).shape
    (4, 4)
    """
    rng = np.random.default_rng(check_seed(seed))
    if not 0 <= icc < 1:
        raise DataError(f"icc must be in [0, 1), got {icc}")
    sizes = (
        np.full(n_groups, int(group_size))
        if np.isscalar(group_size)
        else np.asarray(group_size, dtype=int)
    )
    if len(sizes) != n_groups:
        raise DataError(f"group_size has {len(sizes)} entries, expected n_groups={n_groups}")
    g = np.repeat(np.arange(n_groups), sizes)
    u = rng.normal(0.0, np.sqrt(icc), n_groups)
    trait = u[g] + rng.normal(0.0, np.sqrt(1 - icc), len(g))
    cuts = np.linspace(-1.5, 1.5, scale_points - 1)
    out = {"group": [f"G{i + 1:03d}" for i in g], "respondent": np.arange(len(g))}
    for k in range(n_items):
        x = loading * trait + np.sqrt(1 - loading**2) * rng.normal(size=len(g))
        out[f"item_{k + 1}"] = np.searchsorted(cuts, x) + 1
    return pd.DataFrame(out)


def simulate_latent_chain(
    n: int = 400,
    a: float = 0.5,
    b: float = 0.4,
    direct: float = 0.1,
    indicator_noise: float = 0.7,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Indicators of a latent service-profit chain with known paths (for tests and validation).

    ``EX ~ N(0, 1)``, ``CX = a EX + e`` (sd 0.8), ``y = b CX + direct EX + e`` (sd 1); three
    indicators ``e0..e2`` of EX and ``c0..c2`` of CX, each the latent score plus
    ``N(0, indicator_noise^2)``. The indirect effect is ``a * b``.

    Parameters
    ----------
    n : int
        Number of units.
    a, b, direct : float
        The paths EX -> CX, CX -> y and EX -> y.
    indicator_noise : float
        SD of each indicator's measurement error.
    seed : int or None
        Seed of the draws.

    Returns
    -------
    DataFrame
        ``e0, e1, e2, c0, c1, c2, y``.

    References
    ----------
    Bollen, K. A. (1989). *Structural Equations with Latent Variables*. Wiley (the model
    :func:`cxresearch.linkage.mediation.sem_service_profit_chain` fits to these indicators).

    Examples
    --------
    >>> d = simulate_latent_chain(n=5, seed=1)
    >>> list(d.columns)
    ['e0', 'e1', 'e2', 'c0', 'c1', 'c2', 'y']
    """
    gen = np.random.default_rng(check_seed(seed))
    ex = gen.normal(size=n)
    cx = a * ex + gen.normal(scale=0.8, size=n)
    y = b * cx + direct * ex + gen.normal(size=n)
    d = pd.DataFrame({f"e{k}": ex + gen.normal(scale=indicator_noise, size=n) for k in range(3)})
    for k in range(3):
        d[f"c{k}"] = cx + gen.normal(scale=indicator_noise, size=n)
    d["y"] = y
    return d


def simulate_var_panel(
    n_units: int = 100,
    n_periods: int = 8,
    coefs: Mapping[tuple[str, str], float] | None = None,
    autoregressive: float = 0.4,
    unit_sd: float = 0.0,
    variables: Sequence[str] = ("x", "y"),
    burn_in: int = 20,
    seed: int | None = 0,
) -> pd.DataFrame:
    """A panel VAR(1) with known cross-lags: ``v(t) = mu_i + rho v(t-1) + sum B[w,v] w(t-1) + e``.

    ``coefs`` maps ``(from, to)`` to the cross-lagged coefficient; every variable has
    autoregression ``autoregressive``, unit effects with SD ``unit_sd`` and unit-variance shocks.
    A burn-in makes the first kept period stationary. Used in tests and the validation script.

    Parameters
    ----------
    n_units, n_periods : int
        Panel size (periods kept after the burn-in).
    coefs : mapping, optional
        ``{(from, to): coefficient}`` cross-lags; others are 0.
    autoregressive : float
        Autoregression of every variable.
    unit_sd : float
        SD of the stable unit effects (0: none).
    variables : sequence of str
        Names of the series.
    burn_in : int
        Periods simulated and dropped before the first kept one.
    seed : int or None
        Seed of the draws.

    Returns
    -------
    DataFrame
        ``unit, time`` and one column per variable.

    References
    ----------
    Schneider, B., Hanges, P. J., Smith, D. B. & Salvaggio, A. N. (2003). Which comes first:
    employee attitudes or organizational financial and market performance? *J. Applied
    Psychology* 88(5), 836-851 (the cross-lagged design this mimics).

    Examples
    --------
    >>> simulate_var_panel(n_units=3, n_periods=2, seed=0).shape
    (6, 4)
    """
    rng = np.random.default_rng(check_seed(seed))
    variables = list(variables)
    k = len(variables)
    b = np.eye(k) * autoregressive
    for (src, dst), val in (coefs or {}).items():
        b[variables.index(dst), variables.index(src)] = val
    mu = rng.normal(0.0, unit_sd, (n_units, k)) if unit_sd > 0 else np.zeros((n_units, k))
    state = np.zeros((n_units, k))
    rows = []
    for t in range(burn_in + n_periods):
        state = mu + state @ b.T + rng.normal(size=(n_units, k))
        if t >= burn_in:
            rows.append(state.copy())
    arr = np.stack(rows, axis=1)  # units x periods x k
    out = pd.DataFrame(
        {
            "unit": np.repeat([f"U{i + 1:04d}" for i in range(n_units)], n_periods),
            "time": np.tile(np.arange(n_periods), n_units),
        }
    )
    for j, v in enumerate(variables):
        out[v] = arr[:, :, j].ravel()
    return out




def simulate_ri_clpm_panel(
    n_units: int = 200,
    n_periods: int = 5,
    coefs: Mapping[tuple[str, str], float] | None = None,
    autoregressive: float = 0.4,
    intercept_sd: float | Mapping[str, float] = 1.0,
    intercept_corr: float = 0.0,
    variables: Sequence[str] = ("x", "y"),
    burn_in: int = 20,
    seed: int | None = 0,
) -> pd.DataFrame:
    """A panel with stable unit levels plus a within-unit VAR(1): the RI-CLPM's own model.

    ``x_{v,it} = kappa_{v,i} + w_{v,it}`` with ``w_it = B w_i,t-1 + e_it`` (unit-variance,
    independent shocks; ``B`` has ``autoregressive`` on the diagonal and ``coefs[(from, to)]``
    off it) and random intercepts ``kappa_i ~ N(0, Phi)``, SD ``intercept_sd`` (one for all
    series or one per series) and the same correlation ``intercept_corr`` between every pair of
    series. A correlation above 0 is a stable unit trait that raises both series (a firm whose
    staff and customers are happier every year): it has no within-unit path, so the true
    cross-lags are ``coefs`` and nothing else, while a pooled cross-lagged panel reads part of
    the stable levels as lagged paths. A burn-in makes the first kept period stationary.

    Parameters
    ----------
    n_units, n_periods : int
        Panel size (periods kept after the burn-in).
    coefs : mapping, optional
        ``{(from, to): coefficient}`` within-unit cross-lags; others are 0.
    autoregressive : float
        Within-unit autoregression of every series.
    intercept_sd : float or mapping
        SD of the stable unit levels (``{variable: sd}`` for one each; 0: none).
    intercept_corr : float
        Correlation of the stable levels between every pair of series, in (-1, 1).
    variables : sequence of str
        Names of the series.
    burn_in : int
        Periods simulated and dropped before the first kept one.
    seed : int or None
        Seed of the draws.

    Returns
    -------
    DataFrame
        ``unit, time`` and one column per variable.

    References
    ----------
    Hamaker, E. L., Kuiper, R. M. & Grasman, R. P. P. P. (2015). A critique of the cross-lagged
    panel model. *Psychological Methods* 20(1), 102-116 (the model this draws from).

    Examples
    --------
    >>> p = simulate_ri_clpm_panel(n_units=3, n_periods=4, intercept_corr=0.5, seed=0)
    >>> p.shape, list(p.columns)
    ((12, 4), ['unit', 'time', 'x', 'y'])
    """
    rng = np.random.default_rng(check_seed(seed))
    variables = list(variables)
    k = len(variables)
    if not -1 < intercept_corr < 1:
        raise DataError(f"intercept_corr must be in (-1, 1), got {intercept_corr}")
    sd = np.array([float(intercept_sd[v]) if isinstance(intercept_sd, Mapping)
                   else float(intercept_sd) for v in variables])
    if (sd < 0).any():
        raise DataError(f"intercept_sd must be >= 0, got {intercept_sd}")
    b = np.eye(k) * autoregressive
    for (src, dst), val in (coefs or {}).items():
        if src not in variables or dst not in variables:
            raise DataError(f"coefs: {(src, dst)} names a series not in {variables}")
        b[variables.index(dst), variables.index(src)] = val
    if np.abs(np.linalg.eigvals(b)).max() >= 1:
        raise DataError("the within-unit VAR(1) is not stationary (an eigenvalue of B >= 1)")
    corr = np.full((k, k), intercept_corr)
    np.fill_diagonal(corr, 1.0)
    kappa = rng.multivariate_normal(np.zeros(k), corr * np.outer(sd, sd), n_units)
    w = np.zeros((n_units, k))
    rows = []
    for t in range(burn_in + n_periods):
        w = w @ b.T + rng.normal(size=(n_units, k))
        if t >= burn_in:
            rows.append(kappa + w)
    arr = np.stack(rows, axis=1)  # units x periods x k
    out = pd.DataFrame(
        {
            "unit": np.repeat([f"U{i + 1:04d}" for i in range(n_units)], n_periods),
            "time": np.tile(np.arange(n_periods), n_units),
        }
    )
    for j, v in enumerate(variables):
        out[v] = arr[:, :, j].ravel()
    return out
