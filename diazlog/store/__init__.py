"""All SQL lives here, in two rooms that import one way:

- `store/file/`: the diary file itself (opening, encryption, backups, integrity, the schema and
  its migrations, locks, atomic writes, the write transaction). It imports nothing from
  `queries`, so the file layer can be read and changed alone.
- `store/queries/`: the rows (days, medicines, taper plans, questions, drafts, chart series):
  functions that take an open sqlite_utils Database and return domain dataclasses.

Neither imports Textual, click or a screen (tests/safety/test_import_layers.py checks it).
"""

from diazlog.store.file.connection import open_database
from diazlog.store.file.errors import StoreError

__all__ = ["StoreError", "open_database"]
