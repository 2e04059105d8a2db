"""Cluster validity indices that scale to millions of rows.

Calinski-Harabasz, Davies-Bouldin and the within-cluster sum of squares are
computed from per-cluster centroids and distances, chunk by chunk (the same
values as scikit-learn's functions, without their per-cluster copies). The silhouette
needs all pairwise distances, so :class:`SilhouetteSample` computes the
distances of one sample once and scores any number of labelings of it with a
matrix product; when the sample is the whole data set the silhouette is
exact. Noise points (label -1) are left out of every index.
"""

import numpy as np
from scipy import sparse
from sklearn.metrics import pairwise_distances

# Rows per chunk when a per-row quantity needs a temporary (n_rows, n_features)
# array: bounds the memory of the Davies-Bouldin distances.
_CHUNK_ROWS = 65_536


def label_codes(labels):
    """Cluster codes 0..k-1 of any labels; negative numbers (noise) become -1.

    Returns
    -------
    codes : ndarray of int64
    clusters : ndarray
        The original label of each code.
    """
    labels = np.asarray(labels)
    if labels.dtype.kind in "iub":
        noise = labels < 0
    elif labels.dtype.kind == "f":
        noise = ~(labels >= 0)  # negative or NaN
    else:
        noise = np.zeros(len(labels), dtype=bool)
    codes = np.full(len(labels), -1, dtype=np.int64)
    clusters, codes[~noise] = np.unique(labels[~noise], return_inverse=True)
    return codes, clusters


