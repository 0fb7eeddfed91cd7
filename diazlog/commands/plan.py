"""`diazlog plan`: the tracked diazepam's taper plan from the shell: list, add or remove a step.

A step is read by domain.plan, the validator the Medicines screen uses, so both accept and
refuse the same words ("5@08:00 2.5@20:00", "5", "0" for stop). A step that starts before
today is refused unless `--past` says the plan really began then: a typo in the year must not
rewrite what the diary judged against. The write reads the step it replaces inside the same
write transaction (store.taper.save_step), so the answer names what was really replaced.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from diazlog.commands.diary import CREATE_HELP, allow_create
from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now
from diazlog.domain.plan import Schedule
from diazlog.domain.visible_text import one_line

if TYPE_CHECKING:
    from diazlog.domain.models import TaperStep

EXAMPLE = "diazlog plan --from 2026-12-01 5@08:00 2.5@20:00"


@click.command("plan")
@click.argument("doses", nargs=-1)
@click.option("--from", "from_text", metavar="DATE", help="Add a step starting on DATE.")
@click.option("--remove", "remove_text", metavar="DATE", help="Remove the step starting on DATE.")
@click.option("--past", is_flag=True, help="Allow a step that starts before today.")
@click.option("--create", is_flag=True, help=CREATE_HELP)
@click.pass_context
def command(
    ctx: click.Context,
    doses: tuple[str, ...],
    from_text: str | None,
    remove_text: str | None,
    past: bool,
    create: bool,
) -> None:
    """List the taper plan, or add or remove one step.

    \b
    diazlog plan                                      the steps, and which is in force
    diazlog plan --from 2026-12-01 5@08:00 2.5@20:00  5 mg at 08:00, 2.5 mg at 20:00
    diazlog plan --from 2026-12-01 2.5@08:00 2.5@20:00
    diazlog plan --from 2027-01-15 0                  stop: no diazepam from then on
    diazlog plan --remove 2026-12-01
    A step on a date that has one already replaces it. A step before today needs --past.
    """
    clock = now()
    if remove_text is not None and (from_text is not None or doses):
        fail("--remove takes only a date: remove a step, then add one with --from")
    if from_text is None and remove_text is None:
        if doses:
            fail(f"say when the step starts: {EXAMPLE}")
        _list(ctx, clock)
        return
    # What was typed is checked first: a typo is refused before any "create a diary?".
    if remove_text is not None:
        day = _step_date(remove_text)
        allow_create(ctx.find_root().obj["db_path"], create)
        _remove(ctx, day)
    else:
        assert from_text is not None
        day, schedule = _parsed(from_text, doses, past=past, clock=clock)
        allow_create(ctx.find_root().obj["db_path"], create)
        _add(ctx, day, schedule)


def _step_date(text: str) -> str:
    from diazlog.domain.plan import PlanInputError, parse_step_date

    try:
        return parse_step_date(text)
    except PlanInputError as exc:
        fail(str(exc))


def _parsed(
    from_text: str, doses: tuple[str, ...], *, past: bool, clock: datetime
) -> tuple[str, Schedule]:
    """The step's date and schedule, or exit 2 with what to fix (before the diary is opened)."""
    from diazlog.domain.plan import PlanInputError, parse_schedule, parse_step_date

    try:
        day = parse_step_date(from_text)
        if not doses:
            raise PlanInputError(f"say the doses after the date (0 to stop), e.g. {EXAMPLE}")
        schedule = parse_schedule(" ".join(doses), diazepam=True, allow_stop=True)
    except PlanInputError as exc:
        fail(str(exc))
    today = clock.date().isoformat()
    if day < today and not past:
        fail(
            f"{day} is before today ({today}): a new step starts today or later; "
            "add --past if the plan really changed then"
        )
    assert schedule is not None
    return day, schedule


def _add(ctx: click.Context, day: str, schedule: Schedule) -> None:
    from diazlog.domain.models import Category, Medication, TaperStep
    from diazlog.store import StoreError
    from diazlog.store.queries.medications import add_medication_once
    from diazlog.store.queries.taper import save_step

    db = db_for(ctx)
    try:
        med, added = add_medication_once(
            db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True)
        )
        assert med.id is not None
        step = TaperStep(None, med.id, day, schedule.amount, schedule.times, schedule.amounts)
        replaced = save_step(db, step)
    except StoreError as exc:  # e.g. a read-only diary: nothing was saved
        fail(str(exc))
    finally:
        db.close()
    name = one_line(med.name)
    if added:
        echo(f"Set up {name} as the diazepam you track (Medicines in the app edits it).")
    line = f"{name} from {day}: {_step_text(step, med.unit)}"
    if replaced is not None:
        line += f" (replaced {_step_text(replaced, med.unit)})"
    echo(line)


def _remove(ctx: click.Context, day: str) -> None:
    from diazlog.store import StoreError
    from diazlog.store.queries.medications import tracked_diazepam
    from diazlog.store.queries.taper import remove_step_on

    db = db_for(ctx)
    try:
        med = tracked_diazepam(db)
        removed = remove_step_on(db, med.id, day) if med and med.id is not None else None
    except StoreError as exc:
        fail(str(exc))
    finally:
        db.close()
    if med is None or removed is None:
        fail(f"no step starts on {day}: `diazlog plan` lists the steps")
    echo(f"Removed the step from {day} ({_step_text(removed, med.unit)}).")


def _step_text(step: TaperStep, unit: str) -> str:
    """ "5 mg at 08:00 + 2.5 mg at 20:00 · 7.5 mg a day", or "stop: no diazepam"."""
    from diazlog.domain.taper import describe_step, planned_total

    if step.amount == 0:
        return "stop: no diazepam"
    return f"{describe_step(step, unit)} · {planned_total(step):g} {unit} a day"


def _list(ctx: click.Context, clock: datetime) -> None:
    from diazlog.domain.taper import planned_for
    from diazlog.store.queries.medications import tracked_diazepam
    from diazlog.store.queries.taper import list_steps

    db = db_for(ctx, for_reading=True)
    try:
        med = tracked_diazepam(db)
        steps = list_steps(db, med.id) if med and med.id is not None else []
    finally:
        db.close()
    if med is None:
        echo(f"No diazepam set up yet: {EXAMPLE} adds a plan (and sets it up).")
        return
    name = one_line(med.name)
    if not steps:
        echo(f"No taper plan for {name} yet: {EXAMPLE} adds a step.")
        return
    today = clock.date().isoformat()
    in_force = planned_for(steps, today)
    echo(f"Taper plan for {name}:")
    for step in steps:
        what = _step_text(step, med.unit)
        state = "← now" if step == in_force else ("ahead" if step.from_date > today else "done")
        echo(f"  from {step.from_date}  {what}  {state}")
