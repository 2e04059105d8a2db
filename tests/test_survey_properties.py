"""Property-based tests of SurveyPreprocessor on frames of the survey's schema."""

import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custseg import SurveyPreprocessor
from custseg.datasets import make_survey
from custseg.exceptions import DataDroppedWarning


def _with_missing(frame, rate, rng, keep_first_row=False):
    """A copy of frame with each answer missing with probability rate."""
    mask = rng.random(frame.shape) < rate
    if keep_first_row:
        mask[0] = False
    return frame.mask(pd.DataFrame(mask, index=frame.index, columns=frame.columns))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_fit=st.integers(5, 80),
    n_new=st.integers(1, 40),
    fit_rate=st.floats(0.0, 0.6),
    new_rate=st.floats(0.0, 1.0),
)
def test_any_missingness_gives_finite_numbers_and_stable_names(
    seed, n_fit, n_new, fit_rate, new_rate
):
    rng = np.random.default_rng(seed)
    base = make_survey(n_fit + n_new, missing_rate=0.0, random_state=seed)
    train = _with_missing(base.iloc[:n_fit], fit_rate, rng, keep_first_row=True)
    new = _with_missing(base.iloc[n_fit:], new_rate, rng)
    before = train.copy()
    prep = SurveyPreprocessor(roles={"timestamp": "ignore"}).set_output(
        transform="pandas"
    )
    with warnings.catch_warnings():
        # answers unseen in a small fit are expected here, and counted there
        warnings.simplefilter("ignore", DataDroppedWarning)
        fitted = prep.fit_transform(train)
        encoded = prep.transform(new)
        shuffled = prep.transform(new.iloc[::-1])
    names = list(prep.get_feature_names_out())
    assert list(fitted.columns) == names
    assert list(encoded.columns) == names
    assert fitted.shape[0] == n_fit and encoded.shape[0] == n_new
    assert np.isfinite(fitted.to_numpy()).all()
    assert np.isfinite(encoded.to_numpy()).all()
    # rows are encoded independently of each other
    np.testing.assert_array_equal(shuffled.to_numpy(), encoded.to_numpy()[::-1])
    pd.testing.assert_frame_equal(train, before)
    # every output column is traced to an input column
    assert set(prep.feature_map_["source"]) <= set(base.columns)
