"""Trend views around a change of diazepam dose: the changes, the windows, before against after.

Split from trends.py (the over-time view) because this view asks "did a symptom change when
the dose did", with its own rules: a level must hold STABLE_DAYS logged days to count, a
window stops at the neighbouring change, and a side is compared only with
limits.MIN_DAYS_TO_COMPARE logged days (`BeforeAfter.trend`). Pure functions over plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from diazlog.domain import limits, numbers
from diazlog.domain.models import TaperStep
from diazlog.domain.taper import planned_total
from diazlog.domain.trends import Trend, trend_of

WINDOW_DAYS = 30
"""Days compared before and after a dose change."""
STABLE_DAYS = 7
"""A daily dose total must hold this many logged days to count as a new level."""


# -- dose changes and before / after ---------------------------------------------------------


@dataclass(frozen=True)
class DoseChange:
    """A date from which the daily diazepam changed: a taper step, or seen in the doses."""

    date: str
    before_mg: float | None
    after_mg: float | None
    source: str  # "taper step" or "dose history"

    def describe(self) -> str:
        """'3 Sep 2026: 10 → 7.5 mg a day (taper step)'."""
        when = date.fromisoformat(self.date)
        before = "?" if self.before_mg is None else f"{self.before_mg:g}"
        after = "?" if self.after_mg is None else f"{self.after_mg:g}"
        return f"{when.day} {when:%b %Y}: {before} → {after} mg a day ({self.source})"


def dose_changes(daily_mg: Mapping[str, float], stable_days: int = STABLE_DAYS) -> list[DoseChange]:
    """Dates where the daily total moved to a new level that then held `stable_days` logged days.

    A single missed or extra dose is noise, not a change: only runs of the same total at
    least `stable_days` long count as levels, and a change is where one level gives way to
    a different one.
    """
    runs: list[tuple[str, float, int]] = []  # (first day, total, length)
    for day in sorted(daily_mg):
        total = round(daily_mg[day], 3)
        if runs and runs[-1][1] == total:
            first, _, length = runs[-1]
            runs[-1] = (first, total, length + 1)
        else:
            runs.append((day, total, 1))
    levels = [(first, total) for first, total, length in runs if length >= stable_days]
    changes = []
    for (_, before), (first, after) in zip(levels, levels[1:], strict=False):
        if before != after:
            changes.append(DoseChange(first, before, after, "dose history"))
    return changes


def change_points(
    steps: Sequence[TaperStep], detected: Sequence[DoseChange], near_days: int = 7
) -> list[DoseChange]:
    """Taper steps and changes seen in the doses, newest first.

    A detected change within `near_days` of a taper step is the same event: the step wins,
    as the doctor's date. The first step starts the plan rather than changing it, unless it
    differs from what was taken before.
    """
    ordered = sorted(steps, key=lambda s: s.from_date)
    result: list[DoseChange] = []
    previous: float | None = None
    for step in ordered:
        planned = planned_total(step)
        if previous is not None and planned != previous:
            result.append(DoseChange(step.from_date, previous, planned, "taper step"))
        previous = planned
    step_days = [date.fromisoformat(c.date) for c in result] + [
        date.fromisoformat(s.from_date) for s in ordered[:1]
    ]
    for change in detected:
        day = date.fromisoformat(change.date)
        if all(abs((day - other).days) > near_days for other in step_days):
            result.append(change)
    return sorted(result, key=lambda c: c.date, reverse=True)


@dataclass(frozen=True)
class Window:
    """The days compared around a dose change: before_start..pivot-1 and pivot..after_end.

    Each side is at most `WINDOW_DAYS` long and stops at the neighbouring dose change, so a
    window never crosses another taper step or change of daily dose.
    """

    before_start: str
    pivot: str
    after_end: str

    @property
    def before_end(self) -> str:
        return (date.fromisoformat(self.pivot) - timedelta(days=1)).isoformat()

    @property
    def before_span(self) -> int:
        return (date.fromisoformat(self.pivot) - date.fromisoformat(self.before_start)).days

    @property
    def after_span(self) -> int:
        return (date.fromisoformat(self.after_end) - date.fromisoformat(self.pivot)).days + 1

    def describe(self) -> str:
        """ "17 Aug–10 Sep (25 days) against 11 Sep–5 Oct (25 days)"."""

        def short(day: str) -> str:
            value = date.fromisoformat(day)
            return f"{value.day} {value:%b}"

        before = f"{short(self.before_start)}{numbers.DASH}{short(self.before_end)}"
        after = f"{short(self.pivot)}{numbers.DASH}{short(self.after_end)}"
        return (
            f"{before} ({numbers.count(self.before_span, 'day')}) against "
            f"{after} ({numbers.count(self.after_span, 'day')})"
        )


def window_around(
    pivot: str, boundaries: Iterable[str], days: int = WINDOW_DAYS, today: str | None = None
) -> Window:
    """Up to `days` days either side of `pivot`, cut at the nearest other boundary each side.

    `boundaries` are the dates of every taper step and dose change (the pivot may be among
    them); the day a neighbouring change starts belongs to it, so the after-window ends the
    day before the next change and the before-window starts on the previous change's day.
    The after-window never reaches past `today`.
    """
    day = date.fromisoformat(pivot)
    first = day - timedelta(days=days)
    last = day + timedelta(days=days - 1)
    if today is not None:
        last = max(day, min(last, date.fromisoformat(today)))
    for other in boundaries:
        moment = date.fromisoformat(other)
        if first < moment < day:
            first = moment
        elif day < moment <= last:
            last = moment - timedelta(days=1)
    return Window(first.isoformat(), pivot, last.isoformat())


@dataclass(frozen=True)
class BeforeAfter:
    """One symptom's mean in the window before a date and from that date on, with its n."""

    before: float | None
    before_days: int
    after: float | None
    after_days: int

    @property
    def comparable(self) -> bool:
        """Both sides hold limits.MIN_DAYS_TO_COMPARE logged days."""
        return min(self.before_days, self.after_days) >= limits.MIN_DAYS_TO_COMPARE

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def trend(self) -> Trend:
        """UP (worse) or DOWN (better) only with enough days each side and 2+ points."""
        return trend_of(self.change) if self.comparable else Trend.UNKNOWN


