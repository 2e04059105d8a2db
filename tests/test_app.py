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


def _upload(app, name, data):
    app.sidebar.radio[0].set_value("Upload a CSV").run()
    app.sidebar.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not app.exception
    return app


def _segment_and_score(app):
    app.button[0].click().run()
    assert not app.exception
    submit = next(b for b in app.button if b.label == "Score this customer")
    submit.click().run()
    assert not app.exception
    assert app.success[0].value.startswith("Segment ")
    return [element.value for element in app.markdown]


def test_rfm_upload_gets_churn_risk_and_lifetime_value():
    import numpy as np

    from custseg.datasets import make_purchase_summary

    summary = make_purchase_summary(300, random_state=0)
    rng = np.random.default_rng(0)
    spend = 20 + rng.gamma(2.0, 10.0, size=len(summary))
    summary["monetary_value"] = np.where(summary["frequency"] > 0, spend, 0.0)
    app = _upload(_app(), "rfm.csv", summary.to_csv(index=False).encode())
    texts = _segment_and_score(app)
    assert any(text.startswith("Churn risk (BG/NBD") for text in texts)
    assert any(text.startswith("Lifetime value (BG/NBD") for text in texts)


def test_awkward_but_usable_uploads():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    # semicolons, Windows-1252 text and a trailing separator (an empty column)
    lines = ["age;city;spend;"] + [
        f"{20 + i % 50};{'Zürich' if i % 2 else 'Genève'};{rng.gamma(2, 50):.1f};"
        for i in range(60)
    ]
    app = _upload(_app(), "excel.csv", "\n".join(lines).encode("cp1252"))
    assert "left out: Unnamed: 3" in app.info[0].value
    _segment_and_score(app)
    # a single usable column: the map is not available, the rest works
    one = pd.DataFrame(
        {"id": [f"c{i}" for i in range(40)], "age": rng.integers(18, 70, 40)}
    )
    app = _upload(_app(), "one.csv", one.to_csv(index=False).encode())
    app.button[0].click().run()
    assert not app.exception
    assert any("not available" in warning.value for warning in app.warning)


def test_a_new_upload_is_segmented_anew():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(2)
    first = pd.DataFrame({"a": rng.normal(size=100), "b": rng.normal(size=100)})
    app = _upload(_app(), "a.csv", first.to_csv(index=False).encode())
    app.button[0].click().run()
    assert app.success == [] and not app.exception
    second = first.rename(columns={"a": "x", "b": "y"})
    app.sidebar.file_uploader[0].set_value(
        ("b.csv", second.to_csv(index=False).encode(), "text/csv")
    ).run()
    assert not app.exception
    assert not any(b.label == "Score this customer" for b in app.button)  # run again


def test_the_amazon_survey_source():
    app = _app()
    app.sidebar.radio[0].set_value("Amazon survey").run()
    assert "602 customers" in app.markdown[0].value
    texts = _segment_and_score(app)
    assert any(text.startswith("Churn risk (a heuristic") for text in texts)
