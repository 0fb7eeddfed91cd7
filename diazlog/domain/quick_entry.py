"""Quick entry from the shell: parse `symptom=6` and `--dose 5@08:00`, merge into a saved day.

Merging replaces only what was given: a rating given replaces that symptom's intensity (its
details stay), doses are added (an identical dose at the same time is not added twice), a note
is added as a new line of the day's note. Two doses at the same wall time with
different UTC offsets (a clock-change night) are two doses. Everything else stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from diazlog.domain.medicine_names import DrugClass
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating
from diazlog.domain.validation import InvalidInput, check_note
from diazlog.domain.visible_text import quoted

MEDICINE_NAME_MAX_CHARS = 60  # what import accepts for medications.name (transfer/rowcheck.py)
_CATEGORY_OF_CLASS = {
    DrugClass.OPIOID: Category.OPIOID,
    DrugClass.BENZODIAZEPINE: Category.BENZODIAZEPINE,
    DrugClass.Z_DRUG: Category.SLEEP,
    DrugClass.MUSCLE_RELAXANT: Category.MUSCLE_RELAXANT,
}
_DOSE = re.compile(r"^\s*(?:(?P<name>[^:@]+?)\s*:)?\s*(?P<amount>[^@]+?)\s*(?:@(?P<time>.*))?$")


@dataclass(frozen=True)
class DoseSpec:
    """A --dose value split up: "tramadol:50@14:15" -> ("tramadol", "50", "14:15")."""

    name: str | None
    amount: str
    time: str | None


@dataclass(frozen=True)
class Entry:
    """What one quick entry gives for a day: merged into the stored day, never replacing it."""

    ratings: Mapping[int, int] = field(default_factory=dict)
    numbers: Mapping[str, float | int] = field(default_factory=dict)
    doses: tuple[Dose, ...] = ()
    note: str | None = None


def split_assignment(text: str) -> tuple[str, str]:
    """ "leg_pain=6" -> ("leg_pain", "6")."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InvalidInput(f"{quoted(text)} is not SYMPTOM=RATING, e.g. leg_pain=6")
    return key.strip().lower(), value.strip()


def parse_dose_spec(text: str) -> DoseSpec:
    match = _DOSE.match(text or "")
    if not match or not match.group("amount"):
        raise InvalidInput(f"{quoted(text)} is not a dose: use AMOUNT@HH:MM, e.g. 5@08:00")
    time = match.group("time")
    if time is not None and not time.strip():
        raise InvalidInput(f"{quoted(text)}: give a time after @, e.g. 5@08:00")
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


def find_or_new_medication(name: str, medications: Iterable[Medication]) -> Medication:
    """The medicine called `name`, or a new one (id None) when none is called so.

    Several medicines starting with `name` is still a question for the user, not a new one.
    """
    try:
        return find_medication(name, medications)
    except InvalidInput:
        if any(m.name.lower().startswith(name.strip().lower()) for m in medications):
            raise
    return new_medication(name)


def new_medication(name: str) -> Medication:
    """A medicine first named in `diazlog log --dose NAME:...`; its category follows the
    shipped name table, as its class does when it is saved (store.rows.medication_to_row)."""
    from diazlog.domain.medicine_names import classify

    text = " ".join(name.split())
    if not text:
        raise InvalidInput("give the medicine a name, e.g. --dose tramadol:50@14:15")
    if len(text) > MEDICINE_NAME_MAX_CHARS:
        raise InvalidInput(f"keep the medicine's name under {MEDICINE_NAME_MAX_CHARS} characters")
    classes = classify(text).classes
    category = next(
        (_CATEGORY_OF_CLASS[c] for c in classes if c in _CATEGORY_OF_CLASS), Category.OTHER
    )
    return Medication(None, text, category)


def new_diazepam() -> Medication:
    """The diazepam a first `--dose AMOUNT` sets up (its usual amount is that dose's)."""
    return Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True)


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
            if (d.medication_id, d.amount) == (dose.medication_id, dose.amount)
            and d.same_moment(dose)
        ]
        if not same:
            kept.append(dose)
            added.append(dose)
    text = base.note
    # Whole lines only: "walk" is new on a day whose note says "long walk".
    if note and note.strip() and f"\n{note.strip()}\n" not in f"\n{text}\n":
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
