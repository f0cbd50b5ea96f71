"""Tables for notebook 05 (linkage: EX -> CX -> outcomes) that no other notebook uses.

Each function prepares or stacks what the notebook shows, calling the estimators in
:mod:`cxresearch.multilevel`, :mod:`cxresearch.panel` and :mod:`cxresearch.mediation`:

- :func:`mediation_by_outcome` -- :func:`~cxresearch.mediation.mediation` for several outcomes;
- :func:`event_rate_by_group` -- churn (any 0/1 outcome) rate per segment, Wilson intervals;
- :func:`event_rate_difference` -- the event rate above a cut of a count against below it;
- :func:`nested_wave` -- one survey wave of individuals with their firm's score, for
  :func:`~cxresearch.multilevel.multilevel_model`;
- :func:`cross_lagged_paths` -- the four cross paths of the cross-lagged panel, labelled;
- :func:`load_linkage_study` -- the study the notebook runs on: the bundled firm design, or a
  folder's own units (stores, branches, teams of one company) described by its instrument;
- :func:`aggregation_checks` -- ICC(1), ICC(2) and rwg(j) of the instrument's scales and
  metrics, per unit and period;
- :func:`unit_panel` -- the unit x period panel of EX and CX means (survey weights for the
  customers' answers), their sampling variances and the outcomes;
- :func:`outcome_columns` -- the numeric outcome columns of an outcomes table;
- :func:`unit_linkage` -- unit-level EX -> CX -> outcomes, corrected for noisy means, with
  standard errors clustered by unit.

Everything here is an association: between-firm mediation, linkage and the public data sets'
cross-sections cannot tell a chain from reverse causation or confounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxresearch._checks import (
    DataError,
    check_level,
    first_rows,
    renamed,
    require_columns,
    require_numeric,
)
from cxresearch.mediation import mediation
from cxresearch.regression import standardize

if TYPE_CHECKING:
    from cxresearch.instrument import Instrument
    from cxresearch.io import LoadedStudy

__all__ = ["CROSS_LAGGED_PATHS", "aggregation_checks", "cross_lagged_paths",
           "event_rate_by_group", "event_rate_difference", "load_linkage_study",
           "mediation_by_outcome", "nested_wave", "outcome_columns", "unit_linkage",
           "unit_panel"]

#: the cross paths shown for the cross-lagged panel of EX, CX and revenue growth: (from, to,
#: label), in display order (the labels of :func:`cxresearch.simulate.true_cross_lagged_paths`)
CROSS_LAGGED_PATHS: tuple[tuple[str, str, str], ...] = (
    ("ex", "cx", "EX(t) → CX(t+1), direct"),
    ("cx", "ex", "CX(t) → EX(t+1)"),
    ("revenue_growth", "ex", "growth(t) → EX(t+1)"),
    ("ex", "revenue_growth", "EX(t) → growth(t+1)"),
)


@renamed(x="exposure")
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
    """:func:`~cxresearch.mediation.mediation` of ``exposure -> mediator -> y`` for each
    outcome ``y``, stacked.

    Each outcome gets the same bootstrap seed, so each row equals a single
    :func:`~cxresearch.mediation.mediation` call. Returns the rows of
    :meth:`~cxresearch.mediation.MediationResult.to_frame` with an ``outcome`` column.

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


@renamed(group="by", event="outcome")
def event_rate_by_group(
    data: pd.DataFrame, outcome: str, by: str, *, level: float = 0.95
) -> pd.DataFrame:
    """Share of rows with ``outcome`` (a 0/1 or bool event) per value of ``by``, with Wilson
    intervals.

    ``rate_pct = 100 x / n`` with the Wilson (1927) interval at ``level`` of
    :func:`cxresearch.metrics.top_box_from_counts`, one row per value of ``by`` (sorted). E.g.
    churn by number of calls to customer service. Returns ``<by>, n, rate_pct, ci_low,
    ci_high`` (the first column named after ``by``). ``outcome`` was ``event`` and ``by`` was
    ``group``.

    >>> d = pd.DataFrame({"calls": [0, 0, 1, 1, 1, 1], "churn": [0, 1, 1, 1, 1, 0]})
    >>> event_rate_by_group(d, "churn", "calls")[["calls", "n", "rate_pct"]].values.tolist()
    [[0.0, 2.0, 50.0], [1.0, 4.0, 75.0]]
    """
    from cxresearch.metrics import top_box_from_counts

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


