"""Notebook 03 (a satisfaction-index model): the path table, its multiplicity control, the
recovery of the synthetic survey's truth, the figure's words and the closing summary.

The headline estimates are PLSc (consistent PLS, Dijkstra & Henseler 2015) with percentile
bootstrap intervals; plain PLS, which attenuates paths between constructs measured with error,
is kept as the comparison. The twelve path tests are one family: their bootstrap (Wald)
p-values are Holm-adjusted (:func:`cxresearch.report.conclusions.holm_family`).

References
----------
Dijkstra, T. K., & Henseler, J. (2015). Consistent partial least squares path modeling. *MIS
Quarterly*, 39(2), 297-316.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal
of Statistics*, 6(2), 65-70.
"""

from __future__ import annotations

import pandas as pd

from cxresearch.core.validation import require_columns
from cxresearch.report.conclusions import Finding, adjusted_supported, holm_family
from cxresearch.studies.key_drivers_04 import ECSI_WORDING

__all__ = ["ECSI_ITEM_WORDING", "PLS", "PLSC", "alt_text", "closing_notes", "long_paths",
           "path_table", "recovery_findings", "reliability_checks"]

#: short wordings of every item of the ECSI mobile-phone questionnaire (Tenenhaus et al. 2005),
#: paraphrased: the drivers' of notebook 04, then expectations, satisfaction, complaints and
#: loyalty
ECSI_ITEM_WORDING: dict[str, str] = {
    **ECSI_WORDING,
    "CUEX1": "expected quality when joining",
    "CUEX2": "expected fit with personal needs",
    "CUEX3": "expected how often things go wrong",
    "CUSA1": "overall satisfaction",
    "CUSA2": "fulfilment of expectations",
    "CUSA3": "close to the ideal provider",
    "CUSCO": "handling of the latest complaint",
    "CUSL1": "would choose it again",
    "CUSL2": "would stay if competitors cut prices",
    "CUSL3": "would recommend it to a friend",
}

PLSC, PLS = "PLSc (consistent PLS)", "plain PLS"
#: a point estimate "far" from the truth: more than this share of the true value away
FAR = 0.20


def path_table(pls: pd.DataFrame, plsc: pd.DataFrame,
               truth: pd.DataFrame | None = None) -> pd.DataFrame:
    """PLSc paths (the headline) beside plain PLS and the truth, with Holm-adjusted p-values.

    Parameters
    ----------
    pls, plsc : pandas.DataFrame
        ``PlsResult.paths`` of the plain and the consistent fit, both bootstrapped
        (``source``, ``target``, ``estimate``, ``se``, ``ci_low``, ``ci_high``).
    truth : pandas.DataFrame, optional
        ``source``, ``target``, ``estimate`` of the simulation (synthetic data only).

    Returns
    -------
    pandas.DataFrame
        ``path``, PLSc's ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``p_holm``,
        ``n_family``; plain PLS's ``pls``, ``pls_ci_low``, ``pls_ci_high``; and ``truth``.

    Examples
    --------
    >>> a = pd.DataFrame({"source": ["x", "y"], "target": ["y", "z"], "estimate": [0.4, 0.05],
    ...                   "se": [0.05, 0.04], "ci_low": [0.3, -0.03], "ci_high": [0.5, 0.13]})
    >>> t = path_table(a, a.assign(estimate=[0.5, 0.06]))
    >>> t[["path", "estimate", "pls"]].values.tolist()
    [['x → y', 0.5, 0.4], ['y → z', 0.06, 0.05]]
    >>> int(t["n_family"].iloc[0])
    2
    """
    cols = ["source", "target", "estimate", "se", "ci_low", "ci_high"]
    require_columns(pls, cols)
    require_columns(plsc, cols)
    out = plsc[cols].copy()
    out.insert(0, "path", out["source"] + " → " + out["target"])
    out = out.merge(pls[cols].rename(columns={"estimate": "pls", "se": "pls_se",
                                              "ci_low": "pls_ci_low", "ci_high": "pls_ci_high"}),
                    on=["source", "target"])
    if truth is not None:
        out = out.merge(truth[["source", "target", "estimate"]].rename(
            columns={"estimate": "truth"}), on=["source", "target"])
    return holm_family(out)


