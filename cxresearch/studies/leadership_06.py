"""Tables and scenarios for notebooks 06 (who owns CX) and 11 (appointing a CX leader) that
no other uses.

Each function prepares, stacks or simulates what the notebooks show, calling the estimators in
:mod:`cxresearch.linkage.ownership` and :mod:`cxresearch.causal.did` and the generators in
:mod:`cxresearch.simulate`:

- :func:`leadership_panel` -- the firm-year panel with outcomes in effect units and cohorts;
- :func:`owner_status_panel` -- each firm-year labelled with the CX owner *in force that year*
  (a firm that appoints a CX leader later is "CX leader not yet appointed" before);
- :func:`ownership_contrasts`, :func:`event_studies`, :func:`event_study_table`,
  :func:`say_do_effects_by_outcome` -- several outcomes at once, with Holm-adjusted p-values
  over the table (one family of comparisons) and, where known, the simulation's true values
  beside the estimates;
- :func:`say_do_gap_summary`, :func:`say_do_gap_shares`, :func:`within_unit_sd` --
  descriptive figures and power inputs;
- :func:`threat_scenarios`, :func:`threat_findings` -- every estimator on one seeded
  **synthetic** panel per threat of :mod:`cxresearch.simulate.threats` (slump, anticipation,
  confounding, heterogeneous effects...), against the known truth;
- :func:`empowerment_by_firm`, :func:`doing_both_table` -- the leader's effect where employees
  are empowered and where they are not ("doing both");
- :func:`prepare_firm_series`, :func:`single_firm_table`,
  :func:`single_firm_counterfactuals` -- one firm's appointment: interrupted time series and
  synthetic control on a monthly series;
- :func:`power_band_table` -- simulated power with its Monte-Carlo band, as a table;
- :func:`sensitivity_table`, :func:`sensitivity_wide`, :func:`sensitivity_findings` -- how
  large a violation of parallel trends the event study's effects survive (Rambachan & Roth
  2023, relative magnitudes).

Two meanings of "CX leader" are kept apart (see :mod:`cxresearch.core.contract`): here it is always
a firm with a dedicated CX executive in post, never a firm that leads on CX.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from cxresearch.causal.did import (
    EventStudyResult,
    event_study,
    leader_cohorts,
    naive_comparison,
    twfe_static,
)
from cxresearch.core.contract import human_label
from cxresearch.core.inference import holm
from cxresearch.core.validation import DataError, check_level, require_columns
from cxresearch.linkage.ownership import ownership_effects, say_do_effects
from cxresearch.linkage.panel import true_score_z
from cxresearch.linkage.regression import log_percent
from cxresearch.report.conclusions import Finding, format_p

__all__ = [
    "APPOINTING_FAMILIES",
    "ESTIMATOR_WORDS",
    "HOLDS_UP_COVERAGE",
    "OWNERSHIP_FAMILIES",
    "THREAT_FIX",
    "adapted_design_findings",
    "doing_both_table",
    "empowerment_by_firm",
    "event_studies",
    "event_study_table",
    "family_table",
    "leadership_panel",
    "owner_status_panel",
    "ownership_alt_text",
    "ownership_contrasts",
    "power_band_table",
    "power_reach_sentence",
    "prepare_firm_series",
    "read_causal_validation",
    "say_do_effects_by_outcome",
    "say_do_gap_shares",
    "say_do_gap_summary",
    "sensitivity_findings",
    "sensitivity_table",
    "sensitivity_wide",
    "single_firm_counterfactuals",
    "single_firm_findings",
    "single_firm_table",
    "threat_findings",
    "threat_scenarios",
    "truth_tally",
    "undetected_effects_finding",
    "validation_findings",
    "validation_table",
    "with_robustness",
    "within_unit_sd",
]


def leadership_panel(
    data: pd.DataFrame,
    firms: pd.DataFrame,
    unit: str = "firm_id",
    time: str = "year",
) -> pd.DataFrame:
    """Firm-year panel for the leadership questions: outcomes in effect units plus cohorts.

    ``data`` is :func:`cxresearch.linkage.panel.linkage_panel` output (``ex,
    ev_ex,
    cx, ev_cx`` and the outcomes); ``firms`` the firm table (``cx_owner``, ``cx_leader_year``,
    industry...). Adds ``cx_sd`` and ``ex_sd`` (:func:`cxresearch.linkage.panel.true_score_z`: SD of
    the true score), ``contacts_log_pct`` and ``cost_log_pct``
    (:func:`cxresearch.linkage.regression.log_percent` of contacts per customer and cost to serve)
    and
    ``first_treated`` (:func:`cxresearch.causal.did.leader_cohorts` with the panel's first year).
    Rows of firms missing from ``firms`` are dropped (inner join), as are none otherwise; the
    inputs are not modified.

    >>> from cxresearch.simulate import StudyParams, simulate_study
    >>> from cxresearch.linkage.panel import linkage_panel
    >>> s = simulate_study(StudyParams(n_firms=40, n_years=4), seed=0)
    >>> p = leadership_panel(linkage_panel(s.firm_years, s.employees, s.customers), s.firms)
    >>> round(float(p["cx_sd"].mean()), 6), len(p) == len(s.firm_years)
    (0.0, True)
    """
    require_columns(data, [unit, time, "cx", "ev_cx", "ex", "ev_ex", "contacts_per_customer",
                           "cost_to_serve"])
    out = data.merge(firms, on=unit)
    out["cx_sd"] = true_score_z(out, "cx", "ev_cx")
    out["contacts_log_pct"] = log_percent(out["contacts_per_customer"])
    out["ex_sd"] = true_score_z(out, "ex", "ev_ex")
    out["cost_log_pct"] = log_percent(out["cost_to_serve"])
    first_year = int(out[time].min())
    return out.merge(leader_cohorts(firms, first_year, unit=unit).reset_index(), on=unit)


def owner_status_panel(data: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """A copy of a firm-year panel with the CX owner **in force that year**.

    The firms table records the owner at the *end* of the panel (``cx_owner``); a firm that
    appoints a CX leader in 2024 was not led by one in 2021. Using
    :func:`cxresearch.studies.measuring_01.owner_at_answer` with the panel's own per-year
    ``has_cx_leader`` (or, without it, ``cx_leader_year``), adds ``cx_owner_then``
    (``cx_leader`` with a leader in post that year; ``pre_leader`` in the years before a
    later appointment, whose owner is not recorded; else the recorded owner), ``cx_owner_end``
    and ``owner_label`` (:data:`cxresearch.core.contract.OWNER_LABELS`). Columns ``firm_id`` and
    ``year``; rows and their order are kept.

    >>> p = pd.DataFrame({"firm_id": ["A", "A", "B"], "year": [2020, 2023, 2020],
    ...                   "has_cx_leader": [0, 1, 0]})
    >>> f = pd.DataFrame({"firm_id": ["A", "B"], "cx_owner": ["cx_leader", "coo"],
    ...                   "cx_leader_year": [2022, None]})
    >>> owner_status_panel(p, f)["owner_label"].tolist()
    ['CX leader not yet appointed', 'CX leader', 'COO']
    """
    from cxresearch.studies.measuring_01 import owner_at_answer

    require_columns(data, ["firm_id", "year"])
    keep = [c for c in ["cx_owner", "cx_leader_year"] if c in firms]
    base = data.drop(columns=[c for c in ["cx_owner", "cx_owner_end", "cx_owner_then",
                                          "owner_label"] if c in data])
    if "has_cx_leader" in data:
        status = data[["firm_id", "year", "has_cx_leader"]]
        out = owner_at_answer(base.drop(columns="has_cx_leader"), firms[["firm_id", *keep]],
                              status)
        out.insert(out.columns.get_loc("cx_owner_end"), "has_cx_leader",
                   data["has_cx_leader"].to_numpy())
    else:
        out = owner_at_answer(base, firms[["firm_id", *keep]])
    return out


# --------------------------------------------------------------------------------------------
# several outcomes at once
# --------------------------------------------------------------------------------------------


def ownership_contrasts(
    data: pd.DataFrame,
    outcomes: Mapping[str, str],
    controls: Sequence[str] = (),
    true_values: pd.DataFrame | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`~cxresearch.linkage.ownership.ownership_effects` contrasts for several outcomes,
    stacked,
    with true values.

    ``outcomes`` maps each outcome column to a display label (column ``outcome``; the column
    name goes in ``variable``). ``owner_label`` is the reader's word for each owner
    (:func:`cxresearch.core.contract.human_label`). ``p_holm`` is Holm's (1979) adjusted p-value
    with every contrast of the table as one family (``n_family`` of them): several owners
    against one reference on several outcomes are that many chances of a false alarm.
    ``true_values`` (e.g. :func:`cxresearch.simulate.true_owner_effects`, columns ``outcome,
    owner, true_value`` keyed by column name) adds ``true_value`` (NaN where none). Other
    keyword arguments (``owner``, ``level``, ``cluster``...) go to
    :func:`~cxresearch.linkage.ownership.ownership_effects`.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"cx_owner": np.repeat(["everyone", "ceo"], 50)})
    >>> d["y"] = np.where(d["cx_owner"] == "ceo", 1.0, 0.0) + rng.normal(size=100)
    >>> out = ownership_contrasts(d, {"y": "outcome y"})
    >>> out[["outcome", "owner"]].values.tolist(), round(float(out["estimate"].iloc[0]), 2)
    ([['outcome y', 'ceo']], 0.9)
    """
    frames = [
        ownership_effects(data, y, controls=list(controls), **kwargs)  # type: ignore[arg-type]
        .contrasts.assign(outcome=label, variable=y)
        for y, label in outcomes.items()
    ]
    out = pd.concat(frames, ignore_index=True)
    out["owner_label"] = [human_label(o) for o in out["owner"]]
    out["p_holm"] = holm(out["p_value"].to_numpy())
    out["n_family"] = len(out)
    if true_values is not None:
        tv = true_values.rename(columns={"outcome": "variable"})[["variable", "owner",
                                                                   "true_value"]]
        out = out.merge(tv, on=["variable", "owner"], how="left")
    return out


def event_studies(
    data: pd.DataFrame,
    outcomes: Iterable[str],
    unit: str,
    time: str,
    first_treated: str,
    *,
    window: tuple[int, int] = (-3, 3),
    **kwargs: object,
) -> dict[str, EventStudyResult]:
    """:func:`~cxresearch.causal.did.event_study` for each outcome column, in order (a dict by
    outcome).

    Keyword arguments (``control``, ``level``...) go to :func:`~cxresearch.causal.did.event_study`.

    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=100, n_periods=6, seed=0)
    >>> p["y2"] = 2 * p["y"]
    >>> res = event_studies(p, ["y", "y2"], "unit", "time", "first_treated")
    >>> round(res["y2"].overall().estimate / res["y"].overall().estimate, 6)
    2.0
    """
    return {
        y: event_study(data, y, unit, time, first_treated, window=window,
                       **kwargs)  # type: ignore[arg-type]
        for y in outcomes
    }


def event_study_table(
    results: Mapping[str, EventStudyResult],
    labels: Mapping[str, str] | None = None,
    true_values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per outcome: the post-period average
    (:meth:`~cxresearch.causal.did.EventStudyResult.overall`), the pre-trend test's p-value and, if
    given, the true value (columns ``outcome, true_value`` as
    :func:`cxresearch.simulate.true_event_study_effects` returns, keyed by outcome column).

    Columns: ``outcome`` (label), ``estimate, se, ci_low, ci_high, p_value, p_holm,
    pretrend_p, pretrend_p_holm, true_value``. ``p_value`` is the normal test of the
    post-period average; ``p_holm`` and ``pretrend_p_holm`` are Holm-adjusted over the
    outcomes of the table (each a family of ``len(results)`` tests).

    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=200, n_periods=6, effect=1.0,
    ...                                 effect_growth=0.0, seed=0)
    >>> tab = event_study_table(event_studies(p, ["y"], "unit", "time", "first_treated"))
    >>> list(tab.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['outcome', 'estimate', 'se', 'ci_low', 'ci_high', 'p_value', 'p_holm', 'pretrend_p',
     'pretrend_p_holm', 'true_value']
    """
    labels = dict(labels or {})
    tv = ({} if true_values is None
          else dict(zip(true_values["outcome"], true_values["true_value"])))
    rows = []
    for y, r in results.items():
        ov = r.overall()
        rows.append({"outcome": labels.get(y, y), "estimate": ov.estimate, "se": ov.se,
                     "ci_low": ov.ci_low, "ci_high": ov.ci_high, "p_value": ov.p_value,
                     "p_holm": np.nan, "pretrend_p": r.pretrend_test().p_value,
                     "pretrend_p_holm": np.nan, "true_value": tv.get(y, np.nan)})
    out = pd.DataFrame(rows)
    for p, adj in [("p_value", "p_holm"), ("pretrend_p", "pretrend_p_holm")]:
        ok = out[p].notna()
        out.loc[ok, adj] = holm(out.loc[ok, p].to_numpy())
    return out


def say_do_effects_by_outcome(
    data: pd.DataFrame,
    outcomes: Mapping[str, str],
    controls: Sequence[str] = (),
    say_effect: Mapping[str, float] | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`~cxresearch.linkage.ownership.say_do_effects` for several outcomes, stacked, with the
    true "say" effect.

    ``outcomes`` maps outcome columns to labels (column ``outcome``). ``say_effect`` maps an
    outcome column to the true coefficient of ``say`` (the simulation's ``say_do_effect`` for
    CX); ``true_value`` is that on the ``say`` rows of that outcome, NaN elsewhere. ``p_holm``
    is Holm-adjusted over the ``say`` and ``do`` rows of every outcome (one family; the
    ``gap`` rows re-express the same models and get NaN).

    >>> rng = np.random.default_rng(2)
    >>> d = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 300),
    ...                   "cx_budget_share": rng.gamma(2.0, 1.0, 300)})
    >>> d["y"] = 0.5 * d["cx_budget_share"] + rng.normal(size=300)
    >>> out = say_do_effects_by_outcome(d, {"y": "Y"}, say_effect={"y": 0.0})
    >>> out.loc[out["term"] == "say", "true_value"].tolist()
    [0.0]
    """
    say_effect = dict(say_effect or {})
    frames = []
    for y, label in outcomes.items():
        f = say_do_effects(data, y, controls=list(controls), **kwargs)  # type: ignore[arg-type]
        f = f.assign(outcome=label,
                     true_value=np.where(f["term"] == "say", say_effect.get(y, np.nan), np.nan))
        frames.append(f)
    out = pd.concat(frames, ignore_index=True)
    fam = out["model"] == "say + do"
    out["p_holm"] = np.nan
    out.loc[fam, "p_holm"] = holm(out.loc[fam, "p_value"].to_numpy())
    out["n_family"] = int(fam.sum())
    return out


# --------------------------------------------------------------------------------------------
# scenarios and descriptive figures
# --------------------------------------------------------------------------------------------


def _confounding_scenarios(
    n_firms: int,
    selections: Mapping[str, float],
    seed: int | None = 0,
    outcome: str = "revenue_growth",
) -> pd.DataFrame:
    """Naive comparison, two-way FE and event study on studies that differ only in selection.

    For each scenario ``name -> s`` the study :func:`cxresearch.simulate.simulate_study`
    (``StudyParams(n_firms=n_firms, selection_on_growth=s)``, same ``seed``) is analysed for
    the leader's effect on ``outcome`` with :func:`~cxresearch.causal.did.naive_comparison` (leader
    firm-years vs others, year effects, SEs by firm), :func:`~cxresearch.causal.did.twfe_static` and
    :func:`~cxresearch.causal.did.event_study` (post-period average of event times 0..3).
    ``true_effect`` is the simulated mean total effect over event times 0..3;
    ``growth_gap_of_appointers`` the appointers' baseline growth head start (pp);
    ``pretrend_p`` (event study rows only) the pre-trend test. Only ``revenue_growth`` and
    ``cx`` have per-event-time truths.

    >>> out = _confounding_scenarios(150, {"random": 0.0}, seed=0)
    >>> out["method"].tolist()
    ['naive comparison', 'two-way FE', 'event study']
    """
    from cxresearch.simulate.study import StudyParams, simulate_study

    if outcome not in ("revenue_growth", "cx"):
        raise DataError(f"_confounding_scenarios: outcome must be 'revenue_growth' or 'cx', "
                        f"got {outcome!r}")
    rows: list[dict[str, object]] = []
    for scenario, sel in selections.items():
        s = simulate_study(StudyParams(n_firms=n_firms, selection_on_growth=sel), seed=seed)
        fy = s.firm_years.merge(
            leader_cohorts(s.firms, int(s.firm_years["year"].min())).reset_index(),
            on="firm_id")
        target = float(np.mean([s.truth[f"leader_total_effect_{outcome}_e{e}"]
                                for e in range(4)]))
        naive = naive_comparison(fy, outcome, "has_cx_leader", "firm_id", "year")
        twfe = twfe_static(fy, outcome, "firm_id", "year", "first_treated")
        es = event_study(fy, outcome, "firm_id", "year", "first_treated")
        for method, r in [("naive comparison", naive), ("two-way FE", twfe),
                          ("event study", es.overall())]:
            rows.append({"scenario": scenario, "method": method, "estimate": r.estimate,
                         "ci_low": r.ci_low, "ci_high": r.ci_high, "true_effect": target,
                         "growth_gap_of_appointers": s.truth["selection_gap_growth_pp"]})
        rows[-1]["pretrend_p"] = es.pretrend_test().p_value
    return pd.DataFrame(rows)


def say_do_gap_summary(
    data: pd.DataFrame,
    say: str = "stated_cx_priority",
    do: str = "cx_budget_share",
    top: float = 4,
) -> pd.DataFrame:
    """How common is the say/do gap? Three descriptive figures, as a ``measure, value`` frame.

    ``data`` is one row per firm:

    - share of firms with stated priority ``>= top`` (e.g. 4-5 of 5);
    - among those, the share with ``do`` below the median of all firms;
    - Pearson correlation of ``say`` and ``do``.

    >>> f = pd.DataFrame({"stated_cx_priority": [5, 5, 4, 2], "cx_budget_share": [1, 3, 2, 4]})
    >>> say_do_gap_summary(f)["value"].round(4).tolist()
    [0.75, 0.6667, -0.7303]
    """
    require_columns(data, [say, do])
    is_top = data[say] >= top
    if not is_top.any():
        raise DataError(f"say_do_gap_summary: no firm has {say!r} >= {top}")
    low = data[do] < data[do].median()
    return pd.DataFrame({
        "measure": [f"firms calling CX a top priority ({top:g}-5 of 5)",
                    "... of which with a below-median CX budget",
                    "correlation of stated priority and budget share"],
        "value": [float(is_top.mean()), float((is_top & low).sum() / is_top.sum()),
                  float(np.corrcoef(data[say], data[do])[0, 1])],
    })


def say_do_gap_shares(
    data: pd.DataFrame,
    say: str = "stated_cx_priority",
    do: str = "cx_budget_share",
    top: float = 4,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of firms funding CX below the median, among firms that call it a top priority and
    among the others, with Wilson intervals.

    Half of *all* firms fund CX below the median by construction, so "about half of the
    top-priority firms fund it below the median" says nothing until it is set against the
    other firms (and against 50%, the share if saying and funding were unrelated). Rows
    ``group`` (``"top priority"``: ``say >= top``; ``"others"``), ``n``, ``below_median``
    (count), ``share_pct``, ``ci_low``, ``ci_high`` (Wilson 1927, as
    :func:`cxresearch.metrics.scores.top_box_from_counts`).

    >>> f = pd.DataFrame({"stated_cx_priority": [5, 5, 4, 2, 1, 3],
    ...                   "cx_budget_share": [1, 3, 2, 4, 0.5, 5]})
    >>> say_do_gap_shares(f)[["group", "n", "below_median"]].values.tolist()
    [['top priority', 3, 2], ['others', 3, 1]]
    """
    from cxresearch.metrics.scores import top_box_from_counts

    level = check_level(level)
    require_columns(data, [say, do])
    is_top = data[say] >= top
    low = data[do] < data[do].median()
    rows = []
    for name, mask in [("top priority", is_top), ("others", ~is_top)]:
        n, k = int(mask.sum()), int((mask & low).sum())
        if n == 0:
            rows.append({"group": name, "n": 0, "below_median": 0, "share_pct": np.nan,
                         "ci_low": np.nan, "ci_high": np.nan})
            continue
        r = top_box_from_counts(k, n, level=level)
        rows.append({"group": name, "n": n, "below_median": k, "share_pct": r.estimate,
                     "ci_low": r.ci_low, "ci_high": r.ci_high})
    return pd.DataFrame(rows)


def within_unit_sd(data: pd.DataFrame, outcome: str, unit: str = "firm_id",
                   time: str = "year") -> float:
    """SD of ``outcome`` after removing unit means, then period means of the result.

    ``r_it = y_it - mean_i(y)``, ``r'_it = r_it - mean_t(r)``, SD (ddof 1) of ``r'``: the
    noise an event study faces once firm and year effects are removed (one pass of the
    two-way demeaning; exact for balanced panels).

    >>> p = pd.DataFrame({"firm_id": [1, 1, 2, 2], "year": [1, 2, 1, 2],
    ...                   "y": [0.0, 2.0, 1.0, 1.0]})
    >>> round(within_unit_sd(p, "y"), 4)
    0.5774
    """
    require_columns(data, [outcome, unit, time])
    r = data[outcome] - data.groupby(unit)[outcome].transform("mean")
    r = r - r.groupby(data[time]).transform("mean")
    return float(r.std(ddof=1))


# --------------------------------------------------------------------------------------------
# threats to the event study, scenario by scenario (synthetic panels with a known truth)
# --------------------------------------------------------------------------------------------

def _one_blas_thread():  # type: ignore[no-untyped-def]
    """A context in which BLAS runs on one thread: the many small fits below (20-donor
    quadratic programs, logits on a few hundred firms) are faster that way, much faster on a
    busy machine where idle BLAS threads spin, and the results are the same to ~1e-10."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


#: the reader's words for each scenario of :data:`cxresearch.simulate.threats.SCENARIOS`
_THREAT_LABELS: dict[str, str] = {
    "parallel": "parallel trends (the easy case)",
    "slump": "appointment after a slump (Ashenfelter dip)",
    "anticipation": "anticipation (the effect starts a year early)",
    "confounding": "time-varying confounding (a trait drives appointment and trend)",
    "heterogeneous": "heterogeneous effects (larger for the type that appoints more)",
    "culture": "effect larger in empowered firms (leader x culture)",
}

#: the threat each scenario's tailored estimator answers (the row its truth sentence is about)
THREAT_FIX: dict[str, str] = {
    "parallel": "event study (no covariates)",
    "slump": "event study (dr, anticipation = 1)",
    "anticipation": "event study (dr, anticipation = 1)",
    "confounding": "event study (dr, covariates)",
    "heterogeneous": "event study (no covariates)",
    "culture": "event study (no covariates)",
}

#: the scenarios whose threat starts before the appointment (analysed also with anticipation)
_EARLY_THREATS = ("slump", "anticipation")


def threat_scenarios(
    scenarios: Sequence[str] | None = None,
    *,
    n_units: int = 400,
    n_periods: int = 10,
    covariates: Sequence[str] = ("x", "firm_type", "culture"),
    shift: int = 2,
    seed: int | None = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Every estimator of the leader's effect on one seeded **synthetic** panel per threat.

    For each scenario of :func:`cxresearch.simulate.threats.simulate_threat_panel` (same
    ``seed`` for every scenario, so they differ only in the threat) the average effect of
    appointing a CX leader over event times 0..3 is estimated by the naive comparison
    (:func:`~cxresearch.causal.did.naive_comparison`, firm-years with a leader against the others,
    year effects, SEs by firm), static two-way FE (:func:`~cxresearch.causal.did.twfe_static`), the
    event study without covariates (:func:`~cxresearch.causal.did.event_study`, window (-3, 3)), the
    doubly robust event study with ``covariates`` (``method="dr"``) and, in
    :data:`_EARLY_THREATS`, the doubly robust event study with one period of anticipation
    (window (-4, 3)). The last row of a scenario is the placebo test
    (:func:`~cxresearch.causal.did.placebo_test`, appointments moved ``shift`` periods earlier),
    whose
    truth is 0.

    Returns
    -------
    DataFrame
        ``scenario`` (code), ``threat`` (:data:`_THREAT_LABELS`), ``estimator, estimate, se,
        ci_low, ci_high, truth`` (the simulated average effect of the firms the event study
        uses over event times 0..3; 0 for the placebo), ``covers_truth`` (bool) and
        ``check_p``: the p-value of the design's own check -- the joint pre-trend test of each
        event study, the placebo test's p-value on its row, NaN for the naive comparison and
        two-way FE (which have none).

    Examples
    --------
    >>> out = threat_scenarios(["parallel"], n_units=120, n_periods=8)
    >>> out["estimator"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['naive comparison', 'two-way FE', 'event study (no covariates)',
     'event study (dr, covariates)', 'placebo test (appointment 2 years early)']
    >>> round(float(out["truth"].iloc[0]), 3)
    1.375
    """
    from cxresearch.simulate.threats import SCENARIOS

    level = check_level(level)
    scenarios = list(SCENARIOS if scenarios is None else scenarios)
    bad = [s for s in scenarios if s not in SCENARIOS]
    if bad:
        raise DataError(f"threat_scenarios: unknown scenario(s) {bad}; choose from {SCENARIOS}")
    covs = list(covariates)
    rows: list[dict[str, object]] = []
    with _one_blas_thread():
        for sc in scenarios:
            rows.extend(_threat_rows(sc, n_units, n_periods, covs, shift, seed, level))
    out = pd.DataFrame(rows)
    out["covers_truth"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    return out[["scenario", "threat", "estimator", "estimate", "se", "ci_low", "ci_high",
                "truth", "covers_truth", "check_p"]]


def _threat_rows(sc: str, n_units: int, n_periods: int, covs: list[str], shift: int,
                 seed: int | None, level: float) -> list[dict[str, object]]:
    from cxresearch.causal.did import placebo_test
    from cxresearch.simulate.threats import simulate_threat_panel

    args = ("y", "unit", "time", "first_treated")
    rows: list[dict[str, object]] = []
    p, truth = simulate_threat_panel(sc, n_units=n_units, n_periods=n_periods, seed=seed)
    target = float(truth.set_index("event_time").loc[[0, 1, 2, 3], "att"].mean())
    fits: list[tuple[str, object, float]] = [
        ("naive comparison",
         naive_comparison(p, "y", "treated", "unit", "time", level=level), np.nan),
        ("two-way FE", twfe_static(p, *args, level=level), np.nan),
    ]
    designs = [("event study (no covariates)", {}),
               ("event study (dr, covariates)", {"covariates": covs, "method": "dr"})]
    if sc in _EARLY_THREATS:
        designs.append(("event study (dr, anticipation = 1)",
                        {"covariates": covs, "method": "dr", "anticipation": 1,
                         "window": (-4, 3)}))
    for name, kw in designs:
        kw = {"window": (-3, 3), **kw}
        es = event_study(p, *args, level=level, **kw)  # type: ignore[arg-type]
        fits.append((name, es.overall(), es.pretrend_test().p_value))
    pl = placebo_test(p, *args, shift=shift, level=level)
    fits.append((f"placebo test (appointment {shift} years early)", pl, pl.p_value))
    for name, r, check in fits:
        tv = 0.0 if name.startswith("placebo") else target
        rows.append({"scenario": sc, "threat": _THREAT_LABELS[sc], "estimator": name,
                     "estimate": r.estimate, "se": r.se,  # type: ignore[attr-defined]
                     "ci_low": r.ci_low, "ci_high": r.ci_high,  # type: ignore[attr-defined]
                     "truth": tv, "check_p": check})
    return rows


def threat_findings(data: pd.DataFrame, *, level: float = 0.95) -> tuple[Finding, ...]:
    """One sentence per scenario of :func:`threat_scenarios`: which intervals cover the truth.

    Each is a :class:`cxresearch.report.conclusions.Finding` of kind ``"truth"`` (about a
    simulation,
    it claims no effect): the estimators whose interval covers the simulated true value, those
    whose interval misses it, and whether the design's own checks (the placebo test and the
    event study's joint pre-trend test, at ``1 - level``) flag the threat.

    >>> t = pd.DataFrame({"scenario": ["s", "s", "s"], "threat": ["a threat"] * 3,
    ...                   "estimator": ["naive comparison", "event study (no covariates)",
    ...                                 "placebo test (appointment 2 years early)"],
    ...                   "truth": [1.0, 1.0, 0.0], "covers_truth": [False, True, True],
    ...                   "check_p": [np.nan, 0.5, 0.4]})
    >>> print(threat_findings(t)[0].text)  # doctest: +NORMALIZE_WHITESPACE
    **a threat** (true effect 1.00): the interval of the event study covers it; that of the
    naive comparison misses it. Neither the placebo test (p = 0.400) nor the
    event study's pre-trend test (p = 0.500) flags a problem.
    """
    alpha = 1 - check_level(level)
    require_columns(data, ["scenario", "threat", "estimator", "truth", "covers_truth",
                           "check_p"])

    def listing(names: list[str]) -> str:
        names = [f"the {ESTIMATOR_WORDS.get(n, n)}" for n in names]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    out = []
    for _, g in data.groupby("scenario", sort=False):
        pl = g[g["estimator"].str.startswith("placebo")]
        est = g[~g["estimator"].str.startswith("placebo")]
        truth = float(est["truth"].iloc[0])
        hit = est.loc[est["covers_truth"].astype(bool), "estimator"].tolist()
        miss = est.loc[~est["covers_truth"].astype(bool), "estimator"].tolist()
        parts = []
        if hit:
            parts.append(f"the interval{'s' if len(hit) > 1 else ''} of {listing(hit)} "
                         f"cover{'' if len(hit) > 1 else 's'} it")
        if miss:
            parts.append(f"{'those' if len(miss) > 1 else 'that'} of {listing(miss)} "
                         f"miss{'' if len(miss) > 1 else 'es'} it")
        text = f"**{g['threat'].iloc[0]}** (true effect {truth:.2f}): " + "; ".join(parts) + "."
        es = est[est["estimator"] == "event study (no covariates)"]
        checks = [(f"the placebo test (p {format_p(float(r.check_p))})", float(r.check_p))
                  for r in pl.itertuples()]
        checks += [(f"the event study's pre-trend test (p {format_p(float(r.check_p))})",
                    float(r.check_p)) for r in es.itertuples()]
        flagged = [c for c, p in checks if p < alpha]
        calm = [c for c, p in checks if not p < alpha]
        if flagged:
            text += (" " + " and ".join(flagged).capitalize() + " flag"
                     + ("s" if len(flagged) == 1 else "") + " the threat"
                     + (f"; {' and '.join(calm)} does not" if calm else "") + ".")
        elif calm:
            text += (" Neither " + " nor ".join(calm) + " flags a problem." if len(calm) > 1
                     else f" {calm[0].capitalize()} does not flag a problem.")
        out.append(Finding(text, False, kind="truth"))
    return tuple(out)


# --------------------------------------------------------------------------------------------
# "doing both": the leader's effect by employee empowerment
# --------------------------------------------------------------------------------------------


def empowerment_by_firm(
    data: pd.DataFrame,
    item: str = "culture_6",
    *,
    unit: str = "firm_id",
    time: str = "year",
    year: int | None = None,
) -> pd.DataFrame:
    """Each firm's baseline employee empowerment and a split at the median.

    ``data`` is the employee answers (one row per employee and year). The firm mean of
    ``item`` (default ``culture_6``, "I am empowered to fix a customer's problem on the spot",
    1-5) in ``year`` (default: the first year of the data, before any appointment made during
    the panel, so the leader cannot have changed it) is ``empowerment``; ``empowered`` is 1 for
    firms above the median of those means, 0 otherwise. Firms without an answer that year get
    NA and drop out of a split.

    Returns
    -------
    DataFrame
        ``unit, empowerment, empowered`` (nullable Int64), one row per firm, sorted by firm.

    >>> e = pd.DataFrame({"firm_id": ["A", "A", "B", "C", "C"], "year": [1, 2, 1, 1, 1],
    ...                   "culture_6": [5, 1, 2, 4, 3]})
    >>> empowerment_by_firm(e)["empowered"].tolist()
    [1, 0, 0]
    """
    require_columns(data, [unit, time, item])
    yr = data[time].min() if year is None else year
    base = data[data[time] == yr]
    score = pd.to_numeric(base[item], errors="coerce")
    means = score.groupby(base[unit]).mean()
    firms = pd.Index(sorted(data[unit].unique()), name=unit)
    means = means.reindex(firms)
    if means.notna().sum() < 2:
        raise DataError(f"empowerment_by_firm: column {item!r} has answers from fewer than two "
                        f"firms in {time} {yr}")
    med = float(means.median())
    flag = pd.array(np.where(means > med, 1, 0), dtype="Int64")
    flag[means.isna().to_numpy()] = pd.NA
    return pd.DataFrame({unit: firms, "empowerment": means.to_numpy(), "empowered": flag})


def doing_both_table(
    data: pd.DataFrame,
    outcomes: Mapping[str, str],
    unit: str,
    time: str,
    first_treated: str,
    by: str,
    *,
    group_labels: Mapping[str, str] | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """:func:`~cxresearch.causal.did.event_study_by` for several outcomes, stacked, with labels.

    ``outcomes`` maps outcome columns to display labels (column ``outcome``; the column name
    in ``variable``). ``group`` is ``group_labels`` applied to
    :func:`~cxresearch.causal.did.event_study_by`'s ``by`` (levels and ``"b - a"`` differences);
    ``is_difference`` marks the difference rows (the leader x trait interaction). Firms with a
    missing ``by`` are left out. Keyword arguments (``window``, ``control``, ``level``...) go
    to :func:`~cxresearch.causal.did.event_study_by`.

    >>> from cxresearch.simulate.threats import simulate_threat_panel
    >>> p, _ = simulate_threat_panel("culture", n_units=300, seed=0)
    >>> out = doing_both_table(p, {"y": "Y"}, "unit", "time", "first_treated", "culture",
    ...                        group_labels={"0": "low", "1": "high", "1 - 0": "high - low"})
    >>> out["group"].tolist(), out["is_difference"].tolist()
    (['low', 'high', 'high - low'], [False, False, True])
    """
    from cxresearch.causal.did import event_study_by

    require_columns(data, [by])
    labels = dict(group_labels or {})
    work = data[data[by].notna()]
    frames = []
    for y, name in outcomes.items():
        f = event_study_by(work, y, unit, time, first_treated, by=by,
                           **kwargs).to_frame()  # type: ignore[arg-type]
        f.insert(0, "outcome", name)
        f.insert(1, "variable", y)
        f.insert(2, "group", [labels.get(b, b) for b in f["by"]])
        f["is_difference"] = f["by"].str.contains(" - ", regex=False)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------------------------
# one firm's appointment: interrupted time series and synthetic control
# --------------------------------------------------------------------------------------------


def _month_index(values: pd.Series | Sequence[object]) -> pd.Series:
    """Months as consecutive integers: numbers are kept, dates (``2023-01``, ``2023-01-31``)
    become months since 1970-01 (so the differences are months).

    >>> _month_index(pd.Series(["2023-11", "2023-12", "2024-01"])).tolist()
    [646, 647, 648]
    >>> _month_index(pd.Series([0, 1, 2])).tolist()
    [0, 1, 2]
    """
    s = pd.Series(values)
    num = pd.to_numeric(s, errors="coerce")
    if num.notna().all():
        if not np.allclose(num, np.round(num)):
            raise DataError("month: numbers must be whole months")
        return num.round().astype(int).rename("month")
    dates = pd.to_datetime(s.astype(str), errors="coerce")
    if dates.isna().any():
        rows = list(s.index[dates.isna().to_numpy()][:5])
        raise DataError(f"column 'month': neither whole numbers nor dates at rows {rows}")
    per = dates.dt.to_period("M")
    return pd.Series([int(p.ordinal) for p in per], index=s.index, name="month")


def prepare_firm_series(
    data: pd.DataFrame,
    appointed: object,
    *,
    focal: str | None = None,
    outcomes: Sequence[str] = ("cx", "revenue"),
) -> tuple[pd.DataFrame, int, str]:
    """A firm's monthly series (and donor firms') ready for the single-firm designs.

    ``data`` has columns ``month`` (whole numbers or dates) and ``outcomes``, and optionally
    ``firm`` (then the other firms are donors that did not appoint a leader). ``focal`` names
    the firm whose appointment is studied (default: the first firm in the file, or ``"firm"``
    without a ``firm`` column). ``appointed`` is the first month with the leader in post, in
    the units of ``month``.

    Returns
    -------
    tuple
        ``(series, start, focal)``: long ``firm, month, <outcomes>`` sorted by firm and month,
        the appointment as a month number, and the focal firm's id.

    >>> d = pd.DataFrame({"month": ["2023-01", "2023-02"], "cx": [70.0, 71.0],
    ...                   "revenue": [100.0, 101.0]})
    >>> s, start, f = prepare_firm_series(d, "2023-02")
    >>> start - int(s["month"].min()), f
    (1, 'firm')
    """
    require_columns(data, ["month", *outcomes])
    out = data.copy()
    if "firm" not in out:
        out.insert(0, "firm", "firm" if focal is None else focal)
    out["firm"] = out["firm"].astype(str)
    focal = str(out["firm"].iloc[0]) if focal is None else str(focal)
    if focal not in set(out["firm"]):
        raise DataError(f"column 'firm': the focal firm {focal!r} is not in the data")
    out["month"] = _month_index(out["month"]).to_numpy()
    for y in outcomes:
        out[y] = pd.to_numeric(out[y], errors="coerce")
        if out[y].isna().any():
            rows = list(out.index[out[y].isna().to_numpy()][:5])
            raise DataError(f"column {y!r}: missing or non-numeric values at rows {rows}")
    if appointed is None:
        raise DataError("appointed: the month the leader was appointed is needed with a "
                        "firm's own series")
    start = int(_month_index(pd.Series([appointed])).iloc[0])
    out = out.sort_values(["firm", "month"], kind="stable").reset_index(drop=True)
    return out[["firm", "month", *outcomes]], start, focal


def single_firm_table(
    data: pd.DataFrame,
    start: int,
    outcomes: Mapping[str, str],
    *,
    focal: str = "firm",
    true_values: Mapping[str, float] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Interrupted time series and (with donors) synthetic control for one firm, by outcome.

    ``data`` is :func:`prepare_firm_series` output (``firm, month`` and the outcome columns).
    For each outcome (column -> label):
    :func:`cxresearch.causal.single_firm.interrupted_time_series`
    on the focal firm's series (segmented regression, HAC SEs) and, when the data hold at least
    two other firms, :func:`cxresearch.causal.single_firm.synthetic_control` (placebo-in-space
    inference; the interval inverts that test). ``p_value`` is the ITS's normal test or the
    synthetic control's placebo-in-space p; ``check_p`` the ITS's placebo (a fake appointment
    in the middle of the pre-period; NaN for the synthetic control, whose check is its
    pre-period fit, ``pre_rmspe``). ``true_value`` (NaN unless given) is the simulated average
    effect after the appointment.

    >>> from cxresearch.simulate.threats import simulate_firm_series
    >>> s, truth = simulate_firm_series(n_months=48, appoint_month=36, n_donors=20, seed=0)
    >>> out = single_firm_table(s, 36, {"cx": "CX"})
    >>> out["design"].tolist()
    ['interrupted time series', 'synthetic control']
    """
    from scipy import stats

    from cxresearch.causal.single_firm import interrupted_time_series, synthetic_control

    level = check_level(level)
    require_columns(data, ["firm", "month", *outcomes])
    tv = dict(true_values or {})
    own = data[data["firm"] == focal]
    has_donors = data.loc[data["firm"] != focal, "firm"].nunique() >= 2
    rows = []
    with _one_blas_thread():
        for y, name in outcomes.items():
            its = interrupted_time_series(own, y, "month", start, level=level)
            p_its = (float(2 * stats.norm.sf(abs(its.estimate / its.se))) if its.se > 0
                     else np.nan)
            rows.append({"outcome": name, "design": "interrupted time series",
                         "estimate": its.estimate, "ci_low": its.ci_low,
                         "ci_high": its.ci_high, "p_value": p_its,
                         "check_p": its.placebo_p_value, "pre_rmspe": np.nan,
                         "true_value": tv.get(y, np.nan)})
            if has_donors:
                sc = synthetic_control(data, y, "firm", "month", focal, start, level=level)
                rows.append({"outcome": name, "design": "synthetic control",
                             "estimate": sc.estimate, "ci_low": sc.ci_low,
                             "ci_high": sc.ci_high, "p_value": sc.p_value, "check_p": np.nan,
                             "pre_rmspe": sc.pre_rmspe, "true_value": tv.get(y, np.nan)})
    return pd.DataFrame(rows)


def single_firm_counterfactuals(
    data: pd.DataFrame,
    start: int,
    outcome: str = "cx",
    *,
    focal: str = "firm",
) -> pd.DataFrame:
    """The focal firm's observed series beside the two designs' counterfactuals, by month.

    ``data`` as in :func:`single_firm_table`. Columns ``month``, ``months_since`` (month -
    ``start``), ``observed``, ``its_pre_trend`` (the interrupted time series' fitted
    pre-appointment line ``b0 + b1 t``, extended over every month: what the firm would have
    scored without the level and slope changes) and, with at least two donor firms,
    ``synthetic_control`` (the weighted donors of
    :func:`cxresearch.causal.single_firm.synthetic_control`).

    >>> from cxresearch.simulate.threats import simulate_firm_series
    >>> s, _ = simulate_firm_series(n_months=48, appoint_month=36, n_donors=20, seed=0)
    >>> cf = single_firm_counterfactuals(s, 36)
    >>> list(cf.columns), int(cf["months_since"].iloc[0])
    (['month', 'months_since', 'observed', 'its_pre_trend', 'synthetic_control'], -36)
    """
    from cxresearch.causal.single_firm import interrupted_time_series, synthetic_control

    require_columns(data, ["firm", "month", outcome])
    own = data[data["firm"] == focal].sort_values("month")
    with _one_blas_thread():
        its = interrupted_time_series(own, outcome, "month", start)
        coef = its.coefficients.set_index("term")["estimate"]
        month = own["month"].to_numpy()
        out = pd.DataFrame({"month": month, "months_since": month - start,
                            "observed": own[outcome].to_numpy(dtype=float),
                            "its_pre_trend": coef["const"]
                            + coef["trend"] * (month - month.min())})
        if data.loc[data["firm"] != focal, "firm"].nunique() >= 2:
            sc = synthetic_control(data, outcome, "firm", "month", focal, start)
            synth = sc.gaps.set_index("time")["synthetic"]
            out["synthetic_control"] = synth.reindex(month).to_numpy()
    return out


# --------------------------------------------------------------------------------------------
# power with Monte-Carlo bands
# --------------------------------------------------------------------------------------------


def power_band_table(data: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """The frame of :func:`cxresearch.causal.power.event_study_power_curve` (its ``to_frame()``)
    as a table to read: one row per panel length, one column per number of firms, each cell
    ``power [mc_low, mc_high]``.

    >>> p = pd.DataFrame({"n_firms": [100, 300], "n_years": [8, 8], "power": [0.2519, 0.532],
    ...                   "mc_low": [0.239, 0.517], "mc_high": [0.265, 0.547]})
    >>> power_band_table(p).loc[8].tolist()
    ['0.252 [0.239, 0.265]', '0.532 [0.517, 0.547]']
    """
    require_columns(data, ["n_firms", "n_years", "power", "mc_low", "mc_high"])
    cell = [f"{p:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"
            for p, lo, hi in zip(data["power"], data["mc_low"], data["mc_high"])]
    out = data.assign(cell=cell).pivot(index="n_years", columns="n_firms", values="cell")
    out.index.name = "years of panel"
    out.columns.name = "firms"
    return out


#: the values of Mbar shown in notebook 11: post-appointment departures from parallel trends up
#: to twice the largest pre-appointment one
_SENSITIVITY_MBAR = (0.0, 0.5, 1.0, 1.5, 2.0)


def sensitivity_table(
    results: Mapping[str, EventStudyResult],
    labels: Mapping[str, str] | None = None,
    *,
    grid: Sequence[float] = _SENSITIVITY_MBAR,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Rambachan-Roth relative-magnitude intervals for the post-period average of each outcome.

    For each event study, :func:`cxresearch.causal.sensitivity.event_study_sensitivity` with
    ``method="relative_magnitude"`` and equal weights on the post-appointment event times (the
    same average as :meth:`~cxresearch.causal.did.EventStudyResult.overall`): the interval that
    holds
    when no post-appointment change in the bias exceeds ``Mbar`` times the largest
    pre-appointment change (Rambachan & Roth 2023). ``Mbar = 0`` is exact parallel trends after
    the appointment; the ``original`` row is the ordinary interval.

    Columns: ``outcome`` (label), ``method`` (``original`` or ``relative_magnitude``), ``m``
    (``Mbar``; NaN for the original), ``ci_low, ci_high``, ``covers_zero``.

    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> p, _ = simulate_staggered_panel(n_units=300, n_periods=8, effect=1.0, seed=0)
    >>> t = sensitivity_table(event_studies(p, ["y"], "unit", "time", "first_treated"),
    ...                       grid=(0.0, 1.0))
    >>> t[["method", "m", "covers_zero"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'method': 'original', 'm': nan, 'covers_zero': False},
     {'method': 'relative_magnitude', 'm': 0.0, 'covers_zero': False},
     {'method': 'relative_magnitude', 'm': 1.0, 'covers_zero': False}]
    """
    from cxresearch.causal.sensitivity import event_study_sensitivity

    labels = dict(labels or {})
    frames = []
    for y, r in results.items():
        n_post = int((r.vcov.index >= r.reference + 1).sum())
        f = event_study_sensitivity(r, method="relative_magnitude", grid=list(grid),
                                    level=level, l_vec=[1.0 / n_post] * n_post,
                                    seed=seed).to_frame()
        frames.append(f.assign(outcome=labels.get(y, y)))
    out = pd.concat(frames, ignore_index=True)
    out["covers_zero"] = (out["ci_low"] <= 0) & (out["ci_high"] >= 0)
    return out[["outcome", "method", "m", "ci_low", "ci_high", "covers_zero"]]


def sensitivity_findings(table: pd.DataFrame, held: Iterable[str]) -> tuple[Finding, ...]:
    """One sentence per outcome of :func:`sensitivity_table`: how large a violation of parallel
    trends the effect survives.

    ``held`` names the outcomes whose effect held after the multiplicity adjustment; only those
    get a robustness statement (a sentence about the others says there is nothing to
    stress-test), so the sentences never claim more than the adjusted test did.

    >>> t = pd.DataFrame({"outcome": ["a"] * 4,
    ...                   "method": ["original"] + ["relative_magnitude"] * 3,
    ...                   "m": [np.nan, 0.0, 0.5, 1.0], "ci_low": [0.2, 0.2, 0.1, -0.1],
    ...                   "ci_high": [0.8, 0.8, 0.9, 1.1]})
    >>> print(sensitivity_findings(t, held=["a"])[0].text)  # doctest: +NORMALIZE_WHITESPACE
    **a**: the average effect stays clear of zero for post-appointment departures from
    parallel trends up to 0.5 times the largest pre-appointment one (Mbar = 0.5); at Mbar = 1
    the robust interval (-0.10 to 1.10) includes zero.
    >>> sensitivity_findings(t, held=[])[0].claims_effect
    False
    """
    held = set(held)
    out = []
    for outcome, g in table.groupby("outcome", sort=False):
        rm = g[g["method"] == "relative_magnitude"].sort_values("m")
        covers = (rm["ci_low"] <= 0) & (rm["ci_high"] >= 0)
        if outcome not in held:
            out.append(Finding(f"**{outcome}**: no effect held after the adjustment, so there is "
                               "nothing for a violation of parallel trends to explain away.",
                               claims_effect=False))
            continue
        if not covers.any():
            out.append(Finding(
                f"**{outcome}**: the average effect stays clear of zero for every Mbar shown, "
                f"that is for post-appointment departures from parallel trends up to "
                f"{rm['m'].max():g} times the largest pre-appointment one.",
                claims_effect=True))
            continue
        first = rm[covers.to_numpy()].iloc[0]
        clear = rm[(~covers).to_numpy() & (rm["m"] < first["m"]).to_numpy()]
        if clear.empty:
            out.append(Finding(
                f"**{outcome}**: fragile: once the post-appointment trend may depart from the "
                f"pre-appointment one at all (Mbar = {first['m']:g}), the robust interval "
                f"({first['ci_low']:.2f} to {first['ci_high']:.2f}) includes zero.",
                claims_effect=False))
            continue
        best = clear.iloc[-1]
        if best["m"] == 0:
            out.append(Finding(
                f"**{outcome}**: fragile: the average effect is clear of zero only if the trends "
                f"stay exactly parallel after the appointment (Mbar = 0); at Mbar = "
                f"{first['m']:g} the robust interval ({first['ci_low']:.2f} to "
                f"{first['ci_high']:.2f}) includes zero.", claims_effect=True))
            continue
        out.append(Finding(
            f"**{outcome}**: the average effect stays clear of zero for post-appointment "
            f"departures from parallel trends up to {best['m']:g} times the largest "
            f"pre-appointment one (Mbar = {best['m']:g}); at Mbar = {first['m']:g} the robust "
            f"interval ({first['ci_low']:.2f} to {first['ci_high']:.2f}) includes zero.",
            claims_effect=True))
    return tuple(out)


def sensitivity_wide(table: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """:func:`sensitivity_table` for reading: one row per outcome, one column per interval.

    Columns ``original`` and ``Mbar = m`` for each ``m``, each cell ``"low to high"``; outcomes
    and columns in the table's order.

    >>> t = pd.DataFrame({"outcome": ["a"] * 2, "method": ["original", "relative_magnitude"],
    ...                   "m": [np.nan, 0.5], "ci_low": [0.1, -0.2], "ci_high": [0.5, 0.8]})
    >>> sensitivity_wide(t)  # doctest: +NORMALIZE_WHITESPACE
    column      original    Mbar = 0.5
    outcome
    a        0.10 to 0.50  -0.20 to 0.80
    """
    cols = ["original" if m != "relative_magnitude" else f"Mbar = {v:g}"
            for m, v in zip(table["method"], table["m"])]
    wide = table.assign(
        interval=[f"{lo:.{digits}f} to {hi:.{digits}f}"
                  for lo, hi in zip(table["ci_low"], table["ci_high"])],
        column=cols,
    ).pivot(index="outcome", columns="column", values="interval")
    return wide.loc[list(dict.fromkeys(table["outcome"])), list(dict.fromkeys(cols))]


# --------------------------------------------------------------------------------------------
# wording built from the numbers: families of tests, validation, verdicts, closing summary
# --------------------------------------------------------------------------------------------

#: the families of tests notebook 06 (who owns CX) asks of the study's data; each is
#: Holm-adjusted and they split the 5% error rate between them
#: (``n_families=len(OWNERSHIP_FAMILIES)``)
OWNERSHIP_FAMILIES: tuple[str, ...] = (
    "ownership contrasts (associations)",
    "leader × empowerment differences",
    "say and do coefficients (associations)",
)

#: the families of tests notebook 11 (appointing a CX leader) asks of the study's data, split
#: the same way (``n_families=len(APPOINTING_FAMILIES)``)
APPOINTING_FAMILIES: tuple[str, ...] = (
    "event-study effects of appointing a CX leader",
    "joint pre-trend tests",
)

#: plain words for the estimators of :func:`threat_scenarios` (titles, legends, sentences)
ESTIMATOR_WORDS: dict[str, str] = {
    "naive comparison": "naive comparison",
    "two-way FE": "static fixed effects",
    "event study (no covariates)": "event study",
    "event study (reg, covariates)": "event study + covariates (outcome regression)",
    "event study (dr, covariates)": "event study + covariates",
    "event study (dr, anticipation = 1)": "event study + anticipation",
}

#: a design "holds up" under a threat when its 95% intervals cover the truth in at least this
#: share of the validation's replications (the criterion the notebook states)
HOLDS_UP_COVERAGE = 0.90

_VALIDATION_FILE = "scripts/results/validate_causal.md"
_ESTIMANDS = ("ATT, e = 0..3", "placebo effect = 0", "leader x culture", "mean effect after")
_VALIDATION_COLS = ("reps", "truth", "mean_estimate", "bias", "rmse", "mean_se", "sd_estimate",
                    "coverage", "coverage_mc_se")


def read_causal_validation(path: str | None = None) -> pd.DataFrame:
    """The replication results of ``scripts/validate_causal.py`` (its Markdown report) as a table.

    Parameters
    ----------
    path : str, optional
        The report (default: ``scripts/results/validate_causal.md`` in the project).

    Returns
    -------
    DataFrame
        ``scenario, estimator, estimand`` and the report's numbers (``reps, truth, bias,
        rmse, coverage, ...``); the placebo rows' ``coverage`` is the share of studies in which
        the placebo test does *not* flag.

    Examples
    --------
    >>> v = read_causal_validation()
    >>> v.set_index(["scenario", "estimator"]).loc[("slump",
    ...     "event study (dr, anticipation = 1)"), "coverage"]
    np.float64(0.41)
    """
    import re
    from pathlib import Path

    from cxresearch.core.paths import PROJECT_ROOT

    text = Path(path or PROJECT_ROOT / _VALIDATION_FILE).read_text(encoding="utf-8")
    pattern = re.compile(r"^\s*(single firm|\w+)\s+(.*?)\s+("
                         + "|".join(re.escape(e) for e in _ESTIMANDS) + r")\s+(.*)$")
    rows = []
    for line in text.splitlines():
        m = pattern.match(line)
        if not m:
            continue
        nums = [float(x) if x.lower() != "nan" else np.nan for x in m.group(4).split()]
        if len(nums) != len(_VALIDATION_COLS):
            continue
        rows.append({"scenario": m.group(1), "estimator": m.group(2).strip(),
                     "estimand": m.group(3), **dict(zip(_VALIDATION_COLS, nums))})
    if not rows:
        raise DataError(f"read_causal_validation: no result rows in {path or _VALIDATION_FILE}")
    out = pd.DataFrame(rows)
    out["estimator"] = out["estimator"].replace({"TWFE (static)": "two-way FE"})
    return out


def validation_table(validation: pd.DataFrame) -> pd.DataFrame:
    """The threat scenarios of :func:`read_causal_validation` as one row per threat: each cell
    ``bias (coverage)``, the truth, and the share of studies whose placebo test does not flag.

    >>> validation_table(read_causal_validation()).loc["slump", "event study + anticipation"]
    '-0.18 (0.41)'
    """
    v = validation[validation["estimand"] == "ATT, e = 0..3"]
    cell = [f"{b:+.2f} ({c:.2f})".replace("+0.00", "-0.00" if b < 0 else "+0.00")
            for b, c in zip(v["bias"], v["coverage"])]
    wide = v.assign(cell=cell, estimator=v["estimator"].map(ESTIMATOR_WORDS)).pivot(
        index="scenario", columns="estimator", values="cell")
    order = list(dict.fromkeys(v["scenario"]))
    cols = [w for w in ESTIMATOR_WORDS.values() if w in wide.columns]
    out = wide.loc[order, cols].fillna("–")
    out.insert(0, "truth", v.groupby("scenario", sort=False)["truth"].first().round(2))
    pl = validation[validation["estimand"] == "placebo effect = 0"].set_index("scenario")
    out["placebo: share not flagging"] = pl["coverage"].reindex(order).round(2)
    out.index.name = "threat"
    return out


def validation_findings(validation: pd.DataFrame, *,
                        threshold: float = HOLDS_UP_COVERAGE) -> tuple[Finding, ...]:
    """Per threat: which estimators hold up over the replications (coverage at least
    ``threshold``) and which do not; a threat where none does says so.

    >>> f = validation_findings(read_causal_validation())
    >>> "no estimator here holds up" in [x.text for x in f if "slump" in x.text][0]
    True
    """
    v = validation[validation["estimand"] == "ATT, e = 0..3"]
    out = []
    for sc, g in v.groupby("scenario", sort=False):
        words = [ESTIMATOR_WORDS.get(e, e) for e in g["estimator"]]
        ok = [f"{w} ({c:.0%})" for w, c in zip(words, g["coverage"]) if c >= threshold]
        bad = [f"{w} ({c:.0%})" for w, c in zip(words, g["coverage"]) if c < threshold]
        label = _THREAT_LABELS.get(sc, sc)
        if ok:
            text = (f"**{label}**: holds up over {int(g['reps'].iloc[0])} simulated panels: "
                    + ", ".join(ok) + "; does not: " + (", ".join(bad) or "none") + ".")
        else:
            best = g.loc[g["coverage"].idxmax()]
            es_bias = g.set_index("estimator")["bias"].get("event study (no covariates)", np.nan)
            text = (f"**{label}**: no estimator here holds up over {int(g['reps'].iloc[0])} "
                    f"simulated panels (best coverage {best['coverage']:.0%}, "
                    f"{ESTIMATOR_WORDS.get(best['estimator'], best['estimator'])}); the event "
                    f"study's bias is {es_bias:+.2f} "
                    f"on a truth of {g['truth'].iloc[0]:.2f}.")
        out.append(Finding(text, False, kind="truth"))
    return tuple(out)


def adapted_design_findings(threats: pd.DataFrame, validation: pd.DataFrame, *,
                            threshold: float = HOLDS_UP_COVERAGE) -> tuple[Finding, ...]:
    """Per threat, the estimator adapted to it (:data:`THREAT_FIX`): whether its interval covers
    the truth in this draw, how often it does over the validation's replications, and the
    verdict ("holds up" only when that coverage reaches ``threshold``).

    >>> t = threat_scenarios(["slump"], n_units=120, n_periods=8)
    >>> print(adapted_design_findings(t, read_causal_validation())[0].text)
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    **appointment after a slump (Ashenfelter dip), event study + anticipation (the estimator
    adapted to it)**: ...; over 200 simulated panels its intervals cover the truth 41% of the
    time (bias -0.18): it does not hold up.
    """
    cov = validation.set_index(["scenario", "estimator"])
    out = []
    for r in threats[threats["estimator"] == threats["scenario"].map(THREAT_FIX)].itertuples():
        verb = "covers" if r.ci_low <= r.truth <= r.ci_high else "misses"
        text = (f"**{r.threat}, {ESTIMATOR_WORDS.get(r.estimator, r.estimator)} (the estimator "
                f"adapted to it)**: in this draw the interval ({r.ci_low:.2f} to "
                f"{r.ci_high:.2f}) {verb} the true value, {r.truth:.2f}")
        if (r.scenario, r.estimator) in cov.index:
            v = cov.loc[(r.scenario, r.estimator)]
            verdict = "it holds up" if v["coverage"] >= threshold else "it does not hold up"
            text += (f"; over {int(v['reps'])} simulated panels its intervals cover the truth "
                     f"{v['coverage']:.0%} of the time (bias {v['bias']:+.2f}): {verdict}.")
        else:
            text += "."
        out.append(Finding(text, False, kind="truth"))
    return tuple(out)


def single_firm_findings(table: pd.DataFrame, validation: pd.DataFrame | None = None, *,
                         subject: str = "simulated firm", level: float = 0.95,
                         threshold: float = HOLDS_UP_COVERAGE) -> tuple[Finding, ...]:
    """Sentences for :func:`single_firm_table` on a simulated firm: per row, whether the interval
    covers the true value and whether it tells the effect from zero; then, per design, its
    coverage over the validation's replications, and the verdict from both.

    >>> t = pd.DataFrame({"outcome": ["CX"], "design": ["synthetic control"], "estimate": [0.8],
    ...                   "ci_low": [-1.1], "ci_high": [2.7], "p_value": [0.14],
    ...                   "true_value": [2.0]})
    >>> print(single_firm_findings(t)[0].text)  # doctest: +NORMALIZE_WHITESPACE
    **simulated firm, synthetic control, CX**: 0.80; the interval (-1.10 to 2.70) covers the
    true value, 2.00, but cannot tell the effect from zero (p = 0.140).
    """
    out = []
    for r in table.itertuples():
        covers = r.ci_low <= r.true_value <= r.ci_high
        detects = r.ci_low > 0 or r.ci_high < 0
        tail = ("and tells the effect from zero" if detects
                else "but cannot tell the effect from zero") if covers else (
            "and tells the estimate from zero" if detects
            else "and cannot tell the effect from zero")
        out.append(Finding(
            f"**{subject}, {r.design}, {r.outcome}**: {r.estimate:.2f}; the interval "
            f"({r.ci_low:.2f} to {r.ci_high:.2f}) {'covers' if covers else 'misses'} the true "
            f"value, {r.true_value:.2f}, {tail} (p {format_p(float(r.p_value))}).",
            False, kind="truth"))
    if validation is None:
        return tuple(out)
    v = validation[validation["scenario"] == "single firm"]
    for design, g in table.groupby("design", sort=False):
        rows = v[v["estimator"].str.startswith(design)]
        if rows.empty:
            continue
        c = float(rows["coverage"].iloc[0])
        n_cover = int(((g["ci_low"] <= g["true_value"]) & (g["true_value"] <= g["ci_high"])).sum())
        n_detect = int(((g["ci_low"] > 0) | (g["ci_high"] < 0)).sum())
        verdict = ("its intervals hold up (coverage" if c >= threshold
                   else "its intervals do not hold up (coverage")
        out.append(Finding(
            f"**{design}, over {int(rows['reps'].iloc[0])} simulated firms**: {verdict} "
            f"{c:.1%}, bias {float(rows['bias'].iloc[0]):+.2f}, RMSE "
            f"{float(rows['rmse'].iloc[0]):.2f}); in the draw shown it covers {n_cover} of "
            f"{len(g)} true effects and tells {n_detect} of {len(g)} from zero"
            + (": too imprecise here to detect the effect." if n_detect < len(g) else "."),
            False, kind="truth"))
    return tuple(out)


def power_reach_sentence(subject: str, sizes: Sequence[float], power: Sequence[float], *,
                         target: float = 0.8, unit: str = "firms") -> Finding:
    """Between which two simulated design sizes the power crosses ``target``.

    >>> print(power_reach_sentence("x", [100, 300, 1000], [0.2, 0.5, 0.9]).text)
    **x**: 80% power is reached between 300 and 1,000 firms (power 0.50 at 300, 0.90 at 1,000).
    >>> print(power_reach_sentence("x", [100, 300], [0.2, 0.5]).text)
    **x**: 80% power is not reached with up to 300 firms (power there 0.50).
    """
    pairs = sorted(zip((float(s) for s in sizes), (float(p) for p in power), strict=True))
    pct = f"{target:.0%}"
    hit = [i for i, (_, p) in enumerate(pairs) if p >= target]
    if not hit:
        s, p = pairs[-1]
        return Finding(f"**{subject}**: {pct} power is not reached with up to {s:,.0f} {unit} "
                       f"(power there {p:.2f}).", False, kind="power")
    i = hit[0]
    s, p = pairs[i]
    if i == 0:
        return Finding(f"**{subject}**: {pct} power is reached already with {s:,.0f} {unit} "
                       f"(power {p:.2f}).", False, kind="power")
    s0, p0 = pairs[i - 1]
    return Finding(f"**{subject}**: {pct} power is reached between {s0:,.0f} and {s:,.0f} "
                   f"{unit} (power {p0:.2f} at {s0:,.0f}, {p:.2f} at {s:,.0f}).", False,
                   kind="power")


def family_table(families: Mapping[str, pd.DataFrame], p_holm: str = "p_holm",
                 level: float = 0.95) -> pd.DataFrame:
    """One row per family of tests: how many tests, and how many hold after Holm.

    >>> family_table({"a": pd.DataFrame({"p_holm": [0.01, 0.5]})})
    family  tests  held after Holm
    0      a      2                1
    """
    return pd.DataFrame({"family": list(families),
                         "tests": [len(f) for f in families.values()],
                         "held after Holm": [int((f[p_holm] < 1 - level).sum())
                                             for f in families.values()]})


def ownership_alt_text(contrasts: pd.DataFrame, n_bars: int, outcome: str,
                       level: float = 0.95) -> str:
    """Alt text for the adjusted-means figure built from the Holm-adjusted contrasts of
    ``outcome``: no ranking, only the contrasts that hold.

    >>> c = pd.DataFrame({"outcome": ["CX", "CX"], "owner_label": ["CX leader", "CMO"],
    ...                   "estimate": [0.45, -0.3], "p_holm": [0.03, 1.0]})
    >>> ownership_alt_text(c, 6, "CX")  # doctest: +NORMALIZE_WHITESPACE
    "6 horizontal error bars of adjusted CX by the owner that year. After Holm adjustment only
    CX leader vs everyone's job differs (+0.45 SD; an association); the other owners cannot be
    told apart."
    """
    g = contrasts[(contrasts["outcome"] == outcome) & (contrasts["p_holm"] < 1 - level)]
    head = f"{n_bars} horizontal error bars of adjusted CX by the owner that year. "
    if g.empty:
        return head + ("After Holm adjustment no owner differs from everyone's job; the owners "
                       "cannot be told apart.")
    held = ", ".join(f"{r.owner_label} vs everyone's job ({r.estimate:+.2f} SD" for r in
                     g.itertuples())
    if len(g) == 1:
        return head + (f"After Holm adjustment only {held.replace(' (', ' differs (', 1)}; an "
                       "association); the other owners cannot be told apart.")
    return head + (f"After Holm adjustment only {held.replace(' SD', ' SD)')} differ "
                   "(associations); the other contrasts cannot be told from zero.")


def truth_tally(what: str, table: pd.DataFrame, subjects: Sequence[str], *,
                truth: str = "true_value") -> Finding:
    """How many intervals of ``table`` cover the simulation's true value, naming those that miss.

    >>> t = pd.DataFrame({"ci_low": [0.1, 1.0], "ci_high": [0.5, 2.0], "true_value": [0.3, 0.0]})
    >>> print(truth_tally("contrasts", t, ["a", "b"]).text)
    **contrasts**: 1 of 2 intervals cover the simulation's true value; missed: b (true 0.00).
    """
    ok = table[truth].notna().to_numpy()
    t = table[ok]
    subs = [s for s, keep in zip(subjects, ok) if keep]
    cover = ((t["ci_low"] <= t[truth]) & (t[truth] <= t["ci_high"])).to_numpy()
    missed = [f"{s} (true {v:.2f})" for s, v, c in zip(subs, t[truth], cover) if not c]
    text = (f"**{what}**: {int(cover.sum())} of {len(t)} intervals cover the simulation's true "
            "value" + (f"; missed: {', '.join(missed)}." if missed else "."))
    return Finding(text, False, kind="truth")


def undetected_effects_finding(summary: pd.DataFrame, power_at_size: float, n_firms: int,
                               effect_sd: float, *, level: float = 0.95,
                               power_section: int = 4) -> Finding:
    """On the simulation: how many non-zero true event-study effects the adjusted tests miss,
    with the power of a study of this size for the assumed effect of the power section
    (``power_section``: section 4 of notebook 11).

    >>> s = pd.DataFrame({"outcome": ["CX", "growth"], "p_holm": [0.6, 0.001],
    ...                   "true_value": [0.3, 0.5]})
    >>> print(undetected_effects_finding(s, 0.53, 300, 0.13).text)  # doctest: +NORMALIZE_WHITESPACE
    **effects of appointing a CX leader that the study misses**: in the simulation 2 of 2
    event-study effects are non-zero; 1 (CX) is not detected after Holm adjustment. With 300
    firms the design has power 0.53 for an assumed effect of 0.13 SD of CX (section 4), so "no
    clear effect" here means "not detected", not "absent".
    """
    nonzero = summary[summary["true_value"].fillna(0) != 0]
    missed = nonzero[~(nonzero["p_holm"] < 1 - level)]
    text = (f"**effects of appointing a CX leader that the study misses**: in the simulation "
            f"{len(nonzero)} of {len(summary)} event-study effects are non-zero; ")
    if missed.empty:
        text += "all are detected after Holm adjustment."
    else:
        text += (f"{len(missed)} ({', '.join(missed['outcome'])}) "
                 f"{'is' if len(missed) == 1 else 'are'} not detected after Holm adjustment. "
                 f"With {n_firms:,} firms the design has power {power_at_size:.2f} for an "
                 f"assumed effect of {effect_sd:.2f} SD of CX (section {power_section}), so "
                 "\"no clear effect\" here means \"not detected\", not \"absent\".")
    return Finding(text, False, kind="truth")


def with_robustness(findings: Iterable[Finding], outcomes: Iterable[str],
                    sens_findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Each held event-study finding with its Rambachan–Roth verdict appended (from
    :func:`sensitivity_findings`, matched by outcome).

    >>> f = with_robustness([Finding("**x**: -5.", True)], ["a"],
    ...                     [Finding("**a**: fragile: only at Mbar = 0.", True)])
    >>> print(f[0].text)
    **x**: -5. Robustness to non-parallel trends: fragile: only at Mbar = 0.
    """
    verdicts = {}
    for s in sens_findings:
        if s.text.startswith("**"):
            end = s.text.find("**", 2)
            verdicts[s.text[2:end]] = s.text[end + 2:].lstrip(": ").strip()
    out = []
    for f, o in zip(findings, outcomes):
        v = verdicts.get(o)
        out.append(Finding(f"{f.text} Robustness to non-parallel trends: {v}" if v else f.text,
                           f.claims_effect, f.kind, f.data_kind))
    return tuple(out)
