"""The footer: the screen's main keys on one line, drawn by a single widget.

Textual's Footer mounts one widget per key and rebuilds them on every focus change; on the
Today screen that alone cost ~90 ms of the ~330 ms to the first frame (bench_startup.py).
One line of styled text shows the same keys for a fraction of that.
"""

from __future__ import annotations

from rich.text import Text
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
            entries.append(([key], binding.description, enabled))
        for description_of_group, index in groups.items():
            keys, _, enabled = entries[index]
            if len(keys) > 1:
                entries[index] = (keys, description_of_group, enabled)
        for keys, description, enabled in entries:
            text.append(f" {''.join(keys)} ", key_style if enabled else disabled_style)
            text.append(description, "" if enabled else disabled_style)
        if palette is None or not self.app.ENABLE_COMMAND_PALETTE:
            return text
        # The palette hint stays at the right edge, as in Textual's Footer; keys give way.
        hint = Text.assemble((f" {self.app.get_key_display(palette)} ", key_style), "palette")
        room = max(0, self.size.width - hint.cell_len)
        if text.cell_len > room:
            text.truncate(room, overflow="ellipsis")
        text.pad_right(room - text.cell_len)
        return text + hint
