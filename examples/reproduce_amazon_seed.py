"""Reproduce the documented feature matrix and K-means scan of the first seed.

The Amazon-survey segmentation custseg grew from documents a 95-column
feature matrix, a 38-component PCA and a K-means scan over K = 2..9. This
script rebuilds them from the raw survey with custseg's "amazon_seed" preset
and prints each documented figure beside custseg's, then exits with status 1
if any differs.

Needs the survey in the data home (``CUSTSEG_DATA_HOME``; see
``custseg.datasets``).

Usage::

    python examples/reproduce_amazon_seed.py
"""

import sys
import warnings

from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

from custseg import SurveyPreprocessor
from custseg.datasets import load_amazon_survey
from custseg.exceptions import DataDroppedWarning

# The seed's documented figures (its RESULTS.md and clustering summary).
DOCUMENTED_SCAN = {
    2: (15305.6853, 0.094180, 69.4876),
    3: (14557.9214, 0.075293, 51.8513),
    4: (14031.8955, 0.070366, 43.2761),
    5: (13592.2262, 0.065410, 38.2787),
    6: (13218.9726, 0.065360, 34.8007),
    7: (12895.1469, 0.064336, 32.1692),
    8: (12640.0977, 0.066665, 29.7950),
    9: (12365.4776, 0.065386, 28.2509),
}
DOCUMENTED_FINAL = {
    "silhouette": 0.0941802,
    "davies_bouldin": 2.9113374,
    "calinski_harabasz": 69.4875850,
}


def main():
    answers = load_amazon_survey()
    preprocessor = SurveyPreprocessor.from_preset("amazon_seed")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataDroppedWarning)
        matrix = preprocessor.fit_transform(answers)
    for warning in caught:
        print(f"custseg says: {warning.message}\n")

    components = PCA(n_components=0.95, random_state=42).fit_transform(matrix)
    print(f"feature matrix: {matrix.shape[1]} columns (documented: 95)")
    print(
        f"PCA keeping 95% of variance: {components.shape[1]} components (documented: 38)\n"
    )
    failures = int(matrix.shape[1] != 95) + int(components.shape[1] != 38)

    print(" K    inertia  documented   silhouette  documented   Calinski-H  documented")
    for k, (inertia, silhouette, calinski) in DOCUMENTED_SCAN.items():
        model = KMeans(n_clusters=k, n_init=20, random_state=42).fit(components)
        ours = (
            model.inertia_,
            silhouette_score(components, model.labels_),
            calinski_harabasz_score(components, model.labels_),
        )
        print(
            f"{k:2d} {ours[0]:10.4f} {inertia:11.4f} {ours[1]:12.6f} {silhouette:11.6f}"
            f" {ours[2]:12.4f} {calinski:11.4f}"
        )
        failures += abs(ours[0] - inertia) > 1e-4
        failures += abs(ours[1] - silhouette) > 1e-6
        failures += abs(ours[2] - calinski) > 1e-4

    final = KMeans(n_clusters=2, n_init=50, random_state=42).fit(components)
    scores = {
        "silhouette": silhouette_score(components, final.labels_),
        "davies_bouldin": davies_bouldin_score(components, final.labels_),
        "calinski_harabasz": calinski_harabasz_score(components, final.labels_),
    }
    print("\nfinal K-means (K=2, n_init=50):")
    for name, documented in DOCUMENTED_FINAL.items():
        print(f"  {name:18s} {scores[name]:.7f}  documented {documented:.7f}")
        failures += abs(scores[name] - documented) > 1e-7
    sizes = sorted((int((final.labels_ == c).sum()) for c in (0, 1)), reverse=True)
    print(f"  sizes              {sizes[0]} / {sizes[1]}  documented 303 / 299")
    failures += sizes != [303, 299]

    print(
        "\nall documented figures reproduced"
        if not failures
        else f"\n{failures} figure(s) differ"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
