"""Medicines: what the user takes, how much, since when, the stock left, and the taper plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.cells import cell_len
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Label, Static

from diazlog.dialogs.medicine import MedicineDialog, MedicineResult, TaperStepDialog
from diazlog.dialogs.prompts import TextPrompt
from diazlog.domain.medicine_watch import class_cell, detail_line
from diazlog.domain.models import Medication, TaperStep
from diazlog.domain.plan import per_dose_text
from diazlog.domain.stock import StockLevel
from diazlog.domain.taper import describe_step, planned_for, planned_total
from diazlog.domain.units import amount_text
from diazlog.domain.validation import parse_date
from diazlog.screens.base import DiaryScreen, writes
from diazlog.store.queries import medications as med_store
from diazlog.store.queries import taper as taper_store
from diazlog.store.queries.medicine_lookups import known
from diazlog.store.queries.stock import level_of
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.plain import PlainTable, plain
from diazlog.widgets.title_bar import TitleBar

COLUMNS = ("Name", "Class", "Usual", "Dates", "Stock")
# The table shows this many rows before it scrolls (#medicines max-height in app.tcss).
ROWS_SHOWN = 11
# When the columns do not fit, cut (column, down to this width) in turn: the Name first (the
# detail line has it whole), then Usual, then the Name again. Stock stays whole at 80.
CUTS = ((0, 8), (2, 8), (0, 3))


def column_widths(rows: Sequence[tuple[str, ...]], width: int) -> list[int]:
    """Each column as wide as its widest cell, cut as CUTS says to fit `width` columns.
    Set as fixed widths: a DataTable auto column never shrinks back."""
    widths = [max(cell_len(row[i]) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    scrollbar = 2 if len(rows) > ROWS_SHOWN else 0
    over = sum(widths) + 2 * len(COLUMNS) + scrollbar - width
    for column, narrowest in CUTS:
        cut = max(0, min(over, widths[column] - narrowest))
        widths[column] -= cut
        over -= cut
    return widths


def fit(text: str, width: int) -> str:
    """`text` cut with … to `width` cells."""
    return text if cell_len(text) <= width else text[: max(0, width - 1)] + "…"


def name_cell(med: Medication, width: int) -> str:
    """The name, cut to fit `width`, and the tracked-diazepam mark, which is never cut."""
    mark = " ●" if med.is_diazepam else ""
    return fit(med.name, max(1, width - cell_len(mark))) + mark


def usual_text(med: Medication) -> str:
    if not med.usual_amount:
        return "as needed" if not med.usual_times else ", ".join(med.usual_times)
    if med.usual_amounts:
        return per_dose_text(med.usual_doses, med.unit)
    count = max(1, len(med.usual_times))
    amount = amount_text(med.usual_amount, med.unit)
    return f"{count} × {amount}" if count > 1 else amount


def _stale(db: Any, med: Medication) -> bool:
    """A stored class that is not what the name resolves to now (an import, an old diary),
    or a name never looked up."""
    found = known(db, med.name)
    return found is None or (not med.is_diazepam and found.code != med.drug_class)


def dates_text(med: Medication, today: str) -> str:
    if med.stopped_on and med.stopped_on < today:
        return f"stopped {med.stopped_on}"
    if med.started_on and med.started_on > today:
        return f"from {med.started_on}"
    if med.stopped_on:
        return f"until {med.stopped_on}"
    return f"since {med.started_on}" if med.started_on else "taking"


def stock_text(level: StockLevel | None) -> str:
    if level is None:
        return "—"
    if level.left <= 0:
        return "none left"
    text = amount_text(level.left, level.medication.unit)
    if level.runs_out_on:
        text += f" · to {date.fromisoformat(level.runs_out_on):%d %b}"
    return text


class MedicineTable(PlainTable):
    """The medicines; enter edits the highlighted one."""

    HELP_NAME = "Medicine list"
    BINDINGS = [Binding("enter", "screen.edit", "Edit", show=False)]


class StepTable(PlainTable):
    """The taper plan of the highlighted medicine; enter edits a step, ⌫ removes it."""

    HELP_NAME = "Taper plan"
    BINDINGS = [
        Binding("enter", "screen.edit_step", "Edit step", show=False),
        Binding("delete,backspace", "screen.remove_step", "Remove step", show=False),
    ]


class MedicinesScreen(DiaryScreen):
    """Add, edit and stop medicines; enter the taper plan the doctor prescribed."""

    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add medicine"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted medicine"),
        Binding("s", "stop", "Stop", tooltip="Stop it from a date (its doses stay)"),
        Binding("p", "add_step", "Taper step", tooltip="Add taper step"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._medications: list[Medication] = []
        self._steps: list[TaperStep] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label(
            "Medicines  a add · e/enter edit · s stop · p add taper step", classes="section"
        )
        yield MedicineTable(id="medicines", cursor_type="row")
        yield Static("", id="med-detail")
        yield Label("", id="plan-title", classes="section")
        yield StepTable(id="steps", cursor_type="row")
        yield KeyBar()

    class Recognised(Message):
        """The worker brought stored classes up to date (some changed)."""

    def on_mount(self) -> None:
        self.query_one(StepTable).add_columns("From", "Per dose", "Times", "A day", "")
        self.title = "Medicines"
        self.reload()
        self.mark_loaded()
        if any(_stale(self.db, m) for m in self._medications):
            self._recognise_all()

    @work(thread=True, exclusive=True, group="recognise")
    def _recognise_all(self) -> None:
        """Names never looked up (a diary from before the drug-name library, an import): ask
        the library in a thread, so a brand it knows as an opioid is watched as one."""
        from diazlog.store import open_database
        from diazlog.store.file.errors import StoreError

        db = open_database(self.app.db_path, create=False)  # type: ignore[attr-defined]
        try:
            changed = med_store.recognise_all(db)
        except StoreError:
            return  # a read-only diary: shown from the tables, as before
        finally:
            db.close()
        if changed:
            self.post_message(self.Recognised())

    @on(Recognised)
    def _recognised(self) -> None:
        self.reload()

    def on_resize(self, event: events.Resize) -> None:
        """Names are cut to the width: redo the table when the terminal is resized."""
        if self.is_mounted:
            self.reload()

    def reload_data(self) -> None:
        self.reload()
        self.mark_loaded()

    # -- showing ----------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Reload the medicines, keeping (or moving to) the highlighted one."""
        table = self.query_one(MedicineTable)
        current = self.selected()
        keep = select_id if select_id is not None else (current.id if current else None)
        self._medications = med_store.list_medications(self.db)
        today = self.today().isoformat()
        rows = [
            (
                med.name + (" ●" if med.is_diazepam else ""),
                class_cell(med, known(self.db, med.name)),
                usual_text(med),
                dates_text(med, today),
                stock_text(level_of(self.db, med, today)),
            )
            for med in self._medications
        ]
        widths = column_widths(rows, self.size.width)
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        for med, row in zip(self._medications, rows, strict=True):
            cut = [fit(text, w) for text, w in zip(row, widths, strict=True)]
            # PlainTable makes each str cell plain text (never markup, controls escaped).
            cells = [name_cell(med, widths[0]), *cut[1:]]
            table.add_row(*cells, key=str(med.id))
        ids = [m.id for m in self._medications]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        in_use = sum(m.active_on(today) for m in self._medications)
        self.sub_title = f"{in_use} in use · ● tracked diazepam · ⚠ adds to diazepam's effect"
        self._show_selected()

    def selected(self) -> Medication | None:
        table = self.query_one(MedicineTable)
        if not self._medications or table.cursor_row >= len(self._medications):
            return None
        return self._medications[table.cursor_row]

    def _show_selected(self) -> None:
        med = self.selected()
        detail = self.query_one("#med-detail", Static)
        title = self.query_one("#plan-title", Label)
        steps = self.query_one(StepTable)
        steps.clear()
        if med is None or med.id is None:
            detail.update("No medicines yet: press a to add your diazepam.")
            detail.display = True
            title.update("Taper plan")
            self._steps = []
            return
        today = self.today().isoformat()
        lines = []
        level = level_of(self.db, med, today)
        if level is not None:
            lines.append(f"Stock: {level.describe()}")
        if about := detail_line(med, known(self.db, med.name)):
            lines.append(about)
        if med.strength:
            lines.append(f"Strength: {med.strength} per {med.unit}")
        detail.update(plain("\n".join(lines)))  # names as typed: never markup
        detail.display = bool(lines)
        self._steps = taper_store.list_steps(self.db, med.id)
        title.update(plain(f"Taper plan: {med.name}  p add step · enter edit · ⌫ remove"))
        now = planned_for(self._steps, today)
        for step in self._steps:
            state = "← now" if step == now else ("ahead" if step.from_date > today else "done")
            times = ", ".join(step.times) or "—"
            steps.add_row(
                step.from_date,
                per_dose_text(step.doses, med.unit),
                times,
                amount_text(planned_total(step), med.unit),
                state,
                key=str(step.id),
            )
        if now is not None:
            steps.move_cursor(row=self._steps.index(now))

    @on(DataTable.RowHighlighted, "#medicines")
    def _highlighted(self) -> None:
        self._show_selected()

    # -- actions ----------------------------------------------------------------------------

    def _edit(self, med: Medication | None) -> None:
        first = med is None and med_store.tracked_diazepam(self.db) is None

        def save(result: MedicineResult | None) -> None:
            if result is None:
                return
            stamp = self.now().strftime("%Y-%m-%dT%H:%M")
            answer = result.answer
            saved = med_store.save_medication(
                self.db,
                result.medication,
                stock_counted_at=stamp if result.stock_changed else None,
                # The form's own lookup, if it made one: the library is not asked again.
                look_up=None if answer is None else (lambda _name: answer),
            )
            self.reload(select_id=saved.id)
            self.notify(f"Saved {saved.name}.")

        dialog = MedicineDialog(
            med, self.today(), first=first, known=lambda name: known(self.db, name)
        )
        self.app.push_screen(dialog, save)

    @writes
    def action_add(self) -> None:
        self._edit(None)

    @writes
    def action_edit(self) -> None:
        med = self.selected()
        if med is None:
            self.action_add()
            return
        self._edit(med)

    @writes
    def action_stop(self) -> None:
        med = self.selected()
        if med is None or med.id is None:
            return
        today = self.today()
        if med.stopped_on and med.stopped_on <= today.isoformat():
            self.notify(
                f"{med.name} stopped on {med.stopped_on}; e edits the dates to restart it.",
                severity="warning",
            )
            return
        med_id = med.id

        def stop(day: str | None) -> None:
            if day:
                med_store.stop_medication(self.db, med_id, day)
                self.reload(select_id=med_id)
                self.notify(f"{med.name} stopped from {day}. Its doses stay in your log.")

        self.app.push_screen(
            TextPrompt(
                f"Stop {med.name} from (YYYY-MM-DD)",
                value=today.isoformat(),
                check=lambda text: _check_stop(text, today, med),
            ),
            stop,
        )

    def _edit_step(self, step: TaperStep | None) -> None:
        med = self.selected()
        if med is None or med.id is None:
            self.notify("Add the medicine first (a), then its taper plan.", severity="warning")
            return
        med_id = med.id

        def save(result: TaperStep | None) -> None:
            if result is None:
                return
            if result.id is None:
                taper_store.save_step(self.db, result)
            else:
                taper_store.update_step(self.db, result)
            self.reload(select_id=med_id)
            self.notify(f"Taper step from {result.from_date}: {describe_step(result, med.unit)}.")

        self.app.push_screen(TaperStepDialog(med, step, self.today()), save)

    @writes
    def action_add_step(self) -> None:
        self._edit_step(None)

    def _highlighted_step(self) -> TaperStep | None:
        table = self.query_one(StepTable)
        if not self._steps or table.cursor_row >= len(self._steps):
            return None
        return self._steps[table.cursor_row]

    @writes
    def action_edit_step(self) -> None:
        step = self._highlighted_step()
        if step is not None:
            self._edit_step(step)

    @writes
    def action_remove_step(self) -> None:
        step = self._highlighted_step()
        med = self.selected()
        if step is None or step.id is None or med is None:
            return
        taper_store.delete_step(self.db, step.id)
        self.reload(select_id=med.id)
        self.notify(
            f"Removed the step from {step.from_date} ({describe_step(step, med.unit)}); "
            "p adds it again."
        )


def _check_stop(text: str, today: date, med: Medication) -> str:
    from diazlog.domain.validation import InvalidInput

    day = parse_date(text, today)
    if med.started_on and day < med.started_on:
        raise InvalidInput(f"{med.name} started on {med.started_on}, after that date")
    return day
