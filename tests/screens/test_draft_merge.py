"""A crash draft keeps the saved day it started from, and restoring it merges three ways: what
the shell saved since survives where the draft left it alone; fields both changed are asked."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Input

from diazlog.cli import cli
from diazlog.domain.day_merge import merge_draft
from diazlog.domain.models import DayLog, Rating
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.drafts import Draft, clear_draft, load_draft, save_draft
from diazlog.store.queries.settings import get_setting, set_setting
from tests.conftest import ratings
from tests.support.helpers import NOW, TODAY, settle

SIZE = (80, 24)
LEG_PAIN, WEAKNESS, CRAMPS = 1, 2, 3


async def keep_a_draft(make_app, db_path: Path, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Type `keys` on Today, wait for the draft to be written, and leave without saving."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        # The draft is written a moment after the last change: wait until the screen has no
        # write pending (so the draft holds every key, not only the first ones) and it is kept.
        for _ in range(300):
            pending = app.screen._draft_timer is not None
            if not pending and get_setting(open_database(db_path), f"draft:{TODAY}") is not None:
                break
            await pilot.pause(0.1)
        else:
            raise AssertionError("no draft was kept")


def shell_log(db_path: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "log", *args, "--date", TODAY])
    assert result.exit_code == 0, result.output


def stored(db_path: Path) -> dict[int, int]:
    day = load_day(open_database(db_path), TODAY)
    assert day is not None
    return {r.symptom_id: r.intensity for r in day.ratings}


async def test_restoring_a_draft_keeps_what_the_shell_saved_since(make_app, db_path: Path) -> None:
    await keep_a_draft(make_app, db_path, "7", "l", "2", "0")  # leg pain 7, activity 20
    shell_log(db_path, "cramps=9", "water=3")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("y")
        await settle(pilot)
        grid = ratings(app)
        assert grid.value_of(f"symptom-{LEG_PAIN}") == 7
        assert grid.value_of(f"symptom-{CRAMPS}") == 9  # the shell's, not erased
        assert app.screen.query_one("#field-water_glasses", Input).value == "3"
        assert app.screen.query_one("#field-activity_min", Input).value == "20"
        await pilot.press("ctrl+s")
        await settle(pilot)
    day = load_day(open_database(db_path), TODAY)
    assert day is not None and (day.water_glasses, day.activity_min) == (3, 20)
    assert stored(db_path) == {LEG_PAIN: 7, CRAMPS: 9}
    assert get_setting(open_database(db_path), f"draft:{TODAY}") is None


async def test_a_field_both_changed_is_asked_about(make_app, db_path: Path) -> None:
    # Draft: leg pain 7, weakness 1, cramps 3, activity 20. Shell: cramps 9, water 3.
    await keep_a_draft(make_app, db_path, "7", "1", "3", "l", "2", "0")
    shell_log(db_path, "cramps=9", "water=3")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictDialog"
        text = " ".join(str(label.render()) for label in app.screen.query("Label, RadioButton"))
        assert "Cramps" in text and "unsaved: 3" in text and "saved: 9" in text
        assert "Water" not in text and "Leg pain" not in text  # one side only: no question
        await pilot.press("t")  # keep the saved value of each conflicting field
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        grid = ratings(app)
        assert grid.value_of(f"symptom-{CRAMPS}") == 9
        assert grid.value_of(f"symptom-{LEG_PAIN}") == 7
        assert app.screen.query_one("#field-water_glasses", Input).value == "3"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert stored(db_path) == {LEG_PAIN: 7, WEAKNESS: 1, CRAMPS: 9}


async def test_backing_out_of_the_question_keeps_the_draft(make_app, db_path: Path) -> None:
    await keep_a_draft(make_app, db_path, "7", "1", "3")
    shell_log(db_path, "cramps=9")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert ratings(app).value_of(f"symptom-{LEG_PAIN}") is None
        assert not app.screen.dirty
    assert stored(db_path) == {CRAMPS: 9}
    assert load_draft(open_database(db_path), TODAY) is not None  # offered again next time


def test_a_draft_keeps_its_base(db_path: Path) -> None:
    db = open_database(db_path)
    base = save_day(db, DayLog(TODAY, ratings=(Rating(CRAMPS, 4),), water_glasses=2), NOW)
    edited = DayLog(TODAY, ratings=(Rating(CRAMPS, 4), Rating(LEG_PAIN, 6)), water_glasses=2)
    save_draft(db, edited, "21:05", base)
    assert load_draft(db, TODAY) == Draft(edited, "21:05", base, True)
    save_draft(db, edited, "21:06", None)
    assert load_draft(db, TODAY) == Draft(edited, "21:06", None, True)
    clear_draft(db, TODAY)
    assert load_draft(db, TODAY) is None


def test_a_draft_from_before_bases_is_merged_as_if_nothing_was_saved(db_path: Path) -> None:
    """An older diazlog's draft has no base: a stored field it differs on is asked about,
    never overwritten silently; a field only the store has is kept."""
    db = open_database(db_path)
    import json

    old = {"date": TODAY, "ratings": [{"symptom_id": 3, "intensity": 2}], "note": "mine"}
    set_setting(db, f"draft:{TODAY}", json.dumps({**old, "written_at": "20:00"}))
    kept = load_draft(db, TODAY)
    assert kept is not None and not kept.base_known and kept.base is None
    saved = DayLog(TODAY, ratings=(Rating(CRAMPS, 9),), water_glasses=3)
    result = merge_draft(kept.base, kept.log, saved)
    assert [c.key for c in result.conflicts] == [f"rating:{CRAMPS}"]
    assert result.day.water_glasses == 3 and result.day.note == "mine"
