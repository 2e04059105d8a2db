"""BehaviorAggregator: a long activity log to one row of behaviour per user."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._state import PandasFreeState
from ._validation import (
    caller_stacklevel,
    check_frame,
    format_values,
    numeric_column,
)
from .exceptions import DataDroppedWarning, InputTypeError, InvalidInputError

# Every feature, in output order, and the parameter naming the column it
# needs (None: only the user column).
FEATURE_SOURCES = {
    "n_events": None,
    "mean_rating": "rating_col",
    "rating_std": "rating_col",
    "mean_discount": "discount_col",
    "mean_spend": "spend_col",
    "total_spend": "spend_col",
    "category_breadth": "category_col",
    "engagement_score": "rating_col",
}


# Values above this are scaled before their sums and squares (see
# _group_moments).
_HUGE = 1e150

# Above this many user x category cells, distinct categories are counted by
# sorting the (user, category) pairs rather than in a bitmap (64 MB).
_MAX_SEEN_CELLS = 1 << 26


class BehaviorAggregator(PandasFreeState, TransformerMixin, BaseEstimator):
    """Turn a long activity log into one row of behaviour per user.

    The log has one row per user and event (a review, an order, a product
    bought); ``transform`` returns one row per user, indexed by the user id
    in the order users first appear, with these features (each needs the
    column named in brackets; features whose column is not given are left
    out):

    ==================== =================================================
    ``n_events``         number of rows of the user
    ``mean_rating``      mean rating given [``rating_col``]
    ``rating_std``       spread of the user's ratings around their mean
                         (population SD; 0 for a single rating)
                         [``rating_col``]
    ``mean_discount``    mean discount taken [``discount_col``]
    ``mean_spend``       mean amount per event [``spend_col``]
    ``total_spend``      total amount [``spend_col``]
    ``category_breadth`` number of distinct categories [``category_col``]
    ``engagement_score`` ``n_events × mean_rating``: the events weighted by
                         how positive they were (the second seed project's
                         definition; an unrated event counts at the user's
                         mean rating) [``rating_col``]
    ==================== =================================================

    Missing values are left out of a user's means and counted; a user with
    no value of a column gets NaN for its features ("not available", with a
    :class:`~custseg.exceptions.DataDroppedWarning` counting those users;
    impute downstream, for example with ``SurveyPreprocessor``). Infinite
    values are an error. Rows without a user id are dropped, counted and
    warned about. Features constant over the users seen in ``fit`` carry no
    information for segmentation; with ``drop_constant`` they are removed,
    warned about and listed in ``dropped_features_``.

    Because it changes the rows (events in, users out), the aggregator is
    the first step of an unsupervised Pipeline; the users of its output are
    ``transform(X).index``.

    Parameters
    ----------
    user_col : str, default="user_id"
        Column holding the user id.
    rating_col, discount_col, spend_col : str, default=None
        Numeric columns of the rating given, the discount taken and the
        amount spent per event.
    category_col : str, default=None
        Column of the event's category.
    category_level : int, default=None
        For hierarchical categories such as "Electronics|Audio|Headphones":
        keep the first ``category_level`` levels (split on
        ``category_sep``); None keeps the whole category.
    category_sep : str, default="|"
        Separator of the category levels.
    features : list of str, default=None
        The features wanted, from those above; None: every feature whose
        column is given.
    drop_constant : bool, default=True
        Remove features constant over the users seen in ``fit``.

    Attributes
    ----------
    features_ : list of str
        The output features.
    dropped_features_ : list of str
        Features removed as constant.
    n_users_ : int
        Number of users seen in ``fit``.
    missing_ : dict
        What ``fit`` found missing: rows without a user id, and for each
        value column the number of missing values.
    n_features_in_ : int
        Number of columns of the log seen in ``fit``.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Names of the log's columns (when they are all strings).

    See Also
    --------
    SurveyPreprocessor : encodes the per-user table for clustering.
    ClusterSelector : chooses the number of segments.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import BehaviorAggregator
    >>> log = pd.DataFrame({
    ...     "user": ["ann", "bob", "ann", "cy"],
    ...     "stars": [5, 2, 3, 4],
    ...     "paid": [10.0, 99.0, 30.0, 15.0],
    ... })
    >>> aggregator = BehaviorAggregator("user", rating_col="stars", spend_col="paid")
    >>> print(aggregator.fit_transform(log).to_string())
          n_events  mean_rating  rating_std  mean_spend  total_spend  engagement_score
    user
    ann          2          4.0         1.0        20.0         40.0               8.0
    bob          1          2.0         0.0        99.0         99.0               2.0
    cy           1          4.0         0.0        15.0         15.0               4.0
    """

    _parameter_constraints = {
        "user_col": [str],
        "rating_col": [str, None],
        "discount_col": [str, None],
        "spend_col": [str, None],
        "category_col": [str, None],
        "category_level": [Interval(Integral, 1, None, closed="left"), None],
        "category_sep": [str],
        "features": [list, tuple, None],
        "drop_constant": ["boolean"],
    }

    def __init__(
        self,
        user_col="user_id",
        *,
        rating_col=None,
        discount_col=None,
        spend_col=None,
        category_col=None,
        category_level=None,
        category_sep="|",
        features=None,
        drop_constant=True,
    ):
        self.user_col = user_col
        self.rating_col = rating_col
        self.discount_col = discount_col
        self.spend_col = spend_col
        self.category_col = category_col
        self.category_level = category_level
        self.category_sep = category_sep
        self.features = features
        self.drop_constant = drop_constant

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Find the features and which of them are constant over the users.

        Parameters
        ----------
        X : DataFrame of shape (n_events, n_columns)
            The activity log.
        y : None
            Ignored.

        Returns
        -------
        self : BehaviorAggregator
            Fitted.
        """
        self._fit(X)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit, and return the users' behaviour (aggregating the log once).

        Parameters
        ----------
        X : DataFrame of shape (n_events, n_columns)
            The activity log.
        y : None
            Ignored.

        Returns
        -------
        users : DataFrame of shape (n_users, n_features)
            Indexed by user id.
        """
        return self._fit(X)[self.features_]

    def _fit(self, X):
        frame = check_frame(self, X, reset=True)
        wanted = self._wanted_features(frame)
        table, missing = self._aggregate(frame, wanted, "fit")
        if len(table) < 2:
            raise InvalidInputError(
                f"BehaviorAggregator.fit: X has {len(frame)} sample(s) from "
                f"{len(table)} user(s); at least 2 users are needed."
            )
        constant = []
        if self.drop_constant:
            constant = [name for name in wanted if table[name].nunique() <= 1]
        kept = [name for name in wanted if name not in constant]
        if not kept:
            raise InvalidInputError(
                f"BehaviorAggregator.fit: every feature ({format_values(wanted)}) is "
                f"constant over the {len(table)} users; expected at least one that "
                "varies."
            )
        if constant:
            warnings.warn(
                f"BehaviorAggregator.fit: the feature(s) {format_values(constant)} "
                f"are constant over the {len(table)} users and are left out.",
                DataDroppedWarning,
                stacklevel=caller_stacklevel(),
            )
        self.features_ = kept
        self.dropped_features_ = constant
        self.n_users_ = len(table)
        self.missing_ = missing
        return table

    def transform(self, X):
        """The behaviour of each user in the log.

        Parameters
        ----------
        X : DataFrame of shape (n_events, n_columns)
            An activity log with the columns seen in ``fit``.

        Returns
        -------
        users : DataFrame of shape (n_users, n_features)
            Indexed by user id, in the order users first appear.
        """
        check_is_fitted(self, "features_")
        frame = check_frame(self, X, reset=False, method="transform")
        table, _ = self._aggregate(frame, self.features_, "transform")
        return table[self.features_]

    def get_feature_names_out(self, input_features=None):
        """Names of the output features.

        Parameters
        ----------
        input_features : array-like of str, default=None
            The log's column names, checked against those seen in ``fit``;
            the output names do not depend on them.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self, "features_")
        _check_feature_names_in(self, input_features)
        return np.asarray(self.features_, dtype=object)

    # ------------------------------------------------------------- helpers
    def _wanted_features(self, frame):
        who = "BehaviorAggregator.fit"
        for parameter in ("user_col", "rating_col", "discount_col", "spend_col"):
            self._check_column(frame, parameter, who)
        self._check_column(frame, "category_col", who)
        available = [
            name
            for name, source in FEATURE_SOURCES.items()
            if source is None or getattr(self, source) is not None
        ]
        if self.features is None:
            return available
        unknown = [name for name in self.features if name not in FEATURE_SOURCES]
        if unknown:
            raise InvalidInputError(
                f"{who}: features names {format_values(unknown)}, which are not "
                f"features; expected some of {format_values(list(FEATURE_SOURCES))}."
            )
        lacking = [name for name in self.features if name not in available]
        if lacking:
            raise InvalidInputError(
                f"{who}: the feature(s) {format_values(lacking)} need "
                f"{format_values(sorted({FEATURE_SOURCES[n] for n in lacking}))}, "
                "which is not given."
            )
        return [name for name in FEATURE_SOURCES if name in self.features]

    def _check_column(self, frame, parameter, who):
        column = getattr(self, parameter)
        if column is not None and column not in frame.columns:
            raise InvalidInputError(
                f"{who}: {parameter}={column!r} is not a column of X; X has "
                f"{frame.shape[1]} feature(s): "
                f"{format_values(list(frame.columns), limit=10)}."
            )

    def _aggregate(self, frame, features, method):
        """The features of each user, and the counts of missing values."""
        who = f"BehaviorAggregator.{method}"
        users = frame[self.user_col]
        no_user = users.isna().to_numpy()
        missing = {"rows without a user id": int(no_user.sum())}
        if no_user.any():
            warnings.warn(
                f"{who}: {int(no_user.sum())} row(s) without a user id "
                f"({self.user_col!r}) are left out.",
                DataDroppedWarning,
                stacklevel=caller_stacklevel(),
            )
            frame = frame[~no_user]
            users = users[~no_user]
        if not len(frame):
            raise InvalidInputError(
                f"{who}: no row of X has a user id in {self.user_col!r} (all "
                f"{len(no_user)} are missing); expected rows with user ids."
            )
        try:
            codes, ids = pd.factorize(users, sort=False)
        except TypeError as exc:  # unhashable ids, such as lists
            raise InputTypeError(
                f"{who}: the user ids in {self.user_col!r} cannot be grouped: {exc}."
            ) from exc
        n_users = len(ids)
        n_events = np.bincount(codes, minlength=n_users)
        table = {"n_events": n_events}
        for parameter, column in (
            ("rating_col", self.rating_col),
            ("discount_col", self.discount_col),
            ("spend_col", self.spend_col),
        ):
            if column is None:
                continue
            values = numeric_column(who, frame[column], column, parse_text=True)
            missing[column] = int(np.isnan(values).sum())
            mean, total, spread = _group_moments(codes, values, n_users)
            if parameter == "rating_col":
                table["mean_rating"] = mean
                table["rating_std"] = spread
                table["engagement_score"] = n_events * mean
            elif parameter == "discount_col":
                table["mean_discount"] = mean
            else:
                table["mean_spend"] = mean
                table["total_spend"] = total
        if self.category_col is not None:
            categories = frame[self.category_col]
            missing[self.category_col] = int(categories.isna().sum())
            table["category_breadth"] = self._breadth(codes, categories, n_users)
        for name in features:
            overflow = np.isinf(np.asarray(table[name], dtype=np.float64))
            if overflow.any():
                source = getattr(self, FEATURE_SOURCES[name])
                raise InvalidInputError(
                    f"{who}: the feature {name!r} of {int(overflow.sum())} user(s) "
                    f"is beyond the largest float (about 1.8e308): the values of "
                    f"{source!r} are too large; expected smaller numbers (rescale "
                    "the column, for example to thousands)."
                )
        index = pd.Index(ids, name=self.user_col)
        out = pd.DataFrame({name: table[name] for name in features}, index=index)
        _warn_not_available(who, out, missing)
        return out, missing

    def _breadth(self, codes, categories, n_users):
        """Distinct categories per user (missing categories not counted)."""
        category_codes, uniques = pd.factorize(categories)
        if self.category_level is not None and len(uniques):
            # cut the distinct paths only (none when every category is missing), then merge those that became equal
            paths = pd.Series(uniques, dtype="string").str.split(self.category_sep)
            cut = paths.str[: self.category_level].str.join(self.category_sep)
            merged, uniques = pd.factorize(cut)
            category_codes = np.where(
                category_codes >= 0, merged[np.maximum(category_codes, 0)], -1
            )
        present = category_codes >= 0
        width = len(uniques) + 1
        pairs = codes[present].astype(np.int64) * width + category_codes[present]
        if n_users * width <= _MAX_SEEN_CELLS:  # a users x categories bitmap
            seen = np.zeros(n_users * width, dtype=bool)
            seen[pairs] = True
            return seen.reshape(n_users, width).sum(axis=1)
        return np.bincount(np.unique(pairs) // width, minlength=n_users)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        # counts come out as integers and means as float64, whatever the input
        tags.transformer_tags.preserves_dtype = []
        return tags


def _warn_not_available(who, out, missing):
    """Warn about users without any value of a column: their features are NaN."""
    unavailable = out.isna()
    users = int(unavailable.any(axis=1).sum())
    if not users:
        return
    features = [name for name in out.columns if unavailable[name].any()]
    counts = ", ".join(
        f"{n} in {column!r}"
        for column, n in missing.items()
        if n and column != "rows without a user id"
    )
    warnings.warn(
        f"{who}: {users} user(s) have no value for {format_values(features)}, "
        f"which are NaN (not available; missing values: {counts}); impute them "
        "downstream, for example with SurveyPreprocessor.",
        DataDroppedWarning,
        stacklevel=caller_stacklevel(),
    )


def _group_moments(codes, values, n_groups):
    """Per group: mean, total and population SD of the non-missing values.

    Huge values (beyond 1e150, whose sums or squares could overflow) are
    first divided by a power of two, which loses no digit of any but
    vanishingly small values (below about 1e-300 times the largest); only a
    total that does not fit in a float comes back infinite.
    """
    present = ~np.isnan(values)
    largest = float(np.max(np.abs(values[present]))) if present.any() else 0.0
    if largest > _HUGE:
        exponent = int(np.frexp(largest)[1])  # largest < 2**exponent
        moments = _group_moments(codes, np.ldexp(values, -exponent), n_groups)
        with np.errstate(over="ignore"):
            return tuple(np.ldexp(moment, exponent) for moment in moments)
    filled = np.where(present, values, 0.0)
    counts = np.bincount(codes, weights=present, minlength=n_groups)
    total = np.bincount(codes, weights=filled, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / counts
        deviation = np.where(present, values - mean[codes], 0.0)
        spread = np.sqrt(
            np.bincount(codes, weights=deviation**2, minlength=n_groups) / counts
        )
    # exactly 0 where a user's values are all equal (the sums above leave
    # rounding residue of about 1e-16 there)
    low = np.full(n_groups, np.inf)
    high = np.full(n_groups, -np.inf)
    np.minimum.at(low, codes[present], values[present])
    np.maximum.at(high, codes[present], values[present])
    spread[low == high] = 0.0
    total[counts == 0] = np.nan
    return mean, total, spread
