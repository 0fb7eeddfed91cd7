"""The Medicines screen and its dialogs, driven by keys, checked on screen and in the database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Input, Label, Select, Static

from diazlog.commands.status import status_line
from diazlog.dialogs.medicine import MedicineDialog, TaperStepDialog
from diazlog.dialogs.prompts import TextPrompt
from diazlog.domain.models import Category, DayLog, TaperStep
from diazlog.screens.medicines import MedicinesScreen
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.medications import get_medication, list_medications, save_medication
from diazlog.store.queries.taper import list_steps, save_step
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, TODAY


def seed(db_path: Path, *, plan: bool = False, stock: float | None = None) -> int:
    """A diary with diazepam 2 x 5 mg (not empty, so no first-run welcome)."""
    db = open_database(db_path)
    med = save_medication(
        db,
        diazepam_medication(started_on="2026-01-01", stock=stock),
    )
    assert med.id is not None
    if plan:
        save_step(db, TaperStep(None, med.id, "2026-11-01", 2.5, ("08:00", "20:00")))
    return med.id


async def fill(pilot, typed: bool = False, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Put text in the dialog's inputs; typed=True presses each key (slower, used once)."""
    for widget_id, text in values.items():
        field = pilot.app.screen.query_one(f"#{widget_id}", Input)
        field.focus()
        field.value = "" if typed else text
        if typed:
            await pilot.press(*text)


async def open_medicines(pilot) -> MedicinesScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MedicinesScreen)
    return screen


def cells(screen: MedicinesScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}")
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]


async def test_add_a_medicine_with_its_category(make_app, db_path: Path) -> None:
    seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MedicineDialog)
        await fill(pilot, name="Tramadol", amount="50", times="14:00", stock="20 x 50")
        app.screen.query_one("#category", Select).value = Category.OPIOID.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        rows = cells(screen, "medicines")
        assert rows[1][:4] == ["Tramadol", "opioid ⚠", "50 mg", "taking"]
        assert "adds to diazepam's effect" in str(screen.query_one("#med-detail", Static).render())
    tramadol = [m for m in list_medications(open_database(db_path)) if m.name == "Tramadol"][0]
    assert tramadol.category == Category.OPIOID and not tramadol.is_diazepam
    assert tramadol.usual_times == ("14:00",) and tramadol.stock == 1000


async def test_bad_fields_are_explained_and_nothing_saved(make_app, db_path: Path) -> None:
    seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Baclofen", amount="abc", times="25:00", stock="lots")
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, MedicineDialog)
        assert "is not an amount" in str(dialog.query_one("#error-amount", Label).render())
        assert "not a time of day" in str(dialog.query_one("#error-times", Label).render())
        assert "is not a stock" in str(dialog.query_one("#error-stock", Label).render())
        await pilot.press("escape")
        await pilot.pause()
    assert [m.name for m in list_medications(open_database(db_path))] == ["Diazepam"]


