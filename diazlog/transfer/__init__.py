"""Moving a diary's rows in and out: export to CSV / JSON folders, import them back, check rows.

`tables` knows the tables and writes merged rows inside one write transaction; `export` and
`importer` are the two directions; `rowcheck` validates each incoming value.
"""
