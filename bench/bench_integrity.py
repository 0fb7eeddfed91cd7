"""The cost of `PRAGMA quick_check`, run before every command, every backup and at app start.

Run: .venv/bin/python bench/bench_integrity.py [--runs 21] [--years 10]
Builds a demo diary of that many years and reports its size and the median time of
quick_check through a fresh read-only connection (as store.integrity.check_file does, the
connection included) and on an open connection (as opening.open_or_fail does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from timing import median_ms  # noqa: E402  (bench/ is on the path: scripts run from it)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--years", type=float, default=10)
    args = parser.parse_args()
    from diazlog.demo import build_demo
    from diazlog.store.file.integrity import check_connection, check_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diary.db"
        db = build_demo(path, years=args.years, end=date(2026, 11, 25))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
        own = median_ms(lambda: check_file(path), args.runs)
        open_ = median_ms(lambda: check_connection(db.conn, path), args.runs)
        db.close()
    print(f"{args.years:g} years, {size / 2**20:.1f} MB")
    print(f"quick_check, own read-only connection: median {own:.1f} ms")
    print(f"quick_check, on the open connection:   median {open_:.1f} ms")


if __name__ == "__main__":
    main()
