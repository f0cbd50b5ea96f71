"""A **synthetic** open-answer poll, "who should drive customer experience?", coded by two
coders, and a simulation of how self-selected respondents shift a poll's shares.

Every answer is made up from short templates written for this project (no real person's words);
every table carries ``attrs["synthetic"] = True`` and the notebooks label it synthetic.

The generator (:func:`simulate_poll`), step by step:

1. Each respondent's *true* code is drawn from ``shares`` (an illustrative assumption, not an
   estimate from any real poll: :data:`DEFAULT_SHARES`).
2. With probability ``p_ambiguous`` the answer is written from an *ambiguous* template that also
   fits a second code (e.g. "The CEO has to lead it, but it only works if every team owns
   it": CEO first, everyone second); otherwise from a clear template. An opener and a closing
   remark, neutral about the code, vary the wording.
3. Two coders code every answer independently. On a clear answer each gives the true code with
   probability ``coder_accuracy`` (0.96 and 0.93) and otherwise a code drawn at random from the
   rest; on an ambiguous answer they give the true code with probability
   ``ambiguous_accuracy`` (0.70) and otherwise the second code the template fits.
4. Where the two differ, an adjudicator applies the frame's decision rules: right with
   probability ``adjudicator_accuracy`` on ambiguous answers (0.90), always on clear ones.

:func:`simulate_self_selection` asks what a poll of n respondents estimates when people of
different views answer at different rates: respondents' shares are
``q_c = pi_c r_c / sum_k pi_k r_k`` for population shares ``pi`` and response propensities
``r``, and the poll's simultaneous intervals are built around ``q``, not ``pi``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from cxresearch.core.validation import DataError, check_level, check_n_boot, check_seed

__all__ = [
    "DEFAULT_SCENARIOS",
    "DEFAULT_SHARES",
    "PollParams",
    "respondent_shares",
    "simulate_poll",
    "simulate_self_selection",
]

#: Illustrative shares of the respondents' views (an assumption for the synthetic poll).
DEFAULT_SHARES: dict[str, float] = {
    "ceo": 0.22, "coo": 0.06, "cmo": 0.05, "cxo": 0.17,
    "everyone": 0.22, "person_not_title": 0.13, "other": 0.15,
}

#: Illustrative response propensities (relative rates of answering) by view.
DEFAULT_SCENARIOS: dict[str, dict[str, float]] = {
    "no self-selection": {},
    "CX-officer advocates answer 2x as often": {"cxo": 2.0},
    "'everyone' and 'the person' answer 1.8x as often": {"everyone": 1.8,
                                                          "person_not_title": 1.8},
    "CEO advocates answer half as often": {"ceo": 0.5},
}

# Clear templates: (code, text). Written for this project; no real answers.
_CLEAR: dict[str, tuple[str, ...]] = {
    "ceo": ("the CEO", "the chief executive", "the CEO, full stop",
            "whoever runs the company: priorities and budgets are set at the top",
            "the CEO, because nobody else can make the functions work together",
            "it has to be driven from the very top, by the CEO"),
    "coo": ("the COO", "the chief operating officer",
            "operations, so the COO: that is where the experience is delivered",
            "the COO, since most pain points are process problems"),
    "cmo": ("the CMO", "marketing, since they own the brand promise",
            "the chief marketing officer", "the CMO, as the voice of the customer in the room"),
    "cxo": ("a chief customer officer", "a chief experience officer reporting to the CEO",
            "a dedicated CX executive with real authority",
            "a CCO with a budget and a seat at the top table",
            "a head of customer experience who sits on the leadership team"),
    "everyone": ("everyone", "all of us, every single employee",
                 "every team, it can't sit in one department",
                 "the whole organisation, front line to back office",
                 "everybody who touches the customer, which is everybody"),
    "person_not_title": ("whoever has the passion, whatever their title",
                         "the right individual matters more than the role",
                         "the person with influence and empathy, not a job title",
                         "it depends on who the leader is, not on the position"),
    "other": ("the head of customer service", "the board", "product management",
              "sales, they are closest to the customer", "it depends on the industry",
              "the customers themselves", "hard to say, it varies too much"),
}

# Ambiguous templates: (true code, second code the wording also fits, text).
_AMBIGUOUS: tuple[tuple[str, str, str], ...] = (
    ("ceo", "everyone", "the CEO has to lead it, but it only works if every team owns it"),
    ("ceo", "cxo", "the CEO, with a strong CX lead as the engine"),
    ("everyone", "ceo", "everyone, but it has to be modelled by the CEO"),
    ("everyone", "person_not_title", "anyone who cares about customers, which should be all "
     "of us"),
    ("person_not_title", "everyone", "whoever cares the most, and that can be anyone"),
    ("person_not_title", "other", "it depends, mostly on the leader's character"),
    ("cxo", "other", "a head of customer experience and service with a seat at the table"),
    ("cxo", "ceo", "a chief customer officer, backed by the CEO"),
    ("coo", "other", "whoever runs operations and service delivery"),
    ("cmo", "cxo", "the CMO, if the role is really about the customer and not just ads"),
    ("other", "person_not_title", "it depends on the company and on the people"),
    ("other", "cmo", "sales and marketing together"),
)

_OPENERS = ("", "", "", "Honestly, ", "For me, ", "In my experience, ", "Simple: ",
            "Great question. ", "I'd say ", "Easy: ")
_CLOSERS = ("", "", "", " Otherwise it's just a slogan.", " Anything else is theatre.",
            " That's what I've seen work.", " Learned that the hard way.",
            " Curious what others think.")


@dataclass(frozen=True)
class PollParams:
    """Settings of the synthetic poll (defaults: about the size of the practitioner's poll)."""

    n: int = 110
    shares: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SHARES))
    p_ambiguous: float = 0.2
    coder_accuracy: tuple[float, float] = (0.96, 0.93)
    ambiguous_accuracy: float = 0.70
    adjudicator_accuracy: float = 0.90


