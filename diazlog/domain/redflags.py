"""The red-flag engine: runs every rule family over a day and groups the flags into episodes.

One engine for every place that shows a flag (Today, History, `status`, `flags`, the Doctor
questions and the report), so they can never disagree. The rules live by family:
domain.symptom_flags (the ticks and every watched kind of symptom), domain.dose_flags (too
much, a cut, a stop) and domain.medicine_flags (what was taken with diazepam). Each relays
its source at the strength it says it, as one of four levels (models.Level, CLINICAL.md
"Levels"): emergency, urgent, contact the doctor today, ask at the next visit. The app never
advises beyond that.

A day's flags depend only on that day and the days before it (the baseline, the run of pain,
the 48 hours of interactions), never on days after it, so adding a day never changes an
earlier day's flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from diazlog.domain import limits
from diazlog.domain.dose_flags import (
    baseline,
    day_is_over,
    dose_flags,
    nothing_logged_since,
    planned_daily_total,
)
from diazlog.domain.flag_context import FlagContext, median
from diazlog.domain.flag_context import days_between as _days_between
from diazlog.domain.flag_context import shift as _shift
from diazlog.domain.medicine_flags import interactions
from diazlog.domain.models import Alert, DayLog, Level
from diazlog.domain.symptom_flags import FAMILY_RULES, persistent_run, symptoms, ticked

__all__ = [
    "RULE_ORDER",
    "FlagContext",
    "FlagEvent",
    "Level",
    "apply_reviews",
    "baseline",
    "day_is_over",
    "episode_starts",
    "episodes",
    "evaluate",
    "evaluate_days",
    "judge_day",
    "median",
    "nothing_logged_since",
    "persistent_run",
    "planned_daily_total",
]


def evaluate(day: DayLog, context: FlagContext) -> list[Alert]:
    """All flags of the day, most urgent first, each marked seen when a doctor has seen it."""
    alerts: list[Alert] = []
    alerts += ticked(day, context)
    alerts += symptoms(day, context)
    alerts += dose_flags(day, context)
    alerts += interactions(day, context)
    alerts = [replace(a, date=day.date) for a in alerts]
    return sorted(alerts, key=lambda a: (-a.level, RULE_ORDER.index(a.rule), a.key))


def evaluate_days(days: Iterable[DayLog], context: FlagContext) -> dict[str, list[Alert]]:
    """Flags of many days, oldest first; `days` must hold the lookback before the first wanted.

    Each day is judged with the days before it only, exactly as `evaluate` would.
    """
    ordered = sorted(days, key=lambda d: d.date)
    result: dict[str, list[Alert]] = {}
    # One window, kept in date order and moved along: each day sees the days before it.
    window: dict[str, DayLog] = dict(sorted(context.earlier.items()))
    sliding = context.with_earlier(window)
    for day in ordered:
        start = _shift(day.date, -limits.FLAG_LOOKBACK_DAYS)
        while window and next(iter(window)) < start:
            del window[next(iter(window))]
        result[day.date] = evaluate(day, sliding)
        window[day.date] = day
    return result


def judge_day(day: DayLog, earlier: Sequence[DayLog], context: FlagContext) -> list[Alert]:
    """One day's flags with its seen marks: Today's live banner and `diazlog log`.

    `earlier` are the logged days before it (store.flags loads enough of them); they are
    judged too, only so that an episode's first day, and so its review, is known.
    """
    judged = evaluate_days([*[d for d in earlier if d.date < day.date], day], context)
    return apply_reviews(judged, context.reviews).get(day.date, [])


# -- episodes and "seen" ---------------------------------------------------------------------


@dataclass(frozen=True)
class FlagEvent:
    """One rule firing on consecutive days (a gap of one unlogged day keeps it going)."""

    start: str
    end: str
    rule: str
    key: str
    level: Level
    title: str
    message: str
    days: int
    seen_on: str | None = None
    dates: tuple[str, ...] = ()  # the flagged days themselves (a run may skip an unlogged day)

    @property
    def severity(self) -> Level:
        """The earlier name of `level`."""
        return self.level

    @property
    def severity_code(self) -> str:
        return self.level.code


def episodes(flags_by_day: Mapping[str, Sequence[Alert]]) -> list[FlagEvent]:
    """Group each day's flags into runs per rule key, oldest first.

    The run keeps the most urgent severity and the title and message of its worst day (its
    highest level), so "a 8-day run of leg pain" is one line with its dates, not 8.
    """
    runs: dict[str, list[Alert]] = {}
    events: list[FlagEvent] = []

    def close(alerts: list[Alert]) -> None:
        worst = max(alerts, key=lambda a: (a.level, a.value))
        seen = [a.seen_on for a in alerts if a.seen_on]
        events.append(
            FlagEvent(
                start=alerts[0].date,
                end=alerts[-1].date,
                rule=worst.rule,
                key=worst.key,
                level=worst.level,
                title=worst.title,
                message=worst.message,
                days=len(alerts),
                seen_on=min(seen) if seen else None,
                dates=tuple(a.date for a in alerts),
            )
        )

    for day in sorted(flags_by_day):
        for alert in flags_by_day[day]:
            run = runs.get(alert.key)
            if run and _days_between(run[-1].date, day) > limits.EPISODE_GAP_DAYS:
                close(run)
                run = None
            if run is None:
                runs[alert.key] = [alert]
            else:
                run.append(alert)
    for run in runs.values():
        close(run)
    return sorted(events, key=lambda e: (e.start, -e.level, e.key))


def apply_reviews(
    flags_by_day: Mapping[str, Sequence[Alert]],
    reviews: Mapping[tuple[str, str], tuple[str, float]],
) -> dict[str, list[Alert]]:
    """Mark the days of an episode a doctor has seen, until it ends or gets worse.

    A review names the episode by its key and first day; its days stay "seen" while their
    level stays at or below the level seen, and from the first worse day on they are not.
    """
    starts = episode_starts(flags_by_day)
    worse_in: set[tuple[str, str]] = set()  # (key, episode start) once a day was worse
    result: dict[str, list[Alert]] = {}
    for day in sorted(flags_by_day):
        marked = []
        for alert in flags_by_day[day]:
            episode = (alert.key, starts[(day, alert.key)])
            review = reviews.get(episode)
            if review is not None and alert.value > review[1]:
                worse_in.add(episode)
            if review is not None and episode not in worse_in:
                alert = replace(alert, seen_on=review[0])
            marked.append(alert)
        result[day] = marked
    return result


def episode_starts(flags_by_day: Mapping[str, Sequence[Alert]]) -> dict[tuple[str, str], str]:
    """(day, key) -> the first day of the episode that day's flag belongs to."""
    starts: dict[tuple[str, str], str] = {}
    runs: dict[str, tuple[str, str]] = {}
    for day in sorted(flags_by_day):
        for alert in flags_by_day[day]:
            run = runs.get(alert.key)
            if run is None or _days_between(run[1], day) > limits.EPISODE_GAP_DAYS:
                run = (day, day)
            runs[alert.key] = (run[0], day)
            starts[(day, alert.key)] = run[0]
    return starts


# -- the rules, most urgent first within a level ----------------------------------------------

RULE_ORDER = (
    "breathing",
    "overdose",
    "severe_pain",
    "persistent_pain",
    "confusion",
    "extreme_weakness",
    "severe_weakness",
    "repeated_falls",
    "combination",
    "stopped",
    "dose_cut",
    "severe_tension",
    "slower_breakdown",
    "faster_breakdown",
    "gradual_cut",
    "above_usual",
    "fall",
    *(r for r in FAMILY_RULES if r.split("_")[0] in ("persistent", "rising") and "pain" not in r),
)
