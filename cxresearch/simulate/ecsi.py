"""A **synthetic** customer survey with a known ECSI/ACSI structure, for tests and teaching.

The generating model is the European Customer Satisfaction Index of Tenenhaus, Esposito Vinzi,
Chatelin & Lauro (2005, "PLS path modeling", *Computational Statistics & Data Analysis* 48,
159-205), itself built on the ACSI of Fornell, Johnson, Anderson, Cha & Bryant (1996, *Journal
of Marketing* 60(4)): seven latent constructs linked by a recursive structural model

    eta = B eta + zeta,   Var(eta_j) = 1,   Var(zeta_j) = 1 - R^2_j,

and reflective items ``x = lambda * eta + sqrt(1 - lambda^2) * eps`` (standardized, so each
``lambda`` is the item's correlation with its construct). With ``scale_points`` set, each item is
mapped to a 1..K rating as ``clip(round(mu_i + item_sd * x), 1, K)``, which attenuates the
loadings a little, as real rating scales do. The item locations ``mu_i`` differ by item
(:data:`DEFAULT_ITEM_MEANS`; top-heavy, like real satisfaction ratings); they move the item means
only, never the latent structure. The default path coefficients are rounded from the estimates
on the real mobile-phone data in Tenenhaus et al. (2005, Table 8).

Column names follow the real data (``IMAG1..5``, ``CUEX1..3``, ``PERQ1..7``, ``PERV1..2``,
``CUSA1..3``, ``CUSCO``, ``CUSL1..3``), so :data:`cxresearch.measurement.csi.ECSI_BLOCKS` fits both.

>>> from cxresearch.simulate.ecsi import simulate_ecsi_survey
>>> survey = simulate_ecsi_survey(n=200, seed=1)
>>> survey.data.shape
(200, 24)
>>> int(survey.data.min().min()), int(survey.data.max().max())
(1, 10)
>>> round(float(survey.latent_correlations().loc["Image", "Expectation"]), 2)
0.5
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import DataError, check_seed

__all__ = [
    "DEFAULT_ECSI_PATHS",
    "DEFAULT_ITEM_MEANS",
    "EcsiParams",
    "EcsiSurvey",
    "simulate_ecsi_survey",
]

# (source, target, standardized coefficient); rounded from Tenenhaus et al. (2005), Table 8.
DEFAULT_ECSI_PATHS: tuple[tuple[str, str, float], ...] = (
    ("Image", "Expectation", 0.50),
    ("Image", "Satisfaction", 0.18),
    ("Image", "Loyalty", 0.20),
    ("Expectation", "Quality", 0.55),
    ("Expectation", "Value", 0.07),
    ("Expectation", "Satisfaction", 0.06),
    ("Quality", "Value", 0.54),
    ("Quality", "Satisfaction", 0.51),
    ("Value", "Satisfaction", 0.19),
    ("Satisfaction", "Complaints", 0.53),
    ("Satisfaction", "Loyalty", 0.48),
    ("Complaints", "Loyalty", 0.07),
)

_DEFAULT_LOADINGS: Mapping[str, tuple[float, ...]] = MappingProxyType(
    {
        "Image": (0.75, 0.60, 0.65, 0.80, 0.75),
        "Expectation": (0.75, 0.70, 0.60),
        "Quality": (0.80, 0.65, 0.80, 0.75, 0.80, 0.75, 0.80),
        "Value": (0.90, 0.90),
        "Satisfaction": (0.90, 0.85, 0.80),
        "Complaints": (1.0,),
        "Loyalty": (0.90, 0.25, 0.90),
    }
)

_PREFIX: Mapping[str, str] = MappingProxyType(
    {
        "Image": "IMAG",
        "Expectation": "CUEX",
        "Quality": "PERQ",
        "Value": "PERV",
        "Satisfaction": "CUSA",
        "Complaints": "CUSCO",
        "Loyalty": "CUSL",
    }
)


# Item locations on the 1-10 scale (the mean of the rating before rounding and clipping).
# ASSUMPTIONS, chosen for teaching, not estimated: real ECSI/ACSI ratings are skewed towards the
# top of the scale (Fornell et al. 1996; the ECSI mobile-phone data of Tenenhaus et al. 2005 have
# item means of about 7-8 of 10, with perceived value around 6-7 and price tolerance, CUSL2,
# near 5). We keep that shape -- image high, quality spread from about 6.3 to 8.5 so that an
# importance-performance map has something to show, value lower, price tolerance lowest -- but
# spread the quality items wider than the real data (7.2-7.9) do.
DEFAULT_ITEM_MEANS: Mapping[str, float] = MappingProxyType(
    {
        # image: the brand is well regarded; "innovative" (IMAG3) a little less
        "IMAG1": 7.9, "IMAG2": 8.1, "IMAG3": 6.9, "IMAG4": 7.7, "IMAG5": 8.3,
        # expectations: moderately high
        "CUEX1": 7.6, "CUEX2": 7.5, "CUEX3": 7.2,
        # perceived quality: from a weak spot (PERQ2, PERQ6) to a strength (PERQ4, PERQ1)
        "PERQ1": 8.3, "PERQ2": 6.3, "PERQ3": 7.8, "PERQ4": 8.5,
        "PERQ5": 7.3, "PERQ6": 6.6, "PERQ7": 7.6,
        # perceived value: lower than quality, as in the real data
        "PERV1": 6.1, "PERV2": 6.7,
        # satisfaction, complaints, loyalty (CUSL2 = price tolerance, lowest, as in the real data)
        "CUSA1": 7.9, "CUSA2": 7.2, "CUSA3": 7.3,
        "CUSCO": 7.0,
        "CUSL1": 7.5, "CUSL2": 5.0, "CUSL3": 7.7,
    }
)  # fmt: skip


def _item_names(loadings: Mapping[str, tuple[float, ...]]) -> dict[str, tuple[str, ...]]:
    """Construct -> item column names (``PERQ1``...; a single item gets the bare prefix)."""
    out: dict[str, tuple[str, ...]] = {}
    for c, lam in loadings.items():
        prefix = _PREFIX.get(c, c[:4].upper())
        out[c] = (prefix,) if len(lam) == 1 else tuple(f"{prefix}{i + 1}" for i in range(len(lam)))
    return out


@dataclass(frozen=True)
class EcsiParams:
    """Parameters of the synthetic ECSI survey (all on the standardized latent scale).

    Parameters
    ----------
    paths : tuple
        ``(source, target, coefficient)`` triples; the graph must be acyclic.
    loadings : dict
        Construct -> item loadings (each in (0, 1]); the number of loadings is the number of
        items. A single item gets the bare prefix name (``CUSCO``).
    scale_points : int or None
        Items are rated 1..scale_points; ``None`` keeps them continuous (standard normal,
        ignoring the locations below).
    item_means : dict
        Item name -> location ``mu_i`` of its rating before rounding and clipping (default
        :data:`DEFAULT_ITEM_MEANS`: varied and top-heavy, an assumption modelled on the real
        ECSI mobile data). Items not listed use ``item_mean``; ``item_means={}`` gives every
        item the same location. Near the top of the scale clipping pulls the observed mean a
        little below ``mu_i`` (by about 0.15 at ``mu_i = 8.5``).
    item_mean : float
        The location of items missing from ``item_means``.
    item_sd : float
        Spread of the rating before rounding (the same for every item).

    Examples
    --------
    >>> EcsiParams().item_locations()[["PERQ2", "PERQ4", "PERV1"]].tolist()
    [6.3, 8.5, 6.1]
    >>> float(EcsiParams(item_means={}).item_locations().std())
    0.0
    """

    paths: tuple[tuple[str, str, float], ...] = DEFAULT_ECSI_PATHS
    loadings: Mapping[str, tuple[float, ...]] = field(default_factory=lambda: _DEFAULT_LOADINGS)
    scale_points: int | None = 10
    item_mean: float = 7.5
    item_sd: float = 1.6
    item_means: Mapping[str, float] = field(default_factory=lambda: DEFAULT_ITEM_MEANS)

    def __post_init__(self) -> None:
        for src, tgt, _ in self.paths:
            for name in (src, tgt):
                if name not in self.loadings:
                    raise DataError(f"paths: construct {name!r} has no entry in loadings")
        for name, lam in self.loadings.items():
            bad = [v for v in lam if not 0 < v <= 1]
            if not lam or bad:
                raise DataError(f"loadings[{name!r}]: loadings must be in (0, 1], got {bad}")
        if self.scale_points is not None and self.scale_points < 2:
            raise DataError(f"scale_points must be >= 2 or None, got {self.scale_points}")
        if not self.item_sd > 0:
            raise DataError(f"item_sd must be positive, got {self.item_sd}")
        names = [n for block in _item_names(self.loadings).values() for n in block]
        unknown = sorted(set(self.item_means) - set(names))
        if unknown:
            raise DataError(f"item_means: item(s) {unknown} are not items of the model")
        if self.scale_points is not None:
            locs = {"item_mean": self.item_mean, **self.item_means}
            bad = {k: v for k, v in locs.items() if not 1 <= v <= self.scale_points}
            if bad:
                raise DataError(
                    f"item_means: location(s) outside 1..{self.scale_points}: {bad}"
                )

    def item_locations(self) -> pd.Series:
        """Location ``mu_i`` of every item's rating (before rounding and clipping), in order."""
        names = [n for block in _item_names(self.loadings).values() for n in block]
        return pd.Series(
            [float(self.item_means.get(n, self.item_mean)) for n in names],
            index=pd.Index(names, name="item"),
            name="location",
        )


