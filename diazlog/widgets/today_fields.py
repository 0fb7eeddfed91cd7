"""Today's lower form: the day's numbers (activity, water, sleep, alcohol), stretching, the
red-flag ticks and the note.

Below the fold at 80x24, so the screen mounts it just after the first frame (`Lazy`), and its
widgets are only made then: until they are, the day put in with `fill` is what it reads back.
So loading a day never waits for it, and the first frame neither imports the text area
(about 5 ms) nor builds its fifteen widgets.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label

from diazlog.domain import limits
from diazlog.domain.day_form import LIFESTYLE
from diazlog.domain.edited_text import as_edited
from diazlog.domain.models import DayLog, FlagKind
from diazlog.domain.visible_text import visible

if TYPE_CHECKING:
    from textual.widgets import Checkbox, TextArea

    from diazlog.widgets.toggles import TickBox


def is_text_field(widget: Widget | None) -> bool:
    """Whether keys typed on `widget` are text (an Input or a TextArea), not commands.

    A TextArea can only have focus once its module is loaded, so this never imports it.
    """
    if isinstance(widget, Input):
        return True
    text_area = sys.modules.get("textual.widgets._text_area")
    return text_area is not None and isinstance(widget, text_area.TextArea)


@dataclass
class _Widgets:
    inputs: dict[str, Input]
    stretched: TickBox
    flags: dict[str, TickBox]
    note: TextArea
    errors: dict[str, Label]


class DayFields(Vertical):
    """The day's fields below the ratings and doses; each can show an error line under it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._log = DayLog(date="")  # the day shown, read back until the widgets exist
        self._errors: dict[str, str] = {}  # errors shown before the widgets exist
        # Stretching stays "not recorded" (None) until the box is loaded with a value or used.
        self.stretched_known = False
        self._widgets: _Widgets | None = None

    def compose(self) -> ComposeResult:
        w = self._make()
        yield Label("The day", classes="section")
        with Grid(id="lifestyle"):
            for name, field in w.inputs.items():
                with Vertical(classes="field"):
                    with Horizontal(classes="field-row"):
                        yield Label(limits.DAY_FIELDS_BY_NAME[name].label, classes="field-label")
                        yield field
                    yield w.errors[name]
            yield w.stretched
        yield Label("Red flags  tick if it happened today", classes="section")
        with Grid(id="flags"):
            yield from w.flags.values()
        yield Label("Note", classes="section")
        yield w.note
        yield w.errors["note"]

    def _make(self) -> _Widgets:
        """The widgets, holding the day filled in so far (no Changed message for that)."""
        from textual.widgets import Checkbox, TextArea

        from diazlog.widgets.toggles import TickBox

        self._widgets = _Widgets(
            inputs={
                name: Input(
                    placeholder=limits.DAY_FIELDS_BY_NAME[name].hint,
                    id=f"field-{name}",
                    classes="number",
                )
                for name in LIFESTYLE
            },
            stretched=TickBox("Stretched today", id="field-stretched"),
            flags={k.value: TickBox(k.label, id=f"flag-{k.value}") for k in FlagKind},
            note=TextArea(id="field-note", soft_wrap=True, show_line_numbers=False),
            errors={
                name: Label("", id=f"error-{name}", classes="field-error")
                for name in (*LIFESTYLE, "note")
            },
        )
        with self.prevent(Input.Changed, Checkbox.Changed, TextArea.Changed):
            self._put(self._log)
        for name, message in self._errors.items():
            self.show_error(name, message)
        return self._widgets

    def fill(self, log: DayLog) -> None:
        """Show `log`'s fields, their errors cleared, without a Changed message per field."""
        self._log = log
        self.stretched_known = log.stretched is not None
        self._errors = {}
        if self._widgets is not None:
            from textual.widgets import Checkbox, TextArea

            with self.prevent(Input.Changed, Checkbox.Changed, TextArea.Changed):
                self._put(log)
            for name in (*LIFESTYLE, "note"):
                self.show_error(name, "")

    def _put(self, log: DayLog) -> None:
        w = self._widgets
        assert w is not None
        for name in LIFESTYLE:
            value = getattr(log, name)
            w.inputs[name].value = "" if value is None else f"{value:g}"
        w.stretched.value = bool(log.stretched)
        self._label_stretched()
        for kind in FlagKind:
            w.flags[kind.value].value = kind.value in log.red_flags
        note = visible(log.note)  # escape sequences shown, never sent to the terminal
        if w.note.text != note:  # setting it moves the cursor to the start
            w.note.text = note

    # -- reading ----------------------------------------------------------------------------

    def lifestyle(self) -> dict[str, str]:
        """The day's numbers as typed."""
        if self._widgets is None:
            return {
                name: "" if (value := getattr(self._log, name)) is None else f"{value:g}"
                for name in LIFESTYLE
            }
        return {name: field.value for name, field in self._widgets.inputs.items()}

    def note_text(self) -> str:
        """The note to store: what was typed, each untouched stretch with the control
        characters it was saved with (the form shows them escaped; domain/edited_text.py)."""
        if self._widgets is None:
            return self._log.note
        return as_edited(self._widgets.note.text, self._log.note)

    def stretched_value(self) -> bool | None:
        """Stretched: yes, no, or None while nobody said."""
        if not self.stretched_known:
            return None
        return bool(self._log.stretched if self._widgets is None else self._widgets.stretched.value)

    def ticked(self) -> frozenset[str]:
        """The red flags ticked."""
        if self._widgets is None:
            return frozenset(k.value for k in FlagKind if k.value in self._log.red_flags)
        return frozenset(k.value for k in FlagKind if self._widgets.flags[k.value].value)

    # -- acting -----------------------------------------------------------------------------

    def toggle_flag(self, kind: FlagKind) -> bool:
        """Tick or untick a red flag, as a click would. Whether that happened silently (the
        widgets are not made yet): the caller then refreshes what depends on it."""
        if self._widgets is not None:
            box = self._widgets.flags[kind.value]
            box.value = not box.value  # its Changed message tells the screen
            return False
        self._log = replace(self._log, red_flags=self._log.red_flags ^ {kind.value})
        return True

    def focus_field(self, name: str) -> None:
        """Focus a lifestyle number, "note", or a flag ("flag-<kind>"); nothing before the
        widgets are made."""
        w = self._widgets
        if w is None:
            return
        if name == "note":
            w.note.focus()
        elif name.startswith("flag-"):
            w.flags[name.removeprefix("flag-")].focus()
        else:
            w.inputs[name].focus()

    def show_error(self, name: str, message: str) -> None:
        """Show (or with "" clear) the error line under a lifestyle number or the note."""
        w = self._widgets
        if w is None:
            if message:
                self._errors[name] = message
            else:
                self._errors.pop(name, None)
            return
        label = w.errors[name]
        label.update(message)
        label.display = bool(message)
        field = w.note if name == "note" else w.inputs[name]
        field.set_class(bool(message), "-invalid")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Stretched ticked or unticked by the user: a yes or a no from now on (the message
        goes on up to the screen)."""
        if self._widgets is not None and event.checkbox is self._widgets.stretched:
            self.stretched_known = True
            self._label_stretched()

    def _label_stretched(self) -> None:
        if self._widgets is not None:
            known = self.stretched_known
            label = "Stretched today" if known else "Stretched today (not noted)"
            self._widgets.stretched.label = label
