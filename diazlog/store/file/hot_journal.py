"""A write cut short in rollback-journal mode: undo it before anything reads the diary.

A diary is in rollback mode for a moment after a restore, `encrypt` or `decrypt` (the first
opener switches it to WAL). A process killed while writing it then leaves `NAME-journal`, the
pages as they were before: SQLite undoes the write the next time the file is opened for
writing. Our first look at a diary is read-only (connection.py: nothing of a hostile file is
run), and a read-only connection cannot undo it: every command then said "attempt to write a
readonly database (is the disk full or the file locked?)". So a journal beside the diary is
played back first, by opening it for writing once; a diary that cannot be written is refused
with what is wrong and what to do (and the journal is never deleted: without it the diary
would be left half written).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diazlog.store.file import sqlerrors
from diazlog.store.file.errors import DatabaseUnavailable


def journal_of(path: Path) -> Path:
    return Path(f"{path}-journal")


def has_journal(path: Path) -> bool:
    """Whether a rollback journal with content lies beside the diary (SQLite decides whether
    it is hot: one whose writer is alive and holds its lock is not)."""
    journal = journal_of(path)
    try:
        return journal.is_file() and journal.stat().st_size > 0
    except OSError:
        return False


def recover(path: Path, connect_file: Callable[[Path], Any]) -> None:
    """Let SQLite play back a journal left beside `path` by a killed writer, or refuse in one
    line when it cannot (a read-only file or folder). `connect_file`: store.cipher's, passed
    in (cipher imports the store's open path, which calls this)."""
    if not has_journal(path):
        return
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if not writable or not path.stat().st_mode & 0o222 or not path.parent.stat().st_mode & 0o200:
        raise DatabaseUnavailable(
            path,
            f"a write to it was cut short and must be undone from {journal_of(path).name}, "
            "which needs the diary and its folder writable: make them writable and run "
            "diazlog again (do not delete that file: the diary would be left half written)",
        )
    try:
        conn = connect_file(path)
    except sqlerrors.Error as exc:
        raise DatabaseUnavailable(path, f"could not undo a write cut short: {exc}") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # plays the journal back
    except sqlerrors.DatabaseError:
        pass  # damage, a wrong key: the checks that follow say which
    finally:
        conn.close()
