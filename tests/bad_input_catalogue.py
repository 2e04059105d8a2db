"""The bad-input catalogue: every bad input tried, and what custseg does with it.

Each :class:`Case` calls a public estimator or function on one bad input and
says what must come of it: an error of a given class, or a warning of a given
class (and what is then dropped or "not available"), each with a fragment of
its message. ``tests/test_bad_input.py`` runs every case and checks the
outcome, and checks that ``docs/bad_input.md`` is exactly :func:`render`'s
page, messages included. After changing a case or a message, regenerate the
page::

    python tests/bad_input_catalogue.py          # writes docs/bad_input.md
    python tests/bad_input_catalogue.py --check  # exit 1 if it is stale
"""

import sys
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from custseg import (
    BehaviorAggregator,
    ChurnRiskScorer,
    ClusterSelector,
    CLVEstimator,
    SegmentProfiler,
    SurveyPreprocessor,
    drivers,
    evaluate_clv,
    heuristic_clv,
    nps,
    rfm_summary,
)
from custseg.datasets import make_purchase_summary, make_survey
from custseg.exceptions import (
    CustsegWarning,
    DataDroppedWarning,
    FitWarning,
    InputTypeError,
    InvalidInputError,
    LabelWarning,
)
from custseg.plotting import plot_segments_2d

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "bad_input.md"


class GivenLabels(ClusterMixin, BaseEstimator):
    """A "clusterer" that hands out fixed labels (to profile chosen segments)."""

    def __init__(self, labels=None):
        self.labels = labels

    def fit(self, X, y=None):
        self.labels_ = np.asarray(self.labels)
        return self


@dataclass(frozen=True)
class Case:
    """One bad input and what custseg must do with it.

    Attributes
    ----------
    area : str
        The estimator or function (a section of the page).
    given : str
        The bad input, in words.
    call : str
        The call, as shown on the page.
    run : callable
        Makes the call (no arguments); returns what ``check`` looks at.
    expect : type or None
        The error or warning class; None: the call succeeds without one.
    fragment : str
        Part of the message (of the error, or of the warning).
    outcome : str
        For warnings and successes: what custseg does (what is dropped,
        what is "not available").
    check : callable, default=None
        For warnings and successes: a property of the result that must hold.
    """

    area: str
    given: str
    call: str
    run: object
    expect: type | None
    fragment: str
    outcome: str = ""
    check: object = None


def _frame(**columns):
    return pd.DataFrame(columns)


def _survey_fit(frame, **params):
    return lambda: SurveyPreprocessor(**params).fit_transform(frame)


def _selector():
    return ClusterSelector(candidates=["kmeans"], k_range=(2,), n_bootstrap=0)


def _fitted_selector():
    X = _frame(a=[0.0, 0.1, 5.0, 5.1], b=[1.0, 1.1, 3.0, 3.2])
    return _selector().set_params(random_state=0).fit(X)


def _summary(**changes):
    summary = _frame(
        frequency=[0.0, 2.0, 5.0, 1.0],
        recency=[0.0, 10.0, 30.0, 4.0],
        T=[12.0, 40.0, 38.0, 20.0],
        monetary_value=[0.0, 30.0, 12.5, 8.0],
    )
    return summary.assign(**changes)


def _fitted_clv(summary=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)
        return CLVEstimator(spend_model=None, **params).fit(
            _summary() if summary is None else summary
        )


def _plot(X, labels):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    plt.close(figure)  # drawn, not shown
    return plot_segments_2d(X, labels, ax=ax)


def _profiler(frame, labels):
    return SegmentProfiler(GivenLabels(labels), n_repeats=0, random_state=0).fit(frame)


_RULES = [
    {"name": "unhappy", "column": "score", "op": "<=", "value": 2, "weight": 1e308},
    {"name": "rarely", "column": "usage", "op": "in", "value": ["Never"], "weight": 1},
]
_ANSWERS = _frame(
    score=[1.0, 5.0, np.nan, np.nan], usage=["Never", "Often", "Never", None]
)
_LOG = _frame(
    customer=["a", "a", None, "b", "c"],
    date=["2024-01-01", "2024-01-05", "2024-01-02", "2024-01-03", "2024-01-04"],
    amount=[10.0, 20.0, 5.0, -5.0, np.nan],
)


