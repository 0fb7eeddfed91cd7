"""Today's lower form: the day's numbers (activity, water, sleep, alcohol), stretching, the
red-flag ticks and the note.

Below the fold at 80x24, so the screen mounts it just after the first frame (`Lazy`). Its
fields are made in `__init__`, so a day can be put in and read out before it is mounted:
loading a day never waits for it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, TextArea

from diazlog.domain import limits
from diazlog.domain.day_form import LIFESTYLE
from diazlog.domain.models import DayLog, FlagKind
from diazlog.domain.visible_text import visible
from diazlog.widgets.toggles import TickBox


class DayFields(Vertical):
    """The day's fields below the ratings and doses; each can show an error line under it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.inputs = {
            name: Input(
                placeholder=limits.DAY_FIELDS_BY_NAME[name].hint,
                id=f"field-{name}",
                classes="number",
            )
            for name in LIFESTYLE
        }
        self.stretched = TickBox("Stretched today", id="field-stretched")
        # Stretching stays "not recorded" (None) until the box is loaded with a value or used.
        self.stretched_known = False
        self.flags = {k.value: TickBox(k.label, id=f"flag-{k.value}") for k in FlagKind}
        self.note = TextArea(id="field-note", soft_wrap=True, show_line_numbers=False)
        self.errors = {
            name: Label("", id=f"error-{name}", classes="field-error")
            for name in (*LIFESTYLE, "note")
        }

    def compose(self) -> ComposeResult:
        yield Label("The day", classes="section")
        with Grid(id="lifestyle"):
            for name, field in self.inputs.items():
                with Vertical(classes="field"):
                    with Horizontal(classes="field-row"):
                        yield Label(limits.DAY_FIELDS_BY_NAME[name].label, classes="field-label")
                        yield field
                    yield self.errors[name]
            yield self.stretched
        yield Label("Red flags  tick if it happened today", classes="section")
        with Grid(id="flags"):
            yield from self.flags.values()
        yield Label("Note", classes="section")
        yield self.note
        yield self.errors["note"]

    def field(self, name: str) -> Input | TextArea:
        """The widget of a field that can show an error: a lifestyle number or the note."""
        return self.note if name == "note" else self.inputs[name]

    def fill(self, log: DayLog) -> None:
        """Show `log`'s fields, their errors cleared (the caller holds back Changed)."""
        for name in LIFESTYLE:
            value = getattr(log, name)
            self.inputs[name].value = "" if value is None else f"{value:g}"
            self.show_error(name, "")
        self.stretched.value = bool(log.stretched)
        self.stretched_known = log.stretched is not None
        self._label_stretched()
        for kind in FlagKind:
            self.flags[kind.value].value = kind.value in log.red_flags
        note = visible(log.note)  # escape sequences shown, never sent to the terminal
        if self.note.text != note:  # setting it moves the cursor to the start
            self.note.text = note
        self.show_error("note", "")

    def lifestyle(self) -> dict[str, str]:
        """The day's numbers as typed."""
        return {name: field.value for name, field in self.inputs.items()}

    def stretched_value(self) -> bool | None:
        """Stretched: yes, no, or None while nobody said."""
        return self.stretched.value if self.stretched_known else None

    def ticked(self) -> frozenset[str]:
        """The red flags ticked."""
        return frozenset(k.value for k in FlagKind if self.flags[k.value].value)

    def show_error(self, name: str, message: str) -> None:
        label = self.errors[name]
        label.update(message)
        label.display = bool(message)
        self.field(name).set_class(bool(message), "-invalid")

    @on(Checkbox.Changed, "#field-stretched")
    def _stretched_used(self) -> None:
        """Ticked or unticked by the user: a yes or a no from now on."""
        self.stretched_known = True
        self._label_stretched()

    def _label_stretched(self) -> None:
        known = self.stretched_known
        self.stretched.label = "Stretched today" if known else "Stretched today (not noted)"
