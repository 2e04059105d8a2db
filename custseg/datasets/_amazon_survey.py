"""Loader of the Amazon Consumer Behaviour Survey (602 answers, 23 columns)."""

import pandas as pd
from sklearn.utils import Bunch

from ._base import _DataFile, _verified_path

_SURVEY_FILE = _DataFile(
    subfolder="amazon_survey",
    filename="amazon_consumer_behaviour_survey.csv",
    sha256="1f6fb51cf7f34e428838fe4c4238ea63ab1e1a51e7e2bdeab54be196b8fb0644",
    description=(
        "the Amazon Consumer Behaviour Survey from the Kaggle data set "
        "swathiunnikrishnan/amazon-consumer-behaviour-dataset, saved as a "
        "comma-separated UTF-8 file with snake_case column names (timestamp, "
        "age, gender, ..., improvement_areas) as listed in the custseg docs"
    ),
    url="https://www.kaggle.com/datasets/swathiunnikrishnan/amazon-consumer-behaviour-dataset",
)

# Column names and order of the survey file (and of make_survey's output).
_SURVEY_COLUMNS = (
    "timestamp",
    "age",
    "gender",
    "purchase_frequency",
    "purchase_categories",
    "personalized_recommendation_frequency",
    "browsing_frequency",
    "product_search_method",
    "search_result_exploration",
    "customer_reviews_importance",
    "add_to_cart_browsing",
    "cart_completion_frequency",
    "cart_abandonment_factors",
    "saveforlater_frequency",
    "review_left",
    "review_reliability",
    "review_helpfulness",
    "personalized_recommendation_frequency_1",
    "recommendation_helpfulness",
    "rating_accuracy",
    "shopping_satisfaction",
    "service_appreciation",
    "improvement_areas",
)

# Integer answers; every other column holds text.
_NUMERIC_COLUMNS = (
    "age",
    "customer_reviews_importance",
    "personalized_recommendation_frequency_1",
    "rating_accuracy",
    "shopping_satisfaction",
)

_TEXT_COLUMNS = tuple(c for c in _SURVEY_COLUMNS if c not in _NUMERIC_COLUMNS)

_DESCR = f"""\
Amazon Consumer Behaviour Survey
--------------------------------
Source: Kaggle data set swathiunnikrishnan/amazon-consumer-behaviour-dataset
({_SURVEY_FILE.url}),
with snake_case column names. Licence and terms of use: see the Kaggle page.
custseg does not redistribute the file.

602 answers of Amazon shoppers (collected June 2023), 23 columns:
- timestamp: when the form was submitted, raw text such as
  "2023/06/04 1:28:19 PM GMT+5:30" (not parsed);
- age (integer) and gender;
- shopping habits: purchase_frequency, purchase_categories (multi-select,
  ';'-separated), browsing_frequency, product_search_method,
  search_result_exploration, add_to_cart_browsing, cart_completion_frequency,
  cart_abandonment_factors, saveforlater_frequency;
- reviews and recommendations: personalized_recommendation_frequency,
  customer_reviews_importance (1-5), review_left, review_reliability,
  review_helpfulness, personalized_recommendation_frequency_1 (1-5),
  recommendation_helpfulness, rating_accuracy (1-5);
- satisfaction: shopping_satisfaction (1-5), service_appreciation,
  improvement_areas (free text).

Known quirks: product_search_method is missing in 2 answers (left missing);
a few answers carry trailing spaces ("Customer service "), stripped by the
loader; age ranges from 3 to 67, implausible values are kept as answered.
"""


def load_amazon_survey(*, data_home=None, return_bunch=False):
    """Load the Amazon Consumer Behaviour Survey (602 answers, 23 columns).

    The file ``amazon_survey/amazon_consumer_behaviour_survey.csv`` is read
    from the data home after its SHA-256 checksum is verified (once per
    process). custseg does not download it: get it from the Kaggle data set
    swathiunnikrishnan/amazon-consumer-behaviour-dataset and save it there
    with snake_case column names. The file is only read, never modified.

    The frame is cleaned lightly: leading and trailing white space is
    stripped from every text answer (``"Customer service "`` becomes
    ``"Customer service"``). Nothing else changes: missing answers stay
    missing (``product_search_method`` has 2), implausible ages (3 to 67)
    are kept, and ``timestamp`` is left as the raw text.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Data home folder; by default the ``CUSTSEG_DATA_HOME`` environment
        variable, else ``~/custseg_data``. See :func:`get_data_home`.
    return_bunch : bool, default=False
        If True, return a :class:`~sklearn.utils.Bunch` with the frame and a
        description of the data instead of the frame alone.

    Returns
    -------
    frame : pandas.DataFrame of shape (602, 23)
        One row per answer. ``age``, ``customer_reviews_importance``,
        ``personalized_recommendation_frequency_1``, ``rating_accuracy`` and
        ``shopping_satisfaction`` are int64; the other columns hold text with
        pandas' default string dtype. Returned when ``return_bunch=False``.
    data : sklearn.utils.Bunch
        Returned when ``return_bunch=True``, with fields:

        - ``frame``: the DataFrame above;
        - ``DESCR``: description of the source, the columns and the quirks;
        - ``filename``: full path of the file read, as a str;
        - ``sha256``: its verified SHA-256 checksum;
        - ``url``: the Kaggle page of the data set.

    Raises
    ------
    DatasetNotFoundError
        If the file is not in the data home; the message gives the full path
        expected and where to get the file.
    DatasetIntegrityError
        If the file's checksum differs from the expected one.

    See Also
    --------
    make_survey : Synthetic answers with the same columns and vocabularies.
    get_data_home : Where the file is looked for.

    Examples
    --------
    >>> from custseg.datasets import load_amazon_survey
    >>> survey = load_amazon_survey()
    >>> survey.shape
    (602, 23)
    >>> print(survey["shopping_satisfaction"].dtype)
    int64
    >>> int(survey["product_search_method"].isna().sum())
    2
    >>> data = load_amazon_survey(return_bunch=True)
    >>> sorted(data.keys())
    ['DESCR', 'filename', 'frame', 'sha256', 'url']
    """
    path = _verified_path(_SURVEY_FILE, data_home)
    frame = pd.read_csv(path, dtype=dict.fromkeys(_NUMERIC_COLUMNS, "int64"))
    for column in _TEXT_COLUMNS:  # a loop over columns; each strip is vectorised
        frame[column] = frame[column].str.strip()
    if not return_bunch:
        return frame
    return Bunch(
        frame=frame,
        DESCR=_DESCR,
        filename=str(path),
        sha256=_SURVEY_FILE.sha256,
        url=_SURVEY_FILE.url,
    )
