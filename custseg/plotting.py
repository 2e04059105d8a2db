"""Plots of segmentations. Each takes a matplotlib Axes and returns it.

matplotlib is an optional dependency (``pip install "custseg[plot]"``),
imported when a plot is drawn. No function calls ``show()``.
"""

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.utils.validation import check_is_fitted

from ._metrics import SilhouetteSample
from ._optional import import_optional
from ._validation import format_values
from .exceptions import InputTypeError, InvalidInputError

__all__ = [
    "plot_calibration",
    "plot_distinguishing_features",
    "plot_elbow",
    "plot_profile_heatmap",
    "plot_scores",
    "plot_segment_sizes",
    "plot_segments_2d",
    "plot_silhouette",
]


def _text(value):
    """A label drawn as written: matplotlib reads "$...$" as mathematics."""
    return str(value).replace("$", r"\$")


def _axes(ax):
    if ax is None:
        ax = import_optional("matplotlib.pyplot").gca()
    return ax


def _family(selector, algorithm):
    check_is_fitted(selector, "results_")
    results = selector.results_
    if algorithm not in set(results["algorithm"]):
        raise InvalidInputError(
            f"plot_elbow: no candidate of algorithm {algorithm!r}; the selector "
            f"tried {format_values(results['algorithm'].unique())}."
        )
    family = results[(results["algorithm"] == algorithm) & results["reason"].isna()]
    return algorithm, family.sort_values("n_clusters")


def _numbers(function, X):
    """X as a float64 array; what is no number is named, not numpy's error."""
    try:
        return np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(
            f"{function}: X must hold numbers (the data the segments were found "
            f"on); {exc}."
        ) from exc


def _check_rows(function, selector, X):
    X = _numbers(function, X)
    if X.ndim != 2 or X.shape != (len(selector.labels_), selector.n_features_in_):
        raise InvalidInputError(
            f"{function}: X has shape {X.shape}; expected the data the selector was "
            f"fitted on, of shape ({len(selector.labels_)}, {selector.n_features_in_})."
        )
    return X


def plot_elbow(selector, algorithm="kmeans", ax=None):
    """Within-cluster sum of squares by number of clusters, knee marked.

    Parameters
    ----------
    selector : ClusterSelector
        Fitted.
    algorithm : str, default="kmeans"
        Family to draw, as in ``selector.results_["algorithm"]``.
    ax : matplotlib Axes, default=None
        Where to draw; the current Axes by default.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_blobs
    >>> from custseg import ClusterSelector
    >>> from custseg.plotting import plot_elbow
    >>> X, _ = make_blobs(200, centers=3, random_state=0)
    >>> selector = ClusterSelector(["kmeans"], n_bootstrap=0, random_state=0).fit(X)
    >>> ax = plot_elbow(selector)
    >>> ax.get_xlabel()
    'number of clusters'
    """
    ax = _axes(ax)
    algorithm, family = _family(selector, algorithm)
    ax.plot(family["n_clusters"], family["inertia"], marker="o", label=algorithm)
    knee = family[family["elbow"]]
    if not knee.empty:
        ax.scatter(
            knee["n_clusters"],
            knee["inertia"],
            s=150,
            facecolors="none",
            edgecolors="red",
            label=f"elbow: {int(knee['n_clusters'].iloc[0])}",
        )
    ax.set_xlabel("number of clusters")
    ax.set_ylabel("within-cluster sum of squares")
    ax.set_title(f"Elbow ({algorithm})")
    ax.legend()
    return ax


