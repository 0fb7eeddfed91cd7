"""Taper plans: the steps a doctor prescribed, each from a date on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.domain.models import TaperStep
from diazlog.domain.plan import MedicineDose, doses_on
from diazlog.domain.taper import planned_for
from diazlog.store.file.transactions import writing
from diazlog.store.queries.medications import list_medications, tracked_diazepam
from diazlog.store.queries.rows import (
    amounts_to_text,
    text_to_amounts,
    text_to_times,
    times_to_text,
)

if TYPE_CHECKING:
    from sqlite_utils import Database


def list_steps(db: Database, medication_id: int | None = None) -> list[TaperStep]:
    where, params = ("WHERE medication_id = ?", [medication_id]) if medication_id else ("", [])
    rows = db.query(f"SELECT * FROM taper_steps {where} ORDER BY from_date", params)
    return [
        TaperStep(
            id=r["id"],
            medication_id=r["medication_id"],
            from_date=r["from_date"],
            amount=r["amount"],
            times=text_to_times(r["times"]),
            amounts=text_to_amounts(r.get("amounts")),
        )
        for r in rows
    ]


def save_step(db: Database, step: TaperStep) -> TaperStep | None:
    """Add a step, or replace the one that starts on the same date; returns the replaced one
    (read in the same write transaction, so the answer is what was really replaced)."""
    with writing(db):
        replaced = step_on(db, step.medication_id, step.from_date)
        db.execute(
            "INSERT INTO taper_steps (medication_id, from_date, amount, times, amounts) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(medication_id, from_date) DO UPDATE SET amount = excluded.amount, "
            "times = excluded.times, amounts = excluded.amounts",
            [
                step.medication_id,
                step.from_date,
                step.amount,
                times_to_text(step.times),
                amounts_to_text(step.amounts),
            ],
        )
    return replaced


def step_on(db: Database, medication_id: int, from_date: str) -> TaperStep | None:
    """The medicine's step that starts on `from_date`, if there is one."""
    return next((s for s in list_steps(db, medication_id) if s.from_date == from_date), None)


def remove_step_on(db: Database, medication_id: int, from_date: str) -> TaperStep | None:
    """Remove the medicine's step that starts on `from_date`; returns it (None: there was none)."""
    with writing(db):
        found = step_on(db, medication_id, from_date)
        if found is not None:
            db.execute("DELETE FROM taper_steps WHERE id = ?", [found.id])
    return found


def update_step(db: Database, step: TaperStep) -> None:
    """Change a saved step (its date too); another step on the new date is replaced."""
    assert step.id is not None
    with writing(db):
        db.execute(
            "DELETE FROM taper_steps WHERE medication_id = ? AND from_date = ? AND id != ?",
            [step.medication_id, step.from_date, step.id],
        )
        db.execute(
            "UPDATE taper_steps SET from_date = ?, amount = ?, times = ?, amounts = ? WHERE id = ?",
            [
                step.from_date,
                step.amount,
                times_to_text(step.times),
                amounts_to_text(step.amounts),
                step.id,
            ],
        )


def diazepam_steps(db: Database) -> list[TaperStep]:
    """The taper plan of the tracked diazepam (empty when there is none)."""
    med = tracked_diazepam(db)
    return list_steps(db, med.id) if med and med.id is not None else []


def diazepam_plan_for(db: Database, day: str) -> TaperStep | None:
    """The tracked diazepam's taper step in force on `day`, if a plan covers it."""
    return planned_for(diazepam_steps(db), day)


def step_dates(db: Database) -> list[str]:
    """The dates the tracked diazepam's plan changes (charts and the report mark them)."""
    return [s.from_date for s in diazepam_steps(db)]


def planned_doses_on(
    db: Database, day: str, medication_id: int | None = None
) -> list[MedicineDose]:
    """The doses planned on `day` (of one medicine, or all): each a medication id, a time
    ("HH:MM", None when the plan names none) and an amount in that medicine's unit.

    The read API for anything that needs the plan (Today, `take`, reminders): a taper step in
    force wins over the usual dose, per time (domain.plan.doses_on).
    """
    meds = [m for m in list_medications(db) if medication_id is None or m.id == medication_id]
    return doses_on(day, meds, list_steps(db, medication_id))


def delete_step(db: Database, step_id: int) -> None:
    with writing(db):
        db.execute("DELETE FROM taper_steps WHERE id = ?", [step_id])
