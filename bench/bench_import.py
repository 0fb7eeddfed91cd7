"""Import of a 20-year export: CSV against JSON, the same rows.

Run: .venv/bin/python bench/bench_import.py [--years 20] [--runs 3]
Builds a demo diary of that many years, exports it as CSV and as JSON (report/export.py),
then imports each folder into a fresh diary (plan_import + run_import, as `diazlog import`
does) and reports the median wall time. Goal (issue "No save ever lost"): JSON within 2x CSV.
JSON used to be quadratic (the line of every row was counted from the start of the file).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

NOW = datetime(2026, 11, 25, 21, 30)
FORMATS = ("csv", "json")


def import_once(folder: Path, export: Path, n: int) -> float:
    from diazlog.report.importer import plan_import, run_import
    from diazlog.store import open_database

    db = open_database(folder / f"target-{export.name}-{n}.db")
    start = time.perf_counter()
    plan, _ = plan_import(db, export, NOW)
    report = run_import(db, plan, skip_bad=False)
    took = time.perf_counter() - start
    db.close()
    assert not report.skipped and report.added > 0
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=float, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from diazlog.demo import build_demo
    from diazlog.report.export import export

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db = build_demo(folder / "source.db", years=args.years, end=NOW.date())
        for fmt in ("csv", "json"):
            export(db, folder / fmt, fmt, NOW)
        rows = sum(
            db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in db.table_names()
        )
        db.close()
        size = {fmt: sum(p.stat().st_size for p in (folder / fmt).iterdir()) for fmt in FORMATS}
        print(f"{args.years:g} years of diary, {rows:,} rows, exported as CSV and JSON")
        medians = {}
        for fmt in ("csv", "json"):
            times = [import_once(folder, folder / fmt, n) for n in range(args.runs)]
            medians[fmt] = statistics.median(times)
            print(
                f"import {fmt.upper():4} {size[fmt] / 2**20:5.1f} MB: median {medians[fmt]:6.2f} s "
                f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
            )
        print(f"JSON / CSV: {medians['json'] / medians['csv']:.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
