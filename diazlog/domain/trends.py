"""Trend analysis over dated 0-10 ratings, shared by the Charts screen and the visit report.

Pure functions over plain data: ISO dates ("YYYY-MM-DD"), times ("HH:MM"), moments
("YYYY-MM-DDTHH:MM", as doses.taken_at stores them) and numbers. A day that was not logged is
absent from a series: it is a gap, never a zero. Long ranges arrive pre-aggregated as
`Bucket`s (one per chart column, summed in SQL), so every function here costs the same for
ten years as for ninety days.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from diazlog.domain import limits
from diazlog.domain.models import TaperStep
from diazlog.domain.taper import planned_total

ROLLING_DAYS = 7
"""The rolling mean's window, in calendar days."""
MIN_TREND_DAYS = 4
"""Logged days needed in each half of a range before a trend is called."""
WINDOW_DAYS = 30
"""Days compared before and after a dose change."""
LAG_BIN_HOURS = 2
MAX_LAG_HOURS = 24
"""Onsets more than this long after the last dose are not put in a lag bin."""
TIME_OF_DAY_BIN_HOURS = 3
STABLE_DAYS = 7
"""A daily dose total must hold this many logged days to count as a new level."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# -- days and buckets -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    """Consecutive calendar days summed up: one chart column, or one day when `days` is 1.

    `count` is how many of the days were logged; a bucket with count 0 is a gap.
    `worst_date` is the latest day with the highest value in the bucket.
    """

    start: str
    days: int = 1
    total: float = 0.0
    count: int = 0
    worst: float | None = None
    worst_date: str | None = None

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


def bucket_days_for(span_days: int, columns: int) -> int:
    """Days per bucket so that `span_days` fit into about `columns` chart columns."""
    return max(1, -(-max(1, span_days) // max(1, columns)))


def bucket_count(start: str, end: str, bucket_days: int) -> int:
    """How many buckets of `bucket_days` cover start..end (inclusive)."""
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    return max(1, -(-span // bucket_days))


def empty_buckets(start: str, end: str, bucket_days: int = 1) -> list[Bucket]:
    """Gap buckets covering start..end; the last one may reach past `end`."""
    first = date.fromisoformat(start)
    return [
        Bucket((first + timedelta(days=i * bucket_days)).isoformat(), bucket_days)
        for i in range(bucket_count(start, end, bucket_days))
    ]


def buckets_from_days(
    by_day: Mapping[str, float], start: str, end: str, bucket_days: int = 1
) -> list[Bucket]:
    """Sum a day -> value series into buckets from `start`; days outside start..end are ignored.

    Produces what `store.series` computes in SQL, so either source draws the same chart.
    """
    buckets = empty_buckets(start, end, bucket_days)
    first = date.fromisoformat(start)
    sums: dict[int, list[float]] = {}
    worst: dict[int, tuple[float, str]] = {}
    for day, value in by_day.items():
        if not start <= day <= end:
            continue
        index = (date.fromisoformat(day) - first).days // bucket_days
        sums.setdefault(index, []).append(value)
        if index not in worst or (value, day) > worst[index]:
            worst[index] = (value, day)
    result = []
    for index, bucket in enumerate(buckets):
        values = sums.get(index)
        if not values:
            result.append(bucket)
            continue
        top, top_day = worst[index]
        result.append(Bucket(bucket.start, bucket_days, sum(values), len(values), top, top_day))
    return result


def rolling_mean(buckets: Sequence[Bucket], window_days: int = ROLLING_DAYS) -> list[float | None]:
    """The mean of every logged day in the trailing `window_days` (this bucket included).

    Weighted by days, not buckets. None where the bucket itself has no data, so the line
    breaks exactly where the daily line does. With buckets of `window_days` or more each
    value is just the bucket's own mean.
    """
    if not buckets:
        return []
    size = max(1, buckets[0].days)
    span = max(1, -(-window_days // size))
    result: list[float | None] = []
    for index, bucket in enumerate(buckets):
        if not bucket.count:
            result.append(None)
            continue
        window = buckets[max(0, index - span + 1) : index + 1]
        count = sum(b.count for b in window)
        result.append(sum(b.total for b in window) / count)
    return result


# -- the numbers under a chart -----------------------------------------------------------------


class Trend(StrEnum):
    """The second half of a range against the first, in steps of limits.MEANINGFUL_CHANGE."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    UNKNOWN = "too few days"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "flat": "→"}.get(self.value, "?")


