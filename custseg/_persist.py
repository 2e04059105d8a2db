"""Safe model files: :func:`save` and :func:`load`, through skops."""

import os
import zipfile
from pathlib import Path

from ._loaded_checks import CHECKED_TYPES, check_loaded_model
from ._optional import import_optional
from ._state import PandasFreeState
from .exceptions import InputTypeError, InvalidInputError, UntrustedTypeError

# Types that custseg's fitted models hold beyond those skops trusts by default
# (scikit-learn's estimators, NumPy and SciPy containers). Each is data, or a
# function skops would call only by name, never code taken from the file.
# The trees (CHECKED_TYPES) are accepted only after their arrays are checked.
_EXTRA_SAFE_TYPES = (
    "builtins.range",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.utils._bunch.Bunch",
    *CHECKED_TYPES,
)


def safe_types():
    """Return the type names :func:`load` accepts without being told to.

    These are custseg's own classes and the few other types its fitted models
    contain, on top of the types skops trusts by default (scikit-learn's
    estimators, NumPy arrays and SciPy sparse matrices).

    Returns
    -------
    names : list of str
        Fully qualified type names, sorted.

    Examples
    --------
    >>> from custseg._persist import safe_types
    >>> "custseg._survey.SurveyPreprocessor" in safe_types()
    True
    """
    names = set(_EXTRA_SAFE_TYPES)
    pending = [PandasFreeState]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("custseg."):
            names.add(f"{cls.__module__}.{cls.__qualname__}")
    return sorted(names)


def save(obj, path):
    """Save a fitted estimator or pipeline to a safe model file.

    The file is written in the skops format: a zip of JSON and NumPy arrays
    that :func:`load` reads back without running any code from it, unlike a
    pickle. Needs the extra ``persist`` (``pip install "custseg[persist]"``).

    Parameters
    ----------
    obj : object
        A custseg estimator, a scikit-learn pipeline holding custseg
        estimators, or any object skops can store.
    path : str or path-like
        File to write; an existing file is replaced. The ``.skops``
        extension is customary.

    Raises
    ------
    InputTypeError
        If ``obj`` holds something skops cannot store, or pandas objects
        outside the fitted state of custseg's estimators (they could not be
        loaded back safely).

    See Also
    --------
    load : Read the file back.

    Notes
    -----
    Fitted attributes that are pandas objects (profiles, score tables) are
    stored as plain columns and rebuilt on loading with the same values,
    index and dtypes, so a loaded model gives identical results.

    Examples
    --------
    >>> import os, tempfile
    >>> import custseg
    >>> from custseg.datasets import make_survey
    >>> X = make_survey(n_customers=200, random_state=0)
    >>> model = custseg.SurveyPreprocessor(roles={"timestamp": "ignore"}).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "preprocessor.skops")
    >>> custseg.save(model, path)
    >>> loaded = custseg.load(path)
    >>> bool((loaded.transform(X) == model.transform(X)).all())
    True
    """
    skops_io = import_optional("skops.io")
    try:
        data = skops_io.dumps(obj)
    except (TypeError, ValueError) as exc:  # skops' UnsupportedTypeException
        raise InputTypeError(
            f"save: {type(obj).__name__} holds an object skops cannot store: {exc}"
        ) from exc
    never_loadable = [
        name
        for name in skops_io.get_untrusted_types(data=data)
        if name.split(".")[0] == "pandas"
    ]
    if never_loadable:
        raise InputTypeError(
            f"save: {type(obj).__name__} holds pandas objects outside the "
            f"fitted state of custseg's estimators ({', '.join(never_loadable)}); "
            "load could not read them back safely. Store them as NumPy arrays."
        )
    Path(path).write_bytes(data)


def load(path, *, trusted=None):
    """Load a model file written by :func:`save`, refusing unknown types.

    Before anything is built, the types the file names are compared with
    custseg's list of safe types (see Notes). If the file names any other
    type, nothing from it runs and :class:`~custseg.exceptions.UntrustedTypeError`
    lists those types. Needs the extra ``persist``.

    Parameters
    ----------
    path : str or path-like
        File written by :func:`save` (or by ``skops.io.dump``).
    trusted : list of str, default=None
        Further type names to accept, as the error message spells them, for
        example your own transformer in a pipeline. Only name types whose
        code you trust: loading builds them from the file's contents.

    Returns
    -------
    obj : object
        The saved object.

    Raises
    ------
    UntrustedTypeError
        If the file names a type that is neither safe nor in ``trusted``.
    InvalidInputError
        If ``path`` is not a model file, ``trusted`` is not a list of type
        names, or a decision tree or set of cluster centres in the file is
        inconsistent (a child node outside the tree, a split on a feature
        the model does not have): such a file is damaged or crafted, and
        scikit-learn's compiled code would read memory outside the arrays.

    See Also
    --------
    save : Write the file.

    Notes
    -----
    The safe types are: custseg's own classes, the few scikit-learn and
    NumPy helper types custseg's models hold, and the types skops trusts by
    default (scikit-learn's estimators, NumPy and SciPy containers).
    Decision trees are accepted only after their node arrays are checked,
    because scikit-learn's compiled tree code follows the stored node
    indices without bounds checks. The check is of types and of those
    indices: a file from an unknown source can still hold a model that
    predicts nonsense. A pickle, by contrast, can make the loading program run any code its
    author chose; never unpickle (``joblib.load``, ``pickle.load``) a file
    from someone you do not trust.

    Examples
    --------
    >>> import os, tempfile
    >>> import custseg
    >>> from custseg.datasets import make_purchase_summary
    >>> summary = make_purchase_summary(500, random_state=0)
    >>> model = custseg.CLVEstimator(spend_model=None).fit(summary)
    >>> path = os.path.join(tempfile.mkdtemp(), "clv.skops")
    >>> custseg.save(model, path)
    >>> custseg.load(path).params_.equals(model.params_)
    True
    """
    skops_io = import_optional("skops.io")
    trusted = _check_trusted(trusted)
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no model file at {path!r}")
    data = Path(path).read_bytes()  # read once: checked and built alike
    try:
        found = skops_io.get_untrusted_types(data=data)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvalidInputError(
            f"load: {path!r} is not a model file written by custseg.save "
            f"(skops format): {exc}"
        ) from exc
    accepted = set(safe_types()) | set(trusted)
    refused = sorted(set(found) - accepted)
    if refused:
        listed = ", ".join(repr(name) for name in refused)
        raise UntrustedTypeError(
            f"load: {path!r} holds types outside custseg's known-safe list: "
            f"{listed}. Nothing from the file was run. If you trust the "
            f"file's author and these types' code, pass them: "
            f"custseg.load(path, trusted=[{listed}])."
        )
    obj = skops_io.loads(data, trusted=sorted(set(found)))
    check_loaded_model(obj, path)
    return obj


def _check_trusted(trusted):
    if trusted is None:
        return []
    if not isinstance(trusted, (list, tuple, set, frozenset)) or not all(
        isinstance(name, str) for name in trusted
    ):
        raise InvalidInputError(
            f"load: trusted must be a list of type names (str), such as "
            f"['mypackage.MyTransformer']; got {trusted!r}."
        )
    return list(trusted)
