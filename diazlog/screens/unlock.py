"""The first screen of an encrypted diary: its passphrase, before anything else is read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, LoadingIndicator

if TYPE_CHECKING:
    from sqlite_utils import Database


class UnlockScreen(Screen[None]):
    """Asks for the passphrase; the key is derived in a thread (about a quarter of a second)
    while "Unlocking…" shows. A wrong passphrase says so and the user tries again."""

    # Its own look (user-level CSS, as a CSS_PATH file was), read when it is first shown:
    # a one-off screen, so start-up does not parse it.
    CSS = """
    UnlockScreen {
        align: center middle;
    }
    UnlockScreen #unlock {
        width: 60;
        height: auto;
        border: round $accent;
        padding: 1 2;
    }
    UnlockScreen #unlock-title {
        text-style: bold;
    }
    UnlockScreen #unlock-path {
        color: $text-muted;
        margin-bottom: 1;
    }
    UnlockScreen #unlock-message {
        height: auto;
        margin-top: 1;
    }
    UnlockScreen #unlock-message.-error {
        color: $text-error;
        text-style: bold;
    }
    UnlockScreen #unlock-working {
        display: none;
        height: 1;
    }
    UnlockScreen.-working #unlock-working {
        display: block;
    }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock"):
            yield Label("This diary is encrypted.", id="unlock-title")
            yield Label(str(self.path), id="unlock-path")
            yield Input(password=True, placeholder="Passphrase", id="unlock-passphrase")
            yield Label("", id="unlock-message")
            yield LoadingIndicator(id="unlock-working")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#unlock-passphrase", Input).focus()

    @on(Input.Submitted, "#unlock-passphrase")
    def submit(self, event: Input.Submitted) -> None:
        if not event.value:
            self._say("Type the passphrase, then enter.")
            return
        event.input.disabled = True
        self.set_class(True, "-working")
        self._say("Unlocking…")
        self.unlock(event.value)

    @work(thread=True, exclusive=True, group="unlock")
    def unlock(self, passphrase: str) -> None:
        from diazlog.store import StoreError
        from diazlog.store.file.cipher import WrongPassphrase
        from diazlog.store.file.encryption import open_with_passphrase

        try:
            db = open_with_passphrase(self.path, passphrase)
        except WrongPassphrase:
            self.app.call_from_thread(self._again, "Wrong passphrase. Try again.")
        except StoreError as exc:
            self.app.call_from_thread(self._again, str(exc))
        else:
            self.app.call_from_thread(self._opened, db)

    def _again(self, message: str) -> None:
        self.set_class(False, "-working")
        field = self.query_one("#unlock-passphrase", Input)
        field.disabled = False
        field.value = ""
        field.focus()
        self._say(message, error=True)

    def _opened(self, db: Database) -> None:
        self.app.unlocked(db)  # type: ignore[attr-defined]

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#unlock-message", Label)
        label.update(message)
        label.set_class(error, "-error")
