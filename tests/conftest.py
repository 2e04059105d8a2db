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

from custseg.datasets import get_data_home, load_amazon_survey


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
