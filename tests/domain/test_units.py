"""A medicine's unit: named from what people type, shown with every dose ("2 tablets", never
"2 mg" for co-codamol), and kept by export and import."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.domain.medicine_input import check_unit
from diazlog.domain.models import Category, DayLog, Dose, Medication
from diazlog.domain.units import UNITS, amount_text, unit_named
from diazlog.domain.validation import InvalidInput
from diazlog.report.model import medicine_rows
from diazlog.report.visit import build_visit_report
from diazlog.store import open_database
from diazlog.store.queries.days import save_day
from diazlog.store.queries.medications import list_medications, save_medication
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW, TODAY


@pytest.mark.parametrize(
    ("typed", "unit"),
    [
        ("mg", "mg"),
        ("MG", "mg"),
        ("tablets", "tablet"),
        ("Tabs", "tablet"),
        ("pill", "tablet"),
        ("caps", "capsule"),
        ("mL", "ml"),
        ("patches", "patch"),
        ("puffs", "puff"),
        ("", None),
        ("spoonful", None),
        ("mg tablet", None),
    ],
)
def test_units_are_named_from_what_people_type(typed: str, unit: str | None) -> None:
    assert unit_named(typed) == unit
    if unit is None and typed:
        with pytest.raises(InvalidInput, match="one of mg, tablet"):
            check_unit(typed)
    elif unit is not None:
        assert check_unit(typed) == unit and unit in UNITS
    assert check_unit("") == "mg"


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (2, "tablet", "2 tablets"),
        (1, "tablet", "1 tablet"),
        (0.5, "tablet", "0.5 tablets"),
        (1, "capsule", "1 capsule"),
        (2, "patch", "2 patches"),
        (7.5, "mg", "7.5 mg"),
        (1, "mg", "1 mg"),
        (10, "ml", "10 ml"),
        (3, "puff", "3 puffs"),
    ],
)
def test_a_dose_reads_in_its_unit(amount: float, unit: str, text: str) -> None:
    assert amount_text(amount, unit) == text


def diary_with_zapain(db_path: Path) -> tuple[int, int]:
    """Diazepam 5 mg and two Zapain tablets today."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    zapain = save_medication(db, Medication(None, "Zapain", Category.PAIN, unit="tablet"))
    assert diazepam.id is not None and zapain.id is not None
    save_day(
        db,
        DayLog(TODAY, doses=(Dose(diazepam.id, "08:00", 5.0), Dose(zapain.id, "12:00", 2.0))),
        datetime.now(),
    )
    return diazepam.id, zapain.id


async def test_today_shows_each_dose_in_its_unit(make_app, db_path: Path) -> None:
    diary_with_zapain(db_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("DoseTable")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert ["12:00", "Zapain", "2 tablets"] in [r[:3] for r in rows]
        assert ["08:00", "Diazepam", "5 mg"] in [r[:3] for r in rows]
    saved = {m.name: m for m in list_medications(open_database(db_path))}
    assert (saved["Zapain"].unit, saved["Zapain"].strength) == ("tablet", "30/500")
    assert saved["Zapain"].drug_class == "opioid"


def test_the_report_and_log_say_tablets(db_path: Path) -> None:
    diary_with_zapain(db_path)
    report = build_visit_report(open_database(db_path), "2026-11-01", TODAY, now=NOW)
    (row,) = [r for r in medicine_rows(report) if r[0] == "Zapain"]
    assert row[1] == "co-codamol: codeine (opioid) + paracetamol"
    assert row[2].startswith("2 tablets, 1 dose")
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "log", "--date", "yesterday", "--dose", "Zapain:1@12:00"]
    )
    assert result.exit_code == 0, result.output
    assert "Zapain 1 tablet at 12:00" in result.output
    assert " mg at 12:00" not in result.output


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_and_import_keep_unit_and_strength(tmp_path: Path, db_path: Path, fmt: str) -> None:
    diary_with_zapain(db_path)
    runner = CliRunner()
    out = tmp_path / "out"
    exported = runner.invoke(
        cli, ["--db", str(db_path), "export", "--format", fmt, "--out", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    assert not list(out.glob("medicine_lookups.*"))  # a cache is not exported
    other = tmp_path / "other.db"
    open_database(other).close()
    imported = runner.invoke(cli, ["--db", str(other), "import", str(out)])
    assert imported.exit_code == 0, imported.output
    back = {
        m.name: (m.unit, m.strength, m.drug_class) for m in list_medications(open_database(other))
    }
    assert back["Zapain"] == ("tablet", "30/500", "opioid")
    assert back["Diazepam"][0] == "mg"


async def test_a_new_medicine_from_todays_dose_dialog(make_app, db_path: Path) -> None:
    """Named in Today's dose dialog: a combination counts in tablets at once; a brand only the
    library knows is looked up by a worker (not on the UI thread), then watched as an opioid."""
    from textual.widgets import Input, Select

    from diazlog.dialogs.day import NEW_MEDICINE

    save_medication(open_database(db_path), diazepam_medication())
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for name, amount in (("Zapain", "2"), ("Zydol", "50"), ("Rub [/b]", "1")):
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one("#medicine", Select).value = NEW_MEDICINE
            await pilot.pause()
            app.screen.query_one("#name", Input).value = name
            app.screen.query_one("#time", Input).value = "12:00"
            app.screen.query_one("#amount", Input).value = amount
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        table = app.screen.query_one("DoseTable")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert ["12:00", "Zapain", "2 tablets"] in [r[:3] for r in rows]
        assert ["12:00", "Zydol", "50 mg"] in [r[:3] for r in rows]
        assert ["12:00", "Rub [/b]", "1 mg"] in [r[:3] for r in rows]  # shown as typed
    saved = {m.name: (m.unit, m.drug_class) for m in list_medications(open_database(db_path))}
    assert saved["Zapain"] == ("tablet", "opioid")
    assert saved["Zydol"] == ("mg", "opioid")  # the worker's library answer reached the class
