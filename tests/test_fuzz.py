"""Fuzzing: every public estimator and function on awkward tables.

Each call on a drawn input (tests/strategies.py) must either

- succeed with finite numbers, NaN only where custseg documents, warns
  about and counts a "not available" (see docs/bad_input.md), and a
  :class:`~custseg.exceptions.DataDroppedWarning` whenever rows, columns or
  values are left out; or
- raise a :class:`~custseg.exceptions.CustsegError` (or scikit-learn's
  ``InvalidParameterError`` for a constructor parameter) whose message says
  who complains and names a column or parameter.

Never a bare KeyError, IndexError, ZeroDivisionError, AttributeError or an
error from numpy, pandas or scipy internals; and the input is never
modified. The examples are derandomized (the "ci" profile of
tests/conftest.py), so every run tries the same ones.
"""

import copy
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from bad_input_catalogue import GivenLabels
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils._param_validation import InvalidParameterError
from strategies import (
    NUMERIC_KINDS,
    frames,
    labels,
    numbers,
    summaries,
    transaction_logs,
)

from custseg import (
    BehaviorAggregator,
    ChurnRiskScorer,
    ClusterSelector,
    CLVEstimator,
    SegmentProfiler,
    SurveyPreprocessor,
    drivers,
    evaluate_clv,
    heuristic_clv,
    nps,
    rfm_summary,
)
from custseg.datasets import make_purchase_summary, make_survey
from custseg.exceptions import CustsegError, DataDroppedWarning, FitWarning

ACCEPTED_ERRORS = (CustsegError, InvalidParameterError)


def _examples(n):
    """``n`` examples, times CUSTSEG_FUZZ_SCALE (default 1) for a longer hunt."""
    return max(1, int(n * float(os.environ.get("CUSTSEG_FUZZ_SCALE", "1"))))


# Words by which a message names what is wrong with the input.
_NAMING_WORDS = (
    "column",
    "columns",
    "row",
    "rows",
    "sample",
    "samples",
    "feature",
    "features",
    "table",
    "label",
    "labels",
)


@dataclass
class Outcome:
    """What a call did: its result or its error, and the warnings it gave."""

    result: object = None
    error: BaseException | None = None
    warnings: list = field(default_factory=list)

    def warned(self, category=DataDroppedWarning):
        return any(issubclass(w.category, category) for w in self.warnings)


def _snapshot(value):
    return copy.deepcopy(value)


def _assert_unchanged(before, after):
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before, check_exact=True)
    elif isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before, check_exact=True)
    elif isinstance(before, np.ndarray):
        np.testing.assert_array_equal(after, before)
    else:
        assert repr(after) == repr(before)


def attempt(function, *inputs, who, names=()):
    """Call ``function()``, check the error if any and that ``inputs`` are kept.

    Parameters
    ----------
    function : callable
        Takes no arguments.
    *inputs
        The data the call reads; each must be left exactly as it was.
    who : str or tuple of str
        What a custseg error message must mention (the class or function
        that complains; a tuple: any of them), unless it starts with the
        column ("Column 'a' ...").
    names : sequence of str
        Parameter names a message may name besides columns and X/y.
    """
    before = [_snapshot(value) for value in inputs]
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome.result = function()
        except Exception as exc:
            outcome.error = exc
    outcome.warnings = list(caught)
    for value, copy_before in zip(inputs, before, strict=True):
        _assert_unchanged(copy_before, value)
    if outcome.error is not None:
        check_error(outcome.error, inputs, who=who, names=names)
    return outcome


def check_error(error, inputs=(), *, who, names=()):
    """The error is custseg's (or a parameter error) and names what is wrong."""
    if not isinstance(error, ACCEPTED_ERRORS):
        raise AssertionError(
            f"{type(error).__module__}.{type(error).__name__} escaped: {error}"
        ) from error
    if isinstance(error, InvalidParameterError):
        return
    message = str(error)
    assert message, f"{type(error).__name__} without a message"
    whos = (who,) if isinstance(who, str) else who
    assert any(w in message for w in whos) or message.startswith("Column "), (
        f"the message does not say who complains ({who}): {message}"
    )
    named = any(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", message, flags=re.IGNORECASE)
        for w in _NAMING_WORDS
    ) or any(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", message) for w in (*names, "X", "y")
    )
    for value in inputs:
        if isinstance(value, pd.DataFrame):
            named = named or any(repr(c) in message for c in value.columns)
    assert named, f"the message names no column or parameter: {message}"


