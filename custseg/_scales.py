"""Known answer scales and the inference of a column's role.

A survey column plays one of a few *roles*; the role decides how its answers
become numbers. :func:`infer_text_role` and :func:`infer_numeric_role` guess
the role of a column from its answers with the rules documented in
:class:`~custseg.SurveyPreprocessor`, which reports every guess in ``roles_``
and lets the user override any of them.
"""

import re

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

# The roles a column can play, in the order the documentation presents them.
ROLES = (
    "numeric",
    "likert",
    "ordinal",
    "nominal",
    "multiselect",
    "text",
    "datetime",
    "identifier",
    "ignore",
)

# Roles whose column produces no output.
LEFT_OUT_ROLES = ("identifier", "ignore")

# Ordered answer scales recognised without being declared, lowest level first.
# A text column whose answers (compared without case and surrounding white
# space) all belong to one of these scales is ordinal with that order. When
# several scales hold every answer, the shortest wins, then the first listed.
KNOWN_SCALES = {
    "yes/no": ("No", "Yes"),
    "no/maybe/yes": ("No", "Maybe", "Yes"),
    "no/sometimes/yes": ("No", "Sometimes", "Yes"),
    "low/medium/high": ("Low", "Medium", "High"),
    "frequency": ("Never", "Rarely", "Sometimes", "Often", "Always"),
    "reliance": ("Never", "Rarely", "Occasionally", "Moderately", "Heavily"),
    "purchase frequency": (
        "Less than once a month",
        "Once a month",
        "Few times a month",
        "Once a week",
        "Multiple times a week",
    ),
    "browsing frequency": (
        "Rarely",
        "Few times a month",
        "Few times a week",
        "Multiple times a day",
    ),
    "agreement": (
        "Strongly disagree",
        "Disagree",
        "Neutral",
        "Agree",
        "Strongly agree",
    ),
    "agreement (neither)": (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ),
    "satisfaction": (
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ),
    "importance": (
        "Not at all important",
        "Slightly important",
        "Moderately important",
        "Very important",
        "Extremely important",
    ),
    "likelihood": ("Very unlikely", "Unlikely", "Neutral", "Likely", "Very likely"),
    "quality": ("Very poor", "Poor", "Fair", "Good", "Excellent"),
}

_LONGEST_SCALE = max(len(levels) for levels in KNOWN_SCALES.values())

# Upper ends of the Likert scales custseg recognises (1..5, 1..7, 1..10).
_LIKERT_TOPS = (5, 7, 10)

_ID_NAME = re.compile(
    r"(^|[_\s.-])(id|key|uuid)$|^(row_?)?(index|idx|number|num|no)$", re.IGNORECASE
)
_CAMEL_ID_NAME = re.compile(r"[a-z](Id|ID|Key|Number)$")
_DATE_LIKE = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_TIME_ZONE = re.compile(
    r"\s*(?:(?:GMT|UTC)\s*[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|GMT|UTC|Z)$",
    re.IGNORECASE,
)


def normalise_label(label):
    """Case-folded, white-space-collapsed form of an answer, for matching."""
    return " ".join(str(label).split()).casefold()


def match_known_scale(labels):
    """Return ``(name, levels)`` of the known scale holding every label, or None.

    Parameters
    ----------
    labels : sequence of str
        The distinct answers of a column (at least two).

    Returns
    -------
    match : tuple of (str, tuple of str) or None
        The scale's name and its levels, lowest first, spelled as in the
        catalogue.
    """
    if not 2 <= len(labels) <= _LONGEST_SCALE:
        return None
    wanted = {normalise_label(label) for label in labels}
    if len(wanted) < 2:
        return None
    best = None
    for name, levels in KNOWN_SCALES.items():
        if wanted <= {normalise_label(level) for level in levels}:
            if best is None or len(levels) < len(best[1]):
                best = (name, levels)
    return best


def likert_range(low, high):
    """The Likert scale inferred from the smallest and largest answer seen.

    The scale runs from 0 (if a 0 was answered) or 1 to the smallest of
    5, 7 and 10 that holds every answer; None when an answer is above 10 or
    below 0.
    """
    if low < 0 or high > _LIKERT_TOPS[-1]:
        return None
    bottom = 0 if low == 0 else 1
    top = next(t for t in _LIKERT_TOPS if t >= high)
    return bottom, top


def looks_like_identifier_name(name):
    """True for column names such as ``customer_id``, ``CustomerId``, ``RowNumber``."""
    name = str(name)
    return bool(_ID_NAME.search(name) or _CAMEL_ID_NAME.search(name))


def strip_time_zone(labels, sample_size=200):
    """Drop a trailing time-zone designation ("GMT+5:30", "+02:00", "Z").

    custseg reads timestamps as local wall-clock time: the hour and weekday a
    customer answered at are what matters for behaviour. When a sample of
    the strings all end with the same designation it is cut off directly,
    which is much faster than a regular expression on every string.
    """
    labels = pd.Index(labels, dtype=object)
    endings = {
        match.group(0)
        for match in (_TIME_ZONE.search(str(label)) for label in labels[:sample_size])
        if match
    }
    if not endings:
        return labels
    if len(endings) == 1:
        ending = endings.pop()
        if labels.str.endswith(ending).all():
            return labels.str.slice(0, -len(ending))
    return labels.str.replace(_TIME_ZONE, "", regex=True)


