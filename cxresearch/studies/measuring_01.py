"""Helpers for notebook 01 (measuring CX): answers labelled with the CX owner *in force when the
answer was given*.

The firms table records who owns CX at the **end** of the panel (``cx_owner``) and the year a
dedicated CX leader was appointed (``cx_leader_year``); the firm-years table records whether a
leader was in post each year (``has_cx_leader``). Labelling every answer with the end-of-panel
owner puts answers given *before* an appointment in the "CX leader" group (in the bundled
synthetic study, 38% of them). :func:`owner_at_answer` uses the status of the answer's year.

Notebook 01's tables and reporting checks:

- published percentages without n: :func:`top_box_intervals_at_assumed_n` and
  :func:`top_box_pairwise_at_assumed_n`;
- small cells: :func:`suppression_summary` and :func:`suppressed_and_shown` of a
  :func:`~cxresearch.metrics.scores.by_segment` frame;
- bad input is reported, not coerced: :func:`input_errors`;
- DuckDB and pandas give identical counts: :func:`check_engines` (:class:`EngineCheck`);
- beyond one machine: :func:`at_scale_demo` (:class:`AtScale`) on synthetic transactional NPS
  (one answer per interaction), the same table whether DuckDB, Spark or pandas counts the
  answers.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cxresearch.core.contract import OWNER_LABELS
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    as_list,
    check_method,
    check_positive_int,
    check_seed,
    first_rows,
    require_columns,
    rows_repr,
)
from cxresearch.metrics import scores as _metrics
from cxresearch.metrics.scores import (
    PROPORTION_METHODS,
    aggregate_responses,
    compare_many,
    summarise_counts,
    top_box_from_counts,
)

__all__ = [
    "AtScale",
    "EngineCheck",
    "at_scale_demo",
    "check_engines",
    "input_errors",
    "naive_vs_clustered",
    "nps_by",
    "nps_by_alt_text",
    "owner_at_answer",
    "owner_timing_summary",
    "plot_nps_by",
    "question_label",
    "suppressed_and_shown",
    "suppression_sentence",
    "suppression_summary",
    "top_box_intervals_at_assumed_n",
    "top_box_pairwise_at_assumed_n",
]


def owner_at_answer(
    data: pd.DataFrame, firms: pd.DataFrame, firm_years: pd.DataFrame | None = None
) -> pd.DataFrame:
    """A copy of the answers with ``cx_owner_then``: the CX owner in force in the answer's year.

    - a leader in post that year (``has_cx_leader == 1``, or ``cx_leader_year <= year`` when
      ``firm_years`` is not given): ``"cx_leader"``;
    - a firm that never has a leader: its recorded owner (``ceo``, ``coo``, ``cmo``,
      ``everyone``);
    - a firm whose leader is appointed later: ``"pre_leader"`` (who owned CX before the
      appointment is not recorded, so these answers are not credited to any owner).

    Also adds ``cx_owner_end`` (the end-of-panel owner) and ``owner_label`` (human words).

    Parameters
    ----------
    data : DataFrame
        Answers with ``firm_id`` and ``year``.
    firms : DataFrame
        ``firm_id``, ``cx_owner`` and ``cx_leader_year``.
    firm_years : DataFrame, optional
        ``firm_id``, ``year``, ``has_cx_leader``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> a = pd.DataFrame({"firm_id": ["A", "A", "B"], "year": [2020, 2023, 2020]})
    >>> f = pd.DataFrame({"firm_id": ["A", "B"], "cx_owner": ["cx_leader", "coo"],
    ...                   "cx_leader_year": [2022, None]})
    >>> owner_at_answer(a, f)["cx_owner_then"].tolist()
    ['pre_leader', 'cx_leader', 'coo']
    """
    require_columns(data, ["firm_id", "year"])
    require_columns(firms, ["firm_id", "cx_owner"], what="firms")
    # the looked-up columns under names of their own, so that the answers' own columns (a
    # has_cx_leader or cx_leader_year already there) neither collide nor change
    lookup = {"cx_owner": "_cx_end", "cx_leader_year": "_cx_leader_year"}
    out = data.merge(firms[[c for c in ["firm_id", *lookup] if c in firms]].rename(columns=lookup),
                     on="firm_id", how="left", validate="many_to_one")
    unknown = out["_cx_end"].isna()
    if unknown.any():
        raise DataError(f"column 'firm_id': {int(unknown.sum())} answer(s) from firms not in the "
                        f"firms table at rows {first_rows(unknown, data.index)}")
    if firm_years is not None:
        require_columns(firm_years, ["firm_id", "year", "has_cx_leader"], what="firm_years")
        status = firm_years[["firm_id", "year", "has_cx_leader"]].rename(
            columns={"has_cx_leader": "_cx_in_post"})
        out = out.merge(status, on=["firm_id", "year"], how="left", validate="many_to_one")
        in_post = out["_cx_in_post"].fillna(0).astype(int).eq(1).to_numpy()
    elif "_cx_leader_year" in out:
        yr = pd.to_numeric(out["_cx_leader_year"], errors="coerce")
        in_post = ((out["_cx_end"] == "cx_leader")
                   & (yr.isna() | (yr <= out["year"]))).to_numpy()
    else:
        in_post = (out["_cx_end"] == "cx_leader").to_numpy()
    end = out["_cx_end"].to_numpy(dtype=object)
    then = np.where(in_post, "cx_leader", np.where(end == "cx_leader", "pre_leader", end))
    out = out.drop(columns=[c for c in ("_cx_end", "_cx_leader_year", "_cx_in_post") if c in out])
    out["cx_owner_end"] = end
    out["cx_owner_then"] = then
    out["owner_label"] = [OWNER_LABELS.get(v, v) for v in then]
    out.index = data.index
    return out


def owner_timing_summary(data: pd.DataFrame) -> pd.DataFrame:
    """How end-of-panel owners map to the status in force at the answer (counts and shares).

    >>> a = pd.DataFrame({"cx_owner_end": ["cx_leader"] * 4 + ["ceo"],
    ...                   "cx_owner_then": ["pre_leader"] + ["cx_leader"] * 3 + ["ceo"]})
    >>> owner_timing_summary(a).set_index("cx_owner_then").loc["pre_leader", "share_of_end_owner"]
    np.float64(0.25)
    """
    require_columns(data, ["cx_owner_end", "cx_owner_then"])
    t = data.groupby(["cx_owner_end", "cx_owner_then"], observed=True).size().rename("answers")
    t = t.reset_index()
    t["share_of_end_owner"] = t["answers"] / t.groupby("cx_owner_end")["answers"].transform("sum")
    return t.sort_values(["cx_owner_end", "cx_owner_then"], ignore_index=True)


# --------------------------------------------------------------------------------------------
# Notebook 01's tables and reporting checks (moved from cxresearch.metrics.scores, which re-exports
# them): published percentages without n, suppressed cells, bad input, DuckDB vs pandas counts
# --------------------------------------------------------------------------------------------


def _rates(rates: pd.Series | Mapping[Any, float]) -> pd.Series:
    """Percentages by group, validated (0..100, no missing, unique labels), ranked ascending."""
    ser = rates.copy() if isinstance(rates, pd.Series) else pd.Series(dict(rates), dtype=float)
    name = str(ser.name) if ser.name is not None else "rates"
    if ser.index.has_duplicates:
        dup = first_rows(ser.index.duplicated(), ser.index)
        raise ValueError(f"argument '{name}': duplicated group label(s) {dup!r}")
    values = pd.to_numeric(ser, errors="coerce")
    bad = (values.isna() | (values < 0) | (values > 100)).to_numpy()
    if bad.any():
        raise ValueError(
            f"argument '{name}': {int(bad.sum())} missing or non-percentage value(s) (expected "
            f"0..100) for group(s) {rows_repr(ser.index, bad)}"
        )
    frame = pd.DataFrame({"group": ser.index, "rate": values.to_numpy(dtype=float)})
    frame = frame.sort_values(["rate", "group"], kind="stable", ignore_index=True)
    return pd.Series(frame["rate"].to_numpy(), index=pd.Index(frame["group"], name="group"))


def top_box_intervals_at_assumed_n(
    rates: pd.Series | Mapping[Any, float],
    assumed_n: Sequence[int] = (100, 1000),
    *,
    method: Literal["wilson", "wald", "agresti_coull"] = "wilson",
    level: float = 0.95,
) -> pd.DataFrame:
    """Intervals for published top-box percentages whose sample size is not published.

    Many public tables (e.g. CMS CAHPS) give a percentage per group but not n; an interval then
    needs an assumed n. Each rate r (percent) becomes top_box_from_counts(r n / 100, n) for
    every ``assumed_n`` (Wilson 1927 by default). ``rates`` maps group label to percentage.
    Groups are ranked by rate (ties by label), rank 0 the lowest. Columns: group, assumed_n,
    rank, estimate, se, ci_low, ci_high (percent).

    >>> t = top_box_intervals_at_assumed_n({"x": 81.0, "y": 70.0}, assumed_n=(100,))
    >>> t[["group", "rank"]].values.tolist(), round(float(t["ci_high"].iloc[1]), 2)
    ([['y', 0], ['x', 1]], 87.49)
    """
    ranked = _rates(rates)
    check_method(method, PROPORTION_METHODS[:3], "top_box")
    frames = []
    for n in assumed_n:
        n = check_positive_int(n, "assumed_n")
        res = [top_box_from_counts(r * n / 100, n, method=method, level=level)
               for r in ranked.to_numpy()]
        frames.append(pd.DataFrame({
            "group": ranked.index.to_numpy(), "assumed_n": n, "rank": np.arange(len(ranked)),
            "estimate": [x.estimate for x in res], "se": [x.se for x in res],
            "ci_low": [x.ci_low for x in res], "ci_high": [x.ci_high for x in res],
        }))
    return pd.concat(frames, ignore_index=True)


def top_box_pairwise_at_assumed_n(
    rates: pd.Series | Mapping[Any, float],
    assumed_n: Sequence[int] = (100, 1000),
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """How many pairwise group differences are significant if each group had n answers.

    For each ``assumed_n``, every pair of groups is compared with :func:`compare_many`
    (unpooled Wald z test of two proportions) and counted as significant before and after
    Holm's (1979) correction at 1 - ``level``. Columns: assumed_n, groups, pairs,
    significant_unadjusted, significant_holm.

    >>> t = top_box_pairwise_at_assumed_n({"a": 70, "b": 80, "c": 90}, assumed_n=(50, 500))
    >>> t[["assumed_n", "pairs", "significant_unadjusted", "significant_holm"]].values.tolist()
    [[50, 3, 1, 1], [500, 3, 3, 3]]
    """
    ranked = _rates(rates)
    rows = []
    for n in assumed_n:
        n = check_positive_int(n, "assumed_n")
        res = {g: top_box_from_counts(r * n / 100, n, level=level)
               for g, r in ranked.items()}
        pairs = compare_many(res, level=level)
        rows.append({"assumed_n": n, "groups": len(res), "pairs": len(pairs),
                     "significant_unadjusted": int((pairs["p_value"] < 1 - level).sum()),
                     "significant_holm": int(pairs["significant"].sum())})
    return pd.DataFrame(rows)


def _check_segments(data: pd.DataFrame) -> None:
    need = ["n", "suppressed", "flag"]
    missing = [c for c in need if c not in getattr(data, "columns", [])]
    if missing:
        raise ValueError(f"argument 'data': column(s) {missing} missing (use the output of "
                         "by_segment or summarise_counts)")


def suppression_summary(data: pd.DataFrame) -> pd.DataFrame:
    """How many segments (and answers) :func:`by_segment` showed, suppressed or found empty.

    One row: cells, shown, suppressed, empty, answers, answers_in_suppressed (answers in the
    suppressed cells, which are still counted in any total).

    >>> from cxresearch.metrics.scores import by_segment
    >>> df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 5, "nps": [9, 10, 5, 8] * 10 + [10] * 5})
    >>> suppression_summary(by_segment(df, "g")).values.tolist()
    [[2, 1, 1, 0, 45, 5]]
    """
    _check_segments(data)
    sup = data["suppressed"].astype(bool)
    empty = data["flag"].eq("empty")
    return pd.DataFrame([{
        "cells": len(data), "shown": int((~sup & ~empty).sum()),
        "suppressed": int(sup.sum()), "empty": int(empty.sum()),
        "answers": int(data["n"].sum()),
        "answers_in_suppressed": int(data.loc[sup, "n"].sum()),
    }])


def suppressed_and_shown(data: pd.DataFrame, k: int = 4) -> pd.DataFrame:
    """The first ``k`` suppressed then the first ``k`` shown rows of a :func:`by_segment` frame.

    >>> from cxresearch.metrics.scores import by_segment
    >>> df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 5, "nps": [9, 10, 5, 8] * 10 + [10] * 5})
    >>> suppressed_and_shown(by_segment(df, "g"), k=1)["g"].tolist()
    ['b', 'a']
    """
    _check_segments(data)
    k = check_positive_int(k, "k")
    sup = data["suppressed"].astype(bool)
    shown = ~sup & data["flag"].ne("empty")
    return pd.concat([data[sup].head(k), data[shown].head(k)])


_SCORE_FUNCTIONS = ("nps", "csat", "ces", "top_box", "mean_score")


def input_errors(
    cases: Iterable[Any] | Mapping[str, Any],
    metric: str = "nps",
    name: str = "scores",
    **kwargs: Any,
) -> pd.DataFrame:
    """Run a metric on each case of raw answers and report the error (or warning) it gives.

    A checker for answer columns before a report, and a demonstration that bad input is
    reported, not coerced: ``metric`` is one of nps, csat, ces, top_box, mean_score (extra
    ``kwargs`` go to it); each case is passed as a Series called ``name``. Columns: case (the
    key, or the position), ok (no error), message (the ``ValueError`` text, else any warning,
    else ""). Only ``ValueError`` is caught.

    >>> out = input_errors([[9, 10, 11], [9, 10]], name="likely_to_recommend")
    >>> out["ok"].tolist()
    [False, True]
    >>> print(out["message"].iloc[0])
    column 'likely_to_recommend': 1 value(s) outside 0..10 at rows [2]
    """
    if metric not in _SCORE_FUNCTIONS:
        raise ValueError(f"argument 'metric' must be one of {_SCORE_FUNCTIONS}, got {metric!r}")
    func = getattr(_metrics, metric)
    items = cases.items() if isinstance(cases, Mapping) else enumerate(cases)
    rows = []
    for key, values in items:
        series = pd.Series(values, name=name, dtype=object if not len(values) else None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                func(series, **kwargs)
                ok, message = True, "; ".join(str(w.message) for w in caught)
            except ValueError as err:
                ok, message = False, str(err)
        rows.append({"case": key, "ok": ok, "message": message})
    return pd.DataFrame(rows, columns=["case", "ok", "message"])


@dataclass(frozen=True)
class EngineCheck(Result):
    """The same answers counted by DuckDB (from a Parquet file) and by pandas (in memory)."""

    duckdb_counts: pd.DataFrame = field(hash=False)
    pandas_counts: pd.DataFrame = field(hash=False)

    @property
    def identical(self) -> bool:
        """True when both engines returned exactly the same frame (values, dtypes, order)."""
        return bool(self.duckdb_counts.equals(self.pandas_counts))

    def summary(self) -> str:
        """One line: whether the counts are identical, with their size."""
        return (f"DuckDB (Parquet) and pandas counts identical: {self.identical} "
                f"({len(self.duckdb_counts):,} rows, "
                f"{int(self.duckdb_counts['n'].sum()):,} answers)")

    def to_frame(self) -> pd.DataFrame:
        """The DuckDB counts (the input of :func:`summarise_counts`)."""
        return self.duckdb_counts.copy()


def check_engines(
    data: pd.DataFrame,
    by: str | Sequence[str] | None,
    score: str,
    weights: str | None = None,
    *,
    scale: tuple[float, float] | None = None,
    cluster: str | None = None,
) -> EngineCheck:
    """Count answers with both engines of :func:`aggregate_responses` and keep both results.

    The needed columns of ``data`` are written to a temporary Parquet file (deleted afterwards)
    that DuckDB streams, as it would a file larger than memory; pandas counts the DataFrame.
    The caller's frame is not modified. Unweighted counts are exact integers, so the frames
    should be identical; weighted sums may differ in the last bits (summation order). With
    ``cluster`` the counts are also by cluster, so that :func:`summarise_counts` can give
    design-based intervals.

    >>> df = pd.DataFrame({"region": ["N", "N", "S", "S", "S"], "nps": [10, 6, 9, 9, 7]})
    >>> check_engines(df, "region", "nps", scale=(0, 10)).identical
    True
    """
    import tempfile

    cols = [*as_list(by), *([cluster] if cluster else []), score,
            *([weights] if weights else [])]
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found; columns are {list(data.columns)}")
    from_pandas = aggregate_responses(data, by, score, weights, scale=scale, cluster=cluster,
                                      engine="pandas")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.parquet"
        data[cols].to_parquet(path)
        from_duckdb = aggregate_responses(path, by, score, weights, scale=scale, cluster=cluster)
    return EngineCheck(from_duckdb, from_pandas)


# --------------------------------------------------------------------------------------------
# Beyond one machine: the same table whichever engine counts the answers
# --------------------------------------------------------------------------------------------

#: the channels of :func:`_transactional_answers`, their shares of the answers and their shift
#: of the latent answer (logit units)
_CHANNELS = ("app", "contact centre", "store")
_CHANNEL_SHARES = (0.5, 0.3, 0.2)
_CHANNEL_SHIFTS = (0.0, -0.4, 0.3)
#: shares of the answers 0..10 at the median unit in the app channel: 25% detractors (0-6),
#: 30% passives, 45% promoters (a true NPS of 20 there)
_BASE_SHARES = (0.03, 0.02, 0.02, 0.03, 0.04, 0.05, 0.06, 0.12, 0.18, 0.20, 0.25)


def _transactional_answers(
    n_answers: int = 200_000,
    n_units: int = 500,
    *,
    unit_sd: float = 0.4,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Synthetic transactional NPS: one 0-10 answer per interaction, nested in units.

    Transactional surveys ask after every interaction, so answers pile up by the hundred
    million in a data lake. Here each answer has a unit (``U0001`` ...; a store, a branch, a
    team) drawn uniformly, a channel (app 50%, contact centre 30%, store 20%) and an answer
    from an ordered logit: latent ``u_unit + shift_channel + e`` with ``u ~ N(0, unit_sd^2)``,
    shifts 0, -0.4 and +0.3 and a standard logistic ``e``, cut at the logits of the cumulative
    shares ``_BASE_SHARES`` (25% detractors, 45% promoters at ``u = 0`` in the app channel).
    The unit effect makes answers of one unit alike, so intervals must treat units as clusters.

    Parameters
    ----------
    n_answers : int
        Answers (rows).
    n_units : int
        Units the answers are nested in.
    unit_sd : float
        Standard deviation of the unit effect (logit units).
    seed : int or None
        Seed of the draws.

    Returns
    -------
    DataFrame
        ``unit`` (text), ``channel`` (text), ``nps`` (0..10, ``int8``).

    Examples
    --------
    >>> a = _transactional_answers(1000, 20, seed=0)
    >>> a.shape, sorted(a["channel"].unique()), int(a["nps"].min()), int(a["nps"].max())
    ((1000, 3), ['app', 'contact centre', 'store'], 0, 10)
    """
    n_answers = check_positive_int(n_answers, "n_answers")
    n_units = check_positive_int(n_units, "n_units")
    if not (np.isfinite(unit_sd) and unit_sd >= 0):
        raise ValueError(f"argument 'unit_sd' must be a finite number >= 0, got {unit_sd!r}")
    rng = np.random.default_rng(check_seed(seed))
    cum = np.cumsum(_BASE_SHARES)[:-1]
    cuts = np.log(cum / (1 - cum))
    effect = rng.normal(0.0, unit_sd, n_units)
    unit = rng.integers(0, n_units, n_answers)
    channel = rng.choice(len(_CHANNELS), n_answers, p=_CHANNEL_SHARES)
    latent = effect[unit] + np.asarray(_CHANNEL_SHIFTS)[channel] + rng.logistic(size=n_answers)
    names = np.array([f"U{i + 1:04d}" for i in range(n_units)], dtype=object)
    return pd.DataFrame({
        "unit": names[unit],
        "channel": np.asarray(_CHANNELS, dtype=object)[channel],
        "nps": np.searchsorted(cuts, latent).astype(np.int8),
    })


