"""DiazlogApp: the screens as modes, app-wide keys and the command palette."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from diazlog.screens.today import TodayScreen


class DiazlogApp(App[None]):
    """The diary. `clock` is injectable so tests and screenshots see a fixed "now"."""

    CSS_PATH = "app.tcss"
    TITLE = "diazlog"
    MODES = {"today": TodayScreen}
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("t", "switch_mode('today')", "Today", id="today"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(
        self,
        db: Database,
        db_path: Path,
        *,
        clock: Callable[[], datetime] = datetime.now,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.db = db
        self.db_path = db_path
        self.clock = clock
        self.demo = demo

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def on_mount(self) -> None:
        if self.demo:
            self.notify("Demo data in a temporary folder: nothing here is your own.", timeout=6)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield SystemCommand("Go to Today", "Log a day", lambda: self.switch_mode("today"))

    async def action_quit(self) -> None:
        """Ask before quitting with unsaved changes on the Today screen."""
        today = self._today_screen()
        if today is None or not today.dirty:
            self.exit()
            return

        def decide(choice: str | None) -> None:
            if choice == "save":
                today.action_save()
                if not today.dirty:
                    self.exit()
            elif choice == "discard":
                self.exit()

        from diazlog.widgets.dialogs import UnsavedChanges

        self.push_screen(UnsavedChanges("Today's log"), decide)

    def _today_screen(self) -> TodayScreen | None:
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, TodayScreen):
                    return screen
        return None
