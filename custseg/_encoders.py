"""Per-role column encoders behind :class:`~custseg.SurveyPreprocessor`.

Each encoder turns one parsed column (see ``_columns.py``) into one or more
output columns, written straight into a slice of the preprocessor's output
array. Encoders of answers with few distinct values build a small table, one
row per distinct answer plus a last row for a missing answer, and expand it
to the rows with ``np.take(..., mode="wrap")`` (the code -1 of a missing
answer wraps to the last row).
"""

import warnings

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ._columns import describe_bad_labels
from ._scales import (
    likert_range,
    match_known_scale,
    normalise_label,
    parse_datetimes,
)
from ._state import PandasFreeState
from ._validation import format_values
from .exceptions import DataDroppedWarning, InvalidInputError

# Missing-answer strategies each role accepts; the first is the default.
IMPUTATION_STRATEGIES = {
    "numeric": ("median", "mean", "most_frequent"),
    "likert": ("median", "mean", "most_frequent"),
    "ordinal": ("median", "mean", "most_frequent"),
    "datetime": ("median", "mean", "most_frequent"),
    "nominal": ("most_frequent", "indicator"),
    "multiselect": ("mean", "zero"),
}

DATETIME_PARTS = (
    "year",
    "quarter",
    "month",
    "day",
    "day_of_week",
    "day_of_year",
    "hour",
    "minute",
)

# Settings of the bag of words behind the topic features of text columns.
TOPIC_VECTORIZER = {"stop_words": "english", "min_df": 2, "max_df": 0.95}

MISSING_LEVEL = "(missing)"

# Rows the topic model of a text column is learned from, at most.
TOPIC_FIT_ROWS = 2_000


class Report:
    """Collects answers an encoder could not place, for one warning per call.

    Parameters
    ----------
    who : str
        "Class.method", the start of every message.
    handle_unknown : {"warn", "ignore", "error"}
        What to do about such answers.
    """

    def __init__(self, who, handle_unknown):
        self.who = who
        self.handle_unknown = handle_unknown
        self.messages = []

    def unplaced(self, column, what, labels, n_rows, consequence):
        """Record (or raise about) ``n_rows`` answers that could not be placed."""
        if n_rows == 0:  # only unused categories of a Categorical
            return
        found = f"column {column!r}: {describe_bad_labels(labels, n_rows)} {what}"
        if self.handle_unknown == "error":
            raise InvalidInputError(
                f"{self.who}: {found}. Set handle_unknown='warn' to accept them "
                f"({consequence.replace('they were', 'they would be')})."
            )
        message = f"{found}; {consequence}"
        if self.handle_unknown == "warn":
            self._add(message)

    def left_out(self, message):
        """Record a column that produces no output (always warned about)."""
        self._add(message)

    def _add(self, message):
        # fit encodes the data it learned from, so the same answers can be
        # reported twice: once while learning, once while encoding
        if message not in self.messages:
            self.messages.append(message)

    def emit(self, stacklevel=3):
        if self.messages:
            warnings.warn(
                f"{self.who}: " + "; ".join(self.messages) + ".",
                DataDroppedWarning,
                stacklevel=stacklevel,
            )


def _gather(table, codes, out):
    """out[i] = table[codes[i]], the code -1 taking the last row of table."""
    for j in range(table.shape[1]):
        np.take(np.ascontiguousarray(table[:, j]), codes, out=out[:, j], mode="wrap")


def _write_numbers(out, values, fill):
    """Write one column of numbers into out, missing ones replaced by fill."""
    column = out[:, 0]
    np.copyto(column, values)
    column[np.isnan(values)] = fill


def _statistic(values, strategy):
    """Fill value for missing numbers: median, mean or most frequent value."""
    if strategy == "median":
        return float(np.median(values))
    if strategy == "mean":
        return float(np.mean(values))
    distinct, counts = np.unique(values, return_counts=True)
    return float(distinct[np.argmax(counts)])


