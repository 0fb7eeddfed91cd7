"""The diary is one file whenever nothing runs: every connection is closed on the way out,
its write-ahead log folded into the file first.

In WAL mode a save lives in `diary.db-wal` until a checkpoint copies it into `diary.db`.
SQLite does that when the last connection closes; a connection never closed (a command that
exits, an app that quits without closing) leaves the day in the WAL, and a copy of
`diary.db` alone (to a stick, a sync folder) misses it. So each connection checkpoints as it
closes (`fold_and_close`), every connection open_database made is tracked here, and what is
still open is closed when a command ends (`closing_what_opens`, the command line's context)
and when the process exits (atexit: the app, and any command).
"""

from __future__ import annotations

import atexit
import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from typing import Any

from diazlog.store import sqlerrors

_lock = threading.Lock()
_open: weakref.WeakSet[Any] = weakref.WeakSet()  # DeferredDatabases not closed yet
_scopes: list[list[weakref.ref[Any]]] = []


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
        pass  # read-only, locked, damaged: closing is all that is left to do
    finally:
        conn.close()


def track(db: Any) -> None:
    """Remember an open database, to close it on the way out if nobody else does."""
    with _lock:
        _open.add(db)
        if _scopes:
            _scopes[-1].append(weakref.ref(db))


def untrack(db: Any) -> None:
    with _lock:
        _open.discard(db)


@contextlib.contextmanager
def closing_what_opens() -> Iterator[None]:
    """Close, at the end of the block, every database opened in it and still open (a
    command's connections, whatever path it left by)."""
    opened: list[weakref.ref[Any]] = []
    with _lock:
        _scopes.append(opened)
    try:
        yield
    finally:
        with _lock:
            _scopes.remove(opened)
        for ref in opened:
            db = ref()
            if db is not None:
                db.close()


def close_all() -> None:
    """Close every database still open (at exit)."""
    with _lock:
        left = list(_open)
    for db in left:
        with contextlib.suppress(Exception):
            db.close()


atexit.register(close_all)
