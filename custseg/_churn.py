"""ChurnRiskScorer: a churn risk between 0 and 1 for every customer, with reasons."""

import warnings
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

from ._btyd import bgnbd_probability_alive
from ._churn_rules import resolve_rules, rule_risk
from ._clv import SUMMARY_COLUMNS, CLVEstimator
from ._validation import check_frame
from .exceptions import InvalidInputError, LabelWarning

METHODS = ("auto", "supervised", "rules", "bgnbd")

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
    """Churn risk in [0, 1] for every customer, from the data the user has.

    Three methods, chosen by ``method`` (``"auto"`` picks from the data:
    labels ``y`` give "supervised", an RFM summary "bgnbd", ``rules``
    "rules"; ``method_`` says which was used):

    - ``"supervised"`` (labelled history, ``y`` = churned): compares a
      regularised logistic regression and a gradient-boosting model (or the
      given ``classifier``) by stratified cross-validation on ROC AUC, keeps
      the better and calibrates its probabilities. Class imbalance is
      handled by calibration and the decision ``threshold``, not by
      reweighting or resampling, which would bias the probabilities: a risk
      of 0.2 means that about 20% of such customers leave.
    - ``"bgnbd"`` (transactions): X is an RFM summary; the risk is
      1 - P(alive) of a BG/NBD fit (:class:`CLVEstimator`), at the end of
      each customer's observation or ``horizon`` periods later (assuming no
      purchase in between). **In the BG/NBD a customer without a repeat
      purchase never drops out: their risk is 0**, however long the silence
      (the model's assumption; see docs/clv.md).
    - ``"rules"`` (no history, for example survey answers): **a heuristic**,
      the weight of the declared signals a customer triggers over the weight
      of all (see ``custseg._churn_rules``; weights visible in ``rules_``).

    Parameters
    ----------
    method : {"auto", "supervised", "rules", "bgnbd"}, default="auto"
    classifier : classifier, default=None
        Any scikit-learn classifier with ``predict_proba``; None compares the
        two defaults.
    cv : int, default=5
        Folds of the internal cross-validation and of the calibration.
    calibration : {"sigmoid", "isotonic"}, default="sigmoid"
        Calibration method (isotonic needs thousands of customers).
    rules : str or list of dict, default=None
        The rules method's rules: a named set ("survey",
        "recency_frequency") or dicts with ``name``, ``column``, ``op``,
        ``value`` and ``weight``.
    horizon : float, default=0.0
        bgnbd: the risk of being gone ``horizon`` periods after the end of
        the observation, with no purchase in between.
    threshold : float, default=0.5
        Risk from which ``predict`` says "churn".
    pos_label : label, default=None
        supervised: the label that means "churned". None takes the larger of
        two numbers (0/1, False/True) or "yes" of a yes/no pair; for other
        text labels the second in sorted order, with a ``LabelWarning``, so
        that the risk is never silently the probability of staying.
    bands : (float, float), default=(0.3, 0.6)
        Upper bounds of the "low" and "medium" risk bands of ``risk_band``.
    random_state : int, RandomState instance or None, default=None

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels; the second is churn (``pos_label``; [0, 1] for rules and
        bgnbd).
    method_ : str
        The method used.
    chosen_ : str
        supervised: name of the classifier kept.
    rules_ : DataFrame
        rules: the rules and their weights.
    clv_ : CLVEstimator
        bgnbd: the fitted purchase model.
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
        "method": [StrOptions(set(METHODS))],
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "rules": [str, list, tuple, None],
        "horizon": [Interval(Real, 0, None, closed="left")],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "calibration": [StrOptions({"sigmoid", "isotonic"})],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "pos_label": "no_validation",
        "bands": [tuple, list],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        method="auto",
        *,
        classifier=None,
        cv=5,
        calibration="sigmoid",
        rules=None,
        horizon=0.0,
        threshold=0.5,
        bands=DEFAULT_BANDS,
        pos_label=None,
        random_state=None,
    ):
        self.pos_label = pos_label
        self.method = method
        self.rules = rules
        self.horizon = horizon
        self.classifier = classifier
        self.cv = cv
        self.calibration = calibration
        self.threshold = threshold
        self.bands = bands
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the chosen (or picked) method.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            supervised: numeric features (for example SurveyPreprocessor's
            output); bgnbd: an RFM summary; rules: a DataFrame with the
            rules' columns.
        y : array-like of shape (n_customers,), default=None
            supervised: two labels; which means churned: see ``pos_label``.

        Returns
        -------
        self : ChurnRiskScorer
        """
        self._check_bands()
        method = self._pick_method(X, y)
        if method == "supervised":
            self._fit_supervised(X, y)
        elif method == "bgnbd":
            self.clv_ = CLVEstimator(spend_model=None).fit(X)
            self.n_features_in_ = self.clv_.n_features_in_
            if hasattr(self.clv_, "feature_names_in_"):
                self.feature_names_in_ = self.clv_.feature_names_in_
            self.classes_ = np.array([0, 1])
        else:
            frame = check_frame(self, X, reset=True)
            self._rules = resolve_rules(self.rules, frame, "ChurnRiskScorer.fit")
            self.rules_ = pd.DataFrame(self._rules)
            self.rules_.attrs["method"] = (
                "heuristic: the weight of the triggered rules over the weight of all "
                "rules; nothing is fitted to churn outcomes"
            )
            self.classes_ = np.array([0, 1])
        self.method_ = method
        return self

    def _pick_method(self, X, y):
        who = "ChurnRiskScorer.fit"
        if self.method == "supervised" and y is None:
            raise InvalidInputError(
                f"{who}: method='supervised' requires y to be passed, but the target "
                "y is None; expected labels (1 = churned)."
            )
        if self.method != "auto":
            return self.method
        if y is not None:
            return "supervised"
        if isinstance(X, pd.DataFrame) and set(SUMMARY_COLUMNS) <= set(X.columns):
            return "bgnbd"
        if self.rules is not None:
            return "rules"
        raise InvalidInputError(
            f"{who}: method='auto' requires y to be passed, but the target y is "
            f"None, X is no RFM summary (columns {', '.join(SUMMARY_COLUMNS)}) and "
            "there are no rules; give one of them, or choose a method."
        )

    def _fit_supervised(self, X, y):
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) == 2:
            churn = self._churn_label()
            if churn == self.classes_[0]:
                self.classes_ = self.classes_[::-1]
                codes = 1 - codes
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
        self.feature_means_ = X.mean(axis=0)
        self.chosen_ = chosen
        self.cv_results_ = results

    def _churn_label(self):
        """The label meaning churned.

        ``pos_label`` when given; else the larger of two numbers (0/1, 1/2,
        False/True) or "yes"/"1" of a yes/no pair; for other text labels the
        second in sorted order, with a warning that it was assumed.
        """
        labels = list(self.classes_)
        if self.pos_label is not None:
            if self.pos_label not in labels:
                raise InvalidInputError(
                    f"ChurnRiskScorer.fit: pos_label={self.pos_label!r} is not one of "
                    f"the labels {labels!r}."
                )
            return self.pos_label
        numeric = all(isinstance(v, Real | bool | np.bool_ | np.number) for v in labels)
        known = [{"no", "yes"}, {"No", "Yes"}, {"0", "1"}, {"false", "true"}]
        if not numeric and not any(set(map(str, labels)) == pair for pair in known):
            warnings.warn(
                f"ChurnRiskScorer.fit: took {str(labels[1])!r} of the labels "
                f"{[str(v) for v in labels]!r} "
                "to mean churned (the second in sorted order); set pos_label to "
                "say which one does.",
                LabelWarning,
                stacklevel=4,
            )
        return self.classes_[1]

    def _check_bands(self):
        bands = tuple(self.bands)
        if len(bands) != 2 or not 0 < bands[0] < bands[1] < 1:
            raise InvalidInputError(
                f"ChurnRiskScorer: bands is {self.bands!r}; expected two cut points "
                "0 < low < high < 1, for example (0.3, 0.6)."
            )

    def predict_proba(self, X):
        """Probabilities of staying and of churning (rows sum to 1)."""
        risk = self._risk(X)
        return np.column_stack([1 - risk, risk])

    def _risk(self, X):
        check_is_fitted(self, "method_")
        if self.method_ == "supervised":
            X = validate_data(self, X, dtype=np.float64, reset=False)
            return self.model_.predict_proba(X)[:, 1]
        if self.method_ == "bgnbd":
            return 1 - self._alive(X, self.horizon)
        frame = check_frame(self, X, reset=False, method="predict_proba")
        return rule_risk(self._rules, frame)[0]

    def _alive(self, X, horizon):
        """P(alive) ``horizon`` periods after the observation, no purchase between."""
        x, t_x, T, _ = self.clv_._summary(X, reset=False, method="predict_proba")
        return bgnbd_probability_alive(self.clv_._purchases, x, t_x, T + horizon)

    def explain(self, X, n_reasons=3):
        """The top reasons behind each customer's risk, as a tidy table.

        - supervised: the change of the risk when a feature is set to its
          mean over the fitted customers (a model-agnostic contribution;
          positive: the customer's value raises the risk);
        - rules: the rules the customer triggers, with their weights;
        - bgnbd: the customer's repeat purchases and the time since the last
          one, against their risk.

        Parameters
        ----------
        X : array-like
            As in ``fit``.
        n_reasons : int, default=3

        Returns
        -------
        reasons : DataFrame
            ``customer`` (row position), ``rank``, ``reason`` and
            ``contribution`` (risk points).
        """
        check_is_fitted(self, "method_")
        if (
            isinstance(n_reasons, bool)
            or not isinstance(n_reasons, Integral)
            or n_reasons < 1
        ):
            raise InvalidInputError(
                f"ChurnRiskScorer.explain: n_reasons must be a whole number >= 1; "
                f"got {n_reasons!r}."
            )
        if self.method_ == "supervised":
            return self._explain_supervised(X, n_reasons)
        if self.method_ == "rules":
            frame = check_frame(self, X, reset=False, method="explain")
            _, hits = rule_risk(self._rules, frame)
            total = float(sum(rule["weight"] for rule in self._rules))
            rows = []
            for i in range(len(frame)):
                fired = sorted(
                    (j for j in range(len(self._rules)) if hits[i, j]),
                    key=lambda j: -self._rules[j]["weight"],
                )
                for rank, j in enumerate(fired[:n_reasons], start=1):
                    rows.append(
                        (
                            i,
                            rank,
                            self._rules[j]["name"],
                            self._rules[j]["weight"] / total,
                        )
                    )
            return _reasons(rows)
        x, t_x, T, _ = self.clv_._summary(X, reset=False, method="explain")
        risk = 1 - self._alive(X, self.horizon)
        rows = []
        for i in range(len(x)):
            silence = T[i] - t_x[i]
            rows.append(
                (
                    i,
                    1,
                    f"{x[i]:g} repeat purchase(s), none in the last {silence:.3g} periods",
                    risk[i],
                )
            )
        return _reasons(rows)

    def _explain_supervised(self, X, n_reasons):
        X = validate_data(self, X, dtype=np.float64, reset=False)
        risk = self.model_.predict_proba(X)[:, 1]
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = [f"x{j}" for j in range(X.shape[1])]
        effects = np.empty_like(X)
        for j in range(X.shape[1]):
            neutral = X.copy()
            neutral[:, j] = self.feature_means_[j]
            effects[:, j] = risk - self.model_.predict_proba(neutral)[:, 1]
        order = np.argsort(-np.abs(effects), axis=1)[:, :n_reasons]
        rows = []
        for i in range(len(X)):
            for rank, j in enumerate(order[i], start=1):
                direction = "raises" if effects[i, j] > 0 else "lowers"
                rows.append(
                    (
                        i,
                        rank,
                        f"{names[j]} = {X[i, j]:.4g} {direction} the risk",
                        effects[i, j],
                    )
                )
        return _reasons(rows)

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


def _reasons(rows):
    return pd.DataFrame(rows, columns=["customer", "rank", "reason", "contribution"])


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
