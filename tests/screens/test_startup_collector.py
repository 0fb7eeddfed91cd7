"""The `diazlog` script starts with the cycle collector paused; the app resumes it after its
first frame and a shell command as it begins (diazlog/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog import collector
from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.screens.today import TodayScreen


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    yield
    collector.resume()
    gc.enable()
    gc.unfreeze()


def test_resume_undoes_pause_and_freezes_what_start_up_built() -> None:
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    collector.pause()
    collector.resume()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_resume_twice_is_harmless() -> None:
    collector.pause()
    collector.resume()
    gc.disable()  # somebody else's choice after ours
    collector.resume()
    assert not gc.isenabled()


async def test_the_app_resumes_the_collector_once_it_is_on_screen(
    make_app: Callable[..., DiazlogApp],
) -> None:
    collector.pause()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
        assert isinstance(app.screen, TodayScreen)


def test_a_shell_command_resumes_the_collector(db_path: Path) -> None:
    collector.pause()
    result = CliRunner().invoke(cli, ["--db", str(db_path), "status"])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()


def test_the_installed_script_starts_through_the_paused_launch() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "diazlog"]
    assert script.value == "diazlog.launch:main"


async def test_every_screens_layout_is_in_the_app_stylesheet_before_it_opens(
    make_app: Callable[..., DiazlogApp],
) -> None:
    """One stylesheet (app.tcss) holds every screen's layout, read before the first frame:
    opening a screen for the first time reads no file of its own (which would restyle the
    whole app then), and its rules apply."""
    probes = {  # mode: (a widget of that screen, a style only app.tcss gives it)
        "charts": ("#chart-bar", lambda s: s.height.value == 1),
        "doctor": ("#appointment", lambda s: s.text_style.bold),
        "history": ("#filter", lambda s: tuple(s.margin) == (1, 1, 0, 1)),
        "medicines": (".section", lambda s: s.margin.top == 1),
    }
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for mode, (selector, applied) in probes.items():
            await app.switch_mode(mode)
            await pilot.pause()
            assert app.screen.css_path == []
            assert applied(app.screen.query(selector).first().styles), mode
