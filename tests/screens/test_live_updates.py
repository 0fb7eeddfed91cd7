"""The app open while another connection (the shell's `diazlog log`, a second copy) writes.

The other writer is a separate `open_database` on the same file, as the CLI is. Time passes
by pausing the pilot past the screens' poll (DiaryScreen.POLL_SECONDS); no test asserts a
time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, RadioSet, TextArea

from diazlog.app import DiazlogApp
from diazlog.dialogs.conflict import ConflictDialog
from diazlog.domain.models import Category, DayLog, Dose, Medication, Rating
from diazlog.screens.base import DiaryScreen
from diazlog.screens.history import HistoryScreen
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.symptoms import list_symptoms
from tests.conftest import diazepam_medication, ratings
from tests.support.helpers import NOW, TODAY

POLL = DiaryScreen.POLL_SECONDS * 2.5  # long enough for at least two ticks of the poll


def rating(app: DiazlogApp, symptom_id: int) -> int | None:
    return ratings(app).value_of(f"symptom-{symptom_id}")


def note(app: DiazlogApp) -> str:
    return app.screen.query_one("#field-note", TextArea).text


@pytest.fixture
def ids(db_path: Path) -> dict[str, int]:
    return {s.key: s.id for s in list_symptoms(open_database(db_path))}


@pytest.fixture
def diazepam_id(db_path: Path) -> int:
    med = save_medication(open_database(db_path), diazepam_medication())
    assert med.id is not None
    return med.id


def shell_log(db_path: Path, **changes: object) -> DayLog:
    """What `diazlog log` does: its own connection, today's day read, changed, saved."""
    shell = open_database(db_path)
    try:
        day = load_day(shell, TODAY) or DayLog(date=TODAY)
        fields = {name: value for name, value in changes.items() if name != "rate"}
        rates = changes.get("rate", {})
        assert isinstance(rates, dict)
        ratings = {r.symptom_id: r for r in day.ratings}
        ratings.update({sid: Rating(sid, value) for sid, value in rates.items()})
        day = DayLog(
            **{**day.__dict__, **fields, "ratings": tuple(ratings.values()), "updated_at": None}
        )
        return save_day(shell, day, NOW)
    finally:
        shell.close()


