"""Which planned doses are due and not logged at a moment: for the app's due notice and
`diazlog remind --now`. Pure.

A planned dose (any medicine's, at its time; domain.plan.doses_on) is *due* at `now` when
its time on its day is in the window (`since`, `now`]; it is *not logged* when judge_day
(domain/adherence.py: the same pairing Today and `take` use) leaves its slot MISSED given
the doses logged that day for that medicine. Untimed planned doses are never due: there is
no moment to remind at. The window may cross midnight (yesterday's 23:55 at 00:05).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from diazlog.domain.adherence import LoggedDose, Slot, SlotStatus, judge_day
from diazlog.domain.models import Dose
from diazlog.domain.plan import MedicineDose


@dataclass(frozen=True)
class DueDose:
    """A planned dose whose time has come and that nothing logged covers."""

    day: str
    time: str
    medication_id: int
    amount: float


def unlogged(day: str, planned: Sequence[MedicineDose], logged: Sequence[Dose]) -> list[DueDose]:
    """The day's timed planned doses that no logged dose of the same medicine covers."""
    found: list[DueDose] = []
    for med_id in sorted({p.medication_id for p in planned}):
        slots = [Slot(p.time, p.amount) for p in planned if p.medication_id == med_id]
        doses = [
            LoggedDose(d.time, d.amount, d.as_needed) for d in logged if d.medication_id == med_id
        ]
        for result in judge_day(day, slots, doses).slots:
            slot = result.slot
            if result.status is SlotStatus.MISSED and slot.time is not None:
                found.append(DueDose(day, slot.time, med_id, slot.amount))
    return sorted(found, key=lambda d: (d.day, d.time, d.medication_id))


def due_between(
    since: datetime,
    now: datetime,
    planned_on: Callable[[str], Sequence[MedicineDose]],
    logged_on: Callable[[str], Sequence[Dose]],
) -> list[DueDose]:
    """Planned doses with a time in (`since`, `now`] (naive wall times), not logged."""
    found: list[DueDose] = []
    day = since.date()
    while day <= now.date():
        text = day.isoformat()
        for dose in unlogged(text, planned_on(text), logged_on(text)):
            moment = at(text, dose.time)
            if since < moment <= now:
                found.append(dose)
        day += timedelta(days=1)
    return found


def times_between(
    since: datetime, now: datetime, times_on: Callable[[str], Sequence[str]]
) -> list[tuple[str, str]]:
    """(day, "HH:MM") of each planned time in (`since`, `now`]: when the diary cannot be
    read, the times alone (the schedule file's) say what is due."""
    found: list[tuple[str, str]] = []
    day = since.date()
    while day <= now.date():
        text = day.isoformat()
        found += [(text, t) for t in times_on(text) if since < at(text, t) <= now]
        day += timedelta(days=1)
    return found


def at(day: str, hhmm: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(hhmm))


def notice_text(
    due: Sequence[DueDose],
    names: dict[int, tuple[str, str]],
    *,
    step_today: str = "",
) -> str:
    """The app's notice: the plan change of a step day first (the new amount), then one line
    per due dose, "20:00 Diazepam 5 mg due: space takes it". `names`: id -> (name, unit)."""
    from diazlog.domain.units import amount_text
    from diazlog.domain.visible_text import one_line

    lines = [f"Plan changes today: {step_today}"] if step_today else []
    for dose in due:
        name, unit = names.get(dose.medication_id, ("?", "mg"))
        what = f"{one_line(name)} {amount_text(dose.amount, unit)}"
        lines.append(f"{dose.time} {what} due: space takes it")
    return "\n".join(lines)
