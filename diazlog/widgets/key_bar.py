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

    def _bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.action == "command_palette":
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            text.append(
                f" {self.app.get_key_display(binding)} ",
                disabled_style if not enabled else key_style,
            )
            text.append(f"{binding.description} ", disabled_style if not enabled else "")
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            text.append(f" {self.app.get_key_display(palette)} ", key_style)
            text.append("palette ")
        return text
