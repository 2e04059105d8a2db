"""ClusterSelector: choose the clustering algorithm and the number of segments."""

import tempfile
import time
from numbers import Integral

import joblib
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, _fit_context, clone
from sklearn.metrics import pairwise_distances_argmin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from ._candidates import build_candidates, density_candidate
from ._metrics import (
    ClusterSums,
    SilhouetteSample,
    adjusted_rand,
    knee_index,
    label_codes,
)
from ._state import PandasFreeState
from ._validation import check_magnitude, check_numbers, format_values
from .exceptions import InvalidInputError

# Advice when X holds text: clustering needs numbers.
_ENCODE_FIRST = (
    "Clustering needs numbers: put SurveyPreprocessor() before ClusterSelector "
    "in a Pipeline to encode answers."
)

# How each index ranks candidates: +1 higher is better, -1 lower is better.
INDEX_DIRECTION = {
    "silhouette": 1,
    "calinski_harabasz": 1,
    "davies_bouldin": -1,
    "bic": -1,
    "stability": 1,
}
SELECTIONS = ("vote", "elbow", *INDEX_DIRECTION)
# Density candidates leaving more rows than this as noise are scored but not
# selected: too many of their segments' members were only assigned.
MAX_NOISE_SHARE = 0.10
VOTERS = ("silhouette", "calinski_harabasz", "davies_bouldin", "elbow")
_INDEX_NAMES = {
    "silhouette": "highest silhouette",
    "calinski_harabasz": "highest Calinski-Harabasz index",
    "davies_bouldin": "lowest Davies-Bouldin index",
    "bic": "lowest BIC",
    "stability": "highest bootstrap stability",
    "elbow": "elbow of the within-cluster sum of squares",
}


