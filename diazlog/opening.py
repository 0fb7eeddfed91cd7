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
from contextlib import contextmanager
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
    from diazlog.store.errors import CorruptDatabase

    try:
        from diazlog.passphrase import ensure_unlocked

        ensure_unlocked(path)  # an encrypted diary: its passphrase (file or prompt)
        db = open_database(
            path,
            create=create,
            before_migration=_backup_before_migration,
            for_reading=for_reading,
        )
        if check:
            from diazlog.store.integrity import check_connection

            try:
                check_connection(db.conn, Path(path).expanduser())
            except StoreError:
                db.close()
                raise
        return db
    except CorruptDatabase as exc:
        from diazlog.store.integrity import DamagedDiary

        fail(str(DamagedDiary(exc.path, exc.detail)))  # with the verified backups
    except StoreError as exc:
        fail(str(exc))


def _backup_before_migration(db: Database, version: int) -> None:
    """A backup before an older diary is migrated (imported only when one is)."""
    from diazlog.store.backup import backup_before_migration

    backup_before_migration(db, version)


def run_app(path: Path, *, demo: bool = False, years: float = 1.0) -> NoReturn:
    """Run the app on the diary at `path` (or on a fresh demo diary), then exit with its code."""
    demo_folder: Path | None = None
    db: Any = None
    if demo:
        collector.resume()  # building the demo is no start-up to hurry
        from diazlog.demo import build_demo

        demo_folder = Path(tempfile.mkdtemp(prefix="diazlog-demo-"))
        path = demo_folder / "demo.db"
        say(f"Building {years:g} year(s) of demo data in {path} …")
        db = build_demo(path, years=years)
    else:
        from diazlog.passphrase import app_must_unlock

        # An encrypted diary is opened by the app's unlock screen; a read-only one opens to
        # look at; the app checks either once it is on screen.
        db = None if app_must_unlock(path) else open_or_fail(path, check=False, for_reading=True)
    from diazlog.app import DiazlogApp
    from diazlog.store.connection import is_read_only

    app = DiazlogApp(db, path, demo=demo, read_only=db is not None and is_read_only(db.conn))
    try:
        app.run()
    finally:
        if demo_folder is not None:  # the demo diary (and anything exported from it) goes
            if db is not None:
                db.close()
            shutil.rmtree(demo_folder, ignore_errors=True)
            say(f"Removed the demo data in {demo_folder}.")
    sys.exit(app.return_code or 0)


@contextmanager
def database_errors_as_one_line() -> Iterator[None]:
    """What no command caught itself, said in one line (exit 2) instead of a traceback."""
    from diazlog.store import sqlerrors

    try:
        yield
    except sqlerrors.OperationalError as exc:  # a full disk or a lock
        fail(f"nothing was saved: {exc} (is the disk full, or the database locked?)")
    except sqlerrors.DatabaseError as exc:  # damage quick_check did not see (an index, say)
        if not sqlerrors.is_damage(exc):  # IntegrityError & co. are bugs, not damage
            raise
        fail(
            f"the diary could not be read ({exc}); it may be damaged: "
            "`diazlog restore FILE` takes back a backup"
        )
