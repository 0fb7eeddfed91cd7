"""Read import files as streams: memory stays bounded whatever the file's size.

A 1M-dose export is ~130 MB of JSON; read whole, its text, its parsed rows and the rows to
write took 898 MB. Here a file is first checked to be UTF-8 text in 1 MiB blocks (so a bad byte
is named by its line before anything is parsed), then parsed a row at a time: CSV through the
csv module on the open file, JSON through a window of the text that slides past each row. The
importer reads each file twice (check every row, then write them), never holding the rows.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from diazlog.domain.validation import MAX_DIGITS

MAX_FILE_BYTES = 200 * 1024 * 1024  # far beyond a lifetime of diary; stops a wrong file early
CHUNK_CHARS = 1 << 20
# No row of ours is near this long (a note is at most 4,000 characters): a JSON value still
# open after this many characters is not one of our rows (and re-parsing it would not end).
MAX_ROW_CHARS = 4 << 20
# An export is an array of flat objects (depth 2); anything nested deeper is not one of ours.
MAX_JSON_DEPTH = 2


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


def check_text_file(path: Path) -> None:
    """Refuse, naming the line, a file that is too large, not UTF-8 or empty; reads it in
    blocks, so this costs no memory."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFailed(f"{path} is over {MAX_FILE_BYTES // 2**20} MB; not a diazlog export")
        decoder = codecs.getincrementaldecoder("utf-8")()
        line, content = 1, False
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK_CHARS), b""):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    line += block[: max(exc.start, 0)].count(b"\n")
                    raise ImportFailed(
                        f"{path.name}, line {line}: not UTF-8 text; nothing was imported"
                    ) from None
                line += block.count(b"\n")
                content = content or bool(block.replace(codecs.BOM_UTF8, b"").strip())
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise ImportFailed(
                    f"{path.name}, line {line}: not UTF-8 text (cut short); nothing was imported"
                ) from None
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    if not content:
        raise ImportFailed(f"{path.name} is empty; nothing was imported")


def open_text(path: Path) -> IO[str]:
    """The file as text (a leading BOM dropped; line endings left to the csv module)."""
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None


# -- CSV -------------------------------------------------------------------------------------


def csv_records(name: str, handle: IO[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header, and each non-blank record with its line; a record the csv module cannot
    read comes as one cell starting with NUL and the reason."""
    reader = csv.reader(handle, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(f"{name} is empty; nothing was imported") from None
    except csv.Error as exc:
        raise ImportFailed(f"{name}, line 1: {exc}") from None

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


# -- JSON ------------------------------------------------------------------------------------


def json_int(digits: str) -> int | str:
    """A JSON whole number; one too long to be any value of ours stays text, which the
    column's check then refuses in words (int() would raise over 4,300 digits)."""
    return int(digits) if len(digits) <= MAX_DIGITS else digits


class _Window:
    """The stream's text from the row being parsed on: `pos` is where parsing is; text
    before it is dropped only when more is read (once per chunk, not per row)."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line, self._counted = 1, 0  # the line of text[_counted]

    def line(self, at: int | None = None) -> int:
        """The line of text[at] (default: pos), counted on from the last call."""
        at = self.pos if at is None else at
        if at < self._counted:
            return self._line - self.text.count("\n", at, self._counted)
        self._line += self.text.count("\n", self._counted, at)
        self._counted = at
        return self._line

    def read_more(self) -> None:
        self.line()
        self.text = self.text[self.pos :]
        self.pos = self._counted = 0
        chunk = self.handle.read(CHUNK_CHARS)
        self.eof = not chunk
        self.text += chunk

    def has_more(self) -> bool:
        while self.pos >= len(self.text) and not self.eof:
            self.read_more()
        return self.pos < len(self.text)

    def at(self, char: str) -> bool:
        return self.has_more() and self.text[self.pos] == char

    def skip_space(self) -> None:
        while self.has_more() and self.text[self.pos] in " \t\r\n":
            self.pos += 1


def json_records(name: str, handle: IO[str]) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array with the line each starts on, parsed one at a time."""
    decoder = json.JSONDecoder(parse_int=json_int)
    window = _Window(handle)
    window.skip_space()
    if not window.at("["):
        raise ImportFailed(f"{name}, line 1: expected a JSON array of rows")
    window.pos += 1
    window.skip_space()
    while window.has_more() and not window.at("]"):
        start = window.line()
        value = _decode_one(decoder, window, name)
        if _deeper_than(value, MAX_JSON_DEPTH - 1):
            raise ImportFailed(_too_deep(name, start))
        yield start, value
        window.skip_space()
        if window.at(","):
            window.pos += 1
            window.skip_space()
        elif not window.at("]"):
            raise ImportFailed(
                f"{name}, line {window.line()}: the JSON array is cut short or malformed"
            )
    if not window.has_more():
        raise ImportFailed(f"{name}: the JSON array is cut short (no closing ])")


def _decode_one(decoder: json.JSONDecoder, window: _Window, name: str) -> Any:
    """The value at window.pos, which then moves past it. While the value runs into the
    window's end more is read and the row parsed again (rows are short: linear overall)."""
    while True:
        try:
            value, end = decoder.raw_decode(window.text, window.pos)
            if end < len(window.text) or window.eof:
                window.pos = end
                return value
            # A number can end exactly at the window's edge ("12" of "123"): read on.
        except json.JSONDecodeError as exc:
            if window.eof or len(window.text) - window.pos > MAX_ROW_CHARS:
                raise ImportFailed(
                    f"{name}, line {window.line(exc.pos)}: not valid JSON ({exc.msg}); "
                    "nothing was imported"
                ) from None
        except RecursionError:
            raise ImportFailed(_too_deep(name, window.line())) from None
        if len(window.text) - window.pos > MAX_ROW_CHARS:
            raise ImportFailed(
                f"{name}, line {window.line()}: a row of over {MAX_ROW_CHARS:,} characters "
                "is not a diazlog row; nothing was imported"
            )
        window.read_more()


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
