"""Benchmark: BehaviorAggregator against the plain pandas groupby it replaces.

A synthetic review log of ``--n-events`` rows (users drawn uniformly from
n-events / 10 ids, ratings 1..5 with 1% missing, discounts, prices, one of 40
three-level categories) is aggregated into the same eight features per user
by ``BehaviorAggregator.fit_transform`` and by the pandas code a notebook
would write (``groupby(...).agg`` with ``size``, ``mean``, ``sum`` and
``nunique`` of the top-level category, and ``std(ddof=0)``). Both results are checked
equal, then timed (best of ``--repeats``) and the ratio printed.

Usage::

    python benchmarks/bench_behavior.py [--n-events 10000000] [--repeats 3]
"""

import argparse
import platform
import time
import warnings

import numpy as np
import pandas as pd

from custseg import BehaviorAggregator
from custseg.exceptions import CustsegWarning


def make_log(n_events, seed=0):
    rng = np.random.default_rng(seed)
    n_users = max(n_events // 10, 2)
    users = rng.integers(0, n_users, size=n_events)
    rating = rng.integers(1, 6, size=n_events).astype(float)
    rating[rng.random(n_events) < 0.01] = np.nan
    categories = np.array([f"top{i % 8}|mid{i % 5}|leaf{i}" for i in range(40)])
    return pd.DataFrame(
        {
            "user": users.astype(np.int64),
            "rating": rating,
            "discount": rng.uniform(0, 80, size=n_events).round(),
            "price": rng.lognormal(7, 1, size=n_events).round(2),
            "category": categories[rng.integers(0, 40, size=n_events)],
        }
    )


def with_custseg(log):
    aggregator = BehaviorAggregator(
        "user",
        rating_col="rating",
        discount_col="discount",
        spend_col="price",
        category_col="category",
        category_level=1,
        drop_constant=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)
        return aggregator.fit_transform(log)


def with_pandas(log):
    top = log["category"].str.split("|").str[0]
    grouped = log.assign(top=top).groupby("user", sort=False)
    out = grouped.agg(
        n_events=("rating", "size"),
        mean_rating=("rating", "mean"),
        mean_discount=("discount", "mean"),
        mean_spend=("price", "mean"),
        total_spend=("price", "sum"),
        category_breadth=("top", "nunique"),
    )
    out["rating_std"] = grouped["rating"].std(ddof=0)
    out["engagement_score"] = out["n_events"] * out["mean_rating"]
    return out


def best_time(function, log, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(log)
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-events", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    log = make_log(args.n_events)
    ours_time, ours = best_time(with_custseg, log, args.repeats)
    theirs_time, theirs = best_time(with_pandas, log, args.repeats)
    theirs = theirs.loc[ours.index, ours.columns]
    # pandas' std(ddof=0) is 0 for one rating and NaN for none, as ours
    np.testing.assert_allclose(ours.to_numpy(float), theirs.to_numpy(float), rtol=1e-9)
    print(f"{platform.machine()}, pandas {pd.__version__}")
    print(f"{args.n_events:,} events, {len(ours):,} users")
    print(f"custseg BehaviorAggregator: {ours_time:.2f} s")
    print(f"pandas groupby.agg:         {theirs_time:.2f} s")
    print(f"ratio custseg / pandas:     {ours_time / theirs_time:.2f}")


if __name__ == "__main__":
    main()
