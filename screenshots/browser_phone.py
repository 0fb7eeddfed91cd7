"""Regenerate screenshots/today-browser-phone.png: Today through `diazlog serve`, in Debian's
chromium at a phone's size (400x800 CSS pixels), after two ratings and a planned dose.

Run from the checkout: .venv/bin/python screenshots/browser_phone.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from playwright.sync_api import sync_playwright  # noqa: E402
from tests.serve_helpers import PHONE, Terminal, launch_chromium, serving, welcomed_diary  # noqa: E402

from diazlog.store import open_database  # noqa: E402
from diazlog.store.queries.medications import save_medication  # noqa: E402
from tests.conftest import diazepam_medication  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        diary = welcomed_diary(Path(folder) / "data" / "diazlog.db")
        db = open_database(diary)
        save_medication(db, diazepam_medication(usual_times=("00:00",)))
        db.close()
        with serving(diary) as served, sync_playwright() as playwright:
            browser = launch_chromium(playwright, Path(folder) / "profile")
            page = browser.new_page()
            page.set_viewport_size(PHONE)
            terminal = Terminal(page)
            page.goto(served.url)
            terminal.wait_for("Usual dose")
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("35")
            page.keyboard.press("p")
            terminal.wait_for("taken")
            page.screenshot(path=str(HERE / "today-browser-phone.png"))
            page.close()
            browser.close()
            served.stop()


if __name__ == "__main__":
    main()
