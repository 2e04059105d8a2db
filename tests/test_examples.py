"""The example scripts run, and print what their docs promise."""

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(script, *args):
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_segment_survey_on_built_in_data_recovers_planted_segments(tmp_path):
    report = tmp_path / "report.html"
    output = _run("segment_survey.py", "--n-customers", "1500", "--report", str(report))
    assert "Column roles inferred by SurveyPreprocessor" in output
    ari = float(output.rsplit("adjusted Rand index):", 1)[1].split()[0])
    assert ari > 0.5
    assert "Personas (SegmentProfiler):" in output
    assert "rule 'service attention' skipped" in output
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_segment_survey_on_the_real_survey():
    output = _run("segment_survey.py", "--data", "amazon", "--n-segments", "2")
    assert "Amazon Consumer Behaviour Survey: 602 respondents" in output


def test_reproduce_amazon_survey_matches_the_reference_files(tmp_path, reference_home):
    path = tmp_path / "figures.json"
    start = time.perf_counter()
    output = _run(
        "reproduce_amazon_survey.py",
        "--json",
        str(path),
        "--report",
        str(tmp_path / "report.html"),
    )
    assert time.perf_counter() - start < 60  # the issue asks < 30 s; CI margin
    assert "all documented figures reproduced" in output
    assert "329 answer(s) ('Yes', 'No') outside the order" in output
    figures = json.loads(path.read_text())
    folder = reference_home / "amazon_survey"
    summary = json.loads((folder / "clustering_results_summary.json").read_text())
    scan = summary["kmeans"]
    assert [row["k"] for row in figures["kmeans_scan"]] == scan["K"]
    for row, inertia, silhouette, calinski in zip(
        figures["kmeans_scan"],
        scan["inertia"],
        scan["silhouette"],
        scan["ch"],
        strict=True,
    ):
        assert row["inertia"] == pytest.approx(inertia, abs=1e-6)
        assert row["silhouette"] == pytest.approx(silhouette, abs=1e-6)
        assert row["calinski_harabasz"] == pytest.approx(calinski, abs=1e-6)
    for ours, theirs in (
        ("final", "kmeans_final"),
        ("agglomerative", "agg"),
        ("gmm", "gmm"),
    ):
        assert figures[ours]["silhouette"] == pytest.approx(
            summary[theirs]["silhouette"], abs=1e-6
        )
        assert figures[ours]["davies_bouldin"] == pytest.approx(
            summary[theirs]["db"], abs=1e-6
        )
        assert figures[ours]["calinski_harabasz"] == pytest.approx(
            summary[theirs]["ch"], abs=1e-6
        )
    assert figures["final"]["sizes"] == [303, 299]
    # the seed's DBSCAN found no cluster: every point is noise
    assert (
        figures["dbscan"]["n_clusters"] == 0 and figures["dbscan"]["noise_share"] == 1.0
    )
    bootstrap = np.loadtxt(folder / "bootstrap_ari.txt")
    assert figures["bootstrap_ari_mean"] == pytest.approx(bootstrap.mean(), abs=0.03)
    _check_profile_tables(figures, folder)
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert "Personas of the two segments" in output


def _check_profile_tables(figures, folder):
    """The profiler's tables equal the seed's, computed from the raw survey."""
    categorical = json.loads((folder / "stat_tests_categorical.json").read_text())
    assert set(figures["chi2"]) == set(categorical)
    for column, published in categorical.items():
        ours = figures["chi2"][column]
        assert ours["chi2"] == pytest.approx(published["chi2"], rel=1e-9), column
        assert ours["p_value"] == pytest.approx(published["p_value"], rel=1e-9), column
    numeric = json.loads((folder / "stat_tests_numeric.json").read_text())
    assert set(figures["anova"]) == set(numeric)
    for column, published in numeric.items():
        ours = figures["anova"][column]
        if published["f_stat"] is None or np.isnan(published["f_stat"]):
            # the seed's constant recommendation_helpfulness_num: no test
            assert ours["f_stat"] is None or np.isnan(ours["f_stat"]), column
            continue
        assert ours["f_stat"] == pytest.approx(published["f_stat"], rel=1e-9), column
        assert ours["p_value"] == pytest.approx(published["p_value"], rel=1e-9), column
    profile = json.loads((folder / "cluster_profile.json").read_text())
    assert set(figures["cluster_profile"]) == set(profile)
    for segment, published in profile.items():
        ours = figures["cluster_profile"][segment]
        assert ours["count"] == published["count"]
        assert ours["age_mean"] == pytest.approx(published["age_mean"], rel=1e-12)
        _assert_same_top_answers(
            ours["top_purchase_categories"], published["top_purchase_categories"]
        )


