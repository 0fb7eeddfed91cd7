"""The visit report's per-symptom and per-day summaries: pure functions over daily values.

Every number comes from the values logged per day (a missing day is "not logged", never 0),
so a test can recompute each one from the database with plain SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from diazlog.domain.numbers import is_meaningful

# The change compares the first and the last this-many logged days ...
CHANGE_WINDOW_DAYS = 14
# ... and only when both windows hold at least this many.
CHANGE_MIN_DAYS = 7
# The report lists at most this many described episodes (the most severe).
EPISODES_SHOWN = 20


@dataclass(frozen=True)
class DailySummary:
    """One daily 0-10 value over a range: mean, worst (every date of it), days logged, and
    the change from the first to the last logged days.

    The two windows are the first and the last CHANGE_WINDOW_DAYS logged days; with fewer
    than twice that many logged days, each is half of them (the middle day of an odd count
    left out), so they never overlap. `change` is last mean minus first mean, None unless
    both windows hold CHANGE_MIN_DAYS or more.
    """

    mean: float | None = None
    worst: int | None = None
    worst_date: str | None = None
    days_logged: int = 0
    worst_dates: tuple[str, ...] = ()  # every day that reached the worst, oldest first
    window: int = 0
    first_mean: float | None = None
    last_mean: float | None = None

    @property
    def change(self) -> float | None:
        if self.first_mean is None or self.last_mean is None:
            return None
        return self.last_mean - self.first_mean

    @property
    def verdict(self) -> str:
        """ "worse" / "better" only for a change of 2+ points, else "no clear change"."""
        change = self.change
        if change is None:
            days = "day" if self.days_logged == 1 else "days"
            return f"not enough data yet ({self.days_logged} {days})"
        if is_meaningful(change):  # 2 points, even as 1.9999999999999996 in floating point
            return "worse" if change > 0 else "better"
        return "no clear change"


def summarize_daily(by_day: Mapping[str, int | float]) -> DailySummary:
    if not by_day:
        return DailySummary()
    days = sorted(by_day)
    values = [by_day[d] for d in days]
    worst = max(values)
    worst_dates = tuple(d for d in days if by_day[d] == worst)
    worst_date = worst_dates[-1]
    window = min(CHANGE_WINDOW_DAYS, len(days) // 2)
    first_mean = last_mean = None
    if window >= CHANGE_MIN_DAYS:
        first_mean = sum(values[:window]) / window
        last_mean = sum(values[-window:]) / window
    return DailySummary(
        mean=sum(values) / len(values),
        worst=int(worst),
        worst_date=worst_date,
        days_logged=len(days),
        worst_dates=worst_dates,
        window=window,
        first_mean=first_mean,
        last_mean=last_mean,
    )


T = TypeVar("T")


def most_severe(items: Sequence[T], key_intensity: str, key_date: str) -> tuple[list[T], int]:
    """The EPISODES_SHOWN most severe items (ties: the most recent), newest first, and how
    many were left out."""
    ranked = sorted(
        items, key=lambda i: (getattr(i, key_intensity), getattr(i, key_date)), reverse=True
    )
    shown = ranked[:EPISODES_SHOWN]
    shown.sort(key=lambda i: getattr(i, key_date), reverse=True)
    return shown, len(ranked) - len(shown)


def date_runs(days: Iterable[str]) -> list[tuple[str, str]]:
    """Dates as runs of consecutive days, oldest first: [(first, last), ...]."""
    runs: list[tuple[str, str]] = []
    for day in sorted(set(days)):
        if runs and date.fromisoformat(runs[-1][1]) + timedelta(days=1) == date.fromisoformat(day):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