def long_paths(table: pd.DataFrame) -> pd.DataFrame:
    """The table in long form for :func:`cxresearch.coef_plot` (``by="method"``): one row per
    path and method, PLSc first."""
    keep = ["path", "source", "target"] + (["truth"] if "truth" in table else [])
    a = table[[*keep, "estimate", "ci_low", "ci_high"]].assign(method=PLSC)
    b = table[[*keep, "pls", "pls_ci_low", "pls_ci_high"]].rename(
        columns={"pls": "estimate", "pls_ci_low": "ci_low", "pls_ci_high": "ci_high"}
    ).assign(method=PLS)
    return pd.concat([a, b], ignore_index=True)


def _misses(table: pd.DataFrame, est: str, lo: str, hi: str) -> pd.DataFrame:
    t = table.assign(off=(table[est] - table["truth"]) / table["truth"])
    return t[~t["truth"].between(t[lo], t[hi])]


def _said(rows: pd.DataFrame, est: str) -> str:
    return "; ".join(f"{p} {e:.2f} vs {t:.2f} "
                     f"({abs(o) * 100:.0f}% {'below' if o < 0 else 'above'})"
                     for p, e, t, o in zip(rows["path"], rows[est], rows["truth"], rows["off"],
                                           strict=True))


def recovery_findings(table: pd.DataFrame) -> tuple[Finding, ...]:
    """What missed the simulation's truth, first; then what hit it (synthetic data only).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`path_table` with ``truth``.

    Returns
    -------
    tuple of Finding
        ``kind="truth"``; none claims an effect.

    Examples
    --------
    >>> a = pd.DataFrame({"source": ["x", "y"], "target": ["y", "z"], "estimate": [0.4, 0.05],
    ...                   "se": [0.05, 0.04], "ci_low": [0.3, -0.03], "ci_high": [0.45, 0.13]})
    >>> tr = pd.DataFrame({"source": ["x", "y"], "target": ["y", "z"], "estimate": [0.5, 0.06]})
    >>> t = path_table(a, a.assign(ci_high=[0.55, 0.13]), tr)
    >>> print(recovery_findings(t)[0].text)  # doctest: +NORMALIZE_WHITESPACE
    **Plain PLS missed the truth**: its 95% intervals cover only 1 of 2 true paths.
    Missed: x → y 0.40 vs 0.50 (20% below).
    """
    n = len(table)
    out = []
    pls_miss = _misses(table, "pls", "pls_ci_low", "pls_ci_high")
    covered = n - len(pls_miss)
    out.append(Finding(
        f"**Plain PLS {'missed' if len(pls_miss) else 'recovered'} the truth**: its 95% "
        f"intervals cover {'only ' if len(pls_miss) else ''}{covered} of {n} true paths."
        + (f" Missed: {_said(pls_miss, 'pls')}." if len(pls_miss) else ""), False, kind="truth"))
    plsc_miss = _misses(table, "estimate", "ci_low", "ci_high")
    t = table.assign(off=(table["estimate"] - table["truth"]) / table["truth"])
    far = t[t["off"].abs() > FAR]
    out.append(Finding(
        f"**PLSc (the headline estimates)**: its 95% intervals cover {n - len(plsc_miss)} of {n} "
        "true paths" + (f"; missed: {_said(plsc_miss, 'estimate')}"
                        if len(plsc_miss) else "")
        + (f". Point estimates more than {FAR * 100:.0f}% from the truth: "
           f"{_said(far, 'estimate')}." if len(far) else
           f". Every point estimate is within {FAR * 100:.0f}% of the truth."),
        False, kind="truth"))
    if "p_holm" in table:
        missed = table[(table["truth"] != 0) & ~adjusted_supported(table)]
        if len(missed):
            out.append(Finding(
                f"**True paths not distinguished from zero after Holm adjustment for {n} "
                "tests (PLSc)**: "
                + "; ".join(f"{p} (true {t:.2f}, estimate {e:.2f})" for p, t, e in
                            zip(missed["path"], missed["truth"], missed["estimate"],
                                strict=True))
                + ": too small for this sample.", False, kind="truth"))
    closer = int(((table["estimate"] - table["truth"]).abs()
                  < (table["pls"] - table["truth"]).abs()).sum())
    out.append(Finding(f"**PLSc against plain PLS**: PLSc is closer to the truth for {closer} of "
                       f"{n} paths.", False, kind="truth"))
    return tuple(out)


