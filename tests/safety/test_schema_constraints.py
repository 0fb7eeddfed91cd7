"""The open-time schema check compares constraints, not only column names: a diary whose
tables or indexes would make a write do something else (replace, refuse, cascade) is refused
at open, `restore` and `import`, while every real diary, however its SQL is spelled, opens."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file.errors import NotADiazlogDatabase
from diazlog.store.file.schema import MIGRATIONS
from diazlog.store.file.schema_check import foreign_objects
from diazlog.store.file.schema_shape import clauses, tokens

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def invoke(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def rebuild(db_path: Path, table: str, old: str, new: str) -> Path:
    """Re-create `table` with `old` replaced by `new` in its SQL, rows kept: what a hostile
    tool (or a careless hand) does to a diary's table."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
    assert old in sql, sql
    indexes = conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL",
        [table],
    ).fetchall()
    conn.execute("BEGIN")
    conn.execute(sql.replace(old, new).replace(f"CREATE TABLE {table}", "CREATE TABLE rebuilt", 1))
    columns = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(rebuilt)"))  # not generated
    conn.execute(f"INSERT INTO rebuilt ({columns}) SELECT {columns} FROM {table}")
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE rebuilt RENAME TO {table}")
    for (statement,) in indexes:
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()
    return db_path


def run(db_path: Path, *statements: str) -> Path:
    conn = sqlite3.connect(db_path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return db_path


HOSTILE_TABLES = [
    (
        "ratings",
        "PRIMARY KEY (date, symptom_id)",
        "PRIMARY KEY (date, symptom_id) ON CONFLICT REPLACE",
    ),
    (
        "ratings",
        "PRIMARY KEY (date, symptom_id)",
        "PRIMARY KEY (date, symptom_id), UNIQUE (date) ON CONFLICT REPLACE",
    ),
    ("days", "note TEXT NOT NULL DEFAULT ''", "note TEXT NOT NULL DEFAULT 'x'"),
    ("days", "updated_at TEXT NOT NULL", "updated_at TEXT NOT NULL CHECK (length(note) < 5)"),
    ("ratings", "intensity BETWEEN 0 AND 10", "intensity BETWEEN 0 AND 9"),
    ("ratings", "legs TEXT CHECK (legs IN ('left', 'right', 'both'))", "legs TEXT"),
    ("symptoms", "key TEXT NOT NULL UNIQUE", "key TEXT NOT NULL"),
    ("symptoms", "key TEXT NOT NULL UNIQUE", "key TEXT NOT NULL UNIQUE COLLATE NOCASE"),
    (
        "days",
        "note TEXT NOT NULL DEFAULT ''",
        "note TEXT NOT NULL DEFAULT '' REFERENCES symptoms(key)",
    ),
    ("days", "note TEXT NOT NULL DEFAULT ''", "note TEXT GENERATED ALWAYS AS ('') VIRTUAL"),
    ("days", "sleep_hours REAL", "sleep_hours TEXT"),
    ("ratings", "onset TEXT", "onset TEXT NOT NULL DEFAULT ''"),
    ("ratings", "REFERENCES days(date) ON DELETE CASCADE", "REFERENCES days(date)"),
    ("ratings", ") WITHOUT ROWID", ")"),
]


@pytest.mark.parametrize(("table", "old", "new"), HOSTILE_TABLES)
def test_a_table_with_other_constraints_is_refused_untouched(
    db_path: Path, table: str, old: str, new: str
) -> None:
    rebuild(db_path, table, old, new)
    before = db_path.read_bytes()
    with pytest.raises(NotADiazlogDatabase, match=f"table '{table}' with other"):
        open_database(db_path)
    result = invoke(db_path, "log", "leg_pain=3")
    assert result.exit_code == 2 and f"table '{table}' with other" in result.output
    assert db_path.read_bytes() == before


HOSTILE_INDEXES = [
    ("CREATE UNIQUE INDEX one_a_day ON ratings(date)", "index 'one_a_day'"),
    ("CREATE INDEX some ON days(note) WHERE note != ''", "index 'some'"),
    ("CREATE UNIQUE INDEX by_name ON symptoms(name COLLATE NOCASE)", "index 'by_name'"),
    (
        "DROP INDEX ratings_by_symptom; "
        "CREATE UNIQUE INDEX ratings_by_symptom ON ratings(symptom_id, date) WHERE intensity > 0",
        "index 'ratings_by_symptom' with another definition",
    ),
    (
        "DROP INDEX ratings_by_symptom; CREATE INDEX ratings_by_symptom ON ratings(date)",
        "index 'ratings_by_symptom' with another definition",
    ),
]


@pytest.mark.parametrize(("script", "named"), HOSTILE_INDEXES)
def test_a_unique_partial_or_changed_index_is_refused(
    db_path: Path, script: str, named: str
) -> None:
    run(db_path, *script.split("; "))
    with pytest.raises(NotADiazlogDatabase, match="did not make") as refused:
        open_database(db_path)
    assert named in str(refused.value)


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p,
        lambda p: run(p, "CREATE INDEX mine ON days(note, date)"),  # plain: only speeds reads
        lambda p: rebuild(p, "days", "date TEXT PRIMARY KEY", '"date"   text\n PRIMARY  KEY'),
        lambda p: rebuild(
            p,
            "ratings",
            "CHECK (intensity BETWEEN 0 AND 10)",
            "check(intensity between 0 and 10) /* 0..10 */",
        ),
        lambda p: rebuild(p, "symptoms", "name TEXT NOT NULL", "[name] TEXT NOT NULL"),
    ],
    ids=["fresh", "plain-index", "spelling", "case-comment", "brackets"],
)
def test_a_real_diary_however_spelled_opens(db_path: Path, change) -> None:
    change(db_path)
    open_database(db_path).close()
    assert invoke(db_path, "log", "leg_pain=3").exit_code == 0


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-v*.db")), ids=lambda p: p.stem)
def test_every_fixture_upgraded_by_migrations_is_accepted(fixture: Path, tmp_path: Path) -> None:
    copy = tmp_path / "diazlog.db"
    shutil.copyfile(fixture, copy)
    conn = sqlite3.connect(copy)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert foreign_objects(conn, MIGRATIONS[:version]) == []  # as it is, before migrating
    conn.close()
    open_database(copy).close()  # migrates to the latest
    conn = sqlite3.connect(copy)
    assert foreign_objects(conn, MIGRATIONS) == []
    conn.close()


