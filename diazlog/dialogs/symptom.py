"""The dialog that adds a symptom of the user's own: its name and what kind it is."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from diazlog.dialogs.form import FormDialog
from diazlog.domain.models import SymptomKind
from diazlog.domain.symptom_kinds import guess_kind, kinds_in
from diazlog.domain.validation import InvalidInput

KIND_HINT = (
    "Pain, cramp or spasm, weakness and tension are watched by the red-flag rules.\n"
    "enter saves · tab to Kind · esc cancels"
)


def kind_question(name: str) -> str:
    """What the dialog says when the name fits no kind, or several."""
    found = kinds_in(name)
    fits = (
        "its words fit no kind"
        if not found
        else "its words fit " + " and ".join(k.label for k in found)
    )
    return (
        f"Which kind is it? diazlog can't tell ({fits}). Pick one in Kind (tab), or press "
        f"enter again to save it as {guess_kind(name).label}."
    )


class NewSymptomDialog(FormDialog):
    """Name and kind of a new symptom. `add(name, kind)` saves it and returns the name, or
    raises InvalidInput, shown under the name; the dialog returns the saved name."""

    DEFAULT_CSS = """
    NewSymptomDialog Grid { grid-gutter: 0 1; }
    NewSymptomDialog #kind-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, add: Callable[[str, SymptomKind], str]) -> None:
        super().__init__()
        self.add = add
        # The kind follows the name's words until the user picks one themselves.
        self._guessed: SymptomKind | None = SymptomKind.OTHER
        self._asked_for: str | None = None  # the name the dialog last asked the kind of

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("A symptom of your own", classes="dialog-title")
            with Grid():
                yield from self.text_field(
                    "Name", Input(placeholder="e.g. Restless legs", id="name", compact=True)
                )
                yield Label("Kind")
                yield Select(
                    [(k.label, k.value) for k in SymptomKind],
                    value=SymptomKind.OTHER.value,
                    allow_blank=False,
                    id="kind",
                    compact=True,
                )
            yield Static(KIND_HINT, id="kind-hint")
            yield self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        for button in self.query(Button):
            button.compact = True

    @on(Input.Changed, "#name")
    def _follow_name(self, event: Input.Changed) -> None:
        if self._guessed is None:
            return
        self._guessed = guess_kind(event.value)
        self.query_one("#kind", Select).value = self._guessed.value

    @on(Select.Changed, "#kind")
    def _picked(self, event: Select.Changed) -> None:
        # Only the user changes it while it has focus (guesses come while typing the name,
        # and their Changed messages may arrive late): then stop guessing.
        if event.select.has_focus_within:
            self._guessed = None

    def kind(self) -> SymptomKind:
        return SymptomKind(str(self.query_one("#kind", Select).value))

    def action_submit(self) -> None:
        name = self.value("name")
        unclear = len(kinds_in(name)) != 1
        if self._guessed is not None and unclear and name.strip() and self._asked_for != name:
            # Asked once per name: enter again keeps the kind shown.
            self._asked_for = name
            self.query_one("#kind-hint", Static).update(kind_question(name))
            return
        try:
            name = self.add(self.value("name"), self.kind())
        except InvalidInput as exc:
            self.show_errors({"name": str(exc)})
            return
        self.dismiss(name)
