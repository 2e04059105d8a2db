"""Buy-'til-you-die models: likelihoods, fits and predictions.

The BG/NBD model of purchase counts (Fader, Hardie and Lee, 2005) and the
Gamma-Gamma model of spend (Fader and Hardie, 2013), as plain functions on
numpy arrays of the RFM summary: ``x`` (repeat purchases), ``t_x`` (time of
the last one, from the first purchase), ``T`` (time from the first purchase
to the end of the observation). Every quantity is computed in log space, so
that huge frequencies stay finite; fits maximise the log-likelihood over the
logarithms of the parameters (which keeps them positive) with the analytic
gradient. Estimators (``CLVEstimator``, ``ChurnRiskScorer``) call these; the
numbers are computed here and nowhere else.

References
----------
Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your
customers" the easy way: an alternative to the Pareto/NBD model. *Marketing
Science* 24(2), 275-284.

Fader, P. S. and Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary
value. http://www.brucehardie.com/notes/025/
"""

import functools
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

BGNBD_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "gamma")

# Logarithms of the parameters are searched in this box: e**-20 .. e**20.
_LOG_BOUND = 20.0


@dataclass
class Fit:
    """The result of a maximum-likelihood fit.

    Attributes
    ----------
    params : dict of str to float
    standard_errors : dict of str to float
        From the inverse Hessian of the negative log-likelihood at the
        optimum (NaN when it is not invertible).
    log_likelihood : float
        Summed over the customers.
    converged : bool
    message : str
        The optimiser's message.
    at_bound : list of str
        Parameters that ran to the edge of the search box: the data do not
        pin them down (for example a model without dropout fits no-repeat
        data as well with any ``a``).
    """

    params: dict
    standard_errors: dict
    log_likelihood: float
    converged: bool
    message: str
    at_bound: list


# --------------------------------------------------------------- BG/NBD
def _bgnbd_terms(params, x, t_x, T):
    r, alpha, a, b = params
    log_a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    log_a2 = (
        special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    log_a3 = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_a4 = np.where(
            repeat,
            np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + t_x),
            -np.inf,
        )
    return log_a1, log_a2, log_a3, log_a4


def bgnbd_log_likelihood(params, x, t_x, T):
    """Per-customer BG/NBD log-likelihood.

    Parameters
    ----------
    params : sequence of 4 floats
        ``r``, ``alpha``, ``a``, ``b``.
    x, t_x, T : ndarray of float
        Repeat purchases, time of the last one, time observed.

    Returns
    -------
    log_likelihood : ndarray of float
    """
    log_a1, log_a2, log_a3, log_a4 = _bgnbd_terms(params, x, t_x, T)
    return log_a1 + log_a2 + np.logaddexp(log_a3, log_a4)


class _Counts:
    """A summary prepared for repeated likelihood evaluations.

    Terms that depend on the frequency alone (log-gamma and digamma
    functions) are computed once per distinct frequency and weighted by how
    many customers have it; only the terms in ``t_x`` and ``T`` are computed
    per customer, and for customers without a repeat purchase only those in
    ``T``.
    """

    def __init__(self, x, t_x, T, weights=None):
        x = np.asarray(x, dtype=np.float64)
        t_x = np.asarray(t_x, dtype=np.float64)
        T = np.asarray(T, dtype=np.float64)
        weights = None if weights is None else np.asarray(weights, np.float64)
        self.unique_x, index = np.unique(x, return_inverse=True)
        self.count = np.bincount(index, weights=weights, minlength=len(self.unique_x))
        repeat = x > 0
        self.x, self.t_x, self.T = x[repeat], t_x[repeat], T[repeat]
        self.index = index[repeat]
        self.T_once = T[~repeat]
        self.weights = None if weights is None else weights[repeat]
        self.weights_once = None if weights is None else weights[~repeat]

    def total(self, per_row):
        return _wsum(per_row, self.weights)


