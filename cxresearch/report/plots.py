"""Plots the notebooks share: the coefficient (dot-and-whisker) plot and the key-driver plots.

- :func:`coef_plot` -- point estimates with their confidence intervals, one row (or column) per
  label, optionally several series side by side (``by``), extra point estimates (``points``),
  the true values of a simulation (``truth``) and a reference line at zero.
- :func:`plot_driver_importance` -- bar chart of shares of R^2 with bootstrap intervals
  (:func:`cxresearch.linkage.drivers.relative_weights`,
  :func:`cxresearch.linkage.drivers.shapley_importance`).
- :func:`plot_importance_performance` -- the importance-performance map of Martilla & James
  (1977, *Journal of Marketing* 41(1), 77-79), with labels placed so that they do not collide.

Each function draws on ``ax`` (a new figure when None) and returns ``(fig, ax)``; saving is left
to :func:`cxresearch.report.figures.save_figure`. Colours come from the house palette
(:data:`cxresearch.report.figures.OKABE_ITO`, set by :func:`cxresearch.report.figures.use_style`).
matplotlib is imported inside the functions, so ``import cxresearch.report.plots`` stays cheap.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> est = pd.DataFrame({"estimate": [0.5, 0.2], "ci_low": [0.4, -0.1], "ci_high": [0.6, 0.5]},
...                    index=["a -> b", "b -> c"])
>>> fig, ax = coef_plot(est, truth=0.3)
>>> [t.get_text() for t in ax.get_yticklabels()]
['a -> b', 'b -> c']
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cxresearch.core.validation import DataError, require_columns, require_numeric

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["coef_plot", "plot_driver_importance", "plot_importance_performance"]


def _axes(ax: Axes | None) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        return plt.subplots()  # type: ignore[return-value]
    return ax.figure, ax  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# coefficient plot
# --------------------------------------------------------------------------------------------
def coef_plot(
    data: pd.DataFrame,
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    label: str | None = None,
    *,
    ax: Axes | None = None,
    by: str | None = None,
    dodge: float = 0.25,
    truth: str | float | None = None,
    truth_label: str = "truth",
    truth_kw: Mapping[str, Any] | None = None,
    points: Mapping[str, Mapping[str, Any]] | None = None,
    vertical: bool = False,
    reference: float | None = 0.0,
    reference_kw: Mapping[str, Any] | None = None,
    ci_label: str | None = None,
    invert: bool = False,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    legend: str | Mapping[str, Any] | None = None,
    errorbar_kw: Mapping[str, Any] | None = None,
) -> tuple[Figure, Axes]:
    """Dot-and-whisker plot: each estimate with its interval ``ci_low`` .. ``ci_high``.

    Parameters
    ----------
    data : DataFrame
        One row per estimate (a tidy frame such as ``conf_int()`` or ``to_frame()`` returns).
    estimate, ci_low, ci_high : str
        Columns of the point estimate and of the interval bounds.
    label : str, optional
        Column naming each row (paths, segments, months...); default the index. Text labels are
        drawn in the order of the rows, numbers (months, event times) at their value.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    by : str, optional
        Column of series drawn side by side (e.g. two models), each offset by ``dodge`` and
        named in the legend; labels in order of first appearance.
    truth : str or float, optional
        A column of true values, marked ``x`` at each label (with a ``linestyle`` in
        ``truth_kw`` they are joined by a line instead), or one true value drawn as a dashed
        line across the plot.
    truth_label, truth_kw : legend entry and matplotlib keywords of the truth.
    points : mapping, optional
        Further point estimates without intervals: column -> keywords of ``ax.scatter``, e.g.
        ``{"plsc": {"marker": "s", "label": "PLSc", "zorder": 3}}``.
    vertical : bool
        Estimates on the y axis and labels along x (a series over time); default horizontal.
    reference, reference_kw : a reference line at ``reference`` (None: none), by default thin
        and black.
    ci_label : legend entry of the intervals (ignored with ``by``).
    invert : bool
        Put the first label at the top (horizontal plots).
    xlabel, ylabel, title : axis labels and title (None leaves them unset).
    legend : a ``loc`` string or a mapping of ``ax.legend`` keywords; None draws no legend.
    errorbar_kw : keywords for ``ax.errorbar`` on top of ``fmt="o", capsize=3``.

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    Three paths with their bootstrap intervals, a second estimator and the truth:

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> d = pd.DataFrame({"path": ["A -> B", "B -> C", "A -> C"], "estimate": [.5, .3, .1],
    ...                   "ci_low": [.4, .2, -.05], "ci_high": [.6, .4, .25],
    ...                   "plsc": [.55, .33, .1], "truth": [.55, .35, .1]})
    >>> fig, ax = coef_plot(d, label="path", truth="truth", ci_label="PLS",
    ...                     points={"plsc": {"marker": "s", "label": "PLSc", "zorder": 3}},
    ...                     legend="lower right")
    >>> sorted(t.get_text() for t in ax.get_legend().get_texts())
    ['PLS', 'PLSc', 'truth']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    cols = [estimate, ci_low, ci_high]
    if label is not None:
        cols.append(label)
    if by is not None:
        cols.append(by)
    if isinstance(truth, str):
        cols.append(truth)
    cols += list(points or {})
    require_columns(data, cols)
    require_numeric(data, [estimate, ci_low, ci_high])
    if data.empty:
        raise DataError("data: no rows to plot")
    fig, ax = _axes(ax)
    labels = data[label] if label is not None else pd.Series(data.index, index=data.index)
    bar = {"fmt": "o", "capsize": 3, **(errorbar_kw or {})}

    def draw(frame: pd.DataFrame, pos: Any, **kw: Any) -> None:
        err = [frame[estimate] - frame[ci_low], frame[ci_high] - frame[estimate]]
        if vertical:
            ax.errorbar(pos, frame[estimate], yerr=err, **bar, **kw)
        else:
            ax.errorbar(frame[estimate], pos, xerr=err, **bar, **kw)

    def mark(values: Any, pos: Any, **kw: Any) -> None:
        x, y = (pos, values) if vertical else (values, pos)
        if "linestyle" in kw or "ls" in kw:
            ax.plot(x, y, **kw)
        else:
            ax.scatter(x, y, **kw)

    order = list(pd.unique(labels))
    if by is None:
        pos: Any = labels
        draw(data, pos, **({"label": ci_label} if ci_label is not None else {}))
    else:
        where = {v: i for i, v in enumerate(order)}
        groups = list(pd.unique(data[by]))
        for i, g in enumerate(groups):
            sel = (data[by] == g).to_numpy()
            offset = (i - (len(groups) - 1) / 2) * dodge
            draw(data.loc[sel], np.array([where[v] for v in labels[sel]]) + offset, label=g)
        pos = np.arange(len(order))
    for col, kw in (points or {}).items():
        values = data[col] if by is None else data.groupby(labels.to_numpy(), sort=False)[
            col].first().loc[order]  # fmt: skip
        mark(values, pos, **dict(kw))
    if isinstance(truth, str):
        values = data[truth] if by is None else data.groupby(labels.to_numpy(), sort=False)[
            truth].first().loc[order]  # fmt: skip
        kw = {"marker": "x", "color": "black", "label": truth_label, **(truth_kw or {})}
        if not {"linestyle", "ls"} & set(kw):
            kw = {"zorder": 4, **kw}  # marks above the intervals
        mark(values, pos, **kw)
    elif truth is not None:
        line = ax.axhline if vertical else ax.axvline
        line(float(truth), **{"color": "black", "linestyle": "--", "linewidth": 1,
                              "label": truth_label, **(truth_kw or {})})  # fmt: skip
    if reference is not None:
        line = ax.axhline if vertical else ax.axvline
        line(reference, **{"color": "black", "linewidth": 0.8, **(reference_kw or {})})
    if by is not None:
        (ax.set_xticks if vertical else ax.set_yticks)(np.arange(len(order)), order)
    if invert:
        ax.invert_yaxis()
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if legend is not None:
        ax.legend(**({"loc": legend} if isinstance(legend, str) else dict(legend)))
    return fig, ax


