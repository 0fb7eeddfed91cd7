"""A focusable 0-10 rating: digits set it, left/right nudge it, backspace clears to "not logged".

A digit rates the row and moves on to the next one, so six symptoms take six keys. A 1 waits
for the next key instead (it may be the start of 10): 0 makes it 10 and moves on, another digit
moves on and rates the next row with it, any other key just ends the wait. No timer decides
anything, so the same keys always give the same ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from diazlog.domain import limits

DIGITS = "0123456789"  # not str.isdigit(): that also takes "²" and other digits int() refuses


class RatingRow(Widget, can_focus=True):
    """One symptom (or interference) row on the Today screen."""

    DEFAULT_CSS = """
    RatingRow { height: 1; width: 1fr; padding: 0 1; }
    RatingRow:focus { background: $accent 30%; }
    RatingRow > .rating-row--empty { color: $text-muted; }
    RatingRow > .rating-row--mild { color: $text-success; }
    RatingRow > .rating-row--moderate { color: $text-warning; }
    RatingRow > .rating-row--severe { color: $text-error; text-style: bold; }
    RatingRow > .rating-row--none { color: $text-muted; }
    RatingRow > .rating-row--detail { color: $text-accent; }
    """
    HELP_NAME = "A rating"
    COMPONENT_CLASSES = {
        "rating-row--empty",
        "rating-row--none",
        "rating-row--mild",
        "rating-row--moderate",
        "rating-row--severe",
        "rating-row--detail",
    }
    BINDINGS = [
        Binding("right,plus", "nudge(1)", "+1", show=False),
        Binding("left,minus", "nudge(-1)", "-1", show=False),
        Binding("backspace,delete", "clear", "Not logged", show=False),
        Binding("enter", "details", "Details", show=False),
        Binding("down,j", "app.focus_next", "Next", show=False),
        Binding("up,k", "app.focus_previous", "Previous", show=False),
    ]

    value: reactive[int | None] = reactive(None, init=False)
    """The rating, or None when the symptom was not logged (different from 0)."""
    has_detail: reactive[bool] = reactive(False, init=False)
    """Whether onset, duration, legs, triggers or a note were given."""

    @dataclass
    class Changed(Message):
        row: RatingRow

    @dataclass
    class DetailsRequested(Message):
        row: RatingRow

    @dataclass
    class ClearRequested(Message):
        """Backspace on a rating that has details: the screen asks before they go."""

        row: RatingRow

    def __init__(
        self,
        label: str,
        *,
        key: str,
        value: int | None = None,
        detailed: bool = True,
        label_width: int = 22,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.key = key
        self.detailed = detailed
        self.label_width = label_width
        # The last key was a 1 on this row: a 0 next makes it 10.
        self._after_one = False
        self.set_reactive(RatingRow.value, value)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{self.label[: self.label_width - 1]:<{self.label_width}}")
        value = self.value
        if value is None:
            text.append("·" * limits.RATING_MAX, self.get_component_rich_style("rating-row--empty"))
            text.append("   not logged", self.get_component_rich_style("rating-row--empty"))
        else:
            word = limits.band(value)
            style = self.get_component_rich_style(f"rating-row--{word}")
            text.append("■" * value, style)
            text.append(
                "·" * (limits.RATING_MAX - value),
                self.get_component_rich_style("rating-row--empty"),
            )
            text.append(f" {value:>2} {word}", style)
        if self.has_detail:
            text.append("  ✎ details", self.get_component_rich_style("rating-row--detail"))
        return text

    def set_value(self, value: int | None) -> None:
        """Set the rating and tell the screen (unlike assigning `value`, which is silent)."""
        if value is not None:
            value = max(limits.RATING_MIN, min(limits.RATING_MAX, value))
        if value != self.value:
            self.value = value
            self.post_message(self.Changed(self))

    def on_key(self, event) -> None:
        after_one, self._after_one = self._after_one, False
        if not (event.character and len(event.character) == 1 and event.character in DIGITS):
            return
        event.stop()
        event.prevent_default()
        digit = int(event.character)
        if after_one and digit != 0:  # 1 was this row's rating: this digit is the next row's
            following = self.screen.focus_next()
            if isinstance(following, RatingRow) and following is not self:
                following.rate(digit)
            return
        self.rate(10 if after_one else digit)

    def rate(self, value: int) -> None:
        """A digit typed on this row: set it, then move on (a 1 waits for a possible 0)."""
        self.set_value(value)
        if value == 1:
            self._after_one = True
        else:
            self.screen.focus_next()

    def on_blur(self) -> None:
        self._after_one = False

    def action_nudge(self, step: int) -> None:
        self.set_value(0 if self.value is None else self.value + step)

    def action_clear(self) -> None:
        if self.has_detail and self.value is not None:
            self.post_message(self.ClearRequested(self))
            return
        self.set_value(None)

    def action_details(self) -> None:
        if self.detailed:
            self.post_message(self.DetailsRequested(self))

    def watch_value(self) -> None:
        self.refresh()

    def watch_has_detail(self) -> None:
        self.refresh()
