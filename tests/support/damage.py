"""Make a damaged diary the way a failing disk does: one flipped byte inside one data page."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def leaf_page(path: Path, table: str) -> tuple[int, int, int]:
    """(page number, page size, cells) of a leaf page holding rows of `table` (via dbstat)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        page, cells = conn.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' AND ncell > 2 "
            "ORDER BY pageno LIMIT 1",
            (table,),
        ).fetchone()
    finally:
        conn.close()
    return page, size, cells


def flip_a_byte(path: Path, table: str) -> int:
    """Flip the high byte of the middle cell pointer of a leaf page of `table` (its rows are
    there, but one points into the wrong place); returns the page number."""
    page, size, cells = leaf_page(path, table)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    offset = (page - 1) * size + 8 + 2 * (cells // 2)  # leaf header is 8 bytes, then pointers
    data[offset] ^= 0x0F
    path.write_bytes(bytes(data))
    return page