def assert_finite(values, what, allowed_nan=None):
    """Every number in ``values`` is finite, NaN only where ``allowed_nan``."""
    array = np.asarray(values, dtype=np.float64)
    nan = np.isnan(array)
    if allowed_nan is not None:
        allowed = np.asarray(allowed_nan, dtype=bool)
        allowed = np.broadcast_to(
            allowed.reshape(allowed.shape + (1,) * (array.ndim - allowed.ndim)),
            array.shape,
        )
        assert not (nan & ~allowed).any(), f"{what}: NaN where not documented"
        nan = nan & ~allowed
    assert not nan.any(), f"{what}: NaN at {np.argwhere(nan)[:5].tolist()}"
    assert not np.isinf(array).any(), f"{what}: infinite values"


def numeric_frame_values(frame):
    """The numbers of a result table (numeric columns only)."""
    return frame.select_dtypes("number").to_numpy(dtype=np.float64)


# --------------------------------------------------------------------------
# SurveyPreprocessor, and the Pipeline SurveyPreprocessor -> ClusterSelector

PREP_PARAMS = st.fixed_dictionaries(
    {
        "scale": st.sampled_from(["standard", "minmax", None]),
        "handle_unknown": st.sampled_from(["warn", "ignore", "error"]),
        "datetime_parts": st.sampled_from([None, ["year", "hour"], ["day_of_week"]]),
        "text_topics": st.sampled_from([0, 2]),
    }
)


@settings(max_examples=_examples(150))
@given(frame=frames(), other=frames(), params=PREP_PARAMS)
def test_survey_preprocessor(frame, other, params):
    prep = SurveyPreprocessor(random_state=0, **params)
    fitted = attempt(lambda: prep.fit_transform(frame), frame, who="SurveyPreprocessor")
    if fitted.error is not None:
        return
    out = fitted.result
    assert out.shape[0] == len(frame)
    assert out.shape[1] == len(prep.get_feature_names_out())
    assert_finite(out, "fit_transform")
    left_out = prep.roles_[(prep.roles_["n_outputs"] == 0)]
    if len(left_out):
        assert fitted.warned(), f"columns left out silently: {list(left_out.index)}"
    again = attempt(lambda: prep.transform(frame), frame, who="SurveyPreprocessor")
    if again.error is None:  # the same rows encode the same way
        np.testing.assert_allclose(again.result, out, rtol=1e-12, atol=1e-12)
    else:
        assert params["handle_unknown"] == "error"
    # new rows: other data under the same column names
    if other.shape[1] == frame.shape[1]:
        other = other.set_axis(frame.columns, axis=1)
    new = attempt(lambda: prep.transform(other), other, who="SurveyPreprocessor")
    if new.error is None:
        assert new.result.shape == (len(other), out.shape[1])
        assert_finite(new.result, "transform")


@settings(max_examples=_examples(40))
@given(frame=frames(min_rows=2))
def test_survey_preprocessor_then_cluster_selector(frame):
    pipeline = make_pipeline(
        SurveyPreprocessor(),
        ClusterSelector(
            candidates=["kmeans", "agglomerative"],
            k_range=(2, 3),
            n_bootstrap=2,
            random_state=0,
        ),
    )
    outcome = attempt(
        lambda: pipeline.fit_predict(frame),
        frame,
        who=("SurveyPreprocessor", "ClusterSelector"),
    )
    if outcome.error is None:
        assert outcome.result.shape == (len(frame),)
        assert_finite(outcome.result, "labels")
        assert_finite(pipeline[-1].cluster_centers_, "cluster_centers_")


# --------------------------------------------------------------------------
# ClusterSelector on raw tables and on numbers with extremes


