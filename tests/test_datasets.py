"""Tests of custseg.datasets: data home, verified loading, make_survey.

The real-data tests need the Amazon survey file in the data home (CI sets
CUSTSEG_DATA_HOME); they fail, and are not skipped, when it is missing.
"""

import hashlib
import itertools
import math
import os
import re
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import custseg.datasets._base as base_module
from custseg.datasets import get_data_home, load_amazon_survey, make_survey
from custseg.exceptions import (
    CustsegError,
    DatasetIntegrityError,
    DatasetNotFoundError,
    InputTypeError,
    InvalidInputError,
)

SURVEY_SHA256 = "1f6fb51cf7f34e428838fe4c4238ea63ab1e1a51e7e2bdeab54be196b8fb0644"
SURVEY_RELATIVE_PATH = os.path.join(
    "amazon_survey", "amazon_consumer_behaviour_survey.csv"
)

COLUMNS = [
    "timestamp",
    "age",
    "gender",
    "purchase_frequency",
    "purchase_categories",
    "personalized_recommendation_frequency",
    "browsing_frequency",
    "product_search_method",
    "search_result_exploration",
    "customer_reviews_importance",
    "add_to_cart_browsing",
    "cart_completion_frequency",
    "cart_abandonment_factors",
    "saveforlater_frequency",
    "review_left",
    "review_reliability",
    "review_helpfulness",
    "personalized_recommendation_frequency_1",
    "recommendation_helpfulness",
    "rating_accuracy",
    "shopping_satisfaction",
    "service_appreciation",
    "improvement_areas",
]
NUMERIC = [
    "age",
    "customer_reviews_importance",
    "personalized_recommendation_frequency_1",
    "rating_accuracy",
    "shopping_satisfaction",
]
TEXT = [c for c in COLUMNS if c not in NUMERIC]
SCORES = NUMERIC[1:]  # the 1-5 answers

# Base shares of the single-choice answers, from the real survey's marginals
# (the specification of make_survey); normalised before comparing.
BASE_SHARES = {
    "gender": {"Female": 0.58, "Male": 0.24, "Prefer not to say": 0.15, "Others": 0.03},
    "purchase_frequency": {
        "Few times a month": 0.34,
        "Less than once a month": 0.21,
        "Once a week": 0.19,
        "Once a month": 0.18,
        "Multiple times a week": 0.09,
    },
    "personalized_recommendation_frequency": {
        "No": 0.42,
        "Sometimes": 0.38,
        "Yes": 0.20,
    },
    "browsing_frequency": {
        "Few times a week": 0.41,
        "Few times a month": 0.33,
        "Rarely": 0.13,
        "Multiple times a day": 0.13,
    },
    "product_search_method": {
        "categories": 0.37,
        "Keyword": 0.36,
        "Filter": 0.21,
        "others": 0.06,
    },
    "search_result_exploration": {"Multiple pages": 0.73, "First page": 0.27},
    "customer_reviews_importance": {1: 0.28, 2: 0.19, 3: 0.36, 4: 0.11, 5: 0.06},
    "add_to_cart_browsing": {"Maybe": 0.41, "Yes": 0.36, "No": 0.23},
    "cart_completion_frequency": {
        "Sometimes": 0.50,
        "Often": 0.26,
        "Rarely": 0.12,
        "Always": 0.08,
        "Never": 0.04,
    },
    "cart_abandonment_factors": {
        "Found a better price elsewhere": 0.42,
        "Changed my mind or no longer need the item": 0.40,
        "High shipping costs": 0.12,
        "others": 0.06,
    },
    "saveforlater_frequency": {
        "Sometimes": 0.42,
        "Often": 0.26,
        "Rarely": 0.14,
        "Never": 0.10,
        "Always": 0.09,
    },
    "review_left": {"Yes": 0.51, "No": 0.49},
    "review_reliability": {
        "Moderately": 0.33,
        "Occasionally": 0.32,
        "Heavily": 0.25,
        "Rarely": 0.07,
        "Never": 0.04,
    },
    "review_helpfulness": {"Yes": 0.39, "Sometimes": 0.38, "No": 0.23},
    "personalized_recommendation_frequency_1": {
        1: 0.13,
        2: 0.28,
        3: 0.40,
        4: 0.13,
        5: 0.06,
    },
    "recommendation_helpfulness": {"Sometimes": 0.45, "No": 0.29, "Yes": 0.26},
    "rating_accuracy": {1: 0.10, 2: 0.30, 3: 0.48, 4: 0.09, 5: 0.03},
    "shopping_satisfaction": {1: 0.19, 2: 0.32, 3: 0.35, 4: 0.11, 5: 0.03},
    "service_appreciation": {
        "Product recommendations": 0.31,
        "Competitive prices": 0.30,
        "Wide product selection": 0.25,
        "User-friendly website/app interface": 0.13,
        "Customer service": 0.01,
    },
}
IMPROVEMENT_MAIN = {
    "Customer service responsiveness": 0.36,
    "Product quality and accuracy": 0.26,
    "Reducing packaging waste": 0.22,
    "Shipping speed and reliability": 0.13,
}
IMPROVEMENT_TAIL = {
    "Nothing",
    "UI",
    "Better app interface",
    "More familiar brands",
    "Irrelevant product suggestions",
}
CATEGORY_OPTIONS = [
    "Groceries and Gourmet Food",
    "Beauty and Personal Care",
    "Clothing and Fashion",
    "Home and Kitchen",
    "others",
]
CATEGORY_TICK_SHARES = [0.15, 0.50, 0.55, 0.35, 0.20]
# Every non-empty selection, options in canonical order.
CATEGORY_ANSWERS = {
    ";".join(combination)
    for size in range(1, len(CATEGORY_OPTIONS) + 1)
    for combination in itertools.combinations(CATEGORY_OPTIONS, size)
}
VOCABULARY = {column: set(shares) for column, shares in BASE_SHARES.items()}
VOCABULARY["improvement_areas"] = set(IMPROVEMENT_MAIN) | IMPROVEMENT_TAIL
VOCABULARY["purchase_categories"] = CATEGORY_ANSWERS

