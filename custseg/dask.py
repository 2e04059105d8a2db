"""Scoring a dask DataFrame with a fitted model, partition by partition.

Needs the extra ``dask`` (``pip install "custseg[dask]"``). Fitting is
spread differently: the estimators that try many candidates
(:class:`~custseg.ClusterSelector`, :class:`~custseg.ChurnRiskScorer`) fit
them through joblib, so ``joblib.parallel_config(backend="dask")`` with a
``dask.distributed`` client runs them on the cluster's workers. And
:func:`custseg.rfm_summary` accepts a dask DataFrame of transactions.
"""

import numpy as np
import pandas as pd
from sklearn.base import is_clusterer
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._optional import import_optional, is_dask_frame
from ._validation import format_values
from .exceptions import InputTypeError, InvalidInputError

__all__ = ["predict"]

# Methods whose output custseg can declare from the fitted model alone, with
# the name of their column (one-column outputs).
_SERIES_METHODS = {
    "predict_risk": "churn_risk",
    "risk_band": "risk_band",
    "predict_proba_alive": "p_alive",
    "predict_spend": "expected_spend",
}
_FRAME_METHODS = ("transform", "predict_proba", "assign")


def predict(estimator, ddf, *, method="predict", meta=None):
    """Score a dask DataFrame partition by partition with a fitted model.

    Each partition is a pandas DataFrame that goes through
    ``getattr(estimator, method)`` on its own, so many millions of customers
    are scored in parallel without ever being in memory together. The
    output's columns and dtypes are declared before anything is computed,
    from the fitted model (see ``meta``), and every partition is checked
    against them.

    Parameters
    ----------
    estimator : fitted estimator or Pipeline
        For example ``make_pipeline(SurveyPreprocessor(), ClusterSelector())``
        after ``fit`` on a sample.
    ddf : dask.dataframe.DataFrame
        The customers, one row each, with the columns the model was fitted
        on. When it was fitted on a DataFrame, other columns (an id, say)
        are not passed to the model; when fitted on a NumPy array, ddf must
        have exactly its columns, in order. Its index is kept.
    method : str, default="predict"
        The method to call: "predict", "transform", "predict_proba",
        "predict_risk", "risk_band", "predict_proba_alive", "predict_spend",
        "assign", or another method together with ``meta``.
    meta : pandas Series or DataFrame, default=None
        An empty Series or DataFrame with the output's name(s) and dtype(s).
        By default it is derived from the fitted model: "predict" gives a
        Series named "segment" (clusterers), "clv" (``CLVEstimator``) or
        "prediction", of the dtype of ``classes_``/``labels_`` (float for
        CLV); "transform" one float column per ``get_feature_names_out()``;
        "predict_proba" one float column ``proba_<class>`` per class; the
        others a float Series ("risk_band": text, "assign": the columns of
        ``SegmentProfiler.assign``).

    Returns
    -------
    scores : dask.dataframe.Series or dask.dataframe.DataFrame
        Lazy; call ``.compute()``, ``.to_parquet(...)`` or keep working in
        dask. Its index is ``ddf``'s.

    Raises
    ------
    InputTypeError
        If ``ddf`` is not a dask DataFrame.
    InvalidInputError
        If the model is not fitted, lacks ``method``, needs columns ``ddf``
        does not have, or a partition's output does not fit ``meta``: other
        columns or shape, not one row per customer (aggregations such as
        ``BehaviorAggregator``), or a dtype that cannot hold its values
        unchanged (integers are accepted for float columns, anything for
        object columns).

    Notes
    -----
    The model is put in the task graph once and shared by all partitions.
    Warnings about individual customers (for example answers not seen in
    ``fit``) are raised where a partition is scored: in this process with
    dask's local schedulers, in the worker's log on a distributed cluster.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import custseg
    >>> import custseg.dask
    >>> from custseg.datasets import make_purchase_summary
    >>> summary = make_purchase_summary(2_000, random_state=0)
    >>> scorer = custseg.ChurnRiskScorer(method="bgnbd").fit(summary)
    >>> ddf = dd.from_pandas(summary, npartitions=4)
    >>> risk = custseg.dask.predict(scorer, ddf, method="predict_risk")
    >>> risk.name, str(risk.dtype)
    ('churn_risk', 'float64')
    >>> bool((risk.compute() == scorer.predict_risk(summary)).all())
    True
    """
    dask = import_optional("dask")
    import_optional("dask.dataframe")
    if not is_dask_frame(ddf):
        raise InputTypeError(
            f"custseg.dask.predict: ddf must be a dask DataFrame; got "
            f"{type(ddf).__name__}. Score a pandas DataFrame with "
            f"estimator.{method}(X) directly."
        )
    if not callable(getattr(estimator, method, None)):
        raise InvalidInputError(
            f"custseg.dask.predict: {type(estimator).__name__} has no method "
            f"{method!r}."
        )
    try:
        check_is_fitted(estimator)
    except (NotFittedError, TypeError) as exc:
        raise InvalidInputError(
            f"custseg.dask.predict: the estimator is not fitted ({exc}); fit it "
            "on a pandas sample first."
        ) from exc
    columns = _input_columns(estimator)
    if columns is None:
        n_features = getattr(
            estimator[0] if isinstance(estimator, Pipeline) else estimator,
            "n_features_in_",
            None,
        )
        if n_features is not None and len(ddf.columns) != n_features:
            raise InvalidInputError(
                f"custseg.dask.predict: the model was fitted on {n_features} "
                f"unnamed columns (a NumPy array) and ddf has {len(ddf.columns)}; "
                "select the columns in the order of fit, or fit on a DataFrame."
            )
    else:
        missing = [column for column in columns if column not in ddf.columns]
        if missing:
            raise InvalidInputError(
                f"custseg.dask.predict: ddf lacks column(s) {format_values(missing)} "
                f"that the model was fitted on; its columns are "
                f"{format_values(list(ddf.columns), limit=10)}."
            )
        ddf = ddf[columns]
    meta = _declared_meta(estimator, method) if meta is None else _as_meta(meta)
    model = dask.delayed(estimator, pure=True)
    return ddf.map_partitions(
        _score_partition, model, method, meta, meta=meta, align_dataframes=False
    )


