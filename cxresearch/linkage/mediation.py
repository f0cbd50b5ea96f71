"""Mediation: the indirect effect of employee experience on outcomes through customer experience.

The service-profit chain (Heskett, Jones, Loveman, Sasser & Schlesinger 1994, *Harvard Business
Review* 72(2)) is a chain of two links, EX -> CX -> outcome. Two estimators:

- :func:`mediation` -- product of coefficients ``a * b`` from two OLS regressions on observed
  scores, with a percentile (optionally cluster) bootstrap interval; a :class:`MediationResult`;
- :func:`sem_service_profit_chain` -- the same chain with EX and CX as latent variables measured
  by several items (semopy, maximum likelihood), so item noise does not attenuate the paths; a
  :class:`SemChainResult`.

Both are correlational: the causal reading needs no unmeasured confounding of X-M, X-Y and M-Y
and no reverse causation, which survey data cannot guarantee.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.inference import tails, z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.regression import is_numeric_column, treatment_dummies

__all__ = ["SEM_FTOL", "MediationResult", "SemChainResult", "mediation", "sem_fit",
           "sem_service_profit_chain"]

_EFFECTS = ("a", "b", "direct", "total", "indirect")


@dataclass(frozen=True)
class MediationResult(Result):
    """Product-of-coefficients mediation with percentile bootstrap intervals.

    What :func:`mediation` returns. ``estimates`` has one row per effect (a, b, direct, total,
    indirect, prop_mediated) with intervals at ``level``; ``boot_draws`` keeps the bootstrap
    draws of a, b, direct, total and indirect (one column each, in that order), so
    :meth:`conf_int` can give the percentile interval at any other level without refitting.

    Parameters
    ----------
    exposure, mediator, outcome : str
        The columns X, M and Y.
    estimates : DataFrame
        ``effect, estimate, se, ci_low, ci_high``, one row per effect.
    n_obs, n_boot : int
        Rows used and bootstrap replications.
    cluster : str, optional
        The column whose clusters were resampled (None: rows).
    boot_indirect : ndarray
        The bootstrap draws of the indirect effect ``a * b``.
    boot_draws : ndarray (n_boot, 5)
        The draws of a, b, direct, total and indirect.
    level : float
        Confidence level of the intervals in ``estimates``.

    Returns
    -------
    MediationResult
        ``to_frame()``, ``conf_int(level=)``, ``summary()`` and the ``indirect`` property.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> d = pd.DataFrame({"ex": rng.normal(size=300)})
    >>> d["cx"] = 0.5 * d["ex"] + rng.normal(size=300)
    >>> d["growth"] = 0.4 * d["cx"] + rng.normal(size=300)
    >>> res = mediation(d, "ex", "cx", "growth", n_boot=200, seed=1)
    >>> ci = res.conf_int(0.9).set_index("effect")
    >>> ci.loc["indirect", ["ci_low", "ci_high"]].round(2).tolist()
    [0.18, 0.32]
    """

    exposure: str
    mediator: str
    outcome: str
    estimates: pd.DataFrame
    n_obs: int
    n_boot: int
    cluster: str | None = None
    boot_indirect: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    boot_draws: np.ndarray = field(default_factory=lambda: np.empty((0, 5)), repr=False)
    level: float = 0.95

    @property
    def indirect(self) -> float:
        """The indirect effect ``a * b``."""
        return float(self.estimates.set_index("effect").loc["indirect", "estimate"])

    def to_frame(self) -> pd.DataFrame:
        """One row per effect: a, b, direct, total, indirect, prop_mediated."""
        return self.estimates.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Percentile bootstrap intervals at ``level``.

        Columns ``effect, estimate, ci_low, ci_high, level`` for a, b, direct, total and
        indirect, recomputed from the stored draws.
        """
        lvl = check_level(level)
        lo_q, hi_q = tails(lvl)
        est = self.estimates.set_index("effect")["estimate"]
        rows = []
        for k, name in enumerate(_EFFECTS):
            draws = self.boot_draws[:, k] if self.boot_draws.size else np.empty(0)
            lo, hi = np.quantile(draws, [lo_q, hi_q]) if draws.size else (np.nan, np.nan)
            rows.append({"effect": name, "estimate": float(est[name]), "ci_low": float(lo),
                         "ci_high": float(hi), "level": lvl})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        """One line: the indirect effect with its interval, the direct and total effects."""
        e = self.estimates.set_index("effect")
        ind = e.loc["indirect"]
        boot = f"{'cluster ' if self.cluster else ''}bootstrap, {self.n_boot} draws"
        return (
            f"{self.exposure} -> {self.mediator} -> {self.outcome} (n={self.n_obs}): "
            f"indirect {ind.estimate:.4f} [{100 * self.level:g}% CI {ind.ci_low:.4f}, "
            f"{ind.ci_high:.4f}] ({boot}); "
            f"direct {e.loc['direct', 'estimate']:.4f}, total {e.loc['total', 'estimate']:.4f}"
        )


