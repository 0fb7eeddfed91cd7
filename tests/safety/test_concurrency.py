"""Two copies at once: two processes saving different days and the same day to one database.

Nothing saved is lost, the same day always holds one whole save (never a mix of two), the later
save wins, and neither process sees a traceback (WAL plus a busy timeout do the waiting).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from diazlog.domain.models import Category, Medication
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication

ROOT = Path(__file__).parents[2]
ROUNDS = 300  # days each copy saves in the race, each followed by a save of the shared day
SHARED = "1999-12-31"

CHILD = """
import sys, time
from datetime import date, datetime, timedelta
from pathlib import Path
from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.store import open_database
from diazlog.store.queries.days import save_day

db = open_database(Path(sys.argv[1]))
NOW = datetime(2026, 11, 25, 21, 30)

def log(day, tag, i):
    return DayLog(
        date=day,
        ratings=tuple(Rating(s, (i + s + len(tag)) % 11) for s in range(1, 7)),
        water_glasses=i % 41,
        note=f"{tag} {i}",
        doses=(Dose(1, "08:00", 1.0 + i % 7),),
    )

def shared(tag, i):
    start = time.monotonic_ns()
    save_day(db, log("1999-12-31", tag, i), NOW)
    return start, time.monotonic_ns()

print("ready", flush=True)
for line in sys.stdin:
    words = line.split()
    if words[0] == "race":
        first, count, tag = int(words[1]), int(words[2]), words[3]
        if words[4] == "go":
            # Both copies wait, opened and ready, for the test's "go" line, so the race
            # overlaps however the two processes were scheduled (a signal, not a clock).
            print("armed", flush=True)
            assert sys.stdin.readline().strip() == "go"
        for i in range(count):
            day = (date(2000, 1, 1) + timedelta(days=first + i)).isoformat()
            save_day(db, log(day, tag, i), NOW)
            start, end = shared(tag, i)
            print("s", i, start, end, flush=True)
        print("ok", flush=True)
    elif words[0] == "shared":
        start, end = shared(words[1], int(words[2]))
        print("ok", flush=True)
    elif words[0] == "import":
        from diazlog.transfer.importer import plan_import, run_import
        plan, _ = plan_import(db, Path(words[1]), NOW)
        report = run_import(db, plan, skip_bad=False)
        print("ok", report.added, flush=True)
"""


class Copy:
    """One running copy of diazlog's store, driven line by line."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.readline() == "ready", self.process.stderr.read()  # type: ignore[union-attr]

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def readline(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def until_ok(self) -> list[str]:
        lines = []
        while (line := self.readline()) and not line.startswith("ok"):
            lines.append(line)
        assert line.startswith("ok"), self.close()
        return lines + [line]

    def close(self) -> str:
        _out, err = self.process.communicate(timeout=30)
        return err


@pytest.fixture
def path(tmp_path: Path, new_diary: Callable[[Path], Path]) -> Path:
    path = new_diary(tmp_path / "data" / "diazlog.db")  # plain, or encrypted (conftest)
    db = open_database(path)
    save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True))
    db.close()
    return path


def whole(day: str, tag: str, i: int, saved) -> bool:  # type: ignore[no-untyped-def]
    """`saved` is exactly the save (tag, i) of `day`: every field, nothing from another."""
    return (
        saved is not None
        and saved.note == f"{tag} {i}"
        and [r.intensity for r in saved.ratings] == [(i + s + len(tag)) % 11 for s in range(1, 7)]
        and saved.water_glasses == i % 41
        and [d.amount for d in saved.doses] == [1.0 + i % 7]
    )


