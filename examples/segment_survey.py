"""Segment survey respondents: the main job of custseg, on built-in data.

By default the answers are synthetic (``make_survey``: the schema of the
Amazon Consumer Behaviour Survey with planted segments), so the script runs
on a fresh machine with no download; ``--data amazon`` uses the real survey
from the data home (see ``custseg.datasets``).

The pipeline is SurveyPreprocessor -> PCA -> ClusterSelector, which tries
K-means, agglomerative clustering, Gaussian mixtures, DBSCAN and HDBSCAN
with 2 to 9 segments and says why it chose its winner; SegmentProfiler wraps
it and explains the segments on the raw answers. The script prints the roles
custseg inferred for each column, the best candidates, the choice, the
segment sizes and, for synthetic data, how well the planted segments were
recovered (adjusted Rand index), then each segment's persona and recommended
actions; ``--report PATH`` writes the HTML report.

Usage::

    python examples/segment_survey.py [--data synthetic|amazon] [--n-segments 3]
                                      [--report PATH]

``--n-segments`` is the number of segments planted in synthetic data.
"""

import argparse

import pandas as pd
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline

from custseg import ClusterSelector, SegmentProfiler, SurveyPreprocessor
from custseg.datasets import load_amazon_survey, make_survey


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", choices=["synthetic", "amazon"], default="synthetic")
    parser.add_argument("--n-customers", type=int, default=2000)
    parser.add_argument("--n-segments", type=int, default=3)
    parser.add_argument("--random-state", type=int, default=0)
    parser.add_argument("--report", metavar="PATH", help="write the HTML report here")
    args = parser.parse_args(argv)

    planted = None
    if args.data == "synthetic":
        answers, planted = make_survey(
            args.n_customers,
            n_segments=args.n_segments,
            return_segments=True,
            random_state=args.random_state,
        )
        source = f"make_survey: {len(answers):,} synthetic respondents"
    else:
        answers = load_amazon_survey()
        source = f"Amazon Consumer Behaviour Survey: {len(answers):,} respondents"

    # The answer time says nothing about the customer: leave it out.
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    segmentation = make_pipeline(
        reader,
        PCA(n_components=0.9, random_state=args.random_state),
        ClusterSelector(random_state=args.random_state),
    )
    profiler = SegmentProfiler(
        segmentation, reader=reader, random_state=args.random_state
    ).fit(answers)
    pipeline, segments = profiler.segmenter_, profiler.labels_
    preprocessor = pipeline[0]

    with pd.option_context("display.width", 120, "display.max_colwidth", 60):
        print(source)
        print("\nColumn roles inferred by SurveyPreprocessor:")
        print(preprocessor.roles_[["role", "n_outputs", "reason"]].to_string())
        n_features = len(preprocessor.get_feature_names_out())
        n_components = pipeline[1].n_components_
        print(f"\n{n_features} encoded columns, {n_components} principal components")
        selector = pipeline[-1]
        columns = [
            "algorithm",
            "params",
            "silhouette",
            "calinski_harabasz",
            "davies_bouldin",
            "stability",
            "votes",
        ]
        print("\nBest candidates (of", len(selector.results_), "tried):")
        best = selector.results_.sort_values(["votes", "silhouette"], ascending=False)
        print(best[columns].head(5).round(3).to_string())
        print(f"\nChoice: {selector.selection_reason_}")
        sizes = pd.Series(segments).value_counts().sort_index()
        print("\nSegment sizes:")
        for segment, size in sizes.items():
            print(f"  segment {segment}: {size:6,d} ({size / len(segments):.1%})")
        if planted is not None:
            ari = adjusted_rand_score(planted, segments)
            print(
                f"Agreement with the planted segments (adjusted Rand index): {ari:.3f}"
            )
        print("\nPersonas (SegmentProfiler):")
        for segment, persona in profiler.personas_.iterrows():
            print(f"\n  {segment}: {persona['name']}\n  {persona['description']}")
            for action in persona["actions"]:
                print(f"    - {action}")
        skipped = profiler.rules_[profiler.rules_["status"] == "skipped"]
        for _, rule in skipped.iterrows():
            print(f"  (rule {rule['rule']!r} skipped: {rule['reason']})")
    if args.report:
        profiler.to_html(args.report, X=answers)
        print(f"\nHTML report written to {args.report}")


if __name__ == "__main__":
    main()
