"""Shared fixtures.

Tests that need real data find it in the data home (``CUSTSEG_DATA_HOME``,
set by ``.ci/run`` to ``../shared/data``) and never skip: a missing file
fails the test with custseg's error saying where the file belongs.
Reference outputs of the seed projects (figures to reproduce) are read from
``CUSTSEG_REFERENCE_HOME``, by default the ``reference`` folder beside the
data home.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from custseg.datasets import get_data_home, load_amazon_survey

# Property tests are deterministic: the same examples on every run and every
# machine (derandomize), no example database carried between runs, no
# per-example deadline on a shared CI machine. Each test sets its own
# max_examples to stay quick.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# "explore" (CUSTSEG_HYPOTHESIS_PROFILE=explore) draws new examples on every
# run and skips shrinking: a hunt for new failures (with CUSTSEG_FUZZ_SCALE=10
# for ten times the examples of tests/test_fuzz.py), not for CI.
settings.register_profile(
    "explore",
    parent=settings.get_profile("ci"),
    derandomize=False,
    phases=[Phase.explicit, Phase.generate],
)
settings.load_profile(os.environ.get("CUSTSEG_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def reference_home():
    path = os.environ.get("CUSTSEG_REFERENCE_HOME")
    path = Path(path) if path else get_data_home().parent / "reference"
    if not path.is_dir():
        pytest.fail(
            f"reference folder {path} not found; set CUSTSEG_REFERENCE_HOME to the "
            "shared 'reference' folder"
        )
    return path


@pytest.fixture(scope="session")
def amazon_survey():
    return load_amazon_survey()
