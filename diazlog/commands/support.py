"""What every subcommand needs from below it: the diary it works on, the one-line refusal,
and the clock. Commands import these from here, never from cli.py, so the imports run one
way: cli.py wires the commands and nothing imports it back (tests/safety/test_import_layers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from diazlog.commands.echo import echo
from diazlog.opening import USER_ERROR, fail, open_or_fail

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "USER_ERROR",
    "clock",
    "db_for",
    "fail",
    "now",
    "open_or_fail",
    "refuse_missing",
    "say_if_encrypted",
]

# The shell's clock: every command reads the time through now(), so a test fixes it for all
# of them at once by setting this (or one command's `now`, which each imports by name).
clock: Callable[[], datetime] = datetime.now


def now() -> datetime:
    """The current local time, from `clock`."""
    return clock()


def refuse_missing(path: Path) -> None:
    """Exit 2 when there is no diary at `path`, so a read creates nothing."""
    if not path.exists():
        fail(f"no diary at {path}: check --db (or $DIAZLOG_DB); nothing was created")


def db_for(ctx: click.Context, *, for_reading: bool = False) -> Database:
    """The database named by --db / $DIAZLOG_DB / default, for a subcommand. A command that
    only reads never creates one: a mistyped path is refused."""
    path = ctx.find_root().obj["db_path"]
    if for_reading:
        refuse_missing(path)
    return open_or_fail(path, create=not for_reading, for_reading=for_reading)


def say_if_encrypted(ctx: click.Context) -> None:
    """After writing files from an encrypted diary: they are plain text, so say so."""
    from diazlog.store.file.cipher import is_encrypted

    if is_encrypted(Path(ctx.find_root().obj["db_path"]).expanduser()):
        echo("The diary is encrypted; these files are not: keep them safe, or delete them.")
