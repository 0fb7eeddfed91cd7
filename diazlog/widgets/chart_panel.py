"""A plotext chart that shows a plain message instead when there is nothing to draw.

Built on textual-plotext's PlotextPlot (plotext 5): it already follows the app theme for the
canvas and text, and the charts here are simple enough that its wrapper is all we need.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from diazlog.widgets.plain import plain

RGB = tuple[int, int, int]

# With NO_COLOR every series is told apart by its marker instead of its colour; these
# read both as a line and as a bar fill.
NO_COLOR_MARKERS = ("•", "+", "x", "o", "*", "#", "=", "%")


@dataclass(frozen=True)
class ChartStyle:
    """Colours and markers for a chart's series, from the app's theme (or NO_COLOR)."""

    colors: tuple[RGB, ...] | None
    dark: bool = True

    def color(self, index: int) -> RGB | None:
        return None if self.colors is None else self.colors[index % len(self.colors)]

    def marker(self, index: int, line: str = "braille") -> str:
        """A fine line in colour; a distinct character per series without colour."""
        if self.colors is None:
            return NO_COLOR_MARKERS[index % len(NO_COLOR_MARKERS)]
        return line

    @property
    def no_color(self) -> bool:
        return self.colors is None


def style_for(app: object) -> ChartStyle:
    """Series colours from the current Textual theme, so they read on light and dark alike."""
    theme = app.current_theme  # type: ignore[attr-defined]
    if getattr(app, "no_color", False):
        return ChartStyle(None, theme.dark)
    names: Sequence[str | None] = (
        theme.primary,
        theme.warning,
        theme.success,
        theme.accent,
        theme.error,
        theme.secondary,
    )
    colors = tuple(_readable(Color.parse(c), theme.dark).rgb for c in names if c)
    return ChartStyle(colors or None, theme.dark)


def _readable(color: Color, dark: bool) -> Color:
    """Lighten a colour too dim for a dark background, darken one too pale for a light one."""
    if dark and color.brightness < 0.45:
        return color.lighten(0.45 - color.brightness)
    if not dark and color.brightness > 0.6:
        return color.darken(color.brightness - 0.6)
    return color


class ChartPlot(PlotextPlot):
    """PlotextPlot that notes when it last drew (for tests and bench/bench_charts.py)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.drawn_at = 0.0
        self.draws = 0

    def render(self):
        result = super().render()
        self.drawn_at = time.perf_counter()
        self.draws += 1
        return result


class ChartPanel(Vertical):
    """One chart, or a message where it would be ("nothing logged yet"): never a blank panel."""

    DEFAULT_CSS = """
    ChartPanel {
        height: 1fr;
    }
    ChartPanel > ChartPlot {
        height: 1fr;
    }
    ChartPanel > .chart-message {
        display: none;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $text-muted;
        padding: 0 2;
    }
    ChartPanel.-message > ChartPlot {
        display: none;
    }
    ChartPanel.-message > .chart-message {
        display: block;
    }
    """

    def compose(self) -> ComposeResult:
        yield ChartPlot()
        yield Static("", classes="chart-message")

    @property
    def plot(self) -> ChartPlot:
        return self.query_one(ChartPlot)

    @property
    def message(self) -> str:
        """The message on show, or "" while the chart is drawn."""
        if not self.has_class("-message"):
            return ""
        return str(self.query_one(".chart-message", Static).content)

    def draw(self, painter: Callable[[Plot], None]) -> None:
        """Clear the figure, let `painter` fill it, and show it."""
        plot = self.plot
        plot.theme = "auto"  # under NO_COLOR Textual greys it out; markers tell series apart
        plot.plt.clear_figure()
        painter(plot.plt)
        self.remove_class("-message")
        plot.refresh()

    def show_message(self, text: str) -> None:
        """A line in place of the chart; plain text (it quotes symptom names, never markup)."""
        self.query_one(".chart-message", Static).update(plain(text))
        self.add_class("-message")
