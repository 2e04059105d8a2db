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
    # three folds: the fewest its nested measure of calibrated risks allows
    "ChurnRiskScorer": {"cv": 3, "random_state": 0},
    # the checks' first column as the user id (random numbers: one user per
    # row) and the second as the amount spent; n_events is then 1 for all,
    # kept rather than dropped with a warning
    "BehaviorAggregator": {"user_col": "x0", "spend_col": "x1", "drop_constant": False},
    # a fast segmenter with a random_state (set by the checks); the
    # surrogate explanation runs with two repeats
    "SegmentProfiler": {
        "segmenter": KMeans(n_clusters=3, n_init=2),
        "n_repeats": 2,
    },
}

# Checks an estimator fails on purpose, each with the reason.
#
# CLVEstimator's X is an RFM summary: 3 or 4 columns (frequency, recency, T
# and monetary value) with recency <= T. These checks feed random matrices
# of 2, 5 or 10 columns, or with "recency" above "T", which CLVEstimator
# rejects with an error naming the column, by design: a model fitted to an
# impossible purchase history would be nonsense. tests/test_clv_contract.py
# runs the same properties (idempotence, pickling, subset and order
# invariance, dtypes, read-only input, pipelines, n_features_in_, unchanged
# parameters) on valid summaries instead.
_NOT_AN_RFM_SUMMARY = (
    "random X is not an RFM summary (3-4 columns, recency <= T); the "
    "property is tested on valid summaries in tests/test_clv_contract.py"
)
# BehaviorAggregator's user column is named (user_col): these checks hand it
# DataFrames whose columns they name themselves (col_0, ...), so the user
# column is absent and the aggregator says so. tests/test_behavior.py covers
# DataFrames, set_output and feature names on real logs.
_NAMED_USER_COLUMN = (
    "the check renames the columns, so the named user column is absent; "
    "tested on real logs in tests/test_behavior.py"
)
EXPECTED_FAILED_CHECKS = {
    "BehaviorAggregator": {
        "check_dataframe_column_names_consistency": _NAMED_USER_COLUMN,
        "check_transformer_get_feature_names_out_pandas": _NAMED_USER_COLUMN,
        "check_set_output_transform_pandas": _NAMED_USER_COLUMN,
        "check_global_output_transform_pandas": _NAMED_USER_COLUMN,
    },
    "CLVEstimator": dict.fromkeys(
        [
            "check_fit_score_takes_y",
            "check_estimators_overwrite_params",
            "check_dont_overwrite_parameters",
            "check_estimators_fit_returns_self",
            "check_readonly_memmap_input",
            "check_n_features_in_after_fitting",
            "check_estimators_dtypes",
            "check_dtype_object",
            "check_pipeline_consistency",
            "check_estimators_nan_inf",
            "check_estimators_pickle",
            "check_f_contiguous_array_estimator",
            "check_methods_sample_order_invariance",
            "check_methods_subset_invariance",
            "check_dict_unchanged",
            "check_fit_idempotent",
            "check_fit_check_is_fitted",
            "check_n_features_in",
            "check_fit2d_predict1d",
            "check_dataframe_column_names_consistency",
        ],
        _NOT_AN_RFM_SUMMARY,
    ),
}

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
        expected = EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})
        for name in names:
            marks = []
            if name in expected:
                marks = [pytest.mark.xfail(reason=expected[name], strict=True)]
            yield pytest.param(
                estimator,
                getattr(estimator_checks, name),
                id=f"{estimator!r}-{name}",
                marks=marks,
            )


def test_every_public_estimator_is_checked():
    names = {type(estimator).__name__ for estimator in ESTIMATORS}
    assert {
        "SurveyPreprocessor",
        "ClusterSelector",
        "SegmentProfiler",
        "CLVEstimator",
        "ChurnRiskScorer",
    } <= names


@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
# scikit-learn's checks use labels such as "one"/"two", for which
# ChurnRiskScorer warns that it assumed the churn label
@pytest.mark.filterwarnings("ignore::custseg.exceptions.LabelWarning")
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator, check", list(_extra_checks()))
def test_sklearn_checks_for_custseg(estimator, check):
    check(type(estimator).__name__, estimator)
