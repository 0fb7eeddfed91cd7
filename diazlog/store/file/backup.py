"""Backups through SQLite's online backup API, so a copy is consistent even while the app writes.

Rolling daily backups (keep the last 14), one before every migration, one before every restore,
all in `<data folder>/backups/`, every file 0600 and the folder 0700. A damaged diary is never
copied, every copy passes `quick_check` before it gets its name, and rotation never deletes the
newest good backup: damage cannot push the good copies out.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from diazlog.store.file import diary_lock, schema, sqlerrors
from diazlog.store.file.atomic import fsync_path, make_temp_file, stale_temp_files
from diazlog.store.file.busy import held
from diazlog.store.file.cipher import NeedsPassphrase, WrongPassphrase
from diazlog.store.file.connection import BUSY_TIMEOUT_MS, check_raw_file, inspect_file
from diazlog.store.file.errors import (
    CorruptDatabase,
    DatabaseUnavailable,
    ReadOnlyDatabase,
    StoreError,
)
from diazlog.store.file.faults import stop_at
from diazlog.store.file.integrity import (
    BACKUP_FOLDER,
    DamagedDiary,
    check_connection,
    check_file,
    is_good,
    quick_check,
)
from diazlog.store.file.privacy import FILE_MODE, private_folder

if TYPE_CHECKING:
    from sqlite_utils import Database

KEEP_DAILY = 14
_PAGES_PER_STEP = 256  # copy in steps so a long backup never holds the database for long


class BackupFailed(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"could not write the backup {path}: {detail}")


def backups_folder(db_path: Path) -> Path:
    return Path(db_path).parent / BACKUP_FOLDER


def database_path(db: Database) -> Path:
    """The file behind a connection (the `before_migration` hook only gets the Database)."""
    for row in db.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    raise DatabaseUnavailable(Path("?"), "an in-memory database has no file to back up")


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    from diazlog.store.file.cipher import connect_file

    conn = connect_file(path, read_only=read_only, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()


def check_folder_writable(folder: Path) -> None:
    """Refuse a read-only folder (or nearest existing parent) by its mode bits too, as
    open_database does: root may write anywhere, but a folder made read-only is a wish."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK) or not existing.stat().st_mode & 0o200:
        raise PermissionError(errno.EACCES, "read-only folder", str(existing))


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of `source` to `dest` (0600), atomically: all of it or nothing.

    A damaged source is refused (DamagedDiary) before anything is written. The copy goes to a
    temporary file beside `dest`, is switched to rollback-journal mode (one self-contained
    file), must pass `quick_check`, is fsynced, and only then is renamed into place.
    """
    dest = Path(dest)
    check_connection(source, _file_of(source))
    try:
        check_folder_writable(dest.parent)
        private_folder(dest.parent)
        _clear_stale_copies(dest)
        fd, temp = make_temp_file(dest)
    except OSError as exc:
        raise BackupFailed(dest, exc.strerror or str(exc)) from None
    os.close(fd)
    try:
        with held(temp):  # so a start meanwhile does not clear it away as a leftover
            _copy_into(source, temp)
            stop_at(f"copy-written {dest.name}")  # tests: a kill here leaves `dest` as it was
            os.replace(temp, dest)
        fsync_path(dest.parent)
    except Exception as exc:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)
        if not isinstance(exc, (OSError, *sqlerrors.Error)):
            raise
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupFailed(dest, detail) from None
    return dest


def _clear_stale_copies(dest: Path) -> None:
    """What a killed copy to this very name left (anywhere, say on a USB stick): only files
    named as ours (store/atomic.py), never a user's that merely look alike."""
    for stale in stale_temp_files(dest.parent, re.escape(dest.name)):
        stale.unlink(missing_ok=True)


def _copy_into(source: sqlite3.Connection, temp: Path) -> None:
    """Copy, switch to a rollback journal, check the copy and flush it to disk."""
    from diazlog.store.file.cipher import connect_like

    os.chmod(temp, FILE_MODE)
    target = connect_like(source, temp)  # an encrypted diary's copy: the same key
    try:
        source.backup(target, pages=_PAGES_PER_STEP)
        target.execute("PRAGMA journal_mode = DELETE")
        target.commit()
        problem = quick_check(target)
    finally:
        target.close()
    if problem is not None:
        raise sqlite3.DatabaseError(f"the copy failed its check ({problem})")
    fsync_path(temp)


