"""Which file the diary's `-wal` belongs to, so a WAL is never applied to another file.

SQLite finds a diary's WAL by name (`NAME-wal`) and replays it into whatever file is called
NAME. When a program (a sync tool, `mv other.db NAME`) puts another file under the name while
diazlog has the diary open, the open connection's WAL stays behind under the name, and the next
opener replayed it into the new file: the review saw saves lost and diaries damaged. So every
opener writes the device and inode of the file it opened into `NAME-walowner` (store/atomic's
write: whole or not at all), and before SQLite sees the diary, a WAL with content whose owner
is another file is renamed aside (never deleted, nor applied) and the open refused in one line.
The program that still has the old file open finds it replaced before its next write
(store/identity.py). A WAL with no owner recorded (a diary from before this) is left to SQLite.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from diazlog.store.file.atomic import write_atomically
from diazlog.store.file.errors import StoreError

OWNER_SUFFIX = "-walowner"


class ForeignWal(StoreError):
    """The WAL beside the diary belongs to a file that was replaced; it was set aside."""

    def __init__(self, path: Path, kept: Path) -> None:
        self.path, self.kept = path, kept
        super().__init__(
            f"{path} was replaced by another file while a program had the old one open; that "
            f"program's changes ({path.name}-wal) belong to the old file and were set aside as "
            f"{kept.name}, not applied to this one. Close the other program, then run diazlog "
            "again."
        )


def _owner_file(path: Path) -> Path:
    return Path(f"{path}{OWNER_SUFFIX}")


def _file_key(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{info.st_dev} {info.st_ino}"


def claim(path: Path) -> None:
    """Record that the WAL beside `path` is now that of the file at `path` (an opener's)."""
    key = _file_key(path)
    owner = _owner_file(path)
    if key is None or _recorded(owner) == key:
        return
    with contextlib.suppress(OSError):  # a read-only folder: no WAL is written there either
        write_atomically(owner, f"{key}\n".encode())


def _recorded(owner: Path) -> str | None:
    try:
        return owner.read_text(encoding="ascii").strip()[:64] or None
    except (OSError, UnicodeDecodeError):
        return None


def check(path: Path) -> None:
    """Before SQLite opens `path`: a WAL with content that belongs to another file is set
    aside (renamed with its -shm) and ForeignWal raised; otherwise nothing happens."""
    wal = Path(f"{path}-wal")
    try:
        if not wal.is_file() or wal.stat().st_size == 0:
            return
    except OSError:
        return
    recorded = _recorded(_owner_file(path))
    if recorded is None or recorded == _file_key(path):
        return
    tag = secrets.token_hex(4)
    kept = Path(f"{wal}.set-aside-{tag}")
    try:
        os.replace(wal, kept)
        shm = Path(f"{path}-shm")
        if shm.exists():
            os.replace(shm, Path(f"{shm}.set-aside-{tag}"))
    except OSError as exc:  # a read-only folder: nothing renamed, nothing opened
        raise StoreError(
            f"{path} was replaced by another file while a program had the old one open, and "
            f"{wal.name} belongs to the old file but could not be set aside "
            f"({exc.strerror or exc}); it was not applied. Close the other program and move "
            f"{wal.name} away, then run diazlog again."
        ) from None
    raise ForeignWal(path, kept)