def _sentence(opener: str, core: str, closer: str) -> str:
    if opener == "" or opener.endswith(". "):
        core = core[0].upper() + core[1:]
    text = opener + core
    return (text if text.endswith(".") else text + ".") + closer


def simulate_poll(params: PollParams | None = None, *, seed: int | None = 0,
                  **overrides: object) -> pd.DataFrame:
    """A synthetic poll: made-up open answers, two coders' codes and adjudicated codes.

    See the module docstring for the generator. Keyword ``overrides`` replace fields of
    ``params`` (e.g. ``n=300``).

    Returns
    -------
    DataFrame
        ``answer_id``, ``answer``, ``coder_1``, ``coder_2``, ``adjudicated`` (only where the
        coders differ), and the generator's truth: ``true_code``, ``ambiguous``.
        ``attrs["synthetic"]`` is True and ``attrs["params"]`` holds the settings.

    Examples
    --------
    >>> poll = simulate_poll(seed=0)
    >>> len(poll), poll.attrs["synthetic"]
    (110, True)
    >>> bool((poll["coder_1"] == poll["true_code"]).mean() > 0.8)
    True
    """
    p = params or PollParams()
    if overrides:
        p = PollParams(**{**asdict(p), **overrides})
    keys = list(DEFAULT_SHARES)
    shares = np.array([float(p.shares.get(k, 0.0)) for k in keys])
    unknown = sorted(set(p.shares) - set(keys))
    if unknown or (shares < 0).any() or not np.isclose(shares.sum(), 1.0):
        raise DataError(f"shares: need non-negative shares of {keys} summing to 1; got "
                        f"{dict(p.shares)}")
    if p.n < 1:
        raise DataError(f"n must be >= 1, got {p.n}")
    rng = np.random.default_rng(check_seed(seed))
    true = rng.choice(len(keys), size=p.n, p=shares)
    rows = []
    for i, t in enumerate(true):
        code = keys[t]
        options = [a for a in _AMBIGUOUS if a[0] == code]
        ambiguous = bool(options) and rng.random() < p.p_ambiguous
        if ambiguous:
            _, second, core = options[rng.integers(len(options))]
        else:
            second, core = "", _CLEAR[code][rng.integers(len(_CLEAR[code]))]
        text = _sentence(_OPENERS[rng.integers(len(_OPENERS))], core,
                         _CLOSERS[rng.integers(len(_CLOSERS))])
        codes = []
        for acc in p.coder_accuracy:
            u = rng.random()
            if ambiguous:
                codes.append(code if u < p.ambiguous_accuracy else second)
            elif u < acc:
                codes.append(code)
            else:
                rest = [k for k in keys if k != code]
                codes.append(rest[rng.integers(len(rest))])
        adjudicated = None
        u = rng.random()
        if codes[0] != codes[1]:
            adjudicated = code if (not ambiguous or u < p.adjudicator_accuracy) else second
        rows.append({"answer_id": f"s{i + 1:03d}", "answer": text, "coder_1": codes[0],
                     "coder_2": codes[1], "adjudicated": adjudicated, "true_code": code,
                     "ambiguous": ambiguous})
    out = pd.DataFrame(rows)
    out["adjudicated"] = out["adjudicated"].astype(object)
    out.attrs.update({"synthetic": True, "params": asdict(p)})
    return out


