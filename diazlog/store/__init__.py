"""All SQL lives here. Functions take a sqlite_utils Database and return domain dataclasses."""

from diazlog.store.connection import open_database
from diazlog.store.errors import StoreError

__all__ = ["StoreError", "open_database"]
