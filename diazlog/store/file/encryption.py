"""Encrypting, decrypting and re-keying a diary and its backups, and opening one with a
passphrase: the SQLCipher work that needs the diary's lock, its backups and its opening.

store/cipher.py holds the keys and connections these use and imports none of this, so the
file layer runs one way: cipher < connection, integrity, backup < encryption.

Converting goes through SQLCipher's own `sqlcipher_export` into a new file beside the
diary, which is fsynced and only then renamed over it: a kill at any moment leaves the old
diary or the new one, whole. No plain copy, journal or temporary file of an encrypted
diary is ever written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diazlog.store.file import diary_lock
from diazlog.store.file.atomic import fsync_path, make_temp_file
from diazlog.store.file.backup import backup_before_migration
from diazlog.store.file.busy import held
from diazlog.store.file.cipher import (
    SQLITE_MAGIC,
    Key,
    driver,
    file_head,
    opens_with,
    remember,
    unlock,
)
from diazlog.store.file.connection import open_database
from diazlog.store.file.errors import CorruptDatabase, DatabaseUnavailable
from diazlog.store.file.integrity import BACKUP_FOLDER
from diazlog.store.file.privacy import FILE_MODE


def encrypt_file(
    path: Path, passphrase: str, *, after_copy: Callable[[], None] | None = None
) -> Key:
    """Turn the plain diary at `path` into an encrypted one with a new key."""
    key = Key.new(passphrase)
    _convert_diary(path, None, key, after_copy)
    return remember(key)


def encrypt_file_with(path: Path, key: Key) -> Key:
    """encrypt_file with a key derived beforehand (the app derives it in a worker)."""
    _convert_diary(path, None, key, None)
    return remember(key)


def decrypt_file(path: Path, key: Key, *, after_copy: Callable[[], None] | None = None) -> None:
    """Turn the encrypted diary at `path` (opened by `key`) back into a plain one."""
    _convert_diary(path, key, None, after_copy)


def rekey_file(
    path: Path, key: Key, passphrase: str, *, after_copy: Callable[[], None] | None = None
) -> Key:
    """Give the encrypted diary at `path` a new passphrase (and a new salt)."""
    new = Key.new(passphrase)
    _convert_diary(path, key, new, after_copy)
    return remember(new)


def convert_backups(db_path: Path, source: Key | None, target: Key) -> list[Path]:
    """Encrypt (source None) or re-key the diary's backups that open with `source`, each
    as the diary: a new file renamed over the old one. Others are left as they are."""
    folder = Path(db_path).parent / BACKUP_FOLDER
    done = []
    for backup in sorted(folder.glob(f"{Path(db_path).stem}-*.db")) if folder.is_dir() else []:
        head = file_head(backup)
        plain = head == SQLITE_MAGIC
        if (source is None and not plain) or (source is not None and plain):
            continue
        if source is not None and (head != source.salt or not opens_with(backup, source)):
            continue
        convert(backup, source, target, None)
        done.append(backup)
    return done


def _convert_diary(
    path: Path, source: Key | None, target: Key | None, after_copy: Callable[[], None] | None
) -> None:
    """convert() the diary itself while no other program has it open (DiaryInUse if one
    has): a program writing to the old file would lose its save or, through its WAL,
    destroy the new one. Openers arriving meanwhile wait (store/diary_lock.py)."""
    with diary_lock.exclusive(path):
        convert(path, source, target, after_copy)


def convert(
    path: Path, source: Key | None, target: Key | None, after_copy: Callable[[], None] | None
) -> None:
    """Copy `path` with SQLCipher's export into a new file beside it, keyed `target` (None:
    plain), then rename it over `path`. `after_copy` runs between (the crash tests' hook)."""
    path = Path(path)
    dbapi2 = driver()
    fd, temp = make_temp_file(path)
    os.close(fd)
    os.chmod(temp, FILE_MODE)
    try:
        with held(temp):
            _export(dbapi2, path, source, temp, target)
            fsync_path(temp)
            if after_copy is not None:
                after_copy()
            os.replace(temp, path)
            fsync_path(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)
        raise


def _export(dbapi2: Any, path: Path, source: Key | None, temp: Path, target: Key | None) -> None:
    conn = dbapi2.connect(str(path), timeout=10.0)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source is not None:
            conn.execute(f'PRAGMA key = "{source.literal}"')
        # One self-contained file, with nothing left in a WAL beside it: a WAL of the old file
        # must never be applied to the new one (nor stay behind in plain text).
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if mode != "delete":
            raise DatabaseUnavailable(path, "it is in use: close diazlog everywhere first")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute(
            "ATTACH DATABASE ? AS converted KEY ?",
            [str(temp), target.literal if target is not None else ""],
        )
        conn.execute("BEGIN IMMEDIATE")  # nobody writes to the diary while it is copied
        conn.execute("SELECT sqlcipher_export('converted')")
        # sqlcipher_export copies tables and rows, not these two header fields.
        conn.execute(f"PRAGMA converted.user_version = {int(version)}")
        conn.execute(f"PRAGMA converted.application_id = {int(app_id)}")
        problem = conn.execute("PRAGMA converted.quick_check").fetchone()[0]
        conn.commit()
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()
    if problem != "ok":
        raise CorruptDatabase(path, f"the converted copy failed its check ({problem})")
    os.chmod(temp, FILE_MODE)


def open_with_passphrase(path: Path | str, passphrase: str) -> Any:
    """Unlock `path` with `passphrase` and open it as open_database does (a migration makes
    its backup first); WrongPassphrase leaves the file untouched."""
    path = Path(path).expanduser()
    unlock(path, passphrase)
    return open_database(path, create=False, before_migration=backup_before_migration)