def respondent_shares(population_shares: Mapping[str, float],
                      propensity: Mapping[str, float]) -> pd.Series:
    """Shares among respondents when views answer at different rates:
    ``q_c = pi_c r_c / sum_k pi_k r_k`` (a view missing from ``propensity`` has rate 1).

    >>> respondent_shares({"a": 0.5, "b": 0.5}, {"a": 3.0}).round(2).tolist()
    [0.75, 0.25]
    """
    pi = pd.Series(dict(population_shares), dtype=float)
    unknown = sorted(set(propensity) - set(pi.index))
    if unknown:
        raise DataError(f"propensity: unknown categories {unknown}; known: {list(pi.index)}")
    r = pd.Series({k: float(propensity.get(k, 1.0)) for k in pi.index})
    if (r <= 0).any():
        raise DataError(f"propensity: rates must be > 0, got {dict(r)}")
    q = pi * r
    return q / q.sum()


def simulate_self_selection(
    population_shares: Mapping[str, float] | None = None,
    scenarios: Mapping[str, Mapping[str, float]] | None = None,
    *,
    n: int | Sequence[int] = (110, 1000),
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """How self-selection of respondents shifts a poll's shares, and what that does to its
    simultaneous intervals.

    For each scenario (response propensities by view) and poll size ``n``, ``n_boot`` polls
    are drawn from the respondents' shares (:func:`respondent_shares`) and given Goodman
    simultaneous intervals (closed form, so thousands of polls take milliseconds; see
    :func:`cxresearch.text.coding.multinomial_ci`).

    Returns
    -------
    DataFrame
        One row per scenario, n and category: ``population_share``, ``respondent_share``
        (what the poll estimates), ``shift`` (respondent minus population), ``mean_poll_share``,
        ``coverage`` (share of polls whose interval covers the population share) and
        ``all_covered`` (share of polls whose intervals cover *every* population share at
        once: the simultaneous coverage, one value per scenario and n).

    Examples
    --------
    >>> t = simulate_self_selection(n=110, n_boot=500)
    >>> t.groupby("scenario", sort=False)["all_covered"].first().round(2).tolist()
    [0.93, 0.31, 0.45, 0.58]
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    pi = pd.Series(dict(population_shares or DEFAULT_SHARES), dtype=float)
    if (pi < 0).any() or not np.isclose(pi.sum(), 1.0):
        raise DataError(f"population_shares must be non-negative and sum to 1, got {dict(pi)}")
    scenarios = DEFAULT_SCENARIOS if scenarios is None else scenarios
    sizes = [int(n)] if np.isscalar(n) else [int(v) for v in n]
    rng = np.random.default_rng(check_seed(seed))
    k = len(pi)
    a = float(stats.chi2.ppf(1 - (1 - level) / k, 1))
    frames = []
    for name, propensity in scenarios.items():
        q = respondent_shares(pi, propensity)
        for size in sizes:
            counts = rng.multinomial(size, q.to_numpy(), size=n_boot).astype(float)
            root = np.sqrt(a * (a + 4 * counts * (size - counts) / size))
            lo = (a + 2 * counts - root) / (2 * (size + a))
            hi = (a + 2 * counts + root) / (2 * (size + a))
            covers = (lo <= pi.to_numpy()) & (pi.to_numpy() <= hi)
            frames.append(pd.DataFrame({
                "scenario": name, "n": size, "category": pi.index,
                "population_share": pi.to_numpy(), "respondent_share": q.to_numpy(),
                "shift": q.to_numpy() - pi.to_numpy(),
                "mean_poll_share": counts.mean(axis=0) / size,
                "coverage": covers.mean(axis=0),
                "all_covered": covers.all(axis=1).mean(),
            }))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["synthetic"] = True
    return out
