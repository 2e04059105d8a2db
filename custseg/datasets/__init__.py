"""Data sets: loaders of real data files and a synthetic survey generator.

custseg never downloads data. Each real data set is a file that you obtain
once from its source and put in the *data home*, a folder chosen, in order
of precedence, by:

1. the ``data_home`` argument of the loader;
2. the ``CUSTSEG_DATA_HOME`` environment variable;
3. ``~/custseg_data``.

Inside the data home each data set has its own folder, the same layout as
the project's shared data folder::

    <data home>/
        amazon_sales/
            amazon.csv
        amazon_survey/
            amazon_consumer_behaviour_survey.csv
        bank_churn/
            Churn_Modelling.csv
        cdnow/
            cdnow_customers_summary_with_transactions.csv
            CDNOW_sample.txt

Loaders check each file's SHA-256 checksum and, when a file is missing, say
exactly which file is needed, the full path where it is expected and where
to get it. :func:`make_survey` needs no file: it generates synthetic answers
with the columns and vocabularies of the Amazon survey and planted segments.
"""

from ._amazon_sales import load_amazon_sales
from ._amazon_survey import load_amazon_survey
from ._bank_churn import load_bank_churn
from ._base import get_data_home
from ._cdnow import load_cdnow
from ._purchases import make_purchase_summary
from ._synthetic import make_survey

__all__ = [
    "get_data_home",
    "load_amazon_sales",
    "load_amazon_survey",
    "load_bank_churn",
    "load_cdnow",
    "make_purchase_summary",
    "make_survey",
]
