"""The SQL behind export and import, driven by the schema itself so new tables come along.

Import merges: a row whose primary key exists is updated, a new one inserted, nothing is
ever deleted, and a row equal to what is stored is not written at all (so re-importing the
same file changes nothing).

Imports never go back in time (unless `overwrite`): a stored row whose `updated_at` is later
than the imported one's (store/schema.py stamps every table an import merges by id) is kept
whole, and so are the rows that belong to it by date (a day's
ratings and red flags follow the day); in any table, a value stored where the import has
none is kept (an export taken before a Doctor question was answered cannot unanswer it).
Each row kept so counts in `kept_newer`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from diazlog.store.file import sqlerrors
from diazlog.store.file.diary_id import DIARY_ID_KEY
from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

PROGRESS_EVERY = 500

# Tables of derived data, neither exported nor imported: the drug-name library's answers are
# looked up again by the diary that needs them, so a file can't plant a wrong one.
DERIVED_TABLES = ("medicine_lookups",)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # INTEGER, REAL or TEXT
    not_null: bool
    has_default: bool
    pk: bool


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def pks(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.pk)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass(frozen=True)
class IncomingRow:
    """One row to merge; `where` says where it came from (file and line) for messages."""

    table: str
    values: dict[str, Any]
    where: str
    insert_only: dict[str, Any] = field(default_factory=dict)


@dataclass
class MergeResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # stored rows (or some of their values) kept as newer than the import's
    failures: list[tuple[str, str]] = field(default_factory=list)  # (where, why)

    @property
    def written(self) -> int:
        return self.added + self.changed


class MergeRefused(Exception):
    """Raised inside the transaction to roll it back; carries the result for the report."""

    def __init__(self, result: MergeResult) -> None:
        super().__init__("import rolled back")
        self.result = result


def tables(db: Database) -> list[Table]:
    """Every table of ours, parents before the tables whose foreign keys point at them.

    Found by sqlite-utils (`table_names`, `foreign_keys`, `columns`), which reads the same
    `sqlite_master` and PRAGMAs; import and export run in a worker or a command, off the
    app's first frame, so its import costs nothing there (store/deferred.py).
    """
    names = [n for n in db.table_names() if not n.startswith("sqlite_") and n not in DERIVED_TABLES]
    parents = {n: {fk.other_table for fk in db.table(n).foreign_keys} - {n} for n in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        ordered += ready or [n for n in names if n not in ordered]  # a cycle: keep going
    return [_table(db, n) for n in ordered]


def _table(db: Database, name: str) -> Table:
    columns = []
    for column in db.table(name).columns:
        kind = str(column.type).upper()
        kind = "INTEGER" if "INT" in kind else "REAL" if "REAL" in kind else "TEXT"
        columns.append(
            Column(
                column.name,
                kind,
                bool(column.notnull),
                column.default_value is not None,
                bool(column.is_pk),
            )
        )
    return Table(name, tuple(columns))


def read_rows(db: Database, table: Table) -> Iterator[dict[str, Any]]:
    """Every row of `table`, in primary-key order so exports are stable and diffable."""
    order = ", ".join(f"[{c}]" for c in table.pks) or "rowid"
    yield from db.query(f"SELECT * FROM [{table.name}] ORDER BY {order}")


def _same(stored: Any, incoming: Any) -> bool:
    """Equal as the user sees it: '' and NULL are both "nothing", 5 and 5.0 the same number."""
    if stored in (None, "") and incoming in (None, ""):
        return True
    return bool(stored == incoming)


STAMP = "updated_at"  # a table with this column says when each row last changed
DAYS = "days"


def _day_children(db: Database, names: Iterable[str]) -> set[str]:
    """Tables whose `date` points at a day (ratings, red flags): they follow the day's stamp."""
    return {
        n
        for n in names
        if any(fk.other_table == DAYS and "date" in fk.columns for fk in db.table(n).foreign_keys)
    }


@dataclass
class _Merge:
    """What one merge knows across rows: the days whose stored version was kept as newer."""

    overwrite: bool
    children: set[str]
    kept_days: set[str] = field(default_factory=set)