def _cases():
    table = "Tables given to any estimator"
    survey = "SurveyPreprocessor"
    behaviour = "BehaviorAggregator"
    selector = "ClusterSelector"
    churn = "ChurnRiskScorer"
    clv = "CLVEstimator, evaluate_clv, heuristic_clv"
    rfm = "rfm_summary"
    profiler = "SegmentProfiler"
    kpis = "drivers, nps"
    data = "custseg.datasets generators"
    plots = "custseg.plotting"
    return [
        # ------------------------------------------------------------ tables
        Case(
            table,
            "None instead of a table",
            "SurveyPreprocessor().fit(None)",
            lambda: SurveyPreprocessor().fit(None),
            InvalidInputError,
            "expected a 2-D table",
        ),
        Case(
            table,
            "a 1-D list",
            "ClusterSelector().fit([1, 2, 3])",
            lambda: ClusterSelector().fit([1, 2, 3]),
            InvalidInputError,
            "got ndarray with 1 dimension(s)",
        ),
        Case(
            table,
            "rows of different lengths",
            "ClusterSelector().fit([[1, 2], [3]])",
            lambda: ClusterSelector().fit([[1, 2], [3]]),
            InvalidInputError,
            "X is not a table",
        ),
        Case(
            table,
            "0 rows",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(a=[])),
            InvalidInputError,
            "0 sample(s)",
        ),
        Case(
            table,
            "0 columns",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                pd.DataFrame(index=range(4)), [0, 1, 0, 1]
            ),
            InvalidInputError,
            "0 feature(s)",
        ),
        Case(
            table,
            "duplicated column names",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                pd.DataFrame([[1.0, 2.0]] * 6, columns=["a", "a"]), [0, 1] * 3
            ),
            InvalidInputError,
            "column names must be unique; found duplicates 'a'",
        ),
        Case(
            table,
            "column names of mixed types (0 and 'a')",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(pd.DataFrame({0: [1.0, 2.0], "a": [3.0, 4.0]})),
            InputTypeError,
            "Feature names are only supported if all input features have string names",
        ),
        Case(
            table,
            "a sparse matrix",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit(sparse.eye(4, format="csr")),
            InputTypeError,
            "sparse input is not supported",
        ),
        Case(
            table,
            "complex numbers",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(np.array([[1 + 1j], [2 + 0j]])),
            InvalidInputError,
            "Complex data not supported",
        ),
        Case(
            table,
            "columns other than those seen in fit",
            "selector.predict(X)",
            lambda: _fitted_selector().predict(_frame(a=[1.0])),
            InvalidInputError,
            "Feature names seen at fit time, yet now missing",
        ),
        # ---------------------------------------------------- ClusterSelector
        Case(
            selector,
            "text in a column",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit(_frame(a=[1.0, 2.0], plan=["gold", "basic"])),
            InvalidInputError,
            "column(s) 'plan' hold text or categories",
        ),
        Case(
            selector,
            "text in an array",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit([[1.0, "x"], [2.0, "y"]]),
            InvalidInputError,
            "column(s) 'x1' of X hold values that are not numbers",
        ),
        Case(
            selector,
            "a dict among the values",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit(
                np.array([[1.0, {"a": 1}], [2.0, 3.0]], dtype=object)
            ),
            InputTypeError,
            "Column(s) 'x1' of X hold values that are not numbers",
        ),
        Case(
            selector,
            "NaN",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit(_frame(a=[1.0, np.nan, 3.0], b=[1.0, 2, 3])),
            InvalidInputError,
            "X holds NaN or infinite values in column(s) 'a'",
        ),
        Case(
            selector,
            "infinity",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit(np.array([[1.0, np.inf], [2.0, 3.0]])),
            InvalidInputError,
            "X holds NaN or infinite values in column(s) 'x1'",
        ),
        Case(
            selector,
            "values near 1e308 (squared distances overflow)",
            "ClusterSelector().fit(X)",
            lambda: _selector().fit(_frame(a=[1e230, -1e230, 3.0], b=[0.0, 1.0, 2.0])),
            InvalidInputError,
            "column(s) 'a' of X hold values beyond 1e+150",
        ),
        Case(
            selector,
            "1 row",
            "ClusterSelector().fit(X)",
            lambda: ClusterSelector().fit([[1.0, 2.0]]),
            InvalidInputError,
            "minimum of 2 is required",
        ),
        Case(
            selector,
            "identical rows",
            "ClusterSelector().fit(X)",
            lambda: _selector().fit([[1.0, 2.0]] * 3),
            InvalidInputError,
            "all 3 rows are identical",
        ),
        Case(
            selector,
            "no candidate finds two groups",
            "ClusterSelector(candidates=['dbscan']).fit(X)",
            lambda: ClusterSelector(["dbscan"], n_bootstrap=0, random_state=0).fit(
                [[0.0], [0.0], [0.0], [1.0]]
            ),
            InvalidInputError,
            "no candidate can be selected",
        ),
        # ------------------------------------------------- SurveyPreprocessor
        Case(
            survey,
            "a column without any answer",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(a=[1.0, 2.0], empty=[None, None])),
            InvalidInputError,
            "column 'empty' has no answers",
        ),
        Case(
            survey,
            "an infinite number",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(age=[20.0, np.inf, 30.0])),
            InvalidInputError,
            "Column 'age' holds 1 infinite value(s)",
        ),
        Case(
            survey,
            "text 'inf' among numbers written as text",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(n=["1", "2", "3"] * 7 + ["inf"])),
            DataDroppedWarning,
            "1 answer(s) ('inf') that are not numbers",
            "'inf' is no usable number: treated as missing (then imputed)",
            check=lambda out: np.isfinite(out).all(),
        ),
        Case(
            survey,
            "numbers mixed with text (under 95% numbers)",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(m=pd.Series([1, "x", 2, "y"], dtype=object))),
            InvalidInputError,
            "column 'm' mixes types",
        ),
        Case(
            survey,
            "dicts as answers",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(d=pd.Series([{"a": 1}, {"b": 2}], dtype=object))),
            InputTypeError,
            "Column 'd' holds values that are not answers",
        ),
        Case(
            survey,
            "impossible dates such as 2024-02-30",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(_frame(d=["2024-02-30", "2024-02-31", "2024-02-30"])),
            None,
            "",
            "read as text answers (nominal), not dates",
            check=lambda out: out.shape == (3, 2),
        ),
        Case(
            survey,
            "a free-text column without text_topics",
            "SurveyPreprocessor(max_categories=2).fit(X)",
            _survey_fit(
                _frame(
                    a=[1.0, 2.0, 3.0, 4.0], note=["a b c", "d e f", "g h i", "j k l"]
                ),
                max_categories=2,
            ),
            DataDroppedWarning,
            "column 'note' was left out",
            "the column is left out and named",
        ),
        Case(
            survey,
            "an answer not seen in fit",
            "prep.transform(X)",
            lambda: (
                SurveyPreprocessor()
                .fit(_frame(c=["a", "b", "a"]))
                .transform(_frame(c=["z"]))
            ),
            DataDroppedWarning,
            "not seen in fit",
            "encoded as all zeros, counted",
            check=lambda out: (out == 0).all(),
        ),
        Case(
            survey,
            "an answer not seen in fit, handle_unknown='error'",
            "prep.transform(X)",
            lambda: (
                SurveyPreprocessor(handle_unknown="error")
                .fit(_frame(c=["a", "b", "a"]))
                .transform(_frame(c=["z"]))
            ),
            InvalidInputError,
            "'z'",
        ),
        Case(
            survey,
            "a column missing at transform",
            "prep.transform(X)",
            lambda: (
                SurveyPreprocessor()
                .fit(_frame(a=[1.0, 2.0], b=[3.0, 4.0]))
                .transform(_frame(a=[1.0]))
            ),
            InvalidInputError,
            "Feature names seen at fit time, yet now missing",
        ),
        Case(
            survey,
            "roles naming a column that is not there",
            "SurveyPreprocessor(roles={'nope': 'numeric'}).fit(X)",
            _survey_fit(_frame(a=[1.0, 2.0]), roles={"nope": "numeric"}),
            InvalidInputError,
            "roles names column(s) 'nope' that are not in the data",
        ),
        Case(
            survey,
            "ordered categories equal but for case ('nan', 'NaN')",
            "SurveyPreprocessor().fit(X)",
            _survey_fit(
                _frame(c=pd.Categorical(["nan", "NaN"], ["nan", "NaN"], ordered=True))
            ),
            InvalidInputError,
            "its ordered categories repeats a level",
        ),
        Case(
            survey,
            "a bad constructor parameter",
            "SurveyPreprocessor(max_categories=0).fit(X)",
            _survey_fit(_frame(a=[1.0, 2.0]), max_categories=0),
            InvalidParameterError,
            "The 'max_categories' parameter of SurveyPreprocessor must be",
        ),
        Case(
            survey,
            "transform before fit",
            "SurveyPreprocessor().transform(X)",
            lambda: SurveyPreprocessor().transform(_frame(a=[1.0])),
            NotFittedError,
            "This SurveyPreprocessor instance is not fitted yet",
        ),
        # ------------------------------------------------- BehaviorAggregator
        Case(
            behaviour,
            "user_col not in X",
            "BehaviorAggregator('user').fit(X)",
            lambda: BehaviorAggregator("user").fit(_frame(id=["a", "b"])),
            InvalidInputError,
            "user_col='user' is not a column of X",
        ),
        Case(
            behaviour,
            "rows without a user id",
            "BehaviorAggregator('user', rating_col='stars').fit_transform(X)",
            lambda: BehaviorAggregator("user", rating_col="stars").fit_transform(
                _frame(user=["a", None, "b", "a"], stars=[1.0, 2.0, 3.0, 5.0])
            ),
            DataDroppedWarning,
            "1 row(s) without a user id ('user') are left out",
            "the rows are left out, counted in missing_",
        ),
        Case(
            behaviour,
            "no row with a user id",
            "BehaviorAggregator('user').fit(X)",
            lambda: BehaviorAggregator("user").fit(_frame(user=[None, None])),
            InvalidInputError,
            "no row of X has a user id in 'user'",
        ),
        Case(
            behaviour,
            "a user without any rating",
            "BehaviorAggregator('user', rating_col='stars').fit_transform(X)",
            lambda: BehaviorAggregator("user", rating_col="stars").fit_transform(
                _frame(user=["a", "b", "c"], stars=[4.0, np.nan, 2.0])
            ),
            DataDroppedWarning,
            "1 user(s) have no value for 'mean_rating'",
            "their rating features are NaN (not available), counted in missing_",
            check=lambda users: (
                users.loc["b"].isna().all()
                and users.drop(index="b").notna().all().all()
            ),
        ),
        Case(
            behaviour,
            "text in a numeric column",
            "BehaviorAggregator('user', spend_col='paid').fit(X)",
            lambda: BehaviorAggregator("user", spend_col="paid").fit(
                _frame(user=["a", "b"], paid=["10", "ten"])
            ),
            InputTypeError,
            "column 'paid' must hold numbers",
        ),
        Case(
            behaviour,
            "an infinite amount",
            "BehaviorAggregator('user', spend_col='paid').fit(X)",
            lambda: BehaviorAggregator("user", spend_col="paid").fit(
                _frame(user=["a", "b"], paid=[1.0, np.inf])
            ),
            InvalidInputError,
            "column 'paid' holds 1 infinite value(s)",
        ),
        Case(
            behaviour,
            "amounts whose total is beyond the largest float",
            "BehaviorAggregator('user', spend_col='paid').fit(X)",
            lambda: BehaviorAggregator("user", spend_col="paid").fit(
                _frame(user=["a", "a", "b"], paid=[1e308, 1e308, 1.0])
            ),
            InvalidInputError,
            "the feature 'total_spend' of 1 user(s) is beyond",
        ),
        Case(
            behaviour,
            "category_level when every category is missing",
            "BehaviorAggregator('user', rating_col='stars', category_col='cat', "
            "category_level=1).fit_transform(X)",
            lambda: BehaviorAggregator(
                "user", rating_col="stars", category_col="cat", category_level=1
            ).fit_transform(
                _frame(user=["a", "b"], stars=[1.0, 2.0], cat=[None, None])
            ),
            DataDroppedWarning,
            "'category_breadth'",
            "the breadth is 0 for everyone: constant, left out and named",
        ),
        Case(
            behaviour,
            "a single user",
            "BehaviorAggregator('user').fit(X)",
            lambda: BehaviorAggregator("user").fit(_frame(user=["a", "a"])),
            InvalidInputError,
            "at least 2 users are needed",
        ),
        # ---------------------------------------------------- ChurnRiskScorer
        Case(
            churn,
            "text columns (supervised)",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                _frame(plan=["a", "b"] * 3), [0, 1] * 3
            ),
            InvalidInputError,
            "column(s) 'plan' hold text or categories",
        ),
        Case(
            churn,
            "NaN (supervised, default candidates)",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                _frame(a=[1.0, np.nan] * 3), [0, 1] * 3
            ),
            InvalidInputError,
            "impute first",
        ),
        Case(
            churn,
            "values near 1e308 (supervised)",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                _frame(a=[-1e308, 1.0] * 3), [0, 1] * 3
            ),
            InvalidInputError,
            "column(s) 'a' of X hold values beyond 1e+150",
        ),
        Case(
            churn,
            "y with one label",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(_frame(a=[1.0, 2.0]), [1, 1]),
            InvalidInputError,
            "y holds one class only",
        ),
        Case(
            churn,
            "y with a missing label",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(_frame(a=[1.0, 2.0]), [1, None]),
            InvalidInputError,
            "y has 1 missing label(s)",
        ),
        Case(
            churn,
            "y of another length",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                _frame(a=[1.0, 2.0, 3.0]), [0, 1]
            ),
            InvalidInputError,
            "inconsistent numbers of samples",
        ),
        Case(
            churn,
            "fewer churners than folds",
            "ChurnRiskScorer('supervised').fit(X, y)",
            lambda: ChurnRiskScorer("supervised").fit(
                _frame(a=np.arange(8.0)), [0] * 7 + [1]
            ),
            InvalidInputError,
            "in y, the rarer class has 1 customer(s); cv=5",
        ),
        Case(
            churn,
            "text labels that say nothing of churn",
            "ChurnRiskScorer(classifier=LogisticRegression(), cv=3).fit(X, y)",
            lambda: ChurnRiskScorer(
                classifier=LogisticRegression(), cv=3, random_state=0
            ).fit(_frame(a=np.arange(12.0)), ["A", "B"] * 6),
            LabelWarning,
            "took 'B' of the labels ['A', 'B'] to mean churned",
            "the second label in sorted order is taken to mean churned",
        ),
        Case(
            churn,
            "rules: a customer who answered none of the rules' columns",
            "ChurnRiskScorer('rules', rules=rules).fit(X).predict_risk(X)",
            lambda: (
                ChurnRiskScorer("rules", rules=_RULES)
                .fit(_ANSWERS)
                .predict_risk(_ANSWERS)
            ),
            DataDroppedWarning,
            "and 1 answered none (risk not available: NaN)",
            "risk NaN (risk_band 'not available') for that customer only; the "
            "others over the rules they answered, even with weights 1e308 apart",
            check=lambda risk: (
                np.isnan(risk).tolist() == [False, False, False, True]
                and risk[:3].tolist() == [1.0, 0.0, 1.0]
            ),
        ),
        Case(
            churn,
            "rules: text compared with a numeric column",
            "ChurnRiskScorer('rules', rules=[...'value': 'low'...]).fit(X)",
            lambda: ChurnRiskScorer(
                "rules",
                rules=[
                    {
                        "name": "r",
                        "column": "score",
                        "op": "==",
                        "value": "low",
                        "weight": 1,
                    }
                ],
            ).fit(_ANSWERS),
            InvalidInputError,
            "compares the numeric column 'score' with text 'low'",
        ),
        Case(
            churn,
            "bgnbd: X is no RFM summary",
            "ChurnRiskScorer('bgnbd').fit(X)",
            lambda: ChurnRiskScorer("bgnbd").fit(_frame(a=[1.0, 2.0])),
            InvalidInputError,
            "lacks the column(s) 'frequency', 'recency', 'T'",
        ),
        # ------------------------------------------------------------- CLV
        Case(
            clv,
            "1 customer",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary().iloc[:1]),
            InvalidInputError,
            "n_samples=1; X needs a row per customer",
        ),
        Case(
            clv,
            "a negative value",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary(T=[12.0, 40.0, -1.0, 20.0])),
            InvalidInputError,
            "column 'T' has 1 negative value(s)",
        ),
        Case(
            clv,
            "missing values",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary(T=[12.0, np.nan, 38.0, 20.0])),
            InvalidInputError,
            "column 'T' has 1 missing or infinite value(s)",
        ),
        Case(
            clv,
            "an infinite value",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary(T=[12.0, np.inf, 38.0, 20.0])),
            InvalidInputError,
            "column 'T' holds 1 infinite value(s)",
        ),
        Case(
            clv,
            "recency after T",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary(recency=[0.0, 50.0, 30.0, 4.0])),
            InvalidInputError,
            "'recency' is greater than 'T' for 1 customer(s)",
        ),
        Case(
            clv,
            "a frequency that is no whole number",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(_summary(frequency=[0.0, 2.5, 5.0, 1.0])),
            InvalidInputError,
            "must hold whole numbers",
        ),
        Case(
            clv,
            "fewer than 2 customers with a repeat purchase (spend model)",
            "CLVEstimator().fit(X)",
            lambda: CLVEstimator().fit(
                _summary(frequency=[0.0, 0.0, 0.0, 1.0], recency=[0.0, 0.0, 0.0, 4.0])
            ),
            InvalidInputError,
            "the spend model needs at least 2 customers",
        ),
        Case(
            clv,
            "nobody bought again",
            "CLVEstimator(spend_model=None).fit(X)",
            lambda: CLVEstimator(spend_model=None).fit(
                _summary(frequency=0.0, recency=0.0)
            ),
            FitWarning,
            "the BG/NBD fit is unreliable",
            "the fit is kept, flagged unreliable; its predictions stay finite "
            "(about 0 purchases)",
            check=lambda model: np.isfinite(
                model.predict_purchases(_summary(frequency=0.0, recency=0.0), 52.0)
            ).all(),
        ),
        Case(
            clv,
            "parameters that ran off in fit (2 customers)",
            "clv.predict_purchases(X, 52)",
            lambda: _fitted_clv(
                _frame(frequency=[3.0, 3.0], recency=[2.0, 4.0], T=[5.0, 5.0])
            ).predict_purchases(
                _frame(frequency=[3.0, 3.0], recency=[2.0, 4.0], T=[5.0, 5.0]), 52.0
            ),
            DataDroppedWarning,
            "cannot be computed with the fitted parameters",
            "NaN (not available) for those customers, counted; fit warned (FitWarning)",
            check=lambda expected: np.isnan(expected).all(),
        ),
        Case(
            clv,
            "a negative time",
            "clv.predict_purchases(X, -1)",
            lambda: _fitted_clv().predict_purchases(_summary(), -1.0),
            InvalidInputError,
            "t must be finite and >= 0",
        ),
        Case(
            clv,
            "evaluate_clv without holdout columns",
            "evaluate_clv(clv, summary)",
            lambda: evaluate_clv(_fitted_clv(), _summary()),
            InvalidInputError,
            "summary lacks 'frequency_holdout', 'duration_holdout'",
        ),
        Case(
            clv,
            "evaluate_clv with an infinite holdout count",
            "evaluate_clv(clv, summary)",
            lambda: evaluate_clv(
                _fitted_clv(),
                _summary(
                    frequency_holdout=[0.0, np.inf, 1.0, 0.0], duration_holdout=10.0
                ),
            ),
            InvalidInputError,
            "column 'frequency_holdout' holds 1 infinite value(s)",
        ),
        Case(
            clv,
            "evaluate_clv with a negative holdout count",
            "evaluate_clv(clv, summary)",
            lambda: evaluate_clv(
                _fitted_clv(),
                _summary(
                    frequency_holdout=[0.0, -1.0, 1.0, 0.0], duration_holdout=10.0
                ),
            ),
            InvalidInputError,
            "column 'frequency_holdout' has 0 missing and 1 negative",
        ),
        Case(
            clv,
            "evaluate_clv given no CLVEstimator",
            "evaluate_clv('model', summary)",
            lambda: evaluate_clv("model", _summary()),
            InputTypeError,
            "estimator must be a fitted CLVEstimator; got str",
        ),
        Case(
            clv,
            "heuristic_clv with a missing value",
            "heuristic_clv(X)",
            lambda: heuristic_clv(
                _frame(
                    average_order_value=[40.0, np.nan], purchase_frequency=[1.0, 2.0]
                )
            ),
            InvalidInputError,
            "column 'average_order_value' has 1 missing",
        ),
        Case(
            clv,
            "heuristic_clv with an infinite lifespan",
            "heuristic_clv(X, lifespan=inf)",
            lambda: heuristic_clv(
                _frame(average_order_value=[40.0], purchase_frequency=[0.0]),
                lifespan=np.inf,
            ),
            InvalidInputError,
            "lifespan must be a finite positive number; got inf",
        ),
        Case(
            clv,
            "heuristic_clv beyond the largest float",
            "heuristic_clv(X)",
            lambda: heuristic_clv(
                _frame(average_order_value=[1e300], purchase_frequency=[1e10])
            ),
            InvalidInputError,
            "is beyond the largest float",
        ),
        # ------------------------------------------------------- rfm_summary
        Case(
            rfm,
            "a dict instead of a DataFrame",
            "rfm_summary(log, 'customer', 'date')",
            lambda: rfm_summary({"customer": ["a"]}, "customer", "date"),
            InputTypeError,
            "transactions must be a pandas or dask DataFrame",
        ),
        Case(
            rfm,
            "dates stored as numbers",
            "rfm_summary(log, 'customer', 'date')",
            lambda: rfm_summary(
                _frame(customer=["a"], date=[20240101]), "customer", "date"
            ),
            InputTypeError,
            "datetime_col 'date' holds numbers",
        ),
        Case(
            rfm,
            "text that is no date",
            "rfm_summary(log, 'customer', 'date')",
            lambda: rfm_summary(
                _frame(customer=["a"], date=["someday"]), "customer", "date"
            ),
            InputTypeError,
            "datetime_col 'date' holds values that are not dates",
        ),
        Case(
            rfm,
            "missing ids, returns and missing amounts",
            "rfm_summary(log, 'customer', 'date', 'amount')",
            lambda: rfm_summary(_LOG, "customer", "date", "amount"),
            DataDroppedWarning,
            "1 dropped: missing customer id or date",
            "those lines are dropped, counted in attrs['dropped']",
            check=lambda summary: summary.index.tolist() == ["a"],
        ),
        Case(
            rfm,
            "an infinite amount",
            "rfm_summary(log, 'customer', 'date', 'amount')",
            lambda: rfm_summary(
                _LOG.assign(amount=[1.0, np.inf, 1.0, 1.0, 1.0]),
                "customer",
                "date",
                "amount",
            ),
            InvalidInputError,
            "column 'amount' holds 1 infinite value(s)",
        ),
        Case(
            rfm,
            "no line left",
            "rfm_summary(log, 'customer', 'date')",
            lambda: rfm_summary(_LOG.iloc[:0], "customer", "date"),
            InvalidInputError,
            "no purchase line is left to summarise (transactions",
        ),
        Case(
            rfm,
            "calibration end after the observation end",
            "rfm_summary(log, ..., calibration_period_end='2025-01-01')",
            lambda: rfm_summary(
                _LOG.iloc[:2], "customer", "date", calibration_period_end="2025-01-01"
            ),
            InvalidInputError,
            "must be before the observation end",
        ),
        # ---------------------------------------------------- SegmentProfiler
        Case(
            profiler,
            "summarize: NaN values",
            "profiler.summarize(values)",
            lambda: _profiler(_frame(a=[1.0, 2.0, 3.0, 4.0]), [0, 0, 1, 1]).summarize(
                [0.1, np.nan, 0.5, 0.7], "risk"
            ),
            DataDroppedWarning,
            "1 of the 4 value(s) of 'risk' are NaN",
            "left out of the statistics; n counts the values used",
            check=lambda table: table["n"].tolist() == [1, 2],
        ),
        Case(
            profiler,
            "summarize: an infinite value",
            "profiler.summarize(values)",
            lambda: _profiler(_frame(a=[1.0, 2.0, 3.0, 4.0]), [0, 0, 1, 1]).summarize(
                [0.1, np.inf, 0.5, 0.7]
            ),
            InvalidInputError,
            "values holds 1 infinite value(s)",
        ),
        Case(
            profiler,
            "summarize: a list among the values",
            "profiler.summarize(values)",
            lambda: _profiler(_frame(a=[1.0, 2.0]), [0, 1]).summarize([0.1, [1, 2]]),
            InvalidInputError,
            "values must be one number per customer",
        ),
        Case(
            profiler,
            "summarize: one customer",
            "profiler.summarize(values)",
            lambda: _profiler(_frame(a=["x"]), [0]).summarize([0.5]),
            None,
            "",
            "the mean is given; the standard deviation and interval are NaN "
            "(not available below two values)",
            check=lambda table: (
                table["mean"].tolist() == [0.5] and np.isnan(table["std"]).all()
            ),
        ),
        Case(
            profiler,
            "huge numbers with tiny spread within segments",
            "SegmentProfiler(...).fit(X).tests_",
            lambda: (
                _profiler(
                    _frame(v=[0.0, 0.0, 1e30, 1e30 + 1e15, 2**70, 2**70]),
                    [0, 0, 1, 1, 2, 2],
                ).tests_
            ),
            None,
            "",
            "every test has a p-value (ANOVA sums of squares in two passes)",
            check=lambda tests: tests["p_value"].notna().all(),
        ),
        # --------------------------------------------------------------- KPIs
        Case(
            kpis,
            "drivers: target not a column",
            "drivers(X, 'kpi')",
            lambda: drivers(_frame(a=[1, 2]), "kpi"),
            InvalidInputError,
            "target 'kpi' is not a column of X",
        ),
        Case(
            kpis,
            "drivers: X holds only the target",
            "drivers(X, 'kpi')",
            lambda: drivers(_frame(kpi=[1, 2]), "kpi"),
            InvalidInputError,
            "X has no column besides the target 'kpi'",
        ),
        Case(
            kpis,
            "drivers: rows without a target value",
            "drivers(X, 'kpi')",
            lambda: drivers(
                _frame(a=["x", "y", "x", "y"], kpi=[1.0, 2.0, np.nan, 4.0]), "kpi"
            ),
            DataDroppedWarning,
            "1 row(s) without a value of target 'kpi'",
            "those rows are left out, counted",
            check=lambda table: table["count"].sum() == 3,
        ),
        Case(
            kpis,
            "drivers: a text target without an order",
            "drivers(X, 'kpi')",
            lambda: drivers(_frame(a=[1, 2, 3], kpi=["red", "blue", "red"]), "kpi"),
            InputTypeError,
            "target 'kpi' was read as 'nominal'",
        ),
        Case(
            kpis,
            "drivers: duplicated column names",
            "drivers(X, 'kpi')",
            lambda: drivers(
                pd.DataFrame([[1, 2, 3]] * 3, columns=["a", "a", "kpi"]), "kpi"
            ),
            InvalidInputError,
            "drivers: SurveyPreprocessor.fit: column names must be",
        ),
        Case(
            kpis,
            "nps: text scores",
            "nps(scores)",
            lambda: nps([10, "ten"]),
            InputTypeError,
            "scores must be numbers; found ['ten']",
        ),
        Case(
            kpis,
            "nps: booleans",
            "nps(scores)",
            lambda: nps([10, True]),
            InputTypeError,
            "scores must be numbers; found [True]",
        ),
        Case(
            kpis,
            "nps: an infinite score",
            "nps(scores)",
            lambda: nps([10, np.inf]),
            InvalidInputError,
            "scores hold 1 infinite value(s)",
        ),
        Case(
            kpis,
            "nps: detractors not below promoters",
            "nps(scores, 6, 9)",
            lambda: nps([10], 6, 9),
            InvalidInputError,
            "detractors (9) must be below promoters (6)",
        ),
        Case(
            kpis,
            "nps: no score at all",
            "nps([None, None])",
            lambda: nps([None, None]),
            None,
            "",
            "n is 0 and the shares and score are NaN (not available)",
            check=lambda result: result["n"] == 0 and np.isnan(result["nps"]),
        ),
        Case(
            kpis,
            "nps: missing groups",
            "nps(scores, by=['a', None, 'a'])",
            lambda: nps([10, 0, 9], by=["a", None, "a"]),
            None,
            "",
            "a missing group is a group of its own; no score is lost",
            check=lambda table: table["n"].sum() == 3,
        ),
        Case(
            kpis,
            "nps: no group",
            "nps([], by=[])",
            lambda: nps([], by=[]),
            None,
            "",
            "an empty table with the usual columns",
            check=lambda table: len(table) == 0 and "nps" in table.columns,
        ),
        # ------------------------------------------------------------ plots
        Case(
            plots,
            "text in X",
            "plot_segments_2d(X, labels)",
            lambda: _plot(_frame(a=[1.0, 2.0], b=["x", "y"]), [0, 1]),
            InputTypeError,
            "plot_segments_2d: X must hold numbers",
        ),
        Case(
            plots,
            "NaN in X",
            "plot_segments_2d(X, labels)",
            lambda: _plot(_frame(a=[1.0, 2.0, 3.0], b=[0.0, np.nan, 1.0]), [0, 1, 1]),
            InvalidInputError,
            "column(s) 'b' of X hold NaN, infinite or too large values",
        ),
        Case(
            plots,
            "labels of several types, one missing",
            "plot_segments_2d(X, labels)",
            lambda: _plot(_frame(a=[1.0, 2.0, 3.0], b=[0.0, 5.0, 1.0]), [0, "a", None]),
            None,
            "",
            "one colour per label, None included",
            check=lambda ax: len(ax.collections) == 3,
        ),
        # ------------------------------------------------------- generators
        Case(
            data,
            "make_survey: n_customers=0",
            "make_survey(0)",
            lambda: make_survey(0),
            InvalidInputError,
            "n_customers must be an int in the range [1,",
        ),
        Case(
            data,
            "make_survey: n_customers beyond any array",
            "make_survey(2**70)",
            lambda: make_survey(2**70),
            InvalidInputError,
            "n_customers must be at most",
        ),
        Case(
            data,
            "make_survey: missing_rate=1",
            "make_survey(missing_rate=1)",
            lambda: make_survey(10, missing_rate=1),
            InvalidInputError,
            "missing_rate must be a real number in the range [0, 1)",
        ),
        Case(
            data,
            "make_purchase_summary: T that is no range",
            "make_purchase_summary(T='ab')",
            lambda: make_purchase_summary(10, T="ab"),
            InvalidInputError,
            "T must be a finite positive number or a range",
        ),
        Case(
            data,
            "make_purchase_summary: an infinite parameter",
            "make_purchase_summary(alpha=inf)",
            lambda: make_purchase_summary(10, alpha=np.inf),
            InvalidInputError,
            "alpha must be a finite positive number; got inf",
        ),
        Case(
            data,
            "make_purchase_summary: endless purchases",
            "make_purchase_summary(r=1e157)",
            lambda: make_purchase_summary(10, r=1e157),
            InvalidInputError,
            "purchases expected per customer over the observation",
        ),
        Case(
            data,
            "make_purchase_summary: n_customers beyond any array",
            "make_purchase_summary(2**62)",
            lambda: make_purchase_summary(2**62),
            InvalidInputError,
            "n_customers must be >= 1 (and fit in an array)",
        ),
    ]


