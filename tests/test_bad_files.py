"""A file that is not ours, damaged or newer: one clear line, exit 2, the file untouched."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.demo import build_demo
from diazlog.store import StoreError, open_database


def run(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(path)])
    return result.exit_code, result.stderr


def snapshot(path: Path) -> bytes:
    return path.read_bytes()


def check_refused(path: Path, words: str) -> None:
    before = snapshot(path)
    code, err = run(path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err
    assert "Traceback" not in err
    assert snapshot(path) == before
    assert not Path(f"{path}-wal").exists()


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("my shopping list\n")
    check_refused(path, "is not an SQLite database")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    check_refused(path, "is empty")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.db"
    path.write_bytes(os.urandom(8192))
    check_refused(path, "is not an SQLite database")


def real_db(tmp_path: Path) -> Path:
    path = tmp_path / "real.db"
    db = build_demo(path, years=0.2)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def test_truncated_database(tmp_path: Path) -> None:
    path = real_db(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    check_refused(path, "is damaged")


def test_garbage_inside_a_database(tmp_path: Path) -> None:
    path = real_db(tmp_path)
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page
    path.write_bytes(bytes(data))
    check_refused(path, "is damaged")


def test_newer_schema(tmp_path: Path) -> None:
    path = real_db(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    check_refused(path, "newer diazlog")


def test_foreign_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    check_refused(path, "another program")


def test_read_only_file(tmp_path: Path) -> None:
    path = real_db(tmp_path)
    path.chmod(0o400)
    check_refused(path, "read-only")


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = real_db(tmp_path)
    shutil.move(path, folder / "real.db")
    folder.chmod(0o500)
    try:
        check_refused(folder / "real.db", "read-only")
    finally:
        folder.chmod(0o700)


def test_missing_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "diazlog.db"
    db = open_database(path)
    assert db["days"].count == 0


def test_store_error_is_raised_not_exit(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_text("hello")
    with pytest.raises(StoreError):
        open_database(path)
