"""History: logged days newest first, one page at a time, filtered in SQL.

Paging is keyset on the `days` primary key (`date < last date shown`), so page 300 costs what
page 1 costs. The red-flag rules are written here once more in SQL, per row, so a filter on
"red-flag days" can page too; tests check they agree with domain.redflags.evaluate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diazlog.domain import limits
from diazlog.domain.history_filter import OPERATORS, HistoryFilter
from diazlog.domain.models import Category, FlagKind
from diazlog.domain.redflags import ADDITIVE_CATEGORIES, ENZYME_INHIBITORS
from diazlog.store.symptoms import leg_pain_id, list_symptoms

if TYPE_CHECKING:
    from sqlite_utils import Database

PAGE_SIZE = 100
# A list row shows the start of the note on one line (enough for a 200-column terminal).
NOTE_START_CHARS = 160


def note_start(note: str) -> str:
    """The note on one line, cut to NOTE_START_CHARS with "…" when it is longer."""
    line = " ".join(note.split())
    return line if len(line) <= NOTE_START_CHARS else line[: NOTE_START_CHARS - 1] + "…"


# The rule names, as in Alert.rule, in the order History shows them.
RULES = (
    FlagKind.BREATHING.value,
    FlagKind.CONFUSION.value,
    FlagKind.EXTREME_WEAKNESS.value,
    FlagKind.FALL.value,
    "severe_pain",
    "persistent_pain",
    "combination",
    "interaction",
    "dose_cut",
)


@dataclass(frozen=True)
class HistoryRow:
    """One logged day as History shows it."""

    date: str
    ratings: Mapping[int, int] = field(default_factory=dict)  # symptom id -> 0-10
    diazepam_mg: float | None = None
    rules: tuple[str, ...] = ()  # red-flag rules that fire on the day (see RULES)
    note: str = ""


@dataclass(frozen=True)
class HistoryPage:
    rows: tuple[HistoryRow, ...]
    has_more: bool

    @property
    def last_date(self) -> str | None:
        return self.rows[-1].date if self.rows else None


def _day_range(day: str) -> str:
    return f"x.taken_at >= {day} AND x.taken_at < date({day}, '+1 day')"


def _diazepam_total(day: str) -> str:
    return (
        "(SELECT sum(x.amount) FROM doses x JOIN medications m ON m.id = x.medication_id "
        f"WHERE m.is_diazepam = 1 AND {_day_range(day)})"
    )


def _rule_columns(pain_id: int | None) -> tuple[str, list[Any]]:
    """SELECT expressions, one 0/1 column per rule, mirroring domain.redflags."""
    params: list[Any] = []
    ticked = [
        f"EXISTS (SELECT 1 FROM red_flags f WHERE f.date = d.date AND f.kind = '{kind}') AS {kind}"
        for kind in RULES[:4]
    ]
    if pain_id is None:
        pain = ["0 AS severe_pain", "0 AS persistent_pain"]
    else:
        severe = (
            "EXISTS (SELECT 1 FROM ratings r WHERE r.date = d.date AND r.symptom_id = ? "
            "AND r.intensity >= ?) AS severe_pain"
        )
        params += [pain_id, limits.SEVERE_PAIN]
        run = []
        for back in range(limits.PERSISTENT_DAYS):
            run.append(
                "EXISTS (SELECT 1 FROM ratings r WHERE r.date = date(d.date, ?) "
                "AND r.symptom_id = ? AND r.intensity >= ?)"
            )
            params += [f"-{back} day", pain_id, limits.PERSISTENT_PAIN]
        pain = [severe, f"({' AND '.join(run)}) AS persistent_pain"]
    diazepam_today = f"{_diazepam_total('d.date')} IS NOT NULL"
    additive = ", ".join(f"'{c.value}'" for c in sorted(ADDITIVE_CATEGORIES | {Category.OPIOID}))
    other_doses = (
        "EXISTS (SELECT 1 FROM doses x JOIN medications m ON m.id = x.medication_id "
        f"WHERE m.is_diazepam = 0 AND {_day_range('d.date')} AND ({{condition}}))"
    )
    inhibitor = " OR ".join(f"lower(m.name) LIKE '%{name}%'" for name in ENZYME_INHIBITORS)
    combination = (
        f"({diazepam_today} AND ("
        f"{other_doses.format(condition=f'm.category IN ({additive})')} "
        "OR coalesce(d.alcohol_units, 0) > 0)) AS combination"
    )
    interaction = f"({diazepam_today} AND {other_doses.format(condition=inhibitor)}) AS interaction"
    today_total = f"coalesce({_diazepam_total('d.date')}, 0)"
    before = _diazepam_total("date(d.date, '-1 day')")
    dose_cut = (
        f"(coalesce({before}, 0) > 0 AND {today_total} < {before} * ? "
        f"AND NOT ({today_total} = 0 AND NOT EXISTS "
        "(SELECT 1 FROM ratings r WHERE r.date = d.date))) AS dose_cut"
    )
    params += [1 - limits.DOSE_CUT_FRACTION]
    columns = [*ticked, *pain, combination, interaction, dose_cut]
    return ", ".join(columns), params


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(db: Database, flt: HistoryFilter, before: str | None) -> tuple[list[str], list[Any]]:
    """Conditions on `days d` that need no per-rule work (cheap, index-friendly)."""
    clauses: list[str] = []
    params: list[Any] = []
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


def _select(db: Database, flt: HistoryFilter, before: str | None) -> tuple[str, list[Any]]:
    rules, rule_params = _rule_columns(leg_pain_id(db))
    clauses, params = _where(db, flt, before)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    inner = (
        f"SELECT d.date, d.note, {_diazepam_total('d.date')} AS diazepam, {rules} "
        f"FROM days d {where}"
    )
    outer_where = f"WHERE ({' OR '.join(RULES)})" if flt.flagged else ""
    return f"SELECT * FROM ({inner}) {outer_where}", [*rule_params, *params]


def history_page(
    db: Database,
    flt: HistoryFilter | None = None,
    *,
    before: str | None = None,
    limit: int = PAGE_SIZE,
) -> HistoryPage:
    """Up to `limit` logged days older than `before` (newest first) that pass the filter."""
    flt = flt or HistoryFilter()
    sql, params = _select(db, flt, before)
    rows = list(db.query(f"{sql} ORDER BY date DESC LIMIT ?", [*params, limit + 1]))
    has_more = len(rows) > limit
    rows = rows[:limit]
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
            diazepam_mg=r["diazepam"],
            rules=tuple(rule for rule in RULES if r[rule]),
            note=note_start(r["note"] or ""),
        )
        for r in rows
    )
    return HistoryPage(page, has_more)


def count_days(db: Database, flt: HistoryFilter | None = None) -> int:
    """How many logged days pass the filter (scans them all: call it from a worker)."""
    sql, params = _select(db, flt or HistoryFilter(), None)
    return int(db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
