"""A killed `restore` leaves the old diary or the new one whole, and a write cut short in
rollback-journal mode (a hot `-journal`) is undone at the next open instead of every command
refusing with "attempt to write a readonly database (is the disk full or the file locked?)".
Kills happen at named steps (store/faults.py) or after the child says it holds the write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from diazlog.cli import cli
from diazlog.store.file.faults import STOP_VAR, STOPPED

ROOT = Path(__file__).resolve().parents[2]


def invoke(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def kill_when_ready(args: list[str], env: dict[str, str], ready: str) -> None:
    child = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert child.stdout is not None and child.stderr is not None and child.stdin is not None
    line = child.stdout.readline()  # the child's signal: it stands where it is to be killed
    if line.strip() != ready:
        child.kill()
        pytest.fail(f"child not ready: {line!r} {child.stderr.read()}")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()


def pain(db_path: Path, day: str) -> int | None:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    row = conn.execute(
        "SELECT intensity FROM ratings WHERE date = ? AND symptom_id = 1", [day]
    ).fetchone()
    conn.close()
    return row[0] if row else None


def test_a_restore_killed_before_its_rename_leaves_the_diary_whole(db_path: Path) -> None:
    assert invoke(db_path, "log", "--date", "2026-11-01", "leg_pain=5").exit_code == 0
    backup = db_path.parent / "b.db"
    assert invoke(db_path, "backup", "--out", str(backup)).exit_code == 0
    assert invoke(db_path, "log", "--date", "2026-11-01", "leg_pain=9").exit_code == 0
    kill_when_ready(
        [sys.executable, "-m", "diazlog", "--db", str(db_path), "restore", str(backup)],
        {STOP_VAR: f"copy-written {db_path.name}"},  # the diary's copy, not the kept one
        f"{STOPPED} copy-written {db_path.name}",
    )
    left = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert left, "the copy was killed before its rename"
    result = invoke(db_path, "status")
    assert result.exit_code == 0, result.output
    assert pain(db_path, "2026-11-01") == 9  # the old diary, whole
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert invoke(db_path, "restore", str(backup)).exit_code == 0
    assert pain(db_path, "2026-11-01") == 5


WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=DELETE")  # as a diary just restored or converted
conn.execute("PRAGMA cache_size=1")  # pages spill into the file: the journal is hot
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM ratings")
for i in range(200):
    conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [f"k{i}", "x" * 3000])
print("holding", flush=True)
sys.stdin.read()
"""


def kill_a_rollback_writer(db_path: Path) -> None:
    kill_when_ready([sys.executable, "-c", WRITER, str(db_path)], {}, "holding")
    journal = Path(f"{db_path}-journal")
    assert journal.is_file() and journal.stat().st_size > 0


@pytest.mark.plain_diary
def test_a_hot_journal_is_rolled_back_at_the_next_open(db_path: Path) -> None:
    assert invoke(db_path, "log", "--date", "2026-11-01", "leg_pain=5").exit_code == 0
    kill_a_rollback_writer(db_path)
    result = invoke(db_path, "status")
    assert result.exit_code == 0, result.output
    assert "disk full" not in result.output
    assert pain(db_path, "2026-11-01") == 5  # the killed write undone, nothing lost
    assert not Path(f"{db_path}-journal").exists()
    assert invoke(db_path, "log", "--date", "2026-11-02", "leg_pain=4").exit_code == 0


@pytest.mark.plain_diary
def test_a_hot_journal_in_a_read_only_folder_is_named_not_called_a_full_disk(
    db_path: Path,
) -> None:
    assert invoke(db_path, "log", "--date", "2026-11-01", "leg_pain=5").exit_code == 0
    kill_a_rollback_writer(db_path)
    os.chmod(db_path.parent, 0o500)
    try:
        result = invoke(db_path, "status")
    finally:
        os.chmod(db_path.parent, 0o700)
    assert result.exit_code == 2
    assert "cut short" in result.output and "diazlog.db-journal" in result.output
    assert "disk full" not in result.output and result.output.count("\n") == 1
    assert Path(f"{db_path}-journal").exists()  # never deleted
