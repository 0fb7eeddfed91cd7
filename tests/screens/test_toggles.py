"""Ticked and unticked boxes differ in their characters, so they differ without colour."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from diazlog.widgets.toggles import Choice, TickBox


class Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield TickBox("Fell today", id="fell")
        yield TickBox("Confusion", True, id="confused")
        yield RadioSet(Choice("mine", value=True), Choice("theirs"), id="pick")


def plain(widget: TickBox | Choice) -> str:
    return widget.render().plain  # type: ignore[union-attr]


@pytest.mark.parametrize("colour", ["", "1"])
async def test_a_tick_shows_as_a_character(monkeypatch: pytest.MonkeyPatch, colour: str) -> None:
    if colour:
        monkeypatch.setenv("NO_COLOR", colour)
    app = Boxes()
    async with app.run_test() as pilot:
        fell = app.query_one("#fell", TickBox)
        confused = app.query_one("#confused", TickBox)
        assert plain(fell).startswith("▐ ▌")
        assert plain(confused).startswith("▐X▌")
        fell.focus()
        await pilot.press("space")
        assert fell.value is True
        assert plain(fell).startswith("▐X▌")
        await pilot.press("space")
        assert plain(fell).startswith("▐ ▌")


async def test_a_chosen_radio_button_shows_a_dot_and_the_other_none() -> None:
    app = Boxes()
    async with app.run_test() as pilot:
        mine, theirs = app.query(Choice)
        assert "●" in plain(mine) and "●" not in plain(theirs)
        app.query_one("#pick", RadioSet).focus()
        await pilot.press("right", "space")
        assert theirs.value and not mine.value
        assert "●" in plain(theirs) and "●" not in plain(mine)


async def test_todays_red_flag_ticks_show_which_are_ticked_without_colour(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`r` jumps to the red-flag ticks; space ticks the first; with NO_COLOR its box reads
    X and the others stay blank, on screen."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        ticked = app.focused
        assert isinstance(ticked, TickBox) and ticked.id and ticked.id.startswith("flag-")
        await pilot.press("space")
        await pilot.pause()
        assert ticked.value is True
        boxes = list(app.screen.query("#flags TickBox").results(TickBox))
        assert len(boxes) >= 4
        for box in boxes:
            assert plain(box).startswith("▐X▌" if box is ticked else "▐ ▌"), box.id
        shown = "".join(s.text for s in ticked.render_lines(ticked.region.reset_offset))
        assert f"▐X▌ {ticked.label.plain}" in shown  # what the terminal draws
