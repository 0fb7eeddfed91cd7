"""The diary is one file when nothing runs (issue 20, item 4): after the app quits and after
every command, `diazlog.db` copied alone holds every row; nothing is left only in `-wal`.

Measured before the fix: log a day, ctrl+q, copy the .db: `select count(*) from days` was 0.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.file.cipher import connect_file, is_encrypted
from diazlog.store.file.closing import closing_what_opens
from diazlog.store.queries.days import save_day
from tests.support.helpers import NOW, TODAY

ROOT = Path(__file__).resolve().parents[2]


def copied_alone(db_path: Path, tmp_path: Path) -> Path:
    """The .db file copied by itself to another folder, as to a stick."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    copy = folder / db_path.name
    shutil.copyfile(db_path, copy)
    return copy


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = connect_file(path) if is_encrypted(path) else sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


LEG_PAIN = "SELECT date, intensity FROM ratings WHERE symptom_id = 1 ORDER BY date"


@pytest.mark.parametrize("how", ["ctrl+q", "palette"])
async def test_a_day_logged_in_the_app_is_in_the_db_file_after_quitting(
    make_app, db_path: Path, tmp_path: Path, how: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        assert any("Saved" in n.message for n in app._notifications)
        if how == "ctrl+q":
            await pilot.press("ctrl+q")
        else:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"quit")
            await pilot.pause()
            await pilot.press("enter")
        await pilot.pause()
    assert (TODAY, 3) in rows(copied_alone(db_path, tmp_path), LEG_PAIN)
    assert app.db.closed
    wal = Path(f"{db_path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def run(db_path: Path, *args: str, stdin: str = "") -> str:
    """A command in a process of its own, as from the shell."""
    done = subprocess.run(
        [sys.executable, "-m", "diazlog", "--db", str(db_path), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_after_each_command_the_db_file_alone_holds_every_row(
    db_path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "other-tracker.csv"
    csv.write_text("date,leg_pain\n2026-11-10,6\n")
    steps = [
        ("log", "--date", "2026-11-20", "leg_pain=4"),
        ("import", str(csv)),
        ("take",),
        ("status",),
        ("flags",),
        ("export", "--out", str(tmp_path / "export")),
        ("backup", "--out", str(tmp_path / "b.db")),
    ]
    for step in steps:
        run(db_path, *step)
        copy = copied_alone(db_path, tmp_path)
        assert rows(copy, LEG_PAIN) == rows(db_path, LEG_PAIN), step
        for table in ("days", "ratings", "doses", "settings"):
            count = f"SELECT count(*) FROM {table}"
            assert rows(copy, count) == rows(db_path, count), (step, table)
    assert ("2026-11-20", 4) in rows(copied_alone(db_path, tmp_path), LEG_PAIN)
    assert ("2026-11-10", 6) in rows(copied_alone(db_path, tmp_path), LEG_PAIN)


def test_a_command_closes_what_it_opened_whatever_it_forgot(db_path: Path) -> None:
    """The mechanism under the commands: a database opened inside the scope and never
    closed is folded and closed at its end, so its save is in the file."""
    with closing_what_opens():
        db = open_database(db_path)
        save_day(db, DayLog("2026-11-21", ratings=(Rating(1, 8),)), NOW)
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0  # the save is in the WAL so far
    assert db.closed
    assert not wal.exists() or wal.stat().st_size == 0
    assert ("2026-11-21", 8) in rows(db_path, LEG_PAIN)
