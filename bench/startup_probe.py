"""Child process of bench_startup.py: start one app headless, stop once it has settled.

Prints JSON with, in seconds from interpreter start:
- first_frame_s: when Textual hands its first composed frame of the screen to the display
  (App._display with a renderable: the moment a terminal would show something);
- first_frame_cpu_s: the CPU time this process had used by then (all threads);
- settled_s: when the app is idle after that (every mount, load and refresh done);
and the peak RSS in MB.
Usage: python bench/startup_probe.py bare|skeleton|diazlog|encrypted [DB]
("encrypted": diazlog on an encrypted diary whose passphrase file $DIAZLOG_PASSPHRASE_FILE
names, as a script would start it: importing SQLCipher, deriving the key and opening it.)
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


def skeleton_app(path: str):  # type: ignore[no-untyped-def]
    """The least a diary's first screen costs: one sqlite3 read of the symptoms and one
    focusable one-line row per symptom, with a title and a footer line. No diazlog code: it
    shows what the budget leaves for everything else. (It imported click too while plain
    `diazlog` went through the click command line; it no longer does.)"""
    import sqlite3

    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widget import Widget
    from textual.widgets import Label, Static

    class Row(Widget, can_focus=True):
        DEFAULT_CSS = "Row { height: 1; } Row:focus { background: $accent 30%; }"

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

        def render(self) -> str:
            return self.text

    class Skeleton(App[None]):
        def compose(self) -> ComposeResult:
            conn = sqlite3.connect(path)
            names = [r[0] for r in conn.execute("SELECT name FROM symptoms ORDER BY position")]
            yield Static("Today — Wed 25 Nov 2026", id="title")
            with VerticalScroll(can_focus=False):
                yield Label("Symptoms")
                for name in names:
                    yield Row(name)
                yield Label("How much the legs got in the way")
                yield Row("Walking")
                yield Row("Sleep")
            yield Static("^s Save  [] Day  u Usual dose")

    return Skeleton()


def diazlog_app(path: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    """As plain `diazlog` starts (diazlog/launch.py, opening.run_app), up to app.run()."""
    import diazlog.launch  # noqa: F401  (the real `diazlog` script starts here)
    from diazlog.app import DiazlogApp
    from diazlog.opening import open_or_fail, private_files, real_path
    from diazlog.passphrase import app_must_unlock
    from diazlog.store.file.transactions import is_read_only

    private_files()
    diary = real_path(Path(path))
    db = None if app_must_unlock(diary) else open_or_fail(diary, check=False, for_reading=True)
    return DiazlogApp(db, diary, read_only=db is not None and is_read_only(db.conn))


def peak_rss_kb() -> int:
    """This process's peak resident memory (VmHWM).

    Not getrusage's ru_maxrss: Linux carries that over exec from the parent, so a child of
    bench_startup.py (which has just built a 10-year demo) would report the parent's peak.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    which = sys.argv[1]
    if which == "bare":
        app = bare_app()
    elif which == "skeleton":
        app = skeleton_app(sys.argv[2])
    else:  # diazlog, or diazlog on an encrypted diary (the parent set the passphrase file)
        app = diazlog_app(sys.argv[2])
    first_frame: list[float] = []
    first_frame_cpu: list[float] = []
    settled: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None and not first_frame:
            first_frame.append(time.perf_counter() - START)
            first_frame_cpu.append(time.process_time())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]

    async def stop_when_settled(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        settled.append(time.perf_counter() - START)
        pilot.app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=stop_when_settled)
    peak_kb = peak_rss_kb()
    result = {
        "first_frame_s": first_frame[0],
        "first_frame_cpu_s": first_frame_cpu[0],
        "settled_s": settled[0],
        "peak_rss_mb": peak_kb / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
