"""Dialogs of the Today screen: the detail of one rating, and one dose."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from diazlog.dialogs.form import FormDialog
from diazlog.domain.models import Category, Dose, Legs, Medication, PlannedDose, Rating
from diazlog.domain.name_resolution import from_tables
from diazlog.domain.taper import nearest_dose
from diazlog.domain.validation import (
    InvalidInput,
    check_note,
    check_text,
    parse_amount,
    parse_duration,
    parse_optional_time,
    parse_time,
)
from diazlog.widgets.plain import plain
from diazlog.widgets.toggles import TickBox


class RatingDetailDialog(FormDialog):
    """Onset, duration, legs, what made it worse, a note: returns the updated Rating."""

    def __init__(self, symptom_name: str, rating: Rating) -> None:
        super().__init__()
        self.symptom_name = symptom_name
        self.rating = rating

    def compose(self) -> ComposeResult:
        r = self.rating
        with Vertical():
            yield Static(
                plain(f"{self.symptom_name}: {r.intensity}/10", lines=False), classes="dialog-title"
            )
            with VerticalScroll(classes="form-body", can_focus=False), Grid():
                yield from self.text_field(
                    "Onset (HH:MM)",
                    Input(r.onset or "", placeholder="e.g. 21:30", id="onset", compact=True),
                )
                yield from self.text_field(
                    "Duration (min)",
                    Input(
                        str(r.duration_min or ""),
                        placeholder="e.g. 45",
                        id="duration",
                        compact=True,
                    ),
                )
                yield Label("Legs")
                yield Select(
                    [(leg.value, leg.value) for leg in Legs],
                    value=r.legs or Select.NULL,
                    prompt="not noted",
                    id="legs",
                    compact=True,
                )
                yield from self.text_field(
                    "Worse with",
                    Input(
                        self.shown("worse", r.worse_with or ""),
                        placeholder="stairs, standing …",
                        id="worse",
                        compact=True,
                    ),
                )
                yield from self.text_field(
                    "Note", Input(self.shown("note", r.note or ""), id="note", compact=True)
                )
            yield self.buttons()

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        values = self.parse_fields(
            (
                ("onset", parse_optional_time),
                ("duration", parse_duration),
                ("worse", lambda t: check_text(t, "This") or None),
                ("note", lambda t: check_note(t) or None),
            ),
            errors,
        )
        self.show_errors(errors)
        if errors:
            return
        legs = self.query_one("#legs", Select).value
        self.dismiss(
            Rating(
                symptom_id=self.rating.symptom_id,
                intensity=self.rating.intensity,
                onset=values["onset"],  # type: ignore[arg-type]
                duration_min=values["duration"],  # type: ignore[arg-type]
                legs=None if legs is Select.NULL else str(legs),
                worse_with=values["worse"],  # type: ignore[arg-type]
                note=values["note"],  # type: ignore[arg-type]
            )
        )


NEW_MEDICINE = -1


@dataclass(frozen=True)
class DoseChoice:
    """What the dose dialog returns: the dose, and a medicine to create first if new."""

    dose: Dose
    new_medication: Medication | None = None


class DoseDialog(FormDialog):
    """Add or edit one dose: medicine, time, amount, scheduled or as needed.

    A new dose starts from the plan: the amount planned at the planned time nearest the
    dose's time (so 2.5 mg at night when the plan says 5 mg at 08:00 and 2.5 mg at 20:00),
    else the usual amount; "as needed" as the user last chose it for that medicine. Both
    follow the medicine and the time as long as the user has not typed over them.
    """

    def __init__(
        self,
        medications: list[Medication],
        dose: Dose | None,
        default_time: str,
        *,
        planned: Mapping[int, tuple[PlannedDose, ...]] | None = None,
        as_needed: Mapping[int, bool] | None = None,
    ) -> None:
        super().__init__()
        self.medications = {m.id: m for m in medications if m.id is not None}
        self.dose = dose
        self.default_time = default_time
        self.planned = planned or {}
        self.as_needed = as_needed or {}
        self._amount_shown = ""  # what the form itself last put in the amount field

    def compose(self) -> ComposeResult:
        dose = self.dose
        options: list[tuple[Text | str, int]] = [
            (plain(m.name, lines=False), med_id) for med_id, m in self.medications.items()
        ]
        options.append(("New medicine …", NEW_MEDICINE))
        first = (
            dose.medication_id if dose else (options[0][1] if self.medications else NEW_MEDICINE)
        )
        with Vertical():
            yield Static("Edit dose" if dose else "Add a dose", classes="dialog-title")
            with VerticalScroll(classes="form-body", can_focus=False), Grid():
                yield Label("Medicine")
                yield Select(options, value=first, allow_blank=False, id="medicine", compact=True)
                yield Label("Name", classes="new-med")
                yield Input(
                    "Diazepam" if not self.medications else "",
                    id="name",
                    classes="new-med",
                    compact=True,
                )
                yield self.error_label("name")
                yield Label("Category", classes="new-med")
                yield Select(
                    [(c.label, c.value) for c in Category],
                    value=Category.BENZODIAZEPINE.value
                    if not self.medications
                    else Category.OTHER.value,
                    allow_blank=False,
                    id="category",
                    compact=True,
                    classes="new-med",
                )
                yield from self.text_field(
                    "Time (HH:MM)",
                    Input(dose.time if dose else self.default_time, id="time", compact=True),
                )
                self._amount_shown = self._amount_text(first or NEW_MEDICINE, self.default_time)
                yield from self.text_field(
                    "Amount", Input(self._amount_shown, id="amount", compact=True)
                )
                yield Label("As needed")
                yield TickBox(
                    "taken as needed, not on schedule",
                    dose.as_needed if dose else self.as_needed.get(first or NEW_MEDICINE, False),
                    id="as_needed",
                    compact=True,
                )
                yield from self.text_field(
                    "Note",
                    Input(
                        self.shown("note", dose.note or "") if dose else "", id="note", compact=True
                    ),
                )
            yield self.buttons()

    def _amount_text(self, medication_id: int, time: str) -> str:
        """The dose's own amount; for a new one, the plan's at the nearest planned time,
        else the usual amount, else blank."""
        if self.dose:
            return f"{self.dose.amount:g}"
        nearest = nearest_dose(self.planned.get(medication_id, ()), time)
        if nearest is not None:
            return f"{nearest.amount:g}"
        med = self.medications.get(medication_id)
        return f"{med.usual_amount:g}" if med and med.usual_amount else ""

    def on_mount(self) -> None:
        self._show_new_fields()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "medicine":
            self._show_new_fields()
            if not self.dose and isinstance(event.value, int):
                self._follow_plan()
                remembered = self.as_needed.get(event.value)
                if remembered is not None:
                    self.query_one("#as_needed", Checkbox).value = remembered

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)  # a fixed field drops its error (FormDialog)
        if event.input.id == "time" and not self.dose:
            self._follow_plan()

    def _follow_plan(self) -> None:
        """Re-fill the amount for the medicine and time shown, unless the user typed one."""
        amount = self.query_one("#amount", Input)
        if amount.value != self._amount_shown:
            return
        medicine = self.query_one("#medicine", Select).value
        if not isinstance(medicine, int):
            return
        try:
            time = parse_time(self.value("time"))
        except InvalidInput:
            return
        amount.value = self._amount_shown = self._amount_text(medicine, time)

    def _show_new_fields(self) -> None:
        is_new = self.query_one("#medicine", Select).value == NEW_MEDICINE
        for widget in self.query(".new-med"):
            widget.display = is_new

    def action_submit(self) -> None:
        errors: dict[str, str] = {}
        medicine = self.query_one("#medicine", Select).value
        new_med: Medication | None = None
        if medicine == NEW_MEDICINE:
            name = " ".join(self.value("name").split())
            category = Category(str(self.query_one("#category", Select).value))
            if not name:
                errors["name"] = "type the medicine's name"
            elif len(name) > 60:
                errors["name"] = "keep the name under 60 characters"
            is_diazepam = "diazepam" in name.lower() or "valium" in name.lower()
            # A combination product counts in its unit (co-codamol: tablets); else mg.
            product = None if is_diazepam else from_tables(name)
            unit = (product.unit if product else None) or "mg"
            new_med = Medication(
                None,
                name,
                Category.BENZODIAZEPINE if is_diazepam else category,
                is_diazepam=is_diazepam,
                unit=unit,
            )
            diazepam = is_diazepam
        else:
            med = self.medications[int(medicine)]  # type: ignore[arg-type]
            diazepam, unit = med.is_diazepam, med.unit
        parsed = self.parse_fields(
            (
                ("time", parse_time),
                ("amount", lambda t: parse_amount(t, diazepam=diazepam, unit=unit)),
                ("note", lambda t: check_text(t, "The note") or None),
            ),
            errors,
        )
        self.show_errors(errors)
        if errors:
            return
        if new_med is not None and parsed.get("amount"):
            new_med = Medication(
                None,
                new_med.name,
                new_med.category,
                is_diazepam=new_med.is_diazepam,
                unit=new_med.unit,
                usual_amount=parsed["amount"],  # type: ignore[arg-type]
            )
        dose = Dose(
            medication_id=NEW_MEDICINE if new_med else int(medicine),  # type: ignore[arg-type]
            time=parsed["time"],  # type: ignore[arg-type]
            amount=parsed["amount"],  # type: ignore[arg-type]
            as_needed=self.query_one("#as_needed", Checkbox).value,
            note=parsed["note"],  # type: ignore[arg-type]
            # An edit that keeps the time keeps which of a clock-change night's two it was.
            utc_offset=(
                self.dose.utc_offset
                if self.dose is not None and self.dose.time == parsed["time"]
                else None
            ),
        )
        self.dismiss(DoseChoice(dose, new_med))
