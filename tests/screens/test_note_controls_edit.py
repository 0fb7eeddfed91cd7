"""Editing a day whose note holds control characters: the note is shown with escapes, and a
save keeps the stored characters where the user did not touch them (they were saved as the
four printable characters '\\x1b', changing the note behind the user's back)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import TextArea

from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from tests.support.helpers import TODAY

NOTE = "Bad night \x1b[2J then\x07 ok\nsecond line"


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def saved_note(db_path: Path) -> str:
    day = load_day(open_database(db_path), TODAY)
    assert day is not None
    return day.note


async def test_a_note_with_control_characters_survives_an_edit(make_app, db_path: Path) -> None:
    save_day(open_database(db_path), DayLog(TODAY, ratings=(Rating(1, 2),), note=NOTE))
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        note = app.screen.query_one("#field-note", TextArea)
        assert note.text == "Bad night \\x1b[2J then\\x07 ok\nsecond line"  # shown escaped
        # Another field changed and saved: the note is stored as it was.
        await pilot.press("l", "3", "escape", "ctrl+s")
        await settle(pilot)
        assert saved_note(db_path) == NOTE
        day = load_day(open_database(db_path), TODAY)
        assert day is not None and day.activity_min == 3
        # The note itself edited (typed at its start): the rest keeps its characters.
        await pilot.press("f", "N", "B", ":", "space", "escape", "ctrl+s")
        await settle(pilot)
        assert saved_note(db_path) == "NB: " + NOTE
        assert note.text == "NB: Bad night \\x1b[2J then\\x07 ok\nsecond line"
        assert "\x1b[2J" not in note.text
