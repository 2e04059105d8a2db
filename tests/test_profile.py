"""SegmentProfiler: hand-computed statistics, personas, outputs, edge cases."""

import json
import warnings
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import GaussianMixture
from sklearn.pipeline import make_pipeline

from custseg import DEFAULT_ACTION_RULES, SegmentProfiler, SurveyPreprocessor
from custseg.datasets import make_survey
from custseg.exceptions import DataDroppedWarning, InvalidInputError


class ByColumn(ClusterMixin, BaseEstimator):
    """A rule-based segmentation: the segment is the value of one column."""

    def __init__(self, column="group"):
        self.column = column

    def fit(self, X, y=None):
        self.labels_ = np.asarray(X[self.column])
        return self

    def predict(self, X):
        return np.asarray(X[self.column])


IGNORE_GROUP = SurveyPreprocessor(roles={"group": "ignore"})


def _profile(frame, **params):
    params.setdefault("reader", IGNORE_GROUP)
    params.setdefault("n_repeats", 0)
    return SegmentProfiler(ByColumn(), **params).fit(frame)


def _row(profile, segment, column, answer=None):
    rows = profile[(profile["segment"] == segment) & (profile["column"] == column)]
    if answer is None:
        return rows[rows["kind"] == "number"].iloc[0]
    return rows[rows["answer"] == answer].iloc[0]


@pytest.fixture
def small():
    return pd.DataFrame(
        {
            "group": [0, 0, 0, 1, 1, 1, 1],
            "spend": [1.0, 2.0, 6.0, 10.0, 12.0, 14.0, np.nan],
            "channel": ["web", "web", "store", "store", "store", "store", "web"],
            "bought": ["a;b", "a", "b", "b", "b;c", None, "c"],
        }
    )


def test_numbers_by_hand(small):
    profile = _profile(small).profile_
    row = _row(profile, 0, "spend")
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(3.0)
    assert row["median"] == pytest.approx(2.0)
    # deviations -2, -1, 3: variance 14 / 2 = 7
    assert row["std"] == pytest.approx(np.sqrt(7))
    # t(0.975, 2) = 4.302653 (any t table)
    half = 4.302653 * np.sqrt(7) / np.sqrt(3)
    assert row["ci_low"] == pytest.approx(3.0 - half, rel=1e-6)
    assert row["ci_high"] == pytest.approx(3.0 + half, rel=1e-6)
    # six answers: population mean 45 / 6 = 7.5; the rest 10, 12, 14
    assert row["population_mean"] == pytest.approx(7.5)
    population_sd = np.std([1, 2, 6, 10, 12, 14], ddof=1)
    assert row["std_difference"] == pytest.approx((3 - 7.5) / population_sd)
    assert row["rest_mean"] == pytest.approx(12.0)
    pooled = np.sqrt((14 + 8) / 4)  # within sums of squares 14 and 8
    assert row["effect"] == pytest.approx((3 - 12) / pooled)
    from scipy.stats import ttest_ind

    welch = ttest_ind([1.0, 2.0, 6.0], [10.0, 12.0, 14.0], equal_var=False)
    assert row["p_value"] == pytest.approx(welch.pvalue)
    segment_1 = _row(profile, 1, "spend")
    assert segment_1["n"] == 3  # the missing answer is left out, not imputed


def test_answer_shares_lift_and_effect_by_hand(small):
    profile = _profile(small).profile_
    row = _row(profile, 0, "channel", "web")
    assert (row["count"], row["n"]) == (2, 3)
    assert row["share"] == pytest.approx(2 / 3)
    assert row["population_share"] == pytest.approx(3 / 7)
    assert row["lift"] == pytest.approx((2 / 3) / (3 / 7))
    assert row["rest_share"] == pytest.approx(1 / 4)
    h = 2 * np.arcsin(np.sqrt(2 / 3)) - 2 * np.arcsin(np.sqrt(1 / 4))
    assert row["effect"] == pytest.approx(h)
    # two-proportion z test with the pooled share 3 / 7
    se = np.sqrt(3 / 7 * 4 / 7 * (1 / 3 + 1 / 4))
    z = (2 / 3 - 1 / 4) / se
    from scipy.stats import norm

    assert row["p_value"] == pytest.approx(2 * norm.sf(z))
    assert row["rank"] == 1
    assert _row(profile, 0, "channel", "store")["rank"] == 2