def _bgnbd_value_and_gradient(params, data):
    """Summed BG/NBD log-likelihood and its gradient over the parameters."""
    r, alpha, a, b = params
    ux, count = data.unique_x, data.count
    repeat = ux > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_dropout = np.where(repeat, np.log(a) - np.log(b + ux - 1), -np.inf)
        inv_b = np.where(repeat, 1.0 / (b + ux - 1), 0.0)
    per_x = (
        special.gammaln(r + ux) + special.gammaln(b + ux) - special.gammaln(a + b + ux)
    )
    constant = (
        r * np.log(alpha)
        - special.gammaln(r)
        + special.gammaln(a + b)
        - special.gammaln(b)
    )
    # customers without a repeat purchase: only A3 = (alpha + T) ** -r
    log_once = np.log(alpha + data.T_once)
    once_value = -r * _wsum(log_once, data.weights_once)
    once_alpha = -r * _wsum(1.0 / (alpha + data.T_once), data.weights_once)
    # the others: A3 + A4, in log space
    log_alpha_T = np.log(alpha + data.T)
    log_alpha_tx = np.log(alpha + data.t_x)
    rx = r + data.x
    log_a3 = -rx * log_alpha_T
    log_a4 = log_dropout[data.index] - rx * log_alpha_tx
    log_sum = np.logaddexp(log_a3, log_a4)
    w = np.exp(log_a4 - log_sum)
    n = float(count.sum())
    value = _dot(count, per_x) + n * constant + data.total(log_sum) + once_value
    psi_ab = special.digamma(a + b)
    psi_abx = special.digamma(a + b + ux)
    d_r = (
        _dot(count, special.digamma(r + ux))
        + n * (np.log(alpha) - special.digamma(r))
        - data.total(log_alpha_T + w * (log_alpha_tx - log_alpha_T))
        + once_value / r
    )
    d_alpha = (
        n * r / alpha
        - data.total(rx * ((1 - w) / (alpha + data.T) + w / (alpha + data.t_x)))
        + once_alpha
    )
    d_a = _dot(count, psi_ab - psi_abx) + data.total(w) / a
    d_b = _dot(
        count, psi_ab + special.digamma(b + ux) - special.digamma(b) - psi_abx
    ) - data.total(w * inv_b[data.index])
    return value, np.array([d_r, d_alpha, d_a, d_b])


def _dot(count, per_x):
    return float(np.sum(count * per_x))


def fit_bgnbd(x, t_x, T, weights=None, initial=(1.0, 1.0, 1.0, 1.0)):
    """Maximum-likelihood BG/NBD parameters.

    Parameters
    ----------
    x, t_x, T : ndarray of float
    weights : ndarray of float, default=None
        How many customers each row stands for.
    initial : sequence of 4 floats
        Starting parameters.

    Returns
    -------
    fit : Fit
    """
    data = _Counts(x, t_x, T, weights)

    def negative(log_params):
        params = np.exp(log_params)
        value, gradient = _bgnbd_value_and_gradient(params, data)
        return -value, -gradient * params

    def gradient_of(params):
        return _bgnbd_value_and_gradient(params, data)[1]

    return _maximise(negative, gradient_of, initial, BGNBD_PARAMS)


def bgnbd_probability_alive(params, x, t_x, T):
    """P(alive | x, t_x, T): 1 for customers without a repeat purchase."""
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_odds = (
            np.log(a)
            - np.log(b + x - 1)
            + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        )
    log_odds = np.where(x > 0, log_odds, -np.inf)
    return np.exp(-np.logaddexp(0.0, log_odds))


# Within this distance of a = 1, BG/NBD expectations are interpolated
# between a = 1 - _A_STEP and a = 1 + _A_STEP (see _across_a_of_one).
_A_STEP = 1e-5


