"""Running a real `diazlog serve` for the serve tests: start it, wait for the URL it prints
(no sleep), stop it with ctrl+c (SIGINT) as a user would."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diazlog.store import open_database
from diazlog.store.queries.settings import set_setting

URL_LINE = re.compile(r"^\s*(http://127\.0\.0\.1:(\d+))/\?token=(\S+)\s*$")
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


@dataclass
class Served:
    """A running `diazlog serve`: its process, base URL, token and what it printed."""

    process: subprocess.Popen[str]
    base: str
    port: int
    token: str
    printed: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def stop(self) -> str:
        """ctrl+c, then everything the server printed; its exit code must be 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=90)
        self.printed += [out, err]
        assert self.process.returncode == 0, (self.process.returncode, out, err)
        return "".join(self.printed)


def welcomed_diary(path: Path) -> Path:
    """A new diary past its welcome screen (the browser tests start on Today)."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    db = open_database(path)
    set_setting(db, "welcomed", "1")
    db.close()
    return path


@contextlib.contextmanager
def serving(db_path: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """`diazlog --db DB serve ARGS` until the block ends (then ctrl+c)."""
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), environment.get("PYTHONPATH", "")]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "diazlog", "--db", str(db_path), "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    assert process.stdout is not None
    printed: list[str] = []
    for line in process.stdout:  # blocks on the server's own output: no sleep
        printed.append(line)
        if found := URL_LINE.match(line):
            served = Served(process, found[1], int(found[2]), found[3], printed)
            break
    else:
        process.kill()
        raise AssertionError(f"no URL printed: {printed} {process.stderr.read()}")  # type: ignore[union-attr]
    try:
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=90)
        if process.poll() is None:
            process.kill()


def screen_text(data: bytes) -> str:
    """What a terminal would show of `data`, roughly: the text without escape sequences."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


# -- the browser (Debian's chromium, driven by Playwright; never a downloaded one) -----------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 400, "height": 800}  # CSS pixels: about 45x40 cells at the page's font


class Terminal:
    """What the app sent one browser tab, as text: the tab's websocket frames, collected as
    they arrive, so a test waits for words on screen (Playwright waits on the next frame)."""

    def __init__(self, page: Any) -> None:
        self.frames: list[bytes] = []
        self.websocket: Any = None
        self.page = page
        page.on("websocket", self._attach)

    def _attach(self, websocket: Any) -> None:
        self.websocket = websocket
        websocket.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.frames.append(payload)

    @property
    def text(self) -> str:
        return screen_text(b"".join(self.frames))

    def wait_for(self, words: str, timeout_ms: float = 60_000) -> None:
        """Until `words` have been on screen; each wait is for the app's next frame."""
        if self.websocket is None:  # the page connects once it has loaded
            self.page.wait_for_event("websocket", timeout=timeout_ms)
        while words not in self.text:
            self.websocket.wait_for_event("framereceived", timeout=timeout_ms)


def launch_chromium(playwright: Any, profile: Path) -> Any:
    """Debian's chromium, headless, with a fresh profile and nothing of its own online."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=DESKTOP,
    )
