"""The net promoter score, by hand."""

import numpy as np
import pandas as pd
import pytest

from custseg import nps
from custseg.exceptions import InputTypeError, InvalidInputError


def test_classic_scale_by_hand():
    # 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0..6), 1 missing
    result = nps([10, 10, 9, 8, 7, 6, 5, 3, 1, 0, np.nan])
    assert result["n"] == 10 and result["n_missing"] == 1
    assert result["promoters"] == pytest.approx(0.3)
    assert result["passives"] == pytest.approx(0.2)
    assert result["detractors"] == pytest.approx(0.5)
    assert result["nps"] == pytest.approx(-20.0)


def test_any_scale_and_groups():
    scores = [5, 5, 4, 3, 1, 5, 2, 2]
    groups = ["a", "a", "a", "a", "b", "b", "b", "b"]
    result = nps(scores, promoters=5, detractors=3, by=groups)
    assert list(result.index) == ["a", "b"]
    assert result.loc["a", "nps"] == pytest.approx(100 * (2 / 4 - 1 / 4))
    assert result.loc["b", "nps"] == pytest.approx(100 * (1 / 4 - 3 / 4))
    assert result.loc["a", "passives"] == pytest.approx(0.25)


def test_all_missing_gives_nan_not_an_error():
    result = nps(pd.Series([np.nan, None], dtype=float))
    assert result["n"] == 0 and result["n_missing"] == 2 and np.isnan(result["nps"])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"scores": [1, "x"]},
            InputTypeError,
            "scores must be numbers; found \\['x'\\]",
        ),
        (
            {"scores": [1, 2], "promoters": 5, "detractors": 5},
            InvalidInputError,
            "below promoters",
        ),
        ({"scores": [1, 2], "promoters": "9"}, InputTypeError, "must be numbers"),
        (
            {"scores": [1, 2], "by": [0]},
            InvalidInputError,
            "by has 1 entries for 2 scores",
        ),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        nps(**kwargs)
