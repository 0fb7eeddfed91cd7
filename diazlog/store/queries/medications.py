"""Medicines the user takes; the one flagged is_diazepam is the one being tracked."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.models import Medication
from diazlog.store.file.errors import StoreError
from diazlog.store.file.transactions import writing
from diazlog.store.queries.medicine_lookups import LookUp, resolve
from diazlog.store.queries.rows import medication_from_row, medication_to_row
from diazlog.store.queries.settings import get_setting, set_setting

if TYPE_CHECKING:
    from sqlite_utils import Database

# settings key holding when a medicine's stock was last counted ("YYYY-MM-DDTHH:MM"); the
# schema has no column for it, and doses logged after that moment count the stock down.
STOCK_COUNTED_KEY = "stock_counted_at:{id}"
# settings key holding the user's last "as needed" choice for a medicine ("1"/"0"), so the
# Add-dose dialog ticks it again for ibuprofen and not for the planned diazepam.
AS_NEEDED_KEY = "as_needed_choice:{id}"


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


def recognised(db: Database, med: Medication, look_up: LookUp | None = None) -> Medication:
    """`med` with the class and strength its name resolves to (tables, the diary's cache, or
    the drug-name library). Called before any write lock is taken: the library's first
    import takes seconds. A strength the user gave is kept."""
    found = resolve(db, med.name) if look_up is None else resolve(db, med.name, look_up=look_up)
    return replace(med, drug_class=found.code, strength=med.strength or found.strength or "")


def save_medication(
    db: Database,
    med: Medication,
    *,
    stock_counted_at: str | None = None,
    look_up: LookUp | None = None,
) -> Medication:
    """Insert (id None) or update a medicine; returns it with its id. Its class comes from
    its name (`recognised`), whatever category was picked.

    Pass `stock_counted_at` when the user has just typed the stock, so later doses count it down.
    """
    row = medication_to_row(recognised(db, med, look_up))
    with writing(db):
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
        if stock_counted_at is not None:
            set_setting(db, STOCK_COUNTED_KEY.format(id=new_id), stock_counted_at)
    saved = get_medication(db, int(new_id))  # type: ignore[arg-type]
    assert saved is not None
    return saved


def add_medication_once(db: Database, med: Medication) -> tuple[Medication, bool]:
    """Add `med` unless it is there already (inside the write lock, so two `diazlog log`
    naming a new medicine at once add it once); returns it and whether it was added.

    Diazepam (is_diazepam) is there when any diazepam is tracked; another medicine when one
    has its name, whatever the case.
    """
    med = recognised(db, med)  # outside the lock: the name library may take seconds
    with writing(db):
        found = (
            tracked_diazepam(db)
            if med.is_diazepam
            else next(
                (m for m in list_medications(db) if m.name.casefold() == med.name.casefold()),
                None,
            )
        )
        if found is not None:
            return found, False
        return save_medication(db, med), True


def stop_medication(db: Database, medication_id: int, day: str) -> Medication:
    """Mark a medicine stopped from `day` on; its doses and taper steps stay in the record."""
    with writing(db):
        db.execute("UPDATE medications SET stopped_on = ? WHERE id = ?", [day, medication_id])
    saved = get_medication(db, medication_id)
    assert saved is not None
    return saved


def stock_counted_at(db: Database, medication_id: int) -> str | None:
    return get_setting(db, STOCK_COUNTED_KEY.format(id=medication_id))


def taken_since(db: Database, medication_id: int, since: str | None, until: str) -> float:
    """Total logged of a medicine from `since` ("YYYY-MM-DDTHH:MM", None = ever) to `until`'s end.

    Doses logged for days after `until` (none, normally) are not counted.
    """
    end = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
    row = db.execute(
        "SELECT coalesce(sum(amount), 0) FROM doses WHERE medication_id = ? AND taken_at >= ? "
        "AND taken_at < ?",
        [medication_id, since or "", end],
    ).fetchone()
    return float(row[0])


def remember_as_needed(db: Database, medication_id: int, as_needed: bool) -> None:
    """Keep the "as needed" choice just made for a medicine (see AS_NEEDED_KEY). A diary that
    cannot be written (read-only) just does not remember: this is a convenience, not data."""
    with contextlib.suppress(StoreError):
        set_setting(db, AS_NEEDED_KEY.format(id=medication_id), "1" if as_needed else "0")


def as_needed_choices(db: Database) -> dict[int, bool]:
    """Each medicine's last "as needed" choice: the one remembered from the dialog, else
    that of its latest logged dose (`diazlog log` or an import); medicines never dosed and
    never chosen for are left out (the dialog's default applies)."""
    found: dict[int, bool] = {}
    for med in list_medications(db):
        if med.id is None:
            continue
        chosen = get_setting(db, AS_NEEDED_KEY.format(id=med.id))
        if chosen is not None:
            found[med.id] = chosen == "1"
            continue
        row = db.execute(
            "SELECT as_needed FROM doses WHERE medication_id = ? "
            "ORDER BY taken_at DESC, id DESC LIMIT 1",
            [med.id],
        ).fetchone()
        if row is not None:
            found[med.id] = bool(row[0])
    return found


def recognise_all(db: Database, look_up: LookUp | None = None) -> list[Medication]:
    """Bring every medicine's stored class up to what its name resolves to now, asking the
    drug-name library about names it never saw (a diary from before it, or an import); returns
    the medicines changed. The library runs before the write lock; the update re-reads each
    row inside it and leaves one renamed meanwhile alone."""
    found = {m.id: recognised(db, m, look_up) for m in list_medications(db) if m.id is not None}
    changed: list[Medication] = []
    with writing(db):
        for med in list_medications(db):
            new = found.get(med.id) if med.id is not None else None
            if new is None or new.name != med.name:
                continue
            if (new.drug_class, new.strength) != (med.drug_class, med.strength):
                db.execute(
                    "UPDATE medications SET drug_class = ?, strength = ? WHERE id = ?",
                    [new.drug_class, new.strength, med.id],
                )
                changed.append(new)
    return changed
