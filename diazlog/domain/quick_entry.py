"""Quick entry from the shell: parse `symptom=6` and `--dose 5@08:00`, merge into a saved day.

Merging replaces only what was given: a rating given replaces that symptom's intensity (its
details stay), doses are added (an identical dose at the same time is not added twice), a note
is added as a new line of the day's note. Everything else stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from diazlog.domain.models import DayLog, Dose, Medication, Rating
from diazlog.domain.validation import InvalidInput, check_note

_DOSE = re.compile(r"^\s*(?:(?P<name>[^:@]+?)\s*:)?\s*(?P<amount>[^@]+?)\s*(?:@(?P<time>.*))?$")


@dataclass(frozen=True)
class DoseSpec:
    """A --dose value split up: "tramadol:50@14:15" -> ("tramadol", "50", "14:15")."""

    name: str | None
    amount: str
    time: str | None


def split_assignment(text: str) -> tuple[str, str]:
    """ "leg_pain=6" -> ("leg_pain", "6")."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InvalidInput(f"'{text}' is not SYMPTOM=RATING, e.g. leg_pain=6")
    return key.strip().lower(), value.strip()


def parse_dose_spec(text: str) -> DoseSpec:
    match = _DOSE.match(text or "")
    if not match or not match.group("amount"):
        raise InvalidInput(f"'{text}' is not a dose: use AMOUNT@HH:MM, e.g. 5@08:00")
    time = match.group("time")
    if time is not None and not time.strip():
        raise InvalidInput(f"'{text}': give a time after @, e.g. 5@08:00")
    return DoseSpec(match.group("name"), match.group("amount"), time)


def find_medication(name: str, medications: Iterable[Medication]) -> Medication:
    """The medicine called `name`: an exact (case-insensitive) name, else a unique prefix."""
    meds = list(medications)
    wanted = name.strip().lower()
    exact = [m for m in meds if m.name.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    starts = [m for m in meds if m.name.lower().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(sorted(m.name for m in meds)) or "none yet"
    what = "more than one medicine" if len(starts) > 1 else "no medicine"
    raise InvalidInput(f"{what} called '{name}' (yours: {known})")


def merge_entry(
    saved: DayLog | None,
    day: str,
    *,
    ratings: Mapping[int, int] | None = None,
    numbers: Mapping[str, float | int] | None = None,
    doses: Iterable[Dose] = (),
    note: str | None = None,
) -> tuple[DayLog, list[Dose]]:
    """The day with what was given merged in, and the doses actually added."""
    base = saved or DayLog(date=day)
    by_symptom = {r.symptom_id: r for r in base.ratings}
    for symptom_id, intensity in (ratings or {}).items():
        old = by_symptom.get(symptom_id)
        by_symptom[symptom_id] = (
            replace(old, intensity=intensity) if old else Rating(symptom_id, intensity)
        )
    added: list[Dose] = []
    kept = list(base.doses)
    for dose in doses:
        same = [
            d
            for d in kept
            if (d.medication_id, d.time, d.amount) == (dose.medication_id, dose.time, dose.amount)
        ]
        if not same:
            kept.append(dose)
            added.append(dose)
    text = base.note
    if note and note.strip() and note.strip() not in text:
        text = check_note(f"{text}\n{note.strip()}" if text else note.strip())
    merged = replace(
        base,
        ratings=tuple(sorted(by_symptom.values(), key=lambda r: r.symptom_id)),
        doses=tuple(sorted(kept, key=lambda d: d.time)),
        note=text,
        updated_at=None,
        **dict(numbers or {}),  # type: ignore[arg-type]
    )
    return merged, added
