"""The shape of one table or index as SQLite enforces it: what a schema check must compare.

Column names alone let a hostile diary through: `UNIQUE … ON CONFLICT REPLACE` on `ratings`
made a `log` delete a rating, and restore accepted it. What changes what a write does is the
columns' types, NOT NULL, DEFAULT and generated expressions, the primary key, the UNIQUE and
CHECK constraints, their ON CONFLICT clauses, collations, foreign keys, and unique or partial
indexes. Most of that SQLite reports through PRAGMAs (table_xinfo, index_list, index_xinfo,
foreign_key_list); CHECK bodies, ON CONFLICT and COLLATE it does not, so those are read from
the table's SQL as tokens (case, quoting, whitespace and comments do not count). Comparing the
parts rather than the whole text keeps a real diary whose SQL differs only in spelling.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|$)"""
    r"""|[A-Za-z_][A-Za-z_0-9$]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|<=|>=|<>|!=|==|\|\||\S""",
    re.S,
)


def tokens(sql: str) -> tuple[str, ...]:
    """SQL as tokens: words and quoted names lower-cased and unquoted, strings kept as they
    are, comments dropped; so `"Days"`, `[days]` and `DAYS` are one name."""
    out: list[str] = []
    for tok in _TOKEN.findall(sql or ""):
        if tok.startswith(("--", "/*")):
            continue
        if tok[0] in '"`':
            tok = tok[1:-1].replace(tok[0] * 2, tok[0]).lower()
        elif tok[0] == "[":
            tok = tok[1:-1].lower()
        elif tok[0] != "'":
            tok = tok.lower()
        out.append(tok)
    return tuple(out)


def _group(toks: tuple[str, ...], start: int) -> tuple[str, ...]:
    """The balanced parenthesised group that opens at toks[start] ('(')."""
    depth = 0
    for end in range(start, len(toks)):
        depth += {"(": 1, ")": -1}.get(toks[end], 0)
        if depth == 0:
            return toks[start : end + 1]
    return toks[start:]


def clauses(sql: str) -> tuple[tuple[str, ...], ...]:
    """What the PRAGMAs do not report, sorted: each CHECK with its expression, each ON
    CONFLICT resolution, each COLLATE, AUTOINCREMENT, and the table options after the
    column list (WITHOUT ROWID, STRICT)."""
    toks = tokens(sql)
    found: list[tuple[str, ...]] = []
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if tok == "check" and nxt == "(":
            found.append(("check", *_group(toks, i + 1)))
        elif tok == "conflict" and i and toks[i - 1] == "on":
            found.append(("on conflict", nxt))
        elif tok == "collate":
            found.append(("collate", nxt))
        elif tok == "autoincrement":
            found.append(("autoincrement",))
    opening = toks.index("(") if "(" in toks else len(toks)
    body = _group(toks, opening) if opening < len(toks) else ()
    found.append(("options", *toks[opening + len(body) :]))
    return tuple(sorted(found))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _index_columns(conn: Any, index: str) -> tuple[tuple[Any, ...], ...]:
    rows = conn.execute(f"PRAGMA index_xinfo({_quoted(index)})").fetchall()
    # (column name or expression marker, descending, collation) of the key columns only
    return tuple(
        (r[2], r[1] if r[2] is None else None, r[3], str(r[4]).lower()) for r in rows if r[5]
    )


def table_shape(conn: Any, name: str, sql: str) -> tuple[Any, ...]:
    """Everything about table `name` that decides what a write to it does."""
    q = _quoted(name)
    columns = tuple(
        (r[1].lower(), (r[2] or "").upper(), r[3], tokens(r[4] or ""), r[5], r[6])
        for r in conn.execute(f"PRAGMA table_xinfo({q})").fetchall()
    )
    keys = tuple(
        sorted(
            (r[2].lower(), r[3].lower(), (r[4] or "").lower(), r[5], r[6], r[7])
            for r in conn.execute(f"PRAGMA foreign_key_list({q})").fetchall()
        )
    )
    own_indexes = tuple(
        sorted(
            (r[2], r[3], r[4], _index_columns(conn, r[1]))
            for r in conn.execute(f"PRAGMA index_list({q})").fetchall()
            if r[3] != "c"  # from the table's own UNIQUE / PRIMARY KEY; created ones: index_shape
        )
    )
    return (columns, keys, own_indexes, clauses(sql))


def index_shape(conn: Any, name: str, sql: str) -> tuple[Any, ...]:
    """A created index as it is enforced: its SQL as tokens (table, columns, UNIQUE, WHERE)."""
    return tokens(sql)


def is_plain_index(sql: str) -> bool:
    """An index that only speeds up reads: not UNIQUE, not partial (no WHERE). Such an index
    changes no write's outcome, so one the user (or a tool) added is let be."""
    toks = tokens(sql)
    return "unique" not in toks[:3] and "where" not in toks
