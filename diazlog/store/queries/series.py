"""Chart series: ratings and diazepam summed in SQL into as many buckets as a chart has columns.

Every query is a range read on an index (ratings(symptom_id, date), days(date),
doses(taken_at)) grouped into at most a few hundred rows, so "all" on ten years costs about
what ninety days does. Analysis of the rows is left to domain.trends.

The buckets are for drawing only. The numbers under the charts come from the days themselves:
`symptom_stats`, `diazepam_stats`, `hour_tallies`, `weekday_tallies`, `lag_bins` and
`window_means` aggregate the logged days (or onsets) directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from diazlog.domain.dose_changes import (
    BeforeAfter,
    DoseChange,
    Window,
    before_after_of,
    change_points,
    dose_changes,
)
from diazlog.domain.limits import EARLIEST_DATE
from diazlog.domain.trend_groups import LAG_BIN_HOURS, MAX_LAG_HOURS, DoseLag, Tally, dose_lag
from diazlog.domain.trends import (
    Bucket,
    DayStats,
    DoseStats,
    bucket_days_for,
    empty_buckets,
    middle_of,
)
from diazlog.store.queries.diazepam_doses import ids_sql
from diazlog.store.queries.medications import tracked_diazepam
from diazlog.store.queries.taper import list_steps, step_dates

if TYPE_CHECKING:
    from sqlite_utils import Database

_VALID_ONSET = "onset GLOB '[0-2][0-9]:[0-5][0-9]'"


def _per_day(ids: str) -> str:
    """Diazepam mg per logged day (0 when none was taken) for days start..end.

    `ids` is `ids_sql(db)`: every medicine counted as diazepam, brands included. Parameters:
    start, end, start, the day after end. A UNION, not a join: SQLite would rescan a grouped
    subquery for every day (quadratic on ten years).
    """
    return (
        "SELECT day, sum(mg) AS mg FROM ("
        "  SELECT date AS day, 0.0 AS mg, 1 AS logged FROM days WHERE date >= ? AND date <= ?"
        "  UNION ALL"
        "  SELECT substr(taken_at, 1, 10), amount, 0 FROM doses"
        f"  WHERE taken_at >= ? AND taken_at < ? AND medication_id IN ({ids})"
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
    dose: DoseStats | None = None
    """Diazepam over the range's days themselves (not the buckets); None: not set up."""
    stats: dict[int, DayStats] = field(default_factory=dict)
    """Per symptom, its numbers over the range's days themselves (not the buckets)."""


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
    symptoms, stats = symptom_days(db, symptom_ids, start, end, size)
    diazepam, dose = diazepam_days(db, start, end, size)
    return OverTime(start, end, size, symptoms, diazepam, dose, stats)


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
    return symptom_days(db, symptom_ids, start, end, bucket_days)[0]


def symptom_days(
    db: Database, symptom_ids: Sequence[int], start: str, end: str, bucket_days: int
) -> tuple[dict[int, list[Bucket]], dict[int, DayStats]]:
    """Per symptom, buckets to draw and the `DayStats` of its days, in one read of the ratings.

    Each bucket keeps the exact sum, count, lowest and highest rating and first-half sums of
    its days; SQL adds those up into the range's numbers (never the bucket means). The halves
    split at `domain.trends.middle_of(start, end)`.
    """
    rows: dict[int, list[tuple[int, float, int, str | None]]] = {i: [] for i in symptom_ids}
    stats = {i: DayStats() for i in symptom_ids}
    if symptom_ids:
        middle = middle_of(start, end)
        cursor = db.execute(
            "WITH bucket AS MATERIALIZED (SELECT symptom_id AS s, "
            "  CAST(julianday(date) - julianday(?) AS INTEGER) / ? AS b, sum(intensity) AS total, "
            "  count(*) AS n, max(printf('%02d|', intensity) || date) AS top, "
            "  min(intensity) AS low, sum(date <= ?) AS early, "
            "  total(CASE WHEN date <= ? THEN intensity END) AS early_total "
            f"  FROM ratings WHERE symptom_id IN ({_marks(symptom_ids)}) "
            "  AND date >= ? AND date <= ? GROUP BY s, b) "
            "SELECT s, b, total, n, top, NULL, NULL, NULL FROM bucket UNION ALL "
            "SELECT s, -1, total(total), total(n), max(top), min(low), total(early), "
            "total(early_total) FROM bucket GROUP BY s",
            [start, bucket_days, middle, middle, *symptom_ids, start, end],
        )
        for symptom_id, index, total, count, top, low, early, early_total in cursor:
            if index >= 0:
                rows[symptom_id].append((index, total, int(count), top))
                continue
            high, high_date = top.split("|")
            days, early = int(count), int(early)
            stats[symptom_id] = DayStats(
                days,
                total,
                low,
                float(high),
                high_date,
                early,
                early_total,
                days - early,
                total - early_total,
            )
    return {i: _fill(start, end, bucket_days, r) for i, r in rows.items()}, stats