@settings(max_examples=_examples(60))
@given(
    frame=frames(min_rows=0, max_rows=20, kinds=(*NUMERIC_KINDS, "bool", "str")),
    candidates=st.sampled_from(
        [["kmeans"], ["agglomerative", "gaussian_mixture"], ["dbscan", "hdbscan"]]
    ),
)
def test_cluster_selector(frame, candidates):
    selector = ClusterSelector(
        candidates=candidates, k_range=(2, 3), n_bootstrap=2, random_state=0
    )
    fitted = attempt(lambda: selector.fit(frame), frame, who="ClusterSelector")
    if fitted.error is not None:
        return
    assert selector.labels_.shape == (len(frame),)
    assert_finite(selector.labels_, "labels_")
    assert_finite(selector.cluster_centers_, "cluster_centers_")
    predicted = attempt(lambda: selector.predict(frame), frame, who="ClusterSelector")
    assert predicted.error is None, predicted.error
    assert_finite(predicted.result, "predict")


# --------------------------------------------------------------------------
# BehaviorAggregator


@settings(max_examples=_examples(120))
@given(
    frame=frames(
        min_rows=0,
        max_columns=2,
        required={
            "user": ("str", "int", "category", "mixed", "float", "all_missing"),
            "stars": ("int", "float", "nullable_int", "str", "mixed", "bool"),
            "paid": ("float", "int", "str", "constant", "big_int_object"),
            "category": ("str", "category", "int", "mixed", "constant"),
        },
    ),
    level=st.sampled_from([None, 1, 2]),
)
def test_behavior_aggregator(frame, level):
    aggregator = BehaviorAggregator(
        "user",
        rating_col="stars",
        spend_col="paid",
        category_col="category",
        category_level=level,
    )
    outcome = attempt(
        lambda: aggregator.fit_transform(frame), frame, who="BehaviorAggregator"
    )
    if outcome.error is not None:
        return
    users = outcome.result
    assert users.shape[1] == len(aggregator.features_)
    if frame["user"].isna().any() or aggregator.dropped_features_:
        assert outcome.warned(), "rows without a user or features dropped silently"
    nan = users.isna().to_numpy()
    if nan.any():
        # a user without any value of a column: "not available", warned about
        assert outcome.warned(), "NaN features without a warning"
    assert_finite(users.to_numpy(dtype=np.float64), "features", allowed_nan=nan)
    transformed = attempt(
        lambda: aggregator.transform(frame), frame, who="BehaviorAggregator"
    )
    assert transformed.error is None, transformed.error
    pd.testing.assert_frame_equal(transformed.result, users)


# --------------------------------------------------------------------------
# ChurnRiskScorer: supervised, rules, bgnbd


@settings(max_examples=_examples(60))
@given(
    data=st.data(),
    frame=frames(
        min_rows=0,
        max_rows=24,
        kinds=(*NUMERIC_KINDS, *NUMERIC_KINDS, "bool", "str", "category"),
    ),
    fast=st.booleans(),
)
def test_churn_supervised(data, frame, fast):
    y = data.draw(labels(len(frame)))
    # a classifier of the user's that accepts NaN (then passed on to it)
    own = make_pipeline(SimpleImputer(), LogisticRegression())
    scorer = ChurnRiskScorer(
        "supervised", cv=3, classifier=own if fast else None, random_state=0
    )
    fitted = attempt(lambda: scorer.fit(frame, y), frame, y, who="ChurnRiskScorer")
    if fitted.error is not None:
        return
    risk = attempt(lambda: scorer.predict_risk(frame), frame, who="ChurnRiskScorer")
    assert risk.error is None, risk.error
    assert_finite(risk.result, "predict_risk")
    assert ((risk.result >= 0) & (risk.result <= 1)).all()
    explained = attempt(lambda: scorer.explain(frame), frame, who="ChurnRiskScorer")
    assert explained.error is None, explained.error
    assert_finite(explained.result["contribution"], "explain")


RULE_KINDS = ("int", "float", "nullable_int", "str", "category", "ordered_category")


