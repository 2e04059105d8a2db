"""The scalable indices equal scikit-learn's, and the knee is where it should be."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_samples,
    silhouette_score,
)

from custseg._metrics import ClusterSums, SilhouetteSample, adjusted_rand, knee_index


@pytest.fixture(scope="module")
def blobs():
    X, _ = make_blobs(700, n_features=6, centers=4, random_state=0)
    return X


@pytest.mark.parametrize("k", [2, 3, 5, 8])
def test_indices_equal_scikit_learn(blobs, k):
    model = KMeans(k, n_init=3, random_state=0).fit(blobs)
    labels = model.labels_
    sums = ClusterSums(blobs, labels)
    assert sums.calinski_harabasz() == pytest.approx(
        calinski_harabasz_score(blobs, labels), rel=1e-10
    )
    assert sums.davies_bouldin() == pytest.approx(
        davies_bouldin_score(blobs, labels), rel=1e-10
    )
    assert sums.within == pytest.approx(model.inertia_, rel=1e-10)
    exact = SilhouetteSample.draw(blobs, 10_000, np.random.RandomState(0))
    assert exact.exact
    mean, low, high = exact.score(labels)
    assert mean == pytest.approx(silhouette_score(blobs, labels), abs=1e-12)
    assert np.isnan(low) and np.isnan(high)
    values, rows = exact.per_row(labels)
    np.testing.assert_allclose(values, silhouette_samples(blobs, labels), atol=1e-12)
    np.testing.assert_array_equal(rows, np.arange(len(blobs)))


def test_noise_rows_are_left_out(blobs):
    labels = KMeans(3, n_init=3, random_state=0).fit(blobs).labels_.copy()
    labels[::7] = -1
    keep = labels >= 0
    sums = ClusterSums(blobs, labels)
    assert sums.n_samples == keep.sum()
    assert sums.calinski_harabasz() == pytest.approx(
        calinski_harabasz_score(blobs[keep], labels[keep])
    )
    silhouette = SilhouetteSample.draw(blobs, 10_000, np.random.RandomState(0))
    assert silhouette.score(labels)[0] == pytest.approx(
        silhouette_score(blobs[keep], labels[keep])
    )


def test_singleton_cluster_scores_zero_like_scikit_learn(blobs):
    labels = KMeans(3, n_init=3, random_state=0).fit(blobs).labels_.copy()
    labels[0] = 99
    silhouette = SilhouetteSample.draw(blobs, 10_000, np.random.RandomState(0))
    assert silhouette.score(labels)[0] == pytest.approx(silhouette_score(blobs, labels))


def test_sampled_silhouette_interval_covers_the_exact_value():
    X, _ = make_blobs(6000, n_features=5, centers=3, cluster_std=3.0, random_state=1)
    labels = KMeans(3, n_init=3, random_state=0).fit(X).labels_
    exact = silhouette_score(X, labels)
    covered = 0
    for seed in range(20):
        sample = SilhouetteSample.draw(X, 800, np.random.RandomState(seed))
        assert not sample.exact and len(sample.rows) == 800
        mean, low, high = sample.score(labels)
        assert low < mean < high
        covered += low <= exact <= high
    assert covered >= 16  # a 95% interval: about 19 of 20 expected


def test_all_noise_and_single_cluster():
    X = np.arange(20.0).reshape(10, 2)
    sums = ClusterSums(X, np.full(10, -1))
    assert sums.n_clusters == 0 and sums.n_samples == 0
    silhouette = SilhouetteSample.draw(X, 100, np.random.RandomState(0))
    assert np.isnan(silhouette.score(np.zeros(10, dtype=int))[0])


def test_knee_of_a_hand_made_curve():
    assert knee_index([1, 2, 3, 4, 5], [100, 40, 30, 25, 22]) == 1
    assert knee_index([2, 3, 4, 5, 6, 7], [50, 30, 10, 9, 8, 7]) == 2
    assert knee_index([1, 2, 3], [3, 2, 1]) is None  # a straight line
    assert knee_index([1, 2, 3], [3, 2.9, 0]) is None  # concave
    assert knee_index([1, 2], [2, 1]) is None


def test_adjusted_rand_equals_scikit_learn():
    rng = np.random.RandomState(0)
    for _ in range(50):
        n = rng.randint(2, 300)
        a = rng.randint(0, rng.randint(1, 6), n)
        b = np.where(rng.rand(n) < 0.7, a, rng.randint(-1, 4, n))
        assert adjusted_rand(a, b) == pytest.approx(
            adjusted_rand_score(a, b), abs=1e-12
        )
    assert adjusted_rand([0, 0, 0], [1, 1, 1]) == adjusted_rand_score(
        [0, 0, 0], [1, 1, 1]
    )
    assert adjusted_rand([0, 1, 2], [0, 1, 2]) == 1.0
