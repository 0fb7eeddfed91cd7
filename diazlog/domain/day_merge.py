"""Three-way merge of one day's log: what the app loaded, what the user made of it, what is
stored now (another diazlog, `diazlog log` in a shell, an import may have saved meanwhile).

A field changed on one side only takes that side's value; a field both sides changed to the
same value takes it; a field both changed to different values is a `Conflict`, settled by a
choice ("mine" or "theirs") per conflict key. Fields are: each symptom's rating with its
details, each day field (interference, lifestyle, stretched, note), each red-flag tick, and
each dose matched by id (added, removed or changed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from diazlog.domain.models import DAY_COLUMNS, FLAG_LABELS, DayLog, Dose, FlagKind, Rating

Side = Literal["mine", "theirs"]

DAY_FIELDS = (*DAY_COLUMNS, "note")
FIELD_LABELS = {
    "walking_interference": "Walking (got in way)",
    "sleep_interference": "Sleep (got in way)",
    "activity_min": "Activity",
    "stretched": "Stretched",
    "water_glasses": "Water",
    "sleep_hours": "Sleep hours",
    "alcohol_units": "Alcohol",
    "note": "Note",
}


@dataclass(frozen=True)
class Conflict:
    """One field both sides changed, to different values (None: not logged / removed)."""

    key: str  # "note", "rating:3", "flag:fall", "dose:12", "water_glasses", ...
    base: object
    mine: object
    theirs: object


@dataclass(frozen=True)
class MergeResult:
    """The merged day (unsettled conflicts hold mine) and the conflicts left to settle."""

    day: DayLog
    conflicts: tuple[Conflict, ...] = ()


class _Merger:
    def __init__(self, choices: Mapping[str, Side]) -> None:
        self.choices = choices
        self.conflicts: list[Conflict] = []

    def pick(self, key: str, base: object, mine: object, theirs: object) -> object:
        if mine == theirs or theirs == base:
            return mine
        if mine == base:
            return theirs
        choice = self.choices.get(key)
        if choice == "theirs":
            return theirs
        if choice != "mine":
            self.conflicts.append(Conflict(key, base, mine, theirs))
        return mine


def merge_day(
    base: DayLog,
    mine: DayLog,
    theirs: DayLog,
    choices: Mapping[str, Side] | None = None,
) -> MergeResult:
    """Merge `mine` and `theirs`, both made from `base`; pure, the inputs are left alone.

    Doses are matched by id: a dose of `mine` whose id is not in `base` counts as new (its id
    dropped, since only `base`'s ids are known to belong to this day). A dose both sides
    added with the same medicine, time, amount, kind and note is one dose, kept once.
    """
    merger = _Merger(choices or {})
    fields = {
        name: merger.pick(name, getattr(base, name), getattr(mine, name), getattr(theirs, name))
        for name in DAY_FIELDS
    }
    ratings = _merge_ratings(merger, base, mine, theirs)
    flags = frozenset(
        kind
        for kind in sorted(base.red_flags | mine.red_flags | theirs.red_flags)
        if merger.pick(
            f"flag:{kind}",
            kind in base.red_flags,
            kind in mine.red_flags,
            kind in theirs.red_flags,
        )
    )
    doses = _merge_doses(merger, base, mine, theirs)
    day = DayLog(
        date=mine.date,
        ratings=ratings,
        doses=doses,
        red_flags=flags,
        **fields,  # type: ignore[arg-type]
    )
    return MergeResult(day, tuple(merger.conflicts))


def merge_draft(
    base: DayLog | None,
    draft: DayLog,
    saved: DayLog | None,
    choices: Mapping[str, Side] | None = None,
) -> MergeResult:
    """Restore a crash draft onto what is saved now: the same three-way merge as a save.

    `base` is the saved day the draft was edited from (None: nothing was saved then, or an
    old draft that did not keep it), `saved` what is stored now. What another program saved
    since survives wherever the draft left that field as it found it.
    """
    empty = DayLog(date=draft.date)
    return merge_day(base or empty, draft, saved or empty, choices)


def _merge_ratings(
    merger: _Merger, base: DayLog, mine: DayLog, theirs: DayLog
) -> tuple[Rating, ...]:
    def by_symptom(day: DayLog) -> dict[int, Rating]:
        return {r.symptom_id: r for r in day.ratings}

    b, m, t = by_symptom(base), by_symptom(mine), by_symptom(theirs)
    merged = []
    for symptom_id in sorted(b.keys() | m.keys() | t.keys()):
        rating = merger.pick(
            f"rating:{symptom_id}", b.get(symptom_id), m.get(symptom_id), t.get(symptom_id)
        )
        if rating is not None:
            assert isinstance(rating, Rating)
            merged.append(rating)
    return tuple(merged)


def _merge_doses(merger: _Merger, base: DayLog, mine: DayLog, theirs: DayLog) -> tuple[Dose, ...]:
    b = {d.id: d for d in base.doses if d.id is not None}
    m = {d.id: d for d in mine.doses if d.id in b}
    t = {d.id: d for d in theirs.doses if d.id in b}
    merged: list[Dose] = []
    for dose_id in sorted(b, key=lambda i: (i is None, i)):
        dose = merger.pick(f"dose:{dose_id}", b[dose_id], m.get(dose_id), t.get(dose_id))
        if dose is not None:
            assert isinstance(dose, Dose)
            merged.append(dose)
    theirs_added = [d for d in theirs.doses if d.id not in b]
    unmatched = [replace(d, id=None) for d in theirs_added]
    for dose in mine.doses:
        if dose.id in b:
            continue
        new = replace(dose, id=None)
        if new in unmatched:  # both added the very same dose: it was taken once
            unmatched.remove(new)
            continue
        merged.append(new)
    merged += theirs_added
    return tuple(sorted(merged, key=lambda d: (d.time, d.id is None, d.id or 0)))


def conflict_label(conflict: Conflict, symptom_names: Mapping[int, str]) -> str:
    """What the conflicting field is called on the Today screen."""
    kind, _, rest = conflict.key.partition(":")
    if kind == "rating":
        return symptom_names.get(int(rest), f"Symptom {rest}")
    if kind == "flag":
        try:
            return f"Red flag: {FLAG_LABELS[FlagKind(rest)]}"
        except ValueError:
            return f"Red flag: {rest}"
    if kind == "dose":
        dose = conflict.base
        return f"Dose at {dose.time}" if isinstance(dose, Dose) else "Dose"
    return FIELD_LABELS.get(conflict.key, conflict.key)


def describe_value(conflict: Conflict, value: object, width: int = 24) -> str:
    """One side's value of a conflicting field, in a few words."""
    kind = conflict.key.partition(":")[0]
    if value is None:
        return "removed" if kind == "dose" else "not logged"
    if isinstance(value, Rating):
        return f"{value.intensity}" + (" + details" if value.has_detail else "")
    if isinstance(value, Dose):
        return f"{value.amount:g} at {value.time}" + (" as needed" if value.as_needed else "")
    if isinstance(value, bool):
        if kind == "flag":
            return "ticked" if value else "not ticked"
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    text = " ".join(str(value).split()) or "(empty)"
    return text if len(text) <= width else text[: width - 1] + "…"