@dataclass(frozen=True)
class SymptomSummary:
    """Plain numbers for one symptom over a range, so a chart is never the only way to read it.

    `change` is the mean of the second half of the range minus the mean of the first half;
    `trend` is UP or DOWN only when that reaches limits.MEANINGFUL_CHANGE.
    """

    mean: float | None
    worst: float | None
    worst_date: str | None
    days_logged: int
    trend: Trend
    change: float | None = None

    def describe(self) -> str:
        """One short line: 'mean 3.4 · worst 8 (12 Nov 2026) · 27 days · trend up +2.1'."""
        if not self.days_logged or self.mean is None:
            return "not logged in this range"
        worst = ""
        if self.worst is not None and self.worst_date is not None:
            when = date.fromisoformat(self.worst_date)
            worst = f" · worst {self.worst:g} ({when.day} {when:%b %Y})"
        days = f"{self.days_logged} day{'s' if self.days_logged != 1 else ''}"
        trend = f"trend {self.trend.arrow} {self.trend.value}"
        if self.change is not None:
            trend += f" {self.change:+.1f}"
        return f"mean {self.mean:.1f}{worst} · {days} · {trend}"


def trend_of(change: float | None) -> Trend:
    """Name a change in mean on the 0-10 scale; below the meaningful change it is flat."""
    if change is None:
        return Trend.UNKNOWN
    if change >= limits.MEANINGFUL_CHANGE:
        return Trend.UP
    if change <= -limits.MEANINGFUL_CHANGE:
        return Trend.DOWN
    return Trend.FLAT


def summarize(buckets: Sequence[Bucket], end: str | None = None) -> SymptomSummary:
    """Mean, worst day, days logged and trend over buckets (one per day, or wider).

    The halves split at the middle date of the range (first bucket's start to `end`, or to
    the last bucket's last day); a half needs MIN_TREND_DAYS logged days.
    """
    logged = [b for b in buckets if b.count]
    count = sum(b.count for b in logged)
    if not count:
        return SymptomSummary(None, None, None, 0, Trend.UNKNOWN)
    mean = sum(b.total for b in logged) / count
    top = max((b for b in logged if b.worst_date), key=lambda b: (b.worst, b.worst_date))
    first = date.fromisoformat(buckets[0].start)
    last = (
        date.fromisoformat(end)
        if end
        else date.fromisoformat(buckets[-1].start) + timedelta(days=buckets[-1].days - 1)
    )
    middle = (first + (last - first) / 2).isoformat()
    early = [b for b in logged if b.start <= middle]
    late = [b for b in logged if b.start > middle]
    early_n, late_n = sum(b.count for b in early), sum(b.count for b in late)
    change = None
    if early_n >= MIN_TREND_DAYS and late_n >= MIN_TREND_DAYS:
        change = sum(b.total for b in late) / late_n - sum(b.total for b in early) / early_n
    return SymptomSummary(mean, top.worst, top.worst_date, count, trend_of(change), change)


def summarize_days(by_day: Mapping[str, float], start: str, end: str) -> SymptomSummary:
    """`summarize` for a plain day -> value series (what the visit report holds)."""
    return summarize(buckets_from_days(by_day, start, end), end)


# -- groups: hours since a dose, time of day, weekday ------------------------------------------


@dataclass(frozen=True)
class GroupMean:
    """The mean of the values that fell into one labelled group; None when none did."""

    label: str
    total: float = 0.0
    count: int = 0

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


Tally = tuple[int, float, int]
"""(group key, sum of values, number of values): what a SQL GROUP BY returns."""


def tally(rows: Iterable[tuple[int, float]]) -> list[Tally]:
    """Turn (group key, value) rows into tallies, the shape SQL aggregation hands over."""
    sums: dict[int, list[float]] = {}
    for key, value in rows:
        sums.setdefault(key, []).append(value)
    return [(key, sum(values), len(values)) for key, values in sorted(sums.items())]


def _merge(tallies: Iterable[Tally], labels: Sequence[str], group_of: int) -> list[GroupMean]:
    totals = [0.0] * len(labels)
    counts = [0] * len(labels)
    for key, total, count in tallies:
        index = key // group_of
        if 0 <= index < len(labels):
            totals[index] += total
            counts[index] += count
    return [GroupMean(label, t, c) for label, t, c in zip(labels, totals, counts, strict=True)]


