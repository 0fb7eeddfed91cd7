"""The command palette (ctrl+p) offers every action of the app by name, and they work."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from diazlog.palette import RANGE_COMMANDS, SCREEN_ACTIONS, VIEW_COMMANDS
from diazlog.screens.charts import ChartsScreen
from diazlog.screens.doctor import DoctorScreen
from diazlog.screens.history import HistoryScreen
from diazlog.screens.medicines import MedicinesScreen
from diazlog.screens.today import TodayScreen
from diazlog.store import open_database
from diazlog.store.queries.questions import current_questions
from diazlog.store.queries.settings import get_setting
from tests.conftest import ratings
from tests.support.helpers import TODAY, app_on, settle

SCREENS = {
    "today": TodayScreen,
    "charts": ChartsScreen,
    "doctor": DoctorScreen,
    "history": HistoryScreen,
    "medicines": MedicinesScreen,
}
# Keys that act on one symptom or one dose change of the chart on screen: not named commands.
CONTEXTUAL = {("charts", "toggle_symptom"), ("charts", "change"), ("charts", "previous_view")}


async def run_command(pilot: Pilot, typed: str, title: str) -> None:
    """ctrl+p, type, check the top hit is `title`, enter: what a user does."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*typed)
    await settle(pilot)  # the palette searches in a worker: wait for it to finish
    hits = pilot.app.screen.query_one(CommandList)
    assert hits.highlighted is not None
    top = hits.get_option_at_index(hits.highlighted).prompt
    assert title in str(top), (typed, str(top))
    await pilot.press("enter")
    await settle(pilot)


def action_name(action: str) -> str:
    return action.split("(", 1)[0].removeprefix("screen.")


def test_every_palette_action_exists_on_its_screen() -> None:
    for mode, action, title, _ in SCREEN_ACTIONS:
        assert title.startswith(f"{mode.title()}: "), title
        assert callable(getattr(SCREENS[mode], f"action_{action}", None)), (mode, action)


def test_every_shown_key_of_every_screen_has_a_palette_command() -> None:
    named = {(mode, action) for mode, action, _, _ in SCREEN_ACTIONS}
    named |= {("charts", "next_view"), ("charts", "set_range")}  # VIEW_ and RANGE_COMMANDS
    named |= {("history", "leave_filter")}  # esc in the filter box
    named |= {("today", "leave_field")}  # esc in a text field of the day
    assert len(VIEW_COMMANDS) == 4 and len(RANGE_COMMANDS) == 5
    for mode, screen in SCREENS.items():
        for item in screen.BINDINGS:
            assert isinstance(item, Binding)
            key = (mode, action_name(item.action))
            if item.description and key not in CONTEXTUAL:
                assert key in named, f"{mode}: {item.key} ({item.description}) not in ctrl+p"


async def test_palette_saves_the_day(demo_path: Path) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ratings(app).focus_row("symptom-1")
        await pilot.press("9")
        await settle(pilot)
        assert app.screen.dirty  # type: ignore[attr-defined]
        await run_command(pilot, "save the", "Today: save the day")
        assert not app.screen.dirty  # type: ignore[attr-defined]
    row = open_database(demo_path).execute(
        "SELECT intensity FROM ratings WHERE date = ? AND symptom_id = 1", [TODAY]
    )
    assert row.fetchone() == (9,)


async def test_palette_from_charts_adds_the_usual_dose_on_today(demo_path: Path) -> None:
    def doses_today() -> int:
        sql = "SELECT count(*) FROM doses WHERE taken_at LIKE ?"
        return int(open_database(demo_path).execute(sql, [f"{TODAY}%"]).fetchone()[0])

    before = doses_today()
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await run_command(pilot, "usual dia", "Today: add the usual diazepam dose now")
        assert isinstance(app.screen, TodayScreen) and app.screen.dirty
        assert any("Added Diazepam" in n.message for n in app._notifications)
        await run_command(pilot, "save the", "Today: save the day")
    assert doses_today() == before + 1


@pytest.mark.parametrize(
    ("typed", "title", "value"),
    [
        ("a question", "Doctor: add a question of your own", "Can I swim while tapering?"),
        ("your name", "Doctor: your name on the visit report", "Sam"),
    ],
)
async def test_palette_types_into_a_doctor_prompt(
    demo_path: Path, typed: str, title: str, value: str
) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run_command(pilot, typed, title)
        assert isinstance(app.screen_stack[0], DoctorScreen)
        app.screen.query_one(Input).value = value
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DoctorScreen)
    db = open_database(demo_path)
    assert value in [q.text for q in current_questions(db)] + [get_setting(db, "user_name")]


@pytest.mark.parametrize(
    ("typed", "title", "view", "range_key"),
    [
        ("last 90", "Charts: last 90 days", "over_time", "90d"),
        ("time of", "Charts: time of day and weekday", "time_of_day", "30d"),
    ],
)
async def test_palette_opens_chart_views_and_ranges(
    demo_path: Path, typed: str, title: str, view: str, range_key: str
) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run_command(pilot, typed, title)
        charts = app.screen
        assert isinstance(charts, ChartsScreen)
        assert (charts.view, charts.range_key) == (view, range_key)
        assert charts.shown is not None and charts.shown.request.view == view


async def test_palette_medicines_and_history_and_theme(demo_path: Path) -> None:
    app = app_on(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await run_command(pilot, "a medicine", "Medicines: add a medicine")
        assert isinstance(app.screen_stack[0], MedicinesScreen)
        assert type(app.screen).__name__ == "MedicineDialog"
        await pilot.press("escape")
        await settle(pilot)
        await run_command(pilot, "filter", "History: filter the days")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.focused is app.screen.query_one("#filter", Input)
        await run_command(pilot, "light", "Theme: light")
        assert app.theme == "diazlog-light"
        await run_command(pilot, "keys of", "Help: keys of this screen")
        assert type(app.screen).__name__ == "HelpScreen"
    assert get_setting(open_database(demo_path), "theme") == "diazlog-light"
