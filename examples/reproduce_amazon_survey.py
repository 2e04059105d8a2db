"""Reproduce the documented Amazon-survey segmentation with custseg.

The segmentation custseg grew from (the "first seed") documents a feature
matrix, a PCA, a K-means scan over K = 2..9, a final K-means, three other
algorithms and a bootstrap stability. This script runs that analysis with
custseg's estimators on the raw survey, prints every documented figure
beside custseg's and exits with status 1 if one differs (1e-6; the bootstrap
mean, whose resampling scheme the seed did not document, within 0.03).
``SegmentProfiler`` then profiles the final segments: the seed's chi-square
and ANOVA tables, its cluster profile (size, mean age, five most frequent
purchase-category answers), personas, and an HTML report.

Needs the survey in the data home (``CUSTSEG_DATA_HOME``; see
``custseg.datasets``).

Usage::

    python examples/reproduce_amazon_survey.py [--json PATH] [--report PATH]
"""

import argparse
import json
import sys
import warnings

from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import GaussianMixture
from sklearn.pipeline import make_pipeline

from custseg import ClusterSelector, SegmentProfiler, SurveyPreprocessor
from custseg.datasets import load_amazon_survey
from custseg.exceptions import DataDroppedWarning

# The seed's documented figures (REPRODUCTION.md section 6, its
# clustering_results_summary.json and bootstrap_ari.txt).
DOCUMENTED = {
    "kmeans_scan": {
        2: (15305.6853, 0.094180, 69.4876),
        3: (14557.9214, 0.075293, 51.8513),
        4: (14031.8955, 0.070366, 43.2761),
        5: (13592.2262, 0.065410, 38.2787),
        6: (13218.9726, 0.065360, 34.8007),
        7: (12895.1469, 0.064336, 32.1692),
        8: (12640.0977, 0.066665, 29.7950),
        9: (12365.4776, 0.065386, 28.2509),
    },
    "final": {
        "silhouette": 0.0941802,
        "davies_bouldin": 2.9113374,
        "calinski_harabasz": 69.4875850,
        "sizes": [303, 299],
    },
    "agglomerative": {
        "silhouette": 0.0422555,
        "davies_bouldin": 3.5655309,
        "calinski_harabasz": 25.8001715,
    },
    "gmm": {
        "silhouette": 0.0441877,
        "davies_bouldin": 4.4678626,
        "calinski_harabasz": 29.2279202,
    },
    "dbscan": {"n_clusters": 0, "noise_share": 1.0},
    "bootstrap_ari_mean": 0.8908715,
    # REPRODUCTION.md section 6, the examples it quotes from
    # stat_tests_categorical.json and stat_tests_numeric.json
    "chi2": {"gender": (12.5644, 0.005680)},
    "anova": {
        "shopping_satisfaction_num": (540.706, 9.27e-86),
        "age": (0.403, 0.526),
    },
    "age_mean_of_the_303": 31.05,
}
# The seed's test tables: the columns it tested with chi-square, and with
# ANOVA (a "<column>_num" is its rank or rating, the profiler's number).
SEED_CHI2 = [
    "gender",
    "purchase_frequency",
    "personalized_recommendation_frequency",
    "browsing_frequency",
    "product_search_method",
    "search_result_exploration",
    "add_to_cart_browsing",
    "cart_completion_frequency",
    "saveforlater_frequency",
    "review_left",
    "review_reliability",
    "review_helpfulness",
    "recommendation_helpfulness",
    "service_appreciation",
    "improvement_areas",
]
SEED_ANOVA = [
    "rating_accuracy_num",
    "customer_reviews_importance_num",
    "recommendation_helpfulness_num",
    "shopping_satisfaction_num",
    "saveforlater_frequency_num",
    "cart_completion_frequency_num",
    "age",
    "customer_reviews_importance",
    "personalized_recommendation_frequency_1",
    "rating_accuracy",
    "shopping_satisfaction",
]
SCORES = ("silhouette", "davies_bouldin", "calinski_harabasz")