def time_of_day_means(
    by_hour: Iterable[Tally], bin_hours: int = TIME_OF_DAY_BIN_HOURS
) -> list[GroupMean]:
    """Mean intensity by onset time, from tallies keyed by hour 0-23, in `bin_hours` bins."""
    labels = [f"{h:02d}-{h + bin_hours:02d}" for h in range(0, 24, bin_hours)]
    return _merge(by_hour, labels, bin_hours)


def weekday_means(by_weekday: Iterable[Tally]) -> list[GroupMean]:
    """Mean intensity by weekday, from tallies keyed 0 = Monday .. 6 = Sunday."""
    return _merge(by_weekday, WEEKDAYS, 1)


def minutes_of(moment: str) -> int:
    """Minutes since 0001-01-01 for "YYYY-MM-DDTHH:MM" (or a date, meaning its midnight)."""
    day = date.fromisoformat(moment[:10]).toordinal()
    clock = moment[11:16]
    return day * 1440 + (int(clock[:2]) * 60 + int(clock[3:5]) if clock else 0)


def hours_since_last_dose(moment: str, dose_minutes: Sequence[int]) -> float | None:
    """Hours from the latest dose at or before `moment`; None when there is none.

    `dose_minutes` are `minutes_of` the dose times, sorted.
    """
    now = minutes_of(moment)
    index = bisect_right(dose_minutes, now)
    return None if index == 0 else (now - dose_minutes[index - 1]) / 60


@dataclass(frozen=True)
class DoseLag:
    """Mean intensity by hours since the last dose, and how many onsets fit no bin."""

    bins: tuple[GroupMean, ...]
    no_recent_dose: int = 0

    @property
    def count(self) -> int:
        return sum(b.count for b in self.bins)

    def peak(self) -> GroupMean | None:
        """The bin with the highest mean (the later one on a tie), if any bin has data."""
        filled = [b for b in self.bins if b.count]
        return max(reversed(filled), key=lambda b: b.mean or 0.0) if filled else None


def dose_lag(
    onsets: Iterable[tuple[str, float]],
    dose_times: Iterable[str],
    bin_hours: int = LAG_BIN_HOURS,
    max_hours: int = MAX_LAG_HOURS,
) -> DoseLag:
    """Bin each (onset moment, intensity) by the hours since the diazepam dose before it.

    Onsets with no dose in the `max_hours` before them are counted in `no_recent_dose`,
    not binned: they say nothing about a dose wearing off.
    """
    doses = sorted(minutes_of(t) for t in dose_times)
    labels = [f"{h}-{h + bin_hours}h" for h in range(0, max_hours, bin_hours)]
    totals = [0.0] * len(labels)
    counts = [0] * len(labels)
    beyond = 0
    for moment, value in onsets:
        hours = hours_since_last_dose(moment, doses)
        if hours is None or hours >= max_hours:
            beyond += 1
            continue
        index = int(hours // bin_hours)
        totals[index] += value
        counts[index] += 1
    bins = tuple(GroupMean(label, t, c) for label, t, c in zip(labels, totals, counts, strict=True))
    return DoseLag(bins, beyond)


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
class BeforeAfter:
    """One symptom's mean in the `days` before a date and from that date on."""

    before: float | None
    before_days: int
    after: float | None
    after_days: int

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def trend(self) -> Trend:
        return trend_of(self.change)


def before_after(
    by_day: Mapping[str, float], change_date: str, days: int = WINDOW_DAYS
) -> BeforeAfter:
    """Mean over the `days` days before `change_date` and the `days` days from it on."""
    pivot = date.fromisoformat(change_date)
    first = (pivot - timedelta(days=days)).isoformat()
    last = (pivot + timedelta(days=days - 1)).isoformat()
    before = [v for d, v in by_day.items() if first <= d < change_date]
    after = [v for d, v in by_day.items() if change_date <= d <= last]
    return BeforeAfter(
        sum(before) / len(before) if before else None,
        len(before),
        sum(after) / len(after) if after else None,
        len(after),
    )


def window_of(change_date: str, days: int = WINDOW_DAYS) -> tuple[str, str]:
    """The first and last day `before_after` looks at, for loading just those rows."""
    pivot = date.fromisoformat(change_date)
    return (
        (pivot - timedelta(days=days)).isoformat(),
        (pivot + timedelta(days=days - 1)).isoformat(),
    )


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
