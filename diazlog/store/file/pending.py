"""A register, beside the diary, of temporary folders being written elsewhere, so a kill's
leftovers there are found and removed by the next start.

`export --out DIR` writes its files into a temporary folder beside DIR (anywhere on disk) and
renames it into place when whole. A kill in between leaves that folder, with the diary's rows in
plain text (an encrypted diary's too), where no start of diazlog looks: the clean-up only
knows the diary's own folder and exports/. So before anything is written, the temporary
folder's path goes into a file of its own in `.diazlog-pending/` beside the diary (one file per
folder: adding and removing are single atomic steps, never a read-modify-write race), and is
removed from there once the folder is renamed into place or removed. Every start reads the
register and removes each listed folder that is still there, named as ours and not in use.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from diazlog.store.file.atomic import fsync_path
from diazlog.store.file.busy import in_use
from diazlog.store.file.privacy import private_folder

REGISTER = ".diazlog-pending"


def _register(diary: Path) -> Path:
    return Path(diary).expanduser().parent / REGISTER


@contextlib.contextmanager
def registered(diary: Path | None, temp: Path) -> Iterator[None]:
    """Keep `temp` in the register of `diary` (None: no register) while the block runs."""
    if diary is None:
        yield
        return
    folder = private_folder(_register(diary))
    entry = folder / f"{secrets.token_hex(8)}.path"
    fd = os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, os.fsencode(str(Path(temp).resolve())))
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_path(folder)
    try:
        yield
    finally:
        entry.unlink(missing_ok=True)


def clear_registered(diary: Path, is_ours: Callable[[Path], bool]) -> list[Path]:
    """Remove what the register of `diary` lists and `is_ours` accepts (named as ours, holding
    only what we write), unless a live writer holds it; entries whose folder is gone go too."""
    folder = _register(diary)
    if not folder.is_dir() or folder.is_symlink():
        return []
    removed: list[Path] = []
    for entry in folder.glob("*.path"):
        try:
            listed = Path(os.fsdecode(entry.read_bytes()[:4096]))
        except OSError:
            continue
        if listed.exists() or listed.is_symlink():
            if in_use(listed):
                continue  # an export still writing it
            if is_ours(listed):
                shutil.rmtree(listed, ignore_errors=True)
                if listed.exists():
                    continue  # try again next time
                removed.append(listed)
        entry.unlink(missing_ok=True)  # gone, removed, or not ours (never touched)
    return removed
