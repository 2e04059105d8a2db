"""SegmentProfiler and drivers on odd input: each case a review once found."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import make_pipeline

from custseg import SegmentProfiler, SurveyPreprocessor, drivers
from custseg._significance import chi_square_test
from custseg.exceptions import DataDroppedWarning, InvalidInputError


class Given(ClusterMixin, BaseEstimator):
    """A segmentation given as labels (for rows in the order of X)."""

    def __init__(self, labels=None):
        self.labels = labels

    def fit(self, X, y=None):
        self.labels_ = np.asarray(self.labels)
        return self


def _halves(n=100):
    return np.r_[np.zeros(n // 2, int), np.ones(n - n // 2, int)]


def test_noise_is_not_part_of_the_rest_nor_of_the_tests():
    rng = np.random.default_rng(1)
    labels = np.r_[np.full(100, -1), np.zeros(100, int), np.ones(100, int)]
    high = rng.integers(4, 6, 100)
    same = rng.integers(2, 4, 200)  # segments 0 and 1: one distribution
    frame = pd.DataFrame({"satisfaction": np.r_[high, same].astype(float)})
    profiler = SegmentProfiler(Given(labels), n_repeats=0).fit(frame)
    profile = profiler.profile_
    numbers = profile[profile["kind"] == "number"].set_index("segment")
    rest_of_0 = frame["satisfaction"].to_numpy()[labels == 1].mean()
    assert numbers.loc[0, "rest_mean"] == pytest.approx(rest_of_0)
    assert not profiler.actions_["segment"].isin([-1]).any()
    assert profiler.personas_.loc[-1, "name"] == "Unassigned (noise)"
    anova = profiler.tests_.set_index("test").loc["ANOVA"]
    assert anova["n"] == 200  # the noise rows are left out of the tests


def test_perfect_separation_has_an_infinite_effect_and_names_personas():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {"member": np.r_[np.zeros(50), np.ones(50)], "spend": rng.normal(5, 1, 100)}
    )
    profiler = SegmentProfiler(Given(_halves()), n_repeats=0).fit(frame)
    member = profiler.profile_[profiler.profile_["column"] == "member"]
    assert member["effect"].tolist() == [-np.inf, np.inf]
    assert profiler.personas_.loc[1, "name"].startswith("High member")
    assert profiler.distinguishing_features(1)["column"].iloc[0] == "member"
    json.loads(profiler.to_json())  # infinities are written as null


def test_answers_outside_a_declared_order_are_warned_about():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {"size": rng.choice(["S", "M", "L", "XL"], 100), "x": rng.normal(size=100)}
    )
    n_xl = int((frame["size"] == "XL").sum())
    reader = SurveyPreprocessor(orders={"size": ["S", "M", "L"]})
    with pytest.warns(
        DataDroppedWarning, match=rf"{n_xl} answer\(s\) \('XL'\) outside"
    ):
        SegmentProfiler(Given(_halves()), reader=reader, n_repeats=0).fit(frame)
    with pytest.warns(DataDroppedWarning, match="'XL'"):
        drivers(frame.assign(kpi=rng.normal(size=100)), "kpi", reader=reader)


@pytest.mark.parametrize("column", ["budget", "spend_$_per_$"])
def test_dollar_signs_are_drawn_as_text(column):
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(4)
    answers = np.r_[
        rng.choice(["under $10", "$10_$50"], 100, p=[0.9, 0.1]),
        rng.choice(["under $10", "$10_$50"], 100, p=[0.1, 0.9]),
    ]
    frame = pd.DataFrame({column: answers, "x": rng.normal(size=200)})
    profiler = SegmentProfiler(Given(_halves(200)), n_repeats=0).fit(frame)
    assert "$10_$50" in profiler.to_html()


def test_text_labels_segments():
    class Tiers(ClusterMixin, BaseEstimator):
        def fit(self, X, y=None):
            self.labels_ = self.predict(X)
            return self

        def predict(self, X):
            return np.where(np.asarray(X)[:, 0] > 0, "silver & co", "gold")

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.normal(size=60), "y": rng.normal(size=60)})
    profiler = SegmentProfiler(Tiers(), n_repeats=0).fit(frame)
    out = profiler.transform(frame)
    assert set(out[:, 0]) == {"silver & co", "gold"}
    assigned = profiler.assign(frame)
    assert assigned["persona"].notna().all()
    assert "silver &amp; co" in profiler.to_html(plots=False)


def test_one_step_pipeline_and_frozen_clusterers_without_predict():
    rng = np.random.default_rng(6)
    X = pd.DataFrame({"a": np.r_[rng.normal(0, 1, 40), rng.normal(6, 1, 40)]})
    one_step = make_pipeline(KMeans(2, n_init=2))
    profiler = SegmentProfiler(one_step, n_repeats=0, random_state=0).fit(X)
    assert profiler.transform(X).shape == (80, 3)
    ward = AgglomerativeClustering(2).fit(X)
    frozen = SegmentProfiler(FrozenEstimator(ward), n_repeats=0).fit(X)
    np.testing.assert_array_equal(frozen.labels_, ward.labels_)
    with pytest.raises(InvalidInputError, match="has no predict method"):
        SegmentProfiler(FrozenEstimator(ward), n_repeats=0).fit(X.iloc[:10])


def test_huge_numbers_and_far_apart_segments():
    rng = np.random.default_rng(7)
    big = pd.DataFrame({"big": rng.normal(1e300, 1e299, 80)})
    profiler = SegmentProfiler(Given(_halves(80)), n_repeats=0).fit(big)
    rows = profiler.profile_
    assert np.isfinite(rows["mean"]).all() and np.isfinite(rows["std"]).all()
    assert profiler.tests_["statistic"].notna().all()
    # one segment around 1e8, the other around 0, both with SD 1
    far = np.r_[rng.normal(1e8, 1, 50), rng.normal(0, 1, 50)]
    profile = SegmentProfiler(Given(_halves()), n_repeats=0).fit(
        pd.DataFrame({"far": far})
    )
    a, b = far[:50], far[50:]
    pooled = np.sqrt((a.var(ddof=1) * 49 + b.var(ddof=1) * 49) / 98)
    effect = profile.profile_.set_index("segment").loc[0, "effect"]
    assert effect == pytest.approx((a.mean() - b.mean()) / pooled, rel=1e-6)


def test_drivers_leave_out_empty_columns_with_a_warning():
    frame = pd.DataFrame(
        {
            "nothing": np.nan,
            "late": [np.nan, np.nan, np.nan, "x", "y", "x"],
            "channel": ["a", "b", "a", "b", "a", "b"],
            "kpi": [1.0, 2.0, 3.0, np.nan, np.nan, np.nan],
        }
    )
    with pytest.warns(DataDroppedWarning) as caught:
        table = drivers(frame, "kpi")
    messages = " ".join(str(warning.message) for warning in caught)
    assert "3 row(s) without a value of target 'kpi'" in messages
    assert "'nothing' (no answers" in messages and "'late' (no answers" in messages
    assert set(table["column"]) == {"channel"}


def test_ordered_categorical_target_given_as_values():
    levels = ["low", "mid", "high"]
    kpi = pd.Categorical(
        ["low", "high", "mid", "high"], categories=levels, ordered=True
    )
    frame = pd.DataFrame({"channel": ["a", "b", "a", "b"]})
    table = drivers(frame, kpi)
    assert table.set_index("answer").loc["b", "target_mean"] == pytest.approx(3.0)


def test_cramers_v_of_a_two_by_two_table_is_not_corrected():
    answers = ["x"] * 30 + ["y"] * 30
    segments = [0] * 20 + [1] * 10 + [0] * 10 + [1] * 20
    result = chi_square_test(answers, segments)
    # phi of [[20, 10], [10, 20]]: (400 - 100) / sqrt(30**4) = 1/3
    assert result["effect_size"] == pytest.approx(1 / 3)


def test_a_segment_called_all_keeps_its_own_importance():
    rng = np.random.default_rng(8)
    labels = np.where(np.arange(200) < 100, "all", "some")
    frame = pd.DataFrame(
        {
            "x": np.r_[rng.normal(0, 1, 100), rng.normal(3, 1, 100)],
            "noise": rng.normal(size=200),
        }
    )
    profiler = SegmentProfiler(Given(labels), n_repeats=2, random_state=0).fit(frame)
    importance = profiler.importance_
    overall = importance[importance["segment"].isna()]
    assert len(overall) == 2  # one row per column
    assert profiler.surrogate_["balanced_accuracy"] > 0.8
    assert len(importance[importance["segment"] == "all"]) == 2


def test_benjamini_hochberg_within_each_test():
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({c: rng.normal(size=100) for c in "abc"})
    tests = SegmentProfiler(Given(_halves()), n_repeats=0).fit(frame).tests_
    from custseg._significance import adjust_p_values

    for _, rows in tests.groupby("test"):
        np.testing.assert_allclose(rows["p_adjusted"], adjust_p_values(rows["p_value"]))


# --- found by tests/test_fuzz.py -------------------------------------------


def test_summarize_awkward_values():
    profiler = SegmentProfiler(Given([0, 0, 1, 1]), n_repeats=0).fit(
        pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    )
    with pytest.raises(InvalidInputError, match="1 infinite value"):
        profiler.summarize([0.1, -np.inf, 0.2, 0.3])
    with pytest.raises(InvalidInputError, match="one number per customer"):
        profiler.summarize([0.1, [1, 2], 0.2, 0.3])
    with pytest.warns(DataDroppedWarning, match="1 of the 4 value"):
        table = profiler.summarize([0.1, np.nan, 0.2, 0.3])
    assert table["n"].tolist() == [1, 2]
    single = SegmentProfiler(Given([0]), n_repeats=0).fit(pd.DataFrame({"a": ["x"]}))
    table = single.summarize([0.5])  # used to divide by zero
    assert table["mean"].tolist() == [0.5] and np.isnan(table["std"]).all()


def test_anova_of_huge_numbers_with_tiny_spread_has_a_p_value():
    values = [0.0, 0.0, 1e30, 1e30 + 1e15, 2.0**70, 2.0**70]
    profiler = SegmentProfiler(Given([0, 0, 1, 1, 2, 2]), n_repeats=0).fit(
        pd.DataFrame({"v": values})
    )
    anova = profiler.tests_.set_index("test").loc["ANOVA"]
    assert anova["statistic"] > 0 and 0 <= anova["p_value"] < 1e-6
