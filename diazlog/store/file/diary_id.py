"""A random id per diary, so an import can tell its own export from another diary's.

Two diaries number their medicines, doses and questions from 1 each: id 3 in one is not id 3
in the other. The id is made the first time a diary is exported (kept in `settings`, which
backups and restores carry, so a copy of a diary is the same diary) and written into the
export's manifest; it is never exported as a row nor imported over ours.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from diazlog.store.file import sqlerrors
from diazlog.store.file.errors import ReadOnlyDatabase
from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

DIARY_ID_KEY = "diary_id"


def diary_id(db: Database) -> str | None:
    """This diary's id, or None if it was never exported."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [DIARY_ID_KEY]).fetchone()
    return str(row[0]) if row else None


def ensure_diary_id(db: Database) -> str | None:
    """This diary's id, made (and saved) if it has none yet; read again under the write lock,
    so two exports at once agree on one. None when it cannot be saved: a read-only diary is
    still exported, and an import then matches its rows by content, as another diary's."""
    found = diary_id(db)
    if found:
        return found
    try:
        with writing(db):
            found = diary_id(db)
            if not found:
                found = secrets.token_hex(16)
                db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [DIARY_ID_KEY, found])
    except ReadOnlyDatabase:
        return None
    except sqlerrors.OperationalError:  # a read-only folder, a full disk
        return None
    return found