@dataclass(frozen=True, eq=False)
class AtScale(Result):
    """NPS by channel from answers counted where they are stored (:func:`at_scale_demo`)."""

    table: pd.DataFrame = field(hash=False)
    n_answers: int
    n_units: int
    n_files: int
    n_count_rows: int
    level: float

    def to_frame(self) -> pd.DataFrame:
        """NPS by channel with unit-clustered intervals (a :func:`summarise_counts` frame)."""
        return self.table.copy()

    def summary(self) -> str:
        """What was counted, and into how many rows (nothing about the engine)."""
        return (f"{self.n_answers:,} synthetic answers from {self.n_units:,} units in "
                f"{self.n_files} Parquet files, counted into {self.n_count_rows:,} rows (one "
                "per channel, unit and answer 0-10); the NPS of each channel and its "
                f"{self.level:.0%} interval, with units as clusters, come from those counts "
                f"alone.")


def at_scale_demo(
    engine: Any = "duckdb",
    n_answers: int = 200_000,
    n_units: int = 500,
    *,
    n_files: int = 4,
    min_n: int = 30,
    level: float = 0.95,
    seed: int | None = 0,
) -> AtScale:
    """Count synthetic transactional answers in Parquet files, then NPS by channel.

    :func:`_transactional_answers` are written as ``n_files`` Parquet files into a temporary
    directory (a data-lake table in miniature, deleted afterwards), counted by channel, unit
    and answer with :func:`~cxresearch.metrics.scores.aggregate_responses` on ``engine``
    (``"duckdb"``,
    ``"spark"``, ``"pandas"``, or a DuckDB connection or Spark session, e.g. Spark Connect), and
    summarised with :func:`~cxresearch.metrics.scores.summarise_counts`, units as clusters (Taylor
    linearisation). Every engine returns the same counts, so the result is the same, to the
    last bit, whichever engine counted.

    Parameters
    ----------
    engine : str or connection
        Where the counting runs (see :func:`~cxresearch.metrics.scores.aggregate_responses`).
    n_answers, n_units : int
        Size of the synthetic data.
    n_files : int
        Parquet files the answers are split into.
    min_n : int
        Smallest channel shown.
    level : float
        Confidence level.
    seed : int or None
        Seed of the synthetic answers.

    Returns
    -------
    AtScale

    Examples
    --------
    >>> demo = at_scale_demo(n_answers=3000, n_units=40, seed=1)
    >>> demo.to_frame()["channel"].tolist(), int(demo.to_frame()["n"].sum())
    (['app', 'contact centre', 'store'], 3000)
    """
    import tempfile

    n_files = check_positive_int(n_files, "n_files")
    data = _transactional_answers(n_answers, n_units, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        lake = Path(tmp) / "answers"
        lake.mkdir()
        for i, rows in enumerate(np.array_split(np.arange(len(data)), n_files)):
            data.iloc[rows].to_parquet(lake / f"part-{i:03d}.parquet", index=False)
        counts = aggregate_responses(str(lake), by="channel", score="nps", scale=(0, 10),
                                     cluster="unit", engine=engine)
    table = summarise_counts(counts, "channel", "nps", cluster="unit", min_n=min_n, level=level)
    return AtScale(table=table, n_answers=int(counts["n"].sum()),
                   n_units=int(counts["unit"].nunique()), n_files=n_files,
                   n_count_rows=len(counts), level=level)


# --------------------------------------------------------------------------------------------
# Notebook 01's generated sentences: headline metrics with the design, owners, the summary
# --------------------------------------------------------------------------------------------


def overall_metrics(
    data: pd.DataFrame,
    metrics: Mapping[str, tuple[str, tuple[float, float]]],
    *,
    weights: str | None = None,
    cluster: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each metric over all answers, with the survey design (``cluster``) and without it.

    ``metrics`` maps ``"nps"``, ``"csat"`` or ``"ces"`` to ``(column, scale)``. With
    ``cluster`` (the unit answers are nested in) the interval is design-based (Taylor
    linearisation, t on clusters - 1 df) and ``design_effect`` says how many times larger the
    variance is than if the answers were independent; ``half_width_independent`` is the
    half-width that ignores the clusters (shown for comparison only). Missing answers are
    dropped and counted (``n_missing``; the package's warning is silenced).

    Returns
    -------
    DataFrame
        metric, estimate, ci_low, ci_high, half_width, half_width_independent, n, n_missing,
        n_clusters, design_effect, n_eff, method.

    Examples
    --------
    >>> df = pd.DataFrame({"g": list("aabbccdd") * 10, "nps": [10, 9, 6, 2, 8, 9, 10, 0] * 10})
    >>> t = overall_metrics(df, {"nps": ("nps", (0, 10))}, cluster="g")
    >>> int(t["n"].iloc[0]), int(t["n_clusters"].iloc[0]), t["method"].iloc[0]
    (80, 4, 'taylor')
    """
    funcs = {"nps": _metrics.nps, "csat": _metrics.csat, "ces": _metrics.ces}
    w = data[weights] if weights else None
    rows = []
    for name, (column, scale) in metrics.items():
        if name not in funcs:
            raise ValueError(f"argument 'metrics': unknown metric {name!r}; one of "
                             f"{sorted(funcs)}")
        kw = {} if name == "nps" else {"scale": tuple(scale)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # missing answers: in n_missing
            plain = funcs[name](data[column], weights=w, level=level, **kw)
            r = (funcs[name](data[column], weights=w, level=level, cluster=data[cluster], **kw)
                 if cluster else plain)
        rows.append({
            "metric": name.upper(), "column": column, "estimate": r.estimate, "ci_low": r.ci_low,
            "ci_high": r.ci_high, "half_width": (r.ci_high - r.ci_low) / 2,
            "half_width_independent": (plain.ci_high - plain.ci_low) / 2, "n": r.n,
            "n_missing": r.n_missing, "n_clusters": r.n_clusters,
            "design_effect": r.design_effect if cluster else np.nan,
            "n_eff": r.n_eff, "method": r.method,
        })
    return pd.DataFrame(rows)


def overall_findings(
    table: pd.DataFrame, *, unit_name: str | None, level: float = 0.95
) -> tuple[Any, ...]:
    """One sentence per row of :func:`overall_metrics`: the estimate, its interval and what the
    interval rests on (the clusters and the design effect, or independence).

    >>> t = pd.DataFrame([{"metric": "NPS", "estimate": 12.5, "ci_low": 10.8, "ci_high": 14.2,
    ...                    "half_width": 1.7, "half_width_independent": 0.51, "n": 92921,
    ...                    "n_missing": 2875, "n_clusters": 300, "design_effect": 10.9,
    ...                    "n_eff": 8515.0, "method": "taylor"}])
    >>> print(overall_findings(t, unit_name="firms")[0].text)
    **NPS**: 12.5 (95% CI 10.8 to 14.2; ±1.7), from 92,921 answers in 300 firms, treated as
    clusters: design effect 10.9, so the answers carry the information of about 8,515
    independent ones (±0.5 if they were independent, which they are not).
    """
    from cxresearch.report.conclusions import Finding

    pct = f"{level:.0%}"
    out = []
    for r in table.itertuples():
        digits = 2 if r.metric == "CES" else 1
        unit = "%" if r.metric == "CSAT" else ""
        column = getattr(r, "column", r.metric.lower())
        name = r.metric if column == r.metric.lower() else f"{r.metric} [{column}]"
        head = (f"**{name}**: {r.estimate:.{digits}f}{unit} ({pct} CI {r.ci_low:.{digits}f} "
                f"to {r.ci_high:.{digits}f}; ±{r.half_width:.{digits}f})")
        if r.n_clusters and np.isfinite(r.design_effect):
            text = (f"{head}, from {r.n:,} answers in {r.n_clusters:,} {unit_name or 'units'}, "
                    f"treated as clusters: design effect {r.design_effect:.1f}, so the answers "
                    f"carry the information of about {r.n_eff:,.0f} independent ones "
                    f"(±{r.half_width_independent:.{digits}f} if they were independent, which "
                    "they are not).")
        else:
            text = (f"{head}, from {r.n:,} answers treated as independent (no unit to cluster "
                    "by): if answers are nested in stores, teams or firms, this interval is too "
                    "narrow.")
        out.append(Finding(text, False, kind="level"))
    return tuple(out)


def owner_alt_text(by_owner: pd.DataFrame, pairs: pd.DataFrame, *, level: float = 0.95) -> str:
    """Alt text of the NPS-by-owner figure, from the Holm-adjusted pairwise comparisons.

    It names only the differences that survive Holm (``pairs["significant"]``), and says that
    the order of the rest is not established.

    >>> b = pd.DataFrame({"owner_label": ["A", "B", "C"], "estimate": [5.0, 9.0, 14.0],
    ...                   "ci_low": [0.0, 4.0, 10.0], "ci_high": [10.0, 14.0, 18.0]})
    >>> p = pd.DataFrame({"a": ["A", "A", "B"], "b": ["B", "C", "C"],
    ...                   "difference": [-4.0, -9.0, -5.0], "ci_low": [-9.0, -14.0, -11.0],
    ...                   "ci_high": [1.0, -4.0, 1.0], "significant": [False, True, False]})
    >>> print(owner_alt_text(b, p))
    3 owner groups, NPS estimates from 5 to 14 (95% CIs); after Holm adjustment for 3 pairwise
    comparisons only C vs A (9.0 points, 95% CI 4.0 to 14.0) differs; the order of the others
    is not established.
    """
    sig = pairs[pairs["significant"].astype(bool)]
    head = (f"{len(by_owner)} owner groups, NPS estimates from {by_owner['estimate'].min():.0f} "
            f"to {by_owner['estimate'].max():.0f} ({level:.0%} CIs); after Holm adjustment for "
            f"{len(pairs)} pairwise comparisons ")
    if sig.empty:
        return head + "no two owners differ; their order is not established."
    parts = []
    for r in sig.itertuples():
        hi, lo, d, a, b = ((r.a, r.b, r.difference, r.ci_low, r.ci_high) if r.difference > 0
                           else (r.b, r.a, -r.difference, -r.ci_high, -r.ci_low))
        parts.append(f"{hi} vs {lo} ({d:.1f} points, {level:.0%} CI {a:.1f} to {b:.1f})")
    if len(parts) > 2:
        return head + f"{len(parts)} differ (listed in the caption); the order of the others is " \
                      "not established."
    verb = "differs" if len(parts) == 1 else "differ"
    return head + f"only {' and '.join(parts)} {verb}; the order of the others is not established."


def owner_truth_check(pairs: pd.DataFrame, truth: Mapping[str, float]) -> pd.DataFrame:
    """The Holm-adjusted owner contrasts beside the simulation's structural owner effects.

    The simulation adds to each firm's CX an effect of its sponsor (CEO, COO, CMO; 0 for
    "everyone's job") and of a CX leader in post (:func:`~cxresearch.simulate.answers.
    true_owner_effects`, SD of latent CX). For each pair of owners with a known structural
    effect (not "CX leader not yet appointed", whose sponsor is not recorded), ``true_sd`` is
    the difference of those effects and ``verdict`` is: ``"detected"`` (adjusted difference of
    the true sign), ``"wrong sign"``, ``"not detected"`` (a true difference the data do not
    separate), ``"false alarm"`` (detected where the structural difference is 0) or ``"no
    difference, none found"``. The answer-level contrasts also carry selection (firms that
    appoint leaders differ), so only the sign is compared.

    >>> t = {"owner_effect_ceo": 0.1, "owner_effect_coo": 0.0, "owner_effect_cmo": 0.0,
    ...      "leader_effect_cx": 0.2, "sd_cx_latent": 1.0}
    >>> p = pd.DataFrame({"a": ["CX leader", "CMO"], "b": ["everyone's job", "COO"],
    ...                   "difference": [8.0, 1.0], "significant": [True, False]})
    >>> owner_truth_check(p, t)[["a", "b", "true_sd", "verdict"]].values.tolist()
    [['CX leader', "everyone's job", 0.2, 'detected'],
     ['CMO', 'COO', 0.0, 'no difference, none found']]
    """
    from cxresearch.simulate.answers import true_owner_effects

    eff = true_owner_effects(truth)
    eff = eff[eff["outcome"] == "cx_sd"]
    sd = {OWNER_LABELS.get(o, o): float(v) for o, v in zip(eff["owner"], eff["true_value"])}
    sd[OWNER_LABELS.get("everyone", "everyone's job")] = 0.0
    rows = []
    for r in pairs.itertuples():
        if r.a not in sd or r.b not in sd or not np.isfinite(sd[r.a] - sd[r.b]):
            continue
        true = round(sd[r.a] - sd[r.b], 6)
        found = bool(r.significant)
        if true == 0:
            verdict = "false alarm" if found else "no difference, none found"
        elif not found:
            verdict = "not detected"
        else:
            verdict = "detected" if np.sign(r.difference) == np.sign(true) else "wrong sign"
        rows.append({"a": r.a, "b": r.b, "difference": r.difference, "true_sd": true,
                     "significant": found, "verdict": verdict})
    return pd.DataFrame(rows, columns=["a", "b", "difference", "true_sd", "significant",
                                       "verdict"])


def coverage_verdicts(coverage: pd.DataFrame, *, level: float = 0.95,
                      tolerance: float = 0.01) -> pd.DataFrame:
    """Average coverage by n and method (over the mixes), and whether it falls short.

    A method *falls short* at an n when its coverage is more than ``tolerance`` below
    ``level`` (the criterion the notebook states).

    >>> c = pd.DataFrame({"n": [30, 30, 30, 30], "method": ["wald", "wald", "score", "score"],
    ...                   "coverage": [0.92, 0.93, 0.95, 0.951]})
    >>> coverage_verdicts(c)[["method", "falls_short"]].values.tolist()
    [['score', False], ['wald', True]]
    """
    t = coverage.groupby(["n", "method"], as_index=False)["coverage"].mean()
    t["falls_short"] = t["coverage"] < level - tolerance
    return t


def width_sentence(width: pd.DataFrame, n_values: Sequence[int] = (100, 1000)) -> str:
    """How wide an NPS interval is at each of ``n_values``, over the mixes of ``width``.

    >>> w = pd.DataFrame({"mix": ["a", "b", "a", "b"], "n": [100, 100, 1000, 1000],
    ...                   "half_width": [14.4, 18.2, 4.6, 5.9]})
    >>> print(width_sentence(w))
    At n = 100 an NPS is known to about ±14 to ±18 points, depending on the mix of promoters
    and detractors; at n = 1,000 to about ±5 to ±6.
    """
    parts = []
    for i, n in enumerate(n_values):
        hw = width.loc[width["n"] == n, "half_width"]
        rng = f"±{hw.min():.0f} to ±{hw.max():.0f}"
        parts.append(f"At n = {n:,} an NPS is known to about {rng} points, depending on the mix "
                     "of promoters and detractors" if i == 0 else f"at n = {n:,} to about {rng}")
    return "; ".join(parts) + "."


# ---------------------------------------------------------------------------------------------
# The user's data first: NPS by unit, by period and by segment, with what suppression hides


def question_label(data: pd.DataFrame, column: str, fallback: str | None = None) -> str:
    """The question wording of ``column`` (the export's ``data.attrs["labels"]``), else
    ``fallback``, else the column's name.

    >>> df = pd.DataFrame({"Q1": [9]})
    >>> df.attrs["labels"] = {"Q1": "How likely are you to recommend us?"}
    >>> question_label(df, "Q1"), question_label(df, "Q2", "NPS (Q2)"), question_label(df, "Q3")
    ('How likely are you to recommend us?', 'NPS (Q2)', 'Q3')
    """
    labels = data.attrs.get("labels") or {}
    text = str(labels.get(column, "")).strip()
    return text or fallback or column


def nps_by(
    data: pd.DataFrame, by: str, score: str, *, weights: str | None = None,
    cluster: str | None = None, min_n: int = 30, level: float = 0.95,
) -> pd.DataFrame:
    """NPS per value of ``by`` (a unit, a period or a segment), small cells suppressed.

    A unit's own answers are not clustered again (``cluster`` is ignored when ``by`` is the
    cluster column); a period or segment is a domain of the clustered design
    (:func:`~cxresearch.metrics.scores.by_segment`). Columns: ``by``, estimate, ci_low,
    ci_high, half_width, n, suppressed, note.

    >>> df = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 5, "nps": [9, 10, 5, 8] * 10 + [10] * 5})
    >>> nps_by(df, "g", "nps")[["g", "estimate", "n", "suppressed"]].values.tolist()
    [['a', 25.0, 40, False], ['b', nan, 5, True]]
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # missing answers: counted in n_missing
        t = _metrics.by_segment(data, by, "nps", score, weights=weights,
                                cluster=None if cluster == by else cluster, min_n=min_n,
                                level=level)
    t = t[t["flag"].ne("empty")].copy()
    t["half_width"] = (t["ci_high"] - t["ci_low"]) / 2
    return t[[by, "estimate", "ci_low", "ci_high", "half_width", "n", "suppressed",
              "note"]].reset_index(drop=True)


