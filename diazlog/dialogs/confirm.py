"""The one yes / no question of the app.

One rule for every question: y answers yes, n or escape no, and enter presses the button
that has the focus. The focus starts on the safe answer, the one that loses nothing: No by
default (delete, replace, clear, reopen over unsaved entries), Yes only where the caller
says yes is the safe one (`safe_yes`). So a stray enter never deletes anything.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from diazlog.dialogs.base import Dialog
from diazlog.widgets.plain import plain


class Confirm(Dialog[bool]):
    """Ask yes or no; returns True for yes. `yes` names the yes button ("Delete")."""

    BINDINGS = [
        Binding("y", "choose(True)", "Yes"),
        Binding("n,escape", "choose(False)", "No"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes", *, safe_yes: bool = False):
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.safe_yes = safe_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield self.title_line(self.title_text)
            # A Label wraps at the dialog's edge only with the .message width (dialogs/base.py).
            yield Label(plain(self.message), id="message", classes="message")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.safe_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_choose(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)
