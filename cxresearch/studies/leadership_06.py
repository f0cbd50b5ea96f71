"""Tables and scenarios for notebook 06 (CX leadership and governance) that no other uses.

Each function prepares, stacks or simulates what the notebook shows, calling the estimators in
:mod:`cxresearch.ownership` and :mod:`cxresearch.did` and the generators in
:mod:`cxresearch.simulate`:

- :func:`leadership_panel` -- the firm-year panel with outcomes in effect units and cohorts;
- :func:`owner_status_panel` -- each firm-year labelled with the CX owner *in force that year*
  (a firm that appoints a CX leader later is "CX leader not yet appointed" before);
- :func:`ownership_contrasts`, :func:`event_studies`, :func:`event_study_table`,
  :func:`say_do_effects_by_outcome`, :func:`event_study_power_by_outcome` -- several outcomes
  at once, with Holm-adjusted p-values over the table (one family of comparisons) and, where
  known, the simulation's true values beside the estimates;
- :func:`confounding_scenarios` -- the same study simulated with and without selection on
  growth, analysed three ways (this is where the simulator runs, not in an estimator);
- :func:`say_do_gap_summary`, :func:`say_do_gap_shares`, :func:`within_unit_sd`,
  :func:`effect_for_power` -- descriptive figures and power inputs.

Two meanings of "CX leader" are kept apart (see :mod:`cxresearch.contract`): here it is always
a firm with a dedicated CX executive in post, never a firm that leads on CX.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from cxresearch._checks import DataError, check_level, renamed, require_columns
from cxresearch.contract import human_label
from cxresearch.did import (
    EventStudyResult,
    event_study,
    event_study_power,
    leader_cohorts,
    naive_comparison,
    twfe_static,
)
from cxresearch.metrics import holm
from cxresearch.ownership import ownership_effects, say_do_effects
from cxresearch.panel import true_score_z
from cxresearch.regression import log_percent

__all__ = [
    "confounding_scenarios",
    "effect_for_power",
    "event_studies",
    "event_study_power_by_outcome",
    "event_study_table",
    "leadership_panel",
    "owner_status_panel",
    "ownership_contrasts",
    "say_do_effects_by_outcome",
    "say_do_gap_shares",
    "say_do_gap_summary",
    "within_unit_sd",
]


@renamed(panel="data")
def leadership_panel(
    data: pd.DataFrame,
    firms: pd.DataFrame,
    unit: str = "firm_id",
    time: str = "year",
) -> pd.DataFrame:
    """Firm-year panel for the leadership questions: outcomes in effect units plus cohorts.

    ``data`` (formerly ``panel``) is :func:`cxresearch.panel.linkage_panel` output (``ex, ev_ex,
    cx, ev_cx`` and the outcomes); ``firms`` the firm table (``cx_owner``, ``cx_leader_year``,
    industry...). Adds ``cx_sd`` and ``ex_sd`` (:func:`cxresearch.panel.true_score_z`: SD of
    the true score), ``contacts_log_pct`` and ``cost_log_pct``
    (:func:`cxresearch.regression.log_percent` of contacts per customer and cost to serve) and
    ``first_treated`` (:func:`cxresearch.did.leader_cohorts` with the panel's first year).
    Rows of firms missing from ``firms`` are dropped (inner join), as are none otherwise; the
    inputs are not modified.

    >>> from cxresearch.simulate import StudyParams, simulate_study
    >>> from cxresearch.panel import linkage_panel
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
    and ``owner_label`` (:data:`cxresearch.contract.OWNER_LABELS`). Columns ``firm_id`` and
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
    """:func:`~cxresearch.ownership.ownership_effects` contrasts for several outcomes, stacked,
    with true values.

    ``outcomes`` maps each outcome column to a display label (column ``outcome``; the column
    name goes in ``variable``). ``owner_label`` is the reader's word for each owner
    (:func:`cxresearch.contract.human_label`). ``p_holm`` is Holm's (1979) adjusted p-value
    with every contrast of the table as one family (``n_family`` of them): several owners
    against one reference on several outcomes are that many chances of a false alarm.
    ``true_values`` (e.g. :func:`cxresearch.simulate.true_owner_effects`, columns ``outcome,
    owner, true_value`` keyed by column name) adds ``true_value`` (NaN where none). Other
    keyword arguments (``owner``, ``level``, ``cluster``...) go to
    :func:`~cxresearch.ownership.ownership_effects`.

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


@renamed(panel="data")
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
    """:func:`~cxresearch.did.event_study` for each outcome column, in order (a dict by outcome).

    Keyword arguments (``control``, ``level``...) go to :func:`~cxresearch.did.event_study`.

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
    (:meth:`~cxresearch.did.EventStudyResult.overall`), the pre-trend test's p-value and, if
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
    """:func:`~cxresearch.ownership.say_do_effects` for several outcomes, stacked, with the
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


@renamed(inputs="data", n_sims="n_boot")
def event_study_power_by_outcome(
    data: pd.DataFrame,
    n_firms: Sequence[int] = (100, 300, 1000, 3000),
    n_years: Sequence[int] = (5, 8),
    never_share: float = 0.3,
    n_boot: int = 100,
    seed: int | None = 0,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """:func:`~cxresearch.did.event_study_power` for each row of ``data`` (``outcome, effect,
    noise_sd``; formerly ``inputs``).

    Every outcome uses the same ``seed``, so each block equals one
    :func:`~cxresearch.did.event_study_power` call. Returns its rows with an ``outcome`` column.

    >>> inp = pd.DataFrame({"outcome": ["a"], "effect": [0.5], "noise_sd": [1.0]})
    >>> event_study_power_by_outcome(inp, n_firms=[40], n_years=[6], n_boot=20)["power"].tolist()
    [0.3]
    """
    require_columns(data, ["outcome", "effect", "noise_sd"])
    return pd.concat([
        event_study_power(effect=float(r.effect), noise_sd=float(r.noise_sd),
                          never_share=never_share, n_firms=list(n_firms),
                          n_years=list(n_years), n_boot=n_boot, level=level, seed=seed).assign(
                              outcome=r.outcome)
        for r in data.itertuples()
    ], ignore_index=True)


# --------------------------------------------------------------------------------------------
# scenarios and descriptive figures
# --------------------------------------------------------------------------------------------


def confounding_scenarios(
    n_firms: int,
    selections: Mapping[str, float],
    seed: int | None = 0,
    outcome: str = "revenue_growth",
) -> pd.DataFrame:
    """Naive comparison, two-way FE and event study on studies that differ only in selection.

    For each scenario ``name -> s`` the study :func:`cxresearch.simulate.simulate_study`
    (``StudyParams(n_firms=n_firms, selection_on_growth=s)``, same ``seed``) is analysed for
    the leader's effect on ``outcome`` with :func:`~cxresearch.did.naive_comparison` (leader
    firm-years vs others, year effects, SEs by firm), :func:`~cxresearch.did.twfe_static` and
    :func:`~cxresearch.did.event_study` (post-period average of event times 0..3).
    ``true_effect`` is the simulated mean total effect over event times 0..3;
    ``growth_gap_of_appointers`` the appointers' baseline growth head start (pp);
    ``pretrend_p`` (event study rows only) the pre-trend test. Only ``revenue_growth`` and
    ``cx`` have per-event-time truths.

    >>> out = confounding_scenarios(150, {"random": 0.0}, seed=0)
    >>> out["method"].tolist()
    ['naive comparison', 'two-way FE', 'event study']
    """
    from cxresearch.simulate.study import StudyParams, simulate_study

    if outcome not in ("revenue_growth", "cx"):
        raise DataError(f"confounding_scenarios: outcome must be 'revenue_growth' or 'cx', "
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


@renamed(firms="data")
def say_do_gap_summary(
    data: pd.DataFrame,
    say: str = "stated_cx_priority",
    do: str = "cx_budget_share",
    top: float = 4,
) -> pd.DataFrame:
    """How common is the say/do gap? Three descriptive figures, as a ``measure, value`` frame.

    ``data`` is one row per firm (formerly ``firms``):

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
    :func:`cxresearch.metrics.top_box_from_counts`).

    >>> f = pd.DataFrame({"stated_cx_priority": [5, 5, 4, 2, 1, 3],
    ...                   "cx_budget_share": [1, 3, 2, 4, 0.5, 5]})
    >>> say_do_gap_shares(f)[["group", "n", "below_median"]].values.tolist()
    [['top priority', 3, 2], ['others', 3, 1]]
    """
    from cxresearch.metrics import top_box_from_counts

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


@renamed(panel="data", y="outcome")
def within_unit_sd(data: pd.DataFrame, outcome: str, unit: str = "firm_id",
                   time: str = "year") -> float:
    """SD of ``outcome`` after removing unit means, then period means of the result.

    ``r_it = y_it - mean_i(y)``, ``r'_it = r_it - mean_t(r)``, SD (ddof 1) of ``r'``: the
    noise an event study faces once firm and year effects are removed (one pass of the
    two-way demeaning; exact for balanced panels). ``data`` was ``panel`` and ``outcome`` was
    ``y``.

    >>> p = pd.DataFrame({"firm_id": [1, 1, 2, 2], "year": [1, 2, 1, 2],
    ...                   "y": [0.0, 2.0, 1.0, 1.0]})
    >>> round(within_unit_sd(p, "y"), 4)
    0.5774
    """
    require_columns(data, [outcome, unit, time])
    r = data[outcome] - data.groupby(unit)[outcome].transform("mean")
    r = r - r.groupby(data[time]).transform("mean")
    return float(r.std(ddof=1))


def effect_for_power(true_value: float, result: EventStudyResult) -> float:
    """The effect size to power a study for: the true effect when known, else the estimate.

    On synthetic data the simulated effect (finite ``true_value``); on user data (NaN) this
    study's own post-period average, :meth:`~cxresearch.did.EventStudyResult.overall`.

    >>> from cxresearch.simulate import simulate_staggered_panel
    >>> from cxresearch.did import event_study
    >>> p, _ = simulate_staggered_panel(n_units=100, n_periods=6, seed=0)
    >>> r = event_study(p, "y", "unit", "time", "first_treated")
    >>> effect_for_power(0.5, r), effect_for_power(np.nan, r) == r.overall().estimate
    (0.5, True)
    """
    if np.isfinite(true_value):
        return float(true_value)
    return float(result.overall().estimate)
