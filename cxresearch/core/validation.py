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
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DataError",
    "as_list",
    "check_level",
    "check_method",
    "check_n_boot",
    "check_positive_int",
    "check_seed",
    "first_rows",
    "require_columns",
    "require_frame",
    "require_numeric",
    "rows_repr",
]


class DataError(ValueError):
    """Bad input data: the message names the column (or argument) and the first rows.

    A ``ValueError``, so ``except ValueError`` catches it too.

    Parameters
    ----------
    *args
        The message, as for ``ValueError``.

    Examples
    --------
    >>> issubclass(DataError, ValueError)
    True
    >>> str(DataError("column 'nps': 1 value(s) outside 0..10 at rows [3]"))
    "column 'nps': 1 value(s) outside 0..10 at rows [3]"
    """


def require_frame(data: Any, what: str = "data") -> pd.DataFrame:
    """``data`` must be a DataFrame (``TypeError`` otherwise).

    Parameters
    ----------
    data : Any
        The object to check.
    what : str, default "data"
        What to call it in the message.

    Returns
    -------
    pandas.DataFrame
        ``data`` itself (not a copy).

    Examples
    --------
    >>> require_frame(pd.DataFrame({"a": [1]})).shape
    (1, 1)
    >>> require_frame([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: data must be a pandas DataFrame, got list
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    return data


def require_columns(data: pd.DataFrame, columns: Sequence[str], what: str = "data") -> None:
    """Every name in ``columns`` is a column of ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        The frame to check.
    columns : sequence of str
        The columns it must have.
    what : str, default "data"
        What to call the frame in the message.

    Returns
    -------
    None
        Raises :class:`DataError` naming the missing columns (and ``TypeError`` if ``data`` is
        not a DataFrame).

    Examples
    --------
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
    """Each column is numeric; a text column is named with its first non-numeric rows.

    Parameters
    ----------
    data : pandas.DataFrame
        The frame to check.
    columns : sequence of str
        Columns of ``data`` that must have a numeric dtype.
    what : str, default "data"
        What to call the frame in the message.

    Returns
    -------
    None
        Raises :class:`DataError` for the first non-numeric column.

    Examples
    --------
    >>> require_numeric(pd.DataFrame({"x": [1.0, 2.0]}), ["x"])
    >>> require_numeric(pd.DataFrame({"x": ["1", "two"]}), ["x"])
    Traceback (most recent call last):
    ...
    cxresearch.core.validation.DataError: data: column 'x' must be numeric, got dtype ...
    """
    for c in columns:
        if not pd.api.types.is_numeric_dtype(data[c]):
            bad = pd.to_numeric(data[c], errors="coerce").isna() & data[c].notna()
            rows = first_rows(bad, data.index)
            raise DataError(
                f"{what}: column {c!r} must be numeric, got dtype {data[c].dtype}"
                + (f"; non-numeric values at rows {rows}" if rows else "")
            )


def first_rows(mask: pd.Series | np.ndarray, index: pd.Index, k: int = 5) -> list[Any]:
    """The first ``k`` index labels where ``mask`` is true.

    Parameters
    ----------
    mask : pandas.Series or numpy.ndarray
        Boolean flags, one per row.
    index : pandas.Index
        The row labels.
    k : int, default 5
        How many labels to return at most.

    Returns
    -------
    list
        Up to ``k`` labels of the flagged rows, in order.

    Examples
    --------
    >>> first_rows([False, True, True], pd.Index([10, 11, 12]), k=1)
    [11]
    """
    return list(index[np.asarray(mask, dtype=bool)][:k])


