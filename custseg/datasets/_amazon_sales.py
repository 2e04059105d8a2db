"""Loader of the Kaggle "Amazon Sales" product and review table (1,465 rows)."""

import warnings

import numpy as np
import pandas as pd

from ..exceptions import DataDroppedWarning, DatasetIntegrityError
from ._base import _DataFile, _verified_path

_SALES_FILE = _DataFile(
    subfolder="amazon_sales",
    filename="amazon.csv",
    sha256="4ba126c4ba8edd35e62e94ce1c853073d832de380184ab4f5f97d1e314882c77",
    description=(
        'the Kaggle "Amazon Sales Dataset" (karkavelrajaj/amazon-sales-dataset), '
        "file amazon.csv: 1,465 product rows with prices, ratings and "
        "comma-joined lists of reviewers"
    ),
    url="https://www.kaggle.com/datasets/karkavelrajaj/amazon-sales-dataset",
)

# Columns whose cells are comma-joined lists, one entry per reviewer. The ids
# split safely; names, titles and texts contain commas and do not.
REVIEWER_COLUMNS = ("user_id", "review_id")
UNSPLITTABLE_COLUMNS = ("user_name", "review_title", "review_content")


def load_amazon_sales(*, data_home=None, explode_reviewers=False):
    """Load the Amazon Sales product and review table, with numbers parsed.

    The file ``amazon_sales/amazon.csv`` is read from the data home after
    its SHA-256 checksum is verified; custseg does not download it. Text is
    parsed into numbers:

    - ``discounted_price``, ``actual_price``: "₹1,099" → 1099.0 (rupees);
    - ``discount_percentage``: "64%" → 64.0 (a 0-100 scale);
    - ``rating``: "4.2" → 4.2; the one "|" becomes missing (a
      ``DataDroppedWarning`` says so; it is not filled in);
    - ``rating_count``: Indian digit grouping "1,79,691" → 179691 (nullable
      integers; 2 rows have none).

    Parameters
    ----------
    data_home : str or path-like, default=None
        See :func:`get_data_home`.
    explode_reviewers : bool, default=False
        False: one row per product row, as in the file; ``user_id`` holds
        the comma-joined list of up to 8 reviewer ids. True: one row per
        (reviewer, product row), ``user_id`` and ``review_id`` split in step
        (they line up one to one), so that a user is a person. The columns
        ``user_name``, ``review_title`` and ``review_content`` are left out
        then, as their texts contain commas and cannot be split safely. A
        review listed again (the file repeats some product rows, and Amazon
        shows one review under every listing of a product, such as its
        colours) is kept once, with its first listing; a
        ``DataDroppedWarning`` counts the repeats.

    Returns
    -------
    frame : DataFrame
        1,465 rows and 16 columns, or 9,269 rows (one per review) and 13
        columns with ``explode_reviewers=True``. ``frame.attrs["dropped"]``
        counts what was set missing or left out. Note that ``rating``,
        ``rating_count``, the prices and the discount describe the
        *product* (its average rating, its listing), not what a reviewer
        gave or paid.

    Raises
    ------
    DatasetNotFoundError
        If the file is missing; the message gives the full path expected.
    DatasetIntegrityError
        If the file's checksum differs.

    Examples
    --------
    >>> from custseg.datasets import load_amazon_sales
    >>> sales = load_amazon_sales()  # doctest: +SKIP
    >>> sales.loc[0, ["discounted_price", "discount_percentage"]].tolist()  # doctest: +SKIP
    [399.0, 64.0]
    """
    path = _verified_path(_SALES_FILE, data_home)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = raw.copy()
    for column in ("discounted_price", "actual_price"):
        frame[column] = _number(raw[column].str.replace("₹", "", regex=False))
    frame["discount_percentage"] = _number(raw["discount_percentage"].str.rstrip("%"))
    rating = pd.to_numeric(raw["rating"], errors="coerce")
    unreadable = int((rating.isna() & (raw["rating"] != "")).sum())
    frame["rating"] = rating
    frame["rating_count"] = _number(raw["rating_count"]).astype("Int64")
    dropped = {"ratings that are not numbers (set missing)": unreadable}
    if unreadable:
        warnings.warn(
            f"load_amazon_sales: {unreadable} rating(s) that are not numbers "
            f"({', '.join(sorted(set(raw['rating'][rating.isna()])))!r}) are set "
            "missing.",
            DataDroppedWarning,
            stacklevel=2,
        )
    if explode_reviewers:
        frame, repeats = _explode(frame)
        dropped["rows repeating a review (kept once)"] = repeats
    frame.attrs["dropped"] = dropped
    return frame


def _number(text):
    """Numbers written with digit-group commas ("1,79,691"); "" is missing."""
    cleaned = text.str.replace(",", "", regex=False).replace("", np.nan)
    return pd.to_numeric(cleaned, errors="raise").astype(np.float64)


def _explode(frame):
    """One row per (reviewer, product row), the reviewer columns split in step."""
    users = frame["user_id"].str.split(",")
    reviews = frame["review_id"].str.split(",")
    uneven = users.str.len() != reviews.str.len()
    if uneven.any():
        raise DatasetIntegrityError(
            f"load_amazon_sales: user_id and review_id hold different numbers of "
            f"entries in {int(uneven.sum())} row(s) (first: row "
            f"{int(np.argmax(uneven.to_numpy()))}), so reviewers cannot be "
            "matched to their reviews."
        )
    counts = users.str.len().to_numpy()
    rows = np.repeat(np.arange(len(frame)), counts)
    kept = [c for c in frame.columns if c not in UNSPLITTABLE_COLUMNS]
    long = frame[kept].iloc[rows].reset_index(drop=True)
    long["user_id"] = np.concatenate(users.to_numpy())
    long["review_id"] = np.concatenate(reviews.to_numpy())
    # a review appears again under a repeated product row and under the
    # other listings (colours, sizes) of the same product: one event
    repeated = long.duplicated(["user_id", "review_id"])
    repeats = int(repeated.sum())
    if repeats:
        warnings.warn(
            f"load_amazon_sales: {repeats} row(s) repeat a review already listed "
            "(under a repeated product row or another listing of the product) "
            "and are left out; each review is kept once, with its first listing.",
            DataDroppedWarning,
            stacklevel=3,
        )
    return long[~repeated.to_numpy()].reset_index(drop=True), repeats