def diazepam_set_up(db: Database) -> bool:
    """Whether any medicine counts as diazepam (the tracked one or a brand of it in mg): only
    then is a day without it 0 mg."""
    return ids_sql(db) != "NULL"


def diazepam_buckets(db: Database, start: str, end: str, bucket_days: int) -> list[Bucket]:
    """Per bucket: diazepam mg on logged days, how many days were logged, the biggest day.

    Without a diazepam set up there is no 0 mg: every bucket is a gap.
    """
    return diazepam_days(db, start, end, bucket_days)[0]


def diazepam_days(
    db: Database, start: str, end: str, bucket_days: int
) -> tuple[list[Bucket], DoseStats | None]:
    """Diazepam buckets to draw and `DoseStats` of the days themselves, in one pass.

    Each day's total is computed once; the buckets keep, besides what is drawn, the exact sum,
    count, lowest and highest day and days with a dose of their days, which add up in SQL to
    the range's numbers (never the bucket means). Without a diazepam set up: gaps and None.
    """
    ids = ids_sql(db)
    if ids == "NULL":
        return empty_buckets(start, end, bucket_days), None
    cursor = db.execute(
        f"WITH per_day AS ({_per_day(ids)}), "
        "bucket AS MATERIALIZED (SELECT CAST(julianday(day) - julianday(?) AS INTEGER) / ? AS b, "
        "  sum(mg) AS mg, count(*) AS n, max(printf('%012.4f|', mg) || day) AS top, "
        "  min(mg) AS low, max(mg) AS high, total(mg > 0) AS dosed FROM per_day GROUP BY b) "
        "SELECT b, mg, n, top, NULL, NULL, NULL FROM bucket UNION ALL "
        "SELECT -1, total(mg), total(n), NULL, min(low), max(high), total(dosed) FROM bucket",
        [start, end, start, _after(end), start, bucket_days],
    )
    rows = cursor.fetchall()
    _, total, days, _, low, high, dose_days = next(r for r in rows if r[0] == -1)
    days = int(days)
    buckets = _fill(start, end, bucket_days, [r[:4] for r in rows if r[0] != -1])
    return buckets, DoseStats(days, total, low, high, int(dose_days))


def logged_days(db: Database, start: str, end: str) -> int:
    """How many days in start..end were logged (a range read on the days' primary key)."""
    return db.execute(
        "SELECT count(*) FROM days WHERE date >= ? AND date <= ?", [start, end]
    ).fetchone()[0]


def diazepam_dose_count(db: Database, start: str, end: str) -> int:
    """How many diazepam doses were logged from `start` to `end`."""
    return db.execute(
        f"SELECT count(*) FROM doses WHERE taken_at >= ? AND taken_at < ? "
        f"AND medication_id IN ({ids_sql(db)})",
        [start, _after(end)],
    ).fetchone()[0]


def hour_tallies(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, list[Tally]]:
    """Per symptom, (onset hour 0-23, sum, count) of its ratings with an onset."""
    return _tallies(
        db, "CAST(substr(onset, 1, 2) AS INTEGER)", _VALID_ONSET, symptom_ids, start, end
    )


def onset_counts(db: Database, start: str, end: str) -> dict[int, int]:
    """How many ratings with an onset time each symptom has in start..end (every symptom,
    chosen or not: a chart that finds none for the chosen ones says which others have some)."""
    cursor = db.execute(
        f"SELECT symptom_id, count(*) FROM ratings WHERE date >= ? AND date <= ? "
        f"AND {_VALID_ONSET} GROUP BY symptom_id",
        [start, end],
    )
    return {symptom_id: count for symptom_id, count in cursor.fetchall()}


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
        f"{_per_day(ids_sql(db))} ORDER BY day",
        [EARLIEST_DATE, "9999-12-31", EARLIEST_DATE, "9999-12-31"],
    )
    return dict(cursor.fetchall())


def dose_change_points(db: Database) -> list[DoseChange]:
    """Taper steps of the tracked diazepam and lasting changes seen in the doses, newest first."""
    medication = tracked_diazepam(db)
    steps = list_steps(db, medication.id) if medication and medication.id else []
    return change_points(steps, dose_changes(daily_diazepam(db)))


# -- the numbers under the charts: always from the logged days, never from drawn buckets -------


