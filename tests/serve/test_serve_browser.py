"""`diazlog serve` in a real browser: Debian's chromium driven by Playwright, at a desktop and a
phone size. A day is logged through the page and read back from the diary with SQL; every
request the page made went to this machine; a second tab is told the diary is open elsewhere.

One chromium for the module (a launch is most of the cost); one server and diary per test."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright import sync_api  # noqa: E402  (the test extra)

from diazlog.store import open_database
from diazlog.store.queries.medications import save_medication
from tests.conftest import diazepam_medication
from tests.support.network_guard import loopback_only
from tests.support.serve_helpers import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    Terminal,
    launch_chromium,
    serving,
    welcomed_diary,
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium)"
    with loopback_only(), sync_api.sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    """A diary with diazepam planned at midnight, so one planned dose is always due."""
    path = welcomed_diary(tmp_path / "data" / "diazlog.db")
    db = open_database(path)
    save_medication(db, diazepam_medication(usual_times=("00:00",)))
    db.close()
    return path


def open_today(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, Terminal, list[str]]:
    """A new tab at `viewport` on the printed URL, once Today is on screen."""
    page = browser.new_page()
    page.set_viewport_size(viewport)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    terminal = Terminal(page)
    page.goto(url)
    terminal.wait_for("Usual dose")  # Today's footer: the form is mounted and focused
    page.focus(".xterm-helper-textarea")  # where xterm.js takes keys (a tap does the same)
    return page, terminal, requested


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280x800", "phone-400x800"])
def test_a_day_logged_in_the_browser_is_in_the_diary(
    browser: Any, diary: Path, viewport: dict[str, int]
) -> None:
    with serving(diary) as served:
        page, terminal, requested = open_today(browser, served.url, viewport)
        assert page.url == served.base + "/"  # the token left the address bar
        assert "Diazepam" in terminal.text  # the planned dose is on screen, phone size too
        page.keyboard.type("35")  # the first two symptoms: 3, then 5
        page.keyboard.press("p")  # the planned doses up to now: the 00:00 diazepam
        page.keyboard.press("Control+s")
        terminal.wait_for("taken")
        terminal.wait_for("Saved")
        requested.append(terminal.websocket.url)  # the app's own connection too
        page.close()  # the tab's last keys reach the app before the server asks it to quit
        served.stop()
    rows = (
        sqlite3.connect(diary)
        .execute(
            "SELECT s.position, r.intensity FROM ratings r JOIN symptoms s ON s.id = r.symptom_id "
            "ORDER BY s.position"
        )
        .fetchall()
    )
    assert [intensity for _, intensity in rows] == [3, 5]
    doses = sqlite3.connect(diary).execute("SELECT amount, as_needed FROM doses").fetchall()
    assert doses == [(5.0, 0)]
    hosts = {urlsplit(url).hostname for url in requested}
    assert hosts == {"127.0.0.1"}, requested  # nothing left the machine (no font, no script)
    assert len(requested) >= 4  # the page, its script, its style sheet, its font, the socket


def test_a_second_tab_is_told_the_diary_is_open_elsewhere(browser: Any, diary: Path) -> None:
    with serving(diary) as served:
        first, terminal, _ = open_today(browser, served.url, DESKTOP)
        first.keyboard.type("6")
        second = browser.new_page()
        response = second.goto(served.base + "/")  # the same browser: it has the cookie
        assert response is not None and response.status == 409
        assert "The diary is open elsewhere" in second.inner_text("#open-elsewhere")
        second.close()
        first.keyboard.press("Control+s")  # the first tab goes on; nothing it typed is lost
        first.close()
        served.stop()
    assert sqlite3.connect(diary).execute("SELECT intensity FROM ratings").fetchall() == [(6,)]
