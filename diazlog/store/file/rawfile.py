"""Reading a database file's bytes without dropping SQLite's locks on it.

SQLite locks a database with POSIX advisory locks, and those belong to the process and the
file: closing *any* descriptor of the file releases all of them, even one opened only to read
its first 16 bytes (SQLite works round this for its own descriptors, not for ours). Another
program (another diazlog, `diazlog status`, the sqlite3 shell) that then closes its
connection believes it is the last one, checkpoints and deletes the write-ahead log this
process is still writing into: every later save is lost without a word.

So the bytes of a file that may be a database this process has open (the diary, a backup)
are read here, through a descriptor opened once per file per process and never closed
(`os.pread`, so threads can share it). That is a handful of descriptors for the process's
life, one per diary or backup it looked at; a file replaced since (a restore, `encrypt`)
keeps its old copy's space on disk until the process ends.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()
_kept: dict[tuple[int, int], int] = {}  # (device, inode) -> a read-only descriptor
_never_closed: list[int] = []  # descriptors of a file already kept, opened in a race


def read_head(path: Path | str, size: int) -> bytes:
    """The first `size` bytes of the file at `path` (fewer if it is shorter); OSError if it
    cannot be opened."""
    with _lock:
        fd = _descriptor(Path(path))
    return os.pread(fd, size, 0)


def _descriptor(path: Path) -> int:
    info = os.stat(path)
    fd = _kept.get((info.st_dev, info.st_ino))
    if fd is not None:
        return fd
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    info = os.fstat(fd)  # the file opened, if it was replaced since the stat
    key = (info.st_dev, info.st_ino)
    if key in _kept:  # closing this one would be the very close that drops the locks
        _never_closed.append(fd)
        return _kept[key]
    _kept[key] = fd
    return fd
