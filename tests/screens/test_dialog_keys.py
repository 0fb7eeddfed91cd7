"""Dialogs confirm the same way everywhere, their errors go once fixed, and a screen's notices
stay on that screen (widgets/day_dialogs.py FormDialog, widgets/dialogs.py, screens/base.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from diazlog.app import STAYS
from diazlog.dialogs.confirm import Confirm
from diazlog.dialogs.medicine import TaperStepDialog
from diazlog.dialogs.prompts import TextPrompt, UnsavedChanges
from tests.screens.test_daily_loop import SIZE
from tests.screens.test_medicines import fill, open_medicines, seed
from tests.support.helpers import settle


class DialogApp(App[None]):
    """A bare app that opens one dialog and keeps what it returned."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


ENTER_CASES = [
    # (what is asked, keys, answer): enter presses the focused button; the focus starts on
    # the safe answer, No unless the caller says yes loses nothing.
    ("delete: enter alone keeps it", {}, ("enter",), False),
    ("delete: tab to Yes, then enter", {}, ("tab", "enter"), True),
    ("delete: y answers yes wherever the focus is", {}, ("y",), True),
    ("delete: escape answers no", {}, ("escape",), False),
    ("restore (yes is safe): enter alone answers yes", {"safe_yes": True}, ("enter",), True),
    ("restore (yes is safe): tab to No, then enter", {"safe_yes": True}, ("tab", "enter"), False),
    ("restore (yes is safe): escape still answers no", {"safe_yes": True}, ("escape",), False),
]


@pytest.mark.parametrize(
    ("name", "options", "keys", "answer"), ENTER_CASES, ids=[c[0] for c in ENTER_CASES]
)
async def test_enter_presses_the_focused_button_of_the_one_confirm(
    name: str, options: dict[str, bool], keys: tuple[str, ...], answer: bool
) -> None:
    app = DialogApp(Confirm("Delete?", "Delete this question?", **options))
    async with app.run_test() as pilot:
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, Button)
        assert focused.id == ("yes" if options.get("safe_yes") else "no")
        await pilot.press(*keys)
        await pilot.pause()
    assert app.results == [answer]


async def test_a_dialog_keeps_the_focus_inside_it() -> None:
    """Tab goes round the dialog's own buttons; the screen underneath never gets the focus."""
    app = DialogApp(Confirm("Delete?", "Delete this question?"))
    async with app.run_test() as pilot:
        await pilot.pause()
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            assert app.focused is not None and app.focused.screen is app.screen
            seen.append(app.focused.id)
    assert seen == ["yes", "no", "yes", "no"]


async def test_ctrl_s_confirms_a_one_line_prompt_as_enter_does() -> None:
    def check(text: str) -> str:
        from diazlog.domain.validation import InvalidInput

        if not text.isdigit():
            raise InvalidInput("type digits")
        return text

    app = DialogApp(TextPrompt("How many?", check=check))
    async with app.run_test() as pilot:
        await pilot.press("x", "ctrl+s")
        error = app.screen.query_one("#prompt-error", Label)
        assert "type digits" in str(error.render())
        await pilot.press("backspace", "4")  # fixed: the error goes at once
        assert str(error.render()) == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["4"]


async def test_ctrl_s_in_the_unsaved_changes_question_saves() -> None:
    app = DialogApp(UnsavedChanges("Today's log"))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["save"]


async def test_the_taper_dialog_drops_a_fixed_error_and_keeps_its_buttons_at_80x24(
    make_app, db_path: Path
) -> None:
    seed(db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_medicines(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TaperStepDialog)
        await fill(pilot, **{"from": "someday", "amount": "lots", "times": "25:99"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TaperStepDialog)

        def showing() -> set[str]:
            return {
                (label.id or "").removeprefix("error-")
                for label in dialog.query(".field-error")
                if label.display
            }

        def buttons_on_screen() -> bool:
            screen = Region(0, 0, *SIZE)
            return all(screen.contains_region(b.region) for b in dialog.query(Button))

        assert showing() == {"from", "amount", "times"}
        assert buttons_on_screen()
        amount = dialog.query_one("#amount", Input)
        amount.focus()
        await pilot.press("ctrl+u", "2", ".", "5")
        await settle(pilot)
        assert showing() == {"from", "times"}  # fixed: its error went at once
        await fill(pilot, **{"from": "2026-12-01", "times": "08:00, 20:00"})
        await settle(pilot)
        assert showing() == set() and buttons_on_screen()
        await pilot.press("enter")  # enter in a field confirms, as ctrl+s does
        await settle(pilot)
        assert not isinstance(app.screen, TaperStepDialog)


async def test_a_screens_notice_stays_on_that_screen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("The diary is damaged.", timeout=STAYS)  # the app's own: it follows
        await pilot.press("right_square_bracket")  # Today's own notice: today is the latest
        await settle(pilot)
        assert any("future" in n.message for n in app._notifications)
        await pilot.press("c")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages == ["The diary is damaged."]
        await pilot.press("t", "a")  # a dialog over Today keeps Today's notices
        await settle(pilot)
        await pilot.press("escape", "right_square_bracket", "a")
        await settle(pilot)
        assert any("future" in n.message for n in app._notifications)


async def test_a_days_notices_go_when_the_user_moves_to_another_day(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "ctrl+s")
        await settle(pilot)
        assert any(n.message.startswith("Saved") for n in app._notifications)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert not any(n.message.startswith("Saved") for n in app._notifications)