def _assert_same_top_answers(ours, published):
    """Equal top lists; at the last place a tie may list another answer.

    The seed ranked answers with pandas' value_counts, whose order among
    equal counts is not defined (segment 1's fifth place is a tie of two
    answers given 23 times); custseg lists the answer given first.
    """
    assert list(ours.values()) == list(published.values())
    last = min(published.values())
    above = {answer: n for answer, n in published.items() if n > last}
    assert {answer: n for answer, n in ours.items() if n > last} == above


def test_clv_cdnow_reproduces_the_literature(tmp_path):
    path = tmp_path / "clv.json"
    output = _run("clv_cdnow.py", "--json", str(path))
    assert "all published figures reproduced" in output
    figures = json.loads(path.read_text())
    # Fader, Hardie and Lee (2005); Fader and Hardie (2013)
    assert [round(figures[k], 3) for k in ("r", "alpha", "a", "b")] == [
        0.243,
        4.414,
        0.793,
        2.426,
    ]
    assert round(figures["log_likelihood"], 1) == -9582.4
    assert round(figures["expected_purchases_example"], 3) == 1.226
    assert [round(figures[k], 2) for k in ("p", "q", "gamma")] == [6.25, 3.74, 15.44]
    pareto = [round(figures[f"pareto_{k}"], 2) for k in ("r", "alpha", "s", "beta")]
    assert pareto == [0.55, 10.58, 0.61, 11.67]
    assert round(figures["pareto_log_likelihood"], 1) == -9595.0
    model = figures["holdout"]["model"]
    # lifetimes 0.11.3 on the same split: MAE 0.7855, correlation 0.6256
    assert model["mae"] <= 0.7855 + 5e-5 and model["correlation"] >= 0.6256 - 5e-5
    assert model["mae"] < figures["holdout"]["baseline"]["mae"]


def test_churn_bank_beats_the_baseline_on_the_same_folds(tmp_path):
    path = tmp_path / "churn.json"
    output = _run("churn_bank.py", "--json", str(path))
    assert "ROC AUC at least the baseline's, Brier score at most" in output
    scores = json.loads(path.read_text())["scores"]
    assert scores["custseg"]["roc_auc"] >= scores["baseline"]["roc_auc"]
    assert scores["custseg"]["brier"] <= scores["baseline"]["brier"]


def test_amazon_user_segments_reproduces_the_seed(tmp_path):
    # ../shared/reference/amazon_sales/REPRODUCTION.md: 1,192 groups; k = 3
    # gives sizes 69 / 471 / 652 and silhouette 0.292, and the persona table
    path = tmp_path / "seed.json"
    output = _run("amazon_user_segments.py", "--seed-grouping", "--json", str(path))
    figures = json.loads(path.read_text())
    assert figures["n_users"] == 1192 and figures["k"] == 3
    assert figures["sizes"] == [69, 471, 652]
    assert round(figures["silhouette"], 3) == 0.292
    published = {
        "Casual Buyers": (471, 27.0, 4475, 4.23, 1.04, 4.4),
        "Deal Seekers": (652, 59.7, 1162, 3.97, 1.08, 4.3),
        "Premium Loyalists": (69, 51.9, 5329, 4.16, 3.84, 15.9),
    }
    keys = ("users", "mean_discount", "mean_spend", "mean_rating", "n_events")
    keys += ("engagement_score",)
    for name, values in published.items():
        persona = figures["personas"][name]
        for key, value in zip(keys, values, strict=True):
            # the seed printed 1 decimal (3 for ratings), whole rupees
            assert persona[key] == pytest.approx(
                value, abs=0.5 if key == "mean_spend" else 0.3
            )
    # the k = 2..7 table: every silhouette and size list of the seed
    for line, (silhouette, sizes) in {
        2: (0.607, "[69, 1123]"),
        3: (0.292, "[69, 471, 652]"),
        4: (0.302, "[34, 66, 461, 631]"),
        5: (0.318, "[34, 65, 263, 358, 472]"),
        6: (0.327, "[14, 34, 112, 270, 337, 425]"),
        7: (0.316, "[26, 34, 101, 129, 232, 259, 411]"),
    }.items():
        row = next(r for r in output.splitlines() if r.strip().startswith(f"{line} "))
        assert row.count(f"{silhouette:.3f}") == 2 and row.count(sizes) == 2
    assert "'rating_std' are constant" in output


def test_amazon_user_segments_segments_people(tmp_path):
    path = tmp_path / "people.json"
    output = _run("amazon_user_segments.py", "--json", str(path))
    figures = json.loads(path.read_text())
    assert figures["n_users"] == 9050  # distinct reviewer ids (the data README)
    assert sum(figures["sizes"]) == 9050
    assert figures["k"] == len(figures["sizes"]) == len(figures["personas"])
    assert "Choice: " in output and " won " in output  # the selector says why
    for shares in figures["relation_to_seed"].values():
        assert sum(shares.values()) == pytest.approx(1.0)
