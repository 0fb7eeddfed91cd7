"""Today: one day's log, entered in under a minute with the keyboard alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.lazy import Lazy
from textual.widgets import Checkbox, Input, Label, TextArea

from diazlog.domain.day_form import INTERFERENCE, is_unsaved
from diazlog.domain.day_merge import content
from diazlog.domain.models import DayLog, FlagKind, Medication, Rating, TaperStep
from diazlog.screens.base import refuse_write, writes
from diazlog.screens.today_doses import TodayDoses
from diazlog.screens.today_form import HINT_TIMEOUT_S, diazepam_stock
from diazlog.store import days as day_store
from diazlog.store import drafts as draft_store
from diazlog.store import flags as flag_store
from diazlog.store import medications as med_store
from diazlog.store import taper as taper_store
from diazlog.store.symptoms import add_symptom, list_symptoms
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.rating_grid import GridRow, Heading, RatingGrid
from diazlog.widgets.title_bar import TitleBar
from diazlog.widgets.today_banner import FlagBanner
from diazlog.widgets.today_doses import DoseTable

if TYPE_CHECKING:
    from diazlog.domain.day_merge import Conflict, Side
    from diazlog.store.day_merge import MergedSave

__all__ = ["DoseTable", "TodayScreen"]  # DoseTable: its help entry is looked up from here

# The dialogs are imported where they open: they are not needed for the first frame.
# The state behind the form is screens/today_form.py's, the dose keys screens/today_doses.py's.

# [ and ] share one footer entry, "[] Day", so the footer fits 80 columns.
_DAY = Binding.Group("Day", compact=True)
# What Today reads for a day: (day, saved log, medicines, what its flags are judged on,
# taper step, stock).
_Shown = tuple[str, DayLog | None, dict[int, Medication], object, TaperStep | None, str]


class TodayScreen(TodayDoses):
    """Log one day: symptom ratings, doses, lifestyle, red-flag ticks and a note."""

    HELP = (
        "On a rating, a digit sets it and moves on to the next row; 1 waits for a 0 "
        "(1 then 0 = 10), another digit after a 1 rates the next row. 0 means none, "
        "backspace means not logged. 1-3 mild, 4-6 moderate, 7-10 severe. "
        "The dose list shows the planned doses too: space takes the highlighted one at its "
        "planned time, p takes all planned up to now. esc leaves a text field. "
        "A new day, a save and s put you on the first rating; a digit typed outside a "
        "text field rates the first symptom."
    )

    # on_mount focuses the first symptom itself; Textual's auto focus would first focus (and
    # restyle) the whole form, then lose it again: two full restyles at start-up.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("left_square_bracket", "previous_day", "Prev day", key_display="[", group=_DAY),
        Binding("right_square_bracket", "next_day", "Next day", key_display="]", group=_DAY),
        Binding("u", "usual_dose", "Usual dose", tooltip="Usual dose now"),
        Binding("a", "add_dose", "Add dose"),
        Binding("p", "take_all_planned", "Planned doses taken", show=False),
        Binding("y", "copy_previous", "Copy last ratings", show=False),
        Binding("n", "new_symptom", "New symptom", show=False),
        Binding("l", "focus_day_fields", "Activity, water, sleep", show=False),
        Binding("r", "focus_flags", "Red-flag ticks", show=False),
        Binding("f", "focus_note", "Note", show=False),
        Binding("escape", "leave_field", "Back to the form", show=False),
        Binding("x", "tick_extreme_weakness", "Extreme weakness: yes (if severe)", show=False),
        Binding("exclamation_mark", "mark_seen", "Flags seen by a doctor", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # What load() read and showed; a poll that reads the same skips re-filling the form.
        self._shown: _Shown | None = None

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield FlagBanner("", id="banner")
        with VerticalScroll(id="day-form", can_focus=False):
            yield Label(
                "Symptoms  0-9 set · ←/→ adjust · ⌫ not logged · enter details", classes="section"
            )
            # Every rating in one widget: a widget per row made the first frame slower.
            yield RatingGrid(id="ratings")
            yield Label(
                "Doses  p planned up to now · space this one · u now · a add · ⌫ remove",
                classes="section",
            )
            yield DoseTable(id="doses", cursor_type="row", zebra_stripes=False)
            yield Label("", id="dose-summary")
            yield Label("", id="plan-line")
            # Below the fold at 80x24 and 100x30: mounted just after the first frame.
            yield Lazy(self._fields)
        yield KeyBar()

    async def on_mount(self) -> None:
        self._build_symptom_rows()
        self.load(self.today().isoformat())
        # Digits rate at once: the day starts on the first symptom, not on the scroll area.
        self._grid.focus(scroll_visible=False)

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

        from diazlog.widgets.dialogs import Confirm

        when = f" (kept at {kept.written_at})" if kept.written_at else ""
        self.app.push_screen(
            Confirm(
                "Unsaved entries found",
                f"{date.fromisoformat(day):%a %d %b} has entries that were never saved"
                f"{when}: diazlog was closed before ctrl+s. Restore them?",
                yes="Restore",
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
        from diazlog.widgets.conflict_dialog import ConflictDialog

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

        names = {int(row.key.removeprefix("symptom-")): row.label for row in self._rows()}
        message = (
            "This day was saved after these entries were kept (another diazlog or the "
            "shell), and both changed {fields}. Keep which? Everything else is kept."
        )
        self.app.push_screen(
            ConflictDialog(conflicts, names, message, mine="unsaved", theirs="saved"), decide
        )

    def _build_symptom_rows(self) -> None:
        """A row per active symptom, in the user's order, then how much the legs got in the
        way."""
        self._grid.set_lines(
            [
                *(GridRow(f"symptom-{s.id}", s.name) for s in list_symptoms(self.db)),
                Heading("How much the legs got in the way (0-10)"),
                *(GridRow(name, label, detailed=False) for name, label in INTERFERENCE.items()),
            ]
        )

    # -- events -----------------------------------------------------------------------------

    @on(RatingGrid.Changed)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: object) -> None:
        self._refresh_state()

    @on(RatingGrid.ClearRequested)
    def _clear_with_details(self, event: RatingGrid.ClearRequested) -> None:
        """Backspace on a rating with details: ask, since the details go with it."""
        grid, row = event.grid, event.row
        symptom_id = int(row.key.removeprefix("symptom-"))

        def decide(clear: bool | None) -> None:
            if clear:
                self._details.pop(symptom_id, None)
                grid.show_detail(row.key, False)
                grid.set_value(row.key, None)

        from diazlog.widgets.dialogs import Confirm

        self.app.push_screen(
            Confirm(
                f"Clear {row.label}?",
                f"{row.label} has details (onset, duration, legs, what made it worse, note). "
                "Clearing the rating deletes them too when you save.",
                yes="Clear both",
            ),
            decide,
        )

    @on(RatingGrid.DetailsRequested)
    def _open_details(self, event: RatingGrid.DetailsRequested) -> None:
        grid, row = event.grid, event.row
        if row.value is None:
            self.notify("Rate it first (0-10), then add the details.", severity="warning")
            return
        symptom_id = int(row.key.removeprefix("symptom-"))
        current = self._details.get(symptom_id, Rating(symptom_id, row.value))

        def apply(result: Rating | None) -> None:
            if result is not None:
                self._details[symptom_id] = result
                grid.show_detail(row.key, result.has_detail)
                self._refresh_state()

        from diazlog.widgets.day_dialogs import RatingDetailDialog

        self.app.push_screen(
            RatingDetailDialog(row.label, replace(current, intensity=row.value)), apply
        )

    # -- actions ----------------------------------------------------------------------------

    def action_save(self) -> None:
        log, errors = self.draft(strict=True)
        self._show_errors(errors)
        if errors:
            first = next(iter(errors))
            self._fields.field(first).focus()
            self.notify(
                f"Not saved: {len(errors)} field{'s' if len(errors) > 1 else ''} to fix "
                f"({', '.join(errors)}).",
                severity="error",
            )
            return
        self._save(log)

    def _save(self, log: DayLog, choices: dict[str, Side] | None = None) -> None:
        """Save the form, merged with whatever was saved for the day since it was loaded."""
        from diazlog.store.day_merge import save_merged

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
        from diazlog.widgets.conflict_dialog import ConflictDialog

        def decide(choices: dict[str, Side] | None) -> None:
            if choices is None:
                self.notify("Not saved: your entries are still on screen.", severity="warning")
                return
            self._save(log, {**chosen, **choices})

        names = {int(row.key.removeprefix("symptom-")): row.label for row in self._rows()}
        self._changed_elsewhere = True  # known now: no second notice when the dialog closes
        self.app.push_screen(ConflictDialog(outcome.conflicts, names), decide)

    def _move(self, days: int) -> None:
        target = date.fromisoformat(self.day) + timedelta(days=days)
        if target > self.today():
            self.notify(
                "That is in the future: today is the latest day to log.", severity="warning"
            )
            return
        self.go_to(target.isoformat())

    def go_to(self, day: str) -> None:
        """Open `day`, asking first when the form has unsaved changes."""
        if not self.dirty:
            self.load(day)
            return

        def decide(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
                if not self.dirty:
                    self.load(day)
            elif choice == "discard":
                self.forget_draft()
                self.load(day)

        from diazlog.widgets.dialogs import UnsavedChanges

        self.app.push_screen(
            UnsavedChanges(date.fromisoformat(self.day).strftime("%a %d %b")), decide
        )

    def action_previous_day(self) -> None:
        self._move(-1)

    def action_next_day(self) -> None:
        self._move(1)

    def action_tick_extreme_weakness(self) -> None:
        """The answer to the banner's "is this extreme weakness?" (a toggle, like a click).

        Only while the banner asks (or to take the tick back): a stray x elsewhere would
        raise "seek medical attention now" for a weakness nobody reported.
        """
        box = self._fields.flags[FlagKind.EXTREME_WEAKNESS.value]
        asked = any(alert.rule == "severe_weakness" for alert in self._alerts)
        if not asked and not box.value:
            self.notify(
                'x ticks "Extreme weakness" when the banner shows severe weakness; '
                "r goes to the red-flag ticks.",
                severity="warning",
            )
            return
        box.value = not box.value

    @writes
    def action_mark_seen(self) -> None:
        """Mark the saved day's flags "a doctor has seen this", on a date the user confirms."""
        fresh = self._markable([a for a in self._alerts if not a.seen_on])
        if not fresh:
            self.notify("Nothing to mark: save the day with its flags first.", severity="warning")
            return
        from diazlog.domain.validation import parse_date
        from diazlog.widgets.dialogs import TextPrompt

        today = self.today()

        def mark(seen_on: str | None) -> None:
            if seen_on is None:
                return
            for alert in fresh:
                try:
                    # A flag carried from an earlier day is marked on its own day.
                    day = alert.date or self.day
                    flag_store.mark_seen(self.db, day, alert.key, seen_on, self.now())
                except KeyError:
                    continue  # only on screen, not saved: nothing a doctor saw yet
            self.load(self.day)
            self.notify(f"Marked as seen by a doctor on {seen_on}.")

        self.app.push_screen(
            TextPrompt(
                "A doctor has seen these flags: on which date?",
                value=today.isoformat(),
                check=lambda text: parse_date(text, today),
            ),
            mark,
        )

    def action_copy_previous(self) -> None:
        previous = day_store.previous_logged_day(self.db, self.day)
        if previous is None:
            self.notify("No earlier day with ratings to copy.", severity="warning")
            return
        if not any(row.value is not None for row in self._rows()):
            self._copy_ratings(previous)
            return

        def decide(copy: bool | None) -> None:
            if copy:
                self._copy_ratings(previous)

        from diazlog.widgets.dialogs import Confirm

        self.app.push_screen(
            Confirm(
                "Replace the ratings?",
                f"This day has ratings already. Replace them with those of "
                f"{date.fromisoformat(previous.date):%a %d %b}?",
                yes="Replace",
            ),
            decide,
        )

    def _copy_ratings(self, previous: DayLog) -> None:
        grid = self._grid
        for rating in previous.ratings:
            try:
                grid.put(f"symptom-{rating.symptom_id}", rating.intensity)
            except KeyError:
                continue  # a symptom no longer tracked
        self._refresh_state()
        self.notify(
            f"Copied ratings from {date.fromisoformat(previous.date):%a %d %b}: "
            "adjust, then ctrl+s."
        )

    @writes
    def action_new_symptom(self) -> None:
        def added(name: str | None) -> None:
            if name:
                log, _ = self.draft(strict=False)
                # The rules read each symptom's kind: judge with the new one known, at once.
                self._flag_inputs = flag_store.inputs_for_day(self.db, self.day, self.now())
                self._build_symptom_rows()
                self._fill_keep(log)
                # On the new symptom (it is the last one), ready for a digit.
                self._grid.focus_row(self._rows()[-1].key)
                self.notify(f"Added '{name}'. Rate it like the others.")

        from diazlog.widgets.symptom_form import NewSymptomDialog

        self.app.push_screen(
            NewSymptomDialog(lambda text, kind: add_symptom(self.db, text, kind=kind).name),
            added,
        )

    def action_focus_note(self) -> None:
        self._fields.note.focus()

    def action_focus_day_fields(self) -> None:
        """Jump to the day's numbers: activity first, tab on to water, sleep, alcohol."""
        self._fields.inputs["activity_min"].focus()

    def action_focus_flags(self) -> None:
        """Jump to the red-flag ticks (space ticks one, tab to the next)."""
        self._fields.flags[FlagKind.CONFUSION.value].focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":  # esc means something else outside a text field
            return isinstance(self.focused, Input | TextArea)
        return True

    def action_leave_field(self) -> None:
        """esc in a text field: back to the form, on the nearest item above it, so that the
        letter keys ([, ], h ...) act again instead of being typed."""
        chain = self.focus_chain
        focused = self.focused
        start = chain.index(focused) if focused in chain else 0
        for widget in reversed(chain[:start]):
            if not isinstance(widget, Input | TextArea):
                widget.focus()
                return
        self.set_focus(None)
