"""Lazy imports of optional dependencies, with errors that name the extra."""

import importlib

# top-level module -> the extra of custseg that installs it
EXTRAS = {
    "matplotlib": "plot",
    "skops": "persist",
    "dask": "dask",
    "distributed": "dask",
}


def import_optional(module_name):
    """Import an optional dependency, or say which custseg extra installs it.

    Parameters
    ----------
    module_name : str
        Importable name, for example ``"matplotlib.pyplot"``.

    Returns
    -------
    module : module

    Raises
    ------
    ImportError
        If the module is not installed; the message names the extra.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        top = module_name.split(".")[0]
        extra = EXTRAS.get(top)
        hint = f'pip install "custseg[{extra}]"' if extra else f"pip install {top}"
        raise ImportError(
            f"This feature of custseg needs the optional package {top!r}, which "
            f"is not installed. Install it with: {hint}"
        ) from exc


def is_dask_frame(value):
    """Whether ``value`` is a dask DataFrame (without importing dask)."""
    module = type(value).__module__.split(".")[0]
    return (
        module in ("dask", "dask_expr")
        and hasattr(value, "map_partitions")
        and hasattr(value, "columns")
    )
