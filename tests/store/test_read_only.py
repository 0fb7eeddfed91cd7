"""A read-only diary (0400, or in a read-only folder) opens to look at, never to write.

status, report, export and backup open it read-only and work; `log` and the app's save say
in one line that it is read-only, and the file is left as it was. Also: a usage error is one
line, and a diary reached through a symlink is backed up beside the real file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import TextArea

from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.file.backup import backups_folder
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.settings import set_setting
from tests.conftest import ratings
from tests.support.helpers import NOW, TODAY, invoke

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def logged(db_path: Path) -> Path:
    """A diary with today logged (leg pain 6), checkpointed so the file holds everything."""
    db = open_database(db_path)
    set_setting(db, "welcomed", "1")
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 6),), note="stiff"), NOW)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return db_path


@pytest.fixture(params=["file", "folder"])
def read_only(request: pytest.FixtureRequest, logged: Path) -> Iterator[Path]:
    """The logged diary made read-only: the file 0400, or its folder 0500."""
    locked = logged if request.param == "file" else logged.parent
    mode = locked.stat().st_mode & 0o777
    locked.chmod(0o400 if request.param == "file" else 0o500)
    yield logged
    locked.chmod(mode)


def test_read_only_commands_work_on_a_read_only_diary(read_only: Path, tmp_path: Path) -> None:
    before = read_only.read_bytes()
    status = invoke(read_only, "status")
    assert status.exit_code == 0, status.output
    assert status.output.startswith("diazlog Wed 25 Nov: today logged")
    out = tmp_path / "out"
    exported = invoke(read_only, "export", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert ",6," in (out / "ratings.csv").read_text()
    report = invoke(read_only, "report", "--out", str(tmp_path / "visit.md"))
    assert report.exit_code == 0, report.output
    assert "Leg pain" in (tmp_path / "visit.md").read_text()
    flags = invoke(read_only, "flags", "--json")
    assert flags.exit_code == 0, flags.output
    assert isinstance(json.loads(flags.output), list)
    copy = tmp_path / "copy.db"
    backup = invoke(read_only, "backup", "--out", str(copy))
    assert backup.exit_code == 0, backup.output
    day = load_day(open_database(copy), TODAY)
    assert day is not None and day.note == "stiff"
    assert read_only.read_bytes() == before


def test_log_on_a_read_only_diary_is_one_clear_line(read_only: Path) -> None:
    before = read_only.read_bytes()
    result = invoke(read_only, "log", "leg_pain=2")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "read-only, so nothing could be saved" in line and "Saved" not in result.output
    assert read_only.read_bytes() == before


async def test_the_app_opens_a_read_only_diary_and_says_so_on_save(read_only: Path) -> None:
    from diazlog.store.file.transactions import is_read_only

    db = open_database(read_only, for_reading=True)
    assert is_read_only(db.conn)
    app = DiazlogApp(db, read_only, clock=lambda: NOW, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#field-note", TextArea).text == "stiff"
        notices = [n.message for n in app._notifications]
        assert any("read-only" in n for n in notices), notices
        ratings(app).focus_row("symptom-1")
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        last = list(app._notifications)[-1].message
        assert "Not saved" in last and "read-only" in last, last
        assert app.screen.dirty  # the entry stays on screen
    day = load_day(open_database(read_only, for_reading=True), TODAY)
    assert day is not None and day.ratings == (Rating(1, 6),)


def test_db_on_a_directory_is_one_line(tmp_path: Path) -> None:
    for args in (["status"], ["log", "leg_pain=3"], []):
        result = CliRunner().invoke(cli, ["--db", str(tmp_path), *args])
        assert result.exit_code == 2
        (line,) = result.output.strip().splitlines()
        assert "is a directory" in line


def test_a_bad_option_is_one_line(db_path: Path) -> None:
    result = invoke(db_path, "log", "--nope")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "No such option '--nope'" in line and line.endswith("log --help)")


def test_backups_of_a_symlinked_diary_go_beside_the_real_file(logged: Path, tmp_path: Path) -> None:
    link = tmp_path / "elsewhere" / "diary.db"
    link.parent.mkdir()
    link.symlink_to(logged)
    result = invoke(link, "backup")
    assert result.exit_code == 0, result.output
    beside_real = list(backups_folder(logged).glob("*.db"))
    assert len(beside_real) == 1 and str(beside_real[0]) in result.output
    assert not (link.parent / "backups").exists()
    assert link.is_symlink()


@pytest.mark.parametrize(("mode", "key"), [("medicines", "a"), ("doctor", "a"), ("doctor", "n")])
async def test_other_screens_say_read_only_instead_of_writing(
    read_only: Path, mode: str, key: str
) -> None:
    before = read_only.read_bytes()
    app = DiazlogApp(open_database(read_only, for_reading=True), read_only, clock=lambda: NOW)
    app.read_only = True
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode(mode)
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        last = list(app._notifications)[-1].message
        assert "read-only, so nothing can be saved" in last, last
        assert len(app.screen_stack) == 1  # no dialog opened for an edit that cannot be kept
    assert read_only.read_bytes() == before
