"""Every 0-10 rating of a day in one focusable widget that draws its own lines.

One widget per row cost Today's first frame a mount, a restyle and a layout per symptom; one
widget with a row cursor draws the same lines (Textual's Line API: render_line returns a Strip).

A digit rates the cursor row and moves on to the next one, so six symptoms take six keys. A 1
waits for the next key instead (it may be the start of 10): 0 makes it 10 and moves on, another
digit moves on and rates the next row with it, any other key just ends the wait. No timer
decides anything, so the same keys always give the same ratings. Moving on past the last row
leaves the grid for the next widget, as tab would; up on the first row stays there (going on
up to the widget above, the note at the bottom of the form when focus wraps, sent the next
digits into the note).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from diazlog.domain import limits
from diazlog.domain.visible_text import one_line

DIGITS = "0123456789"  # not str.isdigit(): that also takes "²" and other digits int() refuses
CURSOR_MARK = "▸"  # drawn before the row the cursor is on, while the grid has focus
LABEL_WIDTH = 22
# The parts of a row drawn in their own colour; each has a twin on the cursor row's background.
PARTS = ("empty", "none", "mild", "moderate", "severe", "detail")


def is_digit(event: events.Key) -> bool:
    """Whether the key typed one of 0-9 (the keys that rate)."""
    return bool(event.character and len(event.character) == 1 and event.character in DIGITS)


@dataclass
class GridRow:
    """One rating: a symptom ("symptom-<id>") or how much the legs got in the way."""

    key: str
    label: str
    value: int | None = None
    """The rating, or None when it was not logged (different from 0)."""
    has_detail: bool = False
    """Whether onset, duration, legs, triggers or a note were given."""
    detailed: bool = True
    """Whether enter asks for those details (symptoms do; interference does not)."""


@dataclass(frozen=True)
class Heading:
    """A title between rows, drawn like a section label (a blank line above it); never the
    cursor's."""

    text: str


