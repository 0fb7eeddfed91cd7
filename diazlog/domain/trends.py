"""Trend analysis over dated 0-10 ratings, shared by the Charts screen and the visit report.

This module is the over-time view (days, buckets, rolling mean, summaries, diazepam per day);
trend_groups.py groups by hour, time of day and weekday, dose_changes.py compares around a
change of dose.

Pure functions over plain data: ISO dates ("YYYY-MM-DD"), times ("HH:MM"), moments
("YYYY-MM-DDTHH:MM", as doses.taken_at stores them) and numbers. A day that was not logged is
absent from a series: it is a gap, never a zero. Long ranges arrive pre-aggregated as
`Bucket`s (one per chart column, summed in SQL), so every function here costs the same for
ten years as for ninety days. Buckets are only for drawing: every number printed comes from
the logged days (`DayStats`, `DoseStats`, tallies and window sums, all added up by SQL), and a
comparison is only named with limits.MIN_DAYS_TO_COMPARE days (MIN_ONSETS_PER_BIN onsets) on
each side and limits.MEANINGFUL_CHANGE points between them (`standout`, `BeforeAfter.trend`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from diazlog.domain import limits, numbers

ROLLING_DAYS = 7
"""The rolling mean's window, in calendar days."""
MIN_TREND_DAYS = limits.MIN_DAYS_TO_COMPARE
"""Logged days needed in each half of a range before a trend is called."""


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
class DayStats:
    """One symptom's logged days in a range, added up (by SQL in store.series, or here).

    `early_*` are the days on or before the range's middle date, `late_*` the days after it.
    `high_date` is the latest day with the highest value.
    """

    days: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None
    high_date: str | None = None
    early_days: int = 0
    early_total: float = 0.0
    late_days: int = 0
    late_total: float = 0.0


