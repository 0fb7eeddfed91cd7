"""The symptoms a user rates each day: the six defaults plus their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.domain.models import Symptom, SymptomKind
from diazlog.domain.validation import InvalidInput, check_symptom_name, symptom_key
from diazlog.store.file.transactions import writing
from diazlog.store.queries.rows import symptom_from_row

if TYPE_CHECKING:
    from sqlite_utils import Database


def list_symptoms(db: Database, *, active_only: bool = True) -> list[Symptom]:
    where = "WHERE active = 1" if active_only else ""
    rows = db.query(f"SELECT * FROM symptoms {where} ORDER BY position, id")
    return [symptom_from_row(r) for r in rows]


def symptom_by_key(db: Database, key: str) -> Symptom | None:
    rows = list(db.query("SELECT * FROM symptoms WHERE key = ?", [key]))
    return symptom_from_row(rows[0]) if rows else None


def add_symptom(
    db: Database, name: str, description: str = "", kind: SymptomKind = SymptomKind.OTHER
) -> Symptom:
    """Add a symptom of the user's own at the end of the list (or re-activate it).

    `kind` is what the pain rules read (pain and cramp count); re-activating keeps the kind
    the symptom had unless the user picked another one than "other" this time.
    """
    clean = check_symptom_name(name)
    key = symptom_key(clean)
    kind = SymptomKind(kind)
    with writing(db):
        existing = symptom_by_key(db, key)
        if existing is not None:
            if existing.active:
                raise InvalidInput(f"'{existing.name}' is already on the list")
            keep = existing.kind if kind is SymptomKind.OTHER else kind
            db.execute(
                "UPDATE symptoms SET active = 1, kind = ? WHERE id = ?", [keep.value, existing.id]
            )
        else:
            position = db.execute(
                "SELECT coalesce(max(position), -1) + 1 FROM symptoms"
            ).fetchone()[0]
            db.execute(
                "INSERT INTO symptoms (key, name, description, position, kind)"
                " VALUES (?, ?, ?, ?, ?)",
                [key, clean, description, position, kind.value],
            )
    found = symptom_by_key(db, key)
    assert found is not None
    return found


def leg_pain_id(db: Database) -> int | None:
    symptom = symptom_by_key(db, "leg_pain")
    return symptom.id if symptom else None
