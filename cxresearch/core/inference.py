"""The statistics kernel: the small pieces every estimator shares, written once.

Critical values and interval tails for a confidence ``level``. More (binomial intervals,
multiplicity, Kish weights, the clustered linearisation) are gathered here as the estimators
move onto the kernel; an estimator never imports a private helper of another module.

>>> round(z_crit(0.95), 6), round(t_crit(0.95, 10), 4), tails(0.95)
(1.959964, 2.2281, (0.025, 0.975))
"""

from __future__ import annotations

from cxresearch.core.validation import check_level

__all__ = ["t_crit", "tails", "upper_tail", "z_crit"]


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
