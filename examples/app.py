"""custseg's app: segment customers without writing code (Streamlit).

Load a CSV (one customer per row) or a built-in data set, see how
``SurveyPreprocessor`` reads each column, run the segmentation
(``ClusterSelector`` inside ``SegmentProfiler``), look at the choice, the
map and the personas, score one customer from a form (segment, persona and,
when the data allow, churn risk and lifetime value) and download the
labelled customers and the HTML report.

Start it with::

    pip install -e ".[app]"
    streamlit run examples/app.py

The Amazon data sets are read from the data home (``CUSTSEG_DATA_HOME``);
the synthetic survey needs nothing.
"""

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import streamlit as st
from sklearn.pipeline import make_pipeline

from custseg import (
    BehaviorAggregator,
    ChurnRiskScorer,
    ClusterSelector,
    CLVEstimator,
    SegmentProfiler,
    SurveyPreprocessor,
    plotting,
)
from custseg.datasets import load_amazon_sales, load_amazon_survey, make_survey
from custseg.exceptions import CustsegError, CustsegWarning

SOURCES = (
    "Synthetic survey (make_survey)",
    "Amazon survey",
    "Amazon sales reviewers",
    "Upload a CSV",
)
MIN_ROWS = 20
RFM_COLUMNS = ("frequency", "recency", "T")
# Columns the form does not ask for: they are left missing for the customer.
NOT_ASKED = ("text", "datetime", "identifier", "ignore")


class UploadError(ValueError):
    """An upload the app cannot segment; the message is shown in the page."""


def read_upload(name, data):
    """The uploaded file as a table of customers, or an UploadError saying why."""
    if not name.lower().endswith(".csv"):
        raise UploadError(
            f"{name!r} is not a CSV file. Upload a .csv file with one customer per "
            "row and one column per answer or measure."
        )
    try:
        frame = pd.read_csv(io.BytesIO(data))
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UploadError(f"{name!r} could not be read as a CSV file: {exc}") from exc
    if len(frame) < MIN_ROWS:
        raise UploadError(
            f"{name!r} has {len(frame)} row(s); segmentation needs at least "
            f"{MIN_ROWS} customers."
        )
    return frame


def check_usable(frame):
    """The fitted reader, or an UploadError when no column can be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CustsegWarning)
            reader = SurveyPreprocessor().fit(frame)
    except CustsegError as exc:
        raise UploadError(f"The columns cannot be used: {exc}") from exc
    if not len(reader.get_feature_names_out()):
        raise UploadError(
            "No column can be used for segmentation: every column is an "
            "identifier, empty, constant or left out (see the roles above)."
        )
    return reader


@st.cache_data(show_spinner=False)
def load_builtin(source, n_customers, seed):
    """A built-in data set, one customer per row."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)  # counted in the loaders
        if source == SOURCES[0]:
            return make_survey(n_customers, n_segments=3, random_state=seed)
        if source == SOURCES[1]:
            return load_amazon_survey()
        log = load_amazon_sales(explode_reviewers=True)
        return BehaviorAggregator(
            rating_col="rating",
            discount_col="discount_percentage",
            spend_col="discounted_price",
            category_col="category",
            category_level=1,
        ).fit_transform(log)


def segment(frame, seed, progress):
    """Fit the segmentation and its profile."""
    progress.progress(10, text="Reading the columns ...")
    reader = SurveyPreprocessor()
    profiler = SegmentProfiler(
        make_pipeline(reader, ClusterSelector(random_state=seed)),
        reader=reader,
        random_state=seed,
    )
    progress.progress(30, text="Trying segmentations and profiling the segments ...")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)  # shown in columns_
        profiler.fit(frame)
    progress.progress(100, text="Done.")
    return profiler


def customer_form(frame, reader):
    """Widgets for one customer's answers; the row they make."""
    values = {}
    roles = reader.roles_["role"].astype(str)
    for column in frame.columns:
        role = roles.get(column, "ignore").split(",")[0].strip()
        answers = frame[column].dropna()
        if role in NOT_ASKED or answers.empty:
            values[column] = np.nan
        elif role == "numeric":
            values[column] = st.number_input(column, value=float(answers.median()))
        elif role == "multiselect":
            options = sorted(
                {
                    option.strip()
                    for answer in answers.astype(str)
                    for option in answer.split(reader.separator)
                    if option.strip()
                }
            )
            chosen = st.multiselect(column, options, default=options[:1])
            values[column] = reader.separator.join(chosen) if chosen else np.nan
        else:
            options = answers.value_counts().index.tolist()[:50]
            values[column] = st.selectbox(column, options)
    row = pd.DataFrame([values], columns=frame.columns)
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column].dtype):
            row[column] = pd.to_numeric(row[column], errors="coerce")
    return row