class ColumnEncoder(PandasFreeState):
    """Base class: one column in one role.

    Subclasses set, in ``fit``, ``suffixes`` (output names are the column
    name plus each suffix), ``answers`` (what each output stands for, or
    None) and ``detail`` (a readable summary for ``roles_``).
    """

    role = None
    # Whether outputs are continuous and so scaled; indicators are not.
    continuous = True

    def __init__(self, column, *, position=None, suffix="", strategy=None):
        self.column = column
        self.position = position  # the column's position in the input
        self.suffix = suffix
        self.strategy = strategy or IMPUTATION_STRATEGIES.get(self.role, (None,))[0]
        self.suffixes = []
        self.answers = []
        self.detail = ""

    @property
    def n_outputs(self):
        return len(self.suffixes)

    def _no_answers(self):
        return InvalidInputError(
            f"Column {self.column!r} has no usable answers for the role "
            f"{self.role!r}; set its role to 'ignore' to leave it out."
        )


class NumericEncoder(ColumnEncoder):
    """A number per answer; missing answers get the median (or mean, mode)."""

    role = "numeric"

    def _numbers(self, parsed, report):
        values, bad_labels, n_bad = parsed.as_numbers()
        if n_bad:
            report.unplaced(
                self.column,
                "that are not numbers",
                bad_labels,
                n_bad,
                "they were treated as missing",
            )
        return values

    def fit(self, parsed, report):
        values = self._numbers(parsed, report)
        present = values[~np.isnan(values)]
        if len(present) == 0:
            raise self._no_answers()
        self._check_values(present, report)
        self.fill_ = _statistic(present, self.strategy)
        self.suffixes, self.answers = [self.suffix], [None]
        self.detail = f"missing -> {self.strategy} {self.fill_:g}"
        return self

    def _check_values(self, present, report):
        """Hook for subclasses that restrict the allowed values."""

    def transform(self, parsed, out, report):
        values = self._numbers(parsed, report)
        self._check_values(values[~np.isnan(values)], report)
        _write_numbers(out, values, self.fill_)


class LikertEncoder(NumericEncoder):
    """A rating on a declared or inferred scale such as 1..5.

    On a declared scale, an answer outside it or not a whole number is an
    error, in ``fit`` and ``transform``. On an inferred scale such answers
    at ``transform`` are kept as numbers and reported (``handle_unknown``).
    """

    role = "likert"

    def __init__(self, column, *, scale=None, **kwargs):
        super().__init__(column, **kwargs)
        self.scale = scale

    def fit(self, parsed, report):
        if self.scale is None:
            values, _, _ = parsed.as_numbers()
            present = values[~np.isnan(values)]
            if len(present) == 0:
                raise self._no_answers()
            self.scale_ = likert_range(present.min(), max(present.max(), 1))
            if self.scale_ is None:
                raise InvalidInputError(
                    f"Column {self.column!r} has the role 'likert' but answers from "
                    f"{present.min():g} to {present.max():g}, beyond the scales custseg "
                    f"infers (up to 0..10); declare it with likert_scales="
                    f"{{{self.column!r}: (low, high)}} or use the role 'numeric'."
                )
        else:
            self.scale_ = tuple(self.scale)
        super().fit(parsed, report)
        self.detail = f"scale {self.scale_[0]:g}..{self.scale_[1]:g}; " + self.detail
        return self

    def _check_values(self, present, report):
        low, high = self.scale_
        bad = (present < low) | (present > high) | (present != np.round(present))
        if not bad.any():
            return
        found = np.unique(present[bad])
        if self.scale is None:  # inferred: only transform can get here
            report.unplaced(
                self.column,
                f"outside the inferred scale {low:g}..{high:g}",
                list(found),
                int(bad.sum()),
                "they were kept as numbers",
            )
            return
        raise InvalidInputError(
            f"Column {self.column!r}: Likert answers must be whole numbers from "
            f"{low:g} to {high:g}; found {format_values(found)} in {int(bad.sum())} "
            f"row(s). Declare the scale with likert_scales={{{self.column!r}: "
            "(low, high)} if it is wider, or give the column the role 'numeric'."
        )


