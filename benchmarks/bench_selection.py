"""Benchmark: ClusterSelector against the ways people choose k today.

Data: ``make_blobs`` with 40 features and four well-separated groups. Tools,
each in its own process (so its peak memory is its own), in the same run:

- ``notebook``: the seed's loop. K-means for k = 2..9 (n_init=10), each
  followed by the exact silhouette, Davies-Bouldin and Calinski-Harabasz;
  k with the best silhouette. Only where it finishes (``--notebook-max``).
- ``yellowbrick``: yellowbrick's ``KElbowVisualizer`` (distortion only,
  k = 2..9), the elbow as k. Needs ``pip install yellowbrick``; yellowbrick
  1.5 predates scikit-learn's removal of ``_estimator_type``, which the
  benchmark declares on a KMeans subclass so it runs unchanged otherwise.
- ``custseg-kmeans``: ``ClusterSelector(["kmeans"])``, the same K-means
  search with every index (silhouette with confidence interval,
  Davies-Bouldin, Calinski-Harabasz, inertia and elbow, bootstrap
  stability) and the vote.
- ``custseg-auto``: ``ClusterSelector()`` with its default candidates
  (K-means, agglomerative, Gaussian mixtures, DBSCAN, HDBSCAN).

Times cover the search only: data generation and imports come first.

Usage::

    python benchmarks/bench_selection.py [--rows 30000 100000 1000000]
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings

TOOLS = ("notebook", "yellowbrick", "custseg-kmeans", "custseg-auto")


def data(n_rows):
    from sklearn.datasets import make_blobs

    return make_blobs(n_rows, n_features=40, centers=4, cluster_std=1.0, random_state=0)


def notebook(X):
    from sklearn.cluster import KMeans
    from sklearn.metrics import (
        calinski_harabasz_score,
        davies_bouldin_score,
        silhouette_score,
    )

    scores = {}
    for k in range(2, 10):
        labels = KMeans(k, n_init=10, random_state=0).fit(X).labels_
        scores[k] = silhouette_score(X, labels)
        davies_bouldin_score(X, labels)
        calinski_harabasz_score(X, labels)
    return max(scores, key=scores.get)


def yellowbrick(X):
    import matplotlib

    matplotlib.use("Agg")
    from sklearn.cluster import KMeans
    from yellowbrick.cluster import KElbowVisualizer

    class _KMeans(KMeans):
        _estimator_type = "clusterer"

    visualizer = KElbowVisualizer(
        _KMeans(random_state=0), k=(2, 10), metric="distortion", timings=False
    )
    return visualizer.fit(X).elbow_value_


def custseg_selector(X, candidates):
    from custseg import ClusterSelector

    selector = ClusterSelector(candidates, random_state=0).fit(X)
    return selector.n_clusters_


def _import_first(tool):
    """Import what a tool needs before the clock starts: imports are not the work."""
    import sklearn.cluster
    import sklearn.metrics  # noqa: F401

    if tool == "yellowbrick":
        import matplotlib

        matplotlib.use("Agg")
        import yellowbrick.cluster  # noqa: F401
    elif tool.startswith("custseg"):
        import custseg  # noqa: F401


def run_child(tool, n_rows):
    X, _ = data(n_rows)
    _import_first(tool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        if tool == "notebook":
            k = notebook(X)
        elif tool == "yellowbrick":
            k = yellowbrick(X)
        else:
            k = custseg_selector(X, ["kmeans"] if tool == "custseg-kmeans" else "auto")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "k": int(k), "peak_mib": peak}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[30_000, 100_000, 1_000_000]
    )
    parser.add_argument("--tools", nargs="+", default=list(TOOLS), choices=TOOLS)
    parser.add_argument("--notebook-max", type=int, default=30_000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child[0], int(args.child[1]))
        return

    import sklearn

    import custseg

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; python "
        f"{platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"custseg {custseg.__version__}; data: make_blobs, 40 features, 4 groups"
    )
    for n_rows in args.rows:
        print(f"\n{n_rows:,} rows")
        times = {}
        for tool in args.tools:
            if tool == "notebook" and n_rows > args.notebook_max:
                continue
            completed = subprocess.run(
                [sys.executable, __file__, "--child", tool, str(n_rows)],
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                print(
                    f"  {tool:15s} failed: {completed.stderr.strip().splitlines()[-1]}"
                )
                continue
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            times[tool] = result["seconds"]
            print(
                f"  {tool:15s} {result['seconds']:8.2f} s   k = {result['k']}   "
                f"peak memory {result['peak_mib']:,.0f} MiB"
            )
        for reference in ("notebook", "yellowbrick"):
            for tool in ("custseg-kmeans", "custseg-auto"):
                if reference in times and tool in times:
                    print(
                        f"  {reference} / {tool}: {times[reference] / times[tool]:.1f}x"
                    )


if __name__ == "__main__":
    main()
