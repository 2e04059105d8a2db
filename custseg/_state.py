"""Fitted state without pandas objects, so that safe model files can hold it.

skops, behind :func:`custseg.save`, stores numbers, strings, containers,
NumPy arrays and vetted scikit-learn types; it cannot store pandas objects,
and must not run their pickling code. Every custseg class that can be part of
a fitted model therefore inherits :class:`PandasFreeState`: its
``__getstate__`` turns the DataFrames, Series, Index objects and pandas
scalars it holds into tagged plain dicts of lists and arrays, and its
``__setstate__`` turns them back. Pickle and joblib go through the same two
methods, so every way of saving gives back the same objects.
"""

import datetime
import re
import warnings
from collections import OrderedDict

import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype
from sklearn.utils import Bunch

from .exceptions import InconsistentVersionWarning, InputTypeError, UntrustedTypeError

# Key that marks a dict as a stored pandas object.
_TAG = "__custseg_pandas__"
# Key of the custseg and scikit-learn versions in a stored state.
_VERSION_KEY = "_custseg_versions"

# dtypes a stored column may name; anything else in a file is refused, so that
# a crafted file cannot make NumPy allocate a huge sub-array dtype.
_DTYPE_NAME = re.compile(
    r"(bool|u?int(8|16|32|64)|float(16|32|64)|complex(64|128)|object"
    r"|(datetime|timedelta)64\[(s|ms|us|ns)\]"
    r"|U?Int(8|16|32|64)|Float(32|64)|boolean)"
)

# dtype kinds whose values go into a NumPy array unchanged
_NUMPY_KINDS = "biufcmM"


class PandasFreeState:
    """Mixin: store pandas attributes as plain data (see the module docstring).

    Put it left of ``BaseEstimator`` so that its methods wrap scikit-learn's.
    """

    def __getstate__(self):
        parent = super()
        state = (
            parent.__getstate__()
            if hasattr(parent, "__getstate__")
            else self.__dict__.copy()
        )
        if state is None:  # object.__getstate__ of an empty instance
            state = {}
        state = {key: to_plain(value) for key, value in state.items()}
        state[_VERSION_KEY] = _versions()
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop(_VERSION_KEY, None)
        if saved is not None and saved != _versions() and hasattr(self, "get_params"):
            warnings.warn(
                f"{type(self).__name__} was saved with custseg {saved[0]} and "
                f"scikit-learn {saved[1]}; this is custseg {_versions()[0]} "
                f"with scikit-learn {_versions()[1]}. Its results may differ; "
                "refit it, or use the versions it was saved with.",
                InconsistentVersionWarning,
                stacklevel=2,
            )
        state = {key: from_plain(value) for key, value in state.items()}
        parent = super()
        if hasattr(parent, "__setstate__"):
            parent.__setstate__(state)
        else:
            self.__dict__.update(state)


def _versions():
    import sklearn

    from . import __version__

    return [__version__, sklearn.__version__]