def seed_reader():
    """How the profile reads the raw answers: the seed's roles and orders.

    The preset's roles, except that the raw texts the seed profiled are
    read as answers (purchase categories as a multi-select answer) rather
    than topic weights, and the timestamp is not profiled.
    """
    preset = SurveyPreprocessor.from_preset("amazon_seed").get_params()
    roles = {
        **preset["roles"],
        "timestamp": "ignore",
        "purchase_categories": "multiselect",
        "cart_abandonment_factors": "nominal",
    }
    return SurveyPreprocessor(
        roles=roles, orders=preset["orders"], likert_scales=preset["likert_scales"]
    )


def profile(answers, segmentation, report):
    """Profile the final segmentation; the seed's tables and cluster profile."""
    with warnings.catch_warnings():
        # the preset's recommendation_helpfulness quirk, already reported
        warnings.simplefilter("ignore", DataDroppedWarning)
        profiler = SegmentProfiler(
            FrozenEstimator(segmentation), reader=seed_reader(), random_state=42
        ).fit(answers)
    tests = profiler.tests_.set_index(["column", "test"])
    chi2 = {
        column: {
            "chi2": float(tests.loc[(column, "chi-square"), "statistic"]),
            "p_value": float(tests.loc[(column, "chi-square"), "p_value"]),
        }
        for column in SEED_CHI2
    }
    anova = {}
    for name in SEED_ANOVA:
        row = tests.loc[(name.removesuffix("_num"), "ANOVA")]
        anova[name] = {
            "f_stat": float(row["statistic"]),
            "p_value": float(row["p_value"]),
        }
    summary = profiler.to_dict()["segments"]
    cluster_profile = {
        segment: {
            "count": entry["size"],
            "age_mean": entry["numbers"]["age"]["mean"],
            "top_purchase_categories": entry["top_answers"]["purchase_categories"],
        }
        for segment, entry in summary.items()
    }
    if report:
        profiler.to_html(report, X=answers)
    personas = {
        segment: {
            "name": entry["persona"],
            "description": entry["description"],
            "actions": entry["actions"],
        }
        for segment, entry in summary.items()
    }
    return chi2, anova, cluster_profile, personas


def reproduce(report=None):
    """Run the seed's analysis with custseg; return the figures as a dict."""
    answers = load_amazon_survey()
    preprocessor = SurveyPreprocessor.from_preset("amazon_seed")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataDroppedWarning)
        matrix = preprocessor.fit_transform(answers)
    notes = [str(warning.message) for warning in caught]
    pca = PCA(n_components=0.95, random_state=42)
    components = pca.fit_transform(matrix)

    scan = ClusterSelector(
        [(KMeans(n_init=20, random_state=42), {"n_clusters": list(range(2, 10))})],
        n_bootstrap=0,
    ).fit(components)
    final = ClusterSelector(
        [(KMeans(n_init=50, random_state=42), {"n_clusters": [2]})],
        n_bootstrap=20,
        bootstrap_size=len(components),  # resamples as large as the data
        random_state=42,
    ).fit(components)
    others = ClusterSelector(
        [
            (AgglomerativeClustering(linkage="ward"), {"n_clusters": [2]}),
            (GaussianMixture(random_state=42), {"n_components": [2]}),
            (DBSCAN(eps=0.5, min_samples=5), {}),
        ],
        n_bootstrap=0,
    ).fit(components)

    def scores(row):
        return {name: float(row[name]) for name in SCORES}

    final_row = final.results_.iloc[0]
    sizes = sorted(
        (int((final.labels_ == c).sum()) for c in range(final.n_clusters_)),
        reverse=True,
    )
    dbscan = others.results_.iloc[2]
    chi2, anova, cluster_profile, personas = profile(
        answers, make_pipeline(preprocessor, pca, final), report
    )
    return {
        "n_features": int(matrix.shape[1]),
        "n_components": int(components.shape[1]),
        "kmeans_scan": [
            {
                "k": int(row.n_clusters),
                "inertia": float(row.inertia),
                "silhouette": float(row.silhouette),
                "calinski_harabasz": float(row.calinski_harabasz),
            }
            for row in scan.results_.itertuples()
        ],
        "scan_choice": scan.selection_reason_,
        "final": {**scores(final_row), "sizes": sizes},
        "agglomerative": scores(others.results_.iloc[0]),
        "gmm": scores(others.results_.iloc[1]),
        "dbscan": {
            "n_clusters": int(dbscan.n_clusters),
            "noise_share": float(dbscan.noise_share),
            "reason": dbscan.reason,
        },
        "bootstrap_ari_mean": float(final_row.stability),
        "chi2": chi2,
        "anova": anova,
        "cluster_profile": cluster_profile,
        "personas": personas,
        "notes": notes,
    }


