"""CLVEstimator against lifetimes on a million simulated customers.

Simulates 1,000,000 customers from known BG/NBD parameters (the CDNOW
estimates, T uniform on 30-78 weeks) and Gamma-Gamma spend, then times, in
the same run:

- the BG/NBD fit: custseg's ``CLVEstimator`` (purchases only) against
  lifetimes' ``BetaGeoFitter``, with the parameters' distance from the truth
  and custseg's peak traced memory;
- the 12-month lifetime value of every customer (monthly steps of 4.345
  weeks, 1% monthly discount): ``CLVEstimator.predict`` against lifetimes'
  ``customer_lifetime_value``, and the largest relative difference.

lifetimes is unmaintained and does not run on pandas 3; run this script in
an environment of its own, never a custseg dependency::

    python3 -m venv bench-venv
    bench-venv/bin/pip install "lifetimes==0.11.3" "pandas==2.2.3" "numpy<2" \\
        "scipy<1.14" "scikit-learn>=1.6,<1.7"
    bench-venv/bin/pip install --no-deps -e .
    bench-venv/bin/python benchmarks/bench_clv.py

Without lifetimes, custseg alone is timed.
"""

import argparse
import time
import tracemalloc
import warnings

import numpy as np

from custseg import CLVEstimator
from custseg.datasets import make_purchase_summary

TRUTH = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SPEND = {"p": 6.25, "q": 3.74, "gamma": 15.44}
WEEKS_PER_MONTH = 4.345


def _simulate(n_customers, seed):
    summary = make_purchase_summary(n_customers, **TRUTH, random_state=seed)
    rng = np.random.default_rng(seed)
    x = summary["frequency"].to_numpy()
    # Gamma-Gamma: nu ~ Gamma(q, gamma); the mean of x spends ~ Gamma(p x, nu x)
    nu = rng.gamma(SPEND["q"], 1 / SPEND["gamma"], len(x))
    repeat = x > 0
    mean = np.zeros(len(x))
    mean[repeat] = rng.gamma(SPEND["p"] * x[repeat], 1 / (nu[repeat] * x[repeat]))
    return summary.assign(monetary_value=mean)


def _best(function, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    summary = _simulate(args.n_customers, seed=0)
    purchases = summary[["frequency", "recency", "T"]]
    print(f"{args.n_customers:,} simulated customers, T uniform on 30-78 weeks")

    fit_time, model = _best(
        lambda: CLVEstimator(spend_model=None).fit(purchases), args.repeats
    )
    tracemalloc.start()
    CLVEstimator(spend_model=None).fit(purchases)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    estimates = model.params_["estimate"]
    error = max(abs(estimates[k] / v - 1) for k, v in TRUTH.items())
    print(
        f"custseg fit      {fit_time:7.2f} s  peak traced memory {peak:6.0f} MiB  "
        f"largest parameter error {error:.2%}"
    )
    clv = CLVEstimator(
        horizon=12 * WEEKS_PER_MONTH, step=WEEKS_PER_MONTH, discount_rate=0.01
    ).fit(summary)
    value_time, values = _best(lambda: clv.predict(summary), args.repeats)
    print(f"custseg 12-month value {value_time:7.2f} s")

    try:
        from lifetimes import BetaGeoFitter, GammaGammaFitter
    except ImportError:
        print("lifetimes is not installed: custseg alone was timed")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        bgf = BetaGeoFitter().fit(
            summary["frequency"], summary["recency"], summary["T"]
        )
        lifetimes_fit = time.perf_counter() - start
        repeat = summary[summary["frequency"] > 0]
        ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        # the same parameters on both sides, so the values can be compared
        bgf.params_[:] = clv.params_.loc[["r", "alpha", "a", "b"], "estimate"].values
        ggf.params_[:] = clv.params_.loc[["p", "q", "gamma"], "estimate"].values
        start = time.perf_counter()
        reference = ggf.customer_lifetime_value(
            bgf,
            summary["frequency"],
            summary["recency"],
            summary["T"],
            summary["monetary_value"],
            time=12,
            discount_rate=0.01,
            freq="W",
        ).to_numpy()
        lifetimes_value = time.perf_counter() - start
    difference = float(np.max(np.abs(values - reference) / np.maximum(reference, 1e-9)))
    print(
        f"lifetimes fit    {lifetimes_fit:7.2f} s  ratio {lifetimes_fit / fit_time:5.1f}x"
    )
    print(
        f"lifetimes 12-month value {lifetimes_value:7.2f} s  ratio "
        f"{lifetimes_value / value_time:5.1f}x  largest relative difference "
        f"{difference:.1e}"
    )


if __name__ == "__main__":
    main()
