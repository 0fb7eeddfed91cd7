"""Export every table to CSV or JSON files that `diazlog import` takes back unchanged.

One file per table (`days.csv` or `days.json`, headers / keys are the column names, dates ISO
as stored) plus `diazlog-export.json`, a manifest with the schema version and row counts so an
import can tell a cut-short or newer export from a good one. Every file is written whole or not
at all, readable by the user alone.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diazlog.store import schema
from diazlog.store.backup import check_folder_writable
from diazlog.store.privacy import FILE_MODE, private_folder
from diazlog.store.transfer import Table, read_rows, tables

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMATS = ("csv", "json")
MANIFEST = "diazlog-export.json"
APP_TAG = "diazlog"


class ExportFailed(Exception):
    """The folder could not be written (full disk, read-only, a file in the way)."""


def export(
    db: Database,
    out_dir: Path,
    fmt: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write every table of `db` into `out_dir` as `fmt`; returns the files written.

    All tables are read inside one read transaction, so the files agree with each other even
    while the app saves a day meanwhile.
    """
    if fmt not in FORMATS:
        raise ExportFailed(f"unknown format '{fmt}': use csv or json")
    out_dir = Path(out_dir).expanduser()
    try:
        check_folder_writable(out_dir)
        private_folder(out_dir)
    except OSError as exc:
        raise ExportFailed(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    if not out_dir.is_dir():
        raise ExportFailed(f"{out_dir} is not a folder")
    written: list[Path] = []
    counts: dict[str, int] = {}
    db.execute("BEGIN")
    try:
        for table in tables(db):
            rows = list(read_rows(db, table))
            counts[table.name] = len(rows)
            text = _as_csv(table, rows) if fmt == "csv" else _as_json(rows)
            written.append(_write(out_dir / f"{table.name}.{fmt}", text))
            if progress is not None:
                progress(len(rows))
    finally:
        db.execute("COMMIT")
    manifest = {
        "app": APP_TAG,
        "schema_version": schema.LATEST_VERSION,
        "format": fmt,
        "exported_at": now.isoformat(timespec="seconds"),
        "tables": counts,
    }
    written.append(_write(out_dir / MANIFEST, json.dumps(manifest, indent=2) + "\n"))
    return written


def _as_csv(table: Table, rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in table.column_names])
    return buffer.getvalue()


def _as_json(rows: list[dict[str, Any]]) -> str:
    """A JSON array with one row per line: readable, diffable, and errors can name a line."""
    if not rows:
        return "[]\n"
    lines = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
    return f"[\n{lines}\n]\n"


def _write(path: Path, text: str) -> Path:
    """Write to a temporary file beside `path`, then rename: a full disk leaves no half file."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportFailed(f"cannot write in {path.parent}: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ExportFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
