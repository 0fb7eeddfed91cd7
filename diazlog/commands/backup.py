"""`diazlog backup [--out FILE]`: a consistent copy, safe while the app is open."""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: the backups folder beside your database).",
)
@click.pass_context
def command(ctx: click.Context, out: Path | None) -> None:
    """Back up the database through SQLite's backup API; `diazlog restore FILE` takes it back."""
    from diazlog.store import StoreError
    from diazlog.store.file.backup import copy_database, manual_backup_path

    db_path = Path(ctx.find_root().obj["db_path"])
    if out is not None and out.expanduser().exists():
        fail(f"{out} already exists; choose a new file name")
    target = (out or manual_backup_path(db_path, now())).expanduser()
    db = db_for(ctx, for_reading=True)
    try:
        copy_database(db.conn, target)
    except StoreError as exc:
        fail(str(exc))
    finally:
        db.close()
    echo(f"Backed up to {target}")
