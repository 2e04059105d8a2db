"""From a transaction log to one RFM summary row per customer."""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._optional import is_dask_frame
from ._validation import caller_stacklevel, format_values, numeric_column
from .exceptions import DataDroppedWarning, InputTypeError, InvalidInputError

FREQUENCIES = ("D", "W", "M")
_DAYS = {"D": 1, "W": 7}


def rfm_summary(
    transactions,
    customer_col,
    datetime_col,
    monetary_col=None,
    freq="D",
    observation_period_end=None,
    calibration_period_end=None,
    *,
    time_unit=None,
    quantity_col=None,
    cancelled_col=None,
    drop_zero_value=False,
    drop_duplicates=False,
):
    """One row per customer: frequency, recency, T and monetary value.

    Purchases are grouped into periods of ``freq`` (several purchases of a
    customer in one period count once, their values added). Per customer,
    over the calibration period (everything up to ``calibration_period_end``,
    or ``observation_period_end`` without one):

    - ``frequency``: repeat purchases, the periods with a purchase after the
      first;
    - ``recency``: time from the first purchase to the last (0 without a
      repeat purchase);
    - ``T``: time from the first purchase to the end of the period;
    - ``monetary_value``: mean value of the repeat purchases (0 without
      one), when ``monetary_col`` is given;
    - with a calibration end, ``frequency_holdout``,
      ``monetary_value_holdout`` and ``duration_holdout`` over the rest.

    Times are in ``time_unit`` (``freq`` by default; days can be counted
    in weeks with ``freq="D", time_unit="W"``).

    Messy logs are cleaned by these rules, and every dropped line is counted
    in ``summary.attrs["dropped"]`` and a
    :class:`~custseg.exceptions.DataDroppedWarning`:

    - a missing customer id or date, or a missing value (``monetary_col``):
      dropped;
    - a return (negative ``monetary_col`` or ``quantity_col``) or a
      cancellation (``cancelled_col`` true): dropped;
    - a zero value (``monetary_col``): kept (a purchase of a free item is a
      visit), dropped with ``drop_zero_value=True`` (do so before fitting
      the Gamma-Gamma spend model, which needs positive spend);
    - an exact duplicate line (same customer, time, value and quantity) of
      a line kept by the rules above: kept by default (without a line id,
      two identical purchases cannot be told from a line recorded twice:
      CDNOW has 21 such genuine pairs), dropped with
      ``drop_duplicates=True``;
    - a purchase after the day of ``observation_period_end``: dropped (the
      end days are whole days: a purchase at any hour of the end day
      counts; a zoned end is converted to the data's time zone);
    - customers whose first purchase falls after the calibration end are not
      in the calibration cohort: left out of the summary and counted.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase line.
    customer_col, datetime_col : str
        Columns of the customer id and the purchase time.
    monetary_col : str, default=None
        Column of the line's value.
    freq : {"D", "W", "M"}, default="D"
        Period a purchase is counted in.
    observation_period_end : datetime-like, default=None
        End of the observation; the last purchase by default.
    calibration_period_end : datetime-like, default=None
        End of the calibration period; adds the holdout columns.
    time_unit : {"D", "W", "M"}, default=None
        Unit of ``recency``, ``T`` and ``duration_holdout``; ``freq`` by
        default. "M" only with ``freq="M"``.
    quantity_col : str, default=None
        Column of quantities; negative ones are returns.
    cancelled_col : str, default=None
        Boolean column flagging cancelled lines (for example
        ``log["invoice"].str.startswith("C")``, stored as a column).
    drop_zero_value : bool, default=False
        Drop lines of value 0.
    drop_duplicates : bool, default=False
        Drop exact duplicate lines.

    Returns
    -------
    summary : DataFrame
        Indexed by customer id, sorted.

    Raises
    ------
    InputTypeError
        If ``transactions`` is not a DataFrame, or a column has the wrong
        type (times that cannot be read as dates, text values).
    InvalidInputError
        If a column is missing, a period end is out of order, or no line is
        left.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import rfm_summary
    >>> log = pd.DataFrame({
    ...     "customer": ["a", "a", "a", "b"],
    ...     "date": ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-03"],
    ...     "amount": [10.0, 5.0, 20.0, 7.0],
    ... })
    >>> rfm_summary(log, "customer", "date", "amount",
    ...             observation_period_end="2024-01-10")
              frequency  recency     T  monetary_value
    customer
    a               1.0      7.0   9.0            20.0
    b               0.0      0.0   7.0             0.0
    """
    who = "rfm_summary"
    options = {
        "customer_col": customer_col,
        "datetime_col": datetime_col,
        "monetary_col": monetary_col,
        "quantity_col": quantity_col,
        "cancelled_col": cancelled_col,
        "drop_zero_value": drop_zero_value,
        "drop_duplicates": drop_duplicates,
    }
    if is_dask_frame(transactions):
        from ._rfm_dask import rfm_summary_dask

        return rfm_summary_dask(
            transactions,
            options,
            freq=freq,
            time_unit=time_unit,
            observation_period_end=observation_period_end,
            calibration_period_end=calibration_period_end,
        )
    if not isinstance(transactions, pd.DataFrame):
        raise InputTypeError(
            f"{who}: transactions must be a pandas or dask DataFrame; got "
            f"{type(transactions).__name__}."
        )
    time_unit = check_options(transactions.columns, options, freq, time_unit)
    lines = clean_lines(transactions, options)
    end = _end(who, "observation_period_end", observation_period_end, lines.zone)
    if end is None:
        end = last_day(lines)
        if end is None:
            raise InvalidInputError(
                f"{who}: no purchase line is left to summarise (transactions has "
                f"{len(transactions)} line(s); dropped: "
                f"{_describe(lines.dropped) or 'none'})."
            )
    calibration = _end(
        who, "calibration_period_end", calibration_period_end, lines.zone
    )
    check_ends(end, calibration)
    summary, dropped = summarise_lines(lines, freq, time_unit, end, calibration)
    if summary is None:
        raise InvalidInputError(
            f"{who}: no purchase line of transactions is left to summarise "
            f"(dropped: {_describe(dropped)})."
        )
    return finish(summary, dropped)