def _file_of(conn: sqlite3.Connection) -> Path:
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return Path("(in memory)")


def backup_file(db_path: Path, dest: Path) -> Path:
    """Back up the database at `db_path` through a connection of its own (safe from any thread)."""
    with _connect(Path(db_path)) as conn:
        return copy_database(conn, dest)


def _stamp(now: datetime) -> str:
    return now.strftime("%Y-%m-%d-%H%M%S")


def manual_backup_path(db_path: Path, now: datetime) -> Path:
    return backups_folder(db_path) / f"{Path(db_path).stem}-manual-{_stamp(now)}.db"


def _daily_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.db$")


def daily_backups(db_path: Path) -> list[Path]:
    """The rolling daily backups, oldest first."""
    folder = backups_folder(db_path)
    if not folder.is_dir():
        return []
    pattern = _daily_pattern(db_path)
    return sorted(p for p in folder.iterdir() if pattern.match(p.name))


def daily_backup_path(db_path: Path, day: date) -> Path:
    return backups_folder(db_path) / f"{Path(db_path).stem}-{day.isoformat()}.db"


def has_daily_backup(db_path: Path, day: date) -> bool:
    """The cheap check run at every start: one stat call."""
    return daily_backup_path(db_path, day).exists()


def clear_leftovers(db_path: Path) -> list[Path]:
    """Remove what a killed backup or restore left behind (temporary copies and their
    journals); they never became backups. Run at every start. Returns what was removed."""
    db_path = Path(db_path)
    # Only files named as ours (store/atomic.py) and none another process is writing now.
    found = stale_temp_files(backups_folder(db_path), re.escape(db_path.stem) + "-.+")
    # A restore into a missing or empty diary copies beside it.
    found += stale_temp_files(db_path.parent, re.escape(db_path.name))
    for stale in found:
        stale.unlink(missing_ok=True)
    return found


def daily_backup(db_path: Path, day: date, keep: int = KEEP_DAILY) -> Path | None:
    """Make today's backup unless there is one, then keep only the newest `keep` daily ones.

    Returns the new backup, or None when today's already existed. A damaged diary raises
    DamagedDiary before anything is copied or rotated, so good backups are never pushed out.
    """
    made = None
    clear_leftovers(db_path)
    if not has_daily_backup(db_path, day):
        made = backup_file(db_path, daily_backup_path(db_path, day))
    rotate(db_path, keep)
    return made


