"""History: every logged day, newest first, filtered as you type; enter opens a day in Today."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label

from diazlog.domain import limits
from diazlog.domain.history_filter import HINT, HistoryFilter, parse_filter
from diazlog.domain.models import Alert, Level, Symptom
from diazlog.domain.validation import InvalidInput
from diazlog.screens.base import DiaryScreen
from diazlog.store.queries.history import PAGE_SIZE, HistoryRow, count_days, history_page
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.plain import PlainTable
from diazlog.widgets.title_bar import TitleBar

# Column headers for the default symptoms; a user's own get their name cut short.
SHORT_NAMES = {
    "leg_pain": "Pain",
    "leg_weakness": "Weak",
    "cramps": "Cramp",
    "spasms": "Spasm",
    "fatigue": "Tired",
    "rebound_tension": "Rebnd",
}
# Short words for the Flags column: the count and the most urgent kind (legend: README, `?`).
RULE_LABELS = {
    "breathing": "breath",
    "overdose": "overdose",
    "severe_pain": "pain",
    "persistent_pain": "pain+",
    "confusion": "confus",
    "extreme_weakness": "weak",
    "repeated_falls": "falls",
    "severe_weakness": "weak",
    "persistent_weakness": "weak+",
    "rising_weakness": "weak↑",
    "severe_tension": "tense",
    "persistent_tension": "tense+",
    "rising_tension": "tense↑",
    "combination": "combo",
    "slower_breakdown": "slower",
    "faster_breakdown": "faster",
    "dose_cut": "cut",
    "gradual_cut": "cut",
    "stopped": "stop",
    "above_usual": "high",
    "fall": "fall",
}
# The mark before the count says the most urgent flag's level (models.Level; legend: README).
LEVEL_MARKS = {Level.EMERGENCY: "‼", Level.URGENT: "⚠", Level.TODAY: "!", Level.ASK: "?"}
FLAGS_WIDTH = 12
# Columns are drawn without cell padding, each one character wider than its content, so
# all of them fit 80 columns; the note takes what is left of the width (at least this).
GAP = 1
NOTE_MIN_WIDTH = 10
TABLE_MARGIN = 2
# Load the next page when the cursor comes this close to the last loaded row.
PREFETCH_ROWS = 10


def short_name(symptom: Symptom) -> str:
    return SHORT_NAMES.get(symptom.key, symptom.name[:6])


def rating_cell(value: int | None) -> Text:
    if value is None:
        return Text("·")  # not dimmed: dim text on the cursor row falls to 3:1
    return Text(str(value), style="bold" if value > limits.MODERATE_MAX else "")


def flags_cell(flags: tuple[Alert, ...]) -> Text:
    """How many flags and the most urgent one, its level as a mark (‼ ⚠ ! ?), never cut; ✓
    when a doctor has seen them all."""
    if not flags:
        return Text("")
    top = flags[0]
    seen = all(a.seen_on for a in flags)
    mark = "✓" if seen else LEVEL_MARKS[top.level]
    text = f"{mark}{len(flags)} {RULE_LABELS.get(top.rule, top.rule)}"
    if seen:
        return Text(text)  # the ✓ tells; dim text on the cursor row falls to 3:1
    return Text(text, style="bold" if top.level >= Level.TODAY else "")


class HistoryTable(PlainTable):
    """The days; enter opens the highlighted one in Today."""

    HELP_NAME = "Day list"
    BINDINGS = [Binding("enter", "screen.open_day", "Open in Today")]


class HistoryScreen(DiaryScreen):
    """Logged days one page at a time (keyset paging, so 10 years stay quick)."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("escape", "leave_filter", "Back to list", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._filter = HistoryFilter()
        self._symptoms: list[Symptom] = []
        self._dates: list[str] = []
        self._has_more = False
        self._total: int | None = None
        self._note_width = NOTE_MIN_WIDTH

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(
            placeholder="/ filter: type words or leg_pain>=6 or !", id="filter", compact=True
        )
        yield Label(HINT, id="filter-hint")
        yield HistoryTable(id="days", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "History"
        self._build_columns()
        self.reload()
        self.mark_loaded()
        self.query_one(HistoryTable).focus()

    def reload_data(self) -> None:
        self._build_columns()
        self.reload(keep=True)
        self.mark_loaded()

    def _build_columns(self) -> None:
        symptoms = list_symptoms(self.db)
        note_width = self._fitting_note_width(symptoms)
        if [s.id for s in symptoms] == [s.id for s in self._symptoms] and (
            note_width == self._note_width
        ):
            return
        self._symptoms = symptoms
        self._note_width = note_width
        table = self.query_one(HistoryTable)
        table.clear(columns=True)
        for label, width in self._fixed_columns(symptoms):
            table.add_column(label, width=width)
        table.add_column("Note", width=note_width)

    @staticmethod
    def _fixed_columns(symptoms: list[Symptom]) -> list[tuple[str, int]]:
        """(label, width) of every column but the note."""
        return [
            ("Date", 10 + GAP),
            *((short_name(s), max(3, len(short_name(s))) + GAP) for s in symptoms),
            ("mg", 3 + GAP),
            ("Flags", FLAGS_WIDTH + GAP),
        ]

    def _fitting_note_width(self, symptoms: list[Symptom]) -> int:
        """The note column takes the width left after the others, the vertical scrollbar
        and TABLE_MARGIN (with a page of rows, the table's scrollable region measured two
        columns narrower than the screen less its scrollbar).

        The table spans the screen, and the screen's size is already the new one when a
        Resize arrives (the table's is not yet).
        """
        table = self.query_one(HistoryTable)
        available = self.size.width or self.app.size.width
        used = sum(width for _, width in self._fixed_columns(symptoms))
        scrollbar = table.styles.scrollbar_size_vertical
        return max(NOTE_MIN_WIDTH, available - used - scrollbar - TABLE_MARGIN)

    def on_resize(self) -> None:
        """A wider or narrower terminal: refit the note column (the rows come back)."""
        if self._symptoms:
            before = self._note_width
            self._build_columns()
            if self._note_width != before:
                self.reload(keep=True)

    # -- loading ----------------------------------------------------------------------------

    def reload(self, *, keep: bool = False) -> None:
        """Show the first page again (after a filter change, or back from another screen).

        With keep=True as many rows as were loaded come back and the cursor stays on its day.
        """
        table = self.query_one(HistoryTable)
        highlighted = self.highlighted_date() if keep else None
        limit = max(PAGE_SIZE, len(self._dates)) if keep else PAGE_SIZE
        page = history_page(self.db, self._filter, limit=limit, now=self.now())
        table.clear()
        self._dates = []
        self._append(page.rows)
        self._has_more = page.has_more
        if highlighted in self._dates:
            table.move_cursor(row=self._dates.index(highlighted), animate=False)
        self._count()

    def _append(self, rows: tuple[HistoryRow, ...]) -> None:
        table = self.query_one(HistoryTable)
        for row in rows:
            mg = "" if row.diazepam_mg is None else f"{row.diazepam_mg:g}"
            table.add_row(
                row.date,
                *(rating_cell(row.ratings.get(s.id)) for s in self._symptoms),
                mg,
                flags_cell(row.flags),
                self._fit_note(row.note),
                key=row.date,
            )
            self._dates.append(row.date)

    def _fit_note(self, note: str) -> str:
        width = self._note_width - GAP
        return note if len(note) <= width else note[: width - 1] + "…"

    def load_more(self) -> bool:
        """Append the next page; False when every matching day is already shown."""
        if not self._has_more or not self._dates:
            return False
        page = history_page(self.db, self._filter, before=self._dates[-1], now=self.now())
        self._append(page.rows)
        self._has_more = page.has_more
        self._show_count()
        return True

    @work(thread=True, exclusive=True, group="history-count")
    def _count(self) -> None:
        """Count the matching days on a connection of this thread (it scans them all)."""
        from diazlog.store import open_database

        flt = self._filter
        now = self.now()
        db = open_database(self.app.db_path, create=False)  # type: ignore[attr-defined]
        try:
            total = count_days(db, flt, now)
        finally:
            db.close()
        self.app.call_from_thread(self._counted, flt, total)

    def _counted(self, flt: HistoryFilter, total: int) -> None:
        if flt == self._filter:
            self._total = total
            self._show_count()

    def _show_count(self) -> None:
        shown = len(self._dates)
        if self._total is None:
            counted = f"{shown:,}{'+' if self._has_more else ''}"
        else:
            counted = f"{self._total:,}"
        one = self._total == 1 or (self._total is None and shown == 1 and not self._has_more)
        if self._filter.is_empty:
            what = "logged day" if one else "logged days"
        else:
            what = "day matches" if one else "days match"
        more = f" · {shown:,} shown, scroll for more" if self._has_more else ""
        self.sub_title = f"{counted} {what}{more} · enter opens a day"

    def highlighted_date(self) -> str | None:
        table = self.query_one(HistoryTable)
        if not self._dates or table.cursor_row >= len(self._dates):
            return None
        return self._dates[table.cursor_row]

    # -- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        hint = self.query_one("#filter-hint", Label)
        try:
            flt = parse_filter(event.value, [s.key for s in self._symptoms])
        except InvalidInput as exc:
            hint.update(f"{exc}")
            hint.add_class("-error")
            return
        hint.update(HINT)
        hint.remove_class("-error")
        if flt != self._filter:
            self._filter = flt
            self._total = None
            self.reload()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(HistoryTable).focus()

    @on(DataTable.RowHighlighted, "#days")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._dates) - PREFETCH_ROWS:
            self.load_more()

    # -- actions ----------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave_filter(self) -> None:
        self.query_one(HistoryTable).focus()

    async def action_open_day(self) -> None:
        day = self.highlighted_date()
        if day is not None:
            await self.app.open_in_today(day)  # type: ignore[attr-defined]
