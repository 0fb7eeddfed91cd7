"""What every diazlog screen needs from the app: the database, the clock, fresh data."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from textual.screen import Screen

from diazlog.store.freshness import DataVersion, data_version

READ_ONLY_MESSAGE = (
    "This diary is read-only, so nothing can be saved: make its file and folder writable "
    "to change it."
)
Action = TypeVar("Action", bound=Callable[..., Any])


def writes(action: Action) -> Action:
    """Mark an action that changes the diary: on a diary opened read-only it says so where
    the user is looking instead of failing (the store refuses every write to it)."""

    @functools.wraps(action)
    def guarded(screen: Screen[Any], *args: Any) -> Any:
        if getattr(screen.app, "read_only", False):
            screen.notify(READ_ONLY_MESSAGE, title="Read-only diary", severity="warning")
            return None
        return action(screen, *args)

    return guarded  # type: ignore[return-value]


class DiaryScreen(Screen[None]):
    """Base of the five mode screens.

    `data_changed()` on resume and `mark_loaded()` after a (re)load let a screen skip
    re-querying and re-rendering tables that cannot have changed: switching screens must stay
    under 100 ms on ten years of data (bench/bench_startup.py).
    """

    _loaded_version: DataVersion | None = None

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
