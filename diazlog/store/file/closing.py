"""The diary is one file whenever nothing runs: every connection is closed on the way out,
its write-ahead log folded into the file first.

In WAL mode a save lives in `diary.db-wal` until a checkpoint copies it into `diary.db`.
SQLite does that when the last connection closes; a connection never closed (a command that
exits, an app that quits without closing) leaves the day in the WAL, and a copy of
`diary.db` alone (to a stick, a sync folder) misses it. So the process's last connection to
the diary checkpoints as it closes (`fold_and_close`; store/deferred.py, store/connection.py),
what a command opened is closed when it ends (`closing_what_opens`, the command line's
context), and the app closes its own when it quits (diazlog/diary_file.py). A Database
dropped unclosed lets go of the diary's lock at once; SQLite closes its connection, folding
the WAL if it is the last, when Python frees it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

from diazlog.store.file import sqlerrors

_lock = threading.Lock()
_scopes: list[list[Any]] = []


def fold_and_close(conn: sqlite3.Connection) -> None:
    """Checkpoint (TRUNCATE: the WAL emptied) without waiting for anyone, then close.

    busy_timeout 0: while another program has the diary open, the checkpoint does what it
    can at once and the other program's close does the rest; a close never hangs on it.
    """
    try:
        if not conn.in_transaction:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlerrors.Error:
        pass  # read-only, locked, damaged, closed already: closing is all that is left
    finally:
        with contextlib.suppress(*sqlerrors.Error):  # another thread's, dropped: gone anyway
            conn.close()


def track(db: Any) -> None:
    """Remember an open database in the command that opened it, to close it at its end."""
    with _lock:
        if _scopes:
            _scopes[-1].append(db)


@contextlib.contextmanager
def closing_what_opens() -> Iterator[None]:
    """Close, at the end of the block, every database opened in it and still open (a
    command's connections, whatever path it left by)."""
    opened: list[Any] = []
    with _lock:
        _scopes.append(opened)
    try:
        yield
    finally:
        with _lock:
            _scopes.remove(opened)
        for db in opened:
            db.close()
