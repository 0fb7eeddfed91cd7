"""A damaged page (one flipped byte, as a failing disk leaves it) is caught and contained.

Every command refuses the diary with one line and the way out (the verified backups), exit 2;
the app says so on screen; no backup of it is made or rotated in, so the good backups survive.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from diazlog.app import STAYS, DiazlogApp
from diazlog.cli import SUBCOMMANDS
from diazlog.store import open_database
from diazlog.store.file.backup import (
    KEEP_DAILY,
    backups_folder,
    clear_leftovers,
    copy_database,
    daily_backup,
    daily_backup_path,
    daily_backups,
    rotate,
)
from diazlog.store.file.busy import held
from diazlog.store.file.integrity import DamagedDiary, good_backups, is_good
from tests.conftest import checkpointed_demo, copy_as_diary
from tests.support.damage import flip_a_byte
from tests.support.helpers import NOW, invoke, wait_until

TABLES = ("days", "ratings", "doses")
# Arguments for each command that opens the diary; a command not named here (one added later,
# such as `flags`) is run without arguments and must refuse the same way.
ARGS: dict[str, list[str]] = {
    "status": [],
    "log": ["leg_pain=3", "--note", "after a walk"],
    "backup": [],
    "export": ["--out", "{tmp}/export"],
    "report": ["--out", "{tmp}/visit.md"],
    "import": ["{tmp}/good-export"],
    "calendar": ["--out", "{tmp}/doses.ics"],
    "remind": ["--install", "--cron"],
}
NOT_OPENING = {"restore"}  # the way out: it replaces the diary and has its own tests


@pytest.fixture(scope="module")
def good_diary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A quarter year of demo diary, built once; each test works on a copy."""
    return checkpointed_demo(tmp_path_factory.mktemp("good") / "diazlog.db", 0.25)


copy_of = copy_as_diary


