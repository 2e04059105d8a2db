"""The bad-input catalogue (tests/bad_input_catalogue.py) holds, and its page is current."""

import pytest
from bad_input_catalogue import CASES, PAGE, outcome_of, render

from custseg.exceptions import CustsegError


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[f"{c.area.split()[0]}-{c.given}" for c in CASES]
)
def test_case(index):
    case = CASES[index]
    outcome = outcome_of(index)
    if (
        case.expect is not None
        and issubclass(case.expect, BaseException)
        and not (issubclass(case.expect, Warning))
    ):
        assert outcome.error is not None, f"no {case.expect.__name__} raised"
        assert type(outcome.error) is case.expect, repr(outcome.error)
        assert case.fragment in str(outcome.error), str(outcome.error)
        if isinstance(outcome.error, CustsegError):
            # who complains comes first, or the column ("Column 'a' ...")
            assert str(outcome.error)[:1].isupper() or ": " in str(outcome.error)
        return
    assert outcome.error is None, repr(outcome.error)
    if case.expect is None:
        custseg_warnings = [
            w for w in outcome.warnings if "custseg" in type(w.message).__module__
        ]
        assert not custseg_warnings, [str(w.message) for w in custseg_warnings]
    else:
        assert outcome.message(case) is not None, [
            f"{type(w.message).__name__}: {w.message}" for w in outcome.warnings
        ]
    if case.check is not None:
        assert case.check(outcome.result)


def test_every_public_callable_has_a_case():
    import custseg
    import custseg.datasets

    areas = " ".join(case.area + " " + case.call for case in CASES)
    public = [name for name in custseg.__all__ if name[0].isupper() or "_" in name]
    public = [n for n in public if n not in ("DEFAULT_ACTION_RULES", "__version__")]
    public += ["nps", "drivers", "make_survey", "make_purchase_summary"]
    missing = [name for name in public if name not in areas]
    assert not missing


def test_the_page_is_the_rendered_catalogue():
    assert PAGE.read_text(encoding="utf-8") == render(), (
        "docs/bad_input.md is stale: run python tests/bad_input_catalogue.py"
    )
