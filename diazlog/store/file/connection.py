"""Open a diazlog database safely: refuse foreign, damaged or newer files without touching them."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

from diazlog.store.file import diary_lock, hot_journal, schema, sqlerrors, wal_owner
from diazlog.store.file.cipher import check_encrypted, connect_file, is_encrypted
from diazlog.store.file.closing import track
from diazlog.store.file.deferred import DeferredDatabase
from diazlog.store.file.errors import (
    CorruptDatabase,
    DatabaseUnavailable,
    NewerDatabase,
    NotADiazlogDatabase,
    ReadOnlyDatabase,
)
from diazlog.store.file.identity import file_identity
from diazlog.store.file.privacy import FILE_MODE, private_folder
from diazlog.store.file.rawfile import read_head
from diazlog.store.file.schema_check import SchemaDamaged, foreign_objects

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000

# Called with (database, from_version) before an existing database is migrated.
BeforeMigration = Callable[["Database", int], None]


def open_database(
    path: Path | str,
    *,
    create: bool = True,
    before_migration: BeforeMigration | None = None,
    for_reading: bool = False,
    waiting: diary_lock.Waiting | None = None,
) -> Database:
    """Return a migrated Database in WAL mode, or raise a StoreError saying why not.

    Every check that can fail runs before the first write, so a rejected file stays
    byte-for-byte as it was. `for_reading`: the caller only reads (status, report, export,
    backup, the app to look), so a diary made read-only is opened read-only instead of
    refused; any write to it then raises ReadOnlyDatabase (store.transactions.writing).
    While another program replaces the file (restore, encrypt) this waits for it, calling
    `waiting` once after a second. Closing the Database folds its WAL into the file.
    """
    path = Path(path).expanduser()
    if not path.exists() and not create:
        raise DatabaseUnavailable(path, "no such file")
    if not path.parent.exists():
        try:
            private_folder(path.parent)
        except OSError as exc:
            raise DatabaseUnavailable(path, exc.strerror or str(exc)) from None
    # Held while the connection is open: nothing replaces the file under it (diary_lock.py).
    diary_lock.acquire(path, waiting)
    try:
        db = _open(path, create, before_migration, for_reading)
    except BaseException:
        diary_lock.release(path)
        raise
    with _counting:
        _connections[str(path)] += 1
    db.when_closed(partial(_closed, path), partial(_last_one, path))
    db.path, db.identity = path, file_identity(path)
    wal_owner.claim(path)  # the WAL it writes is this file's (store/wal_owner.py)
    track(db)
    # The store's functions take a sqlite-utils Database; DeferredDatabase is one that
    # imports sqlite-utils on first need (see deferred.py), so the cast only hides that.
    return cast("Database", db)


_counting = threading.Lock()
_connections: Counter[str] = Counter()  # open_database's connections still open, by path


def _last_one(path: Path) -> bool:
    """Whether the connection being closed is this process's last one to the diary."""
    with _counting:
        return _connections[str(path)] <= 1


def _closed(path: Path) -> None:
    with _counting:
        _connections[str(path)] -= 1
    diary_lock.release(path)


