"""evaluate_clv: predicted against actual holdout purchases, and a baseline."""

import numpy as np
import pandas as pd
from sklearn.utils import Bunch
from sklearn.utils.validation import check_is_fitted

from ._clv import MAX_FREQUENCY
from ._validation import format_values, numeric_column
from .exceptions import InputTypeError, InvalidInputError

HOLDOUT_COLUMNS = ("frequency_holdout", "duration_holdout")


def evaluate_clv(estimator, summary, max_frequency=7):
    """How well a fitted CLVEstimator predicts the holdout purchases.

    Each customer's purchases in the holdout period (``frequency_holdout``
    over ``duration_holdout``, as :func:`~custseg.rfm_summary` makes them
    with a ``calibration_period_end``) are compared with the model's
    expectation and with a naive baseline: the customer's own calibration
    rate, ``frequency / T``, times the holdout length.

    Parameters
    ----------
    estimator : CLVEstimator
        Fitted on the calibration columns of ``summary``.
    summary : DataFrame
        The summary with its holdout columns.
    max_frequency : int, default=7
        Calibration frequencies above this share the last bucket of the
        calibration table.

    Returns
    -------
    evaluation : sklearn.utils.Bunch
        ``metrics``: per predictor ("model", "baseline") the ``mae``,
        ``rmse`` and ``correlation`` with the actual purchases, and their
        ``total`` against the actual total. ``calibration``: per bucket of
        calibration frequency, the number of ``customers`` and the mean
        ``actual``, ``model`` and ``baseline`` holdout purchases.
        ``predictions``: per customer ``actual``, ``model``, ``baseline``.
        A ``correlation`` is NaN (not available) when the predictions or the
        actual purchases do not vary.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import CLVEstimator, evaluate_clv
    >>> from custseg.datasets import make_purchase_summary
    >>> summary = make_purchase_summary(500, random_state=0)
    >>> clv = CLVEstimator(spend_model=None).fit(summary)
    >>> holdout = summary.assign(frequency_holdout=0.0, duration_holdout=10.0)
    >>> evaluate_clv(clv, holdout).metrics.index.tolist()
    ['model', 'baseline']
    """
    who = "evaluate_clv"
    if not hasattr(estimator, "predict_purchases"):
        raise InputTypeError(
            f"{who}: estimator must be a fitted CLVEstimator; got "
            f"{type(estimator).__name__}."
        )
    check_is_fitted(estimator, "params_")
    if not isinstance(summary, pd.DataFrame):
        raise InvalidInputError(
            f"{who}: summary must be a DataFrame with the holdout columns "
            f"{format_values(HOLDOUT_COLUMNS)}; got {type(summary).__name__}."
        )
    missing = [c for c in HOLDOUT_COLUMNS if c not in summary.columns]
    if missing:
        raise InvalidInputError(
            f"{who}: summary lacks {format_values(missing)}; make it with "
            "rfm_summary(..., calibration_period_end=...)."
        )
    names = getattr(estimator, "feature_names_in_", None)
    if names is None:  # fitted on an array: the summary's own columns, in order
        names = ["frequency", "recency", "T", "monetary_value"][
            : estimator.n_features_in_
        ]
    lacking = [name for name in names if name not in summary.columns]
    if lacking:
        raise InvalidInputError(
            f"{who}: summary lacks {format_values(lacking)}, which the estimator "
            "was fitted on."
        )
    calibration = summary[list(names)]
    duration, actual = (
        _holdout_column(who, summary, name)
        for name in ("duration_holdout", "frequency_holdout")
    )
    model = estimator.predict_purchases(calibration, duration)
    x = summary["frequency"].to_numpy(dtype=np.float64)
    T = summary["T"].to_numpy(dtype=np.float64)
    # the customer's own rate; without a repeat purchase it is 0 whatever T
    # (also T = 0, a customer seen for no time at all)
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline = np.where(x > 0, x / T, 0.0) * duration
    with np.errstate(over="ignore", invalid="ignore"):
        metrics = pd.DataFrame(
            {
                name: _metrics(actual, predicted)
                for name, predicted in (("model", model), ("baseline", baseline))
            }
        ).T
    # NaN only from predictions not available (warned) or a constant series
    # (correlation); an infinity is an overflow of absurd counts or times
    if np.isinf(baseline).any() or np.isinf(metrics.to_numpy(float)).any():
        raise InvalidInputError(
            f"{who}: the holdout purchases or their predictions are too large to "
            "compare (their errors or totals are beyond the largest float); "
            "expected counts and durations ('frequency_holdout', "
            "'duration_holdout', 'T') of ordinary size."
        )
    bucket = np.minimum(x, max_frequency).astype(int)
    predictions = pd.DataFrame(
        {"actual": actual, "model": model, "baseline": baseline}, index=summary.index
    )
    table = predictions.groupby(bucket).mean()
    table.insert(0, "customers", np.bincount(bucket)[table.index])
    labels = [f"{b}+" if b == max_frequency else str(b) for b in table.index]
    table.index = pd.Index(labels, name="calibration frequency")
    return Bunch(metrics=metrics, calibration=table, predictions=predictions)


def _holdout_column(who, summary, name):
    """A holdout column as float64: numbers >= 0, none missing."""
    values = numeric_column(who, summary[name], name)
    bad = np.isnan(values) | (values < 0)
    if name == "frequency_holdout" and (values > MAX_FREQUENCY).any():
        raise InvalidInputError(
            f"{who}: column {name!r} has counts beyond 2**53 (largest "
            f"{values.max():.3g}), which floats cannot hold exactly; expected "
            "purchases as whole numbers."
        )
    if bad.any():
        raise InvalidInputError(
            f"{who}: column {name!r} has {int(np.isnan(values).sum())} missing and "
            f"{int((values < 0).sum())} negative value(s); expected numbers >= 0."
        )
    return values


def _metrics(actual, predicted):
    error = predicted - actual
    return {
        "mae": float(np.mean(np.abs(error))),
        "rmse": float(np.sqrt(np.mean(error**2))),
        "correlation": float(np.corrcoef(predicted, actual)[0, 1])
        if np.std(predicted) > 0 and np.std(actual) > 0
        else np.nan,
        "total": float(np.sum(predicted)),
        "actual_total": float(np.sum(actual)),
    }
