"""A plan with an amount per time in the app: typed on the Medicines screen, taken with `p` on
Today, and the Add-dose dialog starting from it. Checked on screen and in the database."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, Label, Select

from diazlog.dialogs.day import DoseDialog
from diazlog.dialogs.medicine import TaperStepDialog
from diazlog.domain.models import Medication, TaperStep
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import AS_NEEDED_KEY, save_medication
from diazlog.store.queries.settings import get_setting
from diazlog.store.queries.taper import list_steps, save_step
from tests.conftest import diazepam_medication
from tests.screens.test_medicines import cells, open_medicines
from tests.support.helpers import TODAY, settle

SIZE = (100, 30)


def dose_table(app) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#doses", DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def seed(db_path: Path) -> int:
    db = open_database(db_path)
    med = save_medication(db, diazepam_medication(started_on="2026-01-01"))
    db.close()
    assert med.id is not None
    return med.id


async def test_a_step_typed_as_amount_per_time_is_taken_with_p_at_each_amount(
    make_app, db_path: Path
) -> None:
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TaperStepDialog)
        dialog.query_one("#from", Input).value = "2026-11-20"
        dialog.query_one("#amount", Input).focus()
        await pilot.press(*"5@08:00, 2.5@20:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert cells(screen, "steps") == [
            ["2026-11-20", "5 + 2.5 mg", "08:00, 20:00", "7.5 mg", "← now"],
        ]
        await pilot.press("t")
        await settle(pilot)
        plan_line = str(app.screen.query_one("#plan-line", Label).render())
        assert "Plan: 5 mg at 08:00 + 2.5 mg at 20:00 · nothing logged yet" in plan_line
        assert dose_table(app) == [
            ("08:00", "Diazepam", "5 mg", "missed"),
            ("20:00", "Diazepam", "2.5 mg", "missed"),
        ]
        await pilot.press("p")
        await settle(pilot)
        assert dose_table(app) == [
            ("08:00", "Diazepam", "5 mg", "taken"),
            ("20:00", "Diazepam", "2.5 mg", "taken"),
        ]
        await pilot.press("ctrl+s")
        await settle(pilot)
        plan_line = str(app.screen.query_one("#plan-line", Label).render())
        assert "logged 7.5 mg ✓ matches" in plan_line
    db = open_database(db_path)
    (step,) = list_steps(db, med_id)
    assert (step.times, step.amounts) == (("08:00", "20:00"), (5.0, 2.5))
    day = load_day(db, TODAY)
    assert day is not None
    assert [(d.time, d.amount, d.as_needed) for d in day.doses] == [
        ("08:00", 5.0, False),
        ("20:00", 2.5, False),
    ]


async def test_a_wrong_per_time_amount_is_explained_under_the_field(
    make_app, db_path: Path
) -> None:
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_medicines(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        amount, times = dialog.query_one("#amount", Input), dialog.query_one("#times", Input)
        assert times.value == "08:00, 20:00"  # the usual times, to start from
        amount.value = "5, 2.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#error-amount", Label).render())
        assert "give each amount its time, e.g. 5@08:00, 2.5@20:00" in error
        amount.value = "5@08:00"  # being corrected: the old refusal goes at once
        await settle(pilot)
        assert dialog.query_one("#error-amount", Label).display is False
        # Times the user typed that disagree with the amounts are refused under Times ...
        amount.value = "5@07:00, 2.5@21:00"
        times.value = "07:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#error-times", Label).render())
        assert "the amount gives the times (07:00, 21:00)" in error
        assert list_steps(open_database(db_path), med_id) == []
        # ... while the times the form opened with are the old plan's, not a second answer.
        times.value = "08:00, 20:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
    (step,) = list_steps(open_database(db_path), med_id)
    assert (step.times, step.amounts) == (("07:00", "21:00"), (5.0, 2.5))


async def test_add_dose_starts_at_the_planned_amount_nearest_its_time_and_remembers_as_needed(
    make_app, db_path: Path
) -> None:
    med_id = seed(db_path)
    db = open_database(db_path)
    save_step(db, TaperStep(None, med_id, "2026-11-01", 5, ("08:00", "20:00"), (5.0, 2.5)))
    ibuprofen = save_medication(db, Medication(None, "Ibuprofen", usual_amount=400))
    db.close()
    assert ibuprofen.id is not None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")  # the usual dose now, 21:30: the amount planned at 20:00
        await settle(pilot)
        assert ("21:30", "Diazepam", "2.5 mg", "taken") in dose_table(app)
        await pilot.press("a")  # at 21:30: the 20:00 dose is nearest, 2.5 mg
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DoseDialog)
        amount = dialog.query_one("#amount", Input)
        assert amount.value == "2.5"
        dialog.query_one("#time", Input).value = "09:15"  # nearest 08:00: 5 mg
        await settle(pilot)
        assert amount.value == "5"
        amount.value = "4"  # typed by the user: the time no longer changes it
        dialog.query_one("#time", Input).value = "19:00"
        await settle(pilot)
        assert amount.value == "4"
        await pilot.press("escape")
        await settle(pilot)

        # Ibuprofen taken as needed: the choice is kept for the next ibuprofen dose.
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#medicine", Select).value = ibuprofen.id
        await settle(pilot)
        assert dialog.query_one("#amount", Input).value == "400"
        assert dialog.query_one("#as_needed", Checkbox).value is False
        dialog.query_one("#as_needed", Checkbox).value = True
        dialog.query_one("#time", Input).value = "13:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ("13:00", "Ibuprofen", "400 mg", "as needed") in dose_table(app)

        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert dialog.query_one("#as_needed", Checkbox).value is False  # diazepam: not chosen
        dialog.query_one("#medicine", Select).value = ibuprofen.id
        await settle(pilot)
        assert dialog.query_one("#as_needed", Checkbox).value is True
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    db = open_database(db_path)
    assert get_setting(db, AS_NEEDED_KEY.format(id=ibuprofen.id)) == "1"
    day = load_day(db, TODAY)
    assert day is not None
    assert [(d.medication_id, d.time, d.amount, d.as_needed) for d in day.doses] == [
        (ibuprofen.id, "13:00", 400.0, True),
        (med_id, "21:30", 2.5, False),
    ]


async def test_the_taper_step_dialog_keeps_its_buttons_at_80x24_with_every_error(
    make_app, db_path: Path
) -> None:
    seed(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_medicines(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#from", Input).value = "2026-02-30"
        dialog.query_one("#amount", Input).value = "abc"
        dialog.query_one("#times", Input).value = "25:00, 26:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        for field in ("from", "amount", "times"):
            assert str(dialog.query_one(f"#error-{field}", Label).render())
        for button in ("#ok", "#cancel"):
            region = dialog.query_one(button).region
            assert region.y >= 0 and region.bottom <= 24, (button, region)


async def test_a_usual_dose_per_time_from_the_welcome_and_the_medicine_form(
    make_app, db_path: Path
) -> None:
    """The welcome takes 5@08:00, 2.5@20:00 as the usual dose; the medicine form edits it."""
    from diazlog.dialogs.medicine import MedicineDialog
    from diazlog.store.queries.medications import tracked_diazepam

    app = make_app(fresh=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "WelcomeScreen"
        app.screen.query_one("#welcome-amount", Input).value = "5@08:00, 2.5@20:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dose_table(app) == [
            ("08:00", "Diazepam", "5 mg", "missed"),
            ("20:00", "Diazepam", "2.5 mg", "missed"),
        ]
        screen = await open_medicines(pilot)
        assert cells(screen, "medicines")[0][2] == "5 + 2.5 mg"
        screen.query_one("#medicines").focus()
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MedicineDialog)
        amount = dialog.query_one("#amount", Input)
        assert amount.value == "5@08:00, 2.5@20:00"  # read back as it was typed
        amount.value = "5@07:30, 2@21:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert cells(screen, "medicines")[0][2] == "5 + 2 mg"
    med = tracked_diazepam(open_database(db_path))
    assert med is not None
    assert [(d.time, d.amount) for d in med.usual_doses] == [("07:30", 5.0), ("21:00", 2.0)]