@dataclass(frozen=True)
class EcsiSurvey(Result):
    """A simulated (**synthetic**) ECSI survey and the truth that generated it.

    data: item responses (respondents x items).
    latent: the true construct scores (standardized).
    blocks: construct -> item column names.
    paths: the true structural coefficients (``source``, ``target``, ``estimate``).
    loadings: the true loadings (``construct``, ``item``, ``loading``) on the continuous scale.
    params: the :class:`EcsiParams` used.
    """

    data: pd.DataFrame
    latent: pd.DataFrame
    blocks: Mapping[str, tuple[str, ...]]
    paths: pd.DataFrame
    loadings: pd.DataFrame
    params: EcsiParams

    def path_list(self) -> list[tuple[str, str]]:
        """The structural model as ``(source, target)`` pairs, ready for ``fit_pls``."""
        return list(zip(self.paths["source"], self.paths["target"]))

    def latent_correlations(self) -> pd.DataFrame:
        """Population correlations of the constructs implied by the true paths."""
        return _latent_covariance(self.params.paths, list(self.blocks))

    def summary(self) -> str:
        """One line: respondents, items, constructs, paths (labelled synthetic)."""
        return (
            f"synthetic ECSI survey: {len(self.data)} respondents, {self.data.shape[1]} items, "
            f"{len(self.blocks)} constructs, {len(self.paths)} paths"
        )

    def to_frame(self) -> pd.DataFrame:
        """The item responses (a copy)."""
        return self.data.copy()


