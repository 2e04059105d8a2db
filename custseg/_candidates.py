"""The clusterers ClusterSelector tries: built-in families and user grids."""

from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.cluster import DBSCAN, HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import ParameterGrid
from sklearn.neighbors import NearestNeighbors

from ._metrics import knee_index
from ._validation import format_values
from .exceptions import InputTypeError, InvalidInputError

# Families tried by candidates="auto", in the order of results_.
AUTO_FAMILIES = ("kmeans", "agglomerative", "gaussian_mixture", "dbscan", "hdbscan")

# Families whose cost grows with the square of the number of rows: they are
# fitted on at most `quadratic_size` rows, the rest assigned afterwards.
QUADRATIC_FAMILIES = {
    "agglomerative",
    "agglomerative_average",
    "agglomerative_complete",
    "agglomerative_single",
    "dbscan",
    "hdbscan",
}
FAMILIES = (
    "kmeans",
    "agglomerative",
    "agglomerative_average",
    "agglomerative_complete",
    "agglomerative_single",
    "gaussian_mixture",
    "dbscan",
    "hdbscan",
)


@dataclass
class Candidate:
    """One clusterer to fit and score.

    Attributes
    ----------
    algorithm : str
        Readable name: a family name, or the class name of a user estimator.
    estimator : estimator
        Unfitted; cloned before every fit.
    params : dict
        The grid point that distinguishes it (shown in ``results_``).
    quadratic : bool
        Whether its cost grows with the square of the number of rows.
    """

    algorithm: str
    estimator: object
    params: dict = field(default_factory=dict)
    quadratic: bool = False


def _family(name, k_range, n_features, random_state):
    """Candidates of a built-in family that takes a number of clusters."""
    if name == "kmeans":
        base = KMeans(n_init=3, random_state=random_state)
        key = "n_clusters"
    elif name.startswith("agglomerative"):
        linkage = name.partition("_")[2] or "ward"
        base = AgglomerativeClustering(linkage=linkage, compute_full_tree=True)
        key = "n_clusters"
    else:  # gaussian_mixture
        covariance = "full" if n_features <= 10 else "diag"
        base = GaussianMixture(
            covariance_type=covariance,
            init_params="k-means++",
            random_state=random_state,
        )
        key = "n_components"
    return [
        Candidate(
            name,
            clone(base).set_params(**{key: int(k)}),
            {key: int(k)},
            quadratic=name in QUADRATIC_FAMILIES,
        )
        for k in k_range
    ]


def density_candidate(name, X_fit):
    """A DBSCAN or HDBSCAN candidate with parameters chosen from the data.

    DBSCAN: ``min_samples`` is twice the number of features (at least 5;
    Sander et al., 1998) and ``eps`` the knee of the sorted distances of each
    row to its ``min_samples``-th neighbour (Ester et al., 1996), or their
    90th percentile when the curve has no knee. HDBSCAN: ``min_cluster_size``
    is 1% of the rows (at least 5).
    """
    n_rows, n_features = X_fit.shape
    if name == "hdbscan":
        size = int(max(5, round(0.01 * n_rows)))
        return Candidate(
            name,
            HDBSCAN(min_cluster_size=size, copy=True),
            {"min_cluster_size": size},
            True,
        )
    min_samples = int(min(max(5, 2 * n_features), n_rows))
    # DBSCAN counts a point among its own min_samples neighbours
    neighbours = NearestNeighbors(n_neighbors=max(min_samples - 1, 1)).fit(X_fit)
    kth = np.sort(neighbours.kneighbors()[0][:, -1])[::-1]
    knee = knee_index(np.arange(len(kth)), kth)
    eps = float(kth[knee]) if knee is not None else float(np.quantile(kth, 0.9))
    if eps <= 0:  # duplicated rows: the smallest distance that separates rows
        positive = kth[kth > 0]
        eps = float(positive.min()) if len(positive) else 1.0
    params = {"eps": float(f"{eps:.6g}"), "min_samples": min_samples}
    return Candidate(name, DBSCAN(**params), params, True)


def build_candidates(spec, k_range, n_features, random_state):
    """Turn the ``candidates`` parameter into a list of Candidates.

    Density families (DBSCAN, HDBSCAN) come back as their names: their
    parameters depend on the rows they will be fitted on, see
    :func:`density_candidate`.

    Parameters
    ----------
    spec : "auto" or list
        "auto", or a list whose items are family names, unfitted
        scikit-learn clusterers, or ``(clusterer, param_grid)`` pairs.
    k_range : sequence of int
    n_features : int
    random_state : int or None
        Seed given to the built-in clusterers that take one.

    Returns
    -------
    candidates : list of Candidate or str
    """
    if isinstance(spec, str):
        items = list(AUTO_FAMILIES) if spec == "auto" else [spec]
    elif isinstance(spec, tuple) and len(spec) == 2 and hasattr(spec[0], "fit"):
        items = [spec]  # a single (clusterer, param_grid) pair
    else:
        items = list(spec)
    names = [item for item in items if isinstance(item, str)]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise InvalidInputError(
            f"ClusterSelector: candidates lists {format_values(repeated)} more than once."
        )
    if not items:
        raise InvalidInputError("ClusterSelector: candidates is empty.")
    candidates = []
    for item in items:
        if isinstance(item, str):
            if item not in FAMILIES:
                raise InvalidInputError(
                    f"ClusterSelector: unknown algorithm {item!r} in candidates; "
                    f"expected one of {format_values(FAMILIES, limit=10)}, a "
                    "scikit-learn clusterer or a (clusterer, param_grid) pair."
                )
            if item in ("dbscan", "hdbscan"):
                candidates.append(item)
            else:
                candidates.extend(_family(item, k_range, n_features, random_state))
            continue
        estimator, grid = item if isinstance(item, tuple) else (item, {})
        if (
            isinstance(estimator, type)
            or not hasattr(estimator, "fit")
            or not hasattr(estimator, "get_params")
        ):
            raise InputTypeError(
                f"ClusterSelector: candidate {estimator!r} is not a clusterer "
                "instance with a fit method; pass e.g. KMeans() or "
                "(KMeans(), {'n_clusters': [2, 3]})."
            )
        if not (hasattr(estimator, "fit_predict") or hasattr(estimator, "predict")):
            raise InputTypeError(
                f"ClusterSelector: candidate {type(estimator).__name__} gives no "
                "labels (it has neither fit_predict nor predict)."
            )
        try:
            points = list(ParameterGrid(grid))
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"ClusterSelector: bad parameter grid for "
                f"{type(estimator).__name__}: {exc}"
            ) from exc
        for point in points:
            try:
                configured = clone(estimator).set_params(**point)
            except ValueError as exc:
                raise InvalidInputError(
                    f"ClusterSelector: {type(estimator).__name__} has no parameter "
                    f"among {sorted(point)}: {exc}"
                ) from exc
            candidates.append(Candidate(type(estimator).__name__, configured, point))
    return candidates