@dataclass
class CleanLines:
    """Purchase lines read and cleaned: what is kept, and what was dropped.

    Attributes
    ----------
    customers : Series
        Customer id of every line.
    dates : ndarray of datetime64[ns]
        Wall time of every line.
    value : ndarray of float or None
        Value of every line (``monetary_col``).
    keep : ndarray of bool
        Lines kept so far (the end of the observation is applied later).
    dropped : dict
        Lines dropped, by reason.
    zone : tzinfo or None
        Time zone of the dates.
    """

    customers: pd.Series
    dates: np.ndarray
    value: np.ndarray | None
    keep: np.ndarray
    dropped: dict
    zone: object


def check_options(columns, options, freq, time_unit):
    """Check ``freq``, ``time_unit`` and the named columns; return the unit."""
    who = "rfm_summary"
    if freq not in FREQUENCIES:
        raise InvalidInputError(
            f"{who}: freq is {freq!r}; expected one of {format_values(FREQUENCIES)}."
        )
    time_unit = freq if time_unit is None else time_unit
    if time_unit not in FREQUENCIES or (time_unit == "M") != (freq == "M"):
        raise InvalidInputError(
            f"{who}: time_unit is {time_unit!r} with freq={freq!r}; expected 'D' or "
            "'W' for days and weeks, or 'M' with freq='M'."
        )
    named = [options[key] for key in options if key.endswith("_col")]
    missing = [c for c in named if c is not None and c not in columns]
    if missing:
        raise InvalidInputError(
            f"{who}: column(s) {format_values(missing)} not in transactions; its "
            f"columns are {format_values(list(columns), limit=10)}."
        )
    return time_unit


