"""Which diary file a subcommand works on, and whether it may be created.

A mistyped `--db` must not quietly become a new, empty diary: the commands that only read
refuse a missing file; `log` and `take` create one only when asked (`--create`, or "y" at
the prompt on a terminal). `--db` is accepted after the subcommand as well as before it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diazlog.commands.support import fail

DB_HELP = "Database file (the same as --db before the command)."


def resolved(path: Path) -> Path:
    """The real file behind `path` (opening.real_path resolves the group's --db the same way)."""
    return path.expanduser().resolve()


def _set_db(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["db_path"] = resolved(value)


def add_db_option(command: click.Command) -> click.Command:
    """Give a subcommand its own `--db` (once), which overrides the group's."""
    if not any(p.name == "db_path_after" for p in command.params):
        command.params.append(
            click.Option(
                ["--db", "db_path_after"],
                type=click.Path(dir_okay=False, path_type=Path),
                expose_value=False,
                callback=_set_db,
                help=DB_HELP,
            )
        )
    return command


def is_terminal() -> bool:
    """Whether a person can answer a question (a function so tests can fix it)."""
    return sys.stdin.isatty()


def allow_create(path: Path, create: bool) -> None:
    """Let `log` or `take` go on with a missing diary only if the user wants one made."""
    if path.exists() or create:
        return
    if not is_terminal():
        fail(f"no diary at {path}: check --db, or add --create to start one there")
    if not click.confirm(f"Create a new diary at {path}?", default=False, err=True):
        fail(f"no diary at {path}; nothing was saved")


CREATE_HELP = "Start a new diary if there is none at the path (otherwise asked, or refused)."
