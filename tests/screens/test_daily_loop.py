"""The daily loop on Today at 80x24: a typical day in few keys, planned doses as rows, and no
slip that loses work (details, copy, esc, dialogs, stretched, a draft kept across a crash)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, TextArea

from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import save_medication, tracked_diazepam
from diazlog.store.queries.settings import get_setting
from diazlog.store.queries.symptoms import list_symptoms
from tests.conftest import diazepam_medication, ratings
from tests.support.helpers import NOW, TODAY, settle

SIZE = (80, 24)
YESTERDAY = "2026-11-24"

# The evening entry README.md shows: six ratings (each digit moves on), every planned dose up
# to now taken on time, activity and water, save.
TYPICAL_DAY = ("6", "4", "3", "2", "5", "3", "p", "l", "4", "5", "tab", "6", "ctrl+s")


def rows_of(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
    return list(open_database(db_path).execute(sql, params).fetchall())


def dose_table(app) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#doses", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def type_at_once(pilot: Pilot, keys: tuple[str, ...]) -> None:
    """The keys as a terminal delivers keys typed faster than the app handles them (a fast
    typist, a slow machine, `tmux send-keys` of the whole line): all of them queued before
    the first is handled."""
    for key in keys:
        character = "\t" if key == "tab" else (key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()
    while pilot.app.keys_pending:  # type: ignore[attr-defined]
        await pilot.pause()


@pytest.mark.parametrize("typing", ["one-key-at-a-time", "all-at-once"])
async def test_typical_day_in_at_most_20_keys(make_app, db_path: Path, typing: str) -> None:
    assert NOW.hour >= 20  # the evening entry: both planned doses are due
    app = make_app(fresh=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # The welcome, as a new user fills it (not part of the day's keys).
        assert type(app.screen).__name__ == "WelcomeScreen"
        app.screen.query_one("#welcome-amount", Input).value = "5"
        app.screen.query_one("#welcome-times", Input).value = "08:00, 20:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        pressed = 0
        if typing == "all-at-once":
            await type_at_once(pilot, TYPICAL_DAY)
            pressed = len(TYPICAL_DAY)
        else:
            for key in TYPICAL_DAY:
                await pilot.press(key)
                pressed += 1
        await settle(pilot)
        assert not app.screen.dirty
        # The passing confirmations go within 3 s: at 80x24 they sit over the lower form.
        passing = [n for n in app._notifications if "saves" in n.message or "Saved" in n.message]
        assert passing and all(n.timeout <= 3 for n in passing)
    assert pressed == len(TYPICAL_DAY) <= 20
    ids = [s.id for s in list_symptoms(open_database(db_path))][:6]
    ratings = rows_of(
        db_path, "SELECT symptom_id, intensity, onset, note FROM ratings WHERE date = ?", (TODAY,)
    )
    assert sorted(ratings) == sorted(
        zip(ids, (6, 4, 3, 2, 5, 3), [None] * 6, [None] * 6, strict=True)
    )
    med = tracked_diazepam(open_database(db_path))
    assert med is not None
    doses = rows_of(
        db_path, "SELECT medication_id, taken_at, amount, as_needed FROM doses ORDER BY taken_at"
    )
    assert doses == [
        (med.id, f"{TODAY}T08:00", 5, 0),
        (med.id, f"{TODAY}T20:00", 5, 0),
    ]
    day = rows_of(
        db_path,
        "SELECT date, walking_interference, sleep_interference, activity_min, stretched, "
        "water_glasses, sleep_hours, alcohol_units, note FROM days",
    )
    assert day == [(TODAY, None, None, 45, None, 6, None, None, "")]
    assert rows_of(db_path, "SELECT * FROM red_flags") == []


def test_readme_shows_the_typical_day_keys() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    shown = "` `".join(TYPICAL_DAY)
    assert f"`{shown}`" in readme
    assert f"{len(TYPICAL_DAY)} keys" in readme


def _planned_day(db_path: Path) -> dict[str, int]:
    db = open_database(db_path)
    meds = {
        "diazepam": diazepam_medication(usual_times=("08:00", "14:00", "20:00")),
        "baclofen": Medication(
            None, "Baclofen", Category.MUSCLE_RELAXANT, usual_amount=10, usual_times=("22:00",)
        ),
        "pregabalin": Medication(
            None, "Pregabalin", Category.PAIN, usual_amount=75, usual_times=("09:00",)
        ),
    }
    ids = {name: save_medication(db, med).id for name, med in meds.items()}
    save_day(
        db,
        DayLog(
            TODAY,
            doses=(
                Dose(ids["diazepam"], "08:10", 5),  # taken (08:00)
                Dose(ids["diazepam"], "17:30", 5),  # 14:00 taken late: 20:00 is 2h30 ahead
                Dose(ids["diazepam"], "12:00", 2, as_needed=True),
                Dose(ids["pregabalin"], "09:00", 75),  # taken
                Dose(ids["pregabalin"], "09:30", 75),  # extra: its one slot is taken
            ),
        ),
    )
    return ids  # type: ignore[return-value]


async def test_planned_doses_are_rows_with_their_status(make_app, db_path: Path) -> None:
    ids = _planned_day(db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert dose_table(app) == [
            ("08:10", "Diazepam", "5 mg", "taken"),
            ("09:00", "Pregabalin", "75 mg", "taken"),
            ("09:30", "Pregabalin", "75 mg", "extra"),
            ("12:00", "Diazepam", "2 mg", "as needed"),
            ("17:30", "Diazepam", "5 mg", "late (+3h30)"),
            ("20:00", "Diazepam", "5 mg", "missed"),
            ("22:00", "Baclofen", "10 mg", "planned"),  # still to come at 21:30
        ]
        # p takes every planned dose up to now: the missed 20:00, not the 22:00 to come.
        await pilot.press("p")
        await settle(pilot)
        statuses = {(row[0], row[1]): row[3] for row in dose_table(app)}
        assert statuses[("20:00", "Diazepam")] == "taken"
        assert statuses[("22:00", "Baclofen")] == "planned"
        # space on a planned dose still to come is refused, as the shell refuses a dose
        # later than now: it would record a dose at a time that has not come yet.
        table = app.screen.query_one("#doses", DataTable)
        table.focus()
        table.move_cursor(row=len(dose_table(app)) - 1)
        await pilot.press("space")
        await settle(pilot)
        assert dose_table(app)[-1] == ("22:00", "Baclofen", "10 mg", "planned")
        assert any("22:00 is later than now" in n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert sorted((d.medication_id, d.time, d.amount) for d in saved.doses) == sorted(
        [
            (ids["diazepam"], "08:10", 5),
            (ids["diazepam"], "12:00", 2),
            (ids["diazepam"], "17:30", 5),
            (ids["diazepam"], "20:00", 5),
            (ids["pregabalin"], "09:00", 75),
            (ids["pregabalin"], "09:30", 75),
        ]
    )


async def test_editing_a_taken_planned_dose_keeps_it_that_slot(make_app, db_path: Path) -> None:
    save_medication(open_database(db_path), diazepam_medication())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#doses", DataTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("space", "enter")  # take 08:00, then edit it
        await settle(pilot)
        assert type(app.screen).__name__ == "DoseDialog"
        app.screen.query_one("#time", Input).value = "09:05"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [row[0::3] for row in dose_table(app)] == [("09:05", "taken"), ("20:00", "missed")]


async def test_backspace_on_a_rating_with_details_asks(make_app, db_path: Path) -> None:
    save_day(open_database(db_path), DayLog(TODAY, ratings=(Rating(1, 6, onset="07:30"),)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = ratings(app)
        grid.focus_row("symptom-1")
        await pilot.press("backspace")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")
        await settle(pilot)
        row = grid.row("symptom-1")
        assert (row.value, row.has_detail, app.screen.dirty) == (6, True, False)
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        row = grid.row("symptom-1")
        assert (row.value, row.has_detail) == (None, False)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert rows_of(db_path, "SELECT * FROM ratings WHERE date = ?", (TODAY,)) == []


async def test_copy_onto_a_rated_day_asks_first(make_app, db_path: Path) -> None:
    db = open_database(db_path)
    save_day(db, DayLog(YESTERDAY, ratings=(Rating(1, 2), Rating(2, 3))))
    save_day(db, DayLog(TODAY, ratings=(Rating(1, 8),)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "Confirm"
        await pilot.press("n")
        await settle(pilot)
        assert ratings(app).value_of("symptom-1") == 8
        assert not app.screen.dirty
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert ratings(app).value_of("symptom-1") == 2
        assert ratings(app).value_of("symptom-2") == 3


async def test_esc_leaves_the_note_and_the_keys_act_again(make_app, db_path: Path) -> None:
    save_day(open_database(db_path), DayLog(YESTERDAY, ratings=(Rating(1, 2),)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.screen.day == YESTERDAY
        await pilot.press("f", "o", "k")
        note = app.screen.query_one("#field-note", TextArea)
        assert app.screen.focused is note
        await pilot.press("escape")
        assert app.screen.focused is not None
        assert not isinstance(app.screen.focused, Input | TextArea)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert note.text == "ok"
        assert type(app.screen).__name__ == "UnsavedChanges"  # ] acts: it asks to leave
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.day == TODAY
    saved = load_day(open_database(db_path), YESTERDAY)
    assert saved is not None and saved.note == "ok"


async def test_esc_leaves_a_day_field(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "3", "escape", "r")
        await settle(pilot)
        assert app.screen.query_one("#field-activity_min", Input).value == "3"
        assert app.screen.focused is app.screen.query_one("#flag-confusion")


async def _open_dose_dialog(pilot: Pilot) -> None:
    await pilot.press("a")


async def _open_new_medicine_dose(pilot: Pilot) -> None:
    await pilot.press("a")
    await settle(pilot)
    from textual.widgets import Select

    from diazlog.dialogs.day import NEW_MEDICINE

    pilot.app.screen.query_one("#medicine", Select).value = NEW_MEDICINE


async def _open_details(pilot: Pilot) -> None:
    await pilot.press("6", "up", "enter")


async def _open_new_symptom(pilot: Pilot) -> None:
    await pilot.press("n")


async def _open_copy(pilot: Pilot) -> None:
    await pilot.press("6", "y")


@pytest.mark.parametrize(
    ("opener", "dialog"),
    [
        (_open_dose_dialog, "DoseDialog"),
        (_open_new_medicine_dose, "DoseDialog"),
        (_open_details, "RatingDetailDialog"),
        (_open_new_symptom, "NewSymptomDialog"),
        (_open_copy, "Confirm"),
    ],
)
async def test_every_dialog_fits_80x24_and_tab_reaches_its_buttons(
    make_app, db_path: Path, opener, dialog: str
) -> None:
    db = open_database(db_path)
    save_medication(db, diazepam_medication())
    save_day(db, DayLog(YESTERDAY, ratings=(Rating(1, 2),)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await opener(pilot)
        await settle(pilot)
        assert type(app.screen).__name__ == dialog
        screen = Region(0, 0, *SIZE)
        box = app.screen.query_one("Vertical").region
        buttons = list(app.screen.query(Button))
        assert len(buttons) >= 2
        for button in buttons:
            assert screen.contains_region(box)
            assert box.contains_region(button.region), (button.label, button.region, box)
        reached = set()
        for _ in range(20):
            await pilot.press("tab")
            if isinstance(app.screen.focused, Button):
                reached.add(app.screen.focused.id)
        assert reached == {b.id for b in buttons}
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "TodayScreen"


async def test_untouched_stretched_is_saved_as_unknown(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4", "ctrl+s")
        await settle(pilot)
        stretched = "SELECT stretched FROM days WHERE date = ?"
        assert rows_of(db_path, stretched, (TODAY,)) == [(None,)]
        box = app.screen.query_one("#field-stretched")
        box.focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert rows_of(db_path, stretched, (TODAY,)) == [(1,)]
        assert app.screen.focused is ratings(app)  # ctrl+s went back to the ratings
        box.focus()
        await pilot.press("space", "ctrl+s")  # unticked by the user: a "no", not unknown
        await settle(pilot)
        assert rows_of(db_path, stretched, (TODAY,)) == [(0,)]


async def _wait_for_draft(
    pilot: Pilot, db_path: Path, holds: Callable[[DayLog], bool] = lambda log: True
) -> str:
    """The kept draft once it `holds` what was typed: the draft is written a moment after a
    key, so the first one seen may hold only the keys before the last (on a slow machine)."""
    from diazlog.store.queries.drafts import load_draft

    for _ in range(300):
        db = open_database(db_path)
        draft = load_draft(db, TODAY)
        if draft is not None and holds(draft.log):
            value = get_setting(db, f"draft:{TODAY}")
            assert value is not None
            return value
        await pilot.pause(0.1)
    raise AssertionError("no draft holding what was typed was kept")


async def test_a_draft_survives_a_crash_and_save_clears_it(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("7", "3", "l", "2", "0")
        await _wait_for_draft(
            pilot,
            db_path,
            lambda log: (
                log.activity_min == 20
                and sorted((r.symptom_id, r.intensity) for r in log.ratings) == [(1, 7), (2, 3)]
            ),
        )
    assert load_day(open_database(db_path), TODAY) is None  # never saved
    # A new app on the same file, as after a killed terminal.
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(again.screen).__name__ == "Confirm"
        await pilot.press("y")
        await settle(pilot)
        assert ratings(again).value_of("symptom-1") == 7
        assert ratings(again).value_of("symptom-2") == 3
        assert again.screen.query_one("#field-activity_min", Input).value == "20"
        assert again.screen.dirty
        await pilot.press("ctrl+s")
        await settle(pilot)
    db = open_database(db_path)
    assert get_setting(db, f"draft:{TODAY}") is None
    saved = load_day(db, TODAY)
    assert saved is not None and saved.activity_min == 20
    assert sorted((r.symptom_id, r.intensity) for r in saved.ratings) == [(1, 7), (2, 3)]


async def test_a_refused_draft_is_dropped(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await _wait_for_draft(pilot, db_path)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert ratings(again).value_of("symptom-1") is None
    assert get_setting(open_database(db_path), f"draft:{TODAY}") is None


async def test_quitting_and_discarding_drops_the_draft(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await _wait_for_draft(pilot, db_path)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert type(app.screen).__name__ == "UnsavedChanges"
        await pilot.press("d")
        await settle(pilot)
    assert get_setting(open_database(db_path), f"draft:{TODAY}") is None
    assert load_day(open_database(db_path), TODAY) is None


async def test_unsaved_edits_survive_switching_screens(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("8", "l", "3", "0", "escape", "c")
        await settle(pilot)
        assert app.current_mode == "charts"
        # Leaving Today kept the edits in the database at once, not a second later.
        assert get_setting(open_database(db_path), f"draft:{TODAY}") is not None
        await pilot.press("t")
        await settle(pilot)
        assert ratings(app).value_of("symptom-1") == 8
        assert app.screen.query_one("#field-activity_min", Input).value == "30"
        assert app.screen.dirty


def test_a_draft_round_trips_and_a_damaged_one_is_ignored(db_path: Path) -> None:
    from diazlog.store.queries.drafts import Draft, clear_draft, load_draft, save_draft
    from diazlog.store.queries.settings import set_setting

    db = open_database(db_path)
    log = DayLog(
        TODAY,
        ratings=(Rating(1, 7, onset="07:30", legs="both"),),
        stretched=None,
        water_glasses=6,
        sleep_hours=6.5,
        note="ça va",
        doses=(Dose(1, "08:00", 5, id=3), Dose(1, "12:00", 2, as_needed=True)),
        red_flags=frozenset({"fall"}),
    )
    save_draft(db, log, "21:05", None)
    assert load_draft(db, TODAY) == Draft(log, "21:05", None, True)
    assert load_draft(db, YESTERDAY) is None
    clear_draft(db, TODAY)
    assert load_draft(db, TODAY) is None
    set_setting(db, f"draft:{TODAY}", "{not json")
    assert load_draft(db, TODAY) is None