TIMESTAMP_PATTERN = (
    r"^2023/06/(0[4-9]|[12][0-9]|30) (1[0-2]|[1-9]):[0-5][0-9]:[0-5][0-9] "
    r"[AP]M GMT\+5:30$"
)


def default_text_dtype():
    """The dtype pandas gives a column of strings by default."""
    return pd.Series(["text"]).dtype


@pytest.fixture(scope="module")
def survey():
    return load_amazon_survey()


@pytest.fixture(scope="module")
def large_synthetic():
    """200,000 answers without segment effects or missing values."""
    return make_survey(200_000, 3, separation=0.0, missing_rate=0.0, random_state=7)


def survey_copy(tmp_path):
    """Copy the real survey into a data home under ``tmp_path``; return both."""
    source = load_amazon_survey(return_bunch=True).filename  # verified
    target = tmp_path / SURVEY_RELATIVE_PATH
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    return tmp_path, target


# --------------------------------------------------------------- data home --


def test_get_data_home_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CUSTSEG_DATA_HOME", raising=False)
    assert get_data_home() == tmp_path / "home" / "custseg_data"

    monkeypatch.setenv("CUSTSEG_DATA_HOME", str(tmp_path / "from_env"))
    assert get_data_home() == tmp_path / "from_env"

    assert get_data_home(tmp_path / "argument") == tmp_path / "argument"
    assert get_data_home(str(tmp_path / "argument")) == tmp_path / "argument"
    assert get_data_home("~/data") == tmp_path / "home" / "data"

    monkeypatch.setenv("CUSTSEG_DATA_HOME", "")
    assert get_data_home() == tmp_path / "home" / "custseg_data"
    # nothing is created
    assert not (tmp_path / "home").exists()


def test_get_data_home_rejects_bad_type():
    with pytest.raises(InputTypeError, match="data_home.*int"):
        get_data_home(3)


# ------------------------------------------------------------ real survey --


def test_load_amazon_survey_schema(survey):
    assert isinstance(survey, pd.DataFrame)
    assert survey.shape == (602, 23)
    assert list(survey.columns) == COLUMNS
    assert isinstance(survey.index, pd.RangeIndex)
    for column in NUMERIC:
        assert survey[column].dtype == np.int64, column
    for column in TEXT:
        assert survey[column].dtype == default_text_dtype(), column