def compare(figures):
    """Lines of a readable table and the number of figures that differ."""
    lines, failures = [], 0

    def check(name, ours, documented, tolerance):
        nonlocal failures
        ok = abs(ours - documented) <= tolerance
        failures += not ok
        lines.append(
            f"  {name:42s} {documented:14.7f} {ours:14.7f}  {'ok' if ok else 'DIFFERS'}"
        )

    lines.append(f"  {'figure':42s} {'documented':>14s} {'custseg':>14s}")
    check("feature columns", figures["n_features"], 95, 0)
    check("PCA components (95% of variance)", figures["n_components"], 38, 0)
    for row in figures["kmeans_scan"]:
        inertia, silhouette, calinski = DOCUMENTED["kmeans_scan"][row["k"]]
        check(f"K-means K={row['k']} inertia", row["inertia"], inertia, 1e-4)
        check(f"K-means K={row['k']} silhouette", row["silhouette"], silhouette, 1e-6)
        check(
            f"K-means K={row['k']} Calinski-Harabasz",
            row["calinski_harabasz"],
            calinski,
            1e-4,
        )
    for group in ("final", "agglomerative", "gmm"):
        for name in SCORES:
            check(
                f"{group} {name}", figures[group][name], DOCUMENTED[group][name], 1e-6
            )
    for ours, documented in zip(
        figures["final"]["sizes"], DOCUMENTED["final"]["sizes"], strict=True
    ):
        check("final segment size", ours, documented, 0)
    check("DBSCAN clusters (all noise)", figures["dbscan"]["n_clusters"], 0, 0)
    check("DBSCAN noise share", figures["dbscan"]["noise_share"], 1.0, 0)
    check(
        "bootstrap ARI mean (20 resamples)",
        figures["bootstrap_ari_mean"],
        DOCUMENTED["bootstrap_ari_mean"],
        0.03,
    )
    for column, (chi2, p_value) in DOCUMENTED["chi2"].items():
        ours = figures["chi2"][column]
        check(f"chi-square {column}", ours["chi2"], chi2, 1e-4)
        check(f"chi-square {column} p-value", ours["p_value"], p_value, 1e-6)
    for column, (f_stat, p_value) in DOCUMENTED["anova"].items():
        ours = figures["anova"][column]
        check(f"ANOVA {column} F", ours["f_stat"], f_stat, 1e-3)
        check(f"ANOVA {column} p-value", ours["p_value"], p_value, p_value * 1e-2)
    big = max(figures["cluster_profile"].values(), key=lambda entry: entry["count"])
    check(
        "largest segment's mean age",
        big["age_mean"],
        DOCUMENTED["age_mean_of_the_303"],
        5e-3,
    )
    return lines, failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    parser.add_argument(
        "--report",
        metavar="PATH",
        default="amazon_survey_report.html",
        help="where to write the HTML segment report (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    figures = reproduce(report=args.report)
    for note in figures["notes"]:
        print(f"custseg says: {note}\n")
    lines, failures = compare(figures)
    print("\n".join(lines))
    print(f"\nK-means scan, custseg's own choice: {figures['scan_choice']}")
    print("\nPersonas of the two segments (SegmentProfiler):")
    for segment, persona in figures["personas"].items():
        print(f"\n  {segment}: {persona['name']}\n  {persona['description']}")
        for action in persona["actions"]:
            print(f"    - {action}")
    print(f"\nHTML report written to {args.report}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(
                {k: v for k, v in figures.items() if k != "notes"}, handle, indent=2
            )
    print(
        "\nall documented figures reproduced"
        if not failures
        else f"\n{failures} figure(s) differ"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
