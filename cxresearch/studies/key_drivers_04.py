"""Text and labels for notebook 04 (key drivers) that no other notebook uses.

- :data:`ECSI_WORDING` -- short wordings of the ECSI survey's driver items, for figures;
- :func:`item_wording` -- code -> wording for a list of drivers (the code where none is known);
- :func:`quadrant_findings` -- one generated sentence per quadrant of the
  importance-performance map, read from its table;
- :func:`quadrant_alt_text` -- the map's alt text, read from the same table;
- :func:`published_check` -- does a computed decomposition match published values to the
  decimals given?
- :func:`population_findings` -- the sample's map against the synthetic model's population
  values (coverage of the shares, quadrant labels that match and that miss).

Every label in the text comes from the ``quadrant`` column of
:meth:`cxresearch.linkage.drivers.ImportancePerformance.to_frame`, so a rerun with another seed
changes the words with the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from cxresearch.linkage.drivers import QUADRANT_ORDER, UNCLEAR
from cxresearch.report.conclusions import Finding

__all__ = ["ECSI_WORDING", "item_wording", "population_findings", "published_check",
           "quadrant_alt_text", "quadrant_findings"]

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
