"""custseg.save / custseg.load: safe model files through skops."""

import pickle
import sys
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

import custseg
from custseg._persist import safe_types
from custseg._state import from_plain, to_plain
from custseg.datasets import make_purchase_summary, make_survey
from custseg.exceptions import (
    CustsegWarning,
    InconsistentVersionWarning,
    InputTypeError,
    InvalidInputError,
    UntrustedTypeError,
)

skops_io = pytest.importorskip("skops.io")  # part of the dev install


def _quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CustsegWarning)
        return function(*args, **kwargs)


@pytest.fixture(scope="module")
def survey():
    return make_survey(300, random_state=0)


@pytest.fixture(scope="module")
def summary():
    frame = make_purchase_summary(800, random_state=1)
    rng = np.random.default_rng(2)
    repeat = frame["frequency"] > 0
    frame["monetary_value"] = np.where(repeat, rng.gamma(6.0, 8.0, len(frame)), 0.0)
    return frame


def _round_trip(obj, tmp_path, name="model.skops"):
    path = tmp_path / name
    custseg.save(obj, path)
    return custseg.load(path)


def _segmentation(survey):
    pipe = make_pipeline(
        custseg.SurveyPreprocessor(),
        custseg.ClusterSelector(k_range=range(2, 5), n_bootstrap=2, random_state=0),
    )
    return _quietly(pipe.fit, survey)


# ---------------------------------------------------------------- round trips
def test_segmentation_pipeline_round_trips_with_identical_output(survey, tmp_path):
    pipe = _segmentation(survey)
    loaded = _round_trip(pipe, tmp_path)
    new = survey.iloc[::-1]
    np.testing.assert_array_equal(
        _quietly(loaded.predict, new), _quietly(pipe.predict, new)
    )
    np.testing.assert_array_equal(
        _quietly(loaded[0].transform, new), _quietly(pipe[0].transform, new)
    )
    pd.testing.assert_frame_equal(loaded[0].roles_, pipe[0].roles_)
    pd.testing.assert_frame_equal(loaded[0].feature_map_, pipe[0].feature_map_)
    pd.testing.assert_frame_equal(loaded[1].results_, pipe[1].results_)
    assert loaded[1].selection_reason_ == pipe[1].selection_reason_


@pytest.mark.parametrize(
    "candidates",
    [["agglomerative", "gaussian_mixture"], ["dbscan", "hdbscan"]],
)
def test_every_clusterer_family_round_trips(tmp_path, candidates):
    X, _ = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    selector = custseg.ClusterSelector(
        candidates=candidates, k_range=(2, 3), n_bootstrap=0, random_state=0
    )
    _quietly(selector.fit, X)
    loaded = _round_trip(selector, tmp_path)
    np.testing.assert_array_equal(
        _quietly(loaded.predict, X[::2]), _quietly(selector.predict, X[::2])
    )
    pd.testing.assert_frame_equal(loaded.results_, selector.results_)


def test_profiler_round_trips_with_identical_tables(survey, tmp_path):
    labels = _segmentation(survey).predict(survey)
    profiler = _quietly(custseg.SegmentProfiler(random_state=0).fit, survey, labels)
    loaded = _round_trip(profiler, tmp_path)
    for name in ("profile_", "sizes_", "tests_", "personas_", "actions_"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(profiler, name))
    np.testing.assert_array_equal(
        _quietly(loaded.predict, survey), _quietly(profiler.predict, survey)
    )


@pytest.mark.parametrize(
    "estimator",
    [
        custseg.ChurnRiskScorer(method="supervised", cv=3, random_state=0),
        custseg.ChurnRiskScorer(
            method="supervised",
            classifier=RandomForestClassifier(n_estimators=20),
            cv=3,
            calibration="isotonic",
            random_state=0,
        ),
    ],
    ids=["default-candidates", "forest-isotonic"],
)
def test_supervised_churn_round_trips(survey, tmp_path, estimator):
    X = _quietly(custseg.SurveyPreprocessor().fit_transform, survey)
    y = (X[:, 0] + np.random.default_rng(0).normal(size=len(X)) > 0).astype(int)
    _quietly(estimator.fit, X, y)
    loaded = _round_trip(estimator, tmp_path)
    np.testing.assert_array_equal(loaded.predict_proba(X), estimator.predict_proba(X))
    pd.testing.assert_frame_equal(
        loaded.cv_results_.scores, estimator.cv_results_.scores
    )


def test_rules_and_bgnbd_churn_round_trip(survey, summary, tmp_path):
    rules = _quietly(custseg.ChurnRiskScorer(rules="survey").fit, survey)
    loaded = _round_trip(rules, tmp_path, "rules.skops")
    pd.testing.assert_frame_equal(loaded.rules_, rules.rules_)
    np.testing.assert_array_equal(
        _quietly(loaded.predict_risk, survey), _quietly(rules.predict_risk, survey)
    )
    bgnbd = custseg.ChurnRiskScorer(method="bgnbd").fit(summary)
    loaded = _round_trip(bgnbd, tmp_path, "bgnbd.skops")
    np.testing.assert_array_equal(
        loaded.predict_risk(summary), bgnbd.predict_risk(summary)
    )


