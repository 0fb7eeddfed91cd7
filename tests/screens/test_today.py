"""The Today screen driven by keys, checked on screen and in the database."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, Label, Static, TextArea

from diazlog.app import DiazlogApp
from diazlog.domain.models import DayLog
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from diazlog.widgets.rating_grid import RatingGrid
from diazlog.widgets.title_bar import TitleBar
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, TODAY


def grid(app) -> RatingGrid:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#ratings", RatingGrid)


def value(app, key: str) -> int | None:  # type: ignore[no-untyped-def]
    return grid(app).value_of(key)


def drawn(app, key: str) -> str:  # type: ignore[no-untyped-def]
    """The row's line as the grid draws it."""
    return grid(app).render_line(grid(app).line_of(key)).text


def symptom_ids(db_path: Path) -> dict[str, int]:
    return {s.key: s.id for s in list_symptoms(open_database(db_path))}


async def test_opens_on_today_with_defaults(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.current_mode == "today"
        assert app.screen.day == TODAY
        names = [r.label for r in grid(app).rows if r.key.startswith("symptom-")]
        assert names == [
            "Leg pain",
            "Leg weakness",
            "Cramps",
            "Spasms",
            "Fatigue",
            "Rebound tension",
        ]
        assert "Wed 25 Nov 2026 (today)" in app.screen.sub_title
        assert "not logged" in drawn(app, "symptom-1")
        assert [r.label for r in grid(app).rows][-2:] == [
            "Walking (got in way)",
            "Sleep (got in way)",
        ]
        assert str(app.screen.query_one(TitleBar).render()) == (
            "Today — Wed 25 Nov 2026 (today) · not logged yet"
        )


async def test_digits_rate_and_ctrl_s_saves(make_app, db_path: Path) -> None:
    ids = symptom_ids(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        grid(app).focus_row(f"symptom-{ids['leg_pain']}")
        # A digit rates the row and moves on to the next one.
        await pilot.press("6", "0", "right", "right", "right")
        assert app.screen.dirty
        assert "unsaved" in app.screen.sub_title
        assert "● unsaved changes" in str(app.screen.query_one(TitleBar).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.screen.dirty
        assert str(app.screen.query_one(TitleBar).render()).endswith("· saved")
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    by_id = {r.symptom_id: r.intensity for r in saved.ratings}
    # 0 is stored as a rating; symptoms left alone are not logged at all.
    assert by_id == {ids["leg_pain"]: 6, ids["leg_weakness"]: 0, ids["cramps"]: 2}


async def test_one_then_zero_makes_ten_and_backspace_unlogs(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        ratings = grid(app)
        ratings.focus_row("symptom-1")
        await pilot.press("1")
        assert ratings.value_of("symptom-1") == 1
        assert ratings.cursor_key == "symptom-1"  # a 1 waits: it may be the start of 10
        await pilot.press("0")
        assert ratings.value_of("symptom-1") == 10
        assert ratings.cursor_key == "symptom-2"  # 10 done: on to the next
        assert app.screen.focused is ratings
        await pilot.press("1", "3")  # 1, then another digit: it rates the next row
        assert ratings.value_of("symptom-2") == 1
        assert ratings.value_of("symptom-3") == 3
        await pilot.press("up", "up", "up", "backspace")
        assert ratings.value_of("symptom-1") is None


async def test_reopening_shows_what_was_saved(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        grid(app).focus_row("symptom-2")
        await pilot.press("4")
        app.screen.query_one("#field-activity_min", Input).value = "45"
        app.screen.query_one("#field-note", TextArea).text = "Walked to the park"
        await pilot.press("ctrl+s")
    again = make_app()
    async with again.run_test() as pilot:
        await pilot.pause()
        assert value(again, "symptom-2") == 4
        assert again.screen.query_one("#field-activity_min", Input).value == "45"
        assert again.screen.query_one("#field-note", TextArea).text == "Walked to the park"
        assert "saved" in again.screen.sub_title


async def test_bad_minutes_shows_message_and_saves_nothing(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        grid(app).focus_row("symptom-1")
        await pilot.press("5")
        app.screen.query_one("#field-activity_min", Input).focus()
        await pilot.press("a", "b", "c", "ctrl+s")
        await pilot.pause()
        message = app.screen.query_one("#error-activity_min", Label)
        assert message.display
        assert "'abc' is not a number" in str(message.render())
        assert app.screen.focused is app.screen.query_one("#field-activity_min", Input)
    assert load_day(open_database(db_path), TODAY) is None


async def test_huge_note_is_refused(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#field-note", TextArea).text = "x" * 100_000
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "100,000 characters" in str(app.screen.query_one("#error-note", Label).render())
    assert load_day(open_database(db_path), TODAY) is None


async def test_previous_and_next_day_never_past_today(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("]")
        assert app.screen.day == TODAY
        await pilot.press("[")
        assert app.screen.day == "2026-11-24"
        assert "(yesterday)" in app.screen.sub_title
        await pilot.press("]")
        assert app.screen.day == TODAY


async def test_leaving_unsaved_day_asks_first(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        grid(app).focus_row("symptom-1")
        await pilot.press("7", "[")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "UnsavedChanges"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.day == TODAY and app.screen.dirty
        await pilot.press("[")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.day == "2026-11-24"
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None and saved.ratings[0].intensity == 7


async def test_severe_pain_banner_appears_at_once(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        assert not banner.display
        grid(app).focus_row("symptom-1")
        await pilot.press("8")
        await pilot.pause()
        assert banner.display
        assert "Severe leg pain (8/10)" in str(banner.render())
        # The seed's own red flag, at the seed's strength.
        assert "SEEK MEDICAL ATTENTION NOW" in str(banner.render())
        assert "seek immediate medical attention" in str(banner.render())
        assert banner.has_class("-urgent")


async def test_breathing_tick_says_call_emergency_services(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#flag-breathing").focus()
        await pilot.press("space")
        await pilot.pause()
        banner = app.screen.query_one("#banner", Static)
        assert banner.has_class("-emergency") and not banner.has_class("-urgent")
        assert "CALL EMERGENCY SERVICES" in str(banner.render())


async def test_usual_dose_key_adds_diazepam_now(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    save_medication(
        db,
        diazepam_medication(),
    )
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("u", "ctrl+s")
        await pilot.pause()
        assert "Diazepam today: 5 mg" in str(app.screen.query_one("#dose-summary", Label).render())
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert [(d.time, d.amount) for d in saved.doses] == [("21:30", 5.0)]


async def test_copy_previous_day_ratings(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("[")
        grid(app).focus_row("symptom-3")
        await pilot.press("4", "ctrl+s", "]")
        await pilot.pause()
        assert value(app, "symptom-3") is None
        await pilot.press("y")
        assert value(app, "symptom-3") == 4
        assert app.screen.dirty


async def test_add_own_symptom(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Restless legs", "enter")
        await pilot.pause()
        ratings = grid(app)
        assert "Restless legs" in [r.label for r in ratings.rows]
        assert app.focused is ratings
        assert ratings.cursor_key is not None
        assert ratings.row(ratings.cursor_key).label == "Restless legs"
        await pilot.press("4", "ctrl+s")  # rates the new symptom, not the note
        await pilot.pause()
    new_id = symptom_ids(db_path)["restless_legs"]
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None and saved.note == ""
    assert {r.symptom_id: r.intensity for r in saved.ratings} == {new_id: 4}


async def test_typing_a_digit_at_once_rates_the_first_symptom(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("7")
        assert value(app, "symptom-1") == 7


async def test_the_lower_form_mounts_after_the_first_frame_with_the_day_in_it(
    make_app, db_path: Path
) -> None:
    """The note, lifestyle and red-flag fields are filled even though they mount later."""
    save_day(
        open_database(db_path),
        DayLog(TODAY, activity_min=30, red_flags=frozenset({"fall"}), note="Slipped on ice"),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#field-activity_min", Input).value == "30"
        assert screen.query_one("#flag-fall", Checkbox).value is True
        assert screen.query_one("#field-note", TextArea).text == "Slipped on ice"
        assert not screen.dirty
        await pilot.press("f")
        assert app.focused is screen.query_one("#field-note", TextArea)


async def test_sqlite_utils_is_loaded_only_once_something_changes(make_app, db_path: Path) -> None:
    """Looking costs no sqlite-utils; the first change imports it ahead of any write."""
    make_app()  # marks the welcome as seen (a write, on a connection of its own)
    app = DiazlogApp(open_database(db_path), db_path, clock=lambda: NOW)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.db._database is None  # reads went through DeferredDatabase alone
        assert not app.writes_prepared
        await pilot.press("5")
        await pilot.pause()
        assert app.writes_prepared  # the import worker was started
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None and saved.ratings[0].intensity == 5


async def test_the_ratings_are_left_and_entered_at_their_ends_like_one_row_each(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ratings, doses = grid(app), app.screen.query_one("#doses")
        form = app.screen.query_one("#day-form")
        assert app.focused is ratings and ratings.cursor_key == "symptom-1"
        ratings.focus_row("sleep_interference")
        await pilot.press("5")  # the last rating: a digit moves on to the doses
        assert value(app, "sleep_interference") == 5
        assert app.focused is doses
        await pilot.press("shift+tab")  # back from below: on the last row, in view
        await pilot.pause()
        assert app.focused is ratings and ratings.cursor_key == "sleep_interference"
        assert form.region.contains_region(ratings.row_region("sleep_interference"))
        await pilot.press("down")
        assert app.focused is doses
        ratings.focus_row("symptom-1")
        await pilot.press("up")  # up on the first row stays there (no wrap round to the note)
        assert app.focused is ratings and ratings.cursor_key == "symptom-1"
        app.screen.query_one("#field-note").focus()
        await pilot.press("tab")  # tab from the note comes back on the first row
        assert app.focused is ratings and ratings.cursor_key == "symptom-1"
