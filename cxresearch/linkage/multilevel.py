"""Answers nested in groups: may they be averaged, the averages, and random-intercept models.

Employees and customers answer within firms (or firm-years, teams). Before a firm score is used
as a firm-level variable, three questions:

- :func:`aggregation_indices` -- may individual answers be averaged to their cluster at all?
  ICC(1), ICC(2) (Bliese 2000) and rwg(j) (James, Demaree & Wolf 1984), with an
  :class:`AggregationWarning` when they do not support it;
- :func:`group_scores` -- the aggregation itself: scale score per group with its n and the
  sampling variance of the mean (with Kish's design effect for answers clustered in teams);
- :func:`multilevel_model` -- individual answers on group-level predictors with a random
  intercept per cluster (statsmodels ``MixedLM``), a :class:`MixedModelResult`.

:func:`add_group_key` joins several key columns (firm and year) into the one ``cluster`` column
that :func:`aggregation_indices` takes.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.inference import upper_tail, z_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    first_rows,
    require_columns,
    require_numeric,
)
from cxresearch.linkage.regression import formula_columns

__all__ = [
    "AggregationWarning",
    "MixedModelResult",
    "add_group_key",
    "aggregation_indices",
    "group_scores",
    "multilevel_model",
]


class AggregationWarning(UserWarning):
    """Issued when the indices do not support averaging individual answers to groups.

    :func:`aggregation_indices` warns with this category for each item set whose ICC(1) or
    rwg(j) falls short; filter it like any warning category.

    Parameters
    ----------
    message : str
        Names the item set, the cluster column and the indices that fell short.

    Examples
    --------
    >>> import warnings
    >>> from cxresearch.simulate import simulate_nested
    >>> d = simulate_nested(n_groups=30, group_size=10, icc=0.0, n_items=2, seed=5)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = aggregation_indices(d, "group", ["item_1", "item_2"])
    >>> caught[0].category.__name__
    'AggregationWarning'
    """


def _item_sets(items: Sequence[str] | Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if isinstance(items, str):
        return {items: [items]}
    if isinstance(items, Mapping):
        out = {str(k): list(v) for k, v in items.items()}
    else:
        cols = list(items)
        out = {"+".join(cols) if len(cols) <= 3 else f"{cols[0]}..{cols[-1]}": cols}
    for name, cols in out.items():
        if len(cols) == 0:
            raise DataError(f"items: item set {name!r} is empty")
    return out


# --------------------------------------------------------------------------------------------
# aggregation: ICC(1), ICC(2), rwg(j)
# --------------------------------------------------------------------------------------------


def _scale_score(data: pd.DataFrame, cols: list[str], min_answered: float) -> pd.Series:
    answered = data[cols].notna().sum(axis=1)
    score = data[cols].mean(axis=1)
    return score.where(answered >= np.ceil(min_answered * len(cols)))


def _oneway_icc(y: np.ndarray, g: np.ndarray, level: float = 0.95) -> dict[str, float]:
    """One-way random-effects ANOVA: ICC(1), ICC(2), F, p (Bliese 2000)."""
    from scipy import stats

    codes, inv = np.unique(g, return_inverse=True)
    n_j = np.bincount(inv).astype(float)
    sums = np.bincount(inv, weights=y)
    means = sums / n_j
    n_tot, n_groups = float(len(y)), len(codes)
    grand = y.mean()
    ssb = float(np.sum(n_j * (means - grand) ** 2))
    ssw = float(np.sum((y - means[inv]) ** 2))
    msb = ssb / (n_groups - 1)
    msw = ssw / (n_tot - n_groups)
    k0 = (n_tot - np.sum(n_j**2) / n_tot) / (n_groups - 1)
    icc1 = (msb - msw) / (msb + (k0 - 1.0) * msw)
    icc2 = (msb - msw) / msb if msb > 0 else np.nan
    f_stat = msb / msw if msw > 0 else np.inf
    df1, df2 = n_groups - 1, n_tot - n_groups
    p = float(stats.f.sf(f_stat, df1, df2))
    # exact interval for the balanced one-way model (Searle 1971, *Linear Models*; McGraw &
    # Wong 1996, *Psychological Methods* 1(1), case 1), with k0 for unequal groups
    up = upper_tail(level)
    f_lo = f_stat / stats.f.ppf(up, df1, df2)
    f_hi = f_stat * stats.f.ppf(up, df2, df1)
    return {
        "n_groups": n_groups,
        "n_respondents": int(n_tot),
        "mean_group_size": float(k0),
        "icc1": float(icc1),
        "icc1_ci_low": float((f_lo - 1) / (f_lo + k0 - 1)),
        "icc1_ci_high": float((f_hi - 1) / (f_hi + k0 - 1)),
        "icc2": float(icc2),
        "f_stat": float(f_stat),
        "p_value": p,
    }


def _rwg_j(data: pd.DataFrame, cols: list[str], cluster: str, scale_points: int) -> pd.Series:
    """rwg(j) per group against the uniform (rectangular) null distribution."""
    sigma2_eu = (scale_points**2 - 1) / 12.0
    var = data.groupby(cluster, sort=True, observed=True)[cols].var(ddof=1)
    counts = data.groupby(cluster, sort=True, observed=True)[cols].count()
    var = var.where(counts >= 2)
    s2 = var.mean(axis=1, skipna=True)
    j = var.notna().sum(axis=1).astype(float)
    ratio = s2 / sigma2_eu
    num = j * (1.0 - ratio)
    rwg = num / (num + ratio)
    # Lindell, Brandt & Whitney (1999): more variance than the null means no agreement -> 0.
    rwg = rwg.where(ratio < 1.0, 0.0).where(j > 0)
    return rwg.clip(lower=0.0, upper=1.0)


def aggregation_indices(
    data: pd.DataFrame,
    cluster: str,
    items: Sequence[str] | Mapping[str, Sequence[str]],
    scale_points: int | Mapping[str, int] = 5,
    min_answered: float = 0.5,
    rwg_cutoff: float = 0.70,
    *,
    level: float = 0.95,
    warn: bool = True,
) -> pd.DataFrame:
    """ICC(1), ICC(2) and rwg(j): may individual answers be averaged to their cluster?

    For each item set the scale score (the mean of answered items; a respondent needs at least
    ``min_answered`` of the items) is split by a one-way ANOVA into between-group (MSB) and
    within-group (MSW) mean squares, with ``k0 = (N - sum n_j^2 / N) / (J - 1)`` the mean group
    size adjusted for unequal groups:

    - ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW): the share of individual variance that lies
      between groups (Bliese 2000);
    - ICC(2) = (MSB - MSW) / MSB: the reliability of the group means (same source; equal to
      Spearman-Brown applied to ICC(1) with k0);
    - rwg(j) = J (1 - s2 / s2_EU) / [J (1 - s2 / s2_EU) + s2 / s2_EU] per group, with s2 the mean
      within-group item variance, J the number of items and s2_EU = (A^2 - 1) / 12 the variance of
      a uniform answer on A points (James, Demaree & Wolf 1984); groups with s2 > s2_EU are set
      to 0 (Lindell, Brandt & Whitney 1999). The median and mean over groups are reported.

    Aggregation is flagged as supported when ICC(1) > 0 with an F test significant at
    ``1 - level`` and the median rwg(j) reaches ``rwg_cutoff`` (.70 is the customary cut-off;
    LeBreton & Senter 2008). ICC(2) below .70 is noted: group means are then noisy, which
    attenuates group-level correlations.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    cluster : str
        The column that identifies the group (firm, team, firm-year).
    items : list of str or mapping
        A list of item columns (one item set) or a mapping ``name -> list of columns``.
    scale_points : int or mapping
        Number of answer options A (5 for 1-5, 11 for 0-10), per item set if a mapping.
    min_answered : float
        Share of a set's items a respondent must answer to be scored.
    rwg_cutoff : float
        Median rwg(j) needed to call agreement sufficient.
    level : float
        Confidence level of the ICC(1) interval; the F test is at ``1 - level``.
    warn : bool
        Issue an :class:`AggregationWarning` for each item set that is not supported.

    Returns
    -------
    DataFrame
        One row per item set: ``item_set, n_items, n_groups, n_respondents, mean_group_size,
        icc1, icc1_ci_low, icc1_ci_high, icc2, f_stat, p_value, rwg_j, rwg_j_mean, share_rwg_ok,
        supported, note``. The ICC(1) interval is the exact F-based one for balanced groups
        (McGraw & Wong 1996, case 1), approximate when group sizes differ.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability. In Klein &
    Kozlowski (eds.), *Multilevel Theory, Research, and Methods in Organizations*, 349-381.
    James, L. R., Demaree, R. G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *J. Applied Psychology* 69(1), 85-98.
    Lindell, M. K., Brandt, C. J. & Whitney, D. J. (1999). A revised index of interrater
    agreement for multi-item ratings. *Applied Psychological Measurement* 23(2), 127-135.
    LeBreton, J. M. & Senter, J. L. (2008). Answers to 20 questions about interrater reliability
    and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
    McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods* 1(1), 30-46.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_nested
    >>> d = simulate_nested(n_groups=40, group_size=15, icc=0.2, n_items=4, seed=1)
    >>> out = aggregation_indices(d, "group", ["item_1", "item_2", "item_3", "item_4"])
    >>> out[["icc1", "icc2", "rwg_j"]].round(2).iloc[0].tolist()
    [0.16, 0.75, 0.84]
    >>> bool(out["supported"].iloc[0])
    True
    """
    level = check_level(level)
    sets = _item_sets(items)
    all_cols = sorted({c for cols in sets.values() for c in cols})
    require_columns(data, [cluster, *all_cols])
    require_numeric(data, all_cols)
    if data[cluster].isna().any():
        rows = first_rows(data[cluster].isna(), data.index)
        raise DataError(f"column {cluster!r}: missing group ids at rows {rows}")
    rows_out = []
    for name, cols in sets.items():
        points = scale_points[name] if isinstance(scale_points, Mapping) else scale_points
        if int(points) < 2:
            raise DataError(f"scale_points for item set {name!r} must be >= 2, got {points}")
        score = _scale_score(data, cols, min_answered)
        ok = score.notna()
        y = score[ok].to_numpy(float)
        g = data.loc[ok, cluster].to_numpy()
        n_groups = len(pd.unique(g))
        if n_groups < 2 or len(y) <= n_groups:
            raise DataError(
                f"item set {name!r}: need at least 2 groups and more respondents than groups "
                f"(got {n_groups} groups, {len(y)} scored respondents)"
            )
        res = _oneway_icc(y, g, level)
        rwg = _rwg_j(data.loc[ok], cols, cluster, int(points))
        rwg_med = float(rwg.median()) if rwg.notna().any() else np.nan
        share_ok = float((rwg >= rwg_cutoff).mean()) if rwg.notna().any() else np.nan
        problems = []
        if not (res["icc1"] > 0 and res["p_value"] < 1 - level):
            problems.append(
                f"no reliable between-group variance (ICC(1)={res['icc1']:.3f}, "
                f"p={res['p_value']:.3g})"
            )
        if not rwg_med >= rwg_cutoff:
            problems.append(f"low within-group agreement (median rwg(j)={rwg_med:.2f})")
        supported = not problems
        notes = list(problems)
        if supported and res["icc2"] < 0.70:
            notes.append(f"group means are noisy (ICC(2)={res['icc2']:.2f} < .70)")
        if not notes:
            notes.append("aggregation supported")
        rows_out.append(
            {
                "item_set": name,
                "n_items": len(cols),
                **res,
                "rwg_j": rwg_med,
                "rwg_j_mean": float(rwg.mean()),
                "share_rwg_ok": share_ok,
                "supported": supported,
                "note": "; ".join(notes),
            }
        )
        if warn and not supported:
            warnings.warn(
                f"aggregating item set {name!r} to {cluster!r} is not supported: "
                + "; ".join(problems),
                AggregationWarning,
                stacklevel=2,
            )
    return pd.DataFrame(rows_out)


def _nested_icc(frame: pd.DataFrame, keys: list[str], subgroup: str, col: str) -> float:
    """ICC(1) of subgroups within groups from a nested one-way ANOVA (truncated at 0).

    MS_between subgroups within groups on (T - G) df against MS_within subgroups on (N - T) df;
    rho = (MSB - MSW) / (MSB + (k0 - 1) MSW), k0 the adjusted mean subgroup size.
    """
    sub_keys = [*keys, subgroup]
    y = frame[col].astype(float)
    g_mean = y.groupby([frame[k] for k in keys], sort=False).transform("mean")
    s_grp = y.groupby([frame[k] for k in sub_keys], sort=False)
    s_mean = s_grp.transform("mean")
    sizes = s_grp.size().to_numpy(float)
    n_tot, n_sub = float(len(y)), len(sizes)
    n_grp = frame.groupby(keys, sort=False, observed=True).ngroups
    if n_sub <= n_grp or n_tot <= n_sub:
        return 0.0
    msb = float(((s_mean - g_mean) ** 2).sum()) / (n_sub - n_grp)
    msw = float(((y - s_mean) ** 2).sum()) / (n_tot - n_sub)
    k0 = (n_tot - np.sum(sizes**2) / n_tot) / (n_sub - 1)
    rho = (msb - msw) / (msb + (k0 - 1.0) * msw)
    return float(max(rho, 0.0))


def group_scores(
    data: pd.DataFrame,
    by: str | Sequence[str],
    items: Sequence[str] | Mapping[str, Sequence[str]],
    min_answered: float = 0.5,
    min_group_size: int = 1,
    subgroup: str | None = None,
    weight: str | None = None,
) -> pd.DataFrame:
    """Average individual scale scores to groups (firms, firm-years, teams).

    The scale score of a respondent is the mean of the answered items (at least ``min_answered``
    of them); the group score is the mean of its respondents' scale scores, with ``n_<set>`` the
    number of respondents behind it and ``ev_<set> = MSW / n`` the sampling (error) variance of
    that mean, MSW being the pooled within-group variance of the scale score. ``ev_<set>`` is what
    :func:`cxresearch.linkage.panel.eiv_regression` needs to undo the attenuation that noisy group
    means
    cause. Check :func:`aggregation_indices` first. Reverse-keyed items must be recoded by the
    caller (:func:`cxresearch.core.contract.reverse_items`).

    If respondents are clustered within the group (``subgroup``, e.g. teams within a firm-year),
    members of a team resemble each other and the mean is less precise than MSW / n suggests:
    ``ev`` is then multiplied by Kish's design effect ``1 + (m_j - 1) rho`` (Kish 1965, sec.
    5.4), with m_j the mean number of respondents per subgroup in group j and rho the ICC(1) of
    subgroups among the within-group deviations.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    by : str or list of str
        The group key column(s): one row of output per group.
    items : list of str or mapping
        One item set, or a mapping ``name -> list of columns``.
    min_answered : float
        Share of a set's items a respondent must answer to be scored.
    min_group_size : int
        Groups with fewer scored respondents get a missing score.
    subgroup : str, optional
        A column of subgroups (teams) within each group, for the design effect.
    weight : str, optional
        A column of survey weights (non-negative; a missing weight drops the answer). The
        group score is then the weighted mean ``sum w y / sum w`` and its sampling variance
        ``MSW / n_eff`` with Kish's effective size ``n_eff = (sum w)^2 / sum w^2`` (Kish
        1965, sec. 11.7), MSW pooled around the weighted group means; equal weights give the
        unweighted result. Adds ``n_eff_<set>``.

    Returns
    -------
    DataFrame
        The key columns, then ``<set>, n_<set>, ev_<set>`` for each item set (and
        ``n_eff_<set>`` with ``weight``).

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.
    Bliese, P. D. (2000), see :func:`aggregation_indices`.

    Examples
    --------
    >>> d = pd.DataFrame({"firm": ["A", "A", "B", "B"], "q1": [4, 5, 2, 3], "q2": [4, None, 2, 2]})
    >>> group_scores(d, "firm", {"ex": ["q1", "q2"]})
      firm    ex  n_ex    ev_ex
    0    A  4.50     2  0.15625
    1    B  2.25     2  0.15625
    >>> d["w"] = [1.0, 3.0, 1.0, 1.0]
    >>> group_scores(d, "firm", {"ex": ["q1", "q2"]}, weight="w")["ex"].tolist()
    [4.75, 2.25]
    """
    keys = [by] if isinstance(by, str) else list(by)
    sets = _item_sets(items)
    all_cols = sorted({c for cols in sets.values() for c in cols})
    require_columns(data, [*keys, *all_cols] + ([subgroup] if subgroup else [])
                    + ([weight] if weight else []))
    require_numeric(data, all_cols + ([weight] if weight else []))
    frame = data[keys + ([subgroup] if subgroup else [])].copy()
    w = None
    if weight:
        w = data[weight].astype(float)
        bad = w < 0
        if bad.any():
            raise DataError(f"column {weight!r}: {int(bad.sum())} negative weight(s) at rows "
                            f"{first_rows(bad, data.index)}")
    for name, cols in sets.items():
        frame[name] = _scale_score(data, cols, min_answered)
        if w is not None:
            frame[name] = frame[name].where(w.notna())
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped[list(sets)].mean()
    n_eff: dict[str, pd.Series] = {}
    if w is not None:
        for name in sets:
            ok = frame[name].notna()
            wy = (w * frame[name]).where(ok)
            ws = w.where(ok)
            g_w = ws.groupby([frame[k] for k in keys], sort=True, observed=True)
            sum_w = g_w.sum()
            out[name] = (wy.groupby([frame[k] for k in keys], sort=True, observed=True).sum()
                         / sum_w.where(sum_w > 0)).reindex(out.index)
            n_eff[name] = (sum_w**2 / (ws**2).groupby([frame[k] for k in keys], sort=True,
                                                      observed=True).sum()).reindex(out.index)
    for name in sets:
        n = grouped[name].count()
        out[f"n_{name}"] = n
        centre = (grouped[name].transform("mean") if w is None else
                  frame[keys].merge(out[[name]], left_on=keys, right_index=True,
                                    how="left")[name].set_axis(frame.index))
        dev = frame[name] - centre
        df_within = float((n - 1).clip(lower=0).sum())
        msw = float((dev**2).sum() / df_within) if df_within > 0 else np.nan
        out[f"ev_{name}"] = msw / (n.where(n > 0) if w is None else n_eff[name])
        if w is not None:
            out[f"n_eff_{name}"] = n_eff[name]
        if subgroup:
            rho = _nested_icc(frame.loc[frame[name].notna()], keys, subgroup, name)
            ok = frame[name].notna()
            n_sub = frame.loc[ok].groupby(keys, sort=True, observed=True)[subgroup].nunique()
            m = n / n_sub.reindex(n.index)
            out[f"ev_{name}"] *= 1.0 + (m - 1.0) * rho
        out.loc[n < min_group_size, [name, f"ev_{name}"]] = np.nan
    ordered = [c for name in sets for c in (name, f"n_{name}", f"ev_{name}")
               + ((f"n_eff_{name}",) if w is not None else ())]
    return out[ordered].reset_index()


def add_group_key(
    data: pd.DataFrame,
    columns: Sequence[str] = ("firm_id", "year"),
    name: str = "firm_year",
    sep: str = "|",
) -> pd.DataFrame:
    """A copy of ``data`` with one string key joining ``columns`` (e.g. firm and year).

    ``key = str(c1) + sep + str(c2) + ...``, for :func:`aggregation_indices`, which takes one
    ``cluster`` column. The input is not modified.

    Parameters
    ----------
    data : DataFrame
        Any frame.
    columns : sequence of str
        Columns to join, in order.
    name : str
        Name of the new column.
    sep : str
        Separator between the parts.

    Returns
    -------
    DataFrame
        A copy of ``data`` with the key column added.

    Examples
    --------
    >>> d = pd.DataFrame({"firm_id": ["F1", "F2"], "year": [2020, 2021]})
    >>> add_group_key(d)["firm_year"].tolist()
    ['F1|2020', 'F2|2021']
    """
    columns = list(columns)
    if not columns:
        raise DataError("add_group_key: give at least one column in 'columns'")
    require_columns(data, columns)
    key = data[columns[0]].astype(str)
    for c in columns[1:]:
        key = key + sep + data[c].astype(str)
    return data.assign(**{name: key})


# --------------------------------------------------------------------------------------------
# random-intercept model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MixedModelResult(Result):
    """A random-intercept model for individuals nested in clusters (statsmodels ``MixedLM``).

    What :func:`multilevel_model` returns. ``fixed`` holds the fixed effects with Wald
    intervals at ``level``; :meth:`conf_int` recomputes them at any level from the estimates
    and their SEs.

    Parameters
    ----------
    fixed : DataFrame
        ``term, estimate, se, z, p_value, ci_low, ci_high``, one row per fixed effect.
    group_variance, residual_variance : float
        The random-intercept variance tau^2 and the residual variance sigma^2.
    n_obs, n_groups : int
        Individuals and clusters used.
    formula : str
        The fixed part of the model.
    converged : bool
        Whether the optimiser converged.
    level : float
        Confidence level of the intervals in ``fixed``.

    Returns
    -------
    MixedModelResult
        ``to_frame()``, ``conf_int(level=)``, ``summary()`` and the ``icc`` property.

    Examples
    --------
    >>> fixed = pd.DataFrame({"term": ["Intercept"], "estimate": [1.0], "se": [0.5],
    ...                       "z": [2.0], "p_value": [0.0455], "ci_low": [0.02],
    ...                       "ci_high": [1.98]})
    >>> r = MixedModelResult(fixed, group_variance=0.2, residual_variance=0.8, n_obs=100,
    ...                      n_groups=10, formula="y ~ 1", converged=True)
    >>> round(r.icc, 2), r.conf_int(0.9)[["ci_low", "ci_high"]].round(3).values.tolist()
    (0.2, [[0.178, 1.822]])
    """

    fixed: pd.DataFrame
    group_variance: float
    residual_variance: float
    n_obs: int
    n_groups: int
    formula: str
    converged: bool
    level: float = 0.95

    @property
    def icc(self) -> float:
        """Share of the residual variance between clusters: tau^2 / (tau^2 + sigma^2)."""
        return self.group_variance / (self.group_variance + self.residual_variance)

    def to_frame(self) -> pd.DataFrame:
        """The fixed effects: term, estimate, se, z, p_value, ci_low, ci_high."""
        return self.fixed.copy()

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Wald intervals ``estimate +- z se`` at ``level``: term, estimate, se, ci_low,
        ci_high, level."""
        lvl = check_level(level)
        z = z_crit(lvl)
        out = self.fixed[["term", "estimate", "se"]].copy()
        out["ci_low"] = out["estimate"] - z * out["se"]
        out["ci_high"] = out["estimate"] + z * out["se"]
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """A few lines: sample, variance components, ICC and each fixed effect."""
        lines = [
            f"MixedLM {self.formula}: {self.n_obs} obs in {self.n_groups} groups "
            f"(converged={self.converged})",
            f"  group variance {self.group_variance:.4f}, residual {self.residual_variance:.4f}, "
            f"ICC {self.icc:.3f}",
        ]
        for r in self.fixed.itertuples():
            lines.append(
                f"  {r.term}: {r.estimate:.4f} (SE {r.se:.4f}, "
                f"{100 * self.level:g}% CI {r.ci_low:.4f}..{r.ci_high:.4f})"
            )
        return "\n".join(lines)


