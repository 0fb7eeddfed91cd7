"""Child process of bench_startup.py: start one app headless, stop at its first frame.

Prints JSON: seconds from interpreter start to the first rendered frame, and peak RSS.
Usage: python bench/startup_probe.py bare|diazlog [DB]
"""

from __future__ import annotations

import json
import resource
import sys
import time

START = time.perf_counter()


def bare_app():  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("hello")

    return Bare()


def diazlog_app(path: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from diazlog.app import DiazlogApp
    from diazlog.store import open_database

    return DiazlogApp(open_database(path), Path(path))


def main() -> None:
    which = sys.argv[1]
    app = bare_app() if which == "bare" else diazlog_app(sys.argv[2])
    first_frame: list[float] = []

    async def stop_at_first_frame(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        first_frame.append(time.perf_counter() - START)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=stop_at_first_frame)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"first_frame_s": first_frame[0], "peak_rss_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
