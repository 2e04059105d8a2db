"""Survey KPI analysis by hand: the net promoter score and drivers of a KPI."""

import numpy as np
import pandas as pd
import pytest

from custseg import drivers, nps
from custseg.exceptions import DataDroppedWarning, InputTypeError, InvalidInputError


def test_classic_scale_by_hand():
    # 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0..6), 1 missing
    result = nps([10, 10, 9, 8, 7, 6, 5, 3, 1, 0, np.nan])
    assert result["n"] == 10 and result["n_missing"] == 1
    assert result["promoters"] == pytest.approx(0.3)
    assert result["passives"] == pytest.approx(0.2)
    assert result["detractors"] == pytest.approx(0.5)
    assert result["nps"] == pytest.approx(-20.0)


def test_any_scale_and_groups():
    scores = [5, 5, 4, 3, 1, 5, 2, 2]
    groups = ["a", "a", "a", "a", "b", "b", "b", "b"]
    result = nps(scores, promoters=5, detractors=3, by=groups)
    assert list(result.index) == ["a", "b"]
    assert result.loc["a", "nps"] == pytest.approx(100 * (2 / 4 - 1 / 4))
    assert result.loc["b", "nps"] == pytest.approx(100 * (1 / 4 - 3 / 4))
    assert result.loc["a", "passives"] == pytest.approx(0.25)


def test_all_missing_gives_nan_not_an_error():
    result = nps(pd.Series([np.nan, None], dtype=float))
    assert result["n"] == 0 and result["n_missing"] == 2 and np.isnan(result["nps"])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"scores": [1, "x"]},
            InputTypeError,
            "scores must be numbers; found \\['x'\\]",
        ),
        (
            {"scores": [1, 2], "promoters": 5, "detractors": 5},
            InvalidInputError,
            "below promoters",
        ),
        ({"scores": [1, 2], "promoters": "9"}, InputTypeError, "must be numbers"),
        (
            {"scores": [1, 2], "by": [0]},
            InvalidInputError,
            "by has 1 entries for 2 scores",
        ),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        nps(**kwargs)


# ---------------------------------------------------------------- drivers
def _drivers_frame():
    return pd.DataFrame(
        {
            "channel": ["web", "web", "store", "store", "web", "store"],
            "bought": ["a;b", "a", "b", "b", "a;b", None],
            "age": [20, 30, 40, 50, 60, 70],
            "kpi": [5, 4, 2, 1, 5, 2],
        }
    )


def test_drivers_by_hand():
    table = drivers(_drivers_frame(), "kpi", max_levels=3, n_bins=2)
    assert list(table.columns) == [
        "column",
        "role",
        "answer",
        "count",
        "share",
        "target_mean",
        "effect",
        "effect_size",
        "p_value",
        "p_adjusted",
    ]
    channel = table[table["column"] == "channel"].set_index("answer")
    assert channel.loc["web", "target_mean"] == pytest.approx(14 / 3)
    assert channel.loc["store", "share"] == pytest.approx(0.5)
    # KPI 5, 4, 2, 1, 5, 2 (mean 19/6): SS_total 14.83, between the answers 13.5
    assert channel["effect_size"].iloc[0] == pytest.approx(13.5 / (89 / 6))
    bought = table[table["column"] == "bought"].set_index("answer")
    # five answered: "a" chosen by rows 0, 1, 4 (KPI 5, 4, 5)
    assert bought.loc["a", "count"] == 3
    assert bought.loc["a", "share"] == pytest.approx(3 / 5)
    assert bought.loc["a", "target_mean"] == pytest.approx(14 / 3)
    # the per-option effect: chosen (5, 4, 5) against not (2, 1)
    kpi = np.array([5, 4, 2, 1, 5])
    chosen = np.array([1, 1, 0, 0, 1], bool)
    between = (
        3 * (kpi[chosen].mean() - kpi.mean()) ** 2
        + 2 * (kpi[~chosen].mean() - kpi.mean()) ** 2
    )
    assert bought.loc["a", "effect_size"] == pytest.approx(
        between / ((kpi - kpi.mean()) ** 2).sum()
    )
    # age: six distinct values > max_levels, so two quantile bins (20-45, 45-70)
    age = table[table["column"] == "age"]
    assert age["answer"].tolist() == ["20 to 45", "45 to 70"]
    assert age["target_mean"].tolist() == pytest.approx([11 / 3, 8 / 3])
    # the strongest driver first
    strength = table.groupby("column", sort=False)["effect_size"].max()
    assert strength.is_monotonic_decreasing
    assert table.attrs["target"] == "'kpi' read as likert"