class ClusterSelector(PandasFreeState, ClusterMixin, BaseEstimator):
    """Choose a clustering algorithm and number of segments, and say why.

    Every candidate (an algorithm with one setting, for example K-means with
    4 clusters) is fitted on a clone and scored with several validity
    indices; a documented rule picks the winner, which then labels every row
    and new customers.

    Parameters
    ----------
    candidates : "auto", str or list, default="auto"
        What to try. "auto" tries K-means, agglomerative clustering (Ward),
        Gaussian mixtures (each for every number in ``k_range``), DBSCAN and
        HDBSCAN (with parameters chosen from the data). A list may mix family
        names ("kmeans", "agglomerative", "agglomerative_average",
        "agglomerative_complete", "agglomerative_single",
        "gaussian_mixture", "dbscan", "hdbscan"), unfitted scikit-learn
        clusterers and ``(clusterer, param_grid)`` pairs, for example
        ``[("kmeans"), (Birch(), {"n_clusters": [3, 4]})]``.
    k_range : sequence of int, default=(2, 3, 4, 5, 6, 7, 8, 9)
        Numbers of clusters tried by the families that take one.
    selection : str, default="vote"
        How the winner is chosen. "vote": each of the silhouette (highest),
        Calinski-Harabasz (highest), Davies-Bouldin (lowest) and the elbow of
        the K-means within-cluster sum of squares votes for one candidate;
        most votes wins, ties go to the higher silhouette, then to fewer
        clusters. Or one criterion alone: "silhouette",
        "calinski_harabasz", "davies_bouldin", "elbow" (of K-means, or
        without K-means candidates of the first family whose curve has a
        knee), "bic" (Gaussian mixtures only) or "stability". Each voter's
        own ties go to fewer clusters.
    search_size : int or None, default=10_000
        When the data has more rows, candidates are fitted and scored on a
        uniform random sample of this many rows; only the winner is then
        refitted on all rows (warm-started from its sample fit; agglomerative
        and density winners assign the other rows to the nearest segment
        centre). None searches on all rows.
    quadratic_size : int, default=3_000
        Rows for what grows with the square of the number of rows: the
        agglomerative and density candidates are fitted on at most this many
        rows of the search sample (the other rows are assigned to the nearest
        segment centre), and the silhouette is computed on this many rows
        (exactly when the search sample is not larger).
    n_bootstrap : int, default=10
        Bootstrap resamples for the stability score: each candidate is
        refitted on each resample (rows drawn with replacement from its fit
        rows) and compared with its own labels by the adjusted Rand index.
        0 skips stability.
    bootstrap_size : int, default=500
        Rows per resample (at most the candidate's fit rows).
    n_jobs : int or None, default=None
        Candidates fitted in parallel through joblib (so a joblib backend
        such as dask's can spread them).
    random_state : int, RandomState instance or None, default=None
        Seeds the samples, the resamples and the built-in clusterers.
    verbose : int, default=0
        Progress messages from joblib while candidates are fitted.

    Attributes
    ----------
    results_ : DataFrame
        One row per candidate: ``algorithm``, ``params``, ``n_clusters``,
        ``noise_share``, ``silhouette`` with ``silhouette_low`` and
        ``silhouette_high`` (95% interval when sampled), ``davies_bouldin``,
        ``calinski_harabasz``, ``inertia`` (within-cluster sum of squares),
        ``elbow`` (True at the knee of its family's curve), ``bic``,
        ``stability``, ``votes``, ``fit_rows`` and ``scored_rows`` (rows it
        was fitted and scored on), ``fit_seconds``, ``reason`` (why a
        degenerate or failed candidate has no scores, or cannot win) and
        ``note`` (for example why stability could not be computed).
    best_index_ : int
        Row of the winner in ``results_``.
    best_estimator_ : estimator
        The winner, fitted.
    best_params_ : dict
        Its parameters from the grid.
    labels_ : ndarray of shape (n_samples,)
        Segment of each row; every row has one (see Notes).
    n_clusters_ : int
        Number of segments found.
    cluster_centers_ : ndarray of shape (``n_clusters_``, n_features)
        Mean of each segment, used by ``predict`` when the winner cannot.
    selection_reason_ : str
        Why the winner won, in words.
    silhouette_rows_ : ndarray of int
        Rows the silhouette was computed on (all rows when exact).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        When fitted on a DataFrame with string column names.

    See Also
    --------
    custseg.SurveyPreprocessor : Encodes survey answers for clustering.

    Notes
    -----
    Every row gets a segment: rows a density method (DBSCAN, HDBSCAN) calls
    noise join the cluster with the nearest centre, so that the scores and
    ``labels_`` describe the same complete segmentation;
    ``noise_share`` reports the share the method itself left as noise, and a
    candidate leaving more than 10% as noise is not selected.

    Indices are computed on the search sample (all rows when the data has at
    most ``search_size`` rows): Calinski-Harabasz, Davies-Bouldin and the
    within-cluster sum of squares exactly, from per-cluster sums; the
    silhouette exactly when the search sample has at most ``quadratic_size``
    rows, else on a uniform sample of that many with a 95% confidence
    interval (delete-a-group jackknife). BIC is computed on the rows a
    mixture was fitted on. Candidates giving fewer than two clusters (all
    noise, or one cluster) or failing to fit stay in ``results_`` with
    missing scores and the reason; they are never selected.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from custseg import ClusterSelector
    >>> X, _ = make_blobs(300, centers=3, random_state=0)
    >>> selector = ClusterSelector(candidates=["kmeans"], k_range=range(2, 6),
    ...                            n_bootstrap=0, random_state=0).fit(X)
    >>> selector.n_clusters_
    3
    >>> selector.results_[["n_clusters", "silhouette", "votes"]].round(2)
       n_clusters  silhouette  votes
    0           2        0.45      0
    1           3        0.48      4
    2           4        0.41      0
    3           5        0.39      0
    """

    _parameter_constraints = {
        "candidates": [str, list, tuple],
        "k_range": ["array-like"],
        "selection": [StrOptions(set(SELECTIONS))],
        "search_size": [Interval(Integral, 2, None, closed="left"), None],
        "quadratic_size": [Interval(Integral, 2, None, closed="left")],
        "n_bootstrap": [Interval(Integral, 0, None, closed="left")],
        "bootstrap_size": [Interval(Integral, 2, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        candidates="auto",
        *,
        k_range=(2, 3, 4, 5, 6, 7, 8, 9),
        selection="vote",
        search_size=10_000,
        quadratic_size=3_000,
        n_bootstrap=10,
        bootstrap_size=500,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.candidates = candidates
        self.k_range = k_range
        self.selection = selection
        self.search_size = search_size
        self.quadratic_size = quadratic_size
        self.n_bootstrap = n_bootstrap
        self.bootstrap_size = bootstrap_size
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit and score every candidate, choose one, label every row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric data without missing values, for example the output of
            :class:`~custseg.SurveyPreprocessor` followed by PCA.
        y : None
            Ignored.

        Returns
        -------
        self : ClusterSelector
        """
        X = check_numbers(
            self, X, reset=True, ensure_min_samples=2, text_hint=_ENCODE_FIRST
        )
        if self.selection == "stability" and self.n_bootstrap == 0:
            raise InvalidInputError(
                "ClusterSelector.fit: selection='stability' needs n_bootstrap > 0."
            )
        n_rows = len(X)
        k_range = self._check_k_range(n_rows)
        if np.all(np.ptp(X, axis=0) == 0):
            raise InvalidInputError(
                f"ClusterSelector.fit: all {n_rows} rows are identical; there is "
                "nothing to segment."
            )
        check_magnitude(self, X, "whose squared distances would overflow")
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        # Search on a sample, confirm on all rows: candidates are fitted and
        # scored on the search sample (all rows when the data is small);
        # only the winner labels every row.
        search_rows = _sample(n_rows, self.search_size, rng)
        X_search = X if len(search_rows) == n_rows else X[search_rows]
        quadratic = _sample(len(X_search), self.quadratic_size, rng)
        silhouette = SilhouetteSample.draw(X_search, self.quadratic_size, rng)
        self.silhouette_rows_ = search_rows[silhouette.rows]

        candidates = []
        for item in build_candidates(self.candidates, k_range, X.shape[1], seed):
            if isinstance(item, str):
                item = density_candidate(item, X_search[quadratic])
            candidates.append(item)
        if self.selection == "bic" and not any(
            hasattr(c.estimator, "bic") for c in candidates
        ):
            raise InvalidInputError(
                "ClusterSelector.fit: selection='bic' ranks Gaussian mixtures, and "
                "no candidate is one."
            )
        everything = np.arange(len(X_search))
        resamples_all = _resamples(
            len(everything), self.n_bootstrap, self.bootstrap_size, rng
        )
        resamples_quadratic = _resamples(
            len(quadratic), self.n_bootstrap, self.bootstrap_size, rng
        )
        with tempfile.TemporaryDirectory(prefix="custseg-tree-") as cache:
            memory = joblib.Memory(cache, verbose=0)
            jobs = []
            for candidate in candidates:
                rows = quadratic if candidate.quadratic else everything
                resamples = (
                    resamples_quadratic if candidate.quadratic else resamples_all
                )
                estimator = candidate.estimator
                if candidate.quadratic and "memory" in estimator.get_params():
                    # built-in trees: one per data set serves every k
                    estimator = clone(estimator).set_params(memory=memory)
                jobs.append(
                    joblib.delayed(_fit_candidate)(estimator, X_search, rows, resamples)
                )
            fitted = joblib.Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(jobs)
        for candidate, outcome in zip(candidates, fitted, strict=True):
            if candidate.quadratic and "memory" in outcome["estimator"].get_params():
                outcome["estimator"].set_params(memory=None)

        # indices are translation-invariant; centred data keeps the sums of
        # squares behind them accurate
        results = pd.DataFrame(
            [
                _score(candidate, outcome, X_search, silhouette)
                for candidate, outcome in zip(candidates, fitted, strict=True)
            ]
        )
        results["elbow"] = _elbows(results)
        winner, votes, reason = _select(results, self.selection)
        results["votes"] = votes
        self.results_ = results
        self.best_index_ = int(winner)
        self.selection_reason_ = reason
        self.best_params_ = dict(results.at[winner, "params"])
        self._finish(X, X_search, search_rows, candidates[winner], fitted[winner])
        return self

    def _check_k_range(self, n_rows):
        k_range = sorted(set(self.k_range))
        if not k_range:
            raise InvalidInputError("ClusterSelector.fit: k_range is empty.")
        if not all(
            isinstance(k, Integral) and not isinstance(k, bool) and k >= 2
            for k in k_range
        ):
            raise InvalidInputError(
                f"ClusterSelector.fit: k_range must hold whole numbers >= 2; got "
                f"{format_values(k_range)}."
            )
        if min(k_range) >= n_rows:
            raise InvalidInputError(
                f"ClusterSelector.fit: {n_rows} rows are too few for "
                f"{min(k_range)} clusters; expected more rows than clusters."
            )
        return [int(k) for k in k_range if k < n_rows]

    def _finish(self, X, X_search, search_rows, candidate, outcome):
        """Label every row with the winner; set the segment centres."""
        estimator = outcome["estimator"]
        fit_rows = search_rows[outcome["fit_rows"]]
        self._predicts = False
        if len(fit_rows) == len(X):
            labels, clusters = outcome["labels"], outcome["clusters"]
            self._predicts = hasattr(estimator, "predict")
        elif hasattr(estimator, "predict") and not candidate.quadratic:
            # inductive winner: refit on all rows, started from the sample fit
            warm = clone(estimator).set_params(**_warm_start(estimator))
            estimator, raw = _fit_predict(warm, X)
            codes, clusters = label_codes(raw)
            labels = _label_all(estimator, clusters, codes, X, X, np.arange(len(X)))
            self._predicts = True
        else:
            # fitted on a sample and unable to predict: its rows keep their
            # labels, the others join the nearest segment centre
            clusters = outcome["clusters"]
            X_fit = X_search[outcome["fit_rows"]]
            labels = _label_all(
                estimator, clusters, outcome["fit_labels"], X_fit, X, fit_rows
            )
        self._clusters = clusters
        self.best_estimator_ = estimator
        self.labels_ = labels
        sums = ClusterSums(X, labels)
        self.cluster_centers_ = sums.centroids
        self.n_clusters_ = sums.n_clusters

    def predict(self, X):
        """Segment of new rows.

        The winner's own ``predict`` when it has one (K-means, Gaussian
        mixtures); otherwise (agglomerative, DBSCAN, HDBSCAN) the segment
        with the nearest centre in ``cluster_centers_``, so new rows are
        never noise. For those methods, whose segments need not be convex,
        ``predict`` on the training rows can differ from ``labels_`` (the
        segments they were given by the method itself).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "labels_")
        X = check_numbers(
            self, X, reset=False, method="predict", text_hint=_ENCODE_FIRST
        )
        nearest = pairwise_distances_argmin(X, self.cluster_centers_)
        if not self._predicts:
            return nearest
        codes = _codes_of(self.best_estimator_.predict(X), self._clusters)
        return np.where(codes >= 0, codes, nearest)


def _sample(n, size, rng):
    """Sorted indices of a uniform sample of ``size`` of ``n`` rows (all if fewer)."""
    if size is None or size >= n:
        return np.arange(n)
    return np.sort(rng.choice(n, size, replace=False))


def _resamples(n, n_bootstrap, size, rng):
    """Bootstrap resamples: positions (with replacement) within n fit rows."""
    size = min(n, size)
    return [rng.randint(0, n, size) for _ in range(n_bootstrap)]


def _fit_predict(estimator, X):
    """Fit a clone of estimator on X; return it and its labels of X."""
    fitted = clone(estimator)
    if hasattr(fitted, "fit_predict"):
        return fitted, np.asarray(fitted.fit_predict(X))
    return fitted, np.asarray(fitted.fit(X).predict(X))


def _codes_of(labels, clusters):
    """Codes of labels among known clusters; -1 for noise or unknown labels."""
    labels = np.asarray(labels)
    positions = np.searchsorted(clusters, labels)
    positions = np.clip(positions, 0, max(len(clusters) - 1, 0))
    known = (
        (clusters[positions] == labels)
        if len(clusters)
        else np.zeros(len(labels), bool)
    )
    return np.where(known, positions, -1).astype(np.int64)


def _label_all(estimator, clusters, fit_codes, X_fit, X, fit_positions):
    """Segment codes of every row of X, for an estimator fitted on X_fit.

    The fit rows (``fit_positions`` in X) keep their own codes; the other
    rows get the estimator's prediction, or the nearest segment centre when
    it cannot predict; rows left as noise join the nearest segment centre.
    """
    if len(fit_positions) == len(X):
        labels = fit_codes.copy()
    else:
        if hasattr(estimator, "predict"):
            labels = _codes_of(estimator.predict(X), clusters)
        else:
            labels = np.full(len(X), -1, dtype=np.int64)
        labels[fit_positions] = fit_codes
    noise = labels < 0
    if noise.any() and (fit_codes >= 0).any():
        centres = ClusterSums(X_fit, fit_codes)
        labels[noise] = centres.clusters[
            pairwise_distances_argmin(X[noise], centres.centroids)
        ]
    return labels


def _fit_candidate(estimator, X, rows, resamples):
    """Fit one candidate on X[rows]; label all rows; bootstrap its stability.

    Fits run on one thread: on samples of this size, native thread pools
    cost more than they give (on 2 cores, K-means on 3,000 rows took 1.1 s
    with 2 OpenMP threads and 0.02 s with one); candidates run in parallel
    through ``n_jobs`` instead.
    """
    with threadpool_limits(limits=1):
        return _fit_candidate_single_thread(estimator, X, rows, resamples)


def _fit_candidate_single_thread(estimator, X, rows, resamples):
    outcome = {"fit_rows": rows, "estimator": estimator, "error": None, "note": None}
    X_fit = X[rows]
    try:
        start = time.perf_counter()
        fitted, raw = _fit_predict(estimator, X_fit)
        outcome["seconds"] = time.perf_counter() - start
        fit_codes, clusters = label_codes(raw)
        outcome["estimator"] = fitted
        outcome["clusters"] = clusters
        outcome["fit_labels"] = fit_codes
        outcome["labels"] = _label_all(fitted, clusters, fit_codes, X_fit, X, rows)
        outcome["bic"] = float(fitted.bic(X_fit)) if hasattr(fitted, "bic") else np.nan
    except Exception as exc:  # a failing candidate must not end the search
        outcome["error"] = f"failed: {type(exc).__name__}: {exc}"
        outcome["seconds"] = np.nan
        return outcome
    scores = []
    if len(clusters) >= 2:
        try:
            for positions in resamples:
                _, refit = _fit_predict(estimator, X_fit[positions])
                scores.append(adjusted_rand(fit_codes[positions], refit))
        except Exception as exc:  # stability is then unknown, nothing else
            scores = []
            outcome["note"] = f"stability not computed: {type(exc).__name__}: {exc}"
    outcome["stability"] = float(np.mean(scores)) if scores else np.nan
    return outcome


def _score(candidate, outcome, X, silhouette):
    """One row of results_."""
    row = {
        "algorithm": candidate.algorithm,
        "params": candidate.params,
        "n_clusters": np.nan,
        "noise_share": np.nan,
        "silhouette": np.nan,
        "silhouette_low": np.nan,
        "silhouette_high": np.nan,
        "davies_bouldin": np.nan,
        "calinski_harabasz": np.nan,
        "inertia": np.nan,
        "bic": outcome.get("bic", np.nan),
        "stability": outcome.get("stability", np.nan),
        "fit_rows": len(outcome["fit_rows"]),
        "scored_rows": len(X),
        "fit_seconds": outcome["seconds"],
        "reason": outcome["error"],
        "note": outcome["note"],
    }
    if outcome["error"] is not None:
        return row
    row["noise_share"] = float(np.mean(outcome["fit_labels"] < 0))
    row["n_clusters"] = len(outcome["clusters"])
    sums = ClusterSums(X, outcome["labels"])
    if row["n_clusters"] == 0:
        degenerate = "every row is noise"
    elif sums.n_clusters < 2:
        degenerate = "a single cluster"
    elif sums.n_clusters >= sums.n_samples:
        degenerate = "every row is its own cluster"
    else:
        degenerate = None
    if degenerate:
        row.update(reason=degenerate, bic=np.nan, stability=np.nan)
        return row
    row["inertia"] = sums.within
    row["calinski_harabasz"] = sums.calinski_harabasz()
    row["davies_bouldin"] = sums.davies_bouldin()
    mean, low, high = silhouette.score(outcome["labels"])
    row["silhouette"], row["silhouette_low"], row["silhouette_high"] = mean, low, high
    if row["noise_share"] > MAX_NOISE_SHARE:
        # most of its segments' members were only assigned, not clustered
        row["reason"] = (
            f"{row['noise_share']:.0%} of rows are noise, more than {MAX_NOISE_SHARE:.0%}"
        )
    return row


def _elbows(results):
    """True at the knee of each family's within-cluster sum of squares curve.

    A family is a run of candidates of one algorithm differing in one
    parameter (the number of clusters); the curve follows that parameter.
    """
    elbow = pd.Series(False, index=results.index)
    for _, group in results.groupby("algorithm", sort=False):
        group = group.dropna(subset=["inertia"])
        keys = [next(iter(p.values())) for p in group["params"] if len(p) == 1]
        if len(keys) != len(group) or len(set(keys)) != len(keys) or len(keys) < 3:
            continue  # not a family indexed by a single number of clusters
        order = np.argsort(keys, kind="stable")
        knee = knee_index(np.asarray(keys)[order], group["inertia"].to_numpy()[order])
        if knee is not None:
            elbow[group.index[order[knee]]] = True
    return elbow


def _best(results, index):
    """Row with the best value of an index (ties: fewer clusters), or None."""
    values = results[index] * INDEX_DIRECTION[index]
    if values.isna().all():
        return None
    by_size = results.sort_values("n_clusters", kind="stable").index
    return values.loc[by_size].idxmax()


def _elbow_choice(results):
    """Knee of the K-means curve (or of the first family that has one)."""
    knees = results[results["elbow"]]
    if knees.empty:
        return None
    kmeans = knees[knees["algorithm"].str.lower().isin(["kmeans", "minibatchkmeans"])]
    return (kmeans if not kmeans.empty else knees).index[0]


def _describe(results, index):
    row = results.loc[index]
    params = ", ".join(f"{key}={value}" for key, value in row["params"].items())
    return f"{row['algorithm']} ({params})" if params else row["algorithm"]


def _select(results, selection):
    """Winner index, votes per row and the reason in words."""
    usable = results[results["reason"].isna()]
    votes = pd.Series(0, index=results.index)
    if usable.empty:
        reasons = "; ".join(
            f"{_describe(results, i)}: {r}" for i, r in results["reason"].items()
        )
        raise InvalidInputError(
            f"ClusterSelector.fit: no candidate can be selected ({reasons}); the "
            "rows of X do not form two or more groups for any of them."
        )
    if selection != "vote":
        winner = (
            _elbow_choice(usable) if selection == "elbow" else _best(usable, selection)
        )
        if winner is None:
            raise InvalidInputError(
                f"ClusterSelector.fit: selection={selection!r} cannot rank these "
                "candidates (the index is missing for all of them)."
            )
        votes[winner] = 1
        return (
            winner,
            votes,
            (
                f"{_describe(results, winner)} has the {_INDEX_NAMES[selection]} "
                f"(selection={selection!r})."
            ),
        )
    choices = {}
    for voter in VOTERS:
        choice = _elbow_choice(usable) if voter == "elbow" else _best(usable, voter)
        if choice is not None:
            choices[voter] = choice
            votes[choice] += 1
    top = votes.max()
    tied = votes[votes == top].index
    ranked = results.loc[tied].sort_values(
        ["silhouette", "n_clusters"], ascending=[False, True]
    )
    winner = ranked.index[0]
    won = [_INDEX_NAMES[v] for v, c in choices.items() if c == winner]
    lost = [
        f"{_INDEX_NAMES[v]} chose {_describe(results, c)}"
        for v, c in choices.items()
        if c != winner
    ]
    reason = (
        f"{_describe(results, winner)} won {top} of {len(choices)} votes: "
        + ", ".join(won)
        + "."
    )
    if len(tied) > 1:
        others = results.loc[tied.drop(winner), "silhouette"]
        if (results.at[winner, "silhouette"] > others).all():
            reason += " It tied on votes and has the higher silhouette."
        else:
            reason += " It tied on votes and silhouette and has fewer clusters."
    if lost:
        reason += " Otherwise: " + "; ".join(lost) + "."
    return winner, votes, reason


def _warm_start(estimator):
    """Parameters that start a refit on all rows from a fit on a sample."""
    if hasattr(estimator, "cluster_centers_") and "init" in estimator.get_params():
        return {"init": estimator.cluster_centers_, "n_init": 1}
    if hasattr(estimator, "means_") and "means_init" in estimator.get_params():
        return {
            "means_init": estimator.means_,
            "weights_init": estimator.weights_,
            "precisions_init": estimator.precisions_,
        }
    return {}
