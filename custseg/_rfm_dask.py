""":func:`custseg.rfm_summary` of a dask DataFrame of transactions.

The lines are cleaned and summarised by the same code as a pandas frame,
partition by partition, after the lines are shuffled so that each customer's
lines share a partition. Only the named columns are read. Two passes over
the data:

1. every partition reports the day of its last kept line (the default end
   of the observation), the time zone of its dates and its dropped lines;
   skipped when ``observation_period_end`` is given and the dates are
   already datetimes;
2. the shuffled partitions are summarised with that end; the summaries (one
   row per customer, small next to the log) are gathered into one pandas
   DataFrame in pandas' order, and the dropped lines of all partitions are
   counted together.
"""

import numpy as np
import pandas as pd

from ._optional import import_optional
from ._rfm import (
    _describe,
    _end,
    check_ends,
    check_options,
    clean_lines,
    finish,
    last_day,
    summarise_lines,
)
from .exceptions import CustsegError, InvalidInputError


def rfm_summary_dask(
    transactions,
    options,
    *,
    freq,
    time_unit,
    observation_period_end,
    calibration_period_end,
):
    """The pandas summary of a dask frame (see :func:`custseg.rfm_summary`)."""
    dask = import_optional("dask")
    who = "rfm_summary"
    time_unit = check_options(transactions.columns, options, freq, time_unit)
    # only the named columns are read and shuffled
    named = [options[key] for key in options if key.endswith("_col")]
    transactions = transactions[[column for column in named if column is not None]]
    dates = transactions.dtypes[options["datetime_col"]]
    zone, first_dropped = getattr(dates, "tz", None), {}
    end = None
    if observation_period_end is None or not pd.api.types.is_datetime64_any_dtype(
        dates
    ):
        end, zone, first_dropped = _first_pass(dask, transactions, options)
    given_end = _end(who, "observation_period_end", observation_period_end, zone)
    end = given_end if given_end is not None else end
    if end is None:
        raise InvalidInputError(
            f"{who}: no purchase line is left to summarise (dropped: "
            f"{_describe(first_dropped)})."
        )
    calibration = _end(who, "calibration_period_end", calibration_period_end, zone)
    check_ends(end, calibration)

    by_customer = transactions.shuffle(on=options["customer_col"])
    second_pass = [
        dask.delayed(_summarise_partition)(
            part, number, options, freq, time_unit, end, calibration
        )
        for number, part in enumerate(by_customer.to_delayed())
    ]
    results = dask.compute(*second_pass)
    dropped = {}
    for _, part_dropped in results:
        for reason, n in part_dropped.items():
            dropped[reason] = dropped.get(reason, 0) + n
    summaries = [summary for summary, _ in results if summary is not None]
    if not summaries:
        raise InvalidInputError(
            f"{who}: no purchase line is left to summarise (dropped: "
            f"{_describe(dropped)})."
        )
    summary = pd.concat(summaries)
    # the order of pandas' summary: factorize(sort=True) of the ids
    codes, _ = pd.factorize(summary.index, sort=True)
    summary = summary.iloc[np.argsort(codes, kind="stable")]
    return finish(summary, dropped)


def _first_pass(dask, transactions, options):
    """The day of the last kept line, the time zone, and the lines dropped."""
    reports = dask.compute(
        *[
            dask.delayed(_last_day_and_zone)(part, number, options)
            for number, part in enumerate(transactions.to_delayed())
        ]
    )
    dropped = {}
    for _, _, part_dropped in reports:
        for reason, n in part_dropped.items():
            dropped[reason] = dropped.get(reason, 0) + n
    # partitions without a kept line cannot tell the zone
    kept = [(day, zone) for day, zone, _ in reports if day is not None]
    zones = {str(zone) for _, zone in kept}
    if len(zones) > 1:
        raise InvalidInputError(
            f"rfm_summary: datetime_col {options['datetime_col']!r} has times in "
            f"several time zones across partitions ({sorted(zones)}); convert "
            "them to one zone first."
        )
    end = max((day for day, _ in kept), default=None)
    zone = kept[0][1] if kept else None
    return end, zone, dropped


def _in_partition(number, function, *args):
    """Run ``function``; a custseg error says which partition it comes from."""
    try:
        return function(*args)
    except CustsegError as exc:
        raise type(exc)(
            f"{exc} (in partition {number} of the dask DataFrame; row numbers "
            "count from the partition's first row)"
        ) from exc


def _last_day_and_zone(part, number, options):
    lines = _in_partition(number, clean_lines, part, options)
    return last_day(lines), lines.zone, lines.dropped


def _summarise_partition(part, number, options, freq, time_unit, end, calibration):
    lines = _in_partition(number, clean_lines, part, options)
    return summarise_lines(lines, freq, time_unit, end, calibration)
