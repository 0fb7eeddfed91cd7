"""Take back an export, or a CSV of date + symptom ratings as other trackers write it.

Every row is checked before anything is written. Each bad row is reported with its file, line
and why; unless `skip_bad`, one bad row means nothing is imported. The good rows go in one
transaction (store.transfer.merge_rows), so a crash or a full disk leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from diazlog.domain import limits
from diazlog.domain.validation import InvalidInput, check_note, parse_date, parse_rating
from diazlog.domain.validation import symptom_key as key_of
from diazlog.store.file import schema
from diazlog.store.file.diary_id import diary_id
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.transfer.export import APP_TAG, MANIFEST, QUOTE, unquote_formula
from diazlog.transfer.foreign_rows import Renumber
from diazlog.transfer.reading import (
    MAX_FILE_BYTES,
    ImportFailed,
    Problem,
    check_text_file,
    csv_records,
    json_records,
    open_text,
)
from diazlog.transfer.rowcheck import check_value, checks
from diazlog.transfer.tables import (
    IncomingRow,
    MergeRefused,
    MergeResult,
    Table,
    merge_rows,
    tables,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["ImportFailed", "ImportPlan", "ImportReport", "Problem", "plan_import", "run_import"]


class RowSource:
    """The rows that passed every check, read again from the files each time it is iterated
    (so a million rows are never in memory at once); len() is how many there are."""

    def __init__(self, reread: Callable[[], Iterator[IncomingRow]], count: int) -> None:
        self._reread = reread
        self.count = count

    def __iter__(self) -> Iterator[IncomingRow]:
        return self._reread()

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class ImportPlan:
    """The rows that passed every check, and every problem found."""

    rows: RowSource = field(default_factory=lambda: RowSource(lambda: iter(()), 0))
    problems: list[Problem] = field(default_factory=list)
    # The exporting diary's id (store/diary_id.py); None for files without a manifest saying
    diary_id: str | None = None


@dataclass(frozen=True)
class ImportReport:
    added: int
    changed: int
    unchanged: int
    skipped: list[Problem]
    kept_newer: int = 0


# -- reading ------------------------------------------------------------------------------------


def source_files(path: Path) -> list[Path]:
    """The files an import of `path` reads: the file itself, or an export folder's tables.

    A folder is taken only whole: its manifest (written last by export) must be complete and
    every file must match the row count and sha256 listed there. A single file is the user's
    choice (say, one edited by hand) and is taken as it is, row by row checked.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise ImportFailed(f"{path}: no such file or folder")
    if path.is_file() and path.name == MANIFEST:
        path = path.parent
    if path.is_file():
        return [path]
    manifest = _manifest(path)
    if manifest is None:
        raise ImportFailed(
            f"{path}: no {MANIFEST}, so not a whole diazlog export (one cut short, or another "
            "program's folder); nothing was imported. Import its files one at a time instead"
        )
    found = [path / name for name in manifest["files"]]
    missing = [p.name for p in found if not p.is_file()]
    if missing:
        raise ImportFailed(f"{path}: the export is missing {', '.join(missing)}")
    for file in found:
        if _sha256(file) != manifest["files"][file.name]["sha256"]:
            raise ImportFailed(
                f"{file} is not the file that was exported (changed or cut short since; its "
                f"checksum differs from {MANIFEST}); nothing was imported. To take an edited "
                f"file, import it alone: diazlog import {file}"
            )
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, checked complete; None if there is none."""
    file = folder / MANIFEST
    if not file.exists():
        return None
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ValueError("too large")
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["app"] == APP_TAG and data["format"] in ("csv", "json")
        version = int(data["schema_version"])
        assert isinstance(data["tables"], dict)
    except (ValueError, KeyError, TypeError, AssertionError, UnicodeDecodeError, RecursionError):
        raise ImportFailed(f"{file} is not a diazlog export manifest") from None
    except OSError as exc:
        raise ImportFailed(f"{file}: {exc.strerror or exc}") from None
    if version > schema.LATEST_VERSION:
        raise ImportFailed(
            f"{folder} was exported by a newer diazlog (schema {version}, this version reads up "
            f"to {schema.LATEST_VERSION}); upgrade diazlog. Nothing was imported."
        )
    if not _complete(data):
        raise ImportFailed(
            f"{file} is incomplete (each file needs its row count and sha256; an export by an "
            "older diazlog has none): nothing was imported. Export again, or import the files "
            "one at a time"
        )
    return data


def _complete(data: dict[str, Any]) -> bool:
    files = data.get("files")
    if not isinstance(files, dict) or not files:
        return False
    counts: dict[str, int] = {}
    for name, entry in files.items():
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("table"), str)
            and entry["table"].isidentifier()  # a table name, never a path
            and name == f"{entry['table']}.{data['format']}"
            and type(entry.get("rows")) is int
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
        ):
            return False
        counts[entry["table"]] = entry["rows"]
    return counts == data["tables"]


# -- checking -----------------------------------------------------------------------------------


class _Planner:
    """Turns records into checked IncomingRows, collecting Problems instead of stopping."""

    def __init__(self, db: Database, today: date, now: datetime) -> None:
        self.db = db
        self.today = today
        self.stamp = now.isoformat(timespec="seconds")
        self.tables = {t.name: t for t in tables(db)}
        self.checks = checks(today)
        self.plan = ImportPlan()
        self.manifest_counts: dict[str, int] = {}
        self.strip_quote = True  # export CSVs quote formula-like text (transfer/export.py)
        self.seen = 0  # rows read (good or bad): the second reading must find as many

    def problem(self, file: str, line: int, why: str) -> None:
        self.plan.problems.append(Problem(file, line, why))

    def add_file(self, path: Path) -> Iterator[IncomingRow]:
        """The checked rows of `path`, read as a stream; problems go to the plan."""
        check_text_file(path)
        with open_text(path) as handle:
            if path.suffix == ".json":
                yield from self._table_rows(
                    path, self._table_for(path), self._json_rows(path, handle)
                )
                return
            header, records = csv_records(path.name, handle)
            table = self.tables.get(path.stem)
            # Named after a table: an export file, unless only its date column is the table's
            # (then it is another tracker's date + ratings file that happens to be called so).
            if table is not None and any(table.column(h) for h in header if h.lower() != "date"):
                yield from self._table_rows(
                    path, table, self._csv_rows(path, table, header, records)
                )
            elif header and header[0].lower() == "date":
                yield from self._tracker_rows(path, header, records)
            else:
                raise ImportFailed(
                    f"{path.name}, line 1: not a diazlog export table (name the file after a "
                    "table) nor a CSV whose first column is 'date' followed by symptoms"
                )

    def _table_for(self, path: Path) -> Table:
        table = self.tables.get(path.stem)
        if table is None:
            raise ImportFailed(
                f"{path.name}: no table '{path.stem}' (known: {', '.join(self.tables)})"
            )
        return table

    def _json_rows(self, path: Path, handle: IO[str]) -> Iterator[tuple[int, dict[str, Any]]]:
        for line, value in json_records(path.name, handle):
            if not isinstance(value, dict):
                self.problem(path.name, line, "expected an object of column: value")
                continue
            yield line, value

    def _csv_rows(
        self, path: Path, table: Table, header: list[str], records: Iterator[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        unknown = [h for h in header if table.column(h) is None]
        if unknown or len(set(header)) != len(header):
            what = f"unknown column(s) {', '.join(unknown)}" if unknown else "a column twice"
            raise ImportFailed(f"{path.name}, line 1: {what} for table {table.name}")
        text = {c.name for c in table.columns if c.type == "TEXT"}
        quoted = [h for h in header if h in text] if self.strip_quote else []
        for line, cells in records:
            if len(cells) == 1 and cells[0].startswith("\0"):
                self.problem(path.name, line, f"not valid CSV ({cells[0][1:]})")
            elif len(cells) != len(header):
                self.problem(path.name, line, f"{len(cells)} cells, the header has {len(header)}")
            else:
                row = dict(zip(header, cells, strict=True))
                row.update({h: unquote_formula(row[h]) for h in quoted})
                yield line, row

    def _table_rows(
        self, path: Path, table: Table, rows: Iterator[tuple[int, dict[str, Any]]]
    ) -> Iterator[IncomingRow]:
        count = 0
        for line, raw in rows:
            count += 1
            self.seen += 1
            values, why = self._check_row(table, raw)
            if why:
                self.problem(path.name, line, why)
            else:
                yield IncomingRow(table.name, values, f"{path.name}, line {line}")
        expected = self.manifest_counts.get(table.name)
        if expected is not None and expected != count:
            raise ImportFailed(
                f"{path.name}: {count} rows, the export listed {expected}; nothing was imported"
            )

    def _check_row(self, table: Table, raw: dict[str, Any]) -> tuple[dict[str, Any], str]:
        unknown = [k for k in raw if table.column(k) is None]
        if unknown:
            return {}, f"unknown column(s) {', '.join(map(str, unknown))[:80]}"
        values: dict[str, Any] = {}
        whys = []
        for column in table.columns:
            if column.name not in raw:
                if column.pk or (column.not_null and not column.has_default):
                    whys.append(f"{column.name} is missing")
                continue
            try:
                value = check_value(
                    column, raw[column.name], self.checks.get((table.name, column.name))
                )
            except InvalidInput as exc:
                whys.append(f"{column.name}: {exc}")
                continue
            if value is None and column.pk:
                whys.append(f"{column.name} is required")
            elif value is not None or not column.not_null:
                values[column.name] = value
        return values, "; ".join(whys)

    def _tracker_rows(
        self, path: Path, header: list[str], records: Iterator[tuple[int, list[str]]]
    ) -> Iterator[IncomingRow]:
        """date, then one column per symptom (by key or name), optionally day fields and note."""
        symptoms = {s.key: s.id for s in list_symptoms(self.db, active_only=False)}
        columns: list[tuple[str, Any]] = []
        unknown = []
        for name in header[1:]:
            try:
                key = key_of(name)
            except InvalidInput:
                key = ""
            if key in symptoms:
                columns.append(("rating", symptoms[key]))
            elif key in limits.DAY_FIELDS_BY_NAME:
                columns.append(("day", key))
            elif key == "note":
                columns.append(("note", key))
            else:
                unknown.append(name)
        if unknown:
            raise ImportFailed(
                f"{path.name}, line 1: no symptom called {', '.join(map(repr, unknown))[:120]} "
                f"(known: {', '.join(symptoms)}); add it in the app first"
            )
        first_seen: dict[str, int] = {}
        for line, cells in records:
            self.seen += 1
            where = f"{path.name}, line {line}"
            if len(cells) == 1 and cells[0].startswith("\0"):
                self.problem(path.name, line, f"not valid CSV ({cells[0][1:]})")
                continue
            if len(cells) != len(header):
                self.problem(path.name, line, f"{len(cells)} cells, the header has {len(header)}")
                continue
            try:
                day, day_values, ratings = self._tracker_row(cells, columns)
            except InvalidInput as exc:
                self.problem(path.name, line, str(exc))
                continue
            if day in first_seen:
                self.problem(path.name, line, f"{day} is also on line {first_seen[day]}")
                continue
            first_seen[day] = line
            if not day_values and not ratings:
                continue
            yield IncomingRow(
                "days",
                {"date": day, **day_values},
                where,
                insert_only={"updated_at": self.stamp},
            )
            for sid, value in ratings:
                yield IncomingRow(
                    "ratings", {"date": day, "symptom_id": sid, "intensity": value}, where
                )

    def _tracker_row(
        self, cells: list[str], columns: list[tuple[str, Any]]
    ) -> tuple[str, dict[str, Any], list[tuple[int, int]]]:
        text = cells[0].strip()
        day = parse_date(text[:10] if len(text) > 10 and text[10] in "T " else text, self.today)
        values: dict[str, Any] = {}
        ratings = []
        whys = []
        for (kind, target), cell in zip(columns, cells[1:], strict=True):
            if not cell.strip():
                continue
            try:
                if kind == "rating":
                    ratings.append((target, parse_rating(cell)))
                elif kind == "day":
                    values[target] = self.checks["days", target](cell)
                else:
                    values["note"] = check_note(cell)
            except InvalidInput as exc:
                whys.append(str(exc))
        if whys:
            raise InvalidInput("; ".join(whys))
        return day, values, ratings


def plan_import(
    db: Database, path: Path, now: datetime, today: date | None = None
) -> tuple[ImportPlan, list[Path]]:
    """Read and check everything under `path` without writing anything (or holding the rows:
    the plan's rows are read again from the files when they are written)."""
    files = source_files(path)
    folder = files[0].parent
    manifest = _manifest(folder) if len(files) > 1 or path.is_dir() else None

    def planner() -> _Planner:
        made = _Planner(db, today or now.date(), now)
        if manifest is not None:
            made.manifest_counts = {str(k): int(v) for k, v in manifest["tables"].items()}
        made.strip_quote = _strips_quote(folder)
        return made

    def rows(made: _Planner) -> Iterator[IncomingRow]:
        order = {name: index for index, name in enumerate(made.tables)}
        for file in sorted(files, key=lambda p: order.get(p.stem, len(order))):
            yield from made.add_file(file)

    checking = planner()
    count = sum(1 for _ in rows(checking))
    problems = checking.plan.problems

    def reread() -> Iterator[IncomingRow]:
        again = planner()
        yield from rows(again)
        if again.plan.problems != problems or again.seen != checking.seen:
            raise ImportFailed("the files changed while they were imported; nothing was imported")

    made_by = manifest.get("diary_id") if manifest is not None else None
    made_by = made_by if isinstance(made_by, str) and 0 < len(made_by) <= 64 else None
    return ImportPlan(RowSource(reread, count), problems, made_by), files


def _strips_quote(folder: Path) -> bool:
    """Whether export CSVs in `folder` carry the formula quote: those since it say so in their
    manifest; a table file without a manifest beside it is taken as such an export."""
    file = folder / MANIFEST
    if not file.is_file():
        return True
    try:
        return bool(json.loads(file.read_text(encoding="utf-8")).get("csv_quote") == QUOTE)
    except (ValueError, OSError, RecursionError, AttributeError, UnicodeDecodeError):
        return True


def run_import(
    db: Database,
    plan: ImportPlan,
    *,
    skip_bad: bool,
    progress: Callable[[int], None] | None = None,
    overwrite: bool = False,
) -> ImportReport:
    """Write a checked plan in one transaction; raise ImportFailed (nothing written) if refused.
    `overwrite`: replace stored rows even where they are newer (transfer/tables.py)."""
    if plan.problems and not skip_bad:
        raise ImportFailed(_refusal(plan.problems), plan.problems)
    translate = None
    if plan.diary_id is not None and plan.diary_id != diary_id(db):
        # Another diary's export (or ours has never been exported: then a row we share
        # is found by content, and the rest is added rather than dropped as a clash).
        translate = Renumber(db.conn, {t.name: t for t in tables(db)}).translate
    try:
        result: MergeResult = merge_rows(
            db,
            plan.rows,
            skip_bad=skip_bad,
            progress=progress,
            overwrite=overwrite,
            translate=translate,
        )
    except MergeRefused as refused:
        problems = [_problem(where, why) for where, why in refused.result.failures]
        raise ImportFailed(_refusal(problems), problems) from None
    skipped = plan.problems + [_problem(where, why) for where, why in result.failures]
    return ImportReport(
        result.added, result.changed, result.unchanged, skipped, kept_newer=result.kept_newer
    )


def _refusal(problems: list[Problem]) -> str:
    many = len(problems) > 1
    return (
        f"{len(problems)} bad row{'s' if many else ''}; nothing was imported "
        "(fix them, or use --skip-bad to import the rest)"
    )


def _problem(where: str, why: str) -> Problem:
    file, _, line = where.rpartition(", line ")
    return Problem(file, int(line), why)
