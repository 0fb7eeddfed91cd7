"""What each chart on the Charts screen is given: loaded from the store, shaped by domain.trends.

Runs in a thread worker on the worker's own connection. The results are plain frozen data,
so tests can check what a chart draws against what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.dose_changes import BeforeAfter, DoseChange, Window, window_around
from diazlog.domain.models import Symptom
from diazlog.domain.trend_groups import DoseLag, GroupMean, time_of_day_means, weekday_means
from diazlog.domain.trends import DoseStats, SymptomSummary, rolling_mean, summary_of
from diazlog.store.queries import series

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlite_utils import Database

# Range key -> (label, days; None means since the first logged day).
RANGES: dict[str, tuple[str, int | None]] = {
    "7d": ("7 days", 7),
    "30d": ("30 days", 30),
    "90d": ("90 days", 90),
    "1y": ("1 year", 365),
    "all": ("all", None),
}
VIEWS: dict[str, str] = {
    "over_time": "Over time",
    "around_dose": "Around the dose",
    "time_of_day": "Time of day and weekday",
    "before_after": "Before / after a dose change",
}


@dataclass(frozen=True)
class ChartRequest:
    """Everything a load depends on; a newer request makes an older result stale."""

    view: str
    range_key: str
    symptoms: tuple[Symptom, ...]
    today: str
    columns: int = 70
    change: int = 0


@dataclass(frozen=True)
class Line:
    """One symptom over time: bucket means (None = not logged), its rolling mean, its numbers."""

    symptom: Symptom
    values: tuple[float | None, ...]
    rolling: tuple[float | None, ...]
    summary: SymptomSummary


@dataclass(frozen=True)
class OverTimeChart:
    """Buckets to draw (`starts`, lines' values, `dose_mg`) and numbers from the days (`dose`,
    each line's summary): the numbers never come from what was averaged for drawing."""

    start: str
    end: str
    bucket_days: int
    starts: tuple[str, ...]
    lines: tuple[Line, ...]
    dose_mg: tuple[float | None, ...]
    days_logged: int
    first_logged: str | None
    dose: DoseStats | None = None

    @property
    def dose_summary(self) -> str:
        """Diazepam in plain numbers: mean a logged day, the range of days, days with a dose."""
        if self.dose is None:
            return "Diazepam: not set up (m, Medicines)"
        return self.dose.describe()


@dataclass(frozen=True)
class AroundDoseChart:
    start: str
    end: str
    lags: tuple[tuple[Symptom, DoseLag], ...]
    doses: int
    onsets: Mapping[int, int] = field(default_factory=dict)  # every symptom's onset count


@dataclass(frozen=True)
class TimeOfDayChart:
    start: str
    end: str
    hours: tuple[tuple[Symptom, tuple[GroupMean, ...]], ...]
    weekdays: tuple[tuple[Symptom, tuple[GroupMean, ...]], ...]
    onsets: Mapping[int, int] = field(default_factory=dict)  # every symptom's onset count


@dataclass(frozen=True)
class BeforeAfterChart:
    changes: tuple[DoseChange, ...]
    index: int
    rows: tuple[tuple[Symptom, BeforeAfter], ...] = field(default_factory=tuple)
    window: Window | None = None

    @property
    def change(self) -> DoseChange | None:
        return self.changes[self.index] if self.changes else None


Chart = OverTimeChart | AroundDoseChart | TimeOfDayChart | BeforeAfterChart


def range_bounds(db: Database, range_key: str, today: str) -> tuple[str, str, str | None]:
    """First and last day of a range, and the first logged day of the whole diary."""
    first_logged = series.first_logged_day(db)
    days = RANGES[range_key][1]
    if days is None:
        start = min(first_logged or today, today)
    else:
        start = (date.fromisoformat(today) - timedelta(days=days - 1)).isoformat()
    return start, today, first_logged


def load_chart(db: Database, request: ChartRequest) -> Chart:
    """Load the data of the request's view."""
    if request.view == "around_dose":
        return load_around_dose(db, request)
    if request.view == "time_of_day":
        return load_time_of_day(db, request)
    if request.view == "before_after":
        return load_before_after(db, request)
    return load_over_time(db, request)


def load_over_time(db: Database, request: ChartRequest) -> OverTimeChart:
    start, end, first_logged = range_bounds(db, request.range_key, request.today)
    ids = [s.id for s in request.symptoms]
    data = series.over_time(db, ids, start, end, request.columns)
    lines = tuple(
        Line(
            symptom,
            tuple(b.mean for b in data.symptoms[symptom.id]),
            tuple(rolling_mean(data.symptoms[symptom.id])),
            summary_of(data.stats[symptom.id]),
        )
        for symptom in request.symptoms
    )
    return OverTimeChart(
        start,
        end,
        data.bucket_days,
        tuple(b.start for b in data.diazepam),
        lines,
        tuple(b.mean for b in data.diazepam),
        series.logged_days(db, start, end),
        first_logged,
        data.dose,
    )


def load_around_dose(db: Database, request: ChartRequest) -> AroundDoseChart:
    start, end, _ = range_bounds(db, request.range_key, request.today)
    bins = series.lag_bins(db, [s.id for s in request.symptoms], start, end)
    lags = tuple((s, bins[s.id]) for s in request.symptoms)
    return AroundDoseChart(
        start,
        end,
        lags,
        series.diazepam_dose_count(db, start, end),
        series.onset_counts(db, start, end),
    )


def load_time_of_day(db: Database, request: ChartRequest) -> TimeOfDayChart:
    start, end, _ = range_bounds(db, request.range_key, request.today)
    ids = [s.id for s in request.symptoms]
    hours = series.hour_tallies(db, ids, start, end)
    weekdays = series.weekday_tallies(db, ids, start, end)
    return TimeOfDayChart(
        start,
        end,
        tuple((s, tuple(time_of_day_means(hours[s.id]))) for s in request.symptoms),
        tuple((s, tuple(weekday_means(weekdays[s.id]))) for s in request.symptoms),
        series.onset_counts(db, start, end),
    )


def load_before_after(db: Database, request: ChartRequest) -> BeforeAfterChart:
    """Every symptom asked for, up to 30 days either side of the picked change (newest first),
    each side cut at the neighbouring taper step or dose change."""
    # A planned step still to come has no days after it yet: nothing to compare.
    changes = tuple(c for c in series.dose_change_points(db) if c.date <= request.today)
    if not changes:
        return BeforeAfterChart((), 0)
    index = max(0, min(request.change, len(changes) - 1))
    window = window_around(
        changes[index].date, series.change_boundaries(db, changes), today=request.today
    )
    means = series.window_means(db, [s.id for s in request.symptoms], window)
    rows = tuple((s, means[s.id]) for s in request.symptoms)
    return BeforeAfterChart(changes, index, rows, window)


def no_onsets_message(
    chosen: Sequence[Symptom], symptoms: Sequence[Symptom], onsets: Mapping[int, int], words: str
) -> str:
    """What an onset chart says when the chosen symptoms have no onset time in the range:
    it names them, and the other symptoms that do have onsets (with how many), so a cramp's
    onset is not reported as no onset at all while leg pain is the one chosen."""
    names = ", ".join(s.name for s in chosen) or "the chosen symptoms"
    chosen_ids = {s.id for s in chosen}
    others = [(s, onsets[s.id]) for s in symptoms if s.id not in chosen_ids and onsets.get(s.id)]
    head = f"No onset times for {names} in the {words}."
    if not others:
        return f"{head}\nOn Today, press enter on a rating to add the time it began."
    listed = ", ".join(f"{s.name} {n}" for s, n in others[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    return f"{head}\nOther symptoms have some ({listed}{more}): choose one on the bar above."
