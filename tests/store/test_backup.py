"""Backups through SQLite's backup API: daily and rolling, by command, before a restore; and a
restore that checks the file first and keeps what it replaces."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.file import schema
from diazlog.store.file.backup import (
    KEEP_DAILY,
    backups_folder,
    check_backup,
    daily_backup,
    daily_backups,
)
from diazlog.store.file.cipher import connect_file
from diazlog.store.queries.days import load_day, save_day
from tests.support.helpers import NOW, TODAY, dump, invoke, settle

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")


def log(db_path: Path, day: str, pain: int) -> None:
    db = open_database(db_path)
    save_day(db, DayLog(day, ratings=(Rating(1, pain),), note=f"pain {pain}"), NOW)
    db.close()


def pain_on(path: Path, day: str) -> int | None:
    db = open_database(path)
    saved = load_day(db, day)
    db.close()
    return saved.ratings[0].intensity if saved else None


def test_one_daily_backup_a_day_and_the_last_14_kept(db_path: Path) -> None:
    start = date(2026, 11, 1)
    for n in range(20):
        day = start + timedelta(days=n)
        log(db_path, day.isoformat(), n % 11)
        assert daily_backup(db_path, day) is not None
        assert daily_backup(db_path, day) is None  # the same day again: nothing new
    kept = daily_backups(db_path)
    assert len(kept) == KEEP_DAILY == 14
    assert kept[0].name == "diazlog-2026-11-07.db"
    assert kept[-1].name == "diazlog-2026-11-20.db"
    # Each backup holds the diary as it was that day.
    assert pain_on(kept[0], "2026-11-07") == 6
    assert pain_on(kept[0], "2026-11-08") is None
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in kept)
    assert oct(backups_folder(db_path).stat().st_mode & 0o777) == "0o700"


def test_a_backup_while_another_connection_is_writing(db_path: Path) -> None:
    log(db_path, "2026-11-01", 4)
    writer = connect_file(db_path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE days SET note = 'not yet committed'")
    try:
        made = daily_backup(db_path, date(2026, 11, 2))
    finally:
        writer.rollback()
        writer.close()
    assert made is not None
    assert check_backup(made) == schema.LATEST_VERSION
    assert dump(made)["days"][0]["note"] == "pain 4"  # the committed state, whole


def test_backup_command(db_path: Path, tmp_path: Path) -> None:
    log(db_path, "2026-11-01", 5)
    result = invoke(db_path, "backup")
    assert result.exit_code == 0, result.output
    made = backups_folder(db_path) / "diazlog-manual-2026-11-25-213000.db"
    assert f"Backed up to {made}" in result.output
    assert dump(made) == dump(db_path)
    out = tmp_path / "stick" / "copy.db"
    assert invoke(db_path, "backup", "--out", str(out)).exit_code == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert not Path(f"{out}-wal").exists()  # one self-contained file
    again = invoke(db_path, "backup", "--out", str(out))
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_restore_brings_back_the_backup_and_keeps_the_current(db_path: Path) -> None:
    log(db_path, "2026-11-01", 5)
    backup = backups_folder(db_path) / "good.db"
    assert invoke(db_path, "backup", "--out", str(backup)).exit_code == 0
    log(db_path, "2026-11-01", 9)
    log(db_path, "2026-11-02", 2)
    current = dump(db_path)
    result = invoke(db_path, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert pain_on(db_path, "2026-11-01") == 5
    assert pain_on(db_path, "2026-11-02") is None
    kept = backups_folder(db_path) / "diazlog-before-restore-2026-11-25-213000.db"
    assert f"kept as {kept}" in result.output
    assert dump(kept) == current


def test_restore_while_a_connection_is_open_is_refused_and_loses_nothing(db_path: Path) -> None:
    """Another process is kept out by the diary's lock (test_diary_lock.py); a connection the
    lock does not stop (here one in this very process, or the sqlite3 shell) keeps a WAL,
    and the file is then not replaced: the open connection would go on saving into a file
    nobody reads, or its WAL would be applied to the new one."""
    log(db_path, "2026-11-01", 5)
    backup = db_path.parent / "b.db"
    assert invoke(db_path, "backup", "--out", str(backup)).exit_code == 0
    app_db = open_database(db_path)  # the app's connection, kept open throughout
    save_day(app_db, DayLog("2026-11-01", ratings=(Rating(1, 8),)), NOW)
    result = invoke(db_path, "restore", str(backup))
    assert result.exit_code == 2 and "close diazlog first" in result.output
    assert result.output.count("\n") == 1
    save_day(app_db, DayLog("2026-11-03", ratings=(Rating(1, 3),)), NOW)
    app_db.close()
    assert pain_on(db_path, "2026-11-01") == 8  # nothing restored, nothing lost
    assert pain_on(db_path, "2026-11-03") == 3  # written to the real file, not a deleted one


def test_restore_over_a_damaged_database_sets_it_aside(db_path: Path) -> None:
    log(db_path, "2026-11-01", 5)
    backup = db_path.parent / "b.db"
    assert invoke(db_path, "backup", "--out", str(backup)).exit_code == 0
    db = open_database(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * 3996
    db_path.write_bytes(bytes(data))
    db_path.chmod(0o644)  # e.g. copied back by hand from elsewhere
    damaged = db_path.read_bytes()
    assert invoke(db_path, "log", "leg_pain=3").exit_code == 2  # refused, as it should be
    result = invoke(db_path, "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert pain_on(db_path, "2026-11-01") == 5
    kept = backups_folder(db_path) / "diazlog-before-restore-2026-11-25-213000.db"
    assert kept.read_bytes() == damaged
    assert kept.stat().st_mode & 0o777 == 0o600  # health data: readable by the user alone
    assert db_path.stat().st_mode & 0o777 == 0o600


def test_restore_into_a_missing_database(tmp_path: Path, db_path: Path) -> None:
    log(db_path, "2026-11-01", 5)
    target = tmp_path / "new-home" / "diazlog.db"
    result = invoke(target, "restore", str(db_path))
    assert result.exit_code == 0, result.output
    assert pain_on(target, "2026-11-01") == 5
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_restore_of_the_database_itself_is_refused(db_path: Path) -> None:
    result = invoke(db_path, "restore", str(db_path))
    assert result.exit_code == 2 and "is the database itself" in result.stderr


async def test_the_app_makes_todays_backup_once(make_app, db_path: Path) -> None:
    for _ in range(2):
        app = make_app()
        async with app.run_test() as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
    assert [p.name for p in daily_backups(db_path)] == [f"diazlog-{TODAY}.db"]


async def test_back_up_now_from_the_command_palette(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p", *"back up")
        await settle(pilot)  # the palette's search worker has finished
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        made = backups_folder(db_path) / "diazlog-manual-2026-11-25-213000.db"
        assert made.exists()
        assert any(str(made) in n.message for n in app._notifications)


def test_a_demo_app_makes_no_backups(demo_path: Path) -> None:
    from diazlog.app import DiazlogApp

    app = DiazlogApp(open_database(demo_path), demo_path, clock=lambda: NOW, demo=True)
    app._start_daily_backup = lambda: pytest.fail("no backups of demo data")  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test() as pilot:
            await pilot.pause()

    import asyncio

    asyncio.run(run())
    assert not backups_folder(demo_path).exists()


def test_check_backup_accepts_a_read_only_file(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "ro.db"
    assert invoke(db_path, "backup", "--out", str(out)).exit_code == 0
    out.chmod(0o400)
    assert check_backup(out) == schema.LATEST_VERSION
