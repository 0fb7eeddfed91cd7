"""The day between Today's form and the diary: loading a day, following what other writers
save, offering back unsaved edits kept from a closed session, and saving with a merge.

A save reads what is stored inside the same transaction that writes (store/day_merge.py)
and merges three ways (domain/day_merge.py): what another diazlog, `diazlog log` or an
import saved meanwhile is kept, and fields both changed are asked about.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from diazlog.domain.day_form import content, is_unsaved
from diazlog.domain.models import DayLog
from diazlog.screens.base import refuse_write
from diazlog.screens.today_form import HINT_TIMEOUT_S, TodayForm, diazepam_stock
from diazlog.store.queries import days as day_store
from diazlog.store.queries import drafts as draft_store
from diazlog.store.queries import flags as flag_store
from diazlog.store.queries import medications as med_store
from diazlog.store.queries import taper as taper_store

if TYPE_CHECKING:
    from diazlog.domain.day_merge import Conflict, Side
    from diazlog.store.queries.day_merge import MergedSave


class TodaySync(TodayForm):
    """The Today form with its day loaded from and saved to the diary."""

    def watch_dirty(self, dirty: bool) -> None:
        if dirty:
            self.app.prepare_for_writes()  # type: ignore[attr-defined]
        elif self._changed_elsewhere:  # edits undone: show what the other writer saved
            self.call_after_refresh(self.reload_data)

    def reload_data(self) -> None:
        """Something was written (another process, another screen) since the day loaded.

        Without edits the form shows it at once; with edits it stays as the user left it and
        ctrl+s merges (save_merged keeps what the other writer saved, asks on a clash).
        """
        if not self.day:
            return
        if not self.dirty:
            before = self._saved
            if self.load(self.day, only_if_changed=True) and content(self._saved) != content(
                before
            ):
                self.notify("Updated from another diazlog.")
            return
        stored = day_store.load_day(self.db, self.day)
        self.mark_loaded()
        if content(stored) != content(self._saved) and not self._changed_elsewhere:
            self._changed_elsewhere = True
            self._update_title()
            self.notify(
                "Another diazlog saved this day too. ctrl+s keeps its entries and yours, "
                "and asks if you both changed the same thing.",
                timeout=8,
            )

    # -- loading ----------------------------------------------------------------------------

    def load(self, day: str, *, only_if_changed: bool = False) -> bool:
        """Show what is saved for `day` (an empty form when nothing is).

        With only_if_changed the form is left alone when the reads equal what it shows.
        Otherwise unsaved edits kept from a session that ended without saving are offered.
        Returns whether the form was (re)filled.
        """
        saved = day_store.load_day(self.db, day)
        flag_inputs = flag_store.inputs_for_day(self.db, day, self.now())
        # Two indexed max() reads: "nothing logged since …" in the title, never a flag.
        self._last_logged = flag_store.last_logged_day(self.db, day)
        shown = (
            day,
            saved,
            med_store.medications_by_id(self.db),
            # What the flags are judged on; the clock in the inputs is not what is shown.
            (flag_inputs.earlier, flag_inputs.context.reviews, flag_inputs.context.plan),
            taper_store.diazepam_plan_for(self.db, day),
            diazepam_stock(self.db, day, self.today().isoformat()),
        )
        if only_if_changed and shown == self._shown:
            self.mark_loaded()
            return False
        self._loading = True
        try:
            self._shown = shown
            _, self._saved, self._medications, _, self._plan, self._stock = shown
            self._flag_inputs = flag_inputs
            self._changed_elsewhere = False
            self._diazepam = med_store.tracked_diazepam(self.db)
            new_day = day != self.day
            if new_day:
                self._draft_written = False  # the flag was of the day left (saved or dropped)
            self.day = day
            self._fill(saved or DayLog(date=day))
        finally:
            self._loading = False
        self._refresh_state()
        self.mark_loaded()
        if new_day and self.is_mounted:
            self.drop_notices()  # "Saved …" of the day left must not cover the next one
            self.start_of_day()  # [, ], a day opened from History: begin at its first rating
        if not only_if_changed:
            self._offer_draft()
        return True

    def _offer_draft(self) -> None:
        """Unsaved edits of this day were kept (the app was closed or crashed): offer them."""
        kept = draft_store.load_draft(self.db, self.day)
        if kept is None:
            return
        if not is_unsaved(kept.log, self._saved):  # nothing left to offer: it was saved after all
            draft_store.clear_draft(self.db, self.day)
            return
        day = self.day

        def decide(restore: bool | None) -> None:
            if self.day != day:
                return
            if restore:
                self._restore_draft(kept)
            elif not getattr(self.app, "read_only", False):  # a damaged diary: left alone
                draft_store.clear_draft(self.db, day)

        from diazlog.dialogs.confirm import Confirm

        when = f" (kept at {kept.written_at})" if kept.written_at else ""
        self.app.push_screen(
            Confirm(
                "Unsaved entries found",
                f"{date.fromisoformat(day):%a %d %b} has entries that were never saved"
                f"{when}: diazlog was closed before ctrl+s. Restore them?",
                yes="Restore",
                safe_yes=True,  # restoring loses nothing: enter keeps the entries
            ),
            decide,
        )

    def _restore_draft(
        self, kept: draft_store.Draft, choices: dict[str, Side] | None = None
    ) -> None:
        """Put a kept draft on the form, merged three ways with what is saved now (as ctrl+s
        merges): what another program saved since stays where the draft left it alone, and
        fields both changed are asked about."""
        from diazlog.domain.day_merge import merge_draft

        result = merge_draft(kept.base, kept.log, self._saved, choices)
        if result.conflicts:
            self._ask_about_draft(kept, result.conflicts, choices or {})
            return
        self._draft_written = True  # it is in the database: saving clears it
        self._fill_keep(result.day)
        if not is_unsaved(self._edit_of_saved(result.day), self._saved):
            self.notify("Nothing to restore: what was kept is saved already.")
            return
        self.notify("Restored your unsaved entries: ctrl+s saves them.")

    def _ask_about_draft(
        self, kept: draft_store.Draft, conflicts: tuple[Conflict, ...], chosen: dict[str, Side]
    ) -> None:
        """The draft and a later save changed the same fields: ask which to keep."""
        from diazlog.dialogs.conflict import ConflictDialog

        day = self.day

        def decide(choices: dict[str, Side] | None) -> None:
            if self.day != day:
                return
            if choices is None:
                self.notify(
                    "Not restored: the unsaved entries are kept and offered again when you "
                    "open this day.",
                    severity="warning",
                )
                return
            self._restore_draft(kept, {**chosen, **choices})

        names = self._symptom_names()
        message = (
            "This day was saved after these entries were kept (another diazlog or the "
            "shell), and both changed {fields}. Keep which? Everything else is kept."
        )
        self.app.push_screen(
            ConflictDialog(conflicts, names, message, mine="unsaved", theirs="saved"), decide
        )

    def _save(self, log: DayLog, choices: dict[str, Side] | None = None) -> None:
        """Save the form, merged with whatever was saved for the day since it was loaded."""
        from diazlog.store.queries.day_merge import save_merged

        if getattr(self.app, "damaged", False) and refuse_write(self):
            return  # a read-only (not damaged) diary is said by the store's own refusal

        try:
            outcome = save_merged(
                self.db, self._saved, self._edit_of_saved(log), self.now(), choices
            )
        except Exception as exc:  # a locked or failing disk must not lose the form
            self.notify(f"Not saved: {exc}. Your entries are still on screen.", severity="error")
            return
        if outcome.conflicts:
            self._ask_about(outcome, log, choices or {})
            return
        when = f"{date.fromisoformat(self.day):%a %d %b}"
        self.forget_draft()
        if outcome.kept_theirs:
            self.load(self.day)  # the form shows the merge: the other writer's entries too
            self.start_of_day()
            self.notify(f"Saved {when}, with what another diazlog saved for it meanwhile.")
            return
        self._saved = outcome.day
        self._changed_elsewhere = False
        self._doses = list(outcome.day.doses)  # new doses now have their ids
        self._stock = diazepam_stock(self.db, self.day, self.today().isoformat())
        self._shown = (
            self.day,
            outcome.day,
            self._medications,
            self._shown[3] if self._shown else None,  # saving this day changes none of it
            self._plan,
            self._stock,
        )
        self._show_doses()
        self._refresh_state()
        self.mark_loaded()
        self.start_of_day()  # so ] changes day, not types into the field left last
        self.notify(f"Saved {when}.", timeout=HINT_TIMEOUT_S)

    def _ask_about(self, outcome: MergedSave, log: DayLog, chosen: dict[str, Side]) -> None:
        """Both changed the same fields: ask which to keep, then save with that choice."""
        from diazlog.dialogs.conflict import ConflictDialog

        def decide(choices: dict[str, Side] | None) -> None:
            if choices is None:
                self.notify("Not saved: your entries are still on screen.", severity="warning")
                return
            self._save(log, {**chosen, **choices})

        names = self._symptom_names()
        self._changed_elsewhere = True  # known now: no second notice when the dialog closes
        self.app.push_screen(ConflictDialog(outcome.conflicts, names), decide)
