"""Small dialogs shared by the screens: unsaved changes, ask for one line of text.

They confirm as every dialog does (dialogs/form.py FormDialog; the yes / no question is
dialogs/confirm.py): a question answers with
the letters on its buttons and `enter` presses the highlighted button; a field confirms with
`enter` or `ctrl+s`; `esc` cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from diazlog.dialogs.base import Dialog
from diazlog.domain.validation import InvalidInput
from diazlog.widgets.plain import plain


class UnsavedChanges(Dialog[str]):
    """Ask what to do with unsaved edits: returns "save", "discard" or "cancel"."""

    BINDINGS = [
        Binding("s,ctrl+s", "choose('save')", "Save"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape,c", "choose('cancel')", "Cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Unsaved changes", classes="dialog-title")
            yield Label(plain(f"{self.what} has changes that are not saved."))
            with Horizontal(classes="buttons"):
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss("cancel")


class TextPrompt(Dialog[str | None]):
    """Ask for one line; `check` turns it into the value or raises InvalidInput shown inline."""

    BINDINGS = [Binding("ctrl+s", "submit", "Done", priority=True)]

    def __init__(
        self,
        title: str,
        *,
        placeholder: str = "",
        value: str = "",
        check: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.initial = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text, lines=False), classes="dialog-title")
            yield Input(value=self.initial, placeholder=self.placeholder, id="prompt-input")
            yield Label("", id="prompt-error", classes="field-error")
            yield Label("enter or ctrl+s to confirm · esc to cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        """An error showing goes once the text is fixed (it says why while it is not)."""
        error = self.query_one("#prompt-error", Label)
        if not str(error.render()):
            return
        try:
            if self.check:
                self.check(event.value)
        except InvalidInput as exc:
            error.update(str(exc))
            return
        error.update("")

    def action_submit(self) -> None:
        text = self.query_one("#prompt-input", Input).value
        try:
            value = self.check(text) if self.check else text
        except InvalidInput as exc:
            self.query_one("#prompt-error", Label).update(str(exc))
            return
        self.dismiss(value)
