"""Survey KPI analysis that needs no segments: drivers of a KPI, net promoter score."""

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._answers import ignore_empty_columns, read_answers
from ._significance import adjust_p_values, group_tests
from ._survey import SurveyPreprocessor
from ._validation import check_whole_number, format_values
from .exceptions import (
    CustsegError,
    CustsegWarning,
    DataDroppedWarning,
    InputTypeError,
    InvalidInputError,
)

DRIVER_COLUMNS = [
    "column",
    "role",
    "answer",
    "count",
    "share",
    "target_mean",
    "effect",
    "effect_size",
    "p_value",
    "p_adjusted",
]


def drivers(X, target, *, reader=None, n_bins=5, max_levels=10):
    """What goes with a KPI: the target's mean for every answer of every column.

    For a KPI such as ``shopping_satisfaction``, one tidy row per (column,
    answer): how many gave the answer, their share and their mean KPI, and
    per column how strongly the KPI differs across its answers (eta
    squared: the share of the KPI's variance between answers, from a
    one-way ANOVA, with its p-value, Benjamini-Hochberg adjusted across
    columns). Columns are read by a :class:`~custseg.SurveyPreprocessor`:

    - nominal, ordinal and Likert columns, and numbers with at most
      ``max_levels`` distinct values: one row per answer;
    - multi-select columns: one row per option (customers choosing it), the
      effect per option (choosing it or not);
    - other numbers: ``n_bins`` quantile bins, stated in ``answer`` as
      "low to high" (each bin holds values above its low end up to its
      high end; the first also its low end);
    - free text, dates and identifiers are left out (warned about).

    Missing answers are left out of a column's rows (``share`` is among
    those who answered); rows without a target value are left out and
    counted in a warning.

    Parameters
    ----------
    X : DataFrame
        Raw answers, one row per customer.
    target : str or array-like of shape (n_samples,)
        The KPI: a column of X (then left out of the drivers) or values.
        Numbers, ratings or the answers of an ordered scale (taken as
        their rank, 1 = lowest; the scale is inferred or declared through
        ``reader``'s ``orders``).
    reader : SurveyPreprocessor, default=None
        How columns (and the target) are read; cloned. None infers roles.
    n_bins : int, default=5
        Quantile bins of continuous numbers.
    max_levels : int, default=10
        Numbers with at most this many distinct values are not binned.

    Returns
    -------
    drivers : DataFrame
        Columns ``column``, ``role``, ``answer``, ``count``, ``share``,
        ``target_mean``, ``effect`` ("eta squared"), ``effect_size``,
        ``p_value`` and ``p_adjusted``; columns with the largest effect
        first. ``attrs["target"]`` says how the target was read.

    Raises
    ------
    InputTypeError
        If X is not a DataFrame, or the target is text without an order.
    InvalidInputError
        If the target is not a column of X or has the wrong length, or has
        no values.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import drivers
    >>> answers = pd.DataFrame({
    ...     "channel": ["web", "web", "store", "store", "web", "store"],
    ...     "satisfaction": [5, 4, 2, 1, 5, 2],
    ... })
    >>> table = drivers(answers, "satisfaction")
    >>> table[["answer", "count", "target_mean"]]
      answer  count  target_mean
    0  store      3     1.666667
    1    web      3     4.666667
    >>> float(table["effect_size"].iloc[0])  # 13.5 / 14.83 of the variance
    0.9101...
    """
    who = "drivers"
    if not isinstance(X, pd.DataFrame):
        raise InputTypeError(
            f"{who}: X must be a pandas DataFrame of answers; got {type(X).__name__}."
        )
    check_whole_number(who, "n_bins", n_bins, low=2)
    check_whole_number(who, "max_levels", max_levels)
    if reader is not None and not isinstance(reader, SurveyPreprocessor):
        raise InputTypeError(
            f"{who}: reader must be a SurveyPreprocessor; got {type(reader).__name__}."
        )
    features, kpi, name = _split_target(who, X, target)
    if features.shape[1] == 0:
        raise InvalidInputError(
            f"{who}: X has no column besides the target {name!r}; expected answers "
            "to relate the target to."
        )
    if kpi.isna().all():
        raise InvalidInputError(f"{who}: target {name!r} has no values.")
    reader = clone(reader) if reader is not None else SurveyPreprocessor()
    reader.set_params(handle_unknown="ignore", scale=None)
    y, how = _read_target(who, reader, kpi, name)
    present = ~np.isnan(y)
    if not present.all():
        warnings.warn(
            f"{who}: {int((~present).sum())} row(s) without a value of target "
            f"{name!r} were left out.",
            DataDroppedWarning,
            stacklevel=2,
        )
    features, y = features[present], y[present]
    # means of huge targets (1e308) in units of a power of two: sums that
    # cannot overflow, and no digit lost
    largest = float(np.max(np.abs(y))) if len(y) else 0.0
    exponent = int(np.frexp(largest)[1]) if largest > 1e150 else 0
    y = np.ldexp(y, -exponent)
    empty = ignore_empty_columns(reader, features)
    with warnings.catch_warnings():
        # left-out columns are warned about once, below
        warnings.simplefilter("ignore", CustsegWarning)
        _fit_reader(who, reader, features)
    answers, skipped = read_answers(reader, features, who)
    rows, left_out = [], {**skipped, **empty}
    for entry in answers.values():
        role = reader.roles_.loc[entry.column, "role"]
        if entry.options is not None:
            rows += _option_drivers(entry, role, y)
        elif entry.codes is not None and entry.every_level:
            rows += _grouped(entry.column, role, entry.codes, entry.levels, y)
        elif entry.numbers is not None:
            codes, levels = _bins(entry.numbers, n_bins, max_levels)
            rows += _grouped(entry.column, role, codes, levels, y)
        else:
            left_out[entry.column] = f"{role}: free text is not described"
    if left_out:
        listed = "; ".join(f"{c!r} ({r})" for c, r in left_out.items())
        warnings.warn(
            f"{who}: {len(left_out)} column(s) left out: {listed}.",
            DataDroppedWarning,
            stacklevel=2,
        )
    table = pd.DataFrame(rows, columns=DRIVER_COLUMNS[:-1])
    keys = (
        table["column"].astype(str)
        + "\0"
        + np.where(table["role"] == "multiselect", table["answer"].astype(str), "")
    )
    first = ~keys.duplicated()
    adjusted = pd.Series(
        adjust_p_values(table.loc[first, "p_value"]), index=keys[first]
    )
    table["p_adjusted"] = keys.map(adjusted).to_numpy()
    strength = table.groupby("column", sort=False)["effect_size"].transform("max")
    order = strength.fillna(-1).sort_values(ascending=False, kind="stable").index
    table = table.loc[order].reset_index(drop=True)
    table["target_mean"] = np.ldexp(table["target_mean"].to_numpy(float), exponent)
    table.attrs["target"] = how
    return table


