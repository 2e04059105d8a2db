""":func:`custseg.rfm_summary` of a dask DataFrame of transactions.

The lines are cleaned and summarised by the same code as a pandas frame,
partition by partition, after the lines are shuffled so that each customer's
lines share a partition. Two passes over the data:

1. every partition reports the day of its last kept line (the default end
   of the observation) and the time zone of its dates;
2. the shuffled partitions are summarised with that end; the summaries (one
   row per customer, small next to the log) are gathered into one pandas
   DataFrame, and the dropped lines of all partitions are counted together.
"""

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
from .exceptions import InvalidInputError


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
    first_pass = [
        dask.delayed(_last_day_and_zone)(part, options)
        for part in transactions.to_delayed()
    ]
    reports = dask.compute(*first_pass)
    # partitions without a kept line cannot tell the zone
    zones = {str(zone) for day, zone in reports if day is not None}
    if len(zones) > 1:
        raise InvalidInputError(
            f"{who}: datetime_col {options['datetime_col']!r} has times in "
            f"several time zones across partitions ({sorted(zones)}); convert "
            "them to one zone first."
        )
    zone = next((zone for day, zone in reports if day is not None), None)
    end = _end(who, "observation_period_end", observation_period_end, zone)
    if end is None:
        days = [day for day, _ in reports if day is not None]
        if not days:
            raise InvalidInputError(f"{who}: no purchase line is left to summarise.")
        end = max(days)
    calibration = _end(who, "calibration_period_end", calibration_period_end, zone)
    check_ends(end, calibration)

    by_customer = transactions.shuffle(on=options["customer_col"])
    second_pass = [
        dask.delayed(_summarise_partition)(
            part, options, freq, time_unit, end, calibration
        )
        for part in by_customer.to_delayed()
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
    summary = pd.concat(summaries).sort_index(kind="stable")
    return finish(summary, dropped)


def _last_day_and_zone(part, options):
    lines = clean_lines(part, options)
    return last_day(lines), lines.zone


def _summarise_partition(part, options, freq, time_unit, end, calibration):
    lines = clean_lines(part, options)
    return summarise_lines(lines, freq, time_unit, end, calibration)