def suppression_sentence(table: pd.DataFrame, by: str, *, what: str = "NPS",
                         min_n: int = 30) -> str:
    """What a suppressed table hides, in words: how many groups, how many answers, and why.

    >>> t = pd.DataFrame({"store": ["a", "b", "c"], "estimate": [25.0, float("nan"), 3.0],
    ...                   "half_width": [14.0, float("nan"), 16.0], "n": [40, 5, 35],
    ...                   "suppressed": [False, True, False]})
    >>> print(suppression_sentence(t, "store"))
    NPS by store: 2 of 3 shown (median ±15.0 points); 1 hidden because it has fewer than 30
    answers (5 answers, still counted in every total): b.
    """
    sup = table["suppressed"].astype(bool)
    shown = table[~sup]
    text = f"{what} by {by}: {len(shown)} of {len(table)} shown"
    if len(shown):
        text += f" (median ±{shown['half_width'].median():.1f} points)"
    if not sup.any():
        return text + f"; none has fewer than {min_n} answers, so none is hidden."
    hidden = table[sup]
    names = ", ".join(str(v) for v in hidden[by].head(8))
    more = f" and {len(hidden) - 8} more" if len(hidden) > 8 else ""
    verb = "it has" if len(hidden) == 1 else "they have"
    return (f"{text}; {len(hidden)} hidden because {verb} fewer than {min_n} answers "
            f"({int(hidden['n'].sum()):,} answers, still counted in every total): "
            f"{names}{more}.")