CASES = _cases()


@dataclass
class Outcome:
    """What a case did: its result or error, and the warnings it gave."""

    result: object = None
    error: BaseException | None = None
    warnings: tuple = ()

    def message(self, case):
        """The message of the expected error or warning (the first that matches)."""
        if self.error is not None:
            return str(self.error)
        for warning in self.warnings:
            if isinstance(warning.message, case.expect or ()) and (
                case.fragment in str(warning.message)
            ):
                return str(warning.message)
        return None


@cache
def outcome_of(index):
    """Run case ``index`` of CASES (once per process)."""
    case = CASES[index]
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome.result = case.run()
        except Exception as exc:
            outcome.error = exc
    outcome.warnings = tuple(caught)
    return outcome


def _cell(text):
    """Text for a table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code(text):
    text = _cell(text)
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if text else ""


HEADER = """\
# Bad input: the catalogue

<!-- Generated by `python tests/bad_input_catalogue.py` from the cases in
tests/bad_input_catalogue.py; tests/test_bad_input.py fails when this page
is stale. Do not edit by hand. -->

Every bad input custseg was tried with, and what it does with each: the
error it raises, or the warning it gives and what is then left out or "not
available". Each row below is a test (`tests/test_bad_input.py` runs it and
checks the class and the message); the messages are the real ones. Beyond
these explicit cases, `tests/test_fuzz.py` feeds every public estimator and
function with generated tables (see "Fuzzing" at the end).