class OrdinalEncoder(ColumnEncoder):
    """The rank of an answer in an ordered scale (1 = lowest level).

    The order is, in this priority: the one declared in ``orders``; the
    categories of an ordered pandas Categorical; the numeric order of
    numbers; a known scale (see ``custseg._scales.KNOWN_SCALES``). Answers
    outside the order are treated as missing, following ``handle_unknown``.
    """

    role = "ordinal"

    def __init__(self, column, *, order=None, **kwargs):
        super().__init__(column, **kwargs)
        self.order = order

    def _resolve_order(self, text):
        if self.order is not None:
            return [str(level) for level in self.order]
        if text.ordered_levels is not None:
            return list(text.ordered_levels)
        if text.label_values is not None:
            return list(text.labels[np.argsort(text.label_values, kind="stable")])
        scale = match_known_scale(text.labels[text.label_counts() > 0])
        if scale is None:
            raise InvalidInputError(
                f"Column {self.column!r} has the role 'ordinal' but its answers "
                f"({format_values(sorted(text.labels))}) fit no known scale; declare "
                f"their order with orders={{{self.column!r}: [lowest, ..., highest]}}."
            )
        return list(scale[1])

    def _codes(self, parsed, report):
        text = parsed.as_text()
        label_codes = np.array(
            [
                self.positions_.get(normalise_label(label), np.nan)
                for label in text.labels
            ],
            dtype=np.float64,
        )
        unknown = np.isnan(label_codes)
        if unknown.any():
            n_rows = int(text.label_counts()[unknown].sum())
            report.unplaced(
                self.column,
                f"outside the order {' < '.join(self.order_)}",
                list(text.labels[unknown]),
                n_rows,
                "they were treated as missing",
            )
        return np.append(label_codes, np.nan)[text.codes]

    def fit(self, parsed, report):
        self.order_ = self._resolve_order(parsed.as_text())
        keys = [normalise_label(level) for level in self.order_]
        if len(set(keys)) != len(keys):
            source = (
                f"orders[{self.column!r}]"
                if self.order is not None
                else "its ordered categories"
            )
            raise InvalidInputError(
                f"Column {self.column!r}: {source} repeats a level (levels are "
                "matched ignoring case and extra white space): "
                f"{format_values(self.order_)}; expected distinct levels."
            )
        self.positions_ = {key: float(i + 1) for i, key in enumerate(keys)}
        values = self._codes(parsed, report)
        present = values[~np.isnan(values)]
        if len(present) == 0:
            raise self._no_answers()
        self.fill_ = _statistic(present, self.strategy)
        self.suffixes, self.answers = [self.suffix], [None]
        self.detail = (
            " < ".join(self.order_) + f"; missing -> {self.strategy} {self.fill_:g}"
        )
        return self

    def transform(self, parsed, out, report):
        _write_numbers(out, self._codes(parsed, report), self.fill_)


