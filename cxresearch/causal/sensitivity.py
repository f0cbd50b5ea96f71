"""Sensitivity of an event study to violations of parallel trends (Rambachan & Roth 2023).

An event study estimates ``beta = tau + delta``: the effects ``tau`` (zero before the
appointment) plus a bias ``delta`` from differential trends. Parallel trends says
``delta = 0``; Rambachan & Roth replace it by a set ``Delta`` the bias may lie in and report a
confidence set for ``theta = l' tau_post`` that is valid for every ``delta`` in ``Delta``:

- :func:`honest_intervals` -- robust intervals over a range of ``M`` (a
  :class:`SensitivityResult`) for

  - ``method="smoothness"``: ``Delta^SD(M)``, the bias's second differences are at most ``M``
    (a linear pre-trend is allowed to continue; ``M`` bounds how far it may bend per period),
    with the optimal fixed-length confidence interval (FLCI; Armstrong & Kolesar 2018);
  - ``method="relative_magnitude"``: ``Delta^RM(Mbar)``, no post-period change in the bias is
    larger than ``Mbar`` times the largest pre-period change, with the conditional /
    least-favourable hybrid test (C-LF; Andrews, Roth & Pakes 2023) inverted over ``theta``;
  - and the original interval under exact parallel trends (``method="original"``);
- :func:`event_study_sensitivity` -- the same from a
  :class:`cxresearch.causal.did.EventStudyResult`.

Both robust methods are the defaults of the R package ``HonestDiD``
(``createSensitivityResults`` and ``createSensitivityResults_relativeMagnitudes``); the tests
pin them against its Python port ``honestdid`` 0.1.1. Where HonestDiD simulates (the folded
normal quantile of the FLCI, 10^6 draws) this module computes the quantile exactly, and where
HonestDiD tests a grid of 1,000 values of ``theta`` this module finds the interval's ends by
bisection to 1e-9 standard errors.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_level, check_seed

__all__ = ["SensitivityResult", "event_study_sensitivity", "honest_intervals"]

_METHODS = ("relative_magnitude", "smoothness")
#: normal draws of the least-favourable critical value (HonestDiD draws 1,000)
LF_DRAWS = 20_000
#: the end of a robust interval is located to this many standard errors of theta
ENDPOINT_TOL = 1e-9


# ----------------------------------------------------------------------------------------
# input checks
# ----------------------------------------------------------------------------------------

def _as_inputs(betahat: Any, sigma: Any, num_pre: Any, num_post: Any, l_vec: Any
               ) -> tuple[np.ndarray, np.ndarray, int, int, np.ndarray]:
    for name, v in (("num_pre", num_pre), ("num_post", num_post)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name} must be an int, got {type(v).__name__}")
    num_pre, num_post = int(num_pre), int(num_post)
    if num_pre < 1 or num_post < 1:
        raise DataError(f"need num_pre >= 1 and num_post >= 1, got {num_pre} and {num_post}")
    b = np.asarray(betahat, dtype=float)
    if b.ndim != 1:
        raise DataError(f"betahat must be a vector, got shape {b.shape}")
    if len(b) != num_pre + num_post:
        raise DataError(f"betahat has {len(b)} entries but num_pre + num_post = "
                        f"{num_pre} + {num_post} = {num_pre + num_post}")
    s = np.asarray(sigma, dtype=float)
    if s.ndim != 2 or s.shape[0] != s.shape[1]:
        raise DataError(f"sigma must be a square matrix, got shape {s.shape}")
    if s.shape[0] != len(b):
        raise DataError(f"sigma is {s.shape[0]} x {s.shape[1]} but betahat has {len(b)} entries")
    bad = np.flatnonzero(~np.isfinite(b))
    if bad.size:
        raise DataError(f"betahat: non-finite values at positions {bad[:5].tolist()}")
    if not np.isfinite(s).all():
        raise DataError("sigma: non-finite values")
    scale = max(float(np.max(np.abs(s))), 1e-300)
    if np.max(np.abs(s - s.T)) > 1e-10 * scale:
        raise DataError(f"sigma is not symmetric (largest asymmetry {np.max(np.abs(s - s.T)):.3g})")
    s = (s + s.T) / 2
    eig = float(np.linalg.eigvalsh(s).min())
    if eig < -1e-10 * scale:
        raise DataError(f"sigma is not positive semi-definite (smallest eigenvalue {eig:.3g})")
    if l_vec is None:
        lv = np.zeros(num_post)
        lv[0] = 1.0
    else:
        lv = np.asarray(l_vec, dtype=float).ravel()
        if len(lv) != num_post:
            raise DataError(f"l_vec has {len(lv)} entries but num_post = {num_post}")
        if not np.isfinite(lv).all() or not np.any(lv != 0):
            raise DataError("l_vec must be finite and not all zero")
    post = s[num_pre:, num_pre:]
    if float(lv @ post @ lv) <= 0:
        raise DataError("l_vec' sigma_post l_vec must be positive (theta has no sampling variance)")
    return b, s, num_pre, num_post, lv


def _as_grid(grid: Any, method: str, b: np.ndarray, s: np.ndarray, num_pre: int,
             num_post: int) -> np.ndarray:
    if grid is None:
        if method == "relative_magnitude":
            return np.array([0.0, 0.5, 1.0, 1.5, 2.0])
        return _default_sd_grid(b, s, num_pre)
    g = np.atleast_1d(np.asarray(grid, dtype=float))
    if g.ndim != 1 or g.size == 0:
        raise DataError("grid must be a non-empty sequence of numbers")
    bad = np.flatnonzero(~np.isfinite(g) | (g < 0))
    if bad.size:
        raise DataError(f"grid: values must be finite and >= 0; bad at positions "
                        f"{bad[:5].tolist()}")
    return g


def _default_sd_grid(b: np.ndarray, s: np.ndarray, num_pre: int) -> np.ndarray:
    """HonestDiD's default M grid: 10 points from 0 to an upper bound from the pre-periods.

    The bound is the largest one-sided 95% upper confidence limit of the pre-period second
    differences (``DeltaSD_upperBound_Mpre``); with one pre-period, its standard error.
    """
    from scipy import stats

    if num_pre == 1:
        return np.linspace(0, math.sqrt(s[0, 0]), 10)
    aug = np.zeros((num_pre - 1, num_pre + 1))
    for r in range(num_pre - 1):
        aug[r, r:r + 3] = [1.0, -2.0, 1.0]
    a = np.delete(aug, num_pre, axis=1)
    a = np.vstack([a, -a])
    se = np.sqrt(np.diag(a @ s[:num_pre, :num_pre] @ a.T))
    ub = float(np.max(a @ b[:num_pre] + stats.norm.ppf(0.95) * se))
    return np.linspace(0, max(ub, 0.0), 10)


# ----------------------------------------------------------------------------------------
# smoothness: the optimal fixed-length confidence interval
# ----------------------------------------------------------------------------------------

def _folded_normal_quantile(t: float, alpha: float) -> float:
    """``cv_alpha(t)``: the 1 - alpha quantile of ``|N(t, 1)|`` (exact, by root finding)."""
    from scipy import optimize, stats

    t = abs(float(t))
    z1, z2 = stats.norm.ppf(1 - alpha), stats.norm.ppf(1 - alpha / 2)

    def f(c: float) -> float:
        return float(stats.norm.cdf(c - t) - stats.norm.cdf(-c - t) - (1 - alpha))

    lo, hi = max(z2, t + z1) - 1e-9, t + z2 + 1e-9
    if f(lo) >= 0:
        return lo
    return float(optimize.brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def _folded_normal_slope(c: float, t: float) -> float:
    """``d cv / d t`` by the implicit function theorem."""
    from scipy import stats

    a, b = stats.norm.pdf(c - t), stats.norm.pdf(c + t)
    return float((a - b) / (a + b))


def _sd_parts(num_pre: int, num_post: int, l_vec: np.ndarray) -> tuple[float, float]:
    """Constant of the worst-case bias and the weight target of the FLCI (RR 2023, App. B)."""
    s = np.arange(1, num_post + 1)
    target = float(s @ l_vec)
    const = sum(abs(float(np.arange(1, k + 1) @ l_vec[num_post - k:]))
                for k in range(1, num_post + 1)) - target
    return const, target


def _sd_bias_sd(v_pre: np.ndarray, sigma: np.ndarray, num_pre: int, num_post: int,
                l_vec: np.ndarray) -> tuple[float, float]:
    """Worst-case bias per unit of M, and the SD, of the estimator ``v_pre' b_pre + l' b_post``.

    The bias is finite only if the estimator is unbiased for a linear trend,
    ``sum_t t v_pre,t + sum_s s l_s = 0`` (pre-periods at t = -num_pre..-1).
    """
    const, target = _sd_parts(num_pre, num_post, l_vec)
    w = np.cumsum(v_pre)
    if abs(w.sum() - target) > 1e-9 * max(1.0, abs(target)):
        return math.inf, math.nan
    v = np.concatenate([v_pre, l_vec])
    bias = const + float(np.abs(np.cumsum(w)).sum())
    return bias, math.sqrt(max(float(v @ sigma @ v), 0.0))


def _flci(b: np.ndarray, s: np.ndarray, num_pre: int, num_post: int, l_vec: np.ndarray,
          m: float, alpha: float) -> tuple[float, float, np.ndarray, float]:
    """The optimal FLCI for ``l' tau_post`` under ``Delta^SD(m)``.

    Minimises the half-length ``chi(v) = sd(v) cv_alpha(m bias(v) / sd(v))`` over affine
    estimators ``v' betahat`` with finite worst-case bias (Armstrong & Kolesar 2018; RR 2023,
    section 4.1). In HonestDiD's parametrisation ``w = cumsum(v_pre)`` with ``sum(w) = sum_s s
    l_s`` and ``bias = m (const + sum_k |cumsum(w)_k|)``, the problem is convex (the perspective
    of the convex, increasing ``cv_alpha`` of a convex bias and a convex SD), solved with SLSQP on
    ``(u, w)``, ``|cumsum(w)| <= u``, from the minimum-bias estimator.

    Returns ``(ci_low, ci_high, v, half_length)``.
    """
    from scipy import optimize

    k = num_pre
    const, target = _sd_parts(num_pre, num_post, l_vec)
    lower = np.tril(np.ones((k, k)))
    diff = np.eye(k) - np.eye(k, k=-1)  # v_pre = diff @ w
    s_pp, s_pq = s[:k, :k], s[:k, k:]
    scale = math.sqrt(float(l_vec @ s[k:, k:] @ l_vec))

    def sd_and_grad(w: np.ndarray) -> tuple[float, np.ndarray]:
        vp = diff @ w
        var = float(vp @ s_pp @ vp + 2 * vp @ s_pq @ l_vec + l_vec @ s[k:, k:] @ l_vec)
        sd = math.sqrt(max(var, 1e-300))
        return sd, diff.T @ (s_pp @ vp + s_pq @ l_vec) / sd

    def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
        u, w = x[:k], x[k:]
        sd, dsd = sd_and_grad(w)
        bias = m * (const + u.sum())
        t = bias / sd
        c = _folded_normal_quantile(t, alpha)
        slope = _folded_normal_slope(c, t)
        grad = np.concatenate([np.full(k, m * slope), (c - t * slope) * dsd])
        return sd * c / scale, grad / scale

    w0 = np.zeros(k)
    w0[-1] = target
    x0 = np.concatenate([np.abs(lower @ w0), w0])
    cons = [
        {"type": "ineq", "fun": lambda x: np.concatenate([x[:k] - lower @ x[k:],
                                                         x[:k] + lower @ x[k:]]),
         "jac": lambda x: np.block([[np.eye(k), -lower], [np.eye(k), lower]])},
        {"type": "eq", "fun": lambda x: np.array([x[k:].sum() - target]),
         "jac": lambda x: np.concatenate([np.zeros(k), np.ones(k)])[None, :]},
    ]
    res = optimize.minimize(objective, x0, jac=True, method="SLSQP", constraints=cons,
                            options={"ftol": 1e-15, "maxiter": 1000})
    w = res.x[k:]
    w[-1] += target - w.sum()  # exact on the equality constraint
    v_pre = diff @ w
    bias, sd = _sd_bias_sd(v_pre, s, num_pre, num_post, l_vec)
    half = sd * _folded_normal_quantile(m * bias / sd if m > 0 else 0.0, alpha)
    # the minimum-bias estimator is feasible: never do worse than the start
    b0, sd0 = _sd_bias_sd(diff @ w0, s, num_pre, num_post, l_vec)
    half0 = sd0 * _folded_normal_quantile(m * b0 / sd0 if m > 0 else 0.0, alpha)
    if half0 < half:
        v_pre, half = diff @ w0, half0
    v = np.concatenate([v_pre, l_vec])
    centre = float(v @ b)
    return centre - half, centre + half, v, half


# ----------------------------------------------------------------------------------------
# relative magnitudes: the conditional / least-favourable hybrid test
# ----------------------------------------------------------------------------------------

def _rm_constraints(num_pre: int, num_post: int, mbar: float, s: int, max_positive: bool
                    ) -> np.ndarray:
    """Rows ``A`` of ``Delta^RM_{s,sign}(mbar) = {delta: A delta <= 0}`` (HonestDiD's layout).

    With ``delta_0 = 0`` at the reference period: every first difference before it is at most
    the (signed) difference ``delta_s - delta_{s-1}``, and every post-period first difference
    at most ``mbar`` times it. ``Delta^RM(mbar)`` is the union over s = -(num_pre-1)..0 and the
    two signs.
    """
    total = num_pre + num_post
    atilde = np.zeros((total, total + 1))
    for r in range(total):
        atilde[r, r], atilde[r, r + 1] = -1.0, 1.0
    vmax = np.zeros(total + 1)
    idx = num_pre + s - 1
    vmax[idx], vmax[idx + 1] = -1.0, 1.0
    if not max_positive:
        vmax = -vmax
    ub = np.vstack([np.tile(vmax, (num_pre, 1)), np.tile(mbar * vmax, (num_post, 1))])
    a = np.vstack([atilde - ub, -atilde - ub])
    a = a[np.sum(a**2, axis=1) > 1e-10]
    return np.delete(a, num_pre, axis=1)


def _dual_vertices(sd: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Vertices of ``{lam >= 0, sd' lam = 1, x' lam = 0}``, one per row.

    ``eta(y) = min_{eta, d} {eta : y - x d <= eta sd}`` equals ``max_v v' y`` over them (LP
    duality), so the test statistic, its argmax and the conditioning interval of Andrews, Roth &
    Pakes (2023) are exact for every ``y`` once the vertices are known.
    """
    m, k = x.shape
    eq = np.vstack([sd[None, :], x.T])  # (k+1) x m
    rhs = np.zeros(k + 1)
    rhs[0] = 1.0
    n_sub = sum(math.comb(m, r) for r in range(1, min(k + 1, m) + 1))
    if n_sub > 2_000_000:
        raise DataError(f"relative_magnitude: {m} moments and {k} nuisance directions are too "
                        "many to enumerate; use fewer post-periods")
    out = []
    for r in range(1, min(k + 1, m) + 1):
        for sub in itertools.combinations(range(m), r):
            e = eq[:, sub]
            if np.linalg.matrix_rank(e, tol=1e-10) < r:
                continue
            lam, *_ = np.linalg.lstsq(e, rhs, rcond=None)
            if np.max(np.abs(e @ lam - rhs)) > 1e-9 or np.min(lam) <= 1e-12:
                continue
            v = np.zeros(m)
            v[list(sub)] = lam
            out.append(v)
    if not out:
        return np.zeros((0, m))
    v = np.array(out)
    # the same vertex can come from supports of different sizes only if degenerate: dedupe
    _, keep = np.unique(np.round(v, 12), axis=0, return_index=True)
    return v[np.sort(keep)]


class _RMTest:
    """The C-LF test of ``theta = l' tau_post`` under one ``Delta^RM_{s,sign}(mbar)``."""

    def __init__(self, b: np.ndarray, sigma: np.ndarray, num_pre: int, num_post: int,
                 l_vec: np.ndarray, a: np.ndarray, alpha: float, kappa: float) -> None:
        post = a[:, num_pre:]
        rows = np.flatnonzero(np.any(post != 0, axis=1))  # post-period moments only
        a = a[rows]
        post = post[rows]
        # theta = l' tau: tau = l theta / l'l + N nu with N spanning the null space of l'
        null = np.linalg.svd(l_vec[None, :])[2][1:].T
        self.a1 = post @ l_vec / float(l_vec @ l_vec)
        self.x = post @ null  # nuisance directions (m x num_post-1)
        self.y0 = a @ b
        self.sig = a @ sigma @ a.T
        self.sd = np.sqrt(np.clip(np.diag(self.sig), 0, None))
        self.verts = _dual_vertices(self.sd, self.x)
        self.cap = num_post > 1  # HonestDiD caps the truncation at lf_cv with nuisances only
        self.alpha_tilde = (alpha - kappa) / (1 - kappa)
        self.kappa = kappa
        self.lf_cv = math.nan

    def set_lf_cv(self, normals: np.ndarray) -> None:
        """``lf_cv``: the 1 - kappa quantile of ``eta`` at ``y ~ N(0, sig)`` (ARP 2023, 6.2)."""
        val, vec = np.linalg.eigh(self.sig)
        root = vec * np.sqrt(np.clip(val, 0, None))
        xi = normals[:, : len(val)] @ root.T
        eta = (xi @ self.verts.T).max(axis=1) if len(self.verts) else np.full(len(xi), -np.inf)
        self.lf_cv = float(np.quantile(eta, 1 - self.kappa))

    def accepts(self, theta: np.ndarray) -> np.ndarray:
        """True where ``theta`` is not rejected (vectorised over theta)."""
        from scipy import stats

        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        n = len(theta)
        if len(self.verts) == 0:  # the LP is unbounded below: nothing to reject
            return np.ones(n, dtype=bool)
        y = self.y0[None, :] - theta[:, None] * self.a1[None, :]
        vals = y @ self.verts.T  # (G, V)
        best = vals.argmax(axis=1)
        eta = vals[np.arange(n), best]
        gam = self.verts[best]  # (G, m)
        sg = gam @ self.sig  # Sigma gamma
        var_b = np.einsum("gm,gm->g", sg, gam)
        degenerate = var_b < np.finfo(float).eps
        var_safe = np.where(degenerate, 1.0, var_b)
        bvec = sg / var_safe[:, None]
        s_t = y - bvec * eta[:, None]
        num = s_t @ self.verts.T  # (G, V)
        den = 1.0 - bvec @ self.verts.T
        pos, neg = den > 1e-10, den < -1e-10
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / den
        vlo = np.where(pos, ratio, -np.inf).max(axis=1)
        vup = np.where(neg, ratio, np.inf).min(axis=1)
        sig_b = np.sqrt(var_safe)
        zlo = vlo / sig_b
        zup = (np.minimum(vup, self.lf_cv) if self.cap else vup) / sig_b
        stat = eta / sig_b
        inside = (zlo <= stat) & (stat <= zup)
        q = np.full(n, np.nan)
        flat = inside & (zlo >= zup)
        q[flat] = zlo[flat]
        free = inside & np.isinf(zlo) & np.isinf(zup) & ~flat
        q[free] = stats.norm.ppf(1 - self.alpha_tilde)
        rest = inside & ~flat & ~free
        if rest.any():
            q[rest] = stats.truncnorm.ppf(1 - self.alpha_tilde, zlo[rest], zup[rest])
        reject = inside & (stat > np.maximum(0.0, q))
        reject = np.where(degenerate, eta > 0, reject)
        reject |= eta > self.lf_cv  # the least-favourable first stage
        return ~reject


def _rm_tests(b: np.ndarray, s: np.ndarray, num_pre: int, num_post: int, l_vec: np.ndarray,
              mbar: float, alpha: float) -> list[_RMTest]:
    kappa = alpha / 10
    return [_RMTest(b, s, num_pre, num_post, l_vec,
                    _rm_constraints(num_pre, num_post, mbar, si, sign), alpha, kappa)
            for si in range(-(num_pre - 1), 1) for sign in (True, False)]


def _union_interval(accepts: Any, centre: float, width: float, scale: float,
                    n_grid: int = 1001) -> tuple[float, float]:
    """Smallest and largest accepted ``theta``: a grid, widened until its ends reject, then
    finer grids between the outermost accepted point and its rejected neighbour."""
    lo, hi = centre - width, centre + width
    for _ in range(40):
        grid = np.linspace(lo, hi, n_grid)
        acc = accepts(grid)
        if not acc.any():
            return math.nan, math.nan
        if acc[0] or acc[-1]:
            if acc[0]:
                lo = centre - 2 * (centre - lo)
            if acc[-1]:
                hi = centre + 2 * (hi - centre)
            continue
        break
    else:
        return -math.inf if acc[0] else math.nan, math.inf if acc[-1] else math.nan
    i, j = int(np.argmax(acc)), int(len(acc) - 1 - np.argmax(acc[::-1]))

    def refine(out: float, inn: float) -> float:
        # the outermost accepted point of ever finer grids between a rejected and an
        # accepted point (the accepted set need not be an interval)
        while abs(inn - out) > ENDPOINT_TOL * scale:
            pts = np.linspace(out, inn, 101)
            ok = accepts(pts)
            first = int(np.argmax(ok))  # pts[-1] = inn is accepted
            out, inn = pts[first - 1], pts[first]
        return inn

    return refine(grid[i - 1], grid[i]), refine(grid[j + 1], grid[j])


def _rm_interval(b: np.ndarray, s: np.ndarray, num_pre: int, num_post: int,
                 l_vec: np.ndarray, mbar: float, alpha: float, normals: np.ndarray,
                 lf_cvs: Sequence[float] | None = None) -> tuple[float, float]:
    tests = _rm_tests(b, s, num_pre, num_post, l_vec, mbar, alpha)
    for i, t in enumerate(tests):
        if lf_cvs is None:
            t.set_lf_cv(normals)
        else:
            t.lf_cv = float(lf_cvs[i])

    def accepts(theta: np.ndarray) -> np.ndarray:
        acc = np.zeros(len(np.atleast_1d(theta)), dtype=bool)
        for t in tests:
            acc |= t.accepts(theta)
        return acc

    sd_theta = math.sqrt(float(l_vec @ s[num_pre:, num_pre:] @ l_vec))
    centre = float(l_vec @ b[num_pre:])
    pre_jump = float(np.max(np.abs(np.diff(np.concatenate([b[:num_pre], [0.0]])))))
    width = 20 * sd_theta + mbar * pre_jump * float(np.abs(l_vec) @ np.arange(1, num_post + 1))
    return _union_interval(accepts, centre, width, sd_theta)


def _normals(n_moments: int, seed: int | None) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((LF_DRAWS, n_moments))


# ----------------------------------------------------------------------------------------
# public API
# ----------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SensitivityResult(Result):
    """Rambachan-Roth robust intervals over a grid of ``M`` (or ``Mbar``), with the original.

    Made by :func:`honest_intervals` and :func:`event_study_sensitivity`; keeps its inputs, so
    :meth:`conf_int` can recompute the intervals at another level.

    Parameters
    ----------
    intervals : DataFrame
        ``method, m, ci_low, ci_high``: the original interval, then one row per grid value.
    method : str
        ``"relative_magnitude"`` or ``"smoothness"``.
    level : float
        Confidence level of ``intervals``.
    betahat, sigma : ndarray
        The event-study coefficients (reference period excluded) and their covariance.
    num_pre, num_post : int
        Pre- and post-period coefficients.
    l_vec : ndarray
        Weights of the target on the post-period effects.
    seed : int or None
        Seed of the least-favourable critical value.

    Returns
    -------
    SensitivityResult
        ``to_frame()``, ``summary()``, ``conf_int(level)``, ``breakdown()``.

    References
    ----------
    Rambachan, A. & Roth, J. (2023). A more credible approach to parallel trends. *Review of
    Economic Studies* 90(5), 2555-2591.

    Examples
    --------
    >>> b = [0.05, 0.02, 1.0, 1.2]
    >>> v = np.diag([0.01, 0.01, 0.01, 0.02])
    >>> r = honest_intervals(b, v, num_pre=2, num_post=2, method="smoothness", grid=[0, 0.1])
    >>> r.conf_int(0.9)["ci_low"].round(3).tolist(), r.breakdown()
    ([0.836, 0.844, 0.75], nan)
    """

    intervals: pd.DataFrame
    method: str
    level: float
    betahat: np.ndarray = field(repr=False)
    sigma: np.ndarray = field(repr=False)
    num_pre: int
    num_post: int
    l_vec: np.ndarray = field(repr=False)
    seed: int | None = 0

    def to_frame(self) -> pd.DataFrame:
        """``method, m, ci_low, ci_high``: the original interval, then one row per grid value."""
        return self.intervals.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``method, m, ci_low, ci_high`` at ``level`` (recomputed unless it is the fitted one)."""
        level = check_level(level)
        if level == self.level:
            return self.to_frame()
        grid = self.intervals.loc[self.intervals["method"] != "original", "m"].to_numpy()
        return honest_intervals(self.betahat, self.sigma, num_pre=self.num_pre,
                                num_post=self.num_post, method=self.method, grid=list(grid),
                                level=level, l_vec=self.l_vec, seed=self.seed).to_frame()

    def breakdown(self) -> float:
        """The smallest ``m`` on the grid whose robust interval includes 0 (NaN if none).

        The "breakdown value" of Rambachan & Roth (2023, section 6); its resolution is the
        grid's.
        """
        return _breakdown_m(self.intervals)

    def summary(self) -> str:
        """One line: the original interval, the robust ones at the ends of the grid, and the
        breakdown value."""
        rows = list(self.intervals.itertuples())
        orig, rob = rows[0], rows[1:]
        text = (f"{self.method} sensitivity at {100 * self.level:g}%: original "
                f"[{orig.ci_low:.3f}, {orig.ci_high:.3f}]")
        if rob:
            text += "; " + ", ".join(f"m = {r.m:g}: [{r.ci_low:.3f}, {r.ci_high:.3f}]"
                                     for r in (rob[0], rob[-1]))
        bd = self.breakdown()
        return text + ("; no grid value covers 0" if math.isnan(bd)
                       else f"; breakdown m = {bd:g}")


def honest_intervals(
    betahat: Any,
    sigma: Any,
    *,
    num_pre: int,
    num_post: int,
    method: str = "relative_magnitude",
    grid: Sequence[float] | None = None,
    level: float = 0.95,
    l_vec: Sequence[float] | None = None,
    seed: int | None = 0,
) -> SensitivityResult:
    """Confidence intervals for an event-study effect robust to non-parallel trends.

    ``betahat`` stacks the ``num_pre`` pre-period and ``num_post`` post-period event-study
    coefficients (earliest first, reference period left out) with covariance ``sigma``;
    ``beta = tau + delta`` where ``tau_pre = 0`` and ``delta`` is the bias from differential
    trends (Rambachan & Roth 2023). The target is ``theta = l' tau_post``.

    - ``method="smoothness"``: ``delta`` in ``Delta^SD(M) = {|(delta_{t+1} - delta_t) -
      (delta_t - delta_{t-1})| <= M}`` (with ``delta_0 = 0`` at the reference). The interval
      is the optimal fixed-length confidence interval (FLCI) ``v' betahat +- chi``, minimising
      over affine estimators ``chi = sd(v) cv_alpha(M bias(v) / sd(v))``, where ``cv_alpha(t)``
      is the 1 - alpha quantile of ``|N(t, 1)|`` and ``bias(v)`` the worst-case bias over
      ``Delta^SD(M)`` (Armstrong & Kolesar 2018; RR 2023, section 4.1); HonestDiD's default
      for ``createSensitivityResults``. ``M = 0`` allows a linear trend and nothing else.
    - ``method="relative_magnitude"``: ``delta`` in ``Delta^RM(Mbar)``: every post-period
      first difference of ``delta`` is at most ``Mbar`` times the largest pre-period first
      difference (``Mbar = 1``: post-period trend breaks no larger than the worst seen
      before). The interval inverts the conditional / least-favourable hybrid moment-inequality
      test (ARP 2023, kappa = alpha / 10) over ``theta``, as a union over which pre-period
      difference is the largest and its sign; HonestDiD's default ``"C-LF"`` for
      ``createSensitivityResults_relativeMagnitudes``. The least-favourable critical value is
      simulated (``LF_DRAWS`` normal draws from ``seed``).
    - a first row ``method="original"``: ``l' betahat_post +- z sd`` under exact parallel
      trends (HonestDiD's ``constructOriginalCS``), with ``m`` missing.

    Parameters
    ----------
    betahat : array-like
        Event-study coefficients, pre-periods then post-periods, reference period excluded.
    sigma : array-like
        Their covariance matrix (symmetric, positive semi-definite).
    num_pre, num_post : int
        Number of pre- and post-period coefficients.
    method : {"relative_magnitude", "smoothness"}
        The restriction on the bias.
    grid : sequence of float, optional
        Values of ``M`` (smoothness) or ``Mbar`` (relative magnitude), each >= 0. Default:
        ``0, 0.5, 1, 1.5, 2`` for ``Mbar``; for ``M``, HonestDiD's 10 points from 0 to the
        largest one-sided 95% upper limit of the pre-period second differences.
    level : float
        Confidence level.
    l_vec : sequence of float, optional
        Weights on the post-period effects; default the first post-period (HonestDiD's).
    seed : int or None
        Seed of the least-favourable critical value (relative magnitudes only).

    Returns
    -------
    SensitivityResult
        ``to_frame()``: ``method, m, ci_low, ci_high``, the original interval, then one row per
        grid value; ``conf_int(level)``, ``breakdown()``.

    References
    ----------
    Rambachan, A. & Roth, J. (2023). A more credible approach to parallel trends. *Review of
    Economic Studies* 90(5), 2555-2591.
    Andrews, I., Roth, J. & Pakes, A. (2023). Inference for linear conditional moment
    inequalities. *Review of Economic Studies* 90(6), 2763-2791.
    Armstrong, T. B. & Kolesar, M. (2018). Optimal inference in a class of regression models.
    *Econometrica* 86(2), 655-683.

    Examples
    --------
    >>> b = [0.05, 0.02, 1.0, 1.2]
    >>> v = np.diag([0.01, 0.01, 0.01, 0.02])
    >>> res = honest_intervals(b, v, num_pre=2, num_post=2, method="smoothness", grid=[0, 0.1])
    >>> out = res.to_frame()
    >>> out["method"].tolist()
    ['original', 'smoothness', 'smoothness']
    >>> [(round(lo, 3), round(hi, 3)) for lo, hi in zip(out["ci_low"], out["ci_high"])]
    [(0.804, 1.196), (0.809, 1.239), (0.709, 1.336)]
    """
    from scipy import stats

    level = check_level(level)
    if method not in _METHODS:
        raise DataError(f"method must be one of {_METHODS}, got {method!r}")
    seed = check_seed(seed)
    b, s, num_pre, num_post, lv = _as_inputs(betahat, sigma, num_pre, num_post, l_vec)
    ms = _as_grid(grid, method, b, s, num_pre, num_post)
    alpha = 1 - level
    z = float(stats.norm.ppf(1 - alpha / 2))
    est = float(lv @ b[num_pre:])
    se = math.sqrt(float(lv @ s[num_pre:, num_pre:] @ lv))
    rows: list[dict[str, Any]] = [{"method": "original", "m": math.nan, "ci_low": est - z * se,
                                   "ci_high": est + z * se}]
    if method == "smoothness":
        for m in ms:
            lo, hi, _, _ = _flci(b, s, num_pre, num_post, lv, float(m), alpha)
            rows.append({"method": method, "m": float(m), "ci_low": lo, "ci_high": hi})
    else:
        normals = None
        for m in ms:
            if normals is None:
                n_mom = 2 * (num_pre + num_post)
                normals = _normals(n_mom, seed)
            lo, hi = _rm_interval(b, s, num_pre, num_post, lv, float(m), alpha, normals)
            rows.append({"method": method, "m": float(m), "ci_low": lo, "ci_high": hi})
    return SensitivityResult(pd.DataFrame(rows, columns=["method", "m", "ci_low", "ci_high"]),
                             method=method, level=level, betahat=b, sigma=s, num_pre=num_pre,
                             num_post=num_post, l_vec=lv, seed=seed)


def event_study_sensitivity(
    result: Any,
    *,
    method: str = "relative_magnitude",
    grid: Sequence[float] | None = None,
    level: float = 0.95,
    l_vec: Sequence[float] | None = None,
    seed: int | None = 0,
) -> SensitivityResult:
    """Rambachan-Roth robust intervals for an :func:`cxresearch.causal.did.event_study` result.

    Takes the event-time estimates and their covariance (``result.vcov``) without the reference
    row (event time ``-1 - anticipation``): pre-periods are the event times before it, post
    periods those after it (with anticipation, the anticipation periods count as post-periods,
    as in Rambachan & Roth 2023). Then :func:`honest_intervals`.

    Parameters
    ----------
    result : EventStudyResult
        From :func:`cxresearch.causal.did.event_study` (any ``method``; all carry ``vcov``).
    method : {"relative_magnitude", "smoothness"}
        The restriction on the bias.
    grid : sequence of float, optional
        Values of ``M`` or ``Mbar`` (see :func:`honest_intervals`).
    level : float
        Confidence level.
    l_vec : sequence of float, optional
        Weights on the post-period event times (reference + 1 onwards); default the effect at
        event time 0.
    seed : int or None
        Seed of the least-favourable critical value (relative magnitudes only).

    Returns
    -------
    SensitivityResult
        ``to_frame()``: ``method, m, ci_low, ci_high`` (see :func:`honest_intervals`).

    References
    ----------
    Rambachan, A. & Roth, J. (2023). A more credible approach to parallel trends. *Review of
    Economic Studies* 90(5), 2555-2591.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> from cxresearch.causal.did import event_study
    >>> data = simulate_staggered_panel(n_units=200, seed=3)[0]
    >>> r = event_study(data, "y", "unit", "time", "first_treated", window=(-3, 2))
    >>> out = event_study_sensitivity(r, method="smoothness", grid=[0.0]).to_frame()
    >>> len(out), bool(out["ci_low"].iloc[1] < out["ci_high"].iloc[1])
    (2, True)
    """
    vcov = getattr(result, "vcov", None)
    est = getattr(result, "estimates", None)
    if not isinstance(vcov, pd.DataFrame) or not isinstance(est, pd.DataFrame):
        raise TypeError("result must be an EventStudyResult from cxresearch.causal.did.event_study "
                        f"(with estimates and vcov), got {type(result).__name__}")
    if vcov.empty or not np.isfinite(vcov.to_numpy(dtype=float)).all():
        raise DataError("event_study_sensitivity: the result has no finite event-time "
                        "covariance (vcov); refit event_study with an analytic or bootstrap "
                        "method")
    ref = int(getattr(result, "reference", -1))
    times = sorted(int(e) for e in vcov.index if int(e) != ref)
    pre = [e for e in times if e < ref]
    post = [e for e in times if e > ref]
    if not pre or not post:
        raise DataError(f"event_study_sensitivity: need event times before and after the "
                        f"reference {ref}, got {times}")
    if pre != list(range(ref - len(pre), ref)) or post != list(range(ref + 1,
                                                                     ref + 1 + len(post))):
        raise DataError(f"event_study_sensitivity: event times must be consecutive around the "
                        f"reference {ref}, got {times}")
    beta = est.set_index("event_time").loc[times, "estimate"].to_numpy(dtype=float)
    sig = vcov.loc[times, times].to_numpy(dtype=float)
    if l_vec is None:
        lv = np.zeros(len(post))
        lv[post.index(0) if 0 in post else 0] = 1.0
    else:
        lv = np.asarray(l_vec, dtype=float)
    return honest_intervals(beta, sig, num_pre=len(pre), num_post=len(post), method=method,
                            grid=grid, level=level, l_vec=lv, seed=seed)


def _breakdown_m(data: pd.DataFrame) -> float:
    """The smallest ``m`` on the grid at which the robust interval includes 0 (NaN if none).

    The "breakdown value" of Rambachan & Roth (2023, section 6): how large a violation of
    parallel trends the conclusion "the effect is not zero" survives, read off a frame from
    :func:`honest_intervals` (the ``original`` row is ignored). Its resolution is the grid's.

    Parameters
    ----------
    data : DataFrame
        The ``to_frame()`` of :func:`honest_intervals` or :func:`event_study_sensitivity`.

    Returns
    -------
    float
        The breakdown ``M`` (or ``Mbar``), NaN if every robust interval excludes 0.

    Examples
    --------
    >>> f = pd.DataFrame({"method": ["original", "smoothness", "smoothness"],
    ...                   "m": [np.nan, 0.0, 0.1], "ci_low": [0.2, 0.1, -0.1],
    ...                   "ci_high": [0.8, 0.9, 1.1]})
    >>> _breakdown_m(f)
    0.1
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a DataFrame, got {type(data).__name__}")
    missing = [c for c in ("method", "m", "ci_low", "ci_high") if c not in data.columns]
    if missing:
        raise DataError(f"_breakdown_m: missing columns {missing}")
    d = data[data["method"] != "original"].sort_values("m")
    hit = d[(d["ci_low"] <= 0) & (d["ci_high"] >= 0)]
    return float(hit["m"].iloc[0]) if len(hit) else math.nan
