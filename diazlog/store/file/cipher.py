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

Converting (encrypt, decrypt, a new passphrase) and opening with a passphrase are in
store/encryption.py, which builds on this module and on backup and integrity; this one
imports neither, so the imports of the file layer run one way.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diazlog.store.file import sqlerrors
from diazlog.store.file.atomic import fsync_path, make_temp_file
from diazlog.store.file.busy import held
from diazlog.store.file.errors import (
    CorruptDatabase,
    DatabaseUnavailable,
    NotADiazlogDatabase,
    StoreError,
)
from diazlog.store.file.privacy import FILE_MODE
from diazlog.store.file.rawfile import read_head

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


def file_head(path: Path) -> bytes:
    try:
        return read_head(path, SALT_SIZE)  # never a close that drops SQLite's locks
    except OSError:
        return b""


def is_encrypted(path: Path | str) -> bool:
    """Not empty and not starting with SQLite's header: SQLCipher's salt (or not a database).

    Text (16 printable characters, which a random salt is about once in ten million) is
    not: that is a file of notes, say, given by mistake.
    """
    head = file_head(Path(path))
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
    salt = file_head(path)
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


def driver() -> Any:
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
    dbapi2 = driver()
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
    salt = file_head(path)
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
