"""Privacy: everything diazlog writes is the user's alone (files 0600, folders 0700, whatever
the umask), and no network socket is opened while the app runs through its main flows."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from diazlog.app import DiazlogApp
from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.file.backup import backup_file, backups_folder, daily_backup, restore
from diazlog.store.queries.days import save_day
from diazlog.store.queries.settings import set_setting
from diazlog.transfer.export import export
from tests.conftest import ratings
from tests.support.helpers import NOW, settle
from tests.support.network_guard import NetworkUsed, block_network


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The most common umask (022): without care, files would come out world-readable."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def test_everything_written_is_private(tmp_path: Path, loose_umask: None) -> None:
    data = tmp_path / "home" / "data"
    path = data / "diazlog.db"
    db = open_database(path)
    save_day(db, DayLog("2026-11-01", ratings=(Rating(1, 5),)), NOW)
    journals = {mode(Path(f"{path}{suffix}")) for suffix in ("-wal", "-shm")}
    assert journals == {"0o600"}  # SQLite's companion files, while the database is open
    written = [path]
    made = daily_backup(path, date(2026, 11, 25))
    assert made is not None
    written += [made, backup_file(path, tmp_path / "loose" / "manual.db")]
    written += export(db, tmp_path / "exports" / "csv", "csv", NOW)
    written += export(db, tmp_path / "exports" / "json", "json", NOW)
    db.close()
    kept = restore(made, path, NOW)
    assert kept is not None
    written.append(kept)
    files = {str(p): mode(p) for p in written}
    assert set(files.values()) == {"0o600"}, files
    folders = [data, tmp_path / "home", backups_folder(path), tmp_path / "loose"]
    folders += [tmp_path / "exports", tmp_path / "exports" / "csv", tmp_path / "exports" / "json"]
    assert {str(f): mode(f) for f in folders} == {str(f): "0o700" for f in folders}


def test_a_database_others_could_read_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "diazlog.db"
    open_database(path).close()
    path.chmod(0o644)
    open_database(path).close()
    assert mode(path) == "0o600"


def test_the_guard_catches_every_way_out() -> None:
    with block_network() as attempts:
        with pytest.raises(NetworkUsed):
            socket.create_connection(("127.0.0.1", 9))
        with pytest.raises(NetworkUsed):
            socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        with pytest.raises(NetworkUsed):
            socket.socket()
        with pytest.raises(NetworkUsed):
            socket.getaddrinfo("example.org", 443)
        left, right = socket.socketpair()  # local, as asyncio uses: allowed
        left.close()
        right.close()
    assert len(attempts) == 4
    socket.socket(socket.AF_UNIX).close()


async def test_the_main_flows_open_no_socket(demo_path: Path) -> None:
    """The whole app, every screen, save, export and backup, and a medicine name looked up in
    the drug-name library: not one internet socket.

    (The session fixture in conftest guards every other test the same way.)
    """
    db = open_database(demo_path)
    set_setting(db, "welcomed", "1")
    app = DiazlogApp(db, demo_path, clock=lambda: NOW)
    with block_network() as attempts:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            ratings(app).focus_row(ratings(app).rows[0].key)
            await pilot.press("7", "u", "ctrl+s")
            await pilot.pause()
            for key in ("c", "h", "m", "d", "t", "question_mark", "escape"):
                await pilot.press(key)
                await pilot.pause()
            # A brand only the library knows, added on Medicines: looked up in a worker.
            await pilot.press("m", "a")
            await pilot.pause()
            app.screen.query_one("#name", Input).value = "Zydol"
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "tramadol" in str(app.screen.query_one("#name-class", Static).render())
            await pilot.press("ctrl+s", "t")
            await pilot.pause()
            for command in ("json", "back up"):
                await pilot.press("ctrl+p", *command)
                await settle(pilot)  # the palette's search worker has finished
                await pilot.press("enter")
                await pilot.pause()
                await app.workers.wait_for_complete()
            await pilot.press("ctrl+q")
            await pilot.pause()
    assert attempts == []
    assert list((demo_path.parent / "exports").iterdir())  # the flows did run
    assert list(backups_folder(demo_path).glob("*manual*"))