class NominalEncoder(ColumnEncoder):
    """One 0/1 indicator per answer seen in ``fit`` (one-hot encoding).

    Missing answers get the most frequent answer, or their own indicator
    (strategy "indicator"). Answers not seen in ``fit`` get all zeros.
    """

    role = "nominal"
    continuous = False

    def fit(self, parsed, report):
        text = parsed.as_text()
        counts = text.label_counts()
        given = np.flatnonzero(counts > 0)  # unused categories are not answers
        if len(given) == 0:
            raise self._no_answers()
        if text.label_values is not None:
            order = given[np.argsort(text.label_values[given], kind="stable")]
        else:
            order = given[np.argsort(text.labels[given].astype(str), kind="stable")]
        levels = text.labels[order]
        level_counts = counts[order]
        self.levels_ = levels
        self._index = pd.Index(levels, dtype=object)
        answers = list(levels)
        if self.strategy == "indicator":
            answers.append(MISSING_LEVEL)
            self.fill_ = MISSING_LEVEL
            self._fill_position = len(levels)
        else:
            self._fill_position = int(np.argmax(level_counts))
            self.fill_ = levels[self._fill_position]
        self.answers = answers
        self.suffixes = [f"_{answer}" for answer in answers]
        self.detail = f"{len(levels)} answers; missing -> {self.fill_}"
        return self

    def transform(self, parsed, out, report):
        text = parsed.as_text()
        positions = self._index.get_indexer(text.labels)
        table = np.zeros((len(text.labels) + 1, self.n_outputs))
        known = np.flatnonzero(positions >= 0)
        table[known, positions[known]] = 1.0
        table[-1, self._fill_position] = 1.0
        unknown = positions < 0
        if unknown.any():
            report.unplaced(
                self.column,
                "not seen in fit",
                list(text.labels[unknown]),
                int(text.label_counts()[unknown].sum()),
                "they were encoded as all zeros",
            )
        _gather(table, text.codes, out)


class MultiSelectEncoder(ColumnEncoder):
    """One 0/1 indicator per option of answers such as "A;B;C".

    A missing answer gets each option's share among the answers seen in
    ``fit`` (strategy "mean") or zeros ("zero"). Options not seen in ``fit``
    are ignored.
    """

    role = "multiselect"
    continuous = False

    def __init__(self, column, *, separator=";", **kwargs):
        super().__init__(column, **kwargs)
        self.separator = separator

    def _split(self, labels):
        return [
            {option.strip() for option in str(label).split(self.separator)} - {""}
            for label in labels
        ]

    def fit(self, parsed, report):
        text = parsed.as_text()
        chosen = self._split(text.labels)
        self.options_ = sorted(set().union(*chosen)) if chosen else []
        if not self.options_:
            raise self._no_answers()
        self._positions = {option: i for i, option in enumerate(self.options_)}
        counts = text.label_counts()
        table = self._table(chosen)
        if self.strategy == "mean" and counts.sum() > 0:
            self.fill_ = counts @ table / counts.sum()
        else:
            self.fill_ = np.zeros(len(self.options_))
        self.answers = list(self.options_)
        self.suffixes = [f"_{option}" for option in self.options_]
        self.detail = f"{len(self.options_)} options; missing -> {self.strategy}"
        return self

    def _table(self, chosen):
        table = np.zeros((len(chosen), len(self.options_)))
        for row, options in enumerate(chosen):
            for option in options:
                position = self._positions.get(option)
                if position is not None:
                    table[row, position] = 1.0
        return table

    def transform(self, parsed, out, report):
        text = parsed.as_text()
        chosen = self._split(text.labels)
        unknown_options = sorted(
            set().union(*chosen) - set(self.options_) if chosen else set()
        )
        if unknown_options:
            with_unknown = np.array(
                [bool(options - set(self.options_)) for options in chosen]
            )
            report.unplaced(
                self.column,
                f"with options not seen in fit ({format_values(unknown_options)})",
                list(text.labels[with_unknown]),
                int(text.label_counts()[with_unknown].sum()),
                "those options were ignored",
            )
        table = np.vstack([self._table(chosen), self.fill_])
        _gather(table, text.codes, out)


