"""Small remembered preferences (theme, welcome seen) as key/value rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


def get_setting(db: Database, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def set_setting(db: Database, key: str, value: str) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )


def delete_setting(db: Database, key: str) -> None:
    with writing(db):
        db.execute("DELETE FROM settings WHERE key = ?", [key])


# The name the user wants on the visit report (optional; set on the Doctor screen).
USER_NAME_KEY = "user_name"


def user_name(db: Database) -> str:
    return (get_setting(db, USER_NAME_KEY) or "").strip()


def set_user_name(db: Database, name: str) -> None:
    """Keep the name for the report; an empty one removes it."""
    if name.strip():
        set_setting(db, USER_NAME_KEY, name.strip())
        return
    delete_setting(db, USER_NAME_KEY)
