"""Known answer scales and the inference of a column's role.

A survey column plays one of a few *roles*; the role decides how its answers
become numbers. :func:`infer_role` guesses the role of a column from its
answers with the documented rules below; :class:`~custseg.SurveyPreprocessor`
reports every guess in ``roles_`` and lets the user override any of them.
"""

import re
import warnings

import numpy as np
import pandas as pd

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
    5, 7 and 10 that holds every answer.
    """
    bottom = 0 if low == 0 else 1
    top = next(t for t in _LIKERT_TOPS if t >= high)
    return bottom, top


def looks_like_identifier_name(name):
    """True for column names such as ``customer_id``, ``CustomerId``, ``RowNumber``."""
    name = str(name)
    return bool(_ID_NAME.search(name) or _CAMEL_ID_NAME.search(name))


def strip_time_zone(labels):
    """Drop a trailing time-zone designation ("GMT+5:30", "+02:00", "Z").

    custseg reads timestamps as local wall-clock time: the hour and weekday a
    customer answered at are what matters for behaviour.
    """
    return pd.Index(labels, dtype=object).str.replace(_TIME_ZONE, "", regex=True)


def parse_datetimes(labels):
    """Parse date-time strings as local wall-clock time; unparseable become NaT.

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
    with warnings.catch_warnings():
        # pandas warns that it falls back to element-wise parsing when the
        # strings have no single format; that is exactly what is wanted here.
        warnings.simplefilter("ignore", UserWarning)
        parsed = pd.to_datetime(cleaned, format="mixed", errors="coerce")
    return pd.DatetimeIndex(parsed)


def looks_like_datetimes(labels, sample_size=200):
    """True when (a sample of) the labels are dates: date-shaped and parseable."""
    labels = np.asarray(labels, dtype=object)[:sample_size]
    if len(labels) == 0:
        return False
    if not all(_DATE_LIKE.match(str(label)) for label in labels):
        return False
    return parse_datetimes(labels).notna().mean() >= 0.95


def infer_text_role(labels, counts, *, separator, max_categories):
    """Infer the role of a text column from its distinct answers.

    Parameters
    ----------
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
    if looks_like_datetimes(labels):
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