def _ols_coefs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(x, y, rcond=None)[0]


def _mediation_point(
    xe: np.ndarray, m: np.ndarray, y: np.ndarray, covs: np.ndarray
) -> tuple[float, float, float, float]:
    ones = np.ones((len(y), 1))
    xa = np.column_stack([ones, xe, covs])
    a = _ols_coefs(xa, m)[1]
    xb = np.column_stack([ones, xe, m, covs])
    coef_b = _ols_coefs(xb, y)
    direct, b = coef_b[1], coef_b[2]
    total = _ols_coefs(xa, y)[1]
    return float(a), float(b), float(direct), float(total)


def mediation(
    data: pd.DataFrame,
    exposure: str,
    mediator: str,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
    *,
    level: float = 0.95,
) -> MediationResult:
    """Indirect effect of ``exposure`` on ``outcome`` through ``mediator`` (a*b), bootstrapped.

    Two OLS regressions, ``M = i1 + a X + C g1 + e1`` and ``Y = i2 + c' X + b M + C g2 + e2``;
    the indirect effect is ``a b`` and the total ``c = c' + a b`` (exactly, for OLS on the same
    rows). Intervals are percentile bootstrap intervals at ``level`` (Preacher & Hayes 2008);
    with ``cluster`` whole clusters (firms) are resampled, so repeated firm-years are not treated
    as independent (Field & Welsh 2007). SEs are the bootstrap SDs. For linear models this
    equals the ACME of Imai, Keele & Tingley (2010) as computed by
    ``statsmodels.stats.mediation.Mediation``. Categorical covariates enter as dummies.

    The causal reading needs no unmeasured confounding of X-M, X-Y and M-Y; with survey data
    this is an assumption, not a result.

    Parameters
    ----------
    data : DataFrame
        One row per unit; incomplete rows (in the model's columns) are dropped.
    exposure, mediator, outcome : str
        Numeric columns X, M and Y.
    covariates : sequence of str
        Adjustment columns entering both regressions.
    cluster : str, optional
        Resample whole clusters (firm ids) instead of rows; needs at least 10 clusters.
    n_boot : int
        Number of bootstrap replications.
    seed : int or None
        Seed of the bootstrap (None: fresh entropy).
    level : float
        Confidence level of the percentile intervals.

    Returns
    -------
    MediationResult
        ``to_frame()``: ``effect, estimate, se, ci_low, ci_high`` for a, b, direct, total,
        indirect and prop_mediated (``indirect / total``, no interval).

    References
    ----------
    Preacher, K. J. & Hayes, A. F. (2008). Asymptotic and resampling strategies for assessing
    and comparing indirect effects in multiple mediator models. *Behavior Research Methods*
    40(3), 879-891.
    Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69(3), 369-390.
    Imai, K., Keele, L. & Tingley, D. (2010). A general approach to causal mediation analysis.
    *Psychological Methods* 15(4), 309-334.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> d = pd.DataFrame({"ex": rng.normal(size=300)})
    >>> d["cx"] = 0.5 * d["ex"] + rng.normal(size=300)
    >>> d["growth"] = 0.4 * d["cx"] + rng.normal(size=300)
    >>> res = mediation(d, "ex", "cx", "growth", n_boot=200, seed=1)
    >>> round(res.indirect, 2)
    0.25
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    seed = check_seed(seed)
    covariates = list(covariates)
    cols = [exposure, mediator, outcome, *covariates]
    require_columns(data, cols + ([cluster] if cluster else []))
    require_numeric(data, [exposure, mediator, outcome])
    used = data[list(dict.fromkeys(cols + ([cluster] if cluster else [])))].dropna()
    if len(used) < len(covariates) + 4:
        raise DataError(f"mediation: only {len(used)} complete rows for columns {cols}")
    xe = used[exposure].to_numpy(float)
    m = used[mediator].to_numpy(float)
    y = used[outcome].to_numpy(float)
    cov_blocks = [np.zeros((len(used), 0))]
    for c in covariates:  # categorical covariates (industry, size band) enter as dummies
        if is_numeric_column(used[c]):
            cov_blocks.append(used[[c]].to_numpy(float))
        else:
            cov_blocks.append(treatment_dummies(used[c], c).to_numpy())
    covs = np.hstack(cov_blocks)
    a, b, direct, total = _mediation_point(xe, m, y, covs)
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, 4))
    if cluster:
        codes, uniq = pd.factorize(used[cluster])
        members = [np.flatnonzero(codes == k) for k in range(len(uniq))]
        if len(uniq) < 10:
            raise DataError(f"cluster {cluster!r}: {len(uniq)} clusters are too few to resample")
    for r in range(n_boot):
        if cluster:
            pick = rng.integers(0, len(members), len(members))
            idx = np.concatenate([members[k] for k in pick])
        else:
            idx = rng.integers(0, len(y), len(y))
        boot[r] = _mediation_point(xe[idx], m[idx], y[idx], covs[idx])
    ab_boot = boot[:, 0] * boot[:, 1]
    rows = {
        "a": (a, boot[:, 0]),
        "b": (b, boot[:, 1]),
        "direct": (direct, boot[:, 2]),
        "total": (total, boot[:, 3]),
        "indirect": (a * b, ab_boot),
    }
    lo_q, hi_q = tails(level)
    recs = []
    for name, (est, draws) in rows.items():
        lo, hi = np.quantile(draws, [lo_q, hi_q])
        recs.append(
            {
                "effect": name,
                "estimate": est,
                "se": float(np.std(draws, ddof=1)),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    prop = a * b / total if total != 0 else np.nan
    recs.append(
        {"effect": "prop_mediated", "estimate": prop, "se": np.nan, "ci_low": np.nan,
         "ci_high": np.nan}
    )
    return MediationResult(
        exposure=exposure,
        mediator=mediator,
        outcome=outcome,
        estimates=pd.DataFrame(recs),
        n_obs=len(used),
        n_boot=n_boot,
        cluster=cluster,
        boot_indirect=ab_boot,
        boot_draws=np.column_stack([boot, ab_boot]),
        level=level,
    )


# --------------------------------------------------------------------------------------------
# the latent-variable chain (SEM)
# --------------------------------------------------------------------------------------------

#: SLSQP stopping tolerance for the SEM fit. semopy's default (``ftol=1e-6``) stops where the
#: objective has flattened to six digits, which left the third decimal of the paths to the CPU's
#: floating-point kernels; 1e-12 on standardized inputs settles every printed digit.
SEM_FTOL = 1e-12


def sem_fit(data: pd.DataFrame, desc: str, *, name: str = "sem_fit") -> Any:
    """Fit a semopy model by maximum likelihood, settled to every printed digit.

    semopy's ``MLW`` objective (Wishart ML, as lavaan's ``ML``) minimised by SLSQP at
    ``ftol = SEM_FTOL`` (1e-12) with up to 100,000 iterations; an unconverged fit raises
    rather than returning the point where the optimiser stopped. Used by
    :func:`sem_service_profit_chain` and :func:`cxresearch.linkage.ri_clpm.ri_clpm`.

    Parameters
    ----------
    data : DataFrame
        The observed variables, one column each.
    desc : str
        The model in semopy's (lavaan-like) syntax.
    name : str
        The caller, named in the error.

    Returns
    -------
    semopy.Model
        The fitted model.

    Raises
    ------
    RuntimeError
        When the fit does not converge.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> d = pd.DataFrame({"x": x, "y": 0.5 * x + rng.normal(size=400)})
    >>> m = sem_fit(d, "y ~ x")
    >>> round(float(m.inspect().query("op == '~'")["Estimate"].iloc[0]), 2)
    0.5
    """
    import semopy

    model = semopy.Model(desc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(data, obj="MLW", solver="SLSQP",
                        options={"ftol": SEM_FTOL, "maxiter": 100_000})
    if not res.success:
        raise RuntimeError(f"{name}: the ML fit did not converge ({res.message})")
    return model


@dataclass(frozen=True, eq=False)
class SemChainResult(Result):
    """The latent-variable service-profit chain (:func:`sem_service_profit_chain`).

    Parameters
    ----------
    paths : DataFrame
        Rows ``a``, ``b``, ``direct`` and ``indirect``: ``path, estimate, se, ci_low, ci_high,
        p_value``, with the fit indices ``cfi, rmsea`` and ``n_obs`` repeated on each row;
        normal (Wald) intervals at ``level``.
    outcome : str
        The observed outcome Y.
    standardized : bool
        Completely standardized paths (True) or raw units (False).
    level : float
        Confidence level of the intervals in ``paths``.

    Returns
    -------
    SemChainResult
        ``to_frame()``, ``conf_int(level=)`` (recomputed at any level) and ``summary()``.

    Examples
    --------
    >>> paths = pd.DataFrame({"path": ["a"], "estimate": [0.5], "se": [0.1], "ci_low": [0.304],
    ...                       "ci_high": [0.696], "p_value": [0.0], "cfi": [1.0],
    ...                       "rmsea": [0.0], "n_obs": [100]})
    >>> SemChainResult(paths, "y", standardized=True).conf_int(0.9)[
    ...     ["ci_low", "ci_high"]].round(3).values.tolist()
    [[0.336, 0.664]]
    """

    paths: pd.DataFrame
    outcome: str
    standardized: bool = False
    level: float = 0.95

    def to_frame(self) -> pd.DataFrame:
        """One row per path: path, estimate, se, ci_low, ci_high, p_value, cfi, rmsea,
        n_obs."""
        return self.paths.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals ``estimate +- z se`` at ``level``: path, estimate, se, ci_low,
        ci_high, level."""
        lvl = check_level(level)
        z = z_crit(lvl)
        out = self.paths[["path", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - z * out["se"]
        out["ci_high"] = out["estimate"] + z * out["se"]
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """A line for the model and its fit, then one per path with its interval."""
        p = self.paths
        n_obs = int(p["n_obs"].iloc[0]) if len(p) else 0
        fit = (f"CFI {float(p['cfi'].iloc[0]):.3f}, RMSEA {float(p['rmsea'].iloc[0]):.3f}"
               if len(p) else "")
        units = "standardized" if self.standardized else "raw units"
        lines = [f"SEM EX -> CX -> {self.outcome} (n={n_obs}, {units}; {fit}; "
                 f"{100 * self.level:g}% CIs)"]
        for r in p.itertuples():
            lines.append(f"  {r.path}: {r.estimate:.4f} [{r.ci_low:.4f}, {r.ci_high:.4f}]")
        return "\n".join(lines)


def sem_service_profit_chain(
    data: pd.DataFrame,
    ex_items: Sequence[str],
    cx_items: Sequence[str],
    outcome: str,
    standardized: bool = False,
    *,
    level: float = 0.95,
) -> SemChainResult:
    """A latent-variable service-profit chain: EX =~ items, CX =~ items, EX -> CX -> Y.

    Model (lavaan syntax)::

        EX =~ ex_1 + ... ;  CX =~ cx_1 + ...
        CX ~ a*EX ;  Y ~ b*CX + c*EX ;  indirect := a*b

    What it adds over :func:`mediation` on averaged scores: the measurement error of the scale
    scores is modelled, so a and b are not attenuated by unreliability (Bollen 1989, *Structural
    Equations with Latent Variables*, ch. 5).

    How it is fitted, so that every printed digit is settled on any CPU:

    - the observed variables are z-scored first (maximum likelihood is scale-equivariant for this
      model, so nothing changes but the conditioning: survey means with variances near 0.04 and
      revenue growth with a variance near 20 make a badly scaled problem);
    - each factor is scaled by its first item (loading 1), the ML fit (semopy, ``MLW``) runs
      with SLSQP at ``ftol = SEM_FTOL`` (1e-12), and an unconverged fit raises;
    - the paths are then put back in the units asked for: ``standardized=True`` gives the
      completely standardized solution (lavaan's ``std.all``),
      ``a* = a sqrt(phi / var CX)``, ``b* = b sd(CX) / sd(Y)``, ``c* = c sd(EX) / sd(Y)``,
      with model-implied variances; ``standardized=False`` gives the paths in the raw units of
      the first items and the outcome;
    - standard errors come from the expected-information covariance of the parameters by the
      delta method (the same method as lavaan's ``standardizedSolution()``), so a standardized
      estimate always comes with a standardized SE. Intervals are normal (Wald) at ``level``.

    Checked against lavaan 0.6 (``sem()``, ``standardizedSolution()``) in the tests.

    Parameters
    ----------
    data : DataFrame
        One row per unit (firm, store), the item means and the outcome.
    ex_items, cx_items : sequence of str
        Indicators of EX and of CX (at least 2 each); the first item scales its factor.
    outcome : str
        The observed outcome Y.
    standardized : bool
        Completely standardized paths (True) or raw units (False).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    SemChainResult
        ``to_frame()``: rows ``a``, ``b``, ``direct`` and ``indirect`` with ``path, estimate,
        se, ci_low, ci_high, p_value``, the fit indices ``cfi, rmsea`` and ``n_obs`` repeated
        on each row; ``conf_int(level=)``, ``summary()``.

    References
    ----------
    Bollen, K. A. (1989). *Structural Equations with Latent Variables*. Wiley.
    Sobel, M. E. (1982). Asymptotic confidence intervals for indirect effects in structural
    equation models. *Sociological Methodology* 13, 290-312.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> n = 400
    >>> ex = rng.normal(size=n); cx = 0.6 * ex + rng.normal(scale=0.8, size=n)
    >>> y = 0.5 * cx + rng.normal(size=n)
    >>> d = pd.DataFrame({f"e{k}": ex + rng.normal(scale=0.6, size=n) for k in range(3)})
    >>> for k in range(3):
    ...     d[f"c{k}"] = cx + rng.normal(scale=0.6, size=n)
    >>> d["y"] = y
    >>> out = sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y").to_frame()
    >>> out.set_index("path").loc[["a", "b"], "estimate"].round(1).tolist()
    [0.6, 0.5]
    """
    import semopy
    from scipy import stats

    ex_items, cx_items = list(ex_items), list(cx_items)
    cols = [*ex_items, *cx_items, outcome]
    require_columns(data, cols)
    require_numeric(data, cols)
    if len(ex_items) < 2 or len(cx_items) < 2:
        raise DataError("sem_service_profit_chain: need at least 2 items for EX and for CX")
    level = check_level(level)
    rename = {c: f"v{i}" for i, c in enumerate(cols)}
    raw = data[cols].astype("float64").dropna()
    sd = raw.std(ddof=0)
    if (sd <= 0).any():
        raise DataError(f"sem_service_profit_chain: column(s) {list(sd.index[sd <= 0])} "
                        "do not vary")
    used = ((raw - raw.mean()) / sd).rename(columns=rename)
    y = rename[outcome]
    desc = (
        f"EX =~ {' + '.join(rename[c] for c in ex_items)}\n"
        f"CX =~ {' + '.join(rename[c] for c in cx_items)}\n"
        f"CX ~ p_a*EX\n{y} ~ p_b*CX + p_c*EX\n"
        f"EX ~~ p_phi*EX\nCX ~~ p_psic*CX\n{y} ~~ p_psiy*{y}\n"
    )
    model = sem_fit(used, desc, name="sem_service_profit_chain")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, fim_inv = model.calc_fim(inverse=True)
        fit_stats = semopy.calc_stats(model)
    active = [k for k, p in model.parameters.items() if p.active]
    idx = [active.index(k) for k in ("p_a", "p_b", "p_c", "p_phi", "p_psic", "p_psiy")]
    theta = np.asarray(model.param_vals, dtype=float)[idx]
    vcov = np.asarray(fim_inv, dtype=float)[np.ix_(idx, idx)]
    # raw units: factor EX in units of the first EX item, CX of the first CX item
    s_e, s_c, s_y = (float(sd[ex_items[0]]), float(sd[cx_items[0]]), float(sd[outcome]))

    def paths(t: np.ndarray) -> np.ndarray:
        a, b, c, phi, psic, psiy = t
        if standardized:
            var_cx = a * a * phi + psic
            var_y = b * b * var_cx + c * c * phi + 2 * b * c * a * phi + psiy
            a, b, c = (a * np.sqrt(phi / var_cx), b * np.sqrt(var_cx / var_y),
                       c * np.sqrt(phi / var_y))
        else:
            a, b, c = a * s_c / s_e, b * s_y / s_c, c * s_y / s_e
        return np.array([a, b, c, a * b])

    est = paths(theta)
    jac = np.empty((4, theta.size))
    for j in range(theta.size):  # central differences of a smooth closed form
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        jac[:, j] = (paths(up) - paths(down)) / (2 * h)
    se = np.sqrt(np.clip(np.diag(jac @ vcov @ jac.T), 0, None))
    z = z_crit(level)
    out = pd.DataFrame({"path": ["a", "b", "direct", "indirect"], "estimate": est, "se": se})
    out["ci_low"] = out["estimate"] - z * out["se"]
    out["ci_high"] = out["estimate"] + z * out["se"]
    out["p_value"] = np.where(out["se"] > 0,
                              2 * stats.norm.sf(np.abs(out["estimate"] / out["se"])), np.nan)
    out["cfi"] = float(fit_stats["CFI"].iloc[0])
    out["rmsea"] = float(fit_stats["RMSEA"].iloc[0])
    out["n_obs"] = len(used)
    return SemChainResult(paths=out, outcome=outcome, standardized=standardized, level=level)
