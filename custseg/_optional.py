"""Lazy imports of optional dependencies, with errors that name the extra."""

import importlib

# module name -> the pip extra of custseg that installs it
_EXTRAS = {
    "matplotlib": "plot",
}


def import_optional(module_name):
    """Import an optional dependency or explain how to install it.

    Parameters
    ----------
    module_name : str
        Importable name, for example ``"matplotlib.pyplot"``.

    Returns
    -------
    module : module
        The imported module.

    Raises
    ------
    ImportError
        If the module is not installed; the message names the custseg extra
        that provides it.
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        top = module_name.split(".")[0]
        extra = _EXTRAS.get(top)
        hint = f'pip install "custseg[{extra}]"' if extra else f"pip install {top}"
        raise ImportError(
            f"This feature of custseg needs the optional package {top!r}, "
            f"which is not installed. Install it with: {hint}"
        ) from exc
