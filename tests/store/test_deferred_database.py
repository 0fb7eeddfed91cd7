"""DeferredDatabase answers reads like sqlite-utils and becomes the real thing for the rest."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from diazlog.store import open_database
from diazlog.store.file.deferred import DeferredDatabase, is_select
from diazlog.store.queries import days

QUERIES = [
    ("SELECT * FROM symptoms ORDER BY id", None),
    ("  -- a comment first\n  select key, name FROM symptoms WHERE id > ?", [2]),
    ("SELECT s.id, s.id, s.name FROM symptoms s ORDER BY s.id", None),  # duplicate columns
    ("SELECT count(*) AS n FROM days", None),
    ("SELECT name FROM symptoms WHERE key = :key", {"key": "cramps"}),
]


def fresh_pair(db_path: Path) -> tuple[DeferredDatabase, Database]:
    deferred = DeferredDatabase(sqlite3.connect(db_path))
    return deferred, Database(sqlite3.connect(db_path), execute_plugins=False)


@pytest.mark.parametrize(("sql", "params"), QUERIES)
def test_select_rows_equal_sqlite_utils(db_path: Path, sql: str, params: object) -> None:
    deferred, real = fresh_pair(db_path)
    assert list(deferred.query(sql, params)) == list(real.query(sql, params))  # type: ignore[arg-type]
    assert deferred.execute(sql, params).fetchall() == real.execute(sql, params).fetchall()  # type: ignore[arg-type]


def test_reads_do_not_build_the_real_database(db_path: Path) -> None:
    deferred, _ = fresh_pair(db_path)
    for sql, params in QUERIES:
        if "s.id, s.id" not in sql:
            list(deferred.query(sql, params))  # type: ignore[arg-type]
            deferred.execute(sql, params)  # type: ignore[arg-type]
    assert deferred._database is None
    # Duplicate column names: sqlite-utils renames them (id, id_2), so it answers.
    rows = list(deferred.query("SELECT s.id, s.id FROM symptoms s LIMIT 1"))
    assert list(rows[0]) == ["id", "id_2"]
    assert deferred._database is not None


def test_writes_and_atomic_go_through_sqlite_utils(db_path: Path) -> None:
    deferred, _ = fresh_pair(db_path)
    with deferred.atomic():
        deferred.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    assert isinstance(deferred._database, Database)
    # Committed: another connection sees it.
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT value FROM settings WHERE key = 'k'").fetchone() == ("v",)
    with pytest.raises(ValueError, match="returns rows"):
        deferred.query("DELETE FROM settings")  # sqlite-utils' own rule, kept
    assert deferred["settings"].count == 1  # any other API: the real Database


def test_failed_select_raises_like_sqlite_utils(db_path: Path) -> None:
    deferred, real = fresh_pair(db_path)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        deferred.execute("SELECT * FROM nowhere")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        real.execute("SELECT * FROM nowhere")
    assert not deferred.conn.in_transaction


KEYWORDS = ["SELECT", "select", "Select", "SELECTED", "INSERT", "UPDATE", "DELETE", "WITH"]
PREFIXES = ["", " ", "\n\t", "-- note\n", "-- a\n  -- b\n ", "/* c */ "]


@given(
    st.sampled_from(PREFIXES),
    st.sampled_from([*KEYWORDS, "PRAGMA", "CREATE", "REPLACE"]),
    st.sampled_from(["", " ", "(", "*", "1", " * FROM days", "x"]),
)
def test_a_read_is_only_what_sqlite_utils_also_answers_with_rows(
    prefix: str, keyword: str, rest: str
) -> None:
    """What DeferredDatabase answers itself, sqlite-utils' public query() answers the same
    (rows, or the same error); anything else is left to sqlite-utils."""
    sql = prefix + keyword + rest

    def outcome(db: DeferredDatabase | Database) -> tuple[str, object]:
        try:
            return "rows", list(db.query(sql))
        except (ValueError, sqlite3.Error) as exc:
            return "error", type(exc).__name__

    def memory() -> sqlite3.Connection:
        conn = sqlite3.connect(":memory:")
        conn.executescript("CREATE TABLE days (date TEXT); INSERT INTO days VALUES ('2026-01-02');")
        return conn

    if is_select(sql):
        ours = DeferredDatabase(memory())
        assert outcome(ours) == outcome(Database(memory(), execute_plugins=False))
        assert not ours.conn.in_transaction
    if keyword.upper() != "SELECT" or rest[:1].isalnum():
        assert not is_select(sql)
    assert not is_select("WITH x AS (SELECT 1) DELETE FROM days")


def test_opening_and_reading_a_day_never_imports_sqlite_utils(db_path: Path) -> None:
    """The start-up path: open the diary, read what Today shows, save the day."""
    script = f"""
import sys
from diazlog.store.queries import days
from diazlog.store import open_database
from diazlog.store.queries import days, flags, medications, symptoms, taper
from diazlog.store.queries.freshness import data_version
from diazlog.store.queries.settings import get_setting
from diazlog.store.queries.welcome import is_empty_diary
db = open_database({str(db_path)!r})
symptoms.list_symptoms(db)
day = days.load_day(db, "2026-11-25")
medications.medications_by_id(db)
flags.inputs_for_day(db, "2026-11-25", None)
taper.diazepam_plan_for(db, "2026-11-25")
get_setting(db, "theme")
is_empty_diary(db)
data_version(db)
print("after reads:", "sqlite_utils" in sys.modules)
from diazlog.domain.models import DayLog
from datetime import datetime
days.save_day(db, DayLog(date="2026-11-25", note="x"), datetime(2026, 11, 25, 21, 0))
print("after save:", "sqlite_utils" in sys.modules)
from diazlog.store.queries.settings import set_setting
set_setting(db, "theme", "textual-light")
print("after a setting:", "sqlite_utils" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    # Saving a day writes through the raw connection in one IMMEDIATE transaction, so it
    # needs no sqlite-utils either; a write through db.execute does.
    assert out.splitlines() == ["after reads: False", "after save: False", "after a setting: True"]
    saved = days.load_day(open_database(db_path), "2026-11-25")
    assert saved is not None and saved.note == "x"


def test_open_database_hands_out_a_deferred_database(db_path: Path) -> None:
    db = open_database(db_path)
    assert isinstance(db, DeferredDatabase)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
