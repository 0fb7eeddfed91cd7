"""`diazlog restore FILE`: check the backup, keep a copy of what it replaces, then restore."""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import fail, now, open_or_fail
from diazlog.opening import clear_plain_leftovers


@click.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def command(ctx: click.Context, backup: Path) -> None:
    """Replace your database with BACKUP (checked first; the current one is kept)."""
    from diazlog.passphrase import ensure_unlocked
    from diazlog.store import StoreError
    from diazlog.store.file.backup import restore

    db_path = Path(ctx.find_root().obj["db_path"])
    clear_plain_leftovers(db_path)  # what a killed backup, restore or conversion left
    try:
        ensure_unlocked(backup, what="the backup")  # an encrypted backup: its passphrase
        kept = restore(backup, db_path, now())
    except StoreError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"restore failed: {exc.strerror or exc}")
    db = open_or_fail(db_path)  # migrates an older backup, with its own backup first
    try:  # the restored plan reaches the calendar and the reminder schedule it remembers
        from diazlog.opening import say
        from diazlog.reminders.refresh import refresh

        for line in refresh(db, now()):
            say(f"diazlog: {line}")
    finally:
        db.close()
    echo(f"Restored {db_path} from {backup}.")
    if kept is not None:
        echo(f"The database it replaced is kept as {kept}")
