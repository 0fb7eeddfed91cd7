"""The diary file: opening, encryption, backups, integrity, schema and its migrations, locks,
atomic writes and the write transaction.

This room knows the file, never what is in its rows: it imports nothing from
`diazlog.store.queries` (nor Textual), so the file layer can be read, tested and changed alone.
"""