def test_clv_round_trips(summary, tmp_path):
    model = custseg.CLVEstimator().fit(summary)
    loaded = _round_trip(model, tmp_path)
    pd.testing.assert_frame_equal(loaded.params_, model.params_)
    np.testing.assert_array_equal(loaded.predict(summary), model.predict(summary))


def test_behavior_aggregator_round_trips(tmp_path):
    log = pd.DataFrame(
        {
            "user": ["a", "a", "b", "c", "c", "c"],
            "rating": [4.0, 5.0, 3.0, 2.0, np.nan, 4.0],
            "price": [10.0, 20.0, 5.0, 7.0, 8.0, 9.0],
        }
    )
    aggregator = custseg.BehaviorAggregator(
        user_col="user",
        rating_col="rating",
        spend_col="price",
        features=["n_events", "mean_rating", "mean_spend"],
    ).set_output(transform="pandas")
    expected = _quietly(aggregator.fit_transform, log)
    loaded = _round_trip(aggregator, tmp_path)
    pd.testing.assert_frame_equal(_quietly(loaded.transform, log), expected)


def test_joblib_and_pickle_keep_working(survey, tmp_path):
    pipe = _segmentation(survey)
    joblib.dump(pipe, tmp_path / "model.joblib")
    from_joblib = joblib.load(tmp_path / "model.joblib")
    from_pickle = pickle.loads(pickle.dumps(pipe))
    expected = _quietly(pipe.predict, survey)
    for loaded in (from_joblib, from_pickle):
        np.testing.assert_array_equal(_quietly(loaded.predict, survey), expected)
        pd.testing.assert_frame_equal(loaded[0].roles_, pipe[0].roles_)


# ------------------------------------------------------- pandas state, exactly
@pytest.mark.parametrize(
    "value",
    [
        pd.DataFrame(
            {
                "i": [1, 2, 3],
                "f": [0.5, np.nan, -0.0],
                "b": [True, False, True],
                "s": pd.array(["x", None, "z"], dtype="str"),
                "o": [["a", "b"], {"k": 1}, None],
                "n": pd.array([1, None, 3], dtype="Int64"),
                "c": pd.Categorical(["lo", "hi", "lo"], ["lo", "hi"], ordered=True),
                "t": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
                "z": pd.to_datetime(["2024-01-01 08:00"] * 3).tz_localize(
                    "Asia/Kolkata"
                ),
            },
            index=pd.Index(["r1", "r2", "r3"], name="row"),
        ),
        pd.Series([1.5, 2.5], index=pd.RangeIndex(5, 9, 2), name=("a", 1)),
        pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["x", "y"]),
        pd.Index([1, "two", 3.0], dtype=object),
        [pd.Timestamp("2024-05-01", tz="UTC"), pd.NaT, pd.NA, pd.Timedelta("1D")],
    ],
    ids=["frame", "series", "multiindex", "object-index", "scalars"],
)
def test_pandas_objects_survive_the_plain_state(value, tmp_path):
    plain = to_plain(value)
    # what skops stores holds no pandas object...
    skops_io.dump({"state": plain}, tmp_path / "state.skops")
    assert not [
        name
        for name in skops_io.get_untrusted_types(file=tmp_path / "state.skops")
        if name.startswith("pandas")
    ]
    restored = from_plain(skops_io.load(tmp_path / "state.skops")["state"])
    # ...and comes back equal, dtypes and index included
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(restored, value)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(restored, value)
    elif isinstance(value, pd.Index):
        pd.testing.assert_index_equal(restored, value, exact=True)
    else:
        assert restored[0] == value[0]
        assert restored[1] is pd.NaT and restored[2] is pd.NA
        assert restored[3] == value[3]


def test_input_frames_are_untouched_by_saving(survey, tmp_path):
    before = survey.copy(deep=True)
    pipe = _segmentation(survey)
    custseg.save(pipe, tmp_path / "model.skops")
    pd.testing.assert_frame_equal(survey, before)
    # the fitted object itself still holds pandas objects after saving
    assert isinstance(pipe[0].roles_, pd.DataFrame)


# ------------------------------------------------------------- refusing files
class _Payload:
    """A type outside custseg's safe list; building it would record it."""

    built = False

    def __init__(self):
        self.note = "from the file"

    def __setstate__(self, state):
        type(self).built = True
        self.__dict__.update(state)


def test_unknown_type_is_refused_by_name_and_nothing_runs(tmp_path):
    path = tmp_path / "foreign.skops"
    skops_io.dump({"model": KMeans(n_clusters=2), "payload": _Payload()}, path)
    _Payload.built = False
    with pytest.raises(UntrustedTypeError, match=r"test_persist\._Payload") as err:
        custseg.load(path)
    assert "trusted=" in str(err.value)
    assert not _Payload.built
    assert isinstance(err.value, TypeError)
    # the user may vouch for it
    loaded = custseg.load(path, trusted=[f"{__name__}._Payload"])
    assert isinstance(loaded["payload"], _Payload) and _Payload.built


