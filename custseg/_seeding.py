"""One seed for a whole fit: seeding the estimators a meta-estimator clones."""

import numpy as np
from sklearn.utils import check_random_state

MAX_SEED = np.iinfo(np.int32).max


def seed_unseeded(estimator, random_state):
    """Give every ``random_state`` the estimator leaves at None a seed.

    The seeds are drawn from ``random_state``, so that one seed makes a
    meta-estimator's whole fit reproducible while the seeds the user did
    set are kept. ``estimator`` is changed in place (pass a clone) and
    returned; with ``random_state=None`` it is returned as is.

    Examples
    --------
    >>> from sklearn.cluster import KMeans
    >>> seed_unseeded(KMeans(3), 0).random_state
    209652396
    >>> seed_unseeded(KMeans(3, random_state=7), 0).random_state
    7
    """
    if random_state is None:
        return estimator
    rng = check_random_state(random_state)
    unseeded = {
        key: int(rng.randint(MAX_SEED))
        for key, value in estimator.get_params(deep=True).items()
        if key.split("__")[-1] == "random_state" and value is None
    }
    return estimator.set_params(**unseeded)
