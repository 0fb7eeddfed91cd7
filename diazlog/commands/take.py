"""`diazlog take`: log today's planned diazepam doses that have passed, as taken on time.

The plan is the taper step in force today, else the tracked diazepam's usual amount and
times (domain.adherence.planned_slots). What is due is worked out from the day as stored
after the write lock is taken, and saved through store.days.patch_day in the same write
transaction, so `take` beside the app or another `log` neither loses nor doubles a dose.
"""

from __future__ import annotations

from datetime import datetime

import click

from diazlog.commands.diary import CREATE_HELP, allow_create
from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now
from diazlog.domain.units import amount_text


@click.command("take")
@click.option("--create", is_flag=True, help=CREATE_HELP)
@click.pass_context
def command(ctx: click.Context, create: bool) -> None:
    """Log today's planned diazepam doses whose time has come, at their planned times.

    \b
    A planned dose already logged (on time or late, that day) is not logged again, so
    running it twice is harmless. Doses at other times: `diazlog log --dose 5@HH:MM`.
    """
    from diazlog.store import StoreError

    clock = now()
    allow_create(ctx.find_root().obj["db_path"], create)
    db = db_for(ctx)
    try:
        line, saved = _take(db, clock)
        echo(line)
        if saved is not None:
            _echo_after(db, saved, clock)
    except StoreError as exc:  # e.g. a read-only diary: nothing was saved
        fail(str(exc))
    finally:
        db.close()


def _echo_after(db, saved, clock: datetime) -> None:  # type: ignore[no-untyped-def]
    """The plan check and red flags, as `log` prints them after a save."""
    from diazlog.commands.log import echo_plan
    from diazlog.store.queries.flags import day_flags

    echo_plan(db, saved, True)
    for alert in day_flags(db, saved, clock):
        seen = f" (seen by a doctor on {alert.seen_on})" if alert.seen_on else ""
        echo(f"⚠ {alert.title}: {alert.message}{seen}")


def _take(db, clock: datetime):  # type: ignore[no-untyped-def]
    """Log what is due in one write transaction; return the line that says what was, and
    the saved day (None when nothing was written)."""
    from diazlog.domain.adherence import LoggedDose, planned_slots
    from diazlog.domain.clock import dose_offset
    from diazlog.domain.due_doses import and_list, due_doses
    from diazlog.domain.models import Dose
    from diazlog.domain.quick_entry import Entry
    from diazlog.store.file.transactions import writing
    from diazlog.store.queries.days import load_day, patch_day
    from diazlog.store.queries.diazepam_doses import stored_diazepam_ids
    from diazlog.store.queries.medications import tracked_diazepam
    from diazlog.store.queries.taper import diazepam_steps

    today = clock.date().isoformat()
    med = tracked_diazepam(db)
    if med is None or med.id is None:
        return (
            "Nothing to take: no diazepam set up yet "
            "(`diazlog log --dose 5@08:00` sets it up, or Medicines in the app)"
        ), None
    slots = planned_slots(today, diazepam_steps(db), med)
    if not slots:
        return f"Nothing to take: no {med.name} planned today", None
    with writing(db):
        # Read inside the write lock, with the day: a "Valium 5 mg" logged at 08:00 covers
        # the 08:00 slot as the tracked diazepam would (domain.diazepam_products).
        diazepam_ids = stored_diazepam_ids(db)
        stored = load_day(db, today)
        logged = [
            LoggedDose(d.time, d.amount, d.as_needed)
            for d in (stored.doses if stored else ())
            if d.medication_id in diazepam_ids
        ]
        plan = due_doses(today, slots, logged, clock.strftime("%H:%M"))
        doses = tuple(
            Dose(med.id, s.time, s.amount, utc_offset=dose_offset(today, s.time, clock))
            for s in plan.due
            if s.time is not None
        )
        saved = patch_day(db, today, Entry(doses=doses), clock)[0] if doses else None
    notes = []
    if plan.covered:
        covered = [s.time or "today's dose" for s in plan.covered]
        notes.append(f"already logged: {and_list(covered)}")
    if plan.not_yet:
        notes.append(f"not due yet: {and_list([s.time or '' for s in plan.not_yet])}")
    if plan.untimed:
        notes.append("your plan gives no time: log it with --dose AMOUNT@HH:MM")
    if not doses:
        return f"Nothing to take: {'; '.join(notes)}", None
    rest = f" ({'; '.join(notes)})" if notes else ""
    if len({d.amount for d in doses}) == 1:
        what = f"{amount_text(doses[0].amount, med.unit)} at {and_list([d.time for d in doses])}"
    else:  # each at its own amount: "5 mg at 08:00 and 2.5 mg at 20:00"
        what = and_list([f"{amount_text(d.amount, med.unit)} at {d.time}" for d in doses])
    return f"Took {med.name} {what} as planned{rest}", saved
