"""Every surface sums diazepam mg over the same medicines: the tracked diazepam and diazepam
under a brand or product name ("Valium 5 mg", "Stesolid", "Diazemuls", "Diazepam 5mg"),
never another benzodiazepine (lorazepam, alprazolam, clonazepam).

One table drives the store queries behind Charts, History and the report, `diazlog take`,
and one headless Today screen per kind of case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.app import DiazlogApp
from diazlog.cli import cli
from diazlog.domain.models import Category, DayLog, Dose, Medication
from diazlog.store import open_database
from diazlog.store.queries.days import load_day, save_day
from diazlog.store.queries.history import history_page
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.series import (
    daily_diazepam,
    diazepam_buckets,
    diazepam_on,
    diazepam_stats,
)
from diazlog.store.queries.visit_data import load_visit_data
from tests.conftest import diazepam_medication
from tests.support.helpers import NOW

DAY = NOW.date().isoformat()


@dataclass(frozen=True)
class Case:
    name: str  # the other medicine, logged 10 mg at 08:00 beside the tracked 5 mg at 12:00
    counts: bool  # whether its 10 mg is diazepam mg


CASES = [
    Case("Valium 5 mg", True),
    Case("Valium", True),
    Case("Stesolid", True),
    Case("Diazemuls", True),
    Case("Diazepam 5mg", True),
    Case("Lorazepam", False),
    Case("Ativan", False),
    Case("Xanax", False),
    Case("Clonazepam", False),
]


def _diary(db_path: Path, name: str, *, noon: bool = True) -> int:
    """Tracked diazepam 5 mg at 08:00 and 20:00, `name` in mg; today: `name` 10 mg at 08:00
    and (with `noon`) the tracked diazepam 5 mg at 12:00. Returns the other medicine's id."""
    db = open_database(db_path)
    diazepam = save_medication(db, diazepam_medication())
    other = save_medication(db, Medication(None, name, Category.OTHER, unit="mg"))
    assert diazepam.id is not None and other.id is not None
    doses = [Dose(other.id, "08:00", 10.0)] + [Dose(diazepam.id, "12:00", 5.0)] * noon
    save_day(db, DayLog(DAY, doses=tuple(doses)))
    db.close()
    return other.id


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_store_totals_count_diazepam_under_every_name(db_path: Path, case: Case) -> None:
    _diary(db_path, case.name)
    expected = 15.0 if case.counts else 5.0
    db = open_database(db_path)
    assert diazepam_on(db, DAY) == expected  # the line under Charts
    assert daily_diazepam(db)[DAY] == expected  # dose changes, taper response
    stats = diazepam_stats(db, DAY, DAY)
    assert stats is not None and stats.total == expected
    bucket = diazepam_buckets(db, DAY, DAY, 1)[0]  # the drawn dose series
    assert bucket.total == expected
    assert history_page(db).rows[0].diazepam_mg == expected
    visit = load_visit_data(db, DAY, DAY)  # the report's totals and adherence
    assert visit.diazepam_mg[DAY] == expected
    assert visit.dose_stats is not None and visit.dose_stats.total == expected
    assert len(visit.diazepam_doses[DAY]) == (2 if case.counts else 1)
    db.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_take_counts_a_brand_dose_as_the_planned_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    """At 21:30 both planned times have passed; 08:00 is covered only by diazepam mg."""
    other_id = _diary(db_path, case.name, noon=False)
    monkeypatch.setattr("diazlog.commands.take.now", lambda: NOW)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "take"])
    assert result.exit_code == 0, result.output
    taken = "20:00" if case.counts else "08:00 and 20:00"
    assert f"Took Diazepam 5 mg at {taken} as planned" in result.output
    db = open_database(db_path)
    day = load_day(db, DAY)
    assert day is not None
    times = sorted(d.time for d in day.doses if d.medication_id != other_id)
    assert times == (["20:00"] if case.counts else ["08:00", "20:00"])
    db.close()


def test_a_diary_with_only_valium_has_diazepam_set_up(db_path: Path) -> None:
    """No tracked diazepam, only "Valium" in mg: its days are diazepam days, 0 mg without."""
    db = open_database(db_path)
    valium = save_medication(db, Medication(None, "Valium", Category.OTHER, unit="mg"))
    assert valium.id is not None
    save_day(db, DayLog(DAY, doses=(Dose(valium.id, "08:00", 5.0),)))
    save_day(db, DayLog("2026-11-24", note="nothing taken"))
    assert daily_diazepam(db) == {"2026-11-24": 0.0, DAY: 5.0}
    db.close()


TODAY_CASES = [
    # Stesolid at 08:00 is the 08:00 planned dose; the tracked 12:00 one is extra.
    (
        "Stesolid",
        "15 mg",
        [["08:00", "Stesolid", "10 mg", "taken"], ["12:00", "Diazepam", "5 mg", "extra"]],
    ),
    # Lorazepam is no diazepam: the 12:00 dose is the 08:00 one, late; lorazepam just logged.
    (
        "Lorazepam",
        "5 mg",
        [["08:00", "Lorazepam", "10 mg", "logged"], ["12:00", "Diazepam", "5 mg", "late (+4h00)"]],
    ),
]


@pytest.mark.parametrize(("name", "shown", "lines"), TODAY_CASES, ids=[c[0] for c in TODAY_CASES])
async def test_today_mg_line_and_dose_list_count_a_brand(
    db_path: Path,
    make_app: Callable[..., DiazlogApp],
    name: str,
    shown: str,
    lines: list[list[str]],
) -> None:
    _diary(db_path, name)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        summary = str(app.screen.query_one("#dose-summary").render())
        assert f"Diazepam today: {shown}" in summary
        table = app.screen.query_one("DoseTable")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert rows == [*lines, ["20:00", "Diazepam", "5 mg", "missed"]]


@pytest.mark.parametrize(
    ("name", "verdict"), [("Stesolid", "logged 5 mg ✓ matches"), ("Ativan", "nothing logged")]
)
def test_log_checks_a_brand_dose_against_the_plan(db_path: Path, name: str, verdict: str) -> None:
    """`diazlog log`'s plan line counts diazepam under a brand, not another benzodiazepine."""
    runner = CliRunner()
    planned = runner.invoke(
        cli, ["--db", str(db_path), "plan", "--past", "--from", "2026-01-01", "5@08:00"]
    )
    assert planned.exit_code == 0, planned.output
    db = open_database(db_path)
    save_medication(db, Medication(None, name, Category.OTHER, unit="mg"))
    db.close()
    logged = runner.invoke(
        cli, ["--db", str(db_path), "log", "--date", "2026-11-20", "--dose", f"{name}:5@08:00"]
    )
    assert logged.exit_code == 0, logged.output
    assert f"Plan: 5 mg (08:00) · {verdict}" in logged.output
