"""Taper plans: the steps a doctor prescribed, each from a date on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from diazlog.domain.models import TaperStep
from diazlog.domain.taper import planned_for
from diazlog.store.medications import tracked_diazepam
from diazlog.store.rows import text_to_times, times_to_text
from diazlog.store.transactions import writing

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
        )
        for r in rows
    ]


def save_step(db: Database, step: TaperStep) -> None:
    """Add a step, or replace the one that starts on the same date."""
    with writing(db):
        db.execute(
            "INSERT INTO taper_steps (medication_id, from_date, amount, times) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(medication_id, from_date) DO UPDATE SET amount = excluded.amount, "
            "times = excluded.times",
            [step.medication_id, step.from_date, step.amount, times_to_text(step.times)],
        )


def update_step(db: Database, step: TaperStep) -> None:
    """Change a saved step (its date too); another step on the new date is replaced."""
    assert step.id is not None
    with writing(db):
        db.execute(
            "DELETE FROM taper_steps WHERE medication_id = ? AND from_date = ? AND id != ?",
            [step.medication_id, step.from_date, step.id],
        )
        db.execute(
            "UPDATE taper_steps SET from_date = ?, amount = ?, times = ? WHERE id = ?",
            [step.from_date, step.amount, times_to_text(step.times), step.id],
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


def delete_step(db: Database, step_id: int) -> None:
    with writing(db):
        db.execute("DELETE FROM taper_steps WHERE id = ?", [step_id])