class TopicEncoder(ColumnEncoder):
    """Topic weights of free-text answers: bag of words, then LDA.

    The bag of words drops English stop words and keeps terms found in at
    least 2 answers and at most 95% of them; latent Dirichlet allocation with
    ``n_topics`` components gives each answer its topic weights (they sum
    to 1). Both are learned from at most ``TOPIC_FIT_ROWS`` rows (a uniform
    sample beyond that); each distinct answer is then encoded once. With
    ``n_topics=0`` the column is left out.
    """

    role = "text"

    def __init__(self, column, *, n_topics=0, random_state=None, **kwargs):
        super().__init__(column, **kwargs)
        self.n_topics = n_topics
        self.random_state = random_state

    def fit(self, parsed, report):
        if self.n_topics == 0:
            self.detail = "no topics requested (text_topics)"
            return self
        from sklearn.decomposition import LatentDirichletAllocation
        from sklearn.feature_extraction.text import CountVectorizer

        text = parsed.as_text()
        codes = text.codes
        if len(codes) > TOPIC_FIT_ROWS:
            rows = check_random_state(self.random_state).choice(
                len(codes), TOPIC_FIT_ROWS, replace=False
            )
            codes = codes[np.sort(rows)]
        documents = np.append(text.labels, "")[codes]
        self.vectorizer_ = CountVectorizer(**TOPIC_VECTORIZER)
        try:
            counts = self.vectorizer_.fit_transform(documents)
        except ValueError as exc:
            raise InvalidInputError(
                f"Column {self.column!r}: no topics can be learned from its answers "
                f"({exc}); set text_topics for it to 0 or its role to 'ignore'."
            ) from exc
        self.lda_ = LatentDirichletAllocation(
            n_components=self.n_topics, random_state=self.random_state
        ).fit(counts)
        words = self.vectorizer_.get_feature_names_out()
        top = np.argsort(-self.lda_.components_, axis=1)[:, :5]
        self.answers = [", ".join(words[row]) for row in top]
        self.suffixes = [f"_topic_{i}" for i in range(self.n_topics)]
        self.detail = f"{self.n_topics} topics over {len(words)} terms"
        return self

    def transform(self, parsed, out, report):
        text = parsed.as_text()
        documents = np.append(text.labels, "")
        table = self.lda_.transform(self.vectorizer_.transform(documents))
        _gather(table, text.codes, out)


class DatetimeEncoder(ColumnEncoder):
    """Parts of a date-time (hour, day of week, ...) as numbers.

    Strings are read as local wall-clock time (a trailing time zone such as
    "GMT+5:30" is ignored). Values that are not dates are treated as missing
    and get the median of each part. With no parts the column is left out.
    """

    role = "datetime"

    def __init__(self, column, *, parts=(), **kwargs):
        super().__init__(column, **kwargs)
        self.parts = tuple(parts)

    def _part_values(self, parsed, report):
        if parsed.kind == "datetime":
            stamps = pd.DatetimeIndex(parsed.values)
            return self._parts_of(stamps)
        text = parsed.as_text()
        stamps = parse_datetimes(text.labels)
        bad = np.asarray(stamps.isna())
        if bad.any():
            report.unplaced(
                self.column,
                "that are not dates",
                list(text.labels[bad]),
                int(text.label_counts()[bad].sum()),
                "they were treated as missing",
            )
        table = np.vstack([self._parts_of(stamps), np.full(len(self.parts), np.nan)])
        return table[text.codes]

    def _parts_of(self, stamps):
        columns = [
            np.asarray(getattr(stamps, part), dtype=np.float64) for part in self.parts
        ]
        return np.column_stack(columns) if columns else np.empty((len(stamps), 0))

    def fit(self, parsed, report):
        if not self.parts:
            self.detail = "no parts requested (datetime_parts)"
            return self
        values = self._part_values(parsed, report)
        # fit then encodes the same column: keep its parts for that call
        self._fitted_on = (parsed, values)
        self.fill_ = []
        for j in range(values.shape[1]):
            present = values[~np.isnan(values[:, j]), j]
            if len(present) == 0:
                raise self._no_answers()
            self.fill_.append(_statistic(present, self.strategy))
        self.answers = list(self.parts)
        self.suffixes = [f"_{part}" for part in self.parts]
        self.detail = "parts: " + ", ".join(self.parts)
        return self

    def transform(self, parsed, out, report):
        cached = self.__dict__.pop("_fitted_on", None)
        if cached is not None and cached[0] is parsed:
            values = cached[1]
        else:
            values = self._part_values(parsed, report)
        for j, fill in enumerate(self.fill_):
            column = values[:, j]
            column[np.isnan(column)] = fill
            out[:, j] = column
