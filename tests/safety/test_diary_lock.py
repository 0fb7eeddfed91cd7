"""One writer of the diary file's identity at a time (store/diary_lock.py).

`restore`, `encrypt`, `decrypt` and `passphrase` replace the diary's file. They refuse in one
line while another program has the diary open, and a program that opens it meanwhile waits
for the new file instead of writing into the old one (issue 21: 9 diaries destroyed by
`encrypt` racing `log` in about 100 tries, saves lost, false "damaged" messages).

Other processes are tests/support/lock_worker.py, started once per test; the test and they
synchronise on the lines they print, never on time.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import diazlog.store.file.cipher as cipher
from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.file import diary_lock
from tests.conftest import checkpointed_demo

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"


class Worker:
    """A tests/support/lock_worker.py process: send it a line, read its one-line answer."""

    def __init__(self, role: str, db_path: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.lock_worker", role, str(db_path)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.read_line() == "ready"

    def read_line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the worker ended"
        return line.strip()

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def ask(self, line: str) -> dict[str, object]:
        self.send(line)
        return json.loads(self.read_line())  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The passphrase file for this test and its workers (and a cheap key derivation here
    too, as in the workers)."""
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)  # diazlog refuses a passphrase file others can read
    monkeypatch.setenv(cipher.PASSPHRASE_FILE_VAR, str(secret))
    monkeypatch.setattr(cipher, "KDF_ITERATIONS", 1000)
    cipher.forget_keys()
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return checkpointed_demo(folder / "diazlog.db", 3.0)


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args])
    return result.exit_code, result.output


def identity(path: Path) -> tuple[int, bytes]:
    return path.stat().st_ino, path.read_bytes()


@pytest.mark.parametrize("command", ["encrypt", "decrypt", "passphrase", "restore"])
def test_replacing_the_file_is_refused_while_another_program_has_it_open(
    diary: Path, env: dict[str, str], workers: list[Worker], command: str
) -> None:
    backup = diary.parent / "b.db"
    assert run(diary, "backup", "--out", str(backup))[0] == 0
    if command in ("decrypt", "passphrase"):
        assert run(diary, "encrypt")[0] == 0
    holder = Worker("hold", diary, env)
    workers.append(holder)
    holder.ask("open")
    before = identity(diary)
    args = [command, str(backup)] if command == "restore" else [command]
    code, output = run(diary, *args)
    assert code == 2
    assert "close diazlog first; it is open in another window" in output
    assert len(output.strip().splitlines()) == 1
    assert identity(diary) == before  # not a byte changed
    holder.ask("close")
    code, output = run(diary, *args)
    assert code == 0, output


