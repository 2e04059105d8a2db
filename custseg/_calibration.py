"""Calibrated churn risks, and an honest measure of them.

The kept classifier is calibrated by scikit-learn's
``CalibratedClassifierCV`` (``ensemble=True``): one model per fold, fitted
without that fold and calibrated on it, their calibrated probabilities
averaged. Each calibrator thus maps the scores of the very model it was
fitted for, on customers that model did not see.

Measuring such a predictor honestly takes nested cross-validation: fold
k's risks must come from models *and* calibrators that never saw fold k.
Its inner folds are the outer folds: for fold k, the inner ensemble has one
member per other fold j, the model fitted without folds j and k,
calibrated on fold j. The model that leaves out folds j and k serves both
fold k's ensemble (calibrated on j) and fold j's (calibrated on k), so the
measure costs cv (cv - 1) / 2 fits per candidate. Inner models see
(cv - 2) / cv of the customers, so the measure is slightly pessimistic
for small cv.
"""

from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from .exceptions import InvalidInputError

CALIBRATION_BINS = 10


def decision_scores(classifier, X):
    """The classifier's score of the second class, one number per row.

    Its ``decision_function`` when it has one, else the probability of the
    second class: what ``CalibratedClassifierCV`` calibrates.
    """
    if hasattr(classifier, "decision_function"):
        scores = classifier.decision_function(X)
        what = "decision_function"
    else:
        scores = np.asarray(classifier.predict_proba(X))
        what = "predict_proba"
        if scores.ndim == 2 and scores.shape[1] == 2:
            scores = scores[:, 1]
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.shape != (len(X),):
        raise InvalidInputError(
            f"ChurnRiskScorer: the classifier's {what} returned shape "
            f"{scores.shape}; expected one score per customer ({len(X)},) for "
            "two classes."
        )
    return scores


def left_out_pairs(n_folds):
    """The pairs of folds (j < k) left out by the inner models."""
    return list(combinations(range(n_folds), 2))


def nested_risk(models, method, X, outcome, folds):
    """Out-of-fold calibrated risks from models and calibrators blind to the fold.

    Parameters
    ----------
    models : dict
        ``models[(j, k)]``: the classifier fitted without folds j and k, for
        every pair j < k.
    method : {"sigmoid", "isotonic"}
    X : ndarray of shape (n_samples, n_features)
    outcome : ndarray of shape (n_samples,)
        0/1 outcomes.
    folds : list of (train, test) index arrays

    Returns
    -------
    risk : ndarray of shape (n_samples,)
        Fold k's: the mean over j != k of the model without folds j and k,
        calibrated on fold j.
    """
    risk = np.zeros(len(outcome))
    for (j, k), model in models.items():
        for calibrate, scored in ((j, k), (k, j)):
            rows, target = folds[calibrate][1], folds[scored][1]
            # a frozen model is not refitted: one split with every row as its
            # test rows only collects the model's scores (the default 5-fold
            # split would ask for 5 customers of each class)
            everyone = np.arange(len(rows))
            calibrated = CalibratedClassifierCV(
                FrozenEstimator(model), method=method, cv=[(everyone, everyone)]
            )
            calibrated.fit(X[rows], outcome[rows])
            risk[target] += calibrated.predict_proba(X[target])[:, 1]
    return risk / (len(folds) - 1)


def calibration_table(outcome, risk, n_bins=CALIBRATION_BINS):
    """Per bin of predicted risk (equal counts): customers, mean risk, churn rate.

    Examples
    --------
    >>> import numpy as np
    >>> calibration_table(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.7, 0.9]),
    ...                   n_bins=2)
              customers  mean_risk  churn_rate
    risk bin
    0                 2       0.15         0.0
    1                 2       0.80         1.0
    """
    order = np.argsort(risk, kind="stable")
    bins = np.empty(len(risk), dtype=np.int64)
    bins[order] = np.arange(len(risk)) * n_bins // len(risk)
    frame = pd.DataFrame({"bin": bins, "risk": risk, "churned": outcome})
    table = frame.groupby("bin").agg(
        customers=("risk", "size"),
        mean_risk=("risk", "mean"),
        churn_rate=("churned", "mean"),
    )
    table.index.name = "risk bin"
    return table
