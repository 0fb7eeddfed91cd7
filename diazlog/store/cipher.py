"""An encrypted diary: SQLCipher 4 (through `sqlcipher3`) keys, connections and conversions.

A plain diary starts with "SQLite format 3\\0"; an encrypted one starts with its 16-byte
random salt and is unreadable throughout (its WAL and journals too). `sqlcipher3` is imported
only here and only for an encrypted file, so a plain diary starts as fast as before.

The key. SQLCipher 4 turns a passphrase into the 32-byte page key with PBKDF2-HMAC-SHA512,
256,000 iterations, over the salt: a quarter of a second, on purpose. `PRAGMA key =
'passphrase'` would pay it again on every connection, and the app opens one per worker
thread, so diazlog derives the same key itself once per process (`Key.derive`, hashlib) and
hands SQLCipher the raw key and salt (`PRAGMA key = "x'<key><salt>'"`). The file stays an
ordinary SQLCipher 4 database: `sqlcipher` with `PRAGMA key = 'passphrase'` opens it.
Backups and re-encrypted copies reuse the diary's key and salt, so one derivation opens them
all. Keys live in this process's memory only, by salt; the passphrase itself is not kept.

Converting (encrypt, decrypt, a new passphrase) goes through SQLCipher's own
`sqlcipher_export` into a new file beside the diary, which is fsynced and only then renamed
over it: a kill at any moment leaves the old diary or the new one, whole. No plain copy,
journal or temporary file of an encrypted diary is ever written.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from diazlog.store import diary_lock, sqlerrors
from diazlog.store.atomic import fsync_path, make_temp_file
from diazlog.store.busy import held
from diazlog.store.errors import (
    CorruptDatabase,
    DatabaseUnavailable,
    NotADiazlogDatabase,
    StoreError,
)
from diazlog.store.privacy import FILE_MODE
from diazlog.store.rawfile import read_head

SQLITE_MAGIC = b"SQLite format 3\x00"
PASSPHRASE_FILE_VAR = "DIAZLOG_PASSPHRASE_FILE"
SALT_SIZE = 16
KEY_SIZE = 32
KDF_ITERATIONS = 256_000  # SQLCipher 4's default
KDF_DIGEST = "sha512"
MIN_PASSPHRASE = 8


class NeedsPassphrase(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} is encrypted (or not a diazlog diary): give the passphrase.")


class WrongPassphrase(StoreError):
    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path}: wrong passphrase (or not a diazlog diary); the file was left untouched."
        )


class WeakPassphrase(StoreError):
    """A new passphrase that is too short or empty."""


class Key:
    """SQLCipher's page key and the salt it was derived over (never printed).

    A plain class, not a dataclass: building one costs milliseconds at import, and this
    module is imported by every start, encrypted or not.
    """

    __slots__ = ("raw", "salt")

    def __init__(self, raw: bytes, salt: bytes) -> None:
        self.raw = raw
        self.salt = salt

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and (self.raw, self.salt) == (other.raw, other.salt)

    def __hash__(self) -> int:
        return hash((self.raw, self.salt))

    def __repr__(self) -> str:
        return f"Key(salt={self.salt.hex()})"

    @classmethod
    def derive(cls, passphrase: str, salt: bytes) -> Key:
        import hashlib

        raw = hashlib.pbkdf2_hmac(
            KDF_DIGEST, passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_SIZE
        )
        return cls(raw, salt)

    @classmethod
    def new(cls, passphrase: str) -> Key:
        """The key of a new encrypted file: a fresh random salt."""
        import secrets

        check_new_passphrase(passphrase)
        return cls.derive(passphrase, secrets.token_bytes(SALT_SIZE))

    @property
    def literal(self) -> str:
        """The raw key and salt as SQLCipher reads them: x'<64 hex><32 hex>'."""
        return f"x'{self.raw.hex()}{self.salt.hex()}'"


_keys: dict[bytes, Key] = {}  # salt -> key, for this process
_derive_lock = threading.Lock()


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise WeakPassphrase(f"a passphrase needs at least {MIN_PASSPHRASE} characters")


def remember(key: Key) -> Key:
    _keys[key.salt] = key
    return key


def forget_keys() -> None:
    """Drop every key of this process (tests; the app never needs to)."""
    _keys.clear()


# -- telling files apart -------------------------------------------------------------------


def _head(path: Path) -> bytes:
    try:
        return read_head(path, SALT_SIZE)  # never a close that drops SQLite's locks
    except OSError:
        return b""


def is_encrypted(path: Path | str) -> bool:
    """Not empty and not starting with SQLite's header: SQLCipher's salt (or not a database).

    Text (16 printable characters, which a random salt is about once in ten million) is
    not: that is a file of notes, say, given by mistake.
    """
    head = _head(Path(path))
    return bool(head) and head != SQLITE_MAGIC and not _is_text(head)


def _is_text(head: bytes) -> bool:
    return all(32 <= b < 127 or b in b"\t\r\n" for b in head)


def plain_file_note(db_path: Path) -> str:
    """What to add when a file (export, report) is written from an encrypted diary."""
    if not is_encrypted(db_path):
        return ""
    return " (a plain file: the diary's encryption does not cover it)"


def known_key(path: Path) -> Key | None:
    """The key of an encrypted file, if this process has one for its salt, or can derive it
    from the passphrase file named by $DIAZLOG_PASSPHRASE_FILE (not checked here)."""
    salt = _head(path)
    key = _keys.get(salt)
    if key is not None or len(salt) < SALT_SIZE:
        return key
    passphrase = passphrase_from_file()
    if passphrase is None:
        return None
    with _derive_lock:
        key = _keys.get(salt)
        if key is None:
            key = Key.derive(passphrase, salt)
            if opens_with(path, key):  # kept only when right: a wrong one is told each time
                remember(key)
        return key


def passphrase_from_file() -> str | None:
    """The passphrase in the file $DIAZLOG_PASSPHRASE_FILE names (for scripts), or None.

    Only the first line counts, without its line ending. The variable names a file, never
    the passphrase itself (an environment is readable by other programs of the user).
    """
    name = os.environ.get(PASSPHRASE_FILE_VAR)
    if not name:
        return None
    _check_private(Path(name).expanduser())
    try:
        text = Path(name).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DatabaseUnavailable(
            Path(name), f"the passphrase file ({PASSPHRASE_FILE_VAR}) could not be read: {exc}"
        ) from None
    return text.splitlines()[0] if text.splitlines() else ""


def _check_private(file: Path) -> None:
    """Refuse a passphrase file others can read or write, or that another user owns, as ssh
    refuses such a private key: the passphrase in it would be theirs to read or replace."""
    try:
        info = file.stat()
    except OSError:
        return  # reading it says why, below
    if info.st_mode & 0o077 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise DatabaseUnavailable(
            file,
            f"the passphrase file ({PASSPHRASE_FILE_VAR}) is open to others "
            f"(mode {info.st_mode & 0o777:04o}); run `chmod 600 {file}` and try again",
        )


def needs_passphrase(path: Path | str) -> bool:
    """An encrypted file for which this process has no key yet (nor a passphrase file)."""
    path = Path(path).expanduser()
    return path.is_file() and is_encrypted(path) and known_key(path) is None


# -- connecting ----------------------------------------------------------------------------


def _driver() -> Any:
    from sqlcipher3 import dbapi2

    sqlerrors.add_driver(dbapi2)
    return dbapi2


def connect(
    path: Path,
    key: Key,
    *,
    read_only: bool = False,
    timeout: float = 10.0,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A sqlcipher3 connection to `path` with `key` (the file need not exist yet)."""
    dbapi2 = _driver()
    uri = f"{Path(path).resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    conn = dbapi2.connect(uri, uri=True, timeout=timeout, check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # first: the library writes no stderr
        conn.execute(f'PRAGMA key = "{key.literal}"')
    except BaseException:
        conn.close()
        raise
    return conn  # type: ignore[no-any-return]


