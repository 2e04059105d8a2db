"""ChurnRiskScorer: the supervised, rules and BG/NBD methods, and their reasons."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from custseg import ChurnRiskScorer, SurveyPreprocessor
from custseg._calibration import calibration_table
from custseg.datasets import load_bank_churn
from custseg.exceptions import InvalidInputError


def test_bank_churn_beats_one_hot_logistic_regression():
    X, y = load_bank_churn(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    ours = make_pipeline(SurveyPreprocessor(), ChurnRiskScorer(random_state=0))
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
    scores = scorer.cv_results_.scores
    assert scores["chosen"].sum() == 1 and scores.index[scores["chosen"]] == [
        scorer.chosen_
    ]
    table = scorer.cv_results_.calibration.loc[scorer.chosen_]
    assert table["customers"].sum() == len(y_train)
    # calibrated: the observed churn rate follows the predicted risk, and the
    # expected calibration error (the mean gap over equal-size bins) is small
    assert np.corrcoef(table["mean_risk"], table["churn_rate"])[0, 1] > 0.98
    gaps = np.abs(table["mean_risk"] - table["churn_rate"])
    assert gaps.mean() < 0.02 and gaps.max() < 0.08
    # the nested measure is honest: it agrees with the held-out customers
    chosen = scores.loc[scorer.chosen_]
    assert chosen["roc_auc_mean"] == pytest.approx(
        roc_auc_score(y_test, risk), abs=0.02
    )
    assert chosen["brier_mean"] == pytest.approx(
        brier_score_loss(y_test, risk), abs=0.01
    )
    held_out = calibration_table(y_test.to_numpy(), risk)
    assert np.abs(held_out["mean_risk"] - held_out["churn_rate"]).mean() < 0.02
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
    codes = np.where(churned, "B", "A")
    from custseg.exceptions import LabelWarning

    with pytest.warns(LabelWarning, match="took 'B' .* to mean churned"):
        ChurnRiskScorer(cv=3).fit(X, codes)
    # churn words are recognised, negations too
    for stay, churn in [
        ("stayed", "churned"),
        ("Existing Customer", "Attrited Customer"),
        ("not churned", "churned"),
        ("No", "Yes"),
    ]:
        labels = np.where(churned, churn, stay)
        fitted = ChurnRiskScorer(cv=3, random_state=0).fit(X, labels)
        assert fitted.churn_label_ == churn
    # the churn label need not be the second: classes_ stay sorted, as
    # scikit-learn's scorers expect, and the risk is the churn label's column
    words = np.where(churned, "churned", "stayed")
    scorer = ChurnRiskScorer(cv=3, pos_label="churned", random_state=0).fit(X, words)
    assert scorer.classes_.tolist() == ["churned", "stayed"]
    risk = scorer.predict_risk(X)
    np.testing.assert_allclose(scorer.predict_proba(X)[:, 0], risk)
    assert np.corrcoef(risk, X[:, 0])[0, 1] > 0.5
    assert set(scorer.predict(X)) == {"churned", "stayed"}
    from sklearn.metrics import get_scorer

    assert get_scorer("roc_auc")(scorer, X, words) == pytest.approx(
        roc_auc_score(words == "stayed", 1 - risk)
    )
    assert get_scorer("roc_auc")(scorer, X, words) > 0.8
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


def _separable_enough(seed=5, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] - X[:, 2] + rng.normal(size=n) > 0.7).astype(int)
    return X, y


def test_candidates_are_scored_by_nested_cross_validation():
    from sklearn.calibration import _SigmoidCalibration
    from sklearn.model_selection import StratifiedKFold
    from sklearn.utils import check_random_state

    from custseg._churn import default_candidates
    from custseg._seeding import MAX_SEED

    X, y = _separable_enough()
    scorer = ChurnRiskScorer(cv=4, random_state=11).fit(X, y)
    # an independent recomputation: the folds of the seed drawn once per
    # fit; fold k's risk is the mean over the other folds j of the model
    # fitted without folds j and k, Platt-calibrated on fold j
    seed = check_random_state(11).randint(MAX_SEED)
    folds = [
        t for _, t in StratifiedKFold(4, shuffle=True, random_state=seed).split(X, y)
    ]
    for name, candidate in default_candidates(seed).items():
        risk = np.zeros(len(y))
        for k, scored in enumerate(folds):
            for j, calibrating in enumerate(folds):
                if j == k:
                    continue
                train = np.setdiff1d(np.arange(len(y)), np.r_[scored, calibrating])
                model = clone(candidate).fit(X[train], y[train])
                platt = _SigmoidCalibration().fit(
                    model.decision_function(X[calibrating]), y[calibrating]
                )
                risk[scored] += platt.predict(model.decision_function(X[scored])) / 3
        results = scorer.cv_results_.scores.loc[name]
        for metric, function in (
            ("brier", brier_score_loss),
            ("roc_auc", roc_auc_score),
        ):
            expected = np.mean([function(y[t], risk[t]) for t in folds])
            assert results[f"{metric}_mean"] == pytest.approx(expected, rel=1e-9)
    table = scorer.cv_results_.calibration
    assert set(table.index.get_level_values("candidate")) == {
        "logistic_regression",
        "gradient_boosting",
    }
    assert (table.groupby(level="candidate")["customers"].sum() == len(y)).all()


def test_the_measure_is_not_optimistic_on_pure_noise():
    # no fold's labels reach its own risks: on noise, the measured ROC AUC
    # is that of a coin and the Brier score no better than the base rate's
    auc, brier, base = [], [], []
    for rep in range(30):
        rng = np.random.default_rng(100 + rep)
        X = rng.normal(size=(300, 20))
        y = (rng.random(300) < 0.2).astype(int)
        scorer = ChurnRiskScorer(classifier=default_lr(), random_state=rep).fit(X, y)
        scores = scorer.cv_results_.scores.iloc[0]
        auc.append(scores["roc_auc_mean"])
        brier.append(scores["brier_mean"])
        base.append(y.mean() * (1 - y.mean()))
    assert abs(np.mean(auc) - 0.5) < 0.02
    assert np.mean(brier) > np.mean(base)


def test_one_seed_per_fit_and_a_given_classifier_is_seeded():
    from sklearn.ensemble import RandomForestClassifier

    X, y = _separable_enough()
    # random_state=None draws the fit's one seed from numpy's global state
    np.random.seed(3)  # noqa: NPY002
    first = ChurnRiskScorer(cv=3).fit(X, y).cv_results_.scores
    np.random.seed(3)  # noqa: NPY002
    again = ChurnRiskScorer(cv=3).fit(X, y).cv_results_.scores
    pd.testing.assert_frame_equal(first, again)  # folds drawn once, from one seed

    forest = RandomForestClassifier(n_estimators=10)
    runs = [
        ChurnRiskScorer(classifier=forest, cv=3, random_state=4).fit(X, y)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0].predict_proba(X), runs[1].predict_proba(X))
    members = runs[0].model_.calibrated_classifiers_
    assert isinstance(members[0].estimator.random_state, int)
    assert forest.random_state is None  # the parameter itself is untouched
    assert runs[0].chosen_ == "RandomForestClassifier"


def test_linear_explanation_shortcut_equals_rescoring():
    from custseg._churn_reasons import feature_effects

    X, y = _separable_enough()
    for calibration in ("sigmoid", "isotonic"):
        fitted = ChurnRiskScorer(
            cv=3, random_state=0, classifier=default_lr(), calibration=calibration
        ).fit(X, y)
        args = (fitted.model_, X[:50], fitted.feature_means_)
        np.testing.assert_allclose(
            feature_effects(*args, linear=True),
            feature_effects(*args, linear=False),
            atol=1e-12,
        )


def default_lr():
    return make_pipeline(StandardScaler(), LogisticRegression())


def test_explain_names_customers_and_features():
    X, y = _separable_enough()
    frame = pd.DataFrame(X, columns=["tenure", "spend", "tickets"])
    frame.index = [f"c{i}" for i in range(len(frame))]
    scorer = ChurnRiskScorer(cv=3, random_state=0).fit(frame, pd.Series(y, frame.index))
    reasons = scorer.explain(frame.iloc[:4], n_reasons=2)
    assert reasons["customer"].tolist() == [
        "c0",
        "c0",
        "c1",
        "c1",
        "c2",
        "c2",
        "c3",
        "c3",
    ]
    assert reasons["reason"].str.match(r"(tenure|spend|tickets) = ").all()
    # contributions are risk points: a customer's risk minus their risk with
    # that feature at its mean
    risk = scorer.predict_proba(frame.iloc[:1])[:, 1][0]
    first = reasons.iloc[0]
    feature = first["reason"].split(" = ")[0]
    neutral = frame.iloc[:1].copy()
    neutral[feature] = frame[feature].mean()
    assert first["contribution"] == pytest.approx(
        risk - scorer.predict_proba(neutral)[:, 1][0], abs=1e-10
    )
    plain = ChurnRiskScorer(cv=3, random_state=0).fit(X, y)
    assert plain.explain(X[:1])["reason"].str.match(r"x[012] = ").all()
    named = plain.explain(X[:2], feature_names=["a", "b", "c"])
    assert named["reason"].str.match(r"[abc] = ").all()
    assert named["customer"].tolist()[:1] == [0]
    with pytest.raises(InvalidInputError, match="feature_names has 2 name"):
        plain.explain(X[:2], feature_names=["a", "b"])


def test_rules_with_missing_answers_and_no_triggered_rule():
    from custseg.exceptions import DataDroppedWarning

    rules = [
        {"name": "unhappy", "column": "sat", "op": "<=", "value": 2, "weight": 3},
        {
            "name": "rare",
            "column": "freq",
            "op": "in",
            "value": ["Rarely"],
            "weight": np.int64(1),
        },
    ]
    answers = pd.DataFrame(
        {
            "sat": [1.0, np.nan, 5.0, np.nan, 1.0],
            "freq": ["Often", "Rarely", "Often", None, "Rarely"],
        },
        index=["a", "b", "c", "d", "e"],
    )
    scorer = ChurnRiskScorer(rules=rules).fit(answers)
    with pytest.warns(
        DataDroppedWarning, match="1 customer.* unanswered .* 1 answered none"
    ):
        risk = scorer.predict_proba(answers)[:, 1]
    # hand-computed: fired weight over the weight of the rules answered
    np.testing.assert_allclose(risk, [3 / 4, 1 / 1, 0 / 4, np.nan, 4 / 4])
    with pytest.warns(DataDroppedWarning):
        labels = scorer.predict(answers)
    np.testing.assert_array_equal(labels, [1, 1, 0, np.nan, 1])
    with pytest.warns(DataDroppedWarning):
        bands = scorer.risk_band(answers)
    assert bands.tolist() == ["high", "high", "low", "not available", "high"]
    reasons = scorer.explain(answers)
    assert reasons["customer"].tolist() == ["a", "b", "c", "d", "e", "e"]
    by = reasons.set_index(["customer", "rank"])
    assert by.loc[("c", 1), "reason"] == "no rule triggered"
    assert by.loc[("c", 1), "contribution"] == 0
    assert by.loc[("d", 1), "reason"] == "no answer to any rule's column"
    assert by.loc[("e", 1), "reason"] == "unhappy"
    assert reasons.groupby("customer")["contribution"].sum().drop("d").tolist() == (
        pytest.approx([0.75, 1.0, 0.0, 1.0])
    )
    for weight in (np.nan, np.inf, 0, -1, True, "2"):
        bad = [dict(rules[0], weight=weight)]
        with pytest.raises(InvalidInputError, match="expected a finite number > 0"):
            ChurnRiskScorer(rules=bad).fit(answers)


def test_auto_method_prefers_rules_and_refuses_ambiguity():
    summary = pd.DataFrame(
        {"frequency": [0, 2, 5], "recency": [0.0, 10, 30], "T": [40.0, 40, 40]}
    )
    rule = [{"name": "few", "column": "frequency", "op": "<", "value": 1, "weight": 1}]
    scorer = ChurnRiskScorer(rules=rule).fit(summary)
    assert scorer.method_ == "rules"
    with pytest.raises(InvalidInputError, match="both rules and labels y"):
        ChurnRiskScorer(rules=rule).fit(summary, [0, 1, 1])
    X, y = _separable_enough()
    fitted = ChurnRiskScorer(cv=3).fit(X, y)
    fitted.set_params(bands=(0.8, 0.2))
    with pytest.raises(InvalidInputError, match="risk_band: bands is"):
        fitted.risk_band(X)


def test_supervised_input_errors_point_to_the_fix():
    X, y = _separable_enough()
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).assign(plan=["basic"] * len(X))
    with pytest.raises(
        InvalidInputError, match=r"'plan' hold text.*SurveyPreprocessor"
    ):
        ChurnRiskScorer(cv=3).fit(frame, y)
    holes = X.copy()
    holes[0, 1] = np.nan
    with pytest.raises(InvalidInputError, match=r"NaN.*SurveyPreprocessor"):
        ChurnRiskScorer(cv=3).fit(holes, y)
    from sklearn.ensemble import HistGradientBoostingClassifier

    tolerant = ChurnRiskScorer(
        classifier=HistGradientBoostingClassifier(max_iter=20), cv=3, random_state=0
    ).fit(holes, y)
    assert np.isfinite(tolerant.predict_proba(holes)).all()
    shuffled = pd.Series(y, index=np.arange(len(y))[::-1])
    with pytest.raises(InvalidInputError, match="different indexes .* row 0"):
        ChurnRiskScorer(cv=3).fit(pd.DataFrame(X), shuffled)


def test_review_fixes_classifiers_labels_and_leftovers():
    from sklearn.impute import SimpleImputer
    from sklearn.svm import LinearSVC

    X, y = _separable_enough()
    # any classifier with a decision_function will do; NaN is its business
    svc = ChurnRiskScorer(classifier=LinearSVC(), cv=3, random_state=0).fit(X, y)
    assert roc_auc_score(y, svc.predict_risk(X)) > 0.8
    holes = X.copy()
    holes[::7, 0] = np.nan
    imputing = make_pipeline(SimpleImputer(), LogisticRegression())
    fitted = ChurnRiskScorer(classifier=imputing, cv=3).fit(holes, y)
    reasons = fitted.explain(holes[:1], n_reasons=3)
    assert reasons["reason"].str.startswith("x0 missing").any()
    # labels: missing and continuous ones are named
    with pytest.raises(InvalidInputError, match=r"y has 1 missing label.*row 4"):
        ChurnRiskScorer(cv=3).fit(X, np.where(np.arange(len(y)) == 4, np.nan, y))
    with pytest.raises(InvalidInputError, match="Unknown label type.*two labels"):
        ChurnRiskScorer(cv=3).fit(X, X[:, 0])
    # a refit with another method leaves nothing of the first behind
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    scorer = ChurnRiskScorer(cv=3, random_state=0).fit(frame, y)
    summary = pd.DataFrame({"frequency": [0, 2, 5], "recency": [0.0, 10, 30]})
    with pytest.raises(
        InvalidInputError, match=r"ChurnRiskScorer.fit \(method 'bgnbd'\).*'T'"
    ):
        scorer.set_params(method="bgnbd").fit(summary)
    assert not hasattr(scorer, "cv_results_")
    rule = [{"name": "r", "column": "a", "op": ">", "value": 0, "weight": 1}]
    scorer.set_params(method="rules", rules=rule).fit(frame)
    assert not hasattr(scorer, "model_") and scorer.method_ == "rules"


def test_review_fixes_rules_are_isolated_and_typed():
    answers = pd.DataFrame(
        {
            "plan": pd.Categorical(["basic", "pro", "basic"]),
            "level": pd.Categorical(
                ["low", "high", "mid"], categories=["low", "mid", "high"], ordered=True
            ),
        }
    )
    values = ["basic"]
    rules = [
        {"name": "basic", "column": "plan", "op": "in", "value": values, "weight": 1}
    ]
    scorer = ChurnRiskScorer(rules=rules).fit(answers)
    values.append("pro")  # the caller's list changes after fit ...
    assert scorer.predict_risk(answers).tolist() == [1, 0, 1]  # ... the scorer not
    with pytest.raises(AttributeError):
        scorer.rules_.loc[0, "value"].append("pro")  # a tuple: read-only
    unordered = [dict(rules[0], op="<", value="pro")]
    with pytest.raises(InvalidInputError, match="answers have no order"):
        ChurnRiskScorer(rules=unordered).fit(answers)
    ordered = [dict(rules[0], column="level", op="<=", value="mid")]
    low = ChurnRiskScorer(rules=ordered).fit(answers)
    assert low.predict_risk(answers).tolist() == [1, 0, 1]
    with pytest.raises(InvalidInputError, match="not one of its categories"):
        ChurnRiskScorer(rules=[dict(ordered[0], value="top")]).fit(answers)


def test_rules_warning_points_at_the_caller():
    from custseg.exceptions import DataDroppedWarning

    answers = pd.DataFrame({"sat": [1.0, np.nan]})
    rule = [{"name": "unhappy", "column": "sat", "op": "<", "value": 2, "weight": 1}]
    scorer = ChurnRiskScorer(rules=rule).fit(answers)
    with pytest.warns(DataDroppedWarning) as record:
        scorer.predict_proba(answers)
    assert record[0].filename == __file__


# --- found by tests/test_fuzz.py -------------------------------------------


def test_rule_weights_far_apart_or_huge_keep_risks_and_warnings_right():
    from custseg.exceptions import DataDroppedWarning

    answers = pd.DataFrame({"score": [1.0, 5.0, np.nan], "usage": ["N", "O", "N"]})
    rules = [
        {"name": "low", "column": "score", "op": "<=", "value": 2, "weight": 1e308},
        {"name": "never", "column": "usage", "op": "in", "value": "N", "weight": 1e308},
    ]
    scorer = ChurnRiskScorer("rules", rules=rules).fit(answers)
    # the third customer answered one rule of two: counted, not hidden
    with pytest.warns(DataDroppedWarning, match="1 customer.* unanswered"):
        risk = scorer.predict_risk(answers)
    assert risk.tolist() == [1.0, 0.0, 1.0]  # 1e308 + 1e308 no longer inf / inf
    rules[1]["weight"] = 1.0
    scorer = ChurnRiskScorer("rules", rules=rules).fit(answers)
    with pytest.warns(DataDroppedWarning, match="1 customer.* unanswered"):
        scorer.predict_risk(answers)
    reasons = scorer.explain(answers)
    assert reasons.loc[reasons["customer"] == 0, "contribution"].sum() == 1.0


def test_supervised_input_errors_are_custseg_errors():
    scorer = ChurnRiskScorer("supervised")
    with pytest.raises(InvalidInputError, match="0 feature"):
        scorer.fit(pd.DataFrame(index=range(6)), [0, 1] * 3)
    with pytest.raises(InvalidInputError, match="inconsistent numbers of samples"):
        scorer.fit(pd.DataFrame({"a": [1.0, 2.0, 3.0]}), [0, 1])
    with pytest.raises(InvalidInputError, match="column names must be unique"):
        scorer.fit(pd.DataFrame([[1.0, 2.0]] * 6, columns=["a", "a"]), [0, 1] * 3)
    # standardising would overflow: named, not a NaN error inside scikit-learn
    huge = pd.DataFrame({"a": [-1e308, 0.5, 1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InvalidInputError, match="'a' of X hold values beyond 1e"):
        scorer.fit(huge, [0, 1] * 3)
