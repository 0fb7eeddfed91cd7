"""Several `diazlog log` at once (a cron job and a shell alias, two terminals), as real processes.

Every call that printed "Saved" must be in the diary afterwards: its dose, its note line and,
for the symptom each writer owns, the writer's last rating. A new diary created by many
processes at once must be created once, and every one of them must save.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from tests.conftest import diazepam_medication
from tests.support.helpers import wait_for_line

ROOT = Path(__file__).parents[2]
SECONDS = 4.0  # how long the writers race
MAX_CALLS = 40  # per writer, so a fast machine still finishes in bounded time
SYMPTOMS = ("leg_pain", "cramps", "spasms", "fatigue")
SHARED_DAY = "2026-01-15"


def diazlog(
    db_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m diazlog --db FILE ...` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "diazlog", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        timeout=60,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def writer(
    db_path: Path,
    number: int,
    day: str,
    start: threading.Barrier,
    rounds: dict[str, bool],
    saved: list[tuple[int, int, str, str]],
    errors: list[str],
) -> None:
    """Log a rating, a dose and a note line, round after round, every writer starting each
    round together; record each call that said Saved."""
    symptom = SYMPTOMS[number]
    call = 0
    while True:
        try:
            start.wait(timeout=120)
        except threading.BrokenBarrierError:
            return  # another writer failed: its error is reported
        if not rounds["go"]:
            return
        dose_time = f"{number * 5 + call // 60:02d}:{call % 60:02d}"
        note = f"[writer {number} call {call}]"
        result = diazlog(
            db_path,
            "log",
            f"{symptom}={call % 11}",
            "--dose",
            f"{1 + number}@{dose_time}",
            "--note",
            note,
            "--date",
            day,
        )
        if "Traceback" in result.stderr:
            errors.append(result.stderr)
            start.abort()
            return
        if result.returncode == 0 and result.stdout.startswith("Saved"):
            saved.append((number, call, dose_time, note))
        call += 1


def race(db_path: Path, days: list[str]) -> list[tuple[int, int, str, str]]:
    """Run the writers for SECONDS (at most MAX_CALLS rounds); the saves that returned."""
    saved: list[tuple[int, int, str, str]] = []
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS
    rounds = {"go": True}
    done = [0]

    def next_round() -> None:
        rounds["go"] = time.monotonic() < deadline and done[0] < MAX_CALLS
        done[0] += 1

    start = threading.Barrier(len(days), action=next_round)
    threads = [
        threading.Thread(target=writer, args=(db_path, n, day, start, rounds, saved, errors))
        for n, day in enumerate(days)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], errors[0]
    return saved


@pytest.mark.parametrize(
    ("writers", "same_day"),
    [(2, True), (4, True), (4, False)],
    ids=["2-same-day", "4-same-day", "4-different-days"],
)
def test_every_saved_log_is_in_the_diary(db_path: Path, writers: int, same_day: bool) -> None:
    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    keys = {s.key: s.id for s in list_symptoms(db)}
    days = [SHARED_DAY if same_day else f"2026-01-{10 + n:02d}" for n in range(writers)]
    saved = race(db_path, days)
    assert {n for n, *_ in saved} == set(range(writers)), "a writer never saved"
    missing = []
    for number in range(writers):
        day = load_day(open_database(db_path), days[number])
        assert day is not None
        mine = [s for s in saved if s[0] == number]
        doses = {(d.medication_id, d.time, d.amount) for d in day.doses}
        for _n, _call, dose_time, note in mine:
            if (med.id, dose_time, 1 + number) not in doses:
                missing.append(f"dose {dose_time} of writer {number}")
            if note not in day.note.splitlines():
                missing.append(f"note {note}")
        last = max(call for _n, call, *_ in mine)
        rating = day.rating_for(keys[SYMPTOMS[number]])
        if rating is None or rating.intensity != last % 11:
            missing.append(f"writer {number}'s last rating ({last % 11}): found {rating}")
    print(f"{len(saved)} saves returned, {len(saved) * 2 - len(missing)} of {len(saved) * 2} found")
    assert missing == [], f"{len(missing)} saved values lost: {missing[:5]}"


def test_a_log_that_waits_for_another_write_keeps_it(db_path: Path) -> None:
    """The race made certain: another copy holds the write lock with a change to the day
    while `diazlog log` starts. log must wait and read the day after that commit (reading
    it before, then writing the whole day, is how a save was lost)."""
    import sqlite3

    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    keys = {s.key: s.id for s in list_symptoms(db)}
    first = diazlog(db_path, "log", "cramps=4", "--note", "morning", "--date", SHARED_DAY)
    assert first.returncode == 0, first.stderr
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "UPDATE days SET note = note || char(10) || 'from the app' WHERE date = ?", [SHARED_DAY]
    )
    other.execute(
        "INSERT INTO doses (medication_id, taken_at, amount) VALUES (?, ?, 2)",
        [med.id, f"{SHARED_DAY}T07:00"],
    )
    log = subprocess.Popen(
        [sys.executable, "-m", "tests.support.traced", "BEGIN IMMEDIATE"]
        + ["--db", str(db_path), "log", "leg_pain=7"]
        + ["--dose", "5@08:00", "--note", "from log", "--date", SHARED_DAY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert log.stderr is not None
    # log has read all it reads before its write transaction and asks for the write lock,
    # which `other` still holds: it must wait (the race made certain, no sleep to hope so).
    wait_for_line(log.stderr, "reached: BEGIN IMMEDIATE")
    assert log.poll() is None, "log finished while another copy held the write lock"
    other.execute("COMMIT")
    out, err = log.communicate(timeout=60)
    assert log.returncode == 0 and out.startswith("Saved"), err
    day = load_day(open_database(db_path), SHARED_DAY)
    assert day is not None
    assert day.note.splitlines() == ["morning", "from the app", "from log"]
    assert sorted((d.time, d.amount) for d in day.doses) == [("07:00", 2), ("08:00", 5)]
    ratings = {r.symptom_id: r.intensity for r in day.ratings}
    assert ratings == {keys["cramps"]: 4, keys["leg_pain"]: 7}


def test_fifteen_processes_creating_one_new_diary_all_save(tmp_path: Path) -> None:
    path = tmp_path / "new" / "diazlog.db"
    count = 15
    results: list[subprocess.CompletedProcess[str]] = []
    start = threading.Barrier(count)

    def create(n: int) -> None:
        start.wait()
        results.append(
            diazlog(path, "log", "--create", f"leg_pain={n % 11}", "--date", f"2026-02-{n + 1:02d}")
        )

    threads = [threading.Thread(target=create, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failures = [r.stderr.strip() for r in results if r.returncode != 0]
    assert failures == [], f"{len(failures)} of {count} failed: {failures[:3]}"
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM days").fetchone()[0] == count
    assert db.execute("SELECT count(*) FROM symptoms").fetchone()[0] == 6  # seeded once
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)
    leftovers = [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
