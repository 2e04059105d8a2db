"""Edge cases of ClusterSelector found in review, each pinned by a test."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

from custseg import ClusterSelector
from custseg._metrics import ClusterSums, SilhouetteSample
from custseg.exceptions import InvalidInputError


def _selector(*args, **kwargs):
    return ClusterSelector(*args, n_bootstrap=0, random_state=0, **kwargs)


def test_sample_fitted_winner_without_predict_is_not_refitted_and_leaves_no_noise():
    X, _ = make_blobs(3000, centers=3, random_state=0)
    selector = _selector(
        [DBSCAN(eps=0.5, min_samples=4)], search_size=300, quadratic_size=200
    ).fit(X)
    assert len(selector.best_estimator_.labels_) == 300  # fitted on the sample only
    assert (selector.labels_ >= 0).all()
    assert selector.n_clusters_ == selector.results_.loc[0, "n_clusters"]


def test_agglomerative_winner_keeps_its_own_labels_on_its_rows():
    X, _ = make_blobs(400, centers=4, cluster_std=2.5, random_state=3)
    selector = _selector(["agglomerative"], k_range=[4]).fit(X)
    own = selector.best_estimator_.labels_
    # same partition (codes may be renumbered)
    assert len(set(zip(own, selector.labels_, strict=True))) == 4


def test_jackknife_interval_ignores_a_cluster_left_out_entirely():
    X, labels = make_blobs(
        [100, 97, 3], centers=[[0, 0], [20, 0], [0, 20]], random_state=0
    )
    big = np.flatnonzero(labels != 2)[:150]
    tiny = np.flatnonzero(labels == 2)
    # the tiny cluster's rows are adjacent: one jackknife block holds them all
    mean, low, high = SilhouetteSample(X, np.r_[big, tiny]).score(labels)
    assert 0.8 < low < mean < high < 1.0


def test_dbscan_eps_is_positive_on_duplicated_rows():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 3, size=(300, 2)).astype(float)  # 9 distinct rows
    selector = _selector(["kmeans", "dbscan"], k_range=[2, 3]).fit(X)
    dbscan = selector.results_[selector.results_["algorithm"] == "dbscan"].iloc[0]
    assert dbscan["params"]["eps"] > 0
    assert not str(dbscan["reason"]).startswith("failed")


def test_a_failing_bootstrap_keeps_the_candidate():
    X, _ = make_blobs(200, centers=3, random_state=0)
    selector = ClusterSelector(
        ["kmeans"], k_range=[2, 3], n_bootstrap=2, bootstrap_size=2, random_state=0
    ).fit(X)
    row = selector.results_.iloc[1]
    assert row["reason"] is None and np.isfinite(row["silhouette"])
    assert np.isnan(row["stability"]) and row["note"].startswith(
        "stability not computed"
    )


class _FitPredictOnly(ClusterMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self

    def fit_predict(self, X, y=None):
        return KMeans(2, n_init=1, random_state=0).fit_predict(X)


class _Labelled(ClusterMixin, BaseEstimator):
    def __init__(self, names=("a", "b")):
        self.names = names

    def fit(self, X, y=None):
        codes = KMeans(2, n_init=1, random_state=0).fit_predict(X)
        self.labels_ = np.asarray(self.names, dtype=object)[codes]
        return self


@pytest.mark.parametrize(
    "clusterer", [_FitPredictOnly(), _Labelled(), _Labelled(names=(0, 10**11))]
)
def test_any_labels_from_any_clusterer(clusterer):
    X, _ = make_blobs(120, centers=2, random_state=0)
    selector = _selector([clusterer]).fit(X)
    assert selector.n_clusters_ == 2
    assert set(selector.labels_) == {0, 1}


def test_duplicated_k_and_candidates():
    X, _ = make_blobs(300, centers=3, random_state=0)
    selector = _selector(["kmeans"], k_range=[2, 3, 3, 4, 5]).fit(X)
    assert selector.results_["n_clusters"].tolist() == [2, 3, 4, 5]
    assert selector.results_["elbow"].sum() == 1
    with pytest.raises(InvalidInputError, match="'kmeans' more than once"):
        _selector(["kmeans", "kmeans"]).fit(X)


def test_tie_reason_says_how_the_tie_was_broken():
    import pandas as pd

    from custseg._selection import _select

    # silhouette and elbow vote for row 1, Calinski-Harabasz and
    # Davies-Bouldin for row 0: two votes each, equal silhouettes
    results = pd.DataFrame(
        {
            "algorithm": ["kmeans", "kmeans"],
            "params": [{"n_clusters": 4}, {"n_clusters": 3}],
            "n_clusters": [4, 3],
            "silhouette": [0.5, 0.5],
            "calinski_harabasz": [10.0, 9.0],
            "davies_bouldin": [1.0, 2.0],
            "bic": [np.nan, np.nan],
            "stability": [np.nan, np.nan],
            "elbow": [False, True],
            "reason": [None, None],
        }
    )
    winner, votes, reason = _select(results, "vote")
    assert votes.tolist() == [2, 2]
    assert winner == 1  # fewer clusters
    assert "tied on votes and silhouette and has fewer clusters" in reason


def test_indices_stay_accurate_for_tight_distant_clusters():
    rng = np.random.RandomState(0)
    centres = np.array([[0.0, 0.0], [1000.0, 0.0], [0.0, 1000.0]])
    labels = np.repeat([0, 1, 2], 50)
    noise = rng.normal(scale=1e-4, size=(150, 2))
    X = centres[labels] + noise
    sums = ClusterSums(X, labels)
    # by hand, from the offsets of each row to its cluster mean
    means = np.array([X[labels == c].mean(axis=0) for c in range(3)])
    offsets = X - means[labels]
    within = float((offsets**2).sum())
    between = float(
        sum(50 * ((means[c] - X.mean(axis=0)) ** 2).sum() for c in range(3))
    )
    assert sums.within == pytest.approx(within, rel=1e-9)
    assert sums.calinski_harabasz() == pytest.approx(
        between * 147 / (within * 2), rel=1e-6
    )
    spread = np.array(
        [np.linalg.norm(offsets[labels == c], axis=1).mean() for c in range(3)]
    )
    separation = np.linalg.norm(means[:, None] - means[None], axis=2)
    np.fill_diagonal(separation, np.inf)
    expected = np.mean(((spread[:, None] + spread[None]) / separation).max(axis=1))
    assert sums.davies_bouldin() == pytest.approx(expected, rel=1e-9)
    assert (
        calinski_harabasz_score(X, labels) > 0 and davies_bouldin_score(X, labels) > 0
    )


def test_single_pair_tuple_nan_input_and_early_rule_checks():
    X, _ = make_blobs(100, centers=2, random_state=0)
    selector = _selector(
        (KMeans(n_init=2, random_state=0), {"n_clusters": [2, 3]})
    ).fit(X)
    assert len(selector.results_) == 2
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(InvalidInputError, match="ClusterSelector.fit: .*NaN"):
        _selector().fit(bad)
    with pytest.raises(InvalidInputError, match="needs n_bootstrap > 0"):
        ClusterSelector(selection="stability", n_bootstrap=0).fit(X)


# --- found by tests/test_fuzz.py -------------------------------------------


def test_input_errors_name_the_column():
    import pandas as pd

    selector = ClusterSelector(["kmeans"], k_range=(2,), n_bootstrap=0)
    with pytest.raises(InvalidInputError, match="'plan' hold text"):
        selector.fit(pd.DataFrame({"a": [1.0, 2.0], "plan": ["x", "y"]}))
    with pytest.raises(InvalidInputError, match="'x1' of X hold values that are not"):
        selector.fit([[1.0, "x"], [2.0, "y"]])
    with pytest.raises(InvalidInputError, match="0 feature"):
        selector.fit(pd.DataFrame(index=range(3)))
    with pytest.raises(InvalidInputError, match="NaN or infinite values in column"):
        selector.fit([[1.0, np.inf], [2.0, 3.0], [0.0, 1.0]])
    # squared distances would overflow: named, not an error of the neighbours
    with pytest.raises(InvalidInputError, match="'a' of X hold values beyond"):
        ClusterSelector(["dbscan"], n_bootstrap=0).fit(
            pd.DataFrame({"a": [1e230, -1e230, 3.0, 4.0], "b": [0.0, 1.0, 2.0, 3.0]})
        )
    fitted = selector.set_params(random_state=0).fit([[0.0], [0.1], [5.0], [5.2]])
    with pytest.raises(InvalidInputError, match="ClusterSelector.predict: .*'x0'"):
        fitted.predict([["text"]])
