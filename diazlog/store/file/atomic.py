"""Files whole or absent: write beside the target, fsync, then rename onto the final name.

A kill or a full disk at any moment leaves either the previous file or the new one, never a
half-written one under the final name; what a killed write left behind is a
`.NAME.diazlog-XXXXXXXX.tmp` beside it, cleared by the next write of the same name.

Clearing leftovers deletes only what diazlog made: the temporary names carry `diazlog-` and
exactly the 8 characters tempfile picks, matched by a strict regex (never a glob, which took a
user's `.taxes.2025.tmp` folder for one of ours). Leftovers of versions before that tag
(`.NAME.XXXXXXXX.tmp`) are removed only when they are plainly ours: a plain SQLite copy (or its
rollback journal), the plaintext an encrypted diary must not leave on disk.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
from pathlib import Path

from diazlog.store.file.busy import in_use
from diazlog.store.file.privacy import FILE_MODE

TEMP_TAG = "diazlog-"
RANDOM_PART = r"[a-z0-9_]{8}"  # what tempfile.mkstemp / mkdtemp put between prefix and suffix
SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_HEADER = bytes.fromhex("d9d505f920a163d7")  # a SQLite rollback journal's magic


def temp_prefix(name: str) -> str:
    """The start of the temporary files (or folders) made while writing `name`."""
    return f".{name}.{TEMP_TAG}"


def make_temp_file(target: Path) -> tuple[int, Path]:
    """A new temporary file (mkstemp: 0600, open) beside `target`, named as ours."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent)
    return fd, Path(name)


def make_temp_folder(target: Path) -> Path:
    """A new temporary folder (mkdtemp: 0700) beside `target`, named as ours."""
    target = Path(target)
    return Path(tempfile.mkdtemp(prefix=temp_prefix(target.name), suffix=".tmp", dir=target.parent))


def _temp_regex(name_regex: str, tag: str) -> re.Pattern[str]:
    return re.compile(rf"\.{name_regex}\.{tag}{RANDOM_PART}\.tmp(-journal)?")


def temp_entries(folder: Path, name_regex: str, *, old: bool = False) -> list[Path]:
    """The entries of `folder` named exactly as the temporaries (and their journals) made
    while writing a name that matches `name_regex` (a regex: re.escape a plain name);
    `old`: in the naming of earlier versions, without the `diazlog-` tag."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    pattern = _temp_regex(name_regex, "" if old else re.escape(TEMP_TAG))
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)  # not a folder, not a symlink
    except OSError:
        return False


def _starts_with(path: Path, header: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(header)) == header
    except OSError:
        return False


def is_old_plain_copy(path: Path) -> bool:
    """An old-named leftover that is plainly ours: a plain SQLite copy or its journal.

    An encrypted copy starts with a random salt, like any binary file of the user's: it
    cannot be told apart, so it is left (it holds no plaintext)."""
    header = JOURNAL_HEADER if path.name.endswith("-journal") else SQLITE_HEADER
    return _is_regular_file(path) and _starts_with(path, header)


def stale_temp_files(folder: Path, name_regex: str) -> list[Path]:
    """The temporary files a killed write left in `folder` for names matching `name_regex`:
    ours by name (regular files only), or old-named plain SQLite copies; none a live writer
    holds (store/busy.py)."""
    found = [p for p in temp_entries(folder, name_regex) if _is_regular_file(p)]
    found += [p for p in temp_entries(folder, name_regex, old=True) if is_old_plain_copy(p)]
    return [p for p in found if not in_use(p)]


def clear_stale(target: Path) -> None:
    """Remove temporary files a killed write of `target` left beside it."""
    target = Path(target)
    for stale in stale_temp_files(target.parent, re.escape(target.name)):
        stale.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder (so a rename inside it survives a power cut), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write `data` to `path` (0600) whole or not at all; raises OSError (nothing left)."""
    path = Path(path)
    clear_stale(path)
    fd, temp = make_temp_file(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # held until closed: see store/busy.py
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_path(path.parent)
    return path
