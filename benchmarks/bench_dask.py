"""Benchmark: scoring many customers with custseg.dask.predict against pandas.

A segmentation pipeline (``SurveyPreprocessor`` -> ``ClusterSelector`` with
K-means, 2..6 segments) is fitted on 20,000 synthetic customers. Then
``--n-customers`` customers (six answers each: age, a 1-5 satisfaction
rating, yearly spend, visits, a three-level channel and an ordered
membership tier) are generated in chunks of ``--chunk-size`` and scored
twice, the counts of customers per segment being the result:

- **pandas, one frame**: all chunks are generated and concatenated into one
  DataFrame, ``pipeline.predict`` labels it, ``np.bincount`` counts (what a
  notebook does);
- **pandas, chunk by chunk**: one process generates, labels and counts each
  chunk in turn (what a careful single-process job does);
- **dask**: the same chunks are the partitions of a dask DataFrame
  (``dd.from_map``), ``custseg.dask.predict`` labels them on a
  ``LocalCluster`` of ``--workers`` worker processes, ``value_counts``
  counts. No partition is ever sent back whole.

All runs include the generation of the data; the start of the dask cluster
(and the workers' first import of custseg) is timed apart. The counts are
checked equal. Each side runs in its own process, so the peak resident
memory (``ru_maxrss``) of each pandas process and of the dask client and
every worker is its own.

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


def run_pandas_chunked(n_customers, chunk_size):
    pipeline = fitted_pipeline()
    began = time.perf_counter()
    counts = np.zeros(0, dtype=np.int64)
    for start in starts(n_customers, chunk_size):
        chunk = make_customers(start, min(chunk_size, n_customers - start))
        found = np.bincount(pipeline.predict(chunk))
        counts = np.pad(counts, (0, max(0, len(found) - len(counts))))
        counts[: len(found)] += found
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "counts": counts.tolist(), "peak_mib": peak}


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
    started = time.perf_counter()
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
        start_seconds = began - started
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
        "start_seconds": start_seconds,
        "counts": counts,
        "peak_mib": _peak_mib(),
        "worker_peak_mib": worker_peaks,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-customers", type=int, default=20_000_000)
    parser.add_argument("--chunk-size", type=int, default=500_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--side", choices=sorted(SIDES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.side == "dask":
        print(json.dumps(run_dask(args.n_customers, args.chunk_size, args.workers)))
        return
    if args.side is not None:
        print(json.dumps(SIDES[args.side](args.n_customers, args.chunk_size)))
        return

    results = {}
    for side in ("dask", "pandas", "pandas_chunked"):
        command = [sys.executable, __file__, "--side", side]
        command += ["--n-customers", str(args.n_customers)]
        command += ["--chunk-size", str(args.chunk_size)]
        command += ["--workers", str(args.workers)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[side] = json.loads(done.stdout.strip().splitlines()[-1])
    counts = {side: result["counts"] for side, result in results.items()}
    if len({str(value) for value in counts.values()}) != 1:
        raise SystemExit(f"the segment counts differ: {counts}")
    n = args.n_customers
    print(f"machine: {platform.machine()}, {platform.python_version()}")
    print(f"customers: {n:,} in chunks of {args.chunk_size:,}")
    print(f"segment counts (equal): {results['dask']['counts']}")
    names = {
        "pandas": "pandas, one frame",
        "pandas_chunked": "pandas, chunk by chunk",
        "dask": f"custseg.dask, {args.workers} workers",
    }
    for side, name in names.items():
        result = results[side]
        extra = ""
        if side == "dask":
            peaks = ", ".join(f"{peak:,.0f}" for peak in result["worker_peak_mib"])
            extra = (
                f"; workers' peak memory {peaks} MiB; cluster start "
                f"{result['start_seconds']:.1f} s (not included)"
            )
        print(
            f"{name}: {result['seconds']:.1f} s, "
            f"{n / result['seconds']:,.0f} customers/s, "
            f"peak memory {result['peak_mib']:,.0f} MiB{extra}"
        )
    for side in ("pandas", "pandas_chunked"):
        ratio = results["dask"]["seconds"] / results[side]["seconds"]
        print(f"ratio dask / {names[side]} time: {ratio:.2f}")


SIDES = {"pandas": run_pandas, "pandas_chunked": run_pandas_chunked, "dask": run_dask}


if __name__ == "__main__":
    main()
