"""The base every dialog shares: its frame, escape to cancel, a title line.

One `DEFAULT_CSS` written against the `Dialog` type: a type selector matches every subclass
(Textual matches a node's class and its bases), so no dialog copies the frame or formats a
CSS template with its own name; a subclass adds only what differs, and its rules win ties
(Textual ranks a class's own DEFAULT_CSS above its bases'). Focus stays inside: a modal
screen's focus chain holds only its own widgets, so tab and shift+tab cycle within the
dialog and the screen under it gets no keys.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from diazlog.widgets.plain import plain

ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT]):
    """A framed box in the middle of the screen; escape cancels (returns None unless the
    dialog says otherwise by overriding `action_cancel`)."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 64; max-width: 95%; height: auto; max-height: 95%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    Dialog .dialog-title { text-style: bold; margin-bottom: 1; }
    Dialog .field-error { color: $text-error; height: auto; }
    Dialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    Dialog Button { margin-left: 1; min-width: 10; }
    /* A Label is as wide as its text: a longer sentence was cut off, not wrapped. */
    Dialog .message { width: 100%; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    @staticmethod
    def title_line(text: str) -> Static:
        """The bold first line; diary text in it shows as typed (no markup, one line)."""
        return Static(plain(text, lines=False), classes="dialog-title")

    def action_cancel(self) -> None:
        self.dismiss(None)
