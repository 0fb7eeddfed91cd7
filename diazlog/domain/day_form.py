"""Today's form as a day's log: what the user typed becomes a `DayLog` draft, and whether
it differs from what is saved.

Pure functions over plain values read off the screen, so parsing, the "unsaved" test and the
title line are tested here without an app.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from diazlog.domain import limits
from diazlog.domain.dose_flags import nothing_logged_since
from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.domain.validation import InvalidInput, check_note, parse_number
from diazlog.domain.visible_text import visible

INTERFERENCE = {
    "walking_interference": "Walking (got in way)",
    "sleep_interference": "Sleep (got in way)",
}
LIFESTYLE = ("activity_min", "water_glasses", "sleep_hours", "alcohol_units")


@dataclass(frozen=True)
class DayForm:
    """What the form holds, as plain values: ratings per symptom id in row order (None: not
    logged), the details kept per symptom, the interference ratings, the lifestyle fields as
    typed, the note as typed, stretched (None: not noted), the ticked flags and the doses."""

    day: str
    ratings: Mapping[int, int | None] = field(default_factory=dict)
    details: Mapping[int, Rating] = field(default_factory=dict)
    interference: Mapping[str, int | None] = field(default_factory=dict)
    lifestyle: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    stretched: bool | None = None
    flags: frozenset[str] = frozenset()
    doses: tuple[Dose, ...] = ()


def form_day(form: DayForm, *, strict: bool) -> tuple[DayLog, dict[str, str]]:
    """The form as a DayLog, and the message of every field that does not parse.

    With strict=False an invalid number is left out and an invalid note cut to its limit, so
    red flags stay live while the user is still typing; strict (a save) drops the note.
    """
    errors: dict[str, str] = {}
    ratings = tuple(
        replace(form.details.get(symptom_id, Rating(symptom_id, value)), intensity=value)
        for symptom_id, value in form.ratings.items()
        if value is not None
    )
    numbers: dict[str, object] = {name: form.interference.get(name) for name in INTERFERENCE}
    for name in LIFESTYLE:
        try:
            numbers[name] = parse_number(
                form.lifestyle.get(name, ""), limits.DAY_FIELDS_BY_NAME[name]
            )
        except InvalidInput as exc:
            errors[name] = str(exc)
            numbers[name] = None
    try:
        note = check_note(form.note)
    except InvalidInput as exc:
        errors["note"] = str(exc)
        note = "" if strict else form.note[: limits.NOTE_MAX_CHARS]
    log = DayLog(
        date=form.day,
        ratings=ratings,
        stretched=form.stretched,
        note=note,
        doses=tuple(form.doses),
        red_flags=form.flags,
        **numbers,  # type: ignore[arg-type]
    )
    return log, errors


def normal(day: DayLog) -> DayLog:
    """A day stripped of what does not count as a change (ids, timestamps, order)."""
    return replace(
        day,
        updated_at=None,
        note=visible(day.note),  # the form shows control characters escaped
        ratings=tuple(sorted(day.ratings, key=lambda r: r.symptom_id)),
        doses=tuple(
            sorted(
                (replace(d, id=None) for d in day.doses), key=lambda d: (d.time, d.medication_id)
            )
        ),
    )


def content(day: DayLog | None) -> DayLog | None:
    """A stored day without its save time: equal content means nobody changed it since
    (Today's poll and a merged save both compare days this way)."""
    return None if day is None else replace(day, updated_at=None)


def is_unsaved(log: DayLog, saved: DayLog | None) -> bool:
    """Whether the form's day differs from what is saved (nothing saved: an empty day)."""
    return normal(log) != normal(saved or DayLog(date=log.date))


def edit_of_saved(log: DayLog, saved: DayLog | None, shown: Collection[int]) -> DayLog:
    """The form as an edit of the saved day: what the form cannot show stays as saved.

    Ratings of symptoms without a row (`shown` holds the ids with one) are kept, not counted
    as a change the user made.
    """
    base = saved or DayLog(date=log.date)
    hidden = tuple(r for r in base.ratings if r.symptom_id not in shown)
    return replace(log, ratings=log.ratings + hidden)


def day_heading(
    day: str,
    today: date,
    *,
    dirty: bool,
    saved: bool,
    changed_elsewhere: bool,
    last_logged: str | None,
) -> str:
    """The line under Today's title: the date, "today"/"yesterday", and the form's state."""
    shown = date.fromisoformat(day)
    when = (
        "today" if shown == today else ("yesterday" if shown == today - timedelta(days=1) else "")
    )
    label = shown.strftime("%a %d %b %Y") + (f" ({when})" if when else "")
    state = "● unsaved changes" if dirty else ("saved" if saved else "not logged yet")
    if dirty and changed_elsewhere:
        state = "● unsaved · changed elsewhere too"
    if not dirty and not saved and shown == today:
        gap = nothing_logged_since(last_logged, day, short=True)
        state += f" · {gap}" if gap else ""
    return f"{label} · {state}"
