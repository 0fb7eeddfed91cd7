"""The rating grid on its own: keys, focus in and out, the mouse, what the screen is told."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Input

from diazlog.widgets.rating_grid import GridRow, Heading, RatingGrid

HEADING = "How much the legs got in the way (0-10)"


def rows() -> list[GridRow | Heading]:
    return [
        GridRow("symptom-1", "Leg pain"),
        GridRow("symptom-2", "Cramps", value=4, has_detail=True),
        GridRow("symptom-3", "Fatigue"),
        Heading(HEADING),
        GridRow("walking_interference", "Walking (got in way)", detailed=False),
    ]


class GridApp(App[None]):
    """An input above the grid and one below, as on Today (the note above, doses below)."""

    def __init__(self, lines: list[GridRow | Heading] | None = None) -> None:
        super().__init__()
        self.lines = rows() if lines is None else lines
        self.told: list[tuple[str, str, int | None]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Input(id="above")
            yield RatingGrid(self.lines, id="ratings")
            yield Input(id="below")

    def on_mount(self) -> None:
        self.query_one(RatingGrid).focus()

    def on_rating_grid_changed(self, message: RatingGrid.Changed) -> None:
        self.told.append(("changed", message.row.key, message.row.value))

    def on_rating_grid_details_requested(self, message: RatingGrid.DetailsRequested) -> None:
        self.told.append(("details", message.row.key, message.row.value))

    def on_rating_grid_clear_requested(self, message: RatingGrid.ClearRequested) -> None:
        self.told.append(("clear?", message.row.key, message.row.value))


def grid_of(app: App[None]) -> RatingGrid:
    return app.query_one(RatingGrid)


async def test_each_digit_rates_a_row_and_the_last_moves_on_out_of_the_grid() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.press("3")
        assert grid.cursor_key == "symptom-2" and app.focused is grid
        await pilot.press("0", "7")
        assert grid.cursor_key == "walking_interference"  # the heading is skipped
        await pilot.press("5")
        assert app.focused is app.query_one("#below")
        assert [row.value for row in grid.rows] == [3, 0, 7, 5]
        # One message per change, with the row's key.
        assert app.told == [
            ("changed", "symptom-1", 3),
            ("changed", "symptom-2", 0),
            ("changed", "symptom-3", 7),
            ("changed", "walking_interference", 5),
        ]


async def test_one_waits_for_a_zero_and_another_digit_rates_the_next_row() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.press("1")
        assert grid.value_of("symptom-1") == 1 and grid.cursor_key == "symptom-1"
        await pilot.press("0")
        assert grid.value_of("symptom-1") == 10 and grid.cursor_key == "symptom-2"
        await pilot.press("1", "6")
        assert grid.value_of("symptom-2") == 1
        assert grid.value_of("symptom-3") == 6
        assert grid.cursor_key == "walking_interference"
        # A 1 then a 1: the second 1 rates the next row and waits there in turn.
        grid.focus_row("symptom-1")
        await pilot.press("1", "1", "0")
        assert [grid.value_of(k) for k in ("symptom-1", "symptom-2")] == [1, 10]
        assert grid.cursor_key == "symptom-3"


async def test_any_other_key_ends_the_wait_for_a_zero() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.press("1", "right")
        assert grid.value_of("symptom-1") == 2 and grid.cursor_key == "symptom-1"
        await pilot.press("0")  # no longer the 0 of a 10
        assert grid.value_of("symptom-1") == 0 and grid.cursor_key == "symptom-2"


async def test_a_digit_after_a_one_on_the_last_row_leaves_and_rates_nothing_else() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        grid.focus_row("walking_interference")
        await pilot.press("1", "4")
        assert grid.value_of("walking_interference") == 1
        below = app.query_one("#below", Input)
        assert app.focused is below and below.value == ""  # the 4 was not typed there


async def test_up_stays_on_the_first_row_down_leaves_at_the_last_and_focus_comes_back() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.press("up", "k")  # no wrap round to the widget above (the note on Today)
        assert app.focused is grid and grid.cursor_key == "symptom-1"
        app.query_one("#above").focus()
        await pilot.press("tab")  # from above: the first row
        assert app.focused is grid and grid.cursor_key == "symptom-1"
        await pilot.press("down", "j", "down")
        assert grid.cursor_key == "walking_interference"
        await pilot.press("down")
        assert app.focused is app.query_one("#below")
        await pilot.press("shift+tab")  # from below: the last row
        assert app.focused is grid and grid.cursor_key == "walking_interference"
        await pilot.press("k", "up")
        assert grid.cursor_key == "symptom-2"
        await pilot.press("tab")  # tab leaves the grid, wherever the cursor is
        assert app.focused is app.query_one("#below")


async def test_backspace_clears_but_asks_first_when_the_rating_has_details() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        grid.focus_row("symptom-2")
        await pilot.press("backspace")
        assert grid.value_of("symptom-2") == 4  # the screen asks, then clears
        assert app.told == [("clear?", "symptom-2", 4)]
        grid.show_detail("symptom-2", False)
        await pilot.press("delete")
        assert grid.value_of("symptom-2") is None
        assert app.told[-1] == ("changed", "symptom-2", None)
        await pilot.press("backspace")  # already not logged: nothing to tell
        assert len(app.told) == 2


async def test_enter_asks_for_details_of_symptoms_only() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        grid.focus_row("symptom-2")
        await pilot.press("enter")
        assert app.told == [("details", "symptom-2", 4)]
        grid.focus_row("walking_interference")
        await pilot.press("enter")
        assert app.told == [("details", "symptom-2", 4)]


async def test_nudges_start_at_zero_and_stay_within_0_to_10() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.press("left")
        assert grid.value_of("symptom-1") == 0
        await pilot.press("minus")
        assert grid.value_of("symptom-1") == 0
        await pilot.press("right", "plus", "plus")
        assert grid.value_of("symptom-1") == 3
        grid.focus_row("symptom-2")
        await pilot.press(*["right"] * 8)
        assert grid.value_of("symptom-2") == 10
        assert grid.cursor_key == "symptom-2"  # nudging never moves on


async def test_a_click_puts_the_cursor_on_that_row_and_the_heading_takes_none() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        app.query_one("#below").focus()
        await pilot.pause()
        await pilot.click(RatingGrid, offset=(3, grid.line_of("symptom-3")))
        assert app.focused is grid and grid.cursor_key == "symptom-3"
        await pilot.click(RatingGrid, offset=(3, grid.line_of("walking_interference") - 1))
        assert grid.cursor_key == "symptom-3"
        await pilot.press("8")
        assert grid.value_of("symptom-3") == 8


async def test_rows_are_drawn_as_before_and_only_the_focused_cursor_row_is_highlighted() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        await pilot.pause()

        def line(key: str) -> str:
            return grid.render_line(grid.line_of(key)).text

        # One column of padding (the cursor mark on the focused cursor row: it shows without
        # colour too), then the label padded to 22 columns and the ten cells.
        assert line("symptom-1").startswith("▸Leg pain              ··········   not logged")
        assert line("symptom-2").startswith(
            " Cramps                ■■■■······  4 moderate  ✎ details"
        )
        assert grid.render_line(grid.line_of("walking_interference") - 1).text.startswith(HEADING)
        assert grid.render_line(grid.line_of("walking_interference") - 2).text.strip() == ""
        cursor = grid.get_component_rich_style("rating-row--cursor").bgcolor
        assert cursor is not None

        def backgrounds(key: str) -> set[object]:
            return {s.style.bgcolor for s in grid.render_line(grid.line_of(key)) if s.style}

        assert backgrounds("symptom-1") == {cursor}
        assert cursor not in backgrounds("symptom-2")
        app.query_one("#below").focus()
        await pilot.pause()
        assert cursor not in backgrounds("symptom-1")
        assert line("symptom-1").startswith(" Leg pain")  # no mark without focus


async def test_moving_the_cursor_scrolls_its_row_into_view() -> None:
    many: list[GridRow | Heading] = [GridRow(f"symptom-{i}", f"Symptom {i}") for i in range(30)]
    app = GridApp(many)
    async with app.run_test(size=(60, 12)) as pilot:
        grid = grid_of(app)
        form = app.query_one("#form", VerticalScroll)

        def shown(key: str) -> bool:
            return form.region.contains_region(grid.row_region(key))

        await pilot.press(*["down"] * 25)
        await pilot.pause()
        assert grid.cursor_key == "symptom-25" and shown("symptom-25")
        assert not shown("symptom-0")
        await pilot.press(*["up"] * 20)
        await pilot.pause()
        assert grid.cursor_key == "symptom-5" and shown("symptom-5")
        # Coming back from below lands on the last row, scrolled into view.
        app.query_one("#below").focus()
        await pilot.pause()
        grid.focus_row("symptom-0")
        await pilot.pause()
        assert shown("symptom-0")
        app.query_one("#below").focus()
        await pilot.pause()
        await pilot.press("shift+tab")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert grid.cursor_key == "symptom-29" and shown("symptom-29")


async def test_new_lines_keep_the_cursor_on_its_row() -> None:
    app = GridApp()
    async with app.run_test() as pilot:
        grid = grid_of(app)
        grid.focus_row("symptom-3")
        grid.set_lines([GridRow("symptom-0", "New"), *rows()])
        await pilot.pause()
        assert grid.cursor_key == "symptom-3"
        assert grid.region.height == 7  # a line per row, two for the heading
        assert grid.row_region("symptom-0") == Region(*grid.region.offset, grid.region.width, 1)


async def test_a_click_from_the_widget_below_neither_scrolls_nor_misses_its_row() -> None:
    many: list[GridRow | Heading] = [GridRow(f"symptom-{i}", f"Symptom {i}") for i in range(30)]
    app = GridApp(many)
    async with app.run_test(size=(60, 12)) as pilot:
        grid = grid_of(app)
        form = app.query_one("#form", VerticalScroll)
        app.query_one("#below").focus()
        await pilot.pause()
        form.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(RatingGrid, offset=(3, grid.line_of("symptom-2")))
        await pilot.pause()
        assert app.focused is grid and grid.cursor_key == "symptom-2"
        assert form.scroll_y == 0
