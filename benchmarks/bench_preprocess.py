"""Benchmark: SurveyPreprocessor against a hand-built scikit-learn ColumnTransformer.

Both encode the same ``make_survey`` answers (no text topics, timestamp left
out) into the same columns: numbers and ratings median-imputed and
standardised, ordered answers ranked, imputed and standardised, other answers
most-frequent-imputed and one-hot encoded, the multi-select column one 0/1
column per option. custseg also infers every role, strips answers and counts
unknown ones; the hand-built transformer is told everything.

Each tool runs in a fresh process (so peak memory is its own) ``--repeats``
times; the best time is reported, with the ratio custseg / scikit-learn and
each process's peak resident memory (which includes the data itself).

Usage::

    python benchmarks/bench_preprocess.py [--n-rows 1000000] [--repeats 3]
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np

SEED = 0

ORDERS = {
    "purchase_frequency": [
        "Less than once a month",
        "Once a month",
        "Few times a month",
        "Once a week",
        "Multiple times a week",
    ],
    "personalized_recommendation_frequency": ["No", "Sometimes", "Yes"],
    "browsing_frequency": [
        "Rarely",
        "Few times a month",
        "Few times a week",
        "Multiple times a day",
    ],
    "add_to_cart_browsing": ["No", "Maybe", "Yes"],
    "cart_completion_frequency": ["Never", "Rarely", "Sometimes", "Often", "Always"],
    "saveforlater_frequency": ["Never", "Rarely", "Sometimes", "Often", "Always"],
    "review_left": ["No", "Yes"],
    "review_reliability": ["Never", "Rarely", "Occasionally", "Moderately", "Heavily"],
    "review_helpfulness": ["No", "Sometimes", "Yes"],
    "recommendation_helpfulness": ["No", "Sometimes", "Yes"],
}
NUMERIC = [
    "age",
    "customer_reviews_importance",
    "personalized_recommendation_frequency_1",
    "rating_accuracy",
    "shopping_satisfaction",
]
NOMINAL = [
    "gender",
    "product_search_method",
    "search_result_exploration",
    "cart_abandonment_factors",
    "service_appreciation",
    "improvement_areas",
]


def _fill_empty(column):
    return column.fillna("")


def _split_options(text):
    return [option for option in text.split(";") if option]


def hand_built_transformer():
    """The scikit-learn ColumnTransformer a careful user would write."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import (
        FunctionTransformer,
        OneHotEncoder,
        OrdinalEncoder,
        StandardScaler,
    )

    ordinal = make_pipeline(
        OrdinalEncoder(
            categories=list(ORDERS.values()),
            handle_unknown="use_encoded_value",
            unknown_value=np.nan,
            encoded_missing_value=np.nan,
        ),
        SimpleImputer(strategy="median"),
        StandardScaler(),
    )
    return ColumnTransformer(
        [
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                NUMERIC,
            ),
            ("ordinal", ordinal, list(ORDERS)),
            (
                "nominal",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                NOMINAL,
            ),
            (
                "multiselect",
                make_pipeline(
                    FunctionTransformer(_fill_empty),
                    CountVectorizer(
                        tokenizer=_split_options,
                        token_pattern=None,
                        lowercase=False,
                        binary=True,
                    ),
                ),
                "purchase_categories",
            ),
        ],
        sparse_threshold=0.0,
    )


def run_one(tool, n_rows):
    """Time one fit_transform in this process; print a JSON line."""
    import warnings

    from custseg import SurveyPreprocessor
    from custseg.datasets import make_survey

    frame = make_survey(n_rows, missing_rate=0.02, random_state=SEED)
    data_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if tool == "custseg":
        transformer = SurveyPreprocessor(roles={"timestamp": "ignore"})
    else:
        transformer = hand_built_transformer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        out = transformer.fit_transform(frame)
        seconds = time.perf_counter() - start
    assert np.isfinite(out).all()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "tool": tool,
                "seconds": seconds,
                "shape": out.shape,
                "peak_mib": peak_kib / 1024,
                "data_mib": data_kib / 1024,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--child", choices=["custseg", "sklearn"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        run_one(args.child, args.n_rows)
        return

    results = {}
    for tool in ("custseg", "sklearn"):
        runs = []
        for _ in range(args.repeats):
            completed = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    tool,
                    "--n-rows",
                    str(args.n_rows),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
        results[tool] = runs

    import sklearn

    import custseg

    print(f"fit_transform of {args.n_rows:,} make_survey rows, best of {args.repeats}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}, custseg {custseg.__version__}"
    )
    best = {}
    for tool, runs in results.items():
        best[tool] = min(run["seconds"] for run in runs)
        peak = max(run["peak_mib"] for run in runs)
        data = max(run["data_mib"] for run in runs)
        print(
            f"  {tool:8s} {best[tool]:7.2f} s   output {tuple(runs[0]['shape'])}   "
            f"peak memory {peak:,.0f} MiB (data alone {data:,.0f} MiB)   (all runs: "
            + ", ".join(f"{run['seconds']:.2f}" for run in runs)
            + " s)"
        )
    print(f"  ratio custseg / scikit-learn: {best['custseg'] / best['sklearn']:.2f}")


if __name__ == "__main__":
    main()
