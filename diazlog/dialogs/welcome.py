"""First run: what to log each day, and the diazepam dose, so `u` works from day one."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Markdown

from diazlog.dialogs.base import Dialog
from diazlog.domain.models import Category, Medication
from diazlog.domain.plan import parse_schedule
from diazlog.domain.taper import describe_doses
from diazlog.domain.validation import InvalidInput
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.settings import set_setting
from diazlog.widgets.toggles import TickBox

WELCOME = """\
# Welcome to diazlog

Each day (it takes under a minute) you log:

- how strong each leg symptom was, **0–10** (0 = none; leave it blank if you did not notice);
- the **diazepam doses** you took, at their real time, and any other medicines;
- activity, stretching, water, sleep, alcohol, and anything unusual in a note.

Charts (`c`) then show whether the pain follows the dose; the Doctor screen (`d`) keeps your
questions and makes a report for your appointment. diazlog **does not give medical advice**:
it only warns you when what you log needs a doctor's attention. `?` lists the keys anywhere.

Set up your usual diazepam dose (you can change it later under Medicines, `m`):
"""


class WelcomeScreen(Dialog[None]):
    """Shown once, on an empty diary; skipping is fine."""

    # Its own look (user-level CSS, as a CSS_PATH file was), read when it is first shown:
    # a one-off screen, so start-up does not parse it.
    CSS = """
    WelcomeScreen {
        align: center middle;
    }
    WelcomeScreen #welcome {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        overflow-y: auto;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    WelcomeScreen Markdown {
        margin: 0;
        padding: 0;
    }
    /* Compact at 80x24: the heading without its blank lines, one-line fields and buttons. */
    WelcomeScreen MarkdownH1 {
        margin: 0;
        padding: 0;
    }
    WelcomeScreen #welcome-form {
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-rows: 1;
        height: auto;
    }
    WelcomeScreen #welcome-form Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    WelcomeScreen #welcome-encrypt {
        border: none;
        padding: 0;
        height: 1;
        background: $surface;
    }
    WelcomeScreen #welcome-secret {
        display: none;
        grid-size: 2;
        grid-columns: 14 1fr;
        grid-rows: 1;
        height: auto;
    }
    WelcomeScreen.-encrypt #welcome-secret {
        display: block;
    }
    WelcomeScreen #welcome-secret Input {
        border: none;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    WelcomeScreen #welcome-error {
        color: $text-error;
        height: auto;
    }
    WelcomeScreen #welcome-buttons {
        height: auto;
        align-horizontal: right;
    }
    WelcomeScreen Button {
        margin-left: 1;
        border: none;
        height: 1;
        min-width: 10;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "skip", "Skip"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Markdown(WELCOME)
            with Grid(id="welcome-form"):
                yield Label("mg per dose")
                yield Input("5", id="welcome-amount")
                yield Label("usual times")
                yield Input("08:00, 20:00", id="welcome-times")
            yield TickBox(
                "Encrypt the diary with a passphrase (lost passphrase = lost diary)",
                id="welcome-encrypt",
            )
            with Grid(id="welcome-secret"):
                yield Label("passphrase")
                yield Input(password=True, id="welcome-passphrase")
                yield Label("once more")
                yield Input(password=True, id="welcome-passphrase-again")
            yield Label("", id="welcome-error")
            with Horizontal(id="welcome-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary")
                yield Button("Skip (esc)", id="skip")

    def on_mount(self) -> None:
        self.query_one("#welcome-amount", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "save" else self.action_skip()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.set_class(event.value, "-encrypt")

    def _passphrase(self) -> str | None:
        """The new passphrase if the user chose encryption (InvalidInput if it will not do)."""
        if not self.query_one("#welcome-encrypt", Checkbox).value:
            return None
        from diazlog.store.file.cipher import WeakPassphrase, check_new_passphrase

        first = self.query_one("#welcome-passphrase", Input).value
        if first != self.query_one("#welcome-passphrase-again", Input).value:
            raise InvalidInput("the two passphrases differ")
        try:
            check_new_passphrase(first)
        except WeakPassphrase as exc:
            raise InvalidInput(str(exc)) from None
        return first

    def action_save(self) -> None:
        try:
            # One amount at the times, or one per time (5@08:00, 2.5@20:00): domain.plan.
            usual = parse_schedule(
                self.query_one("#welcome-amount", Input).value,
                self.query_one("#welcome-times", Input).value,
                diazepam=True,
            )
            assert usual is not None
            passphrase = self._passphrase()
        except InvalidInput as exc:
            self.query_one("#welcome-error", Label).update(str(exc))
            return
        db = self.app.db  # type: ignore[attr-defined]
        # No start date: "your usual dose" is what the user has been taking, not something
        # begun today, so the days before today (filled in afterwards) have it planned too.
        save_medication(
            db,
            Medication(
                None,
                "Diazepam",
                Category.BENZODIAZEPINE,
                is_diazepam=True,
                usual_amount=usual.amount,
                usual_times=usual.times,
                usual_amounts=usual.amounts,
            ),
        )
        self._done()
        what = (
            describe_doses(usual.doses)
            if usual.amounts
            else f"{usual.amount:g} mg at {', '.join(usual.times) or 'no set time'}"
        )
        self.notify(f"Diazepam {what} saved.", timeout=3)
        if passphrase is not None:
            self.app.encrypt_diary(passphrase)  # type: ignore[attr-defined]

    def action_skip(self) -> None:
        self._done()

    def _done(self) -> None:
        set_setting(self.app.db, "welcomed", "1")  # type: ignore[attr-defined]
        self.dismiss(None)
        today = self.app.screen
        if hasattr(today, "load"):
            today.load(today.day)  # type: ignore[attr-defined]  # pick up the new medicine
