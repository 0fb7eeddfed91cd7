"""Every character the app draws is readable: WCAG AA contrast, in both of diazlog's themes.

Measured on what is really drawn, not on the stylesheet: each screen (and its ? help) is
rendered headless and every character cell's foreground and background colour, after Textual
has resolved the theme's variables, alpha blending, `auto` text colours and `dim`, goes
through the WCAG 2.x relative-luminance formula. Text needs 4.5:1 (WCAG 1.4.3, AA). WCAG sets
no minimum for text of an inactive (disabled) control; we still ask 3:1 there so a greyed key
can be read. Placeholders inside empty fields are text a person reads, so they need 4.5:1 too.
A shape drawn on its own (the ▼ of a drop-down list, a ● or a row of ■) is an icon, held to the
3:1 of WCAG 1.4.11 (non-text contrast).

Not text, so not measured: borders, block and line glyphs (U+2500-U+259F: frames, scroll
bars, chart bars) and braille (U+2800-U+28FF: chart lines), the faint X of an unticked box
(the "off" state; the label beside it is measured), and the screen dimmed behind a dialog.

Colour states the demo day does not show by itself (every rating band, each kind of red-flag
banner, the error lines under fields) are switched on before measuring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, OptionList, RadioButton, Static

from diazlog.app import DiazlogApp
from diazlog.domain import limits
from diazlog.store import open_database
from diazlog.store.queries.settings import set_setting
from diazlog.themes import DARK, LIGHT
from diazlog.widgets.key_bar import KeyBar
from diazlog.widgets.rating_grid import RatingGrid
from tests.support.helpers import NOW, settle

TEXT = 4.5  # WCAG 1.4.3 contrast (minimum), level AA
INACTIVE = 3.0  # ours: WCAG exempts text of inactive controls altogether
ICON = 3.0  # WCAG 1.4.11 non-text contrast: a shape on its own (▼ of a list, ● ■ marks)

SIZE = (100, 40)
CURSOR_ROWS = 12  # History rows the cursor visits: enough for not-logged and seen-flag cells
# Graphics, not text: borders, blocks, scroll bars, bars (2500-259F) and braille chart lines.
NOT_TEXT = re.compile(r"[\s\u2500-\u259f\u2800-\u28ff]+")
# Geometric shapes (25A0-25FF): drawn alone they are icons, held to 3:1 (beside words, 4.5:1).
SHAPES = re.compile(r"[\u25a0-\u25ff]+")


def relative_luminance(color: Color) -> float:
    """WCAG 2.x relative luminance of an opaque sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast_ratio(one: Color, other: Color) -> float:
    """WCAG 2.x contrast ratio, 1 to 21, whichever colour is the lighter."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    """Black on white is 21:1, a colour on itself 1:1, and #777777 on white the 4.48:1 that
    WCAG's own examples give (the grey that just fails AA)."""
    white, black = Color.parse("#ffffff"), Color.parse("#000000")
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    assert contrast_ratio(white, black) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)
    assert contrast_ratio(Color.parse("#777777"), white) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)


@dataclass(frozen=True)
class Low:
    """Text drawn below its minimum contrast: where, what, and the two colours."""

    where: str
    widget: str
    text: str
    color: str
    background: str
    ratio: float
    minimum: float


def _widget_name(widget: Widget) -> str:
    return type(widget).__name__ + (f"#{widget.id}" if widget.id else "")


def _is_inactive(widget: Widget, segment: Segment) -> bool:
    if widget.disabled:
        return True
    if isinstance(widget, KeyBar) and segment.style is not None:
        return segment.style == widget.get_component_rich_style("key-bar--disabled")
    return False


def _is_unticked_box(widget: Widget, text: str) -> bool:
    return (
        isinstance(widget, (Checkbox, RadioButton))  # Textual's two ToggleButtons
        and not widget.value
        and text.strip() == widget.BUTTON_INNER
    )


def low_contrast(screen: Screen, where: str, within: Region | None = None) -> list[Low]:  # type: ignore[type-arg]
    """Every run of text on `screen` (inside `within`) drawn below its minimum contrast."""
    found: dict[tuple[str, str, str, str], Low] = {}
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text, style = segment.text, segment.style
            start, x = x, x + segment.cell_length
            if style is None or not NOT_TEXT.sub("", text):
                continue
            if within is not None and not within.contains(start, y):
                continue
            assert style.color is not None and style.bgcolor is not None, (where, text)
            fg = Color.from_rich_color(style.color)
            bg = Color.from_rich_color(style.bgcolor)
            if style.reverse:
                fg, bg = bg, fg
            widget, _ = screen.get_widget_at(start, y)
            if _is_unticked_box(widget, text):
                continue
            if _is_inactive(widget, segment):
                minimum = INACTIVE
            elif SHAPES.fullmatch(NOT_TEXT.sub("", text)):
                minimum = ICON
            else:
                minimum = TEXT
            ratio = contrast_ratio(fg, bg)
            if ratio < minimum:
                name = _widget_name(widget)
                key = (name, fg.hex, bg.hex, f"{minimum}")
                found.setdefault(
                    key, Low(where, name, text.strip(), fg.hex, bg.hex, round(ratio, 2), minimum)
                )
    return list(found.values())


def app_with_theme(path: Path, theme: str) -> DiazlogApp:
    db = open_database(path)
    set_setting(db, "theme", theme)
    set_setting(db, "welcomed", "1")
    return DiazlogApp(db, path, clock=lambda: NOW)


RATING_SAMPLES = (None, 0, limits.MILD_MAX, limits.MODERATE_MAX, limits.RATING_MAX)


