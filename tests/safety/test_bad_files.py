"""A file that is not ours, damaged or newer: one clear line, exit 2, the file untouched."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.demo import build_demo
from diazlog.store import StoreError, open_database
from tests.support.helpers import invoke


def run(path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(path), *args])
    return result.exit_code, result.stderr


def snapshot(path: Path) -> bytes:
    return path.read_bytes()


def check_refused(path: Path, words: str, *args: str) -> None:
    before = snapshot(path)
    code, err = run(path, *args)
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
    check_refused(path, "is encrypted (or not a diazlog diary): give the passphrase")


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
    """Refused for writing (the app opens it to look at: tests/store/test_read_only.py)."""
    path = real_db(tmp_path)
    path.chmod(0o400)
    check_refused(path, "read-only", "log", "leg_pain=3")


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = real_db(tmp_path)
    shutil.move(path, folder / "real.db")
    folder.chmod(0o500)
    try:
        check_refused(folder / "real.db", "read-only", "log", "leg_pain=3")
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


# -- the data-safety commands: restore, import, export, backup ---------------------------------


def bad_sources(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Files a restore must refuse, each with the words its message must contain."""
    found: dict[str, tuple[Path, str]] = {}
    empty = tmp_path / "bad-empty.db"
    empty.write_bytes(b"")
    found["empty"] = (empty, "is empty")
    noise = tmp_path / "bad-noise.db"
    noise.write_bytes(os.urandom(8192))
    found["random"] = (noise, "is encrypted (or not a diazlog diary)")
    (tmp_path / "t").mkdir()
    cut = real_db(tmp_path / "t")
    cut.write_bytes(cut.read_bytes()[:20000])
    found["truncated"] = (cut, "is damaged")
    (tmp_path / "n").mkdir()
    newer = real_db(tmp_path / "n")
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    found["newer"] = (newer, "newer diazlog")
    other = tmp_path / "bad-other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    found["foreign"] = (other, "another program")
    return found


@pytest.mark.parametrize("kind", ["empty", "random", "truncated", "newer", "foreign"])
def test_restore_of_a_bad_file_changes_nothing(tmp_path: Path, kind: str) -> None:
    target = real_db(tmp_path)
    source, words = bad_sources(tmp_path)[kind]
    before, source_before = snapshot(target), snapshot(source)
    result = invoke(target, "restore", str(source))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(target) == before
    assert snapshot(source) == source_before
    assert not (tmp_path / "backups").exists()  # nothing to keep: nothing was replaced


def test_restore_into_a_read_only_database_changes_nothing(tmp_path: Path) -> None:
    target = real_db(tmp_path)
    (tmp_path / "b").mkdir()
    source = real_db(tmp_path / "b")
    target.chmod(0o400)
    before = snapshot(target)
    result = invoke(target, "restore", str(source))
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert snapshot(target) == before


def test_import_into_a_read_only_database(tmp_path: Path) -> None:
    target = real_db(tmp_path)
    csv_file = tmp_path / "ratings.csv"
    csv_file.write_text("date,leg_pain\n2026-01-01,5\n")
    for locked, what in ((target, "the file"), (tmp_path, "its folder")):
        locked.chmod(0o500 if locked.is_dir() else 0o400)
        try:
            before = snapshot(target)
            result = invoke(target, "import", str(csv_file))
            assert result.exit_code == 2
            assert f"{what} is read-only" in result.stderr
            assert snapshot(target) == before
        finally:
            locked.chmod(0o700 if locked.is_dir() else 0o600)


def test_export_and_backup_into_a_read_only_folder(tmp_path: Path) -> None:
    source = real_db(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        export = invoke(source, "export", "--out", str(locked / "out"))
        assert export.exit_code == 2 and "export failed" in export.stderr
        backup = invoke(source, "backup", "--out", str(locked / "b.db"))
        assert backup.exit_code == 2 and "could not write the backup" in backup.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def run_with_a_full_disk(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI where no file may grow past `limit` bytes: writes fail as on a full disk."""

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, don't kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "diazlog", *args],
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        timeout=60,
    )


def contents(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT * FROM days ORDER BY date").fetchall()
            + conn.execute("SELECT * FROM ratings ORDER BY date, symptom_id").fetchall()
        )
    finally:
        conn.close()


def test_a_full_disk_during_import(tmp_path: Path) -> None:
    target = tmp_path / "data" / "diazlog.db"
    open_database(target).close()
    from datetime import date, timedelta

    start = date(2005, 1, 1)
    rows = "".join(f"{start + timedelta(days=n)},{n % 11},{n % 7}\n" for n in range(6000))
    big = tmp_path / "years.csv"
    big.write_text("date,leg_pain,cramps\n" + rows)
    before = contents(target)
    result = run_with_a_full_disk(150_000, "--db", str(target), "import", str(big))
    assert result.returncode == 2, result.stderr
    assert "import failed, nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(target) == before
    assert open_database(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_disk_too_full_to_even_read_is_not_called_damaged(tmp_path: Path) -> None:
    source = real_db(tmp_path)
    before = snapshot(source)
    result = run_with_a_full_disk(8_000, "--db", str(source), "export", "--out", "x")
    assert result.returncode == 2
    assert "is the disk full" in result.stderr and "damaged" not in result.stderr
    assert snapshot(source) == before


def test_a_full_disk_during_export_and_backup(tmp_path: Path) -> None:
    source = tmp_path / "year.db"
    build_demo(source, years=1).close()
    size = source.stat().st_size
    out = tmp_path / "out"
    export = run_with_a_full_disk(40_000, "--db", str(source), "export", "--out", str(out))
    assert export.returncode == 2 and "export failed" in export.stderr, export.stderr
    assert "File too large" in export.stderr or "No space" in export.stderr
    assert "Traceback" not in export.stderr
    assert not out.exists()  # whole or absent: the cut-short export was never renamed in
    assert list(tmp_path.glob(".out.*")) == []
    backup = tmp_path / "b.db"
    result = run_with_a_full_disk(size // 2, "--db", str(source), "backup", "--out", str(backup))
    assert result.returncode == 2 and "could not write the backup" in result.stderr
    assert "Traceback" not in result.stderr
    assert not backup.exists()
    assert list(tmp_path.glob(".b.db.*")) == []


def test_a_full_disk_during_log(tmp_path: Path) -> None:
    source = real_db(tmp_path)
    before = contents(source)
    # 33,000 bytes: room for SQLite's 32 KiB shared-memory file, not for the day's pages.
    # `log` writes only the rows it changes, so give it enough of them to need more pages
    # (about 11) than the 8 that fit: a new day, ratings, doses and a new medicine.
    note = "x" * 3900
    entry = ["leg_pain=5", "cramps=4", "fatigue=3", "spasms=2", "sleep_hours=7", "--date"]
    entry += ["2020-10-01", "--dose", "3@07:00", "--dose", "Wintergreen:1@07:00"]
    result = run_with_a_full_disk(33_000, "--db", str(source), "log", *entry, "--note", note)
    assert result.returncode == 2, result.stderr
    assert "nothing was saved" in result.stderr and "is the disk full" in result.stderr
    assert "Traceback" not in result.stderr
    assert contents(source) == before
