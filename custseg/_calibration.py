"""Probability calibration of a classifier from its out-of-fold scores.

The supervised churn method scores each candidate classifier on folds.
Those out-of-fold scores are all a calibrator needs: a map from a
classifier's score (its ``decision_function``, else the probability of the
second class) to a probability, fitted on scores of customers the
classifier did not see, as ``CalibratedClassifierCV(ensemble=False)``
does. Reusing the candidates' folds makes the calibrated risks of every
candidate comparable (cross-fitted: fold k's risks come from a calibrator
fitted on the other folds) at the cost of one extra fit, the final one.

Both calibrators are scikit-learn estimators (so a fitted scorer holds only
scikit-learn objects):

- ``"sigmoid"``: Platt's scaling, a logistic regression on the score with
  Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2), which keep
  it finite when the scores separate the classes;
- ``"isotonic"``: a non-decreasing step function, clipped to [0, 1].
"""

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

CALIBRATION_BINS = 10


def decision_scores(classifier, X):
    """The classifier's score of the second class, one number per row."""
    if hasattr(classifier, "decision_function"):
        return np.asarray(classifier.decision_function(X), dtype=np.float64).ravel()
    return np.asarray(classifier.predict_proba(X), dtype=np.float64)[:, 1]


def fit_calibrator(method, scores, outcome):
    """Fit a map from scores to P(outcome = 1); see the module docstring."""
    if method == "isotonic":
        calibrator = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        return calibrator.fit(scores, outcome)
    positives = int(outcome.sum())
    negatives = len(outcome) - positives
    high = (positives + 1.0) / (positives + 2.0)
    low = 1.0 / (negatives + 2.0)
    target = np.where(outcome == 1, high, low)
    # a soft target t is the pair (label 1, weight t) and (label 0, weight 1 - t)
    features = np.concatenate([scores, scores]).reshape(-1, 1)
    labels = np.repeat([1, 0], len(scores))
    weights = np.concatenate([target, 1.0 - target])
    calibrator = LogisticRegression(C=np.inf, max_iter=1000)
    return calibrator.fit(features, labels, sample_weight=weights)


def calibrated_risk(calibrator, scores):
    """P(outcome = 1) of each score, by a calibrator from ``fit_calibrator``."""
    if isinstance(calibrator, IsotonicRegression):
        return calibrator.predict(scores)
    return calibrator.predict_proba(np.reshape(scores, (-1, 1)))[:, 1]


def cross_fitted_risk(method, scores, outcome, folds):
    """Calibrated out-of-fold risks: fold k mapped by a calibrator fitted on the rest.

    Parameters
    ----------
    method : {"sigmoid", "isotonic"}
    scores : ndarray of shape (n_samples,)
        Out-of-fold scores (each from a classifier that did not see it).
    outcome : ndarray of shape (n_samples,)
        0/1 outcomes.
    folds : list of (train, test) index arrays
        The folds the scores came from.

    Returns
    -------
    risk : ndarray of shape (n_samples,)
    """
    risk = np.empty(len(scores))
    for train, test in folds:
        calibrator = fit_calibrator(method, scores[train], outcome[train])
        risk[test] = calibrated_risk(calibrator, scores[test])
    return risk


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