def _across_a_of_one(function):
    """Evaluate a BG/NBD expectation near ``a = 1`` without dividing by 0.

    Equation (10) of Fader, Hardie and Lee (2005) is ``(a + b + x - 1) /
    (a - 1) * (1 - G)``, where ``G`` is 1 at ``a = 1``: a removable
    singularity (0 / 0 at a = 1, lost digits near it). The expectation is
    smooth in ``a``, so there it is the straight line between ``a = 1 ± h``
    (error of order h**2, about 1e-10). A BG/NBD fit that cannot move ``a``
    (nobody made a repeat purchase) stays at its start, ``a = 1``.
    """

    @functools.wraps(function)
    def wrapped(params, *args):
        r, alpha, a, b = params
        if abs(a - 1) >= _A_STEP:
            return function(params, *args)
        low = function((r, alpha, 1 - _A_STEP, b), *args)
        high = function((r, alpha, 1 + _A_STEP, b), *args)
        weight = (a - (1 - _A_STEP)) / (2 * _A_STEP)
        return (1 - weight) * low + weight * high

    return wrapped


@_across_a_of_one
def bgnbd_expected_purchases(params, t, x, t_x, T):
    """Expected purchases in the next ``t`` periods of each customer.

    Equation (10) of Fader, Hardie and Lee (2005).
    """
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    t = np.asarray(t, dtype=np.float64)
    z = t / (alpha + T + t)
    scale = (a + b + x - 1) / (a - 1) * bgnbd_probability_alive(params, x, t_x, T)
    return scale * (1 - _euler_g(params, a + b + x - 1, z, x))


def _euler_g(params, c, z, x):
    """((alpha+T)/(alpha+T+t))**(r+x) 2F1(r+x, b+x; c; z), by Euler's transform.

    ``(1 - z) ** (a - 1) * 2F1(a + b - 1 - r, a - 1; c; z)``: bounded
    parameters, so heavy buyers do not overflow; where scipy still fails
    (parameters within rounding of a pole), the untransformed form is tried.
    """
    r, _, a, b = params
    with np.errstate(all="ignore"):
        g = np.exp((a - 1) * np.log1p(-z)) * special.hyp2f1(a + b - 1 - r, a - 1, c, z)
        bad = ~np.isfinite(g)
        if np.any(bad):
            x, z, c = (np.broadcast_to(v, g.shape) for v in (x, z, c))
            direct = np.exp((r + x[bad]) * np.log1p(-z[bad])) * special.hyp2f1(
                r + x[bad], b + x[bad], c[bad], z[bad]
            )
            g = np.array(g, dtype=np.float64)
            g[bad] = direct
    return g


@_across_a_of_one
def bgnbd_expected_purchases_at(params, times, x, t_x, T):
    """Expected purchases by each of several future times, for many customers.

    The same numbers as :func:`bgnbd_expected_purchases` (to about 1e-8,
    relative; tested), faster when there are many customers (see
    :func:`_expected_steps`).

    Parameters
    ----------
    params : sequence of 4 floats
    times : sequence of float
        Future times, from the end of each customer's ``T``.
    x, t_x, T : ndarray of float

    Returns
    -------
    expected : ndarray of shape (n_customers, len(times))
    """
    steps = list(_expected_steps(params, times, x, t_x, T))
    return np.column_stack(steps) if steps else np.empty((len(np.atleast_1d(x)), 0))


@_across_a_of_one
def bgnbd_discounted_purchases(params, times, discounts, x, t_x, T):
    """Sum over steps k of ``discounts[k]`` times the purchases in step k.

    Step k runs from ``times[k - 1]`` (0 for the first) to ``times[k]``.
    """
    return _discounted(_expected_steps(params, times, x, t_x, T), discounts)


def _discounted(expectations, discounts):
    """Sum of ``discounts[k]`` times the increase of the k-th expectation."""
    total, previous = 0.0, 0.0
    for expected, discount in zip(expectations, discounts, strict=True):
        total = total + discount * (expected - previous)
        previous = expected
    return total


