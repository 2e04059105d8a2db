"""rfm_summary: CDNOW's published summary, hand-made logs, the cleaning rules."""

import numpy as np
import pandas as pd
import pytest

from custseg import rfm_summary
from custseg.datasets import load_cdnow
from custseg.exceptions import DataDroppedWarning, InputTypeError, InvalidInputError


def test_cdnow_summary_is_rebuilt_from_its_transactions():
    log = load_cdnow("transactions")
    before = log.copy()
    published = load_cdnow()
    summary = rfm_summary(
        log,
        "customer_id",
        "date",
        "amount",
        freq="D",
        time_unit="W",
        observation_period_end="1998-06-30",
        calibration_period_end="1997-09-30",
    )
    pd.testing.assert_frame_equal(log, before)
    assert summary.attrs["dropped"] == {}
    assert len(summary) == 2357
    # the published file rounds to 2 decimals (weeks, dollars)
    for column in ("frequency", "recency", "T", "monetary_value"):
        np.testing.assert_allclose(
            summary[column], published[column], atol=0.005 + 1e-9, err_msg=column
        )
    # weeks 40 to 78 are the holdout
    assert (summary["duration_holdout"] == 39).all()
    assert summary["frequency_holdout"].min() == 0


def _log():
    return pd.DataFrame(
        {
            "customer": ["a", "a", "a", "a", "b", None, "c", "c", "d"],
            "date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-01",  # same day: one purchase, values added
                    "2024-01-08",
                    "2024-01-20",  # after the calibration end
                    "2024-01-03",
                    "2024-01-04",  # no customer
                    "2024-01-02",
                    "2024-01-05",  # a return
                    "2024-01-16",  # first purchase after calibration
                ]
            ),
            "amount": [10.0, 5.0, 20.0, 8.0, 7.0, 3.0, 4.0, -4.0, 6.0],
        }
    )


def test_hand_made_log_with_calibration():
    with pytest.warns(DataDroppedWarning) as caught:
        summary = rfm_summary(
            _log(),
            "customer",
            "date",
            "amount",
            observation_period_end="2024-01-31",
            calibration_period_end="2024-01-10",
        )
    message = str(caught[0].message)
    assert "1 dropped: missing customer id or date" in message
    assert "1 dropped: return" in message
    assert summary.attrs["dropped"] == {
        "missing customer id or date": 1,
        "return (negative value or quantity)": 1,
        "customers first seen after calibration_period_end": 1,
    }
    assert list(summary.index) == ["a", "b", "c"]
    a = summary.loc["a"]
    assert (a["frequency"], a["recency"], a["T"]) == (1, 7, 9)
    assert a["monetary_value"] == 20  # the repeat purchase only
    assert (a["frequency_holdout"], a["monetary_value_holdout"]) == (1, 8)
    assert a["duration_holdout"] == 21
    assert summary.loc["c", "frequency"] == 0 and summary.loc["c", "T"] == 8


def test_weeks_and_months():
    log = pd.DataFrame(
        {
            "id": [1, 1, 1, 1],
            "when": ["2024-01-01", "2024-01-03", "2024-01-15", "2024-03-02"],
        }
    )
    weekly = rfm_summary(
        log, "id", "when", freq="W", observation_period_end="2024-03-31"
    )
    # Monday 1st and Wednesday 3rd share a week; the 15th is two weeks later
    assert weekly.loc[1, "frequency"] == 2
    assert weekly.loc[1, "recency"] == 8  # the week of 2 March
    monthly = rfm_summary(
        log, "id", "when", freq="M", observation_period_end="2024-05-10"
    )
    assert (monthly.loc[1, "frequency"], monthly.loc[1, "recency"]) == (1, 2)
    assert monthly.loc[1, "T"] == 4


