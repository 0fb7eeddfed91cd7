"""Every day starts at its first rating (diazlog/screens/rating_keys.py): backfilling with the
README's keys after `esc` `[`, digits typed outside the ratings, `s`, `↑` on the first row and
the focus after `ctrl+s`."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TextArea

from diazlog.store import open_database
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from tests.conftest import diazepam_medication, ratings
from tests.screens.test_daily_loop import SIZE, TYPICAL_DAY, rows_of, type_at_once
from tests.support.helpers import TODAY, settle

README_RATINGS = (6, 4, 3, 2, 5, 3)


def _shown(app, key: str) -> str:  # type: ignore[no-untyped-def]
    """The rating's line as drawn on screen."""
    grid = ratings(app)
    return grid.render_line(grid.line_of(key)).text


def _day(offset: int) -> str:
    return (date.fromisoformat(TODAY) - timedelta(days=offset)).isoformat()


@pytest.mark.parametrize("typing", ["one-key-at-a-time", "all-at-once"])
async def test_backfilling_three_days_with_the_readme_keys_keeps_every_rating(
    make_app, db_path: Path, typing: str
) -> None:
    db = open_database(db_path)
    save_medication(db, diazepam_medication())
    ids = [s.id for s in list_symptoms(db)][:6]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        async def type_keys(keys: tuple[str, ...]) -> None:
            if typing == "all-at-once":
                await type_at_once(pilot, keys)
            else:
                await pilot.press(*keys)
            await settle(pilot)

        await type_keys(TYPICAL_DAY)
        for back in (1, 2, 3):
            await type_keys(("escape", "left_square_bracket", *TYPICAL_DAY))
            assert app.screen.day == _day(back)
            assert not app.screen.dirty, app.screen.sub_title
            # On screen: each rating as typed, the cursor back on the first one.
            grid = ratings(app)
            assert app.screen.focused is grid and grid.cursor_key == f"symptom-{ids[0]}"
            for symptom_id, value in zip(ids, README_RATINGS, strict=True):
                assert grid.value_of(f"symptom-{symptom_id}") == value
                assert f" {value} " in _shown(app, f"symptom-{symptom_id}")
            assert grid.value_of("walking_interference") is None
            assert "not logged" in _shown(app, "walking_interference")
    for back in (0, 1, 2, 3):
        day = _day(back)
        saved = rows_of(db_path, "SELECT symptom_id, intensity FROM ratings WHERE date = ?", (day,))
        assert sorted(saved) == sorted(zip(ids, README_RATINGS, strict=True)), day
        numbers = rows_of(
            db_path,
            "SELECT walking_interference, activity_min, water_glasses FROM days WHERE date = ?",
            (day,),
        )
        assert numbers == [(None, 45, 6)], day
        doses = rows_of(
            db_path, "SELECT taken_at, amount FROM doses WHERE taken_at LIKE ?", (f"{day}%",)
        )
        assert sorted(doses) == [(f"{day}T08:00", 5), (f"{day}T20:00", 5)], day


async def test_digits_outside_a_text_field_rate_the_first_symptom(make_app, db_path: Path) -> None:
    save_medication(open_database(db_path), diazepam_medication())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = ratings(app)
        first, second = (row.key for row in grid.rows[:2])
        app.screen.query_one("#doses", DataTable).focus()
        await pilot.press("7", "1", "0")  # on the dose list: the first, then 10 on the next
        assert (grid.value_of(first), grid.value_of(second)) == (7, 10)
        app.screen.query_one("#flag-fall").focus()
        await pilot.press("2")
        assert grid.value_of(first) == 2 and app.screen.focused is grid
        # In a text field a digit is the field's.
        await pilot.press("l", "3")
        assert app.screen.query_one("#field-activity_min", Input).value == "3"
        assert grid.value_of(first) == 2
        await pilot.press("escape", "f", "4")
        assert app.screen.query_one("#field-note", TextArea).text == "4"
        assert grid.value_of(first) == 2


async def test_s_jumps_to_the_ratings_and_up_on_the_first_stays(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = ratings(app)
        first = grid.rows[0].key
        await pilot.press("5", "down", "r", "s")  # from the red-flag ticks
        assert app.screen.focused is grid and grid.cursor_key == first
        await pilot.press("up", "up", "4", "3")  # ↑ on Leg pain: no wrap to the note
        assert (grid.value_of(first), grid.value_of(grid.rows[1].key)) == (4, 3)
        assert app.screen.query_one("#field-note", TextArea).text == ""
        await pilot.press("f", "s")  # s in the note is a letter of the note
        assert app.screen.query_one("#field-note", TextArea).text == "s"


async def test_after_ctrl_s_the_next_day_key_changes_day(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket", "5", "l", "3", "0", "tab", "6", "ctrl+s")
        await settle(pilot)
        assert app.screen.day == _day(1) and not app.screen.dirty
        assert app.screen.focused is ratings(app)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.day == TODAY
    assert rows_of(db_path, "SELECT water_glasses FROM days WHERE date = ?", (_day(1),)) == [(6,)]
