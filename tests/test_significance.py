"""Association tests: hand-computed cases and the seed's published tables."""

import json

import numpy as np
import pandas as pd
import pytest

from custseg._significance import adjust_p_values, chi_square_test, group_tests


def test_anova_and_kruskal_by_hand():
    anova, kruskal = group_tests([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1])
    # means 2 and 5 around 3.5: SS_between 13.5, SS_within 4, F = 13.5 / (4 / 4)
    assert anova["statistic"] == pytest.approx(13.5)
    assert anova["effect_size"] == pytest.approx(13.5 / 17.5)
    assert anova["dof"] == 1
    # ranks 1..6: H = 12 / 42 * (6**2 / 3 + 15**2 / 3) - 21 = 27 / 7
    assert kruskal["statistic"] == pytest.approx(27 / 7)
    assert kruskal["effect_size"] == pytest.approx(27 / 7 * 7 / 35)


def test_chi_square_by_hand():
    # a 2 x 3 table without continuity correction: expected 10 per cell
    answers = ["x"] * 30 + ["y"] * 30
    segments = [0] * 15 + [1] * 10 + [2] * 5 + [0] * 5 + [1] * 10 + [2] * 15
    result = chi_square_test(answers, segments)
    observed = np.array([[15, 10, 5], [5, 10, 15]])
    expected = 10.0
    chi2 = ((observed - expected) ** 2 / expected).sum()
    assert result["statistic"] == pytest.approx(chi2)
    assert result["dof"] == 2
    assert result["effect_size"] == pytest.approx(np.sqrt(chi2 / 60))
    perfect = chi_square_test(["a", "b", "c"] * 20, [0, 1, 2] * 20)
    assert perfect["effect_size"] == pytest.approx(1.0)


def test_missing_constant_and_single_segment():
    result = chi_square_test(["a", None, "b", "a", np.nan, "b"], [0, 0, 1, 0, 1, 1])
    assert result["n"] == 4 and result["n_missing"] == 2
    anova, kruskal = group_tests([3, 3, 3, np.nan], [0, 1, 1, 0])
    assert anova["reason"] == kruskal["reason"] == "a constant column"
    assert np.isnan(anova["statistic"]) and anova["n_missing"] == 1
    anova, _ = group_tests([1, 2, 3], [0, 0, 0])
    assert anova["reason"] == "a single segment"
    assert chi_square_test(["a", "b"], [0, 0])["reason"] == "a single segment"


def test_benjamini_hochberg_by_hand_and_with_nan():
    adjusted = adjust_p_values([0.01, 0.04, 0.03, 0.2])
    np.testing.assert_allclose(adjusted, [0.04, 0.16 / 3, 0.16 / 3, 0.2])
    with_nan = adjust_p_values([0.01, np.nan, 0.04])
    assert np.isnan(with_nan[1])
    np.testing.assert_allclose(with_nan[[0, 2]], [0.02, 0.04])


def test_the_seed_tables_are_reproduced(amazon_survey, reference_home):
    """Chi-square and ANOVA of every column the seed tested, against its labels."""
    folder = reference_home / "amazon_survey"
    annotated = pd.read_csv(folder / "amazon_customers_annotated.csv")
    labels = annotated["cluster_kmeans"].to_numpy()
    categorical = json.loads((folder / "stat_tests_categorical.json").read_text())
    for column, published in categorical.items():
        result = chi_square_test(amazon_survey[column], labels)
        assert result["statistic"] == pytest.approx(published["chi2"], rel=1e-9), column
        assert result["p_value"] == pytest.approx(published["p_value"], rel=1e-9), (
            column
        )
    numeric = json.loads((folder / "stat_tests_numeric.json").read_text())
    for column, published in numeric.items():
        source = amazon_survey[column] if column in amazon_survey else annotated[column]
        anova, _ = group_tests(source, labels)
        if np.isnan(published["f_stat"]):
            # the seed's recommendation_helpfulness_num: constant once missing
            # answers are left out
            assert anova["reason"] == "a constant column", column
            continue
        assert anova["statistic"] == pytest.approx(published["f_stat"], rel=1e-9), (
            column
        )
        assert anova["p_value"] == pytest.approx(published["p_value"], rel=1e-9), column


def test_groups_of_one_value_cannot_be_tested():
    anova, kruskal = group_tests([1.0, 2.0, 3.0], [0, 1, 2])
    assert anova["reason"] == kruskal["reason"] == "no segment has two values"
    assert np.isnan(anova["p_value"])
