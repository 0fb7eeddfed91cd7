"""Doses taken against the plan: one day in, a status per planned dose out; and a range sum.

The rules, in order:

1. **Planned slots of a day.** The taper step in force that day (`domain.taper.planned_for`)
   gives one slot per time of the step, each of its amount at that time (a step without
   times is one slot without a time; a 0 mg step has no slots). Without a step, the tracked
   diazepam's usual amount at its usual times, if it has a usual amount and is active that
   day. Otherwise the day has no plan and no slots.
2. **As-needed doses** (logged as "as needed") are never matched: they are counted apart.
3. **Matching.** Every scheduled (not as-needed) dose of the day is paired with the nearest
   planned slot of the same day that is still free: all (dose, slot) pairs are taken in
   order of distance in minutes (ties: the earlier dose, then the earlier slot), and a pair
   is kept when both are still free. A slot without a time is at distance 0 from any dose.
   A dose never counts for a slot more than LATE_AFTER_MINUTES (2 h) after it: a 09:00
   dose is not the 20:00 dose taken early (so `take` still logs 20:00 when it is due).
4. **Statuses.** A matched slot whose dose is at most LATE_AFTER_MINUTES (2 h) away is
   TAKEN; taken later than that (any time of the same day) it is LATE. A slot left free
   is MISSED. A dose left without a slot is EXTRA.

So, for a day: taken + late + missed == planned slots, and taken + late + extra == scheduled
doses logged. The amounts are kept (a 2 mg dose on a 5 mg slot still matches; Today can say
so) but do not change the status. Days the user did not log are not judged at all: a
missing day is unknown, never "missed".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from diazlog.domain import limits
from diazlog.domain.models import Medication, TaperStep
from diazlog.domain.taper import planned_for


class SlotStatus(StrEnum):
    TAKEN = "taken"
    LATE = "late"
    MISSED = "missed"


@dataclass(frozen=True)
class Slot:
    """One planned dose: its time ("HH:MM", None when the plan names none) and amount."""

    time: str | None
    amount: float


@dataclass(frozen=True)
class LoggedDose:
    """A diazepam dose as logged: its time ("HH:MM"), amount and whether it was as needed."""

    time: str
    amount: float
    as_needed: bool = False


@dataclass(frozen=True)
class SlotResult:
    slot: Slot
    status: SlotStatus
    dose: LoggedDose | None = None
    # Minutes the dose was off its planned time (+ later, - earlier); None without both times.
    off_by: int | None = None


@dataclass(frozen=True)
class DayAdherence:
    date: str
    slots: tuple[SlotResult, ...] = ()
    extra: tuple[LoggedDose, ...] = ()
    as_needed: tuple[LoggedDose, ...] = ()

    def count(self, status: SlotStatus) -> int:
        return sum(1 for s in self.slots if s.status is status)


def minutes(time: str) -> int:
    hour, minute = time.split(":")[:2]
    return int(hour) * 60 + int(minute)


def planned_slots(
    day: str, steps: Sequence[TaperStep], usual: Medication | None = None
) -> tuple[Slot, ...]:
    """Rule 1: the day's planned slots from the step in force, else the usual dose."""
    step = planned_for(steps, day)
    if step is not None:
        return tuple(Slot(d.time, d.amount) for d in step.doses)
    if usual is None or not usual.active_on(day):
        return ()
    return tuple(Slot(d.time, d.amount) for d in usual.usual_doses)


def judge_day(day: str, slots: Sequence[Slot], doses: Iterable[LoggedDose]) -> DayAdherence:
    """Rules 2-4 for one day: each planned slot's status, the extra and as-needed doses."""
    as_needed = tuple(sorted((d for d in doses if d.as_needed), key=lambda d: d.time))
    scheduled = sorted((d for d in doses if not d.as_needed), key=lambda d: d.time)
    ordered = list(slots)

    def distance(dose: LoggedDose, slot: Slot) -> int:
        return 0 if slot.time is None else abs(minutes(dose.time) - minutes(slot.time))

    def too_early(dose: LoggedDose, slot: Slot) -> bool:
        return slot.time is not None and (
            minutes(slot.time) - minutes(dose.time) > limits.LATE_AFTER_MINUTES
        )

    pairs = sorted(
        (distance(d, s), di, si)
        for di, d in enumerate(scheduled)
        for si, s in enumerate(ordered)
        if not too_early(d, s)
    )
    dose_of: dict[int, int] = {}
    used: set[int] = set()
    for _, di, si in pairs:
        if di in used or si in dose_of:
            continue
        dose_of[si] = di
        used.add(di)
    results = []
    for si, slot in enumerate(ordered):
        if si not in dose_of:
            results.append(SlotResult(slot, SlotStatus.MISSED))
            continue
        dose = scheduled[dose_of[si]]
        off = None if slot.time is None else minutes(dose.time) - minutes(slot.time)
        late = off is not None and abs(off) > limits.LATE_AFTER_MINUTES
        results.append(SlotResult(slot, SlotStatus.LATE if late else SlotStatus.TAKEN, dose, off))
    extra = tuple(d for i, d in enumerate(scheduled) if i not in used)
    return DayAdherence(day, tuple(results), extra, as_needed)


def still_to_come(day: DayAdherence, now: datetime) -> DayAdherence:
    """`day` without the planned doses that are not missed yet: on today, a slot whose time
    has not come and has nothing logged is still to come ("missed" means its time has
    passed, nothing logged), as Today's list shows it."""
    if day.date != now.date().isoformat():
        return day
    clock = now.strftime("%H:%M")
    kept = tuple(
        r
        for r in day.slots
        if not (r.status is SlotStatus.MISSED and r.slot.time is not None and r.slot.time > clock)
    )
    return replace(day, slots=kept)


@dataclass(frozen=True)
class AdherenceSummary:
    """A range of judged days added up; percentages are of the planned slots."""

    days: int = 0  # logged days judged
    days_with_plan: int = 0
    planned: int = 0
    taken: int = 0
    late: int = 0
    missed: int = 0
    extra: int = 0
    as_needed: int = 0
    planned_mg: float = 0.0
    scheduled_mg: float = 0.0  # logged, not as needed
    as_needed_mg: float = 0.0

    def percent(self, count: int) -> float | None:
        return 100.0 * count / self.planned if self.planned else None


def summarize(days: Iterable[DayAdherence]) -> AdherenceSummary:
    """Add up judged days (only the days given: pass the logged ones)."""
    totals = dict.fromkeys(
        ("days", "days_with_plan", "planned", "taken", "late", "missed", "extra", "as_needed"), 0
    )
    planned_mg = scheduled_mg = as_needed_mg = 0.0
    for day in days:
        totals["days"] += 1
        totals["days_with_plan"] += bool(day.slots)
        totals["planned"] += len(day.slots)
        totals["taken"] += day.count(SlotStatus.TAKEN)
        totals["late"] += day.count(SlotStatus.LATE)
        totals["missed"] += day.count(SlotStatus.MISSED)
        totals["extra"] += len(day.extra)
        totals["as_needed"] += len(day.as_needed)
        planned_mg += sum(s.slot.amount for s in day.slots)
        scheduled_mg += sum(s.dose.amount for s in day.slots if s.dose) + sum(
            d.amount for d in day.extra
        )
        as_needed_mg += sum(d.amount for d in day.as_needed)
    return AdherenceSummary(
        **totals, planned_mg=planned_mg, scheduled_mg=scheduled_mg, as_needed_mg=as_needed_mg
    )
