"""The command line: `diazlog` runs the app; subcommands work on the database from the shell.

Exit codes: 0 ok, 2 for anything the user must fix (one clear line on stderr), 1 unexpected.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from diazlog import __version__, collector
from diazlog.paths import ENV_VAR, default_database

USER_ERROR = 2

# Subcommands, imported only when used so `diazlog` itself starts fast: name -> module:attribute.
SUBCOMMANDS: dict[str, str] = {
    "log": "diazlog.commands.log:command",
    "status": "diazlog.commands.status:command",
    "flags": "diazlog.commands.flags:command",
    "export": "diazlog.commands.export:command",
    "import": "diazlog.commands.import_:command",
    "backup": "diazlog.commands.backup:command",
    "restore": "diazlog.commands.restore:command",
    "report": "diazlog.commands.report:command",
    "take": "diazlog.commands.take:command",
    "encrypt": "diazlog.commands.encrypt:encrypt",
    "decrypt": "diazlog.commands.encrypt:decrypt",
    "passphrase": "diazlog.commands.encrypt:passphrase",
}


class LazyGroup(click.Group):
    """A click group whose subcommands live in their own modules, loaded on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *SUBCOMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in SUBCOMMANDS:
            import importlib

            from diazlog.commands.diary import add_db_option

            module_name, attribute = SUBCOMMANDS[cmd_name].split(":")
            return add_db_option(getattr(importlib.import_module(module_name), attribute))
        return super().get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: object,
    ) -> object:
        """click's main, except that a usage error is one line on stderr (exit 2), as every
        error the user must fix is: click's own shows usage, a hint and the error."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            returned = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
            fail(f"{exc.format_message()}{where}")
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(returned if isinstance(returned, int) else 0)


def fail(message: str) -> None:
    """Print one line on stderr and exit 2: the user has something to fix."""
    click.echo(f"diazlog: {message}", err=True)
    sys.exit(USER_ERROR)


def open_or_fail(path: Path, *, create: bool = True, check: bool = True, for_reading: bool = False):
    """Open the diary, or exit 2 with one line saying why not.

    `check`: refuse a diary that fails `PRAGMA quick_check` (a few ms), so no command writes
    into a damaged file or copies it; the message names the verified backups. The app passes
    False and checks in a worker once it is on screen. `for_reading`: a read-only diary is
    opened read-only (to look, report, export, back up) instead of refused.
    """
    from diazlog.store import StoreError, open_database
    from diazlog.store.backup import backup_before_migration
    from diazlog.store.errors import CorruptDatabase
    from diazlog.store.integrity import DamagedDiary, check_connection

    try:
        from diazlog.passphrase import ensure_unlocked

        ensure_unlocked(path)  # an encrypted diary: its passphrase (file or prompt)
        db = open_database(
            path,
            create=create,
            before_migration=backup_before_migration,
            for_reading=for_reading,
        )
        if check:
            try:
                check_connection(db.conn, Path(path).expanduser())
            except StoreError:
                db.close()
                raise
        return db
    except CorruptDatabase as exc:
        fail(str(DamagedDiary(exc.path, exc.detail)))  # with the verified backups
    except StoreError as exc:
        fail(str(exc))


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=ENV_VAR,
    help=f"Database file (default: your data folder; also ${ENV_VAR}).",
)
@click.option("--demo", is_flag=True, help="Open a fresh demo database in a temporary folder.")
@click.option(
    "--years",
    type=click.FloatRange(0.05, 30),
    default=1.0,
    show_default=True,
    help="Years of demo data.",
)
@click.version_option(__version__, prog_name="diazlog")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, demo: bool, years: float) -> None:
    """diazlog: a private, keyboard-driven symptom diary for people taking diazepam.

    Run without a command to open the app.
    """
    os.umask(0o077)  # whatever we create (exports, backups, temp files) is the user's alone
    ctx.ensure_object(dict)
    # The real file, not a symlink to it: backups go beside the diary itself, and restore
    # writes into it instead of moving the link aside.
    ctx.obj["db_path"] = (db_path or default_database()).expanduser().resolve()
    if ctx.invoked_subcommand is not None or demo:
        collector.resume()  # only the app's first frame is worth starting without it
    if ctx.invoked_subcommand is not None:
        return
    demo_folder: Path | None = None
    db: Any = None
    if demo:
        from diazlog.demo import build_demo

        demo_folder = Path(tempfile.mkdtemp(prefix="diazlog-demo-"))
        path = demo_folder / "demo.db"
        click.echo(f"Building {years:g} year(s) of demo data in {path} …", err=True)
        db = build_demo(path, years=years)
    else:
        path = ctx.obj["db_path"]
        from diazlog.passphrase import app_must_unlock

        # An encrypted diary is opened by the app's unlock screen; a read-only one opens to
        # look at; the app checks either once it is on screen.
        db = None if app_must_unlock(path) else open_or_fail(path, check=False, for_reading=True)
    from diazlog.app import DiazlogApp
    from diazlog.store.connection import is_read_only

    app = DiazlogApp(db, path, demo=demo, read_only=db is not None and is_read_only(db.conn))
    try:
        app.run()
    finally:
        if demo_folder is not None:  # the demo diary (and anything exported from it) goes
            if db is not None:
                db.close()
            shutil.rmtree(demo_folder, ignore_errors=True)
            click.echo(f"Removed the demo data in {demo_folder}.", err=True)
    sys.exit(app.return_code or 0)


def db_for(ctx: click.Context, *, for_reading: bool = False):
    """The database named by --db / $DIAZLOG_DB / default, for a subcommand. A command that
    only reads never creates one: a mistyped path is refused (commands/diary.py)."""
    path = ctx.find_root().obj["db_path"]
    if for_reading:
        from diazlog.commands.diary import refuse_missing

        refuse_missing(path)
    return open_or_fail(path, create=not for_reading, for_reading=for_reading)


def main() -> None:
    from diazlog.store import sqlerrors

    try:
        cli(prog_name="diazlog")
    except sqlerrors.OperationalError as exc:  # a full disk or a lock no command caught itself
        fail(f"nothing was saved: {exc} (is the disk full, or the database locked?)")
    except sqlerrors.DatabaseError as exc:  # damage quick_check did not see (an index, say)
        if not sqlerrors.is_damage(exc):  # IntegrityError & co. are bugs, not damage
            raise
        fail(
            f"the diary could not be read ({exc}); it may be damaged: "
            "`diazlog restore FILE` takes back a backup"
        )
