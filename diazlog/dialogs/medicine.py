"""Dialogs of the Medicines screen: one medicine, one taper step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select, Static
from textual.worker import get_current_worker

from diazlog.dialogs.form import FormDialog
from diazlog.domain import drug_library
from diazlog.domain.drug_library import LibraryAnswer
from diazlog.domain.medicine_input import check_medicine_name, looks_like_diazepam
from diazlog.domain.medicine_watch import category_for, recognition_line
from diazlog.domain.models import Category, Medication, TaperStep
from diazlog.domain.name_resolution import Resolution, from_library, from_tables
from diazlog.domain.plan import (
    PlanInputError,
    Schedule,
    format_schedule,
    parse_schedule,
    parse_step_date,
    parse_time_list,
    step_schedule,
    usual_schedule,
)
from diazlog.domain.stock import parse_stock
from diazlog.domain.units import UNITS
from diazlog.domain.validation import parse_date
from diazlog.domain.visible_text import one_line
from diazlog.widgets.plain import plain
from diazlog.widgets.toggles import TickBox


@dataclass(frozen=True)
class MedicineResult:
    """The edited medicine, whether the stock was (re)counted just now, and what the drug-name
    library said about its name if the form asked it (saved with it, so it is not asked again)."""

    medication: Medication
    stock_changed: bool
    answer: LibraryAnswer | None = None


# What the form can learn about a name without the library: the tables and the diary's cache.
Known = Callable[[str], Resolution | None]


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class MedicineDialog(FormDialog):
    """Add or edit a medicine: name, category, tracked diazepam, usual dose, dates, stock."""

    # Compact fields (one line each) so the whole form fits an 80x24 terminal.
    DEFAULT_CSS = """
    MedicineDialog > Vertical { width: 72; padding: 0 2; }
    MedicineDialog Grid { grid-gutter: 0 1; grid-rows: 1; }
    MedicineDialog Grid > Label { padding: 0; }
    MedicineDialog .dialog-title { margin: 0; }
    MedicineDialog .buttons { margin-top: 0; }
    MedicineDialog #name-class { height: 2; color: $text-muted; }
    """

    BINDINGS = [
        Binding("ctrl+y", "use_suggestion", "Use suggestion", show=False),
    ]

    @dataclass
    class LookedUp(Message):
        """The drug-name library answered about `name` (from a thread worker)."""

        name: str
        answer: LibraryAnswer | None  # None: the library could not answer

    def __init__(
        self,
        med: Medication | None,
        today: date,
        *,
        first: bool = False,
        known: Known = from_tables,
        look_up: Callable[[str], LibraryAnswer | None] = drug_library.look_up_safely,
    ) -> None:
        super().__init__()
        self.med = med
        self.today = today
        # With no diazepam set up yet, a new medicine starts as the diazepam to track.
        self.first = first
        # The category and unit the form itself last put in (a different one is the user's).
        self._category_shown = self._starting_med().category.value
        self._times_shown = ", ".join(self._starting_med().usual_times)
        self._unit_shown = self._starting_med().unit
        self._known = known
        self._look_up = look_up
        # The library's answers this form got, by name (None: it could not answer); a "did
        # you mean" on offer.
        self._answers: dict[str, LibraryAnswer | None] = {}
        self._suggestion: str | None = None
        self._submit_when_answered = False

    def _starting_med(self) -> Medication:
        """The medicine the form opens with: the one edited, or a new one."""
        return self.med or (
            Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True)
            if self.first
            else Medication(None, "")
        )

    def compose(self) -> ComposeResult:
        med = self._starting_med()
        with Vertical():
            yield Static(
                plain(f"Edit {med.name}" if self.med else "Add a medicine", lines=False),
                classes="dialog-title",
            )
            with Grid():
                yield from self.text_field(
                    "Name",
                    Input(
                        one_line(med.name), placeholder="e.g. Ibuprofen", id="name", compact=True
                    ),
                )
            # What the shipped name table makes of the name, redone as the user types. Outside
            # the grid: an auto grid row sizes a wrapping Static by its first column's width.
            yield Static(
                plain(
                    recognition_line(med.name, tracked=med.is_diazepam, found=self._known(med.name))
                ),
                id="name-class",
            )
            with Grid():
                yield Label("Category")
                yield Select(
                    [(c.label, c.value) for c in Category],
                    value=med.category.value,
                    allow_blank=False,
                    id="category",
                    compact=True,
                )
                yield Label("Tracked")
                yield TickBox(
                    "this is the diazepam I track", med.is_diazepam, id="is_diazepam", compact=True
                )
                yield Label("Unit")
                units = UNITS if med.unit in UNITS else (*UNITS, med.unit)  # an old unit stays
                yield Select(
                    [(plain(u, lines=False), u) for u in units],
                    value=med.unit,
                    allow_blank=False,
                    id="unit",
                    compact=True,
                )
                yield self.error_label("unit")
                yield from self.text_field(
                    "Usual amount",
                    Input(
                        format_schedule(usual_schedule(med)) if med.usual_amount else "",
                        placeholder="per dose: 5, or 5@08:00, 2.5@20:00",
                        id="amount",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "Usual times",
                    Input(
                        self._times_shown,
                        placeholder="e.g. 08:00, 20:00",
                        id="times",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "Started on",
                    Input(
                        med.started_on or "", placeholder="YYYY-MM-DD", id="started", compact=True
                    ),
                )
                yield from self.text_field(
                    "Stopped on",
                    Input(
                        med.stopped_on or "",
                        placeholder="blank = still taking",
                        id="stopped",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "In stock",
                    Input(
                        _text(med.stock),
                        placeholder="mg, or pills x mg: 28 x 5",
                        id="stock",
                        compact=True,
                    ),
                )
            yield self.buttons()

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.compact = True
        if self.med is not None and self._known(self.med.name) is None:
            self._show_class()  # an existing name never looked up: ask the library now

    @on(Input.Changed, "#amount, #times")
    def _schedule_changed(self) -> None:
        errors: dict[str, str] = {}
        is_diazepam = self.query_one("#is_diazepam", Checkbox).value
        self._usual_dose(is_diazepam, str(self.query_one("#unit", Select).value), errors)
        _recheck_schedule(self, errors)

    @on(Input.Changed, "#name")
    @on(Checkbox.Changed, "#is_diazepam")
    def _show_class(self) -> None:
        name = self.value("name")
        # A new medicine named like diazepam is saved as the tracked one (action_submit).
        tracked = self.query_one("#is_diazepam", Checkbox).value or (
            self.med is None and looks_like_diazepam(name)
        )
        found = self._found(name)
        # Two letters name nothing the library would find: ask from the third one on.
        looking = found is None and not tracked and len(drug_library.library_key(name)) >= 3
        self._suggestion = found.suggestion if found else None
        line = recognition_line(name, tracked=tracked, found=found, looking=looking)
        if self._suggestion:
            line += " ctrl+y uses it."
        self.query_one("#name-class", Static).update(plain(line))  # as typed: no markup
        if found is not None:
            self._follow_recognised(name, found)
        elif looking:
            self._ask_library(name)

    def _found(self, name: str) -> Resolution | None:
        """What the name is, from the tables, the diary's cache or an answer this form got."""
        found = self._known(name)
        if found is None and name in self._answers:
            answer = self._answers[name] or LibraryAnswer()
            found = from_library(name, answer.generics, answer.suggestion)
        return found

    @work(thread=True, exclusive=True, group="name-lookup")
    def _ask_library(self, name: str) -> None:
        """The library in a thread: its first import takes seconds, and a fuzzy guess can take
        a fifth of one; the form stays responsive meanwhile."""
        answer = self._look_up(name)
        if not get_current_worker().is_cancelled:
            self.post_message(self.LookedUp(name, answer))

    @on(LookedUp)
    def _answered(self, event: LookedUp) -> None:
        self._answers[event.name] = event.answer
        if event.name != self.value("name"):
            return  # the user typed on; that name has its own lookup
        self._show_class()
        if event.answer is None:
            self.query_one("#name-class", Static).update(
                plain(
                    f"Could not look {' '.join(event.name.split())} up: ask your doctor how it "
                    "mixes with diazepam."
                )
            )
        if self._submit_when_answered:
            self._submit_when_answered = False
            self.action_submit()

    def action_use_suggestion(self) -> None:
        """Take the "did you mean" name the line offers: only ever on the user's key."""
        if self._suggestion:
            field = self.query_one("#name", Input)
            field.value = self._suggestion
            field.cursor_position = len(field.value)  # typing on appends ("30/500")

    def _follow_recognised(self, name: str, found: Resolution) -> None:
        """A new medicine's category follows the recognised class ("Co-codamol 30/500" is an
        opioid) and its unit the product's (tablets), as long as each still shows what the
        form last put there; once the user has picked another, it stays theirs. An existing
        medicine's are always the user's."""
        if self.med is not None:
            return
        select = self.query_one("#category", Select)
        category = category_for(name, found)
        if category is not None and select.value == self._category_shown:
            select.value = self._category_shown = category.value
        unit = self.query_one("#unit", Select)
        is_diazepam = self.query_one("#is_diazepam", Checkbox).value
        if found.unit and not is_diazepam and unit.value == self._unit_shown:
            unit.value = self._unit_shown = found.unit

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        is_diazepam = self.query_one("#is_diazepam", Checkbox).value
        unit = str(self.query_one("#unit", Select).value)
        name_typed = self.value("name")
        if (
            not is_diazepam
            and name_typed.strip()
            and self._found(name_typed) is None
            and not looks_like_diazepam(name_typed)
        ):
            # The library is still looking the name up: save as soon as it answers.
            self._submit_when_answered = True
            self.query_one("#name-class", Static).update(
                plain(f"Looking {' '.join(name_typed.split())} up… it saves when found.")
            )
            self._ask_library(name_typed)
            return
        if (is_diazepam or (not self.med and looks_like_diazepam(name_typed))) and unit != "mg":
            errors["unit"] = "diazepam is counted in mg"
        checks = (
            ("name", check_medicine_name),
            ("started", lambda t: parse_date(t, self.today) if t.strip() else None),
            ("stopped", lambda t: parse_date(t, self.today) if t.strip() else None),
            ("stock", lambda t: parse_stock(t, unit)),
        )
        values = self.parse_fields(checks, errors)
        usual = self._usual_dose(is_diazepam, unit, errors)
        started, stopped = values.get("started"), values.get("stopped")
        if started and stopped and str(stopped) < str(started):
            errors["stopped"] = "the stop date is before the start date"
        self.show_errors(errors)
        if errors:
            return
        name = str(values["name"])
        if not self.med and looks_like_diazepam(name):
            is_diazepam = True
        med = Medication(
            id=self.med.id if self.med else None,
            name=name,
            category=Category(str(self.query_one("#category", Select).value)),
            is_diazepam=is_diazepam,
            unit=unit,
            usual_amount=usual.amount or None,
            usual_times=usual.times,
            usual_amounts=usual.amounts,
            stock=values["stock"],  # type: ignore[arg-type]
            started_on=started,  # type: ignore[arg-type]
            stopped_on=stopped,  # type: ignore[arg-type]
        )
        old_stock = self.med.stock if self.med else None
        self.dismiss(
            MedicineResult(
                med,
                med.stock is not None and med.stock != old_stock,
                self._answers.get(name_typed),
            )
        )

    def _usual_dose(self, is_diazepam: bool, unit: str, errors: dict[str, str]) -> Schedule:
        """The amount and times fields (domain.plan, as `diazlog plan` reads them); a blank
        amount is as needed, with the times kept as typed."""
        amount, times = self.value("amount"), _times_typed(self, self._times_shown)
        try:
            found = parse_schedule(amount, times, diazepam=is_diazepam, unit=unit, allow_blank=True)
            return found if found is not None else Schedule(0.0, parse_time_list(times))
        except PlanInputError as exc:
            errors.update(exc.errors)
            return Schedule(0.0)