def test_two_copies_racing_lose_nothing_and_never_mix(path: Path) -> None:
    a, b = Copy(path), Copy(path)
    a.send(f"race 0 {ROUNDS} A go")
    b.send(f"race 1000 {ROUNDS} BB go")
    assert a.readline() == b.readline() == "armed"
    a.send("go")
    b.send("go")
    lines = {"A": a.until_ok(), "BB": b.until_ok()}
    errors = a.close() + b.close()
    assert "Traceback" not in errors and a.process.returncode == b.process.returncode == 0, errors
    db = open_database(path)
    for tag, first in (("A", 0), ("BB", 1000)):
        for i in range(ROUNDS):
            day = (date(2000, 1, 1) + timedelta(days=first + i)).isoformat()
            assert whole(day, tag, i, load_day(db, day)), f"lost {tag}'s save of {day}"
    # The shared day holds one whole save, and one no other save started after it returned.
    saves = [
        (tag, int(i), int(start), int(end))
        for tag, found in lines.items()
        for _s, i, start, end in (line.split() for line in found[:-1])
    ]
    assert len(saves) == 2 * ROUNDS
    in_time = [tag for tag, *_ in sorted(saves, key=lambda s: s[2])]
    switches = sum(1 for x, y in zip(in_time, in_time[1:], strict=False) if x != y)
    assert switches >= 4, f"the copies hardly overlapped ({switches} switches)"
    final = load_day(db, SHARED)
    winners = [s for s in saves if whole(SHARED, s[0], s[1], final)]
    assert len(winners) == 1, final
    _tag, _i, _start, end = winners[0]
    assert not [s for s in saves if s[2] > end], "an earlier save overwrote a later one"
    print(f"{len(saves)} shared-day saves, {switches} switches between the copies")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_later_save_of_the_same_day_wins(path: Path) -> None:
    a, b = Copy(path), Copy(path)
    db = open_database(path)
    order = [(a, "A"), (b, "BB"), (b, "BB"), (a, "A")] * 5
    for n, (copy, tag) in enumerate(order):
        copy.send(f"shared {tag} {n}")
        copy.until_ok()
        assert whole(SHARED, tag, n, load_day(db, SHARED)), f"save {n} by {tag} did not win"
    errors = a.close() + b.close()
    assert "Traceback" not in errors and a.process.returncode == b.process.returncode == 0, errors


def test_an_import_while_the_other_copy_saves(path: Path, tmp_path: Path) -> None:
    start = date(2005, 1, 1)
    csv_file = tmp_path / "years.csv"
    csv_file.write_text(
        "date,leg_pain,cramps\n"
        + "".join(f"{start + timedelta(days=n)},{n % 11},{n % 7}\n" for n in range(2000))
    )
    a, b = Copy(path), Copy(path)
    b.send(f"race 0 {ROUNDS // 2} BB now")  # no "go" to wait for
    a.send(f"import {csv_file}")
    imported = a.until_ok()[-1]
    b.until_ok()
    errors = a.close() + b.close()
    assert "Traceback" not in errors, errors
    assert imported == "ok 6000"
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM days WHERE date >= '2005'").fetchone()[0] == 2000
    for i in range(ROUNDS // 2):
        day = (date(2000, 1, 1) + timedelta(days=i)).isoformat()
        assert whole(day, "BB", i, load_day(db, day))


def test_a_read_then_write_waits_for_the_other_copy_instead_of_failing(path: Path) -> None:
    """add_symptom reads (is it there? what position?) then writes. While another copy holds
    the write lock, it must wait and then see that copy's data, not fail with "database is
    locked" (what a deferred transaction does once its read is stale)."""
    import threading

    from diazlog.store.queries.symptoms import add_symptom, list_symptoms

    other = open_database(path).conn
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO symptoms (key, name, description, position) "
        "VALUES ('restless_legs', 'Restless legs', '', 100)"
    )
    outcome: list[object] = []
    asked = threading.Event()  # set as add_symptom's BEGIN IMMEDIATE starts: it must wait

    def add() -> None:
        db = open_database(path)
        db.conn.set_trace_callback(lambda sql: sql.startswith("BEGIN IMMEDIATE") and asked.set())
        try:
            outcome.append(add_symptom(db, "Burning feet"))
        except Exception as exc:  # what the user would see
            outcome.append(exc)

    worker = threading.Thread(target=add)
    worker.start()
    assert asked.wait(timeout=60), "add_symptom never asked for the write lock"
    # The lock is still ours, so add_symptom is waiting for it: the race is certain.
    assert worker.is_alive() and not outcome
    other.commit()
    worker.join(timeout=15)
    (added,) = outcome
    assert not isinstance(added, Exception), added
    names = [s.name for s in list_symptoms(open_database(path))]
    assert names[-2:] == ["Restless legs", "Burning feet"]  # it read the other copy's row


def test_two_copies_migrating_at_once_run_each_migration_once(tmp_path: Path) -> None:
    """Both read the old schema version; the second waits for the first's migration (its
    transaction takes the write lock first), sees the new version, and skips it."""
    import sqlite3
    import threading

    from sqlite_utils import Database

    from diazlog.store.file import schema

    target = tmp_path / "diazlog.db"
    sqlite3.connect(target).execute("PRAGMA journal_mode = wal").close()
    errors: list[Exception] = []
    barrier = threading.Barrier(2)

    def migrate() -> None:
        db = Database(sqlite3.connect(target, timeout=10), execute_plugins=False)
        barrier.wait()
        try:
            schema.migrate(db)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db = open_database(target)
    assert schema.schema_version(db) == schema.LATEST_VERSION
    assert db.execute("SELECT count(*) FROM symptoms").fetchone()[0] == 6  # seeded once
