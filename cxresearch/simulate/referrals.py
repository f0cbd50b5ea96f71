"""Said versus done: stated intention to recommend against actual referrals (all data
**synthetic**, parameterised from published figures).

Kumar, Petersen & Leone (2007, "How valuable is word of mouth?", *Harvard Business Review*
85(10):139-146) asked customers of a financial services firm (about 6,700) and a
telecommunications firm (about 9,900) whether they intended to refer others, then tracked what
they did over the following year. As summarised in secondary sources::

    | | financial services | telecom |
    |---|---|---|
    | said they intended to refer | 68% | 81% |
    | actually referred | 33% | 30% |
    | referred prospects who became customers | 14% | 12% |
    | of those, profitable | 11% | 8% |

The summaries do not make clear whether "actually referred" is a share of all customers or of
the customers who said they would. :data:`KPL_2007` therefore holds both readings:
``"of_intenders"`` (follow-through P(refer | intend) = 33%) and ``"of_all"`` (P(refer) = 33%
overall, so P(refer | intend) = (0.33 - (1 - 0.68) g) / 0.68 for a share g of non-intenders who
refer). The share of non-intenders who refer anyway (``refer_without_intent``, 5%) and the
number of referrals a referrer makes (1 + Poisson(0.5), mean 1.5) are **assumptions**; the
published figures say nothing about them.

>>> d = simulate_referrals(20_000, KPL_2007[("financial services", "of_intenders")], seed=1)
>>> round(100 * d["intends"].mean()), round(100 * d.loc[d["intends"] == 1, "referred"].mean())
(68, 33)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, check_seed

__all__ = ["KPL_2007", "ReferralParams", "simulate_referrals"]


@dataclass(frozen=True)
class ReferralParams:
    """Parameters of :func:`simulate_referrals`.

    ``p_intend``: share who say they will refer; ``follow_through``: P(refer | said);
    ``refer_without_intent``: P(refer | did not say); ``extra_referrals``: mean of the
    Poisson number of referrals beyond the first made by a referrer; ``conversion``: P(a
    referred prospect becomes a customer).
    """

    p_intend: float = 0.68
    follow_through: float = 0.33
    refer_without_intent: float = 0.05
    extra_referrals: float = 0.5
    conversion: float = 0.14

    def __post_init__(self) -> None:
        probs = {k: getattr(self, k) for k in ("p_intend", "follow_through",
                                               "refer_without_intent", "conversion")}
        bad = {k: v for k, v in probs.items() if not 0 <= v <= 1}
        if bad or self.extra_referrals < 0:
            raise DataError(f"ReferralParams: probabilities must be in 0..1 and "
                            f"extra_referrals >= 0; got {bad or self.extra_referrals}")


def _kpl(p_intend: float, referred: float, conversion: float, reading: str,
         g: float = 0.05) -> ReferralParams:
    follow = referred if reading == "of_intenders" else (referred - (1 - p_intend) * g) / p_intend
    return ReferralParams(p_intend, follow, g, 0.5, conversion)


#: Kumar, Petersen & Leone (2007) as (industry, reading) -> parameters (see the module docstring).
KPL_2007: dict[tuple[str, str], ReferralParams] = {
    (industry, reading): _kpl(p, r, c, reading)
    for industry, (p, r, c) in {"financial services": (0.68, 0.33, 0.14),
                                "telecom": (0.81, 0.30, 0.12)}.items()
    for reading in ("of_intenders", "of_all")
}


def simulate_referrals(n: int = 5000, params: ReferralParams | None = None,
                       seed: int | None = 0) -> pd.DataFrame:
    """Customers who say they will refer, whether they do, and the customers their referrals win.

    For each of ``n`` customers: ``intends`` ~ Bernoulli(p_intend); ``referred`` ~ Bernoulli(
    follow_through if intends else refer_without_intent); a referrer makes
    ``n_referrals`` = 1 + Poisson(extra_referrals); each referral becomes a customer with
    probability ``conversion`` (``new_customers`` ~ Binomial(n_referrals, conversion)).
    Customers are independent.

    >>> d = simulate_referrals(1000, seed=3)
    >>> list(d.columns)
    ['intends', 'referred', 'n_referrals', 'new_customers']
    """
    if not isinstance(n, int | np.integer) or n < 1:
        raise DataError(f"argument 'n': a positive integer expected, got {n!r}")
    p = params or ReferralParams()
    rng = np.random.default_rng(check_seed(seed))
    intends = rng.random(n) < p.p_intend
    referred = rng.random(n) < np.where(intends, p.follow_through, p.refer_without_intent)
    n_ref = np.where(referred, 1 + rng.poisson(p.extra_referrals, n), 0)
    new = rng.binomial(n_ref, p.conversion)
    return pd.DataFrame({"intends": intends.astype(np.int64),
                         "referred": referred.astype(np.int64),
                         "n_referrals": n_ref.astype(np.int64),
                         "new_customers": new.astype(np.int64)})