def before_after_of(
    before_total: float, before_days: int, after_total: float, after_days: int
) -> BeforeAfter:
    """`BeforeAfter` from the sums and counts SQL hands over."""
    return BeforeAfter(
        before_total / before_days if before_days else None,
        before_days,
        after_total / after_days if after_days else None,
        after_days,
    )


def before_after(by_day: Mapping[str, float], window: Window) -> BeforeAfter:
    """The means of a plain day -> value series on each side of a window."""
    before = [v for d, v in by_day.items() if window.before_start <= d < window.pivot]
    after = [v for d, v in by_day.items() if window.pivot <= d <= window.after_end]
    return before_after_of(sum(before), len(before), sum(after), len(after))


@dataclass(frozen=True)
class DoseMarks:
    """What the diazepam chart draws: bars where mg were taken, a 0 on logged days without.

    A bar of height 0 would be invisible, and a logged day at 0 mg (after stopping, say)
    must not look like a day that was never logged.
    """

    bar_x: tuple[int, ...]
    bar_mg: tuple[float, ...]
    zero_x: tuple[int, ...]

    @property
    def top(self) -> float:
        return max(self.bar_mg, default=0.0)


def dose_marks(dose_mg: Sequence[float | None]) -> DoseMarks:
    """Split a chart's diazepam column values (None: nothing logged) into bars and zeros."""
    bars = [(x, mg) for x, mg in enumerate(dose_mg) if mg]
    return DoseMarks(
        bar_x=tuple(x for x, _ in bars),
        bar_mg=tuple(mg for _, mg in bars),
        zero_x=tuple(x for x, mg in enumerate(dose_mg) if mg == 0),
    )
