"""Peak memory of importing a million doses (issue 21: 898 MB before; goal under 200 MB).

Run: .venv/bin/python bench/bench_import_memory.py [--doses 1000000] [--format json|csv|both]
Builds a diary with one medicine and N doses (SQL, no demo) and exports it (transfer/export.py),
both in a child process, then imports the export into a fresh diary in another child
(`diazlog import`, as a user would) and reports that child's own peak resident memory (wait4's
ru_maxrss) and wall time. The parent stays small: a forked child starts with its parent's pages,
so a parent that had built and exported a million rows made the first figure read 755 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2026, 11, 25, 21, 30)


def build(path: Path, doses: int) -> None:
    from diazlog.store import open_database

    db = open_database(path)
    conn = db.conn
    conn.execute(
        "INSERT INTO medications (id, name, category, is_diazepam, unit) "
        "VALUES (1, 'Diazepam', 'benzodiazepine', 1, 'mg')"
    )
    start = NOW - timedelta(minutes=doses)
    conn.executemany(
        "INSERT INTO doses (medication_id, taken_at, amount) VALUES (1, ?, 2.5)",
        ((f"{start + timedelta(minutes=i):%Y-%m-%dT%H:%M}",) for i in range(doses)),
    )
    conn.commit()
    db.close()


def import_peak(export: Path, target: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of `diazlog import` in a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "diazlog", "--db", str(target), "import", str(export)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024, took


def prepare(folder: Path, doses: int, formats: list[str]) -> None:
    """Run in a child (--prepare): the diary and its exports."""
    from diazlog.store import open_database
    from diazlog.transfer.export import export

    build(folder / "source.db", doses)
    for fmt in formats:
        db = open_database(folder / "source.db")
        export(db, folder / fmt, fmt, NOW)
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--doses", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["json", "csv", "both"], default="both")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    formats = ["json", "csv"] if args.format == "both" else [args.format]
    if args.prepare:
        prepare(args.prepare, args.doses, formats)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--doses",
                str(args.doses),
                "--format",
                args.format,
                "--prepare",
                str(folder),
            ],
            check=True,
        )
        for fmt in formats:
            size = sum(p.stat().st_size for p in (folder / fmt).iterdir()) / 2**20
            target = folder / f"target-{fmt}.db"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "diazlog",
                    "--db",
                    str(target),
                    "log",
                    "--create",
                    "leg_pain=1",
                ],
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.DEVNULL,
            )
            peak, took = import_peak(folder / fmt, target)
            print(f"{args.doses:,} doses, {fmt} ({size:.0f} MB): peak {peak:.0f} MB, {took:.1f} s")


if __name__ == "__main__":
    main()
