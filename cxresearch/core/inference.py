"""The statistics kernel: the small pieces every estimator shares, written once.

Critical values and interval tails for a confidence ``level``; Wilson and Agresti-Coull
binomial intervals; Holm and Benjamini-Hochberg adjusted p-values; Kish's effective sample size
and design effect; the Taylor-linearisation variance of a (weighted) mean of clustered answers.
An estimator never imports a private helper of another module: what two modules share lives
here.

>>> round(z_crit(0.95), 6), round(t_crit(0.95, 10), 4), tails(0.95)
(1.959964, 2.2281, (0.025, 0.975))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from cxresearch.core.validation import check_level

__all__ = [
    "agresti_coull_interval",
    "benjamini_hochberg",
    "cluster_variance",
    "holm",
    "kish_design_effect",
    "kish_n_eff",
    "linearised_mean",
    "t_crit",
    "tails",
    "upper_tail",
    "wilson_interval",
    "z_crit",
]


def upper_tail(level: float) -> float:
    """Upper tail probability of a two-sided interval, ``(1 + level) / 2`` (0.975 for 0.95).

    Parameters
    ----------
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> upper_tail(0.9)
    0.95
    """
    return 0.5 + check_level(level) / 2


def z_crit(level: float) -> float:
    """Normal critical value ``z_{(1 + level) / 2}`` (1.959963984540054 for 0.95).

    Parameters
    ----------
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> round(z_crit(0.9), 6)
    1.644854
    """
    from scipy import stats

    return float(stats.norm.ppf(upper_tail(level)))


def t_crit(level: float, dof: float) -> float:
    """Student t critical value ``t_{(1 + level) / 2, dof}``.

    Parameters
    ----------
    level : float
        Confidence level in (0, 1).
    dof : float
        Degrees of freedom.

    Returns
    -------
    float

    Examples
    --------
    >>> round(t_crit(0.95, 29), 4)
    2.0452
    """
    from scipy import stats

    return float(stats.t.ppf(upper_tail(level), dof))


def tails(level: float) -> tuple[float, float]:
    """Quantiles of a percentile interval, ``((1 - level) / 2, (1 + level) / 2)``.

    The lower tail is rounded to 12 decimals so that 0.95 gives exactly (0.025, 0.975).

    Parameters
    ----------
    level : float
        Confidence level in (0, 1).

    Returns
    -------
    tuple of float

    Examples
    --------
    >>> tails(0.9)
    (0.05, 0.95)
    """
    up = upper_tail(level)
    return round(0.5 - level / 2, 12), up


# --------------------------------------------------------------------------------------------
# Binomial intervals
# --------------------------------------------------------------------------------------------


def wilson_interval(successes: float, n: float, level: float = 0.95, *,
                    n_eff: float | None = None) -> tuple[float, float]:
    """Wilson (1927) score interval for a proportion, clipped to [0, 1].

    With share ``p = successes / n``, effective size ``m`` (``n_eff``, default ``n``) and
    ``z = z_crit(level)``: ``(p + z^2/2m ± z sqrt(p(1-p)/m + z^2/4m^2)) / (1 + z^2/m)``. For
    weighted data pass the weighted ``successes`` and ``n`` and Kish's ``n_eff``
    (:func:`kish_n_eff`). ``(nan, nan)`` when ``n`` or ``m`` is 0.

    Parameters
    ----------
    successes : float
        Number (or weighted total) of successes.
    n : float
        Number (or weighted total) of trials.
    level : float, default 0.95
        Confidence level.
    n_eff : float, optional
        Effective sample size used in the variance (default ``n``).

    Returns
    -------
    tuple of float
        ``(low, high)`` as proportions.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association* 22, 209-212.

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    >>> [round(v, 4) for v in wilson_interval(81, 100)]
    [0.7222, 0.8749]
    """
    z = z_crit(level)
    m = n if n_eff is None else n_eff
    if n == 0 or m == 0:
        return math.nan, math.nan
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / m
    centre = (p + z2 / (2 * m)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / m + z2 / (4 * m * m))
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def agresti_coull_interval(successes: float, n: float, level: float = 0.95, *,
                           n_eff: float | None = None) -> tuple[float, float]:
    """Agresti-Coull ("add z^2/2 successes and failures") interval for a proportion.

    With ``p = successes / n``, ``m`` (``n_eff``, default ``n``) and ``z = z_crit(level)``:
    ``m~ = m + z^2``, ``p~ = (p m + z^2/2) / m~``, interval ``p~ ± z sqrt(p~(1-p~)/m~)``, clipped
    to [0, 1]. ``(nan, nan)`` when ``n`` or ``m`` is 0.

    Parameters
    ----------
    successes : float
        Number (or weighted total) of successes.
    n : float
        Number (or weighted total) of trials.
    level : float, default 0.95
        Confidence level.
    n_eff : float, optional
        Effective sample size used in the variance (default ``n``).

    Returns
    -------
    tuple of float
        ``(low, high)`` as proportions.

    References
    ----------
    Agresti, A. & Coull, B. A. (1998). Approximate is better than "exact" for interval
    estimation of binomial proportions. *The American Statistician* 52, 119-126.

    Examples
    --------
    >>> [round(v, 4) for v in agresti_coull_interval(81, 100)]
    [0.7214, 0.8757]
    """
    z = z_crit(level)
    m = n if n_eff is None else n_eff
    if n == 0 or m == 0:
        return math.nan, math.nan
    p = successes / n
    mt = m + z * z
    pt = (p * m + z * z / 2) / mt
    half = z * math.sqrt(pt * (1 - pt) / mt)
    return float(max(0.0, pt - half)), float(min(1.0, pt + half))


# --------------------------------------------------------------------------------------------
# Multiplicity
# --------------------------------------------------------------------------------------------


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error rate).

    ``p_(i) adjusted = max_{j <= i} min(1, (m - j + 1) p_(j))``, in the original order.

    Parameters
    ----------
    p_values : array-like of float
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order and length.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6, 65-70.

    Examples
    --------
    >>> [round(float(x), 3) for x in holm([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.09, 0.09, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg step-up adjusted p-values (false discovery rate).

    ``p_(i) adjusted = min_{j >= i} min(1, m p_(j) / j)``, in the original order.

    Parameters
    ----------
    p_values : array-like of float
        Unadjusted p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order and length.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. *Journal of the Royal Statistical Society B* 57,
    289-300.

    Examples
    --------
    >>> [round(float(x), 3) for x in benjamini_hochberg([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    out = np.empty(m)
    out[order] = adj
    return out


# --------------------------------------------------------------------------------------------
# Survey weights (Kish) and clustered answers (Taylor linearisation)
# --------------------------------------------------------------------------------------------


def kish_n_eff(sum_w: float, sum_w2: float) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (0 when ``sum_w2`` is 0).

    Takes the sufficient statistics (sum of weights and of squared weights), so it works on
    counts from any engine as well as on the weights themselves.

    Parameters
    ----------
    sum_w : float
        Sum of the weights.
    sum_w2 : float
        Sum of the squared weights.

    Returns
    -------
    float

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley.

    Examples
    --------
    >>> w = [1.0, 1.0, 2.0, 4.0]
    >>> round(kish_n_eff(sum(w), sum(x * x for x in w)), 4)
    2.9091
    """
    return sum_w * sum_w / sum_w2 if sum_w2 > 0 else 0.0


