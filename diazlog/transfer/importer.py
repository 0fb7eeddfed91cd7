"""Take back an export, or a CSV of date + symptom ratings as other trackers write it.

Every row is checked before anything is written. Each bad row is reported with its file, line
and why; unless `skip_bad`, one bad row means nothing is imported. The good rows go in one
transaction (store.transfer.merge_rows), so a crash or a full disk leaves the database as it was.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diazlog.domain import limits
from diazlog.domain.validation import (
    MAX_DIGITS,
    InvalidInput,
    check_note,
    parse_date,
    parse_rating,
)
from diazlog.domain.validation import symptom_key as key_of
from diazlog.store import schema
from diazlog.store.symptoms import list_symptoms
from diazlog.transfer.export import APP_TAG, MANIFEST, QUOTE, unquote_formula
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

MAX_FILE_BYTES = 200 * 1024 * 1024  # far beyond a lifetime of diary; stops a wrong file early
# An export is an array of flat objects (depth 2); anything nested deeper is not one of ours.
MAX_JSON_DEPTH = 2
# csv refuses fields over 128 KiB by default; a 4,000-character note is far below.


class ImportFailed(Exception):
    """Nothing was imported; str(exc) says why in one line (details in `problems`)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    why: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.why}"


@dataclass
class ImportPlan:
    """The rows that passed every check, and every problem found."""

    rows: list[IncomingRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ImportFailed(f"{path} is over {MAX_FILE_BYTES // 2**20} MB; not a diazlog export")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            f"{path.name}, line {line}: not UTF-8 text; nothing was imported"
        ) from None
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None


def _csv_records(path: Path, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(f"{path.name} is empty; nothing was imported") from None
    except csv.Error as exc:
        raise ImportFailed(f"{path.name}, line 1: {exc}") from None

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield reader.line_num, [f"\0{exc}"]
                continue
            if any(c.strip() for c in cells):
                yield reader.line_num, cells

    return [h.strip() for h in header], records()


def _json_records(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array with the line each starts on (our export puts one per line).

    Lines are counted from the previous item on, so reading stays linear in the file's size.
    """
    decoder = json.JSONDecoder(parse_int=_json_int)
    index = _skip_space(text, 0)
    if index >= len(text) or text[index] != "[":
        raise ImportFailed(f"{path.name}, line 1: expected a JSON array of rows")
    index = _skip_space(text, index + 1)
    line, counted = 1, 0  # `line` is the line of text[counted]

    def line_at(position: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, position)
        counted = position
        return line

    while index < len(text) and text[index] != "]":
        start = line_at(index)
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise ImportFailed(
                f"{path.name}, line {exc.lineno}: not valid JSON ({exc.msg}); nothing was imported"
            ) from None
        except RecursionError:
            raise ImportFailed(_too_deep(path.name, start)) from None
        if _deeper_than(value, MAX_JSON_DEPTH - 1):
            raise ImportFailed(_too_deep(path.name, start))
        yield start, value
        index = _skip_space(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip_space(text, index + 1)
        elif index >= len(text) or text[index] != "]":
            raise ImportFailed(
                f"{path.name}, line {line_at(min(index, len(text)))}: "
                "the JSON array is cut short or malformed"
            )
    if index >= len(text):
        raise ImportFailed(f"{path.name}: the JSON array is cut short (no closing ])")


def _json_int(digits: str) -> int | str:
    """A JSON whole number; one too long to be any value of ours stays text, which the
    column's check then refuses in words (int() would raise over 4,300 digits)."""
    return int(digits) if len(digits) <= MAX_DIGITS else digits


def _too_deep(name: str, line: int) -> str:
    return (
        f"{name}, line {line}: JSON nested deeper than any diazlog export (rows are flat "
        "objects); nothing was imported"
    )


def _deeper_than(value: Any, depth: int) -> bool:
    """Whether `value` nests lists or objects more than `depth` levels (a row is 1)."""
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    return depth <= 0 or any(_deeper_than(child, depth - 1) for child in children)


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


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

    def problem(self, file: str, line: int, why: str) -> None:
        self.plan.problems.append(Problem(file, line, why))

    def add_file(self, path: Path) -> None:
        text = _read_text(path)
        if not text.strip():
            raise ImportFailed(f"{path.name} is empty; nothing was imported")
        if path.suffix == ".json":
            self._table_rows(path, self._table_for(path), self._json_rows(path, text))
            return
        header, records = _csv_records(path, text)
        table = self.tables.get(path.stem)
        # Named after a table: an export file, unless only its date column is the table's
        # (then it is another tracker's date + ratings file that happens to be called so).
        if table is not None and any(table.column(h) for h in header if h.lower() != "date"):
            self._table_rows(path, table, self._csv_rows(path, table, header, records))
        elif header and header[0].lower() == "date":
            self._tracker_rows(path, header, records)
        else:
            raise ImportFailed(
                f"{path.name}, line 1: not a diazlog export table (name the file after a table) "
                "nor a CSV whose first column is 'date' followed by symptoms"
            )

    def _table_for(self, path: Path) -> Table:
        table = self.tables.get(path.stem)
        if table is None:
            raise ImportFailed(
                f"{path.name}: no table '{path.stem}' (known: {', '.join(self.tables)})"
            )
        return table

    def _json_rows(self, path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
        for line, value in _json_records(path, text):
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
    ) -> None:
        count = 0
        for line, raw in rows:
            count += 1
            values, why = self._check_row(table, raw)
            if why:
                self.problem(path.name, line, why)
            else:
                self.plan.rows.append(IncomingRow(table.name, values, f"{path.name}, line {line}"))
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
    ) -> None:
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
            self.plan.rows.append(
                IncomingRow(
                    "days",
                    {"date": day, **day_values},
                    where,
                    insert_only={"updated_at": self.stamp},
                )
            )
            self.plan.rows += [
                IncomingRow("ratings", {"date": day, "symptom_id": sid, "intensity": value}, where)
                for sid, value in ratings
            ]

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
    """Read and check everything under `path` without writing anything."""
    planner = _Planner(db, today or now.date(), now)
    files = source_files(path)
    folder = files[0].parent
    manifest = _manifest(folder) if len(files) > 1 or path.is_dir() else None
    if manifest is not None:
        planner.manifest_counts = {str(k): int(v) for k, v in manifest["tables"].items()}
    planner.strip_quote = _strips_quote(folder)
    order = {name: index for index, name in enumerate(planner.tables)}
    for file in sorted(files, key=lambda p: order.get(p.stem, len(order))):
        planner.add_file(file)
    return planner.plan, files


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
    try:
        result: MergeResult = merge_rows(
            db, plan.rows, skip_bad=skip_bad, progress=progress, overwrite=overwrite
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