@pytest.mark.parametrize("poll_first", [True, False], ids=["noticed", "saved-before-poll"])
async def test_unsaved_edits_and_a_shell_log_of_the_same_day_are_both_kept(
    make_app, db_path: Path, ids: dict[str, int], diazepam_id: int, poll_first: bool
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ratings(app).focus_row(f"symptom-{ids['leg_pain']}")
        await pilot.press("6", "3")  # each digit rates a row and moves on
        assert app.screen.dirty
        shell_log(
            db_path,
            rate={ids["fatigue"]: 9},
            note="from cli",
            doses=(Dose(diazepam_id, "12:00", 5),),
        )
        if poll_first:
            await pilot.pause(POLL)
            assert "changed elsewhere too" in app.screen.sub_title
            assert rating(app, ids["fatigue"]) is None  # the edits on screen stay as they are
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        assert not app.screen.dirty
        assert app.screen.sub_title.endswith("· saved")
        # On screen: the user's ratings and the shell's rating, dose and note.
        assert rating(app, ids["leg_pain"]) == 6
        assert rating(app, ids["leg_weakness"]) == 3
        assert rating(app, ids["fatigue"]) == 9
        assert note(app) == "from cli"
        doses = app.screen.query_one("#doses", DataTable)
        logged = [doses.get_row_at(i) for i in range(doses.row_count)]
        # The shell's 12:00 dose, beside the day's planned 08:00 (matched to it, late) and 20:00.
        assert [(str(row[0]), str(row[3])) for row in logged] == [
            ("12:00", "late (+4h00)"),
            ("20:00", "missed"),
        ]
    stored = load_day(open_database(db_path), TODAY)
    assert stored is not None
    assert {r.symptom_id: r.intensity for r in stored.ratings} == {
        ids["leg_pain"]: 6,
        ids["leg_weakness"]: 3,
        ids["fatigue"]: 9,
    }
    assert stored.note == "from cli"
    assert [(d.medication_id, d.time, d.amount) for d in stored.doses] == [
        (diazepam_id, "12:00", 5)
    ]


async def test_without_edits_the_other_writers_rating_shows_after_the_poll(
    make_app, db_path: Path, ids: dict[str, int]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert rating(app, ids["fatigue"]) is None
        shell_log(db_path, rate={ids["fatigue"]: 9}, note="from cli")
        assert rating(app, ids["fatigue"]) is None  # nothing ran yet: the poll does it
        await pilot.pause(POLL)
        assert rating(app, ids["fatigue"]) == 9
        assert note(app) == "from cli"
        assert not app.screen.dirty
        assert app.screen.sub_title.endswith("· saved")
        assert any("Updated from another diazlog" in n.message for n in app._notifications)


async def _conflict(pilot, app: DiazlogApp, db_path: Path, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """The user rates leg pain 7 and writes a note; the shell sets 2 and its own note."""
    save_day(
        open_database(db_path),
        DayLog(date=TODAY, ratings=(Rating(ids["cramps"], 4),), note="before"),
        NOW,
    )
    await pilot.pause(POLL)  # the form shows that save
    ratings(app).focus_row(f"symptom-{ids['leg_pain']}")
    await pilot.press("7")
    app.screen.query_one("#field-note", TextArea).text = "mine"
    shell_log(db_path, rate={ids["leg_pain"]: 2, ids["fatigue"]: 5}, note="theirs")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, ConflictDialog)
    assert [c.key for c in app.screen.conflicts] == ["note", f"rating:{ids['leg_pain']}"]
    # Asking wrote nothing: the shell's save is what is stored.
    asked = load_day(open_database(db_path), TODAY)
    assert asked is not None and asked.note == "theirs"


@pytest.mark.parametrize(
    ("keys", "leg_pain", "expected_note"),
    [
        (["m"], 7, "mine"),
        (["t"], 2, "theirs"),
        # Row 2 (leg pain) to "theirs" with the arrow keys, the note stays mine; ctrl+s.
        (["tab", "right", "space", "ctrl+s"], 2, "mine"),
    ],
    ids=["all-mine", "all-theirs", "per-field"],
)
async def test_same_field_conflict_asks_and_each_choice_is_stored(
    make_app,
    db_path: Path,
    ids: dict[str, int],
    keys: list[str],
    leg_pain: int,
    expected_note: str,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _conflict(pilot, app, db_path, ids)
        assert app.screen.focused is app.screen.query_one("#choice-0", RadioSet)
        # (The poll may have said "Another diazlog saved this day too" before ctrl+s, when
        # the machine is slow enough for it to tick in between: that notice is right then.)
        before = {n.identity for n in app._notifications}
        await pilot.press(*keys)
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        assert not app.screen.dirty
        assert rating(app, ids["leg_pain"]) == leg_pain
        assert rating(app, ids["fatigue"]) == 5  # the shell's other rating, not in conflict
        assert rating(app, ids["cramps"]) == 4  # untouched by either
        assert note(app) == expected_note
        said = [n.message for n in app._notifications if n.identity not in before]
        assert any("with what another diazlog saved" in m for m in said)
        assert not any(
            "Another diazlog saved this day too" in m for m in said
        )  # no stale notice after the merge
    stored = load_day(open_database(db_path), TODAY)
    assert stored is not None
    assert {r.symptom_id: r.intensity for r in stored.ratings} == {
        ids["leg_pain"]: leg_pain,
        ids["fatigue"]: 5,
        ids["cramps"]: 4,
    }
    assert stored.note == expected_note


async def test_backing_out_of_a_conflict_saves_nothing_and_keeps_the_form(
    make_app, db_path: Path, ids: dict[str, int]
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _conflict(pilot, app, db_path, ids)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictDialog)
        assert app.screen.dirty
        assert rating(app, ids["leg_pain"]) == 7 and note(app) == "mine"
    stored = load_day(open_database(db_path), TODAY)
    assert stored is not None and stored.note == "theirs"


async def test_conflict_dialog_fits_80x24_with_every_button_reachable(
    make_app, db_path: Path, ids: dict[str, int]
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Every symptom, both interference rows, activity and the note in conflict: more
        # rows than fit, so they scroll.
        rows = [f"symptom-{i}" for i in ids.values()]
        for key in [*rows, "walking_interference", "sleep_interference"]:
            ratings(app).focus_row(key)
            await pilot.press("8")
        app.screen.query_one("#field-activity_min", Input).value = "30"
        app.screen.query_one("#field-note", TextArea).text = "mine"
        shell_log(
            db_path,
            rate=dict.fromkeys(ids.values(), 1),
            note="theirs",
            walking_interference=1,
            sleep_interference=1,
            activity_min=10,
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog) and len(dialog.conflicts) == len(ids) + 4
        rows_box = dialog.query_one("#conflicts")
        assert rows_box.max_scroll_y > 0  # the rows scroll ...
        screen = dialog.region
        for button in dialog.query(Button):  # ... and the buttons are whole on screen
            assert screen.contains_region(button.region), button.id
            assert button in dialog.focus_chain, button.id
        assert all(r in dialog.focus_chain for r in dialog.query(RadioSet))
        # Tab from the last row reaches the buttons, in order.
        dialog.query(RadioSet).last().focus()
        await pilot.press("tab")
        assert dialog.focused is dialog.query_one("#ok", Button)
        await pilot.press("tab", "tab", "enter")  # "All theirs"
        await pilot.pause()
    stored = load_day(open_database(db_path), TODAY)
    assert stored is not None and stored.note == "theirs"
    assert {r.intensity for r in stored.ratings} == {1}
    assert (stored.walking_interference, stored.activity_min) == (1, 10)


async def test_history_shows_another_writers_day_and_skips_reloads_when_idle(
    make_app, db_path: Path, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    reloads: list[bool] = []
    original = HistoryScreen.reload

    def counting(self: HistoryScreen, *, keep: bool = False) -> None:
        reloads.append(keep)
        original(self, keep=keep)

    monkeypatch.setattr(HistoryScreen, "reload", counting)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode("history")
        await pilot.pause()
        loads = len(reloads)
        await pilot.pause(POLL)
        assert len(reloads) == loads  # nothing written: nothing reloaded or redrawn
        save_day(
            open_database(db_path),
            DayLog(date="2026-11-20", ratings=(Rating(ids["cramps"], 5),), note="from cli"),
            NOW,
        )
        await pilot.pause(POLL)
        assert len(reloads) == loads + 1
        assert "2026-11-20" in app.screen._dates  # type: ignore[attr-defined]


async def test_medicines_poll_reloads_for_other_connections_only(
    make_app, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diazlog.screens.medicines import MedicinesScreen

    reloads: list[str] = []
    original = MedicinesScreen.reload_data

    def counting(self: MedicinesScreen) -> None:
        reloads.append("reload")
        original(self)

    monkeypatch.setattr(MedicinesScreen, "reload_data", counting)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode("medicines")
        await pilot.pause()
        table = app.screen.query_one("#medicines", DataTable)
        shown = table.row_count
        # This connection's own write (the screen that made it shows it): no reload.
        save_medication(app.db, Medication(None, "Mine", Category.PAIN))
        await pilot.pause(POLL)
        assert reloads == [] and table.row_count == shown
        # Another connection's write: reloaded once, and the medicine is listed.
        save_medication(open_database(db_path), Medication(None, "Theirs", Category.PAIN))
        await pilot.pause(POLL)
        assert reloads == ["reload"]
        assert table.row_count == shown + 2


# Which screens reload, and how often, is the same whatever the file's encryption (the other
# tests here write the encrypted file from another connection too).
@pytest.mark.plain_diary
@pytest.mark.parametrize("mode", ["today", "charts", "doctor", "history", "medicines"])
async def test_every_screen_reloads_once_per_outside_write_and_never_when_idle(
    make_app, db_path: Path, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    calls: list[str] = []
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.switch_mode(mode)
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, DiaryScreen)
        original = type(screen).reload_data
        monkeypatch.setattr(
            type(screen), "reload_data", lambda self: (calls.append(mode), original(self))
        )
        await pilot.pause(POLL)
        assert calls == []
        shell_log(db_path, rate={ids["cramps"]: 4})
        await pilot.pause(POLL)
        await app.workers.wait_for_complete()
        assert calls == [mode]
