"""The same fit with the same random_state gives byte-identical results in any process.

Two fresh Python processes with different PYTHONHASHSEED values (so sets and
dicts of strings iterate in different orders) run the same fits and print a
digest of every result; the digests must be equal byte for byte.
"""

import json
import os
import subprocess
import sys

SCRIPT = r"""
import hashlib
import json
import warnings

import numpy as np
from sklearn.pipeline import make_pipeline

from custseg import ChurnRiskScorer, ClusterSelector, CLVEstimator, SurveyPreprocessor
from custseg.datasets import make_purchase_summary, make_survey
from custseg.exceptions import CustsegWarning

warnings.simplefilter("ignore", CustsegWarning)


def digest(*arrays):
    hasher = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(np.asarray(array))
        hasher.update(str(array.dtype).encode() + str(array.shape).encode())
        hasher.update(array.tobytes())
    return hasher.hexdigest()


out = {}
survey = make_survey(300, n_segments=3, random_state=0)
out["survey"] = digest(
    *(survey[column].astype(str).to_numpy(dtype="U") for column in survey.columns)
)

pipeline = make_pipeline(
    SurveyPreprocessor(roles={"timestamp": "ignore"}),
    ClusterSelector(k_range=(2, 3, 4), n_bootstrap=3, random_state=0),
)
labels = pipeline.fit_predict(survey)
selector = pipeline[-1]
scores = selector.results_.select_dtypes("number").drop(columns="fit_seconds")
out["segments"] = {
    "labels": digest(labels),
    "centres": digest(selector.cluster_centers_),
    "scores": digest(scores.to_numpy(dtype=float)),
    "reason": selector.selection_reason_,
    "features": list(pipeline[0].get_feature_names_out()),
}

X = pipeline[0].transform(survey)
y = (survey["shopping_satisfaction"].fillna(3) <= 2).to_numpy()
scorer = ChurnRiskScorer(cv=3, random_state=0).fit(X, y)
out["churn"] = {
    "chosen": scorer.chosen_,
    "risk": digest(scorer.predict_risk(X)),
    "cv_scores": digest(scorer.cv_results_.scores.select_dtypes("number").to_numpy()),
}

summary = make_purchase_summary(500, random_state=0)
clv = CLVEstimator(spend_model=None).fit(summary)
out["clv"] = {
    "params": digest(clv.params_["estimate"].to_numpy()),
    "purchases": digest(clv.predict_purchases(summary, 52.0)),
    "alive": digest(clv.predict_proba_alive(summary)),
}
print(json.dumps(out, sort_keys=True))
"""


def _run(hash_seed):
    env = dict(os.environ, PYTHONHASHSEED=str(hash_seed), OMP_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_fits_are_byte_identical_across_processes_and_hash_seeds():
    first, second = _run(1), _run(2024)
    assert first == second
    result = json.loads(first)
    # the fits ran: a segmentation of the planted segments, a churn model
    assert result["segments"]["features"]
    assert result["churn"]["chosen"] in ("logistic_regression", "gradient_boosting")
