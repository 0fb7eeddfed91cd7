"""transfer.tables finds the diary's tables through sqlite-utils: the same tables, columns,
primary keys and parent-first order that SQLite's own PRAGMAs give, and never a commit of its
own inside the import's transaction."""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from diazlog.store.file.transactions import writing
from diazlog.transfer.tables import DERIVED_TABLES, tables


def pragma_tables(conn: sqlite3.Connection) -> dict[str, list[tuple[str, str, bool, bool, bool]]]:
    """The oracle: each table's columns read straight from sqlite_master and PRAGMA table_info
    as (name, INTEGER/REAL/TEXT, not null, has default, in the primary key)."""
    found = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if name.startswith("sqlite_") or name in DERIVED_TABLES:
            continue
        columns = []
        for _cid, col, declared, not_null, default, pk in conn.execute(
            f"PRAGMA table_info([{name}])"
        ):
            kind = declared.upper()
            kind = "INTEGER" if "INT" in kind else "REAL" if "REAL" in kind else "TEXT"
            columns.append((col, kind, bool(not_null), default is not None, bool(pk)))
        found[name] = columns
    return found


def test_the_tables_and_columns_are_those_sqlite_reports(db: Database) -> None:
    found = {
        t.name: [(c.name, c.type, c.not_null, c.has_default, c.pk) for c in t.columns]
        for t in tables(db)
    }
    assert found == pragma_tables(db.conn)
    assert "days" in found and not set(DERIVED_TABLES) & set(found)


def test_parents_come_before_the_tables_that_point_at_them(db: Database) -> None:
    order = [t.name for t in tables(db)]
    for table in order:
        for _id, _seq, parent, *_ in db.conn.execute(f"PRAGMA foreign_key_list([{table}])"):
            if parent != table:
                assert order.index(parent) < order.index(table), (parent, table)


def test_an_own_schema_with_a_cycle_and_sqlite_tables_is_read_whole() -> None:
    """Tables that point at each other still all come (the loop is broken, not looped on);
    SQLite's own tables (sqlite_sequence) and the derived ones never do."""
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    db.conn.executescript(
        """
        CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT,
                            parent_id INTEGER REFERENCES parent(id));
        CREATE TABLE parent (id INTEGER PRIMARY KEY, note TEXT NOT NULL DEFAULT '');
        CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id));
        CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));
        CREATE TABLE pair (x TEXT, y REAL, PRIMARY KEY (x, y));
        CREATE TABLE medicine_lookups (name TEXT PRIMARY KEY);
        INSERT INTO child (parent_id) VALUES (NULL);
        """
    )
    order = [t.name for t in tables(db)]
    assert sorted(order) == ["a", "b", "child", "pair", "parent"]
    assert order.index("parent") < order.index("child")
    by_name = {t.name: t for t in tables(db)}
    assert by_name["pair"].pks == ("x", "y")
    assert by_name["parent"].column("note") is not None
    assert by_name["parent"].column("note").has_default  # type: ignore[union-attr]


def test_finding_the_tables_inside_the_import_transaction_commits_nothing(db: Database) -> None:
    """A write made before tables() in the same writing() block is still rolled back when the
    block fails: sqlite-utils' reads neither commit nor end the transaction."""
    before = db.conn.execute("SELECT count(*) FROM settings").fetchone()[0]
    with pytest.raises(RuntimeError), writing(db):
        db.conn.execute("INSERT INTO settings (key, value) VALUES ('probe', 'x')")
        tables(db)
        assert db.conn.in_transaction
        raise RuntimeError("roll back")
    assert db.conn.execute("SELECT count(*) FROM settings").fetchone()[0] == before
