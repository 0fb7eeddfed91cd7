"""Crash safety: a process saving days is killed with SIGKILL at random points, many times.

Afterwards every save that returned is there and whole, the day being saved at the kill is all
there or not at all, `PRAGMA integrity_check` is ok, and the app opens.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from diazlog.domain.models import Category, Medication
from diazlog.store import open_database
from diazlog.store.file import schema
from diazlog.store.file.backup import backups_folder, check_backup
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication

KILLS = 16
ROOT = Path(__file__).parents[2]

CHILD = """
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from diazlog.domain.models import DayLog, Dose, Rating
from diazlog.domain.models import Category, Medication
from diazlog.store import open_database
from diazlog.store.file.backup import backup_file, backups_folder
from diazlog.store.queries.days import save_day

path, first, with_backups = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
db = open_database(path)
start = date(2000, 1, 1)

def day_for(n, i):
    return DayLog(
        date=(start + timedelta(days=n)).isoformat(),
        ratings=tuple(Rating(s, (i + s) % 11) for s in range(1, 7)),
        sleep_hours=(i % 24) + 0.5,
        note=f"save {i} " + "x" * (i % 300),
        doses=(Dose(1, "08:00", 5.0), Dose(1, "20:00", 2.5 + i % 3)),
    )

print("ready", flush=True)
i = 0
while True:
    save_day(db, day_for(first + i, i), datetime(2026, 11, 25, 21, 30))
    save_day(db, day_for(-1, i), datetime(2026, 11, 25, 21, 30))  # the same day, again and again
    print(i, flush=True)
    if with_backups and i % 25 == 0:
        backup_file(path, backups_folder(path) / f"{path.stem}-crash-{i}.db")
    i += 1
"""


def expected(n: int, i: int) -> tuple[str, list[int], str, list[float]]:
    from datetime import date, timedelta

    day = (date(2000, 1, 1) + timedelta(days=n)).isoformat()
    return (
        day,
        [(i + s) % 11 for s in range(1, 7)],
        f"save {i} " + "x" * (i % 300),
        [5.0, 2.5 + i % 3],
    )


def as_saved(db, day: str) -> tuple[str, list[int], str, list[float]] | None:  # type: ignore[no-untyped-def]
    log = load_day(db, day)
    if log is None:
        return None
    return day, [r.intensity for r in log.ratings], log.note, [d.amount for d in log.doses]


def run_and_kill(path: Path, first: int, rng: random.Random, with_backups: bool) -> list[int]:
    """Start a saver, kill it at a random moment, return the saves it reported as returned."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(first), "1" if with_backups else "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read()  # type: ignore[union-attr]
    time.sleep(rng.uniform(0.0, 0.15))
    os.kill(child.pid, signal.SIGKILL)
    # Read the rest through the same text streams: readline() above may already hold the
    # first saves' lines in its buffer, which communicate() (reading the raw pipe) would
    # skip. The child is dead, so both pipes end and neither read can block for long.
    out = child.stdout.read()
    err = child.stderr.read()  # type: ignore[union-attr]
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert "Traceback" not in err, err
    return [int(line) for line in out.split()]


def test_sigkill_while_saving_loses_no_returned_save(
    tmp_path: Path, new_diary: Callable[[Path], Path]
) -> None:
    path = new_diary(tmp_path / "data" / "diazlog.db")  # plain, or encrypted (conftest)
    db = open_database(path)
    save_medication(db, Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True))
    db.close()
    rng = random.Random(20261125)
    returned: dict[int, int] = {}  # day number -> save index that returned
    total = 0
    for kill in range(KILLS):
        first = kill * 1000
        done = run_and_kill(path, first, rng, with_backups=kill % 3 == 0)
        assert len(done) < 1000
        assert done == list(range(len(done)))  # every returned save reported, in order
        total += len(done)
        returned.update({first + i: i for i in done})
        db = open_database(path)  # the app opens after every kill
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for i in done:
            assert as_saved(db, expected(first + i, i)[0]) == expected(first + i, i), (
                f"lost save {i} of kill {kill}"
            )
        # The save in flight at the kill: all of it or none of it.
        nxt = len(done)
        in_flight = as_saved(db, expected(first + nxt, nxt)[0])
        assert in_flight in (None, expected(first + nxt, nxt))
        if done:
            hot = as_saved(db, expected(-1, 0)[0])
            assert hot in (expected(-1, done[-1]), expected(-1, nxt))
        db.close()
    assert total > KILLS  # the kills did land between saves, not only before the first
    db = open_database(path)
    for n, i in returned.items():  # and every one is still there after all the later kills
        assert as_saved(db, expected(n, i)[0]) == expected(n, i)
    db.close()
    for backup in backups_folder(path).glob("*.db"):
        # a killed backup never leaves a half file as .db
        assert check_backup(backup) == schema.LATEST_VERSION
    assert app_opens_on(path) == expected(-1, 0)[0]
    print(f"{KILLS} kills, {total} saves returned and checked")


def app_opens_on(path: Path) -> str:
    """Start the real app on the database and go to the day saved over and over."""
    import asyncio
    from datetime import datetime

    from diazlog.app import DiazlogApp

    app = DiazlogApp(open_database(path), path, clock=lambda: datetime(2026, 11, 25, 21, 30))

    async def run() -> str:
        async with app.run_test() as pilot:
            await pilot.pause()
            app.screen.load("1999-12-31")  # type: ignore[attr-defined]
            await pilot.pause()
            return str(app.screen.day)  # type: ignore[attr-defined]

    return asyncio.run(run())


IMPORT_KILLS = 6
IMPORT_CHILD = """
import sys
from datetime import datetime
from pathlib import Path
from diazlog.transfer.importer import plan_import, run_import
from diazlog.store import open_database

db = open_database(Path(sys.argv[1]))
plan, _ = plan_import(db, Path(sys.argv[2]), datetime(2026, 11, 25, 21, 30))
print("ready", flush=True)
report = run_import(db, plan, skip_bad=False)
print("done", report.added, flush=True)
"""


def test_sigkill_during_an_import_leaves_all_or_nothing(
    tmp_path: Path, new_diary: Callable[[Path], Path]
) -> None:
    from datetime import date, timedelta

    path = new_diary(tmp_path / "data" / "diazlog.db")
    start = date(2005, 1, 1)
    big = tmp_path / "years.csv"
    big.write_text(
        "date,leg_pain,cramps\n"
        + "".join(f"{start + timedelta(days=n)},{n % 11},{n % 7}\n" for n in range(4000))
    )
    rng = random.Random(7)
    outcomes = []
    for _ in range(IMPORT_KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", IMPORT_CHILD, str(path), str(big)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=10)
        db = open_database(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        days = db.execute("SELECT count(*) FROM days").fetchone()[0]
        ratings = db.execute("SELECT count(*) FROM ratings").fetchone()[0]
        db.close()
        assert (days, ratings) in ((0, 0), (4000, 8000)), "half an import survived a kill"
        outcomes.append(days)
        if days:
            break  # it got in whole; importing again would change nothing
    print(f"{len(outcomes)} kills during an import: {outcomes}")