@settings(max_examples=_examples(100))
@given(
    data=st.data(),
    frame=frames(
        min_rows=0,
        max_columns=1,
        required={"score": RULE_KINDS, "answer": RULE_KINDS},
    ),
)
def test_churn_rules(data, frame):
    op = data.draw(st.sampled_from(["<=", ">", "==", "!=", "in"]))
    value = data.draw(st.one_of(numbers(), st.sampled_from(["Never", "a", ""])))
    rules = [
        {"name": "low", "column": "score", "op": op, "value": value, "weight": 1.0},
        {
            "name": "rarely",
            "column": "answer",
            "op": "in",
            "value": data.draw(st.sampled_from([["Never", "Rarely"], [1, 2], "a"])),
            "weight": data.draw(st.sampled_from([0.5, 2.0, 1e-300, 1e308])),
        },
    ]
    scorer = ChurnRiskScorer("rules", rules=rules)
    fitted = attempt(
        lambda: scorer.fit(frame), frame, who="ChurnRiskScorer", names=("rules",)
    )
    if fitted.error is not None:
        return
    risk = attempt(lambda: scorer.predict_risk(frame), frame, who="ChurnRiskScorer")
    if risk.error is not None:
        return
    # NaN exactly for the customers who answered none of the rules' columns
    unanswered = (frame["score"].isna() & frame["answer"].isna()).to_numpy()
    np.testing.assert_array_equal(np.isnan(risk.result), unanswered)
    assert_finite(risk.result, "predict_risk", allowed_nan=unanswered)
    assert ((risk.result[~unanswered] >= 0) & (risk.result[~unanswered] <= 1)).all()
    some_missing = (frame["score"].isna() | frame["answer"].isna()).to_numpy()
    assert risk.warned() == bool(some_missing.any())
    bands = attempt(lambda: scorer.risk_band(frame), frame, who="ChurnRiskScorer")
    assert bands.error is None, bands.error
    np.testing.assert_array_equal(bands.result == "not available", unanswered)


@settings(max_examples=_examples(60))
@given(summary=summaries(), horizon=st.sampled_from([0.0, 5.0, 1e300]))
def test_churn_bgnbd(summary, horizon):
    scorer = ChurnRiskScorer("bgnbd", horizon=horizon)
    fitted = attempt(lambda: scorer.fit(summary), summary, who="ChurnRiskScorer")
    if fitted.error is not None:
        return
    risk = attempt(lambda: scorer.predict_risk(summary), summary, who="ChurnRiskScorer")
    assert risk.error is None, risk.error
    assert_finite(risk.result, "predict_risk")
    explained = attempt(lambda: scorer.explain(summary), summary, who="ChurnRiskScorer")
    assert explained.error is None, explained.error


# --------------------------------------------------------------------------
# CLVEstimator, evaluate_clv, heuristic_clv, rfm_summary


@settings(max_examples=_examples(80))
@given(
    summary=summaries(holdout=True),
    model=st.sampled_from(["bgnbd", "pareto_nbd"]),
    spend=st.sampled_from(["gamma_gamma", None]),
    t=st.sampled_from([0.0, 1.0, 52.0, 1e300]),
)
def test_clv_estimator(summary, model, spend, t):
    clv = CLVEstimator(model, spend_model=spend)
    calibration = summary.drop(
        columns=["frequency_holdout", "duration_holdout"], errors="ignore"
    )
    fitted = attempt(lambda: clv.fit(calibration), calibration, who="CLVEstimator")
    if fitted.error is not None:
        return
    for name, call in [
        ("predict_proba_alive", lambda: clv.predict_proba_alive(calibration)),
        ("predict_purchases", lambda: clv.predict_purchases(calibration, t)),
        ("predict", lambda: clv.predict(calibration)),
        ("predict_spend", lambda: clv.predict_spend(calibration)),
    ]:
        outcome = attempt(call, calibration, who="CLVEstimator", names=("spend_model",))
        if outcome.error is not None:
            assert name in ("predict", "predict_spend") and spend is None
            continue
        # NaN only for customers whose prediction cannot be computed (the
        # parameters ran off in fit, which warned, or t is astronomically far
        # ahead): counted and warned about
        unavailable = np.isnan(outcome.result)
        if unavailable.any():
            assert outcome.warned()
            assert fitted.warned(FitWarning) or (
                name == "predict_purchases" and t > 1e15
            )
        assert_finite(outcome.result, name, allowed_nan=unavailable)
    score = attempt(lambda: clv.score(calibration), calibration, who="CLVEstimator")
    assert score.error is None and np.isfinite(score.result)
    evaluation = attempt(
        lambda: evaluate_clv(clv, summary),
        summary,
        who="evaluate_clv",
        names=("summary",),
    )
    if evaluation.error is None:
        predictions = evaluation.result.predictions
        model_unavailable = predictions["model"].isna()
        assert_finite(
            predictions, "evaluate_clv predictions", allowed_nan=model_unavailable
        )
        metrics = evaluation.result.metrics.drop(columns="correlation")
        if not model_unavailable.any():
            assert_finite(metrics, "evaluate_clv metrics")


