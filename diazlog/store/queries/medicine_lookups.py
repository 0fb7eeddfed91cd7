"""The diary's cache of what the drug-name library said about names the tables lack.

The library takes seconds to import (domain.drug_library), so each new name is looked up once
and its answer (generics, or a did-you-mean guess, or nothing) kept in `medicine_lookups`;
after that the name resolves from here, in microseconds, without importing the library.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from diazlog.domain.drug_library import LibraryAnswer, library_key
from diazlog.domain.name_resolution import Resolution, from_library, from_tables
from diazlog.store.file.errors import StoreError
from diazlog.store.file.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

# The library, or a stand-in: None means "not now" (nothing is cached; asked again later).
LookUp = Callable[[str], LibraryAnswer | None]


def not_now(name: str) -> None:
    """A LookUp for the UI thread: never loads the library (a worker asks it afterwards)."""
    return None


def _library(name: str) -> LibraryAnswer | None:
    """The real library, imported on first use only; None when it could not answer."""
    from diazlog.domain.drug_library import look_up_safely

    return look_up_safely(name)


def cached_answer(db: Database, name: str) -> LibraryAnswer | None:
    """The stored answer for `name`, None when the library was never asked."""
    key = library_key(name)
    if not key:
        return LibraryAnswer()
    row = db.execute(
        "SELECT generics, suggestion FROM medicine_lookups WHERE name = ?", [key]
    ).fetchone()
    if row is None:
        return None
    generics = tuple(g for g in (row[0] or "").split(",") if g)
    return LibraryAnswer(generics, row[1] or None)


def store_answer(db: Database, name: str, answer: LibraryAnswer) -> None:
    """Keep the library's answer for `name` (a read-only diary just doesn't keep it)."""
    key = library_key(name)
    if not key:
        return
    try:
        with writing(db):
            db.execute(
                "INSERT OR REPLACE INTO medicine_lookups (name, generics, suggestion, "
                "looked_up_at) VALUES (?, ?, ?, ?)",
                [
                    key,
                    ",".join(answer.generics),
                    answer.suggestion,
                    datetime.now().isoformat(timespec="seconds"),
                ],
            )
    except StoreError:
        pass  # read-only: the answer is still used, just looked up again next time


def known(db: Database, name: str) -> Resolution | None:
    """What `name` resolves to from the tables or the cache; None when only the library could
    say. Never imports the library: safe on the way to the first frame and on the UI thread."""
    found = from_tables(name)
    if found is not None:
        return found
    answer = cached_answer(db, name)
    if answer is None:
        return None
    return from_library(name, answer.generics, answer.suggestion)


def resolve(db: Database, name: str, *, look_up: LookUp = _library) -> Resolution:
    """What `name` resolves to: tables, then cache, then the library (its answer cached)."""
    found = known(db, name)
    if found is not None:
        return found
    answer = look_up(name)
    if answer is None:
        return Resolution(name)  # not asked now: unrecognised until a worker asks
    store_answer(db, name, answer)
    return from_library(name, answer.generics, answer.suggestion)
