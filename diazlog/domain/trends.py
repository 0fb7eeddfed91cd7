"""Trend analysis over dated 0-10 ratings, shared by the Charts screen and the visit report.

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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from diazlog.domain import limits, numbers
from diazlog.domain.models import TaperStep
from diazlog.domain.taper import planned_total

ROLLING_DAYS = 7
"""The rolling mean's window, in calendar days."""
MIN_TREND_DAYS = limits.MIN_DAYS_TO_COMPARE
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


class Verdict(StrEnum):
    """Whether one group may be named against the others."""

    FOUND = "found"
    NO_DIFFERENCE = "no difference"
    NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class Standout:
    """The group that differs most from all the others together, if the data can say so.

    FOUND only when the group and the rest each hold `minimum` values and the means differ by
    at least limits.MEANINGFUL_CHANGE; `total` is every value in every group.
    """

    verdict: Verdict
    total: int
    group: GroupMean | None = None
    rest_mean: float | None = None
    rest_count: int = 0


def standout(groups: Sequence[GroupMean], minimum: int, *, highest: bool = True) -> Standout:
    """The group furthest above (or below, `highest=False`) the mean of the rest.

    Groups with fewer than `minimum` values are never picked; the rest must hold `minimum`
    values too. NOT_ENOUGH when no group can be compared; NO_DIFFERENCE when none differs by
    limits.MEANINGFUL_CHANGE.
    """
    total = sum(g.count for g in groups)
    grand = sum(g.total for g in groups)
    best: tuple[float, GroupMean, float, int] | None = None
    for group in groups:
        rest_count = total - group.count
        if group.count < minimum or rest_count < minimum or group.mean is None:
            continue
        rest_mean = (grand - group.total) / rest_count
        gap = group.mean - rest_mean if highest else rest_mean - group.mean
        if best is None or gap > best[0]:
            best = (gap, group, rest_mean, rest_count)
    if best is None:
        return Standout(Verdict.NOT_ENOUGH, total)
    gap, group, rest_mean, rest_count = best
    verdict = Verdict.FOUND if numbers.is_meaningful(gap) and gap > 0 else Verdict.NO_DIFFERENCE
    return Standout(verdict, total, group, rest_mean, rest_count)


@dataclass(frozen=True)
class DoseLag:
    """Mean intensity by hours since the last diazepam dose, and how many onsets fit no bin."""

    bins: tuple[GroupMean, ...]
    no_recent_dose: int = 0

    @property
    def count(self) -> int:
        return sum(b.count for b in self.bins)

    def standout(self) -> Standout:
        """The bin whose onsets were rated highest against all the others, if it can be named."""
        return standout(self.bins, limits.MIN_ONSETS_PER_BIN)


def lag_labels(bin_hours: int = LAG_BIN_HOURS, max_hours: int = MAX_LAG_HOURS) -> list[str]:
    return [f"{h}-{h + bin_hours}h" for h in range(0, max_hours, bin_hours)]


def dose_lag(
    by_bin: Iterable[Tally],
    no_recent_dose: int = 0,
    bin_hours: int = LAG_BIN_HOURS,
    max_hours: int = MAX_LAG_HOURS,
) -> DoseLag:
    """Bins of onsets by hours since the diazepam dose before them, from SQL tallies.

    Tallies are keyed by bin index (hours // bin_hours); onsets with no dose in the
    `max_hours` before them are only counted (`no_recent_dose`). Diazepam lasts for days, so
    the bins show when symptoms were logged, not a dose wearing off.
    """
    return DoseLag(tuple(_merge(by_bin, lag_labels(bin_hours, max_hours), 1)), no_recent_dose)


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
