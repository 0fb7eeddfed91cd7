"""The app's diary file: closed whole on the way out, watched for being replaced under it.

Quitting folds the WAL into the file and closes the connection (store/closing.py), so the
diary is one file once the app is gone. While the app runs, every POLL_SECONDS it checks
that the file under its connection is still the one it opened (store/identity.py): a file
replaced by a program that ignores the diary's lock (an older diazlog, a sync tool) is never
saved into; the app says so and offers to reopen the new one, keeping what is on screen
(the Today form's unsaved entries are then saved into the new file, merged as any save is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diazlog.store.file.identity import is_replaced

if TYPE_CHECKING:
    from textual.app import App

POLL_SECONDS = 1.0
REPLACED_TITLE = "The diary file was replaced"
REPLACED_MESSAGE = (
    "Another program put a new file in place of {path} while diazlog had it open. Nothing "
    "more is saved into the old one. Reopen the diary to go on with the new file? What is "
    "on screen stays, unsaved entries included (ctrl+s then saves them into it)."
)
STILL_REPLACED = (
    "Not saved: the diary file was replaced by another program. Reopen it first "
    "(ctrl+p: Data: reopen the diary); your entries stay on screen."
)


class DiaryFile:
    """The app's side of its diary file. `app` has `db`, `db_path` and `file_replaced`."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._asking = False

    def watch(self) -> None:
        """Start polling the file (once the diary is open)."""
        self.app.set_interval(POLL_SECONDS, self.check, name="diary file watch")

    def check(self) -> bool:
        """Whether the file was replaced; the first time it is, say so and offer to reopen."""
        app: Any = self.app
        db = app.db
        if db is None or getattr(db, "closed", False):
            return False
        if not app.file_replaced and not is_replaced(app.db_path, getattr(db, "identity", None)):
            return False
        if not app.file_replaced:
            app.file_replaced = True
            self.offer_reopen()
        return True

    def offer_reopen(self) -> None:
        if self._asking:
            return
        from diazlog.dialogs.confirm import Confirm

        self._asking = True
        message = REPLACED_MESSAGE.format(path=self.app.db_path)  # type: ignore[attr-defined]
        self.app.push_screen(Confirm(REPLACED_TITLE, message, yes="Reopen"), self._decided)

    def _decided(self, reopen: bool | None) -> None:
        self._asking = False
        if reopen:
            self.reopen()
        else:
            self.app.notify(STILL_REPLACED, severity="warning", timeout=10)

    def reopen(self) -> None:
        """Close the connection to the old file, then open the diary's file as it is now.

        The old one first: its close folds the old WAL into the old file and removes it, so
        none of its pages is ever read as part of the new file.
        """
        from diazlog.store import StoreError, open_database

        app: Any = self.app
        if app.db is not None:
            app.db.close()
        try:
            app.db = open_database(app.db_path, create=False)
        except StoreError as exc:  # say it where the user looks: in the shell, one line
            app.exit(return_code=2, message=f"diazlog: could not reopen the diary: {exc}")
            return
        app.file_replaced = False
        app.notify("Reopened the diary. Unsaved entries on screen: ctrl+s saves them.")

    def close(self) -> None:
        """Fold the WAL into the file and close the app's connection (idempotent)."""
        app: Any = self.app
        if app.db is not None:
            app.db.close()