def test_options_of_multiselect_answers_by_hand(small):
    profile = _profile(small).profile_
    options = profile[(profile["column"] == "bought") & (profile["kind"] == "option")]
    segment_1 = options[options["segment"] == 1].set_index("answer")
    # segment 1 answered "b", "b;c", "c" (one missing): b 2/3, c 2/3, a 0
    assert segment_1.loc["b", "share"] == pytest.approx(2 / 3)
    assert segment_1.loc["c", "share"] == pytest.approx(2 / 3)
    assert segment_1.loc["a", "count"] == 0
    assert (segment_1["n"] == 3).all()
    top = profile[(profile["column"] == "bought") & (profile["kind"] == "top answer")]
    assert set(top.loc[top["segment"] == 0, "answer"]) == {"a;b", "a", "b"}


def test_tests_table_by_hand(small):
    tests = _profile(small).tests_
    anova = tests[(tests["column"] == "spend") & (tests["test"] == "ANOVA")].iloc[0]
    # groups (1, 2, 6) and (10, 12, 14): SS_between 121.5, SS_within 22
    assert anova["statistic"] == pytest.approx(121.5 / (22 / 4))
    assert anova["effect_size"] == pytest.approx(121.5 / 143.5)
    assert anova["n_missing"] == 1
    chi = tests[(tests["column"] == "channel") & (tests["test"] == "chi-square")]
    assert len(chi) == 1
    options = tests[(tests["column"] == "bought") & (tests["test"] == "chi-square")]
    assert set(options["answer"]) == {"a", "b", "c"}
    assert tests["p_adjusted"].dropna().ge(tests["p_value"].dropna()).all()
    ranks = tests.groupby("test")["rank"].min()
    assert (ranks == 1).all()


@pytest.fixture(scope="module")
def three_segments():
    survey = make_survey(1500, n_segments=3, random_state=3)
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    segmenter = make_pipeline(clone(reader), KMeans(3, n_init=10))
    profiler = SegmentProfiler(segmenter, reader=reader, random_state=0).fit(survey)
    return survey, profiler


def test_personas_are_named_from_the_data(three_segments):
    _, profiler = three_segments
    personas = profiler.personas_
    assert len(personas) == 3 and personas["name"].is_unique
    for segment, persona in personas.iterrows():
        strongest = profiler.distinguishing_features(segment, n=1)
        assert not strongest.empty
        # the description quotes the segment's own figures
        assert f"{persona['size']:,} customers" in persona["description"]
        assert "against" in persona["description"]
    assert personas["size"].sum() == 1500


def test_actions_follow_rules_and_absent_columns_are_reported(three_segments):
    _, profiler = three_segments
    rules = profiler.rules_.set_index("rule")
    assert rules.loc["service attention", "status"] == "skipped"
    assert "no number column matches" in rules.loc["service attention", "reason"]
    assert rules.loc["loyalty", "columns"] == ["shopping_satisfaction"]
    fired = profiler.actions_
    for _, action in fired.iterrows():
        assert action["evidence"] in action["action"]
        assert action["action"] in profiler.personas_.loc[action["segment"], "actions"]


def test_rules_can_be_replaced(three_segments):
    survey, profiler = three_segments
    rules = [
        {
            "name": "premium",
            "columns": r"^age$",
            "signal": "high",
            "threshold": 0.0,
            "action": "Offer premium ({evidence})",
        },
        {
            "name": "absent",
            "columns": r"^no_such_column$",
            "signal": "low",
            "threshold": 1.0,
            "action": "never",
        },
    ]
    replaced = clone(profiler).set_params(action_rules=rules, n_repeats=0).fit(survey)
    report = replaced.rules_.set_index("rule")
    assert report.loc["absent", "status"] == "skipped"
    assert set(replaced.actions_["rule"]) <= {"premium"}
    ages = replaced.profile_[
        (replaced.profile_["column"] == "age") & (replaced.profile_["kind"] == "number")
    ]
    expected = set(
        ages.loc[(ages["effect"] >= 0) & (ages["p_adjusted"] < 0.05), "segment"]
    )
    assert set(replaced.actions_["segment"]) == expected


@pytest.mark.parametrize(
    "rules, match",
    [
        ({"name": "x"}, "'action_rules' parameter .* must be"),
        ([{"name": "x"}], "must be a dict with the keys"),
        (
            [{**DEFAULT_ACTION_RULES[0], "signal": "up"}],
            "signal 'up'; expected one of",
        ),
        ([{**DEFAULT_ACTION_RULES[0], "columns": "("}], "not a valid regular"),
        ([{**DEFAULT_ACTION_RULES[0], "threshold": "1"}], "expected a number"),
    ],
)
def test_bad_rules_are_named(small, rules, match):
    # the first is scikit-learn's parameter validation (a ValueError too)
    with pytest.raises(ValueError, match=match):
        _profile(small, action_rules=rules)


