"""The Streamlit app, driven headlessly with streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest  # the app extra is part of the dev install

APP = str(Path(__file__).resolve().parents[1] / "examples" / "app.py")


def _app():
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception
    return app


def test_built_in_data_segmentation_and_one_customer():
    app = _app()
    app.sidebar.number_input[1].set_value(300).run()  # customers
    assert "300 customers" in app.markdown[0].value
    roles = app.dataframe[1].value
    assert roles.loc["purchase_categories", "role"] == "multiselect"
    app.button[0].click().run()  # Run the segmentation
    assert not app.exception
    assert " won " in app.markdown[1].value  # the selector says why
    submit = next(b for b in app.button if b.label == "Score this customer")
    submit.click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Segment ")
    texts = [element.value for element in app.markdown]
    assert any(text.startswith("Churn risk (a heuristic") for text in texts)
    assert any(text.startswith("Lifetime value: not available") for text in texts)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("customers.xlsx", b"PK\x03\x04", "is not a CSV file"),
        ("customers.csv", b"\xff\xfe\x00\x81binary", "could not be read as a CSV"),
        ("customers.csv", b"a,b\n1,2\n3,4\n", "has 2 row(s)"),
        (
            "customers.csv",
            "\n".join(["id"] + [f"c{i}" for i in range(30)]).encode(),
            "No column can be used",
        ),
    ],
)
def test_bad_uploads_get_a_message_not_a_traceback(name, data, message):
    app = _app()
    app.sidebar.radio[0].set_value("Upload a CSV").run()
    app.sidebar.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not app.exception
    assert message in app.error[0].value
