"""`diazlog import FILE_OR_DIR [--skip-bad]`: take back an export, or a date + ratings CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.progress import stderr_is_terminal
from diazlog.commands.support import db_for, fail, now

PROGRESS_FROM_ROWS = 5_000  # below this an import takes well under a second
SHOW_PROBLEMS = 50


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--skip-bad", is_flag=True, help="Import the good rows even if some are bad.")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace rows the diary changed after the export was taken (normally kept).",
)
@click.pass_context
def command(ctx: click.Context, source: Path, skip_bad: bool, overwrite: bool) -> None:
    """Import SOURCE: an export folder or file, or a CSV of date + symptom ratings.

    \b
    Every row is checked first; each bad row is listed (file, line, why) and, unless
    --skip-bad, nothing is imported. Rows equal to what is stored are left alone, so
    importing the same file twice changes nothing. An import never goes back in time: a
    day edited after the export was taken (and its ratings), or a value filled in since
    (an answer), is kept, and counted as "kept as newer"; --overwrite replaces them.
    """
    from diazlog.transfer.importer import ImportFailed, Problem, plan_import, run_import

    def show(problems: list[Problem], prefix: str) -> None:
        for problem in problems[:SHOW_PROBLEMS]:
            echo(f"{prefix}{problem}", err=True)
        if len(problems) > SHOW_PROBLEMS:
            echo(f"{prefix}… and {len(problems) - SHOW_PROBLEMS} more", err=True)

    db = db_for(ctx)
    try:
        plan, _files = plan_import(db, source, now())
        if len(plan.rows) >= PROGRESS_FROM_ROWS and stderr_is_terminal():
            with click.progressbar(
                length=len(plan.rows), label="Importing", file=sys.stderr
            ) as bar:
                report = run_import(
                    db, plan, skip_bad=skip_bad, progress=bar.update, overwrite=overwrite
                )
        else:
            report = run_import(db, plan, skip_bad=skip_bad, overwrite=overwrite)
    except ImportFailed as exc:
        show(exc.problems, "  ")
        fail(str(exc))
    except OSError as exc:
        fail(f"import failed, nothing was imported: {exc.strerror or exc}")
    except Exception as exc:  # sqlite3 (or sqlcipher3) errors: locked, disk full
        from diazlog.store.file import sqlerrors

        if not isinstance(exc, sqlerrors.Error) or sqlerrors.reads_as_damage(exc):
            raise  # damage: said as such by the shared path (opening.py)
        fail(f"import failed, nothing was imported: {exc} (is the disk full?)")
    finally:
        db.close()
    show(report.skipped, "  skipped ")
    echo(
        f"Imported {source}: {report.added} rows added, {report.changed} changed, "
        f"{report.unchanged} already there"
        + (
            f", {report.kept_newer} kept as newer in the diary (--overwrite replaces them)"
            if report.kept_newer
            else ""
        )
        + (f", {len(report.skipped)} bad rows skipped." if report.skipped else ".")
    )