def test_distinguishing_features_with_surrogate(three_segments):
    _, profiler = three_segments
    features = profiler.distinguishing_features(0, n=3)
    assert 1 <= len(features) <= 6
    assert (features["p_adjusted"] < profiler.alpha).all()
    up = features["effect"] > 0
    assert set(features.loc[up, "direction"]) <= {"over", "higher"}
    assert set(features.loc[~up, "direction"]) <= {"under", "lower"}
    assert features["effect"].is_monotonic_decreasing
    assert profiler.surrogate_["balanced_accuracy"] > 0.5
    assert features["column_importance"].notna().all()
    importance = profiler.importance_
    # shuffling a column the reader ignores changes nothing
    ignored = importance[importance["column"] == "timestamp"]
    assert len(ignored) == 1 + 3 and (ignored["importance_mean"] == 0).all()
    with pytest.raises(InvalidInputError, match="segment 7 is not one of"):
        profiler.distinguishing_features(7)
    with pytest.raises(InvalidInputError, match="n must be"):
        profiler.distinguishing_features(0, n=0)


def test_transform_predict_assign_for_new_customers(three_segments):
    survey, profiler = three_segments
    new = make_survey(50, n_segments=3, random_state=99)
    segments = profiler.predict(new)
    out = profiler.transform(new)
    np.testing.assert_array_equal(out[:, 0], segments)
    assert profiler.membership_ == "centroid margin"
    assert ((out[:, 1] >= 0) & (out[:, 1] <= 1)).all()
    assert (out[:, 2] >= 0).all()
    assigned = profiler.assign(new)
    assert list(assigned.columns) == ["segment", "persona", "membership", "distance"]
    assert assigned["persona"].isin(profiler.personas_["name"]).all()
    frame = clone(profiler).set_output(transform="pandas")
    assert list(frame.fit(survey).transform(new).columns) == [
        "segment",
        "membership",
        "distance",
    ]


def test_probabilities_and_segmenters_without_predict():
    survey = make_survey(300, n_segments=2, random_state=1)
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    mixture = make_pipeline(clone(reader), GaussianMixture(2, random_state=0))
    profiler = SegmentProfiler(mixture, reader=reader, n_repeats=0).fit(survey)
    assert profiler.membership_ == "probability"
    out = profiler.transform(survey)
    assert ((out[:, 1] >= 0.5) & (out[:, 1] <= 1)).all()
    assert np.isnan(out[:, 2]).all()
    ward = make_pipeline(clone(reader), AgglomerativeClustering(2))
    profiler = SegmentProfiler(ward, reader=reader, n_repeats=0).fit(survey)
    assert profiler.membership_ == "unavailable"
    with pytest.raises(InvalidInputError, match="cannot assign new customers"):
        profiler.predict(survey)


def test_a_fitted_segmentation_is_not_refitted():
    survey = make_survey(300, n_segments=2, random_state=1)
    fitted = make_pipeline(
        SurveyPreprocessor(roles={"timestamp": "ignore"}),
        KMeans(2, n_init=3, random_state=0),
    ).fit(survey)
    centres = fitted[-1].cluster_centers_.copy()
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    profiler = SegmentProfiler(
        FrozenEstimator(fitted), reader=reader, n_repeats=0, random_state=5
    ).fit(survey.iloc[:100])
    np.testing.assert_array_equal(fitted[-1].cluster_centers_, centres)
    np.testing.assert_array_equal(profiler.labels_, fitted.predict(survey.iloc[:100]))


def test_same_seed_same_profile_and_input_untouched(small):
    survey = make_survey(200, n_segments=2, random_state=2)
    before = survey.copy()
    reader = SurveyPreprocessor(roles={"timestamp": "ignore"})
    segmenter = make_pipeline(clone(reader), KMeans(2, n_init=2))
    first = SegmentProfiler(segmenter, reader=reader, random_state=4).fit(survey)
    second = SegmentProfiler(segmenter, reader=reader, random_state=4).fit(survey)
    pd.testing.assert_frame_equal(survey, before)
    pd.testing.assert_frame_equal(first.profile_, second.profile_)
    pd.testing.assert_frame_equal(first.importance_, second.importance_)
    assert segmenter[-1].random_state is None  # the given segmenter is untouched


def test_one_member_segment(small):
    frame = small.copy()
    frame.loc[6, "group"] = 2  # a segment of one customer
    profiler = _profile(frame)
    row = _row(profiler.profile_, 2, "spend")
    assert row["n"] == 0  # its only customer did not give a spend
    channel = _row(profiler.profile_, 2, "channel", "web")
    assert (channel["count"], channel["share"]) == (1, 1.0)
    spend_1 = _row(profiler.profile_, 1, "spend")
    assert spend_1["n"] == 3
    frame.loc[6, "spend"] = 5.0
    one = _row(_profile(frame).profile_, 2, "spend")
    assert one["n"] == 1 and one["mean"] == 5.0
    assert np.isnan(one["std"]) and np.isnan(one["ci_low"])
    assert profiler.personas_.loc[2, "size"] == 1


