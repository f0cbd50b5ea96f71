"""Tables for notebook 05 (linkage: EX -> CX -> outcomes) that no other notebook uses.

Each function prepares or stacks what the notebook shows, calling the estimators in
:mod:`cxresearch.linkage.multilevel`, :mod:`cxresearch.linkage.panel` and
:mod:`cxresearch.linkage.mediation`:

- :func:`mediation_by_outcome` -- :func:`~cxresearch.linkage.mediation.mediation` for
  several outcomes;
- :func:`event_rate_by_group` -- churn (any 0/1 outcome) rate per segment, Wilson intervals;
- :func:`event_rate_difference` -- the event rate above a cut of a count against below it;
- :func:`nested_wave` -- one survey wave of individuals with their firm's score, for
  :func:`~cxresearch.linkage.multilevel.multilevel_model`;
- :func:`cross_lagged_paths` -- the four cross paths of the cross-lagged panel, labelled;
- :func:`stack_panel_models`, :func:`paths_side_by_side` -- the pooled cross-lagged panel and
  the random-intercept one (:func:`~cxresearch.linkage.ri_clpm.ri_clpm`), path by path;
  :func:`true_within_paths` -- the simulation's within-firm paths in their units;
  :func:`mistaken_path` -- the cross path that shows a pooled cross-lag misread best;
- :func:`mean_reliability_over_periods` -- reliability of each unit's mean over all periods;
- :func:`truth_verdicts` -- each estimate against the simulation's true value (recovered,
  false positive, not detected, biased), from a Holm-adjusted family;
- :func:`truth_findings` -- one sentence per estimate with a true value (coverage, and how far
  the point estimate is from the truth);
- :func:`truth_summary` -- the closing summary's lists of the results that hit and that miss
  the truth;
- :func:`respondent_ex_cx` -- each employee's EX and each customer's CX score, defined as the
  panel of section 2 defines them, for the description of the data (section 0);
- :func:`plot_unit_means` and :func:`unit_means_alt_text` -- the units' EX and CX means over
  all periods, the figure of section 0;

The unit-level pipeline for one company's own stores, branches or teams (loading, aggregation
checks, the unit panel, unit linkage) is general and lives in :mod:`cxresearch.linkage.units`.

Everything here is an association: between-firm mediation, linkage and the public data sets'
cross-sections cannot tell a chain from reverse causation or confounding.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.mediation import mediation
from cxresearch.linkage.regression import standardize

__all__ = ["cross_lagged_paths", "event_rate_by_group", "event_rate_difference",
           "mean_reliability_over_periods", "mediation_by_outcome", "mistaken_path",
           "nested_wave", "paths_side_by_side", "plot_unit_means", "respondent_ex_cx",
           "stack_panel_models", "true_within_paths", "truth_findings", "truth_summary",
           "truth_verdicts", "unit_means_alt_text"]

#: a point estimate this many times the true value (or 1 / this) is called biased, even when
#: its interval covers the truth
BIAS_RATIO = 2.0

#: the cross paths shown for the cross-lagged panel of EX, CX and revenue growth: (from, to,
#: label), in display order (the labels of :func:`cxresearch.simulate.true_cross_lagged_paths`)
_CROSS_LAGGED_PATHS: tuple[tuple[str, str, str], ...] = (
    ("ex", "cx", "EX(t) → CX(t+1), direct"),
    ("cx", "ex", "CX(t) → EX(t+1)"),
    ("revenue_growth", "ex", "growth(t) → EX(t+1)"),
    ("ex", "revenue_growth", "EX(t) → growth(t+1)"),
)


#: the within paths compared between the pooled and the random-intercept cross-lagged panels
#: (section 5): (from, to, lag, label), in display order; lag 0 is a same-year path
_WITHIN_PATHS: tuple[tuple[str, str, int, str], ...] = (
    ("ex", "cx", 1, "EX(t) → CX(t+1), direct"),
    ("cx", "ex", 1, "CX(t) → EX(t+1)"),
    ("revenue_growth", "ex", 1, "growth(t) → EX(t+1)"),
    ("ex", "revenue_growth", 1, "EX(t) → growth(t+1), direct"),
    ("ex", "ex", 1, "EX(t) → EX(t+1), persistence"),
    ("cx", "cx", 1, "CX(t) → CX(t+1), persistence"),
    ("revenue_growth", "revenue_growth", 1, "growth(t) → growth(t+1), persistence"),
    ("ex", "cx", 0, "EX(t) → CX(t), same year"),
    ("cx", "revenue_growth", 0, "CX(t) → growth(t), same year"),
)


def mediation_by_outcome(
    data: pd.DataFrame,
    exposure: str,
    mediator: str,
    outcomes: Sequence[str],
    covariates: Sequence[str] = (),
    n_boot: int = 1000,
    seed: int | None = 0,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """:func:`~cxresearch.linkage.mediation.mediation` of ``exposure -> mediator -> y`` for each
    outcome ``y``, stacked.

    Each outcome gets the same bootstrap seed, so each row equals a single
    :func:`~cxresearch.linkage.mediation.mediation` call. Returns the rows of
    :meth:`~cxresearch.linkage.mediation.MediationResult.to_frame` with an ``outcome`` column.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200)})
    >>> d["m"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> d["y"] = 0.4 * d["m"] + rng.normal(size=200)
    >>> out = mediation_by_outcome(d, "x", "m", ["y"], n_boot=50, seed=0)
    >>> out.loc[out["effect"] == "a", ["outcome", "estimate"]].round(2).values.tolist()
    [['y', 0.43]]
    """
    if not outcomes:
        raise DataError("mediation_by_outcome: give at least one outcome")
    return pd.concat(
        [
            mediation(data, exposure, mediator, y, covariates=list(covariates), n_boot=n_boot,
                      seed=seed, level=level).to_frame().assign(outcome=y)
            for y in outcomes
        ],
        ignore_index=True,
    )


def event_rate_by_group(
    data: pd.DataFrame, outcome: str, by: str, *, level: float = 0.95
) -> pd.DataFrame:
    """Share of rows with ``outcome`` (a 0/1 or bool event) per value of ``by``, with Wilson
    intervals.

    ``rate_pct = 100 x / n`` with the Wilson (1927) interval at ``level`` of
    :func:`cxresearch.metrics.scores.top_box_from_counts`, one row per value of ``by`` (sorted).
    E.g.
    churn by number of calls to customer service. Returns ``<by>, n, rate_pct, ci_low,
    ci_high`` (the first column named after ``by``).

    >>> d = pd.DataFrame({"calls": [0, 0, 1, 1, 1, 1], "churn": [0, 1, 1, 1, 1, 0]})
    >>> event_rate_by_group(d, "churn", "calls")[["calls", "n", "rate_pct"]].values.tolist()
    [[0.0, 2.0, 50.0], [1.0, 4.0, 75.0]]
    """
    from cxresearch.metrics.scores import top_box_from_counts

    level = check_level(level)
    require_columns(data, [outcome, by])
    ev = data[outcome]
    if ev.dtype != bool:
        require_numeric(data, [outcome])
        bad = ev.notna() & ~ev.isin([0, 1])
        if bad.any():
            raise DataError(f"column {outcome!r}: {int(bad.sum())} value(s) not 0/1 at rows "
                            f"{first_rows(bad, data.index)}")
    rows = []
    for g, grp in data.groupby(by, sort=True):
        r = top_box_from_counts(int(grp[outcome].sum()), len(grp), level=level)
        rows.append({by: g, "n": len(grp), "rate_pct": r.estimate, "ci_low": r.ci_low,
                     "ci_high": r.ci_high})
    return pd.DataFrame(rows)


def nested_wave(
    data: pd.DataFrame,
    scores: pd.DataFrame,
    period: object,
    outcome: str,
    predictor: str,
    unit: str = "firm_id",
    time: str = "year",
) -> pd.DataFrame:
    """One survey wave of individuals with their group's score, both z-scored, for
    :func:`~cxresearch.linkage.multilevel.multilevel_model`.

    Rows of ``data`` (individual answers) with ``time == period`` are
    joined (inner) to ``scores`` (group-level scores, e.g.
    :func:`cxresearch.linkage.panel.linkage_panel`
    output) on ``unit, time``; ``<outcome>_z`` is the individual answer and
    ``<predictor>_z`` the group-level score, each
    :func:`~cxresearch.linkage.regression.standardize`-d
    over the joined rows (so a coefficient is SD of an individual's answer per SD of the group
    score). Returns ``<outcome>_z, <predictor>_z, unit`` without missing values.

    >>> cus = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "year": [1, 1, 1, 2],
    ...                     "nps": [8, 10, 4, 9]})
    >>> fy = pd.DataFrame({"firm_id": ["A", "B"], "year": [1, 1], "ex": [4.0, 3.0]})
    >>> nested_wave(cus, fy, 1, "nps", "ex").round(3).values.tolist()
    [[0.218, 0.577, 'A'], [0.873, 0.577, 'A'], [-1.091, -1.155, 'B']]
    """
    require_columns(data, [unit, time, outcome], "data")
    require_columns(scores, [unit, time, predictor], "scores")
    wave = data[data[time] == period].merge(scores[[unit, time, predictor]], on=[unit, time])
    if wave.empty:
        raise DataError(f"nested_wave: no rows with {time!r} == {period!r} in both frames")
    wave = wave.assign(**{f"{outcome}_z": standardize(wave[outcome].astype(float)),
                          f"{predictor}_z": standardize(wave[predictor].astype(float))})
    return wave[[f"{outcome}_z", f"{predictor}_z", unit]].dropna()


def event_rate_difference(
    data: pd.DataFrame, outcome: str, by: str, at_least: float, *, level: float = 0.95
) -> pd.DataFrame:
    """Event rate (%) of rows with ``by >= at_least`` minus that of the other rows.

    Each rate is :func:`cxresearch.metrics.scores.top_box_from_counts`; the difference, its interval
    and p-value are :func:`cxresearch.metrics.scores.compare` (unpooled Wald for two independent
    proportions). One row: ``contrast, estimate`` (percentage points), ``se, ci_low, ci_high,
    p_value, rate_high, rate_low, n_high, n_low``. E.g. churn with four or more service calls
    against fewer.

    >>> d = pd.DataFrame({"calls": [0, 0, 1, 4, 5, 4], "churn": [0, 0, 1, 1, 1, 0]})
    >>> r = event_rate_difference(d, "churn", "calls", 4)
    >>> round(float(r["estimate"].iloc[0]), 2), int(r["n_high"].iloc[0])
    (33.33, 3)
    """
    from cxresearch.metrics.scores import compare, top_box_from_counts

    level = check_level(level)
    require_columns(data, [outcome, by])
    require_numeric(data, [by])
    rows = data[[outcome, by]].dropna()
    high = rows[by] >= at_least
    if high.all() or not high.any():
        raise DataError(f"column {by!r}: the cut {at_least!r} leaves one side empty")
    ev = rows[outcome].astype(float)
    bad = ~ev.isin([0.0, 1.0])
    if bad.any():
        raise DataError(f"column {outcome!r}: {int(bad.sum())} value(s) not 0/1 at rows "
                        f"{first_rows(bad, rows.index)}")
    a = top_box_from_counts(int(ev[high].sum()), int(high.sum()), level=level)
    b = top_box_from_counts(int(ev[~high].sum()), int((~high).sum()), level=level)
    c = compare(a, b, level=level)
    return pd.DataFrame([{"contrast": f"{by} >= {at_least:g} vs < {at_least:g}",
                          "estimate": c.estimate, "se": c.se, "ci_low": c.ci_low,
                          "ci_high": c.ci_high, "p_value": c.p_value, "rate_high": a.estimate,
                          "rate_low": b.estimate, "n_high": int(high.sum()),
                          "n_low": int((~high).sum())}])


def cross_lagged_paths(data: pd.DataFrame) -> pd.DataFrame:
    """The four cross paths of :func:`cxresearch.linkage.panel.cross_lagged_panel` output (lag 1),
    with
    a ``path`` label, in the order of :data:`_CROSS_LAGGED_PATHS` (within each ``model`` if the
    frame stacks several).

    >>> d = pd.DataFrame({"from": ["ex", "revenue_growth", "cx", "ex", "ex"],
    ...                   "to": ["ex", "ex", "ex", "cx", "revenue_growth"],
    ...                   "lag": [1, 1, 1, 1, 1], "estimate": [0.8, 0.1, 0.05, 0.2, 0.0]})
    >>> cross_lagged_paths(d)["path"].tolist()[:2]
    ['EX(t) → CX(t+1), direct', 'CX(t) → EX(t+1)']
    """
    require_columns(data, ["from", "to", "lag"])
    key = pd.DataFrame([{"from": f, "to": t, "lag": 1, "path": label, "_order": k}
                        for k, (f, t, label) in enumerate(_CROSS_LAGGED_PATHS)])
    out = data.merge(key, on=["from", "to", "lag"], how="inner")
    sort = ["model", "_order"] if "model" in out else ["_order"]
    if "model" in out:
        out["_model"] = pd.Categorical(out["model"], pd.unique(data["model"]))
        sort = ["_model", "_order"]
    return out.sort_values(sort, kind="stable").drop(
        columns=[c for c in ["_order", "_model"] if c in out]).reset_index(drop=True)


def mean_reliability_over_periods(data: pd.DataFrame, score: str, error_variance: str,
                                  unit: str = "firm_id") -> float:
    """Reliability of each unit's mean of ``score`` over all its periods.

    The unit mean is the average of its period means; its sampling variance is the sum of
    their sampling variances over the number of periods squared (periods independent). Then
    :func:`cxresearch.linkage.panel.mean_reliability` of the unit means.

    >>> d = pd.DataFrame({"firm_id": [1, 1, 2, 2, 3, 3], "ex": [1.0, 1.2, 2.0, 2.2, 3.0, 2.8],
    ...                   "ev_ex": [0.04] * 6})
    >>> round(mean_reliability_over_periods(d, "ex", "ev_ex"), 3)
    0.98
    """
    from cxresearch.linkage.panel import mean_reliability

    require_columns(data, [unit, score, error_variance])
    g = data.groupby(unit)
    means = pd.DataFrame({score: g[score].mean(),
                          error_variance: g[error_variance].sum() / g[score].count() ** 2})
    return mean_reliability(means, score, error_variance)


def _fmt(x: float, digits: int = 2) -> str:
    out = f"{x:.{digits}f}"
    return "0." + "0" * digits if out in ("-0." + "0" * digits,) else out


def truth_verdicts(family: pd.DataFrame, subject: str = "subject", *,
                   truth: str = "true_value", level: float = 0.95,
                   bias_ratio: float = BIAS_RATIO) -> pd.DataFrame:
    """Each estimate of a Holm-adjusted family against the simulation's true value.

    ``family`` is :func:`cxresearch.report.conclusions.holm_family` output with ``subject``,
    ``estimate``, ``ci_low``, ``ci_high``, ``p_holm`` and ``truth`` (NaN where no true value is
    known; such rows are left out). ``detected`` is what the notebook words as a finding
    (:func:`~cxresearch.report.conclusions.adjusted_supported`); ``covers``: the interval holds
    the truth; ``ratio``: estimate / truth (NaN for a true zero). ``verdict``:

    - ``"recovered"``: a non-zero truth, detected, covered, and the estimate within
      ``bias_ratio`` times of it;
    - ``"correctly not detected"``: a true zero, not detected;
    - ``"false positive"``: a true zero, detected;
    - ``"not detected"``: a non-zero truth, not detected;
    - ``"detected, but the interval excludes the truth"``: a non-zero truth, detected, not
      covered;
    - ``"biased"``: detected and covered, but the estimate is ``bias_ratio`` or more times
      the truth (or that many times smaller), or of the opposite sign.

    ``hit`` is True for the first two. Returns ``subject, estimate, ci_low, ci_high,
    true_value, detected, covers, ratio, verdict, hit``.

    >>> fam = pd.DataFrame({"subject": ["a", "b", "c"], "estimate": [0.3, 1.1, 0.07],
    ...                     "ci_low": [0.2, 0.6, -0.3], "ci_high": [0.4, 1.8, 0.4],
    ...                     "p_holm": [0.001, 0.004, 1.0], "true_value": [0.34, 0.0, 0.3]})
    >>> truth_verdicts(fam)["verdict"].tolist()
    ['recovered', 'false positive', 'not detected']
    """
    import numpy as np

    from cxresearch.report.conclusions import adjusted_supported

    cols = ["subject", "estimate", "ci_low", "ci_high", "true_value", "detected", "covers",
            "ratio", "verdict", "hit"]
    if truth not in family or family.empty:
        return pd.DataFrame(columns=cols)
    known = family[family[truth].notna()]
    if known.empty:
        return pd.DataFrame(columns=cols)
    detected = adjusted_supported(known, level=level).to_numpy()
    t = known[truth].to_numpy(dtype=float)
    est = known["estimate"].to_numpy(dtype=float)
    covers = (known["ci_low"].to_numpy() <= t) & (t <= known["ci_high"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(t != 0, est / t, np.nan)
    biased = (t != 0) & ((ratio >= bias_ratio) | (ratio <= 1 / bias_ratio))
    verdict = np.select(
        [(t == 0) & detected, t == 0, ~detected, ~covers, biased],
        ["false positive", "correctly not detected", "not detected",
         "detected, but the interval excludes the truth", "biased"], default="recovered")
    return pd.DataFrame({
        "subject": known[subject].to_numpy(), "estimate": est,
        "ci_low": known["ci_low"].to_numpy(dtype=float),
        "ci_high": known["ci_high"].to_numpy(dtype=float), "true_value": t,
        "detected": detected, "covers": covers, "ratio": ratio, "verdict": verdict,
        "hit": np.isin(verdict, ["recovered", "correctly not detected"]),
    })


def _truth_text(r: pd.Series, digits: int = 2) -> str:
    """The sentence after the subject: interval, truth, and how the estimate compares."""
    verb = "covers" if r["covers"] else "misses"
    out = (f"the interval ({_fmt(r['ci_low'], digits)} to {_fmt(r['ci_high'], digits)}) "
           f"{verb} the simulation's true value, {_fmt(r['true_value'], digits)}")
    ratio = r["ratio"]
    if pd.notna(ratio) and (ratio >= BIAS_RATIO or ratio <= 1 / BIAS_RATIO):
        if ratio > 0:
            times = ratio if ratio >= 1 else 1 / ratio
            size = "larger" if ratio >= 1 else "smaller"
            out += (f", but the point estimate ({_fmt(r['estimate'], digits)}) is {times:.1f} "
                    f"times {size} than the truth")
        else:
            out += (f", but the point estimate ({_fmt(r['estimate'], digits)}) has the "
                    "opposite sign")
    return out + "."


def truth_findings(verdicts: pd.DataFrame, notes: dict[str, str] | None = None,
                   digits: int = 2) -> tuple:
    """One sentence per estimate with a true value (:func:`truth_verdicts` rows).

    Coverage alone is not recovery: when the point estimate is :data:`BIAS_RATIO` or more
    times the truth the sentence says so. ``notes`` (subject -> text) adds a reason, e.g.
    ``"Nickell bias"``, to the sentences that say so (or whose interval misses). Each is a
    :class:`~cxresearch.report.conclusions.Finding` of ``kind="truth"``.

    >>> v = truth_verdicts(pd.DataFrame({"subject": ["EX → CX"], "estimate": [0.285],
    ...     "ci_low": [0.09], "ci_high": [0.48], "p_holm": [0.067], "true_value": [0.114]}))
    >>> t = truth_findings(v, {"EX → CX": "Nickell bias"})[0].text
    >>> t[:72]
    "**EX → CX**: the interval (0.09 to 0.48) covers the simulation's true va"
    >>> t[72:]
    'lue, 0.11, but the point estimate (0.28) is 2.5 times larger than the truth (Nickell bias).'
    """
    from cxresearch.report.conclusions import Finding

    notes = notes or {}
    out = []
    for _, r in verdicts.iterrows():
        text = _truth_text(r, digits)
        flagged = pd.notna(r["ratio"]) and (r["ratio"] >= BIAS_RATIO
                                            or r["ratio"] <= 1 / BIAS_RATIO)
        if r["subject"] in notes and (flagged or not r["covers"]):
            text = text[:-1] + f" ({notes[r['subject']]})."
        out.append(Finding(f"**{r['subject']}**: {text}", False, kind="truth"))
    return tuple(out)


def truth_summary(verdicts: pd.DataFrame, digits: int = 2) -> tuple:
    """The closing summary against the truth: a count, then every miss with its true value.

    One :class:`~cxresearch.report.conclusions.Finding` counting hits and misses, then one per
    miss (``"**subject** misses the truth (false positive): 1.14 (95% CI 0.57 to 1.80) against
    a true value of 0.00."``) and one listing the hits. Empty without true values.

    >>> fam = pd.DataFrame({"subject": ["a", "b"], "estimate": [0.3, 1.1],
    ...                     "ci_low": [0.2, 0.6], "ci_high": [0.4, 1.8],
    ...                     "p_holm": [0.001, 0.004], "true_value": [0.34, 0.0]})
    >>> print(truth_summary(truth_verdicts(fam))[1].text.replace(": ", ":\\n"))
    **b** misses the truth (false positive):
    1.10 (95% CI 0.60 to 1.80) against a true value of 0.00.
    """
    from cxresearch.report.conclusions import Finding

    if verdicts.empty:
        return ()
    hits, misses = verdicts[verdicts["hit"]], verdicts[~verdicts["hit"]]
    out = [Finding(f"**Against the simulation's true values**: {len(hits)} of {len(verdicts)} "
                   "estimates with a known truth match it (detected and recovered, or a true "
                   f"zero not detected); {len(misses)} miss it.", False, kind="truth")]
    for _, r in misses.iterrows():
        extra = ""
        if r["verdict"] == "biased":
            extra = f", {abs(r['ratio']):.1f} times the truth"
        out.append(Finding(
            f"**{r['subject']}** misses the truth ({r['verdict']}{extra}): "
            f"{_fmt(r['estimate'], digits)} (95% CI {_fmt(r['ci_low'], digits)} to "
            f"{_fmt(r['ci_high'], digits)}) against a true value of "
            f"{_fmt(r['true_value'], digits)}.", False, kind="truth"))
    if len(hits):
        out.append(Finding("**Matching the truth**: " + "; ".join(
            f"{r['subject']} ({r['verdict']}, true value {_fmt(r['true_value'], digits)})"
            for _, r in hits.iterrows()) + ".", False, kind="truth"))
    return tuple(out)


def respondent_ex_cx(
    employees: pd.DataFrame,
    customers: pd.DataFrame,
    instrument: object,
    *,
    firm_design: bool,
    ex_items: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each employee's EX and each customer's CX score, as the unit x period panel defines
    them, so that the description of the data (section 0) shows the scores the models use.

    - EX: the mean of the instrument's scale items answered (at least half), reverse-keyed
      items recoded; on the bundled firm-year design as answered (every item is on 1-5,
      :func:`cxresearch.linkage.panel.linkage_panel`), on a unit design each item z-scored
      first (:func:`cxresearch.linkage.units.unit_panel`);
    - CX: the mean of the z-scored metric columns answered (at least half).

    Parameters
    ----------
    employees, customers : DataFrame
        One row per answer (not modified).
    instrument : Instrument
        Its scales (items, reverse keys) and metrics.
    firm_design : bool
        The bundled firm-year design.
    ex_items : sequence of str, optional
        The EX items (default: every scale item the employees have).

    Returns
    -------
    (DataFrame, DataFrame)
        ``employees`` with ``EX`` and ``customers`` with ``CX`` added (copies).

    Examples
    --------
    >>> from cxresearch.io.instrument import Instrument
    >>> inst = Instrument.from_dict({"unit": "s", "scales": {"x": {"items": ["a", "b", "r"],
    ...     "range": [1, 5], "reverse": ["r"]}}, "metrics": {"csat": {"column": "c",
    ...     "range": [1, 5]}}})
    >>> e = pd.DataFrame({"s": [1, 2], "a": [5, 1], "b": [4, 2], "r": [1, 5]})
    >>> c = pd.DataFrame({"s": [1, 2], "c": [5, 1]})
    >>> emp, cus = respondent_ex_cx(e, c, inst, firm_design=True)
    >>> emp["EX"].round(3).tolist(), cus["CX"].round(3).tolist()
    ([4.667, 1.333], [0.707, -0.707])
    """
    from cxresearch.studies.own_data_02_05 import respondent_scores

    scales = getattr(instrument, "scales", {})
    items = list(ex_items) if ex_items is not None else [
        c for sc in scales.values() for c in sc.items if c in employees.columns]
    reverse = {k: v for k, v in instrument.reverse_map().items() if k in items}
    metrics = list(dict.fromkeys(m.column for m in instrument.metrics.values()
                                 if m.column in customers.columns))
    emp = employees.assign(EX=respondent_scores(employees, {"EX": items}, reverse,
                                                standardize=not firm_design)["EX"])
    cus = customers.assign(CX=respondent_scores(customers, {"CX": metrics},
                                                standardize=True)["CX"])
    return emp, cus


def plot_unit_means(table: pd.DataFrame, unit: str, *, xlabel: str, ylabel: str, title: str,
                    ax: object = None) -> object:
    """The units' EX (x) and CX (y) means over all periods, one point per unit shown (units
    hidden for too few answers left out), with the least-squares line for reading only.

    ``table`` has ``unit``, ``EX`` and ``CX`` (the means) columns. Returns the axes.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    shown = table.dropna(subset=["EX", "CX"])
    if ax is None:
        _, ax = plt.subplots()
    ax.scatter(shown["EX"], shown["CX"], s=14, color="0.25", alpha=0.8)
    if len(shown) > 2:
        b, a = np.polyfit(shown["EX"], shown["CX"], 1)
        xs = np.linspace(shown["EX"].min(), shown["EX"].max(), 2)
        ax.plot(xs, a + b * xs, color="0.6", linewidth=1, linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax


def unit_means_alt_text(table: pd.DataFrame, *, units: str, periods: str, data_label: str,
                        hidden: int, min_n: int) -> str:
    """Alt text of :func:`plot_unit_means`, from the table (at most 300 characters).

    >>> t = pd.DataFrame({"s": ["a", "b", "c"], "EX": [0.1, 0.3, 0.2], "CX": [0.0, 0.2, 0.3]})
    >>> print(unit_means_alt_text(t, units="stores", periods="waves", data_label="your data",
    ...                           hidden=1, min_n=10))  # doctest: +NORMALIZE_WHITESPACE
    Scatter of 3 stores' mean EX (x) and CX (y) over all waves (your data): correlation 0.65
    between the means, not corrected for their sampling noise; 1 hidden (fewer than 10
    answers).
    """
    shown = table.dropna(subset=["EX", "CX"])
    r = float(shown["EX"].corr(shown["CX"])) if len(shown) > 2 else float("nan")
    rtext = f"correlation {r:.2f}" if r == r else "too few points for a correlation"
    return (f"Scatter of {len(shown)} {units}' mean EX (x) and CX (y) over all {periods} "
            f"({data_label}): {rtext} between the means, not corrected for their sampling "
            f"noise; {hidden} hidden (fewer than {min_n} answers).")


def stack_panel_models(models: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The paths of several cross-lagged panel models of EX, CX and revenue growth, stacked and
    labelled, for the side-by-side of section 5.

    ``models`` maps a model's name to its ``to_frame()``
    (:func:`cxresearch.linkage.panel.cross_lagged_panel` or
    :func:`cxresearch.linkage.ri_clpm.ri_clpm`; the latter's random-intercept rows are left
    out). Keeps the paths of :data:`_WITHIN_PATHS` each model has, in that order within each
    model. Returns ``model, path, from, to, lag, estimate, se, ci_low, ci_high, p_value,
    cross`` (``cross``: a lagged path between two different series).

    >>> pooled = pd.DataFrame({"from": ["ex", "ex"], "to": ["cx", "ex"], "lag": [1, 1],
    ...                        "estimate": [0.1, 0.8], "se": [0.1, 0.05], "ci_low": [-0.1, 0.7],
    ...                        "ci_high": [0.3, 0.9], "p_value": [0.3, 0.0]})
    >>> out = stack_panel_models({"pooled": pooled})
    >>> out[["path", "cross"]].values.tolist()
    [['EX(t) → CX(t+1), direct', True], ['EX(t) → EX(t+1), persistence', False]]
    """
    if not models:
        raise DataError("stack_panel_models: give at least one model")
    key = pd.DataFrame([{"from": f, "to": t, "lag": lag, "path": label, "_order": k}
                        for k, (f, t, lag, label) in enumerate(_WITHIN_PATHS)])
    parts = []
    for name, frame in models.items():
        require_columns(frame, ["from", "to", "lag", "estimate", "se", "ci_low", "ci_high",
                                "p_value"], f"model {name!r}")
        rows = frame[frame["lag"].notna()].astype({"lag": int})
        parts.append(rows.merge(key, on=["from", "to", "lag"]).sort_values("_order")
                     .assign(model=name))
    out = pd.concat(parts, ignore_index=True)
    out["cross"] = (out["lag"] == 1) & (out["from"] != out["to"])
    return out[["model", "path", "from", "to", "lag", "estimate", "se", "ci_low", "ci_high",
                "p_value", "cross"]]


def paths_side_by_side(stacked: pd.DataFrame, truth: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per path, each model's estimate and interval side by side (and the true value).

    ``stacked`` is :func:`stack_panel_models` output; ``truth`` (optional) has ``from, to, lag,
    true_value`` (:func:`true_within_paths`). Columns ``<model>: estimate``, ``<model>:
    ci_low``, ``<model>: ci_high`` per model in order of appearance, then ``true value``;
    indexed by ``path`` in display order.

    >>> st = pd.DataFrame({"model": ["a", "b"], "path": ["p", "p"], "from": ["x", "x"],
    ...                    "to": ["y", "y"], "lag": [1, 1], "estimate": [0.5, 0.1],
    ...                    "ci_low": [0.4, 0.0], "ci_high": [0.6, 0.2]})
    >>> paths_side_by_side(st).columns.tolist()
    ['a: estimate', 'a: ci_low', 'a: ci_high', 'b: estimate', 'b: ci_low', 'b: ci_high']
    """
    require_columns(stacked, ["model", "path", "from", "to", "lag", "estimate", "ci_low",
                              "ci_high"], "stacked")
    order = list(pd.unique(stacked["path"]))
    cols = {}
    for name in pd.unique(stacked["model"]):
        rows = stacked[stacked["model"] == name].set_index("path")
        for stat in ("estimate", "ci_low", "ci_high"):
            cols[f"{name}: {stat}"] = rows[stat]
    out = pd.DataFrame(cols).reindex(order)
    out.index.name = "path"
    if truth is not None:
        require_columns(truth, ["from", "to", "lag", "true_value"], "truth")
        keys = stacked.drop_duplicates("path")[["path", "from", "to", "lag"]].merge(
            truth[["from", "to", "lag", "true_value"]], on=["from", "to", "lag"],
            how="left").set_index("path")
        out["true value"] = keys["true_value"].reindex(order)
    return out


def true_within_paths(truth: dict, sd_growth: float) -> pd.DataFrame:
    """The simulation's within-firm paths among EX, CX and revenue growth, in SD per SD.

    The four cross paths are :func:`cxresearch.simulate.true_cross_lagged_paths` (EX(t) ->
    growth(t+1) given CX(t+1) is zero: the simulation has no direct EX -> growth path). From
    the structural equations of :mod:`cxresearch.simulate.study`: EX's persistence is
    ``rho_ex``; CX and revenue growth have no own lag (0); the same-year paths are
    ``ex_to_cx * sd_ex / sd_cx`` and ``cx_to_revenue_growth * sd_cx / sd_growth`` (latent SDs
    for EX and CX, the observed SD ``sd_growth`` for growth). These are the paths of a model
    with CX(t) on EX(t) and growth(t) on CX(t) in the same year. Missing keys give NaN.
    Returns ``from, to, lag, true_value`` in the order of :data:`_WITHIN_PATHS`.

    >>> t = {"ex_lag_to_cx": 0.1, "cx_lag_to_ex": 0.1, "performance_lag_to_ex": 0.02,
    ...      "rho_ex": 0.5, "ex_to_cx": 0.3, "cx_to_revenue_growth": 0.8,
    ...      "sd_ex_latent": 1.0, "sd_cx_latent": 1.0}
    >>> true_within_paths(t, sd_growth=4.0)["true_value"].round(3).tolist()
    [0.1, 0.1, 0.08, 0.0, 0.5, 0.0, 0.0, 0.3, 0.2]
    """
    import numpy as np

    from cxresearch.simulate.answers import true_cross_lagged_paths

    g = truth.get
    sd_ex, sd_cx = g("sd_ex_latent", np.nan), g("sd_cx_latent", np.nan)
    cross = true_cross_lagged_paths(truth, sd_growth=sd_growth)
    known = {(r["from"], r["to"], int(r["lag"])): r["true_value"] for _, r in cross.iterrows()}
    known.update({
        ("ex", "ex", 1): g("rho_ex", np.nan),
        ("cx", "cx", 1): 0.0,
        ("revenue_growth", "revenue_growth", 1): 0.0,
        ("ex", "cx", 0): g("ex_to_cx", np.nan) * sd_ex / sd_cx,
        ("cx", "revenue_growth", 0): g("cx_to_revenue_growth", np.nan) * sd_cx / sd_growth,
    })
    return pd.DataFrame([{"from": f, "to": t, "lag": lag, "true_value": known[(f, t, lag)]}
                         for f, t, lag, _ in _WITHIN_PATHS])


def mistaken_path(stacked: pd.DataFrame, pooled: str = "pooled",
                  within: str = "RI-CLPM") -> str:
    """The cross path that best shows a pooled cross-lag misread as a within-firm one.

    From :func:`stack_panel_models` output with models ``pooled`` and ``within``: the first
    cross path (display order) whose pooled interval excludes zero while the within-firm
    interval covers it; failing that, the cross path where the two estimates differ most.
    Returns its ``path`` label.

    >>> st = pd.DataFrame({"model": ["pooled", "pooled", "RI-CLPM", "RI-CLPM"],
    ...                    "path": ["a", "b", "a", "b"], "cross": [True] * 4,
    ...                    "estimate": [0.1, 0.3, 0.0, 0.05], "ci_low": [-0.1, 0.1, -0.2, -0.1],
    ...                    "ci_high": [0.3, 0.5, 0.2, 0.2]})
    >>> mistaken_path(st)
    'b'
    """
    require_columns(stacked, ["model", "path", "cross", "estimate", "ci_low", "ci_high"],
                    "stacked")
    rows = stacked[stacked["cross"].astype(bool)]
    a = rows[rows["model"] == pooled].set_index("path")
    b = rows[rows["model"] == within].set_index("path").reindex(a.index)
    if a.empty or b["estimate"].isna().all():
        raise DataError(f"mistaken_path: no cross paths of both {pooled!r} and {within!r}")
    flagged = ((a["ci_low"] > 0) | (a["ci_high"] < 0)) & (b["ci_low"] <= 0) & (b["ci_high"] >= 0)
    if flagged.any():
        return str(flagged[flagged].index[0])
    return str((a["estimate"] - b["estimate"]).abs().idxmax())
