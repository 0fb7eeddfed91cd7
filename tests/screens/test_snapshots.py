"""Snapshot tests: every screen at 80x24 on fixed demo data, so a layout regression shows.

Everything that could change a picture between runs is fixed here: the clock (NOW), the demo
data (a fixed seed ending on NOW's date), the theme, NO_COLOR, and the blinking cursor. After a
deliberate layout change, look at the report, then run `pytest tests/screens/test_snapshots.py
--snapshot-update` and look at the new SVGs in tests/screens/__snapshots__/ before committing them.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from diazlog.app import DiazlogApp
from diazlog.demo import build_demo
from tests.support.helpers import NOW, app_on, settle

SIZE = (80, 24)
Steps = Callable[[Pilot], Awaitable[None]]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One year of demo data ending on NOW's date, built once and copied for each test."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, years=1, end=NOW.date()).close()
    return path


@pytest.fixture(autouse=True)
def fixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app reads these when it starts; a user's shell must not change the pictures."""
    for name in ("NO_COLOR", "TEXTUAL_THEME", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_ANIMATIONS"):
        monkeypatch.delenv(name, raising=False)


def demo_app(demo_file: Path, tmp_path: Path, **kwargs: object) -> DiazlogApp:
    path = tmp_path / "diazlog.db"
    shutil.copy(demo_file, path)
    kwargs.setdefault("theme", "diazlog-dark")
    return app_on(path, **kwargs)  # type: ignore[arg-type]


def steps(*keys: str) -> Steps:
    """Press `keys` one at a time, letting workers finish, then stop every cursor blinking."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False
        await settle(pilot)

    return run


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param((), id="today"),
        pytest.param(("c",), id="charts"),
        pytest.param(("d",), id="doctor"),
        pytest.param(("h",), id="history"),
        pytest.param(("m",), id="medicines"),
        pytest.param(("question_mark",), id="help-on-today"),
    ],
)
def test_screen_at_80x24(snap_compare, demo_file: Path, tmp_path: Path, keys: tuple[str, ...]):
    app = demo_app(demo_file, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(*keys))


def test_today_light_theme_at_80x24(snap_compare, demo_file: Path, tmp_path: Path) -> None:
    app = demo_app(demo_file, tmp_path, theme="diazlog-light")
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())
    assert app.theme == "diazlog-light"


def test_welcome_on_empty_database_at_80x24(snap_compare, db_path: Path) -> None:
    app = app_on(db_path, theme="diazlog-dark", welcomed=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=steps())
