"""A dialog of labelled fields, each with the line under it where its error appears.

Every form dialog (a dose, a rating's detail, a medicine, a taper step, a symptom, the
appointment, the report) is one of these; the grid that lays the fields out is its
`DEFAULT_CSS`, matched by type, so no subclass repeats it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from diazlog.dialogs.base import Dialog
from diazlog.domain.edited_text import as_edited
from diazlog.domain.validation import InvalidInput
from diazlog.domain.visible_text import visible


class FormDialog(Dialog[Any]):
    """A dialog of labelled fields whose errors appear under the field that caused them.

    Every dialog confirms the same way: `enter` in a one-line field or `ctrl+s` anywhere is
    Done, `esc` is Cancel (a yes / no question answers with the letters on its buttons, and
    `enter` presses the highlighted one). An error goes as soon as its field is fixed.
    """

    # One line per field (compact widgets, a blank line between fields); the fields scroll
    # (the buttons below them do not), so every dialog keeps its buttons on an 80x24 screen.
    DEFAULT_CSS = """
    FormDialog Grid {
        grid-size: 2; grid-columns: 16 1fr; grid-rows: auto; grid-gutter: 1 1; height: auto;
    }
    FormDialog Grid > Label { padding: 0; }
    FormDialog .field-error { column-span: 2; }
    FormDialog .form-body { height: auto; max-height: 60vh; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Done", priority=True)]

    def __init__(self) -> None:
        super().__init__()
        # How each field was checked when its error was shown: an edit is checked again.
        self._checks: dict[str, Callable[[str], object]] = {}
        # Stored text a field shows escaped (shown()): value() gives it back where untouched.
        self._stored: dict[str, tuple[str, str]] = {}

    def on_input_changed(self, event: Input.Changed) -> None:
        """Re-check a field whose error is showing: fixed, the error goes (a stale error
        also pushed the buttons off a small screen); still wrong, it says why now."""
        name = event.input.id or ""
        check = self._checks.get(name)
        labels = self.query(f"#error-{name}")
        if check is None or not labels or not labels.first().display:
            return
        label = labels.first(Label)
        try:
            check(event.value)
        except InvalidInput as exc:
            label.update(str(exc))
            return
        label.update("")
        label.display = False
        event.input.set_class(False, "-invalid")

    def show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".field-error"):
            name = (label.id or "").removeprefix("error-")
            label.update(errors.get(name, ""))  # type: ignore[attr-defined]
            label.display = name in errors
        if errors:
            first = next(iter(errors))
            self.query_one(f"#{first}").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_submit()
        else:
            self.action_cancel()

    def action_submit(self) -> None:
        raise NotImplementedError

    def parse_fields(
        self, checks: Iterable[tuple[str, Callable[[str], object]]], errors: dict[str, str]
    ) -> dict[str, object]:
        """Parse each named Input; a refusal's message goes into `errors` under its name."""
        values: dict[str, object] = {}
        for name, parse in checks:
            self._checks[name] = parse
            try:
                values[name] = parse(self.value(name))
            except InvalidInput as exc:
                errors[name] = str(exc)
        return values

    def value(self, widget_id: str) -> str:
        typed = self.query_one(f"#{widget_id}", Input).value
        if widget_id in self._stored:
            stored, keep = self._stored[widget_id]
            return as_edited(typed, stored, keep)
        return typed

    def shown(self, widget_id: str, stored: str, keep: str = "\n\t") -> str:
        """`stored` as field `widget_id` shows it (control characters escaped), remembered so
        that value() keeps them where the user did not edit (domain/edited_text.py)."""
        self._stored[widget_id] = (stored, keep)
        return visible(stored, keep)

    def text_field(self, label: str | Text, field: Input) -> Iterator[Widget]:
        """A labelled Input with the line under it where its error appears (grid cells)."""
        yield Label(label)
        yield field
        yield self.error_label(field.id or "")

    @staticmethod
    def error_label(name: str) -> Label:
        label = Label("", id=f"error-{name}", classes="field-error")
        label.display = False
        return label

    @staticmethod
    def buttons() -> Horizontal:
        return Horizontal(
            Button("Done (ctrl+s)", id="ok", variant="primary", compact=True),
            Button("Cancel (esc)", id="cancel", compact=True),
            classes="buttons",
        )