@renamed(individuals="data", groups="scores")
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
    :func:`~cxresearch.multilevel.multilevel_model`.

    Rows of ``data`` (individual answers; formerly ``individuals``) with ``time == period`` are
    joined (inner) to ``scores`` (group-level scores, e.g. :func:`cxresearch.panel.linkage_panel`
    output; formerly ``groups``) on ``unit, time``; ``<outcome>_z`` is the individual answer and
    ``<predictor>_z`` the group-level score, each :func:`~cxresearch.regression.standardize`-d
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

    Each rate is :func:`cxresearch.metrics.top_box_from_counts`; the difference, its interval
    and p-value are :func:`cxresearch.metrics.compare` (unpooled Wald for two independent
    proportions). One row: ``contrast, estimate`` (percentage points), ``se, ci_low, ci_high,
    p_value, rate_high, rate_low, n_high, n_low``. E.g. churn with four or more service calls
    against fewer.

    >>> d = pd.DataFrame({"calls": [0, 0, 1, 4, 5, 4], "churn": [0, 0, 1, 1, 1, 0]})
    >>> r = event_rate_difference(d, "churn", "calls", 4)
    >>> round(float(r["estimate"].iloc[0]), 2), int(r["n_high"].iloc[0])
    (33.33, 3)
    """
    from cxresearch.metrics import compare, top_box_from_counts

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
    """The four cross paths of :func:`cxresearch.panel.cross_lagged_panel` output (lag 1), with
    a ``path`` label, in the order of :data:`CROSS_LAGGED_PATHS` (within each ``model`` if the
    frame stacks several).

    >>> d = pd.DataFrame({"from": ["ex", "revenue_growth", "cx", "ex", "ex"],
    ...                   "to": ["ex", "ex", "ex", "cx", "revenue_growth"],
    ...                   "lag": [1, 1, 1, 1, 1], "estimate": [0.8, 0.1, 0.05, 0.2, 0.0]})
    >>> cross_lagged_paths(d)["path"].tolist()[:2]
    ['EX(t) → CX(t+1), direct', 'CX(t) → EX(t+1)']
    """
    require_columns(data, ["from", "to", "lag"])
    key = pd.DataFrame([{"from": f, "to": t, "lag": 1, "path": label, "_order": k}
                        for k, (f, t, label) in enumerate(CROSS_LAGGED_PATHS)])
    out = data.merge(key, on=["from", "to", "lag"], how="inner")
    sort = ["model", "_order"] if "model" in out else ["_order"]
    if "model" in out:
        out["_model"] = pd.Categorical(out["model"], pd.unique(data["model"]))
        sort = ["_model", "_order"]
    return out.sort_values(sort, kind="stable").drop(
        columns=[c for c in ["_order", "_model"] if c in out]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# one-company designs: stores, branches or teams as the unit
# --------------------------------------------------------------------------------------------


def load_linkage_study(
    data_dir: str | Path | None = None, instrument: Instrument | str | Path | None = None
) -> LoadedStudy:
    """The study notebook 05 runs on: the bundled one, or a folder's own design.

    ``data_dir=None`` is the bundled **synthetic** study (all tables, strict). A folder needs
    ``customers`` and ``employees``; its units' table (``firms`` or ``units``) is read when
    present and its outcomes' table (``firm_years`` or ``outcomes``, one row per unit and
    period) when present, as :func:`cxresearch.io.load_study` maps them from the instrument's
    ``unit``. Personal data are dropped; the files are not modified.

    >>> s = load_linkage_study()
    >>> s.unit, s.outcomes is s.firm_years
    ('firm_id', True)
    """
    from cxresearch.instrument import Instrument, find_instrument
    from cxresearch.io import _as_instrument, find_table, load_study

    if data_dir is None:
        return load_study(None, instrument=instrument)
    directory = Path(data_dir)
    if instrument is not None:
        inst = _as_instrument(instrument)
    else:
        found = find_instrument(directory) if directory.is_dir() else None
        inst = Instrument.read(found) if found is not None else None
    unit = (inst or Instrument.bundled()).unit
    tables = ["customers", "employees"]
    if find_table(directory, "outcomes") is not None or (
            unit == "firm_id" and find_table(directory, "firm_years") is not None):
        tables.append("outcomes")
    return load_study(directory, tables=tables, instrument=inst)


def _keys(unit: str, time: str | None) -> list[str]:
    return [unit, *([time] if time else [])]


def _scale_sets(instrument: Instrument, employees: pd.DataFrame) -> dict[str, list[str]]:
    return {n: [c for c in s.items if c in employees.columns]
            for n, s in instrument.scales.items()
            if any(c in employees.columns for c in s.items)}


def _metric_sets(instrument: Instrument, customers: pd.DataFrame) -> dict[str, str]:
    return {n: m.column for n, m in instrument.metrics.items() if m.column in customers.columns}


def _recoded(employees: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    from cxresearch.contract import reverse_items

    rev = {c: r for c, r in instrument.reverse_map().items() if c in employees.columns}
    return reverse_items(employees, rev) if rev else employees.copy()


def _points(rng: tuple[float, float]) -> int:
    return int(np.rint(rng[1] - rng[0])) + 1


def aggregation_checks(
    employees: pd.DataFrame | None,
    customers: pd.DataFrame | None,
    instrument: Instrument,
    keys: Sequence[str] | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """ICC(1), ICC(2) and rwg(j) of each scale (employees) and metric (customers) of an
    instrument, with answers grouped by unit and period.

    :func:`cxresearch.multilevel.aggregation_indices` on the employees' scales (reverse-keyed
    items recoded ``lo + hi - x`` first, as declared in the instrument) and on each customer
    metric as a one-item set; the number of answer options of each set is ``hi - lo + 1`` of
    its declared range (rwg's uniform null). ``keys`` default to the instrument's unit and
    time. A missing table contributes no rows. Returns the stacked rows of
    :func:`~cxresearch.multilevel.aggregation_indices` (``item_set`` named after the scale or
    metric) with a ``source`` column (``employees`` / ``customers``).

    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> out = aggregation_checks(s.employees, s.customers, s.instrument())
    >>> out["item_set"].tolist(), int(out["n_groups"].iloc[0])
    (['culture', 'engagement', 'nps', 'csat', 'ces'], 90)
    """
    from cxresearch.multilevel import add_group_key, aggregation_indices

    level = check_level(level)
    keys = list(keys) if keys is not None else _keys(instrument.unit, instrument.time)
    frames = []
    if employees is not None:
        sets = _scale_sets(instrument, employees)
        if sets:
            emp = add_group_key(_recoded(employees, instrument), keys, name="_cell")
            points = {n: _points(instrument.scales[n].range) for n in sets}
            frames.append(aggregation_indices(
                emp, "_cell", sets, scale_points=points, warn=False, level=level
            ).assign(source="employees"))
    if customers is not None:
        metrics = _metric_sets(instrument, customers)
        if metrics:
            cus = add_group_key(customers, keys, name="_cell")
            points = {n: _points(instrument.metrics[n].range) for n in metrics}
            frames.append(aggregation_indices(
                cus.astype({c: float for c in metrics.values()}), "_cell",
                {n: [c] for n, c in metrics.items()}, scale_points=points, warn=False,
                level=level).assign(source="customers"))
    if not frames:
        raise DataError("aggregation_checks: neither employees' scales nor customers' metrics "
                        "of the instrument are in the data")
    return pd.concat(frames, ignore_index=True)


def unit_panel(
    employees: pd.DataFrame,
    customers: pd.DataFrame,
    instrument: Instrument,
    outcomes: pd.DataFrame | None = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """The unit x period panel of employee (EX) and customer (CX) experience, with outcomes.

    - EX: each employee's mean of the instrument's scale items, each item recoded if
      reverse-keyed and z-scored over all employees (so that items on 1-7 and 1-5 weigh
      equally), averaged per unit and period;
    - CX: each customer's mean of the z-scored metric columns answered (NPS, CSAT, CES, ...),
      averaged per unit and period, weighted by ``weight`` (default: the instrument's
      ``weight`` when the customers have it; Kish's effective size for the sampling variance,
      see :func:`cxresearch.multilevel.group_scores`).

    ``n_ex, ev_ex, n_cx, ev_cx`` are the respondents and the sampling variance of each mean
    (``n_eff_cx`` with weights), as :func:`cxresearch.panel.linkage_panel` gives them for
    firm-years. With ``outcomes`` (one row per unit and period) its columns are joined (left
    join on the units and periods that have answers). Sorted by unit and period.

    Parameters
    ----------
    employees, customers : DataFrame
        One row per answer, with the instrument's unit (and time) and items.
    instrument : Instrument
        Unit, time, weight, scales (with reverse keys) and metrics.
    outcomes : DataFrame, optional
        One row per unit and period.
    weight : str, optional
        The customers' weight column (default the instrument's; ``""`` for none).

    Returns
    -------
    DataFrame
        ``unit[, time], ex, n_ex, ev_ex, cx, n_cx, ev_cx[, n_eff_cx]`` and the outcomes.

    References
    ----------
    Harter, J. K., Schmidt, F. L. & Hayes, T. L. (2002). Business-unit-level relationship
    between employee satisfaction, employee engagement, and business outcomes. *J. Applied
    Psychology* 87(2), 268-279.
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> p = unit_panel(s.employees, s.customers, s.instrument(), s.outcomes)
    >>> p.shape[0], [c for c in p.columns if c.startswith("n_")]
    (90, ['n_ex', 'n_cx', 'n_eff_cx'])
    """
    from cxresearch.multilevel import group_scores

    unit, time = instrument.unit, instrument.time
    keys = _keys(unit, time)
    sets = _scale_sets(instrument, employees)
    metrics = _metric_sets(instrument, customers)
    if not sets:
        raise DataError(f"unit_panel: the employees have none of the instrument's scale items "
                        f"{[c for s in instrument.scales.values() for c in s.items]}")
    if not metrics:
        raise DataError("unit_panel: the customers have none of the instrument's metric "
                        f"columns {list(instrument.metric_columns().values())}")
    require_columns(employees, keys, "employees")
    require_columns(customers, keys, "customers")
    if weight is None:
        weight = instrument.weight if instrument.weight in customers.columns else ""
    ex_items = [c for cols in sets.values() for c in cols]
    emp = _recoded(employees, instrument)[[*keys, *ex_items]].copy()
    for c in ex_items:
        emp[c] = standardize(emp[c].astype(float))
    cx_items = list(dict.fromkeys(metrics.values()))
    cus = customers[[*keys, *cx_items] + ([weight] if weight else [])].copy()
    for c in cx_items:
        cus[c] = standardize(cus[c].astype(float))
    ex = group_scores(emp, keys, {"ex": ex_items})
    cx = group_scores(cus, keys, {"cx": cx_items}, weight=weight or None)
    out = ex.merge(cx, on=keys, how="outer")
    if outcomes is not None:
        require_columns(outcomes, keys, "outcomes")
        out = out.merge(outcomes, on=keys, how="left", suffixes=("", "_outcomes"))
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def outcome_columns(data: pd.DataFrame | None, keys: Sequence[str]) -> list[str]:
    """The numeric columns of an outcomes table other than its keys (in table order), with
    at least two distinct values.

    >>> o = pd.DataFrame({"store_id": ["S1", "S2"], "wave": [1, 1], "sales_growth": [1.0, 2.5],
    ...                   "note": ["a", "b"], "flat": [3, 3]})
    >>> outcome_columns(o, ["store_id", "wave"])
    ['sales_growth']
    """
    if data is None:
        return []
    return [str(c) for c in data.columns if c not in keys
            and pd.api.types.is_numeric_dtype(data[c]) and not pd.api.types.is_bool_dtype(data[c])
            and data[c].nunique(dropna=True) > 1]


def _true_z(data: pd.DataFrame, score: str, ev: str | None) -> tuple[pd.Series, pd.Series | None]:
    x = data[score].astype(float)
    if ev is None:
        return standardize(x), None
    e = data[ev].astype(float)
    signal = x.var(ddof=1) - e.mean()
    if not signal > 0:
        raise DataError(f"unit_linkage: the sampling variance of {score!r} ({e.mean():.4g}) is "
                        f"not below the variance of its means ({x.var(ddof=1):.4g}): the unit "
                        "means carry no true-score variance")
    return (x - x.mean()) / np.sqrt(signal), e / signal


def unit_linkage(
    data: pd.DataFrame,
    outcomes: Sequence[str] = (),
    unit: str = "unit",
    time: str | None = None,
    exposure: str = "ex",
    mediator: str = "cx",
    error_variance: Mapping[str, str] | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Unit-level EX -> CX -> outcomes, corrected for noisy survey means, clustered by unit.

    Two kinds of equation on a unit x period panel (:func:`unit_panel`):

    - ``mediator ~ exposure`` (CX on EX; the chain's first link, *a*);
    - for each outcome ``y``: ``y ~ exposure + mediator`` (CX -> y given EX, *b*, and EX -> y
      given CX, the direct path).

    EX and CX enter in **true-score SD** units: ``(x - mean) / sqrt(var(x) - mean(ev))``,
    their sampling variances scaled alike, and the attenuation that noisy unit means cause is
    undone by :func:`cxresearch.panel.eiv_regression` (method of moments, Fuller 1987). The
    outcomes stay in their own units (e.g. percentage points per SD of CX). With repeated
    periods (``time`` with more than one value) period effects are partialled out and the
    standard errors are clustered by ``unit`` (t on G - 1 df); with one period every unit is
    its own cluster. These are associations: unit differences that move EX, CX and the
    outcomes together are not removed.

    Parameters
    ----------
    data : DataFrame
        One row per unit and period with ``exposure``, ``mediator``, their sampling variances
        and the outcome columns.
    outcomes : sequence of str
        Outcome columns (none: only the EX -> CX equation).
    unit, time : str
        Unit and period columns (``time`` may be None).
    exposure, mediator : str
        The EX and CX columns.
    error_variance : mapping, optional
        ``{column: sampling-variance column}``; default ``ev_<exposure>``, ``ev_<mediator>``
        when present.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``outcome, term, estimate, se, ci_low, ci_high, p_value, ols_estimate, reliability,
        n_obs, n_clusters``; ``outcome`` is the equation's dependent column.

    References
    ----------
    Fuller, W. A. (1987). *Measurement Error Models*. Wiley, sec. 2.2.
    Harter, J. K., Schmidt, F. L. & Hayes, T. L. (2002). *J. Applied Psychology* 87(2).
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *Journal of Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> p = unit_panel(s.employees, s.customers, s.instrument(), s.outcomes)
    >>> out = unit_linkage(p, ["sales_growth"], unit="store_id", time="wave")
    >>> out[["outcome", "term"]].values.tolist()
    [['cx', 'ex'], ['sales_growth', 'ex'], ['sales_growth', 'cx']]
    """
    from cxresearch.panel import eiv_regression

    level = check_level(level)
    outcomes = list(outcomes)
    if error_variance is None:
        error_variance = {v: f"ev_{v}" for v in (exposure, mediator)
                          if f"ev_{v}" in data.columns}
    ev_map = dict(error_variance)
    keys = _keys(unit, time)
    require_columns(data, [*keys, exposure, mediator, *outcomes, *ev_map.values()])
    require_numeric(data, [exposure, mediator, *outcomes])
    work = data[list(dict.fromkeys([*keys, exposure, mediator, *outcomes,
                                    *ev_map.values()]))].copy()
    work = work.dropna(subset=[exposure, mediator]).reset_index(drop=True)
    evs: dict[str, str] = {}
    for v in (exposure, mediator):
        z, e = _true_z(work, v, ev_map.get(v))
        work[v] = z
        if e is not None:
            work[f"_ev_{v}"] = e
            evs[v] = f"_ev_{v}"
    periods = work[time].nunique() if time else 1
    common = {"unit": unit, "time": time if periods > 1 else None,
              "time_effects": periods > 1, "cluster": unit, "level": level}
    frames = [eiv_regression(work, mediator, [exposure], error_variance=evs, **common)
              .assign(outcome=mediator)]
    for y in outcomes:
        frames.append(eiv_regression(work, y, [exposure, mediator], error_variance=evs,
                                     **common).assign(outcome=y))
    out = pd.concat(frames, ignore_index=True)
    return out[["outcome", *[c for c in out.columns if c != "outcome"]]]