def plot_nps_by(table: pd.DataFrame, by: str, *, question: str, level: float = 0.95,
                ax: Any = None) -> Any:
    """Shown groups' NPS with their intervals (suppressed groups left out, as the table says).

    The title is the question's wording, so the figure reads without the code.
    """
    import textwrap

    import matplotlib.pyplot as plt

    shown = table[~table["suppressed"].astype(bool)].reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots()
    x = np.arange(len(shown))
    ax.errorbar(x, shown["estimate"], yerr=[shown["estimate"] - shown["ci_low"],
                                            shown["ci_high"] - shown["estimate"]],
                fmt="o", color="0.2", ecolor="0.5", capsize=3)
    ax.axhline(0, color="0.7", lw=0.8)
    ticks = [str(v) for v in shown[by]]
    ax.set_xticks(x, ticks, rotation=0 if sum(map(len, ticks)) <= 24 else 90)
    ax.set_xlabel(by)
    ax.set_ylabel(f"NPS, with {level:.0%} interval")
    ax.set_title(textwrap.fill(f"NPS by {by}: {question}", 34))
    return ax


def nps_by_alt_text(table: pd.DataFrame, by: str, *, data_label: str,
                    level: float = 0.95) -> str:
    """Alt text of :func:`plot_nps_by`, from the table (at most 300 characters).

    >>> t = pd.DataFrame({"wave": [1, 2], "estimate": [4.0, 6.5], "ci_low": [-5.0, -2.0],
    ...                   "ci_high": [13.0, 15.0], "half_width": [9.0, 8.5], "n": [500, 520],
    ...                   "suppressed": [False, False]})
    >>> print(nps_by_alt_text(t, "wave", data_label="your data"))
    NPS by wave (your data), 2 groups shown: from 4.0 (1) to 6.5 (2); the 95% intervals are
    about ±8.8 points wide, so differences smaller than that are not established.
    """
    shown = table[~table["suppressed"].astype(bool)]
    if shown.empty:
        return f"NPS by {by} ({data_label}): every group has too few answers to show."
    lo, hi = shown.loc[shown["estimate"].idxmin()], shown.loc[shown["estimate"].idxmax()]
    return (f"NPS by {by} ({data_label}), {len(shown)} groups shown: from {lo['estimate']:.1f} "
            f"({lo[by]}) to {hi['estimate']:.1f} ({hi[by]}); the {level:.0%} intervals are "
            f"about ±{shown['half_width'].mean():.1f} points wide, so differences smaller than "
            "that are not established.")


