"""The command line: `diazlog` runs the app; subcommands work on the database from the shell.

This module only wires: each subcommand lives in commands/ and takes what it needs (the
diary, `fail`, the clock) from commands/support.py, never from here.

Exit codes: 0 ok, 2 for anything the user must fix (one clear line on stderr), 1 unexpected.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from diazlog import __version__, collector
from diazlog.opening import database_errors_as_one_line, fail, private_files, real_path, run_app
from diazlog.paths import ENV_VAR, default_database

__all__ = ["SUBCOMMANDS", "cli", "main"]


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
    "plan": "diazlog.commands.plan:command",
    "encrypt": "diazlog.commands.encrypt:encrypt",
    "decrypt": "diazlog.commands.encrypt:decrypt",
    "passphrase": "diazlog.commands.encrypt:passphrase",
    "calendar": "diazlog.commands.calendar:command",
    "remind": "diazlog.commands.remind:command",
    "serve": "diazlog.commands.serve:command",
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
    private_files()
    from diazlog.store.file.closing import closing_what_opens

    # Whatever the command opened is folded and closed when it ends: the diary is one file.
    ctx.with_resource(closing_what_opens())
    from diazlog.commands import support
    from diazlog.opening import say
    from diazlog.reminders.refresh import install_hook

    # After a command's write commits, the reminder files follow (reminders/refresh.py).
    install_hook(lambda line: say(f"diazlog: {line}"), support.now)
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = real_path(db_path or default_database())
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj["db_path"], demo=demo, years=years)
    collector.resume()  # only the app's first frame is worth starting without it


def main() -> None:
    with database_errors_as_one_line():
        cli(prog_name="diazlog")