async def test_edit_with_enter_and_stock_counts_down(make_app, db_path: Path) -> None:
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        screen.query_one("#medicines").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MedicineDialog)
        await fill(pilot, amount="10", stock="28 x 5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cells(screen, "medicines")[0][4] == "140 mg · to 02 Dec"
        # A dose logged after the count (now, 21:30) takes from the stock.
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("u", "ctrl+s")
        await pilot.pause()
        line = str(app.screen.query_one("#plan-line", Label).render())
        assert "Stock: Diazepam: 130 mg left, enough until Tue 01 Dec" in line
        await pilot.press("m")
        await pilot.pause()
        assert cells(screen, "medicines")[0][4] == "130 mg · to 01 Dec"
    med = get_medication(open_database(db_path), med_id)
    assert med is not None and med.usual_amount == 10 and med.stock == 140


async def test_stop_a_medicine(make_app, db_path: Path) -> None:
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await fill(pilot, **{"prompt-input": "2025-01-01"})
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # before it started: refused
        await fill(pilot, **{"prompt-input": TODAY})
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert cells(screen, "medicines")[0][3] == f"until {TODAY}"
    med = get_medication(open_database(db_path), med_id)
    assert med is not None and med.stopped_on == TODAY


async def test_a_stopped_medicine_shows_no_run_out_date(make_app, db_path: Path) -> None:
    """30 mg at 10 mg a day runs out on the 28th, until `s` stops it today: no date, no warning."""
    med_id = seed(db_path)
    db = open_database(db_path)
    med = get_medication(db, med_id)
    assert med is not None
    save_medication(db, replace(med, stock=30), stock_counted_at=f"{TODAY}T07:00")
    assert "Diazepam: 30 mg left, enough until Sat 28 Nov" in status_line(db, NOW)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        assert cells(screen, "medicines")[0][4] == "30 mg · to 28 Nov"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # the prompt offers today
        await pilot.pause()
        assert app.screen is screen
        assert cells(screen, "medicines")[0][3:] == [f"until {TODAY}", "30 mg"]
        detail = str(screen.query_one("#med-detail", Static).render())
        assert "Stock: Diazepam: 30 mg left, stopped from Wed 25 Nov" in detail
        assert "enough until" not in detail
        await pilot.press("t")
        await pilot.pause()
        line = str(app.screen.query_one("#plan-line", Label).render())
        assert "30 mg left, stopped from Wed 25 Nov" in line and "enough until" not in line
    stopped = get_medication(open_database(db_path), med_id)
    assert stopped is not None and stopped.stopped_on == TODAY
    assert "Diazepam" not in status_line(open_database(db_path), NOW)


async def test_taper_plan_add_edit_remove(make_app, db_path: Path) -> None:
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, TaperStepDialog)
        await fill(pilot, **{"from": "2026-11-20", "amount": "2.5"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await fill(pilot, **{"from": "2026-12-20", "amount": "0", "times": ""})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert cells(screen, "steps") == [
            ["2026-11-20", "2.5 mg", "08:00, 20:00", "5 mg", "← now"],
            ["2026-12-20", "0 mg", "—", "0 mg", "ahead"],
        ]
        # enter on the highlighted step edits it.
        screen.query_one("#steps").focus()
        await pilot.press("enter")
        await pilot.pause()
        await fill(pilot, amount="3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        steps = list_steps(open_database(db_path), med_id)
        assert [(s.from_date, s.amount) for s in steps] == [("2026-11-20", 3), ("2026-12-20", 0)]
        await pilot.press("down", "backspace")
        await pilot.pause()
        assert len(cells(screen, "steps")) == 1
    assert [s.from_date for s in list_steps(open_database(db_path), med_id)] == ["2026-11-20"]


async def test_usual_dose_key_follows_the_plan_and_today_says_if_it_matches(
    make_app, db_path: Path
) -> None:
    med_id = seed(db_path, plan=True)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = app.screen.query_one("#plan-line", Label)
        assert "Plan: 2 × 2.5 mg (08:00, 20:00) · nothing logged yet" in str(line.render())
        await pilot.press("u")
        await pilot.pause()
        assert "2.5 mg less than planned" in str(line.render())
        await pilot.press("u", "ctrl+s")
        await pilot.pause()
        assert "logged 5 mg ✓ matches" in str(line.render())
    day = load_day(open_database(db_path), TODAY)
    assert day is not None
    assert [(d.medication_id, d.amount) for d in day.doses] == [(med_id, 2.5), (med_id, 2.5)]


async def test_category_set_in_medicines_drives_the_combination_flag(
    make_app, db_path: Path
) -> None:
    """End to end: a medicine added here as a muscle relaxant, logged with diazepam on Today."""
    med_id = seed(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, name="Baclofen", amount="10")
        app.screen.query_one("#category", Select).value = Category.MUSCLE_RELAXANT.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        baclofen = [m for m in list_medications(app.db) if m.name == "Baclofen"][0]
        # Log both on Today (through the dose dialog).
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("u", "a")
        await pilot.pause()
        app.screen.query_one("#medicine", Select).value = baclofen.id
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "Baclofen (a muscle relaxant) with diazepam" in banner
        # Change the category to "pain": the flag stays, because the rules read the class
        # recognised from the name, whatever category was picked.
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#medicines").move_cursor(row=1)  # type: ignore[attr-defined]
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#category", Select).value = Category.PAIN.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        banner = str(app.screen.query_one("#banner", Static).render())
        assert "Baclofen (a muscle relaxant) with diazepam" in banner
    saved = load_day(open_database(db_path), TODAY)
    assert saved is not None
    assert {d.medication_id for d in saved.doses} == {med_id, baclofen.id}


async def test_first_medicine_is_offered_as_the_diazepam(make_app, db_path: Path) -> None:
    save_day(open_database(db_path), DayLog("2026-11-20", note="before any medicine"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_medicines(pilot)
        assert "press a to add your diazepam" in str(
            screen.query_one("#med-detail", Static).render()
        )
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, typed=True, amount="5", times="8:00 20:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
    meds = list_medications(open_database(db_path))
    assert [(m.name, m.is_diazepam, m.usual_times) for m in meds] == [
        ("Diazepam", True, ("08:00", "20:00"))
    ]


def name_class(pilot) -> str:  # type: ignore[no-untyped-def]
    return str(pilot.app.screen.query_one("#name-class", Static).render())


async def test_the_form_shows_the_recognised_class_as_the_name_is_typed(
    make_app, db_path: Path
) -> None:
    seed(db_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert "Type the name" in name_class(pilot)
        await fill(pilot, typed=True, name="Paracetamol")
        await pilot.pause()
        assert name_class(pilot) == "Paracetamol: no interaction listed."
        await fill(pilot, typed=True, name="Co-codamol 30/500")
        await pilot.pause()
        assert name_class(pilot).startswith(
            "Co-codamol 30/500: codeine (opioid) + paracetamol — the red-flag"
        )
        category = app.screen.query_one("#category", Select)
        assert category.value == Category.OPIOID.value  # the category follows the name
        # Logged under "pain", as people do: the user's pick stays, whatever the name then
        # says, and the class still comes from the name.
        category.value = Category.PAIN.value
        await pilot.pause()
        await fill(pilot, typed=True, name="Co-codamol 30/500")
        await pilot.pause()
        assert category.value == Category.PAIN.value
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert cells(screen, "medicines")[1][:2] == ["Co-codamol 30/500", "opioid ⚠"]
        detail = str(screen.query_one("#med-detail", Static).render())
        assert detail.startswith(
            "Co-codamol 30/500: codeine (opioid) + paracetamol. It adds to diazepam's effect"
        )
        # At its flag's level: an opioid with diazepam is "contact your doctor today".
        assert "contact your doctor today" in detail and "Strength: 30/500 per tablet" in detail
    saved = [m for m in list_medications(open_database(db_path)) if m.name != "Diazepam"]
    assert [(m.name, m.category, m.drug_class) for m in saved] == [
        ("Co-codamol 30/500", Category.PAIN, "opioid")
    ]


async def test_an_unrecognised_medicine_says_so_in_the_table(make_app, db_path: Path) -> None:
    seed(db_path)
    save_medication(
        open_database(db_path),
        replace(
            diazepam_medication(), name="Magnesium", is_diazepam=False, category=Category.OTHER
        ),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        assert cells(screen, "medicines")[1][:2] == ["Magnesium", "not recognised"]
        screen.query_one("#medicines").move_cursor(row=1)  # type: ignore[attr-defined]
        await pilot.pause()
        detail = str(screen.query_one("#med-detail", Static).render())
        assert detail == (
            "Magnesium is not recognised: ask your doctor how it mixes with diazepam."
        )


async def test_at_80_columns_long_names_are_cut_and_stock_stays_whole(
    make_app, db_path: Path
) -> None:
    seed(db_path, stock=140)
    db = open_database(db_path)
    long_name = "Omeprazole gastro-resistant capsules 20 mg"
    save_medication(
        db,
        replace(
            diazepam_medication(),
            name=long_name,
            is_diazepam=False,
            usual_amount=None,
            category=Category.OTHER,
        ),
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_medicines(pilot)
        await pilot.pause()
        table = screen.query_one("#medicines")
        rows = cells(screen, "medicines")
        assert rows[0][4] == "140 mg · to 09 Dec"
        assert rows[1][0].endswith("…") and long_name.startswith(rows[1][0][:-1])
        assert rows[1][1] == "slows breakdown ⚠"
        assert table.virtual_size.width <= table.size.width  # nothing scrolled off the right
        screen.query_one("#medicines").move_cursor(row=1)  # type: ignore[attr-defined]
        await pilot.pause()
        assert str(screen.query_one("#med-detail", Static).render()).startswith(long_name)
        # Wider, the whole name fits.
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert cells(screen, "medicines")[1][0] == long_name
