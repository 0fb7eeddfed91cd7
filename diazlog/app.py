"""DiazlogApp: the screens as modes, app-wide keys and the command palette."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import AwaitMount

from diazlog import collector
from diazlog.diary_file import DiaryFile
from diazlog.key_order import KeyOrder
from diazlog.screens.today import TodayScreen
from diazlog.themes import DARK, REPLACES, THEMES

if TYPE_CHECKING:
    from sqlite_utils import Database
    from textual.notifications import SeverityLevel


def lazy_screen(target: str) -> Callable[[], Screen]:
    """A MODES factory that imports the screen's module only when the mode is first opened.

    Keeps start-up to what the Today screen needs (see bench/bench_startup.py).
    """

    def make() -> Screen:
        import importlib

        module_name, class_name = target.split(":")
        screen_class = getattr(importlib.import_module(module_name), class_name)
        return screen_class()

    return make


def _unlock_screen(path: Path) -> Screen:
    from diazlog.screens.unlock import UnlockScreen

    return UnlockScreen(path)


# A notification that must not go away by itself (a damaged diary): a year, in seconds.
STAYS = 365 * 24 * 60 * 60

# The footer shows the five screen keys as one compact group, "tcdhm Screens".
SCREENS = Binding.Group("Screens", compact=True)

READ_ONLY_NOTICE = (
    "This diary is read-only (its file or folder), so you can look but nothing can be "
    "saved. Make it writable to log again."
)


class DiazlogApp(App[None]):
    """The diary. `clock` is injectable so tests and screenshots see a fixed "now"."""

    CSS_PATH = "app.tcss"
    TITLE = "diazlog"
    MODES = {
        "today": TodayScreen,
        "charts": lazy_screen("diazlog.screens.charts:ChartsScreen"),
        "doctor": lazy_screen("diazlog.screens.doctor:DoctorScreen"),
        "history": lazy_screen("diazlog.screens.history:HistoryScreen"),
        "medicines": lazy_screen("diazlog.screens.medicines:MedicinesScreen"),
    }
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("t", "switch_mode('today')", "Today", group=SCREENS, id="today"),
        Binding("c", "switch_mode('charts')", "Charts", group=SCREENS, id="charts"),
        Binding("d", "switch_mode('doctor')", "Doctor", group=SCREENS, id="doctor"),
        Binding("h", "switch_mode('history')", "History", group=SCREENS, id="history"),
        Binding("m", "switch_mode('medicines')", "Medicines", group=SCREENS, id="medicines"),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        # Not in the footer (it must fit 80 columns); ? and ctrl+p list it.
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="quit"),
    ]

    def __init__(
        self,
        db: Database | None,
        db_path: Path,
        *,
        clock: Callable[[], datetime] = datetime.now,
        demo: bool = False,
        read_only: bool = False,
    ) -> None:
        if db is None:  # an encrypted diary: start on its unlock screen (screens/unlock.py)
            self.DEFAULT_MODE = "unlock"  # type: ignore[misc]
        super().__init__()
        if db is None:
            self.add_mode("unlock", partial(_unlock_screen, db_path))
        self.db: Database = db  # type: ignore[assignment]  # set by unlocked() when None
        self.db_path = db_path
        self.clock = clock
        self.demo = demo
        # Opened read-only (a 0400 file or a read-only folder): to look at, never to write.
        self.read_only = read_only
        # Set when the start-up check finds damage: read-only from then on, saying why.
        self.damaged = False
        self.writes_prepared = False
        # Another program put a new file in the diary's place: nothing is saved until reopened.
        self.file_replaced = False
        self._quitting = False  # a clean exit (ctrl+q, the palette's Quit): close the diary
        self.diary_file = DiaryFile(self)
        self._key_order = KeyOrder(self, super().on_event)
        for theme in THEMES:
            self.register_theme(theme)
        if db is not None:
            # Before the first frame: set later (on mount), Textual's default theme would be
            # drawn first and every style parsed again to change it.
            self._apply_saved_theme()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._key_order.typed(event)  # typed: in turn after the keys typed before it
            return
        await super().on_event(event)  # a key back up from the widget: the bindings run

    @property
    def keys_pending(self) -> int:
        """Keys typed ahead and not handled yet (diazlog/key_order.py)."""
        return self._key_order.pending

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def on_mount(self) -> None:
        # The first frame is drawn: the collector the `diazlog` script paused may run again.
        self.call_after_refresh(collector.resume)
        if self.db is not None:
            self._start()

    def unlocked(self, db: Database) -> None:
        """The unlock screen opened the diary: show Today and start as a plain diary does."""
        self.db = db
        self._apply_saved_theme()
        self._start()

        async def show_today() -> None:
            await self.switch_mode("today")
            await self.remove_mode("unlock")

        self.call_later(show_today)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.db is not None or action == "quit"  # nothing opens before the unlock

    def _apply_saved_theme(self) -> None:
        """The theme the user chose last time (themes renamed since are mapped)."""
        from diazlog.store.queries.settings import get_setting

        saved_theme = get_setting(self.db, "theme") or self.theme
        saved_theme = REPLACES.get(saved_theme, saved_theme)
        self.theme = saved_theme if saved_theme in self.available_themes else DARK.name

    def close_diary(self) -> None:
        """Fold the WAL into the file and close: after the app, the diary is one file."""
        self.diary_file.close()

    def on_unmount(self) -> None:
        if self._quitting:
            self.close_diary()

    def _start(self) -> None:
        self.diary_file.watch()
        self.call_after_refresh(self._keep_reminders)
        # Textual announces a theme change with call_next; subscribing the same way comes after
        # the announcement of the start-up theme just set, so only the user's choices are saved.
        self.call_next(self.theme_changed_signal.subscribe, self, self._remember_theme)
        if self.read_only:
            self.notify(READ_ONLY_NOTICE, title="Read-only diary", severity="warning", timeout=12)
            return  # no welcome (it saves), no daily backup (nothing changes)
        if self.demo:
            self.notify("Demo data in a temporary folder: nothing here is your own.", timeout=6)
        elif self._first_run():
            from diazlog.dialogs.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        # After the first frame: the check reads the whole file, the user should see the app.
        self.call_after_refresh(self._start_safety_check)

    def _keep_reminders(self) -> None:
        """After each save, the calendar and reminder schedule the diary remembers follow
        (reminders/refresh.py); a file that cannot be written is said in a notice."""
        import threading

        from diazlog.reminders.refresh import install_hook

        def report(line: str) -> None:
            if threading.get_ident() == self._thread_id:
                self.notify(line, severity="warning", timeout=10)
            else:
                self.call_from_thread(self.notify, line, severity="warning", timeout=10)

        def run(write: Callable[[], None]) -> None:
            """The file writes (building a calendar takes ~0.1 s) in a thread, off the keys."""
            if threading.get_ident() == self._thread_id:
                self.run_worker(write, thread=True, group="reminders", name="reminder files")
            else:  # a save made in a worker: already off the UI thread
                write()

        install_hook(report, self.now, run)

    def encrypt_diary(self, passphrase: str) -> None:
        """The welcome's offer: encrypt the new diary. The key is derived in a worker (a
        quarter of a second); then, on this thread, the app's connection is closed, the diary
        (nearly empty on a first run) converted and reopened, so no connection is ever left on
        the replaced file."""

        def derive() -> None:
            from diazlog.store.file.cipher import Key

            key = Key.new(passphrase)
            self.call_from_thread(self._encrypt_with, key)

        self.notify("Encrypting the diary…", timeout=3)
        self.run_worker(derive, thread=True, group="data", name="encrypt")

    def _encrypt_with(self, key: object) -> None:
        from diazlog.store import StoreError, open_database
        from diazlog.store.file.encryption import convert_backups, encrypt_file_with

        self.db.close()
        try:
            encrypt_file_with(self.db_path, key)  # type: ignore[arg-type]
            convert_backups(self.db_path, None, key)  # type: ignore[arg-type]
            message = (
                "The diary is encrypted. Keep the passphrase safe: without it nobody can "
                "read the diary, you included."
            )
        except (StoreError, OSError) as exc:
            message = f"Not encrypted: {exc}"
        self.db = open_database(self.db_path, create=False)
        self.notify(message, timeout=10)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens' and dialogs' go through here too) as plain text:
        many quote diary text (a medicine's or a symptom's name), so markup is never read
        and control characters show as escapes (domain/visible_text.py)."""
        from diazlog.domain.visible_text import one_line, visible

        super().notify(
            visible(message),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def prepare_for_writes(self) -> None:
        """Import sqlite-utils in a worker once the user starts changing something.

        Reads never need it (store/deferred.py), nor does saving a day; most other writes
        go through sqlite-utils. Called when the Today form first changes and when another
        screen (which may write on opening) is chosen, so an app that is only looked at
        stays light and a write does not wait for the import.
        """
        if self.writes_prepared:
            return
        self.writes_prepared = True
        from diazlog.store.file.deferred import import_sqlite_utils

        self.run_worker(import_sqlite_utils, thread=True, group="warm-up", name="import")

    def switch_mode(self, mode: str) -> AwaitMount:
        self.prepare_for_writes()
        return super().switch_mode(mode)

    def _first_run(self) -> bool:
        from diazlog.store.queries.settings import get_setting
        from diazlog.store.queries.welcome import is_empty_diary

        return get_setting(self.db, "welcomed") is None and is_empty_diary(self.db)

    def _remember_theme(self, theme: Theme) -> None:
        """Remember the chosen theme (ctrl+p → "Change theme") for the next start."""
        from diazlog.store.queries.settings import set_setting

        if self.read_only:
            return

        set_setting(self.db, "theme", theme.name)

    def action_help(self) -> None:
        from diazlog.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            notes = getattr(self.screen, "HELP", "")
            self.push_screen(HelpScreen(self.screen, self.BINDINGS, notes))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the app by name (ctrl+p), titled "Screen: what it does"."""
        from diazlog.palette import app_commands

        yield from super().get_system_commands(screen)
        if self.db is None:  # locked: only Textual's own (quit, theme, keys)
            return
        yield from app_commands(self)

    async def run_on_screen(self, mode: str, action: str) -> None:
        """Open the mode's screen (mounted if new), then run one of its actions there."""
        await self.switch_mode(mode)
        await self.screen.run_action(action)

    def use_theme(self, theme: str) -> None:
        self.theme = theme

    # -- data safety: backups and exports run in thread workers on their own connections ------

    def _handle_exception(self, error: Exception) -> None:
        """A read that hits a damaged page ends the app with one line and the way out (the
        verified backups), not a traceback. Textual calls this for any unhandled exception."""
        from diazlog.store.file import sqlerrors

        if sqlerrors.is_damage(error):  # "malformed", "not a database": damage
            from diazlog.store.file.integrity import DamagedDiary

            self.exit(return_code=2, message=f"diazlog: {DamagedDiary(self.db_path, str(error))}")
            return
        super()._handle_exception(error)

    def _start_safety_check(self) -> None:
        today = self.today()
        self.run_worker(
            partial(self._safety_check, today), thread=True, group="data", name="safety-check"
        )

    def _safety_check(self, today: date) -> None:
        """Clear what a killed backup left, `quick_check` the diary, then make today's backup.

        A damaged diary is never backed up (good backups stay); the user is told in a
        notification that stays until dismissed, with the way out.
        """
        from diazlog.store import StoreError
        from diazlog.store.file.backup import clear_leftovers, daily_backup, has_daily_backup
        from diazlog.store.file.integrity import DamagedDiary, check_file
        from diazlog.transfer.export import clear_export_leftovers

        try:
            clear_leftovers(self.db_path)
            clear_export_leftovers(self.db_path)
            check_file(self.db_path)
            if not self.demo and not has_daily_backup(self.db_path, today):
                daily_backup(self.db_path, today)
        except DamagedDiary as exc:
            self.call_from_thread(self._stop_saving)
            self.call_from_thread(
                self.notify,
                f"{exc} Quit (ctrl+q), then restore from the shell.",
                title="Your diary is damaged",
                severity="error",
                timeout=STAYS,
                markup=False,
            )
        except (StoreError, OSError) as exc:  # a full disk: say so, keep the app
            self.call_from_thread(
                self.notify, f"Daily backup failed: {exc}", severity="error", timeout=10
            )

    def _stop_saving(self) -> None:
        """The diary was just found damaged: nothing more is written to it until it is
        restored. The connection refuses every write (`PRAGMA query_only`, which
        store/transactions.py words as read-only) and the screens' save paths say why."""
        self.damaged = True
        self.read_only = True
        with contextlib.suppress(Exception):  # a closed connection writes nothing either
            self.db.execute("PRAGMA query_only = 1")

    def backup_now(self) -> None:
        from diazlog.store.file.backup import backup_file, manual_backup_path

        target = manual_backup_path(self.db_path, self.now())
        self._in_thread(lambda: backup_file(self.db_path, target), f"Backed up to {target}")

    def export_data(self, fmt: str) -> None:
        from diazlog.store import open_database
        from diazlog.transfer.export import export

        now = self.now()
        folder = self.db_path.parent / "exports" / f"{now:%Y-%m-%d-%H%M%S}-{fmt}"

        def run() -> None:
            db = open_database(self.db_path, create=False)
            try:
                export(db, folder, fmt, now)
            finally:
                db.close()

        from diazlog.store.file.cipher import plain_file_note

        done = f"Exported every table as {fmt.upper()} to {folder}{plain_file_note(self.db_path)}"
        self._in_thread(run, done)

    def _in_thread(self, job: Callable[[], object], done: str) -> None:
        def run() -> None:
            try:
                job()
            except Exception as exc:  # a full disk or locked file: say so, keep the app
                self.call_from_thread(self.notify, f"Failed: {exc}", severity="error", timeout=10)
                return
            self.call_from_thread(self.notify, done, timeout=10)

        self.run_worker(run, thread=True, group="data")

    async def action_quit(self) -> None:
        """Ask before quitting with unsaved changes on the Today screen."""
        today = self._today_screen()
        if today is None or not today.dirty:
            self._quit()
            return

        def decide(choice: str | None) -> None:
            if choice == "save":
                today.action_save()
                if not today.dirty:
                    self._quit()
            elif choice == "discard":
                today.forget_draft()  # thrown away on purpose: not offered back next time
                self._quit()

        from diazlog.dialogs.prompts import UnsavedChanges

        self.push_screen(UnsavedChanges("Today's log"), decide)

    def on_exit_app(self) -> None:
        """However the app ends (ctrl+q, or `diazlog serve` stopping it on ctrl+c), edits
        typed on Today in the last second are kept as its draft, offered back next time."""
        today = self._today_screen()
        if today is not None:
            today.keep_edits_now()

    def _quit(self) -> None:
        self._quitting = True
        self.exit()

    async def open_in_today(self, day: str) -> None:
        """Switch to Today and open `day` there (it asks first about unsaved changes)."""
        await self.switch_mode("today")
        today = self._today_screen()
        if today is not None:
            today.go_to(day)

    def open_chart_view(self, view: str) -> None:
        self.switch_mode("charts")
        self.call_after_refresh(lambda: self.screen.show(view))  # type: ignore[attr-defined]

    async def open_chart_range(self, range_key: str) -> None:
        """Pick a range; the before / after view has none, so that one goes to Over time."""
        await self.switch_mode("charts")
        charts = self.screen
        view = charts.view if charts.view != "before_after" else "over_time"  # type: ignore[attr-defined]
        charts.show(view, range_key)  # type: ignore[attr-defined]

    def open_red_flag_days(self) -> None:
        def show() -> None:
            from textual.widgets import Input

            self.screen.query_one("#filter", Input).value = "!"

        self.switch_mode("history")
        self.call_after_refresh(show)

    def _today_screen(self) -> TodayScreen | None:
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, TodayScreen):
                    return screen
        return None
