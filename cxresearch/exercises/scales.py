"""Exercises of notebook 02, scales: reliability, what a reversed item does to it, and what a
misfitting model shows (modification indices; dropping the item that cross-loads)."""

from __future__ import annotations

from functools import cache

from cxresearch.exercises.base import Exercise

__all__ = ["EXERCISES"]


@cache
def _culture_alpha(reverse: bool) -> float:
    from cxresearch.core.contract import CULTURE_ITEMS, reverse_items
    from cxresearch.io.readers import load_study
    from cxresearch.measurement.psychometrics import cronbach_alpha

    employees = load_study(None, tables=["employees"]).employees
    items = list(CULTURE_ITEMS)
    data = reverse_items(employees) if reverse else employees
    return round(float(cronbach_alpha(data[items]).alpha), 3)


@cache
def _misfit(kind: str) -> tuple[object, dict[str, list[str]], object]:
    """The synthetic misfit case of notebook 02: its data, model and two-factor CFA."""
    from cxresearch.measurement.psychometrics import cfa
    from cxresearch.simulate.failures import misfit_scale

    case = misfit_scale(kind=kind, seed=0)
    return case.data, case.model, cfa(case.data, case.model)


@cache
def _largest_mi() -> tuple[str, float]:
    from cxresearch.measurement.psychometrics import modification_indices

    data, model, _ = _misfit("correlated_errors")
    top = modification_indices(data, model).iloc[0]
    return f"{top['lhs']} {top['op']} {top['rhs']}", round(float(top["mi"]), 1)


@cache
def _chi2_drop() -> float:
    """The chi2 drop when the largest MI's parameter is freed and the model refitted."""
    from cxresearch.measurement.psychometrics import cfa

    data, model, spec = _misfit("correlated_errors")
    freed = cfa(data, model, free=[_largest_mi()[0]])
    return round(float(spec.fit["chi2"] - freed.fit["chi2"]), 1)  # type: ignore[attr-defined]


@cache
def _cfi_without_b1() -> tuple[float, float]:
    """CFI of the cross-loading case as specified, and with b1 dropped from factor b."""
    from cxresearch.measurement.psychometrics import cfa

    data, model, spec = _misfit("cross_loading")
    dropped = {"a": model["a"], "b": [i for i in model["b"] if i != "b1"]}
    return (round(float(spec.fit["cfi"]), 3),  # type: ignore[attr-defined]
            round(float(cfa(data, dropped).fit["cfi"]), 3))


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "02.1",
        "Cronbach's alpha of the bundled study's six culture items, with culture_4 "
        "reverse-scored (cx.reverse_items, then cx.cronbach_alpha)? Three decimals.",
        "number", lambda: _culture_alpha(True),
        lambda a: f"alpha = {a:.3f} on the synthetic study's culture items.",
        tolerance=0.002,
        near_misses=((lambda: _culture_alpha(False), "that is alpha with culture_4 left as "
                                                     "answered: it correlates negatively with "
                                                     "the others until it is reverse-scored."),),
    ),
    Exercise(
        "02.2",
        "Predict: forget to reverse-score culture_4. Does alpha go up, down or stay the same?",
        "choice",
        lambda: "down" if _culture_alpha(False) < _culture_alpha(True) else "up",
        lambda a: f"{a}: from {_culture_alpha(True):.3f} to {_culture_alpha(False):.3f}; an "
                  "item that runs against the others lowers the covariances alpha is built "
                  "from.",
        options=("up", "down", "the same"),
        predict=True,
    ),
    Exercise(
        "02.3",
        "Notebook 02's synthetic scale with correlated errors (misfit_scale(kind="
        "'correlated_errors', seed=0) from cxresearch.simulate.failures) misfits the "
        "two-factor CFA of case.model. What is its largest modification index "
        "(cx.modification_indices)? One decimal.",
        "number", lambda: _largest_mi()[1],
        lambda a: f"MI = {a:.1f}, for {_largest_mi()[0]}: freeing that error covariance is "
                  f"expected to lower chi2 by about {a:.1f} (refitted, it lowers it by "
                  f"{_chi2_drop():.1f}).",
        tolerance=0.1,
        near_misses=(
            (lambda: round(float(_misfit("correlated_errors")[2].fit["chi2"]), 1),
             "that is the model's chi2; the modification index is the expected drop in chi2 "
             "when one fixed parameter is freed."),
            (_chi2_drop, "that is the drop in chi2 when the model is refitted with the "
                         "parameter free; the MI predicts it from the first fit (a score test), "
                         "so the two are close but not equal."),
        ),
    ),
    Exercise(
        "02.4",
        "Predict: in notebook 02's synthetic scale with a cross-loading item "
        "(misfit_scale(kind='cross_loading', seed=0)), drop b1 from factor b and refit the "
        "CFA. Does CFI reach the notebook's criterion of 0.95?",
        "yes/no", lambda: "yes" if _cfi_without_b1()[1] >= 0.95 else "no",
        lambda a: f"{a}: CFI goes from {_cfi_without_b1()[0]:.3f} with b1 to "
                  f"{_cfi_without_b1()[1]:.3f} without it. b1 also measures factor a; left out, "
                  "the rest is a clean two-factor structure (freeing the cross-loading instead "
                  "keeps the item).",
        predict=True,
    ),
)
