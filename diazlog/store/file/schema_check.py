"""Refuse a diary whose schema holds what diazlog did not put there.

A diary is a file anyone can hand over (`restore` takes it, a sync folder swaps it). SQLite runs
what its schema says: a trigger runs on our next write (one deleted every rating on a `log`),
a view or table named `../../x` would become a file name in an export. So at open (and on a
backup before `restore` uses it) every table, view and trigger is compared with the ones our
own migrations create at the file's schema version, built once per process in memory: a table
must be one of ours with exactly our columns and constraints (schema_shape.py: types,
defaults, CHECKs, UNIQUE and ON CONFLICT, foreign keys, generated columns; none of ours may be
missing), a view or trigger must not exist unless ours with our text. An index of ours must
keep its definition; one added by someone else is let be only if plain (not UNIQUE, not
partial), as such an index only speeds up reads. Text in the schema that is not UTF-8 (a
flipped byte) is damage, not a hostile file.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from diazlog.store.file.deferred import DeferredDatabase
from diazlog.store.file.schema_shape import index_shape, is_plain_index, table_shape

# Migrations are passed in (schema.MIGRATIONS[:version]) rather than imported: schema imports
# the store's write path, which opens files through connection.py, which calls this module.
Steps = tuple[Any, ...]

# SQLite's own objects: automatic indexes of UNIQUE/PRIMARY KEY, AUTOINCREMENT, ANALYZE.
_SQLITE_OWN = ("sqlite_autoindex_", "sqlite_sequence", "sqlite_stat")


class SchemaDamaged(Exception):
    """The schema's text cannot be read (str(exc) says where)."""


@dataclass(frozen=True)
class Expected:
    """What our migrations make at one version: table -> columns, view/trigger -> SQL."""

    tables: dict[str, tuple[str, ...]]
    code: dict[tuple[str, str], str]  # (type, name) -> whitespace-normalised SQL
    shapes: dict[str, tuple[Any, ...]]  # table -> schema_shape.table_shape
    indexes: dict[str, tuple[Any, ...]]  # created index -> schema_shape.index_shape


@lru_cache(maxsize=8)
def expected(steps: Steps) -> Expected:
    """Our schema after `steps` (the migrations up to a version), built by running them on an
    empty memory database; cached, so once per process and version."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        try:
            conn.execute("BEGIN")  # one transaction: 2.5x faster than a commit per statement
            for step in steps:
                step(_Executes(conn))  # type: ignore[arg-type]
            conn.execute("COMMIT")
        except AttributeError:  # a migration that needs more of sqlite-utils: the real one
            conn.close()
            conn = sqlite3.connect(":memory:")
            db = DeferredDatabase(conn).database
            for step in steps:
                step(db)
        return _objects(conn)
    finally:
        conn.close()


class _Executes:
    """Just `execute`, which our migrations use: importing sqlite-utils for this check would
    add ~100 ms to every start of the app."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.execute = conn.execute


def known_tables(steps: Steps) -> tuple[str, ...]:
    """The names of our tables: the only names an export may turn into file names."""
    return tuple(expected(steps).tables)


def _objects(conn: Any) -> Expected:
    tables: dict[str, tuple[str, ...]] = {}
    code: dict[tuple[str, str], str] = {}
    shapes: dict[str, tuple[Any, ...]] = {}
    indexes: dict[str, tuple[Any, ...]] = {}
    for kind, name, sql in _rows(conn):
        if kind == "table":
            tables[name] = _columns(conn, name)
            shapes[name] = table_shape(conn, name, sql)
        elif kind in ("view", "trigger"):
            code[kind, name] = _normal(sql)
        elif kind == "index" and sql:
            indexes[name] = index_shape(conn, name, sql)
    return Expected(tables, code, shapes, indexes)


def _rows(conn: Any) -> list[tuple[str, str, str]]:
    """(type, name, sql) of every object not SQLite's own; SchemaDamaged if not UTF-8."""
    found = []
    raw = conn.execute(
        "SELECT CAST(type AS BLOB), CAST(name AS BLOB), CAST(sql AS BLOB) FROM sqlite_master"
    ).fetchall()
    for kind_b, name_b, sql_b in raw:
        try:
            kind, name = bytes(kind_b or b"").decode(), bytes(name_b or b"").decode()
            sql = bytes(sql_b or b"").decode()
        except UnicodeDecodeError:
            shown = bytes(name_b or b"").decode("utf-8", "backslashreplace")
            raise SchemaDamaged(f"the schema's text of '{_shown(shown)}' is not UTF-8") from None
        if not name.startswith(_SQLITE_OWN):
            found.append((kind, name, sql))
    return found


def _columns(conn: Any, name: str) -> tuple[str, ...]:
    quoted = name.replace('"', '""')
    return tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{quoted}")').fetchall())


def _normal(sql: str) -> str:
    return " ".join(sql.split())


def _shown(text: str) -> str:
    """A name from the file, fit for one line on a terminal: controls as escapes, short."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def foreign_objects(conn: Any, steps: Steps) -> list[str]:
    """What the file holds that the migrations `steps` (up to its version) do not make, each
    named ("trigger 'wipe'", "table 'notes'", "table 'days' with other columns")."""
    ours = expected(steps)
    found: list[str] = []
    for kind, name, sql in _rows(conn):
        if kind == "table":
            if name not in ours.tables:
                found.append(f"table '{_shown(name)}'")
            elif _columns(conn, name) != ours.tables[name]:
                found.append(f"table '{_shown(name)}' with other columns")
            elif table_shape(conn, name, sql) != ours.shapes[name]:
                found.append(f"table '{_shown(name)}' with other constraints")
        elif kind in ("view", "trigger"):
            if ours.code.get((kind, name)) != _normal(sql):
                found.append(f"{kind} '{_shown(name)}'")
        elif kind == "index":
            if not sql:  # SQLite's own for a UNIQUE / PRIMARY KEY: part of its table's shape
                continue
            if name in ours.indexes:
                if index_shape(conn, name, sql) != ours.indexes[name]:
                    found.append(f"index '{_shown(name)}' with another definition")
            elif not is_plain_index(sql):
                found.append(f"index '{_shown(name)}' (unique or partial)")
        else:
            found.append(f"{_shown(kind)} '{_shown(name)}'")
    present = {name for kind, name, _sql in _rows(conn) if kind == "table"}
    found += [f"no table '{name}'" for name in ours.tables if name not in present]
    return found
