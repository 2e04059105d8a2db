"""Hypothesis strategies for awkward pandas DataFrames, used by tests/test_fuzz.py.

``frames()`` draws tables such as users actually hand over: mixed dtypes
(integers, floats, booleans, text, categoricals, object columns mixing
numbers and text, date-times), every kind of missing value (NaN, None,
``pd.NA``, NaT), odd text ("", " ", unicode, "nan", "1e309", very long
answers), extreme numbers (±inf, ±1e308, -0.0, 5e-324, the largest 64-bit
integers, Python integers beyond them), tiny tables (0 rows, 1 row, 0
columns), constant and empty columns, duplicated index labels and odd column
names (integers, "", unicode, duplicates).

``frames(required={"name": column_kinds}, ...)`` makes sure some columns
exist, so that a function reading given columns gets past "column not
found" and into its real work; ``numbers()``, ``labels()`` and the domain
strategies (``transaction_logs()``, ``summaries()``) do the same for the
inputs of particular functions.
"""

import numpy as np
import pandas as pd
from hypothesis import strategies as st

# Text that has broken parsers somewhere.
ODD_STRINGS = (
    "",
    " ",
    " \t\n",
    "nan",
    "NaN",
    "None",
    "NULL",
    "N/A",
    "-",
    "1e309",
    "-1e309",
    "inf",
    "-0",
    "0",
    "007",
    "1,5",
    "3.0",
    "ñandú",
    "日本語",
    "😀",
    "a;b",
    "a;;b",
    ";",
    "Yes",
    "No",
    "Never",
    "Often",
    "x" * 500,
    "\x00",
    "2024-02-30",
    "2024-01-05 10:00",
)

EXTREME_FLOATS = (
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    -5e-324,
    1e-300,
    np.inf,
    -np.inf,
    np.nan,
)
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min
EXTREME_INTS = (0, 1, -1, 2, 7, 10, INT64_MAX, INT64_MIN, INT64_MAX - 1, 2**53 + 1)
MISSING = (None, np.nan, pd.NA)

COLUMN_KINDS = (
    "int",
    "nullable_int",
    "uint",
    "float",
    "bool",
    "nullable_bool",
    "object_bool",
    "str",
    "string",
    "category",
    "ordered_category",
    "int_category",
    "mixed",
    "datetime",
    "datetime_tz",
    "datetime_text",
    "constant",
    "all_missing",
    "big_int_object",
)
NUMERIC_KINDS = ("int", "nullable_int", "uint", "float", "constant")

ODD_NAMES = ("a", "b", "x0", "user_id", "", " ", "ñ", "日本", 0, 1, -1, "nan", "a b")


def texts():
    """Odd strings, and arbitrary short ones."""
    return st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=8))


