"""Power of the staggered event study, simulated fast enough to be trusted.

:func:`event_study_power_curve` simulates thousands of staggered-appointment panels at once
(vectorised across replications) and applies exactly the estimator of the analysis
(:func:`cxresearch.causal.did.event_study` with its window and comparison group, then
:meth:`~cxresearch.causal.did.EventStudyResult.overall`), with autocorrelated (AR(1)) firm-year
noise
and effects that may grow with time since the appointment. The replications of one panel
length are nested across panel sizes (the first n firms of the same draws; common random
numbers), so a curve moves only with the design, and each point carries its Monte-Carlo
band. The result is a :class:`PowerCurveResult`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.inference import wilson_interval
from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_level, check_n_boot, check_seed

__all__ = ["PowerCurveResult", "event_study_power_curve"]


@dataclass(frozen=True, eq=False)
class PowerCurveResult(Result):
    """Simulated power of the event study by panel size, with Monte-Carlo bands.

    Made by :func:`event_study_power_curve`.

    Parameters
    ----------
    table : DataFrame
        ``n_firms, n_years, power, mc_se, mc_low, mc_high, mean_estimate, mean_se, n_boot,
        n_failed``, one row per design (``mc_low, mc_high``: Wilson 95% band of the power).
    effect : float
        The effect at the appointment, in outcome units.
    level : float
        Confidence level of the event study's test (two-sided at ``1 - level``).
    n_boot : int
        Simulated studies per design.

    Returns
    -------
    PowerCurveResult
        ``to_frame()``, ``summary()``, ``conf_int(level)`` (the Monte-Carlo band of each power
        at ``level``).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22(158), 209-212.

    Examples
    --------
    >>> res = event_study_power_curve(0.2, n_firms=[50, 400], n_years=[6], n_boot=1000)
    >>> res.conf_int(0.9)[["ci_low", "ci_high"]].round(3).values.tolist()
    [[0.103, 0.137], [0.478, 0.53]]
    """

    table: pd.DataFrame
    effect: float
    level: float
    n_boot: int

    def to_frame(self) -> pd.DataFrame:
        """``n_firms, n_years, power, mc_se, mc_low, mc_high, mean_estimate, mean_se, n_boot,
        n_failed``."""
        return self.table.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``n_firms, n_years, power, ci_low, ci_high``: the Wilson interval of each power at
        ``level`` (at 0.95 the ``mc_low, mc_high`` band)."""
        check_level(level)
        out = self.table[["n_firms", "n_years", "power"]].copy()
        hits = np.rint(out["power"].to_numpy() * self.n_boot).astype(int)
        bands = [wilson_interval(int(h), self.n_boot, level) for h in hits]
        out["ci_low"] = [lo for lo, _ in bands]
        out["ci_high"] = [hi for _, hi in bands]
        return out

    def summary(self) -> str:
        """One line per panel length: the power at each number of firms."""
        parts = []
        for years, g in self.table.groupby("n_years", sort=False):
            cells = ", ".join(f"{p:.2f} at {n:,} firms" for n, p in zip(g["n_firms"], g["power"]))
            parts.append(f"{years} years: {cells}")
        return (f"power to detect an effect of {self.effect:g} ({self.n_boot:,} simulated "
                f"studies per design, test at {1 - self.level:.2g}): " + "; ".join(parts))