def _topological(constructs: list[str], paths: tuple[tuple[str, str, float], ...]) -> list[str]:
    preds = {c: {s for s, t, _ in paths if t == c} for c in constructs}
    order: list[str] = []
    while len(order) < len(constructs):
        ready = [c for c in constructs if c not in order and preds[c] <= set(order)]
        if not ready:
            raise DataError("paths: the structural model has a cycle")
        order.extend(ready)
    return order


def _latent_covariance(
    paths: tuple[tuple[str, str, float], ...], constructs: list[str]
) -> pd.DataFrame:
    """Correlation matrix of standardized constructs, built in topological order."""
    idx = {c: i for i, c in enumerate(constructs)}
    k = len(constructs)
    b = np.zeros((k, k))  # b[target, source]
    for s, t, v in paths:
        b[idx[t], idx[s]] = v
    sigma = np.zeros((k, k))
    for c in _topological(constructs, paths):
        j = idx[c]
        pred = np.flatnonzero(b[j])
        if pred.size == 0:
            sigma[j, j] = 1.0
            # exogenous constructs are independent of each other unless linked by paths
            continue
        coef = b[j, pred]
        r2 = float(coef @ sigma[np.ix_(pred, pred)] @ coef)
        if r2 >= 1:
            raise DataError(f"paths into {c!r} imply R^2 = {r2:.3f} >= 1")
        cov_with_all = coef @ sigma[pred, :]
        sigma[j, :] = cov_with_all
        sigma[:, j] = cov_with_all
        sigma[j, j] = 1.0
    return pd.DataFrame(sigma, index=constructs, columns=constructs)


