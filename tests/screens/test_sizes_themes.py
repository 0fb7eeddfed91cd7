"""Every screen at 80x24 and 200x60, in the light and dark themes and with NO_COLOR=1.

Not just "it did not crash": each screen must show its key content inside the window, and
the footer must show the main keys, ? Help and ^p palette whole (text fits at 80 columns).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, OptionList, Static

from diazlog.app import DiazlogApp
from diazlog.widgets.rating_grid import RatingGrid
from tests.support.helpers import app_on, settle

COMBOS = [
    pytest.param((80, 24), "diazlog-dark", False, id="80x24-dark"),
    pytest.param((80, 24), "diazlog-light", True, id="80x24-light-no-color"),
    pytest.param((200, 60), "diazlog-light", False, id="200x60-light"),
]
# The help screen is one modal for all screens: opening it on two of them is enough here.
HELP_ON = {"t", "d"}


def themed_app(
    path: Path, theme: str, no_color: bool, monkeypatch: pytest.MonkeyPatch, *, fresh: bool
) -> DiazlogApp:
    """The app in `theme`, with or without NO_COLOR; fresh=True keeps the first-run welcome."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return app_on(path, theme=theme, welcomed=not fresh)


def text_of(widget: Widget) -> str:
    return str(widget.render())


def assert_visible(screen: Screen, widget: Widget) -> None:  # type: ignore[type-arg]
    """On screen, not scrolled away or squeezed to nothing."""
    assert widget.region.area > 0, widget
    assert screen.region.contains_region(widget.region), (widget, widget.region)


def bottom_line(app: App) -> str:  # type: ignore[type-arg]
    """The last line of the window as the user sees it (whatever widget draws the footer)."""
    return app.screen._compositor.render_strips()[-1].text


def assert_footer_fits(app: App, main_keys: set[str]) -> None:  # type: ignore[type-arg]
    """The main keys, ? Help and ^p palette are all on the bottom line, none cut short."""
    line = bottom_line(app)
    assert "…" not in line, line
    assert line.rstrip().endswith("^p palette"), line
    for label in (*sorted(main_keys), "? Help"):
        assert label in line, (label, line)


def check_today(screen: Screen) -> None:  # type: ignore[type-arg]
    assert "25 Nov 2026" in screen.sub_title
    grid = screen.query_one("#ratings", RatingGrid)
    row = grid.row_region("symptom-1")
    assert row.area > 0 and screen.region.contains_region(row), row
    assert "Leg pain" in grid.render_line(grid.line_of("symptom-1")).text


def check_charts(screen: Screen) -> None:  # type: ignore[type-arg]
    assert screen.shown is not None  # type: ignore[attr-defined]
    chart = screen.query_one("#symptom-chart")
    assert_visible(screen, chart)
    assert chart.region.width >= 70 and chart.region.height >= 5
    numbers = screen.query_one("#over_time-numbers", Static)
    assert_visible(screen, numbers)
    assert "Leg pain" in text_of(numbers) and "mean" in text_of(numbers)


def check_doctor(screen: Screen) -> None:  # type: ignore[type-arg]
    checklist = screen.query_one("#checklist", OptionList)
    assert checklist.option_count > 5
    assert_visible(screen, checklist)
    assert "appointment" in text_of(screen.query_one("#appointment"))


def check_history(screen: Screen) -> None:  # type: ignore[type-arg]
    days = screen.query_one("#days", DataTable)
    assert days.row_count > 0
    assert_visible(screen, days)
    assert str(days.get_row_at(0)[0]).startswith("2026-11-25")


def check_medicines(screen: Screen) -> None:  # type: ignore[type-arg]
    medicines = screen.query_one("#medicines", DataTable)
    assert_visible(screen, medicines)
    names = {str(medicines.get_row_at(i)[0]) for i in range(medicines.row_count)}
    assert any("Diazepam" in name for name in names), names


SCREENS = {
    "t": ("TodayScreen", check_today, {"^s Save", "u Usual dose", "a Add dose", "[] Day"}),
    "c": ("ChartsScreen", check_charts, {"tab View", "12345 Range", "pwrsfb Symptoms"}),
    "d": ("DoctorScreen", check_doctor, {"space Asked", "a Add", "n Visit", "e Report"}),
    "h": ("HistoryScreen", check_history, {"/ Filter"}),
    "m": ("MedicinesScreen", check_medicines, {"a Add", "e Edit", "s Stop", "p Taper step"}),
}


async def tour(pilot: Pilot, *, with_help: bool) -> None:
    """Visit every screen (and ? on two of them), checking what the user must see."""
    app = pilot.app
    for key, (screen_name, check, main_keys) in SCREENS.items():
        await pilot.press(key)
        await settle(pilot)
        assert type(app.screen).__name__ == screen_name
        check(app.screen)
        assert_footer_fits(app, main_keys | {"tcdhm Screens"})
        if not with_help or key not in HELP_ON:
            continue
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        assert_visible(app.screen, app.screen.query_one(VerticalScroll))
        rows = app.screen.rows  # type: ignore[attr-defined]
        assert screen_name.removesuffix("Screen") in {where for where, _, _ in rows}
        assert ("Anywhere", "?", "Help") in rows
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == screen_name


async def test_every_screen_dark_and_light_at_80x24_then_200x60(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One app, as a user would: switch theme (ctrl+p → Change theme) and resize the window."""
    app = themed_app(demo_path, "diazlog-dark", False, monkeypatch, fresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "diazlog-dark" and not app.no_color
        await tour(pilot, with_help=True)
        app.theme = "diazlog-light"
        await tour(pilot, with_help=False)
        await pilot.resize_terminal(200, 60)
        await tour(pilot, with_help=True)
        assert not app.current_theme.dark


async def test_every_screen_with_no_color(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = themed_app(demo_path, "diazlog-light", True, monkeypatch, fresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        await tour(pilot, with_help=True)
        await pilot.resize_terminal(200, 60)
        await tour(pilot, with_help=False)


@pytest.mark.parametrize(("size", "theme", "no_color"), COMBOS)
async def test_welcome_fits_with_its_buttons(
    db_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    theme: str,
    no_color: bool,
) -> None:
    app = themed_app(db_path, theme, no_color, monkeypatch, fresh=True)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "WelcomeScreen"
        box = screen.query_one("#welcome")
        assert "does not give medical advice" in str(screen.query_one("Markdown").source)
        shown = [*screen.query("#welcome-form Input"), *screen.query(Button)]
        for widget in [*shown, screen.query_one("#welcome-encrypt")]:
            assert widget.region.area > 0, widget
            assert box.region.contains_region(widget.region), (widget, widget.region)
        assert app.theme == theme
