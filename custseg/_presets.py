"""Named parameter sets of :class:`~custseg.SurveyPreprocessor`.

A preset is nothing but constructor arguments: the estimator it gives is an
ordinary ``SurveyPreprocessor`` whose ``get_params()`` shows every choice,
and which ``clone`` copies like any other.
"""

import copy

from ._validation import format_values
from .exceptions import InvalidInputError

_FREQUENCY = ["Never", "Rarely", "Sometimes", "Often", "Always"]

_NOMINAL = [
    "gender",
    "purchase_frequency",
    "personalized_recommendation_frequency",
    "browsing_frequency",
    "product_search_method",
    "search_result_exploration",
    "add_to_cart_browsing",
    "review_left",
    "review_reliability",
    "review_helpfulness",
    "service_appreciation",
    "improvement_areas",
]

# The feature engineering of the first seed project (an Amazon-survey
# segmentation, documented in the reference REPRODUCTION.md, sections 1-4):
# - the 1-5 ratings enter twice, as numbers and as "<name>_num" copies;
# - two frequency answers enter as their Never..Always rank ("_num") and
#   one-hot;
# - recommendation_helpfulness (answers No / Sometimes / Yes) was ranked on
#   the Never..Always scale too, so only "Sometimes" got a rank (3) and
#   "Yes"/"No" became missing, later imputed with the median: a constant
#   column. This quirk is reproduced here, and only here, so that the
#   documented numbers can be reproduced; fitting warns about it;
# - three text columns (including the timestamp) enter as LDA topic weights;
# - numbers are median-imputed and standardised, answers most-frequent-
#   imputed and one-hot encoded.
_AMAZON_SEED = {
    "roles": {
        "timestamp": "text",
        "age": "numeric",
        "purchase_categories": "text",
        "cart_abandonment_factors": "text",
        "personalized_recommendation_frequency_1": "numeric",
        "customer_reviews_importance": ["numeric", "likert"],
        "rating_accuracy": ["numeric", "likert"],
        "shopping_satisfaction": ["numeric", "likert"],
        "cart_completion_frequency": ["ordinal", "nominal"],
        "saveforlater_frequency": ["ordinal", "nominal"],
        "recommendation_helpfulness": ["ordinal", "nominal"],
        **{column: "nominal" for column in _NOMINAL},
    },
    "orders": {
        "cart_completion_frequency": _FREQUENCY,
        "saveforlater_frequency": _FREQUENCY,
        "recommendation_helpfulness": _FREQUENCY,
    },
    "likert_scales": {
        "customer_reviews_importance": (1, 5),
        "rating_accuracy": (1, 5),
        "shopping_satisfaction": (1, 5),
    },
    "text_topics": {
        "timestamp": 6,
        "purchase_categories": 2,
        "cart_abandonment_factors": 2,
    },
    "imputation": {"numeric": "median", "likert": "median", "ordinal": "median"},
    "scale": "standard",
    "random_state": 42,
}

PRESETS = {"amazon_seed": _AMAZON_SEED}


def preset_parameters(name):
    """Constructor arguments of the preset ``name`` (a fresh copy).

    Raises
    ------
    InvalidInputError
        If there is no such preset.
    """
    if name not in PRESETS:
        raise InvalidInputError(
            f"Unknown preset {name!r}; expected one of {format_values(sorted(PRESETS))}."
        )
    return copy.deepcopy(PRESETS[name])
