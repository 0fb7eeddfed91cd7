"""Has anything been written since a screen last loaded? Lets screens skip needless reloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

DataVersion = tuple[int, int]


def data_version(db: Database) -> DataVersion:
    """Changes by other connections (PRAGMA data_version) and by this one (total_changes).

    Both are counters SQLite keeps in memory, so asking costs microseconds at any size.
    """
    others = int(db.conn.execute("PRAGMA data_version").fetchone()[0])
    return others, db.conn.total_changes