def test_restore_and_import_refuse_a_diary_with_other_constraints(
    db_path: Path, tmp_path: Path, new_diary
) -> None:
    assert invoke(db_path, "log", "leg_pain=4").exit_code == 0
    backup = rebuild(
        new_diary(tmp_path / "other" / "backup.db"),
        "ratings",
        "PRIMARY KEY (date, symptom_id)",
        "PRIMARY KEY (date, symptom_id) ON CONFLICT REPLACE",
    )
    before = db_path.read_bytes()
    result = invoke(db_path, "restore", str(backup))
    assert result.exit_code == 2 and "table 'ratings' with other constraints" in result.output
    assert db_path.read_bytes() == before
    export = tmp_path / "export"
    assert invoke(db_path, "export", "--out", str(export)).exit_code == 0
    result = invoke(backup, "import", str(export))
    assert result.exit_code == 2 and "table 'ratings' with other constraints" in result.output


def test_tokens_ignore_case_quoting_whitespace_and_comments_but_not_strings() -> None:
    assert tokens('CREATE  TABLE "Days" (\n a TEXT) -- x') == tokens("create table [days] (a text)")
    assert tokens("DEFAULT 'A'") != tokens("default 'a'")
    assert clauses("CREATE TABLE t (a UNIQUE ON CONFLICT REPLACE CHECK (a > 1))") == (
        ("check", "(", "a", ">", "1", ")"),
        ("on conflict", "replace"),
        ("options",),
    )
