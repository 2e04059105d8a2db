"""Reading one input column into a compact, type-checked form.

Text columns are factorised once: every distinct answer is stripped of
surrounding white space and kept once in ``labels``, each row holds an
integer ``codes`` entry pointing into them (-1 for a missing answer). The
encoders then work on the few distinct answers and expand the result to the
rows with a single ``table[codes]`` gather, which is what keeps
:class:`~custseg.SurveyPreprocessor` fast on millions of rows.
"""

import numbers
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._validation import format_values
from .exceptions import InputTypeError, InvalidInputError

_NUMBER_TYPES = ("integer", "floating", "mixed-integer-float", "decimal", "boolean")
_DATETIME_TYPES = ("datetime", "datetime64", "date")


@dataclass
class ParsedColumn:
    """One column, read once.

    Attributes
    ----------
    name : str
        Column name.
    kind : {"numeric", "text", "datetime", "mixed"}
        What the values are. ``"mixed"`` columns hold numbers and text (or
        other objects) together; they are also given as text (``codes`` and
        ``labels`` of their string forms) so that a declared role can use them.
    values : ndarray of float64 or datetime64, or None
        Numeric or datetime values, missing as NaN or NaT.
    codes : ndarray of int64 or None
        Per row, the index of its answer in ``labels``; -1 when missing.
    labels : ndarray of object or None
        The distinct answers, stripped, in order of first appearance.
    label_values : ndarray of float64 or None
        For labels made from numbers, the numbers (to sort them as numbers).
    ordered_levels : tuple or None
        Levels of an ordered pandas ``Categorical``, lowest first.
    type_summary : str or None
        For mixed columns, the types found and how often.
    """

    name: str
    kind: str
    values: np.ndarray | None = None
    codes: np.ndarray | None = None
    labels: np.ndarray | None = None
    label_values: np.ndarray | None = None
    ordered_levels: tuple | None = None
    type_summary: str | None = None

    @property
    def missing(self):
        """Boolean mask of missing rows."""
        if self.codes is not None:
            return self.codes < 0
        return pd.isna(self.values)

    def label_counts(self):
        """How many rows gave each label."""
        present = self.codes[self.codes >= 0]
        return np.bincount(present, minlength=len(self.labels))

    def as_text(self):
        """This column with numeric or datetime values turned into labels."""
        if self.codes is not None:
            return self
        codes, uniques = pd.factorize(self.values, use_na_sentinel=True)
        uniques = np.asarray(uniques)
        if self.kind == "numeric":
            labels = np.array([label_of(v) for v in uniques], dtype=object)
            label_values = uniques.astype(np.float64)
        else:
            labels = np.array([str(v) for v in uniques], dtype=object)
            label_values = None
        return ParsedColumn(
            self.name,
            "text",
            codes=codes.astype(np.int64, copy=False),
            labels=labels,
            label_values=label_values,
        )

    def label_numbers(self):
        """Each label as a number (NaN if it is not one, or has a leading 0).

        Text that reads as an infinite number ("inf", "1e309") is not a
        usable number either: NaN, so that it is reported like any other
        answer that is not a number.
        """
        numbers = pd.to_numeric(pd.Series(self.labels, dtype=object), errors="coerce")
        numbers = numbers.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        # "007" is a code, not the number 7
        coded = pd.Index(self.labels, dtype=object).str.match(r"^[+-]?0\d")
        numbers[np.asarray(coded, dtype=bool) | np.isinf(numbers)] = np.nan
        return numbers

    def number_share(self):
        """Share of the answers (rows) that are numbers."""
        counts = self.label_counts()
        if counts.sum() == 0:
            return 0.0
        return float(counts[~np.isnan(self.label_numbers())].sum() / counts.sum())

    def as_numbers(self):
        """Numeric values of this column; text that is not a number becomes NaN.

        Returns
        -------
        values : ndarray of float64
        bad_labels : list
            The answers that are not numbers.
        n_bad : int
            How many rows gave such answers.
        """
        if self.kind == "numeric":
            return self.values, [], 0
        if self.kind == "datetime":
            raise InvalidInputError(
                f"Column {self.name!r} holds dates and times; expected numbers. "
                "Give it the role 'datetime' instead."
            )
        label_numbers = self.label_numbers()
        bad = np.isnan(label_numbers)
        values = np.append(label_numbers, np.nan)[self.codes]
        n_bad = int(self.label_counts()[bad].sum())
        return values, list(self.labels[bad]), n_bad