def show_every_rating(screen: Screen) -> None:  # type: ignore[type-arg]
    """Rows in every band (not logged, none, mild, moderate, severe), some with ✎ details;
    the focused row (its own background) is a moderate one."""
    grid = screen.query_one("#ratings", RatingGrid)
    rows = grid.rows
    assert len(rows) >= len(RATING_SAMPLES)
    for index, row in enumerate(rows):
        grid.put(row.key, RATING_SAMPLES[index % len(RATING_SAMPLES)])
        grid.show_detail(row.key, index % 2 == 0)
    bands = {limits.band(row.value) for row in grid.rows if row.value is not None}
    assert {"none", "mild", "moderate", "severe"} <= bands
    grid.focus_row(rows[RATING_SAMPLES.index(limits.MODERATE_MAX)].key)


def show_errors(screen: Screen) -> None:  # type: ignore[type-arg]
    for line in screen.query(".field-error").results(Static):
        line.update("Must be a number from 0 to 100")
        line.display = True


async def measure_states(pilot: Pilot, key: str) -> list[Low]:
    """The screen as it is, then in the colour states it can be in."""
    screen = pilot.app.screen
    lows = low_contrast(screen, key)
    if key == "t":
        show_every_rating(screen)
        show_errors(screen)
        banner = screen.query_one("#banner", Static)
        for kind in ("-emergency", "-urgent", "-today", "-doctor", "-seen"):
            banner.update("⚠ Leg pain 9: seek immediate medical attention")
            banner.set_classes(kind)
            banner.display = True
            await settle(pilot)
            lows += low_contrast(screen, f"t {kind} banner")
    if key == "d":  # the highlight on each question in turn (facts, asked, hidden lines)
        checklist = screen.query_one("#checklist", OptionList)
        for index in range(checklist.option_count):
            checklist.highlighted = index
            await settle(pilot)
            lows += low_contrast(screen, f"d question {index}")
    if key == "h":  # the cursor on each of the first rows (not logged ·, seen ✓ flags)
        days = screen.query_one("#days", DataTable)
        for row in range(min(days.row_count, CURSOR_ROWS)):
            days.move_cursor(row=row)
            await settle(pilot)
            lows += low_contrast(screen, f"h row {row}")
        hint = screen.query_one("#filter-hint", Static)
        hint.update("Not a filter: leg_pain>=eleven")
        hint.add_class("-error")
        await settle(pilot)
        lows += low_contrast(screen, "h error")
    return lows


async def tour(pilot: Pilot) -> list[Low]:
    lows: list[Low] = []
    for key in "tcdhm":
        await pilot.press(key)
        await settle(pilot)
        lows += await measure_states(pilot, key)
        await pilot.press("question_mark")
        await settle(pilot)
        help_box = pilot.app.screen.query_one("VerticalScroll")
        lows += low_contrast(pilot.app.screen, f"{key} ?", help_box.region)
        await pilot.press("escape")
        await settle(pilot)
    return lows


def report(lows: Iterable[Low]) -> str:
    return "\n".join(
        f"{low.where:>12} {low.widget:32} {low.color} on {low.background} "
        f"{low.ratio:.2f} < {low.minimum} {low.text[:30]!r}"
        for low in lows
    )


@pytest.mark.parametrize("theme", [DARK.name, LIGHT.name])
async def test_every_text_colour_reaches_aa(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = app_with_theme(demo_path, theme)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == theme and not app.no_color
        lows = await tour(pilot)
    once = {(low.widget, low.color, low.background): low for low in lows}
    assert not once, "\n" + report(once.values())


@pytest.mark.parametrize(
    ("saved", "opens"),
    [
        pytest.param("textual-light", LIGHT.name, id="earlier-light"),
        pytest.param("textual-dark", DARK.name, id="earlier-dark"),
        pytest.param(LIGHT.name, LIGHT.name, id="light"),
        pytest.param("nord", "nord", id="another-textual-theme"),
        pytest.param("no-such-theme", DARK.name, id="unknown"),
    ],
)
async def test_saved_theme_opens_as_a_readable_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str, opens: str
) -> None:
    """A theme saved by an earlier version (Textual's own two) opens as diazlog's readable
    theme of the same kind; any other theme the user chose is kept."""
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    app = app_with_theme(db_path, saved)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == opens
        assert app.current_theme.dark == (opens != LIGHT.name)


@pytest.mark.parametrize("theme", [DARK.name, LIGHT.name])
async def test_welcome_and_a_dialog_reach_aa(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, theme: str
) -> None:
    """The first-run welcome, and a dialog with its error lines showing (the dialogs share one
    stylesheet, widgets/dialogs.py)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    db = open_database(db_path)
    set_setting(db, "theme", theme)
    app = DiazlogApp(db, db_path, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "WelcomeScreen"
        lows = low_contrast(app.screen, "welcome", app.screen.query_one("#welcome").region)
        app.pop_screen()
        await settle(pilot)
        await pilot.press("a")  # add a dose
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "DoseDialog"
        show_errors(dialog)
        await settle(pilot)
        lows += low_contrast(dialog, "dose dialog", dialog.query_one("Vertical").region)
    assert not lows, "\n" + report(lows)


@pytest.mark.parametrize("saved", [LIGHT.name, DARK.name])
async def test_the_first_frame_is_already_in_the_saved_theme(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str
) -> None:
    """No frame in Textual's default colours before the user's theme (it used to be set
    after the first frame, which then changed colour)."""
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    app = app_with_theme(db_path, saved)
    themes_drawn: list[str] = []
    display = app._display

    def recording_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            themes_drawn.append(app.theme)
        display(screen, renderable)

    app._display = recording_display  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await pilot.pause()
    assert themes_drawn and set(themes_drawn) == {saved}
