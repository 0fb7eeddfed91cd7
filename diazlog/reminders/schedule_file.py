"""The small schedule file `diazlog remind --now` reads, so it works on an encrypted diary
without its passphrase.

It holds times and dates only: no medicine name, no amount, nothing typed into the diary.
Consecutive days with the same times are one run; the last run goes on past the end (the
plan in force on the last day stays in force). Written whole (temp + rename, 0600) by the
refresh that follows a write of the plan, the usual times or an appointment.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from diazlog.reminders.schedule import Plan, days_between, times_by_day

VERSION = 1


class BadScheduleFile(ValueError):
    """The file is missing, unreadable or not ours; the message says so in words."""


@dataclass(frozen=True)
class Schedule:
    """Runs of days: (first day, times) in date order; and the days the plan changes."""

    runs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    step_days: tuple[str, ...] = ()

    def times_on(self, day: str) -> tuple[str, ...]:
        """The dose times of `day` (the run that covers it; none before the first)."""
        found: tuple[str, ...] = ()
        for first, times in self.runs:
            if first > day:
                break
            found = times
        return found


def from_plan(plan: Plan) -> Schedule:
    by_day = times_by_day(plan)
    runs: list[tuple[str, tuple[str, ...]]] = []
    for day in days_between(plan.start, plan.end):
        times = by_day.get(day, ())
        if not runs or runs[-1][1] != times:
            runs.append((day, times))
    return Schedule(tuple(runs), plan.step_days)


def to_bytes(schedule: Schedule) -> bytes:
    data = {
        "diazlog_schedule": VERSION,
        "runs": [[first, list(times)] for first, times in schedule.runs],
        "step_days": list(schedule.step_days),
    }
    return (json.dumps(data, indent=1) + "\n").encode()


def read(path: Path) -> Schedule:
    """The schedule in `path`; BadScheduleFile when it is missing or not a schedule."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadScheduleFile(
            f"no reminder schedule at {path}: run `diazlog remind --install` once"
        ) from None
    except (OSError, ValueError) as exc:
        raise BadScheduleFile(f"the reminder schedule {path} cannot be read: {exc}") from None
    try:
        if data["diazlog_schedule"] != VERSION:
            raise ValueError("a newer version")
        runs = tuple((_day(first), tuple(_hhmm(t) for t in times)) for first, times in data["runs"])
        steps = tuple(_day(d) for d in data["step_days"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadScheduleFile(f"{path} is not a diazlog reminder schedule ({exc})") from None
    return Schedule(runs, steps)


def _day(text: object) -> str:
    from datetime import date

    return date.fromisoformat(str(text)).isoformat()


def _hhmm(text: object) -> str:
    from datetime import time

    return time.fromisoformat(str(text)).strftime("%H:%M")


def schedule_path(state_folder: Path, diary: Path) -> Path:
    """Where the schedule of `diary` lives: one file per diary, named by a hash of its path
    (the name reveals nothing; the file sits in the user's state folder, not beside the
    diary, which stays one file)."""
    digest = hashlib.sha256(str(Path(diary).expanduser().resolve()).encode()).hexdigest()[:16]
    return state_folder / f"schedule-{digest}.json"
