"""`diazlog serve`: the app in a browser, on this machine only unless confirmed otherwise.

The server itself is diazlog/serve/ (imported here, when the command runs, never on the way to
the terminal app). One `diazlog serve` per diary: a lock beside it is held while serving.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import click

from diazlog.commands.support import fail, open_or_fail
from diazlog.opening import say

SERVE_LOCK_SUFFIX = ".serve.lock"
REMOTE_WARNING = (
    "diazlog serve: warning: --host {host} lets other machines reach this server, and the "
    "diary then travels the network unencrypted. Prefer the default (127.0.0.1) and an SSH "
    "tunnel: ssh -L {port}:127.0.0.1:{port} you@this-computer. Open the link with this "
    "computer's address in place of {host}."
)


@contextlib.contextmanager
def serving_lock(db_path: Path) -> Iterator[None]:
    """Hold `<diary>.serve.lock` while serving: a second `diazlog serve` of the same diary is
    refused, so one browser session at a time writes it. The file is kept (it holds no data);
    the lock goes with the process, even a killed one."""
    lock = db_path.with_name(db_path.name + SERVE_LOCK_SUFFIX)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        fail(f"cannot serve {db_path}: {exc.strerror}")
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fail(
                f"{db_path} is already being served by another `diazlog serve`: "
                "open the link that one printed, or stop it first"
            )
        yield
    finally:
        os.close(fd)


@click.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default="a free port",
    help="Port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine needs --allow-remote.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Confirm a --host other machines can reach (the diary is then sent unencrypted).",
)
@click.pass_context
def command(ctx: click.Context, port: int, host: str, allow_remote: bool) -> None:
    """Open the diary in a web browser: prints a private link to open.

    \b
    Only this machine can connect (127.0.0.1) unless --host and --allow-remote say otherwise;
    from a phone or another computer, use an SSH tunnel (see the README, "In a browser").
    One browser tab at a time uses the diary. ctrl+c stops the server, saving the diary.
    """
    from diazlog.serve import guard

    db_path: Path = ctx.find_root().obj["db_path"]
    if not guard.is_loopback(host) and not allow_remote:
        fail(
            f"--host {host} would let other machines reach the diary; add --allow-remote to "
            "confirm, or use an SSH tunnel to 127.0.0.1 (see the README)"
        )
    from diazlog.store.file.privacy import private_folder

    try:
        private_folder(db_path.parent)  # a first diary's folder, as plain `diazlog` makes it
    except OSError as exc:
        fail(f"cannot use the folder {db_path.parent}: {exc.strerror}")
    from diazlog.store.file.cipher import needs_passphrase

    if db_path.exists() and not needs_passphrase(db_path):
        # A damaged, foreign or newer diary is refused here, in one line, before any port
        # is opened; an encrypted one is checked after its unlock screen, in the browser.
        open_or_fail(db_path, for_reading=True).close()
    from diazlog.serve.server import DiaryServer

    with serving_lock(db_path):
        server = DiaryServer(db_path, host, port, guard.new_token())
        try:
            server.bind()
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror}")
        if not guard.is_loopback(host):
            say(REMOTE_WARNING.format(host=host, port=server.port))
        server.run()
