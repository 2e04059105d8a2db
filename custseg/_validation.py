"""Input checks shared by every custseg estimator and function.

Messages follow one pattern: who is complaining (class and method, or
function), which column or parameter, what was found, what was expected.
"""

import math
import numbers
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils.validation import validate_data

from .exceptions import InputTypeError, InvalidInputError

# Most rows a generated table may have: its arrays' sizes in bytes must fit
# in a signed machine integer (larger requests are an error naming the
# parameter; smaller ones beyond the memory are numpy's MemoryError).
MAX_ROWS = np.iinfo(np.intp).max // 64

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
    X = _check_table(who, X)
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


def _check_table(who, X):
    """Refuse what is no table: duplicate column names, other than 2-D, sparse.

    Returns X, a non-DataFrame turned into an array.
    """
    if isinstance(X, pd.DataFrame):
        if X.columns.has_duplicates:
            duplicated = X.columns[X.columns.duplicated()].unique().tolist()
            raise InvalidInputError(
                f"{who}: column names must be unique; found duplicates "
                f"{format_values(duplicated)}."
            )
        return X
    if hasattr(X, "toarray") or hasattr(X, "tocsr"):
        raise InputTypeError(
            f"{who}: sparse input is not supported; pass a DataFrame or a dense array."
        )
    if not isinstance(X, pd.Series):
        try:
            X = np.asarray(X)
        except ValueError as exc:  # ragged nested lists
            raise InvalidInputError(
                f"{who}: X is not a table: {exc}; expected a 2-D table (a pandas "
                "DataFrame or a 2-D array) with the same number of values in "
                "every row."
            ) from exc
    if isinstance(X, pd.Series) or np.ndim(X) != 2:
        raise InvalidInputError(
            f"{who}: expected a 2-D table (a pandas DataFrame or a 2-D array), "
            f"got {type(X).__name__} with {np.ndim(X)} dimension(s). Reshape "
            "your data: Series.to_frame() or array.reshape(-1, 1) for one "
            "column, array.reshape(1, -1) for one row."
        )
    return X


def check_numbers(
    estimator,
    X,
    y=None,
    *,
    reset,
    method="fit",
    allow_nan=False,
    ensure_min_samples=1,
    text_hint="",
    nan_hint="",
):
    """Validate a table of numbers given to ``estimator``; return it as float64.

    scikit-learn's ``validate_data`` does the work (and sets or checks
    ``n_features_in_`` and ``feature_names_in_``); its errors come back as
    custseg errors that say who complains and which columns are at fault
    (those holding text, NaN or infinite values), other messages in
    scikit-learn's words.

    Parameters
    ----------
    estimator : estimator instance
        The estimator asking; named in messages.
    X : DataFrame or array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,), default=None
        Validated with X when given (then ``(X, y)`` is returned).
    reset : bool
        True in ``fit``, False afterwards.
    method : str, default="fit"
        Name of the calling method, for messages.
    allow_nan : bool, default=False
        Let NaN through (infinite values are always refused).
    ensure_min_samples : int, default=1
    text_hint, nan_hint : str, default=""
        Advice appended to the message about text, or about NaN and
        infinite values.

    Returns
    -------
    X : ndarray of float64, or (X, y)

    Raises
    ------
    InvalidInputError
        Text or categories in a DataFrame's column, NaN or infinite values,
        an empty table, too few rows, columns other than those seen in fit.
    InputTypeError
        Values that are not numbers or text at all (dicts, lists), sparse
        input, column names of mixed types.
    """
    who = f"{type(estimator).__name__}.{method}"
    X = _check_table(who, X)
    if isinstance(X, pd.DataFrame):
        text = [
            (column, dtype)
            for column, dtype in zip(X.columns, X.dtypes, strict=True)
            if not (
                pd.api.types.is_numeric_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)
            )
        ]
        if text:
            raise InvalidInputError(
                f"{who}: column(s) {format_values([c for c, _ in text])} hold text "
                f"or categories (dtype {text[0][1]}); expected numbers."
                f"{_hint(text_hint)}"
            )
        if X.shape[1] == 0:
            raise InvalidInputError(
                f"{who}: found an empty table with 0 feature(s) (shape={X.shape}) "
                "while a minimum of 1 is required."
            )
    options = {
        "dtype": np.float64,
        "reset": reset,
        "ensure_all_finite": "allow-nan" if allow_nan else True,
        "ensure_min_samples": ensure_min_samples,
    }
    try:
        if y is None:
            return validate_data(estimator, X, **options)
        return validate_data(estimator, X, y, **options)
    except ValueError as exc:
        if isinstance(exc, InvalidInputError):
            raise
        message = str(exc)
        if "NaN" in message or "infinity" in message:
            what = "infinite values" if allow_nan else "NaN or infinite values"
            columns = _non_finite_columns(X, allow_nan)
            where = f" in column(s) {format_values(columns)}" if columns else ""
            message = f"X holds {what}{where}; expected finite numbers" + (
                ", NaN for a missing one." if allow_nan else "."
            )
            raise InvalidInputError(f"{who}: {message}{_hint(nan_hint)}") from exc
        columns = _text_columns(X) if "convert" in message else None
        if columns:
            message = (
                f"column(s) {format_values(list(columns))} of X hold values that are "
                f"not numbers (for example {format_values(list(columns.values()))}); "
                "expected numbers."
            )
            raise InvalidInputError(f"{who}: {message}{_hint(text_hint)}") from exc
        raise InvalidInputError(f"{who}: {message}") from exc
    except TypeError as exc:  # values that are no numbers, mixed column names
        columns = _text_columns(X)
        where = (
            f" Column(s) {format_values(list(columns))} of X hold values that are "
            f"not numbers (for example {format_values(list(columns.values()))})."
            if columns
            else ""
        )
        raise InputTypeError(f"{who}: {exc}.{where}") from exc


