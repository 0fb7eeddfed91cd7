"""Rows of another diary's export get ids of their own instead of being dropped as clashes.

Two diaries number their rows from 1 each, so another diary's medicine 3 is not our medicine 3:
merging it by id would resolve a "conflict" between unrelated rows and keep one of them (the
review saw rows dropped as "kept as newer"). When the export's manifest names another diary
(store/diary_id.py), each row of a table keyed by an integer id is matched to ours by what it
is, not by its number:

1. a stored row with the same value in a UNIQUE column (a symptom's key) is the same thing,
   merged with it as usual (the newer stamp wins);
2. a stored row with the same content (every column but the id and the stamp) is the same
   row: nothing to add (so importing the same export twice adds nothing the second time);
3. otherwise it is new: it keeps its id if that is free, else takes the next free one.

Columns that point at such a table (a dose's medication_id, a rating's symptom_id) follow their
row's new id; the export lists parents before children, so the id is known by then.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from diazlog.transfer.tables import STAMP, IncomingRow, Table


class Renumber:
    """Maps another diary's ids to ours, table by table, within one merge transaction."""

    def __init__(self, conn: sqlite3.Connection, tables: dict[str, Table]) -> None:
        self.conn = conn
        self.ids: dict[str, dict[Any, Any]] = {}  # table -> their id -> our id
        self.refs: dict[str, list[tuple[str, str]]] = {}  # table -> (column, parent table)
        self.uniques: dict[str, list[tuple[str, ...]]] = {}
        for name in tables:
            self.refs[name] = [
                (r[3], r[2])
                for r in conn.execute(f"PRAGMA foreign_key_list([{name}])").fetchall()
                if r[2] in tables and _id_column(tables[r[2]]) and r[4] in (None, "id")
            ]
            self.uniques[name] = [
                cols
                for r in conn.execute(f"PRAGMA index_list([{name}])").fetchall()
                if r[2] and r[3] == "u"
                for cols in [
                    tuple(i[2] for i in conn.execute(f"PRAGMA index_info([{r[1]}])").fetchall())
                ]
            ]

    def translate(self, table: Table, row: IncomingRow) -> IncomingRow:
        """`row` with its references and (for an id-keyed table) its own id made ours."""
        values = dict(row.values)
        for column, parent in self.refs.get(table.name, []):
            if values.get(column) in self.ids.get(parent, {}):
                values[column] = self.ids[parent][values[column]]
        pk = _id_column(table)
        if pk is None or values.get(pk) is None:
            return replace(row, values=values)
        theirs = values[pk]
        ours = self._same_thing(table, pk, values)
        if ours is None:
            taken = self.conn.execute(
                f"SELECT 1 FROM [{table.name}] WHERE [{pk}] = ?", [theirs]
            ).fetchone()
            ours = self._next_id(table, pk) if taken else theirs
        self.ids.setdefault(table.name, {})[theirs] = ours
        values[pk] = ours
        return replace(row, values=values)

    def _same_thing(self, table: Table, pk: str, values: dict[str, Any]) -> Any:
        for cols in self.uniques.get(table.name, []):
            if pk not in cols and all(values.get(c) is not None for c in cols):
                found = self._find(table, pk, {c: values[c] for c in cols})
                if found is not None:
                    return found
        content = {c: v for c, v in values.items() if c not in (pk, STAMP)}
        return self._find(table, pk, content) if content else None

    def _find(self, table: Table, pk: str, match: dict[str, Any]) -> Any:
        # '=' where there is a value (it can use an index), IS NULL where there is none
        where = " AND ".join(
            f"[{c}] IS NULL" if v is None else f"[{c}] = ?" for c, v in match.items()
        )
        args = [v for v in match.values() if v is not None]
        sql = f"SELECT [{pk}] FROM [{table.name}] WHERE {where} LIMIT 1"
        row = self.conn.execute(sql, args).fetchone()
        return row[0] if row else None

    def _next_id(self, table: Table, pk: str) -> int:
        row = self.conn.execute(f"SELECT coalesce(max([{pk}]), 0) + 1 FROM [{table.name}]")
        return int(row.fetchone()[0])


def _id_column(table: Table) -> str | None:
    """The table's integer id column (its rowid), or None for a table keyed by what it holds
    (days by date, settings by key), which two diaries share by meaning."""
    pks = [c for c in table.columns if c.pk]
    return pks[0].name if len(pks) == 1 and pks[0].type == "INTEGER" else None
