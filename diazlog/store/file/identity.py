"""Is the diary's file still the one this connection opened? A replaced file is not saved into.

A program that ignores the diary's lock (an older diazlog, a copy made with `cp`, a sync tool)
may put a new file under the diary's name while a connection has the old one open. Writing on
would save into a file nobody will read again, or, through the WAL both share by name, spoil
the new one. The file's identity is its device and inode and its first 16 bytes (SQLite's
header, or an encrypted diary's salt); a stat and a 16-byte read, microseconds, so every
write transaction checks it (store/transactions.py) and the app polls it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from diazlog.store.file.errors import StoreError
from diazlog.store.file.rawfile import read_head

FileIdentity = tuple[int, int, bytes]


class FileReplaced(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path} was replaced by another program since diazlog opened it, so nothing more "
            "is saved into the old file; reopen the diary (ctrl+p: Data: reopen the diary)."
        )


def file_identity(path: Path | str) -> FileIdentity | None:
    """Device, inode and first 16 bytes of the file at `path`; None when there is none."""
    try:
        info = os.stat(path)
        return info.st_dev, info.st_ino, read_head(path, 16)
    except OSError:
        return None


def is_replaced(path: Path | str, identity: FileIdentity | None) -> bool:
    """Whether the file at `path` is no longer the one whose identity was taken."""
    return identity is not None and file_identity(path) != identity


def check_same_file(db: Any) -> None:
    """FileReplaced if the file under `db`'s connection was replaced since it was opened."""
    identity = getattr(db, "identity", None)
    path = getattr(db, "path", None)
    if identity is not None and path is not None and is_replaced(path, identity):
        raise FileReplaced(Path(path))
