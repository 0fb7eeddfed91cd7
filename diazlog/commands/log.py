"""`diazlog log leg_pain=6 cramps=3 --dose 5@08:00 --note "…"`: quick entry from the shell.

Everything is checked before anything is written: one bad value, and nothing is saved.
"""

from __future__ import annotations

from datetime import date, datetime

import click

from diazlog.cli import db_for, fail


def now() -> datetime:
    """The current time (a function so tests can fix it)."""
    return datetime.now()


@click.command("log")
@click.argument("ratings", nargs=-1, metavar="[SYMPTOM=0-10]...")
@click.option(
    "--dose",
    "doses",
    multiple=True,
    metavar="[NAME:]AMOUNT[@HH:MM]",
    help="A dose taken (repeatable). Without NAME: your diazepam. Without a time: now.",
)
@click.option("--note", help="A line to add to the day's note.")
@click.option(
    "--date", "day_text", metavar="YYYY-MM-DD", help="Log an earlier day (default today)."
)
@click.pass_context
def command(
    ctx: click.Context,
    ratings: tuple[str, ...],
    doses: tuple[str, ...],
    note: str | None,
    day_text: str | None,
) -> None:
    """Log ratings, doses and a note for today (or --date), merged with what is saved.

    \b
    Examples:
      diazlog log leg_pain=6 cramps=3 --dose 5@08:00 --note "after a long walk"
      diazlog log --dose tramadol:50@14:15
      diazlog log sleep_hours=6.5 alcohol_units=2 --date 2026-11-20

    Symptoms are named by key (leg_pain, leg_weakness, cramps, spasms, fatigue,
    rebound_tension and your own); day fields too (walking_interference, sleep_interference,
    activity_min, water_glasses, sleep_hours, alcohol_units).
    """
    from diazlog.domain.validation import InvalidInput

    if not (ratings or doses or note):
        fail("nothing to log: give ratings like leg_pain=6, a --dose or a --note")
    db = db_for(ctx)
    clock = now()
    try:
        _log(db, clock, ratings, doses, note, day_text)
    except InvalidInput as exc:
        fail(str(exc))


def _log(
    db,
    clock: datetime,
    ratings: tuple[str, ...],
    dose_texts: tuple[str, ...],
    note: str | None,
    day_text: str | None,
) -> None:
    from diazlog.domain import limits
    from diazlog.domain.models import Dose
    from diazlog.domain.quick_entry import (
        find_medication,
        merge_entry,
        parse_dose_spec,
        split_assignment,
    )
    from diazlog.domain.validation import (
        InvalidInput,
        check_note,
        parse_amount,
        parse_date,
        parse_number,
        parse_rating,
        parse_time,
    )
    from diazlog.store.days import load_day, save_day
    from diazlog.store.flags import day_flags
    from diazlog.store.medications import list_medications, tracked_diazepam
    from diazlog.store.symptoms import list_symptoms

    today = clock.date()
    day = parse_date(day_text, today) if day_text else today.isoformat()
    symptoms = {s.key: s for s in list_symptoms(db)}
    given: dict[int, int] = {}
    numbers: dict[str, float | int] = {}
    for text in ratings:
        key, value = split_assignment(text)
        if key in symptoms:
            try:
                given[symptoms[key].id] = parse_rating(value)
            except InvalidInput as exc:
                raise InvalidInput(f"{key}: {exc}") from None
        elif key in limits.DAY_FIELDS_BY_NAME:
            parsed = parse_number(value, limits.DAY_FIELDS_BY_NAME[key])
            if parsed is not None:
                numbers[key] = parsed
        else:
            raise InvalidInput(f"no symptom '{key}': use one of {', '.join(symptoms)}")
    medications = [m for m in list_medications(db) if m.active_on(day)]
    new_doses = []
    for text in dose_texts:
        spec = parse_dose_spec(text)
        if spec.name is None:
            med = tracked_diazepam(db)
            if med is None or med.id is None:
                raise InvalidInput(
                    "no diazepam set up yet: add it in the app (Medicines, key m), "
                    "or name the medicine: --dose NAME:AMOUNT@HH:MM"
                )
        else:
            med = find_medication(spec.name, medications)
        if spec.time is not None:
            time = parse_time(spec.time)
        elif day == today.isoformat():
            time = clock.strftime("%H:%M")
        else:
            raise InvalidInput(f"--dose {text} on {day}: say when, e.g. {spec.amount}@08:00")
        amount = parse_amount(spec.amount, diazepam=med.is_diazepam, unit=med.unit)
        assert med.id is not None
        new_doses.append(Dose(med.id, time, amount))
    line = check_note(note) if note else None
    merged, added = merge_entry(
        load_day(db, day), day, ratings=given, numbers=numbers, doses=new_doses, note=line
    )
    saved = save_day(db, merged, clock)
    names = {m.id: m for m in list_medications(db)}
    by_id = {s.id: s for s in symptoms.values()}
    parts = [", ".join(f"{by_id[i].name.lower()} {v}" for i, v in given.items())]
    parts.append(", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in numbers.items()))
    parts += [
        f"{names[d.medication_id].name} {d.amount:g} {names[d.medication_id].unit} at {d.time}"
        for d in added
    ]
    skipped = len(new_doses) - len(added)
    if skipped:
        parts.append(f"{skipped} dose{'s' if skipped > 1 else ''} already logged")
    if line:
        parts.append("note added")
    when = date.fromisoformat(day)
    click.echo(f"Saved {when:%a %d %b %Y}: {' · '.join(p for p in parts if p)}")
    _echo_plan(db, saved, day == today.isoformat())
    for alert in day_flags(db, saved, clock):
        seen = f" (seen by a doctor on {alert.seen_on})" if alert.seen_on else ""
        click.echo(f"⚠ {alert.title}: {alert.message}{seen}")


def _echo_plan(db, saved, is_today: bool) -> None:
    from diazlog.domain.taper import check, describe_check
    from diazlog.store.medications import medications_by_id
    from diazlog.store.taper import diazepam_plan_for

    step = diazepam_plan_for(db, saved.date)
    if step is None:
        return
    diazepam = [i for i, m in medications_by_id(db).items() if m.is_diazepam]
    click.echo(describe_check(check(step, saved.dose_total(diazepam)), is_today=is_today))