def _overall_from_stats(
    counts: np.ndarray, s: np.ndarray, m: np.ndarray, g_class: np.ndarray,
    window: tuple[int, int], control: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Post-period average of the event study and its analytic SE from sufficient statistics.

    Firms fall in classes (their appointment period ``g_class``, inf = never). Per replication
    and class: the count ``counts`` (R x K), the sum of the outcome vectors ``s`` (R x K x T)
    and of their outer products ``m`` (R x K x T x T). Every group-time mean of
    :func:`cxresearch.causal.did.event_study` is linear in ``s``, and the sum of squared influence
    functions is a quadratic form in ``m`` (each firm's influence function is ``A_k' y_i +
    B_k``, with ``A_k, B_k`` fixed by its class), so the estimate and its SE (cohort-size
    weights, G / (G - 1) correction, unit clusters, balanced panel) are exact.
    """
    r, k_cls, big_t = s.shape
    post = list(range(max(window[0], 0), window[1] + 1))
    n_tot = counts.sum(axis=1).astype(float)
    att = np.zeros((r, len(post)))
    mass = np.zeros((r, len(post)))
    cells = []
    for ic, c in enumerate(g_class):
        if not np.isfinite(c) or c - 1 < 0 or c - 1 >= big_t:
            continue
        c, b = int(c), int(c) - 1
        for k, e in enumerate(post):
            t = c + e
            if t >= big_t:
                continue
            if control == "not_yet_treated":
                ctrl = (g_class > max(t, b)) & (g_class != c)
            else:
                ctrl = ~np.isfinite(g_class)
            nt = counts[:, ic].astype(float)
            nc = counts[:, ctrl].sum(axis=1).astype(float)
            ok = (nt > 0) & (nc > 0)
            nt1, nc1 = np.where(ok, nt, 1.0), np.where(ok, nc, 1.0)
            mt = (s[:, ic, t] - s[:, ic, b]) / nt1
            mc = (s[:, ctrl, t] - s[:, ctrl, b]).sum(axis=1) / nc1
            w = np.where(ok, nt, 0.0)
            att[:, k] += w * (mt - mc)
            mass[:, k] += w
            cells.append((k, ic, ctrl, t, b, mt, mc, nt1, nc1, w))
    have = mass > 0
    mass1 = np.where(have, mass, 1.0)
    att = np.where(have, att / mass1, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        wts = have / have.sum(axis=1, keepdims=True)
    est = (wts * att).sum(axis=1)
    a_k = np.zeros((r, k_cls, big_t))
    b_k = np.zeros((r, k_cls))
    for k, ic, ctrl, t, b, mt, mc, nt1, nc1, w in cells:
        coef = np.nan_to_num(w * wts[:, k] / mass1[:, k])
        a_k[:, ic, t] += coef / nt1
        a_k[:, ic, b] -= coef / nt1
        b_k[:, ic] -= coef * mt / nt1
        a_k[:, ctrl, t] -= (coef / nc1)[:, None]
        a_k[:, ctrl, b] += (coef / nc1)[:, None]
        b_k[:, ctrl] += (coef * mc / nc1)[:, None]
    ss = (np.einsum("rks,rkst,rkt->r", a_k, m, a_k)
          + 2 * np.einsum("rk,rkt,rkt->r", b_k, a_k, s) + (counts * b_k**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.maximum(ss, 0.0) * n_tot / (n_tot - 1))
    none = ~have.any(axis=1)
    est[none] = np.nan
    se[none] = np.nan
    return est, se


def _stats_from_panel(y: np.ndarray, g: np.ndarray, g_class: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sufficient statistics of one balanced panel (units x periods) for
    :func:`_overall_from_stats` (replication axis of length 1)."""
    k_cls, big_t = len(g_class), y.shape[1]
    counts = np.zeros((1, k_cls))
    s = np.zeros((1, k_cls, big_t))
    m = np.zeros((1, k_cls, big_t, big_t))
    for k, c in enumerate(g_class):
        sel = (g == c) if np.isfinite(c) else ~np.isfinite(g)
        counts[0, k] = sel.sum()
        s[0, k] = y[sel].sum(axis=0)
        m[0, k] = y[sel].T @ y[sel]
    return counts, s, m


def _draw_stats(
    rng: np.random.Generator, r: int, n: int, mu: np.ndarray, prob: np.ndarray,
    chol: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw the sufficient statistics of ``r`` panels of ``n`` firms directly.

    Class counts are multinomial; within a class of ``n_k`` firms with mean path ``mu_k`` and
    noise covariance ``L L'``, the sum of deviations is ``E ~ N(0, n_k L L')`` and the
    within-class scatter ``Q ~ Wishart(n_k - 1, L L')`` independently (Bartlett
    decomposition, or explicit draws below ``T`` degrees of freedom), so
    ``S = n_k mu + E`` and ``M = n_k mu mu' + mu E' + E mu' + Q + E E' / n_k`` have exactly the
    distribution of sums over simulated firms.
    """
    k_cls, big_t = mu.shape
    counts = rng.multinomial(n, prob, size=r).astype(float)
    e = (rng.standard_normal((r, k_cls, big_t)) @ chol.T) * np.sqrt(counts)[:, :, None]
    df = np.maximum(counts - 1, 0)
    big = df >= big_t
    a = np.zeros((r, k_cls, big_t, big_t))
    low = np.tril_indices(big_t, -1)
    a[:, :, low[0], low[1]] = rng.standard_normal((r, k_cls, len(low[0])))
    chi = rng.chisquare(np.maximum(df[:, :, None] - np.arange(big_t), 1.0))
    a[:, :, np.arange(big_t), np.arange(big_t)] = np.sqrt(chi)
    gram = a @ np.swapaxes(a, -1, -2)
    for i, j in zip(*np.nonzero(~big)):
        z = rng.standard_normal((int(df[i, j]), big_t))
        gram[i, j] = z.T @ z
    q = chol @ gram @ chol.T
    s = counts[:, :, None] * mu[None] + e
    with np.errstate(invalid="ignore", divide="ignore"):
        ee = np.where(counts[:, :, None, None] > 0,
                      e[:, :, :, None] * e[:, :, None, :]
                      / np.maximum(counts, 1)[:, :, None, None], 0.0)
    mm = mu[None, :, :, None] * mu[None, :, None, :]
    cross = mu[None, :, :, None] * e[:, :, None, :]
    m = (counts[:, :, None, None] * mm + cross + np.swapaxes(cross, -1, -2) + q + ee)
    return counts, s, m


def event_study_power_curve(
    effect: float,
    n_firms: Sequence[int] = (100, 300, 1000, 3000),
    n_years: Sequence[int] = (5, 8),
    *,
    noise_sd: float = 1.0,
    rho: float = 0.5,
    effect_growth: float = 0.0,
    never_share: float = 0.3,
    window: tuple[int, int] = (-3, 3),
    control: str = "not_yet_treated",
    n_boot: int = 4000,
    level: float = 0.95,
    seed: int | None = 0,
) -> PowerCurveResult:
    """Power of the event study's post-period average, with Monte-Carlo bands.

    Each simulated study is a balanced staggered panel ``y_it = a_i + l_t + tau_i,t + u_it``
    with AR(1) noise ``u_it = rho u_i,t-1 + e_it`` (stationary SD ``noise_sd``), appointments
    in periods 2 .. n_years - 2 (a share ``never_share`` never appoints) and an effect
    ``effect + effect_growth * e`` for e >= 0 periods since appointment. Unit and period effects
    cancel exactly in every group-time difference in differences, so they are not drawn. The
    estimator is the analysis's: :func:`cxresearch.causal.did.event_study` with ``window`` and
    ``control``, then the post-period average and its analytic (influence-function) SE, here
    computed for all replications at once from each class's sufficient statistics, which are
    drawn from their exact distribution (no firm-level draws; a test checks the estimator
    against :func:`event_study` to 1e-10 and the draws against firm-level simulation). The
    effect is detected when ``|estimate / se| > z_{(1 + level)/2}``. Power is the
    detection rate over ``n_boot`` replications; ``mc_low, mc_high`` is its Wilson 95% interval
    (the Monte-Carlo band). Designs with the same ``n_years`` share their replications (the
    first ``n_firms`` firms of the same draws), so the curve over firms is monotone up to that
    error.

    Parameters
    ----------
    effect : float
        Effect at the appointment, in outcome units.
    n_firms, n_years : sequence of int
        Panel sizes.
    noise_sd : float
        Stationary SD of the firm-year noise.
    rho : float
        AR(1) coefficient of the noise (0 = independent).
    effect_growth : float
        Growth of the effect per period since the appointment.
    never_share : float
        Share of firms that never appoint.
    window : (int, int)
        Event-time window of the analysis (default ``(-3, 3)``, as in notebook 11).
    control : {"not_yet_treated", "never_treated"}
        Comparison group of the analysis.
    n_boot : int
        Simulated studies per design.
    level : float
        Confidence level of the test (two-sided at ``1 - level``).
    seed : int or None
        Seed of the draws.

    Returns
    -------
    PowerCurveResult
        ``to_frame()``: ``n_firms, n_years, power, mc_se, mc_low, mc_high, mean_estimate,
        mean_se, n_boot, n_failed``.

    References
    ----------
    Callaway, B. & Sant'Anna, P. H. C. (2021). *J. Econometrics* 225(2), 200-230.
    Morris, T. P., White, I. R. & Crowther, M. J. (2019). Using simulation studies to evaluate
    statistical methods. *Statistics in Medicine* 38(11), 2074-2102.
    Bertrand, M., Duflo, E. & Mullainathan, S. (2004). How much should we trust
    differences-in-differences estimates? *QJE* 119(1), 249-275.

    Examples
    --------
    >>> out = event_study_power_curve(0.2, n_firms=[50, 400], n_years=[6], n_boot=1000).to_frame()
    >>> out[["n_firms", "power", "mc_low", "mc_high"]].round(3).to_dict("list")
    {'n_firms': [50, 400], 'power': [0.119, 0.504], 'mc_low': [0.1, 0.473],
     'mc_high': [0.141, 0.535]}
    """
    from scipy import stats

    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=2)
    if control not in {"not_yet_treated", "never_treated"}:
        raise DataError(f"control must be 'not_yet_treated' or 'never_treated', got {control!r}")
    if not -1 < rho < 1:
        raise DataError(f"rho must be in (-1, 1), got {rho}")
    if not (np.isfinite(effect) and noise_sd > 0):
        raise DataError(f"effect ({effect}) must be finite and noise_sd ({noise_sd}) > 0")
    firms = sorted({int(f) for f in n_firms})
    if firms[0] < 4:
        raise DataError(f"n_firms must be >= 4, got {firms[0]}")
    z = stats.norm.ppf((1 + level) / 2)
    rng = np.random.default_rng(check_seed(seed))
    recs = []
    for big_t in [int(t) for t in n_years]:
        if big_t < 4:
            raise DataError(f"n_years must be >= 4, got {big_t}")
        cohorts = np.arange(2, max(big_t - 1, 3)).astype(float)
        g_class = np.append(cohorts, np.inf)
        prob = np.append(np.full(len(cohorts), (1 - never_share) / len(cohorts)), never_share)
        tt = np.arange(big_t)
        mu = np.zeros((len(g_class), big_t))
        for k, c in enumerate(cohorts):
            ev = tt - c
            mu[k] = np.where(ev >= 0, effect + effect_growth * np.maximum(ev, 0), 0.0)
        sigma = noise_sd**2 * rho ** np.abs(tt[:, None] - tt[None, :])
        chol = np.linalg.cholesky(sigma)
        # nested designs: the first n_firms firms of the same draws (blocks of new firms)
        counts = np.zeros((n_boot, len(g_class)))
        s = np.zeros((n_boot, len(g_class), big_t))
        m = np.zeros((n_boot, len(g_class), big_t, big_t))
        prev = 0
        for f in firms:
            dc, ds, dm = _draw_stats(rng, n_boot, f - prev, mu, prob, chol)
            counts, s, m = counts + dc, s + ds, m + dm
            prev = f
            est, se = _overall_from_stats(counts, s, m, g_class, window, control)
            ok = np.isfinite(est) & np.isfinite(se) & (se > 0)
            hits = int(np.sum(np.abs(est[ok] / se[ok]) > z))
            p = hits / n_boot
            lo, hi = wilson_interval(hits, n_boot)
            recs.append({"n_firms": f, "n_years": big_t, "power": p,
                         "mc_se": float(np.sqrt(p * (1 - p) / n_boot)), "mc_low": lo,
                         "mc_high": hi, "mean_estimate": float(np.mean(est[ok])),
                         "mean_se": float(np.mean(se[ok])), "n_boot": n_boot,
                         "n_failed": int((~ok).sum())})
    return PowerCurveResult(pd.DataFrame(recs), effect=float(effect), level=level,
                            n_boot=n_boot)
