"""Behavioural segments of Amazon reviewers, from the product and review table.

The second seed project grouped the Kaggle "Amazon Sales" table by its raw
``user_id`` cell, which holds a comma-joined *list* of up to 8 reviewers,
and clustered those 1,192 lists with K-means (k = 3) into three personas
named by hand. This script does both:

- ``--seed-grouping`` reproduces the seed exactly (its steps are listed in
  ``docs/reproduction.md``) and prints its reference figures beside
  custseg's: the silhouette and sizes for k = 2..7 and the persona table;
- by default, a user is a person: the reviewer lists are exploded
  (``load_amazon_sales(explode_reviewers=True)``: 9,050 reviewers),
  ``BehaviorAggregator`` builds their behaviour, ``ClusterSelector`` chooses
  the segmentation and says why, ``SegmentProfiler`` names the personas
  from the data, and a table shows where the seed's three personas went.

Needs ``amazon_sales/amazon.csv`` in the data home (``CUSTSEG_DATA_HOME``).

Usage::

    python examples/amazon_user_segments.py [--seed-grouping] [--json PATH]
"""

import argparse
import json
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from custseg import (
    BehaviorAggregator,
    ClusterSelector,
    SegmentProfiler,
    SurveyPreprocessor,
)
from custseg.datasets import load_amazon_sales
from custseg.exceptions import DataDroppedWarning

# The seed's published figures (../shared/reference/amazon_sales/REPRODUCTION.md).
SEED_RESULTS = {
    2: (0.607, [69, 1123]),
    3: (0.292, [69, 471, 652]),
    4: (0.302, [34, 66, 461, 631]),
    5: (0.318, [34, 65, 263, 358, 472]),
    6: (0.327, [14, 34, 112, 270, 337, 425]),
    7: (0.316, [26, 34, 101, 129, 232, 259, 411]),
}
SEED_PERSONAS = pd.DataFrame(
    {
        "users": [471, 652, 69],
        "mean_discount": [27.0, 59.7, 51.9],
        "mean_spend": [4475, 1162, 5329],
        "mean_rating": [4.23, 3.97, 4.16],
        "n_events": [1.04, 1.08, 3.84],
        "engagement_score": [4.4, 4.3, 15.9],
    },
    index=pd.Index(
        ["Casual Buyers", "Deal Seekers", "Premium Loyalists"], name="persona"
    ),
)
SEED_FEATURES = ["n_events", "mean_rating", "rating_std", "mean_discount", "mean_spend"]
SEED_FEATURES += ["engagement_score"]
BEHAVIOUR = {
    "user_col": "user_id",
    "rating_col": "rating",
    "discount_col": "discount_percentage",
    "spend_col": "discounted_price",
}


def seed_table():
    """The seed's input: its parsing, filling and dropping steps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataDroppedWarning)  # the one "|" rating
        sales = load_amazon_sales()
    # the seed filled the one unreadable rating with the median rating, then
    # dropped the 2 rows without a rating count
    sales = sales.assign(rating=sales["rating"].fillna(sales["rating"].median()))
    return sales[sales["rating_count"].notna()]


def seed_segments(sales):
    """The seed's users (raw reviewer lists), features, and K-means runs."""
    aggregator = BehaviorAggregator(features=SEED_FEATURES, **BEHAVIOUR)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataDroppedWarning)
        users = aggregator.fit_transform(sales)
    notes = [str(w.message) for w in caught]
    users = users.sort_index()  # the seed's groupby order (it matters to K-means)
    scaled = StandardScaler().fit_transform(users)
    runs = {}
    for k in SEED_RESULTS:
        labels = KMeans(k, n_init=10, random_state=42).fit_predict(scaled)
        runs[k] = (silhouette_score(scaled, labels), labels)
    return users, runs, aggregator.dropped_features_, notes


def seed_persona_names(users, labels):
    """The seed's hand naming, as a rule: most reviews → Premium Loyalists;
    of the other two, the higher mean discount → Deal Seekers."""
    means = users.groupby(labels).mean()
    premium = means["n_events"].idxmax()
    rest = means.drop(index=premium)
    deal = rest["mean_discount"].idxmax()
    casual = rest.drop(index=deal).index[0]
    return {premium: "Premium Loyalists", deal: "Deal Seekers", casual: "Casual Buyers"}


