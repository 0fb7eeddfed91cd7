"""The SQLite exception classes to catch, whichever driver opened the connection.

The standard library's `sqlite3` is the only driver of a plain diary. An encrypted one is
opened with `sqlcipher3`, whose classes are not subclasses of `sqlite3`'s; importing it (only
on the encrypted path, store/cipher.py) adds its classes to these tuples. They are looked up
when an exception is raised (`except sqlerrors.DatabaseError:` reads the module attribute
then), so a handler written before the import still catches both.
"""

from __future__ import annotations

import sqlite3
from types import ModuleType

ErrorClasses = tuple[type[Exception], ...]

Error: ErrorClasses = (sqlite3.Error,)
DatabaseError: ErrorClasses = (sqlite3.DatabaseError,)
OperationalError: ErrorClasses = (sqlite3.OperationalError,)
IntegrityError: ErrorClasses = (sqlite3.IntegrityError,)


def add_driver(dbapi2: ModuleType) -> None:
    """Catch the classes of another DB-API module built on SQLite (sqlcipher3.dbapi2) too."""
    global Error, DatabaseError, OperationalError, IntegrityError
    if dbapi2.Error in Error:
        return
    Error = (*Error, dbapi2.Error)
    DatabaseError = (*DatabaseError, dbapi2.DatabaseError)
    OperationalError = (*OperationalError, dbapi2.OperationalError)
    IntegrityError = (*IntegrityError, dbapi2.IntegrityError)


def is_damage(exc: BaseException) -> bool:
    """A bare DatabaseError ("malformed", "not a database"), not one of its subclasses
    (IntegrityError & co. are bugs, OperationalError a lock or a full disk)."""
    return type(exc) in DatabaseError


# OperationalError messages that are about the file's content, not a lock or a full disk: a
# flipped byte in the schema's text ("Could not decode to UTF-8 column 'sql'"), a schema
# that no longer parses, pages that do not add up.
_DAMAGE_WORDS = ("could not decode", "malformed", "not a database", "corrupt")


def reads_as_damage(exc: BaseException) -> bool:
    """Whether an SQLite error means the diary's content is damaged (so the user is pointed
    at a backup, not asked whether the disk is full)."""
    if is_damage(exc):
        return True
    return isinstance(exc, OperationalError) and any(
        word in str(exc).lower() for word in _DAMAGE_WORDS
    )