def test_function_from_a_file_is_refused(tmp_path):
    path = tmp_path / "function.skops"
    skops_io.dump(make_pipeline(FunctionTransformer(eval)), path)
    with pytest.raises(UntrustedTypeError, match="builtins.eval"):
        custseg.load(path)


def test_a_pickle_is_not_a_model_file(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(InvalidInputError, match="not a model file"):
        custseg.load(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing.skops"):
        custseg.load(tmp_path / "nothing.skops")


@pytest.mark.parametrize("trusted", ["mymodule.Thing", True, [KMeans]])
def test_trusted_must_be_a_list_of_names(tmp_path, trusted):
    custseg.save(KMeans(), tmp_path / "kmeans.skops")
    with pytest.raises(InvalidInputError, match="trusted must be a list"):
        custseg.load(tmp_path / "kmeans.skops", trusted=trusted)


def test_safe_list_holds_every_custseg_estimator():
    names = set(safe_types())
    for name in ("SurveyPreprocessor", "ClusterSelector", "SegmentProfiler"):
        estimator = getattr(custseg, name)
        assert f"{estimator.__module__}.{name}" in names
    assert not any(name.startswith(("pandas", "builtins.eval")) for name in names)


def test_missing_skops_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "skops", None)
    monkeypatch.setitem(sys.modules, "skops.io", None)
    with pytest.raises(ImportError, match=r"custseg\[persist\]"):
        custseg.save(KMeans(), tmp_path / "kmeans.skops")


# ------------------------------------------------------ damaged or crafted files
def _rewrite_arrays(path, change):
    """Rewrite every NumPy array of a skops file that ``change`` alters."""
    import io
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in members.items():
        if name.endswith(".npy"):
            array = np.load(io.BytesIO(data), allow_pickle=False)
            changed = change(array.copy())
            if changed is not None:
                buffer = io.BytesIO()
                np.save(buffer, changed, allow_pickle=False)
                members[name] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _point_children_far(array):
    for field in ("left_child", "left"):
        if array.dtype.names and field in array.dtype.names:
            array[field][0] = 50_000_000
            return array
    return None


@pytest.mark.parametrize(
    "classifier",
    [
        RandomForestClassifier(n_estimators=3, random_state=0),
        HistGradientBoostingClassifier(max_iter=3, random_state=0),
    ],
    ids=["decision-tree", "histogram-tree"],
)
def test_a_tree_pointing_outside_itself_is_refused(tmp_path, classifier):
    X, y = make_blobs(120, centers=2, random_state=0)
    scorer = custseg.ChurnRiskScorer(
        method="supervised", classifier=classifier, cv=3, random_state=0
    ).fit(X, y)
    path = tmp_path / "crafted.skops"
    custseg.save(scorer, path)
    assert np.array_equal(custseg.load(path).predict_proba(X), scorer.predict_proba(X))
    _rewrite_arrays(path, _point_children_far)
    with pytest.raises(InvalidInputError, match="child index outside the tree"):
        custseg.load(path)


def test_a_stored_dtype_custseg_never_writes_is_refused(tmp_path):
    model = custseg.CLVEstimator(spend_model=None).fit(make_purchase_summary(300))
    path = tmp_path / "clv.skops"
    custseg.save(model, path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    schema = members["schema.json"].decode()
    assert '\\"float64\\"' in schema or '"float64"' in schema
    members["schema.json"] = schema.replace("float64", "(25000000,)f8").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(UntrustedTypeError, match="never writes"):
        custseg.load(path)


def test_version_mismatch_is_warned_about(tmp_path, monkeypatch):
    model = custseg.CLVEstimator(spend_model=None).fit(make_purchase_summary(300))
    custseg.save(model, tmp_path / "clv.skops")
    monkeypatch.setattr(custseg, "__version__", "99.0")
    with pytest.warns(InconsistentVersionWarning, match="saved with custseg 0"):
        custseg.load(tmp_path / "clv.skops")


def test_times_keep_their_unit_and_zone():
    import datetime

    stamps = [
        pd.Timestamp("2500-01-01").as_unit("s"),
        # the second 02:30 of the night the clocks go back
        pd.Timestamp("2024-10-27 01:30", tz="UTC").tz_convert("Europe/Paris"),
        pd.Timestamp("2024-01-01 10:00", tz=datetime.timezone.utc),
    ]
    for stamp in stamps:
        restored = from_plain(to_plain(stamp))
        assert restored == stamp
        assert restored.unit == stamp.unit
        assert str(restored.tz) == str(stamp.tz)


def test_saving_stray_pandas_objects_is_refused(tmp_path):
    with pytest.raises(InputTypeError, match="pandas"):
        custseg.save({"levels": pd.Categorical(["a", "b"])}, tmp_path / "x.skops")
    assert not (tmp_path / "x.skops").exists()
