"""ChurnRiskScorer: a churn risk between 0 and 1 for every customer (in progress).

This module holds the supervised method (a labelled history); the rules and
BG/NBD methods of the churn issue are still to come, and the class is not
exported until they are.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .exceptions import InvalidInputError

# Bands of risk_band, as (upper bound, name): below 0.3 low, below 0.6 medium.
DEFAULT_BANDS = (0.3, 0.6)
CALIBRATION_BINS = 10


def default_candidates(random_state=None):
    """The two classifiers compared by default, by name.

    A regularised logistic regression (on standardised inputs) and a
    gradient-boosting model: neither wins on every churn data set.
    """
    return {
        "logistic_regression": make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)
        ),
        "gradient_boosting": HistGradientBoostingClassifier(random_state=random_state),
    }


class ChurnRiskScorer(ClassifierMixin, BaseEstimator):
    """Churn risk in [0, 1] from a labelled history (supervised method).

    ``fit`` compares a regularised logistic regression and a
    gradient-boosting model (or the given ``classifier``) by stratified
    cross-validation on ROC AUC, keeps the better, and calibrates its
    probabilities (``CalibratedClassifierCV``). Class imbalance is handled
    by calibration and the decision ``threshold``, not by reweighting or
    resampling, which would bias the probabilities: a risk of 0.2 means that
    about 20% of such customers leave.

    Parameters
    ----------
    classifier : classifier, default=None
        Any scikit-learn classifier with ``predict_proba``; None compares the
        two defaults.
    cv : int, default=5
        Folds of the internal cross-validation and of the calibration.
    calibration : {"sigmoid", "isotonic"}, default="sigmoid"
        Calibration method (isotonic needs thousands of customers).
    threshold : float, default=0.5
        Risk from which ``predict`` says "churn".
    bands : (float, float), default=(0.3, 0.6)
        Upper bounds of the "low" and "medium" risk bands of ``risk_band``.
    random_state : int, RandomState instance or None, default=None

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; the second is churn.
    method_ : str
        "supervised".
    chosen_ : str
        Name of the classifier kept.
    cv_results_ : DataFrame
        Per candidate: mean and standard deviation over the folds of ROC
        AUC, PR AUC (average precision) and Brier score, and ``chosen``.
    calibration_ : DataFrame or None
        Out-of-fold calibration of the kept, calibrated model (nested
        folds): per bin of predicted risk, the number of customers, mean
        predicted risk and observed churn rate. None when the rarer class
        is too small for nested folds.
    n_features_in_ : int
    """

    _parameter_constraints = {
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "calibration": [StrOptions({"sigmoid", "isotonic"})],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "bands": [tuple, list],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        classifier=None,
        *,
        cv=5,
        calibration="sigmoid",
        threshold=0.5,
        bands=DEFAULT_BANDS,
        random_state=None,
    ):
        self.classifier = classifier
        self.cv = cv
        self.calibration = calibration
        self.threshold = threshold
        self.bands = bands
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Compare the candidates, keep the better, calibrate it.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            Numeric features (for example SurveyPreprocessor's output).
        y : array-like of shape (n_customers,)
            Two labels; the second of the sorted labels is churn.

        Returns
        -------
        self : ChurnRiskScorer
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) == 1:
            raise InvalidInputError(
                f"ChurnRiskScorer.fit: y holds one class only "
                f"({self.classes_[0]!r}); expected two (stayed, churned)."
            )
        if len(self.classes_) > 2:
            raise InvalidInputError(
                "ChurnRiskScorer.fit: Only binary classification is supported: y "
                f"must hold two classes (stayed, churned); found {len(self.classes_)}: "
                f"{self.classes_[:5].tolist()!r}."
            )
        counts = np.bincount(codes)
        if counts.min() < self.cv:
            raise InvalidInputError(
                f"ChurnRiskScorer.fit: the rarer class has {counts.min()} "
                f"customer(s); cv={self.cv} folds need at least {self.cv} of each."
            )
        self._check_bands()
        folds = StratifiedKFold(self.cv, shuffle=True, random_state=_seed(self))
        if self.classifier is None:
            candidates = default_candidates(_seed(self))
        else:
            candidates = {type(self.classifier).__name__: self.classifier}
        rows = []
        for name, candidate in candidates.items():
            scores = _fold_scores(candidate, X, codes, folds)
            rows.append({"candidate": name, **scores})
        results = pd.DataFrame(rows).set_index("candidate")
        chosen = results.sort_values(
            ["roc_auc_mean", "brier_mean"], ascending=[False, True]
        ).index[0]
        results["chosen"] = results.index == chosen
        model = CalibratedClassifierCV(
            clone(candidates[chosen]), method=self.calibration, cv=folds
        )
        self.calibration_ = None
        if counts.min() * (self.cv - 1) // self.cv >= self.cv:
            # honest out-of-fold risks of the calibrated model (nested folds)
            out_of_fold = cross_val_predict(
                clone(model), X, codes, cv=folds, method="predict_proba"
            )[:, 1]
            self.calibration_ = calibration_table(codes, out_of_fold)
        self.model_ = model.fit(X, codes)
        self.method_ = "supervised"
        self.chosen_ = chosen
        self.cv_results_ = results
        return self

    def _check_bands(self):
        bands = tuple(self.bands)
        if len(bands) != 2 or not 0 < bands[0] < bands[1] < 1:
            raise InvalidInputError(
                f"ChurnRiskScorer: bands is {self.bands!r}; expected two cut points "
                "0 < low < high < 1, for example (0.3, 0.6)."
            )

    def predict_proba(self, X):
        """Probabilities of staying and of churning (rows sum to 1)."""
        check_is_fitted(self, "model_")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.model_.predict_proba(X)

    def predict(self, X):
        """Churn (the second class) where the risk reaches ``threshold``."""
        risk = self.predict_proba(X)[:, 1]
        return self.classes_[(risk >= self.threshold).astype(int)]

    def risk_band(self, X):
        """ "low", "medium" or "high" risk, by the cut points ``bands``."""
        risk = self.predict_proba(X)[:, 1]
        low, high = self.bands
        return np.where(risk < low, "low", np.where(risk < high, "medium", "high"))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


def _seed(estimator):
    random_state = estimator.random_state
    if isinstance(random_state, np.random.RandomState):
        return random_state.randint(np.iinfo(np.int32).max)
    return random_state


def _fold_scores(candidate, X, codes, folds):
    """ROC AUC, PR AUC and Brier score of a candidate over the folds."""
    scores = {"roc_auc": [], "pr_auc": [], "brier": []}
    for train, test in folds.split(X, codes):
        model = clone(candidate).fit(X[train], codes[train])
        risk = model.predict_proba(X[test])[:, 1]
        scores["roc_auc"].append(roc_auc_score(codes[test], risk))
        scores["pr_auc"].append(average_precision_score(codes[test], risk))
        scores["brier"].append(brier_score_loss(codes[test], risk))
    summary = {}
    for name, values in scores.items():
        summary[f"{name}_mean"] = float(np.mean(values))
        summary[f"{name}_std"] = float(np.std(values))
    return summary


def calibration_table(outcome, risk, n_bins=CALIBRATION_BINS):
    """Per bin of predicted risk (equal counts): customers, mean risk, churn rate."""
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
