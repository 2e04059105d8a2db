"""ChurnRiskScorer: a churn risk between 0 and 1 for every customer, with reasons."""

import copy
import re
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import Bunch, check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._btyd import bgnbd_probability_alive
from ._calibration import calibration_table, left_out_pairs, nested_risk
from ._churn_reasons import (
    customer_ids,
    feature_effects,
    feature_reasons,
    rule_reasons,
    silence_reasons,
)
from ._churn_rules import resolve_rules, rule_risk
from ._clv import SUMMARY_COLUMNS, CLVEstimator
from ._seeding import MAX_SEED, seed_unseeded
from ._state import PandasFreeState
from ._validation import (
    check_frame,
    check_magnitude,
    check_numbers,
    check_whole_number,
    format_values,
)
from .exceptions import (
    DataDroppedWarning,
    InputTypeError,
    InvalidInputError,
    LabelWarning,
)

METHODS = ("auto", "supervised", "rules", "bgnbd")

# Upper bounds of the "low" and "medium" bands of risk_band.
DEFAULT_BANDS = (0.3, 0.6)
# The default candidate whose score is linear in X (explain's shortcut).
_LINEAR_CANDIDATE = "logistic_regression"


def default_candidates(random_state=None):
    """The two classifiers compared by default, by name.

    A regularised logistic regression (on standardised inputs) and a
    gradient-boosting model: neither wins on every churn data set.

    Examples
    --------
    >>> sorted(default_candidates(0))
    ['gradient_boosting', 'logistic_regression']
    """
    return {
        _LINEAR_CANDIDATE: make_pipeline(
            StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)
        ),
        # early stopping off: with it, the number of trees would depend on
        # the number of rows (it switches on above 10,000), so the fold
        # models behind the calibration would differ from the final model
        "gradient_boosting": HistGradientBoostingClassifier(
            early_stopping=False, random_state=random_state
        ),
    }