This page is generated: after changing a case or a message, run
`python tests/bad_input_catalogue.py` (or `--check` to only compare).

## What custseg raises and warns

Every error custseg raises on purpose derives from `CustsegError` and from
the matching built-in class, so `except ValueError` keeps working:

| class | also a | when |
|---|---|---|
| `CustsegError` | `Exception` | base of every error below |
| `InvalidInputError` | `ValueError` | the data has the right type but unusable content: a missing or empty column, NaN or infinite values where numbers are needed, too few rows, a bad value of a data-dependent parameter |
| `InputTypeError` | `TypeError` | the data has a type custseg cannot work with: text where numbers are needed, dicts as answers, sparse matrices, column names of mixed types |
| `DatasetNotFoundError` | `FileNotFoundError` | a data set file is not in the data home (the message says which file, where it belongs and where it comes from) |
| `DatasetIntegrityError` | `ValueError` | a data set file is there but its SHA-256 checksum does not match |
| `UntrustedTypeError` | `TypeError` | `custseg.load`: the model file names a type outside custseg's known-safe list (nothing from the file was run; see [Saving and loading models](persistence.md)) |

Messages follow one pattern: who complains (class and method, or function),
which column or parameter, what was found and what was expected. An error
raised by a step custseg runs for you says so: `drivers: SurveyPreprocessor.fit: ...`.

