"""What each chart draws with plotext: the painters a `ChartPanel.draw` calls.

Moved out of screens/charts.py so the screen keeps layout, keys and loading, and the
plotext details (gaps as gaps, markers that differ without colour, y labels of one width)
live in one place. Every painter takes data already computed and a `ChartStyle`; none reads
the diary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from rich.text import Text
from textual_plotext.plot import Plot

from diazlog.domain.dose_changes import BeforeAfter, DoseMarks
from diazlog.domain.trend_groups import GroupMean
from diazlog.widgets.chart_panel import ChartStyle

Painter = Callable[[Plot], None]

Y_LABEL_WIDTH = 5
# Without colour each day's rating is this character; the 7-day lines use NO_COLOR_MARKERS.
DAILY_NO_COLOR_MARKER = "·"


def short_day(day: str, long_range: bool) -> str:
    """An x label: "3 Sep", or "Sep 2026" over a long range."""
    value = date.fromisoformat(day)
    return f"{value:%b %Y}" if long_range else f"{value.day} {value:%b}"


def segments(values: Sequence[float | None]) -> list[tuple[list[int], list[float]]]:
    """Runs of consecutive logged points: a gap in the data is a gap in the line."""
    runs: list[tuple[list[int], list[float]]] = []
    current: tuple[list[int], list[float]] | None = None
    for x, value in enumerate(values):
        if value is None:
            current = None
            continue
        if current is None:
            current = ([], [])
            runs.append(current)
        current[0].append(x)
        current[1].append(value)
    return runs


def y_labels(ticks: list[float], unit: str = "") -> list[str]:
    """Y labels of one width, so the plots above each other line up."""
    return [f"{t:g}{unit}".rjust(Y_LABEL_WIDTH) for t in ticks]


def x_ticks(starts: tuple[str, ...], count: int, long_range: bool) -> tuple[list[int], list[str]]:
    """About `count` evenly spaced x labels, the last column labelled when there is room."""
    if not starts:
        return [], []
    step = max(1, (len(starts) - 1) // max(1, count - 1))
    positions = list(range(0, len(starts), step))
    if positions[-1] != len(starts) - 1 and len(starts) - 1 - positions[-1] >= step / 2:
        positions.append(len(starts) - 1)
    return positions, [short_day(starts[p], long_range) for p in positions]


def rating_lines_painter(
    lines: Sequence[tuple[int, Sequence[float | None], Sequence[float | None]]],
    daily_dots: bool,
    last: float,
    style: ChartStyle,
) -> Painter:
    """Over time: per symptom (colour index, each day's values, rolling mean) dots and a line."""

    def paint(plt: Plot) -> None:
        plt.xlim(-0.5, last)
        plt.ylim(0, 10)
        plt.yticks([0, 5, 10], y_labels([0, 5, 10]))
        plt.xticks([])
        for index, values, rolling in lines:
            color = style.color(index)
            if daily_dots:
                # Each day's rating: a dot in colour; without colour a "·", never
                # the series marker the 7-day line is drawn with.
                daily = DAILY_NO_COLOR_MARKER if style.no_color else "dot"
                for xs, ys in segments(values):
                    plt.scatter(xs, ys, marker=daily, color=color)
            for xs, ys in segments(rolling):
                if len(xs) == 1:
                    plt.scatter(xs, ys, marker=style.marker(index, "●"), color=color)
                else:
                    plt.plot(xs, ys, marker=style.marker(index), color=color)

    return paint


def doses_painter(
    marks: DoseMarks, last: float, ticks: tuple[list[int], list[str]], style: ChartStyle
) -> Painter:
    """Over time, below: diazepam mg as bars, a 0 on logged days without a dose."""
    high = marks.top or 1.0

    def paint(plt: Plot) -> None:
        if marks.bar_x:
            plt.bar(
                list(marks.bar_x),
                list(marks.bar_mg),
                width=0.6,
                reset_ticks=False,
                color=style.color(5),
            )
        if marks.zero_x:  # logged days without diazepam: a 0 on the baseline
            plt.scatter(
                list(marks.zero_x),
                [0.0] * len(marks.zero_x),
                marker="0",
                color=style.color(5),
            )
        plt.xlim(-0.5, last)
        plt.ylim(0, high * 1.15)
        y_ticks = [0.0, round(marks.top, 1)] if marks.top else [0.0]
        plt.yticks(y_ticks, y_labels(y_ticks, "mg"))
        plt.xticks([float(x) for x in ticks[0]], ticks[1])

    return paint


def groups_painter(
    names: list[str],
    groups: Sequence[tuple[int, tuple[GroupMean, ...]]],
    style: ChartStyle,
    xlabel: str = "",
) -> Painter:
    """Bars per group (hour, weekday, hours since a dose), one colour per symptom index."""

    def paint(plt: Plot) -> None:
        values = [[m.mean or 0.0 for m in g] for _, g in groups]
        indexes = [index for index, _ in groups]
        # plotext's .pyi stub lags the code: multiple_bar takes a list of colours/markers.
        plt.multiple_bar(
            names,
            values,
            color=None if style.no_color else [style.color(i) for i in indexes],  # type: ignore[arg-type]
            marker=[style.marker(i, "sd") for i in indexes],  # type: ignore[arg-type]
            width=0.6,
        )
        plt.ylim(0, 10)
        plt.yticks([0, 5, 10], y_labels([0, 5, 10]))
        if xlabel:
            plt.xlabel(xlabel)

    return paint


def before_after_painter(rows: Sequence[tuple[str, BeforeAfter]], style: ChartStyle) -> Painter:
    """Before / after: two bars per symptom name, before and from the change on."""

    def paint(plt: Plot) -> None:
        names = [name for name, _ in rows]
        before = [ba.before or 0.0 for _, ba in rows]
        after = [ba.after or 0.0 for _, ba in rows]
        colors = None if style.no_color else [style.color(1), style.color(0)]
        # plotext's .pyi stub lags the code: multiple_bar takes labels= and lists.
        plt.multiple_bar(  # type: ignore[call-arg]
            names,
            [before, after],
            labels=["before", "after"],
            color=colors,  # type: ignore[arg-type]
            marker=["░", "█"] if style.no_color else None,  # type: ignore[arg-type]
        )
        plt.ylim(0, 10)
        plt.yticks([0, 5, 10], y_labels([0, 5, 10]))

    return paint


def rgb(style: ChartStyle, index: int) -> str:
    """A series colour as Rich style text ("rgb(1,2,3)"), or "" without colour."""
    color = style.color(index)
    return f"rgb({color[0]},{color[1]},{color[2]})" if color else ""


def named_line(name: str, index: int, style: ChartStyle, rest: str) -> Text:
    """A line under a chart: the symptom's name in its series colour (or after its marker
    without colour), then `rest`."""
    text = Text()
    if style.no_color:
        text.append(f"{style.marker(index)} ")
    text.append(name, style=f"bold {rgb(style, index)}".strip())
    text.append(f": {rest}")
    return text


def symptom_bar(names: Sequence[str], chosen: Sequence[bool], keys: str, style: ChartStyle) -> Text:
    """The bar above the charts: each symptom's toggle key and name, lit when it is shown."""
    bar = Text()
    for index, (name, shown) in enumerate(zip(names, chosen, strict=False)):
        if index:
            bar.append("  ")
        if style.no_color:
            mark = style.marker(index) if shown else " "
            bar.append(f"{keys[index]}{mark}", style="bold")
            bar.append(name, style="" if shown else "dim")
            continue
        color = rgb(style, index)
        bar.append(keys[index], style=f"bold reverse {color}" if shown else "bold")
        bar.append(" ")
        bar.append(name, style=f"bold {color}" if shown else "dim")
    return bar