def _fit_reader(who, reader, frame):
    """Fit the reader; its errors say that drivers called it."""
    try:
        reader.fit(frame)
    except CustsegError as exc:
        raise type(exc)(f"{who}: {exc}") from exc


def _split_target(who, X, target):
    if isinstance(target, str):
        if target not in X.columns:
            raise InvalidInputError(
                f"{who}: target {target!r} is not a column of X; its columns are "
                f"{format_values(list(X.columns), limit=10)}."
            )
        return X.drop(columns=[target]), X[target], target
    if np.ndim(target) != 1 or len(target) != len(X):
        raise InvalidInputError(
            f"{who}: target has shape {np.shape(target)}; expected a column name "
            f"or one value per row of X ({len(X)},)."
        )
    if isinstance(target, pd.Series):
        return X, target.set_axis(X.index), "target"
    # a Categorical keeps its categories (and their order)
    return X, pd.Series(target, index=X.index), "target"


def _read_target(who, reader, kpi, name):
    """The target as numbers (ratings, or ranks of an ordered scale)."""
    target_reader = clone(reader)
    params = target_reader.get_params()
    kept = {}
    for key in ("roles", "orders", "likert_scales"):
        mapping = params[key] or {}
        kept[key] = {name: mapping[name]} if name in mapping else None
    target_reader.set_params(**kept, text_topics=0)
    frame = kpi.to_frame(name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)
        _fit_reader(who, target_reader, frame)
    answers, _ = read_answers(target_reader, frame, who)
    role = target_reader.roles_.loc[name, "role"]
    entry = answers.get(name)
    if entry is None or entry.numbers is None:
        raise InputTypeError(
            f"{who}: target {name!r} was read as {role!r}; expected numbers, ratings "
            "or the answers of an ordered scale. Declare the order of its answers "
            f"with reader=SurveyPreprocessor(orders={{{name!r}: [lowest, ..., "
            "highest]}), or pass numbers."
        )
    how = f"{name!r} read as {role}"
    if "ordinal" in role and "numeric" not in role and "likert" not in role:
        how += (
            " (its rank, 1 = lowest: " + target_reader.roles_.loc[name, "detail"] + ")"
        )
    return entry.numbers, how


