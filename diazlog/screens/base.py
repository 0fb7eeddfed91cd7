"""What every diazlog screen needs from the app: the database, the clock, fresh data."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from textual.screen import Screen

from diazlog.store.freshness import DataVersion, data_version


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