def plot_scores(selector, index="silhouette", ax=None):
    """An index by number of clusters, one line per algorithm, winner marked.

    Sampled silhouettes are drawn with their 95% confidence intervals.

    Parameters
    ----------
    selector : ClusterSelector
        Fitted.
    index : str, default="silhouette"
        A column of ``selector.results_``: "silhouette",
        "calinski_harabasz", "davies_bouldin", "inertia", "bic" or
        "stability".
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    check_is_fitted(selector, "results_")
    results = selector.results_[selector.results_["reason"].isna()]
    if index not in results or results[index].isna().all():
        raise InvalidInputError(
            f"plot_scores: no candidate has a value of {index!r} (for example "
            "'bic' needs Gaussian mixtures, 'stability' n_bootstrap > 0)."
        )
    for algorithm, family in results.groupby("algorithm", sort=False):
        family = family.sort_values("n_clusters").dropna(subset=[index])
        if family.empty:
            continue
        if index == "silhouette" and family["silhouette_low"].notna().all():
            error = [
                family[index] - family["silhouette_low"],
                family["silhouette_high"] - family[index],
            ]
            ax.errorbar(
                family["n_clusters"],
                family[index],
                yerr=error,
                marker="o",
                capsize=3,
                label=algorithm,
            )
        else:
            ax.plot(family["n_clusters"], family[index], marker="o", label=algorithm)
    best = selector.results_.loc[selector.best_index_]
    if np.isfinite(best[index]):
        ax.scatter(
            [best["n_clusters"]],
            [best[index]],
            s=200,
            marker="*",
            color="black",
            zorder=3,
            label="chosen",
        )
    ax.set_xlabel("number of clusters")
    ax.set_ylabel(index.replace("_", " "))
    ax.legend()
    return ax


def plot_silhouette(selector, X, ax=None):
    """Silhouette of each row of the winner, sorted within segments.

    Uses the rows ``selector.silhouette_rows_`` (all rows when the
    silhouette was exact); the dashed line is the mean.

    Parameters
    ----------
    selector : ClusterSelector
        Fitted.
    X : array-like of shape (n_samples, n_features)
        The data the selector was fitted on.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    check_is_fitted(selector, "labels_")
    X = _check_rows("plot_silhouette", selector, X)
    sample = SilhouetteSample(X, selector.silhouette_rows_)
    values, rows = sample.per_row(selector.labels_)
    labels = selector.labels_[rows]
    bottom = 0
    for segment in np.unique(labels):
        members = np.sort(values[labels == segment])
        ax.fill_betweenx(
            np.arange(bottom, bottom + len(members)), 0, members, alpha=0.7
        )
        ax.text(-0.05, bottom + len(members) / 2, str(segment), ha="right", va="center")
        bottom += len(members) + 10
    ax.axvline(values.mean(), color="red", linestyle="--")
    ax.set_xlabel("silhouette")
    ax.set_ylabel("rows, by segment")
    ax.set_yticks([])
    return ax


def plot_segments_2d(X, labels, ax=None, random_state=0):
    """Rows on their first two principal components, coloured by segment.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)
    ax : matplotlib Axes, default=None
    random_state : int, default=0
        Seed of the PCA solver.

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = _axes(ax)
    names = list(X.columns) if isinstance(X, pd.DataFrame) else None
    X = _numbers("plot_segments_2d", X)
    labels = np.asarray(labels, dtype=object)
    if X.ndim != 2 or X.shape[0] < 2 or X.shape[1] < 2 or labels.shape != (len(X),):
        raise InvalidInputError(
            f"plot_segments_2d: X has shape {X.shape} and labels {labels.shape}; "
            "expected at least 2 columns and 2 rows, and one label per row."
        )
    # principal components of finite numbers whose squares cannot overflow
    bad = ~np.isfinite(X) | (np.abs(X) > np.sqrt(np.finfo(np.float64).max / X.size))
    if bad.any():
        columns = np.flatnonzero(bad.any(axis=0)).tolist()
        if names is not None:
            columns = [names[j] for j in columns]
        raise InvalidInputError(
            f"plot_segments_2d: column(s) {format_values(columns)} of X "
            "hold NaN, infinite or too large values; expected finite numbers of "
            "ordinary size (scale X first)."
        )
    pca = PCA(n_components=2, random_state=random_state).fit(X)
    points = pca.transform(X)
    codes, segments = pd.factorize(labels, use_na_sentinel=False)
    try:
        order = np.argsort(segments, kind="stable")
    except TypeError:  # labels of several types: in order of appearance
        order = np.arange(len(segments))
    for code in order:
        segment = segments[code]
        members = points[codes == code]
        ax.scatter(
            members[:, 0],
            members[:, 1],
            s=8,
            alpha=0.6,
            label=_text(f"segment {segment}"),
        )
    share = pca.explained_variance_ratio_
    ax.set_xlabel(f"principal component 1 ({share[0]:.0%} of variance)")
    ax.set_ylabel(f"principal component 2 ({share[1]:.0%} of variance)")
    ax.legend(markerscale=2)
    return ax


def _personas(profiler):
    check_is_fitted(profiler, "profile_")
    return profiler.personas_


def plot_segment_sizes(profiler, ax=None):
    """Number of customers per segment, labelled with the persona names.

    Parameters
    ----------
    profiler : SegmentProfiler
        Fitted.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    personas = _personas(profiler)
    ax = _axes(ax)
    names = [_text(f"{segment}: {name}") for segment, name in personas["name"].items()]
    bars = ax.barh(names[::-1], personas["size"].to_numpy()[::-1])
    for bar, share in zip(bars, personas["share"].to_numpy()[::-1], strict=True):
        ax.annotate(
            f" {share:.0%}",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            va="center",
        )
    ax.set_xlabel("customers")
    ax.set_title("Segment sizes")
    return ax


