"""A temporary file (or folder) in the making is locked by its writer with flock, so clearing
leftovers at start never deletes one that another process is still writing; a killed writer's
lock goes with it, and its leftovers are then cleared."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock on `path` while it is being written."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def in_use(path: Path) -> bool:
    """Whether a live writer holds `path` (a journal counts as its database's)."""
    name = str(path)
    if name.endswith("-journal"):
        path = Path(name[: -len("-journal")])
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # and with it our own lock
    return False
