"""Who owns customer experience, and does saying it is a priority matter without doing?

- :func:`ownership_effects` -- outcome differences by CX ownership model (a dedicated CX leader,
  the CEO, COO, CMO or "everyone's job") with controls, robust standard errors and adjusted
  (standardized) means; an :class:`OwnershipResult`;
- :func:`say_do_index` -- the say/do gap: standardized stated priority minus standardized
  resourcing;
- :func:`say_do_effects` -- the outcome on the gap, and on say and do separately.

Ownership models and budgets are chosen by firms, not assigned: every contrast here is an
adjusted association. The codes of the ownership models are those of
:data:`cxresearch.core.contract.OWNERS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxresearch.core.inference import t_crit
from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_level, require_columns, require_numeric
from cxresearch.linkage.regression import linkage_regression

__all__ = ["OwnershipResult", "ownership_effects", "say_do_effects", "say_do_index"]


@dataclass(frozen=True)
class OwnershipResult(Result):
    """Outcome by CX ownership model: contrasts with the reference and adjusted means.

    What :func:`ownership_effects` returns. Both tables carry t intervals at ``level`` on
    ``dof`` degrees of freedom (clusters - 1 with ``cluster``, the residual df otherwise); with
    ``cluster`` each contrast uses its own ``df`` column (the clusters of the smaller of the two
    groups compared, minus 1). :meth:`conf_int` recomputes them at any level.

    Parameters
    ----------
    outcome : str
        The dependent column.
    reference : str
        The ownership model the others are compared with.
    contrasts : DataFrame
        ``owner, estimate, se, ci_low, ci_high, p_value, n`` (and ``df`` with ``cluster``).
    adjusted_means : DataFrame
        ``owner, adjusted_mean, se, ci_low, ci_high, raw_mean, n``.
    n_obs, n_clusters : int
        Rows and clusters used.
    controls : tuple of str
        The adjustment columns.
    level : float
        Confidence level of the intervals in both tables.
    dof : float
        Degrees of freedom of the adjusted means' t intervals.

    Returns
    -------
    OwnershipResult
        ``to_frame()`` (the contrasts), ``conf_int(level=, which=)`` and ``summary()``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"cx_owner": rng.choice(["everyone", "ceo", "cx_leader"], 300),
    ...                   "industry": rng.choice(["retail", "banking"], 300)})
    >>> d["nps"] = 10 + 5 * (d["cx_owner"] == "cx_leader") + rng.normal(0, 2, 300)
    >>> res = ownership_effects(d, "nps", controls=["industry"])
    >>> res.conf_int(0.9)[["owner", "ci_low", "ci_high"]].round(2).values.tolist()
    [['ceo', 0.16, 1.11], ['cx_leader', 4.69, 5.62]]
    """

    outcome: str
    reference: str
    contrasts: pd.DataFrame
    adjusted_means: pd.DataFrame
    n_obs: int
    n_clusters: int
    controls: tuple[str, ...]
    level: float = 0.95
    dof: float = np.inf

    def to_frame(self) -> pd.DataFrame:
        """Contrasts against the reference: owner, estimate, se, ci_low, ci_high, p_value, n."""
        return self.contrasts.copy()

    def conf_int(self, level: float = 0.95, which: str = "contrasts") -> pd.DataFrame:
        """t intervals at ``level`` for the ``"contrasts"`` or the ``"adjusted_means"``.

        Columns ``owner, estimate, se, ci_low, ci_high, level`` (``estimate`` is the adjusted
        mean for ``which="adjusted_means"``).
        """
        lvl = check_level(level)
        if which not in ("contrasts", "adjusted_means"):
            raise DataError(f"which must be 'contrasts' or 'adjusted_means', got {which!r}")
        src = self.contrasts if which == "contrasts" else self.adjusted_means.rename(
            columns={"adjusted_mean": "estimate"})
        out = src[["owner", "estimate", "se"]].copy()
        if "df" in src:
            t = np.array([t_crit(lvl, float(d)) for d in src["df"]])
        else:
            t = np.full(len(src), t_crit(lvl, self.dof))
        out["ci_low"] = out["estimate"] - t * out["se"]
        out["ci_high"] = out["estimate"] + t * out["se"]
        out["level"] = lvl
        return out

    def summary(self) -> str:
        """One line per owner: contrast with its interval and p-value."""
        lines = [
            f"{self.outcome} by CX owner vs {self.reference!r} (n={self.n_obs}, "
            f"controls: {', '.join(self.controls) or 'none'}; {100 * self.level:g}% CIs)"
        ]
        for r in self.contrasts.itertuples():
            lines.append(
                f"  {r.owner}: {r.estimate:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}] "
                f"p={r.p_value:.3f}"
            )
        return "\n".join(lines)


def ownership_effects(
    data: pd.DataFrame,
    outcome: str,
    owner: str = "cx_owner",
    reference: str = "everyone",
    controls: Sequence[str] = ("industry", "size_band"),
    cluster: str | None = None,
    cov_type: str = "HC3",
    *,
    level: float = 0.95,
) -> OwnershipResult:
    """Outcome differences by CX ownership model, adjusted for controls.

    OLS of ``outcome ~ C(owner, reference) + controls``; categorical controls (object or category
    dtype) enter as dummies, numeric ones linearly. Standard errors are HC3 (MacKinnon & White
    1985) or, with ``cluster`` (firm ids when ``data`` has firm-years), cluster-robust (Liang &
    Zeger 1986). Adjusted means are predictive margins: every row is set to each ownership model
    in turn and the predictions averaged (Graubard & Korn 1999); their SE is ``sqrt(g' V g)``
    with g the mean design row. Intervals are t intervals at ``level``: on the residual df, or
    with ``cluster`` on clusters - 1 for the adjusted means and, for each contrast, on
    ``min(G_owner, G_reference) - 1``, the clusters with rows in the smaller of the two groups
    compared (column ``df``). A cluster-robust variance of a contrast rests on the clusters of
    both groups, and with few clusters in one of them it is too small and its t on all
    clusters - 1 too liberal (Cameron & Miller 2015); the smaller group's clusters are the
    conservative choice that :func:`cxresearch.metrics.scores.compare` also makes for clusters
    nested
    in groups.

    Ownership is chosen by firms, not assigned: a contrast is an adjusted association, and
    firms that choose a dedicated leader may differ in ways the controls miss.

    Parameters
    ----------
    data : DataFrame
        One row per firm (or firm-year with ``cluster``); incomplete rows are dropped.
    outcome : str
        The dependent column.
    owner : str
        The column of ownership models.
    reference : str
        The ownership model the others are compared with.
    controls : sequence of str
        Adjustment columns.
    cluster : str, optional
        Column of clusters (firm ids) for cluster-robust SEs.
    cov_type : str
        statsmodels covariance type without ``cluster``.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    OwnershipResult
        ``contrasts`` (``owner, estimate, se, ci_low, ci_high, p_value, n``, and ``df`` with
        ``cluster``) and
        ``adjusted_means`` (``owner, adjusted_mean, se, ci_low, ci_high, raw_mean, n``).

    References
    ----------
    MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent covariance matrix
    estimators with improved finite sample properties. *J. Econometrics* 29(3), 305-325.
    Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. *Biometrika* 73(1), 13-22.
    Graubard, B. I. & Korn, E. L. (1999). Predictive margins with survey data. *Biometrics*
    55(2), 652-659.
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
    *J. Human Resources* 50(2), 317-372.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"cx_owner": rng.choice(["everyone", "ceo", "cx_leader"], 300),
    ...                   "industry": rng.choice(["retail", "banking"], 300)})
    >>> d["nps"] = 10 + 5 * (d["cx_owner"] == "cx_leader") + rng.normal(0, 2, 300)
    >>> res = ownership_effects(d, "nps", controls=["industry"])
    >>> res.contrasts[["owner", "estimate"]].round(1).to_dict("records")
    [{'owner': 'ceo', 'estimate': 0.6}, {'owner': 'cx_leader', 'estimate': 5.2}]
    """
    import statsmodels.formula.api as smf
    from patsy import build_design_matrices
    from scipy import stats

    level = check_level(level)
    controls = tuple(controls)
    require_columns(data, [outcome, owner, *controls] + ([cluster] if cluster else []))
    used = data[[outcome, owner, *controls] + ([cluster] if cluster else [])].dropna()
    levels = sorted(pd.unique(used[owner]).tolist())
    if reference not in levels:
        raise DataError(f"column {owner!r}: reference level {reference!r} not in {levels}")
    rename = {outcome: "y_", owner: "owner_"}
    rename.update({c: f"c{i}_" for i, c in enumerate(controls)})
    work = used.rename(columns=rename)
    terms = [f"C(owner_, Treatment({reference!r}))"]
    for c in controls:
        col = rename[c]
        numeric = pd.api.types.is_numeric_dtype(work[col]) and not pd.api.types.is_bool_dtype(
            work[col]
        )
        terms.append(col if numeric else f"C({col})")
    model = smf.ols("y_ ~ " + " + ".join(terms), work)
    if cluster:
        codes = pd.factorize(work[cluster])[0]
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": codes})
        n_clusters = int(codes.max() + 1)
        dof = n_clusters - 1
    else:
        fit = model.fit(cov_type=cov_type)
        n_clusters = len(work)
        dof = int(fit.df_resid)
    t_mult = t_crit(level, dof)
    recs = []
    for lvl in levels:
        if lvl == reference:
            continue
        name = f"C(owner_, Treatment({reference!r}))[T.{lvl}]"
        est, se = float(fit.params[name]), float(fit.bse[name])
        if cluster:
            g = [work.loc[work["owner_"] == o, cluster].nunique() for o in (lvl, reference)]
            df_c: float = max(min(g) - 1, 1)
        else:
            df_c = dof
        t_c = t_crit(level, df_c)
        rec = {
            "owner": lvl,
            "estimate": est,
            "se": se,
            "ci_low": est - t_c * se,
            "ci_high": est + t_c * se,
            "p_value": float(2 * stats.t.sf(abs(est / se), df_c)),
            "n": int((work["owner_"] == lvl).sum()),
        }
        if cluster:
            rec["df"] = float(df_c)
        recs.append(rec)
    contrasts = pd.DataFrame(recs)
    # statsmodels >= 0.15 calls the patsy DesignInfo ``model_spec``; older versions ``design_info``
    design_info = getattr(model.data, "model_spec", None) or model.data.design_info
    vcov = np.asarray(fit.cov_params())
    beta = np.asarray(fit.params)
    means = []
    for lvl in levels:
        cf = work.copy()
        cf["owner_"] = lvl
        x = np.asarray(build_design_matrices([design_info], cf)[0])
        g = x.mean(axis=0)
        est = float(g @ beta)
        se = float(np.sqrt(g @ vcov @ g))
        means.append(
            {
                "owner": lvl,
                "adjusted_mean": est,
                "se": se,
                "ci_low": est - t_mult * se,
                "ci_high": est + t_mult * se,
                "raw_mean": float(work.loc[work["owner_"] == lvl, "y_"].mean()),
                "n": int((work["owner_"] == lvl).sum()),
            }
        )
    return OwnershipResult(
        outcome=outcome,
        reference=reference,
        contrasts=contrasts,
        adjusted_means=pd.DataFrame(means),
        n_obs=len(work),
        n_clusters=n_clusters,
        controls=controls,
        level=level,
        dof=float(dof),
    )


# --------------------------------------------------------------------------------------------
# say/do gap
# --------------------------------------------------------------------------------------------


def say_do_index(
    data: pd.DataFrame,
    say: str | Sequence[str] = "stated_cx_priority",
    do: str | Sequence[str] = "cx_budget_share",
) -> pd.DataFrame:
    """Say/do gap: standardized stated priority minus standardized resourcing.

    ``say = mean_k z(say_k)``, ``do = mean_k z(do_k)`` (z over the rows given), ``gap = say - do``
    in SD units: positive when a firm says more than it funds. Inputs may be one column or
    several (e.g. budget share and whether CX has an accountable owner, 0/1). The index is
    relative to the sample (a gap of 0 means "as much doing as saying, for this sample"), not an
    absolute standard. Motivation: the survey claim that 75% of firms call CX their top priority
    while many fund it poorly (project literature notes; secondary source).

    Parameters
    ----------
    data : DataFrame
        One row per firm.
    say, do : str or sequence of str
        Column(s) of stated priority and of resourcing.

    Returns
    -------
    DataFrame
        The input index with columns ``say, do, gap``.

    References
    ----------
    Edwards, J. R. (2001). Ten difference score myths. *Organizational Research Methods* 4(3),
    265-287 (why the gap is a poor regressor; see :func:`say_do_effects`).

    Examples
    --------
    >>> d = pd.DataFrame({"stated_cx_priority": [5, 4, 2], "cx_budget_share": [1.0, 3.0, 2.0]})
    >>> say_do_index(d).round(2).to_dict("list")
    {'say': [0.87, 0.22, -1.09], 'do': [-1.0, 1.0, 0.0], 'gap': [1.87, -0.78, -1.09]}
    """
    say_cols = [say] if isinstance(say, str) else list(say)
    do_cols = [do] if isinstance(do, str) else list(do)
    require_columns(data, [*say_cols, *do_cols])
    require_numeric(data, [*say_cols, *do_cols])

    def zmean(cols: list[str]) -> pd.Series:
        zs = []
        for c in cols:
            v = data[c].astype(float)
            sd = v.std(ddof=1)
            if not np.isfinite(sd) or sd == 0:
                raise DataError(f"column {c!r}: no variation (SD = {sd}), cannot standardize")
            zs.append((v - v.mean()) / sd)
        return pd.concat(zs, axis=1).mean(axis=1)

    s, d = zmean(say_cols), zmean(do_cols)
    return pd.DataFrame({"say": s, "do": d, "gap": s - d}, index=data.index)


def say_do_effects(
    data: pd.DataFrame,
    outcome: str,
    say: str | Sequence[str] = "stated_cx_priority",
    do: str | Sequence[str] = "cx_budget_share",
    controls: Sequence[str] = (),
    cluster: str | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Does the say/do gap matter? Outcome regressed on the gap, and on say and do separately.

    Two OLS models with HC3 (or cluster-robust) SEs
    (:func:`~cxresearch.linkage.regression.linkage_regression`): ``y ~ gap + controls`` and
    ``y ~ say + do + controls``. The second is the informative one: if only doing matters,
    ``say`` is ~0 and ``do`` positive, and the gap coefficient is negative only because it is
    ``-do`` in disguise (Edwards 2001, on the pitfalls of difference scores).

    Parameters
    ----------
    data : DataFrame
        One row per firm.
    outcome : str
        The dependent column.
    say, do : str or sequence of str
        Column(s) of stated priority and of resourcing (see :func:`say_do_index`).
    controls : sequence of str
        Adjustment columns (numeric linearly, others as dummies).
    cluster : str, optional
        Cluster column for cluster-robust SEs.
    level : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        Rows ``model, term, estimate, se, ci_low, ci_high, p_value, n_obs`` for ``gap`` and for
        ``say`` and ``do``.

    References
    ----------
    Edwards, J. R. (2001). Ten difference score myths. *Organizational Research Methods* 4(3),
    265-287.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> d = pd.DataFrame({"stated_cx_priority": rng.integers(1, 6, 400),
    ...                   "cx_budget_share": rng.gamma(2.0, 1.0, 400)})
    >>> d["growth"] = 0.8 * say_do_index(d)["do"] + rng.normal(size=400)
    >>> out = say_do_effects(d, "growth")
    >>> out.set_index("term").loc[["say", "do"], "estimate"].round(1).tolist()
    [0.0, 0.8]
    """
    level = check_level(level)
    idx = say_do_index(data, say, do)
    controls = list(controls)
    require_columns(data, [outcome, *controls] + ([cluster] if cluster else []))
    work = pd.concat([idx, data[[outcome, *controls] + ([cluster] if cluster else [])]], axis=1)
    work = work.rename(columns={outcome: "y_"})
    ctl = {c: f"c{i}_" for i, c in enumerate(controls)}
    work = work.rename(columns=ctl)
    ctl_terms = [
        v if pd.api.types.is_numeric_dtype(work[v]) else f"C({v})" for v in ctl.values()
    ]
    out = []
    for model, rhs in [("gap", ["gap"]), ("say + do", ["say", "do"])]:
        formula = "y_ ~ " + " + ".join(rhs + ctl_terms)
        res = linkage_regression(work, formula, cluster=cluster, level=level).to_frame()
        res = res[res["term"].isin(rhs)].copy()
        res.insert(0, "model", model)
        out.append(res)
    cols = ["model", "term", "estimate", "se", "ci_low", "ci_high", "p_value", "n_obs"]
    return pd.concat(out, ignore_index=True)[cols]