def plot_profile_heatmap(profiler, max_columns=20, ax=None):
    """Standardised mean of every number column per segment, as a heat map.

    Each cell is the segment mean minus the population mean, in population
    standard deviations (``profile_["std_difference"]``); the columns that
    differ most between segments come first.

    Parameters
    ----------
    profiler : SegmentProfiler
        Fitted.
    max_columns : int, default=20
        Most columns drawn.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    _personas(profiler)
    numbers = profiler.profile_[profiler.profile_["kind"] == "number"]
    table = numbers.pivot(index="column", columns="segment", values="std_difference")
    table = table.dropna(how="all")
    if table.empty:
        raise InvalidInputError(
            "plot_profile_heatmap: the profile has no number column with spread; "
            "there is nothing to draw."
        )
    spread = table.abs().max(axis=1).sort_values(ascending=False)
    table = table.loc[spread.index[:max_columns]]
    ax = _axes(ax)
    limit = max(float(np.nanmax(np.abs(table.to_numpy()))), 1e-9)
    image = ax.imshow(table.to_numpy(), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_yticks(range(len(table)), [_text(c) for c in table.index])
    ax.set_xticks(range(table.shape[1]), [_text(c) for c in table.columns])
    ax.set_xlabel("segment")
    ax.figure.colorbar(image, ax=ax, label="standardised difference from all customers")
    ax.set_title("Profile: standardised means")
    return ax


def plot_distinguishing_features(profiler, segment, n=8, ax=None):
    """The answers that set one segment apart: effect sizes as bars.

    Parameters
    ----------
    profiler : SegmentProfiler
        Fitted.
    segment : label
        One of ``profiler.segments_``.
    n : int, default=8
        Most answers drawn in each direction.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    _personas(profiler)
    features = profiler.distinguishing_features(segment, n=n)
    ax = _axes(ax)
    labels = [
        _text(column if kind == "number" else f"{column}: {answer}")
        for column, kind, answer in zip(
            features["column"], features["kind"], features["answer"], strict=True
        )
    ]
    effects = features["effect"].to_numpy()
    ax.barh(
        labels[::-1],
        effects[::-1],
        color=["tab:blue" if e > 0 else "tab:red" for e in effects[::-1]],
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("effect against the other customers (Cohen's d or h)")
    ax.set_title(_text(f"Segment {segment}: distinguishing answers"))
    return ax


def plot_calibration(evaluation, ax=None):
    """Mean holdout purchases by calibration frequency: actual, model, baseline.

    Parameters
    ----------
    evaluation : Bunch
        What :func:`custseg.evaluate_clv` returns.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
    """
    table = getattr(evaluation, "calibration", None)
    if table is None or not {"actual", "model", "baseline"} <= set(table.columns):
        raise InvalidInputError(
            "plot_calibration: expected the result of custseg.evaluate_clv, with a "
            "calibration table of actual, model and baseline purchases."
        )
    ax = _axes(ax)
    positions = np.arange(len(table))
    for offset, column in ((-0.27, "actual"), (0.0, "model"), (0.27, "baseline")):
        ax.bar(positions + offset, table[column], width=0.27, label=column)
    ax.set_xticks(positions, [_text(label) for label in table.index])
    ax.set_xlabel("purchases in the calibration period")
    ax.set_ylabel("mean purchases in the holdout period")
    ax.legend()
    return ax