Two scikit-learn errors are part of the contract too, as in every
scikit-learn estimator:

- `sklearn.utils._param_validation.InvalidParameterError` (a `ValueError`
  and a `TypeError`) for a constructor parameter of the wrong type or out of
  its range, raised by `fit`; its message names the parameter, the value and
  what is allowed.
- `sklearn.exceptions.NotFittedError` (a `ValueError` and an
  `AttributeError`) for `predict`, `transform` and the like before `fit`.

The generators of `custseg.datasets` refuse sizes that no array can hold;
a size that an array can hold but the memory cannot is numpy's
`MemoryError`.

Warnings derive from `CustsegWarning` (a `UserWarning`), so one filter
silences them all; custseg's own test suite turns them into errors:

| class | when |
|---|---|
| `CustsegWarning` | base of every warning below |
| `DataDroppedWarning` | rows, columns, answers or values were left out, replaced or are "not available"; the message says what, how many and why |
| `FitWarning` | a model fit did not converge or its parameters ran off to the edge of the search: its estimates are not to be trusted |
| `LabelWarning` | custseg had to assume which label means what (say it with `pos_label`) |
| `InconsistentVersionWarning` | `custseg.load`: the model was saved with other versions of custseg or scikit-learn |

## "Not available": the only NaN custseg returns

