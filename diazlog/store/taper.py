"""Taper plans: the steps a doctor prescribed, each from a date on."""

from __future__ import annotations

from sqlite_utils import Database

from diazlog.domain.models import TaperStep
from diazlog.store.rows import text_to_times, times_to_text


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
    with db.atomic():
        db.execute(
            "INSERT INTO taper_steps (medication_id, from_date, amount, times) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(medication_id, from_date) DO UPDATE SET amount = excluded.amount, "
            "times = excluded.times",
            [step.medication_id, step.from_date, step.amount, times_to_text(step.times)],
        )


def delete_step(db: Database, step_id: int) -> None:
    with db.atomic():
        db.execute("DELETE FROM taper_steps WHERE id = ?", [step_id])
