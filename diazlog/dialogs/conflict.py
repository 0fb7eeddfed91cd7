"""Ask which value to keep where this screen and another writer changed the same field."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioSet, Static

from diazlog.dialogs.form import FormDialog
from diazlog.domain.day_merge import Conflict, Side, conflict_label, describe_value
from diazlog.domain.visible_text import one_line as shown
from diazlog.widgets.toggles import Choice

CONFLICT_CSS = """
ConflictDialog > Vertical { width: 76; }
ConflictDialog .message { width: 100%; height: auto; margin-bottom: 1; }
ConflictDialog #conflicts { height: auto; max-height: 9; }
ConflictDialog .conflict { height: auto; }
ConflictDialog .conflict-name { width: 22; padding-right: 1; }
ConflictDialog RadioSet { layout: horizontal; width: 1fr; height: auto; }
ConflictDialog RadioButton { width: 1fr; }
ConflictDialog .buttons Button { min-width: 8; }
ConflictDialog .hint { color: $text-muted; margin-top: 1; }
"""


class ConflictDialog(FormDialog):
    """One row per conflicting field, mine or theirs; returns {conflict key: side} or None.

    ctrl+s saves with the choices made; m keeps mine and t keeps theirs everywhere; esc goes
    back to the form with nothing saved. Fits 80x24: past nine rows they scroll, the buttons stay.
    """

    DEFAULT_CSS = CONFLICT_CSS
    BINDINGS = [
        Binding("m", "all('mine')", "Keep all mine"),
        Binding("t", "all('theirs')", "Keep all theirs"),
    ]

    def __init__(
        self,
        conflicts: tuple[Conflict, ...],
        symptom_names: Mapping[int, str],
        message: str | None = None,
        mine: str = "mine",
        theirs: str = "theirs",
    ) -> None:
        """`message` replaces the opening sentence (a restored draft says where "theirs" came
        from); `mine` and `theirs` name the two sides on each row."""
        super().__init__()
        self.conflicts = conflicts
        self.symptom_names = symptom_names
        self.message = message
        self.sides = (mine, theirs)

    def compose(self) -> ComposeResult:
        count = len(self.conflicts)
        with Vertical():
            yield Static("Changed here and elsewhere", classes="dialog-title")
            fields = f"{count} of the same field{'s' if count > 1 else ''}"
            yield Label(
                self.message.format(fields=fields)
                if self.message
                else f"Another diazlog saved this day too and changed {fields}. "
                "Keep which? Everything else is kept.",
                classes="message",
                markup=False,
            )
            with VerticalScroll(id="conflicts", can_focus=False):
                for index, conflict in enumerate(self.conflicts):
                    with Horizontal(classes="conflict"):
                        yield Label(
                            shown(conflict_label(conflict, self.symptom_names)),
                            classes="conflict-name",
                            markup=False,
                        )
                        mine, theirs = self.sides
                        theirs_value = shown(describe_value(conflict, conflict.theirs))
                        yield RadioSet(
                            Choice(
                                Text(f"{mine}: {shown(describe_value(conflict, conflict.mine))}"),
                                value=True,
                            ),
                            Choice(Text(f"{theirs}: {theirs_value}")),
                            id=f"choice-{index}",
                            compact=True,
                        )
            yield Label("tab next row · ←/→ then space picks · ctrl+s saves", classes="hint")
            yield Horizontal(
                Button("Save (ctrl+s)", id="ok", variant="primary", compact=True),
                Button("All mine (m)", id="mine", compact=True),
                Button("All theirs (t)", id="theirs", compact=True),
                Button("Back (esc)", id="cancel", compact=True),
                classes="buttons",
            )

    def on_mount(self) -> None:
        self.query(RadioSet).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """All mine / all theirs; FormDialog's handler (run next) does Save and Back."""
        if event.button.id in ("mine", "theirs"):
            event.prevent_default()
            self.action_all("mine" if event.button.id == "mine" else "theirs")

    def choices(self) -> dict[str, Side]:
        """The side chosen on each row."""
        return {
            conflict.key: "theirs"
            if self.query_one(f"#choice-{index}", RadioSet).pressed_index == 1
            else "mine"
            for index, conflict in enumerate(self.conflicts)
        }

    def action_submit(self) -> None:
        self.dismiss(self.choices())

    def action_all(self, side: Side) -> None:
        self.dismiss({conflict.key: side for conflict in self.conflicts})
