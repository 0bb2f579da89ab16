"""Files and folders that appear whole or not at all, with the permissions an ordinary open() would give.

Everything campaign-gen writes (cards, packs, their zip, caches) is written beside its final place and renamed
into it, so a reader never sees half a file and an interrupted run leaves the previous version. Python's
temporary files are private to their owner (0600, folders 0700); once renamed into place they are a pack a web
server or a colleague must be able to read, so they get the modes the umask gives any new file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it; set it straight back
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file beside it and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def temporary_folder(parent: Path, prefix: str, suffix: str = "") -> Path:
    """A new empty folder in `parent`, with the mode a plain mkdir would give, to be renamed into place."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder
