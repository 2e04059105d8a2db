"""BehaviorAggregator: hand-computed features, constant features, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from custseg import BehaviorAggregator
from custseg.exceptions import DataDroppedWarning, InputTypeError, InvalidInputError


@pytest.fixture
def log():
    return pd.DataFrame(
        {
            "user": ["ann", "bob", "ann", "cy", "ann", None],
            "stars": [5.0, 2.0, 3.0, np.nan, 4.0, 1.0],
            "off": [10.0, 50.0, 30.0, 0.0, 20.0, 5.0],
            "paid": [100.0, 20.0, 60.0, 15.0, 40.0, 1.0],
            "category": ["A|x", "B|y", "A|z", "C", None, "A"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def _aggregator(**params):
    return BehaviorAggregator(
        "user",
        rating_col="stars",
        discount_col="off",
        spend_col="paid",
        category_col="category",
        **params,
    )


def test_features_by_hand(log):
    before = log.copy()
    with pytest.warns(DataDroppedWarning) as caught:
        users = _aggregator(drop_constant=False).fit_transform(log)
    messages = [str(w.message) for w in caught]
    assert any("1 row(s) without a user id" in m for m in messages)
    # cy has no rating: a counted, warned "not available"
    assert any(
        "1 user(s) have no value for 'mean_rating', 'rating_std', "
        "'engagement_score', which are NaN"
        in m
        and "1 in 'stars'" in m
        for m in messages
    )
    pd.testing.assert_frame_equal(log, before)  # the input is not modified
    assert users.index.tolist() == ["ann", "bob", "cy"]  # first appearance
    assert users.index.name == "user"
    ann = users.loc["ann"]
    assert ann["n_events"] == 3
    assert ann["mean_rating"] == pytest.approx(4.0)
    assert ann["rating_std"] == pytest.approx(np.sqrt(2 / 3))  # population SD
    assert ann["mean_discount"] == pytest.approx(20.0)
    assert ann["mean_spend"] == pytest.approx(200 / 3)
    assert ann["total_spend"] == pytest.approx(200.0)
    assert ann["category_breadth"] == 2  # "A|x" and "A|z"; a missing one not
    assert ann["engagement_score"] == pytest.approx(12.0)  # 3 events x 4.0
    # cy has no rating: NaN, not an invented number; one rating spreads 0
    assert np.isnan(users.loc["cy", "mean_rating"])
    assert np.isnan(users.loc["cy", "engagement_score"])
    assert users.loc["bob", "rating_std"] == 0
    top = _aggregator(category_level=1, drop_constant=False)
    with pytest.warns(DataDroppedWarning):
        assert top.fit_transform(log).loc["ann", "category_breadth"] == 1


def test_constant_features_are_dropped_and_reported():
    log = pd.DataFrame(
        {"user": list("aabbcc"), "stars": [4.0] * 6, "paid": [1.0, 2, 3, 4, 5, 9]}
    )
    aggregator = BehaviorAggregator("user", rating_col="stars", spend_col="paid")
    with pytest.warns(
        DataDroppedWarning, match="'n_events', 'mean_rating', 'rating_std'"
    ):
        users = aggregator.fit_transform(log)
    assert aggregator.dropped_features_ == [
        "n_events",
        "mean_rating",
        "rating_std",
        "engagement_score",
    ]
    assert list(users.columns) == ["mean_spend", "total_spend"]
    assert aggregator.get_feature_names_out().tolist() == list(users.columns)
    # transform on a new log keeps the fitted features, constant or not there
    new = pd.DataFrame(
        {"user": ["z", "z", "y"], "stars": [1.0, 5, 3], "paid": [1.0, 1, 1]}
    )
    assert list(aggregator.transform(new).columns) == ["mean_spend", "total_spend"]


def test_pipeline_and_set_output(log):
    with pytest.warns(DataDroppedWarning):
        pipe = make_pipeline(
            _aggregator(features=["mean_spend", "mean_discount"]),
            StandardScaler(),
            KMeans(2, n_init=2, random_state=0),
        ).fit(log)
        labels = pipe.predict(log)
    assert len(labels) == 3  # one label per user, in the aggregator's order
    aggregator = _aggregator().set_output(transform="pandas")
    with pytest.warns(DataDroppedWarning):
        out = aggregator.fit_transform(log)
    assert isinstance(out, pd.DataFrame) and out.index.tolist() == ["ann", "bob", "cy"]


def test_bad_input_is_named(log):
    with pytest.raises(InvalidInputError, match="rating_col='nope' is not a column"):
        BehaviorAggregator("user", rating_col="nope").fit(log)
    with pytest.raises(InvalidInputError, match="'mean_spend' need 'spend_col'"):
        BehaviorAggregator("user", features=["mean_spend"]).fit(log)
    with pytest.raises(InvalidInputError, match="'median_spend', which are not"):
        BehaviorAggregator("user", features=["median_spend"]).fit(log)
    with pytest.raises(InputTypeError, match="column 'category' must hold numbers"):
        BehaviorAggregator("user", spend_col="category").fit(log.dropna())
    with pytest.raises(InvalidInputError, match="1 sample.* 1 user"):
        BehaviorAggregator("user", spend_col="paid").fit(log.head(1))
    with pytest.raises(InvalidInputError, match="every feature .* is constant"):
        BehaviorAggregator("user").fit(pd.DataFrame({"user": ["a", "b"]}))


def test_warnings_point_at_the_caller_and_text_numbers_are_read(log):
    with pytest.warns(DataDroppedWarning) as record:
        _aggregator().fit_transform(log)
    assert {w.filename for w in record} == {__file__}
    text = log.dropna(subset=["user"]).astype({"paid": "string"})
    users = BehaviorAggregator("user", spend_col="paid").fit_transform(text)
    assert users.loc["ann", "total_spend"] == 200.0


# --- found by tests/test_fuzz.py -------------------------------------------


def test_no_user_id_at_all_is_named():
    log = pd.DataFrame({"user": [None, None], "stars": [1.0, 2.0]})
    with pytest.warns(DataDroppedWarning):
        with pytest.raises(InvalidInputError, match="no row of X has a user id"):
            BehaviorAggregator("user", rating_col="stars").fit(log)


def test_category_level_when_every_category_is_missing():
    log = pd.DataFrame({"user": ["a", "b"], "stars": [1.0, 2.0], "cat": [None, None]})
    aggregator = BehaviorAggregator(
        "user", rating_col="stars", category_col="cat", category_level=1
    )
    with pytest.warns(DataDroppedWarning, match="'category_breadth'"):
        users = aggregator.fit_transform(log)
    assert "category_breadth" in aggregator.dropped_features_
    assert np.isfinite(users.to_numpy()).all()


def test_infinite_and_huge_values():
    log = pd.DataFrame({"user": ["a", "a", "b"], "paid": [1e308, 1e308, 1.0]})
    with pytest.raises(InvalidInputError, match="'total_spend' of 1 user"):
        BehaviorAggregator("user", spend_col="paid").fit(log)
    with pytest.raises(InvalidInputError, match="'paid' holds 1 infinite"):
        BehaviorAggregator("user", spend_col="paid").fit(
            log.assign(paid=[1, np.inf, 2])
        )
    # huge but representable: the mean and spread are exact, not inf or NaN
    log = log.assign(paid=[1e308, -1e308, 1.0])
    users = (
        BehaviorAggregator("user", spend_col="paid", features=["mean_spend"])
        .fit(log)
        .transform(log)
    )
    assert users["mean_spend"].tolist() == [0.0, 1.0]