def merge_rows(
    db: Database,
    rows: Iterable[IncomingRow],
    *,
    skip_bad: bool,
    progress: Callable[[int], None] | None = None,
    overwrite: bool = False,
    translate: Callable[[Table, IncomingRow], IncomingRow] | None = None,
) -> MergeResult:
    """Merge `rows` in one transaction. Any row the database refuses is reported; unless
    `skip_bad`, one such row rolls everything back (MergeRefused). `overwrite`: the import's
    values replace stored ones even where those are newer. `translate`: each row made ours
    first (another diary's ids, transfer/foreign_rows.py). The diary's own id is never
    imported.

    Row by row in SQL, not sqlite-utils' `upsert_all`: an upsert would overwrite a newer
    stored row and a stored value the file lacks, would count no unchanged rows, and a
    refused row in a batch could not be named by its file line."""
    result = MergeResult()
    schema = {t.name: t for t in tables(db)}
    state = _Merge(overwrite, _day_children(db, schema))
    conn = db.conn
    done = 0
    # writing(): the write lock from the start, so a save by an open copy of the app makes
    # us wait (busy timeout) instead of failing with "database is locked".
    with writing(db):
        for row in rows:
            table = schema[row.table]
            if row.table == "settings" and row.values.get("key") == DIARY_ID_KEY:
                continue
            try:
                if translate is not None:
                    row = translate(table, row)
                _merge_one(conn, table, row, result, state)
            except sqlerrors.IntegrityError as exc:
                result.failures.append((row.where, _constraint_message(exc)))
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(PROGRESS_EVERY)
        if result.failures and not skip_bad:
            raise MergeRefused(result)  # rolls the whole merge back
    if progress is not None:
        progress(done % PROGRESS_EVERY)
    return result


def _merge_one(
    conn: sqlite3.Connection, table: Table, row: IncomingRow, result: MergeResult, state: _Merge
) -> None:
    pks = table.pks
    where = " AND ".join(f"[{c}] = ?" for c in pks)
    key = [row.values[c] for c in pks]
    cursor = conn.execute(f"SELECT * FROM [{table.name}] WHERE {where}", key)
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    if found is None:
        values = {**row.insert_only, **row.values}
        marks = ", ".join("?" * len(values))
        conn.execute(
            f"INSERT INTO [{table.name}] ({', '.join(f'[{c}]' for c in values)}) VALUES ({marks})",
            list(values.values()),
        )
        result.added += 1
        return
    stored = dict(zip(names, found, strict=True))
    changes = {c: v for c, v in row.values.items() if not _same(stored[c], v)}
    if changes and not state.overwrite:
        allowed = _not_going_back(table, stored, row.values, changes, state)
        if allowed is None:
            result.kept_newer += 1
            return
        changes = allowed
    if not changes:
        result.unchanged += 1
        return
    sets = ", ".join(f"[{c}] = ?" for c in changes)
    conn.execute(f"UPDATE [{table.name}] SET {sets} WHERE {where}", [*changes.values(), *key])
    result.changed += 1


def _not_going_back(
    table: Table,
    stored: dict[str, Any],
    incoming: dict[str, Any],
    changes: dict[str, Any],
    state: _Merge,
) -> dict[str, Any] | None:
    """The changes an import may make without undoing a newer edit; None keeps the row whole
    (see the module's docstring)."""
    if table.name in state.children and stored.get("date") in state.kept_days:
        return None
    ours, theirs = stored.get(STAMP), incoming.get(STAMP)
    # The import's row is older when its stamp is earlier, or empty while ours is set (it was
    # exported before its last change here). A file without the column (another tracker's
    # CSV, an export of an older diazlog) cannot tell: its values are merged field by field.
    if ours and STAMP in incoming and (not theirs or str(ours) > str(theirs)):
        if table.name == DAYS:
            state.kept_days.add(str(stored["date"]))
        return {} if set(changes) <= {STAMP} else None  # only the stamp differs: unchanged
    if ours and theirs and str(theirs) > str(ours):
        return changes  # the import's row is newer: it may empty a value too
    kept = {c for c, v in changes.items() if v in (None, "") and stored[c] not in (None, "")}
    if kept and kept == set(changes) - {STAMP}:
        return None
    return {c: v for c, v in changes.items() if c not in kept} if kept else changes


def _constraint_message(exc: Exception) -> str:
    text = str(exc)
    if "FOREIGN KEY" in text:
        return "refers to something that is not there (e.g. a medicine, symptom or day)"
    if "UNIQUE" in text:
        return (
            f"clashes with a row already stored ({text.split(':', 1)[-1].strip()} must be unique)"
        )
    return f"refused by the database ({text})"