# Largest magnitude accepted where squares or sums of squares are taken
# (distances, variances): the square root of the largest float, with room for
# sums over 1e8 rows or columns.
HUGE = 1e150


def check_magnitude(estimator, X, why, method="fit"):
    """Raise if a column of the float array X holds values beyond ``HUGE``.

    ``why`` says what would overflow, for the message.
    """
    # largest magnitude per column by two reductions (no copy of X); NaN
    # is passed over
    sizes = np.fmax(np.fmax.reduce(X, axis=0), -np.fmin.reduce(X, axis=0))
    huge = np.flatnonzero(sizes > HUGE)
    if len(huge):
        names = getattr(estimator, "feature_names_in_", None)
        names = [names[j] if names is not None else f"x{j}" for j in huge]
        largest = float(sizes[huge].max())
        raise InvalidInputError(
            f"{type(estimator).__name__}.{method}: column(s) {format_values(names)} "
            f"of X hold values beyond {HUGE:g} (up to {largest:.3g}), {why}; "
            "expected smaller numbers: scale X first (StandardScaler, or "
            "SurveyPreprocessor, which scales)."
        )


def _hint(text):
    return f" {text}" if text else ""


def _columns_of(X):
    """X as a DataFrame of objects (columns x0, x1, ... for an array), or None."""
    if isinstance(X, pd.DataFrame):
        return X
    try:
        values = np.asarray(X, dtype=object)
    except (TypeError, ValueError):
        return None
    if values.ndim != 2:
        return None
    return pd.DataFrame(values, columns=[f"x{j}" for j in range(values.shape[1])])


def _text_columns(X):
    """The columns of X holding a value that is no number, each with one of them."""
    frame = _columns_of(X)
    bad = {}
    for position in range(0 if frame is None else frame.shape[1]):
        for value in frame.iloc[:, position]:
            try:
                float(value)
            except (TypeError, ValueError):
                bad[frame.columns[position]] = value
                break
    return bad


def _non_finite_columns(X, allow_nan):
    """The columns of X holding infinite values (or NaN, unless allowed)."""
    frame = _columns_of(X)
    if frame is None:
        return []
    try:
        values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        return []
    bad = np.isinf(values) if allow_nan else ~np.isfinite(values)
    return [frame.columns[j] for j in np.flatnonzero(bad.any(axis=0))]


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


def is_finite_number(value):
    """True for finite real numbers (not bool); an integer too large for a
    float (10**400) is not one."""
    if not is_number(value):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def numeric_column(who, column, name, *, parse_text=False):
    """A column of numbers as float64 (NaN for missing); text, booleans or
    infinite values raise.

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
        # an object column (of text numbers) may hide Python booleans; only
        # a column pandas infers as boolean or mixed can (scanned then only)
        if (
            pd.api.types.infer_dtype(column, skipna=True)
            in (
                "boolean",
                "mixed",
            )
            and column.map(lambda value: isinstance(value, bool | np.bool_)).any()
        ):
            raise InputTypeError(
                f"{who}: column {name!r} must hold numbers; found booleans."
            )
        try:
            column = pd.to_numeric(column, errors="raise")
        except (TypeError, ValueError) as exc:
            raise InputTypeError(
                f"{who}: column {name!r} must hold numbers; found {exc}."
            ) from exc
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        raise InvalidInputError(
            f"{who}: column {name!r} holds {int(infinite.sum())} infinite "
            f"value(s) (first at row {int(np.argmax(infinite))}); expected finite "
            "numbers, NaN for a missing one."
        )
    return values
