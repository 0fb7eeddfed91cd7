"""A sqlite-utils Database whose import waits until the app needs more than plain reads.

Importing sqlite_utils costs about 45 ms (its plugin manager scans every installed
package's entry points; it pulls in dateutil and click), which is a fifth of a bare
Textual app's whole start-up. Opening the diary and drawing Today only runs SELECTs, so
`DeferredDatabase` answers `query()` and `execute()` of a SELECT itself, exactly as
sqlite-utils would for a statement that returns rows, and builds the real
`sqlite_utils.Database` on the same connection the first time anything else is asked
for: a write through `execute()`, `atomic()`, `table()`, any other attribute. (Saving a
day writes through the raw connection in `store.transactions.writing`, so it needs none.)
The app imports sqlite-utils in a worker once the user starts changing something
(`DiazlogApp.prepare_for_writes`), so a later write does not wait for the import either.
"""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

Params = Sequence[Any] | dict[str, Any] | None


def is_select(sql: str) -> bool:
    """A statement that only reads: starts with SELECT (after whitespace and comments)."""
    text = sql.lstrip()
    while text.startswith("--"):
        text = text.partition("\n")[2].lstrip()
    return text[:6].upper() == "SELECT" and (len(text) == 6 or not text[6].isalnum())


class DeferredDatabase:
    """Stands in for `sqlite_utils.Database(conn)` until more than a SELECT is needed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._database: Database | None = None
        self._closed = False
        self._owner_gone: weakref.finalize[Any, DeferredDatabase] | None = None
        self._fold: Callable[[], bool] | None = None
        # Set by open_database: the diary's file and what it was (store/identity.py).
        self.path: Any = None
        self.identity: Any = None

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        if self._database is not None or not is_select(sql):
            return self.database.query(sql, params)
        cursor = self.execute(sql, params)
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) < len(keys):  # sqlite-utils renames duplicate columns: let it
            return self.database.query(sql, params)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        if self._database is not None or not is_select(sql):
            return self.database.execute(sql, parameters)
        # A SELECT never opens a transaction, so there is nothing for sqlite-utils to
        # roll back if it fails: the plain call is what Database.execute would do.
        return self.conn.execute(sql, parameters if parameters is not None else ())

    @property
    def database(self) -> Database:
        """The real sqlite-utils Database on this connection (imported on first use)."""
        if self._database is None:
            from sqlite_utils import Database

            self._database = Database(self.conn, execute_plugins=False)
        return self._database

    def __getitem__(self, table_name: str) -> Any:
        return self.database[table_name]

    def close(self) -> None:
        """Fold the WAL into the file and close (store/closing.py); twice is harmless."""
        if self._closed:
            return
        self._closed = True
        from diazlog.store.file.closing import fold_and_close

        try:
            if self._fold is None or self._fold():
                fold_and_close(self.conn)
            else:
                self.conn.close()
        finally:
            if self._owner_gone is not None:
                self._owner_gone()  # runs the callback, once

    @property
    def closed(self) -> bool:
        return self._closed

    def when_closed(
        self, callback: Callable[[], None], fold: Callable[[], bool] | None = None
    ) -> None:
        """Run `callback` once this Database is closed, or dropped without close() (or still
        open at exit). Dropped, its connection may live on in a cursor still being read;
        SQLite closes it when Python frees it, folding the WAL then if it is the last one.
        `fold`: whether close() should fold the WAL in (open_database: when this is the
        process's last connection to the diary; a worker's close while the app's own stays
        open must not, as a checkpoint reads as a change to the app's other connections)."""
        self._owner_gone = weakref.finalize(self, callback)
        self._fold = fold

    def __getattr__(self, name: str) -> Any:
        # Only called for what this class does not define: atomic(), table(), ... Private
        # names are never sqlite-utils API (and asking for them here could recurse).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.database, name)


def import_sqlite_utils() -> None:
    """Import sqlite-utils ahead of need (a worker thread runs this while the UI is idle).

    Only the import: building the Database runs a PRAGMA, which stays on the thread that
    uses the connection.
    """
    import sqlite_utils  # noqa: F401
