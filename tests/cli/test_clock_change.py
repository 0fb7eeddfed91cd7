"""The night the clocks go back, 01:30 happens twice: two doses then are two doses.

Each dose keeps the UTC offset it was taken at (doses.utc_offset), through `diazlog log`, the
quick-entry merge, export and import.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.domain.clock import dose_offset
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from tests.conftest import diazepam_medication

NIGHT = "2026-10-25"  # Europe/London: 02:00 BST becomes 01:00 GMT
FIRST_0135 = datetime(2026, 10, 25, 1, 35, fold=0)  # 00:35 UTC, summer time
SECOND_0135 = datetime(2026, 10, 25, 1, 35, fold=1)  # 01:35 UTC, winter time


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in Europe/London's rules, whatever the machine's zone."""
    if not Path("/usr/share/zoneinfo/Europe/London").exists():
        pytest.skip("no time zone data on this machine")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def log_at(monkeypatch: pytest.MonkeyPatch, db_path: Path, clock: datetime, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("diazlog.commands.log.now", lambda: clock)
    return CliRunner().invoke(cli, ["--db", str(db_path), "log", *args])


def offsets(db_path: Path) -> list[tuple[str, str | None, float]]:
    day = load_day(open_database(db_path), NIGHT)
    assert day is not None
    return sorted((d.time, d.utc_offset, d.amount) for d in day.doses)


def test_the_offset_is_the_one_the_dose_was_taken_at(london: None) -> None:
    assert dose_offset(NIGHT, "01:30", FIRST_0135) == "+01:00"
    assert dose_offset(NIGHT, "01:30", SECOND_0135) == "+00:00"  # the later 01:30 has passed
    assert dose_offset(NIGHT, "00:30", SECOND_0135) == "+01:00"  # before the change
    assert dose_offset(NIGHT, "08:00", SECOND_0135) == "+00:00"
    assert dose_offset("2026-07-01", "08:00", datetime(2026, 7, 1, 9)) == "+01:00"


@pytest.mark.parametrize("explicit", [True, False], ids=["at-01:30", "now"])
def test_two_0130_doses_stay_two_through_log_export_and_import(
    london: None,
    monkeypatch: pytest.MonkeyPatch,
    db_path: Path,
    tmp_path: Path,
    explicit: bool,
) -> None:
    save_medication(open_database(db_path), diazepam_medication())
    dose = "5@01:30" if explicit else "5"
    clocks = (
        (FIRST_0135, SECOND_0135)
        if explicit
        else (
            FIRST_0135.replace(minute=30),
            SECOND_0135.replace(minute=30),
        )
    )
    for clock in clocks:
        result = log_at(monkeypatch, db_path, clock, "--dose", dose)
        assert result.exit_code == 0, result.output
        assert "already logged" not in result.output
    expected = [("01:30", "+00:00", 5.0), ("01:30", "+01:00", 5.0)]
    assert offsets(db_path) == expected
    # The same dose again at the same moment is still one dose.
    again = log_at(monkeypatch, db_path, clocks[1], "--dose", dose)
    assert "1 dose already logged" in again.output
    assert offsets(db_path) == expected
    for fmt in ("csv", "json"):
        out = tmp_path / f"export-{fmt}"
        monkeypatch.setattr("diazlog.commands.export.now", lambda: SECOND_0135)
        exported = CliRunner().invoke(
            cli, ["--db", str(db_path), "export", "--format", fmt, "--out", str(out)]
        )
        assert exported.exit_code == 0, exported.output
        fresh = tmp_path / f"fresh-{fmt}" / "diazlog.db"
        monkeypatch.setattr("diazlog.commands.import_.now", lambda: SECOND_0135)
        imported = CliRunner().invoke(cli, ["--db", str(fresh), "import", str(out)])
        assert imported.exit_code == 0, imported.output
        assert offsets(fresh) == expected


def test_the_app_save_of_a_day_keeps_both_0130s(db_path: Path) -> None:
    """save_day (the Today screen's save) writes and re-writes each dose with its offset."""
    from diazlog.domain.models import DayLog, Dose
    from diazlog.store.queries.days import save_day

    db = open_database(db_path)
    med = save_medication(db, diazepam_medication())
    assert med.id is not None
    doses = (
        Dose(med.id, "01:30", 5, utc_offset="+01:00"),
        Dose(med.id, "01:30", 5, utc_offset="+00:00"),
    )
    saved = save_day(db, DayLog(NIGHT, doses=doses, note="clocks back"))
    assert offsets(db_path) == [("01:30", "+00:00", 5.0), ("01:30", "+01:00", 5.0)]
    save_day(db, saved)  # saved again as loaded, ids and all
    assert offsets(db_path) == [("01:30", "+00:00", 5.0), ("01:30", "+01:00", 5.0)]