def _expected_steps(params, times, x, t_x, T):
    """Expected purchases by each time in ``times``, one array per time.

    With Euler's transformation, equation (10) of Fader, Hardie and Lee
    (2005) needs ``G_x(z) = (1 - z) ** (a - 1) * 2F1(a + b - 1 - r, a - 1;
    a + b + x - 1; z)`` with ``z = t / (alpha + T + t)``: a smooth function
    that depends on the customer only through ``x`` and ``z``. ``G_x`` is
    tabulated once per distinct ``x`` and interpolated by cubic
    polynomials; the grid is refined until the interpolation agrees with
    the exact values halfway between grid points to 1e-10 (relative), else
    the exact function is used.
    """
    r, alpha, a, b = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    times = np.asarray(times, dtype=np.float64)
    unique_x, codes = np.unique(x, return_inverse=True)
    c = a + b + unique_x - 1
    scale = (a + b + x - 1) / (a - 1) * bgnbd_probability_alive(params, x, t_x, T)

    def exact(c_values, z):
        return _euler_g(params, c_values, z, c_values - (a + b - 1))

    z_max = float(times.max() / (alpha + T.min() + times.max())) if len(T) else 0.0
    # a table larger than the work it saves is not worth building
    budget = len(x) * len(times)
    table = _CubicTable(exact, c, z_max, budget=budget)
    for t in times:
        z = t / (alpha + T + t)
        if table.coefficients is None:
            G = exact(c[codes], z)
        else:
            G = table(codes, z)
            bad = ~np.isfinite(G)
            if bad.any():
                G[bad] = exact(c[codes][bad], z[bad])
        yield scale * (1 - G)


class _CubicTable:
    """A function f(c_i, z) tabulated over z in [0, z_max], one row per c_i.

    Piecewise cubic (four-point Lagrange) interpolation on a uniform grid,
    stored as polynomial coefficients per interval (evaluated by Horner's
    rule). ``coefficients`` is None when no grid up to 16,384 points
    reaches the tolerance at the midpoints.
    """

    def __init__(self, function, c, z_max, tolerance=1e-10, budget=np.inf):
        self.coefficients = None
        if not 0 < z_max < 1:
            return
        size = 256
        while size <= 16_384 and 2 * len(c) * size <= budget:
            step = z_max / (size - 1)
            if z_max + 2 * step >= 1:
                return
            nodes = np.arange(-1, size + 1) * step
            values = function(c[:, None], np.broadcast_to(nodes, (len(c), len(nodes))))
            if not np.all(np.isfinite(values)):
                return
            self._fit(values, step)
            middle = (np.arange(size - 1) + 0.5) * step
            rows = np.repeat(np.arange(len(c)), size - 1)
            z = np.tile(middle, len(c))
            exact = function(c[rows], z)
            error = np.abs(self(rows, z) - exact) / np.maximum(np.abs(exact), 1e-300)
            if float(np.max(error)) <= tolerance:
                return
            size *= 4
        self.coefficients = None

    def _fit(self, values, step):
        # interval j spans nodes j and j + 1 (value columns j + 1 and j + 2)
        p0, p1, p2, p3 = (values[:, i : values.shape[1] - 3 + i] for i in range(4))
        # Lagrange cubic through u = -1, 0, 1, 2, as c0 + c1 u + c2 u^2 + c3 u^3
        c0 = p1
        c1 = -p0 / 3 - p1 / 2 + p2 - p3 / 6
        c2 = p0 / 2 - p1 + p2 / 2
        c3 = -p0 / 6 + p1 / 2 - p2 / 2 + p3 / 6
        self.width = p0.shape[1]
        self.step = step
        self.coefficients = [k.ravel() for k in (c0, c1, c2, c3)]

    def __call__(self, rows, z):
        position = z / self.step
        interval = np.minimum(position.astype(np.int64), self.width - 1)
        u = position - interval
        index = rows * self.width + interval
        c0, c1, c2, c3 = (k[index] for k in self.coefficients)
        return c0 + u * (c1 + u * (c2 + u * c3))


# ----------------------------------------------------------- Pareto/NBD
PARETO_NBD_PARAMS = ("r", "alpha", "s", "beta")


def pareto_nbd_log_likelihood(params, x, t_x, T):
    """Per-customer Pareto/NBD log-likelihood.

    The closed form of Fader and Hardie (2005, "A note on deriving the
    Pareto/NBD model", equation 22), in log space: the hypergeometric terms
    are combined as ``log(e**u - e**v) = u + log1p(-e**(v - u))``.
    """
    r, alpha, s, beta = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    rsx = r + s + x
    log_a0 = _pareto_log_a0(params, x, t_x, T)
    log_first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    log_second = np.log(s) - np.log(rsx) + log_a0
    return (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        + s * np.log(beta)
        + np.logaddexp(log_first, log_second)
    )


