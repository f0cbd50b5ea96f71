"""Notebook 02 (culture and engagement scales): validity verdicts, the truth of the bundled
survey, and the closing summary.

Every verdict is computed from a stated criterion and the shown number, one row per criterion
and scale (or pair of scales), so that a failed criterion can never be reported as a pass:

- composite reliability ``rho_c >= .70``;
- convergent validity, average variance extracted ``AVE > .50`` (Fornell & Larcker 1981);
- discriminant validity, ``HTMT < .85`` (Henseler, Ringle & Sarstedt 2015);
- discriminant validity, Fornell–Larcker: each scale's AVE above the squared correlation of the
  two factors (Fornell & Larcker 1981).

On the bundled synthetic study the notebook also knows the truth (``params.json``): the item
loadings of the continuous responses, the correlation of the two factors, the reverse-keyed
item and the number of factors. :func:`scale_truth` turns them into the units of the estimates
(standardized loadings of the 1-5 answers, which rounding attenuates), and
:func:`truth_table` says which estimate hits the truth by a stated rule.

References
----------
Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with unobservable
variables and measurement error. *Journal of Marketing Research*, 18(1), 39-50.
Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing discriminant
validity in variance-based structural equation modeling. *Journal of the Academy of Marketing
Science*, 43(1), 115-135.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cxresearch.report.conclusions import Finding

__all__ = [
    "ScaleTruth",
    "rounding_attenuation",
    "scale_truth",
    "summary_findings",
    "truth_table",
    "validity_findings",
    "validity_table",
]

#: the criteria's thresholds (stated in the notebook)
RHO_MIN, AVE_MIN, HTMT_MAX = 0.70, 0.50, 0.85
#: an estimate without an interval "hits" a truth within this distance (correlation units)
CLOSE = 0.05


def _f(x: float, digits: int = 2) -> str:
    return f"{float(x):.{digits}f}"


def validity_table(
    reliability: pd.DataFrame,
    htmt: pd.DataFrame,
    factor_corr: pd.DataFrame,
) -> pd.DataFrame:
    """One row per criterion and scale (or pair of scales): value, threshold, pass or fail.

    Parameters
    ----------
    reliability : pandas.DataFrame
        ``rho_c`` and ``ave`` per scale (``CfaResult.reliability``).
    htmt : pandas.DataFrame
        The HTMT matrix of the scales (:func:`cxresearch.htmt`).
    factor_corr : pandas.DataFrame
        The factor correlations of the CFA (``CfaResult.factor_corr``).

    Returns
    -------
    pandas.DataFrame
        ``criterion``, ``kind`` (reliability, convergent, discriminant), ``subject``,
        ``value``, ``threshold``, ``rule`` and ``passes``.

    Examples
    --------
    >>> rel = pd.DataFrame({"rho_c": [0.81, 0.80], "ave": [0.41, 0.44]}, index=["a", "b"])
    >>> m = pd.DataFrame([[1, 0.78], [0.78, 1]], index=["a", "b"], columns=["a", "b"])
    >>> t = validity_table(rel, m, m)
    >>> t.groupby("criterion", sort=False)["passes"].all().to_dict()
    {'rho_c': True, 'AVE': False, 'HTMT': True, 'Fornell–Larcker': False}
    """
    rows = []
    for name, r in reliability.iterrows():
        rows.append(("rho_c", "reliability", str(name), float(r["rho_c"]), RHO_MIN, "≥",
                     r["rho_c"] >= RHO_MIN))
    for name, r in reliability.iterrows():
        rows.append(("AVE", "convergent", str(name), float(r["ave"]), AVE_MIN, ">",
                     r["ave"] > AVE_MIN))
    names = list(reliability.index)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    for a, b in pairs:
        h = float(htmt.loc[a, b])
        rows.append(("HTMT", "discriminant", f"{a}–{b}", h, HTMT_MAX, "<", h < HTMT_MAX))
    for a, b in pairs:
        r2 = float(factor_corr.loc[a, b]) ** 2
        low = float(min(reliability.loc[a, "ave"], reliability.loc[b, "ave"]))
        rows.append(("Fornell–Larcker", "discriminant", f"{a}–{b}", low, r2, ">", low > r2))
    out = pd.DataFrame(rows, columns=["criterion", "kind", "subject", "value", "threshold",
                                      "rule", "passes"])
    out["passes"] = out["passes"].astype(bool)
    return out


def validity_findings(table: pd.DataFrame) -> tuple[Finding, ...]:
    """One sentence per criterion (pass or fail per scale), then what they add up to.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`validity_table`.

    Returns
    -------
    tuple of Finding
        ``kind="check"``; none claims an effect.

    Examples
    --------
    >>> rel = pd.DataFrame({"rho_c": [0.81, 0.80], "ave": [0.41, 0.44]}, index=["a", "b"])
    >>> m = pd.DataFrame([[1, 0.78], [0.78, 1]], index=["a", "b"], columns=["a", "b"])
    >>> print(validity_findings(validity_table(rel, m, m))[1].text)
    **Convergent validity (AVE > .50)**: fails for a (0.41) and b (0.44).
    """
    def verdict(rows: pd.DataFrame) -> str:
        ok, bad = rows[rows["passes"]], rows[~rows["passes"]]
        parts = []
        if len(ok):
            parts.append("passes for " + " and ".join(f"{s} ({_f(v)})" for s, v in
                                                       zip(ok["subject"], ok["value"])))
        if len(bad):
            parts.append("fails for " + " and ".join(f"{s} ({_f(v)})" for s, v in
                                                      zip(bad["subject"], bad["value"])))
        return "; ".join(parts)

    by = {c: table[table["criterion"] == c] for c in table["criterion"].unique()}
    out = []
    if "rho_c" in by:
        out.append(Finding(f"**Composite reliability (rho_c ≥ .70)**: {verdict(by['rho_c'])}.",
                           False, kind="check"))
    if "AVE" in by:
        out.append(Finding(f"**Convergent validity (AVE > .50)**: {verdict(by['AVE'])}.",
                           False, kind="check"))
    if "HTMT" in by:
        out.append(Finding(f"**Discriminant validity, HTMT < .85**: {verdict(by['HTMT'])}.",
                           False, kind="check"))
    if "Fornell–Larcker" in by:
        fl = by["Fornell–Larcker"]
        text = "; ".join(
            f"{s}: the smaller AVE ({_f(v)}) is {'above' if p else 'not above'} the squared "
            f"factor correlation ({_f(t)}), so it {'passes' if p else 'fails'}"
            for s, v, t, p in zip(fl["subject"], fl["value"], fl["threshold"], fl["passes"]))
        out.append(Finding(f"**Discriminant validity, Fornell–Larcker (each AVE > r²)**: "
                           f"{text}.", False, kind="check"))
    if "HTMT" in by and "Fornell–Larcker" in by:
        both = by["HTMT"]["passes"].all() and by["Fornell–Larcker"]["passes"].all()
        none = not by["HTMT"]["passes"].any() and not by["Fornell–Larcker"]["passes"].any()
        reading = ("the scales are distinct by both discriminant criteria" if both else
                   "the scales are not distinct by either discriminant criterion" if none else
                   "the scales are only partly distinct: one discriminant criterion passes, "
                   "the other fails")
        weak = list(by["AVE"].loc[~by["AVE"]["passes"], "subject"]) if "AVE" in by else []
        conv = (f"in {' and '.join(weak)} the items share on average less than half their "
                "variance with their factor, so single items are weak measures and the scale "
                "needs all of them" if weak else
                "the items share on average at least half their variance with their factor")
        out.append(Finding(f"**Reading**: {reading}; {conv}.", False, kind="check"))
    return tuple(out)


# --------------------------------------------------------------------------- the truth


def rounding_attenuation(centre: float = 3.5, scale: float = 1.0, lo: int = 1,
                         hi: int = 5) -> float:
    """Correlation of a standard normal response with its rounded rating.

    The simulator rates a continuous response ``y`` as ``clip(rint(centre + scale * y), lo,
    hi)``; an item's standardized loading on the rating is its loading on ``y`` times this
    correlation, ``E[X y] / sd(X)``, where ``E[X y]`` is the sum of the normal density at the
    category thresholds (one step each).

    Examples
    --------
    >>> round(rounding_attenuation(), 4)
    0.9488
    """
    from scipy import stats

    cuts = (np.arange(lo, hi) + 0.5 - centre) / scale  # thresholds between categories
    cdf = np.concatenate([[0.0], stats.norm.cdf(cuts), [1.0]])
    p = np.diff(cdf)
    k = np.arange(lo, hi + 1, dtype=float)
    sd = float(np.sqrt(p @ k**2 - (p @ k) ** 2))
    return float(stats.norm.pdf(cuts).sum() / sd)


@dataclass(frozen=True)
class ScaleTruth:
    """The bundled survey's truth in the units of the estimates.

    loadings: ``factor``, ``item``, ``continuous`` (the simulation's loading of the continuous
    response) and ``truth`` (the standardized loading of the 1-5 rating). ave: per factor, of
    the rating loadings. factor_corr: the correlation of the two factors. reverse: the
    reverse-keyed items. n_factors: the number of factors.
    """

    loadings: pd.DataFrame
    ave: pd.Series
    factor_corr: float
    reverse: tuple[str, ...]
    n_factors: int


def scale_truth(
    params_path: str | Path,
    scales: Mapping[str, Sequence[str]],
    reverse: Sequence[str],
) -> ScaleTruth:
    """The truth of the bundled synthetic employee survey, from its ``params.json``.

    Parameters
    ----------
    params_path : str or Path
        The study's ``params.json`` (written by ``python -m cxresearch data build``).
    scales : mapping
        ``{"culture": [...], "engagement": [...]}`` (the bundled instrument's scales).
    reverse : sequence of str
        The reverse-keyed items the simulator wrote (``REVERSE_KEYED``).

    Returns
    -------
    ScaleTruth
    """
    p = json.loads(Path(params_path).read_text())["params"]
    c = rounding_attenuation()
    rows = []
    for name, key in zip(scales, ("culture_loadings", "engagement_loadings"), strict=False):
        for item, lam in zip(scales[name], p[key], strict=True):
            rows.append({"factor": name, "item": item, "continuous": float(lam),
                         "truth": float(lam) * c})
    loadings = pd.DataFrame(rows)
    ave = loadings.groupby("factor", sort=False)["truth"].apply(lambda s: float((s**2).mean()))
    return ScaleTruth(loadings, ave, float(p["engagement_culture_r"]), tuple(reverse),
                      len(scales))


def truth_table(
    truth: ScaleTruth,
    *,
    reverse_found: Sequence[str],
    n_retained: int,
    factor_corr: float,
    std_loadings: pd.DataFrame,
    ave: pd.Series,
    invariance_holds: bool | None,
) -> pd.DataFrame:
    """Each estimate beside the truth, with the rule that decides hit or miss.

    Parameters
    ----------
    truth : ScaleTruth
        From :func:`scale_truth`.
    reverse_found : sequence of str
        Items with a negative corrected item–total correlation.
    n_retained : int
        Factors kept by parallel analysis.
    factor_corr : float
        The CFA's factor correlation.
    std_loadings : pandas.DataFrame
        ``item`` and ``std_estimate`` (``CfaResult.loadings``).
    ave : pandas.Series
        AVE per scale (``CfaResult.reliability["ave"]``).
    invariance_holds : bool or None
        Whether the CFI drops stay within .01 (None: not tested).

    Returns
    -------
    pandas.DataFrame
        ``quantity``, ``estimate``, ``truth``, ``hit`` and ``rule`` (text).

    Examples
    --------
    >>> lt = pd.DataFrame({"factor": ["a"] * 2, "item": ["x", "y"], "continuous": [.7, .6],
    ...                    "truth": [.66, .57]})
    >>> t = ScaleTruth(lt, pd.Series({"a": 0.38}), 0.8, ("y",), 1)
    >>> tt = truth_table(t, reverse_found=["y"], n_retained=1, factor_corr=float("nan"),
    ...                  std_loadings=pd.DataFrame({"item": ["x", "y"],
    ...                                             "std_estimate": [.65, .5]}),
    ...                  ave=pd.Series({"a": 0.35}), invariance_holds=True)
    >>> tt["hit"].tolist()
    [True, True, False, True, True, True, True]
    """
    rows = [
        ("reverse-keyed items", ", ".join(sorted(reverse_found)) or "none",
         ", ".join(sorted(truth.reverse)) or "none",
         sorted(reverse_found) == sorted(truth.reverse),
         "negative corrected item–total correlation"),
        ("number of factors", str(n_retained), str(truth.n_factors),
         n_retained == truth.n_factors, "parallel analysis keeps the simulated number"),
    ]
    if np.isfinite(factor_corr):
        rows.append(("factor correlation", _f(factor_corr), _f(truth.factor_corr),
                     abs(factor_corr - truth.factor_corr) <= CLOSE, f"within {CLOSE}"))
    from scipy import stats

    merged = truth.loadings.merge(std_loadings[["item", "std_estimate"]], on="item")
    diff = merged["std_estimate"] - merged["truth"]
    close = int((diff.abs() <= CLOSE).sum())
    rows.append(("standardized loadings", f"{close} of {len(merged)} within {CLOSE}",
                 f"{_f(merged['truth'].min())} to {_f(merged['truth'].max())}",
                 close == len(merged), f"each within {CLOSE} of its true loading"))
    below = int((diff < 0).sum())
    sign_p = float(stats.binomtest(below, len(merged), 0.5).pvalue)
    rows.append(("direction of the loading errors",
                 f"{below} of {len(merged)} below the truth, by up to "
                 f"{_f(max(0.0, -float(diff.min())))}",
                 "no systematic direction", sign_p >= 0.05,
                 f"two-sided sign test p = {sign_p:.3f}, needs ≥ .05; the simulated response "
                 "and item skipping depend on the latent trait, which narrows its range among "
                 "respondents"))
    for name, v in ave.items():
        if name in truth.ave.index:
            t = float(truth.ave[name])
            rows.append((f"AVE {name}", _f(v), _f(t), abs(float(v) - t) <= CLOSE,
                         f"within {CLOSE}"))
            verdict = {True: "passes", False: "fails"}
            rows.append((f"AVE > .50 verdict, {name}", verdict[bool(v > AVE_MIN)],
                         verdict[bool(t > AVE_MIN)], bool(v > AVE_MIN) == bool(t > AVE_MIN),
                         "the same verdict as the true loadings give"))
    if invariance_holds is not None:
        rows.append(("invariance", "holds" if invariance_holds else "fails", "holds",
                     bool(invariance_holds),
                     "the simulation uses one measurement model for every group"))
    return pd.DataFrame(rows, columns=["quantity", "estimate", "truth", "hit", "rule"])


def summary_findings(
    verdicts: pd.DataFrame,
    warnings: Sequence[str],
    truth: pd.DataFrame | None = None,
) -> tuple[Finding, ...]:
    """The closing summary: verdicts per criterion, warnings, then hits and misses of the truth.

    Parameters
    ----------
    verdicts : pandas.DataFrame
        From :func:`validity_table`.
    warnings : sequence of str
        The notebook's own caveats (a narrow factor, fit by construction, ...).
    truth : pandas.DataFrame, optional
        From :func:`truth_table` (bundled synthetic data only).

    Returns
    -------
    tuple of Finding

    Examples
    --------
    >>> rel = pd.DataFrame({"rho_c": [0.81, 0.80], "ave": [0.41, 0.44]}, index=["a", "b"])
    >>> m = pd.DataFrame([[1, 0.78], [0.78, 1]], index=["a", "b"], columns=["a", "b"])
    >>> [f.text.split("**")[1] for f in summary_findings(validity_table(rel, m, m), ["w"])]
    ['Criteria passed', 'Criteria failed', 'Warnings']
    """
    def listing(rows: pd.DataFrame) -> str:
        return "; ".join(f"{c} {s} {_f(v)} (needs {r} {_f(t)})" if c != "Fornell–Larcker" else
                         f"Fornell–Larcker {s}: smallest AVE {_f(v)} (needs > r² {_f(t)})"
                         for c, s, v, r, t in zip(rows["criterion"], rows["subject"],
                                                  rows["value"], rows["rule"],
                                                  rows["threshold"]))

    ok, bad = verdicts[verdicts["passes"]], verdicts[~verdicts["passes"]]
    out = [Finding(f"**Criteria passed**: {listing(ok) if len(ok) else 'none'}.", False,
                   kind="check"),
           Finding(f"**Criteria failed**: {listing(bad) if len(bad) else 'none'}.", False,
                   kind="check")]
    if warnings:
        out.append(Finding("**Warnings**: " + " ".join(warnings), False, kind="check"))
    if truth is not None and len(truth):
        def said(rows: pd.DataFrame) -> str:
            return "; ".join(f"{q}: {e} (truth: {t}; {r})" for q, e, t, r in
                             zip(rows["quantity"], rows["estimate"], rows["truth"],
                                 rows["rule"]))
        hit, miss = truth[truth["hit"]], truth[~truth["hit"]]
        out.append(Finding(f"**Missed the simulation's truth**: "
                           f"{said(miss) if len(miss) else 'none by the stated rules'}.", False,
                           kind="truth"))
        out.append(Finding(f"**Hit the simulation's truth**: "
                           f"{said(hit) if len(hit) else 'none'}.", False, kind="truth"))
    return tuple(out)


def bundled_wording() -> dict[str, str]:
    """The wording of the bundled survey's employee items (code -> question).

    Examples
    --------
    >>> bundled_wording()["culture_4"]
    'Internal rules get in the way of serving customers well'
    """
    from cxresearch.io.readers import TABLE_SPECS

    return {spec.name: spec.question for spec in TABLE_SPECS["employees"] if spec.question}


def item_labels(items: Sequence[str], reverse: Sequence[str] = (),
                wording: Mapping[str, str] | None = None) -> list[str]:
    """Each item's wording (``wording``, by default the bundled survey's; an item without one
    keeps its column name), with " (reversed)" after a reverse-keyed item.

    Examples
    --------
    >>> item_labels(["culture_4", "q9"], reverse=["culture_4"])
    ['Internal rules get in the way of serving customers well (reversed)', 'q9']
    >>> item_labels(["c3"], reverse=["c3"], wording={"c3": "Rules get in the way"})
    ['Rules get in the way (reversed)']
    """
    words = bundled_wording() if wording is None else dict(wording)
    return [words.get(i, i) + (" (reversed)" if i in reverse else "") for i in items]


__all__ += ["bundled_wording", "item_labels"]


def efa_alt_text(loadings: pd.DataFrame, scales: Mapping[str, Sequence[str]]) -> str:
    """Alt text of the loadings heat map, from the numbers: each scale's range of loadings on
    its main factor and the largest cross-loading.

    Examples
    --------
    >>> ld = pd.DataFrame({"F1": [0.7, 0.6, 0.1], "F2": [0.05, -0.1, 0.8]}, index=["a", "b", "c"])
    >>> print(efa_alt_text(ld, {"x": ["a", "b"], "y": ["c"]}))  # doctest: +NORMALIZE_WHITESPACE
    Heat map of loadings, one row per item, one column per factor: x items load 0.60 to 0.70
    on factor 1, y items 0.80 on factor 2; no cross-loading above 0.10 in absolute value.
    """
    parts, cross = [], 0.0
    for i, (name, items) in enumerate(scales.items()):
        block = loadings.loc[list(items)].abs()
        main = block.mean().idxmax()
        lo, hi = float(block[main].min()), float(block[main].max())
        rng = f"{lo:.2f}" if round(lo, 2) == round(hi, 2) else f"{lo:.2f} to {hi:.2f}"
        parts.append(f"{name} items {'load ' if i == 0 else ''}{rng} on factor "
                     f"{str(main).lstrip('F')}")
        others = block.drop(columns=main)
        if others.size:
            cross = max(cross, float(others.to_numpy().max()))
    return ("Heat map of loadings, one row per item, one column per factor: " + ", ".join(parts)
            + f"; no cross-loading above {cross:.2f} in absolute value.")


__all__ += ["efa_alt_text"]


def reverse_finding(scale: str, before: pd.DataFrame, after: pd.DataFrame, alpha_before: float,
                    alpha_after: float, reverse: Sequence[str],
                    wording: Mapping[str, str] | None = None) -> Finding:
    """What rescoring the reverse-keyed items did: each item with a negative corrected
    item–total correlation (``r_drop``) before and after, and alpha before and after; items
    named by ``wording`` (default: the bundled survey's, else the column name).

    Examples
    --------
    >>> b = pd.DataFrame({"r_drop": [0.5, -0.46]}, index=["q1", "culture_4"])
    >>> a = pd.DataFrame({"r_drop": [0.6, 0.46]}, index=["q1", "culture_4"])
    >>> print(reverse_finding("culture", b, a, 0.5, 0.8, ["culture_4"]).text)
    ... # doctest: +NORMALIZE_WHITESPACE
    **Item analysis, culture**: “Internal rules get in the way of serving customers well”
    correlates -0.46 with the rest before rescoring, 0.46 after; alpha 0.500 before
    rescoring, 0.800 after.
    """
    negative = list(before.index[before["r_drop"] < 0])
    parts = []
    for item, words in zip(negative, item_labels(negative, wording=wording), strict=True):
        now = (f", {after.loc[item, 'r_drop']:.2f} after" if item in reverse
               else " (not declared reverse-keyed)")
        parts.append(f"“{words}” correlates {before.loc[item, 'r_drop']:.2f} with the rest "
                     f"before rescoring{now}")
    head = "; ".join(parts) if parts else "no item correlates negatively with the rest"
    return Finding(f"**Item analysis, {scale}**: {head}; alpha {alpha_before:.3f} before "
                   f"rescoring, {alpha_after:.3f} after.", False, kind="check")


__all__ += ["reverse_finding"]


def limits(*, scales: Sequence[str], by: str | None, invariance_holds: bool | None,
           nest: str, synthetic: bool, reversed_items: Sequence[str] = (),
           fictional_shown: bool = False) -> list[str]:
    """The closing notes of notebook 02, written from what the run found: what the invariance
    test allows, the reverse-keyed items, and what no result here can show.

    Parameters
    ----------
    scales : sequence of str
        The scales' names.
    by : str or None
        The groups of the invariance test, in words (None: not tested).
    invariance_holds : bool or None
        Whether metric and scalar invariance held (None: not tested).
    nest : str
        What the employees are nested in, in words.
    synthetic : bool
        Whether the data are the bundled synthetic survey.
    reversed_items : sequence of str
        The instrument's reverse-keyed items.
    fictional_shown : bool
        Whether the fictional IBM items were shown.

    Returns
    -------
    list of str
        One Markdown sentence per note.

    Examples
    --------
    >>> for line in limits(scales=["culture"], by=None, invariance_holds=None,
    ...                    nest="stores", synthetic=False):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    Whether the culture scores can be compared across groups was not tested here (no grouping
    column).
    It does **not** show that the scales measure what their names say: that needs a review of
    the items' content and links to outcomes (notebook 05).
    Employee-level fit ignores the nesting in stores; a multilevel CFA would separate the
    levels.
    """
    names = " and ".join(scales)
    out = []
    if by is None or invariance_holds is None:
        out.append(f"Whether the {names} scores can be compared across groups was not tested "
                   "here (no grouping column).")
    elif invariance_holds:
        out.append(f"Metric and scalar invariance hold across {by}, so a difference in "
                   f"{names} means between them is a difference in the scale, not in how the "
                   "items are read (treating employees as independent).")
    else:
        out.append(f"Invariance fails across {by}: a difference in {names} means between "
                   "them may be a difference in how the items are read, not in the scale.")
    if reversed_items:
        out.append("A reverse-keyed item (here " + ", ".join(f"`{i}`" for i in reversed_items)
                   + ") must be rescored first, which item analysis reveals at once.")
    if fictional_shown:
        out.append("Items that look like a scale need not form one: in IBM's fictional HR "
                   "sample data the five satisfaction ratings are unrelated to each other.")
    out.append("It does **not** show that the scales measure what their names say: "
               + ("the survey is synthetic, simulated from this very model, and real scales "
                  "need real survey data, " if synthetic else "that needs ")
               + "a review of the items' content and links to outcomes (notebook 05).")
    out.append(f"Employee-level fit ignores the nesting in {nest}; a multilevel CFA would "
               "separate the levels.")
    return out


__all__ += ["limits"]


# ------------------------------------------------------------------ what failure looks like

#: the fit criteria notebook 02 states (Hu & Bentler 1999): CFI ≥ .95 and RMSEA ≤ .06
CFI_MIN, RMSEA_MAX = 0.95, 0.06
#: the invariance criterion notebook 02 states (Cheung & Rensvold 2002): a CFI drop of at most .01
DELTA_CFI_MAX = 0.01


def fit_table(fits: Mapping[str, object], cfi_min: float = CFI_MIN,
              rmsea_max: float = RMSEA_MAX) -> pd.DataFrame:
    """One row per fitted CFA: chi2, df, CFI, RMSEA, SRMR and whether it meets the criteria.

    Parameters
    ----------
    fits : mapping
        Label -> a :class:`~cxresearch.measurement.psychometrics.CfaResult` (its ``fit``).
    cfi_min, rmsea_max : float
        The criteria: CFI at least ``cfi_min`` and RMSEA at most ``rmsea_max``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``model``: ``chi2``, ``df``, ``cfi``, ``rmsea``, ``srmr``, ``cfi_ok``,
        ``rmsea_ok`` and ``verdict`` ("meets both", "rejected").

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> good = NS(fit=pd.Series({"chi2": 20.0, "df": 19, "cfi": 0.99, "rmsea": 0.01, "srmr": 0.02}))
    >>> bad = NS(fit=pd.Series({"chi2": 287.0, "df": 19, "cfi": 0.88, "rmsea": 0.13, "srmr": 0.09}))
    >>> fit_table({"as specified": bad, "freed": good})["verdict"].tolist()
    ['rejected', 'meets both']
    """
    rows = []
    for label, res in fits.items():
        f = res.fit  # type: ignore[attr-defined]
        cfi_ok, rmsea_ok = bool(f["cfi"] >= cfi_min), bool(f["rmsea"] <= rmsea_max)
        rows.append({"model": label, "chi2": float(f["chi2"]), "df": int(f["df"]),
                     "cfi": float(f["cfi"]), "rmsea": float(f["rmsea"]),
                     "srmr": float(f["srmr"]), "cfi_ok": cfi_ok, "rmsea_ok": rmsea_ok,
                     "verdict": "meets both" if cfi_ok and rmsea_ok else "rejected"})
    return pd.DataFrame(rows).set_index("model")


def _param(row: pd.Series) -> str:
    return f"`{row['lhs']} {row['op']} {row['rhs']}`"


def misfit_finding(table: pd.DataFrame, mi: pd.DataFrame, truth: Mapping[str, object],
                   freed: str, cfi_min: float = CFI_MIN, rmsea_max: float = RMSEA_MAX
                   ) -> Finding:
    """What a misfitting CFA shows, from the numbers: rejected or not, where the largest
    modification index points, and what freeing it does.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`fit_table`: the first row the model as specified, the row labelled
        ``freed`` the model with the largest MI's parameter freed.
    mi : pandas.DataFrame
        From :func:`cxresearch.measurement.psychometrics.modification_indices` (largest first).
    truth : mapping
        The case's ``truth`` (``cause``: what the generator built in).
    freed : str
        The label of the refitted row of ``table``.

    Examples
    --------
    >>> t = pd.DataFrame({"chi2": [287.1, 27.6], "df": [19, 18], "cfi": [0.881, 0.996],
    ...                   "rmsea": [0.133, 0.026], "cfi_ok": [False, True],
    ...                   "rmsea_ok": [False, True]}, index=["as specified", "freed"])
    >>> m = pd.DataFrame({"lhs": ["a", "b2"], "op": ["=~", "~~"], "rhs": ["b1", "b4"],
    ...                   "mi": [318.3, 89.1]})
    >>> print(misfit_finding(t, m, {"cause": "b1 also loads on a"}, "freed").text)
    ... # doctest: +NORMALIZE_WHITESPACE
    **As specified**: CFI 0.881 and RMSEA 0.133, so the model is rejected (CFI below 0.95 and
    RMSEA above 0.06). The largest modification index, 318.3 (next 89.1), is `a =~ b1`, which
    is the cause built in (b1 also loads on a). Freed, chi2 drops by 259.5 (the MI expected
    318.3) and the fit is CFI 0.996, RMSEA 0.026, which meets both criteria.
    """
    spec, fix = table.iloc[0], table.loc[freed]
    why = " and ".join(w for w, ok in ((f"CFI below {cfi_min:g}", spec["cfi_ok"]),
                                       (f"RMSEA above {rmsea_max:g}", spec["rmsea_ok"]))
                       if not ok)
    verdict = (f"so the model is rejected ({why})" if why else
               "so the model meets both criteria")
    top = mi.iloc[0]
    repaired = ("meets both criteria" if fix["cfi_ok"] and fix["rmsea_ok"] else
                "still misses the criteria")
    return Finding(
        f"**As specified**: CFI {spec['cfi']:.3f} and RMSEA {spec['rmsea']:.3f}, {verdict}. "
        f"The largest modification index, {top['mi']:.1f} (next {mi.iloc[1]['mi']:.1f}), is "
        f"{_param(top)}, which is the cause built in ({truth['cause']}). Freed, chi2 drops by "
        f"{spec['chi2'] - fix['chi2']:.1f} (the MI expected {top['mi']:.1f}) and the fit is CFI "
        f"{fix['cfi']:.3f}, RMSEA {fix['rmsea']:.3f}, which {repaired}.", False, kind="check")


def intercept_scan(data: pd.DataFrame, model: Mapping[str, Sequence[str]], by: str
                   ) -> pd.DataFrame:
    """Which item's intercept differs between groups: partial scalar invariance, one item at a
    time (Byrne, Shavelson & Muthén 1989).

    For each item, the scalar model with that item's intercept free in every group but the
    first (:func:`cxresearch.measurement_invariance` with ``free_intercepts=[item]``),
    compared with the full scalar model (``drop``: how much chi2 falls, 1 df per group beyond
    the first) and with the metric model (the partial scalar step's ``delta_chi2``,
    ``delta_df``, ``delta_p`` and ``delta_cfi``). ``holds``: the partial scalar step passes
    the notebook's rule, a CFI drop of at most :data:`DELTA_CFI_MAX`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``item`` (the one freed), largest ``drop`` first.

    Examples
    --------
    >>> from cxresearch.simulate.failures import noninvariant_item
    >>> case = noninvariant_item(seed=0)
    >>> scan = intercept_scan(case.data, case.model, "group")
    >>> scan.index[0], bool(scan["holds"].iloc[0]), bool(scan["holds"].iloc[1:].any())
    ('x3', True, False)
    """
    from scipy import stats

    from cxresearch.measurement.psychometrics import measurement_invariance

    full = measurement_invariance(data, model, by).to_frame()
    rows = []
    for item in [c for items in model.values() for c in items]:
        t = measurement_invariance(data, model, by, invariance=["metric", "scalar"],
                                   free_intercepts=[item]).to_frame().loc["scalar"]
        drop = float(full.loc["scalar", "chi2"] - t["chi2"])
        ddf = int(full.loc["scalar", "df"] - t["df"])
        rows.append({"item": item, "chi2": float(t["chi2"]), "df": int(t["df"]),
                     "drop": drop, "drop_df": ddf, "drop_p": float(stats.chi2.sf(drop, ddf)),
                     "delta_chi2": float(t["delta_chi2"]), "delta_df": int(t["delta_df"]),
                     "delta_p": float(t["delta_p"]), "delta_cfi": float(t["delta_cfi"]),
                     "holds": bool(-t["delta_cfi"] <= DELTA_CFI_MAX)})
    return (pd.DataFrame(rows).set_index("item")
            .sort_values("drop", ascending=False, kind="mergesort"))


def invariance_failure_finding(table: pd.DataFrame, scan: pd.DataFrame,
                               truth: Mapping[str, object]) -> Finding:
    """Which invariance step fails and which item is located, from the numbers.

    Parameters
    ----------
    table : pandas.DataFrame
        ``InvarianceResult.to_frame()`` (configural, metric, scalar).
    scan : pandas.DataFrame
        From :func:`intercept_scan`.
    truth : mapping
        The case's ``truth`` (``item``, ``shift``).

    Examples
    --------
    >>> tab = pd.DataFrame({"delta_chi2": [float("nan"), 8.1, 251.4], "delta_df": [None, 4, 4],
    ...                     "delta_p": [float("nan"), 0.088, 0.0],
    ...                     "delta_cfi": [float("nan"), 0.0, -0.153]},
    ...                    index=["configural", "metric", "scalar"])
    >>> sc = pd.DataFrame({"drop": [247.1, 31.4], "delta_cfi": [-0.0006, -0.134],
    ...                    "holds": [True, False]}, index=["x3", "x2"])
    >>> print(invariance_failure_finding(tab, sc, {"item": "x3", "shift": 0.8}).text)
    ... # doctest: +NORMALIZE_WHITESPACE
    **Invariance, step by step**: metric holds (ΔCFI 0.000; Δchi2(4) = 8.1, p = 0.088);
    scalar fails (ΔCFI -0.153, more than the 0.01 allowed; Δchi2(4) = 251.4, p < 0.001).
    Freeing one intercept at a time, x3 lowers chi2 the most (by 247.1), and it is the only
    item whose release makes the scalar step pass (ΔCFI -0.001); the next, x2, lowers it by
    31.4.
    The generator shifted x3 by 0.8 SD in one group: the item is located.
    """
    def step(name: str) -> str:
        r = table.loc[name]
        ok = -r["delta_cfi"] <= DELTA_CFI_MAX
        p = "p < 0.001" if r["delta_p"] < 0.001 else f"p = {r['delta_p']:.3f}"
        return (f"{name} {'holds' if ok else 'fails'} (ΔCFI {r['delta_cfi']:.3f}"
                + ("" if ok else f", more than the {DELTA_CFI_MAX:g} allowed")
                + f"; Δchi2({int(r['delta_df'])}) = {r['delta_chi2']:.1f}, {p})")

    top = scan.index[0]
    passing = list(scan.index[scan["holds"]])
    others = [i for i in passing if i != top]
    only = ("it is the only item whose release makes the scalar step pass" if passing == [top]
            else "its release makes the scalar step pass, as does that of "
            + ", ".join(others) if top in passing else
            "but its release alone does not make the scalar step pass")
    located = top == truth["item"]
    return Finding(
        f"**Invariance, step by step**: {step('metric')}; {step('scalar')}. Freeing one "
        f"intercept at a time, {top} lowers chi2 the most (by {scan['drop'].iloc[0]:.1f}), and "
        f"{only} (ΔCFI {scan['delta_cfi'].iloc[0]:.3f}); the next, {scan.index[1]}, lowers it "
        f"by {scan['drop'].iloc[1]:.1f}. The generator shifted {truth['item']} by "
        f"{float(truth['shift']):g} SD in one group: "
        + ("the item is located." if located else "the scan points elsewhere."),
        False, kind="check")


__all__ += ["CFI_MIN", "DELTA_CFI_MAX", "RMSEA_MAX", "fit_table", "intercept_scan",
            "invariance_failure_finding", "misfit_finding"]
