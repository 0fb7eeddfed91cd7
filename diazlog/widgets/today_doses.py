"""Today's dose list: the day's doses, planned and logged, one row each.

A DataTable, so its rows are drawn with Textual's Line API (one widget, whatever the number
of doses). The lines and their status words come from domain/day_doses.py; the keys act on
the Today screen, which owns the doses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.binding import Binding

from diazlog.domain.day_doses import DoseLine
from diazlog.domain.models import Medication
from diazlog.domain.units import amount_text
from diazlog.widgets.plain import PlainTable

COLUMNS = ("Time", "Medicine", "Amount", "Status")


class DoseTable(PlainTable):
    """The day's doses, planned and logged; space takes a planned one, enter edits."""

    HELP_NAME = "Dose list"

    BINDINGS = [
        Binding("space", "screen.take_planned", "Take planned dose", show=False),
        Binding("delete,backspace", "screen.remove_dose", "Remove dose", show=False),
        Binding("enter", "screen.edit_dose", "Edit dose", show=False),
    ]

    def on_mount(self) -> None:
        if not self.columns:
            self.add_columns(*COLUMNS)

    def show_lines(self, lines: Sequence[DoseLine], medications: Mapping[int, Medication]) -> None:
        """Show these lines, the cursor kept on its row (or the last one, when fewer)."""
        if not self.columns:
            self.add_columns(*COLUMNS)
        row = self.cursor_row
        self.clear()
        for line in lines:
            med = medications.get(line.medication_id)
            self.add_row(
                line.time or "any",
                med.name if med else "?",  # PlainTable shows it as typed: never markup
                amount_text(line.amount, med.unit) if med else f"{line.amount:g}",
                line.status,
            )
        if lines:
            self.move_cursor(row=min(row, len(lines) - 1), animate=False)

    def highlighted(self, lines: Sequence[DoseLine]) -> DoseLine | None:
        """The line under the cursor (None when the list is empty)."""
        row = self.cursor_row
        return lines[row] if 0 <= row < len(lines) else None
