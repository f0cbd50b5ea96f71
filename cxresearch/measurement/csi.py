"""Customer-satisfaction index models: PLS path modelling (PLS-PM) in numpy.

Lohmoeller's (1989, *Latent Variable Path Modeling with Partial Least Squares*) version of Wold's
(1982) PLS algorithm, as used for the ACSI (Fornell, Johnson, Anderson, Cha & Bryant, 1996,
*Journal of Marketing* 60(4), 7-18) and the ECSI (Tenenhaus, Esposito Vinzi, Chatelin & Lauro,
2005, *Computational Statistics & Data Analysis* 48, 159-205). For blocks ``X_j`` (items
standardized by default) and outer weights ``w_j``, iterate until the weights stop changing:

1. outer estimate ``Y_j = X_j w_j``, scaled to unit variance;
2. inner estimate ``Z_j = sum_i e_ji Y_i`` over the constructs adjacent to j, with the inner
   weights ``e_ji`` = ``sign(cor(Y_j, Y_i))`` (centroid scheme), ``cor(Y_j, Y_i)`` (factorial),
   or (path scheme) the coefficients of the regression of ``Y_j`` on its predecessors and
   ``cor(Y_j, Y_i)`` for its successors;
3. new outer weights ``w_j = cov(X_j, Z_j)`` (mode A, reflective) or
   ``w_j = (X_j'X_j)^{-1} X_j'Z_j`` (mode B, formative).

Paths are then the OLS coefficients of each endogenous construct on its predecessors, loadings
the item-construct correlations. Signs: each construct is oriented so that its loadings sum to a
positive number. Bootstrap intervals resample respondents (percentile), with construct-level sign
alignment; :meth:`PlsResult.conf_int` recomputes them at any level. Index scores on 0-100 follow
the ACSI: unstandardized weights ``w_i / s_i`` normalised to sum to one, then
``100 * (sum w_i x_i - sum w_i lo_i) / sum w_i (hi_i - lo_i)``.

Why our own implementation (not ``plspm``): plspm 0.5.7 fails on pandas 3 (``path.loc[dv,]``
inside ``Plspm``); the algorithm is short, and this one is tested against seminr's output on the
ECSI mobile-phone data (Image->Expectation 0.512877, Quality->Loyalty 0.405694, ...) and against
closed forms (two blocks: first singular vectors of the cross-covariance for mode A; canonical
correlation for mode B).

>>> from cxresearch.simulate.ecsi import simulate_ecsi_survey
>>> s = simulate_ecsi_survey(n=400, seed=2)
>>> fit = fit_pls(s.data, ECSI_BLOCKS, ECSI_PATHS)
>>> fit.converged, len(fit.paths)
(True, 12)
>>> 50 < float(fit.scores().mean()["Satisfaction"]) < 90
True
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from cxresearch.core.results import Result
from cxresearch.core.validation import (
    DataError,
    check_level,
    check_n_boot,
    check_seed,
    first_rows,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = [
    "ECSI_BLOCKS",
    "ECSI_PATHS",
    "PlsResult",
    "fit_pls",
    "read_ecsi_survey",
]

ECSI_BLOCKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Image": ("IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"),
        "Expectation": ("CUEX1", "CUEX2", "CUEX3"),
        "Quality": ("PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"),
        "Value": ("PERV1", "PERV2"),
        "Satisfaction": ("CUSA1", "CUSA2", "CUSA3"),
        "Complaints": ("CUSCO",),
        "Loyalty": ("CUSL1", "CUSL2", "CUSL3"),
    }
)
"""Constructs -> items of the ECSI mobile-phone questionnaire (Tenenhaus et al. 2005)."""

ECSI_PATHS: tuple[tuple[str, str], ...] = (
    ("Image", "Expectation"),
    ("Image", "Satisfaction"),
    ("Image", "Loyalty"),
    ("Expectation", "Quality"),
    ("Expectation", "Value"),
    ("Expectation", "Satisfaction"),
    ("Quality", "Value"),
    ("Quality", "Satisfaction"),
    ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"),
    ("Satisfaction", "Loyalty"),
    ("Complaints", "Loyalty"),
)
"""The ECSI structural model (Tenenhaus et al. 2005, Figure 5)."""

Scheme = Literal["path", "centroid", "factorial"]


def read_ecsi_survey(
    data_dir: str | Path,
    blocks: Mapping[str, Sequence[str]] = ECSI_BLOCKS,
    scale: tuple[int, int] = (1, 10),
    name: str = "ecsi_survey",
) -> pd.DataFrame:
    """Read and check a user's ECSI-style survey export, ``DATA_DIR/ecsi_survey.<ext>``.

    The file is found as :func:`cxresearch.io.readers.find_table` finds a study table (``.parquet``,
    ``.csv``, ``.xlsx``, ``.sav``, in that order). It needs one column per item of ``blocks``
    (the ECSI questionnaire's item names, ``IMAG1`` ... ``CUSL3``), answered on the integer
    scale ``scale``; other columns are kept. Missing answers are allowed (drop or impute them
    before :func:`fit_pls`, which needs complete rows). The file is never modified.

    Parameters
    ----------
    data_dir : str or Path
        The folder holding the export.
    blocks : mapping
        Construct -> item columns that must be present (default :data:`ECSI_BLOCKS`).
    scale : (lo, hi)
        The integer answer scale.
    name : str
        File stem to look for.

    Returns
    -------
    DataFrame
        The file's rows, item columns as float.

    Raises
    ------
    FileNotFoundError
        Naming the files looked for.
    cxresearch.io.readers.SurveyValidationError
        (a :class:`~cxresearch.core.validation.DataError`) naming the column, the rule and the first
        offending rows (0-based data rows).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxresearch.simulate import simulate_ecsi_survey
    >>> with tempfile.TemporaryDirectory() as d:
    ...     simulate_ecsi_survey(n=20, seed=1).data.to_csv(pathlib.Path(d) / "ecsi_survey.csv",
    ...                                                  index=False)
    ...     read_ecsi_survey(d).shape
    (20, 24)
    """
    from cxresearch.io.readers import TABLE_SUFFIXES, SurveyValidationError, find_table

    directory = Path(data_dir)
    items = [i for block in blocks.values() for i in block]
    path = find_table(directory, name)
    if path is None:
        raise FileNotFoundError(
            f"argument 'data_dir': no {' or '.join(name + x for x in TABLE_SUFFIXES)} in "
            f"{directory.name!r}; notebooks 03 and 04 need one row per respondent with the ECSI "
            f"items {items}"
        )
    if path.suffix == ".csv":
        data = pd.read_csv(path, dtype=str)
    elif path.suffix == ".xlsx":
        data = pd.read_excel(path, dtype=str)
    elif path.suffix == ".sav":
        import pyreadstat

        data, _ = pyreadstat.read_sav(str(path), apply_value_formats=False)
    else:
        data = pd.read_parquet(path)
    missing = [i for i in items if i not in data.columns]
    if missing:
        raise SurveyValidationError(
            f"{path.name}: missing item column(s) {missing}; found {[str(c) for c in data.columns]}"
        )
    lo, hi = scale
    out = data.copy()
    rows = pd.RangeIndex(len(out))  # messages name 0-based data rows
    for item in items:
        text = out[item].astype("string").str.strip()
        number = pd.to_numeric(text, errors="coerce")
        bad_text = (number.isna() & text.notna() & (text != "")).to_numpy(dtype=bool)
        if bad_text.any():
            raise SurveyValidationError(
                f"{path.name}: column {item!r}: text in a numeric column at rows "
                f"{first_rows(bad_text, rows)} (e.g. {text[bad_text].head(3).tolist()})"
            )
        outside = (number.notna() & ((number < lo) | (number > hi) | (number % 1 != 0))).to_numpy(
            dtype=bool
        )
        if outside.any():
            raise SurveyValidationError(
                f"{path.name}: column {item!r}: {int(outside.sum())} value(s) not integers in "
                f"{lo}..{hi} at rows {first_rows(outside, rows)} "
                f"(e.g. {number[outside].head(3).tolist()})"
            )
        out[item] = number.astype("float64")
    return out


# --------------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------------
_PARTS = {"paths": "estimate", "loadings": "loading", "weights": "weight"}


@dataclass(frozen=True, eq=False)
class PlsResult(Result):
    """A fitted PLS path model.

    paths: ``source``, ``target``, ``estimate`` (+ ``se``, ``ci_low``, ``ci_high`` with
    bootstrap resamples, percentile intervals at ``level``).
    r2: R^2 of each endogenous construct (Series indexed by construct).
    loadings: ``construct``, ``item``, ``loading`` (+ ``se``, ``ci_low``, ``ci_high``).
    weights: ``construct``, ``item``, ``weight`` (outer weights on the analysed item scale; +
    the same bootstrap columns).
    n_boot: the bootstrap resamples kept (0: no intervals); level: their confidence level.

    Examples
    --------
    >>> from cxresearch.simulate.ecsi import simulate_ecsi_survey
    >>> s = simulate_ecsi_survey(n=300, seed=5)
    >>> fit = fit_pls(s.data, ECSI_BLOCKS, ECSI_PATHS, scale_range=(1, 10))
    >>> fit.n_boot, list(fit.paths.columns)
    (0, ['source', 'target', 'estimate'])
    """

    blocks: Mapping[str, tuple[str, ...]]
    structure: tuple[tuple[str, str], ...]
    modes: Mapping[str, str]
    scheme: str
    standardize: bool
    paths: pd.DataFrame
    r2: pd.Series
    loadings: pd.DataFrame
    weights: pd.DataFrame
    iterations: int
    converged: bool
    n: int
    n_boot: int = 0
    level: float = 0.95
    scale_range: tuple[float, float] | None = None
    _latent: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _items: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _draws: Mapping[str, np.ndarray] = field(default_factory=dict, repr=False)

    # ---------------------------------------------------------------- scores
    def scores(
        self,
        scale: Literal["0-100", "standardized"] = "0-100",
        item_range: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    ) -> pd.DataFrame:
        """Construct scores per respondent.

        ``"standardized"``: the PLS scores (mean 0, sd 1). ``"0-100"``: the ACSI rescaling
        (Fornell et al. 1996): unstandardized weights ``w_i / s_i`` normalised to sum to one,
        applied to the raw items and mapped so that the scale minimum is 0 and maximum 100.
        ``item_range`` gives the rating scale ``(lo, hi)`` (one pair for all items or a mapping
        item -> pair); default: ``scale_range`` given to :func:`fit_pls`, else the observed
        minimum and maximum of each item.
        """
        if scale == "standardized":
            return self._latent.copy()
        if scale != "0-100":
            raise ValueError(f"scale must be '0-100' or 'standardized', got {scale!r}")
        rng_arg = item_range if item_range is not None else self.scale_range
        out = {}
        for construct, items in self.blocks.items():
            x = self._items[list(items)]
            w = self.weights.set_index("item").loc[list(items), "weight"].to_numpy()
            if self.standardize:
                w = w / x.std(ddof=1).to_numpy()
            if np.any(w < 0):
                raise ValueError(
                    f"construct {construct!r} has negative outer weights; a 0-100 index is "
                    "not defined (use scale='standardized')"
                )
            w = w / w.sum()
            if rng_arg is None:
                lo, hi = x.min().to_numpy(float), x.max().to_numpy(float)
            elif isinstance(rng_arg, Mapping):
                lo = np.array([rng_arg[i][0] for i in items], float)
                hi = np.array([rng_arg[i][1] for i in items], float)
            else:
                lo = np.full(len(items), float(rng_arg[0]))
                hi = np.full(len(items), float(rng_arg[1]))
            score = 100 * (x.to_numpy(float) @ w - lo @ w) / ((hi - lo) @ w)
            # items are checked to lie in their range, so only rounding can leave [0, 100]
            # (a respondent answering 10 everywhere scores 100.00000000000001 without this)
            out[construct] = np.clip(score, 0.0, 100.0)
        return pd.DataFrame(out, index=self._items.index)

    def index(self, item_range: tuple[float, float] | None = None) -> pd.Series:
        """Mean 0-100 score of each construct (the published ACSI/ECSI index numbers)."""
        return self.scores("0-100", item_range=item_range).mean().rename("index")

    # ---------------------------------------------------------------- effects and quality
    def effects(self) -> pd.DataFrame:
        """Direct, indirect and total effects between constructs (``(I - B)^-1 - I``)."""
        names = list(self.blocks)
        k = len(names)
        b = np.zeros((k, k))  # b[source, target]
        pos = {c: i for i, c in enumerate(names)}
        for _, row in self.paths.iterrows():
            b[pos[row["source"]], pos[row["target"]]] = row["estimate"]
        total = np.linalg.inv(np.eye(k) - b) - np.eye(k)
        rows = [
            {
                "source": s,
                "target": t,
                "direct": b[pos[s], pos[t]],
                "indirect": total[pos[s], pos[t]] - b[pos[s], pos[t]],
                "total": total[pos[s], pos[t]],
            }
            for s in names
            for t in names
            if abs(total[pos[s], pos[t]]) > 0
        ]
        return pd.DataFrame(rows)

    def reliability(self) -> pd.DataFrame:
        """Per construct: Cronbach's alpha, composite reliability (rho_C), AVE and rho_A.

        rho_C = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)) (Werts, Linn & Joreskog 1974);
        AVE = mean(l^2) (Fornell & Larcker 1981); rho_A = (w'w)^2 w'(S - diag S)w /
        w'(ww' - diag ww')w (Dijkstra & Henseler 2015, *MIS Quarterly* 39(2)). Single items
        get 1; mode-B constructs are listed but reflective criteria do not apply to them.
        """
        from cxresearch.measurement.psychometrics import cronbach_alpha

        rows = []
        for construct, items in self.blocks.items():
            lam = self.loadings.loc[self.loadings["construct"] == construct, "loading"].to_numpy()
            x = self._items[list(items)]
            if len(items) == 1:
                rows.append({"construct": construct, "mode": self.modes[construct],
                             "alpha": 1.0, "rho_c": 1.0, "ave": 1.0, "rho_a": 1.0})  # fmt: skip
                continue
            s = np.corrcoef(x.to_numpy(float), rowvar=False)
            w = self.weights.loc[self.weights["construct"] == construct, "weight"].to_numpy()
            if not self.standardize:
                w = w * x.std(ddof=1).to_numpy()
            w = w / np.sqrt(w @ s @ w)
            ww = np.outer(w, w)
            rho_a = (w @ w) ** 2 * (w @ (s - np.diag(np.diag(s))) @ w) / (
                w @ (ww - np.diag(np.diag(ww))) @ w
            )
            rows.append(
                {
                    "construct": construct,
                    "mode": self.modes[construct],
                    "alpha": cronbach_alpha(x, level=None).alpha,
                    "rho_c": lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()),
                    "ave": float(np.mean(lam**2)),
                    "rho_a": float(rho_a),
                }
            )
        return pd.DataFrame(rows).set_index("construct")

    def htmt(self) -> pd.DataFrame:
        """Heterotrait-monotrait ratios between multi-item constructs (Henseler et al. 2015)."""
        from cxresearch.measurement.psychometrics import htmt

        blocks = {c: list(i) for c, i in self.blocks.items() if len(i) > 1}
        return htmt(self._items, blocks)

    def conf_int(
        self,
        level: float = 0.95,
        which: Literal["paths", "loadings", "weights", "r2"] = "paths",
    ) -> pd.DataFrame:
        """Percentile bootstrap intervals at ``level``.

        ``which`` picks the paths (``source``, ``target``), loadings or weights (``construct``,
        ``item``) or the R^2 of the endogenous constructs (``construct``); the frame has the
        estimate and ``ci_low``/``ci_high``. Needs ``fit_pls(..., n_boot=...)``.
        """
        level = check_level(level)
        if which not in (*_PARTS, "r2"):
            raise DataError(f"argument 'which' must be one of {[*_PARTS, 'r2']}, got {which!r}")
        if not self.n_boot:
            raise DataError("no bootstrap resamples: refit with n_boot=... (e.g. 500) for "
                            "intervals")  # fmt: skip
        if which == "r2":
            out = self.r2.rename("estimate").reset_index()
        else:
            frame = getattr(self, which)
            keys = ["source", "target"] if which == "paths" else ["construct", "item"]
            out = frame[[*keys, _PARTS[which]]].copy()
        lo, hi = _percentiles(self._draws[which], level)
        out["ci_low"], out["ci_high"] = lo, hi
        return out

    def summary(self) -> str:
        """A few lines: the model, convergence, R^2 of each endogenous construct, the paths."""
        boot = (f"; {self.level:.0%} percentile intervals from {self.n_boot} bootstrap "
                "resamples" if self.n_boot else "")  # fmt: skip
        state = (f"converged in {self.iterations} iterations" if self.converged
                 else f"NOT converged after {self.iterations} iterations")  # fmt: skip
        lines = [
            f"PLS path model ({self.scheme} scheme, {len(self.blocks)} constructs, "
            f"{len(self.structure)} paths, n = {self.n}): {state}{boot}",
            "R²: " + ", ".join(f"{c} {v:.3f}" for c, v in self.r2.items()),
        ]
        for row in self.paths.itertuples(index=False):
            ci = (f" [{row.ci_low:.3f}, {row.ci_high:.3f}]"  # type: ignore[attr-defined]
                  if self.n_boot else "")  # fmt: skip
            lines.append(f"  {row.source} -> {row.target}: {row.estimate:.3f}{ci}")
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The structural paths as a tidy frame (``source``, ``target``, ``estimate`` ...)."""
        return self.paths.copy()


# --------------------------------------------------------------------------------------------
# algorithm
# --------------------------------------------------------------------------------------------
def _validate(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    modes: Mapping[str, str] | None,
    scheme: str,
) -> tuple[list[str], dict[str, list[str]], list[tuple[str, str]], dict[str, str]]:
    require_frame(data)
    if scheme not in ("path", "centroid", "factorial"):
        raise DataError(f"argument 'scheme' must be 'path', 'centroid' or 'factorial', got "
                        f"{scheme!r}")  # fmt: skip
    names = list(blocks)
    blk = {c: list(v) if not isinstance(v, str) else [v] for c, v in blocks.items()}
    seen: dict[str, str] = {}
    for c, items in blk.items():
        if not items:
            raise DataError(f"blocks[{c!r}] has no items")
        for it in items:
            if it in seen:
                raise DataError(f"blocks: item {it!r} is in both {seen[it]!r} and {c!r}")
            seen[it] = c
    require_columns(data, list(seen))
    require_numeric(data, list(seen))
    for it in seen:
        col = data[it]
        if pd.api.types.is_bool_dtype(col):
            raise DataError(f"column {it!r} is boolean; code it as numbers first")
        if col.isna().any():
            raise DataError(
                f"column {it!r}: {int(col.isna().sum())} missing value(s) at rows "
                f"{first_rows(col.isna(), data.index)}; PLS-PM needs complete data (impute or "
                "drop those rows first)"
            )
        if col.nunique() < 2:
            raise DataError(f"column {it!r} is constant")
    pth = [(str(s), str(t)) for s, t in paths]
    for s, t in pth:
        for c in (s, t):
            if c not in blk:
                raise DataError(f"paths: construct {c!r} is not in blocks")
        if s == t:
            raise DataError(f"paths: self-loop on {s!r}")
    if len(set(pth)) != len(pth):
        raise DataError("paths: duplicated (source, target) pairs")
    linked = {c for p in pth for c in p}
    lonely = [c for c in names if c not in linked]
    if lonely:
        raise DataError(f"construct(s) {lonely} appear in no path")
    # acyclic check
    done: list[str] = []
    while len(done) < len(names):
        ready = [c for c in names if c not in done and all(s in done for s, t in pth if t == c)]
        if not ready:
            raise DataError("paths: the structural model has a cycle (PLS-PM needs a DAG)")
        done.extend(ready)
    md = {c: "A" for c in names}
    for c, m in (modes or {}).items():
        if c not in blk:
            raise DataError(f"modes: construct {c!r} is not in blocks")
        if m not in ("A", "B"):
            raise DataError(f"modes[{c!r}] must be 'A' or 'B', got {m!r}")
        md[c] = m
    return names, blk, pth, md


def _standardize(x: np.ndarray, scale: bool) -> np.ndarray:
    x = x - x.mean(axis=0)
    if scale:
        x = x / x.std(axis=0, ddof=1)
    return x


def _pls_core(
    x: np.ndarray,
    idx: list[np.ndarray],
    adj: np.ndarray,
    mode_b: np.ndarray,
    scheme: str,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Returns outer weights (per item), standardized scores, iterations, converged."""
    n, _ = x.shape
    k = len(idx)
    w = np.ones(x.shape[1])

    def scores(w: np.ndarray) -> np.ndarray:
        y = np.column_stack([x[:, ix] @ w[ix] for ix in idx])
        sd = y.std(axis=0, ddof=1)
        return y / sd, sd

    y, sd = scores(w)
    for ix, s in zip(idx, sd):
        w[ix] /= s
    converged = False
    it = 0
    neighbours = adj + adj.T
    for it in range(1, max_iter + 1):  # noqa: B007
        c = np.corrcoef(y, rowvar=False)
        if scheme == "centroid":
            e = np.sign(c) * neighbours
        elif scheme == "factorial":
            e = c * neighbours
        else:
            e = np.zeros((k, k))
            for j in range(k):
                pred = np.flatnonzero(adj[:, j])
                succ = np.flatnonzero(adj[j, :])
                if pred.size:
                    e[pred, j] = np.linalg.solve(c[np.ix_(pred, pred)], c[pred, j])
                e[succ, j] = c[succ, j]
        z = y @ e
        w_new = np.empty_like(w)
        for j, ix in enumerate(idx):
            xj = x[:, ix]
            if mode_b[j] and ix.size > 1:
                w_new[ix] = np.linalg.lstsq(xj, z[:, j], rcond=None)[0]
            else:
                w_new[ix] = xj.T @ z[:, j] / (n - 1)
            w_new[ix] /= (xj @ w_new[ix]).std(ddof=1)
        change = float(np.max(np.abs(w_new - w)))
        w = w_new
        y = np.column_stack([x[:, ix] @ w[ix] for ix in idx])
        if change < tol:
            converged = True
            break
    return w, y, it, converged


def _fit_once(
    x: np.ndarray,
    idx: list[np.ndarray],
    adj: np.ndarray,
    mode_b: np.ndarray,
    scheme: str,
    tol: float,
    max_iter: int,
    consistent: bool = False,
) -> dict[str, np.ndarray | int | bool]:
    w, y, it, conv = _pls_core(x, idx, adj, mode_b, scheme, tol, max_iter)
    k = len(idx)
    # loadings (correlations of items with their construct)
    xs = _standardize(x, True)
    ys = _standardize(y, True)
    load = np.empty(x.shape[1])
    for j, ix in enumerate(idx):
        load[ix] = xs[:, ix].T @ ys[:, j] / (x.shape[0] - 1)
    # sign orientation: loadings of each construct sum to a positive number
    for j, ix in enumerate(idx):
        if load[ix].sum() < 0:
            load[ix] *= -1
            w[ix] *= -1
            y[:, j] *= -1
    c = np.corrcoef(y, rowvar=False)
    rho_a = np.ones(k)
    if consistent:
        # PLSc (Dijkstra & Henseler 2015): disattenuate mode-A composites with rho_A.
        for j, ix in enumerate(idx):
            if mode_b[j] or ix.size == 1:
                continue
            wj = w[ix] * x[:, ix].std(axis=0, ddof=1)  # weights on standardized items
            sj = np.corrcoef(xs[:, ix], rowvar=False)
            wj = wj / np.sqrt(wj @ sj @ wj)
            ww = np.outer(wj, wj)
            c2 = (wj @ (sj - np.diag(np.diag(sj))) @ wj) / (wj @ (ww - np.diag(np.diag(ww))) @ wj)
            load[ix] = np.sqrt(max(c2, 0.0)) * wj
            rho_a[j] = min(c2 * (wj @ wj) ** 2, 1.0)
        c = c / np.sqrt(np.outer(rho_a, rho_a))
        np.fill_diagonal(c, 1.0)
    beta = np.zeros((k, k))
    r2 = np.full(k, np.nan)
    for j in range(k):
        pred = np.flatnonzero(adj[:, j])
        if pred.size:
            beta[pred, j] = np.linalg.solve(c[np.ix_(pred, pred)], c[pred, j])
            r2[j] = float(beta[pred, j] @ c[pred, j])
    return {"w": w, "y": y, "load": load, "beta": beta, "r2": r2, "it": it, "conv": conv,
            "rho_a": rho_a}  # fmt: skip


def _percentiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    a = (1 - level) / 2
    return np.quantile(draws, a, axis=0), np.quantile(draws, 1 - a, axis=0)


def fit_pls(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    modes: Mapping[str, str] | None = None,
    scheme: Scheme = "path",
    standardize: bool = True,
    n_boot: int = 0,
    seed: int | None = 0,
    *,
    level: float = 0.95,
    scale_range: tuple[float, float] | None = None,
    consistent: bool = False,
    tol: float = 1e-10,
    max_iter: int = 500,
) -> PlsResult:
    """Fit a PLS path model (Lohmoeller's algorithm; see the module docstring for the formulas).

    Parameters
    ----------
    data : DataFrame
        Respondents x items, numeric and complete.
    blocks : mapping
        Construct -> item columns.
    paths : sequence of (source, target)
        The structural model; must be acyclic.
    modes : mapping, optional
        Construct -> ``"A"`` (reflective, the default) or ``"B"`` (formative).
    scheme : {"path", "centroid", "factorial"}
        Inner weighting scheme.
    standardize : bool
        Analyse z-scored items (as seminr and plspm do by default); ``False`` uses centred raw
        items.
    n_boot : int
        Bootstrap resamples of respondents for standard errors and percentile intervals of the
        paths, loadings, weights and R^2 (0 = none).
    seed : int or None
        Seed of the resampling (None: fresh entropy).
    level : float
        Confidence level of the intervals (:meth:`PlsResult.conf_int` gives others).
    scale_range : (lo, hi), optional
        The rating scale, e.g. ``(1, 10)``, used by ``.scores("0-100")``.
    consistent : bool
        PLSc (Dijkstra & Henseler 2015, *MIS Quarterly* 39(2)): loadings ``c_j w_j`` and
        construct correlations divided by ``sqrt(rho_A,i rho_A,j)`` so that paths and loadings
        of reflective (mode A) constructs are consistent for the common-factor model; plain PLS
        underestimates paths and overestimates loadings when items carry error. Scores and
        weights are those of plain PLS either way.
    tol, max_iter
        The iterations stop when no outer weight changes by more than ``tol`` (a
        ``RuntimeWarning`` after ``max_iter`` iterations without convergence).

    Returns
    -------
    PlsResult

    References
    ----------
    Lohmoeller (1989), *Latent Variable Path Modeling with Partial Least Squares*; Tenenhaus,
    Esposito Vinzi, Chatelin & Lauro (2005), *Computational Statistics & Data Analysis* 48,
    159-205; Dijkstra & Henseler (2015), *MIS Quarterly* 39(2). Checked against seminr on the
    ECSI mobile-phone data (tests).

    Examples
    --------
    >>> from cxresearch.simulate.ecsi import simulate_ecsi_survey
    >>> s = simulate_ecsi_survey(n=300, seed=5)
    >>> fit = fit_pls(s.data, ECSI_BLOCKS, ECSI_PATHS, n_boot=100, seed=1, scale_range=(1, 10))
    >>> list(fit.paths.columns)
    ['source', 'target', 'estimate', 'se', 'ci_low', 'ci_high']
    >>> round(float(fit.r2["Satisfaction"]), 2) > 0.3
    True
    >>> list(fit.conf_int(level=0.9, which="r2").columns)
    ['construct', 'estimate', 'ci_low', 'ci_high']
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot, minimum=0)
    if n_boot == 1:
        raise DataError("n_boot must be 0 (no intervals) or at least 2, got 1")
    seed = check_seed(seed)
    names, blk, pth, md = _validate(data, blocks, paths, modes, scheme)
    items = [it for c in names for it in blk[c]]
    raw = data[items]
    pos = {c: i for i, c in enumerate(names)}
    k = len(names)
    adj = np.zeros((k, k), dtype=bool)
    for s, t in pth:
        adj[pos[s], pos[t]] = True
    start = 0
    idx = []
    for c in names:
        idx.append(np.arange(start, start + len(blk[c])))
        start += len(blk[c])
    mode_b = np.array([md[c] == "B" for c in names])
    x = _standardize(raw.to_numpy(float), standardize)
    est = _fit_once(x, idx, adj, mode_b, scheme, tol, max_iter, consistent)
    if not est["conv"]:
        warnings.warn(
            f"PLS-PM did not converge in {max_iter} iterations", RuntimeWarning, stacklevel=2
        )
    item_construct = [c for c in names for _ in blk[c]]
    path_df = pd.DataFrame(
        {
            "source": [s for s, _ in pth],
            "target": [t for _, t in pth],
            "estimate": [est["beta"][pos[s], pos[t]] for s, t in pth],
        }
    )
    load_df = pd.DataFrame({"construct": item_construct, "item": items, "loading": est["load"]})
    weight_df = pd.DataFrame({"construct": item_construct, "item": items, "weight": est["w"]})
    endo = [c for c in names if adj[:, pos[c]].any()]
    r2 = pd.Series({c: est["r2"][pos[c]] for c in endo}, name="r2", dtype=float)
    r2.index.name = "construct"
    draws: dict[str, np.ndarray] = {}
    if n_boot:
        rng = np.random.default_rng(seed)
        n = raw.shape[0]
        raw_np = raw.to_numpy(float)
        bp, bl, bw, br = [], [], [], []
        for _ in range(n_boot):
            rows = rng.integers(0, n, n)
            xb_raw = raw_np[rows]
            if np.any(xb_raw.std(axis=0) == 0):
                continue
            xb = _standardize(xb_raw, standardize)
            try:
                eb = _fit_once(xb, idx, adj, mode_b, scheme, tol, max_iter, consistent)
            except np.linalg.LinAlgError:
                continue
            bp.append([eb["beta"][pos[s], pos[t]] for s, t in pth])
            bl.append(eb["load"])
            bw.append(eb["w"])
            br.append([eb["r2"][pos[c]] for c in endo])
        draws = {name: np.asarray(d, float)
                 for name, d in (("paths", bp), ("loadings", bl), ("weights", bw), ("r2", br))}
        for frame, name in ((path_df, "paths"), (load_df, "loadings"), (weight_df, "weights")):
            frame["se"] = draws[name].std(axis=0, ddof=1)
            frame["ci_low"], frame["ci_high"] = _percentiles(draws[name], level)
    latent = pd.DataFrame(est["y"], columns=names, index=data.index)
    return PlsResult(
        blocks=MappingProxyType({c: tuple(blk[c]) for c in names}),
        structure=tuple(pth),
        modes=MappingProxyType(md),
        scheme=scheme,
        standardize=standardize,
        paths=path_df,
        r2=r2,
        loadings=load_df,
        weights=weight_df,
        iterations=int(est["it"]),
        converged=bool(est["conv"]),
        n=int(raw.shape[0]),
        n_boot=len(bp) if n_boot else 0,
        level=level,
        scale_range=scale_range,
        _latent=latent,
        _items=raw.copy(),
        _draws=MappingProxyType(draws),
    )
