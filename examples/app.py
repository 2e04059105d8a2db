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

import csv
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
    """The uploaded file as a table of customers, or an UploadError saying why.

    The separator (comma, semicolon, tab, ...) is sniffed from the start of
    the file; text that is not UTF-8 is read as Windows-1252 (Excel's).
    """
    if not name.lower().endswith(".csv"):
        raise UploadError(
            f"{name!r} is not a CSV file. Upload a .csv file with one customer per "
            "row and one column per answer or measure."
        )
    try:
        text = _decode(data)
        try:
            separator = csv.Sniffer().sniff(text[:65536], ",;\t|").delimiter
        except csv.Error:
            separator = ","
        frame = pd.read_csv(io.StringIO(text), sep=separator)
    except (UnicodeDecodeError, csv.Error, pd.errors.ParserError) as exc:
        raise UploadError(f"{name!r} could not be read as a CSV file: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise UploadError(f"{name!r} is empty.") from exc
    if len(frame) < MIN_ROWS:
        raise UploadError(
            f"{name!r} has {len(frame)} row(s); segmentation needs at least "
            f"{MIN_ROWS} customers."
        )
    return frame


def _decode(data):
    if b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), 0, "a NUL byte")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def empty_columns(frame):
    """Columns without any answer (for example after a trailing comma)."""
    return [column for column in frame.columns if frame[column].isna().all()]


def make_reader(frame):
    """A SurveyPreprocessor that leaves the empty columns out."""
    return SurveyPreprocessor(roles=dict.fromkeys(empty_columns(frame), "ignore"))


def check_usable(frame):
    """The fitted reader, or an UploadError when no column can be used."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CustsegWarning)
            reader = make_reader(frame).fit(frame)
    except CustsegError as exc:
        raise UploadError(f"The columns cannot be used: {exc}") from exc
    if not len(reader.get_feature_names_out()):
        raise UploadError(
            "No column can be used for segmentation: every column is an "
            "identifier, empty, constant or left out (see the roles above)."
        )
    return reader


def data_key(source, frame, seed):
    """What identifies a segmentation: the data's content, not only its size."""
    content = int(pd.util.hash_pandas_object(frame, index=True).sum())
    return (source, tuple(map(str, frame.columns)), content, seed)


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
    reader = make_reader(frame)
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
        role = roles.get(column, "ignore").split("+")[0].strip()
        answers = frame[column].dropna()
        if role in NOT_ASKED or answers.empty:
            values[column] = np.nan
        elif role == "numeric":
            # counts and times of an RFM summary cannot be negative
            low = 0.0 if column in (*RFM_COLUMNS, "monetary_value") else None
            values[column] = st.number_input(
                column, value=float(answers.median()), min_value=low
            )
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
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CustsegWarning)
            return [_churn(frame, row), _value(frame, row)]
    except CustsegError as exc:  # for example a recency beyond T in the form
        return [
            f"Churn risk and lifetime value: not available for these answers: {exc}"
        ]


def _churn(frame, row):
    try:
        rules = ChurnRiskScorer(rules="survey").fit(frame)
    except CustsegError:
        rules = None
    if rules is not None:
        risk = rules.predict_risk(row)[0]
        if not np.isfinite(risk):
            return "Churn risk: not available (no answer to the rules' columns)."
        return (
            f"Churn risk (a heuristic from the survey rule set, not a fitted "
            f"model): {risk:.0%}"
        )
    if set(RFM_COLUMNS) <= set(frame.columns):
        columns = list(RFM_COLUMNS)
        scorer = ChurnRiskScorer("bgnbd").fit(frame[columns])
        return f"Churn risk (BG/NBD, 1 - P(alive)): {scorer.predict_risk(row[columns])[0]:.0%}"
    return (
        "Churn risk: not available. It needs the survey's satisfaction, purchase "
        "and cart answers, or an RFM summary (frequency, recency, T), or a churn "
        "label (use ChurnRiskScorer in Python)."
    )


def _value(frame, row):
    columns = [*RFM_COLUMNS, "monetary_value"]
    if not set(columns) <= set(frame.columns):
        return (
            "Lifetime value: not available. It needs an RFM summary with "
            "frequency, recency, T and monetary_value (see custseg.rfm_summary)."
        )
    value = CLVEstimator().fit(frame[columns]).predict(row[columns])[0]
    return (
        f"Lifetime value (BG/NBD + Gamma-Gamma, CLVEstimator's defaults): {value:,.2f}"
    )


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
        plots = (
            lambda ax: plotting.plot_elbow(selector, ax=ax),
            lambda ax: plotting.plot_scores(selector, "silhouette", ax=ax),
            lambda ax: plotting.plot_segments_2d(
                pipeline[0].transform(frame), profiler.labels_, ax=ax
            ),
        )
        for plot, ax in zip(plots, axes, strict=True):
            try:
                plot(ax)
            except CustsegError as exc:  # e.g. no K-means, or one column only
                ax.set_axis_off()
                st.warning(f"A plot is not available: {exc}")
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
        labelled, report = downloads(frame, profiler)
        st.download_button(
            "Labelled customers (CSV)",
            labelled,
            file_name="customers_with_segments.csv",
            mime="text/csv",
        )
        st.download_button(
            "Report (HTML)", report, file_name="segments_report.html", mime="text/html"
        )


def downloads(frame, profiler):
    """The labelled customers (CSV) and the report (HTML), made once per result."""
    cached = st.session_state.get("downloads")
    if cached is not None and cached[0] is profiler:
        return cached[1]
    assigned = profiler.assign(frame).set_index(frame.index)
    # columns the data already has get a "custseg_" prefix
    assigned.columns = [
        f"custseg_{c}" if c in frame.columns else c for c in assigned.columns
    ]
    labelled = pd.concat([frame, assigned], axis=1)
    keep_index = not isinstance(frame.index, pd.RangeIndex)
    files = (
        labelled.to_csv(index=keep_index).encode("utf-8"),
        profiler.to_html(X=frame).encode("utf-8"),
    )
    st.session_state["downloads"] = (profiler, files)
    return files


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
            n_customers = 1000
            if source == SOURCES[0]:
                n_customers = int(
                    st.sidebar.number_input("Customers", 100, 100_000, 1000, step=100)
                )
            frame = load_builtin(source, n_customers, seed)
        st.write(f"{len(frame):,} customers, {frame.shape[1]} columns")
        st.dataframe(frame.head(20))
        empty = empty_columns(frame)
        if empty:
            st.info(
                f"Columns without any answer are left out: {', '.join(map(str, empty))}"
            )
        reader = check_usable(frame)
    except UploadError as exc:
        st.error(str(exc))
        return
    except CustsegError as exc:  # a data file missing from the data home
        st.error(str(exc))
        return
    st.subheader("How each column is read")
    st.dataframe(reader.roles_[["role", "reason", "n_missing", "n_outputs"]])
    key = data_key(source, frame, seed)
    if st.button("Run the segmentation", type="primary"):
        progress = st.progress(0, text="Starting ...")
        st.session_state["result"] = (key, segment(frame, seed, progress))
    result = st.session_state.get("result")
    if result is not None and result[0] == key:
        show_results(frame, result[1])


main()