def _pareto_log_a0(params, x, t_x, T):
    """log A0 of the Pareto/NBD likelihood (-inf when t_x == T)."""
    r, alpha, s, beta = params
    rsx = r + s + x
    if alpha >= beta:
        big, second = alpha, s + 1
    else:
        big, second = beta, r + x
    gap = abs(alpha - beta)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = np.log(special.hyp2f1(rsx, second, rsx + 1, gap / (big + t_x))) - (
            rsx
        ) * np.log(big + t_x)
        lower = np.log(special.hyp2f1(rsx, second, rsx + 1, gap / (big + T))) - (
            rsx
        ) * np.log(big + T)
        return upper + np.log1p(-np.exp(lower - upper))


def pareto_nbd_probability_alive(params, x, t_x, T):
    """P(alive | x, t_x, T) under the Pareto/NBD model."""
    r, alpha, s, beta = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    log_odds = (
        np.log(s)
        - np.log(r + s + x)
        + (r + x) * np.log(alpha + T)
        + s * np.log(beta + T)
        + _pareto_log_a0(params, x, t_x, T)
    )
    return np.exp(-np.logaddexp(0.0, log_odds))


def pareto_nbd_expected_purchases(params, t, x, t_x, T):
    """Expected purchases in the next ``t`` periods (Pareto/NBD)."""
    t = np.asarray(t, dtype=np.float64)
    return next(_pareto_steps(params, [t], x, t_x, T))


def _pareto_steps(params, times, x, t_x, T):
    """Expected purchases by each time in ``times`` (P(alive) computed once).

    ``E = P(alive) (r + x) / (alpha + T) * E[(1 - e**(-mu t)) / mu | alive]``
    with ``mu ~ Gamma(s, beta + T)``.
    """
    r, alpha, s, beta = params
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))
    rate = (r + x) * (beta + T) / (alpha + T)
    rate = rate * pareto_nbd_probability_alive(params, x, t_x, T)
    log_beta_T = np.log(beta + T)
    for t in times:
        ratio = log_beta_T - np.log(beta + T + t)  # log((β+T)/(β+T+t)) <= 0
        if abs(s - 1) < 1e-10:
            yield rate * -ratio
        else:
            yield rate * (-np.expm1((s - 1) * ratio) / (s - 1))


def pareto_nbd_discounted_purchases(params, times, discounts, x, t_x, T):
    """Sum over steps k of ``discounts[k]`` times the purchases in step k."""
    return _discounted(_pareto_steps(params, times, x, t_x, T), discounts)


def fit_pareto_nbd(x, t_x, T, weights=None, initial=(1.0, 1.0, 1.0, 1.0)):
    """Maximum-likelihood Pareto/NBD parameters.

    The likelihood holds Gaussian hypergeometric functions whose derivatives
    in their parameters have no closed form: the gradient is taken by
    central differences over the logarithms of the parameters.
    """
    x, t_x, T = (np.asarray(v, dtype=np.float64) for v in (x, t_x, T))

    def value(log_params):
        return _wsum(pareto_nbd_log_likelihood(np.exp(log_params), x, t_x, T), weights)

    def negative(log_params):
        step = 1e-6
        gradient = np.empty(len(log_params))
        for j in range(len(log_params)):
            up, down = log_params.copy(), log_params.copy()
            up[j] += step
            down[j] -= step
            gradient[j] = (value(up) - value(down)) / (2 * step)
        return -value(log_params), -gradient

    def gradient_of(params):
        log_params = np.log(params)
        return -negative(log_params)[1] / params

    return _maximise(negative, gradient_of, initial, PARETO_NBD_PARAMS)


# ----------------------------------------------------------- Gamma-Gamma
def gamma_gamma_log_likelihood(params, x, m):
    """Per-customer Gamma-Gamma log-likelihood of the mean spend ``m``.

    Only customers with repeat purchases (``x > 0``) and positive spend.
    """
    p, q, gamma = params
    px = p * x
    return (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * m)
    )


