"""Loader of the bank customer churn data (10,000 customers, labelled)."""

import pandas as pd
from sklearn.utils import Bunch

from ._base import _DataFile, _verified_path

_CHURN_FILE = _DataFile(
    subfolder="bank_churn",
    filename="Churn_Modelling.csv",
    sha256="a7e7a4137c0b624c52e964f1e6cfa3d32e14c0f2bdd849a6c52486527894cf9d",
    description=(
        'the "Churn Modelling" bank customer churn data (10,000 customers, 14 '
        "columns, label Exited), a widely used public Kaggle data set"
    ),
    url="https://www.kaggle.com/datasets/shrutimechlearn/churn-modelling",
)

TARGET = "Exited"
IDENTIFIERS = ("RowNumber", "CustomerId", "Surname")

_DESCR = """\
Bank customer churn ("Churn Modelling")
---------------------------------------
10,000 customers of a European bank, 14 columns: the identifiers RowNumber,
CustomerId and Surname; CreditScore, Geography (France, Germany, Spain),
Gender, Age, Tenure (years), Balance, NumOfProducts, HasCrCard,
IsActiveMember, EstimatedSalary; and the label Exited (1: the customer left
the bank; 2,037 of 10,000). No missing values.
"""


def load_bank_churn(*, data_home=None, return_X_y=False, return_bunch=False):
    """Load the bank customer churn data (10,000 customers, label ``Exited``).

    The file ``bank_churn/Churn_Modelling.csv`` is read from the data home
    after its SHA-256 checksum is verified; custseg does not download it.

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    return_X_y : bool, default=False
        Return ``(X, y)``: the features without the identifiers (RowNumber,
        CustomerId, Surname) and the label, indexed by CustomerId.
    return_bunch : bool, default=False
        Return a :class:`~sklearn.utils.Bunch` with ``frame``, ``data``,
        ``target``, ``DESCR``, ``filename``, ``sha256`` and ``url``.

    Returns
    -------
    frame : DataFrame of shape (10000, 14)
        The whole file, unchanged (by default).

    Raises
    ------
    DatasetNotFoundError
        If the file is missing; the message gives the full path expected.
    DatasetIntegrityError
        If the file's checksum differs.
    """
    path = _verified_path(_CHURN_FILE, data_home)
    frame = pd.read_csv(path)
    if not (return_X_y or return_bunch):
        return frame
    indexed = frame.set_index("CustomerId")
    X = indexed.drop(columns=[TARGET, "RowNumber", "Surname"])
    y = indexed[TARGET]
    if return_X_y:
        return X, y
    return Bunch(
        frame=frame,
        data=X,
        target=y,
        DESCR=_DESCR,
        filename=str(path),
        sha256=_CHURN_FILE.sha256,
        url=_CHURN_FILE.url,
    )
