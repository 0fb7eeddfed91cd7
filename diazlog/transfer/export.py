"""Export every table to CSV or JSON files that `diazlog import` takes back unchanged.

One file per table (`days.csv` or `days.json`, headers / keys are the column names, dates ISO
as stored) plus `diazlog-export.json`, a manifest with the schema version, and per file its row
count and sha256, written last, so an import can tell a cut-short, edited or newer export from
a good one. The folder is written under a temporary name beside the target and renamed into
place when whole: a kill leaves the target absent (or the previous export), never half of one.
Readable by the user alone (folder 0700, files 0600).

CSV cells a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading `'`, as do
cells that already start with one, so import takes exactly one off and gets the text back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diazlog.store.file import schema
from diazlog.store.file.atomic import TEMP_TAG, fsync_path, make_temp_folder, temp_entries
from diazlog.store.file.backup import check_folder_writable
from diazlog.store.file.busy import held, in_use
from diazlog.store.file.diary_id import DIARY_ID_KEY, ensure_diary_id
from diazlog.store.file.faults import stop_at
from diazlog.store.file.pending import clear_registered, registered
from diazlog.store.file.privacy import FILE_MODE, private_folder
from diazlog.store.file.schema_check import known_tables
from diazlog.transfer.tables import Table, read_rows, tables

if TYPE_CHECKING:
    from sqlite_utils import Database

FORMATS = ("csv", "json")
MANIFEST = "diazlog-export.json"
APP_TAG = "diazlog"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREVIOUS = "previous"  # an earlier export, set aside inside a temporary folder
QUOTE = "'"  # the manifest's "csv_quote": import strips it only from exports that say so


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
    while the app saves a day meanwhile. An existing `out_dir` must be empty or exactly an
    earlier export, which is set aside only once the new one is whole (_check_target).
    """
    if fmt not in FORMATS:
        raise ExportFailed(f"unknown format '{fmt}': use csv or json")
    out_dir = Path(out_dir).expanduser()
    _check_target(out_dir)
    try:
        check_folder_writable(out_dir)
        private_folder(out_dir.parent)
        clear_stale_exports(out_dir)
        temp = make_temp_folder(out_dir)
    except OSError as exc:
        raise ExportFailed(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    diary = getattr(db, "path", None)  # the register beside it lists `temp` (store/pending.py)
    try:
        with registered(Path(diary) if diary else None, temp), held(temp):
            # held: a start meanwhile does not clear it away as a leftover
            files = _write_all(db, temp, fmt, now, progress)
            stop_at("export-written")
            _move_into_place(temp, out_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return [out_dir / f.name for f in files]


def _check_target(out_dir: Path) -> None:
    """Exports never delete: the target is new, empty, or an earlier export and nothing else
    (its manifest complete, every file listed there with its checksum, no other entry). A
    folder merely holding a file called diazlog-export.json is someone's folder."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise ExportFailed(f"{out_dir} is not a folder")
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    why = earlier_export_problem(out_dir)
    if why:
        raise ExportFailed(
            f"{out_dir} holds files that are not a diazlog export ({why}); nothing was "
            "written or deleted: choose a new folder"
        )


def earlier_export_problem(folder: Path) -> str:
    """Why `folder` is not exactly a whole earlier export ("" when it is one)."""
    manifest = folder / MANIFEST
    if manifest.is_symlink() or not manifest.is_file():
        return f"no {MANIFEST}"
    try:
        if manifest.stat().st_size > 1 << 20:
            return f"{MANIFEST} is too large"
        data = json.loads(manifest.read_text(encoding="utf-8"))
        files = data["files"]
        fmt = data["format"]
        ok = data["app"] == APP_TAG and fmt in FORMATS and isinstance(files, dict) and files
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return f"{MANIFEST} is not a diazlog manifest"
    if not ok:
        return f"{MANIFEST} is not a diazlog manifest"
    listed = {MANIFEST}
    for name, entry in files.items():
        table = entry.get("table") if isinstance(entry, dict) else None
        if not (isinstance(table, str) and table.isidentifier() and name == f"{table}.{fmt}"):
            return f"{MANIFEST} lists '{str(name)[:40]}'"
        listed.add(name)
    for entry in folder.iterdir():
        if entry.name not in listed:
            return f"'{entry.name[:40]}' is not part of it"
        if entry.is_symlink() or not entry.is_file():
            return f"'{entry.name[:40]}' is not a file"
        if entry.name != MANIFEST and _sha256(entry) != files[entry.name].get("sha256"):
            return f"{entry.name} changed since it was exported"
    return ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_all(
    db: Database,
    folder: Path,
    fmt: str,
    now: datetime,
    progress: Callable[[int], None] | None,
) -> list[Path]:
    written: list[Path] = []
    files: dict[str, dict[str, Any]] = {}
    made_by = ensure_diary_id(db)  # an import tells this diary's rows from another's by it
    db.execute("BEGIN")
    try:
        # File names come from our schema, never from the file.
        ours = set(known_tables(schema.MIGRATIONS))
        for table in (t for t in tables(db) if t.name in ours):
            rows = [r for r in read_rows(db, table) if not _is_diary_id(table, r)]
            text = _as_csv(table, rows) if fmt == "csv" else _as_json(rows)
            data = text.encode("utf-8")
            path = _write(folder / f"{table.name}.{fmt}", data)
            written.append(path)
            files[path.name] = {
                "table": table.name,
                "rows": len(rows),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            if progress is not None:
                progress(len(rows))
    finally:
        db.execute("COMMIT")
    manifest = {
        "app": APP_TAG,
        "schema_version": schema.LATEST_VERSION,
        "format": fmt,
        "exported_at": now.isoformat(timespec="seconds"),
        "csv_quote": QUOTE if fmt == "csv" else None,
        "tables": {f["table"]: f["rows"] for f in files.values()},
        "diary_id": made_by,
        "files": files,
    }
    written.append(_write(folder / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode()))
    try:
        fsync_path(folder)
    except OSError as exc:
        raise ExportFailed(f"cannot write {folder}: {exc.strerror or exc}") from None
    return written


def _is_diary_id(table: Table, row: dict[str, Any]) -> bool:
    """The diary's own id is in the manifest, never a row another diary would import."""
    return table.name == "settings" and row.get("key") == DIARY_ID_KEY


def _move_into_place(temp: Path, out_dir: Path) -> None:
    """Rename the finished folder onto `out_dir`; an earlier export there is set aside first
    and removed after, so the name holds a whole export (or nothing) at every moment."""
    old: Path | None = None
    try:
        if out_dir.is_dir() and any(out_dir.iterdir()):
            old = make_temp_folder(out_dir)
            os.replace(out_dir, old / PREVIOUS)
        os.replace(temp, out_dir)  # onto a missing or empty folder
        fsync_path(out_dir.parent)
    except OSError as exc:
        raise ExportFailed(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def clear_stale_exports(out_dir: Path) -> list[Path]:
    """Remove the temporary folders a killed export of `out_dir` left beside it."""
    return _clear_stale_folders(Path(out_dir).parent, re.escape(Path(out_dir).name))


def clear_export_leftovers(diary: Path) -> list[Path]:
    """What killed exports of `diary` left: in its exports/ folder, and wherever else the
    register beside it (store/pending.py) says one was being written."""
    diary = Path(diary).expanduser()
    return clear_stale_in(diary.parent / "exports") + clear_registered(diary, _is_export_temp)


def _is_export_temp(folder: Path) -> bool:
    """A temporary export folder: named as ours and holding only what an export writes."""
    named = folder.name.startswith(".") and folder.name.endswith(".tmp")
    return named and TEMP_TAG in folder.name and _only_export_files(folder)


def clear_stale_in(folder: Path) -> list[Path]:
    """Remove every temporary export folder a kill left in `folder` (the app's exports/)."""
    return _clear_stale_folders(Path(folder), ".+")


def _clear_stale_folders(parent: Path, name_regex: str) -> list[Path]:
    """Only folders named as ours (store/atomic.py: `.NAME.diazlog-XXXXXXXX.tmp`, or an
    earlier version's `.NAME.XXXXXXXX.tmp` that is not empty) and holding nothing but what an
    export writes; a user's folder that merely looks alike is never touched."""
    stale = [p for p in temp_entries(parent, name_regex) if _only_export_files(p)]
    stale += [
        p
        for p in temp_entries(parent, name_regex, old=True)
        if _only_export_files(p) and any(p.iterdir())
    ]
    stale = [p for p in stale if p.name.endswith(".tmp")]  # a journal is never a folder of ours
    stale = [p for p in stale if not in_use(p)]  # another program's export in the making
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def _only_export_files(folder: Path, *, nested: bool = False) -> bool:
    """Whether `folder` (not a symlink) holds only what an export writes into its temporary
    folder: table files and the manifest, or (set aside by _move_into_place) the previous
    export in a folder of that name holding only those."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    names = {MANIFEST} | {f"{t}.{f}" for t in known_tables(schema.MIGRATIONS) for f in FORMATS}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    for entry in entries:
        if entry.is_symlink():
            return False
        if not nested and entry.name == PREVIOUS and len(entries) == 1:
            if not _only_export_files(entry, nested=True):
                return False
        elif entry.name not in names or not entry.is_file():
            return False
    return True


def quote_formula(value: Any) -> Any:
    """A text a spreadsheet would run as a formula gets a leading `'` (as does one already
    starting with `'`, so that taking one off on import is exact)."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def unquote_formula(cell: str) -> str:
    """Undo quote_formula."""
    return cell[1:] if cell.startswith(QUOTE) else cell


def _as_csv(table: Table, rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    text = [c.name for c in table.columns if c.type == "TEXT"]  # numbers stay numbers
    for row in rows:
        cells = {c: "" if row[c] is None else row[c] for c in table.column_names}
        cells.update({c: quote_formula(cells[c]) for c in text})
        writer.writerow([cells[c] for c in table.column_names])
    return buffer.getvalue()


def _as_json(rows: list[dict[str, Any]]) -> str:
    """A JSON array with one row per line: readable, diffable, and errors can name a line."""
    if not rows:
        return "[]\n"
    lines = ",\n".join("  " + json.dumps(row, ensure_ascii=False) for row in rows)
    return f"[\n{lines}\n]\n"


def _write(path: Path, data: bytes) -> Path:
    """One file of the (still temporary) export folder, fsynced."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise ExportFailed(f"cannot write {path.name}: {exc.strerror or exc}") from None
    return path