def to_plain(value):
    """Replace the pandas objects inside ``value`` by tagged plain dicts."""
    if isinstance(value, pd.DataFrame):
        return {
            _TAG: "DataFrame",
            "columns": to_plain(value.columns),
            "index": to_plain(value.index),
            "data": [_array_state(value.iloc[:, i]) for i in range(value.shape[1])],
            "attrs": to_plain(dict(value.attrs)),
        }
    if isinstance(value, pd.Series):
        return {
            _TAG: "Series",
            "name": to_plain(value.name),
            "index": to_plain(value.index),
            "values": _array_state(value),
            "attrs": to_plain(dict(value.attrs)),
        }
    if isinstance(value, pd.MultiIndex):
        return {
            _TAG: "MultiIndex",
            "frame": to_plain(value.to_frame(index=False)),
            "names": to_plain(list(value.names)),
        }
    if isinstance(value, pd.RangeIndex):
        return {
            _TAG: "RangeIndex",
            "range": [value.start, value.stop, value.step],
            "name": to_plain(value.name),
        }
    if isinstance(value, pd.Index):
        return {
            _TAG: "Index",
            "name": to_plain(value.name),
            "values": _array_state(value),
        }
    if value is pd.NaT:
        return {_TAG: "NaT"}
    if value is pd.NA:
        return {_TAG: "NA"}
    if isinstance(value, pd.Timestamp):
        # asm8: the instant in the Timestamp's own unit (UTC when zoned)
        return {_TAG: "Timestamp", "value": value.asm8, "tz": _zone_state(value.tz)}
    if isinstance(value, pd.Timedelta):
        return {_TAG: "Timedelta", "value": value.to_timedelta64()}
    if isinstance(value, pd.Interval):
        return {
            _TAG: "Interval",
            "bounds": [to_plain(value.left), to_plain(value.right)],
            "closed": value.closed,
        }
    if isinstance(value, Bunch):
        return Bunch(**{key: to_plain(item) for key, item in value.items()})
    if type(value) in (dict, OrderedDict):
        return type(value)((key, to_plain(item)) for key, item in value.items())
    if isinstance(value, pd.api.extensions.ExtensionArray):
        return {_TAG: "ExtensionArray", "values": _array_state(pd.Series(value))}
    if type(value) in (list, tuple):
        return type(value)(to_plain(item) for item in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return {
            _TAG: "ObjectArray",
            "shape": list(value.shape),
            "items": [to_plain(item) for item in value.ravel().tolist()],
        }
    if isinstance(value, pd.api.extensions.ExtensionDtype):
        return {_TAG: "dtype", "dtype": _dtype_state(value)}
    return value


def from_plain(value):
    """Inverse of :func:`to_plain`."""
    if isinstance(value, Bunch):
        return Bunch(**{key: from_plain(item) for key, item in value.items()})
    if type(value) in (list, tuple):
        return type(value)(from_plain(item) for item in value)
    if type(value) is OrderedDict:
        return OrderedDict((key, from_plain(item)) for key, item in value.items())
    if type(value) is not dict:
        return value
    kind = value.get(_TAG)
    if kind is None:
        return {key: from_plain(item) for key, item in value.items()}
    if kind == "ExtensionArray":
        return _array_from_state(value["values"])[0]
    if kind == "DataFrame":
        index = from_plain(value["index"])
        data = {
            i: _series_from_state(item, index) for i, item in enumerate(value["data"])
        }
        frame = pd.DataFrame(data, index=index, copy=False)
        frame.columns = from_plain(value["columns"])
        frame.attrs.update(from_plain(value["attrs"]))
        return frame
    if kind == "Series":
        series = _series_from_state(value["values"], from_plain(value["index"]))
        series.name = from_plain(value["name"])
        series.attrs.update(from_plain(value["attrs"]))
        return series
    if kind == "MultiIndex":
        return pd.MultiIndex.from_frame(
            from_plain(value["frame"]), names=from_plain(value["names"])
        )
    if kind == "RangeIndex":
        return pd.RangeIndex(*value["range"], name=from_plain(value["name"]))
    if kind == "Index":
        values, dtype = _array_from_state(value["values"])
        return pd.Index(
            values, dtype=dtype, name=from_plain(value["name"]), tupleize_cols=False
        )
    if kind == "NaT":
        return pd.NaT
    if kind == "NA":
        return pd.NA
    if kind == "Timestamp":
        stamp = pd.Timestamp(value["value"])
        zone = _zone_from_state(value["tz"])
        return stamp if zone is None else stamp.tz_localize("UTC").tz_convert(zone)
    if kind == "Timedelta":
        return pd.Timedelta(value["value"])
    if kind == "Interval":
        left, right = (from_plain(bound) for bound in value["bounds"])
        return pd.Interval(left, right, closed=value["closed"])
    if kind == "ObjectArray":
        items = [from_plain(item) for item in value["items"]]
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return array.reshape(value["shape"])
    if kind == "dtype":
        return _dtype_from_state(value["dtype"])
    raise InputTypeError(f"a stored pandas object has the unknown kind {kind!r}")


def _dtype_state(dtype):
    if isinstance(dtype, pd.CategoricalDtype):
        return {
            "name": "category",
            "categories": to_plain(dtype.categories),
            "ordered": bool(dtype.ordered),
        }
    if isinstance(dtype, pd.DatetimeTZDtype):
        return {"name": "datetimetz", "unit": dtype.unit, "tz": _zone_state(dtype.tz)}
    if isinstance(dtype, pd.StringDtype):
        return {
            "name": "string",
            "storage": dtype.storage,
            "na_nan": dtype.na_value is not pd.NA,
        }
    return {"name": str(dtype)}


def _dtype_from_state(state):
    name = state["name"]
    if name == "category":
        return pd.CategoricalDtype(
            from_plain(state["categories"]), ordered=state["ordered"]
        )
    if name == "datetimetz":
        if state["unit"] not in ("s", "ms", "us", "ns"):
            raise UntrustedTypeError(f"a stored time unit is {state['unit']!r}")
        return pd.DatetimeTZDtype(unit=state["unit"], tz=_zone_from_state(state["tz"]))
    if name == "string":
        if state["storage"] not in ("python", "pyarrow"):
            raise UntrustedTypeError(f"a stored text storage is {state['storage']!r}")
        return pd.StringDtype(
            state["storage"], na_value=np.nan if state["na_nan"] else pd.NA
        )
    if not isinstance(name, str) or not _DTYPE_NAME.fullmatch(name):
        raise UntrustedTypeError(
            f"a stored column has the dtype {name!r}, which custseg never writes"
        )
    return pandas_dtype(name)


def _zone_state(zone):
    """A time zone as data: a fixed offset in seconds, or an IANA name."""
    if zone is None:
        return None
    if isinstance(zone, datetime.timezone):
        offset = zone.utcoffset(None)
        return {"offset_seconds": offset.total_seconds()}
    name = getattr(zone, "key", None) or getattr(zone, "zone", None)  # pytz: zone
    if name is not None and type(zone).__module__.startswith("dateutil"):
        name = f"dateutil/{name}"  # pandas' spelling of dateutil's zones
    if name is None:
        raise InputTypeError(
            f"the time zone {zone!r} has no name that can be stored; convert "
            "the times to a named zone (for example 'Europe/Paris') or to UTC."
        )
    return {"name": name}


def _zone_from_state(state):
    if state is None:
        return None
    if "offset_seconds" in state:
        seconds = float(state["offset_seconds"])
        return datetime.timezone(datetime.timedelta(seconds=seconds))
    return pd.Timestamp(0, tz=str(state["name"])).tz


def _array_state(values):
    """The values of a Series or Index as a NumPy array or a list."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in _NUMPY_KINDS:
        return {"dtype": {"name": str(dtype)}, "array": np.asarray(values)}
    if isinstance(dtype, pd.CategoricalDtype):
        return {
            "dtype": _dtype_state(dtype),
            "codes": np.asarray(pd.Categorical(values).codes),
        }
    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = pd.DatetimeIndex(values).tz_convert("UTC").tz_localize(None)
        return {"dtype": _dtype_state(dtype), "array": naive.to_numpy()}
    return {"dtype": _dtype_state(dtype), "items": [to_plain(item) for item in values]}


def _array_from_state(state):
    """The stored values and their dtype (pandas must not infer another)."""
    dtype = _dtype_from_state(state["dtype"])
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Categorical.from_codes(state["codes"], dtype=dtype), dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        utc = pd.DatetimeIndex(state["array"]).tz_localize("UTC")
        return utc.tz_convert(dtype.tz), dtype
    if "array" in state:
        return np.asarray(state["array"], dtype=dtype), dtype
    items = [from_plain(item) for item in state["items"]]
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        array = np.empty(len(items), dtype=object)
        array[:] = items
        return array, dtype
    return pd.array(items, dtype=dtype), dtype


def _series_from_state(state, index):
    values, dtype = _array_from_state(state)
    return pd.Series(values, index=index, dtype=dtype, copy=False)