def test_load_amazon_survey_is_clean(survey):
    for column in TEXT:
        values = survey[column].dropna()
        assert (values == values.str.strip()).all(), column
    counts = survey["service_appreciation"].value_counts()
    assert counts["Customer service"] == 2
    assert survey["product_search_method"].isna().sum() == 2
    assert survey.drop(columns="product_search_method").notna().all().all()
    assert survey["age"].min() == 3
    assert survey["age"].max() == 67
    assert survey["gender"].value_counts().to_dict() == {
        "Female": 352,
        "Male": 142,
        "Prefer not to say": 89,
        "Others": 19,
    }
    # timestamp is left as raw text
    assert survey.loc[0, "timestamp"] == "2023/06/04 1:28:19 PM GMT+5:30"
    for column in SCORES:
        assert survey[column].between(1, 5).all(), column


def test_load_amazon_survey_bunch(survey):
    path = get_data_home() / SURVEY_RELATIVE_PATH
    mtime_before = path.stat().st_mtime_ns
    data = load_amazon_survey(return_bunch=True)
    assert set(data) == {"frame", "DESCR", "filename", "sha256", "url"}
    pd.testing.assert_frame_equal(data.frame, survey)
    assert data.filename == str(path)
    assert data.sha256 == SURVEY_SHA256
    assert data.url == (
        "https://www.kaggle.com/datasets/swathiunnikrishnan/"
        "amazon-consumer-behaviour-dataset"
    )
    for text in ("see the Kaggle page", "602", "trailing spaces", "3 to 67"):
        assert text in data.DESCR
    assert "product_search_method is missing in 2" in " ".join(data.DESCR.split())
    # the file is only read
    assert path.stat().st_mtime_ns == mtime_before
    with open(path, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == SURVEY_SHA256


def test_load_amazon_survey_twice_gives_equal_frames(survey):
    again = load_amazon_survey()
    pd.testing.assert_frame_equal(again, survey)
    again.loc[0, "gender"] = "changed"
    assert survey.loc[0, "gender"] != "changed"  # each call builds a new frame


def test_load_amazon_survey_data_home_argument(tmp_path):
    data_home, _ = survey_copy(tmp_path)
    data = load_amazon_survey(data_home=data_home, return_bunch=True)
    assert data.filename == str(tmp_path / SURVEY_RELATIVE_PATH)
    assert data.frame.shape == (602, 23)


def test_verification_is_cached(tmp_path, monkeypatch):
    data_home, path = survey_copy(tmp_path)
    calls = []
    real_hash = base_module._sha256_of

    def counting_hash(file_path):
        calls.append(file_path)
        return real_hash(file_path)

    monkeypatch.setattr(base_module, "_sha256_of", counting_hash)
    load_amazon_survey(data_home=data_home)
    load_amazon_survey(data_home=data_home)
    assert len(calls) == 1
    # a new modification time means the file is checked again
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load_amazon_survey(data_home=data_home)
    assert len(calls) == 2


def test_missing_file_message(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTSEG_DATA_HOME", str(tmp_path / "elsewhere"))
    with pytest.raises(DatasetNotFoundError) as info:
        load_amazon_survey(data_home=tmp_path)
    message = str(info.value)
    assert str(tmp_path / SURVEY_RELATIVE_PATH) in message
    assert "CUSTSEG_DATA_HOME" in message
    assert "data_home" in message
    assert "kaggle" in message.lower()
    assert "swathiunnikrishnan/amazon-consumer-behaviour-dataset" in message
    assert "snake_case" in message
    assert isinstance(info.value, FileNotFoundError)
    assert isinstance(info.value, CustsegError)


def test_missing_file_uses_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTSEG_DATA_HOME", str(tmp_path))
    with pytest.raises(DatasetNotFoundError, match=re.escape(str(tmp_path))):
        load_amazon_survey()


def test_corrupted_file(tmp_path):
    data_home, path = survey_copy(tmp_path)
    content = path.read_bytes().replace(b"Female", b"female", 1)
    path.write_bytes(content)
    found = hashlib.sha256(content).hexdigest()
    with pytest.raises(DatasetIntegrityError) as info:
        load_amazon_survey(data_home=data_home)
    message = str(info.value)
    assert SURVEY_SHA256 in message
    assert found in message
    assert str(path) in message
    assert isinstance(info.value, ValueError)


# ------------------------------------------------------------ make_survey --


def test_make_survey_schema_matches_real_survey(survey):
    frame = make_survey(300, random_state=0)
    assert list(frame.columns) == list(survey.columns)
    assert frame.shape == (300, 23)
    assert isinstance(frame.index, pd.RangeIndex)
    for column in TEXT:
        assert frame[column].dtype == default_text_dtype(), column
    for column in NUMERIC:
        assert frame[column].dtype == np.float64, column

    complete = make_survey(300, missing_rate=0, random_state=0)
    for column in NUMERIC:
        assert complete[column].dtype == np.int64, column
    for column in TEXT:
        assert complete[column].dtype == default_text_dtype(), column


def test_make_survey_vocabulary():
    frame = make_survey(50_000, 4, random_state=1)
    for column, vocabulary in VOCABULARY.items():
        found = set(frame[column].dropna().unique())
        assert found <= vocabulary, (column, found - vocabulary)
    for column in SCORES:
        assert set(frame[column].dropna().unique()) <= {1, 2, 3, 4, 5}, column
    assert frame["age"].dropna().between(16, 70).all()
    assert (frame["age"].dropna() % 1 == 0).all()


def test_real_answers_are_in_synthetic_vocabulary(survey):
    """Every real answer given at least twice is produced by make_survey."""
    synthetic = make_survey(100_000, random_state=2)
    for column in TEXT[1:]:
        counts = survey[column].value_counts()
        common = set(counts.index[counts >= 2])
        produced = set(synthetic[column].dropna().unique())
        assert common <= produced, (column, common - produced)
    # all answers of the multi-select question follow the canonical order
    assert set(survey["purchase_categories"]) <= CATEGORY_ANSWERS


def test_model_fitted_on_synthetic_transforms_real(survey):
    # free-text answers aside, every answer of the real survey is known
    rare_free_text = ("timestamp", "service_appreciation", "improvement_areas")
    columns = [c for c in TEXT if c not in rare_free_text]
    synthetic = make_survey(20_000, random_state=3)
    encoder = OneHotEncoder(handle_unknown="error").fit(
        synthetic[columns].astype(object)
    )
    encoded = encoder.transform(survey[columns].astype(object))
    assert encoded.shape[0] == 602


def test_make_survey_is_deterministic():
    first = make_survey(2_000, 3, random_state=11)
    second = make_survey(2_000, 3, random_state=11)
    pd.testing.assert_frame_equal(first, second)
    third = make_survey(2_000, 3, random_state=12)
    assert not first.equals(third)
    from_generator = make_survey(2_000, 3, random_state=np.random.RandomState(11))
    pd.testing.assert_frame_equal(first, from_generator)
    frame, segments = make_survey(2_000, 3, random_state=11, return_segments=True)
    pd.testing.assert_frame_equal(frame, first)
    other_segments = make_survey(2_000, 3, random_state=11, return_segments=True)[1]
    pd.testing.assert_series_equal(segments, other_segments)


@pytest.mark.parametrize("missing_rate", [0.02, 0.1, 0.5])
def test_missing_share(missing_rate):
    n = 20_000
    frame = make_survey(n, missing_rate=missing_rate, random_state=5)
    assert frame["timestamp"].notna().all()
    standard_error = math.sqrt(missing_rate * (1 - missing_rate) / n)
    shares = frame.drop(columns="timestamp").isna().mean()
    assert (shares - missing_rate).abs().max() < 4 * standard_error, shares
    overall = shares.mean()
    assert abs(overall - missing_rate) < 4 * standard_error / math.sqrt(22)


def test_no_missing_when_rate_is_zero():
    frame = make_survey(5_000, missing_rate=0, random_state=5)
    assert frame.notna().all().all()


def test_timestamp_format():
    frame = make_survey(20_000, missing_rate=0.3, random_state=6)
    stamps = frame["timestamp"]
    assert stamps.notna().all()
    assert stamps.str.fullmatch(TIMESTAMP_PATTERN).all()
    parsed = pd.to_datetime(
        stamps.str.removesuffix(" GMT+5:30"), format="%Y/%m/%d %I:%M:%S %p"
    )
    assert parsed.min() >= pd.Timestamp("2023-06-04")
    assert parsed.max() < pd.Timestamp("2023-07-01")
    assert parsed.is_monotonic_increasing
    # spread over the whole period and the whole day
    assert parsed.dt.day.nunique() == 27
    assert parsed.dt.hour.nunique() == 24
    assert stamps.str.contains(" AM ").any()
    assert stamps.str.contains(" PM ").any()


def test_real_timestamps_have_the_same_format(survey):
    assert survey["timestamp"].str.fullmatch(TIMESTAMP_PATTERN).all()


@pytest.mark.parametrize("n_segments", [1, 3, 5, 10])
def test_return_segments(n_segments):
    n = 20_000
    result = make_survey(n, n_segments, return_segments=True, random_state=8)
    assert isinstance(result, tuple)
    frame, segments = result
    assert isinstance(segments, pd.Series)
    assert segments.name == "segment"
    assert segments.dtype == np.int64
    assert segments.shape == (n,)
    assert segments.index.equals(frame.index)
    assert set(segments.unique()) == set(range(n_segments))
    shares = segments.value_counts(normalize=True)
    floor = 0.1 if n_segments <= 5 else 0.05
    assert shares.min() > floor - 0.01
    assert isinstance(make_survey(10, n_segments, random_state=8), pd.DataFrame)


def test_segment_shares_are_unequal():
    segments = make_survey(50_000, 4, return_segments=True, random_state=9)[1]
    shares = segments.value_counts(normalize=True)
    assert shares.max() - shares.min() > 0.02


def assert_shares_close(observed, expected, n, n_standard_errors=4.5):
    """Compare observed and expected shares, allowing sampling error."""
    for value, share in expected.items():
        found = observed.get(value, 0.0)
        standard_error = math.sqrt(share * (1 - share) / n)
        assert abs(found - share) < n_standard_errors * standard_error, (
            value,
            found,
            share,
        )


def test_marginal_shares_without_segment_effects(large_synthetic):
    frame = large_synthetic
    n = len(frame)
    for column, shares in BASE_SHARES.items():
        total = sum(shares.values())
        expected = {value: share / total for value, share in shares.items()}
        observed = frame[column].value_counts(normalize=True).to_dict()
        assert set(observed) == set(expected), column
        assert_shares_close(observed, expected, n)

    improvement = frame["improvement_areas"].value_counts(normalize=True)
    assert_shares_close(improvement.to_dict(), IMPROVEMENT_MAIN, n)
    tail = improvement[list(IMPROVEMENT_TAIL)].sum()
    assert 0.02 < tail < 0.04

    ticks = np.column_stack(
        [
            frame["purchase_categories"].str.contains(o, regex=False)
            for o in CATEGORY_OPTIONS
        ]
    )
    nothing_ticked = np.prod([1 - p for p in CATEGORY_TICK_SHARES[:4]])
    expected_ticks = CATEGORY_TICK_SHARES[:4] + [
        CATEGORY_TICK_SHARES[4] + (1 - CATEGORY_TICK_SHARES[4]) * nothing_ticked
    ]
    assert_shares_close(
        dict(enumerate(ticks.mean(axis=0))), dict(enumerate(expected_ticks)), n
    )

    age = frame["age"]
    assert abs(age.mean() - 31) < 0.5
    assert 7 < age.std() < 9
    assert age.min() >= 16
    assert age.max() <= 70


def test_answers_independent_of_segment_without_separation():
    frame, segments = make_survey(
        30_000,
        3,
        separation=0,
        missing_rate=0,
        return_segments=True,
        random_state=10,
    )
    for column in [
        "gender",
        "purchase_frequency",
        "shopping_satisfaction",
        "purchase_categories",
    ]:
        table = pd.crosstab(segments, frame[column])
        assert chi2_contingency(table).pvalue > 1e-4, column
    # with segment effects, the same test detects them at once
    frame, segments = make_survey(
        30_000,
        3,
        separation=1,
        missing_rate=0,
        return_segments=True,
        random_state=10,
    )
    for column in ["gender", "purchase_frequency", "shopping_satisfaction"]:
        table = pd.crosstab(segments, frame[column])
        assert chi2_contingency(table).pvalue < 1e-10, column


def test_overall_shares_stay_close_to_base_with_separation():
    frame = make_survey(100_000, 4, separation=1.5, missing_rate=0, random_state=4)
    for column, shares in BASE_SHARES.items():
        total = sum(shares.values())
        observed = frame[column].value_counts(normalize=True)
        for value, share in shares.items():
            # the realised segment sizes add a little to the sampling error
            assert abs(observed.get(value, 0.0) - share / total) < 0.015, (
                column,
                value,
            )


def segmentation_ari(frame, segments, n_clusters):
    text = [c for c in TEXT if c != "timestamp"]
    encoder = ColumnTransformer(
        [("text", OneHotEncoder(), text), ("numeric", StandardScaler(), NUMERIC)]
    )
    features = encoder.fit_transform(frame)
    labels = KMeans(n_clusters, n_init=10, random_state=0).fit_predict(features)
    return adjusted_rand_score(segments, labels)


@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_planted_segments_are_recoverable(random_state):
    frame, segments = make_survey(
        5_000, 3, missing_rate=0, return_segments=True, random_state=random_state
    )
    assert segmentation_ari(frame, segments, 3) > 0.5


def test_no_segments_to_recover_without_separation():
    frame, segments = make_survey(
        5_000, 3, separation=0, missing_rate=0, return_segments=True, random_state=0
    )
    assert abs(segmentation_ari(frame, segments, 3)) < 0.02


def test_small_and_single_segment_surveys():
    one_row = make_survey(1, random_state=0)
    assert one_row.shape == (1, 23)
    frame, segments = make_survey(
        500, 1, missing_rate=0, return_segments=True, random_state=0
    )
    assert (segments == 0).all()
    assert frame.notna().all().all()


def test_no_warnings_in_normal_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_survey(2_000, random_state=0)
        make_survey(2_000, 10, missing_rate=0.5, separation=3, random_state=0)
        load_amazon_survey()
        load_amazon_survey(return_bunch=True)


@pytest.mark.parametrize(
    ("parameters", "error", "message"),
    [
        ({"n_customers": 0}, InvalidInputError, r"n_customers.*\[1, inf\].*got 0"),
        ({"n_customers": -5}, InvalidInputError, r"n_customers.*got -5"),
        ({"n_customers": 10.0}, InputTypeError, r"n_customers.*int.*10\.0"),
        ({"n_customers": "10"}, InputTypeError, r"n_customers.*'10'"),
        ({"n_customers": True}, InputTypeError, r"n_customers.*True"),
        ({"n_segments": 0}, InvalidInputError, r"n_segments.*\[1, 10\].*got 0"),
        ({"n_segments": 11}, InvalidInputError, r"n_segments.*\[1, 10\].*got 11"),
        ({"n_segments": 2.5}, InputTypeError, r"n_segments.*2\.5"),
        ({"missing_rate": -0.1}, InvalidInputError, r"missing_rate.*\[0, 1\).*-0\.1"),
        ({"missing_rate": 1}, InvalidInputError, r"missing_rate.*\[0, 1\).*got 1"),
        ({"missing_rate": float("nan")}, InvalidInputError, r"missing_rate.*nan"),
        ({"missing_rate": "0.1"}, InputTypeError, r"missing_rate.*'0\.1'"),
        ({"separation": -1.0}, InvalidInputError, r"separation.*>= 0.*-1\.0"),
        ({"separation": float("inf")}, InvalidInputError, r"separation.*finite.*inf"),
        ({"separation": None}, InputTypeError, r"separation.*None"),
        ({"random_state": "seed"}, InputTypeError, r"random_state.*'seed'"),
    ],
)
def test_bad_parameters(parameters, error, message):
    with pytest.raises(error, match=message):
        make_survey(**parameters)


def test_parameter_errors_are_custseg_errors():
    with pytest.raises(CustsegError):
        make_survey(n_segments=20)
    with pytest.raises(ValueError):
        make_survey(missing_rate=2)
    with pytest.raises(TypeError):
        make_survey(n_customers="many")


def test_numpy_integers_are_accepted():
    frame = make_survey(np.int64(20), np.int32(2), random_state=np.int64(3))
    assert frame.shape == (20, 23)


def test_load_bank_churn_documented_facts():
    from custseg.datasets import load_bank_churn

    frame = load_bank_churn()
    assert frame.shape == (10_000, 14)
    assert int(frame["Exited"].sum()) == 2037
    assert not frame.isna().any().any()
    assert frame["Geography"].value_counts().to_dict() == {
        "France": 5014,
        "Germany": 2509,
        "Spain": 2477,
    }
    X, y = load_bank_churn(return_X_y=True)
    assert X.shape == (10_000, 10) and y.name == "Exited"
    assert not {"RowNumber", "Surname", "Exited"} & set(X.columns)
    bunch = load_bank_churn(return_bunch=True)
    assert bunch.sha256.startswith("a7e7a413") and "2,037" in bunch.DESCR


def test_load_amazon_sales_parses_the_documented_facts():
    from custseg.datasets import load_amazon_sales
    from custseg.exceptions import DataDroppedWarning

    with pytest.warns(DataDroppedWarning, match=r"1 rating.*'\|'"):
        sales = load_amazon_sales()
    assert sales.shape == (1465, 16)
    first = sales.iloc[0]
    # the file's first row: "₹399", "₹1,099", "64%", "4.2", "24,269"
    assert first["discounted_price"] == 399.0 and first["actual_price"] == 1099.0
    assert first["discount_percentage"] == 64.0 and first["rating"] == 4.2
    assert first["rating_count"] == 24269
    # Indian digit grouping: the README's "1,79,691"
    assert 179691 in set(sales["rating_count"].dropna())
    assert sales["rating"].isna().sum() == 1 and np.isnan(sales.loc[1279, "rating"])
    assert sales["rating_count"].isna().sum() == 2
    assert set(np.flatnonzero(sales["rating_count"].isna())) == {282, 324}
    assert sales["user_id"].nunique() == 1194  # whole reviewer lists
    assert sales.attrs["dropped"]["ratings that are not numbers (set missing)"] == 1
    with pytest.warns(DataDroppedWarning) as record:
        long = load_amazon_sales(explode_reviewers=True)
    assert any("2234 row(s) repeat a review" in str(w.message) for w in record)
    # 11,503 (reviewer, product row) pairs; one row per review remains: the
    # 9,269 distinct review ids, each written by one reviewer
    assert len(long) == 11_503 - 2234
    assert long["review_id"].nunique() == len(long)
    assert long["user_id"].nunique() == 9050  # the README's distinct reviewers
    assert not {"user_name", "review_title", "review_content"} & set(long.columns)
    assert not long["user_id"].str.contains(",").any()
    first_reviewers = sales.loc[0, "user_id"].split(",")
    assert long.loc[: len(first_reviewers) - 1, "user_id"].tolist() == first_reviewers


# --- found by tests/test_fuzz.py -------------------------------------------


def test_generators_refuse_impossible_sizes_and_parameters():
    from custseg.datasets import make_purchase_summary

    with pytest.raises(InvalidInputError, match="n_customers must be at most"):
        make_survey(2**70)
    with pytest.raises(InvalidInputError, match=r"fit in an array"):
        make_purchase_summary(2**62)
    with pytest.raises(InvalidInputError, match="T must be a finite positive number"):
        make_purchase_summary(10, T="ab")
    with pytest.raises(InvalidInputError, match="T must be a finite positive number"):
        make_purchase_summary(10, T=(1.0, np.inf))
    with pytest.raises(InvalidInputError, match="alpha must be a finite positive"):
        make_purchase_summary(10, alpha=np.inf)
    with pytest.raises(InvalidInputError, match="r must be a finite positive"):
        make_purchase_summary(10, r=10**400)
    # would have simulated about 1e157 purchases per customer, one by one
    with pytest.raises(InvalidInputError, match="expected per customer"):
        make_purchase_summary(10, r=1e157)
