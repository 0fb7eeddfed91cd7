"""Helpers many test files use: one copy each, so a fix to how tests wait or call the
command reaches every test (tests/README.md says where tests go)."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import queue
import shutil
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner, Result
from textual.pilot import Pilot

import diazlog.commands
from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.queries.settings import set_setting

# Fixed "now" so tests and snapshots never depend on the real date (conftest re-exports it).
NOW = datetime(2026, 11, 25, 21, 30)
TODAY = NOW.date().isoformat()
FIXTURES = Path(__file__).parents[1] / "fixtures"
VERSIONED = sorted(FIXTURES.glob("schema-v*.db"))


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Wait until the app is idle: queued messages, then its workers, then animations.

    A signal to wait on, never a timed sleep: under load it just takes longer."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def invoke_cli(*args: str, stdin: str | None = None) -> Result:
    """The `diazlog` command run in this process, as a user would type it."""
    return CliRunner().invoke(cli, list(args), input=stdin)


def invoke(db_path: Path, *args: str, stdin: str | None = None) -> Result:
    """`diazlog --db DB_PATH ARGS...` run in this process."""
    return invoke_cli("--db", str(db_path), *args, stdin=stdin)


def fix_clock(monkeypatch: pytest.MonkeyPatch, now: datetime = NOW) -> None:
    """Every command that reads the time reads `now`: found by looking, so a new command
    with its own `now` is fixed too instead of reading the real date in one test file."""
    for info in pkgutil.iter_modules(diazlog.commands.__path__):
        module = importlib.import_module(f"diazlog.commands.{info.name}")
        if callable(getattr(module, "now", None)):
            monkeypatch.setattr(module, "now", lambda: now)


def app_on(path: Path, *, theme: str | None = None, welcomed: bool = True) -> DiazlogApp:
    """The app on the diary at `path` at a fixed time; welcomed=False keeps the first-run
    welcome; `theme` is saved as the user's choice."""
    db = open_database(path)
    if theme is not None:
        set_setting(db, "theme", theme)
    if welcomed:
        set_setting(db, "welcomed", "1")
    return DiazlogApp(db, path, clock=lambda: NOW)


def dump(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every table, read without diazlog's code."""
    from diazlog.store.file.cipher import connect_file  # plain: sqlite3; encrypted: its key

    conn = connect_file(path, read_only=True)
    conn.row_factory = lambda cursor, row: dict(
        zip([d[0] for d in cursor.description], row, strict=True)
    )
    try:
        names = [
            r["name"]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: [dict(r) for r in conn.execute(f"SELECT * FROM [{n}]")] for n in names}
    finally:
        conn.close()


def copy_fixture(fixture: Path, tmp_path: Path) -> Path:
    """An old schema fixture copied to where a diary lives (private folder, 0600 file)."""
    target = tmp_path / "data" / "diazlog.db"
    target.parent.mkdir(mode=0o700)
    shutil.copyfile(fixture, target)
    target.chmod(0o600)
    return target


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF, as a reader extracts it."""
    from pypdf import PdfReader

    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def wait_for_line(stream: IO[str], wanted: str, timeout: float = 60.0) -> list[str]:
    """Read `stream` until a line equal to `wanted`; the lines before it. A generous timeout
    only so that a child that never gets there fails the test instead of hanging it."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
            if line.rstrip("\n") == wanted:
                return
        lines.put(None)  # the stream ended first

    threading.Thread(target=read, daemon=True).start()
    before: list[str] = []
    while (line := lines.get(timeout=timeout)) != wanted:
        assert line is not None, f"never said {wanted!r}: {before}"
        before.append(line)
    return before


async def wait_until(predicate: Callable[[], object], timeout: float = 60.0) -> None:
    """Wait for a state the app reaches on its own (a timer, a notice, its exit): look
    again every few milliseconds, so a fast machine moves on at once and a loaded one gets
    a generous minute instead of a fixed pause that is too short under load."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:  # a guard against waiting forever, not a time check
            raise AssertionError(f"the app never got there in {timeout:g} s")
        await asyncio.sleep(0.01)
