"""Input checks shared by every custseg estimator and function.

Messages follow one pattern: who is complaining (class and method, or
function), which column or parameter, what was found, what was expected.
"""

import numbers
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from .exceptions import InputTypeError, InvalidInputError

_LIBRARY_DIRS = tuple(
    str(Path(module.__file__).resolve().parent)
    for module in (sys.modules["custseg"], sys.modules["sklearn"])
)


def caller_stacklevel():
    """``stacklevel`` for ``warnings.warn`` that points at the user's code.

    Counts the frames from the function that warns up to the first one
    outside custseg and scikit-learn, whose wrappers (``_fit_context``,
    ``set_output``) add a variable number of frames.
    """
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
        frame = frame.f_back
        level += 1
    return level


def format_values(values, limit=5):
    """Quote up to ``limit`` values for an error message, saying how many more."""
    values = [v.item() if isinstance(v, np.generic) else v for v in values]
    shown = ", ".join(repr(v) for v in values[:limit])
    if len(values) > limit:
        shown += f", ... ({len(values) - limit} more)"
    return shown


def check_frame(estimator, X, *, reset, method="fit"):
    """Validate a table given to ``estimator`` and return it as a DataFrame.

    The table is never copied or modified: a DataFrame comes back as is, a
    2-D array is wrapped (its columns named ``x0``, ``x1``, ... as
    scikit-learn does). ``n_features_in_`` and ``feature_names_in_`` are set
    (``reset=True``) or checked against those seen in ``fit``.

    Parameters
    ----------
    estimator : estimator instance
        The estimator asking; named in messages.
    X : DataFrame or array-like of shape (n_samples, n_features)
        The table.
    reset : bool
        True in ``fit``, False afterwards.
    method : str, default="fit"
        Name of the calling method, for messages.

    Returns
    -------
    frame : DataFrame
        ``X`` itself when it is a DataFrame with string column names,
        otherwise a DataFrame view of it with columns ``x0``, ``x1``, ...
    """
    who = f"{type(estimator).__name__}.{method}"
    if isinstance(X, pd.DataFrame):
        if X.columns.has_duplicates:
            duplicated = X.columns[X.columns.duplicated()].unique().tolist()
            raise InvalidInputError(
                f"{who}: column names must be unique; found duplicates "
                f"{format_values(duplicated)}."
            )
    else:
        if not hasattr(X, "toarray") and not isinstance(X, pd.Series):
            X = np.asarray(X)
        if isinstance(X, pd.Series) or np.ndim(X) != 2:
            raise InvalidInputError(
                f"{who}: expected a 2-D table (a pandas DataFrame or a 2-D array), "
                f"got {type(X).__name__} with {np.ndim(X)} dimension(s). Reshape "
                "your data: Series.to_frame() or array.reshape(-1, 1) for one "
                "column, array.reshape(1, -1) for one row."
            )
        if hasattr(X, "toarray") or hasattr(X, "tocsr"):
            raise InputTypeError(
                f"{who}: sparse input is not supported; pass a DataFrame or a "
                "dense array."
            )
    try:
        validate_data(estimator, X, skip_check_array=True, reset=reset)
    except ValueError as exc:  # columns differ from those seen in fit
        if isinstance(exc, InvalidInputError):
            raise
        raise InvalidInputError(f"{who}: {exc}") from exc
    except TypeError as exc:  # column names of mixed types
        raise InputTypeError(f"{who}: {exc}") from exc
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if X.shape[axis] == 0:
            raise InvalidInputError(
                f"{who}: found an empty table with 0 {what} (shape={X.shape}) "
                "while a minimum of 1 is required."
            )
    if isinstance(X, pd.DataFrame):
        if hasattr(estimator, "feature_names_in_"):
            return X
        # Columns without string names (for example 0, 1, 2): scikit-learn
        # ignores such names, so custseg uses x0, x1, ... like scikit-learn.
        return X.set_axis([f"x{i}" for i in range(X.shape[1])], axis=1)
    if np.iscomplexobj(X):
        raise InvalidInputError(
            f"{who}: Complex data not supported; expected real numbers or text."
        )
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])], copy=False)


def check_mapping_keys(who, parameter, mapping, allowed):
    """Raise if a dict parameter refers to columns that are not in the data."""
    if mapping is None:
        return
    unknown = [key for key in mapping if key not in allowed]
    if unknown:
        raise InvalidInputError(
            f"{who}: {parameter} names column(s) {format_values(unknown)} that "
            f"are not in the data; its columns are "
            f"{format_values(list(allowed), limit=10)}."
        )


def check_whole_number(who, name, value, low=1):
    """Raise unless ``value`` is a whole number (not a bool) >= ``low``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < low
    ):
        raise InvalidInputError(
            f"{who}: {name} must be a whole number >= {low}; got {value!r}."
        )


def is_number(value):
    """True for real numbers (not bool), including numpy scalars."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def numeric_column(who, column, name, *, parse_text=False):
    """A column of numbers as float64 (NaN for missing); text or booleans raise.

    Parameters
    ----------
    who : str
        The caller, named in the message.
    column : Series
    name : str
        The column's name, for the message.
    parse_text : bool, default=False
        Also read a text column whose values are all numbers (as some files
        are read); other text still raises.

    Returns
    -------
    values : ndarray of float64
    """
    dtype = column.dtype
    text = pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
    if pd.api.types.is_bool_dtype(dtype) or not (
        pd.api.types.is_numeric_dtype(dtype) or (parse_text and text)
    ):
        raise InputTypeError(
            f"{who}: column {name!r} must hold numbers; found dtype {dtype}."
        )
    if not pd.api.types.is_numeric_dtype(dtype):
        try:
            column = pd.to_numeric(column, errors="raise")
        except (TypeError, ValueError) as exc:
            raise InputTypeError(
                f"{who}: column {name!r} must hold numbers; found {exc}."
            ) from exc
    return column.to_numpy(dtype=np.float64, na_value=np.nan)
