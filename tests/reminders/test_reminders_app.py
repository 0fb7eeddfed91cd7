"""Reminders in the app (issue 23): the due notice with a fixed clock, the calendar rewritten
after a plan change made in the app, and a first frame that imports neither icalendar nor
desktop-notifier."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from diazlog.app import DiazlogApp
from diazlog.commands import support
from diazlog.dialogs.medicine import TaperStepDialog
from diazlog.domain.models import TaperStep
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from diazlog.store.queries.taper import save_step
from diazlog.widgets.due_notice import DueNotice
from tests.conftest import diazepam_medication
from tests.screens.test_medicines import open_medicines
from tests.support.helpers import NOW, TODAY, settle

ROOT = Path(__file__).resolve().parents[2]
SIZE = (100, 34)


def notice(app: DiazlogApp) -> DueNotice:
    return app.screen.query_one(DueNotice)


async def test_a_dose_due_while_open_stays_until_space_takes_it(db_path: Path) -> None:
    """Today is a step day (2.5 mg at 08:00 and 20:00 from today): the notice says the new
    plan first. At 19:50 nothing is due; at 20:01 the 20:00 dose is, and stays through later
    checks; space takes it, the notice goes, ctrl+s saves it at 20:00."""
    db = open_database(db_path)
    med = save_medication(db, diazepam_medication(started_on="2026-01-01"))
    assert med.id is not None
    save_step(db, TaperStep(None, med.id, TODAY, 2.5, ("08:00", "20:00")))
    set_setting(db, "welcomed", "1")
    moment = [NOW.replace(hour=19, minute=50)]
    app = DiazlogApp(db, db_path, clock=lambda: moment[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = notice(app)
        assert shown.display and shown.text == "Plan changes today: 2 × 2.5 mg (08:00, 20:00)"
        assert "due" not in str(shown.render())  # 08:00 passed before the app opened
        moment[0] = NOW.replace(hour=20, minute=1)
        app.screen.check_due()  # what the screen's timer calls
        await settle(pilot)
        due_line = "20:00 Diazepam 2.5 mg due: space takes it"
        assert shown.text.splitlines() == [
            "Plan changes today: 2 × 2.5 mg (08:00, 20:00)",
            due_line,
        ]
        assert due_line in str(shown.render())
        assert isinstance(app.focused, DataTable) and app.focused.id == "doses"
        moment[0] = NOW.replace(hour=21, minute=30)  # long after: still there
        app.screen.check_due()
        assert due_line in shown.text
        await pilot.press("space")
        await settle(pilot)
        assert due_line not in shown.text
        await pilot.press("ctrl+s")
        await settle(pilot)
    day = load_day(open_database(db_path), TODAY)
    assert day is not None and [(d.time, d.amount) for d in day.doses] == [("20:00", 2.5)]


async def test_a_step_added_in_the_app_rewrites_the_calendar(
    db_path: Path, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from diazlog.cli import cli

    db = open_database(db_path)
    save_medication(db, diazepam_medication(started_on="2026-01-01"))
    db.close()
    monkeypatch.setattr(support, "clock", lambda: NOW)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    out = tmp_path / "doses.ics"
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "calendar", "--out", str(out), "--names", "--tz", "UTC"]
    )
    assert result.exit_code == 0, result.output
    assert "Diazepam 1.5 mg" not in out.read_text()
    # Only the app's own hook (the command's is gone): the rewrite below is the app's.
    monkeypatch.setattr("diazlog.store.file.transactions.AFTER_COMMIT", [])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_medicines(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TaperStepDialog)
        dialog.query_one("#from", Input).value = "2026-11-28"
        dialog.query_one("#amount", Input).focus()
        await pilot.press(*"1.5@08:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = out.read_text()
    assert "Diazepam 1.5 mg" in text and "DTSTART;VALUE=DATE:20261128" in text


def test_the_first_frame_imports_neither_icalendar_nor_desktop_notifier(db_path: Path) -> None:
    db = open_database(db_path)
    save_medication(db, diazepam_medication(started_on="2026-01-01"))
    db.close()
    code = (
        "import sys, asyncio\n"
        "from pathlib import Path\n"
        "from diazlog.commands.support import open_or_fail\n"
        "from diazlog.app import DiazlogApp\n"
        "from diazlog.store.queries.settings import set_setting\n"
        f"db = open_or_fail(Path({str(db_path)!r}))\n"
        "set_setting(db, 'welcomed', '1')\n"
        f"app = DiazlogApp(db, Path({str(db_path)!r}))\n"
        "async def main():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(main())\n"
        "heavy = ('icalendar', 'desktop_notifier', 'dbus_fast')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert found.stdout.strip().splitlines()[-1:] == ["[]"], found.stderr[-2000:]


def test_the_due_notice_is_empty_on_another_day() -> None:
    from diazlog.domain.adherence import Slot
    from diazlog.widgets.due_notice import due_now

    plans = {1: (Slot("20:00", 5.0),)}
    now = datetime(2026, 11, 25, 20, 5)
    assert due_now("2026-11-24", now, now.replace(hour=19), plans, []) == []
    assert [d.time for d in due_now("2026-11-25", now, now.replace(hour=19), plans, [])] == [
        "20:00"
    ]
