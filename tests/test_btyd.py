"""BG/NBD and Gamma-Gamma: the published CDNOW estimates, and properties."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from custseg._btyd import (
    BGNBD_PARAMS,
    _bgnbd_value_and_gradient,
    _Counts,
    _gamma_gamma_gradient,
    bgnbd_discounted_purchases,
    bgnbd_expected_purchases,
    bgnbd_expected_purchases_at,
    bgnbd_log_likelihood,
    bgnbd_probability_alive,
    fit_bgnbd,
    fit_gamma_gamma,
    gamma_gamma_expected_spend,
    gamma_gamma_log_likelihood,
)
from custseg.datasets import load_cdnow, make_purchase_summary


@pytest.fixture(scope="module")
def cdnow():
    summary = load_cdnow()
    return [
        summary[c].to_numpy() for c in ("frequency", "recency", "T", "monetary_value")
    ]


def test_bgnbd_reproduces_fader_hardie_lee_2005(cdnow):
    x, t_x, T, _ = cdnow
    fit = fit_bgnbd(x, t_x, T)
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert round(fit.params[name], 3) == value, name
    assert round(fit.log_likelihood, 1) == -9582.4
    assert fit.converged and fit.at_bound == []
    params = [fit.params[name] for name in BGNBD_PARAMS]
    # the paper's worked example: x = 2, t_x = 30.43, T = 38.86, next 39 weeks
    assert (
        round(float(bgnbd_expected_purchases(params, 39, 2, 30.43, 38.86)), 3) == 1.226
    )
    assert all(
        0 < fit.standard_errors[name] < fit.params[name] for name in BGNBD_PARAMS
    )


def test_gamma_gamma_reproduces_fader_hardie_2013(cdnow):
    x, _, _, m = cdnow
    repeat = x > 0
    fit = fit_gamma_gamma(x[repeat], m[repeat])
    assert round(fit.params["p"], 2) == 6.25
    assert round(fit.params["q"], 2) == 3.74
    # the note prints 15.44; the maximum of the likelihood is at 15.4476
    assert fit.params["gamma"] == pytest.approx(15.44, abs=0.01)
    assert fit.log_likelihood == pytest.approx(-4055.92, abs=0.01)


def test_gradients_are_the_derivatives_of_the_likelihoods(cdnow):
    x, t_x, T, m = cdnow
    point = np.array([0.3, 4.0, 0.9, 2.0])
    numeric = approx_fprime(
        point, lambda p: bgnbd_log_likelihood(p, x, t_x, T).sum(), 1e-7
    )
    value, gradient = _bgnbd_value_and_gradient(point, _Counts(x, t_x, T))
    assert value == pytest.approx(bgnbd_log_likelihood(point, x, t_x, T).sum())
    np.testing.assert_allclose(gradient, numeric, rtol=1e-4)
    repeat = x > 0
    point = np.array([5.0, 3.0, 12.0])
    numeric = approx_fprime(
        point, lambda p: gamma_gamma_log_likelihood(p, x[repeat], m[repeat]).sum(), 1e-7
    )
    np.testing.assert_allclose(
        _gamma_gamma_gradient(point, x[repeat], m[repeat], None), numeric, rtol=1e-4
    )


def test_predictions_properties():
    params = (0.243, 4.414, 0.793, 2.426)
    # no repeat purchase: always alive in the BG/NBD
    assert bgnbd_probability_alive(params, 0, 0, 30) == 1.0
    # the longer the silence since the last purchase, the likelier dead
    alive = bgnbd_probability_alive(params, 3, 10, np.array([12.0, 20.0, 40.0]))
    assert np.all(np.diff(alive) < 0) and np.all((alive > 0) & (alive < 1))
    grows = bgnbd_expected_purchases(params, np.array([0.0, 10.0, 50.0]), 3, 30, 38)
    assert grows[0] == 0 and np.all(np.diff(grows) > 0)
    # huge frequencies stay finite in log space
    huge = bgnbd_log_likelihood(
        params, np.array([1e6]), np.array([38.0]), np.array([39.0])
    )
    assert np.isfinite(huge).all()
    assert np.isfinite(bgnbd_probability_alive(params, 1e6, 38.0, 39.0))
    # spend: no repeat purchase gives the population mean p * gamma / (q - 1)
    spend = gamma_gamma_expected_spend(
        (6.25, 3.74, 15.44), np.array([0.0, 5.0]), np.array([0.0, 20.0])
    )
    assert spend[0] == pytest.approx(6.25 * 15.44 / 2.74)
    assert 20 < spend[1] < spend[0]  # shrunk from 20 towards the mean, 35.2


def test_fit_recovers_simulated_parameters():
    truth = {"r": 0.5, "alpha": 6.0, "a": 0.8, "b": 2.5}
    summary = make_purchase_summary(30_000, **truth, random_state=0)
    fit = fit_bgnbd(summary["frequency"], summary["recency"], summary["T"])
    for name, value in truth.items():
        # within four standard errors of the truth
        assert abs(fit.params[name] - value) < 4 * fit.standard_errors[name], name


def test_load_cdnow_transactions_agree_with_the_summary():
    log = load_cdnow("transactions")
    assert log.shape == (6919, 4) and log["customer_id"].nunique() == 2357
    summary = load_cdnow()
    assert summary.shape == (2357, 4) and int((summary["frequency"] > 0).sum()) == 946
    # customer 1: purchases on 1997-01-01, -01-18 and -08-02: two repeat
    # purchases in the calibration weeks, the last 30.43 weeks after the first
    assert summary.loc[1, "frequency"] == 2 and summary.loc[1, "recency"] == 30.43
    first = log[log["customer_id"] == 1]["date"].sort_values()
    assert (first.iloc[2] - first.iloc[0]).days / 7 == pytest.approx(30.43, abs=0.01)


def test_tabulated_expectations_equal_the_exact_ones():
    summary = make_purchase_summary(20_000, random_state=3)
    x, t_x, T = (summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    params = (0.243, 4.414, 0.793, 2.426)
    times = np.array([1.0, 4.3, 13.0, 52.0])
    tabulated = bgnbd_expected_purchases_at(params, times, x, t_x, T)
    for k, t in enumerate(times):
        exact = bgnbd_expected_purchases(params, t, x, t_x, T)
        np.testing.assert_allclose(tabulated[:, k], exact, rtol=1e-8)
    discounts = np.array([1.0, 0.9, 0.8, 0.7])
    steps = np.diff(tabulated, axis=1, prepend=0.0)
    np.testing.assert_allclose(
        bgnbd_discounted_purchases(params, times, discounts, x, t_x, T),
        steps @ discounts,
    )


def test_pareto_nbd_reproduces_the_published_cdnow_fit(cdnow):
    from custseg._btyd import PARETO_NBD_PARAMS, fit_pareto_nbd

    x, t_x, T, _ = cdnow
    fit = fit_pareto_nbd(x, t_x, T)
    # Fader, Hardie and Lee (2005), the Pareto/NBD on the same data
    published = {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}
    for name, value in published.items():
        assert round(fit.params[name], 2) == value, name
    assert round(fit.log_likelihood, 1) == -9595.0
    assert all(fit.standard_errors[name] > 0 for name in PARETO_NBD_PARAMS)


@pytest.mark.parametrize(
    "params", [(0.55, 10.58, 0.61, 11.67), (0.55, 12.0, 1.7, 3.0), (2.0, 1.0, 1.0, 1.0)]
)
@pytest.mark.parametrize(
    "x, t_x, T", [(0, 0.0, 30.0), (2, 30.43, 38.86), (7, 12.0, 39.0)]
)
def test_pareto_nbd_closed_form_against_numerical_integration(params, x, t_x, T):
    """The hypergeometric closed form (both branches of alpha vs beta, s = 1)."""
    from scipy.integrate import quad
    from scipy.special import gammaln

    from custseg._btyd import (
        pareto_nbd_expected_purchases,
        pareto_nbd_log_likelihood,
        pareto_nbd_probability_alive,
    )

    r, alpha, s, beta = params
    integral = quad(
        lambda tau: (alpha + tau) ** -(r + x) * (beta + tau) ** -(s + 1), t_x, T
    )[0]
    alive = (alpha + T) ** -(r + x) * (beta + T) ** -s
    constant = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    expected = constant + np.log(alive + s * integral)
    assert pareto_nbd_log_likelihood(params, x, t_x, T) == pytest.approx(expected)
    p_alive = alive / (alive + s * integral)
    assert pareto_nbd_probability_alive(params, x, t_x, T) == pytest.approx(p_alive)
    # alive: lambda ~ Gamma(r + x, alpha + T), mu ~ Gamma(s, beta + T);
    # E[purchases in t] = E[lambda] E[(1 - exp(-mu t)) / mu]
    t, rate, rate_mu = 26.0, (r + x) / (alpha + T), beta + T

    def density(mu):
        log = s * np.log(rate_mu) - gammaln(s) + (s - 1) * np.log(mu) - rate_mu * mu
        return np.exp(log)

    horizon = quad(lambda mu: -np.expm1(-mu * t) / mu * density(mu), 0, np.inf)[0]
    assert pareto_nbd_expected_purchases(params, t, x, t_x, T) == pytest.approx(
        p_alive * rate * horizon, rel=1e-6
    )
