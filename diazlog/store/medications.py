"""Medicines the user takes; the one flagged is_diazepam is the one being tracked."""

from __future__ import annotations

from sqlite_utils import Database

from diazlog.domain.models import Medication
from diazlog.store.rows import medication_from_row, medication_to_row


def list_medications(db: Database) -> list[Medication]:
    rows = db.query("SELECT * FROM medications ORDER BY is_diazepam DESC, name COLLATE NOCASE")
    return [medication_from_row(r) for r in rows]


def medications_by_id(db: Database) -> dict[int, Medication]:
    return {m.id: m for m in list_medications(db) if m.id is not None}


def get_medication(db: Database, medication_id: int) -> Medication | None:
    rows = list(db.query("SELECT * FROM medications WHERE id = ?", [medication_id]))
    return medication_from_row(rows[0]) if rows else None


def tracked_diazepam(db: Database) -> Medication | None:
    """The diazepam being tracked: the most recently started, not stopped one."""
    rows = list(
        db.query(
            "SELECT * FROM medications WHERE is_diazepam = 1 "
            "ORDER BY stopped_on IS NOT NULL, started_on DESC, id DESC LIMIT 1"
        )
    )
    return medication_from_row(rows[0]) if rows else None


def save_medication(db: Database, med: Medication) -> Medication:
    """Insert (id None) or update a medicine; returns it with its id."""
    row = medication_to_row(med)
    with db.atomic():
        if med.id is None:
            cursor = db.execute(
                f"INSERT INTO medications ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            new_id = cursor.lastrowid
        else:
            db.execute(
                f"UPDATE medications SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?",
                [*row.values(), med.id],
            )
            new_id = med.id
    saved = get_medication(db, int(new_id))  # type: ignore[arg-type]
    assert saved is not None
    return saved