# ---------------------------------------------------------------------------------------------
# The naive method beside the right one (issue 23): answer-level against clustered intervals


def naive_vs_clustered(data: pd.DataFrame, by: str, score: str, *, cluster: str,
                       weights: str | None = None, min_n: int = 30,
                       level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NPS by ``by`` with intervals that treat answers as independent, beside intervals with
    ``cluster`` as clusters; and how many pairwise differences survive Holm under each.

    Returns
    -------
    (DataFrame, DataFrame)
        Per segment: estimate, the two half-widths and their ratio (the square root of the
        design effect); per method: pairs, significant after Holm.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> firm = np.repeat(np.arange(40), 50)
    >>> shift = rng.normal(0, 1.5, 40)[firm]
    >>> d = pd.DataFrame({"firm": firm, "seg": np.where(firm % 2, "a", "b"),
    ...                   "nps": np.clip(np.round(7 + shift + rng.normal(0, 2, 2000)), 0, 10)})
    >>> per_seg, pairs = naive_vs_clustered(d, "seg", "nps", cluster="firm")
    >>> bool((per_seg["ratio"] > 1).all()), list(pairs["method"])
    (True, ['answers independent', 'firm as clusters'])
    """
    rows, pair_rows = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for name, cl in (("answers independent", None), (f"{cluster} as clusters", cluster)):
            seg = _metrics.by_segment(data, by, "nps", score, weights=weights, cluster=cl,
                                      min_n=min_n, level=level)
            seg = seg[seg["flag"].ne("empty") & ~seg["suppressed"].astype(bool)]
            rows.append(seg.set_index(by).assign(
                half_width=lambda t: (t["ci_high"] - t["ci_low"]) / 2)[
                ["estimate", "half_width"]].add_suffix(f" ({name})"))
            pairs = _metrics.compare_segments(data, by, "nps", score, weights=weights,
                                              cluster=cl, min_n=min_n, level=level)
            pair_rows.append({"method": name, "pairs": len(pairs),
                              "significant_holm": int(pairs["significant"].sum())})
    per_seg = pd.concat(rows, axis=1)
    per_seg = per_seg.drop(columns=f"estimate ({cluster} as clusters)").rename(
        columns={"estimate (answers independent)": "estimate"})
    per_seg["ratio"] = (per_seg[f"half_width ({cluster} as clusters)"]
                        / per_seg["half_width (answers independent)"])
    return per_seg.reset_index(), pd.DataFrame(pair_rows)
