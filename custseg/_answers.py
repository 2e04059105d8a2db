"""The raw answers of each column, read in their roles, missing answers kept.

:class:`~custseg.SegmentProfiler` and :func:`~custseg.drivers` describe the
answers customers gave, not the imputed and scaled matrix a model sees. A
fitted :class:`~custseg.SurveyPreprocessor` decides how each column is read
(its roles, the order of an ordinal scale, a Likert scale, the options of a
multi-select answer); this module reads the columns that way and leaves
missing answers missing, so that statistics can leave them out and count
them.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._columns import label_of, parse_column
from ._encoders import Report

# Roles whose answers are described by a number, in order of preference
# when a column has several (a Likert rating also gives answer shares).
_NUMBER_ROLES = ("likert", "ordinal", "numeric")
# Roles whose answers are described by their shares, in order of preference:
# a column declared nominal too keeps every answer, even one outside its
# declared order.
_ANSWER_ROLES = ("nominal", "ordinal", "likert")


@dataclass
class ColumnAnswers:
    """The answers of one column.

    Attributes
    ----------
    column : str
        Column name.
    roles : tuple of str
        The column's roles, as the reader gave them.
    numbers : ndarray of float64 or None
        Per row, the number (numeric), rating (likert) or rank (ordinal,
        1 = lowest); NaN when missing.
    codes : ndarray of int64 or None
        Per row, the index of its answer in ``levels``; -1 when missing.
    levels : ndarray of object or None
        The answers, as text (in scale order for ordinal and Likert columns).
    every_level : bool
        Whether ``levels`` are answers to describe one by one (nominal,
        ordinal, Likert) or only the most frequent ones are of interest
        (free text, whole multi-select answers).
    options : ndarray of bool or None
        Multi-select columns: per row, whether each option was chosen.
    option_names : list of str or None
        The options, in the order of ``options``' columns.
    answered : ndarray of bool or None
        Multi-select columns: rows that gave an answer.
    """

    column: str
    roles: tuple
    numbers: np.ndarray | None = None
    codes: np.ndarray | None = None
    levels: np.ndarray | None = None
    every_level: bool = True
    options: np.ndarray | None = None
    option_names: list | None = None
    answered: np.ndarray | None = None

    @property
    def tested_by_answer(self):
        """Whether the answers are tested without order (chi-square)."""
        return "nominal" in self.roles


def read_answers(reader, frame, who):
    """Read every profiled column of ``frame`` as the fitted ``reader`` does.

    Answers that cannot be placed (outside a declared order, text in a
    number column) are treated as missing and counted in one
    :class:`~custseg.exceptions.DataDroppedWarning`.

    Parameters
    ----------
    reader : SurveyPreprocessor
        Fitted on ``frame`` (or on data with the same columns).
    frame : DataFrame
        The raw answers.
    who : str
        The caller, named in the warning.

    Returns
    -------
    answers : dict of str to ColumnAnswers
        One entry per column that can be described, in column order.
    skipped : dict of str to str
        Columns that cannot be, with the reason.
    """
    report = Report(who, "warn")
    encoders = {}
    for encoder in reader._encoders:
        encoders.setdefault(encoder.position, {})[encoder.role] = encoder
    answers, skipped = {}, {}
    for position, column in enumerate(frame.columns):
        roles = tuple(reader.roles_.loc[column, "role"].split(" + "))
        by_role = encoders.get(position, {})
        if "text" in roles or by_role:
            parsed = parse_column(frame.iloc[:, position], column)
        if not by_role and "text" not in roles:
            skipped[column] = _skip_reason(roles)
            continue
        entry = ColumnAnswers(column, roles)
        number_role = next((r for r in _NUMBER_ROLES if r in by_role), None)
        if number_role == "ordinal":
            entry.numbers = by_role["ordinal"]._codes(parsed, report)
        elif number_role is not None:
            entry.numbers = by_role[number_role]._numbers(parsed, report)
        answer_role = next((r for r in _ANSWER_ROLES if r in by_role), None)
        if answer_role == "ordinal":
            order = by_role["ordinal"].order_
            entry.codes = _codes_from_numbers(entry.numbers, 1, len(order))
            entry.levels = np.asarray(order, dtype=object)
        elif answer_role == "likert":
            low, high = by_role["likert"].scale_
            entry.codes = _codes_from_numbers(entry.numbers, low, high)
            entry.levels = np.array(
                [label_of(v) for v in np.arange(low, high + 1)], dtype=object
            )
        elif answer_role == "nominal":
            _set_labels(entry, parsed, by_role["nominal"].levels_)
        if "multiselect" in by_role:
            _set_options(entry, parsed, by_role["multiselect"])
        if entry.codes is None and "text" in roles:
            _set_labels(entry, parsed, None)
        if entry.numbers is None and entry.codes is None and entry.options is None:
            skipped[column] = _skip_reason(roles)
            continue
        answers[column] = entry
    report.emit(stacklevel=4)
    return answers, skipped


def ignore_empty_columns(reader, frame):
    """Declare the columns of ``frame`` without a single answer 'ignore'.

    Parameters
    ----------
    reader : SurveyPreprocessor
        Unfitted; its ``roles`` are updated in place.
    frame : DataFrame

    Returns
    -------
    empty : dict of str to str
        The columns declared 'ignore', with the reason.
    """
    empty = [column for column in frame.columns if _no_answers(frame[column])]
    if empty:
        roles = dict(reader.roles or {})
        roles.update(dict.fromkeys(empty, "ignore"))
        reader.set_params(roles=roles)
    return dict.fromkeys(empty, "no answers: every value is missing")


def _no_answers(column):
    """Whether every value of a column is missing or blank text."""
    values = column.dropna()
    if values.empty:
        return True
    head = values.iloc[:100].to_numpy()  # most columns answer at once
    if any(not isinstance(v, str) or v.strip() for v in head):
        return False
    return all(
        isinstance(v, str) and not v.strip() for v in pd.unique(values.to_numpy())
    )


def _skip_reason(roles):
    role = " + ".join(roles)
    if role in ("identifier", "ignore"):
        return f"{role}: not described"
    if "datetime" in roles:
        return "datetime: dates are not described; derive a number from them"
    return f"{role}: no answers to describe"


def _codes_from_numbers(numbers, low, high):
    """Answer codes of ratings or ranks on the whole-number scale low..high."""
    codes = np.full(len(numbers), -1, dtype=np.int64)
    on_scale = (numbers >= low) & (numbers <= high) & (numbers == np.round(numbers))
    codes[on_scale] = (numbers[on_scale] - low).astype(np.int64)
    return codes


def _set_labels(entry, parsed, levels):
    """Answers as codes into ``levels`` (all distinct answers when None)."""
    text = parsed.as_text()
    if levels is None:
        used = text.label_counts() > 0
        levels = text.labels[used]
        entry.every_level = False
    positions = pd.Index(levels, dtype=object).get_indexer(text.labels)
    entry.codes = np.append(positions, -1)[text.codes]
    entry.levels = np.asarray(levels, dtype=object)


def _set_options(entry, parsed, encoder):
    """Options chosen per row, and the whole answers for their top list."""
    text = parsed.as_text()
    table = encoder._table(encoder._split(text.labels)) > 0
    entry.answered = text.codes >= 0
    entry.options = np.vstack([table, np.zeros((1, table.shape[1]), bool)])[text.codes]
    entry.option_names = list(encoder.options_)
    if entry.codes is None:
        _set_labels(entry, parsed, None)
