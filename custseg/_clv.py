"""CLVEstimator: purchases, P(alive), spend and lifetime value of customers."""

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._btyd import (
    BGNBD_PARAMS,
    GAMMA_GAMMA_PARAMS,
    PARETO_NBD_PARAMS,
    bgnbd_discounted_purchases,
    bgnbd_expected_purchases,
    bgnbd_log_likelihood,
    bgnbd_probability_alive,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_pareto_nbd,
    gamma_gamma_expected_spend,
    pareto_nbd_discounted_purchases,
    pareto_nbd_expected_purchases,
    pareto_nbd_log_likelihood,
    pareto_nbd_probability_alive,
)
from ._state import PandasFreeState
from ._validation import (
    caller_stacklevel,
    check_frame,
    format_values,
    is_finite_number,
    numeric_column,
)
from .exceptions import DataDroppedWarning, FitWarning, InvalidInputError

SUMMARY_COLUMNS = ("frequency", "recency", "T")
# Most discounting steps predict takes (each is a pass over the customers).
MAX_STEPS = 10_000
# per purchase model: its name, parameters, fit, log-likelihood, P(alive),
# expected purchases
_MODELS = {
    "bgnbd": (
        "BG/NBD",
        BGNBD_PARAMS,
        fit_bgnbd,
        bgnbd_log_likelihood,
        bgnbd_probability_alive,
        bgnbd_expected_purchases,
    ),
    "pareto_nbd": (
        "Pareto/NBD",
        PARETO_NBD_PARAMS,
        fit_pareto_nbd,
        pareto_nbd_log_likelihood,
        pareto_nbd_probability_alive,
        pareto_nbd_expected_purchases,
    ),
}
MONETARY_COLUMN = "monetary_value"
# Largest repeat-purchase count: floats hold whole numbers exactly up to 2**53.
MAX_FREQUENCY = 2.0**53


