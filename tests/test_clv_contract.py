"""scikit-learn's estimator contract for CLVEstimator, on valid RFM summaries.

The common checks feed random matrices, which are not purchase histories
(see EXPECTED_FAILED_CHECKS in test_common.py); the same properties are
checked here on summaries that are.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from custseg import CLVEstimator
from custseg.datasets import make_purchase_summary

METHODS = ("predict_proba_alive", "score")


@pytest.fixture(scope="module")
def summary():
    frame = make_purchase_summary(400, random_state=1)
    return frame


def _outputs(estimator, X):
    return {
        "predict_proba_alive": estimator.predict_proba_alive(X),
        "predict_purchases": estimator.predict_purchases(X, 10),
        "score": estimator.score(X),
    }


def _assert_same(first, second):
    for name in first:
        np.testing.assert_allclose(first[name], second[name], rtol=1e-9, err_msg=name)


def test_fit_returns_self_keeps_params_and_is_idempotent(summary):
    estimator = CLVEstimator(spend_model=None, horizon=26)
    params = estimator.get_params()
    assert estimator.fit(summary) is estimator
    assert estimator.get_params() == params
    first = _outputs(estimator, summary)
    state = dict(estimator.__dict__)
    estimator.fit(summary)
    _assert_same(first, _outputs(estimator, summary))
    assert set(estimator.__dict__) == set(state)
    assert estimator.n_features_in_ == 3
    assert list(estimator.feature_names_in_) == ["frequency", "recency", "T"]


def test_pickle_clone_and_unfitted_errors(summary):
    from sklearn.exceptions import NotFittedError

    estimator = CLVEstimator(spend_model=None)
    with pytest.raises(NotFittedError):
        estimator.predict_proba_alive(summary)
    estimator.fit(summary)
    restored = pickle.loads(pickle.dumps(estimator))
    _assert_same(_outputs(estimator, summary), _outputs(restored, summary))
    assert not hasattr(clone(estimator), "params_")


def test_subset_and_order_invariance(summary):
    estimator = CLVEstimator(spend_model=None).fit(summary)
    full = estimator.predict_proba_alive(summary)
    np.testing.assert_allclose(
        estimator.predict_proba_alive(summary.iloc[:37]), full[:37]
    )
    order = np.random.default_rng(0).permutation(len(summary))
    np.testing.assert_allclose(
        estimator.predict_proba_alive(summary.iloc[order]), full[order]
    )
    reordered = CLVEstimator(spend_model=None).fit(summary.iloc[order])
    np.testing.assert_allclose(
        reordered.params_["estimate"], estimator.params_["estimate"], rtol=1e-6
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_arrays_dtypes_read_only_and_fortran(summary, dtype):
    values = summary.to_numpy()
    if dtype is np.int64:  # whole weeks
        values = np.floor(values)
        values[:, 1] = np.where(values[:, 0] > 0, np.maximum(values[:, 1], 1), 0)
    X = np.asfortranarray(values.astype(dtype))
    X.setflags(write=False)
    estimator = CLVEstimator(spend_model=None).fit(X)
    assert np.isfinite(estimator.predict_proba_alive(X)).all()
    with pytest.raises(ValueError, match="features"):
        estimator.predict_proba_alive(X[:, :2])


def test_dataframe_input_is_not_modified_and_pipelines_agree(summary):
    before = summary.copy()
    estimator = CLVEstimator(spend_model=None).fit(summary)
    assert summary.equals(before)
    pipeline = make_pipeline(FunctionTransformer(), CLVEstimator(spend_model=None))
    pipeline.fit(summary)
    assert pipeline.score(summary) == pytest.approx(estimator.score(summary))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_rejected(summary, bad):
    X = summary.to_numpy().copy()
    X[0, 2] = bad
    # NaN: "1 missing or infinite value(s)"; inf: "holds 1 infinite value(s)"
    with pytest.raises(ValueError, match=r"'x2' (has|holds) 1 (missing or )?infinite"):
        CLVEstimator(spend_model=None).fit(X)


def test_feature_names_are_checked(summary):
    estimator = CLVEstimator(spend_model=None).fit(summary)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        estimator.predict_proba_alive(summary.to_numpy())
    with pytest.raises(ValueError, match="feature names"):
        estimator.predict_proba_alive(summary[["T", "recency", "frequency"]])