def churn_and_value(frame, row):
    """Churn risk and lifetime value of the customer, or why they are not available."""
    lines = []
    rules = ChurnRiskScorer(rules="survey")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CustsegWarning)
            risk = rules.fit(frame).predict_risk(row)[0]
        lines.append(
            f"Churn risk (a heuristic from the survey rule set, not a fitted "
            f"model): {risk:.0%}"
            if np.isfinite(risk)
            else "Churn risk: not available (no answer to the rules' columns)."
        )
    except CustsegError:
        if set(RFM_COLUMNS) <= set(frame.columns):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CustsegWarning)
                risk = ChurnRiskScorer("bgnbd").fit(frame[list(RFM_COLUMNS)])
                lines.append(
                    "Churn risk (BG/NBD, 1 - P(alive)): "
                    f"{risk.predict_risk(row[list(RFM_COLUMNS)])[0]:.0%}"
                )
        else:
            lines.append(
                "Churn risk: not available. It needs the survey's satisfaction, "
                "purchase and cart answers, or an RFM summary (frequency, recency, "
                "T), or a churn label (use ChurnRiskScorer in Python)."
            )
    value_columns = [*RFM_COLUMNS, "monetary_value"]
    if set(value_columns) <= set(frame.columns):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CustsegWarning)
            clv = CLVEstimator().fit(frame[value_columns])
            value = clv.predict(row[value_columns])[0]
        lines.append(f"Lifetime value (BG/NBD + Gamma-Gamma): {value:,.2f}")
    else:
        lines.append(
            "Lifetime value: not available. It needs an RFM summary with "
            "frequency, recency, T and monetary_value (see custseg.rfm_summary)."
        )
    return lines


def show_results(frame, profiler):
    pipeline = profiler.segmenter_
    selector = pipeline[-1]
    st.subheader("The segmentation")
    st.write(selector.selection_reason_)
    choice, profile, one, download = st.tabs(
        ["Choice and map", "Personas and profiles", "One customer", "Download"]
    )
    with choice:
        figure, axes = plt.subplots(1, 3, figsize=(15, 4))
        try:
            plotting.plot_elbow(selector, ax=axes[0])
        except CustsegError as exc:  # no K-means among the candidates
            axes[0].set_title(str(exc)[:60])
        plotting.plot_scores(selector, "silhouette", ax=axes[1])
        plotting.plot_segments_2d(
            pipeline[0].transform(frame), profiler.labels_, ax=axes[2]
        )
        st.pyplot(figure)
        plt.close(figure)
        st.dataframe(selector.results_.drop(columns=["params"], errors="ignore"))
    with profile:
        st.dataframe(profiler.personas_[["name", "size", "share", "description"]])
        st.dataframe(profiler.to_frame())
        st.dataframe(profiler.tests_)
    with one:
        with st.form("customer"):
            row = customer_form(frame, profiler.reader_)
            submitted = st.form_submit_button("Score this customer")
        if submitted:
            assigned = profiler.assign(row).iloc[0]
            st.success(f"Segment {assigned['segment']}: {assigned['persona']}")
            for line in churn_and_value(frame, row):
                st.write(line)
    with download:
        labelled = pd.concat(
            [frame, profiler.assign(frame).set_index(frame.index)], axis=1
        )
        st.download_button(
            "Labelled customers (CSV)",
            labelled.to_csv().encode("utf-8"),
            file_name="customers_with_segments.csv",
            mime="text/csv",
        )
        st.download_button(
            "Report (HTML)",
            profiler.to_html(X=frame).encode("utf-8"),
            file_name="segments_report.html",
            mime="text/html",
        )


def main():
    st.set_page_config(page_title="custseg", layout="wide")
    st.title("Customer segments")
    source = st.sidebar.radio("Data", SOURCES, key="source")
    seed = int(st.sidebar.number_input("Random seed", value=0, step=1))
    frame = None
    try:
        if source == "Upload a CSV":
            upload = st.sidebar.file_uploader("CSV file, one customer per row")
            if upload is None:
                st.info("Upload a CSV file to start.")
                return
            frame = read_upload(upload.name, upload.getvalue())
        else:
            n_customers = int(
                st.sidebar.number_input("Customers", 100, 100_000, 1000, step=100)
            )
            frame = load_builtin(source, n_customers, seed)
        st.write(f"{len(frame):,} customers, {frame.shape[1]} columns")
        st.dataframe(frame.head(20))
        reader = check_usable(frame)
    except UploadError as exc:
        st.error(str(exc))
        return
    except CustsegError as exc:  # a data file missing from the data home
        st.error(str(exc))
        return
    st.subheader("How each column is read")
    st.dataframe(reader.roles_[["role", "reason", "n_missing", "n_outputs"]])
    key = (source, len(frame), seed)
    if st.button("Run the segmentation", type="primary"):
        progress = st.progress(0, text="Starting ...")
        st.session_state["result"] = (key, segment(frame, seed, progress))
    result = st.session_state.get("result")
    if result is not None and result[0] == key:
        show_results(frame, result[1])


main()
