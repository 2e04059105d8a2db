"""custseg: customer segmentation as scikit-learn estimators.

custseg turns customer data (survey answers, orders, reviews) into segments,
segment profiles, churn risk and customer lifetime value, with estimators
that drop into a scikit-learn ``Pipeline``.
"""

from ._behavior import BehaviorAggregator
from ._churn import ChurnRiskScorer
from ._clv import CLVEstimator, heuristic_clv
from ._clv_evaluation import evaluate_clv
from ._drivers import drivers, nps
from ._persist import load, save
from ._personas import DEFAULT_ACTION_RULES
from ._profile import SegmentProfiler
from ._rfm import rfm_summary
from ._selection import ClusterSelector
from ._survey import SurveyPreprocessor

__version__ = "0.1.0.dev0"

__all__ = [
    "BehaviorAggregator",
    "CLVEstimator",
    "ChurnRiskScorer",
    "DEFAULT_ACTION_RULES",
    "ClusterSelector",
    "SegmentProfiler",
    "SurveyPreprocessor",
    "__version__",
    "drivers",
    "evaluate_clv",
    "heuristic_clv",
    "load",
    "nps",
    "rfm_summary",
    "save",
]
