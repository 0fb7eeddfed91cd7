"""Reload a screen on resume only when the diary changed since it last loaded."""

from __future__ import annotations

from diazlog.store.freshness import DataVersion, data_version


class ReloadsWhenDataChanges:
    """Mixin for screens: `data_changed()` on resume, `mark_loaded()` after a (re)load.

    Switching screens must stay well under 100 ms on ten years of data; re-querying and
    re-rendering tables that cannot have changed is the main cost to avoid.
    """

    _loaded_version: DataVersion | None = None

    def data_changed(self) -> bool:
        return data_version(self.app.db) != self._loaded_version  # type: ignore[attr-defined]

    def mark_loaded(self) -> None:
        self._loaded_version = data_version(self.app.db)  # type: ignore[attr-defined]