@settings(max_examples=_examples(80))
@given(
    frame=frames(
        min_rows=0,
        max_columns=1,
        required={
            "average_order_value": ("float", "float", "int", "str", "nullable_int"),
            "purchase_frequency": ("float", "int", "mixed", "uint"),
        },
    ),
    lifespan=st.one_of(*[st.sampled_from([36, 12.5])] * 3, numbers()),
)
def test_heuristic_clv(frame, lifespan):
    outcome = attempt(
        lambda: heuristic_clv(frame, lifespan=lifespan),
        frame,
        who="heuristic_clv",
        names=("lifespan",),
    )
    if outcome.error is None:
        assert_finite(outcome.result, "heuristic_clv")
        assert (outcome.result >= 0).all()


@settings(max_examples=_examples(120))
@given(
    log=transaction_logs(),
    freq=st.sampled_from(["D", "W", "M"]),
    optional=st.sampled_from(
        [{}, {"quantity_col": "qty"}, {"cancelled_col": "cancelled"}]
    ),
    end=st.sampled_from([None, "2024-01-03", "1969-01-01", "not a date", 5]),
    calibration=st.sampled_from([None, "2024-01-02", "2100-01-01"]),
    flags=st.fixed_dictionaries(
        {"drop_zero_value": st.booleans(), "drop_duplicates": st.booleans()}
    ),
)
def test_rfm_summary(log, freq, optional, end, calibration, flags):
    outcome = attempt(
        lambda: rfm_summary(
            log,
            "customer",
            "date",
            "value",
            freq=freq,
            observation_period_end=end,
            calibration_period_end=calibration,
            **optional,
            **flags,
        ),
        log,
        who="rfm_summary",
        names=(
            "transactions",
            "customer_col",
            "datetime_col",
            "monetary_col",
            "observation_period_end",
            "calibration_period_end",
            "quantity_col",
            "cancelled_col",
        ),
    )
    if outcome.error is not None:
        return
    summary = outcome.result
    assert_finite(numeric_frame_values(summary), "rfm_summary")
    assert (numeric_frame_values(summary) >= 0).all()
    assert (summary["recency"] <= summary["T"]).all()
    customers = log["customer"].dropna()
    if summary.attrs["dropped"] or len(summary) < customers.nunique():
        assert outcome.warned(), "lines or customers dropped silently"


# --------------------------------------------------------------------------
# SegmentProfiler (given labels), summarize; drivers; nps


