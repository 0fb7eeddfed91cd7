"""`diazlog log leg_pain=6 cramps=3 --dose 5@08:00 --note "…"`: quick entry from the shell.

Everything is checked before anything is written: one bad value, and nothing is saved. The
write is a merge: the day is read and patched inside one write transaction (store.days.
patch_day), so two `log` calls at once on the same day both keep what they saved.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import click

from diazlog.commands.diary import CREATE_HELP, allow_create
from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now
from diazlog.domain.models import Dose, Medication
from diazlog.domain.quick_entry import (
    Entry,
    find_or_new_medication,
    new_diazepam,
    parse_dose_spec,
    split_assignment,
)


@click.command("log")
@click.argument("ratings", nargs=-1, metavar="[SYMPTOM=0-10]...")
@click.option(
    "--dose",
    "doses",
    multiple=True,
    metavar="[NAME:]AMOUNT[@HH:MM]",
    help="A dose taken (repeatable). Without NAME: your diazepam. Without a time: now.",
)
@click.option(
    "--note",
    help="A line to add to the day's note; `--note -` reads it from standard input, "
    "so it never shows in the process list.",
)
@click.option(
    "--date",
    "day_text",
    metavar="DAY",
    help="Log an earlier day: yesterday, -3 (days ago) or YYYY-MM-DD (default today).",
)
@click.option("--create", is_flag=True, help=CREATE_HELP)
@click.pass_context
def command(
    ctx: click.Context,
    ratings: tuple[str, ...],
    doses: tuple[str, ...],
    note: str | None,
    day_text: str | None,
    create: bool,
) -> None:
    """Log ratings, doses and a note for today (or --date), merged with what is saved.

    \b
    Examples:
      diazlog log pain=6 weak=4 cramps=3 water=6 activity=45 --dose 5@08:00
      diazlog log --dose tramadol:50@14:15
      diazlog log sleep_hours=6.5 alcohol_units=2 --date yesterday
      echo "a private note" | diazlog log --note -

    Symptoms are named by key or label (leg_pain, "Leg pain", leg_weakness, cramps, spasms,
    fatigue, rebound_tension and your own); day fields too (walking_interference,
    sleep_interference, activity_min, water_glasses, sleep_hours, alcohol_units). A unique
    start of a name, or of a word of its label, is enough (pain, weak, water, activity).
    A medicine you have not set up yet is added by its name; a dose without a name is your
    diazepam (set up on first use). A dose later than now today is refused.
    """
    from diazlog.domain.validation import InvalidInput

    if note == "-":
        note = sys.stdin.read()
        if not note.strip():
            fail("--note -: standard input held no note")
    if not (ratings or doses or note):
        fail("nothing to log: give ratings like leg_pain=6, a --dose or a --note")
    clock = now()
    try:
        plan = _plan(ctx, clock, ratings, doses, note, day_text, create)
    except InvalidInput as exc:
        fail(str(exc))
    from diazlog.store import StoreError

    try:
        _save(plan, clock)
    except StoreError as exc:  # e.g. made read-only since it was opened: nothing was saved
        fail(str(exc))
    except InvalidInput as exc:  # only the merge with what is stored can tell (a long note)
        fail(f"nothing was saved: {exc}")


@dataclass(frozen=True)
class _Plan:
    """A checked entry, ready to write: nothing in it can be refused for its content."""

    db: Any
    day: str
    entry: Entry
    # Each given dose with the medicine it is for; a medicine with id None is added first.
    doses: tuple[tuple[Medication, Dose], ...]
    is_today: bool


def _plan(
    ctx: click.Context,
    clock: datetime,
    ratings: tuple[str, ...],
    dose_texts: tuple[str, ...],
    note: str | None,
    day_text: str | None,
    create: bool = False,
) -> _Plan:
    """Check everything the user typed before anything is written."""
    from diazlog.domain import limits
    from diazlog.domain.field_names import Name, resolve
    from diazlog.domain.validation import (
        InvalidInput,
        check_note,
        parse_day,
        parse_number,
        parse_rating,
    )
    from diazlog.store.queries.symptoms import list_symptoms

    today = clock.date()
    day = parse_day(day_text, today) if day_text else today.isoformat()
    for text in ratings:  # the syntax first, so a typo never creates a diary
        split_assignment(text)
    line = check_note(note) if note else None
    allow_create(ctx.find_root().obj["db_path"], create)
    db = db_for(ctx)
    symptoms = {s.key: s for s in list_symptoms(db)}
    names = [Name(s.key, s.name, True) for s in symptoms.values()]
    names += [Name(f.name, f.label, False) for f in limits.DAY_NUMBER_FIELDS]
    given: dict[int, int] = {}
    numbers: dict[str, float | int] = {}
    for text in ratings:
        typed, value = split_assignment(text)
        name = resolve(typed, names)
        key = name.key
        if name.is_symptom:
            try:
                given[symptoms[key].id] = parse_rating(value)
            except InvalidInput as exc:
                raise InvalidInput(f"{key}: {exc}") from None
        else:
            parsed = parse_number(value, limits.DAY_FIELDS_BY_NAME[key])
            if parsed is not None:
                numbers[key] = parsed
    is_today = day == today.isoformat()
    doses = tuple(_dose(db, text, day, clock, is_today) for text in dose_texts)
    entry = Entry(given, numbers, tuple(d for _m, d in doses), line)
    return _Plan(db, day, entry, doses, is_today)


def _dose(db, text: str, day: str, clock: datetime, is_today: bool) -> tuple[Medication, Dose]:
    """One --dose: its medicine (found, or new with id None) and the dose, checked."""
    from diazlog.domain.clock import dose_offset, local, offset_text
    from diazlog.domain.validation import InvalidInput, parse_amount, parse_time, refuse_control
    from diazlog.store.queries.medications import list_medications, tracked_diazepam

    spec = parse_dose_spec(text)
    if spec.name is not None:
        refuse_control(spec.name, f"--dose {text}: the medicine's name")
    if spec.name is None:
        med = tracked_diazepam(db) or new_diazepam()
    else:
        medications = [m for m in list_medications(db) if m.active_on(day)]
        med = find_or_new_medication(spec.name, medications)
        if med.id is None:
            med = _recognised_new(db, med)
    offset = None
    if spec.time is not None:
        time = parse_time(spec.time)
        if is_today and time > clock.strftime("%H:%M"):
            raise InvalidInput(
                f"--dose {text}: {time} is later than now; a diary records what happened"
            )
        offset = dose_offset(day, time, clock) if is_today else None
    elif is_today:
        time, offset = clock.strftime("%H:%M"), offset_text(local(clock))
    else:
        raise InvalidInput(f"--dose {text} on {day}: say when, e.g. {spec.amount}@08:00")
    amount = parse_amount(spec.amount, diazepam=med.is_diazepam, unit=med.unit)
    if med.id is None and med.is_diazepam:
        med = replace(med, usual_amount=amount)
    return med, Dose(med.id or 0, time, amount, utc_offset=offset)


def _recognised_new(db, med: Medication) -> Medication:
    """A medicine first named here, with what its name was recognised as: its category where
    the class says, its unit (a combination product counts in tablets), its class. Resolved
    now, before the write lock: the drug-name library may take seconds the first time."""
    from diazlog.domain.medicine_watch import category_for
    from diazlog.store.queries.medications import recognised
    from diazlog.store.queries.medicine_lookups import known

    med = recognised(db, med)
    found = known(db, med.name)
    if found is None:
        return med
    return replace(
        med, unit=found.unit or med.unit, category=category_for(med.name, found) or med.category
    )


def _save(plan: _Plan, clock: datetime) -> None:
    """Add the new medicines and merge the entry into the day, in one write transaction."""
    from diazlog.store.file.transactions import writing
    from diazlog.store.queries.days import patch_day
    from diazlog.store.queries.medications import add_medication_once

    db = plan.db
    added_meds: list[Medication] = []
    with writing(db):
        doses = []
        for med, dose in plan.doses:
            if med.id is None:
                stored, new = add_medication_once(db, med)
                med = stored
                if new:
                    added_meds.append(stored)
            assert med.id is not None
            doses.append(replace(dose, medication_id=med.id))
        saved, added = patch_day(db, plan.day, replace(plan.entry, doses=tuple(doses)), clock)
    for med in added_meds:
        echo(_added_line(db, med))
    _echo_saved(db, plan, saved, added, clock)


def _added_line(db, med: Medication) -> str:
    from diazlog.domain.name_resolution import Resolution
    from diazlog.domain.units import amount_text, unit_word
    from diazlog.store.queries.medicine_lookups import known

    if med.is_diazepam:
        return (
            f"Set up {med.name} with {amount_text(med.usual_amount or 0, med.unit)} as your "
            "usual dose (change it in the app: Medicines, key m)"
        )
    found = known(db, med.name) or Resolution(med.name)
    return f"Added to your medicines, counted in {unit_word(2, med.unit)}: {found.text}"


def _echo_saved(db, plan: _Plan, saved, added: list[Dose], clock: datetime) -> None:
    from diazlog.domain.units import amount_text
    from diazlog.store.queries.flags import day_flags
    from diazlog.store.queries.medications import list_medications
    from diazlog.store.queries.symptoms import list_symptoms

    entry = plan.entry
    names = {m.id: m for m in list_medications(db)}
    by_id = {s.id: s for s in list_symptoms(db)}
    parts = [", ".join(f"{by_id[i].name.lower()} {v}" for i, v in entry.ratings.items())]
    parts.append(", ".join(f"{k.replace('_', ' ')} {v:g}" for k, v in entry.numbers.items()))
    parts += [
        f"{names[d.medication_id].name} {amount_text(d.amount, names[d.medication_id].unit)} "
        f"at {d.time}"
        for d in added
    ]
    skipped = len(entry.doses) - len(added)
    if skipped:
        parts.append(f"{skipped} dose{'s' if skipped > 1 else ''} already logged")
    if entry.note:
        parts.append("note added")
    day = plan.day
    when = date.fromisoformat(day)
    echo(f"Saved {when:%a %d %b %Y}: {' · '.join(p for p in parts if p)}")
    echo_plan(db, saved, plan.is_today)
    for alert in day_flags(db, saved, clock):
        seen = f" (seen by a doctor on {alert.seen_on})" if alert.seen_on else ""
        # The level's own header ("⚠ SEEK MEDICAL ATTENTION NOW", "Ask your doctor at the next
        # visit"), as `status` and Today say it: one unit of alcohol and an opioid never alike.
        echo(f"{alert.level.header} · {alert.title}: {alert.message}{seen}")


def echo_plan(db, saved, is_today: bool) -> None:
    """The taper-plan check of a saved day (`log` and `take` print it after a save)."""
    from diazlog.domain.taper import check, describe_check
    from diazlog.store.queries.diazepam_doses import stored_diazepam_ids
    from diazlog.store.queries.taper import diazepam_plan_for

    step = diazepam_plan_for(db, saved.date)
    if step is None:
        return
    diazepam = stored_diazepam_ids(db)  # "Valium 5 mg" counts towards the plan's total too
    echo(describe_check(check(step, saved.dose_total(diazepam)), is_today=is_today))
