"""Tests of SurveyPreprocessor against hand-computed cases and documented figures."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.pipeline import make_pipeline

from custseg import SurveyPreprocessor
from custseg.datasets import make_survey
from custseg.exceptions import DataDroppedWarning, InputTypeError, InvalidInputError


def _fit_quietly(preprocessor, frame):
    """Fit where a DataDroppedWarning is expected (and asserted elsewhere)."""
    with pytest.warns(DataDroppedWarning):
        return preprocessor.fit_transform(frame)


# ----------------------------------------------------------------- hand cases
def test_each_role_encodes_as_computed_by_hand():
    frame = pd.DataFrame(
        {
            "age": [20.0, 30.0, np.nan, 50.0],
            "rating": [1, 2, 5, 4],
            "usage": ["Never", "Often", None, "Always"],
            "channel": ["web", "store", "web", None],
            "bought": ["A;B", "B", None, "C;A"],
        }
    )
    prep = SurveyPreprocessor(scale=None).set_output(transform="pandas")
    out = prep.fit_transform(frame)
    assert prep.roles_["role"].tolist() == [
        "numeric",
        "likert",
        "ordinal",
        "nominal",
        "multiselect",
    ]
    # numeric: median of 20, 30, 50 fills the gap
    assert out["age"].tolist() == [20.0, 30.0, 30.0, 50.0]
    assert out["rating"].tolist() == [1.0, 2.0, 5.0, 4.0]
    # Never=1 .. Always=5 on the frequency scale; median rank of 1, 4, 5 is 4
    assert out["usage"].tolist() == [1.0, 4.0, 4.0, 5.0]
    # one-hot, levels sorted; the missing answer takes the most frequent (web)
    assert out["channel_store"].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert out["channel_web"].tolist() == [1.0, 0.0, 1.0, 1.0]
    # multi-select; the missing answer gets each option's share among answers
    assert out["bought_A"].tolist() == [1.0, 0.0, pytest.approx(2 / 3), 1.0]
    assert out["bought_B"].tolist() == [1.0, 1.0, pytest.approx(2 / 3), 0.0]
    assert out["bought_C"].tolist() == [0.0, 0.0, pytest.approx(1 / 3), 1.0]
    assert prep.feature_map_.loc["bought_C", "source"] == "bought"
    assert prep.feature_map_.loc["bought_C", "answer"] == "C"
    assert prep.feature_map_.loc["usage", "answer"] is None


def test_standard_scaling_of_continuous_outputs_only():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "b", "a", "a"]})
    out = SurveyPreprocessor().fit_transform(frame)
    expected = (np.array([1, 2, 3, 4]) - 2.5) / np.std([1, 2, 3, 4])
    np.testing.assert_allclose(out[:, 0], expected)
    np.testing.assert_array_equal(out[:, 1:], [[1, 0], [0, 1], [1, 0], [1, 0]])


def test_minmax_scaling_and_constant_column():
    frame = pd.DataFrame({"x": [2.0, 4.0, 6.0], "k": [5.0, 5.0, 5.0]})
    prep = SurveyPreprocessor(scale="minmax", roles={"k": "numeric"})
    out = prep.fit_transform(frame)
    np.testing.assert_allclose(out[:, 0], [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(out[:, 1], [0.0, 0.0, 0.0])
    out = SurveyPreprocessor(roles={"k": "numeric"}).fit_transform(frame)
    np.testing.assert_array_equal(out[:, 1], [0.0, 0.0, 0.0])


def test_declared_roles_orders_and_multiple_roles():
    frame = pd.DataFrame(
        {"size": ["small", "large", "medium", "small"], "score": [1, 3, 2, 3]}
    )
    prep = SurveyPreprocessor(
        orders={"size": ["small", "medium", "large"]},
        roles={"score": ["likert", "nominal"]},
        likert_scales={"score": (1, 3)},
        scale=None,
    )
    prep.fit(frame)
    names = list(prep.get_feature_names_out())
    assert names == ["size", "score_num", "score_1", "score_2", "score_3"]
    out = prep.transform(frame)
    np.testing.assert_array_equal(out[:, 0], [1, 3, 2, 1])
    np.testing.assert_array_equal(out[:, 1], [1, 3, 2, 3])
    assert prep.roles_.loc["size", "inferred"] == False  # noqa: E712
    assert prep.roles_.loc["score", "role"] == "likert + nominal"
    assert "small < medium < large" in prep.roles_.loc["size", "detail"]


def test_missing_indicator_strategy_for_nominal():
    frame = pd.DataFrame({"c": ["a", None, "b", "a"]})
    prep = SurveyPreprocessor(imputation={"nominal": "indicator"}).fit(frame)
    assert list(prep.get_feature_names_out()) == ["c_a", "c_b", "c_(missing)"]
    np.testing.assert_array_equal(prep.transform(frame)[1], [0, 0, 1])


def test_ordered_categorical_keeps_its_order():
    levels = ["low", "mid", "high"]
    frame = pd.DataFrame(
        {"v": pd.Categorical(["high", "low", "mid"], categories=levels, ordered=True)}
    )
    prep = SurveyPreprocessor(scale=None).fit(frame)
    assert prep.roles_.loc["v", "role"] == "ordinal"
    np.testing.assert_array_equal(prep.transform(frame)[:, 0], [3, 1, 2])


def test_datetime_parts_read_wall_clock_time():
    frame = pd.DataFrame(
        {
            "t": ["2023/06/04 1:28:19 PM GMT+5:30", "2023/06/05 9:02:00 AM GMT+5:30"],
            "x": [1.0, 2.0],
        }
    )
    prep = SurveyPreprocessor(datetime_parts=["hour", "day_of_week"], scale=None)
    out = prep.set_output(transform="pandas").fit_transform(frame)
    assert prep.roles_.loc["t", "role"] == "datetime"
    assert out["t_hour"].tolist() == [13.0, 9.0]
    assert out["t_day_of_week"].tolist() == [6.0, 0.0]  # a Sunday, then a Monday


def test_datetime_dtype_and_time_zones():
    stamps = pd.to_datetime(["2024-01-01 08:00", "2024-01-02 20:30"]).tz_localize(
        "Asia/Kolkata"
    )
    frame = pd.DataFrame({"t": stamps})
    prep = SurveyPreprocessor(datetime_parts=["hour"], scale=None).fit(frame)
    np.testing.assert_array_equal(prep.transform(frame)[:, 0], [8, 20])


def test_text_topics_are_reproducible_under_random_state():
    words = ["price shipping cost", "price cheap deal", "quality brand premium"]
    frame = pd.DataFrame({"why": [words[i % 3] for i in range(30)]})
    prep = SurveyPreprocessor(roles={"why": "text"}, text_topics=2, random_state=0)
    first = prep.fit_transform(frame)
    second = clone(prep).fit_transform(frame)
    np.testing.assert_array_equal(first, second)
    assert list(prep.get_feature_names_out()) == ["why_topic_0", "why_topic_1"]
    raw = clone(prep).set_params(scale=None).fit_transform(frame)
    np.testing.assert_allclose(raw.sum(axis=1), 1.0)


def test_text_column_without_topics_is_left_out_with_warning():
    frame = pd.DataFrame(
        {
            "comment": [f"this is free comment number {i} here" for i in range(80)],
            "x": np.arange(80.0),
        }
    )
    with pytest.warns(DataDroppedWarning, match="'comment' was left out"):
        prep = SurveyPreprocessor().fit(frame)
    assert prep.roles_.loc["comment", "role"] == "text"
    assert prep.roles_.loc["comment", "n_outputs"] == 0
    # declaring it ignored silences the warning
    SurveyPreprocessor(roles={"comment": "ignore"}).fit(frame)


def test_identifiers_are_left_out():
    frame = pd.DataFrame(
        {"CustomerId": np.arange(1000, 1040), "spend": np.linspace(1, 9, 40)}
    )
    with pytest.warns(DataDroppedWarning, match="CustomerId"):
        prep = SurveyPreprocessor().fit(frame)
    assert prep.roles_.loc["CustomerId", "role"] == "identifier"
    assert list(prep.get_feature_names_out()) == ["spend"]


# ------------------------------------------------------------ unknown answers
def test_unseen_category_is_zeros_counted_and_warned():
    prep = SurveyPreprocessor().fit(pd.DataFrame({"c": ["a", "b", "a"]}))
    new = pd.DataFrame({"c": ["a", "z", "z", "y"]})
    with pytest.warns(DataDroppedWarning, match=r"'c': 3 answer\(s\)"):
        out = prep.transform(new)
    np.testing.assert_array_equal(out[1:], np.zeros((3, 2)))
    with pytest.raises(InvalidInputError, match="not seen in fit"):
        clone(prep).set_params(handle_unknown="error").fit(new[:1]).transform(new)
    quiet = clone(prep).set_params(handle_unknown="ignore").fit(new[:1])
    quiet.transform(new)  # no warning: warnings are errors in this suite


def test_answer_outside_declared_order_is_missing_and_counted():
    frame = pd.DataFrame({"u": ["Never", "Yes", "Often", "No"]})
    prep = SurveyPreprocessor(orders={"u": ["Never", "Often"]}, scale=None)
    with pytest.warns(DataDroppedWarning, match=r"2 answer\(s\) \('Yes', 'No'\)"):
        out = prep.fit_transform(frame)
    np.testing.assert_array_equal(out[:, 0], [1.0, 1.5, 2.0, 1.5])


# ---------------------------------------------------------------- bad input
def test_empty_frame_is_an_error():
    with pytest.raises(InvalidInputError, match="0 sample"):
        SurveyPreprocessor().fit(pd.DataFrame({"a": []}))
    with pytest.raises(InvalidInputError, match="0 feature"):
        SurveyPreprocessor().fit(pd.DataFrame(index=range(3)))


def test_all_missing_column_is_an_error_naming_it():
    frame = pd.DataFrame({"a": [1.0, 2.0], "empty": [np.nan, np.nan]})
    with pytest.raises(InvalidInputError, match="'empty' has no answers"):
        SurveyPreprocessor().fit(frame)
    # declared ignored, it is simply left out
    prep = SurveyPreprocessor(roles={"empty": "ignore"}).fit(frame)
    assert list(prep.get_feature_names_out()) == ["a"]


def test_likert_out_of_declared_range_is_an_error_in_fit_and_transform():
    frame = pd.DataFrame({"sat": [1, 2, 6]})
    with pytest.raises(InvalidInputError, match=r"'sat'.*from 1 to 5.*6"):
        SurveyPreprocessor(likert_scales={"sat": (1, 5)}).fit(frame)
    declared = SurveyPreprocessor(likert_scales={"sat": (1, 5)}).fit(frame[:2])
    with pytest.raises(InvalidInputError, match="whole numbers from 1 to 5; found 2.5"):
        declared.transform(pd.DataFrame({"sat": [2.5]}))


def test_answer_outside_an_inferred_likert_scale_is_kept_and_reported():
    prep = SurveyPreprocessor(scale=None).fit(pd.DataFrame({"n": [0, 1, 2, 4]}))
    assert prep.roles_.loc["n", "detail"].startswith("scale 0..5")
    with pytest.warns(
        DataDroppedWarning, match=r"'n': 2 answer\(s\) \(2.5, 6.0\) outside"
    ):
        out = prep.transform(pd.DataFrame({"n": [2.5, 6, 3]}))
    np.testing.assert_array_equal(out[:, 0], [2.5, 6, 3])
    strict = (
        clone(prep)
        .set_params(handle_unknown="error")
        .fit(pd.DataFrame({"n": [0, 1, 2]}))
    )
    with pytest.raises(InvalidInputError, match="outside the inferred scale"):
        strict.transform(pd.DataFrame({"n": [7]}))


def test_mixed_types_need_a_declared_role():
    frame = pd.DataFrame({"age": pd.Series([23, "unknown", 41, 35], dtype=object)})
    with pytest.raises(InvalidInputError, match=r"'age' mixes types.*roles="):
        SurveyPreprocessor().fit(frame)
    prep = SurveyPreprocessor(roles={"age": "numeric"}, scale=None)
    with pytest.warns(DataDroppedWarning, match="not numbers"):
        out = prep.fit_transform(frame)
    np.testing.assert_array_equal(out[:, 0], [23, 35, 41, 35])


def test_values_that_are_not_answers_are_a_type_error():
    frame = pd.DataFrame({"a": pd.Series([{"k": 1}, "x"], dtype=object)})
    with pytest.raises(InputTypeError, match="'a'.*string, a number or missing"):
        SurveyPreprocessor().fit(frame)


def test_infinite_numbers_are_an_error():
    with pytest.raises(InvalidInputError, match="'x' holds 1 infinite"):
        SurveyPreprocessor().fit(pd.DataFrame({"x": [1.0, np.inf]}))


def test_array_without_column_names_gets_x0_x1():
    X = np.array([[1.0, 5.0], [2.0, 7.5], [3.0, 9.0]])
    prep = SurveyPreprocessor().fit(X)
    assert not hasattr(prep, "feature_names_in_")
    assert list(prep.roles_.index) == ["x0", "x1"]
    assert list(prep.get_feature_names_out()) == ["x0", "x1"]
    assert list(prep.get_feature_names_out(["a", "b"])) == ["a", "b"]


def test_duplicate_column_names_are_an_error():
    frame = pd.DataFrame([[1, 2, 3]], columns=["a", "b", "a"])
    with pytest.raises(InvalidInputError, match="duplicates 'a'"):
        SurveyPreprocessor().fit(frame)


def test_one_dimensional_input_is_an_error():
    with pytest.raises(InvalidInputError, match="Reshape your data"):
        SurveyPreprocessor().fit(pd.Series([1.0, 2.0]))


def test_column_missing_at_transform_is_named():
    prep = SurveyPreprocessor().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}))
    with pytest.raises(InvalidInputError, match="missing:\n- b"):
        prep.transform(pd.DataFrame({"a": [1.0]}))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"roles": {"nope": "numeric"}}, "roles names column"),
        ({"roles": {"a": "rating"}}, r"roles\['a'\] is 'rating'"),
        ({"roles": {"a": ["numeric", "numeric"]}}, "repeats a role"),
        ({"orders": {"a": ["x", "x"]}, "roles": {"a": "ordinal"}}, "repeats a level"),
        ({"likert_scales": {"a": (5, 1)}}, "lowest < highest"),
        ({"imputation": {"nominal": "median"}}, r"imputation\['nominal'\]"),
        ({"imputation": {"colour": "median"}}, "imputation has the key 'colour'"),
        ({"datetime_parts": ["week"]}, "datetime_parts holds 'week'"),
        ({"text_topics": {"a": -1}}, r"text_topics\['a'\]"),
    ],
)
def test_bad_parameters_name_themselves(params, match):
    frame = pd.DataFrame({"a": ["x", "y", "x"]})
    with pytest.raises(InvalidInputError, match=match):
        SurveyPreprocessor(**params).fit(frame)


def test_ordinal_without_known_order_is_an_error():
    frame = pd.DataFrame({"a": ["red", "blue"]})
    with pytest.raises(InvalidInputError, match=r"orders=\{'a'"):
        SurveyPreprocessor(roles={"a": "ordinal"}).fit(frame)


def test_colliding_output_names_are_an_error():
    frame = pd.DataFrame({"a": ["num", "x", "x"], "a_num": [1.0, 2.0, 3.0]})
    with pytest.raises(InvalidInputError, match="several outputs would be named"):
        SurveyPreprocessor(roles={"a": "nominal"}).fit(frame)


def test_unknown_preset():
    with pytest.raises(InvalidInputError, match="Unknown preset 'x'"):
        SurveyPreprocessor.from_preset("x")


def test_transform_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        SurveyPreprocessor().transform(pd.DataFrame({"a": [1.0]}))


# ------------------------------------------------------ input never modified
def test_input_frame_is_never_modified():
    frame, _ = make_survey(300, missing_rate=0.05, return_segments=True, random_state=1)
    before = frame.copy(deep=True)
    prep = SurveyPreprocessor(roles={"timestamp": "ignore"})
    prep.fit(frame)
    prep.transform(frame)
    prep.fit_transform(frame)
    pd.testing.assert_frame_equal(frame, before)


# ------------------------------------------------------------ synthetic data
def test_pipeline_recovers_planted_segments():
    frame, segments = make_survey(
        3000, n_segments=3, return_segments=True, random_state=0
    )
    pipeline = make_pipeline(
        SurveyPreprocessor(roles={"timestamp": "ignore"}),
        PCA(n_components=0.9, random_state=0),
        KMeans(n_clusters=3, n_init=10, random_state=0),
    )
    labels = pipeline.fit_predict(frame)
    assert adjusted_rand_score(segments, labels) > 0.5


def test_inferred_roles_on_the_survey_schema():
    frame = make_survey(500, random_state=3)
    with pytest.warns(DataDroppedWarning, match="'timestamp' was left out"):
        prep = SurveyPreprocessor().fit(frame)
    roles = prep.roles_["role"]
    assert roles["timestamp"] == "datetime"
    assert roles["purchase_categories"] == "multiselect"
    assert roles["age"] == "numeric"
    for column in ("shopping_satisfaction", "rating_accuracy"):
        assert roles[column] == "likert"
    for column in ("purchase_frequency", "cart_completion_frequency", "review_left"):
        assert roles[column] == "ordinal"
    for column in ("gender", "product_search_method", "service_appreciation"):
        assert roles[column] == "nominal"
    assert (
        "Never < Rarely < Occasionally < Moderately < Heavily"
        in (prep.roles_.loc["review_reliability", "detail"])
    )
