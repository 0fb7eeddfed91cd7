"""What every diazlog screen needs from the app: the database, the clock, fresh data."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events, on
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from diazlog.store.queries.freshness import DataVersion, data_version

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

READ_ONLY_MESSAGE = (
    "This diary is read-only, so nothing can be saved: make its file and folder writable "
    "to change it."
)
# Said where the user tries to save once the start-up check found the diary damaged
# (DiazlogApp._stop_saving): nothing more goes into a file that is known to be damaged.
DAMAGED_MESSAGE = (
    "Not saved: this diary is damaged, so diazlog saves nothing more into it. Your entries "
    "stay on screen; quit (ctrl+q) and restore a good backup with `diazlog restore FILE`."
)
Action = TypeVar("Action", bound=Callable[..., Any])


def writes(action: Action) -> Action:
    """Mark an action that changes the diary: on a diary opened read-only it says so where
    the user is looking instead of failing (the store refuses every write to it)."""

    @functools.wraps(action)
    def guarded(screen: Screen[Any], *args: Any) -> Any:
        if refuse_write(screen):
            return None
        if getattr(screen.app, "file_replaced", False):  # diazlog/diary_file.py
            from diazlog.diary_file import STILL_REPLACED

            screen.notify(STILL_REPLACED, severity="warning")
            return None
        return action(screen, *args)

    return guarded  # type: ignore[return-value]


def refuse_write(screen: Screen[Any]) -> bool:
    """Whether the diary takes no writes (opened read-only, or found damaged), said on
    screen; a save path asks this first so the user learns why, not an SQLite error."""
    app = screen.app
    if getattr(app, "damaged", False):
        screen.notify(DAMAGED_MESSAGE, title="Your diary is damaged", severity="error")
        return True
    if getattr(app, "read_only", False):
        screen.notify(READ_ONLY_MESSAGE, title="Read-only diary", severity="warning")
        return True
    return False


class DiaryScreen(Screen[None]):
    """Base of the five mode screens.

    `data_changed()` and `mark_loaded()` after a (re)load let a screen skip re-querying and
    re-rendering tables that cannot have changed: switching screens must stay under 100 ms on
    ten years of data (bench/bench_startup.py).

    On resume a screen reloads (`reload_data()`) if anything was written since it loaded.
    While it is shown (no dialog over it) it also asks every POLL_SECONDS whether another
    connection committed (`diazlog log`, a second copy of the app, an import) and reloads if
    so. The poll ignores this connection's own writes: the screen that made them shows them
    already, and reloading half a second after each keypress would redraw for nothing.
    Asking costs a counter SQLite keeps in memory (store/freshness.py), so an idle screen
    costs next to nothing and re-renders nothing.
    """

    POLL_SECONDS = 0.5

    _loaded_version: DataVersion | None = None
    _poll: Timer | None = None
    _notices: set[str] | None = None  # identities of the notices this screen raised

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A notice that belongs to this screen: it goes when the user moves to another
        screen (t c d h m), instead of covering that one's form. The app's own notices (a
        damaged diary, a failed backup, an export done) stay wherever the user goes."""
        from textual.notifications import Notification, Notify

        if timeout is None:
            timeout = self.app.NOTIFICATION_TIMEOUT
        # As App.notify does, keeping the notice's identity.
        notice = Notification(message, title, severity, timeout, markup=markup)
        self.app.post_message(Notify(notice))
        self._notices = (self._notices or set()) | {notice.identity}

    def drop_notices(self) -> None:
        """Take this screen's notices off (the user moved on: another screen, another day)."""
        mine = self._notices or set()
        self._notices = None
        gone = [n for n in self.app._notifications if n.identity in mine]
        for notice in gone:
            self.app._unnotify(notice, refresh=False)
        if gone:
            self.app._refresh_notifications()

    @property
    def db(self) -> Any:  # sqlite_utils.Database; Any keeps the screen modules import-light
        return self.app.db  # type: ignore[attr-defined]

    def today(self) -> date:
        return self.app.today()  # type: ignore[attr-defined]

    def now(self) -> datetime:
        return self.app.now()  # type: ignore[attr-defined]

    def data_changed(self) -> bool:
        return data_version(self.db) != self._loaded_version

    def mark_loaded(self) -> None:
        self._loaded_version = data_version(self.db)

    def reload_data(self) -> None:
        """Show the data again after a write elsewhere; ends with `mark_loaded()`.

        Called on resume when `data_changed()`, and by the poll when another connection
        committed.
        """
        self.mark_loaded()

    def check_others(self) -> None:
        """Reload if another connection committed since the last load (the poll's tick)."""
        loaded = self._loaded_version
        if loaded is not None and data_version(self.db)[0] != loaded[0]:
            self.reload_data()

    @on(events.ScreenResume)
    def _start_polling(self) -> None:
        if self.data_changed():
            self.reload_data()
        if self._poll is None:
            self._poll = self.set_interval(self.POLL_SECONDS, self.check_others, name="data poll")
        else:
            self._poll.resume()

    @on(events.ScreenSuspend)
    def _stop_polling(self) -> None:
        if self._poll is not None:
            self._poll.pause()
        if not isinstance(self.app.screen, ModalScreen):  # another screen, not a dialog
            self.drop_notices()