def label_of(value):
    """The text label of an answer: numbers without a useless ".0"."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Real) and np.isfinite(value):
        value = float(value)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _text_from_uniques(
    name, codes, uniques, kind="text", type_summary=None, *, strings=True
):
    """Strip the distinct answers, merge those equal after stripping, drop ''.

    ``strings=False`` when some answers are not strings: they are labelled
    with :func:`label_of` first.
    """
    texts = uniques if strings else [label_of(value) for value in uniques]
    stripped = pd.Index(texts, dtype=object).str.strip()
    remap, labels = pd.factorize(stripped)
    labels = np.asarray(labels, dtype=object)
    empty = np.flatnonzero(labels == "")
    if len(empty):
        # An answer that is only white space is a missing answer.
        keep = np.ones(len(labels), dtype=bool)
        keep[empty] = False
        new_index = np.cumsum(keep) - 1
        new_index[~keep] = -1
        remap = new_index[remap]
        labels = labels[keep]
    remap = np.append(remap, -1).astype(np.int64)
    return ParsedColumn(
        name, kind, codes=remap[codes], labels=labels, type_summary=type_summary
    )


def parse_column(series, name):
    """Read one column of a DataFrame.

    Parameters
    ----------
    series : Series
        The column; never modified.
    name : str
        Its name, for messages.

    Returns
    -------
    parsed : ParsedColumn

    Raises
    ------
    InvalidInputError
        If a numeric column holds infinite values.
    """
    dtype = series.dtype
    if pd.api.types.is_complex_dtype(dtype):
        raise InvalidInputError(
            f"Column {name!r}: Complex data not supported; expected real numbers "
            "or text."
        )
    if isinstance(dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(dtype=np.int64)
        categories = dtype.categories
        numeric = pd.api.types.is_numeric_dtype(categories.dtype)
        parsed = _text_from_uniques(
            name, codes, categories, strings=categories.inferred_type == "string"
        )
        if numeric:
            parsed.label_values = pd.to_numeric(pd.Series(parsed.labels)).to_numpy(
                float
            )
        if dtype.ordered:
            # labels follow the categories' order, lowest first
            parsed.ordered_levels = tuple(parsed.labels)
        return parsed
    if pd.api.types.is_bool_dtype(dtype) or (pd.api.types.is_numeric_dtype(dtype)):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return _numeric(name, values)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        if getattr(dtype, "tz", None) is not None:
            # wall-clock time where the customer was
            series = series.dt.tz_localize(None)
        return ParsedColumn(name, "datetime", values=series.to_numpy())
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError as exc:  # unhashable values such as dicts or lists
        raise InputTypeError(
            f"Column {name!r} holds values that are not answers ({exc}); every "
            "argument must be a string, a number or missing."
        ) from exc
    codes = codes.astype(np.int64, copy=False)
    uniques = np.asarray(uniques, dtype=object)
    inferred = pd.api.types.infer_dtype(uniques, skipna=True)
    if inferred in ("string", "empty"):
        # text stays text, "001" included; whether it holds numbers is for
        # role inference to decide (see number_share)
        return _text_from_uniques(name, codes, uniques)
    if inferred in _NUMBER_TYPES:
        unique_values = uniques.astype(np.float64)
        return _numeric(name, np.append(unique_values, np.nan)[codes])
    if inferred in _DATETIME_TYPES:
        # wall-clock time where each customer was, whatever the time zone
        naive = [
            value.replace(tzinfo=None) if getattr(value, "tzinfo", None) else value
            for value in uniques
        ]
        values = pd.to_datetime(pd.Series(np.append(naive, None)[codes]))
        return ParsedColumn(name, "datetime", values=values.to_numpy())
    types = Counter(type(value).__name__ for value in uniques if not pd.isna(value))
    summary = ", ".join(
        f"{count} distinct {kind}" for kind, count in types.most_common()
    )
    return _text_from_uniques(
        name, codes, uniques, kind="mixed", type_summary=summary, strings=False
    )


def _numeric(name, values):
    infinite = np.isinf(values)
    if infinite.any():
        raise InvalidInputError(
            f"Column {name!r} holds {int(infinite.sum())} infinite value(s), for "
            f"example at row {int(np.flatnonzero(infinite)[0])}; expected finite "
            "numbers, with missing answers as NaN."
        )
    return ParsedColumn(name, "numeric", values=values)


def describe_bad_labels(labels, n_rows):
    """'3 answers (\"a\", \"b\")' for warnings and errors."""
    return f"{n_rows} answer(s) ({format_values(labels)})"
