"""One validation layer for the package: argument and column checks with one error policy.

Error policy
------------
- A value that is wrong for the data raises :class:`DataError` (a ``ValueError``) whose message
  names the argument or column and, where rows are at fault, the first offending rows:
  ``column 'nps': 3 value(s) outside 0..10 at rows [4, 17, 90]``.
- ``TypeError`` only for a wrong Python type (a list where a DataFrame is needed).
- The caller's objects are never modified.

Vocabulary (docs/DEVELOPING.md, enforced by tests/test_api_contract.py): ``level`` is the
confidence level, ``method`` the interval or estimation method, ``seed`` the only randomness
argument (``int | None``, default ``0`` so that a rerun gives the same numbers; ``None`` asks for
fresh entropy), ``n_boot`` the number of bootstrap or simulation replications, ``data`` the input
frame, ``outcome`` the dependent column, ``cluster`` the column that answers are nested in, ``by``
the reporting segments. Intervals are always ``ci_low`` / ``ci_high``.

:func:`renamed` keeps an old keyword working for one release with a ``DeprecationWarning``.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

__all__ = [
    "DataError",
    "check_level",
    "check_n_boot",
    "check_seed",
    "first_rows",
    "renamed",
    "require_columns",
    "require_frame",
    "require_numeric",
]

F = TypeVar("F", bound=Callable[..., Any])


class DataError(ValueError):
    """Bad input data: the message names the column (or argument) and the first rows."""


def require_frame(data: Any, what: str = "data") -> pd.DataFrame:
    """``data`` must be a DataFrame (``TypeError`` otherwise)."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    return data


def require_columns(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    """Every name in ``columns`` is a column of ``data``.

    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"])
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: data: column(s) ['b'] not found; available: ['a']
    """
    require_frame(data, what)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise DataError(
            f"{what}: column(s) {missing} not found; available: {list(data.columns)[:30]}"
        )


def require_numeric(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    """Each column is numeric; a text column is named with its first non-numeric rows."""
    for c in columns:
        if not pd.api.types.is_numeric_dtype(data[c]):
            bad = pd.to_numeric(data[c], errors="coerce").isna() & data[c].notna()
            rows = first_rows(bad, data.index)
            raise DataError(
                f"{what}: column {c!r} must be numeric, got dtype {data[c].dtype}"
                + (f"; non-numeric values at rows {rows}" if rows else "")
            )


def first_rows(mask: pd.Series | np.ndarray, index: pd.Index, k: int = 5) -> list[Any]:
    """The first ``k`` index labels where ``mask`` is true."""
    return list(index[np.asarray(mask, dtype=bool)][:k])


def check_level(level: Any, arg: str = "level") -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95).

    >>> check_level(0.9)
    0.9
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{arg} must be a number between 0 and 1, got {type(level).__name__}")
    if not 0 < float(level) < 1:
        raise DataError(f"{arg} must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def check_seed(seed: Any, arg: str = "seed") -> int | None:
    """``seed`` is an int >= 0 or None (fresh entropy)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{arg} must be an int or None, got {type(seed).__name__}")
    if seed < 0:
        raise DataError(f"{arg} must be >= 0, got {seed}")
    return int(seed)


def check_n_boot(n_boot: Any, arg: str = "n_boot", minimum: int = 1) -> int:
    """A positive number of replications."""
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral):
        raise TypeError(f"{arg} must be an int, got {type(n_boot).__name__}")
    if n_boot < minimum:
        raise DataError(f"{arg} must be >= {minimum}, got {n_boot}")
    return int(n_boot)


def renamed(**old_to_new: str) -> Callable[[F], F]:
    """Keep old keyword names working for one release, with a ``DeprecationWarning``.

    >>> @renamed(ci="level")
    ... def f(x, *, level=0.95):
    ...     return level
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     f(1, ci=0.9), w[0].category.__name__
    (0.9, 'DeprecationWarning')
    """

    def decorate(func: F) -> F:
        params = inspect.signature(func).parameters
        for old, new in old_to_new.items():
            if new not in params:
                raise TypeError(f"{func.__qualname__}: renamed {old!r} -> {new!r}, "
                                f"but {new!r} is not a parameter")

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__name__}() got both {old!r} (deprecated) "
                                        f"and {new!r}")
                    warnings.warn(
                        f"{func.__name__}(): the keyword {old!r} is deprecated and will be "
                        f"removed in the next release; use {new!r}",
                        DeprecationWarning,
                        stacklevel=2,
                    )
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        wrapper.__deprecated_keywords__ = dict(old_to_new)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
