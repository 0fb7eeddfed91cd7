"""One writer of the diary file's identity at a time: a lock file beside the diary.

`restore`, `encrypt`, `decrypt` and `passphrase` replace the diary's file (a new inode,
maybe a new encryption). A program that has the old file open would go on writing into it,
or into a WAL that is then applied to the new file: a lost save, or a destroyed diary. So
every opener (the app, every command, every worker's connection) holds a *shared* lock on
`<diary>.lock` while it has the diary open, and whatever replaces the file takes it
*exclusive*, without waiting: it refuses while anyone else has the diary open. An opener that
arrives while the file is being replaced waits for it (saying so after a second), then opens
the new file.

POSIX record locks (`lockf`), held per process: this process's own holders never block each
other, and turning this process's shared lock into an exclusive one is atomic (it fails
without letting go of the shared one). They belong to the process and the file, so the lock
file is opened once per process and its descriptor never closed (closing *any* descriptor of
it would drop the lock, as store/rawfile.py explains for the diary itself). The lock file is
never deleted: a new one would let two programs lock two different files. It holds no data.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from diazlog.store.file.errors import ReadOnlyDatabase, StoreError
from diazlog.store.file.privacy import FILE_MODE

LOCK_SUFFIX = ".lock"
SAY_AFTER_S = 1.0  # an opener that waits says so after this long
WAIT_AT_MOST_S = 120.0  # then it gives up: a conversion of a big diary takes seconds
_POLL_S = 0.02

Waiting = Callable[[str], None]


class DiaryInUse(StoreError):
    """The diary is open elsewhere, so its file must not be replaced now."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path}: close diazlog first; it is open in another window "
            "(the app or another diazlog command). Nothing was changed."
        )


class DiaryBeingReplaced(StoreError):
    """Waited too long for another program that is replacing the diary's file."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is being restored, encrypted or decrypted by another diazlog; "
            "nothing was saved. Try again when it has finished."
        )


def lock_path(db_path: Path) -> Path:
    """The lock file of a diary: beside it, named after it."""
    return Path(f"{db_path}{LOCK_SUFFIX}")


class _Entry:
    """This process's lock on one diary: how many hold it shared, and exclusive depth."""

    __slots__ = ("exclusive", "fd", "shared")

    def __init__(self, fd: int | None) -> None:
        self.fd = fd  # None: no lock file could be made (a read-only folder: nobody writes)
        self.shared = 0
        self.exclusive = 0


_lock = threading.Lock()
_entries: dict[str, _Entry] = {}
_never_closed: list[int] = []


def _key(db_path: Path) -> str:
    return str(Path(db_path).expanduser().absolute())


def _entry(db_path: Path) -> _Entry:
    """The entry of `db_path`, opening its lock file on first use (never closed)."""
    key = _key(db_path)
    entry = _entries.get(key)
    if entry is None:
        entry = _Entry(_open_lock_file(lock_path(Path(key))))
        _entries[key] = entry
    return entry


def _open_lock_file(path: Path) -> int | None:
    flags = os.O_CLOEXEC | os.O_CREAT
    for mode in (os.O_RDWR, os.O_RDONLY):
        try:
            fd = os.open(path, mode | flags, FILE_MODE)
        except FileNotFoundError:
            return None  # no folder: the caller refuses or creates it first
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                continue
            raise
        for kept in _entries.values():  # the same file by another name: keep both open
            if kept.fd is not None and os.path.sameopenfile(kept.fd, fd):
                _never_closed.append(fd)
                return kept.fd
        return fd
    return None  # a read-only folder without a lock file: nobody can replace the diary


def _try(fd: int, how: int) -> bool:
    try:
        fcntl.lockf(fd, how | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EAGAIN):
            return False
        if exc.errno == errno.EBADF:  # a read-only lock file: shared only
            return how == fcntl.LOCK_SH
        raise
    return True


def acquire(db_path: Path, waiting: Waiting | None = None) -> None:
    """Hold the diary's lock shared (once more, if this process holds it already).

    Waits while another program replaces the file, calling `waiting` once after a second;
    DiaryBeingReplaced after WAIT_AT_MOST_S. Pair with release().
    """
    started = time.monotonic()
    said = False
    while True:
        with _lock:
            entry = _entry(db_path)
            if entry.fd is None or entry.shared or entry.exclusive:
                entry.shared += 1
                return
            if _try(entry.fd, fcntl.LOCK_SH):
                entry.shared = 1
                return
        waited = time.monotonic() - started
        if waited >= WAIT_AT_MOST_S:
            raise DiaryBeingReplaced(Path(db_path))
        if waiting is not None and not said and waited >= SAY_AFTER_S:
            said = True
            waiting(
                "waiting: another diazlog is restoring, encrypting or decrypting "
                f"{Path(db_path).name}…"
            )
        time.sleep(_POLL_S)


def release(db_path: Path) -> None:
    """Let go of one shared hold; the lock goes when this process holds it no more."""
    with _lock:
        entry = _entries.get(_key(db_path))
        if entry is None or entry.shared == 0:
            return
        entry.shared -= 1
        if entry.shared == 0 and entry.exclusive == 0 and entry.fd is not None:
            fcntl.lockf(entry.fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def held(db_path: Path, waiting: Waiting | None = None) -> Iterator[None]:
    """The shared hold for the length of a block."""
    acquire(db_path, waiting)
    try:
        yield
    finally:
        release(db_path)


def holders(db_path: Path) -> int:
    """How many holds this process has on the diary (tests, and a closing check)."""
    with _lock:
        entry = _entries.get(_key(db_path))
        return 0 if entry is None else entry.shared


@contextlib.contextmanager
def exclusive(db_path: Path) -> Iterator[None]:
    """Hold the diary's lock alone while its file is replaced; DiaryInUse at once if any
    other program has it open. This process's own connections do not count: close them
    first (the app closes its own before it converts)."""
    db_path = Path(db_path)
    with _lock:
        entry = _entry(db_path)
        if entry.fd is None:  # no lock file and none can be made: the folder is read-only
            raise ReadOnlyDatabase(db_path, "its folder")
        if not entry.exclusive and not _try(entry.fd, fcntl.LOCK_EX):
            raise DiaryInUse(db_path)
        entry.exclusive += 1
    try:
        yield
    finally:
        with _lock:
            entry.exclusive -= 1
            if entry.exclusive == 0:
                # Back to shared (atomic) while this process still holds it, else let go.
                fcntl.lockf(entry.fd, fcntl.LOCK_SH if entry.shared else fcntl.LOCK_UN)


def check_free(db_path: Path) -> None:
    """DiaryInUse now, before a passphrase is asked, if the file could not be replaced."""
    with exclusive(db_path):
        pass
