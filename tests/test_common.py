"""scikit-learn's common estimator checks, run on every public estimator.

Estimators are discovered from ``custseg.__all__``, so an estimator is
checked the day it is exported. Besides the checks ``parametrize_with_checks``
yields, the checks scikit-learn runs only on its own estimators (parameter
validation, feature names, ``set_output``) run here too.
"""

import inspect

import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import KMeans
from sklearn.utils import estimator_checks
from sklearn.utils.estimator_checks import parametrize_with_checks

import custseg

# Constructor arguments that make an estimator fit the small random data of
# the common checks; estimators absent from this table use their defaults.
CHECK_PARAMS = {
    # three families, two numbers of clusters and two resamples: every code
    # path of the search, at a fraction of the default's cost
    "ClusterSelector": {
        "candidates": ["kmeans", "agglomerative", "gaussian_mixture"],
        "k_range": (2, 3),
        "n_bootstrap": 2,
        "random_state": 0,
    },
    # a fast segmenter with a random_state (set by the checks); the
    # surrogate explanation runs with two repeats
    "SegmentProfiler": {
        "segmenter": KMeans(n_clusters=3, n_init=2),
        "n_repeats": 2,
    },
}

# Checks an estimator fails on purpose, each with the reason. None so far.
EXPECTED_FAILED_CHECKS = {}

EXTRA_CHECKS = ["check_param_validation", "check_dataframe_column_names_consistency"]
EXTRA_TRANSFORMER_CHECKS = [
    "check_transformer_get_feature_names_out",
    "check_transformer_get_feature_names_out_pandas",
    "check_get_feature_names_out_error",
    "check_set_output_transform",
    "check_set_output_transform_pandas",
    "check_global_output_transform_pandas",
]


def _public_estimators():
    for name in custseg.__all__:
        obj = getattr(custseg, name)
        if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
            yield obj(**CHECK_PARAMS.get(name, {}))


ESTIMATORS = list(_public_estimators())


def _extra_checks():
    for estimator in ESTIMATORS:
        names = list(EXTRA_CHECKS)
        if isinstance(estimator, TransformerMixin):
            names += EXTRA_TRANSFORMER_CHECKS
        for name in names:
            yield pytest.param(
                estimator, getattr(estimator_checks, name), id=f"{estimator!r}-{name}"
            )


def test_every_public_estimator_is_checked():
    names = {type(estimator).__name__ for estimator in ESTIMATORS}
    assert {"SurveyPreprocessor", "ClusterSelector", "SegmentProfiler"} <= names


@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator, check", list(_extra_checks()))
def test_sklearn_checks_for_custseg(estimator, check):
    check(type(estimator).__name__, estimator)