def multilevel_model(
    data: pd.DataFrame,
    formula: str,
    cluster: str,
    reml: bool = True,
    *,
    level: float = 0.95,
) -> MixedModelResult:
    """Random-intercept linear model ``y_ij = x_ij' beta + u_j + e_ij`` fitted by (RE)ML.

    Individual responses nested in firms violate the independence that OLS assumes; the random
    intercept u_j ~ N(0, tau^2) absorbs the firm-level correlation (Raudenbush & Bryk 2002).
    Fitted with ``statsmodels.formula.api.mixedlm`` (BFGS, then Nelder-Mead if BFGS does not
    converge); Wald intervals at ``level`` use the model-based SEs. Rows with a missing value in
    a column the formula uses, or in ``cluster``, are dropped with a warning; other columns of
    ``data`` (e.g. a CES answer missing by design) do not drop rows.

    Parameters
    ----------
    data : DataFrame
        One row per individual.
    formula : str
        A patsy formula for the fixed part, e.g. ``"nps_z ~ ex_z"``.
    cluster : str
        The column that individuals are nested in (firm ids).
    reml : bool
        Restricted (True) or full maximum likelihood.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    MixedModelResult
        Fixed effects (``to_frame()``), variance components and the ICC.

    References
    ----------
    Raudenbush, S. W. & Bryk, A. S. (2002). *Hierarchical Linear Models*, 2nd ed. Sage.

    Examples
    --------
    >>> from cxresearch.simulate import simulate_nested
    >>> d = simulate_nested(n_groups=30, group_size=10, icc=0.3, n_items=1, seed=2)
    >>> fit = multilevel_model(d, "item_1 ~ 1", cluster="group")
    >>> round(fit.icc, 2)
    0.16
    """
    import statsmodels.formula.api as smf
    from scipy import stats

    level = check_level(level)
    require_columns(data, [cluster])
    model_cols = list(dict.fromkeys([*formula_columns(formula, data), cluster]))
    used = data.dropna(subset=model_cols)
    if len(used) < len(data):
        warnings.warn(
            f"multilevel_model: dropped {len(data) - len(used)} row(s) with missing values in "
            f"{model_cols}",
            UserWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(formula, used, groups=used[cluster])
        # L-BFGS can stop at the tau^2 = 0 boundary on well-behaved data; BFGS then
        # Nelder-Mead is the more reliable order here.
        fit = model.fit(reml=reml, method="bfgs")
        if not fit.converged:
            fit = model.fit(reml=reml, method="nm", maxiter=5000)
    names = list(fit.fe_params.index)
    se = fit.bse_fe[names]
    fixed = pd.DataFrame(
        {
            "term": names,
            "estimate": fit.fe_params.to_numpy(),
            "se": se.to_numpy(),
        }
    )
    fixed["z"] = fixed["estimate"] / fixed["se"]
    fixed["p_value"] = 2 * stats.norm.sf(np.abs(fixed["z"]))
    z = z_crit(level)
    fixed["ci_low"] = fixed["estimate"] - z * fixed["se"]
    fixed["ci_high"] = fixed["estimate"] + z * fixed["se"]
    return MixedModelResult(
        fixed=fixed,
        group_variance=float(fit.cov_re.iloc[0, 0]),
        residual_variance=float(fit.scale),
        n_obs=int(fit.nobs),
        n_groups=int(used[cluster].nunique()),
        formula=formula,
        converged=bool(fit.converged),
        level=level,
    )
