"""`?`: every key of the screen the user is on, gathered from the bindings themselves.

Built from BINDINGS (shown or hidden) rather than a hand-kept list, so it cannot go stale.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import Screen
from textual.widgets import Static

from diazlog.dialogs.base import Dialog


def _bindings_of(owner: type) -> list[Binding]:
    """Our own bindings of `owner` and its bases; Textual's generic ones (focus next, scroll,
    copy …) would only bury the keys a newcomer needs."""
    found: list[Binding] = []
    for klass in reversed(owner.__mro__):
        if not klass.__module__.startswith("diazlog"):
            continue
        for item in klass.__dict__.get("BINDINGS", []):
            found.extend(Binding.make_bindings([item]) if not isinstance(item, Binding) else [item])
    return found


def key_rows(screen: Screen, app_bindings: list[BindingType]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for the screen, our widgets on it, then the app-wide keys.

    Keys that do the same thing in the same place share a row ("p, w, r … | Show or hide a
    symptom"), so every key is listed once and none is dropped.
    """
    rows: list[tuple[str, str, str]] = []
    row_of: dict[tuple[str, str], int] = {}

    def add(where: str, bindings: list[Binding]) -> None:
        for binding in bindings:
            if not binding.description:
                continue
            what = binding.tooltip or binding.description
            keys = binding.key_display or ", ".join(_pretty(k) for k in binding.key.split(","))
            if (where, what) in row_of:
                index = row_of[(where, what)]
                rows[index] = (where, f"{rows[index][1]}, {keys}", what)
                continue
            row_of[(where, what)] = len(rows)
            rows.append((where, keys, what))

    add(help_name(type(screen)), _bindings_of(type(screen)))
    widget_types = {
        type(w) for w in screen.walk_children() if type(w).__module__.startswith("diazlog")
    }
    for widget_type in sorted(widget_types, key=lambda t: t.__name__):
        add(help_name(widget_type), _bindings_of(widget_type))
    add("Anywhere", list(Binding.make_bindings(app_bindings)))
    rows.append(("Anywhere", "ctrl+p", "Command palette: every action by name"))
    return rows


def help_name(owner: type) -> str:
    """What a person calls the screen or widget: its HELP_NAME, else its class name in words
    ("TodayScreen" → "Today", "MedicineTable" → "Medicine table"): never an identifier."""
    name = getattr(owner, "HELP_NAME", None)
    if name:
        return str(name)
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", owner.__name__.removesuffix("Screen"))
    return " ".join(words).capitalize() or owner.__name__


KEY_WIDTH = 24
# Keys whose Textual name is a word for a symbol.
_SYMBOLS = {"plus": "+", "minus": "-", "slash": "/"}


def _pretty(key: str) -> str:
    """The key as a person types it: "!" for exclamation_mark, "[" for left_square_bracket;
    keys with a name (enter, delete, space, ctrl+s, right) keep it."""
    character = key_to_character(key)
    if character is not None and character.isprintable() and not character.isspace():
        return character
    return _SYMBOLS.get(key, key)


class HelpScreen(Dialog[None]):
    """A scrollable table of keys; escape or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help")]

    def __init__(self, screen: Screen, app_bindings: list[BindingType], notes: str = "") -> None:
        super().__init__()
        self.rows = key_rows(screen, app_bindings)
        self.notes = notes

    def compose(self) -> ComposeResult:
        table = Table(title="Keys (esc closes)", expand=True, show_edge=False)
        table.add_column("Where", style="bold", no_wrap=True)
        # Wraps after a comma, so a long list of keys leaves room for what they do.
        table.add_column("Key", style="bold", max_width=KEY_WIDTH)
        table.add_column("What it does")
        # Plain Text, never markup: "[" and "]" (keys, and words in the notes) must show as typed.
        for where, keys, what in self.rows:
            table.add_row(Text(where), Text(keys), Text(what))
        with VerticalScroll():
            yield Static(table, id="help-keys")
            if self.notes:
                yield Static(self.notes, id="help-notes", markup=False)
