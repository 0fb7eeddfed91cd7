"""History: one page of days deep inside a 10-year diary, for each kind of filter.

Run: .venv/bin/python bench/bench_history.py [--runs 21] [--years 10]
Reports the median time of store.history.history_page (40 days before 2018-06-01).
Goal: well under 100 ms each (it runs on the UI thread). Was a timed assert in
tests/screens/test_history.py; a test never asserts a time, so it is measured here.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from timing import median_ms  # noqa: E402  (bench/ is on the path: scripts run from it)

KEYS = ["leg_pain", "leg_weakness", "cramps", "spasms", "fatigue", "rebound_tension"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--years", type=float, default=10)
    args = parser.parse_args()
    from diazlog.demo import build_demo
    from diazlog.domain.history_filter import parse_filter
    from diazlog.store.queries.history import history_page

    with tempfile.TemporaryDirectory() as folder:
        db = build_demo(Path(folder) / "ten.db", years=args.years, end=date(2026, 11, 25))
        for text in ("", "!", "walk", "leg_pain>=6"):
            flt = parse_filter(text, KEYS)
            took = median_ms(partial(history_page, db, flt, before="2018-06-01"), args.runs)
            print(f"filter {text or '(none)':<12} median {took:6.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
