"""`diazlog export --format csv|json --out DIR`: every table, in files that re-import."""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import db_for, fail, now, say_if_encrypted


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="One file per table: CSV with a header row, or a JSON array of rows.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (created 0700; default ./diazlog-export-DATE).",
)
@click.pass_context
def command(ctx: click.Context, fmt: str, out_dir: Path | None) -> None:
    """Export every table with headers and ISO dates; `diazlog import DIR` takes it back."""
    from diazlog.transfer.export import ExportFailed, export

    clock = now()
    out_dir = out_dir or Path(f"diazlog-export-{clock:%Y-%m-%d}")
    db = db_for(ctx, for_reading=True)
    try:
        files = export(db, out_dir, fmt, clock)
    except ExportFailed as exc:
        fail(f"export failed: {exc}")
    finally:
        db.close()
    echo(f"Exported {len(files) - 1} tables to {out_dir}/ ({fmt}).")
    say_if_encrypted(ctx)