def rotate(db_path: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete the daily backups beyond the newest `keep`, but never the newest good one
    (one that passes `quick_check`), whatever its age. Returns what was deleted."""
    backups = daily_backups(db_path)
    old = backups[:-keep] if keep > 0 else backups
    if not old:
        return []
    newest_good = next((p for p in reversed(backups) if is_good(p)), None)
    deleted = [p for p in old if p != newest_good]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def backup_before_migration(db: Database, from_version: int) -> None:
    """The `before_migration` hook of open_database: always a copy before the schema changes."""
    path = database_path(db)
    stamp = _stamp(datetime.now())
    name = f"{path.stem}-before-v{from_version}-to-v{schema.LATEST_VERSION}-{stamp}.db"
    copy_database(db.conn, backups_folder(path) / name)


def check_backup(path: Path) -> int:
    """Refuse, untouched, a file that is not a whole diazlog database; return its version.

    The same checks open_database makes (not SQLite, someone else's, damaged, newer), then a
    full `PRAGMA integrity_check`. A read-only file is fine: we only read it.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseUnavailable(path, "no such file")
    with contextlib.suppress(ReadOnlyDatabase):
        check_raw_file(path)
    version = inspect_file(path)
    if version == 0:
        raise CorruptDatabase(path, "it holds no diazlog data")
    try:
        with _connect(path, read_only=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlerrors.DatabaseError as exc:
        raise CorruptDatabase(path, str(exc)) from None
    if result != [("ok",)]:
        raise CorruptDatabase(path, f"integrity check: {result[0][0]}")
    return version


def restore(source: Path, db_path: Path, now: datetime) -> Path | None:
    """Replace the database at `db_path` with the backup `source`, after checking it.

    What is replaced is kept first in the backups folder (returned; None when there was no
    database yet). The backup is copied beside the diary and renamed over it, so a kill
    leaves one whole diary, the old or the new (nobody else has it open: the diary's lock). A
    database too damaged to open is set aside first, as it is.
    """
    source, db_path = Path(source).expanduser(), Path(db_path).expanduser()
    check_backup(source)
    if db_path.exists() and db_path.resolve() == source.resolve():
        raise DatabaseUnavailable(source, "is the database itself; choose a backup file")
    private_folder(db_path.parent)
    # Nobody else may have the diary open while its file is replaced (store/diary_lock.py).
    with diary_lock.exclusive(db_path):
        return _restore(source, db_path, now)


def _restore(source: Path, db_path: Path, now: datetime) -> Path | None:
    kept_path = backups_folder(db_path) / f"{db_path.stem}-before-restore-{_stamp(now)}.db"
    if not db_path.exists() or db_path.stat().st_size == 0:
        with _connect(source, read_only=True) as src:
            copy_database(src, db_path)
        return None
    _check_writable(db_path)
    try:
        with contextlib.suppress(ReadOnlyDatabase):
            check_raw_file(db_path)
        inspect_file(db_path)
        check_file(db_path)
    except (CorruptDatabase, DamagedDiary, NeedsPassphrase, WrongPassphrase):
        # Damaged, or encrypted with a key this process does not have (a damaged first page
        # of an encrypted diary looks the same): moved aside whole, as it is.
        kept = _set_aside(db_path, kept_path)
        with _connect(source, read_only=True) as src:
            copy_database(src, db_path)
        return kept
    _no_wal_left(db_path)  # before the copy it keeps: a refused restore leaves no trace
    kept = backup_file(db_path, kept_path)
    # The file is replaced whole: copied beside it and renamed over it (copy_database), so a
    # kill leaves the old diary or the new one, never half of each. Copying page by page into
    # the live file left, when the diary was in rollback mode, a hot journal that every
    # command then refused ("disk full or locked"). Nobody else has it open (the exclusive
    # lock), so its WAL was folded in when our checks closed their connections.
    try:
        _no_wal_left(db_path)
        with _connect(source, read_only=True) as src:
            copy_database(src, db_path)
    except sqlerrors.Error as exc:
        raise DatabaseUnavailable(db_path, f"restore failed, nothing changed: {exc}") from None
    return kept


def _no_wal_left(db_path: Path) -> None:
    """Before a new file takes the diary's name: its old WAL was folded in and removed when
    the last connection closed. One still there means a program that ignores the diary's
    lock has it open (an old diazlog, the sqlite3 shell); that WAL would be applied to the
    new file, so nothing is replaced."""
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise diary_lock.DiaryInUse(db_path)


def _check_writable(path: Path) -> None:
    """Mode bits too, as open_database does: a file made read-only is a wish we respect."""
    if not os.access(path.parent, os.W_OK) or not path.parent.stat().st_mode & 0o200:
        raise ReadOnlyDatabase(path, "its folder")
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
        raise ReadOnlyDatabase(path, "the file")


def _set_aside(db_path: Path, kept_path: Path) -> Path:
    """A database SQLite cannot read: move the file and its journals aside as they are
    (readable by the user alone, whatever mode the damaged file had)."""
    private_folder(kept_path.parent)
    os.replace(db_path, kept_path)
    os.chmod(kept_path, FILE_MODE)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = Path(f"{db_path}{suffix}")
        if companion.exists():
            os.replace(companion, Path(f"{kept_path}{suffix}"))
            os.chmod(Path(f"{kept_path}{suffix}"), FILE_MODE)
    return kept_path
