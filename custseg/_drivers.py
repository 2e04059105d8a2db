"""Survey KPI analysis that needs no segments: the net promoter score."""

from numbers import Real

import numpy as np
import pandas as pd

from .exceptions import InputTypeError, InvalidInputError


def nps(scores, promoters=9, detractors=6, by=None):
    """Net promoter score: promoters' share minus detractors' share, in points.

    A score at or above ``promoters`` is a promoter's, at or below
    ``detractors`` a detractor's, anything between a passive's. The classic
    scale is 0..10 with promoters 9-10 and detractors 0-6 (the defaults);
    any scale works with its own thresholds, for example ``promoters=5,
    detractors=3`` on a 1..5 rating. Missing scores are left out and
    counted.

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Numeric scores; NaN for a missing answer.
    promoters : float, default=9
        Lowest promoter score.
    detractors : float, default=6
        Highest detractor score; below ``promoters``.
    by : array-like of shape (n_samples,), default=None
        Groups (for example segments): one result per group.

    Returns
    -------
    result : Series or DataFrame
        ``n`` (scores counted), ``n_missing``, ``promoters``, ``passives``
        and ``detractors`` (shares, 0..1) and ``nps`` (-100..100). A
        DataFrame with one row per group when ``by`` is given.

    Raises
    ------
    InputTypeError
        If the scores are not numbers.
    InvalidInputError
        If ``detractors`` is not below ``promoters``, or the lengths of
        ``scores`` and ``by`` differ.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard
    Business Review* 81(12), 46-54.

    Examples
    --------
    >>> from custseg import nps
    >>> result = nps([10, 9, 8, 7, 6, 3, None])
    >>> result[["n", "promoters", "detractors", "nps"]].round(3).tolist()
    [6.0, 0.333, 0.333, 0.0]
    """
    if not all(
        isinstance(t, Real) and not isinstance(t, bool) for t in (promoters, detractors)
    ):
        raise InputTypeError(
            f"nps: promoters and detractors must be numbers; got {promoters!r} and "
            f"{detractors!r}."
        )
    if not detractors < promoters:
        raise InvalidInputError(
            f"nps: detractors ({detractors}) must be below promoters ({promoters})."
        )
    values = pd.Series(np.asarray(scores, dtype=object).ravel())
    numbers = pd.to_numeric(values, errors="coerce")
    not_numbers = numbers.isna() & values.notna()
    if not_numbers.any():
        raise InputTypeError(
            f"nps: scores must be numbers; found {values[not_numbers].unique()[:5].tolist()!r}."
        )
    if by is None:
        return _nps(numbers.to_numpy(dtype=np.float64), promoters, detractors)
    groups = np.asarray(by)
    if len(groups) != len(numbers):
        raise InvalidInputError(
            f"nps: by has {len(groups)} entries for {len(numbers)} scores; expected "
            "one group per score."
        )
    rows = {
        group: _nps(
            numbers[groups == group].to_numpy(dtype=np.float64), promoters, detractors
        )
        for group in pd.unique(groups)
    }
    return pd.DataFrame(rows).T.rename_axis("group")


def _nps(values, promoters, detractors):
    present = values[~np.isnan(values)]
    n = len(present)
    shares = {
        "promoters": np.mean(present >= promoters) if n else np.nan,
        "detractors": np.mean(present <= detractors) if n else np.nan,
    }
    shares["passives"] = 1 - shares["promoters"] - shares["detractors"] if n else np.nan
    return pd.Series(
        {
            "n": n,
            "n_missing": len(values) - n,
            "promoters": shares["promoters"],
            "passives": shares["passives"],
            "detractors": shares["detractors"],
            "nps": 100 * (shares["promoters"] - shares["detractors"]) if n else np.nan,
        },
        dtype=np.float64,
    )
