"""Loader of the CDNOW data: 2,357 customers' CD purchases, 1997-1998."""

import pandas as pd
from sklearn.utils import Bunch

from ..exceptions import InvalidInputError
from ._base import _DataFile, _verified_path

_SOURCE = (
    "from the CDNOW data of Fader, Hardie and Lee (2005), as distributed "
    "by Bruce Hardie (brucehardie.com) and in the lifetimes package's "
    "datasets folder"
)
_URL = "http://www.brucehardie.com/datasets/"

_SUMMARY_FILE = _DataFile(
    subfolder="cdnow",
    filename="cdnow_customers_summary_with_transactions.csv",
    sha256="7ddd11b55be3227edfc1d58675154e96971b0de3ad37ddd9280d1dba154b8b2f",
    description=(
        "the 2,357-customer CDNOW calibration summary with mean repeat spend "
        "(columns ID, x, t_x, T, zbar), " + _SOURCE
    ),
    url=_URL,
)
_TRANSACTIONS_FILE = _DataFile(
    subfolder="cdnow",
    filename="CDNOW_sample.txt",
    sha256="6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a",
    description=(
        "the transaction log of the 2,357-customer CDNOW sample (whitespace-"
        "separated, no header: master id, sample id, date YYYYMMDD, number of "
        "CDs, dollar value), " + _SOURCE
    ),
    url=_URL,
)

_DESCR = """\
CDNOW
-----
The customers who made their first purchase at the online CD retailer
CDNOW in the first quarter of 1997, observed to the end of June 1998 (78
weeks): the 1/10 systematic sample of 2,357 customers used by Fader, Hardie
and Lee (2005) and Fader and Hardie (2013).

kind="summary": one row per customer, over the 39-week calibration period,
in weeks: frequency (repeat purchases), recency (week of the last repeat
purchase, from the first purchase), T (weeks from the first purchase to the
end of week 39), monetary_value (mean dollar value of the repeat purchases;
0 without one).

kind="transactions": the 6,919 purchases behind it: customer_id (the sample
id, 1..2357), date, quantity (CDs) and amount (dollars).
"""


def load_cdnow(kind="summary", *, data_home=None, return_bunch=False):
    """Load the CDNOW data (2,357 customers), as a summary or a transaction log.

    The files are read from ``<data home>/cdnow/`` after their SHA-256
    checksums are verified; custseg does not download them.

    Parameters
    ----------
    kind : {"summary", "transactions"}, default="summary"
        ``"summary"``: one row per customer over the 39-week calibration
        period, in weeks (``frequency``, ``recency``, ``T``,
        ``monetary_value``), indexed by ``customer_id``. ``"transactions"``:
        the raw log (``customer_id``, ``date``, ``quantity``, ``amount``).
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    return_bunch : bool, default=False
        Return a :class:`~sklearn.utils.Bunch` with ``frame``, ``DESCR``,
        ``filename``, ``sha256`` and ``url`` instead of the frame.

    Returns
    -------
    frame : DataFrame
        The summary (2,357 rows) or the log (6,919 rows).

    Raises
    ------
    InvalidInputError
        If ``kind`` is not one of the two.
    DatasetNotFoundError
        If the file is missing; the message gives the full path expected.
    DatasetIntegrityError
        If the file's checksum differs.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your
    customers" the easy way: an alternative to the Pareto/NBD model.
    *Marketing Science* 24(2), 275-284.
    """
    if kind == "summary":
        data_file = _SUMMARY_FILE
        path = _verified_path(data_file, data_home)
        raw = pd.read_csv(path)
        frame = pd.DataFrame(
            {
                "frequency": raw["x"].astype("float64"),
                "recency": raw["t_x"].astype("float64"),
                "T": raw["T"].astype("float64"),
                "monetary_value": raw["zbar"].astype("float64"),
            }
        ).set_axis(pd.Index(raw["ID"], name="customer_id"))
    elif kind == "transactions":
        data_file = _TRANSACTIONS_FILE
        path = _verified_path(data_file, data_home)
        raw = pd.read_csv(
            path,
            sep=r"\s+",
            header=None,
            names=["master_id", "customer_id", "date", "quantity", "amount"],
            dtype={"master_id": str},
        )
        frame = pd.DataFrame(
            {
                "customer_id": raw["customer_id"],
                "date": pd.to_datetime(raw["date"].astype(str), format="%Y%m%d"),
                "quantity": raw["quantity"],
                "amount": raw["amount"].astype("float64"),
            }
        )
    else:
        raise InvalidInputError(
            f"load_cdnow: kind is {kind!r}; expected 'summary' or 'transactions'."
        )
    if not return_bunch:
        return frame
    return Bunch(
        frame=frame,
        DESCR=_DESCR,
        filename=str(path),
        sha256=data_file.sha256,
        url=data_file.url,
    )
