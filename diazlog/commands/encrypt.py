"""`diazlog encrypt`, `diazlog decrypt`, `diazlog passphrase`: the diary's encryption.

Each converts the diary (and its backups) through SQLCipher's export into a new file that
replaces the old one only when whole (store/cipher.py). Each refuses, in one line and before
asking for a passphrase, while the app or another command has the diary open, and holds the
diary's lock while it converts, so a `log` or the app started meanwhile waits for the new
file instead of writing to the old one (store/diary_lock.py).
"""

from __future__ import annotations

from pathlib import Path

import click

from diazlog.commands.echo import echo
from diazlog.commands.support import fail, open_or_fail

LOST = "Keep the passphrase safe: without it nobody can read the diary, you included."


def _diary(ctx: click.Context) -> Path:
    path = Path(ctx.find_root().obj["db_path"]).expanduser()
    if not path.is_file():
        fail(f"{path}: no diary there yet (run `diazlog` once to make one)")
    open_or_fail(path, create=False).close()  # checked, migrated, unlocked when encrypted
    _free_or_fail(path)
    return path


def _free_or_fail(path: Path) -> None:
    """Refuse now, before a passphrase is typed, if the diary is open elsewhere."""
    from diazlog.store import StoreError
    from diazlog.store.file.diary_lock import check_free

    try:
        check_free(path)
    except StoreError as exc:
        fail(str(exc))


@click.command("encrypt")
@click.pass_context
def encrypt(ctx: click.Context) -> None:
    """Encrypt the diary with a new passphrase (asked twice; see the README)."""
    from diazlog.passphrase import new_passphrase
    from diazlog.store import StoreError
    from diazlog.store.file.cipher import is_encrypted
    from diazlog.store.file.encryption import convert_backups, encrypt_file

    path = _diary(ctx)
    if is_encrypted(path):
        fail(f"{path} is encrypted already; `diazlog passphrase` changes the passphrase")
    from diazlog.store.file.diary_lock import exclusive

    try:
        passphrase = new_passphrase(path)
        with exclusive(path):  # the backups too: a daily backup meanwhile would be plain
            if is_encrypted(path):  # another `encrypt` got there first
                fail(f"{path} is encrypted already; `diazlog passphrase` changes the passphrase")
            key = encrypt_file(path, passphrase)
            done = convert_backups(path, None, key)
    except StoreError as exc:
        fail(str(exc))
    echo(f"Encrypted {path}, and {_count(done)} in its backups folder. {LOST}")
    echo("Exports and reports you wrote earlier are plain files: delete those you no longer need.")


@click.command("decrypt")
@click.pass_context
def decrypt(ctx: click.Context) -> None:
    """Turn the encrypted diary back into a plain SQLite file (backups stay encrypted)."""
    from diazlog.passphrase import key_of_file
    from diazlog.store import StoreError
    from diazlog.store.file.cipher import is_encrypted
    from diazlog.store.file.encryption import decrypt_file

    path = _diary(ctx)
    if not is_encrypted(path):
        fail(f"{path} is not encrypted")
    from diazlog.store.file.diary_lock import exclusive

    try:
        key = key_of_file(path)
        with exclusive(path):
            if not is_encrypted(path):  # another `decrypt` got there first
                fail(f"{path} is not encrypted")
            decrypt_file(path, key)
    except StoreError as exc:
        fail(str(exc))
    echo(
        f"Decrypted {path}: anyone who can read the file can read the diary now. "
        "Its earlier backups stay encrypted (restoring one asks for its passphrase)."
    )


@click.command("passphrase")
@click.pass_context
def passphrase(ctx: click.Context) -> None:
    """Change the passphrase of the encrypted diary (and of its backups)."""
    from diazlog.passphrase import key_of_file, new_passphrase
    from diazlog.store import StoreError
    from diazlog.store.file.cipher import check_encrypted, is_encrypted
    from diazlog.store.file.encryption import convert_backups, rekey_file

    path = _diary(ctx)
    if not is_encrypted(path):
        fail(f"{path} is not encrypted: `diazlog encrypt` encrypts it")
    from diazlog.store.file.diary_lock import exclusive

    try:
        old = key_of_file(path)
        passphrase = new_passphrase(path)
        with exclusive(path):
            if not path.exists() or check_encrypted(path) != old:  # changed meanwhile
                fail(f"{path} was changed by another diazlog meanwhile; nothing was done")
            key = rekey_file(path, old, passphrase)
            done = convert_backups(path, old, key)
    except StoreError as exc:
        fail(str(exc))
    echo(f"New passphrase set for {path}, and {_count(done)} in its backups folder. {LOST}")


def _count(done: list[Path]) -> str:
    return f"{len(done)} backup{'' if len(done) == 1 else 's'}"