class CLVEstimator(PandasFreeState, BaseEstimator):
    """Expected purchases, P(alive), spend and lifetime value (BG/NBD, Gamma-Gamma).

    X is an RFM summary, one row per customer, as :func:`~custseg.rfm_summary`
    makes it: ``frequency`` (repeat purchases), ``recency`` (time from the
    first purchase to the last), ``T`` (time from the first purchase to the
    end of the observation) and, for spend and value, ``monetary_value``
    (mean value of the repeat purchases). An array is read in that column
    order. Purchases follow the BG/NBD model (Fader, Hardie and Lee, 2005;
    the default) or the Pareto/NBD model, spend the Gamma-Gamma model (Fader
    and Hardie, 2013), all fitted by maximum likelihood (analytic gradients
    for the BG/NBD and Gamma-Gamma).

    Parameters
    ----------
    model : {"bgnbd", "pareto_nbd"}, default="bgnbd"
        Model of purchase counts: BG/NBD (customers may drop out after a
        purchase; fast, analytic gradients) or Pareto/NBD (customers may
        drop out at any time; Schmittlein, Morrison and Colombo, 1987; its
        gradient is numerical, and it is slower on large data).
    horizon : float, default=52
        Length of the future over which :meth:`predict` sums the value, in
        the time unit of X (52 weeks: a year of a weekly summary).
    discount_rate : float, default=0.0
        Discount rate per ``step``.
    step : float, default=1.0
        Length of a discounting step in the time unit of X (for example
        4.345 weeks for monthly discounting).
    spend_model : {"gamma_gamma"} or None, default="gamma_gamma"
        Model of spend; None fits purchases only (then :meth:`predict` and
        :meth:`predict_spend` are unavailable).

    Attributes
    ----------
    params_ : DataFrame
        One row per parameter (``model``, ``estimate``, ``standard_error``).
    log_likelihood_ : float
        Of the purchase model, summed over the customers.
    spend_log_likelihood_ : float or None
        Of the spend model, over the customers with repeat purchases.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your
    customers" the easy way. *Marketing Science* 24(2), 275-284.

    Fader, P. S. and Hardie, B. G. S. (2013). The Gamma-Gamma model of
    monetary value. http://www.brucehardie.com/notes/025/

    Examples
    --------
    >>> from custseg import CLVEstimator
    >>> from custseg.datasets import make_purchase_summary
    >>> summary = make_purchase_summary(2000, random_state=0)
    >>> clv = CLVEstimator(spend_model=None).fit(summary)
    >>> clv.params_.index.tolist()
    ['r', 'alpha', 'a', 'b']
    >>> clv.predict_proba_alive(summary).shape
    (2000,)
    """

    _parameter_constraints = {
        "model": [StrOptions(set(_MODELS))],
        "horizon": [Interval(Real, 0, None, closed="neither")],
        "discount_rate": [Interval(Real, 0, None, closed="left")],
        "step": [Interval(Real, 0, None, closed="neither")],
        "spend_model": [StrOptions({"gamma_gamma"}), None],
    }

    def __init__(
        self,
        model="bgnbd",
        *,
        horizon=52,
        discount_rate=0.0,
        step=1.0,
        spend_model="gamma_gamma",
    ):
        self.model = model
        self.horizon = horizon
        self.discount_rate = discount_rate
        self.step = step
        self.spend_model = spend_model

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the purchase model (and the spend model) to an RFM summary.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_customers, 3 or 4)
            The summary (see the class description).
        y : None
            Ignored.

        Returns
        -------
        self : CLVEstimator
        """
        x, t_x, T, m = self._summary(X, reset=True, method="fit")
        label, names, fit, *_ = _MODELS[self.model]
        x_whole = np.round(x)
        if np.any(x != x_whole):
            raise InvalidInputError(
                "CLVEstimator.fit: the frequency column must hold whole numbers "
                f"(repeat purchases); found {format_values(np.unique(x[x != x_whole]))}."
            )
        purchases = fit(x, t_x, T)
        _warn_fit(label, purchases)
        rows = [
            (label, name, purchases.params[name], purchases.standard_errors[name])
            for name in names
        ]
        spend = None
        if self.spend_model is not None:
            if m is None:
                raise InvalidInputError(
                    "CLVEstimator.fit: spend_model='gamma_gamma' needs the column "
                    f"{MONETARY_COLUMN!r} (mean value of the repeat purchases); pass "
                    "it, or spend_model=None to model purchases only."
                )
            repeat = x > 0
            if repeat.sum() < 2:
                raise InvalidInputError(
                    "CLVEstimator.fit: the spend model needs at least 2 customers "
                    "with repeat purchases (rows of X with 'frequency' > 0); found "
                    f"{int(repeat.sum())}."
                )
            bad = repeat & ~(m > 0)
            if bad.any():
                raise InvalidInputError(
                    f"CLVEstimator.fit: column {MONETARY_COLUMN!r} must be > 0 for "
                    f"customers with repeat purchases (Gamma-Gamma); found "
                    f"{int(bad.sum())} such customer(s) with "
                    f"{format_values(np.unique(m[bad]))}."
                )
            spend = fit_gamma_gamma(x[repeat], m[repeat])
            _warn_fit("Gamma-Gamma", spend)
            if spend.params["q"] <= 1:
                warnings.warn(
                    f"CLVEstimator.fit: the Gamma-Gamma fit has q = "
                    f"{spend.params['q']:.3g} <= 1: spend varies so much between "
                    "customers that the population's mean spend is infinite; "
                    "predict_spend is NaN for customers with p * x + q <= 1 (all "
                    "customers without a repeat purchase).",
                    FitWarning,
                    stacklevel=3,
                )
            rows += [
                ("Gamma-Gamma", name, spend.params[name], spend.standard_errors[name])
                for name in GAMMA_GAMMA_PARAMS
            ]
        self.params_ = pd.DataFrame(
            rows, columns=["model", "parameter", "estimate", "standard_error"]
        ).set_index("parameter")
        self.log_likelihood_ = purchases.log_likelihood
        self.spend_log_likelihood_ = None if spend is None else spend.log_likelihood
        self._purchases = [purchases.params[n] for n in names]
        self.model_ = self.model
        self._spend = (
            None if spend is None else [spend.params[n] for n in GAMMA_GAMMA_PARAMS]
        )
        return self

    def _summary(self, X, reset, method):
        frame = check_frame(self, X, reset=reset, method=method)
        who = f"CLVEstimator.{method}"
        if method == "fit" and len(frame) < 2:
            raise InvalidInputError(
                f"{who}: n_samples={len(frame)}; X needs a row per customer, and a "
                "model of a customer base needs at least 2 customers."
            )
        if isinstance(X, pd.DataFrame):
            frame = X  # by name, even when fitted on an array
            missing = [c for c in SUMMARY_COLUMNS if c not in frame.columns]
            if missing:
                raise InvalidInputError(
                    f"{who}: X lacks the column(s) {format_values(missing)}; expected "
                    f"an RFM summary with {format_values(SUMMARY_COLUMNS)} (and "
                    f"{MONETARY_COLUMN!r}), as rfm_summary makes it."
                )
            names = list(SUMMARY_COLUMNS) + (
                [MONETARY_COLUMN] if MONETARY_COLUMN in frame.columns else []
            )
        else:
            if frame.shape[1] not in (3, 4):
                raise InvalidInputError(
                    f"{who}: X has {frame.shape[1]} feature(s); an array X must have "
                    "3 or 4 columns (frequency, recency, T[, monetary_value])."
                )
            names = list(frame.columns)
        values = []
        for name in names:
            value = numeric_column(who, frame[name], name)
            if not np.isfinite(value).all():
                raise InvalidInputError(
                    f"{who}: column {name!r} has {int((~np.isfinite(value)).sum())} "
                    "missing or infinite value(s); expected finite numbers."
                )
            if (value < 0).any():
                raise InvalidInputError(
                    f"Negative values in data passed to {who}: column {name!r} has "
                    f"{int((value < 0).sum())} negative value(s) (lowest "
                    f"{value.min():g}); expected values >= 0."
                )
            values.append(value)
        x, t_x, T = values[:3]
        m = values[3] if len(values) == 4 else None
        labels = names[:3]
        if (x > MAX_FREQUENCY).any():
            raise InvalidInputError(
                f"{who}: column {labels[0]!r} has {int((x > MAX_FREQUENCY).sum())} "
                f"count(s) beyond 2**53 (largest {x.max():.3g}), which floats cannot "
                "hold exactly; expected repeat purchases as whole numbers."
            )
        late = t_x > T
        if late.any():
            raise InvalidInputError(
                f"{who}: {labels[1]!r} is greater than {labels[2]!r} for "
                f"{int(late.sum())} customer(s); the last purchase cannot come after "
                "the end of the observation."
            )
        stuck = (x > 0) & (t_x == 0)
        if stuck.any():
            raise InvalidInputError(
                f"{who}: {int(stuck.sum())} customer(s) have {labels[0]!r} > 0 but "
                f"{labels[1]!r} 0; a repeat purchase comes after the first one."
            )
        ghost = (x == 0) & (t_x > 0)
        if ghost.any():
            raise InvalidInputError(
                f"{who}: {int(ghost.sum())} customer(s) have {labels[0]!r} 0 but "
                f"{labels[1]!r} > 0; without a repeat purchase the recency is 0."
            )
        return x, t_x, T, m

    def predict_purchases(self, X, t):
        """Expected purchases of each customer in the next ``t`` periods."""
        check_is_fitted(self, "params_")
        x, t_x, T, _ = self._summary(X, reset=False, method="predict_purchases")
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise InvalidInputError(
                "CLVEstimator.predict_purchases: t must be finite and >= 0 (the "
                f"length of the future); got {format_values(np.unique(t[~(t >= 0)]))}."
            )
        expected = _MODELS[self.model_][5](self._purchases, t, x, t_x, T)
        return self._available("predict_purchases", expected, "the expected purchases")

    def predict_proba_alive(self, X):
        """Probability that each customer is still active at the end of ``T``."""
        check_is_fitted(self, "params_")
        x, t_x, T, _ = self._summary(X, reset=False, method="predict_proba_alive")
        alive = _MODELS[self.model_][4](self._purchases, x, t_x, T)
        return self._available("predict_proba_alive", alive, "P(alive)")

    def predict_spend(self, X):
        """Expected mean value of each customer's future purchases."""
        check_is_fitted(self, "params_")
        x, _, _, m = self._summary(X, reset=False, method="predict_spend")
        self._check_spend("predict_spend", m)
        spend = gamma_gamma_expected_spend(self._spend, x, m)
        return self._available("predict_spend", spend, "the expected spend")

    def predict(self, X):
        """Lifetime value of each customer over ``horizon``, discounted.

        The sum over discounting steps k = 1, 2, ... up to ``horizon`` of the
        purchases expected in step k, times the expected spend, divided by
        ``(1 + discount_rate) ** k``.
        """
        check_is_fitted(self, "params_")
        x, t_x, T, m = self._summary(X, reset=False, method="predict")
        self._check_spend("predict", m)
        spend = gamma_gamma_expected_spend(self._spend, x, m)
        n_steps = int(np.ceil(self.horizon / self.step - 1e-9))
        if n_steps > MAX_STEPS:
            raise InvalidInputError(
                f"CLVEstimator.predict: horizon / step gives {n_steps:,} discounting "
                f"steps; expected at most {MAX_STEPS:,}. Use a longer step."
            )
        ends = np.minimum(np.arange(1, n_steps + 1) * self.step, self.horizon)
        discounts = (1 + self.discount_rate) ** -np.arange(1, n_steps + 1, dtype=float)
        if self.model_ == "bgnbd":
            purchases = bgnbd_discounted_purchases(
                self._purchases, ends, discounts, x, t_x, T
            )
        else:
            purchases = pareto_nbd_discounted_purchases(
                self._purchases, ends, discounts, x, t_x, T
            )
        return self._available("predict", purchases * spend, "the lifetime value")

    def score(self, X, y=None):
        """Mean log-likelihood of the customers under the purchase model."""
        check_is_fitted(self, "params_")
        x, t_x, T, _ = self._summary(X, reset=False, method="score")
        return float(np.mean(_MODELS[self.model_][3](self._purchases, x, t_x, T)))

    def _available(self, method, values, what):
        """``values``, NaN (counted and warned about) where they are not finite.

        Parameters that ran off in ``fit`` (see its ``FitWarning``) or a time
        ``t`` beyond about 1e15 periods can make a prediction impossible to
        compute (an overflow in the model's functions), and a Gamma-Gamma fit
        with q <= 1 has no expected spend for some customers: such customers
        get NaN, "not available", never an invented number.
        """
        values = np.asarray(values, dtype=np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            values = np.where(bad, np.nan, values)
            estimates = ", ".join(
                f"{name}={value:.3g}"
                for name, value in self.params_["estimate"].items()
            )
            if method in ("predict", "predict_spend") and self._spend[1] <= 1:
                cause = (
                    "the Gamma-Gamma fit has q <= 1, and there is no expected "
                    "spend where p * x + q <= 1 (see the FitWarning of fit)"
                )
            else:
                cause = (
                    "usual causes: parameters that ran off in fit (see its "
                    "FitWarning; fit on more customers), or a time t so far ahead "
                    "that t / (alpha + T + t) rounds to 1"
                )
            warnings.warn(
                f"CLVEstimator.{method}: {what} of {int(bad.sum())} of the "
                f"{values.size} customer(s) cannot be computed with the fitted "
                f"parameters ({estimates}); they are NaN (not available): {cause}.",
                DataDroppedWarning,
                stacklevel=caller_stacklevel(),
            )
        return values

    def _check_spend(self, method, m):
        if self._spend is None:
            raise InvalidInputError(
                f"CLVEstimator.{method}: fitted with spend_model=None; there is no "
                "spend model. Fit with spend_model='gamma_gamma'."
            )
        if m is None:
            raise InvalidInputError(
                f"CLVEstimator.{method}: X lacks {MONETARY_COLUMN!r}, needed for spend."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.requires_fit = True
        return tags


def _warn_fit(model, fit):
    problems = []
    if not fit.converged:
        reason = fit.message
        if "ABNORMAL" in reason:
            reason = (
                "the line search could not improve the likelihood (scipy: "
                f"{fit.message!r}), usually because it is flat or cannot be computed "
                "near the edge of the parameters"
            )
        problems.append(f"the optimiser stopped: {reason}")
    if not np.isfinite(fit.log_likelihood):
        problems.append("the log-likelihood at the result is not finite")
    huge = [n for n, v in fit.params.items() if not 1e-6 < v < 1e6]
    if huge and not fit.at_bound:
        problems.append(
            f"parameter(s) {format_values(huge)} ran off beyond 1e-6..1e6: the data "
            "do not pin them down (for example nobody drops out)"
        )
    flat = [n for n, v in fit.standard_errors.items() if not np.isfinite(v)]
    if flat:
        problems.append(
            f"no standard error for {format_values(flat)}: the likelihood is flat "
            "in that direction"
        )
    if fit.at_bound:
        problems.append(
            f"parameter(s) {format_values(fit.at_bound)} ran to the edge of the "
            "search (e**-20 or e**20): the data do not pin them down"
        )
    if problems:
        warnings.warn(
            f"CLVEstimator.fit: the {model} fit is unreliable: "
            + "; ".join(problems)
            + ".",
            FitWarning,
            stacklevel=4,
        )


def heuristic_clv(
    X,
    *,
    order_value_col="average_order_value",
    frequency_col="purchase_frequency",
    lifespan=36,
):
    """The heuristic lifetime value: average order value x frequency x lifespan.

    **A heuristic, not a model**: it assumes every customer keeps buying at
    the same rate for exactly ``lifespan`` periods, with no dropout, no
    discounting and no uncertainty. It is the formula of the segmentation
    custseg grew from, for users who know each customer's average order
    value and purchase frequency but have no transaction history. With
    transactions, use :func:`rfm_summary` and :class:`CLVEstimator`.

    Parameters
    ----------
    X : DataFrame
        One row per customer.
    order_value_col : str, default="average_order_value"
        Column of the average value of an order.
    frequency_col : str, default="purchase_frequency"
        Column of the orders per period (for example per month).
    lifespan : float, default=36
        Periods a customer is assumed to stay (36 months in the seed).

    Returns
    -------
    value : Series
        Named ``"clv_heuristic"``, with ``attrs["method"]`` saying how it
        was computed.

    Raises
    ------
    InvalidInputError
        If a column is missing or holds missing or negative values, or
        ``lifespan`` is not positive.
    InputTypeError
        If a column does not hold numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> from custseg import heuristic_clv
    >>> customers = pd.DataFrame({"average_order_value": [40.0, 25.0],
    ...                           "purchase_frequency": [0.5, 2.0]})
    >>> heuristic_clv(customers, lifespan=12).tolist()
    [240.0, 600.0]
    """
    who = "heuristic_clv"
    if not isinstance(X, pd.DataFrame):
        raise InvalidInputError(
            f"{who}: X must be a DataFrame; got {type(X).__name__}."
        )
    if not (is_finite_number(lifespan) and lifespan > 0):
        raise InvalidInputError(
            f"{who}: lifespan must be a finite positive number; got {lifespan!r}."
        )
    values = []
    for name in (order_value_col, frequency_col):
        if name not in X.columns:
            raise InvalidInputError(
                f"{who}: X has no column {name!r}; its columns are "
                f"{format_values(list(X.columns), limit=10)}."
            )
        value = numeric_column(who, X[name], name)
        if np.isnan(value).any() or (value < 0).any():
            raise InvalidInputError(
                f"{who}: column {name!r} has {int(np.isnan(value).sum())} missing and "
                f"{int((value < 0).sum())} negative value(s); expected numbers >= 0 "
                "(custseg does not invent values for missing ones)."
            )
        values.append(value)
    with np.errstate(over="ignore"):
        product = values[0] * values[1] * float(lifespan)
    overflow = np.isinf(product)
    if overflow.any():
        raise InvalidInputError(
            f"{who}: {order_value_col!r} x {frequency_col!r} x lifespan is beyond "
            f"the largest float (about 1.8e308) for {int(overflow.sum())} "
            "customer(s); expected smaller numbers (rescale a column, for example "
            "to thousands)."
        )
    value = pd.Series(product, index=X.index, name="clv_heuristic")
    value.attrs["method"] = (
        f"heuristic: {order_value_col} x {frequency_col} x {lifespan:g} periods "
        "(no dropout, no discounting, no uncertainty)"
    )
    return value
