"""`python -m tests.support.traced SQL ARGS...`: diazlog's command line that says
`reached: SQL` on stderr (flushed) as a statement starting with SQL begins to run.

A race test acts on that line instead of sleeping and hoping the child got there: the
child has done everything before that statement, and if the test holds the lock the
statement needs, the child is certain to wait for it."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from typing import Any


def announcing(sql: str, connect: Callable[..., sqlite3.Connection]) -> Callable[..., Any]:
    """sqlite3.connect, whose connections say when a statement starting with `sql` runs."""

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)

        def trace(statement: str) -> None:
            if statement.lstrip().startswith(sql):
                print(f"reached: {sql}", file=sys.stderr, flush=True)

        conn.set_trace_callback(trace)
        return conn

    return traced


def main() -> None:
    sql, args = sys.argv[1], sys.argv[2:]
    sqlite3.connect = announcing(sql, sqlite3.connect)  # type: ignore[assignment]
    sys.argv = ["diazlog", *args]
    from diazlog.launch import main as diazlog_main

    diazlog_main()


if __name__ == "__main__":
    main()