def alt_text(table: pd.DataFrame, strong: float = 0.3) -> str:
    """The figure's alt text, from the numbers (under 300 characters).

    With ``truth``: how far below the truth plain PLS puts the paths whose true value is at
    least ``strong``, how many of their intervals miss it, and how many PLSc intervals cover.

    Examples
    --------
    >>> t = pd.DataFrame({"path": ["a", "b"], "estimate": [0.5, 0.1], "ci_low": [0.4, 0.0],
    ...                   "ci_high": [0.6, 0.2], "pls": [0.4, 0.1], "pls_ci_low": [0.35, 0.0],
    ...                   "pls_ci_high": [0.45, 0.2], "truth": [0.5, 0.1]})
    >>> print(alt_text(t))  # doctest: +NORMALIZE_WHITESPACE
    Dot plot of 2 paths: plain PLS puts the 1 path with true value ≥ 0.3 at 20% below the truth,
    and 1 of their 95% intervals miss it; the PLSc intervals cover 2 of 2 true paths.
    """
    n = len(table)
    if "truth" not in table:
        top = table.loc[table["estimate"].idxmax(), "path"]
        return (f"Dot plot of {n} paths, PLSc and plain PLS estimates with 95% bootstrap "
                f"intervals; the largest PLSc estimate is {top}.")
    s = table[table["truth"] >= strong]
    below = (1 - s["pls"] / s["truth"]) * 100
    missed = int((~s["truth"].between(s["pls_ci_low"], s["pls_ci_high"])).sum())
    lo, hi = round(float(below.min())), round(float(below.max()))
    size = f"{lo:.0f}%" if lo == hi else f"{lo:.0f}–{hi:.0f}%"
    cover = int(table["truth"].between(table["ci_low"], table["ci_high"]).sum())
    return (f"Dot plot of {n} paths: plain PLS puts the {len(s)} path{'s' * (len(s) != 1)} "
            f"with true value ≥ {strong} at {size} below the truth, and {missed} of their 95% "
            f"intervals miss it; the PLSc intervals cover {cover} of {n} true paths.")


def reliability_checks(reliability: pd.DataFrame, loadings: pd.DataFrame) -> tuple[Finding, ...]:
    """Each reflective criterion checked from the numbers: alpha and rho_c ≥ .70, AVE > .50,
    loadings ≥ .70 (single-item constructs left out).

    Examples
    --------
    >>> rel = pd.DataFrame({"alpha": [0.69], "rho_c": [0.83], "ave": [0.64]}, index=["L"])
    >>> ld = pd.DataFrame({"construct": ["L", "L"], "item": ["a", "b"], "loading": [0.9, 0.3]})
    >>> [f.text for f in reliability_checks(rel, ld)][0]
    '**Cronbach alpha ≥ .70**: met by all but L (0.69).'
    """
    multi = loadings.groupby("construct")["item"].count()
    keep = [c for c in reliability.index if multi.get(c, 0) > 1]
    rel = reliability.loc[keep]
    out = []
    for col, name, thr, strict in (("alpha", "Cronbach alpha ≥ .70", 0.70, False),
                                   ("rho_c", "Composite reliability (rho_c) ≥ .70", 0.70, False),
                                   ("ave", "AVE > .50", 0.50, True)):
        bad = rel[(rel[col] <= thr) if strict else (rel[col] < thr)]
        text = ("met by every multi-item construct" if bad.empty else
                "met by all but " + ", ".join(f"{c} ({v:.2f})" for c, v in bad[col].items()))
        out.append(Finding(f"**{name}**: {text}.", False, kind="check"))
    ld = loadings[loadings["construct"].isin(keep)]
    weak = ld[ld["loading"] < 0.70]
    out.append(Finding("**Loadings ≥ .70**: " + (
        "every item." if weak.empty else
        f"{len(ld) - len(weak)} of {len(ld)} items; below: "
        + ", ".join(f"{i} ({v:.2f})" for i, v in zip(weak["item"], weak["loading"])) + "."),
        False, kind="check"))
    return tuple(out)


def closing_notes(synthetic: bool) -> list[str]:
    """What the ECSI fit does not show, one Markdown sentence each (the last only on the
    bundled synthetic survey).

    Examples
    --------
    >>> len(closing_notes(False)), len(closing_notes(True))
    (3, 4)
    """
    notes = [
        "Plain PLS shrinks strong paths towards zero (its composites include measurement "
        "error); PLSc removes most of that bias, which is why it is the headline estimate here.",
        "Index scores on 0–100 make constructs comparable over time, but only with the same "
        "items, scale and weights.",
        "It does **not** show causation: the arrows are assumptions, and PLS fits them as "
        "stated.",
    ]
    if synthetic:
        notes.append("*About the bundled synthetic survey:* it is built from the ECSI model "
                     "itself, so the fit is flattering: its ratings are top-heavy like real "
                     "ones, but normal before rounding and with no missing answers, which real "
                     "surveys rarely are.")
    return notes
