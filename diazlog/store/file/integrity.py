"""Is the diary whole? `PRAGMA quick_check` at start, before every command and every backup.

A damaged page can sit unnoticed for weeks while saves and daily backups carry on over it; the
check (a few milliseconds on ten years of diary, see bench/bench_integrity.py) catches it before
anything more is written or copied, and says which backups are still good.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from diazlog.store.file import sqlerrors
from diazlog.store.file.errors import DatabaseUnavailable, StoreError

BACKUP_FOLDER = "backups"
SHOW_BACKUPS = 3  # the message names this many good backups, newest first


class DamagedDiary(StoreError):
    """The diary fails `quick_check`: nothing more is written to it nor copied from it."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"{path} is damaged ({detail}); diazlog left it untouched. {way_out(self.path)}"
        )


def quick_check(conn: sqlite3.Connection) -> str | None:
    """None if the file is whole, else SQLite's first complaint (one line).

    An I/O error or a lock (OperationalError) says nothing about damage, so it is not one.
    """
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlerrors.OperationalError:
        raise
    except sqlerrors.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    lines = [x for row in rows for x in str(row[0]).splitlines() if not x.startswith("***")]
    return lines[0] if lines else "quick_check failed"


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    from diazlog.store.file.cipher import connect_file

    conn = connect_file(path, read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def file_problem(path: Path) -> str | None:
    """`quick_check` of a file through a read-only connection of its own (any thread)."""
    try:
        with _read_only(path) as conn:
            return quick_check(conn)
    except sqlerrors.OperationalError as exc:
        raise DatabaseUnavailable(
            Path(path), f"{exc} (is the disk full or the file locked?)"
        ) from None
    except sqlerrors.DatabaseError as exc:
        return str(exc)


def check_connection(conn: sqlite3.Connection, path: Path) -> None:
    """Raise DamagedDiary unless the database behind `conn` passes `quick_check`."""
    try:
        problem = quick_check(conn)
    except sqlerrors.OperationalError as exc:
        raise DatabaseUnavailable(path, f"{exc} (is the disk full or the file locked?)") from None
    if problem is not None:
        raise DamagedDiary(path, problem)


def check_file(path: Path) -> None:
    """Raise DamagedDiary unless the file at `path` passes `quick_check`."""
    problem = file_problem(path)
    if problem is not None:
        raise DamagedDiary(path, problem)


def is_good(path: Path) -> bool:
    """A backup that opens and passes `quick_check` (never raises)."""
    try:
        return file_problem(path) is None
    except StoreError:
        return False


def good_backups(db_path: Path, limit: int | None = None) -> list[Path]:
    """The backups of `db_path` that pass `quick_check`, newest first (by modification time);
    with `limit`, only that many (each check reads a whole file)."""
    folder = Path(db_path).parent / BACKUP_FOLDER
    if not folder.is_dir():
        return []
    stem = Path(db_path).stem
    found = [p for p in folder.glob(f"{stem}-*.db") if p.is_file()]
    found.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    good: list[Path] = []
    for path in found:
        if limit is not None and len(good) >= limit:
            break
        if is_good(path):
            good.append(path)
    return good


def way_out(db_path: Path) -> str:
    """What the user can do about a damaged diary, naming the verified backups."""
    good = good_backups(db_path, limit=SHOW_BACKUPS)
    if not good:
        folder = Path(db_path).parent / BACKUP_FOLDER
        return (
            f"No verified backup in {folder}: restore one you keep elsewhere with "
            "`diazlog restore FILE`."
        )
    names = ", ".join(str(p) for p in good)
    return (
        f"Restore a good backup with `diazlog restore FILE`; verified good, newest first: {names}."
    )
