"""The example scripts run, and print what their docs promise."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _run(script, *args):
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_segment_survey_on_built_in_data_recovers_planted_segments():
    output = _run("segment_survey.py", "--n-customers", "1500")
    assert "Column roles inferred by SurveyPreprocessor" in output
    ari = float(output.rsplit("adjusted Rand index):", 1)[1].split()[0])
    assert ari > 0.5


def test_segment_survey_on_the_real_survey():
    output = _run("segment_survey.py", "--data", "amazon", "--n-segments", "2")
    assert "Amazon Consumer Behaviour Survey: 602 respondents" in output


def test_reproduce_amazon_seed_reproduces_every_documented_figure():
    output = _run("reproduce_amazon_seed.py")
    assert "all documented figures reproduced" in output
    assert "329 answer(s) ('Yes', 'No') outside the order" in output
