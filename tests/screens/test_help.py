"""`?` help speaks the user's language and loses no text, on every screen.

Read from what the help screen draws (not from its data), so markup that eats "[" and "]" or
a class name that slips into the table shows up here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.keys import format_key, key_to_character
from textual.screen import Screen
from textual.widgets import Static

from diazlog.app import DiazlogApp
from diazlog.dialogs.help import help_name
from diazlog.screens.today import DoseTable, TodayScreen
from diazlog.store import open_database
from diazlog.store.queries.settings import set_setting
from tests.support.helpers import NOW, settle

# Tall enough that the whole help (Charts has the most keys) is drawn without scrolling.
SIZE = (110, 80)
CAMEL_CASE = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b")  # MedicineTable, HistoryTable
NUMBERED_SYMPTOM = re.compile(r"\bSymptom \d+")


def drawn_lines(screen: Screen, widget_id: str) -> list[str]:  # type: ignore[type-arg]
    """The lines of text `widget_id` draws on screen, cropped to the widget."""
    region = screen.query_one(f"#{widget_id}", Static).region
    strips = screen._compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def drawn_rows(lines: list[str]) -> list[tuple[str, str, str]]:
    """(where, keys, what) as drawn: a line with a place starts a row, a line without one
    continues the row above (a long key list or description wraps)."""
    rows: list[list[str]] = []
    for line in lines:
        if line.count("│") != 2:
            continue  # the title, the header (┃) and its rule
        where, keys, what = (cell.strip() for cell in line.split("│"))
        if where:
            rows.append([where, keys, what])
        else:
            rows[-1][1] = f"{rows[-1][1]} {keys}".strip()
            rows[-1][2] = f"{rows[-1][2]} {what}".strip()
    return [(where, keys, what) for where, keys, what in rows]


def our_bindings(screen: Screen, app: DiazlogApp) -> list[Binding]:  # type: ignore[type-arg]
    """Every binding with a description that diazlog itself declares for this screen: the
    screen's, its widgets', the app's."""
    owners = {type(screen), *(type(w) for w in screen.walk_children())}
    found = list(Binding.make_bindings(app.BINDINGS))
    for owner in owners:
        for klass in owner.__mro__:
            if klass.__module__.startswith("diazlog"):
                found += Binding.make_bindings(klass.__dict__.get("BINDINGS", []))
    return [binding for binding in found if binding.description]


def spellings(binding: Binding, key: str) -> set[str]:
    """How a key may be written for a person: as Textual shows it or as the character typed."""
    if binding.key_display:
        return {binding.key_display}
    return {key, format_key(key), key_to_character(key) or key}


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("key", ["t", "c", "d", "h", "m"])
async def test_help_names_things_as_people_do_and_shows_every_key(
    demo_path: Path, key: str
) -> None:
    db = open_database(demo_path)
    set_setting(db, "welcomed", "1")
    app = DiazlogApp(db, demo_path, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        bindings = our_bindings(screen, app)
        notes = getattr(screen, "HELP", None) or ""
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        lines = drawn_lines(app.screen, "help-keys")
        rows = drawn_rows(lines)
        notes_drawn = "\n".join(drawn_lines(app.screen, "help-notes")) if notes else ""
        shown = "\n".join(lines) + "\n" + notes_drawn

    assert len(rows) >= len({b.tooltip or b.description for b in bindings}) > 3
    assert not CAMEL_CASE.findall(shown), shown
    assert not NUMBERED_SYMPTOM.findall(shown), shown
    for where, keys, _ in rows:
        assert "_" not in keys, (where, keys)  # exclamation_mark, left_square_bracket …
    for binding in bindings:
        what = binding.tooltip or binding.description
        listed = [set(keys.split(", ")) for _, keys, drawn in rows if drawn == words(what)]
        assert listed, (what, rows)
        for one in binding.key.split(","):
            assert any(spellings(binding, one) & keys for keys in listed), (one, what, listed)
    # Nothing of the screen's notes is swallowed (as "[ and ]" once was by markup).
    assert words(notes) in words(notes_drawn)


def test_a_class_without_help_name_is_named_in_words() -> None:
    """A screen or widget with keys but no HELP_NAME still shows words, not its identifier."""

    class QuickNoteTable(Static):
        BINDINGS = [Binding("enter", "edit", "Edit the note")]

    assert help_name(QuickNoteTable) == "Quick note table"
    assert help_name(TodayScreen) == "Today"
    assert help_name(DoseTable) == DoseTable.HELP_NAME