def test_drivers_target_kinds():
    frame = _drivers_frame()
    levels = ["Never", "Rarely", "Sometimes", "Often", "Always"]
    ordinal = frame.assign(kpi=[levels[v - 1] for v in frame["kpi"]])
    ranked = drivers(ordinal, "kpi", max_levels=3, n_bins=2)
    numeric = drivers(frame, "kpi", max_levels=3, n_bins=2)
    np.testing.assert_allclose(ranked["target_mean"], numeric["target_mean"])
    assert "rank, 1 = lowest" in ranked.attrs["target"]
    as_array = drivers(frame.drop(columns="kpi"), frame["kpi"].to_numpy(), n_bins=2)
    assert len(as_array) > 0
    text = frame.assign(kpi=["red", "blue", "red", "green", "blue", "red"])
    with pytest.raises(InputTypeError, match="target 'kpi' was read as 'nominal'"):
        drivers(text, "kpi")
    with pytest.raises(InvalidInputError, match="target 'nope' is not a column"):
        drivers(frame, "nope")
    with pytest.raises(InvalidInputError, match="one value per row"):
        drivers(frame, [1, 2])
    with pytest.raises(InputTypeError, match="must be a pandas DataFrame"):
        drivers(frame.to_numpy(), "kpi")
    with pytest.raises(InvalidInputError, match="n_bins must be"):
        drivers(frame, "kpi", n_bins=1)


def test_drivers_missing_target_constant_and_empty_columns():
    frame = _drivers_frame().assign(
        kpi=[5, 4, np.nan, 1, 5, 2], same=1.0, stamp=pd.Timestamp("2024-01-01")
    )
    before = frame.copy()
    with pytest.warns(DataDroppedWarning) as caught:
        table = drivers(frame, "kpi", max_levels=3)
    messages = " ".join(str(w.message) for w in caught)
    assert "1 row(s) without a value of target 'kpi'" in messages
    assert "'stamp'" in messages
    assert table.loc[table["column"] == "channel", "count"].sum() == 5
    same = table[table["column"] == "same"]
    assert same["effect_size"].isna().all() and same["count"].tolist() == [5]
    pd.testing.assert_frame_equal(frame, before)
    with pytest.raises(InvalidInputError, match="has no values"):
        drivers(frame.assign(kpi=np.nan), "kpi")


def test_drivers_on_the_survey_ranks_ratings_first(amazon_survey):
    with pytest.warns(DataDroppedWarning, match="timestamp"):
        table = drivers(amazon_survey, "shopping_satisfaction")
    top = table.drop_duplicates("column")["column"].head(3).tolist()
    # the seed's numeric tests: these ratings move with satisfaction most
    assert set(top) <= {
        "rating_accuracy",
        "customer_reviews_importance",
        "personalized_recommendation_frequency_1",
    }
    satisfaction = amazon_survey["shopping_satisfaction"]
    female = amazon_survey["gender"].str.strip() == "Female"
    row = table[(table["column"] == "gender") & (table["answer"] == "Female")].iloc[0]
    assert row["target_mean"] == pytest.approx(satisfaction[female].mean())
    assert row["count"] == female.sum()


# --- found by tests/test_fuzz.py -------------------------------------------


def test_drivers_name_themselves_in_errors():
    with pytest.raises(InvalidInputError, match="no column besides the target"):
        drivers(pd.DataFrame({"kpi": [1, 2, 3]}), "kpi")
    frame = pd.DataFrame([[1, 2, 3]] * 3, columns=["a", "a", "kpi"])
    with pytest.raises(InvalidInputError, match="^drivers: SurveyPreprocessor.fit"):
        drivers(frame, "kpi")


def test_nps_edge_cases():
    empty = nps([], by=[])
    assert len(empty) == 0 and list(empty.columns)[-1] == "nps"
    table = nps([10, 0, 9, 5], by=["a", None, "a", np.nan])
    assert table["n"].sum() == 4  # missing groups are groups, no score lost
    assert nps([10, 7, 3])["passives"] == pytest.approx(1 / 3, abs=0)
    with pytest.raises(InputTypeError, match=r"found \[True\]"):
        nps([10, True])
    with pytest.raises(InputTypeError, match=r"found \[\[1, 2\]\]"):
        nps(pd.Series([10, [1, 2]], dtype=object))
    with pytest.raises(InvalidInputError, match="1 infinite value"):
        nps([10, -np.inf])