def test_an_opener_waits_for_a_conversion_and_says_so(
    diary: Path, env: dict[str, str], workers: list[Worker]
) -> None:
    converter = Worker("hold", diary, env)
    workers.append(converter)
    converter.ask("exclusive")  # as `encrypt` holds it while it converts
    status = subprocess.Popen(
        [sys.executable, "-m", "diazlog", "--db", str(diary), "status"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert status.stderr is not None
    first = status.stderr.readline()  # printed after a second of waiting
    assert "waiting: another diazlog is restoring, encrypting or decrypting" in first
    assert status.poll() is None  # still waiting, having opened nothing
    converter.ask("release")
    out, err = status.communicate(timeout=120)
    assert status.returncode == 0, err
    assert out.strip()


def test_one_process_holds_the_lock_many_times_and_lets_go_at_the_last(
    diary: Path, env: dict[str, str], workers: list[Worker]
) -> None:
    first = open_database(diary)
    second = open_database(diary)
    assert diary_lock.holders(diary) == 2
    first.close()
    first.close()  # twice is harmless: counted once
    assert diary_lock.holders(diary) == 1
    other = Worker("hold", diary, env)
    workers.append(other)
    other.ask("open")  # another program: this one may not replace the file now
    with pytest.raises(diary_lock.DiaryInUse):
        diary_lock.check_free(diary)
    other.ask("close")
    second.close()
    assert diary_lock.holders(diary) == 0
    with diary_lock.exclusive(diary):  # nobody holds it now
        assert diary_lock.lock_path(diary).stat().st_mode & 0o777 == 0o600


def test_encrypt_racing_logs_loses_nothing_and_destroys_nothing(
    diary: Path, env: dict[str, str], workers: list[Worker]
) -> None:
    """The issue's race, 50 times on a diary padded to several MB: `encrypt`, `passphrase`
    and `decrypt` against two `log`s started at varied moments. Every `log` that said so is
    saved, no message says "damaged", the diary stays whole, and no plain note is left in
    the WAL of the encrypted diary."""
    db = open_database(diary)
    with db.conn:  # 2,400 characters a day (the limit is 4,000): a diary of several MB
        db.conn.execute("UPDATE days SET note = ? || date", ["padding " * 300])
    db.close()
    assert diary.stat().st_size > 3_000_000
    converter, log1, log2 = (Worker(role, diary, env) for role in ("convert", "log1", "log2"))
    workers.extend([converter, log1, log2])
    rng = random.Random(21)
    converted = refused = 0
    tries = 50
    for try_no in range(tries):
        racers = (converter, log1, log2)
        converter.send(f"{try_no} 0")  # the logs land before, during or after it
        for worker in racers[1:]:
            worker.send(f"{try_no} {rng.uniform(0, 0.25):.3f}")
        answers = [json.loads(worker.read_line()) for worker in racers]
        for answer in answers:
            assert "damaged" not in answer["out"], answer
        for answer in answers[1:]:
            assert answer["code"] == 0, answer
        if answers[0]["code"] == 0:
            converted += 1
        else:
            refused += 1
            assert answers[0]["code"] == 2, answers[0]
            assert "close diazlog first" in answers[0]["out"]
        wal = Path(f"{diary}-wal")
        if cipher.is_encrypted(diary) and wal.exists():
            assert b"MARK" not in wal.read_bytes()
    print(f"{converted} converted, {refused} refused")
    assert converted > 0  # the race was run, not refused every time
    conn = cipher.connect_file(diary)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        notes = {row[0] for row in conn.execute("SELECT note FROM days WHERE date < '2016'")}
    finally:
        conn.close()
    for try_no in range(tries):
        for role in ("log1", "log2"):
            assert any(f"MARK{try_no}-{role}" in (n or "") for n in notes), (try_no, role)


def test_the_lock_file_is_private_and_never_in_the_way(diary: Path) -> None:
    open_database(diary).close()
    lock = diary_lock.lock_path(diary)
    assert lock.name == "diazlog.db.lock"
    assert lock.stat().st_mode & 0o777 == 0o600
    assert lock.stat().st_size == 0  # it holds no data
    assert run(diary, "status")[0] == 0
    conn = sqlite3.connect(diary)
    assert conn.execute("SELECT count(*) FROM days").fetchone()[0] > 0
    conn.close()


def lock_held_here(db_path: Path) -> str | None:
    """The kind of POSIX lock this process holds on the diary's lock file ("READ" shared,
    "WRITE" exclusive), as the kernel lists it in /proc/locks; None for none."""
    inode = diary_lock.lock_path(db_path).stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        kind, pid, where = fields[3], fields[4], fields[5]
        if fields[1] == "POSIX" and pid == str(os.getpid()) and where.endswith(f":{inode}"):
            return kind
    return None


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
@settings(max_examples=25)
@given(steps=st.lists(st.sampled_from(["open", "close", "convert"]), max_size=12))
def test_the_lock_is_held_exactly_while_a_connection_is_open(
    steps: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever the order of opens, closes and conversions in one process: shared while at
    least one connection is open, exclusive inside a conversion, and let go at the last."""
    diary = tmp_path_factory.mktemp("lock") / "diazlog.db"
    open_database(diary).close()
    opened: list[object] = []
    for step in steps:
        if step == "open":
            opened.append(open_database(diary))
        elif step == "close" and opened:
            opened.pop().close()  # type: ignore[attr-defined]
        elif step == "convert":
            with diary_lock.exclusive(diary):
                assert lock_held_here(diary) == "WRITE"
        assert diary_lock.holders(diary) == len(opened)
        assert lock_held_here(diary) == ("READ" if opened else None)
    for db in opened:
        db.close()  # type: ignore[attr-defined]
    assert lock_held_here(diary) is None


@pytest.mark.parametrize("kind", ["plain", "encrypted, on its unlock screen"])
def test_the_app_holds_the_lock_from_its_start_and_closes_the_diary_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[Worker], kind: str
) -> None:
    """`diazlog` (the app) holds the diary's lock while it runs, before anything is unlocked,
    so a restore or conversion elsewhere is refused; when it ends the diary is closed."""
    import diazlog.passphrase
    from diazlog.app import DiazlogApp

    diary = tmp_path / "data" / "diazlog.db"
    diary.parent.mkdir(mode=0o700)
    if kind == "plain":
        open_database(diary).close()
    else:
        cipher.create_encrypted(diary, PASSPHRASE)
        cipher.forget_keys()  # nobody has typed it yet: the app starts on its unlock screen
        monkeypatch.delenv(cipher.PASSPHRASE_FILE_VAR, raising=False)
        monkeypatch.setattr(diazlog.passphrase, "interactive", lambda app=True: True)
    seen: list[object] = []

    def run_the_app(app: DiazlogApp) -> None:
        seen.append((app.db is None, lock_held_here(diary)))
        other = Worker("hold", diary, {**os.environ, "PYTHONPATH": str(ROOT)})
        workers.append(other)
        assert other.ask("try") == {"done": "try", "refused": True}  # as `restore` would be
        seen.append(app)

    monkeypatch.setattr(DiazlogApp, "run", run_the_app)
    result = CliRunner().invoke(cli, ["--db", str(diary)])
    assert result.exit_code == 0, result.output
    assert seen[0] == (kind != "plain", "READ")
    app = seen[1]
    assert app.db is None or app.db.closed  # type: ignore[attr-defined]
    assert lock_held_here(diary) is None
