"""dask: rfm_summary of a dask frame, custseg.dask.predict, joblib's dask backend.

The cluster tests start a ``LocalCluster`` whose workers are separate
processes, as on a real cluster: the model and the data are pickled to them.
"""

import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

import custseg
import custseg.dask
from custseg.datasets import load_cdnow, make_purchase_summary, make_survey
from custseg.exceptions import (
    CustsegWarning,
    DataDroppedWarning,
    InputTypeError,
    InvalidInputError,
)

dask = pytest.importorskip("dask")  # part of the dev install
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(autouse=True)
def pandas_dtypes():
    """Keep pandas' dtypes in dask frames, so results compare exactly.

    By default dask turns text columns into ``string[pyarrow]``; the test
    ``test_dask_string_ids_give_the_same_numbers`` covers that case.
    """
    with dask.config.set({"dataframe.convert-string": False}):
        yield


def _quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)
        return function(*args, **kwargs)


@pytest.fixture(scope="module")
def survey():
    frame = make_survey(400, random_state=3)
    frame.index = pd.Index([f"c{i:04d}" for i in range(len(frame))], name="customer")
    return frame


@pytest.fixture(scope="module")
def segmentation(survey):
    pipe = make_pipeline(
        custseg.SurveyPreprocessor(roles={"timestamp": "ignore"}),
        custseg.ClusterSelector(k_range=range(2, 5), n_bootstrap=2, random_state=0),
    )
    return pipe.fit(survey)


