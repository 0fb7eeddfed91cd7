"""Child process of bench_startup.py: start one app headless, stop once it has settled.

Prints JSON with, in seconds from interpreter start:
- first_frame_s: when Textual hands its first composed frame of the screen to the display
  (App._display with a renderable: the moment a terminal would show something);
- settled_s: when the app is idle after that (every mount, load and refresh done);
and the peak RSS in MB.
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
    settled: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None and not first_frame:
            first_frame.append(time.perf_counter() - START)
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]

    async def stop_when_settled(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        settled.append(time.perf_counter() - START)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=stop_when_settled)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "first_frame_s": first_frame[0],
        "settled_s": settled[0],
        "peak_rss_mb": peak_kb / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
