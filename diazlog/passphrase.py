"""The passphrase of an encrypted diary on the command line: asked on the terminal (hidden),
or read from the file $DIAZLOG_PASSPHRASE_FILE names, for scripts. Never an argument or an
environment variable holding it: both are visible to other programs of the user."""

from __future__ import annotations

from pathlib import Path

from diazlog.store.file.cipher import (
    Key,
    NeedsPassphrase,
    WeakPassphrase,
    check_encrypted,
    check_new_passphrase,
    needs_passphrase,
    passphrase_from_file,
    unlock,
)


def ask(prompt: str, path: Path, *, confirm: bool = False) -> str:
    """Read a passphrase on the terminal without echoing it; NeedsPassphrase without one
    (or without a terminal: a script names a passphrase file instead)."""
    if not interactive(app=False):
        raise NeedsPassphrase(path)
    import click  # only to ask: opening the app does not import it

    try:
        text = click.prompt(
            prompt,
            hide_input=True,
            confirmation_prompt="Once more, to be sure" if confirm else False,
            err=True,
            default="",
            show_default=False,
        )
    except click.Abort:
        raise NeedsPassphrase(path) from None
    if not text:
        raise NeedsPassphrase(path)
    return str(text)


def ensure_unlocked(path: Path, *, what: str = "the diary") -> None:
    """Make sure this process holds the key of `path` if it is encrypted: the passphrase file,
    else a hidden prompt. A wrong passphrase raises WrongPassphrase (the file untouched)."""
    path = Path(path).expanduser()
    if not needs_passphrase(path):
        return
    unlock(path, ask(f"Passphrase of {what} ({path.name})", path))


def key_of_file(path: Path) -> Key:
    """The checked key of the encrypted file `path` (asking for it if needed)."""
    ensure_unlocked(path)
    return check_encrypted(path)


def new_passphrase(path: Path) -> str:
    """A new passphrase: the passphrase file's, or typed twice (hidden)."""
    given = passphrase_from_file()
    if given is not None:
        check_new_passphrase(given)
        return given
    text = ask("New passphrase", path)
    check_new_passphrase(text)  # before asking again: a short one is said at once
    if ask("Once more, to be sure", path) != text:
        raise WeakPassphrase("the two passphrases differ; nothing was changed")
    return text


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve starts the app with


def app_must_unlock(path: Path) -> bool:
    """Whether the app starts on its unlock screen: an encrypted diary, no passphrase file.
    An unreadable passphrase file raises StoreError, which the caller words (opening.py)."""
    # Without a terminal nobody can type it: commands' one-line refusal instead.
    return interactive(app=True) and needs_passphrase(path)


def interactive(*, app: bool = True) -> bool:
    """Whether someone at a terminal can type a passphrase (into the app: it needs the
    terminal's output too). The app `diazlog serve` starts for a browser has pipes, not a
    terminal, but a person at the browser types into its unlock screen (diazlog/serve/)."""
    import os
    import sys

    if app and os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return True
    return sys.stdin.isatty() and (not app or sys.stdout.isatty())
