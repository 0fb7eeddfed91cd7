"""The footer: the screen's main keys on one line, drawn by a single widget.

Textual's Footer mounts one widget per key and rebuilds them on every focus change; on the
Today screen that alone cost ~90 ms of the ~330 ms to the first frame (bench_startup.py).
One line of styled text shows the same keys for a fraction of that.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """Shown keys of the active bindings (screen, focused widget, app), then ^p palette."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .key-bar--disabled { color: $text-disabled; }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--disabled"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Where each single key was drawn, (start, end, key, enabled): a tap on it presses it,
        # as on Textual's Footer, so a phone's browser without ctrl can still save (^s).
        self._spans: list[tuple[int, int, str, bool]] = []

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        # Entries in order: (keys, description, enabled); a binding group is one entry whose
        # keys are written together ("tcdhm Screens"), as Textual's Footer does.
        entries: list[tuple[list[str], str, bool]] = []
        first_key: dict[int, str] = {}  # entry -> the key a tap presses (not for a group)
        groups: dict[str, int] = {}
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "command_palette":
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            group = binding.group
            if group is not None and group.description in groups:
                entries[groups[group.description]][0].append(key)
                continue
            if group is not None:
                groups[group.description] = len(entries)
            first_key[len(entries)] = binding.key.split(",")[0].strip()
            entries.append(([key], binding.description, enabled))
        for description_of_group, index in groups.items():
            keys, _, enabled = entries[index]
            if len(keys) > 1:
                entries[index] = (keys, description_of_group, enabled)
        spans: list[tuple[int, int, str, bool]] = []
        for index, (keys, description, enabled) in enumerate(entries):
            start = text.cell_len
            text.append(f" {''.join(keys)} ", key_style if enabled else disabled_style)
            text.append(description, "" if enabled else disabled_style)
            if len(keys) == 1 and index in first_key:
                spans.append((start, text.cell_len, first_key[index], enabled))
        self._spans = spans
        if palette is None or not self.app.ENABLE_COMMAND_PALETTE:
            return text
        # The palette hint stays at the right edge, as in Textual's Footer; keys give way.
        hint = Text.assemble((f" {self.app.get_key_display(palette)} ", key_style), "palette")
        room = max(0, self.size.width - hint.cell_len)
        if text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
            self._spans = [span for span in spans if span[1] < room]  # the cut one is not tapped
        text.pad_right(room - text.cell_len)
        return text + hint
