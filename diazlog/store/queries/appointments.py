"""Doctor's appointments: the next one (open) and past visits (closed with their checklist)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diazlog.domain.models import Appointment
from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


def _from_row(row: dict[str, Any]) -> Appointment:
    return Appointment(
        id=row["id"],
        date=row["date"],
        with_whom=row["with_whom"],
        note=row["note"],
        closed_at=row["closed_at"],
    )


def next_appointment(db: Database) -> Appointment | None:
    """The open appointment (the one the current checklist is for), if one is set."""
    rows = list(
        db.query(
            "SELECT * FROM appointments WHERE closed_at IS NULL ORDER BY date DESC, id DESC LIMIT 1"
        )
    )
    return _from_row(rows[0]) if rows else None


def past_appointments(db: Database) -> list[Appointment]:
    """Closed visits, newest first."""
    rows = db.query(
        "SELECT * FROM appointments WHERE closed_at IS NOT NULL ORDER BY date DESC, id DESC"
    )
    return [_from_row(r) for r in rows]


def last_visit_date(db: Database) -> str | None:
    """The date of the latest closed visit: the default start of the visit report."""
    row = db.execute("SELECT max(date) FROM appointments WHERE closed_at IS NOT NULL").fetchone()
    return row[0] if row else None


def set_appointment(db: Database, day: str, with_whom: str, note: str = "") -> Appointment:
    """Set (or change) the next appointment; there is only ever one open at a time."""
    with writing(db):  # two copies setting one at once still leave only one open
        current = next_appointment(db)
        if current is None:
            db.execute(
                "INSERT INTO appointments (date, with_whom, note) VALUES (?, ?, ?)",
                [day, with_whom, note],
            )
        else:
            db.execute(
                "UPDATE appointments SET date = ?, with_whom = ?, note = ? WHERE id = ?",
                [day, with_whom, note, current.id],
            )
    found = next_appointment(db)
    assert found is not None
    return found


def clear_appointment(db: Database) -> None:
    """Forget the next appointment (cancelled), leaving the checklist as it is."""
    with writing(db):
        db.execute("DELETE FROM appointments WHERE closed_at IS NULL")
