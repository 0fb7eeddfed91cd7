"""Today: one day's log, entered in under a minute with the keyboard alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.lazy import Lazy
from textual.reactive import reactive
from textual.widgets import Checkbox, Input, Label, Static, TextArea

from diazlog.domain import limits
from diazlog.domain.adherence import LoggedDose, Slot, SlotStatus, judge_day, planned_slots
from diazlog.domain.dose_flags import nothing_logged_since
from diazlog.domain.models import (
    Alert,
    DayLog,
    Dose,
    FlagKind,
    Level,
    Medication,
    PlannedDose,
    Rating,
    TaperStep,
)
from diazlog.domain.taper import check, describe_check, nearest_dose
from diazlog.domain.units import amount_text
from diazlog.domain.validation import InvalidInput, check_note, parse_number
from diazlog.domain.visible_text import visible
from diazlog.screens.base import refuse_write, writes
from diazlog.screens.rating_keys import RatingKeysScreen
from diazlog.store import days as day_store
from diazlog.store import drafts as draft_store
from diazlog.store import flags as flag_store
from diazlog.store import medications as med_store
from diazlog.store import medicine_lookups as lookups
from diazlog.store import taper as taper_store
from diazlog.store.symptoms import add_symptom, list_symptoms
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.plain import PlainTable, plain
from diazlog.widgets.rating_grid import GridRow, Heading, RatingGrid
from diazlog.widgets.title_bar import TitleBar
from diazlog.widgets.toggles import TickBox

if TYPE_CHECKING:
    from textual.timer import Timer

    from diazlog.dialogs.day import DoseChoice
    from diazlog.domain.day_merge import Conflict, Side
    from diazlog.store.day_merge import MergedSave

# The dialogs are imported where they open: they are not needed for the first frame.

INTERFERENCE = {
    "walking_interference": "Walking (got in way)",
    "sleep_interference": "Sleep (got in way)",
}
LIFESTYLE = ("activity_min", "water_glasses", "sleep_hours", "alcohol_units")
# [ and ] share one footer entry, "[] Day", so the footer fits 80 columns.
_DAY = Binding.Group("Day", compact=True)
# A passing confirmation ("ctrl+s saves", "Saved") goes after this long: at 80x24 it sits
# over the lower form's right column, where the user is typing next.
HINT_TIMEOUT_S = 3
# Unsaved edits are kept in the database this long after the last change (store/drafts.py).
DRAFT_DELAY_S = 1.0
# The banner's class for the most urgent fresh flag's level (colours in app.tcss).
BANNER_CLASSES = {
    Level.EMERGENCY: "-emergency",
    Level.URGENT: "-urgent",
    Level.TODAY: "-today",
    Level.ASK: "-doctor",
}
# What Today reads for a day: (day, saved log, medicines, what its flags are judged on,
# taper step, stock).
_Shown = tuple[str, DayLog | None, dict[int, Medication], object, TaperStep | None, str]


def _normal(day: DayLog) -> DayLog:
    """A day stripped of what does not count as a change (ids, timestamps, order)."""
    return replace(
        day,
        updated_at=None,
        note=visible(day.note),  # the form shows control characters escaped
        ratings=tuple(sorted(day.ratings, key=lambda r: r.symptom_id)),
        doses=tuple(
            sorted(
                (replace(d, id=None) for d in day.doses), key=lambda d: (d.time, d.medication_id)
            )
        ),
    )


def _content(day: DayLog | None) -> DayLog | None:
    """A stored day without its save time: equal content means nobody changed it."""
    return None if day is None else replace(day, updated_at=None)


def _diazepam_stock(db, day: str, today: str) -> str:
    """The tracked diazepam's stock in words, shown under today's doses when it is tracked."""
    from diazlog.store.stock import level_of

    med = med_store.tracked_diazepam(db) if day == today else None
    level = level_of(db, med, day) if med is not None else None
    return f"Stock: {level.describe()}" if level is not None else ""


class DoseLine(NamedTuple):
    """One line of the dose table: a logged dose (its index in the form's doses) or a
    planned one not logged yet (its slot), with the status judge_day gives it."""

    time: str
    medication_id: int
    amount: float
    status: str
    dose: int | None = None
    slot: Slot | None = None


class DoseTable(PlainTable):
    """The day's doses, planned and logged; space takes a planned one, enter edits."""

    HELP_NAME = "Dose list"

    BINDINGS = [
        Binding("space", "screen.take_planned", "Take planned dose", show=False),
        Binding("delete,backspace", "screen.remove_dose", "Remove dose", show=False),
        Binding("enter", "screen.edit_dose", "Edit dose", show=False),
    ]


class TodayScreen(RatingKeysScreen):
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

    day: reactive[str] = reactive("", init=False)
    """The ISO date on screen."""
    dirty: reactive[bool] = reactive(False, init=False)
    """Whether the form differs from what is saved for the day."""

    def __init__(self) -> None:
        super().__init__()
        self._saved: DayLog | None = None
        self._doses: list[Dose] = []
        # The dose table's lines: logged doses and planned ones, in time order.
        self._dose_lines: list[DoseLine] = []
        self._diazepam: Medication | None = None
        # Stretching stays "not recorded" (None) until the box is loaded with a value or used.
        self._stretched_known = False
        self._draft_timer: Timer | None = None
        self._draft_written = False  # a draft of this day is in the database
        self._details: dict[int, Rating] = {}
        self._flag_inputs: flag_store.DayFlagInputs | None = None
        self._last_logged: str | None = None  # the latest day with a dose or a rating
        self._alerts: list[Alert] = []
        self._medications: dict[int, Medication] = {}
        self._plan: TaperStep | None = None
        self._stock = ""
        self._loading = False
        # What load() read and showed; a poll that reads the same skips re-filling the form.
        self._shown: _Shown | None = None
        # The day was saved elsewhere while the form had edits: ctrl+s merges (said once).
        self._changed_elsewhere = False
        # The fields below the fold. compose() mounts them just after the first frame; made
        # here, they can be filled and read before that, so loading the day never waits.
        self._inputs = {
            name: Input(
                placeholder=limits.DAY_FIELDS_BY_NAME[name].hint,
                id=f"field-{name}",
                classes="number",
            )
            for name in LIFESTYLE
        }
        self._stretched = TickBox("Stretched today", id="field-stretched")
        self._flags = {k.value: TickBox(k.label, id=f"flag-{k.value}") for k in FlagKind}
        self._note = TextArea(id="field-note", soft_wrap=True, show_line_numbers=False)
        self._errors = {
            name: Label("", id=f"error-{name}", classes="field-error")
            for name in (*LIFESTYLE, "note")
        }

    # -- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="banner")
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
            with Lazy(Vertical(id="day-rest")):
                yield Label("The day", classes="section")
                with Grid(id="lifestyle"):
                    for name, field in self._inputs.items():
                        with Vertical(classes="field"):
                            with Horizontal(classes="field-row"):
                                label = limits.DAY_FIELDS_BY_NAME[name].label
                                yield Label(label, classes="field-label")
                                yield field
                            yield self._errors[name]
                    yield self._stretched
                yield Label("Red flags  tick if it happened today", classes="section")
                with Grid(id="flags"):
                    yield from self._flags.values()
                yield Label("Note", classes="section")
                yield self._note
                yield self._errors["note"]
        yield KeyBar()

    def _field(self, name: str) -> Input | TextArea:
        """The widget of a field that can show an error: a lifestyle number or the note."""
        return self._note if name == "note" else self._inputs[name]

    async def on_mount(self) -> None:
        table = self.query_one(DoseTable)
        table.add_columns("Time", "Medicine", "Amount", "Status")
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
            if self.load(self.day, only_if_changed=True) and _content(self._saved) != _content(
                before
            ):
                self.notify("Updated from another diazlog.")
            return
        stored = day_store.load_day(self.db, self.day)
        self.mark_loaded()
        if _content(stored) != _content(self._saved) and not self._changed_elsewhere:
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
            _diazepam_stock(self.db, day, self.today().isoformat()),
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
        saved = _normal(self._saved) if self._saved else _normal(DayLog(date=self.day))
        if _normal(kept.log) == saved:  # nothing left to offer: it was saved after all
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
        if _normal(self._edit_of_saved(result.day)) == _normal(
            self._saved or DayLog(date=self.day)
        ):
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

        names = {int(row.key.removeprefix("symptom-")): row.label for row in self._rows()}
        message = (
            "This day was saved after these entries were kept (another diazlog or the "
            "shell), and both changed {fields}. Keep which? Everything else is kept."
        )
        self.app.push_screen(
            ConflictDialog(conflicts, names, message, mine="unsaved", theirs="saved"), decide
        )

    @property
    def _grid(self) -> RatingGrid:
        return self.query_one("#ratings", RatingGrid)

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

    def _fill(self, log: DayLog) -> None:
        """Put `log` in the form without a Changed message per field (one refresh follows)."""
        with self.prevent(Input.Changed, Checkbox.Changed, TextArea.Changed, RatingGrid.Changed):
            self._fill_fields(log)

    def _fill_fields(self, log: DayLog) -> None:
        self._details = {r.symptom_id: r for r in log.ratings}
        grid = self._grid
        for row in self._rows():
            rating = log.rating_for(int(row.key.removeprefix("symptom-")))
            grid.put(row.key, rating.intensity if rating else None)
            grid.show_detail(row.key, bool(rating and rating.has_detail))
        for name in INTERFERENCE:
            grid.put(name, getattr(log, name))
        for name in LIFESTYLE:
            value = getattr(log, name)
            self._inputs[name].value = "" if value is None else f"{value:g}"
            self._show_error(name, "")
        self._stretched.value = bool(log.stretched)
        self._stretched_known = log.stretched is not None
        self._show_stretched()
        for kind in FlagKind:
            self._flags[kind.value].value = kind.value in log.red_flags
        note = visible(log.note)  # escape sequences shown, never sent to the terminal
        if self._note.text != note:  # setting it moves the cursor to the start
            self._note.text = note
        self._show_error("note", "")
        self._doses = list(log.doses)
        self._show_doses()

    def _plans(self) -> dict[int, tuple[Slot, ...]]:
        """The day's planned slots per medicine: diazepam's from the taper plan in force or
        its usual dose, every other medicine's from its usual times."""
        plans: dict[int, tuple[Slot, ...]] = {}
        tracked = self._diazepam
        for med_id, med in self._medications.items():
            if tracked is not None and med_id == tracked.id:
                steps = [self._plan] if self._plan is not None else []
                plans[med_id] = planned_slots(self.day, steps, med)
            elif med.usual_times:
                plans[med_id] = planned_slots(self.day, [], med)
        return plans

    def _lines(self) -> list[DoseLine]:
        """Logged and planned doses, each with its status (domain/adherence.py judges them).

        A planned dose not logged is "planned" while its time is still to come today, and
        "missed" once it has passed (on an earlier day, always).
        """
        is_today = self._showing_today()
        clock = self.now().strftime("%H:%M")
        lines: list[DoseLine] = []
        plans = self._plans()
        for med_id in {d.medication_id for d in self._doses} | set(plans):
            indexes = [i for i, d in enumerate(self._doses) if d.medication_id == med_id]
            logged = {
                i: LoggedDose(self._doses[i].time, self._doses[i].amount, self._doses[i].as_needed)
                for i in indexes
            }
            if med_id not in plans:
                for i, dose in logged.items():
                    status = "as needed" if dose.as_needed else "logged"
                    lines.append(DoseLine(dose.time, med_id, dose.amount, status, dose=i))
                continue
            judged = judge_day(self.day, plans[med_id], logged.values())
            index_of = {id(dose): i for i, dose in logged.items()}
            for result in judged.slots:
                slot = result.slot
                if result.dose is not None:
                    status = result.status.value
                    if result.status is SlotStatus.LATE and result.off_by is not None:
                        hours, mins = divmod(abs(result.off_by), 60)
                        sign = "+" if result.off_by > 0 else "-"
                        status += f" ({sign}{hours}h{mins:02d})"
                    i = index_of[id(result.dose)]
                    lines.append(DoseLine(result.dose.time, med_id, result.dose.amount, status, i))
                    continue
                still_to_come = is_today and (slot.time is None or slot.time > clock)
                status = "planned" if still_to_come else "missed"
                lines.append(DoseLine(slot.time or "", med_id, slot.amount, status, slot=slot))
            for dose in judged.extra:
                lines.append(DoseLine(dose.time, med_id, dose.amount, "extra", index_of[id(dose)]))
            for dose in judged.as_needed:
                line = DoseLine(dose.time, med_id, dose.amount, "as needed", index_of[id(dose)])
                lines.append(line)
        return sorted(lines, key=lambda line: (line.time, line.medication_id, line.dose is None))

    def _show_doses(self) -> None:
        table = self.query_one(DoseTable)
        row = table.cursor_row
        table.clear()
        self._dose_lines = self._lines()
        for line in self._dose_lines:
            med = self._medications.get(line.medication_id)
            table.add_row(
                line.time or "any",
                med.name if med else "?",  # PlainTable shows it as typed: never markup
                amount_text(line.amount, med.unit) if med else f"{line.amount:g}",
                line.status,
            )
        if self._dose_lines:
            table.move_cursor(row=min(row, len(self._dose_lines) - 1), animate=False)
        diazepam = {i for i, m in self._medications.items() if m.is_diazepam}
        total = sum(d.amount for d in self._doses if d.medication_id in diazepam)
        is_today = self._showing_today()
        summary = (
            f"Diazepam {'today' if is_today else 'this day'}: {total:g} mg"
            if diazepam
            else "No diazepam set up yet: press u"
        )
        planned = sum(1 for line in self._dose_lines if line.slot is not None)
        if planned:
            summary += f" · {planned} planned not logged (p logs those due)"
        elif not self._doses:
            summary = "No doses logged. " + (
                "Press u for your usual dose now." if diazepam else "Press a to add one."
            )
        self.query_one("#dose-summary", Label).update(summary)
        lines = [self._stock] if self._stock else []
        if self._plan is not None:
            lines.insert(0, describe_check(check(self._plan, total), is_today=is_today))
        plan_line = self.query_one("#plan-line", Label)
        plan_line.update("\n".join(lines))
        plan_line.display = bool(lines)

    # -- the draft --------------------------------------------------------------------------

    def draft(self, *, strict: bool) -> tuple[DayLog, dict[str, str]]:
        """The form as a DayLog, and the message of every field that does not parse.

        With strict=False invalid fields are simply left out, so red flags stay live while the
        user is still typing.
        """
        errors: dict[str, str] = {}
        ratings = []
        for row in self._rows():
            if row.value is None:
                continue
            symptom_id = int(row.key.removeprefix("symptom-"))
            detail = self._details.get(symptom_id, Rating(symptom_id, row.value))
            ratings.append(replace(detail, intensity=row.value))
        numbers: dict[str, object] = {}
        for name in INTERFERENCE:
            numbers[name] = self._grid.value_of(name)
        for name in LIFESTYLE:
            try:
                numbers[name] = parse_number(
                    self._inputs[name].value, limits.DAY_FIELDS_BY_NAME[name]
                )
            except InvalidInput as exc:
                errors[name] = str(exc)
                numbers[name] = None
        note_text = self._note.text
        try:
            note = check_note(note_text)
        except InvalidInput as exc:
            errors["note"] = str(exc)
            note = "" if strict else note_text[: limits.NOTE_MAX_CHARS]
        stretched = self._stretched.value if self._stretched_known else None
        flags = frozenset(k.value for k in FlagKind if self._flags[k.value].value)
        log = DayLog(
            date=self.day,
            ratings=tuple(ratings),
            stretched=stretched,
            note=note,
            doses=tuple(self._doses),
            red_flags=flags,
            **numbers,  # type: ignore[arg-type]
        )
        return log, errors

    def _refresh_state(self) -> None:
        if self._loading:
            return
        log, errors = self.draft(strict=False)
        for name in (*LIFESTYLE, "note"):
            self._show_error(name, errors.get(name, ""))
        saved = _normal(self._saved) if self._saved else _normal(DayLog(date=self.day))
        self.dirty = bool(errors) or _normal(log) != saved
        self._keep_draft()
        if self._flag_inputs is not None:
            self.show_alerts(self._flag_inputs.judge(log))
        self._update_title()

    def _keep_draft(self) -> None:
        """Keep unsaved edits in the database a moment after the last change (one write per
        pause in typing, not per key); forget them once the form equals what is saved."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.dirty:
            self._draft_timer = self.set_timer(DRAFT_DELAY_S, self.write_draft, name="draft")
        elif self._draft_written:
            self.forget_draft()

    def write_draft(self) -> None:
        """Write the form's unsaved edits now (the timer's tick; also before leaving)."""
        self._draft_timer = None
        if not self.dirty or not self.day:
            return
        log, _ = self.draft(strict=False)
        try:
            draft_store.save_draft(
                self.db, self._edit_of_saved(log), self.now().strftime("%H:%M"), self._saved
            )
        except Exception:  # a locked disk: the form still holds the edits, try next change
            return
        self._draft_written = True

    def forget_draft(self) -> None:
        """Delete the kept draft of the day on screen (saved, or thrown away on purpose)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if not self._draft_written:  # nothing kept: saving costs no second write
            return
        try:
            draft_store.clear_draft(self.db, self.day)
        except Exception:  # kept a little longer; offered back (equal to saved: dropped)
            return
        self._draft_written = False

    def _show_stretched(self) -> None:
        label = "Stretched today" if self._stretched_known else "Stretched today (not noted)"
        self._stretched.label = label

    def show_alerts(self, alerts: list[Alert]) -> None:
        """The day's red flags, unmissable; flags a doctor has seen are listed calmly below."""
        self._alerts = alerts
        banner = self.query_one("#banner", Static)
        banner.display = bool(alerts)
        if not alerts:
            return
        fresh = [a for a in alerts if not a.seen_on]
        seen = [a for a in alerts if a.seen_on]
        top = fresh[0].level if fresh else None
        # One class per level (app.tcss); the header is the level's own words (models.Level).
        for level, name in BANNER_CLASSES.items():
            banner.set_class(top is level, name)
        banner.set_class(top is None, "-seen")
        head = "✓ Seen by a doctor" if top is None else top.header
        if len(alerts) > 1:
            head += f"  ({len(alerts)} flags)"
        lines = [head] + [f"• {a.title}: {a.message}" for a in fresh]
        lines += [f"✓ {a.title} (seen by a doctor on {a.seen_on})" for a in seen]
        keys = []
        if any(a.rule == "severe_weakness" for a in fresh):
            keys.append("x ticks extreme weakness")
        if self._markable(fresh):
            keys.append("press ! once a doctor has seen these")
        if keys:
            lines.append("(" + " · ".join(keys) + ")")
        banner.update(plain("\n".join(lines)))

    def _show_error(self, name: str, message: str) -> None:
        label = self._errors[name]
        label.update(message)
        label.display = bool(message)
        self._field(name).set_class(bool(message), "-invalid")

    def _update_title(self) -> None:
        day = date.fromisoformat(self.day)
        today = self.today()
        when = (
            "today" if day == today else ("yesterday" if day == today - timedelta(days=1) else "")
        )
        label = day.strftime("%a %d %b %Y") + (f" ({when})" if when else "")
        state = (
            "● unsaved changes" if self.dirty else ("saved" if self._saved else "not logged yet")
        )
        if self.dirty and self._changed_elsewhere:
            state = "● unsaved · changed elsewhere too"
        if not self.dirty and not self._saved and day == today:
            gap = nothing_logged_since(self._last_logged, self.day, short=True)
            state += f" · {gap}" if gap else ""
        self.title = "Today"
        self.sub_title = f"{label} · {state}"

    # -- events -----------------------------------------------------------------------------

    @on(RatingGrid.Changed)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: object) -> None:
        if isinstance(event, Checkbox.Changed) and event.checkbox is self._stretched:
            self._stretched_known = True  # ticked or unticked by the user: a yes or a no
            self._show_stretched()
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

    def on_screen_suspend(self) -> None:
        if self._draft_timer is not None:  # leaving for another screen: keep the edits now
            self._draft_timer.stop()
            self.write_draft()

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
        for name in (*LIFESTYLE, "note"):
            self._show_error(name, errors.get(name, ""))
        if errors:
            first = next(iter(errors))
            self._field(first).focus()
            self.notify(
                f"Not saved: {len(errors)} field{'s' if len(errors) > 1 else ''} to fix "
                f"({', '.join(errors)}).",
                severity="error",
            )
            return
        self._save(log)

    def _edit_of_saved(self, log: DayLog) -> DayLog:
        """The form as an edit of the saved day: what the form cannot show stays as saved.

        Ratings of symptoms no longer tracked (no row) are kept, not counted as a change the
        user made.
        """
        base = self._saved or DayLog(date=self.day)
        shown = {int(row.key.removeprefix("symptom-")) for row in self._rows()}
        hidden = tuple(r for r in base.ratings if r.symptom_id not in shown)
        return replace(log, ratings=log.ratings + hidden)

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
        self._stock = _diazepam_stock(self.db, self.day, self.today().isoformat())
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

        names = {int(row.key.removeprefix("symptom-")): row.label for row in self._rows()}
        self._changed_elsewhere = True  # known now: no second notice when the dialog closes
        self.app.push_screen(ConflictDialog(outcome.conflicts, names), decide)

    def _rows(self) -> list[GridRow]:
        """The symptoms' rows (not the interference ones)."""
        return [row for row in self._grid.rows if row.key.startswith("symptom-")]

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

    def _default_time(self) -> str:
        if self._showing_today():
            return self.now().strftime("%H:%M")
        return "12:00"

    def action_usual_dose(self) -> None:
        diazepam = med_store.tracked_diazepam(self.db)
        plan = self._plan
        if diazepam is None or diazepam.id is None or (plan is None and not diazepam.usual_amount):
            self.notify("Set up your diazepam first: add it as a new medicine here.")
            self.action_add_dose()
            return
        planned = plan.doses if plan is not None else diazepam.usual_doses
        when = self._default_time()
        # Today: the planned dose nearest now; an earlier day: the first one not logged yet.
        pick = nearest_dose(planned, when)
        if pick is None:
            self.notify(
                f"Your taper plan has no diazepam from {plan.from_date if plan else ''}; "
                "a add logs a dose anyway.",
                severity="warning",
            )
            return
        if not self._showing_today():
            taken = {d.time for d in self._doses if d.medication_id == diazepam.id}
            pick = next((d for d in planned if d.time is not None and d.time not in taken), pick)
            when = pick.time or when
        amount = pick.amount
        self._doses.append(Dose(diazepam.id, when, amount))
        self._show_doses()
        self._refresh_state()
        source = "planned" if plan is not None else "usual"
        self.notify(
            f"Added {diazepam.name} {amount_text(amount, diazepam.unit)} ({source}) at {when}; "
            "ctrl+s saves.",
            timeout=HINT_TIMEOUT_S,
        )

    def action_add_dose(self, editing: int | None = None) -> None:
        dose = self._doses[editing] if editing is not None else None
        medications = [
            m
            for m in self._medications.values()
            if m.active_on(self.day) or (dose and m.id == dose.medication_id)
        ]

        from diazlog.dialogs.day import NEW_MEDICINE, DoseDialog

        def apply(choice: DoseChoice | None) -> None:
            if choice is None:
                return
            new_dose = choice.dose
            if choice.new_medication is not None and new_dose.medication_id == NEW_MEDICINE:
                if refuse_write(self):
                    return
                # The drug-name library may take seconds to load: not on the UI thread. The
                # tables (and the diary's cache) answer now; a worker asks the library after.
                med = med_store.save_medication(
                    self.db, choice.new_medication, look_up=lookups.not_now
                )
                if lookups.known(self.db, med.name) is None:
                    self._recognise_new()
                self._medications = med_store.medications_by_id(self.db)
                self._flag_inputs = flag_store.inputs_for_day(self.db, self.day, self.now())
                assert med.id is not None
                new_dose = replace(new_dose, medication_id=med.id)
            if dose is None or dose.as_needed != new_dose.as_needed:
                med_store.remember_as_needed(self.db, new_dose.medication_id, new_dose.as_needed)
            if editing is not None:
                self._doses[editing] = replace(new_dose, id=self._doses[editing].id)
            else:
                self._doses.append(new_dose)
            self._show_doses()
            self._refresh_state()

        # The day's plan per medicine, so a new dose starts at the planned amount nearest its time.
        planned = {
            med_id: tuple(PlannedDose(s.time, s.amount) for s in slots)
            for med_id, slots in self._plans().items()
        }
        dialog = DoseDialog(
            medications,
            dose,
            self._default_time(),
            planned=planned,
            as_needed=med_store.as_needed_choices(self.db),
        )
        self.app.push_screen(dialog, apply)

    @work(thread=True, exclusive=True, group="recognise")
    def _recognise_new(self) -> None:
        """Ask the drug-name library about a medicine first named in the dose dialog, then
        recompute the day's flags (a brand it knows as an opioid raises the opioid flag)."""
        from diazlog.store import open_database
        from diazlog.store.errors import StoreError

        db = open_database(self.app.db_path, create=False)  # type: ignore[attr-defined]
        try:
            changed = med_store.recognise_all(db)
        except StoreError:
            return
        finally:
            db.close()
        if changed:
            self.app.call_from_thread(self._recognised)

    def _recognised(self) -> None:
        self._medications = med_store.medications_by_id(self.db)
        self._flag_inputs = flag_store.inputs_for_day(self.db, self.day, self.now())
        self._show_doses()
        self._refresh_state()

    def action_tick_extreme_weakness(self) -> None:
        """The answer to the banner's "is this extreme weakness?" (a toggle, like a click).

        Only while the banner asks (or to take the tick back): a stray x elsewhere would
        raise "seek medical attention now" for a weakness nobody reported.
        """
        box = self._flags[FlagKind.EXTREME_WEAKNESS.value]
        asked = any(alert.rule == "severe_weakness" for alert in self._alerts)
        if not asked and not box.value:
            self.notify(
                'x ticks "Extreme weakness" when the banner shows severe weakness; '
                "r goes to the red-flag ticks.",
                severity="warning",
            )
            return
        box.value = not box.value

    def _markable(self, fresh: list[Alert]) -> list[Alert]:
        """The unseen flags `!` can mark: a saved day's, and those carried from earlier days."""
        return [a for a in fresh if self._saved is not None or a.date not in ("", self.day)]

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

    def _highlighted_line(self) -> DoseLine | None:
        table = self.query_one(DoseTable)
        row = table.cursor_row
        return self._dose_lines[row] if 0 <= row < len(self._dose_lines) else None

    def _showing_today(self) -> bool:
        """Whether the form is on the calendar's today (the clock decides what is still to come)."""
        return self.day == self.today().isoformat()

    def _not_yet(self, line: DoseLine) -> bool:
        """A planned dose of today whose time is still to come (the shell refuses it too)."""
        return (
            self._showing_today()
            and line.time is not None
            and line.time > self.now().strftime("%H:%M")
        )

    def _take(self, lines: list[DoseLine]) -> None:
        """Log planned doses as taken at their planned time (a slot without one: now)."""
        later = [line for line in lines if self._not_yet(line)]
        if later:
            self.notify(
                f"{later[0].time} is later than now: a diary records what happened. "
                "u logs a dose now, if you take it early.",
                severity="warning",
            )
            return
        for line in lines:
            self._doses.append(
                Dose(line.medication_id, line.time or self._default_time(), line.amount)
            )
        self._show_doses()
        self._refresh_state()
        taken = ", ".join(line.time or "now" for line in lines)
        self.notify(
            f"Logged the planned dose{'s' if len(lines) > 1 else ''} at {taken}; ctrl+s saves.",
            timeout=HINT_TIMEOUT_S,
        )

    def action_take_planned(self) -> None:
        """The highlighted planned dose, taken at its planned time."""
        line = self._highlighted_line()
        if line is None or line.slot is None:
            self.notify("Highlight a planned dose (status planned or missed) to take it.")
            return
        self._take([line])

    def action_take_all_planned(self) -> None:
        """Every planned dose up to now (on an earlier day, all of them), taken on time."""
        is_today = self._showing_today()
        due = [
            line
            for line in self._dose_lines
            if line.slot is not None
            and not self._not_yet(line)
            and (line.time is not None or not is_today)  # a time-less slot: not "up to now"
        ]
        if not due:
            self.notify("No planned dose left to log up to now.", severity="warning")
            return
        self._take(due)

    def action_edit_dose(self) -> None:
        line = self._highlighted_line()
        if line is None:
            return
        if line.dose is None:  # a planned dose: log it first, enter again edits its time
            self._take([line])
            return
        self.action_add_dose(editing=line.dose)

    def action_remove_dose(self) -> None:
        line = self._highlighted_line()
        if line is None or line.dose is None:
            if line is not None:
                self.notify("A planned dose comes from the plan: nothing to remove.")
            return
        removed = self._doses.pop(line.dose)
        self._show_doses()
        self._refresh_state()
        self.notify(f"Removed the {removed.time} dose. ctrl+s saves.", timeout=HINT_TIMEOUT_S)

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

    def _fill_keep(self, log: DayLog) -> None:
        """Rebuild the rows (a symptom was added) without losing what is on screen."""
        self._loading = True
        try:
            self._fill(log)
        finally:
            self._loading = False
        self._refresh_state()

    def action_focus_note(self) -> None:
        self._note.focus()

    def action_focus_day_fields(self) -> None:
        """Jump to the day's numbers: activity first, tab on to water, sleep, alcohol."""
        self._inputs["activity_min"].focus()

    def action_focus_flags(self) -> None:
        """Jump to the red-flag ticks (space ticks one, tab to the next)."""
        self._flags[FlagKind.CONFUSION.value].focus()

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
