"""Linkage models: employee experience -> customer experience -> business outcomes.

The service-profit chain (Heskett, Jones, Loveman, Sasser & Schlesinger 1994, *Harvard Business
Review* 72(2)) says that employee experience (EX) drives customer experience (CX), which drives
revenue growth and lowers the cost to serve. Testing it needs four steps, each a function here:

- :func:`aggregation_indices` -- may individual answers be averaged to firms or units at all?
  ICC(1), ICC(2) (Bliese 2000) and rwg(j) (James, Demaree & Wolf 1984);
- :func:`group_scores` -- the aggregation itself (scale score per group with its n);
- :func:`multilevel_model` / :func:`linkage_regression` -- individual responses nested in firms
  (statsmodels ``MixedLM``) and firm-level regressions with cluster-robust standard errors;
- :func:`mediation` / :func:`sem_service_profit_chain` -- the indirect effect EX -> CX -> outcome,
  with a (cluster) bootstrap interval, and a latent-variable version in semopy;
- :func:`cross_lagged_panel` -- which comes first? EX(t) -> CX(t+1) against CX(t) -> EX(t+1)
  (the design of Schneider, Hanges, Smith & Salvaggio 2003, *J. Applied Psychology* 88(5)).

Two small generators with a known truth, :func:`simulate_nested` and :func:`simulate_var_panel`,
are used by the tests, the validation script and the power analysis.

Preparation and answer-key helpers for the notebooks: :func:`add_group_key`,
:func:`reverse_items`, :func:`mean_reliability`, :func:`true_score_z`, :func:`log_percent`,
:func:`firm_means`, :func:`mediation_by_outcome`, :func:`event_rate_by_group`,
:func:`nested_wave`, and :func:`true_linkage_effects`, :func:`true_cross_lagged_paths`,
:func:`true_chain_effects` (the simulation's ``truth`` in the units of each estimate).

All of these are correlational designs. A linkage coefficient is an association net of the
controls named; the cross-lagged panel orders effects in time but does not remove time-varying
confounders.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "AggregationWarning",
    "MediationResult",
    "MixedModelResult",
    "add_group_key",
    "add_lags",
    "aggregation_indices",
    "cross_lagged_panel",
    "eiv_regression",
    "event_rate_by_group",
    "firm_means",
    "group_scores",
    "linkage_model",
    "linkage_panel",
    "linkage_regression",
    "log_percent",
    "logit_associations",
    "mean_reliability",
    "mediation",
    "mediation_by_outcome",
    "multilevel_model",
    "nested_wave",
    "reverse_items",
    "sem_service_profit_chain",
    "simulate_latent_chain",
    "simulate_nested",
    "simulate_var_panel",
    "standardize",
    "true_chain_effects",
    "true_cross_lagged_paths",
    "true_linkage_effects",
    "true_score_z",
]

_Z975 = 1.959963984540054


class AggregationWarning(UserWarning):
    """Issued when the indices do not support averaging individual answers to groups."""


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------


def _require_columns(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what}: column(s) {missing} not found; available: {list(data.columns)[:30]}"
        )


def _require_numeric(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    for c in columns:
        if not pd.api.types.is_numeric_dtype(data[c]):
            raise ValueError(f"{what}: column {c!r} must be numeric, got dtype {data[c].dtype}")


def _first_rows(mask: pd.Series | np.ndarray, index: pd.Index, k: int = 5) -> list[Any]:
    return list(index[np.asarray(mask, dtype=bool)][:k])


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
            raise ValueError(f"items: item set {name!r} is empty")
    return out


def standardize(values: pd.Series) -> pd.Series:
    """z-score a series with the sample SD (ddof=1), ignoring missing values.

    >>> standardize(pd.Series([1.0, 2.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    sd = values.std(ddof=1)
    if not np.isfinite(sd) or sd == 0:
        raise ValueError(f"column {values.name!r}: cannot standardize, SD is {sd}")
    return (values - values.mean()) / sd


# --------------------------------------------------------------------------------------------
# aggregation: ICC(1), ICC(2), rwg(j)
# --------------------------------------------------------------------------------------------


def _scale_score(data: pd.DataFrame, cols: list[str], min_answered: float) -> pd.Series:
    answered = data[cols].notna().sum(axis=1)
    score = data[cols].mean(axis=1)
    return score.where(answered >= np.ceil(min_answered * len(cols)))


def _oneway_icc(y: np.ndarray, g: np.ndarray) -> dict[str, float]:
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
    f_lo = f_stat / stats.f.ppf(0.975, df1, df2)
    f_hi = f_stat * stats.f.ppf(0.975, df2, df1)
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


def _rwg_j(data: pd.DataFrame, cols: list[str], group: str, scale_points: int) -> pd.Series:
    """rwg(j) per group against the uniform (rectangular) null distribution."""
    sigma2_eu = (scale_points**2 - 1) / 12.0
    var = data.groupby(group, sort=True, observed=True)[cols].var(ddof=1)
    counts = data.groupby(group, sort=True, observed=True)[cols].count()
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
    group: str,
    items: Sequence[str] | Mapping[str, Sequence[str]],
    scale_points: int | Mapping[str, int] = 5,
    min_answered: float = 0.5,
    rwg_cutoff: float = 0.70,
    alpha: float = 0.05,
    warn: bool = True,
) -> pd.DataFrame:
    """ICC(1), ICC(2) and rwg(j): may individual answers be averaged to their group?

    For each item set the scale score (the mean of answered items; a respondent needs at least
    ``min_answered`` of the items) is split by a one-way ANOVA into between-group (MSB) and
    within-group (MSW) mean squares, with ``k0 = (N - sum n_j^2 / N) / (J - 1)`` the mean group
    size adjusted for unequal groups:

    - ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW): the share of individual variance that lies
      between groups (Bliese 2000, in Klein & Kozlowski (eds.), *Multilevel Theory, Research and
      Methods in Organizations*, pp. 349-381);
    - ICC(2) = (MSB - MSW) / MSB: the reliability of the group means (same source; equal to
      Spearman-Brown applied to ICC(1) with k0);
    - rwg(j) = J (1 - s2 / s2_EU) / [J (1 - s2 / s2_EU) + s2 / s2_EU] per group, with s2 the mean
      within-group item variance, J the number of items and s2_EU = (A^2 - 1) / 12 the variance of
      a uniform answer on A points (James, Demaree & Wolf 1984, *J. Applied Psychology* 69(1));
      groups with s2 > s2_EU are set to 0 (Lindell, Brandt & Whitney 1999, *Applied Psychological
      Measurement* 23(2)). The median and mean over groups are reported.

    Aggregation is flagged as supported when ICC(1) > 0 with a significant F test and the median
    rwg(j) reaches ``rwg_cutoff`` (.70 is the customary cut-off; LeBreton & Senter 2008,
    *Organizational Research Methods* 11(4)). ICC(2) below .70 is noted: group means are then
    noisy, which attenuates group-level correlations.

    Parameters
    ----------
    data : one row per respondent.
    group : the column that identifies the group (firm, team, firm-year).
    items : a list of item columns (one item set) or a mapping ``name -> list of columns``.
    scale_points : number of answer options A (5 for 1-5, 11 for 0-10), per item set if a mapping.
    warn : issue an :class:`AggregationWarning` for each item set that is not supported.

    Returns
    -------
    One row per item set: ``item_set, n_items, n_groups, n_respondents, mean_group_size, icc1,
    icc1_ci_low, icc1_ci_high, icc2, f_stat, p_value, rwg_j, rwg_j_mean, share_rwg_ok,
    supported, note``. The ICC(1) interval is the exact F-based one for balanced groups
    (McGraw & Wong 1996, case 1), approximate when group sizes differ.

    Example
    -------
    >>> d = simulate_nested(n_groups=40, group_size=15, icc=0.2, n_items=4, seed=1)
    >>> out = aggregation_indices(d, "group", ["item_1", "item_2", "item_3", "item_4"])
    >>> out[["icc1", "icc2", "rwg_j"]].round(2).iloc[0].tolist()
    [0.16, 0.75, 0.84]
    >>> bool(out["supported"].iloc[0])
    True
    """
    sets = _item_sets(items)
    all_cols = sorted({c for cols in sets.values() for c in cols})
    _require_columns(data, [group, *all_cols])
    _require_numeric(data, all_cols)
    if data[group].isna().any():
        rows = _first_rows(data[group].isna(), data.index)
        raise ValueError(f"column {group!r}: missing group ids at rows {rows}")
    rows_out = []
    for name, cols in sets.items():
        points = scale_points[name] if isinstance(scale_points, Mapping) else scale_points
        if int(points) < 2:
            raise ValueError(f"scale_points for item set {name!r} must be >= 2, got {points}")
        score = _scale_score(data, cols, min_answered)
        ok = score.notna()
        y = score[ok].to_numpy(float)
        g = data.loc[ok, group].to_numpy()
        n_groups = len(pd.unique(g))
        if n_groups < 2 or len(y) <= n_groups:
            raise ValueError(
                f"item set {name!r}: need at least 2 groups and more respondents than groups "
                f"(got {n_groups} groups, {len(y)} scored respondents)"
            )
        res = _oneway_icc(y, g)
        rwg = _rwg_j(data.loc[ok], cols, group, int(points))
        rwg_med = float(rwg.median()) if rwg.notna().any() else np.nan
        share_ok = float((rwg >= rwg_cutoff).mean()) if rwg.notna().any() else np.nan
        problems = []
        if not (res["icc1"] > 0 and res["p_value"] < alpha):
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
                f"aggregating item set {name!r} to {group!r} is not supported: "
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
) -> pd.DataFrame:
    """Average individual scale scores to groups (firms, firm-years, teams).

    The scale score of a respondent is the mean of the answered items (at least ``min_answered``
    of them); the group score is the mean of its respondents' scale scores, with ``n_<set>`` the
    number of respondents behind it and ``ev_<set> = MSW / n`` the sampling (error) variance of
    that mean, MSW being the pooled within-group variance of the scale score. ``ev_<set>`` is what
    :func:`eiv_regression` needs to undo the attenuation that noisy group means cause. Check
    :func:`aggregation_indices` first. Reverse-keyed items must be recoded by the caller
    (``6 - x`` on a 1-5 scale).

    If respondents are clustered within the group (``subgroup``, e.g. teams within a firm-year),
    members of a team resemble each other and the mean is less precise than MSW / n suggests:
    ``ev`` is then multiplied by Kish's design effect ``1 + (m_j - 1) rho`` (Kish 1965, *Survey
    Sampling*, sec. 5.4), with m_j the mean number of respondents per subgroup in group j and rho
    the ICC(1) of subgroups among the within-group deviations.

    >>> d = pd.DataFrame({"firm": ["A", "A", "B", "B"], "q1": [4, 5, 2, 3], "q2": [4, None, 2, 2]})
    >>> group_scores(d, "firm", {"ex": ["q1", "q2"]})
      firm    ex  n_ex    ev_ex
    0    A  4.50     2  0.15625
    1    B  2.25     2  0.15625
    """
    keys = [by] if isinstance(by, str) else list(by)
    sets = _item_sets(items)
    all_cols = sorted({c for cols in sets.values() for c in cols})
    _require_columns(data, [*keys, *all_cols] + ([subgroup] if subgroup else []))
    _require_numeric(data, all_cols)
    frame = data[keys + ([subgroup] if subgroup else [])].copy()
    for name, cols in sets.items():
        frame[name] = _scale_score(data, cols, min_answered)
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped[list(sets)].mean()
    for name in sets:
        n = grouped[name].count()
        out[f"n_{name}"] = n
        dev = frame[name] - grouped[name].transform("mean")
        df_within = float((n - 1).clip(lower=0).sum())
        msw = float((dev**2).sum() / df_within) if df_within > 0 else np.nan
        out[f"ev_{name}"] = msw / n.where(n > 0)
        if subgroup:
            rho = _nested_icc(frame.loc[frame[name].notna()], keys, subgroup, name)
            ok = frame[name].notna()
            n_sub = frame.loc[ok].groupby(keys, sort=True, observed=True)[subgroup].nunique()
            m = n / n_sub.reindex(n.index)
            out[f"ev_{name}"] *= 1.0 + (m - 1.0) * rho
        out.loc[n < min_group_size, [name, f"ev_{name}"]] = np.nan
    ordered = [c for name in sets for c in (name, f"n_{name}", f"ev_{name}")]
    return out[ordered].reset_index()


def add_lags(
    panel: pd.DataFrame, unit: str, time: str, columns: Sequence[str], suffix: str = "_lag"
) -> pd.DataFrame:
    """Return a copy sorted by unit and time with ``<col>_lag`` = the value one period earlier.

    Only consecutive periods are paired: if period t-1 is missing for a unit, the lag is NA.

    >>> p = pd.DataFrame({"u": ["a", "a", "a", "b"], "t": [1, 2, 4, 1], "x": [1.0, 2.0, 3.0, 4.0]})
    >>> add_lags(p, "u", "t", ["x"])["x_lag"].tolist()
    [nan, 1.0, nan, nan]
    """
    _require_columns(panel, [unit, time, *columns], "panel")
    df = panel.sort_values([unit, time]).reset_index(drop=True)
    prev = df.groupby(unit, sort=False)[[time, *columns]].shift(1)
    consecutive = (df[time] - prev[time]) == 1
    for c in columns:
        df[f"{c}{suffix}"] = prev[c].where(consecutive)
    return df


def linkage_panel(
    firm_years: pd.DataFrame,
    employees: pd.DataFrame,
    customers: pd.DataFrame,
    ex_items: Sequence[str] = tuple(
        [f"culture_{k}" for k in range(1, 7)] + [f"engagement_{k}" for k in range(1, 6)]
    ),
    cx_items: Sequence[str] = ("nps", "csat", "ces"),
    reverse_keyed: Mapping[str, int] | None = None,
    unit: str = "firm_id",
    time: str = "year",
    team: str | None = "team_id",
) -> pd.DataFrame:
    """Firm-year panel of employee (EX) and customer (CX) experience scores plus outcomes.

    - EX: each employee's mean of ``ex_items`` (reverse-keyed items recoded ``lo + hi - x`` with
      ``reverse_keyed = {item: lo + hi}``; default ``{"culture_4": 6}``, the study's
      reverse-keyed item), averaged per firm-year;
    - CX: each customer's mean of the z-scored ``cx_items`` (answered ones; z over all
      respondents, so that 0-10, 1-5 and 1-7 scales weigh equally), averaged per firm-year.

    Columns ``n_ex, ev_ex, n_cx, ev_cx`` give the respondents and the sampling variance of each
    mean (see :func:`group_scores`; with ``team`` present in ``employees`` the EX variance
    includes the design effect of sampling whole teams), which :func:`eiv_regression` and
    :func:`cross_lagged_panel` use to correct for unreliable firm-year means. The result is
    ``firm_years`` (left join, sorted by unit and time) with these columns added.

    >>> fy = pd.DataFrame({"firm_id": ["F1", "F2"], "year": [2020, 2020], "revenue": [1.0, 2.0]})
    >>> emp = pd.DataFrame({"firm_id": ["F1", "F1", "F2", "F2"], "year": [2020] * 4,
    ...                     "q": [4, 5, 2, 3]})
    >>> cus = pd.DataFrame({"firm_id": ["F1", "F1", "F2", "F2"], "year": [2020] * 4,
    ...                     "nps": [9, 10, 3, 6]})
    >>> linkage_panel(fy, emp, cus, ex_items=["q"], cx_items=["nps"], reverse_keyed={})[
    ...     ["firm_id", "ex", "cx"]].round(3)
      firm_id   ex     cx
    0      F1  4.5  0.791
    1      F2  2.5 -0.791
    """
    ex_items, cx_items = list(ex_items), list(cx_items)
    rev = {"culture_4": 6} if reverse_keyed is None else dict(reverse_keyed)
    team = team if team is not None and team in employees.columns else None
    _require_columns(employees, [unit, time, *ex_items], "employees")
    _require_columns(customers, [unit, time, *cx_items], "customers")
    _require_columns(firm_years, [unit, time], "firm_years")
    emp = employees[[unit, time, *ex_items] + ([team] if team else [])].copy()
    for item, total in rev.items():
        if item in emp.columns:
            emp[item] = total - emp[item]
    cus = customers[[unit, time, *cx_items]].copy()
    _require_numeric(cus, cx_items, "customers")
    for c in cx_items:
        cus[c] = standardize(cus[c].astype(float))
    ex = group_scores(emp, [unit, time], {"ex": ex_items}, subgroup=team)
    cx = group_scores(cus, [unit, time], {"cx": cx_items})
    out = firm_years.merge(ex, on=[unit, time], how="left").merge(cx, on=[unit, time], how="left")
    return out.sort_values([unit, time]).reset_index(drop=True)


def simulate_nested(
    n_groups: int = 50,
    group_size: int | Sequence[int] = 20,
    icc: float = 0.2,
    n_items: int = 4,
    loading: float = 0.8,
    scale_points: int = 5,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Likert items for respondents nested in groups, with a known ICC of the latent trait.

    The latent trait is ``u_j + e_ij`` with Var(u) = icc and Var(e) = 1 - icc; each item is
    ``loading * trait + sqrt(1 - loading^2) * noise``, cut into ``scale_points`` categories at
    equally spaced thresholds (-1.5..1.5 SD for 5 points). Used by the tests and power analysis.

    >>> simulate_nested(n_groups=2, group_size=2, n_items=2, seed=0).shape
    (4, 4)
    """
    rng = np.random.default_rng(seed)
    if not 0 <= icc < 1:
        raise ValueError(f"icc must be in [0, 1), got {icc}")
    sizes = (
        np.full(n_groups, int(group_size))
        if np.isscalar(group_size)
        else np.asarray(group_size, dtype=int)
    )
    if len(sizes) != n_groups:
        raise ValueError(f"group_size has {len(sizes)} entries, expected n_groups={n_groups}")
    g = np.repeat(np.arange(n_groups), sizes)
    u = rng.normal(0.0, np.sqrt(icc), n_groups)
    trait = u[g] + rng.normal(0.0, np.sqrt(1 - icc), len(g))
    cuts = np.linspace(-1.5, 1.5, scale_points - 1)
    out = {"group": [f"G{i + 1:03d}" for i in g], "respondent": np.arange(len(g))}
    for k in range(n_items):
        x = loading * trait + np.sqrt(1 - loading**2) * rng.normal(size=len(g))
        out[f"item_{k + 1}"] = np.searchsorted(cuts, x) + 1
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------------
# multilevel and cluster-robust regressions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MixedModelResult:
    """A random-intercept model for individuals nested in groups (statsmodels ``MixedLM``)."""

    fixed: pd.DataFrame
    group_variance: float
    residual_variance: float
    n_obs: int
    n_groups: int
    formula: str
    converged: bool

    @property
    def icc(self) -> float:
        """Share of the residual variance between groups: tau^2 / (tau^2 + sigma^2)."""
        return self.group_variance / (self.group_variance + self.residual_variance)

    def to_frame(self) -> pd.DataFrame:
        """The fixed effects: term, estimate, se, z, p_value, ci_low, ci_high."""
        return self.fixed.copy()

    def summary(self) -> str:
        lines = [
            f"MixedLM {self.formula}: {self.n_obs} obs in {self.n_groups} groups "
            f"(converged={self.converged})",
            f"  group variance {self.group_variance:.4f}, residual {self.residual_variance:.4f}, "
            f"ICC {self.icc:.3f}",
        ]
        for r in self.fixed.itertuples():
            lines.append(
                f"  {r.term}: {r.estimate:.4f} (SE {r.se:.4f}, "
                f"95% CI {r.ci_low:.4f}..{r.ci_high:.4f})"
            )
        return "\n".join(lines)


def multilevel_model(
    data: pd.DataFrame, formula: str, group: str, reml: bool = True
) -> MixedModelResult:
    """Random-intercept linear model ``y_ij = x_ij' beta + u_j + e_ij`` fitted by (RE)ML.

    Individual responses nested in firms violate the independence that OLS assumes; the random
    intercept u_j ~ N(0, tau^2) absorbs the firm-level correlation (Raudenbush & Bryk 2002,
    *Hierarchical Linear Models*, 2nd ed.). Fitted with ``statsmodels.formula.api.mixedlm``;
    Wald intervals use the model-based SEs.

    >>> d = simulate_nested(n_groups=30, group_size=10, icc=0.3, n_items=1, seed=2)
    >>> fit = multilevel_model(d, "item_1 ~ 1", group="group")
    >>> round(fit.icc, 2)
    0.16
    """
    import statsmodels.formula.api as smf

    _require_columns(data, [group])
    used = data.dropna()
    if len(used) < len(data):
        warnings.warn(
            f"multilevel_model: dropped {len(data) - len(used)} row(s) with missing values",
            UserWarning,
            stacklevel=2,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(formula, used, groups=used[group])
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
    from scipy import stats

    fixed["p_value"] = 2 * stats.norm.sf(np.abs(fixed["z"]))
    fixed["ci_low"] = fixed["estimate"] - _Z975 * fixed["se"]
    fixed["ci_high"] = fixed["estimate"] + _Z975 * fixed["se"]
    return MixedModelResult(
        fixed=fixed,
        group_variance=float(fit.cov_re.iloc[0, 0]),
        residual_variance=float(fit.scale),
        n_obs=int(fit.nobs),
        n_groups=int(used[group].nunique()),
        formula=formula,
        converged=bool(fit.converged),
    )


def linkage_regression(
    data: pd.DataFrame,
    formula: str,
    cluster: str | None = None,
    cov_type: str = "HC3",
) -> pd.DataFrame:
    """OLS with cluster-robust (or heteroskedasticity-robust) standard errors, as a tidy frame.

    With ``cluster`` the sandwich is ``V = c (X'X)^-1 [sum_g X_g' e_g e_g' X_g] (X'X)^-1`` with
    ``c = G/(G-1) * (N-1)/(N-K)`` (Liang & Zeger 1986, *Biometrika* 73(1); Cameron & Miller 2015,
    *J. Human Resources* 50(2)), and intervals use t with G - 1 degrees of freedom. Without it,
    ``cov_type`` (HC3 by default; MacKinnon & White 1985) is used. Few clusters (< 30-40) make
    cluster-robust SEs too small; the ``n_clusters`` column is there to check.

    Returns columns ``term, estimate, se, t, p_value, ci_low, ci_high, n_obs, n_clusters``.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200), "g": np.repeat(np.arange(20), 10)})
    >>> d["y"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> out = linkage_regression(d, "y ~ x", cluster="g")
    >>> round(float(out.loc[out.term == "x", "estimate"].iloc[0]), 2)
    0.43
    """
    import re

    import statsmodels.formula.api as smf
    from scipy import stats

    cols = [cluster] if cluster else []
    _require_columns(data, cols)
    # Drop incomplete rows *before* patsy sees the data, so that categorical levels present only
    # in dropped rows (e.g. the first year when a lag is used) do not make the design singular.
    tokens = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", formula))
    used_cols = [c for c in data.columns if c in tokens] + cols
    data = data.dropna(subset=used_cols)
    model = smf.ols(formula, data)
    used_index = model.data.row_labels
    n = len(used_index)
    if cluster:
        groups = data.loc[used_index, cluster]
        if groups.isna().any():
            rows = _first_rows(groups.isna(), groups.index)
            raise ValueError(f"column {cluster!r}: missing cluster ids at rows {rows}")
        codes = pd.factorize(groups)[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes, "use_correction": True})
        n_clusters = int(codes.max() + 1)
        dof = n_clusters - 1
    else:
        fit = model.fit(cov_type=cov_type)
        n_clusters = n
        dof = int(fit.df_resid)
    t_crit = stats.t.ppf(0.975, dof)
    out = pd.DataFrame(
        {
            "term": fit.params.index,
            "estimate": fit.params.to_numpy(),
            "se": fit.bse.to_numpy(),
        }
    )
    out["t"] = out["estimate"] / out["se"]
    out["p_value"] = 2 * stats.t.sf(np.abs(out["t"]), dof)
    out["ci_low"] = out["estimate"] - t_crit * out["se"]
    out["ci_high"] = out["estimate"] + t_crit * out["se"]
    out["n_obs"] = n
    out["n_clusters"] = n_clusters
    return out


# --------------------------------------------------------------------------------------------
# mediation: EX -> CX -> outcome
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediationResult:
    """Product-of-coefficients mediation with bootstrap intervals."""

    exposure: str
    mediator: str
    outcome: str
    estimates: pd.DataFrame
    n_obs: int
    n_boot: int
    cluster: str | None = None
    boot_indirect: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)

    @property
    def indirect(self) -> float:
        return float(self.estimates.set_index("effect").loc["indirect", "estimate"])

    def to_frame(self) -> pd.DataFrame:
        """One row per effect: a, b, direct, total, indirect, prop_mediated."""
        return self.estimates.copy()

    def summary(self) -> str:
        e = self.estimates.set_index("effect")
        ind = e.loc["indirect"]
        boot = f"{'cluster ' if self.cluster else ''}bootstrap, {self.n_boot} draws"
        return (
            f"{self.exposure} -> {self.mediator} -> {self.outcome} (n={self.n_obs}): "
            f"indirect {ind.estimate:.4f} [95% CI {ind.ci_low:.4f}, {ind.ci_high:.4f}] ({boot}); "
            f"direct {e.loc['direct', 'estimate']:.4f}, total {e.loc['total', 'estimate']:.4f}"
        )


def _ols_coefs(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(x, y, rcond=None)[0]


def _mediation_point(
    xe: np.ndarray, m: np.ndarray, y: np.ndarray, covs: np.ndarray
) -> tuple[float, float, float, float]:
    ones = np.ones((len(y), 1))
    xa = np.column_stack([ones, xe, covs])
    a = _ols_coefs(xa, m)[1]
    xb = np.column_stack([ones, xe, m, covs])
    coef_b = _ols_coefs(xb, y)
    direct, b = coef_b[1], coef_b[2]
    total = _ols_coefs(xa, y)[1]
    return float(a), float(b), float(direct), float(total)


def mediation(
    data: pd.DataFrame,
    exposure: str,
    mediator: str,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    n_boot: int = 1000,
    seed: int | None = 0,
) -> MediationResult:
    """Indirect effect of ``exposure`` on ``outcome`` through ``mediator`` (a*b), bootstrapped.

    Two OLS regressions, ``M = i1 + a X + C g1 + e1`` and ``Y = i2 + c' X + b M + C g2 + e2``;
    the indirect effect is ``a b`` and the total ``c = c' + a b`` (exactly, for OLS on the same
    rows). Intervals are percentile bootstrap intervals (Preacher & Hayes 2008, *Behavior
    Research Methods* 40(3)); with ``cluster`` whole clusters (firms) are resampled, so repeated
    firm-years are not treated as independent (Field & Welsh 2007, *JRSS B* 69(3)). SEs are the
    bootstrap SDs. For linear models this equals the ACME of Imai, Keele & Tingley (2010,
    *Psychological Methods* 15(4)) as computed by ``statsmodels.stats.mediation.Mediation``.

    The causal reading needs no unmeasured confounding of X-M, X-Y and M-Y; with survey data
    this is an assumption, not a result.

    >>> rng = np.random.default_rng(3)
    >>> d = pd.DataFrame({"ex": rng.normal(size=300)})
    >>> d["cx"] = 0.5 * d["ex"] + rng.normal(size=300)
    >>> d["growth"] = 0.4 * d["cx"] + rng.normal(size=300)
    >>> res = mediation(d, "ex", "cx", "growth", n_boot=200, seed=1)
    >>> round(res.indirect, 2)
    0.25
    """
    covariates = list(covariates)
    cols = [exposure, mediator, outcome, *covariates]
    _require_columns(data, cols + ([cluster] if cluster else []))
    _require_numeric(data, [exposure, mediator, outcome])
    used = data[list(dict.fromkeys(cols + ([cluster] if cluster else [])))].dropna()
    if len(used) < len(covariates) + 4:
        raise ValueError(f"mediation: only {len(used)} complete rows for columns {cols}")
    xe = used[exposure].to_numpy(float)
    m = used[mediator].to_numpy(float)
    y = used[outcome].to_numpy(float)
    cov_blocks = [np.zeros((len(used), 0))]
    for c in covariates:  # categorical covariates (industry, size band) enter as dummies
        if pd.api.types.is_numeric_dtype(used[c]) and not pd.api.types.is_bool_dtype(used[c]):
            cov_blocks.append(used[[c]].to_numpy(float))
        else:
            cov_blocks.append(_dummies(used[c], c).to_numpy())
    covs = np.hstack(cov_blocks)
    a, b, direct, total = _mediation_point(xe, m, y, covs)
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, 4))
    if cluster:
        codes, uniq = pd.factorize(used[cluster])
        members = [np.flatnonzero(codes == k) for k in range(len(uniq))]
        if len(uniq) < 10:
            raise ValueError(f"cluster {cluster!r}: {len(uniq)} clusters are too few to resample")
    for r in range(n_boot):
        if cluster:
            pick = rng.integers(0, len(members), len(members))
            idx = np.concatenate([members[k] for k in pick])
        else:
            idx = rng.integers(0, len(y), len(y))
        boot[r] = _mediation_point(xe[idx], m[idx], y[idx], covs[idx])
    ab_boot = boot[:, 0] * boot[:, 1]
    rows = {
        "a": (a, boot[:, 0]),
        "b": (b, boot[:, 1]),
        "direct": (direct, boot[:, 2]),
        "total": (total, boot[:, 3]),
        "indirect": (a * b, ab_boot),
    }
    recs = []
    for name, (est, draws) in rows.items():
        lo, hi = np.quantile(draws, [0.025, 0.975])
        recs.append(
            {
                "effect": name,
                "estimate": est,
                "se": float(np.std(draws, ddof=1)),
                "ci_low": float(lo),
                "ci_high": float(hi),
            }
        )
    prop = a * b / total if total != 0 else np.nan
    recs.append(
        {"effect": "prop_mediated", "estimate": prop, "se": np.nan, "ci_low": np.nan,
         "ci_high": np.nan}
    )
    return MediationResult(
        exposure=exposure,
        mediator=mediator,
        outcome=outcome,
        estimates=pd.DataFrame(recs),
        n_obs=len(used),
        n_boot=n_boot,
        cluster=cluster,
        boot_indirect=ab_boot,
    )


def simulate_latent_chain(
    n: int = 400,
    a: float = 0.5,
    b: float = 0.4,
    direct: float = 0.1,
    indicator_noise: float = 0.7,
    rng: np.random.Generator | int | None = 0,
) -> pd.DataFrame:
    """Indicators of a latent service-profit chain with known paths (for tests and validation).

    ``EX ~ N(0, 1)``, ``CX = a EX + e`` (sd 0.8), ``y = b CX + direct EX + e`` (sd 1); three
    indicators ``e0..e2`` of EX and ``c0..c2`` of CX, each the latent score plus
    ``N(0, indicator_noise^2)``. The indirect effect is ``a * b``. ``rng`` may be a Generator (its
    stream is continued) or a seed.

    >>> d = simulate_latent_chain(n=5, rng=1)
    >>> list(d.columns)
    ['e0', 'e1', 'e2', 'c0', 'c1', 'c2', 'y']
    """
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    ex = gen.normal(size=n)
    cx = a * ex + gen.normal(scale=0.8, size=n)
    y = b * cx + direct * ex + gen.normal(size=n)
    d = pd.DataFrame({f"e{k}": ex + gen.normal(scale=indicator_noise, size=n) for k in range(3)})
    for k in range(3):
        d[f"c{k}"] = cx + gen.normal(scale=indicator_noise, size=n)
    d["y"] = y
    return d


#: SLSQP stopping tolerance for the SEM fit. semopy's default (``ftol=1e-6``) stops where the
#: objective has flattened to six digits, which left the third decimal of the paths to the CPU's
#: floating-point kernels; 1e-12 on standardized inputs settles every printed digit.
SEM_FTOL = 1e-12


def _sem_fit(data: pd.DataFrame, desc: str) -> Any:
    """Fit a semopy model by ML (MLW) with a tight tolerance; refuse an unconverged fit."""
    import semopy

    model = semopy.Model(desc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(data, obj="MLW", solver="SLSQP",
                        options={"ftol": SEM_FTOL, "maxiter": 100_000})
    if not res.success:
        raise RuntimeError(f"sem_service_profit_chain: the ML fit did not converge ({res.message})")
    return model


def sem_service_profit_chain(
    data: pd.DataFrame,
    ex_items: Sequence[str],
    cx_items: Sequence[str],
    outcome: str,
    standardized: bool = False,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """A latent-variable service-profit chain: EX =~ items, CX =~ items, EX -> CX -> Y.

    Model (lavaan syntax)::

        EX =~ ex_1 + ... ;  CX =~ cx_1 + ...
        CX ~ a*EX ;  Y ~ b*CX + c*EX ;  indirect := a*b

    What it adds over :func:`mediation` on averaged scores: the measurement error of the scale
    scores is modelled, so a and b are not attenuated by unreliability (Bollen 1989, *Structural
    Equations with Latent Variables*, ch. 5).

    How it is fitted, so that every printed digit is settled on any CPU:

    - the observed variables are z-scored first (maximum likelihood is scale-equivariant for this
      model, so nothing changes but the conditioning: survey means with variances near 0.04 and
      revenue growth with a variance near 20 make a badly scaled problem);
    - each factor is scaled by its first item (loading 1), the ML fit (semopy, ``MLW``) runs
      with SLSQP at ``ftol = SEM_FTOL`` (1e-12), and an unconverged fit raises;
    - the paths are then put back in the units asked for: ``standardized=True`` gives the
      completely standardized solution (lavaan's ``std.all``),
      ``a* = a sqrt(phi / var CX)``, ``b* = b sd(CX) / sd(Y)``, ``c* = c sd(EX) / sd(Y)``,
      with model-implied variances; ``standardized=False`` gives the paths in the raw units of
      the first items and the outcome;
    - standard errors come from the expected-information covariance of the parameters by the
      delta method (the same method as lavaan's ``standardizedSolution()``), so a standardized
      estimate always comes with a standardized SE. Intervals are normal (Wald) at ``level``.

    Checked against lavaan 0.6 (``sem()``, ``standardizedSolution()``) in the tests.

    Parameters
    ----------
    data : DataFrame
        One row per unit (firm, store), the item means and the outcome.
    ex_items, cx_items : sequence of str
        Indicators of EX and of CX (at least 2 each); the first item scales its factor.
    outcome : str
        The observed outcome Y.
    standardized : bool
        Completely standardized paths (True) or raw units (False).
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        Rows ``a``, ``b``, ``direct`` and ``indirect`` with ``estimate, se, ci_low, ci_high,
        p_value``, the fit indices ``cfi, rmsea`` and ``n_obs`` repeated on each row.

    References
    ----------
    Bollen, K. A. (1989). *Structural Equations with Latent Variables*. Wiley.
    Sobel, M. E. (1982). Asymptotic confidence intervals for indirect effects in structural
    equation models. *Sociological Methodology* 13, 290-312.

    Examples
    --------
    >>> rng = np.random.default_rng(4)
    >>> n = 400
    >>> ex = rng.normal(size=n); cx = 0.6 * ex + rng.normal(scale=0.8, size=n)
    >>> y = 0.5 * cx + rng.normal(size=n)
    >>> d = pd.DataFrame({f"e{k}": ex + rng.normal(scale=0.6, size=n) for k in range(3)})
    >>> for k in range(3):
    ...     d[f"c{k}"] = cx + rng.normal(scale=0.6, size=n)
    >>> d["y"] = y
    >>> out = sem_service_profit_chain(d, ["e0", "e1", "e2"], ["c0", "c1", "c2"], "y")
    >>> out.set_index("path").loc[["a", "b"], "estimate"].round(1).tolist()
    [0.6, 0.5]
    """
    import semopy
    from scipy import stats

    ex_items, cx_items = list(ex_items), list(cx_items)
    cols = [*ex_items, *cx_items, outcome]
    _require_columns(data, cols)
    _require_numeric(data, cols)
    if len(ex_items) < 2 or len(cx_items) < 2:
        raise ValueError("sem_service_profit_chain: need at least 2 items for EX and for CX")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    rename = {c: f"v{i}" for i, c in enumerate(cols)}
    raw = data[cols].astype("float64").dropna()
    sd = raw.std(ddof=0)
    if (sd <= 0).any():
        raise ValueError(f"sem_service_profit_chain: column(s) {list(sd.index[sd <= 0])} "
                         "do not vary")
    used = ((raw - raw.mean()) / sd).rename(columns=rename)
    y = rename[outcome]
    desc = (
        f"EX =~ {' + '.join(rename[c] for c in ex_items)}\n"
        f"CX =~ {' + '.join(rename[c] for c in cx_items)}\n"
        f"CX ~ p_a*EX\n{y} ~ p_b*CX + p_c*EX\n"
        f"EX ~~ p_phi*EX\nCX ~~ p_psic*CX\n{y} ~~ p_psiy*{y}\n"
    )
    model = _sem_fit(used, desc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, fim_inv = model.calc_fim(inverse=True)
        fit_stats = semopy.calc_stats(model)
    active = [k for k, p in model.parameters.items() if p.active]
    idx = [active.index(k) for k in ("p_a", "p_b", "p_c", "p_phi", "p_psic", "p_psiy")]
    theta = np.asarray(model.param_vals, dtype=float)[idx]
    vcov = np.asarray(fim_inv, dtype=float)[np.ix_(idx, idx)]
    # raw units: factor EX in units of the first EX item, CX of the first CX item
    s_e, s_c, s_y = (float(sd[ex_items[0]]), float(sd[cx_items[0]]), float(sd[outcome]))

    def paths(t: np.ndarray) -> np.ndarray:
        a, b, c, phi, psic, psiy = t
        if standardized:
            var_cx = a * a * phi + psic
            var_y = b * b * var_cx + c * c * phi + 2 * b * c * a * phi + psiy
            a, b, c = (a * np.sqrt(phi / var_cx), b * np.sqrt(var_cx / var_y),
                       c * np.sqrt(phi / var_y))
        else:
            a, b, c = a * s_c / s_e, b * s_y / s_c, c * s_y / s_e
        return np.array([a, b, c, a * b])

    est = paths(theta)
    jac = np.empty((4, theta.size))
    for j in range(theta.size):  # central differences of a smooth closed form
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        jac[:, j] = (paths(up) - paths(down)) / (2 * h)
    se = np.sqrt(np.clip(np.diag(jac @ vcov @ jac.T), 0, None))
    z = float(stats.norm.ppf(0.5 + level / 2))
    out = pd.DataFrame({"path": ["a", "b", "direct", "indirect"], "estimate": est, "se": se})
    out["ci_low"] = out["estimate"] - z * out["se"]
    out["ci_high"] = out["estimate"] + z * out["se"]
    out["p_value"] = np.where(out["se"] > 0,
                              2 * stats.norm.sf(np.abs(out["estimate"] / out["se"])), np.nan)
    out["cfi"] = float(fit_stats["CFI"].iloc[0])
    out["rmsea"] = float(fit_stats["RMSEA"].iloc[0])
    out["n_obs"] = len(used)
    return out


# --------------------------------------------------------------------------------------------
# cross-lagged panel
# --------------------------------------------------------------------------------------------


def _dummies(values: pd.Series, prefix: str) -> pd.DataFrame:
    return pd.get_dummies(values.astype(str), prefix=prefix, drop_first=True, dtype=float)


def _leverage(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal basis of the column space of z (rank-revealing SVD) and the leverages."""
    if z.shape[1] == 0:
        return np.zeros((z.shape[0], 0)), np.zeros(z.shape[0])
    u, sv, _ = np.linalg.svd(z, full_matrices=False)
    keep = sv > sv.max() * max(z.shape) * np.finfo(float).eps
    u = u[:, keep]
    return u, np.sum(u**2, axis=1)


def _error_moments(
    ids: list[np.ndarray],
    evs: list[np.ndarray],
    has_error: list[bool],
    clusters: np.ndarray,
    unit_codes: np.ndarray | None,
    unit_sizes: np.ndarray | None,
    basis: np.ndarray,
    n_clusters: int,
) -> np.ndarray:
    """Per-cluster E[U' M U] (n_clusters x k x k) for measurement errors tied to ids.

    ``U[:, j] = A_j e`` where row i of predictor j carries the error of measurement ``ids[j][i]``
    (variance ``evs[j][i]``), and ``M = I - P_units - B B'`` is the annihilator of the partialled
    effects. A measurement that appears in several rows or predictors (a firm-year mean used
    both as x(t) and as the lag of x(t+1)) then gets its exact cross terms.
    """
    k = len(ids)
    out = np.zeros((n_clusters, k, k))
    n = len(clusters)
    # per predictor: frame of (id, row) for rows that carry error
    per = []
    for j in range(k):
        if not has_error[j]:
            per.append(None)
            continue
        per.append(pd.DataFrame({"id": ids[j], "row": np.arange(n), "ev": evs[j]}))
    for j in range(k):
        if per[j] is None:
            continue
        for m in range(j, k):
            if per[m] is None:
                continue
            pair = per[j].merge(per[m][["id", "row"]], on="id", suffixes=("", "_m"))
            if pair.empty:
                continue
            ri, rm = pair["row"].to_numpy(), pair["row_m"].to_numpy()
            ev = pair["ev"].to_numpy()
            w = (ri == rm).astype(float)
            if unit_codes is not None:
                same_unit = unit_codes[ri] == unit_codes[rm]
                w = w - same_unit / unit_sizes[unit_codes[ri]]
            if basis.shape[1]:
                w = w - np.sum(basis[ri] * basis[rm], axis=1)
            contrib = np.bincount(clusters[ri], weights=ev * w, minlength=n_clusters)
            out[:, j, m] += contrib
            if m != j:
                out[:, m, j] += contrib
    return out


def eiv_regression(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    error_variance: Mapping[str, str] | None = None,
    controls: Sequence[str] = (),
    unit: str | None = None,
    time: str | None = None,
    fixed_effects: bool = False,
    time_effects: bool = False,
    cluster: str | None = None,
    standardize_vars: bool = False,
    error_id: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Linear regression that corrects for noisy predictors (errors in variables), clustered SEs.

    Group means of survey answers measure the group's true level with error: the mean of n
    respondents has sampling variance ``ev = MSW / n`` (see :func:`group_scores`). OLS on such
    means is biased towards zero by the reliability ratio. The method-of-moments correction
    (Fuller 1987, *Measurement Error Models*, sec. 2.2; Buonaccorsi 2010, *Measurement Error*,
    ch. 5) subtracts the expected error moments from the moment matrix:

        beta = (X~'X~ - E[U'MU])^-1 X~'y~

    where ``~`` marks residuals after partialling out the error-free controls, unit and time
    effects (Frisch-Waugh-Lovell; M is that annihilator) and U holds the measurement errors.
    Errors of different measurements are independent (true for means of different
    respondents). By default each row's error is its own measurement; ``error_id`` maps a
    predictor to a column naming its measurement (e.g. ``"F0001|2020"``) so that a firm-year
    mean that enters twice, as x(t) in one row and as x(t-1) in the next, gets its exact
    covariance terms. This matters with unit fixed effects, where demeaning correlates the
    errors of all of a unit's rows. If the outcome has both an ``error_variance`` and an
    ``error_id``, errors it shares with a predictor (x(t) as this row's outcome and as the next
    row's lagged predictor) are removed from X~'y~ too. Without ``error_variance`` this is OLS.

    Standard errors: the sandwich of the estimating equation ``sum_c [X~_c'(y~_c - X~_c beta) +
    E[U_c'MU_c] beta] = 0`` clustered by ``cluster`` (default ``unit``), with a G/(G-1)
    factor, and t intervals on G - 1 df. The estimated error variances are treated as known.

    ``standardize_vars`` rescales the outcome and the non-binary predictors by their
    *true-score* SDs, sqrt(Var(obs) - mean(ev)), so coefficients are in true SD per true SD (and
    true SD of the outcome per unit of a 0/1 predictor).

    Returns ``term, estimate, se, ci_low, ci_high, p_value, ols_estimate, reliability, n_obs,
    n_clusters`` (reliability: of each predictor after partialling, 1 where error-free).

    >>> rng = np.random.default_rng(0)
    >>> true_x = rng.normal(size=2000)
    >>> ev = np.full(2000, 0.5)
    >>> d = pd.DataFrame({"x": true_x + rng.normal(0, np.sqrt(ev)), "ev_x": ev})
    >>> d["y"] = 0.4 * true_x + rng.normal(size=2000)
    >>> out = eiv_regression(d, "y", ["x"], error_variance={"x": "ev_x"})
    >>> out[["estimate", "ols_estimate", "reliability"]].round(2).iloc[0].tolist()
    [0.39, 0.25, 0.66]
    """
    from scipy import stats

    predictors = list(predictors)
    controls = list(controls)
    ev_map = dict(error_variance or {})
    id_map = dict(error_id or {})
    unknown = [k for k in ev_map if k not in (*predictors, outcome)]
    if unknown:
        raise ValueError(f"error_variance: {unknown} are not the outcome or a predictor")
    bad_ids = [k for k in id_map if k not in ev_map]
    if bad_ids:
        raise ValueError(f"error_id: {bad_ids} have no error_variance column")
    if fixed_effects and unit is None:
        raise ValueError("fixed_effects=True needs unit=")
    if time_effects and time is None:
        raise ValueError("time_effects=True needs time=")
    cl = cluster or unit
    extra = [c for c in (unit, time, cluster) if c]
    cols = list(
        dict.fromkeys(
            [outcome, *predictors, *ev_map.values(), *id_map.values(), *controls, *extra]
        )
    )
    _require_columns(data, cols)
    _require_numeric(data, [outcome, *predictors, *ev_map.values()])
    d = data[cols].dropna().reset_index(drop=True)
    n = len(d)
    if n <= len(predictors) + len(controls) + 2:
        raise ValueError(f"eiv_regression: only {n} complete rows")
    neg = [v for v in ev_map.values() if (d[v] < 0).any()]
    if neg:
        raise ValueError(f"error variance column(s) {neg} have negative values")
    y = d[outcome].to_numpy(float).copy()
    x = d[predictors].to_numpy(float).copy()
    ev = np.column_stack(
        [d[ev_map[p]].to_numpy(float) if p in ev_map else np.zeros(n) for p in predictors]
    )
    ev_y = d[ev_map[outcome]].to_numpy(float) if outcome in ev_map else np.zeros(n)
    if standardize_vars:
        var_y = y.var(ddof=1) - ev_y.mean()
        var_x = x.var(axis=0, ddof=1) - ev.mean(axis=0)
        if var_y <= 0 or np.any(var_x <= 0):
            raise ValueError("standardize_vars: error variance exceeds observed variance")
        # binary (0/1) predictors such as "has a CX leader" stay in their natural units
        binary = np.array([np.isin(np.unique(col), [0.0, 1.0]).all() for col in x.T])
        var_x = np.where(binary, 1.0, var_x)
        y = y / np.sqrt(var_y)
        x = x / np.sqrt(var_x)
        ev = ev / var_x
        ev_y = ev_y / var_y
    blocks = [np.ones((n, 1))]
    for c in controls:
        if pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c]):
            blocks.append(d[[c]].to_numpy(float))
        else:
            blocks.append(_dummies(d[c], c).to_numpy())
    if time_effects:
        blocks.append(_dummies(d[time], "t").to_numpy())
    z = np.hstack(blocks)
    unit_codes = unit_sizes = None
    if fixed_effects:
        unit_codes = pd.factorize(d[unit])[0]
        unit_sizes = np.bincount(unit_codes).astype(float)

        def demean(a: np.ndarray) -> np.ndarray:
            a2 = a.reshape(n, -1)
            sums = np.zeros((len(unit_sizes), a2.shape[1]))
            np.add.at(sums, unit_codes, a2)
            return (a2 - (sums / unit_sizes[:, None])[unit_codes]).reshape(a.shape)

        y, x, z = demean(y), demean(x), demean(z[:, 1:])
    basis, _ = _leverage(z)
    y_t = y - basis @ (basis.T @ y)
    x_t = x - basis @ (basis.T @ x)
    cl_codes = pd.factorize(d[cl])[0] if cl is not None else np.arange(n)
    n_cl = int(cl_codes.max() + 1)
    # measurement ids (default: every row and variable its own measurement); the outcome is
    # the last column so that errors it shares with a predictor (x(t) as the outcome of one
    # row and as the lagged predictor of the next) are removed from X'y as well
    names = [*predictors, outcome]
    ids = [
        d[id_map[v]].astype(str).to_numpy()
        if v in id_map
        else np.char.add(f"{v}|", np.arange(n).astype(str))
        for v in names
    ]
    k = len(predictors)
    err_full = _error_moments(
        ids, [*(ev[:, j] for j in range(k)), ev_y],
        [*(p in ev_map for p in predictors), outcome in ev_map and outcome in id_map],
        cl_codes, unit_codes, unit_sizes, basis, n_cl,
    )
    err_c, err_xy_c = err_full[:, :k, :k], err_full[:, :k, k]
    err, err_xy = err_c.sum(axis=0), err_xy_c.sum(axis=0)
    a = x_t.T @ x_t - err
    if np.linalg.eigvalsh(a).min() <= 0:
        raise ValueError(
            "eiv_regression: the error variances are as large as the residual variance of the "
            "predictors; the corrected moment matrix is not positive definite"
        )
    beta = np.linalg.solve(a, x_t.T @ y_t - err_xy)
    ols = np.linalg.lstsq(x_t, y_t, rcond=None)[0]
    resid = y_t - x_t @ beta
    g = np.zeros((n_cl, len(predictors)))
    np.add.at(g, cl_codes, x_t * resid[:, None])
    g += err_c @ beta - err_xy_c
    a_inv = np.linalg.inv(a)
    vcov = a_inv @ (g.T @ g) @ a_inv * n_cl / (n_cl - 1)
    se = np.sqrt(np.diag(vcov))
    t_crit = stats.t.ppf(0.975, n_cl - 1)
    rel = 1.0 - np.diag(err) / np.sum(x_t**2, axis=0)
    return pd.DataFrame(
        {
            "term": predictors,
            "estimate": beta,
            "se": se,
            "ci_low": beta - t_crit * se,
            "ci_high": beta + t_crit * se,
            "p_value": 2 * stats.t.sf(np.abs(beta / se), n_cl - 1),
            "ols_estimate": ols,
            "reliability": rel,
            "n_obs": n,
            "n_clusters": n_cl,
        }
    )


def linkage_model(
    panel: pd.DataFrame,
    outcome: str = "cx",
    exposure: str = "ex",
    unit: str = "firm_id",
    time: str = "year",
    lagged_exposure: bool = True,
    controls: Sequence[str] = ("has_cx_leader",),
    error_variance: Mapping[str, str] | None = None,
    fixed_effects: bool = True,
    time_effects: bool = True,
    standardize_vars: bool = True,
) -> pd.DataFrame:
    """Firm-year linkage: ``outcome(t) ~ exposure(t) [+ exposure(t-1)] + controls``.

    The structural equation of the service-profit chain's first link (Heskett et al. 1994):
    customer experience this year on employee experience this year and last year. With
    ``fixed_effects`` (the default) each firm is compared with itself, which removes stable
    firm differences (culture that is good *and* customers that are easy); year effects remove
    common shocks. Noisy survey means are corrected with :func:`eiv_regression`, using
    ``error_variance`` (default ``{"ex": "ev_ex", "cx": "ev_cx"}`` when those columns exist, as
    made by :func:`linkage_panel`); the same firm-year mean entering as x(t) and as x(t-1) is
    tracked so that the within-firm error covariances are exact.

    Returns the :func:`eiv_regression` frame; terms are ``exposure``, ``<exposure>_lag`` and the
    controls. Standardized coefficients are in true-score SD units.

    >>> p = simulate_var_panel(n_units=200, n_periods=6, coefs={("x", "y"): 0.0}, seed=1)
    >>> p["y"] = p["y"] + 0.5 * p["x"]
    >>> out = linkage_model(p, "y", "x", unit="unit", time="time", controls=(),
    ...                     standardize_vars=False)
    >>> out.set_index("term")["estimate"].round(1).tolist()
    [0.5, 0.0]
    """
    controls = list(controls)
    if error_variance is None:
        error_variance = {
            v: f"ev_{v}" for v in (outcome, exposure) if f"ev_{v}" in panel.columns
        }
    ev_map = dict(error_variance)
    _require_columns(panel, [unit, time, outcome, exposure, *controls, *ev_map.values()])
    work = panel.copy()
    work["_id_x"] = work[unit].astype(str) + "|" + work[time].astype(str)
    predictors = [exposure]
    evs: dict[str, str] = {}
    ids: dict[str, str] = {}
    if exposure in ev_map:
        evs[exposure] = ev_map[exposure]
        ids[exposure] = "_id_x"
    if outcome in ev_map:
        evs[outcome] = ev_map[outcome]
    if lagged_exposure:
        lag_cols = [exposure, "_id_x"] + ([ev_map[exposure]] if exposure in ev_map else [])
        work = add_lags(work, unit, time, lag_cols)
        predictors.append(f"{exposure}_lag")
        if exposure in ev_map:
            evs[f"{exposure}_lag"] = f"{ev_map[exposure]}_lag"
            ids[f"{exposure}_lag"] = "_id_x_lag"
    return eiv_regression(
        work,
        outcome,
        [*predictors, *controls],
        error_variance=evs,
        unit=unit,
        time=time,
        fixed_effects=fixed_effects,
        time_effects=time_effects,
        standardize_vars=standardize_vars,
        error_id=ids,
    )


def cross_lagged_panel(
    panel: pd.DataFrame,
    unit: str,
    time: str,
    variables: Sequence[str],
    controls: Sequence[str] = (),
    fixed_effects: bool = False,
    time_effects: bool = True,
    standardize_vars: bool = True,
    error_variance: Mapping[str, str] | None = None,
    contemporaneous: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Cross-lagged panel regressions: every variable at t+1 on all variables at t.

    For each variable ``v`` the model is ``v(t+1) = alpha_t + sum_w beta_{w->v} w(t) + controls
    + e`` (a panel VAR(1); Schneider, Hanges, Smith & Salvaggio 2003, *J. Applied Psychology*
    88(5), used this logic on 35 firms over 8 years). ``beta_{x->y}`` against ``beta_{y->x}``
    asks which comes first. Standard errors are clustered by unit; time effects absorb common
    shocks. ``contemporaneous={"cx": ["ex"]}`` adds ex(t+1) to the cx equation, so that the
    cross-lag is the *direct* lagged effect rather than the total one (which also runs through
    the persistence of ex).

    ``fixed_effects=True`` adds unit fixed effects (within estimator), which removes stable
    differences between firms but, with a lagged dependent variable, is biased by O(1/T)
    (Nickell 1981, *Econometrica* 49(6)): the autoregressive term by about -(1 + rho)/(T - 1),
    and cross-lags when regressors are persistent. With short panels (T < 10) report both and
    read the difference as a sensitivity check. Without unit effects, a stable firm trait that
    drives both series inflates the autoregressive terms.

    ``error_variance`` maps variables to columns holding the sampling variance of each
    firm-year mean (``ev_*`` from :func:`group_scores`); the regressions then correct for the
    attenuation that noisy survey means cause (:func:`eiv_regression`). Variables are scaled to
    (true-score) SD units first when ``standardize_vars``. Only consecutive periods are paired.

    Returns one row per path: ``from, to, estimate, se, ci_low, ci_high, p_value, ols_estimate,
    n_obs, n_units, method`` (autoregressive paths included, ``from == to``; contemporaneous
    paths are marked ``lag = 0``).

    >>> p = simulate_var_panel(n_units=150, n_periods=6, coefs={("x", "y"): 0.3}, seed=5)
    >>> out = cross_lagged_panel(p, "unit", "time", ["x", "y"], standardize_vars=False)
    >>> out.set_index(["from", "to"]).loc[("x", "y"), "estimate"].round(1)
    np.float64(0.3)
    """
    variables = list(variables)
    controls = list(controls)
    ev_map = dict(error_variance or {})
    contemporaneous = {k: list(v) for k, v in (contemporaneous or {}).items()}
    if len(variables) < 2:
        raise ValueError("cross_lagged_panel: give at least two variables")
    _require_columns(panel, [unit, time, *variables, *controls, *ev_map.values()])
    _require_numeric(panel, [time, *variables, *ev_map.values()])
    dup = panel.duplicated([unit, time])
    if dup.any():
        raise ValueError(
            f"columns ({unit!r}, {time!r}) must identify rows; duplicates at rows "
            f"{_first_rows(dup, panel.index)}"
        )
    work = panel[list(dict.fromkeys([unit, time, *variables, *controls, *ev_map.values()]))]
    work = work.copy()
    if standardize_vars:
        for v in variables:
            mean_ev = float(work[ev_map[v]].mean()) if v in ev_map else 0.0
            var_true = float(work[v].var(ddof=1)) - mean_ev
            if not var_true > 0:
                raise ValueError(f"column {v!r}: error variance exceeds observed variance")
            work[v] = (work[v] - work[v].mean()) / np.sqrt(var_true)
            if v in ev_map:
                work[ev_map[v]] = work[ev_map[v]] / var_true
    # measurement ids: the error of v's firm-year mean is shared by v(t) in one row and by
    # v_lag in the next row, and by nothing else
    mid = work[unit].astype(str) + "|" + work[time].astype(str)
    for v in ev_map:
        work[f"_id_{v}"] = v + "|" + mid
    lag_cols = [*variables, *[ev_map[v] for v in variables if v in ev_map]]
    lag_cols += [f"_id_{v}" for v in ev_map]
    df = add_lags(work, unit, time, lag_cols)
    lagged_ev = {f"{v}_lag": f"{ev_map[v]}_lag" for v in variables if v in ev_map}
    method = ("unit FE" if fixed_effects else "pooled") + (", time effects" if time_effects else "")
    if ev_map:
        method += ", errors-in-variables"
    recs = []
    for target in variables:
        current = contemporaneous.get(target, [])
        regressors = [f"{v}_lag" for v in variables] + current
        evs = dict(lagged_ev)
        evs.update({c: ev_map[c] for c in current if c in ev_map})
        ids = {r: f"_id_{r}" if not r.endswith("_lag") else f"_id_{r[:-4]}_lag" for r in evs}
        if target in ev_map:
            evs[target] = ev_map[target]
            ids[target] = f"_id_{target}"
        res = eiv_regression(
            df,
            target,
            regressors,
            error_variance=evs,
            controls=controls,
            unit=unit,
            time=time,
            fixed_effects=fixed_effects,
            time_effects=time_effects,
            error_id=ids,
        ).set_index("term")
        for reg in regressors:
            row = res.loc[reg]
            recs.append(
                {
                    "from": reg.removesuffix("_lag"),
                    "to": target,
                    "lag": 1 if reg.endswith("_lag") else 0,
                    "estimate": row.estimate,
                    "se": row.se,
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "p_value": row.p_value,
                    "ols_estimate": row.ols_estimate,
                    "n_obs": int(row.n_obs),
                    "n_units": int(row.n_clusters),
                    "method": method,
                }
            )
    return pd.DataFrame(recs)


def logit_associations(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    controls: Sequence[str] = (),
    per_sd: bool = True,
) -> pd.DataFrame:
    """Odds ratios of a 0/1 outcome (attrition, churn) for each predictor, with 95% intervals.

    A logistic regression ``logit P(y = 1) = a + sum_k b_k x_k + controls`` (statsmodels
    ``Logit``; categorical controls as dummies). With ``per_sd`` numeric predictors are
    z-scored first, so odds ratios are per SD and comparable across predictors. Wald intervals
    ``exp(b +- 1.96 se)`` (Hosmer, Lemeshow & Sturdivant 2013, *Applied Logistic Regression*,
    3rd ed., ch. 1-2). This is the real-data analogue of the linkage question: are employees
    who rate their experience higher less likely to leave, are customers who call service more
    often more likely to churn? It is a cross-sectional association, not an effect.

    Returns ``term, odds_ratio, ci_low, ci_high, p_value, coef, se, n_obs, n_events``.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=4000)})
    >>> d["y"] = (rng.random(4000) < 1 / (1 + np.exp(-(-1 + 0.5 * d["x"])))).astype(int)
    >>> logit_associations(d, "y", ["x"])["odds_ratio"].round(2).tolist()
    [1.66]
    """
    import statsmodels.api as sm
    from scipy import stats

    predictors, controls = list(predictors), list(controls)
    _require_columns(data, [outcome, *predictors, *controls])
    _require_numeric(data, [outcome, *predictors])
    d = data[[outcome, *predictors, *controls]].dropna()
    bad = ~d[outcome].isin([0, 1])
    if bad.any():
        raise ValueError(
            f"column {outcome!r} must be 0/1; other values at rows {_first_rows(bad, d.index)}"
        )
    x = d[predictors].astype(float)
    if per_sd:
        x = (x - x.mean()) / x.std(ddof=1)
    blocks = [x]
    for c in controls:
        if pd.api.types.is_numeric_dtype(d[c]) and not pd.api.types.is_bool_dtype(d[c]):
            blocks.append(d[[c]].astype(float))
        else:
            blocks.append(_dummies(d[c], c).set_index(d.index))
    design = sm.add_constant(pd.concat(blocks, axis=1), has_constant="add")
    fit = sm.Logit(d[outcome].astype(float), design).fit(disp=0)
    out = pd.DataFrame({"term": predictors})
    out["coef"] = fit.params[predictors].to_numpy()
    out["se"] = fit.bse[predictors].to_numpy()
    out["odds_ratio"] = np.exp(out["coef"])
    out["ci_low"] = np.exp(out["coef"] - _Z975 * out["se"])
    out["ci_high"] = np.exp(out["coef"] + _Z975 * out["se"])
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["coef"] / out["se"]))
    out["n_obs"] = len(d)
    out["n_events"] = int(d[outcome].sum())
    return out[["term", "odds_ratio", "ci_low", "ci_high", "p_value", "coef", "se", "n_obs",
                "n_events"]]


def simulate_var_panel(
    n_units: int = 100,
    n_periods: int = 8,
    coefs: Mapping[tuple[str, str], float] | None = None,
    autoregressive: float = 0.4,
    unit_sd: float = 0.0,
    variables: Sequence[str] = ("x", "y"),
    burn_in: int = 20,
    seed: int | None = 0,
) -> pd.DataFrame:
    """A panel VAR(1) with known cross-lags: ``v(t) = mu_i + rho v(t-1) + sum B[w,v] w(t-1) + e``.

    ``coefs`` maps ``(from, to)`` to the cross-lagged coefficient; every variable has
    autoregression ``autoregressive``, unit effects with SD ``unit_sd`` and unit-variance shocks.
    A burn-in makes the first kept period stationary. Used in tests and the validation script.

    >>> simulate_var_panel(n_units=3, n_periods=2, seed=0).shape
    (6, 4)
    """
    rng = np.random.default_rng(seed)
    variables = list(variables)
    k = len(variables)
    b = np.eye(k) * autoregressive
    for (src, dst), val in (coefs or {}).items():
        b[variables.index(dst), variables.index(src)] = val
    mu = rng.normal(0.0, unit_sd, (n_units, k)) if unit_sd > 0 else np.zeros((n_units, k))
    state = np.zeros((n_units, k))
    rows = []
    for t in range(burn_in + n_periods):
        state = mu + state @ b.T + rng.normal(size=(n_units, k))
        if t >= burn_in:
            rows.append(state.copy())
    arr = np.stack(rows, axis=1)  # units x periods x k
    out = pd.DataFrame(
        {
            "unit": np.repeat([f"U{i + 1:04d}" for i in range(n_units)], n_periods),
            "time": np.tile(np.arange(n_periods), n_units),
        }
    )
    for j, v in enumerate(variables):
        out[v] = arr[:, :, j].ravel()
    return out


# --------------------------------------------------------------------------------------------
# preparing survey answers and firm-level frames for the linkage notebook
# --------------------------------------------------------------------------------------------


def add_group_key(
    data: pd.DataFrame,
    columns: Sequence[str] = ("firm_id", "year"),
    name: str = "firm_year",
    sep: str = "|",
) -> pd.DataFrame:
    """A copy of ``data`` with one string key joining ``columns`` (e.g. firm and year).

    ``key = str(c1) + sep + str(c2) + ...``, for :func:`aggregation_indices`, which takes one
    grouping column. The input is not modified.

    >>> d = pd.DataFrame({"firm_id": ["F1", "F2"], "year": [2020, 2021]})
    >>> add_group_key(d)["firm_year"].tolist()
    ['F1|2020', 'F2|2021']
    """
    columns = list(columns)
    if not columns:
        raise ValueError("add_group_key: give at least one column in 'columns'")
    _require_columns(data, columns)
    key = data[columns[0]].astype(str)
    for c in columns[1:]:
        key = key + sep + data[c].astype(str)
    return data.assign(**{name: key})


def reverse_items(data: pd.DataFrame, items: Mapping[str, tuple[int, int]]) -> pd.DataFrame:
    """A copy of ``data`` with reverse-keyed items recoded ``x' = lo + hi - x``.

    ``items`` maps each reverse-keyed item to its scale range ``(lo, hi)``; on a 1-5 scale
    5 becomes 1 and 2 becomes 4. Recoding is its own inverse. Values outside ``lo..hi`` raise.

    >>> d = pd.DataFrame({"culture_4": [1, 2, 5], "culture_1": [3, 3, 3]})
    >>> reverse_items(d, {"culture_4": (1, 5)})["culture_4"].tolist()
    [5, 4, 1]
    """
    _require_columns(data, list(items))
    out = data.copy()
    for item, (lo, hi) in items.items():
        _require_numeric(data, [item])
        v = data[item]
        bad = v.notna() & ((v < lo) | (v > hi))
        if bad.any():
            raise ValueError(
                f"column {item!r}: {int(bad.sum())} value(s) outside {lo}..{hi} at rows "
                f"{_first_rows(bad, data.index)}"
            )
        out[item] = lo + hi - v
    return out


def mean_reliability(panel: pd.DataFrame, score: str, error_variance: str) -> float:
    """Reliability of group means: ``1 - mean(sampling variance) / variance of the means``.

    The share of the observed variance of the group means (e.g. firm-year EX scores) that is
    not sampling noise, i.e. the true-score variance over the observed variance (Lord & Novick
    1968; for group means the ICC(2) logic of Bliese 2000). ``error_variance`` holds each
    mean's sampling variance, as :func:`linkage_panel` returns in ``ev_ex`` / ``ev_cx``.

    >>> p = pd.DataFrame({"ex": [1.0, 2.0, 3.0, 4.0], "ev_ex": [0.5, 0.5, 0.5, 0.5]})
    >>> round(mean_reliability(p, "ex", "ev_ex"), 4)
    0.7
    """
    _require_columns(panel, [score, error_variance], "panel")
    _require_numeric(panel, [score, error_variance], "panel")
    return float(1 - panel[error_variance].mean() / panel[score].var(ddof=1))


def true_score_z(panel: pd.DataFrame, score: str, error_variance: str) -> pd.Series:
    """Group means in true-score SD units: ``(x - mean(x)) / sqrt(var(x) - mean(ev))``.

    Observed means have variance ``var(true) + mean(ev)`` (classical test theory), so dividing
    by the square root of the noise-free part expresses a difference in SD of the true score,
    the unit in which the simulation states its effects. Raises if the sampling variance
    exceeds the observed variance (no true-score variance left).

    >>> p = pd.DataFrame({"cx": [0.0, 1.0, 2.0, 3.0], "ev": [2 / 3] * 4})
    >>> true_score_z(p, "cx", "ev").round(4).tolist()
    [-1.5, -0.5, 0.5, 1.5]
    """
    _require_columns(panel, [score, error_variance], "panel")
    _require_numeric(panel, [score, error_variance], "panel")
    x = panel[score].astype(float)
    signal = x.var(ddof=1) - panel[error_variance].mean()
    if not signal > 0:
        raise ValueError(
            f"true_score_z: mean of {error_variance!r} ({panel[error_variance].mean():.4g}) is "
            f"not below the variance of {score!r} ({x.var(ddof=1):.4g}); no true-score variance"
        )
    return ((x - x.mean()) / np.sqrt(signal)).rename(score)


def log_percent(values: pd.Series) -> pd.Series:
    """``100 * ln(x)``: differences are (log-)percent differences, for positive outcomes.

    A difference of ``d`` in log-percent is a ratio of ``exp(d / 100)``; for small ``d`` it is
    about ``d`` percent (e.g. cost to serve, contacts per customer). Non-positive values raise.

    >>> round(float(log_percent(pd.Series([1.0, 1.05])).diff().iloc[1]), 4)
    4.879
    """
    v = pd.to_numeric(values, errors="raise").astype(float)
    bad = v.notna() & (v <= 0)
    if bad.any():
        raise ValueError(
            f"column {values.name!r}: {int(bad.sum())} non-positive value(s) at rows "
            f"{_first_rows(bad, values.index)}; log-percent needs x > 0"
        )
    return 100 * np.log(v)


def firm_means(
    panel: pd.DataFrame,
    columns: Sequence[str],
    unit: str = "firm_id",
    standardized: Sequence[str] = (),
    log_pct: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Unit-level means of panel columns over all periods, optionally z-scored or log-percent.

    One row per ``unit`` (sorted), the mean of each of ``columns`` over its rows. For each name
    in ``standardized`` a column ``<name>_z`` (:func:`standardize` of the unit means) is added;
    ``log_pct`` maps new column names to columns whose unit mean is turned into
    :func:`log_percent`. Averaging years makes firm means reliable (~8x the respondents of a
    firm-year mean) for between-firm models such as :func:`mediation`.

    >>> p = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "ex": [1.0, 3.0, 4.0, 6.0],
    ...                   "cost": [1.0, 1.0, 2.0, 2.0]})
    >>> firm_means(p, ["ex", "cost"], standardized=["ex"],
    ...            log_pct={"cost_pct": "cost"}).round(3).to_dict("list")
    {'ex': [2.0, 5.0], 'cost': [1.0, 2.0], 'ex_z': [-0.707, 0.707], 'cost_pct': [0.0, 69.315]}
    """
    columns = list(columns)
    log_pct = dict(log_pct or {})
    missing = [c for c in [*standardized, *log_pct.values()] if c not in columns]
    if missing:
        raise ValueError(f"firm_means: {missing} must also be listed in 'columns'")
    _require_columns(panel, [unit, *columns], "panel")
    _require_numeric(panel, columns, "panel")
    out = panel.groupby(unit, sort=True)[columns].mean()
    for c in standardized:
        out[f"{c}_z"] = standardize(out[c])
    for new, c in log_pct.items():
        out[new] = log_percent(out[c])
    return out


def mediation_by_outcome(
    data: pd.DataFrame,
    x: str,
    mediator: str,
    outcomes: Sequence[str],
    covariates: Sequence[str] = (),
    n_boot: int = 1000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """:func:`mediation` of ``x -> mediator -> y`` for each outcome ``y``, stacked.

    Each outcome gets the same bootstrap seed, so each row equals a single :func:`mediation`
    call. Returns the rows of :meth:`MediationResult.to_frame` with an ``outcome`` column.

    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"x": rng.normal(size=200)})
    >>> d["m"] = 0.5 * d["x"] + rng.normal(size=200)
    >>> d["y"] = 0.4 * d["m"] + rng.normal(size=200)
    >>> out = mediation_by_outcome(d, "x", "m", ["y"], n_boot=50, seed=0)
    >>> out.loc[out["effect"] == "a", ["outcome", "estimate"]].round(2).values.tolist()
    [['y', 0.43]]
    """
    if not outcomes:
        raise ValueError("mediation_by_outcome: give at least one outcome")
    return pd.concat(
        [
            mediation(data, x, mediator, y, covariates=list(covariates), n_boot=n_boot,
                      seed=seed).to_frame().assign(outcome=y)
            for y in outcomes
        ],
        ignore_index=True,
    )


# --------------------------------------------------------------------------------------------
# the simulation's answer key in the units of each linkage estimate
# --------------------------------------------------------------------------------------------


def true_linkage_effects(truth: Mapping[str, float]) -> pd.DataFrame:
    """True values of :func:`linkage_model` terms, in true-score SD of CX per SD of EX.

    From :func:`cxresearch.simulate.simulate_study`'s ``truth`` (raw latent units):
    ``ex = ex_to_cx * sd_ex / sd_cx``, ``ex_lag = ex_lag_to_cx * sd_ex / sd_cx`` and
    ``has_cx_leader = leader_effect_cx / sd_cx`` (a 0/1 regressor: SD of CX only). Missing keys
    give NaN (user data have no truth). Returns columns ``term, true_value``.

    >>> t = {"ex_to_cx": 0.5, "ex_lag_to_cx": 0.1, "leader_effect_cx": 0.3,
    ...      "sd_ex_latent": 1.2, "sd_cx_latent": 1.5}
    >>> true_linkage_effects(t)["true_value"].round(4).tolist()
    [0.4, 0.08, 0.2]
    """
    sd_ex, sd_cx = truth.get("sd_ex_latent", np.nan), truth.get("sd_cx_latent", np.nan)
    return pd.DataFrame({
        "term": ["ex", "ex_lag", "has_cx_leader"],
        "true_value": [truth.get("ex_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("ex_lag_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("leader_effect_cx", np.nan) / sd_cx],
    })


def true_cross_lagged_paths(truth: Mapping[str, float], sd_growth: float) -> pd.DataFrame:
    """True standardized cross-lagged paths among EX, CX and revenue growth (lag 1).

    A raw path ``b`` from X to Y is ``b * sd_X / sd_Y`` in SD per SD. EX and CX use the
    simulation's latent SDs (``sd_ex_latent``, ``sd_cx_latent``); revenue growth has no latent
    SD in ``truth``, so its observed SD ``sd_growth`` is given. Growth(t) -> EX(t+1) is
    ``performance_lag_to_ex``; EX(t) -> growth(t+1) is zero by construction (the simulation
    has no direct EX -> growth path). Missing keys give NaN. Returns ``from, to, lag, path,
    true_value`` in a fixed display order, to merge on ``from, to, lag`` with
    :func:`cross_lagged_panel`.

    >>> t = {"ex_lag_to_cx": 0.1, "cx_lag_to_ex": 0.05, "performance_lag_to_ex": 0.02,
    ...      "sd_ex_latent": 1.0, "sd_cx_latent": 2.0}
    >>> true_cross_lagged_paths(t, sd_growth=5.0)["true_value"].round(4).tolist()
    [0.05, 0.1, 0.1, 0.0]
    """
    sd_ex, sd_cx = truth.get("sd_ex_latent", np.nan), truth.get("sd_cx_latent", np.nan)
    return pd.DataFrame({
        "from": ["ex", "cx", "revenue_growth", "ex"],
        "to": ["cx", "ex", "ex", "revenue_growth"],
        "lag": [1, 1, 1, 1],
        "path": ["EX(t) → CX(t+1), direct", "CX(t) → EX(t+1)", "growth(t) → EX(t+1)",
                 "EX(t) → growth(t+1)"],
        "true_value": [truth.get("ex_lag_to_cx", np.nan) * sd_ex / sd_cx,
                       truth.get("cx_lag_to_ex", np.nan) * sd_cx / sd_ex,
                       truth.get("performance_lag_to_ex", np.nan) * sd_growth / sd_ex,
                       0.0],
    })


def true_chain_effects(
    truth: Mapping[str, float],
    latent: pd.DataFrame,
    unit: str = "firm_id",
) -> pd.DataFrame:
    """True mediation effects of firm-mean EX -> CX -> outcome, in the units of the notebook.

    Firm means of the simulation's latent EX and CX (``latent``, one row per firm-year) give
    between-firm SDs ``sdx``, ``sdc``. EX and CX are z-scored, so
    ``a = (ex_to_cx + ex_lag_to_cx) * sdx / sdc`` (the long-run EX effect on CX),
    ``b`` = the outcome per SD of firm CX: ``cx_to_revenue_growth * sdc`` for revenue growth
    (pp) and ``100 * ln(1 + cx_to_cost_to_serve / 100) * sdc`` for cost to serve in
    log-percent (``log_cost_pct``); ``indirect = total = a * b`` and ``direct = 0`` (no EX ->
    outcome path except through CX in the simulation). Returns ``outcome, effect, true_value``.

    >>> lat = pd.DataFrame({"firm_id": ["A", "B"], "ex": [0.0, 1.0], "cx": [0.0, 2.0]})
    >>> t = {"ex_to_cx": 0.5, "ex_lag_to_cx": 0.0, "cx_to_revenue_growth": 1.0,
    ...      "cx_to_cost_to_serve": -5.0}
    >>> out = true_chain_effects(t, lat)
    >>> out.loc[out["outcome"] == "revenue_growth", "true_value"].round(4).tolist()
    [0.25, 1.4142, 0.3536, 0.0, 0.3536]
    """
    _require_columns(latent, [unit, "ex", "cx"], "latent")
    lat = latent.groupby(unit).agg(ex=("ex", "mean"), cx=("cx", "mean"))
    sdx, sdc = lat["ex"].std(), lat["cx"].std()
    a = (truth["ex_to_cx"] + truth["ex_lag_to_cx"]) * sdx / sdc
    b = {"revenue_growth": truth["cx_to_revenue_growth"] * sdc,
         "log_cost_pct": 100 * np.log1p(truth["cx_to_cost_to_serve"] / 100) * sdc}
    rows = [
        {"outcome": o, "effect": e, "true_value": v}
        for o, bo in b.items()
        for e, v in [("a", a), ("b", bo), ("indirect", a * bo), ("direct", 0.0),
                     ("total", a * bo)]
    ]
    return pd.DataFrame(rows)


def event_rate_by_group(data: pd.DataFrame, event: str, group: str) -> pd.DataFrame:
    """Share of rows with ``event`` (0/1 or bool) per value of ``group``, with Wilson intervals.

    ``rate_pct = 100 x / n`` with the Wilson (1927) 95% interval of
    :func:`cxresearch.metrics.top_box_from_counts`, one row per group value (sorted). E.g.
    churn by number of calls to customer service. Returns ``group, n, rate_pct, ci_low,
    ci_high`` (the first column named after ``group``).

    >>> d = pd.DataFrame({"calls": [0, 0, 1, 1, 1, 1], "churn": [0, 1, 1, 1, 1, 0]})
    >>> event_rate_by_group(d, "churn", "calls")[["calls", "n", "rate_pct"]].values.tolist()
    [[0.0, 2.0, 50.0], [1.0, 4.0, 75.0]]
    """
    from cxresearch.metrics import top_box_from_counts

    _require_columns(data, [event, group])
    ev = data[event]
    if ev.dtype != bool:
        _require_numeric(data, [event])
        bad = ev.notna() & ~ev.isin([0, 1])
        if bad.any():
            raise ValueError(f"column {event!r}: {int(bad.sum())} value(s) not 0/1 at rows "
                             f"{_first_rows(bad, data.index)}")
    rows = []
    for g, grp in data.groupby(group, sort=True):
        r = top_box_from_counts(int(grp[event].sum()), len(grp))
        rows.append({group: g, "n": len(grp), "rate_pct": r.estimate, "ci_low": r.ci_low,
                     "ci_high": r.ci_high})
    return pd.DataFrame(rows)


def nested_wave(
    individuals: pd.DataFrame,
    groups: pd.DataFrame,
    period: object,
    outcome: str,
    predictor: str,
    unit: str = "firm_id",
    time: str = "year",
) -> pd.DataFrame:
    """One survey wave of individuals with their group's score, both z-scored, for
    :func:`multilevel_model`.

    Rows of ``individuals`` with ``time == period`` are joined (inner) to ``groups`` (e.g.
    :func:`linkage_panel` output) on ``unit, time``; ``<outcome>_z`` is the individual answer
    and ``<predictor>_z`` the group-level score, each :func:`standardize`-d over the joined
    rows (so a coefficient is SD of an individual's answer per SD of the group score). Returns
    ``<outcome>_z, <predictor>_z, unit`` without missing values.

    >>> cus = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "year": [1, 1, 1, 2],
    ...                     "nps": [8, 10, 4, 9]})
    >>> fy = pd.DataFrame({"firm_id": ["A", "B"], "year": [1, 1], "ex": [4.0, 3.0]})
    >>> nested_wave(cus, fy, 1, "nps", "ex").round(3).values.tolist()
    [[0.218, 0.577, 'A'], [0.873, 0.577, 'A'], [-1.091, -1.155, 'B']]
    """
    _require_columns(individuals, [unit, time, outcome], "individuals")
    _require_columns(groups, [unit, time, predictor], "groups")
    wave = individuals[individuals[time] == period].merge(
        groups[[unit, time, predictor]], on=[unit, time])
    if wave.empty:
        raise ValueError(f"nested_wave: no rows with {time!r} == {period!r} in both frames")
    wave = wave.assign(**{f"{outcome}_z": standardize(wave[outcome].astype(float)),
                          f"{predictor}_z": standardize(wave[predictor].astype(float))})
    return wave[[f"{outcome}_z", f"{predictor}_z", unit]].dropna()