def _wsum(values, weights):
    # a plain reduction: threaded BLAS dot products are slow on few cores
    if weights is None:
        return float(np.sum(values))
    return float(np.sum(values * weights))


def _gamma_gamma_gradient(params, x, m, weights):
    p, q, gamma = params
    px = p * x
    psi_pxq = special.digamma(px + q)
    log_rate = np.log(gamma + x * m)
    d_p = x * (psi_pxq - special.digamma(px) + np.log(m) + np.log(x) - log_rate)
    d_q = psi_pxq - special.digamma(q) + np.log(gamma) - log_rate
    d_gamma = q / gamma - (px + q) / (gamma + x * m)
    return np.array([_wsum(d, weights) for d in (d_p, d_q, d_gamma)])


def fit_gamma_gamma(x, m, weights=None, initial=(1.0, 1.0, 1.0)):
    """Maximum-likelihood Gamma-Gamma parameters (``x > 0``, ``m > 0``)."""
    x, m = (np.asarray(v, dtype=np.float64) for v in (x, m))

    def negative(log_params):
        params = np.exp(log_params)
        ll = _wsum(gamma_gamma_log_likelihood(params, x, m), weights)
        return -ll, -_gamma_gamma_gradient(params, x, m, weights) * params

    def gradient_of(params):
        return _gamma_gamma_gradient(params, x, m, weights)

    return _maximise(negative, gradient_of, initial, GAMMA_GAMMA_PARAMS)


def gamma_gamma_expected_spend(params, x, m):
    """Expected mean spend per purchase, given ``x`` purchases of mean ``m``.

    Customers without repeat purchases get the population mean
    ``p * gamma / (q - 1)``.
    """
    p, q, gamma = params
    x, m = (np.asarray(v, dtype=np.float64) for v in (x, m))
    m = np.where(x > 0, m, 0.0)
    denominator = p * x + q - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        # no finite mean when p * x + q <= 1 (q <= 1: heavy-tailed spend)
        return np.where(denominator > 0, p * (gamma + x * m) / denominator, np.nan)


# ------------------------------------------------------------- fitting
def _maximise(negative, gradient_of, initial, names):
    """Minimise ``negative`` over log-parameters; standard errors from the Hessian."""
    start = np.log(np.asarray(initial, dtype=np.float64))
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(names)

    def finite(log_params):
        # a likelihood that cannot be computed is no optimum: +inf, flat
        with np.errstate(all="ignore"):
            value, gradient = negative(log_params)
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros_like(log_params)
        return value, gradient

    result = optimize.minimize(
        finite, start, jac=True, method="L-BFGS-B", bounds=bounds
    )
    params = np.exp(result.x)
    at_bound = [
        name
        for name, value in zip(names, result.x, strict=True)
        if abs(value) >= _LOG_BOUND - 1e-6
    ]
    with np.errstate(all="ignore"):
        errors = _standard_errors(gradient_of, params)
    return Fit(
        params=dict(zip(names, params.tolist(), strict=True)),
        standard_errors=dict(zip(names, errors.tolist(), strict=True)),
        log_likelihood=-float(result.fun),
        converged=bool(result.success) and np.isfinite(result.fun),
        message=str(result.message),
        at_bound=at_bound,
    )


def _standard_errors(gradient_of, params):
    """Square roots of the diagonal of the inverse observed information.

    The Hessian of the log-likelihood is differentiated numerically from the
    analytic gradient (central differences, relative steps).
    """
    k = len(params)
    hessian = np.empty((k, k))
    for j in range(k):
        step = 1e-5 * params[j]
        up, down = params.copy(), params.copy()
        up[j] += step
        down[j] -= step
        hessian[:, j] = (gradient_of(up) - gradient_of(down)) / (2 * step)
    hessian = (hessian + hessian.T) / 2
    try:
        covariance = np.linalg.inv(-hessian)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    variances = np.diag(covariance)
    return np.where(variances > 0, np.sqrt(np.abs(variances)), np.nan)