@pytest.fixture(scope="module")
def client():
    """Two worker processes, one thread each."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


# ------------------------------------------------------------------ rfm_summary
@pytest.mark.parametrize("npartitions", [1, 3, 8])
def test_rfm_summary_of_cdnow_equals_pandas(npartitions):
    log = load_cdnow("transactions")
    options = dict(
        customer_col="customer_id",
        datetime_col="date",
        monetary_col="amount",
        freq="W",
        calibration_period_end="1997-09-30",
        observation_period_end="1998-06-30",
    )
    expected = custseg.rfm_summary(log, **options)
    # rows shuffled, so that a customer's lines are spread over partitions
    shuffled = log.sample(frac=1.0, random_state=0)
    got = custseg.rfm_summary(dd.from_pandas(shuffled, npartitions), **options)
    assert isinstance(got, pd.DataFrame)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["dropped"] == expected.attrs["dropped"] == {}


def _messy_log():
    rng = np.random.default_rng(5)
    n = 3_000
    log = pd.DataFrame(
        {
            "who": rng.choice([f"u{i}" for i in range(300)], n).astype(object),
            "when": pd.Timestamp("2024-01-01", tz="Europe/Paris")
            + pd.to_timedelta(rng.integers(0, 400 * 24, n), unit="h"),
            "value": np.round(rng.gamma(2.0, 20.0, n), 2),
            "qty": rng.integers(1, 4, n),
            "cancelled": rng.random(n) < 0.03,
        }
    )
    log.loc[rng.random(n) < 0.02, "who"] = None
    log.loc[rng.random(n) < 0.03, "value"] = -5.0
    log.loc[rng.random(n) < 0.02, "value"] = np.nan
    log.loc[rng.random(n) < 0.02, "qty"] = -1
    return pd.concat([log, log.iloc[:40]], ignore_index=True)  # 40 duplicates


def test_rfm_summary_of_a_messy_log_drops_and_counts_as_pandas():
    log = _messy_log()
    before = log.copy(deep=True)
    options = dict(
        customer_col="who",
        datetime_col="when",
        monetary_col="value",
        quantity_col="qty",
        cancelled_col="cancelled",
        drop_duplicates=True,
        calibration_period_end="2024-10-01",
    )
    with pytest.warns(DataDroppedWarning) as pandas_warnings:
        expected = custseg.rfm_summary(log, **options)
    with pytest.warns(DataDroppedWarning) as dask_warnings:
        got = custseg.rfm_summary(dd.from_pandas(log, npartitions=5), **options)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["dropped"] == expected.attrs["dropped"]
    # 40 lines repeated; those already dropped for another reason count there
    assert 0 < expected.attrs["dropped"]["duplicate line"] <= 40
    # one warning with the totals, like pandas, pointing at this file
    assert len(dask_warnings) == len(pandas_warnings) == 1
    assert str(dask_warnings[0].message) == str(pandas_warnings[0].message)
    assert dask_warnings[0].filename == __file__
    pd.testing.assert_frame_equal(log, before)


def test_dask_string_ids_give_the_same_numbers():
    log = _messy_log()
    options = dict(customer_col="who", datetime_col="when", monetary_col="value")
    with pytest.warns(DataDroppedWarning):
        expected = custseg.rfm_summary(log, **options)
    with dask.config.set({"dataframe.convert-string": True}):
        ddf = dd.from_pandas(log, npartitions=3)
        with pytest.warns(DataDroppedWarning):
            got = custseg.rfm_summary(ddf, **options)
    # the ids keep the dtype dask gave them; the numbers are the same
    assert got.index.dtype == ddf["who"].dtype
    pd.testing.assert_frame_equal(got, expected, check_index_type=False)


def test_rfm_summary_of_dask_checks_columns_before_reading():
    ddf = dd.from_pandas(_messy_log(), npartitions=2)
    with pytest.raises(InvalidInputError, match="'amount'"):
        custseg.rfm_summary(ddf, "who", "when", "amount")
    with pytest.raises(InvalidInputError, match="freq"):
        custseg.rfm_summary(ddf, "who", "when", freq="Y")


# ---------------------------------------------------------------------- predict
def test_predict_equals_pandas_partition_by_partition(survey, segmentation):
    ddf = dd.from_pandas(survey.assign(extra_id=np.arange(len(survey))), 4)
    labels = custseg.dask.predict(segmentation, ddf)
    # the schema is declared before anything is computed
    assert labels.name == "segment"
    assert labels.dtype == segmentation[-1].labels_.dtype
    computed = _quietly(labels.compute)
    pd.testing.assert_index_equal(computed.index, survey.index)
    np.testing.assert_array_equal(computed, _quietly(segmentation.predict, survey))


def test_transform_keeps_feature_names(survey, segmentation):
    preprocessor = segmentation[0]
    ddf = dd.from_pandas(survey, 3)
    features = custseg.dask.predict(preprocessor, ddf, method="transform")
    assert list(features.columns) == list(preprocessor.get_feature_names_out())
    computed = _quietly(features.compute)
    np.testing.assert_array_equal(
        computed.to_numpy(), _quietly(preprocessor.transform, survey)
    )


def test_churn_and_clv_methods_declare_their_outputs(survey):
    summary = make_purchase_summary(1_500, random_state=4)
    ddf = dd.from_pandas(summary, 3)
    scorer = custseg.ChurnRiskScorer(method="bgnbd").fit(summary)
    risk = custseg.dask.predict(scorer, ddf, method="predict_risk")
    assert (risk.name, risk.dtype) == ("churn_risk", np.float64)
    np.testing.assert_array_equal(risk.compute(), scorer.predict_risk(summary))
    bands = custseg.dask.predict(scorer, ddf, method="risk_band").compute()
    np.testing.assert_array_equal(bands, scorer.risk_band(summary))
    proba = custseg.dask.predict(scorer, ddf, method="predict_proba").compute()
    assert list(proba.columns) == [f"proba_{c}" for c in scorer.classes_]
    np.testing.assert_array_equal(proba, scorer.predict_proba(summary))
    clv = custseg.CLVEstimator(spend_model=None).fit(summary)
    alive = custseg.dask.predict(clv, ddf, method="predict_proba_alive").compute()
    np.testing.assert_array_equal(alive, clv.predict_proba_alive(summary))


def test_profiler_assign(survey, segmentation):
    labels = _quietly(segmentation.predict, survey)
    profiler = _quietly(custseg.SegmentProfiler(random_state=0).fit, survey, labels)
    got = _quietly(
        custseg.dask.predict(
            profiler, dd.from_pandas(survey, 2), method="assign"
        ).compute
    )
    pd.testing.assert_frame_equal(
        got, _quietly(profiler.assign, survey), check_dtype=False
    )


def test_order_dependent_duplicates_are_counted_alike():
    # a cancelled line and its non-cancelled twin: the twin is kept whatever
    # the order, in pandas and in dask
    base = pd.DataFrame(
        {
            "who": ["a", "a", "a", "b"],
            "when": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-02-01", "2024-01-05"]
            ),
            "value": [10.0, 10.0, 5.0, 7.0],
            "cancelled": [True, False, False, False],
        }
    )
    options = dict(
        customer_col="who",
        datetime_col="when",
        monetary_col="value",
        cancelled_col="cancelled",
        drop_duplicates=True,
    )
    results = []
    for frame in (base, base.iloc[[1, 0, 2, 3]]):
        with pytest.warns(DataDroppedWarning, match="1 dropped: cancelled"):
            results.append(custseg.rfm_summary(frame, **options))
        with pytest.warns(DataDroppedWarning):
            results.append(custseg.rfm_summary(dd.from_pandas(frame, 2), **options))
    for result in results:
        pd.testing.assert_frame_equal(result, results[0])
        assert result.attrs["dropped"] == {"cancelled": 1}
    assert results[0].loc["a", "frequency"] == 1.0


def test_mixed_ids_and_errors_in_a_partition():
    log = pd.DataFrame(
        {
            "who": pd.Series([1, "x", 2, "y", 1, "x"], dtype=object),
            "when": pd.date_range("2024-01-01", periods=6, freq="7D"),
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    options = dict(customer_col="who", datetime_col="when", monetary_col="value")
    expected = custseg.rfm_summary(log, **options)
    got = custseg.rfm_summary(dd.from_pandas(log, 3), **options)
    pd.testing.assert_frame_equal(got, expected)
    bad = log.assign(value=pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, "lots"], dtype=object))
    with pytest.raises(InputTypeError, match=r"'value'.*in partition \d of the dask"):
        custseg.rfm_summary(dd.from_pandas(bad, 3), **options)


def test_no_line_left_counts_what_was_dropped():
    log = _messy_log().assign(value=-1.0)
    with pytest.raises(InvalidInputError, match="dropped: return"):
        custseg.rfm_summary(dd.from_pandas(log, 3), "who", "when", "value")


def test_outputs_that_do_not_fit_the_schema_are_errors():
    summary = make_purchase_summary(300, random_state=4)
    clv = custseg.CLVEstimator(spend_model=None).fit(summary)
    ddf = dd.from_pandas(summary, 2)
    # probabilities declared as integers would become zeros
    as_int = pd.Series([], dtype="int64", name="p_alive")
    with pytest.raises(InvalidInputError, match="would change its values"):
        custseg.dask.predict(
            clv, ddf, method="predict_proba_alive", meta=as_int
        ).compute()
    log = pd.DataFrame({"user_id": ["b", "a", "c", "a"], "rating": [1.0, 2, 3, 4]})
    aggregator = custseg.BehaviorAggregator(
        rating_col="rating", features=["n_events", "mean_rating"]
    ).set_output(transform="pandas")
    aggregator.fit(log)
    with pytest.raises(InvalidInputError, match="one row per input row"):
        custseg.dask.predict(
            aggregator, dd.from_pandas(log, 2), method="transform"
        ).compute()


def test_a_model_fitted_on_numpy_needs_exactly_its_columns():
    summary = make_purchase_summary(300, random_state=4)
    X = summary.to_numpy()
    selector = custseg.ClusterSelector(
        candidates=["kmeans"], k_range=(2, 3), n_bootstrap=0, random_state=0
    ).fit(X)
    with pytest.raises(InvalidInputError, match="3 unnamed columns"):
        custseg.dask.predict(selector, dd.from_pandas(summary.assign(id=1), 2))
    labels = custseg.dask.predict(selector, dd.from_pandas(summary, 2)).compute()
    np.testing.assert_array_equal(labels, selector.predict(X))


def test_predict_with_dask_string_columns(survey, segmentation):
    with dask.config.set({"dataframe.convert-string": True}):
        ddf = dd.from_pandas(survey, 3)
        labels = _quietly(custseg.dask.predict(segmentation, ddf).compute)
    np.testing.assert_array_equal(labels, _quietly(segmentation.predict, survey))


def test_other_methods_need_meta(survey):
    summary = make_purchase_summary(300, random_state=4)
    clv = custseg.CLVEstimator(spend_model=None).fit(summary)
    ddf = dd.from_pandas(summary, 2)
    with pytest.raises(InvalidInputError, match="pass meta="):
        custseg.dask.predict(clv, ddf, method="score")
    meta = pd.Series([], dtype=float, name="log_likelihood")
    with pytest.raises(InvalidInputError, match="meta declares one column"):
        custseg.dask.predict(clv, ddf, method="fit", meta=meta).compute()


def test_predict_errors_name_what_is_wrong(survey, segmentation):
    with pytest.raises(InputTypeError, match="must be a dask DataFrame"):
        custseg.dask.predict(segmentation, survey)
    ddf = dd.from_pandas(survey.drop(columns=["age"]), 2)
    with pytest.raises(InvalidInputError, match="lacks column.*'age'"):
        custseg.dask.predict(segmentation, ddf)
    with pytest.raises(InvalidInputError, match="not fitted"):
        custseg.dask.predict(custseg.ClusterSelector(), dd.from_pandas(survey, 2))
    with pytest.raises(InvalidInputError, match="no method 'explain'"):
        custseg.dask.predict(segmentation, dd.from_pandas(survey, 2), method="explain")
    with pytest.raises(InputTypeError, match="meta must be"):
        custseg.dask.predict(
            segmentation, dd.from_pandas(survey, 2), meta={"segment": "int64"}
        )


# -------------------------------------------------------- on a process cluster
def test_scoring_on_worker_processes(client, survey, segmentation):
    ddf = dd.from_pandas(survey, 4)
    with distributed.get_task_stream(client) as tasks:
        computed = custseg.dask.predict(segmentation, ddf).compute()
    # tasks ran, and on the worker processes
    assert {task["worker"] for task in tasks.data} <= set(
        client.scheduler_info()["workers"]
    )
    assert tasks.data
    np.testing.assert_array_equal(computed, _quietly(segmentation.predict, survey))


def test_cluster_selector_candidates_run_on_the_workers(client, survey, segmentation):
    X = _quietly(segmentation[0].transform, survey)
    params = dict(k_range=range(2, 6), n_bootstrap=2, random_state=0)
    local = custseg.ClusterSelector(**params).fit(X)
    with (
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_config(backend="dask"),
    ):
        spread = custseg.ClusterSelector(**params).fit(X)
    workers = {task["worker"] for task in tasks.data}
    # candidates were fitted by the worker processes (20 fits: nearly always
    # both of them, but the scheduler may keep a loaded worker idle)
    assert workers and workers <= set(client.scheduler_info()["workers"])
    np.testing.assert_array_equal(spread.labels_, local.labels_)
    assert spread.best_params_ == local.best_params_
    scores = ["silhouette", "davies_bouldin", "calinski_harabasz", "inertia"]
    # summation order may differ in the last bits between processes
    np.testing.assert_allclose(
        spread.results_[scores].to_numpy(float),
        local.results_[scores].to_numpy(float),
        rtol=1e-12,
    )


def test_churn_cross_validation_runs_on_the_workers(client, survey, segmentation):
    X = _quietly(segmentation[0].transform, survey)
    y = (X[:, 0] + np.random.default_rng(0).normal(size=len(X)) > 0).astype(int)
    params = dict(method="supervised", cv=3, random_state=0)
    local = custseg.ChurnRiskScorer(**params).fit(X, y)
    with (
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_config(backend="dask"),
    ):
        spread = custseg.ChurnRiskScorer(**params).fit(X, y)
    workers = {task["worker"] for task in tasks.data}
    assert workers and workers <= set(client.scheduler_info()["workers"])
    np.testing.assert_allclose(
        spread.predict_proba(X), local.predict_proba(X), rtol=1e-12
    )
    pd.testing.assert_frame_equal(
        spread.cv_results_.scores, local.cv_results_.scores, rtol=1e-12
    )


def test_rfm_summary_on_worker_processes(client):
    log = _messy_log()
    options = dict(customer_col="who", datetime_col="when", monetary_col="value")
    with pytest.warns(DataDroppedWarning):
        expected = custseg.rfm_summary(log, **options)
    with pytest.warns(DataDroppedWarning):
        got = custseg.rfm_summary(dd.from_pandas(log, npartitions=4), **options)
    pd.testing.assert_frame_equal(got, expected)


def test_missing_dask_names_the_extra(monkeypatch, survey, segmentation):
    import sys

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"custseg\[dask\]"):
        custseg.dask.predict(segmentation, survey)
