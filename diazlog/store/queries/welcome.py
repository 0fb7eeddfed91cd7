"""What the first-run welcome needs to know: is this diary brand new?"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def is_empty_diary(db: Database) -> bool:
    """No day logged and no medicine set up: a first run (a cheap EXISTS, any size)."""
    row = db.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM days) AND NOT EXISTS (SELECT 1 FROM medications)"
    ).fetchone()
    return bool(row[0])
