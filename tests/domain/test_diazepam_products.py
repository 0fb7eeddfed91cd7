"""Diazepam logged under a brand or product name is diazepam to the red-flag rules.

Valium, Stesolid, Diazemuls and "Diazepam 5mg" add to the day's diazepam total (so 45 mg is
an overdose however it was named) and never raise "another benzodiazepine with diazepam"
against diazepam itself; a real other benzodiazepine (Lorazepam, Ativan) still does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.domain.diazepam_products import is_diazepam_product
from diazlog.domain.medicine_names import classify
from diazlog.domain.models import Category, DayLog, Dose, Medication
from diazlog.domain.redflags import FlagContext, evaluate_days
from diazlog.store import open_database
from diazlog.store.queries.medications import save_medication
from tests.conftest import diazepam_medication

JUDGE = "2026-11-20"
EARLIER = ("2026-11-17", "2026-11-18", "2026-11-19")
DIAZEPAM_ID = 1
USUAL = ("08:00", "12:00", "16:00")  # 10 mg at each: 30 mg a day planned


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Diazepam", True),
        ("Diazepam 5mg", True),
        ("Valium", True),
        ("valium 10 mg", True),
        ("Stesolid", True),
        ("Diazemuls", True),
        ("Lorazepam", False),
        ("Ativan", False),
        ("Xanax", False),
        ("Co-codamol 30/500", False),
        ("Vitamin D", False),
    ],
)
def test_is_diazepam_product_by_recognised_generic(name: str, expected: bool) -> None:
    med = Medication(None, name, Category.OTHER, drug_class=classify(name).code)
    assert is_diazepam_product(med) is expected


def test_the_tracked_diazepam_is_diazepam_whatever_its_name() -> None:
    assert is_diazepam_product(Medication(None, "My pills", is_diazepam=True))


def test_valium_in_tablets_is_not_added_as_milligrams() -> None:
    """2 tablets are not 2 mg: left out of the mg total, it keeps its own flag instead."""
    assert not is_diazepam_product(Medication(None, "Valium", unit="tablet"))


@dataclass(frozen=True)
class Case:
    id: str
    other: tuple[str, ...]  # medicines 2, 3 … by name
    evening: tuple[tuple[int, str, float], ...]  # (medicine id, time, mg) after the usual doses
    fires: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    title_has: str = ""


CASES = [
    # Must fire: diazepam under any name adds up past 40 mg.
    *(
        Case(
            f"{name}-adds-to-overdose",
            (name,),
            ((2, "20:00", 10.0), (2, "21:00", 5.0)),
            fires=frozenset({"overdose"}),
            quiet=frozenset({"combination"}),
            title_has="Diazepam 45 mg",
        )
        for name in ("Valium", "Stesolid", "Diazemuls", "Diazepam 5mg")
    ),
    Case(
        "valium-and-stesolid-add-up",
        ("Valium", "Stesolid"),
        ((2, "20:00", 10.0), (3, "21:00", 5.0)),
        fires=frozenset({"overdose"}),
        quiet=frozenset({"combination"}),
        title_has="Diazepam 45 mg",
    ),
    # Must not fire: Valium in place of a planned dose is the planned diazepam.
    Case(
        "valium-at-the-planned-dose",
        ("Valium",),
        (),
        quiet=frozenset({"combination", "overdose", "above_plan"}),
    ),
    # A real other benzodiazepine is still one.
    *(
        Case(
            f"{name}-is-another-benzodiazepine",
            (name,),
            ((2, "20:00", 1.0),),
            fires=frozenset({"combination"}),
            quiet=frozenset({"overdose"}),
            title_has=f"{name} (a benzodiazepine) with diazepam",
        )
        for name in ("Lorazepam", "Ativan")
    ),
]


def _context(case: Case) -> FlagContext:
    meds = {
        DIAZEPAM_ID: Medication(
            DIAZEPAM_ID,
            "Diazepam",
            Category.BENZODIAZEPINE,
            is_diazepam=True,
            usual_amount=10,
            usual_times=USUAL,
            drug_class=classify("Diazepam").code,
        )
    }
    for n, name in enumerate(case.other, start=2):
        meds[n] = Medication(n, name, Category.OTHER, drug_class=classify(name).code)
    return FlagContext(medications=meds)


def _days(case: Case) -> list[DayLog]:
    usual = tuple(Dose(DIAZEPAM_ID, t, 10.0) for t in USUAL)
    days = [DayLog(d, doses=usual) for d in EARLIER]
    if case.id == "valium-at-the-planned-dose":  # the 16:00 dose taken as Valium
        today = (*usual[:2], Dose(2, "16:00", 10.0))
    else:
        today = usual + tuple(Dose(m, t, a) for m, t, a in case.evening)
    return [*days, DayLog(JUDGE, doses=today)]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_diazepam_under_another_name_in_the_rules(case: Case) -> None:
    alerts = evaluate_days(_days(case), _context(case)).get(JUDGE, [])
    fired = {a.rule for a in alerts}
    assert case.fires <= fired, alerts
    assert not (case.quiet & fired), alerts
    if case.title_has:
        assert any(case.title_has in a.title for a in alerts if a.rule in case.fires), alerts


def test_flags_json_counts_valium_and_stesolid_as_diazepam(tmp_path: Path) -> None:
    """The reviewer's case through the CLI: 30 mg as Diazepam, 10 as Valium, 5 as Stesolid."""
    path = tmp_path / "diary.db"
    db = open_database(path)
    save_medication(db, diazepam_medication(usual_amount=10, usual_times=USUAL))
    db.close()
    doses = ["10@08:00", "10@12:00", "10@16:00", "Valium:10@20:00", "Stesolid:5@21:00"]
    args = ["--db", str(path), "log", "--create", "--date", JUDGE]
    for dose in doses:
        args += ["--dose", dose]
    logged = CliRunner().invoke(cli, args)
    assert logged.exit_code == 0, logged.output

    result = CliRunner().invoke(
        cli, ["--db", str(path), "flags", "--from", JUDGE, "--to", JUDGE, "--json"]
    )
    assert result.exit_code == 0, result.output
    events = json.loads(result.output)
    overdose = [e for e in events if e["rule"] == "overdose"]
    assert overdose and overdose[0]["title"] == "Diazepam 45 mg in a day", events
    assert overdose[0]["level"] in ("urgent", "emergency")
    assert not [e for e in events if e["rule"] == "combination"], events


def test_medicines_screen_says_valium_is_counted_not_watched() -> None:
    from diazlog.domain.medicine_watch import detail_line, recognised_as, watched
    from diazlog.domain.name_resolution import from_tables

    valium = Medication(2, "Valium", drug_class=classify("Valium").code)
    assert not watched(valium)
    assert "Counted as diazepam" in detail_line(valium)
    found = from_tables("Stesolid")
    assert found is not None
    assert "counted as diazepam" in recognised_as(found)
    ativan = Medication(3, "Ativan", drug_class=classify("Ativan").code)
    assert watched(ativan)
