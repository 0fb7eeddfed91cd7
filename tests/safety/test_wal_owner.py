"""`mv other.db diary.db` while the app has the diary open: the app's WAL, left under the
diary's name, belongs to the old file and is never replayed into the new one. The next opener
sets it aside (never deletes it) and says so in one line; the app finds its file replaced
before its next save; the new diary opens whole afterwards."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from textual.pilot import Pilot

from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file import wal_owner
from diazlog.store.file.errors import StoreError
from diazlog.store.file.wal_owner import OWNER_SUFFIX
from tests.support.helpers import TODAY


def invoke(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def pain(db_path: Path, day: str) -> int | None:
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT intensity FROM ratings WHERE date = ? AND symptom_id = 1", [day]
    ).fetchone()
    ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    assert ok == "ok"
    return row[0] if row else None


async def test_a_wal_of_the_replaced_file_is_set_aside_not_replayed(
    make_app, db_path: Path, tmp_path: Path, new_diary
) -> None:
    other = new_diary(tmp_path / "other" / "diazlog.db")
    assert invoke(other, "log", "--date", "2026-11-01", "leg_pain=2").exit_code == 0
    app = make_app()
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("7", "ctrl+s")  # saved by the app: its WAL holds it
        await settle(pilot)
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0
        assert Path(f"{db_path}{OWNER_SUFFIX}").is_file()
        os.replace(other, db_path)  # mv other.db diary.db, the app still open
        result = invoke(db_path, "status")
        assert result.exit_code == 2 and result.output.count("\n") == 1
        assert "set aside" in result.output and "not applied" in result.output
        assert not wal.exists()
        kept = [p for p in db_path.parent.iterdir() if ".set-aside-" in p.name]
        assert any(p.name.startswith("diazlog.db-wal.set-aside-") for p in kept)
        # The app finds its file replaced (what its timer asks every second) and its next
        # save is refused.
        assert app.diary_file.check()
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")  # not now
        await settle(pilot)
        await pilot.press("8", "ctrl+s")
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Not saved") and "replaced" in m for m in messages)
    # The new diary, whole, as it was moved in: nothing of the old file's WAL in it.
    assert invoke(db_path, "log", "--date", "2026-11-02", "leg_pain=4").exit_code == 0
    assert pain(db_path, "2026-11-01") == 2 and pain(db_path, "2026-11-02") == 4
    assert pain(db_path, TODAY) is None


def test_a_wal_of_this_file_is_replayed_as_ever(db_path: Path) -> None:
    """A WAL left by a crash of a program that had this very file open is its own."""
    db = open_database(db_path)
    db.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    db.conn.commit()
    copy = db_path.parent / "snapshot"
    copy.mkdir()
    for suffix in ("", "-wal", "-shm"):  # the files as a crash leaves them
        src = Path(f"{db_path}{suffix}")
        (copy / f"diazlog.db{suffix}").write_bytes(src.read_bytes())
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").write_bytes((copy / f"diazlog.db{suffix}").read_bytes())
    assert Path(f"{db_path}-wal").stat().st_size > 0
    assert invoke(db_path, "status").exit_code == 0
    assert not [p for p in db_path.parent.iterdir() if ".set-aside-" in p.name]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    conn.close()


@pytest.mark.parametrize(
    ("owner", "read_only", "outcome"),
    [
        (None, False, "kept"),  # a diary from before: left to SQLite
        ("this", False, "kept"),  # its own WAL: replayed as ever
        ("other", False, "set aside"),
        ("other", True, "refused"),  # cannot rename: refused, the WAL untouched
        ("garbage\x00", False, "set aside"),  # an unreadable record is not this file's
    ],
)
def test_which_wal_is_set_aside(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    owner: str | None,
    read_only: bool,
    outcome: str,
) -> None:
    diary = tmp_path / "d.db"
    diary.write_bytes(b"db")
    wal = Path(f"{diary}-wal")
    wal.write_bytes(b"frames")
    if owner is not None:
        info = os.stat(diary)
        text = f"{info.st_dev} {info.st_ino}" if owner == "this" else owner
        if owner == "other":
            text = f"{info.st_dev} {info.st_ino + 1}"
        Path(f"{diary}{OWNER_SUFFIX}").write_text(text)
    if read_only:  # as a read-only folder answers a rename (root would be let through)

        def refuse(*_args: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(wal_owner.os, "replace", refuse)
    if outcome == "kept":
        wal_owner.check(diary)
    else:
        with pytest.raises(StoreError) as refused:
            wal_owner.check(diary)
        assert "\n" not in str(refused.value)
    monkeypatch.undo()
    set_aside = [p for p in tmp_path.iterdir() if ".set-aside-" in p.name]
    assert wal.exists() == (outcome != "set aside")
    assert bool(set_aside) == (outcome == "set aside")