def simulate_ecsi_survey(
    params: EcsiParams | None = None, n: int = 250, seed: int | None = 0
) -> EcsiSurvey:
    """Simulate ``n`` respondents of a **synthetic** ECSI customer survey with a known truth.

    The constructs are drawn from the recursive structural model (standardized, so every true
    coefficient is a standardized path), the items from the reflective measurement model, then
    rated on 1..``scale_points`` around each item's location (:meth:`EcsiParams.item_locations`;
    see the module docstring for the formulas and the source).

    Parameters
    ----------
    params : EcsiParams, optional
        The model; default ``EcsiParams()`` (paths rounded from Tenenhaus et al. 2005).
    n : int
        Number of respondents (at least 2).
    seed : int or None
        Seed of ``numpy.random.default_rng`` (None: fresh entropy).

    Returns
    -------
    EcsiSurvey
        The responses, the true construct scores, paths and loadings.

    References
    ----------
    Tenenhaus, Esposito Vinzi, Chatelin & Lauro (2005), *Computational Statistics & Data
    Analysis* 48, 159-205; Fornell, Johnson, Anderson, Cha & Bryant (1996), *Journal of
    Marketing* 60(4).

    Examples
    --------
    >>> s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=20000, seed=3)
    >>> round(float(s.latent["Satisfaction"].std()), 1)
    1.0
    >>> round(float(s.data["CUSA1"].corr(s.latent["Satisfaction"])), 2)
    0.9
    """
    params = params or EcsiParams()
    if n < 2:
        raise DataError(f"n must be at least 2, got {n}")
    rng = np.random.default_rng(check_seed(seed))
    constructs = list(params.loadings)
    order = _topological(constructs, params.paths)
    sigma = _latent_covariance(params.paths, constructs)
    latent = pd.DataFrame(index=pd.RangeIndex(n), columns=constructs, dtype=float)
    for c in order:
        incoming = [(s, v) for s, t, v in params.paths if t == c]
        if not incoming:
            latent[c] = rng.standard_normal(n)
            continue
        srcs = [s for s, _ in incoming]
        coef = np.array([v for _, v in incoming])
        r2 = float(coef @ sigma.loc[srcs, srcs].to_numpy() @ coef)
        latent[c] = latent[srcs].to_numpy() @ coef + np.sqrt(1 - r2) * rng.standard_normal(n)

    items: dict[str, np.ndarray] = {}
    blocks: dict[str, tuple[str, ...]] = {}
    rows = []
    locations = params.item_locations()
    names_of = _item_names(params.loadings)
    for c in constructs:
        lam = params.loadings[c]
        names = names_of[c]
        blocks[c] = names
        for name, value in zip(names, lam):
            x = value * latent[c].to_numpy() + np.sqrt(1 - value**2) * rng.standard_normal(n)
            if params.scale_points is not None:
                mu = float(locations[name])
                x = np.clip(np.rint(mu + params.item_sd * x), 1, params.scale_points)
                items[name] = x.astype(np.int64)
            else:
                items[name] = x
            rows.append({"construct": c, "item": name, "loading": value})
    data = pd.DataFrame(items)
    truth_paths = pd.DataFrame(list(params.paths), columns=["source", "target", "estimate"])
    return EcsiSurvey(
        data=data,
        latent=latent,
        blocks=MappingProxyType(blocks),
        paths=truth_paths,
        loadings=pd.DataFrame(rows),
        params=params,
    )
