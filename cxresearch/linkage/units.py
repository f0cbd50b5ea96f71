"""One company's own units (stores, branches, teams): loading, aggregation checks, the unit
panel and unit-level linkage of EX, CX and outcomes.

- :func:`load_linkage_study` -- the bundled firm design, or a folder's own units described by
  its instrument;
- :func:`aggregation_checks` -- ICC(1), ICC(2) and rwg(j) of the instrument's scales and
  metrics, per unit and period;
- :func:`unit_panel` -- the unit x period panel of EX and CX means (survey weights for the
  customers' answers), their sampling variances and the outcomes;
- :func:`outcome_columns` -- the numeric outcome columns of an outcomes table;
- :func:`unit_linkage` -- unit-level EX -> CX -> outcomes, corrected for noisy means, with
  standard errors clustered by unit;
- :func:`linkage_precondition` -- why :func:`unit_linkage` cannot run on a study's units (means
  too noisy to correct), or None; shared by notebook 05 and ``python -m cxresearch check``.

Everything here is an association: unit-level linkage cannot tell a chain from reverse
causation or confounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxresearch.core.validation import (
    DataError,
    check_level,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.panel import EIVResult, eiv_regression
from cxresearch.linkage.regression import standardize

if TYPE_CHECKING:
    from cxresearch.io.instrument import Instrument
    from cxresearch.io.readers import LoadedStudy

__all__ = ["RELIABILITY_FLOOR", "aggregation_checks", "linkage_precondition",
           "load_linkage_study", "outcome_columns", "unit_linkage", "unit_panel"]

#: the lowest reliability (1 - mean(ev) / var) of the unit x period EX and CX means that
#: :func:`unit_linkage` accepts: below it more than four fifths of the means' variation is
#: sampling noise, and the errors-in-variables correction would scale the estimates up more
#: than fivefold on a noise-dominated moment matrix
RELIABILITY_FLOOR = 0.2


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
    period) when present, as :func:`cxresearch.io.readers.load_study` maps them from the
    instrument's
    ``unit``. Personal data are dropped; the files are not modified.

    Parameters
    ----------
    data_dir : str or Path, optional
        A folder of exports; None for the bundled synthetic study.
    instrument : Instrument, str or Path, optional
        The instrument (or its ``instrument.yml``); default the folder's own, else the bundled
        one.

    Returns
    -------
    LoadedStudy
        The tables read, the instrument's ``unit`` and, where present, ``outcomes``.

    Examples
    --------
    >>> s = load_linkage_study()
    >>> s.unit, s.outcomes is s.firm_years
    ('firm_id', True)
    """
    from cxresearch.io.instrument import Instrument, find_instrument
    from cxresearch.io.readers import as_instrument, find_table, load_study

    if data_dir is None:
        return load_study(None, instrument=instrument)
    directory = Path(data_dir)
    if instrument is not None:
        inst = as_instrument(instrument)
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
    from cxresearch.core.contract import reverse_items

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

    :func:`cxresearch.linkage.multilevel.aggregation_indices` on the employees' scales
    (reverse-keyed
    items recoded ``lo + hi - x`` first, as declared in the instrument) and on each customer
    metric as a one-item set; the number of answer options of each set is ``hi - lo + 1`` of
    its declared range (rwg's uniform null). ``keys`` default to the instrument's unit and
    time. A missing table contributes no rows.

    Parameters
    ----------
    employees, customers : DataFrame or None
        One row per answer, with the key columns and the items (None: no such table).
    instrument : Instrument
        Unit, time, scales (with reverse keys and ranges) and metrics.
    keys : sequence of str, optional
        The grouping columns (default the instrument's unit and time).
    level : float
        Confidence level of the ICC(1) intervals.

    Returns
    -------
    DataFrame
        The stacked rows of :func:`~cxresearch.linkage.multilevel.aggregation_indices`
        (``item_set`` named after the scale or metric) with a ``source`` column
        (``employees`` / ``customers``).

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In Klein &
    Kozlowski (eds.), *Multilevel Theory, Research, and Methods in Organizations*, 349-381.
    James, L. R., Demaree, R. G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *J. Applied Psychology* 69(1), 85-98.

    Examples
    --------
    >>> from cxresearch.simulate.own_survey import simulate_own_survey
    >>> s = simulate_own_survey()
    >>> out = aggregation_checks(s.employees, s.customers, s.instrument())
    >>> out["item_set"].tolist(), int(out["n_groups"].iloc[0])
    (['culture', 'engagement', 'nps', 'csat', 'ces'], 90)
    """
    from cxresearch.linkage.multilevel import add_group_key, aggregation_indices

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
      see :func:`cxresearch.linkage.multilevel.group_scores`).

    ``n_ex, ev_ex, n_cx, ev_cx`` are the respondents and the sampling variance of each mean
    (``n_eff_cx`` with weights), as :func:`cxresearch.linkage.panel.linkage_panel` gives them for
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
    from cxresearch.linkage.multilevel import group_scores

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

    Parameters
    ----------
    data : DataFrame or None
        An outcomes table (None: no table).
    keys : sequence of str
        Its key columns (unit, period), left out.

    Returns
    -------
    list of str
        The outcome columns (empty without a table).

    Examples
    --------
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
) -> EIVResult:
    """Unit-level EX -> CX -> outcomes, corrected for noisy survey means, clustered by unit.

    Two kinds of equation on a unit x period panel (:func:`unit_panel`):

    - ``mediator ~ exposure`` (CX on EX; the chain's first link, *a*);
    - for each outcome ``y``: ``y ~ exposure + mediator`` (CX -> y given EX, *b*, and EX -> y
      given CX, the direct path).

    EX and CX enter in **true-score SD** units: ``(x - mean) / sqrt(var(x) - mean(ev))``,
    their sampling variances scaled alike, and the attenuation that noisy unit means cause is
    undone by :func:`cxresearch.linkage.panel.eiv_regression` (method of moments, Fuller 1987). The
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
    EIVResult
        ``to_frame()``: ``outcome, term, estimate, se, ci_low, ci_high, p_value, ols_estimate,
        reliability, n_obs, n_clusters`` (``outcome`` is the equation's dependent column);
        ``conf_int(level=)``, ``summary()``.

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
    >>> out = unit_linkage(p, ["sales_growth"], unit="store_id", time="wave").to_frame()
    >>> out[["outcome", "term"]].values.tolist()
    [['cx', 'ex'], ['sales_growth', 'ex'], ['sales_growth', 'cx']]
    """
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
              .to_frame().assign(outcome=mediator)]
    for y in outcomes:
        frames.append(eiv_regression(work, y, [exposure, mediator], error_variance=evs,
                                     **common).to_frame().assign(outcome=y))
    out = pd.concat(frames, ignore_index=True)
    return EIVResult(estimates=out[["outcome", *[c for c in out.columns if c != "outcome"]]],
                     outcome=", ".join([mediator, *outcomes]), level=level)


def linkage_precondition(study: LoadedStudy, data: pd.DataFrame | None = None) -> str | None:
    """Why the unit-level linkage (:func:`unit_linkage`) cannot run on a study's units, or None.

    The unit x period EX and CX means of :func:`unit_panel` must each have a reliability
    (:func:`cxresearch.linkage.panel.mean_reliability`) of at least :data:`RELIABILITY_FLOOR`,
    and :func:`unit_linkage` on them (with the outcomes' columns) must not fail, e.g. on a
    corrected moment matrix that is not positive definite. Notebook 05 skips its unit-level
    linkage with this reason, and ``python -m cxresearch check`` reports the same one. The
    bundled firm-year design (``study.unit == "firm_id"`` with ``firm_years``) and studies
    without employees or customers give None (other checks apply to them).

    Parameters
    ----------
    study : LoadedStudy
        As :func:`load_linkage_study` returns it.
    data : DataFrame, optional
        Its :func:`unit_panel` (computed when not given).

    Returns
    -------
    str or None
        The reason in words (for :func:`cxresearch.cli.check.skipped`), None when it can run.

    Examples
    --------
    >>> from cxresearch.core import paths
    >>> linkage_precondition(load_linkage_study(paths.TESTS_DIR / "data" / "own_survey")) is None
    True
    >>> print(linkage_precondition(
    ...     load_linkage_study(paths.TESTS_DIR / "data" / "own_survey_sparse")))
    ... # doctest: +NORMALIZE_WHITESPACE
    the store_id × wave EX means are too noisy to correct: 2.5 employees per store_id × wave on
    average, reliability 0.107, below the floor of 0.2
    """
    from cxresearch.linkage.panel import mean_reliability

    inst = study.instrument
    if inst is None or study.employees is None or study.customers is None:
        return None
    if study.firm_years is not None and study.firms is not None and study.unit == "firm_id":
        return None
    unit, time = study.unit, study.time
    keys = _keys(unit, time)
    cell = " × ".join(keys)
    panel = data
    if panel is None:
        try:
            panel = unit_panel(study.employees, study.customers, inst, study.outcomes)
        except DataError as exc:
            return f"the {cell} means cannot be formed ({exc})"
    low = {}
    for score, who in (("ex", "employees"), ("cx", "customers")):
        rel = mean_reliability(panel, score, f"ev_{score}")
        if not rel >= RELIABILITY_FLOOR:
            low[score.upper()] = (f"{panel[f'n_{score}'].mean():.1f} {who} per {cell} on "
                                  f"average, reliability {rel:.3f}")
    if low:
        return (f"the {cell} {' and '.join(low)} means are too noisy to correct: "
                + "; ".join(low.values()) + f", below the floor of {RELIABILITY_FLOOR}")
    try:
        unit_linkage(panel, outcome_columns(study.outcomes, keys), unit=unit, time=time)
    except DataError as exc:
        return f"the {cell} means are too noisy to correct ({exc})"
    return None
