"""Nothing diazlog does while it has the diary open may drop SQLite's locks on it.

SQLite's locks are POSIX advisory locks: they belong to the process and the file, and
closing *any* descriptor of the file releases all of them, even one opened only to read its
first 16 bytes. Another program (another diazlog, `diazlog status`, the sqlite3 shell) that
then closes its connection believes it is the last one, checkpoints and deletes the
write-ahead log this process still writes into: every later save is lost without a word
(found by a reviewer: save in the app, run `diazlog status`, save again, quit: gone).

Each case: open the diary, save, do one thing that reads the file, let another process open
and close the diary, save again, close; then the second save must be in the file.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day

OTHER_READER = """
import sys
from diazlog.store.file.cipher import connect_file
from diazlog.passphrase import ensure_unlocked
from pathlib import Path
path = Path(sys.argv[1])
ensure_unlocked(path)
conn = connect_file(path)
rows = conn.execute("SELECT date FROM ratings WHERE intensity = 7").fetchall()
conn.close()
print(",".join(r[0] for r in rows))
"""


def another_process_opens_and_closes(path: Path) -> str:
    """What another process finds saved with rating 7 (it opens, reads and closes)."""
    return subprocess.run(
        [sys.executable, "-c", OTHER_READER, str(path)],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _is_encrypted(path: Path) -> None:
    from diazlog.store.file.cipher import is_encrypted

    is_encrypted(path)


def _needs_passphrase(path: Path) -> None:
    from diazlog.store.file.cipher import needs_passphrase

    needs_passphrase(path)


def _integrity_check(path: Path) -> None:
    from diazlog.store.file.integrity import check_file

    check_file(path)


def _backup(path: Path) -> None:
    from diazlog.store.file.backup import backup_file

    backup_file(path, path.parent / "backups" / "copy.db")


def _open_again(path: Path) -> None:
    open_database(path).close()


def _check_backup_of_itself(path: Path) -> None:
    from diazlog.store.file.backup import check_backup

    check_backup(path)


READS: dict[str, Callable[[Path], None]] = {
    "is_encrypted": _is_encrypted,
    "needs_passphrase": _needs_passphrase,
    "integrity check (the app's start-up worker)": _integrity_check,
    "a backup": _backup,
    "a second connection": _open_again,
    "checking a file as a backup": _check_backup_of_itself,
}


@pytest.mark.parametrize("read", list(READS.values()), ids=list(READS))
def test_a_read_of_the_file_keeps_later_saves(db_path: Path, read: Callable[[Path], None]) -> None:
    db = open_database(db_path)
    save_day(db, DayLog("2026-11-24", ratings=(Rating(1, 3),)))
    read(db_path)
    another_process_opens_and_closes(db_path)
    save_day(db, DayLog("2026-11-25", ratings=(Rating(1, 7),)))
    # Saved means saved for everybody, not only for this connection (whose write-ahead log
    # may have been deleted under it), and whether or not this process ever closes it.
    assert another_process_opens_and_closes(db_path) == "2026-11-25"
    assert load_day(db, "2026-11-25") is not None


async def test_the_app_keeps_saving_after_diazlog_status_ran(make_app, db_path: Path) -> None:
    """The reviewer's steps: save in the app, `diazlog status` in another terminal, save
    again in the app; another process then finds the second save (it used to find nothing:
    the app's start-up integrity check had dropped its locks)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the start-up integrity check has run
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        status = subprocess.run(
            [sys.executable, "-m", "diazlog", "--db", str(db_path), "status"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert status.returncode == 0, status.stderr
        await pilot.press("up", "7", "ctrl+s")
        await pilot.pause()
        assert another_process_opens_and_closes(db_path) == "2026-11-25"