def kish_design_effect(n: float, sum_w: float, sum_w2: float) -> float:
    """Kish's design effect of unequal weights, ``n / n_eff = n sum w^2 / (sum w)^2``.

    Parameters
    ----------
    n : float
        Number of answers.
    sum_w : float
        Sum of the weights.
    sum_w2 : float
        Sum of the squared weights.

    Returns
    -------
    float
        NaN when the effective sample size is 0.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. New York: Wiley.

    Examples
    --------
    >>> w = [1.0, 1.0, 2.0, 4.0]
    >>> round(kish_design_effect(len(w), sum(w), sum(x * x for x in w)), 4)
    1.375
    """
    m = kish_n_eff(sum_w, sum_w2)
    return n / m if m > 0 else math.nan


def cluster_variance(scores: np.ndarray) -> float:
    """With-replacement variance of a total of per-cluster scores, ``C/(C-1) sum (z_c - mean)^2``.

    The "ultimate cluster" variance estimator of a one-stage sample of ``C`` clusters (also the
    variance of a difference of two domain estimates, from the differences of their scores).

    Parameters
    ----------
    scores : numpy.ndarray
        One linearised score per cluster of the design (zeros for clusters without answers).

    Returns
    -------
    float

    References
    ----------
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., ch. 6. Springer.

    Examples
    --------
    >>> cluster_variance(np.array([0.1, -0.1, 0.0]))
    0.03
    """
    c = len(scores)
    return c / (c - 1) * float(np.sum((scores - scores.mean()) ** 2))


def linearised_mean(sum_w: np.ndarray, sum_wy: np.ndarray) -> tuple[float, np.ndarray, float]:
    """A (weighted) ratio mean of clustered answers with its Taylor-linearisation variance.

    From per-cluster sums of weights ``sum_w`` and of weighted scores ``sum_wy``:
    ``est = sum(w y) / sum(w)``, linearised scores per cluster ``z_c = (sum_wy_c - est
    sum_w_c) / sum(w)``, ``Var(est) = C/(C - 1) sum_c (z_c - mean z)^2``
    (:func:`cluster_variance`). These are the numbers of R's survey package, ``svymean(~y,
    svydesign(ids = ~cluster, weights = ~w))``.

    Parameters
    ----------
    sum_w : numpy.ndarray
        Sum of weights per cluster of the design.
    sum_wy : numpy.ndarray
        Sum of weighted scores per cluster, same order.

    Returns
    -------
    tuple
        ``(estimate, scores, variance)``: the mean, the linearised score of each cluster and the
        variance of the mean.

    References
    ----------
    Wolter, K. M. (2007). *Introduction to Variance Estimation*, 2nd ed., ch. 6. Springer.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, ch. 2-3. Wiley.

    Examples
    --------
    >>> est, z, var = linearised_mean(np.array([4.0, 4.0, 4.0]), np.array([200.0, 0.0, 100.0]))
    >>> round(est, 2), round(var ** 0.5, 2)
    (25.0, 14.43)
    """
    total_w = float(sum_w.sum())
    est = float(sum_wy.sum()) / total_w
    z = (sum_wy - est * sum_w) / total_w
    return est, z, cluster_variance(z)