def clean_lines(transactions, options):
    """Read the lines of a pandas frame and apply the cleaning rules."""
    who = "rfm_summary"
    customer_col = options["customer_col"]
    monetary_col = options["monetary_col"]
    quantity_col = options["quantity_col"]
    cancelled_col = options["cancelled_col"]
    datetime_col = options["datetime_col"]
    dates, zone = _dates(who, transactions[datetime_col], datetime_col)
    customers = transactions[customer_col]
    keep = customers.notna().to_numpy() & ~np.isnat(dates)
    dropped = {"missing customer id or date": int((~keep).sum())}
    value = None
    if monetary_col is not None:
        value = numeric_column(who, transactions[monetary_col], monetary_col)
        returns = value < 0
        if quantity_col is not None:
            returns |= numeric_column(who, transactions[quantity_col], quantity_col) < 0
        dropped["return (negative value or quantity)"] = int((keep & returns).sum())
        keep &= ~returns
        if options["drop_zero_value"]:
            zero = value == 0
            dropped["zero value"] = int((keep & zero).sum())
            keep &= ~zero
        missing_value = np.isnan(value)
        dropped["missing value"] = int((keep & missing_value).sum())
        keep &= ~missing_value
    elif quantity_col is not None:
        returns = numeric_column(who, transactions[quantity_col], quantity_col) < 0
        dropped["return (negative value or quantity)"] = int((keep & returns).sum())
        keep &= ~returns
    if cancelled_col is not None:
        flags = transactions[cancelled_col]
        if flags.dtype != bool and not pd.api.types.is_bool_dtype(flags.dtype):
            raise InputTypeError(
                f"{who}: cancelled_col {cancelled_col!r} must hold booleans (True "
                f"for a cancelled line); found dtype {flags.dtype}."
            )
        cancelled = flags.fillna(False).to_numpy(dtype=bool)
        dropped["cancelled"] = int((keep & cancelled).sum())
        keep &= ~cancelled
    if options["drop_duplicates"]:
        subset = [
            c for c in (customer_col, datetime_col, monetary_col, quantity_col) if c
        ]
        # among the lines still kept, so that the count does not depend on
        # the order of the lines (a cancelled copy does not take its twin)
        kept_rows = np.flatnonzero(keep)
        repeated = transactions[subset].iloc[kept_rows].duplicated().to_numpy()
        dropped["duplicate line"] = int(repeated.sum())
        keep[kept_rows[repeated]] = False
    return CleanLines(customers, dates, value, keep, dropped, zone)


def last_day(lines):
    """The day of the last kept line, or None when no line is kept."""
    if not lines.keep.any():
        return None
    return lines.dates[lines.keep].astype("datetime64[D]").max()


def check_ends(end, calibration):
    if calibration is not None and calibration >= end:
        raise InvalidInputError(
            f"rfm_summary: calibration_period_end ({calibration}) must be before "
            f"the observation end ({end})."
        )


def summarise_lines(lines, freq, time_unit, end, calibration):
    """The summary of the kept lines up to ``end`` (None if none is left).

    Returns the summary and every count of dropped lines and customers.
    """
    # ends are days: a purchase on the end day counts, whatever its hour
    days = lines.dates.astype("datetime64[D]")
    keep = lines.keep.copy()
    dropped = dict(lines.dropped)
    late = days > end
    dropped["after observation_period_end"] = int((keep & late).sum())
    keep &= ~late
    if not keep.any():
        return None, dropped
    holdout = None if calibration is None else days[keep] > calibration
    summary = _summarise(
        lines.customers[keep],
        lines.dates[keep],
        None if lines.value is None else lines.value[keep],
        freq,
        time_unit,
        end,
        calibration,
        holdout,
    )
    late_customers = int(summary.attrs.pop("late_customers"))
    if calibration is not None:
        dropped["customers first seen after calibration_period_end"] = late_customers
    return summary, dropped


def finish(summary, dropped):
    """Warn about what was dropped and record it in ``summary.attrs``."""
    dropped = {reason: n for reason, n in dropped.items() if n}
    if dropped:
        warnings.warn(
            f"rfm_summary: {_describe(dropped)}.",
            DataDroppedWarning,
            stacklevel=caller_stacklevel(),
        )
    summary.attrs["dropped"] = dropped
    return summary


def _describe(dropped):
    return "; ".join(f"{n:,} dropped: {reason}" for reason, n in dropped.items() if n)


