"""Edge cases of SurveyPreprocessor found in review, each pinned by a test."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from custseg import SurveyPreprocessor
from custseg.datasets import make_survey
from custseg.exceptions import DataDroppedWarning, InputTypeError, InvalidInputError


def _encode(prep, frame):
    return prep.set_output(transform="pandas").transform(frame)


def test_an_answer_encodes_the_same_whatever_else_is_in_the_batch():
    prep = SurveyPreprocessor(scale=None).fit(
        pd.DataFrame({"c": ["1.0", "2.5", "x", "1.0"]})
    )
    assert prep.roles_.loc["c", "role"] == "nominal"
    alone = _encode(prep, pd.DataFrame({"c": ["1.0"]}))
    assert alone.loc[0, "c_1.0"] == 1.0 and alone.to_numpy().sum() == 1.0


def test_codes_with_leading_zeros_stay_text():
    prep = SurveyPreprocessor(scale=None).fit(
        pd.DataFrame({"zip": ["001", "002", "003", "007"]})
    )
    assert prep.roles_.loc["zip", "role"] == "nominal"
    assert list(prep.get_feature_names_out()) == [
        "zip_001",
        "zip_002",
        "zip_003",
        "zip_007",
    ]
    declared = SurveyPreprocessor(roles={"code": "nominal"}).fit(
        pd.DataFrame({"code": ["01", "1", "02", "2"]})
    )
    assert len(declared.get_feature_names_out()) == 4


def test_numbers_label_the_same_in_mixed_categorical_and_numeric_columns():
    mixed = pd.DataFrame({"m": pd.Series([2.0, "x", 2.0], dtype=object)})
    prep = SurveyPreprocessor(roles={"m": "nominal"}, scale=None).fit(mixed)
    out = _encode(prep, pd.DataFrame({"m": [2.0]}))
    assert out.loc[0, "m_2"] == 1.0
    categorical = pd.DataFrame({"c": pd.Categorical([1.5, 2.0, 10.0])})
    prep = SurveyPreprocessor(roles={"c": "nominal"}, scale=None).fit(categorical)
    assert list(prep.get_feature_names_out()) == [
        "c_1.5",
        "c_2",
        "c_10",
    ]  # numeric order
    assert _encode(prep, pd.DataFrame({"c": [2.0]})).loc[0, "c_2"] == 1.0


def test_unused_categories_are_not_answers():
    frame = pd.DataFrame(
        {"y": pd.Categorical(["Yes", "No", "Yes"], categories=["No", "Other", "Yes"])}
    )
    prep = SurveyPreprocessor().fit(frame)
    assert prep.roles_.loc["y", "role"] == "ordinal"  # No < Yes, "Other" unused


def test_a_failed_refit_leaves_the_estimator_unfitted():
    prep = SurveyPreprocessor().fit(pd.DataFrame({"a": [1.0, 2, 3], "b": [2.0, 3, 9]}))
    bad = pd.DataFrame({"a": ["num", "x", "x"], "a_num": [1.0, 2, 3]})
    with pytest.raises(InvalidInputError, match="several outputs would be named"):
        prep.set_params(roles={"a": "nominal"}).fit(bad)
    with pytest.raises(NotFittedError):
        prep.transform(bad)


def test_datetime_parts_and_topics_encode_rows_independently():
    frame = make_survey(300, random_state=4)
    prep = SurveyPreprocessor(
        roles={"purchase_categories": "text"},
        text_topics={"purchase_categories": 2},
        datetime_parts=["hour", "day_of_week"],
        random_state=0,
    )
    full = prep.fit_transform(frame)
    np.testing.assert_allclose(prep.transform(frame.iloc[10:20]), full[10:20])


def test_ambiguous_dates_are_read_one_way_per_column():
    frame = pd.DataFrame({"t": ["01/02/2023", "13/02/2023", "02/01/2023"]})
    prep = SurveyPreprocessor(datetime_parts=["month", "day"], scale=None).fit(frame)
    out = prep.transform(frame)
    # 13/02 rules out month-first: every date is read day-first
    np.testing.assert_array_equal(out, [[2, 1], [2, 13], [1, 2]])


def test_numbers_with_a_placeholder_are_numbers_and_the_placeholder_is_counted():
    answers = [str(1 + i % 5) for i in range(39)] + ["N/A"]
    with pytest.warns(
        DataDroppedWarning, match=r"'sat': 1 answer\(s\) \('N/A'\) that are not numbers"
    ):
        prep = SurveyPreprocessor().fit(pd.DataFrame({"sat": answers}))
    assert prep.roles_.loc["sat", "role"] == "likert"
    assert "97.5% of answers are numbers" in prep.roles_.loc["sat", "reason"]


def test_timestamps_with_a_placeholder_are_dates():
    stamps = [f"2023-06-{d:02d} 10:00:00" for d in range(1, 29)] * 2 + ["N/A"]
    with pytest.warns(
        DataDroppedWarning, match=r"'t': 1 answer\(s\) \('N/A'\) that are not dates"
    ):
        prep = SurveyPreprocessor(datetime_parts=["day"]).fit(
            pd.DataFrame({"t": stamps})
        )
    assert prep.roles_.loc["t", "role"] == "datetime"


def test_string_identifiers_are_recognised_by_name():
    frame = pd.DataFrame(
        {"customer_id": [f"C{i}" for i in range(30)], "x": np.arange(30.0)}
    )
    with pytest.warns(DataDroppedWarning, match="customer_id"):
        prep = SurveyPreprocessor().fit(frame)
    assert prep.roles_.loc["customer_id", "role"] == "identifier"


@pytest.mark.parametrize(
    "params, frame, error, match",
    [
        ({"separator": ""}, {"a": ["x"]}, InvalidInputError, "separator is empty"),
        ({"roles": {"a": 5}}, {"a": ["x"]}, InvalidInputError, r"roles\['a'\] is 5"),
        (
            {"roles": {"a": None}},
            {"a": ["x"]},
            InvalidInputError,
            r"roles\['a'\] is None",
        ),
        (
            {"likert_scales": {"a": ("1", "30")}},
            {"a": [1, 2]},
            InvalidInputError,
            "likert_scales",
        ),
        (
            {"likert_scales": {"a": (1, None)}},
            {"a": [1, 2]},
            InvalidInputError,
            "likert_scales",
        ),
        (
            {"roles": {"a": "likert"}},
            {"a": [1, 20, 3]},
            InvalidInputError,
            "declare it with likert_scales",
        ),
        (
            {"orders": {"a": "xy"}},
            {"a": ["x", "y"]},
            InvalidInputError,
            r"orders\['a'\] is 'xy'",
        ),
        (
            {"text_topics": {"a": True}},
            {"a": ["x y z"]},
            InvalidInputError,
            r"text_topics\['a'\]",
        ),
    ],
)
def test_bad_parameter_values_are_custseg_errors(params, frame, error, match):
    with pytest.raises(error, match=match):
        SurveyPreprocessor(**params).fit(pd.DataFrame(frame))


def test_column_names_of_mixed_types_are_a_type_error():
    frame = pd.DataFrame({"a": [1.0, 2.0], 1: [3.0, 4.0]})
    with pytest.raises(InputTypeError, match="SurveyPreprocessor.fit"):
        SurveyPreprocessor().fit(frame)


def test_time_zone_aware_objects_in_several_zones():
    stamps = pd.Series(
        [
            pd.Timestamp("2024-01-01 08:00", tz="Asia/Kolkata"),
            pd.Timestamp("2024-01-01 20:00", tz="UTC"),
        ],
        dtype=object,
    )
    prep = SurveyPreprocessor(datetime_parts=["hour"], scale=None).fit(
        pd.DataFrame({"t": stamps})
    )
    np.testing.assert_array_equal(
        prep.transform(pd.DataFrame({"t": stamps}))[:, 0], [8, 20]
    )


@pytest.mark.parametrize(
    "values", [[1e308, 1.5e308, -1e308], [1e-16, 2e-16, 3e-16, 4e-16]]
)
def test_extreme_magnitudes_scale_like_standard_scaler(values):
    frame = pd.DataFrame({"x": values})
    out = SurveyPreprocessor().fit_transform(frame)
    assert np.isfinite(out).all()
    scaled = np.array(values) / np.max(np.abs(values))
    expected = StandardScaler().fit_transform(scaled.reshape(-1, 1))
    np.testing.assert_allclose(out, expected, atol=1e-12)


def test_a_role_without_output_is_warned_about_even_beside_others():
    frame = pd.DataFrame({"c": ["a b c", "d e f", "a b c"]})
    with pytest.warns(DataDroppedWarning, match=r"'c' was left out \(text: no topics"):
        prep = SurveyPreprocessor(roles={"c": ["text", "nominal"]}).fit(frame)
    assert prep.roles_.loc["c", "n_outputs"] == 2


def test_error_messages_say_what_would_have_happened():
    prep = SurveyPreprocessor(handle_unknown="error").fit(
        pd.DataFrame({"c": ["a", "b"]})
    )
    with pytest.raises(
        InvalidInputError,
        match=r"\('z'\) not seen in fit.*would be encoded as all zeros",
    ):
        prep.transform(pd.DataFrame({"c": ["z"]}))
    with pytest.raises(InvalidInputError, match=r"found 6\b"):
        SurveyPreprocessor(likert_scales={"s": (1, 5)}).fit(pd.DataFrame({"s": [1, 6]}))


# --- found by tests/test_fuzz.py -------------------------------------------


def test_impossible_dates_are_answers_not_a_pandas_error():
    # date-shaped text that no format reads: pandas used to refuse the NaT
    prep = SurveyPreprocessor().fit(pd.DataFrame({"d": ["2024-02-30", "2024-02-31"]}))
    assert prep.roles_.loc["d", "role"] == "nominal"


def test_text_inf_among_numbers_is_no_number():
    frame = pd.DataFrame({"n": ["1", "2", "3"] * 7 + ["1e309"]})
    with pytest.warns(DataDroppedWarning, match=r"\('1e309'\) that are not numbers"):
        out = SurveyPreprocessor().fit_transform(frame)
    assert np.isfinite(out).all()


def test_ordered_categories_equal_but_for_case_name_their_source():
    frame = pd.DataFrame({"c": pd.Categorical(["nan", "NaN"], ordered=True)})
    with pytest.raises(InvalidInputError, match="'c': its ordered categories repeats"):
        SurveyPreprocessor().fit(frame)
