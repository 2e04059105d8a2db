"""Tests of ClusterSelector: choices on known structure, degenerate and bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from custseg import ClusterSelector
from custseg.exceptions import InputTypeError, InvalidInputError


@pytest.fixture(scope="module")
def four_blobs():
    return make_blobs(1200, n_features=8, centers=4, cluster_std=1.5, random_state=3)


def test_default_search_finds_four_groups_and_explains(four_blobs):
    X, y = four_blobs
    selector = ClusterSelector(n_bootstrap=3, random_state=0).fit(X)
    assert selector.n_clusters_ == 4
    assert adjusted_rand_score(y, selector.labels_) > 0.95
    results = selector.results_
    assert set(results["algorithm"]) == {
        "kmeans",
        "agglomerative",
        "gaussian_mixture",
        "dbscan",
        "hdbscan",
    }
    expected = {
        "algorithm",
        "params",
        "n_clusters",
        "noise_share",
        "silhouette",
        "silhouette_low",
        "silhouette_high",
        "davies_bouldin",
        "calinski_harabasz",
        "inertia",
        "elbow",
        "bic",
        "stability",
        "votes",
        "fit_rows",
        "fit_seconds",
        "reason",
    }
    assert expected <= set(results.columns)
    assert results.loc[selector.best_index_, "votes"] == results["votes"].max()
    assert "won" in selector.selection_reason_ and "votes" in selector.selection_reason_
    assert results["bic"].notna().sum() == 8  # the eight Gaussian mixtures
    assert results.loc[results["algorithm"] == "kmeans", "elbow"].sum() == 1
    np.testing.assert_array_equal(selector.predict(X), selector.labels_)


def test_each_single_index_rule(four_blobs):
    X, _ = four_blobs
    base = ClusterSelector(["kmeans"], n_bootstrap=2, random_state=0)
    for rule in (
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "elbow",
        "stability",
    ):
        selector = clone(base).set_params(selection=rule).fit(X)
        results = selector.results_
        if rule == "elbow":
            assert results.loc[selector.best_index_, "elbow"]
        elif rule == "davies_bouldin":
            assert selector.best_index_ == results[rule].idxmin()
        else:
            assert selector.best_index_ == results[rule].idxmax()
        assert f"selection={rule!r}" in selector.selection_reason_
    with pytest.raises(
        InvalidInputError, match="selection='bic' ranks Gaussian mixtures"
    ):
        clone(base).set_params(selection="bic").fit(X)


def test_vote_matches_indices_computed_by_hand(four_blobs):
    X, _ = four_blobs
    selector = ClusterSelector(
        ["kmeans"], k_range=[2, 3, 4, 5, 6], n_bootstrap=0, random_state=1
    ).fit(X)
    results = selector.results_
    choices = [
        results["silhouette"].idxmax(),
        results["calinski_harabasz"].idxmax(),
        results["davies_bouldin"].idxmin(),
        results.index[results["elbow"]][0],
    ]
    assert results["votes"].tolist() == [choices.count(i) for i in results.index]


def test_degenerate_candidates_stay_with_a_reason():
    X, _ = make_blobs(200, n_features=3, centers=3, random_state=0)
    selector = ClusterSelector(
        [
            (KMeans(n_init=2, random_state=0), {"n_clusters": [3]}),
            (DBSCAN(eps=1e-6), {}),
        ],
        n_bootstrap=0,
    ).fit(X)
    dbscan = selector.results_.iloc[1]
    assert dbscan["reason"] == "every row is noise"
    assert dbscan["noise_share"] == 1.0 and np.isnan(dbscan["silhouette"])
    assert selector.best_index_ == 0


class _Broken(ClusterMixin, BaseEstimator):
    def fit(self, X, y=None):
        raise RuntimeError("boom")


def test_failing_candidate_does_not_end_the_search():
    X, _ = make_blobs(200, n_features=3, centers=3, random_state=0)
    selector = ClusterSelector(
        [_Broken(), "kmeans"], k_range=[3], n_bootstrap=0, random_state=0
    ).fit(X)
    assert selector.results_.iloc[0]["reason"] == "failed: RuntimeError: boom"
    assert selector.n_clusters_ == 3


def test_all_candidates_degenerate_is_an_error():
    X, _ = make_blobs(100, n_features=3, centers=3, random_state=0)
    with pytest.raises(
        InvalidInputError,
        match="no candidate can be selected.*every row is noise",
    ):
        ClusterSelector([DBSCAN(eps=1e-9)], n_bootstrap=0).fit(X)


def test_winner_without_predict_assigns_new_rows_to_nearest_centre(four_blobs):
    X, y = four_blobs
    selector = ClusterSelector(
        [(AgglomerativeClustering(), {"n_clusters": [4]})], n_bootstrap=0
    ).fit(X)
    assert not hasattr(selector.best_estimator_, "predict")
    centres = np.array([X[selector.labels_ == c].mean(axis=0) for c in range(4)])
    np.testing.assert_allclose(selector.cluster_centers_, centres)
    new = X[:50] + 0.01
    nearest = np.argmin(((new[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(selector.predict(new), nearest)


def test_large_data_path_fits_on_samples_and_refits_the_winner():
    X, y = make_blobs(6000, n_features=5, centers=4, cluster_std=1.0, random_state=7)
    selector = ClusterSelector(
        search_size=1500, quadratic_size=600, n_bootstrap=2, random_state=0
    ).fit(X)
    results = selector.results_
    assert set(results.loc[results["algorithm"] == "kmeans", "fit_rows"]) == {1500}
    assert set(results.loc[results["algorithm"] == "agglomerative", "fit_rows"]) == {
        600
    }
    assert results["silhouette_low"].notna().all() or results["reason"].notna().any()
    assert len(selector.silhouette_rows_) == 600
    assert selector.labels_.shape == (6000,)
    assert selector.n_clusters_ == 4
    assert adjusted_rand_score(y, selector.labels_) > 0.95


def test_reproducible_under_random_state(four_blobs):
    X, _ = four_blobs
    first = ClusterSelector(
        n_bootstrap=2, search_size=500, quadratic_size=300, random_state=5
    ).fit(X)
    second = ClusterSelector(
        n_bootstrap=2, search_size=500, quadratic_size=300, random_state=5
    ).fit(X)
    numbers = first.results_.select_dtypes("number").drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(
        numbers, second.results_.select_dtypes("number").drop(columns="fit_seconds")
    )
    np.testing.assert_array_equal(first.labels_, second.labels_)


def test_parallel_gives_the_same_results(four_blobs):
    X, _ = four_blobs
    params = {
        "candidates": ["kmeans", "agglomerative"],
        "n_bootstrap": 2,
        "random_state": 0,
    }
    serial = ClusterSelector(**params).fit(X)
    parallel = ClusterSelector(n_jobs=2, **params).fit(X)
    np.testing.assert_array_equal(serial.labels_, parallel.labels_)
    np.testing.assert_allclose(
        serial.results_["silhouette"], parallel.results_["silhouette"]
    )


def test_user_grid_is_cloned_not_fitted():
    X, _ = make_blobs(150, n_features=3, centers=2, random_state=0)
    mine = KMeans(n_init=2, random_state=0)
    selector = ClusterSelector([(mine, {"n_clusters": [2, 3]})], n_bootstrap=0).fit(X)
    assert not hasattr(mine, "cluster_centers_")
    assert selector.best_params_ == {"n_clusters": 2}
    assert selector.best_estimator_ is not mine


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "X, params, error, match",
    [
        (
            np.random.RandomState(0).rand(3, 2),
            {"k_range": [4, 5]},
            InvalidInputError,
            "3 rows are too few for 4 clusters",
        ),
        (np.ones((20, 3)), {}, InvalidInputError, "all 20 rows are identical"),
        (
            np.random.RandomState(0).rand(20, 2),
            {"k_range": [1, 2]},
            InvalidInputError,
            "whole numbers >= 2",
        ),
        (
            np.random.RandomState(0).rand(20, 2),
            {"k_range": []},
            InvalidInputError,
            "k_range",
        ),
        (
            np.random.RandomState(0).rand(20, 2),
            {"candidates": ["kmeans", "spectral"]},
            InvalidInputError,
            "unknown algorithm 'spectral'",
        ),
        (
            np.random.RandomState(0).rand(20, 2),
            {"candidates": [object()]},
            InputTypeError,
            "not a clusterer",
        ),
        (
            np.random.RandomState(0).rand(20, 2),
            {"candidates": [KMeans]},
            InputTypeError,
            "not a clusterer instance",
        ),
        (
            np.random.RandomState(0).rand(20, 2),
            {"candidates": [(KMeans(), {"colour": [1]})]},
            InvalidInputError,
            "no parameter",
        ),
    ],
)
def test_bad_input_is_a_clear_error(X, params, error, match):
    with pytest.raises(error, match=match):
        ClusterSelector(n_bootstrap=0, **params).fit(X)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_missing_or_infinite_values_are_an_error(bad):
    X = np.random.RandomState(0).rand(20, 2)
    X[3, 1] = bad
    with pytest.raises(ValueError, match="NaN|infinity"):
        ClusterSelector(n_bootstrap=0).fit(X)


def test_unknown_selection_is_a_parameter_error():
    with pytest.raises(ValueError, match="selection"):
        ClusterSelector(selection="gap").fit(np.random.RandomState(0).rand(20, 2))
