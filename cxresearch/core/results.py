"""The results protocol: every estimator returns a result with the same three methods.

A result is a small frozen dataclass (or a class holding frames) that subclasses
:class:`Result` and gives

- ``to_frame() -> pandas.DataFrame``: the tidy table of what was estimated;
- ``summary() -> str``: the same in words, a line or a few;
- ``conf_int(level=0.95) -> pandas.DataFrame`` with columns ``ci_low`` and ``ci_high``, wherever
  the result holds intervals (classes without intervals leave it out).

The style follows statsmodels' results (``summary()``, ``conf_int(alpha=)``) in the project's
vocabulary (``level``, ``ci_low``/``ci_high``). :func:`check_result_class` is what the contract
test (``tests/test_api_contract.py``) applies to every result class of the package; a class that
breaks the protocol fails there, with the reason.

>>> from dataclasses import dataclass
>>> import pandas as pd
>>> @dataclass(frozen=True)
... class Mean(Result):
...     estimate: float
...     se: float
...     def to_frame(self) -> pd.DataFrame:
...         return pd.DataFrame({"estimate": [self.estimate], "se": [self.se]})
...     def summary(self) -> str:
...         return f"mean {self.estimate:.2f} (SE {self.se:.2f})"
...     def conf_int(self, level: float = 0.95) -> pd.DataFrame:
...         return interval_frame(self.estimate, self.se, level=level)
>>> Mean(1.0, 0.5).conf_int().round(3)
   estimate  ci_low  ci_high
0       1.0    0.02     1.98
>>> check_result_class(Mean)
[]
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

import pandas as pd

__all__ = ["Result", "check_result_class", "interval_frame"]


class Result:
    """Base class of every result: ``to_frame()``, ``summary()``, and ``conf_int(level=)`` where
    intervals exist (see the module docstring). Subclasses are usually frozen dataclasses;
    ``str(result)`` is its ``summary()``.

    Examples
    --------
    >>> import cxresearch as cx
    >>> r = cx.nps_from_counts(60, 25, 15)
    >>> isinstance(r, Result), {'ci_low', 'ci_high'} <= set(r.conf_int().columns)
    (True, True)
    """

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every subclass defines it
        """The tidy table of what was estimated."""
        raise NotImplementedError(f"{type(self).__name__}.to_frame")

    def summary(self) -> str:  # pragma: no cover - every subclass defines it
        """The result in words."""
        raise NotImplementedError(f"{type(self).__name__}.summary")

    def __str__(self) -> str:
        return self.summary()


def interval_frame(estimate: Any, se: Any, *, level: float = 0.95,
                   index: Any = None) -> pd.DataFrame:
    """A ``conf_int`` frame from estimates and standard errors, with the normal critical value.

    ``estimate ± z_{(1+level)/2} · se``, columns ``estimate``, ``ci_low``, ``ci_high``.

    Parameters
    ----------
    estimate, se : float or array-like
        Point estimates and their standard errors (same length).
    level : float, default 0.95
        Confidence level.
    index : array-like, optional
        Row labels (default a range).

    Returns
    -------
    pandas.DataFrame
        One row per estimate.

    Examples
    --------
    >>> interval_frame([0.0, 1.0], [1.0, 0.5], level=0.9).round(3)
       estimate  ci_low  ci_high
    0       0.0  -1.645    1.645
    1       1.0   0.178    1.822
    """
    from cxresearch.core.inference import z_crit

    est = pd.Series(estimate if pd.api.types.is_list_like(estimate) else [estimate], dtype=float)
    s = pd.Series(se if pd.api.types.is_list_like(se) else [se], dtype=float)
    z = z_crit(level)
    out = pd.DataFrame({"estimate": est.to_numpy(), "ci_low": (est - z * s).to_numpy(),
                        "ci_high": (est + z * s).to_numpy()})
    if index is not None:
        out.index = pd.Index(index)
    return out


def _returns_frame(func: Any) -> bool:
    try:
        hints = typing.get_type_hints(func)
    except Exception:
        hints = {"return": inspect.signature(func).return_annotation}
    ret = hints.get("return", inspect.Signature.empty)
    return ret is pd.DataFrame or "DataFrame" in str(ret)


def check_result_class(cls: type) -> list[str]:
    """What is wrong with ``cls`` as a result: an empty list when it follows the protocol.

    Checks that ``cls`` subclasses :class:`Result`, defines ``to_frame`` annotated to return a
    DataFrame and ``summary`` annotated to return ``str``, and that a ``conf_int``, where there is
    one, takes ``level`` (default 0.95) and is annotated to return a DataFrame (never a tuple).
    The contract test also calls the methods on real instances.

    Parameters
    ----------
    cls : type
        The result class to check.

    Returns
    -------
    list of str
        One message per problem; empty when ``cls`` follows the protocol.

    Examples
    --------
    >>> class Bare:
    ...     pass
    >>> check_result_class(Bare)[0]
    'Bare does not subclass cxresearch.core.results.Result'
    """
    problems: list[str] = []
    name = cls.__name__
    if not issubclass(cls, Result):
        problems.append(f"{name} does not subclass cxresearch.core.results.Result")
    for meth, want in (("to_frame", "DataFrame"), ("summary", "str")):
        func = getattr(cls, meth, None)
        if func is None or func is getattr(Result, meth):
            problems.append(f"{name}.{meth}() is missing")
            continue
        try:
            ret = typing.get_type_hints(func).get("return")
        except Exception:
            ret = inspect.signature(func).return_annotation
        if want == "str" and ret is not str and str(ret) != "str":
            problems.append(f"{name}.summary() is not annotated -> str")
        if want == "DataFrame" and not _returns_frame(func):
            problems.append(f"{name}.to_frame() is not annotated -> pd.DataFrame")
    ci = getattr(cls, "conf_int", None)
    if ci is not None:
        params = inspect.signature(ci).parameters
        if "level" not in params or params["level"].default != 0.95:
            problems.append(f"{name}.conf_int() does not take level=0.95")
        if not _returns_frame(ci):
            problems.append(f"{name}.conf_int() does not return a DataFrame (ci_low, ci_high)")
    return problems