def _dates(who, column, name):
    """The times as naive datetime64[ns] (wall time), and their time zone."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        raise InputTypeError(
            f"{who}: datetime_col {name!r} holds numbers ({column.dtype}); numbers "
            "are not read as dates (19970101 would be nanoseconds after 1970). "
            "Parse them first, for example pd.to_datetime(column.astype(str), "
            "format='%Y%m%d')."
        )
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = column
    else:
        try:
            values = pd.to_datetime(column, errors="raise")
        except (ValueError, TypeError) as exc:
            raise InputTypeError(
                f"{who}: datetime_col {name!r} holds values that are not dates: {exc}."
            ) from exc
    zone = getattr(values.dt, "tz", None)
    if zone is not None:
        values = values.dt.tz_localize(None)
    return values.to_numpy(dtype="datetime64[ns]"), zone


def _end(who, name, value, zone):
    """An end date as a day; a zoned end is first converted to the data's zone."""
    if value is None:
        return None
    try:
        moment = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise InputTypeError(f"{who}: {name} {value!r} is not a date: {exc}.") from exc
    if moment.tz is not None and zone is not None:
        moment = moment.tz_convert(zone)
    return np.datetime64(moment.tz_localize(None), "D")


def _period_times(dates, freq, time_unit):
    """Period of each date (an integer) and the time of its start in units."""
    unique, inverse = np.unique(dates, return_inverse=True)
    periods = pd.DatetimeIndex(unique).to_period(freq)
    ordinals = np.asarray(periods.asi8, dtype=np.int64)
    if freq == "M":
        times = ordinals.astype(np.float64)
    else:
        starts = periods.start_time.to_numpy(dtype="datetime64[D]").astype(np.int64)
        times = starts.astype(np.float64) / _DAYS[time_unit]
    return ordinals[inverse], times[inverse]


def _time_of(moment, freq, time_unit):
    period = pd.Timestamp(moment).to_period(freq)
    if freq == "M":
        return float(period.ordinal)
    return (
        float(
            period.start_time.to_datetime64().astype("datetime64[D]").astype(np.int64)
        )
        / _DAYS[time_unit]
    )


def _summarise(customers, dates, value, freq, time_unit, end, calibration, holdout):
    """The summary of clean purchase lines (vectorised over customers).

    ``holdout`` flags the lines after the calibration end (None without
    one); a period that straddles the calibration end is split there.
    """
    codes, ids = pd.factorize(customers, sort=True)
    period, times = _period_times(dates, freq, time_unit)
    side = (
        np.zeros(len(codes), np.int64) if holdout is None else holdout.astype(np.int64)
    )
    # one row per (customer, side of the calibration end, period), value summed
    key = (codes.astype(np.int64) * 2 + side) * (period.max() - period.min() + 1) + (
        period - period.min()
    )
    unique_keys, first_row, inverse = np.unique(
        key, return_index=True, return_inverse=True
    )
    customer = codes[first_row]
    start = times[first_row]
    spend = None if value is None else np.bincount(inverse, weights=value)
    is_calibration = side[first_row] == 0
    n = len(ids)
    first = np.full(n, np.inf)
    np.minimum.at(first, customer[is_calibration], start[is_calibration])
    in_cohort = np.isfinite(first)  # customers with a calibration purchase
    end_time = _time_of(
        calibration if calibration is not None else end, freq, time_unit
    )
    repeat = is_calibration & (start > first[customer])
    frequency = np.bincount(customer[repeat], minlength=n).astype(np.float64)
    last = first.copy()
    np.maximum.at(last, customer[is_calibration], start[is_calibration])
    with np.errstate(invalid="ignore"):  # customers outside the cohort: inf
        columns = {
            "frequency": frequency,
            "recency": last - first,
            "T": end_time - first,
        }
    if spend is not None:
        total = np.bincount(customer[repeat], weights=spend[repeat], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            columns["monetary_value"] = np.where(frequency > 0, total / frequency, 0.0)
    if calibration is not None:
        holdout = ~is_calibration
        holdout_count = np.bincount(customer[holdout], minlength=n).astype(np.float64)
        columns["frequency_holdout"] = holdout_count
        if spend is not None:
            holdout_total = np.bincount(
                customer[holdout], weights=spend[holdout], minlength=n
            )
            with np.errstate(invalid="ignore", divide="ignore"):
                columns["monetary_value_holdout"] = np.where(
                    holdout_count > 0, holdout_total / holdout_count, 0.0
                )
        columns["duration_holdout"] = np.full(
            n, _time_of(end, freq, time_unit) - end_time
        )
    summary = pd.DataFrame(columns, index=pd.Index(ids, name=customers.name))
    summary = summary[in_cohort]
    summary.attrs["late_customers"] = int((~in_cohort).sum())
    return summary
