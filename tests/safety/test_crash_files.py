"""Files whole or absent: a process writing exports, reports, backups or restores is killed with
SIGKILL at random moments. Afterwards no partial file sits under a final name, nothing
incomplete is importable, and the next start clears what the killed write left behind."""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diazlog.app import DiazlogApp
from diazlog.store import open_database
from diazlog.store.file.backup import backups_folder, check_backup
from diazlog.store.file.integrity import file_problem
from diazlog.transfer.export import MANIFEST
from diazlog.transfer.importer import ImportFailed, plan_import, source_files
from tests.conftest import checkpointed_demo, copy_as_diary
from tests.support.helpers import NOW

KILLS = 6
ROOT = Path(__file__).parents[2]

CHILD = """
import sys
from datetime import datetime, timedelta
from pathlib import Path
from diazlog.store import open_database

kind, path, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
now = datetime(2026, 11, 25, 21, 30)
print("ready", flush=True)
i = 0
while True:
    if kind == "export":
        from diazlog.transfer.export import export
        db = open_database(path)
        export(db, target, ("csv", "json")[i % 2], now)
        db.close()
    elif kind == "report":
        from diazlog.report.visit import build_visit_report, write_report
        db = open_database(path)
        report = build_visit_report(db, "2026-06-01", "2026-11-25", now=now)
        db.close()
        write_report(report, target.with_suffix((".md", ".pdf")[i % 2]))
    elif kind == "backup":
        from diazlog.store.file.backup import backup_file, daily_backup
        daily_backup(path, (now + timedelta(days=i)).date(), keep=4)
        backup_file(path, target / f"diazlog-manual-{i}.db")
    elif kind == "restore":
        from diazlog.store.file.backup import restore
        restore(target / ("a.db", "b.db")[i % 2], path, now + timedelta(seconds=i))
    print(i, flush=True)
    i += 1
"""


@pytest.fixture(scope="module")
def half_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return checkpointed_demo(tmp_path_factory.mktemp("source") / "diazlog.db", 0.5)


diary = copy_as_diary


def run_and_kill(
    kind: str, path: Path, target: Path, rng: random.Random, *, after_one: bool = False
) -> int:
    """Start a writer, kill it at a random moment; return how many writes it finished.

    With after_one the random moment comes after its first whole write, however slow the
    machine, so every test also sees kills that land after a finished file.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, str(path), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    first = child.stdout.readline() if after_one else ""
    time.sleep(rng.uniform(0.05, 0.6))
    os.kill(child.pid, signal.SIGKILL)
    out, err = first + child.stdout.read(), child.stderr.read()
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL, err
    assert "Traceback" not in err, err
    return len(out.split())


def start_the_app(path: Path) -> None:
    """The next start: the app's safety check runs in its worker."""
    app = DiazlogApp(open_database(path), path, clock=lambda: NOW)

    async def run() -> None:
        async with app.run_test() as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()

    asyncio.run(run())


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith((".tmp", ".tmp-journal"))]


def test_a_killed_export_leaves_no_half_export(half_year: Path, tmp_path: Path) -> None:
    path = diary(half_year, tmp_path)
    out = tmp_path / "exports" / "out"
    target = tmp_path / "target" / "diazlog.db"
    open_database(target).close()
    rng = random.Random(11)
    done = 0
    for n in range(KILLS):
        done += run_and_kill("export", path, out, rng, after_one=n == KILLS - 1)
        if out.exists():  # whole, checksums and counts agreeing, and importable
            assert (out / MANIFEST).is_file()
            source_files(out)
            plan, _ = plan_import(open_database(target), out, NOW)
            assert plan.problems == [] and plan.rows
        else:
            assert done == 0
        for half in out.parent.glob(".out.*.tmp"):  # a killed export's folder: refused,
            try:  # unless the kill came after its manifest, between the last fsync and rename
                source_files(half)
            except ImportFailed:
                continue
            plan, _ = plan_import(open_database(target), half, NOW)
            assert plan.problems == [] and plan.rows
    assert done > 0  # kills did land after whole exports, not only before the first
    from diazlog.transfer.export import export

    print(f"export: {done} finished, left behind: {[p.name for p in out.parent.iterdir()]}")
    export(open_database(path), out, "csv", NOW)  # the next export clears what kills left
    assert leftovers(out.parent) == [] and [p.name for p in out.parent.iterdir()] == ["out"]


def test_a_killed_report_leaves_the_previous_one_whole(half_year: Path, tmp_path: Path) -> None:
    from diazlog.report.visit import build_visit_report, write_report

    path = diary(half_year, tmp_path)
    folder = tmp_path / "reports"
    folder.mkdir()
    db = open_database(path)
    report = build_visit_report(db, "2026-06-01", "2026-11-25", now=NOW)
    db.close()
    markdown = write_report(report, folder / "visit.md").read_bytes()
    write_report(report, folder / "visit.pdf")
    rng = random.Random(12)
    for _ in range(KILLS):
        run_and_kill("report", path, folder / "visit", rng)
        assert (folder / "visit.md").read_bytes() == markdown
        pdf = (folder / "visit.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    print(f"report: left behind: {sorted(p.name for p in folder.iterdir())}")
    write_report(report, folder / "visit.md")  # the next write of each clears its leftovers
    write_report(report, folder / "visit.pdf")
    assert sorted(p.name for p in folder.iterdir()) == ["visit.md", "visit.pdf"]
    assert {oct(p.stat().st_mode & 0o777) for p in folder.iterdir()} == {"0o600"}


def test_a_killed_backup_leaves_only_good_backups(half_year: Path, tmp_path: Path) -> None:
    path = diary(half_year, tmp_path)
    folder = backups_folder(path)
    rng = random.Random(13)
    done = 0
    for n in range(KILLS):
        done += run_and_kill("backup", path, folder, rng, after_one=n == KILLS - 1)
        for backup in folder.glob("*.db"):
            assert check_backup(backup) > 0, backup
    assert done > 0
    print(f"backup: {done} finished, left behind: {leftovers(folder)}")
    start_the_app(path)
    assert leftovers(folder) == [] and leftovers(path.parent) == []
    assert file_problem(path) is None


def test_a_killed_restore_leaves_one_diary_or_the_other(half_year: Path, tmp_path: Path) -> None:
    from diazlog.domain.models import DayLog
    from diazlog.store.queries.days import load_day, save_day

    path = diary(half_year, tmp_path)
    sources = tmp_path / "sources"
    for name in ("a", "b"):
        copy = sources / f"{name}.db"
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(half_year, copy)
        db = open_database(copy)
        save_day(db, DayLog("2026-11-25", note=f"from {name}"), NOW)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    db = open_database(path)
    before = load_day(db, "2026-11-25")
    db.close()
    whole = {before.note if before else None, "from a", "from b"}
    rng = random.Random(14)
    done = 0
    for n in range(KILLS):
        done += run_and_kill("restore", path, sources, rng, after_one=n == KILLS - 1)
        assert file_problem(path) is None
        db = open_database(path)
        saved = load_day(db, "2026-11-25")
        db.close()
        assert (saved.note if saved else None) in whole  # the old diary, or one restored whole
    assert done > 0
    print(f"restore: {done} finished, left behind: {leftovers(backups_folder(path))}")
    start_the_app(path)
    assert leftovers(backups_folder(path)) == [] and leftovers(path.parent) == []
    for kept in backups_folder(path).glob("*.db"):
        assert check_backup(kept) > 0