def one_line(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output + result.stderr
    return lines[0]


def make_good_backups(path: Path, days: int) -> list[Path]:
    start = NOW.date() - timedelta(days=days)
    for n in range(days):
        assert daily_backup(path, start + timedelta(days=n)) is not None
    return daily_backups(path)


@pytest.mark.parametrize("table", TABLES)
def test_every_command_refuses_a_damaged_page(good_diary: Path, tmp_path: Path, table: str) -> None:
    path = copy_of(good_diary, tmp_path)
    assert invoke(path, "export", "--out", str(tmp_path / "good-export")).exit_code == 0
    good = make_good_backups(path, 2)
    flip_a_byte(path, table)
    damaged = path.read_bytes()
    names = sorted(set(SUBCOMMANDS) - NOT_OPENING)
    assert {"status", "log", "backup", "export", "report"} <= set(names)
    for name in names:
        args = [a.replace("{tmp}", str(tmp_path)) for a in ARGS.get(name, [])]
        result = invoke(path, name, *args)
        assert result.exit_code == 2, (name, result.output)
        line = one_line(result)
        assert f"{path} is damaged" in line, (name, line)
        assert "diazlog restore" in line and str(good[-1]) in line, (name, line)
        assert path.read_bytes() == damaged, f"{name} wrote into the damaged diary"
    assert daily_backups(path) == good  # `backup` made no copy of it
    assert sorted(p.name for p in backups_folder(path).iterdir()) == [p.name for p in good]
    assert not (tmp_path / "export").exists()
    assert not (tmp_path / "visit.md").exists()


def test_the_message_names_only_verified_backups(good_diary: Path, tmp_path: Path) -> None:
    path = copy_of(good_diary, tmp_path)
    good = make_good_backups(path, 2)
    bad = backups_folder(path) / "diazlog-manual-2026-11-25-120000.db"
    shutil.copyfile(path, bad)
    flip_a_byte(bad, "days")
    flip_a_byte(path, "days")
    assert good_backups(path) == sorted(good, reverse=True)
    line = one_line(invoke(path, "status"))
    assert str(good[0]) in line and str(good[1]) in line and str(bad) not in line


def test_no_backup_is_made_or_rotated_in_over_20_damaged_days(
    good_diary: Path, tmp_path: Path
) -> None:
    path = copy_of(good_diary, tmp_path)
    good = make_good_backups(path, KEEP_DAILY)
    flip_a_byte(path, "ratings")
    for n in range(20):
        with pytest.raises(DamagedDiary):
            daily_backup(path, NOW.date() + timedelta(days=n + 1))
    assert daily_backups(path) == good
    assert all(is_good(p) for p in good)
    assert list(backups_folder(path).glob(".*")) == []  # nothing half-made either


def test_rotation_never_deletes_the_newest_good_backup(good_diary: Path, tmp_path: Path) -> None:
    """Damaged daily copies (as an older diazlog made them) cannot push the good one out."""
    path = copy_of(good_diary, tmp_path)
    [good] = make_good_backups(path, 1)
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(path, damaged)
    flip_a_byte(damaged, "doses")
    first = date.fromisoformat(good.name[len("diazlog-") : -len(".db")])
    for n in range(1, 21):
        shutil.copyfile(damaged, daily_backup_path(path, first + timedelta(days=n)))
    deleted = rotate(path)
    kept = daily_backups(path)
    assert len(deleted) == 21 - KEEP_DAILY - 1 and good not in deleted
    assert good in kept and len(kept) == KEEP_DAILY + 1
    assert good_backups(path) == [good]


def test_a_backup_that_fails_its_check_never_gets_its_name(
    good_diary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diazlog.store.file.backup as backup

    path = copy_of(good_diary, tmp_path)
    checked: list[str] = []

    def copy_fails(conn):  # type: ignore[no-untyped-def]
        name = backup._file_of(conn).name
        checked.append(name)
        return "page 3 is damaged" if name.endswith(".tmp") else None

    monkeypatch.setattr(backup, "quick_check", copy_fails)
    dest = tmp_path / "out" / "copy.db"
    db = open_database(path)
    try:
        with pytest.raises(backup.BackupFailed, match="failed its check"):
            copy_database(db.conn, dest)
    finally:
        db.close()
    assert [n for n in checked if n.endswith(".tmp")]  # the copy itself was checked
    assert list(dest.parent.iterdir()) == []


def test_leftovers_of_a_killed_backup_are_cleared(good_diary: Path, tmp_path: Path) -> None:
    path = copy_of(good_diary, tmp_path)
    folder = backups_folder(path)
    folder.mkdir(mode=0o700)
    stale = [
        folder / ".diazlog-2026-11-24.db.diazlog-k2j3h4g5.tmp",
        folder / ".diazlog-2026-11-24.db.diazlog-k2j3h4g5.tmp-journal",
        path.parent / ".diazlog.db.diazlog-x8y9z7w6.tmp",
    ]
    for file in stale:
        file.write_bytes(b"half")
    kept = folder / "diazlog-2026-11-23.db"
    shutil.copyfile(path, kept)
    in_the_making = folder / ".diazlog-manual-2026-11-25-213000.db.diazlog-a1b2c3d4.tmp"
    in_the_making.write_bytes(b"being written by another process")
    with held(in_the_making):  # a live writer's lock: not a leftover
        assert sorted(clear_leftovers(path)) == sorted(stale)
        assert in_the_making.exists()
    assert not any(p.exists() for p in stale) and kept.exists()
    assert clear_leftovers(path) == [in_the_making]  # its writer gone, it is one


async def test_the_app_says_on_screen_that_the_diary_is_damaged(
    good_diary: Path, tmp_path: Path
) -> None:
    path = copy_of(good_diary, tmp_path)
    good = make_good_backups(path, 2)
    flip_a_byte(path, "days")
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await wait_until(
            lambda: any(n.title == "Your diary is damaged" for n in app._notifications)
        )
        [note] = [n for n in app._notifications if n.title == "Your diary is damaged"]
        assert note.severity == "error" and note.timeout >= STAYS  # stays until dismissed
        assert f"{path} is damaged" in note.message and str(good[-1]) in note.message
        toasts = app.screen.query("Toast")
        assert toasts and "Your diary is damaged" in str(toasts.first().render())
    assert daily_backups(path) == good  # no backup of today was made of it


async def test_a_read_that_hits_the_damage_ends_the_app_with_one_line(
    good_diary: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy_of(good_diary, tmp_path)
    flip_a_byte(path, "days")
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        # History reads every day: it meets the damaged page. (Not pilot.press: it waits
        # for the screen, which is gone once the app has ended.)
        app.call_later(app.switch_mode, "history")
        await wait_until(lambda: app._exit)
    assert app.return_code == 2
    said = capsys.readouterr()
    printed = said.err.replace("\n", "") + said.out.replace("\n", "")
    assert f"{path} is damaged" in printed and "diazlog restore" in printed
    assert "Traceback" not in printed


def test_a_good_diary_passes(good_diary: Path, tmp_path: Path) -> None:
    """The check is not a refusal of everything: the same commands work on the good copy."""
    path = copy_of(good_diary, tmp_path)
    for name, args in (("status", []), ("backup", []), ("log", ["leg_pain=3"])):
        result = invoke(path, name, *args)
        assert result.exit_code == 0, (name, result.output)
    assert len(good_backups(path)) == 1


@pytest.mark.parametrize("table", TABLES)
def test_restore_is_the_way_out(good_diary: Path, tmp_path: Path, table: str) -> None:
    """The backup the message names takes the diary back; the damaged file is kept aside."""
    path = copy_of(good_diary, tmp_path)
    [good] = make_good_backups(path, 1)
    flip_a_byte(path, table)
    damaged = path.read_bytes()
    result = invoke(path, "restore", str(good))
    assert result.exit_code == 0, result.output
    assert is_good(path) and invoke(path, "status").exit_code == 0
    [kept] = backups_folder(path).glob("diazlog-before-restore-*.db")
    assert kept.read_bytes() == damaged and f"kept as {kept}" in result.output
    assert good_backups(path) == [good]  # the damaged one kept aside is never offered


async def test_the_app_saves_nothing_into_a_diary_it_called_damaged(
    good_diary: Path, tmp_path: Path
) -> None:
    """Found damaged at start, the diary is read-only: ctrl+s on Today, a new symptom and a
    Medicines edit say why on screen, and the file is left byte for byte as it was."""
    path = copy_of(good_diary, tmp_path)
    flip_a_byte(path, "days")
    before = path.read_bytes()
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.damaged and app.read_only
        await pilot.press("7", "4", "ctrl+s")
        await pilot.pause()
        last = list(app._notifications)[-1]
        assert last.title == "Your diary is damaged" and "Not saved" in last.message
        assert "diazlog restore" in last.message
        toasts = " ".join(str(t.render()) for t in app.screen.query("Toast"))
        assert "Not saved: this diary is damaged" in toasts
        assert app.screen.dirty  # the entries stay on screen
        app.screen.write_draft()  # the crash draft is not written into it either
        assert not app.screen._draft_written
        await pilot.press("ctrl+q")
        await pilot.pause()
        if type(app.screen).__name__ == "UnsavedChanges":
            await pilot.press("d")
    assert path.read_bytes() == before
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # no page written beside it either
