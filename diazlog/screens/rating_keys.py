"""Today's keys that bring the user back to the ratings, the start of a day.

A day is logged from the top: the ratings first, then the doses and the rest. So whatever
moved focus away (the dose list after `esc`, Water after `ctrl+s`, the last rating's move on
out of the grid), a new day, a save, `s`, or a digit typed outside a text field puts the user
back on the ratings, and the digit is not dropped: it rates the first row.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll

from diazlog.screens.base import DiaryScreen
from diazlog.widgets.rating_grid import RatingGrid, is_digit
from diazlog.widgets.today_fields import is_text_field


class RatingKeysScreen(DiaryScreen):
    """A screen with a `#ratings` grid inside a `#day-form` scroll (the Today screen)."""

    BINDINGS = [
        Binding("s", "focus_ratings", "Ratings", show=False, tooltip="Jump to the ratings"),
    ]

    def start_of_day(self) -> None:
        """Focus the first rating, the form scrolled to its top."""
        self.query_one("#day-form", VerticalScroll).scroll_home(animate=False)
        self.query_one("#ratings", RatingGrid).focus_first()

    def action_focus_ratings(self) -> None:
        self.start_of_day()

    def on_key(self, event: events.Key) -> None:
        """A digit no widget took (focus on the dose list, a tick box, nothing): it rates the
        first symptom instead of vanishing. Text fields take their digits themselves."""
        if (
            not is_digit(event)
            or is_text_field(self.focused)
            or isinstance(self.focused, RatingGrid)
        ):
            return
        event.stop()
        self.start_of_day()
        self.query_one("#ratings", RatingGrid).type_digit(int(event.character or "0"))
