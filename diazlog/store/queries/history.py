"""History: logged days newest first, one page at a time, filtered in SQL.

Paging is keyset on the `days` primary key (`date < last date shown`), so page 300 costs what
page 1 costs. Each page's red flags come from the one rules engine (store.flags) over the
page's dates; the "red-flag days" filter asks it for every flagged date first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from diazlog.domain.history_filter import OPERATORS, HistoryFilter
from diazlog.domain.models import Alert
from diazlog.store.queries.diazepam_doses import ids_sql
from diazlog.store.queries.flags import flags_by_day
from diazlog.store.queries.freshness import DataVersion, data_version
from diazlog.store.queries.symptoms import list_symptoms

if TYPE_CHECKING:
    from sqlite_utils import Database

PAGE_SIZE = 100
# A list row shows the start of the note on one line (enough for a 200-column terminal).
NOTE_START_CHARS = 160


def note_start(note: str) -> str:
    """The note on one line, cut to NOTE_START_CHARS with "…" when it is longer."""
    line = " ".join(note.split())
    return line if len(line) <= NOTE_START_CHARS else line[: NOTE_START_CHARS - 1] + "…"


@dataclass(frozen=True)
class HistoryRow:
    """One logged day as History shows it."""

    date: str
    ratings: Mapping[int, int] = field(default_factory=dict)  # symptom id -> 0-10
    diazepam_mg: float | None = None
    flags: tuple[Alert, ...] = ()  # the day's red flags, most urgent first (store.flags)
    note: str = ""

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(a.rule for a in self.flags)


@dataclass(frozen=True)
class HistoryPage:
    rows: tuple[HistoryRow, ...]
    has_more: bool

    @property
    def last_date(self) -> str | None:
        return self.rows[-1].date if self.rows else None


def _diazepam_total(day: str, ids: str) -> str:
    """The day's diazepam mg over every medicine counted as diazepam (`ids_sql`)."""
    return (
        f"(SELECT sum(x.amount) FROM doses x WHERE x.medication_id IN ({ids}) "
        f"AND x.taken_at >= {day} AND x.taken_at < date({day}, '+1 day'))"
    )


# Flagged dates per connection, kept while nothing was written and the clock is in the same
# minute: paging through "red-flag days" judges the whole diary once, not once per page.
_FLAGGED: dict[int, tuple[tuple[DataVersion, str], list[str]]] = {}


def flagged_dates(db: Database, now: datetime | None) -> list[str]:
    """Every logged day with a red flag (the whole diary: about 0.2 s on ten years)."""
    stamp = (data_version(db), now.isoformat(timespec="minutes") if now else "")
    cached = _FLAGGED.get(id(db.conn))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    dates = sorted(d for d, alerts in flags_by_day(db, None, None, now).items() if alerts)
    _FLAGGED[id(db.conn)] = (stamp, dates)
    return dates


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(
    db: Database, flt: HistoryFilter, before: str | None, now: datetime | None
) -> tuple[list[str], list[Any]]:
    """Conditions on `days d`; "red-flag days" asks the rules engine which days those are."""
    clauses: list[str] = []
    params: list[Any] = []
    if flt.flagged:
        clauses.append("d.date IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(flagged_dates(db, now)))
    if before is not None:
        clauses.append("d.date < ?")
        params.append(before)
    if flt.date_prefix:
        clauses.append("d.date GLOB ?")
        params.append(flt.date_prefix + "*")
    for word in flt.words:
        clauses.append(
            "(d.note LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM ratings r WHERE r.date = d.date "
            "AND (r.note LIKE ? ESCAPE '\\' OR r.worse_with LIKE ? ESCAPE '\\')))"
        )
        params += [_like(word)] * 3
    if flt.symptoms:
        ids = {s.key: s.id for s in list_symptoms(db, active_only=False)}
        for test in flt.symptoms:
            if test.op not in OPERATORS or test.key not in ids:
                raise ValueError(f"bad symptom test {test}")
            clauses.append(
                "EXISTS (SELECT 1 FROM ratings r WHERE r.date = d.date AND r.symptom_id = ? "
                f"AND r.intensity {test.op} ?)"
            )
            params += [ids[test.key], test.value]
    return clauses, params


def _select(
    db: Database, flt: HistoryFilter, before: str | None, now: datetime | None
) -> tuple[str, list[Any]]:
    clauses, params = _where(db, flt, before, now)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    total = _diazepam_total("d.date", ids_sql(db))
    sql = f"SELECT d.date, d.note, {total} AS diazepam FROM days d {where}"
    return sql, params


def history_page(
    db: Database,
    flt: HistoryFilter | None = None,
    *,
    before: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime | None = None,
) -> HistoryPage:
    """Up to `limit` logged days older than `before` (newest first) that pass the filter.

    A logged 0 mg day shows 0 mg: a day with diazepam set up but none taken is a value.
    """
    flt = flt or HistoryFilter()
    sql, params = _select(db, flt, before, now)
    rows = list(db.query(f"{sql} ORDER BY date DESC LIMIT ?", [*params, limit + 1]))
    has_more = len(rows) > limit
    rows = rows[:limit]
    has_diazepam = ids_sql(db) != "NULL"
    flags = flags_by_day(db, rows[-1]["date"], rows[0]["date"], now) if rows else {}
    ratings: dict[str, dict[int, int]] = {r["date"]: {} for r in rows}
    if rows:
        marks = ", ".join("?" * len(rows))
        for r in db.query(
            f"SELECT date, symptom_id, intensity FROM ratings WHERE date IN ({marks})",
            [r["date"] for r in rows],
        ):
            ratings[r["date"]][r["symptom_id"]] = r["intensity"]
    page = tuple(
        HistoryRow(
            date=r["date"],
            ratings=ratings[r["date"]],
            diazepam_mg=r["diazepam"] if r["diazepam"] is not None or not has_diazepam else 0.0,
            flags=tuple(flags.get(r["date"], ())),
            note=note_start(r["note"] or ""),
        )
        for r in rows
    )
    return HistoryPage(page, has_more)


def count_days(db: Database, flt: HistoryFilter | None = None, now: datetime | None = None) -> int:
    """How many logged days pass the filter (scans them all: call it from a worker)."""
    sql, params = _select(db, flt or HistoryFilter(), None, now)
    return int(db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