def check_level(level: Any, arg: str = "level") -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95).

    Parameters
    ----------
    level : Any
        The value to check.
    arg : str, default "level"
        The argument's name, for the message.

    Returns
    -------
    float
        ``level`` as a float; ``TypeError`` for a non-number, :class:`DataError` outside (0, 1).

    Examples
    --------
    >>> check_level(0.9)
    0.9
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real):
        raise TypeError(f"{arg} must be a number between 0 and 1, got {type(level).__name__}")
    if not 0 < float(level) < 1:
        raise DataError(f"{arg} must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return float(level)


def check_seed(seed: Any, arg: str = "seed") -> int | None:
    """``seed`` is an int >= 0 or None (fresh entropy).

    Parameters
    ----------
    seed : Any
        The value to check.
    arg : str, default "seed"
        The argument's name, for the message.

    Returns
    -------
    int or None
        ``TypeError`` for a non-integer, :class:`DataError` for a negative one.

    Examples
    --------
    >>> check_seed(3), check_seed(None)
    (3, None)
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{arg} must be an int or None, got {type(seed).__name__}")
    if seed < 0:
        raise DataError(f"{arg} must be >= 0, got {seed}")
    return int(seed)


def check_n_boot(n_boot: Any, arg: str = "n_boot", minimum: int = 1) -> int:
    """A positive number of replications.

    Parameters
    ----------
    n_boot : Any
        The value to check.
    arg : str, default "n_boot"
        The argument's name, for the message.
    minimum : int, default 1
        The smallest number allowed.

    Returns
    -------
    int
        ``TypeError`` for a non-integer, :class:`DataError` below ``minimum``.

    Examples
    --------
    >>> check_n_boot(2000)
    2000
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral):
        raise TypeError(f"{arg} must be an int, got {type(n_boot).__name__}")
    if n_boot < minimum:
        raise DataError(f"{arg} must be >= {minimum}, got {n_boot}")
    return int(n_boot)


#: how many offending row labels an error message shows
MAX_ROWS_SHOWN = 5


def rows_repr(index: pd.Index, mask: np.ndarray, k: int = MAX_ROWS_SHOWN) -> str:
    """The first ``k`` offending row labels as text, ``...`` when there are more.

    Parameters
    ----------
    index : pandas.Index
        Row labels.
    mask : numpy.ndarray of bool
        True at the offending rows.
    k : int, default 5
        How many labels to show.

    Returns
    -------
    str

    Examples
    --------
    >>> rows_repr(pd.RangeIndex(10), np.arange(10) > 2, k=3)
    '[3, 4, 5, ...]'
    """
    bad = [b.item() if isinstance(b, np.generic) else b for b in index[mask][:k]]
    text = repr(bad)
    return text[:-1] + ", ...]" if int(mask.sum()) > k else text


def check_positive_int(value: Any, arg: str) -> int:
    """An integer >= 1 (``DataError`` naming ``arg`` otherwise, also for True/False and floats).

    Parameters
    ----------
    value : Any
        The value to check.
    arg : str
        The argument's name, for the message.

    Returns
    -------
    int

    Examples
    --------
    >>> check_positive_int(3, "n")
    3
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise DataError(f"argument '{arg}' must be an integer >= 1, got {value!r}")
    return int(value)


def check_method(method: str, allowed: Sequence[str], what: str) -> str:
    """``method`` is one of ``allowed`` (``DataError`` naming the estimator ``what`` otherwise).

    Parameters
    ----------
    method : str
        The method asked for.
    allowed : sequence of str
        The methods available.
    what : str
        What is estimated (e.g. ``"nps"``), for the message.

    Returns
    -------
    str
        ``method``.

    Examples
    --------
    >>> check_method("wald", ("wilson", "wald"), "top_box")
    'wald'
    """
    if method not in allowed:
        raise DataError(
            f"argument 'method': {method!r} is not a method for {what}; use one of {allowed}"
        )
    return method


def as_list(names: str | Iterable[str] | None) -> list[str]:
    """One column name, several or none, as a list.

    Parameters
    ----------
    names : str, iterable of str or None

    Returns
    -------
    list of str

    Examples
    --------
    >>> as_list("region"), as_list(["a", "b"]), as_list(None)
    (['region'], ['a', 'b'], [])
    """
    if names is None:
        return []
    return [names] if isinstance(names, str) else list(names)
