"""Small modal dialogs shared by the screens: confirm, ask for one line of text.

They confirm as every dialog does (widgets/day_dialogs.py FormDialog): a question answers with
the letters on its buttons and `enter` presses the highlighted button; a field confirms with
`enter` or `ctrl+s`; `esc` cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from diazlog.domain.validation import InvalidInput
from diazlog.widgets.plain import plain

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 95%; height: auto; max-height: 95%;
    border: thick $accent; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .field-error {{ color: $text-error; height: auto; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} Button {{ margin-left: 1; min-width: 10; }}
"""


class UnsavedChanges(ModalScreen[str]):
    """Ask what to do with unsaved edits: returns "save", "discard" or "cancel"."""

    DEFAULT_CSS = DIALOG_CSS.format(name="UnsavedChanges")
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


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line; `check` turns it into the value or raises InvalidInput shown inline."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TextPrompt")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "submit", "Done", priority=True),
    ]

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

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """Ask yes or no before something that cannot be undone: y / enter yes, n / esc no."""

    DEFAULT_CSS = DIALOG_CSS.format(name="Confirm")
    BINDINGS = [
        Binding("y", "choose(True)", "Yes"),
        Binding("n,escape", "choose(False)", "No"),
    ]

    def __init__(self, title: str, message: str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text, lines=False), classes="dialog-title")
            yield Static(plain(self.message))  # wraps (a Label would be cut at the dialog's edge)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # enter on a stray key press keeps things as they are

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_choose(self, yes: bool) -> None:
        self.dismiss(yes)