# --------------------------------------------------------------------------------------------
# key-driver plots
# --------------------------------------------------------------------------------------------
def _importance_frame(importance: Any) -> pd.DataFrame:
    """``rescaled`` share per driver (+ ``ci_low``/``ci_high``) from a result or a frame."""
    from cxresearch.linkage.drivers import DriverImportance

    if isinstance(importance, DriverImportance):
        if importance.n_boot:
            return importance.conf_int(importance.level, measure="rescaled").rename(
                columns={"estimate": "rescaled"})
        return importance.estimates[["rescaled"]]
    if not isinstance(importance, pd.DataFrame):
        raise TypeError("importance must be a DriverImportance or a DataFrame, got "
                        f"{type(importance).__name__}")
    frame = importance.rename(columns={"rescaled_low": "ci_low", "rescaled_high": "ci_high"})
    require_columns(frame, ["rescaled"], "importance")
    return frame


def plot_driver_importance(
    importance: Any, ax: Axes | None = None, title: str | None = None
) -> tuple[Figure, Axes]:
    """Horizontal bars of each driver's share of explained variance (``rescaled``, %).

    Bars are sorted by share, the largest at the top.

    Parameters
    ----------
    importance : DriverImportance or pandas.DataFrame
        A :class:`cxresearch.linkage.drivers.DriverImportance` (its bootstrap intervals are
        drawn when it has them) or a frame indexed by driver with ``rescaled`` and optionally
        ``ci_low``/``ci_high``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The axes title.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> shares = pd.DataFrame({"rescaled": [60.0, 40.0]}, index=["price", "speed"])
    >>> fig, ax = plot_driver_importance(shares)
    >>> len(ax.patches)
    2
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    from cxresearch.report.figures import OKABE_ITO

    frame = _importance_frame(importance).sort_values("rescaled")
    fig, ax = _axes(ax)
    xerr = None
    if {"ci_low", "ci_high"} <= set(frame.columns):
        xerr = np.vstack(
            [frame["rescaled"] - frame["ci_low"], frame["ci_high"] - frame["rescaled"]]
        )
    ax.barh(frame.index.astype(str), frame["rescaled"], xerr=xerr, color=OKABE_ITO[0], capsize=3)
    ax.set_xlabel("share of explained variance (%)")
    ax.set_ylabel("")
    if title:
        ax.set_title(title)
    return fig, ax


def _label_offsets(
    ax: Axes, ipm: pd.DataFrame, fontsize: float
) -> list[tuple[float, float, str, str]]:
    """Greedy label placement: for each point pick one of eight offsets around it that overlaps
    the labels already placed (and the other points) least. No extra dependency; good enough
    for the dozen or two points of an importance-performance map."""
    from matplotlib.textpath import TextPath

    fig = ax.figure
    scale = fig.dpi / 72  # points -> pixels
    xy = ax.transData.transform(ipm[["performance", "importance"]].to_numpy(dtype=float))
    gap = 4.0
    # (dx, dy, ha, va) in points
    candidates = [
        (gap, gap, "left", "bottom"), (gap, -gap, "left", "top"),
        (-gap, gap, "right", "bottom"), (-gap, -gap, "right", "top"),
        (0.0, gap + 2, "center", "bottom"), (0.0, -gap - 2, "center", "top"),
        (gap + 2, 0.0, "left", "center"), (-gap - 2, 0.0, "right", "center"),
    ]  # fmt: skip
    point_r = 3.5 * scale
    points = [(x - point_r, y - point_r, x + point_r, y + point_r) for x, y in xy]
    placed: list[tuple[float, float, float, float]] = []

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return max(w, 0.0) * max(h, 0.0)

    def to_box(p: np.ndarray, b: tuple[float, ...]) -> float:
        return float(np.hypot(max(b[0] - p[0], 0.0, p[0] - b[2]),
                              max(b[1] - p[1], 0.0, p[1] - b[3])))

    ambiguous = (fontsize * scale) ** 2  # cost of a label that sits as near another point

    out: list[tuple[float, float, str, str]] = [candidates[0]] * len(xy)
    # place crowded points first (those with the nearest neighbour)
    dist = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1])
    np.fill_diagonal(dist, np.inf)
    order = np.argsort(dist.min(axis=1), kind="stable") if len(xy) > 1 else np.arange(len(xy))
    for i in order:
        name = str(ipm.index[i])
        w = TextPath((0, 0), name, size=fontsize).get_extents().width * scale
        h = 1.2 * fontsize * scale
        best, best_cost, best_box = candidates[0], np.inf, (0.0, 0.0, 0.0, 0.0)
        for k, (dx, dy, ha, va) in enumerate(candidates):
            x0 = xy[i, 0] + dx * scale - {"left": 0, "center": w / 2, "right": w}[ha]
            y0 = xy[i, 1] + dy * scale - {"bottom": 0, "center": h / 2, "top": h}[va]
            box = (x0, y0, x0 + w, y0 + h)
            cost = sum(overlap(box, b) for b in placed)
            cost += sum(overlap(box, p) for j, p in enumerate(points) if j != i)
            # a label nearer another point than its own reads as that point's label
            own = to_box(xy[i], box)
            cost += ambiguous * sum(to_box(xy[j], box) < own + gap * scale
                                    for j in range(len(xy)) if j != i)
            cost += 1e-3 * k  # prefer the first (upper-right) position on ties
            if cost < best_cost:
                best, best_cost, best_box = (dx, dy, ha, va), cost, box
        placed.append(best_box)
        out[i] = best
    return out


def plot_importance_performance(
    ipm: Any, ax: Axes | None = None, title: str | None = None
) -> tuple[Figure, Axes]:
    """Importance-performance map: importance (% of R^2) against performance (0-100).

    Dashed lines mark the means, the quadrant boundaries of Martilla & James (1977); labels
    are placed to avoid each other. Drivers whose ``quadrant`` starts with "unclear" (their
    importance interval crosses the line) are drawn as open circles. Label the points with
    item wording by renaming the index first (``ipm.to_frame().rename(index=wording)``).

    Parameters
    ----------
    ipm : ImportancePerformance or pandas.DataFrame
        A :class:`cxresearch.linkage.drivers.ImportancePerformance` or its ``to_frame()``:
        indexed by driver with ``importance``, ``performance`` and optionally the importance
        interval ``ci_low``/``ci_high`` (drawn as grey whiskers).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The axes title.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, matplotlib.axes.Axes)

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77-79.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> m = pd.DataFrame({"importance": [30.0, 10.0], "performance": [40.0, 80.0]},
    ...                  index=["price", "speed"])
    >>> fig, ax = plot_importance_performance(m)
    >>> [t.get_text() for t in ax.texts]
    ['price', 'speed']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    from cxresearch.linkage.drivers import ImportancePerformance
    from cxresearch.report.figures import OKABE_ITO

    if isinstance(ipm, ImportancePerformance):
        ipm = ipm.to_frame()
    elif not isinstance(ipm, pd.DataFrame):
        raise TypeError("ipm must be an ImportancePerformance or a DataFrame, got "
                        f"{type(ipm).__name__}")
    ipm = ipm.rename(columns={"importance_low": "ci_low", "importance_high": "ci_high"})
    require_columns(ipm, ["importance", "performance"], "ipm")
    fig, ax = _axes(ax)
    if {"ci_low", "ci_high"} <= set(ipm.columns):
        ax.errorbar(
            ipm["performance"], ipm["importance"],
            yerr=np.vstack([ipm["importance"] - ipm["ci_low"],
                            ipm["ci_high"] - ipm["importance"]]),
            fmt="none", ecolor="#999999", elinewidth=1, capsize=2,
        )  # fmt: skip
    unclear = (ipm["quadrant"].astype(str).str.startswith("unclear") if "quadrant" in ipm
               else pd.Series(False, index=ipm.index))
    ax.scatter(ipm.loc[~unclear, "performance"], ipm.loc[~unclear, "importance"],
               color=OKABE_ITO[0], zorder=3)
    if unclear.any():  # open circles: the importance interval crosses the importance line
        ax.scatter(ipm.loc[unclear, "performance"], ipm.loc[unclear, "importance"],
                   facecolors="white", edgecolors=OKABE_ITO[0], zorder=3,
                   label="interval crosses the line")
        ax.legend(loc="best", fontsize=8)
    ax.autoscale_view()
    offsets = _label_offsets(ax, ipm, fontsize=8)
    for (name, row), (dx, dy, ha, va) in zip(ipm.iterrows(), offsets):
        ax.annotate(
            str(name), (row["performance"], row["importance"]),
            xytext=(dx, dy), textcoords="offset points", fontsize=8, ha=ha, va=va,
        )  # fmt: skip
    ax.axvline(ipm["performance"].mean(), color="#777777", linestyle="--", linewidth=1)
    ax.axhline(ipm["importance"].mean(), color="#777777", linestyle="--", linewidth=1)
    ax.set_xlabel("performance (mean, 0-100)")
    ax.set_ylabel("importance (% of R²)")
    if title:
        ax.set_title(title)
    return fig, ax
