"""One day's log: loaded, saved whole (what the Today screen edited) or patched (quick entry).

Each write is one transaction that holds the write lock from its start, and a patch reads the
day it changes inside that same transaction, so two copies writing at once both keep their
changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from diazlog.domain.models import DAY_COLUMNS, DayLog, Dose, Rating
from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

    from diazlog.domain.quick_entry import Entry

_DAY_COLUMNS = DAY_COLUMNS


_INSERT_DOSE = (
    "INSERT INTO doses (id, medication_id, taken_at, amount, as_needed, note, utc_offset) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def load_day(db: Database, day: str) -> DayLog | None:
    """The saved log of `day`, or None when nothing was ever saved for it."""
    rows = list(db.query("SELECT * FROM days WHERE date = ?", [day]))
    if not rows:
        return None
    row = rows[0]
    ratings = tuple(
        Rating(
            symptom_id=r["symptom_id"],
            intensity=r["intensity"],
            onset=r["onset"],
            duration_min=r["duration_min"],
            legs=r["legs"],
            worse_with=r["worse_with"],
            note=r["note"],
        )
        for r in db.query("SELECT * FROM ratings WHERE date = ? ORDER BY symptom_id", [day])
    )
    flags = frozenset(
        r["kind"] for r in db.query("SELECT kind FROM red_flags WHERE date = ?", [day])
    )
    return DayLog(
        date=day,
        ratings=ratings,
        walking_interference=row["walking_interference"],
        sleep_interference=row["sleep_interference"],
        activity_min=row["activity_min"],
        stretched=None if row["stretched"] is None else bool(row["stretched"]),
        water_glasses=row["water_glasses"],
        sleep_hours=row["sleep_hours"],
        alcohol_units=row["alcohol_units"],
        note=row["note"],
        doses=load_doses(db, day),
        red_flags=flags,
        updated_at=row["updated_at"],
    )


def load_doses(db: Database, day: str) -> tuple[Dose, ...]:
    rows = db.query(
        "SELECT * FROM doses WHERE taken_at >= ? AND taken_at < ? ORDER BY taken_at, id",
        [day, _next_day(day)],
    )
    return tuple(
        Dose(
            id=r["id"],
            medication_id=r["medication_id"],
            time=r["taken_at"][11:16],
            amount=r["amount"],
            as_needed=bool(r["as_needed"]),
            note=r["note"],
            utc_offset=r.get("utc_offset"),
        )
        for r in rows
    )


def save_day(db: Database, day: DayLog, now: datetime | None = None) -> DayLog:
    """Replace everything stored for `day.date` with `day`, all or nothing."""
    save_days(db, [replace(day, updated_at=None)], now)
    saved = load_day(db, day.date)
    assert saved is not None
    return saved


def save_days(db: Database, days: Iterable[DayLog], now: datetime | None = None) -> int:
    """Replace the stored logs of many days in one transaction (demo data, import)."""
    stamp = (now or datetime.now()).isoformat(timespec="seconds")
    day_rows: list[list[Any]] = []
    rating_rows: list[list[Any]] = []
    flag_rows: list[list[Any]] = []
    dose_rows: list[list[Any]] = []
    for day in days:
        values = [getattr(day, c) for c in _DAY_COLUMNS]
        values[_DAY_COLUMNS.index("stretched")] = (
            None if day.stretched is None else int(day.stretched)
        )
        day_rows.append([day.date, *values, day.note, day.updated_at or stamp])
        rating_rows += [
            [
                day.date,
                r.symptom_id,
                r.intensity,
                r.onset,
                r.duration_min,
                r.legs,
                r.worse_with,
                r.note,
            ]
            for r in day.ratings
        ]
        flag_rows += [[day.date, kind] for kind in sorted(day.red_flags)]
        # A dose keeps its id across saves of its day, so exports and re-imports still match.
        dose_rows += [
            [
                d.id,
                d.medication_id,
                f"{day.date}T{d.time}",
                d.amount,
                int(d.as_needed),
                d.note,
                d.utc_offset,
            ]
            for d in day.doses
        ]
    columns = ("date", *_DAY_COLUMNS, "note", "updated_at")
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    conn = db.conn
    with writing(db):
        conn.executemany(
            f"INSERT INTO days ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT(date) DO UPDATE SET {updates}",
            day_rows,
        )
        dates = [[row[0]] for row in day_rows]
        conn.executemany("DELETE FROM ratings WHERE date = ?", dates)
        conn.executemany("DELETE FROM red_flags WHERE date = ?", dates)
        conn.executemany(
            "DELETE FROM doses WHERE taken_at >= ? AND taken_at < ?",
            [[d, _next_day(d)] for (d,) in dates],
        )
        conn.executemany(
            "INSERT INTO ratings (date, symptom_id, intensity, onset, duration_min, legs, "
            "worse_with, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rating_rows,
        )
        conn.executemany("INSERT INTO red_flags (date, kind) VALUES (?, ?)", flag_rows)
        # Doses that keep their id go in first: a new dose (id NULL) gets max(id) + 1, which
        # may be the id of a later dose of the same day deleted just above.
        dose_rows.sort(key=lambda row: row[0] is None)
        conn.executemany(
            _INSERT_DOSE,
            dose_rows,
        )
    return len(day_rows)


def patch_day(
    db: Database, day: str, entry: Entry, now: datetime | None = None
) -> tuple[DayLog, list[Dose]]:
    """Merge a quick entry into `day` inside one write transaction; return the day and the
    doses actually added.

    The stored day is read after the write lock is taken, and only what the entry changes is
    written (the given ratings' intensity, the given day fields, the note, new doses), so a
    save by another copy that lands just before is kept, not overwritten with a stale day.
    """
    unknown = set(entry.numbers) - set(_DAY_COLUMNS)
    if unknown:  # the names become column names below
        raise ValueError(f"not day fields: {', '.join(sorted(unknown))}")
    stamp = (now or datetime.now()).isoformat(timespec="seconds")
    conn = db.conn
    with writing(db):
        stored = load_day(db, day)
        from diazlog.domain.quick_entry import merge_entry  # the shell's path, not start-up

        merged, added = merge_entry(
            stored,
            day,
            ratings=entry.ratings,
            numbers=entry.numbers,
            doses=entry.doses,
            note=entry.note,
        )
        fields = {name: getattr(merged, name) for name in entry.numbers}
        if stored is None or merged.note != stored.note:
            fields["note"] = merged.note
        fields["updated_at"] = stamp
        if stored is None:
            names = ["date", *fields]
            conn.execute(
                f"INSERT INTO days ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [day, *fields.values()],
            )
        else:
            conn.execute(
                f"UPDATE days SET {', '.join(f'{c} = ?' for c in fields)} WHERE date = ?",
                [*fields.values(), day],
            )
        conn.executemany(
            "INSERT INTO ratings (date, symptom_id, intensity) VALUES (?, ?, ?) "
            "ON CONFLICT(date, symptom_id) DO UPDATE SET intensity = excluded.intensity",
            [[day, symptom_id, value] for symptom_id, value in entry.ratings.items()],
        )
        conn.executemany(
            _INSERT_DOSE,
            [
                [None, d.medication_id, f"{day}T{d.time}", d.amount, int(d.as_needed), d.note]
                + [d.utc_offset]
                for d in added
            ],
        )
        saved = load_day(db, day)
    assert saved is not None
    return saved, added


def previous_logged_day(db: Database, before: str) -> DayLog | None:
    """The closest saved day before `before` that has ratings (for "copy yesterday")."""
    rows = list(
        db.query(
            "SELECT date FROM ratings WHERE date < ? ORDER BY date DESC LIMIT 1",
            [before],
        )
    )
    return load_day(db, rows[0]["date"]) if rows else None
