"""Red flags on a realistic 10-year diary: what the one rules engine costs where it runs.

Run: .venv/bin/python bench/bench_flags.py [--runs 7] [--years 10]
Reports the median of:
  whole diary   store.flags.flags_by_day over every day (History's "!" filter, `flags`)
  one page      History's first page of 100 days with their flags (store.history.history_page)
  flagged page  the "!" filter's first page (judges the whole diary once, then cached)
  today load    Today loading what judging one day needs (store.flags.inputs_for_day)
  keystroke     Today re-judging the day on screen after a key (DayFlagInputs.judge)
  status        `diazlog status`'s flags for today (store.flags.day_flags)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from timing import median_ms  # noqa: E402  (bench/ is on the path: scripts run from it)

END = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 21, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--years", type=float, default=10)
    args = parser.parse_args()

    from diazlog.demo import build_demo
    from diazlog.domain.history_filter import HistoryFilter
    from diazlog.store import open_database
    from diazlog.store.queries import history
    from diazlog.store.queries.days import load_day
    from diazlog.store.queries.flags import day_flags, flags_by_day, inputs_for_day

    path = Path(tempfile.mkdtemp(prefix="diazlog-bench-")) / "diary.db"
    build_demo(path, years=args.years, end=END).close()
    db = open_database(path)  # as the app and the CLI open it
    days = db.execute("SELECT count(*) FROM days").fetchone()[0]
    flagged = sum(1 for a in flags_by_day(db, None, None, NOW).values() if a)
    today = load_day(db, END.isoformat())
    assert today is not None
    inputs = inputs_for_day(db, END.isoformat(), NOW)

    def flagged_page() -> None:
        history._FLAGGED.clear()
        history.history_page(db, HistoryFilter(flagged=True), now=NOW)

    results = {
        "whole diary": median_ms(lambda: flags_by_day(db, None, None, NOW), args.runs),
        "one page": median_ms(lambda: history.history_page(db, now=NOW), args.runs),
        "flagged page (uncached)": median_ms(flagged_page, args.runs),
        "today load": median_ms(lambda: inputs_for_day(db, END.isoformat(), NOW), args.runs),
        "keystroke": median_ms(lambda: inputs.judge(today), args.runs * 5),
        "status": median_ms(lambda: day_flags(db, today, NOW), args.runs),
    }
    print(
        f"{args.years:g} years: {days} logged days, {flagged} with a red flag, "
        f"{path.stat().st_size / 1e6:.1f} MB"
    )
    for name, ms in results.items():
        print(f"  {name:<24} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