def test_constant_and_all_missing_columns(small):
    frame = small.assign(constant=4.0, nothing=np.nan, blank=" ")
    with pytest.warns(DataDroppedWarning, match="'nothing' .*every value is missing"):
        profiler = _profile(frame)
    assert not profiler.columns_.loc["nothing", "profiled"]
    assert not profiler.columns_.loc["blank", "profiled"]
    constant = _row(profiler.profile_, 0, "constant")
    assert constant["std"] == 0 and np.isnan(constant["std_difference"])
    tests = profiler.tests_.set_index(["column", "test"])
    assert tests.loc[("constant", "ANOVA"), "reason"] == "a constant column"
    assert np.isnan(tests.loc[("constant", "ANOVA"), "p_value"])


def test_outputs_json_and_frame(three_segments):
    _, profiler = three_segments
    data = json.loads(profiler.to_json())
    assert set(data) == {"segments", "tests", "rules", "columns", "surrogate"}
    assert sum(s["size"] for s in data["segments"].values()) == 1500
    segment = data["segments"]["0"]
    assert set(segment["numbers"]["age"]) == {
        "n",
        "mean",
        "median",
        "std",
        "ci_low",
        "ci_high",
    }
    shares = segment["answers"]["gender"]
    assert sum(a["share"] for a in shares.values()) == pytest.approx(1.0)
    summary = profiler.to_frame()
    assert list(summary.columns[:3]) == ["persona", "size", "share"]
    assert "age mean" in summary.columns and "gender top answer" in summary.columns


class _Report(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.images, self.external = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs["id"])
        if tag == "img":
            self.images += 1
            assert attrs["src"].startswith("data:image/png;base64,")
        for key in ("src", "href"):
            if str(attrs.get(key, "")).startswith(("http", "//")):
                self.external.append(attrs[key])
        if tag in ("script", "link"):
            self.external.append(tag)


def test_html_report_is_self_contained(three_segments, tmp_path):
    pytest.importorskip("matplotlib")  # the dev extra installs it: runs in CI
    survey, profiler = three_segments
    path = tmp_path / "report.html"
    html = profiler.to_html(path, X=survey)
    assert path.read_text(encoding="utf-8") == html
    parser = _Report()
    parser.feed(html)
    assert parser.sections == [
        "personas",
        "sizes",
        "profile",
        "distinguishing",
        "map",
        "tests",
        "rules",
        "columns",
    ]
    # sizes, heat map, one bar chart per segment, the map
    assert parser.images == 1 + 1 + 3 + 1
    assert parser.external == []
    for name in profiler.personas_["name"]:
        assert name.replace("'", "&#x27;") in html
    tables_only = profiler.to_html(plots=False)
    parser = _Report()
    parser.feed(tables_only)
    assert parser.images == 0 and "Not drawn" in tables_only


def test_bad_segmenter_output_is_named():
    class Broken(ClusterMixin, BaseEstimator):
        def fit_predict(self, X, y=None):
            return np.zeros((len(X), 2))

        def fit(self, X, y=None):
            return self

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataDroppedWarning)
        with pytest.raises(InvalidInputError, match="labels of shape"):
            SegmentProfiler(Broken()).fit(pd.DataFrame({"a": [1.0, 2.0, 3.0]}))


def test_summarize_any_per_customer_value(small):
    profiler = _profile(small)
    risk = np.array([0.1, 0.2, 0.3, 0.7, 0.8, 0.9, np.nan])
    with pytest.warns(DataDroppedWarning, match="1 of the 7 value.* left out"):
        table = profiler.summarize(risk, "churn risk")
    assert table.loc[0, "mean"] == pytest.approx(0.2)
    assert table.loc[1, "mean"] == pytest.approx(0.8)  # the NaN is left out
    assert table.loc[1, "n"] == 3
    with pytest.raises(InvalidInputError, match="one value per customer"):
        profiler.summarize(risk[:3])
    with pytest.raises(InvalidInputError, match="1 infinite value.* row 0"):
        profiler.summarize([-np.inf, 0.2, 0.3, 0.7, 0.8, 0.9, 0.5])
    # a Series is aligned on X's index, in any order; another index is refused
    shuffled = pd.Series(risk, index=small.index)[::-1]
    with pytest.warns(DataDroppedWarning):
        shuffled_table = profiler.summarize(shuffled, "churn risk")
    pd.testing.assert_frame_equal(shuffled_table, table)
    stranger = pd.Series(risk, index=small.index + 100)
    with pytest.raises(InvalidInputError, match=r"lacks 0, 1, 2"):
        profiler.summarize(stranger)
