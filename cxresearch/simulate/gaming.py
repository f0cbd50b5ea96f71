"""The metrics-culture loop: firms that tie bonuses to NPS, and firms that learn from detractors
(all data **synthetic**).

"The metrics reflect the culture, and the culture reflects the metrics." When a number becomes
a target it changes the behaviour that produces it (Campbell 1979; Goodhart's law in
Strathern's 1997 wording: "when a measure becomes a target, it ceases to be a good measure").
Reichheld & Markey (2011) warn that tying NPS to pay invites score begging and survey
manipulation. This simulator makes the loop concrete. Firms are observed for ``n_periods``
periods (quarters); from ``start_period`` on each firm follows one of three cultures:

- ``"control"``: nothing changes;
- ``"bonus"``: employees' bonuses depend on the NPS, and employees
  (1) **cherry-pick** whom to invite: the log-odds of inviting a customer rise by
  ``cherry_pick`` per SD of the customer's satisfaction ("survey only happy customers");
  (2) **suppress** invitations after a service failure (a share ``suppress_failures`` of the
  customers who had one are not invited: "game the invitations");
  (3) **coach** the answer: a share ``coached_share`` of invited customers are asked for a 10
  ("anything below 9 counts as a fail for me"); a coached customer whose honest answer is 7-9
  answers 10 with probability ``coached_to_ten``.
  True customer experience and behaviour do **not** change;
- ``"learning"``: the firm values learning from detractors (psychological safety to report
  bad news, Edmondson 1999; the inner and outer loops of Reichheld & Markey 2011). Customers
  are invited at random as before, unhappy customers answer more often because they see their
  feedback acted on (``detractor_voice``: extra log-odds of answering for customers with
  below-average satisfaction), and fixing what detractors report raises true satisfaction by
  ``learning_gain`` SD per period since the start (so churn falls and referrals rise).

Customers (one row per customer served, surveyed or not). For firm f in period t:
``CX_ft = c_f + u_ft`` with c_f ~ N(0, ``sd_firm_cx``), u_ft ~ N(0, ``sd_period_cx``); a
customer's satisfaction ``z = sqrt(icc) CX_ft + sqrt(1 - icc) e + gain`` (``gain`` > 0 only in
learning firms after the start); the honest 0-10 answer
``clip(round(7.8 + 2.0 (0.85 z + sqrt(1 - 0.85^2) eps)), 0, 10)``; churn ~ Bernoulli(
logistic(logit(0.15) - 0.6 z)); referrals ~ Poisson(exp(log 0.4 + 0.5 z)); a service failure
~ Bernoulli(logistic(logit(``failure_rate``) - ``failure_slope`` z)); invitation ~ Bernoulli(
``invite_rate``) unless gamed; answering ~ Bernoulli(logistic(logit(``response_rate``) +
``response_slope`` |z|)) (extreme customers answer more). The answer, churn, referral and
response relations are the bundled study's (``cxresearch.simulate.study``, documented in
``docs/simulation.md``); the sizes of the gaming and learning behaviours are **assumptions**
(no published study measures them), chosen to be modest.

References
----------
- Campbell, D. T. (1979). Assessing the impact of planned social change. *Evaluation and
  Program Planning*, 2(1), 67-90.
- Strathern, M. (1997). 'Improving ratings': audit in the British University system.
  *European Review*, 5(3), 305-321.
- Reichheld, F. F., & Markey, R. (2011). *The Ultimate Question 2.0*. Harvard Business Review
  Press.
- Edmondson, A. (1999). Psychological safety and learning behavior in work teams.
  *Administrative Science Quarterly*, 44(2), 350-383.

>>> g = simulate_gaming(GamingParams(n_firms=30, customers_per_firm=50), seed=1)
>>> sorted(g.customers["culture"].unique()), len(g.customers)
(['bonus', 'control', 'learning'], 12000)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_seed

__all__ = ["CULTURES", "CULTURE_LABELS", "GamingParams", "GamingStudy", "simulate_gaming"]

#: The three cultures, in display order.
CULTURES: tuple[str, ...] = ("control", "bonus", "learning")

#: Human labels of the cultures.
CULTURE_LABELS: dict[str, str] = {
    "control": "no change",
    "bonus": "bonus tied to NPS",
    "learning": "learning from detractors",
}


@dataclass(frozen=True)
class GamingParams:
    """Parameters of :func:`simulate_gaming` (sources in the module docstring).

    Sizes and timing: ``n_firms`` (split evenly over the cultures in ``CULTURES`` order),
    ``n_periods``, ``start_period`` (the first period under the policy, 1-based),
    ``customers_per_firm`` served per period.
    """

    n_firms: int = 150
    n_periods: int = 8
    start_period: int = 5
    customers_per_firm: int = 200
    # customers, as in the bundled study (docs/simulation.md)
    sd_firm_cx: float = 0.5  # stable firm differences in CX (study: sd_firm_cx)
    sd_period_cx: float = 0.3  # period-to-period movement of a firm's CX (assumption)
    icc_customers: float = 0.08  # share of satisfaction variance between firm-periods (study)
    response_rate: float = 0.25  # invited customers who answer (study: customer_response_rate)
    response_slope: float = 0.3  # log-odds of answering per |SD| (study: extremes answer more)
    invite_rate: float = 0.5  # customers invited at random (assumption)
    failure_rate: float = 0.10  # customers with a service failure (assumption)
    failure_slope: float = 0.8  # log-odds of a failure per SD *lower* satisfaction (assumption)
    # the bonus culture (assumptions)
    cherry_pick: float = 1.0  # log-odds of being invited per SD of satisfaction
    suppress_failures: float = 0.8  # customers with a failure who are not invited
    coached_share: float = 0.5  # invited customers asked for a 10
    coached_to_ten: float = 0.6  # coached customers with an honest 7-9 who answer 10
    # the learning culture (assumptions)
    learning_gain: float = 0.06  # SD of satisfaction gained per period since the start
    detractor_voice: float = 0.5  # extra log-odds of answering if satisfaction < 0

    def __post_init__(self) -> None:
        checks = {
            "n_firms": self.n_firms >= len(CULTURES) * 2,
            "n_periods": self.n_periods >= 2,
            "start_period": 2 <= self.start_period <= self.n_periods,
            "customers_per_firm": self.customers_per_firm >= 1,
            "icc_customers": 0 <= self.icc_customers < 1,
            "response_rate": 0 < self.response_rate < 1,
            "invite_rate": 0 < self.invite_rate < 1,
            "failure_rate": 0 < self.failure_rate < 1,
            "suppress_failures": 0 <= self.suppress_failures <= 1,
            "coached_share": 0 <= self.coached_share <= 1,
            "coached_to_ten": 0 <= self.coached_to_ten <= 1,
            "sd_firm_cx": self.sd_firm_cx >= 0,
            "sd_period_cx": self.sd_period_cx >= 0,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            raise DataError(f"GamingParams: invalid value(s) for {bad}: "
                            f"{ {k: getattr(self, k) for k in bad} }")


@dataclass(frozen=True)
class GamingStudy(Result):
    """A simulated panel of served customers (**synthetic**), with the answer key.

    ``customers``: one row per customer served: ``firm_id``, ``culture``, ``period``, ``post``
    (1 from ``start_period`` on), ``satisfaction`` (the latent, answer key), ``honest_answer``
    (the 0-10 answer the customer would give uncoached, answer key), ``failure``, ``invited``,
    ``coached``, ``responded``, ``answer`` (the reported 0-10 answer, NaN unless responded),
    ``churned``, ``referrals``. ``truth``: the true change of mean satisfaction (SD) after the
    start, by culture.
    """

    customers: pd.DataFrame = field(hash=False, repr=False)
    params: GamingParams
    truth: dict[str, float] = field(hash=False)

    def to_frame(self) -> pd.DataFrame:
        """The customers (a copy)."""
        return self.customers.copy()

    def summary(self) -> str:
        """One line: size and the true changes."""
        p = self.params
        return (f"synthetic metric-culture panel: {p.n_firms} firms x {p.n_periods} periods x "
                f"{p.customers_per_firm} customers; policy from period {p.start_period}; true "
                f"satisfaction change after the start (SD): "
                + ", ".join(f"{k} {v:+.2f}" for k, v in self.truth.items()))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def simulate_gaming(params: GamingParams | None = None, seed: int | None = 0, **overrides: float
                    ) -> GamingStudy:
    """Simulate firms under three cultures: control, a bonus tied to NPS, learning from detractors.

    See the module docstring for the model and the sources. ``overrides`` replace fields of
    ``params`` (e.g. ``coached_share=0``).

    >>> g = simulate_gaming(GamingParams(n_firms=30, customers_per_firm=50), seed=1)
    >>> g.truth["bonus"], round(g.truth["learning"], 2)
    (0.0, 0.15)
    """
    p = dataclasses.replace(params or GamingParams(), **overrides)
    rng = np.random.default_rng(check_seed(seed))
    n_f, n_t, n_c = p.n_firms, p.n_periods, p.customers_per_firm
    culture_of_firm = np.array(CULTURES)[np.arange(n_f) * len(CULTURES) // n_f]
    firm_cx = rng.normal(0, p.sd_firm_cx, n_f)
    period_cx = rng.normal(0, p.sd_period_cx, (n_f, n_t))
    n = n_f * n_t * n_c
    firm = np.repeat(np.arange(n_f), n_t * n_c)
    period = np.tile(np.repeat(np.arange(1, n_t + 1), n_c), n_f)
    culture = culture_of_firm[firm]
    post = period >= p.start_period
    bonus = (culture == "bonus") & post
    learning = (culture == "learning") & post
    cx = (firm_cx[:, None] + period_cx)[firm, period - 1]
    gain = np.where(learning, p.learning_gain * (period - p.start_period + 1), 0.0)
    z = np.sqrt(p.icc_customers) * cx + np.sqrt(1 - p.icc_customers) * rng.normal(0, 1, n) + gain
    honest = np.clip(np.rint(7.8 + 2.0 * (0.85 * z + np.sqrt(1 - 0.85**2) * rng.normal(0, 1, n))),
                     0, 10)
    churned = rng.random(n) < _logistic(_logit(0.15) - 0.6 * z)
    referrals = rng.poisson(np.exp(np.log(0.4) + 0.5 * z))
    failure = rng.random(n) < _logistic(_logit(p.failure_rate) - p.failure_slope * z)
    invite_logit = np.full(n, _logit(p.invite_rate)) + np.where(bonus, p.cherry_pick * z, 0.0)
    invited = rng.random(n) < _logistic(invite_logit)
    invited &= ~(bonus & failure & (rng.random(n) < p.suppress_failures))
    coached = invited & bonus & (rng.random(n) < p.coached_share)
    resp_logit = (_logit(p.response_rate) + p.response_slope * np.abs(z)
                  + np.where(learning & (z < 0), p.detractor_voice, 0.0))
    responded = invited & (rng.random(n) < _logistic(resp_logit))
    answer = honest.copy()
    to_ten = coached & (honest >= 7) & (honest <= 9) & (rng.random(n) < p.coached_to_ten)
    answer[to_ten] = 10
    width = max(3, len(str(n_f)))
    customers = pd.DataFrame({
        "firm_id": np.array([f"G{i + 1:0{width}d}" for i in range(n_f)])[firm],
        "culture": culture,
        "period": period.astype(np.int64),
        "post": post.astype(np.int64),
        "satisfaction": z,
        "honest_answer": honest.astype(np.int64),
        "failure": failure.astype(np.int64),
        "invited": invited.astype(np.int64),
        "coached": coached.astype(np.int64),
        "responded": responded.astype(np.int64),
        "answer": np.where(responded, answer, np.nan),
        "churned": churned.astype(np.int64),
        "referrals": referrals.astype(np.int64),
    })
    post_periods = np.arange(p.start_period, n_t + 1) - p.start_period + 1
    truth = {"control": 0.0, "bonus": 0.0,
             "learning": float(p.learning_gain * post_periods.mean())}
    return GamingStudy(customers, p, truth)