def _recheck_schedule(dialog: FormDialog, errors: dict[str, str]) -> None:
    """Amount and times are read together (each can be refused for what the other says), so
    FormDialog's re-check of a field whose error shows is done for both at once: a refusal
    still true is updated, a fixed one goes (a stale error pushed the buttons down)."""
    for name in ("amount", "times"):
        for label in dialog.query(f"#error-{name}").results(Label):
            if not label.display:
                continue
            if name in errors:
                label.update(errors[name])
            else:
                label.update("")
                label.display = False


def _times_typed(dialog: FormDialog, shown: str) -> str:
    """The times field, unless an amount per time (5@08:00, …) was typed while the times still
    show what the form opened with: those are then the old plan's, not a second statement."""
    times = dialog.value("times")
    if "@" in dialog.value("amount") and times == shown:
        return ""
    return times


class TaperStepDialog(FormDialog):
    """One step of a taper plan, as the doctor prescribed it: from a date, amount, times."""

    # Compact one-line fields, like the other forms: with full-height ones an error or two
    # pushed Done and Cancel off an 80x24 screen.

    def __init__(self, med: Medication, step: TaperStep | None, today: date) -> None:
        super().__init__()
        self.med = med
        self.step = step
        self.today = today
        self._times_shown = ", ".join(step.times if step else med.usual_times)

    def compose(self) -> ComposeResult:
        step = self.step
        times = self._times_shown
        with Vertical():
            yield Static(
                plain(f"{'Edit' if step else 'Add'} a taper step: {self.med.name}", lines=False),
                classes="dialog-title",
            )
            yield Static(
                "Enter it exactly as your doctor prescribed. 0 means stop; a different "
                "amount at each time: 5@08:00, 2.5@20:00."
            )
            # Compact fields that scroll above buttons that do not: with an error under each
            # field, Done and Cancel still fit an 80x24 screen.
            with VerticalScroll(classes="form-body", can_focus=False), Grid():
                yield from self.text_field(
                    "From (date)",
                    Input(
                        step.from_date if step else self.today.isoformat(),
                        placeholder="YYYY-MM-DD",
                        id="from",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    plain(f"Amount ({self.med.unit})", lines=False),
                    Input(
                        format_schedule(step_schedule(step)) if step else "",
                        placeholder="per dose: 5, or 5@08:00, 2.5@20:00",
                        id="amount",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "Times",
                    Input(times, placeholder="e.g. 08:00, 20:00", id="times", compact=True),
                )
            yield self.buttons()

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.compact = True

    @on(Input.Changed, "#amount, #times")
    def _schedule_changed(self) -> None:
        _recheck_schedule(self, self._schedule_errors())

    def _schedule(self) -> Schedule | None:
        """The amount and times fields as a plan step (PlanInputError names what is wrong)."""
        return parse_schedule(
            self.value("amount"),
            _times_typed(self, self._times_shown),
            diazepam=self.med.is_diazepam,
            unit=self.med.unit,
            allow_stop=True,
        )

    def _schedule_errors(self) -> dict[str, str]:
        try:
            self._schedule()
        except PlanInputError as exc:
            return dict(exc.errors)
        return {}

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        values = self.parse_fields((("from", parse_step_date),), errors)
        schedule: Schedule | None = None
        try:
            schedule = self._schedule()
        except PlanInputError as exc:
            errors.update(exc.errors)
        self.show_errors(errors)
        if errors or schedule is None:
            return
        assert self.med.id is not None
        self.dismiss(
            TaperStep(
                id=self.step.id if self.step else None,
                medication_id=self.med.id,
                from_date=str(values["from"]),
                amount=schedule.amount,
                times=schedule.times,
                amounts=schedule.amounts,
            )
        )
