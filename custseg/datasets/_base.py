"""Data home and verified access to the data files custseg's loaders read.

custseg never downloads anything: each real data set is a file the user puts
in the data home once. This module finds the data home and checks that a file
is there and has the expected SHA-256 checksum, with messages that say which
file is needed, where it belongs and where it comes from.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import DatasetIntegrityError, DatasetNotFoundError, InputTypeError

_ENV_VAR = "CUSTSEG_DATA_HOME"
_DEFAULT_DATA_HOME = "~/custseg_data"
_CHUNK_SIZE = 1 << 20  # bytes read at a time while hashing

# (resolved path, size in bytes, mtime in ns, expected sha256) of files whose
# checksum already matched in this process, so repeated loads skip hashing.
_VERIFIED = set()


def get_data_home(data_home=None):
    """Return the folder where custseg looks for data set files.

    The folder is, in order of precedence: the ``data_home`` argument, the
    ``CUSTSEG_DATA_HOME`` environment variable (when set and not empty), or
    ``~/custseg_data``. A leading ``~`` is expanded. Nothing is created or
    checked on disk.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder to use instead of the environment variable and the default.

    Returns
    -------
    data_home : pathlib.Path
        The data home. It may not exist.

    See Also
    --------
    load_amazon_survey : Loads a survey file from the data home.

    Examples
    --------
    >>> from custseg.datasets import get_data_home
    >>> get_data_home("/srv/data").as_posix()
    '/srv/data'
    """
    if data_home is None:
        data_home = os.environ.get(_ENV_VAR) or _DEFAULT_DATA_HOME
    elif not isinstance(data_home, str | os.PathLike):
        raise InputTypeError(
            f"get_data_home: data_home must be a str or path-like object (or "
            f"None), got {type(data_home).__name__}."
        )
    return Path(data_home).expanduser()


@dataclass(frozen=True)
class _DataFile:
    """Where a data set file lives in the data home and how to check it.

    Attributes
    ----------
    subfolder : str
        Folder inside the data home, for example ``"amazon_survey"``.
    filename : str
        File name inside ``subfolder``.
    sha256 : str
        Expected SHA-256 checksum of the file, lower-case hex.
    description : str
        One line saying what the file is and where it comes from; it is put
        in the message when the file is missing.
    url : str
        Web page where the file can be obtained.
    """

    subfolder: str
    filename: str
    sha256: str
    description: str
    url: str

    def path(self, data_home=None):
        """Full path of the file under ``get_data_home(data_home)``."""
        return get_data_home(data_home) / self.subfolder / self.filename


def _sha256_of(path):
    """SHA-256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verified_path(data_file, data_home=None):
    """Return the path of ``data_file`` after checking it is present and intact.

    Parameters
    ----------
    data_file : _DataFile
        The file wanted.
    data_home : str or path-like, default=None
        Passed to :func:`get_data_home`.

    Returns
    -------
    path : pathlib.Path
        Full path of the file; its SHA-256 checksum matches
        ``data_file.sha256``.

    Raises
    ------
    DatasetNotFoundError
        If the file is not there; the message says which file, the full path
        expected, how the data home was chosen and where to get the file.
    DatasetIntegrityError
        If the file is there but its checksum differs; the message names the
        file and both checksums.
    """
    path = data_file.path(data_home)
    if not path.is_file():
        home = get_data_home(data_home)
        home_note = "" if home.is_dir() else f" (the folder {home} does not exist)"
        raise DatasetNotFoundError(
            f"The data file {data_file.filename!r} is needed but was not found "
            f"at {path}. It is {data_file.description} ({data_file.url}). Put "
            f"it at exactly that path. The data home {home}{home_note} comes "
            f"from the data_home argument, else the {_ENV_VAR} environment "
            f"variable, else {_DEFAULT_DATA_HOME}."
        )
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, data_file.sha256)
    if key in _VERIFIED:
        return path
    found = _sha256_of(path)
    if found != data_file.sha256:
        raise DatasetIntegrityError(
            f"The data file {path} has SHA-256 checksum {found}, but "
            f"{data_file.filename!r} is expected to have {data_file.sha256}. "
            f"The file is damaged or a different version; replace it with "
            f"{data_file.description} ({data_file.url})."
        )
    _VERIFIED.add(key)
    return path