def _bins(numbers, n_bins, max_levels):
    """Codes and labels of the distinct values, or of quantile bins."""
    present = ~np.isnan(numbers)
    distinct = np.unique(numbers[present])
    codes = np.full(len(numbers), -1, dtype=np.int64)
    if len(distinct) <= max_levels:
        codes[present] = np.searchsorted(distinct, numbers[present])
        return codes, [f"{v:g}" for v in distinct]
    edges = np.unique(np.quantile(numbers[present], np.linspace(0, 1, n_bins + 1)))
    position = np.searchsorted(edges, numbers[present], side="left") - 1
    codes[present] = np.clip(position, 0, len(edges) - 2)
    return codes, [
        f"{low:g} to {high:g}" for low, high in zip(edges[:-1], edges[1:], strict=True)
    ]


def _grouped(column, role, codes, levels, y):
    """One row per answer, with the column's eta squared."""
    given = codes >= 0
    anova, _ = group_tests(y[given], codes[given])
    counts = np.bincount(codes[given], minlength=len(levels))
    sums = np.bincount(codes[given], y[given], minlength=len(levels))
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    total = counts.sum()
    return [
        {
            "column": column,
            "role": role,
            "answer": level,
            "count": int(count),
            "share": count / total if total else np.nan,
            "target_mean": mean,
            "effect": "eta squared",
            "effect_size": anova["effect_size"],
            "p_value": anova["p_value"],
        }
        for level, count, mean in zip(levels, counts, means, strict=True)
    ]


def _option_drivers(entry, role, y):
    """One row per option: the customers choosing it, and its own effect."""
    rows = []
    answered = entry.answered
    for j, option in enumerate(entry.option_names):
        chosen = entry.options[answered, j]
        anova, _ = group_tests(y[answered], chosen)
        rows.append(
            {
                "column": entry.column,
                "role": role,
                "answer": option,
                "count": int(chosen.sum()),
                "share": float(chosen.mean()) if len(chosen) else np.nan,
                "target_mean": float(y[answered][chosen].mean())
                if chosen.any()
                else np.nan,
                "effect": "eta squared",
                "effect_size": anova["effect_size"],
                "p_value": anova["p_value"],
            }
        )
    return rows