def middle_of(start: str, end: str) -> str:
    """The date that splits start..end into the two halves a trend compares (in the first)."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return (first + (last - first) / 2).isoformat()


def day_stats(by_day: Mapping[str, float], start: str, end: str) -> DayStats:
    """`DayStats` of a plain day -> value series over start..end (what SQL computes in store)."""
    days = sorted((d, v) for d, v in by_day.items() if start <= d <= end)
    if not days:
        return DayStats()
    middle = middle_of(start, end)
    early = [v for d, v in days if d <= middle]
    late = [v for d, v in days if d > middle]
    values = [v for _, v in days]
    high, high_date = max((v, d) for d, v in days)
    return DayStats(
        len(values),
        sum(values),
        min(values),
        high,
        high_date,
        len(early),
        sum(early),
        len(late),
        sum(late),
    )


@dataclass(frozen=True)
class SymptomSummary:
    """Plain numbers for one symptom over a range, so a chart is never the only way to read it.

    Every figure comes from the logged days. `change` is the mean of the second half of the
    range minus the mean of the first half, present only when each half holds
    limits.MIN_DAYS_TO_COMPARE logged days; `trend` is UP or DOWN only when it reaches
    limits.MEANINGFUL_CHANGE.
    """

    mean: float | None
    worst: float | None
    worst_date: str | None
    days_logged: int
    trend: Trend
    change: float | None = None
    low: float | None = None
    early_days: int = 0
    late_days: int = 0

    def describe(self) -> str:
        """One short line: 'mean 3.4 · 0–8 · worst 8 (12 Nov 2026) · 27 days · trend ↑ up +2.1'.

        "worst" needs limits.MIN_DAYS_TO_COMPARE days behind it; the trend needs as many in
        each half, or it says "not enough data yet (n days)".
        """
        if not self.days_logged or self.mean is None:
            return "not logged in this range"
        days = numbers.count(self.days_logged, "day")
        when = ""
        if self.worst_date is not None:
            day = date.fromisoformat(self.worst_date)
            when = f"{day.day} {day:%b %Y}"
        if self.days_logged == 1 and self.worst is not None:
            head = f"{numbers.num(self.worst)} ({when})"
        else:
            low = self.mean if self.low is None else self.low
            high = self.mean if self.worst is None else self.worst
            head = f"mean {numbers.num(self.mean)} · {_range_words(low, high)}"
            # No superlative on a tie: when every day was the same, no day was the worst.
            if (
                self.days_logged >= limits.MIN_DAYS_TO_COMPARE
                and self.worst is not None
                and numbers.num(high) != numbers.num(low)
            ):
                head += f" · worst {numbers.num(self.worst)} ({when})"
        if self.change is None and self.days_logged < 2 * MIN_TREND_DAYS:
            trend = "trend: " + numbers.not_enough(self.days_logged)
        elif self.change is None:
            fewest = min(self.early_days, self.late_days)
            half = "first" if self.early_days <= self.late_days else "second"
            trend = "trend: " + numbers.not_enough(fewest, "day", f"in the {half} half")
        else:
            trend = f"trend {self.trend.arrow} {self.trend.value} {numbers.signed(self.change)}"
        return f"{head} · {days} · {trend}"


def trend_of(change: float | None) -> Trend:
    """Name a change in mean on the 0-10 scale; below the meaningful change it is flat."""
    if change is None:
        return Trend.UNKNOWN
    if change >= limits.MEANINGFUL_CHANGE:
        return Trend.UP
    if change <= -limits.MEANINGFUL_CHANGE:
        return Trend.DOWN
    return Trend.FLAT


def summary_of(stats: DayStats) -> SymptomSummary:
    """Mean, range, worst day, days logged and trend from a range's `DayStats`.

    The halves split at the middle date of the range; each needs MIN_TREND_DAYS logged days.
    """
    if not stats.days:
        return SymptomSummary(None, None, None, 0, Trend.UNKNOWN)
    change = None
    if stats.early_days >= MIN_TREND_DAYS and stats.late_days >= MIN_TREND_DAYS:
        change = stats.late_total / stats.late_days - stats.early_total / stats.early_days
    return SymptomSummary(
        stats.total / stats.days,
        stats.high,
        stats.high_date,
        stats.days,
        trend_of(change),
        change,
        stats.low,
        stats.early_days,
        stats.late_days,
    )


def summarize_days(by_day: Mapping[str, float], start: str, end: str) -> SymptomSummary:
    """The summary of a plain day -> value series over start..end (what the visit report holds)."""
    return summary_of(day_stats(by_day, start, end))


@dataclass(frozen=True)
class DoseStats:
    """Diazepam over a range's logged days: 0 mg on a logged day without a dose counts."""

    days: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None
    dose_days: int = 0

    @property
    def mean(self) -> float | None:
        """Mean mg a logged day (None: no day logged)."""
        return self.total / self.days if self.days else None

    @property
    def mean_text(self) -> str:
        """The mean as every surface shows it (Charts, the report): one rounding, half up to
        one decimal, so the same days never read 8.3 in one place and 8.2 in another."""
        return "-" if self.mean is None else numbers.num(self.mean, 1)

    def describe(self) -> str:
        """ "Diazepam: 5.5 mg a day (0–12) · 4 days logged, 3 with a dose"."""
        if not self.days or self.low is None or self.high is None:
            return "Diazepam: no days logged in this range"
        days = f"{numbers.count(self.days, 'day')} logged, {self.dose_days} with a dose"
        if self.days == 1:
            return f"Diazepam: {numbers.mg(self.total)} mg · {days}"
        mean = self.mean_text
        return f"Diazepam: {mean} mg a day ({_range_words(self.low, self.high, 2)}) · {days}"


def _range_words(low: float, high: float, places: int = 1) -> str:
    """ "range 0–12", or "every day 5" when the days were all the same."""
    if numbers.num(low, places) == numbers.num(high, places):
        return f"every day {numbers.num(low, places)}"
    return f"range {numbers.span(low, high, places)}"