# Formats tried, in order, when pandas cannot guess one: ISO, year first,
# month first (US), day first. One format serves a whole column, so an
# ambiguous "01/02/2023" is read the same way in every row.
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%Y",
)


def _datetime_format(cleaned, sample_size=200):
    """The first format that reads at least 95% of a sample of the strings."""
    sample = cleaned[:sample_size]
    guessed = guess_datetime_format(sample[0]) if len(sample) else None
    for candidate in ((guessed,) if guessed else ()) + _DATETIME_FORMATS:
        parsed = pd.to_datetime(sample, format=candidate, errors="coerce")
        if parsed.notna().mean() >= 0.95:
            return candidate
    return None


def parse_datetimes(labels):
    """Parse date-time strings as local wall-clock time; unparseable become NaT.

    One format is detected per column (see ``_DATETIME_FORMATS``) and used
    for every string, so parsing is fast and day/month order consistent.

    Parameters
    ----------
    labels : array-like of str
        Distinct date-time strings.

    Returns
    -------
    parsed : DatetimeIndex
        One entry per label.
    """
    cleaned = strip_time_zone(labels)
    chosen = _datetime_format(cleaned)
    if chosen is None:
        return pd.DatetimeIndex(np.full(len(cleaned), np.datetime64("NaT", "ns")))
    return pd.DatetimeIndex(pd.to_datetime(cleaned, format=chosen, errors="coerce"))


def looks_like_datetimes(labels, counts, sample_size=200):
    """True when at least 95% of the answers (rows) are parseable dates.

    Judged on the first ``sample_size`` distinct answers, weighted by how
    many rows gave each.
    """
    labels = np.asarray(labels, dtype=object)[:sample_size]
    counts = np.asarray(counts)[:sample_size]
    if len(labels) == 0 or counts.sum() == 0:
        return False
    shaped = np.array([bool(_DATE_LIKE.match(str(label))) for label in labels])
    if counts[shaped].sum() < 0.95 * counts.sum():
        return False
    parsed = np.asarray(parse_datetimes(labels[shaped]).notna())
    return counts[shaped][parsed].sum() >= 0.95 * counts.sum()


def infer_text_role(name, labels, counts, *, separator, max_categories):
    """Infer the role of a text column from its distinct answers.

    Parameters
    ----------
    name : str
        Column name (used to recognise identifiers such as ``customer_id``).
    labels : ndarray of str
        Distinct answers (already stripped), at least one.
    counts : ndarray of int
        How many rows gave each answer.
    separator : str
        Separator of multi-select answers.
    max_categories : int
        Largest number of distinct answers a nominal column may have.

    Returns
    -------
    role : str
    reason : str
        Why, in a few words, for ``roles_``.
    """
    n_answers = int(counts.sum())
    n_labels = len(labels)
    if n_labels == n_answers > 1 and looks_like_identifier_name(name):
        return "identifier", "distinct values and an identifier-like name"
    if looks_like_datetimes(labels, counts):
        return "datetime", "answers are dates and times"
    labels_as_str = pd.Index(labels, dtype=object).astype(str)
    with_separator = labels_as_str.str.contains(separator, regex=False)
    if with_separator.any() and counts[with_separator].sum() >= 0.05 * n_answers:
        options = {
            option.strip()
            for label in labels_as_str[with_separator]
            for option in label.split(separator)
        }
        if len(options) <= max_categories:
            return "multiselect", f"answers are lists joined by {separator!r}"
    scale = match_known_scale(labels_as_str) if n_labels >= 2 else None
    if scale is not None:
        return "ordinal", f"answers fit the known {scale[0]!r} scale"
    if n_labels <= max_categories:
        return "nominal", f"{n_labels} distinct answers"
    mean_words = float(np.average(labels_as_str.str.split().str.len(), weights=counts))
    if mean_words >= 3:
        return "text", f"free text ({n_labels} distinct answers)"
    if n_labels == n_answers:
        return "identifier", "every value is distinct"
    return (
        "ignore",
        f"{n_labels} distinct answers, more than max_categories={max_categories}",
    )


def infer_numeric_role(name, values):
    """Infer the role of a numeric column.

    Parameters
    ----------
    name : str
        Column name (used to recognise identifiers such as ``customer_id``).
    values : ndarray of float
        The column, missing values as NaN; at least one is present.

    Returns
    -------
    role : str
    reason : str
    """
    present = values[~np.isnan(values)]
    integer_valued = bool(np.all(present == np.round(present)))
    n_distinct = len(np.unique(present))
    if (
        integer_valued
        and n_distinct == len(present)
        and len(present) > 1
        and looks_like_identifier_name(name)
    ):
        return "identifier", "distinct whole numbers and an identifier-like name"
    if (
        integer_valued
        and n_distinct >= 3
        and present.min() >= 0
        and present.max() <= 10
    ):
        low, high = likert_range(present.min(), present.max())
        return "likert", f"whole numbers within {low}..{high}"
    return "numeric", "numbers"
