"""Opening the diary from the shell and running the app: what `diazlog` with no arguments does.

Kept free of click (7 ms to import, 3% of the first frame) so that the daily case, plain
`diazlog`, starts the app without it (diazlog/launch.py); the command line (cli.py) calls the
same functions for its options and subcommands.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from diazlog import collector

if TYPE_CHECKING:
    from sqlite_utils import Database

USER_ERROR = 2


def say(message: str) -> None:
    """One line on stderr (progress and notices of the shell; never health data). Its
    control characters are escaped: a refusal may quote a name or a value from the diary."""
    from diazlog.domain.visible_text import visible

    print(visible(message), file=sys.stderr, flush=True)


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2: the user has something to fix."""
    say(f"diazlog: {message}")
    sys.exit(USER_ERROR)


def private_files() -> None:
    """Whatever this process creates (the diary, exports, backups, temp files) is the user's
    alone."""
    os.umask(0o077)


def real_path(path: Path) -> Path:
    """The real file, not a symlink to it: backups go beside the diary itself, and restore
    writes into it instead of moving the link aside."""
    return path.expanduser().resolve()


def open_or_fail(
    path: Path, *, create: bool = True, check: bool = True, for_reading: bool = False
) -> Database:
    """Open the diary, or exit 2 with one line saying why not.

    `check`: refuse a diary that fails `PRAGMA quick_check` (a few ms), so no command writes
    into a damaged file or copies it; the message names the verified backups. The app passes
    False and checks in a worker once it is on screen. `for_reading`: a read-only diary is
    opened read-only (to look, report, export, back up) instead of refused.
    """
    from diazlog.store import StoreError, open_database
    from diazlog.store.file.errors import CorruptDatabase

    try:
        from diazlog.passphrase import ensure_unlocked

        with hold_diary(path, create=create):  # so it is not replaced between the two
            ensure_unlocked(path)  # an encrypted diary: its passphrase (file or prompt)
            db = open_database(
                path,
                create=create,
                before_migration=_backup_before_migration,
                for_reading=for_reading,
                waiting=_waiting,
            )
        if check:  # a command (the app clears them in its safety check, off the UI thread)
            clear_plain_leftovers(path)
            from diazlog.store.file.integrity import check_connection

            try:
                check_connection(db.conn, Path(path).expanduser())
            except StoreError:
                db.close()
                raise
        return db
    except CorruptDatabase as exc:
        from diazlog.store.file.integrity import DamagedDiary

        fail(str(DamagedDiary(exc.path, exc.detail)))  # with the verified backups
    except StoreError as exc:
        fail(str(exc))


def _must_unlock(path: Path) -> bool:
    """passphrase.app_must_unlock, with an unreadable passphrase file said in one line."""
    from diazlog.passphrase import app_must_unlock
    from diazlog.store import StoreError

    try:
        return app_must_unlock(path)
    except StoreError as exc:
        fail(str(exc))


def _waiting(message: str) -> None:
    say(f"diazlog: {message}")


@contextmanager
def hold_diary(path: Path, *, create: bool = True) -> Iterator[None]:
    """Hold the diary's shared lock for a block (store/diary_lock.py): while it is held no
    restore, encrypt or decrypt replaces the file; one in progress is waited for."""
    from diazlog.store.file import diary_lock
    from diazlog.store.file.privacy import private_folder

    path = Path(path).expanduser()
    if not (path.exists() or create) or not (path.parent.exists() or create):
        yield  # nothing to protect: the open that follows refuses it
        return
    try:
        private_folder(path.parent)
    except OSError:
        yield  # the open that follows says why
        return
    from diazlog.store import StoreError

    try:
        diary_lock.acquire(path, _waiting)
    except StoreError as exc:  # waited two minutes for another program's conversion
        fail(str(exc))
    try:
        yield
    finally:
        diary_lock.release(path)


def clear_plain_leftovers(path: Path) -> None:
    """Remove what a killed backup, restore, conversion or export left (the plain text of
    an encrypted diary among them), at every start of the app and of every command; a file
    another program is still writing is left alone (store/busy.py)."""
    from diazlog.store.file.backup import clear_leftovers
    from diazlog.transfer.export import clear_export_leftovers

    path = Path(path).expanduser()
    try:
        clear_leftovers(path)
        clear_export_leftovers(path)  # exports/ and wherever else one was being written
    except OSError:
        pass  # a read-only folder: nothing could have been left in it by us


