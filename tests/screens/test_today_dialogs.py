"""Dose and rating-detail dialogs of the Today screen: good and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from diazlog.domain.models import Category, Medication
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import list_medications, save_medication
from tests.conftest import ratings
from tests.support.helpers import TODAY


def add_diazepam(db_path: Path) -> None:
    save_medication(
        open_database(db_path),
        Medication(None, "Diazepam", Category.BENZODIAZEPINE, is_diazepam=True, usual_amount=5),
    )


async def fill(pilot, widget_id: str, text: str) -> None:  # type: ignore[no-untyped-def]
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.value = text
    await pilot.pause()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("amount", "-5", "more than 0"),
        ("amount", "5000", "5000 mg is more than 100 mg"),
        ("amount", "abc", "is not an amount"),
        ("time", "25:61", "not a time of day"),
    ],
)
async def test_bad_dose_input_is_explained_and_not_added(
    make_app, db_path: Path, field: str, text: str, message: str
) -> None:
    add_diazepam(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, field, text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "DoseDialog"
        assert message in str(app.screen.query_one(f"#error-{field}", Label).render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
    saved = load_day(open_database(db_path), TODAY)
    assert saved is None or saved.doses == ()


async def test_add_dose_of_new_medicine(make_app, db_path: Path) -> None:
    add_diazepam(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        from textual.widgets import Select

        app.screen.query_one("#medicine", Select).value = -1
        await pilot.pause()
        await fill(pilot, "name", "Tramadol")
        app.screen.query_one("#category", Select).value = Category.OPIOID.value
        await fill(pilot, "time", "13:15")
        await fill(pilot, "amount", "50")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("u")  # diazepam too: the combination flag fires
        await pilot.pause()
        assert "opioid" in str(app.screen.query_one("#banner").render())
        await pilot.press("ctrl+s")
    db = open_database(db_path)
    names = {m.name: m for m in list_medications(db)}
    assert names["Tramadol"].category == Category.OPIOID
    saved = load_day(db, TODAY)
    assert saved is not None
    assert sorted((d.time, d.amount) for d in saved.doses) == [("13:15", 50.0), ("21:30", 5.0)]


async def test_rating_detail_saved_with_the_day(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ratings(app).focus_row("symptom-1")
        await pilot.press("6", "up", "enter")  # a digit moves on: back up to it
        await pilot.pause()
        await fill(pilot, "onset", "21:05")
        await fill(pilot, "duration", "45")
        await fill(pilot, "worse", "stairs")
        await pilot.press("ctrl+s")
        await pilot.pause()
        grid = ratings(app)
        assert "✎ details" in grid.render_line(grid.line_of("symptom-1")).text
        await pilot.press("ctrl+s")
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    rating = saved.ratings[0]
    assert (rating.intensity, rating.onset, rating.duration_min, rating.worse_with) == (
        6,
        "21:05",
        45,
        "stairs",
    )


async def test_bad_onset_time_is_explained(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        ratings(app).focus_row("symptom-1")
        await pilot.press("6", "up", "enter")  # a digit moves on: back up to it
        await pilot.pause()
        await fill(pilot, "onset", "25:61")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a time of day" in str(app.screen.query_one("#error-onset", Label).render())


async def test_enter_edits_and_backspace_removes_a_dose_in_the_list(
    make_app, db_path: Path
) -> None:
    """On the dose list: enter opens the highlighted dose to edit, backspace removes it."""
    from diazlog.domain.models import DayLog, Dose
    from diazlog.store.queries.days import save_day
    from tests.conftest import diazepam_medication

    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    assert med.id is not None
    save_day(db, DayLog(TODAY, doses=(Dose(med.id, "08:00", 5.0), Dose(med.id, "20:00", 2.5))))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#doses").focus()
        await pilot.press("enter")  # the 08:00 dose
        await pilot.pause()
        assert app.screen.query_one("#time", Input).value == "08:00"
        await fill(pilot, "amount", "4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("down", "backspace")  # the 20:00 dose
        await pilot.pause()
        table = app.screen.query_one("#doses")
        # The removed 20:00 dose leaves its planned row: not logged, and 20:00 has passed.
        assert [str(c) for c in table.get_row_at(1)] == ["20:00", "Diazepam", "5 mg", "missed"]  # type: ignore[attr-defined]
        assert table.row_count == 2  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert [(d.time, d.amount) for d in saved.doses] == [("08:00", 4.0)]