class RatingGrid(Widget, can_focus=True):
    """The Today screen's ratings: one line per row, a cursor on the row the keys act on."""

    # Each colour rule names the part and its twin on the cursor row: a twin's own background
    # makes Textual work out its text colour against that background (auto colours such as
    # $text-muted depend on it), exactly as the focused one-widget rows used to.
    DEFAULT_CSS = """
    RatingGrid { height: auto; width: 1fr; }
    RatingGrid > .rating-row--cursor,
    RatingGrid > .rating-row--cursor-empty,
    RatingGrid > .rating-row--cursor-none,
    RatingGrid > .rating-row--cursor-mild,
    RatingGrid > .rating-row--cursor-moderate,
    RatingGrid > .rating-row--cursor-severe,
    RatingGrid > .rating-row--cursor-detail { background: $accent 30%; }
    RatingGrid > .rating-row--empty, RatingGrid > .rating-row--cursor-empty {
        color: $text-muted;
    }
    RatingGrid > .rating-row--mild, RatingGrid > .rating-row--cursor-mild {
        color: $text-success;
    }
    RatingGrid > .rating-row--moderate, RatingGrid > .rating-row--cursor-moderate {
        color: $text-warning;
    }
    RatingGrid > .rating-row--severe, RatingGrid > .rating-row--cursor-severe {
        color: $text-error; text-style: bold;
    }
    RatingGrid > .rating-row--none, RatingGrid > .rating-row--cursor-none {
        color: $text-muted;
    }
    RatingGrid > .rating-row--detail, RatingGrid > .rating-row--cursor-detail {
        color: $text-accent;
    }
    RatingGrid > .rating-grid--heading { text-style: bold; color: $text-accent; }
    """
    HELP_NAME = "A rating"
    COMPONENT_CLASSES = {
        "rating-row--cursor",
        "rating-grid--heading",
        *(f"rating-row--{part}" for part in PARTS),
        *(f"rating-row--cursor-{part}" for part in PARTS),
    }
    BINDINGS = [
        Binding("right,plus", "nudge(1)", "+1", show=False),
        Binding("left,minus", "nudge(-1)", "-1", show=False),
        Binding("backspace,delete", "clear", "Not logged", show=False),
        Binding("enter", "details", "Details", show=False),
        Binding("down,j", "cursor_down", "Next", show=False),
        Binding("up,k", "cursor_up", "Previous", show=False),
    ]

    @dataclass
    class Changed(Message):
        """A row's rating was changed by the user (not by `put`)."""

        grid: RatingGrid
        row: GridRow

    @dataclass
    class DetailsRequested(Message):
        grid: RatingGrid
        row: GridRow

    @dataclass
    class ClearRequested(Message):
        """Backspace on a rating that has details: the screen asks before they go."""

        grid: RatingGrid
        row: GridRow

    def __init__(self, lines: Iterable[GridRow | Heading] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[GridRow | Heading | None] = []  # None: the blank line of a heading
        self._rows: list[GridRow] = []
        self._y_of: dict[str, int] = {}
        self._cursor = 0  # index in _rows
        # The last key was a 1 on the cursor row: a 0 next makes it 10.
        self._after_one = False
        # focus_row() chose the row: focus arriving does not move the cursor to an end.
        self._pinned = False
        self.set_lines(lines)

    # -- the rows ---------------------------------------------------------------------------

    def set_lines(self, lines: Iterable[GridRow | Heading]) -> None:
        """Show these rows and headings; the cursor stays on its row if that is still here."""
        key = self.cursor_key
        self._lines = []
        for line in lines:
            if isinstance(line, Heading):
                self._lines.append(None)
            self._lines.append(line)
        self._rows = [line for line in self._lines if isinstance(line, GridRow)]
        self._y_of = {
            line.key: y for y, line in enumerate(self._lines) if isinstance(line, GridRow)
        }
        keys = [row.key for row in self._rows]
        self._cursor = keys.index(key) if key in keys else 0
        self._after_one = False
        self.refresh(layout=True)

    @property
    def rows(self) -> list[GridRow]:
        """The rows in order (headings left out); change them with put / set_value."""
        return list(self._rows)

    def row(self, key: str) -> GridRow:
        return self._rows[self._index(key)]

    def value_of(self, key: str) -> int | None:
        return self.row(key).value

    @property
    def cursor_key(self) -> str | None:
        """The key of the row the keys act on (None when there are no rows)."""
        return self._rows[self._cursor].key if self._rows else None

    def line_of(self, key: str) -> int:
        """The row's line in the grid (render_line's y)."""
        return self._y_of[key]

    def row_region(self, key: str) -> Region:
        """Where the row is on the screen."""
        x, y, width, _ = self.region
        return Region(x, y + self.line_of(key), width, 1)

    def put(self, key: str, value: int | None) -> None:
        """Show `value` without telling the screen (loading a day, copying one)."""
        self.row(key).value = value
        self._refresh_row(key)

    def show_detail(self, key: str, has_detail: bool) -> None:
        """Show (or stop showing) "✎ details" on the row."""
        self.row(key).has_detail = has_detail
        self._refresh_row(key)

    def set_value(self, key: str, value: int | None) -> None:
        """Set a rating and tell the screen (unlike `put`, which is silent)."""
        if value is not None:
            value = max(limits.RATING_MIN, min(limits.RATING_MAX, value))
        row = self.row(key)
        if value != row.value:
            row.value = value
            self._refresh_row(key)
            self.post_message(self.Changed(self, row))

    def _index(self, key: str) -> int:
        for index, row in enumerate(self._rows):
            if row.key == key:
                return index
        raise KeyError(key)

    def _refresh_row(self, key: str) -> None:
        self.refresh(Region(0, self._y_of[key], self.size.width, 1))

    # -- drawing ----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        line = self._lines[y] if 0 <= y < len(self._lines) else None
        base = self.rich_style
        if isinstance(line, Heading):
            heading = self.get_component_rich_style("rating-grid--heading")
            return Strip([Segment(line.text, heading)]).adjust_cell_length(width, base)
        if line is None:
            return Strip.blank(width, base)
        on_cursor = self.has_focus and line is self._rows[self._cursor]
        if on_cursor:
            base = self.get_component_rich_style("rating-row--cursor")
        # One column of padding each side, like the rows were drawn before; the left one marks
        # the cursor row with a character, so it shows without colour too (NO_COLOR).
        text = self._row_text(line, on_cursor, base)
        text.truncate(max(0, width - 2), overflow="ellipsis")
        marker = CURSOR_MARK if on_cursor else " "
        segments = [Segment(marker, base), *text.render(self.app.console), Segment(" ", base)]
        return Strip(segments).adjust_cell_length(width, base)

    def _row_text(self, row: GridRow, on_cursor: bool, base: Style) -> Text:
        """The row as before: label, ten cells, the value in words, "✎ details"."""

        def style(part: str) -> Style:
            name = f"rating-row--cursor-{part}" if on_cursor else f"rating-row--{part}"
            return self.get_component_rich_style(name)

        text = Text(no_wrap=True, overflow="ellipsis", style=base, end="")
        text.append(f"{one_line(row.label)[: LABEL_WIDTH - 1]:<{LABEL_WIDTH}}")
        value = row.value
        if value is None:
            text.append("·" * limits.RATING_MAX, style("empty"))
            text.append("   not logged", style("empty"))
        else:
            word = limits.band(value)
            text.append("■" * value, style(word))
            text.append("·" * (limits.RATING_MAX - value), style("empty"))
            text.append(f" {value:>2} {word}", style(word))
        if row.has_detail:
            text.append("  ✎ details", style("detail"))
        return text

    # -- the cursor and focus ---------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def focus_first(self) -> None:
        """Put the cursor on the first row and focus the grid (the start of a day)."""
        if self._rows:
            self.focus_row(self._rows[0].key)
        else:
            self.focus()

    def focus_row(self, key: str) -> None:
        """Put the cursor on `key`'s row and focus the grid."""
        self._move_to(self._index(key))
        if self.screen.focused is not self:
            self._pinned = True
            self.focus()

    def _focus_moved(self, old: Widget | None, new: Widget | None) -> None:
        """Focus coming from the widget below lands on the last row, from above on the first
        (tab wrapping round from the end counts as from above), as it did with one widget per
        row; a jump from further away (a click, a key) leaves the cursor where it was."""
        if new is not self or old is None or not self._rows:
            return
        if self._pinned:
            self._pinned = False
            return
        chain = self.screen.focus_chain
        if old not in chain or self not in chain:
            return
        here, there, size = chain.index(self), chain.index(old), len(chain)
        # No scrolling here: keys that move focus scroll to the cursor row themselves (see
        # virtual_region_with_margin), and a click must not move the row under the pointer.
        if there == (here - 1) % size:
            self._move_to(0, scroll=False)
        elif there == (here + 1) % size:
            self._move_to(len(self._rows) - 1, scroll=False)

    def on_focus(self) -> None:
        self._pinned = False

    def on_blur(self) -> None:
        self._after_one = False

    def _move_to(self, index: int, *, scroll: bool = True) -> None:
        before = self.cursor_key
        self._cursor = index
        self._after_one = False
        if before is not None and before in self._y_of:
            self._refresh_row(before)
        if (key := self.cursor_key) is not None:
            self._refresh_row(key)
            if scroll:
                self.scroll_visible(animate=False)

    @property
    def virtual_region_with_margin(self) -> Region:
        """Where scrolling to the grid aims: its cursor row (Textual scrolls a widget into
        view through this region, when it gets focus and on scroll_visible)."""
        region = super().virtual_region_with_margin
        key = self.cursor_key
        if key is None or key not in self._y_of:
            return region
        x, y, width, _ = self.virtual_region
        return Region(x, y + self.styles.gutter.top + self._y_of[key], width, 1)

    def _step(self, direction: int) -> bool:
        """Move the cursor a row; past the last one focus leaves the grid, before the first
        it stays. Whether the cursor is still in the grid."""
        target = self._cursor + direction
        if 0 <= target < len(self._rows):
            self._move_to(target)
            return True
        if direction > 0:
            self.screen.focus_next()
            return False
        self._move_to(0)
        return True

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def on_click(self, event: events.Click) -> None:
        y = event.y - self.styles.gutter.top
        line = self._lines[y] if 0 <= y < len(self._lines) else None
        if isinstance(line, GridRow):
            self._move_to(self._index(line.key))

    # -- rating -----------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if not is_digit(event):
            self._after_one = False
            return
        event.stop()
        event.prevent_default()
        self.type_digit(int(event.character or "0"))

    def type_digit(self, digit: int) -> None:
        """A digit typed on the grid (or sent here by the screen when typed elsewhere)."""
        after_one, self._after_one = self._after_one, False
        if not self._rows:
            return
        if after_one and digit != 0:  # 1 was this row's rating: this digit is the next row's
            if self._step(1):
                self._rate(digit)
            return
        self._rate(10 if after_one else digit)

    def _rate(self, value: int) -> None:
        """A digit typed on the cursor row: set it, then move on (a 1 waits for a possible 0)."""
        key = self.cursor_key
        assert key is not None
        self.set_value(key, value)
        if value == 1:
            self._after_one = True
        else:
            self._step(1)

    def action_nudge(self, step: int) -> None:
        if (key := self.cursor_key) is not None:
            value = self.value_of(key)
            self.set_value(key, 0 if value is None else value + step)

    def action_clear(self) -> None:
        if (key := self.cursor_key) is None:
            return
        row = self.row(key)
        if row.has_detail and row.value is not None:
            self.post_message(self.ClearRequested(self, row))
            return
        self.set_value(key, None)

    def action_details(self) -> None:
        if (key := self.cursor_key) is not None and self.row(key).detailed:
            self.post_message(self.DetailsRequested(self, self.row(key)))
