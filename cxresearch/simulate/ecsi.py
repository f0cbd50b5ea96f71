"""A **synthetic** customer survey with a known ECSI/ACSI structure, for tests and teaching.

The generating model is the European Customer Satisfaction Index of Tenenhaus, Esposito Vinzi,
Chatelin & Lauro (2005, "PLS path modeling", *Computational Statistics & Data Analysis* 48,
159-205), itself built on the ACSI of Fornell, Johnson, Anderson, Cha & Bryant (1996, *Journal
of Marketing* 60(4)): seven latent constructs linked by a recursive structural model

    eta = B eta + zeta,   Var(eta_j) = 1,   Var(zeta_j) = 1 - R^2_j,

and reflective items ``x = lambda * eta + sqrt(1 - lambda^2) * eps`` (standardized, so each
``lambda`` is the item's correlation with its construct). With ``scale_points`` set, each item is
mapped to a 1..K rating as ``clip(round(item_mean + item_sd * x), 1, K)``, which attenuates the
loadings a little, as real rating scales do. The default path coefficients are rounded from the
estimates on the real mobile-phone data in Tenenhaus et al. (2005, Table 8).

Column names follow the real data (``IMAG1..5``, ``CUEX1..3``, ``PERQ1..7``, ``PERV1..2``,
``CUSA1..3``, ``CUSCO``, ``CUSL1..3``), so :data:`cxresearch.csi.ECSI_BLOCKS` fits both.

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

__all__ = ["DEFAULT_ECSI_PATHS", "EcsiParams", "EcsiSurvey", "simulate_ecsi_survey"]

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


@dataclass(frozen=True)
class EcsiParams:
    """Parameters of the synthetic ECSI survey (all on the standardized latent scale).

    paths: ``(source, target, coefficient)`` triples; the graph must be acyclic.
    loadings: construct -> item loadings (each in (0, 1]); the number of loadings is the number
        of items. A single item gets the bare prefix name (``CUSCO``).
    scale_points: items are rated 1..scale_points; ``None`` keeps them continuous (standard normal).
    item_mean, item_sd: location and spread of the rating before rounding (ECSI ratings are
        skewed towards the top of the scale; the real mobile data average about 7.5 of 10).
    """

    paths: tuple[tuple[str, str, float], ...] = DEFAULT_ECSI_PATHS
    loadings: Mapping[str, tuple[float, ...]] = field(default_factory=lambda: _DEFAULT_LOADINGS)
    scale_points: int | None = 10
    item_mean: float = 7.5
    item_sd: float = 1.6

    def __post_init__(self) -> None:
        for src, tgt, _ in self.paths:
            for name in (src, tgt):
                if name not in self.loadings:
                    raise ValueError(f"paths: construct {name!r} has no entry in loadings")
        for name, lam in self.loadings.items():
            bad = [v for v in lam if not 0 < v <= 1]
            if not lam or bad:
                raise ValueError(f"loadings[{name!r}]: loadings must be in (0, 1], got {bad}")
        if self.scale_points is not None and self.scale_points < 2:
            raise ValueError(f"scale_points must be >= 2 or None, got {self.scale_points}")


@dataclass(frozen=True)
class EcsiSurvey:
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
        return (
            f"synthetic ECSI survey: {len(self.data)} respondents, {self.data.shape[1]} items, "
            f"{len(self.blocks)} constructs, {len(self.paths)} paths"
        )

    def to_frame(self) -> pd.DataFrame:
        return self.data.copy()


def _topological(constructs: list[str], paths: tuple[tuple[str, str, float], ...]) -> list[str]:
    preds = {c: {s for s, t, _ in paths if t == c} for c in constructs}
    order: list[str] = []
    while len(order) < len(constructs):
        ready = [c for c in constructs if c not in order and preds[c] <= set(order)]
        if not ready:
            raise ValueError("paths: the structural model has a cycle")
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
            raise ValueError(f"paths into {c!r} imply R^2 = {r2:.3f} >= 1")
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
    rated on 1..``scale_points`` (see the module docstring for the formulas and the source).

    >>> s = simulate_ecsi_survey(EcsiParams(scale_points=None), n=20000, seed=3)
    >>> round(float(s.latent["Satisfaction"].std()), 1)
    1.0
    >>> round(float(s.data["CUSA1"].corr(s.latent["Satisfaction"])), 2)
    0.9
    """
    params = params or EcsiParams()
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    rng = np.random.default_rng(seed)
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
    for c in constructs:
        lam = params.loadings[c]
        prefix = _PREFIX.get(c, c[:4].upper())
        names = (prefix,) if len(lam) == 1 else tuple(f"{prefix}{i + 1}" for i in range(len(lam)))
        blocks[c] = names
        for name, value in zip(names, lam):
            x = value * latent[c].to_numpy() + np.sqrt(1 - value**2) * rng.standard_normal(n)
            if params.scale_points is not None:
                x = np.clip(np.rint(params.item_mean + params.item_sd * x), 1, params.scale_points)
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