def _open(
    path: Path, create: bool, before_migration: BeforeMigration | None, for_reading: bool
) -> DeferredDatabase:
    if path.exists():
        try:
            check_raw_file(path)
        except ReadOnlyDatabase:
            if not for_reading:
                raise
            return _open_read_only(path, inspect_file(path))
    else:
        try:
            _create(path)
        except OSError as exc:
            raise DatabaseUnavailable(path, exc.strerror or str(exc)) from None
    version = inspect_file(path)
    conn: sqlite3.Connection | None = None
    try:
        conn = connect_file(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = DeferredDatabase(conn)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if version < schema.LATEST_VERSION:
            if version > 0 and before_migration is not None:
                before_migration(db.database, version)
            schema.migrate(db.database)
        _ensure_wal(conn, db)
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlerrors.OperationalError as exc:
        _close(conn)
        raise DatabaseUnavailable(path, str(exc)) from None
    except sqlerrors.DatabaseError as exc:
        _close(conn)
        raise CorruptDatabase(path, str(exc)) from None
    return db


# How often an opener looks again when switching a fresh file to WAL was refused as locked.
WAL_SWITCH_TRIES = 100


def _ensure_wal(conn: sqlite3.Connection, db: DeferredDatabase) -> None:
    """Put the diary in WAL mode unless it is already. A file a conversion has just written is
    in rollback mode; two openers arriving together both try the switch, and SQLite refuses
    one at once with "database is locked" (no busy wait: it would deadlock). By then the
    other has switched it, so the refused one looks again and finds WAL. (Seen once in CI:
    a `log` racing another `log` around a conversion said "could not be opened: database is
    locked"; this is the open step that can say that without waiting.)"""
    for attempt in range(WAL_SWITCH_TRIES):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.database.enable_wal()
            return
        except sqlerrors.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_SWITCH_TRIES - 1:
                raise
            time.sleep(0.01)


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


def _open_read_only(path: Path, version: int) -> DeferredDatabase:
    """A connection that reads and never writes (PRAGMA query_only marks it for writing()).

    `mode=ro` reads a WAL diary when SQLite can create its -shm file; in a read-only folder
    it cannot, and there nobody can write either, so the file is read as immutable.
    """
    if version < schema.LATEST_VERSION:
        raise ReadOnlyDatabase(
            path, f"it is from an older diazlog (schema {version}) and", "make it writable once"
        )
    if is_encrypted(path):  # SQLCipher reads it with mode=ro (no immutable mode there)
        conn = connect_file(
            path, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
        conn.execute("PRAGMA query_only = 1")
        return DeferredDatabase(conn)
    uri = path.resolve().as_uri()
    failure: sqlite3.Error | None = None
    for options in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(
                f"{uri}?{options}",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
            conn.execute("SELECT count(*) FROM days").fetchone()
        except sqlite3.Error as exc:
            failure = exc
            continue
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = 1")
        return DeferredDatabase(conn)
    raise DatabaseUnavailable(path, str(failure))


def scratch_copy(db: Database) -> Database:
    """A writable copy in memory of a diary, for work that must write to compute what it
    shows (the doctor checklist) on a diary opened read-only. Close it when done."""
    source = db.conn
    if isinstance(source, sqlite3.Connection):
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(conn)
    else:  # an encrypted diary: SQLCipher will not back up into a keyless database, so
        # its rows are copied as SQL into a memory database of the same driver (memory only)
        conn = type(source)(":memory:", check_same_thread=False)
        conn.executescript("\n".join(source.iterdump()))
    return cast("Database", DeferredDatabase(conn))


def _create(path: Path) -> None:
    """Create a new diary whole: its schema is built in a temporary file beside `path`
    (0600), which is then hard-linked to `path` only if no file is there yet.

    So `path` never exists without its schema: fifteen `diazlog log` started at once on a
    new path all find a complete diary (one of them made it, the others' copies are thrown
    away). os.link fails when `path` exists, so a racing creator never replaces a diary
    someone has already written to, and unlike a lock file nothing stale is left by a crash.
    """
    private_folder(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, FILE_MODE)
        conn = sqlite3.connect(temp)
        try:
            schema.migrate(DeferredDatabase(conn).database)
            conn.execute("PRAGMA journal_mode = wal")  # set here: no lock race on first open
        finally:
            conn.close()
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another process created it first: use theirs
        except OSError:
            # No hard links here (some USB or network file systems): rename, checking first.
            if not path.exists():
                os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def check_raw_file(path: Path) -> None:
    """Cheap checks on the raw bytes and permissions, before SQLite sees the file."""
    if not path.is_file():
        raise NotADiazlogDatabase(path, "is not a file")
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable(path, "permission denied")
    wal_owner.check(path)  # another file's WAL is set aside, never replayed into this one
    # A write cut short in rollback mode is undone before anything reads the file.
    hot_journal.recover(path, connect_file)
    size = path.stat().st_size
    header = read_head(path, 100)  # never a close that drops SQLite's locks (rawfile.py)
    if size == 0:
        raise NotADiazlogDatabase(path, "is empty, not a diazlog database")
    if not header.startswith(SQLITE_MAGIC):
        check_encrypted(path)  # or NeedsPassphrase / WrongPassphrase, the file untouched
    elif len(header) < 100:
        raise CorruptDatabase(path, "the header is cut short")
    else:
        _check_length(path, header, size)
    # Mode bits too, not only access(): root may write anywhere, but a file or folder
    # someone made read-only is a wish we respect.
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
        raise ReadOnlyDatabase(path, "the file")
    if not os.access(path.parent, os.W_OK) or not path.parent.stat().st_mode & 0o200:
        raise ReadOnlyDatabase(path, "its folder")


def _check_length(path: Path, header: bytes, size: int) -> None:
    """A plain file's header says how long it is (an encrypted one's header is encrypted)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    count_valid = header[24:28] == header[92:96]
    wal = Path(f"{path}-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if count_valid and not wal_pending and size < page_size * page_count:
        raise CorruptDatabase(
            path, f"the file is cut short: {size:,} of {page_size * page_count:,} bytes"
        )


def inspect_file(path: Path) -> int:
    """Read the schema version read-only; refuse what we cannot own, leaving no trace."""
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in companions]
    try:
        return _read_version(path)
    except Exception:
        # A WAL-mode file makes even a read-only connection create -wal and -shm files.
        for companion, was_there in zip(companions, existed, strict=True):
            if not was_there:
                companion.unlink(missing_ok=True)
        raise


def _read_version(path: Path) -> int:
    try:
        conn = connect_file(path, read_only=True)
    except sqlerrors.Error as exc:
        raise DatabaseUnavailable(path, str(exc)) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        foreign: list[str] = []
        if 0 < version <= schema.LATEST_VERSION and app_id == schema.APPLICATION_ID:
            # Before SQLite runs any of it (a trigger would run on our next write).
            foreign = foreign_objects(conn, schema.MIGRATIONS[:version])
        if version > 0:
            conn.execute("SELECT count(*) FROM days").fetchone()
    except SchemaDamaged as exc:
        raise CorruptDatabase(path, str(exc)) from None
    except sqlerrors.OperationalError as exc:
        if sqlerrors.reads_as_damage(exc):
            raise CorruptDatabase(path, str(exc)) from None
        # I/O errors, a full disk, locks: the file may be fine, so never call it damaged.
        raise DatabaseUnavailable(path, f"{exc} (is the disk full or the file locked?)") from None
    except sqlerrors.DatabaseError as exc:
        raise CorruptDatabase(path, str(exc)) from None
    finally:
        conn.close()
    if app_id not in (0, schema.APPLICATION_ID) or (version == 0 and tables > 0):
        raise NotADiazlogDatabase(path, "is an SQLite database of another program")
    if version > schema.LATEST_VERSION:
        raise NewerDatabase(path, version, schema.LATEST_VERSION)
    if version > 0 and app_id != schema.APPLICATION_ID:
        raise NotADiazlogDatabase(path, "is an SQLite database of another program")
    if foreign:
        raise NotADiazlogDatabase(
            path,
            f"holds what diazlog did not make ({', '.join(foreign[:5])}"
            + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            + "), so it was not opened: a hand-edited or hostile diary",
        )
    mode = path.stat().st_mode
    if mode & 0o077:
        # Ours, but readable by others: take that away (never add a write bit).
        with contextlib.suppress(OSError):
            os.chmod(path, mode & FILE_MODE)
    return version