class ChurnRiskScorer(PandasFreeState, ClassifierMixin, BaseEstimator):
    """Churn risk in [0, 1] for every customer, from the data the user has.

    Three methods, chosen by ``method``; ``"auto"`` picks from the data:
    ``rules`` given → "rules"; else labels ``y`` → "supervised"; else an RFM
    summary → "bgnbd". ``method_`` says which was used.

    - ``"supervised"`` (labelled history, ``y`` = churned): compares a
      regularised logistic regression and a gradient-boosting model (or
      the given ``classifier``) by stratified cross-validation of their
      calibrated risks (nested, so that no fold's labels reach its own
      risks), keeps the one with the higher ROC AUC (then the lower Brier
      score) and refits it on all customers. Class
      imbalance is handled by calibration and the decision ``threshold``,
      not by reweighting or resampling, which would bias the
      probabilities: a risk of 0.2 means that about 20% of such customers
      leave.
    - ``"bgnbd"`` (transactions): X is an RFM summary; the risk is
      1 - P(alive) of a BG/NBD fit (:class:`CLVEstimator`), at the end of
      each customer's observation or ``horizon`` periods later (assuming no
      purchase in between). **In the BG/NBD a customer without a repeat
      purchase never drops out: their risk is 0**, however long the silence
      (the model's assumption; see docs/clv.md).
    - ``"rules"`` (no history, for example survey answers): **a heuristic**,
      the weight of the declared signals a customer triggers over the weight
      of the signals that can be judged for them (see ``rules``).

    Parameters
    ----------
    method : {"auto", "supervised", "rules", "bgnbd"}, default="auto"
        The method; "auto" picks it as above.
    classifier : classifier, default=None
        supervised: any scikit-learn classifier with ``decision_function``
        or ``predict_proba``, used instead of the two defaults (and seeded
        from ``random_state`` where its own ``random_state`` is None). NaN
        in X is then passed on to it.
    cv : int, default=5
        supervised: folds (at least 3) of the stratified cross-validation
        that scores the candidates and calibrates the kept one: each
        candidate is fitted cv (cv - 1) / 2 times for the nested measure,
        then the kept one cv times.
    calibration : {"sigmoid", "isotonic"}, default="sigmoid"
        supervised: Platt's sigmoid, or an isotonic map (which needs
        thousands of customers).
    rules : str or list of dict, default=None
        rules: a named set ("survey", "recency_frequency") or dicts with
        ``name``, ``column``, ``op`` (``>``, ``>=``, ``<``, ``<=``, ``==``,
        ``!=``, ``in``), ``value`` and ``weight`` (a number > 0). To change
        a weight, change it here and fit again; ``rules_`` only shows the
        rules in use.
    horizon : float, default=0.0
        bgnbd: the risk of being gone ``horizon`` periods after the end of
        the observation, with no purchase in between.
    threshold : float, default=0.5
        Risk from which ``predict`` says "churn".
    bands : (float, float), default=(0.3, 0.6)
        Upper bounds of the "low" and "medium" risk bands of ``risk_band``.
    pos_label : label, default=None
        supervised: the label that means "churned". None takes the larger of
        two numbers (0/1, False/True), "yes" of a yes/no pair or a churn
        word ("churned", "left", "exited", ...) against another; for other
        text labels the second in sorted order, with a ``LabelWarning``, so
        that the risk is never silently the probability of staying.
    n_jobs : int, default=None
        supervised: candidates and folds fitted in parallel through joblib
        (so ``joblib.parallel_config`` chooses the backend).
    random_state : int, RandomState instance or None, default=None
        supervised: seeds the folds (drawn once per fit, so the candidates
        are always compared on the same folds), the gradient-boosting model
        and the unset ``random_state`` of ``classifier``.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The labels, sorted (the order of ``predict_proba``'s columns);
        [0, 1] for rules and bgnbd.
    churn_label_ : label
        The label meaning churned (1 for rules and bgnbd).
    method_ : str
        The method used.
    chosen_ : str
        supervised: name of the classifier kept.
    model_ : CalibratedClassifierCV
        supervised: the kept classifier, one per fold (fitted without it and
        calibrated on it), their calibrated risks averaged; fitted on the
        churn codes (1 = churned).
    cv_results_ : Bunch
        supervised, from the nested out-of-fold calibrated risks of each
        candidate: ``scores`` (DataFrame, one row per candidate: mean and
        standard deviation over the folds of ROC AUC, PR AUC (average
        precision) and Brier score, and ``chosen``) and ``calibration``
        (DataFrame indexed by candidate and risk bin: customers, mean
        predicted risk and observed churn rate in ten equal-count bins).
    feature_means_ : ndarray of shape (n_features,)
        supervised: the features' means, the reference of ``explain``.
    rules_ : DataFrame
        rules: the rules in use and their weights (a read-out).
    clv_ : CLVEstimator
        bgnbd: the fitted purchase model.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the features seen in fit (when they are all strings).

    See Also
    --------
    CLVEstimator : the BG/NBD model behind the bgnbd method.
    SegmentProfiler.summarize : churn risk per segment.

    Examples
    --------
    >>> import numpy as np
    >>> from custseg import ChurnRiskScorer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 3))
    >>> y = (X[:, 0] + rng.normal(size=400) > 1).astype(int)
    >>> scorer = ChurnRiskScorer(random_state=0).fit(X, y)
    >>> scorer.method_
    'supervised'
    >>> risk = scorer.predict_risk(X)
    >>> bool(((0 <= risk) & (risk <= 1)).all())
    True
    >>> scorer.explain(X[:1], n_reasons=1)["reason"].str.startswith("x0").item()
    True
    """

    _parameter_constraints = {
        "method": [StrOptions(set(METHODS))],
        "classifier": [
            HasMethods(["fit", "predict_proba"]),
            HasMethods(["fit", "decision_function"]),
            None,
        ],
        "rules": [str, list, tuple, None],
        "horizon": [Interval(Real, 0, None, closed="left")],
        "cv": [Interval(Integral, 3, None, closed="left")],
        "calibration": [StrOptions({"sigmoid", "isotonic"})],
        "threshold": [Interval(Real, 0, 1, closed="both")],
        "pos_label": "no_validation",
        "bands": [tuple, list],
        "n_jobs": [Integral, None],
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
        n_jobs=None,
        random_state=None,
    ):
        self.method = method
        self.classifier = classifier
        self.cv = cv
        self.calibration = calibration
        self.rules = rules
        self.horizon = horizon
        self.threshold = threshold
        self.bands = bands
        self.pos_label = pos_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the chosen (or picked) method.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            supervised: numbers (for example SurveyPreprocessor's output);
            bgnbd: an RFM summary; rules: a DataFrame with the rules'
            columns.
        y : array-like of shape (n_customers,), default=None
            supervised: two labels; which means churned: see ``pos_label``.
            Paired with X by position; a Series whose index differs from
            the DataFrame X's is an error.

        Returns
        -------
        self : ChurnRiskScorer
            Fitted.
        """
        self._check_bands("fit")
        method = self._pick_method(X, y)
        for name in [n for n in vars(self) if n.endswith("_") or n == "_rules"]:
            delattr(self, name)  # nothing left over from an earlier fit
        self.classes_ = np.array([0, 1])
        self.churn_label_ = 1
        if method == "supervised":
            self._fit_supervised(X, y)
        elif method == "bgnbd":
            try:
                self.clv_ = CLVEstimator(spend_model=None).fit(X)
            except (InvalidInputError, InputTypeError) as exc:
                raise type(exc)(f"ChurnRiskScorer.fit (method 'bgnbd'): {exc}") from exc
            self.n_features_in_ = self.clv_.n_features_in_
            if hasattr(self.clv_, "feature_names_in_"):
                self.feature_names_in_ = self.clv_.feature_names_in_
        else:
            frame = check_frame(self, X, reset=True)
            self._rules = resolve_rules(self.rules, frame, "ChurnRiskScorer.fit")
            self.rules_ = pd.DataFrame(copy.deepcopy(self._rules))
            self.rules_.attrs["method"] = (
                "heuristic: the weight of the triggered rules over the weight of "
                "the rules judged (answered); nothing is fitted to churn outcomes"
            )
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
        if self.rules is not None:
            if y is not None:
                raise InvalidInputError(
                    f"{who}: method='auto' was given both rules and labels y, so it "
                    "cannot tell which to use; choose method='rules' (y is then "
                    "ignored) or method='supervised' (drop the rules)."
                )
            return "rules"
        if y is not None:
            return "supervised"
        if isinstance(X, pd.DataFrame) and set(SUMMARY_COLUMNS) <= set(X.columns):
            return "bgnbd"
        raise InvalidInputError(
            f"{who}: method='auto' requires y to be passed, but the target y is "
            f"None, X is no RFM summary (columns {', '.join(SUMMARY_COLUMNS)}) and "
            "there are no rules; give one of them, or choose a method."
        )

    def _fit_supervised(self, X, y):
        _check_aligned(X, y)
        y = _check_labels(y)
        X, y = self._numbers(X, y, reset=True, method="fit")
        codes = self._churn_codes(y)
        seed = int(check_random_state(self.random_state).randint(MAX_SEED))
        folds = list(
            StratifiedKFold(self.cv, shuffle=True, random_state=seed).split(X, codes)
        )
        if self.classifier is None:
            candidates = default_candidates(seed)
        else:
            classifier = clone(self.classifier)
            if self.random_state is not None:
                seed_unseeded(classifier, seed)
            candidates = {type(self.classifier).__name__: classifier}
        # per candidate, the models of the nested measure (see _calibration)
        everyone = np.arange(len(codes))
        pairs = left_out_pairs(len(folds))
        tasks = [(name, pair) for name in candidates for pair in pairs]
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_without)(candidates[name], X, codes, everyone, folds, pair)
            for name, pair in tasks
        )
        rows, tables = [], {}
        for name in candidates:
            models = {
                pair: model
                for (task, pair), model in zip(tasks, fitted, strict=True)
                if task == name
            }
            risk = nested_risk(models, self.calibration, X, codes, folds)
            rows.append({"candidate": name, **_fold_metrics(codes, risk, folds)})
            tables[name] = calibration_table(codes, risk)
        results = pd.DataFrame(rows).set_index("candidate")
        chosen = results.sort_values(
            ["roc_auc_mean", "brier_mean"], ascending=[False, True], kind="stable"
        ).index[0]
        results["chosen"] = results.index == chosen
        self.model_ = CalibratedClassifierCV(
            candidates[chosen], method=self.calibration, cv=folds, n_jobs=self.n_jobs
        ).fit(X, codes)
        self.chosen_ = chosen
        self.cv_results_ = Bunch(
            scores=results, calibration=pd.concat(tables, names=["candidate"])
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
            self.feature_means_ = np.nanmean(X, axis=0)

    def _numbers(self, X, y=None, *, reset, method):
        """The supervised method's input as float64, with readable errors."""
        # a given classifier judges NaN itself (a Pipeline hides its imputer)
        checked = check_numbers(
            self,
            X,
            y,
            reset=reset,
            method=method,
            allow_nan=self.classifier is not None,
            text_hint="The supervised method needs numbers: put SurveyPreprocessor() "
            "before ChurnRiskScorer in a Pipeline to encode them.",
            nan_hint="The default candidates need complete, finite numbers: impute "
            "first (SurveyPreprocessor does), or give a classifier that accepts "
            "NaN, such as HistGradientBoostingClassifier().",
        )
        if reset:
            check_magnitude(
                self,
                checked[0] if y is not None else checked,
                "whose squares would overflow (variances, when X is standardised)",
            )
        return checked

    def _churn_codes(self, y):
        """Set ``classes_`` and ``churn_label_``; return y as codes (1 = churn)."""
        try:
            check_classification_targets(y)
        except ValueError as exc:
            raise InvalidInputError(
                f"ChurnRiskScorer.fit: {exc} y must hold two labels (stayed, churned)."
            ) from exc
        self.classes_, codes = np.unique(y, return_inverse=True)
        if len(self.classes_) == 1:
            raise InvalidInputError(
                f"ChurnRiskScorer.fit: y holds one class only "
                f"({format_values(self.classes_)}); expected two (stayed, churned)."
            )
        if len(self.classes_) > 2:
            raise InvalidInputError(
                "ChurnRiskScorer.fit: Only binary classification is supported: y "
                f"must hold two classes (stayed, churned); found {len(self.classes_)}: "
                f"{format_values(self.classes_)}."
            )
        self.churn_label_ = self._churn_label()
        if self.churn_label_ == self.classes_[0]:
            codes = 1 - codes
        counts = np.bincount(codes)
        if counts.min() < self.cv:
            raise InvalidInputError(
                f"ChurnRiskScorer.fit: in y, the rarer class has {counts.min()} "
                f"customer(s); cv={self.cv} folds need at least {self.cv} of each."
            )
        return codes

    def _churn_label(self):
        """The label meaning churned.

        ``pos_label`` when given; else the one label that is a churn word
        ("yes", "churned", "left", "Attrited Customer", ...: see
        ``_is_churn_word``), or the larger of two numbers (0/1, 1/2,
        False/True); otherwise the second in sorted order, with a warning
        that it was assumed.
        """
        labels = list(self.classes_)
        if self.pos_label is not None:
            if self.pos_label not in labels:
                raise InvalidInputError(
                    f"ChurnRiskScorer.fit: pos_label={self.pos_label!r} is not one of "
                    f"the labels {format_values(labels)}."
                )
            return labels[labels.index(self.pos_label)]
        words = [_is_churn_word(label) for label in labels]
        if sum(words) == 1:
            return labels[words.index(True)]
        numeric = all(isinstance(v, Real | bool | np.bool_ | np.number) for v in labels)
        if not numeric:
            warnings.warn(
                f"ChurnRiskScorer.fit: took {str(labels[1])!r} of the labels "
                f"{[str(v) for v in labels]!r} "
                "to mean churned (the second in sorted order); set pos_label to "
                "say which one does.",
                LabelWarning,
                stacklevel=6,
            )
        return labels[1]

    def _check_bands(self, method):
        bands = tuple(self.bands)
        if (
            len(bands) != 2
            or not all(isinstance(b, Real) and not isinstance(b, bool) for b in bands)
            or not 0 < bands[0] < bands[1] < 1
        ):
            raise InvalidInputError(
                f"ChurnRiskScorer.{method}: bands is {self.bands!r}; expected two "
                "cut points 0 < low < high < 1, for example (0.3, 0.6)."
            )

    # -------------------------------------------------------------- scoring
    def predict_proba(self, X):
        """Probabilities of each label, in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            As in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_customers, 2)
            Rows sum to 1; the churn risk is the column of ``churn_label_``
            (the second for 0/1 labels; ``predict_risk`` gives it for any
            labels). rules: NaN for a customer who answered none of the
            rules' columns (with a ``DataDroppedWarning`` counting them).
        """
        risk = self._risk(X, "predict_proba")
        proba = np.column_stack([1 - risk, risk])
        return proba if self.churn_label_ == self.classes_[1] else proba[:, ::-1]

    def predict_risk(self, X):
        """The churn risk of each customer: the probability of ``churn_label_``.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            As in ``fit``.

        Returns
        -------
        risk : ndarray of shape (n_customers,)
            In [0, 1]; rules: NaN for a customer without a risk.
        """
        return self._risk(X, "predict_risk")

    def predict(self, X):
        """``churn_label_`` where the risk reaches ``threshold``, else the other.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            As in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_customers,)
            From ``classes_``; rules: NaN (in a float array) for a customer
            without a risk.
        """
        risk = self._risk(X, "predict")
        stay = self.classes_[self.classes_ != self.churn_label_][0]
        labels = np.where(risk >= self.threshold, self.churn_label_, stay)
        unknown = np.isnan(risk)
        if unknown.any():
            labels = labels.astype(np.float64)
            labels[unknown] = np.nan
        return labels

    def risk_band(self, X):
        """ "low", "medium" or "high" risk, by the cut points ``bands``.

        Parameters
        ----------
        X : array-like of shape (n_customers, n_features)
            As in ``fit``.

        Returns
        -------
        bands : ndarray of str, shape (n_customers,)
            "low" below ``bands[0]``, "medium" below ``bands[1]``, else
            "high"; "not available" where the risk is NaN (rules).
        """
        self._check_bands("risk_band")
        risk = self._risk(X, "risk_band")
        low, high = self.bands
        return np.select(
            [np.isnan(risk), risk < low, risk < high],
            ["not available", "low", "medium"],
            "high",
        )

    def _risk(self, X, method):
        check_is_fitted(self, "method_")
        if self.method_ == "supervised":
            X = self._numbers(X, reset=False, method=method)
            return self.model_.predict_proba(X)[:, 1]
        if self.method_ == "bgnbd":
            return self._bgnbd_risk(X, method)[3]
        frame = check_frame(self, X, reset=False, method=method)
        risk, _, _, answered = rule_risk(self._rules, frame)
        _warn_unanswered(method, answered, len(self._rules))
        return risk

    def _bgnbd_risk(self, X, method):
        """The summary and 1 - P(alive) ``horizon`` periods on, no purchase between."""
        x, t_x, T, _ = self.clv_._summary(X, reset=False, method=method)
        alive = bgnbd_probability_alive(self.clv_._purchases, x, t_x, T + self.horizon)
        return x, t_x, T, 1 - alive

    # ------------------------------------------------------------- reasons
    def explain(self, X, n_reasons=3, *, feature_names=None):
        """The top reasons behind each customer's risk, as a tidy table.

        - supervised: the change of the risk when a feature is set to its
          mean over the fitted customers (a model-agnostic contribution,
          in risk points; positive: the customer's value raises the risk);
        - rules: the rules the customer triggers, heaviest first, each with
          its share of the risk ("no rule triggered" when none is);
        - bgnbd: the customer's repeat purchases and the time since the last
          one, with their risk.

        Every customer gets at least one row.

        Parameters
        ----------
        X : array-like
            As in ``fit``.
        n_reasons : int, default=3
            Reasons per customer, at most.
        feature_names : list of str, default=None
            supervised: names of X's columns, for example
            ``pipeline[:-1].get_feature_names_out()`` when the scorer ends a
            Pipeline; None uses the names seen in ``fit`` (x0, x1, ... for
            an array).

        Returns
        -------
        reasons : DataFrame
            ``customer`` (X's index for a DataFrame, else the row position),
            ``rank``, ``reason`` and ``contribution`` (risk points).
        """
        check_is_fitted(self, "method_")
        check_whole_number("ChurnRiskScorer.explain", "n_reasons", n_reasons)
        if self.method_ == "supervised":
            names = self._explained_names(feature_names)
            values = self._numbers(X, reset=False, method="explain")
            effects = feature_effects(
                self.model_,
                values,
                self.feature_means_,
                linear=self.classifier is None and self.chosen_ == _LINEAR_CANDIDATE,
            )
            customers = customer_ids(X, len(values))
            return feature_reasons(customers, values, effects, names, n_reasons)
        if self.method_ == "rules":
            frame = check_frame(self, X, reset=False, method="explain")
            _, hits, evaluable, _ = rule_risk(self._rules, frame)
            customers = customer_ids(X, len(frame))
            return rule_reasons(customers, self._rules, hits, evaluable, n_reasons)
        x, t_x, T, risk = self._bgnbd_risk(X, "explain")
        customers = customer_ids(X, len(x))
        return silence_reasons(customers, x, t_x, T, risk, self.horizon)

    def _explained_names(self, feature_names):
        if feature_names is None:
            names = getattr(self, "feature_names_in_", None)
            if names is None:
                return [f"x{j}" for j in range(self.n_features_in_)]
            return list(names)
        names = [str(name) for name in feature_names]
        if len(names) != self.n_features_in_:
            raise InvalidInputError(
                f"ChurnRiskScorer.explain: feature_names has {len(names)} name(s); "
                f"expected one per feature seen in fit ({self.n_features_in_})."
            )
        return names

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = (
            self.classifier is not None
            and get_tags(self.classifier).input_tags.allow_nan
        )
        return tags


# Words that say "churned" in a label (lower case); a negation word in the
# same label ("not churned", "no") overrides them.
_CHURN_WORDS = frozenset(
    {"1", "yes", "true", "churn", "churned", "churner", "left", "lost", "exited"}
    | {"gone", "lapsed", "inactive", "cancelled", "canceled", "attrited"}
)
_NEGATIONS = frozenset({"no", "not", "non", "never", "false", "0"})


def _is_churn_word(label):
    """True when a label reads as "churned" ("Yes", "Attrited Customer")."""
    tokens = set(re.findall(r"[a-z]+|\d+", str(label).lower()))
    return bool(tokens & _CHURN_WORDS) and not tokens & _NEGATIONS


def _check_labels(y):
    """y must not have missing labels (a Series, list or array)."""
    missing = pd.isna(np.asarray(y, dtype=object)).ravel()
    if missing.any():
        raise InvalidInputError(
            f"ChurnRiskScorer.fit: y has {int(missing.sum())} missing label(s) "
            f"(first at row {int(np.argmax(missing))}); drop those customers or "
            "label them."
        )
    return y


def _check_aligned(X, y):
    """A DataFrame X and a Series y must share their index (rows pair by position)."""
    if not (isinstance(X, pd.DataFrame) and isinstance(y, pd.Series | pd.DataFrame)):
        return
    if X.index.equals(y.index):
        return
    differs = next(
        (i for i, (a, b) in enumerate(zip(X.index, y.index, strict=False)) if a != b),
        min(len(X), len(y)),
    )
    raise InvalidInputError(
        "ChurnRiskScorer.fit: X and y have different indexes (first difference at "
        f"row {differs}), so rows would be paired by position with the wrong "
        "labels; align them first, for example y = y.loc[X.index], or pass "
        "y.to_numpy() if the order is right."
    )


def _warn_unanswered(method, answered, n_rules):
    """Warn about customers who left some (or all) rules' columns unanswered."""
    partial = int(((answered > 0) & (answered < n_rules)).sum())
    none = int((answered == 0).sum())
    if partial or none:
        warnings.warn(
            f"ChurnRiskScorer.{method}: {partial} customer(s) left some of the "
            f"rules' columns unanswered (their risk is over the rules they "
            f"answered) and {none} answered none (risk not available: NaN).",
            DataDroppedWarning,
            stacklevel=4,
        )


def _fit_without(candidate, X, codes, everyone, folds, left_out):
    """A clone of ``candidate`` fitted on all folds but those ``left_out``."""
    held_out = np.concatenate([folds[i][1] for i in left_out])
    train = np.setdiff1d(everyone, held_out, assume_unique=True)
    return clone(candidate).fit(X[train], codes[train])


def _fold_metrics(codes, risk, folds):
    """Mean and SD over the folds of ROC AUC, PR AUC and Brier score."""
    metrics = {
        "roc_auc": roc_auc_score,
        "pr_auc": average_precision_score,
        "brier": brier_score_loss,
    }
    summary = {}
    for name, metric in metrics.items():
        values = [metric(codes[test], risk[test]) for _, test in folds]
        summary[f"{name}_mean"] = float(np.mean(values))
        summary[f"{name}_std"] = float(np.std(values))
    return summary