def _backup_before_migration(db: Database, version: int) -> None:
    """A backup before an older diary is migrated (imported only when one is)."""
    from diazlog.store.file.backup import backup_before_migration

    backup_before_migration(db, version)


def run_app(path: Path, *, demo: bool = False, years: float = 1.0) -> NoReturn:
    """Run the app on the diary at `path` (or on a fresh demo diary), then exit with its code."""
    demo_folder: Path | None = None
    db: Any = None
    held = ExitStack()
    if demo:
        collector.resume()  # building the demo is no start-up to hurry
        from diazlog.demo import build_demo

        demo_folder = Path(tempfile.mkdtemp(prefix="diazlog-demo-"))
        path = demo_folder / "demo.db"
        say(f"Building {years:g} year(s) of demo data in {path} …")
        db = build_demo(path, years=years)
    else:
        # The app holds the diary's lock for its whole life, its unlock screen included: no
        # restore or conversion replaces the file under it (store/diary_lock.py).
        held.enter_context(hold_diary(path))
        # An encrypted diary is opened by the app's unlock screen; a read-only one opens to
        # look at; the app checks either once it is on screen.
        db = None if _must_unlock(path) else open_or_fail(path, check=False, for_reading=True)
    from diazlog.app import DiazlogApp
    from diazlog.store.file.transactions import is_read_only

    app = DiazlogApp(db, path, demo=demo, read_only=db is not None and is_read_only(db.conn))
    try:
        app.run()
    finally:
        app.close_diary()  # the day folded from the WAL into the file: one file to copy
        held.close()
        if demo_folder is not None:  # the demo diary (and anything exported from it) goes
            if db is not None:
                db.close()
            shutil.rmtree(demo_folder, ignore_errors=True)
            say(f"Removed the demo data in {demo_folder}.")
    sys.exit(app.return_code or 0)


@contextmanager
def database_errors_as_one_line() -> Iterator[None]:
    """What no command caught itself, said in one line (exit 2) instead of a traceback.

    A stored value that does not parse (a flipped byte in a date, `2026-j7-28`) raises a
    ValueError where it is read; that is damage to point at a backup, as is an SQLite error
    about the file's content. A lock or a full disk is asked about instead.
    """
    from diazlog.domain.validation import InvalidInput
    from diazlog.store.file import sqlerrors

    try:
        yield
    except InvalidInput as exc:  # something typed that only the save could refuse
        fail(f"nothing was saved: {exc}")
    except UnicodeError as exc:  # text in the diary that is not UTF-8
        fail(_damaged(f"text that is not valid UTF-8: {getattr(exc, 'reason', exc)}"))
    except ValueError as exc:  # a stored date or number that does not parse
        if not str(exc).startswith(_UNPARSED_STORED_VALUE):
            raise  # another ValueError is a bug: its traceback, exit 1
        fail(_damaged(str(exc)[:120]))
    except sqlerrors.DatabaseError as exc:
        if sqlerrors.reads_as_damage(exc):  # damage quick_check did not see (an index, say)
            fail(_damaged(str(exc)[:120]))
        if isinstance(exc, sqlerrors.OperationalError):  # a full disk or a lock
            fail(f"nothing was saved: {exc} (is the disk full, or the database locked?)")
        raise  # IntegrityError & co. are bugs, not damage


# What Python says when a stored text is not the date, time or number it must be.
_UNPARSED_STORED_VALUE = (
    "Invalid isoformat string",
    "could not convert string to float",
    "invalid literal for int()",
    "time data",
    "day is out of range",
    "month must be in",
    "year ",
    "hour must be in",
    "minute must be in",
)


def _damaged(detail: str) -> str:
    """The message for a damaged diary; `detail` may quote stored bytes, so anything that is
    not printable is shown as an escape (\\x1b), never sent to the terminal raw."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in detail)
    return (
        f"the diary could not be read ({shown}); it may be damaged: "
        "`diazlog restore FILE` takes back a backup"
    )