def test_cleaning_rules_are_configurable():
    log = pd.DataFrame(
        {
            "id": [1, 1, 1, 1, 2],
            "day": [
                "2024-01-01",
                "2024-01-02",
                "2024-01-02",
                "2024-01-03",
                "2024-01-01",
            ],
            "value": [5.0, 0.0, 3.0, 3.0, 2.0],
            "qty": [1, 1, 1, -1, 1],
            "cancelled": [False, False, False, False, True],
        }
    )
    with pytest.warns(DataDroppedWarning):
        summary = rfm_summary(
            log,
            "id",
            "day",
            "value",
            quantity_col="qty",
            cancelled_col="cancelled",
            drop_zero_value=True,
            drop_duplicates=True,
        )
    assert summary.attrs["dropped"] == {
        "return (negative value or quantity)": 1,
        "zero value": 1,
        "cancelled": 1,
    }
    assert list(summary.index) == [1]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"customer_col": "nope"}, InvalidInputError, "column\\(s\\) 'nope' not in"),
        ({"freq": "Y"}, InvalidInputError, "freq is 'Y'"),
        ({"time_unit": "M"}, InvalidInputError, "time_unit is 'M'"),
        (
            {"calibration_period_end": "2025-01-01"},
            InvalidInputError,
            "must be before the observation end",
        ),
        ({"observation_period_end": "soon"}, InputTypeError, "is not a date"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    arguments = {
        "customer_col": "customer",
        "datetime_col": "date",
        "monetary_col": "amount",
    }
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        rfm_summary(_log().dropna(), **arguments)


def test_bad_columns_are_named():
    log = _log().dropna()
    with pytest.raises(
        InputTypeError, match="'customer' holds values that are not dates"
    ):
        rfm_summary(log, "customer", "customer")
    with pytest.raises(InputTypeError, match="column 'customer' must hold numbers"):
        rfm_summary(log, "customer", "date", "customer")
    with pytest.raises(InputTypeError, match="must be a pandas or dask DataFrame"):
        rfm_summary(log.to_numpy(), "customer", "date")
    with pytest.raises(InvalidInputError, match="no purchase line is left"):
        rfm_summary(log.assign(customer=None), "customer", "date")


def test_periods_straddling_the_calibration_end_do_not_depend_on_row_order():
    log = pd.DataFrame(
        {
            "c": ["a", "a", "a", "a"],
            "d": pd.to_datetime(
                ["2024-01-01", "2024-01-08", "2024-01-12", "2024-01-20"]
            ),
            "v": [1.0, 2.0, 4.0, 8.0],
        }
    )
    arguments = {
        "freq": "W",
        "observation_period_end": "2024-01-31",
        "calibration_period_end": "2024-01-10",
    }
    first = rfm_summary(log, "c", "d", "v", **arguments)
    shuffled = rfm_summary(log.iloc[[3, 0, 2, 1]], "c", "d", "v", **arguments)
    pd.testing.assert_frame_equal(first, shuffled)
    # the week of 8 January: the 8th is calibration, the 12th holdout
    assert (first.loc["a", "frequency"], first.loc["a", "monetary_value"]) == (1, 2.0)
    assert first.loc["a", "frequency_holdout"] == 2


def test_end_days_are_whole_days_and_zones_are_converted():
    log = pd.DataFrame(
        {
            "c": [1, 1],
            "d": pd.to_datetime(["2024-01-01 09:00", "2024-01-10 15:30"]),
        }
    )
    summary = rfm_summary(log, "c", "d", observation_period_end="2024-01-10")
    assert (summary.loc[1, "frequency"], summary.loc[1, "T"]) == (1, 9)
    zoned = log.assign(d=log["d"].dt.tz_localize("America/New_York"))
    # 2024-01-11 03:00 UTC is still 10 January in New York
    end = pd.Timestamp("2024-01-11 03:00", tz="UTC")
    assert (
        rfm_summary(zoned, "c", "d", observation_period_end=end).loc[1, "frequency"]
        == 1
    )


def test_numbers_are_not_read_as_dates():
    log = pd.DataFrame({"c": [1, 1], "d": [19970101, 19970315]})
    with pytest.raises(InputTypeError, match="holds numbers .* format='%Y%m%d'"):
        rfm_summary(log, "c", "d")


# --- found by tests/test_fuzz.py -------------------------------------------


def test_an_infinite_amount_is_an_error_not_an_infinite_value():
    log = pd.DataFrame(
        {"c": ["a", "a", "b"], "d": ["2024-01-01", "2024-01-02", "2024-01-01"]}
    )
    with pytest.raises(InvalidInputError, match="'amount' holds 1 infinite value"):
        rfm_summary(log.assign(amount=[1.0, np.inf, 2.0]), "c", "d", "amount")
    with pytest.raises(InvalidInputError, match=r"left to summarise \(transactions"):
        rfm_summary(log.iloc[:0], "c", "d")
