"""Checkboxes and radio buttons whose state shows in a character, not only in a colour.

Textual draws an "X" (a "●" for radio buttons) in every box and tells ticked from unticked by
colour alone, so with NO_COLOR, on a monochrome terminal or to a colour-blind eye a ticked
red flag looks like an unticked one. These draw the mark only when ticked and a blank
otherwise; colours stay as Textual's. (Plain subclasses, not a shared mixin: Textual's CSS
and queries follow a widget's first base class only, so a mixin first would hide that the
widget is a Checkbox.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Checkbox, RadioButton

if TYPE_CHECKING:
    from textual.content import ContentText


class TickBox(Checkbox):
    """A checkbox: "X" when ticked, blank when not (BUTTON_INNER is read at each draw)."""

    def __init__(self, label: ContentText = "", value: bool = False, **kwargs: object) -> None:
        super().__init__(label, value, **kwargs)  # type: ignore[arg-type]
        self.BUTTON_INNER = "X" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class Choice(RadioButton):
    """A radio button: "●" when chosen, blank when not."""

    def __init__(self, label: ContentText = "", value: bool = False, **kwargs: object) -> None:
        super().__init__(label, value, **kwargs)  # type: ignore[arg-type]
        self.BUTTON_INNER = "●" if value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "●" if self.value else " "
        super().watch_value()