def connect_file(
    path: Path | str,
    *,
    read_only: bool = False,
    timeout: float = 10.0,
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A connection to a diary or backup, plain or encrypted, found by its first bytes.

    A plain file gets the standard library's sqlite3 (nothing of SQLCipher is imported); an
    encrypted one a sqlcipher3 connection with this process's key (NeedsPassphrase without).
    """
    path = Path(path)
    if is_encrypted(path):
        key = known_key(path)
        if key is None:
            raise NeedsPassphrase(path)
        return connect(
            path, key, read_only=read_only, timeout=timeout, check_same_thread=check_same_thread
        )
    uri = f"{path.resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=check_same_thread)


def file_of(conn: sqlite3.Connection) -> Path | None:
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1] == "main" and row[2]:
            return Path(row[2])
    return None


def key_of(conn: sqlite3.Connection) -> Key | None:
    """The key of a connection's file: None for a plain (standard library) connection."""
    if isinstance(conn, sqlite3.Connection):
        return None
    path = file_of(conn)
    key = known_key(path) if path is not None else None
    if key is None:
        raise NeedsPassphrase(path or Path("?"))
    return key


def connect_like(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """A connection to a new file `path` encrypted as `source` is (same key), or plain."""
    key = key_of(source)
    return sqlite3.connect(path) if key is None else connect(path, key)


# -- unlocking -----------------------------------------------------------------------------


def check_encrypted(path: Path) -> Key:
    """The key that opens the encrypted file `path`, checked on the file; else NeedsPassphrase
    or WrongPassphrase (nothing written: a read-only look whose traces are removed)."""
    if not is_encrypted(path):
        raise NotADiazlogDatabase(path, "is not an SQLite database")
    key = known_key(path)
    if key is None:
        raise NeedsPassphrase(path)
    if not opens_with(path, key):
        _keys.pop(key.salt, None)
        raise WrongPassphrase(path)
    return remember(key)


def unlock(path: Path | str, passphrase: str) -> Key:
    """Derive the key of `path` from `passphrase` (about a quarter of a second), check it and
    keep it for this process. WrongPassphrase leaves the file byte for byte as it was."""
    path = Path(path).expanduser()
    salt = _head(path)
    if len(salt) < SALT_SIZE or salt == SQLITE_MAGIC:
        raise CorruptDatabase(path, "it is not an encrypted diary")
    key = Key.derive(passphrase, salt)
    if not opens_with(path, key):
        raise WrongPassphrase(path)
    return remember(key)


@contextlib.contextmanager
def _no_traces(path: Path) -> Iterator[None]:
    """Remove -wal and -shm files a read-only look created (a WAL database makes them)."""
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    existed = [p.exists() for p in companions]
    try:
        yield
    finally:
        for companion, was_there in zip(companions, existed, strict=True):
            if not was_there and companion.exists() and companion.stat().st_size == 0:
                companion.unlink(missing_ok=True)


PAGE_SIZE = 4096  # SQLCipher 4's default, which diazlog keeps
_RESERVE = 16 + 64  # each page ends with its IV and its HMAC-SHA512
HMAC_SALT_MASK = 0x3A
HMAC_KDF_ITERATIONS = 2


def page_one_matches(key: Key, page: bytes) -> bool:
    """Check the HMAC SQLCipher 4 wrote on page 1 with the key, as SQLCipher itself does:
    HMAC-SHA512 (key: PBKDF2 of the page key over the salt XOR 0x3a, 2 iterations) of the
    page after the salt up to its HMAC, then the page number (1, little-endian).

    Plain Python on bytes already read: a wrong passphrase is told without SQLite opening
    the file, so not even the WAL index (-shm) is touched.
    """
    import hashlib
    import hmac

    mask = bytes(b ^ HMAC_SALT_MASK for b in key.salt)
    hmac_key = hashlib.pbkdf2_hmac(KDF_DIGEST, key.raw, mask, HMAC_KDF_ITERATIONS, KEY_SIZE)
    body = page[SALT_SIZE:]
    signed = len(body) - _RESERVE + 16  # the encrypted bytes and the IV
    digest = hmac.new(hmac_key, body[:signed] + (1).to_bytes(4, "little"), "sha512").digest()
    return hmac.compare_digest(digest, body[signed : signed + 64])


def opens_with(path: Path, key: Key) -> bool:
    """Whether `key` decrypts `path` (its first page passes SQLCipher's HMAC)."""
    try:
        page = read_head(path, PAGE_SIZE)
    except OSError as exc:
        raise DatabaseUnavailable(path, exc.strerror or str(exc)) from None
    if len(page) == PAGE_SIZE and page[:SALT_SIZE] == key.salt:
        return page_one_matches(key, page)
    # Shorter than a page (or another salt): ask SQLCipher, then remove what it left.
    with _no_traces(path):
        try:
            conn = connect(path, key, read_only=True)
        except sqlerrors.Error as exc:
            raise DatabaseUnavailable(path, str(exc)) from None
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlerrors.OperationalError as exc:
            raise DatabaseUnavailable(path, f"{exc} (is the file locked?)") from None
        except sqlerrors.DatabaseError:
            return False
        finally:
            conn.close()
    return True


# -- converting ----------------------------------------------------------------------------


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
    from diazlog.store.integrity import BACKUP_FOLDER

    folder = Path(db_path).parent / BACKUP_FOLDER
    done = []
    for backup in sorted(folder.glob(f"{Path(db_path).stem}-*.db")) if folder.is_dir() else []:
        head = _head(backup)
        plain = head == SQLITE_MAGIC
        if (source is None and not plain) or (source is not None and plain):
            continue
        if source is not None and (head != source.salt or not opens_with(backup, source)):
            continue
        _convert(backup, source, target, None)
        done.append(backup)
    return done


def _convert_diary(
    path: Path, source: Key | None, target: Key | None, after_copy: Callable[[], None] | None
) -> None:
    """_convert the diary itself while no other program has it open (DiaryInUse if one
    has): a program writing to the old file would lose its save or, through its WAL,
    destroy the new one. Openers arriving meanwhile wait (store/diary_lock.py)."""
    with diary_lock.exclusive(path):
        _convert(path, source, target, after_copy)


def _convert(
    path: Path, source: Key | None, target: Key | None, after_copy: Callable[[], None] | None
) -> None:
    """Copy `path` with SQLCipher's export into a new file beside it, keyed `target` (None:
    plain), then rename it over `path`. `after_copy` runs between (the crash tests' hook)."""
    path = Path(path)
    dbapi2 = _driver()
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


def create_encrypted(path: Path, passphrase: str) -> Key:
    """A new, empty encrypted diary at `path` (which must not exist): made under a temporary
    name beside it and renamed when whole. open_database then migrates it as usual."""
    path = Path(path)
    key = Key.new(passphrase)
    fd, temp = make_temp_file(path)
    os.close(fd)
    try:
        with held(temp):  # an empty file: SQLCipher writes the salt with the first page
            conn = connect(temp, key)
            try:
                # Writes page 1 (the salt and an empty schema): a diary of version 0.
                conn.execute("PRAGMA user_version = 0")
                conn.execute("CREATE TABLE diazlog_new (x)")
                conn.execute("DROP TABLE diazlog_new")
                conn.commit()
            finally:
                conn.close()
            os.chmod(temp, FILE_MODE)
            fsync_path(temp)
            os.link(temp, path)  # fails, never overwrites, if a diary appeared meanwhile
            temp.unlink()
            fsync_path(path.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return remember(key)


def open_with_passphrase(path: Path | str, passphrase: str) -> Any:
    """Unlock `path` with `passphrase` and open it as open_database does (a migration makes
    its backup first); WrongPassphrase leaves the file untouched."""
    from diazlog.store.backup import backup_before_migration
    from diazlog.store.connection import open_database

    path = Path(path).expanduser()
    unlock(path, passphrase)
    return open_database(path, create=False, before_migration=backup_before_migration)
