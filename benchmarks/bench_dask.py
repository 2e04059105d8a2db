"""Benchmark: scoring many customers with custseg.dask.predict against pandas.

A segmentation pipeline (``SurveyPreprocessor`` -> ``ClusterSelector`` with
K-means, 2..6 segments) is fitted on 20,000 synthetic customers. Then
``--n-customers`` customers (six answers each: age, a 1-5 satisfaction
rating, yearly spend, visits, a three-level channel and an ordered
membership tier) are generated in chunks of ``--chunk-size`` and scored
twice, the counts of customers per segment being the result:

- **pandas, one process**: all chunks are generated and concatenated into one
  DataFrame, ``pipeline.predict`` labels it, ``np.bincount`` counts;
- **dask**: the same chunks are the partitions of a dask DataFrame
  (``dd.from_map``), ``custseg.dask.predict`` labels them on a
  ``LocalCluster`` of ``--workers`` worker processes, ``value_counts``
  counts. No partition is ever sent back whole.

Both runs include the generation of the data. The two counts are checked
equal. Each side runs in its own process, so the peak resident memory
(``ru_maxrss``) of the pandas process and of the dask client and every
worker is its own.

Usage::

    python benchmarks/bench_dask.py [--n-customers 20000000] [--chunk-size 500000]
"""

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

FIT_ROWS = 20_000
TIERS = ["bronze", "silver", "gold"]


def make_customers(start, size, seed=0):
    """Customers ``start .. start + size - 1``, the same whoever makes them."""
    rng = np.random.default_rng([seed, start])
    segment = rng.integers(0, 3, size)
    channel = pd.Categorical.from_codes(
        (segment + (rng.random(size) < 0.2)) % 3, ["web", "store", "app"]
    )
    tier = pd.Categorical.from_codes(
        np.minimum(segment, rng.integers(0, 3, size)), TIERS, ordered=True
    )
    return pd.DataFrame(
        {
            "age": np.round(rng.normal(30 + 10 * segment, 6), 0),
            "satisfaction": np.clip(segment + rng.integers(1, 4, size), 1, 5),
            "spend": np.round(rng.lognormal(4 + segment, 0.5), 2),
            "visits": rng.poisson(2 + 4 * segment),
            "channel": channel,
            "tier": tier,
        },
        index=pd.RangeIndex(start, start + size, name="customer"),
    )


def fitted_pipeline():
    from sklearn.pipeline import make_pipeline

    from custseg import ClusterSelector, SurveyPreprocessor

    pipeline = make_pipeline(
        SurveyPreprocessor(),
        ClusterSelector(
            candidates=["kmeans"], k_range=range(2, 7), n_bootstrap=0, random_state=0
        ),
    )
    return pipeline.fit(make_customers(0, FIT_ROWS, seed=1))


def starts(n_customers, chunk_size):
    return list(range(0, n_customers, chunk_size))


def run_pandas(n_customers, chunk_size):
    pipeline = fitted_pipeline()
    began = time.perf_counter()
    frame = pd.concat(
        [
            make_customers(start, min(chunk_size, n_customers - start))
            for start in starts(n_customers, chunk_size)
        ]
    )
    labels = pipeline.predict(frame)
    counts = np.bincount(labels).tolist()
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "counts": counts, "peak_mib": peak}


def _peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prepare_worker():
    import custseg.dask  # noqa: F401

    warnings.simplefilter("ignore")


def run_dask(n_customers, chunk_size, workers):
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import custseg.dask

    pipeline = fitted_pipeline()
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        # the workers import custseg before the clock starts, as pandas has
        client.run(_prepare_worker)
        began = time.perf_counter()
        sizes = [
            (start, min(chunk_size, n_customers - start))
            for start in starts(n_customers, chunk_size)
        ]
        ddf = dd.from_map(lambda spec: make_customers(*spec), sizes)
        labels = custseg.dask.predict(pipeline, ddf)
        counted = labels.value_counts(split_out=1).compute()
        seconds = time.perf_counter() - began
        counts = [int(counted.get(k, 0)) for k in range(int(counted.index.max()) + 1)]
        worker_peaks = list(client.run(_peak_mib).values())
    return {
        "seconds": seconds,
        "counts": counts,
        "peak_mib": _peak_mib(),
        "worker_peak_mib": worker_peaks,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-customers", type=int, default=20_000_000)
    parser.add_argument("--chunk-size", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--side", choices=["pandas", "dask"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.side == "pandas":
        print(json.dumps(run_pandas(args.n_customers, args.chunk_size)))
        return
    if args.side == "dask":
        result = run_dask(args.n_customers, args.chunk_size, args.workers)
        print(json.dumps(result))
        return

    results = {}
    for side in ("dask", "pandas"):
        command = [sys.executable, __file__, "--side", side]
        command += ["--n-customers", str(args.n_customers)]
        command += ["--chunk-size", str(args.chunk_size)]
        command += ["--workers", str(args.workers)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[side] = json.loads(done.stdout.strip().splitlines()[-1])
    if results["dask"]["counts"] != results["pandas"]["counts"]:
        raise SystemExit(f"the segment counts differ: {results}")
    n = args.n_customers
    pandas_side, dask_side = results["pandas"], results["dask"]
    print(f"machine: {platform.machine()}, {platform.python_version()}")
    print(f"customers: {n:,} in chunks of {args.chunk_size:,}")
    print(f"segment counts (equal): {dask_side['counts']}")
    for name, side in (
        ("pandas, one process", pandas_side),
        ("custseg.dask", dask_side),
    ):
        extra = ""
        if "worker_peak_mib" in side:
            peaks = ", ".join(f"{peak:,.0f}" for peak in side["worker_peak_mib"])
            extra = f"; workers' peak memory {peaks} MiB"
        print(
            f"{name}: {side['seconds']:.1f} s, {n / side['seconds']:,.0f} customers/s, "
            f"peak memory {side['peak_mib']:,.0f} MiB{extra}"
        )
    print(
        f"ratio dask / pandas time: {dask_side['seconds'] / pandas_side['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