class ClusterSums:
    """Per-cluster counts, centroids and spreads of a labelled data set.

    Squared distances are computed directly (x - centroid), chunk by chunk,
    so the indices stay accurate for tight, distant clusters; they are
    computed when first asked for.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The data.
    labels : array-like of shape (n_samples,)
        Cluster of each row (any labels); negative numbers mark noise, which
        is left out.

    Attributes
    ----------
    clusters : ndarray
        The cluster labels present (noise excluded), sorted.
    counts : ndarray of shape (n_clusters,)
    centroids : ndarray of shape (n_clusters, n_features)
    n_samples : int
        Rows that are not noise.
    """

    def __init__(self, X, labels):
        codes, self.clusters = label_codes(labels)
        keep = codes >= 0
        if not keep.all():
            X, codes = X[keep], codes[keep]
        self.n_samples = len(codes)
        n_clusters = len(self.clusters)
        self.counts = np.bincount(codes, minlength=n_clusters).astype(np.float64)
        indicator = sparse.csr_matrix(
            (np.ones(len(codes)), (codes, np.arange(len(codes)))),
            shape=(n_clusters, len(codes)),
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            self.centroids = np.asarray(indicator @ X) / self.counts[:, None]
        self._X, self._codes = X, codes
        self._spreads = None

    @property
    def n_clusters(self):
        return len(self.clusters)

    def _distances(self):
        """Per cluster: sum of squared distances and of distances to the centroid."""
        if self._spreads is None:
            squared = np.zeros(self.n_clusters)
            plain = np.zeros(self.n_clusters)
            for start in range(0, self.n_samples, _CHUNK_ROWS):
                codes = self._codes[start : start + _CHUNK_ROWS]
                offsets = self._X[start : start + _CHUNK_ROWS] - self.centroids[codes]
                rows = np.einsum("ij,ij->i", offsets, offsets)
                squared += np.bincount(codes, weights=rows, minlength=self.n_clusters)
                plain += np.bincount(
                    codes, weights=np.sqrt(rows), minlength=self.n_clusters
                )
            self._spreads = squared, plain
        return self._spreads

    @property
    def within(self):
        """Within-cluster sum of squared distances (the K-means inertia)."""
        return float(self._distances()[0].sum())

    @property
    def between(self):
        """Between-cluster sum of squares: sum of counts * ||centroid - mean||^2."""
        mean = self.counts @ self.centroids / self.n_samples
        offsets = self.centroids - mean
        return float(self.counts @ np.einsum("ij,ij->i", offsets, offsets))

    def calinski_harabasz(self):
        """Calinski-Harabasz index (variance ratio criterion); higher is better."""
        k, n = self.n_clusters, self.n_samples
        within = self.within
        if within == 0.0:
            return 1.0
        return self.between * (n - k) / (within * (k - 1))

    def davies_bouldin(self):
        """Davies-Bouldin index; lower is better."""
        spread = self._distances()[1] / self.counts
        separation = pairwise_distances(self.centroids)
        if np.allclose(spread, 0) or np.allclose(separation, 0):
            return 0.0
        separation[separation == 0] = np.inf
        ratios = (spread[:, None] + spread[None, :]) / separation
        np.fill_diagonal(ratios, -np.inf)
        return float(np.mean(ratios.max(axis=1)))


class SilhouetteSample:
    """Silhouette scores of many labelings of one sample of rows.

    The pairwise distances of the sample are computed once; each labeling
    then costs one matrix product. With ``sample_size >= n_samples`` the
    sample is the whole data and the silhouette is exact (equal to
    :func:`sklearn.metrics.silhouette_score`); otherwise it is the silhouette
    of a uniform random sample of rows (as ``silhouette_score`` with
    ``sample_size``), with a 95% confidence interval (see :meth:`score`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    rows : ndarray of int
        The rows of the sample, in random order (consecutive blocks serve as
        the jackknife groups of :meth:`score`); all rows for an exact score.
        :meth:`draw` draws them.
    """

    def __init__(self, X, rows):
        self.rows = np.asarray(rows)
        self.exact = len(self.rows) == len(X)
        # a sampled silhouette is an estimate whose interval is far wider than
        # float32 rounding: single precision halves memory and time
        dtype = np.float64 if self.exact else np.float32
        self._distances = pairwise_distances(X[self.rows].astype(dtype))

    @classmethod
    def draw(cls, X, sample_size, random_state):
        """A uniform sample of ``sample_size`` rows, or all rows if fewer."""
        n = len(X)
        if sample_size >= n:
            return cls(X, np.arange(n))
        return cls(X, random_state.choice(n, sample_size, replace=False))

    def per_row(self, labels):
        """Silhouette of each sampled row under ``labels`` (all rows' labels).

        Returns
        -------
        values : ndarray
            One value per sampled row that is not noise; NaN when there are
            fewer than 2 clusters among them.
        rows : ndarray of int
            Those rows' indices in the data.
        """
        parts = self._labelled(labels)
        if parts is None:
            keep = labels[self.rows] >= 0
            return np.full(int(keep.sum()), np.nan), self.rows[keep]
        rows, distances, indicator, codes = parts
        totals = distances @ indicator
        return _silhouette_values(totals, indicator.sum(axis=0), codes), rows

    def _labelled(self, labels):
        sampled = labels[self.rows]
        keep = sampled >= 0
        rows, sampled = self.rows[keep], sampled[keep]
        distances = (
            self._distances if keep.all() else self._distances[np.ix_(keep, keep)]
        )
        clusters, codes = np.unique(sampled, return_inverse=True)
        if not 2 <= len(clusters) < len(sampled):
            return None
        indicator = np.zeros((len(sampled), len(clusters)), dtype=distances.dtype)
        indicator[np.arange(len(sampled)), codes] = 1.0
        return rows, distances, indicator, codes

    def score(self, labels, n_groups=10):
        """Mean silhouette and its 95% confidence interval (NaNs when exact).

        The interval of a sampled silhouette comes from a delete-a-group
        jackknife (the randomly ordered sample split into ``n_groups`` blocks,
        each left out in turn, from the rows scored and from the rows they
        are compared with), so it covers both which rows were sampled and
        the noise in their distances to the sampled clusters.
        """
        parts = self._labelled(labels)
        if parts is None:
            return np.nan, np.nan, np.nan
        _, distances, indicator, codes = parts
        totals = distances @ indicator
        counts = indicator.sum(axis=0)
        mean = float(_silhouette_values(totals, counts, codes).mean())
        if self.exact:
            return mean, np.nan, np.nan
        bounds = np.linspace(0, len(codes), n_groups + 1).astype(int)
        estimates = []
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            left_out = slice(start, stop)
            keep = np.ones(len(codes), dtype=bool)
            keep[left_out] = False
            kept_totals = (totals - distances[:, left_out] @ indicator[left_out])[keep]
            kept_counts = counts - indicator[left_out].sum(axis=0)
            if np.count_nonzero(kept_counts) < 2:
                return mean, np.nan, np.nan
            values = _silhouette_values(kept_totals, kept_counts, codes[keep])
            estimates.append(values.mean())
        estimates = np.asarray(estimates)
        half_width = 1.96 * np.sqrt(
            (n_groups - 1) / n_groups * np.sum((estimates - estimates.mean()) ** 2)
        )
        return mean, float(mean - half_width), float(mean + half_width)


def _silhouette_values(totals, counts, codes):
    """Per-row silhouettes from summed distances to each cluster.

    ``totals[i, c]`` is the sum of distances of row i to the rows of cluster
    c, ``counts[c]`` the size of c and ``codes[i]`` the cluster of row i.
    """
    n = len(codes)
    own_count = counts[codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = totals[np.arange(n), codes] / (own_count - 1)
        means = totals / counts
    means[:, counts == 0] = np.inf  # a cluster left out entirely is no neighbour
    means[np.arange(n), codes] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (b - a) / np.maximum(a, b)
    # a row alone in its cluster scores 0, as in scikit-learn
    values[own_count <= 1] = 0.0
    return np.nan_to_num(values, nan=0.0)


def knee_index(x, y):
    """Index of the knee of a decreasing curve, or None if it has none.

    The knee is the point farthest below the straight line from the first to
    the last point, after scaling both axes to 0..1 (the "kneedle" criterion
    of Satopaa et al., 2011, for a convex decreasing curve). A straight or
    concave curve has no knee.

    Parameters
    ----------
    x : array-like
        Increasing positions (numbers of clusters).
    y : array-like
        Values at those positions (within-cluster sums of squares).

    Returns
    -------
    index : int or None

    Examples
    --------
    >>> from custseg._metrics import knee_index
    >>> knee_index([1, 2, 3, 4, 5], [100, 40, 30, 25, 22])
    1
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    x_scaled = (x - x.min()) / np.ptp(x)
    y_scaled = (y - y.min()) / np.ptp(y)
    chord = y_scaled[0] + (y_scaled[-1] - y_scaled[0]) * x_scaled
    gap = chord - y_scaled
    best = int(np.argmax(gap))
    if gap[best] <= 1e-12:
        return None
    return best


def adjusted_rand(labels_a, labels_b):
    """Adjusted Rand index of two labelings (Hubert and Arabie, 1985).

    The same value as :func:`sklearn.metrics.adjusted_rand_score`, computed
    from the contingency table in a few vectorised steps: the bootstrap of
    ClusterSelector calls it hundreds of times on small label vectors, where
    the general function's input checks dominate.

    Examples
    --------
    >>> from custseg._metrics import adjusted_rand
    >>> adjusted_rand([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    _, a = np.unique(labels_a, return_inverse=True)
    _, b = np.unique(labels_b, return_inverse=True)
    n = len(a)
    table = np.bincount(a * (b.max() + 1) + b, minlength=(a.max() + 1) * (b.max() + 1))

    def pairs(counts):
        counts = counts.astype(np.float64)
        return float(np.sum(counts * (counts - 1) / 2))

    together = pairs(table)
    rows = pairs(np.bincount(a))
    columns = pairs(np.bincount(b))
    expected = rows * columns / (n * (n - 1) / 2) if n > 1 else 0.0
    maximum = (rows + columns) / 2
    if maximum == expected:
        return 1.0
    return (together - expected) / (maximum - expected)
