"""Red flags over a range of days: load what the rules need in a few queries, run the one engine.

Today, History, `status`, `flags`, the Doctor questions and the report all come here, so they
show the same flags. Loading is a handful of indexed range queries; the rules themselves are
the pure functions of domain.redflags.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from diazlog.domain import limits
from diazlog.domain.day_status import SYMPTOM_FIELDS
from diazlog.domain.models import DAY_COLUMNS, Alert, DayLog, Dose, Rating
from diazlog.domain.redflags import (
    FlagContext,
    FlagEvent,
    apply_reviews,
    episode_starts,
    episodes,
    evaluate_days,
    judge_day,
)
from diazlog.domain.standing_flags import standing_flags
from diazlog.store.file.transactions import writing
from diazlog.store.queries.medications import medications_by_id
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.store.queries.taper import diazepam_steps

if TYPE_CHECKING:
    from sqlite_utils import Database

# Days loaded before a range so each day of it is judged with its full lookback, and an
# episode that began a little earlier keeps its first day (for "a doctor has seen this").
# 42 days, as before "rising" needed 28: Today's first frame reads no more than it did.
_LEAD_DAYS = limits.FLAG_LOOKBACK_DAYS + limits.BASELINE_WINDOW_DAYS


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


_DAY_FIELDS = (*DAY_COLUMNS, "note", "updated_at")


def load_days_between(db: Database, start: str | None, end: str | None) -> list[DayLog]:
    """Every logged day from `start` to `end` (inclusive, None = open), oldest first.

    A date with doses but no day row still counts as logged: the doses are what was logged.
    Plain cursor rows, not dicts: ten years are 30,000 rows and this runs for History's
    red-flag filter.
    """
    low = start or "0000-01-01"
    high = end or "9999-12-31"
    after = _shift(high, 1) if end else "9999-12-32"
    days = {
        r[0]: r[1:]
        for r in db.execute(
            f"SELECT date, {', '.join(_DAY_FIELDS)} FROM days WHERE date BETWEEN ? AND ?",
            [low, high],
        )
    }
    ratings: dict[str, list[Rating]] = defaultdict(list)
    for r in db.execute(
        "SELECT date, symptom_id, intensity, onset, duration_min, legs, worse_with, note "
        "FROM ratings WHERE date BETWEEN ? AND ? ORDER BY date, symptom_id",
        [low, high],
    ):
        ratings[r[0]].append(Rating(*r[1:]))
    flags: dict[str, set[str]] = defaultdict(set)
    for r in db.execute("SELECT date, kind FROM red_flags WHERE date BETWEEN ? AND ?", [low, high]):
        flags[r[0]].add(r[1])
    doses: dict[str, list[Dose]] = defaultdict(list)
    for r in db.execute(
        "SELECT taken_at, medication_id, amount, as_needed, note, id FROM doses "
        "WHERE taken_at >= ? AND taken_at < ? ORDER BY taken_at, id",
        [low, after],
    ):
        doses[r[0][:10]].append(Dose(r[1], r[0][11:16], r[2], bool(r[3]), r[4], r[5]))
    empty = (None,) * (len(_DAY_FIELDS) - 2) + ("", None)
    result = []
    for day in sorted(set(days) | set(doses)):
        walking, sleep_i, activity, stretched, water, sleep_h, alcohol, note, stamp = days.get(
            day, empty
        )
        result.append(
            DayLog(
                date=day,
                ratings=tuple(ratings.get(day, ())),
                walking_interference=walking,
                sleep_interference=sleep_i,
                activity_min=activity,
                stretched=None if stretched is None else bool(stretched),
                water_glasses=water,
                sleep_hours=sleep_h,
                alcohol_units=alcohol,
                note=note or "",
                doses=tuple(doses.get(day, ())),
                red_flags=frozenset(flags.get(day, ())),
                updated_at=stamp,
            )
        )
    return result


def load_reviews(db: Database) -> dict[tuple[str, str], tuple[str, float]]:
    return {
        (r["rule"], r["episode_start"]): (r["seen_on"], r["level"])
        for r in db.query("SELECT * FROM flag_reviews")
    }


def base_context(db: Database, now: datetime | None) -> FlagContext:
    """Everything but the days: medicines, symptom kinds, the plan, the reviews, the clock."""
    symptoms = list_symptoms(db, active_only=False)
    return FlagContext(
        medications=medications_by_id(db),
        symptom_kinds={s.id: s.kind for s in symptoms},
        symptom_names={s.id: s.name for s in symptoms},
        plan=tuple(diazepam_steps(db)),
        reviews=load_reviews(db),
        now=now,
    )


def _lead_start(start: str, context: FlagContext) -> str:
    lead = _shift(start, -_LEAD_DAYS)
    open_reviews = [s for (_, s) in context.reviews if s < start]
    return min([lead, *[s for s in open_reviews if s >= _shift(start, -366)]])


def flags_by_day(
    db: Database,
    start: str | None,
    end: str | None,
    now: datetime | None,
    *,
    draft: DayLog | None = None,
) -> dict[str, list[Alert]]:
    """Each logged day's flags in [start, end], most urgent first, seen episodes marked.

    `draft` stands in for its day's stored log (Today judges what is on screen, unsaved).
    """
    context = base_context(db, now)
    if start is None:
        first = db.execute("SELECT min(date) FROM days").fetchone()[0]
        start = first or (draft.date if draft else date.today().isoformat())
    lead = _lead_start(start, context)
    days = load_days_between(db, lead, end)
    if draft is not None:
        days = [d for d in days if d.date != draft.date]
        if end is None or draft.date <= end:
            days.append(draft)
    evaluated = evaluate_days(days, context)
    marked = apply_reviews(evaluated, context.reviews)
    return {d: alerts for d, alerts in marked.items() if d >= start}


@dataclass(frozen=True)
class DayFlagInputs:
    """What judging one day needs, loaded once so Today can re-judge on every key.

    `flagged` holds the earlier days' flags (seen ones marked) and `starts` their episodes'
    first days: today also shows the recent flags that still stand (domain.standing_flags).
    """

    context: FlagContext
    earlier: tuple[DayLog, ...]
    flagged: dict[str, list[Alert]]
    starts: dict[tuple[str, str], str]

    def judge(self, day: DayLog) -> list[Alert]:
        alerts = judge_day(day, self.earlier, self.context)
        return standing_flags(day, alerts, self.flagged, self.starts, self.context)


def inputs_for_day(db: Database, day: str, now: datetime | None) -> DayFlagInputs:
    context = base_context(db, now)
    earlier = load_days_between(db, _lead_start(day, context), _shift(day, -1))
    evaluated = evaluate_days(earlier, context)
    flagged = apply_reviews(evaluated, context.reviews)
    return DayFlagInputs(context, tuple(earlier), flagged, episode_starts(evaluated))


def day_flags(db: Database, day: DayLog, now: datetime | None) -> list[Alert]:
    """The flags of one day as it stands (stored, or a draft on screen), with the recent
    flags that still stand when it is today (domain.standing_flags)."""
    return inputs_for_day(db, day.date, now).judge(day)


def flag_events(
    db: Database, start: str | None, end: str | None, now: datetime | None
) -> list[FlagEvent]:
    """Every red-flag episode in the range, oldest first (runs of days, with their dates)."""
    return episodes({d: a for d, a in flags_by_day(db, start, end, now).items() if a})


def last_logged_day(db: Database, before: str) -> str | None:
    """The latest day before `before` with a dose or symptoms logged (a rating or an
    interference: day_status.has_symptoms); a day with neither is "not logged", whatever
    else it holds."""
    rated = db.execute("SELECT max(date) FROM ratings WHERE date < ?", [before]).fetchone()[0]
    rated_day = db.execute(
        "SELECT max(date) FROM days WHERE date < ? AND ("
        + " OR ".join(f"{name} IS NOT NULL" for name in SYMPTOM_FIELDS)
        + ")",
        [before],
    ).fetchone()[0]
    dosed = db.execute(
        "SELECT max(substr(taken_at, 1, 10)) FROM doses WHERE taken_at < ?", [before]
    ).fetchone()[0]
    found = [d for d in (rated, rated_day, dosed) if d]
    return max(found) if found else None


def mark_seen(db: Database, day: str, key: str, seen_on: str, now: datetime | None) -> str:
    """Record that a doctor has seen the episode of `key` that `day` belongs to.

    Returns the episode's first day. Read and written in one write transaction, so a flag
    recorded meanwhile by another copy is judged with the data as it is now.
    """
    with writing(db):
        flagged = flags_by_day(db, _shift(day, -_LEAD_DAYS), day, now)
        alerts = {a.key: a for a in flagged.get(day, [])}
        if key not in alerts:
            raise KeyError(f"no flag {key} on {day}")
        start = episode_starts(flagged)[(day, key)]
        level = max(
            a.value for d, found in flagged.items() if d >= start for a in found if a.key == key
        )
        db.execute(
            "INSERT INTO flag_reviews (rule, episode_start, seen_on, level) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (rule, episode_start) DO UPDATE SET seen_on = excluded.seen_on, "
            "level = excluded.level",
            [key, start, seen_on, level],
        )
    return start
