"""`diazlog plan` from the shell: add, list, remove; the Medicines screen's checks; and `take`
logging each planned dose at its own amount."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diazlog.cli import cli
from diazlog.store import open_database
from diazlog.store.queries.days import load_day
from diazlog.store.queries.medications import save_medication
from diazlog.store.queries.taper import list_steps
from tests.conftest import diazepam_medication
from tests.support.helpers import TODAY

# Every command reads the same fixed time (conftest.fixed_clock).
pytestmark = pytest.mark.usefixtures("fixed_clock")


def plan(db_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", str(db_path), "plan", *args])


def steps(db_path: Path) -> list[tuple[str, float, tuple[str, ...], tuple[float, ...]]]:
    db = open_database(db_path)
    found = [(s.from_date, s.amount, s.times, s.amounts) for s in list_steps(db)]
    db.close()
    return found


def test_add_list_and_remove_a_step_with_an_amount_per_time(db_path: Path) -> None:
    added = plan(db_path, "--from", "2026-12-01", "5@08:00", "2.5@20:00")
    assert added.exit_code == 0, added.output
    # No diazepam yet: `plan` sets it up, and says so.
    assert "Set up Diazepam as the diazepam you track" in added.output
    assert "Diazepam from 2026-12-01: 5 mg at 08:00 + 2.5 mg at 20:00 · 7.5 mg a day" in (
        added.output
    )
    assert steps(db_path) == [("2026-12-01", 5.0, ("08:00", "20:00"), (5.0, 2.5))]

    assert plan(db_path, "--from", "2027-01-05", "2.5@08:00", "2.5@20:00").exit_code == 0
    assert plan(db_path, "--from", "2027-02-01", "0").exit_code == 0
    listed = plan(db_path)
    assert listed.exit_code == 0
    assert listed.output.splitlines() == [
        "Taper plan for Diazepam:",
        "  from 2026-12-01  5 mg at 08:00 + 2.5 mg at 20:00 · 7.5 mg a day  ahead",
        "  from 2027-01-05  2 × 2.5 mg (08:00, 20:00) · 5 mg a day  ahead",
        "  from 2027-02-01  stop: no diazepam  ahead",
    ]

    removed = plan(db_path, "--remove", "2027-01-05")
    assert removed.exit_code == 0
    assert "Removed the step from 2027-01-05 (2 × 2.5 mg (08:00, 20:00)" in removed.output
    assert [s[0] for s in steps(db_path)] == ["2026-12-01", "2027-02-01"]


def test_a_step_on_the_same_date_replaces_it_and_says_what_it_replaced(db_path: Path) -> None:
    plan(db_path, "--from", "2026-12-01", "5@08:00", "5@20:00")
    again = plan(db_path, "--from", "2026-12-01", "5@08:00,2.5@20:00")
    assert again.exit_code == 0
    assert "(replaced 2 × 5 mg (08:00, 20:00) · 10 mg a day)" in again.output
    assert steps(db_path) == [("2026-12-01", 5.0, ("08:00", "20:00"), (5.0, 2.5))]


def test_a_step_in_the_past_is_refused_unless_past_is_given(db_path: Path) -> None:
    refused = plan(db_path, "--from", "2026-11-01", "5@08:00", "2.5@20:00")
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        f"diazlog: 2026-11-01 is before today ({TODAY}): a new step starts today or later; "
        "add --past if the plan really changed then"
    )
    assert steps(db_path) == []
    assert plan(db_path, "--from", TODAY, "5").exit_code == 0  # today is not the past
    accepted = plan(db_path, "--from", "2026-11-01", "--past", "5@08:00", "2.5@20:00")
    assert accepted.exit_code == 0, accepted.output
    assert [s[0] for s in steps(db_path)] == ["2026-11-01", TODAY]
    assert "← now" in plan(db_path).output.splitlines()[2]  # today's step is in force


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["5,", "2.5"], "'5, 2.5' is more than one amount: give each its time"),
        (["5", "2.5"], "is more than one amount"),
        (["5@08:00", "2.5"], "2.5 has no time: write it as 2.5@HH:MM"),
        (["5@24:00"], "'24:00' is not a time of day"),
        (["5@08:00", "2.5@8:00"], "08:00 is given twice"),
        (["0@08:00", "2.5@20:00"], "0 mg at 08:00: leave that time out"),
        (["150@08:00"], "150 mg is more than 100 mg"),
        (["five@08:00"], "'five' is not an amount"),
        ([], "say the doses after the date"),
    ],
)
def test_bad_doses_get_one_line_and_exit_2(db_path: Path, args: list[str], message: str) -> None:
    result = plan(db_path, "--from", "2026-12-01", *args)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert steps(db_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01", "5"], "'2026-13-01' is not a date: use YYYY-MM-DD"),
        (["--from", "tomorrow", "5"], "'tomorrow' is not a date"),
        (["--remove", "1st of May"], "'1st of May' is not a date"),
        (["--remove", "2026-12-01"], "no step starts on 2026-12-01"),
        (["5@08:00"], "say when the step starts: diazlog plan --from"),
        (["--remove", "2026-12-01", "--from", "2026-12-02", "5"], "--remove takes only a date"),
    ],
)
def test_bad_dates_and_mixed_up_options_exit_2(
    db_path: Path, args: list[str], message: str
) -> None:
    result = plan(db_path, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_control_characters_typed_never_reach_the_terminal(db_path: Path) -> None:
    result = plan(db_path, "--from", "2026-12-01", "5@\x1b[2J08:00")
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\\x1b" in result.output


def test_listing_a_diary_without_a_plan_says_how_to_add_one(db_path: Path) -> None:
    assert "No diazepam set up yet" in plan(db_path).output
    db = open_database(db_path)
    save_medication(db, diazepam_medication())
    db.close()
    assert "No taper plan for Diazepam yet: diazlog plan --from" in plan(db_path).output


def test_take_logs_each_planned_dose_at_its_own_amount(db_path: Path) -> None:
    """The plan from the shell, then `take` at 21:30: 5 mg at 08:00 and 2.5 mg at 20:00."""
    assert plan(db_path, "--from", TODAY, "5@08:00", "2.5@20:00").exit_code == 0
    took = CliRunner().invoke(cli, ["--db", str(db_path), "take"])
    assert took.exit_code == 0, took.output
    assert took.output.startswith("Took Diazepam 5 mg at 08:00 and 2.5 mg at 20:00 as planned")
    assert "Plan: 5 mg at 08:00 + 2.5 mg at 20:00 · logged 7.5 mg ✓ matches" in took.output
    db = open_database(db_path)
    day = load_day(db, TODAY)
    db.close()
    assert day is not None
    assert [(d.time, d.amount) for d in day.doses] == [("08:00", 5.0), ("20:00", 2.5)]


def test_a_typo_on_a_missing_diary_is_named_before_anything_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "diary.db"
    typo = plan(missing, "--from", "2026-12-01", "5@08:00", "2.5")
    assert typo.exit_code == 2
    assert "2.5 has no time" in typo.output
    refused = plan(missing, "--from", "2026-12-01", "5@08:00")  # not a terminal: no question
    assert refused.exit_code == 2 and "add --create to start one there" in refused.output
    assert not missing.exists()
    listed = plan(missing)
    assert listed.exit_code == 2 and not missing.exists()
