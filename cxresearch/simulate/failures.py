"""What failure looks like: seeded **synthetic** surveys built to break a method, with the truth.

Every measurement model in the bundled study fits, because the data were generated from it. A
student also needs to see misfit, non-invariance, a reversed item left unreversed and drivers
too collinear to rank, each with a known cause (issue 23). Each generator returns a
:class:`FailureCase`: the answers (1-5 ratings, **synthetic**), the ``model`` an analyst would
fit, the ``truth`` (what is wrong, and where) and a one-line ``description``.

The items are continuous factor scores cut into five categories at fixed thresholds
(-1.5, -0.5, 0.5, 1.5 standard deviations), so the answers look like Likert ratings.

- :func:`misfit_scale` -- two factors of four items; ``kind="cross_loading"``: item ``b1`` also
  loads on factor A; ``kind="correlated_errors"``: ``a3`` and ``a4`` share an error (the same
  wording, say). The two-factor CFA the analyst fits omits it.
- :func:`noninvariant_item` -- one factor of five items answered in two groups; item ``x3``'s
  intercept is ``shift`` SD higher in group ``"B"`` (it works differently there), everything
  else the same.
- :func:`unreversed_item` -- one factor of five items, ``y4`` worded negatively (loading
  negative) and left as answered.
- :func:`collinear_drivers` -- an outcome and four drivers, ``d1`` and ``d2`` correlated
  ``r`` with equal true effects, so their ranks cannot be told apart.

Example
-------
>>> case = misfit_scale(seed=0)
>>> case.data.shape, case.truth["cause"]
((800, 8), 'b1 also loads on factor a (0.6)')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, check_seed

__all__ = ["FailureCase", "collinear_drivers", "misfit_scale", "noninvariant_item",
           "unreversed_item"]

#: the cut points (in SD of the continuous item) that make 1-5 ratings
THRESHOLDS = (-1.5, -0.5, 0.5, 1.5)


@dataclass(frozen=True)
class FailureCase:
    """A synthetic data set built to make a method fail, with what is wrong and where."""

    data: pd.DataFrame
    model: dict[str, list[str]]
    truth: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def _rate(x: np.ndarray) -> np.ndarray:
    """Continuous scores (unit variance) cut into 1-5 ratings at :data:`THRESHOLDS`."""
    return (np.searchsorted(np.asarray(THRESHOLDS), x) + 1).astype(int)


def _items(factor: np.ndarray, loadings: list[float], rng: np.random.Generator,
           extra: np.ndarray | None = None) -> np.ndarray:
    """Standardized items: loading x factor + error (+ an extra part), variance 1."""
    out = []
    for j, lam in enumerate(loadings):
        signal = lam * factor + (0 if extra is None else extra[:, j])
        error_var = max(1e-6, 1 - np.var(signal))
        out.append(signal + rng.normal(scale=np.sqrt(error_var), size=len(factor)))
    return np.column_stack(out)


def misfit_scale(n: int = 800, *, kind: str = "cross_loading", seed: int | None = 0
                 ) -> FailureCase:
    """Two correlated factors (r = 0.3) of four items each, with one thing the model omits.

    Parameters
    ----------
    n : int
        Respondents.
    kind : {"cross_loading", "correlated_errors"}
        What the two-factor model leaves out: ``b1`` loading 0.6 on factor a as well, or an
        error shared by ``a3`` and ``a4`` (a common part of 0.65 SD in both).
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    FailureCase
        ``data`` (a1-a4, b1-b4 on 1-5), ``model`` ({"a": a1-a4, "b": b1-b4}), ``truth``
        (``kind``, ``items``, ``cause``).
    """
    if kind not in ("cross_loading", "correlated_errors"):
        raise DataError(f"argument 'kind' must be 'cross_loading' or 'correlated_errors', got "
                        f"{kind!r}")
    rng = np.random.default_rng(check_seed(seed))
    f = rng.multivariate_normal([0, 0], [[1, 0.3], [0.3, 1]], size=n)
    a = _items(f[:, 0], [0.75, 0.75, 0.7, 0.7], rng,
               extra=None if kind == "cross_loading" else np.column_stack(
                   [np.zeros(n), np.zeros(n), *([0.65 * rng.normal(size=n)] * 2)]))
    extra_b = np.zeros((n, 4))
    if kind == "cross_loading":
        extra_b[:, 0] = 0.6 * f[:, 0]
    b = _items(f[:, 1], [0.6, 0.75, 0.75, 0.7], rng, extra=extra_b)
    cols = [f"a{i}" for i in range(1, 5)] + [f"b{i}" for i in range(1, 5)]
    data = pd.DataFrame(_rate(np.column_stack([a, b])), columns=cols)
    truth = ({"kind": kind, "items": ["b1"], "cause": "b1 also loads on factor a (0.6)"}
             if kind == "cross_loading" else
             {"kind": kind, "items": ["a3", "a4"],
              "cause": "a3 and a4 share part of their error"})
    return FailureCase(data, {"a": cols[:4], "b": cols[4:]}, truth,
                       f"synthetic: a two-factor scale whose model omits that {truth['cause']}")


def noninvariant_item(n_per_group: int = 500, *, shift: float = 0.8, seed: int | None = 0
                      ) -> FailureCase:
    """One factor of five items in groups ``"A"`` and ``"B"``; item ``x3`` works differently.

    Parameters
    ----------
    n_per_group : int
        Respondents per group.
    shift : float
        How much higher ``x3``'s intercept is in group B, in SD of the item (0: invariant).
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    FailureCase
        ``data`` (group, x1-x5 on 1-5), ``model`` ({"x": x1-x5}), ``truth`` (``item``,
        ``shift``; the groups' latent means are equal).
    """
    rng = np.random.default_rng(check_seed(seed))
    frames = []
    for group in ("A", "B"):
        f = rng.normal(size=n_per_group)
        x = _items(f, [0.75, 0.7, 0.75, 0.7, 0.65], rng)
        if group == "B":
            x[:, 2] += shift
        frame = pd.DataFrame(_rate(x), columns=[f"x{i}" for i in range(1, 6)])
        frames.append(frame.assign(group=group))
    data = pd.concat(frames, ignore_index=True)[["group", *[f"x{i}" for i in range(1, 6)]]]
    return FailureCase(data, {"x": [f"x{i}" for i in range(1, 6)]},
                       {"item": "x3", "shift": shift, "latent_mean_difference": 0.0},
                       f"synthetic: item x3 is answered {shift:g} SD higher in group B at the "
                       "same level of the trait")


def unreversed_item(n: int = 600, *, seed: int | None = 0) -> FailureCase:
    """One factor of five items; ``y4`` is worded negatively and left as answered.

    Parameters
    ----------
    n : int
        Respondents.
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    FailureCase
        ``data`` (y1-y5 on 1-5), ``model`` ({"y": y1-y5}), ``truth`` (``item``: ``"y4"``; it
        must be scored 6 - y4).
    """
    rng = np.random.default_rng(check_seed(seed))
    f = rng.normal(size=n)
    y = _items(f, [0.75, 0.7, 0.75, -0.7, 0.7], rng)
    data = pd.DataFrame(_rate(y), columns=[f"y{i}" for i in range(1, 6)])
    return FailureCase(data, {"y": list(data.columns)}, {"item": "y4", "scored_as": "6 - y4"},
                       "synthetic: y4 runs against the other items until it is reverse-scored")


def collinear_drivers(n: int = 500, *, r: float = 0.95, seed: int | None = 0) -> FailureCase:
    """An outcome and four drivers; ``d1`` and ``d2`` correlate ``r`` and matter equally.

    Parameters
    ----------
    n : int
        Respondents.
    r : float
        Correlation of d1 and d2 (below 1).
    seed : int or None
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    FailureCase
        ``data`` (y, d1-d4, continuous), ``model`` ({"y": d1-d4}), ``truth`` (``betas``:
        0.3, 0.3, 0.2, 0.1; ``tied``: d1 and d2).
    """
    if not -1 < r < 1:
        raise DataError(f"argument 'r' must lie strictly between -1 and 1, got {r!r}")
    rng = np.random.default_rng(check_seed(seed))
    cov = np.eye(4)
    cov[0, 1] = cov[1, 0] = r
    d = rng.multivariate_normal(np.zeros(4), cov, size=n)
    betas = np.array([0.3, 0.3, 0.2, 0.1])
    y = d @ betas + rng.normal(size=n)
    data = pd.DataFrame(d, columns=["d1", "d2", "d3", "d4"]).assign(y=y)[
        ["y", "d1", "d2", "d3", "d4"]]
    return FailureCase(data, {"y": ["d1", "d2", "d3", "d4"]},
                       {"betas": dict(zip(["d1", "d2", "d3", "d4"], betas.tolist(),
                                          strict=True)), "tied": ["d1", "d2"], "r": r},
                       f"synthetic: d1 and d2 correlate {r:g} and have the same true effect")
