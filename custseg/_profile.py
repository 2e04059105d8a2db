"""SegmentProfiler: what sets each segment apart, in numbers and in words."""

import json
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import (
    BaseEstimator,
    ClusterMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import balanced_accuracy_score, roc_auc_score
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._answers import ColumnAnswers, ignore_empty_columns, read_answers
from ._personas import (
    DEFAULT_ACTION_RULES,
    apply_action_rules,
    check_action_rules,
    distinguishing_rows,
    personas_table,
)
from ._seeding import seed_unseeded
from ._segment_stats import association_table, profile_table
from ._selection import ClusterSelector
from ._state import PandasFreeState
from ._survey import SurveyPreprocessor
from ._validation import (
    caller_stacklevel,
    check_frame,
    check_whole_number,
    format_values,
)
from .exceptions import CustsegWarning, DataDroppedWarning, InvalidInputError

# The share of the profiled rows held out to score the surrogate classifier.
SURROGATE_TEST_SHARE = 0.3
# Fewest rows for which a surrogate classifier is fitted.
SURROGATE_MIN_ROWS = 20
OUTPUT_NAMES = np.array(["segment", "membership", "distance"], dtype=object)


class SegmentProfiler(PandasFreeState, ClusterMixin, TransformerMixin, BaseEstimator):
    """Fit a segmentation, then explain its segments on the raw answers.

    ``fit`` fits (a clone of) the segmenter, takes its segments and
    describes them on the original columns: the answers customers gave, not
    the encoded or reduced matrix the segmenter saw. For every segment it
    reports sizes, per-column statistics with confidence intervals, answer
    and option shares with their lift, tests of association with effect
    sizes, the answers that set it apart, a persona (a data-driven name and
    description) and recommended actions from a replaceable rule table.

    Parameters
    ----------
    segmenter : estimator, default=None
        The segmentation: a clusterer or a Pipeline ending in one (for
        example ``SurveyPreprocessor -> PCA -> ClusterSelector``). It is
        cloned and fitted; to profile an already fitted segmentation, wrap it
        in :class:`sklearn.frozen.FrozenEstimator`. None uses
        ``make_pipeline(SurveyPreprocessor(), ClusterSelector())``.
    reader : SurveyPreprocessor, default=None
        How the raw columns are read for the profile: their roles, orders
        and scales (it is cloned and fitted on X; its imputation and
        scaling are not used: missing answers are left out of every
        statistic and counted). None infers every role, as
        ``SurveyPreprocessor()`` does. Columns that cannot be described
        (dates, identifiers, left-out columns) are listed in ``columns_``.
    top_answers : int, default=5
        Most frequent whole answers kept per segment for free-text and
        multi-select columns.
    confidence : float, default=0.95
        Level of the confidence interval of each mean.
    alpha : float, default=0.05
        Significance level on Benjamini-Hochberg adjusted p-values below
        which an answer may name a persona or trigger an action.
    action_rules : list of dict, default=None
        The action rules; None uses :data:`custseg.DEFAULT_ACTION_RULES`
        (see there for the keys of a rule).
    n_repeats : int, default=5
        Permutations per column of the surrogate explanation; 0 skips the
        surrogate classifier.
    surrogate_size : int, default=5000
        Most rows (a uniform sample) the surrogate classifier is fitted and
        scored on.
    n_jobs : int, default=None
        Parallel jobs of the permutation importance.
    random_state : int, RandomState instance or None, default=None
        Seed of the surrogate's sample, split, classifier and permutations;
        also seeds the default segmenter, and every ``random_state`` left at
        None in (the clone of) a given segmenter, so that one seed makes
        the whole profile reproducible.

    Attributes
    ----------
    segmenter_ : estimator
        The fitted segmenter.
    reader_ : SurveyPreprocessor
        The fitted reader of the raw columns.
    labels_ : ndarray of shape (n_samples,)
        Segment of each row seen in ``fit``.
    segments_ : ndarray
        The segment labels, sorted (-1 is noise for density clusterers).
    sizes_ : DataFrame
        Per segment its ``size`` and ``share``.
    columns_ : DataFrame
        Per input column, its ``role`` in the profile, whether it was
        ``profiled`` and, when not, the ``reason``.
    profile_ : DataFrame
        One row per segment and number, answer or option (see Notes).
    tests_ : DataFrame
        Per column (and option), the test of association with the
        segments: ``test``, ``statistic``, ``dof``, ``p_value``,
        ``p_adjusted`` (Benjamini-Hochberg within each test), ``effect`` (its
        name), ``effect_size``, ``rank`` by effect size within the test,
        ``n`` and ``n_missing`` answers, and the ``reason`` a test could not
        be computed.
    importance_ : DataFrame or None
        Surrogate explanation: per input ``column`` and ``segment``, the
        permutation importance (``importance_mean``, ``importance_std``
        over ``n_repeats``): the drop of the ROC AUC of the segment against
        the rest; rows with ``segment`` None give the drop of the balanced
        accuracy over all segments. None when skipped (see ``surrogate_``).
    surrogate_ : dict
        The surrogate classifier's ``model``, held-out ``balanced_accuracy``
        and ``n_rows``, or the ``reason`` it was skipped.
    personas_ : DataFrame
        Per segment its ``name``, ``size``, ``share``, ``description`` and
        ``actions`` (list of str).
    actions_ : DataFrame
        One row per (segment, rule) fired: ``rule``, ``columns``,
        ``evidence`` and ``action``.
    rules_ : DataFrame
        Per action rule, the columns it matched and its ``status``
        ("applied", "not triggered" or "skipped") with the reason.
    membership_ : str
        What ``transform`` reports as membership: "probability" (the
        segmenter gives probabilities), "centroid margin" (it has centres)
        or "unavailable".
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of str
        Names of the columns seen in ``fit``, if they were all strings.

    See Also
    --------
    custseg.ClusterSelector : Chooses the algorithm and number of segments.
    custseg.drivers : What goes with a KPI, without segments.

    Notes
    -----
    ``profile_`` is tidy: a row per ``segment``, ``column`` and ``kind``:

    - "number" (numbers, Likert ratings, ordinal ranks with 1 = lowest):
      ``n`` answers, ``mean``, ``median``, ``std`` (n - 1), the t interval
      ``ci_low``..``ci_high`` of the mean, ``population_mean`` and
      ``std_difference`` (segment mean minus population mean, in population
      standard deviations);
    - "answer" (each answer of nominal, ordinal and Likert columns),
      "option" (each option of multi-select columns) and "top answer" (the
      ``top_answers`` most frequent whole answers of free-text and
      multi-select columns): ``count``, ``share`` of the segment's
      answering members, ``population_share``, ``lift`` (share over
      population share) and ``rank`` by count within the segment.

    Every row but "top answer" rows is also compared with the rest of the
    customers: ``rest_mean`` or ``rest_share``, ``effect`` (Cohen's d for
    numbers, Cohen's h for shares: both standardised differences, so
    answers and numbers rank on one scale), ``p_value`` (Welch's t test,
    two-proportion z test) and ``p_adjusted`` (Benjamini-Hochberg within
    the segment).

    The noise label -1 of density clusterers (DBSCAN, HDBSCAN) is profiled
    as a segment of its own, named "Unassigned (noise)", but it is no part
    of "the rest" of the other segments, of the tests or of the actions.

    The membership of ``transform`` is the probability of the segment when
    the segmenter's last step has ``predict_proba``; otherwise, when it has
    ``cluster_centers_``, the margin ``(d2 - d1) / d2`` between the
    distances to the nearest (d1) and second nearest (d2) centres, in the
    space the last step sees: 1 at a centre, 0 halfway between two. The
    distance is d1 (NaN for probabilities).

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> from sklearn.pipeline import make_pipeline
    >>> from custseg import SegmentProfiler, SurveyPreprocessor
    >>> from custseg.datasets import make_survey
    >>> survey = make_survey(600, n_segments=3, random_state=0)
    >>> reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    >>> segmenter = make_pipeline(reader, KMeans(3, n_init=10, random_state=0))
    >>> profiler = SegmentProfiler(segmenter, reader=reader, random_state=0)
    >>> profiler = profiler.fit(survey)
    >>> profiler.sizes_["size"].sum()
    np.int64(600)
    >>> profiler.tests_.columns[:4].tolist()
    ['column', 'answer', 'test', 'statistic']
    >>> profiler.transform(survey).shape
    (600, 3)
    """

    _parameter_constraints = {
        "segmenter": [HasMethods(["fit"]), None],
        "reader": [SurveyPreprocessor, None],
        "top_answers": [Interval(Integral, 1, None, closed="left")],
        "confidence": [Interval(Real, 0, 1, closed="neither")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "action_rules": [list, tuple, None],
        "n_repeats": [Interval(Integral, 0, None, closed="left")],
        "surrogate_size": [Interval(Integral, SURROGATE_MIN_ROWS, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        segmenter=None,
        *,
        reader=None,
        top_answers=5,
        confidence=0.95,
        alpha=0.05,
        action_rules=None,
        n_repeats=5,
        surrogate_size=5000,
        n_jobs=None,
        random_state=None,
    ):
        self.segmenter = segmenter
        self.reader = reader
        self.top_answers = top_answers
        self.confidence = confidence
        self.alpha = alpha
        self.action_rules = action_rules
        self.n_repeats = n_repeats
        self.surrogate_size = surrogate_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None):
        """Fit the segmenter on X and profile its segments.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw answers, one row per customer.
        y : None
            Ignored.

        Returns
        -------
        self : SegmentProfiler
            Fitted.
        """
        frame = check_frame(self, X, reset=True)
        rules = check_action_rules(
            DEFAULT_ACTION_RULES if self.action_rules is None else self.action_rules
        )
        segmenter = self._make_segmenter()
        labels = _fit_labels(segmenter, X)
        if labels.shape != (len(frame),):
            raise InvalidInputError(
                f"SegmentProfiler.fit: the segmenter gave labels of shape "
                f"{labels.shape}; expected one label per row, ({len(frame)},)."
            )
        reader = self._make_reader()
        empty = ignore_empty_columns(reader, frame)
        with warnings.catch_warnings():
            # columns the reader leaves out are reported in columns_ and
            # warned about once, below; answers it cannot place, by
            # read_answers
            warnings.simplefilter("ignore", CustsegWarning)
            reader.fit(frame)
        answers, skipped = read_answers(reader, frame, "SegmentProfiler.fit")
        skipped.update(empty)
        segments, codes = np.unique(labels, return_inverse=True)
        sizes = pd.DataFrame(
            {"size": np.bincount(codes), "share": np.bincount(codes) / len(codes)},
            index=pd.Index(segments, name="segment"),
        )
        profile = profile_table(
            answers,
            codes,
            segments,
            confidence=self.confidence,
            top_answers=self.top_answers,
        )
        personas = personas_table(profile, sizes, self.alpha)
        actions, rule_report = apply_action_rules(rules, profile, self.alpha)
        personas["actions"] = [
            actions.loc[actions["segment"] == s, "action"].tolist()
            for s in personas.index
        ]
        self._warn_skipped(reader, skipped)
        importance, surrogate = self._surrogate(reader, frame, labels, segments)

        self.segmenter_ = segmenter
        self.reader_ = reader
        self.labels_ = labels
        self._index = frame.index if isinstance(X, pd.DataFrame) else None
        self.segments_ = segments
        self.sizes_ = sizes
        self.columns_ = _columns_table(reader, answers, skipped)
        self.profile_ = profile
        self.tests_ = association_table(answers, codes, segments)
        self.importance_ = importance
        self.surrogate_ = surrogate
        self.personas_ = personas
        self.actions_ = actions
        self.rules_ = rule_report
        self.membership_ = _membership_kind(_last_step(segmenter))
        return self

    def _make_segmenter(self):
        if self.segmenter is None:
            reader = (
                clone(self.reader) if self.reader is not None else SurveyPreprocessor()
            )
            return make_pipeline(
                reader, ClusterSelector(random_state=self.random_state)
            )
        segmenter = clone(self.segmenter)
        if isinstance(segmenter, FrozenEstimator):
            return segmenter
        # one seed makes the whole profile reproducible: steps of the
        # (cloned) segmenter left unseeded get seeds drawn from it
        return seed_unseeded(segmenter, self.random_state)

    def _make_reader(self):
        reader = clone(self.reader) if self.reader is not None else SurveyPreprocessor()
        return reader.set_params(handle_unknown="ignore", scale=None)

    @staticmethod
    def _warn_skipped(reader, skipped):
        declared = {
            column
            for column, reason in skipped.items()
            if reason.startswith(("identifier", "ignore"))
            and not reader.roles_.loc[column, "inferred"]
        }
        left_out = {c: r for c, r in skipped.items() if c not in declared}
        if left_out:
            listed = "; ".join(f"{c!r} ({r})" for c, r in left_out.items())
            warnings.warn(
                f"SegmentProfiler.fit: {len(left_out)} column(s) are not profiled: "
                f"{listed}. Declare them 'ignore' in the reader to silence this.",
                DataDroppedWarning,
                stacklevel=3,
            )

    def _surrogate(self, reader, frame, labels, segments):
        """Permutation importance of a classifier predicting the segments.

        The classifier (gradient boosting) learns the segment from the raw
        columns as the reader encodes them. A column's importance is the
        drop of the held-out score when its values are shuffled across the
        rows; since the reader encodes every row on its own, shuffling a
        column's encoded outputs together is the same as shuffling the
        column, and much faster than encoding each shuffled table again.
        """
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.model_selection import train_test_split

        reason = None
        if self.n_repeats == 0:
            reason = "n_repeats=0"
        elif len(segments) < 2:
            reason = "a single segment"
        elif len(frame) < SURROGATE_MIN_ROWS:
            reason = f"fewer than {SURROGATE_MIN_ROWS} rows"
        if reason:
            return None, {"reason": reason}
        rng = check_random_state(self.random_state)
        rows = np.arange(len(frame))
        if len(rows) > self.surrogate_size:
            rows = np.sort(rng.choice(len(rows), self.surrogate_size, replace=False))
        sample, sample_labels = frame.iloc[rows], labels[rows]
        counts = pd.Series(sample_labels).value_counts()
        stratify = sample_labels if counts.min() >= 2 else None
        seed = rng.randint(np.iinfo(np.int32).max)
        X_train, X_test, y_train, y_test = train_test_split(
            sample,
            sample_labels,
            test_size=SURROGATE_TEST_SHARE,
            stratify=stratify,
            random_state=seed,
        )
        if len(np.unique(y_train)) < 2:
            return None, {"reason": "a single segment in the training sample"}
        encoder = clone(reader).fit(X_train)
        classifier = HistGradientBoostingClassifier(random_state=seed)
        # arrays, whatever set_output says
        classifier.fit(np.asarray(encoder.transform(X_train)), y_train)
        encoded = np.asarray(encoder.transform(X_test), dtype=np.float64)
        baseline = _surrogate_scores(classifier, encoded, y_test)
        sources = encoder.feature_map_["source"].to_numpy()
        blocks = [np.flatnonzero(sources == column) for column in frame.columns]
        permutations = [rng.permutation(len(y_test)) for _ in range(self.n_repeats)]
        drops = Parallel(n_jobs=self.n_jobs)(
            delayed(_permuted_drops)(
                classifier, encoded, y_test, block, permutations, baseline
            )
            for block in blocks
        )
        records = [
            {
                "column": column,
                "segment": None if key is _ALL else key,
                "importance_mean": float(np.mean(column_drops[key])),
                "importance_std": float(np.std(column_drops[key])),
            }
            for column, column_drops in zip(frame.columns, drops, strict=True)
            for key in baseline
        ]
        importance = pd.DataFrame(records).sort_values(
            ["importance_mean"], ascending=False, kind="stable"
        )
        surrogate = {
            "model": Pipeline([("reader", encoder), ("classifier", classifier)]),
            "balanced_accuracy": float(baseline[_ALL]),
            "n_rows": len(rows),
            "n_test_rows": len(y_test),
        }
        return importance.reset_index(drop=True), surrogate

    # -------------------------------------------------------------- predict
    def predict(self, X):
        """Segment of each customer, new ones included.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw answers with the columns seen in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        self._ready(X, "predict")
        return np.asarray(self.segmenter_.predict(X))

    def transform(self, X):
        """Segment, membership strength and distance of each customer.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw answers with the columns seen in ``fit``.

        Returns
        -------
        X_out : ndarray of shape (n_samples, 3)
            ``segment``, ``membership`` and ``distance`` (see Notes); a
            DataFrame under ``set_output``. Of dtype object when the
            segment labels are not numbers. :meth:`assign` adds the persona.
        """
        self._ready(X, "transform")
        segment, membership, distance = _score(self.segmenter_, X, self.membership_)
        if segment.dtype.kind not in "biuf":  # labels that are not numbers
            out = np.empty((len(segment), 3), dtype=object)
            out[:, 0], out[:, 1], out[:, 2] = segment, membership, distance
            return out
        return np.column_stack([segment.astype(np.float64), membership, distance])

    def _ready(self, X, method):
        """Checks before scoring X: fitted, same columns, a segmenter that predicts."""
        check_is_fitted(self, "profile_")
        check_frame(self, X, reset=False, method=method)
        if not hasattr(self.segmenter_, "predict"):
            raise InvalidInputError(
                f"SegmentProfiler.{method}: the segmenter "
                f"({type(_last_step(self.segmenter_)).__name__}) cannot assign new "
                "customers: it has no predict method. Use ClusterSelector, which "
                "assigns new rows to the nearest segment centre, or a clusterer with "
                "predict."
            )

    def assign(self, X):
        """Per customer the segment, persona name, membership and distance.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Raw answers with the columns seen in ``fit``.

        Returns
        -------
        assignment : DataFrame
            Columns ``segment``, ``persona``, ``membership`` and
            ``distance``, with the index of X when it is a DataFrame.
        """
        self._ready(X, "assign")
        segment, membership, distance = _score(self.segmenter_, X, self.membership_)
        index = X.index if isinstance(X, pd.DataFrame) else None
        segments = pd.Series(segment, index=index)
        return pd.DataFrame(
            {
                "segment": segments,
                "persona": segments.map(self.personas_["name"]),
                "membership": membership,
                "distance": distance,
            },
            index=index,
        )

    def get_feature_names_out(self, input_features=None):
        """Names of the ``transform`` outputs: segment, membership, distance.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Checked against the columns seen in ``fit``; not used.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self, "profile_")
        _check_feature_names_in(self, input_features)
        return OUTPUT_NAMES.copy()

    # ------------------------------------------------------------- explain
    def distinguishing_features(self, segment, n=10):
        """The answers that set ``segment`` apart from the other customers.

        Parameters
        ----------
        segment : label
            One of ``segments_``.
        n : int, default=10
            Most answers listed in each direction (over- and
            under-represented).

        Returns
        -------
        features : DataFrame
            The significant rows of ``profile_`` for the segment (adjusted
            p-value below ``alpha``), the ``n`` largest positive effects
            then the ``n`` most negative: ``column``, ``kind``, ``answer``,
            ``value`` (segment share or mean), ``rest_value``,
            ``lift_vs_rest`` (segment share over the rest's; shares only),
            ``effect``, ``p_adjusted``,
            ``direction`` ("over"/"under" for answers, "higher"/"lower" for
            numbers) and ``column_importance``, the surrogate's permutation
            importance of the column for this segment against the rest
            (NaN without a surrogate).
        """
        check_is_fitted(self, "profile_")
        if segment not in set(self.segments_.tolist()):
            raise InvalidInputError(
                f"SegmentProfiler.distinguishing_features: segment {segment!r} is "
                f"not one of the fitted segments {format_values(self.segments_)}."
            )
        check_whole_number("SegmentProfiler.distinguishing_features", "n", n)
        rows = distinguishing_rows(self.profile_, segment, self.alpha)
        rows = pd.concat(
            [
                rows[rows["effect"] > 0].head(n),
                rows[rows["effect"] < 0].head(n).iloc[::-1],
            ]
        )
        rows = rows.sort_values("effect", ascending=False, kind="stable")
        number = rows["kind"] == "number"
        with np.errstate(divide="ignore", invalid="ignore"):
            lift = np.where(number, np.nan, rows["share"] / rows["rest_share"])
        up = rows["effect"] > 0
        features = pd.DataFrame(
            {
                "column": rows["column"],
                "kind": rows["kind"],
                "answer": rows["answer"],
                "value": np.where(number, rows["mean"], rows["share"]),
                "rest_value": np.where(number, rows["rest_mean"], rows["rest_share"]),
                "lift_vs_rest": lift,
                "effect": rows["effect"],
                "p_adjusted": rows["p_adjusted"],
                "direction": np.where(
                    number,
                    np.where(up, "higher", "lower"),
                    np.where(up, "over", "under"),
                ),
            }
        )
        importance = pd.Series(dtype=np.float64)
        if self.importance_ is not None:
            mine = self.importance_[
                self.importance_["segment"].map(
                    lambda s: s is not None and s == segment
                )
            ]
            importance = mine.set_index("column")["importance_mean"]
        features["column_importance"] = features["column"].map(importance)
        return features.reset_index(drop=True)

    def summarize(self, values, name="value"):
        """Per-segment statistics of any per-customer value, such as churn risk.

        For example ``profiler.summarize(scorer.predict_risk(X),
        "churn risk")`` or a lifetime value: the same statistics as the
        numbers of ``profile_`` (n, mean, median, standard deviation, t
        interval, mean of the rest, Cohen's d and Welch's p-value against
        the rest), for the customers seen in ``fit``, in their order.

        Parameters
        ----------
        values : array-like of shape (n_samples,)
            One number per customer seen in ``fit``, in the order of their
            rows; NaN (a value not available) is left out, counted in ``n``
            and a ``DataDroppedWarning``; an infinite value is an error. A
            Series is aligned on its index when ``fit`` saw a DataFrame with
            the same index labels.
        name : str, default="value"
            Name of the value, in the ``column`` of the result.

        Returns
        -------
        summary : DataFrame
            One row per segment, indexed by segment; the mean is NaN for a
            segment without a value (``n`` 0), the standard deviation and
            interval below two values.
        """
        check_is_fitted(self, "profile_")
        values = self._align(values)
        if values.shape != self.labels_.shape:
            raise InvalidInputError(
                f"SegmentProfiler.summarize: values has shape {values.shape}; "
                f"expected one value per customer seen in fit {self.labels_.shape}."
            )
        try:
            values = values.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError(
                f"SegmentProfiler.summarize: values must be numbers; {exc}."
            ) from exc
        infinite = np.isinf(values)
        if infinite.any():
            raise InvalidInputError(
                f"SegmentProfiler.summarize: values holds {int(infinite.sum())} "
                f"infinite value(s) (first at row {int(np.argmax(infinite))}); "
                "expected finite numbers, NaN where a value is not available."
            )
        missing = np.isnan(values)
        if missing.any():
            warnings.warn(
                f"SegmentProfiler.summarize: {int(missing.sum())} of the "
                f"{len(values)} value(s) of {name!r} are NaN (not available) and "
                "are left out of the statistics.",
                DataDroppedWarning,
                stacklevel=caller_stacklevel(),
            )
        codes = np.searchsorted(self.segments_, self.labels_)
        entry = ColumnAnswers(name, ("numeric",), numbers=values)
        rows = profile_table(
            {name: entry},
            codes,
            self.segments_,
            confidence=self.confidence,
            top_answers=1,
        )
        keep = ["segment", "n", "mean", "median", "std", "ci_low", "ci_high"]
        keep += ["rest_mean", "effect", "p_value"]
        return rows[keep].set_index("segment")

    def _align(self, values):
        """``values`` in the order of the customers seen in fit.

        A Series is aligned on its index when X was a DataFrame whose index
        holds the same labels (in any order); a different index is an error,
        never a silent pairing by position.
        """
        fitted = self._index
        if not isinstance(values, pd.Series) or fitted is None:
            try:
                return np.asarray(values)
            except ValueError as exc:  # ragged, such as [1.0, [2, 3]]
                raise InvalidInputError(
                    f"SegmentProfiler.summarize: values must be one number per "
                    f"customer; {exc}."
                ) from exc
        if values.index.equals(fitted):
            return values.to_numpy()
        if (
            values.index.is_unique
            and fitted.is_unique
            and len(values) == len(fitted)
            and fitted.isin(values.index).all()
        ):
            return values.reindex(fitted).to_numpy()
        missing = fitted[~fitted.isin(values.index)]
        raise InvalidInputError(
            "SegmentProfiler.summarize: values is a Series whose index does not "
            "hold the labels of the rows of X seen in fit"
            + (f" (lacks {format_values(list(missing))})" if len(missing) else "")
            + "; expected the same labels (any order), or pass values.to_numpy() "
            "in the order of X's rows."
        )

    # -------------------------------------------------------------- outputs
    def to_frame(self):
        """One row per segment: persona, size and the headline of each column.

        Returns
        -------
        summary : DataFrame
            Index ``segment``; columns ``persona``, ``size``, ``share``,
            then ``<column> mean`` for numbers and ``<column> top answer``
            (the answer with its share) for answers, options and free text.
        """
        check_is_fitted(self, "profile_")
        summary = self.personas_[["name", "size", "share"]].rename(
            columns={"name": "persona"}
        )
        profile = self.profile_
        for column in dict.fromkeys(profile["column"]):
            rows = profile[profile["column"] == column]
            numbers = rows[rows["kind"] == "number"]
            if len(numbers):
                summary[f"{column} mean"] = numbers.set_index("segment")["mean"]
            shares = rows[rows["kind"] != "number"]
            if len(shares):
                top = shares.sort_values(["segment", "count"], ascending=[True, False])
                top = top.groupby("segment", sort=False).head(1).set_index("segment")
                summary[f"{column} top answer"] = [
                    f"{answer} ({share:.0%})" if count > 0 else ""
                    for answer, share, count in zip(
                        top["answer"], top["share"], top["count"], strict=True
                    )
                ]
        return summary

    def to_dict(self):
        """Everything the profile says, as plain JSON-ready Python objects.

        Returns
        -------
        profile : dict
            ``segments`` (per segment: ``size``, ``share``, ``persona``,
            ``description``, ``actions``, ``numbers`` per column,
            ``answers`` per column and answer, ``options``, ``top_answers``
            with counts), ``tests``, ``rules``, ``columns`` and
            ``surrogate`` (its held-out balanced accuracy or why it was
            skipped). Missing numbers are None.
        """
        check_is_fitted(self, "profile_")
        segments = {}
        for segment, persona in self.personas_.iterrows():
            rows = self.profile_[self.profile_["segment"] == segment]
            entry = {
                "size": int(persona["size"]),
                "share": float(persona["share"]),
                "persona": persona["name"],
                "description": persona["description"],
                "actions": list(persona["actions"]),
                "numbers": {},
                "answers": {},
                "options": {},
                "top_answers": {},
            }
            for _, row in rows.iterrows():
                column = str(row["column"])
                if row["kind"] == "number":
                    entry["numbers"][column] = {
                        key: _plain(row[key])
                        for key in ("n", "mean", "median", "std", "ci_low", "ci_high")
                    }
                    continue
                group = {"answer": "answers", "option": "options"}.get(
                    row["kind"], "top_answers"
                )
                value = (
                    int(row["count"])
                    if group == "top_answers"
                    else {key: _plain(row[key]) for key in ("count", "share", "lift")}
                )
                entry[group].setdefault(column, {})[str(row["answer"])] = value
            segments[str(segment)] = entry
        surrogate = {k: v for k, v in self.surrogate_.items() if k != "model"}
        return _plain(
            {
                "segments": segments,
                "tests": self.tests_.to_dict(orient="records"),
                "rules": self.rules_.to_dict(orient="records"),
                "columns": self.columns_.reset_index().to_dict(orient="records"),
                "surrogate": surrogate,
            }
        )

    def to_json(self, path=None):
        """:meth:`to_dict` as JSON text, written to ``path`` when given.

        Parameters
        ----------
        path : str or path-like, default=None
            File to write.

        Returns
        -------
        text : str
            The JSON (NaN written as null).
        """
        text = json.dumps(self.to_dict(), indent=2, allow_nan=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
        return text

    def to_html(self, path=None, X=None, plots=True):
        """A self-contained HTML report a manager can open offline.

        Sections: the personas and their actions, segment sizes, the
        profile (heat map of standardised means and the headline table),
        the distinguishing answers of each segment, the 2-D map of the
        customers, the tests, the action rules and what was not profiled.
        Plots are PNG images embedded in the page.

        Parameters
        ----------
        path : str or path-like, default=None
            File to write.
        X : DataFrame or array-like, default=None
            The fitted rows, for the 2-D map (left out when None).
        plots : bool, default=True
            Embed plots; they need matplotlib (``pip install
            "custseg[plot]"``). False gives tables only.

        Returns
        -------
        html : str
        """
        from ._report import render_report

        check_is_fitted(self, "profile_")
        html = render_report(self, X=X, plots=plots)
        if path is not None:
            with open(path, "w", encoding="utf-8") as file:
                file.write(html)
        return html

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        segmenter = self.segmenter
        if segmenter is None:
            segmenter = make_pipeline(SurveyPreprocessor(), ClusterSelector())
        # a meta-estimator takes the input its segmenter takes
        inner = get_tags(segmenter).input_tags
        tags.input_tags.allow_nan = inner.allow_nan
        tags.input_tags.string = inner.string
        tags.input_tags.categorical = inner.categorical
        tags.input_tags.sparse = False
        return tags


class _AllSegments:
    """The key of the score over all segments (no segment label can equal it)."""


_ALL = _AllSegments()


def _surrogate_scores(classifier, X, y):
    """Balanced accuracy over all segments, ROC AUC of each against the rest."""
    proba = classifier.predict_proba(X)
    classes = classifier.classes_
    scores = {_ALL: balanced_accuracy_score(y, classes[np.argmax(proba, axis=1)])}
    for i, segment in enumerate(classes):
        member = y == segment
        if 0 < member.sum() < len(y):
            scores[segment] = roc_auc_score(member, proba[:, i])
    return scores


def _permuted_drops(classifier, X, y, block, permutations, baseline):
    """Score drops when the outputs of one column are shuffled, per repeat."""
    drops = {key: [] for key in baseline}
    for permutation in permutations:
        shuffled = X.copy()
        if len(block):
            shuffled[:, block] = X[permutation][:, block]
        scores = _surrogate_scores(classifier, shuffled, y)
        for key in baseline:
            drops[key].append(baseline[key] - scores.get(key, np.nan))
    return drops


def _fit_labels(segmenter, X):
    """Fit the segmenter and return the segment of every row of X."""
    if isinstance(segmenter, FrozenEstimator):
        inner = segmenter.estimator
        if hasattr(inner, "predict"):
            return np.asarray(inner.predict(X))
        labels = getattr(_last_step(inner), "labels_", None)
        if labels is not None and len(labels) == len(X):
            return np.asarray(labels)  # the rows it was fitted on
        raise InvalidInputError(
            f"SegmentProfiler.fit: the frozen segmenter ({type(inner).__name__}) "
            "has no predict method, and its labels_ do not cover these rows; give "
            "it the rows it was fitted on, or a segmenter that can predict."
        )
    if hasattr(segmenter, "fit_predict"):
        return np.asarray(segmenter.fit_predict(X))
    return np.asarray(segmenter.fit(X).predict(X))


def _unfrozen(segmenter):
    return segmenter.estimator if isinstance(segmenter, FrozenEstimator) else segmenter


def _last_step(segmenter):
    segmenter = _unfrozen(segmenter)
    return segmenter[-1] if isinstance(segmenter, Pipeline) else segmenter


def _membership_kind(step):
    if hasattr(step, "predict_proba"):
        return "probability"
    if hasattr(step, "cluster_centers_"):
        return "centroid margin"
    return "unavailable"


def _score(segmenter, X, kind):
    """Segment, membership strength and distance to the nearest centre.

    For a pipeline, the space its last step sees is computed once and used
    for both the segment and the membership.
    """
    segmenter = _unfrozen(segmenter)
    step = _last_step(segmenter)
    if isinstance(segmenter, Pipeline) and len(segmenter) > 1:
        space = segmenter[:-1].transform(X)
    else:
        space = X
    segment = np.asarray(step.predict(space))
    n = len(segment)
    if kind == "probability":
        membership = np.asarray(step.predict_proba(space)).max(axis=1)
        return segment, membership, np.full(n, np.nan)
    if kind != "centroid margin":
        return segment, np.full(n, np.nan), np.full(n, np.nan)
    centers = np.asarray(step.cluster_centers_)
    distances = euclidean_distances(np.asarray(space, dtype=np.float64), centers)
    if centers.shape[0] < 2:
        return segment, np.ones(n), distances[:, 0]
    nearest = np.sort(distances, axis=1)[:, :2]
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = (nearest[:, 1] - nearest[:, 0]) / nearest[:, 1]
    return segment, np.nan_to_num(margin, nan=0.0), nearest[:, 0]


def _columns_table(reader, answers, skipped):
    rows = []
    for column in reader.roles_.index:
        entry = answers.get(column)
        rows.append(
            {
                "column": column,
                "role": reader.roles_.loc[column, "role"],
                "profiled": entry is not None,
                "reason": skipped.get(column),
            }
        )
    return pd.DataFrame(rows).set_index("column")


def _plain(value):
    """Numpy and pandas values as plain Python, NaN as None (for JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value
