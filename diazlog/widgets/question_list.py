"""The doctor checklist: questions in three groups, each with its tick, facts and answer."""

from __future__ import annotations

from datetime import date

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from diazlog.domain.models import Question
from diazlog.domain.questions import ORIGIN_TITLES, ORIGINS, short_date
from diazlog.domain.visible_text import visible

EMPTY_GROUP = {
    "builtin": "All hidden: press v to show them.",
    "generated": "Nothing in your recent data calls for a question.",
    "mine": "No questions of your own yet: press a to add one.",
}


def question_prompt(question: Question) -> Table:
    """Tick, then the question with its facts and the doctor's answer hanging beneath it."""
    # No "dim" here: dimmed text on the highlighted row falls below 4.5:1
    # (tests/screens/test_contrast.py); italic and strike set the lines apart instead.
    text = Text(visible(question.text), style="strike" if question.hidden else "")
    if question.hidden:
        text.append("  (hidden)", style="italic")
    if question.facts:
        text.append(f"\nFrom your data: {visible(question.facts)}", style="italic")
    if question.asked_on:
        text.append(f"\nAsked {short_date(question.asked_on)}", style="italic")
    if question.answer:
        text.append(("\n" if not question.asked_on else " · ") + "Answer: ", style="bold")
        text.append(visible(question.answer))
    grid = Table.grid(expand=True)
    grid.add_column(width=4, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text("[x]" if question.asked else "[ ]", style="bold"), text)
    return grid


def question_id(option: Option | None) -> int | None:
    if option is None or not option.id or not option.id.startswith("q-"):
        return None
    return int(option.id.removeprefix("q-"))


def nearest_first(current: int | None, listed: list[int]) -> list[int]:
    """`current`, then the others ordered by distance from it (the one below before above).

    When the highlighted question leaves the list, the highlight lands on the nearest one.
    """
    if current not in listed:
        return []
    at = listed.index(current)
    order = sorted(range(len(listed)), key=lambda i: (abs(i - at), i < at))
    return [listed[i] for i in order]


class QuestionList(OptionList):
    """The checklist; space ticks, enter writes the answer (both act on the screen)."""

    HELP_NAME = "Checklist"
    BINDINGS = [
        Binding("space", "screen.toggle_asked", "Asked", tooltip="Tick or untick as asked"),
        Binding("enter", "screen.answer", "Answer", tooltip="Write the doctor's answer"),
        Binding("shift+up", "screen.move(-1)", "Move up", show=False),
        Binding("shift+down", "screen.move(1)", "Move down", show=False),
    ]

    def show(self, questions: list[Question], show_hidden: bool) -> None:
        """Replace the options, keeping the highlight on the same question or its neighbour.

        Keys act on the highlighted question, so a rebuild (v, x, a tick) must not move the
        highlight elsewhere: x right after v would otherwise hide another question.
        """
        wanted = nearest_first(self.current, self.listed())
        options: list[Option] = []
        for origin in ORIGINS:
            group = [q for q in questions if q.origin == origin and (show_hidden or not q.hidden)]
            title = Content.from_markup(f"[bold $text-accent]{ORIGIN_TITLES[origin]}[/]")
            options.append(Option(title, id=f"head-{origin}", disabled=True))
            if not group:
                options.append(Option(Text(f"    {EMPTY_GROUP[origin]}"), disabled=True))
            options += [Option(question_prompt(q), id=f"q-{q.id}") for q in group]
        self.set_options(options)
        listed = self.listed()
        choice = next((q for q in wanted if q in listed), listed[0] if listed else None)
        if choice is not None:
            self.highlighted = self.get_option_index(f"q-{choice}")

    def listed(self) -> list[int]:
        """The ids of the questions on the list, top to bottom (headings left out)."""
        return [i for i in map(question_id, self.options) if i is not None]

    @property
    def current(self) -> int | None:
        """The id of the highlighted question, if a question (not a heading) is highlighted."""
        return question_id(self.highlighted_option)


def visit_title(day: str, with_whom: str) -> str:
    """ "Thu 03 Dec 2026 with Dr Patel": how a visit is named on screen and in the report."""
    label = date.fromisoformat(day).strftime("%a %d %b %Y")
    return f"{label} with {with_whom}" if with_whom else label