custseg never invents a number. Where one cannot be given, the output holds
NaN, and the call says so with a `DataDroppedWarning` that counts the cases
(or, in statistics tables, a count or a reason stands beside it):

- `ChurnRiskScorer(method="rules")`: the risk of a customer who answered
  none of the rules' columns (`risk_band` says "not available", `predict`
  gives NaN, `explain` says "no answer to any rule's column");
- `BehaviorAggregator`: the features of a user without any value of the
  column behind them (a user who never rated: `mean_rating`, `rating_std`,
  `engagement_score`);
- `CLVEstimator` predictions that cannot be computed with the fitted
  parameters (parameters that ran off in `fit`, which gave a `FitWarning`;
  a time `t` beyond about 1e15 periods; the spend of customers with
  `p * x + q <= 1` when the Gamma-Gamma fit has `q <= 1`);
- `SegmentProfiler.summarize`: NaN values given are left out (warned) and
  counted in `n`;
- statistics that do not exist for the data, beside the count that explains
  them: a mean where `n` is 0, a standard deviation or interval where `n` is
  below 2 (`profile_`, `summarize`), a test that cannot be computed, with
  its `reason` (`tests_`; in `drivers` the effect of a column with a single
  answer or a constant target), the shares and score of `nps` where `n` is
  0, the correlation of `evaluate_clv` when predictions or actual purchases
  do not vary, the scores of a candidate that failed in
  `ClusterSelector.results_`, with its `reason`.