def run_seed_grouping():
    sales = seed_table()
    users, runs, dropped, notes = seed_segments(sales)
    print(f"Seed grouping: {len(users):,} users (raw reviewer lists)")
    for note in notes:
        print(f"  {note}")
    print(f"  features: {', '.join(users.columns)} (dropped as constant: {dropped})")
    rows = []
    for k, (silhouette, labels) in runs.items():
        sizes = sorted(np.bincount(labels).tolist())
        rows.append(
            {
                "k": k,
                "silhouette": round(silhouette, 3),
                "seed silhouette": SEED_RESULTS[k][0],
                "sizes": sizes,
                "seed sizes": SEED_RESULTS[k][1],
            }
        )
    print("\nK-means on the standardised features (n_init 10, random_state 42):")
    print(pd.DataFrame(rows).to_string(index=False))
    silhouette, labels = runs[3]
    names = seed_persona_names(users, labels)
    personas = users.groupby(labels).mean().rename(index=names)
    personas.insert(0, "users", pd.Series(labels).map(names).value_counts())
    personas = personas[SEED_PERSONAS.columns].sort_index()
    print("\nThe seed's k = 3 personas (its hand naming as a rule), reproduced:")
    print(personas.round(2).to_string())
    print("\nThe seed's published table:")
    print(SEED_PERSONAS.to_string())
    return {
        "n_users": len(users),
        "k": 3,
        "sizes": sorted(np.bincount(labels).tolist()),
        "silhouette": float(silhouette),
        "personas": {
            name: {key: float(value) for key, value in row.items()}
            for name, row in personas.iterrows()
        },
    }


def run_people(random_state=0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataDroppedWarning)  # counted in attrs
        log = load_amazon_sales(explode_reviewers=True)
    aggregator = BehaviorAggregator(
        category_col="category", category_level=1, **BEHAVIOUR
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataDroppedWarning)
        users = aggregator.fit_transform(log)
    print(f"People: {len(users):,} reviewers (exploded lists); {log.attrs['dropped']}")
    for note in caught:
        print(f"  {note.message}")
    print(f"  missing values: {aggregator.missing_}")
    reader = SurveyPreprocessor()
    profiler = SegmentProfiler(
        make_pipeline(reader, ClusterSelector(random_state=random_state)),
        reader=reader,
        random_state=random_state,
    ).fit(users)
    selector = profiler.segmenter_[-1]
    print(f"\nChoice: {selector.selection_reason_}")
    labels = pd.Series(profiler.labels_, index=users.index, name="segment")
    print("\nPersonas (SegmentProfiler, named from the data):")
    for segment, persona in profiler.personas_.iterrows():
        print(
            f"\n  {segment}: {persona['name']} ({persona['size']:,} users, "
            f"{persona['share']:.1%})\n  {persona['description']}"
        )
    print("\nMean behaviour per segment:")
    print(users.groupby(labels).mean().round(2).to_string())
    relation = relate_to_seed(log, labels)
    print(
        "\nWhere the seed's personas went (rows: custseg's segments; columns: "
        "the seed persona of each reviewer's rows, share of the segment):"
    )
    print(relation.round(3).to_string())
    return {
        "n_users": len(users),
        "k": int(selector.n_clusters_),
        "sizes": np.bincount(profiler.labels_).tolist(),
        "silhouette": float(selector.results_.loc[selector.best_index_, "silhouette"]),
        "personas": {str(k): v for k, v in profiler.personas_["name"].items()},
        "relation_to_seed": {
            str(k): {str(c): float(v) for c, v in row.items()}
            for k, row in relation.iterrows()
        },
    }


def relate_to_seed(log, labels):
    """Cross-table of custseg's segments against the seed persona of each person.

    A person's seed persona is that of the reviewer list (the seed's "user")
    most of their rows belong to; a tie goes to the persona first in
    alphabetical order. Reviewers found only in the 2 rows the seed dropped
    have no seed persona and are counted, not placed.
    """
    sales = seed_table()
    users, runs, _, _ = seed_segments(sales)
    names = seed_persona_names(users, runs[3][1])
    persona_of_list = pd.Series(runs[3][1], index=users.index).map(names)
    lists = sales[["product_id", "user_id"]].rename(columns={"user_id": "list"})
    lists = lists.assign(person=lists["list"].str.split(",")).explode("person")
    lists["seed persona"] = lists["list"].map(persona_of_list)
    person = lists.groupby("person")["seed persona"].agg(lambda s: s.mode().iloc[0])
    unplaced = int((~labels.index.isin(person.index)).sum())
    if unplaced:
        print(f"  ({unplaced} reviewer(s) only in rows the seed dropped: not placed)")
    return pd.crosstab(labels, person.reindex(labels.index), normalize="index")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seed-grouping",
        action="store_true",
        help="reproduce the seed: users are the raw reviewer-list cells",
    )
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = run_seed_grouping() if args.seed_grouping else run_people()
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
