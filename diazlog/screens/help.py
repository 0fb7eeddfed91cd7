"""`?`: every key of the screen the user is on, gathered from the bindings themselves.

Built from BINDINGS (shown or hidden) rather than a hand-kept list, so it cannot go stale.
"""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


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
    """(where, keys, what) for the screen, our widgets on it, then the app-wide keys."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(where: str, bindings: list[Binding]) -> None:
        for binding in bindings:
            what = binding.description or binding.action
            if (where, what) in seen or not binding.description:
                continue
            seen.add((where, what))
            keys = binding.key_display or ", ".join(_pretty(k) for k in binding.key.split(","))
            rows.append((where, keys, binding.tooltip or what))

    screen_name = getattr(screen, "HELP_NAME", type(screen).__name__.removesuffix("Screen"))
    add(screen_name, _bindings_of(type(screen)))
    widget_types = {
        type(w) for w in screen.walk_children() if type(w).__module__.startswith("diazlog")
    }
    for widget_type in sorted(widget_types, key=lambda t: t.__name__):
        add(getattr(widget_type, "HELP_NAME", widget_type.__name__), _bindings_of(widget_type))
    add("Anywhere", list(Binding.make_bindings(app_bindings)))
    rows.append(("Anywhere", "ctrl+p", "Command palette: every action by name"))
    return rows


def _pretty(key: str) -> str:
    names = {
        "left_square_bracket": "[",
        "right_square_bracket": "]",
        "question_mark": "?",
        "space": "space",
        "ctrl+s": "ctrl+s",
    }
    return names.get(key, key)


class HelpScreen(ModalScreen[None]):
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
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("What it does")
        for where, keys, what in self.rows:
            table.add_row(where, keys, what)
        with VerticalScroll():
            yield Static(table, id="help-keys")
            if self.notes:
                yield Static(self.notes, id="help-notes")