Infinite statistics have one meaning: perfect separation. A segment whose
answers do not vary and differ from the rest has an infinite effect
(`profile_`) and an infinite ANOVA F with p-value 0 (`tests_`).
"""

FOOTER = """\
## Fuzzing

`tests/test_fuzz.py` feeds every public estimator and function
(`BehaviorAggregator`, `CLVEstimator`, `ChurnRiskScorer` with each method,
`ClusterSelector`, `SegmentProfiler` with drawn segments and `summarize`,
`SurveyPreprocessor`, the Pipeline `SurveyPreprocessor -> ClusterSelector`,
`drivers`, `evaluate_clv`, `heuristic_clv`, `nps`, `rfm_summary`,
`make_survey`, `make_purchase_summary`, `plot_segments_2d`) with tables
drawn by the hypothesis
strategies of `tests/strategies.py`: integers, floats, booleans, text,
categoricals, object columns mixing numbers and text, date-times; NaN, None,
`pd.NA` and NaT; odd text ("", " ", unicode, "nan", "1e309", 500
characters); ±inf, ±1e308, -0.0, 5e-324, the largest 64-bit integers and
Python integers beyond them; 0 rows, 1 row, 0 columns, constant and empty
columns, duplicated index labels, column names that are integers, "" or
duplicated. Each call must succeed with finite numbers (NaN only as listed
above, warned about), warn whenever something is dropped, leave its input
unchanged, or raise one of the errors above with a message naming who
complains and a column or parameter.

