"""A diary file replaced under an open connection is never saved into (store/identity.py), and
the app says so and offers to reopen, keeping what is on screen (diazlog/diary_file.py).

diazlog's own restore and conversions wait for the diary's lock; this is the case of a
program that ignores it (an older diazlog, a sync tool), done here with os.replace.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Button, Static

from diazlog.diary_file import REPLACED_TITLE
from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.file.backup import backup_file
from diazlog.store.file.identity import FileReplaced, file_identity, is_replaced
from diazlog.store.queries.days import load_day, save_day
from tests.conftest import ratings
from tests.support.helpers import NOW, TODAY


def replace_under(db_path: Path, tmp_path: Path) -> None:
    """Another program puts a copy of the diary in its place (a new file, a new inode)."""
    copy = backup_file(db_path, tmp_path / "copy.db")
    os.replace(copy, db_path)


def test_a_write_into_a_replaced_file_is_refused(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    save_day(db, DayLog("2026-11-20", ratings=(Rating(1, 2),)), NOW)  # same file: saved
    replace_under(db_path, tmp_path)
    with pytest.raises(FileReplaced, match="was replaced by another program"):
        save_day(db, DayLog("2026-11-21", ratings=(Rating(1, 9),)), NOW)
    assert load_day(db, "2026-11-21") is None  # not in the old file either
    db.close()
    fresh = open_database(db_path)
    assert load_day(fresh, "2026-11-21") is None
    save_day(fresh, DayLog("2026-11-21", ratings=(Rating(1, 9),)), NOW)  # the new file: fine
    fresh.close()


IDENTITY_CASES = [
    # (what happens to the file, replaced?)
    ("nothing", False),
    ("another connection writes", False),
    ("a new file under the name", True),
    ("the file removed", True),
]


@pytest.mark.parametrize(("change", "replaced"), IDENTITY_CASES)
def test_what_counts_as_replaced(
    db_path: Path, tmp_path: Path, change: str, replaced: bool
) -> None:
    before = file_identity(db_path)
    if change == "another connection writes":
        other = open_database(db_path)
        save_day(other, DayLog("2026-11-22", ratings=(Rating(1, 5),)), NOW)
        other.close()
    elif change == "a new file under the name":
        replace_under(db_path, tmp_path)
    elif change == "the file removed":
        os.replace(db_path, tmp_path / "moved.db")
    assert is_replaced(db_path, before) is replaced


async def test_the_app_stops_saving_says_so_and_reopens_keeping_the_form(
    make_app, db_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("3")  # typed, not saved yet
        await pilot.pause()
        replace_under(db_path, tmp_path)
        assert app.diary_file.check()  # what its timer asks every second
        await pilot.pause()
        assert type(app.screen).__name__ == "Confirm"
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert REPLACED_TITLE in shown and "Nothing more is saved" in shown
        assert str(app.screen.query_one("#yes", Button).label) == "Reopen (y)"
        await pilot.press("n")  # not now
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Not saved") and "replaced" in m for m in messages)
        assert load_day(app.db, TODAY) is None  # nothing went into the old file
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"reopen the diary")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not app.file_replaced
        assert ratings(app).value_of("symptom-1") == 3  # the form kept what was typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = load_day(app.db, TODAY)
        assert saved is not None and saved.ratings[0].intensity == 3
    check = open_database(db_path)
    saved = load_day(check, TODAY)
    check.close()
    assert saved is not None and saved.ratings[0].intensity == 3  # in the new file