def nps(scores, promoters=9, detractors=6, by=None):
    """Net promoter score: promoters' share minus detractors' share, in points.

    A score at or above ``promoters`` is a promoter's, at or below
    ``detractors`` a detractor's, anything between a passive's. The classic
    scale is 0..10 with promoters 9-10 and detractors 0-6 (the defaults);
    any scale works with its own thresholds, for example ``promoters=5,
    detractors=3`` on a 1..5 rating. Missing scores are left out and
    counted.

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Numeric scores; NaN for a missing answer.
    promoters : float, default=9
        Lowest promoter score.
    detractors : float, default=6
        Highest detractor score; below ``promoters``.
    by : array-like of shape (n_samples,), default=None
        Groups (for example segments): one result per group.

    Returns
    -------
    result : Series or DataFrame
        ``n`` (scores counted), ``n_missing``, ``promoters``, ``passives``
        and ``detractors`` (shares, 0..1) and ``nps`` (-100..100); the
        shares and the score are NaN ("not available") where ``n`` is 0. A
        DataFrame with one row per group when ``by`` is given (a missing
        group, None or NaN, is a group of its own).

    Raises
    ------
    InputTypeError
        If the scores are not numbers (text, booleans).
    InvalidInputError
        If a score is infinite, ``detractors`` is not below ``promoters``,
        or the lengths of ``scores`` and ``by`` differ.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard
    Business Review* 81(12), 46-54.

    Examples
    --------
    >>> from custseg import nps
    >>> result = nps([10, 9, 8, 7, 6, 3, None])
    >>> result[["n", "promoters", "detractors", "nps"]].round(3).tolist()
    [6.0, 0.333, 0.333, 0.0]
    """
    if not all(
        isinstance(t, Real) and not isinstance(t, bool) for t in (promoters, detractors)
    ):
        raise InputTypeError(
            f"nps: promoters and detractors must be numbers; got {promoters!r} and "
            f"{detractors!r}."
        )
    if not detractors < promoters:
        raise InvalidInputError(
            f"nps: detractors ({detractors}) must be below promoters ({promoters})."
        )
    values = pd.Series(np.asarray(scores, dtype=object).ravel())
    numbers = pd.to_numeric(values, errors="coerce")
    flags = values.map(lambda value: isinstance(value, bool | np.bool_))
    not_numbers = (numbers.isna() & values.notna()) | flags.astype(bool)
    if not_numbers.any():
        found = {repr(value): value for value in values[not_numbers]}  # unhashable too
        raise InputTypeError(
            f"nps: scores must be numbers; found {list(found.values())[:5]!r}."
        )
    infinite = np.isinf(numbers.to_numpy(dtype=np.float64, na_value=np.nan))
    if infinite.any():
        raise InvalidInputError(
            f"nps: scores hold {int(infinite.sum())} infinite value(s) (first at "
            f"position {int(np.argmax(infinite))}); expected finite scores, NaN for "
            "a missing one."
        )
    if by is None:
        return _nps(numbers.to_numpy(dtype=np.float64), promoters, detractors)
    groups = np.asarray(by, dtype=object).ravel()
    if np.ndim(by) != 1 or len(groups) != len(numbers):
        raise InvalidInputError(
            f"nps: by has {len(groups)} entries for {len(numbers)} scores (shape "
            f"{np.shape(by)}); expected one group per score."
        )
    # a missing group (None, NaN) is a group of its own, not left out
    codes, uniques = pd.factorize(groups, use_na_sentinel=False)
    values = numbers.to_numpy(dtype=np.float64)
    rows = {
        group: _nps(values[codes == code], promoters, detractors)
        for code, group in enumerate(uniques)
    }
    return pd.DataFrame(rows, index=NPS_FIELDS, dtype=np.float64).T.rename_axis("group")


NPS_FIELDS = ["n", "n_missing", "promoters", "passives", "detractors", "nps"]


def _nps(values, promoters, detractors):
    present = values[~np.isnan(values)]
    n = len(present)
    shares = {
        "promoters": np.mean(present >= promoters) if n else np.nan,
        "detractors": np.mean(present <= detractors) if n else np.nan,
    }
    between = (present > detractors) & (present < promoters)
    shares["passives"] = np.mean(between) if n else np.nan
    return pd.Series(
        {
            "n": n,
            "n_missing": len(values) - n,
            "promoters": shares["promoters"],
            "passives": shares["passives"],
            "detractors": shares["detractors"],
            "nps": 100 * (shares["promoters"] - shares["detractors"]) if n else np.nan,
        },
        dtype=np.float64,
    )