The examples are fixed (hypothesis' "ci" profile in `tests/conftest.py`:
derandomized, no example database), so every run tries the same ones. For a
longer hunt with new examples on each run:

```bash
CUSTSEG_HYPOTHESIS_PROFILE=explore CUSTSEG_FUZZ_SCALE=10 python -m pytest tests/test_fuzz.py
```
"""


def render():
    """The whole page: the header, one table per area, the fuzzing notes."""
    parts = [HEADER]
    areas = list(dict.fromkeys(case.area for case in CASES))
    for area in areas:
        parts.append(f"## {area}\n")
        parts.append("| bad input | call | what custseg does | message |")
        parts.append("|---|---|---|---|")
        for index, case in enumerate(CASES):
            if case.area != area:
                continue
            outcome = outcome_of(index)
            if case.expect is None:
                does = f"succeeds: {case.outcome}"
            elif issubclass(case.expect, Warning):
                does = f"`{case.expect.__name__}`: {case.outcome}"
            else:
                does = f"raises `{case.expect.__name__}`"
            message = outcome.message(case) if case.expect is not None else None
            parts.append(
                f"| {_cell(case.given)} | {_code(case.call)} | {_cell(does)} | "
                f"{_code(message or '')} |"
            )
        parts.append("")
    parts.append(FOOTER)
    return "\n".join(parts)


def main(argv):
    page = render()
    if "--check" in argv:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != page:
            print(f"{PAGE} is stale; run: python tests/bad_input_catalogue.py")
            return 1
        return 0
    PAGE.write_text(page, encoding="utf-8")
    print(f"wrote {PAGE} ({len(CASES)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
