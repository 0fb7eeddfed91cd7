"""Chart series: ratings and diazepam summed in SQL into as many buckets as a chart has columns.

Every query is a range read on an index (ratings(symptom_id, date), days(date),
doses(taken_at)) grouped into at most a few hundred rows, so "all" on ten years costs about
what ninety days does. Analysis of the rows is left to domain.trends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.limits import EARLIEST_DATE
from diazlog.domain.trends import (
    Bucket,
    DoseChange,
    Tally,
    bucket_days_for,
    change_points,
    dose_changes,
    empty_buckets,
)
from diazlog.store.medications import tracked_diazepam
from diazlog.store.taper import list_steps

if TYPE_CHECKING:
    from sqlite_utils import Database

_DIAZEPAM_IDS = "SELECT id FROM medications WHERE is_diazepam = 1"
_VALID_ONSET = "onset GLOB '[0-2][0-9]:[0-5][0-9]'"
# Diazepam mg per logged day (0 when none was taken) for days start..end; parameters:
# start, end, start, the day after end. A UNION, not a join: SQLite would rescan a grouped
# subquery for every day (quadratic on ten years).
_PER_DAY = (
    "SELECT day, sum(mg) AS mg FROM ("
    "  SELECT date AS day, 0.0 AS mg, 1 AS logged FROM days WHERE date >= ? AND date <= ?"
    "  UNION ALL"
    "  SELECT substr(taken_at, 1, 10), amount, 0 FROM doses WHERE taken_at >= ? AND taken_at < ?"
    f"  AND medication_id IN ({_DIAZEPAM_IDS})"
    ") GROUP BY day HAVING max(logged) = 1"
)


@dataclass(frozen=True)
class OverTime:
    """What the "Over time" chart draws: one Bucket per column for each symptom and diazepam.

    A diazepam bucket's `total` is the mg taken on its logged days and `count` the logged
    days, so `mean` is mg a day; a logged day without a dose counts as 0 mg.
    """

    start: str
    end: str
    bucket_days: int
    symptoms: dict[int, list[Bucket]]
    diazepam: list[Bucket]


def _after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _marks(ids: Sequence[int]) -> str:
    return ", ".join("?" * len(ids))


def first_logged_day(db: Database) -> str | None:
    """The earliest logged day (where "all" starts), or None for an empty diary."""
    row = db.execute("SELECT min(date) FROM days").fetchone()
    return row[0] if row else None


def over_time(
    db: Database, symptom_ids: Sequence[int], start: str, end: str, columns: int
) -> OverTime:
    """Bucketed ratings and daily diazepam for start..end, about `columns` buckets."""
    span = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    size = bucket_days_for(span, columns)
    return OverTime(
        start,
        end,
        size,
        symptom_buckets(db, symptom_ids, start, end, size),
        diazepam_buckets(db, start, end, size),
    )


def _fill(
    start: str, end: str, size: int, rows: Sequence[tuple[int, float, int, str | None]]
) -> list[Bucket]:
    buckets = empty_buckets(start, end, size)
    for index, total, count, worst in rows:
        if worst is None or not 0 <= index < len(buckets):
            continue
        value, day = worst.split("|")
        buckets[index] = Bucket(buckets[index].start, size, total, count, float(value), day)
    return buckets


def symptom_buckets(
    db: Database, symptom_ids: Sequence[int], start: str, end: str, bucket_days: int
) -> dict[int, list[Bucket]]:
    """Per symptom: sum, count and worst day of its ratings in each bucket from `start`."""
    rows: dict[int, list[tuple[int, float, int, str | None]]] = {i: [] for i in symptom_ids}
    if symptom_ids:
        cursor = db.execute(
            "SELECT symptom_id, CAST(julianday(date) - julianday(?) AS INTEGER) / ? AS bucket, "
            "sum(intensity), count(*), max(printf('%02d|', intensity) || date) "
            f"FROM ratings WHERE symptom_id IN ({_marks(symptom_ids)}) "
            "AND date >= ? AND date <= ? GROUP BY symptom_id, bucket",
            [start, bucket_days, *symptom_ids, start, end],
        )
        for symptom_id, index, total, count, worst in cursor.fetchall():
            rows[symptom_id].append((index, total, count, worst))
    return {i: _fill(start, end, bucket_days, r) for i, r in rows.items()}


def diazepam_buckets(db: Database, start: str, end: str, bucket_days: int) -> list[Bucket]:
    """Per bucket: diazepam mg on logged days, how many days were logged, the biggest day."""
    cursor = db.execute(
        f"WITH per_day AS ({_PER_DAY}) "
        "SELECT CAST(julianday(day) - julianday(?) AS INTEGER) / ? AS bucket, sum(mg), count(*), "
        "max(printf('%012.4f|', mg) || day) FROM per_day GROUP BY bucket",
        [start, end, start, _after(end), start, bucket_days],
    )
    return _fill(start, end, bucket_days, cursor.fetchall())


def onsets(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, list[tuple[str, float]]]:
    """Per symptom, (onset moment "YYYY-MM-DDTHH:MM", intensity) for ratings with an onset."""
    result: dict[int, list[tuple[str, float]]] = {i: [] for i in symptom_ids}
    if symptom_ids:
        cursor = db.execute(
            "SELECT symptom_id, date || 'T' || onset, intensity FROM ratings "
            f"WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ? "
            f"AND {_VALID_ONSET} ORDER BY date, onset",
            [*symptom_ids, start, end],
        )
        for symptom_id, moment, intensity in cursor.fetchall():
            result[symptom_id].append((moment, intensity))
    return result


def diazepam_times(db: Database, start: str, end: str) -> list[str]:
    """Every diazepam dose moment from the day before `start` to `end`, in order.

    The day before is included so an onset early on `start` can find the dose before it.
    """
    since = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
    cursor = db.execute(
        f"SELECT taken_at FROM doses WHERE taken_at >= ? AND taken_at < ? "
        f"AND medication_id IN ({_DIAZEPAM_IDS}) ORDER BY taken_at",
        [since, _after(end)],
    )
    return [r[0] for r in cursor.fetchall()]


def hour_tallies(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, list[Tally]]:
    """Per symptom, (onset hour 0-23, sum, count) of its ratings with an onset."""
    return _tallies(
        db, "CAST(substr(onset, 1, 2) AS INTEGER)", _VALID_ONSET, symptom_ids, start, end
    )


def weekday_tallies(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, list[Tally]]:
    """Per symptom, (weekday 0 = Monday .. 6 = Sunday, sum, count) of its ratings."""
    return _tallies(
        db, "(CAST(strftime('%w', date) AS INTEGER) + 6) % 7", "1", symptom_ids, start, end
    )


def _tallies(
    db: Database, key: str, where: str, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, list[Tally]]:
    result: dict[int, list[Tally]] = {i: [] for i in symptom_ids}
    if symptom_ids:
        cursor = db.execute(
            f"SELECT symptom_id, {key} AS k, sum(intensity), count(*) FROM ratings "
            f"WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ? "
            f"AND {where} GROUP BY symptom_id, k ORDER BY k",
            [*symptom_ids, start, end],
        )
        for symptom_id, k, total, count in cursor.fetchall():
            result[symptom_id].append((k, total, count))
    return result


def daily_diazepam(db: Database) -> dict[str, float]:
    """Total diazepam mg per logged day, over the whole diary (0 on a logged day without)."""
    cursor = db.execute(
        f"{_PER_DAY} ORDER BY day", [EARLIEST_DATE, "9999-12-31", EARLIEST_DATE, "9999-12-31"]
    )
    return dict(cursor.fetchall())


def dose_change_points(db: Database) -> list[DoseChange]:
    """Taper steps of the tracked diazepam and lasting changes seen in the doses, newest first."""
    medication = tracked_diazepam(db)
    steps = list_steps(db, medication.id) if medication and medication.id else []
    return change_points(steps, dose_changes(daily_diazepam(db)))


def ratings_between(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, dict[str, int]]:
    """Per symptom, its day -> intensity for start..end (a short window, e.g. 60 days)."""
    result: dict[int, dict[str, int]] = {i: {} for i in symptom_ids}
    if symptom_ids:
        cursor = db.execute(
            "SELECT symptom_id, date, intensity FROM ratings "
            f"WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ?",
            [*symptom_ids, start, end],
        )
        for symptom_id, day, intensity in cursor.fetchall():
            result[symptom_id][day] = intensity
    return result
