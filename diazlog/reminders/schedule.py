"""The plan in force on each day, expanded into timed reminder events (pure).

One function, `expand`, turns what the diary holds (medicines with their usual times, the
taper steps, the open appointment) into the doses of each day from `start` to `end`
(domain.plan.doses_on decides the doses of a day, as Today and `take` do), the days the
plan changes and the appointment. A dose without a time has nothing to remind at, so it
is left out (and counted, so the caller can say so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from diazlog.domain.models import Appointment, Medication, TaperStep
from diazlog.domain.plan import doses_on


@dataclass(frozen=True)
class DoseEvent:
    """One planned, timed dose: the day, "HH:MM", and what (shown only with --names)."""

    day: str
    time: str
    medication_id: int
    name: str
    amount: float
    unit: str


@dataclass(frozen=True)
class Plan:
    """What to remind of between two dates (`start` and `end` included)."""

    start: str
    end: str
    doses: tuple[DoseEvent, ...] = ()
    step_days: tuple[str, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    untimed: int = 0  # planned doses without a time (no reminder can be set for them)


def days_between(start: str, end: str) -> list[str]:
    """Every date from `start` to `end`, both included ([] when end is before start)."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def window_end(start: str, weeks: int, steps: Sequence[TaperStep]) -> str:
    """The last day to cover: `weeks` from `start`, or the taper plan's last step day when
    that lies further ahead (so the last "plan changes today" is in the calendar too)."""
    end = (date.fromisoformat(start) + timedelta(weeks=weeks) - timedelta(days=1)).isoformat()
    last_step = max((s.from_date for s in steps), default=end)
    return max(end, last_step)


def expand(
    start: str,
    end: str,
    medications: Sequence[Medication],
    steps: Sequence[TaperStep],
    appointments: Sequence[Appointment] = (),
) -> Plan:
    """The reminders of each day from `start` to `end` (see the module doc)."""
    by_id = {m.id: m for m in medications if m.id is not None}
    doses: list[DoseEvent] = []
    untimed = 0
    for day in days_between(start, end):
        for dose in doses_on(day, medications, steps):
            med = by_id[dose.medication_id]
            if dose.time is None:
                untimed += 1
                continue
            doses.append(
                DoseEvent(day, dose.time, dose.medication_id, med.name, dose.amount, med.unit)
            )
    step_days = tuple(sorted({s.from_date for s in steps if start <= s.from_date <= end}))
    visits = tuple(a for a in appointments if not a.closed and start <= a.date <= end)
    return Plan(start, end, tuple(doses), step_days, visits, untimed)


def times_by_day(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Each day's distinct dose times, in order (the schedule file keeps only these)."""
    found: dict[str, set[str]] = {}
    for dose in plan.doses:
        found.setdefault(dose.day, set()).add(dose.time)
    return {day: tuple(sorted(times)) for day, times in sorted(found.items())}


def uid(salt: str, *parts: object) -> str:
    """A UID that stays the same for the same event (salt, kind, medicine, day, time), so a
    calendar that imports the file again updates events instead of doubling them; the salt
    is the diary's own id, so two diaries never share UIDs and no path is revealed."""
    text = "\x1f".join(str(p) for p in (salt, *parts))
    return hashlib.sha256(text.encode()).hexdigest()[:32] + "@diazlog"
