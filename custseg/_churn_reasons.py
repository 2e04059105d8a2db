"""The reasons behind churn risks: what ``ChurnRiskScorer.explain`` returns.

Every method's reasons come out as one tidy table, one row per customer and
reason, with the columns of ``REASON_COLUMNS``; a customer with no reason
to give (no rule triggered, no feature with an effect) still gets a row, so
that every customer scored appears.
"""

import numpy as np
import pandas as pd

from ._calibration import decision_scores
from ._churn_rules import relative_weights

REASON_COLUMNS = ["customer", "rank", "reason", "contribution"]


def customer_ids(X, n_rows):
    """The customers' labels: a DataFrame's index, else row positions."""
    if isinstance(X, pd.DataFrame):
        return X.index.to_numpy()
    return np.arange(n_rows)


def feature_effects(model, X, means, *, linear):
    """Change of each customer's risk when each feature is set to its mean.

    ``effects[i, j]`` is the risk of customer i minus their risk with
    feature j at its mean over the fitted customers: positive when their
    value raises the risk. ``model`` is a fitted ``CalibratedClassifierCV``
    (its risk: the mean of its members' calibrated probabilities). When the
    members' scores are linear in X (the default logistic regression),
    each feature's score shift is computed once per member and only its
    calibrator is applied per customer; any other model is scored once per
    feature.
    """
    n_features = X.shape[1]
    effects = np.zeros(X.shape)
    if linear:
        probe = np.tile(means, (n_features + 1, 1))
        probe[1:] += np.eye(n_features)
        members = model.calibrated_classifiers_
        for member in members:
            calibrator = member.calibrators[0]
            scores = decision_scores(member.estimator, X)
            risk = calibrator.predict(scores)
            at_probe = decision_scores(member.estimator, probe)
            slopes = at_probe[1:] - at_probe[0]
            for j in range(n_features):
                shifted = scores - slopes[j] * (X[:, j] - means[j])
                effects[:, j] += risk - calibrator.predict(shifted)
        return effects / len(members)
    risk = model.predict_proba(X)[:, 1]
    neutral = X.copy()
    for j in range(n_features):
        neutral[:, j] = means[j]
        effects[:, j] = risk - model.predict_proba(neutral)[:, 1]
        neutral[:, j] = X[:, j]
    return effects


def feature_reasons(customers, X, effects, names, n_reasons):
    """The ``n_reasons`` largest effects of each customer, as reasons."""
    n_reasons = min(n_reasons, X.shape[1])
    order = np.argsort(-np.abs(effects), axis=1, kind="stable")[:, :n_reasons]
    rows = np.repeat(np.arange(len(X)), n_reasons)
    columns = order.ravel()
    values = X[rows, columns]
    effect = effects[rows, columns]
    verbs = np.where(
        effect > 0, "raises", np.where(effect < 0, "lowers", "does not move")
    )
    reasons = [
        f"{names[j]} {'missing' if np.isnan(value) else f'= {value:.4g}'} {verb} "
        "the risk"
        for j, value, verb in zip(columns, values, verbs, strict=True)
    ]
    return _frame(
        customers[rows], np.tile(np.arange(1, n_reasons + 1), len(X)), reasons, effect
    )


def rule_reasons(customers, rules, hits, evaluable, n_reasons):
    """The triggered rules of each customer, heaviest first, with their share.

    A rule's contribution is its weight over the weight of the rules that
    could be evaluated for that customer, so that a customer's
    contributions add up to their risk. A customer with no rule to report
    gets one row: "no rule triggered" (0) or, when they answered none of the
    rules' columns, "no answer to any rule's column" (NaN).
    """
    weights = relative_weights(rules)  # the units of evaluable
    by_weight = np.argsort(-weights, kind="stable")
    fired = hits[:, by_weight]
    rank = np.cumsum(fired, axis=1)
    rows, columns = np.nonzero(fired & (rank <= n_reasons))
    names = np.array([rules[j]["name"] for j in by_weight], dtype=object)
    silent = np.flatnonzero(~fired.any(axis=1))
    unanswered = evaluable[silent] == 0
    table = _frame(
        np.concatenate([rows, silent]),
        np.concatenate([rank[rows, columns], np.ones(len(silent), dtype=np.int64)]),
        np.concatenate(
            [
                names[columns],
                np.where(
                    unanswered, "no answer to any rule's column", "no rule triggered"
                ).astype(object),
            ]
        ),
        np.concatenate(
            [
                weights[by_weight][columns] / evaluable[rows],
                np.where(unanswered, np.nan, 0.0),
            ]
        ),
    )
    table = table.sort_values(["customer", "rank"], kind="stable", ignore_index=True)
    table["customer"] = customers[table["customer"].to_numpy()]
    return table


def silence_reasons(customers, frequency, recency, T, risk, horizon):
    """One reason per customer of the BG/NBD: repeat purchases and silence."""
    ahead = f" (and {horizon:g} more assumed)" if horizon else ""
    reasons = [
        f"{x:g} repeat purchase(s), none in the last {silence:.3g} periods{ahead}"
        for x, silence in zip(frequency, T - recency, strict=True)
    ]
    return _frame(customers, np.ones(len(reasons), dtype=np.int64), reasons, risk)


def _frame(customers, ranks, reasons, contributions):
    return pd.DataFrame(
        {
            "customer": customers,
            "rank": np.asarray(ranks, dtype=np.int64),
            "reason": reasons,
            "contribution": np.asarray(contributions, dtype=np.float64),
        },
        columns=REASON_COLUMNS,
    )