def floats():
    """Floats, biased towards the extremes."""
    return st.one_of(
        st.sampled_from(EXTREME_FLOATS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.floats(-10, 10),
    )


def ints():
    """64-bit integers, biased towards the extremes."""
    return st.one_of(st.sampled_from(EXTREME_INTS), st.integers(INT64_MIN, INT64_MAX))


def small_ints():
    return st.integers(-3, 12)


def _with_missing(values, missing_values=MISSING):
    """``values``, or one of ``missing_values`` (about one time in five)."""
    return st.one_of(values, values, values, values, st.sampled_from(missing_values))


@st.composite
def columns(draw, n_rows, kinds=COLUMN_KINDS):
    """One column of ``n_rows`` values of a drawn kind, as a Series."""
    kind = draw(st.sampled_from(kinds))
    small = draw(st.booleans())  # few distinct values, like survey answers

    def values(strategy):
        return draw(st.lists(strategy, min_size=n_rows, max_size=n_rows))

    if kind == "int":
        return pd.Series(values(small_ints() if small else ints()), dtype=np.int64)
    if kind == "nullable_int":
        base = small_ints() if small else ints()
        return pd.Series(values(_with_missing(base, (pd.NA, None))), dtype="Int64")
    if kind == "uint":
        return pd.Series(
            values(st.sampled_from([0, 1, 5, 2**63, 2**64 - 1])), dtype=np.uint64
        )
    if kind == "float":
        base = small_ints().map(float) if small else floats()
        return pd.Series(values(base), dtype=np.float64)
    if kind == "bool":
        return pd.Series(values(st.booleans()), dtype=bool)
    if kind == "nullable_bool":
        return pd.Series(
            values(_with_missing(st.booleans(), (pd.NA,))), dtype="boolean"
        )
    if kind == "object_bool":
        return pd.Series(values(_with_missing(st.booleans())), dtype=object)
    if kind in ("str", "string", "category", "ordered_category"):
        pool = draw(st.lists(texts(), min_size=1, max_size=6, unique=True))
        answers = values(_with_missing(st.sampled_from(pool)))
        if kind == "str":
            return pd.Series(answers, dtype=object)
        if kind == "string":
            return pd.Series(
                [None if v is None or v is pd.NA or v != v else v for v in answers],
                dtype="string",
            )
        answers = [None if v is pd.NA else v for v in answers]
        return pd.Series(
            pd.Categorical(answers, categories=pool, ordered=kind == "ordered_category")
        )
    if kind == "int_category":
        pool = draw(st.lists(small_ints(), min_size=1, max_size=5, unique=True))
        answers = values(_with_missing(st.sampled_from(pool), (None, np.nan)))
        return pd.Series(pd.Categorical(answers, categories=pool))
    if kind == "mixed":
        anything = st.one_of(texts(), floats(), small_ints(), st.booleans())
        return pd.Series(values(_with_missing(anything)), dtype=object)
    if kind in ("datetime", "datetime_tz"):
        moments = st.datetimes(
            min_value=pd.Timestamp("1970-01-01").to_pydatetime(),
            max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
        )
        stamps = values(_with_missing(moments, (None,)))
        series = pd.Series(pd.to_datetime(stamps), dtype="datetime64[ns]")
        return series.dt.tz_localize("UTC") if kind == "datetime_tz" else series
    if kind == "datetime_text":
        moments = st.sampled_from(
            ["2024-01-01", "2024-03-05 13:00", "2023-12-31", "2024/02/01", "yesterday"]
        )
        return pd.Series(values(_with_missing(moments)), dtype=object)
    if kind == "constant":
        value = draw(st.one_of(small_ints(), st.sampled_from(["same", 1.5, True])))
        return pd.Series([value] * n_rows, dtype=object if value == "same" else None)
    if kind == "all_missing":
        missing = draw(st.sampled_from(MISSING))
        dtype = draw(st.sampled_from([object, np.float64]))
        if dtype is np.float64:
            missing = np.nan
        return pd.Series([missing] * n_rows, dtype=dtype)
    # Python integers beyond 64 bits, which numpy cannot hold
    big = st.sampled_from([2**64, -(2**70), 10**30, 1, 0])
    return pd.Series(values(_with_missing(big)), dtype=object)


@st.composite
def indexes(draw, n_rows):
    """A row index: 0..n-1, shuffled, duplicated labels or text labels."""
    kind = draw(st.sampled_from(["range", "range", "shuffled", "duplicated", "text"]))
    if kind == "range":
        return pd.RangeIndex(n_rows)
    if kind == "shuffled":
        return pd.Index(draw(st.permutations(list(range(n_rows)))))
    if kind == "duplicated":
        return pd.Index(
            draw(st.lists(st.integers(0, 2), min_size=n_rows, max_size=n_rows))
        )
    labels = draw(
        st.lists(
            st.sampled_from(["a", "b", "", "日本", "a"]),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    return pd.Index(labels, dtype=object)


@st.composite
def frames(
    draw,
    *,
    min_rows=0,
    max_rows=30,
    min_columns=0,
    max_columns=5,
    kinds=COLUMN_KINDS,
    required=None,
    odd_names=True,
):
    """A DataFrame of awkward columns.

    Parameters
    ----------
    min_rows, max_rows, min_columns, max_columns : int
        Size bounds (``max_rows`` small: the fuzz tests must be quick).
    kinds : sequence of str
        Column kinds to draw from (``COLUMN_KINDS``).
    required : dict of str to sequence of str, default=None
        Columns that must exist, by name, each with the kinds it may take;
        they come first, the drawn extra columns after them.
    odd_names : bool, default=True
        Name the extra columns of one table in four from ``ODD_NAMES``
        (integers, "", duplicates included); else "c0", "c1", ...
    """
    n_rows = draw(st.integers(min_rows, max_rows))
    required = required or {}
    data, names = [], []
    for name, name_kinds in required.items():
        data.append(draw(columns(n_rows, name_kinds)))
        names.append(name)
    n_extra = draw(st.integers(min_columns, max_columns))
    # one table in four has odd names (duplicates, integers, "" ...), which
    # most calls refuse at once; the others go further
    odd = odd_names and draw(st.integers(0, 3)) == 0
    for i in range(n_extra):
        data.append(draw(columns(n_rows, kinds)))
        names.append(draw(st.sampled_from(ODD_NAMES)) if odd else f"c{i}")
    index = draw(indexes(n_rows))
    if not data:
        return pd.DataFrame(index=index)
    frame = pd.concat(data, axis=1, ignore_index=True)
    # set_axis, unlike the constructor, keeps duplicated names
    return frame.set_axis(index, axis=0).set_axis(pd.Index(names, dtype=object), axis=1)


@st.composite
def labels(draw, n_rows, *, allow_missing=True):
    """Class labels for ``n_rows`` rows: numbers, bools, text, one class or more.

    Missing labels (in one list of labels in four) are None, NaN or pd.NA.
    """
    pool = draw(
        st.sampled_from(
            [
                [0, 1],
                [1, 2],
                [True, False],
                ["yes", "no"],
                ["stayed", "churned"],
                ["a", "b"],
                ["", " "],
                [0.0, 1.0],
                [0, 1, 2],
                ["only"],
                [0, "1"],
            ]
        )
    )
    value = st.sampled_from(pool)
    if allow_missing and draw(st.integers(0, 3)) == 0:
        value = st.one_of(value, value, value, value, value, st.sampled_from(MISSING))
    return draw(st.lists(value, min_size=n_rows, max_size=n_rows))


def numbers():
    """One number (or not quite one) as passed for a numeric parameter."""
    return st.one_of(
        floats(),
        ints(),
        st.sampled_from([True, None, "3", [1, 2], 2**70]),
    )


@st.composite
def summaries(draw, *, max_rows=30, holdout=False):
    """RFM summaries: mostly consistent ones, then spoiled here and there."""
    n_rows = draw(st.integers(0, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    T = rng.uniform(1, 60, n_rows).round(draw(st.sampled_from([0, 3])))
    frequency = rng.poisson(draw(st.sampled_from([0.0, 0.5, 3.0])), n_rows).astype(
        float
    )
    recency = np.where(frequency > 0, rng.uniform(0.1, 1.0, n_rows) * T, 0.0)
    monetary = np.where(frequency > 0, rng.gamma(2.0, 20.0, n_rows), 0.0)
    frame = pd.DataFrame(
        {"frequency": frequency, "recency": recency, "T": T, "monetary_value": monetary}
    )
    if holdout:
        frame["frequency_holdout"] = rng.poisson(1.0, n_rows).astype(float)
        frame["duration_holdout"] = draw(st.sampled_from([10.0, 0.0, 1e-9]))
    # spoil: replace some cells with awkward values, drop or add columns
    for _ in range(draw(st.integers(0, 3))):
        if not n_rows:
            break
        column = draw(st.sampled_from(list(frame.columns)))
        row = draw(st.integers(0, n_rows - 1))
        value = draw(st.one_of(floats(), st.sampled_from([-1.0, 0.0, 0.5, 1e6])))
        frame.loc[row, column] = value
    if draw(st.integers(0, 9)) == 0:
        frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
    if draw(st.integers(0, 9)) == 0 and n_rows:
        column = draw(st.sampled_from(list(frame.columns)))
        frame[column] = draw(columns(n_rows))
    frame = frame.set_axis(draw(indexes(n_rows)), axis=0)
    return frame


@st.composite
def transaction_logs(draw, *, max_rows=30):
    """Transaction logs: a customer, a date and a value column, each awkward."""
    return draw(
        frames(
            max_rows=max_rows,
            max_columns=1,
            # usable kinds repeated, so that most logs get to the summary
            required={
                "customer": ("str", "str", "int", "category", "mixed", "all_missing"),
                "date": ("datetime",) * 4 + ("datetime_tz", "datetime_text", "str"),
                "value": ("float",) * 3 + ("int", "nullable_int", "str", "bool"),
                "qty": ("int", "float", "nullable_int"),
                "cancelled": ("bool", "bool", "nullable_bool", "object_bool", "int"),
            },
        )
    )