def symptom_stats(
    db: Database, symptom_ids: Sequence[int], start: str, end: str
) -> dict[int, DayStats]:
    """Per symptom over start..end: days, sum, lowest, highest (latest such day) and halves.

    The halves split at `domain.trends.middle_of(start, end)`, the day itself in the first.
    """
    result = {i: DayStats() for i in symptom_ids}
    if not symptom_ids:
        return result
    middle = middle_of(start, end)
    cursor = db.execute(
        "SELECT symptom_id, count(*), sum(intensity), min(intensity), "
        "max(printf('%02d|', intensity) || date), "
        "sum(date <= ?), total(CASE WHEN date <= ? THEN intensity END), "
        "sum(date > ?), total(CASE WHEN date > ? THEN intensity END) "
        f"FROM ratings WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ? "
        "GROUP BY symptom_id",
        [middle, middle, middle, middle, *symptom_ids, start, end],
    )
    for symptom_id, days, total, low, worst, early, early_sum, late, late_sum in cursor:
        high, high_date = worst.split("|")
        result[symptom_id] = DayStats(
            days, total, low, float(high), high_date, early, early_sum, late, late_sum
        )
    return result


def diazepam_stats(db: Database, start: str, end: str) -> DoseStats | None:
    """Diazepam mg a logged day over start..end (0 on a logged day without a dose).

    None when no diazepam is set up: then a day without it is not 0 mg, just not tracked.
    """
    ids = ids_sql(db)
    if ids == "NULL":
        return None
    row = db.execute(
        f"WITH per_day AS ({_per_day(ids)}) "
        "SELECT count(*), total(mg), min(mg), max(mg), sum(mg > 0) FROM per_day",
        [start, end, start, _after(end)],
    ).fetchone()
    days, total, low, high, dose_days = row
    return DoseStats(days, total, low, high, dose_days or 0)


def diazepam_on(db: Database, day: str) -> float | None:
    """The day's diazepam mg (0 when logged without a dose); None when not logged or not set up."""
    stats = diazepam_stats(db, day, day)
    return stats.total if stats is not None and stats.days else None


def lag_bins(
    db: Database,
    symptom_ids: Sequence[int],
    start: str,
    end: str,
    bin_hours: int = LAG_BIN_HOURS,
    max_hours: int = MAX_LAG_HOURS,
) -> dict[int, DoseLag]:
    """Per symptom, its onsets binned in SQL by hours since the diazepam dose before them.

    The dose is the latest at or before the onset and less than `max_hours` before it; an
    onset without one is only counted (`no_recent_dose`). One index seek per onset.
    """
    result: dict[int, DoseLag] = {i: dose_lag([]) for i in symptom_ids}
    if not symptom_ids:
        return result
    ids = ids_sql(db)
    cursor = db.execute(
        "WITH onset AS ("
        "  SELECT symptom_id, intensity, date || 'T' || onset AS moment FROM ratings"
        f"  WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ?"
        f"  AND {_VALID_ONSET}"
        "), lag AS ("
        "  SELECT symptom_id, intensity, CAST(round((julianday(moment) - julianday("
        "    (SELECT max(taken_at) FROM doses WHERE taken_at <= moment"
        "     AND taken_at > strftime('%Y-%m-%dT%H:%M', moment, ?)"
        f"     AND medication_id IN ({ids})))) * 1440) AS INTEGER) AS minutes"
        "  FROM onset"
        ") SELECT symptom_id, coalesce(minutes / ?, -1) AS bin, total(intensity), count(*) "
        "FROM lag GROUP BY symptom_id, bin ORDER BY bin",
        [*symptom_ids, start, end, f"-{max_hours} hours", bin_hours * 60],
    )
    tallies: dict[int, list[Tally]] = {i: [] for i in symptom_ids}
    beyond: dict[int, int] = dict.fromkeys(symptom_ids, 0)
    for symptom_id, index, total, count in cursor:
        if index < 0 or index >= max_hours // bin_hours:
            beyond[symptom_id] += count
        else:
            tallies[symptom_id].append((index, total, count))
    return {i: dose_lag(tallies[i], beyond[i], bin_hours, max_hours) for i in symptom_ids}


def window_means(
    db: Database, symptom_ids: Sequence[int], window: Window
) -> dict[int, BeforeAfter]:
    """Per symptom, its mean and logged days on each side of a before / after window."""
    result = {i: before_after_of(0, 0, 0, 0) for i in symptom_ids}
    if not symptom_ids:
        return result
    cursor = db.execute(
        "SELECT symptom_id, total(CASE WHEN date < ? THEN intensity END), sum(date < ?), "
        "total(CASE WHEN date >= ? THEN intensity END), sum(date >= ?) FROM ratings "
        f"WHERE symptom_id IN ({_marks(symptom_ids)}) AND date >= ? AND date <= ? "
        "GROUP BY symptom_id",
        [*[window.pivot] * 4, *symptom_ids, window.before_start, window.after_end],
    )
    for symptom_id, before_sum, before_days, after_sum, after_days in cursor:
        result[symptom_id] = before_after_of(before_sum, before_days, after_sum, after_days)
    return result


def change_boundaries(db: Database, changes: Sequence[DoseChange]) -> list[str]:
    """Every date a before / after window must not cross: the changes and all taper steps."""
    return sorted({c.date for c in changes} | set(step_dates(db)))