def _final_step(estimator):
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def _input_columns(estimator):
    first = estimator[0] if isinstance(estimator, Pipeline) else estimator
    names = getattr(first, "feature_names_in_", None)
    return None if names is None else [str(name) for name in names]


def _declared_meta(estimator, method):
    """The empty output of ``method``, from the fitted model alone."""
    final = _final_step(estimator)
    if method == "predict":
        labels = getattr(final, "classes_", getattr(final, "labels_", None))
        if type(final).__name__ == "CLVEstimator":
            return pd.Series([], dtype=np.float64, name="clv")
        if labels is None:
            return pd.Series([], dtype=np.float64, name="prediction")
        name = "segment" if is_clusterer(final) else "prediction"
        return pd.Series([], dtype=np.asarray(labels).dtype, name=name)
    if method in _SERIES_METHODS:
        dtype = object if method == "risk_band" else np.float64
        return pd.Series([], dtype=dtype, name=_SERIES_METHODS[method])
    if method == "transform":
        names = estimator.get_feature_names_out()
        return pd.DataFrame({name: pd.Series([], dtype=np.float64) for name in names})
    if method == "predict_proba":
        return pd.DataFrame(
            {f"proba_{c}": pd.Series([], dtype=np.float64) for c in final.classes_}
        )
    if method == "assign":
        return pd.DataFrame(
            {
                "segment": pd.Series([], dtype=np.asarray(final.labels_).dtype),
                "persona": pd.Series([], dtype=object),
                "membership": pd.Series([], dtype=np.float64),
                "distance": pd.Series([], dtype=np.float64),
            }
        )
    raise InvalidInputError(
        f"custseg.dask.predict: the output of method={method!r} cannot be "
        "declared from the model; pass meta=, an empty pandas Series or "
        "DataFrame with the output's name(s) and dtype(s)."
    )


def _as_meta(meta):
    if isinstance(meta, pd.Series | pd.DataFrame):
        return meta.iloc[:0]
    raise InputTypeError(
        f"custseg.dask.predict: meta must be an empty pandas Series or "
        f"DataFrame; got {type(meta).__name__}."
    )


def _score_partition(part, estimator, method, meta):
    """Score one pandas partition and check it against the declared schema."""
    if len(part) == 0:
        return meta.set_axis(part.index)
    output = getattr(estimator, method)(part)
    if isinstance(output, pd.Series | pd.DataFrame) and not output.index.equals(
        part.index
    ):
        raise InvalidInputError(
            f"custseg.dask.predict: {method} gave {len(output):,} rows indexed "
            f"otherwise for a partition of {len(part):,} customers; it must give "
            "one row per input row (an aggregation such as BehaviorAggregator "
            "groups rows across partitions: run it on a dask groupby instead)."
        )
    if isinstance(meta, pd.Series):
        values = np.asarray(output)
        if values.shape != (len(part),):
            raise InvalidInputError(
                f"custseg.dask.predict: {method} gave an array of shape "
                f"{values.shape} for {len(part):,} rows; meta declares one "
                f"column ({meta.name!r}), one value per row."
            )
        values = _conform(values, meta.dtype, method, meta.name)
        return pd.Series(values, index=part.index, name=meta.name)
    if isinstance(output, pd.DataFrame):
        if set(output.columns) != set(meta.columns):
            raise InvalidInputError(
                f"custseg.dask.predict: {method} gave the columns "
                f"{format_values(list(output.columns))}; meta declares "
                f"{format_values(list(meta.columns))}."
            )
        columns = {name: output[name].to_numpy() for name in meta.columns}
    else:
        values = np.asarray(output)
        if values.ndim != 2 or values.shape != (len(part), meta.shape[1]):
            raise InvalidInputError(
                f"custseg.dask.predict: {method} gave an array of shape "
                f"{values.shape} for {len(part):,} rows; meta declares "
                f"{meta.shape[1]} columns ({format_values(list(meta.columns))})."
            )
        columns = {name: values[:, i] for i, name in enumerate(meta.columns)}
    return pd.DataFrame(
        {
            name: _conform(values, meta.dtypes[name], method, name)
            for name, values in columns.items()
        },
        index=part.index,
    )


def _conform(values, dtype, method, name):
    """``values`` in the declared dtype, if no value changes on the way."""
    if values.dtype == dtype:
        return values
    if isinstance(dtype, np.dtype) and (
        dtype.kind == "O" or np.can_cast(values.dtype, dtype, casting="safe")
    ):
        return values.astype(dtype)
    raise InvalidInputError(
        f"custseg.dask.predict: {method} gave column {name!r} as {values.dtype}; "
        f"meta declares {dtype}, which would change its values. Declare "
        f"{values.dtype} in meta."
    )
