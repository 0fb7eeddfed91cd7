"""Today: one day's log, entered in under a minute with the keyboard alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.lazy import Lazy
from textual.widgets import Input, Label

from diazlog.domain.day_form import INTERFERENCE
from diazlog.domain.models import DayLog, FlagKind, Rating
from diazlog.screens.base import writes
from diazlog.screens.today_doses import TodayDoses
from diazlog.store.queries import days as day_store
from diazlog.store.queries import flags as flag_store
from diazlog.store.queries.symptoms import add_symptom, list_symptoms
from diazlog.widgets.due_notice import CHECK_EVERY_S, DueNotice
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.rating_grid import GridRow, Heading, RatingGrid
from diazlog.widgets.title_bar import TitleBar
from diazlog.widgets.today_banner import FlagBanner
from diazlog.widgets.today_doses import DoseTable
from diazlog.widgets.today_fields import is_text_field

__all__ = ["DoseTable", "TodayScreen"]  # DoseTable: its help entry is looked up from here

# The dialogs are imported where they open: they are not needed for the first frame.
# The screen in layers, each its own module: today_form.py holds the day on the form,
# today_sync.py loads and saves it, today_doses.py adds the dose keys; this module holds
# the layout and the other keys. The words and rules are domain/day_form.py, day_doses.py.

# [ and ] share one footer entry, "[] Day", so the footer fits 80 columns.
_DAY = Binding.Group("Day", compact=True)


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
    # A phone's browser (diazlog serve) is about 45 cells wide: "-narrow" (app.tcss) stacks the
    # day's fields and the red-flag ticks in one column and drops the form's side padding.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-normal")]

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
            yield DueNotice(id="due-notice")
            yield DoseTable(id="doses", cursor_type="row", zebra_stripes=False)
            yield Label("", id="dose-summary")
            yield Label("", id="plan-line")
            # Below the fold at 80x24 and 100x30: mounted just after the first frame.
            yield Lazy(self._fields)
        yield KeyBar()

    async def on_mount(self) -> None:
        self._build_symptom_rows()
        self.load(self.today().isoformat())
        self.set_interval(CHECK_EVERY_S, self.check_due)
        # Digits rate at once: the day starts on the first symptom, not on the scroll area.
        self._grid.focus(scroll_visible=False)

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

    # By handler name, so the first frame need not import the fields' widget classes.
    @on(RatingGrid.Changed)
    @on(Input.Changed)
    def _changed(self, event: object) -> None:
        self._refresh_state()

    def on_checkbox_changed(self) -> None:
        self._refresh_state()

    def on_text_area_changed(self) -> None:
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

        from diazlog.dialogs.confirm import Confirm

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

        from diazlog.dialogs.day import RatingDetailDialog

        self.app.push_screen(
            RatingDetailDialog(row.label, replace(current, intensity=row.value)), apply
        )

    # -- actions ----------------------------------------------------------------------------

    def action_save(self) -> None:
        log, errors = self.draft(strict=True)
        self._show_errors(errors)
        if errors:
            first = next(iter(errors))
            self._fields.focus_field(first)
            self.notify(
                f"Not saved: {len(errors)} field{'s' if len(errors) > 1 else ''} to fix "
                f"({', '.join(errors)}).",
                severity="error",
            )
            return
        self._save(log)

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

        from diazlog.dialogs.prompts import UnsavedChanges

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
        kind = FlagKind.EXTREME_WEAKNESS
        asked = any(alert.rule == "severe_weakness" for alert in self._alerts)
        if not asked and kind.value not in self._fields.ticked():
            self.notify(
                'x ticks "Extreme weakness" when the banner shows severe weakness; '
                "r goes to the red-flag ticks.",
                severity="warning",
            )
            return
        if self._fields.toggle_flag(kind):
            self._refresh_state()

    @writes
    def action_mark_seen(self) -> None:
        """Mark the saved day's flags "a doctor has seen this", on a date the user confirms."""
        fresh = self._markable([a for a in self._alerts if not a.seen_on])
        if not fresh:
            self.notify("Nothing to mark: save the day with its flags first.", severity="warning")
            return
        from diazlog.dialogs.prompts import TextPrompt
        from diazlog.domain.validation import parse_date

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

        from diazlog.dialogs.confirm import Confirm

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

        from diazlog.dialogs.symptom import NewSymptomDialog

        self.app.push_screen(
            NewSymptomDialog(lambda text, kind: add_symptom(self.db, text, kind=kind).name),
            added,
        )

    def action_focus_note(self) -> None:
        self._fields.focus_field("note")

    def action_focus_day_fields(self) -> None:
        """Jump to the day's numbers: activity first, tab on to water, sleep, alcohol."""
        self._fields.focus_field("activity_min")

    def action_focus_flags(self) -> None:
        """Jump to the red-flag ticks (space ticks one, tab to the next)."""
        self._fields.focus_field(f"flag-{FlagKind.CONFUSION.value}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":  # esc means something else outside a text field
            return is_text_field(self.focused)
        return True

    def action_leave_field(self) -> None:
        """esc in a text field: back to the form, on the nearest item above it, so that the
        letter keys ([, ], h ...) act again instead of being typed."""
        chain = self.focus_chain
        focused = self.focused
        start = chain.index(focused) if focused in chain else 0
        for widget in reversed(chain[:start]):
            if not is_text_field(widget):
                widget.focus()
                return
        self.set_focus(None)
