"""Peak memory of importing a million doses (issue 21: 898 MB before; goal under 200 MB).

Run: .venv/bin/python bench/bench_import_memory.py [--doses 1000000] [--format json|csv|both]
Builds a diary with one medicine and N doses (SQL, no demo), exports it (transfer/export.py),
then imports the export into a fresh diary in a child process (`diazlog import`, as a user
would) and reports the child's peak resident memory (getrusage ru_maxrss) and wall time.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "diazlog", "--db", str(target), "import", str(export)],
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
    )
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak >= before
    return peak / 1024, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--doses", type=int, default=1_000_000)
    parser.add_argument("--format", choices=["json", "csv", "both"], default="both")
    args = parser.parse_args()
    from diazlog.store import open_database
    from diazlog.transfer.export import export

    formats = ["json", "csv"] if args.format == "both" else [args.format]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        build(folder / "source.db", args.doses)
        for fmt in formats:
            db = open_database(folder / "source.db")
            export(db, folder / fmt, fmt, NOW)
            db.close()
            size = sum(p.stat().st_size for p in (folder / fmt).iterdir()) / 2**20
            target = folder / f"target-{fmt}.db"
            open_database(target).close()
            # Each format in its own child; ru_maxrss of children is the largest so far, so
            # JSON (the larger) runs first and CSV's figure is only meaningful if smaller.
            peak, took = import_peak(folder / fmt, target)
            print(f"{args.doses:,} doses, {fmt} ({size:.0f} MB): peak {peak:.0f} MB, {took:.1f} s")


if __name__ == "__main__":
    main()
