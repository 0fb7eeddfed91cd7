"""Files whole or absent: write beside the target, fsync, then rename onto the final name.

A kill or a full disk at any moment leaves either the previous file or the new one, never a
half-written one under the final name; what a killed write left behind is a `.NAME.*.tmp`
beside it, cleared by the next write of the same name.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path

from diazlog.store.busy import in_use
from diazlog.store.privacy import FILE_MODE


def temp_pattern(name: str) -> str:
    """The glob of the temporary files (or folders) made while writing `name`."""
    return f".{name}.*.tmp"


def clear_stale(target: Path) -> None:
    """Remove temporary files a killed write of `target` left beside it."""
    folder = Path(target).parent
    if folder.is_dir():
        for stale in folder.glob(temp_pattern(Path(target).name)):
            if stale.is_file() and not in_use(stale):  # not one being written right now
                stale.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder (so a rename inside it survives a power cut), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` (0600) whole or not at all; raises OSError (nothing left)."""
    path = Path(path)
    clear_stale(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until closed: see store/busy.py
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_path(path.parent)
    return path
