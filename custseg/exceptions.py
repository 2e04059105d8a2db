"""Errors and warnings raised by custseg.

Every error custseg raises on purpose derives from :class:`CustsegError` and
from the matching built-in class (``ValueError``, ``TypeError`` or
``FileNotFoundError``), so ``except ValueError`` keeps working for code that
does not know about custseg. Every warning derives from
:class:`CustsegWarning`, so all of custseg's warnings can be filtered at once::

    import warnings
    from custseg.exceptions import CustsegWarning
    warnings.simplefilter("ignore", CustsegWarning)
"""

__all__ = [
    "CustsegError",
    "CustsegWarning",
    "DataDroppedWarning",
    "DatasetIntegrityError",
    "DatasetNotFoundError",
    "FitWarning",
    "InconsistentVersionWarning",
    "InputTypeError",
    "InvalidInputError",
    "LabelWarning",
    "UntrustedTypeError",
]


class CustsegError(Exception):
    """Base class of every error custseg raises on purpose."""


class InvalidInputError(CustsegError, ValueError):
    """The data passed in has the right type but unusable content.

    The message names the column (or parameter), what was found and what was
    expected.
    """


class InputTypeError(CustsegError, TypeError):
    """The data passed in has a type custseg cannot work with."""


class UntrustedTypeError(CustsegError, TypeError):
    """A model file names a type outside custseg's known-safe list.

    Raised by :func:`custseg.load` before anything from the file is built;
    the message lists the types and how to accept them if they are trusted.
    """


class DatasetNotFoundError(CustsegError, FileNotFoundError):
    """A data set file is not in the data home.

    The message says which file is needed, where to put it and where it comes
    from.
    """


class DatasetIntegrityError(CustsegError, ValueError):
    """A data set file is present but its checksum does not match."""


class CustsegWarning(UserWarning):
    """Base class of every warning custseg emits."""


class DataDroppedWarning(CustsegWarning):
    """Some input was left out, replaced or treated as missing.

    The message says what, how much and why, so that nothing is dropped
    silently.
    """


class FitWarning(CustsegWarning):
    """A model fit that did not converge, or whose parameters ran off to the
    edge of the search: its estimates are not to be trusted."""


class InconsistentVersionWarning(CustsegWarning):
    """A loaded model was saved with other versions of custseg or scikit-learn.

    Its results may differ from those it gave when it was saved; refit it,
    or use the versions named in the message.
    """


class LabelWarning(CustsegWarning):
    """custseg had to assume which label means what; set it to be sure."""