@settings(max_examples=_examples(60))
@given(
    data=st.data(),
    frame=frames(min_rows=0, max_rows=20, max_columns=4, odd_names=False),
)
def test_segment_profiler(data, frame):
    n_rows = len(frame)
    segments = data.draw(
        st.lists(st.sampled_from([0, 1, 2, -1, "a"]), min_size=n_rows, max_size=n_rows)
    )
    profiler = SegmentProfiler(GivenLabels(segments), n_repeats=0, random_state=0)
    fitted = attempt(
        lambda: profiler.fit(frame),
        frame,
        who=("SegmentProfiler", "SurveyPreprocessor"),
    )
    if fitted.error is not None:
        return
    assert len(profiler.labels_) == n_rows
    assert_finite(numeric_frame_values(profiler.sizes_), "sizes_")
    unprofiled = profiler.columns_[~profiler.columns_["profiled"]]
    if len(unprofiled):
        assert fitted.warned(), "columns left out of the profile silently"
    profile = profiler.profile_
    numbers_rows = profile["kind"] == "number"
    # a mean is "not available" only for a segment without an answer (n = 0),
    # a standard deviation and interval only below two answers
    assert_finite(
        profile.loc[numbers_rows, "mean"],
        "profile_ mean",
        allowed_nan=profile.loc[numbers_rows, "n"] == 0,
    )
    assert_finite(
        profile.loc[numbers_rows, "std"],
        "profile_ std",
        allowed_nan=profile.loc[numbers_rows, "n"] < 2,
    )
    share_rows = profile["kind"].isin(["answer", "option"])
    assert_finite(
        profile.loc[share_rows, "share"],
        "profile_ share",
        allowed_nan=profile.loc[share_rows, "n"] == 0,
    )
    tests = profiler.tests_
    # a test without a p-value says why
    assert (tests["p_value"].notna() | tests["reason"].notna()).all()
    values = data.draw(
        st.one_of(
            st.lists(st.floats(), min_size=n_rows, max_size=n_rows),
            st.lists(numbers(), min_size=n_rows, max_size=n_rows),
        )
    )
    summary = attempt(
        lambda: profiler.summarize(values, "risk"),
        values,
        who="SegmentProfiler",
        names=("values",),
    )
    if summary.error is None:
        table = summary.result
        assert_finite(table["n"], "summarize n")
        assert_finite(table["mean"], "summarize mean", allowed_nan=table["n"] == 0)
        if np.isnan(np.asarray(values, dtype=np.float64)).any():
            assert summary.warned(), "NaN values left out silently"


@settings(max_examples=_examples(60))
@given(
    data=st.data(),
    frame=frames(
        min_rows=0,
        max_columns=3,
        required={"kpi": ("int", "float", "nullable_int", "ordered_category", "str")},
        odd_names=False,
    ),
)
def test_drivers(data, frame):
    n_bins = data.draw(st.sampled_from([5, 2, 1, 0, 2.5, True]))
    outcome = attempt(
        lambda: drivers(frame, "kpi", n_bins=n_bins),
        frame,
        who="drivers",
        names=("target", "n_bins", "max_levels", "kpi"),
    )
    if outcome.error is not None:
        return
    table = outcome.result
    assert_finite(table[["count"]], "drivers count")
    assert_finite(table["share"], "drivers share")
    assert_finite(table["target_mean"], "drivers mean", allowed_nan=table["count"] == 0)
    described = set(table["column"])
    if set(frame.columns) - {"kpi"} - described or frame["kpi"].isna().any():
        assert outcome.warned(), "columns or rows left out silently"


@settings(max_examples=_examples(80))
@given(
    data=st.data(),
    scores=st.lists(
        st.one_of(numbers(), st.sampled_from(["7", "x", None])), max_size=30
    ),
    thresholds=st.sampled_from([(9, 6), (5, 3), (6, 9), (1e308, -1e308), ("9", 6)]),
)
def test_nps(data, scores, thresholds):
    promoters, detractors = thresholds
    by = data.draw(
        st.one_of(
            st.none(),
            st.lists(
                st.sampled_from(["a", "b", None, 1]),
                min_size=len(scores),
                max_size=len(scores),
            ),
            st.lists(st.sampled_from(["a"]), max_size=3),
        )
    )
    outcome = attempt(
        lambda: nps(scores, promoters, detractors, by=by),
        scores,
        who="nps",
        names=("scores", "promoters", "detractors", "by"),
    )
    if outcome.error is not None:
        return
    result = outcome.result
    table = result.to_frame().T if isinstance(result, pd.Series) else result
    assert_finite(table[["n", "n_missing"]], "nps counts")
    assert_finite(table["nps"], "nps", allowed_nan=table["n"] == 0)
    assert ((table["nps"].dropna() >= -100) & (table["nps"].dropna() <= 100)).all()


