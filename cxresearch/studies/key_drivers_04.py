"""Text and labels for notebook 04 (key drivers) that no other notebook uses.

- :data:`ECSI_WORDING` -- short wordings of the ECSI survey's driver items, for figures;
- :func:`item_wording` -- code -> wording for a list of drivers (the code where none is known);
- :func:`question_wording` -- code -> a short wording from an export's question text
  (``df.attrs["labels"]``), for figures and tables;
- :func:`missing_choice` -- listwise or pairwise deletion for the drivers, and the sentence
  saying how many answers each uses and why the analysis uses the one it does;
- :func:`agreement_finding` -- how far apart the two decompositions' shares are;
- :func:`quadrant_findings` -- one generated sentence per quadrant of the
  importance-performance map, read from its table;
- :func:`quadrant_alt_text` -- the map's alt text, read from the same table;
- :func:`published_check` -- does a computed decomposition match published values to the
  decimals given?
- :func:`population_findings` -- the sample's map against the synthetic model's population
  values (coverage of the shares, quadrant labels that match and that miss);
- :func:`stability_draws` and :func:`collinear_findings` -- what failure looks like (issue
  23), from :func:`cxresearch.linkage.drivers.beta_shapley_stability`: drivers so collinear
  that their ranks cannot be told apart, their betas swinging across bootstrap resamples while
  their Shapley shares hold.

Every label in the text comes from the ``quadrant`` column of
:meth:`cxresearch.linkage.drivers.ImportancePerformance.to_frame`, so a rerun with another seed
changes the words with the table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError
from cxresearch.linkage.drivers import (
    QUADRANT_ORDER,
    UNCLEAR,
    DriverStability,
    missing_report,
    relative_weights,
)
from cxresearch.report.conclusions import Finding

__all__ = [
    "ECSI_WORDING",
    "LISTWISE_LOSS_LIMIT",
    "agreement_finding",
    "collinear_findings",
    "item_wording",
    "missing_choice",
    "population_findings",
    "published_check",
    "quadrant_alt_text",
    "quadrant_findings",
    "question_wording",
    "stability_draws",
]

#: listwise deletion is used while it leaves out at most this share of the answers; beyond it,
#: pairwise-complete correlations
LISTWISE_LOSS_LIMIT = 0.10

#: short wordings of the ECSI mobile-phone items (Tenenhaus et al. 2005), paraphrased; no
#: wording contains another, or a comma, colon or semicolon
ECSI_WORDING: dict[str, str] = {
    "IMAG1": "can be trusted",
    "IMAG2": "stable and established",
    "IMAG3": "contributes to society",
    "IMAG4": "cares about customers",
    "IMAG5": "innovative",
    "PERQ1": "overall quality",
    "PERQ2": "network quality",
    "PERQ3": "customer service and advice",
    "PERQ4": "quality of services used",
    "PERQ5": "range of services",
    "PERQ6": "reliability and accuracy",
    "PERQ7": "clear information",
    "PERV1": "prices given the quality",
    "PERV2": "quality given the prices",
}


def item_wording(drivers: Sequence[str],
                 wording: Mapping[str, str] | None = None) -> dict[str, str]:
    """Code -> short wording for each driver; a driver without a wording keeps its code.

    >>> item_wording(["PERV1", "d1"], ECSI_WORDING)
    {'PERV1': 'prices given the quality', 'd1': 'd1'}
    """
    wording = dict(wording or {})
    return {str(d): wording.get(str(d), str(d)) for d in drivers}


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def question_wording(codes: Sequence[str], labels: Mapping[str, str] | None = None,
                     *, limit: int = 40) -> dict[str, str]:
    """Code -> a short wording of each question, from an export's question text.

    ``labels`` is what the readers keep in ``df.attrs["labels"]`` (column -> question text).
    A matrix question's sub-question (the part after the last `` - `` of a Qualtrics label,
    ``"How would you rate ...? - Speed of service"``) stands for the whole; longer texts are
    cut at a word to ``limit`` characters. A code without a label, or whose label is the code
    itself, keeps its code; two codes whose wordings would be the same get their codes added.

    >>> labels = {"Q4_1": "How would you rate us on each of the following? - Speed of service",
    ...           "Q2": "Overall, how satisfied are you with your most recent visit?"}
    >>> question_wording(["Q4_1", "Q2", "Q5"], labels)
    {'Q4_1': 'Speed of service', 'Q2': 'Overall, how satisfied are you with…', 'Q5': 'Q5'}
    """
    labels = dict(labels or {})
    out: dict[str, str] = {}
    for code in map(str, codes):
        text = re.sub(r"\s+", " ", str(labels.get(code) or "")).strip()
        if " - " in text and text.rsplit(" - ", 1)[1].strip():
            text = text.rsplit(" - ", 1)[1].strip()
        out[code] = _shorten(text, limit) if text else code
    seen: dict[str, int] = {}
    for w in out.values():
        seen[w] = seen.get(w, 0) + 1
    return {c: (f"{w} ({c})" if seen[w] > 1 and w != c else w) for c, w in out.items()}


def missing_choice(data: pd.DataFrame, outcome: str, drivers: Sequence[str], *,
                   limit: float = LISTWISE_LOSS_LIMIT) -> tuple[str, pd.DataFrame, Finding]:
    """Listwise or pairwise deletion for a key-driver analysis, with the sentence saying why.

    Listwise deletion (the answers with the outcome and every driver) is used while it leaves
    out at most ``limit`` of the answers; beyond that, pairwise-complete correlations (each
    from the answers that have both of its columns), unless their matrix is not positive
    definite, when listwise is used after all and the sentence says so. Every number in the
    sentence comes from :func:`cxresearch.linkage.drivers.missing_report`.

    Returns
    -------
    (str, DataFrame, Finding)
        The choice (``"listwise"`` or ``"pairwise"``), the report with ``used`` marking it,
        and the sentence.

    >>> d = pd.DataFrame({"y": [1, 2, 3, 4, 5, 3.0], "a": [1, 2, 2, 5, 4, 3.0],
    ...                   "b": [2, 1, 4, 3, 5, 4.0]})
    >>> choice, report, finding = missing_choice(d, "y", ["a", "b"])
    >>> choice
    'listwise'
    >>> print(finding.text.replace("; ", ";" + chr(10)).replace(", so", "," + chr(10) + "so"))
    **Missing answers**: all 6 answers have the outcome and both drivers,
    so listwise and pairwise deletion use the same answers.
    """
    report = missing_report(data, outcome, drivers)
    lw, pw = report.loc["listwise"], report.loc["pairwise"]
    n, kept = int(lw["answers"]), int(lw["answers_used"])
    lost = n - kept
    p = len(drivers)
    every = "both drivers" if p == 2 else ("the driver" if p == 1 else f"all {p} drivers")
    span = (f"{int(pw['n_min']):,} to {int(pw['n_max']):,} answers" if pw["n_min"] !=
            pw["n_max"] else f"{int(pw['n_min']):,} answers")
    if lost == 0:
        choice = "listwise"
        text = (f"all {n:,} answers have the outcome and {every}, so listwise and pairwise "
                "deletion use the same answers.")
    else:
        head = (f"{kept:,} of {n:,} answers ({kept / n:.1%}) have the outcome and {every}: "
                f"listwise deletion would leave out {lost:,} ({lost / n:.1%})")
        if lost / n <= limit:
            choice = "listwise"
            text = (f"{head}, not more than {limit:.0%}, so the analysis uses listwise deletion "
                    f"(pairwise-complete correlations would rest on {span} each).")
        else:
            choice = "pairwise"
            text = (f"{head}, more than {limit:.0%}, so the analysis uses pairwise-complete "
                    f"correlations: each correlation rests on the answers that have both of its "
                    f"questions ({span}), and {int(pw['answers_used']):,} answers enter at "
                    "least one.")
            try:
                relative_weights(data, outcome, drivers, missing="pairwise")
            except DataError as exc:
                if "not positive definite" not in str(exc):
                    raise
                choice = "listwise"
                text = (f"{head}, more than {limit:.0%}, but the pairwise-complete correlations "
                        "do not fit together (their matrix is not positive definite), so the "
                        f"analysis uses listwise deletion and rests on {kept:,} answers.")
    report = report.assign(used=report.index == choice)
    return choice, report, Finding(f"**Missing answers**: {text}", False, kind="check")


def agreement_finding(first: pd.Series, second: pd.Series,
                      wording: Mapping[str, str] | None = None,
                      names: tuple[str, str] = ("relative weights", "Shapley/LMG")) -> Finding:
    """How far apart two decompositions' shares (percent of R^2, indexed by driver) are.

    >>> a = pd.Series([50.0, 30.0, 20.0], index=["x", "y", "z"])
    >>> b = pd.Series([48.0, 33.5, 18.5], index=["x", "y", "z"])
    >>> text = agreement_finding(a, b, {"y": "price"}).text
    >>> print(text.replace(" (", chr(10) + "(").replace(" by", chr(10) + "by"))
    **Two methods**: the relative weights and Shapley/LMG shares differ
    by at most 3.5 percentage points
    (price: 30.0% and 33.5%);
    both rank x first.
    """
    words = item_wording(first.index, wording)
    gap = (first - second.loc[first.index]).abs()
    worst = gap.idxmax()
    top_a, top_b = first.idxmax(), second.idxmax()
    tops = (f"both rank {words[top_a]} first" if top_a == top_b else
            f"{names[0]} rank {words[top_a]} first, {names[1]} {words[top_b]}")
    return Finding(
        f"**Two methods**: the {names[0]} and {names[1]} shares differ by at most "
        f"{gap.max():.1f} percentage points ({words[worst]}: {first[worst]:.1f}% and "
        f"{second[worst]:.1f}%); {tops}.", False, kind="level")


def _names(codes: Sequence[str], words: Mapping[str, str], with_codes: bool) -> str:
    return ", ".join(f"{words.get(c, c)} ({c})" if with_codes and words.get(c, c) != c
                     else words.get(c, c) for c in codes)


def quadrant_findings(table: pd.DataFrame, wording: Mapping[str, str] | None = None,
                      *, codes: bool = True) -> tuple[Finding, ...]:
    """One sentence per quadrant of an importance-performance map, from its table.

    ``table`` is :meth:`~cxresearch.linkage.drivers.ImportancePerformance.to_frame` (indexed
    by driver, with ``importance``, ``performance`` and ``quadrant``). Each sentence is
    ``**<quadrant>**: wording (code), ...`` (without the codes when ``codes`` is False, e.g.
    for a figure caption), the drivers in order of importance; empty
    quadrants are left out. None claims an effect (the quadrants describe).

    >>> t = pd.DataFrame({"importance": [30.0, 20.0, 50.0], "performance": [40.0, 80.0, 60.0],
    ...                   "quadrant": ["high share, lower rating", "low share, higher rating",
    ...                                "high share, higher rating"]}, index=["a", "b", "c"])
    >>> [f.text for f in quadrant_findings(t, {"a": "price"})][:2]
    ['**high share, lower rating**: price (a).', '**high share, higher rating**: c.']
    """
    words = item_wording(table.index, wording)
    ordered = table.sort_values("importance", ascending=False, kind="stable")
    out = []
    for q in QUADRANT_ORDER:
        names = [str(c) for c in ordered.index[ordered["quadrant"] == q]]
        if names:
            out.append(Finding(f"**{q}**: {_names(names, words, codes)}.", False, kind="level"))
    return tuple(out)


def quadrant_alt_text(table: pd.DataFrame, wording: Mapping[str, str] | None = None,
                      limit: int = 300) -> str:
    """Alt text of an importance-performance map, from its table, under ``limit`` characters.

    Names the drivers with a high share and a lower rating and those whose interval crosses
    the line (by wording), or only counts them when the names would pass ``limit``.

    >>> t = pd.DataFrame({"importance": [30.0, 20.0], "performance": [40.0, 80.0],
    ...                   "quadrant": ["high share, lower rating", UNCLEAR]}, index=["a", "b"])
    >>> quadrant_alt_text(t, {"a": "price"}).split(". ")
    ['Scatter of 2 attributes, rated 40 to 80 of 100', 'High share, lower rating: price', \
'Unclear (interval crosses the line): b.']
    """
    words = item_wording(table.index, wording)
    ordered = table.sort_values("importance", ascending=False, kind="stable")
    head = (f"Scatter of {len(table)} attributes, rated {table['performance'].min():.0f} to "
            f"{table['performance'].max():.0f} of 100.")
    groups = [(q, [str(c) for c in ordered.index[ordered["quadrant"] == q]])
              for q in (QUADRANT_ORDER[0], UNCLEAR)]
    named = " ".join(f"{q[0].upper()}{q[1:]}: {_names(c, words, False)}." for q, c in groups if c)
    if len(f"{head} {named}") <= limit:
        return f"{head} {named}".strip()
    counted = " ".join(f"{q[0].upper()}{q[1:]}: {len(c)} attribute{'s' * (len(c) != 1)}."
                       for q, c in groups if c)
    return f"{head} {counted} Names in the caption.".strip()


def published_check(computed: pd.DataFrame, published: pd.DataFrame, decimals: int = 4
                    ) -> bool:
    """Whether ``computed`` rounds to ``published`` (same index and columns) at ``decimals``.

    >>> c = pd.DataFrame({"x": [0.20971, 0.1883]}); p = pd.DataFrame({"x": [0.2097, 0.1883]})
    >>> published_check(c, p)
    True
    """
    diff = (computed.loc[published.index, published.columns].round(decimals) - published).abs()
    return bool((diff < 0.5 * 10.0 ** -decimals).all().all())


def population_findings(table: pd.DataFrame, population: pd.DataFrame,
                        wording: Mapping[str, str] | None = None, source: str = "",
                        ) -> tuple[Finding, ...]:
    """The sample's importance-performance map against the population values.

    ``table`` is the sample's map (with ``ci_low``/``ci_high``), ``population`` the map of the
    same model computed on the population (e.g. a very large draw; its ``quadrant`` has no
    :data:`UNCLEAR`). Two findings, each listing its misses with the population value: how many
    importance intervals cover the population share, and how many of the sample's quadrant
    labels (other than unclear) are the population's. ``source`` says where the population
    values come from. None claims an effect.

    >>> t = pd.DataFrame({"importance": [60.0, 40.0], "ci_low": [50.0, 20.0],
    ...                   "ci_high": [70.0, 60.0], "performance": [40.0, 80.0],
    ...                   "quadrant": ["high share, lower rating", UNCLEAR]}, index=["a", "b"])
    >>> pop = pd.DataFrame({"importance": [45.0, 55.0], "performance": [41.0, 79.0],
    ...                     "quadrant": ["low share, lower rating", "high share, higher rating"]},
    ...                    index=["a", "b"])
    >>> for f in population_findings(t, pop):
    ...     print(f.text.replace("; ", ";" + chr(10)))
    **Importance against the population**: 1 of 2 intervals cover the population share;
    missed: a (45.0%).
    **Quadrants against the population**: 0 of 1 quadrant labels match the population's (1 unclear);
    missed: a (here high share, lower rating;
    in the population low share, lower rating).
    """
    words = item_wording(table.index, wording)
    pop = population.loc[table.index]
    covers = (table["ci_low"] <= pop["importance"]) & (pop["importance"] <= table["ci_high"])
    missed = [f"{words[c]} ({pop.loc[c, 'importance']:.1f}%)" for c in table.index[~covers]]
    firm = table["quadrant"] != UNCLEAR
    match = firm & (table["quadrant"] == pop["quadrant"])
    wrong = [f"{words[c]} (here {table.loc[c, 'quadrant']}; in the population "
             f"{pop.loc[c, 'quadrant']})" for c in table.index[firm & ~match]]
    src = f" ({source})" if source else ""
    return (
        Finding(f"**Importance against the population**: {int(covers.sum())} of {len(table)} "
                f"intervals cover the population share{src}"
                + (f"; missed: {'; '.join(missed)}." if missed else "."), False, kind="truth"),
        Finding(f"**Quadrants against the population**: {int(match.sum())} of {int(firm.sum())} "
                "quadrant labels match the population's"
                + (f" ({int((~firm).sum())} unclear)" if (~firm).any() else "")
                + (f"; missed: {'; '.join(wrong)}." if wrong else "."), False, kind="truth"),
    )


def _rank_span(lo: float, hi: float) -> str:
    return f"{lo:g}" if lo == hi else f"{lo:g} to {hi:g}"


def collinear_findings(stability: DriverStability, truth: Mapping[str, Any]) -> tuple[Finding, ...]:
    """The sentences of the collinear case, from
    :func:`~cxresearch.linkage.drivers.beta_shapley_stability` and its truth.

    ``truth`` is :func:`cxresearch.simulate.failures.collinear_drivers`' (``betas``, the true
    effects; ``tied``, the two drivers with equal effects; ``r``, their correlation). Four
    findings: whether the tied drivers' rank intervals overlap and their difference in share
    holds after Holm; how their betas differ and swing (the share of resamples with the
    opposite sign, and any driver with a smaller true effect that the betas rank above one of
    them); how their Shapley shares compare, with each measure's spread; and the squared
    correlations against R^2. None claims an effect (the data are synthetic, the truth known).

    Examples
    --------
    >>> from cxresearch.simulate.failures import collinear_drivers
    >>> case = collinear_drivers(seed=0)
    >>> from cxresearch.linkage.drivers import beta_shapley_stability
    >>> s = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=100, seed=0)
    >>> for f in collinear_findings(s, case.truth):
    ...     print(f.text.split("**")[1])
    Ranks of d1 and d2
    Betas of d1 and d2
    Shapley shares of d1 and d2
    Squared correlations
    """
    t, sh = stability.table, stability.shapley
    a, b = truth["tied"]
    true = dict(truth["betas"])
    r = truth.get("r")
    pairs = sh.pairwise()
    row = pairs[((pairs["a"] == a) & (pairs["b"] == b)) | ((pairs["a"] == b) & (pairs["b"] == a))
                ].iloc[0]
    overlap = (t.loc[a, "rank_ci_low"] <= t.loc[b, "rank_ci_high"]
               and t.loc[b, "rank_ci_low"] <= t.loc[a, "rank_ci_high"])
    ties = (f"**Ranks of {a} and {b}**: their Shapley rank intervals are "
            f"{_rank_span(t.loc[a, 'rank_ci_low'], t.loc[a, 'rank_ci_high'])} and "
            f"{_rank_span(t.loc[b, 'rank_ci_low'], t.loc[b, 'rank_ci_high'])} "
            f"({sh.n_boot} resamples), which {'overlap' if overlap else 'do not overlap'}; "
            f"{row['a']}'s share exceeds {row['b']}'s by {row['difference']:.1f} points (95% "
            f"interval {row['ci_low']:.1f} to {row['ci_high']:.1f}), "
            + ("not distinguishable" if not row["distinguishable"] else "distinguishable")
            + f" after Holm (p = {row['p_holm']:.2f}). In the simulation both have the same "
            f"true coefficient ({true[a]:g})"
            + (f" and they correlate {r:g}" if r is not None else "") + ".")
    above = [d for d in t.index if d not in (a, b) and true[d] < true[a]
             and t.loc[d, "rank_beta"] < max(t.loc[a, "rank_beta"], t.loc[b, "rank_beta"])]
    low = a if t.loc[a, "rank_beta"] > t.loc[b, "rank_beta"] else b

    def beta(d: str) -> str:
        return (f"{d} {t.loc[d, 'beta']:.2f} (95% interval {t.loc[d, 'beta_ci_low']:.2f} to "
                f"{t.loc[d, 'beta_ci_high']:.2f}; the opposite sign in "
                f"{t.loc[d, 'opposite_sign']:.1%} of the resamples)")

    betas = (f"**Betas of {a} and {b}**: standardized betas {beta(a)} and {beta(b)}, for the "
             "same true coefficient"
             + (f"; ranked by beta, {low} is number {int(t.loc[low, 'rank_beta'])} of "
                f"{len(t)}, behind {', '.join(above)} (true coefficient "
                f"{', '.join(f'{true[d]:g}' for d in above)})" if above else "")
             + ".")

    def share(d: str) -> str:
        return (f"{d} {t.loc[d, 'shapley']:.1f}% (95% interval {t.loc[d, 'shapley_ci_low']:.1f} "
                f"to {t.loc[d, 'shapley_ci_high']:.1f})")

    shares = (f"**Shapley shares of {a} and {b}**: {share(a)} and {share(b)} of R² = "
              f"{sh.r2:.2f}. Relative to its size (interval width over the estimate), {a}'s "
              f"beta interval is {t.loc[a, 'beta_spread']:.1f} and its Shapley interval "
              f"{t.loc[a, 'shapley_spread']:.1f}; {b}'s {t.loc[b, 'beta_spread']:.1f} and "
              f"{t.loc[b, 'shapley_spread']:.1f}.")
    corr = sh.corr
    r2_each = {d: float(corr.loc[d, sh.outcome]) ** 2 for d in (a, b)}
    squared = (f"**Squared correlations**: {a}'s and {b}'s squared correlations with the "
               f"outcome add up to {sum(r2_each.values()):.2f}, "
               + ("more" if sum(r2_each.values()) > sh.r2 else "not more")
               + f" than the R² of all {len(t)} drivers together ({sh.r2:.2f}): a correlation "
               "counts the variance two drivers share once for each of them.")
    return tuple(Finding(text, False, kind="synthetic-only")
                 for text in (ties, betas, shares, squared))


def stability_draws(stability: DriverStability, drivers: Sequence[str]) -> pd.DataFrame:
    """Each resample's beta and Shapley share of ``drivers``, relative to the full sample's.

    A tidy frame for a figure: ``driver``, ``measure`` (``"beta"``, ``"shapley"``),
    ``resample``, ``value`` and ``relative`` (``value`` divided by the full-sample estimate:
    1 is the estimate, 0 no importance, below 0 the opposite sign), so that two measures in
    different units can be set on one axis.

    Examples
    --------
    >>> from cxresearch.simulate.failures import collinear_drivers
    >>> case = collinear_drivers(seed=0)
    >>> from cxresearch.linkage.drivers import beta_shapley_stability
    >>> s = beta_shapley_stability(case.data, "y", case.model["y"], n_boot=50, seed=0)
    >>> d = stability_draws(s, ["d1", "d2"])
    >>> d.shape, sorted(d["measure"].unique())
    ((200, 5), ['beta', 'shapley'])
    """
    t, sh = stability.table, stability.shapley
    cols = list(t.index)
    shares = sh._measure_draws("rescaled")
    parts = []
    for d in drivers:
        j = cols.index(d)
        for measure, values in (("beta", stability.betas[:, j]), ("shapley", shares[:, j])):
            parts.append(pd.DataFrame({"driver": d, "measure": measure,
                                       "resample": np.arange(len(values)), "value": values,
                                       "relative": values / t.loc[d, measure]}))
    return pd.concat(parts, ignore_index=True)
