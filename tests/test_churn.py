"""ChurnRiskScorer: the supervised, rules and BG/NBD methods, and their reasons."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from custseg import ChurnRiskScorer, SurveyPreprocessor
from custseg.datasets import load_bank_churn
from custseg.exceptions import InvalidInputError


def test_bank_churn_beats_one_hot_logistic_regression():
    X, y = load_bank_churn(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    ours = make_pipeline(SurveyPreprocessor(), ChurnRiskScorer(cv=3, random_state=0))
    risk = ours.fit(X_train, y_train).predict_proba(X_test)[:, 1]
    nominal = ["Geography", "Gender"]
    numbers = [c for c in X.columns if c not in nominal]
    baseline = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), nominal),
            (StandardScaler(), numbers),
        ),
        LogisticRegression(max_iter=1000),
    )
    reference = baseline.fit(X_train, y_train).predict_proba(X_test)[:, 1]
    assert roc_auc_score(y_test, risk) >= roc_auc_score(y_test, reference)
    assert brier_score_loss(y_test, risk) <= brier_score_loss(y_test, reference)
    scorer = ours[-1]
    assert scorer.cv_results_["chosen"].sum() == 1
    table = scorer.calibration_
    assert table["customers"].sum() == len(y_train)
    # calibrated: the observed churn rate follows the predicted risk, and the
    # expected calibration error (the mean gap over equal-size bins) is small
    assert np.corrcoef(table["mean_risk"], table["churn_rate"])[0, 1] > 0.98
    gaps = np.abs(table["mean_risk"] - table["churn_rate"])
    assert gaps.mean() < 0.02 and gaps.max() < 0.08
    bands = scorer.risk_band(ours[0].transform(X_test))
    assert set(bands) <= {"low", "medium", "high"}


def test_bad_labels_and_settings_are_named():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    with pytest.raises(InvalidInputError, match="one class only"):
        ChurnRiskScorer().fit(X, np.zeros(60))
    with pytest.raises(InvalidInputError, match="Only binary classification"):
        ChurnRiskScorer().fit(X, np.arange(60) % 3)
    with pytest.raises(InvalidInputError, match="rarer class has 2"):
        ChurnRiskScorer(cv=5).fit(X, np.r_[np.ones(2), np.zeros(58)])
    with pytest.raises(InvalidInputError, match="bands is"):
        ChurnRiskScorer(bands=(0.7, 0.2)).fit(X, np.arange(60) % 2)
    with pytest.raises(NotFittedError):
        ChurnRiskScorer().predict_proba(X)


def test_probabilities_threshold_and_reproducibility():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + rng.normal(scale=0.5, size=300) > 0.8).astype(int)
    first = ChurnRiskScorer(random_state=3).fit(X, y)
    proba = first.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    strict = ChurnRiskScorer(random_state=3, threshold=0.9).fit(X, y)
    assert strict.predict(X).sum() <= first.predict(X).sum()
    again = ChurnRiskScorer(random_state=3).fit(X, y)
    np.testing.assert_allclose(again.predict_proba(X), proba)


def test_rules_method_is_a_visible_weighted_heuristic(amazon_survey):
    scorer = ChurnRiskScorer(rules="survey").fit(amazon_survey)
    assert scorer.method_ == "rules"
    assert list(scorer.rules_["weight"]) == [0.4, 0.3, 0.3]
    risk = scorer.predict_proba(amazon_survey)[:, 1]
    satisfaction = amazon_survey["shopping_satisfaction"] <= 2
    rare = amazon_survey["purchase_frequency"] == "Less than once a month"
    carts = amazon_survey["cart_completion_frequency"].isin(["Never", "Rarely"])
    expected = 0.4 * satisfaction + 0.3 * rare + 0.3 * carts
    np.testing.assert_allclose(risk, expected)
    reasons = scorer.explain(amazon_survey.head(20))
    first = reasons[reasons["customer"] == 0]
    assert first["contribution"].sum() == pytest.approx(risk[0])
    custom = [
        {"name": "young", "column": "age", "op": "<", "value": 25, "weight": 2.0},
        {"name": "no data", "column": "nope", "op": ">", "value": 1, "weight": 1.0},
    ]
    with pytest.raises(InvalidInputError, match="'nope', which is not in X"):
        ChurnRiskScorer("rules", rules=custom).fit(amazon_survey)
    with pytest.raises(InvalidInputError, match="no named rule set"):
        ChurnRiskScorer("rules", rules="gut feeling").fit(amazon_survey)
    young = ChurnRiskScorer("rules", rules=custom[:1]).fit(amazon_survey)
    assert set(young.predict_proba(amazon_survey)[:, 1]) <= {0.0, 1.0}


def test_bgnbd_method_is_one_minus_p_alive():
    from custseg import CLVEstimator
    from custseg.datasets import load_cdnow

    summary = load_cdnow()[["frequency", "recency", "T"]]
    scorer = ChurnRiskScorer().fit(summary)
    assert scorer.method_ == "bgnbd"
    alive = CLVEstimator(spend_model=None).fit(summary).predict_proba_alive(summary)
    np.testing.assert_allclose(scorer.predict_proba(summary)[:, 1], 1 - alive)
    later = ChurnRiskScorer("bgnbd", horizon=26).fit(summary)
    assert (later.predict_proba(summary)[:, 1] >= 1 - alive - 1e-12).all()
    reasons = scorer.explain(summary.head(3))
    assert "repeat purchase(s), none in the last" in reasons["reason"].iloc[0]
    with pytest.raises(InvalidInputError, match="lacks the column"):
        ChurnRiskScorer("bgnbd").fit(summary.rename(columns={"T": "age"}))


def test_supervised_explanations_and_auto_errors():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(400, 3))
    y = (2 * X[:, 1] + rng.normal(size=400) > 1).astype(int)
    scorer = ChurnRiskScorer(cv=3, random_state=0).fit(X, y)
    reasons = scorer.explain(X[:5], n_reasons=2)
    assert len(reasons) == 10
    top = reasons[reasons["rank"] == 1]["reason"]
    assert top.str.startswith("x1 = ").mean() >= 0.6  # the feature that matters
    with pytest.raises(InvalidInputError, match="requires y to be passed"):
        ChurnRiskScorer().fit(X)
    with pytest.raises(InvalidInputError, match="requires y to be passed"):
        ChurnRiskScorer("supervised").fit(X)


def test_review_fixes_labels_and_rule_types():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 2))
    churned = X[:, 0] > 0.5
    # text labels: which one is churn must be said, never guessed
    words = np.where(churned, "churned", "stayed")
    from custseg.exceptions import LabelWarning

    with pytest.warns(LabelWarning, match="took 'stayed' .* to mean churned"):
        ChurnRiskScorer(cv=3).fit(X, words)
    scorer = ChurnRiskScorer(cv=3, pos_label="churned", random_state=0).fit(X, words)
    assert scorer.classes_[1] == "churned"
    risk = scorer.predict_proba(X)[:, 1]
    assert np.corrcoef(risk, X[:, 0])[0, 1] > 0.5
    # "in" with one answer matches the answer, not its characters
    answers = pd.DataFrame({"c": ["Never", "Often"], "n": [1.0, 5.0]})
    one = [{"name": "r", "column": "c", "op": "in", "value": "Never", "weight": 1}]
    assert ChurnRiskScorer(rules=one).fit(answers).predict_proba(answers)[
        :, 1
    ].tolist() == [1, 0]
    text_on_numbers = [
        {"name": "r", "column": "n", "op": "==", "value": "1", "weight": 1}
    ]
    with pytest.raises(InvalidInputError, match="numeric column 'n' with text"):
        ChurnRiskScorer(rules=text_on_numbers).fit(answers)
    numbers_on_text = [
        {"name": "r", "column": "c", "op": "<=", "value": 2, "weight": 1}
    ]
    with pytest.raises(InvalidInputError, match="non-numeric column 'c'"):
        ChurnRiskScorer(rules=numbers_on_text).fit(answers)
