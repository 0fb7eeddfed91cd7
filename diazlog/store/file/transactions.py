"""Write transactions that wait their turn instead of failing when another copy writes."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def is_read_only(conn: sqlite3.Connection) -> bool:
    """True for a diary opened read-only (open_database(for_reading=True) on a 0400 file,
    which sets PRAGMA query_only)."""
    return bool(conn.execute("PRAGMA query_only").fetchone()[0])


# Called with the database after each outermost write transaction commits, outside it: the
# layers above register what must follow a write (the reminder files, reminders/refresh.py)
# without the store importing them. A hook does its own error handling.
AFTER_COMMIT: list[Callable[[Database], None]] = []


def after_commit(hook: Callable[[Database], None]) -> None:
    """Register `hook` (once: registering it again changes nothing)."""
    if hook not in AFTER_COMMIT:
        AFTER_COMMIT.append(hook)


@contextlib.contextmanager
def writing(db: Database) -> Iterator[None]:
    """Run the block in one transaction that holds SQLite's write lock from its start.

    sqlite-utils' `atomic()` begins a deferred transaction: it reads first and asks for the
    write lock only at its first write. If another connection (a second copy of the app,
    `diazlog log`, an import) wrote in between, SQLite cannot upgrade the stale read and
    fails at once with "database is locked", whatever the busy timeout. BEGIN IMMEDIATE
    takes the lock first, so the block waits (up to the busy timeout) and then reads fresh
    data. Inside an open transaction this is a savepoint, as `atomic()` would make, on the
    raw connection so that saving a day never needs sqlite-utils (store/deferred.py).
    """
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT diazlog_writing")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # as sqlite-utils' atomic(): an error may have ended it
                conn.execute("ROLLBACK TO SAVEPOINT diazlog_writing")
                conn.execute("RELEASE SAVEPOINT diazlog_writing")
            raise
        conn.execute("RELEASE SAVEPOINT diazlog_writing")
        return
    _refuse_read_only(conn)
    from diazlog.store.file.identity import check_same_file

    check_same_file(db)  # never into a file another program has put a new one in place of
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # a failed statement may have ended it already
            conn.rollback()
        raise
    conn.commit()
    for hook in tuple(AFTER_COMMIT):
        hook(db)


def _refuse_read_only(conn: sqlite3.Connection) -> None:
    """A diary opened read-only: say so in words (SQLite would begin, then fail mid-write)."""
    if is_read_only(conn):
        from diazlog.store.file.errors import ReadOnlyDatabase

        name = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
        raise ReadOnlyDatabase(Path(name), "the diary")
