"""Churn risk on the labelled bank churn data, against a plain baseline.

5-fold cross-validation (stratified, fixed seed) of
``make_pipeline(SurveyPreprocessor(), ChurnRiskScorer(method="supervised"))``
against one-hot encoding + logistic regression on the same folds. Prints the
ROC AUC and Brier score of both, and the out-of-fold calibration table of
custseg's risks; exits with status 1 if custseg's ROC AUC is below the
baseline's or its Brier score above. Needs ``bank_churn/Churn_Modelling.csv``
in the data home (``CUSTSEG_DATA_HOME``).

Usage::

    python examples/churn_bank.py [--json PATH]
"""

import argparse
import json
import sys

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from custseg import ChurnRiskScorer, SurveyPreprocessor
from custseg.datasets import load_bank_churn

NOMINAL = ["Geography", "Gender"]


def _baseline(columns):
    numbers = [c for c in columns if c not in NOMINAL]
    return make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), NOMINAL),
            (StandardScaler(), numbers),
        ),
        LogisticRegression(max_iter=1000),
    )


def compare(seed=0):
    """Cross-validated scores of custseg and the baseline, and the calibration."""
    X, y = load_bank_churn(return_X_y=True)
    y = y.to_numpy()
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    scores = {"custseg": [], "baseline": []}
    out_of_fold = np.empty(len(y))
    chosen = []
    for train, test in folds.split(X, y):
        ours = make_pipeline(
            SurveyPreprocessor(),
            ChurnRiskScorer(method="supervised", random_state=seed),
        ).fit(X.iloc[train], y[train])
        risk = ours.predict_proba(X.iloc[test])[:, 1]
        out_of_fold[test] = risk
        chosen.append(ours[-1].chosen_)
        reference = _baseline(X.columns).fit(X.iloc[train], y[train])
        baseline_risk = reference.predict_proba(X.iloc[test])[:, 1]
        for name, values in (("custseg", risk), ("baseline", baseline_risk)):
            scores[name].append(
                {
                    "roc_auc": roc_auc_score(y[test], values),
                    "brier": brier_score_loss(y[test], values),
                }
            )
    summary = {
        name: {
            metric: float(np.mean([fold[metric] for fold in folds_scores]))
            for metric in ("roc_auc", "brier")
        }
        for name, folds_scores in scores.items()
    }
    deciles = pd.qcut(pd.Series(out_of_fold).rank(method="first"), 10, labels=False)
    table = (
        pd.DataFrame({"decile": deciles, "risk": out_of_fold, "churned": y})
        .groupby("decile")
        .agg(
            customers=("risk", "size"),
            mean_risk=("risk", "mean"),
            churn_rate=("churned", "mean"),
        )
    )
    return {
        "scores": summary,
        "folds": scores,
        "chosen": chosen,
        "calibration": table.reset_index().to_dict(orient="records"),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    figures = compare()
    print("Bank churn, 5-fold cross-validation (same folds)\n")
    print(pd.DataFrame(figures["scores"]).T.round(4).to_string())
    print(f"\nclassifier kept in each fold: {', '.join(figures['chosen'])}")
    print("\nCalibration of custseg's out-of-fold risks (equal-count bins):")
    print(pd.DataFrame(figures["calibration"]).round(3).to_string(index=False))
    ours, baseline = figures["scores"]["custseg"], figures["scores"]["baseline"]
    better = (
        ours["roc_auc"] >= baseline["roc_auc"] and ours["brier"] <= baseline["brier"]
    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    print(
        "\ncustseg: ROC AUC at least the baseline's, Brier score at most"
        if better
        else "\ncustseg is WORSE than the baseline"
    )
    return 0 if better else 1


if __name__ == "__main__":
    sys.exit(main())