# --------------------------------------------------------------------------
# custseg.plotting (the plots that take data)


@settings(max_examples=_examples(40))
@given(
    data=st.data(),
    frame=frames(min_rows=0, max_rows=12, kinds=(*NUMERIC_KINDS, "bool", "str")),
)
def test_plot_segments_2d(data, frame):
    import matplotlib.pyplot as plt

    from custseg.plotting import plot_segments_2d

    segments = data.draw(
        st.lists(st.sampled_from([0, 1, "a", None, 2.5]), max_size=len(frame) + 1)
    )
    figure, ax = plt.subplots()
    try:
        outcome = attempt(
            lambda: plot_segments_2d(frame, segments, ax=ax),
            frame,
            who="plot_segments_2d",
        )
        if outcome.error is None:
            assert outcome.result is ax
    finally:
        plt.close(figure)


# --------------------------------------------------------------------------
# custseg.datasets generators


def counts():
    """A number of rows: small, negative, beyond any array, or no count at all.

    (Counts that fit in an array but not in memory are numpy's MemoryError,
    documented in docs/bad_input.md, and not drawn here.)
    """
    odd = [2**62, 2**63 - 1, 2**70, 1.5, 10.0, True, "10", None, np.nan]
    return st.one_of(st.integers(1, 40), st.integers(-2, 40), st.sampled_from(odd))


@settings(max_examples=_examples(30))
@given(
    n=counts(),
    segments=st.one_of(st.integers(1, 10), st.integers(-1, 12), numbers()),
    missing=st.one_of(st.floats(0, 0.99), st.floats(-0.5, 1.5), numbers()),
    separation=st.one_of(st.floats(0, 10), st.floats(-1, 10), numbers()),
)
def test_make_survey(n, segments, missing, separation):
    outcome = attempt(
        lambda: make_survey(
            n, segments, missing_rate=missing, separation=separation, random_state=0
        ),
        who="make_survey",
        names=("n_customers", "n_segments", "missing_rate", "separation"),
    )
    if outcome.error is None:
        assert len(outcome.result) == n


@settings(max_examples=_examples(60))
@given(
    n=counts(),
    r=st.one_of(st.floats(0.01, 10), st.floats(0.01, 10), numbers()),
    T=st.one_of(
        st.floats(0.1, 100),
        st.tuples(st.floats(0.1, 50), st.floats(50, 100)),
        numbers(),
        st.tuples(numbers(), numbers()),
        st.sampled_from(["ab"]),
    ),
)
def test_make_purchase_summary(n, r, T):
    outcome = attempt(
        lambda: make_purchase_summary(n, r=r, T=T, random_state=0),
        who="make_purchase_summary",
        names=("n_customers", "r", "T"),
    )
    if outcome.error is None:
        summary = outcome.result
        assert len(summary) == n
        assert_finite(summary, "make_purchase_summary")
        assert (summary["recency"] <= summary["T"]).all()


@pytest.mark.parametrize(
    "estimator",
    [
        SurveyPreprocessor(),
        ClusterSelector(),
        BehaviorAggregator(),
        CLVEstimator(),
        ChurnRiskScorer("rules", rules="survey"),
        SegmentProfiler(),
    ],
    ids=lambda estimator: type(estimator).__name__,
)
@pytest.mark.parametrize(
    "bad", [None, 3, "text", [1, 2, 3], {"a": [1, 2]}, [[{"a": 1}, 2]], [["x", 1.5]]]
)
def test_estimators_refuse_what_is_no_table(estimator, bad):
    """Lists, scalars, dicts and None: a custseg error naming X, not numpy's."""
    # a segmenter's own steps may complain (SegmentProfiler's default one)
    who = (type(estimator).__name__, "SurveyPreprocessor", "ClusterSelector")
    outcome = attempt(lambda: estimator.fit(bad), who=who)
    if outcome.error is None:  # a 2-D list of numbers and text is a table
        assert isinstance(bad, list) and np.ndim(bad) == 2
