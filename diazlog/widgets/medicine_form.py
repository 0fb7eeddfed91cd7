"""Dialogs of the Medicines screen: one medicine, one taper step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from diazlog.domain.medicine_input import (
    check_medicine_name,
    check_unit,
    looks_like_diazepam,
    parse_times,
)
from diazlog.domain.medicine_watch import category_for, recognition_line
from diazlog.domain.models import Category, Medication, TaperStep
from diazlog.domain.stock import parse_stock
from diazlog.domain.validation import InvalidInput, parse_amount, parse_date
from diazlog.widgets.day_dialogs import FORM_CSS, FormDialog
from diazlog.widgets.dialogs import DIALOG_CSS
from diazlog.widgets.toggles import TickBox

COMPACT_CSS = """
{name} > Vertical {{ width: 72; padding: 0 2; }}
{name} Grid {{ grid-gutter: 0 1; grid-rows: 1; }}
{name} Grid > Label {{ padding: 0; }}
{name} .dialog-title {{ margin: 0; }}
{name} .buttons {{ margin-top: 0; }}
{name} #name-class {{ height: 2; color: $text-muted; }}
"""


@dataclass(frozen=True)
class MedicineResult:
    """The edited medicine, and whether the stock was (re)counted just now."""

    medication: Medication
    stock_changed: bool


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class MedicineDialog(FormDialog):
    """Add or edit a medicine: name, category, tracked diazepam, usual dose, dates, stock."""

    # Compact fields (one line each) so the whole form fits an 80x24 terminal.
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="MedicineDialog")
        + FORM_CSS.format(name="MedicineDialog")
        + COMPACT_CSS.format(name="MedicineDialog")
    )

    def __init__(self, med: Medication | None, today: date, *, first: bool = False) -> None:
        super().__init__()
        self.med = med
        self.today = today
        # With no diazepam set up yet, a new medicine starts as the diazepam to track.
        self.first = first
        # The category the form itself last put in (a different one is the user's pick).
        self._category_shown = self._starting_med().category.value

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
                f"Edit {med.name}" if self.med else "Add a medicine", classes="dialog-title"
            )
            with Grid():
                yield from self.text_field(
                    "Name", Input(med.name, placeholder="e.g. Ibuprofen", id="name", compact=True)
                )
            # What the shipped name table makes of the name, redone as the user types. Outside
            # the grid: an auto grid row sizes a wrapping Static by its first column's width.
            yield Static(recognition_line(med.name, tracked=med.is_diazepam), id="name-class")
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
                yield from self.text_field(
                    "Unit", Input(med.unit, placeholder="mg", id="unit", compact=True)
                )
                yield from self.text_field(
                    "Usual amount",
                    Input(
                        _text(med.usual_amount),
                        placeholder="per dose, e.g. 5",
                        id="amount",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "Usual times",
                    Input(
                        ", ".join(med.usual_times),
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

    @on(Input.Changed, "#name")
    @on(Checkbox.Changed, "#is_diazepam")
    def _show_class(self) -> None:
        name = self.value("name")
        # A new medicine named like diazepam is saved as the tracked one (action_submit).
        tracked = self.query_one("#is_diazepam", Checkbox).value or (
            self.med is None and looks_like_diazepam(name)
        )
        self.query_one("#name-class", Static).update(recognition_line(name, tracked=tracked))
        self._follow_recognised_category(name)

    def _follow_recognised_category(self, name: str) -> None:
        """A new medicine's category follows the recognised class ("Co-codamol 30/500" is an
        opioid) as long as it still shows what the form last put there; once the user has
        picked another, it stays theirs. An existing medicine's is always the user's."""
        select = self.query_one("#category", Select)
        if self.med is not None or select.value != self._category_shown:
            return
        category = category_for(name)
        if category is not None:
            select.value = self._category_shown = category.value

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        is_diazepam = self.query_one("#is_diazepam", Checkbox).value
        unit = self.value("unit").strip() or "mg"
        checks = (
            ("name", check_medicine_name),
            ("unit", check_unit),
            (
                "amount",
                lambda t: parse_amount(t, diazepam=is_diazepam, unit=unit) if t.strip() else None,
            ),
            ("times", parse_times),
            ("started", lambda t: parse_date(t, self.today) if t.strip() else None),
            ("stopped", lambda t: parse_date(t, self.today) if t.strip() else None),
            ("stock", lambda t: parse_stock(t, unit)),
        )
        values = self.parse_fields(checks, errors)
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
            unit=str(values["unit"]),
            usual_amount=values["amount"],  # type: ignore[arg-type]
            usual_times=values["times"],  # type: ignore[arg-type]
            stock=values["stock"],  # type: ignore[arg-type]
            started_on=started,  # type: ignore[arg-type]
            stopped_on=stopped,  # type: ignore[arg-type]
        )
        old_stock = self.med.stock if self.med else None
        self.dismiss(MedicineResult(med, med.stock is not None and med.stock != old_stock))


class TaperStepDialog(FormDialog):
    """One step of a taper plan, as the doctor prescribed it: from a date, amount, times."""

    # Compact one-line fields, like the other forms: with full-height ones an error or two
    # pushed Done and Cancel off an 80x24 screen.
    DEFAULT_CSS = DIALOG_CSS.format(name="TaperStepDialog") + FORM_CSS.format(
        name="TaperStepDialog"
    )

    def __init__(self, med: Medication, step: TaperStep | None, today: date) -> None:
        super().__init__()
        self.med = med
        self.step = step
        self.today = today

    def compose(self) -> ComposeResult:
        step = self.step
        times = step.times if step else self.med.usual_times
        with Vertical():
            yield Static(
                f"{'Edit' if step else 'Add'} a taper step: {self.med.name}",
                classes="dialog-title",
            )
            yield Label("Enter it exactly as your doctor prescribed. 0 means stop.")
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
                yield Label(f"Amount ({self.med.unit})")
                yield Input(
                    _text(step.amount) if step else "",
                    placeholder="per dose",
                    id="amount",
                    compact=True,
                )
                yield self.error_label("amount")
                yield from self.text_field(
                    "Times",
                    Input(
                        ", ".join(times),
                        placeholder="e.g. 08:00, 20:00",
                        id="times",
                        compact=True,
                    ),
                )
            yield self.buttons()

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        checks = (
            ("from", _parse_step_date),
            ("amount", self._parse_amount),
            ("times", parse_times),
        )
        values = self.parse_fields(checks, errors)
        self.show_errors(errors)
        if errors:
            return
        assert self.med.id is not None
        self.dismiss(
            TaperStep(
                id=self.step.id if self.step else None,
                medication_id=self.med.id,
                from_date=str(values["from"]),
                amount=float(values["amount"]),  # type: ignore[arg-type]
                times=values["times"],  # type: ignore[arg-type]
            )
        )

    def _parse_amount(self, text: str) -> float:
        if text.strip() in ("0", "0.0"):
            return 0.0
        return parse_amount(text, diazepam=self.med.is_diazepam, unit=self.med.unit)


def _parse_step_date(text: str) -> str:
    """A plan may lie ahead, so future dates are fine here (unlike in the diary)."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date: use YYYY-MM-DD") from None
