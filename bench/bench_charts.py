"""Charts screen: time to switch to it and draw each range, 10 years of data against 30 days.

Run: .venv/bin/python bench/bench_charts.py [--runs 9] [--years 10] [--size 100x30]
For each database and range it reports the median of:
  switch  from Today to Charts, after a write (as if a day was just saved, so the screen
          must reload), until both "Over time" charts have drawn that range's data;
  key     pressing the range's key on the Charts screen until both charts have redrawn;
  query   the SQL aggregation alone (store.series.over_time);
  load    everything the worker loads for the view: the buckets and the numbers under the
          chart, which come from the days themselves (screens.chart_data.load_chart).
Goal (issue 3): "all" on 10 years <= 100 ms, and <= 2x the same figure on 30 days.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from functools import partial
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

END = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 21, 30)
KEYS = {"7d": "1", "30d": "2", "90d": "3", "1y": "4", "all": "5"}
Timings = dict[str, dict[str, float]]


def build(folder: Path, name: str, years: float) -> Path:
    from diazlog.demo import build_demo
    from diazlog.store.queries.settings import set_setting

    path = folder / f"{name}.db"
    db = build_demo(path, years=years, end=END)
    set_setting(db, "welcomed", "1")
    db.close()
    return path


async def _drawn(app: object, before: object, since: float) -> None:
    """Wait until the Charts screen shows a new result and both its charts drew after it."""
    from diazlog.screens.charts import ChartsScreen
    from diazlog.widgets.chart_panel import ChartPanel

    deadline = time.perf_counter() + 5
    while True:
        if time.perf_counter() > deadline:
            raise TimeoutError(
                f"not drawn: {app.screen} {getattr(app.screen, 'shown', None) is before}"
            )
        screen = app.screen  # type: ignore[attr-defined]
        if isinstance(screen, ChartsScreen) and screen.shown not in (None, before):
            panels = [
                screen.query_one(f"#{n}", ChartPanel) for n in ("symptom-chart", "dose-chart")
            ]
            if all(p.plot.drawn_at > since or p.message for p in panels):
                return
        await asyncio.sleep(0.0005)


async def settle(app: object) -> None:
    """Wait for loads to finish; a load replaced by a newer one ends cancelled, which is fine."""
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()  # type: ignore[attr-defined]


async def measure(db_path: Path, runs: int, size: tuple[int, int]) -> Timings:
    from diazlog.app import DiazlogApp
    from diazlog.screens.charts import ChartsScreen
    from diazlog.store import open_database
    from diazlog.store.queries.settings import set_setting

    app = DiazlogApp(open_database(db_path), db_path, clock=lambda: NOW, demo=True)
    switch: dict[str, list[float]] = {k: [] for k in KEYS}
    key: dict[str, list[float]] = {k: [] for k in KEYS}
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.switch_mode("charts")  # first visit imports plotext and builds the screen
        await settle(app)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChartsScreen)
        for _ in range(runs):
            for range_key, digit in KEYS.items():
                await app.switch_mode("today")
                await pilot.pause()
                set_setting(app.db, "bench", str(time.time()))  # as if a day was saved
                screen.range_key = range_key
                before = screen.shown
                start = time.perf_counter()
                await app.switch_mode("charts")
                await _drawn(app, before, start)
                switch[range_key].append(time.perf_counter() - start)
                await pilot.pause()
                screen.range_key = "7d" if range_key != "7d" else "30d"
                screen.reload()
                await settle(app)
                await pilot.pause()
                before = screen.shown
                start = time.perf_counter()
                await pilot.press(digit)
                await _drawn(app, before, start)
                key[range_key].append(time.perf_counter() - start)
                await pilot.pause()
    return {
        "switch": {k: statistics.median(v) for k, v in switch.items()},
        "key": {k: statistics.median(v) for k, v in key.items()},
    }


def query_times(db_path: Path, runs: int, columns: int) -> dict[str, dict[str, float]]:
    from diazlog.screens.chart_data import ChartRequest, load_chart, range_bounds
    from diazlog.store import open_database
    from diazlog.store.queries.series import over_time
    from diazlog.store.queries.symptoms import list_symptoms

    db = open_database(db_path)
    symptom = list_symptoms(db)[0]
    pain = [symptom.id]
    result: dict[str, dict[str, float]] = {"query": {}, "load": {}}
    for range_key in KEYS:
        start, end, _ = range_bounds(db, range_key, END.isoformat())
        request = ChartRequest("over_time", range_key, (symptom,), END.isoformat(), columns)
        for name, work in (
            ("query", partial(over_time, db, pain, start, end, columns)),
            ("load", partial(load_chart, db, request)),
        ):
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                work()
                times.append(time.perf_counter() - began)
            result[name][range_key] = statistics.median(times)
    db.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--size", default="100x30")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    folder = Path(tempfile.mkdtemp(prefix="diazlog-bench-charts-"))
    big = build(folder, "ten-years", args.years)
    small = build(folder, "thirty-days", 30 / 365)
    ms = 1000.0
    results = {}
    for label, path in ((f"{args.years:g} years", big), ("30 days", small)):
        timings = asyncio.run(measure(path, args.runs, (width, height)))
        timings |= query_times(path, args.runs * 3, width - 10)
        results[label] = timings
    (big_label, big_t), (small_label, small_t) = results.items()
    print(f"terminal {args.size}; medians of {args.runs} runs; ms")
    print(
        f"{'range':<6} {big_label + ': switch  key  query   load':>39}   "
        f"{small_label + ': switch  key  query   load':>37}   ratio switch"
    )
    for range_key in KEYS:
        b = [big_t[m][range_key] * ms for m in ("switch", "key", "query", "load")]
        s = [small_t[m][range_key] * ms for m in ("switch", "key", "query", "load")]
        print(
            f"{range_key:<6} {b[0]:>19.1f} {b[1]:>5.1f} {b[2]:>6.2f} {b[3]:>6.2f}   "
            f"{s[0]:>17.1f} {s[1]:>5.1f} {s[2]:>6.2f} {s[3]:>6.2f}   {b[0] / s[0]:>5.2f}"
        )
    all_big, all_small = big_t["switch"]["all"] * ms, small_t["switch"]["all"] * ms
    verdict = "met" if all_big <= 100 and all_big <= 2 * all_small else "NOT met"
    print(
        f"goal: 'all' on {big_label} {all_big:.1f} ms <= 100 ms and <= 2x 30 days "
        f"({2 * all_small:.1f} ms): {verdict}"
    )


if __name__ == "__main__":
    main()
