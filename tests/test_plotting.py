"""Plots draw what they say on the Axes they are given, and return it."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.datasets import make_blobs

from custseg import ClusterSelector
from custseg._optional import import_optional
from custseg.plotting import (
    plot_elbow,
    plot_scores,
    plot_segments_2d,
    plot_silhouette,
)


@pytest.fixture(scope="module")
def fitted():
    X, _ = make_blobs(300, n_features=4, centers=3, random_state=0)
    selector = ClusterSelector(
        ["kmeans", "agglomerative"], n_bootstrap=0, random_state=0
    ).fit(X)
    return X, selector


def test_each_plot_returns_the_given_axes(fitted):
    X, selector = fitted
    for draw in (
        lambda ax: plot_elbow(selector, ax=ax),
        lambda ax: plot_scores(selector, "calinski_harabasz", ax=ax),
        lambda ax: plot_silhouette(selector, X, ax=ax),
        lambda ax: plot_segments_2d(X, selector.labels_, ax=ax),
    ):
        figure, ax = plt.subplots()
        assert draw(ax) is ax
        assert ax.has_data()
        plt.close(figure)


def test_elbow_marks_the_knee(fitted):
    _, selector = fitted
    figure, ax = plt.subplots()
    plot_elbow(selector, ax=ax)
    line = ax.get_lines()[0]
    kmeans = selector.results_[selector.results_["algorithm"] == "kmeans"]
    np.testing.assert_array_equal(line.get_xdata(), kmeans["n_clusters"])
    knee = int(kmeans.loc[kmeans["elbow"], "n_clusters"].iloc[0])
    assert any(f"elbow: {knee}" == t.get_text() for t in ax.get_legend().get_texts())
    plt.close(figure)


def test_silhouette_plot_has_one_band_per_segment(fitted):
    X, selector = fitted
    figure, ax = plt.subplots()
    plot_silhouette(selector, X, ax=ax)
    assert len(ax.collections) == selector.n_clusters_
    plt.close(figure)


def test_missing_optional_package_names_the_extra(monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ImportError, match=r'pip install "custseg\[plot\]"'):
        import_optional("matplotlib.pyplot")


def test_plots_refuse_what_they_cannot_draw(fitted):
    from custseg.exceptions import InvalidInputError

    X, selector = fitted
    figure, ax = plt.subplots()
    with pytest.raises(
        InvalidInputError, match="no candidate of algorithm 'gaussian_mixture'"
    ):
        plot_elbow(selector, algorithm="gaussian_mixture", ax=ax)
    with pytest.raises(InvalidInputError, match="'bic'"):
        plot_scores(selector, "bic", ax=ax)
    with pytest.raises(
        InvalidInputError, match="expected the data the selector was fitted on"
    ):
        plot_silhouette(selector, X[:10], ax=ax)
    with pytest.raises(InvalidInputError, match="at least 2 columns"):
        plot_segments_2d(X[:, :1], selector.labels_, ax=ax)
    plt.close(figure)


def test_calibration_plot_has_three_bars_per_bucket():
    from custseg import CLVEstimator, evaluate_clv
    from custseg.datasets import make_purchase_summary
    from custseg.exceptions import InvalidInputError
    from custseg.plotting import plot_calibration

    summary = make_purchase_summary(300, random_state=0)
    clv = CLVEstimator(spend_model=None).fit(summary)
    evaluation = evaluate_clv(
        clv,
        summary.assign(frequency_holdout=summary["frequency"], duration_holdout=10.0),
    )
    fig, ax = plt.subplots()
    assert plot_calibration(evaluation, ax=ax) is ax
    assert len(ax.patches) == 3 * len(evaluation.calibration)
    plt.close(fig)
    with pytest.raises(InvalidInputError, match="result of custseg.evaluate_clv"):
        plot_calibration(object())
