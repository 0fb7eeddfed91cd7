"""`diazlog take`: which of today's planned diazepam doses to log as taken, and why not others.

A planned slot (domain.adherence.planned_slots) is logged when its time has come (not later
than now) and no logged dose covers it: covered means judge_day pairs it with a scheduled
dose of that day, on time or late, so running `take` twice logs nothing more, and a dose the
user logged by hand, however late, is never doubled. A slot without a time cannot
be logged "at its planned time", so it is left to `diazlog log --dose`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diazlog.domain.adherence import LoggedDose, Slot, SlotStatus, judge_day


@dataclass(frozen=True)
class DueDoses:
    """Today's planned slots sorted by what `take` does with them."""

    due: tuple[Slot, ...] = ()  # to log now, at their planned times
    covered: tuple[Slot, ...] = ()  # a logged dose (on time or late) already covers them
    not_yet: tuple[Slot, ...] = ()  # later than now
    untimed: tuple[Slot, ...] = ()  # the plan gives no time


def due_doses(
    day: str, slots: Sequence[Slot], logged: Iterable[LoggedDose], now_hhmm: str
) -> DueDoses:
    """Split the day's slots into due, covered, not yet and untimed (see the module doc)."""
    judged = judge_day(day, slots, logged)
    due: list[Slot] = []
    covered: list[Slot] = []
    not_yet: list[Slot] = []
    untimed: list[Slot] = []
    for result in judged.slots:
        slot = result.slot
        if result.status in (SlotStatus.TAKEN, SlotStatus.LATE):
            covered.append(slot)
        elif slot.time is None:
            untimed.append(slot)
        elif slot.time > now_hhmm:
            not_yet.append(slot)
        else:
            due.append(slot)
    return DueDoses(tuple(due), tuple(covered), tuple(not_yet), tuple(untimed))


def and_list(items: Sequence[str]) -> str:
    """ "08:00", "08:00 and 20:00", "08:00, 14:00 and 20:00"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
